#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The AP bus through sysfs: the specification's examples of apmask and
# aqmask, ownership and rebinding, the boot parameters, configuration
# changes of the simulated machine, and adapter types.
. "$APVFIO_TOP/tests/uml/lib.sh"
. "$APVFIO_TOP/tests/selftests/lib.sh"

# --- "Changing ownership of APQNs": queues 01-03 x 04-08 -------------------
ap_load adapters=1-3 domains=4-8 control_domains=4-8

check_eq "default apmask gives every adapter to the host" \
	"$(cat $AP/apmask)" "0x$ONES64"
check_eq "default aqmask gives every domain to the host" \
	"$(cat $AP/aqmask)" "0x$ONES64"
check_eq "every queue starts bound to the host driver" \
	"$(queues_of cex4queue)" "$(queues)"
check_eq "bindings reports all bound" "$(cat $AP/bindings)" "15/15 (complete)"

check_write "seed apmask 0x70... accepted" $AP/apmask \
	0x7000000000000000000000000000000000000000000000000000000000000000 OK
check_write "seed aqmask 0x0c... accepted" $AP/aqmask \
	0x0c00000000000000000000000000000000000000000000000000000000000000 OK
check_eq "zcrypt owns 01-03 x 04-05" "$(queues_of cex4queue)" \
	"01.0004 01.0005 02.0004 02.0005 03.0004 03.0005"
check_eq "queues given up by the host are unbound" "$(driver_of 01.0006)" -
check_eq "bindings counts them" "$(cat $AP/bindings)" "6/15"

check_write "seed echo +8 > aqmask" $AP/aqmask +8 OK
check_eq "seed aqmask after +8" "$(cat $AP/aqmask)" \
	0x0c80000000000000000000000000000000000000000000000000000000000000
check_eq "seed apmask unchanged by +8" "$(cat $AP/apmask)" \
	0x7000000000000000000000000000000000000000000000000000000000000000
check_eq "seed: 01.0008, 02.0008, 03.0008 moved to the host driver" \
	"$(queues_of cex4queue)" \
	"01.0004 01.0005 01.0008 02.0004 02.0005 02.0008 03.0004 03.0005 03.0008"
for q in 01.0008 02.0008 03.0008; do
	check_eq "driver link of $q is the host driver" "$(driver_of $q)" \
		cex4queue
done
check_write "clearing a bit gives the queues up again" $AP/aqmask -8 OK
check_eq "01.0008 is unbound again" "$(driver_of 01.0008)" -
ap_unload

# --- Mask syntax -----------------------------------------------------------
ap_load
check_write "seed echo 0x41 > apmask" $AP/apmask 0x41 OK
check_eq "apmask reads 0x41 followed by 62 zeros" "$(cat $AP/apmask)" \
	0x4100000000000000000000000000000000000000000000000000000000000000
check_write "seed +0,-6,+0x47,-0xf0 on all ones" $AP/aqmask \
	+0,-6,+0x47,-0xf0 OK
check_eq "bits 0 and 71 on, 6 and 240 off, the rest as before" \
	"$(cat $AP/aqmask)" "$(hexmask $(bits_except 6 240))"
check_write "aqmask 0x0" $AP/aqmask 0x0 OK
check_write "seed +0,-6,+0x47,-0xf0 on all zeros" $AP/aqmask \
	+0,-6,+0x47,-0xf0 OK
check_eq "exactly bits 0 and 71 set" "$(cat $AP/aqmask)" "$(hexmask 0 71)"
check_write "seed +0x41 switches bit 65 on" $AP/aqmask +0x41 OK
check_write "seed -0xff on a clear bit" $AP/aqmask -0xff OK
check_write "seed -13 on a clear bit" $AP/aqmask -13 OK
check_eq "bits 0, 65 and 71" "$(cat $AP/aqmask)" "$(hexmask 0 65 71)"
check_write "ranges" $AP/apmask +0-15 OK
check_eq "apmask 0x41 plus 0-15" "$(cat $AP/apmask)" "$(hexmask $(seq 0 15))"
check_write "64 digits" $AP/apmask 0x$ONES64 OK
check_write "seed securing: -5,-6 > apmask" $AP/apmask -5,-6 OK
check_eq "adapters 5 and 6 secured" "$(cat $AP/apmask)" \
	"$(hexmask $(bits_except 5 6))"
check_write "aqmask all ones" $AP/aqmask 0x$ONES64 OK
check_write "seed securing: -4,-0x47,-0xab,-0xff > aqmask" $AP/aqmask \
	-4,-0x47,-0xab,-0xff OK
check_eq "seed securing: aqmask 0xf7ff...fe" "$(cat $AP/aqmask)" \
	0xf7fffffffffffffffeffffffffffffffffffffffffeffffffffffffffffffffe
check_write "seed securing: the absolute form is the same" $AP/aqmask \
	0xf7fffffffffffffffeffffffffffffffffffffffffeffffffffffffffffffffe OK
check_eq "aqmask unchanged by the same value" "$(cat $AP/aqmask)" \
	0xf7fffffffffffffffeffffffffffffffffffffffffeffffffffffffffffffffe
check_eq "seed: 05 and 06 x 4, 0x47, 0xab, 0xff bound to no host driver" \
	"$(driver_of 05.0004) $(driver_of 06.00ff) $(driver_of 04.0047)" \
	"- - -"
check_eq "seed: adapter 04's other domains stay with the host" \
	"$(queues_of cex4queue)" ""

apmask=$(cat $AP/apmask)
aqmask=$(cat $AP/aqmask)
for bad in "" "0x" "0x4g" "0X" " 0x41" "0x41 " "x41" \
	"0x${ONES64}0" "${ONES64}00" "+256" "-0x100" "+4294967296" \
	"+18446744073709551616" "+99999999999999999999999" "+010" "+5-3" \
	"+1,,+2" "+1," ",+1" "+1,2" "+" "-" "++1" "+ 1" "+1 ,+2" "+0x" \
	"+1-" "+1-2-3" "1,2" "+1;+2"; do
	check_write "apmask '$bad' is EINVAL" $AP/apmask "$bad" EINVAL
	check_write "aqmask '$bad' is EINVAL" $AP/aqmask "$bad" EINVAL
done
check_eq "apmask unchanged by the malformed writes" "$(cat $AP/apmask)" \
	"$apmask"
check_eq "aqmask unchanged by the malformed writes" "$(cat $AP/aqmask)" \
	"$aqmask"
check_eq "a half-valid relative write changes nothing" \
	"$("$APWRITE" $AP/apmask +1,+2,+300) $(cat $AP/apmask)" \
	"EINVAL $apmask"
# A write(2) of zero bytes never reaches the attribute: sysfs (kernfs)
# answers it with 0 itself. The guide and the ABI say so.
check_eq "a 0-byte write to apmask succeeds and changes nothing [sysfs]" \
	"$("$APWRITE" $AP/apmask "" -n) $(cat $AP/apmask)" "OK $apmask"
check_eq "a 0-byte write to aqmask succeeds and changes nothing [sysfs]" \
	"$("$APWRITE" $AP/aqmask "" -n) $(cat $AP/aqmask)" "OK $aqmask"
ap_unload

# --- Boot parameters -------------------------------------------------------
AP_PARAMS="apmask=0xffff aqmask=0x40"
ap_load
check_eq "seed ap.apmask=0xffff" "$(cat $AP/apmask)" \
	0xffff000000000000000000000000000000000000000000000000000000000000
check_eq "seed ap.aqmask=0x40" "$(cat $AP/aqmask)" \
	0x4000000000000000000000000000000000000000000000000000000000000000
check_eq "the LPAR's queues (domains 4, 71, 171, 255) are not the host's" \
	"$(queues_of cex4queue)" ""
ap_unload
AP_PARAMS="apmask=-5,-6 aqmask=0x4x"
ap_load
check_eq "relative ap.apmask starts from all ones" "$(cat $AP/apmask)" \
	"$(hexmask $(bits_except 5 6))"
check_eq "invalid ap.aqmask keeps the host owning every domain" \
	"$(cat $AP/aqmask)" "0x$ONES64"
check "invalid ap.aqmask is reported" \
	sh -c "dmesg | grep -q 'ignoring invalid ap.aqmask=0x4x'"
check "the valid ap.apmask is confirmed as the guide shows it" \
	sh -c "dmesg | grep -q \"ap: ap.apmask=-5,-6: the host's default drivers own ids 0-4,7-255\$\""
ap_unload
AP_PARAMS=
sim_refuses_modes() {
	! uml_insmod ap_sim "modes=$1" 2>/dev/null
}
uml_insmod ap
for bad in "5.47:A" "05.0047" "05.0047:X" "05.147:A" "05.0047:A,x"; do
	check "ap_sim refuses modes=$bad" sim_refuses_modes "$bad"
done
check_eq "and leaves no device behind" "$(ls $AP/devices)" ""
# What the bus shows without an AP facility (sysfs-bus-ap).
check_eq "no facility: ap_domain reads -1" "$(cat $AP/ap_domain)" -1
check_eq "no facility: the LPAR's masks read 'not supported'" \
	"$(cat $AP/ap_adapter_mask $AP/ap_usage_domain_mask $AP/ap_control_domain_mask | sort -u)" \
	"not supported"
check_eq "no facility: features reads -" "$(cat $AP/features)" -
check_eq "no facility: ap_interrupts reads 0" "$(cat $AP/ap_interrupts)" 0
check_eq "no facility: the highest ids are 63 and 15" \
	"$(cat $AP/ap_max_adapter_id) $(cat $AP/ap_max_domain_id)" "63 15"
rmmod ap
UEV=${APVFIO_OUT:-/tmp}/ap_bus.uevents
uevents_start "$UEV"
uml_insmod ap
uml_insmod ap_sim domains=4,9 modes= max_apid=63 max_apqi=15
uevents_stop
check_eq "the first scan sends INITSCAN=done from /devices/ap, once" \
	"$(uevents "$UEV" /devices/ap INITSCAN)" done
check_eq "a machine without APXA: features reads 'APSC QACT'" \
	"$(cat $AP/features)" "APSC QACT"
check_eq "and the highest ids are 63 and 15" \
	"$(cat $AP/ap_max_adapter_id) $(cat $AP/ap_max_domain_id)" "63 15"
rmmod ap_sim
# insmod_errno MODULE PARAM...: the errno of a failed load, from what
# kmod's insmod prints (it names EINVAL "Invalid parameters", the others
# as strerror() does).
insmod_errno() {
	case $(uml_insmod "$@" 2>&1 | sed -n 's/.*: //p') in
	"Invalid parameters" | "Invalid argument") echo EINVAL ;;
	"Numerical result out of range") echo ERANGE ;;
	"") echo OK ;;
	*) echo "unexpected: $*" ;;
	esac
}
check_eq "a max_apid too large for 32 bits fails with ERANGE" \
	"$(insmod_errno ap_sim max_apid=4294967296)" ERANGE
check_eq "a malformed modes= fails with EINVAL" \
	"$(insmod_errno ap_sim modes=05.0047)" EINVAL
rmmod ap

# --- The machine changes: SCLP and SE --------------------------------------
ap_load
check_write "SCLP deconfigure through card05/config" $AP/devices/card05/config 0 OK
check_eq "card05 reads config 0" "$(cat $AP/devices/card05/config)" 0
check_eq "its queues read config 0" \
	"$(cat $AP/devices/05.0004/config $AP/devices/05.00ff/config)" "0
0"
check_eq "the adapter stays assigned to the LPAR" "$(cat $AP/ap_adapter_mask)" \
	"$(hexmask 4 5 6)"
check "the simulator shows it in standby" \
	grep -q "^05 .*config=0" $SIM/adapters
check_write "config accepts only 0 and 1" $AP/devices/card05/config 2 EINVAL
check_write "SCLP configure through card05/config" $AP/devices/card05/config 1 OK
check_eq "card05 reads config 1" "$(cat $AP/devices/card05/config)" 1
check_eq "configure off through the simulator" "$(sim configure 6 off)" OK
check_eq "card06 reads config 0" "$(cat $AP/devices/card06/config)" 0
check_eq "configure on through the simulator" "$(sim configure 6 on)" OK
check_eq "card06 reads config 1" "$(cat $AP/devices/card06/config)" 1
check_eq "checkstop" "$(sim checkstop 4 on)" OK
check_eq "card04 reads chkstop 1" "$(cat $AP/devices/card04/chkstop)" 1
check_eq "its queue 04.0004 reads chkstop 1" "$(cat $AP/devices/04.0004/chkstop)" 1
check_eq "04.0004 is the host's" "$(driver_of 04.0004)" cex4queue
# zcrypt's rule (drivers/s390/crypto/zcrypt_card.c, zcrypt_queue.c): a
# check-stopped card or queue reads offline, and a write of 1 is ENODEV.
check_eq "a check-stopped card and its queue read online 0" \
	"$(cat $AP/devices/card04/online $AP/devices/04.0004/online)" "0
0"
check_write "online 1 on the check-stopped card is ENODEV" \
	$AP/devices/card04/online 1 ENODEV
check_write "online 1 on its queue is ENODEV" $AP/devices/04.0004/online 1 ENODEV
check_write "online 0 on the check-stopped queue is accepted" \
	$AP/devices/04.0004/online 0 OK
check_eq "both still read 0" \
	"$(cat $AP/devices/card04/online $AP/devices/04.0004/online)" "0
0"
check_write "online 1 on it is refused again: its choice stays 0" \
	$AP/devices/04.0004/online 1 ENODEV
check_eq "checkstop off" "$(sim checkstop 4 off)" OK
check_eq "the card reads online 1 again, without a write" \
	"$(cat $AP/devices/card04/online)" 1
check_eq "its queue reads what was last chosen for it: 0" \
	"$(cat $AP/devices/04.0004/online)" 0
check_write "and goes online with a write" $AP/devices/04.0004/online 1 OK
check_eq "04.0004 reads online 1" "$(cat $AP/devices/04.0004/online)" 1

scans=$(cat $AP/scans)
check_write "writing scans rescans" $AP/scans 1 OK
check_eq "scans counts it" "$(cat $AP/scans)" $((scans + 1))

check_eq "SE: add domain 9 to the LPAR" "$(sim add-domain 9)" OK
check_eq "queues of domain 9 appear" \
	"$(ls $AP/devices | grep -c '^0[456]\.0009$')" 3
check_eq "usage domain mask shows it" "$(cat $AP/ap_usage_domain_mask)" \
	"$(hexmask 4 9 71 171 255)"
check_eq "SE: remove domain 9" "$(sim remove-domain 9)" OK
check_eq "queues of domain 9 disappear" \
	"$(ls $AP/devices | grep -c '^0[456]\.0009$')" 0
check_eq "SE: add adapter 7 to the LPAR" "$(sim add-adapter 7 CEX7P)" OK
check_eq "card07 appears with its queues" \
	"$(ls $AP/devices | grep -c '^card07$\|^07\.')" 5
check_eq "card07 is a CEX7P" "$(cat $AP/devices/card07/type)" CEX7P
check_eq "card07 hwtype" "$(cat $AP/devices/card07/hwtype)" 13
check_eq "SE: remove adapter 7" "$(sim remove-adapter 7)" OK
check_eq "card07 disappears" "$(ls $AP/devices | grep -c '^card07$\|^07\.')" 0
check_eq "removing it again" "$(sim remove-adapter 7)" ENOENT
check_eq "a malformed command" "$(sim add-domain 0x1g)" EINVAL
check_eq "an unknown command" "$(sim frobnicate 1)" EINVAL

# --- Adapter types: CEX4 and newer only ------------------------------------
check_eq "the default LPAR has APXA: features" "$(cat $AP/features)" \
	"APSC APXA QACT"
check_eq "and ap_max_adapter_id reads 255" "$(cat $AP/ap_max_adapter_id)" 255
check_eq "SE: add adapter 9 of raw type 15 (newer than CEX8)" \
	"$(sim add-adapter 9 15)" OK
check_eq "card09 shows as a CEX8: hwtype 14, raw_hwtype 15, modalias ap:t0E" \
	"$(cat $AP/devices/card09/hwtype $AP/devices/card09/raw_hwtype $AP/devices/card09/modalias)" \
	"14
15
ap:t0E"
check_eq "and is bound as one" "$(driver_of card09)" cex4card
check_eq "SE: remove adapter 9" "$(sim remove-adapter 9)" OK
check_eq "the simulator's adapters file, one line per adapter" \
	"$(cat $SIM/adapters)" \
	"04 type=CEX5C hwtype=11 config=1 chkstop=0
05 type=CEX5C hwtype=11 config=1 chkstop=0
06 type=CEX5A hwtype=11 config=1 chkstop=0"
check_eq "the simulator's config file" "$(cat $SIM/config)" \
	"adapters $(hexmask 4 5 6)
usage_domains $(hexmask 4 71 171 255)
control_domains $(hexmask 4 71 171 255)
max_apid 255
max_apqi 255
apxa 1"
check_eq "make adapter 6 a CEX3C" "$(sim set-type 6 CEX3C)" OK
check_eq "card06 hwtype 9" "$(cat $AP/devices/card06/hwtype)" 9
check_eq "no host driver binds a CEX3C card" "$(driver_of card06)" -
check_eq "nor its queues while reserved for the host" \
	"$(driver_of 06.0004) $(driver_of 06.00ff)" "- -"
check_write "release adapter 6 from the host" $AP/apmask -6 OK
check_eq "its queues stay unbound" "$(driver_of 06.0004) $(driver_of 06.00ff)" \
	"- -"
check_eq "make adapter 6 a CEX5A again" "$(sim set-type 6 CEX5A)" OK
check_eq "card06 is bound again" "$(driver_of card06)" cex4card
check_write "give adapter 6 back to the host" $AP/apmask +6 OK
check_eq "its queues are bound to the host driver" \
	"$(driver_of 06.0004) $(driver_of 06.00ff)" "cex4queue cex4queue"

# --- Queue attributes ------------------------------------------------------
check_eq "queue reset reads idle" "$(cat $AP/devices/05.0004/reset)" \
	"No Reset Timer set."
check_eq "host queues have interrupts enabled" \
	"$(cat $AP/devices/05.0004/interrupt)" "Interrupts enabled."
# 2 s: the read must come before the reset ends, also under emulation
# (qemu-system-s390x's TCG), where a fork and exec take a good part of 300 ms.
check_eq "slow resets" "$(sim latency 05.0004 2000)" OK
check_write "writing reset starts one" $AP/devices/05.0004/reset 1 OK
check_eq "reset reads in progress" "$(cat $AP/devices/05.0004/reset)" \
	"Reset in progress."
wait_for 10 grep -qx "No Reset Timer set." $AP/devices/05.0004/reset
check_eq "and idle once done" "$(cat $AP/devices/05.0004/reset)" \
	"No Reset Timer set."
check_eq "a reset disables interrupts" "$(cat $AP/devices/05.0004/interrupt)" \
	"Interrupts disabled."
check_eq "queue ap_functions shows its mode (accelerator)" \
	"$(cat $AP/devices/05.0047/ap_functions)" 0xEA000000
check_eq "card modalias" "$(cat $AP/devices/card05/modalias)" ap:t0B
check_write "card online 0" $AP/devices/card05/online 0 OK
check_eq "takes its queues offline" "$(cat $AP/devices/05.0004/online)" 0
check_write "a queue cannot go online on an offline card" \
	$AP/devices/05.0004/online 1 EINVAL
check_write "05.0004 leaves the host while card05 is offline" $AP/aqmask -4 OK
check_write "and comes back" $AP/aqmask +4 OK
check_eq "it comes back offline, as its card" \
	"$(driver_of 05.0004) $(cat $AP/devices/05.0004/online)" "cex4queue 0"
check_write "card online 1" $AP/devices/card05/online 1 OK
check_eq "brings its queues back" "$(cat $AP/devices/05.0004/online)" 1

# --- What the ABI promises for the bus's other files ------------------------
check_eq "card and queue load read 0" \
	"$(cat $AP/devices/card05/load $AP/devices/05.0004/load)" "0
0"
for f in card05/request_count 05.0004/request_count; do
	check_write "$f: any write is accepted" $AP/devices/$f 42 OK
	check_eq "$f: and it still reads 0" "$(cat $AP/devices/$f)" 0
done
for f in config_time:60 poll_timeout:250000 poll_thread:1 \
	devices/card05/online:1 devices/05.0004/online:1 devices/card05/config:1; do
	check_eq "${f%:*}: '${f#*:}' and a NUL byte is EINVAL" \
		"$("$APWRITE" $AP/${f%:*} "${f#*:}" -0)" EINVAL
done
for f in card05/online 05.0004/online; do
	check_write "$f: 2 is EINVAL" $AP/devices/$f 2 EINVAL
	check_write "$f: +1 is read as 1 (kstrtouint)" $AP/devices/$f +1 OK
done
scans_hold
check_write "05.0004 leaves cex4card's care: card05 unbound" \
	$AP/drivers/cex4card/unbind card05 OK
check_write "a queue whose card is not bound to cex4card cannot go online" \
	$AP/devices/05.0004/online 1 EINVAL
check_write "card05 bound again" $AP/drivers/cex4card/bind card05 OK
scans_release
check_eq "card05 is cex4card's again, online" \
	"$(driver_of card05) $(cat $AP/devices/card05/online)" "cex4card 1"

dom=$(cat $AP/ap_domain)
check_write "ap_domain above ap_max_domain_id is EINVAL" $AP/ap_domain \
	$(($(cat $AP/ap_max_domain_id) + 1)) EINVAL
check_write "ap_domain: a leading zero is EINVAL" $AP/ap_domain 09 EINVAL
check_write "ap_domain: a bare 0x is EINVAL" $AP/ap_domain 0x EINVAL
check_write "domain 9 leaves aqmask" $AP/aqmask -9 OK
check_write "ap_domain 9, not in aqmask, is EINVAL" $AP/ap_domain 9 EINVAL
check_eq "and changes nothing" "$(cat $AP/ap_domain)" "$dom"
check_write "domain 9 back in aqmask" $AP/aqmask +9 OK
check_write "ap_domain 0x9, in aqmask but not configured, is taken" \
	$AP/ap_domain 0x9 OK
check_eq "ap_domain reads 9" "$(cat $AP/ap_domain)" 9
check_write "the default domain goes back" $AP/ap_domain "$dom" OK

for v in 4 121 0x10 "" 30x; do
	check_write "config_time '$v' is EINVAL" $AP/config_time "$v" EINVAL
done
for v in 5 120 30; do
	check_write "config_time $v is taken" $AP/config_time $v OK
	check_eq "config_time reads $v" "$(cat $AP/config_time)" $v
done
for v in 0 120000000001 18446744073709551616 0x 1x; do
	check_write "poll_timeout '$v' is EINVAL" $AP/poll_timeout "$v" EINVAL
done
check_eq "and reads its default still" "$(cat $AP/poll_timeout)" 250000
for v in "0x10 16" "010 8" "120000000000 120000000000" "250000 250000"; do
	check_write "poll_timeout ${v% *} is taken" $AP/poll_timeout "${v% *}" OK
	check_eq "poll_timeout then reads ${v#* }" "$(cat $AP/poll_timeout)" "${v#* }"
done

check_eq "the next TAPQ of 05.0004 answers 06" "$(sim inject 05.0004 tapq 6)" OK
check_eq "reading its ap_functions then fails with EIO" \
	"$(cat $AP/devices/05.0004/ap_functions 2>&1 >/dev/null | grep -c 'Input/output error')" 1
check_eq "and reads again afterwards" \
	"$(cat $AP/devices/05.0004/ap_functions 2>/dev/null | grep -c '^0x')" 1

# --- Uevents (sysfs-bus-ap) --------------------------------------------------
uevents_start "$UEV"
check_write "aqmask -9" $AP/aqmask -9 OK
aqm=$(cat $AP/aqmask)
check_write "aqmask written with its current value" $AP/aqmask "$aqm" OK
check_write "aqmask +9" $AP/aqmask +9 OK
check_write "apmask -6 (moves adapter 6's queues off the host)" $AP/apmask -6 OK
apm=$(cat $AP/apmask)
check_write "apmask +6" $AP/apmask +6 OK
check_write "card05 online 0" $AP/devices/card05/online 0 OK
check_write "card05 online 0 again" $AP/devices/card05/online 0 OK
check_write "card05 online 1" $AP/devices/card05/online 1 OK
check_write "card06 configured off" $AP/devices/card06/config 0 OK
check_write "card06 configured on" $AP/devices/card06/config 1 OK
uevents_stop
check_eq "a mask write sends AQMASK=<new mask>; the unchanged write none" \
	"$(uevents "$UEV" /devices/ap AQMASK)" "$aqm
0x$ONES64"
check_eq "and APMASK=<new mask> for apmask" \
	"$(uevents "$UEV" /devices/ap APMASK)" "$apm
0x$ONES64"
check_eq "the card's ONLINE=0, ONLINE=1; none for the write that changed nothing" \
	"$(uevents "$UEV" /devices/ap/card05 ONLINE)" "0
1"
check_eq "and each of its host queues' too" \
	"$(uevents "$UEV" /devices/ap/card05/05.0004 ONLINE)" "0
1"
check_eq "configuring a card off and on: CONFIG=0, CONFIG=1" \
	"$(uevents "$UEV" /devices/ap/card06 CONFIG)" "0
1"
check_eq "and its queues'" "$(uevents "$UEV" /devices/ap/card06/06.0004 CONFIG)" "0
1"
check "apmask +6 ended with every queue bound: BINDINGS=complete" \
	grep -q "^change /devices/ap .*BINDINGS=complete" "$UEV"

# The simulator's own errors (debugfs-ap-sim, simulator.rst).
sim_config() { sed -n "s/^$1 //p" $SIM/config; }
check_eq "sim: add-adapter above max_apid is EINVAL" \
	"$(sim add-adapter $(($(sim_config max_apid) + 1)))" EINVAL
check_eq "sim: add-domain above max_apqi is EINVAL" \
	"$(sim add-domain $(($(sim_config max_apqi) + 1)))" EINVAL
check_eq "sim: set-type of an adapter not in the LPAR is ENODEV" \
	"$(sim set-type 9 CEX5C)" ENODEV
check_eq "sim: set-mode of a queue on such an adapter is ENODEV" \
	"$(sim set-mode 09.0004 C)" ENODEV
check_eq "sim: latency on an adapter the simulator never had is ENODEV" \
	"$(sim latency 0c.0004 10)" ENODEV
check_eq "sim: inject on such an adapter is ENODEV" \
	"$(sim inject 0c.0004 tapq 1)" ENODEV
check_eq "sim: latency on one it had (adapter 9) is accepted" \
	"$(sim latency 09.0004 0)" OK
check_eq "sim: an empty write to violations succeeds" \
	"$("$APWRITE" $SIM/violations "" -n)" OK
rmmod ap_host
st_machine_verdict
rmmod ap_sim
check_eq "unloading the simulator removes every device" "$(ls $AP/devices)" ""
ap_unload

st_done
