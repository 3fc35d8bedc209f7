// Command plan shows what a stack would create and what it would cost, offline: it runs the
// Pulumi program for Pulumi.<stack>.yaml under Pulumi's mock monitor (no credentials, no
// network), prints a summary grouped by layer and the monthly cost estimate from the price table
// of the stack's region (cost/prices), and writes the plan with its estimate as JSON.
//
//	go run ./cmd/plan -stack prod -out plan.json
//	go run ./cmd/plan -stack prod -manifests manifests/prod   # one YAML file per Kubernetes object
//	go run ./cmd/plan -stack prod -base base-plan.json   # monthly difference against another plan
//
// It exits 1 with the validation errors when the stack config is wrong, and when the estimate
// exceeds the stack's cost.monthlyCeilingUSD (after printing everything and writing -out, so the
// numbers that failed are there to read).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/example/wordpress-aks/cost"
	"github.com/example/wordpress-aks/plan"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	stack := flag.String("stack", "", "stack name: reads Pulumi.<stack>.yaml (required)")
	out := flag.String("out", "", "write the plan and its estimate as JSON to this file")
	manifests := flag.String("manifests", "", "write each Kubernetes object of the plan as a YAML file into this directory")
	base := flag.String("base", "", "print the monthly cost difference from the plan JSON in this file (written by -out)")
	strict := flag.Bool("strict", false, "check the stack as pulumi up would: no stand-ins for credentials the stack file lacks, and its secrets decrypted (PULUMI_CONFIG_PASSPHRASE); make up uses it")
	quiet := flag.Bool("quiet", false, "do not print the summary and the estimate")
	flag.Parse()
	if *stack == "" {
		flag.Usage()
		return fmt.Errorf("plan: -stack is required")
	}
	p, err := plan.Run(*stack, plan.Options{Strict: *strict})
	if err != nil {
		return fmt.Errorf("plan %s: %w", *stack, err)
	}
	table, err := cost.TableFor(p.Config.Location)
	if err != nil {
		return fmt.Errorf("plan %s: %w", *stack, err)
	}
	if w := table.Fallback(); w != "" {
		fmt.Fprintf(os.Stderr, "plan %s: warning: %s\n", *stack, w)
	}
	est, err := cost.EstimatePlan(p, table)
	if err != nil {
		return err
	}
	if !*quiet {
		if err := p.WriteSummary(os.Stdout); err != nil {
			return err
		}
		fmt.Println()
		if err := est.Write(os.Stdout); err != nil {
			return err
		}
	}
	if *out != "" {
		if err := cost.WritePlanFile(*out, p, est); err != nil {
			return err
		}
	}
	if *manifests != "" {
		if err := p.WriteManifests(*manifests); err != nil {
			return fmt.Errorf("plan %s: %w", *stack, err)
		}
	}
	if *base != "" {
		bp, err := cost.ReadPlanFile(*base)
		if err != nil {
			return err
		}
		baseEst := bp.Estimate
		if baseEst == nil {
			// A plan written before estimates existed still lists its resources: price them
			// with this table, so the difference shows what the change does.
			if baseEst, err = cost.EstimatePlan(bp.Plan, table); err != nil {
				return fmt.Errorf("base plan %s: %w", *base, err)
			}
			fmt.Printf("\nThe base plan %s has no estimate: its resources are priced with the %s table of %s.\n", *base, table.Region, table.Retrieved)
		}
		fmt.Println()
		if err := cost.Diff(baseEst, est).Write(os.Stdout); err != nil {
			return err
		}
	}
	return cost.CheckCeiling(est, p.Config.Cost.MonthlyCeilingUSD)
}
