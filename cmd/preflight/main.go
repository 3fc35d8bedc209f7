// Command preflight asks Azure, read-only, whether the subscription lets a stack be created as
// its file describes it, before pulumi up tries: the offline plan of the stack (no credentials
// needed) says what the program creates, and the preflight asks the subscription the Azure CLI or
// the ARM_* variables point at about each part (see package preflight). It prints one block per
// check, ok, warn or FAIL, with what was asked, what Azure answered and the fix.
//
//	go run ./cmd/preflight -stack dev
//
// It exits 1 when any check FAILs, 2 when the stack cannot be read, and 0 otherwise (warnings
// included: they are what the preflight could not find out).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/example/wordpress-aks/plan"
	"github.com/example/wordpress-aks/preflight"
)

func main() {
	os.Exit(run())
}

func run() int {
	stack := flag.String("stack", "", "stack name: reads Pulumi.<stack>.yaml (required)")
	subscription := flag.String("subscription", "", "subscription id (default: ARM_SUBSCRIPTION_ID, AZURE_SUBSCRIPTION_ID, or the Azure CLI's default)")
	timeout := flag.Duration("timeout", 3*time.Minute, "how long to wait for Azure's answers in all")
	flag.Parse()
	if *stack == "" {
		flag.Usage()
		fmt.Fprintln(os.Stderr, "preflight: -stack is required")
		return 2
	}
	p, err := plan.Run(*stack, plan.Options{})
	if err != nil {
		fmt.Fprintf(os.Stderr, "preflight %s: %v\n", *stack, err)
		return 2
	}
	s := preflight.StackFromPlan(p)
	sub := *subscription
	if sub == "" {
		if sub, err = preflight.SubscriptionID(); err != nil {
			fmt.Fprintf(os.Stderr, "preflight %s: %v\n", *stack, err)
			return 1
		}
	}
	cred, err := preflight.Credential()
	if err != nil {
		fmt.Fprintf(os.Stderr, "preflight %s: %v\n", *stack, err)
		return 1
	}
	az, err := preflight.NewAzure(sub, cred, nil)
	if err != nil {
		fmt.Fprintf(os.Stderr, "preflight %s: %v\n", *stack, err)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	results := preflight.Run(ctx, az, s)
	if err := preflight.Report(os.Stdout, *stack, s, sub, results); err != nil {
		fmt.Fprintf(os.Stderr, "preflight %s: %v\n", *stack, err)
		return 1
	}
	if preflight.Failed(results) {
		fmt.Fprintf(os.Stderr, "preflight %s: a check FAILed: fix it before pulumi up\n", *stack)
		return 1
	}
	return 0
}
