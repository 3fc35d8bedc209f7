package cost

import "fmt"

// CheckCeiling refuses an estimate above ceilingUSD a month (0 means no ceiling). The message
// carries the estimate and the ceiling in USD and JPY, so whoever reads a failed plan sees by how
// much it is over without running anything else.
func CheckCeiling(e *Estimate, ceilingUSD float64) error {
	if ceilingUSD <= 0 || e.TotalUSD <= ceilingUSD {
		return nil
	}
	return fmt.Errorf("stack %s: monthly estimate %s (%s) exceeds the ceiling %s (%s) set by cost.monthlyCeilingUSD, by %s; make the stack cheaper or raise the ceiling",
		e.Stack, usd(e.TotalUSD), jpy(e.TotalJPY), usd(ceilingUSD), jpy(yen(ceilingUSD, e.USDToJPY)), usd(e.TotalUSD-ceilingUSD))
}
