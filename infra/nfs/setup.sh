#!/bin/sh
# wp-nfs-setup: turns a fresh Ubuntu VM into the NFS server for wp-content. cloud-init runs it on
# first boot; it is safe to run again at any time (and after a restore): it never formats a disk
# that already holds a file system or a partition table, and it rewrites its own config files
# whole instead of appending to them.
set -eu

# Settings come from /etc/default/wp-nfs, which cloud-init writes; the defaults below are for
# tests, which also point the paths into a scratch directory.
if [ -r "${WP_NFS_ENV:-/etc/default/wp-nfs}" ]; then
	# shellcheck disable=SC1090
	. "${WP_NFS_ENV:-/etc/default/wp-nfs}"
fi
: "${CLIENT_CIDR:?CLIENT_CIDR must name the AKS node subnet}"
# The export's options come from the program (infra/nfs.go, nfsExportOptions), which derives the
# nodes' mount options from the same place: they must agree, or the nodes' mounts are refused.
: "${EXPORT_OPTIONS:?EXPORT_OPTIONS must list the export options (the program writes them)}"
: "${EXPORT_UID:=33}"
: "${EXPORT_GID:=33}"
: "${MOUNTPOINT:=/srv/nfs}"
: "${EXPORT_DIR:=$MOUNTPOINT/wordpress}"
: "${FSTAB:=/etc/fstab}"
: "${EXPORTS_FILE:=/etc/exports.d/wordpress.exports}"
: "${NFS_CONF_FILE:=/etc/nfs.conf.d/wordpress.conf}"
: "${DEVICE_WAIT_SECONDS:=300}"
# SKIP_SYSTEM=1 leaves out package installs, mounts and services (tests run as a plain process).
: "${SKIP_SYSTEM:=0}"

log() { printf 'wp-nfs-setup: %s\n' "$*" >&2; }

# find_device waits for the data disk on LUN 0. Azure's udev rules name it under
# /dev/disk/azure: scsi1/lun0 (walinuxagent) or data/by-lun/0 (azure-vm-utils).
find_device() {
	if [ -n "${DEVICE:-}" ]; then
		printf '%s\n' "$DEVICE"
		return 0
	fi
	waited=0
	while [ "$waited" -lt "$DEVICE_WAIT_SECONDS" ]; do
		for candidate in /dev/disk/azure/data/by-lun/0 /dev/disk/azure/scsi1/lun0; do
			if [ -e "$candidate" ]; then
				readlink -f "$candidate"
				return 0
			fi
		done
		sleep 5
		waited=$((waited + 5))
	done
	log "no data disk on LUN 0 after ${DEVICE_WAIT_SECONDS}s"
	return 1
}

# ensure_filesystem formats the disk only when blkid finds nothing on it at all. A partition
# table counts as something: a disk restored from elsewhere is never wiped to make it fit.
ensure_filesystem() {
	dev=$1
	fstype=$(blkid -p -o value -s TYPE "$dev" 2>/dev/null || true)
	pttype=$(blkid -p -o value -s PTTYPE "$dev" 2>/dev/null || true)
	if [ -n "$pttype" ]; then
		log "$dev holds a $pttype partition table; refusing to touch it (mount it by hand)"
		return 1
	fi
	if [ -z "$fstype" ]; then
		log "$dev is blank: creating an ext4 file system"
		mkfs.ext4 -q -F -L wpcontent -m 0 "$dev"
		return 0
	fi
	if [ "$fstype" != ext4 ]; then
		log "$dev holds $fstype; using it as it is"
	fi
}

# ensure_fstab keeps exactly one line for the disk, by UUID so a device rename cannot mount the
# wrong disk; nofail lets the VM boot (and be reached) with the disk missing.
ensure_fstab() {
	dev=$1
	uuid=$(blkid -p -o value -s UUID "$dev")
	fstype=$(blkid -p -o value -s TYPE "$dev")
	line="UUID=$uuid $MOUNTPOINT $fstype defaults,nofail,noatime 0 2"
	tmp="$FSTAB.wp-nfs.$$"
	touch "$FSTAB"
	awk -v mp="$MOUNTPOINT" '$2 != mp' "$FSTAB" >"$tmp"
	printf '%s\n' "$line" >>"$tmp"
	mv "$tmp" "$FSTAB"
}

write_exports() {
	mkdir -p "$(dirname "$EXPORTS_FILE")" "$(dirname "$NFS_CONF_FILE")"
	printf '%s %s(%s)\n' "$EXPORT_DIR" "$CLIENT_CIDR" "$EXPORT_OPTIONS" >"$EXPORTS_FILE"
	# NFSv4.1 and later only: one TCP port (2049, the only one the NSG opens), sessions that
	# survive a server restart, no rpcbind or mountd traffic.
	cat >"$NFS_CONF_FILE" <<CONF
[nfsd]
vers3=n
vers4.0=n
vers4.1=y
vers4.2=y
threads=16
CONF
}

main() {
	if [ "$SKIP_SYSTEM" != 1 ]; then
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -q
		# lsscsi: Azure Backup's enhanced policy finds the disks to snapshot with it.
		apt-get install -y -q nfs-kernel-server lsscsi
	fi
	dev=$(find_device)
	ensure_filesystem "$dev"
	ensure_fstab "$dev"
	mkdir -p "$MOUNTPOINT"
	if [ "$SKIP_SYSTEM" != 1 ] && ! mountpoint -q "$MOUNTPOINT"; then
		mount "$MOUNTPOINT"
	fi
	# One export for all sites: each site's pods mount their own sub-directory (created on first
	# use), so adding a site changes nothing on this VM.
	mkdir -p "$EXPORT_DIR"
	if [ "$SKIP_SYSTEM" != 1 ]; then
		chown "$EXPORT_UID:$EXPORT_GID" "$EXPORT_DIR"
	fi
	chmod 0775 "$EXPORT_DIR"
	write_exports
	if [ "$SKIP_SYSTEM" != 1 ]; then
		systemctl enable nfs-server
		systemctl restart nfs-server
		exportfs -ra
	fi
	log "exporting $EXPORT_DIR to $CLIENT_CIDR"
}

main "$@"
