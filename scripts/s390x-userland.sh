#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Debian's s390x user space for the tests: the packages below, fetched
# from Debian's registry with a private apt configuration in the cache
# (the machine's own apt sources are never read or changed) and unpacked
# with dpkg-deb into $CACHE/s390x/root. qemu-s390x-static (package
# qemu-user-static, installed by setup-host.sh) runs them on x86-64:
#
#     qemu-s390x-static -L ROOT ROOT/usr/sbin/lszcrypt -V
#
# The same tree is the root file system of the s390x selftest kernel
# (scripts/s390-selftests.sh): BASE_PKGS are what the test scripts run
# (a shell, coreutils, awk, util-linux, kmod, procps), with their
# dependencies resolved by apt (Depends and Pre-Depends, recursively).
# Maintainer scripts are not run: the alternatives they would make
# (/bin/sh, awk) are made here.
#
# Prints the root's path. The tree is rebuilt only when the package list
# or the suite changes; its manifest names every package and version.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

SUITE=${APVFIO_S390X_SUITE:-stable}
MIRROR=${APVFIO_DEBIAN_MIRROR:-http://deb.debian.org/debian}
PKGS=(libc6 libgcc-s1 s390-tools mdevctl)
BASE_PKGS=(dash bash coreutils grep sed gawk mawk findutils util-linux mount
	   kmod procps)

base=$CACHE/s390x
root=$base/root
key=$(echo "$SUITE $MIRROR ${PKGS[*]} ${BASE_PKGS[*]} v2" | sha256sum | cut -c1-12)

# make test asks for the tree from the UML and the s390x runs at once:
# one fetches it, the other waits and takes it.
mkdir -p "$base"
exec 9>"$base/.lock"
flock 9
if [ -f "$root/.apvfio-key" ] && [ "$(cat "$root/.apvfio-key")" = "$key" ]; then
	echo "$root"
	exit 0
fi

apt_dir=$base/apt
rm -rf "$apt_dir" "$root.new"
mkdir -p "$apt_dir"/{etc/apt/preferences.d,etc/apt/apt.conf.d,lists/partial} \
	"$apt_dir"/{archives/partial,debs} "$apt_dir/dpkg" "$root.new"
: > "$apt_dir/dpkg/status"
cat > "$apt_dir/etc/apt/sources.list" <<EOF
deb [arch=s390x signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR $SUITE main
EOF

# The private configuration: the cache's lists, an empty dpkg status.
apt_opts=(-o Dir::Etc="$apt_dir/etc/apt"
	-o Dir::Etc::SourceList="$apt_dir/etc/apt/sources.list"
	-o Dir::Etc::SourceParts="$apt_dir/etc/apt/sources.list.d"
	-o Dir::Etc::Parts="$apt_dir/etc/apt/apt.conf.d"
	-o Dir::Etc::PreferencesParts="$apt_dir/etc/apt/preferences.d"
	-o Dir::State::Lists="$apt_dir/lists"
	-o Dir::State::status="$apt_dir/dpkg/status"
	-o Dir::Cache="$apt_dir"
	-o Dir::Cache::archives="$apt_dir/archives"
	-o APT::Architecture=s390x
	-o APT::Architectures::=s390x
	-o Debug::NoLocking=1
	-o APT::Sandbox::User=root)
aptc() { apt-get -q "${apt_opts[@]}" "$@"; }
aptc_cache() { apt-cache "${apt_opts[@]}" "$@"; }

note "s390x user space: fetching ${PKGS[*]} ${BASE_PKGS[*]} and their dependencies from Debian $SUITE"
aptc update >&2
# Real packages only (virtual ones are printed as <name>).
deps=$(aptc_cache depends --recurse --no-recommends --no-suggests \
	--no-conflicts --no-breaks --no-replaces --no-enhances \
	"${BASE_PKGS[@]}" | grep '^[a-z0-9]' | sort -u)
# shellcheck disable=SC2086
(cd "$apt_dir/debs" && aptc download $(printf '%s\n' "${PKGS[@]}" $deps | sort -u) >&2)

: > "$root.new/.apvfio-manifest"
for deb in "$apt_dir"/debs/*.deb; do
	dpkg-deb -x "$deb" "$root.new"
	dpkg-deb --show --showformat='${Package} ${Version} ${Architecture}\n' \
		"$deb" >> "$root.new/.apvfio-manifest"
done
# Merged /usr: the interpreter is /lib/ld64.so.1, the tools call
# /bin/sh and friends.
for d in bin sbin lib lib64; do
	if [ -d "$root.new/usr/$d" ] && [ ! -e "$root.new/$d" ]; then
		ln -s "usr/$d" "$root.new/$d"
	fi
done
# What the maintainer scripts would have made: /bin/sh is dash, awk is
# mawk (as on the host: Debian's default), and the mount points the
# s390x selftest kernel uses.
[ -e "$root.new/usr/bin/sh" ] || ln -s dash "$root.new/usr/bin/sh"
[ -e "$root.new/usr/bin/awk" ] || ln -s mawk "$root.new/usr/bin/awk"
mkdir -p "$root.new"/{proc,sys,dev,run,tmp,root}
[ -e "$root.new/etc/mtab" ] || ln -s ../proc/self/mounts "$root.new/etc/mtab"
[ -x "$root.new/usr/sbin/lszcrypt" ] || [ -x "$root.new/sbin/lszcrypt" ] ||
	die "s390-tools: no lszcrypt in the unpacked tree"
echo "$key" > "$root.new/.apvfio-key"
rm -rf "$root"
mv "$root.new" "$root"
rm -rf "$apt_dir"
note "s390x user space: $(paste -sd';' "$root/.apvfio-manifest")"
echo "$root"
