#!/usr/bin/env bash
# tests/engine/run.sh: the engine tier (issue 15). The project's own Kubernetes layer (k8s.New and
# its Site components) goes through the real Pulumi engine: the Pulumi CLI and the kubernetes
# provider, built from the Go module proxy and cached, run an inline Automation API program
# (tests/engine/runner) with a local file backend and a passphrase against a real etcd +
# kube-apiserver + controller manager (the API server tier's, tests/apiserver/cluster.sh).
#
# Per stack on a fresh server: up creates every object and a preview right after shows no
# changes; for dev also a site added in config (creates only its objects), a replica count and an
# image change (exactly the expected updates), a new NFS export path (the PersistentVolumes'
# immutable source forces replacement; the claims stay bound), and a quiet preview again; then
# the state holds no secret the test handed in, and destroy removes every object and namespace.
#
# What stands in for what cannot run here, and why:
#   - the Azure layer (no azure-native provider on the module proxy): its outputs are plain
#     values and stand-in components (runner/program.go);
#   - pulumi-random (not on the module proxy either): the test hands in secrets of its own, as
#     the program hands in its RandomPasswords;
#   - F5's ingress controller chart (cannot be pulled): a local chart (standin-chart/) renders
#     the Service and IngressClass from the program's values;
#   - readiness (no kubelet): the runner adds pulumi.com/skipAwait by a transform of its own and
#     turns the Release's atomic off; the program itself does neither.
#
# dev:letsencrypt is dev without a certificate, as a new stack is (tls.mode letsencrypt):
# cert-manager's Release installs a stand-in with cert-manager's own CRDs (from its Go module),
# and the ClusterIssuer and Certificates go through the engine; up, preview, state, destroy.
#
# Usage: tests/engine/run.sh [stack[:letsencrypt]...]   (default: dev prod dev:letsencrypt)
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
root=$PWD
here=$root/tests/engine
base=${WPAKS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wordpress-aks}
cache=$base/apiserver
engine_cache=$base/engine
mkdir -p "$cache" "$engine_cache"

PULUMI_VERSION=v3.274.1
KUBERNETES_PROVIDER_VERSION=4.32.0

# shellcheck source=tests/apiserver/cluster.sh
. "$root/tests/apiserver/cluster.sh"

# cached_build NAME DIR BUILD-FUNCTION: runs the build into $engine_cache/NAME-<hash of DIR's
# go.mod, go.sum and the build function's text>, unless a previous run did.
cached_build() {
	local name=$1 dir=$2 fn=$3 key out
	key=$(cat "$dir/go.mod" "$dir/go.sum" <(declare -f "$fn") | sha256sum | cut -c1-16)
	out=$engine_cache/$name-$key
	if [ -x "$out/$name" ]; then
		echo "$name: $out (cached)"
	else
		echo "$name: building into $out (about 10 minutes on 2 cores the first time)"
		local started=$SECONDS
		rm -rf "$out.tmp" && mkdir -p "$out.tmp" && "$fn" "$dir" "$out.tmp/$name" && mv "$out.tmp" "$out" || return 1
		echo "$name: built in $((SECONDS - started)) s"
	fi
	printf -v "${4}" '%s' "$out/$name"
}

# build_cli builds the Pulumi CLI from tests/engine/cli (pkg/v3's replace directives refuse
# `go install pkg@version`); the version flag makes it report the release it is.
build_cli() {
	go build -C "$1" -buildvcs=false -trimpath \
		-ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
		-o "$2" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
}

# build_provider builds the kubernetes provider from its module's own main package: a copy of
# cmd/pulumi-resource-kubernetes in a scratch copy of tests/engine/provider, with the two files
# it embeds generated from the module's schema and mapping as its own build does.
build_provider() {
	local src mod=github.com/pulumi/pulumi-kubernetes/provider/v4 b=$work/provider-src
	# go mod download, unlike go list -m, fetches the module on a machine that has not yet.
	src=$(cd "$1" && go mod download -json "$mod" | jq -r .Dir) && [ -d "$src" ] || return 1
	mkdir -p "$b/cmd/pulumi-resource-kubernetes" &&
		cp "$1/go.mod" "$1/go.sum" "$b/" &&
		cp "$src/cmd/pulumi-resource-kubernetes/main.go" "$b/cmd/pulumi-resource-kubernetes/" &&
		jq -c ".version=\"$KUBERNETES_PROVIDER_VERSION\"" "$src/cmd/pulumi-resource-kubernetes/schema.json" >"$b/cmd/pulumi-resource-kubernetes/schema-embed.json" &&
		jq -c . "$src/cmd/pulumi-resource-kubernetes/terraform-mapping.json" >"$b/cmd/pulumi-resource-kubernetes/terraform-mapping-embed.json" &&
		go build -C "$b" -buildvcs=false -trimpath \
			-ldflags "-s -w -X $mod/pkg/version.Version=$KUBERNETES_PROVIDER_VERSION" \
			-o "$2" ./cmd/pulumi-resource-kubernetes
}

cli="" provider=""
started=$SECONDS
deps || { echo "cannot install jq/openssl"; exit 1; }
build || { echo "kube build failed"; exit 1; }
cached_build pulumi "$here/cli" build_cli cli || { echo "Pulumi CLI build failed"; exit 1; }
cached_build pulumi-resource-kubernetes "$here/provider" build_provider provider || { echo "kubernetes provider build failed"; exit 1; }
pki || exit 1
go build -o "$work/runner" ./tests/engine/runner || { echo "cannot build tests/engine/runner"; exit 1; }

# The engine runs offline: no plugin download, no update check, no plugins from PATH but ours.
export PULUMI_HOME=$work/pulumi-home PATH=${cli%/*}:$PATH \
	PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true PULUMI_IGNORE_AMBIENT_PLUGINS=true
pulumi plugin install resource kubernetes "v$KUBERNETES_PROVIDER_VERSION" --file "$provider" >"$work/plugin.log" 2>&1 ||
	{ cat "$work/plugin.log"; exit 1; }
echo "engine: $(pulumi version), kubernetes provider v$KUBERNETES_PROVIDER_VERSION ($(du -m "$provider" | cut -f1) MB)"

passed=0
failed=0
runs=("$@")
[ ${#runs[@]} -gt 0 ] || runs=(dev prod dev:letsencrypt)
for run in "${runs[@]}"; do
	stack=${run%%:*} flags=()
	[ "$run" = "$stack:letsencrypt" ] && flags=(-letsencrypt)
	if ! start_cluster "$stack"; then
		failed=$((failed + 1))
		echo "FAIL  $run: start the API server"
		continue
	fi
	out=$work/${run/:/-}
	mkdir -p "$out"
	"$work/runner" -root "$root" -stack "$stack" "${flags[@]}" -chart "$here/standin-chart" \
		-kubeconfig "$cluster/admin.kubeconfig" -kubectl "$bin/kubectl" -work "$out" | tee "$out.out"
	line=$(tail -n 1 "$out.out")
	if [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
		passed=$((passed + BASH_REMATCH[1])) failed=$((failed + BASH_REMATCH[2]))
	else
		failed=$((failed + 1))
		echo "FAIL  $run: the runner ended without its summary"
	fi
	if grep -q '^FAIL' "$out.out"; then
		echo "      $run: the engine's log ends:"
		tail -n 40 "$out/$stack-engine.log" 2>/dev/null | sed 's/^/      /'
	fi
	stop_cluster
done
echo
echo "engine tier (Pulumi $PULUMI_VERSION, kubernetes provider v$KUBERNETES_PROVIDER_VERSION, API server $K8S_VERSION) took $((SECONDS - started)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
