package config

import (
	"regexp"
	"slices"
	"testing"
)

// TestRegionsList keeps the region list sorted, unique and in ARM spelling, with the regions
// the cost tables price.
func TestRegionsList(t *testing.T) {
	if !slices.IsSorted(Regions) {
		t.Error("Regions is not sorted")
	}
	arm := regexp.MustCompile(`^[a-z][a-z0-9]{3,30}$`)
	seen := map[string]bool{}
	for _, r := range Regions {
		if !arm.MatchString(r) {
			t.Errorf("%q is not an ARM region name", r)
		}
		if seen[r] {
			t.Errorf("%q is listed twice", r)
		}
		seen[r] = true
	}
	for _, r := range []string{"japaneast", "japanwest", "eastasia", "southeastasia", "koreacentral", "australiaeast",
		"centralindia", "westeurope", "northeurope", "uksouth", "germanywestcentral", "francecentral", "swedencentral",
		"eastus", "eastus2", "westus2", "westus3", "centralus", "canadacentral", "brazilsouth"} {
		if !IsRegion(r) {
			t.Errorf("%s is missing", r)
		}
	}
	for _, r := range []string{"global", "asia", "mars", "eastus2euap", "JapanEast"} {
		if IsRegion(r) {
			t.Errorf("%s is not a region a cluster can be placed in", r)
		}
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"eastus", "eastus", 0},
		{"eastus", "eastus2", 1},
		{"japaneats", "japaneast", 2},
		{"kitten", "sitting", 3},
	}
	for _, tt := range tests {
		t.Run(tt.a+"-"+tt.b, func(t *testing.T) {
			if got := editDistance(tt.a, tt.b); got != tt.want {
				t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
			if got := editDistance(tt.b, tt.a); got != tt.want {
				t.Errorf("editDistance(%q, %q) = %d, want %d", tt.b, tt.a, got, tt.want)
			}
		})
	}
}
