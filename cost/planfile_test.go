package cost

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"
)

// TestPlanFile writes a real plan with its estimate and reads it back: the resources are exactly
// what plan.Plan marshals to, and the estimate survives the trip for -base.
func TestPlanFile(t *testing.T) {
	p := realPlan(t, "dev")
	est, err := EstimatePlan(p, japanEast(t))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := WritePlanFile(path, p, est); err != nil {
		t.Fatal(err)
	}
	got, err := ReadPlanFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Estimate == nil {
		t.Fatal("ReadPlanFile: no estimate")
	}
	if got.Estimate.TotalUSD != est.TotalUSD || got.Estimate.TotalJPY != est.TotalJPY || len(got.Estimate.Lines) != len(est.Lines) {
		t.Errorf("estimate after the round trip: $%v JPY %d %d lines, want $%v JPY %d %d lines",
			got.Estimate.TotalUSD, got.Estimate.TotalJPY, len(got.Estimate.Lines), est.TotalUSD, est.TotalJPY, len(est.Lines))
	}
	if d := Diff(est, got.Estimate); len(d.Lines) != 0 {
		t.Errorf("diff against the read-back estimate has %d lines, want none", len(d.Lines))
	}
	// A base plan without an estimate is priced from its resources: the JSON round trip must
	// not change what they cost.
	again, err := EstimatePlan(got.Plan, japanEast(t))
	if err != nil {
		t.Fatalf("EstimatePlan(read-back plan): %v", err)
	}
	if d := Diff(est, again); len(d.Lines) != 0 || again.TotalUSD != est.TotalUSD {
		t.Errorf("estimate of the read-back plan differs: %d lines, $%v vs $%v", len(d.Lines), again.TotalUSD, est.TotalUSD)
	}

	// The file is plan.Plan's own JSON with one more key: compare the two without it.
	var withEstimate, planOnly map[string]json.RawMessage
	fileBytes, _ := json.Marshal(PlanFile{Plan: p, Estimate: est})
	planBytes, _ := json.Marshal(p)
	if err := json.Unmarshal(fileBytes, &withEstimate); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(planBytes, &planOnly); err != nil {
		t.Fatal(err)
	}
	if _, ok := withEstimate["estimate"]; !ok {
		t.Error("plan file has no estimate key")
	}
	delete(withEstimate, "estimate")
	if len(withEstimate) != len(planOnly) {
		t.Errorf("plan file keys %d, plan keys %d", len(withEstimate), len(planOnly))
	}
	for k, v := range planOnly {
		if !bytes.Equal(withEstimate[k], v) {
			t.Errorf("plan file %q differs from plan.Plan's JSON", k)
		}
	}
}

func TestReadPlanFileErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		path string
	}{
		{"missing file", filepath.Join(dir, "nope.json")},
		{"not JSON", writeFile(t, dir, "bad.json", "{")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ReadPlanFile(tt.path); err == nil {
				t.Errorf("ReadPlanFile(%s) succeeded, want an error", tt.path)
			}
		})
	}
	old, err := ReadPlanFile(writeFile(t, dir, "old.json", `{"stack":"prod","resources":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	if old.Estimate != nil || old.Stack != "prod" {
		t.Errorf("a plan from before estimates: got stack %q estimate %v, want prod and none", old.Stack, old.Estimate)
	}
}
