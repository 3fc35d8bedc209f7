// Tests of the SSH public key and TLS certificate checks, with real keys and certificates.
package config

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"testing"
	"time"
)

func TestCheckSSHPublicKey(t *testing.T) {
	const msgTypes = "key type must be one of ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521"
	b64 := func(parts ...[]byte) string {
		var blob []byte
		for _, p := range parts {
			blob = append(blob, p...)
		}
		return base64.StdEncoding.EncodeToString(blob)
	}
	edBody := b64(sshString([]byte("ssh-ed25519")), sshString(keys.ed25519Pub))
	// A length prefix promising more bytes than follow.
	truncated := b64([]byte{0, 0, 0, 20}, []byte("ssh-ed25519"))
	tests := []struct {
		name string
		line string
		want string
	}{
		{"ed25519", keys.sshEd25519, ""},
		{"ed25519 without comment", "ssh-ed25519 " + edBody, ""},
		{"rsa 3072", sshRSALine(keys.rsa3072), ""},
		{"ecdsa p256", sshECDSALine(t, keys.ecdsaSSHKey), ""},
		{"rsa 2048", sshRSALine(keys.rsa2048), "RSA keys must have at least 3072 bits"},
		{"type only", "ssh-ed25519", `must be one OpenSSH public key line: "<type> <base64> [comment]"`},
		{"empty", "", `must be one OpenSSH public key line: "<type> <base64> [comment]"`},
		{"private key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
			"looks like a private key; give the .pub file"},
		{"dss", "ssh-dss " + edBody, msgTypes},
		{"type in upper case", "SSH-ED25519 " + edBody, msgTypes},
		{"body not base64", "ssh-ed25519 !!!notbase64!!!", "the key body is not base64"},
		{"body of another type", "ssh-rsa " + edBody, "the key body does not match its type ssh-rsa"},
		{"truncated body", "ssh-ed25519 " + truncated, "the key body does not match its type ssh-ed25519"},
		{"body shorter than a length", "ssh-ed25519 " + b64([]byte{0, 1}), "the key body does not match its type ssh-ed25519"},
		{"rsa without modulus", "ssh-rsa " + b64(sshString([]byte("ssh-rsa")), sshMPInt(big.NewInt(65537))), "the RSA key body is malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := checkSSHPublicKey(tt.line); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestValidateSSHPublicKey checks how the SSH key's problems are reported by Load.
func TestValidateSSHPublicKey(t *testing.T) {
	rsa2048 := sshRSALine(keys.rsa2048)
	runProblemCases(t, []problemCase{
		{name: "rsa 3072", set: map[string]string{"sshPublicKey": sshRSALine(keys.rsa3072)}},
		{name: "missing", set: map[string]string{"sshPublicKey": unset},
			want: Problems{{Key: "sshPublicKey", Msg: `is required: pulumi config set sshPublicKey "$(cat ~/.ssh/id_ed25519.pub)"`}}},
		{name: "empty", set: map[string]string{"sshPublicKey": ""},
			want: Problems{{Key: "sshPublicKey", Msg: `is required: pulumi config set sshPublicKey "$(cat ~/.ssh/id_ed25519.pub)"`}}},
		{name: "short value shown whole", set: map[string]string{"sshPublicKey": "ssh-ed25519"},
			want: Problems{{Key: "sshPublicKey", Value: "ssh-ed25519", Msg: `must be one OpenSSH public key line: "<type> <base64> [comment]"`}}},
		{name: "long value shortened", set: map[string]string{"sshPublicKey": rsa2048},
			want: Problems{{Key: "sshPublicKey", Value: rsa2048[:37] + "...", Msg: "RSA keys must have at least 3072 bits"}}},
	})
}

func TestValidateTLS(t *testing.T) {
	const msgNotCovered = "is not covered by tlsCertificate (it covers "
	later := certNotAfter.AddDate(1, 0, 0)
	wildcard := keys.wildcardPEM
	garbageBlock := func(typ string) string {
		return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: []byte(secretMarker)}))
	}
	rsaCert := mustCert(t, keys.rsa2048, certNotAfter, testHost)
	pkcs1 := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(keys.rsa2048)}))
	sec1DER, err := x509.MarshalECPrivateKey(keys.tlsKey)
	if err != nil {
		t.Fatalf("marshal EC key: %v", err)
	}
	sec1 := string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1DER}))
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatalf("ed25519 key: %v", err)
	}
	edCert := mustCert(t, edKey, certNotAfter, testHost)
	edKeyPEM, err := pkcs8PEM(edKey)
	if err != nil {
		t.Fatalf("marshal ed25519 key: %v", err)
	}
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatalf("p384 key: %v", err)
	}
	otherCert := mustCert(t, p384, certNotAfter, "other.example.org")

	tests := []struct {
		name string
		set  map[string]string
		now  time.Time // zero: testNow
		want Problems
	}{
		{name: "ecdsa PKCS#8"},
		{name: "rsa PKCS#1", set: map[string]string{"tlsCertificate": rsaCert, "tlsPrivateKey": pkcs1}},
		{name: "ec SEC 1", set: map[string]string{"tlsPrivateKey": sec1}},
		{name: "ed25519 PKCS#8", set: map[string]string{"tlsCertificate": edCert, "tlsPrivateKey": edKeyPEM}},
		{name: "chain with the leaf first", set: map[string]string{"tlsCertificate": keys.certPEM + otherCert}},
		{name: "chain with the leaf last", set: map[string]string{"tlsCertificate": otherCert + keys.certPEM},
			want: Problems{
				{Key: "tlsPrivateKey", Msg: "does not belong to the first certificate in tlsCertificate"},
				{Key: "sites[0].hosts[0]", Value: testHost, Msg: msgNotCovered + "other.example.org)"},
			}},
		{name: "certificate missing", set: map[string]string{"tlsCertificate": unset},
			want: Problems{{Key: "tlsCertificate", Msg: "is required with tls.mode provided: pulumi config set --secret tlsCertificate < fullchain.pem"}}},
		{name: "key missing", set: map[string]string{"tlsPrivateKey": unset},
			want: Problems{{Key: "tlsPrivateKey", Msg: "is required with tls.mode provided: pulumi config set --secret tlsPrivateKey < privkey.pem"}}},
		{name: "both missing, tls.mode provided", set: map[string]string{"tlsCertificate": unset, "tlsPrivateKey": unset, "tls": `{"mode":"provided"}`},
			want: Problems{
				{Key: "tlsCertificate", Msg: "is required with tls.mode provided: pulumi config set --secret tlsCertificate < fullchain.pem"},
				{Key: "tlsPrivateKey", Msg: "is required with tls.mode provided: pulumi config set --secret tlsPrivateKey < privkey.pem"},
			}},
		{name: "certificate not PEM", set: map[string]string{"tlsCertificate": "not a certificate " + secretMarker},
			want: Problems{{Key: "tlsCertificate", Msg: "must be a PEM certificate chain starting with -----BEGIN CERTIFICATE-----"}}},
		{name: "key given as certificate", set: map[string]string{"tlsCertificate": keys.keyPEM},
			want: Problems{{Key: "tlsCertificate", Msg: "must be a PEM certificate chain starting with -----BEGIN CERTIFICATE-----"}}},
		{name: "certificate PEM of garbage", set: map[string]string{"tlsCertificate": garbageBlock("CERTIFICATE")},
			want: Problems{{Key: "tlsCertificate", Msg: "the first certificate does not parse as X.509"}}},
		{name: "key not PEM", set: map[string]string{"tlsPrivateKey": "not a key " + secretMarker},
			want: Problems{{Key: "tlsPrivateKey", Msg: "must be a PEM private key (-----BEGIN PRIVATE KEY----- or RSA/EC PRIVATE KEY)"}}},
		{name: "key PEM of garbage", set: map[string]string{"tlsPrivateKey": garbageBlock("PRIVATE KEY")},
			want: Problems{{Key: "tlsPrivateKey", Msg: "is not an unencrypted PKCS#8, PKCS#1 or EC private key"}}},
		{name: "certificate given as key", set: map[string]string{"tlsPrivateKey": keys.certPEM},
			want: Problems{{Key: "tlsPrivateKey", Msg: "is not an unencrypted PKCS#8, PKCS#1 or EC private key"}}},
		{name: "key of another certificate", set: map[string]string{"tlsPrivateKey": keys.otherKeyPEM},
			want: Problems{{Key: "tlsPrivateKey", Msg: "does not belong to the first certificate in tlsCertificate"}}},
		{name: "rsa key with ecdsa certificate", set: map[string]string{"tlsPrivateKey": pkcs1},
			want: Problems{{Key: "tlsPrivateKey", Msg: "does not belong to the first certificate in tlsCertificate"}}},
		{name: "valid until the last second", now: certNotAfter},
		{name: "expired", now: certNotAfter.Add(time.Second),
			want: Problems{{Key: "tlsCertificate", Msg: "expired on 2027-01-01"}}},
		{name: "expired long ago", now: later,
			want: Problems{{Key: "tlsCertificate", Msg: "expired on 2027-01-01"}}},
		{name: "host not covered", set: map[string]string{"sites": site("blog", "news.example.org", "blog")},
			want: Problems{{Key: "sites[0].hosts[0]", Value: "news.example.org", Msg: msgNotCovered + testHost + ")"}}},
		{name: "second host not covered", set: map[string]string{
			"sites": `[{"name":"blog","hosts":["blog.example.com","www.blog.example.com"],"database":"blog"}]`},
			want: Problems{{Key: "sites[0].hosts[1]", Value: "www.blog.example.com", Msg: msgNotCovered + testHost + ")"}}},
		{name: "certificate with every host", set: map[string]string{
			"tlsCertificate": mustCert(t, keys.tlsKey, certNotAfter, testHost, "tech.example.org"),
			"sites": `[{"name":"blog","hosts":["blog.example.com"],"database":"blog"},` +
				`{"name":"tech","hosts":["tech.example.org"],"database":"tech"}]`,
			"ingress": `{"replicas":1}`}},
		{name: "wildcard covers a subdomain", set: map[string]string{
			"tlsCertificate": wildcard, "sites": site("tech", "tech.example.com", "tech")}},
		{name: "wildcard does not cover two levels", set: map[string]string{
			"tlsCertificate": wildcard, "sites": site("tech", "a.b.example.com", "tech")},
			want: Problems{{Key: "sites[0].hosts[0]", Value: "a.b.example.com", Msg: msgNotCovered + "*.example.com)"}}},
		{name: "wildcard does not cover the apex", set: map[string]string{
			"tlsCertificate": wildcard, "sites": site("apex", "example.com", "apex")},
			want: Problems{{Key: "sites[0].hosts[0]", Value: "example.com", Msg: msgNotCovered + "*.example.com)"}}},
		{name: "key, expiry and hosts reported together", now: later, set: map[string]string{
			"tlsPrivateKey": keys.otherKeyPEM, "sites": site("blog", "news.example.org", "blog")},
			want: Problems{
				{Key: "tlsPrivateKey", Msg: "does not belong to the first certificate in tlsCertificate"},
				{Key: "tlsCertificate", Msg: "expired on 2027-01-01"},
				{Key: "sites[0].hosts[0]", Value: "news.example.org", Msg: msgNotCovered + testHost + ")"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.now.IsZero() {
				now = func() time.Time { return tt.now }
				t.Cleanup(func() { now = func() time.Time { return testNow } })
			}
			got := loadWith(t, tt.set)
			assertProblems(t, got, tt.want)
		})
	}
}
