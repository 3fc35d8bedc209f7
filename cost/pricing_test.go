package cost

import (
	"strings"
	"testing"
)

func TestDiskTier(t *testing.T) {
	tests := []struct {
		name     string
		sku      string
		sizeGB   float64
		wantTier string
		wantGB   int
		wantErr  string
	}{
		{name: "AKS node OS disk rounds up to P4", sku: "Premium_LRS", sizeGB: 30, wantTier: "P4 LRS", wantGB: 32},
		{name: "AKS default 128 GB is exactly P10", sku: "Premium_LRS", sizeGB: 128, wantTier: "P10 LRS", wantGB: 128},
		{name: "one GB over a tier bills the next", sku: "StandardSSD_LRS", sizeGB: 33, wantTier: "E6 LRS", wantGB: 64},
		{name: "small Standard SSD", sku: "StandardSSD_LRS", sizeGB: 16, wantTier: "E3 LRS", wantGB: 16},
		{name: "zone-redundant SSD", sku: "StandardSSD_ZRS", sizeGB: 64, wantTier: "E6 ZRS", wantGB: 64},
		{name: "Standard HDD starts at S4", sku: "Standard_LRS", sizeGB: 4, wantTier: "S4 LRS", wantGB: 32},
		{name: "largest tier", sku: "Premium_LRS", sizeGB: 32767, wantTier: "P80 LRS", wantGB: 32767},
		{name: "too large", sku: "Premium_LRS", sizeGB: 40000, wantErr: "larger than the largest tier"},
		{name: "Ultra has no tier price", sku: "UltraSSD_LRS", sizeGB: 64, wantErr: `disk SKU "UltraSSD_LRS" has no tier price`},
		{name: "zero size", sku: "Premium_LRS", sizeGB: 0, wantErr: "must be positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gotTier, gotGB, err := DiskTier(tt.sku, tt.sizeGB)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("DiskTier(%q, %v) error = %v, want it to contain %q", tt.sku, tt.sizeGB, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("DiskTier(%q, %v): %v", tt.sku, tt.sizeGB, err)
			}
			if gotTier != tt.wantTier || gotGB != tt.wantGB {
				t.Errorf("DiskTier(%q, %v) = %q, %d; want %q, %d", tt.sku, tt.sizeGB, gotTier, gotGB, tt.wantTier, tt.wantGB)
			}
		})
	}
}

func TestPremiumStorage(t *testing.T) {
	tests := []struct {
		size string
		want bool
	}{
		{"Standard_B2s", true},
		{"Standard_B1ms", true},
		{"Standard_F2s_v2", true},
		{"Standard_D4s_v5", true},
		{"Standard_B2ls_v2", true},
		{"Standard_D2ads_v5", true},
		{"Standard_DS2_v2", true},
		{"Standard_D2_v5", false},
		{"Standard_A2_v2", false},
		{"Standard_F2", false},
		{"not-a-size", false},
	}
	for _, tt := range tests {
		t.Run(tt.size, func(t *testing.T) {
			if got := PremiumStorage(tt.size); got != tt.want {
				t.Errorf("PremiumStorage(%q) = %v, want %v", tt.size, got, tt.want)
			}
		})
	}
}

func TestWebTestRuns(t *testing.T) {
	tests := []struct {
		name      string
		locations int
		frequency float64
		want      float64
	}{
		// 730 h x 3600 s = 2,628,000 s a month.
		{name: "3 locations every 15 minutes", locations: 3, frequency: 900, want: 3 * 2628000.0 / 900},
		{name: "5 locations every 5 minutes", locations: 5, frequency: 300, want: 43800},
		{name: "no locations", locations: 0, frequency: 300, want: 0},
		{name: "no frequency", locations: 3, frequency: 0, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := WebTestRuns(tt.locations, tt.frequency); !near(got, tt.want, 1e-9) {
				t.Errorf("WebTestRuns(%d, %v) = %v, want %v", tt.locations, tt.frequency, got, tt.want)
			}
		})
	}
}

func TestLogAlertPrice(t *testing.T) {
	tests := []struct {
		frequency string
		want      string
		wantErr   bool
	}{
		{frequency: "PT1M", want: "monitor/log-alert-1m"},
		{frequency: "PT5M", want: "monitor/log-alert-5m"},
		{frequency: "PT10M", want: "monitor/log-alert-10m"},
		{frequency: "PT15M", want: "monitor/log-alert-15m"},
		{frequency: "PT1H", want: "monitor/log-alert-15m"},
		{frequency: "P1D", want: "monitor/log-alert-15m"},
		{frequency: "PT90S", want: "monitor/log-alert-5m"},
		{frequency: "", wantErr: true},
		{frequency: "5m", wantErr: true},
		{frequency: "PT", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.frequency, func(t *testing.T) {
			got, err := LogAlertPrice(tt.frequency)
			if (err != nil) != tt.wantErr {
				t.Fatalf("LogAlertPrice(%q) error = %v, want error %v", tt.frequency, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("LogAlertPrice(%q) = %q, want %q", tt.frequency, got, tt.want)
			}
		})
	}
}

func TestBackupInstances(t *testing.T) {
	tests := []struct {
		diskGB    float64
		wantKey   string
		wantCount float64
	}{
		{30, "backup/vm-small", 1},
		{50, "backup/vm-small", 1},
		{94, "backup/vm", 1},
		{500, "backup/vm", 1},
		{501, "backup/vm", 2},
		{1500, "backup/vm", 3},
	}
	for _, tt := range tests {
		gotKey, gotCount := BackupInstances(tt.diskGB)
		if gotKey != tt.wantKey || gotCount != tt.wantCount {
			t.Errorf("BackupInstances(%v) = %q, %v; want %q, %v", tt.diskGB, gotKey, gotCount, tt.wantKey, tt.wantCount)
		}
	}
}

func TestBillableLogGB(t *testing.T) {
	tests := []struct {
		name                  string
		nodes, sites, vms     int
		dailyCapGB            float64
		wantEstimated, wantGB float64
	}{
		{name: "prod shape", nodes: 4, sites: 2, vms: 1, wantEstimated: 10.1, wantGB: 5.1},
		{name: "dev shape", nodes: 2, sites: 2, vms: 1, wantEstimated: 6.1, wantGB: 1.1},
		{name: "within the free 5 GB", nodes: 1, sites: 1, vms: 0, wantEstimated: 3, wantGB: 0},
		// 0.1 GB/day x 730/24 days = 3.0417 GB, all free.
		{name: "daily cap below the free grant", nodes: 20, sites: 2, vms: 1, dailyCapGB: 0.1, wantEstimated: 42.1, wantGB: 0},
		// 1 GB/day x 30.4167 days = 30.4167 GB, less 5 free.
		{name: "daily cap bounds a big cluster", nodes: 20, sites: 2, vms: 1, dailyCapGB: 1, wantEstimated: 42.1, wantGB: 730.0/24 - 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gotEstimated := LogIngestionGB(tt.nodes, tt.sites, tt.vms)
			gotGB := BillableLogGB(gotEstimated, tt.dailyCapGB)
			if !near(gotEstimated, tt.wantEstimated, 1e-9) || !near(gotGB, tt.wantGB, 1e-9) {
				t.Errorf("got %v GB estimated, %v billable; want %v, %v", gotEstimated, gotGB, tt.wantEstimated, tt.wantGB)
			}
		})
	}
}

func TestMySQLBillableBackupGB(t *testing.T) {
	tests := []struct {
		storageGB float64
		geo       bool
		want      float64
	}{
		{20, false, 0},
		{32, true, 32},
		{100, true, 100},
	}
	for _, tt := range tests {
		if got := MySQLBillableBackupGB(tt.storageGB, tt.geo); got != tt.want {
			t.Errorf("MySQLBillableBackupGB(%v, %v) = %v, want %v", tt.storageGB, tt.geo, got, tt.want)
		}
	}
}

func TestKind(t *testing.T) {
	tests := []struct {
		token string
		want  string
	}{
		{"azure-native:dbformysql/v20231230:Server", "dbformysql:Server"},
		{"azure-native:compute:Disk", "compute:Disk"},
		{"kubernetes:core/v1:Secret", ""},
		{"pulumi:providers:kubernetes", ""},
		{"wordpress-aks:k8s:Site", ""},
	}
	for _, tt := range tests {
		if got := kind(tt.token); got != tt.want {
			t.Errorf("kind(%q) = %q, want %q", tt.token, got, tt.want)
		}
	}
}
