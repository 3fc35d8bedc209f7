#!/usr/bin/env bats
# The start-up wrapper (bin/wp-entrypoint) against a populated, shared wp-content:
# plugins, themes, uploads and the site's own mu-plugins survive every start, our SMTP
# mu-plugin is installed atomically and only when its content differs, and the
# official docker-entrypoint.sh is exec'd with the same arguments.
#
# The official entrypoint itself is not in Debian; a stub stands in for it and records
# how it was called. That upstream no longer overwrites wp-content/*/* folders is
# upstream's behaviour (see FACTS.md), not something this test can run.

load lib/common

PLUGIN=wp-k8s-smtp.php

setup_file() {
	TEMPLATE=$(new_workdir)
	export TEMPLATE
	populate "$TEMPLATE/wp-content"
	chown -R "$WP_UID:$WP_UID" "$TEMPLATE"
}

teardown_file() {
	cleanup_workdir "${TEMPLATE:-}"
}

setup() {
	W=$(new_workdir)
	DOC=$W/html
	REC=$W/rec
	mkdir -p "$W/bin" "$DOC" "$REC"
	chown "$WP_UID:$WP_UID" "$REC"
	cat >"$W/bin/docker-entrypoint.sh" <<-EOF
		#!/bin/sh
		# Stand-in for the official entrypoint: records pid, arguments and one variable.
		echo "\$\$ \$*" >"$REC/stub-called"
		echo "TRUSTED_PROXY_CIDRS=\$TRUSTED_PROXY_CIDRS" >>"$REC/stub-called"
	EOF
	chmod 0755 "$W/bin/docker-entrypoint.sh"
	cp -a "$TEMPLATE/wp-content" "$DOC/"
	chown "$WP_UID:$WP_UID" "$DOC"
	snapshot >"$W/before"
}

teardown() {
	cleanup_workdir "${W:-}"
}

# populate DIR: a wp-content as a live site has it.
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

# snapshot: checksum, then path, mode and owner of every file under wp-content.
snapshot() {
	(cd "$DOC/wp-content" && find . -type f ! -path "./mu-plugins/$PLUGIN" -exec sha256sum {} + | sort -k2 &&
		find . ! -path "./mu-plugins/$PLUGIN" -printf '%p %m %U:%G\n' | sort)
}

# start [NAME=VALUE...]: one container start, as uid 33 in the docroot, with the
# image's command; the stub proves the exec by sharing the shell's pid.
start() {
	# shellcheck disable=SC2016 # $$ and $0 belong to the inner sh
	(cd "$DOC" && env -i PATH="$W/bin:/usr/bin:/bin" "$@" setpriv --reuid="$WP_UID" --regid="$WP_UID" \
		--clear-groups --inh-caps=-all --bounding-set=-all -- \
		sh -c 'echo $$ >"$0"; exec "$1" apache2-foreground -DFOO' "$REC/shell-pid" "$IMAGE_DIR/bin/wp-entrypoint")
}

@test "a start keeps every existing plugin, theme, upload and mu-plugin unchanged" {
	run start
	[ "$status" = 0 ]
	snapshot >"$W/after"
	diff "$W/before" "$W/after"
	# The only new file is our plugin, byte for byte the image's copy.
	cmp "$IMAGE_DIR/share/wp-k8s/mu-plugins/$PLUGIN" "$DOC/wp-content/mu-plugins/$PLUGIN"
	[ "$(find "$DOC/wp-content" -newer "$W/before" -type f)" = "$DOC/wp-content/mu-plugins/$PLUGIN" ]
	# WordPress loads mu-plugins/*.php only: no stray temporary files.
	[ "$(ls -A "$DOC/wp-content/mu-plugins")" = "$(printf '%s\n' site-rules.php "$PLUGIN")" ]
}

@test "it execs the official entrypoint with the same arguments (Apache stays PID 1)" {
	start
	read -r pid args <"$REC/stub-called"
	[ "$pid" = "$(cat "$REC/shell-pid")" ]
	[ "$args" = 'apache2-foreground -DFOO' ]
	grep -qx 'TRUSTED_PROXY_CIDRS=10.0.0.0/8' "$REC/stub-called"
}

@test "an empty TRUSTED_PROXY_CIDRS gets the default; a set one is kept" {
	start TRUSTED_PROXY_CIDRS=
	grep -qx 'TRUSTED_PROXY_CIDRS=10.0.0.0/8' "$REC/stub-called"
	start TRUSTED_PROXY_CIDRS='10.244.0.0/16 10.0.0.0/16'
	grep -qx 'TRUSTED_PROXY_CIDRS=10.244.0.0/16 10.0.0.0/16' "$REC/stub-called"
}

@test "a restart with the plugin in place writes nothing; a stale copy is replaced" {
	local dest=$DOC/wp-content/mu-plugins/$PLUGIN first second
	start
	first=$(stat -c '%i %Y' "$dest")
	sleep 1
	start
	second=$(stat -c '%i %Y' "$dest")
	[ "$first" = "$second" ]

	echo '<?php // an older image version' >"$dest"
	start
	cmp "$IMAGE_DIR/share/wp-k8s/mu-plugins/$PLUGIN" "$dest"
	snapshot >"$W/after"
	diff "$W/before" "$W/after"
}

@test "ten pods starting at once leave one complete plugin and no temporary files" {
	local i pids=() failed=0
	for i in 1 2 3 4 5 6 7 8 9 10; do
		start &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i" || failed=$((failed + 1)); done
	[ "$failed" = 0 ]
	cmp "$IMAGE_DIR/share/wp-k8s/mu-plugins/$PLUGIN" "$DOC/wp-content/mu-plugins/$PLUGIN"
	[ "$(ls -A "$DOC/wp-content/mu-plugins")" = "$(printf '%s\n' site-rules.php "$PLUGIN")" ]
	snapshot >"$W/after"
	diff "$W/before" "$W/after"
}

@test "other commands (a provisioning Job) do not touch wp-content" {
	(cd "$DOC" && env -i PATH="$W/bin:/usr/bin:/bin" "$IMAGE_DIR/bin/wp-entrypoint" wp-db-provision --x)
	[ ! -e "$DOC/wp-content/mu-plugins/$PLUGIN" ]
	read -r _ args <"$REC/stub-called"
	[ "$args" = 'wp-db-provision --x' ]
}

@test "an unwritable wp-content: start fails when SMTP is configured, warns otherwise" {
	chown root:root "$DOC/wp-content/mu-plugins"
	chmod 0755 "$DOC/wp-content/mu-plugins"
	run start SMTP_HOST=smtp.example.test
	[ "$status" != 0 ]
	[[ "$output" == *"SMTP_HOST is set"* ]]
	[ ! -e "$REC/stub-called" ]

	run start
	[ "$status" = 0 ]
	[[ "$output" == *warning* ]]
	[ -e "$REC/stub-called" ]
}
