package k8s

import (
	"fmt"

	"github.com/example/wordpress-aks/infra"
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

// newContentVolume binds the site's claim to a PersistentVolume on the NFS export. The volume
// is the whole export; each pod mounts the site's own sub-directory (subPath = site name),
// which the kubelet creates on first use, so a new site needs nothing on the NFS server.
// Retain: deleting the claim never deletes anyone's files.
func (b *siteBuild) newContentVolume(ns *corev1.Namespace) (pulumi.Resource, error) {
	pvName := "wp-content-" + b.site.Name
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
