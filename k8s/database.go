package k8s

import (
	"fmt"

	batchv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/batch/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// dbJobDeadlineSeconds bounds one provisioning run, retries included.
const dbJobDeadlineSeconds = 600

// newDatabaseUser creates the Job that gives the site its own MySQL user, with rights on its own
// database only (Azure creates the database; users need SQL, which only something inside the
// VNet can speak). It runs our image's wp-db-provision, which is idempotent and sets the
// password from the Secret each time, so a rotated password re-runs it: the pod template
// carries the secrets' checksum, and a changed template replaces the Job.
func (b *siteBuild) newDatabaseUser(secrets *siteSecrets, system *System) (pulumi.Resource, error) {
	l := labels(b.site.Name, componentDB)
	pod := b.restrictedPod(
		&corev1.VolumeArgs{Name: pulumi.String("admin"), Secret: &corev1.SecretVolumeSourceArgs{SecretName: pulumi.String(system.AdminSecret), DefaultMode: pulumi.Int(0o440)}},
		&corev1.VolumeArgs{Name: pulumi.String("site"), Secret: &corev1.SecretVolumeSourceArgs{SecretName: pulumi.String("db-" + b.site.Name), DefaultMode: pulumi.Int(0o440)}},
	)
	pod.RestartPolicy = pulumi.String("OnFailure")
	pod.Containers = corev1.ContainerArray{&corev1.ContainerArgs{
		Name:            pulumi.String("wp-db-provision"),
		Image:           b.azure.Image.Ref,
		ImagePullPolicy: pulumi.String("IfNotPresent"),
		Command:         pulumi.ToStringArray([]string{"wp-db-provision"}),
		Env: corev1.EnvVarArray{
			envVar("WORDPRESS_DB_HOST", pulumi.Sprintf("%s:%d", b.azure.MySQL.Host, mysqlPort)),
			envVar("WORDPRESS_DB_NAME", pulumi.String(b.site.Database)),
			envVar("WORDPRESS_DB_USER", pulumi.String(b.cfg.Names().MySQLUser(b.site.Name))),
			envVar("WORDPRESS_DB_PASSWORD_FILE", pulumi.String("/run/secrets/site/"+secretKeyPass)),
			envVar("WORDPRESS_DB_SSL", pulumi.String("true")),
			envVar("MYSQL_ADMIN_USER", pulumi.String(b.azure.MySQL.AdminLogin)),
			envVar("MYSQL_ADMIN_PASSWORD_FILE", pulumi.String("/run/secrets/admin/"+secretKeyPass)),
		},
		Resources: &corev1.ResourceRequirementsArgs{
			Requests: pulumi.StringMap{"cpu": pulumi.String("50m"), "memory": pulumi.String("64Mi"), "ephemeral-storage": pulumi.String("16Mi")},
			Limits:   pulumi.StringMap{"memory": pulumi.String("128Mi"), "ephemeral-storage": pulumi.String("64Mi")},
		},
		VolumeMounts: corev1.VolumeMountArray{
			mount("tmp", "/tmp", ""),
			&corev1.VolumeMountArgs{Name: pulumi.String("admin"), MountPath: pulumi.String("/run/secrets/admin"), ReadOnly: pulumi.Bool(true)},
			&corev1.VolumeMountArgs{Name: pulumi.String("site"), MountPath: pulumi.String("/run/secrets/site"), ReadOnly: pulumi.Bool(true)},
		},
		SecurityContext: restrictedContainer(),
	}}
	deps := append([]pulumi.Resource{secrets.DBSecret, b.azure.MySQL.Databases[b.site.Name], b.azure.AcrPull}, system.Ready...)
	if b.azure.Image.Build != nil {
		deps = append(deps, b.azure.Image.Build)
	}
	job, err := batchv1.NewJob(b.ctx, b.name("db-user"), &batchv1.JobArgs{
		Metadata: meta("db-"+b.site.Name, system.Namespace, l),
		Spec: &batchv1.JobSpecArgs{
			BackoffLimit:          pulumi.Int(6),
			ActiveDeadlineSeconds: pulumi.Int(dbJobDeadlineSeconds),
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{
					Labels:      l,
					Annotations: pulumi.StringMap{annotationChecksum: secrets.Checksum},
				},
				Spec: pod,
			},
		},
	}, b.child(deps...)...)
	if err != nil {
		return nil, fmt.Errorf("create database user job for site %s: %w", b.site.Name, err)
	}
	return job, nil
}
