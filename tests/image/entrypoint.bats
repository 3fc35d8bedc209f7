#!/usr/bin/env bats
# The start-up wrapper (bin/wp-entrypoint) against a shared wp-content, the way pods run
# it: each pod has its own fresh docroot (an emptyDir) with the site's wp-content mounted
# inside it (a bind mount here, the NFS volume there). What must hold:
# - WordPress core goes into the pod's docroot, never anything into wp-content;
# - a new site's wp-content is populated from the image once, however many pods start
#   at once; a site that has content (or was populated) never gets bundled files again,
#   so a plugin or theme an admin deleted stays deleted;
# - our SMTP mu-plugin is installed atomically and only when its content differs;
# - the official docker-entrypoint.sh is exec'd with the same arguments.
#
# The official entrypoint is not in Debian. The stand-in below does what upstream's does
# to the docroot (docker-library/wordpress docker-entrypoint.sh, see FACTS.md): when
# neither index.php nor wp-includes/version.php is there it copies the whole of
# WordPress in, wp-content included, skipping only wp-content/*/* directories that
# exist, so loose files (hello.php, index.php) are rewritten and deleted plugins return.
# Run against the previous wp-entrypoint, the tests below fail on exactly that.

load lib/common

PLUGIN=wp-k8s-smtp.php
# Every must-use plugin of the image (mail, page cache, code version marker), one a line.
OURS=$(cd "$IMAGE_DIR/share/wp-k8s/mu-plugins" && ls -- *.php)
# shellcheck disable=SC2001 # one prefix a line
OURS_PATHS=$(echo "$OURS" | sed 's|^|./mu-plugins/|')

setup_file() {
	TEMPLATE=$(new_workdir)
	export TEMPLATE
	# The image's /usr/src/wordpress: the top of Debian's WordPress and a few core files
	# (all of it would only make each start's copy slower), the official image's
	# wp-config-docker.php, and Debian's wp-content plus what the official image's has.
	SOURCE=$TEMPLATE/src
	export SOURCE
	mkdir -p "$SOURCE/wp-includes" "$SOURCE/wp-admin"
	find /usr/share/wordpress -maxdepth 1 -type f -name '*.php' -exec cp {} "$SOURCE/" \;
	rm -f "$SOURCE/wp-config.php"
	cp /usr/share/wordpress/wp-includes/version.php /usr/share/wordpress/wp-includes/load.php "$SOURCE/wp-includes/"
	cp /usr/share/wordpress/wp-admin/admin.php "$SOURCE/wp-admin/"
	tar -C /usr/share/wordpress --exclude=./wp-content/languages -chf - ./wp-content | tar -C "$SOURCE" -xf -
	echo '<?php // wp-config-docker.php stand-in' >"$SOURCE/wp-config-docker.php"
	echo '<?php // Silence is golden.' >"$SOURCE/wp-content/index.php"
	echo '<?php // Silence is golden.' >"$SOURCE/wp-content/themes/index.php"
	printf '<?php\n/* Plugin Name: Hello Dolly */\n' >"$SOURCE/wp-content/plugins/hello.php"
	mkdir -p "$SOURCE/wp-content/themes/twentytwentyfour"
	printf '/*\nTheme Name: Twenty Twenty-Four\n*/\n' >"$SOURCE/wp-content/themes/twentytwentyfour/style.css"
	echo '<?php' >"$SOURCE/wp-content/themes/twentytwentyfour/index.php"
	chmod -R a+rX "$SOURCE"

	populate "$TEMPLATE/wp-content"
	chown -R "$WP_UID:$WP_UID" "$TEMPLATE/wp-content"
}

teardown_file() {
	cleanup_workdir "${TEMPLATE:-}"
}

setup() {
	W=$(new_workdir)
	SHARED=$W/content
	mkdir -p "$W/bin" "$W/pods"
	cat >"$W/bin/docker-entrypoint.sh" <<-'EOF'
		#!/bin/sh
		# Stand-in for the official entrypoint (see the file's header): records its pid,
		# arguments and one variable, then copies WordPress as upstream does.
		rec=$(dirname "$PWD")/stub-called
		echo "$$ $*" >"$rec"
		echo "TRUSTED_PROXY_CIDRS=$TRUSTED_PROXY_CIDRS" >>"$rec"
		case $1 in apache2* | php-fpm) ;; *) exit 0 ;; esac
		if [ ! -e index.php ] && [ ! -e wp-includes/version.php ]; then
			excludes=
			for p in "$WORDPRESS_SOURCE_DIR"/wp-content/*/*/; do
				p=${p%/}
				p=${p#"$WORDPRESS_SOURCE_DIR"/}
				[ -e "$p" ] && excludes="$excludes --exclude=./$p"
			done
			# shellcheck disable=SC2086 # one word per option
			tar -C "$WORDPRESS_SOURCE_DIR" $excludes -cf - . | tar -xf - --no-overwrite-dir
			echo 'copied WordPress' >>"$rec"
		fi
	EOF
	chmod 0755 "$W/bin/docker-entrypoint.sh"
	cp -a "$TEMPLATE/wp-content" "$SHARED"
	snapshot >"$W/before"
}

teardown() {
	local m
	if [ -f "${W:-}/mounts" ]; then
		while read -r m; do umount "$m" 2>/dev/null || umount -l "$m" || true; done <"$W/mounts"
	fi
	cleanup_workdir "${W:-}"
}

# populate DIR: a wp-content as a live site has it (no hello.php, no twentytwentyfour:
# the site removed them long ago).
populate() {
	local c=$1
	mkdir -p "$c/plugins" "$c/themes" "$c/uploads/2024/05" "$c/mu-plugins" "$c/languages/plugins" "$c/upgrade"
	cp -r /usr/share/wordpress/wp-content/plugins/akismet "$c/plugins/"
	echo '<?php // site customisation of akismet' >>"$c/plugins/akismet/akismet.php"
	mkdir -p "$c/plugins/shop/includes"
	printf '<?php\n/* Plugin Name: Shop */\nrequire __DIR__ . "/includes/cart.php";\n' >"$c/plugins/shop/shop.php"
	echo '<?php function shop_cart() {}' >"$c/plugins/shop/includes/cart.php"
	cp -r /usr/share/wordpress/wp-content/themes/twentytwentythree "$c/themes/"
	echo '/* edited by the site */' >>"$c/themes/twentytwentythree/style.css"
	mkdir -p "$c/themes/child"
	printf '/*\nTheme Name: Child\nTemplate: twentytwentythree\n*/\n' >"$c/themes/child/style.css"
	head -c 4096 /dev/urandom >"$c/uploads/2024/05/photo.jpg"
	echo '<?php // the site'"'"'s own must-use plugin' >"$c/mu-plugins/site-rules.php"
	echo 'fr' >"$c/languages/plugins/shop-fr_FR.mo"
	echo '<?php // Silence is golden, edited' >"$c/index.php"
}

# snapshot: checksum, then path, mode and owner of every file under the shared
# wp-content, leaving out our plugins, the page cache's directory and our bookkeeping files.
snapshot() {
	(cd "$SHARED" && find . -type f ! -path "./mu-plugins/wp-k8s-*.php" ! -name '.wp-k8s-*' -exec sha256sum {} + | sort -k2 &&
		find . ! -path "./mu-plugins/wp-k8s-*.php" ! -path ./cache ! -name '.wp-k8s-*' -printf '%p %m %U:%G\n' | sort)
}

# fresh_site: the shared wp-content of a new site, as the kubelet creates the subPath.
fresh_site() {
	rm -rf "$SHARED"
	mkdir "$SHARED"
	chown "$WP_UID:$WP_UID" "$SHARED"
}

# pod NAME: a new pod's docroot (empty, owned by uid 33) with the shared wp-content mounted.
pod() {
	local d=$W/pods/$1/html
	mkdir -p "$d/wp-content"
	chown -R "$WP_UID:$WP_UID" "$W/pods/$1"
	mount --bind "$SHARED" "$d/wp-content"
	echo "$d/wp-content" >>"$W/mounts"
}

# start NAME [NAME=VALUE...]: one container start in pod NAME (created if new), as uid 33
# in its docroot, with the image's command; the stub proves the exec by sharing the
# shell's pid.
start() {
	local name=$1
	shift
	[ -d "$W/pods/$name" ] || pod "$name"
	# shellcheck disable=SC2016 # $$ and $0 belong to the inner sh
	(cd "$W/pods/$name/html" && env -i PATH="$W/bin:/usr/bin:/bin" WORDPRESS_SOURCE_DIR="$SOURCE" \
		APACHE_GRACEFUL_SHUTDOWN_TIMEOUT="$(image_env APACHE_GRACEFUL_SHUTDOWN_TIMEOUT)" "$@" \
		setpriv --reuid="$WP_UID" --regid="$WP_UID" \
		--clear-groups --inh-caps=-all --bounding-set=-all -- \
		sh -c 'echo $$ >"$0"; exec "$1" apache2-foreground -DFOO' "$W/pods/$name/shell-pid" "$IMAGE_DIR/bin/wp-entrypoint")
}

# bundled: the image's wp-content entries, two levels deep, as relative paths.
bundled() {
	(cd "$SOURCE/wp-content" && find . -mindepth 1 -maxdepth 2 | sort)
}

@test "an existing site: every plugin, theme, upload and mu-plugin unchanged, nothing bundled added" {
	run start a
	echo "$output"
	[ "$status" = 0 ]
	[[ "$output" == *"already has content: marking it populated"* ]]
	snapshot >"$W/after"
	diff "$W/before" "$W/after"
	# The only new files are our plugins, byte for byte the image's copies, our markers
	# (populated; the code version, bumped because the plugins changed) and lock, and the
	# page cache's empty directory: hello.php and twentytwentyfour, which this site does
	# not have, stay away.
	local p
	for p in $OURS; do cmp "$IMAGE_DIR/share/wp-k8s/mu-plugins/$p" "$SHARED/mu-plugins/$p"; done
	[ "$(cd "$SHARED" && find . -newer "$W/before" -type f | sort)" = "$(printf '%s\n' ./.wp-k8s-code-version ./.wp-k8s-populate.lock ./.wp-k8s-populated "$OURS_PATHS")" ]
	[ -z "$(ls -A "$SHARED/cache")" ]
	# WordPress loads mu-plugins/*.php only: no stray temporary files.
	[ "$(ls -A "$SHARED/mu-plugins")" = "$(printf '%s\n' site-rules.php "$OURS" | sort)" ]
}

@test "WordPress core goes into the pod's docroot; the official entrypoint then copies nothing" {
	start a
	local d=$W/pods/a/html
	[ -f "$d/index.php" ]
	[ -f "$d/wp-includes/version.php" ]
	[ -f "$d/wp-config-docker.php" ]
	cmp "$SOURCE/wp-includes/version.php" "$d/wp-includes/version.php"
	[ "$(stat -c %u "$d/index.php")" = "$WP_UID" ]
	run grep -c 'copied WordPress' "$W/pods/a/stub-called"
	[ "$output" = 0 ]
}

@test "it execs the official entrypoint with the same arguments (Apache stays PID 1)" {
	start a
	read -r pid args <"$W/pods/a/stub-called"
	[ "$pid" = "$(cat "$W/pods/a/shell-pid")" ]
	[ "$args" = 'apache2-foreground -DFOO' ]
	grep -qx 'TRUSTED_PROXY_CIDRS=10.0.0.0/8' "$W/pods/a/stub-called"
}

@test "an empty TRUSTED_PROXY_CIDRS gets the default; a set one is kept" {
	start a TRUSTED_PROXY_CIDRS=
	grep -qx 'TRUSTED_PROXY_CIDRS=10.0.0.0/8' "$W/pods/a/stub-called"
	start b TRUSTED_PROXY_CIDRS='10.244.0.0/16 10.0.0.0/16'
	grep -qx 'TRUSTED_PROXY_CIDRS=10.244.0.0/16 10.0.0.0/16' "$W/pods/b/stub-called"
}

@test "a restart with the plugin in place writes nothing; a stale copy is replaced" {
	local dest=$SHARED/mu-plugins/$PLUGIN first second
	start a
	first=$(stat -c '%i %Y' "$dest")
	sleep 1
	start b
	second=$(stat -c '%i %Y' "$dest")
	[ "$first" = "$second" ]

	echo '<?php // an older image version' >"$dest"
	start c
	cmp "$IMAGE_DIR/share/wp-k8s/mu-plugins/$PLUGIN" "$dest"
	snapshot >"$W/after"
	diff "$W/before" "$W/after"
}

@test "a new site: four pods starting at once populate wp-content once, completely" {
	fresh_site
	local i pids=() failed=0
	for i in 1 2 3 4; do pod "p$i"; done
	for i in 1 2 3 4; do
		start "p$i" >"$W/p$i.log" 2>&1 &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i" || failed=$((failed + 1)); done
	cat "$W"/p*.log
	[ "$failed" = 0 ]
	# One pod copied; the others waited for it and found the marker.
	[ "$(cat "$W"/p*.log | grep -c 'populating .* (once for this site)')" = 1 ]
	[ -e "$SHARED/.wp-k8s-populated" ]
	[ ! -e "$SHARED/.wp-k8s-populating" ]
	# Everything the image bundles, byte for byte, and nothing half-copied.
	diff -r -x '.wp-k8s-*' -x mu-plugins -x cache "$SOURCE/wp-content" "$SHARED"
	[ -z "$(find "$SHARED" -name '.wp-k8s-tmp.*')" ]
	[ "$(ls -A "$SHARED/mu-plugins")" = "$OURS" ]
	for i in 1 2 3 4; do grep -q 'apache2-foreground' "$W/pods/p$i/stub-called"; done
}

@test "a new site: what an admin deleted stays deleted after restarts" {
	fresh_site
	start a
	[ "$(cd "$SHARED" && find . -mindepth 1 -maxdepth 2 ! -name '.wp-k8s-*' ! -path './mu-plugins*' ! -path ./cache | sort)" = "$(bundled)" ]
	# The admin removes a bundled plugin, Hello Dolly, a theme and a loose file.
	rm -rf "$SHARED/plugins/akismet" "$SHARED/plugins/hello.php" "$SHARED/themes/twentytwentyfour" "$SHARED/index.php"
	snapshot >"$W/before"
	start b
	start c
	snapshot >"$W/after"
	diff "$W/before" "$W/after"
	[ ! -e "$SHARED/plugins/akismet" ]
	[ ! -e "$SHARED/plugins/hello.php" ]
	[ ! -e "$SHARED/themes/twentytwentyfour" ]
	[ ! -e "$SHARED/index.php" ]
}

@test "an interrupted population is completed by the next start" {
	fresh_site
	# A pod died while copying: the marker says so, one plugin is missing and a
	# half-copied theme sits under a temporary name.
	start a
	rm -rf "$SHARED/plugins/akismet" "$SHARED/.wp-k8s-populated"
	as_www_data touch "$SHARED/.wp-k8s-populating"
	as_www_data mkdir "$SHARED/themes/.wp-k8s-tmp.twentytwentyfive.4242"
	run start b
	echo "$output"
	[ "$status" = 0 ]
	[[ "$output" == *"populating"* ]]
	diff -r -x '.wp-k8s-*' -x mu-plugins -x cache "$SOURCE/wp-content" "$SHARED"
	[ -z "$(find "$SHARED" -name '.wp-k8s-tmp.*')" ]
	[ -e "$SHARED/.wp-k8s-populated" ]
	[ ! -e "$SHARED/.wp-k8s-populating" ]
}

@test "a pod that cannot get the lock in time does not start" {
	fresh_site
	pod a
	touch "$SHARED/.wp-k8s-populate.lock"
	chown "$WP_UID:$WP_UID" "$SHARED/.wp-k8s-populate.lock"
	flock "$SHARED/.wp-k8s-populate.lock" sleep 10 &
	echo $! >"$W/holder.bgpid"
	sleep 0.5
	run start a WP_CONTENT_LOCK_WAIT=1
	kill "$(cat "$W/holder.bgpid")" 2>/dev/null || true
	[ "$status" != 0 ]
	[[ "$output" == *"another pod has held"* ]]
	[ ! -e "$W/pods/a/stub-called" ]
	[ ! -e "$SHARED/.wp-k8s-populated" ]
}

@test "other commands (a provisioning Job) touch neither the docroot nor wp-content" {
	pod a
	(cd "$W/pods/a/html" && env -i PATH="$W/bin:/usr/bin:/bin" WORDPRESS_SOURCE_DIR="$SOURCE" "$IMAGE_DIR/bin/wp-entrypoint" wp-db-provision --x)
	[ ! -e "$SHARED/mu-plugins/$PLUGIN" ]
	[ ! -e "$SHARED/.wp-k8s-populated" ]
	[ ! -e "$W/pods/a/html/index.php" ]
	read -r _ args <"$W/pods/a/stub-called"
	[ "$args" = 'wp-db-provision --x' ]
}

@test "an unwritable wp-content: start fails when SMTP is configured, warns otherwise" {
	chown root:root "$SHARED/mu-plugins"
	chmod 0755 "$SHARED/mu-plugins"
	run start a SMTP_HOST=smtp.example.test
	[ "$status" != 0 ]
	[[ "$output" == *"SMTP_HOST is set"* ]]
	[ ! -e "$W/pods/a/stub-called" ]

	run start b
	[ "$status" = 0 ]
	[[ "$output" == *warning* ]]
	[ -e "$W/pods/b/stub-called" ]
}

@test "a graceful-stop time Apache would misread refuses to start" {
	local v
	for v in '' abc 0 12s ' 30'; do
		run start "bad$RANDOM" APACHE_GRACEFUL_SHUTDOWN_TIMEOUT="$v"
		[ "$status" = 1 ]
		[[ "$output" == *"APACHE_GRACEFUL_SHUTDOWN_TIMEOUT is \"$v\": it must be whole seconds greater than 0"* ]]
	done
	[ -z "$(find "$W/pods" -name stub-called)" ]
	run start good APACHE_GRACEFUL_SHUTDOWN_TIMEOUT=130
	[ "$status" = 0 ]
}
