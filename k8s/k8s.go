// Package k8s builds everything that runs inside the cluster, through a Kubernetes provider made
// from the AKS kubeconfig: the NGINX Ingress Controller and, per site, a Site component with
// its namespace, secrets, wp-content volume, user and admin Deployments, Services, Ingress,
// disruption budgets, network policies, cron and database user. One file per concern.
package k8s

import (
	"fmt"
	"sort"

	"github.com/example/wordpress-aks/config"
	"github.com/example/wordpress-aks/infra"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Outputs is what the Kubernetes layer exports.
type Outputs struct {
	// IngressClass is the class the sites' Ingresses use.
	IngressClass string
}

// New creates the Kubernetes layer on top of the Azure layer's outputs, with each site's
// generated secrets handed in by site name (the layer itself generates none).
func New(ctx *pulumi.Context, cfg config.Config, azure *infra.Outputs, secrets map[string]SiteSecrets) (*Outputs, error) {
	// Every site's secrets are checked before the first resource: a caller's mistake touches
	// nothing.
	if err := checkSecrets(cfg, secrets); err != nil {
		return nil, err
	}
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
			Secrets:    secrets[site.Name],
		})
		if err != nil {
			return nil, err
		}
	}
	return &Outputs{IngressClass: ingressClassName}, nil
}

// checkSecrets refuses secrets for a site the config lacks, a site without secrets, and a
// site's incomplete secrets.
func checkSecrets(cfg config.Config, secrets map[string]SiteSecrets) error {
	known := map[string]bool{}
	for _, site := range cfg.Sites {
		known[site.Name] = true
		s, ok := secrets[site.Name]
		if !ok {
			return fmt.Errorf("site %s: no secrets handed in", site.Name)
		}
		if err := s.check(site.Name); err != nil {
			return err
		}
	}
	var extra []string
	for name := range secrets {
		if !known[name] {
			extra = append(extra, name)
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		return fmt.Errorf("secrets handed in for sites the config lacks: %v", extra)
	}
	return nil
}
