package tests

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// readmeFile reads a file of the project.
func readmeFile(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(stackRoot(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// readmeCommands returns the commands in the README's code blocks and inline code that start
// with one of the prefixes.
func readmeCommands(text string, prefixes ...string) []string {
	var out []string
	inBlock := false
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "```") {
			inBlock = !inBlock
			continue
		}
		candidates := regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(line, -1)
		var texts []string
		if inBlock {
			texts = append(texts, trimmed)
		}
		for _, c := range candidates {
			texts = append(texts, c[1])
		}
		for _, s := range texts {
			for _, p := range prefixes {
				if strings.HasPrefix(s, p) {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// TestReadmeMakeTargetsExist checks that every `make X` the README and the workflows show is a
// Makefile target, and that the README names every target.
func TestReadmeMakeTargetsExist(t *testing.T) {
	makefile := readmeFile(t, "Makefile")
	targets := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^([a-z-]+):`).FindAllStringSubmatch(makefile, -1) {
		targets[m[1]] = true
	}
	readme := readmeFile(t, "README.md")
	used := map[string]bool{}
	sources := map[string]string{"README.md": readme}
	for _, wf := range []string{".github/workflows/pull-request.yml", ".github/workflows/deploy.yml", ".github/workflows/up.yml"} {
		sources[wf] = readmeFile(t, wf)
	}
	for name, text := range sources {
		for _, m := range regexp.MustCompile("(?m)\\bmake ([a-z-]+)(?: [A-Z_]+=|`|\"|$| *#| \\|)").FindAllStringSubmatch(text, -1) {
			used[m[1]] = true
			if !targets[m[1]] {
				t.Errorf("%s runs `make %s`, which the Makefile does not have", name, m[1])
			}
		}
	}
	for target := range targets {
		if !strings.Contains(readme, "make "+target) {
			t.Errorf("the README does not name `make %s`", target)
		}
	}
	if !used["test"] || !used["up"] || !used["preview"] {
		t.Error("the README and workflows should use make test, make up and make preview")
	}
}

// TestReadmePlanFlagsExist checks that every flag the README passes to cmd/plan is one it has.
func TestReadmePlanFlagsExist(t *testing.T) {
	source := readmeFile(t, "cmd/plan/main.go")
	readme := readmeFile(t, "README.md")
	for _, flagName := range regexp.MustCompile("`-([a-z]+)[ `]").FindAllStringSubmatch(readme, -1) {
		if !strings.Contains(source, `flag.`) || !regexp.MustCompile(`flag\.\w+\("`+flagName[1]+`"`).MatchString(source) {
			t.Errorf("the README mentions -%s, which cmd/plan does not define", flagName[1])
		}
	}
	for _, cmd := range readmeCommands(readme, "go run ./cmd/plan") {
		for _, f := range regexp.MustCompile(` -([a-z]+)`).FindAllStringSubmatch(cmd, -1) {
			if !regexp.MustCompile(`flag\.\w+\("` + f[1] + `"`).MatchString(source) {
				t.Errorf("README command %q uses -%s, which cmd/plan does not define", cmd, f[1])
			}
		}
	}
}

// TestReadmeCIRunsTheTestCommand checks that .ci/run ends in the README's test command.
func TestReadmeCIRunsTheTestCommand(t *testing.T) {
	ci := readmeFile(t, ".ci/run")
	if !strings.Contains(ci, "exec make test") {
		t.Error(".ci/run does not run make test")
	}
	if !strings.Contains(readmeFile(t, "README.md"), "make test") {
		t.Error("the README does not give make test")
	}
	if !strings.Contains(readmeFile(t, "Makefile"), ".ci/test") {
		t.Error("make test does not run .ci/test")
	}
}
