package cost

// This file owns the README's cost table: rendered from the estimates of the committed stack
// files, so the table cannot drift from what the plan prints (tests/readme_cost_test.go keeps
// the README equal to it and rewrites it on request).

import (
	"fmt"
	"strings"
)

// Goal is a stack's monthly budget goal in yen at pay-as-you-go prices (issue 11: the 2020
// design's shape at today's list prices is about 46,500 JPY; dev should stay under 15,000).
type Goal struct {
	JPY int64
	// Inclusive says the goal is "at or under" rather than "under".
	Inclusive bool
}

// Goals are the goals the README's table measures each stack against.
var Goals = map[string]Goal{
	"prod": {JPY: 46500, Inclusive: true},
	"dev":  {JPY: 15000},
}

// Meets says whether a yen total meets the goal, and by how much it misses when it does not.
func (g Goal) Meets(totalJPY int64) (bool, int64) {
	if totalJPY < g.JPY || (g.Inclusive && totalJPY == g.JPY) {
		return true, 0
	}
	if g.Inclusive {
		return false, totalJPY - g.JPY
	}
	return false, totalJPY - g.JPY + 1
}

func (g Goal) String() string {
	if g.Inclusive {
		return "<= " + thousands(g.JPY)
	}
	return "< " + thousands(g.JPY)
}

// ReadmeTable renders the estimates as the README's Markdown table: pay-as-you-go totals and
// the goal, the savings-plan totals beside them, and the biggest lines.
func ReadmeTable(ests []*Estimate) string {
	var b strings.Builder
	b.WriteString("| stack | pay-as-you-go USD/month | JPY/month | goal (JPY) | 1-year savings plan | 3-year savings plan | biggest lines |\n")
	b.WriteString("| --- | ---: | ---: | --- | ---: | ---: | --- |\n")
	for _, est := range ests {
		goal := "none"
		if g, ok := Goals[est.Stack]; ok {
			if met, by := g.Meets(est.TotalJPY); met {
				goal = g.String() + ": met"
			} else {
				goal = fmt.Sprintf("%s: missed by %s", g, thousands(by))
			}
		}
		plans := make([]string, 2)
		for i := range plans {
			plans[i] = "-"
			if i < len(est.SavingsPlans) {
				plans[i] = fmt.Sprintf("%s (%s)", usd(est.SavingsPlans[i].TotalUSD), thousands(est.SavingsPlans[i].TotalJPY))
			}
		}
		var big []string
		for _, l := range est.Biggest(6) {
			big = append(big, fmt.Sprintf("%s %s %s", l.Resource, l.Component, usd(l.MonthlyUSD)))
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", est.Stack, usd(est.TotalUSD), thousands(est.TotalJPY), goal, plans[0], plans[1], strings.Join(big, ", "))
	}
	return b.String()
}
