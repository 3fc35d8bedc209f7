#!/usr/bin/env bats
# The preStop sequence (bin/wp-graceful-stop) against real Apache under load from hey:
# every accepted request completes, while a plain stop at the same moment breaks some.
#
# The load generator plays the ingress: `hey -z` stops sending new requests when its
# duration ends, as the ingress does once the pod leaves the endpoints, and lets the
# requests in flight finish. The stop begins while the last requests are still running.

load lib/common

SLOW=3     # seconds each request to slow.php takes
LOAD=4     # seconds hey sends new requests
WORKERS=6  # concurrent clients, below MaxRequestWorkers (8) as the ingress spreads load

setup_file() {
	W=$(new_workdir)
	export W
	mkdir -p "$W/html"
	printf '<?php sleep(%d); echo "done\\n";\n' "$SLOW" >"$W/html/slow.php"
	chown -R "$WP_UID:$WP_UID" "$W/html"
}

teardown_file() {
	cleanup_workdir "${W:-}"
}

# load_and_stop NAME STOP_COMMAND...: starts Apache, puts it under load, runs
# STOP_COMMAND as uid 33 (as preStop would) while requests are in flight, and leaves
# hey's report in $W/NAME.hey and the stop's duration in $W/NAME.stop-seconds.
load_and_stop() {
	local name=$1 d=$W/$1 hey_pid started
	shift
	apache_setup "$d" "$(free_port)" "$W/html"
	apache_start "$d"
	hey -z "${LOAD}s" -c "$WORKERS" -t 30 -disable-keepalive "$(apache_url "$d" /slow.php)" >"$W/$name.hey" 2>&1 &
	hey_pid=$!
	# Second wave of requests is running (started about $SLOW s in, ends about 2*$SLOW).
	sleep "$((SLOW + 1))"
	started=$SECONDS
	env APACHE_CONFDIR="$d" PATH="$PATH" TRUSTED_PROXY_CIDRS=10.0.0.0/8 setpriv --reuid="$WP_UID" --regid="$WP_UID" --clear-groups \
		--inh-caps=-all --bounding-set=-all -- timeout 60 "$@" 2>"$W/$name.stop.log"
	echo $((SECONDS - started)) >"$W/$name.stop-seconds"
	wait "$hey_pid"
	# Apache's parent is gone either way (a plain stop returns before it has exited).
	wait_for 15 bash -c "! kill -0 $(cat "$d/apache.pid")"
}

# hey_count FILE KIND: number of 200 responses ("ok") or of failed requests ("errors").
hey_count() {
	case $2 in
	ok) sed -n 's/^ *\[200\][[:space:]]*\([0-9]*\) responses.*/\1/p' "$1" | head -n 1 ;;
	errors) sed -n '/^Error distribution:/,$p' "$1" | sed -n 's/^ *\[\([0-9]*\)\].*/\1/p' | awk '{n += $1} END {print n + 0}' ;;
	esac
}

@test "GracefulShutdownTimeout is APACHE_GRACEFUL_SHUTDOWN_TIMEOUT: Apache cuts a longer request at it" {
	# The budget is computed in Go (k8s/timeouts.go) and reaches Apache through the pod's
	# environment; wp-k8s.conf must read it from there, not hold a number of its own.
	# shellcheck disable=SC2016 # a literal ${...}, as written in wp-k8s.conf
	grep -qx 'GracefulShutdownTimeout ${APACHE_GRACEFUL_SHUTDOWN_TIMEOUT}' "$IMAGE_DIR/apache/wp-k8s.conf"
	[ "$(image_env APACHE_GRACEFUL_SHUTDOWN_TIMEOUT)" -gt 0 ]
	local d=$W/short started code
	# A loop, not one sleep(): Apache's graceful-stop signal would cut a sleep() short.
	# shellcheck disable=SC2016 # PHP variables
	printf '<?php $end = microtime(true) + 8; while (microtime(true) < $end) { usleep(100000); } echo "done\\n";\n' \
		>"$W/html/long.php"
	apache_setup "$d" "$(free_port)" "$W/html"
	apache_start "$d" APACHE_GRACEFUL_SHUTDOWN_TIMEOUT=2
	curl -s -o /dev/null -w '%{http_code}' --max-time 20 "$(apache_url "$d" /long.php)" >"$W/short.code" &
	sleep 1
	started=$SECONDS
	env APACHE_CONFDIR="$d" PATH="$PATH" TRUSTED_PROXY_CIDRS=10.0.0.0/8 APACHE_GRACEFUL_SHUTDOWN_TIMEOUT=2 \
		setpriv --reuid="$WP_UID" --regid="$WP_UID" --clear-groups --inh-caps=-all --bounding-set=-all -- \
		apache2ctl -k graceful-stop
	wait_for 15 bash -c "! kill -0 $(cat "$d/apache.pid")"
	wait
	code=$(cat "$W/short.code")
	echo "# 8 s request, 2 s graceful timeout: Apache gone after $((SECONDS - started)) s, response $code" >&3
	# Gone after about 2 s, not after the 7 s the request still needed; the request is cut.
	[ $((SECONDS - started)) -le 5 ]
	[ "$code" != 200 ]

	# The same request with a budget that covers it finishes.
	d=$W/long
	apache_setup "$d" "$(free_port)" "$W/html"
	apache_start "$d" APACHE_GRACEFUL_SHUTDOWN_TIMEOUT=15
	curl -s -o /dev/null -w '%{http_code}' --max-time 20 "$(apache_url "$d" /long.php)" >"$W/long.code" &
	sleep 1
	env APACHE_CONFDIR="$d" PATH="$PATH" TRUSTED_PROXY_CIDRS=10.0.0.0/8 APACHE_GRACEFUL_SHUTDOWN_TIMEOUT=15 \
		setpriv --reuid="$WP_UID" --regid="$WP_UID" --clear-groups --inh-caps=-all --bounding-set=-all -- \
		apache2ctl -k graceful-stop
	wait_for 20 bash -c "! kill -0 $(cat "$d/apache.pid")"
	wait
	[ "$(cat "$W/long.code")" = 200 ]
}

@test "wp-graceful-stop under load: every accepted request completes, 0 failures" {
	load_and_stop graceful "$IMAGE_DIR/bin/wp-graceful-stop" 1 1
	local ok errors
	ok=$(hey_count "$W/graceful.hey" ok)
	errors=$(hey_count "$W/graceful.hey" errors)
	echo "# graceful: $ok x 200, $errors errors" >&3
	[ "$errors" = 0 ]
	# More than one wave of requests: the stop came while hey was still working.
	[ "$ok" -gt "$WORKERS" ]
	# It waited for the requests in flight, beyond its own 1 s drain and 1 s linger.
	[ "$(cat "$W/graceful.stop-seconds")" -ge 3 ]
	grep -q 'graceful-stop of Apache' "$W/graceful.stop.log"
	# Apache logged a 200 for every request hey counted as answered.
	[ "$(grep -c '"GET /slow.php HTTP/1.1" 200' "$W/graceful/stdout.log")" = "$ok" ]
}

@test "a plain stop at the same moment fails requests in flight (the test above can fail)" {
	load_and_stop plain bash -c 'sleep 1 && apache2ctl -k stop'
	local ok errors
	ok=$(hey_count "$W/plain.hey" ok)
	errors=$(hey_count "$W/plain.hey" errors)
	echo "# plain stop: ${ok:-0} x 200, $errors errors" >&3
	[ "$errors" -gt 0 ]
}

@test "wp-graceful-stop rejects bad arguments and copes with Apache already gone" {
	run "$IMAGE_DIR/bin/wp-graceful-stop" 10
	[ "$status" = 2 ]
	run "$IMAGE_DIR/bin/wp-graceful-stop" 1s 5
	[ "$status" = 2 ]
	APACHE_PID_FILE=$W/none.pid run "$IMAGE_DIR/bin/wp-graceful-stop" 0 0
	[ "$status" = 0 ]
	[[ "$output" == *"not running"* ]]
}
