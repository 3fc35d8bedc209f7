package k8s

import (
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Recommended Kubernetes labels (kubernetes.io/docs/concepts/overview/working-with-objects/
// common-labels). Selectors use name, instance and component; the rest is for people.
const (
	labelName      = "app.kubernetes.io/name"
	labelInstance  = "app.kubernetes.io/instance"
	labelComponent = "app.kubernetes.io/component"
	labelPartOf    = "app.kubernetes.io/part-of"
	labelManagedBy = "app.kubernetes.io/managed-by"

	appWordPress = "wordpress"
	partOf       = "wordpress-aks"
)

// Components of a site, as the component label spells them.
const (
	componentUser  = "user"
	componentAdmin = "admin"
	componentCron  = "cron"
	componentDB    = "db-provision"
)

// selector is the label set that picks one component of one site.
func selector(site, component string) pulumi.StringMap {
	return pulumi.StringMap{
		labelName:      pulumi.String(appWordPress),
		labelInstance:  pulumi.String(site),
		labelComponent: pulumi.String(component),
	}
}

// labels is selector plus the descriptive labels.
func labels(site, component string) pulumi.StringMap {
	l := selector(site, component)
	l[labelPartOf] = pulumi.String(partOf)
	l[labelManagedBy] = pulumi.String("pulumi")
	return l
}

// meta is the metadata of a namespaced object.
func meta(name, namespace string, l pulumi.StringMap) *metav1.ObjectMetaArgs {
	return &metav1.ObjectMetaArgs{Name: pulumi.String(name), Namespace: pulumi.String(namespace), Labels: l}
}
