package k8s

import (
	"fmt"

	batchv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/batch/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const (
	// cronSchedule runs WordPress's due events every five minutes, page views or not
	// (DISABLE_WP_CRON is set, so page views no longer trigger them).
	cronSchedule = "*/5 * * * *"
	// cronTimeoutSeconds stops a stuck run (pod start included) before the next one is due.
	cronTimeoutSeconds = 270
)

// newCron creates the CronJob that calls wp-cron.php on the admin pods, where PHP-heavy work
// belongs, through their Service.
func (b *siteBuild) newCron(deps []pulumi.Resource) error {
	url := fmt.Sprintf("http://%s.%s.svc.cluster.local/wp-cron.php?doing_wp_cron", componentAdmin, b.namespace)
	l := labels(b.site.Name, componentCron)
	pod := b.restrictedPod()
	pod.RestartPolicy = pulumi.String("Never")
	pod.Containers = corev1.ContainerArray{&corev1.ContainerArgs{
		Name:            pulumi.String("wp-cron"),
		Image:           b.azure.Image.Ref,
		ImagePullPolicy: pulumi.String("IfNotPresent"),
		// Our image has curl; --fail turns an HTTP error into a failed Job that shows up in
		// the Job history. It waits as long as the admin pods' graceful stop lets a request
		// run (timeouts.go), within the Job's deadline.
		Command: pulumi.ToStringArray([]string{
			"curl", "--fail", "--silent", "--show-error", "--max-time", fmt.Sprint(podStop.CronRequestSeconds()),
			"--header", "Host: " + b.site.Hosts[0], "--output", "/dev/null", url,
		}),
		Resources: &corev1.ResourceRequirementsArgs{
			Requests: pulumi.StringMap{"cpu": pulumi.String("10m"), "memory": pulumi.String("32Mi"), "ephemeral-storage": pulumi.String("16Mi")},
			Limits:   pulumi.StringMap{"memory": pulumi.String("64Mi"), "ephemeral-storage": pulumi.String("64Mi")},
		},
		VolumeMounts:    corev1.VolumeMountArray{mount("tmp", "/tmp", "")},
		SecurityContext: restrictedContainer(),
	}}
	_, err := batchv1.NewCronJob(b.ctx, b.name("cron"), &batchv1.CronJobArgs{
		Metadata: meta("wp-cron", b.namespace, l),
		Spec: &batchv1.CronJobSpecArgs{
			Schedule:                   pulumi.String(cronSchedule),
			ConcurrencyPolicy:          pulumi.String("Forbid"),
			StartingDeadlineSeconds:    pulumi.Int(120),
			SuccessfulJobsHistoryLimit: pulumi.Int(1),
			FailedJobsHistoryLimit:     pulumi.Int(3),
			JobTemplate: &batchv1.JobTemplateSpecArgs{
				Spec: &batchv1.JobSpecArgs{
					BackoffLimit:          pulumi.Int(0),
					ActiveDeadlineSeconds: pulumi.Int(cronTimeoutSeconds),
					Template: &corev1.PodTemplateSpecArgs{
						Metadata: &metav1.ObjectMetaArgs{Labels: l},
						Spec:     pod,
					},
				},
			},
		},
	}, b.child(deps...)...)
	if err != nil {
		return fmt.Errorf("create cron for site %s: %w", b.site.Name, err)
	}
	return nil
}
