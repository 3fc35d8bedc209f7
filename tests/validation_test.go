package tests

// A bad stack config fails before any resource is registered (issue 2): the real program runs
// under our own counting mock with prod's config plus one mistake of each kind, and the error
// must name the key while the mock must have seen nothing, not even the resource group.

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/example/wordpress-aks/config"
)

// gEdit changes the JSON value of a project config key in place.
func gEdit(t *testing.T, src config.Source, key string, f func(v any)) {
	t.Helper()
	full := graphProject + ":" + key
	raw, ok := src.Values[full]
	if !ok {
		t.Fatalf("config has no %s", full)
	}
	var v any
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		t.Fatalf("%s is not JSON: %v", full, err)
	}
	f(v)
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	src.Values[full] = string(b)
}

// gObj returns the object at a key of a JSON object.
func gObj(v any, key string) map[string]any { return v.(map[string]any)[key].(map[string]any) }

// gSite returns sites[i] of a decoded sites list.
func gSite(v any, i int) map[string]any { return v.([]any)[i].(map[string]any) }

// gMistakes are the config mistakes of each kind issue 2 lists, each applied to prod's config.
var gMistakes = []struct {
	name string
	edit func(t *testing.T, src config.Source)
	// want are the parts the error must hold: the key, and what is wrong where it helps.
	want []string
}{
	{
		name: "typo in a top-level key",
		edit: func(t *testing.T, src config.Source) {
			src.Values[graphProject+":sties"] = src.Values[graphProject+":sites"]
			delete(src.Values, graphProject+":sites")
		},
		want: []string{"sties", "unknown config key"},
	},
	{
		name: "bad pool name",
		edit: func(t *testing.T, src config.Source) {
			gEdit(t, src, "nodePools", func(v any) { gObj(v, "user")["name"] = "User_1" })
		},
		want: []string{"nodePools.user.name", "User_1"},
	},
	{
		name: "overlapping subnets",
		edit: func(t *testing.T, src config.Source) {
			gEdit(t, src, "network", func(v any) { v.(map[string]any)["nfsSubnetCidr"] = "10.20.8.0/28" })
		},
		want: []string{"network.nfsSubnetCidr", "overlaps network.mysqlSubnetCidr"},
	},
	{
		name: "MySQL subnet /30",
		edit: func(t *testing.T, src config.Source) {
			gEdit(t, src, "network", func(v any) { v.(map[string]any)["mysqlSubnetCidr"] = "10.20.8.0/30" })
		},
		want: []string{"network.mysqlSubnetCidr", "/29"},
	},
	{
		name: "high availability on Burstable",
		edit: func(t *testing.T, src config.Source) {
			gEdit(t, src, "mysql", func(v any) { v.(map[string]any)["highAvailability"] = "SameZone" })
		},
		want: []string{"mysql.highAvailability", "Burstable"},
	},
	{
		name: "duplicate host",
		edit: func(t *testing.T, src config.Source) {
			gEdit(t, src, "sites", func(v any) { gSite(v, 1)["hosts"] = gSite(v, 0)["hosts"] })
		},
		want: []string{"sites[1].hosts[0]", "tech.example.com"},
	},
	{
		name: "host not a DNS name",
		edit: func(t *testing.T, src config.Source) {
			gEdit(t, src, "sites", func(v any) { gSite(v, 0)["hosts"] = []any{"Blog.Example"} })
		},
		want: []string{"sites[0].hosts[0]", "Blog.Example"},
	},
	{
		name: "replicas 0",
		edit: func(t *testing.T, src config.Source) {
			gEdit(t, src, "sites", func(v any) { gSite(v, 0)["userReplicas"] = 0 })
		},
		want: []string{"sites[0].userReplicas", "at least 1"},
	},
	{
		name: "unknown nested key",
		edit: func(t *testing.T, src config.Source) {
			gEdit(t, src, "mysql", func(v any) { v.(map[string]any)["storageGb"] = 64 })
		},
		want: []string{"mysql.storageGb", "unknown key"},
	},
	{
		name: "bad MySQL version",
		edit: func(t *testing.T, src config.Source) {
			gEdit(t, src, "mysql", func(v any) { v.(map[string]any)["version"] = "5.7" })
		},
		want: []string{"mysql.version", "5.7"},
	},
	{
		name: "region that does not exist",
		edit: func(t *testing.T, src config.Source) { src.Values[graphProject+":location"] = "mars" },
		want: []string{`location "mars"`, "is not an Azure region"},
	},
	{
		name: "100 sites on prod's pools",
		edit: func(t *testing.T, src config.Source) {
			var sites []any
			if err := json.Unmarshal([]byte(src.Values[graphProject+":sites"]), &sites); err != nil {
				t.Fatal(err)
			}
			for i := len(sites); i < 100; i++ {
				sites = append(sites, map[string]any{"name": fmt.Sprintf("site%d", i), "hosts": []any{fmt.Sprintf("site%d.example.com", i)}, "database": fmt.Sprintf("wp_site%d", i)})
			}
			b, err := json.Marshal(sites)
			if err != nil {
				t.Fatal(err)
			}
			src.Values[graphProject+":sites"] = string(b)
		},
		want: []string{"nodePools.user.count", "nodePools.admin.count", "set nodePools.user.count to"},
	},
	{
		name: "plaintext secret",
		edit: func(t *testing.T, src config.Source) {
			delete(src.SecretKeys, graphProject+":tlsPrivateKey")
		},
		want: []string{"tlsPrivateKey", "secret"},
	},
}

// gCheckRefused runs the program on src and checks that it failed naming every part of want,
// registered nothing, and echoed no secret.
func gCheckRefused(t *testing.T, src config.Source, want []string) string {
	t.Helper()
	// The secrets to look for in the message: the stack's secret values, and the TLS key and
	// certificate by their markers (the plaintext case no longer lists the key as secret).
	secrets := []string{"PRIVATE KEY", "BEGIN CERTIFICATE"}
	for k := range src.SecretKeys {
		secrets = append(secrets, src.Values[k])
	}
	mon, err := gRunProgram(t, "prod", src)
	if err == nil {
		t.Fatalf("the program accepted the config and registered %d resources", mon.count())
	}
	msg := err.Error()
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error does not mention %q:\n%s", w, msg)
		}
	}
	if n := mon.count(); n != 0 {
		var names []string
		for _, r := range mon.regs {
			names = append(names, r.Name)
		}
		t.Errorf("the mock registered %d resources before the error: %v", n, names)
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(msg, s) {
			t.Errorf("error echoes a secret value")
		}
	}
	return msg
}

func TestGraphValidationRefusesBeforeAnyResource(t *testing.T) {
	// The unchanged config goes through under the same mock, so a refusal below is the
	// mistake's doing and a zero count means something.
	t.Run("control", func(t *testing.T) {
		mon, err := gRunProgram(t, "prod", gStackSource(t, "prod"))
		if err != nil {
			t.Fatalf("prod's own config fails: %v", err)
		}
		if n := mon.count(); n < 50 {
			t.Errorf("prod registers only %d resources under the counting mock", n)
		}
	})
	for _, tt := range gMistakes {
		t.Run(tt.name, func(t *testing.T) {
			src := gStackSource(t, "prod")
			tt.edit(t, src)
			msg := gCheckRefused(t, src, tt.want)
			if !strings.Contains(msg, "stack config has") {
				t.Errorf("error is not the config report:\n%s", msg)
			}
		})
	}
}

func TestGraphValidationReportsEveryProblem(t *testing.T) {
	tests := []struct {
		name  string
		cases []string
	}{
		// Rules over values that all read: every broken rule in one report.
		{"rule violations", []string{"bad pool name", "overlapping subnets", "high availability on Burstable", "host not a DNS name", "replicas 0", "bad MySQL version"}},
		// Keys that do not read: every one of them in one report.
		{"unreadable keys", []string{"typo in a top-level key", "unknown nested key", "plaintext secret"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := gStackSource(t, "prod")
			var want []string
			for _, name := range tt.cases {
				found := false
				for _, m := range gMistakes {
					if m.name == name {
						m.edit(t, src)
						want = append(want, m.want...)
						found = true
					}
				}
				if !found {
					t.Fatalf("test table: no mistake %q", name)
				}
			}
			msg := gCheckRefused(t, src, want)
			if lines := strings.Count(msg, "\n"); lines < len(tt.cases) {
				t.Errorf("%d mistakes, %d problem lines:\n%s", len(tt.cases), lines, msg)
			}
		})
	}
}
