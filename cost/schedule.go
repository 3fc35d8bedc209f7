package cost

// This file owns pricing the office-hours schedule: the plan's start and stop workflows say at
// which hours, on which days and in which time zone the cluster, the MySQL server and the NFS VM
// run, and those resources' compute lines bill only those hours. Their disks and storage bill
// all month, stopped or not.

import (
	"fmt"
	"sort"
	"strings"

	"github.com/example/wordpress-aks/plan"
)

// Schedule is when a resource runs: from StartHour to StopHour on Days, in TimeZone.
type Schedule struct {
	Days      []string
	StartHour int
	StopHour  int
	TimeZone  string
}

// HoursPerMonth is the schedule's running hours in Azure's 730-hour month.
func (s Schedule) HoursPerMonth() float64 {
	return float64(len(s.Days)*(s.StopHour-s.StartHour)) * HoursPerMonth / (7 * 24)
}

func (s Schedule) String() string {
	return fmt.Sprintf("%s %02d:00-%02d:00 %s", strings.Join(shortDays(s.Days), ","), s.StartHour, s.StopHour, s.TimeZone)
}

func shortDays(days []string) []string {
	out := make([]string, len(days))
	for i, d := range days {
		out[i] = d[:min(3, len(d))]
	}
	return out
}

// LogicRunExecutions is how many billed executions a schedule run is assumed to make: the
// trigger, each action, and the status polls of the long-running starts and stops (AKS takes
// minutes).
const LogicRunExecutions = 40

// workflowRole is what a schedule workflow does to one resource: "start", "stop" or
// "deallocate", by the resource's Azure name.
type workflowSchedule struct {
	days     []string
	hour     int
	timeZone string
	// targets maps a resource's Azure name to the action the workflow takes on it.
	targets map[string]string
}

// readWorkflow reads a Logic App definition's weekly recurrence and the management API calls
// of its HTTP actions; ok is false for a workflow that is not a start or stop schedule.
func readWorkflow(r plan.Resource) (workflowSchedule, bool) {
	def, _ := value(r.Inputs, "definition").(map[string]any)
	if def == nil {
		return workflowSchedule{}, false
	}
	w := workflowSchedule{targets: map[string]string{}}
	trigger, _ := value(def, "triggers", "Recurrence", "recurrence").(map[string]any)
	if trigger == nil || str(trigger, "frequency") != "Week" {
		return workflowSchedule{}, false
	}
	for _, d := range list(trigger, "schedule", "weekDays") {
		if s, ok := d.(string); ok {
			w.days = append(w.days, s)
		}
	}
	hours := list(trigger, "schedule", "hours")
	if len(hours) != 1 {
		return workflowSchedule{}, false
	}
	h, ok := hours[0].(float64)
	if !ok {
		if i, isInt := hours[0].(int); isInt {
			h, ok = float64(i), true
		}
	}
	if !ok {
		return workflowSchedule{}, false
	}
	w.hour = int(h)
	w.timeZone = str(trigger, "timeZone")
	actions, _ := value(def, "actions").(map[string]any)
	for _, a := range actions {
		am, _ := a.(map[string]any)
		uri := str(am, "inputs", "uri")
		path, _, _ := strings.Cut(uri, "?")
		i := strings.LastIndex(path, "/")
		if i < 0 {
			continue
		}
		action, target := path[i+1:], lastSegment(path[:i])
		switch action {
		case "start", "stop", "deallocate":
			w.targets[target] = action
		}
	}
	return w, len(w.targets) > 0
}

// indexSchedule records, for every resource a start workflow starts, the hours until the stop
// workflow that stops it; a resource only one of them names runs all month.
func (e *estimator) indexSchedule(r plan.Resource) {
	if e.schedules == nil {
		e.schedules = map[string]Schedule{}
		e.starts, e.stops = map[string]workflowSchedule{}, map[string]workflowSchedule{}
	}
	w, ok := readWorkflow(r)
	if !ok {
		return
	}
	for name, action := range w.targets {
		if action == "start" {
			e.starts[name] = w
		} else {
			e.stops[name] = w
		}
	}
	for name, start := range e.starts {
		stop, ok := e.stops[name]
		if !ok || stop.hour <= start.hour || stop.timeZone != start.timeZone {
			continue
		}
		days := append([]string(nil), start.days...)
		sort.SliceStable(days, func(i, j int) bool { return dayIndex(days[i]) < dayIndex(days[j]) })
		e.schedules[name] = Schedule{Days: days, StartHour: start.hour, StopHour: stop.hour, TimeZone: start.timeZone}
	}
}

func dayIndex(d string) int {
	for i, w := range []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"} {
		if w == d {
			return i
		}
	}
	return 7
}

// hours is how many hours a month the resource of that Azure name runs, and the note its
// compute line carries when a schedule stops it.
func (e *estimator) hours(name string) (float64, string) {
	s, ok := e.schedules[name]
	if !ok || name == "" {
		return HoursPerMonth, ""
	}
	return s.HoursPerMonth(), fmt.Sprintf(", scheduled %s: %v of %v hours", s, roundTo(s.HoursPerMonth(), 1), HoursPerMonth)
}

// workflow prices a schedule workflow's runs (one a scheduled day), or a snapshot workflow's
// snapshots and runs.
func (e *estimator) workflow(r plan.Resource) ([]Line, error) {
	if disk, sku, ok := snapshotSource(r); ok {
		return e.snapshotLines(r, disk, sku)
	}
	w, ok := readWorkflow(r)
	if !ok {
		return nil, fmt.Errorf("workflow is neither a weekly start or stop schedule nor a snapshot backup; only those are priced")
	}
	runs := float64(len(w.days)) * HoursPerMonth / (7 * 24)
	l, err := e.line(r.Name, "executions",
		fmt.Sprintf("Logic App (Consumption): %v runs a month (%d days a week) x %d executions assumed a run", roundTo(runs, 1), len(w.days), LogicRunExecutions),
		runs*LogicRunExecutions, "execution", "logic/action")
	if err != nil {
		return nil, err
	}
	return []Line{l}, nil
}
