package tests

// Resource-graph tests of the Kubernetes layer (issue 3) for the dev and prod stack files: the
// provider, the ingress controller release, and per site its component, Deployments, Secret,
// Services, disruption budgets, Ingress, wp-content volume, network policies, cron and database
// user Job.

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/example/wordpress-aks/config"
	"github.com/example/wordpress-aks/plan"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// gWordPressKeyFiles are the Secret's entries for WordPress's eight keys and salts.
var gWordPressKeyFiles = []string{
	"auth-key", "secure-auth-key", "logged-in-key", "nonce-key",
	"auth-salt", "secure-auth-salt", "logged-in-salt", "nonce-salt",
}

// gSiteChildren are the logical names (after "<site>-") of everything a Site component owns.
// The site's passwords are not among them: the program generates them and hands them in
// (secrets_input_test.go).
var gSiteChildren = []string{
	"namespace", "secret", "db-secret", "tls-secret",
	"default-deny", "user-traffic", "admin-traffic", "admin-extra", "cron-traffic",
	"content-volume", "content-claim", "db-user",
	"user", "admin", "user-service", "admin-service", "user-pdb", "admin-pdb",
	"ingress", "cron",
}

func TestGraphKubernetesProvider(t *testing.T) {
	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		prov := gFind(t, p, "aks-provider")
		if got := prov.Type; got != "pulumi:providers:kubernetes" {
			t.Errorf("aks-provider is a %s", got)
		}
		gWantDeps(t, prov, "aks")
		if got := gInput(t, prov, "kubeconfig"); got != plan.Secret {
			t.Errorf("kubeconfig is %v, want %s", got, plan.Secret)
		}
		n := 0
		for _, r := range p.Resources {
			if !strings.HasPrefix(r.Type, "kubernetes:") {
				continue
			}
			n++
			if r.Provider != "aks-provider" {
				t.Errorf("%s (%s) uses provider %q, want aks-provider", r.Name, r.Type, r.Provider)
			}
		}
		if n < 40 {
			t.Errorf("only %d Kubernetes resources in the plan", n)
		}
	})
}

func TestGraphIngressController(t *testing.T) {
	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		rel := gFind(t, p, "ingress-controller")
		if !strings.HasPrefix(rel.Type, "kubernetes:helm.sh/") || !strings.HasSuffix(rel.Type, ":Release") {
			t.Errorf("ingress-controller is a %s, want a Helm release", rel.Type)
		}
		ip := gFind(t, p, "ingress-ip")
		rg := gFind(t, p, "resource-group")
		for _, c := range []struct {
			path string
			want any
		}{
			{"chart", "oci://ghcr.io/nginx/charts/nginx-ingress"},
			{"version", config.DefaultIngressChartVersion},
			{"values.controller.replicaCount", float64(w.ingressReplicas)},
			{"values.controller.service.externalTrafficPolicy", "Local"},
			{`values.controller.service.annotations["service.beta.kubernetes.io/azure-pip-name"]`, gStr(t, ip, "publicIpAddressName")},
			{`values.controller.service.annotations["service.beta.kubernetes.io/azure-load-balancer-resource-group"]`, gStr(t, rg, "resourceGroupName")},
			{"values.controller.ingressClass.name", "nginx"},
			{"values.controller.topologySpreadConstraints[0].topologyKey", "kubernetes.io/hostname"},
		} {
			if got := gInput(t, rel, c.path); got != c.want {
				t.Errorf("ingress-controller %s is %v, want %v", c.path, got, c.want)
			}
		}
		// Controller pods spread: the constraint selects the chart's own pod labels.
		sel := gStringMap(t, gMap(t, rel, "values.controller.topologySpreadConstraints[0].labelSelector.matchLabels"))
		if want := map[string]string{"app.kubernetes.io/name": "nginx-ingress", "app.kubernetes.io/instance": gStr(t, rel, "name")}; !gEqualMaps(sel, want) {
			t.Errorf("spread selects %v, want %v", sel, want)
		}
		// A disruption budget when there is more than one controller to keep.
		if w.ingressReplicas > 1 {
			if !gBool(t, rel, "values.controller.podDisruptionBudget.enabled") {
				t.Errorf("controller disruption budget is off with %d replicas", w.ingressReplicas)
			}
		} else if gHasInput(rel, "values.controller.podDisruptionBudget") {
			t.Errorf("controller has a disruption budget with one replica: a node drain would block")
		}
		// Not before AKS may use the IP.
		gWantDeps(t, rel, "aks-network-contributor")
	})
}

// TestGraphIngressControllerAfterIP: the controller's Service names the static IP by its Azure
// name, so the release must come after the IP and go before it. Without the edge the IP is a
// leaf of the graph: `pulumi destroy` (dev, where it is not protected) deletes it in the first
// wave, while the load balancer still uses it, and Azure refuses.
func TestGraphIngressControllerAfterIP(t *testing.T) {
	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		gWantDeps(t, gFind(t, p, "ingress-controller"), "ingress-ip")
	})
}

func TestGraphSiteComponents(t *testing.T) {
	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		var sites []string
		for _, r := range p.Resources {
			if r.Type == "wordpress-aks:k8s:Site" {
				sites = append(sites, r.Name)
				if r.Parent != "" {
					t.Errorf("site %s has parent %q, want the stack", r.Name, r.Parent)
				}
			}
		}
		sort.Strings(sites)
		if want := gSiteNames(w); !gEqualStrings(sites, want) {
			t.Fatalf("site components are %v, want %v", sites, want)
		}
		for _, site := range sites {
			for _, part := range gSiteChildren {
				if got := gFind(t, p, site+"-"+part).Parent; got != site {
					t.Errorf("%s-%s has parent %q, want site %s", site, part, got, site)
				}
			}
			for _, r := range p.Resources {
				if r.Parent == site && !strings.HasPrefix(r.Name, site+"-") {
					t.Errorf("site %s owns %s, whose name does not start with the site's", site, r.Name)
				}
				if strings.HasPrefix(r.Type, "kubernetes:") && strings.HasPrefix(r.Name, site+"-") && r.Parent != site {
					t.Errorf("%s has parent %q, want site %s", r.Name, r.Parent, site)
				}
			}
			// The passwords behind the Secret are generated by the program, at the stack's
			// root, so that the layer can be handed secrets of a test's own.
			for _, k := range append([]string{"db-password"}, gWordPressKeyFiles...) {
				r := gFind(t, p, site+"-"+k)
				if !strings.HasSuffix(r.Type, ":RandomPassword") {
					t.Errorf("%s is a %s, want a RandomPassword", r.Name, r.Type)
				}
				if r.Parent != "" {
					t.Errorf("%s has parent %q, want the stack", r.Name, r.Parent)
				}
			}
		}
	})
}

func TestGraphDeployments(t *testing.T) {
	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		reg := gFind(t, p, "registry")
		build := gFind(t, p, "image-build")
		tag := gStr(t, build, "forceUpdateTag")
		if got := gStrs(t, build, "runRequest.imageNames"); !gEqualStrings(got, []string{"wordpress:" + tag}) {
			t.Errorf("image build pushes %v, want [wordpress:%s]", got, tag)
		}
		wantImage := strings.ToLower(gStr(t, reg, "registryName")) + ".azurecr.io/wordpress:" + tag
		for _, site := range gSiteNames(w) {
			for _, comp := range []string{"user", "admin"} {
				t.Run(site+"-"+comp, func(t *testing.T) {
					d := gFind(t, p, site+"-"+comp)
					ns := "wp-" + site
					if got := gStr(t, d, "metadata.namespace"); got != ns {
						t.Errorf("namespace is %q, want %q", got, ns)
					}
					spec := "spec.template.spec."
					c := spec + "containers[0]."
					if got := gStrs(t, d, spec+"affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values"); !gEqualStrings(got, []string{comp}) {
						t.Errorf("node affinity values are %v, want [%s]", got, comp)
					}
					for _, k := range []struct {
						path string
						want any
					}{
						{spec + "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key", "env"},
						{spec + "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator", "In"},
						{"spec.replicas", float64(w.siteReplicas)},
						{"spec.strategy.type", "RollingUpdate"},
						{"spec.strategy.rollingUpdate.maxSurge", 1.0},
						{"spec.strategy.rollingUpdate.maxUnavailable", 0.0},
						{c + "startupProbe.httpGet.path", "/healthz"},
						{c + "readinessProbe.httpGet.path", "/readyz"},
						{c + "resources.requests.memory", "500Mi"},
						{c + "resources.limits.memory", "500Mi"},
						{c + "image", wantImage},
						{spec + "securityContext.runAsNonRoot", true},
						{spec + "securityContext.seccompProfile.type", "RuntimeDefault"},
						{spec + "automountServiceAccountToken", false},
						{c + "securityContext.allowPrivilegeEscalation", false},
					} {
						if got := gInput(t, d, k.path); got != k.want {
							t.Errorf("%s is %v, want %v", k.path, got, k.want)
						}
					}
					if got := gStrs(t, d, c+"securityContext.capabilities.drop"); !gEqualStrings(got, []string{"ALL"}) {
						t.Errorf("dropped capabilities are %v, want [ALL]", got)
					}
					for _, k := range []string{"spec.minReadySeconds", "spec.progressDeadlineSeconds"} {
						if got := gInt(t, d, k); got <= 0 {
							t.Errorf("%s is %d, want it set", k, got)
						}
					}
					// The stop sequence's numbers are checked against the budget in
					// TestGraphStopBudget; here, that it is our command.
					if got := gStrs(t, d, c+"lifecycle.preStop.exec.command"); len(got) != 3 || got[0] != "wp-graceful-stop" {
						t.Errorf("preStop is %v, want [wp-graceful-stop DRAIN LINGER]", got)
					}
					// Liveness needs no Apache worker (stall.bats): an exec probe, never HTTP.
					if got := gStrs(t, d, c+"livenessProbe.exec.command"); !gEqualStrings(got, []string{"wp-healthz", "8080"}) {
						t.Errorf("liveness runs %v, want [wp-healthz 8080]", got)
					}
					if gHasInput(d, c+"livenessProbe.httpGet") || gHasInput(d, c+"livenessProbe.tcpSocket") {
						t.Errorf("liveness goes over the network: it would need a free worker, which slow NFS takes")
					}
					// A startup probe instead of the original's 240 s initial delay.
					if !gHasInput(d, c+"startupProbe.httpGet.path") {
						t.Errorf("no startup probe")
					}
					for _, probe := range []string{"startupProbe", "livenessProbe", "readinessProbe"} {
						if v, err := gLookup(d.Inputs, c+probe+".initialDelaySeconds"); err == nil && v.(float64) >= 240 {
							t.Errorf("%s waits %v s before its first check", probe, v)
						}
					}

					// wp-content: the site's own directory of the shared claim; on user pods
					// mounted beside the docroot, whose wp-content is the local copy of the code
					// (TestGraphCodeSync).
					vols := gList(t, d, spec+"volumes")
					contentPath := "/var/www/html/wp-content"
					if comp == "user" {
						contentPath = "/var/www/site"
					}
					content := gFindBy(t, gList(t, d, c+"volumeMounts"), "mountPath", contentPath)
					if got := content["subPath"]; got != site {
						t.Errorf("wp-content subPath is %v, want %q", got, site)
					}
					claim := gStr(t, gFind(t, p, site+"-content-claim"), "metadata.name")
					if got := gAt(t, gFindBy(t, vols, "name", content["name"].(string)), "persistentVolumeClaim.claimName"); got != claim {
						t.Errorf("wp-content comes from claim %v, want the site's claim %s", got, claim)
					}
					// The same Secret for user and admin (one set of keys and salts per site).
					secretMount := gFindBy(t, gList(t, d, c+"volumeMounts"), "mountPath", "/run/secrets/wordpress")
					if got := gAt(t, gFindBy(t, vols, "name", secretMount["name"].(string)), "secret.secretName"); got != "wordpress" {
						t.Errorf("secret volume is from %v, want Secret wordpress", got)
					}
					if got := gStr(t, gFind(t, p, site+"-secret"), "metadata.namespace"); got != ns {
						t.Errorf("Secret wordpress is in %q, the Deployment in %q", got, ns)
					}
					for _, v := range vols {
						if name, _ := gLookup(v, "secret.secretName"); name != nil && name != "wordpress" {
							t.Errorf("pods mount Secret %v; a site's pods read only their own", name)
						}
					}

					// Secrets as files only.
					env := map[string]string{}
					for _, e := range gList(t, d, c+"env") {
						m := e.(map[string]any)
						if _, ok := m["valueFrom"]; ok {
							t.Errorf("env %v reads from a reference; secrets come as files", m["name"])
						}
						v, _ := m["value"].(string)
						if v == plan.Secret || m["value"] == nil {
							t.Errorf("env %v carries a secret value", m["name"])
						}
						env[m["name"].(string)] = v
					}
					fileVars := map[string]string{"WORDPRESS_DB_PASSWORD_FILE": "db-password"}
					for _, k := range gWordPressKeyFiles {
						fileVars["WORDPRESS_"+strings.ToUpper(strings.ReplaceAll(k, "-", "_"))+"_FILE"] = k
					}
					if len(fileVars) != 9 {
						t.Fatalf("test table: %d file variables", len(fileVars))
					}
					for name, file := range fileVars {
						if got, want := env[name], "/run/secrets/wordpress/"+file; got != want {
							t.Errorf("%s is %q, want %q", name, got, want)
						}
					}
					extra := env["WORDPRESS_CONFIG_EXTRA"]
					for _, want := range []string{"MYSQLI_CLIENT_SSL", "DISABLE_WP_CRON", "define('WP_HOME', 'https://" + w.sites[site][0] + "')"} {
						if !strings.Contains(extra, want) {
							t.Errorf("WORDPRESS_CONFIG_EXTRA lacks %q:\n%s", want, extra)
						}
					}
					if got, want := env["WORDPRESS_DB_NAME"], w.databases[site]; got != want {
						t.Errorf("WORDPRESS_DB_NAME is %q, want %q", got, want)
					}
					if host := env["WORDPRESS_DB_HOST"]; !strings.Contains(host, gStr(t, gFind(t, p, "mysql"), "serverName")) {
						t.Errorf("WORDPRESS_DB_HOST is %q, not the MySQL server", host)
					}

					gWantDeps(t, d, "ingress-controller", site+"-secret", site+"-db-user", "image-build", "kubelet-acr-pull", site+"-content-claim")
				})
			}
		}
	})
}

func TestGraphPodSecurity(t *testing.T) {
	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		// Every pod we run: the Deployments, the cron and the database Jobs.
		prefixes := map[string]string{"Deployment": "spec.template.spec", "Job": "spec.template.spec", "CronJob": "spec.jobTemplate.spec.template.spec"}
		n := 0
		for _, r := range p.Resources {
			kind := r.Type[strings.LastIndex(r.Type, ":")+1:]
			spec, ok := prefixes[kind]
			if !ok || !strings.HasPrefix(r.Type, "kubernetes:") {
				continue
			}
			n++
			if got := gInput(t, r, spec+".securityContext.runAsNonRoot"); got != true {
				t.Errorf("%s runAsNonRoot is %v", r.Name, got)
			}
			if got := gInput(t, r, spec+".securityContext.seccompProfile.type"); got != "RuntimeDefault" {
				t.Errorf("%s seccomp is %v", r.Name, got)
			}
			if got := gInput(t, r, spec+".automountServiceAccountToken"); got != false {
				t.Errorf("%s mounts a service-account token", r.Name)
			}
			for i, c := range gList(t, r, spec+".containers") {
				if got := gAt(t, c, "securityContext.allowPrivilegeEscalation"); got != false {
					t.Errorf("%s container %d allowPrivilegeEscalation is %v", r.Name, i, got)
				}
				if got := gAt(t, c, "securityContext.capabilities.drop"); len(got.([]any)) != 1 || got.([]any)[0] != "ALL" {
					t.Errorf("%s container %d drops %v, want [ALL]", r.Name, i, got)
				}
			}
		}
		if want := 4 * len(w.sites); n != want {
			t.Errorf("checked %d workloads, want %d (user, admin, cron, db job per site)", n, want)
		}
	})
}

func TestGraphSiteSecret(t *testing.T) {
	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		for _, site := range gSiteNames(w) {
			s := gFind(t, p, site+"-secret")
			if got := gStr(t, s, "metadata.name"); got != "wordpress" {
				t.Errorf("%s is named %q, want wordpress", s.Name, got)
			}
			if got := gStr(t, s, "metadata.namespace"); got != "wp-"+site {
				t.Errorf("%s is in %q, want wp-%s", s.Name, got, site)
			}
			// The database password and the eight keys and salts, every value secret.
			want := map[string]string{"db-password": plan.Secret}
			for _, k := range gWordPressKeyFiles {
				want[k] = plan.Secret
			}
			if got := gStringMap(t, gMap(t, s, "stringData")); !gEqualMaps(got, want) {
				t.Errorf("%s data is %v, want %v", s.Name, got, want)
			}
			// Made of the site's own generated values.
			for _, k := range append([]string{"db-password"}, gWordPressKeyFiles...) {
				gWantDeps(t, s, site+"-"+k)
			}
		}
	})
}

// TestGraphSiteSecretContents looks inside the secrets under our own mock, which knows every
// generated password: the site Secret holds exactly the database password and the eight keys
// and salts, each the site's own random value and each secret; the Job's copy in wp-system
// holds the same database password; the TLS secret holds the configured pair.
func TestGraphSiteSecretContents(t *testing.T) {
	mon := graphRaw(t, "prod")
	for _, site := range gSiteNames(gWants["prod"]) {
		t.Run(site, func(t *testing.T) {
			data := gRawSecretMap(t, mon.find(t, site+"-secret"), "stringData")
			want := map[string]string{"db-password": mon.results[site+"-db-password"]}
			for _, k := range gWordPressKeyFiles {
				want[k] = mon.results[site+"-"+k]
			}
			if !gEqualMaps(data, want) {
				t.Errorf("Secret wordpress holds %v, want the site's passwords under %v", gKeys(data), gKeys(want))
			}
			for k, v := range want {
				if v == "" {
					t.Errorf("no generated value for %s", k)
				}
			}
			db := gRawSecretMap(t, mon.find(t, site+"-db-secret"), "stringData")
			if got, want := db["password"], mon.results[site+"-db-password"]; got != want || len(db) != 1 {
				t.Errorf("db-%s secret holds %v, want only the site's database password", site, gKeys(db))
			}
			tls := gRawSecretMap(t, mon.find(t, site+"-tls-secret"), "stringData")
			wantTLS := map[string]string{
				"tls.crt": mon.src.Values[graphProject+":tlsCertificate"],
				"tls.key": mon.src.Values[graphProject+":tlsPrivateKey"],
			}
			if !gEqualMaps(tls, wantTLS) {
				t.Errorf("TLS secret holds %v, want tls.crt and tls.key from the stack config", gKeys(tls))
			}
		})
	}
	// The MySQL administrator password is only in wp-system.
	admin := mon.find(t, "mysql-admin-secret")
	adminData := gRawSecretMap(t, admin, "stringData")
	if got := adminData["password"]; got != mon.results["mysql-admin-password"] {
		t.Errorf("mysql-admin secret does not hold the server's admin password")
	}
	for _, r := range mon.regs {
		if !strings.HasSuffix(r.Type, ":Secret") || r.Name == "mysql-admin-secret" {
			continue
		}
		for k, v := range r.Inputs {
			inner, _ := gUnwrapSecret(v)
			if strings.Contains(inner.String(), mon.results["mysql-admin-password"]) {
				t.Errorf("%s.%s holds the MySQL admin password", r.Name, k)
			}
		}
	}
}

// gRawSecretMap returns a secret map input, failing when it is not secret.
func gRawSecretMap(t *testing.T, r gRegistration, key string) map[string]string {
	t.Helper()
	v, ok := r.Inputs[resource.PropertyKey(key)]
	if !ok {
		t.Fatalf("%s has no %s", r.Name, key)
	}
	inner, secret := gUnwrapSecret(v)
	if !secret {
		t.Errorf("%s.%s is not a secret", r.Name, key)
	}
	if !inner.IsObject() {
		t.Fatalf("%s.%s is %v, not a known object", r.Name, key, inner)
	}
	out := map[string]string{}
	for k, e := range inner.ObjectValue() {
		s, _ := gUnwrapSecret(e)
		if !s.IsString() {
			t.Fatalf("%s.%s.%s is %v, not a known string", r.Name, key, k, s)
		}
		out[string(k)] = s.StringValue()
	}
	return out
}

func TestGraphServicesAndBudgets(t *testing.T) {
	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		for _, site := range gSiteNames(w) {
			for _, comp := range []string{"user", "admin"} {
				d := gFind(t, p, site+"-"+comp)
				sel := gStringMap(t, gMap(t, d, "spec.selector.matchLabels"))
				podLabels := gStringMap(t, gMap(t, d, "spec.template.metadata.labels"))
				for k, v := range sel {
					if podLabels[k] != v {
						t.Errorf("%s selector %s=%s does not match its pods", d.Name, k, v)
					}
				}
				port := gFindBy(t, gList(t, d, "spec.template.spec.containers[0].ports"), "name", "http")

				svc := gFind(t, p, site+"-"+comp+"-service")
				if got := gStr(t, svc, "metadata.name"); got != comp {
					t.Errorf("%s is named %q, want %q (the Ingress backends)", svc.Name, got, comp)
				}
				if got := gStr(t, svc, "spec.type"); got != "ClusterIP" {
					t.Errorf("%s type is %q, want ClusterIP", svc.Name, got)
				}
				if got := gInt(t, svc, "spec.ports[0].port"); got != 80 {
					t.Errorf("%s port is %d, want 80", svc.Name, got)
				}
				if got := gStr(t, svc, "spec.ports[0].targetPort"); got != "http" || port["name"] != "http" {
					t.Errorf("%s targets port %q, the pods name theirs %v", svc.Name, got, port["name"])
				}
				if got := gStringMap(t, gMap(t, svc, "spec.selector")); !gEqualMaps(got, sel) {
					t.Errorf("%s selects %v, the Deployment %v", svc.Name, got, sel)
				}

				pdb := gFind(t, p, site+"-"+comp+"-pdb")
				if got := gStringMap(t, gMap(t, pdb, "spec.selector.matchLabels")); !gEqualMaps(got, sel) {
					t.Errorf("%s selects %v, the Deployment %v", pdb.Name, got, sel)
				}
				if got := gStr(t, pdb, "metadata.namespace"); got != "wp-"+site {
					t.Errorf("%s is in %q", pdb.Name, got)
				}
				if !gHasInput(pdb, "spec.maxUnavailable") && !gHasInput(pdb, "spec.minAvailable") {
					t.Errorf("%s sets neither maxUnavailable nor minAvailable", pdb.Name)
				}
			}
		}
	})
}

// The sites' Ingresses and TLS secrets: edge_test.go.

func TestGraphContentVolume(t *testing.T) {
	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		for _, site := range gSiteNames(w) {
			// Volume and claim are named after the volume's source, which cannot change in
			// place (k8s/storage.go, contentVolumeKey).
			key := gContentVolumeKey(w.nfsIP, "/srv/nfs/wordpress")
			pv := gFind(t, p, site+"-content-volume")
			if got, want := gStr(t, pv, "metadata.name"), "wp-content-"+site+"-"+key; got != want {
				t.Errorf("%s is named %q, want %s", pv.Name, got, want)
			}
			for _, c := range []struct {
				path string
				want any
			}{
				{"spec.nfs.server", w.nfsIP},
				{"spec.nfs.path", "/srv/nfs/wordpress"},
				{"spec.persistentVolumeReclaimPolicy", "Retain"},
				{"spec.claimRef.namespace", "wp-" + site},
				{"spec.claimRef.name", "wp-content-" + key},
			} {
				if got := gInput(t, pv, c.path); got != c.want {
					t.Errorf("%s %s is %v, want %v", pv.Name, c.path, got, c.want)
				}
			}
			if got := gStrs(t, pv, "spec.accessModes"); !gEqualStrings(got, []string{"ReadWriteMany"}) {
				t.Errorf("%s access modes are %v", pv.Name, got)
			}
			opts := strings.Join(gStrs(t, pv, "spec.mountOptions"), ",")
			for _, o := range []string{"nfsvers=4.1", "hard"} {
				if !strings.Contains(","+opts+",", ","+o+",") {
					t.Errorf("%s mount options %s lack %s", pv.Name, opts, o)
				}
			}
			gWantDeps(t, pv, "nfs-vm")

			pvc := gFind(t, p, site+"-content-claim")
			if got := gStr(t, pvc, "spec.volumeName"); got != gStr(t, pv, "metadata.name") {
				t.Errorf("%s binds %q, want %q", pvc.Name, got, gStr(t, pv, "metadata.name"))
			}
			if got := gStr(t, pvc, "metadata.name"); got != "wp-content-"+key {
				t.Errorf("%s is named %q", pvc.Name, got)
			}
			if got := gStr(t, pvc, "metadata.namespace"); got != "wp-"+site {
				t.Errorf("%s is in %q", pvc.Name, got)
			}
			if got := gStrs(t, pvc, "spec.accessModes"); !gEqualStrings(got, []string{"ReadWriteMany"}) {
				t.Errorf("%s access modes are %v", pvc.Name, got)
			}
			gWantDeps(t, pvc, site+"-content-volume")
		}
	})
}

// gPolicyPort is one allowed port of a network policy rule.
type gPolicyPort struct {
	protocol string
	port     float64
}

func TestGraphNetworkPolicies(t *testing.T) {
	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		rel := gFind(t, p, "ingress-controller")
		ingressNS := gStr(t, rel, "namespace")
		controllerPods := gControllerPods(t, rel)
		gCanonicalPolicies(t, p)
		for _, site := range gSiteNames(w) {
			ns := "wp-" + site
			deny := gFind(t, p, site+"-default-deny")
			if got := gStr(t, deny, "metadata.namespace"); got != ns {
				t.Errorf("default deny is in %q, want %q", got, ns)
			}
			gWantDenyAll(t, deny)

			// Every policy that selects a web pod, together. In: the ingress controller's
			// namespace on 8080 (and the cron pods, to the admin pods). Out: DNS, the MySQL
			// subnet on 3306, the ingress controller pods on 80 and 443 (the site's own public
			// URL, which Cilium translates to them); the admin pods also HTTPS to public
			// addresses (plugin and theme updates). Nothing else: no SMTP is configured, and
			// no NFS (the kubelet mounts it from the node, where pod policies do not apply).
			controller := "controller pods in " + ingressNS
			for _, tt := range []struct {
				comp     string
				wantIn   map[string]gPolicyPort
				extraOut map[gPolicyPort][]string
			}{
				{"user", map[string]gPolicyPort{"namespace " + ingressNS: {"TCP", 8080}}, nil},
				{"admin", map[string]gPolicyPort{"namespace " + ingressNS: {"TCP", 8080}, "pods cron": {"TCP", 8080}},
					map[gPolicyPort][]string{{"TCP", 443}: {"0.0.0.0/0"}}},
			} {
				podSel := gStringMap(t, gMap(t, gFind(t, p, site+"-"+tt.comp), "spec.selector.matchLabels"))
				var ins, outs []any
				for _, np := range gOfType(p, "kubernetes", "networking.k8s.io", "NetworkPolicy") {
					if np.Parent != site || np.Name == site+"-default-deny" {
						continue
					}
					if !gSubset(gStringMap(t, gMap(t, np, "spec.podSelector.matchLabels")), podSel) {
						continue
					}
					if v, err := gLookup(np.Inputs, "spec.ingress"); err == nil {
						ins = append(ins, v.([]any)...)
					}
					if v, err := gLookup(np.Inputs, "spec.egress"); err == nil {
						outs = append(outs, v.([]any)...)
					}
				}
				gotIn := map[string]gPolicyPort{}
				for _, in := range ins {
					from := gAt(t, in, "from[0]").(map[string]any)
					src := "?"
					if ns, err := gLookup(from, `namespaceSelector.matchLabels["kubernetes.io/metadata.name"]`); err == nil {
						src = "namespace " + ns.(string)
					} else if c, err := gLookup(from, `podSelector.matchLabels["app.kubernetes.io/component"]`); err == nil {
						src = "pods " + c.(string)
					}
					ports := gRulePorts(t, in)
					if len(ports) != 1 || len(gAt(t, in, "from").([]any)) != 1 {
						t.Errorf("%s pods take traffic from %v on %v, want one source and one port", tt.comp, gAt(t, in, "from"), ports)
						continue
					}
					gotIn[src] = ports[0]
				}
				if len(gotIn) != len(tt.wantIn) || len(ins) != len(tt.wantIn) {
					t.Errorf("%s pods take traffic from %v, want %v", tt.comp, gotIn, tt.wantIn)
				}
				for src, port := range tt.wantIn {
					if got, ok := gotIn[src]; !ok || got != port {
						t.Errorf("%s pods take traffic from %s on %v, want %v", tt.comp, src, got, port)
					}
				}
				allowed := map[gPolicyPort][]string{}
				for _, e := range outs {
					tos := gAt(t, e, "to").([]any)
					if len(tos) != 1 {
						t.Errorf("%s pods: egress rule to %v, want one destination a rule", tt.comp, tos)
						continue
					}
					to := tos[0].(map[string]any)
					dest := "?"
					if cidr, err := gLookup(to, "ipBlock.cidr"); err == nil {
						dest = cidr.(string)
						if dest == "0.0.0.0/0" {
							except, _ := gLookup(to, "ipBlock.except")
							if l, _ := except.([]any); len(l) == 0 || l[0] != "10.0.0.0/8" {
								t.Errorf("%s pods reach the internet without excluding private ranges: %v", tt.comp, except)
							}
						}
					} else if got, _ := gLookup(to, "podSelector.matchLabels.k8s-app"); got == "kube-dns" {
						dest = "dns"
					} else if nsName, _ := gLookup(to, `namespaceSelector.matchLabels["kubernetes.io/metadata.name"]`); nsName == ingressNS {
						// Exactly the controller pods: the chart's pod labels, nothing wider.
						if sel, err := gLookup(to, "podSelector.matchLabels"); err == nil && gEqualMaps(gStringMap(t, sel.(map[string]any)), controllerPods) {
							dest = controller
						} else {
							t.Errorf("%s pods may reach pods %v in %s, want exactly the controller pods %v", tt.comp, sel, ingressNS, controllerPods)
						}
					} else {
						t.Errorf("%s pods may reach %v", tt.comp, to)
					}
					for _, port := range gRulePorts(t, e) {
						allowed[port] = append(allowed[port], dest)
					}
				}
				want := map[gPolicyPort][]string{
					{"UDP", 53}:   {"dns"},
					{"TCP", 53}:   {"dns"},
					{"TCP", 3306}: {w.mysqlSubnet},
					{"TCP", 80}:   {controller},
					{"TCP", 443}:  {controller},
				}
				for port, dests := range tt.extraOut {
					want[port] = append(want[port], dests...)
				}
				if _, ok := allowed[gPolicyPort{"TCP", 2049}]; ok {
					t.Errorf("%s pods have an egress rule for NFS (2049): it cannot take effect, the kubelet mounts NFS from the node", tt.comp)
				}
				if len(allowed) != len(want) {
					t.Errorf("%s pods may leave on %v, want %v", tt.comp, allowed, want)
				}
				for port, dests := range want {
					got := append([]string(nil), allowed[port]...)
					sort.Strings(got)
					sort.Strings(dests)
					if !gEqualStrings(got, dests) {
						t.Errorf("%s pods reach %v at %q, want %q", tt.comp, port, got, dests)
					}
				}
			}
			gControllerTakes(t, p, ingressNS, controllerPods, ns)

			// Cron: every 5 minutes, one at a time, through the admin Service.
			cron := gFind(t, p, site+"-cron")
			if got := gStr(t, cron, "spec.schedule"); got != "*/5 * * * *" {
				t.Errorf("cron schedule is %q", got)
			}
			if got := gStr(t, cron, "spec.concurrencyPolicy"); got != "Forbid" {
				t.Errorf("cron concurrency is %q, want Forbid", got)
			}
			cmd := strings.Join(gStrs(t, cron, "spec.jobTemplate.spec.template.spec.containers[0].command"), " ")
			if want := "http://admin." + ns + ".svc.cluster.local/wp-cron.php"; !strings.Contains(cmd, want) {
				t.Errorf("cron runs %q, want a call to %s", cmd, want)
			}
		}
	})
}

// gControllerPods are the labels F5's chart gives the controller pods: the chart's name (the
// last element of its OCI reference; no nameOverride is set) and the release's name.
func gControllerPods(t *testing.T, rel plan.Resource) map[string]string {
	t.Helper()
	if gHasInput(rel, "values.nameOverride") || gHasInput(rel, "values.controller.selectorLabels") {
		t.Errorf("the release overrides the chart's pod labels; the policies' controller selector must follow")
	}
	chart := gStr(t, rel, "chart")
	return map[string]string{
		"app.kubernetes.io/name":     chart[strings.LastIndex(chart, "/")+1:],
		"app.kubernetes.io/instance": gStr(t, rel, "name"),
	}
}

// gWantDenyAll checks a default-deny policy's shape: every pod, both directions, no rules, in
// the form the API server stores (`podSelector: {}`, no empty rule lists), so a server-side
// apply of it changes nothing (tests/apiserver/run.sh checks that on a real server).
func gWantDenyAll(t *testing.T, deny plan.Resource) {
	t.Helper()
	if got := gMap(t, deny, "spec.podSelector"); len(got) != 0 {
		t.Errorf("%s selects %v, want every pod as podSelector: {}", deny.Name, got)
	}
	types := gStrs(t, deny, "spec.policyTypes")
	sort.Strings(types)
	if !gEqualStrings(types, []string{"Egress", "Ingress"}) {
		t.Errorf("%s types are %v, want both", deny.Name, types)
	}
	for _, k := range []string{"spec.ingress", "spec.egress"} {
		if gHasInput(deny, k) {
			t.Errorf("%s has %s (%v): deny-all names the direction in policyTypes only", deny.Name, k, gInput(t, deny, k))
		}
	}
}

// gCanonicalPolicies checks every NetworkPolicy of a plan for the two forms a real API server
// rewrites on every server-side apply: an empty matchLabels and an empty rule list.
func gCanonicalPolicies(t *testing.T, p *plan.Plan) {
	t.Helper()
	nps := gOfType(p, "kubernetes", "networking.k8s.io", "NetworkPolicy")
	if len(nps) == 0 {
		t.Fatalf("no NetworkPolicy in the plan")
	}
	for _, np := range nps {
		if m, err := gLookup(np.Inputs, "spec.podSelector.matchLabels"); err == nil && len(m.(map[string]any)) == 0 {
			t.Errorf("%s: podSelector.matchLabels is empty, want podSelector: {}", np.Name)
		}
		for _, k := range []string{"spec.ingress", "spec.egress"} {
			if v, err := gLookup(np.Inputs, k); err == nil && len(v.([]any)) == 0 {
				t.Errorf("%s: %s is an empty list, want it left out", np.Name, k)
			}
		}
	}
	gWantDenyAll(t, gFind(t, p, "system-default-deny"))
}

// gControllerTakes checks that the ingress controller's namespace lets the site's pods in on
// 80 and 443: either no policy there selects the controller pods for ingress, or one allows
// the site's namespace on both ports.
func gControllerTakes(t *testing.T, p *plan.Plan, ingressNS string, controllerPods map[string]string, siteNS string) {
	t.Helper()
	selecting, allowed := 0, map[gPolicyPort]bool{}
	for _, np := range gOfType(p, "kubernetes", "networking.k8s.io", "NetworkPolicy") {
		if gStr(t, np, "metadata.namespace") != ingressNS {
			continue
		}
		sel := map[string]string{}
		if m, err := gLookup(np.Inputs, "spec.podSelector.matchLabels"); err == nil {
			sel = gStringMap(t, m.(map[string]any))
		}
		if !gSubset(sel, controllerPods) || !slices.Contains(gStrs(t, np, "spec.policyTypes"), "Ingress") {
			continue
		}
		selecting++
		rules, _ := gLookup(np.Inputs, "spec.ingress")
		for _, r := range gAsList(rules) {
			froms, err := gLookup(r, "from")
			ok := err != nil // no "from": every source
			for _, f := range gAsList(froms) {
				nsSel, err := gLookup(f, "namespaceSelector.matchLabels")
				if err == nil && gSubset(gStringMap(t, nsSel.(map[string]any)), map[string]string{"kubernetes.io/metadata.name": siteNS}) {
					ok = true
				}
			}
			if !ok {
				continue
			}
			if !gHasPath(r, "ports") {
				allowed[gPolicyPort{"TCP", 80}], allowed[gPolicyPort{"TCP", 443}] = true, true
				continue
			}
			for _, port := range gRulePorts(t, r) {
				allowed[port] = true
			}
		}
	}
	if selecting > 0 && (!allowed[gPolicyPort{"TCP", 80}] || !allowed[gPolicyPort{"TCP", 443}]) {
		t.Errorf("the ingress controller's namespace %s lets %s in on %v only, want TCP 80 and 443", ingressNS, siteNS, allowed)
	}
}

// gHasPath reports whether v has a value at path.
func gHasPath(v any, path string) bool {
	_, err := gLookup(v, path)
	return err == nil
}

// gAsList is v as a list, or nil.
func gAsList(v any) []any {
	l, _ := v.([]any)
	return l
}

// gSubset reports whether every label of sel is in labels.
func gSubset(sel, labels map[string]string) bool {
	for k, v := range sel {
		if labels[k] != v {
			return false
		}
	}
	return true
}

// gRulePorts lists a network policy rule's ports.
func gRulePorts(t *testing.T, rule any) []gPolicyPort {
	t.Helper()
	var out []gPolicyPort
	ports, err := gLookup(rule, "ports")
	if err != nil {
		t.Errorf("rule %v allows every port", rule)
		return nil
	}
	for _, p := range ports.([]any) {
		proto, _ := gAt(t, p, "protocol").(string)
		port, _ := gAt(t, p, "port").(float64)
		out = append(out, gPolicyPort{proto, port})
	}
	return out
}

func TestGraphDatabaseJob(t *testing.T) {
	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		admin := gFind(t, p, "mysql-admin-secret")
		adminName := gStr(t, admin, "metadata.name")
		if got := gStr(t, admin, "metadata.namespace"); got != "wp-system" {
			t.Errorf("MySQL admin secret is in %q, want wp-system", got)
		}
		// wp-system is fenced like a site: deny all, then DNS and MySQL for the Jobs.
		deny := gFind(t, p, "system-default-deny")
		if got := gStr(t, deny, "metadata.namespace"); got != "wp-system" {
			t.Errorf("system default deny is in %q", got)
		}
		egress := gFind(t, p, "system-db-provision-egress")
		var ports []gPolicyPort
		for _, e := range gList(t, egress, "spec.egress") {
			ports = append(ports, gRulePorts(t, e)...)
		}
		if len(ports) != 3 || ports[2] != (gPolicyPort{"TCP", 3306}) || gStr(t, egress, "spec.egress[1].to[0].ipBlock.cidr") != w.mysqlSubnet {
			t.Errorf("provisioning Jobs may leave on %v (MySQL rule %v), want DNS and %s:3306", ports, gInput(t, egress, "spec.egress[1]"), w.mysqlSubnet)
		}
		for _, site := range gSiteNames(w) {
			job := gFind(t, p, site+"-db-user")
			if got := gStr(t, job, "spec.template.metadata.labels[\"app.kubernetes.io/component\"]"); got != gStr(t, egress, `spec.podSelector.matchLabels["app.kubernetes.io/component"]`) {
				t.Errorf("%s pods are component %q, outside the provisioning egress policy", job.Name, got)
			}
			if got := gStr(t, job, "metadata.namespace"); got != "wp-system" {
				t.Errorf("%s runs in %q, want wp-system", job.Name, got)
			}
			if got := gStrs(t, job, "spec.template.spec.containers[0].command"); !gEqualStrings(got, []string{"wp-db-provision"}) {
				t.Errorf("%s runs %v, want [wp-db-provision]", job.Name, got)
			}
			gWantDeps(t, job, "mysql-db-"+site, site+"-db-secret", "mysql-admin-secret")

			// The site's pods cannot read the admin secret: it is not in their namespace and
			// nothing of theirs mounts it.
			for _, r := range p.Resources {
				if !strings.HasSuffix(r.Type, ":Secret") || r.Name == "mysql-admin-secret" {
					continue
				}
				if gStr(t, r, "metadata.name") == adminName && gStr(t, r, "metadata.namespace") == "wp-"+site {
					t.Errorf("%s copies the MySQL admin secret into wp-%s", r.Name, site)
				}
			}
			for _, comp := range []string{"user", "admin"} {
				d := gFind(t, p, site+"-"+comp)
				gWalkStrings(d.Inputs, d.Name, func(path, s string) {
					if s == adminName {
						t.Errorf("%s refers to the admin secret", path)
					}
				})
			}
		}
	})
}

// TestGraphWorkloadsWaitForTheirPool checks that each Deployment waits for the node pool its pods
// select: the admin pool is the cluster's inline System pool, the user pool an AgentPool.
func TestGraphWorkloadsWaitForTheirPool(t *testing.T) {
	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		for _, site := range gSiteNames(w) {
			gWantDeps(t, gFind(t, p, site+"-user"), "pool-user")
			gWantDeps(t, gFind(t, p, site+"-admin"), "aks")
		}
	})
}

// TestGraphImageRollsWithTheBuild checks that the pods run exactly the image the ACR build
// pushes: its tag is the build context's content hash, so a change under images/ changes the
// pod templates and rolls the Deployments.
func TestGraphImageRollsWithTheBuild(t *testing.T) {
	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		build := gFind(t, p, "image-build")
		tag := gStr(t, build, "forceUpdateTag")
		if names := gStrs(t, build, "runRequest.imageNames"); len(names) != 1 || names[0] != "wordpress:"+tag {
			t.Errorf("build pushes %v, want [wordpress:%s]", names, tag)
		}
		for _, site := range gSiteNames(w) {
			for _, c := range []string{"user", "admin"} {
				img := gStr(t, gFind(t, p, site+"-"+c), "spec.template.spec.containers[0].image")
				if !strings.HasSuffix(img, ".azurecr.io/wordpress:"+tag) {
					t.Errorf("%s-%s runs %s, want the build's wordpress:%s from our registry", site, c, img, tag)
				}
			}
		}
	})
}
