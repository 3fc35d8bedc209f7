package tests

// Resource-graph tests of the Azure layer (issues 2 and 6) for the dev and prod stack files:
// node pools and cluster, network and NSGs, MySQL, registry and role assignments, the NFS VM,
// the ingress IP, protection and delete locks, tags, backups, alerts, the budget, and secrets.

import (
	"encoding/base64"
	"fmt"
	"net/netip"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/example/wordpress-aks/infra"
	"github.com/example/wordpress-aks/plan"
)

// Built-in Azure role ids (learn.microsoft.com, "Azure built-in roles").
const (
	gRoleAcrPull            = "7f951dda-4ed3-4680-a7ca-43fe172d538d"
	gRoleNetworkContributor = "4d97b98b-1d4f-4787-a291-c67834d212e7"
)

func TestGraphNodePools(t *testing.T) {
	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		aks := gFind(t, p, "aks")
		if got, want := len(gList(t, aks, "agentPoolProfiles")), 1; got != want {
			t.Fatalf("aks has %d inline pools, want %d (the System pool only)", got, want)
		}
		user := gFind(t, p, "pool-user")
		if got, want := gNames(gOfType(p, "azure-native", "containerservice", "AgentPool")), []string{"pool-user"}; !gEqualStrings(got, want) {
			t.Errorf("separate agent pools are %v, want %v", got, want)
		}
		clusterName := gStr(t, aks, "resourceName")
		if got := gStr(t, user, "resourceName"); got != clusterName {
			t.Errorf("pool-user belongs to cluster %q, want %q", got, clusterName)
		}
		tests := []struct {
			name   string
			r      plan.Resource
			prefix string // the pool's inputs, inline or separate
			nameAt string
			pool   string
			vmSize string
			count  int
			mode   string
			// osDiskType: the stack files put the F2s_v2 pool's OS disk in its 32 GiB cache;
			// B2s has no cache and an 8 GiB temp disk, so its OS disk stays managed.
			osDiskType string
		}{
			{"admin inline in aks", aks, "agentPoolProfiles[0].", "name", "admin", "Standard_F2s_v2", w.adminCount, "System", "Ephemeral"},
			{"user as pool-user", user, "", "agentPoolName", "user", "Standard_B2s", w.userCount, "User", "Managed"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				in := func(k string) string { return tt.prefix + k }
				if got := gStr(t, tt.r, in(tt.nameAt)); got != tt.pool {
					t.Errorf("pool name is %q, want %q", got, tt.pool)
				}
				if got := gStr(t, tt.r, in("vmSize")); got != tt.vmSize {
					t.Errorf("vmSize is %q, want %q", got, tt.vmSize)
				}
				if got := gInt(t, tt.r, in("count")); got != tt.count {
					t.Errorf("count is %d, want %d", got, tt.count)
				}
				if got := gStr(t, tt.r, in("mode")); got != tt.mode {
					t.Errorf("mode is %q, want %q", got, tt.mode)
				}
				labels := gStringMap(t, gMap(t, tt.r, in("nodeLabels")))
				if want := map[string]string{"env": tt.pool}; !gEqualMaps(labels, want) {
					t.Errorf("nodeLabels are %v, want exactly %v", labels, want)
				}
				if got := gInt(t, tt.r, in("osDiskSizeGB")); got != 30 {
					t.Errorf("osDiskSizeGB is %d, want 30", got)
				}
				if got := gStr(t, tt.r, in("osDiskType")); got != tt.osDiskType {
					t.Errorf("osDiskType is %q, want %s", got, tt.osDiskType)
				}
				vnet := gStr(t, gFind(t, p, "vnet"), "virtualNetworkName")
				if got := gStr(t, tt.r, in("vnetSubnetID")); !strings.HasSuffix(got, "/"+vnet+"/subnets/snet-aks") {
					t.Errorf("vnetSubnetID is %q, want the AKS subnet snet-aks of %s", got, vnet)
				}
			})
		}
		// The System pool is not B-series (the AKS docs advise against it).
		if got := gStr(t, aks, "agentPoolProfiles[0].vmSize"); strings.HasPrefix(got, "Standard_B") {
			t.Errorf("the System pool runs on B-series %s", got)
		}
	})
}

func TestGraphCluster(t *testing.T) {
	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		aks := gFind(t, p, "aks")
		for _, c := range []struct{ path, want string }{
			{"networkProfile.networkPlugin", "azure"},
			{"networkProfile.networkPluginMode", "overlay"},
			{"networkProfile.networkPolicy", "cilium"},
			{"networkProfile.networkDataplane", "cilium"},
			{"autoUpgradeProfile.upgradeChannel", "patch"},
			{"autoUpgradeProfile.nodeOSUpgradeChannel", "NodeImage"},
			{"sku.tier", "Free"},
			{"identity.type", "UserAssigned"},
			{"addonProfiles.omsagent.config.useAADAuth", "true"},
		} {
			if got := gStr(t, aks, c.path); got != c.want {
				t.Errorf("aks %s is %q, want %q", c.path, got, c.want)
			}
		}
		identity := gFind(t, p, "aks-identity")
		ids := gStrs(t, aks, "identity.userAssignedIdentities")
		if len(ids) != 1 || !strings.HasSuffix(ids[0], "/"+gStr(t, identity, "resourceName")) {
			t.Errorf("aks identities are %v, want the one id of aks-identity (%s)", ids, gStr(t, identity, "resourceName"))
		}
		if !gBool(t, aks, "addonProfiles.omsagent.enabled") {
			t.Errorf("omsagent addon is off")
		}
		ws := gFind(t, p, "log-analytics")
		if got := gStr(t, aks, "addonProfiles.omsagent.config.logAnalyticsWorkspaceResourceID"); !strings.HasSuffix(got, "/"+gStr(t, ws, "workspaceName")) {
			t.Errorf("omsagent sends to %q, want the workspace %s", got, gStr(t, ws, "workspaceName"))
		}
		// Cluster after subnet and after the identity's role.
		gWantDeps(t, aks, "aks-network-contributor", "aks-identity", "vnet", "log-analytics")

		// Two maintenance windows with AKS's reserved names, both in the weekly window.
		mcs := gOfType(p, "azure-native", "containerservice", "MaintenanceConfiguration")
		var configNames []string
		for _, mc := range mcs {
			configNames = append(configNames, gStr(t, mc, "configName"))
			if got := gStr(t, mc, "resourceName"); got != gStr(t, aks, "resourceName") {
				t.Errorf("%s is for cluster %q, want %q", mc.Name, got, gStr(t, aks, "resourceName"))
			}
			for _, c := range []struct {
				path string
				want any
			}{
				{"maintenanceWindow.schedule.weekly.dayOfWeek", "Sunday"},
				{"maintenanceWindow.schedule.weekly.intervalWeeks", 1.0},
				{"maintenanceWindow.durationHours", 4.0},
				{"maintenanceWindow.startTime", "03:00"},
				{"maintenanceWindow.utcOffset", "+09:00"},
			} {
				if got := gInput(t, mc, c.path); got != c.want {
					t.Errorf("%s %s is %v, want %v", mc.Name, c.path, got, c.want)
				}
			}
			gWantDeps(t, mc, "aks")
		}
		sort.Strings(configNames)
		if want := []string{"aksManagedAutoUpgradeSchedule", "aksManagedNodeOSUpgradeSchedule"}; !gEqualStrings(configNames, want) {
			t.Errorf("maintenance configurations are %v, want %v", configNames, want)
		}

		// Container Insights: the rule sends the addon's stream to the workspace, and is
		// associated with the cluster.
		dcr := gFind(t, p, "container-insights-dcr")
		ext := gFindBy(t, gList(t, dcr, "dataSources.extensions"), "extensionName", "ContainerInsights")
		if got := gAt(t, ext, "streams[0]"); got != "Microsoft-ContainerInsights-Group-Default" {
			t.Errorf("container insights stream is %v", got)
		}
		if got := gStr(t, dcr, "destinations.logAnalytics[0].workspaceResourceId"); !strings.HasSuffix(got, "/"+gStr(t, ws, "workspaceName")) {
			t.Errorf("container insights rule sends to %q, want the workspace", got)
		}
		if got := gStr(t, dcr, "dataFlows[0].destinations[0]"); got != gStr(t, dcr, "destinations.logAnalytics[0].name") {
			t.Errorf("container insights data flow goes to %q, not to the rule's destination", got)
		}
		dcra := gFind(t, p, "container-insights-dcra")
		if got := gStr(t, dcra, "resourceUri"); !strings.HasSuffix(got, "/"+gStr(t, aks, "resourceName")) {
			t.Errorf("container insights association is on %q, want the cluster", got)
		}
		gWantDeps(t, dcra, "aks", "container-insights-dcr")
	})
}

func TestGraphNetwork(t *testing.T) {
	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		vnet := gFind(t, p, "vnet")
		if got := gStrs(t, vnet, "addressSpace.addressPrefixes"); !gEqualStrings(got, []string{w.vnetCIDR}) {
			t.Errorf("vnet address space is %v, want [%s]", got, w.vnetCIDR)
		}
		subnets := gList(t, vnet, "subnets")
		if len(subnets) != 3 {
			t.Errorf("vnet has %d subnets, want 3", len(subnets))
		}
		nsgName := func(logical string) string { return gStr(t, gFind(t, p, logical), "networkSecurityGroupName") }
		for _, tt := range []struct {
			subnet, prefix, nsg string
		}{
			{"snet-aks", w.aksSubnet, ""},
			{"snet-mysql", w.mysqlSubnet, nsgName("nsg-mysql")},
			{"snet-nfs", w.nfsSubnet, nsgName("nsg-nfs")},
		} {
			s := gFindBy(t, subnets, "name", tt.subnet)
			if got := s["addressPrefix"]; got != tt.prefix {
				t.Errorf("%s prefix is %v, want %s", tt.subnet, got, tt.prefix)
			}
			if tt.nsg != "" {
				if got, _ := gLookup(s, "networkSecurityGroup.id"); got == nil || !strings.HasSuffix(got.(string), "/"+tt.nsg) {
					t.Errorf("%s NSG is %v, want %s", tt.subnet, got, tt.nsg)
				}
			}
		}
		mysqlSubnet := gFindBy(t, subnets, "name", "snet-mysql")
		if got := gAt(t, mysqlSubnet, "delegations[0].serviceName"); got != "Microsoft.DBforMySQL/flexibleServers" {
			t.Errorf("snet-mysql delegated to %v, want Microsoft.DBforMySQL/flexibleServers", got)
		}
		if got := len(gAt(t, mysqlSubnet, "delegations").([]any)); got != 1 {
			t.Errorf("snet-mysql has %d delegations, want 1", got)
		}
		gWantDeps(t, vnet, "nsg-mysql", "nsg-nfs")

		// NFS: the only Allow rule is TCP 2049 from the AKS node subnet to the NFS subnet.
		nfs := gFind(t, p, "nsg-nfs")
		var allows []map[string]any
		for _, r := range gList(t, nfs, "securityRules") {
			rule := r.(map[string]any)
			if rule["access"] == "Allow" {
				allows = append(allows, rule)
			}
		}
		if len(allows) != 1 {
			t.Fatalf("nsg-nfs has %d Allow rules, want 1: %v", len(allows), allows)
		}
		for k, want := range map[string]string{
			"direction":                "Inbound",
			"protocol":                 "Tcp",
			"destinationPortRange":     "2049",
			"sourceAddressPrefix":      w.aksSubnet,
			"destinationAddressPrefix": w.nfsSubnet,
		} {
			if got := allows[0][k]; got != want {
				t.Errorf("nsg-nfs allow rule %s is %v, want %s", k, got, want)
			}
		}

		// No rule anywhere lets SSH (or every port) in from the internet; each NSG denies SSH
		// from the internet explicitly.
		nsgs := gOfType(p, "azure-native", "network", "NetworkSecurityGroup")
		if len(nsgs) == 0 {
			t.Fatalf("no network security groups")
		}
		for _, nsg := range nsgs {
			deniesSSH := false
			for _, r := range gList(t, nsg, "securityRules") {
				rule := r.(map[string]any)
				if rule["direction"] != "Inbound" {
					continue
				}
				open := gOpenSource(rule)
				covers22 := gPortsCover(rule, 22)
				if rule["access"] == "Allow" && open && covers22 {
					t.Errorf("%s rule %v allows port 22 from %v", nsg.Name, rule["name"], rule["sourceAddressPrefix"])
				}
				if rule["access"] == "Deny" && rule["sourceAddressPrefix"] == "Internet" && covers22 {
					deniesSSH = true
				}
			}
			if !deniesSSH {
				t.Errorf("%s has no rule denying SSH from the internet", nsg.Name)
			}
		}
	})
}

// gOpenSource reports whether an NSG rule's source is the whole internet.
func gOpenSource(rule map[string]any) bool {
	open := map[string]bool{"*": true, "Internet": true, "0.0.0.0/0": true, "Any": true, "any": true}
	if s, ok := rule["sourceAddressPrefix"].(string); ok && open[s] {
		return true
	}
	if l, ok := rule["sourceAddressPrefixes"].([]any); ok {
		for _, e := range l {
			if s, ok := e.(string); ok && open[s] {
				return true
			}
		}
	}
	return false
}

// gPortsCover reports whether an NSG rule's destination ports include port.
func gPortsCover(rule map[string]any, port int) bool {
	var ranges []string
	if s, ok := rule["destinationPortRange"].(string); ok {
		ranges = append(ranges, s)
	}
	if l, ok := rule["destinationPortRanges"].([]any); ok {
		for _, e := range l {
			if s, ok := e.(string); ok {
				ranges = append(ranges, s)
			}
		}
	}
	for _, r := range ranges {
		if r == "*" {
			return true
		}
		lo, hi, isRange := strings.Cut(r, "-")
		if !isRange {
			hi = lo
		}
		a, errA := strconv.Atoi(lo)
		b, errB := strconv.Atoi(hi)
		if errA == nil && errB == nil && a <= port && port <= b {
			return true
		}
	}
	return false
}

func TestGraphMySQL(t *testing.T) {
	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		m := gFind(t, p, "mysql")
		if got, want := m.Type, "azure-native:dbformysql/v20231230:Server"; got != want {
			t.Errorf("mysql type is %s, want %s", got, want)
		}
		zone := gFind(t, p, "mysql-dns-zone")
		zoneName := gStr(t, zone, "privateZoneName")
		if !strings.HasSuffix(zoneName, ".mysql.database.azure.com") {
			t.Errorf("private zone %q does not end in .mysql.database.azure.com", zoneName)
		}
		for _, c := range []struct {
			path string
			want any
		}{
			{"network.publicNetworkAccess", "Disabled"},
			{"version", "8.4"},
			{"sku.name", "Standard_B1ms"},
			{"sku.tier", "Burstable"},
			{"storage.storageSizeGB", float64(w.mysqlStorageGB)},
			{"backup.backupRetentionDays", float64(w.mysqlBackupDays)},
			{"backup.geoRedundantBackup", w.mysqlGeoBackup},
			{"highAvailability.mode", "Disabled"},
			{"administratorLoginPassword", plan.Secret},
		} {
			if got := gInput(t, m, c.path); got != c.want {
				t.Errorf("mysql %s is %v, want %v", c.path, got, c.want)
			}
		}
		if got := gStr(t, m, "network.delegatedSubnetResourceId"); !strings.HasSuffix(got, "/subnets/snet-mysql") {
			t.Errorf("mysql delegated subnet is %q, want .../subnets/snet-mysql", got)
		}
		if got := gStr(t, m, "network.privateDnsZoneResourceId"); !strings.HasSuffix(got, "/"+zoneName) {
			t.Errorf("mysql private zone is %q, want one ending in %s", got, zoneName)
		}
		gWantDeps(t, m, "mysql-dns-link", "vnet", "mysql-admin-password")

		// The zone is linked to the VNet.
		link := gFind(t, p, "mysql-dns-link")
		if got := gStr(t, link, "privateZoneName"); got != zoneName {
			t.Errorf("link is for zone %q, want %q", got, zoneName)
		}
		if got := gStr(t, link, "virtualNetwork.id"); !strings.HasSuffix(got, "/"+gStr(t, gFind(t, p, "vnet"), "virtualNetworkName")) {
			t.Errorf("zone is linked to %q, want the VNet", got)
		}
		gWantDeps(t, link, "vnet", "mysql-dns-zone")

		// TLS required.
		tls := gFind(t, p, "mysql-require-secure-transport")
		if got := gStr(t, tls, "configurationName"); got != "require_secure_transport" {
			t.Errorf("configuration is %q, want require_secure_transport", got)
		}
		if got := gStr(t, tls, "value"); got != "ON" {
			t.Errorf("require_secure_transport is %q, want ON", got)
		}
		gWantDeps(t, tls, "mysql")

		// One utf8mb4 database per site, and no other.
		var want []string
		for _, site := range gSiteNames(w) {
			want = append(want, "mysql-db-"+site)
			db := gFind(t, p, "mysql-db-"+site)
			if got := gStr(t, db, "databaseName"); got != w.databases[site] {
				t.Errorf("%s database is %q, want %q", db.Name, got, w.databases[site])
			}
			if got := gStr(t, db, "charset"); got != "utf8mb4" {
				t.Errorf("%s charset is %q, want utf8mb4", db.Name, got)
			}
			if got := gStr(t, db, "collation"); !strings.HasPrefix(got, "utf8mb4_") {
				t.Errorf("%s collation is %q, want a utf8mb4 one", db.Name, got)
			}
			if got := gStr(t, db, "serverName"); got != gStr(t, m, "serverName") {
				t.Errorf("%s is on server %q, want %q", db.Name, got, gStr(t, m, "serverName"))
			}
			gWantDeps(t, db, "mysql")
		}
		if got := gNames(gOfType(p, "azure-native", "dbformysql", "Database")); !gEqualStrings(got, want) {
			t.Errorf("databases are %v, want %v", got, want)
		}
	})
}

func TestGraphRegistryAndRoles(t *testing.T) {
	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		reg := gFind(t, p, "registry")
		if gBool(t, reg, "adminUserEnabled") {
			t.Errorf("registry admin user is enabled")
		}
		if got := gStr(t, reg, "sku.name"); got != "Basic" {
			t.Errorf("registry sku is %q, want Basic", got)
		}

		// Exactly the role assignments the design needs: two, the snapshot workflow's two
		// (TestGraphBackup checks those), and with an office-hours schedule each workflow's on
		// the three resources it starts and stops (schedule_test.go checks those).
		want := []string{"aks-network-contributor", "kubelet-acr-pull"}
		if w.backup && w.backupMethod == "snapshots" {
			want = append(want, "snapshot-contributor", "snapshot-disk-reader")
		}
		if p.Config.Schedule.Enabled {
			want = append(want, "schedule-start-aks", "schedule-start-mysql", "schedule-start-nfs-vm", "schedule-stop-aks", "schedule-stop-mysql", "schedule-stop-nfs-vm")
		}
		if got := gNames(gOfType(p, "azure-native", "authorization", "RoleAssignment")); !gEqualStrings(got, want) {
			t.Errorf("role assignments are %v, want %v", got, want)
		}
		pull := gFind(t, p, "kubelet-acr-pull")
		if got := gStr(t, pull, "roleDefinitionId"); !strings.HasSuffix(got, "/providers/Microsoft.Authorization/roleDefinitions/"+gRoleAcrPull) {
			t.Errorf("kubelet-acr-pull role is %q, want AcrPull %s", got, gRoleAcrPull)
		}
		if got := gStr(t, pull, "scope"); !strings.HasPrefix(got, "/subscriptions/") || !strings.HasSuffix(got, "/"+gStr(t, reg, "registryName")) {
			t.Errorf("kubelet-acr-pull scope is %q, want the registry %s", got, gStr(t, reg, "registryName"))
		}
		if got := gStr(t, pull, "principalType"); got != "ServicePrincipal" {
			t.Errorf("kubelet-acr-pull principalType is %q, want ServicePrincipal", got)
		}
		gWantDeps(t, pull, "aks", "registry")

		net := gFind(t, p, "aks-network-contributor")
		if got := gStr(t, net, "roleDefinitionId"); !strings.HasSuffix(got, "/providers/Microsoft.Authorization/roleDefinitions/"+gRoleNetworkContributor) {
			t.Errorf("aks-network-contributor role is %q, want Network Contributor %s", got, gRoleNetworkContributor)
		}
		rg := gStr(t, gFind(t, p, "resource-group"), "resourceGroupName")
		if got := gStr(t, net, "scope"); !strings.HasPrefix(got, "/subscriptions/") || !strings.HasSuffix(got, "/resourceGroups/"+rg) {
			t.Errorf("aks-network-contributor scope is %q, want the resource group %s", got, rg)
		}
		if got := gStr(t, net, "principalType"); got != "ServicePrincipal" {
			t.Errorf("aks-network-contributor principalType is %q, want ServicePrincipal", got)
		}
		gWantDeps(t, net, "aks-identity")

		// The pull right goes to the kubelet identity, not to the control plane's.
		kubelet, control := gStr(t, pull, "principalId"), gStr(t, net, "principalId")
		if !gIsGUID(kubelet) {
			t.Errorf("kubelet-acr-pull principal %q is not an object id", kubelet)
		}
		if !gIsGUID(control) {
			t.Errorf("aks-network-contributor principal %q is not an object id", control)
		}
		if kubelet == control {
			t.Errorf("AcrPull and Network Contributor go to the same principal %s; AcrPull belongs to the kubelet identity", kubelet)
		}
	})
}

// TestGraphRolePrincipals checks, under our own mock, which identity each role goes to: the
// mock gives the cluster's kubelet identity and the control plane identity known object ids.
func TestGraphRolePrincipals(t *testing.T) {
	mon := graphRaw(t, "prod")
	for _, tt := range []struct {
		name, want string
	}{
		{"kubelet-acr-pull", "11111111-1111-1111-1111-111111111111"},        // ManagedCluster identityProfile.kubeletidentity.objectId
		{"aks-network-contributor", "22222222-2222-2222-2222-222222222222"}, // UserAssignedIdentity principalId
	} {
		t.Run(tt.name, func(t *testing.T) {
			v, _ := gUnwrapSecret(mon.find(t, tt.name).Inputs["principalId"])
			if !v.IsString() {
				t.Fatalf("principalId is %v, not a known string", v)
			}
			if got := v.StringValue(); got != tt.want {
				t.Errorf("principalId is %s, want %s", got, tt.want)
			}
		})
	}
}

func TestGraphNFS(t *testing.T) {
	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		// The server address is the 4th after the subnet's network address (Azure keeps .0-.3).
		prefix := netip.MustParsePrefix(w.nfsSubnet)
		addr := prefix.Addr()
		for range 4 {
			addr = addr.Next()
		}
		if addr.String() != w.nfsIP {
			t.Fatalf("test table: NFS IP %s is not the 4th address of %s", w.nfsIP, w.nfsSubnet)
		}
		nic := gFind(t, p, "nfs-nic")
		configs := gList(t, nic, "ipConfigurations")
		if len(configs) != 1 {
			t.Fatalf("nfs-nic has %d ip configurations, want 1", len(configs))
		}
		ipc := configs[0].(map[string]any)
		for _, k := range []string{"publicIPAddress", "publicIpAddress"} {
			if _, ok := ipc[k]; ok {
				t.Errorf("nfs-nic has a public IP: %v", ipc[k])
			}
		}
		if got := ipc["privateIPAllocationMethod"]; got != "Static" {
			t.Errorf("nfs-nic allocation is %v, want Static", got)
		}
		if got := ipc["privateIPAddress"]; got != w.nfsIP {
			t.Errorf("nfs-nic address is %v, want %s", got, w.nfsIP)
		}
		if got := gAt(t, ipc, "subnet.id").(string); !strings.HasSuffix(got, "/subnets/snet-nfs") {
			t.Errorf("nfs-nic subnet is %q, want snet-nfs", got)
		}
		if got := gNames(gOfType(p, "azure-native", "network", "PublicIPAddress")); !gEqualStrings(got, []string{"ingress-ip"}) {
			t.Errorf("public IPs are %v, want only ingress-ip", got)
		}

		disk := gFind(t, p, "nfs-data-disk")
		if got := gInt(t, disk, "diskSizeGB"); got != w.nfsDiskGB {
			t.Errorf("data disk is %d GB, want %d", got, w.nfsDiskGB)
		}
		if got := gStr(t, disk, "sku.name"); got != w.nfsDiskSKU {
			t.Errorf("data disk sku is %q, want %q", got, w.nfsDiskSKU)
		}

		vm := gFind(t, p, "nfs-vm")
		dataDisks := gList(t, vm, "storageProfile.dataDisks")
		if len(dataDisks) != 1 {
			t.Fatalf("nfs-vm has %d data disks, want 1", len(dataDisks))
		}
		dd := dataDisks[0]
		for _, c := range []struct {
			path string
			want any
		}{
			{"lun", 0.0},
			{"createOption", "Attach"},
			{"deleteOption", "Detach"},
		} {
			if got := gAt(t, dd, c.path); got != c.want {
				t.Errorf("data disk %s is %v, want %v", c.path, got, c.want)
			}
		}
		if got := gAt(t, dd, "managedDisk.id").(string); !strings.HasSuffix(got, "/"+gStr(t, disk, "diskName")) {
			t.Errorf("attached disk is %q, want nfs-data-disk (%s)", got, gStr(t, disk, "diskName"))
		}
		if !gBool(t, vm, "osProfile.linuxConfiguration.disablePasswordAuthentication") {
			t.Errorf("password authentication is enabled")
		}
		if gHasInput(vm, "osProfile.adminPassword") {
			t.Errorf("nfs-vm has an admin password")
		}
		keys := gList(t, vm, "osProfile.linuxConfiguration.ssh.publicKeys")
		if len(keys) != 1 {
			t.Errorf("nfs-vm has %d SSH keys, want 1", len(keys))
		} else if got, _ := gAt(t, keys[0], "keyData").(string); !strings.HasPrefix(got, "ssh-") && !strings.HasPrefix(got, "ecdsa-") {
			t.Errorf("SSH key is %q, not an OpenSSH public key", got)
		}
		for _, c := range []struct{ path, want string }{
			{"storageProfile.imageReference.publisher", "Canonical"},
			{"storageProfile.imageReference.offer", "ubuntu-24_04-lts"},
			{"storageProfile.imageReference.sku", "server"},
		} {
			if got := gStr(t, vm, c.path); got != c.want {
				t.Errorf("nfs-vm %s is %q, want %q (Ubuntu 24.04 LTS)", c.path, got, c.want)
			}
		}
		if got := gStr(t, vm, "networkProfile.networkInterfaces[0].id"); !strings.HasSuffix(got, "/"+gStr(t, nic, "networkInterfaceName")) {
			t.Errorf("nfs-vm NIC is %q, want nfs-nic", got)
		}
		gWantDeps(t, vm, "nfs-data-disk", "nfs-nic")

		// cloud-init: the setup script and its settings, nothing per site, nothing secret.
		doc, files := gCloudInit(t, gStr(t, vm, "osProfile.customData"))
		if !strings.HasPrefix(doc, "#cloud-config\n") {
			t.Errorf("customData is not a #cloud-config document: %.40q", doc)
		}
		script, ok := files["/usr/local/sbin/wp-nfs-setup"]
		if !ok {
			t.Fatalf("cloud-init writes no setup script; files: %v", gKeys(files))
		}
		if want := gProjectFile(t, "infra/nfs/setup.sh"); script != want {
			t.Errorf("the setup script in customData differs from infra/nfs/setup.sh")
		}
		settings, ok := files["/etc/default/wp-nfs"]
		if !ok {
			t.Fatalf("cloud-init writes no settings; files: %v", gKeys(files))
		}
		if !strings.Contains(settings, "CLIENT_CIDR="+w.aksSubnet+"\n") {
			t.Errorf("settings do not export to the AKS subnet %s:\n%s", w.aksSubnet, settings)
		}
		if !strings.Contains(doc, "runcmd:") || !strings.Contains(doc, "/usr/local/sbin/wp-nfs-setup") {
			t.Errorf("cloud-init does not run the setup script:\n%s", doc)
		}
		// The script is the repo's file, the same for every stack; the rest must not name a
		// site (adding one would change customData and replace the VM) or hold a secret.
		for name, text := range map[string]string{"cloud-config": doc, "settings": settings} {
			for _, site := range gSiteNames(w) {
				if strings.Contains(text, site) {
					t.Errorf("%s names site %q", name, site)
				}
			}
		}
		for name, text := range map[string]string{"cloud-config": doc, "settings": settings, "script": script} {
			if strings.Contains(text, plan.Secret) || strings.Contains(text, "PRIVATE KEY") {
				t.Errorf("%s holds a secret", name)
			}
		}
	})
}

// gCloudInit decodes a base64 #cloud-config and the base64 contents of its write_files.
func gCloudInit(t *testing.T, customData string) (string, map[string]string) {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(customData)
	if err != nil {
		t.Fatalf("customData is not base64: %v", err)
	}
	doc := string(raw)
	files := map[string]string{}
	path := ""
	for _, line := range strings.Split(doc, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "- path:"):
			path = strings.TrimSpace(strings.TrimPrefix(trimmed, "- path:"))
		case strings.HasPrefix(trimmed, "content:") && path != "":
			b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(strings.TrimPrefix(trimmed, "content:")))
			if err != nil {
				t.Fatalf("content of %s is not base64: %v", path, err)
			}
			files[path] = string(b)
		}
	}
	return doc, files
}

func gKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestGraphIngressIP(t *testing.T) {
	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		ip := gFind(t, p, "ingress-ip")
		for _, c := range []struct{ path, want string }{
			{"sku.name", "Standard"},
			{"publicIPAllocationMethod", "Static"},
			{"publicIPAddressVersion", "IPv4"},
		} {
			if got := gStr(t, ip, c.path); got != c.want {
				t.Errorf("ingress-ip %s is %q, want %q", c.path, got, c.want)
			}
		}
		if got := gStrs(t, ip, "zones"); !gEqualStrings(got, []string{"1", "2", "3"}) {
			t.Errorf("ingress-ip zones are %v, want [1 2 3]", got)
		}
	})
}

func TestGraphProtection(t *testing.T) {
	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		var protected []string
		for _, r := range p.Resources {
			if r.Protect {
				protected = append(protected, r.Name)
			}
		}
		sort.Strings(protected)
		var want []string
		if w.protected {
			want = []string{"ingress-ip", "mysql", "nfs-data-disk", "snapshot-group"}
			for _, site := range gSiteNames(w) {
				want = append(want, "mysql-db-"+site)
			}
			sort.Strings(want)
		}
		if !gEqualStrings(protected, want) {
			t.Errorf("protected resources are %v, want %v", protected, want)
		}

		// Azure delete locks: prod only, one per data holder, after what it locks.
		locks := gOfType(p, "azure-native", "authorization", "ManagementLockByScope")
		var wantLocks []string
		targets := map[string]struct{ target, nameAt string }{
			"lock-mysql":           {"mysql", "serverName"},
			"lock-wp-content-disk": {"nfs-data-disk", "diskName"},
		}
		if w.protected {
			wantLocks = gKeys(targets)
		}
		if got := gNames(locks); !gEqualStrings(got, wantLocks) {
			t.Errorf("delete locks are %v, want %v", got, wantLocks)
		}
		for _, lock := range locks {
			tg, ok := targets[lock.Name]
			if !ok {
				continue
			}
			if got := gStr(t, lock, "level"); got != "CanNotDelete" {
				t.Errorf("%s level is %q, want CanNotDelete", lock.Name, got)
			}
			gWantDeps(t, lock, tg.target)
			if got := gStr(t, lock, "scope"); !strings.HasSuffix(got, "/"+gStr(t, gFind(t, p, tg.target), tg.nameAt)) {
				t.Errorf("%s scope is %q, want %s", lock.Name, got, tg.target)
			}
		}
	})
}

func TestGraphTags(t *testing.T) {
	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		tagged := 0
		for _, r := range p.Resources {
			if !strings.HasPrefix(r.Type, "azure-native:") {
				continue
			}
			gWalkTags(t, r, "", r.Inputs, func(path string, tags map[string]any) {
				tagged++
				for k, want := range map[string]string{"project": graphProject, "stack": p.Stack, "owner": "blog-team", "costCenter": w.costCenter} {
					if got := tags[k]; got != want {
						t.Errorf("%s%s: tag %s is %v, want %q", r.Name, path, k, got, want)
					}
				}
			})
		}
		if tagged < 30 {
			t.Errorf("only %d tag sets in the plan; the walk finds nothing", tagged)
		}
	})
}

// gWalkTags calls f for every "tags" object in a resource's inputs (inline pools carry their own).
func gWalkTags(t *testing.T, r plan.Resource, path string, v any, f func(path string, tags map[string]any)) {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if k == "tags" {
				tags, ok := e.(map[string]any)
				if !ok {
					t.Errorf("%s%s.tags is %v, not an object of known tags", r.Name, path, e)
					continue
				}
				f(path, tags)
				continue
			}
			gWalkTags(t, r, path+"."+k, e, f)
		}
	case []any:
		for i, e := range x {
			gWalkTags(t, r, path+"["+strconv.Itoa(i)+"]", e, f)
		}
	}
}

// TestGraphSiteTags: issue 2 asks for a site tag "where it applies"; the per-site Azure
// resources are the availability test and its alert.
func TestGraphSiteTags(t *testing.T) {
	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		for _, site := range gSiteNames(w) {
			for _, name := range []string{"webtest-" + site, "alert-site-" + site} {
				if got := gInput(t, gFind(t, p, name), `tags.site`); got != site {
					t.Errorf("%s tag site is %v, want %q", name, got, site)
				}
			}
		}
	})
}

func TestGraphBackup(t *testing.T) {
	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		vaults := gOfType(p, "azure-native", "recoveryservices", "Vault")
		policies := gOfType(p, "azure-native", "recoveryservices", "ProtectionPolicy")
		items := gOfType(p, "azure-native", "recoveryservices", "ProtectedItem")
		var snapshotParts []string
		for _, r := range p.Resources {
			if strings.HasPrefix(r.Name, "snapshot-") || r.Name == "backup-snapshots" {
				snapshotParts = append(snapshotParts, r.Name)
			}
		}
		if !w.backup {
			if n := len(vaults) + len(policies) + len(items) + len(snapshotParts); n != 0 {
				t.Errorf("backup is off, but the plan has %v %v %v %v", gNames(vaults), gNames(policies), gNames(items), snapshotParts)
			}
			return
		}
		switch w.backupMethod {
		case "snapshots":
			if n := len(vaults) + len(policies) + len(items); n != 0 {
				t.Errorf("snapshot backup, but the plan has a vault, policy or item: %v %v %v", gNames(vaults), gNames(policies), gNames(items))
			}
			gCheckSnapshotBackup(t, p, w)
		case "vm":
			gCheckVMBackup(t, p, w)
		default:
			t.Fatalf("no check for backup method %q", w.backupMethod)
		}
	})
}

// TestGraphBackupVM plans prod with backup.method vm, the Recovery Services way, which the
// committed stacks no longer use: a vault with the configured redundancy, its policy, the
// protected NFS VM, and a delete lock on the vault.
func TestGraphBackupVM(t *testing.T) {
	src := gStackSource(t, "prod")
	src.Values[graphProject+":backup"] = `{"enabled":true,"method":"vm","dailyRetentionDays":30,"weeklyRetentionWeeks":12,"timeUTC":"18:00","storageRedundancy":"GeoRedundant"}`
	p, err := plan.RunSource(graphProject, "prod", src)
	if err != nil {
		t.Fatalf("plan prod with VM backup: %v", err)
	}
	w := gWants["prod"]
	w.backupMethod, w.backupRedundancy = "vm", "GeoRedundant"
	gCheckVMBackup(t, p, w)
	for _, name := range []string{"snapshot-group", "backup-snapshots", "snapshot-disk-reader", "snapshot-contributor"} {
		for _, r := range p.Resources {
			if r.Name == name {
				t.Errorf("VM backup, but the plan has %s", name)
			}
		}
	}
	lock := gFind(t, p, "lock-backup-vault")
	gWantDeps(t, lock, "backup-vault")
	for _, name := range []string{"backup-vault", "backup-nfs-vm"} {
		if !gFind(t, p, name).Protect {
			t.Errorf("%s is not protected", name)
		}
	}
}

// gCheckSnapshotBackup checks the snapshot way: a retained group for the snapshots, a daily
// workflow that snapshots the wp-content disk and prunes only its own snapshots past their
// retention, and grants that reach exactly the disk and the group.
func gCheckSnapshotBackup(t *testing.T, p *plan.Plan, w gStackWant) {
	t.Helper()
	group := gFind(t, p, "snapshot-group")
	groupName := gStr(t, group, "resourceGroupName")
	if want := "rg-wp-" + p.Stack + "-snapshots"; groupName != want {
		t.Errorf("snapshot group is %q, want %q", groupName, want)
	}
	if !group.RetainOnDelete {
		t.Error("the snapshot group is not retained: a teardown would delete the backups")
	}
	if group.Protect != w.protected {
		t.Errorf("snapshot group protect is %v, want %v", group.Protect, w.protected)
	}
	wf := gFind(t, p, "backup-snapshots")
	if got := gStr(t, wf, "resourceGroupName"); got != groupName {
		t.Errorf("workflow is in %q, want the snapshot group", got)
	}
	gWantDeps(t, wf, "snapshot-group", "nfs-data-disk")
	diskName := gStr(t, gFind(t, p, "nfs-data-disk"), "diskName")

	for _, c := range []struct {
		path string
		want any
	}{
		{"definition.triggers.Recurrence.recurrence.frequency", "Day"},
		{"definition.triggers.Recurrence.recurrence.timeZone", "UTC"},
		{"definition.triggers.Recurrence.recurrence.schedule.hours[0]", 18.0},
		{"definition.triggers.Recurrence.recurrence.schedule.minutes[0]", 0.0},
		{"definition.actions.Snapshot.inputs.method", "PUT"},
		{"definition.actions.Snapshot.inputs.body.sku.name", map[string]string{"ZoneRedundant": "Standard_ZRS", "LocallyRedundant": "Standard_LRS"}[w.backupRedundancy]},
		{"definition.actions.Snapshot.inputs.body.properties.incremental", true},
		{"definition.actions.Snapshot.inputs.body.properties.creationData.createOption", "Copy"},
		{"definition.actions.Snapshot.inputs.body.tags.wp-backup-of", diskName},
		{"definition.actions.Snapshot.inputs.authentication.type", "ManagedServiceIdentity"},
		{"definition.actions.ListSnapshots.inputs.method", "GET"},
		{"definition.actions.DeleteExpired.actions.Delete.inputs.method", "DELETE"},
	} {
		if got := gInput(t, wf, c.path); got != c.want {
			t.Errorf("workflow %s is %v, want %v", c.path, got, c.want)
		}
	}
	if got := gStr(t, wf, "definition.actions.Snapshot.inputs.body.properties.creationData.sourceResourceId"); !strings.HasSuffix(got, "/"+diskName) {
		t.Errorf("the snapshot copies %q, want the wp-content disk %s", got, diskName)
	}
	snapURI := gStr(t, wf, "definition.actions.Snapshot.inputs.uri")
	if want := "/resourceGroups/" + groupName + "/providers/Microsoft.Compute/snapshots/snap-wp-" + p.Stack + "-wpcontent-@{utcNow('yyyyMMdd-HHmm')}?api-version="; !strings.Contains(snapURI, want) {
		t.Errorf("snapshot uri %q does not contain %q", snapURI, want)
	}
	// Pruning runs only after the day's snapshot succeeded, and the loop deletes what the
	// query kept.
	for action, after := range map[string]string{"ListSnapshots": "Snapshot", "Expired": "ListSnapshots", "DeleteExpired": "Expired"} {
		if got := gInput(t, wf, "definition.actions."+action+".runAfter."+after); fmt.Sprint(got) != "[Succeeded]" {
			t.Errorf("%s runs after %s %v, want [Succeeded] only", action, after, got)
		}
	}
	where := gStr(t, wf, "definition.actions.Expired.inputs.where")
	for _, frag := range []string{
		fmt.Sprintf("equals(item()?['tags']?['wp-backup-of'], '%s')", diskName),
		fmt.Sprintf("equals(item()?['tags']?['wp-backup-kind'], 'daily'), less(ticks(item()?['properties']?['timeCreated']), ticks(addDays(utcNow(), -%d)))", w.backupDays),
		fmt.Sprintf("equals(item()?['tags']?['wp-backup-kind'], 'weekly'), less(ticks(item()?['properties']?['timeCreated']), ticks(addDays(utcNow(), -%d)))", 7*w.backupWeeks),
	} {
		if !strings.Contains(where, frag) {
			t.Errorf("expiry %q does not contain %q", where, frag)
		}
	}
	if strings.Count(where, "wp-backup-of") != 2 {
		t.Errorf("expiry %q: every branch must be limited to this disk's snapshots", where)
	}

	for name, want := range map[string]struct{ role, target, nameAt string }{
		"snapshot-disk-reader": {"3e5e47e6-65f7-47ef-90b5-e5dd4d455f24", "nfs-data-disk", "diskName"},
		"snapshot-contributor": {"7efff54f-a5b4-42b5-a1c5-5411624893ce", "snapshot-group", "resourceGroupName"},
	} {
		ra := gFind(t, p, name)
		if got := gStr(t, ra, "roleDefinitionId"); !strings.HasSuffix(got, "/roleDefinitions/"+want.role) {
			t.Errorf("%s role is %q, want %s", name, got, want.role)
		}
		if got := gStr(t, ra, "scope"); !strings.HasSuffix(got, "/"+gStr(t, gFind(t, p, want.target), want.nameAt)) {
			t.Errorf("%s scope is %q, want %s", name, got, want.target)
		}
		gWantDeps(t, ra, "backup-snapshots", want.target)
	}
}

// gCheckVMBackup checks Azure VM backup: the vault, its daily policy and the NFS VM protected
// with only the wp-content disk's LUN included.
func gCheckVMBackup(t *testing.T, p *plan.Plan, w gStackWant) {
	t.Helper()
	vaults := gOfType(p, "azure-native", "recoveryservices", "Vault")
	policies := gOfType(p, "azure-native", "recoveryservices", "ProtectionPolicy")
	items := gOfType(p, "azure-native", "recoveryservices", "ProtectedItem")
	if len(vaults) != 1 || len(policies) != 1 || len(items) != 1 {
		t.Fatalf("want one vault, policy and protected item, got %v %v %v", gNames(vaults), gNames(policies), gNames(items))
	}
	vault := gFind(t, p, "backup-vault")
	if got := gStr(t, vault, "properties.redundancySettings.standardTierStorageRedundancy"); got != w.backupRedundancy {
		t.Errorf("vault redundancy is %q, want %q", got, w.backupRedundancy)
	}
	policy := gFind(t, p, "backup-policy")
	for _, c := range []struct {
		path string
		want any
	}{
		{"properties.retentionPolicy.dailySchedule.retentionDuration.count", float64(w.backupDays)},
		{"properties.retentionPolicy.dailySchedule.retentionDuration.durationType", "Days"},
		{"properties.retentionPolicy.weeklySchedule.retentionDuration.count", float64(w.backupWeeks)},
		{"properties.retentionPolicy.weeklySchedule.retentionDuration.durationType", "Weeks"},
		{"properties.schedulePolicy.scheduleRunFrequency", "Daily"},
		{"properties.schedulePolicy.dailySchedule.scheduleRunTimes[0]", "2024-01-01T18:00:00Z"},
	} {
		if got := gInput(t, policy, c.path); got != c.want {
			t.Errorf("backup policy %s is %v, want %v", c.path, got, c.want)
		}
	}
	if got := gStr(t, policy, "vaultName"); got != gStr(t, vault, "vaultName") {
		t.Errorf("policy is in vault %q, want %q", got, gStr(t, vault, "vaultName"))
	}
	item := gFind(t, p, "backup-nfs-vm")
	vmName := gStr(t, gFind(t, p, "nfs-vm"), "vmName")
	if got := gStr(t, item, "properties.sourceResourceId"); !strings.HasSuffix(got, "/"+vmName) {
		t.Errorf("protected item backs up %q, want the NFS VM %s", got, vmName)
	}
	if got := gInput(t, item, "properties.extendedProperties.diskExclusionProperties.diskLunList"); len(got.([]any)) != 1 || got.([]any)[0] != 0.0 {
		t.Errorf("protected item LUNs are %v, want [0]", got)
	}
	if !gBool(t, item, "properties.extendedProperties.diskExclusionProperties.isInclusionList") {
		t.Errorf("the LUN list excludes instead of includes")
	}
	if got := gStr(t, item, "properties.protectedItemType"); got != "Microsoft.Compute/virtualMachines" {
		t.Errorf("protected item type is %q", got)
	}
	// The mock names a policy's id after its vault, so the policy is checked by the edge.
	if got := gStr(t, item, "properties.policyId"); got == "" {
		t.Errorf("protected item has no policy")
	}
	gWantDeps(t, item, "nfs-vm", "backup-policy", "backup-vault")
}

func TestGraphAlerts(t *testing.T) {
	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		ag := gFind(t, p, "action-group")
		var emails []string
		for _, r := range gList(t, ag, "emailReceivers") {
			emails = append(emails, gAt(t, r, "emailAddress").(string))
		}
		if want := []string{"blog-ops@example.com"}; !gEqualStrings(emails, want) {
			t.Errorf("action group mails %v, want %v", emails, want)
		}

		aksName := gStr(t, gFind(t, p, "aks"), "resourceName")
		mysqlName := gStr(t, gFind(t, p, "mysql"), "serverName")
		vmName := gStr(t, gFind(t, p, "nfs-vm"), "vmName")
		// Thresholds are the config defaults (neither stack file sets alerts thresholds); the
		// connection limit is floor(171 max_connections of B1ms * 80%).
		metrics := []struct {
			name, metric, operator string
			threshold              float64
			target, targetName     string
			split                  string
		}{
			{"alert-node-cpu", "node_cpu_usage_percentage", "GreaterThan", 85, "aks", aksName, "nodepool"},
			{"alert-node-memory", "node_memory_working_set_percentage", "GreaterThan", 90, "aks", aksName, "nodepool"},
			{"alert-mysql-cpu", "cpu_percent", "GreaterThan", 85, "mysql", mysqlName, ""},
			{"alert-mysql-storage", "storage_percent", "GreaterThan", 85, "mysql", mysqlName, ""},
			{"alert-mysql-connections", "active_connections", "GreaterThan", 136, "mysql", mysqlName, ""},
			{"alert-nfs-vm-down", "VmAvailabilityMetric", "LessThan", 1, "nfs-vm", vmName, ""},
		}
		for _, m := range metrics {
			t.Run(m.name, func(t *testing.T) {
				a := gFind(t, p, m.name)
				c := gInput(t, a, "criteria.allOf[0]")
				if got := gAt(t, c, "metricName"); got != m.metric {
					t.Errorf("metric is %v, want %s", got, m.metric)
				}
				if got := gAt(t, c, "operator"); got != m.operator {
					t.Errorf("operator is %v, want %s", got, m.operator)
				}
				if got := gAt(t, c, "threshold"); got != m.threshold {
					t.Errorf("threshold is %v, want %v", got, m.threshold)
				}
				if m.split != "" {
					if got := gAt(t, c, "dimensions[0].name"); got != m.split {
						t.Errorf("split by %v, want %s", got, m.split)
					}
				}
				if got := gStrs(t, a, "scopes"); len(got) != 1 || !strings.HasSuffix(got[0], "/"+m.targetName) {
					t.Errorf("scopes are %v, want %s", got, m.targetName)
				}
				if got := gStr(t, a, "actions[0].actionGroupId"); !strings.HasSuffix(got, "/"+gStr(t, ag, "actionGroupName")) {
					t.Errorf("alert mails through %q, want the action group", got)
				}
				gWantDeps(t, a, m.target, "action-group")
			})
		}
		if got := p.Config.Alerts.NodeCPUPercent; got != 85 {
			t.Errorf("config nodeCpuPercent is %d; the table above assumes the default 85", got)
		}

		ws := gStr(t, gFind(t, p, "log-analytics"), "workspaceName")
		for _, l := range []struct {
			name, inQuery string
			threshold     float64
		}{
			{"alert-pod-restarts", "Restarts >= 3", 0},
			{"alert-nfs-disk-full", `InstanceName == "/srv/nfs"`, 85},
		} {
			a := gFind(t, p, l.name)
			// The GA API (2023-12-01), not the SDK's default 2023-03-15-preview.
			if want := "azure-native:insights/v20231201:ScheduledQueryRule"; a.Type != want {
				t.Errorf("%s is a %s, want %s", l.name, a.Type, want)
			}
			if got := gStr(t, a, "criteria.allOf[0].query"); !strings.Contains(got, l.inQuery) {
				t.Errorf("%s query does not contain %q:\n%s", l.name, l.inQuery, got)
			}
			if got := gNum(t, a, "criteria.allOf[0].threshold"); got != l.threshold {
				t.Errorf("%s threshold is %v, want %v", l.name, got, l.threshold)
			}
			if got := gStrs(t, a, "scopes"); len(got) != 1 || !strings.HasSuffix(got[0], "/"+ws) {
				t.Errorf("%s scopes are %v, want the workspace", l.name, got)
			}
			if got := gStr(t, a, "actions.actionGroups[0]"); !strings.HasSuffix(got, "/"+gStr(t, ag, "actionGroupName")) {
				t.Errorf("%s mails through %q, want the action group", l.name, got)
			}
		}

		// One standard availability test on the readiness page per site, linked to its
		// component, and one alert on it.
		appi := gStr(t, gFind(t, p, "app-insights"), "resourceName")
		var wantTests []string
		for _, site := range gSiteNames(w) {
			wantTests = append(wantTests, "webtest-"+site)
			wt := gFind(t, p, "webtest-"+site)
			if got, want := gStr(t, wt, "request.requestUrl"), "https://"+w.sites[site][0]+"/readyz"; got != want {
				t.Errorf("%s requests %q, want %q", wt.Name, got, want)
			}
			for _, k := range []string{"kind", "webTestKind"} {
				if got := gStr(t, wt, k); got != "standard" {
					t.Errorf("%s %s is %q, want standard", wt.Name, k, got)
				}
			}
			linked := false
			for k, v := range gMap(t, wt, "tags") {
				if strings.HasPrefix(k, "hidden-link:") && strings.HasSuffix(k, "/"+appi) && v == "Resource" {
					linked = true
				}
			}
			if !linked {
				t.Errorf("%s has no hidden-link tag to %s: %v", wt.Name, appi, gMap(t, wt, "tags"))
			}
			alert := gFind(t, p, "alert-site-"+site)
			if got := gStr(t, alert, "criteria.webTestId"); !strings.HasSuffix(got, "/"+gStr(t, wt, "webTestName")) {
				t.Errorf("%s watches %q, want %s", alert.Name, got, gStr(t, wt, "webTestName"))
			}
			gWantDeps(t, alert, wt.Name, "action-group")
		}
		if got := gNames(gOfType(p, "azure-native", "insights", "WebTest")); !gEqualStrings(got, wantTests) {
			t.Errorf("web tests are %v, want %v", got, wantTests)
		}

		budget := gFind(t, p, "budget")
		if got := gNum(t, budget, "amount"); got != w.budget {
			t.Errorf("budget is %v, want %v", got, w.budget)
		}
		rg := gStr(t, gFind(t, p, "resource-group"), "resourceGroupName")
		if got := gStr(t, budget, "scope"); !strings.HasSuffix(got, "/resourceGroups/"+rg) {
			t.Errorf("budget scope is %q, want the resource group", got)
		}
		kinds := map[string]bool{}
		for name, n := range gMap(t, budget, "notifications") {
			kinds[gAt(t, n, "thresholdType").(string)] = true
			var got []string
			for _, e := range gAt(t, n, "contactEmails").([]any) {
				got = append(got, e.(string))
			}
			if !gEqualStrings(got, emails) {
				t.Errorf("budget notice %s mails %v, want %v", name, got, emails)
			}
		}
		if !kinds["Actual"] || !kinds["Forecasted"] {
			t.Errorf("budget notices are of kinds %v, want Actual and Forecasted", kinds)
		}
	})
}

func TestGraphSecretsMarked(t *testing.T) {
	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		for _, c := range []struct{ name, path string }{
			{"aks-provider", "kubeconfig"},
			{"image-build", "runRequest.sourceLocation"},
			{"mysql", "administratorLoginPassword"},
		} {
			if got := gInput(t, gFind(t, p, c.name), c.path); got != plan.Secret {
				t.Errorf("%s %s is %v, want %s", c.name, c.path, got, plan.Secret)
			}
		}
		if got := gFind(t, p, "aks-provider").Type; got != "pulumi:providers:kubernetes" {
			t.Errorf("aks-provider is a %s", got)
		}
		for _, r := range p.Resources {
			gWalkStrings(r.Inputs, r.Name, func(path, s string) {
				for _, bad := range []string{"PRIVATE KEY", "BEGIN CERTIFICATE", "-----BEGIN"} {
					if strings.Contains(s, bad) {
						t.Errorf("%s holds %q in clear", path, bad)
					}
				}
			})
		}
	})
}

var (
	graphRawMu sync.Mutex
	graphRaws  = map[string]*gMonitor{}
)

// graphRaw runs a stack file's config once under our own mock and keeps what it saw.
func graphRaw(t *testing.T, stack string) *gMonitor {
	t.Helper()
	graphRawMu.Lock()
	defer graphRawMu.Unlock()
	if m, ok := graphRaws[stack]; ok {
		return m
	}
	m, err := gRunProgram(t, stack, gStackSource(t, stack))
	if err != nil {
		t.Fatalf("run %s under our mock: %v", stack, err)
	}
	graphRaws[stack] = m
	return m
}

// TestGraphNoSecretOutsideASecret runs prod under our own mock, which knows every generated
// password and the configured TLS key, and looks for them in every input outside a secret:
// a value that lost its secret marking would show in clear in state and in plans.
func TestGraphNoSecretOutsideASecret(t *testing.T) {
	mon := graphRaw(t, "prod")
	src := mon.src
	secrets := map[string]string{}
	for _, r := range mon.regs {
		if strings.HasSuffix(r.Type, ":RandomPassword") {
			secrets[r.Name] = mon.results[r.Name]
		}
	}
	if len(secrets) < 10 {
		t.Fatalf("only %d generated passwords seen", len(secrets))
	}
	for k := range src.SecretKeys {
		secrets[k] = src.Values[k]
	}
	for _, r := range mon.regs {
		for k, v := range r.Inputs {
			gWalkPlain(v, r.Name+"."+string(k), func(path, s string) {
				for name, secret := range secrets {
					if len(secret) >= 8 && strings.Contains(s, secret) {
						t.Errorf("%s holds %s in clear", path, name)
					}
				}
			})
		}
	}
}

// TestGraphProviderVersions checks that every resource of a package asks for one and the same
// plugin version, and that azure-native's is the one the SDK modules pin (go.mod's root
// module), the resources registered by type token (MySQL, the managed identity) included.
func TestGraphProviderVersions(t *testing.T) {
	m := regexp.MustCompile(`(?m)^\s*github\.com/pulumi/pulumi-azure-native-sdk/v2 v(\S+)`).FindStringSubmatch(gProjectFile(t, "go.mod"))
	if m == nil {
		t.Fatal("go.mod requires no github.com/pulumi/pulumi-azure-native-sdk/v2")
	}
	if infra.AzureNativeVersion != m[1] {
		t.Errorf("the program pins azure-native %q, go.mod's sdk is %q", infra.AzureNativeVersion, m[1])
	}
	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		versions := map[string]map[string][]string{}
		for _, r := range p.Resources {
			pkg, _, _ := strings.Cut(r.Type, ":")
			if pkg == "pulumi" {
				continue
			}
			if versions[pkg] == nil {
				versions[pkg] = map[string][]string{}
			}
			versions[pkg][r.ProviderVersion] = append(versions[pkg][r.ProviderVersion], r.Name)
		}
		for pkg, byVersion := range versions {
			if len(byVersion) != 1 {
				t.Errorf("%s resources ask for %d plugin versions: %v", pkg, len(byVersion), byVersion)
			}
		}
		for v, names := range versions["azure-native"] {
			if v != infra.AzureNativeVersion {
				t.Errorf("azure-native resources %v ask for plugin %q, want %q", names, v, infra.AzureNativeVersion)
			}
		}
		for _, name := range []string{"mysql", "mysql-require-secure-transport", "aks-identity", "mysql-db-tech"} {
			if got := gFind(t, p, name).ProviderVersion; got != infra.AzureNativeVersion {
				t.Errorf("%s asks for azure-native %q, want %q", name, got, infra.AzureNativeVersion)
			}
		}
	})
}

// gImages returns every container image in the plan's Kubernetes resources, by resource name.
func gImages(t *testing.T, p *plan.Plan) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, r := range p.Resources {
		if !strings.HasPrefix(r.Type, "kubernetes:") {
			continue
		}
		gWalkStrings(r.Inputs, "", func(path, s string) {
			if strings.HasSuffix(path, ".image") && strings.Contains(path, "ontainers[") {
				out[r.Name] = append(out[r.Name], s)
			}
		})
	}
	return out
}

// TestGraphImageModes checks both ways of getting the image: the ACR build from images/ (the
// stack files), and a prebuilt wordpress.imageReference, with which nothing is built and every
// pod runs the reference.
func TestGraphImageModes(t *testing.T) {
	t.Run("build", func(t *testing.T) {
		gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
			build := gFind(t, p, "image-build")
			if build.Type != "azure-native:containerregistry:TaskRun" {
				t.Errorf("image-build is a %s", build.Type)
			}
			tag := gStr(t, build, "forceUpdateTag")
			if got := gInt(t, build, "runRequest.timeout"); got <= 0 {
				t.Errorf("the build has no timeout: %d", got)
			}
			want := strings.ToLower(gStr(t, gFind(t, p, "registry"), "registryName")) + ".azurecr.io/wordpress:" + tag
			images := gImages(t, p)
			if len(images) == 0 {
				t.Fatal("no container images in the plan")
			}
			for name, refs := range images {
				for _, ref := range refs {
					if strings.Contains(ref, "/wordpress") && ref != want {
						t.Errorf("%s runs %q, want %q", name, ref, want)
					}
				}
			}
			for _, site := range gSiteNames(w) {
				for _, d := range []string{site + "-user", site + "-admin"} {
					if !gDependsOn(gFind(t, p, d), "image-build") {
						t.Errorf("%s does not wait for the image build", d)
					}
				}
			}
		})
	})
	t.Run("prebuilt", func(t *testing.T) {
		const ref = "ghcr.io/example/wordpress@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
		for _, stack := range graphStacks {
			t.Run(stack, func(t *testing.T) {
				src := gStackSource(t, stack)
				src.Values[graphProject+":wordpress"] = `{"imageReference":"` + ref + `"}`
				graphPlansMu.Lock()
				p, err := plan.RunSource(graphProject, stack, src)
				graphPlansMu.Unlock()
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range p.Resources {
					if strings.HasSuffix(r.Type, ":TaskRun") || strings.HasPrefix(r.Name, "image-context") {
						t.Errorf("%s (%s) is in the plan; with a prebuilt image nothing is built", r.Name, r.Type)
					}
					if gDependsOn(r, "image-build") {
						t.Errorf("%s waits for an image build", r.Name)
					}
				}
				images := gImages(t, p)
				n := 0
				for name, refs := range images {
					for _, got := range refs {
						if strings.Contains(got, "wordpress") {
							n++
							if got != ref {
								t.Errorf("%s runs %q, want %q", name, got, ref)
							}
						}
					}
				}
				// Two Deployments per site at least.
				if n < 2*len(gWants[stack].sites) {
					t.Errorf("%d containers run the WordPress image, want at least %d: %v", n, 2*len(gWants[stack].sites), images)
				}
			})
		}
	})
}
