package infra

import (
	"fmt"

	"github.com/example/wordpress-aks/config"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Identity is the AKS control plane's managed identity. It is user-assigned so that its roles
// (joining the node subnet, binding the ingress IP) exist before the cluster does.
type Identity struct {
	ID          pulumi.IDOutput
	PrincipalID pulumi.StringOutput
	Resource    pulumi.Resource
}

// NewClusterIdentity creates the cluster's user-assigned identity.
func NewClusterIdentity(ctx *pulumi.Context, cfg config.Config, rg *ResourceGroup) (*Identity, error) {
	var id userAssignedIdentity
	err := ctx.RegisterResource(tokenUserAssignedIdentity, "aks-identity", pulumi.Map{
		"resourceGroupName": rg.Name,
		"resourceName":      pulumi.String(cfg.Names().ClusterIdentity()),
		"location":          pulumi.String(cfg.Location),
		"tags":              tags(cfg),
	}, &id, armOpts()...)
	if err != nil {
		return nil, fmt.Errorf("create cluster identity: %w", err)
	}
	return &Identity{ID: id.ID(), PrincipalID: id.PrincipalID, Resource: &id}, nil
}
