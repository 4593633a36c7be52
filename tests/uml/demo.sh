#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Demo mode: the specification's Example, step by step, on the simulated
# LPAR (adapters 4, 5, 6; domains 4, 71, 171, 255), then what happens
# when the configuration changes under running guests. Every command is
# printed before it runs, with what it printed; each guest's view is
# compared with what it must be. The output goes to $APVFIO_OUT/demo.out
# (the host shows it as it grows); the exit status is 0 when every view
# was right.
. "$APVFIO_TOP/tests/uml/lib.sh"
. "$APVFIO_TOP/tests/uml/views.sh"
. "$APVFIO_TOP/tests/selftests/lib.sh"

OUT=$APVFIO_OUT/demo.out
PATH=$APVFIO_TOOLS:$PATH
uuid1=7a1f5a2e-0001-4c0d-9b3e-5e11c0de0001
uuid2=7a1f5a2e-0002-4c0d-9b3e-5e11c0de0002
uuid3=7a1f5a2e-0003-4c0d-9b3e-5e11c0de0003
G1=/tmp/demo-guest1.log
G2=/tmp/demo-guest2.log
G3=/tmp/demo-guest3.log
passed=0
failed=0

say() { echo "$*" >> "$OUT"; }

heading() {
	say ""
	say "== $*"
}

# run COMMAND: show it, run it in this shell, show what it printed.
run() {
	local tmp rc
	say "\$ $*"
	tmp=$(mktemp)
	eval "$*" > "$tmp" 2>&1
	rc=$?
	sed -e 's/^.*demo\.sh: line [0-9]*: /bash: /' -e 's/^/  /' "$tmp" >> "$OUT"
	rm -f "$tmp"
	[ $rc -eq 0 ] || say "  (exit status $rc)"
	return $rc
}

# expect WHAT GOT WANT: compare and tell.
expect() {
	if [ "$2" = "$3" ]; then
		passed=$((passed + 1))
		say "  ok: $1"
	else
		failed=$((failed + 1))
		say "  WRONG: $1; expected:"
		echo "$3" | sed 's/^/    /' >> "$OUT"
	fi
}

# show_guest N LOG: print a guest's current view.
show_guest() {
	say "  Guest$1:"
	guest_view "$2" | sed 's/^/    /' >> "$OUT"
}

# guest_event LOG COUNT: wait for the guest's COUNT-th view.
guest_event() {
	guest_wait_views "$1" "$2" || say "  (no configuration-changed event)"
}


: > "$OUT"
ap_load && vfio_load || { say "cannot load the modules"; exit 1; }

say "AP passthrough demo: the specification's Example on a simulated LPAR"
say "(User-Mode Linux, modules ap, ap_sim, ap_host, vfio_ap; guests run by"
say "apguest, which opens each mdev's VFIO device the way QEMU does)"

heading "1. The LPAR: adapters 4, 5, 6; domains 4, 71 (0x47), 171 (0xab), 255 (0xff)"
run "cat /sys/bus/ap/ap_adapter_mask /sys/bus/ap/ap_usage_domain_mask"
run "ap_host_view"
expect "every queue belongs to the host (zcrypt stand-in cex4queue)" \
	"$(queues_of cex4queue | wc -w)" 12

heading "2. Secure queues 0004, 0047, 00ab and 00ff of all adapters for guests"
run "echo -4,-0x47,-0xab,-0xff > /sys/bus/ap/aqmask"
run "cat /sys/bus/ap/aqmask"
run "ap_host_view"
expect "the twelve queues are bound to vfio_ap" "$(queues_of vfio_ap | wc -w)" 12
run "cat /sys/bus/ap/devices/card05/hwtype"

heading "3. Create the mediated devices of the three guests"
run "cd /sys/devices/vfio_ap/matrix/mdev_supported_types/vfio_ap-passthrough"
run "echo $uuid1 > create"
run "echo $uuid2 > create"
run "echo $uuid3 > create"
run "ls devices"

heading "4. Assign adapters and domains"
run "cd /sys/devices/vfio_ap/matrix/$uuid1"
run "echo 5 > assign_adapter; echo 6 > assign_adapter"
run "echo 4 > assign_domain; echo 0xab > assign_domain"
run "cat matrix"
run "cd /sys/devices/vfio_ap/matrix/$uuid2"
run "echo 5 > assign_adapter; echo 0x47 > assign_domain; echo 0xff > assign_domain"
run "cd /sys/devices/vfio_ap/matrix/$uuid3"
run "echo 6 > assign_adapter; echo 0x47 > assign_domain; echo 0xff > assign_domain"
run "cat matrix"

heading "5. Start the guests (as qemu-system-s390x -device vfio-ap,sysfsdev=...)"
cd /
for k in 1 2 3; do
	eval "u=\$uuid$k g=\$G$k"
	say "\$ apguest $u &"
	guest_start "$u" "$g" || say "  (guest$k did not start)"
	eval "GUEST${k}_PID=$GUEST_PID"
done
show_guest 1 $G1
expect "Guest1 sees what the specification shows" "$(guest_view $G1)" \
	"$SEED_GUEST1"
show_guest 2 $G2
expect "Guest2 sees what the specification shows" "$(guest_view $G2)" \
	"$SEED_GUEST2"
show_guest 3 $G3
expect "Guest3 sees what the specification shows" "$(guest_view $G3)" \
	"$SEED_GUEST3"
run "cat /sys/devices/vfio_ap/matrix/$uuid1/guest_matrix"
run "cat /sys/bus/ap/devices/05.0004/status"
say ""
say "  The tables above are what each guest found with its own instructions:"
say "  PQAP(QCI), then TAPQ on each queue; the machine interprets them against"
say "  the guest's CRYCB. Guest1 tries Guest2's 05.0047, and stores a secret"
say "  in its own 05.0004:"
run "apguest -x $uuid1 nqap 05.0047 set-secret 0x1234"
expect "Guest1 cannot reach Guest2's queue (response code 0x01)" \
	"$(grc $uuid1 nqap 05.0047 set-secret 0x1234)" 0x01
run "apguest -x $uuid1 nqap 05.0004 set-secret 0x1234"
run "apguest -x $uuid1 dqap 05.0004"
expect "Guest1 stored its secret in 05.0004" "$(gsecret $uuid1 05.0004)" 0x1234

heading "6. Hot plug adapter 4 into the running Guest3, and unplug it again"
run "echo 4 > /sys/devices/vfio_ap/matrix/$uuid3/assign_adapter"
guest_event $G3 2
show_guest 3 $G3
expect "Guest3 got card 04 at once" "$(guest_view $G3 | grep -c '^04')" 3
run "echo 4 > /sys/devices/vfio_ap/matrix/$uuid3/unassign_adapter"
guest_event $G3 3
show_guest 3 $G3
expect "Guest3 is back to its table" "$(guest_view $G3)" "$SEED_GUEST3"

heading "7. Over-provision domain 11 (0x0b) to Guest2; the SE adds it to the LPAR"
run "echo -0xb > /sys/bus/ap/aqmask"
run "echo 0xb > /sys/devices/vfio_ap/matrix/$uuid2/assign_domain"
run "cat /sys/devices/vfio_ap/matrix/$uuid2/matrix"
run "cat /sys/devices/vfio_ap/matrix/$uuid2/guest_matrix"
say "  (the LPAR has no domain 11 yet: the guest does not get it)"
run "echo add-domain 0xb > /sys/kernel/debug/ap_sim/command"
guest_event $G2 2
show_guest 2 $G2
expect "Guest2 got 05.000b when it appeared" \
	"$(guest_view $G2 | grep -c '^05.000b')" 1
run "echo 0xb > /sys/devices/vfio_ap/matrix/$uuid2/unassign_domain"
guest_event $G2 3
show_guest 2 $G2
expect "Guest2 is back to its table" "$(guest_view $G2)" "$SEED_GUEST2"

heading "8. SCLP: configure adapter 5 off, then on again"
run "echo 0 > /sys/bus/ap/devices/card05/config"
guest_event $G1 2
guest_event $G2 4
show_guest 1 $G1
show_guest 2 $G2
expect "Guest1 keeps card 06 only" "$(guest_view $G1 | grep -c '^05')" 0
expect "Guest2 has no card left" "$(guest_view $G2 | grep -c '^0')" 0
run "ap_host_view | grep '^05'"
run "echo 1 > /sys/bus/ap/devices/card05/config"
guest_event $G1 3
guest_event $G2 5
show_guest 1 $G1
show_guest 2 $G2
expect "Guest1 has its table again" "$(guest_view $G1)" "$SEED_GUEST1"
expect "Guest2 has its table again" "$(guest_view $G2)" "$SEED_GUEST2"

heading "9. Giving Guest1's queues to the host is refused"
run "echo +0xab > /sys/bus/ap/aqmask"
expect "the write failed with EADDRINUSE" \
	"$("$APWRITE" /sys/bus/ap/aqmask +0xab)" EADDRINUSE
run "dmesg | grep 'cannot reserve queue' | tail -n 2 | sed 's/^\[[^]]*\] //'"
run "cat /sys/bus/ap/aqmask"

heading "10. Remove Guest3's mdev while Guest3 runs"
run "echo 1 > /sys/devices/vfio_ap/matrix/$uuid3/remove"
run "grep '^== rel' $G3"
expect "Guest3 released the device on request" \
	"$(grep -c '^== released' $G3)" 1
run "ls /sys/devices/vfio_ap/matrix | grep -c -- -"

heading "11. A guest's crypto request, answered by an interrupt"
say "  A Linux guest enables its queues' interrupts with PQAP(AQIC) and waits"
say "  for them. The machine intercepts the AQIC to vfio_ap, which pins the"
say "  guest's notification byte and registers its ISC in the guest's GISA;"
say "  each reply then sets the byte and makes the ISC pending. Guest1 is"
say "  started again, taking commands (apguest -c):"
guest_stop $GUEST1_PID
fifo=/tmp/demo-guest1.cmd
rm -f $fifo && mkfifo $fifo
say "\$ apguest -c $uuid1 < $fifo &"
apguest -c $uuid1 < $fifo > $G1 2>&1 &
GUEST1_PID=$!
exec 7> $fifo
wait_for 10 grep -q '^== view 0' $G1 ||
	{ say "  (guest1 did not start:)"; sed 's/^/    /' $G1 >> "$OUT"; }
# guest1_answers: how many answers Guest1 gave to commands.
guest1_answers() {
	grep -c '^== \(aqic\|reply\)' $G1
}
# guest1_answered_beyond N: Guest1 gave more than N answers.
guest1_answered_beyond() {
	test "$(guest1_answers)" -gt "$1"
}
# guest_cmd COMMAND: give Guest1 a command, show its answer line.
guest_cmd() {
	local n
	n=$(guest1_answers)
	say "  guest1> $*"
	echo "$*" >&7
	wait_for 10 guest1_answered_beyond "$n"
	grep '^== \(aqic\|reply\)' $G1 | tail -n 1 | sed 's/^/  /' >> "$OUT"
}
guest_cmd "aqic 05.0004 on 3 0x1000"
expect "the interrupts of 05.0004 are on" \
	"$(grep '^== aqic' $G1 | tail -n 1)" "== aqic 05.0004 rc=0x00 irq=1"
run "cat /sys/kernel/debug/vfio_ap/$uuid1/irqs"
run "grep -A2 '^guest $(guest_ctx $uuid1) ' /sys/kernel/debug/ap_sim/guests | cut -c1-60"
guest_cmd "request 05.0004"
expect "the reply came with the byte set and ISC 3 (0x10) pending" \
	"$(grep '^== reply' $G1 | tail -n 1)" \
	"== reply 05.0004 irq nib=1 ipm=0x10 dqap rc=0x00"
exec 7>&-
guest_stop $GUEST1_PID
run "cat /sys/kernel/debug/vfio_ap/$uuid1/irqs"
expect "once Guest1 stopped, nothing stays pinned or registered" \
	"$(head -n 2 /sys/kernel/debug/vfio_ap/$uuid1/irqs | paste -sd,)" \
	"pinned 0,iscs 0"

guest_stop $GUEST2_PID
heading "Summary"
if [ $failed -eq 0 ]; then
	say "demo: all $passed checks passed; the guests saw what the specification says"
else
	say "demo: $failed of $((passed + failed)) checks FAILED"
fi
rmmod vfio_ap mdev
ap_unload
[ $failed -eq 0 ]
