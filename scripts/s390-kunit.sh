#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# s390-kunit.sh: run the project's KUnit suites on s390x (big-endian)
# under qemu-system-s390x. The project is copied in-tree into a
# hard-linked copy of the cached kernel tree (drivers/apvfio/, hooked into
# drivers/Kconfig and drivers/Makefile), which also proves the in-tree
# build, and tools/testing/kunit/kunit.py builds and boots it.
# Results go to $CACHE/runs/s390/ (console.log = raw KTAP, kunit/*.ktap).
# With --build-only, only configure and build, and print the tree and
# the build directory (scripts/check.sh runs sparse there).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/kernel.sh" none >/dev/null
tree=$CACHE/src/s390-overlay
# One build directory: kunit.py reconfigures it when .kunitconfig changes.
build=$CACHE/build/s390-kunit
out=$CACHE/runs/s390

s390_overlay "$tree"

cc=s390x-linux-gnu-gcc
command -v ccache >/dev/null && cc="ccache $cc"
kunit=(--arch=s390 --cross_compile=s390x-linux-gnu- --make_options "CC=$cc"
	--build_dir="$build" --jobs="$JOBS"
	--kunitconfig="$tree/drivers/apvfio/tests/kunit/.kunitconfig"
	--kconfig_add CONFIG_AP=n --kconfig_add CONFIG_KASAN=y
	--kconfig_add CONFIG_VIRTUALIZATION=y --kconfig_add CONFIG_KVM=y)

if [ "${1:-}" = --build-only ]; then
	# For the static checks: a configured, built tree (built once; the
	# checker's make rebuilds what changed in drivers/apvfio/), no run.
	build_only() {
		cd "$tree" && ./tools/testing/kunit/kunit.py build "${kunit[@]}" >&2
	}
	[ -f "$build/vmlinux" ] ||
		progress "building the s390x kernel (cached after the first time)" build_only
	echo "$tree $build"
	exit 0
fi

rm -rf "$out"
mkdir -p "$out/kunit"
# kasan_multi_shot: every KASAN report is printed, not only the first.
run_kunit() {
	cd "$tree" && timeout -k 10 "${S390_TIMEOUT:-1800}" \
		./tools/testing/kunit/kunit.py run "${kunit[@]}" --timeout=600 \
		--kernel_args kasan_multi_shot --raw_output=all \
		${SUITE:+"$SUITE.*"} >"$out/console.log" 2>"$out/build.log"
}
rc=0
progress "s390x: building (cached after the first time) and running the KUnit suites" \
	run_kunit || rc=$?
echo "$rc" > "$out/uml-exit"
echo "$rc" > "$out/status"
[ "$rc" -eq 0 ] || tail -n 30 "$out/build.log" >> "$out/console.log"
"$TOP/scripts/split-ktap.py" "$out/console.log" "$out/kunit"
echo "$out"
