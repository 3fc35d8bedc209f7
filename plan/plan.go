// Package plan runs the Pulumi program for one stack file under Pulumi's mock monitor, with no
// credentials and no network, and reports every resource it would register: type, logical name,
// parent, dependencies, protection and inputs, with every secret replaced by "[secret]". cmd/plan
// is its command line; the resource-graph tests read the same plan.
package plan

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/example/wordpress-aks/config"
	"github.com/example/wordpress-aks/program"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Secret is what every secret value becomes in a plan.
const Secret = "[secret]"

// Plan is what a stack would create.
type Plan struct {
	Stack     string     `json:"stack"`
	Resources []Resource `json:"resources"`
	// Placeholders names the config keys the stack file lacks that the plan filled with
	// generated stand-ins (credentials a user sets once per machine).
	Placeholders []string `json:"placeholders,omitempty"`
	// Config is the stack's validated config, for tools that read the plan in-process (the
	// cost estimate's ceiling, for one). It is not written out.
	Config config.Config `json:"-"`
}

// Resource is one registered resource.
type Resource struct {
	Type      string   `json:"type"`
	Name      string   `json:"name"`
	Parent    string   `json:"parent"`
	DependsOn []string `json:"dependsOn"`
	Protect   bool     `json:"protect"`
	// RetainOnDelete leaves the Azure resource in place when Pulumi deletes it.
	RetainOnDelete bool           `json:"retainOnDelete,omitempty"`
	Inputs         map[string]any `json:"inputs"`
	// Provider is the logical name of the explicit provider, if any.
	Provider string `json:"provider,omitempty"`
	// ProviderVersion is the provider plugin version the resource asks for; empty lets the
	// engine pick any installed plugin of its package.
	ProviderVersion string `json:"providerVersion,omitempty"`
}

// Options tune a plan run.
type Options struct {
	// Root is where Pulumi.yaml and the stack files are; empty means search upwards from the
	// working directory. The program itself finds images/ from the working directory, as it
	// does under the engine.
	Root string
	// Strict refuses to fill missing credentials with placeholders.
	Strict bool
}

// Run plans the stack named stack from Pulumi.<stack>.yaml.
func Run(stack string, opts Options) (*Plan, error) {
	src, project, placeholders, err := ReadStack(opts.Root, stack, opts.Strict)
	if err != nil {
		return nil, err
	}
	p, err := RunSource(project, stack, src)
	if err != nil {
		return nil, err
	}
	p.Placeholders = placeholders
	return p, nil
}

// RunSource plans a stack from an in-memory config, as the engine would pass it.
func RunSource(project, stack string, src config.Source) (*Plan, error) {
	env, err := src.Env()
	if err != nil {
		return nil, err
	}
	// The program reads its config the way it does under the engine: from the two variables
	// the language host sets. Plans run one at a time in a process (the tests do not run them
	// in parallel), so setting and restoring them is safe.
	restore := setEnv(env)
	defer restore()

	rec := &recorder{}
	err = pulumi.RunErr(program.Run, pulumi.WithMocks(project, stack, rec))
	var probs config.Problems
	if errors.As(err, &probs) {
		// The run wraps the program's error in a list; the config's problems read best alone.
		return nil, probs
	}
	if err != nil {
		return nil, err
	}
	p, err := assemble(stack, rec.regs)
	if err != nil {
		return nil, err
	}
	// The program validated the same config already; this cannot fail where it succeeded.
	if p.Config, err = config.Load(project, stack, src); err != nil {
		return nil, err
	}
	if err := checkResourceTraps(p); err != nil {
		return nil, err
	}
	return p, nil
}

// checkResourceTraps refuses resource types that bill a large minimum whatever their use,
// unless the stack's cost.allow names them. The program creates none today; this catches a
// change that would, in the pull request's plan.
func checkResourceTraps(p *Plan) error {
	var found []string
	for _, r := range p.Resources {
		for prefix, trap := range config.ResourceTraps {
			if strings.HasPrefix(r.Type, prefix) && !p.Config.Allows(trap) {
				found = append(found, fmt.Sprintf("%s (%s): %s; add %q to cost.allow to accept it", r.Name, r.Type, trap.Why, trap.Name))
			}
		}
	}
	if len(found) > 0 {
		sort.Strings(found)
		return fmt.Errorf("the plan holds cost traps:\n  %s", strings.Join(found, "\n  "))
	}
	return nil
}

// assemble turns the registrations into plan resources, sorted by layer, type and name.
func assemble(stack string, regs []registration) (*Plan, error) {
	p := &Plan{Stack: stack}
	seen := map[string]string{}
	for _, r := range regs {
		if r.args.TypeToken == "pulumi:pulumi:Stack" {
			continue
		}
		if other, dup := seen[r.args.Name]; dup {
			return nil, fmt.Errorf("logical name %q is used by %s and %s; plans need unique names", r.args.Name, other, r.args.TypeToken)
		}
		seen[r.args.Name] = r.args.TypeToken
		res := Resource{
			Type:      r.args.TypeToken,
			Name:      r.args.Name,
			DependsOn: []string{},
			Inputs:    toJSON(r.args.Inputs).(map[string]any),
		}
		if rpc := r.args.RegisterRPC; rpc != nil {
			res.Parent = nameOfURN(rpc.GetParent())
			res.Protect = rpc.GetProtect()
			res.RetainOnDelete = rpc.GetRetainOnDelete()
			deps := map[string]bool{}
			for _, d := range rpc.GetDependencies() {
				deps[nameOfURN(d)] = true
			}
			for _, pd := range rpc.GetPropertyDependencies() {
				for _, d := range pd.GetUrns() {
					deps[nameOfURN(d)] = true
				}
			}
			for d := range deps {
				res.DependsOn = append(res.DependsOn, d)
			}
			sort.Strings(res.DependsOn)
			if prov := rpc.GetProvider(); prov != "" {
				res.Provider = providerName(prov)
			}
			res.ProviderVersion = rpc.GetVersion()
		}
		p.Resources = append(p.Resources, res)
	}
	sort.SliceStable(p.Resources, func(i, j int) bool {
		a, b := p.Resources[i], p.Resources[j]
		if la, lb := layerOrder(Layer(a.Type)), layerOrder(Layer(b.Type)); la != lb {
			return la < lb
		}
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		return a.Name < b.Name
	})
	return p, nil
}

// nameOfURN returns the logical name at the end of a URN ("urn:pulumi:s::p::t::name").
func nameOfURN(urn string) string {
	if urn == "" {
		return ""
	}
	i := strings.LastIndex(urn, "::")
	if i < 0 {
		return urn
	}
	name := urn[i+2:]
	if strings.Contains(urn, "::pulumi:pulumi:Stack::") {
		return ""
	}
	return name
}

// providerName returns the logical name in a provider reference ("<urn>::<id>").
func providerName(ref string) string {
	i := strings.LastIndex(ref, "::")
	if i < 0 {
		return ref
	}
	return nameOfURN(ref[:i])
}

// toJSON converts property values to plain JSON values, secrets replaced.
func toJSON(v any) any {
	switch x := v.(type) {
	case resource.PropertyMap:
		out := map[string]any{}
		for k, pv := range x {
			out[string(k)] = toJSON(pv)
		}
		return out
	case resource.PropertyValue:
		switch {
		case x.IsSecret():
			// Keep a secret object's shape (its keys are not secret) so that a manifest still
			// decodes as its kind; every value in it becomes "[secret]".
			return redactLeaves(toJSON(x.SecretValue().Element))
		case x.IsNull():
			return nil
		case x.IsComputed():
			return "[unknown]"
		case x.IsOutput():
			o := x.OutputValue()
			if o.Secret {
				return redactLeaves(toJSON(o.Element))
			}
			if !o.Known {
				return "[unknown]"
			}
			return toJSON(o.Element)
		case x.IsObject():
			return toJSON(x.ObjectValue())
		case x.IsArray():
			arr := x.ArrayValue()
			out := make([]any, len(arr))
			for i, e := range arr {
				out[i] = toJSON(e)
			}
			return out
		case x.IsAsset():
			a := x.AssetValue()
			return map[string]any{"asset": a.Path, "hash": a.Hash}
		case x.IsArchive():
			return map[string]any{"archive": x.ArchiveValue().Path}
		case x.IsResourceReference():
			return nameOfURN(string(x.ResourceReferenceValue().URN))
		}
		return x.Mappable()
	}
	return v
}

// redactLeaves replaces every scalar in v with Secret.
func redactLeaves(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = redactLeaves(e)
		}
		return x
	case []any:
		for i := range x {
			x[i] = redactLeaves(x[i])
		}
		return x
	}
	return Secret
}
