package k8s

import (
	"fmt"

	"github.com/example/wordpress-aks/config"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	networkingv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/networking/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const (
	// tlsSecretName holds the site's certificate in both TLS modes: from the stack config
	// (provided) or written and renewed by cert-manager (letsencrypt).
	tlsSecretName = "tls"
	ingressName   = "wordpress"
)

// ingressNames are the Kubernetes and Pulumi names of the Ingresses of host number i of a
// site. The first host's master keeps the names of the single Ingress sites had before the
// edge rules, so an existing stack updates it in place.
func ingressNames(i int) (k8sName, logical string) {
	if i == 0 {
		return ingressName, "ingress"
	}
	return fmt.Sprintf("%s-%d", ingressName, i), fmt.Sprintf("ingress-%d", i)
}

// newIngress creates the site's certificate (the TLS secret from the stack config, or a
// cert-manager Certificate) and, per host, a master Ingress with the server-wide edge rules and
// one minion Ingress per route (edgerules.go).
func (b *siteBuild) newIngress(ns *corev1.Namespace, controller *Controller) error {
	tls, err := b.newCertificate(ns, controller)
	if err != nil {
		return err
	}
	routes := edgeRoutes(b.cfg, b.site)
	lbls := labels(b.site.Name, appWordPress)
	for i, host := range b.site.Hosts {
		name, logical := ingressNames(i)
		master, err := networkingv1.NewIngress(b.ctx, b.name(logical), &networkingv1.IngressArgs{
			Metadata: annotated(name, b.namespace, lbls, masterAnnotations(b.cfg, b.site)),
			Spec: &networkingv1.IngressSpecArgs{
				IngressClassName: pulumi.String(ingressClassName),
				Tls: networkingv1.IngressTLSArray{&networkingv1.IngressTLSArgs{
					Hosts:      pulumi.StringArray{pulumi.String(host)},
					SecretName: pulumi.String(tlsSecretName),
				}},
				// A master carries no paths; its minions do.
				Rules: networkingv1.IngressRuleArray{&networkingv1.IngressRuleArgs{Host: pulumi.String(host)}},
			},
		}, b.child(tls, controller.Release)...)
		if err != nil {
			return fmt.Errorf("create ingress %s for site %s: %w", name, b.site.Name, err)
		}
		for _, r := range routes {
			_, err := networkingv1.NewIngress(b.ctx, b.name(logical+"-"+r.part), &networkingv1.IngressArgs{
				Metadata: annotated(name+"-"+r.part, b.namespace, lbls, minionAnnotations(b.site, r)),
				Spec: &networkingv1.IngressSpecArgs{
					IngressClassName: pulumi.String(ingressClassName),
					Rules: networkingv1.IngressRuleArray{&networkingv1.IngressRuleArgs{
						Host: pulumi.String(host),
						Http: &networkingv1.HTTPIngressRuleValueArgs{Paths: networkingv1.HTTPIngressPathArray{
							&networkingv1.HTTPIngressPathArgs{
								Path:     pulumi.String(r.path),
								PathType: pulumi.String(r.pathType),
								Backend: &networkingv1.IngressBackendArgs{Service: &networkingv1.IngressServiceBackendArgs{
									Name: pulumi.String(r.component),
									Port: &networkingv1.ServiceBackendPortArgs{Name: pulumi.String(httpPortName)},
								}},
							},
						}},
					}},
				},
			}, b.child(master)...)
			if err != nil {
				return fmt.Errorf("create ingress %s-%s for site %s: %w", name, r.part, b.site.Name, err)
			}
		}
	}
	return nil
}

// newCertificate makes the site's TLS secret: from the stack config in provided mode; in
// letsencrypt mode cert-manager writes it from a Certificate covering every host, and a network
// policy lets the controller reach the short-lived HTTP-01 solver pods cert-manager starts in
// the site's namespace (which otherwise denies everything).
func (b *siteBuild) newCertificate(ns *corev1.Namespace, controller *Controller) (pulumi.Resource, error) {
	if b.cfg.TLSMode() == config.TLSModeProvided {
		tls, err := corev1.NewSecret(b.ctx, b.name("tls-secret"), &corev1.SecretArgs{
			Metadata: meta(tlsSecretName, b.namespace, labels(b.site.Name, appWordPress)),
			Type:     pulumi.String("kubernetes.io/tls"),
			StringData: pulumi.StringMap{
				"tls.crt": b.cfg.TLSCertificate.Output(),
				"tls.key": b.cfg.TLSPrivateKey.Output(),
			},
		}, b.child(ns)...)
		if err != nil {
			return nil, fmt.Errorf("create tls secret for site %s: %w", b.site.Name, err)
		}
		return tls, nil
	}
	if controller.Issuer == nil {
		return nil, fmt.Errorf("site %s: tls.mode is letsencrypt but the ingress controller has no certificate issuer", b.site.Name)
	}
	if _, err := policy(b.ctx, b.name("acme-solver"), "acme-solver", b.namespace,
		pulumi.StringMap{acmeSolverLabel: pulumi.String("true")},
		networkingv1.NetworkPolicyIngressRuleArray{&networkingv1.NetworkPolicyIngressRuleArgs{
			From: networkingv1.NetworkPolicyPeerArray{&networkingv1.NetworkPolicyPeerArgs{
				NamespaceSelector: &metav1.LabelSelectorArgs{MatchLabels: pulumi.StringMap{
					"kubernetes.io/metadata.name": pulumi.String(controller.Namespace),
				}},
			}},
			Ports: networkingv1.NetworkPolicyPortArray{tcp(acmeSolverPort)},
		}},
		nil, b.child(ns)...); err != nil {
		return nil, err
	}
	return newSiteCertificate(b.ctx, b.name("certificate"), b.namespace, b.site, controller, b.child(ns, controller.Issuer)...)
}

// annotated is meta with annotations.
func annotated(name, namespace string, l pulumi.StringMap, annotations map[string]string) *metav1.ObjectMetaArgs {
	m := meta(name, namespace, l)
	m.Annotations = pulumi.ToStringMap(annotations)
	return m
}
