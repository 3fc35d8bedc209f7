package k8s

import (
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	networkingv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/networking/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const (
	nfsPort   = 2049
	httpsPort = 443
)

// newPolicies fences the site's namespace: nothing in or out but what a WordPress pod needs.
//   - in: the ingress controller to the web pods; the cron pods to the admin pods.
//   - out, web pods: DNS, MySQL's subnet, the NFS server, and the SMTP relay when configured.
//   - out, admin pods: HTTPS to the internet as well, for plugin, theme and translation updates
//     from wordpress.org (the public user pods get no internet at all).
//   - out, cron pods: DNS and the admin pods.
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
		cidrEgress(b.azure.NFS.ServerIP+"/32", nfsPort),
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
