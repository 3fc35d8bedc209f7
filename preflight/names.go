package preflight

// This file owns the global name check: the registry, the MySQL server and the image storage
// account have names unique across Azure, so a name someone else holds fails the create. A name
// the stack's own resource group already holds is ours.

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/example/wordpress-aks/config"
)

// globalName is one globally unique name of the stack.
type globalName struct {
	what string
	// key is the config key that sets the name; empty when it is always generated.
	key        string
	configured string
	// stem is the generated name without its random suffix.
	stem    string
	armType string
	maxLen  int
	check   func(ctx context.Context, name string) (NameCheck, error)
}

func globalNames(az Azure, s Stack) []globalName {
	c := s.Config
	n := c.Names()
	out := []globalName{{
		what: "registry", key: "registry.name", configured: c.Registry.Name, stem: n.Registry(""),
		armType: "Microsoft.ContainerRegistry/registries", maxLen: 50, check: az.CheckRegistryName,
	}, {
		what: "mysql server", key: "mysql.serverName", configured: c.MySQL.ServerName, stem: n.MySQLServer(""),
		armType: "Microsoft.DBforMySQL/flexibleServers", maxLen: 63,
		check: func(ctx context.Context, name string) (NameCheck, error) {
			return az.CheckMySQLName(ctx, c.Location, name)
		},
	}}
	if s.has("azure-native:storage:StorageAccount") {
		// Always generated (no config key sets it), so only "already ours" is asked.
		out = append(out, globalName{what: "image storage account", stem: n.ImageStorage(""),
			armType: "Microsoft.Storage/storageAccounts", maxLen: 24})
	}
	return out
}

// checkNames asks whether each globally unique name is free, or already the stack's own.
func checkNames(ctx context.Context, az Azure, s Stack, acct *account) []Result {
	var results []Result
	for _, g := range globalNames(az, s) {
		results = append(results, checkName(ctx, az, g, acct))
	}
	return results
}

func checkName(ctx context.Context, az Azure, g globalName, acct *account) Result {
	label := g.configured
	if label == "" {
		label = g.stem + strings.Repeat("?", config.SuffixLength)
	}
	r := Result{Status: OK, Check: fmt.Sprintf("name of the %s %s", g.what, label)}
	if acct.groupExists {
		r.Asked = fmt.Sprintf("GET /subscriptions/%s/resourceGroups/%s/resources?$filter=resourceType eq '%s'", az.SubscriptionID(), acct.group, g.armType)
		names, err := az.ResourceNames(ctx, acct.group, g.armType)
		if err != nil {
			r.Status = Warn
			r.Answer = "could not list the group's resources (" + azureError(err) + "), so whether the name is already ours is not known"
			r.Fix = "az resource list --resource-group " + acct.group + " --resource-type " + g.armType + " -o table"
			return r
		}
		for _, name := range names {
			if strings.EqualFold(name, g.configured) || (g.configured == "" && strings.HasPrefix(name, g.stem) && len(name) == len(g.stem)+config.SuffixLength) {
				r.Answer = fmt.Sprintf("%s is already ours (in %s)", name, acct.group)
				return r
			}
		}
	}
	if g.configured == "" {
		r.Asked = "nothing: the name does not exist before the first pulumi up"
		r.Answer = fmt.Sprintf("generated at the first pulumi up as %s + %d random lowercase letters and digits, and kept in the stack's state", g.stem, config.SuffixLength)
		return r
	}
	r.Asked = fmt.Sprintf("checkNameAvailability of %s %q", g.armType, g.configured)
	nc, err := g.check(ctx, g.configured)
	if err != nil {
		r.Status = Warn
		r.Answer = "could not check the name (" + azureError(err) + ")"
		r.Fix = "leave " + g.key + " unset to get a generated unique name"
		return r
	}
	if nc.Available {
		r.Answer = g.configured + " is free"
		return r
	}
	r.Status = Fail
	r.Answer = fmt.Sprintf("%s is taken outside this stack's resource group (%s: %s)", g.configured, nc.Reason, nc.Message)
	r.Fix = "set " + g.key + " to another name, or leave it unset to get a generated unique one"
	for i := 2; i <= 4; i++ {
		cand := fmt.Sprintf("%s%d", g.configured, i)
		if len(cand) > g.maxLen {
			break
		}
		if alt, err := g.check(ctx, cand); err == nil && alt.Available {
			r.Fix = fmt.Sprintf("set %s to %s (checked: free), or leave it unset to get a generated unique one", g.key, cand)
			break
		}
	}
	return r
}

// stackARMTypes maps the plan's azure-native types to the ARM resource types Azure Policy
// matches on.
var stackARMTypes = map[string]string{
	"azure-native:alertsmanagement:AlertProcessingRuleByName": "Microsoft.AlertsManagement/actionRules",
	"azure-native:authorization:RoleAssignment":               "Microsoft.Authorization/roleAssignments",
	"azure-native:authorization:ManagementLockByScope":        "Microsoft.Authorization/locks",
	"azure-native:compute:Disk":                               "Microsoft.Compute/disks",
	"azure-native:compute:VirtualMachine":                     "Microsoft.Compute/virtualMachines",
	"azure-native:compute:VirtualMachineExtension":            "Microsoft.Compute/virtualMachines/extensions",
	"azure-native:consumption:Budget":                         "Microsoft.Consumption/budgets",
	"azure-native:containerregistry:Registry":                 "Microsoft.ContainerRegistry/registries",
	"azure-native:containerregistry:TaskRun":                  "Microsoft.ContainerRegistry/registries/taskRuns",
	"azure-native:containerservice:AgentPool":                 "Microsoft.ContainerService/managedClusters/agentPools",
	"azure-native:containerservice:MaintenanceConfiguration":  "Microsoft.ContainerService/managedClusters/maintenanceConfigurations",
	"azure-native:containerservice:ManagedCluster":            "Microsoft.ContainerService/managedClusters",
	"azure-native:dbformysql:Configuration":                   "Microsoft.DBforMySQL/flexibleServers/configurations",
	"azure-native:dbformysql:Database":                        "Microsoft.DBforMySQL/flexibleServers/databases",
	"azure-native:dbformysql:Server":                          "Microsoft.DBforMySQL/flexibleServers",
	"azure-native:insights:ActionGroup":                       "Microsoft.Insights/actionGroups",
	"azure-native:insights:Component":                         "Microsoft.Insights/components",
	"azure-native:insights:DataCollectionRule":                "Microsoft.Insights/dataCollectionRules",
	"azure-native:insights:DataCollectionRuleAssociation":     "Microsoft.Insights/dataCollectionRuleAssociations",
	"azure-native:insights:MetricAlert":                       "Microsoft.Insights/metricAlerts",
	"azure-native:insights:ScheduledQueryRule":                "Microsoft.Insights/scheduledQueryRules",
	"azure-native:insights:WebTest":                           "Microsoft.Insights/webtests",
	"azure-native:logic:Workflow":                             "Microsoft.Logic/workflows",
	"azure-native:managedidentity:UserAssignedIdentity":       "Microsoft.ManagedIdentity/userAssignedIdentities",
	"azure-native:network:NetworkInterface":                   "Microsoft.Network/networkInterfaces",
	"azure-native:network:NetworkSecurityGroup":               "Microsoft.Network/networkSecurityGroups",
	"azure-native:network:PrivateZone":                        "Microsoft.Network/privateDnsZones",
	"azure-native:network:PublicIPAddress":                    "Microsoft.Network/publicIPAddresses",
	"azure-native:network:VirtualNetwork":                     "Microsoft.Network/virtualNetworks",
	"azure-native:network:VirtualNetworkLink":                 "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
	"azure-native:operationalinsights:Table":                  "Microsoft.OperationalInsights/workspaces/tables",
	"azure-native:operationalinsights:Workspace":              "Microsoft.OperationalInsights/workspaces",
	"azure-native:recoveryservices:Vault":                     "Microsoft.RecoveryServices/vaults",
	"azure-native:recoveryservices:ProtectionPolicy":          "Microsoft.RecoveryServices/vaults/backupPolicies",
	"azure-native:recoveryservices:ProtectedItem":             "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems",
	"azure-native:resources:ResourceGroup":                    "Microsoft.Resources/resourceGroups",
	"azure-native:storage:BlobContainer":                      "Microsoft.Storage/storageAccounts/blobServices/containers",
	"azure-native:storage:StorageAccount":                     "Microsoft.Storage/storageAccounts",
}

// armTypes lists the ARM types of the stack's azure-native resources, and the azure-native
// types it has no ARM type for (storage:Blob is data, not an ARM resource).
func armTypes(s Stack) (known, unknown []string) {
	for _, t := range s.Types {
		u := unversioned(t)
		if !strings.HasPrefix(u, "azure-native:") || u == "azure-native:storage:Blob" {
			continue
		}
		if a, ok := stackARMTypes[u]; ok {
			if !slices.Contains(known, a) {
				known = append(known, a)
			}
		} else if !slices.Contains(unknown, u) {
			unknown = append(unknown, u)
		}
	}
	slices.Sort(known)
	slices.Sort(unknown)
	return known, unknown
}
