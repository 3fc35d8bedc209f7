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
	for k, v := range plainTags(cfg) {
		out[k] = pulumi.String(v)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		out[extra[i]] = pulumi.String(extra[i+1])
	}
	return out
}

// plainTags are the tags every resource carries, as plain values for what Azure creates on
// the program's behalf (the snapshots the backup workflow takes).
func plainTags(cfg config.Config) map[string]string {
	out := map[string]string{}
	for k, v := range cfg.Tags {
		out[k] = v
	}
	out["project"] = cfg.Project
	out["stack"] = cfg.Stack
	return out
}

// stateful returns the options for a resource that holds user data: Pulumi refuses to delete or
// replace it unless the stack turned deletionProtection off, the explicit opt-in to lose data.
func stateful(cfg config.Config, opts ...pulumi.ResourceOption) []pulumi.ResourceOption {
	return append(opts, pulumi.Protect(cfg.DeletionProtection))
}
