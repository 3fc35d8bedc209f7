# shellcheck shell=bash
# Shared helpers for the image tests and the measurement script: throwaway MariaDB and
# Apache instances built from Debian's packages, configured with the image's own files
# straight from images/wordpress (no copies), so the tests exercise what the image ships.
#
# The Apache harness mirrors the image: mpm_prefork + mod_php, Debian's security.conf,
# then our wp-k8s.conf; PHP has no php.ini (like the official image) and reads Debian's
# extension .ini files plus ours through PHP_INI_SCAN_DIR; Apache runs as uid 33 with
# every capability dropped, as the pod does.

TESTS_DIR=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
IMAGE_DIR=$(CDPATH='' cd -- "$TESTS_DIR/../../images/wordpress" && pwd)
WP_UID=33
# WP_SOURCE is the WordPress tree docroots are made from: Debian 12's package for the tests,
# the 6.8 release for the measurement (tests/image/wordpress-6.8.sh).
WP_SOURCE=${WP_SOURCE:-/usr/share/wordpress}
export TESTS_DIR IMAGE_DIR WP_SOURCE

# new_workdir: a temp dir that uid 33 can enter (mktemp's 0700 would lock Apache out).
new_workdir() {
	local d
	d=$(mktemp -d "${TMPDIR:-/tmp}/wp-image-test.XXXXXX")
	chmod 0755 "$d"
	echo "$d"
}

# shellcheck source=tests/lib/ports.bash
. "$TESTS_DIR/../lib/ports.bash"

# image_env NAME: the default the Dockerfile gives NAME (its `ENV NAME=value` line), so
# the tests run Apache with the image's own values.
image_env() {
	sed -n "s/^ENV $1=//p" "$IMAGE_DIR/Dockerfile"
}

# ms SECONDS: "1.234567" as whole milliseconds, for timing comparisons in bash.
ms() {
	local s=$1 frac
	frac=${s#*.}000
	[ "$frac" != "$s"000 ] || frac=000
	echo $((10#${s%%.*} * 1000 + 10#${frac:0:3}))
}

# wait_for TIMEOUT_SECONDS COMMAND...: retries COMMAND every 0.2 s until it succeeds.
wait_for() {
	local deadline=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		if ((SECONDS >= deadline)); then
			return 1
		fi
		sleep 0.2
	done
}

# as_www_data CMD...: runs CMD as uid/gid 33 without any capability, like the pod.
as_www_data() {
	setpriv --reuid="$WP_UID" --regid="$WP_UID" --clear-groups \
		--inh-caps=-all --ambient-caps=-all --bounding-set=-all -- "$@"
}

# ---------------------------------------------------------------------------- MariaDB

# mariadb_init DIR: a fresh data directory; root connects over DIR/run/mysqld.sock.
mariadb_init() {
	local d=$1
	mkdir -p "$d/data" "$d/run"
	chown -R mysql:mysql "$d"
	mariadb-install-db --no-defaults --user=mysql --datadir="$d/data" \
		--auth-root-authentication-method=normal --skip-test-db >"$d/install.log" 2>&1
}

# start_db_workdir makes the test file's scratch directory ($W) and a MariaDB server in it on a
# free port ($DB_PORT), both exported for the tests, as every file that needs a database starts.
start_db_workdir() {
	W=$(new_workdir)
	export W
	mariadb_init "$W/db"
	DB_PORT=$(free_port)
	export DB_PORT
	mariadb_start "$W/db" "$DB_PORT"
}

# mariadb_start DIR PORT [mariadbd options...]: starts it on 127.0.0.1:PORT and waits
# until it answers. The options are kept in DIR/args for mariadb_restart.
mariadb_start() {
	local d=$1 port=$2
	shift 2
	printf '%s\n' "$port" "$@" >"$d/args"
	mariadbd --no-defaults --user=mysql --datadir="$d/data" \
		--socket="$d/run/mysqld.sock" --pid-file="$d/run/mysqld.pid" \
		--port="$port" --bind-address=127.0.0.1 --skip-name-resolve \
		--innodb-buffer-pool-size=32M --innodb-log-file-size=16M \
		--log-error="$d/error.log" "$@" >>"$d/stdout.log" 2>&1 &
	echo $! >"$d/mariadbd.pid"
	if ! wait_for 60 mariadb-admin --no-defaults --socket="$d/run/mysqld.sock" -uroot ping; then
		echo "MariaDB in $d did not start:" >&2
		tail -n 30 "$d/error.log" >&2
		return 1
	fi
}

# mariadb_stop DIR: stops the server and waits until the process is gone.
mariadb_stop() {
	local d=$1 pid
	pid=$(cat "$d/mariadbd.pid" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null || return 0
	wait_for 60 bash -c "! kill -0 $pid"
}

# mariadb_restart DIR: starts it again with the port and options of the last start.
mariadb_restart() {
	local d=$1
	local -a args
	mapfile -t args <"$d/args"
	mariadb_start "$d" "${args[@]}"
}

# mariadb_sql DIR SQL: runs SQL as root over the socket; tab-separated, no headers.
mariadb_sql() {
	mariadb --no-defaults --socket="$1/run/mysqld.sock" -uroot -N -B -e "$2"
}

# make_tls DIR NAME SAN: a self-signed CA DIR/NAME-ca.pem and a server certificate
# DIR/NAME-cert.pem / DIR/NAME-key.pem signed by it, with subjectAltName SAN.
make_tls() {
	local d=$1 name=$2 san=$3
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$name test CA" \
		-keyout "$d/$name-ca-key.pem" -out "$d/$name-ca.pem" 2>/dev/null
	openssl req -newkey rsa:2048 -nodes -subj "/CN=$name server" \
		-keyout "$d/$name-key.pem" -out "$d/$name.csr" 2>/dev/null
	printf 'subjectAltName=%s\n' "$san" >"$d/$name-ext.cnf"
	openssl x509 -req -in "$d/$name.csr" -CA "$d/$name-ca.pem" -CAkey "$d/$name-ca-key.pem" \
		-CAcreateserial -days 2 -extfile "$d/$name-ext.cnf" -out "$d/$name-cert.pem" 2>/dev/null
	chmod 0644 "$d/$name-ca.pem" "$d/$name-cert.pem" "$d/$name-key.pem"
}

# ----------------------------------------------------------------------------- Apache

# php_scan_dir DIR [EXTRA_INI...]: DIR/php-conf.d with Debian's extension .ini files,
# the EXTRA_INI files (symlinked, so test stand-ins keep their names) and our ini, plus
# an empty DIR/php/php.ini: the official image has no php.ini either, so PHP's built-in
# defaults (display_errors=1!) apply unless our ini changes them.
php_scan_dir() {
	local d=$1 f
	shift
	mkdir -p "$d/php-conf.d" "$d/php"
	: >"$d/php/php.ini"
	for f in /etc/php/8.2/apache2/conf.d/*.ini "$@" "$IMAGE_DIR/php/zz-wp-k8s.ini"; do
		ln -sf "$f" "$d/php-conf.d/${f##*/}"
	done
}

# apache_setup DIR PORT DOCROOT [EXTRA_CONF_FILE]: writes DIR/apache2.conf and
# DIR/envvars (apache2ctl reads both through APACHE_CONFDIR=DIR).
apache_setup() {
	local d=$1 port=$2 docroot=$3 extra=${4:-}
	mkdir -p "$d/run" "$d/lock"
	[ -d "$d/php-conf.d" ] || php_scan_dir "$d"
	local m=/usr/lib/apache2/modules
	cat >"$d/apache2.conf" <<-EOF
		# Test harness for images/wordpress/apache/wp-k8s.conf (see tests/image/lib/common.bash).
		DefaultRuntimeDir $d/run
		PidFile $d/run/apache2.pid
		Mutex file:$d/lock default
		LoadModule mpm_prefork_module $m/mod_mpm_prefork.so
		LoadModule authz_core_module $m/mod_authz_core.so
		LoadModule authz_host_module $m/mod_authz_host.so
		LoadModule mime_module $m/mod_mime.so
		LoadModule dir_module $m/mod_dir.so
		LoadModule alias_module $m/mod_alias.so
		LoadModule rewrite_module $m/mod_rewrite.so
		LoadModule remoteip_module $m/mod_remoteip.so
		LoadModule headers_module $m/mod_headers.so
		LoadModule setenvif_module $m/mod_setenvif.so
		LoadModule env_module $m/mod_env.so
		LoadModule reqtimeout_module $m/mod_reqtimeout.so
		# Enabled in the image (Debian default): without Options -Indexes it would list dirs.
		LoadModule autoindex_module $m/mod_autoindex.so
		LoadModule php_module $m/libphp8.2.so
		TypesConfig /etc/mime.types
		DirectoryIndex index.php index.html
		<Directory />
		    Options FollowSymLinks
		    AllowOverride None
		    Require all denied
		</Directory>
		Include /etc/apache2/mods-available/php8.2.conf
		Include /etc/apache2/conf-available/security.conf
		Define WP_K8S_PORT $port
		Define WP_K8S_DOCROOT $docroot
		Define WP_K8S_SHARE $IMAGE_DIR/share/wp-k8s
		Include $IMAGE_DIR/apache/wp-k8s.conf
	EOF
	if [ -n "$extra" ]; then
		echo "Include $extra" >>"$d/apache2.conf"
	fi
	cat >"$d/envvars" <<-EOF
		export APACHE_RUN_USER=www-data
		export APACHE_RUN_GROUP=www-data
		export APACHE_PID_FILE=$d/run/apache2.pid
		export APACHE_RUN_DIR=$d/run
		export APACHE_LOCK_DIR=$d/lock
		export APACHE_LOG_DIR=$d
		export LANG=C
	EOF
	echo "$port" >"$d/port"
	# The pod's runtime hands Apache stdout/stderr it may reopen (wp-k8s.conf logs to
	# /proc/self/fd/1 and 2); files owned by uid 33 give the same here.
	: >"$d/stdout.log"
	: >"$d/stderr.log"
	chown -R "$WP_UID:$WP_UID" "$d/run" "$d/lock" "$d/stdout.log" "$d/stderr.log"
}

# apache_start DIR [NAME=VALUE...]: starts the configured Apache in the foreground
# (as apache2-foreground does) as uid 33 with only the given environment, and waits
# for /healthz. APACHE_MODE=-X runs one single process instead (for strace).
apache_start() {
	local d=$1
	shift
	env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		APACHE_CONFDIR="$d" PHPRC="$d/php" PHP_INI_SCAN_DIR="$d/php-conf.d" \
		TRUSTED_PROXY_CIDRS=10.0.0.0/8 \
		APACHE_GRACEFUL_SHUTDOWN_TIMEOUT="$(image_env APACHE_GRACEFUL_SHUTDOWN_TIMEOUT)" \
		WP_PAGE_CACHE="$(image_env WP_PAGE_CACHE)" "$@" \
		setpriv --reuid="$WP_UID" --regid="$WP_UID" --clear-groups \
		--inh-caps=-all --ambient-caps=-all --bounding-set=-all -- \
		/usr/sbin/apache2 -d "$d" "${APACHE_MODE:--DFOREGROUND}" >>"$d/stdout.log" 2>>"$d/stderr.log" &
	echo $! >"$d/apache.pid"
	if ! wait_for 20 curl -fsS -o /dev/null "http://127.0.0.1:$(cat "$d/port")/healthz"; then
		echo "Apache in $d did not answer /healthz:" >&2
		tail -n 30 "$d/stderr.log" >&2
		return 1
	fi
}

# apache_stop DIR: stops it if it runs and waits until the parent is gone.
apache_stop() {
	local d=$1 pid
	pid=$(cat "$d/apache.pid" 2>/dev/null) || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	wait_for 30 bash -c "! kill -0 $pid"
}

# apache_url DIR PATH: the URL of PATH on that instance.
apache_url() {
	echo "http://127.0.0.1:$(cat "$1/port")$2"
}

# ------------------------------------------------------------------------- WordPress

# wordpress_docroot DOCROOT: a private copy of Debian's WordPress (symlinks resolved,
# translations left out) with a small env-driven wp-config.php standing in for the
# official image's, and Debian's default theme and Akismet in wp-content.
wordpress_docroot() {
	local docroot=$1
	mkdir -p "$docroot"
	tar -C "$WP_SOURCE" --exclude=./wp-content/languages --exclude=./wp-config.php \
		-chf - . | tar -C "$docroot" -xf -
	cat >"$docroot/wp-config.php" <<-'EOF'
		<?php
		// Test stand-in for the official image's wp-config.php: the same WORDPRESS_DB_*
		// variables, fixed keys so every request shares a login.
		define('DB_NAME', getenv('WORDPRESS_DB_NAME'));
		define('DB_USER', getenv('WORDPRESS_DB_USER'));
		define('DB_PASSWORD', rtrim((string) file_get_contents(getenv('WORDPRESS_DB_PASSWORD_FILE')), "\r\n"));
		define('DB_HOST', getenv('WORDPRESS_DB_HOST'));
		define('DB_CHARSET', 'utf8mb4');
		define('DB_COLLATE', '');
		foreach (['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT'] as $k) {
		    define($k, 'test-only-' . $k);
		}
		$table_prefix = 'wp_';
		// As the official image's wp-config.php: HTTPS when the (trusted) proxy says so.
		if (isset($_SERVER['HTTP_X_FORWARDED_PROTO']) && strpos($_SERVER['HTTP_X_FORWARDED_PROTO'], 'https') !== false) {
		    $_SERVER['HTTPS'] = 'on';
		}
		// The official image's wp-config.php evaluates WORDPRESS_CONFIG_EXTRA here.
		if (getenv('WORDPRESS_CONFIG_EXTRA')) {
		    eval(getenv('WORDPRESS_CONFIG_EXTRA'));
		}
		define('WP_DEBUG', false);
		define('DISABLE_WP_CRON', true);
		define('AUTOMATIC_UPDATER_DISABLED', true);
		// Several throwaway Apaches on different ports serve the same install.
		if (isset($_SERVER['HTTP_HOST'])) {
		    define('WP_HOME', 'http://' . $_SERVER['HTTP_HOST']);
		    define('WP_SITEURL', 'http://' . $_SERVER['HTTP_HOST']);
		}
		if (!defined('ABSPATH')) {
		    define('ABSPATH', __DIR__ . '/');
		}
		require_once ABSPATH . 'wp-settings.php';
	EOF
	chown -R "$WP_UID:$WP_UID" "$docroot"
}

# WP_ADMIN_PASSWORD is the password wordpress_install gives the admin user.
WP_ADMIN_PASSWORD='Adm1n-test-pass'

# wordpress_install URL: runs WordPress's own installer over HTTP (admin / admin@example.test).
wordpress_install() {
	local url=$1
	curl -fsS -o /dev/null \
		--data-urlencode 'weblog_title=Image test' \
		--data-urlencode 'user_name=admin' \
		--data-urlencode "admin_password=$WP_ADMIN_PASSWORD" \
		--data-urlencode "admin_password2=$WP_ADMIN_PASSWORD" \
		--data-urlencode 'pw_weak=1' \
		--data-urlencode 'admin_email=admin@example.test' \
		--data-urlencode 'blog_public=0' \
		"$url/wp-admin/install.php?step=2"
	# Installed means the front page renders from the database.
	local page
	page=$(curl -fsS "$url/")
	[[ "$page" == *'Image test'* ]]
}

# wordpress_login DIR COOKIES: logs in as the installed admin through the Apache instance in
# DIR's login form, keeping the session in the cookie jar COOKIES.
wordpress_login() {
	local url
	url=$(apache_url "$1" /wp-login.php)
	curl -fsS -o /dev/null -c "$2" "$url"
	curl -fsS -o /dev/null -b "$2" -c "$2" --data-urlencode log=admin \
		--data-urlencode "pwd=$WP_ADMIN_PASSWORD" --data-urlencode 'wp-submit=Log In' \
		--data-urlencode testcookie=1 "$url"
	grep -q wordpress_logged_in "$2"
}

# db_site DIR DB USER PASSWORD: a database and a user with all rights on it.
db_site() {
	mariadb_sql "$1" "CREATE DATABASE IF NOT EXISTS \`$2\` CHARACTER SET utf8mb4;
		CREATE USER IF NOT EXISTS '$3'@'%' IDENTIFIED BY '$4';
		GRANT ALL ON \`$2\`.* TO '$3'@'%';"
}

# cleanup_workdir DIR: stops every Apache, MariaDB and helper (DIR/*.bgpid) started
# under DIR, then removes it unless KEEP_WORK is set (to read the logs after a failure).
cleanup_workdir() {
	local w=$1 f
	[ -n "$w" ] && [ -d "$w" ] || return 0
	for f in "$w"/*/apache.pid; do [ -e "$f" ] && apache_stop "$(dirname "$f")"; done
	for f in "$w"/*/mariadbd.pid; do [ -e "$f" ] && mariadb_stop "$(dirname "$f")"; done
	for f in "$w"/*.bgpid; do [ -e "$f" ] && kill "$(cat "$f")" 2>/dev/null; done
	if [ -n "${KEEP_WORK:-}" ]; then
		echo "kept $w" >&2
	else
		rm -rf "$w"
	fi
	return 0
}
