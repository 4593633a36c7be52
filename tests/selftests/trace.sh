#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The tracepoints (Documentation/trace.rst): with the ap_bus and vfio_ap
# events enabled, a mask write that moves queues to vfio_ap, an
# assignment that hot plugs a queue into a running guest, the guest's
# AQIC, an unassignment that unplugs and zeroizes it, a bus scan that
# finds a new domain and a driver_override write must record exactly the
# events the documentation says, in that order, with their fields (the
# durations aside).
. "$APVFIO_TOP/tests/uml/lib.sh"
. "$APVFIO_TOP/tests/selftests/lib.sh"
TMPD=${APVFIO_OUT:-/tmp}/trace.tmp
rm -rf "$TMPD"
mkdir -p "$TMPD"
U=7ace0000-0000-4000-8000-000000000001
LOG=$TMPD/guest.log
CMD=$(mktemp -u /tmp/trace-cmd.XXXXXX)
T=/sys/kernel/tracing
[ -d $T/events ] || T=/sys/kernel/debug/tracing
ALL="0x$ONES64"

# trace_start: an empty trace, our two systems on.
trace_start() {
	echo 0 > $T/tracing_on
	: > $T/trace
	echo 1 > $T/events/ap_bus/enable
	echo 1 > $T/events/vfio_ap/enable
	echo 1 > $T/tracing_on
}

# trace_events: what was recorded since trace_start, an event a line:
# its name and fields, without the task, the time and the durations, and
# without the timings of whole operations (vfio_ap_op, ap_store; see
# timed). The whole trace is kept in $TMPD/trace-N.txt.
trace_events() {
	echo 0 > $T/tracing_on
	cp $T/trace "$TMPD/trace-$(ls "$TMPD" | grep -c '^trace-').txt"
	grep -v '^#' $T/trace | grep -v ' vfio_ap_op: \| ap_store: ' |
		sed 's/^.*: \(ap_[a-z_]*\|vfio_ap_[a-z_]*\): /\1 /; s/ us=[0-9]*//'
}

# timed N TEXT: the last trace holds TEXT (an operation's timing, with
# ns= a number) N times.
timed() {
	test "$(grep -c "$2 ns=[0-9][0-9]* rc=" "$(ls -d "$TMPD"/trace-*.txt | sort -V | tail -n 1)")" -eq "$1"
}

# mask BITS...: the mask as the events print it.
mask() {
	if [ $# -eq 0 ]; then echo "0x$ZERO64"; else hexmask "$@"; fi
}

ap_load
vfio_load
scans_hold
check "the tracing file system is there" test -d $T/events/ap_bus
check "with vfio_ap's events" test -d $T/events/vfio_ap

trace_start
check_write "give domain 4 to vfio_ap" $AP/aqmask -4 OK
q4() { # APQN: the events of one queue moving from cex4queue to vfio_ap
	echo "ap_queue_unbind $1 driver=cex4queue"
	echo "ap_queue_reset_begin $1 zeroize why=unbind"
	echo "ap_queue_reset_end $1 zeroize rc=0x00"
	echo "ap_queue_bind $1 driver=vfio_ap"
}
check_eq "the mask write, then each queue of domain 4 unbound, zeroized, bound" \
	"$(trace_events)" "ap_mask_write aqmask old=$ALL new=0xf7$(printf 'f%.0s' $(seq 62)) moved=1 rc=0
$(q4 04.0004)
$(q4 05.0004)
$(q4 06.0004)"
check "and how long the whole write took" timed 1 "ap_store: op=aqmask"

check_eq "create the mdev" "$(mdev_create $U)" OK
check_write "assign adapter 5, domain 4" $MATRIX/$U/ap_config \
	"$(hexmask 5),$(hexmask 4),0x$ZERO64" OK
check "a guest starts" gc_start $U ""
ctx=$(guest_ctx $U)
check_write "give domain 0x47 to vfio_ap" $AP/aqmask -0x47 OK
trace_start
check_write "assign domain 0x47 to the running guest" \
	$MATRIX/$U/assign_domain 0x47 OK
Z=$(mask)
check_eq "the assignment, then the guest's new view" "$(trace_events)" \
	"vfio_ap_assign $U ctx=0 added apm=$Z aqm=$(mask 71) adm=$Z removed apm=$Z aqm=$Z adm=$Z rc=0
vfio_ap_view $U ctx=$ctx added apm=$Z aqm=$(mask 71) adm=$Z removed apm=$Z aqm=$Z adm=$Z rc=0"
check "and how long it took" timed 1 "vfio_ap_op: $U op=assign_domain"

trace_start
check_eq "the guest enables 05.0047's interrupts" \
	"$(gc aqic 05.0047 on 3 0x1000)" "== aqic 05.0047 rc=0x00 irq=1"
check_eq "a refused assignment" \
	"$("$APWRITE" $MATRIX/$U/assign_adapter 300)" ENODEV
check_eq "the AQIC, then the refusal" "$(trace_events)" \
	"vfio_ap_aqic $U 05.0047 enable isc=3 rc=0x00
vfio_ap_assign $U ctx=0 added apm=$Z aqm=$Z adm=$Z removed apm=$Z aqm=$Z adm=$Z rc=-19"

trace_start
check_write "unassign domain 0x47 from the running guest" \
	$MATRIX/$U/unassign_domain 0x47 OK
check_eq "the unassignment, the view without the queue, its zeroize" \
	"$(trace_events)" \
	"vfio_ap_assign $U ctx=0 added apm=$Z aqm=$Z adm=$Z removed apm=$Z aqm=$(mask 71) adm=$Z rc=0
vfio_ap_view $U ctx=$ctx added apm=$Z aqm=$Z adm=$Z removed apm=$Z aqm=$(mask 71) adm=$Z rc=0
ap_queue_reset_begin 05.0047 zeroize why=guest
ap_queue_reset_end 05.0047 zeroize rc=0x00"
gc_stop

trace_start
check_eq "the SE adds domain 9" "$(sim add-domain 9)" OK
check_eq "the scan: domain 9 joined" "$(trace_events | grep '^ap_scan')" \
	"ap_scan joined apm=$Z aqm=$(mask 9) adm=$Z left apm=$Z aqm=$Z adm=$Z"

check_write "unassign everything" $MATRIX/$U/ap_config "$Z,$Z,$Z" OK
check_write "aqmask back to its default" $AP/aqmask +4,+0x47 OK
trace_start
check_write "override 06.0009 to vfio_ap" \
	$AP/devices/06.0009/driver_override vfio_ap OK
check_eq "the queue moves, then the override is recorded" "$(trace_events)" \
	"ap_queue_unbind 06.0009 driver=cex4queue
ap_queue_reset_begin 06.0009 zeroize why=unbind
ap_queue_reset_end 06.0009 zeroize rc=0x00
ap_queue_bind 06.0009 driver=vfio_ap
ap_override_write 06.0009 driver=vfio_ap rc=0"
check_write "clear it" $AP/devices/06.0009/driver_override "" OK
echo 0 > $T/events/ap_bus/enable
echo 0 > $T/events/vfio_ap/enable
: > $T/trace
scans_release
vfio_check "at the end"

"$APWRITE" $MATRIX/$U/remove 1 >/dev/null
rm -f "$CMD"
rmmod vfio_ap
rmmod mdev
ap_unload
st_done
