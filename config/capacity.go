package config

// This file owns the capacity check: do the pods each node pool must run fit the memory and CPU
// AKS leaves allocatable on its nodes? It also holds the ingress controller's requests, which
// k8s/ingresscontroller.go sets from here, so that the check and the manifests cannot disagree.

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// The ingress controller pods' resources (k8s/ingresscontroller.go uses these constants).
const (
	IngressCPURequest    = "100m"
	IngressMemoryRequest = "128Mi"
	IngressMemoryLimit   = "256Mi"
)

// The code-sync sidecar of every user pod (k8s/codesync.go uses these constants): it keeps the
// pod's local copy of the site's code, so it runs as long as the pod.
const (
	CodeSyncCPURequest    = "10m"
	CodeSyncMemoryRequest = "32Mi"
)

// cert-manager's pods in tls.mode letsencrypt (controller, webhook, cainjector; its chart sets
// no requests of its own, k8s/certmanager.go sets these and upgrades them without a surge pod),
// which run beside the ingress controller on any pool.
const (
	CertManagerCPURequest    = "10m"
	CertManagerMemoryRequest = "32Mi"
	certManagerPods          = 3
)

// AKS's own pods, which request capacity before ours. AKS does not document their requests and
// they change with the add-ons and the AKS version, so these are stated estimates:
//   - per node, DaemonSets (Cilium agent, azure-cns, the CSI node drivers, cloud-node-manager,
//     the Container Insights agent): Azure/AKS#3525 (2023-03, AKS 1.24) measured ~750 MB of
//     kube-system requests on one 4 GB node, 550 MB of it azure-cns and the network policy
//     agent; Azure/AKS#5244 (2025-09) gives the Cilium agent's request as 100Mi. 550Mi and 150m
//     a node keeps that measurement.
//   - on the System-mode pool only, the Deployments (coredns x2 and its autoscaler,
//     metrics-server x2, konnectivity-agent x2): ~200 of those 750 MB, and an estimated 250m.
const (
	aksDaemonSetMemoryMiB   = 550
	aksDaemonSetCPUMilli    = 150
	aksSystemPodsMemoryMiB  = 200
	aksSystemPodsCPUMilli   = 250
	aksEvictionThresholdMiB = 100
	// aksMaxPods is AKS's default pods per node with Azure CNI Overlay (the program sets none).
	aksMaxPods = 250
	// nodeCapacityShare is the part of a VM's memory the kubelet reports as capacity: a 4 GiB
	// Standard_B2s reports 4025836Ki (Azure/AKS#3525), 96%; the kernel and firmware keep the rest.
	nodeCapacityShare = 0.96
)

// kubeReservedCPUMilli is AKS's kube-reserved CPU by the node's cores (learn.microsoft.com,
// "Node resource reservations in AKS", read 2026-12-03: 60, 100, 140, 180, 260, 420 and 740
// millicores for 1, 2, 4, 8, 16, 32 and 64 cores).
var kubeReservedCPUMilli = []struct{ cores, milli int }{
	{1, 60}, {2, 100}, {4, 140}, {8, 180}, {16, 260}, {32, 420}, {64, 740},
}

// vmSizes are the vCPUs and memory (GiB) of the VM sizes the capacity check knows (Azure's size
// pages for the B, Bsv2, Fsv2, Dsv3/v5, Dasv5, Ddsv5 and Esv5 series). A size not listed here is
// not checked: the cluster would still schedule what fits, and AKS reports what does not.
var vmSizes = map[string]struct {
	vCPU      int
	memoryGiB float64
}{
	"Standard_B1ms": {1, 2}, "Standard_B2s": {2, 4}, "Standard_B2ms": {2, 8}, "Standard_B4ms": {4, 16},
	"Standard_B8ms": {8, 32}, "Standard_B2ls_v2": {2, 4}, "Standard_B2s_v2": {2, 8}, "Standard_B4s_v2": {4, 16},
	"Standard_B8s_v2": {8, 32}, "Standard_F2s_v2": {2, 4}, "Standard_F4s_v2": {4, 8}, "Standard_F8s_v2": {8, 16},
	"Standard_F16s_v2": {16, 32}, "Standard_D2s_v3": {2, 8}, "Standard_D4s_v3": {4, 16}, "Standard_D8s_v3": {8, 32},
	"Standard_D2s_v5": {2, 8}, "Standard_D4s_v5": {4, 16}, "Standard_D8s_v5": {8, 32}, "Standard_D16s_v5": {16, 64},
	"Standard_D2as_v5": {2, 8}, "Standard_D4as_v5": {4, 16}, "Standard_D8as_v5": {8, 32},
	"Standard_D2ds_v5": {2, 8}, "Standard_D4ds_v5": {4, 16}, "Standard_D8ds_v5": {8, 32},
	"Standard_E2s_v5": {2, 16}, "Standard_E4s_v5": {4, 32}, "Standard_E8s_v5": {8, 64},
}

// NodeAllocatable returns what AKS leaves a pod of a vmSize node (Kubernetes 1.29 and later,
// learn.microsoft.com "Node resource reservations in AKS"): memory less kube-reserved, the
// smaller of 20 MB a pod of maxPods plus 50 MB and 25% of the memory, and less the 100Mi
// eviction threshold; CPU less the kube-reserved millicores. ok is false for an unknown size.
func NodeAllocatable(vmSize string) (memoryMiB, cpuMilli int, ok bool) {
	s, ok := vmSizes[vmSize]
	if !ok {
		return 0, 0, false
	}
	capacity := s.memoryGiB * 1024 * nodeCapacityShare
	reserved := math.Min(20*aksMaxPods+50, 0.25*capacity)
	memoryMiB = int(capacity - reserved - aksEvictionThresholdMiB)
	cpuMilli = s.vCPU * 1000
	for _, r := range kubeReservedCPUMilli {
		if r.cores <= s.vCPU {
			cpuMilli = s.vCPU*1000 - r.milli
		}
	}
	return memoryMiB, cpuMilli, true
}

// PodLoad is what one pool must hold at once: pods, each with its requests.
type PodLoad struct {
	What      string // "WordPress user pods of site tech", for messages
	Count     int
	MemoryMiB float64
	CPUMilli  float64
}

// PoolDemand is one pool's pinned pods, as the capacity check counts them.
type PoolDemand struct {
	Pool PoolRole
	// Nodes is the node count the check assumes: the autoscaler's maximum when it is on.
	Nodes int
	Loads []PodLoad
}

// Demand lists, per pool, the pods that must run there at the same time: each site's user or
// admin Deployment at full size plus the one surge pod a rollout adds (maxSurge 1, k8s
// workload.go), and AKS's own Deployments on the System-mode pool. The ingress controller has
// no node selector and is counted by validateCapacity against whatever room the untainted
// pools have left. Not counted: each site's database Job and its cron pods (k8s/database.go,
// k8s/cron.go), which live for seconds and request 64Mi and 32Mi; the surge pods' margin, which
// only a rollout fills, covers them.
func (c Config) Demand() []PoolDemand {
	mem := quantityMiB(c.WordPress.Memory)
	cpu := cpuMilli(c.WordPress.CPURequest)
	var out []PoolDemand
	for _, pr := range c.Pools() {
		p := pr.pool
		d := PoolDemand{Pool: pr, Nodes: p.Count}
		if p.MinCount != 0 || p.MaxCount != 0 {
			d.Nodes = p.MaxCount
		}
		for _, s := range c.Sites {
			switch pr.Role {
			case "user":
				d.Loads = append(d.Loads, PodLoad{"WordPress user pods (with their code-sync sidecar) of site " + s.Name + " (+1 rollout surge)", s.UserReplicas + 1,
					mem + quantityMiB(CodeSyncMemoryRequest), cpu + cpuMilli(CodeSyncCPURequest)})
			case "admin":
				d.Loads = append(d.Loads, PodLoad{"WordPress admin pods of site " + s.Name + " (+1 rollout surge)", s.AdminReplicas + 1, mem, cpu})
			}
		}
		if pr.System {
			d.Loads = append(d.Loads, PodLoad{"AKS system Deployments (coredns, metrics-server, konnectivity-agent)", 1, aksSystemPodsMemoryMiB, aksSystemPodsCPUMilli})
		}
		out = append(out, d)
	}
	return out
}

// validateCapacity refuses a config whose pods cannot all be scheduled: per pool, the pods it
// must hold against its nodes' allocatable memory and CPU less AKS's per-node pods; then the
// ingress controllers against the room the untainted pools have left.
func validateCapacity(c Config) Problems {
	var probs Problems
	mem, cpu := quantityMiB(c.WordPress.Memory), cpuMilli(c.WordPress.CPURequest)
	if mem <= 0 || cpu < 0 || len(c.Sites) == 0 {
		// validateWordPress and validateSites report these.
		return nil
	}
	var spareMem, spareCPU float64
	floating := false
	for _, d := range c.Demand() {
		p := d.Pool.pool
		allocMem, allocCPU, ok := NodeAllocatable(p.VMSize)
		if !ok || d.Nodes < 1 {
			continue
		}
		nodeMem := float64(allocMem - aksDaemonSetMemoryMiB)
		nodeCPU := float64(allocCPU - aksDaemonSetCPUMilli)
		var needMem, needCPU, podMem float64
		var parts []string
		for _, l := range d.Loads {
			needMem += float64(l.Count) * l.MemoryMiB
			needCPU += float64(l.Count) * l.CPUMilli
			podMem = math.Max(podMem, l.MemoryMiB)
			parts = append(parts, fmt.Sprintf("%d %s", l.Count, l.What))
		}
		countKey, count := d.Pool.Key+".count", p.Count
		if p.MinCount != 0 || p.MaxCount != 0 {
			countKey, count = d.Pool.Key+".maxCount", p.MaxCount
		}
		haveMem, haveCPU := float64(d.Nodes)*nodeMem, float64(d.Nodes)*nodeCPU
		where := fmt.Sprintf("%d x %s give %s MiB and %sm CPU after AKS's reservations (%d MiB and %dm allocatable a node, less %d MiB and %dm for AKS's own pods on every node)",
			d.Nodes, p.VMSize, grouped(haveMem), grouped(haveCPU), allocMem, allocCPU, aksDaemonSetMemoryMiB, aksDaemonSetCPUMilli)
		switch {
		case podMem > nodeMem:
			probs.add(d.Pool.Key+".vmSize", p.VMSize, fmt.Sprintf("a WordPress pod requests %s (wordpress.memory) but a %s node has %s MiB left for pods after AKS's reservations and its own pods; choose a larger nodePools.*.vmSize or a smaller wordpress.memory",
				c.WordPress.Memory, p.VMSize, grouped(nodeMem)))
		case needMem > haveMem || needCPU > haveCPU:
			nodes := int(math.Max(math.Ceil(needMem/nodeMem), math.Ceil(needCPU/nodeCPU)))
			fix := fmt.Sprintf("set %s to %d", countKey, nodes)
			if nodes > 100 {
				fix = "AKS pools stop at 100 nodes"
			}
			probs.add(countKey, strconv.Itoa(count), fmt.Sprintf("the pods this pool must hold at once request %s MiB of memory and %sm CPU (%s) but %s; %s, or choose a larger %s.vmSize, or run fewer replicas (sites[*].userReplicas, sites[*].adminReplicas) or smaller pods (wordpress.memory, wordpress.cpuRequest)",
				grouped(needMem), grouped(needCPU), strings.Join(parts, ", "), where, fix, d.Pool.Key))
		}
		// The controllers may run on any pool without the CriticalAddonsOnly taint.
		if d.Pool.Role != "system" {
			floating = true
			spareMem += math.Max(0, haveMem-needMem)
			spareCPU += math.Max(0, haveCPU-needCPU)
		}
	}
	if !floating {
		return probs
	}
	ctlMem := float64(c.Ingress.Replicas+1) * quantityMiB(IngressMemoryRequest)
	ctlCPU := float64(c.Ingress.Replicas+1) * cpuMilli(IngressCPURequest)
	if c.TLSMode() == TLSModeLetsEncrypt {
		cmMem := float64(certManagerPods) * quantityMiB(CertManagerMemoryRequest)
		cmCPU := float64(certManagerPods) * cpuMilli(CertManagerCPURequest)
		if ctlMem+cmMem > spareMem || ctlCPU+cmCPU > spareCPU {
			probs.add("ingress.replicas", strconv.Itoa(c.Ingress.Replicas), fmt.Sprintf("the ingress controller pods (%d, plus 1 rollout surge, of %s and %s each) and cert-manager's %d pods (tls.mode letsencrypt, no surge, of %s and %s each) need %s MiB and %sm CPU but the user and admin pools have %s MiB and %sm left once the WordPress pods are placed; add nodes to nodePools.user or nodePools.admin",
				c.Ingress.Replicas, IngressMemoryRequest, IngressCPURequest, certManagerPods, CertManagerMemoryRequest, CertManagerCPURequest,
				grouped(ctlMem+cmMem), grouped(ctlCPU+cmCPU), grouped(spareMem), grouped(spareCPU)))
		}
		return probs
	}
	if ctlMem > spareMem || ctlCPU > spareCPU {
		probs.add("ingress.replicas", strconv.Itoa(c.Ingress.Replicas), fmt.Sprintf("the ingress controller pods (%d, plus 1 rollout surge, of %s and %s each) need %s MiB and %sm CPU but the user and admin pools have %s MiB and %sm left once the WordPress pods are placed; add nodes to nodePools.user or nodePools.admin",
			c.Ingress.Replicas, IngressMemoryRequest, IngressCPURequest, grouped(ctlMem), grouped(ctlCPU), grouped(spareMem), grouped(spareCPU)))
	}
	return probs
}

// cpuMilli converts a CPU quantity ("100m", "0.5", "2") to millicores; -1 if it does not parse.
func cpuMilli(q string) float64 {
	if n, ok := strings.CutSuffix(q, "m"); ok {
		f, err := strconv.ParseFloat(n, 64)
		if err != nil {
			return -1
		}
		return f
	}
	f, err := strconv.ParseFloat(q, 64)
	if err != nil {
		return -1
	}
	return f * 1000
}

// grouped prints a whole number with thousands separators: 49,152.
func grouped(x float64) string {
	s := strconv.FormatInt(int64(math.Round(x)), 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
