#!/usr/bin/env bash
# measure-fs-ops.sh (`make measure`): for a fixed WordPress corpus, the file-system operations
# one page view makes on the share (wp-content on NFS in the pods) and the page time, per
# scenario, on this machine's local disk. A measurement, not a test: it prints a table and
# fails only if it cannot measure.
#
# Corpus (all real, on Debian's packages): WordPress from Debian's `wordpress` package on
# MariaDB, Apache + mod_php with the image's Apache conf, theme twentytwentythree (a block
# theme), PLUGINS generated plugins of 31 files each, all active, pretty permalinks, and the
# view is one post with an image. Debian has no set of 25 WordPress plugins, so they are
# generated, each shaped like a typical plugin: on every front-end request it require_once's
# its include files, autoloads its service classes through a PSR-4 autoloader that calls
# file_exists() first, loads its text domain, enqueues a stylesheet and a script versioned by
# filemtime(), and includes a template in the footer; its admin files are never loaded.
#
# The pods' layout: the share is $W/share. "Admin-style" scenarios serve the share as the
# docroot's wp-content, as admin pods (and every pod before issue 9) do; "user pod" scenarios
# run the image's wp-code-sync and local-code.php, so the code comes from a local copy and
# only uploads and the page cache lead to the share.
#
# Method: Apache runs as a single process (-X) as uid 33; strace attaches to it for one page
# view, tracing every path-based file syscall (strace's %file class). A syscall counts as a
# share operation when its path resolves (symlinks followed) to a path under the share; each
# is at least one NFS round trip when the client's caches do not answer it. Page times are
# curl's time_total over TIMED further views (median and 95th percentile), here on local disk.
#
# Scenarios:
#   stock        upstream's opcache settings (revalidate_freq=2, 4000 files), PHP's realpath
#                cache defaults; admin-style; page cache off.
#   image        the image's PHP settings; admin-style; page cache off.
#   image-due    the same, the first view after opcache's 60 s revalidation (skipped by --quick).
#   user         a user pod's PHP-rendered view (a commenter's cookie: never cached).
#   user-due     the same, the first view after 60 s (skipped by --quick).
#   hit          a user pod, an anonymous view answered from the page cache (no PHP).
#   user-change  a user pod, the first view after a code change reached it (new copy, opcache
#                emptied).
#   user-start   a user pod, the first view after Apache starts (opcache empty).
#
# Over NFS (SHARE_DIR, as tests/nfs/run.sh --measure runs it in its guest): the share is made in
# SHARE_DIR, an empty directory on an NFS mount, and two more columns come from the kernel's
# own RPC counts for that mount (/proc/self/mountstats): the RPCs of the traced view and the
# mean over the timed views. Those are NFS round trips, whatever the syscalls were.
#
# Usage: tests/image/measure-fs-ops.sh [--quick]   (root; after install-deps.sh)
# Env: PLUGINS (default 25), TIMED (default 30), RTT_MS (round trip used for the estimate
# column only, default 0.5), WP_SOURCE (the WordPress tree; default Debian 12's package, `make
# measure` passes the 6.8 release), SHARE_DIR (see above), LABEL (a word for the table's title).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/common.bash
source "$(dirname -- "$0")/lib/common.bash"

PLUGINS=${PLUGINS:-25}
TIMED=${TIMED:-30}
RTT_MS=${RTT_MS:-0.5}
WARMUP=5
QUICK=0
[ "${1:-}" != --quick ] || QUICK=1

[ "$(id -u)" = 0 ] || {
	echo "measure-fs-ops: run as root" >&2
	exit 2
}

W=$(new_workdir)
trap 'cleanup_workdir "$W"' EXIT
share=${SHARE_DIR:-$W/share}
# nfs_mount: the NFS mount the share is on, or nothing on a local disk.
nfs_mount=''
if [ -n "${SHARE_DIR:-}" ]; then
	mkdir -p "$SHARE_DIR"
	nfs_mount=$(findmnt -n -o TARGET -T "$SHARE_DIR")
	case $(findmnt -n -o FSTYPE -T "$SHARE_DIR") in nfs | nfs4) ;; *)
		echo "measure-fs-ops: SHARE_DIR $SHARE_DIR is not on an NFS mount" >&2
		exit 2
		;;
	esac
fi
# rpcs: the RPCs the client has sent on the share's mount so far (every operation's count in
# /proc/self/mountstats), or 0 on a local disk.
rpcs() {
	[ -n "$nfs_mount" ] || {
		echo 0
		return
	}
	awk -v m="$nfs_mount" '$1 == "device" { on = ($5 == m) } on && $1 ~ /^[A-Z_0-9]+:$/ && $2 ~ /^[0-9]+$/ { n += $2 } END { print n + 0 }' /proc/self/mountstats
}

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
		for i in $(seq 1 6); do
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
			    for (\$i = 1; \$i <= 10; \$i++) {
			        \$c = '$ns\\\\Service' . \$i;
			        new \$c();
			    }
			    if (is_admin()) {
			        for (\$i = 1; \$i <= 6; \$i++) {
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
	for i in $(seq 1 6); do
		printf '<?php\nfunction %s_helper_%d($v) { return apply_filters("%s_helper_%d", $v); }\n' "$slug" "$i" "$slug" "$i" |
			tr '-' '_' >"$dir/includes/functions-$i.php"
	done
	for i in $(seq 1 10); do
		cls="Service$i"
		printf '<?php\nnamespace %s;\nclass %s {\n    public function __construct() { add_filter("the_content", [$this, "filter"], %d); }\n    public function filter($c) { return $c; }\n}\n' "$ns" "$cls" "$i" >"$dir/src/$cls.php"
	done
	for i in $(seq 1 6); do
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

# The share (wp-content), the admin-style docroot (wp-content is the share) and the image's
# /usr/src/wordpress for the user pod's wp-entrypoint.
wordpress_docroot "$W/html"
# On NFS the export squashes every owner to uid 33: the files are copied without theirs.
mkdir -p "$share"
cp -R --preserve=mode,timestamps "$W/html/wp-content/." "$share/"
rm -rf "$W/html/wp-content"
ln -s "$share" "$W/html/wp-content"
cat >"$W/html/.htaccess" <<-'HTACCESS'
	# BEGIN WordPress (the official entrypoint's default)
	RewriteEngine On
	RewriteBase /
	RewriteRule ^index\.php$ - [L]
	RewriteCond %{REQUEST_FILENAME} !-f
	RewriteCond %{REQUEST_FILENAME} !-d
	RewriteRule . /index.php [L]
	# END WordPress
HTACCESS
for n in $(seq -w 1 "$PLUGINS"); do
	gen_plugin "$share/plugins/bench-plugin-$n" "bench-plugin-$n" "$n"
done
mkdir -p "$share/uploads/2026/12" "$W/stub"
cp "$WP_SOURCE/wp-admin/images/w-logo-blue.png" "$share/uploads/2026/12/photo.png"
chown -R "$WP_UID:$WP_UID" "$W/html"
[ -n "$nfs_mount" ] || chown -R "$WP_UID:$WP_UID" "$share"
printf '#!/bin/sh\nexit 0\n' >"$W/stub/docker-entrypoint.sh"
chmod 0755 "$W/stub/docker-entrypoint.sh"
# The image's start: our must-use plugins (page cache, code marker) into the share.
(cd "$W/html" && as_www_data env PATH="$W/stub:/usr/bin:/bin" APACHE_GRACEFUL_SHUTDOWN_TIMEOUT=120 \
	"$IMAGE_DIR/bin/wp-entrypoint" apache2-foreground) 2>/dev/null

extra="require_once '$IMAGE_DIR/share/wp-k8s/local-code.php'; define('WP_HTTP_BLOCK_EXTERNAL', true);"
site_env=(WORDPRESS_DB_HOST="127.0.0.1:$db_port" WORDPRESS_DB_USER=wpuser WORDPRESS_DB_NAME=wp
	WORDPRESS_DB_PASSWORD_FILE="$W/db-password" WORDPRESS_CONFIG_EXTRA="$extra")
user_env=(WP_CODE_DIR="$W/code" WP_CODE_SOURCE="$share")

apache_setup "$W/install" "$(free_port)" "$W/html"
apache_start "$W/install" "${site_env[@]}" WP_PAGE_CACHE=off
wordpress_install "$(apache_url "$W/install" '')"
apache_stop "$W/install"

active=''
for n in $(seq -w 1 "$PLUGINS"); do
	entry="bench-plugin-$n/bench-plugin-$n.php"
	active+="i:$((10#$n - 1));s:${#entry}:\"$entry\";"
done
mariadb_sql "$W/db" "UPDATE wp.wp_options SET option_value='a:$PLUGINS:{$active}' WHERE option_name='active_plugins';
	UPDATE wp.wp_options SET option_value='/%postname%/' WHERE option_name='permalink_structure';
	DELETE FROM wp.wp_options WHERE option_name='rewrite_rules';
	INSERT INTO wp.wp_posts (post_author, post_date, post_date_gmt, post_content, post_title, post_excerpt,
		post_status, post_name, to_ping, pinged, post_modified, post_modified_gmt, post_content_filtered, post_type)
	VALUES (1, NOW(), UTC_TIMESTAMP(), '<!-- wp:paragraph --><p>A post with an image.</p><!-- /wp:paragraph --><!-- wp:image --><figure class=\"wp-block-image\"><img src=\"/wp-content/uploads/2026/12/photo.png\" alt=\"\"/></figure><!-- /wp:image -->',
		'Measured post', '', 'publish', 'measured-post', '', '', NOW(), UTC_TIMESTAMP(), '', 'post')"
plugin_files=$(find "$share/plugins" -path '*bench-plugin-*' -type f | wc -l)

# The user pods' docroot (core only, wp-content linked to the local copy) and first copy.
mkdir -p "$W/user-html" "$W/code"
chown "$WP_UID:$WP_UID" "$W/user-html" "$W/code"
(cd "$W/user-html" && as_www_data env PATH="$W/stub:/usr/bin:/bin" WORDPRESS_SOURCE_DIR="$W/html" \
	APACHE_GRACEFUL_SHUTDOWN_TIMEOUT=120 "${user_env[@]}" "$IMAGE_DIR/bin/wp-entrypoint" apache2-foreground) 2>/dev/null
as_www_data env "${user_env[@]}" WP_CODE_RESET_URL='' "$IMAGE_DIR/bin/wp-code-sync" --once 2>/dev/null
cp "$W/html/.htaccess" "$W/user-html/.htaccess"
chown "$WP_UID:$WP_UID" "$W/user-html/.htaccess"

# Stand-in for the upstream image's opcache-recommended.ini (values from FACTS.md).
mkdir -p "$W/upstream"
printf '%s\n' 'opcache.memory_consumption=128' 'opcache.interned_strings_buffer=8' \
	'opcache.max_accelerated_files=4000' 'opcache.revalidate_freq=2' >"$W/upstream/opcache-recommended.ini"

POST=/measured-post/
COMMENTER=(-H 'Cookie: comment_author_0a1b=Reader')

# view DIR [CURL_ARGS...]: one view of the post; prints the time and whether it was a hit.
view() {
	local d=$1
	shift
	curl -fsS -o "$d/page.html" -D "$d/headers" -w '%{time_total}' "$@" "$(apache_url "$d" "$POST")"
	if tr -d '\r' <"$d/headers" | grep -qi '^x-wp-k8s-cache: hit'; then echo ' hit'; else echo ' php'; fi
}

# traced DIR [CURL_ARGS...]: one view under strace, into DIR/strace.log.
traced() {
	local d=$1 pid strace_pid
	shift
	pid=$(cat "$d/apache.pid")
	strace -qq -f -e trace=%file -s 1024 -o "$d/strace.log" -p "$pid" &
	strace_pid=$!
	sleep 1
	local r0
	r0=$(rpcs)
	view "$d" "$@" >"$d/traced-view"
	echo $(($(rpcs) - r0)) >"$d/traced-rpcs"
	sleep 0.5
	kill -INT "$strace_pid"
	wait "$strace_pid" || true
	grep -q 'Measured post' "$d/page.html" || {
		echo "measure-fs-ops: $d: the traced view did not render the post" >&2
		return 1
	}
}

# count DIR: "share open stat access readlink other" for DIR/strace.log.
count() {
	python3 - "$share" "$1/strace.log" <<-'PY'
		import os, re, sys
		share = os.path.realpath(sys.argv[1]) + "/"
		counts = dict(share=0, open=0, stat=0, access=0, readlink=0, other=0)
		for line in open(sys.argv[2]):
		    m = re.match(r"^(?:\d+\s+)?(\w+)\((?:AT_FDCWD, |\d+, )?\"([^\"]*)\"", line)
		    if not m or not m.group(2).startswith("/"):
		        continue
		    if not (os.path.realpath(m.group(2)) + "/").startswith(share):
		        continue
		    call = m.group(1)
		    counts["share"] += 1
		    kind = "open" if call.startswith("open") else "stat" if "stat" in call else \
		        "access" if "access" in call else "readlink" if "readlink" in call else "other"
		    counts[kind] += 1
		print(" ".join(str(counts[k]) for k in ("share", "open", "stat", "access", "readlink", "other")))
	PY
}

# timings DIR N [CURL_ARGS...]: "median p95 php|hit rpcs-per-view" over N views, times in ms.
timings() {
	local d=$1 n=$2 i r0
	shift 2
	r0=$(rpcs)
	for ((i = 0; i < n; i++)); do view "$d" "$@"; done >"$d/times"
	python3 - "$d/times" "$(($(rpcs) - r0))" <<-'PY'
		import sys
		rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
		t = sorted(float(r[0]) * 1000 for r in rows)
		kinds = sorted(set(r[1] for r in rows))
		med = t[len(t) // 2] if len(t) % 2 else (t[len(t) // 2 - 1] + t[len(t) // 2]) / 2
		p95 = t[min(len(t) - 1, int(round(0.95 * (len(t) - 1))))]
		print("%.1f %.1f %s %.1f" % (med, p95, "/".join(kinds), int(sys.argv[2]) / len(rows)))
	PY
}

# pod NAME MODE DOCROOT [ENV...]: a fresh Apache (-X) for one scenario.
pod() {
	local name=$1 mode=$2 docroot=$3 d=$W/$1 i
	shift 3
	mkdir -p "$d"
	case $mode in
	stock)
		mkdir -p "$d/php-conf.d" "$d/php"
		: >"$d/php/php.ini"
		for i in /etc/php/8.2/apache2/conf.d/*.ini "$W/upstream/opcache-recommended.ini"; do
			ln -sf "$i" "$d/php-conf.d/${i##*/}"
		done
		;;
	image) php_scan_dir "$d" "$W/upstream/opcache-recommended.ini" ;;
	esac
	apache_setup "$d" "$(free_port)" "$docroot"
	APACHE_MODE=-X apache_start "$d" "${site_env[@]}" "$@"
}

results=()
# scenario NAME PAUSE [CURL_ARGS...]: warm-up views, a pause, the traced view, then timings.
scenario() {
	local name=$1 pause=$2 d=$W/$1 i
	shift 2
	for ((i = 0; i < WARMUP; i++)); do view "$d" "$@" >/dev/null; done
	sleep "$pause"
	traced "$d" "$@"
	results+=("$name $(count "$d") $(cat "$d/traced-rpcs") $(timings "$d" "$TIMED" "$@")")
}

echo "measure-fs-ops: measuring (each: $WARMUP warm-up views, a pause, one traced view, $TIMED timed views)..." >&2
pod stock stock "$W/html" WP_PAGE_CACHE=off
scenario stock 3
apache_stop "$W/stock"
pod image image "$W/html" WP_PAGE_CACHE=off
scenario image 3
if [ "$QUICK" = 0 ]; then
	rm -rf "$W/image-due" && cp -a "$W/image" "$W/image-due"
	scenario image-due 61
fi
apache_stop "$W/image"

pod user image "$W/user-html" "${user_env[@]}" WP_PAGE_CACHE=on
scenario user 3 "${COMMENTER[@]}"
if [ "$QUICK" = 0 ]; then
	rm -rf "$W/user-due" && cp -a "$W/user" "$W/user-due"
	scenario user-due 61 "${COMMENTER[@]}"
fi
rm -rf "$W/hit" && cp -a "$W/user" "$W/hit"
scenario hit 3
# Hits must be Apache's: the timed views say "hit" only.
[ "$(awk '{print $11}' <<<"${results[-1]}")" = hit ] || {
	echo "measure-fs-ops: the cache-hit views were not all hits" >&2
	exit 1
}

# A code change on the share, the copier swaps it in and empties opcache; then the first view.
rm -rf "$W/user-change" && cp -a "$W/user" "$W/user-change"
first=bench-plugin-$(seq -w 1 "$PLUGINS" | head -n 1)
echo '/* changed */' >>"$share/plugins/$first/assets/css/style.css"
echo '// changed' >>"$share/plugins/$first/includes/functions-1.php"
as_www_data env "${user_env[@]}" "$IMAGE_DIR/bin/wp-code-sync" bump 2>/dev/null
as_www_data env "${user_env[@]}" WP_CODE_RESET_URL="$(apache_url "$W/user" /wp-k8s-opcache-reset)" \
	"$IMAGE_DIR/bin/wp-code-sync" --once 2>/dev/null
sleep 1
traced "$W/user" "${COMMENTER[@]}"
results+=("user-change $(count "$W/user") $(cat "$W/user/traced-rpcs") $(cut -d' ' -f1 "$W/user/traced-view" | awk '{printf "%.1f %.1f", $1 * 1000, $1 * 1000}') php -")
apache_stop "$W/user"

# The first view after a start: opcache and the realpath cache are empty.
pod user-start image "$W/user-html" "${user_env[@]}" WP_PAGE_CACHE=on
traced "$W/user-start" "${COMMENTER[@]}"
results+=("user-start $(count "$W/user-start") $(cat "$W/user-start/traced-rpcs") $(cut -d' ' -f1 "$W/user-start/traced-view" | awk '{printf "%.1f %.1f", $1 * 1000, $1 * 1000}') php -")
apache_stop "$W/user-start"

echo
echo "One view of a post with an image, WordPress $(sed -n "s/^\$wp_version = '\(.*\)';/\1/p" "$W/html/wp-includes/version.php"), theme twentytwentythree, $PLUGINS generated plugins ($plugin_files files)"
where=${LABEL:-this machine}
if [ -n "$nfs_mount" ]; then
	where="$where, the share over NFS ($(awk -v m="$nfs_mount" '$2 == m {print $4}' /proc/mounts))"
else
	where="$where, the share on local disk"
fi
echo "File-system syscalls on the share (wp-content on NFS in the pods) for one view after warm-up,"
echo "NFS RPCs (the kernel's count for the mount: the traced view, and the mean over the timed views),"
echo "and page times on $where (median and p95 of $TIMED views; n=1 for -change and -start):"
printf '| %-11s | %5s | %4s | %4s | %6s | %8s | %5s | %7s | %8s | %9s | %7s | %-7s | %14s |\n' scenario share open stat access readlink other 'nfs rpc' 'rpc/view' 'median ms' 'p95 ms' served "+ops×${RTT_MS}ms"
printf '|%s|\n' '-------------|-------|------|------|--------|----------|-------|---------|----------|-----------|---------|---------|----------------'
for r in "${results[@]}"; do
	read -r name ops open stat access rl other trpc med p95 kind per <<<"$r"
	if [ -z "$nfs_mount" ]; then trpc=- per=-; fi
	printf '| %-11s | %5d | %4d | %4d | %6d | %8d | %5d | %7s | %8s | %9s | %7s | %-7s | %11s ms |\n' \
		"$name" "$ops" "$open" "$stat" "$access" "$rl" "$other" "$trpc" "$per" "$med" "$p95" "$kind" \
		"$(awk -v n="$ops" -v r="$RTT_MS" 'BEGIN { printf "%.1f", n * r }')"
done
echo
echo "stock: upstream opcache settings; image: images/wordpress/php/zz-wp-k8s.ini; both with wp-content on the share."
echo "user*: the code from the pod's local copy (wp-code-sync), a commenter's view (PHP renders); hit: the page cache."
echo "The last column is arithmetic (operations × round trip); the nfs columns are the kernel's counts."
