package infra

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-azure-native-sdk/authorization/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Built-in Azure role definition ids (learn.microsoft.com, "Azure built-in roles").
const (
	roleNetworkContributor = "4d97b98b-1d4f-4787-a291-c67834d212e7"
	roleAcrPull            = "7f951dda-4ed3-4680-a7ca-43fe172d538d"
)

// roleDefinitionID turns a built-in role id into the full id in the subscription that scope
// (any resource id) lives in.
func roleDefinitionID(scope pulumi.StringInput, role string) pulumi.StringOutput {
	return scope.ToStringOutput().ApplyT(func(s string) (string, error) {
		parts := strings.Split(s, "/")
		if len(parts) < 3 || parts[1] != "subscriptions" {
			return "", fmt.Errorf("scope %q is not a resource id", s)
		}
		return fmt.Sprintf("/subscriptions/%s/providers/Microsoft.Authorization/roleDefinitions/%s", parts[2], role), nil
	}).(pulumi.StringOutput)
}

// grant assigns a built-in role to a service principal (a managed identity) on scope.
func grant(ctx *pulumi.Context, name string, principal pulumi.StringInput, role string, scope pulumi.StringInput, opts ...pulumi.ResourceOption) (*authorization.RoleAssignment, error) {
	ra, err := authorization.NewRoleAssignment(ctx, name, &authorization.RoleAssignmentArgs{
		PrincipalId: principal,
		// ServicePrincipal lets Azure skip the directory lookup that fails for a minute or two
		// after a managed identity is created.
		PrincipalType:    pulumi.String("ServicePrincipal"),
		RoleDefinitionId: roleDefinitionID(scope, role),
		Scope:            scope,
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("assign role %s: %w", name, err)
	}
	return ra, nil
}

// GrantClusterNetwork lets the cluster's identity join nodes to the subnet and bind the static
// ingress IP: AKS's static-IP guide asks for Network Contributor on the IP's resource group,
// which here also holds the VNet.
func GrantClusterNetwork(ctx *pulumi.Context, id *Identity, rg *ResourceGroup) (pulumi.Resource, error) {
	return grant(ctx, "aks-network-contributor", id.PrincipalID, roleNetworkContributor, rg.ID.ToStringOutput())
}

// GrantAcrPull lets the nodes' kubelet identity pull from the registry, and nothing more.
func GrantAcrPull(ctx *pulumi.Context, cluster *Cluster, registry *Registry) (pulumi.Resource, error) {
	return grant(ctx, "kubelet-acr-pull", cluster.KubeletObjectID, roleAcrPull, registry.ID.ToStringOutput())
}
