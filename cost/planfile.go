package cost

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/example/wordpress-aks/plan"
)

// PlanFile is what cmd/plan -out writes: the plan exactly as plan.Plan marshals it, with the
// estimate next to its resources, so a later run (a pull request's head) can diff against it.
type PlanFile struct {
	*plan.Plan
	Estimate *Estimate `json:"estimate,omitempty"`
}

// ReadPlanFile reads a plan written by cmd/plan -out. A plan written before estimates existed
// has a nil Estimate; cmd/plan then prices its resources with the current table.
func ReadPlanFile(path string) (*PlanFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read plan file: %w", err)
	}
	pf := &PlanFile{Plan: &plan.Plan{}}
	if err := json.Unmarshal(b, pf); err != nil {
		return nil, fmt.Errorf("decode plan file %s: %w", path, err)
	}
	return pf, nil
}

// WritePlanFile writes p and its estimate as indented JSON.
func WritePlanFile(path string, p *plan.Plan, e *Estimate) error {
	b, err := json.MarshalIndent(PlanFile{Plan: p, Estimate: e}, "", "  ")
	if err != nil {
		return fmt.Errorf("encode plan: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write plan: %w", err)
	}
	return nil
}
