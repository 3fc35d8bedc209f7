#!/usr/bin/env bats
# The full-page cache (mu-plugins/wp-k8s-page-cache.php stores, apache/wp-k8s.conf serves) on
# real Apache + mod_php + MariaDB with Debian's WordPress, pretty permalinks and the official
# image's .htaccess. Every PHP execution is counted (auto_prepend_file), so "served without
# PHP" is observed, not assumed. What must hold (issue 9):
# - an anonymous GET is stored once and then answered by Apache without PHP;
# - never for logged-in users, comment authors, POST, previews, query strings or /wp-admin,
#   nor for a 404;
# - purged when content changes (comment, post, plugin), and a page made while a purge
#   happens is not stored;
# - nothing under wp-content/uploads or the cache runs as PHP; no .htaccess there is read.

load lib/common

DB_PASSWORD='Db-pass-cache-9a7d'

setup_file() {
	start_db_workdir
	db_site "$W/db" wp wpuser "$DB_PASSWORD"
	printf '%s\n' "$DB_PASSWORD" >"$W/db-password"
	chmod 0644 "$W/db-password"
	wordpress_docroot "$W/html"
	# The official entrypoint writes WordPress's standard rules when there is no .htaccess.
	cat >"$W/html/.htaccess" <<-'EOF'
		# BEGIN WordPress
		RewriteEngine On
		RewriteRule .* - [E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]
		RewriteBase /
		RewriteRule ^index\.php$ - [L]
		RewriteCond %{REQUEST_FILENAME} !-f
		RewriteCond %{REQUEST_FILENAME} !-d
		RewriteRule . /index.php [L]
		# END WordPress
	EOF
	mkdir -p "$W/stub"
	printf '#!/bin/sh\nexit 0\n' >"$W/stub/docker-entrypoint.sh"
	chmod 0755 "$W/stub/docker-entrypoint.sh"
	(cd "$W/html" && as_www_data env PATH="$W/stub:/usr/bin:/bin" \
		APACHE_GRACEFUL_SHUTDOWN_TIMEOUT=120 "$IMAGE_DIR/bin/wp-entrypoint" apache2-foreground)
	# A test-only must-use plugin, loaded after ours: /sample-page/ takes 2 s when asked to
	# (the purge race).
	cat >"$W/html/wp-content/mu-plugins/zz-slow.php" <<-'EOF'
		<?php
		if (($_SERVER['REQUEST_URI'] ?? '') === '/sample-page/' && isset($_SERVER['HTTP_X_SLOW'])) {
		    sleep(2);
		}
	EOF
	# Every PHP request leaves one line.
	# shellcheck disable=SC2016 # PHP variables
	printf '<?php file_put_contents("%s/php-runs.log", $_SERVER["REQUEST_URI"] . "\\n", FILE_APPEND);\n' "$W" >"$W/count.php"
	: >"$W/php-runs.log"
	chown -R "$WP_UID:$WP_UID" "$W/html" "$W/php-runs.log"
	echo "php_admin_value auto_prepend_file $W/count.php" >"$W/test-extra.conf"

	apache_setup "$W/web" "$(free_port)" "$W/html" "$W/test-extra.conf"
	apache_start "$W/web" WORDPRESS_DB_HOST="127.0.0.1:$DB_PORT" WORDPRESS_DB_USER=wpuser \
		WORDPRESS_DB_NAME=wp WORDPRESS_DB_PASSWORD_FILE="$W/db-password" \
		WORDPRESS_CONFIG_EXTRA="define('WP_HTTP_BLOCK_EXTERNAL', true);" \
		TRUSTED_PROXY_CIDRS='10.0.0.0/8 127.0.0.0/8'
	wordpress_install "$(apache_url "$W/web" '')"
	mariadb_sql "$W/db" "UPDATE wp.wp_options SET option_value='/%postname%/' WHERE option_name='permalink_structure'; DELETE FROM wp.wp_options WHERE option_name='rewrite_rules'"
	HOSTPORT=127.0.0.1:$(cat "$W/web/port")
	export HOSTPORT
	CACHE=$W/html/wp-content/cache/wp-k8s-page/$HOSTPORT
	export CACHE
}

teardown_file() {
	cleanup_workdir "${W:-}"
}

# get PATH [CURL_ARGS...]: sets code, hit ("hit" when Apache served a stored page) and body,
# and runs ("yes" when PHP ran for it).
get() {
	local path=$1 before
	shift
	before=$(wc -l <"$W/php-runs.log")
	code=$(curl -sS -D "$W/headers" -o "$W/body" -w '%{http_code}' --max-time 30 "$@" "$(apache_url "$W/web" "$path")")
	hit=$(tr -d '\r' <"$W/headers" | sed -n 's/^[Xx]-[Ww][Pp]-[Kk]8[Ss]-[Cc]ache: //p')
	body=$(cat "$W/body")
	runs=no
	[ "$(wc -l <"$W/php-runs.log")" = "$before" ] || runs=yes
}

# comment IP TEXT: an anonymous comment on the first post from IP (behind the trusted proxy:
# WordPress refuses a second comment from one address within 15 s).
comment() {
	curl -sS -o /dev/null -H "X-Forwarded-For: $1" --data-urlencode comment_post_ID=1 --data-urlencode author=Visitor \
		--data-urlencode "email=visitor-$1@example.test" --data-urlencode "comment=$2" \
		"$(apache_url "$W/web" /wp-comments-post.php)"
}

login() { wordpress_login "$W/web" "$W/cookies"; }

@test "an anonymous GET is stored, then Apache serves it without PHP" {
	get /hello-world/
	[ "$code" = 200 ] && [ "$runs" = yes ] && [ -z "$hit" ]
	[[ "$body" == *'Hello world!'* ]]
	[ -f "$CACHE/hello-world/index.html" ]
	cmp "$W/body" "$CACHE/hello-world/index.html"
	get /hello-world/
	[ "$code" = 200 ] && [ "$runs" = no ] && [ "$hit" = hit ]
	cmp "$W/body" "$CACHE/hello-world/index.html"
	tr -d '\r' <"$W/headers" | grep -qi '^content-type: text/html; charset=utf-8$'
	# Not even the database is needed for a hit.
	mariadb_stop "$W/db"
	get /hello-world/
	mariadb_restart "$W/db"
	[ "$code" = 200 ] && [ "$hit" = hit ]
	# The front page too; behind a trusted proxy saying https, a page of its own.
	get /
	get /
	[ "$hit" = hit ] && [ "$runs" = no ]
	get / -H 'X-Forwarded-For: 203.0.113.7' -H 'X-Forwarded-Proto: https'
	[ "$runs" = yes ]
	[ -f "$CACHE/index-https.html" ]
	get / -H 'X-Forwarded-For: 203.0.113.7' -H 'X-Forwarded-Proto: https'
	[ "$hit" = hit ] && [ "$runs" = no ]
	# A client that is not a trusted proxy cannot pick the https page.
	grep -q 'https://' "$CACHE/index-https.html" || true
}

@test "never for logged-in users, comment authors, post passwords, POST, previews, query strings, /wp-admin, 404s" {
	get /hello-world/
	get /hello-world/
	[ "$hit" = hit ]
	login
	get /hello-world/ -b "$W/cookies"
	[ "$runs" = yes ] && [ -z "$hit" ]
	[[ "$body" == *wpadminbar* ]]
	run grep -c wpadminbar "$CACHE/hello-world/index.html"
	[ "$output" = 0 ]
	local cookie
	for cookie in 'comment_author_0a1b=Bob' 'wp-postpass_0a1b=x' 'woocommerce_items_in_cart=1'; do
		get /hello-world/ -H "Cookie: $cookie"
		[ "$runs" = yes ] && [ -z "$hit" ]
	done
	# Other cookies (analytics, consent) still get the stored page.
	get /hello-world/ -H 'Cookie: _ga=GA1.2.3; consent=yes'
	[ "$hit" = hit ]
	get /hello-world/ -X POST -d x=1
	[ "$runs" = yes ] && [ -z "$hit" ]
	get '/hello-world/?utm_source=x'
	[ "$runs" = yes ] && [ -z "$hit" ]
	get '/?p=1&preview=true'
	[ "$runs" = yes ] && [ -z "$hit" ]
	get /wp-admin/
	[ "$runs" = yes ] && [ "$code" = 302 ]
	get /no-such-page/
	[ "$code" = 404 ]
	get /no-such-page/
	[ "$code" = 404 ] && [ "$runs" = yes ]
	[ ! -e "$CACHE/no-such-page" ]
	[ ! -e "$W/html/wp-content/cache/wp-k8s-page/$HOSTPORT/wp-admin" ]
	# No stored page is a logged-in view.
	find "$CACHE" -name 'index*.html' | sort
	run grep -l wpadminbar -r "$CACHE"
	[ "$status" = 1 ]
}

@test "purged when a comment is posted, a post is updated, a plugin is deactivated" {
	get /hello-world/
	get /hello-world/
	[ "$hit" = hit ]
	# An anonymous comment (held for moderation, still a change).
	comment 203.0.113.20 'A fine post'
	[ ! -e "$CACHE/hello-world/index.html" ]
	get /hello-world/
	[ "$runs" = yes ]

	# A post updated through the REST API, as the block editor does.
	get /hello-world/
	[ "$hit" = hit ]
	login
	local nonce
	nonce=$(curl -fsS -b "$W/cookies" "$(apache_url "$W/web" '/wp-admin/post.php?post=1&action=edit')" |
		grep -o 'createNonceMiddleware( "[0-9a-f]*" )' | head -n 1 | grep -o '[0-9a-f]\{10\}')
	[ -n "$nonce" ]
	curl -fsS -o /dev/null -b "$W/cookies" -H "X-WP-Nonce: $nonce" -H 'Content-Type: application/json' \
		-d '{"title":"Hello, purged world"}' "$(apache_url "$W/web" '/?rest_route=/wp/v2/posts/1')"
	get /hello-world/
	[ "$runs" = yes ] && [[ "$body" == *'Hello, purged world'* ]]
	get /hello-world/
	[ "$hit" = hit ] && [[ "$body" == *'Hello, purged world'* ]]

	# A plugin deactivated in wp-admin.
	mariadb_sql "$W/db" "UPDATE wp.wp_options SET option_value='a:1:{i:0;s:19:\"akismet/akismet.php\";}' WHERE option_name='active_plugins'"
	local link
	link=$(curl -fsS -b "$W/cookies" "$(apache_url "$W/web" /wp-admin/plugins.php)" | sed 's/&amp;/\&/g; s/&#038;/\&/g' |
		grep -o 'href="plugins.php?action=deactivate&plugin=akismet[^"]*"' | head -n 1 | sed 's/^href="//; s/"$//')
	[ -n "$link" ]
	curl -fsS -o /dev/null -b "$W/cookies" "$(apache_url "$W/web" "/wp-admin/$link")"
	[ ! -e "$CACHE/hello-world/index.html" ]
	# Purged copies go once they are two minutes old; new ones stay for requests in flight.
	[ -n "$(find "$W/html/wp-content/cache" -maxdepth 1 -name '.purged-*')" ]
}

@test "a page being made while the cache is purged is not stored" {
	comment 203.0.113.21 'First'
	[ ! -e "$CACHE/sample-page/index.html" ]
	# A slow rendering of /sample-page/, and a purge (another visitor's comment) meanwhile.
	curl -sS -o "$W/slow.html" -H 'X-Slow: 1' "$(apache_url "$W/web" /sample-page/)" &
	local slow=$!
	sleep 0.7
	comment 203.0.113.22 'Second'
	wait "$slow"
	grep -q 'Sample Page' "$W/slow.html"
	[ ! -e "$CACHE/sample-page/index.html" ]
	# The same slow rendering without a purge is stored (the check above can fail).
	get /sample-page/ -H 'X-Slow: 1'
	[ "$runs" = yes ]
	[ -f "$CACHE/sample-page/index.html" ]
}

@test "no script runs from uploads or the cache; their .htaccess files are not read" {
	mkdir -p "$W/html/wp-content/uploads/2026/12"
	echo '<?php echo "ran";' >"$W/html/wp-content/uploads/2026/12/evil.php"
	echo '<?php echo "ran";' >"$W/html/wp-content/cache/evil.PHP"
	echo 'hello' >"$W/html/wp-content/uploads/2026/12/ok.txt"
	# An .htaccess Apache would have to honour (AllowOverride All) breaks every request below it.
	echo 'This is not a valid directive' >"$W/html/wp-content/uploads/.htaccess"
	chown -R "$WP_UID:$WP_UID" "$W/html/wp-content/uploads" "$W/html/wp-content/cache"
	get /wp-content/uploads/2026/12/evil.php
	[ "$code" = 403 ] && [[ "$body" != *ran* ]]
	get /wp-content/cache/evil.PHP
	[ "$code" = 403 ] && [[ "$body" != *ran* ]]
	get /wp-content/uploads/2026/12/ok.txt
	[ "$code" = 200 ] && [ "$body" = hello ]
}
