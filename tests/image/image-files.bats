#!/usr/bin/env bats
# What can be checked about the Dockerfile without a Docker engine: classic-builder
# syntax (ACR Tasks), the one pinnable ARG line, every COPY source present, non-root
# user and port; and refresh-base-digest.sh against fake registry clients.

load lib/common

DOCKERFILE=$IMAGE_DIR/Dockerfile

setup() {
	W=$(new_workdir)
}

teardown() {
	cleanup_workdir "${W:-}"
}

@test "Dockerfile: classic docker build syntax only (no heredocs, no RUN --mount, no syntax directive)" {
	run grep -nE '<<|--mount|^# *syntax=|--chmod|--link|--parents' "$DOCKERFILE"
	[ "$status" = 1 ]
}

@test "Dockerfile: one ARG WORDPRESS_IMAGE line with an exact wordpress Apache/PHP 8.3 tag, used by FROM" {
	[ "$(grep -c '^ARG WORDPRESS_IMAGE=' "$DOCKERFILE")" = 1 ]
	grep -Eq '^ARG WORDPRESS_IMAGE=wordpress:[0-9]+\.[0-9]+(\.[0-9]+)?-php8\.3-apache(@sha256:[0-9a-f]{64})?$' "$DOCKERFILE"
	[ "$(grep -m1 -E '^(FROM|ARG)' "$DOCKERFILE")" = "$(grep '^ARG WORDPRESS_IMAGE=' "$DOCKERFILE")" ]
	# shellcheck disable=SC2016 # a literal ${...}, as written in the Dockerfile
	grep -qx 'FROM ${WORDPRESS_IMAGE}' "$DOCKERFILE"
}

@test "Dockerfile: every COPY source exists and the build context holds no tests" {
	local srcs src
	srcs=$(sed -n 's/^COPY \(.*\) [^ ]*$/\1/p' "$DOCKERFILE")
	[ -n "$srcs" ]
	for src in $srcs; do
		[ -e "$IMAGE_DIR/$src" ] || { echo "missing COPY source: $src" >&2 && return 1; }
	done
	[ ! -e "$IMAGE_DIR/tests" ]
	grep -qx '\*' "$IMAGE_DIR/.dockerignore"
}

@test "Dockerfile: runs as 33:33 on 8080 through our wrapper; installs our ini where PHP reads it" {
	grep -qx 'USER 33:33' "$DOCKERFILE"
	grep -qx 'EXPOSE 8080' "$DOCKERFILE"
	grep -qx 'ENTRYPOINT \["wp-entrypoint"\]' "$DOCKERFILE"
	grep -qx 'CMD \["apache2-foreground"\]' "$DOCKERFILE"
	grep -q 'COPY php/zz-wp-k8s.ini /usr/local/etc/php/conf.d/zz-wp-k8s.ini' "$DOCKERFILE"
	# Our scripts find their shared files at ../share/wp-k8s from /usr/local/bin.
	grep -q 'COPY share/wp-k8s/ /usr/local/share/wp-k8s/' "$DOCKERFILE"
	grep -qE '^COPY bin/.* /usr/local/bin/$' "$DOCKERFILE"
}

# fake_tool NAME SCRIPT: a command in $W/bin that runs SCRIPT.
fake_tool() {
	mkdir -p "$W/bin"
	printf '#!/bin/sh\n%s\n' "$2" >"$W/bin/$1"
	chmod 0755 "$W/bin/$1"
}

DIGEST=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef

@test "refresh-base-digest.sh pins the tag to the digest crane reports" {
	cp "$DOCKERFILE" "$W/Dockerfile"
	fake_tool crane "[ \"\$1 \$2\" = 'digest wordpress:6.8.3-php8.3-apache' ] && echo $DIGEST"
	run env PATH="$W/bin:/usr/bin:/bin" DOCKERFILE="$W/Dockerfile" \
		"$IMAGE_DIR/refresh-base-digest.sh" wordpress:6.8.3-php8.3-apache
	echo "$output"
	[ "$status" = 0 ]
	grep -qx "ARG WORDPRESS_IMAGE=wordpress:6.8.3-php8.3-apache@$DIGEST" "$W/Dockerfile"
	# Nothing else changed.
	[ "$(diff "$DOCKERFILE" "$W/Dockerfile" | grep -c '^[<>]')" = 2 ]
	# Refreshing again replaces the old digest instead of stacking a second one.
	run env PATH="$W/bin:/usr/bin:/bin" DOCKERFILE="$W/Dockerfile" "$IMAGE_DIR/refresh-base-digest.sh"
	[ "$status" = 0 ]
	grep -qx "ARG WORDPRESS_IMAGE=wordpress:6.8.3-php8.3-apache@$DIGEST" "$W/Dockerfile"
}

@test "refresh-base-digest.sh asks Docker Hub's registry API when no client tool exists" {
	local port
	cp "$DOCKERFILE" "$W/Dockerfile"
	port=$(free_port)
	python3 - "$port" "$DIGEST" >"$W/registry.out" 2>&1 <<-'EOF' &
		import http.server, sys
		port, digest = int(sys.argv[1]), sys.argv[2]
		class H(http.server.BaseHTTPRequestHandler):
		    def do_GET(self):
		        ok = self.path.startswith("/token?") and "scope=repository:library/wordpress:pull" in self.path
		        self.send_response(200 if ok else 404)
		        self.end_headers()
		        self.wfile.write(b'{"token": "t0k", "expires_in": 300}' if ok else b"")
		    def do_HEAD(self):
		        ok = (self.path == "/v2/library/wordpress/manifests/6.8.3-php8.3-apache"
		              and self.headers.get("Authorization") == "Bearer t0k"
		              and "application/vnd.oci.image.index.v1+json" in ",".join(self.headers.get_all("Accept")))
		        self.send_response(200 if ok else 401)
		        if ok:
		            self.send_header("Docker-Content-Digest", digest)
		        self.end_headers()
		    def log_message(self, *a):
		        pass
		srv = http.server.HTTPServer(("127.0.0.1", port), H)
		print("ready", flush=True)
		srv.serve_forever()
	EOF
	echo $! >"$W/registry.bgpid"
	wait_for 20 grep -q ready "$W/registry.out"
	mkdir -p "$W/bin"
	run env PATH="$W/bin:/usr/bin:/bin" DOCKERFILE="$W/Dockerfile" \
		DOCKERHUB_REGISTRY="http://127.0.0.1:$port" DOCKERHUB_AUTH="http://127.0.0.1:$port/token" \
		"$IMAGE_DIR/refresh-base-digest.sh" wordpress:6.8.3-php8.3-apache
	echo "$output"
	[ "$status" = 0 ]
	[[ "$output" == *"(from hub)"* ]]
	grep -qx "ARG WORDPRESS_IMAGE=wordpress:6.8.3-php8.3-apache@$DIGEST" "$W/Dockerfile"
}

@test "refresh-base-digest.sh leaves the Dockerfile alone when no registry answers or the answer is not a digest" {
	cp "$DOCKERFILE" "$W/Dockerfile"
	mkdir -p "$W/bin"
	run env PATH="$W/bin:/usr/bin:/bin" DOCKERFILE="$W/Dockerfile" \
		DOCKERHUB_REGISTRY=http://127.0.0.1:9 DOCKERHUB_AUTH=http://127.0.0.1:9/token \
		"$IMAGE_DIR/refresh-base-digest.sh"
	[ "$status" = 1 ]
	[[ "$output" == *"Dockerfile unchanged"* ]]
	cmp "$DOCKERFILE" "$W/Dockerfile"

	fake_tool crane 'echo sha256:not-a-digest'
	run env PATH="$W/bin:/usr/bin:/bin" DOCKERFILE="$W/Dockerfile" "$IMAGE_DIR/refresh-base-digest.sh"
	[ "$status" = 1 ]
	cmp "$DOCKERFILE" "$W/Dockerfile"

	run env PATH="$W/bin:/usr/bin:/bin" DOCKERFILE="$W/Dockerfile" "$IMAGE_DIR/refresh-base-digest.sh" "wordpress@$DIGEST"
	[ "$status" = 1 ]
	cmp "$DOCKERFILE" "$W/Dockerfile"
}

# scratch_apache: a copy of Debian's /etc/apache2 in $W/apache2 with our wp-k8s.conf
# enabled the way a2enconf does it (a symlink in conf-enabled), as in the image.
scratch_apache() {
	cp -a /etc/apache2 "$W/apache2"
	cp "$IMAGE_DIR/apache/wp-k8s.conf" "$W/apache2/conf-available/wp-k8s.conf"
	ln -s ../conf-available/wp-k8s.conf "$W/apache2/conf-enabled/wp-k8s.conf"
	# The upstream image's file: every private range and loopback may set X-Forwarded-For.
	printf 'RemoteIPHeader X-Forwarded-For\nRemoteIPTrustedProxy 10.0.0.0/8\nRemoteIPTrustedProxy 127.0.0.0/8\n' \
		>"$W/apache2/conf-available/remoteip.conf"
}

@test "wp-check-proxy-trust passes Debian's configuration and ours" {
	run "$IMAGE_DIR/bin/wp-check-proxy-trust" /etc/apache2
	[ "$status" = 0 ]
	scratch_apache
	run "$IMAGE_DIR/bin/wp-check-proxy-trust" "$W/apache2"
	echo "$output"
	[ "$status" = 0 ]
	# A directive that is only mentioned in a comment trusts nobody.
	echo '# RemoteIPTrustedProxy 10.0.0.0/8 was here' >"$W/apache2/conf-available/note.conf"
	ln -s ../conf-available/note.conf "$W/apache2/conf-enabled/note.conf"
	run "$IMAGE_DIR/bin/wp-check-proxy-trust" "$W/apache2"
	[ "$status" = 0 ]
}

@test "wp-check-proxy-trust fails when an enabled (symlinked) file trusts a proxy; grep -r would not" {
	scratch_apache
	ln -s ../conf-available/remoteip.conf "$W/apache2/conf-enabled/remoteip.conf"
	run "$IMAGE_DIR/bin/wp-check-proxy-trust" "$W/apache2"
	echo "$output"
	[ "$status" = 1 ]
	[[ "$output" == *"$W/apache2/conf-enabled/remoteip.conf"* ]]
	# Listed files are indented; ours is never among them.
	run grep -c '^  .*wp-k8s\.conf$' <<<"$output"
	[ "$output" = 0 ]
	# The check the Dockerfile had: -r does not follow the symlinks it meets, so it saw nothing.
	run grep -rl 'RemoteIP\(Internal\|Trusted\)Proxy' "$W/apache2/conf-enabled/"
	[ "$status" = 1 ]
	# Disabled again (a2disconf removes the link): the build passes.
	rm "$W/apache2/conf-enabled/remoteip.conf"
	run "$IMAGE_DIR/bin/wp-check-proxy-trust" "$W/apache2"
	[ "$status" = 0 ]
}

@test "wp-check-proxy-trust fails for a site, a module's conf or apache2.conf, in any letter case" {
	scratch_apache
	printf '<VirtualHost *:8080>\n    remoteipinternalproxy 172.16.0.0/12\n</VirtualHost>\n' \
		>"$W/apache2/sites-available/proxied.conf"
	ln -s ../sites-available/proxied.conf "$W/apache2/sites-enabled/proxied.conf"
	run "$IMAGE_DIR/bin/wp-check-proxy-trust" "$W/apache2"
	[ "$status" = 1 ]
	[[ "$output" == *"sites-enabled/proxied.conf"* ]]
	rm "$W/apache2/sites-enabled/proxied.conf"

	echo 'RemoteIPTrustedProxyList /etc/apache2/proxies.txt' >"$W/apache2/mods-available/remoteip.conf"
	ln -s ../mods-available/remoteip.conf "$W/apache2/mods-enabled/remoteip.conf"
	run "$IMAGE_DIR/bin/wp-check-proxy-trust" "$W/apache2"
	[ "$status" = 1 ]
	[[ "$output" == *"mods-enabled/remoteip.conf"* ]]
	rm "$W/apache2/mods-enabled/remoteip.conf"

	echo '	RemoteIPInternalProxy 192.168.0.0/16' >>"$W/apache2/apache2.conf"
	run "$IMAGE_DIR/bin/wp-check-proxy-trust" "$W/apache2"
	[ "$status" = 1 ]
	[[ "$output" == *"$W/apache2/apache2.conf"* ]]
}

@test "wp-check-proxy-trust: no apache2.conf is a usage error; the Dockerfile runs it" {
	run "$IMAGE_DIR/bin/wp-check-proxy-trust" "$W"
	[ "$status" = 2 ]
	grep -q 'COPY bin/wp-check-proxy-trust /usr/local/bin/wp-check-proxy-trust' "$DOCKERFILE"
	grep -qE '^[[:space:]]*sh /usr/local/bin/wp-check-proxy-trust /etc/apache2; \\$' "$DOCKERFILE"
	# Nothing else in the Dockerfile still greps for proxies on its own.
	run grep -n 'grep -r' "$DOCKERFILE"
	[ "$status" = 1 ]
}
