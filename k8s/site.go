package k8s

import (
	"fmt"

	"github.com/example/wordpress-aks/config"
	"github.com/example/wordpress-aks/infra"
	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// siteType is the component's type token; `pulumi preview` groups each site under it.
const siteType = "wordpress-aks:k8s:Site"

// Site is one WordPress blog with everything it runs on inside the cluster.
type Site struct {
	pulumi.ResourceState
	// Namespace is the site's namespace.
	Namespace string
	// URL is the site's canonical https URL.
	URL string
}

// SiteArgs is what a site is built from.
type SiteArgs struct {
	Config     config.Config
	Site       config.Site
	Azure      *infra.Outputs
	Provider   *kubernetes.Provider
	Controller *Controller
	System     *System
	// Secrets are the site's generated secrets, made by the caller (see SiteSecrets).
	Secrets SiteSecrets
}

// SiteURN returns the URN New gives the component of the site named site. The program aliases
// the site's passwords with it: they were the component's children before they moved out of
// this layer, and an alias keeps their values instead of generating new ones.
func SiteURN(ctx *pulumi.Context, site string) pulumi.URNOutput {
	return pulumi.CreateURN(pulumi.String(site), pulumi.String(siteType), nil, pulumi.String(ctx.Project()), pulumi.String(ctx.Stack()))
}

// siteBuild carries what the site's parts share while they are created.
type siteBuild struct {
	ctx       *pulumi.Context
	cfg       config.Config
	site      config.Site
	azure     *infra.Outputs
	namespace string
	// opts makes a resource a child of the site; Kubernetes children inherit its provider.
	opts []pulumi.ResourceOption
}

// child returns the options for a child resource, with extra dependencies.
func (b *siteBuild) child(deps ...pulumi.Resource) []pulumi.ResourceOption {
	opts := append([]pulumi.ResourceOption{}, b.opts...)
	if len(deps) > 0 {
		opts = append(opts, pulumi.DependsOn(deps))
	}
	return opts
}

// name prefixes a logical name with the site's, so names stay unique across sites.
func (b *siteBuild) name(part string) string { return b.site.Name + "-" + part }

// NewSite creates one site as a component: its namespace, secrets, wp-content volume, database
// user, Deployments, Services, Ingress, policies and cron.
func NewSite(ctx *pulumi.Context, name string, args *SiteArgs, opts ...pulumi.ResourceOption) (*Site, error) {
	if err := args.Secrets.check(args.Site.Name); err != nil {
		return nil, err
	}
	s := &Site{
		Namespace: args.Config.Names().SiteNamespace(args.Site.Name),
		URL:       infra.SiteURL(args.Site),
	}
	opts = append(opts, pulumi.Providers(args.Provider))
	if err := ctx.RegisterComponentResource(siteType, name, s, opts...); err != nil {
		return nil, fmt.Errorf("register site %s: %w", name, err)
	}
	b := &siteBuild{
		ctx:       ctx,
		cfg:       args.Config,
		site:      args.Site,
		azure:     args.Azure,
		namespace: s.Namespace,
		opts:      []pulumi.ResourceOption{pulumi.Parent(s)},
	}

	ns, err := corev1.NewNamespace(ctx, b.name("namespace"), &corev1.NamespaceArgs{
		Metadata: &metav1.ObjectMetaArgs{
			Name: pulumi.String(b.namespace),
			Labels: pulumi.StringMap{
				labelPartOf:   pulumi.String(partOf),
				labelInstance: pulumi.String(b.site.Name),
				// Every pod of a site meets the restricted Pod Security Standard.
				"pod-security.kubernetes.io/enforce": pulumi.String("restricted"),
			},
		},
	}, b.child()...)
	if err != nil {
		return nil, fmt.Errorf("create namespace for site %s: %w", name, err)
	}

	secrets, err := b.newSecrets(ns, args.System, args.Secrets)
	if err != nil {
		return nil, err
	}
	policies, err := b.newPolicies(ns)
	if err != nil {
		return nil, err
	}
	dbUser, err := b.newDatabaseUser(secrets, args.System)
	if err != nil {
		return nil, err
	}
	volume, err := b.newContentVolume(ns)
	if err != nil {
		return nil, err
	}
	// Pods start only when everything they need exists: the ingress controller (or the first
	// rollout is unreachable), the secret, the database user, the volume, the image and the
	// right to pull it.
	deps := []pulumi.Resource{args.Controller.Release, secrets.Secret, dbUser, volume, args.Azure.AcrPull}
	deps = append(deps, policies...)
	if args.Azure.Image.Build != nil {
		deps = append(deps, args.Azure.Image.Build)
	}
	for _, w := range []workload{
		{component: componentUser, pool: "user", replicas: b.site.UserReplicas},
		{component: componentAdmin, pool: "admin", replicas: b.site.AdminReplicas},
	} {
		// Each Deployment also waits for the pool its pods select.
		if err := b.newWorkload(w, secrets, append(deps[:len(deps):len(deps)], args.Azure.NodePools[w.pool])); err != nil {
			return nil, err
		}
	}
	if err := b.newIngress(ns, args.Controller); err != nil {
		return nil, err
	}
	if err := b.newCron(deps); err != nil {
		return nil, err
	}

	if err := ctx.RegisterResourceOutputs(s, pulumi.Map{
		"namespace": pulumi.String(s.Namespace),
		"url":       pulumi.String(s.URL),
	}); err != nil {
		return nil, fmt.Errorf("register site %s outputs: %w", name, err)
	}
	return s, nil
}
