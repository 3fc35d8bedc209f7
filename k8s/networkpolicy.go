package k8s

import (
	"fmt"

	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	networkingv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/networking/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Network policy building blocks. Each namespace we own starts from deny-all in both
// directions; every allowed flow is a rule below.

// policy creates one NetworkPolicy. A nil rule list leaves that direction alone; an empty one
// denies it. The spec is written in the form the API server stores, so that a server-side
// apply of the same policy changes nothing: an empty pod selector is `{}` (not `matchLabels:
// {}`), and a denied direction is only named in policyTypes (an `ingress: []` the server drops
// on storing would be sent again, and counted as a change, on every apply).
func policy(ctx *pulumi.Context, logical, name, namespace string, podSelector pulumi.StringMap, ingress networkingv1.NetworkPolicyIngressRuleArray, egress networkingv1.NetworkPolicyEgressRuleArray, opts ...pulumi.ResourceOption) (*networkingv1.NetworkPolicy, error) {
	spec := &networkingv1.NetworkPolicySpecArgs{PodSelector: &metav1.LabelSelectorArgs{}}
	if len(podSelector) > 0 {
		spec.PodSelector = &metav1.LabelSelectorArgs{MatchLabels: podSelector}
	}
	types := pulumi.StringArray{}
	if ingress != nil {
		types = append(types, pulumi.String("Ingress"))
		if len(ingress) > 0 {
			spec.Ingress = ingress
		}
	}
	if egress != nil {
		types = append(types, pulumi.String("Egress"))
		if len(egress) > 0 {
			spec.Egress = egress
		}
	}
	spec.PolicyTypes = types
	np, err := networkingv1.NewNetworkPolicy(ctx, logical, &networkingv1.NetworkPolicyArgs{
		Metadata: meta(name, namespace, pulumi.StringMap{labelPartOf: pulumi.String(partOf)}),
		Spec:     spec,
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("create network policy %s/%s: %w", namespace, name, err)
	}
	return np, nil
}

// denyAll selects every pod of the namespace and allows nothing either way.
func denyAll(ctx *pulumi.Context, logical, namespace string, opts ...pulumi.ResourceOption) error {
	_, err := policy(ctx, logical, "default-deny", namespace, nil,
		networkingv1.NetworkPolicyIngressRuleArray{}, networkingv1.NetworkPolicyEgressRuleArray{}, opts...)
	return err
}

func tcp(port int) *networkingv1.NetworkPolicyPortArgs {
	return &networkingv1.NetworkPolicyPortArgs{Protocol: pulumi.String("TCP"), Port: pulumi.Int(port)}
}

// dnsEgress allows DNS to the cluster's CoreDNS pods only.
func dnsEgress() *networkingv1.NetworkPolicyEgressRuleArgs {
	return &networkingv1.NetworkPolicyEgressRuleArgs{
		To: networkingv1.NetworkPolicyPeerArray{&networkingv1.NetworkPolicyPeerArgs{
			NamespaceSelector: &metav1.LabelSelectorArgs{MatchLabels: pulumi.StringMap{"kubernetes.io/metadata.name": pulumi.String("kube-system")}},
			PodSelector:       &metav1.LabelSelectorArgs{MatchLabels: pulumi.StringMap{"k8s-app": pulumi.String("kube-dns")}},
		}},
		Ports: networkingv1.NetworkPolicyPortArray{
			&networkingv1.NetworkPolicyPortArgs{Protocol: pulumi.String("UDP"), Port: pulumi.Int(53)},
			tcp(53),
		},
	}
}

// cidrEgress allows one TCP port to an address range.
func cidrEgress(cidr string, port int) *networkingv1.NetworkPolicyEgressRuleArgs {
	return &networkingv1.NetworkPolicyEgressRuleArgs{
		To:    networkingv1.NetworkPolicyPeerArray{&networkingv1.NetworkPolicyPeerArgs{IpBlock: &networkingv1.IPBlockArgs{Cidr: pulumi.String(cidr)}}},
		Ports: networkingv1.NetworkPolicyPortArray{tcp(port)},
	}
}

// privateRanges are never reachable through internetEgress: the VNet, the pods, Azure's
// instance metadata and wireserver endpoints.
var privateRanges = []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "168.63.129.16/32"}

// internetEgress allows one TCP port to public addresses only.
func internetEgress(port int) *networkingv1.NetworkPolicyEgressRuleArgs {
	except := pulumi.StringArray{}
	for _, r := range privateRanges {
		except = append(except, pulumi.String(r))
	}
	return &networkingv1.NetworkPolicyEgressRuleArgs{
		To:    networkingv1.NetworkPolicyPeerArray{&networkingv1.NetworkPolicyPeerArgs{IpBlock: &networkingv1.IPBlockArgs{Cidr: pulumi.String("0.0.0.0/0"), Except: except}}},
		Ports: networkingv1.NetworkPolicyPortArray{tcp(port)},
	}
}
