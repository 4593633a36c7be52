#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test-harness.sh: the mutation test of the test harness (make
# test-harness). It feeds the harness deliberate failures and checks that
# the summary fails and names each one. Kernel faults come from a
# test-only module (tests/harness/harness_fault.c), a hanging KUnit case
# from tests/harness/kunit/, script faults from tests/harness/selftests/;
# each runs in its own short boot of the UML debug kernel through the
# same init, runner and summary as `make test`. Results that only a
# damaged run leaves (a missing suite, a truncated TAP, an s390x suite
# that hangs) are made from a clean run's output, or from a recorded
# kunit.py console (tests/harness/recorded/). A deliberate endianness
# bug must fail the ap_bus selftest on s390x (one boot of the s390x
# selftest kernel). A clean control run must pass, or the harness would
# "catch" everything.
# Ends with "harness: N caught, M missed"; exits 0 iff nothing was missed
# and the control run passed. Logs: $CACHE/runs/harness-*/. HARNESS_ONLY
# (a glob) runs only the matching failures, and the control run.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/setup-host.sh" || exit 1
kbuild=$("$TOP/scripts/kernel.sh" debug) || exit 1
hobj=$CACHE/obj/harness
mirror_by_content "$hobj" --exclude selftests --exclude recorded --exclude mutations \
	"$TOP/tests/harness/"
cc=gcc
command -v ccache >/dev/null && cc="ccache gcc"
make -s -C "$(kernel_src)" O="$kbuild" ARCH=um CC="$cc" M="$hobj" \
	-j"$JOBS" W=1 KCFLAGS=-Werror modules >&2 || exit 1

obj=$("$TOP/scripts/modules.sh" debug) || exit 1
caught=0
missed=0
harness_src=(--kunit-src "$TOP/tests/harness/kunit"
	     --selftest-src "$TOP/tests/harness/selftests")

# boot NAME [VAR=VALUE...]: one UML boot of the harness's tests.
boot() {
	local name=$1
	shift
	UML_RUN=harness-$name UML_TIMEOUT=${HTIMEOUT:-300} UML_OBJ=$obj \
		UML_CMDLINE="APVFIO_KUNIT_DIR=$hobj/kunit APVFIO_SELFTEST_DIR=$TOP/tests/harness/selftests $*" \
		"$TOP/scripts/uml-run.sh" test debug
}

# wanted NAME: NAME matches HARNESS_ONLY (a glob; all by default).
wanted() {
	# shellcheck disable=SC2053
	[[ $1 == ${HARNESS_ONLY:-*} ]]
}

# verdict NAME PATTERN SUMMARY-ARGS...: summarise a run; caught if the
# summary fails and a line of it matches PATTERN (extended regex).
verdict() {
	local name=$1 pattern=$2 out rc=0
	shift 2
	wanted "$name" || return 0
	out=$("$TOP/scripts/summarize.py" --label "$name" "$@") || rc=$?
	judge "$name" "$pattern" "$rc" "$out"
}

# judge NAME PATTERN RC OUTPUT: caught if a run that should fail exited
# with RC != 0 and a line of its OUTPUT matches PATTERN; missed otherwise.
judge() {
	if [ "$3" -ne 0 ] && echo "$4" | grep -Eq -- "$2"; then
		caught=$((caught + 1))
		echo "caught $1: $(echo "$4" | grep -E -m1 -- "$2" | sed 's/^ *//')"
	else
		missed=$((missed + 1))
		echo "MISSED $1 (exit $3; no line matching /$2/):"
		echo "$4" | sed 's/^/    /'
	fi
}

# kernel NAME FAULT PATTERN: the fault module's FAULT during the selftest.
kernel() {
	local run
	wanted "$1" || return 0
	run=$(boot "$1" APVFIO_HARNESS="$2")
	verdict "$1" "$3" "$run" "${harness_src[@]}"
}

echo "== control: a clean run passes"
control=$(boot control APVFIO_HARNESS=none)
if out=$("$TOP/scripts/summarize.py" --label control "$control" "${harness_src[@]}"); then
	echo "$out" | tail -n 1
	control_ok=1
else
	echo "$out" | sed 's/^/    /'
	echo "control: FAILED (a harness that fails a clean run catches nothing)"
	control_ok=0
fi

echo "== kernel reports, each during the selftest 'fault'"
kernel warn warn '^ *\[WARNING\] during selftest fault'
kernel earlywarn earlywarn '^ *\[WARNING\] during selftest fault: .*WARNING: .*harness_fault.c:[0-9]+ harness_early_warning'
kernel lockdep lockdep '^ *\[lockdep\] during selftest fault: .*circular locking'
kernel kasan uaf '^ *\[KASAN\] during selftest fault: .*use-after-free'
kernel ubsan shift '^ *\[UBSAN\] during selftest fault: .*shift-out-of-bounds'
kernel kmemleak leak '^ *\[kmemleak\]'
kernel taint taint '^ *\[tainted\] .*W \(warning\)'
kernel lockdep-off lockdep_off '^ *\[lockdep disabled\]'

echo "== tests that hang, fail outside their results, or leak a guest's secret"
if wanted kunit-hang; then
	run=$(HTIMEOUT=60 boot kunit-hang APVFIO_HARNESS=kunit-hang APVFIO_KUNIT_ARGS=hang=1)
	verdict kunit-hang '^ *\[time-out\] .*while running kunit harness_kunit' \
		"$run" "${harness_src[@]}"
fi
if wanted selftest-hang; then
	run=$(boot selftest-hang APVFIO_HARNESS=hang APVFIO_TEST_TIMEOUT=20)
	verdict selftest-hang '^ *\[time-out\] selftest:fault timed out' \
		"$run" "${harness_src[@]}"
fi
if wanted selftest-exit; then
	run=$(boot selftest-exit APVFIO_HARNESS=exit1)
	verdict selftest-exit '^ *\[exit status\] selftest:fault exited with status 1' \
		"$run" "${harness_src[@]}"
fi

if wanted violation; then
	run=$(boot violation APVFIO_HARNESS=violation)
	verdict violation 'FAILED: the machine saw no isolation violation' \
		"$run" "${harness_src[@]}"
fi

echo "== damaged results, made from the control run's"
rec=$CACHE/runs/harness-recorded
rm -rf "$rec"
mkdir -p "$rec"
cp -a "$control" "$rec/missing-suite"
rm -f "$rec/missing-suite/kunit/harness.ktap"
verdict missing-suite '^ *\[missing suite\] harness produced no results' \
	"$rec/missing-suite" "${harness_src[@]}"
cp -a "$control" "$rec/truncated-tap"
printf '1..5\nok 1 a check\nok 2 another check\n' \
	> "$rec/truncated-tap/selftests/fault.tap"
verdict truncated-tap '^ *\[truncated TAP\] selftest:fault: plan 1\.\.5 .* 2 results' \
	"$rec/truncated-tap" "${harness_src[@]}"

echo "== an s390x suite that hangs (recorded kunit.py console)"
mkdir -p "$rec/s390-hang/kunit"
cp "$TOP/tests/harness/recorded/s390-hang.log" "$rec/s390-hang/console.log"
echo 0 > "$rec/s390-hang/uml-exit"
echo 0 > "$rec/s390-hang/status"
"$TOP/scripts/split-ktap.py" "$rec/s390-hang/console.log" "$rec/s390-hang/kunit"
verdict s390-hang '^ *\[time-out\] ap_matrix did not finish' \
	"$rec/s390-hang" --console --kunit-src "$TOP/tests/kunit"

# mutant NAME [PATCH]: a copy of the checkout (its tracked and untracked
# files) in the cache, named NAME, with tests/harness/mutations/PATCH.patch
# applied (default NAME.patch; "none" for a clean copy); prints its path.
mutant() {
	local mut=$CACHE/src/harness-$1 p=${2:-$1}
	rm -rf "$mut"
	mkdir -p "$mut"
	(cd "$TOP" && git ls-files -co --exclude-standard) |
		rsync -a --files-from=- "$TOP/" "$mut/"
	[ "$p" = none ] && { echo "$mut"; return; }
	patch -s -d "$mut" -p1 < "$TOP/tests/harness/mutations/$p.patch" ||
		echo "harness: the mutation $p no longer applies (it will be missed)" >&2
	echo "$mut"
}

echo "== two checkouts share one cache: each tests its own sources"
# A copy with tests/harness/mutations/mask-format-prefix.patch (masks read
# 0X...) builds its modules into the shared cache and fails ap_mask; a
# clean copy whose files are all older by time than those objects (as
# when the other checkout built later) must then build and test its own
# code: its ap_mask passes. With a mirror that trusts file times, it
# would load the first copy's modules and fail.
if wanted shared-cache; then
	ma=$(mutant shared-a mask-format-prefix)
	mb=$(mutant shared-b none)
	run=$(SUITE=ap_mask UML_RUN=harness-shared-a "$ma/scripts/uml-run.sh" test debug)
	rca=0
	SUITE=ap_mask summarize_uml "$run" shared-a >/dev/null || rca=$?
	find "$mb" -exec touch -h -d '2 hours ago' {} +
	run=$(SUITE=ap_mask UML_RUN=harness-shared-b "$mb/scripts/uml-run.sh" test debug)
	rcb=0
	outb=$(SUITE=ap_mask summarize_uml "$run" shared-b) || rcb=$?
	if [ "$rca" -ne 0 ] && [ "$rcb" -eq 0 ]; then
		caught=$((caught + 1))
		echo "caught shared-cache: the mutated copy failed ap_mask, the older clean copy passed it"
	else
		missed=$((missed + 1))
		echo "MISSED shared-cache (the mutated copy's summary: exit $rca; the clean copy's: exit $rcb):"
		echo "$outb" | tail -n 8 | sed 's/^/    /'
	fi
	"$TOP/scripts/modules.sh" debug >/dev/null || echo "harness: this checkout's modules could not be rebuilt"
	rm -rf "$ma" "$mb"
fi

echo "== a hook that forgets to unpin on one path"
# tests/harness/mutations/irq-unplug-keeps-pin.patch: a queue that leaves
# a running guest's view (a hot unplug) keeps its pinned notification
# page and its ISC registration. The irq selftest must fail.
if wanted irq; then
	mut=$(mutant irq irq-unplug-keeps-pin)
	run=$(SUITE=irq UML_RUN=harness-irq "$mut/scripts/uml-run.sh" test debug)
	rc=0
	out=$(SUITE=irq summarize_uml "$run" irq) || rc=$?
	judge irq 'FAILED: cdev: after the unassignment: vfio_ap holds no pinned page' \
		"$rc" "$out"
	"$TOP/scripts/modules.sh" debug >/dev/null || echo "harness: this checkout's modules could not be rebuilt"
	rm -rf "$mut"
fi

echo "== a host request that is never ended"
# tests/harness/mutations/flush-forgets-pending.patch: ending a queue's
# requests forgets those sent already. A reset's are sent again (the
# machine holds none of them), but a queue that leaves the host's driver
# is polled no more: its clients hang until their time-out, and the
# zcrypt selftest must fail.
if wanted zcrypt; then
	mut=$(mutant zcrypt flush-forgets-pending)
	run=$(SUITE=zcrypt UML_RUN=harness-zcrypt "$mut/scripts/uml-run.sh" test debug)
	rc=0
	out=$(SUITE=zcrypt summarize_uml "$run" zcrypt) || rc=$?
	judge zcrypt 'FAILED: adapter 6 moved to vfio_ap by apmask: every result right or ENODEV' \
		"$rc" "$out"
	"$TOP/scripts/modules.sh" debug >/dev/null || echo "harness: this checkout's modules could not be rebuilt"
	rm -rf "$mut"
fi

echo "== a fetch of the s390x user space that takes no fallback"
# tests/harness/mutations/fetch-no-fallback.patch: debfetch.py gives up
# when a locked file cannot be had. The fetch test (a local archive whose
# newest version answers 404) must fail.
if wanted fetch; then
	mut=$(mutant fetch-no-fallback)
	rc=0
	out=$("$mut/tests/host/s390x_fetch.sh" 2>&1) || rc=$?
	judge fetch '^not ok [0-9]+ alpha: the locked 2 answered 404' "$rc" "$out"
	rm -rf "$mut"
fi

echo "== a deliberate endianness bug, on s390x (big-endian)"
# tests/harness/mutations/endian-mask-format.patch formats a mask from
# the bitmap's bytes in memory order, each bit-reversed: right on a
# little-endian machine, wrong on s390x. A copy of the checkout carries
# it; its s390x modules are built into the shared s390x build, the ap_bus
# selftest runs on s390x and must fail, and the build then gets the
# checkout's own modules back.
if wanted endian; then
	mut=$(mutant endian-mask-format)
	run=$(SUITE=ap_bus S390_RUN=harness-endian "$mut/scripts/s390-selftests.sh")
	verdict endian '^ *FAILED: seed aqmask after \+8' "$run" --suite ap_bus \
		--kunit-src "$TOP/tests/kunit" --kunit-suite ap_health \
		--always ap_health_kunit --selftest-src "$TOP/tests/selftests"
	"$TOP/scripts/s390-kernel.sh" > /dev/null || echo "harness: the s390x build could not be restored"
	rm -rf "$mut"
fi

echo "harness: $caught caught, $missed missed"
[ "$missed" -eq 0 ] && [ "$control_ok" -eq 1 ]
