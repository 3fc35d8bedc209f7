package tests

// The edge (issue 12) in the resource graph: per host a master Ingress with the server-wide
// rules and a minion per route, the rate limits, allowlists, headers and blocks as annotations
// of the pinned F5 controller, and in tls.mode letsencrypt cert-manager, its ClusterIssuer and a
// Certificate per site. What the rules do on a real nginx is tests/edge/run.sh's job.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/example/wordpress-aks/config"
	"github.com/example/wordpress-aks/plan"
)

// edgeF5Keys are the Ingress annotations the pinned controller (chart 2.6.0 = app v5.5.0) reads
// that the program uses, each checked against nginx/kubernetes-ingress at v5.5.0:
// internal/configs/annotations.go (parsing) and internal/k8s/validation.go (validation).
var edgeF5Keys = map[string]bool{
	"nginx.org/mergeable-ingress-type": true, "nginx.org/server-snippets": true,
	"nginx.org/location-snippets": true, "nginx.org/add-header": true,
	"nginx.org/proxy-hide-headers": true, "nginx.org/ssl-redirect": true,
	"nginx.org/hsts": true, "nginx.org/hsts-max-age": true,
	"nginx.org/limit-req-rate": true, "nginx.org/limit-req-burst": true,
	"nginx.org/limit-req-no-delay": true, "nginx.org/limit-req-reject-code": true,
}

// edgeMasterOnly are keys the controller ignores on a minion (minionDenylist in
// annotations.go); edgeMinionOnly are the ones this program puts on minions only.
var edgeMasterOnly = []string{"nginx.org/server-snippets", "nginx.org/ssl-redirect", "nginx.org/hsts", "nginx.org/hsts-max-age", "nginx.org/proxy-hide-headers"}

type edgeRoute struct {
	part, path, pathType, service string
}

var edgeDefaultRoutes = []edgeRoute{
	{"public", "/", "Prefix", "user"},
	{"admin", "/wp-admin", "Prefix", "admin"},
	{"admin-ajax", "/wp-admin/admin-ajax.php", "Exact", "admin"},
	{"login", "/wp-login.php", "Exact", "admin"},
}

// edgeAnnotations returns an Ingress's annotations.
func edgeAnnotations(t *testing.T, r plan.Resource) map[string]string {
	t.Helper()
	v, err := gLookup(r.Inputs, "metadata.annotations")
	if err != nil {
		return map[string]string{}
	}
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s annotations are %T", r.Name, v)
	}
	return gStringMap(t, m)
}

// edgeNames are the logical names of host i's master and its minions' prefix.
func edgeNames(site string, i int) string {
	if i == 0 {
		return site + "-ingress"
	}
	return fmt.Sprintf("%s-ingress-%d", site, i)
}

// edgeCheckSite checks one site's Ingresses: hosts, routes, and what every route carries.
func edgeCheckSite(t *testing.T, p *plan.Plan, site string, hosts []string, routes []edgeRoute, want func(part string, a map[string]string)) {
	t.Helper()
	for i, host := range hosts {
		m := gFind(t, p, edgeNames(site, i))
		ma := edgeAnnotations(t, m)
		if ma["nginx.org/mergeable-ingress-type"] != "master" {
			t.Errorf("%s is not a master: %v", m.Name, ma)
		}
		if got := gStr(t, m, "spec.ingressClassName"); got != "nginx" {
			t.Errorf("%s class is %q", m.Name, got)
		}
		if got := gStr(t, m, "metadata.namespace"); got != "wp-"+site {
			t.Errorf("%s is in %q", m.Name, got)
		}
		if got := gStrs(t, m, "spec.tls[0].hosts"); !gEqualStrings(got, []string{host}) {
			t.Errorf("%s TLS hosts are %v, want [%s]", m.Name, got, host)
		}
		if got := gStr(t, m, "spec.tls[0].secretName"); got != "tls" {
			t.Errorf("%s TLS secret is %q, want tls", m.Name, got)
		}
		if got := gStr(t, m, "spec.rules[0].host"); got != host {
			t.Errorf("%s host is %q, want %s", m.Name, got, host)
		}
		if gHasInput(m, "spec.rules[0].http") {
			t.Errorf("%s is a master but has paths", m.Name)
		}
		gWantDeps(t, m, "ingress-controller")
		want("master", ma)
		for _, r := range routes {
			mn := gFind(t, p, m.Name+"-"+r.part)
			a := edgeAnnotations(t, mn)
			if a["nginx.org/mergeable-ingress-type"] != "minion" {
				t.Errorf("%s is not a minion: %v", mn.Name, a)
			}
			for _, k := range edgeMasterOnly {
				if _, ok := a[k]; ok {
					t.Errorf("%s carries %s, which the controller ignores on a minion", mn.Name, k)
				}
			}
			if got := gStr(t, mn, "metadata.name"); got != gStr(t, m, "metadata.name")+"-"+r.part {
				t.Errorf("%s is named %q", mn.Name, got)
			}
			if got := gStr(t, mn, "spec.rules[0].host"); got != host {
				t.Errorf("%s host is %q, want %s", mn.Name, got, host)
			}
			if n := len(gList(t, mn, "spec.rules")); n != 1 {
				t.Errorf("%s has %d rules, a minion takes one", mn.Name, n)
			}
			got := edgeRoute{r.part,
				gStr(t, mn, "spec.rules[0].http.paths[0].path"),
				gStr(t, mn, "spec.rules[0].http.paths[0].pathType"),
				gStr(t, mn, "spec.rules[0].http.paths[0].backend.service.name")}
			if got != r {
				t.Errorf("%s routes %v, want %v", mn.Name, got, r)
			}
			if port := gStr(t, mn, "spec.rules[0].http.paths[0].backend.service.port.name"); port != "http" {
				t.Errorf("%s backend port is %q", mn.Name, port)
			}
			gWantDeps(t, mn, m.Name)
			want(r.part, a)
		}
	}
	// No route beyond the expected ones.
	n := 0
	for _, r := range gOfType(p, "kubernetes", "networking.k8s.io", "Ingress") {
		if gStr(t, r, "metadata.namespace") == "wp-"+site {
			n++
		}
	}
	if want := len(hosts) * (len(routes) + 1); n != want {
		t.Errorf("site %s has %d Ingresses, want %d (a master and %d minions per host)", site, n, want, len(routes))
	}
}

// edgeDefaults checks the rules every site gets with the default config.
func edgeDefaults(t *testing.T, part string, a map[string]string) {
	t.Helper()
	for k := range a {
		if !edgeF5Keys[k] {
			t.Errorf("%s: annotation %s is not one the pinned F5 controller reads", part, k)
		}
	}
	switch part {
	case "master":
		if a["nginx.org/ssl-redirect"] != "false" {
			t.Errorf("master: the controller's own redirect is on; it would send the HTTP-01 challenge to HTTPS")
		}
		for _, h := range []string{"X-Content-Type-Options: nosniff: always", "X-Frame-Options: SAMEORIGIN: always", "Referrer-Policy: strict-origin-when-cross-origin: always"} {
			if !strings.Contains(a["nginx.org/add-header"], h) {
				t.Errorf("master: add-header %q lacks %q", a["nginx.org/add-header"], h)
			}
		}
		if a["nginx.org/proxy-hide-headers"] != "X-Powered-By" {
			t.Errorf("master: proxy-hide-headers is %q", a["nginx.org/proxy-hide-headers"])
		}
		if _, ok := a["nginx.org/hsts"]; ok {
			t.Errorf("master: HSTS is on by default; it must wait for the user's opt-in")
		}
		s := a["nginx.org/server-snippets"]
		for _, want := range []string{
			"location = /xmlrpc.php { return 403; }",
			`location ~* "^/wp-content/uploads/.*\.(php[0-9]?|phtml|phar)(/|$)" { return 403; }`,
			`location ~* "/wp-config\.php" { return 403; }`,
			`location ~ "/\.(?!well-known/)" { return 403; }`,
			`if ($arg_author ~ "^[0-9]") { set $wpaks_author_scan "n"; }`,
			`if ($request_uri ~ "^/\.well\-known/acme\-challenge/") { set $wpaks_to_https 0; }`,
		} {
			if !strings.Contains(s, want) {
				t.Errorf("master: server snippet lacks %q:\n%s", want, s)
			}
		}
	case "login":
		want := map[string]string{"nginx.org/mergeable-ingress-type": "minion",
			"nginx.org/limit-req-rate": "10r/m", "nginx.org/limit-req-burst": "4",
			"nginx.org/limit-req-no-delay": "true", "nginx.org/limit-req-reject-code": "429"}
		if !gEqualMaps(a, want) {
			t.Errorf("login: annotations %v, want %v", a, want)
		}
	default:
		if want := map[string]string{"nginx.org/mergeable-ingress-type": "minion"}; !gEqualMaps(a, want) {
			t.Errorf("%s: annotations %v, want %v", part, a, want)
		}
	}
}

// TestEdgeIngresses: the stack files' sites get the default edge rules, provided certificates
// and no cert-manager (they hold tlsCertificate, which keeps an empty tls.mode on provided).
func TestEdgeIngresses(t *testing.T) {
	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		for _, site := range gSiteNames(w) {
			edgeCheckSite(t, p, site, w.sites[site], edgeDefaultRoutes, func(part string, a map[string]string) {
				edgeDefaults(t, part, a)
			})
			gWantDeps(t, gFind(t, p, site+"-ingress"), site+"-tls-secret")
		}
		for _, r := range p.Resources {
			if strings.Contains(r.Type, "cert-manager") || r.Name == "cert-manager" {
				t.Errorf("provided mode registers %s (%s)", r.Name, r.Type)
			}
		}
		rel := gFind(t, p, "ingress-controller")
		if !gBool(t, rel, "values.controller.enableSnippets") {
			t.Errorf("controller snippets are off: it would refuse every site's Ingress")
		}
		if got := gStr(t, rel, `values.controller.config.entries["server-tokens"]`); got != "False" {
			t.Errorf("server-tokens is %q, want False (no version in the Server header)", got)
		}
	})
}

// edgeVariant plans the dev stack with its sites and some keys replaced.
func edgeVariant(t *testing.T, set map[string]string, unset ...string) *plan.Plan {
	t.Helper()
	src := gStackSource(t, "dev")
	for k, v := range set {
		src.Values[graphProject+":"+k] = v
	}
	for _, k := range unset {
		delete(src.Values, graphProject+":"+k)
		delete(src.SecretKeys, graphProject+":"+k)
	}
	graphPlansMu.Lock()
	defer graphPlansMu.Unlock()
	p, err := plan.RunSource(graphProject, "dev", src)
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	return p
}

// edgeTwoUserNodes is dev's pools with a second user node: in tls.mode letsencrypt, cert-manager's
// pods do not fit beside two sites on one node a pool (config's capacity check says so).
const edgeTwoUserNodes = `{"user":{"vmSize":"Standard_B2s","count":2},"admin":{"vmSize":"Standard_F2s_v2","count":1,"osDiskType":"Ephemeral"}}`

const edgeTwoSites = `[{"name":"tech","hosts":["tech.dev.example.com","www.tech.dev.example.com"],"database":"wp_tech",` +
	`"xmlrpc":true,"adminAllowCidrs":["203.0.113.0/24","2001:db8::/48"]},` +
	`{"name":"azure","hosts":["azure.dev.example.com"],"database":"wp_azure"}]`

// TestEdgeSiteSwitches: xmlrpc opens a rate-limited route, the allowlist goes on wp-admin and
// the login page but not admin-ajax.php, each host gets its own master, HSTS follows its key.
func TestEdgeSiteSwitches(t *testing.T) {
	// letsencrypt: the plan's stand-in certificate does not cover the extra host.
	p := edgeVariant(t, map[string]string{
		"sites":     edgeTwoSites,
		"edge":      `{"hstsMaxAgeSeconds":31536000,"referrerPolicy":"same-origin","loginRatePerMinute":20,"loginBurst":2,"blockAuthorScan":false}`,
		"tls":       `{"mode":"letsencrypt","email":"ops@example.com"}`,
		"nodePools": edgeTwoUserNodes,
	})
	routes := append(append([]edgeRoute{}, edgeDefaultRoutes...), edgeRoute{"xmlrpc", "/xmlrpc.php", "Exact", "user"})
	const allow = "allow 203.0.113.0/24;\nallow 2001:db8::/48;\ndeny all;"
	edgeCheckSite(t, p, "tech", []string{"tech.dev.example.com", "www.tech.dev.example.com"}, routes, func(part string, a map[string]string) {
		switch part {
		case "master":
			if a["nginx.org/hsts"] != "true" || a["nginx.org/hsts-max-age"] != "31536000" {
				t.Errorf("master: HSTS annotations %q %q", a["nginx.org/hsts"], a["nginx.org/hsts-max-age"])
			}
			if !strings.Contains(a["nginx.org/add-header"], "Referrer-Policy: same-origin: always") {
				t.Errorf("master: add-header %q lacks the configured Referrer-Policy", a["nginx.org/add-header"])
			}
			s := a["nginx.org/server-snippets"]
			if strings.Contains(s, "xmlrpc") {
				t.Errorf("master: xmlrpc is open but the snippet still blocks it:\n%s", s)
			}
			if strings.Contains(s, "author") {
				t.Errorf("master: blockAuthorScan is false but the snippet blocks it:\n%s", s)
			}
		case "admin", "login":
			if a["nginx.org/location-snippets"] != allow {
				t.Errorf("%s: location snippet %q, want %q", part, a["nginx.org/location-snippets"], allow)
			}
			if part == "login" && (a["nginx.org/limit-req-rate"] != "20r/m" || a["nginx.org/limit-req-burst"] != "2") {
				t.Errorf("login: limit %q burst %q, want 20r/m and 2", a["nginx.org/limit-req-rate"], a["nginx.org/limit-req-burst"])
			}
		case "xmlrpc":
			if a["nginx.org/limit-req-rate"] != "30r/m" || a["nginx.org/limit-req-burst"] != "10" || a["nginx.org/limit-req-reject-code"] != "429" {
				t.Errorf("xmlrpc: limit annotations %v", a)
			}
			if _, ok := a["nginx.org/location-snippets"]; ok {
				t.Errorf("xmlrpc: allowlisted; Jetpack and the apps call it from anywhere")
			}
		default:
			if _, ok := a["nginx.org/location-snippets"]; ok {
				t.Errorf("%s: allowlisted; only wp-admin and the login page are", part)
			}
		}
	})
	edgeCheckSite(t, p, "azure", []string{"azure.dev.example.com"}, edgeDefaultRoutes, func(part string, a map[string]string) {
		if _, ok := a["nginx.org/location-snippets"]; ok {
			t.Errorf("azure %s: the other site's allowlist leaked here", part)
		}
		if part == "master" && !strings.Contains(a["nginx.org/server-snippets"], "location = /xmlrpc.php { return 403; }") {
			t.Errorf("azure: xmlrpc is open though only tech opened it")
		}
	})
}

// TestEdgeLetsEncrypt: cert-manager from its pinned chart with its CRDs, a ClusterIssuer whose
// HTTP-01 solver Ingresses are minions of the hosts' masters, a Certificate per site covering
// its hosts into the secret the masters name, and a policy letting the controller reach the
// solver pods; no TLS secret from the config.
func TestEdgeLetsEncrypt(t *testing.T) {
	tests := []struct {
		name, tls, issuer, server string
		unset                     []string
	}{
		{"staging", `{"mode":"letsencrypt","email":"ops@example.com","staging":true}`, "letsencrypt-staging",
			"https://acme-staging-v02.api.letsencrypt.org/directory", nil},
		{"new stack without a certificate", `{"email":"ops@example.com"}`, "letsencrypt",
			"https://acme-v02.api.letsencrypt.org/directory", []string{"tlsCertificate", "tlsPrivateKey"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := edgeVariant(t, map[string]string{"sites": edgeTwoSites, "tls": tt.tls, "nodePools": edgeTwoUserNodes}, tt.unset...)
			rel := gFind(t, p, "cert-manager")
			for _, c := range []struct {
				path string
				want any
			}{
				{"chart", "oci://quay.io/jetstack/charts/cert-manager"},
				{"version", config.DefaultCertManagerChartVersion},
				{"namespace", "cert-manager"},
				{"values.crds.enabled", true},
				{"values.crds.keep", true},
				// Requests the capacity check counts, and no surge pod (config/capacity.go).
				{"values.resources.requests.memory", config.CertManagerMemoryRequest},
				{"values.webhook.resources.requests.cpu", config.CertManagerCPURequest},
				{"values.cainjector.strategy.rollingUpdate.maxSurge", float64(0)},
				{"values.strategy.rollingUpdate.maxSurge", float64(0)},
			} {
				if got := gInput(t, rel, c.path); got != c.want {
					t.Errorf("cert-manager %s is %v, want %v", c.path, got, c.want)
				}
			}
			gWantDeps(t, rel, "cert-manager-namespace")
			iss := gFind(t, p, "cluster-issuer")
			if iss.Type != "kubernetes:cert-manager.io/v1:ClusterIssuer" {
				t.Errorf("cluster-issuer is a %s", iss.Type)
			}
			gWantDeps(t, iss, "cert-manager")
			for path, want := range map[string]string{
				"metadata.name":                      tt.issuer,
				"spec.acme.server":                   tt.server,
				"spec.acme.email":                    "ops@example.com",
				"spec.acme.privateKeySecretRef.name": tt.issuer + "-account-key",
				"spec.acme.solvers[0].http01.ingress.ingressClassName":                                                         "nginx",
				`spec.acme.solvers[0].http01.ingress.ingressTemplate.metadata.annotations["nginx.org/mergeable-ingress-type"]`: "minion",
			} {
				if got := gStr(t, iss, path); got != want {
					t.Errorf("cluster-issuer %s is %q, want %q", path, got, want)
				}
			}
			for site, hosts := range map[string][]string{"tech": {"tech.dev.example.com", "www.tech.dev.example.com"}, "azure": {"azure.dev.example.com"}} {
				c := gFind(t, p, site+"-certificate")
				if c.Type != "kubernetes:cert-manager.io/v1:Certificate" {
					t.Errorf("%s is a %s", c.Name, c.Type)
				}
				for path, want := range map[string]string{
					"metadata.namespace": "wp-" + site, "spec.secretName": "tls",
					"spec.issuerRef.name": tt.issuer, "spec.issuerRef.kind": "ClusterIssuer",
					"spec.issuerRef.group": "cert-manager.io",
				} {
					if got := gStr(t, c, path); got != want {
						t.Errorf("%s %s is %q, want %q", c.Name, path, got, want)
					}
				}
				if got := gStrs(t, c, "spec.dnsNames"); !gEqualStrings(got, hosts) {
					t.Errorf("%s covers %v, want %v", c.Name, got, hosts)
				}
				gWantDeps(t, c, "cluster-issuer")
				for i := range hosts {
					gWantDeps(t, gFind(t, p, edgeNames(site, i)), site+"-certificate")
				}
				if _, ok := edgeFind(p, site+"-tls-secret"); ok {
					t.Errorf("%s: letsencrypt mode still writes the config's certificate", site)
				}
				np := gFind(t, p, site+"-acme-solver")
				if got := gStr(t, np, `spec.podSelector.matchLabels["acme.cert-manager.io/http01-solver"]`); got != "true" {
					t.Errorf("%s selects %q", np.Name, got)
				}
				if got := gStr(t, np, `spec.ingress[0].from[0].namespaceSelector.matchLabels["kubernetes.io/metadata.name"]`); got != gStr(t, gFind(t, p, "ingress-controller"), "namespace") {
					t.Errorf("%s lets in namespace %q, not the controller's", np.Name, got)
				}
				if got := gInt(t, np, "spec.ingress[0].ports[0].port"); got != 8089 {
					t.Errorf("%s opens port %d, the solver listens on 8089", np.Name, got)
				}
			}
		})
	}
}

// edgeFind looks a resource up without failing.
func edgeFind(p *plan.Plan, name string) (plan.Resource, bool) {
	for _, r := range p.Resources {
		if r.Name == name {
			return r, true
		}
	}
	return plan.Resource{}, false
}
