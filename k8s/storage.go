package k8s

import (
	"fmt"

	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const (
	contentClaimName = "wp-content"
	// contentMountPath is where WordPress keeps plugins, themes and uploads.
	contentMountPath = "/var/www/html/wp-content"
	// nominalContentSize is only a label: NFS enforces no quota (the disk's size is
	// nfs.dataDiskSizeGB), and a static claim cannot be resized, so it never changes.
	nominalContentSize = "10Gi"
)

// nfsMountOptions are chosen for PHP serving code from NFS, where every file-system round trip
// is page latency (the 2020 design paid ~8 s a page on SMB):
//   - nfsvers=4.1: one TCP port (2049, the only one the NSG opens), sessions that survive a
//     server reboot; the server offers nothing older.
//   - hard, timeo=600, retrans=2: a server restart stalls I/O and then resumes, instead of
//     handing PHP an error mid-write (soft mounts can corrupt uploads).
//   - noresvport: reconnects from a new source port after a network blip, which Azure's
//     load-balanced paths need to recover quickly.
//   - noatime: reading a PHP file does not turn into a write on the server.
//   - actimeo=30: file attributes are cached for 30 s, so the stat() calls PHP makes on every
//     include are answered locally; opcache's own revalidation (60 s in the image) bounds how
//     stale code can be, so an update on an admin pod reaches the user pods within ~90 s.
//   - lookupcache=positive: names that do not exist are not cached, so an upload made on one
//     pod is visible on the others at once.
var nfsMountOptions = []string{"nfsvers=4.1", "hard", "timeo=600", "retrans=2", "noresvport", "noatime", "actimeo=30", "lookupcache=positive"}

// newContentVolume binds the site's claim to a PersistentVolume on the NFS export. The volume
// is the whole export; each pod mounts the site's own sub-directory (subPath = site name),
// which the kubelet creates on first use, so a new site needs nothing on the NFS server.
// Retain: deleting the claim never deletes anyone's files.
func (b *siteBuild) newContentVolume(ns *corev1.Namespace) (pulumi.Resource, error) {
	pvName := "wp-content-" + b.site.Name
	size := pulumi.String(nominalContentSize)
	options := pulumi.StringArray{}
	for _, o := range nfsMountOptions {
		options = append(options, pulumi.String(o))
	}
	pv, err := corev1.NewPersistentVolume(b.ctx, b.name("content-volume"), &corev1.PersistentVolumeArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String(pvName), Labels: labels(b.site.Name, appWordPress)},
		Spec: &corev1.PersistentVolumeSpecArgs{
			Capacity:                      pulumi.StringMap{"storage": size},
			AccessModes:                   pulumi.StringArray{pulumi.String("ReadWriteMany")},
			PersistentVolumeReclaimPolicy: pulumi.String("Retain"),
			StorageClassName:              pulumi.String(""),
			MountOptions:                  options,
			Nfs: &corev1.NFSVolumeSourceArgs{
				Server: pulumi.String(b.azure.NFS.ServerIP),
				Path:   pulumi.String(b.azure.NFS.ExportPath),
			},
			ClaimRef: &corev1.ObjectReferenceArgs{Namespace: pulumi.String(b.namespace), Name: pulumi.String(contentClaimName)},
		},
	}, b.child(b.azure.NFS.VM)...)
	if err != nil {
		return nil, fmt.Errorf("create content volume for site %s: %w", b.site.Name, err)
	}
	pvc, err := corev1.NewPersistentVolumeClaim(b.ctx, b.name("content-claim"), &corev1.PersistentVolumeClaimArgs{
		Metadata: meta(contentClaimName, b.namespace, labels(b.site.Name, appWordPress)),
		Spec: &corev1.PersistentVolumeClaimSpecArgs{
			AccessModes:      pulumi.StringArray{pulumi.String("ReadWriteMany")},
			StorageClassName: pulumi.String(""),
			VolumeName:       pulumi.String(pvName),
			Resources:        &corev1.VolumeResourceRequirementsArgs{Requests: pulumi.StringMap{"storage": size}},
		},
	}, b.child(ns, pv)...)
	if err != nil {
		return nil, fmt.Errorf("create content claim for site %s: %w", b.site.Name, err)
	}
	return pvc, nil
}
