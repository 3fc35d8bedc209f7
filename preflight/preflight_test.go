package preflight

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/example/wordpress-aks/config"
	"github.com/example/wordpress-aks/plan"
)

var (
	stacksOnce sync.Once
	stacks     map[string]Stack
	stacksErr  error
)

// testStack plans the repository's stack file offline (as make preflight does) and returns a
// copy of it.
func testStack(t *testing.T, name string) Stack {
	t.Helper()
	stacksOnce.Do(func() {
		stacks = map[string]Stack{}
		for _, n := range []string{"dev", "prod"} {
			p, err := plan.Run(n, plan.Options{})
			if err != nil {
				stacksErr = err
				return
			}
			stacks[n] = StackFromPlan(p)
		}
	})
	if stacksErr != nil {
		t.Fatalf("plan: %v", stacksErr)
	}
	s := stacks[name]
	s.Types = append([]string(nil), s.Types...)
	return s
}

// want is one result line a case expects: the first line whose check starts with check.
type want struct {
	check  string
	status Status
	// contains must each be in the answer or the fix.
	contains []string
}

func TestRun(t *testing.T) {
	const rgExists = "HEAD /subscriptions/{sub}/resourcegroups/{rg} 204 -"
	tests := []struct {
		name   string
		stack  string
		mutate func(*config.Config)
		// extraTypes are resource types added to the plan's.
		extraTypes []string
		overlay    []string
		cred       error
		// allOK says every line must be ok; otherwise failed is what Failed must say.
		allOK  bool
		failed bool
		wants  []want
		// notWants must be in no line.
		notWants []string
	}{
		{name: "healthy subscription, dev", stack: "dev", allOK: true},
		{name: "healthy subscription, prod", stack: "prod", allOK: true},
		{
			name: "not signed in", stack: "dev", cred: errors.New("AzureCLICredential: please run 'az login' to set up an account"),
			failed: true,
			wants:  []want{{"signed in", Fail, []string{"az login", "please run 'az login'"}}},
		},
		{
			name: "B2s NotAvailableForSubscription", stack: "dev", failed: true,
			overlay: []string{"GET /subscriptions/{sub}/providers/Microsoft.Compute/skus 200 skus-b2s-not-available.json"},
			wants: []want{
				{"vm size nodePools.user.vmSize Standard_B2s", Fail, []string{"NotAvailableForSubscription", "set nodePools.user.vmSize to Standard_B2ls_v2"}},
				{"vm size nodePools.admin.vmSize Standard_F2s_v2", OK, nil},
				{"vm size nfs.vmSize Standard_B1ms", OK, nil},
			},
		},
		{
			// The admin pool's OS disk is ephemeral (30 GB in F2s_v2's cache): the replacement
			// must hold it, which B2ls_v2 and D2s_v5 (no cache, no temp disk) do not.
			name: "F2s_v2 NotAvailableForSubscription, ephemeral OS disk", stack: "dev", failed: true,
			overlay: []string{"GET /subscriptions/{sub}/providers/Microsoft.Compute/skus 200 skus-f2s-v2-not-available.json"},
			wants: []want{
				{"vm size nodePools.admin.vmSize Standard_F2s_v2", Fail, []string{"NotAvailableForSubscription", "set nodePools.admin.vmSize to Standard_D2ds_v5"}},
			},
		},
		{
			name: "zone a size is not offered in", stack: "dev", failed: true,
			mutate: func(c *config.Config) { c.NodePools.User.Zones = []string{"4"} },
			wants:  []want{{"vm size nodePools.user.vmSize", Fail, []string{"not offered in zone 4", "zones offered: 1, 2, 3"}}},
		},
		{
			name: "quota exactly enough", stack: "prod", allOK: true,
			wants: []want{
				{"vcpu quota standardBSFamily", OK, []string{"used 3 / needed 7 / limit 10"}},
				{"vcpu quota total regional", OK, []string{"used 7 / needed 13 / limit 20"}},
			},
		},
		{
			name: "quota one core short", stack: "prod", failed: true,
			overlay: []string{"GET /subscriptions/{sub}/providers/Microsoft.Compute/locations/japaneast/usages 200 usages-bs-one-short.json"},
			wants: []want{
				{"vcpu quota standardBSFamily", Fail, []string{"used 3 / needed 7 / limit 9", "at least 10", "value=10"}},
				{"vcpu quota standardFSv2Family", OK, []string{"used 2 / needed 6 / limit 10"}},
				{"vcpu quota total regional", OK, []string{"used 7 / needed 13 / limit 20"}},
			},
		},
		{
			name: "quota short on a stack that exists: warn", stack: "prod",
			overlay: []string{rgExists, "GET /subscriptions/{sub}/providers/Microsoft.Compute/locations/japaneast/usages 200 usages-bs-one-short.json"},
			wants:   []want{{"vcpu quota standardBSFamily", Warn, []string{"its own VMs count in used"}}},
		},
		{
			name: "autoscaler maximum counts", stack: "dev", failed: true,
			mutate: func(c *config.Config) { c.NodePools.User.MinCount, c.NodePools.User.MaxCount = 1, 3 },
			wants:  []want{{"vcpu quota standardBSFamily", Fail, []string{"needed 9", "3 nodes (nodePools.user.maxCount)"}}},
		},
		{
			name: "region without the Kubernetes version", stack: "dev", failed: true,
			overlay: []string{"GET /subscriptions/{sub}/providers/Microsoft.ContainerService/locations/japaneast/kubernetesVersions 200 kubernetes-versions-without-1.35.json"},
			wants:   []want{{"kubernetesVersion 1.35", Fail, []string{"does not offer 1.35", `set kubernetesVersion to "1.36"`}}},
		},
		{
			name: "Kubernetes version only with long-term support", stack: "dev", failed: true,
			mutate: func(c *config.Config) { c.KubernetesVersion = "1.33" },
			wants:  []want{{"kubernetesVersion 1.33", Fail, []string{"long-term support", "Premium"}}},
		},
		{
			name: "Kubernetes version in preview", stack: "dev", failed: true,
			mutate: func(c *config.Config) { c.KubernetesVersion = "1.37" },
			wants:  []want{{"kubernetesVersion 1.37", Fail, []string{"preview"}}},
		},
		{
			name: "Kubernetes patch not offered", stack: "dev", failed: true,
			mutate: func(c *config.Config) { c.KubernetesVersion = "1.35.9" },
			wants:  []want{{"kubernetesVersion 1.35.9", Fail, []string{"1.35.1, 1.35.2", `set kubernetesVersion to "1.35"`}}},
		},
		{
			name: "Kubernetes patch offered", stack: "dev", allOK: true,
			mutate: func(c *config.Config) { c.KubernetesVersion = "1.35.2" },
		},
		{
			name: "MySQL without 8.4", stack: "prod", failed: true,
			overlay: []string{"GET /subscriptions/{sub}/providers/Microsoft.DBforMySQL/locations/japaneast/capabilitySets/default 200 mysql-capabilities-without-8.4.json"},
			wants: []want{
				{"mysql.version 8.4", Fail, []string{"does not offer MySQL 8.4", `set mysql.version to "8.0.21"`}},
				{"mysql.skuName Standard_B1ms (Burstable)", OK, nil},
				{"mysql.geoRedundantBackup", Fail, []string{"lists no region", "set mysql.geoRedundantBackup to false"}},
			},
		},
		{
			name: "MySQL SKU of another tier, storage too small, HA on Burstable", stack: "dev", failed: true,
			mutate: func(c *config.Config) {
				c.MySQL.SKUName, c.MySQL.StorageGB, c.MySQL.HighAvailability = "Standard_D2ads_v5", 10, "ZoneRedundant"
			},
			wants: []want{
				{"mysql.skuName Standard_D2ads_v5 (Burstable)", Fail, []string{"does not offer Standard_D2ads_v5", "set mysql.skuName to Standard_B1s"}},
				{"mysql.storageGB 10", Fail, []string{"20-16384 GB", "set mysql.storageGB to 20"}},
			},
		},
		{
			name: "unregistered provider", stack: "dev", failed: true,
			overlay: []string{"GET /subscriptions/{sub}/providers 200 providers-mysql-unregistered.json"},
			wants: []want{
				{"resource provider Microsoft.DBforMySQL", Fail, []string{"NotRegistered", "az provider register --namespace Microsoft.DBforMySQL --wait"}},
				{"resource provider Microsoft.ContainerService", OK, []string{"Registered"}},
			},
		},
		{
			name: "reads denied: warn, not ok", stack: "dev",
			overlay: []string{
				"GET /subscriptions/{sub}/providers/Microsoft.Authorization/permissions 403 denied-permissions.json",
				"GET /subscriptions/{sub}/providers/Microsoft.Authorization/policyAssignments 403 denied-policy-assignments.json",
			},
			wants: []want{
				{"permissions", Warn, []string{"HTTP 403 AuthorizationFailed", "not known"}},
				{"policy assignments", Warn, []string{"HTTP 403 AuthorizationFailed"}},
			},
		},
		{
			// The SDK would register the provider itself on this answer; the preflight must not.
			name: "unregistered provider answers 409: no registration, a warn", stack: "dev",
			overlay: []string{"GET /subscriptions/{sub}/providers/Microsoft.ContainerService/locations/japaneast/kubernetesVersions 409 missing-registration.json"},
			wants:   []want{{"kubernetesVersion 1.35", Warn, []string{"HTTP 409 MissingSubscriptionRegistration"}}},
		},
		{
			name: "Contributor only: may not grant roles", stack: "dev", failed: true,
			overlay: []string{"GET /subscriptions/{sub}/providers/Microsoft.Authorization/permissions 200 permissions-contributor.json"},
			wants: []want{
				{"permission to create resources", OK, nil},
				{"permission to create role assignments", Fail, []string{"AcrPull", `--role "Role Based Access Control Administrator"`, "--assignee 0b6cd9a8-4f2e-4a57-9d1c-3e5f7a9b1c2d"}},
			},
		},
		{
			name: "Contributor and RBAC administrator", stack: "dev", allOK: true,
			overlay: []string{"GET /subscriptions/{sub}/providers/Microsoft.Authorization/permissions 200 permissions-contributor-and-rbac-admin.json"},
		},
		{
			name: "configured registry name taken, a candidate free", stack: "dev", failed: true,
			mutate: func(c *config.Config) { c.Registry.Name = "blogsacr" },
			overlay: []string{
				"POST /subscriptions/{sub}/providers/Microsoft.ContainerRegistry/checkNameAvailability name=blogsacr 200 registry-name-taken.json",
				"POST /subscriptions/{sub}/providers/Microsoft.ContainerRegistry/checkNameAvailability name=blogsacr2 200 registry-name-taken.json",
				"POST /subscriptions/{sub}/providers/Microsoft.ContainerRegistry/checkNameAvailability name=blogsacr3 200 name-available.json",
			},
			wants: []want{{"name of the registry blogsacr", Fail, []string{"AlreadyExists", "set registry.name to blogsacr3 (checked: free)"}}},
		},
		{
			name: "configured names free", stack: "dev", allOK: true,
			mutate: func(c *config.Config) { c.Registry.Name, c.MySQL.ServerName = "blogsacr", "blogs-mysql" },
			overlay: []string{
				"POST /subscriptions/{sub}/providers/Microsoft.ContainerRegistry/checkNameAvailability name=blogsacr 200 name-available.json",
				"POST /subscriptions/{sub}/providers/Microsoft.DBforMySQL/locations/japaneast/checkNameAvailability name=blogs-mysql 200 name-available.json",
			},
			wants: []want{{"name of the mysql server blogs-mysql", OK, []string{"is free"}}},
		},
		{
			name: "generated registry name already ours", stack: "dev", allOK: true,
			overlay: []string{rgExists, "GET /subscriptions/{sub}/resourceGroups/{rg}/resources 200 resources-registry-ours.json"},
			wants:   []want{{"name of the registry acrwpdev??????", OK, []string{"acrwpdevk3x9q2 is already ours"}}},
		},
		{
			name: "ReadOnly lock on the group", stack: "dev", failed: true,
			overlay: []string{rgExists, "GET /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Authorization/locks 200 locks-readonly.json"},
			wants:   []want{{"locks on resource group rg-wp-dev", Fail, []string{"ReadOnly lock freeze", "az lock delete --name freeze --resource-group rg-wp-dev"}}},
		},
		{
			name: "the program's own delete locks", stack: "dev", allOK: true,
			overlay: []string{rgExists},
			wants:   []want{{"locks on resource group rg-wp-dev", OK, []string{"do-not-delete-mysql"}}},
		},
		{
			name: "policy allows no B2s", stack: "dev", failed: true,
			overlay: []string{"GET /subscriptions/{sub}/providers/Microsoft.Authorization/policyAssignments 200 policy-assignments-vm-sizes.json"},
			wants: []want{
				{"policy Allowed locations", OK, nil},
				{"policy Allowed virtual machine size SKUs", Fail, []string{"denies VM sizes: Standard_B2s"}},
			},
		},
		{
			name: "location outside the allowed ones", stack: "dev", failed: true,
			mutate: func(c *config.Config) { c.Location = "eastus" },
			overlay: []string{
				"GET /subscriptions/{sub}/providers/Microsoft.ContainerService/locations/eastus/kubernetesVersions 200 kubernetes-versions.json",
				"GET /subscriptions/{sub}/providers/Microsoft.Compute/locations/eastus/usages 200 usages.json",
				"GET /subscriptions/{sub}/providers/Microsoft.DBforMySQL/locations/eastus/capabilitySets/default 200 mysql-capabilities.json",
			},
			wants: []want{{"policy Allowed locations", Fail, []string{"denies the location: eastus"}}},
		},
		{
			name: "policy denies the ACR run's resource type", stack: "dev", failed: true,
			overlay: []string{"GET /subscriptions/{sub}/providers/Microsoft.Authorization/policyAssignments 200 policy-assignments-resource-types.json"},
			wants:   []want{{"policy Not allowed resource types", Fail, []string{"denies resource types: Microsoft.ContainerRegistry/registries/taskRuns"}}},
		},
		{
			name: "policy on resource types, a type the preflight cannot name: warn", stack: "dev",
			mutate: func(c *config.Config) {
				c.WordPress.ImageReference = "example.azurecr.io/wordpress@sha256:" + strings.Repeat("a", 64)
			},
			overlay:    []string{"GET /subscriptions/{sub}/providers/Microsoft.Authorization/policyAssignments 200 policy-assignments-resource-types.json"},
			extraTypes: []string{"azure-native:web:WebApp"},
			wants: []want{
				{"policy Not allowed resource types", Warn, []string{"azure-native:web:WebApp"}},
				{"resource providers of other modules", Warn, []string{"web"}},
			},
		},
		{
			name: "group's resources not readable: warn", stack: "dev",
			overlay: []string{rgExists, "GET /subscriptions/{sub}/resourceGroups/{rg}/resources 403 denied-resources.json"},
			wants:   []want{{"name of the registry", Warn, []string{"HTTP 403 AuthorizationFailed", "already ours is not known"}}},
		},
		{
			name: "policies the preflight cannot judge: warn", stack: "dev",
			overlay: []string{"GET /subscriptions/{sub}/providers/Microsoft.Authorization/policyAssignments 200 policy-assignments-custom.json"},
			wants: []want{{"policy assignments", Warn, []string{
				"with the Deny effect, on rules the preflight does not evaluate: Deny public IP addresses",
				"not judged: ASC Default (subscription: 8f5e1a32-6c1d-4f0a-9b7e-2d4c6a8e0f13) (an initiative)",
			}}},
			notWants: []string{"Audit the owner tag", "Audit tags"},
		},
		{
			name: "a custom policy whose effect is Audit: ok", stack: "dev", allOK: true,
			overlay: []string{"GET /subscriptions/{sub}/providers/Microsoft.Authorization/policyAssignments 200 policy-assignments-audit.json"},
			wants:   []want{{"policy assignments", OK, []string{"2 assignments"}}},
		},
		{
			name: "the same policy assigned with effect Deny: warn", stack: "dev",
			overlay: []string{"GET /subscriptions/{sub}/providers/Microsoft.Authorization/policyAssignments 200 policy-assignments-audit-as-deny.json"},
			wants:   []want{{"policy assignments", Warn, []string{"Deny effect, on rules the preflight does not evaluate: Audit the owner tag"}}},
		},
		{
			name: "free trial: ACR Tasks", stack: "dev",
			overlay: []string{"GET /subscriptions/{sub} 200 subscription-freetrial.json"},
			wants:   []want{{"acr tasks", Warn, []string{"FreeTrial_2014-09-01", "wordpress.imageReference"}}},
		},
		{
			name: "prebuilt image: no ACR build to check", stack: "dev", allOK: true,
			mutate: func(c *config.Config) {
				c.WordPress.ImageReference = "example.azurecr.io/wordpress@sha256:" + strings.Repeat("a", 64)
			},
			overlay: []string{"GET /subscriptions/{sub} 200 subscription-freetrial.json"},
			wants:   []want{{"acr tasks", OK, []string{"not needed"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := testStack(t, tt.stack)
			if tt.mutate != nil {
				tt.mutate(&s.Config)
			}
			s.Types = append(s.Types, tt.extraTypes...)
			if s.Config.WordPress.ImageReference != "" {
				// The plan of such a stack has no ACR run.
				var types []string
				for _, ty := range s.Types {
					if unversioned(ty) != "azure-native:containerregistry:TaskRun" {
						types = append(types, ty)
					}
				}
				s.Types = types
			}
			az, rec := testAzure(t, fakeCredential{err: tt.cred}, s.Config.Names().ResourceGroup(), tt.overlay...)
			got := Run(context.Background(), az, s)
			var all strings.Builder
			for _, r := range got {
				all.WriteString(line(r) + "\n")
			}
			if tt.allOK {
				for _, r := range got {
					if r.Status != OK {
						t.Errorf("want every line ok, got: %s", line(r))
					}
				}
			} else if Failed(got) != tt.failed {
				t.Errorf("Failed = %v, want %v; lines:\n%s", Failed(got), tt.failed, all.String())
			}
			for _, w := range tt.wants {
				var found *Result
				for i := range got {
					if strings.HasPrefix(got[i].Check, w.check) {
						found = &got[i]
						break
					}
				}
				if found == nil {
					t.Errorf("no line %q; lines:\n%s", w.check, all.String())
					continue
				}
				if found.Status != w.status {
					t.Errorf("%s: status %s, want %s (%s)", w.check, found.Status, w.status, line(*found))
				}
				for _, c := range w.contains {
					if !strings.Contains(found.Answer+" "+found.Fix, c) {
						t.Errorf("%s: want %q in answer or fix: %s", w.check, c, line(*found))
					}
				}
			}
			for _, nw := range tt.notWants {
				if strings.Contains(all.String(), nw) {
					t.Errorf("want no %q in the lines:\n%s", nw, all.String())
				}
			}
			for _, r := range got {
				if r.Status != OK && r.Fix == "" {
					t.Errorf("%s line without a fix: %s", r.Status, line(r))
				}
			}
			// Read-only: only reads, and the POSTs of name checks, which create nothing.
			for _, req := range rec.requests() {
				method, path, _ := strings.Cut(req, " ")
				if method != "GET" && method != "HEAD" && !(method == "POST" && strings.HasSuffix(path, "/checkNameAvailability")) {
					t.Errorf("preflight sent %s: it must only read", req)
				}
			}
		})
	}
}

func TestWrite(t *testing.T) {
	results := []Result{
		{Status: OK, Check: "signed in", Asked: "a token", Answer: "signed in as ci@example.com", Fix: "not printed for ok"},
		{Status: Fail, Check: "kubernetesVersion 1.35", Asked: "versions", Answer: "not offered", Fix: `set kubernetesVersion to "1.36"`},
	}
	var b bytes.Buffer
	if err := Write(&b, results); err != nil {
		t.Fatal(err)
	}
	want := "ok   signed in: signed in as ci@example.com\n" +
		"FAIL kubernetesVersion 1.35: not offered\n     asked: versions\n     fix:   set kubernetesVersion to \"1.36\"\n" +
		"preflight: 1 ok, 0 warn, 1 FAIL\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestAllowed(t *testing.T) {
	contributor := Permission{Actions: []string{"*"}, NotActions: []string{"Microsoft.Authorization/*/Write", "Microsoft.Authorization/*/Delete"}}
	tests := []struct {
		name   string
		perms  []Permission
		action string
		want   bool
	}{
		{"owner", []Permission{{Actions: []string{"*"}}}, actionRoleAssignWrite, true},
		{"contributor may not grant", []Permission{contributor}, actionRoleAssignWrite, false},
		{"contributor may create groups", []Permission{contributor}, actionGroupWrite, true},
		{"a second role grants it", []Permission{contributor, {Actions: []string{"Microsoft.Authorization/roleAssignments/write"}}}, actionRoleAssignWrite, true},
		{"case is ignored", []Permission{{Actions: []string{"microsoft.authorization/ROLEASSIGNMENTS/*"}}}, actionRoleAssignWrite, true},
		{"reader", []Permission{{Actions: []string{"*/read"}}}, actionGroupWrite, false},
		{"nothing", nil, actionGroupWrite, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := allowed(tt.perms, tt.action); got != tt.want {
				t.Errorf("allowed = %v, want %v", got, tt.want)
			}
		})
	}
}
