package preflight

// This file owns the Kubernetes version check: the region must offer kubernetesVersion as a
// generally available version under AKS's standard support (the program's tiers, Free and
// Standard, have no long-term support, which needs the Premium tier).

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

const planOfficial = "KubernetesOfficial"

// checkKubernetesVersion asks which versions AKS offers in the stack's region.
func checkKubernetesVersion(ctx context.Context, az Azure, s Stack) []Result {
	want := s.Config.KubernetesVersion
	loc := s.Config.Location
	r := Result{Status: OK, Check: "kubernetesVersion " + want,
		Asked: fmt.Sprintf("GET /subscriptions/%s/providers/Microsoft.ContainerService/locations/%s/kubernetesVersions", az.SubscriptionID(), loc)}
	versions, err := az.KubernetesVersions(ctx, loc)
	if err != nil {
		r.Status, r.Answer = Warn, "could not list the Kubernetes versions ("+azureError(err)+")"
		r.Fix = "check yourself: az aks get-versions --location " + loc + " -o table"
		return []Result{r}
	}
	minor := want
	if parts := strings.Split(want, "."); len(parts) == 3 {
		minor = parts[0] + "." + parts[1]
	}
	var ga []string
	var found *KubernetesVersion
	for i, v := range versions {
		if !v.Preview && slices.Contains(v.SupportPlans, planOfficial) {
			ga = append(ga, v.Version)
		}
		if v.Version == minor {
			found = &versions[i]
		}
	}
	sortVersions(ga)
	offered := "offered: " + strings.Join(ga, ", ")
	fix := func() string {
		if len(ga) == 0 {
			return "choose another location: this region offers no generally available version"
		}
		return fmt.Sprintf("set kubernetesVersion to %q (generally available in %s)", ga[len(ga)-1], loc)
	}
	switch {
	case found == nil:
		r.Status, r.Answer, r.Fix = Fail, fmt.Sprintf("%s does not offer %s; %s", loc, minor, offered), fix()
	case found.Preview:
		r.Status, r.Answer, r.Fix = Fail, fmt.Sprintf("%s is a preview in %s; %s", minor, loc, offered), fix()
	case !slices.Contains(found.SupportPlans, planOfficial):
		r.Status = Fail
		r.Answer = fmt.Sprintf("%s is offered in %s only with long-term support (%s), which needs the Premium tier; %s", minor, loc, strings.Join(found.SupportPlans, ", "), offered)
		r.Fix = fix()
	case minor != want && !slices.Contains(found.Patches, want):
		patches := slices.Clone(found.Patches)
		sortVersions(patches)
		r.Status = Fail
		r.Answer = fmt.Sprintf("%s offers %s patches %s, not %s", loc, minor, strings.Join(patches, ", "), want)
		r.Fix = fmt.Sprintf("set kubernetesVersion to %q (upgradeChannel patch then keeps it on the newest patch)", minor)
	default:
		r.Answer = fmt.Sprintf("%s offers %s, generally available; %s", loc, want, offered)
	}
	return []Result{r}
}

// sortVersions orders dotted versions numerically (1.9 before 1.10).
func sortVersions(vs []string) {
	sort.Slice(vs, func(i, j int) bool {
		a, b := strings.Split(vs[i], "."), strings.Split(vs[j], ".")
		for k := 0; k < len(a) && k < len(b); k++ {
			x, _ := strconv.Atoi(a[k])
			y, _ := strconv.Atoi(b[k])
			if x != y {
				return x < y
			}
		}
		return len(a) < len(b)
	})
}
