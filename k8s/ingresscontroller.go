package k8s

import (
	"fmt"

	"github.com/example/wordpress-aks/config"
	"github.com/example/wordpress-aks/infra"
	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	helmv3 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/helm/v3"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The ingress controller. The 2020 design's stable/nginx-ingress chart was deprecated in 2020
// and the community ingress-nginx controller it became was retired in 2026; F5's NGINX Ingress
// Controller is the maintained NGINX one and serves standard networking.k8s.io/v1 Ingresses.
const (
	// ingressChart is F5's chart in its OCI registry; the version comes from config
	// (ingress.chartVersion, default config.DefaultIngressChartVersion).
	ingressChart = "oci://ghcr.io/nginx/charts/nginx-ingress"
	// ingressRelease is the Helm release name; the chart derives the pods'
	// app.kubernetes.io/instance label from it.
	ingressRelease = "nginx-ingress"
	// ingressChartName is the chart's name, its pods' app.kubernetes.io/name label.
	ingressChartName = "nginx-ingress"
	ingressClassName = "nginx"
	// maxUploadSize matches the image's PHP upload_max_filesize and post_max_size.
	maxUploadSize = "64m"
	// Service annotations AKS reads to bind a pre-created static IP (the Service's
	// loadBalancerIP field is deprecated).
	annotationPIPName       = "service.beta.kubernetes.io/azure-pip-name"
	annotationPIPGroup      = "service.beta.kubernetes.io/azure-load-balancer-resource-group"
	ingressHelmTimeoutSecs  = 600
	ingressHelmHistoryLimit = 5
)

// Controller is the installed ingress controller, for dependency edges and policies, and in
// tls.mode letsencrypt the certificate issuer the sites' Certificates name.
type Controller struct {
	Release   pulumi.Resource
	Namespace string
	// Issuer is cert-manager's ClusterIssuer and IssuerName its name; nil and empty in
	// provided mode.
	Issuer     pulumi.Resource
	IssuerName string
}

// NewIngressController installs the controller with Helm and binds its LoadBalancer Service to
// the static IP; in tls.mode letsencrypt it also installs cert-manager and the ClusterIssuer
// that answers challenges through this controller (certmanager.go). The release waits for the role that lets AKS use the IP: without it the
// Service would sit in Pending and Helm's wait would time out.
func NewIngressController(ctx *pulumi.Context, cfg config.Config, azure *infra.Outputs, provider *kubernetes.Provider) (*Controller, error) {
	nsName := cfg.Names().IngressNamespace()
	ns, err := corev1.NewNamespace(ctx, "ingress-namespace", &corev1.NamespaceArgs{
		Metadata: &metav1.ObjectMetaArgs{
			Name: pulumi.String(nsName),
			Labels: pulumi.StringMap{
				labelPartOf: pulumi.String(partOf),
				// The chart's pods add NET_BIND_SERVICE and its defaults change between
				// versions: enforce baseline, and warn where they fall short of restricted.
				"pod-security.kubernetes.io/enforce": pulumi.String("baseline"),
				"pod-security.kubernetes.io/warn":    pulumi.String("restricted"),
			},
		},
	}, pulumi.Provider(provider))
	if err != nil {
		return nil, fmt.Errorf("create ingress namespace: %w", err)
	}

	release, err := helmv3.NewRelease(ctx, "ingress-controller", &helmv3.ReleaseArgs{
		Name:          pulumi.String(ingressRelease),
		Chart:         pulumi.String(ingressChart),
		Version:       pulumi.String(cfg.Ingress.ChartVersion),
		Namespace:     pulumi.String(nsName),
		Atomic:        pulumi.Bool(true),
		CleanupOnFail: pulumi.Bool(true),
		Timeout:       pulumi.Int(ingressHelmTimeoutSecs),
		MaxHistory:    pulumi.Int(ingressHelmHistoryLimit),
		Values:        ingressValues(cfg, azure),
	}, pulumi.Provider(provider), pulumi.DependsOn([]pulumi.Resource{ns, azure.IngressIP.Resource, azure.IngressIPRole}))
	if err != nil {
		return nil, fmt.Errorf("install ingress controller: %w", err)
	}
	c := &Controller{Release: release, Namespace: nsName}
	if cfg.TLSMode() == config.TLSModeLetsEncrypt {
		// The issuer answers challenges through this controller's ingress class.
		issuer, err := newCertManager(ctx, cfg, provider)
		if err != nil {
			return nil, err
		}
		c.Issuer, c.IssuerName = issuer, issuerName(cfg)
	}
	return c, nil
}

// ingressValues are the chart values (keys from the chart's values.yaml).
func ingressValues(cfg config.Config, azure *infra.Outputs) pulumi.Map {
	podLabels := pulumi.StringMap{
		labelName:     pulumi.String(ingressChartName),
		labelInstance: pulumi.String(ingressRelease),
	}
	controller := pulumi.Map{
		"replicaCount": pulumi.Int(cfg.Ingress.Replicas),
		"ingressClass": pulumi.Map{
			"name":                pulumi.String(ingressClassName),
			"create":              pulumi.Bool(true),
			"setAsDefaultIngress": pulumi.Bool(false),
		},
		"service": pulumi.Map{
			"type": pulumi.String("LoadBalancer"),
			// Local keeps the client's address (no second hop through another node) and
			// makes the Azure load balancer send traffic only to nodes running a controller.
			"externalTrafficPolicy": pulumi.String("Local"),
			"annotations": pulumi.Map{
				annotationPIPName:  pulumi.String(azure.IngressIP.Name),
				annotationPIPGroup: azure.IngressIP.ResourceGroup,
			},
		},
		// Spread over nodes so one node going away never takes every controller with it.
		"topologySpreadConstraints": pulumi.Array{pulumi.Map{
			"maxSkew":           pulumi.Int(1),
			"topologyKey":       pulumi.String("kubernetes.io/hostname"),
			"whenUnsatisfiable": pulumi.String("ScheduleAnyway"),
			"labelSelector":     pulumi.Map{"matchLabels": podLabels},
		}},
		"resources": pulumi.Map{
			// The capacity check in config counts the same requests.
			"requests": pulumi.Map{"cpu": pulumi.String(config.IngressCPURequest), "memory": pulumi.String(config.IngressMemoryRequest)},
			"limits":   pulumi.Map{"memory": pulumi.String(config.IngressMemoryLimit)},
		},
		"healthStatus": pulumi.Bool(true),
		// The edge rules (edgerules.go) need server and location snippets; the controller
		// refuses an Ingress carrying them otherwise. Only this program writes the sites'
		// Ingresses (and cert-manager its solvers'), and an account that may write an Ingress
		// could already send a host's traffic anywhere.
		"enableSnippets": pulumi.Bool(true),
		"config": pulumi.Map{"entries": pulumi.Map{
			"client-max-body-size": pulumi.String(maxUploadSize),
			"server-tokens":        pulumi.String("False"),
			// The request budget the pods' graceful stop is derived from (timeouts.go).
			"proxy-read-timeout": pulumi.String(podStop.ProxyReadTimeout()),
		}},
	}
	if cfg.Ingress.Replicas > 1 {
		// At most one controller down at a time: a node drain waits for the other.
		controller["podDisruptionBudget"] = pulumi.Map{
			"enabled":        pulumi.Bool(true),
			"maxUnavailable": pulumi.Int(1),
		}
	}
	return pulumi.Map{
		"controller": controller,
		// No Prometheus in this environment; Container Insights collects what we alert on.
		"prometheus": pulumi.Map{"create": pulumi.Bool(false)},
	}
}
