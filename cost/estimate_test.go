package cost

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/example/wordpress-aks/plan"
)

// wantLine is a line computed by hand from the table's unit prices.
type wantLine struct {
	resource, component string
	usd                 float64
}

// TestEstimateStacks checks the estimate of the real dev and prod plans against totals computed
// here by hand, line by line, from the stack files and the table's unit prices.
func TestEstimateStacks(t *testing.T) {
	table := japanEast(t)
	p := func(key string) float64 { return price(t, table, key) }
	const h = 730.0 // hours a month
	// office is dev's scheduled hours: 5 days x 10 hours a week, in 730-hour months.
	const office = 5 * 10 * h / 168

	// Shared by both stacks: 8 metric alert rules (6 single series; node CPU and node memory
	// split by node pool: admin and user), 2 log alerts every 15 minutes (the default), 2
	// standard web tests from 1 location every 600 s (the default), the ingress IP, the MySQL
	// private DNS zone, 0.01 GB of build context, and 2 sites x 1 GB of container logs on the
	// Basic plan.
	runs := 1 * (h * 3600 / 600) // 4,380 runs a test
	shared := []wantLine{
		{"alert-mysql-connections", "rule", 1 * p("monitor/metric-alert-series")},
		{"alert-mysql-cpu", "rule", 1 * p("monitor/metric-alert-series")},
		{"alert-mysql-storage", "rule", 1 * p("monitor/metric-alert-series")},
		{"alert-nfs-vm-down", "rule", 1 * p("monitor/metric-alert-series")},
		{"alert-node-cpu", "rule", 2 * p("monitor/metric-alert-series")},
		{"alert-node-memory", "rule", 2 * p("monitor/metric-alert-series")},
		{"alert-site-azure", "rule", 1 * p("monitor/metric-alert-series")},
		{"alert-site-tech", "rule", 1 * p("monitor/metric-alert-series")},
		{"alert-nfs-disk-full", "rule", 1 * p("monitor/log-alert-15m")},
		{"alert-pod-restarts", "rule", 1 * p("monitor/log-alert-15m")},
		{"log-analytics", "basic ingestion", 2 * 1 * p("loganalytics/basic-ingestion")},
		{"webtest-azure", "runs", runs * p("monitor/webtest-run")},
		{"webtest-tech", "runs", runs * p("monitor/webtest-run")},
		{"ingress-ip", "public IP", h * p("ip/standard-static")},
		{"mysql-dns-zone", "zone", 1 * p("dns/private-zone")},
		{"image-context-storage", "blobs", 0.01 * p("storage/blob-hot-lrs")},
		// Basic registry, billed per day: 730 / 24 = 30.4167 days.
		{"registry", "registry", h / 24 * p("acr/Basic")},
		// The NFS VM's 30 GB StandardSSD OS disk, billed as E4 (32 GB), stopped or not.
		{"nfs-vm", "OS disk", 1 * p("disk/E4 LRS")},
		// AKS Free tier; one Standard load balancer and one AKS-managed outbound IP.
		{"aks", "control plane", 0},
		{"aks", "load balancer", h * p("lb/standard")},
		{"aks", "outbound public IP", 1 * h * p("ip/standard-static")},
	}

	tests := []struct {
		stack string
		lines []wantLine
	}{
		{
			stack: "dev",
			lines: []wantLine{
				// Pools: admin (System) 1 x F2s_v2 with its OS disk ephemeral (in the VM's cache:
				// no disk line), user 1 x B2s, whose 30 GB managed OS disk takes Premium and bills
				// as P4 (32 GB).
				// Dev's schedule runs compute Monday to Friday 09-19: 50 of the week's 168
				// hours, 217.26 of the month's 730, for the nodes, MySQL and the NFS VM.
				{"aks", "nodes (admin)", 1 * office * p("vm/Standard_F2s_v2")},
				{"pool-user", "nodes (user)", 1 * office * p("vm/Standard_B2s")},
				{"pool-user", "node OS disks (user)", 1 * p("disk/P4 LRS")},
				{"nfs-vm", "compute", office * p("vm/Standard_B1ms")},
				// The two workflows run once a weekday: 21.7 runs of 40 executions each.
				{"schedule-start", "executions", 5 * h / 168 * 40 * p("logic/action")},
				{"schedule-stop", "executions", 5 * h / 168 * 40 * p("logic/action")},
				// MySQL B1ms, 20 GB, 3 days of locally redundant backups: within the free 20 GB.
				{"mysql", "compute", office * p("mysql/Standard_B1ms")},
				{"mysql", "storage", 20 * p("mysql/storage")},
				{"mysql", "backup", 0 * p("mysql/backup")},
				// wp-content: 16 GB StandardSSD = E3.
				{"nfs-data-disk", "disk", 1 * p("disk/E3 LRS")},
				// Analytics logs: 2 nodes x 2 GB x 5/15 (a 15-minute interval) + 1 VM x 0.1 GB
				// = 1.43 GB, within the 5 GB free.
				{"log-analytics", "ingestion", 0},
				// No VM backup in dev.
			},
		},
		{
			stack: "prod",
			lines: []wantLine{
				// Pools: admin (System) 2 x F2s_v2 with ephemeral OS disks, user 2 x B2s, each
				// with a P4 OS disk.
				{"aks", "nodes (admin)", 2 * h * p("vm/Standard_F2s_v2")},
				{"pool-user", "nodes (user)", 2 * h * p("vm/Standard_B2s")},
				{"pool-user", "node OS disks (user)", 2 * p("disk/P4 LRS")},
				// No schedule: everything runs all month.
				{"nfs-vm", "compute", h * p("vm/Standard_B1ms")},
				// MySQL B1ms, 32 GB, geo-redundant backups: the second 32 GB copy is beyond the
				// free allowance (100% of storage).
				{"mysql", "compute", h * p("mysql/Standard_B1ms")},
				{"mysql", "storage", 32 * p("mysql/storage")},
				{"mysql", "backup", (2*32 - 32) * p("mysql/backup")},
				// wp-content: 64 GB StandardSSD = E6.
				{"nfs-data-disk", "disk", 1 * p("disk/E6 LRS")},
				// Analytics logs: 4 nodes x 2 GB x 5/15 + 1 VM x 0.1 GB = 2.77 GB, within the 5 GB
				// free.
				{"log-analytics", "ingestion", 0},
				// wp-content snapshots: the whole 64 GB disk assumed in use, zone-redundant
				// snapshot storage; a run a day of 10 executions.
				{"backup-snapshots", "snapshot storage", 64 * p("snapshot/zrs")},
				{"backup-snapshots", "executions", 730.0 / 24 * 10 * p("logic/action")},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.stack, func(t *testing.T) {
			est, err := EstimatePlan(realPlan(t, tt.stack), table)
			if err != nil {
				t.Fatalf("EstimatePlan(%s): %v", tt.stack, err)
			}
			want := append(append([]wantLine(nil), shared...), tt.lines...)
			got := map[string]Line{}
			for _, l := range est.Lines {
				got[l.Resource+"/"+l.Component] = l
			}
			var wantTotal float64
			for _, w := range want {
				wantTotal += w.usd
				g, ok := got[w.resource+"/"+w.component]
				if !ok {
					t.Errorf("no line %s/%s", w.resource, w.component)
					continue
				}
				// Lines are rounded to 1/10,000 of a dollar.
				if !near(g.MonthlyUSD, w.usd, 0.00006) {
					t.Errorf("%s/%s = $%v (%s), want $%v", w.resource, w.component, g.MonthlyUSD, g.Item, w.usd)
				}
				delete(got, w.resource+"/"+w.component)
			}
			for k, l := range got {
				t.Errorf("unexpected line %s: %s $%v", k, l.Item, l.MonthlyUSD)
			}
			if !near(est.TotalUSD, wantTotal, 0.005) {
				t.Errorf("TotalUSD = %v, want %v", est.TotalUSD, wantTotal)
			}
			if wantJPY := math.Round(wantTotal * 150); math.Abs(float64(est.TotalJPY)-wantJPY) > 1 {
				t.Errorf("TotalJPY = %d, want %v", est.TotalJPY, wantJPY)
			}
			if len(est.Unpriced) > 0 {
				t.Errorf("Unpriced = %v, want every Azure type priced or declared free", est.Unpriced)
			}
			if err := CheckCeiling(est, realPlan(t, tt.stack).Config.Cost.MonthlyCeilingUSD); err != nil {
				t.Errorf("the stack file's own ceiling: %v", err)
			}
			t.Logf("%s: $%.2f, JPY %d a month", tt.stack, est.TotalUSD, est.TotalJPY)
		})
	}
}

func TestEstimateErrors(t *testing.T) {
	table := japanEast(t)
	cluster := func(vmSize string) plan.Resource {
		return resource("azure-native:containerservice/v20240801:ManagedCluster", "aks", map[string]any{
			"location":          "japaneast",
			"sku":               map[string]any{"tier": "Free"},
			"agentPoolProfiles": []any{map[string]any{"name": "admin", "vmSize": vmSize, "count": 1.0, "osDiskSizeGB": 30.0}},
		})
	}
	tests := []struct {
		name     string
		resource plan.Resource
		// wantErr are fragments the message must contain: the resource and the SKU.
		wantErr []string
	}{
		{
			name:     "unknown node VM size",
			resource: cluster("Standard_E64s_v5"),
			wantErr:  []string{"aks (", "Standard_E64s_v5", `no price "vm/Standard_E64s_v5"`, "go run ./cmd/prices -region japaneast"},
		},
		{
			name: "unknown MySQL SKU",
			resource: resource("azure-native:dbformysql/v20231230:Server", "mysql", map[string]any{
				"location": "japaneast", "sku": map[string]any{"name": "Standard_E4ds_v5", "tier": "MemoryOptimized"},
			}),
			wantErr: []string{"mysql (", "Standard_E4ds_v5"},
		},
		{
			name: "unknown VM size",
			resource: resource("azure-native:compute:VirtualMachine", "nfs-vm", map[string]any{
				"location": "japaneast", "hardwareProfile": map[string]any{"vmSize": "Standard_M8ms"},
			}),
			wantErr: []string{"nfs-vm (", "Standard_M8ms"},
		},
		{
			name: "disk SKU without a tier price",
			resource: resource("azure-native:compute:Disk", "data", map[string]any{
				"location": "japaneast", "diskSizeGB": 64.0, "sku": map[string]any{"name": "PremiumV2_LRS"},
			}),
			wantErr: []string{"data (", "PremiumV2_LRS"},
		},
		{
			name: "disk tier missing from the table",
			resource: resource("azure-native:compute:Disk", "data", map[string]any{
				"location": "japaneast", "diskSizeGB": 1024.0, "sku": map[string]any{"name": "Premium_LRS"},
			}),
			wantErr: []string{"data (", "Premium_LRS", `"disk/P30 LRS"`},
		},
		{
			name: "resource in another region",
			resource: resource("azure-native:compute:Disk", "data", map[string]any{
				"location": "westeurope", "diskSizeGB": 64.0, "sku": map[string]any{"name": "Premium_LRS"},
			}),
			wantErr: []string{"data (", `"westeurope"`, `"japaneast"`},
		},
		{
			name: "retired basic public IP",
			resource: resource("azure-native:network:PublicIPAddress", "ip", map[string]any{
				"location": "japaneast", "sku": map[string]any{"name": "Basic"},
			}),
			wantErr: []string{"ip (", `"Basic"`},
		},
		{
			name:     "snapshots of a disk the plan does not have",
			resource: snapshotWorkflow("Standard_LRS", "disk-missing"),
			wantErr:  []string{"snap (", `"disk-missing"`, "not in the plan"},
		},
		{
			name:     "snapshot storage without a price",
			resource: snapshotWorkflow("Premium_LRS", "disk-missing"),
			wantErr:  []string{"snap (", `"Premium_LRS"`, "Standard_LRS, Standard_ZRS"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := EstimatePlan(&plan.Plan{Stack: "test", Resources: []plan.Resource{tt.resource}}, table)
			if err == nil {
				t.Fatal("EstimatePlan succeeded, want an error")
			}
			for _, frag := range tt.wantErr {
				if !strings.Contains(err.Error(), frag) {
					t.Errorf("error %q does not contain %q", err, frag)
				}
			}
		})
	}
}

// TestEstimateRules checks pricing rules the stack files do not exercise.
func TestEstimateRules(t *testing.T) {
	table := japanEast(t)
	p := func(key string) float64 { return price(t, table, key) }
	const h = 730.0
	tests := []struct {
		name      string
		resources []plan.Resource
		want      []wantLine
		unpriced  []string
	}{
		{
			name: "Standard tier, ephemeral OS disks, autoscaler maximum, two outbound IPs",
			resources: []plan.Resource{resource("azure-native:containerservice/v20240801:ManagedCluster", "aks", map[string]any{
				"sku": map[string]any{"tier": "Standard"},
				"agentPoolProfiles": []any{map[string]any{
					"name": "system", "vmSize": "Standard_D4s_v5", "count": 1.0, "enableAutoScaling": true, "minCount": 1.0, "maxCount": 3.0,
					"osDiskType": "Ephemeral", "osDiskSizeGB": 64.0,
				}},
				"networkProfile": map[string]any{"loadBalancerProfile": map[string]any{"managedOutboundIPs": map[string]any{"count": 2.0}}},
			})},
			want: []wantLine{
				{"aks", "control plane", h * p("aks/standard")},
				{"aks", "nodes (system)", 3 * h * p("vm/Standard_D4s_v5")},
				{"aks", "load balancer", h * p("lb/standard")},
				{"aks", "outbound public IP", 2 * h * p("ip/standard-static")},
			},
		},
		{
			name: "AKS default OS disk: 128 GB Premium",
			resources: []plan.Resource{resource("azure-native:containerservice/v20240801:AgentPool", "pool", map[string]any{
				"agentPoolName": "user", "vmSize": "Standard_B2s", "count": 4.0,
			})},
			want: []wantLine{
				{"pool", "nodes (user)", 4 * h * p("vm/Standard_B2s")},
				{"pool", "node OS disks (user)", 4 * p("disk/P10 LRS")},
			},
		},
		{
			name: "zone-redundant MySQL HA doubles compute and storage",
			resources: []plan.Resource{resource("azure-native:dbformysql/v20231230:Server", "mysql", map[string]any{
				"sku":              map[string]any{"name": "Standard_D2ds_v5", "tier": "GeneralPurpose"},
				"storage":          map[string]any{"storageSizeGB": 64.0},
				"highAvailability": map[string]any{"mode": "ZoneRedundant"},
				"backup":           map[string]any{"backupRetentionDays": 7.0, "geoRedundantBackup": "Disabled"},
			})},
			want: []wantLine{
				{"mysql", "compute", 2 * h * p("mysql/Standard_D2ds_v5")},
				{"mysql", "storage", 2 * 64 * p("mysql/storage")},
				{"mysql", "backup", 0},
			},
		},
		{
			name: "small VM backup, locally redundant, data disk excluded",
			resources: []plan.Resource{
				resource("azure-native:compute:VirtualMachine", "vm", map[string]any{
					"vmName":          "vm-a",
					"hardwareProfile": map[string]any{"vmSize": "Standard_B1ms"},
					"storageProfile": map[string]any{
						"osDisk":    map[string]any{"diskSizeGB": 30.0, "managedDisk": map[string]any{"storageAccountType": "Premium_LRS"}},
						"dataDisks": []any{map[string]any{"lun": 0.0, "createOption": "Empty", "diskSizeGB": 100.0, "managedDisk": map[string]any{"storageAccountType": "StandardSSD_LRS"}}},
					},
				}),
				resource("azure-native:recoveryservices/v20241001:Vault", "vault", map[string]any{
					"vaultName":  "rsv",
					"properties": map[string]any{"redundancySettings": map[string]any{"standardTierStorageRedundancy": "LocallyRedundant"}},
				}),
				resource("azure-native:recoveryservices:ProtectedItem", "backup", map[string]any{
					"vaultName": "rsv",
					"properties": map[string]any{
						"protectedItemType": "Microsoft.Compute/virtualMachines",
						"sourceResourceId":  "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-a",
						"extendedProperties": map[string]any{"diskExclusionProperties": map[string]any{
							"isInclusionList": false, "diskLunList": []any{0.0},
						}},
					},
				}),
			},
			want: []wantLine{
				{"vm", "compute", h * p("vm/Standard_B1ms")},
				{"vm", "OS disk", p("disk/P4 LRS")},
				{"vm", "data disk lun 0", p("disk/E10 LRS")},
				// Only the 30 GB OS disk is backed up: the small instance fee.
				{"backup", "protected instance", p("backup/vm-small")},
				{"backup", "backup storage", 30 * p("backup/storage-lrs")},
			},
		},
		{
			name: "snapshot workflow, locally redundant: the source disk's size",
			resources: []plan.Resource{
				resource("azure-native:compute:Disk", "data", map[string]any{"diskName": "disk-a", "diskSizeGB": 128.0, "sku": map[string]any{"name": "StandardSSD_LRS"}}),
				resource("azure-native:logic:Workflow", "snap", map[string]any{
					"definition": map[string]any{"actions": map[string]any{"Snapshot": map[string]any{"inputs": map[string]any{
						"method": "PUT",
						"body": map[string]any{
							"sku":        map[string]any{"name": "Standard_LRS"},
							"properties": map[string]any{"creationData": map[string]any{"sourceResourceId": "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/disks/disk-a"}},
						},
					}}}},
				}),
			},
			want: []wantLine{
				{"data", "disk", p("disk/E10 LRS")},
				{"snap", "snapshot storage", 128 * p("snapshot/lrs")},
				{"snap", "executions", 730.0 / 24 * 10 * p("logic/action")},
			},
		},
		{
			name: "disabled rules and tests bill nothing; an unknown type is listed, not zero",
			resources: []plan.Resource{
				resource("azure-native:insights:MetricAlert", "off", map[string]any{"enabled": false}),
				resource("azure-native:insights:WebTest", "off-test", map[string]any{"enabled": false, "kind": "standard"}),
				resource("azure-native:network:NatGateway", "nat", map[string]any{}),
				resource("kubernetes:core/v1:Namespace", "ns", map[string]any{}),
			},
			unpriced: []string{"nat (azure-native:network:NatGateway)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			est, err := EstimatePlan(&plan.Plan{Stack: "test", Resources: tt.resources}, table)
			if err != nil {
				t.Fatalf("EstimatePlan: %v", err)
			}
			var got []string
			for _, l := range est.Lines {
				got = append(got, fmt.Sprintf("%s/%s %.4f", l.Resource, l.Component, l.MonthlyUSD))
			}
			var want []string
			for _, w := range tt.want {
				want = append(want, fmt.Sprintf("%s/%s %.4f", w.resource, w.component, w.usd))
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if strings.Join(est.Unpriced, ",") != strings.Join(tt.unpriced, ",") {
				t.Errorf("Unpriced = %v, want %v", est.Unpriced, tt.unpriced)
			}
		})
	}
}

func TestEstimateWrite(t *testing.T) {
	est, err := EstimatePlan(realPlan(t, "prod"), japanEast(t))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := est.Write(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		`Monthly estimate for stack "prod": japaneast prices of 2026-11-25`,
		"1 x Standard static public IP, AKS-managed egress",
		fmt.Sprintf("TOTAL %s %s", usd(est.TotalUSD), jpy(est.TotalJPY)),
		"not confirmed for japaneast",
		"Not counted",
	} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("estimate table lacks %q:\n%s", want, out)
		}
	}
}

// snapshotWorkflow is a snapshot backup workflow of the disk named disk onto snapshot storage
// sku.
func snapshotWorkflow(sku, disk string) plan.Resource {
	return resource("azure-native:logic:Workflow", "snap", map[string]any{
		"location": "japaneast",
		"definition": map[string]any{"actions": map[string]any{"Snapshot": map[string]any{"inputs": map[string]any{
			"method": "PUT",
			"body": map[string]any{
				"sku":        map[string]any{"name": sku},
				"properties": map[string]any{"creationData": map[string]any{"sourceResourceId": "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/disks/" + disk}},
			},
		}}}},
	})
}
