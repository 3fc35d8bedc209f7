package tests

// Timeouts from one budget (issue 13): a request the ingress controller still waits for is
// allowed to finish when its pod stops (rollout, node drain), and the pod's stop sequence
// fits in its grace period. Both sides are read from where they really are: the plan (the
// controller's values, the Deployments, the cron) and the image's Apache configuration.

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/example/wordpress-aks/plan"
)

func TestGraphStopBudget(t *testing.T) {
	// Apache reads its graceful-stop time from a variable; the Deployment must set it.
	conf := gProjectFile(t, "images/wordpress/apache/wp-k8s.conf")
	m := regexp.MustCompile(`(?m)^GracefulShutdownTimeout\s+\$\{(\w+)\}\s*$`).FindStringSubmatch(conf)
	if m == nil {
		t.Fatalf("images/wordpress/apache/wp-k8s.conf does not read GracefulShutdownTimeout from an environment variable")
	}
	gracefulVar := m[1]

	gForStacks(t, func(t *testing.T, p *plan.Plan, w gStackWant) {
		proxy := gStr(t, gFind(t, p, "ingress-controller"), `values.controller.config.entries["proxy-read-timeout"]`)
		proxySeconds, err := strconv.Atoi(strings.TrimSuffix(proxy, "s"))
		if err != nil || !strings.HasSuffix(proxy, "s") || proxySeconds <= 0 {
			t.Fatalf("proxy-read-timeout is %q, want whole seconds like 120s", proxy)
		}
		adminGraceful := map[string]int{}
		for _, site := range gSiteNames(w) {
			for _, comp := range []string{"user", "admin"} {
				d := gFind(t, p, site+"-"+comp)
				spec := "spec.template.spec."
				c := spec + "containers[0]."
				env := map[string]string{}
				for _, e := range gList(t, d, c+"env") {
					em := e.(map[string]any)
					v, _ := em["value"].(string)
					env[em["name"].(string)] = v
				}
				envInt := func(name string) int {
					n, err := strconv.Atoi(env[name])
					if err != nil || n <= 0 {
						t.Errorf("%s: %s is %q, want whole seconds > 0", d.Name, name, env[name])
					}
					return n
				}
				graceful := envInt(gracefulVar)
				preStop := gStrs(t, d, c+"lifecycle.preStop.exec.command")
				if len(preStop) != 3 || preStop[0] != "wp-graceful-stop" {
					t.Fatalf("%s: preStop is %v, want [wp-graceful-stop DRAIN LINGER]", d.Name, preStop)
				}
				drain, err1 := strconv.Atoi(preStop[1])
				linger, err2 := strconv.Atoi(preStop[2])
				if err1 != nil || err2 != nil || drain <= 0 || linger < 0 {
					t.Fatalf("%s: preStop is %v, want whole seconds", d.Name, preStop)
				}
				grace := gInt(t, d, spec+"terminationGracePeriodSeconds")
				if graceful < proxySeconds {
					t.Errorf("%s: Apache's graceful stop (%s=%d) is shorter than proxy-read-timeout %ds: a request the proxy allows is cut at every rollout",
						d.Name, gracefulVar, graceful, proxySeconds)
				}
				if need := drain + graceful + linger; need >= grace {
					t.Errorf("%s: drain %d + graceful stop %d + linger %d = %d s, not less than terminationGracePeriodSeconds %d: the kubelet kills requests still running",
						d.Name, drain, graceful, linger, need, grace)
				}
				// Readiness's timeout covers /readyz's own worst case.
				if need, got := envInt("WP_CONTENT_READY_TIMEOUT")+2*envInt("WORDPRESS_DB_READY_TIMEOUT")+1, gInt(t, d, c+"readinessProbe.timeoutSeconds"); got < need {
					t.Errorf("%s: readiness timeoutSeconds %d < content + 2 x database timeout + 1 = %d", d.Name, got, need)
				}
				// Liveness checks the port the container serves.
				if got := gStrs(t, d, c+"livenessProbe.exec.command"); len(got) != 2 || got[1] != strconv.Itoa(gInt(t, d, c+"ports[0].containerPort")) {
					t.Errorf("%s: liveness runs %v, want the container's port as its argument", d.Name, got)
				}
				if comp == "admin" {
					adminGraceful[site] = graceful
				}
			}
			// The cron's request goes to the admin pods directly: no longer than their
			// graceful stop lets it run, and within the Job's deadline.
			cron := gFind(t, p, site+"-cron")
			cmd := gStrs(t, cron, "spec.jobTemplate.spec.template.spec.containers[0].command")
			maxTime := -1
			for i, a := range cmd {
				if a == "--max-time" && i+1 < len(cmd) {
					maxTime, _ = strconv.Atoi(cmd[i+1])
				}
			}
			if maxTime <= 0 || maxTime > adminGraceful[site] {
				t.Errorf("%s: cron waits --max-time %d s, want 1..%d (the admin pods' graceful stop)", cron.Name, maxTime, adminGraceful[site])
			}
			if deadline := gInt(t, cron, "spec.jobTemplate.spec.activeDeadlineSeconds"); maxTime >= deadline {
				t.Errorf("%s: cron waits %d s, not less than the Job's deadline %d s", cron.Name, maxTime, deadline)
			}
		}
	})
}

// TestImageHasProbeCommands: what the Deployments run inside the container is in the image.
func TestImageHasProbeCommands(t *testing.T) {
	dockerfile := gProjectFile(t, "images/wordpress/Dockerfile")
	for _, cmd := range []string{"wp-healthz", "wp-graceful-stop"} {
		gProjectFile(t, "images/wordpress/bin/"+cmd)
		if !regexp.MustCompile(`(?m)^COPY .*\bbin/` + cmd + `\b.* /usr/local/bin/$`).MatchString(dockerfile) {
			t.Errorf("the Dockerfile does not copy bin/%s into /usr/local/bin", cmd)
		}
	}
}
