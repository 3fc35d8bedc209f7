package tests

// The README's cost table is the plan's estimate of the committed stack files, rendered by
// cost.ReadmeTable: this test keeps the two equal. After a change that moves a price, rewrite
// the table with:
//
//	UPDATE_README=1 go test ./tests -run TestReadmeCostTable

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/example/wordpress-aks/cost"
)

const (
	costTableBegin = "<!-- cost table: generated from the plan; UPDATE_README=1 go test ./tests -run TestReadmeCostTable -->\n"
	costTableEnd   = "<!-- end of cost table -->\n"
)

func TestReadmeCostTable(t *testing.T) {
	var ests []*cost.Estimate
	for _, stack := range []string{"dev", "prod"} {
		p := graphPlan(t, stack)
		table, err := cost.TableFor(p.Config.Location)
		if err != nil {
			t.Fatal(err)
		}
		est, err := cost.EstimatePlan(p, table)
		if err != nil {
			t.Fatal(err)
		}
		ests = append(ests, est)
	}
	want := cost.ReadmeTable(ests)
	path := filepath.Join(stackRoot(t), "README.md")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	begin := strings.Index(readme, costTableBegin)
	end := strings.Index(readme, costTableEnd)
	if begin < 0 || end < begin {
		t.Fatalf("README.md has no cost table between %q and %q", costTableBegin, costTableEnd)
	}
	got := readme[begin+len(costTableBegin) : end]
	if got == want {
		return
	}
	if os.Getenv("UPDATE_README") == "1" {
		updated := readme[:begin+len(costTableBegin)] + want + readme[end:]
		if err := os.WriteFile(path, []byte(updated), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("rewrote the README's cost table")
		return
	}
	t.Errorf("the README's cost table is not the plan's; rewrite it with UPDATE_README=1 go test ./tests -run TestReadmeCostTable\ngot:\n%s\nwant:\n%s", got, want)
}
