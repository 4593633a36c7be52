#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh: the README's first command. Sets up what is missing, boots the
# UML test kernel with the simulated LPAR of the specification's example,
# and shows tests/uml/demo.sh walking through it, as it happens. The
# kernel's own messages go to a log file, named at the end.
# Exit status 0 when every guest saw what the specification says.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/setup-host.sh" || exit 1
mkdir -p "$CACHE" || exit 1
build_all() {
	"$TOP/scripts/kernel.sh" debug >/dev/null 2>"$CACHE/demo-build.log" &&
		"$TOP/scripts/modules.sh" debug >/dev/null 2>>"$CACHE/demo-build.log" &&
		"$TOP/scripts/tools.sh" >/dev/null 2>>"$CACHE/demo-build.log"
}
progress "Preparing the test kernel and the modules (built once, then cached; log: $CACHE/demo-build.log)" \
	build_all 2>&1 || { tail -n 20 "$CACHE/demo-build.log"; exit 1; }

out=$CACHE/runs/demo
rm -f "$out/demo.out" "$out/status"
"$TOP/scripts/uml-run.sh" demo debug >/dev/null 2>&1 &
pid=$!
while [ ! -f "$out/demo.out" ] && kill -0 $pid 2>/dev/null; do
	sleep 0.2
done
[ -f "$out/demo.out" ] && tail -n +1 -f --pid=$pid "$out/demo.out"
wait $pid
status=$(cat "$out/status" 2>/dev/null || echo 1)
if ! "$TOP/scripts/summarize.py" --kernel-log-only "$out"; then
	echo "demo: the kernel reported a problem (see above)"
	status=1
fi
echo
echo "Kernel log: $out/dmesg.log (console: $out/console.log)"
exit "$status"
