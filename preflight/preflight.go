// Package preflight asks Azure, read-only, what the offline plan cannot know: whether the
// subscription lets this stack be created as its file describes it. Each area's checks are plain
// functions over Azure, the questions the checks ask (azure.go answers them with the Azure SDK);
// each check returns result lines that say what was asked, what Azure answered and the fix.
// cmd/preflight is its command line.
package preflight

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/example/wordpress-aks/config"
	"github.com/example/wordpress-aks/plan"
)

// Status is a check's verdict.
type Status string

// The three verdicts. Warn is for what cannot be answered (no permission to read, an API that is
// not there) and for what may block but need not: never an ok the check did not earn.
const (
	OK   Status = "ok"
	Warn Status = "warn"
	Fail Status = "FAIL"
)

// Result is one line of the preflight.
type Result struct {
	Status Status
	// Check names what was checked, e.g. "vm size nodePools.user".
	Check string
	// Asked is the question put to Azure, e.g. "resource SKUs in japaneast".
	Asked string
	// Answer is what Azure said.
	Answer string
	// Fix is the command to run or the config key to change, with a value that would pass;
	// empty for ok.
	Fix string
}

// Stack is what the checks need to know about the stack: its validated config and the resource
// types its plan registers.
type Stack struct {
	Config config.Config
	// Types are the Pulumi type tokens of the plan's resources
	// ("azure-native:compute:VirtualMachine").
	Types []string
}

// StackFromPlan takes the config and the resource types of an offline plan.
func StackFromPlan(p *plan.Plan) Stack {
	s := Stack{Config: p.Config}
	seen := map[string]bool{}
	for _, r := range p.Resources {
		if !seen[r.Type] {
			seen[r.Type] = true
			s.Types = append(s.Types, r.Type)
		}
	}
	return s
}

// has reports whether the plan registers a resource of the azure-native type token, ignoring the
// API version module ("containerservice/v20240801:ManagedCluster" is "containerservice:ManagedCluster").
func (s Stack) has(token string) bool {
	for _, t := range s.Types {
		if unversioned(t) == token {
			return true
		}
	}
	return false
}

// unversioned drops the explicit API version from an azure-native type token.
func unversioned(token string) string {
	parts := strings.Split(token, ":")
	if len(parts) != 3 {
		return token
	}
	module, _, _ := strings.Cut(parts[1], "/")
	return parts[0] + ":" + module + ":" + parts[2]
}

// Run asks every question for the stack and returns the results in the order they print. When
// the caller is not signed in nothing else can be asked, and the sign-in failure is the only line.
func Run(ctx context.Context, az Azure, s Stack) []Result {
	acct, results := checkAccount(ctx, az)
	if acct == nil {
		return results
	}
	results = append(results, checkRoleAssignments(ctx, az, s, acct)...)
	results = append(results, checkProviders(ctx, az, s)...)
	results = append(results, checkKubernetesVersion(ctx, az, s)...)
	results = append(results, checkVMSizes(ctx, az, s)...)
	results = append(results, checkQuota(ctx, az, s, acct)...)
	results = append(results, checkMySQL(ctx, az, s)...)
	results = append(results, checkNames(ctx, az, s, acct)...)
	results = append(results, checkLocks(ctx, az, s, acct)...)
	results = append(results, checkPolicies(ctx, az, s, acct)...)
	results = append(results, checkACRTasks(s, acct)...)
	return results
}

// Failed reports whether any result is a FAIL.
func Failed(results []Result) bool {
	for _, r := range results {
		if r.Status == Fail {
			return true
		}
	}
	return false
}

// Report prints what the preflight is about, then the results (see Write).
func Report(w io.Writer, stack string, s Stack, subscriptionID string, results []Result) error {
	if _, err := fmt.Fprintf(w, "preflight of stack %s (%s, resource group %s) in subscription %s\n", stack, s.Config.Location, s.Config.Names().ResourceGroup(), subscriptionID); err != nil {
		return err
	}
	return Write(w, results)
}

// Write prints one line per result: the verdict, the check and Azure's answer; under a warn or
// FAIL, what was asked and the fix. A count closes it.
func Write(w io.Writer, results []Result) error {
	var n = map[Status]int{}
	for _, r := range results {
		n[r.Status]++
		if _, err := fmt.Fprintf(w, "%-4s %s: %s\n", r.Status, r.Check, r.Answer); err != nil {
			return err
		}
		if r.Status == OK {
			continue
		}
		if _, err := fmt.Fprintf(w, "     asked: %s\n     fix:   %s\n", r.Asked, r.Fix); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "preflight: %d ok, %d warn, %d FAIL\n", n[OK], n[Warn], n[Fail])
	return err
}
