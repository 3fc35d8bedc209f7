package k8s

import (
	"fmt"
	"strconv"
	"strings"

	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	policyv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/policy/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// What the original design learnt for zero-downtime rollouts, and the health checks done better.
const (
	containerName = "wordpress"
	httpPortName  = "http"
	// containerPort: the image runs as www-data with no capabilities, so not 80.
	containerPort = 8080
	servicePort   = 80
	// startupPath answers from Apache and PHP alone, touching neither MySQL nor NFS: the
	// first start is over once PHP answers (no traffic competes for a worker yet).
	startupPath = "/healthz"
	// livenessCommand is the image's exec check: Apache's parent runs and listens. An HTTP
	// probe needs a free prefork worker, and while a slow NFS server holds all of them it
	// would restart pods exactly when storage is slow (tests/image/stall.bats); a database
	// outage must never restart pods either.
	livenessCommand = "wp-healthz"
	// readinessPath looks up a name in wp-content and runs SELECT 1 against MySQL, each with
	// a timeout: a pod whose storage or database is slow, or whose workers are all busy,
	// leaves the Service until it recovers.
	readinessPath    = "/readyz"
	minReadySeconds  = 10
	progressDeadline = 600
	revisionHistory  = 5
	// startup allows up to 5 minutes for the first start (copying WordPress into place, the
	// first NFS mount) without the 240 s fixed delay of the original, and then hands over to
	// liveness at once.
	startupPeriodSeconds   = 5
	startupFailures        = 60
	livenessPeriodSeconds  = 10
	livenessFailures       = 3
	readinessPeriodSeconds = 5
	readinessFailures      = 2
	probeTimeoutSeconds    = 3
	// contentReadySeconds bounds /readyz's wp-content lookup (WP_CONTENT_READY_TIMEOUT);
	// dbReadySeconds its MySQL connect and each read (WORDPRESS_DB_READY_TIMEOUT).
	contentReadySeconds = 2
	dbReadySeconds      = 2
	// readinessTimeoutSeconds covers /readyz's worst case: a lookup just inside its timeout,
	// then a MySQL that accepts but never answers (connect + read), plus a second.
	readinessTimeoutSeconds = contentReadySeconds + 2*dbReadySeconds + 1
	// webUID is www-data, which the image runs as and the NFS export squashes to.
	webUID = 33
	// Ephemeral storage for the writable paths: WordPress core's copy, on user pods the local
	// copies of plugins and themes (two while a swap's old copy drains), PHP's temp files.
	ephemeralRequest = "512Mi"
	ephemeralLimit   = "2Gi"
	nodeLabelKey     = "env"
)

// workload is one of a site's two Deployments.
type workload struct {
	component string // componentUser or componentAdmin
	pool      string // the env=<pool> node label it runs on
	replicas  int
}

// preStopCommand sleeps (the pod leaves the Service endpoints), stops Apache gracefully (it
// finishes what it accepted, for up to the budget's graceful stop), then sleeps again;
// wp-graceful-stop is in our image.
func preStopCommand() []string {
	return []string{"wp-graceful-stop", strconv.Itoa(podStop.DrainSeconds), strconv.Itoa(podStop.LingerSeconds)}
}

// newWorkload creates a site's Deployment for one component, its Service and its disruption
// budget.
func (b *siteBuild) newWorkload(w workload, secrets *siteSecrets, deps []pulumi.Resource) error {
	l := labels(b.site.Name, w.component)
	pod := b.podSpec(w, secrets)
	deploy, err := appsv1.NewDeployment(b.ctx, b.name(w.component), &appsv1.DeploymentArgs{
		Metadata: meta(w.component, b.namespace, l),
		Spec: &appsv1.DeploymentSpecArgs{
			Replicas:                pulumi.Int(w.replicas),
			Selector:                &metav1.LabelSelectorArgs{MatchLabels: selector(b.site.Name, w.component)},
			MinReadySeconds:         pulumi.Int(minReadySeconds),
			ProgressDeadlineSeconds: pulumi.Int(progressDeadline),
			RevisionHistoryLimit:    pulumi.Int(revisionHistory),
			// One extra pod comes up and must be ready before an old one goes.
			Strategy: &appsv1.DeploymentStrategyArgs{
				Type: pulumi.String("RollingUpdate"),
				RollingUpdate: &appsv1.RollingUpdateDeploymentArgs{
					MaxSurge:       pulumi.Int(1),
					MaxUnavailable: pulumi.Int(0),
				},
			},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{
					Labels: l,
					Annotations: pulumi.StringMap{
						annotationChecksum:                        secrets.Checksum,
						"kubectl.kubernetes.io/default-container": pulumi.String(containerName),
					},
				},
				Spec: pod,
			},
		},
	}, b.child(deps...)...)
	if err != nil {
		return fmt.Errorf("create %s deployment for site %s: %w", w.component, b.site.Name, err)
	}
	_, err = corev1.NewService(b.ctx, b.name(w.component+"-service"), &corev1.ServiceArgs{
		Metadata: meta(w.component, b.namespace, l),
		Spec: &corev1.ServiceSpecArgs{
			Type:     pulumi.String("ClusterIP"),
			Selector: selector(b.site.Name, w.component),
			Ports: corev1.ServicePortArray{&corev1.ServicePortArgs{
				Name:       pulumi.String(httpPortName),
				Port:       pulumi.Int(servicePort),
				TargetPort: pulumi.String(httpPortName),
				Protocol:   pulumi.String("TCP"),
			}},
		},
	}, b.child(deploy)...)
	if err != nil {
		return fmt.Errorf("create %s service for site %s: %w", w.component, b.site.Name, err)
	}
	// One pod at a time may be evicted (node drains, upgrades); with one replica the drain
	// still proceeds rather than blocking the node upgrade forever.
	_, err = policyv1.NewPodDisruptionBudget(b.ctx, b.name(w.component+"-pdb"), &policyv1.PodDisruptionBudgetArgs{
		Metadata: meta(w.component, b.namespace, l),
		Spec: &policyv1.PodDisruptionBudgetSpecArgs{
			MaxUnavailable: pulumi.Int(1),
			Selector:       &metav1.LabelSelectorArgs{MatchLabels: selector(b.site.Name, w.component)},
		},
	}, b.child(deploy)...)
	if err != nil {
		return fmt.Errorf("create %s disruption budget for site %s: %w", w.component, b.site.Name, err)
	}
	return nil
}

// podSpec is a WordPress pod on the component's pool.
func (b *siteBuild) podSpec(w workload, secrets *siteSecrets) *corev1.PodSpecArgs {
	httpGet := func(path string) *corev1.HTTPGetActionArgs {
		return &corev1.HTTPGetActionArgs{Path: pulumi.String(path), Port: pulumi.String(httpPortName)}
	}
	spec := b.restrictedPod(
		&corev1.VolumeArgs{
			Name:                  pulumi.String("wp-content"),
			PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSourceArgs{ClaimName: pulumi.String(b.contentClaimName())},
		},
		&corev1.VolumeArgs{
			Name:   pulumi.String("secrets"),
			Secret: &corev1.SecretVolumeSourceArgs{SecretName: pulumi.String(siteSecretName), DefaultMode: pulumi.Int(0o440)},
		},
		emptyDir("html"), emptyDir("apache-run"), emptyDir("apache-lock"),
	)
	user := w.component == componentUser
	if user {
		spec.Volumes = append(spec.Volumes.(corev1.VolumeArray), emptyDir("code"))
		spec.InitContainers = corev1.ContainerArray{b.codeSyncContainer()}
	}
	// Admin pods: the share is the docroot's wp-content. User pods: the share is
	// codeSourcePath and the docroot's wp-content a link to the local copy (codesync.go).
	contentMount := mount("wp-content", contentMountPath, b.site.Name)
	env := b.wordpressEnv()
	if user {
		contentMount = mount("wp-content", codeSourcePath, b.site.Name)
		env = append(env, codeSyncEnv()...)
	}
	mounts := corev1.VolumeMountArray{
		mount("html", "/var/www/html", ""),
		// Each site has its own directory on the shared export.
		contentMount,
		&corev1.VolumeMountArgs{Name: pulumi.String("secrets"), MountPath: pulumi.String(secretMountPath), ReadOnly: pulumi.Bool(true)},
		mount("tmp", "/tmp", ""),
		mount("apache-run", "/var/run/apache2", ""),
		mount("apache-lock", "/var/lock/apache2", ""),
	}
	if user {
		mounts = append(mounts, mount("code", codeDir, ""))
	}
	spec.TerminationGracePeriodSeconds = pulumi.Int(podStop.GracePeriodSeconds())
	spec.Affinity = &corev1.AffinityArgs{
		NodeAffinity: &corev1.NodeAffinityArgs{
			RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelectorArgs{
				NodeSelectorTerms: corev1.NodeSelectorTermArray{&corev1.NodeSelectorTermArgs{
					MatchExpressions: corev1.NodeSelectorRequirementArray{&corev1.NodeSelectorRequirementArgs{
						Key:      pulumi.String(nodeLabelKey),
						Operator: pulumi.String("In"),
						Values:   pulumi.StringArray{pulumi.String(w.pool)},
					}},
				}},
			},
		},
		// Prefer separate nodes; topology spread below does the balancing.
		PodAntiAffinity: &corev1.PodAntiAffinityArgs{
			PreferredDuringSchedulingIgnoredDuringExecution: corev1.WeightedPodAffinityTermArray{&corev1.WeightedPodAffinityTermArgs{
				Weight: pulumi.Int(100),
				PodAffinityTerm: &corev1.PodAffinityTermArgs{
					TopologyKey:   pulumi.String("kubernetes.io/hostname"),
					LabelSelector: &metav1.LabelSelectorArgs{MatchLabels: selector(b.site.Name, w.component)},
				},
			}},
		},
	}
	spec.TopologySpreadConstraints = corev1.TopologySpreadConstraintArray{&corev1.TopologySpreadConstraintArgs{
		MaxSkew:           pulumi.Int(1),
		TopologyKey:       pulumi.String("kubernetes.io/hostname"),
		WhenUnsatisfiable: pulumi.String("ScheduleAnyway"),
		LabelSelector:     &metav1.LabelSelectorArgs{MatchLabels: selector(b.site.Name, w.component)},
	}}
	spec.Containers = corev1.ContainerArray{&corev1.ContainerArgs{
		Name:            pulumi.String(containerName),
		Image:           b.azure.Image.Ref,
		ImagePullPolicy: pulumi.String("IfNotPresent"),
		Ports: corev1.ContainerPortArray{&corev1.ContainerPortArgs{
			Name: pulumi.String(httpPortName), ContainerPort: pulumi.Int(containerPort), Protocol: pulumi.String("TCP"),
		}},
		Env: env,
		// Memory request = limit: the pod is never the first to be OOM-killed under node
		// pressure, and the image's Apache is sized (MaxRequestWorkers) to fit it.
		Resources: &corev1.ResourceRequirementsArgs{
			Requests: pulumi.StringMap{
				"memory":            pulumi.String(b.cfg.WordPress.Memory),
				"cpu":               pulumi.String(b.cfg.WordPress.CPURequest),
				"ephemeral-storage": pulumi.String(ephemeralRequest),
			},
			Limits: pulumi.StringMap{
				"memory":            pulumi.String(b.cfg.WordPress.Memory),
				"ephemeral-storage": pulumi.String(ephemeralLimit),
			},
		},
		VolumeMounts: mounts,
		StartupProbe: &corev1.ProbeArgs{
			HttpGet: httpGet(startupPath), PeriodSeconds: pulumi.Int(startupPeriodSeconds),
			FailureThreshold: pulumi.Int(startupFailures), TimeoutSeconds: pulumi.Int(probeTimeoutSeconds),
		},
		LivenessProbe: &corev1.ProbeArgs{
			Exec: &corev1.ExecActionArgs{
				Command: pulumi.ToStringArray([]string{livenessCommand, strconv.Itoa(containerPort)}),
			},
			PeriodSeconds:    pulumi.Int(livenessPeriodSeconds),
			FailureThreshold: pulumi.Int(livenessFailures), TimeoutSeconds: pulumi.Int(probeTimeoutSeconds),
		},
		ReadinessProbe: &corev1.ProbeArgs{
			HttpGet: httpGet(readinessPath), PeriodSeconds: pulumi.Int(readinessPeriodSeconds),
			FailureThreshold: pulumi.Int(readinessFailures), TimeoutSeconds: pulumi.Int(readinessTimeoutSeconds),
			SuccessThreshold: pulumi.Int(1),
		},
		Lifecycle: &corev1.LifecycleArgs{
			PreStop: &corev1.LifecycleHandlerArgs{Exec: &corev1.ExecActionArgs{Command: pulumi.ToStringArray(preStopCommand())}},
		},
		SecurityContext: restrictedContainer(),
	}}
	return spec
}

// restrictedPod is the pod-level security every pod of ours gets: non-root www-data, the
// runtime's default seccomp profile, no service-account token (nothing here talks to the
// API server), no service-link variables, and a /tmp of its own.
func (b *siteBuild) restrictedPod(volumes ...*corev1.VolumeArgs) *corev1.PodSpecArgs {
	all := corev1.VolumeArray{emptyDir("tmp")}
	for _, v := range volumes {
		all = append(all, v)
	}
	return &corev1.PodSpecArgs{
		AutomountServiceAccountToken: pulumi.Bool(false),
		EnableServiceLinks:           pulumi.Bool(false),
		SecurityContext: &corev1.PodSecurityContextArgs{
			RunAsNonRoot:   pulumi.Bool(true),
			RunAsUser:      pulumi.Int(webUID),
			RunAsGroup:     pulumi.Int(webUID),
			FsGroup:        pulumi.Int(webUID),
			SeccompProfile: &corev1.SeccompProfileArgs{Type: pulumi.String("RuntimeDefault")},
		},
		Volumes: all,
	}
}

// restrictedContainer drops every capability and privilege; the root file system is read-only
// and the few paths Apache and the entrypoint write to are emptyDirs.
func restrictedContainer() *corev1.SecurityContextArgs {
	return &corev1.SecurityContextArgs{
		AllowPrivilegeEscalation: pulumi.Bool(false),
		Privileged:               pulumi.Bool(false),
		ReadOnlyRootFilesystem:   pulumi.Bool(true),
		RunAsNonRoot:             pulumi.Bool(true),
		Capabilities:             &corev1.CapabilitiesArgs{Drop: pulumi.StringArray{pulumi.String("ALL")}},
	}
}

func emptyDir(name string) *corev1.VolumeArgs {
	return &corev1.VolumeArgs{Name: pulumi.String(name), EmptyDir: &corev1.EmptyDirVolumeSourceArgs{}}
}

func mount(volume, path, subPath string) *corev1.VolumeMountArgs {
	m := &corev1.VolumeMountArgs{Name: pulumi.String(volume), MountPath: pulumi.String(path)}
	if subPath != "" {
		m.SubPath = pulumi.String(subPath)
	}
	return m
}

// wordpressEnv is the image's configuration. Secrets are files (the *_FILE variables of the
// official image), never values.
func (b *siteBuild) wordpressEnv() corev1.EnvVarArray {
	env := corev1.EnvVarArray{
		envVar("WORDPRESS_DB_HOST", pulumi.Sprintf("%s:%d", b.azure.MySQL.Host, mysqlPort)),
		envVar("WORDPRESS_DB_NAME", pulumi.String(b.site.Database)),
		envVar("WORDPRESS_DB_USER", pulumi.String(b.cfg.Names().MySQLUser(b.site.Name))),
		envVar("WORDPRESS_DB_PASSWORD_FILE", pulumi.String(secretMountPath+"/"+secretKeyDBPass)),
		// The readiness page and wp-db-provision connect over TLS too.
		envVar("WORDPRESS_DB_SSL", pulumi.String("true")),
		envVar("WORDPRESS_CONFIG_EXTRA", pulumi.String(b.configExtra())),
		// Only the ingress controllers, which live in the pod range, may set X-Forwarded-*.
		envVar("TRUSTED_PROXY_CIDRS", pulumi.String(b.cfg.Network.PodCIDR)),
		// Apache's GracefulShutdownTimeout, from the same budget as the proxy's read timeout
		// and the pod's grace period (timeouts.go).
		envVar("APACHE_GRACEFUL_SHUTDOWN_TIMEOUT", pulumi.String(strconv.Itoa(podStop.GracefulStopSeconds()))),
		// /readyz's own timeouts, which its probe's timeoutSeconds is computed from.
		envVar("WP_CONTENT_READY_TIMEOUT", pulumi.String(strconv.Itoa(contentReadySeconds))),
		envVar("WORDPRESS_DB_READY_TIMEOUT", pulumi.String(strconv.Itoa(dbReadySeconds))),
		// On both sides: user pods store and serve the pages, admin pods purge them.
		envVar("WP_PAGE_CACHE", pulumi.String(onOff(b.cfg.WordPress.PageCache))),
	}
	for _, k := range wordpressKeys {
		env = append(env, envVar("WORDPRESS_"+k+"_FILE", pulumi.String(secretMountPath+"/"+SecretFile(k))))
	}
	if s := b.cfg.SMTP; s.Host != "" {
		env = append(env,
			envVar("SMTP_HOST", pulumi.String(s.Host)),
			envVar("SMTP_PORT", pulumi.String(strconv.Itoa(s.Port))),
			envVar("SMTP_SECURE", pulumi.String(s.Secure)),
			envVar("SMTP_FROM", pulumi.String(s.From)),
		)
		if s.FromName != "" {
			env = append(env, envVar("SMTP_FROM_NAME", pulumi.String(s.FromName)))
		}
		if s.User != "" {
			env = append(env,
				envVar("SMTP_USER", pulumi.String(s.User)),
				envVar("SMTP_PASSWORD_FILE", pulumi.String(secretMountPath+"/"+secretKeySMTPPass)),
			)
		}
	}
	return env
}

func envVar(name string, value pulumi.StringInput) *corev1.EnvVarArgs {
	return &corev1.EnvVarArgs{Name: pulumi.String(name), Value: value}
}

// configExtra is PHP the official image's wp-config.php evaluates. Host names are validated
// DNS names, so they are safe inside single quotes.
func (b *siteBuild) configExtra() string {
	url := "https://" + b.site.Hosts[0]
	return strings.Join([]string{
		// Behind the ingress WordPress sees plain http on port 8080; these pin the public URL.
		fmt.Sprintf("define('WP_HOME', '%s');", url),
		fmt.Sprintf("define('WP_SITEURL', '%s');", url),
		"define('FORCE_SSL_ADMIN', true);",
		// Azure requires TLS (require_secure_transport=ON).
		"define('MYSQL_CLIENT_FLAGS', MYSQLI_CLIENT_SSL);",
		// Cron runs from a CronJob, not on page views.
		"define('DISABLE_WP_CRON', true);",
		// Core comes with the image: a core update on one pod would leave the others on the
		// old code against a migrated database.
		"define('WP_AUTO_UPDATE_CORE', false);",
		"define('DISALLOW_FILE_EDIT', true);",
		// On user pods (WP_CODE_DIR set) the code comes from the pod's local copy; a no-op on
		// admin pods (codesync.go).
		"require_once '/usr/local/share/wp-k8s/local-code.php';",
	}, "\n")
}

// onOff spells a switch the way the image's settings read it.
func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}
