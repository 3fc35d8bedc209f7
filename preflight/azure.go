package preflight

// This file owns the questions put to Azure: the Azure interface the checks call, its answers as
// plain data, and the implementation over the Azure SDK for Go. Every call is a read (GET, HEAD,
// or the POST of a name availability check, which creates nothing).

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/containerservice/armcontainerservice/v6"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armlocks"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armpolicy"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armsubscriptions"
)

// Azure is every question the checks ask. Implementations must only read.
type Azure interface {
	// SubscriptionID is the subscription the questions are about.
	SubscriptionID() string
	// Caller says who is signed in (it fetches a token: the sign-in check).
	Caller(ctx context.Context) (Caller, error)
	Subscription(ctx context.Context) (Subscription, error)
	// Permissions are the caller's effective permissions at a scope (a subscription or resource
	// group id).
	Permissions(ctx context.Context, scope string) ([]Permission, error)
	Providers(ctx context.Context) ([]Provider, error)
	KubernetesVersions(ctx context.Context, location string) ([]KubernetesVersion, error)
	// VMSKUs lists the virtual machine sizes of a region with this subscription's restrictions.
	VMSKUs(ctx context.Context, location string) ([]VMSKU, error)
	// Usages are the regional compute quotas (vCPUs per family and in total).
	Usages(ctx context.Context, location string) ([]Usage, error)
	MySQLCapabilities(ctx context.Context, location string) (MySQLCapabilities, error)
	CheckRegistryName(ctx context.Context, name string) (NameCheck, error)
	CheckMySQLName(ctx context.Context, location, name string) (NameCheck, error)
	ResourceGroupExists(ctx context.Context, name string) (bool, error)
	// ResourceNames lists the names of a group's resources of one ARM type
	// ("Microsoft.ContainerRegistry/registries").
	ResourceNames(ctx context.Context, group, armType string) ([]string, error)
	// Locks lists the management locks of a resource group and of the resources in it.
	Locks(ctx context.Context, group string) ([]Lock, error)
	// PolicyAssignments lists the policy assignments that apply to a resource group, inherited
	// ones included; with group "" those of the subscription.
	PolicyAssignments(ctx context.Context, group string) ([]PolicyAssignment, error)
	// PolicyDefinition reads one policy definition by id.
	PolicyDefinition(ctx context.Context, id string) (PolicyDefinition, error)
}

// Caller is the signed-in identity, read from its access token.
type Caller struct {
	ObjectID string
	// Name is the user principal name, or the application id of a service principal.
	Name string
}

// Subscription is the subscription's name, state and offer.
type Subscription struct {
	ID, Name string
	// State: Enabled, Warned, PastDue, Disabled or Deleted.
	State string
	// QuotaID names the offer, e.g. "PayAsYouGo_2014-09-01", "FreeTrial_2014-09-01".
	QuotaID string
}

// Permission is one role's actions less its notActions.
type Permission struct {
	Actions, NotActions []string
}

// Provider is a resource provider's registration in the subscription.
type Provider struct {
	Namespace string
	// State: Registered, Registering, NotRegistered, Unregistering.
	State string
}

// KubernetesVersion is one minor version AKS offers in a region.
type KubernetesVersion struct {
	Version          string
	Preview, Default bool
	// SupportPlans: KubernetesOfficial and/or AKSLongTermSupport.
	SupportPlans []string
	Patches      []string
}

// VMSKU is one VM size in a region.
type VMSKU struct {
	Name   string
	Family string
	VCPUs  int
	// MemoryGB is the size's memory in GiB.
	MemoryGB     float64
	Zones        []string
	Restrictions []Restriction
}

// Restriction keeps a size from this subscription in the whole region (Type "Location") or in
// some zones (Type "Zone").
type Restriction struct {
	Type string
	// Reason: NotAvailableForSubscription or QuotaId.
	Reason string
	Zones  []string
}

// Usage is one quota of the region.
type Usage struct {
	// Name is the quota's id ("standardBSFamily", "cores" for all regional vCPUs).
	Name, LocalName string
	Current, Limit  int64
}

// MySQLCapabilities is what MySQL Flexible Server offers in a region.
type MySQLCapabilities struct {
	Versions         []string
	GeoBackupRegions []string
	Editions         []MySQLEdition
}

// MySQLEdition is one tier (Burstable, GeneralPurpose, BusinessCritical).
type MySQLEdition struct {
	Name                         string
	MinStorageMB, MaxStorageMB   int64
	MinBackupDays, MaxBackupDays int64
	SKUs                         []MySQLSKU
}

// MySQLSKU is one compute size of a tier.
type MySQLSKU struct {
	Name    string
	VCores  int64
	Zones   []string
	HAModes []string
}

// NameCheck is a global name availability answer.
type NameCheck struct {
	Available       bool
	Reason, Message string
}

// Lock is a management lock.
type Lock struct {
	ID, Name string
	// Level: CanNotDelete or ReadOnly.
	Level, Notes string
}

// PolicyAssignment is a policy or initiative assigned at or above the scope.
type PolicyAssignment struct {
	Name, DisplayName string
	// DefinitionID is a policyDefinitions or policySetDefinitions id.
	DefinitionID string
	// EnforcementMode: Default (enforced) or DoNotEnforce.
	EnforcementMode string
	Parameters      map[string]any
}

// PolicyDefinition is what the preflight reads of a policy definition: its effect, which may
// name a parameter ("[parameters('effect')]"), and its parameters' defaults.
type PolicyDefinition struct {
	Effect   string
	Defaults map[string]any
}

// API versions of the calls made without a typed client: the SDK module that has them is not
// served here, has none, or would add minutes of compile time for one call (a registry name
// check with armcontainerregistry).
const (
	apiPermissions = "2022-04-01"
	apiRegistry    = "2023-07-01"
	apiPolicy      = "2023-04-01"
	// apiMySQL is the API the program creates the server with (infra/mysql.go).
	apiMySQL = "2023-12-30"
)

// sdkAzure answers with the Azure SDK's resource manager clients.
type sdkAzure struct {
	sub  string
	cred azcore.TokenCredential
	opts *arm.ClientOptions
	raw  *arm.Client

	subscriptions *armsubscriptions.Client
	providers     *armresources.ProvidersClient
	groups        *armresources.ResourceGroupsClient
	resources     *armresources.Client
	clusters      *armcontainerservice.ManagedClustersClient
	skus          *armcompute.ResourceSKUsClient
	usages        *armcompute.UsageClient
	locks         *armlocks.ManagementLocksClient
	assignments   *armpolicy.AssignmentsClient

	mu       sync.Mutex
	skuCache map[string][]VMSKU
}

// NewAzure returns an Azure that asks the subscription with cred. opts may point the clients at
// another endpoint (the tests' recorded responses); nil is Azure's public cloud. It never lets
// the SDK register a resource provider on its own: the preflight only reads.
func NewAzure(subscriptionID string, cred azcore.TokenCredential, opts *arm.ClientOptions) (Azure, error) {
	o := arm.ClientOptions{}
	if opts != nil {
		o = *opts
	}
	o.DisableRPRegistration = true
	a := &sdkAzure{sub: subscriptionID, cred: cred, opts: &o, skuCache: map[string][]VMSKU{}}
	var err error
	first := func(e error) {
		if err == nil {
			err = e
		}
	}
	var e error
	a.raw, e = arm.NewClient("preflight", "v1.0.0", cred, &o)
	first(e)
	a.subscriptions, e = armsubscriptions.NewClient(cred, &o)
	first(e)
	a.providers, e = armresources.NewProvidersClient(subscriptionID, cred, &o)
	first(e)
	a.groups, e = armresources.NewResourceGroupsClient(subscriptionID, cred, &o)
	first(e)
	a.resources, e = armresources.NewClient(subscriptionID, cred, &o)
	first(e)
	a.clusters, e = armcontainerservice.NewManagedClustersClient(subscriptionID, cred, &o)
	first(e)
	a.skus, e = armcompute.NewResourceSKUsClient(subscriptionID, cred, &o)
	first(e)
	a.usages, e = armcompute.NewUsageClient(subscriptionID, cred, &o)
	first(e)
	a.locks, e = armlocks.NewManagementLocksClient(subscriptionID, cred, &o)
	first(e)
	a.assignments, e = armpolicy.NewAssignmentsClient(subscriptionID, cred, &o)
	first(e)
	if err != nil {
		return nil, fmt.Errorf("create azure clients: %w", err)
	}
	return a, nil
}

func (a *sdkAzure) SubscriptionID() string { return a.sub }

func (a *sdkAzure) Caller(ctx context.Context) (Caller, error) {
	scope := "https://management.azure.com/.default"
	if a.opts.Cloud.Services != nil {
		if rm, ok := a.opts.Cloud.Services["resourceManager"]; ok && rm.Audience != "" {
			scope = strings.TrimSuffix(rm.Audience, "/") + "/.default"
		}
	}
	tok, err := a.cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{scope}})
	if err != nil {
		return Caller{}, err
	}
	return callerFromToken(tok.Token), nil
}

// callerFromToken reads the identity claims of an access token. The token is not verified: it
// only names the caller in messages and fix commands.
func callerFromToken(token string) Caller {
	parts := strings.Split(token, ".")
	if len(parts) < 2 {
		return Caller{}
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return Caller{}
	}
	var claims struct {
		OID, UPN, UniqueName, AppID string
	}
	var raw map[string]any
	if json.Unmarshal(payload, &raw) != nil {
		return Caller{}
	}
	claim := func(k string) string { s, _ := raw[k].(string); return s }
	claims.OID, claims.UPN, claims.UniqueName, claims.AppID = claim("oid"), claim("upn"), claim("unique_name"), claim("appid")
	name := claims.UPN
	if name == "" {
		name = claims.UniqueName
	}
	if name == "" && claims.AppID != "" {
		name = "application " + claims.AppID
	}
	return Caller{ObjectID: claims.OID, Name: name}
}

func (a *sdkAzure) Subscription(ctx context.Context) (Subscription, error) {
	r, err := a.subscriptions.Get(ctx, a.sub, nil)
	if err != nil {
		return Subscription{}, err
	}
	s := Subscription{ID: a.sub, Name: str(r.DisplayName)}
	if r.State != nil {
		s.State = string(*r.State)
	}
	if r.SubscriptionPolicies != nil {
		s.QuotaID = str(r.SubscriptionPolicies.QuotaID)
	}
	return s, nil
}

// getJSON GETs path (which starts with /) at api-version and follows nextLink pages, handing
// each page to page.
func (a *sdkAzure) getJSON(ctx context.Context, path, apiVersion string, page func([]byte) (next string, err error)) error {
	url := runtime.JoinPaths(a.raw.Endpoint(), path)
	for url != "" {
		req, err := runtime.NewRequest(ctx, http.MethodGet, url)
		if err != nil {
			return err
		}
		if !strings.Contains(url, "api-version=") {
			q := req.Raw().URL.Query()
			q.Set("api-version", apiVersion)
			req.Raw().URL.RawQuery = q.Encode()
		}
		req.Raw().Header.Set("Accept", "application/json")
		resp, err := a.raw.Pipeline().Do(req)
		if err != nil {
			return err
		}
		if !runtime.HasStatusCode(resp, http.StatusOK) {
			return runtime.NewResponseError(resp)
		}
		body, err := runtime.Payload(resp)
		if err != nil {
			return err
		}
		if url, err = page(body); err != nil {
			return err
		}
	}
	return nil
}

func (a *sdkAzure) Permissions(ctx context.Context, scope string) ([]Permission, error) {
	var out []Permission
	err := a.getJSON(ctx, scope+"/providers/Microsoft.Authorization/permissions", apiPermissions, func(b []byte) (string, error) {
		var page struct {
			Value []struct {
				Actions    []string `json:"actions"`
				NotActions []string `json:"notActions"`
			} `json:"value"`
			NextLink string `json:"nextLink"`
		}
		if err := json.Unmarshal(b, &page); err != nil {
			return "", fmt.Errorf("read permissions: %w", err)
		}
		for _, p := range page.Value {
			out = append(out, Permission{Actions: p.Actions, NotActions: p.NotActions})
		}
		return page.NextLink, nil
	})
	return out, err
}

func (a *sdkAzure) Providers(ctx context.Context) ([]Provider, error) {
	var out []Provider
	pager := a.providers.NewListPager(nil)
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, p := range page.Value {
			out = append(out, Provider{Namespace: str(p.Namespace), State: str(p.RegistrationState)})
		}
	}
	return out, nil
}

func (a *sdkAzure) KubernetesVersions(ctx context.Context, location string) ([]KubernetesVersion, error) {
	r, err := a.clusters.ListKubernetesVersions(ctx, location, nil)
	if err != nil {
		return nil, err
	}
	var out []KubernetesVersion
	for _, v := range r.Values {
		kv := KubernetesVersion{Version: str(v.Version), Preview: v.IsPreview != nil && *v.IsPreview, Default: v.IsDefault != nil && *v.IsDefault}
		if v.Capabilities != nil {
			for _, p := range v.Capabilities.SupportPlan {
				kv.SupportPlans = append(kv.SupportPlans, string(*p))
			}
		}
		for patch := range v.PatchVersions {
			kv.Patches = append(kv.Patches, patch)
		}
		out = append(out, kv)
	}
	return out, nil
}

func (a *sdkAzure) VMSKUs(ctx context.Context, location string) ([]VMSKU, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if cached, ok := a.skuCache[location]; ok {
		return cached, nil
	}
	var out []VMSKU
	pager := a.skus.NewListPager(&armcompute.ResourceSKUsClientListOptions{Filter: to.Ptr(fmt.Sprintf("location eq '%s'", location))})
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, s := range page.Value {
			if !strings.EqualFold(str(s.ResourceType), "virtualMachines") {
				continue
			}
			v := VMSKU{Name: str(s.Name), Family: str(s.Family)}
			for _, li := range s.LocationInfo {
				if strings.EqualFold(str(li.Location), location) {
					v.Zones = append(v.Zones, derefAll(li.Zones)...)
				}
			}
			for _, c := range s.Capabilities {
				switch str(c.Name) {
				case "vCPUs":
					v.VCPUs, _ = strconv.Atoi(str(c.Value))
				case "MemoryGB":
					v.MemoryGB, _ = strconv.ParseFloat(str(c.Value), 64)
				}
			}
			for _, r := range s.Restrictions {
				res := Restriction{}
				if r.Type != nil {
					res.Type = string(*r.Type)
				}
				if r.ReasonCode != nil {
					res.Reason = string(*r.ReasonCode)
				}
				if r.RestrictionInfo != nil {
					res.Zones = derefAll(r.RestrictionInfo.Zones)
				}
				v.Restrictions = append(v.Restrictions, res)
			}
			out = append(out, v)
		}
	}
	a.skuCache[location] = out
	return out, nil
}

// str is the string a pointer points at, or "".
func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// derefAll is the strings a list of pointers points at, without the nil ones.
func derefAll(ps []*string) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		if p != nil {
			out = append(out, *p)
		}
	}
	return out
}

func (a *sdkAzure) Usages(ctx context.Context, location string) ([]Usage, error) {
	var out []Usage
	pager := a.usages.NewListPager(location, nil)
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, u := range page.Value {
			us := Usage{}
			if u.Name != nil {
				us.Name, us.LocalName = str(u.Name.Value), str(u.Name.LocalizedValue)
			}
			if u.CurrentValue != nil {
				us.Current = int64(*u.CurrentValue)
			}
			if u.Limit != nil {
				us.Limit = *u.Limit
			}
			out = append(out, us)
		}
	}
	return out, nil
}

func (a *sdkAzure) MySQLCapabilities(ctx context.Context, location string) (MySQLCapabilities, error) {
	// The capability set of the API the server is created with: the 2021-05-01 capabilities of
	// the served SDK module would answer for an older API.
	var out MySQLCapabilities
	path := fmt.Sprintf("/subscriptions/%s/providers/Microsoft.DBforMySQL/locations/%s/capabilitySets/default", a.sub, location)
	err := a.getJSON(ctx, path, apiMySQL, func(b []byte) (string, error) {
		var set struct {
			Properties struct {
				SupportedGeoBackupRegions       []string                `json:"supportedGeoBackupRegions"`
				SupportedServerVersions         []struct{ Name string } `json:"supportedServerVersions"`
				SupportedFlexibleServerEditions []struct {
					Name                     string `json:"name"`
					SupportedStorageEditions []struct {
						MinStorageSize         int64 `json:"minStorageSize"`
						MaxStorageSize         int64 `json:"maxStorageSize"`
						MinBackupRetentionDays int64 `json:"minBackupRetentionDays"`
						MaxBackupRetentionDays int64 `json:"maxBackupRetentionDays"`
					} `json:"supportedStorageEditions"`
					SupportedSkus []struct {
						Name            string   `json:"name"`
						VCores          int64    `json:"vCores"`
						SupportedZones  []string `json:"supportedZones"`
						SupportedHAMode []string `json:"supportedHAMode"`
					} `json:"supportedSkus"`
				} `json:"supportedFlexibleServerEditions"`
			} `json:"properties"`
		}
		if err := json.Unmarshal(b, &set); err != nil {
			return "", fmt.Errorf("read mysql capabilities: %w", err)
		}
		p := set.Properties
		out.GeoBackupRegions = p.SupportedGeoBackupRegions
		for _, v := range p.SupportedServerVersions {
			out.Versions = append(out.Versions, v.Name)
		}
		for _, e := range p.SupportedFlexibleServerEditions {
			ed := MySQLEdition{Name: e.Name}
			for i, st := range e.SupportedStorageEditions {
				if i == 0 || st.MaxStorageSize > ed.MaxStorageMB {
					ed.MinStorageMB, ed.MaxStorageMB = st.MinStorageSize, st.MaxStorageSize
					ed.MinBackupDays, ed.MaxBackupDays = st.MinBackupRetentionDays, st.MaxBackupRetentionDays
				}
			}
			for _, s := range e.SupportedSkus {
				ed.SKUs = append(ed.SKUs, MySQLSKU{Name: s.Name, VCores: s.VCores, Zones: s.SupportedZones, HAModes: s.SupportedHAMode})
			}
			out.Editions = append(out.Editions, ed)
		}
		return "", nil
	})
	return out, err
}

func (a *sdkAzure) CheckRegistryName(ctx context.Context, name string) (NameCheck, error) {
	path := fmt.Sprintf("/subscriptions/%s/providers/Microsoft.ContainerRegistry/checkNameAvailability", a.sub)
	return a.checkName(ctx, path, apiRegistry, name, "Microsoft.ContainerRegistry/registries")
}

func (a *sdkAzure) CheckMySQLName(ctx context.Context, location, name string) (NameCheck, error) {
	path := fmt.Sprintf("/subscriptions/%s/providers/Microsoft.DBforMySQL/locations/%s/checkNameAvailability", a.sub, location)
	return a.checkName(ctx, path, apiMySQL, name, "Microsoft.DBforMySQL/flexibleServers")
}

// checkName POSTs a name availability question, which creates nothing.
func (a *sdkAzure) checkName(ctx context.Context, path, apiVersion, name, armType string) (NameCheck, error) {
	req, err := runtime.NewRequest(ctx, http.MethodPost, runtime.JoinPaths(a.raw.Endpoint(), path))
	if err != nil {
		return NameCheck{}, err
	}
	q := req.Raw().URL.Query()
	q.Set("api-version", apiVersion)
	req.Raw().URL.RawQuery = q.Encode()
	req.Raw().Header.Set("Accept", "application/json")
	if err := runtime.MarshalAsJSON(req, map[string]string{"name": name, "type": armType}); err != nil {
		return NameCheck{}, err
	}
	resp, err := a.raw.Pipeline().Do(req)
	if err != nil {
		return NameCheck{}, err
	}
	if !runtime.HasStatusCode(resp, http.StatusOK) {
		return NameCheck{}, runtime.NewResponseError(resp)
	}
	var r struct {
		NameAvailable bool   `json:"nameAvailable"`
		Reason        string `json:"reason"`
		Message       string `json:"message"`
	}
	if err := runtime.UnmarshalAsJSON(resp, &r); err != nil {
		return NameCheck{}, err
	}
	return NameCheck{Available: r.NameAvailable, Reason: r.Reason, Message: r.Message}, nil
}

func (a *sdkAzure) ResourceGroupExists(ctx context.Context, name string) (bool, error) {
	r, err := a.groups.CheckExistence(ctx, name, nil)
	if err != nil {
		return false, err
	}
	return r.Success, nil
}

func (a *sdkAzure) ResourceNames(ctx context.Context, group, armType string) ([]string, error) {
	var out []string
	pager := a.resources.NewListByResourceGroupPager(group, &armresources.ClientListByResourceGroupOptions{
		Filter: to.Ptr(fmt.Sprintf("resourceType eq '%s'", armType)),
	})
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, r := range page.Value {
			out = append(out, str(r.Name))
		}
	}
	return out, nil
}

func (a *sdkAzure) Locks(ctx context.Context, group string) ([]Lock, error) {
	var out []Lock
	pager := a.locks.NewListAtResourceGroupLevelPager(group, nil)
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, l := range page.Value {
			lk := Lock{ID: str(l.ID), Name: str(l.Name)}
			if l.Properties != nil {
				if l.Properties.Level != nil {
					lk.Level = string(*l.Properties.Level)
				}
				lk.Notes = str(l.Properties.Notes)
			}
			out = append(out, lk)
		}
	}
	return out, nil
}

func (a *sdkAzure) PolicyAssignments(ctx context.Context, group string) ([]PolicyAssignment, error) {
	var out []PolicyAssignment
	add := func(list []*armpolicy.Assignment) {
		for _, as := range list {
			pa := PolicyAssignment{Name: str(as.Name), Parameters: map[string]any{}}
			if p := as.Properties; p != nil {
				pa.DisplayName, pa.DefinitionID = str(p.DisplayName), str(p.PolicyDefinitionID)
				if p.EnforcementMode != nil {
					pa.EnforcementMode = string(*p.EnforcementMode)
				}
				for k, v := range p.Parameters {
					if v != nil {
						pa.Parameters[k] = v.Value
					}
				}
			}
			out = append(out, pa)
		}
	}
	// atScope() keeps the assignments that apply here (this scope and above) and leaves out
	// those on resources below it.
	filter := to.Ptr("atScope()")
	if group == "" {
		pager := a.assignments.NewListPager(&armpolicy.AssignmentsClientListOptions{Filter: filter})
		for pager.More() {
			page, err := pager.NextPage(ctx)
			if err != nil {
				return nil, err
			}
			add(page.Value)
		}
		return out, nil
	}
	pager := a.assignments.NewListForResourceGroupPager(group, &armpolicy.AssignmentsClientListForResourceGroupOptions{Filter: filter})
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		add(page.Value)
	}
	return out, nil
}

func (a *sdkAzure) PolicyDefinition(ctx context.Context, id string) (PolicyDefinition, error) {
	// A raw read: the id may be a built-in, a subscription's or a management group's definition,
	// which the typed client spreads over three methods.
	var out PolicyDefinition
	err := a.getJSON(ctx, id, apiPolicy, func(b []byte) (string, error) {
		var def struct {
			Properties struct {
				PolicyRule struct {
					Then struct {
						Effect string `json:"effect"`
					} `json:"then"`
				} `json:"policyRule"`
				Parameters map[string]struct {
					DefaultValue any `json:"defaultValue"`
				} `json:"parameters"`
			} `json:"properties"`
		}
		if err := json.Unmarshal(b, &def); err != nil {
			return "", fmt.Errorf("read policy definition: %w", err)
		}
		out.Effect = def.Properties.PolicyRule.Then.Effect
		out.Defaults = map[string]any{}
		for k, v := range def.Properties.Parameters {
			out.Defaults[k] = v.DefaultValue
		}
		return "", nil
	})
	return out, err
}

// azureError describes a failed call for a result line: the HTTP status and Azure's error code
// when Azure answered, the error otherwise.
func azureError(err error) string {
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		return fmt.Sprintf("HTTP %d %s", re.StatusCode, re.ErrorCode)
	}
	return err.Error()
}

// denied reports whether Azure refused the caller (403, or 401 for a token it does not take).
func denied(err error) bool {
	var re *azcore.ResponseError
	return errors.As(err, &re) && (re.StatusCode == http.StatusForbidden || re.StatusCode == http.StatusUnauthorized)
}
