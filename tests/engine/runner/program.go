package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/example/wordpress-aks/config"
	"github.com/example/wordpress-aks/infra"
	"github.com/example/wordpress-aks/k8s"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// standInType is the component the program registers in place of each Azure resource the
// Kubernetes layer depends on: the azure-native provider cannot run here, and a component
// gives the engine the same dependency edges without a provider.
const standInType = "wordpress-aks:engine-test:AzureStandIn"

// azureValues are the plain values the Kubernetes layer reads from the Azure layer. The
// scenarios change some of them between updates, as a change in Azure would.
type azureValues struct {
	kubeconfig    string
	nfsServerIP   string
	nfsExportPath string
	image         string
	mysqlHost     string
	mysqlAdmin    string // the admin password: a secret of the test's own
}

// siteSecretValues are one site's generated secrets, made by the test instead of pulumi-random
// (its provider is not on the module proxy), so the state can be searched for them.
type siteSecretValues struct {
	db   string
	keys map[string]string
}

// standIn is the component registered for an Azure resource.
type standIn struct{ pulumi.ResourceState }

// program is the inline Pulumi program of one scenario: the project's own Kubernetes layer
// (k8s.New with its Site components), over stand-ins for the Azure layer and the test's
// secrets. cfg is read through config.Load like the real program's, so validation runs too.
func program(cfg config.Config, az azureValues, secrets map[string]siteSecretValues, charts standInCharts) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		if err := ctx.RegisterResourceTransform(testOnly(charts)); err != nil {
			return fmt.Errorf("register transform: %w", err)
		}
		azure, err := standIns(ctx, cfg, az)
		if err != nil {
			return err
		}
		handed := map[string]k8s.SiteSecrets{}
		for site, v := range secrets {
			s := k8s.SiteSecrets{DBPassword: secret(v.db), AuthKeys: map[string]pulumi.StringOutput{}}
			for k, kv := range v.keys {
				s.AuthKeys[k] = secret(kv)
			}
			handed[site] = s
		}
		_, err = k8s.New(ctx, cfg, azure, handed)
		return err
	}
}

func secret(v string) pulumi.StringOutput {
	return pulumi.ToSecret(pulumi.String(v)).(pulumi.StringOutput)
}

// standIns builds infra.Outputs from plain values, with a stand-in component wherever the
// layer takes an Azure resource for a dependency edge.
func standIns(ctx *pulumi.Context, cfg config.Config, az azureValues) (*infra.Outputs, error) {
	mk := func(name string) (pulumi.Resource, error) {
		r := &standIn{}
		if err := ctx.RegisterComponentResource(standInType, name, r); err != nil {
			return nil, fmt.Errorf("register stand-in %s: %w", name, err)
		}
		return r, nil
	}
	names := []string{"cluster", "pool-user", "pool-admin", "ingress-ip", "ingress-ip-role", "nfs-vm", "acr-pull", "image-build"}
	res := map[string]pulumi.Resource{}
	for _, n := range names {
		r, err := mk(n)
		if err != nil {
			return nil, err
		}
		res[n] = r
	}
	dbs := map[string]pulumi.Resource{}
	urls := map[string]string{}
	for _, s := range cfg.Sites {
		r, err := mk("database-" + s.Name)
		if err != nil {
			return nil, err
		}
		dbs[s.Name] = r
		urls[s.Name] = infra.SiteURL(s)
	}
	return &infra.Outputs{
		Kubeconfig: secret(az.kubeconfig),
		Cluster:    res["cluster"],
		NodePools:  map[string]pulumi.Resource{"user": res["pool-user"], "admin": res["pool-admin"]},
		IngressIP: &infra.IngressIP{
			Address:       pulumi.String("192.0.2.10").ToStringOutput(),
			Name:          cfg.Names().IngressIP(),
			ResourceGroup: pulumi.String("rg-engine-test").ToStringOutput(),
			ID:            pulumi.ID("/subscriptions/0/resourceGroups/rg-engine-test/providers/Microsoft.Network/publicIPAddresses/" + cfg.Names().IngressIP()).ToIDOutput(),
			Resource:      res["ingress-ip"],
		},
		IngressIPRole: res["ingress-ip-role"],
		MySQL: &infra.MySQL{
			Host:          pulumi.String(az.mysqlHost).ToStringOutput(),
			AdminLogin:    "wpadmin",
			AdminPassword: secret(az.mysqlAdmin),
			ServerID:      pulumi.ID("/subscriptions/0/mysql").ToIDOutput(),
			ServerName:    pulumi.String("mysql-engine-test").ToStringOutput(),
			Databases:     dbs,
		},
		NFS: &infra.NFS{
			ServerIP:   az.nfsServerIP,
			ExportPath: az.nfsExportPath,
			VMID:       pulumi.ID("/subscriptions/0/nfs").ToIDOutput(),
			VMName:     "vm-nfs-engine-test",
			DataDiskID: pulumi.ID("/subscriptions/0/nfs-disk").ToIDOutput(),
			VM:         res["nfs-vm"],
		},
		RegistryLoginServer: pulumi.String("crenginetest.azurecr.io").ToStringOutput(),
		Image:               &infra.Image{Ref: pulumi.String(az.image).ToStringOutput(), Build: res["image-build"]},
		AcrPull:             res["acr-pull"],
		SiteURLs:            urls,
	}, nil
}

// standInCharts are the local charts the Releases install instead of the ones they name.
type standInCharts struct {
	// ingress stands in for F5's nginx-ingress: the Service and IngressClass.
	ingress string
	// certManager stands in for jetstack's cert-manager: its CRDs only, taken from
	// cert-manager's Go module by run.sh.
	certManager string
}

// testOnly is the transform the engine tier adds, and only it: the program itself never
// skips awaiting. Without a kubelet no pod becomes ready, so every Kubernetes object gets
// pulumi.com/skipAwait; each Helm Release is pointed at its local stand-in chart (the charts
// cannot be pulled here) with atomic off, since Helm waits for readiness on atomic installs
// whatever skipAwait says.
func testOnly(charts standInCharts) pulumi.ResourceTransform {
	return func(_ context.Context, a *pulumi.ResourceTransformArgs) *pulumi.ResourceTransformResult {
		if !a.Custom || !strings.HasPrefix(a.Type, "kubernetes:") {
			return nil
		}
		props := pulumi.Map{}
		for k, v := range a.Props {
			props[k] = v
		}
		if a.Type == "kubernetes:helm.sh/v3:Release" {
			chart := charts.ingress
			if c, ok := props["chart"].(pulumi.String); ok && strings.Contains(string(c), "cert-manager") {
				chart = charts.certManager
			}
			props["chart"] = pulumi.String(chart)
			delete(props, "version")
			delete(props, "repositoryOpts")
			props["atomic"] = pulumi.Bool(false)
			props["skipAwait"] = pulumi.Bool(true)
			return &pulumi.ResourceTransformResult{Props: props, Opts: a.Opts}
		}
		meta, _ := props["metadata"].(pulumi.Map)
		m := pulumi.Map{}
		for k, v := range meta {
			m[k] = v
		}
		ann := pulumi.Map{}
		switch old := m["annotations"].(type) {
		case pulumi.Map:
			for k, v := range old {
				ann[k] = v
			}
		case pulumi.StringMap:
			for k, v := range old {
				ann[k] = v
			}
		}
		ann["pulumi.com/skipAwait"] = pulumi.String("true")
		m["annotations"] = ann
		props["metadata"] = m
		return &pulumi.ResourceTransformResult{Props: props, Opts: a.Opts}
	}
}
