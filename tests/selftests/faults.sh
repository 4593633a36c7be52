#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Fault injection: resets that never complete, complete late or answer
# busy; check-stops and adapters leaving the LPAR while assignments and
# hot plugs run; and every allocation of the write paths failing in turn
# (the kernel's fault-injection framework, failslab with fail-nth). No
# write may hang without saying so, nothing may be left half-done, the
# invariants must hold afterwards (kmemleak is scanned at the end of the
# run).
. "$APVFIO_TOP/tests/uml/lib.sh"
. "$APVFIO_TOP/tests/selftests/lib.sh"
# Scratch files go with this run's results: /tmp is the host's, shared
# with any other test run on the machine.
TMPD=${APVFIO_OUT:-/tmp}/faults.tmp
mkdir -p "$TMPD"

U=fa17fa17-0000-4000-8000-000000000001
V=fa17fa17-0000-4000-8000-000000000002
G=$TMPD/faults-guest.log
W=$TMPD/faults-write.out

# nothing_unzeroized: the bus lists no queue whose zeroize is pending.
nothing_unzeroized() {
	test -z "$(cat $NZ)"
}

invariants() {
	vfio_check "$1"
}

ap_load
vfio_load
"$APWRITE" $AP/aqmask -4,-0x47,-0xab,-0xff >/dev/null
mdev_create $U >/dev/null
"$APWRITE" $MATRIX/$U/ap_config "$(hexmask 5 6),$(hexmask 4 171),0x0" >/dev/null
check "a guest runs" guest_start $U $G

# --- A queue leaves its guest while its adapter is check-stopped ---------------
check_write "assign domain 0x47" $MATRIX/$U/assign_domain 0x47 OK
check_eq "the guest stores a secret in 06.0047" "$(gstore $U 06.0047 0x77)" "0x00 0x00"
check_eq "adapter 6 is check-stopped" "$(sim checkstop 6 on)" OK
check_write "domain 0x47 is unassigned meanwhile" \
	$MATRIX/$U/unassign_domain 0x47 OK
check_eq "the check-stop ends" "$(sim checkstop 6 off)" OK
check "06.0047 is zeroized as soon as it can be" wait_for 10 \
	secret_is 06.0047 0x0
invariants "after a queue left its guest during a check-stop"

NZ=/sys/kernel/debug/ap/not_zeroized

# hanging_unassign SECRET: the guest stores SECRET in 05.00ab, whose resets
# then never complete, and domain 0xab is unassigned in the background
# ($writer); the write waits for the reset.
hanging_unassign() {
	check_eq "the guest stores a secret in 05.00ab" \
		"$(gstore $U 05.00ab "$1")" "0x00 0x00"
	check_eq "05.00ab's resets never complete" \
		"$(sim latency 05.00ab never)" OK
	("$APWRITE" $MATRIX/$U/unassign_domain 0xab > $W) &
	writer=$!
	sleep 2.5
	check "the unassignment waits for the reset" kill -0 $writer
}

# --- A reset that never completes --------------------------------------------
hanging_unassign 0x51
check "and says so in the log" sh -c \
	"dmesg | grep -q '05.00ab: waited .* ms for the reset and zeroize'"
check_eq "the guest lost the queue before the wait" "$(crycb $U aqm)" \
	"$(hexmask 4)"
check_eq "the reset is allowed to complete" "$(sim latency 05.00ab 0)" OK
wait $writer
check_eq "then the write succeeds" "$(cat $W)" OK
check_eq "and the secret is gone" "$(sim_secret 05.00ab)" 0x0
invariants "after a hanging reset"

# --- A writer that waits for a zeroize can be killed ----------------------------
check_write "assign domain 0xab again" $MATRIX/$U/assign_domain 0xab OK
check "the guest gets 05.00ab back" wait_for 10 \
	grep -qx 05.00ab $MATRIX/$U/guest_matrix
hanging_unassign 0x55
check "the log names the waiting task and what it waits for" sh -c \
	"dmesg | grep -q '05.00ab: apwrite (pid [0-9]*) waits for the reset and zeroize of this queue; it may be killed'"
kill -KILL $writer
check "the writer dies at once" wait_for 3 not kill -0 $writer
wait $writer 2>/dev/null
check "05.00ab stays out of the guest" \
	not grep -qx 05.00ab $MATRIX/$U/guest_matrix
check "and is listed as not zeroized" grep -qx 05.00ab $NZ
check_eq "the reset is allowed to complete" "$(sim latency 05.00ab 0)" OK
check "the zeroize ends in the background" wait_for 10 secret_is 05.00ab 0x0
check "nothing is left unzeroized" wait_for 10 nothing_unzeroized
invariants "after a killed writer"

# --- A reset that completes late ----------------------------------------------
check_eq "the guest stores a secret in 06.0004" "$(gstore $U 06.0004 0x52)" "0x00 0x00"
check_eq "06.0004's resets take 1.5 s" "$(sim latency 06.0004 1500)" OK
check_write "unassign domain 4" $MATRIX/$U/unassign_domain 4 OK
check_eq "the secret is gone when it returns" "$(sim_secret 06.0004)" 0x0
check "a progress message was logged" sh -c \
	"dmesg | grep -q '06.0004: waited .* ms for the reset and zeroize'"
check_eq "reset time back to 0" "$(sim latency 06.0004 0)" OK
invariants "after a late reset"

# --- A reset answered "busy" ----------------------------------------------------
check_write "assign domain 4 again" $MATRIX/$U/assign_domain 4 OK
check "the guest sees it" wait_for 10 crycb_is $U aqm "$(hexmask 4)"
check_eq "the guest stores a secret in 05.0004" "$(gstore $U 05.0004 0x53)" "0x00 0x00"
check_eq "the next reset of 05.0004 answers busy" \
	"$(sim inject 05.0004 reset 5)" OK
check_write "unassign domain 4" $MATRIX/$U/unassign_domain 4 OK
check_eq "the reset was issued again: the secret is gone" \
	"$(sim_secret 05.0004)" 0x0
invariants "after a busy reset"
check_write "assign domain 4 and 0xab again" $MATRIX/$U/ap_config \
	"$(hexmask 5 6),$(hexmask 4 171),0x0" OK

# --- Check-stop during assignments ----------------------------------------------
(for i in $(seq 20); do sim checkstop 5 on; sim checkstop 5 off; done) \
	>/dev/null &
toggler=$!
for i in $(seq 20); do
	"$APWRITE" $MATRIX/$U/unassign_adapter 5 >/dev/null
	"$APWRITE" $MATRIX/$U/assign_adapter 5 >/dev/null
done
wait $toggler
invariants "after check-stops during assignments"
check_eq "the assignment is whole" "$(cat $MATRIX/$U/matrix)" "05.0004
05.00ab
06.0004
06.00ab"

# --- The adapter leaves the LPAR during hot plugs --------------------------------
(for i in $(seq 15); do sim remove-adapter 6; sim add-adapter 6; done) \
	>/dev/null &
remover=$!
for i in $(seq 15); do
	"$APWRITE" $MATRIX/$U/unassign_adapter 6 >/dev/null
	"$APWRITE" $MATRIX/$U/assign_adapter 6 >/dev/null
done
wait $remover
invariants "after an adapter came and went during hot plugs"
check "the guest ends up with both adapters" wait_for 10 \
	crycb_is $U apm "$(hexmask 5 6)"

# --- Every allocation of the write paths fails in turn ---------------------------
F=/sys/kernel/debug/failslab
echo N > $F/ignore-gfp-wait
echo 0 > $F/verbose
mdev_create $V >/dev/null
# failnth [-m MENDFILE=TEXT] FILE TEXT UNDOFILE UNDOTEXT STATE...: every
# allocation of the write fails in turn; a failed write must leave the
# STATE files (and directories) as they were, and one that succeeds
# although an allocation failed must leave them as a write without a
# failure does, except those marked loose (see apfail).
failnth() {
	out=$("$APVFIO_TOOLS/apfail" "$@" 2>$TMPD/apfail.err)
	rc=$?
	echo "# $out"
	sed 's/^/# /' $TMPD/apfail.err | head -n 10
	[ "$1" = -m ] && shift 2
	check_eq "failing each allocation of: $(basename "$1") $2" "$rc" 0
}
# mdev_state UUID: what an mdev shows of its assignment and its guest.
mdev_state() {
	echo $MATRIX/$1/matrix $MATRIX/$1/control_domains $MATRIX/$1/ap_config \
		$MATRIX/$1/guest_matrix $VDBG/$1/guest
}
# bus_state: the masks, the queues and who has them.
bus_state() {
	echo $AP/apmask $AP/aqmask $AP/bindings $AP/devices \
		$AP/drivers/cex4queue $AP/drivers/vfio_ap \
		$(ls -d $AP/devices/??.????/status 2>/dev/null)
}
# loose FILE...: the files, marked as ones a successful write may leave
# behind to be mended later.
loose() {
	for f in "$@"; do
		echo "~$f"
	done
}
W3=fa17fa17-0000-4000-8000-000000000003
failnth $MATRIX/$V/assign_adapter 4 $MATRIX/$V/unassign_adapter 4 \
	$(mdev_state $V) $(bus_state)
check_write "assign adapter 4 to the second mdev" $MATRIX/$V/assign_adapter 4 OK
failnth $MATRIX/$V/assign_domain 0x47 $MATRIX/$V/unassign_domain 0x47 \
	$(mdev_state $V) $(bus_state)
failnth $MATRIX/$V/assign_control_domain 9 \
	$MATRIX/$V/unassign_control_domain 9 $(mdev_state $V)
failnth $MATRIX/$V/ap_config "$(hexmask 4),$(hexmask 71 255),$(hexmask 71)" \
	$MATRIX/$V/ap_config "$(hexmask 4),0x0,0x0" $(mdev_state $V) \
	$(bus_state)
check_eq "the second mdev has adapter 4 only again" \
	"$(cat $MATRIX/$V/ap_config)" "$(hexmask 4),$(hexmask),$(hexmask)"
failnth $MATRIX/$U/assign_domain 0xff $MATRIX/$U/unassign_domain 0xff \
	$(mdev_state $U) $(bus_state)
failnth $AP/aqmask -9 $AP/aqmask +9 $(bus_state) $(mdev_state $U)
failnth $AP/apmask -7 $AP/apmask +7 $(bus_state) $(mdev_state $U)
# A bus scan that cannot add a queue device logs it and adds it at the
# next scan (-m: a scan must mend what the write left behind); a debugfs
# directory that cannot be created is left out, as the kernel's debugfs
# users do.
failnth -m $AP/scans=1 $SIM/command "add-domain 9" \
	$SIM/command "remove-domain 9" $SIM/config $AP/ap_usage_domain_mask \
	$AP/apmask $AP/aqmask $(loose $AP/bindings $AP/devices \
	$AP/drivers/cex4queue $AP/drivers/vfio_ap $SIM/queues) \
	$(mdev_state $U)
failnth $MTYPE/create $W3 $MATRIX/$W3/remove 1 \
	$MTYPE/available_instances /sys/bus/mdev/devices $MATRIX $(loose $VDBG)
echo Y > $F/ignore-gfp-wait
invariants "after the allocation failures"
check_eq "the guest still has its queues" "$(cat $MATRIX/$U/guest_matrix)" \
	"05.0004
05.00ab
06.0004
06.00ab"

guest_stop $GUEST_PID
"$APWRITE" $MATRIX/$U/remove 1 >/dev/null
"$APWRITE" $MATRIX/$V/remove 1 >/dev/null
rmmod vfio_ap
rmmod mdev
ap_unload
st_done
