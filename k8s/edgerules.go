package k8s

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/example/wordpress-aks/config"
)

// The edge rules: what the F5 NGINX Ingress Controller does for a site before WordPress sees a
// request, as the annotations of its Ingresses. Every key here is one the pinned controller
// (chart 2.6.0, app v5.5.0) reads: internal/configs/annotations.go and internal/k8s/validation.go
// in nginx/kubernetes-ingress at v5.5.0. The retired community controller's
// nginx.ingress.kubernetes.io/* keys would be ignored by it.
//
// Per-path settings (a rate limit on the login page only, an allowlist on wp-admin but not on
// admin-ajax.php) need one Ingress per path: the controller applies an Ingress's annotations to
// all of its paths, and it admits only one Ingress per host unless they are "mergeable", a
// master (host, TLS, server-wide settings) with minions (paths). A master takes one host, so a
// site has one master and its minions per host.
const (
	annotationMergeable        = "nginx.org/mergeable-ingress-type"
	annotationServerSnippets   = "nginx.org/server-snippets"
	annotationLocationSnippets = "nginx.org/location-snippets"
	annotationAddHeader        = "nginx.org/add-header"
	annotationHideHeaders      = "nginx.org/proxy-hide-headers"
	annotationSSLRedirect      = "nginx.org/ssl-redirect"
	annotationHSTS             = "nginx.org/hsts"
	annotationHSTSMaxAge       = "nginx.org/hsts-max-age"
	annotationLimitRate        = "nginx.org/limit-req-rate"
	annotationLimitBurst       = "nginx.org/limit-req-burst"
	annotationLimitNoDelay     = "nginx.org/limit-req-no-delay"
	annotationLimitRejectCode  = "nginx.org/limit-req-reject-code"

	mergeableMaster = "master"
	mergeableMinion = "minion"

	// acmeChallengePrefix is where cert-manager's HTTP-01 solver answers; it must reach the
	// solver over plain HTTP, past every rule here.
	acmeChallengePrefix = "/.well-known/acme-challenge/"
	// statusTooManyRequests answers a request over the rate limit (the controller's default,
	// set anyway so the behaviour does not hang on a default).
	statusTooManyRequests = 429
)

// edgeRoute is one minion: a path of a site's host, the pods behind it and its own rules.
type edgeRoute struct {
	// part names the minion Ingress (wordpress-<part>) and its Pulumi resource.
	part, path, pathType, component string
	// limit is the rate limit on this path; nil for none.
	limit *edgeLimit
	// allowlisted routes take the site's adminAllowCidrs.
	allowlisted bool
}

type edgeLimit struct{ perMinute, burst int }

// edgeRoutes are a site's paths. The dashboard and the login page go to the admin pods
// (env=admin nodes, compute-optimised), whose password hashing is the CPU-heavy part of a
// login; everything else goes to the user pods. admin-ajax.php has a route of its own so the
// allowlist leaves it open: themes and plugins call it from public pages.
func edgeRoutes(cfg config.Config, site config.Site) []edgeRoute {
	routes := []edgeRoute{
		{part: "public", path: "/", pathType: "Prefix", component: componentUser},
		{part: "admin", path: "/wp-admin", pathType: "Prefix", component: componentAdmin, allowlisted: true},
		{part: "admin-ajax", path: "/wp-admin/admin-ajax.php", pathType: "Exact", component: componentAdmin},
		{part: "login", path: "/wp-login.php", pathType: "Exact", component: componentAdmin, allowlisted: true,
			limit: &edgeLimit{cfg.Edge.LoginRatePerMinute, cfg.Edge.LoginBurst}},
	}
	if site.XMLRPC {
		routes = append(routes, edgeRoute{part: "xmlrpc", path: "/xmlrpc.php", pathType: "Exact", component: componentUser,
			limit: &edgeLimit{cfg.Edge.XMLRPCRatePerMinute, cfg.Edge.XMLRPCBurst}})
	}
	return routes
}

// masterAnnotations are the server-wide rules of one host of a site.
func masterAnnotations(cfg config.Config, site config.Site) map[string]string {
	a := map[string]string{
		annotationMergeable: mergeableMaster,
		// The controller's own HTTP-to-HTTPS redirect runs before any location, so it would
		// send Let's Encrypt's HTTP-01 request to HTTPS, where a site without its first
		// certificate refuses the handshake. The server snippet redirects everything else.
		annotationSSLRedirect:    "false",
		annotationServerSnippets: serverSnippet(cfg, site),
		// "always": the headers go on 403 and 429 answers too. The controller splits this list
		// on commas and each entry on colons, so no value here may hold either.
		annotationAddHeader: strings.Join([]string{
			"X-Content-Type-Options: nosniff: always",
			"X-Frame-Options: SAMEORIGIN: always",
			"Referrer-Policy: " + cfg.Edge.ReferrerPolicy + ": always",
		}, ","),
		// PHP's version; nginx's own is off through the controller's server-tokens setting.
		annotationHideHeaders: "X-Powered-By",
	}
	if cfg.Edge.HSTSMaxAgeSeconds > 0 {
		a[annotationHSTS] = "true"
		a[annotationHSTSMaxAge] = strconv.Itoa(cfg.Edge.HSTSMaxAgeSeconds)
	}
	return a
}

// minionAnnotations are one route's rules.
func minionAnnotations(site config.Site, r edgeRoute) map[string]string {
	a := map[string]string{annotationMergeable: mergeableMinion}
	if r.limit != nil {
		// Keyed by the client address (the controller's default key, $binary_remote_addr):
		// with the Service's externalTrafficPolicy Local the load balancer keeps it.
		a[annotationLimitRate] = fmt.Sprintf("%dr/m", r.limit.perMinute)
		a[annotationLimitBurst] = strconv.Itoa(r.limit.burst)
		a[annotationLimitNoDelay] = "true"
		a[annotationLimitRejectCode] = strconv.Itoa(statusTooManyRequests)
	}
	if r.allowlisted && len(site.AdminAllowCIDRs) > 0 {
		a[annotationLocationSnippets] = allowSnippet(site.AdminAllowCIDRs)
	}
	return a
}

// allowSnippet lets only the given networks through; nginx answers others 403.
func allowSnippet(cidrs []string) string {
	var b strings.Builder
	for _, c := range cidrs {
		fmt.Fprintf(&b, "allow %s;\n", c)
	}
	b.WriteString("deny all;")
	return b.String()
}

// serverSnippet is the part of a host's rules nginx can only express as server directives.
// Regex locations win over the controller's prefix locations (none of which uses ^~) and lose
// to its exact ones, which are only the routes above: so the blocks cover every path but
// admin-ajax.php, wp-login.php and xmlrpc.php, which they do not concern.
func serverSnippet(cfg config.Config, site config.Site) string {
	lines := []string{
		"# wordpress-aks edge rules (k8s/edgerules.go)",
		// HTTP to HTTPS, except Let's Encrypt's challenge (see masterAnnotations).
		"set $wpaks_to_https 0;",
		"if ($scheme = http) { set $wpaks_to_https 1; }",
		`if ($request_uri ~ "^` + regexQuote(acmeChallengePrefix) + `") { set $wpaks_to_https 0; }`,
		"if ($wpaks_to_https = 1) { return 301 https://$host$request_uri; }",
		// Dot files (.env, .git, .htaccess, .user.ini) but .well-known.
		`location ~ "/\.(?!well-known/)" { return 403; }`,
		// wp-config.php and its editor and backup copies (wp-config.php~, wp-config.php.bak).
		`location ~* "/wp-config\.php" { return 403; }`,
		// Uploaded files are data: a PHP file there is an attack, never run it.
		`location ~* "^/wp-content/uploads/.*\.(php[0-9]?|phtml|phar)(/|$)" { return 403; }`,
		// Directory listings: no page of a blog is a folder under wp-content or wp-includes.
		`location ~ "^/(wp-content|wp-includes)/(.*/)?$" { return 403; }`,
	}
	if !site.XMLRPC {
		lines = append(lines, "location = /xmlrpc.php { return 403; }")
	}
	if cfg.Edge.BlockAuthorScan {
		// "/?author=N" redirects to the author's archive, whose URL holds the login name.
		// wp-admin lists posts by author with the same argument, so it stays open there.
		lines = append(lines,
			`set $wpaks_author_scan "";`,
			`if ($arg_author ~ "^[0-9]") { set $wpaks_author_scan "n"; }`,
			`if ($uri ~ "^/wp-admin/") { set $wpaks_author_scan ""; }`,
			`if ($wpaks_author_scan = "n") { return 403; }`,
		)
	}
	return strings.Join(lines, "\n")
}

// regexQuote escapes the characters of a path that mean something in a PCRE.
func regexQuote(s string) string {
	r := strings.NewReplacer(".", `\.`, "-", `\-`)
	return r.Replace(s)
}
