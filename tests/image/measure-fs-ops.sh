#!/usr/bin/env bash
# measure-fs-ops.sh: counts the file-system operations one WordPress front-page view
# makes under wp-content (the NFS volume in the pods) with the upstream image's stock
# PHP settings and with ours (images/wordpress/php/zz-wp-k8s.ini), after warm-up.
# A measurement, not a test: it prints numbers and fails only if it cannot measure.
#
# Setup (all real, on Debian's packages): WordPress 6.1 from Debian's `wordpress`
# package on MariaDB, served by Apache + mod_php with our Apache conf, theme
# twentytwentythree, and PLUGINS generated plugins, all active. Debian has no set of
# 20 WordPress plugins, so they are generated, each shaped like a typical mid-size
# plugin: 56 files; on every front-end request it require_once's 12 include files,
# autoloads 15 classes through a PSR-4 autoloader that calls file_exists() first,
# loads its text domain, enqueues a stylesheet and a script versioned by filemtime(),
# and includes one template in the footer; 15 admin-only files are never loaded.
#
# Method: Apache runs as a single process (-X) as uid 33; after WARMUP page views and a
# pause, strace attaches to it for exactly one page view, tracing every path-based
# file syscall (strace's %file class: open/openat, stat/lstat/newfstatat/statx,
# access/faccessat, readlink...). Syscalls on paths under wp-content are counted.
# Each one is at least one NFS round trip when the attribute cache has expired.
#
# Scenarios:
#   stock         upstream's opcache settings (revalidate_freq=2, 4000 files), PHP's
#                 realpath cache defaults; page view 3 s after the previous one.
#   ours          our ini; page view 3 s after the previous one.
#   ours-due      our ini; page view just after our 60 s revalidation interval (what
#                 one page view per minute pays). Skipped with --quick.
#   no-opcache    opcache off, for reference: what a site without opcache pays.
#
# Usage: tests/image/measure-fs-ops.sh [--quick]   (root; after install-deps.sh)
# Env: PLUGINS (default 20), RTT_MS (assumed NFS round trip, default 1).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/common.bash
source "$(dirname -- "$0")/lib/common.bash"

PLUGINS=${PLUGINS:-20}
RTT_MS=${RTT_MS:-1}
WARMUP=5
QUICK=0
[ "${1:-}" != --quick ] || QUICK=1

[ "$(id -u)" = 0 ] || {
	echo "measure-fs-ops: run as root" >&2
	exit 2
}

W=$(new_workdir)
trap 'cleanup_workdir "$W"' EXIT

# gen_plugin DIR SLUG N: one generated plugin (see the header for its shape).
# shellcheck disable=SC2016 # the single-quoted $... are PHP variables
gen_plugin() {
	local dir=$1 slug=$2 n=$3 i cls
	local ns="Bench$n"
	mkdir -p "$dir/includes" "$dir/src" "$dir/admin" "$dir/templates" "$dir/assets/css" "$dir/assets/js" "$dir/languages"
	{
		cat <<-EOF
			<?php
			/**
			 * Plugin Name: Benchmark plugin $n
			 * Text Domain: $slug
			 * Version: 1.0.$n
			 */
			defined('ABSPATH') || exit;
			define('${ns^^}_DIR', plugin_dir_path(__FILE__));
			define('${ns^^}_URL', plugin_dir_url(__FILE__));
		EOF
		for i in $(seq 1 12); do
			echo "require_once ${ns^^}_DIR . 'includes/functions-$i.php';"
		done
		cat <<-EOF
			spl_autoload_register(function (\$class) {
			    \$prefix = '$ns\\\\';
			    if (strncmp(\$class, \$prefix, strlen(\$prefix)) !== 0) {
			        return;
			    }
			    \$file = ${ns^^}_DIR . 'src/' . str_replace('\\\\', '/', substr(\$class, strlen(\$prefix))) . '.php';
			    if (file_exists(\$file)) {
			        require \$file;
			    }
			});
			add_action('plugins_loaded', function () {
			    for (\$i = 1; \$i <= 15; \$i++) {
			        \$c = '$ns\\\\Service' . \$i;
			        new \$c();
			    }
			    if (is_admin()) {
			        for (\$i = 1; \$i <= 15; \$i++) {
			            require_once ${ns^^}_DIR . 'admin/class-admin-' . \$i . '.php';
			        }
			    }
			});
			add_action('init', function () {
			    load_plugin_textdomain('$slug', false, dirname(plugin_basename(__FILE__)) . '/languages');
			});
			add_action('wp_enqueue_scripts', function () {
			    wp_enqueue_style('$slug', ${ns^^}_URL . 'assets/css/style.css', [], filemtime(${ns^^}_DIR . 'assets/css/style.css'));
			    wp_enqueue_script('$slug', ${ns^^}_URL . 'assets/js/app.js', [], filemtime(${ns^^}_DIR . 'assets/js/app.js'), true);
			});
			add_action('wp_footer', function () {
			    include ${ns^^}_DIR . 'templates/footer.php';
			});
		EOF
	} >"$dir/$slug.php"
	for i in $(seq 1 12); do
		printf '<?php\nfunction %s_helper_%d($v) { return apply_filters("%s_helper_%d", $v); }\n' "$slug" "$i" "$slug" "$i" |
			tr '-' '_' >"$dir/includes/functions-$i.php"
	done
	for i in $(seq 1 20); do
		cls="Service$i"
		printf '<?php\nnamespace %s;\nclass %s {\n    public function __construct() { add_filter("the_content", [$this, "filter"], %d); }\n    public function filter($c) { return $c; }\n}\n' "$ns" "$cls" "$i" >"$dir/src/$cls.php"
	done
	for i in $(seq 1 15); do
		printf '<?php\nclass %s_Admin_%d { public function render() { echo "admin"; } }\n' "$ns" "$i" >"$dir/admin/class-admin-$i.php"
	done
	printf '<?php defined("ABSPATH") || exit; ?>\n<!-- %s footer -->\n' "$slug" >"$dir/templates/footer.php"
	printf '<?php defined("ABSPATH") || exit; ?>\n' >"$dir/templates/widget.php"
	printf '<?php defined("ABSPATH") || exit; ?>\n' >"$dir/templates/shortcode.php"
	echo ".$slug { color: #333; }" >"$dir/assets/css/style.css"
	echo "/* $slug */" >"$dir/assets/js/app.js"
	printf 'msgid ""\nmsgstr ""\n' >"$dir/languages/$slug.pot"
	echo "=== Benchmark plugin $n ===" >"$dir/readme.txt"
	echo '<?php // Silence is golden.' >"$dir/index.php"
}

echo "measure-fs-ops: setting up MariaDB, WordPress and $PLUGINS generated plugins..." >&2
mariadb_init "$W/db"
db_port=$(free_port)
mariadb_start "$W/db" "$db_port"
db_site "$W/db" wp wpuser 'Measure-pass-1'
printf 'Measure-pass-1\n' >"$W/db-password"
chmod 0644 "$W/db-password"
wordpress_docroot "$W/html"

site_env=(WORDPRESS_DB_HOST="127.0.0.1:$db_port" WORDPRESS_DB_USER=wpuser WORDPRESS_DB_NAME=wp
	WORDPRESS_DB_PASSWORD_FILE="$W/db-password")

apache_setup "$W/install" "$(free_port)" "$W/html"
apache_start "$W/install" "${site_env[@]}"
wordpress_install "$(apache_url "$W/install" '')"
apache_stop "$W/install"

active=''
for n in $(seq -w 1 "$PLUGINS"); do
	slug=bench-plugin-$n
	gen_plugin "$W/html/wp-content/plugins/$slug" "$slug" "$n"
	entry="$slug/$slug.php"
	active+="i:$((10#$n - 1));s:${#entry}:\"$entry\";"
done
chown -R "$WP_UID:$WP_UID" "$W/html"
mariadb_sql "$W/db" "UPDATE wp.wp_options SET option_value='a:$PLUGINS:{$active}' WHERE option_name='active_plugins'"
plugin_files=$(find "$W/html/wp-content/plugins" -path '*bench-plugin-*' -type f | wc -l)

# Stand-in for the upstream image's opcache-recommended.ini (values from FACTS.md).
mkdir -p "$W/upstream"
printf '%s\n' 'opcache.memory_consumption=128' 'opcache.interned_strings_buffer=8' \
	'opcache.max_accelerated_files=4000' 'opcache.revalidate_freq=2' >"$W/upstream/opcache-recommended.ini"
printf 'opcache.enable=0\n' >"$W/upstream/zzz-no-opcache.ini"

# measure NAME PAUSE_SECONDS INI_MODE: prints "NAME total wp-content open stat access readlink other".
measure() {
	local name=$1 pause=$2 mode=$3 d=$W/$1 pid url i
	mkdir -p "$d"
	case $mode in
	stock)
		mkdir -p "$d/php-conf.d" "$d/php"
		: >"$d/php/php.ini"
		for i in /etc/php/8.2/apache2/conf.d/*.ini "$W/upstream/opcache-recommended.ini"; do
			ln -sf "$i" "$d/php-conf.d/${i##*/}"
		done
		;;
	ours) php_scan_dir "$d" "$W/upstream/opcache-recommended.ini" ;;
	off) php_scan_dir "$d" "$W/upstream/opcache-recommended.ini" "$W/upstream/zzz-no-opcache.ini" ;;
	esac
	apache_setup "$d" "$(free_port)" "$W/html"
	APACHE_MODE=-X apache_start "$d" "${site_env[@]}"
	url=$(apache_url "$d" /)
	for ((i = 0; i < WARMUP; i++)); do
		curl -fsS -o /dev/null "$url"
	done
	# The page must really render WordPress with every generated plugin.
	local page
	page=$(curl -fsS "$url")
	[[ "$page" == *"bench-plugin-$(seq -w 1 "$PLUGINS" | tail -n 1) footer"* ]] || {
		echo "measure-fs-ops: $name: plugins are not all active" >&2
		return 1
	}
	sleep "$pause"
	pid=$(cat "$d/apache.pid")
	strace -qq -f -e trace=%file -s 512 -o "$d/strace.log" -p "$pid" &
	local strace_pid=$!
	sleep 1
	curl -fsS -o /dev/null "$url"
	sleep 0.5
	kill -INT "$strace_pid"
	wait "$strace_pid" || true
	apache_stop "$d"
	awk -v name="$name" '
		{
			call = $0; sub(/^[0-9]+ +/, "", call); sub(/\(.*/, "", call)
			total++
			if ($0 !~ /"[^"]*\/wp-content\//) next
			wc++
			if (call ~ /^open/) open++
			else if (call ~ /stat/) stat++
			else if (call ~ /access/) access++
			else if (call ~ /readlink/) rl++
			else other++
		}
		END { printf "%s %d %d %d %d %d %d %d\n", name, total, wc, open, stat, access, rl, other }
	' "$d/strace.log"
}

results=()
echo "measure-fs-ops: measuring (each scenario: $WARMUP warm-up views, a pause, one traced view)..." >&2
results+=("$(measure stock 3 stock)")
results+=("$(measure ours 3 ours)")
if [ "$QUICK" = 0 ]; then
	results+=("$(measure ours-due 61 ours)")
fi
results+=("$(measure no-opcache 3 off)")

echo
echo "One front-page view, WordPress $(sed -n "s/^\$wp_version = '\(.*\)';/\1/p" "$W/html/wp-includes/version.php"), $PLUGINS generated plugins ($plugin_files files), theme twentytwentythree"
echo "File-system syscalls on paths under wp-content (NFS in the pods), after warm-up:"
printf '%-12s %10s %8s %8s %8s %9s %7s %14s\n' scenario wp-content open stat access readlink other "cost@${RTT_MS}ms"
for r in "${results[@]}"; do
	read -r name total wc open stat access rl other <<<"$r"
	printf '%-12s %10d %8d %8d %8d %9d %7d %11d ms   (all paths: %d)\n' \
		"$name" "$wc" "$open" "$stat" "$access" "$rl" "$other" $((wc * RTT_MS)) "$total"
done
echo
echo "stock: upstream opcache (revalidate_freq=2, max_accelerated_files=4000), PHP's realpath cache defaults."
echo "ours: images/wordpress/php/zz-wp-k8s.ini. ours-due: the first view after its 60 s revalidation interval."
