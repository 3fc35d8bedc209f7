package preflight

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the preflight output the README shows")

// readmeScenarios are the two runs the README's first-run section shows: a healthy subscription
// and one that fails in the ways the first pulumi up of a new user usually does.
var readmeScenarios = []struct {
	marker  string
	overlay []string
}{
	{marker: "healthy"},
	{marker: "failing", overlay: []string{
		"GET /subscriptions/{sub} 200 subscription-freetrial.json",
		"GET /subscriptions/{sub}/providers/Microsoft.Authorization/permissions 200 permissions-contributor.json",
		"GET /subscriptions/{sub}/providers 200 providers-mysql-unregistered.json",
		"GET /subscriptions/{sub}/providers/Microsoft.ContainerService/locations/japaneast/kubernetesVersions 200 kubernetes-versions-without-1.35.json",
		"GET /subscriptions/{sub}/providers/Microsoft.Compute/skus 200 skus-b2s-not-available.json",
		"GET /subscriptions/{sub}/providers/Microsoft.DBforMySQL/locations/japaneast/capabilitySets/default 200 mysql-capabilities-without-8.4.json",
		"GET /subscriptions/{sub}/providers/Microsoft.Authorization/policyAssignments 403 denied-policy-assignments.json",
	}},
}

// TestReadmeOutput keeps the output the README shows for `make preflight STACK=dev` the real
// output of the dev stack against the recorded responses (go test ./preflight -run
// TestReadmeOutput -update rewrites it).
func TestReadmeOutput(t *testing.T) {
	path := filepath.Join("..", "README.md")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	for _, sc := range readmeScenarios {
		s := testStack(t, "dev")
		az, _ := testAzure(t, fakeCredential{}, s.Config.Names().ResourceGroup(), sc.overlay...)
		results := Run(context.Background(), az, s)
		if (sc.marker == "failing") != Failed(results) {
			t.Errorf("%s: Failed = %v", sc.marker, Failed(results))
		}
		var b bytes.Buffer
		b.WriteString("$ make preflight STACK=dev\n")
		if err := Report(&b, "dev", s, testSub, results); err != nil {
			t.Fatal(err)
		}
		// The block sits in a list item: its lines carry the item's indent.
		marker := "<!-- preflight output: " + sc.marker + " -->\n"
		at := strings.Index(readme, marker)
		if at < 0 {
			t.Fatalf("README.md has no %q line", strings.TrimSpace(marker))
		}
		indent := readme[strings.LastIndex(readme[:at], "\n")+1 : at]
		open := indent + "```text\n"
		if !strings.HasPrefix(readme[at+len(marker):], open) {
			t.Fatalf("README.md: %q is not followed by a text block", strings.TrimSpace(marker))
		}
		start := at + len(marker) + len(open)
		end := strings.Index(readme[start:], indent+"```")
		if end < 0 {
			t.Fatalf("README.md: the %s block is not closed", sc.marker)
		}
		var want strings.Builder
		for _, l := range strings.SplitAfter(b.String(), "\n") {
			if l != "" {
				want.WriteString(indent + l)
			}
		}
		if normalizeOutput(readme[start:start+end]) == normalizeOutput(want.String()) && !*update {
			continue
		}
		if *update {
			readme = readme[:start] + want.String() + readme[start+end:]
			continue
		}
		t.Errorf("README.md's %s preflight output is not what the preflight prints (go test ./preflight -run TestReadmeOutput -update); it prints:\n%s", sc.marker, b.String())
	}
	if *update {
		if err := os.WriteFile(path, []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// normalizeOutput leaves out what the README need not pin: the ok lines of the resource
// providers and the ok count, which follow the azure-native modules the program uses (a change
// that adds a module adds a line); every other line must match.
func normalizeOutput(out string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(out, "\n") {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "ok   resource provider "):
			continue
		case strings.HasPrefix(t, "preflight: "):
			_, rest, _ := strings.Cut(t, " ok, ")
			l = "preflight: _ ok, " + rest + "\n"
		}
		b.WriteString(l)
	}
	return b.String()
}
