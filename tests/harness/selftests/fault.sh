#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The selftest of the harness's mutation test: does what APVFIO_HARNESS
# names (see scripts/test-harness.sh) and otherwise passes. Kernel
# faults come from loading harness_fault.ko with that fault.
. "$APVFIO_TOP/tests/selftests/lib.sh"

ko=${APVFIO_KUNIT_DIR%/*}/harness_fault.ko
case ${APVFIO_HARNESS:-none} in
exit1)
	st_ok "a check that passes"
	st_ok "another check that passes"
	echo "1..2"
	exit 1 ;;
hang)
	st_ok "a check that passes"
	sleep 3600 ;;
none|kunit-hang)
	check "the fault module loads and does nothing" insmod "$ko" fault=none ;;
*)
	check "the fault module loads and does its damage" \
		insmod "$ko" fault="$APVFIO_HARNESS" ;;
esac
check "the fault module unloads" rmmod harness_fault
st_done
