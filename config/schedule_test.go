package config

import "testing"

func TestValidateSchedule(t *testing.T) {
	schedule := func(body string) map[string]string {
		return map[string]string{"schedule": `{"enabled":true` + body + "}"}
	}
	runProblemCases(t, []problemCase{
		{name: "defaults, on", set: schedule("")},
		{name: "off ignores the rest", set: map[string]string{"schedule": `{"enabled":false,"timeZone":"Mars/Olympus","startHour":30}`}},
		{name: "weekend office", set: schedule(`,"days":["Saturday","Sunday"],"startHour":0,"stopHour":23,"timeZone":"UTC"`)},
		{name: "IANA time zone", set: schedule(`,"timeZone":"Asia/Tokyo"`),
			want: Problems{{Key: "schedule.timeZone", Value: "Asia/Tokyo", Msg: "must be a Windows time zone id Logic Apps takes, one of UTC, Tokyo Standard Time, Korea Standard Time, China Standard Time, Singapore Standard Time, Taipei Standard Time, India Standard Time, AUS Eastern Standard Time, GMT Standard Time, W. Europe Standard Time, Romance Standard Time, Central Europe Standard Time, E. South America Standard Time, Eastern Standard Time, Central Standard Time, Mountain Standard Time, Pacific Standard Time"}}},
		{name: "no days", set: schedule(`,"days":[]`),
			want: Problems{{Key: "schedule.days", Msg: "must list at least one day, Monday ... Sunday"}}},
		{name: "abbreviated day", set: schedule(`,"days":["Mon"]`),
			want: Problems{{Key: "schedule.days[0]", Value: "Mon", Msg: "must be one of Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday"}}},
		{name: "day twice", set: schedule(`,"days":["Monday","Monday"]`),
			want: Problems{{Key: "schedule.days[1]", Value: "Monday", Msg: "is listed twice"}}},
		{name: "stop before start", set: schedule(`,"startHour":19,"stopHour":9`),
			want: Problems{{Key: "schedule.stopHour", Value: "9", Msg: "must be after schedule.startHour (19): the environment starts and stops on the same day"}}},
		{name: "hour 24", set: schedule(`,"stopHour":24`),
			want: Problems{{Key: "schedule.stopHour", Value: "24", Msg: "must be between 0 and 23"}}},
	})
}

func TestRunningHoursPerWeek(t *testing.T) {
	tests := []struct {
		name string
		s    Schedule
		want int
	}{
		{"off: always running", Schedule{}, 168},
		{"weekdays 9-19", Schedule{Enabled: true, Days: DefaultScheduleDays(), StartHour: 9, StopHour: 19}, 50},
		{"one day 0-23", Schedule{Enabled: true, Days: []string{"Sunday"}, StartHour: 0, StopHour: 23}, 23},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.RunningHoursPerWeek(); got != tt.want {
				t.Errorf("RunningHoursPerWeek() = %d, want %d", got, tt.want)
			}
		})
	}
}
