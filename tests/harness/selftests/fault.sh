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
violation)
	# The host reads the secret a guest stored: the machine records it,
	# and the test unloads the simulator before st_done, as every
	# selftest does; its verdict must still be asserted.
	. "$APVFIO_TOP/tests/uml/lib.sh"
	U=4a12e550-0000-4000-8000-000000000001
	ap_load && vfio_load
	"$APWRITE" $AP/aqmask -4 >/dev/null
	mdev_create $U >/dev/null
	"$APWRITE" $MATRIX/$U/ap_config "$(hexmask 5),$(hexmask 4),0x0" >/dev/null
	check "a guest runs" guest_start $U /tmp/harness-guest.log
	check_eq "it stores a secret" "$(gstore $U 05.0004 0x77)" "0x00 0x00"
	hinstr nqap 05.0004 get-secret >/dev/null
	guest_stop $GUEST_PID
	"$APWRITE" $MATRIX/$U/remove 1 >/dev/null
	rmmod vfio_ap
	rmmod mdev
	ap_unload
	st_done
	exit ;;
none|kunit-hang)
	check "the fault module loads and does nothing" insmod "$ko" fault=none ;;
*)
	check "the fault module loads and does its damage" \
		insmod "$ko" fault="$APVFIO_HARNESS" ;;
esac
check "the fault module unloads" rmmod harness_fault
st_done
