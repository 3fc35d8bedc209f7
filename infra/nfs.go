package infra

import (
	_ "embed"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/example/wordpress-aks/config"
	"github.com/pulumi/pulumi-azure-native-sdk/compute/v2"
	network "github.com/pulumi/pulumi-azure-native-sdk/network/v2/v20240501"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// NFS is the wp-content server as the pods and the backup see it.
type NFS struct {
	// ServerIP is fixed (see Network.NFSServerIP).
	ServerIP string
	// ExportPath is the one export; each site uses a sub-directory named after it.
	ExportPath string
	VMID       pulumi.IDOutput
	VMName     string
	DataDiskID pulumi.IDOutput
	VM         pulumi.Resource
}

// The shared wp-content file system. The 2020 design served it over SMB (Azure Files) and paid
// ~8 s a page in file-system round trips; then NetApp Files, whose 4 TiB capacity-pool minimum
// billed 40,000 JPY in four days. A small VM with a managed disk costs a few dollars a month and
// serves NFSv4.1 from its page cache.
const (
	nfsMountPoint = "/srv/nfs"
	nfsExportPath = nfsMountPoint + "/wordpress"
	// webUID and webGID are www-data in the official WordPress image: the export squashes every
	// client to them.
	webUID = 33
	webGID = 33
	// ubuntuOffer is Ubuntu 24.04 LTS (standard support to 2029).
	ubuntuPublisher = "Canonical"
	ubuntuOffer     = "ubuntu-24_04-lts"
	ubuntuSKU       = "server"
	nfsSetupPath    = "/usr/local/sbin/wp-nfs-setup"
	nfsSettingsPath = "/etc/default/wp-nfs"
)

//go:embed nfs/setup.sh
var nfsSetupScript string

// NewNFS creates the NFS server VM with its own data disk. The disk is a separate, protected
// resource attached with deleteOption Detach, so replacing or deleting the VM leaves wp-content
// where it is.
func NewNFS(ctx *pulumi.Context, cfg config.Config, rg *ResourceGroup, net *Network) (*NFS, error) {
	names := cfg.Names()
	n := cfg.NFS
	var zones pulumi.StringArray
	if n.Zone != "" {
		zones = pulumi.StringArray{pulumi.String(n.Zone)}
	}

	disk, err := compute.NewDisk(ctx, "nfs-data-disk", &compute.DiskArgs{
		DiskName:          pulumi.String(names.NFSDataDisk()),
		ResourceGroupName: rg.Name,
		Location:          pulumi.String(cfg.Location),
		Tags:              tags(cfg, "data", "wp-content"),
		Zones:             zones,
		Sku:               &compute.DiskSkuArgs{Name: pulumi.String(n.DataDiskSKU)},
		DiskSizeGB:        pulumi.Int(n.DataDiskSizeGB),
		CreationData:      &compute.CreationDataArgs{CreateOption: pulumi.String("Empty")},
		// No public SAS export of the disk's contents.
		NetworkAccessPolicy: pulumi.String("DenyAll"),
		PublicNetworkAccess: pulumi.String("Disabled"),
	}, stateful(cfg)...)
	if err != nil {
		return nil, fmt.Errorf("create nfs data disk: %w", err)
	}

	nic, err := network.NewNetworkInterface(ctx, "nfs-nic", &network.NetworkInterfaceArgs{
		NetworkInterfaceName: pulumi.String(names.NFSNIC()),
		ResourceGroupName:    rg.Name,
		Location:             pulumi.String(cfg.Location),
		Tags:                 tags(cfg),
		IpConfigurations: network.NetworkInterfaceIPConfigurationArray{&network.NetworkInterfaceIPConfigurationArgs{
			Name:                      pulumi.String("ipconfig"),
			Primary:                   pulumi.Bool(true),
			Subnet:                    &network.SubnetTypeArgs{Id: net.NFSSubnetID},
			PrivateIPAllocationMethod: pulumi.String("Static"),
			PrivateIPAddress:          pulumi.String(net.NFSServerIP),
			// No PublicIPAddress: the VM is reachable from the VNet only.
		}},
	})
	if err != nil {
		return nil, fmt.Errorf("create nfs nic: %w", err)
	}

	vm, err := compute.NewVirtualMachine(ctx, "nfs-vm", &compute.VirtualMachineArgs{
		VmName:            pulumi.String(names.NFSVM()),
		ResourceGroupName: rg.Name,
		Location:          pulumi.String(cfg.Location),
		Tags:              tags(cfg),
		Zones:             zones,
		HardwareProfile:   &compute.HardwareProfileArgs{VmSize: pulumi.String(n.VMSize)},
		// The Azure Monitor agent signs in with this identity to send the disk-usage counters.
		Identity: &compute.VirtualMachineIdentityArgs{Type: compute.ResourceIdentityTypeSystemAssigned},
		StorageProfile: &compute.StorageProfileArgs{
			ImageReference: &compute.ImageReferenceArgs{
				Publisher: pulumi.String(ubuntuPublisher),
				Offer:     pulumi.String(ubuntuOffer),
				Sku:       pulumi.String(ubuntuSKU),
				Version:   pulumi.String("latest"),
			},
			OsDisk: &compute.OSDiskArgs{
				Name:         pulumi.String(names.NFSOSDisk()),
				CreateOption: pulumi.String("FromImage"),
				DiskSizeGB:   pulumi.Int(n.OSDiskSizeGB),
				Caching:      compute.CachingTypesReadWrite,
				DeleteOption: pulumi.String("Delete"),
				ManagedDisk:  &compute.ManagedDiskParametersArgs{StorageAccountType: pulumi.String("StandardSSD_LRS")},
			},
			DataDisks: compute.DataDiskArray{&compute.DataDiskArgs{
				Lun:          pulumi.Int(0),
				CreateOption: pulumi.String("Attach"),
				ManagedDisk:  &compute.ManagedDiskParametersArgs{Id: disk.ID().ToStringOutput()},
				// Detach, never Delete: the disk outlives the VM.
				DeleteOption: pulumi.String("Detach"),
				// Reads dominate (PHP files, images); host read caching serves them from the
				// hypervisor, and writes still go straight to the disk.
				Caching: compute.CachingTypesReadOnly,
			}},
		},
		OsProfile: &compute.OSProfileArgs{
			ComputerName:  pulumi.String(names.NFSVM()),
			AdminUsername: pulumi.String(n.AdminUsername),
			CustomData:    pulumi.String(nfsCloudInit(cfg)),
			LinuxConfiguration: &compute.LinuxConfigurationArgs{
				DisablePasswordAuthentication: pulumi.Bool(true),
				Ssh: &compute.SshConfigurationArgs{PublicKeys: compute.SshPublicKeyTypeArray{&compute.SshPublicKeyTypeArgs{
					Path:    pulumi.String("/home/" + n.AdminUsername + "/.ssh/authorized_keys"),
					KeyData: pulumi.String(strings.TrimSpace(cfg.SSHPublicKey)),
				}}},
				ProvisionVMAgent: pulumi.Bool(true),
			},
		},
		NetworkProfile: &compute.NetworkProfileArgs{NetworkInterfaces: compute.NetworkInterfaceReferenceArray{
			&compute.NetworkInterfaceReferenceArgs{Id: nic.ID().ToStringOutput(), Primary: pulumi.Bool(true)},
		}},
		SecurityProfile: &compute.SecurityProfileArgs{
			SecurityType: pulumi.String("TrustedLaunch"),
			UefiSettings: &compute.UefiSettingsArgs{SecureBootEnabled: pulumi.Bool(true), VTpmEnabled: pulumi.Bool(true)},
		},
		// Managed boot diagnostics: the serial log is the first thing to read when the VM
		// stops answering, and it needs no storage account.
		DiagnosticsProfile: &compute.DiagnosticsProfileArgs{BootDiagnostics: &compute.BootDiagnosticsArgs{Enabled: pulumi.Bool(true)}},
	},
		// A data disk attaches to one VM at a time, so a replacement must delete the old VM
		// (detaching the disk) before it creates the new one.
		pulumi.DeleteBeforeReplace(true),
	)
	if err != nil {
		return nil, fmt.Errorf("create nfs vm: %w", err)
	}
	return &NFS{
		ServerIP:   net.NFSServerIP,
		ExportPath: nfsExportPath,
		VMID:       vm.ID(),
		VMName:     names.NFSVM(),
		DataDiskID: disk.ID(),
		VM:         vm,
	}, nil
}

// nfsCloudInit is the VM's custom data: the setup script and its settings, nothing secret and
// nothing per site (so adding a site never replaces or reboots the VM).
func nfsCloudInit(cfg config.Config) string {
	settings := fmt.Sprintf("CLIENT_CIDR=%s\nEXPORT_UID=%d\nEXPORT_GID=%d\nMOUNTPOINT=%s\nEXPORT_DIR=%s\n",
		cfg.Network.AKSSubnetCIDR, webUID, webGID, nfsMountPoint, nfsExportPath)
	b64 := base64.StdEncoding.EncodeToString
	doc := strings.Join([]string{
		"#cloud-config",
		"write_files:",
		"  - path: " + nfsSetupPath,
		"    permissions: '0755'",
		"    encoding: b64",
		"    content: " + b64([]byte(nfsSetupScript)),
		"  - path: " + nfsSettingsPath,
		"    permissions: '0644'",
		"    encoding: b64",
		"    content: " + b64([]byte(settings)),
		"runcmd:",
		"  - [" + nfsSetupPath + "]",
		"",
	}, "\n")
	return b64([]byte(doc))
}
