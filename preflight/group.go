package preflight

// This file owns the resource group checks: a lock or a policy assignment that would refuse what
// the program does. Locks are read on the group when it exists; policy assignments on the group
// (inherited ones included) or, before the group exists, on the subscription.

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strings"
)

// ownLockPrefix starts the names of the delete locks the program puts on its data
// (infra/locks.go): they are expected.
const ownLockPrefix = "do-not-delete-"

// checkLocks reads the locks of the stack's resource group and of the resources in it.
func checkLocks(ctx context.Context, az Azure, s Stack, acct *account) []Result {
	r := Result{Status: OK, Check: "locks on resource group " + acct.group}
	r.Asked = fmt.Sprintf("GET /subscriptions/%s/resourceGroups/%s/providers/Microsoft.Authorization/locks", az.SubscriptionID(), acct.group)
	if acct.groupErr != nil {
		r.Status, r.Asked = Warn, fmt.Sprintf("HEAD /subscriptions/%s/resourcegroups/%s", az.SubscriptionID(), acct.group)
		r.Answer = "could not tell whether the resource group exists (" + azureError(acct.groupErr) + "), so its locks are not read"
		r.Fix = "az lock list --resource-group " + acct.group + " -o table"
		return []Result{r}
	}
	if !acct.groupExists {
		r.Asked = fmt.Sprintf("HEAD /subscriptions/%s/resourcegroups/%s", az.SubscriptionID(), acct.group)
		r.Answer = "the group does not exist yet: pulumi up creates it, with no lock on it"
		return []Result{r}
	}
	locks, err := az.Locks(ctx, acct.group)
	if err != nil {
		r.Status = Warn
		r.Answer = "could not read the locks (" + azureError(err) + ")"
		r.Fix = "az lock list --resource-group " + acct.group + " -o table"
		return []Result{r}
	}
	var own, readOnly, noDelete []string
	for _, l := range locks {
		switch {
		case strings.HasPrefix(l.Name, ownLockPrefix) && l.Level == "CanNotDelete":
			own = append(own, l.Name)
		case l.Level == "ReadOnly":
			readOnly = append(readOnly, l.Name)
		default:
			noDelete = append(noDelete, l.Name)
		}
	}
	r.Answer = fmt.Sprintf("%d locks: %d of them the program's own delete locks on its data (%s)", len(locks), len(own), orNone(own))
	switch {
	case len(readOnly) > 0:
		r.Status = Fail
		r.Answer = "ReadOnly lock " + strings.Join(readOnly, ", ") + " refuses every change in the group, pulumi up's included"
		r.Fix = fmt.Sprintf("remove it if you may: az lock delete --name %s --resource-group %s", readOnly[0], acct.group)
	case len(noDelete) > 0:
		r.Status = Warn
		r.Answer = "CanNotDelete lock " + strings.Join(noDelete, ", ") + " (not the program's) refuses deletes: a change that replaces a resource fails"
		r.Fix = fmt.Sprintf("if a preview shows a replacement, remove it first: az lock delete --name %s --resource-group %s", noDelete[0], acct.group)
	}
	return []Result{r}
}

// Built-in policy definitions whose parameters say what they refuse (learn.microsoft.com, "Azure
// Policy built-in policy definitions").
const (
	policyAllowedLocations     = "e56962a6-4747-49cd-b67b-bf8b01975c4c"
	policyAllowedVMSKUs        = "cccc23c7-8427-4f53-ad12-b6a63eb452b3"
	policyNotAllowedTypes      = "6c112d4e-5bc7-47ae-a041-ea2d9dccd749"
	policyAllowedResourceTypes = "a08ec900-254a-4555-9bf5-e42af04b5c5c"
)

// checkPolicies reads the policy assignments that apply to the group and judges the built-ins
// that refuse locations, VM sizes and resource types against the stack.
func checkPolicies(ctx context.Context, az Azure, s Stack, acct *account) []Result {
	scope := "/subscriptions/" + az.SubscriptionID()
	group := ""
	if acct.groupExists {
		group = acct.group
		scope += "/resourceGroups/" + acct.group
	}
	r := Result{Status: OK, Check: "policy assignments", Asked: "GET " + scope + "/providers/Microsoft.Authorization/policyAssignments?$filter=atScope()"}
	assignments, err := az.PolicyAssignments(ctx, group)
	if err != nil {
		r.Status = Warn
		r.Answer = "could not read the policy assignments (" + azureError(err) + "), so a policy that denies what the stack creates is not known"
		r.Fix = "az policy assignment list --scope " + scope + " --disable-scope-strict-match -o table"
		return []Result{r}
	}
	types, untyped := armTypes(s)
	var sizes []string
	for _, u := range sizeUses(s.Config) {
		if !slices.Contains(sizes, u.Size) {
			sizes = append(sizes, u.Size)
		}
	}
	var results []Result
	var other, denying []string
	for _, a := range assignments {
		name := a.DisplayName
		if name == "" {
			name = a.Name
		}
		if strings.EqualFold(a.EnforcementMode, "DoNotEnforce") {
			continue
		}
		def := strings.ToLower(path.Base(a.DefinitionID))
		isBuiltIn := strings.HasPrefix(strings.ToLower(a.DefinitionID), "/providers/microsoft.authorization/policydefinitions/")
		check := func(param string, bad func(list []string) []string, what, fix, allowedAll string) {
			list := stringList(a.Parameters[param])
			res := Result{Status: OK, Check: "policy " + name, Asked: r.Asked}
			if hit := bad(list); len(hit) > 0 {
				res.Status = Fail
				res.Answer = fmt.Sprintf("it denies %s: %s", what, strings.Join(hit, ", "))
				res.Fix = fix + fmt.Sprintf(" (%s: %s)", param, orNone(list))
			} else if what == "resource types" && len(untyped) > 0 {
				// A type the preflight cannot name in ARM's terms could be the one refused.
				res.Status = Warn
				res.Answer = "it limits resource types, and the preflight does not know the ARM type of " + strings.Join(untyped, ", ")
				res.Fix = "add them to stackARMTypes in preflight/names.go, and read the policy's parameters: az policy assignment show --name " + a.Name + " --scope " + scope
			} else {
				res.Answer = allowedAll
			}
			results = append(results, res)
		}
		switch {
		case isBuiltIn && def == policyAllowedLocations:
			check("listOfAllowedLocations", func(l []string) []string { return missingFrom(l, []string{s.Config.Location}) },
				"the location", "set location to an allowed one, or ask for an exemption", "it allows "+s.Config.Location)
		case isBuiltIn && def == policyAllowedVMSKUs:
			check("listOfAllowedSKUs", func(l []string) []string { return missingFrom(l, sizes) },
				"VM sizes", "set nodePools.*.vmSize and nfs.vmSize to allowed sizes, or ask for an exemption", "it allows every VM size of the stack: "+strings.Join(sizes, ", "))
		case isBuiltIn && def == policyNotAllowedTypes:
			check("listOfResourceTypesNotAllowed", func(l []string) []string { return presentIn(l, types) },
				"resource types", "ask for an exemption for the resource group", "it denies none of the stack's resource types")
		case isBuiltIn && def == policyAllowedResourceTypes:
			check("listOfResourceTypesAllowed", func(l []string) []string { return missingFrom(l, types) },
				"resource types", "ask for an exemption for the resource group", "it allows every resource type of the stack")
		case strings.Contains(strings.ToLower(a.DefinitionID), "/policysetdefinitions/"):
			other = append(other, name+" (an initiative)")
		default:
			switch effect, err := policyEffect(ctx, az, a); {
			case err != nil:
				other = append(other, fmt.Sprintf("%s (its definition: %s)", name, azureError(err)))
			case effect == "deny" || effect == "denyaction":
				denying = append(denying, name)
			}
			// Audit, AuditIfNotExists, DeployIfNotExists, Modify, Append and Disabled refuse
			// nothing.
		}
	}
	r.Answer = plural(len(assignments), "assignment") + " at or above this scope"
	if len(denying)+len(other) > 0 {
		r.Status = Warn
		var parts []string
		if len(denying) > 0 {
			parts = append(parts, "with the Deny effect, on rules the preflight does not evaluate: "+strings.Join(denying, ", "))
		}
		if len(other) > 0 {
			parts = append(parts, "not judged: "+strings.Join(other, ", "))
		}
		r.Answer += "; " + strings.Join(parts, "; ")
		r.Fix = "read whether any of them denies what the stack creates: az policy assignment list --scope " + scope + " --disable-scope-strict-match -o table"
	}
	return append([]Result{r}, results...)
}

// stringList reads a policy parameter's list value.
func stringList(v any) []string {
	items, _ := v.([]any)
	var out []string
	for _, it := range items {
		if s, ok := it.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// missingFrom lists the wanted values the allowed list lacks (case-insensitive).
func missingFrom(allowed, wanted []string) []string {
	var out []string
	for _, w := range wanted {
		if !slices.ContainsFunc(allowed, func(a string) bool { return strings.EqualFold(a, w) }) {
			out = append(out, w)
		}
	}
	return out
}

// presentIn lists the wanted values the denied list has (case-insensitive).
func presentIn(denied, wanted []string) []string {
	var out []string
	for _, w := range wanted {
		if slices.ContainsFunc(denied, func(d string) bool { return strings.EqualFold(d, w) }) {
			out = append(out, w)
		}
	}
	return out
}

// policyEffect is the effect an assignment's policy has, in lower case: the definition's, or the
// parameter it names, from the assignment or the definition's default.
func policyEffect(ctx context.Context, az Azure, a PolicyAssignment) (string, error) {
	def, err := az.PolicyDefinition(ctx, a.DefinitionID)
	if err != nil {
		return "", err
	}
	effect := def.Effect
	if name, ok := strings.CutPrefix(effect, "[parameters('"); ok {
		name, _, _ = strings.Cut(name, "'")
		v, set := a.Parameters[name]
		if !set {
			v = def.Defaults[name]
		}
		effect, _ = v.(string)
	}
	return strings.ToLower(effect), nil
}
