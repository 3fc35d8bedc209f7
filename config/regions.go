package config

// This file owns the list of Azure regions a stack may name in location.

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Regions are the public Azure regions (ARM names) where a stack can be placed, as of RegionsAsOf.
// Source: the 57 regions with Linux VM pay-as-you-go prices in the Azure Retail Prices API, as
// generated into Azure/karpenter-provider-azure pkg/providers/pricing/zz_generated.pricing.go
// (generated 2026-06-18), plus belgiumcentral and denmarkeast, which `az account list-locations`
// lists as physical regions but which had no retail VM prices in that file. Logical
// (geography-level) names such as "asia" or "global", and the EUAP canary regions, are left out:
// none of them can hold an AKS cluster. Add a region here when Azure opens one; cost/prices says
// which table prices it.
var Regions = []string{
	"australiacentral", "australiacentral2", "australiaeast", "australiasoutheast",
	"austriaeast", "belgiumcentral", "brazilsouth", "brazilsoutheast",
	"canadacentral", "canadaeast", "centralindia", "centralus",
	"chilecentral", "denmarkeast", "eastasia", "eastus",
	"eastus2", "francecentral", "francesouth", "germanynorth",
	"germanywestcentral", "indonesiacentral", "israelcentral", "italynorth",
	"japaneast", "japanwest", "jioindiacentral", "jioindiawest",
	"koreacentral", "koreasouth", "malaysiawest", "mexicocentral",
	"newzealandnorth", "northcentralus", "northeurope", "norwayeast",
	"norwaywest", "polandcentral", "qatarcentral", "southafricanorth",
	"southafricawest", "southcentralus", "southeastasia", "southindia",
	"spaincentral", "swedencentral", "swedensouth", "switzerlandnorth",
	"switzerlandwest", "uaecentral", "uaenorth", "uksouth",
	"ukwest", "westcentralus", "westeurope", "westindia",
	"westus", "westus2", "westus3",
}

// RegionsAsOf is the date of the Regions list.
const RegionsAsOf = "2026-06-18"

// IsRegion reports whether name is one of Regions.
func IsRegion(name string) bool { return slices.Contains(Regions, name) }

// checkLocation returns what is wrong with a location value, or "".
func checkLocation(loc string) string {
	if IsRegion(loc) {
		return ""
	}
	msg := fmt.Sprintf("is not an Azure region (the ARM name, as `az account list-locations -o table` shows it; %d known as of %s)", len(Regions), RegionsAsOf)
	if near := closestRegions(loc, 3); len(near) > 0 {
		return msg + "; did you mean " + strings.Join(near, ", ") + "?"
	}
	return msg + "; e.g. japaneast, eastus2, westeurope (all of them in config/regions.go)"
}

// closestRegions returns up to n regions nearest to loc by edit distance, after folding the
// display-name spelling ("Japan East") into the ARM one. Nothing is suggested for a value too
// far from every region to be a typo of one.
func closestRegions(loc string, n int) []string {
	folded := strings.ToLower(strings.Join(strings.Fields(loc), ""))
	if IsRegion(folded) {
		return []string{folded}
	}
	type cand struct {
		name string
		d    int
	}
	var cands []cand
	for _, r := range Regions {
		d := editDistance(folded, r)
		// A prefix ("japan", "westus") is a fine hint however many letters it lacks.
		if folded != "" && strings.HasPrefix(r, folded) {
			d = min(d, 1)
		}
		if d <= max(2, len(folded)/3) {
			cands = append(cands, cand{r, d})
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].d != cands[j].d {
			return cands[i].d < cands[j].d
		}
		return cands[i].name < cands[j].name
	})
	var out []string
	for _, c := range cands[:min(n, len(cands))] {
		out = append(out, c.name)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b (ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
