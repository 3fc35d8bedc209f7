// Package program is the Pulumi program: it reads the stack config, builds the Azure layer, then
// the Kubernetes layer on top of it, and exports the stack outputs. It lives in a package rather
// than in main.go because cmd/plan and the tests run the very same function under Pulumi's
// mock monitor, and Go cannot import a main package.
package program

import (
	"fmt"

	"github.com/example/wordpress-aks/config"
	"github.com/example/wordpress-aks/infra"
	"github.com/example/wordpress-aks/k8s"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Run is the whole program.
func Run(ctx *pulumi.Context) error {
	src, err := config.SourceFromEnv()
	if err != nil {
		return err
	}
	// Validation runs before the first resource is registered: a bad config touches nothing.
	cfg, err := config.Load(ctx.Project(), ctx.Stack(), src)
	if err != nil {
		return err
	}
	azure, err := infra.New(ctx, cfg)
	if err != nil {
		return fmt.Errorf("azure layer: %w", err)
	}
	secrets, err := newSiteSecrets(ctx, cfg)
	if err != nil {
		return fmt.Errorf("site secrets: %w", err)
	}
	if _, err := k8s.New(ctx, cfg, azure, secrets); err != nil {
		return fmt.Errorf("kubernetes layer: %w", err)
	}

	ctx.Export("kubeconfig", azure.Kubeconfig)
	ctx.Export("ingressIp", azure.IngressIP.Address)
	ctx.Export("mysqlHost", azure.MySQL.Host)
	ctx.Export("nfsServerIp", pulumi.String(azure.NFS.ServerIP))
	ctx.Export("registryLoginServer", azure.RegistryLoginServer)
	ctx.Export("wordpressImage", azure.Image.Ref)
	urls := pulumi.StringMap{}
	for site, url := range azure.SiteURLs {
		urls[site] = pulumi.String(url)
	}
	ctx.Export("siteUrls", urls)
	return nil
}
