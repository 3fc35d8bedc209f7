// Command runner runs the project's Kubernetes layer through the real Pulumi engine (the CLI and
// the kubernetes provider built by tests/engine/run.sh) against a real API server, and checks
// each scenario on the engine's own results and on the server's objects. run.sh starts the
// server and passes its kubeconfig; see run.sh for the whole tier.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"
)

// tier counts and prints the checks, in the format of the other tiers.
type tier struct {
	root, kubectl, work string
	charts              standInCharts
	passed, failed      int
}

func (t *tier) check(ok bool, format string, args ...any) bool {
	msg := fmt.Sprintf(format, args...)
	if ok {
		t.passed++
		fmt.Println("PASS  " + msg)
	} else {
		t.failed++
		fmt.Println("FAIL  " + msg)
	}
	return ok
}

func main() {
	var t tier
	var stack, kubeconfig string
	flag.StringVar(&t.root, "root", ".", "project root (Pulumi.yaml and the stack files)")
	flag.StringVar(&t.charts.ingress, "chart", "", "directory of the stand-in ingress controller chart")
	letsencrypt := flag.Bool("letsencrypt", false, "run the stack without a certificate (tls.mode letsencrypt): up, preview, state, destroy")
	flag.StringVar(&t.kubectl, "kubectl", "kubectl", "kubectl binary")
	flag.StringVar(&t.work, "work", "", "scratch directory (state backend, workspaces, logs)")
	flag.StringVar(&stack, "stack", "dev", "stack file to run: dev runs every scenario, others up, preview, state and destroy")
	flag.StringVar(&kubeconfig, "kubeconfig", "", "kubeconfig of the API server")
	flag.Parse()
	if t.charts.ingress == "" || t.work == "" || kubeconfig == "" {
		fmt.Fprintln(os.Stderr, "runner: -chart, -work and -kubeconfig are required")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	if err := run(ctx, &t, stack, kubeconfig, *letsencrypt); err != nil {
		t.check(false, "%s: %v", stack, err)
	}
	fmt.Printf("%s: %d passed, %d failed\n", stack, t.passed, t.failed)
	if t.failed > 0 {
		os.Exit(1)
	}
}

// run runs one stack's scenarios; an error ends the stack's run (its later scenarios depend on
// the earlier ones), while a failed check only counts.
func run(ctx context.Context, t *tier, name, kubeconfig string, letsencrypt bool) error {
	s, err := newStackRun(ctx, t, name, kubeconfig, letsencrypt)
	if err != nil {
		return err
	}
	fmt.Printf("%s: the ingress controller's Release installs the stand-in chart %s, not F5's chart (it cannot be pulled here); the chart's values are the program's own\n", s.label, t.charts.ingress)
	if letsencrypt {
		if t.charts.certManager, err = s.certManagerChart(ctx); err != nil {
			return err
		}
		fmt.Printf("%s: cert-manager's Release installs the stand-in chart %s (cert-manager's own CRDs, no controller): no certificate is issued\n", s.label, t.charts.certManager)
	}
	if err := s.scenarioUp(ctx); err != nil {
		return err
	}
	if err := s.scenarioQuietPreview(ctx, "after the first up"); err != nil {
		return err
	}
	if name == "dev" && !letsencrypt {
		for _, sc := range []func(context.Context) error{s.scenarioAddSite, s.scenarioReplicas, s.scenarioImage, s.scenarioNFSPath} {
			if err := sc(ctx); err != nil {
				return err
			}
		}
		if err := s.scenarioQuietPreview(ctx, "after the changes"); err != nil {
			return err
		}
	}
	if err := s.scenarioStateSecrets(ctx); err != nil {
		return err
	}
	return s.scenarioDestroy(ctx)
}

func joinSorted(m map[string]bool) string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}
