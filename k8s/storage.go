package k8s

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/example/wordpress-aks/infra"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const (
	// contentClaimPrefix begins the names of the claim and the volume (contentClaimName).
	contentClaimPrefix = "wp-content"
	// contentMountPath is where WordPress keeps plugins, themes and uploads.
	contentMountPath = "/var/www/html/wp-content"
	// nominalContentSize is only a label: NFS enforces no quota (the disk's size is
	// nfs.dataDiskSizeGB), and a static claim cannot be resized, so it never changes.
	nominalContentSize = "10Gi"
)

// contentVolumeKey names the volume's source (the NFS server and export) in 8 hex digits. The
// source of a PersistentVolume cannot change, and a bound volume cannot be deleted
// (kubernetes.io/pv-protection holds it while its claim exists): under a fixed name, a new
// server address or export path made the engine delete the volume first, which waited for
// ever (seen in the engine tier, tests/engine). Named after its source, the new volume and
// claim are created beside the old ones, the Deployments roll onto the new claim, and the old
// claim and volume go once no pod uses them. The files on the server are untouched either way.
func (b *siteBuild) contentVolumeKey() string {
	sum := sha256.Sum256([]byte(b.azure.NFS.ServerIP + ":" + b.azure.NFS.ExportPath))
	return hex.EncodeToString(sum[:4])
}

// contentClaimName is the site's claim: wp-content-<key>, in the site's namespace.
func (b *siteBuild) contentClaimName() string {
	return contentClaimPrefix + "-" + b.contentVolumeKey()
}

// newContentVolume binds the site's claim to a PersistentVolume on the NFS export. The volume
// is the whole export; each pod mounts the site's own sub-directory (subPath = site name),
// which the kubelet creates on first use, so a new site needs nothing on the NFS server.
// Retain: deleting the claim never deletes anyone's files.
func (b *siteBuild) newContentVolume(ns *corev1.Namespace) (pulumi.Resource, error) {
	pvName := contentClaimPrefix + "-" + b.site.Name + "-" + b.contentVolumeKey()
	size := pulumi.String(nominalContentSize)
	options := pulumi.StringArray{}
	// The options live with the export's in infra (NFSMountOptions), which keeps the two in
	// agreement: a mount option the export does not allow leaves every pod in ContainerCreating.
	for _, o := range infra.NFSMountOptions() {
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
			ClaimRef: &corev1.ObjectReferenceArgs{Namespace: pulumi.String(b.namespace), Name: pulumi.String(b.contentClaimName())},
		},
	}, b.child(b.azure.NFS.VM)...)
	if err != nil {
		return nil, fmt.Errorf("create content volume for site %s: %w", b.site.Name, err)
	}
	pvc, err := corev1.NewPersistentVolumeClaim(b.ctx, b.name("content-claim"), &corev1.PersistentVolumeClaimArgs{
		Metadata: meta(b.contentClaimName(), b.namespace, labels(b.site.Name, appWordPress)),
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
