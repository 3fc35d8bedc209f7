package plan

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The mock monitor stands in for the engine and the providers: it records every registration and
// answers with the outputs a real provider would compute, made up but well-formed (ARM ids,
// FQDNs, principal ids), so that the program's own code that parses them runs for real. None of
// these values reaches Azure; they only keep the program going.

// fakeSubscription is the subscription id in every mock ARM id.
const fakeSubscription = "00000000-0000-0000-0000-000000000000"

// fakeIngressIP is from TEST-NET-3 (RFC 5737): obviously not a real address.
const fakeIngressIP = "203.0.113.10"

// registration is one RegisterResource call as the engine received it.
type registration struct {
	args    pulumi.MockResourceArgs
	outputs resource.PropertyMap
}

// recorder is the mock monitor.
type recorder struct {
	mu   sync.Mutex
	regs []registration
}

func (r *recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	outputs := args.Inputs.Copy()
	for k, v := range computedOutputs(args) {
		outputs[resource.PropertyKey(k)] = v
	}
	id := ""
	if args.Custom {
		id = mockID(args)
		outputs["id"] = resource.NewProperty(id)
		if _, ok := outputs["name"]; !ok {
			outputs["name"] = resource.NewProperty(azureName(args))
		}
	}
	// Providers mark some outputs secret (a password's result, a SAS URL); the engine applies
	// additionalSecretOutputs, so the mock must too, or the plan would show them in clear.
	if args.RegisterRPC != nil {
		for _, k := range args.RegisterRPC.GetAdditionalSecretOutputs() {
			if v, ok := outputs[resource.PropertyKey(k)]; ok && !v.IsSecret() {
				outputs[resource.PropertyKey(k)] = resource.MakeSecret(v)
			}
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.regs = append(r.regs, registration{args: args, outputs: outputs})
	return id, outputs, nil
}

func (r *recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	switch {
	case strings.HasSuffix(args.Token, ":listManagedClusterUserCredentials"):
		cluster := args.Args["resourceName"].StringValue()
		kubeconfig := fmt.Sprintf("apiVersion: v1\nkind: Config\nclusters:\n- name: %[1]s\n  cluster:\n    server: https://%[1]s.hcp.example.invalid:443\ncontexts:\n- name: %[1]s\n  context: {cluster: %[1]s, user: clusterUser}\ncurrent-context: %[1]s\nusers:\n- name: clusterUser\n  user: {token: mock}\n", cluster)
		return resource.PropertyMap{"kubeconfigs": resource.NewProperty([]resource.PropertyValue{
			resource.NewProperty(resource.PropertyMap{
				"name":  resource.NewProperty("clusterUser"),
				"value": resource.NewProperty(base64.StdEncoding.EncodeToString([]byte(kubeconfig))),
			}),
		})}, nil
	case strings.HasSuffix(args.Token, ":listStorageAccountServiceSAS"):
		return resource.PropertyMap{"serviceSasToken": resource.NewProperty("sv=2022-11-02&sr=b&sp=r&sig=mock")}, nil
	case strings.HasSuffix(args.Token, ":getClientConfig"):
		return resource.PropertyMap{
			"subscriptionId": resource.NewProperty(fakeSubscription),
			"tenantId":       resource.NewProperty(fakeSubscription),
			"clientId":       resource.NewProperty(fakeSubscription),
			"objectId":       resource.NewProperty(fakeSubscription),
		}, nil
	}
	return nil, fmt.Errorf("plan: no mock for invoke %s", args.Token)
}

// computedOutputs are the outputs a provider computes for a few resource types.
func computedOutputs(args pulumi.MockResourceArgs) map[string]resource.PropertyValue {
	in := args.Inputs
	str := func(k string) string {
		v, ok := in[resource.PropertyKey(k)]
		if !ok || !v.IsString() {
			return args.Name
		}
		return v.StringValue()
	}
	guid := fakeGUID(args.TypeToken + "/" + args.Name)
	switch typeName(args.TypeToken) {
	case "ManagedCluster":
		return map[string]resource.PropertyValue{
			"fqdn": resource.NewProperty(str("dnsPrefix") + ".hcp." + str("location") + ".azmk8s.io"),
			"identityProfile": resource.NewProperty(resource.PropertyMap{
				"kubeletidentity": resource.NewProperty(resource.PropertyMap{
					"objectId": resource.NewProperty(fakeGUID(args.Name + "/kubelet")),
					"clientId": resource.NewProperty(fakeGUID(args.Name + "/kubelet-client")),
				}),
			}),
		}
	case "UserAssignedIdentity":
		return map[string]resource.PropertyValue{
			"principalId": resource.NewProperty(guid),
			"clientId":    resource.NewProperty(fakeGUID(args.Name + "/client")),
		}
	case "Registry":
		return map[string]resource.PropertyValue{"loginServer": resource.NewProperty(strings.ToLower(str("registryName")) + ".azurecr.io")}
	case "Server":
		return map[string]resource.PropertyValue{"fullyQualifiedDomainName": resource.NewProperty(str("serverName") + ".mysql.database.azure.com")}
	case "TaskRun":
		// A run that built and pushed, as ACR reports it once it finished.
		return map[string]resource.PropertyValue{"runResult": resource.NewProperty(resource.PropertyMap{
			"runId":  resource.NewProperty("ca1"),
			"status": resource.NewProperty("Succeeded"),
		})}
	case "PublicIPAddress":
		return map[string]resource.PropertyValue{"ipAddress": resource.NewProperty(fakeIngressIP)}
	case "Component":
		return map[string]resource.PropertyValue{
			"connectionString":   resource.NewProperty("InstrumentationKey=" + guid),
			"instrumentationKey": resource.NewProperty(guid),
		}
	case "RandomString":
		n := int(in["length"].NumberValue())
		return map[string]resource.PropertyValue{"result": resource.NewProperty(fakeToken(args.Name, n))}
	case "RandomPassword":
		n := int(in["length"].NumberValue())
		return map[string]resource.PropertyValue{"result": resource.MakeSecret(resource.NewProperty(fakeToken(args.Name, n)))}
	}
	return nil
}

// mockID is an ARM-shaped id for Azure resources and a plain one for everything else.
func mockID(args pulumi.MockResourceArgs) string {
	if !strings.HasPrefix(args.TypeToken, "azure-native:") {
		return args.Name + "-id"
	}
	rg := "rg"
	if v, ok := args.Inputs["resourceGroupName"]; ok && v.IsString() {
		rg = v.StringValue()
	}
	if typeName(args.TypeToken) == "ResourceGroup" {
		return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s", fakeSubscription, azureName(args))
	}
	return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.%s/%s/%s",
		fakeSubscription, rg, module(args.TypeToken), typeName(args.TypeToken), azureName(args))
}

// azureName is the resource's Azure name: the input that names it, or its logical name.
func azureName(args pulumi.MockResourceArgs) string {
	t := typeName(args.TypeToken)
	// The resource's own name field comes first; the names of parents (server, vault,
	// account) only when a resource has no name field of its own.
	own := []string{strings.ToLower(t[:1]) + t[1:] + "Name", "vmExtensionName", "configName", "policyName",
		"protectedItemName", "lockName", "associationName", "ruleName", "webTestName", "actionGroupName",
		"budgetName", "taskRunName", "blobName", "databaseName", "configurationName", "publicIpAddressName",
		"diskName", "vmName", "resourceName"}
	parents := []string{"containerName", "serverName", "vaultName", "accountName"}
	for _, k := range append(own, parents...) {
		if v, ok := args.Inputs[resource.PropertyKey(k)]; ok && v.IsString() && v.StringValue() != "" {
			return v.StringValue()
		}
	}
	return args.Name
}

// typeName is the last part of a type token ("azure-native:compute:Disk" -> "Disk").
func typeName(token string) string {
	return token[strings.LastIndex(token, ":")+1:]
}

// module is the middle part of a type token, without an API version.
func module(token string) string {
	parts := strings.Split(token, ":")
	if len(parts) < 3 {
		return ""
	}
	m, _, _ := strings.Cut(parts[1], "/")
	return m
}

func fakeGUID(seed string) string {
	h := sha256.Sum256([]byte(seed))
	s := hex.EncodeToString(h[:16])
	return s[0:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:32]
}

// fakeToken is a deterministic lowercase alphanumeric string of length n.
func fakeToken(seed string, n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	h := sha256.Sum256([]byte(seed))
	out := make([]byte, n)
	for i := range out {
		out[i] = alphabet[int(h[i%len(h)])%len(alphabet)]
	}
	return string(out)
}
