// Tests of the derived Azure and Kubernetes names and of the check that they obey Azure's rules.
package config

import (
	"strings"
	"testing"
)

func TestNames(t *testing.T) {
	prod := Config{NamePrefix: "wp", Stack: "prod"}.Names()
	eu := Config{NamePrefix: "wp", Stack: "prod-eu"}.Names()
	long := Config{NamePrefix: "wordpres", Stack: "production"}.Names()
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"prod ResourceGroup", prod.ResourceGroup(), "rg-wp-prod"},
		{"prod NodeResourceGroup", prod.NodeResourceGroup(), "rg-wp-prod-nodes"},
		{"prod VNet", prod.VNet(), "vnet-wp-prod"},
		{"prod Subnet", prod.Subnet("aks"), "snet-aks"},
		{"prod NSG", prod.NSG("mysql"), "nsg-wp-prod-mysql"},
		{"prod Cluster", prod.Cluster(), "aks-wp-prod"},
		{"prod DNSPrefix", prod.DNSPrefix(), "wp-prod"},
		{"prod ClusterIdentity", prod.ClusterIdentity(), "id-wp-prod-aks"},
		{"prod Workspace", prod.Workspace(), "log-wp-prod"},
		{"prod Registry", prod.Registry("a1b2c3"), "acrwpproda1b2c3"},
		{"prod MySQLServer", prod.MySQLServer("a1b2c3"), "mysql-wp-prod-a1b2c3"},
		{"prod MySQLPrivateDNSZone", prod.MySQLPrivateDNSZone(), "wp-prod.private.mysql.database.azure.com"},
		{"prod MySQLUser", prod.MySQLUser("my-blog"), "wp_my_blog"},
		{"prod VNetLink", prod.VNetLink(), "link-wp-prod"},
		{"prod NFSVM", prod.NFSVM(), "vm-wp-prod-nfs"},
		{"prod NFSNIC", prod.NFSNIC(), "nic-wp-prod-nfs"},
		{"prod NFSOSDisk", prod.NFSOSDisk(), "osdisk-wp-prod-nfs"},
		{"prod NFSDataDisk", prod.NFSDataDisk(), "disk-wp-prod-wpcontent"},
		{"prod IngressIP", prod.IngressIP(), "pip-wp-prod-ingress"},
		{"prod ImageStorage", prod.ImageStorage("a1b2c3"), "stwpproda1b2c3"},
		{"prod Vault", prod.Vault(), "rsv-wp-prod"},
		{"prod ActionGroup", prod.ActionGroup(), "ag-wp-prod"},
		{"prod ActionGroupShort", prod.ActionGroupShort(), "wp-prod"},
		{"prod AppInsights", prod.AppInsights(), "appi-wp-prod"},
		{"prod Budget", prod.Budget(), "budget-wp-prod"},
		{"prod DataCollectionRule", prod.DataCollectionRule(), "dcr-wp-prod-nfs"},
		{"prod SiteNamespace", prod.SiteNamespace("blog"), "wp-blog"},
		{"prod SystemNamespace", prod.SystemNamespace(), "wp-system"},
		{"prod IngressNamespace", prod.IngressNamespace(), "ingress-nginx"},

		{"prod-eu ResourceGroup", eu.ResourceGroup(), "rg-wp-prod-eu"},
		{"prod-eu NodeResourceGroup", eu.NodeResourceGroup(), "rg-wp-prod-eu-nodes"},
		{"prod-eu VNet", eu.VNet(), "vnet-wp-prod-eu"},
		{"prod-eu Subnet", eu.Subnet("nfs"), "snet-nfs"},
		{"prod-eu NSG", eu.NSG("aks"), "nsg-wp-prod-eu-aks"},
		{"prod-eu Cluster", eu.Cluster(), "aks-wp-prod-eu"},
		{"prod-eu DNSPrefix", eu.DNSPrefix(), "wp-prod-eu"},
		{"prod-eu ClusterIdentity", eu.ClusterIdentity(), "id-wp-prod-eu-aks"},
		{"prod-eu Workspace", eu.Workspace(), "log-wp-prod-eu"},
		{"prod-eu Registry", eu.Registry("a1b2c3"), "acrwpprodeua1b2c3"},
		{"prod-eu MySQLServer", eu.MySQLServer("a1b2c3"), "mysql-wp-prod-eu-a1b2c3"},
		{"prod-eu MySQLPrivateDNSZone", eu.MySQLPrivateDNSZone(), "wp-prod-eu.private.mysql.database.azure.com"},
		{"prod-eu MySQLUser", eu.MySQLUser("blog"), "wp_blog"},
		{"prod-eu VNetLink", eu.VNetLink(), "link-wp-prod-eu"},
		{"prod-eu NFSVM", eu.NFSVM(), "vm-wp-prod-eu-nfs"},
		{"prod-eu NFSNIC", eu.NFSNIC(), "nic-wp-prod-eu-nfs"},
		{"prod-eu NFSOSDisk", eu.NFSOSDisk(), "osdisk-wp-prod-eu-nfs"},
		{"prod-eu NFSDataDisk", eu.NFSDataDisk(), "disk-wp-prod-eu-wpcontent"},
		{"prod-eu IngressIP", eu.IngressIP(), "pip-wp-prod-eu-ingress"},
		{"prod-eu ImageStorage", eu.ImageStorage("a1b2c3"), "stwpprodeua1b2c3"},
		{"prod-eu Vault", eu.Vault(), "rsv-wp-prod-eu"},
		{"prod-eu ActionGroup", eu.ActionGroup(), "ag-wp-prod-eu"},
		{"prod-eu ActionGroupShort", eu.ActionGroupShort(), "wp-prod-eu"},
		{"prod-eu AppInsights", eu.AppInsights(), "appi-wp-prod-eu"},
		{"prod-eu Budget", eu.Budget(), "budget-wp-prod-eu"},
		{"prod-eu DataCollectionRule", eu.DataCollectionRule(), "dcr-wp-prod-eu-nfs"},
		{"prod-eu SiteNamespace", eu.SiteNamespace("tech-news"), "wp-tech-news"},

		{"long ActionGroupShort cut to 12", long.ActionGroupShort(), "wordpres-pro"},
		{"long ImageStorage", long.ImageStorage(exampleSuffix), "stwordpresproductionxxxxxx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

// TestNamesCheckThroughLoad checks the longest prefix and stack that Load accepts and the first
// combination whose storage account name is too long.
func TestNamesCheckThroughLoad(t *testing.T) {
	const byPrefix = "namePrefix and stack name"
	tests := []struct {
		name   string
		prefix string
		stack  string
		want   Problems
	}{
		{name: "storage account of 24", prefix: "wordpres", stack: "prod1234"},
		{name: "hyphens do not count", prefix: "wordpres", stack: "prod-12-34"},
		{name: "storage account of 25", prefix: "wordpres", stack: "prod12345",
			want: Problems{{Key: byPrefix, Value: "stwordpresprod12345xxxxxx",
				Msg: "gives an invalid Azure name: storage accounts take 3-24 lowercase letters and digits"}}},
		{name: "longest prefix and stack", prefix: "wordpres", stack: "production12",
			want: Problems{{Key: byPrefix, Value: "stwordpresproduction12xxxxxx",
				Msg: "gives an invalid Azure name: storage accounts take 3-24 lowercase letters and digits"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := load(t, tt.stack, source(map[string]string{"namePrefix": tt.prefix}))
			assertProblems(t, got, tt.want)
		})
	}
}

// TestNamesCheck calls check directly with prefixes longer than validation allows, to reach the
// rules that no valid prefix and stack can break.
func TestNamesCheck(t *testing.T) {
	const byPrefix = "namePrefix and stack name"
	p45 := strings.Repeat("a", 45)
	p47 := strings.Repeat("a", 47)
	p55 := strings.Repeat("a", 55)
	tests := []struct {
		name string
		cfg  Config
		want Problems
	}{
		{name: "short names", cfg: Config{NamePrefix: "wp", Stack: "prod"}},
		{name: "hyphenated stack", cfg: Config{NamePrefix: "wp", Stack: "prod-eu"}},
		{name: "registry over 50 and vault over 50", cfg: Config{NamePrefix: p45, Stack: "prod"},
			want: Problems{
				{Key: byPrefix, Value: "rsv-" + p45 + "-prod", Msg: "gives an invalid Azure name: Recovery Services vaults take 2-50 letters, digits and '-', starting with a letter"},
				{Key: byPrefix, Value: "st" + p45 + "prodxxxxxx", Msg: "gives an invalid Azure name: storage accounts take 3-24 lowercase letters and digits"},
				{Key: byPrefix, Value: "acr" + p45 + "prodxxxxxx", Msg: "gives an invalid Azure name: registries take 5-50 letters and digits (set registry.name to choose one)"},
			}},
		{name: "registry.name and mysql.serverName skip their rules",
			cfg: Config{NamePrefix: p47, Stack: "prod", Registry: Registry{Name: "myregistry"}, MySQL: MySQL{ServerName: "my-server"}},
			want: Problems{
				{Key: byPrefix, Value: "snap-" + p47 + "-prod-wpcontent-20261231-2330", Msg: "gives an invalid Azure name: snapshots take 1-80 letters, digits, '-', '_' and '.'"},
				{Key: byPrefix, Value: "rsv-" + p47 + "-prod", Msg: "gives an invalid Azure name: Recovery Services vaults take 2-50 letters, digits and '-', starting with a letter"},
				{Key: byPrefix, Value: "st" + p47 + "prodxxxxxx", Msg: "gives an invalid Azure name: storage accounts take 3-24 lowercase letters and digits"},
			}},
		{name: "MySQL server over 63", cfg: Config{NamePrefix: p47, Stack: "prod"},
			want: Problems{
				{Key: byPrefix, Value: "snap-" + p47 + "-prod-wpcontent-20261231-2330", Msg: "gives an invalid Azure name: snapshots take 1-80 letters, digits, '-', '_' and '.'"},
				{Key: byPrefix, Value: "rsv-" + p47 + "-prod", Msg: "gives an invalid Azure name: Recovery Services vaults take 2-50 letters, digits and '-', starting with a letter"},
				{Key: byPrefix, Value: "st" + p47 + "prodxxxxxx", Msg: "gives an invalid Azure name: storage accounts take 3-24 lowercase letters and digits"},
				{Key: byPrefix, Value: "acr" + p47 + "prodxxxxxx", Msg: "gives an invalid Azure name: registries take 5-50 letters and digits (set registry.name to choose one)"},
				{Key: byPrefix, Value: "mysql-" + p47 + "-prod-xxxxxx", Msg: "gives an invalid Azure name: MySQL servers take 3-63 lowercase letters, digits and '-' (set mysql.serverName to choose one)"},
			}},
		{name: "cluster over 63 and DNS prefix over 54", cfg: Config{NamePrefix: p55, Stack: "prod"},
			want: Problems{
				{Key: byPrefix, Value: "aks-" + p55 + "-prod", Msg: "gives an AKS cluster name longer than 63 characters"},
				{Key: byPrefix, Value: p55 + "-prod", Msg: "gives an AKS DNS prefix longer than 54 characters"},
				{Key: byPrefix, Value: "log-" + p55 + "-prod", Msg: "gives an invalid Azure name: Log Analytics workspaces take 4-63 letters, digits and '-'"},
				{Key: byPrefix, Value: "vm-" + p55 + "-prod-nfs", Msg: "gives an invalid Azure name: Linux VM names take 1-64 letters, digits and '-'"},
				{Key: byPrefix, Value: "snap-" + p55 + "-prod-wpcontent-20261231-2330", Msg: "gives an invalid Azure name: snapshots take 1-80 letters, digits, '-', '_' and '.'"},
				{Key: byPrefix, Value: "rsv-" + p55 + "-prod", Msg: "gives an invalid Azure name: Recovery Services vaults take 2-50 letters, digits and '-', starting with a letter"},
				{Key: byPrefix, Value: "st" + p55 + "prodxxxxxx", Msg: "gives an invalid Azure name: storage accounts take 3-24 lowercase letters and digits"},
				{Key: byPrefix, Value: "acr" + p55 + "prodxxxxxx", Msg: "gives an invalid Azure name: registries take 5-50 letters and digits (set registry.name to choose one)"},
				{Key: byPrefix, Value: "mysql-" + p55 + "-prod-xxxxxx", Msg: "gives an invalid Azure name: MySQL servers take 3-63 lowercase letters, digits and '-' (set mysql.serverName to choose one)"},
			}},
		{name: "trailing hyphen in the stack", cfg: Config{NamePrefix: "wp", Stack: "prod-"},
			want: Problems{
				{Key: byPrefix, Value: "vnet-wp-prod-", Msg: "gives an invalid Azure name: virtual networks take 1-80 letters, digits, '-', '_' and '.'"},
				{Key: byPrefix, Value: "aks-wp-prod-", Msg: "gives an invalid Azure name: AKS clusters take 1-63 letters, digits, '-' and '_'"},
				{Key: byPrefix, Value: "wp-prod-", Msg: "gives an invalid Azure name: AKS DNS prefixes are DNS labels: 1-54 lowercase letters, digits and '-'"},
				{Key: byPrefix, Value: "log-wp-prod-", Msg: "gives an invalid Azure name: Log Analytics workspaces take 4-63 letters, digits and '-'"},
				{Key: byPrefix, Value: "wp-prod-", Msg: "gives an invalid Azure name: private DNS zone labels are DNS labels"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.cfg.Names().check(tt.cfg)
			assertProblems(t, got, tt.want)
		})
	}
}
