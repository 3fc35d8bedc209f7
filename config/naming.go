package config

import (
	"regexp"
	"strings"
)

// Azure's and Kubernetes's naming rules, from the resource providers' documented limits
// (learn.microsoft.com "Naming rules and restrictions for Azure resources").
var (
	// reAKSPool: Linux agent pools, 1-12 lowercase alphanumerics starting with a letter.
	reAKSPool = regexp.MustCompile(`^[a-z][a-z0-9]{0,11}$`)
	// reRegistry: container registries, 5-50 alphanumerics, globally unique.
	reRegistry = regexp.MustCompile(`^[a-zA-Z0-9]{5,50}$`)
	// reMySQLServer: flexible servers, 3-63 lowercase letters, digits and hyphens, no hyphen at
	// either end; globally unique as <name>.mysql.database.azure.com.
	reMySQLServer = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$`)
	// reDNSLabel: one DNS label (RFC 1123), also Kubernetes namespaces and AKS DNS prefixes.
	reDNSLabel = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	// reStorageAccount: 3-24 lowercase alphanumerics, globally unique.
	reStorageAccount = regexp.MustCompile(`^[a-z0-9]{3,24}$`)
	// reResourceGroup: 1-90 of letters, digits, '_', '-', '.', '(' and ')', not ending in '.'.
	reResourceGroup = regexp.MustCompile(`^[-\w.()]{0,89}[-\w()]$`)
	// reGeneric80: most network and compute resources, 1-80 of letters, digits, '_', '-', '.',
	// starting with an alphanumeric and ending with an alphanumeric or '_'.
	reGeneric80 = regexp.MustCompile(`^[a-zA-Z0-9]([-\w.]{0,78}[\w])?$`)
	// reVMName: Linux VM and host names, 1-64 letters, digits and hyphens.
	reVMName = regexp.MustCompile(`^[a-zA-Z0-9]([-a-zA-Z0-9]{0,62}[a-zA-Z0-9])?$`)
	// reWorkspace: Log Analytics workspaces, 4-63 letters, digits and hyphens.
	reWorkspace = regexp.MustCompile(`^[a-zA-Z0-9][-a-zA-Z0-9]{2,61}[a-zA-Z0-9]$`)
	// reVault: Recovery Services vaults, 2-50 letters, digits and hyphens, starting with a letter.
	reVault = regexp.MustCompile(`^[a-zA-Z][-a-zA-Z0-9]{1,49}$`)
	// reMySQLIdent: database and user names we create, letters, digits and '_' (no quoting).
	reMySQLIdent = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
)

// SuffixLength is the length of the random suffix that makes the globally unique names
// (registry, MySQL server, storage account) unique; it is kept in the stack's state.
const SuffixLength = 6

// exampleSuffix stands for the random suffix when names are checked before it exists.
var exampleSuffix = strings.Repeat("x", SuffixLength)

// Names derives every Azure and Kubernetes name of a stack. Each method is one naming rule.
type Names struct {
	prefix string
	stack  string
}

// Names returns the stack's naming scheme.
func (c Config) Names() Names { return Names{prefix: c.NamePrefix, stack: c.Stack} }

// base is "<prefix>-<stack>", the stem of names that allow hyphens.
func (n Names) base() string { return n.prefix + "-" + n.stack }

// compact is base without separators, for names that allow only alphanumerics.
func (n Names) compact() string { return n.prefix + strings.ReplaceAll(n.stack, "-", "") }

// ResourceGroup is the environment's resource group.
func (n Names) ResourceGroup() string { return "rg-" + n.base() }

// NodeResourceGroup is the group AKS fills with node VMs and load balancers.
func (n Names) NodeResourceGroup() string { return "rg-" + n.base() + "-nodes" }

// VNet is the virtual network.
func (n Names) VNet() string { return "vnet-" + n.base() }

// Subnet names one subnet by role: "aks", "mysql" or "nfs".
func (n Names) Subnet(role string) string { return "snet-" + role }

// NSG names the network security group of one subnet role.
func (n Names) NSG(role string) string { return "nsg-" + n.base() + "-" + role }

// Cluster is the AKS managed cluster.
func (n Names) Cluster() string { return "aks-" + n.base() }

// DNSPrefix is the AKS API server's DNS prefix.
func (n Names) DNSPrefix() string { return n.base() }

// ClusterIdentity is the AKS control plane's user-assigned identity.
func (n Names) ClusterIdentity() string { return "id-" + n.base() + "-aks" }

// Workspace is the Log Analytics workspace.
func (n Names) Workspace() string { return "log-" + n.base() }

// Registry is the container registry, made unique by suffix.
func (n Names) Registry(suffix string) string { return "acr" + n.compact() + suffix }

// MySQLServer is the flexible server, made unique by suffix.
func (n Names) MySQLServer(suffix string) string { return "mysql-" + n.base() + "-" + suffix }

// MySQLPrivateDNSZone is the private zone of the server; Azure requires the
// mysql.database.azure.com ending.
func (n Names) MySQLPrivateDNSZone() string {
	return n.base() + ".private.mysql.database.azure.com"
}

// MySQLUser is the database user of a site, at most 32 characters.
func (n Names) MySQLUser(site string) string {
	return "wp_" + strings.ReplaceAll(site, "-", "_")
}

// VNetLink links the private DNS zone to the VNet.
func (n Names) VNetLink() string { return "link-" + n.base() }

// NFSVM is the NFS server VM; its host name is the same.
func (n Names) NFSVM() string { return "vm-" + n.base() + "-nfs" }

// NFSNIC is the NFS VM's network interface.
func (n Names) NFSNIC() string { return "nic-" + n.base() + "-nfs" }

// NFSOSDisk is the NFS VM's OS disk.
func (n Names) NFSOSDisk() string { return "osdisk-" + n.base() + "-nfs" }

// NFSDataDisk is the wp-content disk, which outlives the VM.
func (n Names) NFSDataDisk() string { return "disk-" + n.base() + "-wpcontent" }

// IngressIP is the static public IP of the ingress controller.
func (n Names) IngressIP() string { return "pip-" + n.base() + "-ingress" }

// ImageStorage is the storage account that carries the image build context to ACR.
func (n Names) ImageStorage(suffix string) string { return "st" + n.compact() + suffix }

// Vault is the Recovery Services vault.
func (n Names) Vault() string { return "rsv-" + n.base() }

// ActionGroup is the alert action group; its short name is at most 12 characters.
func (n Names) ActionGroup() string { return "ag-" + n.base() }

// ActionGroupShort is the action group's short name (SMS and mail subject), 1-12 characters.
func (n Names) ActionGroupShort() string {
	s := n.base()
	if len(s) > 12 {
		s = s[:12]
	}
	return s
}

// AppInsights is the Application Insights component that runs the availability tests.
func (n Names) AppInsights() string { return "appi-" + n.base() }

// Budget is the resource group budget.
func (n Names) Budget() string { return "budget-" + n.base() }

// ScheduleWorkflow is the Logic App that starts or stops the environment (action "start" or
// "stop").
func (n Names) ScheduleWorkflow(action string) string { return "logic-" + n.base() + "-" + action }

// SnapshotResourceGroup holds the wp-content disk's snapshots (backup.method snapshots), apart
// from the stack's group so that a teardown of the stack leaves them.
func (n Names) SnapshotResourceGroup() string { return "rg-" + n.base() + "-snapshots" }

// SnapshotWorkflow is the Logic App that takes and prunes the wp-content disk's snapshots.
func (n Names) SnapshotWorkflow() string { return "logic-" + n.base() + "-snapshot" }

// SnapshotPrefix starts every snapshot name; the workflow appends the UTC date and time
// (-yyyyMMdd-HHmm, 14 characters), which stays within the 80 characters a snapshot name takes.
func (n Names) SnapshotPrefix() string { return "snap-" + n.base() + "-wpcontent" }

// QuietHoursRule is the alert processing rule that silences alerts outside the schedule.
func (n Names) QuietHoursRule() string { return "apr-" + n.base() + "-quiet-hours" }

// DataCollectionRule collects the NFS VM's disk counters.
func (n Names) DataCollectionRule() string { return "dcr-" + n.base() + "-nfs" }

// SiteNamespace is the Kubernetes namespace of a site.
func (n Names) SiteNamespace(site string) string { return "wp-" + site }

// SystemNamespace holds what the sites share: the database provisioning jobs and the MySQL
// administrator secret, out of reach of the sites' pods.
func (n Names) SystemNamespace() string { return "wp-system" }

// IngressNamespace holds the ingress controller.
func (n Names) IngressNamespace() string { return "ingress-nginx" }

// check reports every derived Azure name that breaks its rule, naming the config keys that
// produce it.
func (n Names) check(c Config) Problems {
	var probs Problems
	rule := func(key, name string, re *regexp.Regexp, allowed string) {
		if !re.MatchString(name) {
			probs.add(key, name, "gives an invalid Azure name: "+allowed)
		}
	}
	const byPrefix = "namePrefix and stack name"
	rule(byPrefix, n.ResourceGroup(), reResourceGroup, "resource groups take 1-90 letters, digits, '-', '_', '.', '(' and ')'")
	rule(byPrefix, n.NodeResourceGroup(), reResourceGroup, "resource groups take 1-90 letters, digits, '-', '_', '.', '(' and ')'")
	rule(byPrefix, n.VNet(), reGeneric80, "virtual networks take 1-80 letters, digits, '-', '_' and '.'")
	rule(byPrefix, n.Cluster(), reGeneric80, "AKS clusters take 1-63 letters, digits, '-' and '_'")
	if len(n.Cluster()) > 63 {
		probs.add(byPrefix, n.Cluster(), "gives an AKS cluster name longer than 63 characters")
	}
	rule(byPrefix, n.DNSPrefix(), reDNSLabel, "AKS DNS prefixes are DNS labels: 1-54 lowercase letters, digits and '-'")
	if len(n.DNSPrefix()) > 54 {
		probs.add(byPrefix, n.DNSPrefix(), "gives an AKS DNS prefix longer than 54 characters")
	}
	rule(byPrefix, n.Workspace(), reWorkspace, "Log Analytics workspaces take 4-63 letters, digits and '-'")
	rule(byPrefix, n.NFSVM(), reVMName, "Linux VM names take 1-64 letters, digits and '-'")
	rule(byPrefix, n.SnapshotResourceGroup(), reResourceGroup, "resource groups take 1-90 letters, digits, '-', '_', '.', '(' and ')'")
	rule(byPrefix, n.SnapshotWorkflow(), reGeneric80, "Logic Apps take 1-80 letters, digits, '-', '_' and '.'")
	rule(byPrefix, n.SnapshotPrefix()+"-20261231-2330", reGeneric80, "snapshots take 1-80 letters, digits, '-', '_' and '.'")
	rule(byPrefix, n.Vault(), reVault, "Recovery Services vaults take 2-50 letters, digits and '-', starting with a letter")
	rule(byPrefix, n.ImageStorage(exampleSuffix), reStorageAccount, "storage accounts take 3-24 lowercase letters and digits")
	for _, zoneLabel := range strings.Split(n.MySQLPrivateDNSZone(), ".") {
		rule(byPrefix, zoneLabel, reDNSLabel, "private DNS zone labels are DNS labels")
	}
	if c.Registry.Name == "" {
		rule(byPrefix, n.Registry(exampleSuffix), reRegistry, "registries take 5-50 letters and digits (set registry.name to choose one)")
	}
	if c.MySQL.ServerName == "" {
		rule(byPrefix, n.MySQLServer(exampleSuffix), reMySQLServer, "MySQL servers take 3-63 lowercase letters, digits and '-' (set mysql.serverName to choose one)")
	}
	return probs
}
