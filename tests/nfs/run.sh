#!/usr/bin/env bash
# The NFS tier: infra/nfs/setup.sh and the PersistentVolume's mount on a real Linux kernel.
# It boots a Debian 12 guest under qemu (KVM when the host's serves it, else TCG) whose only
# inputs are the project's own files and the offline plan's output (tests/nfs/planfacts), and
# whose test (tests/nfs/guest-test.sh) runs the NFS VM's cloud-init command on a blank disk,
# mounts the export from a "node" with the PersistentVolume's mountOptions, works on files as
# the pods do, restarts the server under a writer, fills the disk, and shows that the option
# pair the first version shipped is refused. Prints "N passed, N failed"; needs root (debootstrap,
# apt-get). The guest image is cached in $WPAKS_CACHE/nfs (see the README's Tests section).
#
# With --measure (`make measure`) the guest also has Apache, PHP and MariaDB, and after the mount
# checks it runs tests/image/measure-fs-ops.sh twice on WordPress 6.8: with the share on the
# node's NFS mount (0.5 ms added to every round trip) and with the share on the guest's disk,
# and prints both tables; the later sections are skipped. Its image is cached apart, in
# $WPAKS_CACHE/nfs-measure.
set -euo pipefail

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
measure=0
[ "${1:-}" != --measure ] || measure=1
cache=${WPAKS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wordpress-aks}/nfs
extra_packages=''
guest_memory=1024
# The whole guest run; under TCG on two busy cores it takes a few minutes.
guest_timeout=${NFS_TIER_TIMEOUT:-1800}
if [ "$measure" = 1 ]; then
	cache=$cache-measure
	extra_packages=$here/guest-packages-measure
	guest_memory=2048
	guest_timeout=${NFS_TIER_TIMEOUT:-5400}
fi
stack=${NFS_TIER_STACK:-dev}

if [ "$(id -u)" != 0 ]; then
	echo "nfs tier: run as root (debootstrap, apt-get)" >&2
	exit 2
fi
started=$SECONDS

# --- Host packages ----------------------------------------------------------------------------
# qemu-system-x86: the guest; debootstrap: its root file system; busybox-static, cpio: its
# initramfs; e2fsprogs: disk images; fdisk: the partitioned disk the setup must refuse.
packages="qemu-system-x86 debootstrap busybox-static e2fsprogs cpio fdisk"
missing=''
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "nfs tier: installing$missing"
	apt-get update -qq
	# shellcheck disable=SC2086 # one word per package
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
export PATH=$PATH:/usr/sbin:/sbin

# --- The guest image, cached by the hash of what builds it -----------------------------------
key=$(cat "$here/guest-image.sh" "$here/guest-packages" ${extra_packages:+"$extra_packages"} "$here/initramfs-init.sh" | sha256sum | cut -c1-16)
guest=$cache/guest-$key
if [ ! -e "$guest/ok" ]; then
	built=$SECONDS
	rm -rf "$cache"/guest-*
	mkdir -p "$cache"
	[ -n "$(apt-cache depends linux-image-cloud-amd64 2>/dev/null)" ] || apt-get update -qq
	"$here/guest-image.sh" "$guest.tmp" ${extra_packages:+"$extra_packages"}
	mv "$guest.tmp" "$guest"
	touch "$guest/ok"
	echo "nfs tier: guest image built in $((SECONDS - built)) s"
fi

# --- Everything else lives in a scratch directory, removed at exit ---------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/wp-nfs-tier.XXXXXX")
qemu_pid=''
cleanup() {
	if [ -n "$qemu_pid" ]; then
		kill "$qemu_pid" 2>/dev/null || true
		wait "$qemu_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The plan's output: what the guest knows about the project.
echo "nfs tier: offline plan of stack $stack"
(cd "$root" && go run ./cmd/plan -stack "$stack" -quiet -out "$work/plan.json" -manifests "$work/manifests" >/dev/null)
mkdir -p "$work/payload/facts"
(cd "$root" && go run ./tests/nfs/planfacts -plan "$work/plan.json" -manifests "$work/manifests" -out "$work/payload/facts")
install -m 0755 "$here/guest-test.sh" "$work/payload/entry"
# The user pods' code copier, run in the guest against the real mount.
install -m 0755 "$root/images/wordpress/bin/wp-code-sync" "$work/payload/wp-code-sync"
payload_size=32M
if [ "$measure" = 1 ]; then
	# The measurement: its script and helpers and the image's files at their places in the
	# repository, and WordPress 6.8 with every link resolved (the guest has none of its targets).
	mkdir -p "$work/payload/measure/repo/tests" "$work/payload/measure/repo/images"
	cp -a "$root/tests/image" "$root/tests/lib" "$work/payload/measure/repo/tests/"
	cp -a "$root/images/wordpress" "$work/payload/measure/repo/images/"
	# WordPress 6.8's links lead to Debian 12 packages (getid3, underscore, ...) that the
	# image tier's install-deps.sh installs on this machine; they are copied in resolved.
	"$root/tests/image/install-deps.sh" >/dev/null
	wp=$("$root/tests/image/wordpress-6.8.sh" "${cache%/nfs-measure}/wordpress-6.8")
	mkdir -p "$work/payload/measure/wordpress"
	tar -C "$wp" -chf - . | tar -C "$work/payload/measure/wordpress" -xf -
	echo "${MEASURE_ARGS:-}" >"$work/payload/measure/args"
	# The measurement's own knobs, as they are set here.
	for v in TIMED PLUGINS; do
		[ -z "${!v:-}" ] || echo "$v=${!v}"
	done >"$work/payload/measure/env"
	payload_size=512M
fi
truncate -s "$payload_size" "$work/payload.img"
mkfs.ext4 -q -d "$work/payload" "$work/payload.img"

# A blank data disk, small enough to fill quickly, and a disk with a partition table.
truncate -s 128M "$work/data.img"
truncate -s 16M "$work/parted.img"
echo 'type=83' | sfdisk -q "$work/parted.img" >/dev/null

# boot ACCEL...: runs the guest in the background; qemu_pid is its PID.
boot() {
	: >"$work/console.log"
	: >"$work/results.log"
	qemu-system-x86_64 "$@" -smp 2 -machine q35 -m "$guest_memory" -nographic -no-reboot -monitor none -nic none \
		-serial "file:$work/console.log" -serial "file:$work/results.log" \
		-kernel "$guest/vmlinuz" -initrd "$guest/initramfs.cpio.gz" \
		-append "console=ttyS0 panic=-1 systemd.unit=wp-tier.target" \
		-drive "file=$guest/rootfs.img,format=raw,if=none,id=root,snapshot=on" -device virtio-blk-pci,drive=root,serial=wproot \
		-drive "file=$work/payload.img,format=raw,if=none,id=payload,readonly=on" -device virtio-blk-pci,drive=payload,serial=wppayload \
		-drive "file=$work/data.img,format=raw,if=none,id=data" -device virtio-blk-pci,drive=data,serial=wpdata \
		-drive "file=$work/parted.img,format=raw,if=none,id=parted" -device virtio-blk-pci,drive=parted,serial=wpparted \
		>"$work/qemu.log" 2>&1 &
	qemu_pid=$!
}

# KVM first: on some hosts /dev/kvm serves only the host's own kind of guest, and a stock
# kernel hangs before its first message; then TCG.
accel=tcg
if [ -w /dev/kvm ]; then
	boot -accel kvm -cpu max
	for _ in $(seq 40); do
		grep -q "Linux version" "$work/console.log" && accel=kvm && break
		kill -0 "$qemu_pid" 2>/dev/null || break
		sleep 0.5
	done
	if [ "$accel" != kvm ]; then
		kill "$qemu_pid" 2>/dev/null || true
		wait "$qemu_pid" 2>/dev/null || true
		qemu_pid=''
		echo "nfs tier: KVM did not boot the guest here (see above); using TCG"
	fi
fi
if [ "$accel" = tcg ]; then
	boot -accel tcg,thread=multi -cpu max
fi
echo "nfs tier: guest booting ($accel)"
booted=$SECONDS
while kill -0 "$qemu_pid" 2>/dev/null && [ $((SECONDS - booted)) -lt "$guest_timeout" ]; do
	sleep 1
done
timed_out=0
if kill -0 "$qemu_pid" 2>/dev/null; then
	timed_out=1
	kill "$qemu_pid" 2>/dev/null || true
fi
wait "$qemu_pid" 2>/dev/null || true
qemu_pid=''

tr -d '\r' <"$work/results.log" >"$work/results"
cat "$work/results"
passed=$(grep -c '^ok ' "$work/results" || true)
failed=$(grep -c '^not ok ' "$work/results" || true)
if ! grep -qx 'done' "$work/results"; then
	failed=$((failed + 1))
	if [ "$timed_out" = 1 ]; then
		echo "not ok the guest finished within ${guest_timeout} s"
	else
		echo "not ok the guest ran the test to its end"
	fi
	echo "# last lines of the guest's console:"
	tr -d '\r' <"$work/console.log" | tail -n 40 | sed 's/^/#   /'
	sed 's/^/# qemu: /' "$work/qemu.log"
fi
echo
echo "nfs tier ($accel): $passed passed, $failed failed, $((SECONDS - started)) s (guest $((SECONDS - booted)) s)"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
