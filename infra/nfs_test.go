package infra

import (
	"encoding/base64"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/example/wordpress-aks/config"
)

// nfsSetup runs the NFS VM's setup script against a disk image file, with the settings the
// program writes for the default config, every path it writes pointed into dir and the system
// steps (packages, mount, services) left out.
func nfsSetup(t *testing.T, dir, device string) (string, error) {
	t.Helper()
	cmd := exec.Command("sh", "nfs/setup.sh")
	cmd.Env = append(os.Environ(), "WP_NFS_ENV=/nonexistent")
	for _, kv := range nfsSettings(config.Defaults()) {
		cmd.Env = append(cmd.Env, kv[0]+"="+kv[1])
	}
	cmd.Env = append(cmd.Env,
		"SKIP_SYSTEM=1",
		"DEVICE="+device,
		"MOUNTPOINT="+filepath.Join(dir, "srv"),
		"EXPORT_DIR="+filepath.Join(dir, "srv/wordpress"),
		"FSTAB="+filepath.Join(dir, "fstab"),
		"EXPORTS_FILE="+filepath.Join(dir, "exports.d/wordpress.exports"),
		"NFS_CONF_FILE="+filepath.Join(dir, "nfs.conf.d/wordpress.conf"),
	)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func blkid(t *testing.T, device, tag string) string {
	t.Helper()
	out, _ := exec.Command("blkid", "-p", "-o", "value", "-s", tag, device).Output()
	return strings.TrimSpace(string(out))
}

// diskImage makes a zero-filled file standing for the data disk.
func diskImage(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "disk.img")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(64 << 20); err != nil {
		t.Fatal(err)
	}
	return p
}

// withSbin puts the system binary directories on PATH: mkfs.ext4 and blkid live there, and an
// unprivileged user's PATH on Debian does not include them.
func withSbin(t *testing.T) {
	t.Setenv("PATH", os.Getenv("PATH")+":/usr/sbin:/sbin")
}

func TestNFSSetupFormatsOnlyBlankDisks(t *testing.T) {
	withSbin(t)
	for _, tool := range []string{"mkfs.ext4", "blkid"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: install e2fsprogs and util-linux (make test does)", tool)
		}
	}
	dir := t.TempDir()
	disk := diskImage(t, dir)

	if out, err := nfsSetup(t, dir, disk); err != nil {
		t.Fatalf("first run: %v\n%s", err, out)
	}
	if got := blkid(t, disk, "TYPE"); got != "ext4" {
		t.Fatalf("blank disk: file system %q, want ext4", got)
	}
	uuid := blkid(t, disk, "UUID")

	// A second run (a reboot, a re-run after a restore) must keep the file system.
	if out, err := nfsSetup(t, dir, disk); err != nil {
		t.Fatalf("second run: %v\n%s", err, out)
	}
	if got := blkid(t, disk, "UUID"); got != uuid {
		t.Errorf("second run reformatted the disk: UUID %s, was %s", got, uuid)
	}
	fstab, err := os.ReadFile(filepath.Join(dir, "fstab"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(fstab)), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "UUID="+uuid+" ") || !strings.Contains(lines[0], "nofail") {
		t.Errorf("fstab after two runs:\n%s\nwant one nofail line for UUID %s", fstab, uuid)
	}
	exports, err := os.ReadFile(filepath.Join(dir, "exports.d/wordpress.exports"))
	if err != nil {
		t.Fatal(err)
	}
	// The export carries exactly the options the program defines next to the mount options.
	wantExport := filepath.Join(dir, "srv/wordpress") + " " + config.Defaults().Network.AKSSubnetCIDR +
		"(" + strings.Join(nfsExportOptions, ",") + ")\n"
	if string(exports) != wantExport {
		t.Errorf("exports %q, want %q", exports, wantExport)
	}
	for _, want := range []string{"all_squash", "insecure", "rw"} {
		if !strings.Contains(string(exports), "("+want+",") && !strings.Contains(string(exports), ","+want+",") {
			t.Errorf("exports %q lack %s", exports, want)
		}
	}
	if strings.Contains(string(exports), "no_root_squash") {
		t.Error("the export must squash root")
	}
	conf, err := os.ReadFile(filepath.Join(dir, "nfs.conf.d/wordpress.conf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"vers3=n", "vers4.0=n", "vers4.1=y"} {
		if !strings.Contains(string(conf), want) {
			t.Errorf("nfs.conf lacks %s:\n%s", want, conf)
		}
	}
	// The version the nodes mount with is one the server serves.
	for _, o := range NFSMountOptions() {
		if v, ok := strings.CutPrefix(o, "nfsvers="); ok && !strings.Contains(string(conf), "vers"+v+"=y\n") {
			t.Errorf("the nodes mount with %s, which nfs.conf does not enable:\n%s", o, conf)
		}
	}
}

func TestNFSOptionConflicts(t *testing.T) {
	without := func(opts []string, drop string) []string {
		var out []string
		for _, o := range opts {
			if o != drop {
				out = append(out, o)
			}
		}
		return out
	}
	tests := []struct {
		name          string
		export, mount []string
		want          string // a substring of the one conflict; "" for none
	}{
		{"the program's pair", nfsExportOptions, nfsMountOptions, ""},
		// The pair the first version shipped: every node's mount refused.
		{"noresvport without insecure", without(nfsExportOptions, "insecure"), nfsMountOptions, "noresvport"},
		{"secure export, privileged port", without(nfsExportOptions, "insecure"), without(nfsMountOptions, "noresvport"), ""},
		{"read-only export", without(nfsExportOptions, "rw"), nfsMountOptions, "read-only"},
		{"read-only export, read-only mount", without(nfsExportOptions, "rw"), append(slices.Clone(nfsMountOptions), "ro"), ""},
		{"kerberos mount", nfsExportOptions, append(slices.Clone(nfsMountOptions), "sec=krb5"), "sec=krb5"},
		{"kerberos export", []string{"rw", "insecure", "sec=krb5p"}, nfsMountOptions, "sec=sys"},
		{"several flavours", []string{"rw", "insecure", "sec=krb5:sys"}, nfsMountOptions, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := nfsOptionConflicts(tt.export, tt.mount)
			switch {
			case tt.want == "" && len(got) > 0:
				t.Errorf("conflicts %q, want none", got)
			case tt.want != "" && (len(got) != 1 || !strings.Contains(got[0], tt.want)):
				t.Errorf("conflicts %q, want one naming %q", got, tt.want)
			}
		})
	}
}

func TestNFSMountOptionsAreACopy(t *testing.T) {
	NFSMountOptions()[0] = "changed"
	if nfsMountOptions[0] == "changed" {
		t.Error("a caller changed the program's mount options")
	}
}

func TestNFSSetupRefusesPartitionedDisk(t *testing.T) {
	withSbin(t)
	dir := t.TempDir()
	disk := diskImage(t, dir)
	// An MBR with one Linux partition: a disk restored or attached from elsewhere.
	mbr := make([]byte, 512)
	entry := mbr[446:462]
	entry[4] = 0x83
	binary.LittleEndian.PutUint32(entry[8:], 2048)
	binary.LittleEndian.PutUint32(entry[12:], 65536)
	mbr[510], mbr[511] = 0x55, 0xAA
	f, err := os.OpenFile(disk, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(mbr, 0); err != nil {
		t.Fatal(err)
	}
	f.Close()

	out, err := nfsSetup(t, dir, disk)
	if err == nil {
		t.Fatalf("setup accepted a partitioned disk:\n%s", out)
	}
	if !strings.Contains(out, "refusing to touch it") {
		t.Errorf("setup output %q does not say why it stopped", out)
	}
	if got := blkid(t, disk, "TYPE"); got != "" {
		t.Errorf("partitioned disk was formatted as %q", got)
	}
}

func TestNFSCloudInit(t *testing.T) {
	cfg := config.Defaults()
	cfg.Sites = []config.Site{{Name: "tech", Hosts: []string{"tech.example.com"}, Database: "wp_tech"}}
	raw, err := base64.StdEncoding.DecodeString(nfsCloudInit(cfg))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	if !strings.HasPrefix(doc, "#cloud-config\n") {
		t.Fatalf("custom data does not start with #cloud-config:\n%s", doc)
	}
	// Decode the embedded files to check what the VM gets.
	var files []string
	for _, line := range strings.Split(doc, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "content: "); ok {
			b, err := base64.StdEncoding.DecodeString(v)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, string(b))
		}
	}
	if len(files) != 2 || files[0] != nfsSetupScript {
		t.Fatalf("cloud-init should carry the setup script and its settings, got %d files", len(files))
	}
	if !strings.Contains(files[1], "CLIENT_CIDR="+cfg.Network.AKSSubnetCIDR+"\n") {
		t.Errorf("settings do not export to the AKS subnet:\n%s", files[1])
	}
	if !strings.Contains(files[1], "\nEXPORT_OPTIONS="+strings.Join(nfsExportOptions, ",")+"\n") {
		t.Errorf("settings do not carry the export options:\n%s", files[1])
	}
	// The settings file is sourced by sh: every value must be one plain word.
	for _, kv := range nfsSettings(cfg) {
		if strings.ContainsAny(kv[1], " \t\n'\"$`\\;&|<>()*?[]#~") {
			t.Errorf("setting %s=%q needs quoting", kv[0], kv[1])
		}
	}
	// Adding a site must not change the custom data (that would replace the VM).
	cfg.Sites = append(cfg.Sites, config.Site{Name: "azure", Hosts: []string{"azure.example.com"}, Database: "wp_azure"})
	if nfsCloudInit(cfg) != base64.StdEncoding.EncodeToString(raw) {
		t.Error("adding a site changes the NFS VM's custom data")
	}
	if strings.Contains(doc, "tech") {
		t.Error("the custom data names a site")
	}
}
