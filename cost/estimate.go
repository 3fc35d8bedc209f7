// Package cost estimates what a plan costs a month, from a dated price table for the stack's
// region (prices/<region>.json, refreshed by cmd/prices from the Azure Retail Prices API), so a
// plan shows its price before anything exists, a pull request shows what it changes, and a stack
// can refuse to grow past its ceiling. The original team learnt the need the hard way: a storage
// service billed a 4 TiB minimum, 40,000 JPY in four days.
package cost

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"

	"github.com/example/wordpress-aks/plan"
)

// Estimate is a plan's monthly cost.
type Estimate struct {
	Stack  string `json:"stack"`
	Region string `json:"region"`
	// PricesRegion is the region whose table priced the lines; it differs from Region when the
	// stack's region has no table and a fallback's estimates it (every line is then unconfirmed).
	PricesRegion string `json:"pricesRegion"`
	// Warnings say what makes the estimate less certain than its table (a fallback region).
	Warnings []string `json:"warnings,omitempty"`
	// PricesRetrieved is the price table's date.
	PricesRetrieved string  `json:"pricesRetrieved"`
	USDToJPY        float64 `json:"usdToJpy"`
	HoursPerMonth   float64 `json:"hoursPerMonth"`
	Lines           []Line  `json:"lines"`
	TotalUSD        float64 `json:"totalUSD"`
	// TotalJPY is TotalUSD converted and rounded once, so it can differ by a few yen from the
	// sum of the rounded lines.
	TotalJPY int64 `json:"totalJPY"`
	// SavingsPlans are the total with a 1- or 3-year savings plan for compute bought: beside
	// the pay-as-you-go total, never instead of it (savings.go).
	SavingsPlans []SavingsPlan `json:"savingsPlans,omitempty"`
	// Unpriced lists Azure resources of a type the estimate has no rule for: a new type must be
	// priced or declared free here, not silently counted as zero.
	Unpriced []string `json:"unpriced,omitempty"`
	// NotCounted names usage charges no line includes.
	NotCounted []string `json:"notCounted"`
}

// Line is one billed thing.
type Line struct {
	// Resource is the plan's logical name.
	Resource string `json:"resource"`
	// Component tells a resource's lines apart and stays stable when a SKU changes, so a diff
	// shows a change rather than a removal and an addition.
	Component string `json:"component"`
	// Item says what is billed, with the SKU and the assumption behind a usage quantity.
	Item       string  `json:"item"`
	Quantity   float64 `json:"quantity"`
	Unit       string  `json:"unit"`
	UnitUSD    float64 `json:"unitUSD"`
	MonthlyUSD float64 `json:"monthlyUSD"`
	MonthlyJPY int64   `json:"monthlyJPY"`
	// Price is the table key the unit price comes from.
	Price     string `json:"price"`
	Confirmed bool   `json:"confirmed"`
	// Source is where the unit price comes from, with its date (the table item's source).
	Source string `json:"source,omitempty"`
}

// notCounted are charges that depend on traffic the plan cannot know; each is small for two blogs.
var notCounted = []string{
	"internet egress beyond the free 100 GB/month",
	"load balancer data processed (per GB)",
	"Standard SSD disk transactions (per 10,000)",
	"MySQL IO beyond the included IOPS (autoIoScaling)",
	"private DNS queries (per million)",
	"ACR Tasks builds beyond 6,000 free vCPU-seconds a month",
	"Azure Backup instant-restore snapshots",
	"Log Analytics Basic-plan queries (per GB scanned)",
}

// freeKinds are Azure types that bill nothing themselves: their cost, if any, is on another line
// (a vault bills through its protected items, a data collection rule through the workspace).
var freeKinds = map[string]bool{
	"resources:ResourceGroup":                          true,
	"network:VirtualNetwork":                           true,
	"network:Subnet":                                   true,
	"network:NetworkSecurityGroup":                     true,
	"network:NetworkInterface":                         true,
	"network:VirtualNetworkLink":                       true,
	"authorization:RoleAssignment":                     true,
	"authorization:ManagementLockByScope":              true,
	"authorization:ManagementLockAtResourceGroupLevel": true,
	"managedidentity:UserAssignedIdentity":             true,
	"consumption:Budget":                               true,
	"insights:ActionGroup":                             true, // email notifications: first 1,000 a month free
	"insights:Component":                               true, // workspace-based: ingestion bills on the workspace
	"insights:DataCollectionRule":                      true,
	"insights:DataCollectionRuleAssociation":           true,
	"operationalinsights:Table":                        true, // a table's plan prices its data on the workspace line
	"alertsmanagement:AlertProcessingRuleByName":       true, // alert processing rules carry no charge
	"containerservice:MaintenanceConfiguration":        true,
	"dbformysql:Database":                              true,
	"dbformysql:Configuration":                         true,
	"dbformysql:FirewallRule":                          true,
	"compute:VirtualMachineExtension":                  true,
	"recoveryservices:Vault":                           true,
	"recoveryservices:ProtectionPolicy":                true,
	"containerregistry:TaskRun":                        true, // within ACR Tasks' free vCPU-seconds; see notCounted
	"storage:BlobContainer":                            true,
	"storage:Blob":                                     true, // its bytes bill on the storage account's line
}

// pricer turns one resource into lines.
type pricer func(e *estimator, r plan.Resource) ([]Line, error)

var pricers = map[string]pricer{
	"containerservice:ManagedCluster": (*estimator).cluster,
	"containerservice:AgentPool":      (*estimator).agentPool,
	"dbformysql:Server":               (*estimator).mysql,
	"compute:VirtualMachine":          (*estimator).vm,
	"compute:Disk":                    (*estimator).disk,
	"network:PublicIPAddress":         (*estimator).publicIP,
	"network:PrivateZone":             (*estimator).privateZone,
	"containerregistry:Registry":      (*estimator).registry,
	"operationalinsights:Workspace":   (*estimator).workspace,
	"recoveryservices:ProtectedItem":  (*estimator).protectedItem,
	"insights:WebTest":                (*estimator).webTest,
	"insights:MetricAlert":            (*estimator).metricAlert,
	"insights:ScheduledQueryRule":     (*estimator).logAlert,
	"storage:StorageAccount":          (*estimator).storageAccount,
	"logic:Workflow":                  (*estimator).workflow,
}

// siteType is the component each blog is; the log estimate counts them.
const siteType = "wordpress-aks:k8s:Site"

// EstimatePlan prices every billable resource of p from t: one line per billed thing, totals in
// USD and JPY, 730 hours a month. An unknown VM, MySQL or disk SKU is an error naming the
// resource, never a silent zero.
func EstimatePlan(p *plan.Plan, t Table) (*Estimate, error) {
	if err := t.Validate(); err != nil {
		return nil, fmt.Errorf("price table %s: %w", t.Region, err)
	}
	region := t.Region
	if t.For != "" {
		region = t.For
	}
	e := &estimator{table: t, plan: p, region: region}
	e.index()
	est := &Estimate{
		Stack:           p.Stack,
		Region:          region,
		PricesRegion:    t.Region,
		PricesRetrieved: t.Retrieved,
		USDToJPY:        t.USDToJPY.Rate,
		HoursPerMonth:   HoursPerMonth,
		Lines:           []Line{},
		NotCounted:      append([]string(nil), notCounted...),
	}
	var errs []string
	for _, r := range p.Resources {
		k := kind(r.Type)
		if k == "" || freeKinds[k] {
			continue
		}
		if err := e.checkLocation(r); err != nil {
			errs = append(errs, err.Error())
			continue
		}
		price, ok := pricers[k]
		if !ok {
			est.Unpriced = append(est.Unpriced, fmt.Sprintf("%s (%s)", r.Name, r.Type))
			continue
		}
		lines, err := price(e, r)
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s (%s): %v", r.Name, r.Type, err))
			continue
		}
		est.Lines = append(est.Lines, lines...)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("estimate %s: %s", p.Stack, strings.Join(errs, "; "))
	}
	if w := t.Fallback(); w != "" {
		est.Warnings = append(est.Warnings, w)
		// Another region's price is confirmed for that region only.
		for i := range est.Lines {
			est.Lines[i].Confirmed = false
		}
	}
	est.total()
	return est, nil
}

// total fills the JPY columns and the totals.
func (est *Estimate) total() {
	est.TotalUSD = 0
	for i := range est.Lines {
		l := &est.Lines[i]
		l.MonthlyJPY = yen(l.MonthlyUSD, est.USDToJPY)
		est.TotalUSD += l.MonthlyUSD
	}
	est.TotalUSD = roundTo(est.TotalUSD, 4)
	est.TotalJPY = yen(est.TotalUSD, est.USDToJPY)
	est.savingsPlans()
}

func yen(usd, rate float64) int64 { return int64(math.Round(usd * rate)) }

// roundTo keeps sub-cent unit prices exact while dropping float noise from the JSON.
func roundTo(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(x*p) / p
}

// estimator holds the table and what lines need from other resources.
type estimator struct {
	table Table
	// region is the stack's region: the table's, or the one a fallback table stands in for.
	region string
	plan   *plan.Plan
	// vmsByName and disksByName are keyed by Azure name, as ARM ids refer to them.
	vmsByName   map[string]plan.Resource
	disksByName map[string]plan.Resource
	vaultByName map[string]plan.Resource
	nodes       int
	pools       int
	sites       int
	vms         int
	// collectionMinutes is Container Insights' collection interval (its data collection
	// rule), 0 when the plan has none; containerLogPlan is ContainerLogV2's table plan.
	collectionMinutes float64
	containerLogPlan  string
	// schedules are the office-hours schedules of the plan's start and stop workflows, by the
	// Azure name of each resource they start and stop.
	schedules     map[string]Schedule
	starts, stops map[string]workflowSchedule
}

func (e *estimator) index() {
	e.vmsByName = map[string]plan.Resource{}
	e.disksByName = map[string]plan.Resource{}
	e.vaultByName = map[string]plan.Resource{}
	for _, r := range e.plan.Resources {
		switch kind(r.Type) {
		case "compute:VirtualMachine":
			e.vmsByName[azureName(r, "vmName")] = r
			e.vms++
		case "compute:Disk":
			e.disksByName[azureName(r, "diskName")] = r
		case "recoveryservices:Vault":
			e.vaultByName[azureName(r, "vaultName")] = r
		case "containerservice:ManagedCluster":
			for _, pp := range objects(r.Inputs, "agentPoolProfiles") {
				e.nodes += poolFrom(pp).billedCount()
				e.pools++
			}
		case "containerservice:AgentPool":
			e.nodes += poolFrom(r.Inputs).billedCount()
			e.pools++
		case "insights:DataCollectionRule":
			for _, x := range objects(r.Inputs, "dataSources", "extensions") {
				if str(x, "extensionName") == "ContainerInsights" {
					e.collectionMinutes = intervalMinutes(str(x, "extensionSettings", "dataCollectionSettings", "interval"))
				}
			}
		case "logic:Workflow":
			e.indexSchedule(r)
		case "operationalinsights:Table":
			if str(r.Inputs, "tableName") == "ContainerLogV2" {
				e.containerLogPlan = str(r.Inputs, "plan")
			}
		}
		if r.Type == siteType {
			e.sites++
		}
	}
}

// azureName is the name Azure knows a resource by: its name input, or its logical name.
func azureName(r plan.Resource, input string) string {
	if s := str(r.Inputs, input); s != "" {
		return s
	}
	return r.Name
}

// checkLocation refuses resources outside the table's region: their prices would be wrong.
func (e *estimator) checkLocation(r plan.Resource) error {
	loc := strings.ToLower(strings.ReplaceAll(str(r.Inputs, "location"), " ", ""))
	if loc == "" || loc == "global" || loc == e.region {
		return nil
	}
	return fmt.Errorf("%s (%s) is in %q but the price table is for %q", r.Name, r.Type, loc, e.region)
}

// line prices quantity units of the table item key.
func (e *estimator) line(resource, component, item string, quantity float64, unit, key string) (Line, error) {
	it, err := e.table.Price(key)
	if err != nil {
		return Line{}, err
	}
	return Line{
		Resource:   resource,
		Component:  component,
		Item:       item,
		Quantity:   roundTo(quantity, 4),
		Unit:       unit,
		UnitUSD:    it.USD,
		MonthlyUSD: roundTo(quantity*it.USD, 4),
		Price:      key,
		Confirmed:  it.Confirmed,
		Source:     e.source(it),
	}, nil
}

// hasDate matches the dates sources carry ("2026-06", "2026-11-25").
var hasDate = regexp.MustCompile(`\b\d{4}-\d{2}\b`)

// source is a line's price source with a date: the item's own, or the table's when the item
// names none.
func (e *estimator) source(it Item) string {
	if hasDate.MatchString(it.Source) {
		return it.Source
	}
	return fmt.Sprintf("%s (the %s table of %s)", it.Source, e.table.Region, e.table.Retrieved)
}

// free is a zero line for a choice that could cost money (the AKS tier), so it stays visible.
func free(resource, component, item string) Line {
	return Line{Resource: resource, Component: component, Item: item, Unit: "month", Confirmed: true}
}

// pool is what prices a node pool.
type pool struct {
	name       string
	vmSize     string
	count      int
	autoscale  bool
	maxCount   int
	osDiskGB   float64
	osDiskType string
}

func poolFrom(m map[string]any) pool {
	p := pool{
		name:       str(m, "name"),
		vmSize:     str(m, "vmSize"),
		autoscale:  boolean(m, false, "enableAutoScaling"),
		osDiskType: str(m, "osDiskType"),
	}
	if p.name == "" {
		p.name = str(m, "agentPoolName")
	}
	if n, ok := num(m, "count"); ok {
		p.count = int(n)
	} else {
		p.count = 1
	}
	if n, ok := num(m, "maxCount"); ok {
		p.maxCount = int(n)
	}
	p.osDiskGB = DefaultNodeOSDiskGB
	if n, ok := num(m, "osDiskSizeGB"); ok && n > 0 {
		p.osDiskGB = n
	}
	return p
}

// billedCount is the node count priced: the autoscaler's maximum when it is on, because the
// ceiling is about what the stack may cost, not what it costs on a quiet day.
func (p pool) billedCount() int {
	if p.autoscale && p.maxCount > p.count {
		return p.maxCount
	}
	return p.count
}

func (e *estimator) poolLines(resource, clusterName string, p pool) ([]Line, error) {
	if p.vmSize == "" {
		return nil, fmt.Errorf("pool %q has no vmSize", p.name)
	}
	n := p.billedCount()
	what := fmt.Sprintf("%d x %s node", n, p.vmSize)
	if p.autoscale {
		what += fmt.Sprintf(" (autoscaler maximum; starts at %d)", p.count)
	}
	hours, note := e.hours(clusterName)
	vm, err := e.line(resource, "nodes ("+p.name+")", what+note, float64(n)*hours, "node-hour", "vm/"+p.vmSize)
	if err != nil {
		return nil, fmt.Errorf("pool %q: VM size %s: %w", p.name, p.vmSize, err)
	}
	lines := []Line{vm}
	if strings.EqualFold(p.osDiskType, "Ephemeral") {
		// An ephemeral OS disk lives on the VM's cache or temp disk and bills nothing.
		return lines, nil
	}
	sku := "StandardSSD_LRS"
	if PremiumStorage(p.vmSize) {
		sku = "Premium_LRS"
	}
	tier, tierGB, err := DiskTier(sku, p.osDiskGB)
	if err != nil {
		return nil, fmt.Errorf("pool %q OS disk: %w", p.name, err)
	}
	disk, err := e.line(resource, "node OS disks ("+p.name+")",
		fmt.Sprintf("%d x %s OS disk (%v GB %s, billed as %d GB)", n, tier, p.osDiskGB, sku, tierGB),
		float64(n), "disk-month", "disk/"+tier)
	if err != nil {
		return nil, fmt.Errorf("pool %q OS disk: %w", p.name, err)
	}
	return append(lines, disk), nil
}

func (e *estimator) cluster(r plan.Resource) ([]Line, error) {
	var lines []Line
	switch tier := str(r.Inputs, "sku", "tier"); tier {
	case "", "Free":
		lines = append(lines, free(r.Name, "control plane", "AKS control plane, Free tier (no uptime SLA)"))
	default:
		l, err := e.line(r.Name, "control plane", "AKS control plane, "+tier+" tier", HoursPerMonth, "cluster-hour", "aks/"+strings.ToLower(tier))
		if err != nil {
			return nil, fmt.Errorf("AKS tier %s: %w", tier, err)
		}
		lines = append(lines, l)
	}
	for _, pp := range objects(r.Inputs, "agentPoolProfiles") {
		pl, err := e.poolLines(r.Name, azureName(r, "resourceName"), poolFrom(pp))
		if err != nil {
			return nil, err
		}
		lines = append(lines, pl...)
	}
	// AKS creates a Standard load balancer for egress and LoadBalancer services (the ingress
	// IP's rules go on it too); the Basic SKU is retired.
	if sku := str(r.Inputs, "networkProfile", "loadBalancerSku"); sku != "" && !strings.EqualFold(sku, "standard") {
		return nil, fmt.Errorf("load balancer SKU %q has no price (only standard)", sku)
	}
	lb, err := e.line(r.Name, "load balancer", "Standard load balancer, AKS-managed (up to 5 rules)", HoursPerMonth, "hour", "lb/standard")
	if err != nil {
		return nil, err
	}
	lines = append(lines, lb)
	if out := str(r.Inputs, "networkProfile", "outboundType"); out == "" || out == "loadBalancer" {
		n := 1.0
		if c, ok := num(r.Inputs, "networkProfile", "loadBalancerProfile", "managedOutboundIPs", "count"); ok {
			n = c
		}
		ip, err := e.line(r.Name, "outbound public IP", fmt.Sprintf("%v x Standard static public IP, AKS-managed egress", n),
			n*HoursPerMonth, "IP-hour", "ip/standard-static")
		if err != nil {
			return nil, err
		}
		lines = append(lines, ip)
	}
	return lines, nil
}

func (e *estimator) agentPool(r plan.Resource) ([]Line, error) {
	return e.poolLines(r.Name, str(r.Inputs, "resourceName"), poolFrom(r.Inputs))
}

func (e *estimator) mysql(r plan.Resource) ([]Line, error) {
	sku := str(r.Inputs, "sku", "name")
	if sku == "" {
		return nil, fmt.Errorf("MySQL server has no sku.name")
	}
	servers, ha := 1.0, ""
	if mode := str(r.Inputs, "highAvailability", "mode"); mode != "" && mode != "Disabled" {
		// The standby's compute and storage bill like the primary's.
		servers, ha = 2, ", "+mode+" HA: primary + standby"
	}
	hours, note := e.hours(azureName(r, "serverName"))
	compute, err := e.line(r.Name, "compute", fmt.Sprintf("MySQL flexible server %s %s%s%s", str(r.Inputs, "sku", "tier"), sku, ha, note),
		servers*hours, "server-hour", "mysql/"+sku)
	if err != nil {
		return nil, fmt.Errorf("MySQL SKU %s: %w", sku, err)
	}
	storageGB := 20.0
	if n, ok := num(r.Inputs, "storage", "storageSizeGB"); ok {
		storageGB = n
	}
	storage, err := e.line(r.Name, "storage", fmt.Sprintf("MySQL storage %v GB%s", storageGB, ha), servers*storageGB, "GB-month", "mysql/storage")
	if err != nil {
		return nil, err
	}
	geo := str(r.Inputs, "backup", "geoRedundantBackup") == "Enabled"
	days, _ := num(r.Inputs, "backup", "backupRetentionDays")
	what := fmt.Sprintf("MySQL backups, %v days, locally redundant: assumed within the free %v GB (100%% of storage)", days, storageGB)
	if geo {
		what = fmt.Sprintf("MySQL backups, %v days, geo-redundant: assumed %v GB a copy, the paired-region copy beyond the free %v GB", days, storageGB, storageGB)
	}
	backup, err := e.line(r.Name, "backup", what, MySQLBillableBackupGB(storageGB, geo), "GB-month", "mysql/backup")
	if err != nil {
		return nil, err
	}
	return []Line{compute, storage, backup}, nil
}

func (e *estimator) vm(r plan.Resource) ([]Line, error) {
	size := str(r.Inputs, "hardwareProfile", "vmSize")
	if size == "" {
		return nil, fmt.Errorf("VM has no hardwareProfile.vmSize")
	}
	hours, note := e.hours(azureName(r, "vmName"))
	compute, err := e.line(r.Name, "compute", "VM "+size+note, hours, "VM-hour", "vm/"+size)
	if err != nil {
		return nil, fmt.Errorf("VM size %s: %w", size, err)
	}
	lines := []Line{compute}
	osSKU, osGB := vmOSDisk(r.Inputs)
	tier, tierGB, err := DiskTier(osSKU, osGB)
	if err != nil {
		return nil, fmt.Errorf("OS disk: %w", err)
	}
	osDisk, err := e.line(r.Name, "OS disk", fmt.Sprintf("%s OS disk (%v GB %s, billed as %d GB)", tier, osGB, osSKU, tierGB), 1, "disk-month", "disk/"+tier)
	if err != nil {
		return nil, fmt.Errorf("OS disk: %w", err)
	}
	lines = append(lines, osDisk)
	// Data disks created with the VM bill here; attached ones bill on their own Disk resource.
	for _, d := range objects(r.Inputs, "storageProfile", "dataDisks") {
		if str(d, "createOption") != "Empty" {
			continue
		}
		gb, _ := num(d, "diskSizeGB")
		sku := str(d, "managedDisk", "storageAccountType")
		if sku == "" {
			sku = "Standard_LRS"
		}
		lun, _ := num(d, "lun")
		tier, tierGB, err := DiskTier(sku, gb)
		if err != nil {
			return nil, fmt.Errorf("data disk lun %v: %w", lun, err)
		}
		l, err := e.line(r.Name, fmt.Sprintf("data disk lun %v", lun), fmt.Sprintf("%s data disk (%v GB %s, billed as %d GB)", tier, gb, sku, tierGB), 1, "disk-month", "disk/"+tier)
		if err != nil {
			return nil, fmt.Errorf("data disk lun %v: %w", lun, err)
		}
		lines = append(lines, l)
	}
	return lines, nil
}

// vmOSDisk is a VM's OS disk SKU and size, with Azure's defaults for what the inputs leave out.
func vmOSDisk(in map[string]any) (string, float64) {
	sku := str(in, "storageProfile", "osDisk", "managedDisk", "storageAccountType")
	if sku == "" {
		sku = "StandardSSD_LRS"
	}
	gb, ok := num(in, "storageProfile", "osDisk", "diskSizeGB")
	if !ok || gb <= 0 {
		gb = DefaultVMOSDiskGB
	}
	return sku, gb
}

func (e *estimator) disk(r plan.Resource) ([]Line, error) {
	sku := str(r.Inputs, "sku", "name")
	if sku == "" {
		sku = "Standard_LRS"
	}
	gb, ok := num(r.Inputs, "diskSizeGB")
	if !ok {
		return nil, fmt.Errorf("disk has no diskSizeGB")
	}
	tier, tierGB, err := DiskTier(sku, gb)
	if err != nil {
		return nil, err
	}
	l, err := e.line(r.Name, "disk", fmt.Sprintf("%s managed disk (%v GB %s, billed as %d GB)", tier, gb, sku, tierGB), 1, "disk-month", "disk/"+tier)
	if err != nil {
		return nil, fmt.Errorf("disk SKU %s: %w", sku, err)
	}
	return []Line{l}, nil
}

func (e *estimator) publicIP(r plan.Resource) ([]Line, error) {
	sku, tier := str(r.Inputs, "sku", "name"), str(r.Inputs, "sku", "tier")
	if sku != "Standard" || (tier != "" && tier != "Regional") {
		return nil, fmt.Errorf("public IP SKU %q tier %q has no price (only Standard Regional; Basic is retired)", sku, tier)
	}
	l, err := e.line(r.Name, "public IP", "Standard static public IP", HoursPerMonth, "IP-hour", "ip/standard-static")
	if err != nil {
		return nil, err
	}
	return []Line{l}, nil
}

func (e *estimator) privateZone(r plan.Resource) ([]Line, error) {
	l, err := e.line(r.Name, "zone", "private DNS zone "+str(r.Inputs, "privateZoneName"), 1, "zone-month", "dns/private-zone")
	if err != nil {
		return nil, err
	}
	return []Line{l}, nil
}

func (e *estimator) registry(r plan.Resource) ([]Line, error) {
	sku := str(r.Inputs, "sku", "name")
	l, err := e.line(r.Name, "registry", "Container Registry "+sku+" (billed per day)", HoursPerMonth/24, "day", "acr/"+sku)
	if err != nil {
		return nil, fmt.Errorf("registry SKU %s: %w", sku, err)
	}
	return []Line{l}, nil
}

func (e *estimator) workspace(r plan.Resource) ([]Line, error) {
	if sku := str(r.Inputs, "sku", "name"); sku != "" && sku != "PerGB2018" {
		return nil, fmt.Errorf("workspace SKU %q has no price (only PerGB2018, pay as you go)", sku)
	}
	nodeGB := NodeLogGB(e.collectionMinutes)
	basic := strings.EqualFold(e.containerLogPlan, "Basic")
	sitesGB := float64(e.sites) * LogGBPerSiteMonth
	analytics := float64(e.nodes)*nodeGB + float64(e.vms)*LogGBPerVMMonth
	what := fmt.Sprintf("Log Analytics ingestion: assumed %v GB/month (%d nodes x %v at a %v-minute interval",
		roundTo(analytics, 2), e.nodes, roundTo(nodeGB, 3), collectionLabel(e.collectionMinutes))
	if !basic {
		analytics += sitesGB
		what = fmt.Sprintf("Log Analytics ingestion: assumed %v GB/month (%d nodes x %v at a %v-minute interval + %d sites x %v",
			roundTo(analytics, 2), e.nodes, roundTo(nodeGB, 3), collectionLabel(e.collectionMinutes), e.sites, LogGBPerSiteMonth)
	}
	what += fmt.Sprintf(" + %d VMs x %v) less %v GB free", e.vms, LogGBPerVMMonth, LogFreeGBMonth)
	capGB, _ := num(r.Inputs, "workspaceCapping", "dailyQuotaGb")
	if capGB > 0 {
		what += fmt.Sprintf("; the %v GB/day cap bounds it at %v GB", capGB, roundTo(capGB*HoursPerMonth/24, 1))
	}
	l, err := e.line(r.Name, "ingestion", what, BillableLogGB(analytics, capGB), "GB", "loganalytics/ingestion")
	if err != nil {
		return nil, err
	}
	lines := []Line{l}
	if basic {
		b, err := e.line(r.Name, "basic ingestion",
			fmt.Sprintf("Log Analytics Basic plan (ContainerLogV2): assumed %d sites x %v GB/month of container logs, no free allowance; queries billed per GB scanned (not counted)", e.sites, LogGBPerSiteMonth),
			sitesGB, "GB", "loganalytics/basic-ingestion")
		if err != nil {
			return nil, err
		}
		lines = append(lines, b)
	}
	return lines, nil
}

// collectionLabel prints the interval the node figure assumes (Container Insights' default when
// the plan sets none).
func collectionLabel(minutes float64) float64 {
	if minutes <= 0 {
		return LogBaseIntervalMinutes
	}
	return minutes
}

func (e *estimator) protectedItem(r plan.Resource) ([]Line, error) {
	if t := str(r.Inputs, "properties", "protectedItemType"); t != "Microsoft.Compute/virtualMachines" {
		return nil, fmt.Errorf("protected item type %q has no price (only Microsoft.Compute/virtualMachines)", t)
	}
	vmName := lastSegment(str(r.Inputs, "properties", "sourceResourceId"))
	vm, ok := e.vmsByName[vmName]
	if !ok {
		return nil, fmt.Errorf("backs up VM %q, which is not in the plan", vmName)
	}
	gb, err := e.backedUpGB(vm, r.Inputs)
	if err != nil {
		return nil, err
	}
	key, n := BackupInstances(gb)
	instance, err := e.line(r.Name, "protected instance", fmt.Sprintf("Azure Backup of VM %s: %v GB of disks (OS + included data disks)", vmName, gb), n, "instance-month", key)
	if err != nil {
		return nil, err
	}
	vaultName := str(r.Inputs, "vaultName")
	redundancy := "GeoRedundant" // a Recovery Services vault's default
	if v, ok := e.vaultByName[vaultName]; ok {
		if s := str(v.Inputs, "properties", "redundancySettings", "standardTierStorageRedundancy"); s != "" {
			redundancy = s
		}
	}
	storageKey := map[string]string{"LocallyRedundant": "backup/storage-lrs", "GeoRedundant": "backup/storage-grs"}[redundancy]
	if storageKey == "" {
		return nil, fmt.Errorf("vault %s storage redundancy %q has no price (LocallyRedundant, GeoRedundant)", vaultName, redundancy)
	}
	storage, err := e.line(r.Name, "backup storage",
		fmt.Sprintf("backup storage, %s: assumed one full copy of the %v GB (a blog's daily changes are small)", redundancy, gb),
		gb, "GB-month", storageKey)
	if err != nil {
		return nil, err
	}
	return []Line{instance, storage}, nil
}

// backedUpGB is the provisioned size of a VM's disks that a backup covers: the OS disk always,
// data disks as the item's disk exclusion list says.
func (e *estimator) backedUpGB(vm plan.Resource, item map[string]any) (float64, error) {
	_, gb := vmOSDisk(vm.Inputs)
	excl := value(item, "properties", "extendedProperties", "diskExclusionProperties")
	luns := map[float64]bool{}
	inclusion := false
	if m, ok := excl.(map[string]any); ok {
		inclusion = boolean(m, false, "isInclusionList")
		for _, l := range list(m, "diskLunList") {
			if f, ok := l.(float64); ok {
				luns[f] = true
			}
		}
	}
	for _, d := range objects(vm.Inputs, "storageProfile", "dataDisks") {
		lun, _ := num(d, "lun")
		if excl != nil && luns[lun] != inclusion {
			continue
		}
		size, ok := num(d, "diskSizeGB")
		if !ok {
			disk, found := e.disksByName[lastSegment(str(d, "managedDisk", "id"))]
			if !found {
				return 0, fmt.Errorf("VM %s data disk lun %v: no size and no Disk in the plan", vm.Name, lun)
			}
			size, _ = num(disk.Inputs, "diskSizeGB")
		}
		gb += size
	}
	return gb, nil
}

func (e *estimator) webTest(r plan.Resource) ([]Line, error) {
	if !boolean(r.Inputs, true, "enabled") {
		return nil, nil
	}
	k := str(r.Inputs, "webTestKind")
	if k == "" {
		k = str(r.Inputs, "kind")
	}
	if k != "standard" {
		return nil, fmt.Errorf("web test kind %q has no price (only standard; ping tests retired 2026-09-30)", k)
	}
	freq := 300.0
	if f, ok := num(r.Inputs, "frequency"); ok && f > 0 {
		freq = f
	}
	locations := len(list(r.Inputs, "locations"))
	runs := WebTestRuns(locations, freq)
	l, err := e.line(r.Name, "runs", fmt.Sprintf("standard availability test: %d locations x every %vs = %v runs", locations, freq, runs), runs, "run", "monitor/webtest-run")
	if err != nil {
		return nil, err
	}
	return []Line{l}, nil
}

func (e *estimator) metricAlert(r plan.Resource) ([]Line, error) {
	if !boolean(r.Inputs, true, "enabled") {
		return nil, nil
	}
	series := e.timeSeries(r.Inputs)
	l, err := e.line(r.Name, "rule", fmt.Sprintf("metric alert rule, %v monitored time series", series), series, "series-month", "monitor/metric-alert-series")
	if err != nil {
		return nil, err
	}
	return []Line{l}, nil
}

// timeSeries counts the time series a metric alert monitors: one per criterion, times each
// dimension's values; "*" on the node pool dimension is one per pool in the plan.
func (e *estimator) timeSeries(in map[string]any) float64 {
	criteria := objects(in, "criteria", "allOf")
	if len(criteria) == 0 {
		return 1 // a web test availability criterion watches one series
	}
	var total float64
	for _, c := range criteria {
		n := 1.0
		for _, d := range objects(c, "dimensions") {
			values := list(d, "values")
			switch {
			case len(values) == 1 && values[0] == "*" && strings.EqualFold(str(d, "name"), "nodepool"):
				n *= math.Max(1, float64(e.pools))
			case len(values) > 1:
				n *= float64(len(values))
			}
		}
		total += n
	}
	return total
}

func (e *estimator) logAlert(r plan.Resource) ([]Line, error) {
	if !boolean(r.Inputs, true, "enabled") {
		return nil, nil
	}
	freq := str(r.Inputs, "evaluationFrequency")
	key, err := LogAlertPrice(freq)
	if err != nil {
		return nil, err
	}
	l, err := e.line(r.Name, "rule", "log search alert rule, every "+freq, 1, "rule-month", key)
	if err != nil {
		return nil, err
	}
	return []Line{l}, nil
}

func (e *estimator) storageAccount(r plan.Resource) ([]Line, error) {
	sku := str(r.Inputs, "sku", "name")
	if sku != "Standard_LRS" {
		return nil, fmt.Errorf("storage account SKU %q has no price (only Standard_LRS)", sku)
	}
	l, err := e.line(r.Name, "blobs", fmt.Sprintf("blob storage, hot LRS: assumed %v GB of image build context", BuildContextGB), BuildContextGB, "GB-month", "storage/blob-hot-lrs")
	if err != nil {
		return nil, err
	}
	return []Line{l}, nil
}

// Biggest returns the n lines with the highest monthly cost, highest first.
func (est *Estimate) Biggest(n int) []Line {
	lines := append([]Line(nil), est.Lines...)
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].MonthlyUSD > lines[j].MonthlyUSD })
	if n < len(lines) {
		lines = lines[:n]
	}
	return lines
}
