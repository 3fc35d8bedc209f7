package config

import (
	"fmt"
	"strings"
	"testing"
)

func TestNodeAllocatable(t *testing.T) {
	tests := []struct {
		vmSize        string
		wantMemoryMiB int
		wantCPUMilli  int
		wantOK        bool
	}{
		// 4 GiB reports 3,932 MiB; kube-reserved is 25% of it (983), less than 20 MB x 250
		// pods + 50 MB; then the 100Mi eviction threshold.
		{"Standard_B2s", 2849, 1900, true},
		{"Standard_F2s_v2", 2849, 1900, true},
		{"Standard_B1ms", 1374, 940, true},
		{"Standard_D4s_v5", 11696, 3860, true},
		// From 20 GiB up the per-pod formula (5,050 MB) is the smaller reservation.
		{"Standard_D8s_v5", 26307, 7820, true},
		{"Standard_Q99", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.vmSize, func(t *testing.T) {
			mem, cpu, ok := NodeAllocatable(tt.vmSize)
			if mem != tt.wantMemoryMiB || cpu != tt.wantCPUMilli || ok != tt.wantOK {
				t.Errorf("NodeAllocatable(%s) = %d MiB, %dm, %v; want %d MiB, %dm, %v", tt.vmSize, mem, cpu, ok, tt.wantMemoryMiB, tt.wantCPUMilli, tt.wantOK)
			}
		})
	}
}

// manySites is n sites of one user and one admin pod each, all covered by the wildcard
// certificate.
func manySites(n int) map[string]string {
	var sites []string
	for i := range n {
		sites = append(sites, fmt.Sprintf(`{"name":"site%d","hosts":["site%d.example.com"],"database":"site%d"}`, i, i, i))
	}
	return map[string]string{"sites": "[" + strings.Join(sites, ",") + "]", "tlsCertificate": keys.wildcardPEM}
}

func TestValidateCapacity(t *testing.T) {
	tests := []struct {
		name string
		set  map[string]string
		// want maps each problem key expected to parts of its message; no other problem may
		// appear.
		want map[string][]string
	}{
		{name: "one site on one node a pool", set: manySites(1)},
		// Each user pod's code-sync sidecar (32Mi) leaves two sites room for one ingress
		// controller and its surge pod, not the default two.
		{name: "two sites on one node a pool", set: with(manySites(2), "ingress", `{"replicas":1}`)},
		{name: "two sites and two ingress controllers on one node a pool", set: manySites(2),
			want: map[string][]string{"ingress.replicas": {"need 384 MiB", "have 270 MiB"}}},
		{name: "100 sites on 2 x B2s", set: with(manySites(100), "nodePools", `{"user":{"count":2},"admin":{"count":2}}`),
			want: map[string][]string{
				"nodePools.user.count": {"request 106,400 MiB of memory", "2 x Standard_B2s give 4,598 MiB",
					"2849 MiB and 1900m allocatable a node", "set nodePools.user.count to 47"},
				"nodePools.admin.count": {"request 100,200 MiB", "AKS system Deployments", "set nodePools.admin.count to 44"},
				"ingress.replicas":      {"need 384 MiB", "have 0 MiB"},
			}},
		{name: "100 sites with the autoscaler up to 50 nodes", set: with(manySites(100), "nodePools",
			`{"user":{"count":2,"minCount":2,"maxCount":50},"admin":{"count":2,"minCount":2,"maxCount":50}}`)},
		{name: "100 sites with the autoscaler up to 10 nodes", set: with(manySites(100), "nodePools",
			`{"user":{"count":2,"minCount":2,"maxCount":10},"admin":{"count":2,"minCount":2,"maxCount":50}}`),
			want: map[string][]string{
				"nodePools.user.maxCount": {"10 x Standard_B2s give 22,990 MiB", "set nodePools.user.maxCount to 47"},
			}},
		{name: "three sites on one node a pool", set: manySites(3),
			want: map[string][]string{
				"nodePools.user.count":  {"request 3,192 MiB", "set nodePools.user.count to 2"},
				"nodePools.admin.count": {"request 3,200 MiB", "set nodePools.admin.count to 2"},
				"ingress.replicas":      {"need 384 MiB"},
			}},
		{name: "CPU bound", set: with(manySites(1), "wordpress", `{"cpuRequest":"1"}`),
			want: map[string][]string{
				"nodePools.user.count":  {"2,020m CPU", "set nodePools.user.count to 2"},
				"nodePools.admin.count": {"2,250m CPU", "set nodePools.admin.count to 2"},
				"ingress.replicas":      {"300m CPU"},
			}},
		{name: "pod larger than a node", set: with(manySites(1), "wordpress", `{"memory":"3Gi"}`),
			want: map[string][]string{
				"nodePools.user.vmSize":  {"a WordPress pod requests 3Gi", "Standard_B2s node has 2,299 MiB left"},
				"nodePools.admin.vmSize": {"Standard_F2s_v2 node has 2,299 MiB left"},
				"ingress.replicas":       {"need 384 MiB"},
			}},
		{name: "larger nodes hold more", set: with(manySites(3), "nodePools",
			`{"user":{"vmSize":"Standard_D4s_v5"},"admin":{"vmSize":"Standard_D4s_v5"}}`)},
		{name: "unknown size is not checked", set: with(manySites(3), "nodePools",
			`{"user":{"vmSize":"Standard_Q99"},"admin":{"vmSize":"Standard_Q99"}}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			probs := loadWith(t, tt.set)
			got := map[string]string{}
			for _, p := range probs {
				got[p.Key] = p.String()
			}
			for key, parts := range tt.want {
				msg, ok := got[key]
				if !ok {
					t.Errorf("no problem for %s; got:\n%s", key, listProblems(probs))
					continue
				}
				for _, part := range parts {
					if !strings.Contains(msg, part) {
						t.Errorf("%s: message lacks %q:\n%s", key, part, msg)
					}
				}
			}
			for key, msg := range got {
				if _, ok := tt.want[key]; !ok {
					t.Errorf("unexpected problem: %s", msg)
				}
			}
		})
	}
}
