package cost

import (
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	base := &Estimate{Stack: "prod", USDToJPY: 150, TotalUSD: 100, TotalJPY: 15000, Lines: []Line{
		{Resource: "aks", Component: "nodes (admin)", Item: "2 x Standard_F2s_v2 node", MonthlyUSD: 60, MonthlyJPY: 9000},
		{Resource: "mysql", Component: "compute", Item: "MySQL Standard_B1ms", MonthlyUSD: 20, MonthlyJPY: 3000},
		{Resource: "dns", Component: "zone", Item: "private DNS zone a", MonthlyUSD: 0.5, MonthlyJPY: 75},
		{Resource: "old-disk", Component: "disk", Item: "E4 LRS", MonthlyUSD: 19.5, MonthlyJPY: 2925},
	}}
	head := &Estimate{Stack: "prod", USDToJPY: 150, TotalUSD: 130.5, TotalJPY: 19575, Lines: []Line{
		{Resource: "aks", Component: "nodes (admin)", Item: "3 x Standard_F2s_v2 node", MonthlyUSD: 90, MonthlyJPY: 13500},
		{Resource: "mysql", Component: "compute", Item: "MySQL Standard_B1ms", MonthlyUSD: 20, MonthlyJPY: 3000},
		{Resource: "dns", Component: "zone", Item: "private DNS zone b", MonthlyUSD: 0.5, MonthlyJPY: 75},
		{Resource: "backup", Component: "protected instance", Item: "Azure Backup", MonthlyUSD: 20, MonthlyJPY: 3000},
	}}
	d := Diff(base, head)

	tests := []struct {
		name string
		got  any
		want any
	}{
		{"delta USD", d.DeltaUSD, 30.5},
		{"delta JPY", d.DeltaJPY, int64(4575)},
		{"lines", len(d.Lines), 3},
		{"changed", d.Lines[0].Change, Changed},
		{"changed delta", d.Lines[0].DeltaUSD, 30.0},
		{"changed delta JPY", d.Lines[0].DeltaJPY, int64(4500)},
		{"added", d.Lines[1].Change, Added},
		{"added resource", d.Lines[1].Resource, "backup"},
		{"added delta", d.Lines[1].DeltaUSD, 20.0},
		{"removed", d.Lines[2].Change, Removed},
		{"removed delta", d.Lines[2].DeltaUSD, -19.5},
		{"removed delta JPY", d.Lines[2].DeltaJPY, int64(-2925)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}

	var b strings.Builder
	if err := d.Write(&b); err != nil {
		t.Fatal(err)
	}
	out := strings.Join(strings.Fields(b.String()), " ")
	for _, want := range []string{
		"Monthly cost change (base prod -> head prod): +$30.50 (+JPY 4,575), from $100.00 (JPY 15,000) to $130.50 (JPY 19,575)",
		"changed +$30.00 +JPY 4,500 $60.00 $90.00 aks 2 x Standard_F2s_v2 node -> 3 x Standard_F2s_v2 node",
		"added +$20.00 +JPY 3,000 $0.00 $20.00 backup Azure Backup",
		"removed -$19.50 -JPY 2,925 $19.50 $0.00 old-disk E4 LRS",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("diff output lacks %q:\n%s", want, b.String())
		}
	}
	if strings.Contains(out, "private DNS zone") {
		t.Errorf("a renamed line at the same cost is not a cost change:\n%s", b.String())
	}
}

func TestDiffSame(t *testing.T) {
	est, err := EstimatePlan(realPlan(t, "dev"), japanEast(t))
	if err != nil {
		t.Fatal(err)
	}
	d := Diff(est, est)
	var b strings.Builder
	if err := d.Write(&b); err != nil {
		t.Fatal(err)
	}
	if len(d.Lines) != 0 || d.DeltaUSD != 0 || !strings.Contains(b.String(), "No line changed.") {
		t.Errorf("diff of an estimate with itself:\n%s", b.String())
	}
}
