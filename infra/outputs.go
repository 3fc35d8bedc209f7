package infra

import (
	"maps"
	"time"

	"github.com/example/wordpress-aks/config"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Outputs is what the Azure layer hands to the Kubernetes layer and to the stack outputs.
type Outputs struct {
	// Kubeconfig is the cluster's credentials, a Pulumi secret.
	Kubeconfig pulumi.StringOutput
	// Cluster is the AKS cluster resource; the Kubernetes provider depends on it.
	Cluster pulumi.Resource
	// NodePools maps a pool role (user, admin) to the resource that creates its nodes, so that
	// workloads wait for the nodes they select.
	NodePools map[string]pulumi.Resource
	// IngressIP is the static address the ingress controller binds.
	IngressIP *IngressIP
	// IngressIPRole must exist before the ingress controller's Service asks AKS for the IP.
	IngressIPRole pulumi.Resource
	// MySQL is the database server and the sites' databases.
	MySQL *MySQL
	// NFS is the wp-content server.
	NFS *NFS
	// RegistryLoginServer is the registry's host name.
	RegistryLoginServer pulumi.StringOutput
	// Image is the WordPress image to run and the build that produces it.
	Image *Image
	// AcrPull must exist before pods pull the image.
	AcrPull pulumi.Resource
	// SiteURLs maps each site to its canonical https URL.
	SiteURLs map[string]string
}

// New creates every Azure resource of the stack and returns what the Kubernetes layer needs.
func New(ctx *pulumi.Context, cfg config.Config) (*Outputs, error) {
	rg, err := NewResourceGroup(ctx, cfg)
	if err != nil {
		return nil, err
	}
	suffix, err := NewNameSuffix(ctx)
	if err != nil {
		return nil, err
	}
	net, err := NewNetwork(ctx, cfg, rg)
	if err != nil {
		return nil, err
	}
	ws, err := NewWorkspace(ctx, cfg, rg)
	if err != nil {
		return nil, err
	}
	ip, err := NewIngressIP(ctx, cfg, rg)
	if err != nil {
		return nil, err
	}
	identity, err := NewClusterIdentity(ctx, cfg, rg)
	if err != nil {
		return nil, err
	}
	networkRole, err := GrantClusterNetwork(ctx, identity, rg)
	if err != nil {
		return nil, err
	}
	cluster, err := NewCluster(ctx, cfg, ClusterArgs{
		ResourceGroup: rg,
		Network:       net,
		Identity:      identity,
		Workspace:     ws,
		NetworkRole:   networkRole,
	})
	if err != nil {
		return nil, err
	}
	registry, err := NewRegistry(ctx, cfg, rg, suffix)
	if err != nil {
		return nil, err
	}
	acrPull, err := GrantAcrPull(ctx, cluster, registry)
	if err != nil {
		return nil, err
	}
	image, err := NewImage(ctx, cfg, rg, registry, suffix)
	if err != nil {
		return nil, err
	}
	mysql, err := NewMySQL(ctx, cfg, rg, net, suffix)
	if err != nil {
		return nil, err
	}
	nfs, err := NewNFS(ctx, cfg, rg, net)
	if err != nil {
		return nil, err
	}

	// What keeps the data and the money safe.
	locked := map[string]pulumi.IDOutput{"mysql": mysql.ServerID, "wp-content-disk": nfs.DataDiskID}
	if cfg.Backup.Enabled {
		backup, err := NewBackup(ctx, cfg, rg, nfs)
		if err != nil {
			return nil, err
		}
		maps.Copy(locked, backup.Locked)
	}
	if cfg.DeletionProtection {
		if err := NewDeleteLocks(ctx, locked); err != nil {
			return nil, err
		}
	}
	err = NewAlerts(ctx, cfg, AlertTargets{
		ResourceGroup: rg,
		Workspace:     ws,
		ClusterID:     cluster.ID,
		MySQLServerID: mysql.ServerID,
		NFS:           nfs,
	})
	if err != nil {
		return nil, err
	}
	if cfg.Schedule.Enabled {
		err := NewSchedule(ctx, cfg, ScheduleTargets{ResourceGroup: rg, ClusterID: cluster.ID, MySQLServerID: mysql.ServerID, NFS: nfs})
		if err != nil {
			return nil, err
		}
	}
	if cfg.Cost.MonthlyBudget > 0 {
		if err := NewBudget(ctx, cfg, rg, time.Now()); err != nil {
			return nil, err
		}
	}

	urls := map[string]string{}
	for _, s := range cfg.Sites {
		urls[s.Name] = SiteURL(s)
	}
	return &Outputs{
		Kubeconfig:          cluster.Kubeconfig,
		Cluster:             cluster.Resource,
		NodePools:           cluster.Pools,
		IngressIP:           ip,
		IngressIPRole:       networkRole,
		MySQL:               mysql,
		NFS:                 nfs,
		RegistryLoginServer: registry.LoginServer,
		Image:               image,
		AcrPull:             acrPull,
		SiteURLs:            urls,
	}, nil
}

// SiteURL is a site's canonical URL: https on its first host.
func SiteURL(s config.Site) string { return "https://" + s.Hosts[0] + "/" }
