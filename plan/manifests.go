package plan

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"sigs.k8s.io/yaml"
)

// Manifest is one Kubernetes object of a plan, as it would be sent to the API server (secret
// values replaced by "[secret]").
type Manifest struct {
	// File is the manifest's file name: <kind>-<namespace>-<name>.yaml.
	File   string
	Object map[string]any
}

// Manifests returns the plan's Kubernetes objects: every kubernetes:* resource except the
// provider and Helm releases, whose objects the chart renders at install time.
func (p *Plan) Manifests() []Manifest {
	var out []Manifest
	for _, r := range p.Resources {
		if !strings.HasPrefix(r.Type, "kubernetes:") || strings.HasPrefix(r.Type, "kubernetes:helm.sh/") {
			continue
		}
		kind, _ := r.Inputs["kind"].(string)
		meta, _ := r.Inputs["metadata"].(map[string]any)
		name, _ := meta["name"].(string)
		ns, _ := meta["namespace"].(string)
		if ns == "" {
			ns = "cluster"
		}
		out = append(out, Manifest{
			File:   strings.ToLower(fmt.Sprintf("%s-%s-%s.yaml", kind, ns, name)),
			Object: r.Inputs,
		})
	}
	return out
}

// WriteManifests writes each Kubernetes object into dir as its own YAML file, for review and for
// linters that need no cluster.
func (p *Plan) WriteManifests(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create manifest directory: %w", err)
	}
	seen := map[string]bool{}
	for _, m := range p.Manifests() {
		if seen[m.File] {
			return fmt.Errorf("two objects would be written to %s", m.File)
		}
		seen[m.File] = true
		b, err := yaml.Marshal(m.Object)
		if err != nil {
			return fmt.Errorf("encode %s: %w", m.File, err)
		}
		if err := os.WriteFile(filepath.Join(dir, m.File), b, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", m.File, err)
		}
	}
	return nil
}
