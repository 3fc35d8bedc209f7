package k8s

import (
	"fmt"

	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	networkingv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/networking/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const (
	tlsSecretName = "tls"
	ingressName   = "wordpress"
)

// adminPaths go to the admin pods (env=admin nodes, compute-optimised): the dashboard and the
// login page, whose password hashing is the CPU-heavy part of a login. Everything else, the
// public pages, goes to the user pods.
var adminPaths = []struct {
	path, pathType string
}{
	{"/wp-admin", "Prefix"},
	{"/wp-login.php", "Exact"},
}

// newIngress creates the site's TLS secret, from the certificate in the stack config, and its
// Ingress.
func (b *siteBuild) newIngress(ns *corev1.Namespace, controller *Controller) error {
	tls, err := corev1.NewSecret(b.ctx, b.name("tls-secret"), &corev1.SecretArgs{
		Metadata: meta(tlsSecretName, b.namespace, labels(b.site.Name, appWordPress)),
		Type:     pulumi.String("kubernetes.io/tls"),
		StringData: pulumi.StringMap{
			"tls.crt": b.cfg.TLSCertificate.Output(),
			"tls.key": b.cfg.TLSPrivateKey.Output(),
		},
	}, b.child(ns)...)
	if err != nil {
		return fmt.Errorf("create tls secret for site %s: %w", b.site.Name, err)
	}
	backend := func(service string) *networkingv1.IngressBackendArgs {
		return &networkingv1.IngressBackendArgs{Service: &networkingv1.IngressServiceBackendArgs{
			Name: pulumi.String(service),
			Port: &networkingv1.ServiceBackendPortArgs{Name: pulumi.String(httpPortName)},
		}}
	}
	paths := networkingv1.HTTPIngressPathArray{}
	for _, p := range adminPaths {
		paths = append(paths, &networkingv1.HTTPIngressPathArgs{
			Path: pulumi.String(p.path), PathType: pulumi.String(p.pathType), Backend: backend(componentAdmin),
		})
	}
	paths = append(paths, &networkingv1.HTTPIngressPathArgs{
		Path: pulumi.String("/"), PathType: pulumi.String("Prefix"), Backend: backend(componentUser),
	})
	hosts := pulumi.StringArray{}
	rules := networkingv1.IngressRuleArray{}
	for _, h := range b.site.Hosts {
		hosts = append(hosts, pulumi.String(h))
		rules = append(rules, &networkingv1.IngressRuleArgs{
			Host: pulumi.String(h),
			Http: &networkingv1.HTTPIngressRuleValueArgs{Paths: paths},
		})
	}
	_, err = networkingv1.NewIngress(b.ctx, b.name("ingress"), &networkingv1.IngressArgs{
		Metadata: meta(ingressName, b.namespace, labels(b.site.Name, appWordPress)),
		Spec: &networkingv1.IngressSpecArgs{
			IngressClassName: pulumi.String(ingressClassName),
			Tls: networkingv1.IngressTLSArray{&networkingv1.IngressTLSArgs{
				Hosts:      hosts,
				SecretName: pulumi.String(tlsSecretName),
			}},
			Rules: rules,
		},
	}, b.child(tls, controller.Release)...)
	if err != nil {
		return fmt.Errorf("create ingress for site %s: %w", b.site.Name, err)
	}
	return nil
}
