package config

// This file owns the office-hours schedule: when a stack's compute runs. Outside the hours the
// AKS cluster is stopped, the MySQL server stopped and the NFS VM deallocated, and none of them
// bills compute; their disks and storage still bill.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Schedule is when the environment runs. Off by default: prod runs day and night.
type Schedule struct {
	// Enabled turns the start and stop workflows on.
	Enabled bool `json:"enabled"`
	// TimeZone is a Windows time zone id, as Azure Logic Apps' recurrence takes it (e.g.
	// "Tokyo Standard Time"); daylight saving is followed by Azure.
	TimeZone string `json:"timeZone"`
	// Days are the days the environment starts, Monday ... Sunday.
	Days []string `json:"days"`
	// StartHour and StopHour are whole hours in TimeZone, 0-23, StartHour before StopHour.
	StartHour int `json:"startHour"`
	StopHour  int `json:"stopHour"`
}

// Schedule defaults: office hours in Tokyo.
const (
	DefaultScheduleTimeZone  = "Tokyo Standard Time"
	DefaultScheduleStartHour = 9
	DefaultScheduleStopHour  = 19
)

// DefaultScheduleDays are Monday to Friday.
func DefaultScheduleDays() []string {
	return []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"}
}

// WeekDays are the day names the schedule takes, as Logic Apps spells them.
var WeekDays = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

// scheduleTimeZones are the Windows time zone ids the schedule accepts (Microsoft's "Default
// Time Zones" list, which Logic Apps' recurrence timeZone uses, read 2026-12-03): those of the
// regions this project's users pick most, and UTC.
var scheduleTimeZones = []string{
	"UTC", "Tokyo Standard Time", "Korea Standard Time", "China Standard Time", "Singapore Standard Time",
	"Taipei Standard Time", "India Standard Time", "AUS Eastern Standard Time", "GMT Standard Time",
	"W. Europe Standard Time", "Romance Standard Time", "Central Europe Standard Time", "E. South America Standard Time",
	"Eastern Standard Time", "Central Standard Time", "Mountain Standard Time", "Pacific Standard Time",
}

// RunningHoursPerWeek is how many hours a week the schedule keeps the environment running.
func (s Schedule) RunningHoursPerWeek() int {
	if !s.Enabled {
		return 7 * 24
	}
	return len(s.Days) * (s.StopHour - s.StartHour)
}

func validateSchedule(c Config) Problems {
	var probs Problems
	s := c.Schedule
	if !s.Enabled {
		return probs
	}
	if !slices.Contains(scheduleTimeZones, s.TimeZone) {
		probs.add("schedule.timeZone", s.TimeZone, "must be a Windows time zone id Logic Apps takes, one of "+strings.Join(scheduleTimeZones, ", "))
	}
	if len(s.Days) == 0 {
		probs.add("schedule.days", "", "must list at least one day, Monday ... Sunday")
	}
	seen := map[string]bool{}
	for i, d := range s.Days {
		k := fmt.Sprintf("schedule.days[%d]", i)
		switch {
		case !slices.Contains(WeekDays, d):
			probs.add(k, d, "must be one of "+strings.Join(WeekDays, ", "))
		case seen[d]:
			probs.add(k, d, "is listed twice")
		}
		seen[d] = true
	}
	intRange(&probs, "schedule.startHour", s.StartHour, 0, 23)
	intRange(&probs, "schedule.stopHour", s.StopHour, 0, 23)
	if s.StopHour <= s.StartHour {
		probs.add("schedule.stopHour", strconv.Itoa(s.StopHour), fmt.Sprintf("must be after schedule.startHour (%d): the environment starts and stops on the same day", s.StartHour))
	}
	return probs
}
