package cost

// This file owns the printed forms of an estimate.

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Write prints the estimate as a table, one line a billed thing, then the totals, what the
// unconfirmed mark means and what is not counted.
func (est *Estimate) Write(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Monthly estimate for stack %q: %s prices of %s, %v hours a month, 1 USD = %v JPY\n",
		est.Stack, est.pricesRegion(), est.PricesRetrieved, est.HoursPerMonth, est.USDToJPY)
	for _, w := range est.Warnings {
		fmt.Fprintf(&b, "WARNING: %s\n", w)
	}
	b.WriteString("\n")
	// Numbers come first, padded to the right, so the long descriptions end the line.
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RESOURCE\t USD/MONTH\t JPY/MONTH\t  QUANTITY UNIT\t USD/UNIT\tBILLED")
	unconfirmed := 0
	for _, l := range est.Lines {
		mark := " "
		if !l.Confirmed {
			mark = "*"
			unconfirmed++
		}
		fmt.Fprintf(tw, "%s\t%10s\t%10s\t%10s %s\t%9s%s\t%s\n", l.Resource, usd(l.MonthlyUSD), jpy(l.MonthlyJPY),
			number(l.Quantity), l.Unit, strconv.FormatFloat(l.UnitUSD, 'f', -1, 64), mark, l.Item)
	}
	fmt.Fprintf(tw, "TOTAL\t%10s\t%10s\n", usd(est.TotalUSD), jpy(est.TotalJPY))
	if err := tw.Flush(); err != nil {
		return err
	}
	est.writeSavingsPlans(&b)
	if unconfirmed > 0 {
		fmt.Fprintf(&b, "\n* %d lines use a unit price not confirmed for %s (an estimate or another region's price); refresh the table with: %s%s\n",
			unconfirmed, est.Region, RefreshCommand, est.Region)
	}
	if len(est.Unpriced) > 0 {
		fmt.Fprintf(&b, "\nNot priced (no rule for their type; add one in cost/estimate.go): %s\n", strings.Join(est.Unpriced, ", "))
	}
	fmt.Fprintf(&b, "\nNot counted (usage the plan cannot know): %s\n", strings.Join(est.NotCounted, "; "))
	_, err := io.WriteString(w, b.String())
	return err
}

// pricesRegion names the table's region, and the stack's when a fallback stands in for it.
func (est *Estimate) pricesRegion() string {
	if est.PricesRegion == "" || est.PricesRegion == est.Region {
		return est.Region
	}
	return fmt.Sprintf("%s (estimated from %s)", est.Region, est.PricesRegion)
}

// usd formats dollars with cents and thousands separators: "$1,234.56".
func usd(x float64) string {
	sign := ""
	if x < 0 {
		sign, x = "-", -x
	}
	cents := int64(math.Round(x * 100))
	return fmt.Sprintf("%s$%s.%02d", sign, thousands(cents/100), cents%100)
}

// jpy formats whole yen with separators: "JPY 61,234".
func jpy(x int64) string {
	sign := ""
	if x < 0 {
		sign, x = "-", -x
	}
	return sign + "JPY " + thousands(x)
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// number prints a quantity without float noise: 1460, 8760, 0.01.
func number(x float64) string {
	return strconv.FormatFloat(roundTo(x, 2), 'f', -1, 64)
}
