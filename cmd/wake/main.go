// Command wake starts a stack that its office-hours schedule has stopped, so that `pulumi up`
// can reach the cluster: outside the hours AKS refuses changes to a stopped cluster and its API
// server is down. It runs the schedule's own start workflow (MySQL and the NFS VM, then the
// cluster; infra/schedule.go) rather than starting anything itself, so the order is the one the
// schedule keeps, and waits until the cluster reports Running and Succeeded. The evening's
// scheduled stop stops it again; wake never changes the schedule.
//
//	go run ./cmd/wake -stack dev
//
// A stack without a schedule, or whose cluster does not exist yet (the first `up`), needs no
// waking: wake says so and exits 0. It exits 1 when the cluster does not come up in time or
// Azure refuses, and 2 when the stack cannot be read. `make up` runs it before `pulumi up`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/streaming"
	"github.com/example/wordpress-aks/plan"
	"github.com/example/wordpress-aks/preflight"
)

// API versions of the two calls: the cluster's state and the workflow's trigger.
const (
	apiAKS   = "2024-08-01"
	apiLogic = "2019-05-01"
)

func main() {
	os.Exit(run(os.Stdout))
}

func run(out io.Writer) int {
	stack := flag.String("stack", "", "stack name: reads Pulumi.<stack>.yaml (required)")
	subscription := flag.String("subscription", "", "subscription id (default: ARM_SUBSCRIPTION_ID, AZURE_SUBSCRIPTION_ID, or the Azure CLI's default)")
	timeout := flag.Duration("timeout", 30*time.Minute, "how long to wait for the cluster to run")
	flag.Parse()
	if *stack == "" {
		flag.Usage()
		fmt.Fprintln(os.Stderr, "wake: -stack is required")
		return 2
	}
	p, err := plan.Run(*stack, plan.Options{})
	if err != nil {
		fmt.Fprintf(os.Stderr, "wake %s: %v\n", *stack, err)
		return 2
	}
	if !p.Config.Schedule.Enabled {
		fmt.Fprintf(out, "wake %s: no office-hours schedule; nothing to start\n", *stack)
		return 0
	}
	sub := *subscription
	if sub == "" {
		if sub, err = preflight.SubscriptionID(); err != nil {
			fmt.Fprintf(os.Stderr, "wake %s: %v\n", *stack, err)
			return 1
		}
	}
	cred, err := preflight.Credential()
	if err != nil {
		fmt.Fprintf(os.Stderr, "wake %s: %v\n", *stack, err)
		return 1
	}
	names := p.Config.Names()
	w, err := newWaker(sub, names.ResourceGroup(), names.Cluster(), names.ScheduleWorkflow("start"), cred, nil)
	if err != nil {
		fmt.Fprintf(os.Stderr, "wake %s: %v\n", *stack, err)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	if err := w.wake(ctx, out, 30*time.Second); err != nil {
		fmt.Fprintf(os.Stderr, "wake %s: %v\n", *stack, err)
		return 1
	}
	return 0
}

// waker knows the one cluster and the one start workflow of a stack.
type waker struct {
	client   *arm.Client
	cluster  string
	workflow string
}

func newWaker(sub, group, cluster, workflow string, cred azcore.TokenCredential, opts *arm.ClientOptions) (*waker, error) {
	o := arm.ClientOptions{}
	if opts != nil {
		o = *opts
	}
	// Registering resource providers is a write wake has no business doing.
	o.DisableRPRegistration = true
	c, err := arm.NewClient("wake", "v1.0.0", cred, &o)
	if err != nil {
		return nil, fmt.Errorf("create azure client: %w", err)
	}
	prefix := "/subscriptions/" + sub + "/resourceGroups/" + group + "/providers/"
	return &waker{
		client:   c,
		cluster:  prefix + "Microsoft.ContainerService/managedClusters/" + cluster,
		workflow: prefix + "Microsoft.Logic/workflows/" + workflow,
	}, nil
}

// clusterState is what wake reads of the cluster; exists is false before the first `up`.
type clusterState struct {
	exists       bool
	power        string
	provisioning string
}

func (s clusterState) String() string { return s.power + " " + s.provisioning }

func (s clusterState) running() bool { return s.power == "Running" && s.provisioning == "Succeeded" }

// errNoCluster stops the wait when the cluster disappears under it.
var errNoCluster = errors.New("the cluster is gone")

// wake runs the start workflow if the cluster is stopped (once, also when the cluster was
// still stopping), then waits until it runs, reading its state every poll.
func (w *waker) wake(ctx context.Context, out io.Writer, poll time.Duration) error {
	s, err := w.state(ctx)
	if err != nil {
		return err
	}
	if !s.exists {
		fmt.Fprintln(out, "wake: the cluster does not exist yet; nothing to start")
		return nil
	}
	fmt.Fprintf(out, "wake: cluster %s\n", s)
	triggered := false
	for !s.running() {
		if s.power == "Stopped" && s.provisioning != "Stopping" && !triggered {
			if err := w.trigger(ctx); err != nil {
				return err
			}
			triggered = true
			fmt.Fprintln(out, "wake: ran the start workflow (MySQL and the NFS VM, then the cluster; about 10 minutes)")
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the cluster is not running in time (last: %s): %w", s, ctx.Err())
		case <-time.After(poll):
		}
		if s, err = w.state(ctx); err != nil {
			return err
		}
		if !s.exists {
			return errNoCluster
		}
	}
	fmt.Fprintf(out, "wake: cluster %s\n", s)
	return nil
}

func (w *waker) state(ctx context.Context) (clusterState, error) {
	resp, err := w.do(ctx, http.MethodGet, w.cluster+"?api-version="+apiAKS)
	if err != nil {
		return clusterState{}, fmt.Errorf("read the cluster: %w", err)
	}
	if resp.StatusCode == http.StatusNotFound {
		return clusterState{}, nil
	}
	if !runtime.HasStatusCode(resp, http.StatusOK) {
		return clusterState{}, fmt.Errorf("read the cluster: %w", runtime.NewResponseError(resp))
	}
	var body struct {
		Properties struct {
			ProvisioningState string `json:"provisioningState"`
			PowerState        struct {
				Code string `json:"code"`
			} `json:"powerState"`
		} `json:"properties"`
	}
	if err := runtime.UnmarshalAsJSON(resp, &body); err != nil {
		return clusterState{}, fmt.Errorf("read the cluster: %w", err)
	}
	return clusterState{exists: true, power: body.Properties.PowerState.Code, provisioning: body.Properties.ProvisioningState}, nil
}

// trigger runs the start workflow's recurrence trigger now, as the schedule would.
func (w *waker) trigger(ctx context.Context) error {
	resp, err := w.do(ctx, http.MethodPost, w.workflow+"/triggers/Recurrence/run?api-version="+apiLogic)
	if err != nil {
		return fmt.Errorf("run the start workflow: %w", err)
	}
	if !runtime.HasStatusCode(resp, http.StatusOK, http.StatusAccepted) {
		return fmt.Errorf("run the start workflow: %w", runtime.NewResponseError(resp))
	}
	return nil
}

func (w *waker) do(ctx context.Context, method, path string) (*http.Response, error) {
	req, err := runtime.NewRequest(ctx, method, runtime.JoinPaths(w.client.Endpoint(), path))
	if err != nil {
		return nil, err
	}
	req.Raw().Header.Set("Accept", "application/json")
	if method == http.MethodPost {
		// The trigger takes no body; ARM still wants JSON.
		if err := req.SetBody(streaming.NopCloser(strings.NewReader(`{}`)), "application/json"); err != nil {
			return nil, err
		}
	}
	return w.client.Pipeline().Do(req)
}
