package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/example/wordpress-aks/cost"
)

// TestRun refreshes a table file end to end against a fake API that knows one price: the file
// is rewritten with today's date, the found price confirmed, the rest kept and flagged.
func TestRun(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		items := []map[string]any{}
		if strings.Contains(r.URL.Query().Get("$filter"), "armSkuName eq 'Standard_B2s'") {
			items = append(items, map[string]any{
				"currencyCode": "USD", "tierMinimumUnits": 0.0, "retailPrice": 0.0496, "unitPrice": 0.0496,
				"armRegionName": "japaneast", "location": "JA East", "effectiveStartDate": "2022-04-01T00:00:00Z",
				"meterName": "B2s", "productName": "Virtual Machines BS Series", "skuName": "B2s",
				"serviceName": "Virtual Machines", "armSkuName": "Standard_B2s", "unitOfMeasure": "1 Hour",
				"type": "Consumption", "isPrimaryMeterRegion": true,
			})
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"BillingCurrency": "USD", "Items": items, "NextPageLink": nil, "Count": len(items)})
	}))
	t.Cleanup(api.Close)
	template, err := cost.LoadTable("japaneast")
	if err != nil {
		t.Fatal(err)
	}
	// Every item of the table is looked up; the fake API knows one.
	found := fmt.Sprintf("1 of %d prices", len(template.Items))

	tests := []struct {
		name     string
		existing bool
		args     []string
		wantRate float64
		wantOut  []string
	}{
		{
			name:     "refresh an existing table",
			existing: true,
			args:     []string{"-region", "japaneast"},
			wantRate: 150,
			wantOut:  []string{"changed  vm/Standard_B2s", "kept     vm/Standard_F2s_v2", found},
		},
		{
			name:     "new region from the template, new rate",
			args:     []string{"-region", "japanwest", "-usd-to-jpy", "155"},
			wantRate: 155,
			wantOut:  []string{"does not exist: starting from the japaneast table", found},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "table.json")
			if tt.existing {
				seed, err := cost.LoadTable("japaneast")
				if err != nil {
					t.Fatal(err)
				}
				b, err := cost.MarshalTable(seed)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			var out strings.Builder
			args := append([]string{"-out", path, "-api", api.URL}, tt.args...)
			if err := run(args, &out, time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)); err != nil {
				t.Fatalf("run(%v): %v\n%s", args, err, out.String())
			}
			for _, want := range tt.wantOut {
				if !strings.Contains(out.String(), want) {
					t.Errorf("output lacks %q:\n%s", want, out.String())
				}
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got, err := cost.ParseTable(b)
			if err != nil {
				t.Fatal(err)
			}
			b2s, err := got.Price("vm/Standard_B2s")
			if err != nil {
				t.Fatal(err)
			}
			if got.Retrieved != "2026-12-01" || got.USDToJPY.Rate != tt.wantRate || b2s.USD != 0.0496 || !b2s.Confirmed {
				t.Errorf("table: retrieved %q rate %v, B2s %v confirmed %v", got.Retrieved, got.USDToJPY.Rate, b2s.USD, b2s.Confirmed)
			}
			if n := len(got.Unconfirmed()); n != len(got.Items)-1 {
				t.Errorf("%d unconfirmed, want all but one of %d", n, len(got.Items))
			}
		})
	}
}

func TestRunErrors(t *testing.T) {
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
	}))
	t.Cleanup(down.Close)
	dir := t.TempDir()
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{name: "no region", args: []string{}, wantErr: "-region is required"},
		{name: "API down writes nothing", args: []string{"-region", "japaneast", "-api", down.URL, "-out", filepath.Join(dir, "t.json")}, wantErr: "nothing written"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out strings.Builder
			err := run(tt.args, &out, time.Now())
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("run(%v) = %v, want an error containing %q", tt.args, err, tt.wantErr)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "t.json")); err == nil {
		t.Errorf("%s was written after a failed refresh", filepath.Join(dir, "t.json"))
	}
}
