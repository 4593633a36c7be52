#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# s390-selftests.sh: run the selftests natively on s390x (big-endian)
# under qemu-system-s390x (TCG). The kernel is the in-tree s390x build of
# scripts/s390-kernel.sh (our drivers and test modules as modules), the
# root a read-only 9p share of Debian's s390x packages
# (scripts/s390x-userland.sh), the tools cross-built for s390x
# (scripts/tools.sh s390x). tests/uml/s390x-init.sh mounts the checkout,
# the kernel build and source trees and the tools (read-only) and the
# results directory (read-write) at the same paths as on the host and
# runs the same init and test scripts as the UML run (tests/uml/init.sh,
# test.sh, lib.sh), so that the results have the same layout and
# summarize.py the same checks: $CACHE/runs/s390-selftests/ (or
# $CACHE/runs/$S390_RUN/).
# With S390_KUNIT=1 (make test) the KUnit modules run first, as on UML;
# otherwise (make selftests-s390) only the selftests and, last, the
# health suite.
# The campaigns' sizes (each selftest prints them as a "# campaign:"
# line, the summary shows them): S390_STRESS_OPS (4000, as on UML),
# S390_BADINPUT_PER_FILE (500, half of UML's) and S390_MODEL_OPS (2000, a
# fifth of UML's 10000, which would take about five minutes under TCG),
# so that make test stays within 20 minutes on two cores.
# The boot is bounded by S390_TIMEOUT seconds (default 2400);
# S390_CMDLINE adds to the command line.
# Prints the results directory.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

build=$("$TOP/scripts/s390-kernel.sh")
tools=$("$TOP/scripts/tools.sh" s390x)
root=$("$TOP/scripts/s390x-userland.sh")
out=$CACHE/runs/${S390_RUN:-s390-selftests}
rm -rf "$out"
mkdir -p "$out"
src=$(source_id)
echo "$src" > "$out/source"
kunit=(APVFIO_NO_KUNIT=1)
echo health > "$out/kunit-scope"
if [ "${S390_KUNIT:-0}" = 1 ]; then
	kunit=()
	echo all > "$out/kunit-scope"
fi
# The modules are loaded from the build directory: no build may rewrite
# them during the boot (scripts/check.sh's sparse run waits).
s390_build_lock "$build" -s

# The first init, replaced (never written through a hard link).
cp "$TOP/tests/uml/s390x-init.sh" "$root/.apvfio-init.new"
mv -f "$root/.apvfio-init.new" "$root/apvfio-init"

# The shares: TAG PATH MODE. The guest mounts each at PATH; its mount
# point is made in the root tree here (the root is read-only there)
# unless it is under /tmp, which is a tmpfs in the guest.
# The kernel's source tree too: abi.sh reads its Documentation/ABI
# through the build's "source" link.
shares=(top "$TOP" ro kbuild "$build" ro ksrc "$(readlink -f "$build/source")" ro
	tools "$tools" ro out "$out" rw)
qemu_shares=() guest_shares=
for ((i = 0; i < ${#shares[@]}; i += 3)); do
	tag=${shares[i]} path=${shares[i + 1]} mode=${shares[i + 2]}
	case $path in
	/tmp/*) ;;
	*) mkdir -p "$root$path" ;;
	esac
	ro=
	[ "$mode" = ro ] && ro=,readonly=on
	qemu_shares+=(-fsdev "local,id=$tag,path=$path,security_model=none$ro"
		      -device "virtio-9p-ccw,fsdev=$tag,mount_tag=$tag")
	guest_shares="$guest_shares,$tag:$path:$mode"
done

cmdline=(root=apvfio-root rootfstype=9p
	 rootflags=trans=virtio,version=9p2000.L,msize=512000,cache=loose ro
	 init=/apvfio-init loglevel=5 log_buf_len=32M kasan_multi_shot
	 APVFIO_SHARES="${guest_shares#,}"
	 APVFIO_TOP="$TOP" APVFIO_OBJ="$build/drivers/apvfio" APVFIO_OUT="$out"
	 APVFIO_MODE=test APVFIO_KBUILD="$build" APVFIO_TOOLS="$tools"
	 APVFIO_S390X_ROOT=/ APVFIO_SOURCE="$src" "${kunit[@]}"
	 STRESS_OPS="${S390_STRESS_OPS:-4000}" MODEL_OPS="${S390_MODEL_OPS:-2000}"
	 BADINPUT_PER_FILE="${S390_BADINPUT_PER_FILE:-500}"
	 ${SUITE:+APVFIO_SUITE="$SUITE"} ${S390_CMDLINE:-})

boot() {
	timeout -k 10 "${S390_TIMEOUT:-2400}" qemu-system-s390x \
		-machine s390-ccw-virtio -cpu qemu -smp "${S390_CPUS:-2}" \
		-m "${S390_MEM:-2048}" -nodefaults -nographic -no-reboot \
		-serial stdio -kernel "$build/arch/s390/boot/bzImage" \
		-append "${cmdline[*]}" \
		-fsdev "local,id=root,path=$root,security_model=none,readonly=on" \
		-device virtio-9p-ccw,fsdev=root,mount_tag=apvfio-root \
		"${qemu_shares[@]}" </dev/null >"$out/console.log" 2>&1
}
rc=0
progress "s390x: booting the selftest kernel under qemu-system-s390x${SUITE:+ (SUITE=$SUITE)}" \
	boot || rc=$?
[ "$rc" -eq 124 ] &&
	echo "qemu-system-s390x timed out after ${S390_TIMEOUT:-2400}s" >> "$out/console.log"
echo "$rc" > "$out/uml-exit"
echo "$out"
