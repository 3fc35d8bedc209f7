package config

import (
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
)

// Edge is what the ingress controller does for every site before a request reaches WordPress:
// rate limits on the login and XML-RPC endpoints, response headers, and blocks of what no blog
// serves to the outside. Per-site switches (xmlrpc, adminAllowCidrs) live on the site.
type Edge struct {
	// LoginRatePerMinute is the steady rate of requests to /wp-login.php one client address
	// may make (1-600); more are answered 429.
	LoginRatePerMinute int `json:"loginRatePerMinute"`
	// LoginBurst is how many requests above the rate are let through at once (0-100): burst+1
	// requests in the same instant pass, the next is refused.
	LoginBurst int `json:"loginBurst"`
	// XMLRPCRatePerMinute and XMLRPCBurst do the same for /xmlrpc.php on sites that open it.
	XMLRPCRatePerMinute int `json:"xmlrpcRatePerMinute"`
	XMLRPCBurst         int `json:"xmlrpcBurst"`
	// HSTSMaxAgeSeconds is the Strict-Transport-Security max-age: 0 sends no header (the
	// default: browsers keep it for max-age, so turn it on once HTTPS works for every host),
	// else 300-63072000 (two years).
	HSTSMaxAgeSeconds int `json:"hstsMaxAgeSeconds"`
	// ReferrerPolicy is the Referrer-Policy header value, one of referrerPolicies.
	ReferrerPolicy string `json:"referrerPolicy"`
	// BlockAuthorScan answers 403 to "/?author=N", WordPress's redirect that reveals login names.
	BlockAuthorScan bool `json:"blockAuthorScan"`
}

// TLS says where the sites' certificates come from.
type TLS struct {
	// Mode is "provided" (tlsCertificate and tlsPrivateKey) or "letsencrypt" (cert-manager
	// obtains and renews a certificate per site over HTTP-01). Empty: see Config.TLSMode.
	Mode string `json:"mode"`
	// Email is the ACME account address Let's Encrypt writes to about expiring certificates
	// and policy changes; required for letsencrypt.
	Email string `json:"email"`
	// Staging uses Let's Encrypt's staging endpoint (untrusted certificates, generous limits)
	// for trials.
	Staging bool `json:"staging"`
	// CertManagerChartVersion pins cert-manager's Helm chart, "v1.21.2" style.
	CertManagerChartVersion string `json:"certManagerChartVersion"`
}

// TLSMode is tls.mode as set, or, when it is empty, provided for a stack holding tlsCertificate
// or tlsPrivateKey (every stack made before tls.mode existed keeps its behaviour, and a stack
// missing one of the pair is told so) and letsencrypt for one holding neither (a new stack).
func (c Config) TLSMode() string {
	switch {
	case c.TLS.Mode != "":
		return c.TLS.Mode
	case c.TLSCertificate.Set() || c.TLSPrivateKey.Set():
		return TLSModeProvided
	default:
		return TLSModeLetsEncrypt
	}
}

// referrerPolicies are the Referrer-Policy values of the W3C Referrer Policy spec.
var referrerPolicies = []string{
	"no-referrer", "no-referrer-when-downgrade", "origin", "origin-when-cross-origin",
	"same-origin", "strict-origin", "strict-origin-when-cross-origin", "unsafe-url",
}

var reCertManagerVer = regexp.MustCompile(`^v\d+\.\d+\.\d+$`)

// Limits of the edge settings.
const (
	maxRatePerMinute = 600
	maxBurst         = 100
	minHSTSMaxAge    = 300
	maxHSTSMaxAge    = 63072000
	maxAllowCIDRs    = 50
	// maxCertificateNames is Let's Encrypt's limit of names on one certificate.
	maxCertificateNames = 100
)

func validateEdge(c Config) Problems {
	var probs Problems
	e := c.Edge
	intRange(&probs, "edge.loginRatePerMinute", e.LoginRatePerMinute, 1, maxRatePerMinute)
	intRange(&probs, "edge.loginBurst", e.LoginBurst, 0, maxBurst)
	intRange(&probs, "edge.xmlrpcRatePerMinute", e.XMLRPCRatePerMinute, 1, maxRatePerMinute)
	intRange(&probs, "edge.xmlrpcBurst", e.XMLRPCBurst, 0, maxBurst)
	if e.HSTSMaxAgeSeconds != 0 && (e.HSTSMaxAgeSeconds < minHSTSMaxAge || e.HSTSMaxAgeSeconds > maxHSTSMaxAge) {
		probs.add("edge.hstsMaxAgeSeconds", strconv.Itoa(e.HSTSMaxAgeSeconds),
			fmt.Sprintf("must be 0 (no HSTS header) or %d-%d seconds", minHSTSMaxAge, maxHSTSMaxAge))
	}
	oneOf(&probs, "edge.referrerPolicy", e.ReferrerPolicy, referrerPolicies)
	for i, s := range c.Sites {
		probs = append(probs, validateAllowCIDRs(fmt.Sprintf("sites[%d].adminAllowCidrs", i), s.AdminAllowCIDRs)...)
	}
	return probs
}

// validateAllowCIDRs checks one site's allowlist: each entry a network in canonical form (no
// host bits, so what nginx allows is what the user reads), none twice.
func validateAllowCIDRs(key string, cidrs []string) Problems {
	var probs Problems
	if len(cidrs) > maxAllowCIDRs {
		probs.add(key, "", fmt.Sprintf("lists %d networks, at most %d are allowed", len(cidrs), maxAllowCIDRs))
	}
	seen := map[string]bool{}
	for j, raw := range cidrs {
		k := fmt.Sprintf("%s[%d]", key, j)
		p, err := netip.ParsePrefix(raw)
		switch {
		case err != nil:
			probs.add(k, raw, "must be an IPv4 or IPv6 network in CIDR form such as 203.0.113.0/24 or 2001:db8::/48 (a single address is 203.0.113.7/32)")
		case p.Masked() != p:
			probs.add(k, raw, fmt.Sprintf("has host bits set; the network is %s", p.Masked()))
		case seen[p.String()]:
			probs.add(k, raw, "is listed twice")
		default:
			seen[p.String()] = true
		}
	}
	return probs
}

func validateTLSMode(c Config) Problems {
	var probs Problems
	t := c.TLS
	if t.Mode != "" && t.Mode != TLSModeProvided && t.Mode != TLSModeLetsEncrypt {
		probs.add("tls.mode", t.Mode, "must be provided or letsencrypt (or empty: provided when tlsCertificate is set, else letsencrypt)")
	}
	if !reCertManagerVer.MatchString(t.CertManagerChartVersion) {
		probs.add("tls.certManagerChartVersion", t.CertManagerChartVersion, `must be an exact chart version such as "v1.21.2"`)
	}
	if c.TLSMode() != TLSModeLetsEncrypt {
		return probs
	}
	how := "tls.mode is letsencrypt"
	if t.Mode == "" {
		how = "tls.mode is empty and tlsCertificate is not set (which means letsencrypt)"
	}
	switch {
	case t.Email == "":
		probs.add("tls.email", "", "is required when "+how+": the ACME account address Let's Encrypt writes to about expiring certificates (or set tls.mode provided with tlsCertificate and tlsPrivateKey)")
	case !reEmail.MatchString(t.Email):
		probs.add("tls.email", t.Email, "must be an email address")
	}
	for i, s := range c.Sites {
		if len(s.Hosts) > maxCertificateNames {
			probs.add(fmt.Sprintf("sites[%d].hosts", i), "", fmt.Sprintf("lists %d names; a Let's Encrypt certificate covers at most %d", len(s.Hosts), maxCertificateNames))
		}
	}
	return probs
}

// wildcardHostProblem explains why a "*.example.com" host is refused: the site's first host is
// its canonical URL and every host is an Ingress rule, so hosts are listed one by one; a
// wildcard certificate is still fine in provided mode. Let's Encrypt issues wildcards only
// through DNS-01, which would keep a long-lived DNS credential in the cluster.
func wildcardHostProblem(c Config, h string) (string, bool) {
	if !strings.HasPrefix(h, "*.") || !isDNSName(h[2:]) {
		return "", false
	}
	if c.TLSMode() == TLSModeLetsEncrypt {
		return "is a wildcard: Let's Encrypt issues wildcard certificates only over DNS-01, which this program does not run (it would need a long-lived DNS credential in the cluster); list each host, or use tls.mode provided with a wildcard tlsCertificate", true
	}
	return "is a wildcard: list each host name (a wildcard tlsCertificate covers them)", true
}
