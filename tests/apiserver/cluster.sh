# tests/apiserver/cluster.sh: a real etcd, kube-apiserver and kube-controller-manager on
# loopback, for the tiers that need one (tests/apiserver/run.sh, tests/engine/run.sh). Sourced,
# not run. The caller sets cache (where builds are kept) and gets work (a scratch directory) and
# pids (processes stopped on exit), and calls deps, build, pki, then start_cluster NAME and
# stop_cluster for each cluster. start_cluster sets cluster (its directory, with
# admin.kubeconfig) and bin (the binaries, kubectl among them).
# shellcheck shell=bash
# Variables set here are read by the scripts that source this one, and cache is set by them.
# shellcheck disable=SC2034,SC2154

K8S_VERSION=v1.34.2
apiserver_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${cache:?cluster.sh needs cache}"

# work is the caller's scratch directory and pids the processes it started (the clusters' among
# them); on exit they are stopped and the directory removed.
work=$(mktemp -d)
pids=()
cleanup() {
	[ ${#pids[@]} -eq 0 ] || stop_pids "${pids[@]}"
	pids=()
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# stop_pids stops the given processes: TERM, up to 10 s, then KILL.
stop_pids() {
	local pid
	for pid in "$@"; do kill -TERM "$pid" 2>/dev/null; done
	for pid in "$@"; do
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

deps() {
	local missing=()
	command -v jq >/dev/null || missing+=(jq)
	command -v openssl >/dev/null || missing+=(openssl)
	[ ${#missing[@]} -eq 0 ] && return 0
	as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# build puts etcd, kube-apiserver, kube-controller-manager and kubectl into $bin, reusing a
# previous build of the same sources and flags. The version ldflags make the binaries report
# the release they are built from (without them they say v0.0.0-master).
build() {
	local ld="" p key
	for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
		ld="$ld -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=34 -X $p.gitTreeState=clean"
	done
	key=$(cat "$apiserver_dir/kube/go.mod" "$apiserver_dir/kube/go.sum" "$apiserver_dir/etcd/go.mod" "$apiserver_dir/etcd/go.sum" "$apiserver_dir/etcd/main.go" - <<<"$ld" | sha256sum | cut -c1-16)
	bin=$cache/bin-$key
	if [ -x "$bin/kubectl" ]; then
		echo "binaries: $bin (cached)"
		return 0
	fi
	echo "binaries: building into $bin (about 10 minutes on 2 cores the first time)"
	rm -rf "$bin.tmp" && mkdir -p "$bin.tmp" || return 1
	go build -C "$apiserver_dir/etcd" -buildvcs=false -trimpath -ldflags "-s -w" -o "$bin.tmp/etcd" . || return 1
	go build -C "$apiserver_dir/kube" -buildvcs=false -trimpath -ldflags "-s -w $ld" -o "$bin.tmp/" \
		k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kubectl || return 1
	mv "$bin.tmp" "$bin"
}

# pki makes a throwaway CA, the API server's serving certificate, the service-account key pair
# and two static tokens (one for us, one for the controller manager).
pki() {
	local d=$work/pki
	mkdir -p "$d" || return 1
	(
		cd "$d" &&
			openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj /CN=tier2-ca &&
			openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr -subj /CN=kube-apiserver &&
			printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >san.ext &&
			openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out apiserver.crt -days 2 -extfile san.ext &&
			openssl genrsa -out sa.key 2048 &&
			openssl rsa -in sa.key -pubout -out sa.pub &&
			# The controller manager runs every controller under one identity here; system:masters
			# spares a per-controller service-account setup that this test does not exercise.
			printf '%s,admin,admin,"system:masters"\n%s,system:kube-controller-manager,kcm,"system:masters"\n' \
				"$(openssl rand -hex 16)" "$(openssl rand -hex 16)" >tokens.csv
	) >"$work/pki.log" 2>&1 || { cat "$work/pki.log"; return 1; }
}

# shellcheck source=tests/lib/ports.bash
. "$apiserver_dir/../lib/ports.bash"

kubeconfig() { # file port token
	cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: tier2
  cluster: {server: "https://127.0.0.1:$2", certificate-authority: "$work/pki/ca.crt"}
users:
- name: tier2
  user: {token: "$3"}
contexts:
- name: tier2
  context: {cluster: tier2, user: tier2}
current-context: tier2
EOF
}

k() { "$bin/kubectl" --kubeconfig "$cluster/admin.kubeconfig" "$@"; }

cluster_pids=()
# start_cluster starts etcd, the API server and the controller manager for one stack, each on
# fresh state.
start_cluster() {
	cluster=$work/cluster-$1
	mkdir -p "$cluster"
	local etcd_port peer_port api_port started=$SECONDS
	etcd_port=$(free_port) peer_port=$(free_port) api_port=$(free_port)
	kubeconfig "$cluster/admin.kubeconfig" "$api_port" "$(sed -n '1s/,.*//p' "$work/pki/tokens.csv")"
	kubeconfig "$cluster/kcm.kubeconfig" "$api_port" "$(sed -n '2s/,.*//p' "$work/pki/tokens.csv")"
	"$bin/etcd" -data-dir "$cluster/etcd" -client-url "http://127.0.0.1:$etcd_port" -peer-url "http://127.0.0.1:$peer_port" \
		>"$cluster/etcd.log" 2>&1 &
	pids+=($!) cluster_pids=($!)
	"$bin/kube-apiserver" \
		--etcd-servers="http://127.0.0.1:$etcd_port" \
		--bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$api_port" \
		--cert-dir="$cluster/certs" \
		--tls-cert-file="$work/pki/apiserver.crt" --tls-private-key-file="$work/pki/apiserver.key" \
		--token-auth-file="$work/pki/tokens.csv" \
		--authorization-mode=RBAC \
		--service-account-issuer=https://kubernetes.default.svc.cluster.local \
		--service-account-key-file="$work/pki/sa.pub" \
		--service-account-signing-key-file="$work/pki/sa.key" \
		--service-cluster-ip-range=10.96.0.0/16 \
		>"$cluster/apiserver.log" 2>&1 &
	pids+=($!) cluster_pids+=($!)
	local ready=""
	for _ in $(seq 120); do
		if [ "$(k get --raw /readyz 2>/dev/null)" = ok ]; then ready=1 && break; fi
		kill -0 "${cluster_pids[1]}" 2>/dev/null || break
		sleep 1
	done
	if [ -z "$ready" ]; then
		echo "API server not ready; its log ends:"
		tail -n 30 "$cluster/apiserver.log" "$cluster/etcd.log"
		return 1
	fi
	"$bin/kube-controller-manager" \
		--kubeconfig="$cluster/kcm.kubeconfig" \
		--leader-elect=false --secure-port=0 \
		--service-account-private-key-file="$work/pki/sa.key" --root-ca-file="$work/pki/ca.crt" \
		--service-cluster-ip-range=10.96.0.0/16 \
		>"$cluster/controller-manager.log" 2>&1 &
	pids+=($!) cluster_pids+=($!)
	echo "cluster for $1: etcd :$etcd_port, kube-apiserver $("$bin/kube-apiserver" --version | cut -d' ' -f2) :$api_port, controller manager; ready in $((SECONDS - started)) s"
}

stop_cluster() {
	[ ${#cluster_pids[@]} -eq 0 ] && return
	stop_pids "${cluster_pids[@]}"
	local keep=() pid c
	for pid in "${pids[@]}"; do
		for c in "${cluster_pids[@]}"; do [ "$pid" = "$c" ] && continue 2; done
		keep+=("$pid")
	done
	pids=("${keep[@]}")
	cluster_pids=()
}

