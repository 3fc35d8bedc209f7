package plan

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Layers, in the order a summary lists them.
const (
	LayerAzure      = "Azure"
	LayerSecrets    = "Generated secrets"
	LayerKubernetes = "Kubernetes"
)

// Layer says which part of the environment a resource type belongs to.
func Layer(typ string) string {
	switch {
	case strings.HasPrefix(typ, "azure-native:"):
		return LayerAzure
	case strings.HasPrefix(typ, "random:"):
		return LayerSecrets
	}
	return LayerKubernetes
}

func layerOrder(layer string) int {
	switch layer {
	case LayerAzure:
		return 0
	case LayerSecrets:
		return 1
	}
	return 2
}

// WriteSummary prints the plan grouped by layer, one line a resource: type, name, and the
// facts that matter most when reading a plan (protection, parent).
func (p *Plan) WriteSummary(w io.Writer) error {
	byLayer := map[string][]Resource{}
	for _, r := range p.Resources {
		byLayer[Layer(r.Type)] = append(byLayer[Layer(r.Type)], r)
	}
	layers := make([]string, 0, len(byLayer))
	for l := range byLayer {
		layers = append(layers, l)
	}
	sort.Slice(layers, func(i, j int) bool { return layerOrder(layers[i]) < layerOrder(layers[j]) })

	var b strings.Builder
	fmt.Fprintf(&b, "Plan for stack %q: %d resources\n", p.Stack, len(p.Resources))
	for _, l := range layers {
		rs := byLayer[l]
		fmt.Fprintf(&b, "\n%s (%d)\n", l, len(rs))
		for _, r := range rs {
			var notes []string
			if r.Protect {
				notes = append(notes, "protected")
			}
			if r.Parent != "" {
				notes = append(notes, "in "+r.Parent)
			}
			note := ""
			if len(notes) > 0 {
				note = "  [" + strings.Join(notes, ", ") + "]"
			}
			fmt.Fprintf(&b, "  %-66s %s%s\n", r.Type, r.Name, note)
		}
	}
	if len(p.Placeholders) > 0 {
		fmt.Fprintf(&b, "\nPlaceholders (not in Pulumi.%s.yaml; generated for this plan only, set them before pulumi up): %s\n",
			p.Stack, strings.Join(p.Placeholders, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
