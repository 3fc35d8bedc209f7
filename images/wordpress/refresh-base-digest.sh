#!/bin/sh
# refresh-base-digest.sh [TAG]: pins the Dockerfile's base image to the digest that its
# tag (or TAG, e.g. wordpress:6.8.3-php8.3-apache) points at now, rewriting the one
# `ARG WORDPRESS_IMAGE=` line to TAG@sha256:DIGEST.
#
# Run it where a registry is reachable. It asks, in order: crane, docker buildx
# imagetools, then Docker Hub's registry API with curl (a HEAD request, which Docker
# Hub does not count against pull limits). It never writes a digest it did not get
# from one of them, and leaves the Dockerfile untouched on any failure.
set -eu

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
dockerfile=${DOCKERFILE:-$here/Dockerfile}
# Overridable for tests against a local fake registry.
registry=${DOCKERHUB_REGISTRY:-https://registry-1.docker.io}
auth=${DOCKERHUB_AUTH:-https://auth.docker.io/token}

die() {
	echo "refresh-base-digest: $*" >&2
	exit 1
}

count=$(grep -c '^ARG WORDPRESS_IMAGE=' "$dockerfile" || true)
[ "$count" = 1 ] || die "$dockerfile must have exactly one 'ARG WORDPRESS_IMAGE=' line (found $count)"
current=$(sed -n 's/^ARG WORDPRESS_IMAGE=//p' "$dockerfile")

tag=${1:-${current%%@*}}
case $tag in
*@*) die "give a tag, not a digest: $tag" ;;
*:*) ;;
*) die "the tag must name a version, e.g. wordpress:6.8.3-php8.3-apache: $tag" ;;
esac

from_crane() {
	command -v crane >/dev/null 2>&1 || return 1
	crane digest "$tag"
}

from_buildx() {
	command -v docker >/dev/null 2>&1 || return 1
	docker buildx imagetools inspect --format '{{.Manifest.Digest}}' "$tag"
}

# Docker Hub only: NAME:TAG or OWNER/NAME:TAG, official images living under library/.
from_hub() {
	command -v curl >/dev/null 2>&1 || return 1
	name=${tag%:*}
	version=${tag##*:}
	case $name in
	*.*/* | *:*/* | localhost/*) return 1 ;;
	*/*) repo=$name ;;
	*) repo=library/$name ;;
	esac
	token=$(curl -fsS "$auth?service=registry.docker.io&scope=repository:$repo:pull" |
		sed -n 's/.*"token"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p') || return 1
	[ -n "$token" ] || return 1
	curl -fsSI \
		-H "Authorization: Bearer $token" \
		-H 'Accept: application/vnd.oci.image.index.v1+json' \
		-H 'Accept: application/vnd.docker.distribution.manifest.list.v2+json' \
		-H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
		-H 'Accept: application/vnd.oci.image.manifest.v1+json' \
		"$registry/v2/$repo/manifests/$version" |
		tr -d '\r' | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest:[[:space:]]*//p'
}

digest=''
for source in crane buildx hub; do
	if out=$("from_$source" 2>/dev/null) && [ -n "$out" ]; then
		digest=$(printf '%s\n' "$out" | head -n 1)
		break
	fi
done

[ -n "$digest" ] || die "no registry answered for $tag (tried crane, docker buildx, Docker Hub over curl); Dockerfile unchanged"
printf '%s\n' "$digest" | grep -Eqx 'sha256:[0-9a-f]{64}' || die "unexpected digest from $source: $digest; Dockerfile unchanged"

tmp=$dockerfile.tmp.$$
trap 'rm -f "$tmp"' EXIT
sed "s|^ARG WORDPRESS_IMAGE=.*|ARG WORDPRESS_IMAGE=$tag@$digest|" "$dockerfile" >"$tmp"
mv "$tmp" "$dockerfile"
echo "refresh-base-digest: $tag@$digest (from $source)"
