#!/bin/bash
# The NFS tier's test, run as root inside the Debian 12 guest (tests/nfs/run.sh boots it; this
# file is /payload/entry there). Everything it knows about the project comes from the plan's
# output in /payload/facts (see tests/nfs/planfacts): the NFS VM's cloud-init files and command,
# the PersistentVolume's server, path and mountOptions, the sites' subPath, the disk alert.
#
# What differs from the Ubuntu 24.04 VM, and how the difference stays out of setup.sh:
#   - No cloud-init: the test writes the cloud-config's write_files and runs its runcmd itself.
#   - No /dev/disk/azure (Azure's udev rules): DEVICE names the data disk (a knob setup.sh has).
#   - No network: the guest has no package sources, so setup.sh's `apt-get update` fetches
#     nothing and its `apt-get install nfs-kernel-server lsscsi` finds them installed.
#   - Debian's nfs-utils 2.6.2 and kernel 6.1 instead of Ubuntu's 2.6.4 and 6.8: the same nfsd
#     export and port checks, the same systemd units.
#   - One machine: the "node" is a network namespace on a veth pair, with an address in the
#     AKS subnet (the export's client range) and a route to the server's planned address.
# Results go to the second serial port, one "ok NAME", "not ok NAME" or "# NOTE" a line.
set -u
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
facts=/payload/facts
results=/dev/ttyS1
data=/dev/disk/by-id/virtio-wpdata
parted=/dev/disk/by-id/virtio-wpparted
work=/run/wp-tier
mkdir -p "$work"
t0=$SECONDS

say() { printf '%s\n' "$*" >>"$results"; printf 'wp-tier: %s\n' "$*"; }
fact() { cat "$facts/$1"; }
pass() { say "ok $1"; }
fail() {
	say "not ok $1"
	if [ -s "$work/out" ]; then
		tail -n 15 "$work/out" | sed 's/^/#   /' >>"$results"
	fi
}
# check NAME CMD...: CMD's output goes to $work/out, shown when it fails.
check() {
	name=$1
	shift
	if "$@" >"$work/out" 2>&1; then pass "$name"; else fail "$name"; fi
}
# expect_fail NAME CMD...: passes when CMD fails.
expect_fail() {
	name=$1
	shift
	if "$@" >"$work/out" 2>&1; then fail "$name"; else pass "$name"; fi
}
note() { say "# $*"; }
section() { note "$* (at $((SECONDS - t0)) s)"; }

# The settings the program generated (written from the cloud-config below).
settings=/etc/default/wp-nfs
uid=$(fact pod-uid)
as_web() { setpriv --reuid="$uid" --regid="$uid" --clear-groups "$@"; }
as_other() { setpriv --reuid=1000 --regid=1000 --clear-groups "$@"; }
# The web uid leaves markers here (lock held, writer progress).
chown "$uid" "$work"

# --- 1. The NFS VM's first boot, as cloud-init runs it ------------------------------------
section "guest up"
while read -r path mode; do
	install -D -m "$mode" "$facts/files$path" "$path"
done <"$facts/files.list"
# shellcheck disable=SC1090 # the program's settings
. "$settings"
read -r -a runcmd <"$facts/runcmd"
note "setup: ${runcmd[*]} with DEVICE=$data; settings: $(tr '\n' ' ' <"$settings")"
setup() { DEVICE=$1 "${runcmd[@]}"; }

started=$SECONDS
check "setup.sh runs on a blank disk as cloud-init runs it" setup "$data"
note "setup.sh took $((SECONDS - started)) s"
fs_type() { blkid -p -o value -s "${2:-TYPE}" "$1"; }
is_ext4() { [ "$(fs_type "$data")" = ext4 ]; }
check "the blank disk now holds ext4" is_ext4
fstab_ok() {
	lines=$(awk -v mp="$MOUNTPOINT" '$2 == mp' /etc/fstab)
	echo "$lines"
	[ "$(printf '%s\n' "$lines" | grep -c .)" = 1 ] &&
		printf '%s\n' "$lines" | grep -q "^UUID=$(fs_type "$data" UUID) .*nofail"
}
check "fstab mounts the disk by UUID at $MOUNTPOINT, nofail" fstab_ok
mounted_at() { [ "$(findmnt -n -o SOURCE --mountpoint "$1")" = "$(readlink -f "$data")" ]; }
check "the data disk is mounted at $MOUNTPOINT" mounted_at "$MOUNTPOINT"
check "nfs-server is active and enabled" sh -c 'systemctl is-active nfs-server && systemctl is-enabled nfs-server'
exported_with() {
	[ -n "$1" ] || {
		echo "the settings name no EXPORT_OPTIONS"
		return 1
	}
	line=$(exportfs -v | tr -d ' \t\n' | grep -o "$EXPORT_DIR$CLIENT_CIDR([^)]*)") || return 1
	echo "$line"
	for o in $(echo "$1" | tr , ' '); do
		case ",${line#*(}" in *",$o,"* | *",$o)"*) ;; *)
			echo "missing $o"
			return 1
			;;
		esac
	done
}
check "nfsd exports $EXPORT_DIR to $CLIENT_CIDR with the program's options" exported_with "${EXPORT_OPTIONS:-}"
check "nfsd serves NFSv4.1 and 4.2 only" sh -c 'cat /proc/fs/nfsd/versions; grep -q -- "-3 +4 -4.0 +4.1 +4.2" /proc/fs/nfsd/versions'

# --- 2. A second run changes nothing --------------------------------------------------------
section "second run"
state() {
	cat /etc/fstab "$EXPORTS_FILE_REAL" /etc/nfs.conf.d/wordpress.conf
	blkid -p -o value -s UUID "$data"
	stat -c '%u:%g %a' "$EXPORT_DIR"
}
EXPORTS_FILE_REAL=/etc/exports.d/wordpress.exports
state >"$work/state1"
echo kept >"$EXPORT_DIR/.kept"
check "setup.sh runs again" setup "$data"
state >"$work/state2"
check "a second run changes neither fstab, exports, nfs.conf nor the file system" diff "$work/state1" "$work/state2"
check "a second run keeps the files on the disk" grep -qx kept "$EXPORT_DIR/.kept"
rm -f "$EXPORT_DIR/.kept"

# --- 3. A partitioned disk is refused --------------------------------------------------------
section "partitioned disk"
expect_fail "setup.sh refuses a partitioned disk" setup "$parted"
cp "$work/out" "$work/refusal"
check "it says why" grep -q "refusing to touch it" "$work/refusal"
untouched() { [ -n "$(fs_type "$parted" PTTYPE)" ] && [ -z "$(fs_type "$parted")" ]; }
check "the partitioned disk is untouched" untouched
state >"$work/state3"
check "the refusal changes nothing of the server" diff "$work/state1" "$work/state3"

# --- 4. The node: a network namespace in the AKS subnet --------------------------------------
section "mount"
server=$(fact nfs-server)
path=$(fact nfs-path)
options=$(fact mount-options)
site=$(fact subpath)
IFS=./ read -r a b c d prefix <<<"$CLIENT_CIDR"
node_ip=$a.$b.$c.$((d + 4))
ip netns add node
ip link add wp-srv type veth peer name wp-node netns node
ip addr add "$server/32" dev wp-srv
ip link set wp-srv up
ip route add "$CLIENT_CIDR" dev wp-srv
ip -n node link set lo up
ip -n node addr add "$node_ip/$prefix" dev wp-node
ip -n node link set wp-node up
ip -n node route add "$server/32" dev wp-node
note "node $node_ip/$prefix mounts $server:$path with $options (from the PersistentVolume)"

# The kubelet mounts the volume under its pod directory with the PersistentVolume's options.
mnt=/var/lib/kubelet/pods/tier/volumes/kubernetes.io~nfs/wp-content
mkdir -p "$mnt"
node_mount() { timeout 180 nsenter --net=/run/netns/node mount -t nfs -o "$options" "$server:$path" "$mnt"; }
check "the node mounts the export with the PersistentVolume's mountOptions" node_mount
mounted_with() {
	line=$(awk -v m="$mnt" '$2 == m {print $4}' /proc/mounts)
	echo "$line"
	for o in vers=4.1 hard noresvport timeo=600 retrans=2 noatime; do
		case ",$line," in *",$o,"*) ;; *) return 1 ;; esac
	done
}
check "the kernel mounted it with vers=4.1, hard, noresvport" mounted_with
client_port() { ip netns exec node ss -tnH state established "dst $server:2049" | awk '{split($3, a, ":"); print a[2]}' | head -1; }
port=$(client_port)
note "the node's NFS connection comes from port ${port:-none}"
check "the node connects from a port >= 1024 (noresvport), which the export must accept" test "${port:-0}" -ge 1024

# --- 5. The kubelet's subPath, then WordPress's own file operations --------------------------
section "file operations"
check "the kubelet creates the site's subPath as root with the volume root's mode" \
	sh -c "mkdir -m \$(stat -c %a $mnt) $mnt/$site"
dir=$mnt/$site
srv=$EXPORT_DIR/$site
owner_is() { [ "$(stat -c %u:%g "$2")" = "$1" ] || { stat -c '%n %u:%g' "$2"; return 1; }; }
both_owned() { owner_is "$EXPORT_UID:$EXPORT_GID" "$dir/$1" && owner_is "$EXPORT_UID:$EXPORT_GID" "$srv/$1"; }
check "the subPath is owned by $EXPORT_UID:$EXPORT_GID (root squashed), on the node and on the disk" both_owned .
check "uid $uid creates and writes a file" as_web sh -c "printf 'hello wp-content\n' >$dir/a.txt"
check "uid $uid reads it back" as_web sh -c "[ \"\$(cat $dir/a.txt)\" = 'hello wp-content' ]"
check "uid $uid creates a directory (a plugin's)" as_web mkdir -p "$dir/plugins/p1"
check "uid $uid renames a file" as_web sh -c "mv $dir/a.txt $dir/plugins/p1/b.txt && [ ! -e $dir/a.txt ] && [ -e $srv/plugins/p1/b.txt ]"
check "numeric owners are $EXPORT_UID:$EXPORT_GID on the node and on the disk" both_owned plugins/p1/b.txt
check "uid $uid takes a lock (flock)" as_web flock -n "$dir/.lock" true
# The holder keeps the lock until told to let go.
as_web flock "$dir/.lock" sh -c "touch $work/held; while [ ! -e $work/release ]; do sleep 0.1; done" &
holder=$!
i=0
while [ ! -e "$work/held" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
expect_fail "a second lock on the same file is refused while the first is held" as_web flock -n "$dir/.lock" true
touch "$work/release"
wait "$holder"
check "the lock is free again once its holder is gone" as_web flock -w 30 "$dir/.lock" true
check "uid $uid deletes a file" as_web sh -c "rm $dir/plugins/p1/b.txt && [ ! -e $srv/plugins/p1/b.txt ]"
other_writes() { as_other sh -c "echo x >$dir/other.txt" && both_owned other.txt; }
check "another uid (1000) writes as $EXPORT_UID:$EXPORT_GID (all_squash)" other_writes
root_writes() { echo x >"$dir/root.txt" && both_owned root.txt; }
check "root on the node writes as $EXPORT_UID:$EXPORT_GID" root_writes
expect_fail "root on the node cannot give a file away (chown)" chown 1000:1000 "$dir/root.txt"

# --- 5b. What the pages rely on (issue 9) ------------------------------------------------------
# User pods poll one marker file and copy the code when it changes (images/wordpress/bin/
# wp-code-sync, run here as it is). The change is written elsewhere (here: on the server's disk,
# which the node's caches cannot tell from another node) by a rename; the node, whose attribute
# cache (actimeo=30) holds the old file, must read the new token at once: NFSv4's OPEN by name
# and close-to-open give that. Then what the mount options buy: repeated checks for a missing
# file (WordPress's drop-ins and language files, the page cache's lookup) cost one LOOKUP with
# the PersistentVolume's options, one each with lookupcache=positive (the old option, a control
# mount beside it); and the price: a file created elsewhere after the node found it missing is
# seen there within the 30 s attribute timeout.
section "code marker and lookup cache"
sync=/payload/wp-code-sync
code=$work/code
mkdir -p "$code" && chown "$uid" "$code"
sync_as() { as_web env WP_CODE_SOURCE="$dir" WP_CODE_DIR="$code" WP_CODE_RESET_URL='' "$sync" "$@"; }
as_web mkdir -p "$dir/plugins/probe" "$dir/uploads"
as_web sh -c "echo v1 >$dir/plugins/probe/probe.php"
check "wp-code-sync bumps the marker on the share (as the admin side does)" sync_as bump
check "wp-code-sync copies the code from the NFS mount (first copy)" sync_as --once
copied_is() { [ "$(cat "$code/current/plugins/probe/probe.php")" = "$1" ] && [ "$(readlink "$code/current/uploads")" = "$dir/uploads" ]; }
check "the copy has the plugin; uploads lead to the share" copied_is v1
token_before=$(cat "$dir/.wp-k8s-code-version")
# A change and a bump made on another machine (the server's disk), by rename.
echo v2 >"$srv/plugins/probe/probe.php"
printf 'elsewhere-%s\n' "$RANDOM" >"$srv/.wp-k8s-code-version.tmp" && chown "$EXPORT_UID:$EXPORT_GID" "$srv/.wp-k8s-code-version.tmp"
mv -f "$srv/.wp-k8s-code-version.tmp" "$srv/.wp-k8s-code-version"
fresh_token() { t=$(cat "$dir/.wp-k8s-code-version") && [ "$t" != "$token_before" ] && [ "$t" = "$(cat "$srv/.wp-k8s-code-version")" ]; }
check "the node reads a marker replaced elsewhere at once, despite actimeo=30 (close-to-open)" fresh_token
check "wp-code-sync sees the change and swaps in a copy with it" sync_as --once
check "the new copy has the changed plugin" copied_is v2

# mountstats: the LOOKUP count of the mount at $1.
lookups() { awk -v m="$1" '$1 == "device" { on = ($5 == m) } on && $1 == "LOOKUP:" { print $2; exit }' /proc/self/mountstats; }
# misses MNT: 100 checks for one missing file, as WordPress makes them; prints the LOOKUPs.
misses() {
	before=$(lookups "$1")
	for _ in $(seq 100); do test -e "$1/$site/wp-content-no-such-drop-in.php"; done
	echo $(($(lookups "$1") - before))
}
default_lookups=$(misses "$mnt")
note "100 checks for a missing file with the PersistentVolume's options: $default_lookups LOOKUP round trips"
check "with the PersistentVolume's options a repeated miss is answered by the node's cache (<= 2 LOOKUPs for 100 checks)" test "$default_lookups" -le 2
mnt2=$work/positive
mkdir -p "$mnt2"
if timeout 180 nsenter --net=/run/netns/node mount -t nfs -o "$options,lookupcache=positive,nosharecache" "$server:$path" "$mnt2"; then
	positive_lookups=$(misses "$mnt2")
	note "the same with lookupcache=positive (the option dropped): $positive_lookups LOOKUP round trips"
	check "control: with lookupcache=positive every miss is a round trip (>= 90 LOOKUPs for 100 checks)" test "$positive_lookups" -ge 90
	umount "$mnt2"
else
	fail "control: the node mounts the export a second time with lookupcache=positive"
fi
# The price: the node looked for a page that did not exist; it is created elsewhere.
test -e "$dir/uploads/late.html" || true
echo page >"$srv/uploads/late.html"
seen=''
for i in $(seq 0 40); do
	if test -e "$dir/uploads/late.html"; then seen=$i && break; fi
	sleep 1
done
note "a file created elsewhere after the node found it missing was seen there after ${seen:-more than 40} s"
check "a file the node found missing is seen within the 30 s attribute timeout once created elsewhere" test -n "$seen" -a "${seen:-99}" -le 31

# What a page-cache hit and a marker poll cost in round trips on this client, replayed as the
# syscalls Apache and wp-code-sync make (make measure counts them: a hit is one stat for the
# rewrite's -f, stats on the way, one open), once a second with 0.5 ms added to every round
# trip (netem on the node's side). Numbers only: TCG makes the times slow, the RPC counts are
# the kernel's own.
rpcs() { awk -v m="$1" '$1 == "device" { on = ($5 == m) } on && $1 ~ /^[A-Z_0-9]+:$/ && $2 ~ /^[0-9]+$/ { n += $2 } END { print n + 0 }' /proc/self/mountstats; }
page=$dir/cache/wp-k8s-page/blog.example/measured-post/index-https.html
as_web mkdir -p "${page%/*}" && as_web sh -c "echo '<html>page</html>' >$page"
if ip netns exec node tc qdisc add dev wp-node root netem delay 0.5ms 2>"$work/out"; then
	netem='0.5 ms netem'
else
	netem='no netem (module missing)'
fi
replay() {
	n=0
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		sleep 1
		before=$(rpcs "$mnt")
		"$@"
		n=$((n + $(rpcs "$mnt") - before))
	done
	echo "$n"
}
hit_view() { test -f "$page" && test -d "${page%/*}" && cat "$page" >/dev/null; }
poll() { cat "$dir/.wp-k8s-code-version" >/dev/null; }
hit_view
note "page-cache hit, replayed 10 times 1 s apart ($netem): $(replay hit_view) NFS RPCs in all"
note "code marker poll, 10 times 1 s apart ($netem): $(replay poll) NFS RPCs in all"
ip netns exec node tc qdisc del dev wp-node root 2>/dev/null || true
# A purge elsewhere (the page cache's directory renamed away on another pod, here the server's
# disk): how long this node still finds the old page by its cached names.
mv "$srv/cache/wp-k8s-page" "$srv/cache/.purged-elsewhere"
gone=''
for i in $(seq 0 40); do
	if ! test -f "$page"; then gone=$i && break; fi
	sleep 1
done
note "after a purge elsewhere this node stopped finding the old page after ${gone:-more than 40} s"
check "a purge elsewhere reaches this node within the 30 s attribute timeout" test -n "$gone" -a "${gone:-99}" -le 31


# --- make measure (tests/nfs/run.sh --measure): WordPress over this mount --------------------
# measure-fs-ops.sh runs here as on the host, once with the share in the site's directory on
# the node's mount (every round trip 0.5 ms longer: netem on the node's side), once with the
# share on the guest's own disk; both tables go to the results. Apache and MariaDB run in the
# guest's root network namespace; only the NFS client's connection is the node's, so only NFS
# traffic crosses the delayed link. Both runs share the guest's CPU, which TCG makes slow: the
# comparison is between them, the operation counts are the kernel's.
if [ -d /payload/measure ]; then
	section "measure"
	m=/payload/measure
	read -r -a measure_args <"$m/args" || true
	mapfile -t measure_env <"$m/env"
	measure_run() {
		env "${measure_env[@]}" WP_SOURCE="$m/wordpress" LABEL="a $(nproc)-vCPU qemu guest (Linux $(uname -r))" "$@" \
			bash "$m/repo/tests/image/measure-fs-ops.sh" "${measure_args[@]}"
	}
	if ip netns exec node tc qdisc add dev wp-node root netem delay 0.5ms 2>"$work/out"; then
		note "NFS round trips 0.5 ms longer (netem on the node's side)"
	else
		fail "netem adds 0.5 ms to the node's NFS round trips"
	fi
	if measure_run SHARE_DIR="$dir/measure-share" >"$work/measure-nfs" 2>&1; then
		pass "make measure: WordPress with wp-content over NFS"
	else
		fail "make measure: WordPress with wp-content over NFS"
	fi
	sed 's/^/# /' "$work/measure-nfs" >>"$results"
	ip netns exec node tc qdisc del dev wp-node root 2>/dev/null || true
	if measure_run >"$work/measure-local" 2>&1; then
		pass "make measure: WordPress with wp-content on the guest's disk"
	else
		fail "make measure: WordPress with wp-content on the guest's disk"
	fi
	sed 's/^/# /' "$work/measure-local" >>"$results"
	umount "$mnt"
	section "end"
	say "done"
	exit 0
fi
# --- 6. The server goes away under a writer (hard mount) -------------------------------------
# The writer opens, appends one numbered line and closes (close-to-open: each line reaches the
# server before the next), and logs when each line was done. The server stops for 10 s (a VM
# restart, shorter), then starts: the writer must wait, then carry on, and lose nothing.
section "server restart under a writer"
down_for=10
writer() {
	n=0
	while [ ! -e "$work/stop" ]; do
		n=$((n + 1))
		printf 'line %d\n' "$n" >>"$dir/uploads.log" || exit 1
		printf '%d %s\n' "$n" "$(date +%s.%N)" >>"$work/writer.times"
	done
}
rm -f "$work/stop" "$work/writer.times"
as_web bash -c "$(declare -f writer); work=$work dir=$dir; writer" &
writer_pid=$!
lines() { wc -l <"$work/writer.times" 2>/dev/null || echo 0; }
# wait_lines N TICKS: until the writer has written N lines, has stopped, or TICKS half-seconds passed.
wait_lines() {
	i=0
	while [ "$(lines)" -lt "$1" ] && [ $i -lt "$2" ] && kill -0 "$writer_pid" 2>/dev/null; do
		sleep 0.5
		i=$((i + 1))
	done
}
wait_lines 20 240
before=$(lines)
restart_started=$(date +%s.%N)
systemctl stop nfs-server
sleep "$down_for"
systemctl start nfs-server
restart_done=$(date +%s.%N)
wait_lines $(($(lines) + 20)) 480
after=$(lines)
touch "$work/stop"
wait "$writer_pid"
writer_status=$?
total=$(lines)
note "writer: $before lines before the restart, $after when checked after it, $total in all"
# The stall: the longest wait between two lines once the server began to stop.
stall=$(awk -v s="$restart_started" 'NR > 1 && $2 > s && $2 - prev > gap {gap = $2 - prev} {prev = $2} END {printf "%.1f", gap}' "$work/writer.times")
typical=$(awk 'NR > 1 {print $2 - prev} {prev = $2}' "$work/writer.times" | sort -n | awk '{v[NR] = $1} END {printf "%.2f", v[int((NR + 1) / 2)]}')
note "nfs-server stop, ${down_for} s down, start: $(awk -v a="$restart_started" -v b="$restart_done" 'BEGIN {printf "%.1f", b - a}') s; the writer's longest wait was $stall s (a write takes $typical s as a rule)"
check "the writer never saw an error (hard mount)" test "$writer_status" = 0
stalled() { awk -v s="$stall" -v d="$down_for" 'BEGIN {exit !(s >= d)}'; }
check "the writer stalled while the server was down (at least ${down_for} s)" stalled
check "the writer resumed after the restart" test "$after" -ge $((before + 20))
check "no write was lost: the file holds lines 1..$total in order (on the disk)" \
	sh -c "seq 1 $total | sed 's/^/line /' | cmp - $srv/uploads.log"
sync
echo 3 >/proc/sys/vm/drop_caches
check "and read back through the mount" sh -c "seq 1 $total | sed 's/^/line /' | cmp - $dir/uploads.log"

# --- 7. The disk fills up ---------------------------------------------------------------------
section "disk full"
(cd "$srv" && find . -type f -print0 | sort -z | xargs -0 sha256sum) >"$work/sums"
fill_out=$(as_web dd if=/dev/zero of="$dir/fill" bs=1M conv=fsync 2>&1)
fill_status=$?
echo "$fill_out" >"$work/out"
if [ "$fill_status" != 0 ] && echo "$fill_out" | grep -q "No space left on device"; then
	pass "filling the disk through the mount fails with ENOSPC"
else
	fail "filling the disk through the mount fails with ENOSPC"
fi
expect_fail "a new small write fails too" as_web dd if=/dev/zero of="$dir/more" bs=4k count=1 conv=fsync
sync
echo 3 >/proc/sys/vm/drop_caches
check "files written before are intact (on the disk)" sh -c "cd $srv && sha256sum -c --quiet $work/sums"
check "and through the mount" sh -c "cd $dir && sha256sum -c --quiet $work/sums"
# The alert reads the Azure Monitor agent's "Logical Disk" "% Used Space" for the instance its
# query names; the agent takes it from the mounted file system's statvfs, as df does.
instance=$(fact alert-instance)
threshold=$(fact alert-threshold)
check "the alert's counter instance ($instance) is the data disk's mount point" \
	mounted_at "$instance"
used_pct() { stat -f -c '%b %f %a' "$1" | awk '{used = $1 - $2; printf "%d", used * 100 / (used + $3)}'; }
pct=$(used_pct "$instance")
note "statvfs($instance): $pct% used; the alert fires above $threshold%"
check "statvfs of $instance reports more than the alert's $threshold%" test "$pct" -gt "$threshold"
rm -f "$dir/fill" "$dir/more"
check "after a delete, writes work again" as_web dd if=/dev/zero of="$dir/more" bs=4k count=1 conv=fsync
rm -f "$dir/more"

# --- 8. Negative control: the option pair the first version shipped ---------------------------
# The same script and settings, with the export's insecure taken out: the node's mount (with
# noresvport) must be refused, and the server must say why (nfsd says it only with its "fh"
# debug flag on).
section "negative control"
rpcdebug -m nfsd -s fh >/dev/null
umount "$mnt"
sed "s/^EXPORT_OPTIONS=.*/EXPORT_OPTIONS=$(echo "${EXPORT_OPTIONS:-}" | tr , '\n' | grep -vx insecure | paste -sd, -)/" \
	"$settings" >"$work/old-settings"
note "old export options: $(grep ^EXPORT_OPTIONS= "$work/old-settings")"
refusals() { dmesg | grep -c "request from insecure port"; }
refused_before=$(refusals)
check "setup.sh writes the old export" env WP_NFS_ENV="$work/old-settings" DEVICE="$data" "${runcmd[@]}"
expect_fail "negative control: the old pair (export without insecure, noresvport mount) is refused" node_mount
cp "$work/out" "$work/refused"
check "negative control: mount.nfs says why (permission)" grep -Eq "Operation not permitted|access denied" "$work/refused"
check "negative control: the server logs 'request from insecure port'" test "$(refusals)" -gt "$refused_before"
mountpoint -q "$mnt" && umount "$mnt"
rpcdebug -m nfsd -c fh >/dev/null
check "setup.sh restores the program's export" setup "$data"
check "and the node mounts again" node_mount
check "with the site's files in place" sh -c "seq 1 $total | sed 's/^/line /' | cmp - $dir/uploads.log"
umount "$mnt"

section "end"
say "done"
