#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test.sh: the whole test run (what `make test` and .ci/run do).
#   1. install missing packages, build the kernels (cached);
#   2. UML: load the modules, run every KUnit suite and the selftests;
#      then two UML kernels side by side for a live migration between
#      two hosts (scripts/two-hosts.sh);
#   3. s390x, big-endian, in the background from the start (UML uses one
#      core, qemu mostly the other): the in-tree s390x kernel under
#      qemu-system-s390x runs every KUnit suite as a module, then every
#      selftest (scripts/s390-selftests.sh with S390_KUNIT=1);
#   4. a bounded fuzz run of the pure parsers, the test of the s390x
#      user space's fetch (tests/host/s390x_fetch.sh), the demo and the
#      shell;
#   5. static checks (make check), while the s390x run goes on; its s390x
#      sparse pass waits for the s390x boot, which loads modules from the
#      same build. The s390x results are printed last.
# Ends with "kunit: N passed, M failed" over all of it; exit 0 iff M = 0.
# SUITE=<glob> limits steps 2 and 3 to matching suites and skips 4 and 5;
# SKIP_S390=1 skips step 3.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/setup-host.sh" || exit 1
start=$SECONDS
echo "== testing $(source_id)"
total_pass=0
total_fail=0

tally() { # LAST-LINE
	local p f
	p=$(echo "$1" | sed -n 's/^[a-z0-9-]*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
	f=$(echo "$1" | sed -n 's/^[a-z0-9-]*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
	total_pass=$((total_pass + ${p:-0}))
	total_fail=$((total_fail + ${f:-1}))
}

s390_pid=
if [ "${SKIP_S390:-0}" != 1 ]; then
	s390_run=$(mktemp)
	S390_KUNIT=1 "$TOP/scripts/s390-selftests.sh" > "$s390_run" \
		2> >(sed -u 's/^/[s390x] /' >&2) &
	s390_pid=$!
fi

echo "== UML (lockdep, KASAN, kmemleak, UBSAN)"
# The bound is a guard against a hung kernel, not a time limit: each
# selftest has its own (APVFIO_TEST_TIMEOUT), and on a fresh machine the
# s390x kernel builds on the other core meanwhile.
run=$(UML_TIMEOUT=${UML_TIMEOUT:-2700} "$TOP/scripts/uml-run.sh" test debug) || true
if [ -d "$run" ]; then
	out=$(summarize_uml "$run" uml)
	echo "$out"
	tally "$(echo "$out" | tail -n 1)"
else
	echo "uml: 0 passed, 1 failed"
	tally "uml: 0 passed, 1 failed"
fi

if [ -z "${SUITE:-}" ]; then
	echo "== live migration between two hosts (two UML kernels, two machines)"
	out=$("$TOP/scripts/two-hosts.sh" 2>&1)
	echo "$out" | grep -v '^>>>'
	tally "$(echo "$out" | tail -n 1)"

	echo "== fuzzing the pure parsers (libFuzzer, ASan, UBSan; ${FUZZ_SECONDS:-30} s)"
	out=$("$TOP/scripts/fuzz.sh" "${FUZZ_SECONDS:-30}" 2>&1)
	echo "$out"
	tally "$(echo "$out" | tail -n 1)"

	echo "== the fetch of the s390x user space (a local archive, no network)"
	out=$("$TOP/tests/host/s390x_fetch.sh" 2>&1)
	echo "$out" | grep -v '^ok ' | sed 's/^/  /'
	tally "$(echo "$out" | tail -n 1)"

	echo "== the demo and the shell, as a user runs them"
	mkdir -p "$CACHE/runs"
	log=$CACHE/runs/demo-test.log
	"$TOP/scripts/demo.sh" > "$log" 2>&1
	rc=$?
	p=$(grep -c '^  ok: ' "$log")
	f=$(grep -c '^  WRONG: ' "$log")
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	tail -n 4 "$log" | sed 's/^/  /'
	echo "demo: $p passed, $f failed"
	tally "demo: $p passed, $f failed"
	out=$("$TOP/scripts/shell-test.sh" 2>&1)
	echo "$out" | grep -v '^ok ' | sed 's/^/  /'
	tally "$(echo "$out" | tail -n 1)"

	check=1
fi

if [ -n "${check:-}" ]; then
	echo "== static checks"
	out=$("$TOP/scripts/check.sh")
	echo "$out"
	tally "$(echo "$out" | tail -n 1)"
fi

if [ -n "$s390_pid" ]; then
	echo "== s390x under qemu (big-endian, in-tree build): KUnit, then the selftests"
	wait "$s390_pid"
	run=$(tail -n 1 "$s390_run")
	rm -f "$s390_run"
	if [ -d "$run" ]; then
		out=$(summarize_s390_selftests "$run" s390)
	else
		out="s390: 0 passed, 1 failed"
	fi
	echo "$out"
	tally "$(echo "$out" | tail -n 1)"
fi

# A fallback is no failure, but the run says which packages used one.
s390x_userland_notes "$CACHE/s390x/root"
echo "== $((SECONDS - start)) s"
echo "kunit: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
