package config

import (
	"strings"
	"testing"
)

// noCert is the base stack without a certificate: a new stack, which means letsencrypt.
var noCert = map[string]string{"tlsCertificate": unset, "tlsPrivateKey": unset}

func TestValidateTLSMode(t *testing.T) {
	const msgEmail = "is required when tls.mode is letsencrypt: the ACME account address Let's Encrypt writes to about expiring certificates (or set tls.mode provided with tlsCertificate and tlsPrivateKey)"
	runProblemCases(t, []problemCase{
		{name: "provided by default when the stack holds a certificate"},
		{name: "letsencrypt by default without a certificate, with an email",
			set: with(noCert, "tls", `{"email":"ops@example.com"}`)},
		{name: "letsencrypt by default without a certificate needs an email", set: noCert,
			want: Problems{{Key: "tls.email", Msg: "is required when tls.mode is empty and tlsCertificate is not set (which means letsencrypt): the ACME account address Let's Encrypt writes to about expiring certificates (or set tls.mode provided with tlsCertificate and tlsPrivateKey)"}}},
		{name: "letsencrypt needs an email", set: map[string]string{"tls": `{"mode":"letsencrypt"}`},
			want: Problems{{Key: "tls.email", Msg: msgEmail}}},
		{name: "letsencrypt email must be an address", set: map[string]string{"tls": `{"mode":"letsencrypt","email":"ops.example.com"}`},
			want: Problems{{Key: "tls.email", Value: "ops.example.com", Msg: "must be an email address"}}},
		{name: "letsencrypt ignores a certificate still in the stack",
			set: map[string]string{"tls": `{"mode":"letsencrypt","email":"ops@example.com","staging":true}`}},
		{name: "provided needs the certificate and the key",
			set: with(noCert, "tls", `{"mode":"provided"}`),
			want: Problems{
				{Key: "tlsCertificate", Msg: "is required with tls.mode provided: pulumi config set --secret tlsCertificate < fullchain.pem"},
				{Key: "tlsPrivateKey", Msg: "is required with tls.mode provided: pulumi config set --secret tlsPrivateKey < privkey.pem"},
			}},
		{name: "a key without its certificate stays provided", set: map[string]string{"tlsCertificate": unset},
			want: Problems{{Key: "tlsCertificate", Msg: "is required with tls.mode provided: pulumi config set --secret tlsCertificate < fullchain.pem"}}},
		{name: "unknown mode", set: map[string]string{"tls": `{"mode":"acme"}`},
			want: Problems{{Key: "tls.mode", Value: "acme", Msg: "must be provided or letsencrypt (or empty: provided when tlsCertificate is set, else letsencrypt)"}}},
		{name: "chart version not exact", set: map[string]string{"tls": `{"certManagerChartVersion":"1.21"}`},
			want: Problems{{Key: "tls.certManagerChartVersion", Value: "1.21", Msg: `must be an exact chart version such as "v1.21.2"`}}},
		{name: "wildcard host with letsencrypt is refused with the reason",
			set:  map[string]string{"tls": `{"mode":"letsencrypt","email":"ops@example.com"}`, "sites": site("blog", "*.example.com", "blog")},
			want: Problems{{Key: "sites[0].hosts[0]", Value: "*.example.com", Msg: "is a wildcard: Let's Encrypt issues wildcard certificates only over DNS-01, which this program does not run (it would need a long-lived DNS credential in the cluster); list each host, or use tls.mode provided with a wildcard tlsCertificate"}}},
		{name: "more names than a Let's Encrypt certificate takes",
			set:  map[string]string{"tls": `{"mode":"letsencrypt","email":"ops@example.com"}`, "sites": manyHosts(101)},
			want: Problems{{Key: "sites[0].hosts", Msg: "lists 101 names; a Let's Encrypt certificate covers at most 100"}}},
	})
}

// manyHosts is a one-site list with n hosts.
func manyHosts(n int) string {
	hosts := make([]string, n)
	for i := range hosts {
		hosts[i] = `"h` + strings.Repeat("x", i%3) + itoa(i) + `.example.com"`
	}
	return `[{"name":"blog","hosts":[` + strings.Join(hosts, ",") + `],"database":"blog"}]`
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

func TestValidateEdge(t *testing.T) {
	allow := func(cidrs string) map[string]string {
		return map[string]string{"sites": `[{"name":"blog","hosts":["` + testHost + `"],"database":"blog","adminAllowCidrs":` + cidrs + `}]`}
	}
	runProblemCases(t, []problemCase{
		{name: "defaults"},
		{name: "every setting in range", set: map[string]string{"edge": `{"loginRatePerMinute":600,"loginBurst":0,"xmlrpcRatePerMinute":1,"xmlrpcBurst":100,"hstsMaxAgeSeconds":31536000,"referrerPolicy":"no-referrer","blockAuthorScan":false}`}},
		{name: "login rate of 0", set: map[string]string{"edge": `{"loginRatePerMinute":0}`},
			want: Problems{{Key: "edge.loginRatePerMinute", Value: "0", Msg: "must be between 1 and 600"}}},
		{name: "login burst above 100", set: map[string]string{"edge": `{"loginBurst":101}`},
			want: Problems{{Key: "edge.loginBurst", Value: "101", Msg: "must be between 0 and 100"}}},
		{name: "negative xmlrpc burst", set: map[string]string{"edge": `{"xmlrpcBurst":-1}`},
			want: Problems{{Key: "edge.xmlrpcBurst", Value: "-1", Msg: "must be between 0 and 100"}}},
		{name: "xmlrpc rate above 600", set: map[string]string{"edge": `{"xmlrpcRatePerMinute":601}`},
			want: Problems{{Key: "edge.xmlrpcRatePerMinute", Value: "601", Msg: "must be between 1 and 600"}}},
		{name: "HSTS max-age too short to mean anything", set: map[string]string{"edge": `{"hstsMaxAgeSeconds":60}`},
			want: Problems{{Key: "edge.hstsMaxAgeSeconds", Value: "60", Msg: "must be 0 (no HSTS header) or 300-63072000 seconds"}}},
		{name: "HSTS max-age above two years", set: map[string]string{"edge": `{"hstsMaxAgeSeconds":63072001}`},
			want: Problems{{Key: "edge.hstsMaxAgeSeconds", Value: "63072001", Msg: "must be 0 (no HSTS header) or 300-63072000 seconds"}}},
		{name: "referrer policy not in the spec", set: map[string]string{"edge": `{"referrerPolicy":"same-site"}`},
			want: Problems{{Key: "edge.referrerPolicy", Value: "same-site", Msg: "must be one of " + strings.Join(referrerPolicies, ", ")}}},
		{name: "referrer policy smuggling a second header", set: map[string]string{"edge": `{"referrerPolicy":"origin, X-Evil: 1"}`},
			want: Problems{{Key: "edge.referrerPolicy", Value: "origin, X-Evil: 1", Msg: "must be one of " + strings.Join(referrerPolicies, ", ")}}},
		{name: "allowlist of IPv4 and IPv6 networks", set: allow(`["203.0.113.0/24","198.51.100.7/32","2001:db8::/48"]`)},
		{name: "allowlist entry without a prefix length", set: allow(`["203.0.113.7"]`),
			want: Problems{{Key: "sites[0].adminAllowCidrs[0]", Value: "203.0.113.7", Msg: "must be an IPv4 or IPv6 network in CIDR form such as 203.0.113.0/24 or 2001:db8::/48 (a single address is 203.0.113.7/32)"}}},
		{name: "allowlist entry that is a name", set: allow(`["office.example.com/24"]`),
			want: Problems{{Key: "sites[0].adminAllowCidrs[0]", Value: "office.example.com/24", Msg: "must be an IPv4 or IPv6 network in CIDR form such as 203.0.113.0/24 or 2001:db8::/48 (a single address is 203.0.113.7/32)"}}},
		{name: "allowlist entry with host bits", set: allow(`["203.0.113.7/24"]`),
			want: Problems{{Key: "sites[0].adminAllowCidrs[0]", Value: "203.0.113.7/24", Msg: "has host bits set; the network is 203.0.113.0/24"}}},
		{name: "allowlist entry twice", set: allow(`["203.0.113.0/24","203.0.113.0/24"]`),
			want: Problems{{Key: "sites[0].adminAllowCidrs[1]", Value: "203.0.113.0/24", Msg: "is listed twice"}}},
		{name: "allowlist not a list", set: allow(`"203.0.113.0/24"`),
			want: Problems{{Key: "sites[0].adminAllowCidrs", Msg: "must be a list"}}},
		{name: "xmlrpc not a boolean", set: map[string]string{"sites": `[{"name":"blog","hosts":["` + testHost + `"],"database":"blog","xmlrpc":"yes"}]`},
			want: Problems{{Key: "sites[0].xmlrpc", Value: "yes", Msg: "must be true or false"}}},
	})
}

func TestTLSMode(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"set provided", Config{TLS: TLS{Mode: TLSModeProvided}}, TLSModeProvided},
		{"set letsencrypt with a certificate", Config{TLS: TLS{Mode: TLSModeLetsEncrypt}, TLSCertificate: NewSecret("x")}, TLSModeLetsEncrypt},
		{"empty, certificate held", Config{TLSCertificate: NewSecret("x")}, TLSModeProvided},
		{"empty, key held", Config{TLSPrivateKey: NewSecret("x")}, TLSModeProvided},
		{"empty, neither", Config{}, TLSModeLetsEncrypt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.cfg.TLSMode(); got != tt.want {
				t.Errorf("TLSMode() = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestCapacityCountsCertManager: in letsencrypt mode cert-manager's three pods need room beside
// the ingress controller; two sites on one node a pool leave 270 MiB (their user pods' code-sync
// sidecars take 128), enough for one controller replica and its surge (256) but not for
// cert-manager as well (352).
func TestCapacityCountsCertManager(t *testing.T) {
	le := `{"mode":"letsencrypt","email":"ops@example.com"}`
	tests := []struct {
		name string
		set  map[string]string
		want []string
	}{
		{name: "provided, two sites", set: with(manySites(2), "ingress", `{"replicas":1}`)},
		{name: "letsencrypt, one site", set: with(manySites(1), "tls", le)},
		{name: "letsencrypt, two sites", set: with(with(manySites(2), "tls", le), "ingress", `{"replicas":1}`),
			want: []string{"ingress.replicas", "cert-manager's 3 pods", "need 352 MiB", "have 270 MiB"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			probs := loadWith(t, tt.set)
			if len(tt.want) == 0 {
				assertProblems(t, probs, nil)
				return
			}
			if len(probs) != 1 {
				t.Fatalf("got %d problems, want one:\n%s", len(probs), listProblems(probs))
			}
			for _, part := range tt.want {
				if !strings.Contains(probs[0].String(), part) {
					t.Errorf("problem %q lacks %q", probs[0].String(), part)
				}
			}
		})
	}
}
