#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A tenant's keys are never lost and never leak. Two guests run: U on
# adapters 5 and 6 with domains 4 and 0xab, V on adapter 5 with domain
# 0x47. Each sequence has a queue leave a guest on a path where its
# zeroize cannot run to the end at once (the domain or adapter leaves
# the LPAR, the adapter is deconfigured or check-stopped, the reset
# answers an error or takes long), and asserts what the next owner (the
# host or another guest) finds with its own instructions: no secret.
# And the bystander V keeps every queue it had, with its secret: no
# operation on one mdev takes anything from another. The machine itself
# records any secret reaching anybody but the guest that stored it
# (ap_sim's violations file, checked at the end).
. "$APVFIO_TOP/tests/uml/lib.sh"
. "$APVFIO_TOP/tests/selftests/lib.sh"
TMPD=${APVFIO_OUT:-/tmp}/keys.tmp
mkdir -p "$TMPD"

U=c0de0000-0000-4000-8000-000000000001
V=c0de0000-0000-4000-8000-000000000002
W=c0de0000-0000-4000-8000-000000000003
GU=$TMPD/guest-u.log
GV=$TMPD/guest-v.log
GW=$TMPD/guest-w.log
NZ=/sys/kernel/debug/ap/not_zeroized

# give_back DESCRIPTION: W gives adapter 6 back to U, whose guest gets it.
give_back() {
	check_write "$1: W gives everything back" $MATRIX/$W/ap_config \
		0x0,0x0,0x0 OK
	check_write "$1: U gets adapter 6 again" $MATRIX/$U/assign_adapter 6 OK
	check "$1: U has card 06 again" wait_for 10 \
		grep -qx 06.00ab $MATRIX/$U/guest_matrix
	v_keeps "$1"
}

# v_keeps DESCRIPTION: guest V still has 05.0047, with its secret.
v_keeps() {
	check_eq "$1: V keeps 05.0047" "$(cat $MATRIX/$V/guest_matrix)" \
		"$V_MATRIX"
	check_eq "$1: V's secret in 05.0047 is intact" "$(gsecret $V 05.0047)" \
		0x4747
}

ap_load
vfio_load
"$APWRITE" $AP/aqmask -4,-0x47,-0xab,-0xff >/dev/null
mdev_create $U >/dev/null
mdev_create $V >/dev/null
mdev_create $W >/dev/null
check_write "U: adapters 5 and 6, domains 4 and 0xab" $MATRIX/$U/ap_config \
	"$(hexmask 5 6),$(hexmask 4 171),0x0" OK
check_write "V: adapter 5, domain 0x47" $MATRIX/$V/ap_config \
	"$(hexmask 5),$(hexmask 71),0x0" OK
check "guest U runs" guest_start $U $GU
U_PID=$GUEST_PID
check "guest V runs" guest_start $V $GV
V_PID=$GUEST_PID
check "guest W runs, with nothing assigned yet" guest_start $W $GW
W_PID=$GUEST_PID
V_MATRIX=05.0047
check_eq "V stores a secret in 05.0047" "$(gstore $V 05.0047 0x4747)" "0x00 0x00"

# --- The domain leaves the LPAR while U has a secret in it --------------------
check_eq "U stores a secret in 05.0004" "$(gstore $U 05.0004 0x61)" "0x00 0x00"
check_eq "SE: domain 4 leaves the LPAR" "$(sim remove-domain 4)" OK
check_eq "U lost domain 4" "$(cat $MATRIX/$U/guest_matrix)" "05.00ab
06.00ab"
check "05.0004 is remembered as not zeroized" grep -qx 05.0004 $NZ
check_write "the administrator unassigns domain 4 from U" \
	$MATRIX/$U/unassign_domain 4 OK
check_write "and gives it back to the host" $AP/aqmask +4 OK
check_eq "SE: domain 4 comes back" "$(sim add-domain 4)" OK
check_eq "the host's driver binds 05.0004" "$(driver_of 05.0004)" cex4queue
check_eq "after it was zeroized" "$(sim_secret 05.0004)" 0x0
check "05.0004 is no longer listed" not grep -qx 05.0004 $NZ
v_keeps "after domain 4 came back to the host"
check_write "domain 4 for the guests again" $AP/aqmask -4 OK
check_write "U gets domain 4 again" $MATRIX/$U/assign_domain 4 OK
check "U has 05.0004 again" wait_for 10 grep -qx 05.0004 $MATRIX/$U/guest_matrix

# --- The adapter is check-stopped while U has it; then W gets the queue -------
check_eq "U stores a secret in 06.0004" "$(gstore $U 06.0004 0x62)" "0x00 0x00"
check_eq "adapter 6 is check-stopped" "$(sim checkstop 6 on)" OK
check_write "U gives up adapter 6" $MATRIX/$U/unassign_adapter 6 OK
check_write "W takes adapter 6 and domain 4" $MATRIX/$W/ap_config \
	"$(hexmask 6),$(hexmask 4),0x0" OK
check_eq "W does not get 06.0004 while it is not zeroized" \
	"$(cat $MATRIX/$W/guest_matrix)" ".0004"
v_keeps "while adapter 6 is check-stopped"
check_eq "the check-stop ends" "$(sim checkstop 6 off)" OK
check "W gets 06.0004 once it is zeroized" wait_for 10 \
	grep -qx 06.0004 $MATRIX/$W/guest_matrix
check_eq "W's DQAP finds no secret in 06.0004" "$(gsecret $W 06.0004)" 0x0
give_back "after the check-stop"

# --- The adapter is deconfigured while U has it ---------------------------------
check_eq "U stores a secret in 06.00ab" "$(gstore $U 06.00ab 0x63)" "0x00 0x00"
check_eq "SCLP: adapter 6 is deconfigured" "$(sim configure 6 off)" OK
check_write "U gives up adapter 6" $MATRIX/$U/unassign_adapter 6 OK
check_write "W takes adapter 6 and domain 0xab" $MATRIX/$W/ap_config \
	"$(hexmask 6),$(hexmask 171),0x0" OK
check_eq "SCLP: adapter 6 is configured" "$(sim configure 6 on)" OK
check "W gets 06.00ab" wait_for 10 grep -qx 06.00ab $MATRIX/$W/guest_matrix
check_eq "W's DQAP finds no secret in 06.00ab" "$(gsecret $W 06.00ab)" 0x0
give_back "after the deconfiguration"

# --- The zeroize answers an error -------------------------------------------------
check_eq "U stores a secret in 06.0004" "$(gstore $U 06.0004 0x64)" "0x00 0x00"
check_eq "the next reset of 06.0004 answers 0x06 (invalid address)" \
	"$(sim inject 06.0004 reset 6)" OK
check_write "U gives up adapter 6" $MATRIX/$U/unassign_adapter 6 OK
check_write "W takes adapter 6 and domain 4" $MATRIX/$W/ap_config \
	"$(hexmask 6),$(hexmask 4),0x0" OK
check "W gets 06.0004 once a zeroize succeeded" wait_for 10 \
	grep -qx 06.0004 $MATRIX/$W/guest_matrix
check_eq "W's DQAP finds no secret in 06.0004" "$(gsecret $W 06.0004)" 0x0
give_back "after the failed zeroize"

# --- Assigning a domain whose queue is still being zeroized for U --------------
# race_05_0004 WHAT SECRET FILE TEXT: U stores SECRET in 05.0004, then gives
# up domain 4 while the zeroize takes 4 s; meanwhile WHAT: TEXT written to
# V's FILE adds domain 4. V keeps what it has, and gets 05.0004 only once
# it is zeroized.
race_05_0004() {
	check_write "U gets domain 4 again" $MATRIX/$U/assign_domain 4 OK
	check "U has 05.0004" wait_for 10 grep -qx 05.0004 $MATRIX/$U/guest_matrix
	check_eq "U stores a secret in 05.0004" "$(gstore $U 05.0004 $2)" \
		"0x00 0x00"
	check_eq "05.0004's resets take 4 s" "$(sim latency 05.0004 4000)" OK
	("$APWRITE" $MATRIX/$U/unassign_domain 4 > $TMPD/race.out) &
	race=$!
	check "U loses 05.0004 at once" wait_for 10 \
		not grep -qx 05.0004 $MATRIX/$U/guest_matrix
	check_write "meanwhile $1" $MATRIX/$V/$3 "$4" OK
	v_keeps "while 05.0004 is zeroized for U ($1)"
	wait $race
	check_eq "U's unassignment succeeded" "$(cat $TMPD/race.out)" OK
	check "V gets 05.0004 once it is zeroized" wait_for 10 \
		grep -qx 05.0004 $MATRIX/$V/guest_matrix
	check_eq "V's DQAP finds no secret in 05.0004" "$(gsecret $V 05.0004)" 0x0
	check_eq "reset time back to 0" "$(sim latency 05.0004 0)" OK
}

race_05_0004 "V is assigned domain 4" 0x65 assign_domain 4
check_write "V gives domain 4 back" $MATRIX/$V/unassign_domain 4 OK
v_keeps "after the concurrent assignment"

# --- ap_config adds a domain whose queue is still being zeroized for U ----------
race_05_0004 "V's ap_config adds domain 4" 0x66 ap_config \
	"$(hexmask 5),$(hexmask 4 71),0x0"

# --- A zeroize that never ends ---------------------------------------------------
check_eq "V stores a secret in 05.0004" "$(gstore $V 05.0004 0x67)" "0x00 0x00"
check_eq "05.0004's resets never end" "$(sim latency 05.0004 never)" OK
("$APWRITE" $MATRIX/$V/unassign_domain 4 > $TMPD/w3.out) &
w3=$!
check "V loses 05.0004 at once" wait_for 10 \
	not grep -qx 05.0004 $MATRIX/$V/guest_matrix
check_write "U is assigned domain 4 meanwhile" $MATRIX/$U/assign_domain 4 OK
sleep 2
check "U does not get 05.0004 while its zeroize runs" \
	not grep -qx 05.0004 $MATRIX/$U/guest_matrix
check "U keeps adapter 5 (05.00ab)" grep -qx 05.00ab $MATRIX/$U/guest_matrix
check "05.0004 is listed as not zeroized" grep -qx 05.0004 $NZ
check_eq "the reset is allowed to end" "$(sim latency 05.0004 0)" OK
wait $w3
check "U gets 05.0004 then" wait_for 10 grep -qx 05.0004 $MATRIX/$U/guest_matrix
check_eq "U's DQAP finds no secret in 05.0004" "$(gsecret $U 05.0004)" 0x0
check_eq "nothing is left unzeroized" "$(cat $NZ)" ""
V_MATRIX=05.0047
v_keeps "at the end"
vfio_check "at the end"

guest_stop $U_PID
guest_stop $V_PID
guest_stop $W_PID
for m in $U $V $W; do
	"$APWRITE" $MATRIX/$m/remove 1 >/dev/null
done
rmmod vfio_ap
rmmod mdev
ap_unload
st_done
