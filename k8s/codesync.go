package k8s

import (
	"strconv"

	"github.com/example/wordpress-aks/config"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// User pods run WordPress's code from their own disk. On NFS every file WordPress touches is a
// round trip: with opcache, a block theme's view still made 196 file operations on wp-content
// (185 of them the theme's templates, parts and patterns, which opcache does not cover) and
// ~1000 once a minute when opcache revalidates; from local disk, none. So on user pods the
// share is mounted at codeSourcePath, and a sidecar (the image's wp-code-sync) keeps a copy of
// the code (plugins, themes, mu-plugins, languages, drop-ins) in an emptyDir, in which uploads
// and the page cache are symlinks back to the share. Admin pods keep the whole wp-content on
// NFS read-write, so installing, updating and deleting plugins and themes works as before;
// after each change the admin side bumps one marker file, which the sidecars poll, then copy
// and swap atomically (images/wordpress/bin/wp-code-sync says how and what a failure does).
const (
	codeSyncName = "code-sync"
	// codeSourcePath is the site's wp-content on the share, on user pods.
	codeSourcePath = "/var/www/site"
	// codeDir holds the local copies ("generations") and the `current` link to one.
	codeDir = "/var/www/code"
	// The sidecar copies files and sleeps: a little CPU during a copy, a shell's memory plus
	// room for the page cache a copy dirties, which the kernel charges to this container.
	// config's capacity check counts the same requests (config.CodeSync*).
	codeSyncMemory     = config.CodeSyncMemoryRequest
	codeSyncCPURequest = config.CodeSyncCPURequest
	codeSyncEphemeral  = "64Mi"
)

// codeSyncEnv is what the sidecar and the web server container both need to find the code.
func codeSyncEnv() corev1.EnvVarArray {
	return corev1.EnvVarArray{
		envVar("WP_CODE_SOURCE", pulumi.String(codeSourcePath)),
		envVar("WP_CODE_DIR", pulumi.String(codeDir)),
	}
}

// codeSyncContainer is the user pods' sidecar: an init container that keeps running
// (restartPolicy Always), so the kubelet starts it first and starts Apache only once its
// startup probe sees the first copy in place. A pod never serves before it has the code.
func (b *siteBuild) codeSyncContainer() *corev1.ContainerArgs {
	env := append(codeSyncEnv(),
		// How often the marker is read (one NFS lookup); config bounds it so that a change
		// reaches every user pod within the minute.
		envVar("WP_CODE_POLL_SECONDS", pulumi.String(strconv.Itoa(b.cfg.WordPress.CodeSyncSeconds))),
		// A retired copy stays while requests that started on it may still run (timeouts.go).
		envVar("WP_CODE_KEEP_SECONDS", pulumi.String(strconv.Itoa(podStop.CodeKeepSeconds()))),
		// After a swap it asks Apache in the same pod to empty opcache of the retired copy.
		envVar("WP_CODE_RESET_URL", pulumi.String("http://127.0.0.1:"+strconv.Itoa(containerPort)+"/wp-k8s-opcache-reset")),
	)
	return &corev1.ContainerArgs{
		Name:            pulumi.String(codeSyncName),
		Image:           b.azure.Image.Ref,
		ImagePullPolicy: pulumi.String("IfNotPresent"),
		// The image's entrypoint prepares a new site's share first (it may be the first pod).
		Args:          pulumi.StringArray{pulumi.String("wp-code-sync")},
		RestartPolicy: pulumi.String("Always"),
		Env:           env,
		Resources: &corev1.ResourceRequirementsArgs{
			Requests: pulumi.StringMap{
				"memory":            pulumi.String(codeSyncMemory),
				"cpu":               pulumi.String(codeSyncCPURequest),
				"ephemeral-storage": pulumi.String(codeSyncEphemeral),
			},
			Limits: pulumi.StringMap{
				"memory":            pulumi.String(codeSyncMemory),
				"ephemeral-storage": pulumi.String(codeSyncEphemeral),
			},
		},
		VolumeMounts: corev1.VolumeMountArray{
			mount("code", codeDir, ""),
			mount("wp-content", codeSourcePath, b.site.Name),
			mount("tmp", "/tmp", ""),
		},
		// Up to startupPeriodSeconds*startupFailures (5 min) for the first copy of a big site.
		StartupProbe: &corev1.ProbeArgs{
			Exec:             &corev1.ExecActionArgs{Command: pulumi.ToStringArray([]string{"test", "-L", codeDir + "/current"})},
			PeriodSeconds:    pulumi.Int(startupPeriodSeconds),
			FailureThreshold: pulumi.Int(startupFailures),
			TimeoutSeconds:   pulumi.Int(probeTimeoutSeconds),
		},
		SecurityContext: restrictedContainer(),
	}
}
