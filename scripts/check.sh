#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh: the static checks, silent when all is well:
#   sparse (C=2) over our modules, built against the UML kernel, and
#   again over the in-tree s390x build of the selftests (hw_s390.c, the
#   KVM code),
#   scripts/checkpatch.pl --strict over our C sources and headers,
#   scripts/kernel-doc -none -Wall over the same files.
# Prints every finding and "check: N passed, M failed" (one per checker).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

kbuild=$("$TOP/scripts/kernel.sh" debug) || exit 1
src=$(kernel_src)
obj=$CACHE/obj/check
# tests/fuzz is left out of checkpatch: it is user space that stands in
# for kernel headers (kernel type names from <stdint.h>, an empty
# EXPORT_SYMBOL_GPL, the kernel's bit macros) and must use libFuzzer's
# entry point name, which are exactly what checkpatch objects to.
files=$(cd "$TOP" && git ls-files -co --exclude-standard \
	'drivers/*.[ch]' 'include/*.h' 'tests/*.[ch]' | grep -v '^tests/fuzz/')

pass=0
fail=0
report() { # NAME OUTPUT
	if [ -n "$2" ]; then
		echo "  $1:"
		echo "$2" | sed 's/^/    /'
		fail=$((fail + 1))
	else
		echo "  $1: clean"
		pass=$((pass + 1))
	fi
}

# sparse: rebuild everything with C=2 and keep what it says about our files.
syms=$(sed -n 's/^config \([A-Z0-9_]*\)$/CONFIG_\1=m/p' \
	"$TOP"/drivers/*/Kconfig "$TOP"/tests/kunit/Kconfig)
mirror_sources "$obj"
# shellcheck disable=SC2086
out=$(make -s -C "$src" O="$kbuild" ARCH=um M="$obj" -j"$JOBS" C=2 \
	CHECK="sparse -Wno-unknown-attribute" $syms modules 2>&1 |
	grep -F "$obj/" | sed "s|$obj/||")
report sparse "$out"

out=$(cd "$TOP" && "$src/scripts/checkpatch.pl" --strict --no-tree --quiet \
	--show-types -f $files 2>&1 | grep -v '^$' |
	grep -v '^total: 0 errors, 0 warnings' || true)
report checkpatch "$out"

out=$(cd "$TOP" && "$src/scripts/kernel-doc" -none -Wall $files 2>&1)
report kernel-doc "$out"

# sparse again over the in-tree s390x build of the selftests (with KVM),
# where hw_s390.c and the KVM guest code are compiled; under the build's
# lock, so that it waits for a boot that loads those modules (last, for
# make test runs the checks while the s390x boot goes on).
sparse_s390() {
	local build cc out rc=0
	build=$("$TOP/scripts/s390-kernel.sh") ||
		{ echo "the s390x tree could not be built"; return; }
	s390_build_lock "$build"
	cc=s390x-linux-gnu-gcc
	command -v ccache >/dev/null && cc="ccache $cc"
	out=$(make -s -C "$build" ARCH=s390 \
		CROSS_COMPILE=s390x-linux-gnu- CC="$cc" -j"$JOBS" C=2 \
		CHECK="sparse -Wno-unknown-attribute" drivers/apvfio/ 2>&1) || rc=$?
	echo "$out" | grep -F "drivers/apvfio/" | sed "s|.*drivers/apvfio/||"
	[ "$rc" -eq 0 ] || echo "make exited with status $rc"
}
report "sparse (s390x, in-tree)" "$(sparse_s390)"

# Kconfig on s390x: the bus and the kernel's own (CONFIG_AP) exclude each
# other, and with KVM a module the bus is one too, so that its guest
# operations (which call KVM) are always built in: the s390x build's
# configuration resolved again (scripts/kconfig/conf, into a file of its
# own; the build is left alone) with AP_BUS=y and KVM=m, then with AP=y.
# kconfig_s390 "SETTINGS" EXPECTED...: each EXPECTED line (!SYM: no
# SYM=) is in the configuration resolved with SETTINGS.
kconfig_s390() {
	local build dir tmp sets=$1 want
	shift
	build=$CACHE/build/s390-selftests
	[ -f "$build/.config" ] || { echo "no s390x build configured"; return; }
	dir=$(mktemp -d)
	tmp=$dir/.config
	cp "$build/.config" "$tmp"
	for want in $sets; do
		sed -i "/^${want%%=*}=/d; /^# ${want%%=*} is not set/d" "$tmp"
		echo "$want" >> "$tmp"
	done
	# conf writes include/config/ into its working directory: a
	# scratch one, never the source tree.
	(cd "$dir" && env srctree="$(readlink -f "$build/source")" ARCH=s390 \
		SRCARCH=s390 CC=s390x-linux-gnu-gcc LD=s390x-linux-gnu-ld \
		HOSTCC=gcc KCONFIG_CONFIG="$tmp" "$build/scripts/kconfig/conf" \
		--olddefconfig "$(readlink -f "$build/source")/Kconfig" \
		>/dev/null 2>&1) ||
		echo "conf --olddefconfig failed with $sets"
	for want in "$@"; do
		case $want in
		!*) ! grep -q "^${want#!}=" "$tmp" ||
			echo "with $sets: want no ${want#!}, got $(grep "^${want#!}=" "$tmp")" ;;
		*) grep -qx "$want" "$tmp" ||
			echo "with $sets: want $want, got $(grep "^${want%%=*}=" "$tmp")" ;;
		esac
	done
	rm -rf "$dir"
}
report "kconfig (s390x): AP_BUS=y with KVM=m" \
	"$(kconfig_s390 "CONFIG_KVM=m CONFIG_AP_BUS=y" CONFIG_KVM=m CONFIG_AP_BUS=m)"
report "kconfig (s390x): the kernel's own AP bus" \
	"$(kconfig_s390 "CONFIG_AP=y CONFIG_AP_BUS=m" CONFIG_AP=y '!CONFIG_AP_BUS')"

echo "check: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
