#!/usr/bin/env bash
# Builds the NFS tier's guest into DIR (argument): a Debian 12 minbase root file system image
# (rootfs.img, the packages in guest-packages, and in the optional second argument's list too), Debian's cloud kernel (vmlinuz, its modules in
# the image) and a busybox initramfs that loads virtio and starts systemd on the root disk.
# Booted with systemd.unit=wp-tier.target, the unit wp-tier.service mounts the disk with serial "wppayload" read-only at
# /payload, runs /payload/entry and powers the guest off: the image holds no test, so a change
# to a test needs no rebuild. Needs root (debootstrap) and the network (the Debian mirror).
set -euo pipefail

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
dir=${1:?usage: guest-image.sh DIR [EXTRA-PACKAGES-FILE]}
extra=${2:-}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=bookworm

work=$(mktemp -d "${TMPDIR:-/tmp}/wp-nfs-guest.XXXXXX")
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs

packages=$(cat "$here/guest-packages" ${extra:+"$extra"} | grep -v '^#' | grep -v '^$' | paste -sd, -)
echo "guest-image: debootstrap $suite ($packages)"
debootstrap --variant=minbase --include="$packages" "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || {
	tail -20 "$work/debootstrap.log" >&2
	exit 1
}

# The kernel: Debian's cloud flavour (NFSD, NFSv4.1 and virtio are modules there), unpacked
# rather than installed, so no initramfs-tools run in the image.
kpkg=$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-/ {print $2; exit}')
[ -n "$kpkg" ] || {
	echo "guest-image: apt-cache knows no linux-image-cloud-amd64 (apt-get update?)" >&2
	exit 1
}
echo "guest-image: kernel $kpkg"
(cd "$work" && apt-get download -q "$kpkg" >/dev/null 2>&1)
dpkg-deb -x "$work/$kpkg"_*.deb "$work/kernel"
kver=${kpkg#linux-image-}
mkdir -p "$rootfs/lib/modules"
cp -a "$work/kernel/lib/modules/$kver" "$rootfs/lib/modules/"
chroot "$rootfs" depmod "$kver"

# Offline in the guest: no package sources, so infra/nfs/setup.sh's `apt-get update` has
# nothing to fetch and its `apt-get install` finds everything installed.
rm -f "$rootfs/etc/apt/sources.list"
rm -rf "$rootfs/etc/apt/sources.list.d"/* "$rootfs/var/lib/apt/lists"/*
echo wp-nfs-guest >"$rootfs/etc/hostname"
: >"$rootfs/etc/fstab"
# The guest boots wp-tier.target (basic.target and the payload), not multi-user.target: no
# gettys, no scrubbers, no timers. Under TCG on a busy host a module as large as nfsd can take
# longer to load than systemd's default 90 s start timeout; the test decides what is too slow.
for unit in apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer fstrim.timer \
	e2scrub_reap.service; do
	ln -sf /dev/null "$rootfs/etc/systemd/system/$unit"
done
mkdir -p "$rootfs/etc/systemd/system.conf.d"
printf '[Manager]\nDefaultTimeoutStartSec=600\n' >"$rootfs/etc/systemd/system.conf.d/wp-tier.conf"

cat >"$rootfs/usr/local/sbin/wp-tier-boot" <<'BOOT'
#!/bin/sh
# Runs the test payload (disk serial wppayload), then powers off whatever happened.
i=0
while [ ! -e /dev/disk/by-id/virtio-wppayload ] && [ "$i" -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
mkdir -p /payload
if mount -o ro /dev/disk/by-id/virtio-wppayload /payload; then
	/payload/entry
else
	echo "wp-tier-boot: no payload disk" >/dev/ttyS1
fi
sync
# Let the serial ports drain before the power goes.
sleep 1
echo o >/proc/sysrq-trigger
BOOT
chmod 0755 "$rootfs/usr/local/sbin/wp-tier-boot"
cat >"$rootfs/etc/systemd/system/wp-tier.service" <<'UNIT'
[Unit]
Description=Run the test payload, then power off
After=basic.target

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/wp-tier-boot
StandardOutput=tty
StandardError=tty
TTYPath=/dev/ttyS0
UNIT
cat >"$rootfs/etc/systemd/system/wp-tier.target" <<'UNIT'
[Unit]
Description=The test payload on a basic system
Requires=basic.target
Wants=wp-tier.service
After=basic.target
UNIT

# The initramfs: busybox, the virtio modules in dependency order, and /init.
initramfs=$work/initramfs
mkdir -p "$initramfs/bin" "$initramfs/modules" "$initramfs/proc" "$initramfs/sys" "$initramfs/dev"
cp /bin/busybox "$initramfs/bin/busybox"
cp "$here/initramfs-init.sh" "$initramfs/init"
chmod 0755 "$initramfs/init"
chroot "$rootfs" modprobe -S "$kver" --show-depends -a virtio_pci virtio_blk |
	awk '$1 == "insmod" {print $2}' | awk '!seen[$0]++' >"$work/modules"
while read -r path; do
	cp "$rootfs$path" "$initramfs/modules/"
	basename "$path" >>"$initramfs/modules/order"
done <"$work/modules"
(cd "$initramfs" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initramfs.cpio.gz"

truncate -s 2G "$work/rootfs.img"
mkfs.ext4 -q -L wp-root -d "$rootfs" "$work/rootfs.img"

mkdir -p "$dir"
cp "$work/kernel/boot/vmlinuz-$kver" "$dir/vmlinuz"
mv "$work/initramfs.cpio.gz" "$dir/initramfs.cpio.gz"
cp --sparse=always "$work/rootfs.img" "$dir/rootfs.img"
echo "$kver" >"$dir/kernel-version"
echo "guest-image: built in $dir"
