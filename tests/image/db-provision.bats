#!/usr/bin/env bats
# bin/wp-db-provision against real MariaDB, connecting over TCP as a non-root admin
# account (as on Azure Database for MySQL): creates the database and user, grants only
# that database, is idempotent, rotates the password, rejects bad names.

load lib/common

ADMIN_PASSWORD='Adm-pass-93c1d0'

setup_file() {
	start_db_workdir
	mariadb_sql "$W/db" "CREATE USER 'azadmin'@'%' IDENTIFIED BY '$ADMIN_PASSWORD';
		GRANT ALL PRIVILEGES ON *.* TO 'azadmin'@'%' WITH GRANT OPTION;
		CREATE DATABASE other; CREATE TABLE other.secret (x INT);
		CREATE DATABASE sitexa; CREATE TABLE sitexa.secret (x INT);"
	printf '%s\n' "$ADMIN_PASSWORD" >"$W/admin-password"
	printf 'First-site-pass-1\n' >"$W/site-password-1"
	printf "Second-site-pass-2'\\\\\"\n" >"$W/site-password-2"
}

teardown_file() {
	cleanup_workdir "${W:-}"
}

# provision [NAME=VALUE...]: runs our script as the Job would, for site_a by default.
provision() {
	env -i PATH=/usr/bin:/bin MYSQL_ADMIN_USER=azadmin MYSQL_ADMIN_PASSWORD_FILE="$W/admin-password" \
		WORDPRESS_DB_HOST="127.0.0.1:$DB_PORT" WORDPRESS_DB_NAME=site_a WORDPRESS_DB_USER=site_a_user \
		WORDPRESS_DB_PASSWORD_FILE="$W/site-password-1" "$@" "$IMAGE_DIR/bin/wp-db-provision"
}

# as_site PASSWORD_FILE SQL: runs SQL over TCP as the site user.
as_site() {
	mariadb --no-defaults -h 127.0.0.1 -P "$DB_PORT" -u site_a_user \
		-p"$(cat "$1")" -N -B -e "$2"
}

@test "creates the database (utf8mb4) and the user; prints no password" {
	run provision
	echo "$output"
	[ "$status" = 0 ]
	[[ "$output" == *"database site_a: created"* ]]
	[[ "$output" == *"user 'site_a_user'@'%': created"* ]]
	[[ "$output" != *First-site-pass-1* ]]
	[[ "$output" != *"$ADMIN_PASSWORD"* ]]
	run mariadb_sql "$W/db" "SELECT CONCAT(DEFAULT_CHARACTER_SET_NAME, '/', DEFAULT_COLLATION_NAME) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME='site_a'"
	[ "$output" = utf8mb4/utf8mb4_unicode_ci ]
}

@test "the user can work in its database and nowhere else" {
	as_site "$W/site-password-1" "CREATE TABLE site_a.posts (id INT); INSERT INTO site_a.posts VALUES (1); SELECT id FROM site_a.posts;"
	run as_site "$W/site-password-1" "SELECT * FROM other.secret"
	[ "$status" != 0 ]
	# "_" is a wildcard in GRANT: an unescaped `site_a`.* would also open sitexa.
	run as_site "$W/site-password-1" "SELECT * FROM sitexa.secret"
	[ "$status" != 0 ]
	run as_site "$W/site-password-1" "CREATE DATABASE site_b"
	[ "$status" != 0 ]
	# No global privilege at all: the global grant line is USAGE only.
	run mariadb_sql "$W/db" "SELECT COUNT(*) FROM information_schema.USER_PRIVILEGES WHERE GRANTEE=\"'site_a_user'@'%'\" AND PRIVILEGE_TYPE <> 'USAGE'"
	[ "$output" = 0 ]
}

@test "a re-run is idempotent and keeps the data" {
	run provision
	echo "$output"
	[ "$status" = 0 ]
	[[ "$output" == *"database site_a: exists (utf8mb4, utf8mb4_unicode_ci)"* ]]
	[[ "$output" == *"exists, password set"* ]]
	run as_site "$W/site-password-1" "SELECT COUNT(*) FROM site_a.posts"
	[ "$output" = 1 ]
	run mariadb_sql "$W/db" "SELECT COUNT(*) FROM mysql.user WHERE User='site_a_user'"
	[ "$output" = 1 ]
}

@test "a re-run with a new password file rotates the password (quotes and backslashes included)" {
	run provision WORDPRESS_DB_PASSWORD_FILE="$W/site-password-2"
	[ "$status" = 0 ]
	[[ "$output" != *Second-site-pass* ]]
	run as_site "$W/site-password-1" "SELECT 1"
	[ "$status" != 0 ]
	run as_site "$W/site-password-2" "SELECT COUNT(*) FROM site_a.posts"
	[ "$status" = 0 ]
	[ "$output" = 1 ]
}

@test "bad names are refused before any SQL runs" {
	local before
	before=$(mariadb_sql "$W/db" "SELECT COUNT(*) FROM information_schema.SCHEMATA")
	run provision WORDPRESS_DB_NAME='site-a'
	[ "$status" = 2 ]
	[[ "$output" == *'WORDPRESS_DB_NAME "site-a"'* ]]
	run provision WORDPRESS_DB_NAME='x`; DROP DATABASE other; --'
	[ "$status" = 2 ]
	run provision WORDPRESS_DB_NAME="$(printf 'a%.0s' {1..65})"
	[ "$status" = 2 ]
	run provision WORDPRESS_DB_USER="u'@'%"
	[ "$status" = 2 ]
	run provision WORDPRESS_DB_USER="$(printf 'u%.0s' {1..33})"
	[ "$status" = 2 ]
	run provision WORDPRESS_DB_USER=azadmin
	[ "$status" = 2 ]
	run provision WORDPRESS_DB_PASSWORD_FILE="$W/missing"
	[ "$status" = 2 ]
	[ "$(mariadb_sql "$W/db" "SELECT COUNT(*) FROM information_schema.SCHEMATA")" = "$before" ]
}

@test "a wrong admin password fails with a clear message and no secret" {
	printf 'not-the-password\n' >"$W/bad-admin"
	run provision MYSQL_ADMIN_PASSWORD_FILE="$W/bad-admin"
	echo "$output"
	[ "$status" = 1 ]
	[[ "$output" == *"cannot connect to MySQL (error 1045"* ]]
	[[ "$output" != *not-the-password* ]]
}

@test "over TLS to a server that requires it, verified against WORDPRESS_DB_SSL_CA" {
	local port
	make_tls "$W" tls 'IP:127.0.0.1'
	mariadb_init "$W/tlsdb"
	port=$(free_port)
	mariadb_start "$W/tlsdb" "$port" --ssl-ca="$W/tls-ca.pem" --ssl-cert="$W/tls-cert.pem" \
		--ssl-key="$W/tls-key.pem" --require-secure-transport=ON
	mariadb_sql "$W/tlsdb" "CREATE USER 'azadmin'@'%' IDENTIFIED BY '$ADMIN_PASSWORD';
		GRANT ALL PRIVILEGES ON *.* TO 'azadmin'@'%' WITH GRANT OPTION;"
	run provision WORDPRESS_DB_HOST="127.0.0.1:$port"
	[ "$status" = 1 ]
	run provision WORDPRESS_DB_HOST="127.0.0.1:$port" WORDPRESS_DB_SSL=true
	# The system CA bundle does not know the test CA.
	[ "$status" = 1 ]
	run provision WORDPRESS_DB_HOST="127.0.0.1:$port" WORDPRESS_DB_SSL=true WORDPRESS_DB_SSL_CA="$W/tls-ca.pem"
	echo "$output"
	[ "$status" = 0 ]
	[[ "$output" == *"TLS, server certificate verified"* ]]
	[[ "$output" == *"database site_a: created"* ]]
	mariadb_stop "$W/tlsdb"
}
