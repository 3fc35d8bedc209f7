#!/usr/bin/env bats
# Liveness and readiness while wp-content stops answering, on real Apache + mod_php +
# MariaDB. wp-content is a FUSE file system (stallfs.py) passing a directory through and
# blocking every operation while a gate file exists: processes touching it wait in the
# kernel, as they do on a `hard` NFS mount whose server is slow or restarting.
#
# What must hold: the liveness check (bin/wp-healthz, an exec probe) keeps answering
# within the probe's timeout even with every Apache worker stuck, so the kubelet never
# restarts a pod for slow storage; readiness tells the truth (503 in time while workers
# are free, no answer when none is) and recovers with the storage. A GET /healthz, the
# old HTTP liveness probe, is shown timing out in the same state.

load lib/common

PASSWORD='Db-pass-5c1e27'
# The probes' timeoutSeconds in k8s/workload.go (liveness; readiness = content check 2 s
# + MySQL connect and read 2 s each + 1).
LIVENESS_TIMEOUT=3
READINESS_TIMEOUT=7

setup_file() {
	start_db_workdir
	db_site "$W/db" wp wpuser "$PASSWORD"
	printf '%s\n' "$PASSWORD" >"$W/password"
	chmod 0644 "$W/password"

	mkdir -p "$W/backing/plugins/shop" "$W/backing/uploads" "$W/html/wp-content"
	echo '<?php // a plugin' >"$W/backing/plugins/shop/shop.php"
	# A request that needs wp-content: a lookup there, as every WordPress page makes.
	cat >"$W/html/content.php" <<-'EOF'
		<?php
		$name = __DIR__ . '/wp-content/plugins/shop/missing-' . bin2hex(random_bytes(6)) . '.php';
		echo file_exists($name) ? "found\n" : "looked\n";
	EOF
	chown -R "$WP_UID:$WP_UID" "$W/html" "$W/backing"
	/usr/bin/python3 "$TESTS_DIR/stallfs.py" "$W/html/wp-content" -f \
		-o "root=$W/backing,gate=$W/gate,allow_other,ro,attr_timeout=0,entry_timeout=0,negative_timeout=0" \
		>"$W/stallfs.log" 2>&1 &
	echo $! >"$W/stallfs.bgpid"
	wait_for 20 mountpoint -q "$W/html/wp-content"

	A=$W/apache
	export A
	apache_setup "$A" "$(free_port)" "$W/html"
	apache_start "$A" WORDPRESS_DB_HOST="127.0.0.1:$DB_PORT" WORDPRESS_DB_USER=wpuser \
		WORDPRESS_DB_NAME=wp WORDPRESS_DB_PASSWORD_FILE="$W/password" WORDPRESS_DB_READY_TIMEOUT=2 \
		WP_CONTENT_READY_TIMEOUT=2
}

teardown_file() {
	# Storage back first: workers stuck on FUSE cannot even be killed.
	rm -f "$W/gate"
	umount -l "$W/html/wp-content" 2>/dev/null || true
	cleanup_workdir "${W:-}"
}

stall() { touch "$W/gate"; }
unstall() { rm -f "$W/gate"; }

# liveness: runs the probe's command as the kubelet would, in the container's identity,
# bounded by the probe's timeout; sets status, output and millis.
liveness() {
	local started=$EPOCHREALTIME
	run env -i PATH=/usr/local/bin:/usr/bin:/bin APACHE_CONFDIR="$A" \
		setpriv --reuid="$WP_UID" --regid="$WP_UID" --clear-groups --inh-caps=-all --bounding-set=-all -- \
		timeout "$LIVENESS_TIMEOUT" "$IMAGE_DIR/bin/wp-healthz" "$(cat "$A/port")"
	millis=$(($(ms "$EPOCHREALTIME") - $(ms "$started")))
}

# get PATH TIMEOUT: HTTP status of one GET (000 when it timed out), and its millis.
get() {
	local started=$EPOCHREALTIME
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time "$2" "$(apache_url "$A" "$1")" || true)
	millis=$(($(ms "$EPOCHREALTIME") - $(ms "$started")))
}

# stuck_workers: Apache children waiting in the kernel for the FUSE server (the first
# wait is interruptible, so the state is S rather than D until a signal comes).
stuck_workers() {
	# shellcheck disable=SC2009 # pgrep cannot match on wchan
	ps --ppid "$(cat "$A/apache.pid")" -o wchan:40= | grep -c '^request_wait_answer' || true
}

# stuck_at_least N: at least N workers are stuck.
stuck_at_least() {
	(($(stuck_workers) >= $1))
}

# requests_done: every request send started has returned.
requests_done() {
	local pid
	while read -r pid; do
		! kill -0 "$pid" 2>/dev/null || return 1
	done <"$W/requests.pids"
}

# send N: N requests into wp-content in the background; codes land in $W/codes/*.
send() {
	local i
	mkdir -p "$W/codes"
	for ((i = 0; i < $1; i++)); do
		curl -s -o /dev/null -w '%{http_code}' --max-time 120 "$(apache_url "$A" /content.php)" \
			>"$W/codes/$RANDOM$RANDOM" &
		echo $! >>"$W/requests.pids"
	done
}

max_workers() {
	sed -n 's/^[[:space:]]*MaxRequestWorkers[[:space:]]*\([0-9]*\).*/\1/p' "$IMAGE_DIR/apache/wp-k8s.conf"
}

@test "storage answering: liveness, /healthz and /readyz all pass" {
	liveness
	[ "$status" = 0 ]
	[ "$output" = ok ]
	get /healthz 5
	[ "$code" = 200 ]
	get /readyz "$READINESS_TIMEOUT"
	[ "$code" = 200 ]
	get /content.php 5
	[ "$code" = 200 ]
}

@test "storage stalled, workers left: /readyz is 503 within its timeout, one check process at most" {
	stall
	send 3
	wait_for 20 stuck_at_least 3
	local i
	for i in 1 2 3 4; do
		get /readyz "$READINESS_TIMEOUT"
		echo "# readyz while stalled: $code in ${millis} ms" >&3
		[ "$code" = 503 ]
		((millis < READINESS_TIMEOUT * 1000))
	done
	# Each probe reused the one stuck check instead of starting another.
	[ "$(pgrep -c -f wp-k8s-readyz-content || true)" -le 1 ]
	grep -q 'readyz: wp-content did not answer within 2 s' "$A/stderr.log"
	grep -q 'readyz: an earlier wp-content check has not come back' "$A/stderr.log"
	get /healthz 5
	[ "$code" = 200 ]
	liveness
	[ "$status" = 0 ]
}

@test "storage stalled, every worker stuck: liveness answers in time; GET /healthz would not" {
	local max
	max=$(max_workers)
	[ "$max" -gt 0 ]
	send $((max + 4))
	wait_for 30 stuck_at_least "$max"
	echo "# $(stuck_workers) of $max workers stuck on wp-content" >&3
	local i
	for i in 1 2 3 4 5; do
		liveness
		echo "# wp-healthz: exit $status in ${millis} ms" >&3
		[ "$status" = 0 ]
		((millis < LIVENESS_TIMEOUT * 1000))
		sleep 0.5
	done
	# The HTTP probe this replaces needs a worker, and none is free.
	get /healthz "$LIVENESS_TIMEOUT"
	echo "# GET /healthz: ${code} after ${millis} ms" >&3
	[ "$code" = 000 ]
	# Readiness fails too (by its timeout): the pod leaves the Service.
	get /readyz "$READINESS_TIMEOUT"
	[ "$code" != 200 ]
}

@test "storage back: every stuck request completes and readiness recovers" {
	unstall
	wait_for 60 requests_done
	local f n=0
	for f in "$W"/codes/*; do
		[ "$(cat "$f")" = 200 ] || { echo "request got $(cat "$f")" >&2 && return 1; }
		n=$((n + 1))
	done
	[ "$n" -gt "$(max_workers)" ]
	wait_for 20 bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' --max-time 7 $(apache_url "$A" /readyz))\" = 200 ]"
	get /healthz 5
	[ "$code" = 200 ]
	liveness
	[ "$status" = 0 ]
}

@test "liveness fails when Apache stops serving, when it is gone, and without a listener" {
	# A graceful stop with a request stuck on storage: the parent lives on to finish it,
	# but has closed its port and removed its pid file.
	stall
	send 1
	wait_for 20 stuck_at_least 1
	env -i PATH=/usr/sbin:/usr/bin:/bin APACHE_CONFDIR="$A" TRUSTED_PROXY_CIDRS=10.0.0.0/8 \
		APACHE_GRACEFUL_SHUTDOWN_TIMEOUT=60 \
		setpriv --reuid="$WP_UID" --regid="$WP_UID" --clear-groups --inh-caps=-all --bounding-set=-all -- \
		apache2ctl -k graceful-stop
	wait_for 10 bash -c "! curl -s -o /dev/null --max-time 1 $(apache_url "$A" /healthz)"
	kill -0 "$(cat "$A/apache.pid")"
	liveness
	[ "$status" = 1 ]
	unstall
	wait_for 30 bash -c "! kill -0 $(cat "$A/apache.pid")"
	liveness
	[ "$status" = 1 ]
	[[ "$output" == *"no Apache pid"* || "$output" == *"not running"* ]]

	# A live process in the pid file but nothing on the port.
	setpriv --reuid="$WP_UID" --regid="$WP_UID" --clear-groups -- sleep 30 &
	echo $! >"$W/sleep.bgpid"
	echo $! >"$A/run/apache2.pid"
	liveness
	[ "$status" = 1 ]
	[[ "$output" == *"nothing listens on port"* ]]
	kill "$(cat "$W/sleep.bgpid")"
}
