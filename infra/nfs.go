package infra

import (
	_ "embed"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
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

// The export and the mount are one pair, defined here and nowhere else: the setup script writes
// nfsExportOptions into /etc/exports.d (it gets them as EXPORT_OPTIONS in /etc/default/wp-nfs),
// and the PersistentVolumes mount with NFSMountOptions. nfsOptionConflicts states the rules that
// tie them together, and NewNFS refuses a pair that breaks one, so neither side can change
// alone. tests/nfs mounts the export with the PersistentVolume's options on a real kernel.
var (
	// nfsExportOptions:
	//   - rw: the export default is ro.
	//   - sync: the server answers a write (or COMMIT) only once it is on the disk, so a server
	//     crash cannot lose a write a pod was told is saved.
	//   - insecure: accept clients on source ports >= 1024, which noresvport (below) uses; a
	//     "secure" export (the default) refuses them ("request from insecure port") and every
	//     pod would hang in ContainerCreating. It gives nothing away here: the NSG lets only the
	//     AKS node subnet reach port 2049; with sec=sys a privileged source port only vouches
	//     that the client may claim any uid, and all_squash ignores the claimed uid anyway; and
	//     what keeps pods (whose traffic leaves with the node's address) from port 2049 is the
	//     network policies, not the port number, which a container runtime can open to them.
	//   - all_squash, anonuid, anongid: every client user, root included, is the web server's
	//     uid/gid, so pods can write their files and a root process in a pod is not root on the
	//     disk.
	//   - no_subtree_check: the export is a whole directory tree; subtree checking only costs
	//     lookups and breaks renames across directories.
	//   - sec=sys: no Kerberos realm here; the NSG and all_squash are the access control.
	nfsExportOptions = []string{"rw", "sync", "insecure", "all_squash",
		"anonuid=" + strconv.Itoa(webUID), "anongid=" + strconv.Itoa(webGID), "no_subtree_check", "sec=sys"}

	// nfsMountOptions are chosen for PHP serving code from NFS, where every file-system round
	// trip is page latency (the 2020 design paid ~8 s a page on SMB):
	//   - nfsvers=4.1: one TCP port (2049, the only one the NSG opens), sessions that survive a
	//     server restart; the server (setup.sh's nfs.conf) offers nothing older.
	//   - hard, timeo=600, retrans=2: a server restart stalls I/O and then resumes, instead of
	//     handing PHP an error mid-write (soft mounts can corrupt uploads).
	//   - noresvport: reconnects from a new, non-privileged source port after a network blip,
	//     which Azure's load-balanced paths need to recover quickly (needs insecure, above).
	//   - noatime: reading a PHP file does not turn into a write on the server.
	//   - actimeo=30: file attributes are cached for 30 s, so the stat() calls made on every
	//     view (uploads, the page cache's lookup) are answered locally. Code no longer depends
	//     on it: user pods run a local copy swapped on a marker file (k8s/codesync.go), which
	//     they read with open(), and NFS's close-to-open rule makes every open() ask the server.
	//   - the default lookup cache (no lookupcache=): a name found missing is remembered too,
	//     until the directory changes or 30 s pass. With lookupcache=positive every check for a
	//     file that does not exist is a LOOKUP round trip, every time, and WordPress makes many
	//     (drop-ins, language files, the page cache's lookup of a page not stored yet). Measured
	//     on a real kernel client (tests/nfs): 100 checks for one missing file cost 1 LOOKUP
	//     with these options, 101 with lookupcache=positive. The price, measured there too: a
	//     file created on one machine that another looked for a moment before stays unseen
	//     there until the directory's attributes expire (27 s, within actimeo); for uploads
	//     that is a picture nobody links to yet, for the page cache one more rendering. The
	//     user pods' code marker is not affected: it is read with open(), which NFSv4 sends
	//     to the server by name (close-to-open), seen new at once in the same test.
	nfsMountOptions = []string{"nfsvers=4.1", "hard", "timeo=600", "retrans=2", "noresvport", "noatime", "actimeo=30"}
)

// NFSMountOptions returns the options the nodes mount the wp-content export with (the
// PersistentVolumes' mountOptions); they match the export's options (see nfsExportOptions).
func NFSMountOptions() []string {
	return slices.Clone(nfsMountOptions)
}

// nfsOptionConflicts lists why Linux nfsd would refuse (or serve other than meant) a client that
// mounts with the mount options an export made with the export options; nil when the pair fits.
// The rules come from exports(5), nfs(5) and fs/nfsd.
func nfsOptionConflicts(export, mount []string) []string {
	var out []string
	// A secure export (the default) refuses requests from source ports >= 1024
	// (nfsd_originating_port_ok), which is where a noresvport client connects from.
	if slices.Contains(mount, "noresvport") && !slices.Contains(export, "insecure") {
		out = append(out, "mount option noresvport connects from a port >= 1024, which the export refuses without insecure")
	}
	// Exports are read-only unless they say rw.
	if !slices.Contains(mount, "ro") && !slices.Contains(export, "rw") {
		out = append(out, "the mount writes, but the export is read-only without rw")
	}
	// The client's security flavour must be one the export lists (sys when neither says).
	flavour := "sys"
	for _, o := range mount {
		if v, ok := strings.CutPrefix(o, "sec="); ok {
			flavour = v
		}
	}
	flavours := []string{"sys"}
	for _, o := range export {
		if v, ok := strings.CutPrefix(o, "sec="); ok {
			flavours = strings.Split(v, ":")
		}
	}
	if !slices.Contains(flavours, flavour) {
		out = append(out, fmt.Sprintf("the mount uses sec=%s, the export offers sec=%s", flavour, strings.Join(flavours, ":")))
	}
	return out
}

// NewNFS creates the NFS server VM with its own data disk. The disk is a separate, protected
// resource attached with deleteOption Detach, so replacing or deleting the VM leaves wp-content
// where it is.
func NewNFS(ctx *pulumi.Context, cfg config.Config, rg *ResourceGroup, net *Network) (*NFS, error) {
	if c := nfsOptionConflicts(nfsExportOptions, nfsMountOptions); len(c) > 0 {
		return nil, fmt.Errorf("nfs export and mount options disagree: %s", strings.Join(c, "; "))
	}
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
	var settings strings.Builder
	for _, kv := range nfsSettings(cfg) {
		fmt.Fprintf(&settings, "%s=%s\n", kv[0], kv[1])
	}
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
		"    content: " + b64([]byte(settings.String())),
		"runcmd:",
		"  - [" + nfsSetupPath + "]",
		"",
	}, "\n")
	return b64([]byte(doc))
}

// nfsSettings are the setup script's settings, the lines of /etc/default/wp-nfs in order. The
// values are plain words, safe to source unquoted.
func nfsSettings(cfg config.Config) [][2]string {
	return [][2]string{
		{"CLIENT_CIDR", cfg.Network.AKSSubnetCIDR},
		{"EXPORT_UID", strconv.Itoa(webUID)},
		{"EXPORT_GID", strconv.Itoa(webGID)},
		{"MOUNTPOINT", nfsMountPoint},
		{"EXPORT_DIR", nfsExportPath},
		{"EXPORT_OPTIONS", strings.Join(nfsExportOptions, ",")},
	}
}
