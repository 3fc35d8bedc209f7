package k8s

import (
	"fmt"

	"github.com/example/wordpress-aks/infra"
	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// NewProvider makes the Kubernetes provider every in-cluster resource uses, from the AKS
// cluster's kubeconfig: never the operator's ~/.kube/config, so `pulumi up` touches this cluster
// and no other.
func NewProvider(ctx *pulumi.Context, azure *infra.Outputs) (*kubernetes.Provider, error) {
	p, err := kubernetes.NewProvider(ctx, "aks-provider", &kubernetes.ProviderArgs{
		Kubeconfig: azure.Kubeconfig,
		// Server-side apply lets the controller and AKS add-ons own their own fields of our
		// objects without Pulumi fighting them.
		EnableServerSideApply: pulumi.Bool(true),
	}, pulumi.DependsOn([]pulumi.Resource{azure.Cluster}))
	if err != nil {
		return nil, fmt.Errorf("create kubernetes provider: %w", err)
	}
	return p, nil
}
