package infra

import (
	"fmt"

	"github.com/example/wordpress-aks/config"
	"github.com/pulumi/pulumi-azure-native-sdk/containerregistry/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Registry is the container registry that holds our WordPress image.
type Registry struct {
	ID          pulumi.IDOutput
	Name        pulumi.StringOutput
	LoginServer pulumi.StringOutput
}

// NewRegistry creates the registry with its admin user off: the nodes pull with their kubelet
// identity (AcrPull) and builds run inside ACR, so no password exists to leak.
func NewRegistry(ctx *pulumi.Context, cfg config.Config, rg *ResourceGroup, suffix pulumi.StringOutput) (*Registry, error) {
	reg, err := containerregistry.NewRegistry(ctx, "registry", &containerregistry.RegistryArgs{
		RegistryName:        uniqueName(cfg.Registry.Name, suffix, cfg.Names().Registry),
		ResourceGroupName:   rg.Name,
		Location:            pulumi.String(cfg.Location),
		Tags:                tags(cfg),
		Sku:                 &containerregistry.SkuArgs{Name: pulumi.String(cfg.Registry.SKU)},
		AdminUserEnabled:    pulumi.Bool(false),
		PublicNetworkAccess: pulumi.String("Enabled"),
	})
	if err != nil {
		return nil, fmt.Errorf("create registry: %w", err)
	}
	return &Registry{ID: reg.ID(), Name: reg.Name, LoginServer: reg.LoginServer}, nil
}
