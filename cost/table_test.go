package cost

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/example/wordpress-aks/config"
)

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadTable(t *testing.T) {
	table := japanEast(t)
	if table.Retrieved == "" || table.USDToJPY.Rate != 150 || table.Currency != "USD" {
		t.Errorf("japaneast table: retrieved %q, rate %v, currency %q", table.Retrieved, table.USDToJPY.Rate, table.Currency)
	}
	_, err := LoadTable("koreasouth")
	if !errors.Is(err, ErrNoTable) {
		t.Fatalf("LoadTable(koreasouth) error = %v, want ErrNoTable", err)
	}
	for _, want := range []string{`"koreasouth"`, "go run ./cmd/prices -region koreasouth", "japaneast"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}

// TestTableFilesAreCanonical keeps every checked-in table in the exact form cmd/prices writes,
// so a refresh shows only the prices that changed, and named after its region.
func TestTableFilesAreCanonical(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("prices", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no tables in prices/: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			want, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			table, err := ParseTable(want)
			if err != nil {
				t.Fatal(err)
			}
			if region := strings.TrimSuffix(filepath.Base(f), ".json"); table.Region != region {
				t.Errorf("%s says region %q", f, table.Region)
			}
			got, err := MarshalTable(table)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Errorf("%s is not in MarshalTable's form; rewrite it with MarshalTable", f)
			}
		})
	}
}

// usersRegions are the regions users pick most; each must plan offline with its own table.
var usersRegions = []string{"japaneast", "japanwest", "eastasia", "southeastasia", "koreacentral", "australiaeast",
	"centralindia", "westeurope", "northeurope", "uksouth", "germanywestcentral", "francecentral", "swedencentral",
	"eastus", "eastus2", "westus2", "westus3", "centralus", "canadacentral", "brazilsouth"}

// TestEveryRegionHasATable checks that every region config accepts has its own table or a
// fallback with one, and that the tables price the same things, with honest flags: VM prices
// from a dated source, everything else derived or kept and so unconfirmed unless it is
// japaneast's own.
func TestEveryRegionHasATable(t *testing.T) {
	have := Regions()
	for _, r := range usersRegions {
		if !slices.Contains(have, r) {
			t.Errorf("no table for %s", r)
		}
	}
	for _, r := range have {
		if !config.IsRegion(r) {
			t.Errorf("table %s is for a region config refuses", r)
		}
		if fb, ok := fallbackRegions[r]; ok {
			t.Errorf("%s has a table and a fallback (%s)", r, fb)
		}
	}
	for _, r := range config.Regions {
		if slices.Contains(have, r) {
			continue
		}
		fb, ok := fallbackRegions[r]
		if !ok || !slices.Contains(have, fb) {
			t.Errorf("%s has neither a table nor a fallback with one (fallback %q)", r, fb)
		}
	}
	for r := range fallbackRegions {
		if !config.IsRegion(r) {
			t.Errorf("fallback for %s, which is not a region", r)
		}
	}
	keys := func(tb Table) []string {
		var out []string
		for _, it := range tb.Items {
			out = append(out, it.Key)
		}
		return out
	}
	base := keys(japanEast(t))
	date := regexp.MustCompile(`\d{4}-\d{2}(-\d{2})?`)
	for _, r := range have {
		tb, err := LoadTable(r)
		if err != nil {
			t.Fatal(err)
		}
		if got := keys(tb); !slices.Equal(got, base) {
			t.Errorf("%s prices %v, japaneast %v", r, got, base)
		}
		if r == "japaneast" {
			continue
		}
		for _, it := range tb.Items {
			isVM := strings.HasPrefix(it.Key, "vm/")
			switch {
			case isVM && (!it.Confirmed || !date.MatchString(it.Source)):
				t.Errorf("%s %s: a VM price from the dated VM price list, confirmed; got %v %q", r, it.Key, it.Confirmed, it.Source)
			case !isVM && it.Confirmed:
				t.Errorf("%s %s: confirmed, but no source gives it for this region", r, it.Key)
			case !isVM && !strings.Contains(it.Source, "japaneast"):
				t.Errorf("%s %s: the source should say what it was derived from: %q", r, it.Key, it.Source)
			case !date.MatchString(it.Source):
				t.Errorf("%s %s: the source should carry its date: %q", r, it.Key, it.Source)
			}
		}
	}
}

func TestTableFor(t *testing.T) {
	tests := []struct {
		region        string
		wantPrices    string
		wantFallback  bool
		wantErrSubstr string
	}{
		{region: "japaneast", wantPrices: "japaneast"},
		{region: "westeurope", wantPrices: "westeurope"},
		{region: "koreasouth", wantPrices: "koreacentral", wantFallback: true},
		{region: "westus", wantPrices: "westus2", wantFallback: true},
		{region: "mars", wantErrSubstr: `no price table for region "mars", which is not an Azure region`},
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			tb, err := TableFor(tt.region)
			if tt.wantErrSubstr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErrSubstr) {
					t.Fatalf("TableFor(%s) error = %v, want %q", tt.region, err, tt.wantErrSubstr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tb.Region != tt.wantPrices {
				t.Errorf("TableFor(%s) gives the %s table, want %s", tt.region, tb.Region, tt.wantPrices)
			}
			w := tb.Fallback()
			if got := w != ""; got != tt.wantFallback {
				t.Fatalf("TableFor(%s) fallback warning %q, want one: %v", tt.region, w, tt.wantFallback)
			}
			if tt.wantFallback && (!strings.Contains(w, tt.region) || !strings.Contains(w, tt.wantPrices) || !strings.Contains(w, "go run ./cmd/prices -region "+tt.region)) {
				t.Errorf("warning %q should name %s, %s and the refresh command", w, tt.region, tt.wantPrices)
			}
		})
	}
}

// TestTableHasEveryRefreshQuery checks that every item cmd/prices can look up says how, and
// that the items without a query are the ones the API does not list.
func TestTableHasEveryRefreshQuery(t *testing.T) {
	for _, it := range japanEast(t).Items {
		if it.Retail == nil {
			if it.Key != "backup/vm-small" {
				t.Errorf("%s has no retail query", it.Key)
			}
			continue
		}
		if it.Retail.ServiceName == "" || len(it.Retail.MeterNames) == 0 || it.Retail.UnitOfMeasure == "" {
			t.Errorf("%s: retail query needs a service, a meter and a unit: %+v", it.Key, *it.Retail)
		}
		if _, _, err := parseUnit(it.Retail.UnitOfMeasure); err != nil {
			t.Errorf("%s: %v", it.Key, err)
		}
	}
}

func TestTableValidate(t *testing.T) {
	valid := func() Table {
		return Table{Region: "japaneast", Retrieved: "2026-11-25", Currency: "USD",
			USDToJPY: Rate{Rate: 150, Date: "2026-11-25", Source: "x"},
			Items:    []Item{{Key: "vm/a", Unit: "hour", USD: 1, Source: "x"}}}
	}
	tests := []struct {
		name    string
		edit    func(*Table)
		wantErr string
	}{
		{name: "valid", edit: func(*Table) {}},
		{name: "no date", edit: func(t *Table) { t.Retrieved = "last week" }, wantErr: "retrieved"},
		{name: "yen table", edit: func(t *Table) { t.Currency = "JPY" }, wantErr: "must be USD"},
		{name: "no rate", edit: func(t *Table) { t.USDToJPY.Rate = 0 }, wantErr: "usdToJpy"},
		{name: "duplicate key", edit: func(t *Table) { t.Items = append(t.Items, t.Items[0]) }, wantErr: "duplicate key"},
		{name: "negative price", edit: func(t *Table) { t.Items[0].USD = -1 }, wantErr: "negative"},
		{name: "no source", edit: func(t *Table) { t.Items[0].Source = "" }, wantErr: "needs a unit and a source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			table := valid()
			tt.edit(&table)
			err := table.Validate()
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Validate() = %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestPriceMissingKey(t *testing.T) {
	_, err := japanEast(t).Price("vm/Standard_X1")
	if err == nil || !strings.Contains(err.Error(), `no price "vm/Standard_X1" in the japaneast table`) ||
		!strings.Contains(err.Error(), "go run ./cmd/prices -region japaneast") {
		t.Errorf("Price(vm/Standard_X1) error = %v", err)
	}
}
