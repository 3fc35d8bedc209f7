package k8s

import (
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	networkingv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/networking/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const (
	httpsPort = 443
	// The ingress controller pods' container ports: the chart's defaults
	// (controller.containerPort.http and .https in F5's chart values), which ingressValues keeps.
	controllerHTTPPort  = 80
	controllerHTTPSPort = 443
)

// newPolicies fences the site's namespace: nothing in or out but what a WordPress pod needs.
//   - in: the ingress controller to the web pods; the cron pods to the admin pods.
//   - out, web pods: DNS, MySQL's subnet, the ingress controller pods (the site's own public
//     URL), and the SMTP relay when configured.
//   - out, admin pods: HTTPS to the internet as well, for plugin, theme and translation updates
//     from wordpress.org (the public user pods get no internet at all).
//   - out, cron pods: DNS and the admin pods.
//
// No rule allows NFS: the kubelet mounts the wp-content volume from the node, outside the pod's
// network namespace, so the pods' policies never see that traffic (the NFS VM's NSG limits it).
func (b *siteBuild) newPolicies(ns *corev1.Namespace) ([]pulumi.Resource, error) {
	opts := b.child(ns)
	if err := denyAll(b.ctx, b.name("default-deny"), b.namespace, opts...); err != nil {
		return nil, err
	}
	fromIngress := &networkingv1.NetworkPolicyIngressRuleArgs{
		From: networkingv1.NetworkPolicyPeerArray{&networkingv1.NetworkPolicyPeerArgs{
			NamespaceSelector: &metav1.LabelSelectorArgs{MatchLabels: pulumi.StringMap{
				"kubernetes.io/metadata.name": pulumi.String(b.cfg.Names().IngressNamespace()),
			}},
		}},
		Ports: networkingv1.NetworkPolicyPortArray{tcp(containerPort)},
	}
	webEgress := networkingv1.NetworkPolicyEgressRuleArray{
		dnsEgress(),
		cidrEgress(b.cfg.Network.MySQLSubnetCIDR, mysqlPort),
		b.toIngressController(),
	}
	if b.cfg.SMTP.Host != "" {
		webEgress = append(webEgress, internetEgress(b.cfg.SMTP.Port))
	}
	var out []pulumi.Resource
	for _, c := range []string{componentUser, componentAdmin} {
		np, err := policy(b.ctx, b.name(c+"-traffic"), c+"-traffic", b.namespace,
			selector(b.site.Name, c),
			networkingv1.NetworkPolicyIngressRuleArray{fromIngress},
			webEgress, opts...)
		if err != nil {
			return nil, err
		}
		out = append(out, np)
	}
	fromCron := &networkingv1.NetworkPolicyIngressRuleArgs{
		From: networkingv1.NetworkPolicyPeerArray{&networkingv1.NetworkPolicyPeerArgs{
			PodSelector: &metav1.LabelSelectorArgs{MatchLabels: selector(b.site.Name, componentCron)},
		}},
		Ports: networkingv1.NetworkPolicyPortArray{tcp(containerPort)},
	}
	adminExtra, err := policy(b.ctx, b.name("admin-extra"), "admin-extra", b.namespace,
		selector(b.site.Name, componentAdmin),
		networkingv1.NetworkPolicyIngressRuleArray{fromCron},
		networkingv1.NetworkPolicyEgressRuleArray{internetEgress(httpsPort)}, opts...)
	if err != nil {
		return nil, err
	}
	toAdmin := &networkingv1.NetworkPolicyEgressRuleArgs{
		To: networkingv1.NetworkPolicyPeerArray{&networkingv1.NetworkPolicyPeerArgs{
			PodSelector: &metav1.LabelSelectorArgs{MatchLabels: selector(b.site.Name, componentAdmin)},
		}},
		Ports: networkingv1.NetworkPolicyPortArray{tcp(containerPort)},
	}
	cron, err := policy(b.ctx, b.name("cron-traffic"), "cron-traffic", b.namespace,
		selector(b.site.Name, componentCron),
		nil,
		networkingv1.NetworkPolicyEgressRuleArray{dnsEgress(), toAdmin}, opts...)
	if err != nil {
		return nil, err
	}
	return append(out, adminExtra, cron), nil
}

// toIngressController lets a pod reach the site's own public URL (WordPress's loopback and
// Site Health requests, admin-ajax.php called over the public URL, plugins that call their own
// site). With Cilium's kube-proxy replacement a pod's connection to the ingress load balancer's
// public address is translated, on the node, to a controller pod, and the policy sees that pod:
// the "public addresses" rules never match it. So the rule names exactly the controller pods,
// by the labels the chart gives them (from the release and chart name), on their HTTP and
// HTTPS container ports.
func (b *siteBuild) toIngressController() *networkingv1.NetworkPolicyEgressRuleArgs {
	return &networkingv1.NetworkPolicyEgressRuleArgs{
		To: networkingv1.NetworkPolicyPeerArray{&networkingv1.NetworkPolicyPeerArgs{
			NamespaceSelector: &metav1.LabelSelectorArgs{MatchLabels: pulumi.StringMap{
				"kubernetes.io/metadata.name": pulumi.String(b.cfg.Names().IngressNamespace()),
			}},
			PodSelector: &metav1.LabelSelectorArgs{MatchLabels: pulumi.StringMap{
				labelName:     pulumi.String(ingressChartName),
				labelInstance: pulumi.String(ingressRelease),
			}},
		}},
		Ports: networkingv1.NetworkPolicyPortArray{tcp(controllerHTTPPort), tcp(controllerHTTPSPort)},
	}
}
