package config

// Defaults. A stack file states only what differs; Pulumi.yaml declares the same values (a test
// keeps the two in step).
const (
	DefaultLocation          = "japaneast"
	DefaultNamePrefix        = "wp"
	DefaultKubernetesVersion = "1.35"

	DefaultVNetCIDR        = "10.20.0.0/16"
	DefaultAKSSubnetCIDR   = "10.20.0.0/22"
	DefaultMySQLSubnetCIDR = "10.20.8.0/28"
	DefaultNFSSubnetCIDR   = "10.20.9.0/28"
	DefaultPodCIDR         = "10.244.0.0/16"
	DefaultServiceCIDR     = "10.0.0.0/16"
	DefaultDNSServiceIP    = "10.0.0.10"

	SystemPoolAdmin     = "admin"
	SystemPoolDedicated = "dedicated"

	DefaultSystemPool           = SystemPoolAdmin
	DefaultAKSTier              = "Free"
	DefaultNetworkPolicy        = "cilium"
	DefaultUpgradeChannel       = "patch"
	DefaultNodeOSUpgradeChannel = "NodeImage"
	DefaultMaintenanceDay       = "Sunday"
	DefaultMaintenanceStartHour = 3
	DefaultMaintenanceHours     = 4
	DefaultMaintenanceUTCOffset = "+09:00"

	DefaultUserPoolName   = "user"
	DefaultUserPoolVMSize = "Standard_B2s"
	// DefaultAdminPoolVMSize is compute optimised: wp-admin and plugin updates are PHP-heavy.
	DefaultAdminPoolVMSize  = "Standard_F2s_v2"
	DefaultAdminPoolName    = "admin"
	DefaultSystemPoolName   = "system"
	DefaultSystemPoolVMSize = "Standard_D4s_v5"
	DefaultPoolCount        = 1
	// DefaultOSDiskSizeGB replaces AKS's 128 GB Premium default, which alone costs more per
	// month than the node's share of the MySQL server.
	DefaultOSDiskSizeGB = 30
	DefaultOSDiskType   = "Managed"

	// DefaultMySQLVersion is 8.4 LTS: 8.0 leaves standard support on 2026-12-31 and then bills
	// extended support automatically.
	DefaultMySQLVersion             = "8.4"
	DefaultMySQLSKUName             = "Standard_B1ms"
	DefaultMySQLTier                = "Burstable"
	DefaultMySQLStorageGB           = 20
	DefaultMySQLAutoGrow            = true
	DefaultMySQLBackupRetentionDays = 7
	DefaultMySQLHighAvailability    = "Disabled"
	DefaultMySQLAdminLogin          = "wpadmin"

	DefaultNFSVMSize         = "Standard_B1ms"
	DefaultNFSDataDiskSizeGB = 32
	DefaultNFSDataDiskSKU    = "StandardSSD_LRS"
	DefaultNFSOSDiskSizeGB   = 30
	DefaultNFSAdminUsername  = "wpadmin"

	DefaultRegistrySKU = "Basic"

	// DefaultIngressChartVersion pins F5's nginx-ingress chart (oci://ghcr.io/nginx/charts).
	DefaultIngressChartVersion = "2.6.0"
	DefaultIngressReplicas     = 2

	// DefaultLoginRatePerMinute and DefaultLoginBurst: a burst of 4 lets five login requests
	// from one address through at once (a person: the form and a post or two), the sixth is
	// answered 429; after that one request every 6 s.
	DefaultLoginRatePerMinute  = 10
	DefaultLoginBurst          = 4
	DefaultXMLRPCRatePerMinute = 30
	DefaultXMLRPCBurst         = 10
	// DefaultHSTSMaxAgeSeconds is 0, no HSTS header: browsers remember it for max-age, so it is
	// the user's opt-in once HTTPS works for every host.
	DefaultHSTSMaxAgeSeconds = 0
	DefaultReferrerPolicy    = "strict-origin-when-cross-origin"
	DefaultBlockAuthorScan   = true

	// TLSModeProvided serves tlsCertificate; TLSModeLetsEncrypt has cert-manager obtain and
	// renew a certificate per site. An empty tls.mode means provided when tlsCertificate is
	// set (every stack made before tls.mode existed) and letsencrypt when it is not (a new
	// stack).
	TLSModeProvided    = "provided"
	TLSModeLetsEncrypt = "letsencrypt"
	// DefaultCertManagerChartVersion pins cert-manager's chart (oci://quay.io/jetstack/charts).
	DefaultCertManagerChartVersion = "v1.21.2"

	DefaultWordPressMemory     = "500Mi"
	DefaultWordPressCPURequest = "100m"
	DefaultPageCache           = true
	// DefaultCodeSyncSeconds leaves a copy 50 s to reach every user pod within the minute
	// promised; the copy itself takes a few seconds.
	DefaultCodeSyncSeconds = 10
	// MinCodeSyncSeconds and MaxCodeSyncSeconds bound codeSyncSeconds: under 2 s the reads
	// cost more than they save; over 30 s a change could miss the minute.
	MinCodeSyncSeconds = 2
	MaxCodeSyncSeconds = 30

	DefaultSMTPPort   = 587
	DefaultSMTPSecure = "tls"

	DefaultSiteReplicas = 1

	DefaultBackupEnabled           = true
	DefaultBackupMethod            = BackupSnapshots
	DefaultBackupDailyRetention    = 7
	DefaultBackupWeeklyRetention   = 0
	DefaultBackupTimeUTC           = "18:00"
	DefaultBackupStorageRedundancy = "LocallyRedundant"

	DefaultAlertNodeCPUPercent          = 85
	DefaultAlertNodeMemoryPercent       = 90
	DefaultAlertMySQLCPUPercent         = 85
	DefaultAlertMySQLStoragePercent     = 85
	DefaultAlertMySQLConnectionsPercent = 80
	DefaultAlertNFSDiskUsedPercent      = 85
	DefaultAlertPodRestarts             = 3

	DefaultCostCurrency = "JPY"
)

// Defaults returns a Config holding every default; reading decodes the stack's values over it.
func Defaults() Config {
	return Config{
		Location:           DefaultLocation,
		NamePrefix:         DefaultNamePrefix,
		KubernetesVersion:  DefaultKubernetesVersion,
		Tags:               map[string]string{},
		DeletionProtection: true,
		Network: Network{
			VNetCIDR:        DefaultVNetCIDR,
			AKSSubnetCIDR:   DefaultAKSSubnetCIDR,
			MySQLSubnetCIDR: DefaultMySQLSubnetCIDR,
			NFSSubnetCIDR:   DefaultNFSSubnetCIDR,
			PodCIDR:         DefaultPodCIDR,
			ServiceCIDR:     DefaultServiceCIDR,
			DNSServiceIP:    DefaultDNSServiceIP,
		},
		AKS: AKS{
			SystemPool:           DefaultSystemPool,
			Tier:                 DefaultAKSTier,
			NetworkPolicy:        DefaultNetworkPolicy,
			UpgradeChannel:       DefaultUpgradeChannel,
			NodeOSUpgradeChannel: DefaultNodeOSUpgradeChannel,
			MaintenanceWindow: MaintenanceWindow{
				DayOfWeek:     DefaultMaintenanceDay,
				StartHour:     DefaultMaintenanceStartHour,
				DurationHours: DefaultMaintenanceHours,
				UTCOffset:     DefaultMaintenanceUTCOffset,
			},
		},
		NodePools: NodePools{
			User:   defaultPool(DefaultUserPoolName, DefaultUserPoolVMSize),
			Admin:  defaultPool(DefaultAdminPoolName, DefaultAdminPoolVMSize),
			System: defaultPool(DefaultSystemPoolName, DefaultSystemPoolVMSize),
		},
		MySQL: MySQL{
			Version:             DefaultMySQLVersion,
			SKUName:             DefaultMySQLSKUName,
			Tier:                DefaultMySQLTier,
			StorageGB:           DefaultMySQLStorageGB,
			AutoGrow:            DefaultMySQLAutoGrow,
			BackupRetentionDays: DefaultMySQLBackupRetentionDays,
			HighAvailability:    DefaultMySQLHighAvailability,
			AdminLogin:          DefaultMySQLAdminLogin,
		},
		NFS: NFS{
			VMSize:         DefaultNFSVMSize,
			DataDiskSizeGB: DefaultNFSDataDiskSizeGB,
			DataDiskSKU:    DefaultNFSDataDiskSKU,
			OSDiskSizeGB:   DefaultNFSOSDiskSizeGB,
			AdminUsername:  DefaultNFSAdminUsername,
		},
		Registry: Registry{SKU: DefaultRegistrySKU},
		Ingress: Ingress{
			ChartVersion: DefaultIngressChartVersion,
			Replicas:     DefaultIngressReplicas,
		},
		Edge: Edge{
			LoginRatePerMinute:  DefaultLoginRatePerMinute,
			LoginBurst:          DefaultLoginBurst,
			XMLRPCRatePerMinute: DefaultXMLRPCRatePerMinute,
			XMLRPCBurst:         DefaultXMLRPCBurst,
			HSTSMaxAgeSeconds:   DefaultHSTSMaxAgeSeconds,
			ReferrerPolicy:      DefaultReferrerPolicy,
			BlockAuthorScan:     DefaultBlockAuthorScan,
		},
		TLS: TLS{CertManagerChartVersion: DefaultCertManagerChartVersion},
		WordPress: WordPress{
			Memory:          DefaultWordPressMemory,
			CPURequest:      DefaultWordPressCPURequest,
			PageCache:       DefaultPageCache,
			CodeSyncSeconds: DefaultCodeSyncSeconds,
		},
		SMTP: SMTP{Port: DefaultSMTPPort, Secure: DefaultSMTPSecure},
		Backup: Backup{
			Enabled:              DefaultBackupEnabled,
			Method:               DefaultBackupMethod,
			DailyRetentionDays:   DefaultBackupDailyRetention,
			WeeklyRetentionWeeks: DefaultBackupWeeklyRetention,
			TimeUTC:              DefaultBackupTimeUTC,
			StorageRedundancy:    DefaultBackupStorageRedundancy,
		},
		Alerts: Alerts{
			NodeCPUPercent:          DefaultAlertNodeCPUPercent,
			NodeMemoryPercent:       DefaultAlertNodeMemoryPercent,
			MySQLCPUPercent:         DefaultAlertMySQLCPUPercent,
			MySQLStoragePercent:     DefaultAlertMySQLStoragePercent,
			MySQLConnectionsPercent: DefaultAlertMySQLConnectionsPercent,
			NFSDiskUsedPercent:      DefaultAlertNFSDiskUsedPercent,
			PodRestarts:             DefaultAlertPodRestarts,
			LogAlertEveryMinutes:    DefaultLogAlertEveryMinutes,
			Availability: Availability{
				Locations:        DefaultAvailabilityLocations(),
				FrequencySeconds: DefaultAvailabilityFrequency,
				FailedLocations:  DefaultAvailabilityFailed,
			},
		},
		Schedule: Schedule{
			TimeZone:  DefaultScheduleTimeZone,
			Days:      DefaultScheduleDays(),
			StartHour: DefaultScheduleStartHour,
			StopHour:  DefaultScheduleStopHour,
		},
		Logs: Logs{
			DailyCapGB:                DefaultLogsDailyCapGB,
			CollectionIntervalMinutes: DefaultLogsCollectionInterval,
			ContainerLogPlan:          DefaultContainerLogPlan,
		},
		Cost: Cost{Currency: DefaultCostCurrency},
	}
}

func defaultPool(name, vmSize string) NodePool {
	return NodePool{
		Name:         name,
		VMSize:       vmSize,
		Count:        DefaultPoolCount,
		OSDiskSizeGB: DefaultOSDiskSizeGB,
		OSDiskType:   DefaultOSDiskType,
	}
}

// defaultSite is the starting point each sites[i] entry is decoded over.
func defaultSite() Site {
	return Site{UserReplicas: DefaultSiteReplicas, AdminReplicas: DefaultSiteReplicas}
}
