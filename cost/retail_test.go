package cost

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// catalog is a recorded-looking slice of the Retail Prices API for japaneast: the rows a few
// items match, with the neighbours that must not be picked (Windows, Spot, Low Priority, the free
// tier of a tiered meter, an older price, a non-primary duplicate).
var catalog = []RetailRow{
	vmRow("Virtual Machines BS Series", "B2s", 0.0496),
	vmRow("Virtual Machines BS Series Windows", "B2s", 0.0632),
	vmRow("Virtual Machines BS Series", "B2s Spot", 0.0099),
	vmRow("Virtual Machines BS Series", "B2s Low Priority", 0.0099),
	{CurrencyCode: "USD", RetailPrice: 5.9, UnitPrice: 5.9, ARMRegionName: "japaneast", EffectiveStartDate: "2020-08-01T00:00:00Z",
		MeterName: "P4 LRS Disk", ProductName: "Premium SSD Managed Disks", SKUName: "P4 LRS", ServiceName: "Storage",
		UnitOfMeasure: "1/Month", Type: "Consumption", IsPrimaryMeterRegion: true},
	{CurrencyCode: "USD", RetailPrice: 0.31, UnitPrice: 0.31, ARMRegionName: "japaneast", EffectiveStartDate: "2024-06-01T00:00:00Z",
		MeterName: "P4 LRS Disk Mount", ProductName: "Premium SSD Managed Disks", SKUName: "P4 LRS", ServiceName: "Storage",
		UnitOfMeasure: "1/Month", Type: "Consumption", IsPrimaryMeterRegion: true},
	{CurrencyCode: "USD", RetailPrice: 0, ARMRegionName: "japaneast", EffectiveStartDate: "2023-07-01T00:00:00Z",
		MeterName: "Analytics Logs Data Ingestion", ProductName: "Log Analytics", SKUName: "Analytics Logs", ServiceName: "Log Analytics",
		UnitOfMeasure: "1 GB", Type: "Consumption", IsPrimaryMeterRegion: true},
	{CurrencyCode: "USD", TierMinimumUnits: 5, RetailPrice: 2.99, UnitPrice: 2.99, ARMRegionName: "japaneast", EffectiveStartDate: "2023-07-01T00:00:00Z",
		MeterName: "Analytics Logs Data Ingestion", ProductName: "Log Analytics", SKUName: "Analytics Logs", ServiceName: "Log Analytics",
		UnitOfMeasure: "1 GB", Type: "Consumption", IsPrimaryMeterRegion: true},
	{CurrencyCode: "USD", RetailPrice: 0.09, UnitPrice: 0.09, ARMRegionName: "japaneast", EffectiveStartDate: "2021-01-01T00:00:00Z",
		MeterName: "vCore", ProductName: "Azure Database for MySQL Flexible Server General Purpose Ddsv5 Series Compute", SKUName: "vCore",
		ServiceName: "Azure Database for MySQL", UnitOfMeasure: "1 Hour", Type: "Consumption", IsPrimaryMeterRegion: true},
	{CurrencyCode: "USD", RetailPrice: 0.08, UnitPrice: 0.08, ARMRegionName: "japaneast", EffectiveStartDate: "2023-10-01T00:00:00Z",
		MeterName: "vCore", ProductName: "Azure Database for MySQL Flexible Server General Purpose Ddsv5 Series Compute", SKUName: "vCore",
		ServiceName: "Azure Database for MySQL", UnitOfMeasure: "1 Hour", Type: "Consumption", IsPrimaryMeterRegion: true},
	{CurrencyCode: "USD", RetailPrice: 0.5, UnitPrice: 0.5, ARMRegionName: "", EffectiveStartDate: "2019-01-01T00:00:00Z",
		MeterName: "Private Zone", ProductName: "Azure DNS", SKUName: "Private", ServiceName: "Azure DNS",
		UnitOfMeasure: "1", Type: "Consumption", IsPrimaryMeterRegion: true},
	{CurrencyCode: "USD", TierMinimumUnits: 25, RetailPrice: 0.1, UnitPrice: 0.1, ARMRegionName: "", EffectiveStartDate: "2019-01-01T00:00:00Z",
		MeterName: "Private Zone", ProductName: "Azure DNS", SKUName: "Private", ServiceName: "Azure DNS",
		UnitOfMeasure: "1", Type: "Consumption", IsPrimaryMeterRegion: true},
}

func vmRow(product, sku string, usd float64) RetailRow {
	return RetailRow{CurrencyCode: "USD", RetailPrice: usd, UnitPrice: usd, ARMRegionName: "japaneast",
		EffectiveStartDate: "2022-04-01T00:00:00Z", MeterName: sku, ProductName: product, SKUName: sku,
		ServiceName: "Virtual Machines", ARMSKUName: "Standard_B2s", UnitOfMeasure: "1 Hour", Type: "Consumption",
		IsPrimaryMeterRegion: true}
}

var eqClause = regexp.MustCompile(`(\w+) eq '((?:[^']|'')*)'`)

// retailServer answers like the API: it applies the filter's eq clauses (as the API does) and
// pages two rows at a time with an absolute NextPageLink. requests counts the pages served.
func retailServer(t *testing.T, rows []RetailRow, requests *int) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		*requests++
		q := r.URL.Query()
		if q.Get("currencyCode") != "'USD'" {
			http.Error(w, "want currencyCode='USD'", http.StatusBadRequest)
			return
		}
		// Clauses are "field eq 'value'" joined by " and "; values may contain " and " too.
		filter := q.Get("$filter")
		clauses := eqClause.FindAllStringSubmatch(filter, -1)
		var whole []string
		for _, m := range clauses {
			whole = append(whole, m[0])
		}
		if strings.Join(whole, " and ") != filter {
			http.Error(w, "unsupported filter "+filter, http.StatusBadRequest)
			return
		}
		var match []RetailRow
		for _, row := range rows {
			b, _ := json.Marshal(row)
			var fields map[string]any
			_ = json.Unmarshal(b, &fields)
			fields["priceType"] = row.Type
			ok := true
			for _, m := range clauses {
				if fmt.Sprint(fields[m[1]]) != strings.ReplaceAll(m[2], "''", "'") {
					ok = false
				}
			}
			if ok {
				match = append(match, row)
			}
		}
		skip, _ := strconv.Atoi(q.Get("$skip"))
		end := min(skip+2, len(match))
		page := map[string]any{
			"BillingCurrency": "USD", "CustomerEntityId": "Default", "CustomerEntityType": "Retail",
			"Items": match[min(skip, len(match)):end], "Count": end - min(skip, len(match)), "NextPageLink": nil,
		}
		if end < len(match) {
			q.Set("$skip", strconv.Itoa(end))
			page["NextPageLink"] = srv.URL + "/api/retail/prices?" + q.Encode()
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(page)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func strPtr(s string) *string { return &s }

func TestRetailFilter(t *testing.T) {
	tests := []struct {
		name string
		q    RetailQuery
		want string
	}{
		{
			name: "VM by ARM SKU and meter",
			q:    RetailQuery{ServiceName: "Virtual Machines", ARMSKUName: "Standard_B2s", MeterNames: []string{"B2s"}},
			want: "serviceName eq 'Virtual Machines' and armRegionName eq 'japaneast' and priceType eq 'Consumption' and armSkuName eq 'Standard_B2s' and meterName eq 'B2s'",
		},
		{
			name: "summed meters are matched locally",
			q:    RetailQuery{ServiceName: "Storage", ProductName: "Premium SSD Managed Disks", SKUName: "P4 LRS", MeterNames: []string{"P4 LRS Disk"}, OptionalMeterNames: []string{"P4 LRS Disk Mount"}},
			want: "serviceName eq 'Storage' and armRegionName eq 'japaneast' and priceType eq 'Consumption' and productName eq 'Premium SSD Managed Disks' and skuName eq 'P4 LRS'",
		},
		{
			name: "global meter with an empty region",
			q:    RetailQuery{ServiceName: "Azure DNS", SKUName: "Private", MeterNames: []string{"Private Zone"}, ARMRegionName: strPtr("")},
			want: "serviceName eq 'Azure DNS' and armRegionName eq '' and priceType eq 'Consumption' and skuName eq 'Private' and meterName eq 'Private Zone'",
		},
		{
			name: "quotes are doubled",
			q:    RetailQuery{ServiceName: "O'Brien", MeterNames: []string{"x"}},
			want: "serviceName eq 'O''Brien' and armRegionName eq 'japaneast' and priceType eq 'Consumption' and meterName eq 'x'",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RetailFilter(tt.q, "japaneast"); got != tt.want {
				t.Errorf("RetailFilter() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestRetailPrice(t *testing.T) {
	vm := RetailQuery{ServiceName: "Virtual Machines", ARMSKUName: "Standard_B2s", MeterNames: []string{"B2s"},
		Exclude: []string{"Windows", "Spot", "Low Priority"}, UnitOfMeasure: "1 Hour"}
	disk := RetailQuery{ServiceName: "Storage", SKUName: "P4 LRS", MeterNames: []string{"P4 LRS Disk"},
		OptionalMeterNames: []string{"P4 LRS Disk Mount"}, UnitOfMeasure: "1/Month"}
	row := func(meter, unit string, usd float64, edit func(*RetailRow)) RetailRow {
		r := RetailRow{MeterName: meter, UnitOfMeasure: unit, RetailPrice: usd, Type: "Consumption", CurrencyCode: "USD",
			IsPrimaryMeterRegion: true, EffectiveStartDate: "2024-01-01T00:00:00Z"}
		if edit != nil {
			edit(&r)
		}
		return r
	}
	tests := []struct {
		name    string
		q       RetailQuery
		rows    []RetailRow
		want    float64
		wantErr string
	}{
		{name: "Linux pay-as-you-go, not Windows, Spot or Low Priority", q: vm, rows: catalog[:4], want: 0.0496},
		{name: "disk and mount meters are summed", q: disk, rows: catalog[4:6], want: 5.9 + 0.31},
		{name: "a missing optional meter is left out", q: disk, rows: catalog[4:5], want: 5.9},
		{
			name: "the paid tier of a tiered meter",
			q:    RetailQuery{ServiceName: "Log Analytics", MeterNames: []string{"Analytics Logs Data Ingestion"}, TierMinimumUnits: 5, UnitOfMeasure: "1 GB"},
			rows: catalog[6:8], want: 2.99,
		},
		{
			name: "per-vCore meter times vCores, latest price wins",
			q:    RetailQuery{ServiceName: "Azure Database for MySQL", SKUName: "vCore", MeterNames: []string{"vCore"}, UnitOfMeasure: "1 Hour", Multiplier: 2},
			rows: catalog[8:10], want: 0.16,
		},
		{name: "a price per 100 hours is divided", q: vm, rows: []RetailRow{row("B2s", "100 Hours", 5.44, nil)}, want: 0.0544},
		{
			name: "a price per 10K is divided to the item's unit",
			q:    RetailQuery{MeterNames: []string{"Ops"}, UnitOfMeasure: "1"},
			rows: []RetailRow{row("Ops", "10K", 0.002, nil)}, want: 0.0000002,
		},
		{
			name: "the primary meter region wins over a duplicate",
			q:    vm,
			rows: []RetailRow{row("B2s", "1 Hour", 0.07, func(r *RetailRow) { r.IsPrimaryMeterRegion = false }), row("B2s", "1 Hour", 0.05, nil)},
			want: 0.05,
		},
		{name: "reservation rows are ignored", q: vm, rows: []RetailRow{row("B2s", "1 Year", 300, func(r *RetailRow) { r.Type = "Reservation" })}, wantErr: `meter "B2s" not found`},
		{name: "a missing meter is an error", q: vm, rows: nil, wantErr: `meter "B2s" not found`},
		{name: "a different unit is an error", q: vm, rows: []RetailRow{row("B2s", "1/Month", 40, nil)}, wantErr: `priced per "1/Month"`},
		{
			name:    "two current prices are ambiguous",
			q:       vm,
			rows:    []RetailRow{row("B2s", "1 Hour", 0.05, func(r *RetailRow) { r.ProductName = "A" }), row("B2s", "1 Hour", 0.06, func(r *RetailRow) { r.ProductName = "B" })},
			wantErr: "ambiguous",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := RetailPrice(tt.q, tt.rows)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("RetailPrice() = %v, %v; want an error containing %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("RetailPrice(): %v", err)
			}
			if !near(got, tt.want, 1e-12) {
				t.Errorf("RetailPrice() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRetailClientPages(t *testing.T) {
	requests := 0
	srv := retailServer(t, catalog, &requests)
	c := RetailClient{BaseURL: srv.URL + "/api/retail/prices", HTTP: srv.Client()}
	rows, err := c.Rows(context.Background(), "serviceName eq 'Virtual Machines' and armSkuName eq 'Standard_B2s'")
	if err != nil {
		t.Fatal(err)
	}
	// Four VM rows, two a page.
	if len(rows) != 4 || requests != 2 {
		t.Errorf("got %d rows in %d requests, want 4 in 2", len(rows), requests)
	}
}

func TestRetailClientErrors(t *testing.T) {
	foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = fmt.Fprint(w, `{"Items":[],"NextPageLink":"https://elsewhere.example/api/retail/prices?$skip=100"}`)
	}))
	t.Cleanup(foreign.Close)
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "throttled", http.StatusTooManyRequests)
	}))
	t.Cleanup(failing.Close)
	garbled := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = fmt.Fprint(w, `<html>`)
	}))
	t.Cleanup(garbled.Close)
	var loop *httptest.Server
	loop = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = fmt.Fprintf(w, `{"Items":[],"NextPageLink":%q}`, loop.URL+"/p")
	}))
	t.Cleanup(loop.Close)
	tests := []struct {
		name    string
		url     string
		wantErr string
	}{
		{name: "page link to another host", url: foreign.URL, wantErr: "leaves"},
		{name: "HTTP error", url: failing.URL, wantErr: "429"},
		{name: "not JSON", url: garbled.URL, wantErr: "decode"},
		{name: "endless pages", url: loop.URL, wantErr: "more than 3 pages"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := RetailClient{BaseURL: tt.url, MaxPages: 3}
			_, err := c.Rows(context.Background(), "serviceName eq 'x'")
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Rows() error = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

// TestRefresh refreshes the real japaneast table against the recorded catalog: what the catalog
// has is updated and confirmed, everything else is kept and flagged, and the result is a valid
// table in the file's form.
func TestRefresh(t *testing.T) {
	requests := 0
	srv := retailServer(t, catalog, &requests)
	seed := japanEast(t)
	c := RetailClient{BaseURL: srv.URL + "/api/retail/prices", HTTP: srv.Client()}
	got, results, err := Refresh(context.Background(), c, seed, "japaneast", "2026-12-01")
	if err != nil {
		t.Fatal(err)
	}
	if got.Retrieved != "2026-12-01" || got.Region != "japaneast" || got.USDToJPY != seed.USDToJPY {
		t.Errorf("refreshed table: retrieved %q region %q rate %+v", got.Retrieved, got.Region, got.USDToJPY)
	}
	if _, err := MarshalTable(got); err != nil {
		t.Errorf("refreshed table does not validate: %v", err)
	}
	item := func(key string) Item {
		it, err := got.Price(key)
		if err != nil {
			t.Fatal(err)
		}
		return it
	}
	tests := []struct {
		key           string
		wantUSD       float64
		wantConfirmed bool
		wantNote      string
	}{
		{key: "vm/Standard_B2s", wantUSD: 0.0496, wantConfirmed: true},
		{key: "disk/P4 LRS", wantUSD: 6.21, wantConfirmed: true},
		{key: "loganalytics/ingestion", wantUSD: 2.99, wantConfirmed: true},
		{key: "mysql/Standard_D2ds_v5", wantUSD: 0.16, wantConfirmed: true},
		{key: "mysql/Standard_D4ds_v5", wantUSD: 0.32, wantConfirmed: true},
		{key: "dns/private-zone", wantUSD: 0.5, wantConfirmed: true},
		// Not in the catalog: kept, flagged, explained.
		{key: "vm/Standard_F2s_v2", wantUSD: 0.107, wantNote: `cmd/prices 2026-12-01: meter "F2s v2" not found`},
		// The API lists no meter for it at all.
		{key: "backup/vm-small", wantUSD: 5, wantNote: "the API lists no meter for it; kept from the japaneast 2026-11-25 table"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			it := item(tt.key)
			if !near(it.USD, tt.wantUSD, 1e-9) || it.Confirmed != tt.wantConfirmed || !strings.Contains(it.Note, tt.wantNote) {
				t.Errorf("%s = %v confirmed %v note %q; want %v confirmed %v note containing %q",
					tt.key, it.USD, it.Confirmed, it.Note, tt.wantUSD, tt.wantConfirmed, tt.wantNote)
			}
			if tt.wantConfirmed && !strings.HasPrefix(it.Source, "Azure Retail Prices API 2026-12-01: ") {
				t.Errorf("%s source = %q", tt.key, it.Source)
			}
		})
	}
	found := 0
	for _, r := range results {
		if r.Found {
			found++
		}
	}
	if found != 6 || len(results) != len(seed.Items) {
		t.Errorf("found %d of %d, want 6 of %d", found, len(results), len(seed.Items))
	}
}

// TestRefreshNewRegion starts a region from another region's table: nothing it could not look up
// may stay confirmed.
func TestRefreshNewRegion(t *testing.T) {
	requests := 0
	srv := retailServer(t, nil, &requests)
	c := RetailClient{BaseURL: srv.URL, HTTP: srv.Client()}
	got, _, err := Refresh(context.Background(), c, japanEast(t), "westeurope", "2026-12-01")
	if err != nil {
		t.Fatal(err)
	}
	if got.Region != "westeurope" {
		t.Errorf("region = %q", got.Region)
	}
	if n := len(got.Unconfirmed()); n != len(got.Items) {
		t.Errorf("%d of %d items unconfirmed, want all", n, len(got.Items))
	}
}

func TestParseUnit(t *testing.T) {
	tests := []struct {
		in        string
		wantCount float64
		wantUnit  string
		wantErr   bool
	}{
		{in: "1 Hour", wantCount: 1, wantUnit: "hour"},
		{in: "100 Hours", wantCount: 100, wantUnit: "hour"},
		{in: "1/Month", wantCount: 1, wantUnit: "/month"},
		{in: "1 GB/Month", wantCount: 1, wantUnit: "gb/month"},
		{in: "1/Day", wantCount: 1, wantUnit: "/day"},
		{in: "10K", wantCount: 10000, wantUnit: ""},
		{in: "1M", wantCount: 1e6, wantUnit: ""},
		{in: "1", wantCount: 1, wantUnit: ""},
		{in: "Hour", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			gotCount, gotUnit, err := parseUnit(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("parseUnit(%q) error = %v", tt.in, err)
			}
			if gotCount != tt.wantCount || gotUnit != tt.wantUnit {
				t.Errorf("parseUnit(%q) = %v, %q; want %v, %q", tt.in, gotCount, gotUnit, tt.wantCount, tt.wantUnit)
			}
		})
	}
}
