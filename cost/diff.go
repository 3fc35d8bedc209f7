package cost

// This file owns the difference between two estimates: what a pull request changes in the
// monthly bill, line by line.

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Change says how a line differs between two estimates.
type Change string

// Changes, in the order a diff lists them.
const (
	Added   Change = "added"
	Removed Change = "removed"
	Changed Change = "changed"
)

// Difference is the monthly difference between a base and a head estimate.
type Difference struct {
	BaseStack string     `json:"baseStack"`
	HeadStack string     `json:"headStack"`
	Lines     []LineDiff `json:"lines"`
	BaseUSD   float64    `json:"baseUSD"`
	HeadUSD   float64    `json:"headUSD"`
	DeltaUSD  float64    `json:"deltaUSD"`
	BaseJPY   int64      `json:"baseJPY"`
	HeadJPY   int64      `json:"headJPY"`
	DeltaJPY  int64      `json:"deltaJPY"`
}

// LineDiff is one line that was added, removed or changed.
type LineDiff struct {
	Change    Change `json:"change"`
	Resource  string `json:"resource"`
	Component string `json:"component"`
	// BaseItem and HeadItem say what is billed before and after ("" where the line is absent).
	BaseItem string  `json:"baseItem,omitempty"`
	HeadItem string  `json:"headItem,omitempty"`
	BaseUSD  float64 `json:"baseUSD"`
	HeadUSD  float64 `json:"headUSD"`
	DeltaUSD float64 `json:"deltaUSD"`
	DeltaJPY int64   `json:"deltaJPY"`
}

// lineKey identifies a line across estimates.
func lineKey(l Line) string { return l.Resource + "\x00" + l.Component }

// Diff compares head against base. Lines match by resource and component; a line is changed
// when its monthly cost differs (a renamed zone that costs the same is not a cost change).
func Diff(base, head *Estimate) *Difference {
	d := &Difference{
		BaseStack: base.Stack, HeadStack: head.Stack,
		BaseUSD: base.TotalUSD, HeadUSD: head.TotalUSD, DeltaUSD: roundTo(head.TotalUSD-base.TotalUSD, 4),
		BaseJPY: base.TotalJPY, HeadJPY: head.TotalJPY, DeltaJPY: head.TotalJPY - base.TotalJPY,
		Lines: []LineDiff{},
	}
	baseLines := map[string]Line{}
	for _, l := range base.Lines {
		baseLines[lineKey(l)] = l
	}
	seen := map[string]bool{}
	for _, h := range head.Lines {
		k := lineKey(h)
		seen[k] = true
		b, ok := baseLines[k]
		switch {
		case !ok:
			d.Lines = append(d.Lines, LineDiff{Change: Added, Resource: h.Resource, Component: h.Component, HeadItem: h.Item,
				HeadUSD: h.MonthlyUSD, DeltaUSD: h.MonthlyUSD, DeltaJPY: h.MonthlyJPY})
		case b.MonthlyUSD != h.MonthlyUSD:
			d.Lines = append(d.Lines, LineDiff{Change: Changed, Resource: h.Resource, Component: h.Component, BaseItem: b.Item, HeadItem: h.Item,
				BaseUSD: b.MonthlyUSD, HeadUSD: h.MonthlyUSD, DeltaUSD: roundTo(h.MonthlyUSD-b.MonthlyUSD, 4), DeltaJPY: h.MonthlyJPY - b.MonthlyJPY})
		}
	}
	for _, b := range base.Lines {
		if !seen[lineKey(b)] {
			d.Lines = append(d.Lines, LineDiff{Change: Removed, Resource: b.Resource, Component: b.Component, BaseItem: b.Item,
				BaseUSD: b.MonthlyUSD, DeltaUSD: -b.MonthlyUSD, DeltaJPY: -b.MonthlyJPY})
		}
	}
	return d
}

// Write prints the difference: the totals first (what a reviewer needs), then each line.
func (d *Difference) Write(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Monthly cost change (base %s -> head %s): %s (%s), from %s (%s) to %s (%s)\n",
		d.BaseStack, d.HeadStack, signed(usd(d.DeltaUSD), d.DeltaUSD), signed(jpy(d.DeltaJPY), float64(d.DeltaJPY)),
		usd(d.BaseUSD), jpy(d.BaseJPY), usd(d.HeadUSD), jpy(d.HeadJPY))
	if len(d.Lines) == 0 {
		b.WriteString("No line changed.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	b.WriteString("\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CHANGE\t DELTA USD\t  DELTA JPY\t  BASE USD\t  HEAD USD\tRESOURCE\tBILLED")
	for _, l := range d.Lines {
		item := l.HeadItem
		if item == "" {
			item = l.BaseItem
		} else if l.BaseItem != "" && l.BaseItem != l.HeadItem {
			item = l.BaseItem + " -> " + l.HeadItem
		}
		fmt.Fprintf(tw, "%s\t%10s\t%11s\t%10s\t%10s\t%s\t%s\n", l.Change, signed(usd(l.DeltaUSD), l.DeltaUSD),
			signed(jpy(l.DeltaJPY), float64(l.DeltaJPY)), usd(l.BaseUSD), usd(l.HeadUSD), l.Resource, item)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// signed puts a plus on increases so a reviewer never has to guess the direction.
func signed(s string, x float64) string {
	if x > 0 {
		return "+" + s
	}
	return s
}
