package infra

import (
	"encoding/base64"
	"fmt"

	"github.com/example/wordpress-aks/config"
	containerservice "github.com/pulumi/pulumi-azure-native-sdk/containerservice/v2/v20240801"
	"github.com/pulumi/pulumi-azure-native-sdk/insights/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Cluster is the AKS cluster as later code sees it.
type Cluster struct {
	Name pulumi.StringOutput
	ID   pulumi.IDOutput
	// Kubeconfig is a Pulumi secret.
	Kubeconfig pulumi.StringOutput
	// KubeletObjectID is the nodes' identity, which pulls images.
	KubeletObjectID pulumi.StringOutput
	Resource        pulumi.Resource
	// Pools maps a pool role (user, admin, system) to the resource that creates its nodes: the
	// cluster for the inline System pool, an AgentPool for the others.
	Pools map[string]pulumi.Resource
}

// ClusterArgs is what the cluster is built on.
type ClusterArgs struct {
	ResourceGroup *ResourceGroup
	Network       *Network
	Identity      *Identity
	Workspace     *Workspace
	// NetworkRole is the identity's Network Contributor grant; the cluster waits for it, or its
	// first node join and load balancer update fail on permissions.
	NetworkRole pulumi.Resource
}

// Node labels the workloads select on; exactly these, because the Deployments' affinity and
// the original design's runbooks use them.
const (
	nodeLabelKey = "env"
	// criticalAddonsTaint keeps workloads off a dedicated System pool.
	criticalAddonsTaint = "CriticalAddonsOnly=true:NoSchedule"
	// containerInsightsStream is the stream set Container Insights sends with managed-identity
	// auth (pods, nodes, events, perf, ContainerLogV2), which the pod-restart alert queries.
	containerInsightsStream = "Microsoft-ContainerInsights-Group-Default"
)

// Reserved maintenance configuration names that gate AKS's automatic upgrades.
const (
	maintenanceClusterUpgrades = "aksManagedAutoUpgradeSchedule"
	maintenanceNodeOSUpgrades  = "aksManagedNodeOSUpgradeSchedule"
)

// NewCluster creates the AKS cluster (System pool inline, as AKS requires one at creation), the
// other node pools, the maintenance windows and Container Insights' data collection.
func NewCluster(ctx *pulumi.Context, cfg config.Config, a ClusterArgs) (*Cluster, error) {
	names := cfg.Names()
	pools := cfg.Pools()
	system := pools[0]

	networkPolicy, dataplane := cfg.AKS.NetworkPolicy, "azure"
	if networkPolicy == "cilium" {
		// Cilium policy only runs on the Cilium dataplane.
		dataplane = "cilium"
	}
	cluster, err := containerservice.NewManagedCluster(ctx, "aks", &containerservice.ManagedClusterArgs{
		ResourceName:      pulumi.String(names.Cluster()),
		ResourceGroupName: a.ResourceGroup.Name,
		Location:          pulumi.String(cfg.Location),
		Tags:              tags(cfg),
		DnsPrefix:         pulumi.String(names.DNSPrefix()),
		NodeResourceGroup: pulumi.String(names.NodeResourceGroup()),
		KubernetesVersion: pulumi.String(cfg.KubernetesVersion),
		EnableRBAC:        pulumi.Bool(true),
		Sku: &containerservice.ManagedClusterSKUArgs{
			Name: pulumi.String("Base"),
			Tier: pulumi.String(cfg.AKS.Tier),
		},
		Identity: &containerservice.ManagedClusterIdentityArgs{
			Type:                   containerservice.ResourceIdentityTypeUserAssigned,
			UserAssignedIdentities: pulumi.StringArray{a.Identity.ID.ToStringOutput()},
		},
		AgentPoolProfiles: containerservice.ManagedClusterAgentPoolProfileArray{
			poolProfile(cfg, system, a.Network.AKSSubnetID),
		},
		NetworkProfile: &containerservice.ContainerServiceNetworkProfileArgs{
			NetworkPlugin:     pulumi.String("azure"),
			NetworkPluginMode: pulumi.String("overlay"),
			NetworkDataplane:  pulumi.String(dataplane),
			NetworkPolicy:     pulumi.String(networkPolicy),
			PodCidr:           pulumi.String(cfg.Network.PodCIDR),
			ServiceCidr:       pulumi.String(cfg.Network.ServiceCIDR),
			DnsServiceIP:      pulumi.String(cfg.Network.DNSServiceIP),
			LoadBalancerSku:   pulumi.String("standard"),
			OutboundType:      pulumi.String("loadBalancer"),
		},
		AutoUpgradeProfile: &containerservice.ManagedClusterAutoUpgradeProfileArgs{
			UpgradeChannel:       pulumi.String(cfg.AKS.UpgradeChannel),
			NodeOSUpgradeChannel: pulumi.String(cfg.AKS.NodeOSUpgradeChannel),
		},
		AddonProfiles: containerservice.ManagedClusterAddonProfileMap{
			"omsagent": &containerservice.ManagedClusterAddonProfileArgs{
				Enabled: pulumi.Bool(true),
				Config: pulumi.StringMap{
					"logAnalyticsWorkspaceResourceID": a.Workspace.ID.ToStringOutput(),
					"useAADAuth":                      pulumi.String("true"),
				},
			},
		},
	}, pulumi.DependsOn([]pulumi.Resource{a.NetworkRole}))
	if err != nil {
		return nil, fmt.Errorf("create aks cluster: %w", err)
	}

	poolResources := map[string]pulumi.Resource{system.Role: cluster}
	for _, p := range pools[1:] {
		pool, err := newAgentPool(ctx, cfg, p, cluster, a)
		if err != nil {
			return nil, err
		}
		poolResources[p.Role] = pool
	}
	if err := newMaintenanceWindows(ctx, cfg, cluster, a.ResourceGroup); err != nil {
		return nil, err
	}
	if err := newContainerInsights(ctx, cfg, cluster, a); err != nil {
		return nil, err
	}

	creds := containerservice.ListManagedClusterUserCredentialsOutput(ctx, containerservice.ListManagedClusterUserCredentialsOutputArgs{
		ResourceGroupName: a.ResourceGroup.Name,
		ResourceName:      cluster.Name,
	})
	kubeconfig := creds.Kubeconfigs().Index(pulumi.Int(0)).Value().ApplyT(func(b64 string) (string, error) {
		raw, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			return "", fmt.Errorf("decode kubeconfig: %w", err)
		}
		return string(raw), nil
	}).(pulumi.StringOutput)

	kubelet := cluster.IdentityProfile.MapIndex(pulumi.String("kubeletidentity")).ObjectId().Elem()
	return &Cluster{
		Name:            cluster.Name,
		ID:              cluster.ID(),
		Kubeconfig:      pulumi.ToSecret(kubeconfig).(pulumi.StringOutput),
		KubeletObjectID: kubelet,
		Resource:        cluster,
		Pools:           poolResources,
	}, nil
}

// poolProfile derives one pool's settings from its role. The inline System pool uses it as it
// is; the other pools are AgentPool resources built from the same profile.
func poolProfile(cfg config.Config, pr config.PoolRole, subnetID pulumi.StringOutput) *containerservice.ManagedClusterAgentPoolProfileArgs {
	p := pr.Pool()
	mode := "User"
	if pr.System {
		mode = "System"
	}
	var taints pulumi.StringArray
	if pr.Role == "system" {
		taints = pulumi.StringArray{pulumi.String(criticalAddonsTaint)}
	}
	var zones pulumi.StringArray
	for _, z := range p.Zones {
		zones = append(zones, pulumi.String(z))
	}
	profile := &containerservice.ManagedClusterAgentPoolProfileArgs{
		Name:                pulumi.String(p.Name),
		Mode:                pulumi.String(mode),
		VmSize:              pulumi.String(p.VMSize),
		Count:               pulumi.Int(p.Count),
		EnableAutoScaling:   pulumi.Bool(false),
		AvailabilityZones:   zones,
		NodeLabels:          pulumi.StringMap{nodeLabelKey: pulumi.String(pr.Role)},
		NodeTaints:          taints,
		OsType:              pulumi.String("Linux"),
		OsSKU:               pulumi.String("Ubuntu"),
		OsDiskSizeGB:        pulumi.Int(p.OSDiskSizeGB),
		OsDiskType:          pulumi.String(p.OSDiskType),
		Type:                pulumi.String("VirtualMachineScaleSets"),
		VnetSubnetID:        subnetID,
		OrchestratorVersion: pulumi.String(cfg.KubernetesVersion),
		UpgradeSettings:     &containerservice.AgentPoolUpgradeSettingsArgs{MaxSurge: pulumi.String("1")},
		Tags:                tags(cfg, "pool", pr.Role),
	}
	if p.MinCount > 0 {
		profile.EnableAutoScaling = pulumi.Bool(true)
		profile.MinCount = pulumi.IntPtr(p.MinCount)
		profile.MaxCount = pulumi.IntPtr(p.MaxCount)
	}
	return profile
}

func newAgentPool(ctx *pulumi.Context, cfg config.Config, pr config.PoolRole, cluster *containerservice.ManagedCluster, a ClusterArgs) (pulumi.Resource, error) {
	p := poolProfile(cfg, pr, a.Network.AKSSubnetID)
	pool, err := containerservice.NewAgentPool(ctx, "pool-"+pr.Role, &containerservice.AgentPoolArgs{
		AgentPoolName:       p.Name,
		ResourceGroupName:   a.ResourceGroup.Name,
		ResourceName:        cluster.Name,
		Mode:                p.Mode,
		VmSize:              p.VmSize,
		Count:               p.Count,
		EnableAutoScaling:   p.EnableAutoScaling,
		MinCount:            p.MinCount,
		MaxCount:            p.MaxCount,
		AvailabilityZones:   p.AvailabilityZones,
		NodeLabels:          p.NodeLabels,
		NodeTaints:          p.NodeTaints,
		OsType:              p.OsType,
		OsSKU:               p.OsSKU,
		OsDiskSizeGB:        p.OsDiskSizeGB,
		OsDiskType:          p.OsDiskType,
		Type:                p.Type,
		VnetSubnetID:        p.VnetSubnetID,
		OrchestratorVersion: p.OrchestratorVersion,
		UpgradeSettings:     p.UpgradeSettings,
		Tags:                p.Tags,
	})
	if err != nil {
		return nil, fmt.Errorf("create %s node pool: %w", pr.Role, err)
	}
	return pool, nil
}

// newMaintenanceWindows confines both upgrade channels to the configured weekly window.
func newMaintenanceWindows(ctx *pulumi.Context, cfg config.Config, cluster *containerservice.ManagedCluster, rg *ResourceGroup) error {
	w := cfg.AKS.MaintenanceWindow
	windows := map[string]string{
		"maintenance-cluster": maintenanceClusterUpgrades,
		"maintenance-node-os": maintenanceNodeOSUpgrades,
	}
	for _, logical := range sortedNames(windows) {
		configName := windows[logical]
		_, err := containerservice.NewMaintenanceConfiguration(ctx, logical, &containerservice.MaintenanceConfigurationArgs{
			ConfigName:        pulumi.String(configName),
			ResourceGroupName: rg.Name,
			ResourceName:      cluster.Name,
			MaintenanceWindow: &containerservice.MaintenanceWindowArgs{
				Schedule: &containerservice.ScheduleArgs{
					Weekly: &containerservice.WeeklyScheduleArgs{
						DayOfWeek:     pulumi.String(w.DayOfWeek),
						IntervalWeeks: pulumi.Int(1),
					},
				},
				DurationHours: pulumi.Int(w.DurationHours),
				StartTime:     pulumi.String(fmt.Sprintf("%02d:00", w.StartHour)),
				UtcOffset:     pulumi.String(w.UTCOffset),
			},
		})
		if err != nil {
			return fmt.Errorf("create %s: %w", logical, err)
		}
	}
	return nil
}

// newContainerInsights sends the monitoring addon's data to the workspace. With managed-identity
// auth (useAADAuth) the addon only ships what a data collection rule associated with the cluster
// asks for; az aks creates that rule itself, an ARM deployment must.
func newContainerInsights(ctx *pulumi.Context, cfg config.Config, cluster *containerservice.ManagedCluster, a ClusterArgs) error {
	const destination = "workspace"
	dcr, err := insights.NewDataCollectionRule(ctx, "container-insights-dcr", &insights.DataCollectionRuleArgs{
		DataCollectionRuleName: pulumi.String("MSCI-" + cfg.Location + "-" + cfg.Names().Cluster()),
		ResourceGroupName:      a.ResourceGroup.Name,
		Location:               pulumi.String(cfg.Location),
		Tags:                   tags(cfg),
		Kind:                   pulumi.String("Linux"),
		DataSources: &insights.DataCollectionRuleDataSourcesArgs{
			Extensions: insights.ExtensionDataSourceArray{&insights.ExtensionDataSourceArgs{
				Name:          pulumi.String("ContainerInsightsExtension"),
				ExtensionName: pulumi.String("ContainerInsights"),
				Streams:       pulumi.StringArray{pulumi.String(containerInsightsStream)},
				// Container Insights' cost-optimised collection: the configured interval
				// (logs.collectionIntervalMinutes) and without kube-system. A few blogs need no
				// finer grain, and ingestion is the part of monitoring that is billed per GB.
				ExtensionSettings: pulumi.Map{
					"dataCollectionSettings": pulumi.Map{
						"interval":               pulumi.String(fmt.Sprintf("%dm", cfg.Logs.CollectionIntervalMinutes)),
						"namespaceFilteringMode": pulumi.String("Exclude"),
						"namespaces":             pulumi.StringArray{pulumi.String("kube-system"), pulumi.String("gatekeeper-system")},
						"enableContainerLogV2":   pulumi.Bool(true),
					},
				},
			}},
		},
		Destinations: &insights.DataCollectionRuleDestinationsArgs{
			LogAnalytics: insights.LogAnalyticsDestinationArray{&insights.LogAnalyticsDestinationArgs{
				Name:                pulumi.String(destination),
				WorkspaceResourceId: a.Workspace.ID.ToStringOutput(),
			}},
		},
		DataFlows: insights.DataFlowArray{&insights.DataFlowArgs{
			Streams:      pulumi.StringArray{pulumi.String(containerInsightsStream)},
			Destinations: pulumi.StringArray{pulumi.String(destination)},
		}},
	})
	if err != nil {
		return fmt.Errorf("create container insights rule: %w", err)
	}
	_, err = insights.NewDataCollectionRuleAssociation(ctx, "container-insights-dcra", &insights.DataCollectionRuleAssociationArgs{
		AssociationName:      pulumi.String("ContainerInsightsExtension"),
		ResourceUri:          cluster.ID().ToStringOutput(),
		DataCollectionRuleId: dcr.ID().ToStringOutput(),
	})
	if err != nil {
		return fmt.Errorf("associate container insights rule: %w", err)
	}
	return nil
}
