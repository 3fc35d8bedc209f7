package cost

import "testing"

func TestGoalMeets(t *testing.T) {
	tests := []struct {
		name   string
		goal   Goal
		total  int64
		met    bool
		missBy int64
	}{
		{"at the inclusive goal", Goal{JPY: 46500, Inclusive: true}, 46500, true, 0},
		{"one over the inclusive goal", Goal{JPY: 46500, Inclusive: true}, 46501, false, 1},
		{"under the exclusive goal", Goal{JPY: 15000}, 14999, true, 0},
		{"at the exclusive goal", Goal{JPY: 15000}, 15000, false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			met, by := tt.goal.Meets(tt.total)
			if met != tt.met || by != tt.missBy {
				t.Errorf("Meets(%d) = %v, %d; want %v, %d", tt.total, met, by, tt.met, tt.missBy)
			}
		})
	}
}
