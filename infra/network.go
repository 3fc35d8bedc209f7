package infra

import (
	"fmt"
	"net/netip"

	"github.com/example/wordpress-aks/config"
	network "github.com/pulumi/pulumi-azure-native-sdk/network/v2/v20240501"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Network is the virtual network and what later resources attach to.
type Network struct {
	VNetID        pulumi.StringOutput
	AKSSubnetID   pulumi.StringOutput
	MySQLSubnetID pulumi.StringOutput
	NFSSubnetID   pulumi.StringOutput
	// NFSServerIP is the NFS VM's fixed address: the Kubernetes volumes name it, so it must
	// not change when the VM is replaced.
	NFSServerIP string
	// VNet is the resource, for dependency edges.
	VNet pulumi.Resource
}

// Subnet roles, used in names.
const (
	subnetAKS   = "aks"
	subnetMySQL = "mysql"
	subnetNFS   = "nfs"
)

// Ports the NSGs open.
const (
	portNFS   = "2049"
	portMySQL = "3306"
	portSSH   = "22"
)

// NewNetwork creates the VNet with its three subnets and their security groups.
func NewNetwork(ctx *pulumi.Context, cfg config.Config, rg *ResourceGroup) (*Network, error) {
	names := cfg.Names()
	n := cfg.Network

	// The NFS subnet takes NFS from the AKS nodes and nothing else: with CNI Overlay, pod traffic
	// leaves the node with the node's address, so the node subnet is the whole client range.
	nfsNSG, err := network.NewNetworkSecurityGroup(ctx, "nsg-nfs", &network.NetworkSecurityGroupArgs{
		NetworkSecurityGroupName: pulumi.String(names.NSG(subnetNFS)),
		ResourceGroupName:        rg.Name,
		Location:                 pulumi.String(cfg.Location),
		Tags:                     tags(cfg),
		SecurityRules: network.SecurityRuleTypeArray{
			allowFrom("allow-nfs-from-aks", 100, n.AKSSubnetCIDR, n.NFSSubnetCIDR, portNFS),
			denySSHFromInternet(),
			denyRestOfVNet(),
		},
	})
	if err != nil {
		return nil, fmt.Errorf("create nfs nsg: %w", err)
	}
	// MySQL takes 3306 from the nodes; its own subnet talks to itself for HA replication.
	mysqlNSG, err := network.NewNetworkSecurityGroup(ctx, "nsg-mysql", &network.NetworkSecurityGroupArgs{
		NetworkSecurityGroupName: pulumi.String(names.NSG(subnetMySQL)),
		ResourceGroupName:        rg.Name,
		Location:                 pulumi.String(cfg.Location),
		Tags:                     tags(cfg),
		SecurityRules: network.SecurityRuleTypeArray{
			allowFrom("allow-mysql-from-aks", 100, n.AKSSubnetCIDR, n.MySQLSubnetCIDR, portMySQL),
			allowFrom("allow-mysql-subnet-internal", 110, n.MySQLSubnetCIDR, n.MySQLSubnetCIDR, "*"),
			denySSHFromInternet(),
			denyRestOfVNet(),
		},
	})
	if err != nil {
		return nil, fmt.Errorf("create mysql nsg: %w", err)
	}

	vnet, err := network.NewVirtualNetwork(ctx, "vnet", &network.VirtualNetworkArgs{
		VirtualNetworkName: pulumi.String(names.VNet()),
		ResourceGroupName:  rg.Name,
		Location:           pulumi.String(cfg.Location),
		Tags:               tags(cfg),
		AddressSpace:       &network.AddressSpaceArgs{AddressPrefixes: pulumi.StringArray{pulumi.String(n.VNetCIDR)}},
		// Subnets are inline: separate Subnet resources and an inline list fight over the VNet.
		Subnets: network.SubnetTypeArray{
			&network.SubnetTypeArgs{
				Name:          pulumi.String(names.Subnet(subnetAKS)),
				AddressPrefix: pulumi.String(n.AKSSubnetCIDR),
			},
			&network.SubnetTypeArgs{
				Name:                 pulumi.String(names.Subnet(subnetMySQL)),
				AddressPrefix:        pulumi.String(n.MySQLSubnetCIDR),
				NetworkSecurityGroup: &network.NetworkSecurityGroupTypeArgs{Id: mysqlNSG.ID().ToStringOutput()},
				// Private access for MySQL Flexible Server needs the whole subnet delegated to it.
				Delegations: network.DelegationArray{&network.DelegationArgs{
					Name:        pulumi.String("mysql-flexible-server"),
					ServiceName: pulumi.String("Microsoft.DBforMySQL/flexibleServers"),
				}},
			},
			&network.SubnetTypeArgs{
				Name:                 pulumi.String(names.Subnet(subnetNFS)),
				AddressPrefix:        pulumi.String(n.NFSSubnetCIDR),
				NetworkSecurityGroup: &network.NetworkSecurityGroupTypeArgs{Id: nfsNSG.ID().ToStringOutput()},
				// The NFS VM has no public IP but must reach Ubuntu's mirrors for its packages and
				// security updates. Subnets of new VNets are private by default since 2025-09-30;
				// a NAT gateway would cost ~$32 a month for one small VM, so this subnet keeps
				// Azure's default outbound access (outbound only; nothing inbound from the
				// internet).
				DefaultOutboundAccess: pulumi.Bool(true),
			},
		},
	})
	if err != nil {
		return nil, fmt.Errorf("create vnet: %w", err)
	}
	subnetID := func(role string) pulumi.StringOutput {
		return pulumi.Sprintf("%s/subnets/%s", vnet.ID(), names.Subnet(role))
	}
	ip, err := nfsServerIP(n.NFSSubnetCIDR)
	if err != nil {
		return nil, fmt.Errorf("plan nfs address: %w", err)
	}
	return &Network{
		VNetID:        vnet.ID().ToStringOutput(),
		AKSSubnetID:   subnetID(subnetAKS),
		MySQLSubnetID: subnetID(subnetMySQL),
		NFSSubnetID:   subnetID(subnetNFS),
		NFSServerIP:   ip,
		VNet:          vnet,
	}, nil
}

// nfsServerIP is the first address Azure lets a VM take in the subnet (it keeps .0 to .3).
func nfsServerIP(cidr string) (string, error) {
	p, err := netip.ParsePrefix(cidr)
	if err != nil {
		return "", err
	}
	a := p.Addr()
	for range 4 {
		a = a.Next()
	}
	return a.String(), nil
}

func allowFrom(name string, priority int, from, to, port string) *network.SecurityRuleTypeArgs {
	return &network.SecurityRuleTypeArgs{
		Name:                     pulumi.String(name),
		Priority:                 pulumi.Int(priority),
		Direction:                pulumi.String("Inbound"),
		Access:                   pulumi.String("Allow"),
		Protocol:                 pulumi.String("Tcp"),
		SourceAddressPrefix:      pulumi.String(from),
		SourcePortRange:          pulumi.String("*"),
		DestinationAddressPrefix: pulumi.String(to),
		DestinationPortRange:     pulumi.String(port),
	}
}

// denySSHFromInternet states what the default rules already imply, so that a later rule that
// opens the VNet cannot quietly open SSH to the world.
func denySSHFromInternet() *network.SecurityRuleTypeArgs {
	return &network.SecurityRuleTypeArgs{
		Name:                     pulumi.String("deny-ssh-from-internet"),
		Priority:                 pulumi.Int(3900),
		Direction:                pulumi.String("Inbound"),
		Access:                   pulumi.String("Deny"),
		Protocol:                 pulumi.String("Tcp"),
		SourceAddressPrefix:      pulumi.String("Internet"),
		SourcePortRange:          pulumi.String("*"),
		DestinationAddressPrefix: pulumi.String("*"),
		DestinationPortRange:     pulumi.String(portSSH),
	}
}

// denyRestOfVNet overrides Azure's AllowVnetInBound (priority 65000), which would let every
// address in the VNet (and peered networks) reach the subnet on any port.
func denyRestOfVNet() *network.SecurityRuleTypeArgs {
	return &network.SecurityRuleTypeArgs{
		Name:                     pulumi.String("deny-vnet-inbound"),
		Priority:                 pulumi.Int(4000),
		Direction:                pulumi.String("Inbound"),
		Access:                   pulumi.String("Deny"),
		Protocol:                 pulumi.String("*"),
		SourceAddressPrefix:      pulumi.String("VirtualNetwork"),
		SourcePortRange:          pulumi.String("*"),
		DestinationAddressPrefix: pulumi.String("*"),
		DestinationPortRange:     pulumi.String("*"),
	}
}
