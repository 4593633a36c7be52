#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vfio_ap end to end: the specification's Example with three guests, the
# errno of every refused write (with the state read back unchanged), hot
# plug and unplug into running guests, configuration changes, unbinding,
# mask changes against assignments, removal while in use, and isolation
# (a queue's secret is gone before anyone else gets the queue).
. "$APVFIO_TOP/tests/uml/lib.sh"
. "$APVFIO_TOP/tests/selftests/lib.sh"

U1=11111111-1111-1111-1111-111111111111
U2=22222222-2222-2222-2222-222222222222
U3=33333333-3333-3333-3333-333333333333
G1=/tmp/apguest-1.log
G2=/tmp/apguest-2.log
G3=/tmp/apguest-3.log

ap_load
vfio_load

# --- The matrix device ------------------------------------------------------
check_eq "features" "$(cat $MATRIX/features)" \
	"guest_matrix hotplug ap_config migratable"
check_eq "type name" "$(cat $MTYPE/name)" "VFIO AP Passthrough Device"
check_eq "device_api" "$(cat $MTYPE/device_api)" vfio-ap
check_eq "available_instances" "$(cat $MTYPE/available_instances)" 65536

# --- Seed Example, step 2: secure the queues --------------------------------
check_write "seed: echo -4,-0x47,-0xab,-0xff > aqmask" $AP/aqmask \
	-4,-0x47,-0xab,-0xff OK
check_eq "seed: the twelve queues are bound to vfio_ap" \
	"$(queues_of vfio_ap)" \
	"04.0004 04.0047 04.00ab 04.00ff 05.0004 05.0047 05.00ab 05.00ff 06.0004 06.0047 06.00ab 06.00ff"
check_eq "they are unassigned" "$(cat $AP/devices/05.0004/status)" unassigned
check_eq "hwtype of card05 allows vfio_ap" "$(cat $AP/devices/card05/hwtype)" 11

# --- Step 3: create the mdevs ----------------------------------------------
for u in $U1 $U2 $U3; do
	check_eq "create $u" "$(mdev_create $u)" OK
done
check_eq "available_instances counts them" "$(cat $MTYPE/available_instances)" \
	65533
# The mdev core's verdict (mdev_device_create() finds the UUID) before
# vfio_ap is asked; vfio_ap's part is that nothing of its own changed.
check_eq "creating a UUID twice [mdev core]" "$(mdev_create $U1)" EEXIST
check_eq "available_instances is unchanged by the refused create" \
	"$(cat $MTYPE/available_instances)" 65533
check "the mdev is also in /sys/bus/mdev/devices" \
	test -d /sys/bus/mdev/devices/$U1
check_eq "its mdev_type" "$(basename "$(readlink $MATRIX/$U1/mdev_type)")" \
	vfio_ap-passthrough
check_eq "an mdev starts empty" "$(cat $MATRIX/$U1/matrix)" ""
check_eq "ap_config of an empty mdev" "$(cat $MATRIX/$U1/ap_config)" \
	"0x$ZERO64,0x$ZERO64,0x$ZERO64"
check_eq "reading guest_matrix without a guest: ENODEV" \
	"$(cat $MATRIX/$U1/guest_matrix 2>&1 | grep -c 'No such device')" 1

# The kernel log names at most eight refused queues per write, then the
# count (vfio-ap.rst, assign_adapter).
logged() { dmesg | grep -c "vfio_ap: mdev $U1: $1"; }
before=$(logged "queue .* is reserved for the host's default drivers by apmask and aqmask\$")
check_write "ap_config with nine queues the host keeps (domains 1-3): EADDRNOTAVAIL" \
	$MATRIX/$U1/ap_config "$(hexmask 4 5 6),$(hexmask 1 2 3),0x0" EADDRNOTAVAIL
check_eq "and changes nothing" "$(cat $MATRIX/$U1/matrix)" ""
check_eq "eight of the nine are named in the kernel log" \
	"$(($(logged "queue .* is reserved for the host's default drivers by apmask and aqmask\$") - before))" 8
check_eq "then the count" "$(logged "9 queues refused in all\$")" 1

# --- Step 4: assignments ------------------------------------------------------
for a in "assign_adapter 5" "assign_adapter 6" "assign_domain 4" \
	"assign_domain 0xab"; do
	check_write "seed guest1: ${a% *} ${a#* }" "$MATRIX/$U1/${a% *}" "${a#* }" OK
done
for a in "assign_adapter 5" "assign_domain 0x47" "assign_domain 0xff"; do
	check_write "seed guest2: ${a% *} ${a#* }" "$MATRIX/$U2/${a% *}" "${a#* }" OK
done
for a in "assign_adapter 6" "assign_domain 0x47" "assign_domain 0xff"; do
	check_write "seed guest3: ${a% *} ${a#* }" "$MATRIX/$U3/${a% *}" "${a#* }" OK
done
check_eq "seed: matrix of guest1" "$(cat $MATRIX/$U1/matrix)" "05.0004
05.00ab
06.0004
06.00ab"
check_eq "seed: matrix of guest2" "$(cat $MATRIX/$U2/matrix)" "05.0047
05.00ff"
check_eq "seed: matrix of guest3" "$(cat $MATRIX/$U3/matrix)" "06.0047
06.00ff"
check_eq "assigned queues show it" "$(cat $AP/devices/05.0004/status)" assigned

# --- Step 5: start the guests ------------------------------------------------
check "guest1 starts" guest_start $U1 $G1
check "guest2 starts" guest_start $U2 $G2
check "guest3 starts" guest_start $U3 $G3
check_eq "seed Guest1 table" "$(guest_view $G1)" "$SEED_GUEST1"
check_eq "seed Guest2 table" "$(guest_view $G2)" "$SEED_GUEST2"
check_eq "seed Guest3 table" "$(guest_view $G3)" "$SEED_GUEST3"
check_eq "guest_matrix of a running guest" "$(cat $MATRIX/$U2/guest_matrix)" \
	"05.0047
05.00ff"
check_eq "queues in a running guest are in use" \
	"$(cat $AP/devices/05.0047/status)" "in use"
check_eq "the machine holds guest1's CRYCB" "$(crycb $U1 apm) $(crycb $U1 aqm)" \
	"$(hexmask 5 6) $(hexmask 4 171)"
check "the machine's CRYCBs are the guest matrices" guests_match
check_eq "guest1's QCI: adapters 5 and 6, domains 4 and 0xab" \
	"$(ginstr $U1 qci | cut -d' ' -f1-5)" \
	"rc=0x00 apm $(hexmask 5 6) aqm $(hexmask 4 171)"
check_eq "guest1's TAPQ on 05.00ab: normal" "$(grc $U1 tapq 05.00ab)" 0x00
check_eq "guest1's TAPQ on guest2's 05.0047: APQN not valid" \
	"$(grc $U1 tapq 05.0047)" 0x01
check_eq "guest1's NQAP to guest2's 05.0047: APQN not valid" \
	"$(grc $U1 nqap 05.0047 get-secret)" 0x01
check_eq "guest2's TAPQ on guest1's 05.0004: APQN not valid" \
	"$(grc $U2 tapq 05.0004)" 0x01
check_eq "guest2 stores a secret in 05.0047" "$(gstore $U2 05.0047 0x4747)" \
	"0x00 0x00"
check_eq "guest1's DQAP from 05.0047: APQN not valid" \
	"$(grc $U1 dqap 05.0047)" 0x01
check_eq "guest2 reads its secret back" "$(gsecret $U2 05.0047)" 0x4747
check_eq "guest3's TAPQ on the host's 06.0005: APQN not valid" \
	"$(grc $U3 tapq 06.0005)" 0x01

# --- Errors, each with the state unchanged -------------------------------------
before="$(cat $MATRIX/$U3/ap_config)"
check_write "assign_adapter 256 is ENODEV" $MATRIX/$U3/assign_adapter 256 ENODEV
check_write "assign_adapter ULONG_MAX+1 is ENODEV" $MATRIX/$U3/assign_adapter \
	18446744073709551616 ENODEV
check_write "assign_domain 0x100 is ENODEV" $MATRIX/$U3/assign_domain 0x100 ENODEV
check_write "unassign_adapter 300 is ENODEV" $MATRIX/$U3/unassign_adapter 300 ENODEV
check_write "unassign_domain 256 is ENODEV" $MATRIX/$U3/unassign_domain 256 ENODEV
check_write "assign_control_domain 256 is ENODEV" \
	$MATRIX/$U3/assign_control_domain 256 ENODEV
check_write "unassign_control_domain 256 is ENODEV" \
	$MATRIX/$U3/unassign_control_domain 256 ENODEV
check_write "guest3 + domain 4: 06.0004 belongs to guest1 (EADDRINUSE)" \
	$MATRIX/$U3/assign_domain 4 EADDRINUSE
check "the refusal names the queue and the owner" sh -c \
	"dmesg | grep -q 'mdev $U3: queue 06.0004 is already assigned to mdev $U1'"
check_write "guest3 + adapter 5: 05.0047 belongs to guest2 (EADDRINUSE)" \
	$MATRIX/$U3/assign_adapter 5 EADDRINUSE
check_write "guest3 + domain 5: 06.0005 is the host's (EADDRNOTAVAIL)" \
	$MATRIX/$U3/assign_domain 5 EADDRNOTAVAIL
check "the refusal names the reserved queue" sh -c \
	"dmesg | grep -q 'mdev $U3: queue 06.0005 is reserved for the host'"
check_write "guest3 + adapter 7 (not in the LPAR, not reserved) is allowed" \
	$MATRIX/$U3/assign_adapter 7 OK
check_write "and undone" $MATRIX/$U3/unassign_adapter 7 OK
for bad in "" "x" "-1" "+5" "5 " " 5" "05" "0x" "5,6" "1e3" "0xfg"; do
	check_write "assign_adapter '$bad' is EINVAL" $MATRIX/$U3/assign_adapter \
		"$bad" EINVAL
	check_write "assign_domain '$bad' is EINVAL" $MATRIX/$U3/assign_domain \
		"$bad" EINVAL
done
for bad in "" "0x1" "0x1,0x2" "0x1,0x2,0x3,0x4" "+1,+2,+3" "0x1, 0x2,0x3" \
	"0x1,0x2,0xg"; do
	check_write "ap_config '$bad' is EINVAL" $MATRIX/$U3/ap_config "$bad" EINVAL
done
check_write "ap_config with a queue of guest1 is EADDRINUSE" $MATRIX/$U3/ap_config \
	"$(hexmask 6),$(hexmask 4 71),0x0" EADDRINUSE
check_write "ap_config with a host queue is EADDRNOTAVAIL" $MATRIX/$U3/ap_config \
	"$(hexmask 6),$(hexmask 5),0x0" EADDRNOTAVAIL
check_eq "guest3's assignment unchanged by all of that" \
	"$(cat $MATRIX/$U3/ap_config)" "$before"
check_eq "and its guest saw no change" "$(crycb $U3 updates)" 0
check_write "repeating an assignment is a no-op" $MATRIX/$U3/assign_adapter 6 OK
check_write "repeating an unassignment is a no-op" $MATRIX/$U3/unassign_adapter 9 OK
check_eq "still the same" "$(cat $MATRIX/$U3/ap_config)" "$before"
check_eq "guest3 saw no change" "$(crycb $U3 updates)" 0

# --- Hot plug and unplug -------------------------------------------------------
check_write "hot unplug: guest2 unassigns 0xff" $MATRIX/$U2/unassign_domain 0xff OK
check "guest2 is told" guest_wait_views $G2 2
check_eq "guest2 sees 05.0047 only" "$(guest_view $G2)" \
"CARD.DOMAIN TYPE  MODE
------------------------------
05          CEX5A Accelerator
05.0047     CEX5A Accelerator"
check_eq "guest_matrix agrees" "$(cat $MATRIX/$U2/guest_matrix)" "05.0047"
check_eq "the CRYCB agrees" "$(crycb $U2 aqm)" "$(hexmask 71)"
check_eq "guest2's TAPQ on 05.00ff: APQN not valid" "$(grc $U2 tapq 05.00ff)" 0x01
check_eq "guest2 still reaches 05.0047, its secret there" \
	"$(gsecret $U2 05.0047)" 0x4747
check_eq "05.00ff is assigned to nobody now" "$(cat $AP/devices/05.00ff/status)" \
	unassigned
check_write "hot plug: guest2 assigns 0xff again" $MATRIX/$U2/assign_domain 0xff OK
check "guest2 is told again" guest_wait_views $G2 3
check_eq "guest2 sees its two queues again" "$(cat $MATRIX/$U2/guest_matrix)" \
	"05.0047
05.00ff"
check_eq "two updates pushed to guest2" "$(crycb $U2 updates)" 2
check_write "hot plug of an adapter: guest3 gets adapter 4" \
	$MATRIX/$U3/assign_adapter 4 OK
check "guest3 is told" guest_wait_views $G3 2
check_eq "guest3 sees card 04" "$(guest_view $G3 | grep -c '^04')" 3
check_write "hot unplug of the adapter" $MATRIX/$U3/unassign_adapter 4 OK
check "guest3 is told" guest_wait_views $G3 3
check_eq "card 04 is gone from guest3" "$(guest_view $G3 | grep -c '^04')" 0
check_write "hot plug of a control domain" $MATRIX/$U1/assign_control_domain 0xab OK
check_eq "it is in guest1's ADM" "$(crycb $U1 adm)" "$(hexmask 171)"
check_eq "and in control_domains" "$(cat $MATRIX/$U1/control_domains)" 00ab
check_write "hot unplug of the control domain" \
	$MATRIX/$U1/unassign_control_domain 0xab OK
check_eq "guest1's ADM is empty" "$(crycb $U1 adm)" "0x$ZERO64"

# --- A driver that loads a wrong CRYCB is caught ------------------------------
check_eq "vfio_ap's guest file: its context and the updates the machine counted" \
	"$(cat $VDBG/$U1/guest)" "context $(guest_ctx $U1)
updates $(crycb $U1 updates)"
check_eq "wrong_crycb reads N by default" "$(cat $VDBG/wrong_crycb)" N
check_write "fault injection: vfio_ap loads wrong CRYCBs" $VDBG/wrong_crycb Y OK
check_eq "wrong_crycb reads Y" "$(cat $VDBG/wrong_crycb)" Y
check_write "an update for guest1" $MATRIX/$U1/assign_control_domain 0xab OK
check_eq "guest1's TAPQ now reaches guest2's 05.0047" "$(grc $U1 tapq 05.0047)" 0x00
check "the isolation probe reports it" sh -c \
	"! $APVFIO_TOOLS/apguest -x $U1 tapq 05.0047 | grep -q '^rc=0x01 '"
check "the checker reports the CRYCB" grep -q \
	"violation: mdev $U1: the machine's CRYCB of guest .* is not the view" $VDBG/check
check "the checker reports what guest1 reaches" grep -q \
	"violation: mdev $U1: guest .* reaches 05.0047" $VDBG/check
check "guest_matrix and the machine disagree" not guests_match
check "the machine reports 05.0047 in two CRYCBs" grep -q \
	"05.0047: in the CRYCBs of guests" $SIM/violations
check_write "fault injection off" $VDBG/wrong_crycb N OK
check_write "the next update" $MATRIX/$U1/unassign_control_domain 0xab OK
check_eq "guest1's TAPQ on 05.0047: APQN not valid again" \
	"$(grc $U1 tapq 05.0047)" 0x01
check_write "the machine's record is cleared" $SIM/violations 0 OK
vfio_check "after the fault injection"
check_write "over-provisioning: an adapter the LPAR lacks" \
	$MATRIX/$U3/assign_adapter 9 OK
check_eq "guest3's view ignores it" "$(cat $MATRIX/$U3/guest_matrix)" "06.0047
06.00ff"
check_eq "SE: adapter 9 joins the LPAR" "$(sim add-adapter 9 CEX6A)" OK
check "it is hot plugged into guest3" guest_wait_views $G3 4
check_eq "guest3 sees 09.0047 and 09.00ff" "$(cat $MATRIX/$U3/guest_matrix)" \
	"06.0047
06.00ff
09.0047
09.00ff"
check_eq "SE: adapter 9 leaves the LPAR" "$(sim remove-adapter 9)" OK
check "it is hot unplugged from guest3" guest_wait_views $G3 5
check_eq "guest3 is back to card 06" "$(cat $MATRIX/$U3/guest_matrix)" "06.0047
06.00ff"
check_write "unassign adapter 9" $MATRIX/$U3/unassign_adapter 9 OK

# --- Configuration changes while guests run -------------------------------------
views1=$(guest_views $G1)
views2=$(guest_views $G2)
check_write "SCLP: configure adapter 5 off" $AP/devices/card05/config 0 OK
check "guest1 loses card 05" guest_wait_views $G1 $((views1 + 1))
check "guest2 loses card 05" guest_wait_views $G2 $((views2 + 1))
check_eq "guest1 keeps card 06" "$(cat $MATRIX/$U1/guest_matrix)" "06.0004
06.00ab"
check_eq "guest2 has no adapter left, only its domains" \
	"$(cat $MATRIX/$U2/guest_matrix)" ".0047
.00ff"
check_eq "guest2's CRYCB has no adapter" "$(crycb $U2 apm)" "0x$ZERO64"
check_eq "its assignment stays" "$(cat $MATRIX/$U2/matrix)" "05.0047
05.00ff"
check_write "SCLP: configure adapter 5 on" $AP/devices/card05/config 1 OK
check "guest1 regains card 05" guest_wait_views $G1 $((views1 + 2))
check "guest2 regains card 05" guest_wait_views $G2 $((views2 + 2))
check_eq "guest2's seed table again" "$(guest_view $G2)" \
"CARD.DOMAIN TYPE  MODE
------------------------------
05          CEX5A Accelerator
05.0047     CEX5A Accelerator
05.00ff     CEX5A Accelerator"
views3=$(guest_views $G3)
check_eq "SE: domain 0x47 leaves the LPAR" "$(sim remove-domain 0x47)" OK
check "guest3 is told" guest_wait_views $G3 $((views3 + 1))
check_eq "guest3 keeps 06.00ff" "$(cat $MATRIX/$U3/guest_matrix)" "06.00ff"
check_eq "SE: domain 0x47 comes back" "$(sim add-domain 0x47)" OK
check "guest3 is told" guest_wait_views $G3 $((views3 + 2))
check_eq "guest3 has 06.0047 again" "$(cat $MATRIX/$U3/guest_matrix)" "06.0047
06.00ff"
check_eq "one update per event" "$(crycb $U3 updates)" "$((views3 + 1))"

# --- Unbinding a queue from vfio_ap --------------------------------------------
views1=$(guest_views $G1)
scans_hold
check_write "unbind 05.00ab from vfio_ap" $AP/drivers/vfio_ap/unbind 05.00ab OK
check "guest1 is told" guest_wait_views $G1 $((views1 + 1))
check_eq "its whole adapter 05 left guest1" "$(cat $MATRIX/$U1/guest_matrix)" \
	"06.0004
06.00ab"
check_eq "05.00ab is unbound" "$(driver_of 05.00ab)" -
check_write "the host driver may not bind it" $AP/drivers/cex4queue/bind 05.00ab \
	ENODEV
check_write "bind it back" $AP/drivers/vfio_ap/bind 05.00ab OK
scans_release
check "guest1 is told" guest_wait_views $G1 $((views1 + 2))
check_eq "adapter 05 is back in guest1" "$(cat $MATRIX/$U1/guest_matrix)" \
	"05.0004
05.00ab
06.0004
06.00ab"
check_write "a bound queue cannot be bound twice" \
	$AP/drivers/cex4queue/bind 05.00ab EBUSY

# --- Mask changes against assignments ------------------------------------------
apmask=$(cat $AP/apmask)
aqmask=$(cat $AP/aqmask)
check_write "aqmask +0xab would give guest1's queues to the host: EADDRINUSE" \
	$AP/aqmask +0xab EADDRINUSE
check "the refusal names the queue and the mdev" sh -c \
	"dmesg | grep -q 'cannot reserve queue 05.00ab for the host: it is assigned to mdev $U1'"
check_write "aqmask +0xff,+0x47 likewise (guest2, guest3)" $AP/aqmask \
	+0xff,+0x47 EADDRINUSE
check_write "an absolute aqmask likewise" $AP/aqmask 0x$ONES64 EADDRINUSE
check_eq "apmask unchanged" "$(cat $AP/apmask)" "$apmask"
check_eq "aqmask unchanged" "$(cat $AP/aqmask)" "$aqmask"
check_eq "05.00ab still in guest1" "$(cat $AP/devices/05.00ab/status)" "in use"

# --- Isolation: secrets never cross ---------------------------------------------
check_eq "guest1 stores a secret in 05.0004" "$(gstore $U1 05.0004 0x77)" \
	"0x00 0x00"
check_eq "the queue holds it" "$(gsecret $U1 05.0004)" 0x77
check_write "guest1 gives up domain 4" $MATRIX/$U1/unassign_domain 4 OK
check_eq "guest1's TAPQ on 05.0004 answers 0x01 when the write returns" \
	"$(grc $U1 tapq 05.0004)" 0x01
check_eq "05.0004's secret is gone when the write returns" \
	"$(sim_secret 05.0004)" 0x0
u1=$(crycb $U1 updates)
u2=$(crycb $U2 updates)
u3=$(crycb $U3 updates)
check_write "aqmask +4: domain 4 (assigned to nobody) to the host" $AP/aqmask +4 OK
check_eq "04.0004, 05.0004 and 06.0004 are bound to the host driver" \
	"$(driver_of 04.0004) $(driver_of 05.0004) $(driver_of 06.0004)" \
	"cex4queue cex4queue cex4queue"
check_eq "no guest was touched" \
	"$(crycb $U1 updates) $(crycb $U2 updates) $(crycb $U3 updates)" \
	"$u1 $u2 $u3"
check_eq "the host got 05.0004 without the secret" "$(sim_secret 05.0004)" 0x0
scans_hold
check_write "04.0004 unbound from the host driver" \
	$AP/drivers/cex4queue/unbind 04.0004 OK
check_write "vfio_ap may not bind a queue reserved for the host: ENODEV" \
	$AP/drivers/vfio_ap/bind 04.0004 ENODEV
check_write "the host driver binds it back" $AP/drivers/cex4queue/bind 04.0004 OK
scans_release
check_eq "04.0004 is the host's again" "$(driver_of 04.0004)" cex4queue
check_eq "guest3 stores a secret in 06.00ff" "$(gstore $U3 06.00ff 0x5ec2e7)" \
	"0x00 0x00"
check_eq "guest3's NQAP to guest2's 05.00ff: APQN not valid" \
	"$(grc $U3 nqap 05.00ff set-secret 0x1)" 0x01
check_eq "05.00ff keeps no secret of guest3" "$(sim_secret 05.00ff)" 0x0
check_write "06.00ff leaves guest3" $MATRIX/$U3/unassign_domain 0xff OK
check_eq "guest3's TAPQ on 06.00ff answers 0x01 when the write returns" \
	"$(grc $U3 tapq 06.00ff)" 0x01
check_eq "its secret is gone when the write returns" "$(sim_secret 06.00ff)" 0x0
check_write "guest3 gives up 0x47 too" $MATRIX/$U3/unassign_domain 0x47 OK
views2=$(guest_views $G2)
check_write "guest2 takes adapter 6" $MATRIX/$U2/assign_adapter 6 OK
check "guest2 is told" guest_wait_views $G2 $((views2 + 1))
check_eq "guest2 reaches 06.00ff" "$(grc $U2 tapq 06.00ff)" 0x00
check_eq "and its DQAP finds no secret there" "$(gsecret $U2 06.00ff)" 0x0

# --- VFIO reset and close ------------------------------------------------------
check_eq "guest1 stores a secret in 06.00ab" "$(gstore $U1 06.00ab 0x42)" \
	"0x00 0x00"
G1_PID=$(pgrep -f "apguest $U1")
kill -USR1 $G1_PID
check "guest1 resets its device (VFIO_DEVICE_RESET)" \
	wait_for 10 grep -q '^== reset' $G1
check_eq "the secret is gone: guest1 reads 0" "$(gsecret $U1 06.00ab)" 0x0
check_eq "the queue stays in the guest" "$(cat $AP/devices/06.00ab/status)" \
	"in use"
check_eq "guest2 stores a secret in 06.00ff" "$(gstore $U2 06.00ff 0x31)" \
	"0x00 0x00"
ctx2=$(guest_ctx $U2)
guest_stop $(pgrep -f "apguest $U2")
check_eq "guest2 stopped" "$(cat $VDBG/$U2/guest)" none
check "the machine dropped its context" sh -c \
	"! grep -q '^guest $ctx2 ' $SIM/guests"
check_eq "closing the device zeroized its queues" "$(sim_secret 06.00ff)" 0x0
check_eq "its queues are assigned, no longer in use" \
	"$(cat $AP/devices/06.00ff/status)" assigned
check_eq "guest_matrix of a stopped guest: ENODEV" \
	"$(cat $MATRIX/$U2/guest_matrix 2>&1 | grep -c 'No such device')" 1
guest_stop $(pgrep -f "apguest $U3")

# --- Removal while in use ---------------------------------------------------------
check_eq "guest1 stores a secret in 05.00ab" "$(gstore $U1 05.00ab 0x13)" \
	"0x00 0x00"
check_write "remove guest1's mdev while guest1 runs" $MATRIX/$U1/remove 1 OK
check "guest1 was asked to release the device" grep -q '^== released' $G1
check "guest1 saw its configuration emptied first" grep -q \
	'^== release requested' $G1
check "guest1's mdev is gone" test ! -e $MATRIX/$U1
check_eq "its queues were zeroized" "$(sim_secret 05.00ab)" 0x0
check_eq "they are unassigned" "$(cat $AP/devices/06.00ab/status)" unassigned
check_eq "the mdev's APQNs are free again" \
	"$(mdev_create $U1) $("$APWRITE" $MATRIX/$U1/ap_config \
	"$(hexmask 6),$(hexmask 171),0x0")" "OK OK"

# --- Removal waits for a guest that keeps the device ---------------------------
G4=/tmp/apguest-4.log
"$APVFIO_TOOLS/apguest" -k $U1 > $G4 2>&1 &
KEEPER=$!
check "a guest that ignores release requests starts on 06.00ab" \
	wait_for 10 grep -q '^== view 0' $G4
check_eq "it stores a secret in 06.00ab" "$(gstore $U1 06.00ab 0x77)" \
	"0x00 0x00"
echo 1 > $MATRIX/$U1/remove &
REMOVER=$!
check "it is asked to release the device" \
	wait_for 10 grep -q '^== release requested, the device is kept' $G4
check_eq "its CRYCB is emptied" "$(crycb $U1 apm) $(crycb $U1 aqm)" \
	"0x$ZERO64 0x$ZERO64"
check_eq "and the queue it had zeroized" "$(sim_secret 06.00ab)" 0x0
check_eq "adapter 6 leaves the LPAR while the removal waits" \
	"$(sim configure 6 off)" OK
check_eq "and comes back" "$(sim configure 6 on)" OK
check_eq "the guest being removed gets nothing back" \
	"$(crycb $U1 apm) $(crycb $U1 aqm)" "0x$ZERO64 0x$ZERO64"
vfio_check "while the removal waits"
guest_stop $KEEPER
check "the removal ends when the guest closes the device" wait $REMOVER
check "the mdev is gone" test ! -e $MATRIX/$U1
check_eq "06.00ab is free again" "$(cat $AP/devices/06.00ab/status)" unassigned
check_eq "the mdev is created again" "$(mdev_create $U1)" OK
check_eq "the VFIO ioctls refuse what is outside their contract" \
	"$("$APVFIO_TOOLS/apguest" -V $U1 | sed -n '/^== ioctls/,/^== end/p' | grep -v '^==')" \
"set_irqs index 0 start 0 count 1: OK
set_irqs index 1 start 0 count 1: OK
set_irqs index 0 start 1 count 1: EINVAL
set_irqs index 1 start 1 count 1: EINVAL
set_irqs index 0 start 0 count 2: EINVAL
set_irqs index 2 start 0 count 1: EINVAL
set_irqs action mask: EINVAL
set_irqs data bool: EINVAL
set_irqs release with fd -1: OK
set_irqs release with count 0, data none: OK
get_irq_info index 2: EINVAL
get_region_info: EOPNOTSUPP"
check_write "remove an mdev without a guest" $MATRIX/$U1/remove 1 OK
check_write "remove guest2's mdev" $MATRIX/$U2/remove 1 OK
check_write "remove guest3's mdev" $MATRIX/$U3/remove 1 OK
check_eq "no mdev left" "$(ls /sys/bus/mdev/devices | wc -l)" 0

rmmod vfio_ap
rmmod mdev
ap_unload
st_done
