#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test.sh: the whole test run (what `make test` and .ci/run do).
#   1. install missing packages, build the kernels (cached);
#   2. UML: load the modules, run every KUnit suite and the selftests;
#   3. s390x: the KUnit suites in-tree under qemu-system-s390x; with
#      S390_SELFTESTS=1 also every selftest natively on s390x
#      (scripts/s390-selftests.sh), in the background while the UML run
#      goes on (UML uses one core, qemu the other). Not yet by default: it
#      does not fit the time budget yet (Documentation/testing.rst);
#   4. a bounded fuzz run of the pure parsers, the demo and the shell;
#   5. static checks (make check).
# Ends with "kunit: N passed, M failed" over all of it; exit 0 iff M = 0.
# SUITE=<glob> limits steps 2 and 3 to matching suites and skips 4.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/setup-host.sh" || exit 1
start=$SECONDS
total_pass=0
total_fail=0

tally() { # LAST-LINE
	local p f
	p=$(echo "$1" | sed -n 's/^[a-z0-9]*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
	f=$(echo "$1" | sed -n 's/^[a-z0-9]*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
	total_pass=$((total_pass + ${p:-0}))
	total_fail=$((total_fail + ${f:-1}))
}

# The s390x runs: the KUnit suites (kunit.py), then the selftests. In
# the background, their progress goes to stderr marked [s390x].
s390_bg() {
	local kunit selftests
	kunit=$("$TOP/scripts/s390-kunit.sh") || true
	selftests=none
	if [ "${S390_SELFTESTS:-0}" = 1 ]; then
		selftests=$("$TOP/scripts/s390-selftests.sh") || true
	fi
	echo "$kunit"
	echo "$selftests"
}
s390_pid=
if [ "${SKIP_S390:-0}" != 1 ]; then
	s390_runs=$(mktemp)
	if [ "${S390_SELFTESTS:-0}" = 1 ]; then
		s390_bg > "$s390_runs" 2> >(sed -u 's/^/[s390x] /' >&2) &
		s390_pid=$!
	fi
fi

echo "== UML (lockdep, KASAN, kmemleak, UBSAN)"
run=$("$TOP/scripts/uml-run.sh" test debug) || true
if [ -d "$run" ]; then
	out=$(summarize_uml "$run" uml)
	echo "$out"
	tally "$(echo "$out" | tail -n 1)"
else
	echo "uml: 0 passed, 1 failed"
	tally "uml: 0 passed, 1 failed"
fi

if [ "${SKIP_S390:-0}" != 1 ]; then
	echo "== s390x under qemu (big-endian, in-tree build): KUnit, then the selftests"
	if [ -n "$s390_pid" ]; then
		wait "$s390_pid"
	else
		s390_bg > "$s390_runs"
	fi
	{ read -r run; read -r run2; } < "$s390_runs"
	rm -f "$s390_runs"
	p=0 f=0
	for part in kunit selftests; do
		[ "$part" = selftests ] && [ "$run2" = none ] && continue
		if [ "$part" = kunit ]; then
			r=$run
			[ -d "$r" ] && out=$(summarize_s390 "$r" s390-kunit)
		else
			r=$run2
			[ -d "$r" ] && out=$(summarize_s390_selftests "$r" s390-selftests)
		fi
		[ -d "$r" ] || out="s390-$part: 0 passed, 1 failed"
		echo "$out"
		last=$(echo "$out" | tail -n 1)
		lp=$(echo "$last" | sed -n 's/^[a-z0-9-]*: \([0-9]*\) passed, [0-9]* failed$/\1/p')
		lf=$(echo "$last" | sed -n 's/^[a-z0-9-]*: [0-9]* passed, \([0-9]*\) failed$/\1/p')
		p=$((p + ${lp:-0}))
		f=$((f + ${lf:-1}))
	done
	echo "s390: $p passed, $f failed"
	tally "s390: $p passed, $f failed"
fi

if [ -z "${SUITE:-}" ]; then
	echo "== fuzzing the pure parsers (libFuzzer, ASan, UBSan; ${FUZZ_SECONDS:-30} s)"
	out=$("$TOP/scripts/fuzz.sh" "${FUZZ_SECONDS:-30}" 2>&1)
	echo "$out"
	tally "$(echo "$out" | tail -n 1)"

	echo "== the demo and the shell, as a user runs them"
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

	echo "== static checks"
	out=$("$TOP/scripts/check.sh")
	echo "$out"
	tally "$(echo "$out" | tail -n 1)"
fi

echo "== $((SECONDS - start)) s"
echo "kunit: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
