#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The source host of a live migration (with mig_dst.sh on another UML
# kernel; scripts/two-hosts.sh runs both). A guest (apguest, in the cdev
# flow) has adapter 5 with domains 4 and 0x47 and control domain 4, a
# secret in 05.0004 and interrupts enabled there. For each case the
# destination tries, the source stops the device, saves it into the
# share (STOP, STOP_COPY, the data file read to its end, the guest's RAM
# beside it) and waits for the destination's verdict. A refused
# migration takes the source back to RUNNING, where the guest must have
# everything it had: its queues, its interrupts, its secret, a reply
# waiting in a queue. After the migration that succeeds, the source's
# user closes the device: the guest's queues here are zeroized and
# nothing of the guest is left in this machine.
. "$APVFIO_TOP/tests/uml/lib.sh"
. "$APVFIO_TOP/tests/selftests/lib.sh"
. "$APVFIO_TOP/tests/selftests/two_hosts/lib.sh"
TMPD=${APVFIO_OUT:-/tmp}/mig_src.tmp
mkdir -p "$TMPD"
LOG=$TMPD/guest.log
CMD=$(mktemp -u /tmp/mig-src.XXXXXX)

# intact WHAT: the guest has all it had.
intact() {
	check_eq "$1: the guest runs" "$(gc mig-get)" "== mig-state running"
	check_eq "$1: its CRYCB is as before" \
		"$(crycb $U apm),$(crycb $U aqm),$(crycb $U adm)" "$CONFIG"
	check_eq "$1: vfio_ap holds its interrupts" "$(held $U)" \
		"pinned 1 iscs 1"
	check_eq "$1: the machine has their target" "$(gisa $ctx)" \
		"iscs 1 irq 05.0004"
	check_eq "$1: the reply waiting in 05.0047 is there" \
		"$(grc $U dqap 05.0047)" 0x00
	check_eq "$1: the secret is there" "$(gsecret $U 05.0004)" 0x77
	check_eq "$1: a reply interrupts the guest" "$(gc request 05.0004)" \
		"== reply 05.0004 irq nib=1 ipm=0x10 dqap rc=0x00"
}

ap_load
vfio_load
check_write "give domains 4 and 0x47 to vfio_ap" $AP/aqmask -4,-0x47 OK
check_eq "create the mdev" "$(mdev_create $U)" OK
check_write "assign adapter 5, domains 4 and 0x47, control domain 4" \
	$MATRIX/$U/ap_config "$CONFIG" OK
check_eq "the security officer loads domain 4's master key" \
	"$(sim set-mk 05.0004 $MK)" OK
check "the guest starts" gc_start $U ""
ctx=$(guest_ctx $U)
check_eq "it stores a secret in 05.0004" "$(gstore $U 05.0004 0x77)" \
	"0x00 0x00"
check_eq "it enables 05.0004's interrupts, ISC 3, byte at 0x1000" \
	"$(gc aqic 05.0004 on 3 0x1000)" "== aqic 05.0004 rc=0x00 irq=1"
check_eq "a reply interrupts it" "$(gc request 05.0004)" \
	"== reply 05.0004 irq nib=1 ipm=0x10 dqap rc=0x00"

for c in $CASES; do
	check_eq "$c: a request to 05.0047 waits for its reply" \
		"$(grc $U nqap 05.0047 get-secret)" 0x00
	check_eq "$c: the source saves the device" \
		"$(gc mig-save $SHARE/stream-$c)" "== mig-save OK 248"
	say "saved-$c"
	check "$c: the destination answers" hear "verdict-$c"
	echo "# destination: $(cat "$SHARE/verdict-$c" 2>/dev/null)"
	[ "$c" = ok ] && break
	check_eq "$c: refused there, the source runs again" \
		"$(gc mig-set running)" "== mig-set running OK"
	intact "$c"
done

# The guest runs on the destination: its user here closes the device.
check_eq "the device is still stopped" "$(gc mig-get)" "== mig-state stop_copy"
gc_stop
check_eq "its queues here are zeroized" \
	"$(sim_secret 05.0004) $(sim_secret 05.0047)" "0x0 0x0"
check_eq "nothing of the guest is left in this machine" \
	"$(grep -c '^guest' $SIM/guests)" 0
check_eq "vfio_ap holds nothing for it" "$(held $U)" "pinned 0 iscs 0"
vfio_check "after the migration"
say src-done

"$APWRITE" $MATRIX/$U/remove 1 >/dev/null
rm -f "$CMD"
rmmod vfio_ap
rmmod mdev
ap_unload
st_done
