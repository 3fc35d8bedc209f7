#!/bin/sh
# Installs the Debian 12 packages the image tests and the measurement need. Safe to run
# again: apt-get only installs what is missing. Needs root.
set -eu

export DEBIAN_FRONTEND=noninteractive

packages="apache2 libapache2-mod-php php-cli php-mysql mariadb-server mariadb-client
wordpress wordpress-theme-twentytwentythree shellcheck bats strace hey curl openssl
python3 util-linux procps python3-fuse"

missing=''
for p in $packages; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done

if [ -n "$missing" ]; then
	apt-get update -qq
	# shellcheck disable=SC2086 # one word per package
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# The packages' own services are not used: each test starts its own Apache and MariaDB
# on free high ports. Nothing here depends on whether they run.
# shellcheck disable=SC2086 # one line listing the packages
echo "install-deps: installed:" $packages
