#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# driver_override on AP queue devices: the rule against the masks both
# ways (an override only while apmask and aqmask are all ones, EINVAL
# otherwise; a mask write only while no queue has one, EBUSY otherwise),
# bad input, and the guarantees the masks give: a queue assigned to an
# mdev is not taken from vfio_ap (EADDRINUSE), a queue changing driver is
# zeroized before its new driver gets it, a queue that comes back to
# vfio_ap is hot plugged into the guest whose mdev has it, uevents, and
# assignments that follow the override.
. "$APVFIO_TOP/tests/uml/lib.sh"
. "$APVFIO_TOP/tests/selftests/lib.sh"
TMPD=${APVFIO_OUT:-/tmp}/override.tmp
mkdir -p "$TMPD"
U=0f000000-0000-4000-8000-000000000001
LOG=$TMPD/guest.log
CMD=$(mktemp -u /tmp/ovr-cmd.XXXXXX)
EV=$TMPD/uevents
Q=$AP/devices/05.0004
ALL="0x$ONES64"
EMPTY="0x$ZERO64,0x$ZERO64,0x$ZERO64"

# override APQN: what the queue's driver_override reads.
override() {
	cat "$AP/devices/$1/driver_override"
}

# hstore APQN VALUE: the host stores a secret in a queue.
hstore() {
	hinstr nqap "$1" set-secret "$2" >/dev/null && hinstr dqap "$1" >/dev/null
}

# lsz_row APQN: the queue's row of Debian's lszcrypt -V (natively on
# s390x, through qemu-s390x-static elsewhere): its status and driver.
R=${APVFIO_S390X_ROOT%/}
RUN=
[ "$(uname -m)" = s390x ] || RUN="$(command -v qemu-s390x-static) -L $R"
lsz_row() {
	$RUN "$R/usr/sbin/lszcrypt" -V "$1" 2>&1 |
		awk -v q="$1" '$1 == q { print $4, $NF }'
}

# logged TEXT: the kernel log has TEXT.
logged() {
	dmesg | grep -q "$1"
}

ap_load
vfio_load
check "queues have driver_override" test -e $Q/driver_override
check "cards do not" not test -e $AP/devices/card05/driver_override
check_eq "it reads an empty line" "$(override 05.0004)" ""
check_eq "the host's driver has the queue" "$(driver_of 05.0004)" cex4queue

# Bad input changes nothing.
check_write "a name no AP queue driver has: EINVAL" $Q/driver_override \
	nosuchdriver EINVAL
check "the log names it" logged "no AP queue driver is named nosuchdriver"
check_write "the name of a card driver: EINVAL" $Q/driver_override \
	cex4card EINVAL
check_write "a blank inside: EINVAL" $Q/driver_override "vfio ap" EINVAL
check_write "64 characters: EINVAL" $Q/driver_override \
	"$(printf 'a%.0s' $(seq 64))" EINVAL
check_write "4000 characters: EINVAL" $Q/driver_override \
	"$(printf 'a%.0s' $(seq 4000))" EINVAL
check_eq "a NUL byte: EINVAL" "$("$APWRITE" $Q/driver_override vfio_ap -0)" \
	EINVAL
check_write "a lone newline clears, and there is nothing to clear" \
	$Q/driver_override "" OK
check_eq "nothing changed" "$(override 05.0004) $(driver_of 05.0004)" \
	" cex4queue"

# To vfio_ap: zeroized first, a uevent, the masks locked.
hstore 05.0004 0x55
check_eq "the host stored a secret in 05.0004" "$(sim_secret 05.0004)" 0x55
uevents_start $EV
check_write "override 05.0004 to vfio_ap" $Q/driver_override vfio_ap OK
uevents_stop
check_eq "it reads vfio_ap" "$(override 05.0004)" vfio_ap
check_eq "vfio_ap has the queue" "$(driver_of 05.0004)" vfio_ap
check_eq "it was zeroized on the way" "$(sim_secret 05.0004)" 0x0
check_eq "lszcrypt -V shows it unassigned, with vfio_ap" "$(lsz_row 05.0004)" \
	"unassigned vfio_ap"
check_eq "a change uevent names the override" \
	"$(uevents $EV /devices/ap/card05/05.0004 DRIVER_OVERRIDE)" vfio_ap
check "and the queue was unbound and bound" \
	grep -q "^bind /devices/ap/card05/05.0004 .*DRIVER=vfio_ap" $EV
check_write "a mask write while an override is set: EBUSY" $AP/aqmask -4 \
	EBUSY
check "the log says why" logged "aqmask stays as it is: queues have a driver_override"
check_write "apmask too: EBUSY" $AP/apmask 0x0 EBUSY
check_write "malformed text is still EINVAL" $AP/apmask 0xZZ EINVAL
check_eq "the masks are as they were" "$(cat $AP/apmask) $(cat $AP/aqmask)" \
	"$ALL $ALL"

# Assignments follow the override.
check_eq "create an mdev" "$(mdev_create $U)" OK
check_write "assign 05.0004 (its override makes it vfio_ap's)" \
	$MATRIX/$U/ap_config "$(hexmask 5),$(hexmask 4),0x$ZERO64" OK
check_write "05.0047 is the host's by the masks: EADDRNOTAVAIL" \
	$MATRIX/$U/assign_domain 0x47 EADDRNOTAVAIL
check "the log says by apmask and aqmask" \
	logged "queue 05.0047 is reserved for the host's default drivers by apmask and aqmask"
check_write "override 05.0047 to the host's driver" \
	$AP/devices/05.0047/driver_override cex4queue OK
check_write "05.0047 is the host's by its override: EADDRNOTAVAIL" \
	$MATRIX/$U/assign_domain 0x47 EADDRNOTAVAIL
check "the log says by its driver_override" \
	logged "queue 05.0047 is reserved for the host's default drivers by its driver_override"
check "a guest starts" gc_start $U ""
check "it has 05.0004" wait_for 10 crycb_is $U aqm "$(hexmask 4)"
check_eq "lszcrypt -V shows it in use" "$(lsz_row 05.0004)" "in vfio_ap"

# An assigned queue is not taken from vfio_ap.
check_write "override 05.0004 to the host's driver: EADDRINUSE" \
	$Q/driver_override cex4queue EADDRINUSE
check_write "clear its override (back to the masks, the host's): EADDRINUSE" \
	$Q/driver_override "" EADDRINUSE
check "the log names the mdev" \
	logged "cannot reserve queue 05.0004 for the host: it is assigned to mdev $U"
check_eq "nothing changed" "$(override 05.0004) $(driver_of 05.0004)" \
	"vfio_ap vfio_ap"
check "the guest still has 05.0004" crycb_is $U aqm "$(hexmask 4)"

# The queue leaves and comes back: its override stays, the guest gets it.
check_eq "the SE takes adapter 5 away" "$(sim remove-adapter 5)" OK
check "the guest lost it" wait_for 10 crycb_is $U apm "0x$ZERO64"
check_write "its override stays while the mdev has it: a mask write gets EBUSY" \
	$AP/aqmask -4 EBUSY
check_eq "the SE gives adapter 5 back" "$(sim add-adapter 5)" OK
check_eq "05.0004 keeps its override" "$(override 05.0004)" vfio_ap
check_eq "05.0047's too: the failed mask write forgot nothing" \
	"$(override 05.0047) $(driver_of 05.0047)" "cex4queue cex4queue"
check_eq "vfio_ap has it again" "$(driver_of 05.0004)" vfio_ap
check "it is hot plugged into the guest" \
	wait_for 10 crycb_is $U apm "$(hexmask 5)"
gc_stop
check_write "unassign it" $MATRIX/$U/ap_config "$EMPTY" OK

# Back to the host: zeroized before the host's driver gets it.
hstore 05.0004 0x66
check_eq "the host stored a secret while vfio_ap had it" \
	"$(sim_secret 05.0004)" 0x66
check_write "clear 05.0004's override" $Q/driver_override "" OK
check_eq "the host's driver has it" "$(driver_of 05.0004)" cex4queue
check_eq "lszcrypt -V shows it online, with cex4queue" "$(lsz_row 05.0004)" \
	"online cex4queue"
check_eq "zeroized on the way" "$(sim_secret 05.0004)" 0x0
check_write "a mask write while 05.0047 has one: EBUSY" $AP/aqmask -4 EBUSY
check_write "clear 05.0047's override" $AP/devices/05.0047/driver_override \
	"" OK
check_write "override 06.0004 to vfio_ap" $AP/devices/06.0004/driver_override \
	vfio_ap OK
check_eq "the SE takes adapter 6 away" "$(sim remove-adapter 6)" OK
check_write "the override of 06.0004 (gone, in no mdev) does not stop a mask write" \
	$AP/aqmask -4 OK
check_eq "the SE gives adapter 6 back" "$(sim add-adapter 6)" OK
check_eq "which forgot it: 06.0004 follows the masks" \
	"$(override 06.0004) $(driver_of 06.0004)" " vfio_ap"
check_eq "05.0004 follows the masks" "$(driver_of 05.0004)" vfio_ap
check_write "an override while aqmask is not all ones: EINVAL" \
	$Q/driver_override cex4queue EINVAL
check "the log says why" \
	logged "driver_override stays as it is: apmask and aqmask are not at their default"
check_eq "nothing changed" "$(override 05.0004) $(driver_of 05.0004)" \
	" vfio_ap"
check_write "aqmask back to all ones" $AP/aqmask +4 OK
check_eq "the host's driver has 05.0004 again" "$(driver_of 05.0004)" \
	cex4queue
vfio_check "at the end"

"$APWRITE" $MATRIX/$U/remove 1 >/dev/null
rm -f "$CMD"
rmmod vfio_ap
rmmod mdev
ap_unload
st_done
