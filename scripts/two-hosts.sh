#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# two-hosts.sh: live migration between two hosts. Boots two UML test
# kernels side by side, each with its own simulated machine; the first
# runs tests/selftests/two_hosts/mig_src.sh, the second mig_dst.sh, and
# they talk through a directory both see ($CACHE/runs/two-hosts-share).
# Each kernel's run is summarised as any UML run is (its TAP, its kernel
# log, its health); prints "two-hosts: N passed, M failed" last.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

# Built once, before either kernel boots: the two runs share the cache.
"$TOP/scripts/kernel.sh" debug >/dev/null &&
	obj=$("$TOP/scripts/modules.sh" debug) &&
	"$TOP/scripts/tools.sh" >/dev/null || {
	echo "two-hosts: 0 passed, 1 failed"
	exit 1
}
share=$CACHE/runs/two-hosts-share
rm -rf "$share" "$CACHE/runs/two-hosts-src" "$CACHE/runs/two-hosts-dst"
mkdir -p "$share"

boot() { # SIDE
	SUITE=mig_$1 UML_RUN=two-hosts-$1 UML_OBJ=$obj \
		UML_CMDLINE="APVFIO_NO_KUNIT=1 APVFIO_SHARE=$share APVFIO_SELFTEST_DIR=$TOP/tests/selftests/two_hosts" \
		UML_TIMEOUT=${UML_TIMEOUT:-900} \
		"$TOP/scripts/uml-run.sh" test debug >/dev/null 2>&1
}

boot src &
src=$!
# The second boot once the first is past its build checks.
for _ in $(seq 600); do
	[ -e "$CACHE/runs/two-hosts-src/source" ] && break
	sleep 0.1
done
boot dst &
dst=$!
wait $src $dst

pass=0
fail=0
for side in src dst; do
	run=$CACHE/runs/two-hosts-$side
	out=$("$TOP/scripts/summarize.py" --label "$side" --suite "mig_$side" \
		--kunit-src "$TOP/tests/kunit" --kunit-suite ap_health \
		--always ap_health_kunit \
		--selftest-src "$TOP/tests/selftests/two_hosts" "$run")
	echo "$out" | sed 's/^/  /'
	last=$(echo "$out" | tail -n 1)
	p=$(echo "$last" | sed -n 's/^[a-z0-9_-]*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
	f=$(echo "$last" | sed -n 's/^[a-z0-9_-]*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
	pass=$((pass + ${p:-0}))
	fail=$((fail + ${f:-1}))
done
echo "two-hosts: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
