package config

// This file owns the monitoring settings that decide what monitoring costs: what Log Analytics
// collects and keeps, how often the log alerts run, and where and how often the availability
// tests call each site. Each is billed by volume or by run, so each is a config choice with
// its price in the estimate.

import (
	"fmt"
	"slices"
	"strconv"
)

// Logs holds what Log Analytics collects and the most it may take in.
type Logs struct {
	// DailyCapGB stops ingestion for the rest of the day (UTC) once reached, so a runaway log
	// source cannot run up the bill: 0.1-100 GB.
	DailyCapGB float64 `json:"dailyCapGB"`
	// CollectionIntervalMinutes is how often Container Insights collects performance and
	// inventory data, 1-15 (Container Insights allows 30, but the pod-restart alert compares
	// restart counts over 30 minutes and needs two samples in them).
	CollectionIntervalMinutes int `json:"collectionIntervalMinutes"`
	// ContainerLogPlan is the plan of ContainerLogV2, the containers' stdout and stderr: Basic
	// (a quarter of the ingestion price, queries billed per GB scanned, no alerts on it) or
	// Analytics. No alert queries it; a person debugging does, rarely.
	ContainerLogPlan string `json:"containerLogPlan"`
}

// Availability is the standard availability test each site gets.
type Availability struct {
	// Locations are Application Insights test location ids (e.g. "apac-jp-kaw-edge"), 1-16,
	// each billed per run.
	Locations []string `json:"locations"`
	// FrequencySeconds is 300 or 600: the alert must fire within 15 minutes of a site going
	// down, which a 900 s test plus the alert's evaluation cannot promise.
	FrequencySeconds int `json:"frequencySeconds"`
	// FailedLocations is how many locations must fail (after the test's own retries) to alert,
	// 1 to the number of locations.
	FailedLocations int `json:"failedLocations"`
}

// Monitoring defaults: the cheapest settings that still alert in time and keep what a person
// debugging needs.
const (
	DefaultLogsDailyCapGB         = 1.0
	DefaultLogsCollectionInterval = 15
	DefaultContainerLogPlan       = "Basic"
	// DefaultLogAlertEveryMinutes: 15 minutes bills a third of 5 minutes ($0.50 against $1.50
	// a rule a month); neither log alert (pod restarts, wp-content disk full) needs faster.
	DefaultLogAlertEveryMinutes = 15
	// DefaultAvailabilityFrequency with one location and the test's retries alerts within
	// 10 + 1 minutes at half the runs of the old three locations every 15 minutes.
	DefaultAvailabilityFrequency = 600
	DefaultAvailabilityFailed    = 1
	// AvailabilityAlertEveryMinutes is how often the availability alert evaluates.
	AvailabilityAlertEveryMinutes = 1
	// MaxAlertDelayMinutes is the promise: a site that stops answering alerts within this.
	MaxAlertDelayMinutes = 15
)

// DefaultAvailabilityLocations is one test location close to Japan East (Kawaguchi).
func DefaultAvailabilityLocations() []string { return []string{"apac-jp-kaw-edge"} }

// availabilityLocations are Azure's standard availability test locations (learn.microsoft.com,
// "Application Insights availability tests", location population tags, read 2026-12-03).
var availabilityLocations = []string{
	"apac-jp-kaw-edge", "apac-hk-hkn-azr", "apac-sg-sin-azr", "emea-au-syd-edge", "emea-ch-zrh-edge",
	"emea-fr-pra-edge", "emea-gb-db3-azr", "emea-nl-ams-azr", "emea-ru-msa-edge", "emea-se-sto-edge",
	"emea-za-jnb-edge", "latam-br-gru-edge", "us-ca-sjc-azr", "us-fl-mia-edge", "us-il-ch1-azr",
	"us-tx-sn1-azr", "us-va-ash-azr",
}

var (
	containerLogPlans      = []string{"Basic", "Analytics"}
	logAlertMinutes        = []int{5, 10, 15}
	availabilityFrequences = []int{300, 600}
)

func validateLogs(c Config) Problems {
	var probs Problems
	l := c.Logs
	if l.DailyCapGB < 0.1 || l.DailyCapGB > 100 {
		probs.add("logs.dailyCapGB", strconv.FormatFloat(l.DailyCapGB, 'f', -1, 64), "must be between 0.1 and 100 (GB a day)")
	}
	if l.CollectionIntervalMinutes < 1 || l.CollectionIntervalMinutes > 15 {
		probs.add("logs.collectionIntervalMinutes", strconv.Itoa(l.CollectionIntervalMinutes), "must be 1-15: the pod-restart alert compares restart counts over 30 minutes and needs two samples in them")
	}
	oneOf(&probs, "logs.containerLogPlan", l.ContainerLogPlan, containerLogPlans)
	return probs
}

func validateMonitoringAlerts(c Config) Problems {
	var probs Problems
	a := c.Alerts
	if !slices.Contains(logAlertMinutes, a.LogAlertEveryMinutes) {
		probs.add("alerts.logAlertEveryMinutes", strconv.Itoa(a.LogAlertEveryMinutes), "must be 5, 10 or 15 (Azure bills log alerts by these steps; slower is cheaper)")
	}
	v := a.Availability
	k := "alerts.availability"
	if len(v.Locations) < 1 || len(v.Locations) > 16 {
		probs.add(k+".locations", fmt.Sprint(len(v.Locations)), "must list 1-16 test locations")
	}
	seen := map[string]bool{}
	for i, l := range v.Locations {
		lk := fmt.Sprintf("%s.locations[%d]", k, i)
		switch {
		case !slices.Contains(availabilityLocations, l):
			probs.add(lk, l, "is not an availability test location; one of "+fmt.Sprint(availabilityLocations))
		case seen[l]:
			probs.add(lk, l, "is listed twice")
		}
		seen[l] = true
	}
	if !slices.Contains(availabilityFrequences, v.FrequencySeconds) {
		probs.add(k+".frequencySeconds", strconv.Itoa(v.FrequencySeconds), fmt.Sprintf("must be 300 or 600: a test every %d s plus the alert's %d-minute evaluation must stay within %d minutes of a site going down (Azure also offers 900, which cannot)",
			v.FrequencySeconds, AvailabilityAlertEveryMinutes, MaxAlertDelayMinutes))
	}
	if v.FailedLocations < 1 || v.FailedLocations > max(1, len(v.Locations)) {
		probs.add(k+".failedLocations", strconv.Itoa(v.FailedLocations), fmt.Sprintf("must be between 1 and the number of locations (%d)", len(v.Locations)))
	}
	return probs
}
