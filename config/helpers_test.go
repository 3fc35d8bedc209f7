// Shared fixtures of the config tests: a complete valid stack, real keys and certificates made at
// start-up, and the helpers that load a variation of it and compare the problems it reports.
package config

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/binary"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"strings"
	"testing"
	"time"
)

const (
	testProject = "wordpress-aks"
	testStack   = "prod"
	// secretMarker is a distinctive value put into secrets (including invalid PEM) so that a
	// leak into an error text is easy to spot.
	secretMarker = "s3cr3t-MARKER-9f1c2e"
	testHost     = "blog.example.com"
)

// Fixed clock: the base certificate is valid from certNotBefore to certNotAfter and testNow lies
// in between.
var (
	certNotBefore = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	certNotAfter  = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	testNow       = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
)

// keys holds every key and certificate the tests use; TestMain makes them once.
var keys struct {
	tlsKey      *ecdsa.PrivateKey // key of certPEM
	otherKey    *ecdsa.PrivateKey // belongs to no certificate
	rsa2048     *rsa.PrivateKey
	rsa3072     *rsa.PrivateKey
	ed25519Pub  ed25519.PublicKey
	ecdsaSSHKey *ecdsa.PrivateKey

	certPEM     string // covers testHost, valid certNotBefore..certNotAfter
	wildcardPEM string // covers *.example.com with tlsKey
	keyPEM      string // PKCS#8 of tlsKey
	otherKeyPEM string // PKCS#8 of otherKey

	sshEd25519 string // authorized_keys line
}

func TestMain(m *testing.M) {
	if err := makeKeys(); err != nil {
		fmt.Fprintln(os.Stderr, "make test keys:", err)
		os.Exit(1)
	}
	now = func() time.Time { return testNow }
	os.Exit(m.Run())
}

func makeKeys() error {
	var err error
	if keys.tlsKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		return err
	}
	if keys.otherKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		return err
	}
	if keys.ecdsaSSHKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		return err
	}
	if keys.rsa2048, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		return err
	}
	if keys.rsa3072, err = rsa.GenerateKey(rand.Reader, 3072); err != nil {
		return err
	}
	if keys.ed25519Pub, _, err = ed25519.GenerateKey(rand.Reader); err != nil {
		return err
	}
	if keys.certPEM, err = makeCert(keys.tlsKey, certNotAfter, testHost); err != nil {
		return err
	}
	if keys.wildcardPEM, err = makeCert(keys.tlsKey, certNotAfter, "*.example.com"); err != nil {
		return err
	}
	if keys.keyPEM, err = pkcs8PEM(keys.tlsKey); err != nil {
		return err
	}
	if keys.otherKeyPEM, err = pkcs8PEM(keys.otherKey); err != nil {
		return err
	}
	keys.sshEd25519 = sshLine("ssh-ed25519", sshString([]byte("ssh-ed25519")), sshString(keys.ed25519Pub))
	return nil
}

// makeCert returns a self-signed PEM certificate for hosts, valid from certNotBefore to notAfter.
func makeCert(key crypto.Signer, notAfter time.Time, hosts ...string) (string, error) {
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: hosts[0]},
		DNSNames:     hosts,
		NotBefore:    certNotBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})), nil
}

func pkcs8PEM(key crypto.Signer) (string, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), nil
}

// mustCert is makeCert for use inside a test.
func mustCert(t *testing.T, key crypto.Signer, notAfter time.Time, hosts ...string) string {
	t.Helper()
	s, err := makeCert(key, notAfter, hosts...)
	if err != nil {
		t.Fatalf("make certificate: %v", err)
	}
	return s
}

// sshString is an SSH wire-format string (RFC 4251): a 4-byte big-endian length, then the bytes.
func sshString(b []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(b)))
	return append(out, b...)
}

// sshMPInt is an SSH mpint: two's complement, a leading zero byte when the top bit is set.
func sshMPInt(n *big.Int) []byte {
	b := n.Bytes()
	if len(b) > 0 && b[0]&0x80 != 0 {
		b = append([]byte{0}, b...)
	}
	return sshString(b)
}

// sshLine joins wire-format parts into an authorized_keys line with a comment.
func sshLine(typ string, parts ...[]byte) string {
	var blob []byte
	for _, p := range parts {
		blob = append(blob, p...)
	}
	return typ + " " + base64.StdEncoding.EncodeToString(blob) + " tester@example"
}

func sshRSALine(k *rsa.PrivateKey) string {
	return sshLine("ssh-rsa", sshString([]byte("ssh-rsa")), sshMPInt(big.NewInt(int64(k.E))), sshMPInt(k.N))
}

func sshECDSALine(t *testing.T, k *ecdsa.PrivateKey) string {
	t.Helper()
	pub, err := k.PublicKey.ECDH()
	if err != nil {
		t.Fatalf("ecdh public key: %v", err)
	}
	return sshLine("ecdsa-sha2-nistp256", sshString([]byte("ecdsa-sha2-nistp256")), sshString([]byte("nistp256")), sshString(pub.Bytes()))
}

// secretKeys are the config keys of the Secret fields.
var secretKeys = map[string]bool{"tlsCertificate": true, "tlsPrivateKey": true, "smtpPassword": true}

// baseValues is a complete valid stack: one site with a certificate and key covering its host,
// and an ed25519 SSH key. Keys have no namespace; every other setting is the default.
func baseValues() map[string]string {
	return map[string]string{
		"location":       "japaneast",
		"sshPublicKey":   keys.sshEd25519,
		"sites":          `[{"name":"blog","hosts":["` + testHost + `"],"database":"blog"}]`,
		"tlsCertificate": keys.certPEM,
		"tlsPrivateKey":  keys.keyPEM,
	}
}

// unset removes a key from the base stack when used as an override value.
const unset = "\x00unset"

// source builds the Source the engine would pass for baseValues with overrides applied, putting
// each key into the project's namespace and marking the Secret fields as secret.
func source(overrides map[string]string) Source {
	values := baseValues()
	for k, v := range overrides {
		if v == unset {
			delete(values, k)
			continue
		}
		values[k] = v
	}
	src := Source{Values: map[string]string{}, SecretKeys: map[string]bool{}}
	for k, v := range values {
		full := k
		if !strings.Contains(k, ":") {
			full = testProject + ":" + k
		}
		src.Values[full] = v
		if secretKeys[k] {
			src.SecretKeys[full] = true
		}
	}
	return src
}

// load runs Load and returns its problems (nil when it succeeds). Every error text is checked
// for secrets.
func load(t *testing.T, stack string, src Source) (Config, Problems) {
	t.Helper()
	cfg, err := Load(testProject, stack, src)
	if err == nil {
		return cfg, nil
	}
	assertNoSecret(t, err.Error(), secretValues(src)...)
	var probs Problems
	if !errors.As(err, &probs) {
		t.Fatalf("Load error is %T, want Problems: %v", err, err)
	}
	return cfg, probs
}

// loadWith loads the base stack named testStack with overrides and returns its problems.
func loadWith(t *testing.T, overrides map[string]string) Problems {
	t.Helper()
	_, probs := load(t, testStack, source(overrides))
	return probs
}

// secretValues returns the values src holds for Secret fields or marks as secret.
func secretValues(src Source) []string {
	var out []string
	for full, v := range src.Values {
		_, key, _ := strings.Cut(full, ":")
		if secretKeys[key] || src.SecretKeys[full] {
			out = append(out, v)
		}
	}
	return out
}

// assertNoSecret fails when text contains the secret marker, a line of the test keys and
// certificates, or a line of any of the extra secret values.
func assertNoSecret(t *testing.T, text string, extra ...string) {
	t.Helper()
	secrets := []string{secretMarker}
	for _, v := range append([]string{keys.keyPEM, keys.otherKeyPEM, keys.certPEM, keys.wildcardPEM}, extra...) {
		for _, line := range strings.Split(v, "\n") {
			line = strings.TrimSpace(line)
			if len(line) >= 8 && !strings.HasPrefix(line, "-----") {
				secrets = append(secrets, line)
			}
		}
	}
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("error text contains the secret value %q:\n%s", s, text)
		}
	}
}

// assertProblems compares problem lists exactly, in order.
func assertProblems(t *testing.T, got, want Problems) {
	t.Helper()
	if len(got) == len(want) {
		same := true
		for i := range got {
			if got[i] != want[i] {
				same = false
				break
			}
		}
		if same {
			return
		}
	}
	t.Errorf("problems differ\ngot:\n%s\nwant:\n%s", listProblems(got), listProblems(want))
}

func listProblems(ps Problems) string {
	if len(ps) == 0 {
		return "  (none)"
	}
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "  %#v\n", p)
	}
	return b.String()
}

// problemCase is one variation of the base stack and the problems it must produce.
type problemCase struct {
	name string
	set  map[string]string
	want Problems
	// bug, when set, names a known bug in config/*.go that makes this case fail today; the
	// case is skipped with that reason until the bug is fixed.
	bug string
}

// runProblemCases loads each case's variation of the base stack and compares its problems.
func runProblemCases(t *testing.T, tests []problemCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.bug != "" {
				t.Skip("known bug: " + tt.bug)
			}
			got := loadWith(t, tt.set)
			assertProblems(t, got, tt.want)
		})
	}
}

// site returns the JSON of a sites list holding one site.
func site(name, host, database string) string {
	return `[{"name":"` + name + `","hosts":["` + host + `"],"database":"` + database + `"}]`
}

// with returns overrides with key set to value as well.
func with(overrides map[string]string, key, value string) map[string]string {
	out := map[string]string{key: value}
	for k, v := range overrides {
		out[k] = v
	}
	return out
}
