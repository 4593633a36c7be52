#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Debian's s390x user space for the tests: the .deb files that
# scripts/s390x-userland.lock names (package, version, pool path and
# SHA-256 of each), fetched by scripts/debfetch.py from Debian's registry
# and unpacked with dpkg-deb into $CACHE/s390x/root. qemu-s390x-static
# (package qemu-user-static, installed by setup-host.sh) runs them on
# x86-64:
#
#     qemu-s390x-static -L ROOT ROOT/usr/sbin/lszcrypt -V
#
# The same tree is the root file system of the s390x selftest kernel
# (scripts/s390-selftests.sh).
#
# A locked file comes from its pool path and must have the locked
# SHA-256. When it cannot be had (the registry no longer has it, or not
# yet), the fallbacks are every other version that the indexes of the
# suite, its -updates and its -security suites list, newest first, each
# checked against the signed index; what was used is in the manifest and
# in $root/.apvfio-fallbacks, which make test reports. When a package has
# no usable file the script says what it tried and what the user can do,
# and leaves no tree. The private apt configuration lives in the cache:
# the machine's own apt sources are never read or changed.
#
#   s390x-userland.sh          prints the root's path (fetched if the
#                              lock changed since the tree was made)
#   s390x-userland.sh --lock   writes the lock anew from what the
#                              registry has now (make s390x-lock), then
#                              makes the tree from it
#
# Environment: APVFIO_S390X_SUITE (stable), APVFIO_DEBIAN_MIRROR,
# APVFIO_DEBIAN_SECURITY_MIRROR, APVFIO_DEBIAN_SOURCE_OPTIONS (the
# sources' options: Debian's keyring by default), APVFIO_S390X_LOCK (the
# lock file), APVFIO_FETCH_TIMEOUT (seconds a server may stay silent,
# 60), APVFIO_FETCH_RETRIES (tries after a time-out, 2),
# S390X_LOCK_PINS ("pkg=version ...", with --lock);
# APVFIO_S390X_PKGS and APVFIO_S390X_BASE_PKGS replace the lists below.
#
# The packages of a new lock: BASE_PKGS with their dependencies
# (Depends and Pre-Depends, recursively) are what the test scripts run
# (a shell, coreutils, awk, util-linux, kmod, procps); PKGS are taken
# alone. Maintainer scripts are not run: the alternatives they would make
# (/bin/sh, awk) are made here.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

SUITE=${APVFIO_S390X_SUITE:-stable}
MIRROR=${APVFIO_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY=${APVFIO_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
OPTIONS=${APVFIO_DEBIAN_SOURCE_OPTIONS:-signed-by=/usr/share/keyrings/debian-archive-keyring.gpg}
LOCK=${APVFIO_S390X_LOCK:-$TOP/scripts/s390x-userland.lock}
read -r -a PKGS <<< "${APVFIO_S390X_PKGS:-libc6 libgcc-s1 s390-tools mdevctl}"
read -r -a BASE_PKGS <<< "${APVFIO_S390X_BASE_PKGS:-dash bash coreutils grep sed \
gawk mawk findutils util-linux mount kmod procps libica-utils openssl openssl-ibmca}"

base=$CACHE/s390x
root=$base/root
work=$base/work
relock=0
[ "${1:-}" = --lock ] && relock=1

# The tree is the lock's: a changed lock (or a change of how the tree is
# made) rebuilds it, an unchanged one is never fetched again.
tree_key() {
	{ cat "$LOCK"; declare -f make_tree; echo v3; } | sha256sum | cut -c1-12
}

# private_apt: the apt configuration of the cache, its -o options one a
# line in $work/apt-opts.
private_apt() {
	local a=$work/apt s
	mkdir -p "$a"/{etc/apt/preferences.d,etc/apt/apt.conf.d,etc/apt/sources.list.d} \
		"$a"/{lists/partial,archives/partial,dpkg}
	: > "$a/dpkg/status"
	for s in "$MIRROR $SUITE" "$MIRROR $SUITE-updates" "$SECURITY $SUITE-security"; do
		echo "deb [arch=s390x $OPTIONS] $s main"
	done > "$a/etc/apt/sources.list"
	printf '%s\n' Dir::Etc="$a/etc/apt" \
		Dir::Etc::SourceList="$a/etc/apt/sources.list" \
		Dir::Etc::SourceParts="$a/etc/apt/sources.list.d" \
		Dir::Etc::Parts="$a/etc/apt/apt.conf.d" \
		Dir::Etc::PreferencesParts="$a/etc/apt/preferences.d" \
		Dir::State::Lists="$a/lists" Dir::State::status="$a/dpkg/status" \
		Dir::Cache="$a" Dir::Cache::archives="$a/archives" \
		APT::Architecture=s390x APT::Architectures::=s390x \
		Acquire::Languages=none \
		Acquire::http::Timeout="${APVFIO_FETCH_TIMEOUT:-60}" \
		Acquire::Retries="${APVFIO_FETCH_RETRIES:-2}" Debug::NoLocking=1 APT::Sandbox::User=root \
		> "$work/apt-opts"
}

debfetch() { # MODE ARGS...
	"$TOP/scripts/debfetch.py" "$1" --apt-opts "$work/apt-opts" \
		--mirror debian="$MIRROR" --mirror debian-security="$SECURITY" \
		--dir "$work/debs" "${@:2}"
}

# make_tree: unpack $work/debs into $root.new, as the lock's manifest.
make_tree() {
	local deb d
	rm -rf "$root.new"
	mkdir -p "$root.new"
	for deb in "$work"/debs/*.deb; do
		dpkg-deb -x "$deb" "$root.new"
	done
	cut -d' ' -f1-4 "$work/debs/manifest" > "$root.new/.apvfio-manifest"
	cp "$work/debs/fallbacks" "$root.new/.apvfio-fallbacks"
	# Merged /usr: the interpreter is /lib/ld64.so.1, the tools call
	# /bin/sh and friends.
	for d in bin sbin lib lib64; do
		if [ -d "$root.new/usr/$d" ] && [ ! -e "$root.new/$d" ]; then
			ln -s "usr/$d" "$root.new/$d"
		fi
	done
	# What the maintainer scripts would have made: /bin/sh is dash, awk
	# is mawk (as on the host: Debian's default), and the mount points
	# the s390x selftest kernel uses.
	if [ -d "$root.new/usr/bin" ]; then
		[ -e "$root.new/usr/bin/sh" ] || ln -s dash "$root.new/usr/bin/sh"
		[ -e "$root.new/usr/bin/awk" ] || ln -s mawk "$root.new/usr/bin/awk"
	fi
	mkdir -p "$root.new"/{proc,sys,dev,run,tmp,root}
	[ ! -d "$root.new/etc" ] || [ -e "$root.new/etc/mtab" ] ||
		ln -s ../proc/self/mounts "$root.new/etc/mtab"
	if grep -q '^s390-tools ' "$LOCK" && [ ! -x "$root.new/usr/sbin/lszcrypt" ]; then
		rm -rf "$root.new"
		die "s390-tools: no lszcrypt in the unpacked tree"
	fi
}

# make test asks for the tree from the UML and the s390x runs at once:
# one fetches it, the other waits and takes it.
mkdir -p "$base"
exec 9>"$base/.lock"
flock 9
if [ "$relock" = 0 ] && [ -f "$LOCK" ] && [ -f "$root/.apvfio-key" ] &&
	[ "$(cat "$root/.apvfio-key")" = "$(tree_key)" ]; then
	echo "$root"
	exit 0
fi

# No half-made tree or download survives a failure: the next run starts
# over.
rm -rf "$work" "$root.new"
trap 'rm -rf "$work" "$root.new"' EXIT
mkdir -p "$work/debs"
private_apt
if [ "$relock" = 1 ]; then
	note "s390x user space: writing $LOCK from Debian $SUITE"
	pins=()
	for p in ${S390X_LOCK_PINS:-}; do pins+=(--pin "$p"); done
	debfetch lock --out "$LOCK" --previous "$LOCK" "${pins[@]}" \
		--resolve "${BASE_PKGS[@]}" --add "${PKGS[@]}" >&2 ||
		die "s390x user space: the lock was not written"
	note "s390x user space: $(grep -vc '^#' "$LOCK") packages locked"
fi
[ -f "$LOCK" ] || die "no lock file $LOCK (make s390x-lock writes one)"
progress "s390x user space: fetching the $(grep -vc '^#' "$LOCK") files of $LOCK" \
	debfetch fetch --lock "$LOCK" >&2 ||
	die "s390x user space: not made (see above)"
make_tree
tree_key > "$root.new/.apvfio-key"
rm -rf "$root"
mv "$root.new" "$root"
note "s390x user space: $(cut -d' ' -f1,2 "$root/.apvfio-manifest" | paste -sd';')"
if [ -s "$root/.apvfio-fallbacks" ]; then
	note "s390x user space: fallbacks used: $(cut -d' ' -f1-2 "$root/.apvfio-fallbacks" | paste -sd';')"
fi
echo "$root"
