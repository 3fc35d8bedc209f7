package k8s

import (
	"fmt"

	"github.com/example/wordpress-aks/config"
	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apiextensions"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	helmv3 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/helm/v3"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Certificates that renew themselves (tls.mode letsencrypt): cert-manager, installed with its
// own chart, holds a Let's Encrypt ACME account (a ClusterIssuer) and keeps one Certificate per
// site valid, renewing it 30 days before it expires (cert-manager's default for Let's
// Encrypt's 90-day certificates). Challenges are HTTP-01 through the ingress class: wildcard
// names would need DNS-01 and a DNS credential, so config refuses them in this mode.
const (
	certManagerChart     = "oci://quay.io/jetstack/charts/cert-manager"
	certManagerRelease   = "cert-manager"
	certManagerNamespace = "cert-manager"
	certManagerAPI       = "cert-manager.io/v1"

	letsEncryptProduction = "https://acme-v02.api.letsencrypt.org/directory"
	letsEncryptStaging    = "https://acme-staging-v02.api.letsencrypt.org/directory"

	// acmeSolverLabel marks the HTTP-01 solver pods cert-manager starts
	// (SolverIdentificationLabelKey in cert-manager's pkg/apis/acme/v1), and acmeSolverPort
	// is where they listen (acmeSolverListenPort in pkg/issuer/acme/http).
	acmeSolverLabel = "acme.cert-manager.io/http01-solver"
	acmeSolverPort  = 8089

	certManagerHelmTimeoutSecs = 600
)

// issuerName is the ClusterIssuer's name; staging has its own so that switching never
// reuses the other endpoint's ACME account key.
func issuerName(cfg config.Config) string {
	if cfg.TLS.Staging {
		return "letsencrypt-staging"
	}
	return "letsencrypt"
}

// newCertManager installs cert-manager with its CRDs and creates the ClusterIssuer. Helm keeps
// the CRDs when the release is removed (crds.keep), since removing them would delete every
// Certificate and the secrets' owner records with them.
func newCertManager(ctx *pulumi.Context, cfg config.Config, provider *kubernetes.Provider) (pulumi.Resource, error) {
	ns, err := corev1.NewNamespace(ctx, "cert-manager-namespace", &corev1.NamespaceArgs{
		Metadata: &metav1.ObjectMetaArgs{
			Name: pulumi.String(certManagerNamespace),
			Labels: pulumi.StringMap{
				labelPartOf: pulumi.String(partOf),
				// cert-manager's chart runs its pods as non-root with the runtime's seccomp
				// profile and no capabilities.
				"pod-security.kubernetes.io/enforce": pulumi.String("restricted"),
			},
		},
	}, pulumi.Provider(provider))
	if err != nil {
		return nil, fmt.Errorf("create cert-manager namespace: %w", err)
	}
	release, err := helmv3.NewRelease(ctx, "cert-manager", &helmv3.ReleaseArgs{
		Name:          pulumi.String(certManagerRelease),
		Chart:         pulumi.String(certManagerChart),
		Version:       pulumi.String(cfg.TLS.CertManagerChartVersion),
		Namespace:     pulumi.String(certManagerNamespace),
		Atomic:        pulumi.Bool(true),
		CleanupOnFail: pulumi.Bool(true),
		Timeout:       pulumi.Int(certManagerHelmTimeoutSecs),
		MaxHistory:    pulumi.Int(ingressHelmHistoryLimit),
		// Keys from the chart's values.yaml.
		Values: pulumi.Map{
			"crds": pulumi.Map{"enabled": pulumi.Bool(true), "keep": pulumi.Bool(true)},
			// The chart requests nothing; these make the scheduler reserve what the capacity
			// check in config counts. No surge pod on upgrades: renewals can wait a minute,
			// and the small dev pools have no room for three more pods.
			"resources":  certManagerResources(),
			"strategy":   certManagerStrategy(),
			"webhook":    pulumi.Map{"resources": certManagerResources(), "strategy": certManagerStrategy()},
			"cainjector": pulumi.Map{"resources": certManagerResources(), "strategy": certManagerStrategy()},
			// Its lease in its own namespace rather than kube-system.
			"global": pulumi.Map{"leaderElection": pulumi.Map{"namespace": pulumi.String(certManagerNamespace)}},
		},
	}, pulumi.Provider(provider), pulumi.DependsOn([]pulumi.Resource{ns}))
	if err != nil {
		return nil, fmt.Errorf("install cert-manager: %w", err)
	}
	server := letsEncryptProduction
	if cfg.TLS.Staging {
		server = letsEncryptStaging
	}
	name := issuerName(cfg)
	issuer, err := apiextensions.NewCustomResource(ctx, "cluster-issuer", &apiextensions.CustomResourceArgs{
		ApiVersion: pulumi.String(certManagerAPI),
		Kind:       pulumi.String("ClusterIssuer"),
		Metadata: &metav1.ObjectMetaArgs{
			Name:   pulumi.String(name),
			Labels: pulumi.StringMap{labelPartOf: pulumi.String(partOf)},
		},
		OtherFields: kubernetes.UntypedArgs{"spec": pulumi.Map{"acme": pulumi.Map{
			"email":  pulumi.String(cfg.TLS.Email),
			"server": pulumi.String(server),
			// cert-manager creates the account key here on first use.
			"privateKeySecretRef": pulumi.Map{"name": pulumi.String(name + "-account-key")},
			"solvers": pulumi.Array{pulumi.Map{"http01": pulumi.Map{"ingress": pulumi.Map{
				"ingressClassName": pulumi.String(ingressClassName),
				// The controller admits a second Ingress for a host only as a minion of
				// the host's master; as a minion the challenge path also skips the login
				// rate limit and allowlist, which live on other minions.
				"ingressTemplate": pulumi.Map{"metadata": pulumi.Map{
					"annotations": pulumi.StringMap{annotationMergeable: pulumi.String(mergeableMinion)},
				}},
			}}}},
		}}},
	}, pulumi.Provider(provider), pulumi.DependsOn([]pulumi.Resource{release}))
	if err != nil {
		return nil, fmt.Errorf("create cluster issuer: %w", err)
	}
	return issuer, nil
}

// newSiteCertificate asks cert-manager for one certificate covering every host of the site,
// written to the secret the site's Ingresses name.
func newSiteCertificate(ctx *pulumi.Context, logical, namespace string, site config.Site, controller *Controller, opts ...pulumi.ResourceOption) (pulumi.Resource, error) {
	cert, err := apiextensions.NewCustomResource(ctx, logical, &apiextensions.CustomResourceArgs{
		ApiVersion: pulumi.String(certManagerAPI),
		Kind:       pulumi.String("Certificate"),
		Metadata:   meta(tlsSecretName, namespace, labels(site.Name, appWordPress)),
		OtherFields: kubernetes.UntypedArgs{"spec": pulumi.Map{
			"secretName": pulumi.String(tlsSecretName),
			"dnsNames":   pulumi.ToStringArray(site.Hosts),
			"issuerRef": pulumi.Map{
				"name":  pulumi.String(controller.IssuerName),
				"kind":  pulumi.String("ClusterIssuer"),
				"group": pulumi.String("cert-manager.io"),
			},
			// A new key with every renewal, so a leaked key expires with its certificate.
			"privateKey": pulumi.Map{"rotationPolicy": pulumi.String("Always")},
		}},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("create certificate for site %s: %w", site.Name, err)
	}
	return cert, nil
}

// certManagerResources are the requests of each cert-manager pod.
func certManagerResources() pulumi.Map {
	return pulumi.Map{"requests": pulumi.Map{
		"cpu":    pulumi.String(config.CertManagerCPURequest),
		"memory": pulumi.String(config.CertManagerMemoryRequest),
	}}
}

// certManagerStrategy replaces each pod in place on upgrades.
func certManagerStrategy() pulumi.Map {
	return pulumi.Map{"type": pulumi.String("RollingUpdate"), "rollingUpdate": pulumi.Map{
		"maxSurge": pulumi.Int(0), "maxUnavailable": pulumi.Int(1),
	}}
}
