package cost

// This file owns the pure pricing rules: how a disk size maps to its billing tier, which VM sizes
// take Premium disks, how many runs a web test makes, which log alert price a frequency falls in,
// how Azure Backup brackets a VM, and how much log data a plan is assumed to send.

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// HoursPerMonth is Azure's billing month (8,760 hours / 12).
const HoursPerMonth = 730.0

// Usage assumptions: the plan says what exists, not how much it is used, so the lines that bill
// by use state these in their text. They are meant for two low-traffic blogs.
const (
	// LogGBPerNodeMonth is Container Insights data per node: inventories and performance at
	// LogBaseIntervalMinutes, kube-system excluded (the cost-optimised preset). Microsoft's
	// cost guidance puts a small node well under this; 2 GB leaves room for chatty pods. Both
	// are records per interval, so a longer interval sends proportionally less (NodeLogGB).
	LogGBPerNodeMonth = 2.0
	// LogBaseIntervalMinutes is the collection interval LogGBPerNodeMonth is stated for.
	LogBaseIntervalMinutes = 5.0
	// LogGBPerSiteMonth is a site's container logs (Apache and ingress access lines on stdout,
	// ContainerLogV2) and its availability results: ~10,000 requests a day of ~300 bytes is
	// 0.1 GB, times ten for bots and admin traffic.
	LogGBPerSiteMonth = 1.0
	// LogGBPerVMMonth is what the Azure Monitor agent sends from a VM: heartbeats and one disk
	// counter every 5 minutes.
	LogGBPerVMMonth = 0.1
	// LogFreeGBMonth is Log Analytics' free ingestion per billing account and month.
	LogFreeGBMonth = 5.0
	// BuildContextGB is the image build context kept in the storage account.
	BuildContextGB = 0.01
	// DefaultNodeOSDiskGB is AKS's OS disk size when a pool does not set one.
	DefaultNodeOSDiskGB = 128
	// DefaultVMOSDiskGB is the OS disk of a Linux marketplace image when a VM does not set one.
	DefaultVMOSDiskGB = 30
)

// diskTiers are the managed disk size tiers (GiB): a disk bills as the smallest tier that holds
// it, so a 30 GB disk costs what a 32 GB one does and a 33 GB disk what a 64 GB one does.
var diskTiers = []struct {
	n  int
	gb int
}{{1, 4}, {2, 8}, {3, 16}, {4, 32}, {6, 64}, {10, 128}, {15, 256}, {20, 512}, {30, 1024},
	{40, 2048}, {50, 4096}, {60, 8192}, {70, 16384}, {80, 32767}}

// DiskTier returns the billing tier of a managed disk ("E3 LRS") and the tier's size in GB.
func DiskTier(sku string, sizeGB float64) (string, int, error) {
	var prefix, redundancy string
	minGB := 0
	switch sku {
	case "Premium_LRS", "Premium_ZRS":
		prefix, redundancy = "P", sku[len("Premium_"):]
	case "StandardSSD_LRS", "StandardSSD_ZRS":
		prefix, redundancy = "E", sku[len("StandardSSD_"):]
	case "Standard_LRS":
		// Standard HDD starts at S4: smaller disks bill as 32 GB.
		prefix, redundancy, minGB = "S", "LRS", 32
	default:
		return "", 0, fmt.Errorf("disk SKU %q has no tier price (priced: Premium_LRS, Premium_ZRS, StandardSSD_LRS, StandardSSD_ZRS, Standard_LRS)", sku)
	}
	if sizeGB <= 0 {
		return "", 0, fmt.Errorf("disk size %v GB: must be positive", sizeGB)
	}
	for _, t := range diskTiers {
		if sizeGB <= float64(t.gb) && t.gb >= minGB {
			return fmt.Sprintf("%s%d %s", prefix, t.n, redundancy), t.gb, nil
		}
	}
	return "", 0, fmt.Errorf("disk size %v GB: larger than the largest tier (32767 GB)", sizeGB)
}

// vmSizePattern splits "Standard_D4s_v5" into family "D", vCPUs "4", features "s", version "_v5".
var vmSizePattern = regexp.MustCompile(`^(?:Standard|Basic)_([A-Z]+)(\d+)(?:-\d+)?([a-z]*)(?:_[A-Za-z0-9]+)*$`)

// PremiumStorage says whether a VM size takes Premium SSDs: an "s" among its features (B2s,
// F2s_v2, D4s_v5) or an older "S" family (DS2_v2). AKS gives a Managed OS disk Premium SSD when
// the size allows it, which is why a node's OS disk prices as a P tier.
func PremiumStorage(vmSize string) bool {
	m := vmSizePattern.FindStringSubmatch(vmSize)
	if m == nil {
		return false
	}
	family, features := m[1], m[3]
	return strings.Contains(features, "s") || (len(family) > 1 && strings.HasSuffix(family, "S"))
}

// WebTestRuns is a standard availability test's runs a month: every location runs it once per
// frequency.
func WebTestRuns(locations int, frequencySeconds float64) float64 {
	if frequencySeconds <= 0 {
		return 0
	}
	return float64(locations) * HoursPerMonth * 3600 / frequencySeconds
}

// LogAlertPrice returns the price key of a log search alert rule that runs every frequency (an
// ISO 8601 duration such as "PT5M"). Azure bills 1, 5 and 10 minutes at their own prices and
// anything slower at the 15-minute floor.
func LogAlertPrice(frequency string) (string, error) {
	d, err := isoMinutes(frequency)
	if err != nil {
		return "", fmt.Errorf("evaluationFrequency %q: %w", frequency, err)
	}
	switch {
	case d <= 1:
		return "monitor/log-alert-1m", nil
	case d <= 5:
		return "monitor/log-alert-5m", nil
	case d <= 10:
		return "monitor/log-alert-10m", nil
	}
	return "monitor/log-alert-15m", nil
}

var isoDuration = regexp.MustCompile(`^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$`)

// isoMinutes converts an ISO 8601 duration of days, hours, minutes and seconds to minutes.
func isoMinutes(s string) (float64, error) {
	m := isoDuration.FindStringSubmatch(s)
	if m == nil || s == "P" || strings.HasSuffix(s, "T") {
		return 0, fmt.Errorf("not an ISO 8601 duration such as PT5M")
	}
	var minutes float64
	for i, per := range []float64{24 * 60, 60, 1, 1.0 / 60} {
		if m[i+1] == "" {
			continue
		}
		n, err := strconv.Atoi(m[i+1])
		if err != nil {
			return 0, err
		}
		minutes += float64(n) * per
	}
	return minutes, nil
}

// BackupInstances returns the Azure Backup protected-instance price key for a VM whose backed-up
// disks total diskGB, and how many of it: up to 50 GB is the small fee, above that one fee per
// started 500 GB.
func BackupInstances(diskGB float64) (string, float64) {
	if diskGB <= 50 {
		return "backup/vm-small", 1
	}
	return "backup/vm", math.Ceil(diskGB / 500)
}

// LogIngestionGB is the data a month the plan is assumed to send to Log Analytics.
func LogIngestionGB(nodes, sites, vms int) float64 {
	return float64(nodes)*LogGBPerNodeMonth + float64(sites)*LogGBPerSiteMonth + float64(vms)*LogGBPerVMMonth
}

// NodeLogGB is a node's Container Insights data a month at a collection interval of minutes
// (LogBaseIntervalMinutes when 0): inventory and performance records scale with how often they
// are taken.
func NodeLogGB(minutes float64) float64 {
	if minutes <= 0 {
		minutes = LogBaseIntervalMinutes
	}
	return LogGBPerNodeMonth * LogBaseIntervalMinutes / minutes
}

// intervalMinutes reads a Container Insights interval ("5m", "1h") as minutes; 0 when unset or
// unreadable, which NodeLogGB treats as the base interval.
func intervalMinutes(s string) float64 {
	n, err := strconv.Atoi(strings.TrimRight(s, "mh"))
	switch {
	case err != nil || n <= 0:
		return 0
	case strings.HasSuffix(s, "h"):
		return float64(n) * 60
	case strings.HasSuffix(s, "m"):
		return float64(n)
	}
	return 0
}

// BillableLogGB is what Log Analytics bills of estimatedGB: the workspace's daily cap (0 = none)
// bounds it, and the first LogFreeGBMonth are free.
func BillableLogGB(estimatedGB, dailyCapGB float64) float64 {
	gb := estimatedGB
	if dailyCapGB > 0 {
		gb = math.Min(gb, dailyCapGB*HoursPerMonth/24)
	}
	return math.Max(0, gb-LogFreeGBMonth)
}

// MySQLBillableBackupGB is the backup storage a MySQL flexible server bills beyond its free
// allowance (100% of provisioned storage). Backups of small blog databases are assumed to fill
// the provisioned size; geo-redundant backup keeps a second copy in the paired region.
func MySQLBillableBackupGB(storageGB float64, geoRedundant bool) float64 {
	copies := 1.0
	if geoRedundant {
		copies = 2
	}
	return math.Max(0, copies*storageGB-storageGB)
}
