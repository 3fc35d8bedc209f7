package cost

import (
	"math"
	"sync"
	"testing"

	"github.com/example/wordpress-aks/plan"
)

// Each stack is planned once per test binary: plan.Run sets process environment variables, so
// the tests that use it do not run in parallel.
var (
	plansMu sync.Mutex
	plans   = map[string]*plan.Plan{}
	planErr = map[string]error{}
)

// realPlan plans a stack file of this repository (plan.Run finds Pulumi.yaml above the package).
func realPlan(t *testing.T, stack string) *plan.Plan {
	t.Helper()
	plansMu.Lock()
	defer plansMu.Unlock()
	if _, done := plans[stack]; !done {
		plans[stack], planErr[stack] = plan.Run(stack, plan.Options{})
	}
	if err := planErr[stack]; err != nil {
		t.Fatalf("plan.Run(%q): %v", stack, err)
	}
	return plans[stack]
}

func japanEast(t *testing.T) Table {
	t.Helper()
	table, err := LoadTable("japaneast")
	if err != nil {
		t.Fatalf("LoadTable(japaneast): %v", err)
	}
	return table
}

// price is the table's unit price for key; the hand computations read it so a refreshed table
// does not break them.
func price(t *testing.T, table Table, key string) float64 {
	t.Helper()
	it, err := table.Price(key)
	if err != nil {
		t.Fatal(err)
	}
	return it.USD
}

func near(a, b, tolerance float64) bool { return math.Abs(a-b) <= tolerance }

// resource builds a plan resource for hand-made plans.
func resource(typ, name string, inputs map[string]any) plan.Resource {
	return plan.Resource{Type: typ, Name: name, DependsOn: []string{}, Inputs: inputs}
}
