package tests

// The sites' generated secrets are an input of the Kubernetes layer (issue 15): the program makes
// them with pulumi-random and hands them to k8s.New, so that the layer registers no random
// resource (the random provider cannot run where the engine tier runs) and can be handed Pulumi
// secrets of a test's own. These tests check the move kept existing stacks' passwords (aliases to
// their old parent), that the layer no longer reaches pulumi-random, that what is handed in lands
// in the Secrets as Pulumi secrets, and that a caller's incomplete secrets touch nothing.
// Package-level names start with secIn: other files of this package are written at the same time.

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/example/wordpress-aks/config"
	"github.com/example/wordpress-aks/infra"
	"github.com/example/wordpress-aks/k8s"
	"github.com/example/wordpress-aks/program"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// secInPasswordType is pulumi-random's RandomPassword token, as stored in existing stacks' state.
const secInPasswordType = "random:index/randomPassword:RandomPassword"

// secInSitePasswords are the logical names (after "<site>-") of a site's generated passwords.
var secInSitePasswords = append([]string{"db-password"}, gWordPressKeyFiles...)

// secInMonitor is gMonitor plus what it does not keep: each registration's RPC (its parent and
// its aliases).
type secInMonitor struct {
	*gMonitor
	rpcMu sync.Mutex
	rpcs  map[string]*pulumirpc.RegisterResourceRequest
}

func (m *secInMonitor) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.rpcMu.Lock()
	m.rpcs[args.Name] = args.RegisterRPC
	m.rpcMu.Unlock()
	return m.gMonitor.NewResource(args)
}

// secInRun runs f under a recording mock with a stack file's config in the environment the way
// the language host passes it.
func secInRun(t *testing.T, stack string, f func(ctx *pulumi.Context, cfg config.Config) error) (*secInMonitor, error) {
	t.Helper()
	src := gStackSource(t, stack)
	env, err := src.Env()
	if err != nil {
		t.Fatalf("encode config: %v", err)
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
	mon := &secInMonitor{gMonitor: &gMonitor{src: src}, rpcs: map[string]*pulumirpc.RegisterResourceRequest{}}
	err = pulumi.RunErr(func(ctx *pulumi.Context) error {
		cfg, err := config.Load(ctx.Project(), ctx.Stack(), src)
		if err != nil {
			return err
		}
		return f(ctx, cfg)
	}, pulumi.WithMocks(graphProject, stack, mon))
	return mon, err
}

// secInAliasURNs resolves a registration's aliases to URNs the way the engine does: a spec's
// empty name, type, stack and project are the resource's own, an empty parent its current one.
func secInAliasURNs(stack string, rpc *pulumirpc.RegisterResourceRequest) []string {
	var out []string
	for _, a := range rpc.GetAliases() {
		if u := a.GetUrn(); u != "" {
			out = append(out, u)
			continue
		}
		spec := a.GetSpec()
		if spec == nil {
			continue
		}
		or := func(v, def string) string {
			if v == "" {
				return def
			}
			return v
		}
		name, typ := or(spec.GetName(), rpc.GetName()), or(spec.GetType(), rpc.GetType())
		st, proj := or(spec.GetStack(), stack), or(spec.GetProject(), graphProject)
		parent := spec.GetParentUrn()
		switch {
		case spec.GetNoParent():
			parent = ""
		case parent == "":
			parent = rpc.GetParent()
		}
		prefix := "urn:pulumi:" + st + "::" + proj + "::"
		if parent != "" && !strings.Contains(parent, "::pulumi:pulumi:Stack::") {
			prefix = parent[:strings.LastIndex(parent, "::")] + "$"
		}
		out = append(out, prefix+typ+"::"+name)
	}
	return out
}

// TestSecretsInputAliases runs the real program and checks every site password: a
// RandomPassword at the stack's root, under its old logical name, with one alias that resolves
// to the URN it had as the Site component's child. Without that alias an existing stack's next
// `pulumi up` would replace all of them: new database passwords and keys, every user logged out.
func TestSecretsInputAliases(t *testing.T) {
	for _, stack := range graphStacks {
		t.Run(stack, func(t *testing.T) {
			mon, err := secInRun(t, stack, func(ctx *pulumi.Context, _ config.Config) error { return program.Run(ctx) })
			if err != nil {
				t.Fatalf("run %s: %v", stack, err)
			}
			for _, site := range gSiteNames(gWants[stack]) {
				// The component's URN as the monitor sees it, through a child's parent.
				siteURN := fmt.Sprintf("urn:pulumi:%s::%s::wordpress-aks:k8s:Site::%s", stack, graphProject, site)
				ns, ok := mon.rpcs[site+"-namespace"]
				if !ok {
					t.Fatalf("no %s-namespace registered", site)
				}
				if got := ns.GetParent(); got != siteURN {
					t.Fatalf("site %s's component is %q, want %q (the URN the old passwords hang from)", site, got, siteURN)
				}
				for _, part := range secInSitePasswords {
					name := site + "-" + part
					rpc, ok := mon.rpcs[name]
					if !ok {
						t.Errorf("no %s registered", name)
						continue
					}
					if rpc.GetType() != secInPasswordType {
						t.Errorf("%s is a %s, want a %s", name, rpc.GetType(), secInPasswordType)
					}
					if p := rpc.GetParent(); p != "" && !strings.Contains(p, "::pulumi:pulumi:Stack::") {
						t.Errorf("%s has parent %s, want the stack", name, p)
					}
					old := fmt.Sprintf("urn:pulumi:%s::%s::wordpress-aks:k8s:Site$%s::%s", stack, graphProject, secInPasswordType, name)
					if got := secInAliasURNs(stack, rpc); len(got) != 1 || got[0] != old {
						t.Errorf("%s aliases %v, want exactly [%s]", name, got, old)
					}
				}
			}
		})
	}
}

// secInValues returns the secret values a test hands to the layer for a config's sites, each
// distinct and long enough to be looked for.
func secInValues(cfg config.Config) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, site := range cfg.Sites {
		v := map[string]string{"db-password": "handed-in/" + site.Name + "/db-password/Zq7-x.Wm"}
		for _, k := range k8s.WordPressKeys() {
			v[k8s.SecretFile(k)] = "handed-in/" + site.Name + "/" + k + "/Pk3_r~Tn"
		}
		out[site.Name] = v
	}
	return out
}

// secInSecrets turns values into the layer's input, as Pulumi secrets or, to check that the
// layer keeps them secret anyway, as plain outputs.
func secInSecrets(values map[string]map[string]string, secret bool) map[string]k8s.SiteSecrets {
	wrap := func(s string) pulumi.StringOutput {
		if secret {
			return pulumi.ToSecret(pulumi.String(s)).(pulumi.StringOutput)
		}
		return pulumi.String(s).ToStringOutput()
	}
	out := map[string]k8s.SiteSecrets{}
	for site, v := range values {
		s := k8s.SiteSecrets{DBPassword: wrap(v["db-password"]), AuthKeys: map[string]pulumi.StringOutput{}}
		for _, k := range k8s.WordPressKeys() {
			s.AuthKeys[k] = wrap(v[k8s.SecretFile(k)])
		}
		out[site] = s
	}
	return out
}

// secInRandoms returns the logical names of the random resources a run registered.
func secInRandoms(m *gMonitor) []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for _, r := range m.regs {
		if strings.HasPrefix(r.Type, "random:") {
			out = append(out, r.Name)
		}
	}
	sort.Strings(out)
	return out
}

// TestSecretsInputHandedIn builds the Azure layer and then the real Kubernetes layer with
// secrets of the test's own, as the engine tier does: the layer adds no random resource to
// what the Azure layer registers, and each site's Secret and the Job's copy hold exactly the
// values handed in, as Pulumi secrets, even when they were handed in plain; no value shows
// outside a secret anywhere.
func TestSecretsInputHandedIn(t *testing.T) {
	const stack = "dev"
	azureOnly, err := secInRun(t, stack, func(ctx *pulumi.Context, cfg config.Config) error {
		_, err := infra.New(ctx, cfg)
		return err
	})
	if err != nil {
		t.Fatalf("azure layer alone: %v", err)
	}
	for _, secret := range []bool{true, false} {
		t.Run("secret="+strconv.FormatBool(secret), func(t *testing.T) {
			var values map[string]map[string]string
			mon, err := secInRun(t, stack, func(ctx *pulumi.Context, cfg config.Config) error {
				azure, err := infra.New(ctx, cfg)
				if err != nil {
					return err
				}
				values = secInValues(cfg)
				_, err = k8s.New(ctx, cfg, azure, secInSecrets(values, secret))
				return err
			})
			if err != nil {
				t.Fatalf("both layers: %v", err)
			}
			if got, want := secInRandoms(mon.gMonitor), secInRandoms(azureOnly.gMonitor); !gEqualStrings(got, want) {
				t.Errorf("random resources with the Kubernetes layer are %v, the Azure layer's alone %v", got, want)
			}
			if len(values) == 0 {
				t.Fatal("no sites in the config")
			}
			for site, want := range values {
				if got := gRawSecretMap(t, mon.find(t, site+"-secret"), "stringData"); !gEqualMaps(got, want) {
					t.Errorf("Secret wordpress of %s holds %v, want the values handed in under %v", site, gKeys(got), gKeys(want))
				}
				db := gRawSecretMap(t, mon.find(t, site+"-db-secret"), "stringData")
				if len(db) != 1 || db["password"] != want["db-password"] {
					t.Errorf("db-%s secret holds %v, want only the database password handed in", site, gKeys(db))
				}
			}
			mon.mu.Lock()
			defer mon.mu.Unlock()
			for _, r := range mon.regs {
				for k, v := range r.Inputs {
					gWalkPlain(v, r.Name+"."+string(k), func(path, s string) {
						for site, vs := range values {
							for key, secretValue := range vs {
								if strings.Contains(s, secretValue) {
									t.Errorf("%s holds %s's %s outside a secret", path, site, key)
								}
							}
						}
					})
				}
			}
		})
	}
}

// TestSecretsInputRefused hands the layer incomplete or stray secrets: each is refused before
// any resource, naming the site and the key, never a value.
func TestSecretsInputRefused(t *testing.T) {
	tests := []struct {
		name   string
		change func(s map[string]k8s.SiteSecrets)
		want   string
	}{
		{"no secrets for a site", func(s map[string]k8s.SiteSecrets) { delete(s, "tech") }, "site tech: no secrets handed in"},
		{"no database password", func(s map[string]k8s.SiteSecrets) {
			v := s["tech"]
			v.DBPassword = pulumi.StringOutput{}
			s["tech"] = v
		}, "site tech: secrets lack DBPassword"},
		{"a key missing", func(s map[string]k8s.SiteSecrets) { delete(s["azure"].AuthKeys, "NONCE_SALT") }, "site azure: secrets lack NONCE_SALT"},
		{"an unknown key", func(s map[string]k8s.SiteSecrets) {
			s["azure"].AuthKeys["AUTH_PEPPER"] = pulumi.ToSecret(pulumi.String("handed-in/pepper")).(pulumi.StringOutput)
		}, "site azure: secrets hold unknown keys AUTH_PEPPER"},
		{"a site the config lacks", func(s map[string]k8s.SiteSecrets) { s["shop"] = s["tech"] }, "secrets handed in for sites the config lacks: [shop]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var values map[string]map[string]string
			mon, err := secInRun(t, "dev", func(ctx *pulumi.Context, cfg config.Config) (err error) {
				values = secInValues(cfg)
				s := secInSecrets(values, true)
				tt.change(s)
				// No Azure layer: the check comes before the layer reads it, and a layer that
				// went on would dereference nil.
				defer func() {
					if r := recover(); r != nil {
						err = fmt.Errorf("k8s.New went past its checks to the Azure layer: %v", r)
					}
				}()
				_, err = k8s.New(ctx, cfg, nil, s)
				return err
			})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error is %v, want one containing %q", err, tt.want)
			}
			for _, vs := range values {
				for _, v := range vs {
					if strings.Contains(err.Error(), v) {
						t.Errorf("error %q shows a secret value", err)
					}
				}
			}
			if n := mon.count(); n != 0 {
				t.Errorf("%d resources registered before the error", n)
			}
		})
	}
}

// TestSecretsInputImports checks the Kubernetes layer's source: it imports no pulumi-random, and
// calls no function of the Azure layer that registers (directly or through other functions of
// that package) a random resource. The Azure layer itself still uses pulumi-random (the name
// suffix, the MySQL admin password), so k8s's transitive imports still hold it: what matters to
// the engine tier is that calling the layer registers none, which TestSecretsInputHandedIn runs.
func TestSecretsInputImports(t *testing.T) {
	root, err := infra.ProjectRoot()
	if err != nil {
		t.Fatal(err)
	}
	const randomPath = "github.com/pulumi/pulumi-random/sdk/v4/go/random"
	const infraPath = "github.com/example/wordpress-aks/infra"
	fset := token.NewFileSet()
	parse := func(dir string) map[string]*ast.File {
		t.Helper()
		paths, err := filepath.Glob(filepath.Join(root, dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		files := map[string]*ast.File{}
		for _, p := range paths {
			if strings.HasSuffix(p, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, p, nil, 0)
			if err != nil {
				t.Fatalf("parse %s: %v", p, err)
			}
			files[filepath.Base(p)] = f
		}
		if len(files) == 0 {
			t.Fatalf("no Go files in %s", dir)
		}
		return files
	}
	// importName returns the name a file uses for an import path, or "" when it lacks it.
	importName := func(f *ast.File, path string) string {
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == path {
				if imp.Name != nil {
					return imp.Name.Name
				}
				return path[strings.LastIndex(path, "/")+1:]
			}
		}
		return ""
	}

	// Which of infra's functions reach pulumi-random: directly, or by calling one that does.
	direct := map[string]bool{}
	calls := map[string][]string{}
	for _, f := range parse("infra") {
		random := importName(f, randomPath)
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || fn.Body == nil {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.SelectorExpr:
					if id, ok := x.X.(*ast.Ident); ok && random != "" && id.Name == random {
						direct[fn.Name.Name] = true
					}
				case *ast.CallExpr:
					if id, ok := x.Fun.(*ast.Ident); ok {
						calls[fn.Name.Name] = append(calls[fn.Name.Name], id.Name)
					}
				}
				return true
			})
		}
	}
	reaches := map[string]bool{}
	for name := range direct {
		reaches[name] = true
	}
	for changed := true; changed; {
		changed = false
		for fn, callees := range calls {
			for _, c := range callees {
				if reaches[c] && !reaches[fn] {
					reaches[fn], changed = true, true
				}
			}
		}
	}
	// A control: the analysis must see what is known to reach random.
	for _, fn := range []string{"NewPassword", "New"} {
		if !reaches[fn] {
			t.Fatalf("the analysis does not see infra.%s reach pulumi-random (reaching: %v)", fn, secInKeys(reaches))
		}
	}

	for file, f := range parse("k8s") {
		if importName(f, randomPath) != "" {
			t.Errorf("k8s/%s imports %s", file, randomPath)
		}
		in := importName(f, infraPath)
		if in == "" {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if x, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := x.X.(*ast.Ident); ok && id.Name == in && reaches[x.Sel.Name] {
					t.Errorf("k8s/%s:%d uses infra.%s, which registers random resources", file, fset.Position(x.Pos()).Line, x.Sel.Name)
				}
			}
			return true
		})
	}
}

// secInKeys returns a set's members, sorted.
func secInKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
