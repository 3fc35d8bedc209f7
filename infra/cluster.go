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
			inlinePool(cfg, system, a.Network.AKSSubnetID),
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

// poolShape is what inline and separate pools share.
type poolShape struct {
	labels      pulumi.StringMap
	taints      pulumi.StringArray
	mode        string
	zones       pulumi.StringArray
	autoscale   bool
	minCount    pulumi.IntPtrInput
	maxCount    pulumi.IntPtrInput
	maxSurge    string
	osSKU       string
	diskSizeGB  int
	diskType    string
	vmSize      string
	count       int
	orchestrate string
}

// shape derives a pool's settings from its role.
func shape(cfg config.Config, pr config.PoolRole) poolShape {
	p := pr.Pool()
	s := poolShape{
		labels:      pulumi.StringMap{nodeLabelKey: pulumi.String(pr.Role)},
		mode:        "User",
		vmSize:      p.VMSize,
		count:       p.Count,
		diskSizeGB:  p.OSDiskSizeGB,
		diskType:    p.OSDiskType,
		osSKU:       "Ubuntu",
		maxSurge:    "1",
		orchestrate: cfg.KubernetesVersion,
	}
	if pr.System {
		s.mode = "System"
	}
	if pr.Role == "system" {
		s.taints = pulumi.StringArray{pulumi.String(criticalAddonsTaint)}
	}
	for _, z := range p.Zones {
		s.zones = append(s.zones, pulumi.String(z))
	}
	if p.MinCount > 0 {
		s.autoscale = true
		s.minCount = pulumi.IntPtr(p.MinCount)
		s.maxCount = pulumi.IntPtr(p.MaxCount)
	}
	return s
}

func inlinePool(cfg config.Config, pr config.PoolRole, subnetID pulumi.StringOutput) *containerservice.ManagedClusterAgentPoolProfileArgs {
	s := shape(cfg, pr)
	return &containerservice.ManagedClusterAgentPoolProfileArgs{
		Name:                pulumi.String(pr.Pool().Name),
		Mode:                pulumi.String(s.mode),
		VmSize:              pulumi.String(s.vmSize),
		Count:               pulumi.Int(s.count),
		EnableAutoScaling:   pulumi.Bool(s.autoscale),
		MinCount:            s.minCount,
		MaxCount:            s.maxCount,
		AvailabilityZones:   s.zones,
		NodeLabels:          s.labels,
		NodeTaints:          s.taints,
		OsType:              pulumi.String("Linux"),
		OsSKU:               pulumi.String(s.osSKU),
		OsDiskSizeGB:        pulumi.Int(s.diskSizeGB),
		OsDiskType:          pulumi.String(s.diskType),
		Type:                pulumi.String("VirtualMachineScaleSets"),
		VnetSubnetID:        subnetID,
		OrchestratorVersion: pulumi.String(s.orchestrate),
		UpgradeSettings:     &containerservice.AgentPoolUpgradeSettingsArgs{MaxSurge: pulumi.String(s.maxSurge)},
		Tags:                tags(cfg, "pool", pr.Role),
	}
}

func newAgentPool(ctx *pulumi.Context, cfg config.Config, pr config.PoolRole, cluster *containerservice.ManagedCluster, a ClusterArgs) (pulumi.Resource, error) {
	s := shape(cfg, pr)
	pool, err := containerservice.NewAgentPool(ctx, "pool-"+pr.Role, &containerservice.AgentPoolArgs{
		AgentPoolName:       pulumi.String(pr.Pool().Name),
		ResourceGroupName:   a.ResourceGroup.Name,
		ResourceName:        cluster.Name,
		Mode:                pulumi.String(s.mode),
		VmSize:              pulumi.String(s.vmSize),
		Count:               pulumi.Int(s.count),
		EnableAutoScaling:   pulumi.Bool(s.autoscale),
		MinCount:            s.minCount,
		MaxCount:            s.maxCount,
		AvailabilityZones:   s.zones,
		NodeLabels:          s.labels,
		NodeTaints:          s.taints,
		OsType:              pulumi.String("Linux"),
		OsSKU:               pulumi.String(s.osSKU),
		OsDiskSizeGB:        pulumi.Int(s.diskSizeGB),
		OsDiskType:          pulumi.String(s.diskType),
		Type:                pulumi.String("VirtualMachineScaleSets"),
		VnetSubnetID:        a.Network.AKSSubnetID,
		OrchestratorVersion: pulumi.String(s.orchestrate),
		UpgradeSettings:     &containerservice.AgentPoolUpgradeSettingsArgs{MaxSurge: pulumi.String(s.maxSurge)},
		Tags:                tags(cfg, "pool", pr.Role),
	})
	if err != nil {
		return nil, fmt.Errorf("create %s node pool: %w", pr.Role, err)
	}
	return pool, nil
}

// newMaintenanceWindows confines both upgrade channels to the configured weekly window.
func newMaintenanceWindows(ctx *pulumi.Context, cfg config.Config, cluster *containerservice.ManagedCluster, rg *ResourceGroup) error {
	w := cfg.AKS.MaintenanceWindow
	for logical, configName := range map[string]string{
		"maintenance-cluster": maintenanceClusterUpgrades,
		"maintenance-node-os": maintenanceNodeOSUpgrades,
	} {
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
				// Every 5 minutes and without kube-system: a few blogs need no finer grain, and
				// ingestion is the part of monitoring that is billed per GB.
				ExtensionSettings: pulumi.Map{
					"dataCollectionSettings": pulumi.Map{
						"interval":               pulumi.String("5m"),
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
