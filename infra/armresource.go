package infra

import (
	"fmt"

	"github.com/pulumi/pulumi-azure-native-sdk/v2/utilities"
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

// AzureNativeVersion is the azure-native provider plugin version the generated SDK modules
// register their resources with. Every generated module (containerservice at v2.82.0 included)
// takes it from the root module's utilities package, so it is the root module's version,
// v2.90.0 in go.mod. It is read from there rather than written down again, so a go.mod bump
// cannot leave the token-registered resources on another plugin.
var AzureNativeVersion = sdkPluginVersion()

// sdkPluginVersion asks the root SDK module which plugin version it pins.
func sdkPluginVersion() string {
	opts, err := pulumi.NewResourceOptions(utilities.PkgResourceDefaultOpts(nil)...)
	if err != nil || opts.Version == "" {
		// The generated utilities always pin a version; without one the program would let
		// the engine pick any installed plugin, which is what this guards against.
		panic(fmt.Sprintf("azure-native sdk reports no plugin version (%v)", err))
	}
	return opts.Version
}

// armOpts are the options every token-registered resource takes: the same azure-native plugin
// version as the generated SDK's resources, so one plugin serves the whole program. Without it
// the engine uses whatever azure-native plugin it finds, possibly a second, newer one.
func armOpts(opts ...pulumi.ResourceOption) []pulumi.ResourceOption {
	return append([]pulumi.ResourceOption{pulumi.Version(AzureNativeVersion)}, opts...)
}

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
