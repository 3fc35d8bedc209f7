package preflight

// This file owns the VM size check: every size of the stack (the node pools and the NFS VM) must
// be offered in the region and in the zones the stack pins, and not restricted for this
// subscription (newer subscriptions are refused older sizes such as Standard_B2s and
// Standard_F2s_v2 with NotAvailableForSubscription).

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/example/wordpress-aks/config"
)

// sizeUse is one place the stack uses a VM size.
type sizeUse struct {
	// Key is the config key of the size ("nodePools.user.vmSize").
	Key   string
	Size  string
	Zones []string
	// VMs is how many VMs of the size the stack may run at once: a pool's nodes at their
	// maximum (the autoscaler's when it is on) plus the one surge node of an upgrade.
	VMs int
	// What says where the count comes from, for the quota line.
	What string
	// EphemeralGB is the ephemeral OS disk a replacement size must hold (0: managed disk).
	EphemeralGB int
}

// sizeUses lists the stack's VM sizes in the order of the config.
func sizeUses(c config.Config) []sizeUse {
	var out []sizeUse
	for _, pr := range c.Pools() {
		p := pr.Pool()
		nodes, countKey := p.Count, pr.Key+".count"
		if p.MinCount != 0 || p.MaxCount != 0 {
			nodes, countKey = p.MaxCount, pr.Key+".maxCount"
		}
		u := sizeUse{Key: pr.Key + ".vmSize", Size: p.VMSize, Zones: p.Zones, VMs: nodes + 1,
			What: fmt.Sprintf("%s: %s (%s) + 1 upgrade surge", pr.Key, plural(nodes, "node"), countKey)}
		if p.OSDiskType == "Ephemeral" {
			u.EphemeralGB = p.OSDiskSizeGB
		}
		out = append(out, u)
	}
	var zones []string
	if c.NFS.Zone != "" {
		zones = []string{c.NFS.Zone}
	}
	out = append(out, sizeUse{Key: "nfs.vmSize", Size: c.NFS.VMSize, Zones: zones, VMs: 1, What: "nfs: 1 VM"})
	return out
}

// findSKU returns the region's SKU of a size name (case-insensitive), or nil.
func findSKU(skus []VMSKU, name string) *VMSKU {
	for i := range skus {
		if strings.EqualFold(skus[i].Name, name) {
			return &skus[i]
		}
	}
	return nil
}

// blocked says why a SKU cannot be used in zones (none: the region), or "".
func blocked(sku VMSKU, zones []string) string {
	for _, r := range sku.Restrictions {
		switch r.Type {
		case "Location":
			return fmt.Sprintf("restricted for this subscription in the region (%s)", r.Reason)
		case "Zone":
			var hit []string
			for _, z := range zones {
				if slices.Contains(r.Zones, z) {
					hit = append(hit, z)
				}
			}
			if len(hit) > 0 {
				return fmt.Sprintf("restricted for this subscription in zone %s (%s)", strings.Join(hit, ", "), r.Reason)
			}
		}
	}
	var missing []string
	for _, z := range zones {
		if !slices.Contains(sku.Zones, z) {
			missing = append(missing, z)
		}
	}
	if len(missing) > 0 {
		return fmt.Sprintf("not offered in zone %s (zones offered: %s)", strings.Join(missing, ", "), orNone(sku.Zones))
	}
	return ""
}

// plural is "1 node", "2 nodes".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}

// replacement picks a size this subscription may use in the zones of u, at least as large as the
// one it replaces (vCPUs and memory) and, for an ephemeral OS disk, with a cache or temp disk
// that holds it, among the sizes config's capacity check knows, so the offline plan still
// passes. The smallest wins; "" when none fits.
func replacement(skus []VMSKU, u sizeUse) string {
	orig, zones := u.Size, u.Zones
	var minCPU int
	var minMem float64
	if o := findSKU(skus, orig); o != nil {
		minCPU, minMem = o.VCPUs, o.MemoryGB
	}
	var cands []VMSKU
	for _, s := range skus {
		if strings.EqualFold(s.Name, orig) || s.VCPUs < minCPU || s.MemoryGB < minMem || blocked(s, zones) != "" {
			continue
		}
		if _, _, known := config.NodeAllocatable(s.Name); !known {
			continue
		}
		if maxGB, _ := config.EphemeralOSDiskMaxGB(s.Name); u.EphemeralGB > maxGB {
			continue
		}
		cands = append(cands, s)
	}
	if len(cands) == 0 {
		return ""
	}
	sort.Slice(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.VCPUs != b.VCPUs {
			return a.VCPUs < b.VCPUs
		}
		if a.MemoryGB != b.MemoryGB {
			return a.MemoryGB < b.MemoryGB
		}
		return a.Name < b.Name
	})
	return cands[0].Name
}

// checkVMSizes asks for the region's VM sizes and this subscription's restrictions on them.
func checkVMSizes(ctx context.Context, az Azure, s Stack) []Result {
	loc := s.Config.Location
	asked := fmt.Sprintf("GET /subscriptions/%s/providers/Microsoft.Compute/skus?$filter=location eq '%s'", az.SubscriptionID(), loc)
	skus, err := az.VMSKUs(ctx, loc)
	if err != nil {
		return []Result{{Status: Warn, Check: "vm sizes", Asked: asked,
			Answer: "could not list the region's VM sizes (" + azureError(err) + ")",
			Fix:    "check yourself: az vm list-skus --location " + loc + " --resource-type virtualMachines -o table"}}
	}
	var results []Result
	for _, u := range sizeUses(s.Config) {
		where := loc
		if len(u.Zones) > 0 {
			where += " zone " + strings.Join(u.Zones, ", ")
		}
		r := Result{Status: OK, Check: fmt.Sprintf("vm size %s %s", u.Key, u.Size), Asked: asked}
		sku := findSKU(skus, u.Size)
		why := ""
		if sku == nil {
			why = "not offered in " + loc
		} else {
			why = blocked(*sku, u.Zones)
		}
		if why == "" {
			r.Answer = fmt.Sprintf("offered in %s, not restricted (%s, %g GiB, %s)", where, plural(sku.VCPUs, "vCPU"), sku.MemoryGB, sku.Family)
			results = append(results, r)
			continue
		}
		r.Status = Fail
		r.Answer = u.Size + ": " + why
		if alt := replacement(skus, u); alt != "" {
			r.Fix = fmt.Sprintf("set %s to %s (offered in %s and not restricted for this subscription), then run make plan to check the pods still fit", u.Key, alt, where)
		} else {
			r.Fix = fmt.Sprintf("choose another %s: az vm list-skus --location %s --size Standard_ --all --output table lists each size's restrictions", u.Key, loc)
		}
		results = append(results, r)
	}
	return results
}
