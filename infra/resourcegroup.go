package infra

import (
	"fmt"

	"github.com/example/wordpress-aks/config"
	"github.com/pulumi/pulumi-azure-native-sdk/resources/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ResourceGroup is the group that holds every resource of the stack; the budget watches it.
type ResourceGroup struct {
	Name pulumi.StringOutput
	ID   pulumi.IDOutput
}

// NewResourceGroup creates the stack's resource group.
func NewResourceGroup(ctx *pulumi.Context, cfg config.Config) (*ResourceGroup, error) {
	rg, err := resources.NewResourceGroup(ctx, "resource-group", &resources.ResourceGroupArgs{
		ResourceGroupName: pulumi.String(cfg.Names().ResourceGroup()),
		Location:          pulumi.String(cfg.Location),
		Tags:              tags(cfg),
	})
	if err != nil {
		return nil, fmt.Errorf("create resource group: %w", err)
	}
	return &ResourceGroup{Name: rg.Name, ID: rg.ID()}, nil
}
