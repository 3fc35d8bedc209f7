package cost

// This file owns refreshing a price table from the Azure Retail Prices API (public, no login):
// building each item's filter, following the API's pages, and picking the one price an item
// means out of rows that share a SKU (Windows, Spot, Low Priority, tiers, older prices).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// RetailPricesURL is the Azure Retail Prices API.
const RetailPricesURL = "https://prices.azure.com/api/retail/prices"

// RetailRow is one row of the API's answer: the fields the refresh reads.
type RetailRow struct {
	CurrencyCode         string  `json:"currencyCode"`
	TierMinimumUnits     float64 `json:"tierMinimumUnits"`
	RetailPrice          float64 `json:"retailPrice"`
	UnitPrice            float64 `json:"unitPrice"`
	ARMRegionName        string  `json:"armRegionName"`
	EffectiveStartDate   string  `json:"effectiveStartDate"`
	MeterName            string  `json:"meterName"`
	ProductName          string  `json:"productName"`
	SKUName              string  `json:"skuName"`
	ServiceName          string  `json:"serviceName"`
	ARMSKUName           string  `json:"armSkuName"`
	UnitOfMeasure        string  `json:"unitOfMeasure"`
	Type                 string  `json:"type"`
	IsPrimaryMeterRegion bool    `json:"isPrimaryMeterRegion"`
}

type retailPage struct {
	Items        []RetailRow `json:"Items"`
	NextPageLink string      `json:"NextPageLink"`
}

// RetailClient reads the Retail Prices API.
type RetailClient struct {
	// BaseURL is RetailPricesURL, or a test server's.
	BaseURL string
	HTTP    *http.Client
	// MaxPages stops a NextPageLink loop; 0 means 50 (100 rows a page).
	MaxPages int
}

// Rows returns every USD row that matches an OData filter, following NextPageLink.
func (c RetailClient) Rows(ctx context.Context, filter string) ([]RetailRow, error) {
	base, err := url.Parse(c.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("retail prices URL %q: %w", c.BaseURL, err)
	}
	q := url.Values{"currencyCode": {"'USD'"}, "$filter": {filter}}
	next := c.BaseURL + "?" + q.Encode()
	maxPages := c.MaxPages
	if maxPages == 0 {
		maxPages = 50
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	var rows []RetailRow
	for page := 0; next != ""; page++ {
		if page == maxPages {
			return nil, fmt.Errorf("filter %q: more than %d pages", filter, maxPages)
		}
		u, err := url.Parse(next)
		if err != nil {
			return nil, fmt.Errorf("page link %q: %w", next, err)
		}
		// Follow pages of the same API only: a link elsewhere is not a price.
		if u.Scheme != base.Scheme || u.Host != base.Host {
			return nil, fmt.Errorf("page link %q leaves %s", next, base.Host)
		}
		p, err := c.page(ctx, hc, next)
		if err != nil {
			return nil, err
		}
		rows = append(rows, p.Items...)
		next = p.NextPageLink
	}
	return rows, nil
}

func (c RetailClient) page(ctx context.Context, hc *http.Client, link string) (retailPage, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, link, nil)
	if err != nil {
		return retailPage{}, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return retailPage{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return retailPage{}, err
	}
	if resp.StatusCode != http.StatusOK {
		return retailPage{}, fmt.Errorf("GET %s: %s: %.200s", link, resp.Status, body)
	}
	var p retailPage
	if err := json.Unmarshal(body, &p); err != nil {
		return retailPage{}, fmt.Errorf("decode %s: %w", link, err)
	}
	return p, nil
}

// RetailFilter is the OData filter that fetches q's rows in region: exact matches on the
// fields q sets, pay-as-you-go prices only. Meter names are matched locally when q sums several.
func RetailFilter(q RetailQuery, region string) string {
	if q.ARMRegionName != nil {
		region = *q.ARMRegionName
	}
	parts := []string{
		"serviceName eq " + odata(q.ServiceName),
		"armRegionName eq " + odata(region),
		"priceType eq 'Consumption'",
	}
	for _, f := range []struct{ field, value string }{
		{"productName", q.ProductName}, {"skuName", q.SKUName}, {"armSkuName", q.ARMSKUName},
	} {
		if f.value != "" {
			parts = append(parts, f.field+" eq "+odata(f.value))
		}
	}
	if len(q.MeterNames) == 1 && len(q.OptionalMeterNames) == 0 {
		parts = append(parts, "meterName eq "+odata(q.MeterNames[0]))
	}
	return strings.Join(parts, " and ")
}

// odata quotes a string literal, doubling quotes as OData wants.
func odata(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// RetailPrice picks q's price out of the API rows, in the units of q.UnitOfMeasure: the sum of
// its meters (optional ones when present), times its multiplier. It fails when a meter is
// missing, its unit differs, or rows disagree in a way no rule settles.
func RetailPrice(q RetailQuery, rows []RetailRow) (float64, error) {
	wantCount, wantUnit, err := parseUnit(q.UnitOfMeasure)
	if err != nil {
		return 0, fmt.Errorf("item unit: %w", err)
	}
	var total float64
	meters := append(append([]string(nil), q.MeterNames...), q.OptionalMeterNames...)
	for i, m := range meters {
		required := i < len(q.MeterNames)
		row, err := pickRow(q, m, rows)
		if errors.Is(err, errNoMeter) && !required {
			continue
		}
		if err != nil {
			return 0, err
		}
		count, unit, err := parseUnit(row.UnitOfMeasure)
		if err != nil {
			return 0, fmt.Errorf("meter %q: %w", m, err)
		}
		if unit != wantUnit {
			return 0, fmt.Errorf("meter %q is priced per %q, the table wants %q", m, row.UnitOfMeasure, q.UnitOfMeasure)
		}
		total += row.RetailPrice / count * wantCount
	}
	if q.Multiplier > 0 {
		total *= q.Multiplier
	}
	return total, nil
}

// errNoMeter is wrapped when the API has no row for a meter, which optional meters allow.
var errNoMeter = errors.New("not found")

// pickRow finds meter m's row.
func pickRow(q RetailQuery, m string, rows []RetailRow) (RetailRow, error) {
	var cands []RetailRow
	for _, r := range rows {
		if r.MeterName != m || (r.Type != "" && r.Type != "Consumption") || (r.CurrencyCode != "" && r.CurrencyCode != "USD") {
			continue
		}
		if r.TierMinimumUnits != q.TierMinimumUnits || excluded(q.Exclude, r) {
			continue
		}
		cands = append(cands, r)
	}
	if len(cands) == 0 {
		return RetailRow{}, fmt.Errorf("meter %q %w (service %q, product %q, sku %q)", m, errNoMeter, q.ServiceName, q.ProductName, q.SKUName)
	}
	// A meter billed from another region shows up twice; the primary row is the one that bills.
	var primary []RetailRow
	for _, r := range cands {
		if r.IsPrimaryMeterRegion {
			primary = append(primary, r)
		}
	}
	if len(primary) > 0 {
		cands = primary
	}
	// The API can list a price and its successor; the later one applies.
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].EffectiveStartDate > cands[j].EffectiveStartDate })
	latest := cands[:1]
	for _, r := range cands[1:] {
		if r.EffectiveStartDate == cands[0].EffectiveStartDate {
			latest = append(latest, r)
		}
	}
	for _, r := range latest[1:] {
		if r.RetailPrice != latest[0].RetailPrice {
			var seen []string
			for _, l := range latest {
				seen = append(seen, fmt.Sprintf("%s/%s %v", l.ProductName, l.SKUName, l.RetailPrice))
			}
			return RetailRow{}, fmt.Errorf("meter %q is ambiguous: %s", m, strings.Join(seen, ", "))
		}
	}
	return latest[0], nil
}

func excluded(words []string, r RetailRow) bool {
	for _, w := range words {
		if strings.Contains(r.ProductName, w) || strings.Contains(r.SKUName, w) || strings.Contains(r.MeterName, w) {
			return true
		}
	}
	return false
}

var unitPattern = regexp.MustCompile(`^(\d+(?:\.\d+)?)\s*([KM]?)(?:\s*(.*))?$`)

// parseUnit splits an API unit of measure into a count and a unit: "1 Hour" -> (1, "hour"),
// "100 Hours" -> (100, "hour"), "10K" -> (10000, ""), "1 GB/Month" -> (1, "gb/month").
func parseUnit(s string) (float64, string, error) {
	m := unitPattern.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, "", fmt.Errorf("unit of measure %q: not a count and a unit", s)
	}
	n, err := strconv.ParseFloat(m[1], 64)
	if err != nil || n <= 0 {
		return 0, "", fmt.Errorf("unit of measure %q: bad count", s)
	}
	switch m[2] {
	case "K":
		n *= 1e3
	case "M":
		n *= 1e6
	}
	unit := strings.ToLower(strings.ReplaceAll(m[3], " ", ""))
	return n, strings.TrimSuffix(unit, "s"), nil
}

// RefreshResult says what a refresh did to one item.
type RefreshResult struct {
	Key    string
	OldUSD float64
	NewUSD float64
	// Found is false when the item kept its old price (and was flagged unconfirmed).
	Found  bool
	Reason string
}

// Refresh returns seed with every price the API lists replaced by today's and confirmed, and
// every other price kept, marked unconfirmed and explained in its note. It fails only when the
// API cannot be read, so a network error never writes a half-refreshed table.
func Refresh(ctx context.Context, c RetailClient, seed Table, region, today string) (Table, []RefreshResult, error) {
	out := seed
	out.Region, out.Retrieved = region, today
	out.Note = fmt.Sprintf("Refreshed by cmd/prices from the Azure Retail Prices API on %s (pay-as-you-go, USD, %s). confirmed: false marks prices the API did not give; their note says why and where the kept figure is from.", today, region)
	out.Items = make([]Item, len(seed.Items))
	cache := map[string][]RetailRow{}
	var results []RefreshResult
	for i, it := range seed.Items {
		res := RefreshResult{Key: it.Key, OldUSD: it.USD, NewUSD: it.USD}
		kept := fmt.Sprintf("kept from the %s %s table", seed.Region, seed.Retrieved)
		if it.Retail == nil {
			it.Confirmed = false
			res.Reason = "the API lists no meter for it"
			it.Note = fmt.Sprintf("cmd/prices %s: %s; %s", today, res.Reason, kept)
		} else {
			filter := RetailFilter(*it.Retail, region)
			rows, ok := cache[filter]
			if !ok {
				var err error
				if rows, err = c.Rows(ctx, filter); err != nil {
					return Table{}, nil, fmt.Errorf("refresh %s: %w", it.Key, err)
				}
				cache[filter] = rows
			}
			usd, err := RetailPrice(*it.Retail, rows)
			if err != nil {
				it.Confirmed = false
				res.Reason = err.Error()
				it.Note = fmt.Sprintf("cmd/prices %s: %s; %s", today, res.Reason, kept)
			} else {
				it.USD = roundTo(usd, 6)
				it.Source = fmt.Sprintf("Azure Retail Prices API %s: %s", today, describe(*it.Retail))
				it.Confirmed = true
				it.Note = ""
				res.NewUSD, res.Found = it.USD, true
			}
		}
		if !res.Found && seed.Region != region {
			// Another region's price is a placeholder, never a confirmation.
			it.Confirmed = false
		}
		out.Items[i] = it
		results = append(results, res)
	}
	return out, results, nil
}

func describe(q RetailQuery) string {
	var parts []string
	for _, s := range []string{q.ServiceName, q.ProductName, q.SKUName, q.ARMSKUName} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	s := strings.Join(parts, " / ") + " / " + strings.Join(q.MeterNames, " + ")
	if q.Multiplier > 0 && q.Multiplier != 1 {
		s += fmt.Sprintf(" x %v", q.Multiplier)
	}
	return s
}

// MarshalTable encodes a table the way the files in prices/ are written.
func MarshalTable(t Table) ([]byte, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(t); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}
