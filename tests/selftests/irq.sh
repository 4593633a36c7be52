#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest interrupts, as IBM Z delivers them. A guest's PQAP(AQIC) is not
# interpreted by the machine but intercepted to vfio_ap's hook, which
# pins the page of the guest's notification byte (in the RAM the guest
# mapped for DMA), registers its ISC in the guest's GISA and issues the
# host AQIC. The machine then sets the byte and makes the ISC pending for
# each reply, and the guest (apguest -c) dequeues only after it saw both.
# Each invalid request gets 0x06 and holds nothing; every path that ends
# the guest's use of a queue leaves nothing pinned nor registered, as
# vfio_ap's irqs file and the machine's guests file (its GISA and each
# queue's interrupt target) both tell; the machine judges that it never
# wrote into a page nobody pinned. A second mdev in the same VM (the same
# process) is refused with EPERM. Both QEMU flows.
. "$APVFIO_TOP/tests/uml/lib.sh"
. "$APVFIO_TOP/tests/selftests/lib.sh"
TMPD=${APVFIO_OUT:-/tmp}/irq.tmp
mkdir -p "$TMPD"

U=f1007000-0000-4000-8000-000000000001
U2=f1007000-0000-4000-8000-000000000002
LOG=$TMPD/guest.log
# The guest's command pipe: in /tmp, since the results' share (9p on
# s390x) has no named pipes.
CMD=$(mktemp -u /tmp/irq-cmd.XXXXXX)
# clean UUID CTX WHAT: nothing is held for the guest, by either party.
clean() {
	check_eq "$3: vfio_ap holds no pinned page and no ISC" "$(held $1)" \
		"pinned 0 iscs 0"
	check_eq "$3: the machine has no ISC registered and no target" \
		"$(gisa $2)" "iscs 0 irq none"
}

# enable APQN OFFSET: the guest enables a queue's interrupts, ISC 3.
enable() {
	check_eq "enable $1's interrupts, byte at $2" "$(gc aqic $1 on 3 $2)" \
		"== aqic $1 rc=0x00 irq=1"
}

ap_load
vfio_load
check_write "give domains 4, 0x47, 0xab and 0xff to vfio_ap" $AP/aqmask \
	-4,-0x47,-0xab,-0xff OK
check_eq "create the mdev" "$(mdev_create $U)" OK
check_eq "create a second mdev" "$(mdev_create $U2)" OK

# flow NAME OPTION: the whole story in one of QEMU's flows.
flow() {
	f=$1
	check_write "$f: assign adapters 5 and 6, domains 4 and 0xab" \
		$MATRIX/$U/ap_config "$(hexmask 5 6),$(hexmask 4 171),0x0" OK
	check_write "$f: assign adapter 5, domain 0x47 to the second mdev" \
		$MATRIX/$U2/ap_config "$(hexmask 5),$(hexmask 71),0x0" OK
	check "$f: the guest starts" gc_start $U "$2"
	ctx=$(guest_ctx $U)
	check_eq "$f: nothing held at the start" "$(held $U)" "pinned 0 iscs 0"

	# Without interrupts a guest polls.
	check_eq "$f: a request without interrupts is polled" \
		"$(gc request 05.0004)" "== reply 05.0004 polled dqap rc=0x00"

	# An interrupt per reply, through the guest's own memory and GISA.
	# The queue holds the guest's secret: the host AQIC that vfio_ap
	# issues for the guest is the hypervisor's, not the host reaching it.
	check_eq "$f: the guest stores a secret in 05.0004" \
		"$(gstore $U 05.0004 0x77)" "0x00 0x00"
	enable 05.0004 0x1000
	check "$f: the machine saw no violation" machine_clean
	check_eq "$f: vfio_ap pinned one page and registered one ISC" \
		"$(held $U)" "pinned 1 iscs 1"
	check_eq "$f: the machine has ISC 3 registered, 05.0004 targets the guest" \
		"$(gisa $ctx)" "iscs 1 irq 05.0004"
	check_eq "$f: TAPQ shows the interrupts enabled" \
		"$(ginstr $U tapq 05.0004 | sed 's/.*\(irq=.\).*/\1/')" irq=1
	check_eq "$f: a reply interrupts the guest (byte set, ISC 3 pending)" \
		"$(gc request 05.0004)" \
		"== reply 05.0004 irq nib=1 ipm=0x10 dqap rc=0x00"
	check_eq "$f: and the next one again" "$(gc request 05.0004)" \
		"== reply 05.0004 irq nib=1 ipm=0x10 dqap rc=0x00"
	check_eq "$f: enabling again moves the byte, still one page" \
		"$(gc aqic 05.0004 on 3 0x1100)" "== aqic 05.0004 rc=0x00 irq=1"
	check_eq "$f: still one pinned page and one ISC" "$(held $U)" \
		"pinned 1 iscs 1"
	check_eq "$f: the reply sets the new byte" "$(gc request 05.0004)" \
		"== reply 05.0004 irq nib=1 ipm=0x10 dqap rc=0x00"

	# The host's AQIC answers "otherwise changed" (0x07): the new setting
	# is undone, the old one stays; another error disables them.
	check_eq "$f: the next AQIC of 05.0004 answers 0x07" \
		"$(sim inject 05.0004 aqic 7)" OK
	check_eq "$f: enabling with another byte gets 0x07" \
		"$(gc aqic 05.0004 on 3 0x1200)" "== aqic 05.0004 rc=0x07 irq=0"
	check_eq "$f: the old page stays, the new one is not held" \
		"$(held $U)" "pinned 1 iscs 1"
	check_eq "$f: and replies still interrupt through the old byte" \
		"$(gc request 05.0004)" \
		"== reply 05.0004 irq nib=1 ipm=0x10 dqap rc=0x00"
	check_eq "$f: the next AQIC of 05.0004 answers 0x05 (busy)" \
		"$(sim inject 05.0004 aqic 5)" OK
	check_eq "$f: enabling again gets 0x05" \
		"$(gc aqic 05.0004 on 3 0x1100)" "== aqic 05.0004 rc=0x05 irq=0"
	clean $U $ctx "$f: after an AQIC that failed otherwise"
	enable 05.0004 0x1100

	# Invalid requests: 0x06, nothing more held.
	check_eq "$f: a notification byte at address 0: 0x06" \
		"$(gc aqic 06.0004 on 3 0)" "== aqic 06.0004 rc=0x06 irq=0"
	check_eq "$f: an address the guest has not mapped: 0x06" \
		"$(gc aqic 06.0004 on 3 0x400000)" "== aqic 06.0004 rc=0x06 irq=0"
	check_eq "$f: an ISC the GISA refuses (8): 0x06" \
		"$(gc aqic 06.0004 on 8 0x2000)" "== aqic 06.0004 rc=0x06 irq=0"
	check_eq "$f: a queue outside the guest's CRYCB: 0x01" \
		"$(gc aqic 05.0047 on 3 0x2000)" "== aqic 05.0047 rc=0x01 irq=0"
	check_eq "$f: the invalid requests hold nothing" "$(held $U)" \
		"pinned 1 iscs 1"
	check_eq "$f: and the machine agrees" "$(gisa $ctx)" "iscs 1 irq 05.0004"

	# One VM, one mdev.
	check_eq "$f: the same VM opening a second mdev gets EPERM" \
		"$(gc open $U2 | sed 's/^== open [^ ]* //')" "$3: EPERM"
	check_eq "$f: the first guest keeps its interrupts" \
		"$(gc request 05.0004)" \
		"== reply 05.0004 irq nib=1 ipm=0x10 dqap rc=0x00"

	# The guest disables them; a queue that answers busy is asked again.
	check_eq "$f: the next AQIC of 05.0004 answers 0x05 (busy)" \
		"$(sim inject 05.0004 aqic 5)" OK
	check_eq "$f: the guest disables 05.0004's interrupts" \
		"$(gc aqic 05.0004 off)" "== aqic 05.0004 rc=0x00 irq=0"
	clean $U $ctx "$f: after the guest's disable"
	check_eq "$f: its requests are polled again" "$(gc request 05.0004)" \
		"== reply 05.0004 polled dqap rc=0x00"

	# VFIO_DEVICE_RESET.
	enable 05.0004 0x1000
	enable 06.00ab 0x2000
	kill -USR1 $GUEST_PID
	check "$f: the guest resets the device" \
		wait_for 10 grep -q '^== reset' "$LOG"
	clean $U $ctx "$f: after VFIO_DEVICE_RESET"

	# Hot unplug: unassign, LPAR removal, check-stop, configure off.
	enable 06.0004 0x1000
	check_write "$f: unassign adapter 6 while its interrupts are on" \
		$MATRIX/$U/unassign_adapter 6 OK
	clean $U $ctx "$f: after the unassignment"
	check_write "$f: assign adapter 6 again" $MATRIX/$U/assign_adapter 6 OK
	wait_for 10 grep -q "^06.0004$" $MATRIX/$U/guest_matrix
	for how in "remove-adapter 6:add-adapter 6" \
		   "configure 6 off:configure 6 on" \
		   "remove-domain 4:add-domain 4"; do
		enable 06.0004 0x1000
		check_eq "$f: sim ${how%%:*}" "$(sim ${how%%:*})" OK
		check "$f: 06.0004 leaves the guest" \
			wait_for 10 not grep -q "^06.0004$" $MATRIX/$U/guest_matrix
		clean $U $ctx "$f: after ${how%%:*}"
		check_eq "$f: sim ${how##*:}" "$(sim ${how##*:})" OK
		check "$f: 06.0004 comes back" \
			wait_for 10 grep -q "^06.0004$" $MATRIX/$U/guest_matrix
	done

	# A check-stop is no hot unplug: the guest keeps the queue, but the
	# machine forgets where its interrupts went (simulator.rst): after
	# it the guest enables them again, as the AP bus does.
	enable 06.0004 0x1000
	check_eq "$f: sim checkstop 6 on" "$(sim checkstop 6 on)" OK
	check_eq "$f: the guest's request answers check-stop" \
		"$(gc request 06.0004)" "== reply 06.0004 nqap rc=0x04"
	check_eq "$f: vfio_ap keeps what the guest enabled" "$(held $U)" \
		"pinned 1 iscs 1"
	check_eq "$f: the machine has no target left" "$(gisa $ctx)" \
		"iscs 1 irq none"
	check_eq "$f: sim checkstop 6 off" "$(sim checkstop 6 off)" OK
	check_eq "$f: 06.0004 is still the guest's" \
		"$(grep -c '^06.0004$' $MATRIX/$U/guest_matrix)" 1
	check_eq "$f: TAPQ shows its interrupts disabled" \
		"$(ginstr $U tapq 06.0004 | sed 's/.*\(irq=.\).*/\1/')" irq=0
	check_eq "$f: a reply brings no interrupt" "$(gc request 06.0004)" \
		"== reply 06.0004 no interrupt nib=0 ipm=0x00"
	check_eq "$f: dequeue it" "$(ginstr $U dqap 06.0004 | cut -c1-7)" \
		"rc=0x00"
	enable 06.0004 0x1000
	check_eq "$f: enabled again, still one page and one ISC" "$(held $U)" \
		"pinned 1 iscs 1"
	check_eq "$f: the next reply interrupts the guest" \
		"$(gc request 06.0004)" \
		"== reply 06.0004 irq nib=1 ipm=0x10 dqap rc=0x00"
	check_eq "$f: the guest disables them" "$(gc aqic 06.0004 off)" \
		"== aqic 06.0004 rc=0x00 irq=0"
	clean $U $ctx "$f: after the check-stop"

	# The guest unmaps its RAM while the interrupts are on.
	enable 05.0004 0x1000
	check_eq "$f: the guest unmaps its RAM" "$(gc unmap)" "== unmap OK"
	clean $U $ctx "$f: after the unmap"
	check_eq "$f: 05.0004's interrupts were disabled" \
		"$(ginstr $U tapq 05.0004 | sed 's/.*\(irq=.\).*/\1/')" irq=0

	# Close while the adapter is check-stopped: the disable answers 04,
	# and the machine no longer targets the guest it destroys.
	gc_stop
	check "$f: the guest starts again" gc_start $U "$2"
	enable 06.0004 0x1000
	check_eq "$f: sim checkstop 6 on, the guest's interrupts on" \
		"$(sim checkstop 6 on)" OK
	gc_stop
	check "$f: closed during the check-stop: the machine saw no violation" \
		machine_clean
	check_eq "$f: vfio_ap holds nothing" "$(held $U)" "pinned 0 iscs 0"
	check_eq "$f: sim checkstop 6 off" "$(sim checkstop 6 off)" OK

	# Close.
	check "$f: the guest starts again" gc_start $U "$2"
	ctx=$(guest_ctx $U)
	check "$f: 06.0004 is the guest's again once zeroized" \
		wait_for 10 grep -q "^06.0004$" $MATRIX/$U/guest_matrix
	enable 05.0004 0x1000
	enable 06.0004 0x1800
	gc_stop
	check_eq "$f: after the close vfio_ap holds nothing" "$(held $U)" \
		"pinned 0 iscs 0"
	check_eq "$f: and the machine has no interrupt target left" \
		"$(grep -c '^  irq' $SIM/guests)" 0

	# Removal of the mdev while the guest runs.
	check "$f: the guest starts again" gc_start $U "$2"
	enable 05.0004 0x1000
	check_write "$f: remove the mdev while its interrupts are on" \
		$MATRIX/$U/remove 1 OK
	check "$f: the guest released the device" \
		wait_for 10 grep -q '^== released' "$LOG"
	exec 7>&-
	wait "$GUEST_PID"
	check_eq "$f: no interrupt target is left in the machine" \
		"$(grep -c '^  irq' $SIM/guests)" 0
	check_eq "$f: create the mdev again" "$(mdev_create $U)" OK
	vfio_check "$f: at the end"
}

flow cdev "" VFIO_DEVICE_BIND_IOMMUFD
flow group -g VFIO_GROUP_GET_DEVICE_FD

"$APWRITE" $MATRIX/$U/remove 1 >/dev/null
"$APWRITE" $MATRIX/$U2/remove 1 >/dev/null
rm -f "$CMD"
rmmod vfio_ap
rmmod mdev
ap_unload
st_done
