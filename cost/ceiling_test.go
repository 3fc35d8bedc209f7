package cost

import (
	"strings"
	"testing"

	"github.com/example/wordpress-aks/plan"
)

func TestCheckCeiling(t *testing.T) {
	table := japanEast(t)
	// A plan over prod's $450 ceiling: ten Standard_D4s_v5 nodes are 10 x 730 x 0.248 = $1,810.40
	// before their disks, load balancer and IP.
	big := &plan.Plan{Stack: "big", Resources: []plan.Resource{
		resource("azure-native:containerservice/v20240801:ManagedCluster", "aks", map[string]any{
			"location": "japaneast",
			"agentPoolProfiles": []any{map[string]any{
				"name": "system", "vmSize": "Standard_D4s_v5", "count": 10.0, "osDiskSizeGB": 30.0,
			}},
		}),
	}}
	est, err := EstimatePlan(big, table)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		ceiling float64
		wantErr []string
	}{
		{
			name:    "over the ceiling",
			ceiling: 450,
			wantErr: []string{
				"stack big", "monthly estimate " + usd(est.TotalUSD), "(" + jpy(est.TotalJPY) + ")",
				"exceeds the ceiling $450.00 (JPY 67,500)", "cost.monthlyCeilingUSD",
			},
		},
		{name: "no ceiling", ceiling: 0},
		{name: "under the ceiling", ceiling: 5000},
		{name: "exactly at the ceiling", ceiling: est.TotalUSD},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckCeiling(est, tt.ceiling)
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Fatalf("CheckCeiling(%v) = %v, want nil", tt.ceiling, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("CheckCeiling(%v) = nil, want an error", tt.ceiling)
			}
			for _, frag := range tt.wantErr {
				if !strings.Contains(err.Error(), frag) {
					t.Errorf("error %q does not contain %q", err, frag)
				}
			}
		})
	}
	if est.TotalUSD < 1810.40 {
		t.Errorf("TotalUSD = %v, want at least the nodes' $1,810.40", est.TotalUSD)
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{usd(0), "$0.00"},
		{usd(387.8369), "$387.84"},
		{usd(1810.4), "$1,810.40"},
		{usd(-4.146), "-$4.15"},
		{jpy(58176), "JPY 58,176"},
		{jpy(1234567), "JPY 1,234,567"},
		{jpy(-621), "-JPY 621"},
		{number(30.416666), "30.42"},
		{number(8760), "8760"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
