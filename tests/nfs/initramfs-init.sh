#!/bin/busybox sh
# shellcheck shell=dash
# /init of the NFS tier's initramfs: Debian's cloud kernel has virtio as modules, so this loads
# them (in the order modules.dep gives, listed in /modules/order), finds the root disk by the
# serial number qemu gives it, and hands over to systemd on it.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

while read -r module; do
	insmod "/modules/$module" || echo "initramfs: insmod $module failed"
done </modules/order

root=''
tries=0
while [ -z "$root" ] && [ "$tries" -lt 100 ]; do
	for serial in /sys/block/vd*/serial; do
		[ -r "$serial" ] || continue
		if [ "$(cat "$serial")" = wproot ]; then
			root=/dev/$(basename "$(dirname "$serial")")
		fi
	done
	[ -n "$root" ] || sleep 0.1
	tries=$((tries + 1))
done
if [ -z "$root" ]; then
	echo "initramfs: no disk with serial wproot"
	echo o >/proc/sysrq-trigger
fi

mkdir -p /newroot
mount -t ext4 -o rw "$root" /newroot || {
	echo "initramfs: cannot mount $root"
	echo o >/proc/sysrq-trigger
}
umount /proc /sys
mount --move /dev /newroot/dev 2>/dev/null || umount /dev
exec switch_root /newroot /sbin/init
