package preflight

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// testSub is the subscription of the recorded responses.
const testSub = "8f5e1a32-6c1d-4f0a-9b7e-2d4c6a8e0f13"

// route is one recorded answer.
type route struct {
	status int
	file   string
}

// recorded serves the recorded responses of testdata/azure by METHOD, path and, for name
// checks, the name asked; it keeps every request it got, and fails the test on one it has no
// answer for.
type recorded struct {
	t      *testing.T
	routes map[string]route
	mu     sync.Mutex
	seen   []string
}

// routeKey is how a route is found: the method, the path in lower case and the name a name
// check asks about.
func routeKey(method, path, name string) string {
	return method + " " + strings.ToLower(path) + " " + name
}

// newRecorded reads testdata/routes-healthy.txt and then the overlay lines (same format), with
// {sub} and {rg} filled in.
func newRecorded(t *testing.T, group string, overlay ...string) *recorded {
	t.Helper()
	base, err := os.ReadFile(filepath.Join("testdata", "routes-healthy.txt"))
	if err != nil {
		t.Fatal(err)
	}
	r := &recorded{t: t, routes: map[string]route{}}
	lines := append(strings.Split(string(base), "\n"), overlay...)
	for _, line := range lines {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.NewReplacer("{sub}", testSub, "{rg}", group).Replace(line)
		f := strings.Fields(line)
		name := ""
		if len(f) == 5 && strings.HasPrefix(f[2], "name=") {
			name = strings.TrimPrefix(f[2], "name=")
			f = append(f[:2], f[3:]...)
		}
		if len(f) != 4 {
			t.Fatalf("route %q: want METHOD PATH [name=NAME] STATUS FILE", line)
		}
		status, err := strconv.Atoi(f[2])
		if err != nil {
			t.Fatalf("route %q: %v", line, err)
		}
		r.routes[routeKey(f[0], f[1], name)] = route{status, f[3]}
	}
	return r
}

func (r *recorded) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	name := ""
	if req.Method == http.MethodPost {
		var body struct{ Name string }
		b, _ := io.ReadAll(req.Body)
		_ = json.Unmarshal(b, &body)
		name = body.Name
	}
	r.mu.Lock()
	r.seen = append(r.seen, req.Method+" "+req.URL.Path)
	r.mu.Unlock()
	if got := req.Header.Get("Authorization"); got != "Bearer "+fakeToken {
		r.t.Errorf("%s %s: Authorization %q, want the test token", req.Method, req.URL.Path, got)
	}
	rt, ok := r.routes[routeKey(req.Method, req.URL.Path, name)]
	if !ok {
		r.t.Errorf("no recorded response for %s %s (name %q)", req.Method, req.URL.Path, name)
		http.Error(w, `{"error":{"code":"NoRecording","message":"no recorded response"}}`, http.StatusNotImplemented)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if rt.status >= 400 {
		var e struct{ Error struct{ Code string } }
		if b, err := os.ReadFile(filepath.Join("testdata", "azure", rt.file)); err == nil && json.Unmarshal(b, &e) == nil {
			w.Header().Set("x-ms-error-code", e.Error.Code)
		}
	}
	w.WriteHeader(rt.status)
	if rt.file == "-" || req.Method == http.MethodHead {
		return
	}
	b, err := os.ReadFile(filepath.Join("testdata", "azure", rt.file))
	if err != nil {
		r.t.Errorf("%s: %v", rt.file, err)
		return
	}
	_, _ = w.Write(b)
}

// requests returns the requests served so far.
func (r *recorded) requests() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.seen...)
}

// fakeToken is an unsigned JWT with the claims Caller reads.
var fakeToken = func() string {
	enc := base64.RawURLEncoding.EncodeToString
	claims, _ := json.Marshal(map[string]string{"oid": "0b6cd9a8-4f2e-4a57-9d1c-3e5f7a9b1c2d", "upn": "ci@example.com"})
	return enc([]byte(`{"alg":"none"}`)) + "." + enc(claims) + ".sig"
}()

// fakeCredential hands out fakeToken, or fails as a machine without a sign-in does.
type fakeCredential struct{ err error }

func (c fakeCredential) GetToken(_ context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if c.err != nil {
		return azcore.AccessToken{}, c.err
	}
	return azcore.AccessToken{Token: fakeToken, ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// testAzure starts a TLS server with the recorded responses and returns an Azure whose SDK
// clients talk to it.
func testAzure(t *testing.T, cred azcore.TokenCredential, group string, overlay ...string) (Azure, *recorded) {
	t.Helper()
	rec := newRecorded(t, group, overlay...)
	srv := httptest.NewTLSServer(rec)
	t.Cleanup(srv.Close)
	opts := &arm.ClientOptions{ClientOptions: policy.ClientOptions{
		Cloud: cloud.Configuration{
			ActiveDirectoryAuthorityHost: srv.URL,
			Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
				cloud.ResourceManager: {Endpoint: srv.URL, Audience: "https://management.core.windows.net/"},
			},
		},
		Transport: srv.Client(),
		Retry:     policy.RetryOptions{MaxRetries: -1},
	}}
	az, err := NewAzure(testSub, cred, opts)
	if err != nil {
		t.Fatal(err)
	}
	return az, rec
}

// line formats one result for failure messages.
func line(r Result) string {
	return fmt.Sprintf("%s %s | %s | fix: %s", r.Status, r.Check, r.Answer, r.Fix)
}
