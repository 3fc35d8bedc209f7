package config

import (
	"fmt"
	"testing"
)

func TestValidateLogs(t *testing.T) {
	logs := func(body string) map[string]string { return map[string]string{"logs": "{" + body + "}"} }
	runProblemCases(t, []problemCase{
		{name: "defaults"},
		{name: "cap 0.1", set: logs(`"dailyCapGB":0.1`)},
		{name: "cap 0", set: logs(`"dailyCapGB":0`),
			want: Problems{{Key: "logs.dailyCapGB", Value: "0", Msg: "must be between 0.1 and 100 (GB a day)"}}},
		{name: "cap 101", set: logs(`"dailyCapGB":101`),
			want: Problems{{Key: "logs.dailyCapGB", Value: "101", Msg: "must be between 0.1 and 100 (GB a day)"}}},
		{name: "interval 1", set: logs(`"collectionIntervalMinutes":1`)},
		{name: "interval 15", set: logs(`"collectionIntervalMinutes":15`)},
		{name: "interval 16", set: logs(`"collectionIntervalMinutes":16`),
			want: Problems{{Key: "logs.collectionIntervalMinutes", Value: "16", Msg: "must be 1-15: the pod-restart alert compares restart counts over 30 minutes and needs two samples in them"}}},
		{name: "interval 0", set: logs(`"collectionIntervalMinutes":0`),
			want: Problems{{Key: "logs.collectionIntervalMinutes", Value: "0", Msg: "must be 1-15: the pod-restart alert compares restart counts over 30 minutes and needs two samples in them"}}},
		{name: "plan Analytics", set: logs(`"containerLogPlan":"Analytics"`)},
		{name: "plan Auxiliary", set: logs(`"containerLogPlan":"Auxiliary"`),
			want: Problems{{Key: "logs.containerLogPlan", Value: "Auxiliary", Msg: "must be one of Basic, Analytics"}}},
	})
}

func TestValidateMonitoringAlerts(t *testing.T) {
	alerts := func(body string) map[string]string { return map[string]string{"alerts": "{" + body + "}"} }
	avail := func(body string) map[string]string { return alerts(`"availability":{` + body + "}") }
	runProblemCases(t, []problemCase{
		{name: "log alerts every 5", set: alerts(`"logAlertEveryMinutes":5`)},
		{name: "log alerts every 15", set: alerts(`"logAlertEveryMinutes":15`)},
		{name: "log alerts every 30", set: alerts(`"logAlertEveryMinutes":30`),
			want: Problems{{Key: "alerts.logAlertEveryMinutes", Value: "30", Msg: "must be 5, 10 or 15 (Azure bills log alerts by these steps; slower is cheaper)"}}},
		{name: "two locations, both must fail", set: avail(`"locations":["apac-jp-kaw-edge","apac-sg-sin-azr"],"failedLocations":2`)},
		{name: "every 300 s", set: avail(`"frequencySeconds":300`)},
		{name: "every 900 s is too slow", set: avail(`"frequencySeconds":900`),
			want: Problems{{Key: "alerts.availability.frequencySeconds", Value: "900", Msg: "must be 300 or 600: a test every 900 s plus the alert's 1-minute evaluation must stay within 15 minutes of a site going down (Azure also offers 900, which cannot)"}}},
		{name: "no locations", set: avail(`"locations":[]`),
			want: Problems{{Key: "alerts.availability.locations", Value: "0", Msg: "must list 1-16 test locations"}}},
		{name: "unknown location", set: avail(`"locations":["apac-jp-tokyo"]`),
			want: Problems{{Key: "alerts.availability.locations[0]", Value: "apac-jp-tokyo", Msg: "is not an availability test location; one of " + fmt.Sprint(availabilityLocations)}}},
		{name: "location twice", set: avail(`"locations":["apac-jp-kaw-edge","apac-jp-kaw-edge"]`),
			want: Problems{{Key: "alerts.availability.locations[1]", Value: "apac-jp-kaw-edge", Msg: "is listed twice"}}},
		{name: "more failed locations than locations", set: avail(`"failedLocations":2`),
			want: Problems{{Key: "alerts.availability.failedLocations", Value: "2", Msg: "must be between 1 and the number of locations (1)"}}},
	})
}
