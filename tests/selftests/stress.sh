#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A short concurrent stress run (apstress): four actors, random seeded
# operations of every kind, the invariant checker at quiescent points.
# STRESS_OPS, STRESS_SEED and STRESS_THREADS change the run (make stress).
. "$APVFIO_TOP/tests/uml/lib.sh"
. "$APVFIO_TOP/tests/selftests/lib.sh"

ap_load
vfio_load
check_eq "the invariants hold before" "$(tail -n 1 $VDBG/check)" \
	"$(tail -n 1 $VDBG/check | sed 's/violations: .*/violations: 0/')"
out=$("$APVFIO_TOOLS/apstress" -s "${STRESS_SEED:-1}" -n "${STRESS_OPS:-4000}" \
	-t "${STRESS_THREADS:-4}" -c 100 -T "${STRESS_SECONDS:-300}" 2>/tmp/apstress.err)
rc=$?
echo "# $out"
sed 's/^/# /' /tmp/apstress.err | head -n 40
check_eq "stress run: no violation, no unexpected errno" "$rc" 0
check "every operation ran" sh -c "echo '$out' | grep -q 'ops ${STRESS_OPS:-4000},'"
check_eq "no mdev left" "$(ls /sys/bus/mdev/devices | wc -l)" 0
rmmod vfio_ap
rmmod mdev
ap_unload
st_done
