package plan

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/example/wordpress-aks/config"
	"github.com/example/wordpress-aks/infra"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag/colors"
	pconfig "github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"gopkg.in/yaml.v3"
)

// envPassphrase is the variable the Pulumi CLI reads the passphrase secrets provider's
// passphrase from; with it the plan decrypts the stack's secrets as `pulumi up` would.
const envPassphrase = "PULUMI_CONFIG_PASSPHRASE"

// Credential keys a user sets once per machine rather than committing; a plan fills them with
// generated stand-ins when the stack file lacks them (unless strict).
const (
	keySSHPublicKey   = "sshPublicKey"
	keyTLSCertificate = "tlsCertificate"
	keyTLSPrivateKey  = "tlsPrivateKey"
)

// ReadStack reads Pulumi.yaml and Pulumi.<stack>.yaml the way the Pulumi CLI does before it
// starts the program: stack values, then project defaults for keys the stack does not set, and
// required keys it lacks left for the program's validation to report. It returns the config as the program would receive it,
// the project name, and the keys it filled with placeholders.
func ReadStack(root, stack string, strict bool) (config.Source, string, []string, error) {
	var err error
	if root == "" {
		if root, err = infra.ProjectRoot(); err != nil {
			return config.Source{}, "", nil, err
		}
	}
	project, err := workspace.LoadProject(filepath.Join(root, "Pulumi.yaml"))
	if err != nil {
		return config.Source{}, "", nil, fmt.Errorf("read Pulumi.yaml: %w", err)
	}
	stackPath := filepath.Join(root, "Pulumi."+stack+".yaml")
	if _, err := os.Stat(stackPath); err != nil {
		return config.Source{}, "", nil, fmt.Errorf("no stack file for stack %q: %w", stack, err)
	}
	sink := diag.DefaultSink(io.Discard, io.Discard, diag.FormatOptions{Color: colors.Never})
	ps, err := workspace.LoadProjectStack(sink, project, stackPath)
	if err != nil {
		return config.Source{}, "", nil, fmt.Errorf("read %s: %w", filepath.Base(stackPath), err)
	}
	name := project.Name.String()
	dec, decrypting, err := decrypter(ps.EncryptionSalt)
	if err != nil {
		return config.Source{}, "", nil, err
	}

	raw, err := os.ReadFile(stackPath)
	if err != nil {
		return config.Source{}, "", nil, fmt.Errorf("read %s: %w", filepath.Base(stackPath), err)
	}
	unquoted, err := unquotedScalars(raw, name)
	if err != nil {
		return config.Source{}, "", nil, fmt.Errorf("read %s: %w", filepath.Base(stackPath), err)
	}
	src := config.Source{Values: map[string]string{}, SecretKeys: map[string]bool{}, Unquoted: unquoted}
	undecrypted := map[string]bool{}
	for key, value := range ps.Config {
		full := key.String()
		v, err := value.Value(dec)
		if err != nil {
			return config.Source{}, "", nil, fmt.Errorf("read %s: %w", full, err)
		}
		src.Values[full] = v
		if value.Secure() {
			src.SecretKeys[full] = true
			if !decrypting {
				undecrypted[key.Name()] = true
			}
		}
	}
	var missing []string
	for key, decl := range project.Config {
		full := name + ":" + key
		if strings.Contains(key, ":") {
			full = key
		}
		if _, ok := src.Values[full]; ok {
			continue
		}
		if decl.Default == nil {
			missing = append(missing, key)
			continue
		}
		v, err := defaultString(decl.Default)
		if err != nil {
			return config.Source{}, "", nil, fmt.Errorf("default of %s in Pulumi.yaml: %w", key, err)
		}
		src.Values[full] = v
	}

	if strict && len(undecrypted) > 0 {
		// A stand-in would let the check pass on a value pulumi up never sees.
		return config.Source{}, "", nil, fmt.Errorf("%s %s encrypted and %s is not set: a strict plan checks the values pulumi up will use, so export the stack's passphrase first",
			strings.Join(sortedSet(undecrypted), ", "), isAre(len(undecrypted)), envPassphrase)
	}
	placeholders, err := fillCredentials(name, &src, missing, undecrypted, strict)
	if err != nil {
		return config.Source{}, "", nil, err
	}
	// Other required keys stay unset: the program's own validation names them (and a misspelt
	// key next to them) better than a bare "missing" would.
	return src, name, placeholders, nil
}

// decrypter returns the stack's real decrypter when the passphrase is in the environment, and
// one that turns every secret into "[secret]" otherwise.
func decrypter(salt string) (pconfig.Decrypter, bool, error) {
	phrase, ok := os.LookupEnv(envPassphrase)
	if !ok || salt == "" {
		return pconfig.NewBlindingDecrypter(), false, nil
	}
	// The passphrase provider's state is "v1:<base64 salt>:<'pulumi' encrypted with the key>".
	parts := strings.SplitN(salt, ":", 3)
	if len(parts) != 3 || parts[0] != "v1" {
		return nil, false, fmt.Errorf("encryptionsalt: unknown format")
	}
	rawSalt, err := base64.StdEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, false, fmt.Errorf("encryptionsalt: %w", err)
	}
	crypter := pconfig.NewSymmetricCrypterFromPassphrase(phrase, rawSalt)
	check, err := crypter.DecryptValue(context.Background(), parts[2])
	if err != nil || check != "pulumi" {
		return nil, false, fmt.Errorf("%s does not decrypt this stack's secrets", envPassphrase)
	}
	return crypter, true, nil
}

// defaultString renders a Pulumi.yaml default the way the CLI passes it to the program.
func defaultString(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case bool, int, int64, float64:
		return fmt.Sprint(x), nil
	}
	b, err := json.Marshal(simplify(v))
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// simplify turns YAML's map[any]any into JSON-encodable maps.
func simplify(v any) any {
	switch x := v.(type) {
	case map[any]any:
		out := map[string]any{}
		for k, e := range x {
			out[fmt.Sprint(k)] = simplify(e)
		}
		return out
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			out[k] = simplify(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = simplify(e)
		}
		return out
	}
	return v
}

// fillCredentials puts generated stand-ins where the stack lacks the per-machine credentials
// or holds them encrypted without the passphrase at hand. A value the stack file holds in a form
// the plan can read is never replaced: a plaintext tlsPrivateKey stays for the program to refuse
// (a secret in plain text is refused, strict or not), and the certificate and its key are
// stood in for only as a pair, since a stand-in certificate matches no real key.
func fillCredentials(project string, src *config.Source, missing []string, undecrypted map[string]bool, strict bool) ([]string, error) {
	need := func(k string) bool { return slices.Contains(missing, k) || undecrypted[k] }
	var filled []string
	if strict {
		return nil, nil
	}
	if need(keySSHPublicKey) {
		key, err := placeholderSSHKey()
		if err != nil {
			return nil, err
		}
		src.Values[project+":"+keySSHPublicKey] = key
		filled = append(filled, keySSHPublicKey)
	}
	if need(keyTLSCertificate) && need(keyTLSPrivateKey) {
		hosts, err := siteHosts(src.Values[project+":sites"])
		if err != nil {
			return nil, err
		}
		cert, key, err := placeholderCertificate(hosts)
		if err != nil {
			return nil, err
		}
		for k, v := range map[string]string{keyTLSCertificate: cert, keyTLSPrivateKey: key} {
			src.Values[project+":"+k] = v
			src.SecretKeys[project+":"+k] = true
			filled = append(filled, k)
		}
	}
	sort.Strings(filled)
	return filled, nil
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// unquotedScalars finds the project's config values that YAML types as numbers or booleans
// (kubernetesVersion: 1.40 is the float 1.4), by config path without the namespace, with the
// text the file has. The engine passes them on as strings with no trace of their type, so only
// the file itself tells.
func unquotedScalars(file []byte, project string) (map[string]string, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(file, &doc); err != nil {
		return nil, err
	}
	out := map[string]string{}
	if len(doc.Content) == 0 {
		return out, nil
	}
	cfg := mappingValue(doc.Content[0], "config")
	if cfg == nil || cfg.Kind != yaml.MappingNode {
		return out, nil
	}
	var walk func(path string, n *yaml.Node)
	walk = func(path string, n *yaml.Node) {
		switch n.Kind {
		case yaml.ScalarNode:
			if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 &&
				(n.Tag == "!!int" || n.Tag == "!!float" || n.Tag == "!!bool") {
				out[path] = n.Value
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				walk(path+"."+n.Content[i].Value, n.Content[i+1])
			}
		case yaml.SequenceNode:
			for i, e := range n.Content {
				walk(fmt.Sprintf("%s[%d]", path, i), e)
			}
		}
	}
	for i := 0; i+1 < len(cfg.Content); i += 2 {
		ns, key, ok := strings.Cut(cfg.Content[i].Value, ":")
		if ok && ns == project {
			walk(key, cfg.Content[i+1])
		}
	}
	return out, nil
}

// mappingValue returns the value node of key in a YAML mapping, or nil.
func mappingValue(m *yaml.Node, key string) *yaml.Node {
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// siteHosts lists every host of the sites value, for the placeholder certificate.
func siteHosts(sitesJSON string) ([]string, error) {
	var sites []struct {
		Hosts []string `json:"hosts"`
	}
	if sitesJSON == "" {
		return nil, nil
	}
	if err := json.Unmarshal([]byte(sitesJSON), &sites); err != nil {
		// The program reports a malformed sites value with its path; the certificate just
		// covers nothing then.
		return nil, nil
	}
	var hosts []string
	for _, s := range sites {
		hosts = append(hosts, s.Hosts...)
	}
	return hosts, nil
}

// placeholderSSHKey is a fresh ed25519 public key line in OpenSSH format.
func placeholderSSHKey() (string, error) {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", err
	}
	var blob []byte
	for _, part := range [][]byte{[]byte("ssh-ed25519"), pub} {
		blob = binary.BigEndian.AppendUint32(blob, uint32(len(part)))
		blob = append(blob, part...)
	}
	return "ssh-ed25519 " + base64.StdEncoding.EncodeToString(blob) + " plan-placeholder", nil
}

// placeholderCertificate is a throwaway self-signed certificate for hosts, valid for a day.
func placeholderCertificate(hosts []string) (string, string, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", "", err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "plan placeholder"},
		DNSNames:     hosts,
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return "", "", err
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", "", err
	}
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	priv := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})
	return string(cert), string(priv), nil
}
