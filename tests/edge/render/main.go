// Command render writes the nginx configuration the F5 NGINX Ingress Controller (app v5.5.0,
// chart 2.6.0, the version the program pins) generates for the plan's Ingresses, so that the
// edge tier (tests/edge/run.sh) can run the sites' edge rules on a real nginx.
//
// The controller itself cannot run here (its image is not reachable), so this renders, from the
// plan's own manifests and the controller's ConfigMap entries in the plan, the directives its
// template internal/configs/version1/nginx.ingress.tmpl at v5.5.0 emits for the settings the
// program uses, in the template's order:
//
//	limit_req_zone <key> zone=<namespace>/<ingress>:<size> rate=<rate>   (per minion with a rate)
//	server: listen, ssl_certificate, server_tokens, server_name, proxy_hide_header,
//	        add_header <name> "<value>" [always], the HSTS block, the ssl-redirect block,
//	        server snippets, then per minion path:
//	location <"= "path for Exact, path otherwise>: location snippets, proxy_* and
//	        proxy_set_header lines, proxy_pass, limit_req / limit_req_log_level /
//	        limit_req_status.
//
// Any annotation it does not know is an error: a rule the program starts using must be added
// here, with its template lines, before the tier can pass. So is a value the controller's own
// validation would refuse (the whole Ingress would be rejected) or a key it would drop from a
// minion, and a snippet while the program's chart values leave snippets off.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

type ingress struct {
	Metadata struct {
		Name        string            `yaml:"name"`
		Namespace   string            `yaml:"namespace"`
		Annotations map[string]string `yaml:"annotations"`
	} `yaml:"metadata"`
	Spec struct {
		IngressClassName string `yaml:"ingressClassName"`
		TLS              []struct {
			Hosts      []string `yaml:"hosts"`
			SecretName string   `yaml:"secretName"`
		} `yaml:"tls"`
		Rules []struct {
			Host string `yaml:"host"`
			HTTP *struct {
				Paths []struct {
					Path     string `yaml:"path"`
					PathType string `yaml:"pathType"`
					Backend  struct {
						Service struct {
							Name string `yaml:"name"`
						} `yaml:"service"`
					} `yaml:"backend"`
				} `yaml:"paths"`
			} `yaml:"http"`
		} `yaml:"rules"`
	} `yaml:"spec"`
}

// known are the annotations rendered below, each with the template's handling.
var known = map[string]bool{
	"nginx.org/mergeable-ingress-type": true, "nginx.org/server-snippets": true,
	"nginx.org/location-snippets": true, "nginx.org/add-header": true,
	"nginx.org/proxy-hide-headers": true, "nginx.org/ssl-redirect": true,
	"nginx.org/hsts": true, "nginx.org/hsts-max-age": true,
	"nginx.org/limit-req-rate": true, "nginx.org/limit-req-burst": true,
	"nginx.org/limit-req-no-delay": true, "nginx.org/limit-req-reject-code": true,
}

// Controller defaults (internal/configs/config_params.go, NewDefaultConfigParams, v5.5.0).
const (
	defaultLimitReqKey      = "${binary_remote_addr}"
	defaultLimitReqZoneSize = "10m"
	defaultLimitReqLogLevel = "error"
	defaultProxyTimeout     = "60s"
	defaultHSTSMaxAge       = "2592000"
)

type upstreams map[string]string

func (u upstreams) String() string { return fmt.Sprint(map[string]string(u)) }
func (u upstreams) Set(v string) error {
	name, addr, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("want service=host:port, got %q", v)
	}
	u[name] = addr
	return nil
}

func main() {
	manifests := flag.String("manifests", "", "directory of the plan's manifests (cmd/plan -manifests)")
	planFile := flag.String("plan", "", "the plan's JSON (cmd/plan -out), for the controller's ConfigMap entries")
	httpPort := flag.Int("http", 8080, "HTTP port")
	httpsPort := flag.Int("https", 8443, "HTTPS port")
	cert := flag.String("cert", "", "certificate served for every host (the TLS secret stand-in)")
	key := flag.String("key", "", "its key")
	prefix := flag.String("prefix", "", "nginx's working directory (pid, logs, temp files)")
	ups := upstreams{}
	flag.Var(ups, "upstream", "service=host:port, repeatable: where a backend Service's pods listen")
	flag.Parse()
	conf, err := render(*manifests, *planFile, *httpPort, *httpsPort, *cert, *key, *prefix, ups)
	if err != nil {
		fmt.Fprintln(os.Stderr, "render:", err)
		os.Exit(1)
	}
	fmt.Print(conf)
}

// entries reads the controller's ConfigMap entries and whether snippets are enabled from the
// plan's Helm release values.
func entries(planFile string) (map[string]string, bool, error) {
	b, err := os.ReadFile(planFile)
	if err != nil {
		return nil, false, err
	}
	var p struct {
		Resources []struct {
			Name   string `json:"name"`
			Inputs struct {
				Values struct {
					Controller struct {
						Config struct {
							Entries map[string]string `json:"entries"`
						} `json:"config"`
						EnableSnippets bool `json:"enableSnippets"`
					} `json:"controller"`
				} `json:"values"`
			} `json:"inputs"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, false, fmt.Errorf("read plan: %w", err)
	}
	for _, r := range p.Resources {
		if r.Name == "ingress-controller" {
			c := r.Inputs.Values.Controller
			return c.Config.Entries, c.EnableSnippets, nil
		}
	}
	return nil, false, fmt.Errorf("no ingress-controller release in %s", planFile)
}

// Facts from the controller's validation and parsing at v5.5.0 (internal/k8s/validation.go,
// internal/configs/annotations.go and parsing_helpers.go), applied to the annotations used.
var (
	rateRegexp       = regexp.MustCompile(`^(\d+)(r/s|r/m)$`)
	headerNameRegexp = regexp.MustCompile("^[-!#$%&'*+.^_`|~0-9A-Za-z]+$")
	// minionDenylist: keys the controller drops from a minion; masterDenylist: from a master.
	minionDenylist = []string{"nginx.org/proxy-hide-headers", "nginx.org/ssl-redirect", "nginx.org/hsts",
		"nginx.org/hsts-max-age", "nginx.org/server-snippets"}
)

// validate refuses what the controller would refuse (the Ingress is rejected) or silently drop.
func validate(a map[string]string, snippets bool) error {
	kind := a["nginx.org/mergeable-ingress-type"]
	if kind != "master" && kind != "minion" {
		return fmt.Errorf("nginx.org/mergeable-ingress-type %q: must be master or minion", kind)
	}
	for _, k := range []string{"nginx.org/ssl-redirect", "nginx.org/hsts", "nginx.org/limit-req-no-delay"} {
		if v, ok := a[k]; ok {
			if _, err := strconv.ParseBool(v); err != nil {
				return fmt.Errorf("%s %q: not a boolean", k, v)
			}
		}
	}
	for _, k := range []string{"nginx.org/limit-req-burst", "nginx.org/limit-req-reject-code", "nginx.org/hsts-max-age"} {
		if v, ok := a[k]; ok {
			if _, err := strconv.Atoi(v); err != nil {
				return fmt.Errorf("%s %q: not an integer", k, v)
			}
		}
	}
	if _, ok := a["nginx.org/hsts-max-age"]; ok && a["nginx.org/hsts"] == "" {
		return fmt.Errorf("nginx.org/hsts-max-age without nginx.org/hsts")
	}
	if v, ok := a["nginx.org/limit-req-rate"]; ok {
		m := rateRegexp.FindStringSubmatch(strings.TrimSpace(v))
		if m == nil || m[1] == "0" || strings.TrimLeft(m[1], "0") == "" {
			return fmt.Errorf("nginx.org/limit-req-rate %q: want a rate above 0 in r/s or r/m", v)
		}
	}
	if v, ok := a["nginx.org/add-header"]; ok {
		for _, e := range strings.Split(v, ",") {
			parts := strings.SplitN(strings.TrimSpace(e), ":", 3)
			if !headerNameRegexp.MatchString(strings.TrimSpace(parts[0])) {
				return fmt.Errorf("nginx.org/add-header entry %q: bad header name", e)
			}
			if len(parts) >= 2 && strings.ContainsAny(parts[1], "$\"\n\r") {
				return fmt.Errorf("nginx.org/add-header entry %q: value with $, a quote or a newline", e)
			}
			if len(parts) == 3 && strings.TrimSpace(parts[2]) != "" && !strings.EqualFold(strings.TrimSpace(parts[2]), "always") {
				return fmt.Errorf("nginx.org/add-header entry %q: flag must be always", e)
			}
		}
	}
	if v, ok := a["nginx.org/proxy-hide-headers"]; ok {
		for _, h := range strings.Split(v, ",") {
			if !headerNameRegexp.MatchString(strings.TrimSpace(h)) {
				return fmt.Errorf("nginx.org/proxy-hide-headers %q: bad header name", h)
			}
		}
	}
	for _, k := range []string{"nginx.org/server-snippets", "nginx.org/location-snippets"} {
		if _, ok := a[k]; ok && !snippets {
			return fmt.Errorf("%s with controller.enableSnippets off: the controller rejects the Ingress", k)
		}
	}
	if kind == "minion" {
		for _, k := range minionDenylist {
			if _, ok := a[k]; ok {
				return fmt.Errorf("%s on a minion: the controller ignores it there", k)
			}
		}
	}
	return nil
}

func render(dir, planFile string, httpPort, httpsPort int, cert, key, prefix string, ups upstreams) (string, error) {
	cm, snippets, err := entries(planFile)
	if err != nil {
		return "", err
	}
	files, err := filepath.Glob(filepath.Join(dir, "ingress-*.yaml"))
	if err != nil {
		return "", err
	}
	masters := map[string]ingress{}
	minions := map[string][]ingress{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		var ing ingress
		if err := yaml.Unmarshal(b, &ing); err != nil {
			return "", fmt.Errorf("%s: %w", f, err)
		}
		for k := range ing.Metadata.Annotations {
			if !known[k] {
				return "", fmt.Errorf("%s: annotation %s is not rendered here; add it with the template's lines", f, k)
			}
		}
		if err := validate(ing.Metadata.Annotations, snippets); err != nil {
			return "", fmt.Errorf("%s: the controller would refuse or ignore it: %w", f, err)
		}
		if len(ing.Spec.Rules) != 1 {
			return "", fmt.Errorf("%s: %d rules; the controller merges only single-host Ingresses", f, len(ing.Spec.Rules))
		}
		host := ing.Spec.Rules[0].Host
		switch ing.Metadata.Annotations["nginx.org/mergeable-ingress-type"] {
		case "master":
			if _, dup := masters[host]; dup {
				return "", fmt.Errorf("two masters for %s", host)
			}
			masters[host] = ing
		case "minion":
			minions[host] = append(minions[host], ing)
		default:
			return "", fmt.Errorf("%s: not mergeable; every site Ingress is a master or a minion", f)
		}
	}
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	w("# Rendered by tests/edge/render from the plan's manifests, as the F5 controller v5.5.0 would.")
	w("daemon off;")
	w("worker_processes 1;")
	w("pid %s/nginx.pid;", prefix)
	w("error_log %s/error.log info;", prefix)
	w("events { worker_connections 256; }")
	w("http {")
	w("access_log %s/access.log;", prefix)
	for _, t := range []string{"client_body", "proxy", "fastcgi", "uwsgi", "scgi"} {
		w("%s_temp_path %s/%s;", t, prefix, t)
	}
	// The controller's ConfigMap: client-max-body-size goes into every location,
	// proxy-read-timeout likewise, server-tokens into every server.
	serverTokens := "on"
	if v, ok := cm["server-tokens"]; ok {
		on, err := strconv.ParseBool(v)
		if err != nil {
			return "", fmt.Errorf("server-tokens %q", v)
		}
		if !on {
			serverTokens = "off"
		}
	}
	bodySize := cm["client-max-body-size"]
	if bodySize == "" {
		bodySize = "1m"
	}
	readTimeout := cm["proxy-read-timeout"]
	if readTimeout == "" {
		readTimeout = defaultProxyTimeout
	}
	services := map[string]bool{}
	hosts := make([]string, 0, len(masters))
	for h := range masters {
		hosts = append(hosts, h)
	}
	sort.Strings(hosts)
	for _, h := range hosts {
		for _, m := range minions[h] {
			a := m.Metadata.Annotations
			if rate := a["nginx.org/limit-req-rate"]; rate != "" {
				w("limit_req_zone %s zone=%s/%s:%s rate=%s;", defaultLimitReqKey, m.Metadata.Namespace, m.Metadata.Name, defaultLimitReqZoneSize, rate)
			}
			for _, p := range m.Spec.Rules[0].HTTP.Paths {
				services[m.Metadata.Namespace+"/"+p.Backend.Service.Name] = true
			}
		}
	}
	names := make([]string, 0, len(services))
	for s := range services {
		names = append(names, s)
	}
	sort.Strings(names)
	for _, s := range names {
		_, svc, _ := strings.Cut(s, "/")
		addr, ok := ups[s]
		if !ok {
			addr, ok = ups[svc]
		}
		if !ok {
			return "", fmt.Errorf("no -upstream for service %s", s)
		}
		w("upstream %s { server %s; }", upstreamName(s), addr)
	}
	for _, h := range hosts {
		m := masters[h]
		a := m.Metadata.Annotations
		ssl := len(m.Spec.TLS) > 0
		w("server {")
		w("\tlisten %d;", httpPort)
		if ssl {
			w("\tlisten %d ssl;", httpsPort)
			w("\tssl_certificate %s;", cert)
			w("\tssl_certificate_key %s;", key)
		}
		w("\tserver_tokens %s;", serverTokens)
		w("\tserver_name %s;", h)
		if v := a["nginx.org/proxy-hide-headers"]; v != "" {
			for _, hh := range strings.Split(v, ",") {
				w("\tproxy_hide_header %s;", strings.TrimSpace(hh))
			}
		}
		for _, e := range strings.Split(a["nginx.org/add-header"], ",") {
			// ParseAddHeaders (internal/configs/version1/header_parsing_helper.go): entries split
			// on ",", each on ":" into at most name, value and "always".
			parts := strings.SplitN(strings.TrimSpace(e), ":", 3)
			if strings.TrimSpace(parts[0]) == "" {
				continue
			}
			val := ""
			if len(parts) >= 2 {
				val = strings.TrimSpace(parts[1])
			}
			always := ""
			if len(parts) == 3 && strings.EqualFold(strings.TrimSpace(parts[2]), "always") {
				always = " always"
			}
			w("\tadd_header %s %q%s;", strings.TrimSpace(parts[0]), val, always)
		}
		if hsts, _ := strconv.ParseBool(a["nginx.org/hsts"]); hsts && ssl {
			age := a["nginx.org/hsts-max-age"]
			if age == "" {
				age = defaultHSTSMaxAge
			}
			w("\tset $hsts_header_val \"\";")
			w("\tproxy_hide_header Strict-Transport-Security;")
			w("\tif ($https = on) {")
			w("\t\tset $hsts_header_val \"max-age=%s; preload\";", age)
			w("\t}")
			w("\tadd_header Strict-Transport-Security \"$hsts_header_val\" always;")
		}
		// ssl-redirect: the ConfigMap default is true; the annotation overrides it.
		if redirect, err := strconv.ParseBool(a["nginx.org/ssl-redirect"]); ssl && (err != nil || redirect) {
			w("\tif ($scheme = http) {")
			w("\t\treturn 301 https://$host:%d$request_uri;", httpsPort)
			w("\t}")
		}
		if s := a["nginx.org/server-snippets"]; s != "" {
			for _, line := range strings.Split(s, "\n") {
				w("\t%s", line)
			}
		}
		for _, mn := range minions[h] {
			ma := mn.Metadata.Annotations
			for _, p := range mn.Spec.Rules[0].HTTP.Paths {
				path := p.Path
				if p.PathType == "Exact" {
					path = "= " + path
				}
				svc := mn.Metadata.Namespace + "/" + p.Backend.Service.Name
				w("\tlocation %s {", path)
				w("\t\tset $service %q;", p.Backend.Service.Name)
				w("\t\t# location for minion %s/%s", mn.Metadata.Namespace, mn.Metadata.Name)
				w("\t\tproxy_http_version 1.1;")
				if s := ma["nginx.org/location-snippets"]; s != "" {
					for _, line := range strings.Split(s, "\n") {
						w("\t\t%s", line)
					}
				}
				w("\t\tproxy_connect_timeout %s;", defaultProxyTimeout)
				w("\t\tproxy_read_timeout %s;", readTimeout)
				w("\t\tproxy_send_timeout %s;", defaultProxyTimeout)
				w("\t\tclient_max_body_size %s;", bodySize)
				w("\t\tproxy_set_header Host $host;")
				w("\t\tproxy_set_header X-Real-IP $remote_addr;")
				w("\t\tproxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;")
				w("\t\tproxy_set_header X-Forwarded-Host $host;")
				w("\t\tproxy_set_header X-Forwarded-Port $server_port;")
				w("\t\tproxy_set_header X-Forwarded-Proto $scheme;")
				w("\t\tproxy_buffering on;")
				w("\t\tproxy_pass http://%s;", upstreamName(svc))
				if rate := ma["nginx.org/limit-req-rate"]; rate != "" {
					burst := ""
					if v := ma["nginx.org/limit-req-burst"]; v != "" && v != "0" {
						burst = "burst=" + v
					}
					nodelay := ""
					if v, _ := strconv.ParseBool(ma["nginx.org/limit-req-no-delay"]); v {
						nodelay = "nodelay"
					}
					w("\t\tlimit_req zone=%s/%s %s %s;", mn.Metadata.Namespace, mn.Metadata.Name, burst, nodelay)
					w("\t\tlimit_req_log_level %s;", defaultLimitReqLogLevel)
					code := ma["nginx.org/limit-req-reject-code"]
					if code == "" {
						code = "429"
					}
					w("\t\tlimit_req_status %s;", code)
				}
				w("\t}")
			}
		}
		w("}")
	}
	w("}")
	return b.String(), nil
}

// upstreamName is a Service's upstream, named as the controller names them
// (<namespace>-<ingress>-<host>-<service>-<port> there; unique per Service is all nginx needs).
func upstreamName(svc string) string { return strings.NewReplacer("/", "-", ".", "-").Replace(svc) }
