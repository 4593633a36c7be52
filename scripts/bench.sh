#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh: the benchmarks (make bench). Builds a UML kernel without the
# debug options (lockdep, KASAN, kmemleak and UBSAN would dominate every
# figure; the tests run with them) and the modules against it, boots it
# in bench mode (tests/uml/bench.sh) and prints the table: each
# operation's median and 99th percentile in microseconds and its ratio to
# the floor (a write that does nothing) of the same run.
# BENCH_MDEVS and BENCH_ROUNDS change the run.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/setup-host.sh"
echo "Building the bench kernel (no debug options) and modules; cached after the first time..."
"$TOP/scripts/kernel.sh" bench >/dev/null
"$TOP/scripts/modules.sh" bench >/dev/null
# slab_nomerge: each slab cache keeps its own name in /proc/slabinfo.
params="mem=3072M slab_nomerge"
[ -n "${BENCH_MDEVS:-}" ] && params="$params BENCH_MDEVS=${BENCH_MDEVS// /,}"
[ -n "${BENCH_ROUNDS:-}" ] && params="$params BENCH_ROUNDS=$BENCH_ROUNDS"
run=$(UML_TIMEOUT=${UML_TIMEOUT:-5400} UML_CMDLINE="$params" \
	taskset -c 0 "$TOP/scripts/uml-run.sh" bench bench)
"$TOP/scripts/bench-table.py" "$run/bench.txt"
echo "raw results: $run/bench.txt"
