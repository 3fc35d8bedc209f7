package cost

// This file owns the savings-plan totals: what the same month would cost if the user bought an
// Azure savings plan for compute. The program buys nothing; the totals are there so a user can
// weigh a commitment against the pay-as-you-go bill the goals are set in.

import (
	"fmt"
	"strings"
)

// SavingsPlanTerm is one savings-plan commitment and the share of the pay-as-you-go VM price it
// bills.
type SavingsPlanTerm struct {
	Term string
	// Rate is the savings-plan hourly price as a share of pay-as-you-go.
	Rate float64
}

// SavingsPlanTerms are stated estimates, not table prices: Azure's savings plan for compute
// bills a committed hourly amount at per-size rates that the price tables do not carry. The
// rates are those of Standard_D2s_v5 Linux in East US in the Retail Prices API's savingsPlan
// field as quoted in public cost tools in 2026 (about 24% off for 1 year, 48% for 3), applied to
// every VM line; B- and F-series discounts are of the same order. Refresh them with real
// per-size rates before relying on them for a purchase.
var SavingsPlanTerms = []SavingsPlanTerm{{"1 year", 0.76}, {"3 years", 0.52}}

// SavingsPlanNote says what a savings plan covers and what it is not.
const SavingsPlanNote = "a savings plan for compute is a 1- or 3-year hourly commitment the subscription owner buys in the Azure portal; this program buys nothing. It covers VM compute (AKS nodes and the NFS VM), not disks, MySQL, the load balancer or monitoring; rates are stated estimates (cost/savings.go)"

// SavingsPlan is the estimate's total with a savings plan bought.
type SavingsPlan struct {
	Term     string  `json:"term"`
	Rate     float64 `json:"rate"`
	TotalUSD float64 `json:"totalUSD"`
	TotalJPY int64   `json:"totalJPY"`
	// CoveredUSD is the pay-as-you-go cost of the lines the plan covers.
	CoveredUSD float64 `json:"coveredUSD"`
}

// savingsPlans prices every term from the VM compute lines.
func (est *Estimate) savingsPlans() {
	var covered float64
	for _, l := range est.Lines {
		if strings.HasPrefix(l.Price, "vm/") {
			covered += l.MonthlyUSD
		}
	}
	est.SavingsPlans = nil
	for _, t := range SavingsPlanTerms {
		total := roundTo(est.TotalUSD-covered*(1-t.Rate), 4)
		est.SavingsPlans = append(est.SavingsPlans, SavingsPlan{
			Term: t.Term, Rate: t.Rate, TotalUSD: total, TotalJPY: yen(total, est.USDToJPY), CoveredUSD: roundTo(covered, 4),
		})
	}
}

// writeSavingsPlans prints the totals beside pay-as-you-go, labelled as a purchase.
func (est *Estimate) writeSavingsPlans(b *strings.Builder) {
	if len(est.SavingsPlans) == 0 {
		return
	}
	var parts []string
	for _, sp := range est.SavingsPlans {
		parts = append(parts, fmt.Sprintf("%s %s (%s)", sp.Term, usd(sp.TotalUSD), jpy(sp.TotalJPY)))
	}
	fmt.Fprintf(b, "\nIf you buy a savings plan (pay-as-you-go above is what this plan costs without one): %s; %s of VM compute covered at %v and %v of its price. Note: %s.\n",
		strings.Join(parts, ", "), usd(est.SavingsPlans[0].CoveredUSD), est.SavingsPlans[0].Rate, est.SavingsPlans[len(est.SavingsPlans)-1].Rate, SavingsPlanNote)
}
