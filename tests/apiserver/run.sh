#!/usr/bin/env bash
# tests/apiserver/run.sh: tier 2, the plan's Kubernetes objects on a real API server and
# controller manager (issue 14).
#
# Builds kube-apiserver, kube-controller-manager and kubectl from k8s.io/kubernetes (one pinned
# release, tests/apiserver/kube/go.mod) and etcd from go.etcd.io/etcd/server/v3/embed
# (tests/apiserver/etcd), caches them, and for the dev, prod and a 3-site stack starts a fresh
# etcd + API server + controller manager on loopback and checks, on the server's own terms:
#   - every manifest of the offline plan is accepted by server-side apply, namespaces first,
#     with no warnings but the ones explained() names;
#   - the PersistentVolumes and claims bind; Deployments create ReplicaSets and pods; Jobs and
#     CronJobs (triggered by hand) create pods; Pod Security "restricted" admits every one (no
#     FailedCreate events);
#   - a second apply of everything changes nothing (same generation and resourceVersion);
#   - Ingress backends, Service selectors and ports, PodDisruptionBudgets and NetworkPolicies
#     select what they mean to select.
# Negative controls prove the checks catch what they exist for: a NetworkPolicy in the
# non-canonical form the server rewrites on every apply, an Ingress naming a missing Service
# port, a budget that selects no pods.
#
# There is no kubelet and no scheduler: pods are created and admitted but never run.
#
# Usage: tests/apiserver/run.sh [stack...]   (default: dev prod sites3)
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
root=$PWD
here=$root/tests/apiserver
cache=${WPAKS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wordpress-aks}/apiserver
mkdir -p "$cache"

FIELD_MANAGER=wordpress-aks-tier2

# explained prints why the API server's warning on applying a manifest is expected, or
# returns 1 when it is not (then the apply fails). Each case names the warning and the reason.
explained() { # file warning
	case $2 in
	*"tls: failed to find any PEM data in certificate input"*)
		# The plan's manifests carry "[secret]" in place of every secret value (cmd/plan never
		# writes secrets to disk), so a TLS Secret's certificate is not PEM here; pulumi up
		# sends the real one. Only a certificate that is exactly the placeholder is excused.
		grep -qxF "  tls.crt: '[secret]'" "$1" || return 1
		echo "the plan's manifests redact the TLS certificate as [secret], which is not PEM"
		;;
	*) return 1 ;;
	esac
}

passed=0
failed=0
pass() {
	passed=$((passed + 1))
	echo "PASS  $*"
}
fail() {
	failed=$((failed + 1))
	echo "FAIL  $*"
}
note() { echo "      $*"; }

# shellcheck source=tests/apiserver/cluster.sh
. "$here/cluster.sh"

# plan_stack writes the offline plan's manifests of one stack into $work/manifests-<stack>.
# sites3 is prod with a third, single-replica site, made here from Pulumi.prod.yaml; it also
# takes tls.mode letsencrypt (cert-manager's ClusterIssuer and a Certificate per site, on
# cert-manager's own CRDs) and the site switches of the edge (xmlrpc, an allowlist, two hosts).
plan_stack() {
	local stack=$1 dir=$root
	if [ "$stack" = sites3 ]; then
		dir=$work/root-sites3
		mkdir -p "$dir"
		local f
		for f in "$root"/* "$root"/.[!.]*; do
			case ${f##*/} in Pulumi.*.yaml | .git) continue ;; esac
			ln -s "$f" "$dir/"
		done
		awk '{ print } /^  wordpress-aks:sites:/ {
			print "    - name: shop"
			print "      hosts: [shop.example.com, www.shop.example.com]"
			print "      database: wp_shop"
			print "      userReplicas: 1"
			print "      adminReplicas: 1"
			print "      xmlrpc: true"
			print "      adminAllowCidrs: [203.0.113.0/24, 2001:db8::/48]"
		}' "$root/Pulumi.prod.yaml" >"$dir/Pulumi.sites3.yaml"
		printf '  wordpress-aks:tls:\n    mode: letsencrypt\n    email: blog-ops@example.com\n' >>"$dir/Pulumi.sites3.yaml"
	fi
	(cd "$dir" && "$work/plan" -quiet -stack "$stack" -out "$work/plan-$stack.json" -manifests "$work/manifests-$stack") >"$work/plan-$stack.log" 2>&1 ||
		{ cat "$work/plan-$stack.log"; return 1; }
}

# apply_crds applies cert-manager's CRDs when the plan has cert-manager objects: in the cluster
# Helm installs them from the chart (crds.enabled); here they come from the cert-manager Go
# module of the chart's version (deploy/crds, the source the chart's CRD templates are built
# from), so the ClusterIssuer and Certificates are checked against cert-manager's real schema.
apply_crds() {
	local dir=$1 version mod kind
	grep -lq '^apiVersion: cert-manager.io/' "$dir"/*.yaml || return 0
	version=$(jq -r '.resources[] | select(.name == "cert-manager") | .inputs.version' "$work/plan-$stack.json")
	mod=$(go mod download -json "github.com/cert-manager/cert-manager@$version" | jq -r .Dir) || return 1
	for kind in clusterissuers certificates; do
		k apply --server-side --field-manager="$FIELD_MANAGER" -f "$mod/deploy/crds/cert-manager.io_$kind.yaml" >/dev/null || return 1
		# Polled rather than `kubectl wait`, which fails outright when it reads the CRD before
		# the server has written any status condition (seen once in CI).
		local established="" i
		for i in $(seq 120); do
			established=$(k get "crd/$kind.cert-manager.io" -o jsonpath='{.status.conditions[?(@.type=="Established")].status}' 2>/dev/null)
			[ "$established" = True ] && break
			sleep 0.5
		done
		[ "$established" = True ] || { echo "crd/$kind.cert-manager.io not established after $i tries"; return 1; }
	done
	pass "$stack: cert-manager $version's CRDs (ClusterIssuer, Certificate) from its Go module applied"
}

# apply_file applies one manifest server-side and reports errors and unexplained warnings.
apply_file() {
	local f=$1 err line bad=0
	err=$(mktemp -p "$work")
	if ! k apply --server-side --field-manager="$FIELD_MANAGER" -f "$f" 2>"$err" >/dev/null; then
		fail "apply ${f##*/}: $(tr '\n' ' ' <"$err")"
		return 1
	fi
	local why
	while IFS= read -r line; do
		case $line in Warning:*) ;; *) continue ;; esac
		if why=$(explained "$f" "$line"); then
			note "${f##*/}: expected \"$line\": $why"
		else
			fail "apply ${f##*/} warns: $line"
			bad=1
		fi
	done <"$err"
	return $bad
}

# apply_all applies the namespaces, waits for their default service accounts (pods are refused
# until the controller manager creates them, as on any cluster), then everything else.
apply_all() {
	local dir=$1 f n=0 bad=0 ns
	for f in "$dir"/namespace-*.yaml; do
		apply_file "$f" || bad=1
		n=$((n + 1))
	done
	for ns in $(k get namespaces -o name | cut -d/ -f2); do
		for _ in $(seq 60); do k get serviceaccount default -n "$ns" >/dev/null 2>&1 && break; sleep 0.5; done
	done
	for f in "$dir"/*.yaml; do
		case ${f##*/} in namespace-*) continue ;; esac
		apply_file "$f" || bad=1
		n=$((n + 1))
	done
	[ $bad = 0 ] && pass "$stack: server-side apply of all $n manifests, namespaces first: accepted, no warnings but the expected ones"
	return $bad
}

# identity prints kind, namespace, name, generation and resourceVersion of a JSON object or List.
identity() {
	jq -r '(if .kind == "List" then .items[] else . end)
		| [.kind, (.metadata.namespace // "-"), .metadata.name, (.metadata.generation // "-" | tostring), .metadata.resourceVersion] | @tsv'
}

# our_fields prints this tier's field manager's entry of an object's managedFields.
our_fields() { jq -c --arg m "$FIELD_MANAGER" '[.metadata.managedFields[]? | select(.manager == $m)]'; }

# reapply applies each manifest again and prints one line per object the apply changed. The
# object is read just before its own apply; when its resourceVersion moved but neither its
# generation nor this tier's managed fields did, a controller wrote status in between, and the
# object is checked again.
reapply() {
	local f before after try
	for f in "$@"; do
		for try in 1 2 3; do
			before=$(k get -f "$f" -o json) || { echo "${f##*/}: cannot read it back"; break; }
			after=$(k apply --server-side --field-manager="$FIELD_MANAGER" -o json -f "$f" 2>/dev/null) || {
				echo "${f##*/}: second apply refused"
				break
			}
			[ "$(identity <<<"$before")" = "$(identity <<<"$after")" ] && break
			local gb ga
			gb=$(jq -r '.metadata.generation // 0' <<<"$before") ga=$(jq -r '.metadata.generation // 0' <<<"$after")
			if [ "$gb" = "$ga" ] && [ "$(our_fields <<<"$before")" = "$(our_fields <<<"$after")" ] && [ $try -lt 3 ]; then
				continue
			fi
			echo "$(identity <<<"$after" | cut -f1-3 | tr '\t' /): generation $gb -> $ga, resourceVersion $(jq -r .metadata.resourceVersion <<<"$before") -> $(jq -r .metadata.resourceVersion <<<"$after")"
			break
		done
	done
}

# settle waits until no object of the stack changes for 3 s (controllers done writing status).
settle() {
	local a b
	a=$(k get -f "$1" -o json 2>/dev/null | identity | sort)
	for _ in $(seq 20); do
		sleep 3
		b=$(k get -f "$1" -o json 2>/dev/null | identity | sort)
		[ "$a" = "$b" ] && return 0
		a=$b
	done
	return 1
}

# selector_string turns a LabelSelector (JSON on stdin) into kubectl's -l syntax, so the
# server itself evaluates it.
selector_string() {
	jq -r '[(.matchLabels // {} | to_entries[] | "\(.key)=\(.value)"),
		(.matchExpressions // [] | .[] |
			if .operator == "In" then "\(.key) in (\(.values | join(",")))"
			elif .operator == "NotIn" then "\(.key) notin (\(.values | join(",")))"
			elif .operator == "Exists" then .key
			else "!\(.key)" end)] | join(",")'
}

# pods_of_deployment prints the names of the pods whose ReplicaSet the Deployment owns.
pods_of_deployment() { # namespace deployment
	local rs
	rs=$(k get rs -n "$1" -o json | jq -r --arg d "$2" '.items[] | select(any(.metadata.ownerReferences[]?; .kind == "Deployment" and .name == $d)) | .metadata.name')
	[ -n "$rs" ] || return 0
	k get pods -n "$1" -o json | jq -r --arg rs "$rs" '.items[] | select(any(.metadata.ownerReferences[]?; .kind == "ReplicaSet" and ([.name] | inside($rs | split("\n"))))) | .metadata.name' | sort
}

# check_workloads waits until the volumes bind, every Deployment has a ReplicaSet with all its
# pods and every Job (one per CronJob made here) has a pod, then checks Pod Security's events.
check_workloads() {
	local ns d want got bad msg n
	# Volumes: the PV controller binds each claim to its pre-bound volume.
	bad=""
	for _ in $(seq 60); do
		bad=$(k get pv,pvc -A -o json | jq -r '.items[] | select(.status.phase != "Bound") | "\(.kind) \(.metadata.namespace // "")/\(.metadata.name) is \(.status.phase)"')
		[ -z "$bad" ] && break
		sleep 1
	done
	n=$(k get pv,pvc -A -o name | wc -l)
	if [ -n "$bad" ]; then fail "$stack: volumes bind: $bad"; elif [ "$n" -eq 0 ]; then fail "$stack: no PersistentVolumes or claims"; else pass "$stack: all $n PersistentVolumes and claims are Bound"; fi

	# CronJobs: create a Job from each, as the schedule would.
	local cj
	while read -r ns cj; do
		[ -n "$cj" ] || continue
		k create job -n "$ns" --from="cronjob/$cj" "$cj-tier2" >/dev/null || fail "$stack: create a Job from CronJob $ns/$cj"
	done < <(k get cronjobs -A -o json | jq -r '.items[] | "\(.metadata.namespace) \(.metadata.name)"')

	# Deployments: ReplicaSet and .spec.replicas pods each; Jobs: a pod each.
	msg=""
	for _ in $(seq 90); do
		msg=""
		while read -r ns d want; do
			[ -n "$d" ] || continue
			got=$(pods_of_deployment "$ns" "$d" | grep -c .)
			[ "$got" = "$want" ] || msg="$msg Deployment $ns/$d has $got of $want pods;"
		done < <(k get deployments -A -o json | jq -r '.items[] | "\(.metadata.namespace) \(.metadata.name) \(.spec.replicas)"')
		while read -r ns d; do
			[ -n "$d" ] || continue
			got=$(k get pods -n "$ns" -l "batch.kubernetes.io/job-name=$d" -o name | grep -c .)
			[ "$got" -ge 1 ] || msg="$msg Job $ns/$d has no pod;"
		done < <(k get jobs -A -o json | jq -r '.items[] | "\(.metadata.namespace) \(.metadata.name)"')
		[ -z "$msg" ] && break
		sleep 1
	done
	local nd nj np
	nd=$(k get deployments -A -o name | grep -c .) nj=$(k get jobs -A -o name | grep -c .) np=$(k get pods -A -o name | grep -c .)
	if [ -n "$msg" ]; then fail "$stack: controllers create pods:$msg"; else pass "$stack: $nd Deployments have their ReplicaSets and pods, $nj Jobs (incl. one per CronJob) have pods: $np pods"; fi

	# Pod Security: every namespace with pods enforces restricted, and nothing was refused.
	msg=$(k get namespaces -o json | jq -r --argjson with "$(k get pods -A -o json | jq '[.items[].metadata.namespace] | unique')" \
		'.items[] | select(.metadata.name as $n | $with | index($n)) | select(.metadata.labels["pod-security.kubernetes.io/enforce"] != "restricted") | .metadata.name')
	[ -z "$msg" ] || fail "$stack: namespaces with pods but without enforce=restricted: $msg"
	msg=$(k get events -A -o json | jq -r '.items[] | select(.reason == "FailedCreate") | "\(.involvedObject.kind) \(.metadata.namespace)/\(.involvedObject.name): \(.message)"')
	if [ -n "$msg" ]; then fail "$stack: controllers were refused pods: $msg"; else pass "$stack: every pod admitted by Pod Security \"restricted\" (no FailedCreate events)"; fi
	note "pods are created and admitted but never run: no kubelet or scheduler here, so they stay Pending"
}

# check_references checks, in the given namespaces, that what the objects name exists on the
# server and that their selectors select what they mean to: returns the problems, one a line.
check_references() {
	local ns
	for ns in "$@"; do
		local svcs
		svcs=$(k get services -n "$ns" -o json)
		# Ingress backends: a Service of that name with that port (name or number); TLS secrets.
		k get ingresses -n "$ns" -o json | jq -r --argjson svcs "$svcs" '
			.items[] as $i
			| ($i.spec.rules[]?.http.paths[]?.backend.service, ($i.spec.defaultBackend.service // empty)) as $b
			| [$svcs.items[] | select(.metadata.name == $b.name)] as $m
			| if ($m | length) == 0 then "Ingress \($i.metadata.namespace)/\($i.metadata.name): no Service \($b.name)"
			  elif any($m[0].spec.ports[]; ($b.port.name != null and .name == $b.port.name) or ($b.port.number != null and .port == $b.port.number)) then empty
			  else "Ingress \($i.metadata.namespace)/\($i.metadata.name): Service \($b.name) has no port \($b.port.name // $b.port.number)" end'
		local tls
		for tls in $(k get ingresses -n "$ns" -o json | jq -r '.items[].spec.tls[]?.secretName'); do
			# In tls.mode letsencrypt cert-manager writes the secret from a Certificate.
			[ "$(k get secret -n "$ns" "$tls" -o jsonpath='{.type}' 2>/dev/null)" = kubernetes.io/tls ] ||
				k get certificates.cert-manager.io -n "$ns" -o json 2>/dev/null | jq -e --arg s "$tls" 'any(.items[]; .spec.secretName == $s)' >/dev/null ||
				echo "Ingress in $ns: TLS secret $tls missing or not of type kubernetes.io/tls, and no Certificate writes it"
		done
		# Services: the selector picks the pods of exactly one Deployment, all of them, and the
		# target port is one of their container ports.
		local name sel deps d
		while IFS=$'\t' read -r name sel; do
			[ -n "$name" ] || continue
			if [ -z "$sel" ]; then
				echo "Service $ns/$name selects no pods (no selector)"
				continue
			fi
			deps=$(owners "$ns" "$sel")
			if [ "$(grep -c . <<<"$deps")" != 1 ]; then
				echo "Service $ns/$name selects the pods of [${deps//$'\n'/ }], want one Deployment"
				continue
			fi
			d=${deps#Deployment/}
			[ "$(k get pods -n "$ns" -l "$sel" -o name | sort)" = "$(pods_of_deployment "$ns" "$d" | sed 's#^#pod/#')" ] ||
				echo "Service $ns/$name selects only some pods of Deployment $d"
			jq -r --arg n "$name" --argjson pods "$(k get pods -n "$ns" -l "$sel" -o json)" '
				.items[] | select(.metadata.name == $n) | .spec.ports[] as $p
				| [$pods.items[].spec.containers[].ports[]?] as $cp
				| if ($p.targetPort | type) == "string" then
					(if any($cp[]; .name == $p.targetPort) then empty
					 else "Service \(.metadata.namespace)/\($n): port \($p.name // $p.port) targets \($p.targetPort), which no selected pod names" end)
				  elif any($cp[]; .containerPort == ($p.targetPort // $p.port)) then empty
				  else "Service \(.metadata.namespace)/\($n): port \($p.name // $p.port) targets \($p.targetPort // $p.port), which no selected pod opens" end' <<<"$svcs"
		done < <(jq -r '.items[] | select(.spec.type != "ExternalName") | [.metadata.name, (.spec.selector // {} | to_entries | map("\(.key)=\(.value)") | join(","))] | @tsv' <<<"$svcs")
		# Budgets: the selector picks all pods of exactly one Deployment, and the disruption
		# controller expects as many pods as the Deployment wants.
		local want expected
		while IFS=$'\t' read -r name sel expected; do
			[ -n "$name" ] || continue
			deps=$(owners "$ns" "$sel")
			if [ "$(grep -c . <<<"$deps")" != 1 ]; then
				echo "PodDisruptionBudget $ns/$name selects the pods of [${deps//$'\n'/ }], want one Deployment"
				continue
			fi
			d=${deps#Deployment/}
			want=$(k get deployment -n "$ns" "$d" -o jsonpath='{.spec.replicas}')
			[ "$(k get pods -n "$ns" -l "$sel" -o name | grep -c .)" = "$want" ] ||
				echo "PodDisruptionBudget $ns/$name selects some, not all $want pods of Deployment $d"
			[ "$expected" = "$want" ] ||
				echo "PodDisruptionBudget $ns/$name: the disruption controller expects $expected pods, Deployment $d wants $want"
		done < <(k get pdb -n "$ns" -o json | jq -c '.items[]' | while read -r o; do
			printf '%s\t%s\t%s\n' "$(jq -r .metadata.name <<<"$o")" "$(jq .spec.selector <<<"$o" | selector_string)" "$(jq -r '.status.expectedPods // 0' <<<"$o")"
		done)
		# Network policies: each one that picks pods by label picks some.
		while IFS=$'\t' read -r name sel; do
			[ -n "$name" ] || continue
			[ -z "$sel" ] && continue
			# cert-manager's HTTP-01 solver pods exist only while a challenge is pending.
			[ "$sel" = acme.cert-manager.io/http01-solver=true ] && continue
			[ -n "$(k get pods -n "$ns" -l "$sel" -o name)" ] || echo "NetworkPolicy $ns/$name selects no pod ($sel)"
		done < <(k get networkpolicies -n "$ns" -o json | jq -c '.items[]' | while read -r o; do
			printf '%s\t%s\n' "$(jq -r .metadata.name <<<"$o")" "$(jq .spec.podSelector <<<"$o" | selector_string)"
		done)
	done
}

# owners prints the controllers (Deployment/<name>, Job/<name>, ...) of the pods a selector picks.
owners() { # namespace selector
	local pods
	pods=$(k get pods -n "$1" -l "$2" -o json)
	jq -r '.items[].metadata.ownerReferences[]? | select(.controller) | "\(.kind)/\(.name)"' <<<"$pods" | sort -u | while read -r o; do
		case $o in
		ReplicaSet/*) k get rs -n "$1" "${o#ReplicaSet/}" -o json | jq -r '.metadata.ownerReferences[]? | select(.controller) | "\(.kind)/\(.name)"' ;;
		*) echo "$o" ;;
		esac
	done | sort -u
}

# controls: the checks above, on fixtures built to fail them, must fail; on the canonical
# NetworkPolicy they must pass.
controls() {
	local fx=$here/testdata ns=tier2-controls out
	k create namespace "$ns" >/dev/null && k label namespace "$ns" pod-security.kubernetes.io/enforce=restricted >/dev/null
	for _ in $(seq 60); do k get serviceaccount default -n "$ns" >/dev/null 2>&1 && break; sleep 0.5; done
	local f
	for f in "$fx"/*.yaml; do apply_file "$f" || return 1; done
	out=$(reapply "$fx/networkpolicy-noncanonical.yaml")
	if grep -q 'NetworkPolicy/tier2-controls/noncanonical: generation' <<<"$out"; then
		pass "control: a second apply catches the non-canonical NetworkPolicy ($out)"
	else
		fail "control: the non-canonical NetworkPolicy (podSelector.matchLabels {}, empty ingress/egress lists) went unnoticed: ${out:-no change seen}"
	fi
	out=$(reapply "$fx/networkpolicy-canonical.yaml")
	if [ -z "$out" ]; then pass "control: the canonical deny-all NetworkPolicy is stable"; else fail "control: the canonical NetworkPolicy changed: $out"; fi
	for _ in $(seq 60); do [ -n "$(k get pods -n "$ns" -o name)" ] && break; sleep 0.5; done
	out=$(check_references "$ns")
	local want
	for want in "Ingress $ns/control: Service web has no port nope" "Ingress $ns/control: no Service missing" \
		"PodDisruptionBudget $ns/control selects the pods of [], want one Deployment" \
		"Service $ns/control: port http targets nope, which no selected pod names" \
		"NetworkPolicy $ns/control-stray selects no pod"; do
		if grep -qF "$want" <<<"$out"; then pass "control: the reference check catches \"$want\""; else fail "control: the reference check misses \"$want\" (it said: ${out//$'\n'/; })"; fi
	done
}

run_stack() {
	stack=$1
	echo
	echo "==> $stack"
	if ! plan_stack "$stack"; then
		fail "$stack: offline plan"
		return
	fi
	local dir=$work/manifests-$stack n_sites
	n_sites=$(find "$dir" -name 'ingress-*-wordpress.yaml' | grep -c .) # one master Ingress per site's first host
	echo "$stack: $(find "$dir" -name '*.yaml' | grep -c .) manifests, $n_sites sites"
	if [ "$stack" = sites3 ] && [ "$n_sites" != 3 ]; then fail "sites3: the stack made from Pulumi.prod.yaml has $n_sites sites, want 3"; fi
	start_cluster "$stack" || {
		fail "$stack: start the API server"
		return
	}
	apply_crds "$dir" || fail "$stack: cert-manager's CRDs"
	apply_all "$dir"
	check_workloads
	local namespaces probs
	mapfile -t namespaces < <(k get namespaces -o json | jq -r '.items[] | select(.metadata.labels["app.kubernetes.io/part-of"] == "wordpress-aks") | .metadata.name')
	probs=$(check_references "${namespaces[@]}")
	if [ -z "$probs" ]; then
		pass "$stack: Ingress backends, Service selectors and ports, budgets and network policies select what they name (namespaces: ${namespaces[*]})"
	else
		fail "$stack: references:"$'\n'"$probs"
	fi
	settle "$dir" || note "$stack: objects were still changing after 60 s"
	local changed
	changed=$(reapply "$dir"/*.yaml)
	if [ -z "$changed" ]; then
		pass "$stack: a second apply of all manifests changes nothing (generation and resourceVersion kept)"
	else
		fail "$stack: a second apply changed:"$'\n'"$changed"
	fi
	if [ "$stack" = "$first" ]; then controls; fi
	stop_cluster
}

started=$SECONDS
deps || { echo "cannot install jq/openssl"; exit 1; }
build || { echo "build failed"; exit 1; }
pki || exit 1
go build -o "$work/plan" ./cmd/plan || { echo "cannot build cmd/plan"; exit 1; }
stacks=("$@")
[ ${#stacks[@]} -gt 0 ] || stacks=(dev prod sites3)
first=${stacks[0]}
for s in "${stacks[@]}"; do run_stack "$s"; done
echo
echo "tier 2 (real API server $K8S_VERSION, controller manager, no kubelet) took $((SECONDS - started)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
