package tests

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/example/wordpress-aks/config"
	"github.com/example/wordpress-aks/cost"
	"github.com/example/wordpress-aks/infra"
	"github.com/example/wordpress-aks/plan"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
)

func stackRoot(t *testing.T) string {
	t.Helper()
	root, err := infra.ProjectRoot()
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// TestStackPulumiYamlDeclaresEveryKey loads Pulumi.yaml with Pulumi's own project loader (which
// validates it against the project schema) and checks that it declares exactly the program's
// config keys, with the program's defaults.
func TestStackPulumiYamlDeclaresEveryKey(t *testing.T) {
	proj, err := workspace.LoadProject(filepath.Join(stackRoot(t), "Pulumi.yaml"))
	if err != nil {
		t.Fatalf("load Pulumi.yaml: %v", err)
	}
	defaults := stackDefaultsJSON(t)
	var declared []string
	for key, decl := range proj.Config {
		declared = append(declared, key)
		if decl.Description == "" {
			t.Errorf("%s: no description", key)
		}
		want, ok := defaults[key]
		if !ok {
			t.Errorf("%s is declared in Pulumi.yaml but the program reads no such key", key)
			continue
		}
		if decl.Default == nil {
			if !stackRequired[key] {
				t.Errorf("%s has no default in Pulumi.yaml (the CLI would make it required)", key)
			}
			continue
		}
		got := stackNormalize(t, decl.Default)
		if !reflect.DeepEqual(got, want) {
			gb, _ := json.Marshal(got)
			wb, _ := json.Marshal(want)
			t.Errorf("%s: Pulumi.yaml default %s, program default %s", key, gb, wb)
		}
	}
	for key := range defaults {
		if _, ok := proj.Config[key]; !ok {
			t.Errorf("the program reads %s but Pulumi.yaml does not declare it", key)
		}
	}
	sort.Strings(declared)
	if len(declared) != len(defaults) {
		t.Errorf("Pulumi.yaml declares %d keys, the program reads %d", len(declared), len(defaults))
	}
}

// stackRequired are the keys without a default: a stack must set them.
var stackRequired = map[string]bool{"sites": true, "sshPublicKey": true, "tlsCertificate": true, "tlsPrivateKey": true}

// stackDefaultsJSON is config.Defaults() as JSON values by top-level key.
func stackDefaultsJSON(t *testing.T) map[string]any {
	t.Helper()
	d := config.Defaults()
	out := map[string]any{}
	v := reflect.ValueOf(d)
	for i := range v.NumField() {
		f := v.Type().Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		if f.Type == reflect.TypeOf(config.Secret{}) {
			out[name] = ""
			continue
		}
		out[name] = stackNormalize(t, v.Field(i).Interface())
	}
	return out
}

// stackNormalize turns a value into plain JSON values; nil lists become empty ones, as YAML's
// [] and Go's nil slice mean the same default.
func stackNormalize(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(stackSimplify(v))
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return stackNilToEmpty(out)
}

func stackSimplify(v any) any {
	switch x := v.(type) {
	case map[any]any:
		out := map[string]any{}
		for k, e := range x {
			out[k.(string)] = stackSimplify(e)
		}
		return out
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			out[k] = stackSimplify(e)
		}
		return out
	case []any:
		for i := range x {
			x[i] = stackSimplify(x[i])
		}
	}
	return v
}

func stackNilToEmpty(v any) any {
	switch x := v.(type) {
	case nil:
		return []any{}
	case map[string]any:
		for k, e := range x {
			x[k] = stackNilToEmpty(e)
		}
	case []any:
		for i := range x {
			x[i] = stackNilToEmpty(x[i])
		}
	}
	return v
}

// TestStackFilesLoad reads both stack files the way the CLI hands them to the program and loads
// them through the program's own config code.
func TestStackFilesLoad(t *testing.T) {
	tests := []struct {
		stack string
		check func(t *testing.T, c config.Config)
	}{
		{"dev", func(t *testing.T, c config.Config) {
			for _, p := range c.Pools() {
				if p.Pool().Count != 1 {
					t.Errorf("dev %s pool: %d nodes, want 1", p.Role, p.Pool().Count)
				}
			}
			if c.MySQL.SKUName != "Standard_B1ms" || c.MySQL.Tier != "Burstable" {
				t.Errorf("dev MySQL %s %s, want Standard_B1ms Burstable", c.MySQL.SKUName, c.MySQL.Tier)
			}
			if c.MySQL.BackupRetentionDays > 7 {
				t.Errorf("dev MySQL keeps backups %d days, want a short retention", c.MySQL.BackupRetentionDays)
			}
			if c.DeletionProtection {
				t.Error("dev has deletion protection; it is the stack that may be torn down")
			}
		}},
		{"prod", func(t *testing.T, c config.Config) {
			user, admin := c.NodePools.User, c.NodePools.Admin
			if user.VMSize != "Standard_B2s" || user.Count != 2 {
				t.Errorf("prod user pool %d x %s, want 2 x Standard_B2s", user.Count, user.VMSize)
			}
			if admin.VMSize != "Standard_F2s_v2" || admin.Count != 2 {
				t.Errorf("prod admin pool %d x %s, want 2 x Standard_F2s_v2", admin.Count, admin.VMSize)
			}
			if len(c.Sites) != 2 {
				t.Errorf("prod has %d sites, want the original two blogs", len(c.Sites))
			}
			for _, s := range c.Sites {
				if s.UserReplicas != 2 || s.AdminReplicas != 2 {
					t.Errorf("prod site %s runs %d user and %d admin pods, want 2 and 2", s.Name, s.UserReplicas, s.AdminReplicas)
				}
			}
			if !c.DeletionProtection || !c.Backup.Enabled {
				t.Error("prod must keep deletion protection and backups on")
			}
		}},
	}
	loaded := map[string]config.Config{}
	for _, tt := range tests {
		t.Run(tt.stack, func(t *testing.T) {
			src, project, placeholders, err := plan.ReadStack("", tt.stack, false)
			if err != nil {
				t.Fatalf("read stack: %v", err)
			}
			// Credentials are set per machine, not committed: only they may be stand-ins.
			for _, k := range placeholders {
				if k != "sshPublicKey" && k != "tlsCertificate" && k != "tlsPrivateKey" {
					t.Errorf("placeholder for %s: the stack file should set it", k)
				}
			}
			c, err := config.Load(project, tt.stack, src)
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			tt.check(t, c)
			loaded[tt.stack] = c
		})
	}
	if dev, prod := loaded["dev"], loaded["prod"]; dev.Stack != "" && prod.Stack != "" {
		if prod.MySQL.BackupRetentionDays <= dev.MySQL.BackupRetentionDays {
			t.Errorf("prod keeps MySQL backups %d days, dev %d: prod should keep them longer", prod.MySQL.BackupRetentionDays, dev.MySQL.BackupRetentionDays)
		}
	}
}

// TestStackThirdSiteIsConfigOnly adds a blog to prod's config and checks that it brings its own
// resources and changes nothing that would replace or reboot shared infrastructure.
func TestStackThirdSiteIsConfigOnly(t *testing.T) {
	src, project, _, err := plan.ReadStack("", "prod", false)
	if err != nil {
		t.Fatal(err)
	}
	var sites []map[string]any
	if err := json.Unmarshal([]byte(src.Values["wordpress-aks:sites"]), &sites); err != nil {
		t.Fatal(err)
	}
	sites = append(sites, map[string]any{"name": "travel", "hosts": []string{"travel.example.com"}, "database": "wp_travel"})
	b, _ := json.Marshal(sites)
	src.Values["wordpress-aks:sites"] = string(b)
	// The placeholder certificate covered the two stack hosts; a wildcard-free test cert must
	// cover the new host too, so regenerate the stand-ins.
	delete(src.Values, "wordpress-aks:tlsCertificate")
	delete(src.Values, "wordpress-aks:tlsPrivateKey")
	cert, key := stackCertificate(t, "tech.example.com", "azure.example.com", "travel.example.com")
	src.Values["wordpress-aks:tlsCertificate"], src.Values["wordpress-aks:tlsPrivateKey"] = cert, key

	three, err := plan.RunSource(project, "prod", src)
	if err != nil {
		t.Fatalf("plan with a third site: %v", err)
	}
	two := graphPlan(t, "prod")
	byName := func(p *plan.Plan) map[string]plan.Resource {
		m := map[string]plan.Resource{}
		for _, r := range p.Resources {
			m[r.Name] = r
		}
		return m
	}
	before, after := byName(two), byName(three)
	for _, name := range []string{"travel", "mysql-db-travel", "travel-user", "travel-admin", "travel-ingress", "travel-db-user", "webtest-travel"} {
		if _, ok := after[name]; !ok {
			t.Errorf("third site: no %s in the plan", name)
		}
	}
	// The shared infrastructure keeps exactly its inputs: no replacement, no reboot.
	for _, name := range []string{"nfs-vm", "nfs-data-disk", "aks", "pool-user", "mysql", "vnet", "ingress-ip", "registry"} {
		b, a := before[name], after[name]
		// The stand-in SSH key is generated per plan; everything else must match.
		if name == "nfs-vm" {
			b, a = stackWithoutSSHKey(b), stackWithoutSSHKey(a)
		}
		if !reflect.DeepEqual(b.Inputs, a.Inputs) {
			t.Errorf("adding a site changes the inputs of %s", name)
		}
	}
}

func stackWithoutSSHKey(r plan.Resource) plan.Resource {
	b, _ := json.Marshal(r.Inputs)
	var in map[string]any
	_ = json.Unmarshal(b, &in)
	if os, ok := in["osProfile"].(map[string]any); ok {
		if lc, ok := os["linuxConfiguration"].(map[string]any); ok {
			delete(lc, "ssh")
		}
	}
	r.Inputs = in
	return r
}

// stackCertificate is a throwaway self-signed certificate and key covering hosts.
func stackCertificate(t *testing.T, hosts ...string) (string, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		DNSNames:     hosts,
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}))
}

// stackDir is a project root holding the repository's Pulumi.yaml and one stack file with the
// given text, for reading stack files the repository does not ship.
func stackDir(t *testing.T, stack, text string) string {
	t.Helper()
	dir := t.TempDir()
	proj, err := os.ReadFile(filepath.Join(stackRoot(t), "Pulumi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), proj, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Pulumi."+stack+".yaml"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// stackSites is the sites value of the stack files below.
const stackSites = `
  wordpress-aks:sites:
    - name: blog
      hosts: [blog.example.com]
      database: wp_blog
`

// TestStackFileHoles reads stack files with the mistakes issue 13 found by probing, the way
// cmd/plan does (non-strict and strict), and loads them through the program's config code: each
// must be refused with the key, never passed on stand-ins.
func TestStackFileHoles(t *testing.T) {
	// An encrypted value the plan cannot decrypt without the passphrase.
	const encrypted = "\nencryptionsalt: v1:c2FsdHNhbHQ=:v1:AAAAAAAAAAAAAAAA:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB\n"
	tests := []struct {
		name   string
		text   string
		strict bool
		// wantRead is what ReadStack's error must say; wantLoad what config.Load's must.
		wantRead, wantLoad []string
	}{
		{name: "plaintext tlsPrivateKey without tlsCertificate",
			text:     "config:\n  wordpress-aks:tlsPrivateKey: not-really-a-key\n" + stackSites,
			wantLoad: []string{"tlsPrivateKey", "must be stored as a secret"}},
		{name: "plaintext tlsPrivateKey without tlsCertificate, strict",
			text: "config:\n  wordpress-aks:tlsPrivateKey: not-really-a-key\n" + stackSites, strict: true,
			wantLoad: []string{"tlsPrivateKey", "must be stored as a secret"}},
		{name: "plaintext smtpPassword",
			text:     "config:\n  wordpress-aks:smtpPassword: hunter2\n" + stackSites,
			wantLoad: []string{"smtpPassword", "must be stored as a secret"}},
		{name: "missing credentials, strict",
			text: "config:\n  wordpress-aks:tls:\n    mode: provided\n" + stackSites, strict: true,
			wantLoad: []string{"sshPublicKey: is required", "tlsCertificate: is required", "tlsPrivateKey: is required"}},
		// A new stack with neither certificate nor tls.mode means letsencrypt, which needs the
		// ACME account's address.
		{name: "missing credentials and tls.mode, strict",
			text: "config:\n" + stackSites, strict: true,
			wantLoad: []string{"sshPublicKey: is required", "tls.email: is required when tls.mode is empty and tlsCertificate is not set"}},
		{name: "encrypted secrets without the passphrase, strict",
			text:   "config:\n  wordpress-aks:tlsCertificate:\n    secure: v1:AAAAAAAAAAAAAAAA:BBBBBBBB\n  wordpress-aks:tlsPrivateKey:\n    secure: v1:AAAAAAAAAAAAAAAA:BBBBBBBB\n" + stackSites + encrypted,
			strict: true, wantRead: []string{"tlsCertificate, tlsPrivateKey are encrypted", "PULUMI_CONFIG_PASSPHRASE"}},
		{name: "kubernetesVersion 1.40 without quotes",
			text:     "config:\n  wordpress-aks:kubernetesVersion: 1.40\n" + stackSites,
			wantLoad: []string{`kubernetesVersion "1.4"`, "1.40 without quotes", `write kubernetesVersion: "1.40"`}},
		{name: "mysql.version 8.0 without quotes",
			text:     "config:\n  wordpress-aks:mysql:\n    version: 8.0\n" + stackSites,
			wantLoad: []string{`mysql.version`, "8.0 without quotes", `write version: "8.0"`}},
		{name: "location mars",
			text:     "config:\n  wordpress-aks:location: mars\n" + stackSites,
			wantLoad: []string{`location "mars": is not an Azure region`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("PULUMI_CONFIG_PASSPHRASE", "")
			os.Unsetenv("PULUMI_CONFIG_PASSPHRASE")
			root := stackDir(t, "probe", tt.text)
			src, project, placeholders, err := plan.ReadStack(root, "probe", tt.strict)
			if len(tt.wantRead) > 0 {
				if err == nil {
					t.Fatalf("ReadStack accepted the stack (placeholders %v)", placeholders)
				}
				for _, w := range tt.wantRead {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("ReadStack error does not say %q:\n%v", w, err)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("ReadStack: %v", err)
			}
			if tt.strict && len(placeholders) > 0 {
				t.Errorf("strict read filled %v", placeholders)
			}
			_, err = config.Load(project, "probe", src)
			if err == nil {
				t.Fatalf("config.Load accepted the stack (placeholders %v)", placeholders)
			}
			for _, w := range tt.wantLoad {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not say %q:\n%v", w, err)
				}
			}
			for _, secret := range []string{"not-really-a-key", "hunter2"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error echoes a secret value:\n%v", err)
				}
			}
		})
	}
}

// TestStackPlansOfflineInEveryRegion plans prod in each region users pick most, and in regions
// without a table of their own, and prices each plan: a listed region uses its own table, any
// other valid region a stated fallback's, marked and warned about, never a failure.
func TestStackPlansOfflineInEveryRegion(t *testing.T) {
	tests := []struct {
		region, wantPrices string
	}{
		{"japaneast", "japaneast"}, {"japanwest", "japanwest"}, {"eastasia", "eastasia"},
		{"southeastasia", "southeastasia"}, {"koreacentral", "koreacentral"}, {"australiaeast", "australiaeast"},
		{"centralindia", "centralindia"}, {"westeurope", "westeurope"}, {"northeurope", "northeurope"},
		{"uksouth", "uksouth"}, {"germanywestcentral", "germanywestcentral"}, {"francecentral", "francecentral"},
		{"swedencentral", "swedencentral"}, {"eastus", "eastus"}, {"eastus2", "eastus2"}, {"westus2", "westus2"},
		{"westus3", "westus3"}, {"centralus", "centralus"}, {"canadacentral", "canadacentral"},
		{"brazilsouth", "brazilsouth"},
		// No table: a fallback estimates them.
		{"koreasouth", "koreacentral"}, {"southafricanorth", "westeurope"},
	}
	base := gStackSource(t, "prod")
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			src := config.Source{Values: map[string]string{}, SecretKeys: base.SecretKeys}
			for k, v := range base.Values {
				src.Values[k] = v
			}
			src.Values[graphProject+":location"] = tt.region
			p, err := plan.RunSource(graphProject, "prod", src)
			if err != nil {
				t.Fatalf("plan prod in %s: %v", tt.region, err)
			}
			table, err := cost.TableFor(tt.region)
			if err != nil {
				t.Fatalf("TableFor(%s): %v", tt.region, err)
			}
			est, err := cost.EstimatePlan(p, table)
			if err != nil {
				t.Fatalf("estimate prod in %s: %v", tt.region, err)
			}
			if est.Region != tt.region || est.PricesRegion != tt.wantPrices {
				t.Errorf("estimate for %s priced from %s, want %s from %s", est.Region, est.PricesRegion, tt.region, tt.wantPrices)
			}
			if est.TotalUSD <= 0 {
				t.Errorf("total %v", est.TotalUSD)
			}
			fallback := tt.region != tt.wantPrices
			if got := len(est.Warnings) > 0; got != fallback {
				t.Errorf("warnings %q, want a warning: %v", est.Warnings, fallback)
			}
			confirmed := 0
			for _, l := range est.Lines {
				if l.Confirmed {
					confirmed++
				}
			}
			if fallback && confirmed > 0 {
				t.Errorf("%d lines confirmed from another region's table", confirmed)
			}
			if !fallback && confirmed == 0 {
				t.Errorf("no line confirmed from the region's own table (its VM prices are)")
			}
			var out strings.Builder
			if err := est.Write(&out); err != nil {
				t.Fatal(err)
			}
			if fallback && !strings.Contains(out.String(), "WARNING: no price table for "+tt.region) {
				t.Errorf("printed estimate does not warn:\n%s", out.String())
			}
		})
	}
}

// TestStackCapacityMatchesPlan checks that the pods the capacity check in config counts are the
// pods the plan runs: every Deployment is a site's user or admin one, on the pool the check puts
// it on, with the replicas, surge and requests it assumes; the ingress controller requests what
// config says and floats over the pools (no node selector), as the check counts it.
func TestStackCapacityMatchesPlan(t *testing.T) {
	for _, stack := range graphStacks {
		t.Run(stack, func(t *testing.T) {
			p := graphPlan(t, stack)
			cfg := p.Config
			loads := 0
			for _, d := range cfg.Demand() {
				for _, s := range cfg.Sites {
					replicas := s.UserReplicas
					if d.Pool.Role == "admin" {
						replicas = s.AdminReplicas
					} else if d.Pool.Role != "user" {
						continue
					}
					loads++
					want := config.PodLoad{}
					for _, l := range d.Loads {
						if strings.HasSuffix(l.What, "site "+s.Name+" (+1 rollout surge)") {
							want = l
						}
					}
					if want.Count != replicas+1 {
						t.Errorf("%s pool: the check counts %d pods of site %s, want %d replicas + 1 surge", d.Pool.Role, want.Count, s.Name, replicas)
					}
					dep := gFind(t, p, s.Name+"-"+d.Pool.Role)
					spec := "spec.template.spec."
					// What the scheduler reserves for one pod: its containers and its sidecars
					// (init containers that keep running), as the check's per-pod load.
					var memMiB, cpuMilli float64
					for _, list := range []string{"containers", "initContainers"} {
						cs, err := gLookup(dep.Inputs, spec+list)
						if err != nil {
							continue
						}
						for _, c := range cs.([]any) {
							m := c.(map[string]any)
							if list == "initContainers" && m["restartPolicy"] != "Always" {
								continue
							}
							req, _ := m["resources"].(map[string]any)["requests"].(map[string]any)
							memMiB += gMiB(t, req["memory"])
							cpuMilli += gMilli(t, req["cpu"])
						}
					}
					if memMiB != want.MemoryMiB || cpuMilli != want.CPUMilli {
						t.Errorf("%s's pod requests %v MiB and %vm, the capacity check counts %v MiB and %vm", dep.Name, memMiB, cpuMilli, want.MemoryMiB, want.CPUMilli)
					}
					for _, k := range []struct {
						path string
						want any
					}{
						{"spec.replicas", float64(replicas)},
						{"spec.strategy.rollingUpdate.maxSurge", 1.0},
						{spec + "containers[0].resources.requests.memory", cfg.WordPress.Memory},
						{spec + "containers[0].resources.requests.cpu", cfg.WordPress.CPURequest},
					} {
						if got := gInput(t, dep, k.path); got != k.want {
							t.Errorf("%s %s is %v, the capacity check assumes %v", dep.Name, k.path, got, k.want)
						}
					}
					if got := gStrs(t, dep, spec+"affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values"); !gEqualStrings(got, []string{d.Pool.Role}) {
						t.Errorf("%s runs on %v, the capacity check counts it on the %s pool", dep.Name, got, d.Pool.Role)
					}
				}
			}
			if deps := gOfType(p, "kubernetes", "apps", "Deployment"); len(deps) != loads {
				t.Errorf("the plan has %d Deployments %v, the capacity check counts %d", len(deps), gNames(deps), loads)
			}
			rel := gFind(t, p, "ingress-controller")
			for _, k := range []struct {
				path string
				want any
			}{
				{"values.controller.resources.requests.cpu", config.IngressCPURequest},
				{"values.controller.resources.requests.memory", config.IngressMemoryRequest},
				{"values.controller.replicaCount", float64(cfg.Ingress.Replicas)},
			} {
				if got := gInput(t, rel, k.path); got != k.want {
					t.Errorf("ingress controller %s is %v, the capacity check assumes %v", k.path, got, k.want)
				}
			}
			if gHasInput(rel, "values.controller.nodeSelector") {
				t.Error("the ingress controller has a node selector; the capacity check counts it on any untainted pool")
			}
		})
	}
}

// gMiB reads a memory request ("500Mi", "1Gi") in MiB.
func gMiB(t *testing.T, v any) float64 {
	t.Helper()
	q, _ := v.(string)
	for suffix, mul := range map[string]float64{"Mi": 1, "Gi": 1024} {
		if n, ok := strings.CutSuffix(q, suffix); ok {
			f, err := strconv.ParseFloat(n, 64)
			if err == nil {
				return f * mul
			}
		}
	}
	t.Errorf("memory request %v is not in Mi or Gi", v)
	return 0
}

// gMilli reads a CPU request ("250m", "1") in millicores.
func gMilli(t *testing.T, v any) float64 {
	t.Helper()
	q, _ := v.(string)
	if n, ok := strings.CutSuffix(q, "m"); ok {
		if f, err := strconv.ParseFloat(n, 64); err == nil {
			return f
		}
	}
	if f, err := strconv.ParseFloat(q, 64); err == nil {
		return f * 1000
	}
	t.Errorf("cpu request %v is not in m or cores", v)
	return 0
}
