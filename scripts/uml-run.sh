#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# uml-run.sh MODE [FLAVOR]: build the UML kernel and our modules, boot the
# kernel with tests/uml/init.sh as init and MODE as its task, and leave
# the results in $CACHE/runs/MODE/ (or $CACHE/runs/$UML_RUN/): console.log,
# dmesg.log, klog/, kunit/*.ktap, selftests/. The boot is bounded by
# UML_TIMEOUT seconds (default 900); UML_CMDLINE adds to the command line;
# UML_OBJ names modules already built (by scripts/modules.sh). Debian's
# s390x tools (scripts/s390x-userland.sh) are in $APVFIO_S390X_ROOT.
# Interactive modes (shell) keep the terminal; the others run headless.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mode=${1:?mode}
flavor=${2:-debug}
kbuild=$("$TOP/scripts/kernel.sh" "$flavor")
obj=${UML_OBJ:-$("$TOP/scripts/modules.sh" "$flavor")}
tools=$("$TOP/scripts/tools.sh")
# Debian's s390x s390-tools and mdevctl; a selftest reports it missing.
s390x=$("$TOP/scripts/s390x-userland.sh") ||
	note "no s390x user space: the debian_tools selftest will fail"
out=$CACHE/runs/${UML_RUN:-$mode}
rm -rf "$out"
mkdir -p "$out"
# What this run tests: the summary and the kernel log say it.
src=$(source_id)
echo "$src" > "$out/source"

cmdline=(mem=1024M root=/dev/root rootfstype=hostfs hostfs=/ rw
	 init="$TOP/tests/uml/init.sh" loglevel=5 log_buf_len=32M kasan_multi_shot con=null
	 APVFIO_TOP="$TOP" APVFIO_OBJ="$obj" APVFIO_OUT="$out"
	 APVFIO_MODE="$mode" APVFIO_KBUILD="$kbuild" APVFIO_TOOLS="$tools"
	 APVFIO_S390X_ROOT="${s390x:-none}" APVFIO_SOURCE="$src"
	 ${SUITE:+APVFIO_SUITE="$SUITE"} ${UML_CMDLINE:-})
# UML backs its memory with a file there; tmpfs keeps it off the disk.
[ -d /dev/shm ] && [ -w /dev/shm ] && export TMPDIR=${UML_TMPDIR:-/dev/shm}

if [ "$mode" = shell ]; then
	"$kbuild/linux" "${cmdline[@]}" con0=fd:0,fd:1
	exit 0
fi

rc=0
timeout -k 10 "${UML_TIMEOUT:-900}" "$kbuild/linux" "${cmdline[@]}" \
	con0=null,fd:1 </dev/null >"$out/console.log" 2>&1 || rc=$?
[ "$rc" -eq 124 ] && echo "UML timed out after ${UML_TIMEOUT:-900}s" >> "$out/console.log"
echo "$rc" > "$out/uml-exit"
echo "$out"
