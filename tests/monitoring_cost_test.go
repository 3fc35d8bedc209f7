package tests

// Monitoring is billed by volume and by run, so what it collects and how often it runs are
// config (issue 11); these tests check that the plan carries each choice to its resource and
// that the availability alert keeps its promise of alerting within 15 minutes.

import (
	"fmt"
	"testing"

	"github.com/example/wordpress-aks/config"
	"github.com/example/wordpress-aks/plan"
)

func TestGraphMonitoringCostChoices(t *testing.T) {
	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		cfg := p.Config
		av := cfg.Alerts.Availability
		for _, site := range gSiteNames(w) {
			test := gFind(t, p, "webtest-"+site)
			if got := gInt(t, test, "frequency"); got != av.FrequencySeconds {
				t.Errorf("webtest-%s runs every %d s, want alerts.availability.frequencySeconds %d", site, got, av.FrequencySeconds)
			}
			var locs []string
			for i := range gList(t, test, "locations") {
				locs = append(locs, gStr(t, test, fmt.Sprintf("locations[%d].location", i)))
			}
			if !gEqualStrings(locs, av.Locations) {
				t.Errorf("webtest-%s runs from %v, want %v", site, locs, av.Locations)
			}
			if !gBool(t, test, "retryEnabled") {
				t.Errorf("webtest-%s does not retry: one location's blip would page someone", site)
			}
			alert := gFind(t, p, "alert-site-"+site)
			every, window := gStr(t, alert, "evaluationFrequency"), gStr(t, alert, "windowSize")
			if every != "PT1M" || window != fmt.Sprintf("PT%dM", av.FrequencySeconds/60) {
				t.Errorf("alert-site-%s evaluates every %s over %s, want PT1M over one test period", site, every, window)
			}
			// The promise: a site that stops answering is noticed by the next run and alerted
			// on by the next evaluation.
			if delay := av.FrequencySeconds/60 + config.AvailabilityAlertEveryMinutes; delay > config.MaxAlertDelayMinutes {
				t.Errorf("site %s alerts up to %d minutes after going down, want at most %d", site, delay, config.MaxAlertDelayMinutes)
			}
			if got := gInt(t, alert, "criteria.failedLocationCount"); got != av.FailedLocations {
				t.Errorf("alert-site-%s needs %d failed locations, want %d", site, got, av.FailedLocations)
			}
		}
		for _, name := range []string{"alert-pod-restarts", "alert-nfs-disk-full"} {
			if got, want := gStr(t, gFind(t, p, name), "evaluationFrequency"), fmt.Sprintf("PT%dM", cfg.Alerts.LogAlertEveryMinutes); got != want {
				t.Errorf("%s runs every %s, want %s", name, got, want)
			}
		}
		ws := gFind(t, p, "log-analytics")
		if got := gNum(t, ws, "workspaceCapping.dailyQuotaGb"); got != cfg.Logs.DailyCapGB {
			t.Errorf("workspace daily cap %v GB, want logs.dailyCapGB %v", got, cfg.Logs.DailyCapGB)
		}
		table := gFind(t, p, "container-log-table")
		if got := gStr(t, table, "tableName"); got != "ContainerLogV2" {
			t.Errorf("container-log-table sets the plan of %q, want ContainerLogV2", got)
		}
		if got := gStr(t, table, "plan"); got != cfg.Logs.ContainerLogPlan {
			t.Errorf("ContainerLogV2 plan %q, want logs.containerLogPlan %q", got, cfg.Logs.ContainerLogPlan)
		}
		if got, want := gStr(t, table, "workspaceName"), gStr(t, ws, "workspaceName"); got != want {
			t.Errorf("container-log-table is in workspace %q, want %q", got, want)
		}
		dcr := gFind(t, p, "container-insights-dcr")
		settings := "dataSources.extensions[0].extensionSettings.dataCollectionSettings."
		if got, want := gStr(t, dcr, settings+"interval"), fmt.Sprintf("%dm", cfg.Logs.CollectionIntervalMinutes); got != want {
			t.Errorf("Container Insights collects every %s, want %s", got, want)
		}
		if got := gStr(t, dcr, settings+"namespaceFilteringMode"); got != "Exclude" {
			t.Errorf("namespaceFilteringMode %q, want Exclude (kube-system left out)", got)
		}
	})
}
