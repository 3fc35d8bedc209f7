#!/usr/bin/env bash
# Runs every image test (tests/image/*.bats) on real Apache, PHP and MariaDB from
# Debian's packages, prints a summary and exits non-zero on any failure.
# Run tests/image/install-deps.sh first (as root); the tests need root to start
# MariaDB and to drop Apache to uid 33.
set -euo pipefail

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)

if [ "$(id -u)" != 0 ]; then
	echo "run.sh: run as root (tests start MariaDB and run Apache as uid 33)" >&2
	exit 2
fi
for tool in bats apache2 mariadbd php shellcheck hey curl openssl python3 setpriv; do
	command -v "$tool" >/dev/null || {
		echo "run.sh: $tool is missing; run tests/image/install-deps.sh" >&2
		exit 2
	}
done
# stall.bats mounts a FUSE file system with Debian's python3-fuse (the system Python, not
# whichever python3 comes first in PATH).
if ! /usr/bin/python3 -c 'import fuse' 2>/dev/null || [ ! -c /dev/fuse ]; then
	echo "run.sh: python3-fuse or /dev/fuse is missing; run tests/image/install-deps.sh" >&2
	exit 2
fi

log=$(mktemp "${TMPDIR:-/tmp}/image-tests.XXXXXX")
trap 'rm -f "$log"' EXIT
started=$SECONDS
status=0
# Each file starts its own servers on free ports; the whole run takes a few minutes.
timeout 540 bats --tap --timing "$here"/*.bats | tee "$log" || status=$?

passed=$(grep -c '^ok ' "$log" || true)
failed=$(grep -c '^not ok ' "$log" || true)
echo
echo "image tests: $passed passed, $failed failed, $((SECONDS - started)) s"
if [ "$failed" != 0 ]; then
	grep '^not ok ' "$log"
fi
if [ "$status" != 0 ] || [ "$failed" != 0 ] || [ "$passed" = 0 ]; then
	[ "$status" != 124 ] || echo "image tests: timed out" >&2
	exit 1
fi
