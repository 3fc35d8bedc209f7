// Package infra builds the Azure half of the environment: one file per Azure concern, each
// returning the few values later code needs. New wires them and returns Outputs, which the
// Kubernetes layer consumes.
package infra

import (
	"github.com/example/wordpress-aks/config"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// tags returns the tags every taggable resource carries: the stack's own, then project and stack
// (which the config may not override), then any extra pairs such as the site.
func tags(cfg config.Config, extra ...string) pulumi.StringMap {
	out := pulumi.StringMap{}
	for k, v := range cfg.Tags {
		out[k] = pulumi.String(v)
	}
	out["project"] = pulumi.String(cfg.Project)
	out["stack"] = pulumi.String(cfg.Stack)
	for i := 0; i+1 < len(extra); i += 2 {
		out[extra[i]] = pulumi.String(extra[i+1])
	}
	return out
}

// stateful returns the options for a resource that holds user data: Pulumi refuses to delete or
// replace it unless the stack turned deletionProtection off, the explicit opt-in to lose data.
func stateful(cfg config.Config, opts ...pulumi.ResourceOption) []pulumi.ResourceOption {
	return append(opts, pulumi.Protect(cfg.DeletionProtection))
}
