// Command plan shows what a stack would create, offline: it runs the Pulumi program for
// Pulumi.<stack>.yaml under Pulumi's mock monitor (no credentials, no network), prints a summary
// grouped by layer and writes the plan as JSON.
//
//	go run ./cmd/plan -stack prod -out plan.json
//
// It exits 1 with the validation errors when the stack config is wrong.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"

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
	out := flag.String("out", "", "write the plan as JSON to this file")
	strict := flag.Bool("strict", false, "fail instead of generating placeholders for credentials the stack file lacks")
	quiet := flag.Bool("quiet", false, "do not print the summary")
	flag.Parse()
	if *stack == "" {
		flag.Usage()
		return fmt.Errorf("plan: -stack is required")
	}
	p, err := plan.Run(*stack, plan.Options{Strict: *strict})
	if err != nil {
		return fmt.Errorf("plan %s: %w", *stack, err)
	}
	if !*quiet {
		if err := p.WriteSummary(os.Stdout); err != nil {
			return err
		}
	}
	if *out != "" {
		b, err := json.MarshalIndent(p, "", "  ")
		if err != nil {
			return fmt.Errorf("encode plan: %w", err)
		}
		if err := os.WriteFile(*out, append(b, '\n'), 0o644); err != nil {
			return fmt.Errorf("write plan: %w", err)
		}
	}
	return nil
}
