package k8s

import (
	"fmt"

	"github.com/example/wordpress-aks/config"
	"github.com/example/wordpress-aks/infra"
	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	networkingv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/networking/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// System is the namespace where each site's database user is provisioned. The MySQL
// administrator password lives here only, never in a site's namespace, so a compromised
// WordPress pod cannot read it.
type System struct {
	Namespace   string
	AdminSecret string
	// Ready is what a provisioning Job waits for: the namespace, the secret, the policies.
	Ready []pulumi.Resource
}

const (
	mysqlPort = 3306
	// adminSecretName holds the MySQL administrator's password under key "password".
	adminSecretName = "mysql-admin"
	secretKeyPass   = "password"
)

// NewSystem creates the provisioning namespace, the administrator secret and its policies.
func NewSystem(ctx *pulumi.Context, cfg config.Config, azure *infra.Outputs, provider *kubernetes.Provider) (*System, error) {
	name := cfg.Names().SystemNamespace()
	ns, err := corev1.NewNamespace(ctx, "system-namespace", &corev1.NamespaceArgs{
		Metadata: &metav1.ObjectMetaArgs{
			Name: pulumi.String(name),
			Labels: pulumi.StringMap{
				labelPartOf:                          pulumi.String(partOf),
				"pod-security.kubernetes.io/enforce": pulumi.String("restricted"),
			},
		},
	}, pulumi.Provider(provider))
	if err != nil {
		return nil, fmt.Errorf("create system namespace: %w", err)
	}
	inNS := []pulumi.ResourceOption{pulumi.Provider(provider), pulumi.DependsOn([]pulumi.Resource{ns})}
	secret, err := corev1.NewSecret(ctx, "mysql-admin-secret", &corev1.SecretArgs{
		Metadata:   meta(adminSecretName, name, pulumi.StringMap{labelPartOf: pulumi.String(partOf)}),
		Type:       pulumi.String("Opaque"),
		StringData: pulumi.StringMap{secretKeyPass: azure.MySQL.AdminPassword},
	}, inNS...)
	if err != nil {
		return nil, fmt.Errorf("create mysql admin secret: %w", err)
	}
	if err := denyAll(ctx, "system-default-deny", name, inNS...); err != nil {
		return nil, err
	}
	// Provisioning Jobs talk to DNS and MySQL, nothing else.
	egress, err := policy(ctx, "system-db-provision-egress", "db-provision-egress", name,
		pulumi.StringMap{labelComponent: pulumi.String(componentDB)},
		nil,
		networkingv1.NetworkPolicyEgressRuleArray{dnsEgress(), cidrEgress(cfg.Network.MySQLSubnetCIDR, mysqlPort)},
		inNS...)
	if err != nil {
		return nil, err
	}
	return &System{Namespace: name, AdminSecret: adminSecretName, Ready: []pulumi.Resource{ns, secret, egress}}, nil
}
