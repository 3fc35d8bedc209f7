package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/example/wordpress-aks/plan"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/yaml"
)

// manifestTypes maps each kind the plan writes to the k8s.io/api type it must decode into.
var manifestTypes = map[string]func() any{
	"Namespace":             func() any { return &corev1.Namespace{} },
	"Secret":                func() any { return &corev1.Secret{} },
	"Service":               func() any { return &corev1.Service{} },
	"PersistentVolume":      func() any { return &corev1.PersistentVolume{} },
	"PersistentVolumeClaim": func() any { return &corev1.PersistentVolumeClaim{} },
	"Deployment":            func() any { return &appsv1.Deployment{} },
	"Job":                   func() any { return &batchv1.Job{} },
	"CronJob":               func() any { return &batchv1.CronJob{} },
	"Ingress":               func() any { return &networkingv1.Ingress{} },
	"NetworkPolicy":         func() any { return &networkingv1.NetworkPolicy{} },
	"PodDisruptionBudget":   func() any { return &policyv1.PodDisruptionBudget{} },
}

// manifestDecode decodes one manifest into its typed object; unknown or misspelt fields are
// errors, as they would be for a strict API server.
func manifestDecode(b []byte) (string, error) {
	var head struct {
		Kind string `json:"kind"`
	}
	if err := yaml.Unmarshal(b, &head); err != nil {
		return "", err
	}
	newObj, ok := manifestTypes[head.Kind]
	if !ok {
		return head.Kind, os.ErrNotExist
	}
	return head.Kind, yaml.UnmarshalStrict(b, newObj())
}

// TestManifestsDecodeStrictly writes each stack's manifests the way cmd/plan -manifests does and
// decodes every file into the k8s.io/api type of its kind with unknown fields refused.
func TestManifestsDecodeStrictly(t *testing.T) {
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			p := graphPlan(t, stack)
			dir := t.TempDir()
			if err := p.WriteManifests(dir); err != nil {
				t.Fatalf("write manifests: %v", err)
			}
			files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(files), len(p.Manifests()); got != want || got == 0 {
				t.Fatalf("got %d manifest files, want %d (and more than none)", got, want)
			}
			kinds := map[string]int{}
			for _, f := range files {
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				kind, err := manifestDecode(b)
				if err != nil {
					t.Errorf("%s (%s): %v", filepath.Base(f), kind, err)
				}
				kinds[kind]++
			}
			sites := len(p.Config.Sites)
			// Per host a master Ingress and a minion per route (edge_test.go); these
			// stacks open no site's xmlrpc.php, so four routes.
			ingresses := 0
			for _, s := range p.Config.Sites {
				ingresses += len(s.Hosts) * 5
			}
			for kind, want := range map[string]int{"Deployment": 2 * sites, "Ingress": ingresses, "CronJob": sites, "Job": sites, "PodDisruptionBudget": 2 * sites} {
				if kinds[kind] != want {
					t.Errorf("%d %s manifests, want %d", kinds[kind], kind, want)
				}
			}
		})
	}
}

// TestManifestDecodeRefusesUnknownFields shows the strict decode can fail.
func TestManifestDecodeRefusesUnknownFields(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		wantErr bool
	}{
		{"valid", "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 80}]}\n", false},
		{"misspelt field", "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {prots: [{port: 80}]}\n", true},
		{"wrong type", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {replicas: two}\n", true},
		{"unknown kind", "apiVersion: v1\nkind: Sevice\nmetadata: {name: a}\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := manifestDecode([]byte(tt.yaml))
			if got := err != nil; got != tt.wantErr {
				t.Errorf("error = %v, want error %v", err, tt.wantErr)
			}
		})
	}
}

// TestManifestsHoldNoSecrets checks that the written files carry "[secret]" where a secret
// goes, and no key or certificate material.
func TestManifestsHoldNoSecrets(t *testing.T) {
	p := graphPlan(t, "prod")
	for _, m := range p.Manifests() {
		b, err := yaml.Marshal(m.Object)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		for _, bad := range []string{"PRIVATE KEY", "BEGIN CERTIFICATE", "ssh-ed25519"} {
			if strings.Contains(text, bad) {
				t.Errorf("%s contains %q", m.File, bad)
			}
		}
		if m.Object["kind"] == "Secret" && !strings.Contains(text, plan.Secret) {
			t.Errorf("%s: secret data is not replaced by %s", m.File, plan.Secret)
		}
	}
}
