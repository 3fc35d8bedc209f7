package cost

import (
	"testing"

	"github.com/example/wordpress-aks/plan"
)

func TestNodeLogGB(t *testing.T) {
	tests := []struct {
		interval string
		want     float64
	}{
		{"", 2},    // no rule: the 5-minute base
		{"1m", 10}, // five times the records
		{"5m", 2},  // the base
		{"15m", 2.0 / 3},
		{"1h", 2.0 / 12},
		{"soon", 2}, // unreadable: the base, never zero
	}
	for _, tt := range tests {
		t.Run(tt.interval, func(t *testing.T) {
			if got := NodeLogGB(intervalMinutes(tt.interval)); !near(got, tt.want, 1e-9) {
				t.Errorf("NodeLogGB(%q) = %v, want %v", tt.interval, got, tt.want)
			}
		})
	}
}

// TestEstimateLogPlans prices the workspace from the data collection rule's interval and the
// ContainerLogV2 table's plan: container logs on Basic move to their own, cheaper line.
func TestEstimateLogPlans(t *testing.T) {
	table := japanEast(t)
	p := func(key string) float64 { return price(t, table, key) }
	cluster := resource("azure-native:containerservice:ManagedCluster", "aks", map[string]any{
		"agentPoolProfiles": []any{map[string]any{"name": "admin", "vmSize": "Standard_F2s_v2", "count": 6.0, "osDiskType": "Ephemeral", "osDiskSizeGB": 30.0}},
	})
	dcr := func(interval string) plan.Resource {
		return resource("azure-native:insights:DataCollectionRule", "dcr", map[string]any{
			"dataSources": map[string]any{"extensions": []any{map[string]any{
				"extensionName":     "ContainerInsights",
				"extensionSettings": map[string]any{"dataCollectionSettings": map[string]any{"interval": interval}},
			}}},
		})
	}
	logTable := func(plan string) plan.Resource {
		return resource("azure-native:operationalinsights:Table", "t", map[string]any{"tableName": "ContainerLogV2", "plan": plan})
	}
	site := func(name string) plan.Resource { return plan.Resource{Type: siteType, Name: name} }
	workspace := resource("azure-native:operationalinsights:Workspace", "ws", map[string]any{
		"sku": map[string]any{"name": "PerGB2018"}, "workspaceCapping": map[string]any{"dailyQuotaGb": 1.0},
	})
	tests := []struct {
		name      string
		resources []plan.Resource
		want      map[string]float64
	}{
		{"5-minute interval, logs on Analytics",
			[]plan.Resource{cluster, dcr("5m"), logTable("Analytics"), site("a"), site("b"), workspace},
			map[string]float64{"ingestion": (6*2 + 2*1 - 5) * p("loganalytics/ingestion")}},
		{"5-minute interval, logs on Basic",
			[]plan.Resource{cluster, dcr("5m"), logTable("Basic"), site("a"), site("b"), workspace},
			map[string]float64{"ingestion": (6*2 - 5) * p("loganalytics/ingestion"), "basic ingestion": 2 * p("loganalytics/basic-ingestion")}},
		{"15-minute interval, logs on Basic: within the free 5 GB",
			[]plan.Resource{cluster, dcr("15m"), logTable("Basic"), site("a"), site("b"), workspace},
			map[string]float64{"ingestion": 0, "basic ingestion": 2 * p("loganalytics/basic-ingestion")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			est, err := EstimatePlan(&plan.Plan{Stack: "t", Resources: tt.resources}, table)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]float64{}
			for _, l := range est.Lines {
				if l.Resource == "ws" {
					got[l.Component] = l.MonthlyUSD
				}
			}
			if len(got) != len(tt.want) {
				t.Errorf("workspace lines %v, want %v", got, tt.want)
			}
			for c, w := range tt.want {
				if g, ok := got[c]; !ok || !near(g, w, 0.0001) {
					t.Errorf("%s = %v, want %v", c, g, w)
				}
			}
		})
	}
}
