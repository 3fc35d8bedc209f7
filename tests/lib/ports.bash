# shellcheck shell=bash
# tests/lib/ports.bash: free_port, for every tier that starts servers on loopback (sourced by
# tests/image/lib/common.bash and tests/apiserver/cluster.sh).

# free_port prints a loopback TCP port nothing listens on (a refused connect proves it; pure
# bash, since starting processes is slow on some CI machines). It picks below the kernel's
# ephemeral range: any outgoing connection (curl, a MariaDB client, the API server's own) may
# hold a port in that range, and a server binding it then fails with "Address already in use"
# (seen once in CI, an Apache of the image tests).
free_port() {
	local low p
	read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || low=32768
	[ "$low" -gt 11024 ] 2>/dev/null || low=32768
	while :; do
		p=$((10000 + RANDOM % (low - 10000)))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
}
