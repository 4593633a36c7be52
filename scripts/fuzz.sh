#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fuzz.sh [SECONDS]: build the pure AP parsers in user space with
# libFuzzer, AddressSanitizer and UndefinedBehaviorSanitizer, and fuzz
# them for SECONDS (default 30), starting from tests/fuzz/corpus.
# Prints "fuzz: N passed, M failed" (one test: the run) after libFuzzer's
# own figures; a crash or a sanitizer report fails it.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

secs=${1:-30}
out=$CACHE/fuzz
mkdir -p "$out/corpus"
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-I "$TOP/tests/fuzz/shim" -I "$TOP/include" \
	-o "$out/ap_parse_fuzz" "$TOP/tests/fuzz/ap_parse_fuzz.c" \
	"$TOP/drivers/ap/mask.c" "$TOP/drivers/ap/matrix.c" \
	"$TOP/drivers/ap/migstream.c" "$TOP/drivers/ap/override.c" \
	"$TOP/drivers/ap/type50.c" || {
	echo "fuzz: 0 passed, 1 failed"
	exit 1
}
cp -n "$TOP"/tests/fuzz/corpus/* "$out/corpus/" 2>/dev/null
(cd "$out" && ./ap_parse_fuzz -max_total_time="$secs" -print_final_stats=1 \
	-artifact_prefix="$out/" corpus) > "$out/fuzz.log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/fuzz.log")
crashes=$(ls "$out"/crash-* "$out"/leak-* "$out"/timeout-* 2>/dev/null | wc -l)
echo "  fuzz executions: ${runs:-0}, crashes: $crashes, log: $out/fuzz.log"
if [ "$rc" -ne 0 ]; then
	grep -m 5 'ERROR\|check failed\|SUMMARY' "$out/fuzz.log" | sed 's/^/  /'
	echo "fuzz: 0 passed, 1 failed"
	exit 1
fi
echo "fuzz: 1 passed, 0 failed"
