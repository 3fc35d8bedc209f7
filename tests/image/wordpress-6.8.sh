#!/usr/bin/env bash
# wordpress-6.8.sh DIR: the measurement's WordPress, of the image's major version, into DIR
# (cached: a second run with the same pins does nothing). Prints the WordPress tree to use as
# WP_SOURCE: DIR/usr/share/wordpress.
#
# Debian 13's `wordpress` package is 6.8 and architecture-independent, so it unpacks on this
# Debian 12 machine; it is fetched from Debian's mirror with a private apt state (the machine's
# own sources stay bookworm), pinned by version and by the SHA256 the release's Packages file
# gives, and unpacked, not installed. With it: the twentytwentythree block theme of the same
# release, and libjs-lodash, the one library its symlinks need that Debian 12 lacks. The other
# symlinks (underscore, cropper, getid3, the htaccess) lead to Debian 12's own packages, which
# install-deps.sh installs; each is rewritten to an absolute path, and a link that leads nowhere
# fails the script.
#
# When trixie's mirror drops a pinned version (a point release replaced it), this fails saying
# so: update the pins below from `apt-cache show` of the new version.
set -euo pipefail

dir=${1:?usage: wordpress-6.8.sh DIR}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
# package=version sha256
pins=(
	"wordpress=6.8.12+dfsg1-0+deb13u1 d398d413b9f95695a9bf57a6a5830cc6f8c5ac42b4151015ffbd6d6756266a8d"
	"wordpress-theme-twentytwentythree=6.8.12+dfsg1-0+deb13u1 afe85de20e2e161b3c69779578de49549c643fa8b3bf85d6bf277df14b1983f0"
	"libjs-lodash=4.17.21+dfsg+~cs8.31.198.20210220-9+deb13u1 3ab11001abf36a57765180205aa6ff69bfb11ee6229fb89e3b60ae3e97bfbbee"
)
key=$(printf '%s\n' "${pins[@]}" | sha256sum | cut -c1-12)
tree=$dir/usr/share/wordpress
if [ -e "$dir/ok-$key" ]; then
	echo "$tree"
	exit 0
fi

rm -rf "$dir"
mkdir -p "$dir"
work=$(mktemp -d "${TMPDIR:-/tmp}/wp-corpus.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/archives/partial"
echo "deb $mirror trixie main" >"$work/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
	-o "Dir::State::Lists=$work/lists" -o "Dir::Cache::Archives=$work/archives"
	-o APT::Sandbox::User=root)
apt-get -q "${apt_opts[@]}" update >"$work/update.log" 2>&1 || {
	tail -5 "$work/update.log" >&2
	echo "wordpress-6.8: cannot read trixie's package list from $mirror" >&2
	exit 1
}
for pin in "${pins[@]}"; do
	read -r pkg sum <<<"$pin"
	(cd "$work" && apt-get -q "${apt_opts[@]}" download "$pkg" >"$work/download.log" 2>&1) || {
		tail -3 "$work/download.log" >&2
		echo "wordpress-6.8: trixie no longer serves $pkg; update the pins in $0" >&2
		exit 1
	}
	deb=$(ls "$work/${pkg%%=*}"_*.deb)
	echo "$sum  $deb" | sha256sum -c --quiet - || {
		echo "wordpress-6.8: $deb is not the pinned one" >&2
		exit 1
	}
	dpkg-deb -x "$deb" "$dir"
done

# Every link in the tree, made absolute: to the unpacked copy where the packages above hold the
# target, else to this machine's own file.
while IFS= read -r -d '' link; do
	target=$(readlink "$link")
	installed=/${link#"$dir"/}
	case $target in
	/*) abs=$target ;;
	*) abs=$(realpath -m "$(dirname "$installed")/$target") ;;
	esac
	if [ -e "$dir$abs" ]; then
		ln -sfn "$dir$abs" "$link"
	elif [ -e "$abs" ]; then
		ln -sfn "$abs" "$link"
	else
		echo "wordpress-6.8: $installed leads to $abs, which neither the packages nor this machine has" >&2
		exit 1
	fi
done < <(find "$tree" -type l -print0)
grep -q "^\$wp_version = '6\.8\." "$tree/wp-includes/version.php"
touch "$dir/ok-$key"
echo "$tree"
