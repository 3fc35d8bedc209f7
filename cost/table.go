package cost

// This file owns the price table: its shape, the embedded tables and how a price is looked up.

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"

	"github.com/example/wordpress-aks/config"
)

// RefreshCommand regenerates a region's price table; errors about missing prices point to it.
const RefreshCommand = "go run ./cmd/prices -region "

// The tables are compiled in so that a plan never reads prices from the network or from a file
// next to the binary: what was reviewed in the repo is what estimates.
//
//go:embed prices/*.json
var tables embed.FS

// Table is a dated list of pay-as-you-go prices for one Azure region, in USD.
type Table struct {
	// Region is the ARM region name, e.g. "japaneast".
	Region string `json:"region"`
	// Retrieved is the date (YYYY-MM-DD) the prices were gathered.
	Retrieved string `json:"retrieved"`
	// Currency is always USD: Azure's retail list is in USD, and JPY bills are converted.
	Currency string `json:"currency"`
	// USDToJPY converts the estimate to yen.
	USDToJPY Rate `json:"usdToJpy"`
	// Note says where the table came from and what "confirmed" means for it.
	Note  string `json:"note,omitempty"`
	Items []Item `json:"items"`
	// For is set by TableFor when the table stands in for a region that has none: the region
	// the estimate is for, while Region is where the prices come from.
	For string `json:"-"`
}

// Rate is an exchange rate with its date and source.
type Rate struct {
	Rate   float64 `json:"rate"`
	Date   string  `json:"date"`
	Source string  `json:"source"`
}

// Item is one price.
type Item struct {
	// Key names the price, e.g. "vm/Standard_B2s", "disk/P4 LRS", "mysql/storage".
	Key string `json:"key"`
	// Unit is what one USD buys: hour, month, day, GB, GB-month, run.
	Unit string  `json:"unit"`
	USD  float64 `json:"usd"`
	// Source says where the figure comes from, with its date.
	Source string `json:"source"`
	// Confirmed is true when the figure is known to be this region's list price; false for
	// figures taken from another region or scaled from one, which cmd/prices should replace.
	Confirmed bool `json:"confirmed"`
	// Note explains a flag left by cmd/prices (not found, ambiguous, kept from an older table).
	Note string `json:"note,omitempty"`
	// Retail tells cmd/prices how to find this price in the Azure Retail Prices API; nil for
	// prices the API does not list (they are kept and stay unconfirmed).
	Retail *RetailQuery `json:"retail,omitempty"`
}

// RetailQuery selects the Retail Prices API rows that make up one Item.
type RetailQuery struct {
	ServiceName string `json:"serviceName"`
	ProductName string `json:"productName,omitempty"`
	SKUName     string `json:"skuName,omitempty"`
	ARMSKUName  string `json:"armSkuName,omitempty"`
	// MeterNames are summed (a managed disk bills a disk meter and a mount meter).
	MeterNames []string `json:"meterNames"`
	// OptionalMeterNames are added when the API lists them and ignored when it does not.
	OptionalMeterNames []string `json:"optionalMeterNames,omitempty"`
	// ARMRegionName overrides the table's region for meters Azure lists elsewhere: "" for
	// Private DNS, "Global" for the load balancer.
	ARMRegionName *string `json:"armRegionName,omitempty"`
	// Exclude drops rows whose product, SKU or meter name contains any of these (Windows,
	// Spot and Low Priority rows share a VM's armSkuName).
	Exclude []string `json:"exclude,omitempty"`
	// TierMinimumUnits picks one row of a tiered meter (Log Analytics bills from 5 GB).
	TierMinimumUnits float64 `json:"tierMinimumUnits,omitempty"`
	// UnitOfMeasure is the API's unit the row must have, e.g. "1 Hour", "1/Month", "1 GB/Month".
	UnitOfMeasure string `json:"unitOfMeasure"`
	// Multiplier scales the API price to the item (vCores for per-vCore MySQL meters); 0 means 1.
	Multiplier float64 `json:"multiplier,omitempty"`
}

// ErrNoTable is wrapped by LoadTable when no table exists for a region.
var ErrNoTable = errors.New("no price table")

// LoadTable returns the embedded price table for region.
func LoadTable(region string) (Table, error) {
	b, err := tables.ReadFile("prices/" + region + ".json")
	if errors.Is(err, fs.ErrNotExist) {
		return Table{}, fmt.Errorf("%w for region %q (have %s); create cost/prices/%s.json with: %s%s",
			ErrNoTable, region, strings.Join(Regions(), ", "), region, RefreshCommand, region)
	}
	if err != nil {
		return Table{}, fmt.Errorf("read price table %s: %w", region, err)
	}
	t, err := ParseTable(b)
	if err != nil {
		return Table{}, fmt.Errorf("price table %s: %w", region, err)
	}
	if t.Region != region {
		return Table{}, fmt.Errorf("price table prices/%s.json says region %q", region, t.Region)
	}
	return t, nil
}

// fallbackRegions names, for every region in config.Regions without a table of its own, the
// table that estimates it: the nearest priced region in the same geography (or, where the
// geography has none, the nearest one Azure users there pick). Prices differ between regions by
// up to a third, so such an estimate is marked as one and warned about, never refused.
var fallbackRegions = map[string]string{
	"australiacentral":   "australiaeast",
	"australiacentral2":  "australiaeast",
	"australiasoutheast": "australiaeast",
	"newzealandnorth":    "australiaeast",
	"austriaeast":        "germanywestcentral",
	"belgiumcentral":     "westeurope",
	"denmarkeast":        "swedencentral",
	"italynorth":         "westeurope",
	"norwayeast":         "swedencentral",
	"norwaywest":         "swedencentral",
	"polandcentral":      "germanywestcentral",
	"spaincentral":       "francecentral",
	"switzerlandnorth":   "germanywestcentral",
	"switzerlandwest":    "francecentral",
	"swedensouth":        "swedencentral",
	"germanynorth":       "germanywestcentral",
	"francesouth":        "francecentral",
	"ukwest":             "uksouth",
	"brazilsoutheast":    "brazilsouth",
	"chilecentral":       "brazilsouth",
	"canadaeast":         "canadacentral",
	"koreasouth":         "koreacentral",
	"southindia":         "centralindia",
	"westindia":          "centralindia",
	"jioindiacentral":    "centralindia",
	"jioindiawest":       "centralindia",
	"indonesiacentral":   "southeastasia",
	"malaysiawest":       "southeastasia",
	"northcentralus":     "centralus",
	"southcentralus":     "centralus",
	"westcentralus":      "centralus",
	"mexicocentral":      "centralus",
	"westus":             "westus2",
	"israelcentral":      "westeurope",
	"qatarcentral":       "westeurope",
	"uaecentral":         "westeurope",
	"uaenorth":           "westeurope",
	"southafricanorth":   "westeurope",
	"southafricawest":    "westeurope",
}

// TableFor returns the price table that estimates region: its own, or for a valid region
// without one the fallback region's, with For set to region. An unknown region is an error.
func TableFor(region string) (Table, error) {
	if slices.Contains(Regions(), region) {
		return LoadTable(region)
	}
	fb, ok := fallbackRegions[region]
	if !ok || !config.IsRegion(region) {
		return Table{}, fmt.Errorf("%w for region %q, which is not an Azure region this program knows (config/regions.go)", ErrNoTable, region)
	}
	t, err := LoadTable(fb)
	if err != nil {
		return Table{}, fmt.Errorf("fallback for %s: %w", region, err)
	}
	t.For = region
	return t, nil
}

// Fallback returns the warning an estimate from another region's table carries, or "".
func (t Table) Fallback() string {
	if t.For == "" || t.For == t.Region {
		return ""
	}
	return fmt.Sprintf("no price table for %s: estimated with the %s table (%s), which may be off by a third; for this region's own prices run %s%s",
		t.For, t.Region, t.Retrieved, RefreshCommand, t.For)
}

// Regions lists the regions with an embedded table.
func Regions() []string {
	entries, _ := tables.ReadDir("prices")
	var out []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".json"); ok {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// ParseTable decodes and checks a table.
func ParseTable(b []byte) (Table, error) {
	var t Table
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return Table{}, fmt.Errorf("decode: %w", err)
	}
	return t, t.Validate()
}

// Validate checks what the estimate relies on: a region, a date, USD, a positive rate, unique
// keys and non-negative prices.
func (t Table) Validate() error {
	var problems []string
	if t.Region == "" {
		problems = append(problems, "region is empty")
	}
	if !isDate(t.Retrieved) {
		problems = append(problems, fmt.Sprintf("retrieved %q: must be YYYY-MM-DD", t.Retrieved))
	}
	if t.Currency != "USD" {
		problems = append(problems, fmt.Sprintf("currency %q: must be USD", t.Currency))
	}
	if t.USDToJPY.Rate <= 0 || !isDate(t.USDToJPY.Date) {
		problems = append(problems, fmt.Sprintf("usdToJpy {%v %q}: needs a positive rate and a YYYY-MM-DD date", t.USDToJPY.Rate, t.USDToJPY.Date))
	}
	seen := map[string]bool{}
	for i, it := range t.Items {
		switch {
		case it.Key == "":
			problems = append(problems, fmt.Sprintf("items[%d]: key is empty", i))
		case seen[it.Key]:
			problems = append(problems, fmt.Sprintf("items[%d] %q: duplicate key", i, it.Key))
		case it.USD < 0:
			problems = append(problems, fmt.Sprintf("items[%d] %q: usd %v is negative", i, it.Key, it.USD))
		case it.Unit == "" || it.Source == "":
			problems = append(problems, fmt.Sprintf("items[%d] %q: needs a unit and a source", i, it.Key))
		}
		seen[it.Key] = true
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// Price returns the item for key, or an error that names the key, the region and the command
// that refreshes the table.
func (t Table) Price(key string) (Item, error) {
	for _, it := range t.Items {
		if it.Key == key {
			return it, nil
		}
	}
	return Item{}, fmt.Errorf("no price %q in the %s table (retrieved %s); add it to cost/prices/%s.json and run %s%s",
		key, t.Region, t.Retrieved, t.Region, RefreshCommand, t.Region)
}

// Unconfirmed lists the keys whose price is not confirmed for the table's region.
func (t Table) Unconfirmed() []string {
	var out []string
	for _, it := range t.Items {
		if !it.Confirmed {
			out = append(out, it.Key)
		}
	}
	return out
}

func isDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i, c := range s {
		if i != 4 && i != 7 && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
