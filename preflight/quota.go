package preflight

// This file owns the vCPU quota check: per VM family and for all regional vCPUs, what the stack
// may run at once (every pool at its maximum plus one upgrade surge node, and the NFS VM) must
// fit in what the quota leaves.

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// totalQuota is the usage name of all regional vCPUs.
const totalQuota = "cores"

// checkQuota compares the stack's vCPUs per family with the region's usage and limits.
func checkQuota(ctx context.Context, az Azure, s Stack, acct *account) []Result {
	loc := s.Config.Location
	asked := fmt.Sprintf("GET /subscriptions/%s/providers/Microsoft.Compute/locations/%s/usages", az.SubscriptionID(), loc)
	skus, err := az.VMSKUs(ctx, loc)
	if err != nil {
		return []Result{{Status: Warn, Check: "vcpu quota", Asked: asked,
			Answer: "could not list the region's VM sizes for their families and vCPUs (" + azureError(err) + ")",
			Fix:    "check yourself: az vm list-usage --location " + loc + " -o table"}}
	}
	usages, err := az.Usages(ctx, loc)
	if err != nil {
		return []Result{{Status: Warn, Check: "vcpu quota", Asked: asked,
			Answer: "could not read the region's compute usage (" + azureError(err) + ")",
			Fix:    "check yourself: az vm list-usage --location " + loc + " -o table"}}
	}
	need := map[string]int64{}
	what := map[string][]string{}
	var total int64
	var unknown []string
	for _, u := range sizeUses(s.Config) {
		sku := findSKU(skus, u.Size)
		if sku == nil || sku.Family == "" || sku.VCPUs == 0 {
			unknown = append(unknown, u.Size)
			continue
		}
		n := int64(u.VMs * sku.VCPUs)
		need[sku.Family] += n
		what[sku.Family] = append(what[sku.Family], fmt.Sprintf("%s x %d = %d", u.What, sku.VCPUs, n))
		total += n
	}
	byName := map[string]Usage{}
	for _, u := range usages {
		byName[strings.ToLower(u.Name)] = u
	}
	families := make([]string, 0, len(need))
	for f := range need {
		families = append(families, f)
	}
	sort.Strings(families)
	var results []Result
	line := func(name, label string, needed int64, detail string) {
		r := Result{Status: OK, Check: "vcpu quota " + label, Asked: asked}
		u, ok := byName[strings.ToLower(name)]
		if !ok {
			r.Status, r.Answer = Warn, fmt.Sprintf("no usage entry %q in %s, so the quota of %d vCPUs needed (%s) is not known", name, loc, needed, detail)
			r.Fix = "check yourself: az vm list-usage --location " + loc + " -o table"
			results = append(results, r)
			return
		}
		r.Answer = fmt.Sprintf("used %d / needed %d / limit %d (%s)", u.Current, needed, u.Limit, detail)
		free := u.Limit - u.Current
		fix := fmt.Sprintf("raise %s (%s) in %s to at least %d: az quota update --resource-name %s --scope /subscriptions/%s/providers/Microsoft.Compute/locations/%s --limit-object value=%d --resource-type dedicated (or Quotas in the Azure portal); or lower the node counts",
			name, u.LocalName, loc, u.Current+needed, name, az.SubscriptionID(), loc, u.Current+needed)
		switch {
		case needed > u.Limit:
			r.Status, r.Fix = Fail, fix
		case needed > free && acct.groupExists:
			// The stack's own running VMs are part of the used count: only some of this is new.
			r.Status, r.Fix = Warn, "the stack exists already and its own VMs count in used: if the new total exceeds the limit, "+fix
		case needed > free:
			r.Status, r.Fix = Fail, fix
		}
		results = append(results, r)
	}
	for _, f := range families {
		line(f, f, need[f], strings.Join(what[f], "; "))
	}
	if len(families) > 0 {
		line(totalQuota, "total regional", total, "all families")
	}
	if len(unknown) > 0 {
		results = append(results, Result{Status: Warn, Check: "vcpu quota of unknown sizes", Asked: asked,
			Answer: "the region lists no family or vCPU count for " + strings.Join(unknown, ", ") + " (see the vm size lines)"})
	}
	return results
}
