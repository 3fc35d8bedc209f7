package preflight

// This file owns the resource provider check: every Azure namespace the plan creates resources
// in must be registered in the subscription, or the first create there fails with
// MissingSubscriptionRegistration.

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// namespaces maps an azure-native module to the resource provider namespace of its resources.
var namespaces = map[string]string{
	"alertsmanagement":    "Microsoft.AlertsManagement",
	"authorization":       "Microsoft.Authorization",
	"compute":             "Microsoft.Compute",
	"consumption":         "Microsoft.Consumption",
	"containerregistry":   "Microsoft.ContainerRegistry",
	"containerservice":    "Microsoft.ContainerService",
	"dbformysql":          "Microsoft.DBforMySQL",
	"insights":            "Microsoft.Insights",
	"logic":               "Microsoft.Logic",
	"managedidentity":     "Microsoft.ManagedIdentity",
	"network":             "Microsoft.Network",
	"operationalinsights": "Microsoft.OperationalInsights",
	"recoveryservices":    "Microsoft.RecoveryServices",
	"storage":             "Microsoft.Storage",
}

// requiredNamespaces lists the namespaces of the plan's azure-native resources, and the
// azure-native modules it does not know a namespace for. Microsoft.Resources is always
// registered and is left out.
func requiredNamespaces(s Stack) (need, unknown []string) {
	seen := map[string]bool{}
	for _, t := range s.Types {
		parts := strings.Split(unversioned(t), ":")
		if len(parts) != 3 || parts[0] != "azure-native" || parts[1] == "resources" || seen[parts[1]] {
			continue
		}
		seen[parts[1]] = true
		if ns, ok := namespaces[parts[1]]; ok {
			need = append(need, ns)
		} else {
			unknown = append(unknown, parts[1])
		}
	}
	sort.Strings(need)
	sort.Strings(unknown)
	return need, unknown
}

// checkProviders asks for the registration state of every provider the plan uses.
func checkProviders(ctx context.Context, az Azure, s Stack) []Result {
	need, unknown := requiredNamespaces(s)
	asked := "GET /subscriptions/" + az.SubscriptionID() + "/providers"
	provs, err := az.Providers(ctx)
	if err != nil {
		return []Result{{Status: Warn, Check: "resource providers", Asked: asked,
			Answer: "could not list the resource providers (" + azureError(err) + ")",
			Fix:    "check them yourself: az provider list --query \"[].{ns:namespace,state:registrationState}\" -o table"}}
	}
	state := map[string]string{}
	for _, p := range provs {
		state[strings.ToLower(p.Namespace)] = p.State
	}
	var results []Result
	for _, ns := range need {
		st, ok := state[strings.ToLower(ns)]
		r := Result{Status: OK, Check: "resource provider " + ns, Asked: asked, Answer: st}
		switch {
		case !ok:
			r.Status, r.Answer = Fail, "not in the subscription's provider list"
			r.Fix = fmt.Sprintf("az provider register --namespace %s --wait", ns)
		case st == "Registered":
		case st == "Registering":
			r.Status = Warn
			r.Answer = "Registering: not done yet"
			r.Fix = fmt.Sprintf("wait for it: az provider register --namespace %s --wait", ns)
		default:
			r.Status = Fail
			r.Fix = fmt.Sprintf("az provider register --namespace %s --wait", ns)
		}
		results = append(results, r)
	}
	if len(unknown) > 0 {
		results = append(results, Result{Status: Warn, Check: "resource providers of other modules", Asked: asked,
			Answer: "the plan uses azure-native modules whose namespace the preflight does not know: " + strings.Join(unknown, ", "),
			Fix:    "add them to namespaces in preflight/providers.go"})
	}
	return results
}
