#!/usr/bin/env bats
# apache/wp-k8s.conf on a real Apache running as uid 33 without capabilities:
# forwarded headers are trusted only from TRUSTED_PROXY_CIDRS, no version banner,
# no directory listings, probes stay out of the access log.

load lib/common

setup_file() {
	W=$(new_workdir)
	export W
	mkdir -p "$W/html/files"
	echo data >"$W/html/files/a.txt"
	cat >"$W/html/echo.php" <<-'EOF'
		<?php
		// What PHP (and so WordPress's docker wp-config.php) sees of the client.
		header('Content-Type: text/plain');
		printf("addr=%s\nproto=%s\nxff=%s\nhost=%s\nend\n", $_SERVER['REMOTE_ADDR'],
		    $_SERVER['HTTP_X_FORWARDED_PROTO'] ?? '', $_SERVER['HTTP_X_FORWARDED_FOR'] ?? '',
		    $_SERVER['HTTP_X_FORWARDED_HOST'] ?? '');
	EOF
	chown -R "$WP_UID:$WP_UID" "$W/html"
	# Loopback is not a cluster range: this instance sees every test client as untrusted.
	apache_setup "$W/untrusted" "$(free_port)" "$W/html"
	apache_start "$W/untrusted"
	# Here loopback plays the ingress controller; two ranges also prove a list works.
	apache_setup "$W/trusted" "$(free_port)" "$W/html"
	apache_start "$W/trusted" TRUSTED_PROXY_CIDRS='10.0.0.0/8 127.0.0.0/8'
}

teardown_file() {
	cleanup_workdir "${W:-}"
}

forwarded() {
	curl -fsS -H 'X-Forwarded-For: 203.0.113.7' -H 'X-Forwarded-Proto: https' \
		-H 'X-Forwarded-Host: evil.example' "$@"
}

@test "an untrusted client cannot spoof its address, HTTPS or host" {
	run forwarded "$(apache_url "$W/untrusted" /echo.php)"
	[ "$status" = 0 ]
	[[ "$output" == *"addr=127.0.0.1"* ]]
	[[ "$output" == *"proto="$'\n'* ]]
	[[ "$output" == *"xff="$'\n'* ]]
	[[ "$output" == *"host="$'\n'* ]]
}

@test "a trusted proxy's X-Forwarded-For and -Proto reach PHP" {
	run forwarded "$(apache_url "$W/trusted" /echo.php)"
	[ "$status" = 0 ]
	[[ "$output" == *"addr=203.0.113.7"* ]]
	[[ "$output" == *"proto=https"* ]]
	[[ "$output" == *"host=evil.example"* ]]
	# The access log records the client, not the proxy.
	grep -q '^203.0.113.7 .*GET /echo.php' "$W/trusted/stdout.log"
}

@test "X-Forwarded-Proto without X-Forwarded-For is dropped even from a trusted peer" {
	run curl -fsS -H 'X-Forwarded-Proto: https' "$(apache_url "$W/trusted" /echo.php)"
	[[ "$output" == *"proto="$'\n'* ]]
}

@test "no version banner, no X-Powered-By, no directory listing, no TRACE" {
	run curl -sS -D - -o /dev/null "$(apache_url "$W/untrusted" /echo.php)"
	[[ "$(echo "$output" | tr -d '\r' | grep -i '^server:')" == 'Server: Apache' ]]
	[[ "$output" != *[Xx]-[Pp]owered-[Bb]y* ]]
	run curl -sS -o /dev/null -w '%{http_code}' "$(apache_url "$W/untrusted" /files/)"
	[ "$output" = 403 ]
	run curl -sS -o /dev/null -w '%{http_code}' -X TRACE "$(apache_url "$W/untrusted" /)"
	[ "$output" = 405 ]
}

@test "probes stay out of the access log, page requests are in it" {
	curl -fsS -o /dev/null "$(apache_url "$W/untrusted" /healthz)"
	curl -fsS -o /dev/null "$(apache_url "$W/untrusted" /files/a.txt)"
	run grep -c 'GET /healthz' "$W/untrusted/stdout.log"
	[ "$output" = 0 ]
	grep -q 'GET /files/a.txt HTTP/1.1" 200' "$W/untrusted/stdout.log"
}

@test "Apache serves as uid 33 with no capabilities" {
	local pid
	pid=$(cat "$W/untrusted/apache.pid")
	[ "$(stat -c %u "/proc/$pid")" = 33 ]
	grep -q '^CapEff:[[:space:]]*0*$' "/proc/$pid/status"
	grep -q '^CapBnd:[[:space:]]*0*$' "/proc/$pid/status"
}
