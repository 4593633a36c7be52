#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The two ways QEMU opens an mdev's VFIO device: current QEMU's, the
# device's cdev bound to an iommufd (apguest), and QEMU 7.2's, the mdev's
# VFIO group set to a container (apguest -g; in the UML test kernel the
# container is iommufd's compatibility container). In each flow a guest
# on an mdev with assigned queues gets a context in the machine and
# exactly the assigned queues; a reset succeeds and keeps them; an
# assignment while it runs is told to it; removing the mdev asks it to
# release the device, and it closes. Opening the mdev through the other
# flow while the guest has it open fails with the kernel's errno, and the
# guest goes on undisturbed. Last, the device answers apguest -V the same
# in both flows.
. "$APVFIO_TOP/tests/uml/lib.sh"
. "$APVFIO_TOP/tests/selftests/lib.sh"
TMPD=${APVFIO_OUT:-/tmp}/vfio_flows.tmp
mkdir -p "$TMPD"

U=f1005000-0000-4000-8000-000000000001
LOG=$TMPD/guest.log
OTHER=$TMPD/other.log

TABLE_4="CARD.DOMAIN TYPE  MODE
------------------------------
05          CEX5C CCA-Coproc
05.0004     CEX5C CCA-Coproc
06          CEX5A Accelerator
06.0004     CEX5A Accelerator"
# Domains 4 and 0xab on adapters 5 and 6: the Example's Guest1.
TABLE_4_AB=$SEED_GUEST1
MATRIX_4="05.0004
06.0004"

# has_context N: the machine holds a guest context N.
has_context() {
	[ -n "$1" ] && grep -q "^guest $1 " "$SIM/guests"
}

# resets LOG: how many resets the guest did.
resets() {
	grep -c '^== reset' "$1"
}

# resets_at_least LOG N: the guest did N resets or more.
resets_at_least() {
	test "$(resets "$1")" -ge "$2"
}

# open_error LOG: "STEP: ERRNO" of the failed open a guest reported.
open_error() {
	sed -n 's/^== error: .*: \(.*\) failed (\([A-Z0-9]*\): .*/\1: \2/p' "$1"
}

# ioctl_block TEXT NAME: the lines of apguest -V's block "== NAME".
ioctl_block() {
	echo "$1" | sed -n "/^== $2\$/,/^== end/p" | grep -v '^=='
}

# second_guest DESCRIPTION OPTION WANT: a second guest of mdev U, opening
# the device with apguest OPTION while the first has it open, fails; WANT
# is the "STEP: ERRNO" it reports.
#
# These checks are the VFIO core's verdict, not vfio_ap's: the core
# refuses the second opener before any driver code runs (group.c: the
# group is open already, or its device is bound through the cdev;
# vfio_main.c: a cdev open while the device is open, or bound to an
# iommufd already). It calls a driver's open_device only when the device
# goes from no opener to one, so vfio_ap's own guard (a second guest
# context for an mdev that has one, -EBUSY in
# vfio_ap_guest_attach_locked()) cannot be reached from user space: a
# second VFIO_GROUP_GET_DEVICE_FD in the same group gets another file of
# the same open device and the same guest. That guard is tested by the
# vfio_ap_mdev KUnit suite, through the driver's own entry point. What
# vfio_ap decides here is checked after each refusal: the first guest
# keeps its context and its queues, and goes on.
second_guest() {
	"$APVFIO_TOOLS/apguest" ${2:+"$2"} $U > "$OTHER" 2>&1
	check_eq "$1 fails [VFIO core]" "$?" 1
	check_eq "$1 fails at ${3%%: *} with ${3##*: } [VFIO core]" \
		"$(open_error "$OTHER")" "$3"
}

# flow NAME OPTION OTHER-NAME OTHER-OPTION OTHER-ERROR SAME-ERROR: a guest
# of mdev U opens the device in flow NAME (apguest OPTION). A second guest
# through flow OTHER-NAME (apguest OTHER-OPTION) must fail with
# OTHER-ERROR, one through flow NAME with SAME-ERROR ("STEP: ERRNO").
flow() {
	f=$1
	check_eq "$f: create the mdev" "$(mdev_create $U)" OK
	check_write "$f: assign adapters 5 and 6, domain 4" $MATRIX/$U/ap_config \
		"$(hexmask 5 6),$(hexmask 4),0x0" OK
	check "$f: the guest starts" guest_start $U "$LOG" "$2"
	pid=$GUEST_PID
	ctx=$(guest_ctx $U)
	check "$f: the machine created a guest context" has_context "$ctx"
	check_eq "$f: the guest's table is exactly the assigned queues" \
		"$(guest_view "$LOG")" "$TABLE_4"
	check_eq "$f: guest_matrix agrees" "$(cat $MATRIX/$U/guest_matrix)" \
		"$MATRIX_4"

	check_eq "$f: the guest stores a secret in 05.0004" \
		"$(gstore $U 05.0004 0x51)" "0x00 0x00"
	kill -USR1 $pid
	check "$f: the guest resets the device (VFIO_DEVICE_RESET succeeds)" \
		wait_for 10 grep -q '^== reset' "$LOG"
	check "$f: and reports no error" not grep -q '^== error' "$LOG"
	check_eq "$f: the reset zeroized 05.0004" "$(gsecret $U 05.0004)" 0x0
	check_eq "$f: the guest keeps its queues" \
		"$(cat $MATRIX/$U/guest_matrix)" "$MATRIX_4"
	check_eq "$f: and its context" "$(guest_ctx $U)" "$ctx"
	check_eq "$f: its TAPQ on 06.0004 answers normal" \
		"$(grc $U tapq 06.0004)" 0x00

	check_write "$f: assign domain 0xab while the guest runs" \
		$MATRIX/$U/assign_domain 0xab OK
	check "$f: the guest is told" guest_wait_views "$LOG" 2
	check_eq "$f: its new table has domain 0xab" "$(guest_view "$LOG")" \
		"$TABLE_4_AB"

	second_guest "$f: a second guest through the $3 flow" "$4" "$5"
	second_guest "$f: a second guest through the $f flow" "$2" "$6"
	check_eq "$f: the first guest keeps its context" "$(guest_ctx $U)" "$ctx"
	check "$f: which the machine still holds" has_context "$ctx"
	check_eq "$f: its TAPQ on 05.00ab answers normal" \
		"$(grc $U tapq 05.00ab)" 0x00
	kill -USR1 $pid
	check "$f: it still resets the device" \
		wait_for 10 resets_at_least "$LOG" 2
	check_write "$f: unassign domain 0xab" $MATRIX/$U/unassign_domain 0xab OK
	check "$f: the guest is told" guest_wait_views "$LOG" 3
	check_eq "$f: its table is back to domain 4" "$(guest_view "$LOG")" \
		"$TABLE_4"
	check "$f: the guest reported no error" not grep -q '^== error' "$LOG"
	vfio_check "$f: while the guest runs"

	check_write "$f: remove the mdev while the guest runs" \
		$MATRIX/$U/remove 1 OK
	check "$f: the guest was asked to release the device" \
		grep -q '^== release requested$' "$LOG"
	check "$f: and closed it" wait_for 10 grep -q '^== released' "$LOG"
	wait $pid
	check_eq "$f: the guest exited with status 0" "$?" 0
	check "$f: the machine destroyed its context" not has_context "$ctx"
	check "$f: the mdev is gone" test ! -e /sys/bus/mdev/devices/$U
}

ap_load
vfio_load
"$APWRITE" $AP/aqmask -4,-0x47,-0xab,-0xff >/dev/null

flow cdev "" group -g "open /dev/vfio/GROUP: EBUSY" \
	"VFIO_DEVICE_BIND_IOMMUFD: EINVAL"
flow group -g cdev "" "VFIO_DEVICE_BIND_IOMMUFD: EBUSY" \
	"open /dev/vfio/GROUP: EBUSY"

# --- apguest -V: the device answers the same in both flows -------------------
check_eq "create the mdev again" "$(mdev_create $U)" OK
check_write "assign adapter 5, domain 4" $MATRIX/$U/ap_config \
	"$(hexmask 5),$(hexmask 4),0x0" OK
cdev=$("$APVFIO_TOOLS/apguest" -V $U)
group=$("$APVFIO_TOOLS/apguest" -g -V $U)
check_eq "cdev flow: apguest -V answers twelve ioctls" \
	"$(ioctl_block "$cdev" ioctls | wc -l)" 12
check_eq "group flow: apguest -g -V gets the same answers" \
	"$(ioctl_block "$group" ioctls)" "$(ioctl_block "$cdev" ioctls)"
check_eq "group flow: the open mapped the guest's RAM" \
	"$(ioctl_block "$group" container)" \
	"map_dma of the guest's RAM again: EEXIST"
check_eq "no guest is left" "$(cat $VDBG/$U/guest)" none
vfio_check "at the end"

"$APWRITE" $MATRIX/$U/remove 1 >/dev/null
rmmod vfio_ap
rmmod mdev
ap_unload
st_done
