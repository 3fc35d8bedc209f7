// Tests of every validation rule in validate.go: each case changes one thing in the valid base
// stack and expects exactly the problems that change causes.
package config

import (
	"fmt"
	"strings"
	"testing"
)

func TestBaseStackIsValid(t *testing.T) {
	_, probs := load(t, testStack, source(nil))
	assertProblems(t, probs, nil)
}

func TestValidateStack(t *testing.T) {
	const (
		msgStack    = "must be 1-12 lowercase letters, digits and single '-' between them, starting with a letter (it goes into Azure names)"
		msgRegion   = "is not an Azure region (the ARM name, as `az account list-locations -o table` shows it; 59 known as of 2026-06-18)"
		msgNoRegion = "; e.g. japaneast, eastus2, westeurope (all of them in config/regions.go)"
		msgPrefix   = "must be 2-8 lowercase letters and digits, starting with a letter"
		msgVersion  = `must look like "1.35" or "1.35.2"`
		msgOld      = "AKS no longer supports it; use 1.35 or later"
	)
	tests := []struct {
		name  string
		stack string
		set   map[string]string
		want  Problems
	}{
		{name: "stack of 12", stack: "abcdefghijkl"},
		{name: "stack with hyphen", stack: "prod-eu"},
		{name: "stack of 1", stack: "p"},
		{name: "stack of 13", stack: "abcdefghijklm",
			want: Problems{{Key: "stack name", Value: "abcdefghijklm", Msg: msgStack}}},
		{name: "stack starting with a digit", stack: "1prod",
			want: Problems{{Key: "stack name", Value: "1prod", Msg: msgStack}}},
		{name: "region", stack: testStack, set: map[string]string{"location": "westus3"}},
		{name: "region opened in 2025", stack: testStack, set: map[string]string{"location": "denmarkeast"}},
		{name: "region display name", stack: testStack, set: map[string]string{"location": "Japan East"},
			want: Problems{{Key: "location", Value: "Japan East", Msg: msgRegion + "; did you mean japaneast?"}}},
		{name: "region misspelt", stack: testStack, set: map[string]string{"location": "japaneats"},
			want: Problems{{Key: "location", Value: "japaneats", Msg: msgRegion + "; did you mean japaneast, japanwest?"}}},
		{name: "region prefix", stack: testStack, set: map[string]string{"location": "korea"},
			want: Problems{{Key: "location", Value: "korea", Msg: msgRegion + "; did you mean koreacentral, koreasouth?"}}},
		{name: "region without its number", stack: testStack, set: map[string]string{"location": "eastus4"},
			want: Problems{{Key: "location", Value: "eastus4", Msg: msgRegion + "; did you mean eastus, eastus2?"}}},
		{name: "region of 3", stack: testStack, set: map[string]string{"location": "abc"},
			want: Problems{{Key: "location", Value: "abc", Msg: msgRegion + msgNoRegion}}},
		{name: "not a region", stack: testStack, set: map[string]string{"location": "mars"},
			want: Problems{{Key: "location", Value: "mars", Msg: msgRegion + msgNoRegion}}},
		{name: "empty region", stack: testStack, set: map[string]string{"location": ""},
			want: Problems{{Key: "location", Value: "", Msg: msgRegion + msgNoRegion}}},
		{name: "prefix of 8", stack: testStack, set: map[string]string{"namePrefix": "wordpres"}},
		{name: "prefix of 2", stack: testStack, set: map[string]string{"namePrefix": "ab"}},
		{name: "prefix of 9", stack: testStack, set: map[string]string{"namePrefix": "wordpress"},
			want: Problems{{Key: "namePrefix", Value: "wordpress", Msg: msgPrefix}}},
		{name: "prefix of 1", stack: testStack, set: map[string]string{"namePrefix": "w"},
			want: Problems{{Key: "namePrefix", Value: "w", Msg: msgPrefix}}},
		{name: "prefix starting with a digit", stack: testStack, set: map[string]string{"namePrefix": "1wp"},
			want: Problems{{Key: "namePrefix", Value: "1wp", Msg: msgPrefix}}},
		{name: "version minor", stack: testStack, set: map[string]string{"kubernetesVersion": "1.35"}},
		{name: "version patch", stack: testStack, set: map[string]string{"kubernetesVersion": "1.35.2"}},
		{name: "version newer", stack: testStack, set: map[string]string{"kubernetesVersion": "1.36"}},
		{name: "version with v", stack: testStack, set: map[string]string{"kubernetesVersion": "v1.35"},
			want: Problems{{Key: "kubernetesVersion", Value: "v1.35", Msg: msgVersion}}},
		{name: "version with x", stack: testStack, set: map[string]string{"kubernetesVersion": "1.35.x"},
			want: Problems{{Key: "kubernetesVersion", Value: "1.35.x", Msg: msgVersion}}},
		{name: "version 2", stack: testStack, set: map[string]string{"kubernetesVersion": "2.0"},
			want: Problems{{Key: "kubernetesVersion", Value: "2.0", Msg: msgVersion}}},
		{name: "version too old", stack: testStack, set: map[string]string{"kubernetesVersion": "1.34"},
			want: Problems{{Key: "kubernetesVersion", Value: "1.34", Msg: msgOld}}},
		// Under the engine 1.40 written without quotes arrives as "1.4": the message says why.
		{name: "version that lost its zero", stack: testStack, set: map[string]string{"kubernetesVersion": "1.4"},
			want: Problems{{Key: "kubernetesVersion", Value: "1.4", Msg: msgOld + `; if the stack file says 1.40 without quotes, YAML reads it as the number 1.4: write kubernetesVersion: "1.40"`}}},
		{name: "single-digit minor that cannot be a lost zero", stack: testStack, set: map[string]string{"kubernetesVersion": "1.2"},
			want: Problems{{Key: "kubernetesVersion", Value: "1.2", Msg: msgOld}}},
		{name: "patch version too old", stack: testStack, set: map[string]string{"kubernetesVersion": "1.34.9"},
			want: Problems{{Key: "kubernetesVersion", Value: "1.34.9", Msg: msgOld}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := load(t, tt.stack, source(tt.set))
			assertProblems(t, got, tt.want)
		})
	}
}

func TestValidateTags(t *testing.T) {
	const msgChars = `tag names are at most 512 characters without < > % & \ ? /`
	long := strings.Repeat("a", 513)
	runProblemCases(t, []problemCase{
		{name: "plain tags", set: map[string]string{"tags": `{"owner":"web-team","cost-center":"42"}`}},
		{name: "reserved", set: map[string]string{"tags": `{"stack":"x"}`},
			want: Problems{{Key: "tags.stack", Msg: "is set by the program; reserved tag names are project, stack, site"}}},
		{name: "reserved in another case", set: map[string]string{"tags": `{"Project":"x"}`},
			want: Problems{{Key: "tags.Project", Msg: "is set by the program; reserved tag names are project, stack, site"}}},
		{name: "slash in name", set: map[string]string{"tags": `{"a/b":"x"}`},
			want: Problems{{Key: "tags.a/b", Msg: msgChars}}},
		{name: "percent in name", set: map[string]string{"tags": `{"100%":"x"}`},
			want: Problems{{Key: "tags.100%", Msg: msgChars}}},
		{name: "name of 512", set: map[string]string{"tags": `{"` + long[:512] + `":"x"}`}},
		{name: "name of 513", set: map[string]string{"tags": `{"` + long + `":"x"}`},
			want: Problems{{Key: "tags." + long, Msg: msgChars}}},
		{name: "value of 256", set: map[string]string{"tags": `{"owner":"` + long[:256] + `"}`}},
		{name: "value of 257", set: map[string]string{"tags": `{"owner":"` + long[:257] + `"}`},
			want: Problems{{Key: "tags.owner", Msg: "tag values are at most 256 characters"}}},
	})
}

func TestValidateNetwork(t *testing.T) {
	const (
		msgCIDR    = "must be an IPv4 CIDR such as 10.20.0.0/16"
		msgPrivate = "must be a private range (RFC 1918)"
		inVNet     = "must lie inside network.vnetCidr 10.20.0.0/16"
	)
	net := func(body string) map[string]string { return map[string]string{"network": "{" + body + "}"} }
	runProblemCases(t, []problemCase{
		{name: "vnet not a CIDR", set: net(`"vnetCidr":"10.20.0.0"`),
			want: Problems{{Key: "network.vnetCidr", Value: "10.20.0.0", Msg: msgCIDR}}},
		{name: "vnet IPv6", set: net(`"vnetCidr":"fd00::/8"`),
			want: Problems{{Key: "network.vnetCidr", Value: "fd00::/8", Msg: msgCIDR}}},
		{name: "vnet host bits", set: net(`"vnetCidr":"10.20.0.1/16"`),
			want: Problems{{Key: "network.vnetCidr", Value: "10.20.0.1/16", Msg: "has host bits set; the network is 10.20.0.0/16"}}},
		{name: "vnet public", set: net(`"vnetCidr":"20.20.0.0/16"`),
			want: Problems{{Key: "network.vnetCidr", Value: "20.20.0.0/16", Msg: msgPrivate}}},
		{name: "mysql subnet host bits", set: net(`"mysqlSubnetCidr":"10.20.8.1/28"`),
			want: Problems{{Key: "network.mysqlSubnetCidr", Value: "10.20.8.1/28", Msg: "has host bits set; the network is 10.20.8.0/28"}}},
		{name: "nfs subnet public", set: net(`"nfsSubnetCidr":"21.20.9.0/28"`),
			want: Problems{{Key: "network.nfsSubnetCidr", Value: "21.20.9.0/28", Msg: msgPrivate}}},
		{name: "aks subnet host bits reported once", set: net(`"aksSubnetCidr":"10.20.0.1/22"`),
			want: Problems{{Key: "network.aksSubnetCidr", Value: "10.20.0.1/22", Msg: "has host bits set; the network is 10.20.0.0/22"}}},
		{name: "mysql subnet /29", set: net(`"mysqlSubnetCidr":"10.20.8.0/29"`)},
		{name: "mysql subnet /30", set: net(`"mysqlSubnetCidr":"10.20.8.0/30"`),
			want: Problems{{Key: "network.mysqlSubnetCidr", Value: "10.20.8.0/30",
				Msg: "is too small: at least /29 (a subnet delegated to MySQL Flexible Server needs at least /29)"}}},
		{name: "nfs subnet /29", set: net(`"nfsSubnetCidr":"10.20.9.0/29"`)},
		{name: "nfs subnet /30", set: net(`"nfsSubnetCidr":"10.20.9.0/30"`),
			want: Problems{{Key: "network.nfsSubnetCidr", Value: "10.20.9.0/30",
				Msg: "is too small: at least /29 (Azure's smallest usable subnet is /29)"}}},
		{name: "aks subnet /28", set: net(`"aksSubnetCidr":"10.20.0.0/28"`)},
		{name: "aks subnet /29", set: net(`"aksSubnetCidr":"10.20.0.0/29"`),
			want: Problems{
				{Key: "network.aksSubnetCidr", Value: "10.20.0.0/29", Msg: "is too small: at least /28 (AKS nodes need room to surge during upgrades)"},
				{Key: "network.aksSubnetCidr", Value: "10.20.0.0/29", Msg: "has 3 usable addresses but the pools may need 2 nodes plus 2 for upgrade surge"},
			}},
		{name: "subnet outside the vnet", set: net(`"nfsSubnetCidr":"10.21.9.0/28"`),
			want: Problems{{Key: "network.nfsSubnetCidr", Value: "10.21.9.0/28", Msg: inVNet}}},
		{name: "subnet larger than the vnet", set: net(`"aksSubnetCidr":"10.20.0.0/15"`),
			want: Problems{
				{Key: "network.aksSubnetCidr", Value: "10.20.0.0/15", Msg: inVNet},
				{Key: "network.mysqlSubnetCidr", Value: "10.20.8.0/28", Msg: "overlaps network.aksSubnetCidr 10.20.0.0/15"},
				{Key: "network.nfsSubnetCidr", Value: "10.20.9.0/28", Msg: "overlaps network.aksSubnetCidr 10.20.0.0/15"},
			}},
		{name: "subnet filling the vnet edge", set: net(`"nfsSubnetCidr":"10.20.255.248/29"`)},
		{name: "same subnet twice", set: net(`"nfsSubnetCidr":"10.20.8.0/28"`),
			want: Problems{{Key: "network.nfsSubnetCidr", Value: "10.20.8.0/28", Msg: "overlaps network.mysqlSubnetCidr 10.20.8.0/28"}}},
		{name: "subnet inside another", set: net(`"mysqlSubnetCidr":"10.20.1.0/28"`),
			want: Problems{{Key: "network.mysqlSubnetCidr", Value: "10.20.1.0/28", Msg: "overlaps network.aksSubnetCidr 10.20.0.0/22"}}},
		{name: "adjacent subnets", set: net(`"mysqlSubnetCidr":"10.20.4.0/28","nfsSubnetCidr":"10.20.4.16/28"`)},
		{name: "pod cidr overlaps the vnet", set: net(`"podCidr":"10.20.0.0/16"`),
			want: Problems{{Key: "network.podCidr", Value: "10.20.0.0/16", Msg: "overlaps network.vnetCidr 10.20.0.0/16"}}},
		{name: "service cidr overlaps the vnet", set: net(`"serviceCidr":"10.20.128.0/17","dnsServiceIp":"10.20.128.10"`),
			want: Problems{{Key: "network.serviceCidr", Value: "10.20.128.0/17", Msg: "overlaps network.vnetCidr 10.20.0.0/16"}}},
		{name: "pod and service cidrs overlap", set: net(`"serviceCidr":"10.244.0.0/20","dnsServiceIp":"10.244.0.10"`),
			want: Problems{{Key: "network.podCidr", Value: "10.244.0.0/16", Msg: "overlaps network.serviceCidr 10.244.0.0/20"}}},
		{name: "pod cidr /23 for two nodes", set: net(`"podCidr":"10.244.0.0/23"`)},
		{name: "pod cidr /24 for two nodes", set: net(`"podCidr":"10.244.0.0/24"`),
			want: Problems{{Key: "network.podCidr", Value: "10.244.0.0/24", Msg: "holds 1 node blocks (/24) but the pools may reach 2 nodes"}}},
		{name: "service cidr /12", set: net(`"serviceCidr":"10.0.0.0/12","dnsServiceIp":"10.0.0.10"`)},
		{name: "service cidr /11", set: net(`"serviceCidr":"10.32.0.0/11","dnsServiceIp":"10.32.0.10"`),
			want: Problems{{Key: "network.serviceCidr", Value: "10.32.0.0/11", Msg: "is too large: AKS allows /12 at most"}}},
		{name: "dns ip is the network address", set: net(`"dnsServiceIp":"10.0.0.0"`),
			want: Problems{{Key: "network.dnsServiceIp", Value: "10.0.0.0", Msg: "must not be the network or broadcast address of network.serviceCidr"}}},
		{name: "dns ip is the broadcast address", set: net(`"dnsServiceIp":"10.0.255.255"`),
			want: Problems{{Key: "network.dnsServiceIp", Value: "10.0.255.255", Msg: "must not be the network or broadcast address of network.serviceCidr"}}},
		{name: "pod cidr /25", set: net(`"podCidr":"10.244.0.0/25"`),
			want: Problems{{Key: "network.podCidr", Value: "10.244.0.0/25", Msg: "is too small: at least /24 (each node takes a /24 of pod addresses)"}}},
		{name: "pod cidr not private", set: net(`"podCidr":"100.64.0.0/16"`),
			want: Problems{{Key: "network.podCidr", Value: "100.64.0.0/16", Msg: msgPrivate}}},
		{name: "service cidr not a CIDR", set: net(`"serviceCidr":"10.0.0.0/33"`),
			want: Problems{{Key: "network.serviceCidr", Value: "10.0.0.0/33", Msg: msgCIDR}}},
		{name: "other private ranges", set: net(`"podCidr":"192.168.0.0/16","serviceCidr":"172.16.0.0/16","dnsServiceIp":"172.16.0.10"`)},
		{name: "dns ip not an address", set: net(`"dnsServiceIp":"ten"`),
			want: Problems{{Key: "network.dnsServiceIp", Value: "ten", Msg: "must be an IPv4 address"}}},
		{name: "dns ip outside the service cidr", set: net(`"dnsServiceIp":"10.1.0.10"`),
			want: Problems{{Key: "network.dnsServiceIp", Value: "10.1.0.10", Msg: "must lie inside network.serviceCidr 10.0.0.0/16"}}},
		{name: "dns ip is the first address", set: net(`"dnsServiceIp":"10.0.0.1"`),
			want: Problems{{Key: "network.dnsServiceIp", Value: "10.0.0.1", Msg: "must not be the first address of network.serviceCidr (the API server's)"}}},
		{name: "dns ip is the second address", set: net(`"dnsServiceIp":"10.0.0.2"`)},
		{name: "dns ip is the last usable address", set: net(`"dnsServiceIp":"10.0.255.254"`)},
		{name: "aks subnet holds the nodes exactly", set: map[string]string{
			"network": `{"aksSubnetCidr":"10.20.0.0/28"}`, "nodePools": `{"user":{"count":7}}`}},
		{name: "aks subnet too small for the node count", set: map[string]string{
			"network": `{"aksSubnetCidr":"10.20.0.0/28"}`, "nodePools": `{"user":{"count":9}}`},
			want: Problems{{Key: "network.aksSubnetCidr", Value: "10.20.0.0/28", Msg: "has 11 usable addresses but the pools may need 10 nodes plus 2 for upgrade surge"}}},
		{name: "aks subnet just large enough", set: map[string]string{
			"network": `{"aksSubnetCidr":"10.20.0.0/28"}`, "nodePools": `{"user":{"count":8}}`}},
		{name: "aks subnet too small for the autoscaler maximum", set: map[string]string{
			"network": `{"aksSubnetCidr":"10.20.0.0/28"}`, "nodePools": `{"user":{"minCount":1,"maxCount":9}}`},
			want: Problems{{Key: "network.aksSubnetCidr", Value: "10.20.0.0/28", Msg: "has 11 usable addresses but the pools may need 10 nodes plus 2 for upgrade surge"}}},
		{name: "aks subnet counts the dedicated system pool", set: allowTraps(map[string]string{
			"network": `{"aksSubnetCidr":"10.20.0.0/28"}`, "nodePools": `{"user":{"count":7}}`, "aks": `{"systemPool":"dedicated"}`}),
			want: Problems{{Key: "network.aksSubnetCidr", Value: "10.20.0.0/28", Msg: "has 11 usable addresses but the pools may need 9 nodes plus 3 for upgrade surge"}}},
	})
}

func TestValidateAKS(t *testing.T) {
	aks := func(body string) map[string]string { return map[string]string{"aks": "{" + body + "}"} }
	window := func(body string) map[string]string {
		return map[string]string{"aks": `{"maintenanceWindow":{` + body + "}}"}
	}
	const msgOffset = `must look like "+09:00" or "-05:00"`
	runProblemCases(t, []problemCase{
		{name: "all other choices", set: allowTraps(aks(`"systemPool":"dedicated","tier":"Standard","networkPolicy":"calico",` +
			`"upgradeChannel":"node-image","nodeOsUpgradeChannel":"SecurityPatch"`))},
		{name: "system pool", set: aks(`"systemPool":"shared"`),
			want: Problems{{Key: "aks.systemPool", Value: "shared", Msg: "must be one of admin, dedicated"}}},
		{name: "tier", set: aks(`"tier":"Premium"`),
			want: Problems{{Key: "aks.tier", Value: "Premium", Msg: "must be one of Free, Standard"}}},
		{name: "tier in lower case", set: aks(`"tier":"free"`),
			want: Problems{{Key: "aks.tier", Value: "free", Msg: "must be one of Free, Standard"}}},
		{name: "network policy", set: aks(`"networkPolicy":"azure"`),
			want: Problems{{Key: "aks.networkPolicy", Value: "azure", Msg: "must be one of cilium, calico"}}},
		{name: "upgrade channel", set: aks(`"upgradeChannel":"weekly"`),
			want: Problems{{Key: "aks.upgradeChannel", Value: "weekly", Msg: "must be one of patch, stable, rapid, node-image, none"}}},
		{name: "node OS upgrade channel", set: aks(`"nodeOsUpgradeChannel":"nodeimage"`),
			want: Problems{{Key: "aks.nodeOsUpgradeChannel", Value: "nodeimage", Msg: "must be one of NodeImage, SecurityPatch, Unmanaged, None"}}},
		{name: "day of week", set: window(`"dayOfWeek":"sunday"`),
			want: Problems{{Key: "aks.maintenanceWindow.dayOfWeek", Value: "sunday", Msg: "must be one of Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday"}}},
		{name: "start hour 0", set: window(`"startHour":0`)},
		{name: "start hour 23", set: window(`"startHour":23`)},
		{name: "start hour 24", set: window(`"startHour":24`),
			want: Problems{{Key: "aks.maintenanceWindow.startHour", Value: "24", Msg: "must be between 0 and 23"}}},
		{name: "start hour -1", set: window(`"startHour":-1`),
			want: Problems{{Key: "aks.maintenanceWindow.startHour", Value: "-1", Msg: "must be between 0 and 23"}}},
		{name: "duration 4", set: window(`"durationHours":4`)},
		{name: "duration 24", set: window(`"durationHours":24`)},
		{name: "duration 3", set: window(`"durationHours":3`),
			want: Problems{{Key: "aks.maintenanceWindow.durationHours", Value: "3", Msg: "must be between 4 and 24"}}},
		{name: "duration 25", set: window(`"durationHours":25`),
			want: Problems{{Key: "aks.maintenanceWindow.durationHours", Value: "25", Msg: "must be between 4 and 24"}}},
		{name: "offset +14:00", set: window(`"utcOffset":"+14:00"`)},
		{name: "offset -05:30", set: window(`"utcOffset":"-05:30"`)},
		{name: "offset +15:00", set: window(`"utcOffset":"+15:00"`),
			want: Problems{{Key: "aks.maintenanceWindow.utcOffset", Value: "+15:00", Msg: msgOffset}}},
		{name: "offset without leading zero", set: window(`"utcOffset":"+9:00"`),
			want: Problems{{Key: "aks.maintenanceWindow.utcOffset", Value: "+9:00", Msg: msgOffset}}},
		{name: "offset without sign", set: window(`"utcOffset":"09:00"`),
			want: Problems{{Key: "aks.maintenanceWindow.utcOffset", Value: "09:00", Msg: msgOffset}}},
		{name: "offset name", set: window(`"utcOffset":"UTC"`),
			want: Problems{{Key: "aks.maintenanceWindow.utcOffset", Value: "UTC", Msg: msgOffset}}},
	})
}

func TestValidateNodePools(t *testing.T) {
	const (
		msgName   = "AKS pool names are 1-12 lowercase letters and digits, starting with a letter"
		msgVMSize = `must be an Azure VM size such as "Standard_B2s"`
		msgBSys   = `this pool runs in System mode and AKS advises against B-series System pools; choose another size or set aks.systemPool to "dedicated"`
		msgCount  = "must be between 1 and 100"
		msgZone   = `must be "1", "2" or "3"`
	)
	user := func(body string) map[string]string { return map[string]string{"nodePools": `{"user":{` + body + "}}"} }
	runProblemCases(t, []problemCase{
		{name: "name user", set: user(`"name":"user"`)},
		{name: "name of 12", set: user(`"name":"abcdefghijkl"`)},
		{name: "name of 1", set: user(`"name":"u"`)},
		{name: "name of 13", set: user(`"name":"abcdefghijklm"`),
			want: Problems{{Key: "nodePools.user.name", Value: "abcdefghijklm", Msg: msgName}}},
		{name: "name in upper case", set: user(`"name":"User"`),
			want: Problems{{Key: "nodePools.user.name", Value: "User", Msg: msgName}}},
		{name: "name starting with a digit", set: user(`"name":"1pool"`),
			want: Problems{{Key: "nodePools.user.name", Value: "1pool", Msg: msgName}}},
		{name: "name with hyphen", set: user(`"name":"user-1"`),
			want: Problems{{Key: "nodePools.user.name", Value: "user-1", Msg: msgName}}},
		{name: "duplicate names", set: map[string]string{"nodePools": `{"admin":{"name":"user"}}`},
			want: Problems{{Key: "nodePools.admin.name", Value: "user", Msg: "is also the name of nodePools.user"}}},
		{name: "duplicate with the dedicated system pool", set: allowTraps(map[string]string{
			"nodePools": `{"system":{"name":"admin"}}`, "aks": `{"systemPool":"dedicated"}`}),
			want: Problems{{Key: "nodePools.system.name", Value: "admin", Msg: "is also the name of nodePools.admin"}}},
		{name: "system pool ignored unless dedicated", set: map[string]string{
			"nodePools": `{"system":{"name":"BAD","vmSize":"x","count":0,"osDiskType":"x"}}`}},
		{name: "vm size without Standard_", set: user(`"vmSize":"B2s"`),
			want: Problems{{Key: "nodePools.user.vmSize", Value: "B2s", Msg: msgVMSize}}},
		{name: "vm size in lower case", set: user(`"vmSize":"standard_b2s"`),
			want: Problems{{Key: "nodePools.user.vmSize", Value: "standard_b2s", Msg: msgVMSize}}},
		{name: "B-series user pool", set: user(`"vmSize":"Standard_B4ms"`)},
		{name: "B-series admin pool in System mode", set: map[string]string{"nodePools": `{"admin":{"vmSize":"Standard_B2s"}}`},
			want: Problems{{Key: "nodePools.admin.vmSize", Value: "Standard_B2s", Msg: msgBSys}}},
		{name: "B-series admin pool with a dedicated system pool", set: allowTraps(map[string]string{
			"nodePools": `{"admin":{"vmSize":"Standard_B2s"}}`, "aks": `{"systemPool":"dedicated"}`})},
		{name: "B-series dedicated system pool", set: allowTraps(map[string]string{
			"nodePools": `{"system":{"vmSize":"Standard_B4ms"}}`, "aks": `{"systemPool":"dedicated"}`}),
			want: Problems{{Key: "nodePools.system.vmSize", Value: "Standard_B4ms", Msg: msgBSys}}},
		{name: "count 1", set: user(`"count":1`)},
		{name: "count 100", set: user(`"count":100`)},
		{name: "count 0", set: user(`"count":0`),
			want: Problems{{Key: "nodePools.user.count", Value: "0", Msg: msgCount}}},
		{name: "count 101", set: user(`"count":101`),
			want: Problems{{Key: "nodePools.user.count", Value: "101", Msg: msgCount}}},
		{name: "autoscaler 1 to 100", set: user(`"minCount":1,"maxCount":100`)},
		{name: "autoscaler min equals max", set: user(`"count":3,"minCount":3,"maxCount":3`)},
		{name: "autoscaler without min", set: user(`"maxCount":3`),
			want: Problems{{Key: "nodePools.user.minCount", Value: "0", Msg: "must be at least 1 when maxCount is set"}}},
		{name: "autoscaler without max", set: user(`"minCount":2,"count":2`),
			want: Problems{{Key: "nodePools.user.maxCount", Value: "0", Msg: "must be at least minCount (2)"}}},
		{name: "autoscaler max below min", set: user(`"count":3,"minCount":3,"maxCount":2`),
			want: Problems{{Key: "nodePools.user.maxCount", Value: "2", Msg: "must be at least minCount (3)"}}},
		{name: "count below min", set: user(`"minCount":2,"maxCount":4`),
			want: Problems{{Key: "nodePools.user.count", Value: "1", Msg: "must lie between minCount 2 and maxCount 4"}}},
		{name: "count above max", set: user(`"count":5,"minCount":2,"maxCount":4`),
			want: Problems{{Key: "nodePools.user.count", Value: "5", Msg: "must lie between minCount 2 and maxCount 4"}}},
		{name: "max 101", set: user(`"minCount":1,"maxCount":101`),
			want: Problems{{Key: "nodePools.user.maxCount", Value: "101", Msg: "must be at most 100"}}},
		{name: "zones 1 2 3", set: user(`"zones":["1","2","3"]`)},
		{name: "zone 4", set: user(`"zones":["1","4"]`),
			want: Problems{{Key: "nodePools.user.zones[1]", Value: "4", Msg: msgZone}}},
		{name: "zone with prefix", set: user(`"zones":["zone1"]`),
			want: Problems{{Key: "nodePools.user.zones[0]", Value: "zone1", Msg: msgZone}}},
		{name: "zone twice", set: user(`"zones":["2","2"]`),
			want: Problems{{Key: "nodePools.user.zones[1]", Value: "2", Msg: "is listed twice"}}},
		{name: "os disk 30", set: user(`"osDiskSizeGB":30`)},
		{name: "os disk 2048", set: user(`"osDiskSizeGB":2048`)},
		{name: "os disk 29", set: user(`"osDiskSizeGB":29`),
			want: Problems{{Key: "nodePools.user.osDiskSizeGB", Value: "29", Msg: "must be between 30 and 2048"}}},
		{name: "os disk 2049", set: user(`"osDiskSizeGB":2049`),
			want: Problems{{Key: "nodePools.user.osDiskSizeGB", Value: "2049", Msg: "must be between 30 and 2048"}}},
		// B2s has an 8 GiB temp disk and no cache: AKS would refuse a 30 GB ephemeral OS disk.
		{name: "os disk Ephemeral on B2s", set: user(`"osDiskType":"Ephemeral"`),
			want: Problems{{Key: "nodePools.user.osDiskType", Value: "Ephemeral", Msg: "Standard_B2s holds an ephemeral OS disk of at most 8 GB (its cache or temp disk) but nodePools.user.osDiskSizeGB is 30; use Managed, a smaller nodePools.user.osDiskSizeGB (AKS's node image needs 30) or a size with a larger cache"}}},
		// F2s_v2's 32 GiB cache holds the 30 GB default.
		{name: "os disk Ephemeral on F2s_v2", set: user(`"vmSize":"Standard_F2s_v2","osDiskType":"Ephemeral"`)},
		{name: "os disk Ephemeral 33 GB on F2s_v2", set: user(`"vmSize":"Standard_F2s_v2","osDiskType":"Ephemeral","osDiskSizeGB":33`),
			want: Problems{{Key: "nodePools.user.osDiskType", Value: "Ephemeral", Msg: "Standard_F2s_v2 holds an ephemeral OS disk of at most 32 GB (its cache or temp disk) but nodePools.user.osDiskSizeGB is 33; use Managed, a smaller nodePools.user.osDiskSizeGB (AKS's node image needs 30) or a size with a larger cache"}}},
		{name: "os disk Ephemeral on D2s_v5", set: user(`"vmSize":"Standard_D2s_v5","osDiskType":"Ephemeral"`),
			want: Problems{{Key: "nodePools.user.osDiskType", Value: "Ephemeral", Msg: "Standard_D2s_v5 has no cache or temp disk to hold an ephemeral OS disk; use Managed"}}},
		{name: "os disk Ephemeral on D4ds_v5 temp disk", set: user(`"vmSize":"Standard_D4ds_v5","osDiskType":"Ephemeral","osDiskSizeGB":128`)},
		{name: "os disk type", set: user(`"osDiskType":"Premium"`),
			want: Problems{{Key: "nodePools.user.osDiskType", Value: "Premium", Msg: "must be one of Managed, Ephemeral"}}},
	})
}

func TestPools(t *testing.T) {
	roles := func(aks string) string {
		c := Defaults()
		c.AKS.SystemPool = aks
		var out []string
		for _, p := range c.Pools() {
			out = append(out, fmt.Sprintf("%s:%s:%v:%s", p.Role, p.Key, p.System, p.Pool().Name))
		}
		return strings.Join(out, " ")
	}
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"admin pool is the system pool", roles(SystemPoolAdmin),
			"admin:nodePools.admin:true:admin user:nodePools.user:false:user"},
		{"dedicated system pool first", roles(SystemPoolDedicated),
			"system:nodePools.system:true:system user:nodePools.user:false:user admin:nodePools.admin:false:admin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestValidateMySQL(t *testing.T) {
	const (
		msgServer = "must be 3-63 lowercase letters, digits and '-', not starting or ending with '-'"
		msgLogin  = "must be 1-32 letters, digits and '_', starting with a letter or '_'"
		msgHA     = "Azure offers high availability only on GeneralPurpose and BusinessCritical; use Disabled with Burstable"
	)
	mysql := func(body string) map[string]string { return map[string]string{"mysql": "{" + body + "}"} }
	name63 := "a" + strings.Repeat("b", 61) + "c"
	login32 := strings.Repeat("w", 32)
	runProblemCases(t, []problemCase{
		{name: "server name of 3", set: mysql(`"serverName":"abc"`)},
		{name: "server name of 63", set: mysql(`"serverName":"` + name63 + `"`)},
		{name: "server name with hyphen", set: mysql(`"serverName":"wp-prod-db"`)},
		{name: "server name of 64", set: mysql(`"serverName":"` + name63 + `d"`),
			want: Problems{{Key: "mysql.serverName", Value: name63 + "d", Msg: msgServer}}},
		{name: "server name of 2", set: mysql(`"serverName":"ab"`),
			want: Problems{{Key: "mysql.serverName", Value: "ab", Msg: msgServer}}},
		{name: "server name in upper case", set: mysql(`"serverName":"My-Server"`),
			want: Problems{{Key: "mysql.serverName", Value: "My-Server", Msg: msgServer}}},
		{name: "server name starting with hyphen", set: mysql(`"serverName":"-abc"`),
			want: Problems{{Key: "mysql.serverName", Value: "-abc", Msg: msgServer}}},
		{name: "server name ending with hyphen", set: mysql(`"serverName":"abc-"`),
			want: Problems{{Key: "mysql.serverName", Value: "abc-", Msg: msgServer}}},
		{name: "version 8.0.21", set: mysql(`"version":"8.0.21"`)},
		{name: "version 8.0", set: mysql(`"version":"8.0"`),
			want: Problems{{Key: "mysql.version", Value: "8.0", Msg: "must be one of 8.4, 8.0.21"}}},
		{name: "unknown tier", set: mysql(`"tier":"Basic"`),
			want: Problems{{Key: "mysql.tier", Value: "Basic", Msg: "must be one of Burstable, GeneralPurpose, BusinessCritical"}}},
		{name: "Burstable B2s", set: mysql(`"skuName":"Standard_B2s"`)},
		{name: "Burstable B2ms", set: mysql(`"skuName":"Standard_B2ms"`)},
		{name: "GeneralPurpose D2ads_v5", set: mysql(`"tier":"GeneralPurpose","skuName":"Standard_D2ads_v5"`)},
		{name: "GeneralPurpose D4ds_v4", set: mysql(`"tier":"GeneralPurpose","skuName":"Standard_D4ds_v4"`)},
		{name: "BusinessCritical E4ds_v5", set: allowTraps(mysql(`"tier":"BusinessCritical","skuName":"Standard_E4ds_v5"`))},
		{name: "GeneralPurpose SKU on Burstable", set: mysql(`"skuName":"Standard_D2ads_v5"`),
			want: Problems{{Key: "mysql.skuName", Value: "Standard_D2ads_v5", Msg: "is not a Burstable SKU (e.g. Standard_B1ms, Standard_B2s)"}}},
		{name: "Burstable SKU on GeneralPurpose", set: mysql(`"tier":"GeneralPurpose"`),
			want: Problems{{Key: "mysql.skuName", Value: "Standard_B1ms", Msg: "is not a GeneralPurpose SKU (e.g. Standard_D2ads_v5)"}}},
		{name: "GeneralPurpose SKU on BusinessCritical", set: allowTraps(mysql(`"tier":"BusinessCritical","skuName":"Standard_D2ads_v5"`)),
			want: Problems{{Key: "mysql.skuName", Value: "Standard_D2ads_v5", Msg: "is not a BusinessCritical SKU (e.g. Standard_E2ads_v5)"}}},
		{name: "HA on GeneralPurpose", set: allowTraps(mysql(`"tier":"GeneralPurpose","skuName":"Standard_D2ads_v5","highAvailability":"ZoneRedundant"`))},
		{name: "HA on Burstable", set: allowTraps(mysql(`"highAvailability":"SameZone"`)),
			want: Problems{{Key: "mysql.highAvailability", Value: "SameZone", Msg: msgHA}}},
		{name: "unknown HA mode", set: mysql(`"highAvailability":"On"`),
			want: Problems{{Key: "mysql.highAvailability", Value: "On", Msg: "must be one of Disabled, SameZone, ZoneRedundant"}}},
		{name: "storage 20", set: mysql(`"storageGB":20`)},
		{name: "storage 16384", set: mysql(`"storageGB":16384`)},
		{name: "storage 19", set: mysql(`"storageGB":19`),
			want: Problems{{Key: "mysql.storageGB", Value: "19", Msg: "must be between 20 and 16384"}}},
		{name: "storage 16385", set: mysql(`"storageGB":16385`),
			want: Problems{{Key: "mysql.storageGB", Value: "16385", Msg: "must be between 20 and 16384"}}},
		{name: "retention 1", set: mysql(`"backupRetentionDays":1`)},
		{name: "retention 35", set: mysql(`"backupRetentionDays":35`)},
		{name: "retention 0", set: mysql(`"backupRetentionDays":0`),
			want: Problems{{Key: "mysql.backupRetentionDays", Value: "0", Msg: "must be between 1 and 35"}}},
		{name: "retention 36", set: mysql(`"backupRetentionDays":36`),
			want: Problems{{Key: "mysql.backupRetentionDays", Value: "36", Msg: "must be between 1 and 35"}}},
		{name: "login of 32", set: mysql(`"adminLogin":"` + login32 + `"`)},
		{name: "login starting with _", set: mysql(`"adminLogin":"_wp"`)},
		{name: "login with capitals", set: mysql(`"adminLogin":"WpAdmin"`)},
		{name: "login of 33", set: mysql(`"adminLogin":"` + login32 + `w"`),
			want: Problems{{Key: "mysql.adminLogin", Value: login32 + "w", Msg: msgLogin}}},
		{name: "empty login", set: mysql(`"adminLogin":""`),
			want: Problems{{Key: "mysql.adminLogin", Value: "", Msg: msgLogin}}},
		{name: "login starting with a digit", set: mysql(`"adminLogin":"1admin"`),
			want: Problems{{Key: "mysql.adminLogin", Value: "1admin", Msg: msgLogin}}},
		{name: "login with hyphen", set: mysql(`"adminLogin":"wp-admin"`),
			want: Problems{{Key: "mysql.adminLogin", Value: "wp-admin", Msg: msgLogin}}},
		{name: "reserved login", set: mysql(`"adminLogin":"root"`),
			want: Problems{{Key: "mysql.adminLogin", Value: "root", Msg: "is reserved by Azure"}}},
		{name: "reserved login in another case", set: mysql(`"adminLogin":"Admin"`),
			want: Problems{{Key: "mysql.adminLogin", Value: "Admin", Msg: "is reserved by Azure"}}},
		{name: "reserved azure_superuser", set: mysql(`"adminLogin":"azure_superuser"`),
			want: Problems{{Key: "mysql.adminLogin", Value: "azure_superuser", Msg: "is reserved by Azure"}}},
	})
}

func TestValidateNFS(t *testing.T) {
	const msgUser = "must be 1-32 lowercase letters, digits, '-' and '_', starting with a letter or '_'"
	nfs := func(body string) map[string]string { return map[string]string{"nfs": "{" + body + "}"} }
	user32 := strings.Repeat("u", 32)
	runProblemCases(t, []problemCase{
		{name: "vm size", set: nfs(`"vmSize":"B1ms"`),
			want: Problems{{Key: "nfs.vmSize", Value: "B1ms", Msg: `must be an Azure VM size such as "Standard_B1ms"`}}},
		{name: "zone 3", set: nfs(`"zone":"3"`)},
		{name: "zone 4", set: nfs(`"zone":"4"`),
			want: Problems{{Key: "nfs.zone", Value: "4", Msg: `must be "", "1", "2" or "3"`}}},
		{name: "data disk 4", set: nfs(`"dataDiskSizeGB":4`)},
		{name: "data disk 32767", set: nfs(`"dataDiskSizeGB":32767`)},
		{name: "data disk 3", set: nfs(`"dataDiskSizeGB":3`),
			want: Problems{{Key: "nfs.dataDiskSizeGB", Value: "3", Msg: "must be between 4 and 32767"}}},
		{name: "data disk 32768", set: nfs(`"dataDiskSizeGB":32768`),
			want: Problems{{Key: "nfs.dataDiskSizeGB", Value: "32768", Msg: "must be between 4 and 32767"}}},
		{name: "data disk SKU", set: allowTraps(nfs(`"dataDiskSku":"Premium_SSD"`)),
			want: Problems{{Key: "nfs.dataDiskSku", Value: "Premium_SSD", Msg: "must be one of Standard_LRS, StandardSSD_LRS, StandardSSD_ZRS, Premium_LRS, Premium_ZRS"}}},
		{name: "ZRS without zone", set: nfs(`"dataDiskSku":"StandardSSD_ZRS"`)},
		{name: "LRS in a zone", set: allowTraps(nfs(`"dataDiskSku":"Premium_LRS","zone":"1"`))},
		{name: "ZRS in a zone", set: allowTraps(nfs(`"dataDiskSku":"Premium_ZRS","zone":"1"`)),
			want: Problems{{Key: "nfs.dataDiskSku", Value: "Premium_ZRS", Msg: "zone-redundant disks cannot be pinned to nfs.zone; clear one of them"}}},
		{name: "os disk 30", set: nfs(`"osDiskSizeGB":30`)},
		{name: "os disk 1024", set: nfs(`"osDiskSizeGB":1024`)},
		{name: "os disk 29", set: nfs(`"osDiskSizeGB":29`),
			want: Problems{{Key: "nfs.osDiskSizeGB", Value: "29", Msg: "must be between 30 and 1024"}}},
		{name: "os disk 1025", set: nfs(`"osDiskSizeGB":1025`),
			want: Problems{{Key: "nfs.osDiskSizeGB", Value: "1025", Msg: "must be between 30 and 1024"}}},
		{name: "admin user of 32", set: nfs(`"adminUsername":"` + user32 + `"`)},
		{name: "admin user with - and _", set: nfs(`"adminUsername":"_wp-ops"`)},
		{name: "admin user of 33", set: nfs(`"adminUsername":"` + user32 + `u"`),
			want: Problems{{Key: "nfs.adminUsername", Value: user32 + "u", Msg: msgUser}}},
		{name: "admin user in upper case", set: nfs(`"adminUsername":"Admin"`),
			want: Problems{{Key: "nfs.adminUsername", Value: "Admin", Msg: msgUser}}},
		{name: "admin user starting with a digit", set: nfs(`"adminUsername":"1ops"`),
			want: Problems{{Key: "nfs.adminUsername", Value: "1ops", Msg: msgUser}}},
		{name: "empty admin user", set: nfs(`"adminUsername":""`),
			want: Problems{{Key: "nfs.adminUsername", Value: "", Msg: msgUser}}},
		{name: "reserved admin user", set: nfs(`"adminUsername":"root"`),
			want: Problems{{Key: "nfs.adminUsername", Value: "root", Msg: "is reserved by Azure or the OS"}}},
		{name: "reserved user", set: nfs(`"adminUsername":"user"`),
			want: Problems{{Key: "nfs.adminUsername", Value: "user", Msg: "is reserved by Azure or the OS"}}},
	})
}

func TestValidateRegistryAndIngress(t *testing.T) {
	const msgRegistry = "must be 5-50 letters and digits"
	name50 := strings.Repeat("r", 50)
	runProblemCases(t, []problemCase{
		{name: "registry name of 5", set: map[string]string{"registry": `{"name":"acr12"}`}},
		{name: "registry name of 50", set: map[string]string{"registry": `{"name":"` + name50 + `"}`}},
		{name: "registry name with capitals", set: map[string]string{"registry": `{"name":"WpRegistry"}`}},
		{name: "registry name of 4", set: map[string]string{"registry": `{"name":"acr1"}`},
			want: Problems{{Key: "registry.name", Value: "acr1", Msg: msgRegistry}}},
		{name: "registry name of 51", set: map[string]string{"registry": `{"name":"` + name50 + `r"}`},
			want: Problems{{Key: "registry.name", Value: name50 + "r", Msg: msgRegistry}}},
		{name: "registry name with hyphen", set: map[string]string{"registry": `{"name":"my-registry"}`},
			want: Problems{{Key: "registry.name", Value: "my-registry", Msg: msgRegistry}}},
		{name: "registry SKU Premium", set: allowTraps(map[string]string{"registry": `{"sku":"Premium"}`})},
		{name: "registry SKU", set: map[string]string{"registry": `{"sku":"Free"}`},
			want: Problems{{Key: "registry.sku", Value: "Free", Msg: "must be one of Basic, Standard, Premium"}}},
		{name: "chart pre-release", set: map[string]string{"ingress": `{"chartVersion":"2.4.0-rc.1"}`}},
		{name: "chart minor only", set: map[string]string{"ingress": `{"chartVersion":"2.3"}`},
			want: Problems{{Key: "ingress.chartVersion", Value: "2.3", Msg: `must be an exact chart version such as "2.6.0"`}}},
		{name: "chart with v", set: map[string]string{"ingress": `{"chartVersion":"v2.3.1"}`},
			want: Problems{{Key: "ingress.chartVersion", Value: "v2.3.1", Msg: `must be an exact chart version such as "2.6.0"`}}},
		{name: "chart range", set: map[string]string{"ingress": `{"chartVersion":"^2.3.1"}`},
			want: Problems{{Key: "ingress.chartVersion", Value: "^2.3.1", Msg: `must be an exact chart version such as "2.6.0"`}}},
		{name: "replicas 1", set: map[string]string{"ingress": `{"replicas":1}`}},
		{name: "replicas 10", set: map[string]string{"ingress": `{"replicas":10}`}},
		{name: "replicas 0", set: map[string]string{"ingress": `{"replicas":0}`},
			want: Problems{{Key: "ingress.replicas", Value: "0", Msg: "must be between 1 and 10"}}},
		{name: "replicas 11", set: map[string]string{"ingress": `{"replicas":11}`},
			want: Problems{{Key: "ingress.replicas", Value: "11", Msg: "must be between 1 and 10"}}},
	})
}

func TestValidateWordPress(t *testing.T) {
	const (
		msgImage    = `must be a repository in our registry pinned by tag or digest, e.g. "wordpress@sha256:<64 hex>" or "wordpress:6.8-1"`
		msgMemory   = `must be a binary quantity such as "500Mi" or "1Gi"`
		msgMemoryLo = "must be at least 256Mi (PHP's memory_limit plus Apache)"
		msgCPU      = `must be a CPU quantity such as "100m" or "0.5"`
		msgCodeSync = "must be 2 to 30: user pods read the code marker this often, and a change made in wp-admin must reach them within a minute"
	)
	digest := strings.Repeat("0123456789abcdef", 4)
	wp := func(body string) map[string]string { return map[string]string{"wordpress": "{" + body + "}"} }
	runProblemCases(t, []problemCase{
		{name: "image by digest", set: wp(`"image":"wordpress@sha256:` + digest + `"`)},
		{name: "image by tag", set: wp(`"image":"wordpress:6.8-1"`)},
		{name: "image with a path", set: wp(`"image":"sites/wordpress:6.8"`)},
		{name: "image latest", set: wp(`"image":"wordpress:latest"`),
			want: Problems{{Key: "wordpress.image", Value: "wordpress:latest", Msg: "must be pinned; latest moves under running pods"}}},
		{name: "image without tag", set: wp(`"image":"wordpress"`),
			want: Problems{{Key: "wordpress.image", Value: "wordpress", Msg: msgImage}}},
		{name: "image with short digest", set: wp(`"image":"wordpress@sha256:abc"`),
			want: Problems{{Key: "wordpress.image", Value: "wordpress@sha256:abc", Msg: msgImage}}},
		{name: "image in upper case", set: wp(`"image":"WordPress:6.8"`),
			want: Problems{{Key: "wordpress.image", Value: "WordPress:6.8", Msg: msgImage}}},
		{name: "memory 256Mi", set: wp(`"memory":"256Mi"`)},
		{name: "memory 0.25Gi", set: wp(`"memory":"0.25Gi"`)},
		{name: "memory 262144Ki", set: wp(`"memory":"262144Ki"`)},
		// One node a pool holds two 1Gi pods and a surge pod, and then no ingress controller:
		// two user nodes make room for one.
		{name: "memory 1Gi", set: with(with(wp(`"memory":"1Gi"`), "ingress", `{"replicas":1}`), "nodePools", `{"user":{"count":2}}`)},
		{name: "page cache off", set: wp(`"pageCache":false`)},
		{name: "code sync every 2 s", set: wp(`"codeSyncSeconds":2`)},
		{name: "code sync every 30 s", set: wp(`"codeSyncSeconds":30`)},
		{name: "code sync every second", set: wp(`"codeSyncSeconds":1`),
			want: Problems{{Key: "wordpress.codeSyncSeconds", Value: "1", Msg: msgCodeSync}}},
		{name: "code sync every 31 s", set: wp(`"codeSyncSeconds":31`),
			want: Problems{{Key: "wordpress.codeSyncSeconds", Value: "31", Msg: msgCodeSync}}},
		{name: "memory 255Mi", set: wp(`"memory":"255Mi"`),
			want: Problems{{Key: "wordpress.memory", Value: "255Mi", Msg: msgMemoryLo}}},
		{name: "memory 262143Ki", set: wp(`"memory":"262143Ki"`),
			want: Problems{{Key: "wordpress.memory", Value: "262143Ki", Msg: msgMemoryLo}}},
		{name: "memory decimal unit", set: wp(`"memory":"500M"`),
			want: Problems{{Key: "wordpress.memory", Value: "500M", Msg: msgMemory}}},
		{name: "memory without unit", set: wp(`"memory":"536870912"`),
			want: Problems{{Key: "wordpress.memory", Value: "536870912", Msg: msgMemory}}},
		{name: "memory words", set: wp(`"memory":"lots"`),
			want: Problems{{Key: "wordpress.memory", Value: "lots", Msg: msgMemory}}},
		{name: "cpu 0.5", set: wp(`"cpuRequest":"0.5"`)},
		{name: "cpu 1", set: with(wp(`"cpuRequest":"1"`), "nodePools", `{"user":{"count":2},"admin":{"count":2}}`)},
		{name: "cpu with space", set: wp(`"cpuRequest":"100 m"`),
			want: Problems{{Key: "wordpress.cpuRequest", Value: "100 m", Msg: msgCPU}}},
		{name: "cpu negative", set: wp(`"cpuRequest":"-1"`),
			want: Problems{{Key: "wordpress.cpuRequest", Value: "-1", Msg: msgCPU}}},
	})
}

func TestValidateSMTP(t *testing.T) {
	const pw = "pw-" + secretMarker
	smtp := func(body string) map[string]string {
		return map[string]string{"smtp": `{"host":"smtp.example.com","from":"wp@example.com",` + body + "}"}
	}
	withPassword := func(m map[string]string) map[string]string { m["smtpPassword"] = pw; return m }
	const msgRequired = "is required when smtp.user, smtp.from or smtpPassword is set"
	runProblemCases(t, []problemCase{
		{name: "no smtp", set: map[string]string{"smtp": `{"port":0,"secure":"bad"}`}},
		{name: "host and from", set: map[string]string{"smtp": `{"host":"smtp.example.com","from":"wp@example.com"}`}},
		{name: "user and password", set: withPassword(smtp(`"user":"wp","fromName":"Blog"`))},
		{name: "user without host", set: map[string]string{"smtp": `{"user":"wp"}`},
			want: Problems{{Key: "smtp.host", Msg: msgRequired}}},
		{name: "from without host", set: map[string]string{"smtp": `{"from":"wp@example.com"}`},
			want: Problems{{Key: "smtp.host", Msg: msgRequired}}},
		{name: "password without host", set: map[string]string{"smtpPassword": pw},
			want: Problems{{Key: "smtp.host", Msg: msgRequired}}},
		{name: "host in upper case", set: map[string]string{"smtp": `{"host":"Mail.Example.com","from":"wp@example.com"}`},
			want: Problems{{Key: "smtp.host", Value: "Mail.Example.com", Msg: "must be a lowercase DNS name"}}},
		{name: "host of one label", set: map[string]string{"smtp": `{"host":"mail","from":"wp@example.com"}`},
			want: Problems{{Key: "smtp.host", Value: "mail", Msg: "must be a lowercase DNS name"}}},
		{name: "port 1", set: smtp(`"port":1`)},
		{name: "port 65535", set: smtp(`"port":65535`)},
		{name: "port 0", set: smtp(`"port":0`),
			want: Problems{{Key: "smtp.port", Value: "0", Msg: "must be between 1 and 65535"}}},
		{name: "port 65536", set: smtp(`"port":65536`),
			want: Problems{{Key: "smtp.port", Value: "65536", Msg: "must be between 1 and 65535"}}},
		{name: "secure ssl", set: smtp(`"secure":"ssl"`)},
		{name: "secure none without user", set: smtp(`"secure":"none"`)},
		{name: "secure starttls", set: smtp(`"secure":"starttls"`),
			want: Problems{{Key: "smtp.secure", Value: "starttls", Msg: "must be one of tls, ssl, none"}}},
		{name: "from missing", set: map[string]string{"smtp": `{"host":"smtp.example.com"}`},
			want: Problems{{Key: "smtp.from", Msg: "must be the sender's mail address"}}},
		{name: "from not an address", set: map[string]string{"smtp": `{"host":"smtp.example.com","from":"wordpress"}`},
			want: Problems{{Key: "smtp.from", Value: "wordpress", Msg: "must be the sender's mail address"}}},
		{name: "user without password", set: smtp(`"user":"wp"`),
			want: Problems{{Key: "smtpPassword", Msg: "is required when smtp.user is set: pulumi config set --secret smtpPassword ..."}}},
		{name: "password in clear text", set: withPassword(smtp(`"user":"wp","secure":"none"`)),
			want: Problems{{Key: "smtp.secure", Value: "none", Msg: "would send the SMTP password in clear text; use tls or ssl"}}},
	})
}

func TestValidateSites(t *testing.T) {
	const (
		msgName = "must be 2-20 lowercase letters, digits and '-', starting with a letter and not ending with '-'"
		msgHost = "must be a lowercase DNS name such as blog.example.com"
		msgDB   = "must be 1-64 letters, digits and '_', starting with a letter or '_'"
		msgSys  = "is a MySQL system database"
	)
	// Two sites on the default one node a pool leave room for one ingress controller (and its
	// surge pod), not the default two (TestValidateCapacity).
	two := func(a, b string) map[string]string {
		return map[string]string{"sites": "[" + a + "," + b + "]", "tlsCertificate": keys.wildcardPEM, "ingress": `{"replicas":1}`}
	}
	one := func(name, host, db string) map[string]string { return map[string]string{"sites": site(name, host, db)} }
	blog := `{"name":"blog","hosts":["blog.example.com"],"database":"blog"}`
	name20 := "a" + strings.Repeat("b", 19)
	db64 := strings.Repeat("d", 64)
	label63 := strings.Repeat("h", 63)
	long254 := label63 + "." + label63 + "." + label63 + "." + label63[:60] + ".com"
	runProblemCases(t, []problemCase{
		{name: "no sites", set: map[string]string{"sites": "[]"},
			want: Problems{{Key: "sites", Msg: "must list at least one site (name, hosts, database)"}}},
		{name: "sites missing", set: map[string]string{"sites": unset},
			want: Problems{{Key: "sites", Msg: "must list at least one site (name, hosts, database)"}}},
		{name: "two sites", set: with(two(blog, `{"name":"tech","hosts":["tech.example.com"],"database":"tech","userReplicas":2}`), "nodePools", `{"user":{"count":2}}`)},
		{name: "name of 2", set: one("ab", testHost, "blog")},
		{name: "name of 20", set: one(name20, testHost, "blog")},
		{name: "name with hyphen", set: one("my-blog", testHost, "blog")},
		{name: "name of 1", set: one("b", testHost, "blog"),
			want: Problems{{Key: "sites[0].name", Value: "b", Msg: msgName}}},
		{name: "name of 21", set: one(name20+"c", testHost, "blog"),
			want: Problems{{Key: "sites[0].name", Value: name20 + "c", Msg: msgName}}},
		{name: "name in upper case", set: one("Blog", testHost, "blog"),
			want: Problems{{Key: "sites[0].name", Value: "Blog", Msg: msgName}}},
		{name: "name ending with hyphen", set: one("blog-", testHost, "blog"),
			want: Problems{{Key: "sites[0].name", Value: "blog-", Msg: msgName}}},
		{name: "name starting with a digit", set: one("1blog", testHost, "blog"),
			want: Problems{{Key: "sites[0].name", Value: "1blog", Msg: msgName}}},
		{name: "duplicate names", set: two(blog, `{"name":"blog","hosts":["tech.example.com"],"database":"tech"}`),
			want: Problems{{Key: "sites[1].name", Value: "blog", Msg: "is also the name of sites[0]"}}},
		{name: "no hosts", set: map[string]string{"sites": `[{"name":"blog","hosts":[],"database":"blog"}]`},
			want: Problems{{Key: "sites[0].hosts", Msg: "must list at least one host name"}}},
		{name: "host in upper case", set: one("blog", "Blog.Example.com", "blog"),
			want: Problems{{Key: "sites[0].hosts[0]", Value: "Blog.Example.com", Msg: msgHost}}},
		{name: "host of one label", set: one("blog", "localhost", "blog"),
			want: Problems{{Key: "sites[0].hosts[0]", Value: "localhost", Msg: msgHost}}},
		{name: "host with underscore", set: one("blog", "bad_host.example.com", "blog"),
			want: Problems{{Key: "sites[0].hosts[0]", Value: "bad_host.example.com", Msg: msgHost}}},
		{name: "host with trailing dot", set: one("blog", "blog.example.com.", "blog"),
			want: Problems{{Key: "sites[0].hosts[0]", Value: "blog.example.com.", Msg: msgHost}}},
		{name: "host label starting with hyphen", set: one("blog", "-blog.example.com", "blog"),
			want: Problems{{Key: "sites[0].hosts[0]", Value: "-blog.example.com", Msg: msgHost}}},
		{name: "host of 254", set: one("blog", long254, "blog"),
			want: Problems{{Key: "sites[0].hosts[0]", Value: long254, Msg: msgHost}}},
		{name: "wildcard host", set: one("blog", "*.example.com", "blog"),
			want: Problems{{Key: "sites[0].hosts[0]", Value: "*.example.com", Msg: "is a wildcard: list each host name (a wildcard tlsCertificate covers them)"}}},
		{name: "host twice in one site", set: map[string]string{"sites": `[{"name":"blog","hosts":["blog.example.com","blog.example.com"],"database":"blog"}]`},
			want: Problems{{Key: "sites[0].hosts[1]", Value: "blog.example.com", Msg: "is also a host of sites[0]"}}},
		{name: "host in two sites", set: two(blog, `{"name":"tech","hosts":["blog.example.com"],"database":"tech"}`),
			want: Problems{{Key: "sites[1].hosts[0]", Value: "blog.example.com", Msg: "is also a host of sites[0]"}}},
		{name: "database of 64", set: one("blog", testHost, db64)},
		{name: "database with capitals and _", set: one("blog", testHost, "_Blog_1")},
		{name: "database of 65", set: one("blog", testHost, db64+"d"),
			want: Problems{{Key: "sites[0].database", Value: db64 + "d", Msg: msgDB}}},
		{name: "empty database", set: one("blog", testHost, ""),
			want: Problems{{Key: "sites[0].database", Value: "", Msg: msgDB}}},
		{name: "database with hyphen", set: one("blog", testHost, "my-blog"),
			want: Problems{{Key: "sites[0].database", Value: "my-blog", Msg: msgDB}}},
		{name: "database starting with a digit", set: one("blog", testHost, "1blog"),
			want: Problems{{Key: "sites[0].database", Value: "1blog", Msg: msgDB}}},
		{name: "database mysql", set: one("blog", testHost, "mysql"),
			want: Problems{{Key: "sites[0].database", Value: "mysql", Msg: msgSys}}},
		{name: "database Sys", set: one("blog", testHost, "Sys"),
			want: Problems{{Key: "sites[0].database", Value: "Sys", Msg: msgSys}}},
		{name: "database information_schema", set: one("blog", testHost, "information_schema"),
			want: Problems{{Key: "sites[0].database", Value: "information_schema", Msg: msgSys}}},
		{name: "database performance_schema", set: one("blog", testHost, "performance_schema"),
			want: Problems{{Key: "sites[0].database", Value: "performance_schema", Msg: msgSys}}},
		{name: "same database", set: two(blog, `{"name":"tech","hosts":["tech.example.com"],"database":"blog"}`),
			want: Problems{{Key: "sites[1].database", Value: "blog", Msg: "is also the database of sites[0]"}}},
		{name: "same database in another case", set: two(blog, `{"name":"tech","hosts":["tech.example.com"],"database":"Blog"}`),
			want: Problems{{Key: "sites[1].database", Value: "Blog", Msg: "is also the database of sites[0]"}}},
		{name: "user replicas 0", set: map[string]string{"sites": `[{"name":"blog","hosts":["blog.example.com"],"database":"blog","userReplicas":0}]`},
			want: Problems{{Key: "sites[0].userReplicas", Value: "0", Msg: "must be at least 1"}}},
		{name: "admin replicas 0", set: map[string]string{"sites": `[{"name":"blog","hosts":["blog.example.com"],"database":"blog","adminReplicas":0}]`},
			want: Problems{{Key: "sites[0].adminReplicas", Value: "0", Msg: "must be at least 1"}}},
	})
}

func TestValidateBackup(t *testing.T) {
	backup := func(body string) map[string]string { return map[string]string{"backup": "{" + body + "}"} }
	const msgTime = `must be "HH:00" or "HH:30" (the backup runs on the hour or the half hour)`
	runProblemCases(t, []problemCase{
		{name: "disabled skips every rule", set: backup(`"enabled":false,"method":"tape","dailyRetentionDays":0,"weeklyRetentionWeeks":-1,"timeUTC":"x","storageRedundancy":"x"`)},
		{name: "method vm", set: backup(`"method":"vm"`)},
		{name: "method snapshots", set: backup(`"method":"snapshots"`)},
		{name: "method unknown", set: backup(`"method":"tape"`),
			want: Problems{{Key: "backup.method", Value: "tape", Msg: "must be one of snapshots, vm"}}},
		{name: "daily 7", set: backup(`"dailyRetentionDays":7`)},
		{name: "vm daily 9999", set: backup(`"method":"vm","dailyRetentionDays":9999`)},
		{name: "daily 6", set: backup(`"dailyRetentionDays":6`),
			want: Problems{{Key: "backup.dailyRetentionDays", Value: "6", Msg: "must be between 7 and 9999"}}},
		{name: "vm daily 10000", set: backup(`"method":"vm","dailyRetentionDays":10000`),
			want: Problems{{Key: "backup.dailyRetentionDays", Value: "10000", Msg: "must be between 7 and 9999"}}},
		{name: "snapshots 450 daily and 50 weekly", set: backup(`"dailyRetentionDays":450,"weeklyRetentionWeeks":50`)},
		{name: "snapshots over Azure's 500", set: backup(`"dailyRetentionDays":451,"weeklyRetentionWeeks":50`),
			want: Problems{{Key: "backup.dailyRetentionDays", Value: "451",
				Msg: "with weeklyRetentionWeeks 50 keeps 501 snapshots; Azure keeps at most 500 incremental snapshots of a disk"}}},
		{name: "vm weekly 5163", set: backup(`"method":"vm","weeklyRetentionWeeks":5163`)},
		{name: "weekly -1", set: backup(`"weeklyRetentionWeeks":-1`),
			want: Problems{{Key: "backup.weeklyRetentionWeeks", Value: "-1", Msg: "must be between 0 and 5163"}}},
		{name: "vm weekly 5164", set: backup(`"method":"vm","weeklyRetentionWeeks":5164`),
			want: Problems{{Key: "backup.weeklyRetentionWeeks", Value: "5164", Msg: "must be between 0 and 5163"}}},
		{name: "time 23:30", set: backup(`"timeUTC":"23:30"`)},
		{name: "time 00:00", set: backup(`"timeUTC":"00:00"`)},
		{name: "time 18:15", set: backup(`"timeUTC":"18:15"`),
			want: Problems{{Key: "backup.timeUTC", Value: "18:15", Msg: msgTime}}},
		{name: "time 24:00", set: backup(`"timeUTC":"24:00"`),
			want: Problems{{Key: "backup.timeUTC", Value: "24:00", Msg: msgTime}}},
		{name: "time 6:00", set: backup(`"timeUTC":"6:00"`),
			want: Problems{{Key: "backup.timeUTC", Value: "6:00", Msg: msgTime}}},
		{name: "vm GeoRedundant", set: backup(`"method":"vm","storageRedundancy":"GeoRedundant"`)},
		{name: "vm ZoneRedundant", set: backup(`"method":"vm","storageRedundancy":"ZoneRedundant"`),
			want: Problems{{Key: "backup.storageRedundancy", Value: "ZoneRedundant", Msg: "must be one of LocallyRedundant, GeoRedundant"}}},
		{name: "snapshots ZoneRedundant", set: backup(`"storageRedundancy":"ZoneRedundant"`)},
		{name: "snapshots GeoRedundant", set: backup(`"storageRedundancy":"GeoRedundant"`),
			want: Problems{{Key: "backup.storageRedundancy", Value: "GeoRedundant",
				Msg: "snapshots stay in the stack's region: use LocallyRedundant or ZoneRedundant, or method vm for a copy in the paired region"}}},
		{name: "snapshots unknown redundancy", set: backup(`"storageRedundancy":"x"`),
			want: Problems{{Key: "backup.storageRedundancy", Value: "x", Msg: "must be one of LocallyRedundant, ZoneRedundant"}}},
	})
}

func TestValidateAlerts(t *testing.T) {
	alerts := func(body string) map[string]string { return map[string]string{"alerts": "{" + body + "}"} }
	tests := []problemCase{
		{name: "emails", set: alerts(`"emails":["ops@example.com","dev@example.co.jp"]`)},
		{name: "email without domain", set: alerts(`"emails":["ops"]`),
			want: Problems{{Key: "alerts.emails[0]", Value: "ops", Msg: "must be a mail address"}}},
		{name: "email without dot", set: alerts(`"emails":["ops@example"]`),
			want: Problems{{Key: "alerts.emails[0]", Value: "ops@example", Msg: "must be a mail address"}}},
		{name: "email twice in another case", set: alerts(`"emails":["ops@example.com","OPS@example.com"]`),
			want: Problems{{Key: "alerts.emails[1]", Value: "OPS@example.com", Msg: "is listed twice"}}},
		{name: "pod restarts 1000", set: alerts(`"podRestarts":1000`)},
		{name: "pod restarts 0", set: alerts(`"podRestarts":0`),
			want: Problems{{Key: "alerts.podRestarts", Value: "0", Msg: "must be between 1 and 1000"}}},
		{name: "pod restarts 1001", set: alerts(`"podRestarts":1001`),
			want: Problems{{Key: "alerts.podRestarts", Value: "1001", Msg: "must be between 1 and 1000"}}},
	}
	for _, key := range []string{"nodeCpuPercent", "nodeMemoryPercent", "mysqlCpuPercent", "mysqlStoragePercent", "mysqlConnectionsPercent", "nfsDiskUsedPercent"} {
		for _, v := range []int{1, 100} {
			tests = append(tests, problemCase{name: fmt.Sprintf("%s %d", key, v), set: alerts(fmt.Sprintf(`"%s":%d`, key, v))})
		}
		for _, v := range []int{0, 101} {
			tests = append(tests, problemCase{name: fmt.Sprintf("%s %d", key, v), set: alerts(fmt.Sprintf(`"%s":%d`, key, v)),
				want: Problems{{Key: "alerts." + key, Value: fmt.Sprint(v), Msg: "must be between 1 and 100"}}})
		}
	}
	runProblemCases(t, tests)
}

func TestValidateCost(t *testing.T) {
	emails := `{"emails":["ops@example.com"]}`
	runProblemCases(t, []problemCase{
		{name: "budget with emails", set: map[string]string{"cost": `{"monthlyBudget":15000,"currency":"USD","monthlyCeilingUSD":120.5}`, "alerts": emails}},
		{name: "negative budget", set: map[string]string{"cost": `{"monthlyBudget":-1}`},
			want: Problems{{Key: "cost.monthlyBudget", Value: "-1", Msg: "must be 0 (no budget) or positive"}}},
		{name: "budget without emails", set: map[string]string{"cost": `{"monthlyBudget":5000}`},
			want: Problems{{Key: "cost.monthlyBudget", Value: "5000", Msg: "needs alerts.emails to send its notices to"}}},
		{name: "currency", set: map[string]string{"cost": `{"currency":"EUR"}`},
			want: Problems{{Key: "cost.currency", Value: "EUR", Msg: "must be one of JPY, USD"}}},
		{name: "negative ceiling", set: map[string]string{"cost": `{"monthlyCeilingUSD":-0.5}`},
			want: Problems{{Key: "cost.monthlyCeilingUSD", Value: "-0.5", Msg: "must be 0 (no ceiling) or positive"}}},
	})
}

// TestValidateManyMistakes makes one mistake in many sections and expects all of them at once.
func TestValidateManyMistakes(t *testing.T) {
	set := map[string]string{
		"location":          "Japan East",
		"kubernetesVersion": "1.30",
		"tags":              `{"site":"x"}`,
		"network":           `{"mysqlSubnetCidr":"10.20.8.0/30"}`,
		"aks":               `{"tier":"Premium"}`,
		"nodePools":         `{"user":{"name":"User"},"admin":{"vmSize":"Standard_B2s"}}`,
		"mysql":             `{"adminLogin":"root","skuName":"Standard_D2ads_v5"}`,
		"nfs":               `{"dataDiskSizeGB":3}`,
		"registry":          `{"sku":"Free"}`,
		"ingress":           `{"replicas":0}`,
		"wordpress":         `{"image":"wordpress:latest"}`,
		"smtp":              `{"user":"wp"}`,
		"sites":             site("blog", "Blog.Example.com", "mysql"),
		"backup":            `{"timeUTC":"18:15"}`,
		"alerts":            `{"emails":["ops"]}`,
		"cost":              `{"currency":"EUR"}`,
		"sshPublicKey":      unset,
		"tlsPrivateKey":     keys.otherKeyPEM,
	}
	_, got := load(t, testStack, source(set))
	want := Problems{
		{Key: "location", Value: "Japan East", Msg: "is not an Azure region (the ARM name, as `az account list-locations -o table` shows it; 59 known as of 2026-06-18); did you mean japaneast?"},
		{Key: "kubernetesVersion", Value: "1.30", Msg: "AKS no longer supports it; use 1.35 or later"},
		{Key: "tags.site", Msg: "is set by the program; reserved tag names are project, stack, site"},
		{Key: "network.mysqlSubnetCidr", Value: "10.20.8.0/30", Msg: "is too small: at least /29 (a subnet delegated to MySQL Flexible Server needs at least /29)"},
		{Key: "aks.tier", Value: "Premium", Msg: "must be one of Free, Standard"},
		{Key: "nodePools.user.name", Value: "User", Msg: "AKS pool names are 1-12 lowercase letters and digits, starting with a letter"},
		{Key: "nodePools.admin.vmSize", Value: "Standard_B2s", Msg: `this pool runs in System mode and AKS advises against B-series System pools; choose another size or set aks.systemPool to "dedicated"`},
		{Key: "mysql.skuName", Value: "Standard_D2ads_v5", Msg: "is not a Burstable SKU (e.g. Standard_B1ms, Standard_B2s)"},
		{Key: "mysql.adminLogin", Value: "root", Msg: "is reserved by Azure"},
		{Key: "nfs.dataDiskSizeGB", Value: "3", Msg: "must be between 4 and 32767"},
		{Key: "sshPublicKey", Msg: `is required: pulumi config set sshPublicKey "$(cat ~/.ssh/id_ed25519.pub)"`},
		{Key: "registry.sku", Value: "Free", Msg: "must be one of Basic, Standard, Premium"},
		{Key: "ingress.replicas", Value: "0", Msg: "must be between 1 and 10"},
		{Key: "wordpress.image", Value: "wordpress:latest", Msg: "must be pinned; latest moves under running pods"},
		{Key: "smtp.host", Msg: "is required when smtp.user, smtp.from or smtpPassword is set"},
		{Key: "sites[0].hosts[0]", Value: "Blog.Example.com", Msg: "must be a lowercase DNS name such as blog.example.com"},
		{Key: "sites[0].database", Value: "mysql", Msg: "is a MySQL system database"},
		{Key: "tlsPrivateKey", Msg: "does not belong to the first certificate in tlsCertificate"},
		{Key: "backup.timeUTC", Value: "18:15", Msg: `must be "HH:00" or "HH:30" (the backup runs on the hour or the half hour)`},
		{Key: "alerts.emails[0]", Value: "ops", Msg: "must be a mail address"},
		{Key: "cost.currency", Value: "EUR", Msg: "must be one of JPY, USD"},
	}
	assertProblems(t, got, want)
	if got, want := len(got), 21; got != want {
		t.Errorf("got %d problems, want %d", got, want)
	}
	_, err := Load(testProject, testStack, source(set))
	if err == nil {
		t.Fatal("Load accepted a config with 21 mistakes")
	}
	text := err.Error()
	assertNoSecret(t, text)
	if got, want := strings.Split(text, "\n")[0], "stack config has 21 problems:"; got != want {
		t.Errorf("first line: got %q, want %q", got, want)
	}
	if got, want := strings.Count(text, "\n"), 21; got != want {
		t.Errorf("got %d problem lines, want %d", got, want)
	}
	for _, line := range []string{
		"  location \"Japan East\": is not an Azure region (the ARM name, as `az account list-locations -o table` shows it; 59 known as of 2026-06-18); did you mean japaneast?",
		`  tags.site: is set by the program; reserved tag names are project, stack, site`,
		`  tlsPrivateKey: does not belong to the first certificate in tlsCertificate`,
	} {
		if !strings.Contains(text, line+"\n") {
			t.Errorf("error text lacks the line %q:\n%s", line, text)
		}
	}
}

func TestProblemsError(t *testing.T) {
	tests := []struct {
		name  string
		probs Problems
		want  string
	}{
		{"one", Problems{{Key: "sites[1].host", Value: "Blog.Example", Msg: "must be a lowercase DNS name"}},
			"stack config has 1 problem:\n  sites[1].host \"Blog.Example\": must be a lowercase DNS name"},
		{"two, one without value", Problems{{Key: "a", Value: "x", Msg: "m1"}, {Key: "b", Msg: "m2"}},
			"stack config has 2 problems:\n  a \"x\": m1\n  b: m2"},
		{"quotes in value", Problems{{Key: "k", Value: `a"b`, Msg: "m"}},
			"stack config has 1 problem:\n  k \"a\\\"b\": m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.probs.Error(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// allowTraps accepts every cost trap, for cases about other rules that use a trap's setting.
func allowTraps(set map[string]string) map[string]string {
	out := map[string]string{"cost": `{"allow":["` + strings.Join(allTrapNames(), `","`) + `"]}`}
	for k, v := range set {
		out[k] = v
	}
	return out
}

func TestCostTraps(t *testing.T) {
	trapMsg := func(c CostTrap) string {
		return "is a cost trap: " + c.Why + `; add "` + c.Name + `" to cost.allow to accept it`
	}
	allow := func(names ...string) string { return `{"allow":["` + strings.Join(names, `","`) + `"]}` }
	runProblemCases(t, []problemCase{
		{name: "no trap in the base stack"},
		{name: "aks standard tier", set: map[string]string{"aks": `{"tier":"Standard"}`},
			want: Problems{{Key: "aks.tier", Value: "Standard", Msg: trapMsg(TrapAKSStandardTier)}}},
		{name: "aks standard tier allowed", set: map[string]string{"aks": `{"tier":"Standard"}`, "cost": allow("aks-standard-tier")}},
		{name: "standard registry", set: map[string]string{"registry": `{"sku":"Standard"}`},
			want: Problems{{Key: "registry.sku", Value: "Standard", Msg: trapMsg(TrapRegistrySKU)}}},
		{name: "premium registry allowed", set: map[string]string{"registry": `{"sku":"Premium"}`, "cost": allow("registry-premium-sku")}},
		{name: "premium data disk", set: map[string]string{"nfs": `{"dataDiskSku":"Premium_LRS"}`},
			want: Problems{{Key: "nfs.dataDiskSku", Value: "Premium_LRS", Msg: trapMsg(TrapPremiumDisk)}}},
		{name: "mysql HA", set: map[string]string{"mysql": `{"tier":"GeneralPurpose","skuName":"Standard_D2ads_v5","highAvailability":"ZoneRedundant"}`},
			want: Problems{{Key: "mysql.highAvailability", Value: "ZoneRedundant", Msg: trapMsg(TrapMySQLHA)}}},
		{name: "mysql business critical", set: map[string]string{"mysql": `{"tier":"BusinessCritical","skuName":"Standard_E2ads_v5"}`},
			want: Problems{{Key: "mysql.tier", Value: "BusinessCritical", Msg: trapMsg(TrapMySQLBusiness)}}},
		{name: "dedicated system pool", set: map[string]string{"aks": `{"systemPool":"dedicated"}`},
			want: Problems{{Key: "aks.systemPool", Value: "dedicated", Msg: trapMsg(TrapDedicatedSystem)}}},
		{name: "one allowed, another not", set: map[string]string{"aks": `{"tier":"Standard","systemPool":"dedicated"}`, "cost": allow("aks-standard-tier")},
			want: Problems{{Key: "aks.systemPool", Value: "dedicated", Msg: trapMsg(TrapDedicatedSystem)}}},
		{name: "unknown trap name", set: map[string]string{"cost": allow("netap-files")},
			want: Problems{{Key: "cost.allow[0]", Value: "netap-files", Msg: "is not a known cost trap (known: " + strings.Join(allTrapNames(), ", ") + ")"}}},
	})
}
