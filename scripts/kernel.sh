#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernel.sh FLAVOR: unpack linux-source-6.12 and build a User-Mode Linux
# kernel into the cache, once per kernel version and configuration.
# FLAVOR is "debug" (lockdep, KASAN, kmemleak, UBSAN; used by the tests)
# or "bench" (no debug options; used by the benchmarks), or "none" to
# only unpack the tree.
# Prints the build directory on stdout.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

flavor=${1:-debug}
frags=("$TOP/scripts/config/uml-base.config")
case $flavor in
none) ;;
debug) frags+=("$TOP/scripts/config/uml-debug.config") ;;
bench) frags+=("$TOP/scripts/config/uml-bench.config") ;;
*) die "unknown flavor $flavor" ;;
esac

src=$(kernel_src)
key=$(config_key "${frags[@]}")
# One build directory per flavor: a changed configuration is rebuilt
# incrementally in place (kbuild and ccache reuse what did not change).
out=$CACHE/build/uml-$flavor

# The tree is unpacked once per kernel version and set of patches, always
# at the same path so that ccache can reuse objects across configurations.
unpack_source() {
	local id p
	id=$(kernel_src_id)
	[ -f "$src/.unpacked" ] && [ "$(cat "$src/.unpacked")" = "$id" ] && return
	[ -f "$KTAR" ] || die "$KTAR missing (package $KPKG)"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	progress "unpacking $KTAR into $src" \
		tar -xf "$KTAR" -C "$src.tmp" --strip-components=1
	for p in "$TOP"/scripts/patches/*.patch; do
		patch -s -d "$src.tmp" -p1 < "$p" || die "cannot apply $p"
	done
	mv "$src.tmp" "$src"
	echo "$id" > "$src/.unpacked"
}

configure() {
	[ -f "$out/.configured" ] && [ "$(cat "$out/.configured")" = "$key" ] && return
	note "configuring UML ($flavor) in $out"
	rm -f "$out/.configured" "$out/.built"
	mkdir -p "$out"
	make -s -C "$src" O="$out" ARCH=um defconfig >/dev/null
	"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" \
		"${frags[@]}" >/dev/null
	make -s -C "$src" O="$out" ARCH=um olddefconfig >/dev/null
	local frag line
	for frag in "${frags[@]}"; do
		while read -r line; do
			case $line in
			CONFIG_*=n) grep -qx "# ${line%=n} is not set" "$out/.config" ||
					! grep -q "^${line%=n}=" "$out/.config" ||
					die "$line did not stick" ;;
			CONFIG_*) grep -qx "$line" "$out/.config" ||
					die "$line did not stick" ;;
			esac
		done < "$frag"
	done
	echo "$key" > "$out/.configured"
}

build() {
	[ -f "$out/.built" ] && return
	local cc=gcc
	command -v ccache >/dev/null && cc="ccache gcc"
	progress "building the UML kernel ($flavor, $JOBS jobs; once, then cached)" \
		make -s -C "$src" O="$out" ARCH=um CC="$cc" -j"$JOBS" all >&2
	touch "$out/.built"
}

mkdir -p "$CACHE/build"
# One unpacking at a time, whatever the flavor; one build per flavor.
exec 8>"$CACHE/build/.lock-src"
flock 8
unpack_source
flock -u 8
exec 9>"$CACHE/build/.lock-$flavor"
flock 9
if [ "$flavor" = none ]; then
	echo "$src"
	exit 0
fi
configure
build
echo "$out"
