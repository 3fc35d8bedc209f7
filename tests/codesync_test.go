package tests

import (
	"strconv"
	"strings"
	"testing"

	"github.com/example/wordpress-aks/plan"
)

// User pods run the code from a local copy kept by a sidecar; admin pods keep wp-content on
// NFS (issue 9; images/wordpress/bin/wp-code-sync, tests/image/code-sync.bats).
func TestGraphCodeSync(t *testing.T) {
	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		for _, site := range gSiteNames(w) {
			t.Run(site, func(t *testing.T) {
				spec := "spec.template.spec."
				user := gFind(t, p, site+"-user")
				admin := gFind(t, p, site+"-admin")

				// The sidecar: a restartable init container, so it starts before Apache and
				// Apache waits for its startup probe (the first copy).
				inits := gList(t, user, spec+"initContainers")
				if len(inits) != 1 {
					t.Fatalf("user pods have %d init containers, want the code-sync sidecar", len(inits))
				}
				sc := spec + "initContainers[0]."
				for _, k := range []struct {
					path string
					want any
				}{
					{sc + "name", "code-sync"},
					{sc + "restartPolicy", "Always"},
					{sc + "image", gStr(t, user, spec+"containers[0].image")},
					{sc + "securityContext.readOnlyRootFilesystem", true},
					{sc + "securityContext.allowPrivilegeEscalation", false},
				} {
					if got := gInput(t, user, k.path); got != k.want {
						t.Errorf("%s is %v, want %v", k.path, got, k.want)
					}
				}
				if got := gStrs(t, user, sc+"args"); !gEqualStrings(got, []string{"wp-code-sync"}) {
					t.Errorf("sidecar args are %v, want [wp-code-sync] (through the image's entrypoint)", got)
				}
				if got := gStrs(t, user, sc+"startupProbe.exec.command"); !gEqualStrings(got, []string{"test", "-L", "/var/www/code/current"}) {
					t.Errorf("sidecar startup probe is %v, want the first copy's link", got)
				}
				// A retired copy outlives any request that started on it: the longest a request
				// may run is Apache's graceful-stop time (the stop budget, timeouts.go).
				sideEnv, webEnv := map[string]string{}, map[string]string{}
				for path, m := range map[string]map[string]string{sc + "env": sideEnv, spec + "containers[0].env": webEnv} {
					for _, e := range gList(t, user, path) {
						v, _ := e.(map[string]any)["value"].(string)
						m[e.(map[string]any)["name"].(string)] = v
					}
				}
				keep, err1 := strconv.Atoi(sideEnv["WP_CODE_KEEP_SECONDS"])
				request, err2 := strconv.Atoi(webEnv["APACHE_GRACEFUL_SHUTDOWN_TIMEOUT"])
				if err1 != nil || err2 != nil || keep < request {
					t.Errorf("WP_CODE_KEEP_SECONDS %q, want at least the request budget %q", sideEnv["WP_CODE_KEEP_SECONDS"], webEnv["APACHE_GRACEFUL_SHUTDOWN_TIMEOUT"])
				}
				if p, err := strconv.Atoi(sideEnv["WP_CODE_POLL_SECONDS"]); err != nil || p < 1 || p > 30 {
					t.Errorf("WP_CODE_POLL_SECONDS %q: a change must reach every pod within 60 s, copy included", sideEnv["WP_CODE_POLL_SECONDS"])
				}
				for _, r := range []string{"requests.memory", "limits.memory", "requests.cpu"} {
					if !gHasInput(user, sc+"resources."+r) {
						t.Errorf("sidecar has no %s", r)
					}
				}

				// Both containers see the share at the same path and the copy in the same
				// emptyDir, and the web container is told where (local-code.php, readyz).
				vols := gList(t, user, spec+"volumes")
				for _, c := range []string{spec + "containers[0].", sc} {
					mounts := gList(t, user, c+"volumeMounts")
					share := gFindBy(t, mounts, "mountPath", "/var/www/site")
					if share["name"] != "wp-content" || share["subPath"] != site {
						t.Errorf("%s mounts the share as %v", c, share)
					}
					code := gFindBy(t, mounts, "mountPath", "/var/www/code")
					if v := gFindBy(t, vols, "name", code["name"].(string)); v["emptyDir"] == nil {
						t.Errorf("%s: the code copy is on %v, want an emptyDir", c, v)
					}
					env := map[string]string{}
					for _, e := range gList(t, user, c+"env") {
						m := e.(map[string]any)
						v, _ := m["value"].(string)
						env[m["name"].(string)] = v
					}
					if env["WP_CODE_SOURCE"] != "/var/www/site" || env["WP_CODE_DIR"] != "/var/www/code" {
						t.Errorf("%s: WP_CODE_SOURCE %q, WP_CODE_DIR %q", c, env["WP_CODE_SOURCE"], env["WP_CODE_DIR"])
					}
				}
				// Nothing mounts the share over the docroot's wp-content on user pods.
				for _, m := range gList(t, user, spec+"containers[0].volumeMounts") {
					if m.(map[string]any)["mountPath"] == "/var/www/html/wp-content" {
						t.Errorf("user pods mount %v over the docroot's wp-content", m)
					}
				}
				extra := ""
				for _, e := range gList(t, user, spec+"containers[0].env") {
					if m := e.(map[string]any); m["name"] == "WORDPRESS_CONFIG_EXTRA" {
						extra, _ = m["value"].(string)
					}
				}
				if !strings.Contains(extra, "require_once '/usr/local/share/wp-k8s/local-code.php';") {
					t.Errorf("WORDPRESS_CONFIG_EXTRA does not load local-code.php:\n%s", extra)
				}

				// Admin pods: wp-content on NFS, no copy, no sidecar.
				if gHasInput(admin, spec+"initContainers") {
					t.Errorf("admin pods have init containers: %v", gInput(t, admin, spec+"initContainers"))
				}
				gFindBy(t, gList(t, admin, spec+"containers[0].volumeMounts"), "mountPath", "/var/www/html/wp-content")
				for _, e := range gList(t, admin, spec+"containers[0].env") {
					if name := e.(map[string]any)["name"]; name == "WP_CODE_DIR" {
						t.Errorf("admin pods have %v: they must serve wp-content from NFS", name)
					}
				}
			})
		}
	})
}

// TestGraphCodeSyncConfig: wordpress.codeSyncSeconds sets the user pods' marker polling and
// wordpress.pageCache the page cache of both sides; the defaults are 10 s and on.
func TestGraphCodeSyncConfig(t *testing.T) {
	env := func(t *testing.T, d plan.Resource, path string) map[string]string {
		t.Helper()
		out := map[string]string{}
		for _, e := range gList(t, d, path) {
			v, _ := e.(map[string]any)["value"].(string)
			out[e.(map[string]any)["name"].(string)] = v
		}
		return out
	}
	spec := "spec.template.spec."
	for _, tt := range []struct {
		name, wordpress, poll, cache string
	}{
		{"defaults", "", "10", "on"},
		{"configured", `{"codeSyncSeconds":25,"pageCache":false}`, "25", "off"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			set := map[string]string{}
			if tt.wordpress != "" {
				set["wordpress"] = tt.wordpress
			}
			p := edgeVariant(t, set)
			for _, site := range []string{"tech", "azure"} {
				user, admin := gFind(t, p, site+"-user"), gFind(t, p, site+"-admin")
				if got := env(t, user, spec+"initContainers[0].env")["WP_CODE_POLL_SECONDS"]; got != tt.poll {
					t.Errorf("%s's sidecar polls every %q s, want %s", user.Name, got, tt.poll)
				}
				for _, d := range []plan.Resource{user, admin} {
					if got := env(t, d, spec+"containers[0].env")["WP_PAGE_CACHE"]; got != tt.cache {
						t.Errorf("%s has WP_PAGE_CACHE %q, want %s", d.Name, got, tt.cache)
					}
				}
			}
		})
	}
}
