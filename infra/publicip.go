package infra

import (
	"fmt"

	"github.com/example/wordpress-aks/config"
	network "github.com/pulumi/pulumi-azure-native-sdk/network/v2/v20240501"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// IngressIP is the static public address the ingress controller's Service binds, which the
// sites' DNS records point at.
type IngressIP struct {
	Address pulumi.StringOutput
	// Name and ResourceGroup go into the Service annotations AKS reads.
	Name          string
	ResourceGroup pulumi.StringOutput
	ID            pulumi.IDOutput
	// Resource is the address itself: the ingress controller's Service is created after it and
	// deleted before it.
	Resource pulumi.Resource
}

// NewIngressIP creates a Standard, zone-redundant, static IPv4 address. It is protected like the
// data: DNS records outside Azure point at it, and a new address means an outage until they
// change.
func NewIngressIP(ctx *pulumi.Context, cfg config.Config, rg *ResourceGroup) (*IngressIP, error) {
	name := cfg.Names().IngressIP()
	ip, err := network.NewPublicIPAddress(ctx, "ingress-ip", &network.PublicIPAddressArgs{
		PublicIpAddressName:      pulumi.String(name),
		ResourceGroupName:        rg.Name,
		Location:                 pulumi.String(cfg.Location),
		Tags:                     tags(cfg),
		Sku:                      &network.PublicIPAddressSkuArgs{Name: pulumi.String("Standard"), Tier: pulumi.String("Regional")},
		PublicIPAllocationMethod: pulumi.String("Static"),
		PublicIPAddressVersion:   pulumi.String("IPv4"),
		Zones:                    pulumi.StringArray{pulumi.String("1"), pulumi.String("2"), pulumi.String("3")},
		IdleTimeoutInMinutes:     pulumi.Int(4),
	}, stateful(cfg)...)
	if err != nil {
		return nil, fmt.Errorf("create ingress ip: %w", err)
	}
	return &IngressIP{
		Address:       ip.IpAddress.Elem(),
		Name:          name,
		ResourceGroup: rg.Name,
		ID:            ip.ID(),
		Resource:      ip,
	}, nil
}
