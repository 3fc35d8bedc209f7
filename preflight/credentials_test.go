package preflight

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSubscriptionID(t *testing.T) {
	profile := "\xef\xbb\xbf" + `{"installationId":"x","subscriptions":[` +
		`{"id":"11111111-1111-1111-1111-111111111111","name":"Other","isDefault":false},` +
		`{"id":"22222222-2222-2222-2222-222222222222","name":"Blogs","isDefault":true}]}`
	noDefault := `{"subscriptions":[{"id":"11111111-1111-1111-1111-111111111111","isDefault":false}]}`
	tests := []struct {
		name    string
		env     map[string]string
		profile string
		want    string
		wantErr string
	}{
		{name: "ARM_SUBSCRIPTION_ID first", env: map[string]string{"ARM_SUBSCRIPTION_ID": "arm", "AZURE_SUBSCRIPTION_ID": "azure"}, profile: profile, want: "arm"},
		{name: "AZURE_SUBSCRIPTION_ID", env: map[string]string{"AZURE_SUBSCRIPTION_ID": "azure"}, profile: profile, want: "azure"},
		{name: "the CLI's default, past its byte order mark", profile: profile, want: "22222222-2222-2222-2222-222222222222"},
		{name: "no default", profile: noDefault, wantErr: "az account set"},
		{name: "never signed in", wantErr: "ARM_SUBSCRIPTION_ID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Setenv("AZURE_CONFIG_DIR", dir)
			t.Setenv("ARM_SUBSCRIPTION_ID", "")
			t.Setenv("AZURE_SUBSCRIPTION_ID", "")
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			if tt.profile != "" {
				if err := os.WriteFile(filepath.Join(dir, "azureProfile.json"), []byte(tt.profile), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			got, err := SubscriptionID()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestOIDCToken(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer request-token" || r.URL.Query().Get("audience") != "api://AzureADTokenExchange" || r.URL.Query().Get("api-version") != "2.0" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		_, _ = w.Write([]byte(`{"count":1,"value":"github-oidc-token"}`))
	}))
	defer srv.Close()
	tests := []struct {
		name    string
		env     map[string]string
		want    string
		wantErr string
	}{
		{name: "ARM_OIDC_TOKEN as given", env: map[string]string{"ARM_OIDC_TOKEN": "given", "ACTIONS_ID_TOKEN_REQUEST_URL": srv.URL + "?api-version=2.0", "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "request-token"}, want: "given"},
		{name: "GitHub Actions' token for Entra ID", env: map[string]string{"ACTIONS_ID_TOKEN_REQUEST_URL": srv.URL + "?api-version=2.0", "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "request-token"}, want: "github-oidc-token"},
		{name: "GitHub refuses", env: map[string]string{"ACTIONS_ID_TOKEN_REQUEST_URL": srv.URL + "?api-version=2.0", "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "wrong"}, wantErr: "HTTP 400"},
		{name: "no token anywhere", wantErr: "id-token: write"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, k := range []string{"ARM_OIDC_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_TOKEN"} {
				t.Setenv(k, tt.env[k])
			}
			got, err := oidcToken(context.Background())
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
