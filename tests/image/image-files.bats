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
