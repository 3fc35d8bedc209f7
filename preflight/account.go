package preflight

// This file owns the account checks: who is signed in, which subscription the stack goes to and
// whether the caller may do what the program does there (create resources, and grant roles:
// AcrPull to the kubelet identity, Network Contributor to the cluster identity).

import (
	"context"
	"fmt"
	"strings"
)

// account is what the later checks need from the account checks.
type account struct {
	caller Caller
	sub    Subscription
	// group is the stack's resource group; groupExists says whether Azure has it yet (false too
	// when the question could not be answered).
	group       string
	groupExists bool
	groupErr    error
}

// signInFix is how to sign in, for people and for CI.
const signInFix = "run `az login` (and `az account set --subscription <id>`), or set ARM_CLIENT_ID and ARM_TENANT_ID with ARM_CLIENT_SECRET or ARM_USE_OIDC=true as CI does"

// checkAccount signs in and reads the subscription. It returns nil when nothing else can be
// asked: not signed in, or no subscription to ask about.
func checkAccount(ctx context.Context, az Azure) (*account, []Result) {
	caller, err := az.Caller(ctx)
	if err != nil {
		return nil, []Result{{Status: Fail, Check: "signed in", Asked: "an access token for Azure Resource Manager",
			Answer: "no credential gave a token: " + oneLine(err.Error()), Fix: signInFix}}
	}
	who := caller.Name
	if who == "" {
		who = "object " + caller.ObjectID
	}
	asked := "GET /subscriptions/" + az.SubscriptionID()
	sub, err := az.Subscription(ctx)
	if err != nil {
		return nil, []Result{{Status: Fail, Check: "subscription", Asked: asked,
			Answer: fmt.Sprintf("%s cannot read subscription %s: %s", who, az.SubscriptionID(), azureError(err)),
			Fix:    "use a subscription you have a role on: `az account list -o table`, then `az account set --subscription <id>` or ARM_SUBSCRIPTION_ID=<id>"}}
	}
	results := []Result{{Status: OK, Check: "signed in", Asked: "an access token for Azure Resource Manager", Answer: "signed in as " + who}}
	r := Result{Status: OK, Check: "subscription", Asked: asked,
		Answer: fmt.Sprintf("%q (%s), %s, offer %s", sub.Name, sub.ID, sub.State, sub.QuotaID)}
	switch sub.State {
	case "Enabled":
	case "Warned", "PastDue":
		r.Status = Warn
		r.Fix = "settle the subscription's billing in the Azure portal (Cost Management + Billing) before it is disabled"
	default:
		r.Status = Fail
		r.Fix = "a " + sub.State + " subscription takes no new resources: reactivate it in the Azure portal or choose another with `az account set --subscription <id>`"
	}
	return &account{caller: caller, sub: sub}, append(results, r)
}

// oneLine folds a multi-line error (azidentity's list every credential they tried, with why each
// failed) into one line, without the links to troubleshooting guides.
func oneLine(s string) string {
	var parts []string
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasSuffix(l, ":") || strings.HasPrefix(l, "To troubleshoot") || strings.HasPrefix(l, "-") {
			continue
		}
		parts = append(parts, strings.TrimSuffix(l, "."))
	}
	return strings.Join(parts, "; ")
}

// Actions the program needs: create the resource group and resources in it (Contributor's
// "*"), and create role assignments (Owner, User Access Administrator or Role Based Access
// Control Administrator).
const (
	actionGroupWrite      = "Microsoft.Resources/subscriptions/resourceGroups/write"
	actionRoleAssignWrite = "Microsoft.Authorization/roleAssignments/write"
)

// checkRoleAssignments reads the caller's effective permissions at the resource group (or the
// subscription, before the group exists) and asks whether they allow what the program does.
// It also finds out whether the resource group exists, for the later checks.
func checkRoleAssignments(ctx context.Context, az Azure, s Stack, acct *account) []Result {
	acct.group = s.Config.Names().ResourceGroup()
	acct.groupExists, acct.groupErr = az.ResourceGroupExists(ctx, acct.group)
	scope := "/subscriptions/" + az.SubscriptionID()
	if acct.groupExists {
		scope += "/resourceGroups/" + acct.group
	}
	asked := "GET " + scope + "/providers/Microsoft.Authorization/permissions"
	perms, err := az.Permissions(ctx, scope)
	if err != nil {
		return []Result{{Status: Warn, Check: "permissions", Asked: asked,
			Answer: "could not read the caller's permissions (" + azureError(err) + "), so whether it may create resources and role assignments is not known",
			Fix:    "ask the subscription's owner to confirm you have Contributor and Role Based Access Control Administrator (or Owner) on " + scope}}
	}
	assignee := acct.caller.ObjectID
	if assignee == "" {
		assignee = "<your object id>"
	}
	var results []Result
	create := Result{Status: OK, Check: "permission to create resources", Asked: asked,
		Answer: "the caller's roles allow " + actionGroupWrite + " and writes in the group"}
	if !allowed(perms, actionGroupWrite) {
		create.Status = Fail
		create.Answer = "the caller's roles do not allow " + actionGroupWrite + ": the program creates " + acct.group + " and everything in it"
		create.Fix = fmt.Sprintf("az role assignment create --assignee %s --role Contributor --scope /subscriptions/%s", assignee, az.SubscriptionID())
	}
	grant := Result{Status: OK, Check: "permission to create role assignments", Asked: asked,
		Answer: "the caller's roles allow " + actionRoleAssignWrite + " (the program grants AcrPull and Network Contributor)"}
	if !allowed(perms, actionRoleAssignWrite) {
		grant.Status = Fail
		grant.Answer = "the caller's roles do not allow " + actionRoleAssignWrite + ": the program grants AcrPull to the kubelet identity and Network Contributor to the cluster identity, which needs Owner, User Access Administrator or Role Based Access Control Administrator"
		grant.Fix = fmt.Sprintf("az role assignment create --assignee %s --role \"Role Based Access Control Administrator\" --scope %s", assignee, scope)
	}
	return append(results, create, grant)
}

// allowed evaluates Azure RBAC: an action is allowed when one permission (one role) has an
// action that matches it and no notAction of that same role matches it. Matching ignores case
// and takes * as any run of characters.
func allowed(perms []Permission, action string) bool {
	for _, p := range perms {
		granted := false
		for _, a := range p.Actions {
			if wildcard(a, action) {
				granted = true
				break
			}
		}
		if !granted {
			continue
		}
		excluded := false
		for _, n := range p.NotActions {
			if wildcard(n, action) {
				excluded = true
				break
			}
		}
		if !excluded {
			return true
		}
	}
	return false
}

// wildcard matches s against pattern, where * stands for any run of characters; case is
// ignored, as Azure ignores it in operation names.
func wildcard(pattern, s string) bool {
	pattern, s = strings.ToLower(pattern), strings.ToLower(s)
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for i, part := range parts[1:] {
		if i == len(parts)-2 {
			return strings.HasSuffix(s, part)
		}
		idx := strings.Index(s, part)
		if idx < 0 {
			return false
		}
		s = s[idx+len(part):]
	}
	return true
}
