// Package k8s builds everything that runs inside the cluster, through a Kubernetes provider made
// from the AKS kubeconfig: the NGINX Ingress Controller and, per site, a Site component with
// its namespace, secrets, wp-content volume, user and admin Deployments, Services, Ingress,
// disruption budgets, network policies, cron and database user. One file per concern.
package k8s

import (
	"github.com/example/wordpress-aks/config"
	"github.com/example/wordpress-aks/infra"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Outputs is what the Kubernetes layer exports.
type Outputs struct {
	// IngressClass is the class the sites' Ingresses use.
	IngressClass string
}

// New creates the Kubernetes layer on top of the Azure layer's outputs.
func New(ctx *pulumi.Context, cfg config.Config, azure *infra.Outputs) (*Outputs, error) {
	provider, err := NewProvider(ctx, azure)
	if err != nil {
		return nil, err
	}
	controller, err := NewIngressController(ctx, cfg, azure, provider)
	if err != nil {
		return nil, err
	}
	system, err := NewSystem(ctx, cfg, azure, provider)
	if err != nil {
		return nil, err
	}
	for _, site := range cfg.Sites {
		_, err := NewSite(ctx, site.Name, &SiteArgs{
			Config:     cfg,
			Site:       site,
			Azure:      azure,
			Provider:   provider,
			Controller: controller,
			System:     system,
		})
		if err != nil {
			return nil, err
		}
	}
	return &Outputs{IngressClass: ingressClassName}, nil
}
