package cost

import (
	"testing"

	"github.com/example/wordpress-aks/plan"
)

// TestEstimateSchedule prices compute by the hours the plan's start and stop workflows leave it
// running, and only when both name the resource.
func TestEstimateSchedule(t *testing.T) {
	table := japanEast(t)
	p := func(key string) float64 { return price(t, table, key) }
	const h = 730.0
	vm := resource("azure-native:compute:VirtualMachine", "vm", map[string]any{
		"vmName":          "vm-a",
		"hardwareProfile": map[string]any{"vmSize": "Standard_B1ms"},
		"storageProfile":  map[string]any{"osDisk": map[string]any{"diskSizeGB": 30.0}},
	})
	flow := func(name, action string, hour float64, days ...any) plan.Resource {
		return resource("azure-native:logic:Workflow", name, map[string]any{"definition": map[string]any{
			"triggers": map[string]any{"Recurrence": map[string]any{"type": "Recurrence", "recurrence": map[string]any{
				"frequency": "Week", "interval": 1.0, "timeZone": "UTC",
				"schedule": map[string]any{"weekDays": days, "hours": []any{hour}, "minutes": []any{0.0}},
			}}},
			"actions": map[string]any{"Act": map[string]any{"type": "Http", "inputs": map[string]any{
				"method": "POST", "uri": "https://management.azure.com/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/virtualMachines/vm-a/" + action + "?api-version=2024-07-01",
			}}},
		}})
	}
	runs := func(days float64) float64 { return days * h / 168 * LogicRunExecutions * p("logic/action") }
	tests := []struct {
		name      string
		resources []plan.Resource
		wantVM    float64
		wantFlows float64
	}{
		{"no schedule", []plan.Resource{vm}, h * p("vm/Standard_B1ms"), 0},
		{"weekends 08-20", []plan.Resource{vm, flow("up", "start", 8, "Saturday", "Sunday"), flow("down", "deallocate", 20, "Saturday", "Sunday")},
			2 * 12 * h / 168 * p("vm/Standard_B1ms"), 2 * runs(2)},
		{"started but never stopped: all month", []plan.Resource{vm, flow("up", "start", 8, "Monday")},
			h * p("vm/Standard_B1ms"), runs(1)},
		{"stopped before it starts: all month", []plan.Resource{vm, flow("up", "start", 20, "Monday"), flow("down", "stop", 8, "Monday")},
			h * p("vm/Standard_B1ms"), 2 * runs(1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			est, err := EstimatePlan(&plan.Plan{Stack: "t", Resources: tt.resources}, table)
			if err != nil {
				t.Fatal(err)
			}
			var gotVM, gotFlows float64
			for _, l := range est.Lines {
				switch {
				case l.Resource == "vm" && l.Component == "compute":
					gotVM = l.MonthlyUSD
				case l.Unit == "execution":
					gotFlows += l.MonthlyUSD
				}
			}
			if !near(gotVM, tt.wantVM, 0.0001) {
				t.Errorf("VM compute = $%v, want $%v", gotVM, tt.wantVM)
			}
			if !near(gotFlows, tt.wantFlows, 0.0002) {
				t.Errorf("workflows = $%v, want $%v", gotFlows, tt.wantFlows)
			}
		})
	}
}
