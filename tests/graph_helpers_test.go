package tests

// Helpers of the resource-graph tests (azure_test.go, kubernetes_test.go, validation_test.go):
// the shared dev and prod plans, lookups by logical name and by input path, the expectations
// each stack file sets, and a small recording mock monitor of our own for what a plan cannot
// show (the inside of secrets, and that a bad config registers nothing). Every package-level
// name starts with g or graph: other files of this package are written at the same time.

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/example/wordpress-aks/config"
	"github.com/example/wordpress-aks/infra"
	"github.com/example/wordpress-aks/plan"
	"github.com/example/wordpress-aks/program"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// graphProject is the Pulumi project name, the namespace of every config key.
const graphProject = "wordpress-aks"

// graphStacks are the stack files the graph tests run.
var graphStacks = []string{"dev", "prod"}

var (
	graphPlansMu sync.Mutex
	graphPlans   = map[string]*plan.Plan{}
)

// graphPlan returns the plan of a stack file, run once per test binary and shared: a plan sets
// process environment variables while it runs, so plans never run in parallel.
func graphPlan(t *testing.T, stack string) *plan.Plan {
	t.Helper()
	graphPlansMu.Lock()
	defer graphPlansMu.Unlock()
	if p, ok := graphPlans[stack]; ok {
		return p
	}
	p, err := plan.Run(stack, plan.Options{})
	if err != nil {
		t.Fatalf("plan %s: %v", stack, err)
	}
	graphPlans[stack] = p
	return p
}

// gStackWant is what a stack file says, spelt out literally so that a test fails when the
// program stops honouring the file (reading p.Config back would only compare it with itself).
type gStackWant struct {
	userCount, adminCount int
	vnetCIDR              string
	aksSubnet             string
	mysqlSubnet           string
	nfsSubnet             string
	// nfsIP is the 4th address after the NFS subnet's network address.
	nfsIP            string
	mysqlStorageGB   int
	mysqlBackupDays  int
	mysqlGeoBackup   string
	nfsDiskGB        int
	nfsDiskSKU       string
	protected        bool
	backup           bool
	backupMethod     string
	backupDays       int
	backupWeeks      int
	backupRedundancy string
	budget           float64
	ingressReplicas  int
	// sites maps each site to its hosts; every site has user and admin replicas siteReplicas.
	sites        map[string][]string
	databases    map[string]string
	siteReplicas int
	costCenter   string
}

var gWants = map[string]gStackWant{
	"dev": {
		userCount: 1, adminCount: 1,
		vnetCIDR: "10.30.0.0/16", aksSubnet: "10.30.0.0/22", mysqlSubnet: "10.30.8.0/28", nfsSubnet: "10.30.9.0/28",
		nfsIP:          "10.30.9.4",
		mysqlStorageGB: 20, mysqlBackupDays: 3, mysqlGeoBackup: "Disabled",
		nfsDiskGB: 16, nfsDiskSKU: "StandardSSD_LRS",
		protected: false,
		backup:    false,
		budget:    20000, ingressReplicas: 1,
		sites:        map[string][]string{"tech": {"tech.dev.example.com"}, "azure": {"azure.dev.example.com"}},
		databases:    map[string]string{"tech": "wp_tech", "azure": "wp_azure"},
		siteReplicas: 1,
		costCenter:   "blogs-dev",
	},
	"prod": {
		userCount: 2, adminCount: 2,
		vnetCIDR: "10.20.0.0/16", aksSubnet: "10.20.0.0/22", mysqlSubnet: "10.20.8.0/28", nfsSubnet: "10.20.9.0/28",
		nfsIP:          "10.20.9.4",
		mysqlStorageGB: 32, mysqlBackupDays: 14, mysqlGeoBackup: "Enabled",
		nfsDiskGB: 64, nfsDiskSKU: "StandardSSD_LRS",
		protected: true,
		backup:    true, backupMethod: "snapshots", backupDays: 30, backupWeeks: 12, backupRedundancy: "ZoneRedundant",
		budget: 60000, ingressReplicas: 2,
		sites:        map[string][]string{"tech": {"tech.example.com"}, "azure": {"azure.example.com"}},
		databases:    map[string]string{"tech": "wp_tech", "azure": "wp_azure"},
		siteReplicas: 2,
		costCenter:   "blogs",
	},
}

// gSiteNames lists a stack's sites in a stable order.
// gContentVolumeKey is the suffix of a site's content volume and claim for an NFS source,
// computed here independently of k8s/storage.go: sha256 of "server:path", 4 bytes in hex.
func gContentVolumeKey(server, path string) string {
	sum := sha256.Sum256([]byte(server + ":" + path))
	return hex.EncodeToString(sum[:4])
}

func gSiteNames(w gStackWant) []string {
	names := make([]string, 0, len(w.sites))
	for n := range w.sites {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// gForStacks runs f as a subtest per stack with its plan and expectations.
func gForStacks(t *testing.T, f func(t *testing.T, p *plan.Plan, w gStackWant)) {
	t.Helper()
	for _, stack := range graphStacks {
		t.Run(stack, func(t *testing.T) {
			f(t, graphPlan(t, stack), gWants[stack])
		})
	}
}

// gFind returns the resource with a logical name and fails the test when there is none.
func gFind(t *testing.T, p *plan.Plan, name string) plan.Resource {
	t.Helper()
	for _, r := range p.Resources {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("stack %s: no resource named %q in the plan", p.Stack, name)
	return plan.Resource{}
}

// gOfType returns the resources whose type token has the module (without API version) and the
// type name, e.g. ("network", "NetworkSecurityGroup") for azure-native:network/v20240501:....
func gOfType(p *plan.Plan, pkg, module, typeName string) []plan.Resource {
	var out []plan.Resource
	for _, r := range p.Resources {
		parts := strings.Split(r.Type, ":")
		if len(parts) != 3 || parts[0] != pkg || parts[2] != typeName {
			continue
		}
		if m, _, _ := strings.Cut(parts[1], "/"); m != module {
			continue
		}
		out = append(out, r)
	}
	return out
}

// gNames returns the logical names of resources, sorted.
func gNames(rs []plan.Resource) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, r.Name)
	}
	sort.Strings(out)
	return out
}

// gDependsOn reports whether r depends on the resource with a logical name.
func gDependsOn(r plan.Resource, name string) bool {
	for _, d := range r.DependsOn {
		if d == name {
			return true
		}
	}
	return false
}

// gWantDeps fails for every name r does not depend on.
func gWantDeps(t *testing.T, r plan.Resource, names ...string) {
	t.Helper()
	for _, n := range names {
		if !gDependsOn(r, n) {
			t.Errorf("%s does not depend on %s (depends on %v)", r.Name, n, r.DependsOn)
		}
	}
}

// gLookup follows a path into JSON-like data: keys separated by '.', list indexes as [n], and
// keys holding dots as ["key.with.dots"].
func gLookup(v any, path string) (any, error) {
	cur := v
	rest := path
	for rest != "" {
		var key string
		index := -1
		switch {
		case strings.HasPrefix(rest, `["`):
			end := strings.Index(rest, `"]`)
			if end < 0 {
				return nil, fmt.Errorf("unterminated [\" in %q", path)
			}
			key, rest = rest[2:end], rest[end+2:]
		case strings.HasPrefix(rest, "["):
			end := strings.Index(rest, "]")
			if end < 0 {
				return nil, fmt.Errorf("unterminated [ in %q", path)
			}
			n, err := strconv.Atoi(rest[1:end])
			if err != nil {
				return nil, fmt.Errorf("bad index in %q: %w", path, err)
			}
			index, rest = n, rest[end+1:]
		default:
			rest = strings.TrimPrefix(rest, ".")
			end := strings.IndexAny(rest, ".[")
			if end < 0 {
				end = len(rest)
			}
			key, rest = rest[:end], rest[end:]
		}
		if index >= 0 {
			list, ok := cur.([]any)
			if !ok {
				return nil, fmt.Errorf("%q: not a list before [%d] (got %T)", path, index, cur)
			}
			if index >= len(list) {
				return nil, fmt.Errorf("%q: index %d out of range (len %d)", path, index, len(list))
			}
			cur = list[index]
			continue
		}
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%q: not an object before %q (got %T: %v)", path, key, cur, cur)
		}
		next, ok := m[key]
		if !ok {
			return nil, fmt.Errorf("%q: no key %q", path, key)
		}
		cur = next
	}
	return cur, nil
}

// gInput returns the input of r at path and fails the test when the path does not exist.
func gInput(t *testing.T, r plan.Resource, path string) any {
	t.Helper()
	v, err := gLookup(r.Inputs, path)
	if err != nil {
		t.Fatalf("%s (%s): %v", r.Name, r.Type, err)
	}
	return v
}

// gHasInput reports whether r has an input at path.
func gHasInput(r plan.Resource, path string) bool {
	_, err := gLookup(r.Inputs, path)
	return err == nil
}

// gStr returns a string input; a missing path or another type fails the test.
func gStr(t *testing.T, r plan.Resource, path string) string {
	t.Helper()
	v := gInput(t, r, path)
	s, ok := v.(string)
	if !ok {
		t.Fatalf("%s: %s is %T %v, not a string", r.Name, path, v, v)
	}
	return s
}

// gInt returns a whole-number input (plans hold numbers as float64).
func gInt(t *testing.T, r plan.Resource, path string) int {
	t.Helper()
	v := gInput(t, r, path)
	f, ok := v.(float64)
	if !ok || f != float64(int(f)) {
		t.Fatalf("%s: %s is %T %v, not a whole number", r.Name, path, v, v)
	}
	return int(f)
}

// gNum returns a number input.
func gNum(t *testing.T, r plan.Resource, path string) float64 {
	t.Helper()
	v := gInput(t, r, path)
	f, ok := v.(float64)
	if !ok {
		t.Fatalf("%s: %s is %T %v, not a number", r.Name, path, v, v)
	}
	return f
}

// gBool returns a boolean input.
func gBool(t *testing.T, r plan.Resource, path string) bool {
	t.Helper()
	v := gInput(t, r, path)
	b, ok := v.(bool)
	if !ok {
		t.Fatalf("%s: %s is %T %v, not a bool", r.Name, path, v, v)
	}
	return b
}

// gList returns a list input.
func gList(t *testing.T, r plan.Resource, path string) []any {
	t.Helper()
	v := gInput(t, r, path)
	l, ok := v.([]any)
	if !ok {
		t.Fatalf("%s: %s is %T %v, not a list", r.Name, path, v, v)
	}
	return l
}

// gStrs returns a list-of-strings input.
func gStrs(t *testing.T, r plan.Resource, path string) []string {
	t.Helper()
	var out []string
	for i, e := range gList(t, r, path) {
		s, ok := e.(string)
		if !ok {
			t.Fatalf("%s: %s[%d] is %T %v, not a string", r.Name, path, i, e, e)
		}
		out = append(out, s)
	}
	return out
}

// gMap returns an object input.
func gMap(t *testing.T, r plan.Resource, path string) map[string]any {
	t.Helper()
	v := gInput(t, r, path)
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s: %s is %T %v, not an object", r.Name, path, v, v)
	}
	return m
}

// gAt follows a path inside an already-extracted value (a list element, say).
func gAt(t *testing.T, v any, path string) any {
	t.Helper()
	got, err := gLookup(v, path)
	if err != nil {
		t.Fatalf("%v", err)
	}
	return got
}

// gStringMap turns an object of strings into a map[string]string, failing on other values.
func gStringMap(t *testing.T, m map[string]any) map[string]string {
	t.Helper()
	out := map[string]string{}
	for k, v := range m {
		s, ok := v.(string)
		if !ok {
			t.Fatalf("%s is %T %v, not a string", k, v, v)
		}
		out[k] = s
	}
	return out
}

// gEqualStrings compares two string lists in order.
func gEqualStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// gEqualMaps compares two string maps.
func gEqualMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if bv, ok := b[k]; !ok || bv != v {
			return false
		}
	}
	return true
}

// gWalkStrings calls f with the path and value of every string in v.
func gWalkStrings(v any, path string, f func(path, s string)) {
	switch x := v.(type) {
	case string:
		f(path, x)
	case map[string]any:
		for k, e := range x {
			gWalkStrings(e, path+"."+k, f)
		}
	case []any:
		for i, e := range x {
			gWalkStrings(e, fmt.Sprintf("%s[%d]", path, i), f)
		}
	}
}

// gFindBy returns the element of list whose field key equals value.
func gFindBy(t *testing.T, list []any, key, value string) map[string]any {
	t.Helper()
	for _, e := range list {
		if m, ok := e.(map[string]any); ok && m[key] == value {
			return m
		}
	}
	t.Fatalf("no element with %s=%q in %v", key, value, list)
	return nil
}

// gIsGUID reports whether s looks like 8-4-4-4-12 hex.
func gIsGUID(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) != 5 {
		return false
	}
	for i, n := range []int{8, 4, 4, 4, 12} {
		if len(parts[i]) != n {
			return false
		}
		if _, err := hex.DecodeString(parts[i]); err != nil {
			return false
		}
	}
	return true
}

// gStackSource returns the config a stack file gives the program (with generated stand-ins for
// the per-machine credentials), as a copy the caller may change.
func gStackSource(t *testing.T, stack string) config.Source {
	t.Helper()
	src, project, _, err := plan.ReadStack("", stack, false)
	if err != nil {
		t.Fatalf("read stack %s: %v", stack, err)
	}
	if project != graphProject {
		t.Fatalf("project is %q, want %q", project, graphProject)
	}
	return src
}

// gRegistration is one resource registration our own mock received, inputs untouched (secrets
// still wrapped, their values readable).
type gRegistration struct {
	Type   string
	Name   string
	Inputs resource.PropertyMap
}

// gMonitor is a recording mock monitor. It answers with the few outputs the program reads (ids,
// names, a login server, passwords, a kubeconfig), made up. Random results are known to the
// test, so it can look for them where they must not be.
type gMonitor struct {
	mu   sync.Mutex
	regs []gRegistration
	// results maps each random resource's logical name to the result it was given.
	results map[string]string
	// src is the config the program ran with.
	src config.Source
}

func (m *gMonitor) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.regs = append(m.regs, gRegistration{Type: args.TypeToken, Name: args.Name, Inputs: args.Inputs.Copy()})
	out := args.Inputs.Copy()
	typeName := args.TypeToken[strings.LastIndex(args.TypeToken, ":")+1:]
	id := args.Name + "-id"
	if strings.HasPrefix(args.TypeToken, "azure-native:") {
		id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Mock/" + typeName + "/" + args.Name
	}
	if _, ok := out["name"]; !ok {
		out["name"] = resource.NewProperty(args.Name)
	}
	switch typeName {
	case "RandomPassword", "RandomString":
		n := 16
		if v, ok := args.Inputs["length"]; ok && v.IsNumber() {
			n = int(v.NumberValue())
		}
		sum := sha256.Sum256([]byte("graph-test/" + args.Name))
		result := hex.EncodeToString(sum[:])
		for len(result) < n {
			result += result
		}
		result = result[:n]
		if m.results == nil {
			m.results = map[string]string{}
		}
		m.results[args.Name] = result
		out["result"] = resource.NewProperty(result)
		if typeName == "RandomPassword" {
			out["result"] = resource.MakeSecret(out["result"])
		}
	case "ManagedCluster":
		out["identityProfile"] = resource.NewProperty(resource.PropertyMap{
			"kubeletidentity": resource.NewProperty(resource.PropertyMap{"objectId": resource.NewProperty("11111111-1111-1111-1111-111111111111")}),
		})
	case "UserAssignedIdentity":
		out["principalId"] = resource.NewProperty("22222222-2222-2222-2222-222222222222")
	case "Registry":
		out["loginServer"] = resource.NewProperty("graphtest.azurecr.io")
	case "Server":
		out["fullyQualifiedDomainName"] = resource.NewProperty("graphtest.mysql.database.azure.com")
	case "PublicIPAddress":
		out["ipAddress"] = resource.NewProperty("203.0.113.20")
	case "TaskRun":
		// The image reference resolves only once the ACR run reports success.
		out["runResult"] = resource.NewProperty(resource.PropertyMap{
			"runId": resource.NewProperty("ca1"), "status": resource.NewProperty("Succeeded"),
		})
	}
	return id, out, nil
}

func (m *gMonitor) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	switch {
	case strings.HasSuffix(args.Token, ":listManagedClusterUserCredentials"):
		kubeconfig := "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n"
		return resource.PropertyMap{"kubeconfigs": resource.NewProperty([]resource.PropertyValue{
			resource.NewProperty(resource.PropertyMap{
				"name":  resource.NewProperty("clusterUser"),
				"value": resource.NewProperty(base64.StdEncoding.EncodeToString([]byte(kubeconfig))),
			}),
		})}, nil
	case strings.HasSuffix(args.Token, ":listStorageAccountServiceSAS"):
		return resource.PropertyMap{"serviceSasToken": resource.NewProperty("sv=graph-test&sig=mock")}, nil
	}
	return nil, fmt.Errorf("graph test mock: no answer for invoke %s", args.Token)
}

// count is how many resources the program registered, the stack itself left out.
func (m *gMonitor) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, r := range m.regs {
		if r.Type != "pulumi:pulumi:Stack" {
			n++
		}
	}
	return n
}

// find returns the registration with a logical name.
func (m *gMonitor) find(t *testing.T, name string) gRegistration {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range m.regs {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("our mock saw no resource named %q", name)
	return gRegistration{}
}

// gRunProgram runs the real program against src under our own mock, with the config passed the
// way the language host passes it (two environment variables, restored after the test).
func gRunProgram(t *testing.T, stack string, src config.Source) (*gMonitor, error) {
	t.Helper()
	env, err := src.Env()
	if err != nil {
		t.Fatalf("encode config: %v", err)
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
	mon := &gMonitor{src: src}
	err = pulumi.RunErr(program.Run, pulumi.WithMocks(graphProject, stack, mon))
	return mon, err
}

// gUnwrapSecret returns the value inside a secret (plain or output), and whether it was one.
func gUnwrapSecret(v resource.PropertyValue) (resource.PropertyValue, bool) {
	switch {
	case v.IsSecret():
		return v.SecretValue().Element, true
	case v.IsOutput() && v.OutputValue().Secret:
		return v.OutputValue().Element, true
	case v.IsOutput():
		return v.OutputValue().Element, false
	}
	return v, false
}

// gWalkPlain calls f with every string in v that is not inside a secret.
func gWalkPlain(v resource.PropertyValue, path string, f func(path, s string)) {
	inner, secret := gUnwrapSecret(v)
	if secret {
		return
	}
	switch {
	case inner.IsString():
		f(path, inner.StringValue())
	case inner.IsObject():
		for k, e := range inner.ObjectValue() {
			gWalkPlain(e, path+"."+string(k), f)
		}
	case inner.IsArray():
		for i, e := range inner.ArrayValue() {
			gWalkPlain(e, fmt.Sprintf("%s[%d]", path, i), f)
		}
	}
}

// gProjectFile reads a file of the project (relative to the directory holding Pulumi.yaml).
func gProjectFile(t *testing.T, rel string) string {
	t.Helper()
	root, err := infra.ProjectRoot()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(root, rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
