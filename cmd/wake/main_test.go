package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

const (
	testSub      = "8f5e1a32-6c1d-4f0a-9b7e-2d4c6a8e0f13"
	testCluster  = "/subscriptions/" + testSub + "/resourceGroups/rg-wp-dev/providers/Microsoft.ContainerService/managedClusters/aks-wp-dev"
	testWorkflow = "/subscriptions/" + testSub + "/resourceGroups/rg-wp-dev/providers/Microsoft.Logic/workflows/logic-wp-dev-start"
)

// armServer answers the cluster GET with the states in turn (the last one repeats; "" is a
// 404) and the workflow trigger POST with triggerStatus, and keeps every request.
type armServer struct {
	t             *testing.T
	states        []string
	triggerStatus int
	mu            sync.Mutex
	gets          int
	requests      []string
}

func (s *armServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r.Method+" "+r.URL.Path)
	if got := r.Header.Get("Authorization"); got != "Bearer test-token" {
		s.t.Errorf("%s %s: Authorization %q", r.Method, r.URL.Path, got)
	}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == testCluster:
		if v := r.URL.Query().Get("api-version"); v != apiAKS {
			s.t.Errorf("cluster GET api-version %q, want %s", v, apiAKS)
		}
		st := s.states[min(s.gets, len(s.states)-1)]
		s.gets++
		if st == "" {
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"error":{"code":"ResourceNotFound","message":"The Resource 'Microsoft.ContainerService/managedClusters/aks-wp-dev' under resource group 'rg-wp-dev' was not found."}}`)
			return
		}
		power, provisioning, _ := strings.Cut(st, " ")
		// The shape of a managedClusters GET (specification/containerservice, ManagedCluster),
		// cut to what wake reads and a little around it.
		_, _ = fmt.Fprintf(w, `{"id":%q,"name":"aks-wp-dev","location":"japaneast","properties":{"provisioningState":%q,"powerState":{"code":%q},"kubernetesVersion":"1.33.5"}}`,
			testCluster, provisioning, power)
	case r.Method == http.MethodPost && r.URL.Path == testWorkflow+"/triggers/Recurrence/run":
		if v := r.URL.Query().Get("api-version"); v != apiLogic {
			s.t.Errorf("trigger api-version %q, want %s", v, apiLogic)
		}
		w.WriteHeader(s.triggerStatus)
		if s.triggerStatus >= 400 {
			_, _ = io.WriteString(w, `{"error":{"code":"AuthorizationFailed","message":"The client does not have authorization to perform action 'Microsoft.Logic/workflows/triggers/run/action'."}}`)
		}
	default:
		s.t.Errorf("unexpected request %s %s", r.Method, r.URL)
		w.WriteHeader(http.StatusBadRequest)
	}
}

type testCredential struct{}

func (testCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: "test-token", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

func TestWake(t *testing.T) {
	const (
		get     = "GET " + testCluster
		trigger = "POST " + testWorkflow + "/triggers/Recurrence/run"
	)
	tests := []struct {
		name          string
		states        []string
		triggerStatus int
		timeout       time.Duration
		want          []string
		wantErr       string
	}{
		{name: "running: nothing to do", states: []string{"Running Succeeded"}, want: []string{get}},
		{name: "no cluster yet: the first up", states: []string{""}, want: []string{get}},
		{name: "stopped: one run of the start workflow, then wait",
			states: []string{"Stopped Succeeded", "Stopped Succeeded", "Running Starting", "Running Succeeded"}, triggerStatus: http.StatusAccepted,
			want: []string{get, trigger, get, get, get}},
		{name: "stopping: wait for the stop, then start",
			states: []string{"Running Stopping", "Stopped Stopping", "Stopped Succeeded", "Running Starting", "Running Succeeded"}, triggerStatus: http.StatusOK,
			want: []string{get, get, get, trigger, get, get}},
		{name: "starting already (the schedule's own run): wait, no second run",
			states: []string{"Running Starting", "Running Succeeded"}, want: []string{get, get}},
		{name: "trigger refused", states: []string{"Stopped Succeeded"}, triggerStatus: http.StatusForbidden,
			want: []string{get, trigger}, wantErr: "run the start workflow: "},
		{name: "never comes up: one run, then the deadline",
			states: []string{"Stopped Succeeded"}, triggerStatus: http.StatusAccepted, timeout: 200 * time.Millisecond,
			wantErr: "the cluster is not running in time (last: Stopped Succeeded)"},
		{name: "deleted while waiting", states: []string{"Stopped Succeeded", ""}, triggerStatus: http.StatusAccepted,
			want: []string{get, trigger, get}, wantErr: errNoCluster.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := &armServer{t: t, states: tt.states, triggerStatus: tt.triggerStatus}
			ts := httptest.NewTLSServer(srv)
			defer ts.Close()
			opts := &arm.ClientOptions{ClientOptions: policy.ClientOptions{
				Cloud: cloud.Configuration{
					ActiveDirectoryAuthorityHost: ts.URL,
					Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
						cloud.ResourceManager: {Endpoint: ts.URL, Audience: "https://management.core.windows.net/"},
					},
				},
				Transport: ts.Client(),
				Retry:     policy.RetryOptions{MaxRetries: -1},
			}}
			w, err := newWaker(testSub, "rg-wp-dev", "aks-wp-dev", "logic-wp-dev-start", testCredential{}, opts)
			if err != nil {
				t.Fatal(err)
			}
			timeout := tt.timeout
			if timeout == 0 {
				timeout = 10 * time.Second
			}
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			var out strings.Builder
			err = w.wake(ctx, &out, 10*time.Millisecond)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("wake: %v\n%s", err, out.String())
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("wake: %v, want an error containing %q", err, tt.wantErr)
			}
			srv.mu.Lock()
			defer srv.mu.Unlock()
			if tt.want != nil && strings.Join(srv.requests, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(srv.requests, "\n"), strings.Join(tt.want, "\n"))
			}
			if n := strings.Count(strings.Join(srv.requests, "\n"), trigger); n > 1 {
				t.Errorf("the start workflow ran %d times", n)
			}
			if errors.Is(err, context.DeadlineExceeded) && !strings.Contains(strings.Join(srv.requests, "\n"), trigger) {
				t.Error("timed out without running the start workflow")
			}
		})
	}
}
