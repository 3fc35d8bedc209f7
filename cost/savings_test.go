package cost

import (
	"regexp"
	"strings"
	"testing"
)

// TestSavingsPlans checks the savings-plan totals of the real stacks against a hand sum of
// their VM compute lines, and that the printout labels them as a purchase beside
// pay-as-you-go.
func TestSavingsPlans(t *testing.T) {
	table := japanEast(t)
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			est, err := EstimatePlan(realPlan(t, stack), table)
			if err != nil {
				t.Fatal(err)
			}
			var vms float64
			for _, l := range est.Lines {
				if l.Unit == "node-hour" || l.Unit == "VM-hour" {
					vms += l.MonthlyUSD
				}
			}
			if len(est.SavingsPlans) != 2 {
				t.Fatalf("SavingsPlans = %+v, want 1 and 3 years", est.SavingsPlans)
			}
			for i, want := range []struct {
				term string
				rate float64
			}{{"1 year", 0.76}, {"3 years", 0.52}} {
				sp := est.SavingsPlans[i]
				wantUSD := est.TotalUSD - vms*(1-want.rate)
				if sp.Term != want.term || !near(sp.CoveredUSD, vms, 0.001) || !near(sp.TotalUSD, wantUSD, 0.001) {
					t.Errorf("%+v, want %s covering $%.2f for a total of $%.2f", sp, want.term, vms, wantUSD)
				}
				if sp.TotalUSD >= est.TotalUSD {
					t.Errorf("%s total $%v is not below pay-as-you-go $%v", sp.Term, sp.TotalUSD, est.TotalUSD)
				}
			}
			var b strings.Builder
			if err := est.Write(&b); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			for _, want := range []string{"TOTAL", "If you buy a savings plan", "this program buys nothing", usd(est.SavingsPlans[0].TotalUSD), usd(est.SavingsPlans[1].TotalUSD)} {
				if !strings.Contains(out, want) {
					t.Errorf("printout lacks %q", want)
				}
			}
			if strings.Index(out, "TOTAL") > strings.Index(out, "If you buy a savings plan") {
				t.Errorf("the savings-plan totals come before the pay-as-you-go total")
			}
		})
	}
}

// TestLineSources checks that every priced line of the real stacks carries its price's source
// and a date, as the table has it, so the plan JSON says where each figure comes from.
func TestLineSources(t *testing.T) {
	table := japanEast(t)
	date := regexp.MustCompile(`\d{4}-\d{2}`)
	for _, stack := range []string{"dev", "prod"} {
		est, err := EstimatePlan(realPlan(t, stack), table)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range est.Lines {
			if l.Price == "" {
				continue // a free line (the AKS Free tier) has no price
			}
			it, err := table.Price(l.Price)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(l.Source, it.Source) {
				t.Errorf("%s %s/%s: source %q, want the table's %q", stack, l.Resource, l.Component, l.Source, it.Source)
			}
			if !date.MatchString(l.Source) {
				t.Errorf("%s %s/%s: source %q has no date", stack, l.Resource, l.Component, l.Source)
			}
		}
	}
}
