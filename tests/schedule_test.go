package tests

// The office-hours schedule (issue 11): dev's start and stop workflows start storage and the
// database before the cluster and stop the cluster first, on the configured days and hours,
// with a managed identity that may act on those three resources only; alerts are quiet while
// the environment is stopped; prod has no schedule.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/example/wordpress-aks/plan"
)

const gRoleContributor = "b24988ac-6180-42a0-ab88-20f7382dd24c"

func TestGraphSchedule(t *testing.T) {
	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		s := p.Config.Schedule
		var flows []plan.Resource
		for _, f := range gOfType(p, "azure-native", "logic", "Workflow") {
			// The snapshot backup's workflow is TestGraphBackup's.
			if f.Name != "backup-snapshots" {
				flows = append(flows, f)
			}
		}
		if !s.Enabled {
			if len(flows) != 0 || len(gOfType(p, "azure-native", "alertsmanagement", "AlertProcessingRuleByName")) != 0 {
				t.Errorf("%s has no schedule but plans %v", p.Stack, gNames(flows))
			}
			return
		}
		targets := map[string]string{
			"aks":    gStr(t, gFind(t, p, "aks"), "resourceName"),
			"mysql":  gStr(t, gFind(t, p, "mysql"), "serverName"),
			"nfs-vm": gStr(t, gFind(t, p, "nfs-vm"), "vmName"),
		}
		tests := []struct {
			workflow string
			hour     int
			// steps maps each action to its target, what it does and what it waits for.
			steps map[string]struct{ target, verb, after string }
		}{
			{"schedule-start", s.StartHour, map[string]struct{ target, verb, after string }{
				"StartMySQL": {"mysql", "start", ""},
				"StartNFSVM": {"nfs-vm", "start", ""},
				"StartAKS":   {"aks", "start", "StartMySQL,StartNFSVM"},
			}},
			{"schedule-stop", s.StopHour, map[string]struct{ target, verb, after string }{
				"StopAKS":         {"aks", "stop", ""},
				"StopMySQL":       {"mysql", "stop", "StopAKS"},
				"DeallocateNFSVM": {"nfs-vm", "deallocate", "StopAKS"},
			}},
		}
		for _, tt := range tests {
			t.Run(tt.workflow, func(t *testing.T) {
				wf := gFind(t, p, tt.workflow)
				rec := "definition.triggers.Recurrence.recurrence."
				if got := gStr(t, wf, rec+"timeZone"); got != s.TimeZone {
					t.Errorf("time zone %q, want %q", got, s.TimeZone)
				}
				if got := gStrs(t, wf, rec+"schedule.weekDays"); !gEqualStrings(got, s.Days) {
					t.Errorf("days %v, want %v", got, s.Days)
				}
				if got := gInt(t, wf, rec+"schedule.hours[0]"); got != tt.hour {
					t.Errorf("runs at %d:00, want %d:00", got, tt.hour)
				}
				if got := gStr(t, wf, "identity.type"); got != "SystemAssigned" {
					t.Errorf("identity %q, want SystemAssigned", got)
				}
				actions := gMap(t, wf, "definition.actions")
				if len(actions) != len(tt.steps) {
					t.Errorf("actions %v, want %d", actions, len(tt.steps))
				}
				for name, step := range tt.steps {
					a := "definition.actions." + name + "."
					uri := gStr(t, wf, a+"inputs.uri")
					path, _, _ := strings.Cut(uri, "?")
					if want := "/" + targets[step.target] + "/" + step.verb; !strings.HasPrefix(uri, "https://management.azure.com/subscriptions/") || !strings.HasSuffix(path, want) {
						t.Errorf("%s calls %s, want a POST to ...%s", name, uri, want)
					}
					if got := gStr(t, wf, a+"inputs.method"); got != "POST" {
						t.Errorf("%s method %q, want POST", name, got)
					}
					if got := gStr(t, wf, a+"inputs.authentication.type"); got != "ManagedServiceIdentity" {
						t.Errorf("%s authenticates with %q, want ManagedServiceIdentity", name, got)
					}
					var after []string
					for k := range gMap(t, wf, a+"runAfter") {
						after = append(after, k)
						// A predecessor that failed (already running or stopped) must not
						// hold the next step back.
						if got := gStrs(t, wf, a+"runAfter."+k); !gEqualStrings(got, []string{"Succeeded", "Failed"}) {
							t.Errorf("%s runs after %s on %v, want Succeeded and Failed", name, k, got)
						}
					}
					var want []string
					if step.after != "" {
						want = strings.Split(step.after, ",")
					}
					if !gEqualStrings(gSorted(after), want) {
						t.Errorf("%s runs after %v, want %v", name, after, want)
					}
				}
				// The workflow may act on its three targets and nothing else.
				for target, name := range targets {
					ra := gFind(t, p, fmt.Sprintf("%s-%s", tt.workflow, target))
					if got := gStr(t, ra, "scope"); !strings.HasSuffix(got, "/"+name) {
						t.Errorf("%s's role is on %s, want %s", tt.workflow, got, name)
					}
					if got := gStr(t, ra, "roleDefinitionId"); !strings.HasSuffix(got, "/"+gRoleContributor) {
						t.Errorf("%s's role on %s is %s, want Contributor", tt.workflow, target, got)
					}
					if !gDependsOn(ra, tt.workflow) {
						t.Errorf("%s-%s does not wait for the workflow's identity", tt.workflow, target)
					}
				}
			})
		}
		rule := gFind(t, p, "schedule-quiet-hours")
		if got := gStr(t, rule, "properties.actions[0].actionType"); got != "RemoveAllActionGroups" {
			t.Errorf("quiet hours action %q, want RemoveAllActionGroups", got)
		}
		if got, want := gStr(t, rule, "properties.scopes[0]"), gStr(t, gFind(t, p, "resource-group"), "resourceGroupName"); !strings.HasSuffix(got, "/"+want) {
			t.Errorf("quiet hours scope %s, want the resource group %s", got, want)
		}
		if got := gStr(t, rule, "properties.schedule.timeZone"); got != s.TimeZone {
			t.Errorf("quiet hours time zone %q, want %q", got, s.TimeZone)
		}
		// Quiet from the stop hour to half an hour after the start hour, while the cluster
		// starts and the sites come back.
		quiet := fmt.Sprint(gList(t, rule, "properties.schedule.recurrences"))
		for _, want := range []string{fmt.Sprintf("endTime:%02d:30:00", s.StartHour), fmt.Sprintf("startTime:%02d:00:00", s.StopHour)} {
			if !strings.Contains(quiet, want) {
				t.Errorf("quiet hours %s do not have %s", quiet, want)
			}
		}
	})
}

func gSorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}
