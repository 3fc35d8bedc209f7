package infra

// This file owns the office-hours schedule (config schedule): two Logic Apps that stop the
// environment after hours and start it again, and an alert processing rule that keeps the
// alerts quiet while it is stopped on purpose.
//
// Why Logic Apps rather than a scheduled GitHub workflow or an Automation runbook: the
// recurrence trigger takes a time zone, weekdays and hours as they are (Azure follows daylight
// saving), the calls use the workflow's own managed identity, so no Azure credential is kept
// outside Azure, the HTTP action waits for each long-running start or stop to finish, which is
// what orders MySQL and the NFS VM before the cluster, and a run costs a few hundred-thousandths
// of a dollar. GitHub's cron is UTC-only, delays or drops runs under load and needs a stored
// Azure login; an Automation runbook needs its script uploaded from a URL.
//
// Pulumi never sets a power state, so `pulumi up` does not start what the schedule stopped or
// stop what it started.

import (
	"fmt"
	"slices"

	"github.com/example/wordpress-aks/config"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Tokens registered without a generated SDK (this machine's module proxy serves no logic or
// alertsmanagement module): Microsoft.Logic/workflows 2019-05-01 (azure-native's default for
// logic:Workflow; specification/logic/.../stable/2019-05-01/logic.json: Workflow,
// WorkflowProperties, ManagedServiceIdentity) and Microsoft.AlertsManagement/actionRules
// 2021-08-08 (specification/alertsmanagement/.../stable/2021-08-08/AlertProcessingRules.json).
const (
	tokenWorkflow            = "azure-native:logic:Workflow"
	tokenAlertProcessingRule = "azure-native:alertsmanagement:AlertProcessingRuleByName"
)

// Management API versions of the start and stop actions the workflows call.
const (
	apiAKS   = "2024-08-01"
	apiMySQL = "2023-12-30"
	apiVM    = "2024-07-01"
	// roleContributor is the built-in Contributor role, granted to each workflow on the three
	// resources it starts and stops only: no narrower built-in role covers MySQL's start/stop.
	roleContributor = "b24988ac-6180-42a0-ab88-20f7382dd24c"
	// startQuietMinutes keeps alerts quiet for the first half hour of the day, while the
	// cluster starts (AKS takes about 10 minutes) and the sites come back.
	startQuietMinutes = 30
	// workflowSchema is the Logic Apps workflow definition language.
	workflowSchema = "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#"
)

// workflow is a Logic App; Identity holds its system-assigned identity (principalId).
type workflow struct {
	pulumi.CustomResourceState
	Name     pulumi.StringOutput `pulumi:"name"`
	Identity pulumi.MapOutput    `pulumi:"identity"`
}

// alertProcessingRule is an alert processing rule.
type alertProcessingRule struct {
	pulumi.CustomResourceState
}

// ScheduleTargets are what the schedule starts and stops.
type ScheduleTargets struct {
	ResourceGroup *ResourceGroup
	ClusterID     pulumi.IDOutput
	MySQLServerID pulumi.IDOutput
	NFS           *NFS
}

// scheduleStep is one call of a workflow: a POST to an action of a resource, after the named
// steps have finished.
type scheduleStep struct {
	name   string
	target pulumi.IDOutput
	action string
	api    string
	after  []string
}

// NewSchedule creates the start and stop workflows and the rule that silences alerts outside
// the hours. Start: MySQL and the NFS VM together, then the cluster, so that pods find their
// database and files when they start. Stop: the cluster first, then MySQL and the VM, so no pod
// is left writing to a server that has gone.
func NewSchedule(ctx *pulumi.Context, cfg config.Config, t ScheduleTargets) error {
	s := cfg.Schedule
	start := []scheduleStep{
		{"StartMySQL", t.MySQLServerID, "start", apiMySQL, nil},
		{"StartNFSVM", t.NFS.VMID, "start", apiVM, nil},
		{"StartAKS", t.ClusterID, "start", apiAKS, []string{"StartMySQL", "StartNFSVM"}},
	}
	stop := []scheduleStep{
		{"StopAKS", t.ClusterID, "stop", apiAKS, nil},
		{"StopMySQL", t.MySQLServerID, "stop", apiMySQL, []string{"StopAKS"}},
		{"DeallocateNFSVM", t.NFS.VMID, "deallocate", apiVM, []string{"StopAKS"}},
	}
	for _, w := range []struct {
		action string
		hour   int
		steps  []scheduleStep
	}{{"start", s.StartHour, start}, {"stop", s.StopHour, stop}} {
		principal, err := newScheduleWorkflow(ctx, cfg, t.ResourceGroup, w.action, w.hour, w.steps)
		if err != nil {
			return err
		}
		for _, target := range []struct {
			name string
			id   pulumi.IDOutput
		}{{"aks", t.ClusterID}, {"mysql", t.MySQLServerID}, {"nfs-vm", t.NFS.VMID}} {
			if _, err := grant(ctx, fmt.Sprintf("schedule-%s-%s", w.action, target.name), principal, roleContributor, target.id.ToStringOutput()); err != nil {
				return err
			}
		}
	}
	return newQuietHours(ctx, cfg, t.ResourceGroup)
}

// newScheduleWorkflow is one Logic App: a weekly recurrence at hour on the configured days, and
// one HTTP action per step, authenticated with the workflow's managed identity. A step runs
// after its predecessors whether they succeeded or failed: starting a server that is already
// running fails, and must not keep the cluster from starting. It returns the identity's
// principal.
func newScheduleWorkflow(ctx *pulumi.Context, cfg config.Config, rg *ResourceGroup, action string, hour int, steps []scheduleStep) (pulumi.StringOutput, error) {
	s := cfg.Schedule
	ids := make([]any, len(steps))
	for i, st := range steps {
		ids[i] = st.target
	}
	definition := pulumi.All(ids...).ApplyT(func(v []any) (map[string]any, error) {
		actions := map[string]any{}
		for i, st := range steps {
			id, ok := v[i].(pulumi.ID)
			if !ok {
				return nil, fmt.Errorf("schedule step %s: target id is %T", st.name, v[i])
			}
			runAfter := map[string]any{}
			for _, a := range st.after {
				runAfter[a] = []any{"Succeeded", "Failed"}
			}
			actions[st.name] = map[string]any{
				"type": "Http",
				"inputs": map[string]any{
					"method":         "POST",
					"uri":            fmt.Sprintf("https://management.azure.com%s/%s?api-version=%s", string(id), st.action, st.api),
					"authentication": map[string]any{"type": "ManagedServiceIdentity"},
				},
				"runAfter": runAfter,
			}
		}
		days := make([]any, len(s.Days))
		for i, d := range s.Days {
			days[i] = d
		}
		return workflowDefinition(map[string]any{
			"frequency": "Week",
			"interval":  1,
			"timeZone":  s.TimeZone,
			"schedule":  map[string]any{"weekDays": days, "hours": []any{hour}, "minutes": []any{0}},
		}, actions), nil
	}).(pulumi.MapOutput)
	principal, err := newWorkflow(ctx, cfg, "schedule-"+action, cfg.Names().ScheduleWorkflow(action), rg.Name, definition)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("create %s workflow: %w", action, err)
	}
	return principal, nil
}

// newWorkflow creates an enabled Logic App named workflowName in group, with a system-assigned
// identity, and returns that identity's principal for the role assignments its calls need.
func newWorkflow(ctx *pulumi.Context, cfg config.Config, name, workflowName string, group pulumi.StringInput, definition pulumi.MapOutput) (pulumi.StringOutput, error) {
	var wf workflow
	err := ctx.RegisterResource(tokenWorkflow, name, pulumi.Map{
		"workflowName":      pulumi.String(workflowName),
		"resourceGroupName": group,
		"location":          pulumi.String(cfg.Location),
		"tags":              tags(cfg),
		"identity":          pulumi.Map{"type": pulumi.String("SystemAssigned")},
		"state":             pulumi.String("Enabled"),
		"definition":        definition,
	}, &wf, armOpts()...)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	return wf.Identity.ApplyT(func(m map[string]any) (string, error) {
		id, _ := m["principalId"].(string)
		return id, nil
	}).(pulumi.StringOutput), nil
}

// workflowDefinition is a workflow definition with one recurrence trigger and actions.
func workflowDefinition(recurrence, actions map[string]any) map[string]any {
	return map[string]any{
		"$schema":        workflowSchema,
		"contentVersion": "1.0.0.0",
		"triggers": map[string]any{
			"Recurrence": map[string]any{"type": "Recurrence", "recurrence": recurrence},
		},
		"actions": actions,
		"outputs": map[string]any{},
	}
}

// newQuietHours removes the action groups from every alert of the resource group outside the
// scheduled hours: a stopped environment is expected, not an outage. The rule's windows are the
// nights before startHour and after stopHour on every day, and the whole of the days off.
func newQuietHours(ctx *pulumi.Context, cfg config.Config, rg *ResourceGroup) error {
	s := cfg.Schedule
	clock := func(h, m int) string { return fmt.Sprintf("%02d:%02d:00", h, m) }
	// The morning window runs on for startQuietMinutes: the cluster takes minutes to start, and
	// the availability tests fail until it has.
	recurrences := pulumi.Array{
		pulumi.Map{"recurrenceType": pulumi.String("Daily"), "startTime": pulumi.String(clock(0, 0)), "endTime": pulumi.String(clock(s.StartHour, startQuietMinutes))},
		pulumi.Map{"recurrenceType": pulumi.String("Daily"), "startTime": pulumi.String(clock(s.StopHour, 0)), "endTime": pulumi.String("23:59:59")},
	}
	var off pulumi.StringArray
	for _, d := range config.WeekDays {
		if !slices.Contains(s.Days, d) {
			off = append(off, pulumi.String(d))
		}
	}
	if len(off) > 0 {
		recurrences = append(recurrences, pulumi.Map{"recurrenceType": pulumi.String("Weekly"), "daysOfWeek": off})
	}
	var rule alertProcessingRule
	err := ctx.RegisterResource(tokenAlertProcessingRule, "schedule-quiet-hours", pulumi.Map{
		"alertProcessingRuleName": pulumi.String(cfg.Names().QuietHoursRule()),
		"resourceGroupName":       rg.Name,
		"location":                pulumi.String("global"),
		"tags":                    tags(cfg),
		"properties": pulumi.Map{
			"description": pulumi.String("no alert mails while the office-hours schedule has the environment stopped"),
			"enabled":     pulumi.Bool(true),
			"scopes":      pulumi.StringArray{rg.ID.ToStringOutput()},
			"actions":     pulumi.Array{pulumi.Map{"actionType": pulumi.String("RemoveAllActionGroups")}},
			"schedule": pulumi.Map{
				"timeZone":    pulumi.String(s.TimeZone),
				"recurrences": recurrences,
			},
		},
	}, &rule, armOpts()...)
	if err != nil {
		return fmt.Errorf("create quiet-hours rule: %w", err)
	}
	return nil
}
