package infra

import (
	"fmt"
	"math"
	"sort"

	"github.com/example/wordpress-aks/config"
	"github.com/pulumi/pulumi-azure-native-sdk/compute/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/insights/v2"
	// logalert is the GA Scheduled Query Rules API (2023-12-01): the default insights package
	// registers them at 2023-03-15-preview. The versioned package is 156 KB of generated code
	// (about 11 s of one core to compile here, cold), next to the 6.7 MB insights package the
	// program compiles anyway (about 84 s).
	logalert "github.com/pulumi/pulumi-azure-native-sdk/insights/v2/v20231201"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// AlertTargets is what the alerts watch.
type AlertTargets struct {
	ResourceGroup *ResourceGroup
	Workspace     *Workspace
	ClusterID     pulumi.IDOutput
	MySQLServerID pulumi.IDOutput
	NFS           *NFS
}

// Alert timing: metric alerts evaluate every 5 minutes over 15, so a short spike (a plugin
// update, a backup) does not page anyone but a lasting problem does. Log alerts run every
// alerts.logAlertEveryMinutes (billed by that step) over a window at least as long.
const (
	alertEvery  = "PT5M"
	alertWindow = "PT15M"
	// podRestartWindow is the window alerts.podRestarts counts restarts in.
	podRestartWindow = "PT30M"
	// webTestTimeoutSeconds: standard availability tests bill per run, so their locations and
	// frequency are config (alerts.availability), checked to alert within 15 minutes.
	webTestTimeoutSeconds = 30
	// certWarningDays fails the availability test while the certificate has less than this
	// left, before browsers start refusing it.
	certWarningDays = 14
	// amaVersion is the Azure Monitor Linux agent's major.minor; minor upgrades are automatic.
	amaVersion = "1.29"
	// nfsMountPath is the data disk's mount point, the instance the disk counter reports.
	nfsMountPath = nfsMountPoint
)

// mysqlMaxConnections is max_connections by SKU (Azure's defaults, "Server parameters in Azure
// Database for MySQL - Flexible Server").
var mysqlMaxConnections = map[string]int{
	"Standard_B1s": 85, "Standard_B1ms": 171, "Standard_B2s": 341, "Standard_B2ms": 683,
	"Standard_B4ms": 1365, "Standard_B8ms": 2731,
	"Standard_D2ds_v4": 683, "Standard_D4ds_v4": 1365, "Standard_D8ds_v4": 2731,
	"Standard_D2ads_v5": 683, "Standard_D4ads_v5": 1365, "Standard_D8ads_v5": 2731,
	"Standard_E2ds_v4": 1365, "Standard_E4ds_v4": 2731, "Standard_E2ads_v5": 1365, "Standard_E4ads_v5": 2731,
}

// podRestartQuery finds containers that restarted at least n times within the window: the
// restart counter is cumulative, so the growth within the window is what counts.
const podRestartQuery = `KubePodInventory
| where isnotempty(ContainerName)
| summarize Restarts = max(ContainerRestartCount) - min(ContainerRestartCount) by Namespace, Name, ContainerName
| where Restarts >= %d`

// diskUsedQuery is the wp-content disk's fill level as the Azure Monitor agent reports it.
const diskUsedQuery = `Perf
| where ObjectName == "Logical Disk" and CounterName == "%% Used Space" and InstanceName == "%s"
| project TimeGenerated, Computer, _ResourceId, CounterValue`

// NewAlerts mails the alert addresses when a site stops answering from outside, a node pool or
// MySQL runs hot or full, the NFS VM stops or fills up, or pods keep restarting.
func NewAlerts(ctx *pulumi.Context, cfg config.Config, t AlertTargets) error {
	a := alerter{ctx: ctx, cfg: cfg, rg: t.ResourceGroup}
	if err := a.newActionGroup(); err != nil {
		return err
	}
	th := cfg.Alerts
	cluster := "Microsoft.ContainerService/managedClusters"
	mysql := "Microsoft.DBforMySQL/flexibleServers"
	vm := "Microsoft.Compute/virtualMachines"
	metrics := []metricAlert{
		{"alert-node-cpu", "node pool CPU pressure", t.ClusterID, cluster, "node_cpu_usage_percentage", "GreaterThan", float64(th.NodeCPUPercent), "Average", "nodepool", 2},
		{"alert-node-memory", "node pool memory pressure", t.ClusterID, cluster, "node_memory_working_set_percentage", "GreaterThan", float64(th.NodeMemoryPercent), "Average", "nodepool", 2},
		{"alert-mysql-cpu", "MySQL CPU", t.MySQLServerID, mysql, "cpu_percent", "GreaterThan", float64(th.MySQLCPUPercent), "Average", "", 2},
		{"alert-mysql-storage", "MySQL storage filling up", t.MySQLServerID, mysql, "storage_percent", "GreaterThan", float64(th.MySQLStoragePercent), "Maximum", "", 1},
		// VmAvailabilityMetric is 1 while the VM runs and answers the host, 0 otherwise.
		{"alert-nfs-vm-down", "NFS server unreachable", t.NFS.VMID, vm, "VmAvailabilityMetric", "LessThan", 1, "Average", "", 0},
	}
	if max, ok := mysqlMaxConnections[cfg.MySQL.SKUName]; ok {
		limit := math.Floor(float64(max) * float64(th.MySQLConnectionsPercent) / 100)
		metrics = append(metrics, metricAlert{"alert-mysql-connections", "MySQL connections near max_connections", t.MySQLServerID, mysql, "active_connections", "GreaterThan", limit, "Maximum", "", 1})
	} else {
		ctx.Log.Warn(fmt.Sprintf("no MySQL connection alert: max_connections of %s is not known to this program", cfg.MySQL.SKUName), nil)
	}
	for _, m := range metrics {
		if err := a.newMetricAlert(m); err != nil {
			return err
		}
	}
	if err := a.newNFSDiskAlert(t); err != nil {
		return err
	}
	err := a.newLogAlert("alert-pod-restarts", "pods restarting repeatedly", t.Workspace,
		fmt.Sprintf(podRestartQuery, th.PodRestarts), "Count", "", "GreaterThan", 0, podRestartWindow, 2)
	if err != nil {
		return err
	}
	return a.newAvailabilityTests(t.Workspace)
}

// alerter builds the alerts of one stack.
type alerter struct {
	ctx *pulumi.Context
	cfg config.Config
	rg  *ResourceGroup
	// actionGroup is nil when no address is configured: the alerts still fire in Azure
	// Monitor, they just mail no one.
	actionGroup pulumi.StringOutput
	hasGroup    bool
}

func (a *alerter) newActionGroup() error {
	if len(a.cfg.Alerts.Emails) == 0 {
		return nil
	}
	receivers := insights.EmailReceiverArray{}
	for i, e := range a.cfg.Alerts.Emails {
		receivers = append(receivers, &insights.EmailReceiverArgs{
			Name:                 pulumi.String(fmt.Sprintf("email-%d", i)),
			EmailAddress:         pulumi.String(e),
			UseCommonAlertSchema: pulumi.Bool(true),
		})
	}
	names := a.cfg.Names()
	ag, err := insights.NewActionGroup(a.ctx, "action-group", &insights.ActionGroupArgs{
		ActionGroupName:   pulumi.String(names.ActionGroup()),
		ResourceGroupName: a.rg.Name,
		Location:          pulumi.String("Global"),
		Tags:              tags(a.cfg),
		GroupShortName:    pulumi.String(names.ActionGroupShort()),
		Enabled:           pulumi.Bool(true),
		EmailReceivers:    receivers,
	})
	if err != nil {
		return fmt.Errorf("create action group: %w", err)
	}
	a.actionGroup, a.hasGroup = ag.ID().ToStringOutput(), true
	return nil
}

func (a *alerter) metricActions() insights.MetricAlertActionArray {
	if !a.hasGroup {
		return nil
	}
	return insights.MetricAlertActionArray{&insights.MetricAlertActionArgs{ActionGroupId: a.actionGroup}}
}

func (a *alerter) logActions() *logalert.ActionsArgs {
	if !a.hasGroup {
		return nil
	}
	return &logalert.ActionsArgs{ActionGroups: pulumi.StringArray{a.actionGroup}}
}

// metricAlert is one static-threshold metric alert on one resource.
type metricAlert struct {
	name, description string
	scope             pulumi.IDOutput
	namespace, metric string
	operator          string
	threshold         float64
	aggregation       string
	// splitBy is a dimension to alert on per value (each node pool), or "".
	splitBy  string
	severity int
}

func (a *alerter) newMetricAlert(m metricAlert) error {
	criterion := &insights.MetricCriteriaArgs{
		CriterionType:   pulumi.String("StaticThresholdCriterion"),
		Name:            pulumi.String(m.metric),
		MetricNamespace: pulumi.String(m.namespace),
		MetricName:      pulumi.String(m.metric),
		Operator:        pulumi.String(m.operator),
		Threshold:       pulumi.Float64(m.threshold),
		TimeAggregation: pulumi.String(m.aggregation),
	}
	if m.splitBy != "" {
		criterion.Dimensions = insights.MetricDimensionArray{&insights.MetricDimensionArgs{
			Name: pulumi.String(m.splitBy), Operator: pulumi.String("Include"), Values: pulumi.StringArray{pulumi.String("*")},
		}}
	}
	_, err := insights.NewMetricAlert(a.ctx, m.name, &insights.MetricAlertArgs{
		RuleName:            pulumi.String(a.cfg.Names().ResourceGroup() + "-" + m.name),
		ResourceGroupName:   a.rg.Name,
		Location:            pulumi.String("global"),
		Tags:                tags(a.cfg),
		Description:         pulumi.String(m.description),
		Severity:            pulumi.Int(m.severity),
		Enabled:             pulumi.Bool(true),
		Scopes:              pulumi.StringArray{m.scope.ToStringOutput()},
		EvaluationFrequency: pulumi.String(alertEvery),
		WindowSize:          pulumi.String(alertWindow),
		AutoMitigate:        pulumi.Bool(true),
		Criteria: &insights.MetricAlertSingleResourceMultipleMetricCriteriaArgs{
			OdataType: pulumi.String("Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria"),
			AllOf:     insights.MetricCriteriaArray{criterion},
		},
		Actions: a.metricActions(),
	})
	if err != nil {
		return fmt.Errorf("create %s: %w", m.name, err)
	}
	return nil
}

// newLogAlert creates a log search alert over the workspace. Every property it sets is in the
// 2023-12-01 spec (specification/monitor/.../Microsoft.Insights/stable/2023-12-01/
// scheduledQueryRule_API.json: ScheduledQueryRuleResource, ScheduledQueryRuleProperties,
// Condition, Actions).
func (a *alerter) newLogAlert(name, description string, ws *Workspace, query, aggregation, column, operator string, threshold float64, window string, severity float64) error {
	cond := &logalert.ConditionArgs{
		Query:           pulumi.String(query),
		TimeAggregation: pulumi.String(aggregation),
		Operator:        pulumi.String(operator),
		Threshold:       pulumi.Float64(threshold),
		FailingPeriods: &logalert.ConditionFailingPeriodsArgs{
			NumberOfEvaluationPeriods: pulumi.Float64(1),
			MinFailingPeriodsToAlert:  pulumi.Float64(1),
		},
	}
	if column != "" {
		cond.MetricMeasureColumn = pulumi.String(column)
	}
	_, err := logalert.NewScheduledQueryRule(a.ctx, name, &logalert.ScheduledQueryRuleArgs{
		RuleName:            pulumi.String(a.cfg.Names().ResourceGroup() + "-" + name),
		ResourceGroupName:   a.rg.Name,
		Location:            pulumi.String(a.cfg.Location),
		Tags:                tags(a.cfg),
		Kind:                pulumi.String("LogAlert"),
		Description:         pulumi.String(description),
		DisplayName:         pulumi.String(description),
		Severity:            pulumi.Float64(severity),
		Enabled:             pulumi.Bool(true),
		Scopes:              pulumi.StringArray{ws.ID.ToStringOutput()},
		EvaluationFrequency: pulumi.String(isoMinutes(a.cfg.Alerts.LogAlertEveryMinutes)),
		WindowSize:          pulumi.String(window),
		AutoMitigate:        pulumi.Bool(true),
		Criteria:            &logalert.ScheduledQueryRuleCriteriaArgs{AllOf: logalert.ConditionArray{cond}},
		Actions:             a.logActions(),
	})
	if err != nil {
		return fmt.Errorf("create %s: %w", name, err)
	}
	return nil
}

// newNFSDiskAlert installs the Azure Monitor agent on the NFS VM, collects its file-system fill
// level into the workspace, and alerts on the wp-content mount. Azure's platform metrics do not
// see inside a file system, so this needs the agent.
func (a *alerter) newNFSDiskAlert(t AlertTargets) error {
	ama, err := compute.NewVirtualMachineExtension(a.ctx, "nfs-monitor-agent", &compute.VirtualMachineExtensionArgs{
		VmExtensionName:         pulumi.String("AzureMonitorLinuxAgent"),
		VmName:                  pulumi.String(t.NFS.VMName),
		ResourceGroupName:       a.rg.Name,
		Location:                pulumi.String(a.cfg.Location),
		Tags:                    tags(a.cfg),
		Publisher:               pulumi.String("Microsoft.Azure.Monitor"),
		Type:                    pulumi.String("AzureMonitorLinuxAgent"),
		TypeHandlerVersion:      pulumi.String(amaVersion),
		AutoUpgradeMinorVersion: pulumi.Bool(true),
		EnableAutomaticUpgrade:  pulumi.Bool(true),
	}, pulumi.DependsOn([]pulumi.Resource{t.NFS.VM}))
	if err != nil {
		return fmt.Errorf("install monitor agent on nfs vm: %w", err)
	}
	const destination = "workspace"
	dcr, err := insights.NewDataCollectionRule(a.ctx, "nfs-disk-dcr", &insights.DataCollectionRuleArgs{
		DataCollectionRuleName: pulumi.String(a.cfg.Names().DataCollectionRule()),
		ResourceGroupName:      a.rg.Name,
		Location:               pulumi.String(a.cfg.Location),
		Tags:                   tags(a.cfg),
		Kind:                   pulumi.String("Linux"),
		DataSources: &insights.DataCollectionRuleDataSourcesArgs{
			PerformanceCounters: insights.PerfCounterDataSourceArray{&insights.PerfCounterDataSourceArgs{
				Name:                       pulumi.String("disk"),
				Streams:                    pulumi.StringArray{pulumi.String("Microsoft-Perf")},
				SamplingFrequencyInSeconds: pulumi.Int(300),
				CounterSpecifiers:          pulumi.StringArray{pulumi.String(`Logical Disk(*)\% Used Space`)},
			}},
		},
		Destinations: &insights.DataCollectionRuleDestinationsArgs{
			LogAnalytics: insights.LogAnalyticsDestinationArray{&insights.LogAnalyticsDestinationArgs{
				Name:                pulumi.String(destination),
				WorkspaceResourceId: t.Workspace.ID.ToStringOutput(),
			}},
		},
		DataFlows: insights.DataFlowArray{&insights.DataFlowArgs{
			Streams:      pulumi.StringArray{pulumi.String("Microsoft-Perf")},
			Destinations: pulumi.StringArray{pulumi.String(destination)},
		}},
	})
	if err != nil {
		return fmt.Errorf("create nfs disk data collection rule: %w", err)
	}
	_, err = insights.NewDataCollectionRuleAssociation(a.ctx, "nfs-disk-dcra", &insights.DataCollectionRuleAssociationArgs{
		AssociationName:      pulumi.String("nfs-disk"),
		ResourceUri:          t.NFS.VMID.ToStringOutput(),
		DataCollectionRuleId: dcr.ID().ToStringOutput(),
	}, pulumi.DependsOn([]pulumi.Resource{ama}))
	if err != nil {
		return fmt.Errorf("associate nfs disk data collection rule: %w", err)
	}
	return a.newLogAlert("alert-nfs-disk-full", "wp-content disk filling up", t.Workspace,
		fmt.Sprintf(diskUsedQuery, nfsMountPath), "Average", "CounterValue", "GreaterThan",
		float64(a.cfg.Alerts.NFSDiskUsedPercent), alertWindow, 1)
}

// newAvailabilityTests checks each site from outside, through DNS, the public IP, the ingress
// controller and a user pod, down to MySQL: the readiness page answers 200 only when the whole
// path works. The test also fails while the TLS certificate is about to expire.
func (a *alerter) newAvailabilityTests(ws *Workspace) error {
	names := a.cfg.Names()
	appi, err := insights.NewComponent(a.ctx, "app-insights", &insights.ComponentArgs{
		ResourceName:        pulumi.String(names.AppInsights()),
		ResourceGroupName:   a.rg.Name,
		Location:            pulumi.String(a.cfg.Location),
		Tags:                tags(a.cfg),
		Kind:                pulumi.String("web"),
		ApplicationType:     pulumi.String("web"),
		WorkspaceResourceId: ws.ID.ToStringOutput(),
		IngestionMode:       pulumi.String("LogAnalytics"),
	})
	if err != nil {
		return fmt.Errorf("create application insights: %w", err)
	}
	componentID := appi.ID().ToStringOutput()
	// Azure links a test to its component through this tag; without it the portal shows an
	// orphan test.
	testTags := func(site string) pulumi.StringMapOutput {
		return pulumi.All(componentID, tags(a.cfg, "site", site)).ApplyT(func(v []any) map[string]string {
			out := map[string]string{"hidden-link:" + v[0].(string): "Resource"}
			for k, val := range v[1].(map[string]string) {
				out[k] = val
			}
			return out
		}).(pulumi.StringMapOutput)
	}
	locations := insights.WebTestGeolocationArray{}
	av := a.cfg.Alerts.Availability
	for _, l := range av.Locations {
		locations = append(locations, &insights.WebTestGeolocationArgs{Location: pulumi.String(l)})
	}
	for _, site := range a.cfg.Sites {
		testName := names.ResourceGroup() + "-" + site.Name + "-health"
		test, err := insights.NewWebTest(a.ctx, "webtest-"+site.Name, &insights.WebTestArgs{
			WebTestName:        pulumi.String(testName),
			SyntheticMonitorId: pulumi.String(testName),
			Description:        pulumi.String("site " + site.Name + ": readiness page from outside"),
			ResourceGroupName:  a.rg.Name,
			Location:           pulumi.String(a.cfg.Location),
			Tags:               testTags(site.Name),
			Kind:               insights.WebTestKindStandard,
			WebTestKind:        insights.WebTestKindStandard,
			Enabled:            pulumi.Bool(true),
			Frequency:          pulumi.Int(av.FrequencySeconds),
			Timeout:            pulumi.Int(webTestTimeoutSeconds),
			RetryEnabled:       pulumi.Bool(true),
			Locations:          locations,
			Request: &insights.WebTestPropertiesRequestArgs{
				RequestUrl:             pulumi.String(SiteURL(site) + "readyz"),
				HttpVerb:               pulumi.String("GET"),
				ParseDependentRequests: pulumi.Bool(false),
				FollowRedirects:        pulumi.Bool(false),
			},
			ValidationRules: &insights.WebTestPropertiesValidationRulesArgs{
				ExpectedHttpStatusCode:        pulumi.Int(200),
				SSLCheck:                      pulumi.Bool(true),
				SSLCertRemainingLifetimeCheck: pulumi.Int(certWarningDays),
			},
		})
		if err != nil {
			return fmt.Errorf("create availability test for site %s: %w", site.Name, err)
		}
		_, err = insights.NewMetricAlert(a.ctx, "alert-site-"+site.Name, &insights.MetricAlertArgs{
			RuleName:          pulumi.String(testName),
			ResourceGroupName: a.rg.Name,
			Location:          pulumi.String("global"),
			Tags:              tags(a.cfg, "site", site.Name),
			Description:       pulumi.String("site " + site.Name + " failing from outside"),
			Severity:          pulumi.Int(0),
			Enabled:           pulumi.Bool(true),
			Scopes:            pulumi.StringArray{test.ID().ToStringOutput(), componentID},
			// Every minute over one test period: a failed run alerts within the test's
			// frequency plus a minute (config checks that this stays within 15 minutes).
			EvaluationFrequency: pulumi.String(isoMinutes(config.AvailabilityAlertEveryMinutes)),
			WindowSize:          pulumi.String(isoMinutes(av.FrequencySeconds / 60)),
			Criteria: &insights.WebtestLocationAvailabilityCriteriaArgs{
				OdataType:           pulumi.String("Microsoft.Azure.Monitor.WebtestLocationAvailabilityCriteria"),
				WebTestId:           test.ID().ToStringOutput(),
				ComponentId:         componentID,
				FailedLocationCount: pulumi.Float64(float64(av.FailedLocations)),
			},
			Actions: a.metricActions(),
		})
		if err != nil {
			return fmt.Errorf("create availability alert for site %s: %w", site.Name, err)
		}
	}
	return nil
}

// isoMinutes is an ISO 8601 duration of whole minutes, as alert rules take them ("PT15M").
func isoMinutes(m int) string { return fmt.Sprintf("PT%dM", m) }

// sortedNames returns a map's keys in order, so resources register in a stable order.
func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
