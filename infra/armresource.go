package infra

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// This machine's module proxy serves no Go SDK for azure-native's dbformysql and
// managedidentity modules, but the azure-native 2.90.0 provider knows their tokens. These typed
// wrappers register them by token; their inputs are checked against the REST API specs named
// next to each token, and the tests assert every input we send.

// Tokens registered without a generated SDK.
const (
	// tokenUserAssignedIdentity is Microsoft.ManagedIdentity/userAssignedIdentities 2023-01-31.
	tokenUserAssignedIdentity = "azure-native:managedidentity:UserAssignedIdentity"
	// tokenMySQLServer and the two below are Microsoft.DBforMySQL/flexibleServers 2023-12-30
	// (specification/mysql/.../FlexibleServers/stable/2023-12-30).
	tokenMySQLServer        = "azure-native:dbformysql/v20231230:Server"
	tokenMySQLDatabase      = "azure-native:dbformysql/v20231230:Database"
	tokenMySQLConfiguration = "azure-native:dbformysql/v20231230:Configuration"
)

// userAssignedIdentity is a managed identity; the outputs are the ones role assignments need.
type userAssignedIdentity struct {
	pulumi.CustomResourceState
	PrincipalID pulumi.StringOutput `pulumi:"principalId"`
	ClientID    pulumi.StringOutput `pulumi:"clientId"`
}

// mysqlServer is a MySQL flexible server.
type mysqlServer struct {
	pulumi.CustomResourceState
	Name                     pulumi.StringOutput `pulumi:"name"`
	FullyQualifiedDomainName pulumi.StringOutput `pulumi:"fullyQualifiedDomainName"`
}

// mysqlChild is a database or a server parameter of a flexible server.
type mysqlChild struct {
	pulumi.CustomResourceState
	Name pulumi.StringOutput `pulumi:"name"`
}
