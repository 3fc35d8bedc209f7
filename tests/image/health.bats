#!/usr/bin/env bats
# Liveness and readiness endpoints (share/wp-k8s/health) on real Apache + mod_php +
# MariaDB: readiness follows the database, liveness does not, bodies never leak.

load lib/common

PASSWORD='Db-pass-7f3a91'

setup_file() {
	start_db_workdir
	db_site "$W/db" wp wpuser "$PASSWORD"
	printf '%s\n' "$PASSWORD" >"$W/password"
	printf 'wrong-%s\n' "$PASSWORD" >"$W/wrong-password"
	chmod 0644 "$W/password" "$W/wrong-password"
	# readyz looks up a name in the docroot's wp-content (stall.bats covers a stalled one).
	mkdir -p "$W/html/wp-content"
	# Loading WordPress (or anything in the docroot) from a probe would fail loudly.
	echo '<?php http_response_code(500); echo "docroot loaded";' >"$W/html/index.php"
	chown -R "$WP_UID:$WP_UID" "$W/html"
	start_site main "127.0.0.1:$DB_PORT" WORDPRESS_DB_PASSWORD_FILE="$W/password"
}

teardown_file() {
	cleanup_workdir "${W:-}"
}

# start_site NAME DB_HOST [NAME=VALUE...]: an Apache instance whose pages read these
# WORDPRESS_DB_* settings (each pod has one environment, so one instance per setting).
start_site() {
	local name=$1 host=$2
	shift 2
	apache_setup "$W/apache-$name" "$(free_port)" "$W/html"
	apache_start "$W/apache-$name" WORDPRESS_DB_HOST="$host" WORDPRESS_DB_USER=wpuser \
		WORDPRESS_DB_NAME=wp WORDPRESS_DB_READY_TIMEOUT=2 "$@"
}

# probe NAME PATH: sets status, body, seconds and cache_control for one GET.
probe() {
	local out
	out=$(curl -sS -D "$W/headers" -o "$W/body" -w '%{http_code} %{time_total}' \
		--max-time 20 "$(apache_url "$W/apache-$1" "$2")")
	status=${out% *}
	seconds=${out#* }
	body=$(cat "$W/body")
	cache_control=$(tr -d '\r' <"$W/headers" | sed -n 's/^[Cc]ache-[Cc]ontrol: //p')
	# Whatever the outcome, a body is one of the two fixed texts: no error, host, port,
	# user or password can be in it.
	case "$body" in
	ok | ready | 'not ready') ;;
	*)
		echo "unexpected body for $2: $body" >&2
		return 1
		;;
	esac
}

# under SECONDS: the last probe took less than SECONDS.
under() {
	(($(ms "$seconds") < $1 * 1000)) || { echo "took ${seconds}s, limit $1s" >&2 && return 1; }
}

@test "liveness: 200 ok, no-store, without touching the docroot" {
	probe main /healthz
	[ "$status" = 200 ]
	[ "$body" = ok ]
	[ "$cache_control" = no-store ]
	# Only the exact path is ours; anything below it belongs to WordPress.
	run curl -s -o /dev/null -w '%{http_code}' "$(apache_url "$W/apache-main" /healthz/x)"
	[ "$output" != 200 ]
}

@test "readiness: 503 without a wp-content directory" {
	rmdir "$W/html/wp-content"
	probe main /readyz
	mkdir "$W/html/wp-content"
	chown "$WP_UID:$WP_UID" "$W/html/wp-content"
	[ "$status" = 503 ]
	grep -q 'readyz: wp-content is not a directory' "$W/apache-main/stderr.log"
	probe main /readyz
	[ "$status" = 200 ]
}

@test "readiness: 200 while MariaDB is up" {
	probe main /readyz
	[ "$status" = 200 ]
	[ "$body" = ready ]
	[ "$cache_control" = no-store ]
}

@test "readiness: 503 within its timeout with MariaDB stopped, liveness stays 200, both recover" {
	mariadb_stop "$W/db"
	probe main /readyz
	[ "$status" = 503 ]
	[ "$body" = 'not ready' ]
	under 3
	probe main /healthz
	[ "$status" = 200 ]
	mariadb_restart "$W/db"
	probe main /readyz
	[ "$status" = 200 ]
	probe main /healthz
	[ "$status" = 200 ]
	# The failure reached the container log (stderr), not the response.
	grep -q 'readyz: cannot connect to MySQL (error 2002' "$W/apache-main/stderr.log"
}

@test "readiness: 503 within its timeout when the server accepts but never answers" {
	local port pid
	port=$(free_port)
	# Listens (so TCP connects succeed) but never sends MySQL's greeting.
	python3 -c "import socket,time; s=socket.socket(); s.bind(('127.0.0.1',$port)); s.listen(50); print('ready',flush=True); time.sleep(120)" >"$W/blackhole.out" &
	pid=$!
	echo "$pid" >"$W/blackhole.bgpid"
	wait_for 10 grep -q ready "$W/blackhole.out"
	start_site blackhole "127.0.0.1:$port" WORDPRESS_DB_PASSWORD_FILE="$W/password"
	probe blackhole /readyz
	kill "$pid"
	[ "$status" = 503 ]
	# connect + read timeout of 2 s each at most
	under 5
}

@test "readiness: wrong password gives 503; the password file wins over WORDPRESS_DB_PASSWORD" {
	start_site wrongpw "127.0.0.1:$DB_PORT" WORDPRESS_DB_PASSWORD_FILE="$W/wrong-password"
	probe wrongpw /readyz
	[ "$status" = 503 ]
	grep -q 'error 1045' "$W/apache-wrongpw/stderr.log"

	start_site filewins "127.0.0.1:$DB_PORT" WORDPRESS_DB_PASSWORD="wrong" WORDPRESS_DB_PASSWORD_FILE="$W/password"
	probe filewins /readyz
	[ "$status" = 200 ]

	start_site envpw "127.0.0.1:$DB_PORT" WORDPRESS_DB_PASSWORD="$PASSWORD"
	probe envpw /readyz
	[ "$status" = 200 ]
}

@test "readiness over TLS: verified against WORDPRESS_DB_SSL_CA; plain, wrong CA and wrong name fail" {
	local tls_port
	make_tls "$W" good 'IP:127.0.0.1'
	make_tls "$W" other 'IP:127.0.0.1'
	make_tls "$W" misnamed 'DNS:db.invalid'
	mariadb_init "$W/tlsdb"
	tls_port=$(free_port)
	# Like Azure Database for MySQL: TLS required for every TCP client.
	mariadb_start "$W/tlsdb" "$tls_port" --ssl-ca="$W/good-ca.pem" \
		--ssl-cert="$W/good-cert.pem" --ssl-key="$W/good-key.pem" --require-secure-transport=ON
	db_site "$W/tlsdb" wp wpuser "$PASSWORD"

	start_site tls "127.0.0.1:$tls_port" WORDPRESS_DB_PASSWORD_FILE="$W/password" \
		WORDPRESS_DB_SSL=true WORDPRESS_DB_SSL_CA="$W/good-ca.pem"
	probe tls /readyz
	[ "$status" = 200 ]

	start_site notls "127.0.0.1:$tls_port" WORDPRESS_DB_PASSWORD_FILE="$W/password"
	probe notls /readyz
	[ "$status" = 503 ]

	start_site wrongca "127.0.0.1:$tls_port" WORDPRESS_DB_PASSWORD_FILE="$W/password" \
		WORDPRESS_DB_SSL=true WORDPRESS_DB_SSL_CA="$W/other-ca.pem"
	probe wrongca /readyz
	[ "$status" = 503 ]

	# Default CA bundle: the system's public CAs do not know our test CA.
	start_site systemca "127.0.0.1:$tls_port" WORDPRESS_DB_PASSWORD_FILE="$W/password" \
		WORDPRESS_DB_SSL=true
	probe systemca /readyz
	[ "$status" = 503 ]

	# A certificate from the right CA for another host name must not be accepted.
	mariadb_stop "$W/tlsdb"
	mariadb_start "$W/tlsdb" "$tls_port" --ssl-ca="$W/misnamed-ca.pem" \
		--ssl-cert="$W/misnamed-cert.pem" --ssl-key="$W/misnamed-key.pem" --require-secure-transport=ON
	start_site misnamed "127.0.0.1:$tls_port" WORDPRESS_DB_PASSWORD_FILE="$W/password" \
		WORDPRESS_DB_SSL=true WORDPRESS_DB_SSL_CA="$W/misnamed-ca.pem"
	probe misnamed /readyz
	[ "$status" = 503 ]
	mariadb_stop "$W/tlsdb"
}

@test "no response body or access log line carries the password" {
	# probe() already pinned every body to fixed text; logs must not hold it either.
	run grep -rl -- "$PASSWORD" "$W"/apache-*/stdout.log "$W"/apache-*/stderr.log
	[ "$status" = 1 ]
	# Probes stay out of the access log; other requests are logged.
	run grep -c 'GET /readyz' "$W/apache-main/stdout.log"
	[ "$output" = 0 ]
}
