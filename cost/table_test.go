package cost

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	_, err := LoadTable("westeurope")
	if !errors.Is(err, ErrNoTable) {
		t.Fatalf("LoadTable(westeurope) error = %v, want ErrNoTable", err)
	}
	for _, want := range []string{`"westeurope"`, "go run ./cmd/prices -region westeurope", "japaneast"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}

// TestTableFileIsCanonical keeps the checked-in table in the exact form cmd/prices writes, so a
// refresh shows only the prices that changed.
func TestTableFileIsCanonical(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("prices", "japaneast.json"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := MarshalTable(japanEast(t))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("prices/japaneast.json is not in MarshalTable's form; rewrite it with MarshalTable")
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
