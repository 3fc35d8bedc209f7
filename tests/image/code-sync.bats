#!/usr/bin/env bats
# User pods run WordPress's code from local disk (bin/wp-code-sync, share/wp-k8s/local-code.php,
# mu-plugins/wp-k8s-code.php), on real Apache + mod_php + MariaDB with Debian's WordPress:
# an "admin pod" serves the whole wp-content from the share (a directory standing in for the
# NFS volume), a "user pod" is started by the image's own wp-entrypoint (official entrypoint
# stubbed) with its code copier running beside it, as the sidecar does.
# What must hold (issue 9):
# - the user pod's plugins and themes come from its local copy, uploads from the share;
# - a plugin installed and activated in wp-admin runs on the user pod within 60 s, and is
#   gone within 60 s once deleted in wp-admin, without a restart;
# - a swap is atomic per request (never old and new files in one page), and opcache serves
#   the new code even when the file keeps its size and mtime;
# - a failed copy keeps the old code, says so in the log and makes /readyz 503; it recovers.

load lib/common

DB_PASSWORD='Db-pass-code-4c1e'

setup_file() {
	start_db_workdir
	db_site "$W/db" wp wpuser "$DB_PASSWORD"
	printf '%s\n' "$DB_PASSWORD" >"$W/db-password"
	chmod 0644 "$W/db-password"

	# The image's /usr/src/wordpress, and the share: Debian's wp-content plus a probe plugin
	# whose two files each say their version (a page that mixes them shows it).
	wordpress_docroot "$W/src"
	mv "$W/src/wp-content" "$W/share"
	mkdir "$W/src/wp-content"
	probe_plugin 1
	mkdir -p "$W/share/uploads/2026/12"
	echo 'an upload' >"$W/share/uploads/2026/12/note.txt"
	chown -R "$WP_UID:$WP_UID" "$W/share" "$W/src"

	mkdir -p "$W/stub"
	printf '#!/bin/sh\nexit 0\n' >"$W/stub/docker-entrypoint.sh"
	chmod 0755 "$W/stub/docker-entrypoint.sh"
	# WordPress must not try the internet from wp-admin (update checks).
	# shellcheck disable=SC2089,SC2090 # PHP, quoted for PHP
	EXTRA="require_once '$IMAGE_DIR/share/wp-k8s/local-code.php'; define('WP_HTTP_BLOCK_EXTERNAL', true); define('FS_METHOD', 'direct');"
	# shellcheck disable=SC2090
	export EXTRA

	# The admin pod: its docroot's wp-content is the share itself.
	wordpress_docroot "$W/admin-html"
	rm -rf "$W/admin-html/wp-content"
	ln -s "$W/share" "$W/admin-html/wp-content"
	(cd "$W/admin-html" && as_www_data env PATH="$W/stub:/usr/bin:/bin" \
		APACHE_GRACEFUL_SHUTDOWN_TIMEOUT=120 "$IMAGE_DIR/bin/wp-entrypoint" apache2-foreground)
	apache_setup "$W/admin" "$(free_port)" "$W/admin-html"
	start_pod admin
	wordpress_install "$(apache_url "$W/admin" '')"
	mariadb_sql "$W/db" "UPDATE wp.wp_options SET option_value='a:1:{i:0;s:15:\"probe/probe.php\";}' WHERE option_name='active_plugins'"

	# The user pod: an empty docroot (emptyDir), wp-entrypoint, then the copier and Apache.
	mkdir -p "$W/user-html" "$W/user-code"
	chown "$WP_UID:$WP_UID" "$W/user-html" "$W/user-code"
	USER_PORT=$(free_port)
	export USER_PORT
	start_copier
	wait_for 60 test -L "$W/user-code/current"
	(cd "$W/user-html" && as_www_data env PATH="$W/stub:/usr/bin:/bin" WORDPRESS_SOURCE_DIR="$W/src" \
		APACHE_GRACEFUL_SHUTDOWN_TIMEOUT=120 WP_CODE_DIR="$W/user-code" WP_CODE_SOURCE="$W/share" \
		"$IMAGE_DIR/bin/wp-entrypoint" apache2-foreground)
	apache_setup "$W/user" "$USER_PORT" "$W/user-html"
	start_pod user WP_CODE_DIR="$W/user-code" WP_CODE_SOURCE="$W/share"
}

teardown_file() {
	cleanup_workdir "${W:-}"
}

# start_copier: the sidecar, `wp-entrypoint wp-code-sync`, polling every second. Without the
# opcache reset it asks for after a swap: the new code must reach opcache by its new path alone
# (with the reset, a swap test would pass even if the paths stayed the same).
start_copier() {
	(cd / && as_www_data env PATH=/usr/bin:/bin WP_CODE_SOURCE="$W/share" WP_CODE_DIR="$W/user-code" \
		WP_CODE_POLL_SECONDS=1 WP_CODE_KEEP_SECONDS=5 WP_CODE_RESET_URL= \
		"$IMAGE_DIR/bin/wp-entrypoint" wp-code-sync >>"$W/copier.log" 2>&1) &
	echo $! >"$W/copier.bgpid"
}

# probe_plugin VERSION: the probe plugin at VERSION in the share: its main file and the file
# it includes both print the version; the include sleeps 0.2 s in between, so a swap lands
# inside requests.
probe_plugin() {
	local d=$W/share/plugins/probe
	mkdir -p "$d"
	cat >"$d/probe.php" <<-EOF
		<?php
		/* Plugin Name: Probe */
		add_action('wp_footer', function () {
		    echo '<p id="probe">main=$1 ';
		    usleep(200000);
		    require __DIR__ . '/part.php';
		    echo ' dir=' . __DIR__ . '</p>';
		});
	EOF
	printf '<?php echo "part=%s";\n' "$1" >"$d/part.php"
	chown -R "$WP_UID:$WP_UID" "$d"
}

# start_pod NAME [NAME=VALUE...]: Apache for the configured DIR with the site's database and
# config; the page cache is off (page-cache.bats), so every view runs the plugins.
start_pod() {
	local d=$W/$1
	shift
	apache_start "$d" WORDPRESS_DB_HOST="127.0.0.1:$DB_PORT" WORDPRESS_DB_USER=wpuser \
		WORDPRESS_DB_NAME=wp WORDPRESS_DB_PASSWORD_FILE="$W/db-password" WORDPRESS_DB_READY_TIMEOUT=2 \
		WORDPRESS_CONFIG_EXTRA="$EXTRA" WP_PAGE_CACHE=off "$@"
}

# probe_on NAME: the probe's line on that pod's front page ("" when the plugin is not loaded).
probe_on() {
	curl -fsS --max-time 20 "$(apache_url "$W/$1" /)" | grep -o '<p id="probe">[^<]*</p>' || true
}

# admin_get PATH: a wp-admin page as the logged-in admin.
admin_get() {
	curl -fsS --max-time 60 -b "$W/cookies" -c "$W/cookies" "$(apache_url "$W/admin" "$1")"
}

# link_in PAGE_FILE PATTERN: the first href in the page containing PATTERN, &amp; decoded.
link_in() {
	sed -e 's/&amp;/\&/g' -e 's/&#038;/\&/g' "$1" | grep -o "href=\"[^\"]*$2[^\"]*\"" | head -n 1 | sed -e 's/^href="//' -e 's/"$//'
}

login() { wordpress_login "$W/admin" "$W/cookies"; }

@test "the user pod runs plugins from its local copy; uploads and static files come from the share" {
	run probe_on user
	[[ "$output" == *"main=1 part=1 dir=$W/user-code/gen-"*"/plugins/probe"* ]]
	run probe_on admin
	[[ "$output" == *"main=1 part=1 dir=$W/share/plugins/probe"* ]]
	[ "$(readlink "$W/user-html/wp-content")" = "$W/user-code/current" ]
	[ "$(readlink "$W/user-code/current/uploads")" = "$W/share/uploads" ]
	[ "$(curl -fsS "$(apache_url "$W/user" /wp-content/uploads/2026/12/note.txt)")" = 'an upload' ]
	# The theme is the copy's too (block templates are read on every view).
	[ -f "$W/user-code/current/themes/twentytwentythree/templates/index.html" ] && [ ! -L "$W/user-code/current/themes" ]
	# No one writes into a generation.
	run as_www_data touch "$W/user-code/current/new-file"
	[ "$status" != 0 ]
	run curl -fsS "$(apache_url "$W/user" /readyz)"
	[ "$output" = ready ]
}

@test "a plugin installed and activated in wp-admin runs on the user pod within 60 s; deleted, it is gone within 60 s" {
	login
	mkdir -p "$W/zip/hello-k8s"
	printf '<?php\n/* Plugin Name: Hello K8s */\nadd_action("wp_footer", function () { echo "<p id=\\"hello-k8s\\">hello from %s</p>"; });\n' \
		"installed-plugin" >"$W/zip/hello-k8s/hello-k8s.php"
	(cd "$W/zip" && python3 -c 'import zipfile,sys; z=zipfile.ZipFile("hello-k8s.zip","w"); z.write("hello-k8s/hello-k8s.php")')
	# wp-admin's "Upload Plugin" form, then the "Activate Plugin" link it answers with.
	admin_get /wp-admin/plugin-install.php?tab=upload >"$W/upload-form.html"
	local nonce
	nonce=$(sed -n '/upload-plugin/,$p' "$W/upload-form.html" | grep -o 'name="_wpnonce" value="[^"]*"' | head -n 1 | sed 's/.*value="//; s/"$//')
	[ -n "$nonce" ]
	curl -fsS --max-time 60 -b "$W/cookies" -c "$W/cookies" -F "_wpnonce=$nonce" -F 'install-plugin-submit=Install Now' \
		-F "pluginzip=@$W/zip/hello-k8s.zip" "$(apache_url "$W/admin" '/wp-admin/update.php?action=upload-plugin')" >"$W/installed.html"
	[ -f "$W/share/plugins/hello-k8s/hello-k8s.php" ]
	local activate
	activate=$(link_in "$W/installed.html" 'action=activate')
	[ -n "$activate" ]
	admin_get "/wp-admin/$activate" >/dev/null
	local started=$SECONDS
	wait_for 60 bash -c "curl -fsS '$(apache_url "$W/user" /)' | grep -q 'hello from installed-plugin'"
	echo "installed plugin ran on the user pod after $((SECONDS - started)) s" >&3
	# The copy's, not the share's.
	[ -f "$W/user-code/current/plugins/hello-k8s/hello-k8s.php" ]

	# Deactivate, then delete (wp-admin's bulk delete asks for a confirmation).
	admin_get /wp-admin/plugins.php >"$W/plugins.html"
	local link
	link=$(link_in "$W/plugins.html" 'action=deactivate&plugin=hello-k8s')
	[ -n "$link" ]
	admin_get "/wp-admin/$link" >/dev/null
	admin_get /wp-admin/plugins.php >"$W/plugins.html"
	link=$(link_in "$W/plugins.html" 'action=delete-selected&checked%5B0%5D=hello-k8s')
	[ -n "$link" ]
	admin_get "/wp-admin/$link" >"$W/confirm.html"
	nonce=$(sed -n '/verify-delete/,$p' "$W/confirm.html" | grep -o 'name="_wpnonce" value="[^"]*"' | head -n 1 | sed 's/.*value="//; s/"$//')
	[ -n "$nonce" ] || { grep -i 'wpnonce\|verify' "$W/confirm.html" | head >&2; false; }
	curl -fsS --max-time 60 -b "$W/cookies" -c "$W/cookies" --data-urlencode action=delete-selected \
		--data-urlencode verify-delete=1 --data-urlencode 'checked[]=hello-k8s/hello-k8s.php' \
		--data-urlencode "_wpnonce=$nonce" "$(apache_url "$W/admin" /wp-admin/plugins.php)" >/dev/null
	[ ! -e "$W/share/plugins/hello-k8s" ]
	started=$SECONDS
	wait_for 60 bash -c "[ ! -e '$W/user-code/current/plugins/hello-k8s' ]"
	echo "deleted plugin gone from the user pod after $((SECONDS - started)) s" >&3
	run curl -fsS "$(apache_url "$W/user" /)"
	[[ "$output" != *'hello from installed-plugin'* ]]
}

@test "a swap under load: every page is all old or all new code; opcache serves the new files" {
	local before
	before=$(probe_on user)
	[[ "$before" == *"main=1 part=1"* ]]
	# Same sizes and mtimes as before: only a new path can make opcache compile them again.
	cp -p "$W/share/plugins/probe/probe.php" "$W/probe.php.ref"
	cp -p "$W/share/plugins/probe/part.php" "$W/part.php.ref"
	# Requests run all along, each taking 0.2 s inside the plugin.
	(for _ in $(seq 1 120); do probe_on user; done >"$W/pages.txt") &
	local load=$!
	sleep 1
	probe_plugin 2
	touch -r "$W/probe.php.ref" "$W/share/plugins/probe/probe.php"
	touch -r "$W/part.php.ref" "$W/share/plugins/probe/part.php"
	WP_CODE_SOURCE="$W/share" as_www_data "$IMAGE_DIR/bin/wp-code-sync" bump
	wait "$load"
	grep -c . "$W/pages.txt"
	# Both versions were served, never a mix.
	grep -q 'main=1 part=1' "$W/pages.txt"
	grep -q 'main=2 part=2' "$W/pages.txt"
	run grep -E 'main=1 part=2|main=2 part=1' "$W/pages.txt"
	[ "$status" = 1 ]
	[ "$(grep -c '<p id="probe">' "$W/pages.txt")" = 120 ]
	# Once new, never old again.
	[ "$(grep -o 'main=[12]' "$W/pages.txt" | uniq | tr '\n' ' ')" = 'main=1 main=2 ' ]
	grep -q 'now serving version' "$W/copier.log"
	# The retired generation goes after WP_CODE_KEEP_SECONDS.
	local old=${before#*dir="$W"/user-code/}
	old=${old%%/*}
	wait_for 30 test ! -e "$W/user-code/$old"
}

@test "a copy that fails keeps the old code, says so in the log and in /readyz; it recovers" {
	run probe_on user
	[[ "$output" == *"main=2 part=2"* ]]
	# A file uid 33 cannot read stands for an NFS error or a full local disk.
	probe_plugin 3
	chmod 000 "$W/share/plugins/probe/part.php"
	WP_CODE_SOURCE="$W/share" as_www_data "$IMAGE_DIR/bin/wp-code-sync" bump
	wait_for 30 grep -q 'failed' "$W/user-code/status"
	wait_for 10 grep -q 'copy of version .* failed (.*Permission denied.*): keeping version' "$W/copier.log"
	run probe_on user
	[[ "$output" == *"main=2 part=2"* ]]
	run curl -sS -o /dev/null -w '%{http_code}' "$(apache_url "$W/user" /readyz)"
	[ "$output" = 503 ]
	grep -q 'readyz: code: failed' "$W/user/stderr.log"
	# Fixed on the share: the next poll copies it, readiness is back.
	chmod 0644 "$W/share/plugins/probe/part.php"
	wait_for 30 bash -c "curl -fsS '$(apache_url "$W/user" /readyz)' | grep -qx ready"
	run probe_on user
	[[ "$output" == *"main=3 part=3"* ]]
}

@test "the opcache reset a swap asks for answers on loopback" {
	run curl -fsS "$(apache_url "$W/user" /wp-k8s-opcache-reset)"
	[ "$output" = reset ]
	# Through a trusted proxy claiming to be the pod itself it is still the peer that counts;
	# here the peer is loopback, so this only shows the header changes nothing.
	run curl -fsS -H 'X-Forwarded-For: 127.0.0.1' "$(apache_url "$W/user" /wp-k8s-opcache-reset)"
	[ "$output" = reset ]
}

@test "a user pod whose first copy has not finished answers 503 and is not ready" {
	mkdir -p "$W/empty-code"
	chown "$WP_UID:$WP_UID" "$W/empty-code"
	apache_setup "$W/fresh" "$(free_port)" "$W/user-html"
	start_pod fresh WP_CODE_DIR="$W/empty-code" WP_CODE_SOURCE="$W/share"
	run curl -sS -o /dev/null -w '%{http_code}' "$(apache_url "$W/fresh" /)"
	[ "$output" = 503 ]
	run curl -sS -o /dev/null -w '%{http_code}' "$(apache_url "$W/fresh" /readyz)"
	[ "$output" = 503 ]
	apache_stop "$W/fresh"
}

@test "wp-code-sync refuses a bad setting and an unknown argument" {
	run env WP_CODE_SOURCE="$W/share" WP_CODE_DIR="$W/x" WP_CODE_POLL_SECONDS=0 "$IMAGE_DIR/bin/wp-code-sync" --once
	[ "$status" = 2 ]
	[[ "$output" == *'WP_CODE_POLL_SECONDS is "0"'* ]]
	run env WP_CODE_SOURCE="$W/share" "$IMAGE_DIR/bin/wp-code-sync" --twice
	[ "$status" = 2 ]
	run env -u WP_CODE_SOURCE "$IMAGE_DIR/bin/wp-code-sync" bump
	[ "$status" = 2 ]
	[[ "$output" == *'WP_CODE_SOURCE is not set'* ]]
}
