#!/usr/bin/env bash
# make measure: the numbers issue 9 asks for, in two parts. First, on this machine's own disk at
# its own speed, tests/image/measure-fs-ops.sh: the file-system syscalls one page view makes on
# the share and the page times, per scenario. Then the same script in the NFS tier's qemu guest
# (tests/nfs/run.sh --measure): over a real NFS mount with the PersistentVolume's options and
# 0.5 ms added to every round trip, beside the same on the guest's disk, with the kernel's own
# NFS RPC counts. Both on WordPress 6.8 (tests/image/wordpress-6.8.sh). Needs root; --quick
# skips the scenarios that wait out opcache's 60 s revalidation (on the host; MEASURE_ARGS=--quick
# does the same in the guest).
set -euo pipefail
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
cache=${WPAKS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wordpress-aks}
"$here/image/install-deps.sh" >/dev/null
wp=$("$here/image/wordpress-6.8.sh" "$cache/wordpress-6.8")
echo "== on this machine's disk"
WP_SOURCE=$wp "$here/image/measure-fs-ops.sh" "$@"
echo
echo "== in the NFS tier's guest: over NFS, and on its disk"
"$here/nfs/run.sh" --measure
