package config

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Validate checks a decoded config against Azure's and Kubernetes's real limits and reports
// every problem. It never puts a secret into a message.
func Validate(c Config) Problems {
	var probs Problems
	checks := []func(Config) Problems{
		validateStack,
		validateTags,
		validateNetwork,
		validateAKS,
		validateNodePools,
		validateMySQL,
		validateNFS,
		validateRegistry,
		validateIngress,
		validateWordPress,
		validateSMTP,
		validateSites,
		validateTLS,
		validateTLSMode,
		validateEdge,
		validateBackup,
		validateAlerts,
		validateMonitoringAlerts,
		validateLogs,
		validateSchedule,
		validateCost,
		validateCostTraps,
		validateCapacity,
		func(c Config) Problems { return c.Names().check(c) },
	}
	for _, check := range checks {
		probs = append(probs, check(c)...)
	}
	return probs
}

var (
	rePrefix     = regexp.MustCompile(`^[a-z][a-z0-9]{1,7}$`)
	reStack      = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	reK8sVersion = regexp.MustCompile(`^1\.(\d+)(\.\d+)?$`)
	reVMSize     = regexp.MustCompile(`^Standard_[A-Za-z0-9_]+$`)
	reUTCOffset  = regexp.MustCompile(`^[+-](0\d|1[0-4]):[0-5]\d$`)
	reSiteName   = regexp.MustCompile(`^[a-z][a-z0-9-]{0,18}[a-z0-9]$`)
	reLinuxUser  = regexp.MustCompile(`^[a-z_][a-z0-9_-]{0,31}$`)
	reQuantity   = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi)?$`)
	reChartVer   = regexp.MustCompile(`^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$`)
	reImageRef   = regexp.MustCompile(`^[a-z0-9]+([._/-][a-z0-9]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$`)
	reEmail      = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	reBackupTime = regexp.MustCompile(`^([01]\d|2[0-3]):(00|30)$`)
)

// MinKubernetesMinor is the oldest 1.x minor AKS still supports (1.34 leaves support in
// November 2026).
const MinKubernetesMinor = 35

// Reserved names Azure refuses for administrators.
var (
	reservedMySQLLogins = []string{"azure_superuser", "azure_pg_admin", "admin", "administrator", "root", "guest", "public", "sa"}
	reservedLinuxUsers  = []string{"root", "admin", "administrator", "adm", "daemon", "bin", "sys", "sync", "games", "man", "lp", "mail", "news", "uucp", "proxy", "www-data", "backup", "list", "irc", "nobody", "sshd", "test", "user", "guest", "azureuser1"}
)

func validateStack(c Config) Problems {
	var probs Problems
	if !reStack.MatchString(c.Stack) || len(c.Stack) > 12 {
		probs.add("stack name", c.Stack, "must be 1-12 lowercase letters, digits and single '-' between them, starting with a letter (it goes into Azure names)")
	}
	if msg := checkLocation(c.Location); msg != "" {
		probs.add("location", c.Location, msg)
	}
	if !rePrefix.MatchString(c.NamePrefix) {
		probs.add("namePrefix", c.NamePrefix, "must be 2-8 lowercase letters and digits, starting with a letter")
	}
	m := reK8sVersion.FindStringSubmatch(c.KubernetesVersion)
	if m == nil {
		probs.add("kubernetesVersion", c.KubernetesVersion, `must look like "1.35" or "1.35.2"`)
	} else if minor, _ := strconv.Atoi(m[1]); minor < MinKubernetesMinor {
		msg := fmt.Sprintf("AKS no longer supports it; use 1.%d or later", MinKubernetesMinor)
		// The engine hands the program 1.40 written without quotes as the number 1.4, with no
		// trace of its type (cmd/plan reads the file and says so for sure, in load.go).
		if m[2] == "" && minor < 10 && minor*10 >= MinKubernetesMinor {
			msg += fmt.Sprintf(`; if the stack file says 1.%d0 without quotes, YAML reads it as the number 1.%d: write kubernetesVersion: "1.%d0"`, minor, minor, minor)
		}
		probs.add("kubernetesVersion", c.KubernetesVersion, msg)
	}
	return probs
}

// reservedTags are set by the program itself on every resource.
var reservedTags = []string{"project", "stack", "site"}

func validateTags(c Config) Problems {
	var probs Problems
	for _, k := range sortedKeys(c.Tags) {
		switch {
		case k == "":
			probs.add("tags", "", "tag names cannot be empty")
		case slices.Contains(reservedTags, strings.ToLower(k)):
			probs.add("tags."+k, "", "is set by the program; reserved tag names are "+strings.Join(reservedTags, ", "))
		case len(k) > 512 || strings.ContainsAny(k, `<>%&\?/`):
			probs.add("tags."+k, "", `tag names are at most 512 characters without < > % & \ ? /`)
		case len(c.Tags[k]) > 256:
			probs.add("tags."+k, "", "tag values are at most 256 characters")
		}
	}
	return probs
}

func validateNetwork(c Config) Problems {
	var probs Problems
	n := c.Network
	parse := func(key, s string) (netip.Prefix, bool) {
		p, err := netip.ParsePrefix(s)
		switch {
		case err != nil || !p.Addr().Is4():
			probs.add(key, s, "must be an IPv4 CIDR such as 10.20.0.0/16")
			return netip.Prefix{}, false
		case p.Masked() != p:
			probs.add(key, s, fmt.Sprintf("has host bits set; the network is %s", p.Masked()))
			return netip.Prefix{}, false
		case !p.Addr().IsPrivate():
			probs.add(key, s, "must be a private range (RFC 1918)")
			return netip.Prefix{}, false
		}
		return p, true
	}
	vnet, okVNet := parse("network.vnetCidr", n.VNetCIDR)
	type sub struct {
		key    string
		prefix netip.Prefix
	}
	var subnets []sub
	for _, s := range []struct {
		key, cidr string
		maxBits   int
		why       string
	}{
		{"network.aksSubnetCidr", n.AKSSubnetCIDR, 28, "AKS nodes need room to surge during upgrades"},
		{"network.mysqlSubnetCidr", n.MySQLSubnetCIDR, 29, "a subnet delegated to MySQL Flexible Server needs at least /29"},
		{"network.nfsSubnetCidr", n.NFSSubnetCIDR, 29, "Azure's smallest usable subnet is /29"},
	} {
		p, ok := parse(s.key, s.cidr)
		if !ok {
			continue
		}
		if p.Bits() > s.maxBits {
			probs.add(s.key, s.cidr, fmt.Sprintf("is too small: at least /%d (%s)", s.maxBits, s.why))
		}
		if okVNet && (!vnet.Contains(p.Addr()) || p.Bits() < vnet.Bits()) {
			probs.add(s.key, s.cidr, "must lie inside network.vnetCidr "+n.VNetCIDR)
		}
		for _, other := range subnets {
			if p.Overlaps(other.prefix) {
				probs.add(s.key, s.cidr, "overlaps "+other.key+" "+other.prefix.String())
			}
		}
		subnets = append(subnets, sub{s.key, p})
		if s.key == "network.aksSubnetCidr" {
			// Azure keeps 5 addresses of every subnet; every node takes one, and an upgrade
			// surges one extra node per pool.
			usable := (1 << (32 - p.Bits())) - 5
			nodes, surge := maxNodes(c), len(c.pools())
			if nodes+surge > usable {
				probs.add(s.key, s.cidr, fmt.Sprintf("has %d usable addresses but the pools may need %d nodes plus %d for upgrade surge", usable, nodes, surge))
			}
		}
	}
	pod, okPod := parse("network.podCidr", n.PodCIDR)
	svc, okSvc := parse("network.serviceCidr", n.ServiceCIDR)
	if okPod && okVNet && pod.Overlaps(vnet) {
		probs.add("network.podCidr", n.PodCIDR, "overlaps network.vnetCidr "+n.VNetCIDR)
	}
	if okSvc && okVNet && svc.Overlaps(vnet) {
		probs.add("network.serviceCidr", n.ServiceCIDR, "overlaps network.vnetCidr "+n.VNetCIDR)
	}
	if okPod && okSvc && pod.Overlaps(svc) {
		probs.add("network.podCidr", n.PodCIDR, "overlaps network.serviceCidr "+n.ServiceCIDR)
	}
	if okPod {
		// Overlay gives every node a /24 of pod addresses.
		if pod.Bits() > 24 {
			probs.add("network.podCidr", n.PodCIDR, "is too small: at least /24 (each node takes a /24 of pod addresses)")
		} else if blocks := 1 << (24 - pod.Bits()); blocks < maxNodes(c) {
			probs.add("network.podCidr", n.PodCIDR, fmt.Sprintf("holds %d node blocks (/24) but the pools may reach %d nodes", blocks, maxNodes(c)))
		}
	}
	if okSvc && svc.Bits() < 12 {
		probs.add("network.serviceCidr", n.ServiceCIDR, "is too large: AKS allows /12 at most")
	}
	dns, err := netip.ParseAddr(n.DNSServiceIP)
	switch {
	case err != nil:
		probs.add("network.dnsServiceIp", n.DNSServiceIP, "must be an IPv4 address")
	case okSvc && !svc.Contains(dns):
		probs.add("network.dnsServiceIp", n.DNSServiceIP, "must lie inside network.serviceCidr "+n.ServiceCIDR)
	case okSvc && (dns == svc.Addr() || dns == lastAddr(svc)):
		probs.add("network.dnsServiceIp", n.DNSServiceIP, "must not be the network or broadcast address of network.serviceCidr")
	case okSvc && dns == svc.Addr().Next():
		probs.add("network.dnsServiceIp", n.DNSServiceIP, "must not be the first address of network.serviceCidr (the API server's)")
	}
	return probs
}

// lastAddr is the last (broadcast) address of an IPv4 prefix.
func lastAddr(p netip.Prefix) netip.Addr {
	a := p.Addr().As4()
	host := uint32(1)<<(32-p.Bits()) - 1
	v := (uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])) | host
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// maxNodes is the largest number of nodes the pools can reach.
func maxNodes(c Config) int {
	total := 0
	for _, p := range c.pools() {
		total += max(p.pool.Count, p.pool.MaxCount)
	}
	return total
}

var (
	upgradeChannels   = []string{"patch", "stable", "rapid", "node-image", "none"}
	nodeOSChannels    = []string{"NodeImage", "SecurityPatch", "Unmanaged", "None"}
	weekdays          = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	aksTiers          = []string{"Free", "Standard"}
	networkPolicies   = []string{"cilium", "calico"}
	systemPoolChoices = []string{SystemPoolAdmin, SystemPoolDedicated}
)

func oneOf(probs *Problems, key, v string, allowed []string) {
	if !slices.Contains(allowed, v) {
		probs.add(key, v, "must be one of "+strings.Join(allowed, ", "))
	}
}

func intRange(probs *Problems, key string, v, lo, hi int) {
	if v < lo || v > hi {
		probs.add(key, strconv.Itoa(v), fmt.Sprintf("must be between %d and %d", lo, hi))
	}
}

func validateAKS(c Config) Problems {
	var probs Problems
	a := c.AKS
	oneOf(&probs, "aks.systemPool", a.SystemPool, systemPoolChoices)
	oneOf(&probs, "aks.tier", a.Tier, aksTiers)
	oneOf(&probs, "aks.networkPolicy", a.NetworkPolicy, networkPolicies)
	oneOf(&probs, "aks.upgradeChannel", a.UpgradeChannel, upgradeChannels)
	oneOf(&probs, "aks.nodeOsUpgradeChannel", a.NodeOSUpgradeChannel, nodeOSChannels)
	w := a.MaintenanceWindow
	oneOf(&probs, "aks.maintenanceWindow.dayOfWeek", w.DayOfWeek, weekdays)
	intRange(&probs, "aks.maintenanceWindow.startHour", w.StartHour, 0, 23)
	intRange(&probs, "aks.maintenanceWindow.durationHours", w.DurationHours, 4, 24)
	if !reUTCOffset.MatchString(w.UTCOffset) {
		probs.add("aks.maintenanceWindow.utcOffset", w.UTCOffset, `must look like "+09:00" or "-05:00"`)
	}
	return probs
}

// PoolRole is one node pool with its config key and the role it plays.
type PoolRole struct {
	Key  string // "nodePools.user"
	Role string // "user", "admin" or "system"
	// System is true for the pool that runs in AKS System mode.
	System bool
	pool   NodePool
}

// Pool returns the pool's settings.
func (p PoolRole) Pool() NodePool { return p.pool }

// pools lists the pools this config creates: user and admin always, system when dedicated.
func (c Config) pools() []PoolRole {
	out := []PoolRole{
		{Key: "nodePools.user", Role: "user", pool: c.NodePools.User},
		{Key: "nodePools.admin", Role: "admin", pool: c.NodePools.Admin, System: c.AKS.SystemPool == SystemPoolAdmin},
	}
	if c.AKS.SystemPool == SystemPoolDedicated {
		out = append(out, PoolRole{Key: "nodePools.system", Role: "system", pool: c.NodePools.System, System: true})
	}
	return out
}

// Pools lists the node pools the cluster gets, the System-mode pool first (AKS needs one at
// creation).
func (c Config) Pools() []PoolRole {
	ps := c.pools()
	slices.SortStableFunc(ps, func(a, b PoolRole) int {
		switch {
		case a.System == b.System:
			return 0
		case a.System:
			return -1
		}
		return 1
	})
	return ps
}

var osDiskTypes = []string{"Managed", "Ephemeral"}

func validateNodePools(c Config) Problems {
	var probs Problems
	seen := map[string]string{}
	for _, pr := range c.pools() {
		p, k := pr.pool, pr.Key
		if !reAKSPool.MatchString(p.Name) {
			probs.add(k+".name", p.Name, "AKS pool names are 1-12 lowercase letters and digits, starting with a letter")
		} else if other, dup := seen[p.Name]; dup {
			probs.add(k+".name", p.Name, "is also the name of "+other)
		}
		seen[p.Name] = k
		if !reVMSize.MatchString(p.VMSize) {
			probs.add(k+".vmSize", p.VMSize, `must be an Azure VM size such as "Standard_B2s"`)
		} else if pr.System && isBSeries(p.VMSize) {
			probs.add(k+".vmSize", p.VMSize, "this pool runs in System mode and AKS advises against B-series System pools; choose another size or set aks.systemPool to \"dedicated\"")
		}
		intRange(&probs, k+".count", p.Count, 1, 100)
		autoscale := p.MinCount != 0 || p.MaxCount != 0
		if autoscale {
			switch {
			case p.MinCount < 1:
				probs.add(k+".minCount", strconv.Itoa(p.MinCount), "must be at least 1 when maxCount is set")
			case p.MaxCount < p.MinCount:
				probs.add(k+".maxCount", strconv.Itoa(p.MaxCount), fmt.Sprintf("must be at least minCount (%d)", p.MinCount))
			case p.Count < p.MinCount || p.Count > p.MaxCount:
				probs.add(k+".count", strconv.Itoa(p.Count), fmt.Sprintf("must lie between minCount %d and maxCount %d", p.MinCount, p.MaxCount))
			case p.MaxCount > 100:
				probs.add(k+".maxCount", strconv.Itoa(p.MaxCount), "must be at most 100")
			}
		}
		validateZones(&probs, k+".zones", p.Zones)
		intRange(&probs, k+".osDiskSizeGB", p.OSDiskSizeGB, 30, 2048)
		oneOf(&probs, k+".osDiskType", p.OSDiskType, osDiskTypes)
		validateEphemeralOSDisk(&probs, k, p)
	}
	return probs
}

func isBSeries(vmSize string) bool { return strings.HasPrefix(vmSize, "Standard_B") }

func validateZones(probs *Problems, key string, zones []string) {
	seen := map[string]bool{}
	for i, z := range zones {
		k := fmt.Sprintf("%s[%d]", key, i)
		switch {
		case z != "1" && z != "2" && z != "3":
			probs.add(k, z, `must be "1", "2" or "3"`)
		case seen[z]:
			probs.add(k, z, "is listed twice")
		}
		seen[z] = true
	}
}

var (
	mysqlVersions = []string{"8.4", "8.0.21"}
	mysqlTiers    = []string{"Burstable", "GeneralPurpose", "BusinessCritical"}
	mysqlHAModes  = []string{"Disabled", "SameZone", "ZoneRedundant"}
	// mysqlTierSKU is the SKU family each tier takes (Azure refuses the others).
	mysqlTierSKU = map[string]*regexp.Regexp{
		"Burstable":        regexp.MustCompile(`^Standard_B\d+m?s$`),
		"GeneralPurpose":   regexp.MustCompile(`^Standard_D\d+a?ds_v[45]$`),
		"BusinessCritical": regexp.MustCompile(`^Standard_E\d+a?ds_v[45]$`),
	}
)

func validateMySQL(c Config) Problems {
	var probs Problems
	m := c.MySQL
	if m.ServerName != "" && !reMySQLServer.MatchString(m.ServerName) {
		probs.add("mysql.serverName", m.ServerName, "must be 3-63 lowercase letters, digits and '-', not starting or ending with '-'")
	}
	oneOf(&probs, "mysql.version", m.Version, mysqlVersions)
	oneOf(&probs, "mysql.tier", m.Tier, mysqlTiers)
	if re, ok := mysqlTierSKU[m.Tier]; ok && !re.MatchString(m.SKUName) {
		probs.add("mysql.skuName", m.SKUName, fmt.Sprintf("is not a %s SKU (%s)", m.Tier, skuExample(m.Tier)))
	}
	intRange(&probs, "mysql.storageGB", m.StorageGB, 20, 16384)
	intRange(&probs, "mysql.backupRetentionDays", m.BackupRetentionDays, 1, 35)
	oneOf(&probs, "mysql.highAvailability", m.HighAvailability, mysqlHAModes)
	if m.Tier == "Burstable" && m.HighAvailability != "Disabled" && slices.Contains(mysqlHAModes, m.HighAvailability) {
		probs.add("mysql.highAvailability", m.HighAvailability, "Azure offers high availability only on GeneralPurpose and BusinessCritical; use Disabled with Burstable")
	}
	switch {
	case !reMySQLIdent.MatchString(m.AdminLogin) || len(m.AdminLogin) > 32:
		probs.add("mysql.adminLogin", m.AdminLogin, "must be 1-32 letters, digits and '_', starting with a letter or '_'")
	case slices.Contains(reservedMySQLLogins, strings.ToLower(m.AdminLogin)):
		probs.add("mysql.adminLogin", m.AdminLogin, "is reserved by Azure")
	}
	return probs
}

func skuExample(tier string) string {
	switch tier {
	case "Burstable":
		return "e.g. Standard_B1ms, Standard_B2s"
	case "GeneralPurpose":
		return "e.g. Standard_D2ads_v5"
	}
	return "e.g. Standard_E2ads_v5"
}

var dataDiskSKUs = []string{"Standard_LRS", "StandardSSD_LRS", "StandardSSD_ZRS", "Premium_LRS", "Premium_ZRS"}

func validateNFS(c Config) Problems {
	var probs Problems
	n := c.NFS
	if !reVMSize.MatchString(n.VMSize) {
		probs.add("nfs.vmSize", n.VMSize, `must be an Azure VM size such as "Standard_B1ms"`)
	}
	if n.Zone != "" && n.Zone != "1" && n.Zone != "2" && n.Zone != "3" {
		probs.add("nfs.zone", n.Zone, `must be "", "1", "2" or "3"`)
	}
	intRange(&probs, "nfs.dataDiskSizeGB", n.DataDiskSizeGB, 4, 32767)
	oneOf(&probs, "nfs.dataDiskSku", n.DataDiskSKU, dataDiskSKUs)
	if strings.HasSuffix(n.DataDiskSKU, "_ZRS") && n.Zone != "" {
		probs.add("nfs.dataDiskSku", n.DataDiskSKU, "zone-redundant disks cannot be pinned to nfs.zone; clear one of them")
	}
	intRange(&probs, "nfs.osDiskSizeGB", n.OSDiskSizeGB, 30, 1024)
	switch {
	case !reLinuxUser.MatchString(n.AdminUsername):
		probs.add("nfs.adminUsername", n.AdminUsername, "must be 1-32 lowercase letters, digits, '-' and '_', starting with a letter or '_'")
	case slices.Contains(reservedLinuxUsers, n.AdminUsername):
		probs.add("nfs.adminUsername", n.AdminUsername, "is reserved by Azure or the OS")
	}
	if c.SSHPublicKey == "" {
		probs.add("sshPublicKey", "", `is required: pulumi config set sshPublicKey "$(cat ~/.ssh/id_ed25519.pub)"`)
	} else if msg := checkSSHPublicKey(c.SSHPublicKey); msg != "" {
		probs.add("sshPublicKey", shorten(c.SSHPublicKey), msg)
	}
	return probs
}

// shorten keeps long values readable in messages.
func shorten(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

var registrySKUs = []string{"Basic", "Standard", "Premium"}

func validateRegistry(c Config) Problems {
	var probs Problems
	if c.Registry.Name != "" && !reRegistry.MatchString(c.Registry.Name) {
		probs.add("registry.name", c.Registry.Name, "must be 5-50 letters and digits")
	}
	oneOf(&probs, "registry.sku", c.Registry.SKU, registrySKUs)
	return probs
}

func validateIngress(c Config) Problems {
	var probs Problems
	if !reChartVer.MatchString(c.Ingress.ChartVersion) {
		probs.add("ingress.chartVersion", c.Ingress.ChartVersion, `must be an exact chart version such as "2.6.0"`)
	}
	intRange(&probs, "ingress.replicas", c.Ingress.Replicas, 1, 10)
	return probs
}

// reImageReference is a full image reference: a registry host (with a dot or a port, or
// localhost, as Docker tells a host from a Docker Hub namespace), a lowercase repository path,
// then a tag and/or a sha256 digest (distribution/reference's grammar).
var reImageReference = regexp.MustCompile(`^(?P<host>[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*(:[0-9]{1,5})?)/` +
	`[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*` +
	`(?P<tag>:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?P<digest>@sha256:[a-f0-9]{64})?$`)

// validateImageReference checks wordpress.imageReference, the prebuilt image deployed instead
// of the ACR build.
func validateImageReference(w WordPress) Problems {
	var probs Problems
	const key = "wordpress.imageReference"
	ref := w.ImageReference
	if ref == "" {
		return nil
	}
	m := reImageReference.FindStringSubmatch(ref)
	if m == nil {
		probs.add(key, ref, `must be a full image reference with its registry, pinned by digest (preferred) or tag, e.g. "myregistry.azurecr.io/wordpress@sha256:<64 hex>"`)
		return probs
	}
	host := m[reImageReference.SubexpIndex("host")]
	tag := m[reImageReference.SubexpIndex("tag")]
	digest := m[reImageReference.SubexpIndex("digest")]
	switch {
	case !strings.ContainsAny(host, ".:") && host != "localhost":
		probs.add(key, ref, fmt.Sprintf(`must start with the registry host (%q reads as a Docker Hub namespace), e.g. "docker.io/library/wordpress@sha256:<64 hex>"`, host))
	case tag == "" && digest == "":
		probs.add(key, ref, "must be pinned by digest (@sha256:<64 hex>) or tag; without either the nodes pull latest")
	case tag == ":latest" && digest == "":
		probs.add(key, ref, "must be pinned; latest moves under running pods")
	}
	if w.Image != "" {
		probs.add(key, ref, "must not be set together with wordpress.image (that one names an image in the stack's registry); keep one")
	}
	return probs
}

func validateWordPress(c Config) Problems {
	var probs Problems
	w := c.WordPress
	if w.Image != "" {
		switch {
		case !reImageRef.MatchString(w.Image):
			probs.add("wordpress.image", w.Image, `must be a repository in our registry pinned by tag or digest, e.g. "wordpress@sha256:<64 hex>" or "wordpress:6.8-1"`)
		case strings.HasSuffix(w.Image, ":latest"):
			probs.add("wordpress.image", w.Image, "must be pinned; latest moves under running pods")
		}
	}
	probs = append(probs, validateImageReference(w)...)
	if !reQuantity.MatchString(w.Memory) || !strings.HasSuffix(w.Memory, "i") {
		probs.add("wordpress.memory", w.Memory, `must be a binary quantity such as "500Mi" or "1Gi"`)
	} else if mib := quantityMiB(w.Memory); mib < 256 {
		probs.add("wordpress.memory", w.Memory, "must be at least 256Mi (PHP's memory_limit plus Apache)")
	}
	if !reQuantity.MatchString(w.CPURequest) {
		probs.add("wordpress.cpuRequest", w.CPURequest, `must be a CPU quantity such as "100m" or "0.5"`)
	}
	if w.CodeSyncSeconds < MinCodeSyncSeconds || w.CodeSyncSeconds > MaxCodeSyncSeconds {
		probs.add("wordpress.codeSyncSeconds", strconv.Itoa(w.CodeSyncSeconds), fmt.Sprintf(
			"must be %d to %d: user pods read the code marker this often, and a change made in wp-admin must reach them within a minute",
			MinCodeSyncSeconds, MaxCodeSyncSeconds))
	}
	return probs
}

// quantityMiB converts a Ki/Mi/Gi quantity to MiB.
func quantityMiB(q string) float64 {
	units := map[string]float64{"Ki": 1.0 / 1024, "Mi": 1, "Gi": 1024}
	for suffix, mul := range units {
		if num, ok := strings.CutSuffix(q, suffix); ok {
			f, err := strconv.ParseFloat(num, 64)
			if err != nil {
				return 0
			}
			return f * mul
		}
	}
	return 0
}

var smtpSecure = []string{"tls", "ssl", "none"}

func validateSMTP(c Config) Problems {
	var probs Problems
	s := c.SMTP
	if s.Host == "" {
		if s.User != "" || s.From != "" || c.SMTPPassword.Set() {
			probs.add("smtp.host", "", "is required when smtp.user, smtp.from or smtpPassword is set")
		}
		return probs
	}
	if !isDNSName(s.Host) {
		probs.add("smtp.host", s.Host, "must be a lowercase DNS name")
	}
	intRange(&probs, "smtp.port", s.Port, 1, 65535)
	oneOf(&probs, "smtp.secure", s.Secure, smtpSecure)
	if s.From == "" || !reEmail.MatchString(s.From) {
		probs.add("smtp.from", s.From, "must be the sender's mail address")
	}
	if s.User != "" && !c.SMTPPassword.Set() {
		probs.add("smtpPassword", "", "is required when smtp.user is set: pulumi config set --secret smtpPassword ...")
	}
	if s.Secure == "none" && s.User != "" {
		probs.add("smtp.secure", s.Secure, "would send the SMTP password in clear text; use tls or ssl")
	}
	return probs
}

// isDNSName reports whether s is a lowercase, fully qualified DNS name of two or more labels.
func isDNSName(s string) bool {
	if len(s) > 253 {
		return false
	}
	labels := strings.Split(s, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if !reDNSLabel.MatchString(l) {
			return false
		}
	}
	// A numeric top-level label would make an IPv4 address a "host name".
	return strings.Trim(labels[len(labels)-1], "0123456789") != ""
}

func validateSites(c Config) Problems {
	var probs Problems
	if len(c.Sites) == 0 {
		probs.add("sites", "", "must list at least one site (name, hosts, database)")
	}
	names, hosts, dbs := map[string]string{}, map[string]string{}, map[string]string{}
	for i, s := range c.Sites {
		k := fmt.Sprintf("sites[%d]", i)
		switch {
		case !reSiteName.MatchString(s.Name):
			probs.add(k+".name", s.Name, "must be 2-20 lowercase letters, digits and '-', starting with a letter and not ending with '-'")
		case names[s.Name] != "":
			probs.add(k+".name", s.Name, "is also the name of "+names[s.Name])
		default:
			names[s.Name] = k
		}
		if len(s.Hosts) == 0 {
			probs.add(k+".hosts", "", "must list at least one host name")
		}
		for j, h := range s.Hosts {
			hk := fmt.Sprintf("%s.hosts[%d]", k, j)
			wildcard, isWildcard := wildcardHostProblem(c, h)
			switch {
			case isWildcard:
				probs.add(hk, h, wildcard)
			case !isDNSName(h):
				probs.add(hk, h, "must be a lowercase DNS name such as blog.example.com")
			case hosts[h] != "":
				probs.add(hk, h, "is also a host of "+hosts[h])
			default:
				hosts[h] = k
			}
		}
		switch {
		case !reMySQLIdent.MatchString(s.Database) || len(s.Database) > 64:
			probs.add(k+".database", s.Database, "must be 1-64 letters, digits and '_', starting with a letter or '_'")
		case slices.Contains([]string{"mysql", "sys", "information_schema", "performance_schema"}, strings.ToLower(s.Database)):
			probs.add(k+".database", s.Database, "is a MySQL system database")
		case dbs[strings.ToLower(s.Database)] != "":
			probs.add(k+".database", s.Database, "is also the database of "+dbs[strings.ToLower(s.Database)])
		default:
			dbs[strings.ToLower(s.Database)] = k
		}
		if s.UserReplicas < 1 {
			probs.add(k+".userReplicas", strconv.Itoa(s.UserReplicas), "must be at least 1")
		}
		if s.AdminReplicas < 1 {
			probs.add(k+".adminReplicas", strconv.Itoa(s.AdminReplicas), "must be at least 1")
		}
	}
	return probs
}

// Backup methods (backup.method).
const (
	BackupSnapshots = "snapshots"
	BackupVM        = "vm"
)

// MaxIncrementalSnapshots is how many incremental snapshots Azure keeps of one disk at a time
// (learn.microsoft.com/azure/virtual-machines/disks-incremental-snapshots, "Restrictions").
const MaxIncrementalSnapshots = 500

var (
	backupMethods = []string{BackupSnapshots, BackupVM}
	// backupRedundancy is what each method can store its copies on: snapshots stay in the
	// region (LRS or ZRS snapshot storage); a Recovery Services vault can copy to the paired
	// region.
	backupRedundancy = map[string][]string{
		BackupSnapshots: {"LocallyRedundant", "ZoneRedundant"},
		BackupVM:        {"LocallyRedundant", "GeoRedundant"},
	}
)

func validateBackup(c Config) Problems {
	var probs Problems
	b := c.Backup
	if !b.Enabled {
		return probs
	}
	oneOf(&probs, "backup.method", b.Method, backupMethods)
	intRange(&probs, "backup.dailyRetentionDays", b.DailyRetentionDays, 7, 9999)
	intRange(&probs, "backup.weeklyRetentionWeeks", b.WeeklyRetentionWeeks, 0, 5163)
	if !reBackupTime.MatchString(b.TimeUTC) {
		probs.add("backup.timeUTC", b.TimeUTC, `must be "HH:00" or "HH:30" (the backup runs on the hour or the half hour)`)
	}
	allowed, ok := backupRedundancy[b.Method]
	if !ok {
		return probs
	}
	if b.Method == BackupSnapshots && b.StorageRedundancy == "GeoRedundant" {
		probs.add("backup.storageRedundancy", b.StorageRedundancy,
			"snapshots stay in the stack's region: use LocallyRedundant or ZoneRedundant, or method vm for a copy in the paired region")
	} else {
		oneOf(&probs, "backup.storageRedundancy", b.StorageRedundancy, allowed)
	}
	if b.Method == BackupSnapshots && b.DailyRetentionDays+b.WeeklyRetentionWeeks > MaxIncrementalSnapshots {
		probs.add("backup.dailyRetentionDays", strconv.Itoa(b.DailyRetentionDays),
			fmt.Sprintf("with weeklyRetentionWeeks %d keeps %d snapshots; Azure keeps at most %d incremental snapshots of a disk",
				b.WeeklyRetentionWeeks, b.DailyRetentionDays+b.WeeklyRetentionWeeks, MaxIncrementalSnapshots))
	}
	return probs
}

func validateAlerts(c Config) Problems {
	var probs Problems
	a := c.Alerts
	seen := map[string]bool{}
	for i, e := range a.Emails {
		k := fmt.Sprintf("alerts.emails[%d]", i)
		switch {
		case !reEmail.MatchString(e):
			probs.add(k, e, "must be a mail address")
		case seen[strings.ToLower(e)]:
			probs.add(k, e, "is listed twice")
		}
		seen[strings.ToLower(e)] = true
	}
	for _, p := range []struct {
		key string
		v   int
	}{
		{"alerts.nodeCpuPercent", a.NodeCPUPercent},
		{"alerts.nodeMemoryPercent", a.NodeMemoryPercent},
		{"alerts.mysqlCpuPercent", a.MySQLCPUPercent},
		{"alerts.mysqlStoragePercent", a.MySQLStoragePercent},
		{"alerts.mysqlConnectionsPercent", a.MySQLConnectionsPercent},
		{"alerts.nfsDiskUsedPercent", a.NFSDiskUsedPercent},
	} {
		intRange(&probs, p.key, p.v, 1, 100)
	}
	intRange(&probs, "alerts.podRestarts", a.PodRestarts, 1, 1000)
	return probs
}

var currencies = []string{"JPY", "USD"}

func validateCost(c Config) Problems {
	var probs Problems
	k := c.Cost
	if k.MonthlyBudget < 0 {
		probs.add("cost.monthlyBudget", strconv.FormatFloat(k.MonthlyBudget, 'f', -1, 64), "must be 0 (no budget) or positive")
	}
	if k.MonthlyBudget > 0 && len(c.Alerts.Emails) == 0 {
		probs.add("cost.monthlyBudget", strconv.FormatFloat(k.MonthlyBudget, 'f', -1, 64), "needs alerts.emails to send its notices to")
	}
	oneOf(&probs, "cost.currency", k.Currency, currencies)
	if k.MonthlyCeilingUSD < 0 {
		probs.add("cost.monthlyCeilingUSD", strconv.FormatFloat(k.MonthlyCeilingUSD, 'f', -1, 64), "must be 0 (no ceiling) or positive")
	}
	return probs
}
