package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/example/wordpress-aks/config"
	"github.com/example/wordpress-aks/k8s"
	"github.com/example/wordpress-aks/plan"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const project = "wordpress-aks"

// stackRun is one stack's workspace, config and secrets across its scenarios.
type stackRun struct {
	t    *tier
	name string
	// label names the run in the output: the stack, and the TLS mode when it is letsencrypt.
	label       string
	letsencrypt bool
	src         config.Source
	az          azureValues
	secrets     map[string]siteSecretValues
	// secretValues are every secret the test handed in (site secrets, the MySQL admin
	// password, the TLS key, the kubeconfig's token), to look for in the state.
	secretValues map[string]string
	stack        auto.Stack
	kcPath       string
	log          *os.File
}

func newStackRun(ctx context.Context, t *tier, name, kubeconfigPath string, letsencrypt bool) (*stackRun, error) {
	src, _, _, err := plan.ReadStack(t.root, name, false)
	if err != nil {
		return nil, err
	}
	kc, err := os.ReadFile(kubeconfigPath)
	if err != nil {
		return nil, fmt.Errorf("read kubeconfig: %w", err)
	}
	s := &stackRun{t: t, name: name, label: name, letsencrypt: letsencrypt, kcPath: kubeconfigPath, src: src, secrets: map[string]siteSecretValues{}, secretValues: map[string]string{}}
	s.az = azureValues{
		kubeconfig:    string(kc),
		nfsServerIP:   "10.30.9.4",
		nfsExportPath: "/srv/nfs/wordpress",
		image:         "crenginetest.azurecr.io/wordpress:first",
		mysqlHost:     "mysql-engine-test.private.mysql.database.azure.com",
		mysqlAdmin:    randomString(32),
	}
	s.secretValues["MySQL admin password"] = s.az.mysqlAdmin
	for _, line := range strings.Split(string(kc), "\n") {
		if tok, ok := strings.CutPrefix(strings.TrimSpace(line), "user: {token: \""); ok {
			s.secretValues["kubeconfig token"] = strings.TrimSuffix(tok, "\"}")
		}
	}
	if letsencrypt {
		// A stack without a certificate, as a new user's is: tls.mode resolves to
		// letsencrypt, which needs only the ACME account's address (staging: a trial).
		s.label = name + " (tls.mode letsencrypt)"
		for _, k := range []string{"tlsCertificate", "tlsPrivateKey"} {
			delete(s.src.Values, project+":"+k)
			delete(s.src.SecretKeys, project+":"+k)
		}
		s.setValue("tls", `{"email":"blog-ops@example.com","staging":true}`, false)
		// cert-manager's pods do not fit beside dev's two sites on one node a pool.
		if err := s.twoNodesPerPool(); err != nil {
			return nil, err
		}
	} else {
		cert, key, err := selfSigned()
		if err != nil {
			return nil, err
		}
		s.setValue("tlsCertificate", cert, true)
		s.setValue("tlsPrivateKey", key, true)
		// The key's base64 body is what the state would hold if the key leaked; its first
		// line of 64 characters is enough to find it.
		s.secretValues["TLS private key"] = strings.Split(key, "\n")[1]
	}
	cfg, err := s.config()
	if err != nil {
		return nil, err
	}
	for _, site := range cfg.Sites {
		s.addSecrets(site.Name)
	}

	s.log, err = os.Create(filepath.Join(t.work, name+"-engine.log"))
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(t.work, name+"-workspace")
	state := filepath.Join(t.work, "state")
	for _, d := range []string{dir, state} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	proj := workspace.Project{
		Name:    tokens.PackageName(project),
		Runtime: workspace.NewProjectRuntimeInfo("go", nil),
		Backend: &workspace.ProjectBackend{URL: "file://" + state},
	}
	s.stack, err = auto.UpsertStackInlineSource(ctx, name, project, s.run,
		auto.Project(proj), auto.WorkDir(dir), auto.SecretsProvider("passphrase"),
		auto.EnvVars(map[string]string{"PULUMI_CONFIG_PASSPHRASE": "engine-tier"}))
	if err != nil {
		return nil, fmt.Errorf("create stack %s: %w", name, err)
	}
	return s, nil
}

// run is the inline program: config as the program reads it, then the Kubernetes layer.
func (s *stackRun) run(ctx *pulumi.Context) error {
	cfg, err := s.config()
	if err != nil {
		return err
	}
	return program(cfg, s.az, s.secrets, s.t.charts)(ctx)
}

func (s *stackRun) kubeconfigPath() string { return s.kcPath }

func (s *stackRun) config() (config.Config, error) {
	return config.Load(project, s.name, s.src)
}

func (s *stackRun) setValue(key, value string, secret bool) {
	s.src.Values[project+":"+key] = value
	if secret {
		s.src.SecretKeys[project+":"+key] = true
	}
}

func (s *stackRun) addSecrets(site string) {
	v := siteSecretValues{db: randomString(32), keys: map[string]string{}}
	s.secretValues[site+" database password"] = v.db
	for _, k := range k8s.WordPressKeys() {
		v.keys[k] = randomString(64)
		s.secretValues[site+" "+k] = v.keys[k]
	}
	s.secrets[site] = v
}

// ops is what the engine did or would do to each resource, by URN: the ops of its step events
// (a replacement has several: replace, create-replacement, delete-replaced).
type ops map[string]map[apitype.OpType]bool

// changed returns the URNs of every resource with an op other than same, and their ops.
func (o ops) changed() map[string]string {
	out := map[string]string{}
	for urn, set := range o {
		var names []string
		for op := range set {
			if op != apitype.OpSame && op != apitype.OpRead {
				names = append(names, string(op))
			}
		}
		if len(names) > 0 {
			sort.Strings(names)
			out[urn] = strings.Join(names, "+")
		}
	}
	return out
}

func collect(ch <-chan events.EngineEvent, into ops, done chan<- struct{}) {
	for e := range ch {
		if e.ResourcePreEvent == nil {
			continue
		}
		m := e.ResourcePreEvent.Metadata
		if into[m.URN] == nil {
			into[m.URN] = map[apitype.OpType]bool{}
		}
		into[m.URN][m.Op] = true
	}
	close(done)
}

func (s *stackRun) up(ctx context.Context) (ops, error) {
	o := ops{}
	ch, done := make(chan events.EngineEvent), make(chan struct{})
	go collect(ch, o, done)
	_, err := s.stack.Up(ctx, optup.EventStreams(ch), optup.ProgressStreams(s.log), optup.ErrorProgressStreams(s.log))
	<-done
	if err != nil {
		return o, fmt.Errorf("pulumi up: %w (engine log: %s)", err, s.log.Name())
	}
	return o, nil
}

func (s *stackRun) preview(ctx context.Context) (ops, map[apitype.OpType]int, error) {
	o := ops{}
	ch, done := make(chan events.EngineEvent), make(chan struct{})
	go collect(ch, o, done)
	res, err := s.stack.Preview(ctx, optpreview.EventStreams(ch), optpreview.ProgressStreams(s.log), optpreview.ErrorProgressStreams(s.log))
	<-done
	if err != nil {
		return o, nil, fmt.Errorf("pulumi preview: %w (engine log: %s)", err, s.log.Name())
	}
	return o, res.ChangeSummary, nil
}

func (s *stackRun) destroy(ctx context.Context) (ops, error) {
	o := ops{}
	ch, done := make(chan events.EngineEvent), make(chan struct{})
	go collect(ch, o, done)
	_, err := s.stack.Destroy(ctx, optdestroy.EventStreams(ch), optdestroy.ProgressStreams(s.log), optdestroy.ErrorProgressStreams(s.log))
	<-done
	if err != nil {
		return o, fmt.Errorf("pulumi destroy: %w (engine log: %s)", err, s.log.Name())
	}
	return o, nil
}

// stateResource is the part of a resource's state the checks read.
type stateResource struct {
	URN     string         `json:"urn"`
	Type    string         `json:"type"`
	Custom  bool           `json:"custom"`
	Inputs  map[string]any `json:"inputs"`
	Outputs map[string]any `json:"outputs"`
}

// state exports the stack's state: the raw deployment JSON and its resources.
func (s *stackRun) state(ctx context.Context) ([]byte, []stateResource, error) {
	d, err := s.stack.Export(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("export state: %w", err)
	}
	var dep struct {
		Resources []stateResource `json:"resources"`
	}
	if err := json.Unmarshal(d.Deployment, &dep); err != nil {
		return nil, nil, fmt.Errorf("decode state: %w", err)
	}
	return d.Deployment, dep.Resources, nil
}

// kubeObjects returns the state's Kubernetes objects (not the provider, not the Helm Release).
func kubeObjects(rs []stateResource) []stateResource {
	var out []stateResource
	for _, r := range rs {
		if r.Custom && strings.HasPrefix(r.Type, "kubernetes:") && r.Type != "kubernetes:helm.sh/v3:Release" {
			out = append(out, r)
		}
	}
	return out
}

func randomString(n int) string {
	const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	out := make([]byte, n)
	for i := range out {
		v, err := rand.Int(rand.Reader, big.NewInt(int64(len(letters))))
		if err != nil {
			panic(err)
		}
		out[i] = letters[v.Int64()]
	}
	return string(out)
}

// selfSigned makes a PEM certificate and key, so the TLS Secret is one the API server accepts.
func selfSigned() (string, string, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", "", err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "engine-tier.example.com"},
		DNSNames:     []string{"*.example.com", "*.dev.example.com"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return "", "", err
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder})), nil
}

// certManagerChart writes the stand-in for cert-manager's chart: a chart of the version the
// stack pins whose crds/ folder holds cert-manager's own CRDs from its Go module of the same
// version (deploy/crds, what the real chart's CRDs are built from), so the ClusterIssuer and
// the Certificates go through the engine against cert-manager's real schema. No controller
// runs, so nothing is issued.
func (s *stackRun) certManagerChart(ctx context.Context) (string, error) {
	cfg, err := s.config()
	if err != nil {
		return "", err
	}
	version := cfg.TLS.CertManagerChartVersion
	out, err := exec.CommandContext(ctx, "go", "mod", "download", "-json", "github.com/cert-manager/cert-manager@"+version).Output()
	if err != nil {
		return "", fmt.Errorf("download cert-manager %s: %w", version, err)
	}
	var mod struct{ Dir string }
	if err := json.Unmarshal(out, &mod); err != nil || mod.Dir == "" {
		return "", fmt.Errorf("download cert-manager %s: no module directory (%v)", version, err)
	}
	crds, err := filepath.Glob(filepath.Join(mod.Dir, "deploy", "crds", "*.yaml"))
	if err != nil || len(crds) == 0 {
		return "", fmt.Errorf("cert-manager %s: no CRDs in deploy/crds", version)
	}
	dir := filepath.Join(s.t.work, "standin-cert-manager")
	if err := os.MkdirAll(filepath.Join(dir, "crds"), 0o755); err != nil {
		return "", err
	}
	chart := fmt.Sprintf("apiVersion: v2\nname: cert-manager\ndescription: engine-tier stand-in (cert-manager's CRDs only)\nversion: %s\n", strings.TrimPrefix(version, "v"))
	if err := os.WriteFile(filepath.Join(dir, "Chart.yaml"), []byte(chart), 0o644); err != nil {
		return "", err
	}
	for _, f := range crds {
		raw, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		if err := os.WriteFile(filepath.Join(dir, "crds", filepath.Base(f)), raw, 0o644); err != nil {
			return "", err
		}
	}
	return dir, nil
}

// twoNodesPerPool gives every node pool of the stack at least two nodes, for scenarios whose
// pods the config's capacity check would not place on dev's one node a pool.
func (s *stackRun) twoNodesPerPool() error {
	var pools map[string]map[string]any
	if err := json.Unmarshal([]byte(s.src.Values[project+":nodePools"]), &pools); err != nil {
		return fmt.Errorf("read nodePools: %w", err)
	}
	for _, p := range pools {
		if n, _ := p["count"].(float64); n < 2 {
			p["count"] = 2
		}
	}
	raw, err := json.Marshal(pools)
	if err != nil {
		return err
	}
	s.setValue("nodePools", string(raw), false)
	return nil
}
