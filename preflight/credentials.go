package preflight

// This file owns how the preflight signs in and which subscription it asks about: the
// credentials the Azure CLI or the environment provide, as `pulumi up` finds them.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// Credential signs in the way the azure-native provider does: a service principal from the
// ARM_* variables (a client secret, or OIDC federation with ARM_USE_OIDC as in CI), then what
// azidentity's default chain finds (AZURE_* variables, workload or managed identity, `az login`).
func Credential() (azcore.TokenCredential, error) {
	var chain []azcore.TokenCredential
	tenant, client := os.Getenv("ARM_TENANT_ID"), os.Getenv("ARM_CLIENT_ID")
	if tenant != "" && client != "" {
		if secret := os.Getenv("ARM_CLIENT_SECRET"); secret != "" {
			c, err := azidentity.NewClientSecretCredential(tenant, client, secret, nil)
			if err != nil {
				return nil, fmt.Errorf("ARM_CLIENT_SECRET credential: %w", err)
			}
			chain = append(chain, c)
		}
		if os.Getenv("ARM_USE_OIDC") == "true" {
			c, err := azidentity.NewClientAssertionCredential(tenant, client, oidcToken, nil)
			if err != nil {
				return nil, fmt.Errorf("ARM_USE_OIDC credential: %w", err)
			}
			chain = append(chain, c)
		}
	}
	if c, err := azidentity.NewDefaultAzureCredential(nil); err == nil {
		chain = append(chain, c)
	}
	if len(chain) == 0 {
		return nil, fmt.Errorf("no Azure credential: %s", signInFix)
	}
	return azidentity.NewChainedTokenCredential(chain, nil)
}

// oidcToken is the federated token of ARM_USE_OIDC: ARM_OIDC_TOKEN, or one GitHub Actions
// issues for Entra ID's audience (a job with permissions id-token: write).
func oidcToken(ctx context.Context) (string, error) {
	if t := os.Getenv("ARM_OIDC_TOKEN"); t != "" {
		return t, nil
	}
	reqURL, reqToken := os.Getenv("ACTIONS_ID_TOKEN_REQUEST_URL"), os.Getenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN")
	if reqURL == "" || reqToken == "" {
		return "", fmt.Errorf("ARM_USE_OIDC is set but there is no ARM_OIDC_TOKEN nor a GitHub Actions token request (ACTIONS_ID_TOKEN_REQUEST_URL: the job needs permissions id-token: write)")
	}
	u, err := url.Parse(reqURL)
	if err != nil {
		return "", fmt.Errorf("ACTIONS_ID_TOKEN_REQUEST_URL: %w", err)
	}
	q := u.Query()
	q.Set("audience", "api://AzureADTokenExchange")
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+reqToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("request the GitHub OIDC token: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("request the GitHub OIDC token: HTTP %d", resp.StatusCode)
	}
	var body struct {
		Value string `json:"value"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return "", fmt.Errorf("read the GitHub OIDC token: %w", err)
	}
	return body.Value, nil
}

// SubscriptionID is the subscription to ask about: ARM_SUBSCRIPTION_ID (what the azure-native
// provider reads), AZURE_SUBSCRIPTION_ID, or the Azure CLI's default (`az account set`), read
// from its profile without running it.
func SubscriptionID() (string, error) {
	for _, v := range []string{"ARM_SUBSCRIPTION_ID", "AZURE_SUBSCRIPTION_ID"} {
		if id := os.Getenv(v); id != "" {
			return id, nil
		}
	}
	dir := os.Getenv("AZURE_CONFIG_DIR")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("no subscription: set ARM_SUBSCRIPTION_ID, or sign in with az login")
		}
		dir = filepath.Join(home, ".azure")
	}
	return cliDefaultSubscription(filepath.Join(dir, "azureProfile.json"))
}

// cliDefaultSubscription reads the default subscription of the Azure CLI's profile.
func cliDefaultSubscription(path string) (string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("no subscription: set ARM_SUBSCRIPTION_ID, or sign in with az login (%w)", err)
	}
	// The CLI writes the file with a byte order mark.
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	var profile struct {
		Subscriptions []struct {
			ID        string `json:"id"`
			IsDefault bool   `json:"isDefault"`
		} `json:"subscriptions"`
	}
	if err := json.Unmarshal(raw, &profile); err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	for _, s := range profile.Subscriptions {
		if s.IsDefault {
			return s.ID, nil
		}
	}
	return "", fmt.Errorf("no default subscription in %s: run az account set --subscription <id>, or set ARM_SUBSCRIPTION_ID", path)
}
