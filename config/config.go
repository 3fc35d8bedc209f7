// Package config owns the stack configuration: its typed shape, its defaults, how it is read from
// the engine and how it is validated before any resource is registered.
package config

// Config is everything one stack (dev, prod, ...) says about the environment. Field comments give
// the allowed values; defaults live in defaults.go.
type Config struct {
	// Project and Stack come from the engine, not from the stack file.
	Project string `json:"-"`
	Stack   string `json:"-"`

	// Location is the Azure region, e.g. "japaneast".
	Location string `json:"location"`
	// NamePrefix starts every Azure resource name: 2-8 lowercase letters and digits, starting
	// with a letter (it also goes into names that only allow alphanumerics, such as the registry).
	NamePrefix string `json:"namePrefix"`
	// KubernetesVersion is the AKS control plane version, "1.35" or "1.35.2".
	KubernetesVersion string `json:"kubernetesVersion"`
	// Tags are added to every Azure resource that takes tags, next to project, stack and site.
	Tags map[string]string `json:"tags"`
	// DeletionProtection protects stateful resources (MySQL server and databases, the wp-content
	// disk, the backup vault) from deletion and replacement, in Pulumi and with Azure delete
	// locks. Turning it off is the explicit opt-in to lose data.
	DeletionProtection bool `json:"deletionProtection"`

	Network   Network   `json:"network"`
	AKS       AKS       `json:"aks"`
	NodePools NodePools `json:"nodePools"`
	MySQL     MySQL     `json:"mysql"`
	NFS       NFS       `json:"nfs"`
	Registry  Registry  `json:"registry"`
	Ingress   Ingress   `json:"ingress"`
	Edge      Edge      `json:"edge"`
	TLS       TLS       `json:"tls"`
	WordPress WordPress `json:"wordpress"`
	SMTP      SMTP      `json:"smtp"`
	Sites     []Site    `json:"sites"`
	Backup    Backup    `json:"backup"`
	Alerts    Alerts    `json:"alerts"`
	Logs      Logs      `json:"logs"`
	Schedule  Schedule  `json:"schedule"`
	Cost      Cost      `json:"cost"`

	// SSHPublicKey is the NFS VM's only login: an OpenSSH public key line (ssh-ed25519, ssh-rsa
	// of at least 3072 bits, or ecdsa-sha2-nistp256/384/521).
	SSHPublicKey string `json:"sshPublicKey"`
	// TLSCertificate is the PEM certificate chain served for every site host (one certificate
	// with all hosts or a wildcard, as the original design used) in tls.mode provided; unused
	// in letsencrypt. Secret.
	TLSCertificate Secret `json:"tlsCertificate" secret:"true"`
	// TLSPrivateKey is the PEM private key of TLSCertificate. Secret.
	TLSPrivateKey Secret `json:"tlsPrivateKey" secret:"true"`
	// SMTPPassword is the password for SMTP.User. Secret; required when smtp.user is set.
	SMTPPassword Secret `json:"smtpPassword" secret:"true"`
}

// Network holds the address plan. With Azure CNI Overlay only nodes take addresses from the AKS
// subnet; pods get theirs from PodCIDR, which must not overlap anything routable.
type Network struct {
	VNetCIDR      string `json:"vnetCidr"`
	AKSSubnetCIDR string `json:"aksSubnetCidr"`
	// MySQLSubnetCIDR is delegated to Microsoft.DBforMySQL/flexibleServers: /29 or larger, and
	// it cannot be changed once the server exists.
	MySQLSubnetCIDR string `json:"mysqlSubnetCidr"`
	NFSSubnetCIDR   string `json:"nfsSubnetCidr"`
	PodCIDR         string `json:"podCidr"`
	ServiceCIDR     string `json:"serviceCidr"`
	// DNSServiceIP is the cluster DNS address, inside ServiceCIDR.
	DNSServiceIP string `json:"dnsServiceIp"`
}

// AKS holds cluster-wide settings.
type AKS struct {
	// SystemPool is "admin" (the admin pool runs in System mode: no extra nodes, and not a
	// B-series pool, which the AKS docs advise against) or "dedicated" (a separate System pool
	// described by nodePools.system, tainted CriticalAddonsOnly).
	SystemPool string `json:"systemPool"`
	// Tier is the AKS pricing tier: "Free" or "Standard" (uptime SLA, ~$73/month).
	Tier string `json:"tier"`
	// NetworkPolicy is the policy engine: "cilium" (Azure CNI powered by Cilium) or "calico".
	NetworkPolicy string `json:"networkPolicy"`
	// UpgradeChannel: patch, stable, rapid, node-image or none.
	UpgradeChannel string `json:"upgradeChannel"`
	// NodeOSUpgradeChannel: NodeImage, SecurityPatch, Unmanaged or None.
	NodeOSUpgradeChannel string            `json:"nodeOsUpgradeChannel"`
	MaintenanceWindow    MaintenanceWindow `json:"maintenanceWindow"`
}

// MaintenanceWindow is the weekly window in which AKS may upgrade the cluster and node images.
type MaintenanceWindow struct {
	// DayOfWeek: Monday ... Sunday.
	DayOfWeek string `json:"dayOfWeek"`
	// StartHour is 0-23 in UTCOffset.
	StartHour int `json:"startHour"`
	// DurationHours is 4-24 (AKS's minimum is 4).
	DurationHours int `json:"durationHours"`
	// UTCOffset is "+09:00" style.
	UTCOffset string `json:"utcOffset"`
}

// NodePools holds the pools by role. System is used only when aks.systemPool is "dedicated".
type NodePools struct {
	User   NodePool `json:"user"`
	Admin  NodePool `json:"admin"`
	System NodePool `json:"system"`
}

// NodePool is one AKS agent pool.
type NodePool struct {
	// Name is the AKS pool name: 1-12 lowercase letters and digits, starting with a letter.
	Name string `json:"name"`
	// VMSize is an Azure VM size such as "Standard_B2s".
	VMSize string `json:"vmSize"`
	// Count is the node count (the initial count when autoscaling), at least 1.
	Count int `json:"count"`
	// MinCount and MaxCount enable the cluster autoscaler when both are set (0 = off).
	MinCount int `json:"minCount"`
	MaxCount int `json:"maxCount"`
	// Zones are availability zones, any of "1", "2", "3"; empty for a regional pool.
	Zones []string `json:"zones"`
	// OSDiskSizeGB is 30-2048. AKS's own default (128 GB Premium) costs ~$23 a node a month.
	OSDiskSizeGB int `json:"osDiskSizeGB"`
	// OSDiskType is "Managed" or "Ephemeral" (free, needs a VM cache or temp disk as large as
	// OSDiskSizeGB).
	OSDiskType string `json:"osDiskType"`
}

// MySQL describes the Azure Database for MySQL Flexible Server.
type MySQL struct {
	// ServerName overrides the generated name: 3-63 lowercase letters, digits and hyphens,
	// globally unique (it becomes <name>.mysql.database.azure.com).
	ServerName string `json:"serverName"`
	// Version is "8.4" (LTS) or "8.0.21" (paid extended support from 2027-01-01).
	Version string `json:"version"`
	// SKUName is e.g. "Standard_B1ms" (Burstable), "Standard_D2ads_v5" (GeneralPurpose).
	SKUName string `json:"skuName"`
	// Tier is Burstable, GeneralPurpose or BusinessCritical, and must match SKUName.
	Tier string `json:"tier"`
	// StorageGB is 20-16384.
	StorageGB int  `json:"storageGB"`
	AutoGrow  bool `json:"autoGrow"`
	// BackupRetentionDays is 1-35.
	BackupRetentionDays int `json:"backupRetentionDays"`
	// GeoRedundantBackup is fixed at creation.
	GeoRedundantBackup bool `json:"geoRedundantBackup"`
	// HighAvailability is Disabled, SameZone or ZoneRedundant (not on Burstable).
	HighAvailability string `json:"highAvailability"`
	// AdminLogin is the server administrator: 1-32 letters, digits and underscores, not a
	// reserved name.
	AdminLogin string `json:"adminLogin"`
}

// NFS describes the small VM that serves wp-content to every pod.
type NFS struct {
	VMSize string `json:"vmSize"`
	// Zone pins the VM and its data disk to an availability zone ("1", "2", "3"), or "".
	Zone string `json:"zone"`
	// DataDiskSizeGB is 4-32767; the disk outlives the VM.
	DataDiskSizeGB int `json:"dataDiskSizeGB"`
	// DataDiskSKU: Standard_LRS, StandardSSD_LRS, StandardSSD_ZRS, Premium_LRS or Premium_ZRS.
	DataDiskSKU string `json:"dataDiskSku"`
	// OSDiskSizeGB is 30-1024.
	OSDiskSizeGB int `json:"osDiskSizeGB"`
	// AdminUsername is the SSH user: 1-32 lowercase letters, digits, '-' and '_', not reserved.
	AdminUsername string `json:"adminUsername"`
}

// Registry describes the Azure Container Registry that holds our WordPress image.
type Registry struct {
	// Name overrides the generated name: 5-50 letters and digits, globally unique.
	Name string `json:"name"`
	// SKU: Basic, Standard or Premium.
	SKU string `json:"sku"`
}

// Ingress describes the NGINX Ingress Controller release.
type Ingress struct {
	// ChartVersion pins the F5 nginx-ingress Helm chart.
	ChartVersion string `json:"chartVersion"`
	// Replicas is the controller replica count, at least 1 (2 keeps it up during node upgrades).
	Replicas int `json:"replicas"`
}

// WordPress holds what every site's pods share.
type WordPress struct {
	// Image pins the image in our registry, "wordpress@sha256:<digest>" or "wordpress:<tag>",
	// and turns off the build from images/wordpress. Empty: the program builds images/wordpress
	// in ACR and pins the content-hash tag.
	Image string `json:"image"`
	// ImageReference deploys a prebuilt image from any registry instead of building one:
	// a full reference with its registry host, pinned by digest
	// ("myregistry.azurecr.io/wordpress@sha256:<64 hex>", preferred) or by a tag other than
	// latest. No ACR build runs (for subscriptions without ACR Tasks, and for images built in
	// CI). The nodes pull with the kubelet identity, which has AcrPull on the stack's registry
	// only: another registry must grant it AcrPull, or allow anonymous pull. Excludes Image.
	ImageReference string `json:"imageReference"`
	// Memory is the request and limit of each WordPress container, e.g. "500Mi".
	Memory string `json:"memory"`
	// CPURequest is each WordPress container's CPU request, e.g. "100m".
	CPURequest string `json:"cpuRequest"`
	// PageCache stores anonymous pages on the share for Apache to serve without PHP
	// (WP_PAGE_CACHE in the image). Off: every view runs PHP, for sites whose pages differ per
	// visitor in ways the cache's rules cannot see.
	PageCache bool `json:"pageCache"`
	// CodeSyncSeconds is how often each user pod reads the code marker on the share
	// (WP_CODE_POLL_SECONDS): a plugin or theme change made in wp-admin reaches the user pods
	// within this plus the copy's time. Each read is one NFS round trip per pod.
	CodeSyncSeconds int `json:"codeSyncSeconds"`
}

// SMTP is how WordPress sends mail. An empty Host keeps WordPress's default (PHP mail()).
type SMTP struct {
	Host string `json:"host"`
	// Port is 1-65535.
	Port int    `json:"port"`
	User string `json:"user"`
	// From is the sender address.
	From     string `json:"from"`
	FromName string `json:"fromName"`
	// Secure is "tls" (STARTTLS), "ssl" or "none".
	Secure string `json:"secure"`
}

// Site is one WordPress blog.
type Site struct {
	// Name is 2-20 lowercase letters, digits and hyphens (a DNS label and a namespace).
	Name string `json:"name"`
	// Hosts are the site's lowercase DNS names; the first one is its canonical URL.
	Hosts []string `json:"hosts"`
	// Database is 1-64 letters, digits and underscores.
	Database string `json:"database"`
	// UserReplicas and AdminReplicas are the Deployment sizes, at least 1.
	UserReplicas  int `json:"userReplicas"`
	AdminReplicas int `json:"adminReplicas"`
	// XMLRPC opens /xmlrpc.php (rate limited), which Jetpack and the WordPress mobile apps
	// need; off, the edge answers it 403.
	XMLRPC bool `json:"xmlrpc"`
	// AdminAllowCIDRs, when not empty, are the only client addresses (IPv4 or IPv6 CIDRs) that
	// reach /wp-admin and /wp-login.php; others get 403. /wp-admin/admin-ajax.php stays open
	// (front-end features call it).
	AdminAllowCIDRs []string `json:"adminAllowCidrs"`
}

// Backup holds how the wp-content disk is backed up and how long the backups are kept.
type Backup struct {
	// Enabled turns the wp-content disk's backup on.
	Enabled bool `json:"enabled"`
	// Method is snapshots (daily incremental snapshots of the wp-content disk, taken and
	// pruned by a Logic App) or vm (Azure VM backup of the NFS VM into a Recovery Services
	// vault).
	Method string `json:"method"`
	// DailyRetentionDays is 7-9999.
	DailyRetentionDays int `json:"dailyRetentionDays"`
	// WeeklyRetentionWeeks is 0 (off) to 5163.
	WeeklyRetentionWeeks int `json:"weeklyRetentionWeeks"`
	// TimeUTC is the daily backup time, "HH:00" or "HH:30" UTC.
	TimeUTC string `json:"timeUTC"`
	// StorageRedundancy is LocallyRedundant or ZoneRedundant for snapshots, LocallyRedundant
	// or GeoRedundant for vm.
	StorageRedundancy string `json:"storageRedundancy"`
}

// Alerts holds who is told about trouble and when.
type Alerts struct {
	// Emails receive every alert and the budget notices.
	Emails []string `json:"emails"`
	// NodeCPUPercent and NodeMemoryPercent are node pool pressure thresholds (1-100).
	NodeCPUPercent    int `json:"nodeCpuPercent"`
	NodeMemoryPercent int `json:"nodeMemoryPercent"`
	// MySQLCPUPercent, MySQLStoragePercent (1-100) and MySQLConnectionsPercent, a share of the
	// SKU's max_connections (1-100).
	MySQLCPUPercent         int `json:"mysqlCpuPercent"`
	MySQLStoragePercent     int `json:"mysqlStoragePercent"`
	MySQLConnectionsPercent int `json:"mysqlConnectionsPercent"`
	// NFSDiskUsedPercent is the wp-content disk fill level that alerts (1-100).
	NFSDiskUsedPercent int `json:"nfsDiskUsedPercent"`
	// PodRestarts is how many container restarts of one pod in 30 minutes alert (1-1000).
	PodRestarts int `json:"podRestarts"`
	// LogAlertEveryMinutes is how often the log search alerts run: 5, 10 or 15.
	LogAlertEveryMinutes int `json:"logAlertEveryMinutes"`
	// Availability is each site's availability test (monitoring.go).
	Availability Availability `json:"availability"`
}

// Cost holds the money guardrails.
type Cost struct {
	// MonthlyBudget is the Azure budget amount in Currency; notices go to alerts.emails.
	MonthlyBudget float64 `json:"monthlyBudget"`
	// Currency is the billing currency of the subscription: JPY or USD.
	Currency string `json:"currency"`
	// MonthlyCeilingUSD refuses a plan whose estimate exceeds it (0 = no ceiling).
	MonthlyCeilingUSD float64 `json:"monthlyCeilingUSD"`
	// Allow lists cost traps this stack accepts on purpose (see guard.go for the names).
	Allow []string `json:"allow"`
}
