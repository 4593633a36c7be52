#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Live migration on one host, in both QEMU flows: the VFIO migration
# state machine of a vfio_ap device (every arc the VFIO core allows a
# stop-and-copy device, the invalid ones refused with EINVAL, data files
# disabled when their state ends, VFIO_DEVICE_RESET ending a migration),
# the stream the source writes (checked byte by byte against the layout
# of include/ap/migstream.h), a source taken back to RUNNING with
# everything it had (queues, interrupts, a reply waiting in a queue, the
# guest's secret), and a migration to another mdev of the same host,
# with the refusals a single host can show: a stream naming what the
# destination mdev is not assigned (adapters, domains, a control domain:
# EPERM, the mdev and its guest unchanged), a notification byte not
# mapped, a guest that enabled interrupts before, a corrupted stream, a
# byte too many, a stream cut short, an impossible length; then the
# migration onto a destination assigned more than the guest had (the
# assignment stays, the guest finds the rest as a hot plug once it
# runs, its interrupts come through its own byte).
# tests/selftests/two_hosts/ migrates between two machines.
. "$APVFIO_TOP/tests/uml/lib.sh"
. "$APVFIO_TOP/tests/selftests/lib.sh"
TMPD=${APVFIO_OUT:-/tmp}/migration.tmp
mkdir -p "$TMPD"

U=a1900000-0000-4000-8000-000000000001
U2=a1900000-0000-4000-8000-000000000002
U3=a1900000-0000-4000-8000-000000000003
LOG=$TMPD/guest.log
CMD=$(mktemp -u /tmp/mig-cmd.XXXXXX)
# Adapter 5, domains 4 and 0x47, control domain 4: two queues.
CONFIG="$(hexmask 5),$(hexmask 4 71),$(hexmask 4)"
# The same without the control domain; and more: domain 0xab, control 0x47.
NOCD="$(hexmask 5),$(hexmask 4 71),0x$ZERO64"
BIG="$(hexmask 5),$(hexmask 4 71 171),$(hexmask 4 71)"
EMPTY="0x$ZERO64,0x$ZERO64,0x$ZERO64"
# The stream of two queues: 136 bytes before the records, 56 each.
LEN=248

# bytes FILE OFFSET COUNT: the bytes there, in hex, one string.
bytes() {
	od -An -v -tx1 -j "$2" -N "$3" "$1" | tr -d ' \n'
}

flow() {
	f=$1
	check_write "$f: the source mdev gets adapter 5, domains 4, 0x47, control domain 4" \
		$MATRIX/$U/ap_config "$CONFIG" OK
	check_eq "$f: the master key of domain 4 on adapter 5" \
		"$(sim set-mk 05.0004 0x5eed)" OK
	check "$f: the guest starts" gc_start $U "$2"
	ctx=$(guest_ctx $U)
	check_eq "$f: the device migrates by stop and copy" \
		"$(gc mig-flags)" "== mig-flags 0x1"
	check_eq "$f: it runs" "$(gc mig-get)" "== mig-state running"
	check_eq "$f: the data it would send: $LEN bytes" "$(gc mig-size)" \
		"== mig-size $LEN"

	# The arcs of the state machine.
	for s in pre_copy pre_copy_p2p running_p2p error 8 99; do
		check_eq "$f: to $s: EINVAL" "$(gc mig-set $s)" \
			"== mig-set $s EINVAL"
	done
	check_eq "$f: still running" "$(gc mig-get)" "== mig-state running"
	check_eq "$f: RUNNING -> STOP" "$(gc mig-set stop)" "== mig-set stop OK"
	check_eq "$f: stopped" "$(gc mig-get)" "== mig-state stop"
	check_eq "$f: STOP -> RUNNING" "$(gc mig-set running)" \
		"== mig-set running OK"
	check_eq "$f: RUNNING -> STOP_COPY (through STOP) gives a data file" \
		"$(gc mig-set stop_copy)" "== mig-set stop_copy OK fd"
	check_eq "$f: the data file reads $LEN bytes" "$(gc mig-read)" \
		"== mig-read $LEN"
	check_eq "$f: STOP_COPY -> STOP" "$(gc mig-set stop)" "== mig-set stop OK"
	check_eq "$f: the data file of an ended STOP_COPY reads nothing: ENODEV" \
		"$(gc mig-read)" "== mig-read ENODEV"
	check_eq "$f: STOP -> RESUMING gives a data file" \
		"$(gc mig-set resuming)" "== mig-set resuming OK fd"
	check_eq "$f: RESUMING -> STOP without a stream: EINVAL" \
		"$(gc mig-set stop)" "== mig-set stop EINVAL"
	check "$f: the log says why" mig_logged "without a whole, accepted stream"
	check_eq "$f: still resuming" "$(gc mig-get)" "== mig-state resuming"
	kill -USR1 $GUEST_PID
	check "$f: VFIO_DEVICE_RESET" wait_for 10 grep -q '^== reset' "$LOG"
	check_eq "$f: a reset ends the migration: running" "$(gc mig-get)" \
		"== mig-state running"
	check_eq "$f: and the file is dead" "$(gc mig-write /dev/null)" \
		"== mig-write ENODEV"

	# The source taken back to RUNNING has everything it had.
	check_eq "$f: the guest stores a secret in 05.0004" \
		"$(gstore $U 05.0004 0x77)" "0x00 0x00"
	check_eq "$f: and enables its interrupts, ISC 3, byte at 0x1000" \
		"$(gc aqic 05.0004 on 3 0x1000)" "== aqic 05.0004 rc=0x00 irq=1"
	check_eq "$f: a request to 05.0047 waits for its reply" \
		"$(grc $U nqap 05.0047 get-secret)" 0x00
	check_eq "$f: the source saves the device" "$(gc mig-save $TMPD/s1)" \
		"== mig-save OK $LEN"
	check_eq "$f: stream header: APVM, version 1, 16, $LEN bytes, no flags" \
		"$(bytes $TMPD/s1 0 16)" 4150564d00010010000000f800000000
	check_eq "$f: MATRIX part: APM adapter 5, AQM 4 and 0x47, ADM 4" \
		"$(bytes $TMPD/s1 16 8) $(bytes $TMPD/s1 24 1) $(bytes $TMPD/s1 56 1) $(bytes $TMPD/s1 64 1) $(bytes $TMPD/s1 88 1)" \
		"0001000000000060 04 08 01 08"
	check_eq "$f: QUEUES part: 2 records of 56 bytes" \
		"$(bytes $TMPD/s1 120 16)" 00020000000000780000000200000038
	check_eq "$f: 05.0004: CEX5C (11), interrupts and key, CCA facilities, ISC 3, byte at 0x1000" \
		"$(bytes $TMPD/s1 136 24)" 05040b03f200000003000000000000000000000000001000
	check "$f: 05.0004: a key pattern" \
		test "$(bytes $TMPD/s1 160 32)" != "$(printf '0%.0s' $(seq 64))"
	check_eq "$f: 05.0047: CEX5, accelerator facilities, nothing else" \
		"$(bytes $TMPD/s1 192 56)" \
		"05470b00ea000000$(printf '0%.0s' $(seq 96))"
	check_eq "$f: STOP_COPY -> RUNNING: the migration failed" \
		"$(gc mig-set running)" "== mig-set running OK"
	check_eq "$f: the guest keeps its interrupts (vfio_ap)" "$(held $U)" \
		"pinned 1 iscs 1"
	check_eq "$f: and the machine agrees" "$(gisa $ctx)" "iscs 1 irq 05.0004"
	check_eq "$f: the reply in 05.0047 is still there" \
		"$(grc $U dqap 05.0047)" 0x00
	check_eq "$f: the secret is still there" "$(gsecret $U 05.0004)" 0x77
	check_eq "$f: a reply interrupts the guest" "$(gc request 05.0004)" \
		"== reply 05.0004 irq nib=1 ipm=0x10 dqap rc=0x00"

	# A migration to another mdev of this host.
	check_eq "$f: the source saves the device again" \
		"$(gc mig-save $TMPD/s2)" "== mig-save OK $LEN"
	gc_stop
	check_eq "$f: the source closed: its queues are zeroized" \
		"$(sim_secret 05.0004)" 0x0
	LOG=$TMPD/guest2.log
	check "$f: the destination guest starts on the second mdev" \
		gc_start $U2 "$2"
	ctx2=$(guest_ctx $U2)
	check_eq "$f: a stream naming what the mdev is not assigned: EPERM" \
		"$(gc mig-load $TMPD/s2)" "== mig-load write EPERM"
	check "$f: the log names what is not assigned" mig_logged \
		"not assigned: adapters 5; usage domains 4,71; control domains 4\$"
	check_eq "$f: the destination mdev is unchanged" \
		"$(cat $MATRIX/$U2/ap_config)" "$EMPTY"
	check_eq "$f: its guest's CRYCB is unchanged" \
		"$(crycb $U2 apm),$(crycb $U2 aqm),$(crycb $U2 adm)" "$EMPTY"
	check_eq "$f: its updates are unchanged" "$(crycb $U2 updates)" 0
	check_eq "$f: the source's queues stay assigned to it" \
		"$(cat $MATRIX/$U/ap_config)" "$CONFIG"
	gc_stop
	check_write "$f: the administrator cannot give them to the destination while the source has them" \
		$MATRIX/$U2/ap_config "$CONFIG" EADDRINUSE
	check_write "$f: the administrator unassigns the source mdev" \
		$MATRIX/$U/ap_config "$EMPTY" OK
	check_write "$f: and assigns the destination all but control domain 4" \
		$MATRIX/$U2/ap_config "$NOCD" OK
	check "$f: the destination guest starts" gc_start $U2 "$2"
	check_eq "$f: the stream names control domain 4: EPERM" \
		"$(gc mig-load $TMPD/s2)" "== mig-load write EPERM"
	check "$f: the log names it" mig_logged \
		"not assigned: control domains 4\$"
	check_eq "$f: the mdev is unchanged" "$(cat $MATRIX/$U2/ap_config)" \
		"$NOCD"
	check_eq "$f: its guest's CRYCB is unchanged" \
		"$(crycb $U2 apm),$(crycb $U2 aqm),$(crycb $U2 adm)" "$NOCD"
	gc_stop
	check_write "$f: the administrator assigns the destination more than the guest had: domain 0xab, control domain 0x47" \
		$MATRIX/$U2/ap_config "$BIG" OK
	check "$f: a destination guest whose RAM is not mapped for DMA" \
		gc_start $U2 "$2"
	check_eq "$f: it unmaps its RAM" "$(gc unmap)" "== unmap OK"
	check_eq "$f: its notification byte is not mapped here: EFAULT" \
		"$(gc mig-load $TMPD/s2)" "== mig-load write EFAULT"
	check "$f: the log says why" mig_logged "05.0004 (notification byte at 0x1000) cannot be enabled here"
	check_eq "$f: the mdev is unchanged" "$(cat $MATRIX/$U2/ap_config)" \
		"$BIG"
	check_eq "$f: nothing is held" "$(held $U2)" "pinned 0 iscs 0"
	gc_stop
	check "$f: a destination guest that enables interrupts first" \
		gc_start $U2 "$2"
	check_eq "$f: it enables 05.00ab's" "$(gc aqic 05.00ab on 2 0x2000)" \
		"== aqic 05.00ab rc=0x00 irq=1"
	check_eq "$f: a device whose guest has interrupts takes no stream: EBUSY" \
		"$(gc mig-load $TMPD/s2)" "== mig-load write EBUSY"
	check "$f: the log says why" mig_logged "enabled interrupts already"
	check_eq "$f: its own interrupts are as before" "$(held $U2)" \
		"pinned 1 iscs 1"
	gc_stop
	check "$f: the destination guest starts again" gc_start $U2 "$2"
	ctx2=$(guest_ctx $U2)
	views=$(guest_views "$LOG")
	check_eq "$f: it loads the stream, in writes of 7 bytes" \
		"$(gc mig-load $TMPD/s2 7)" "== mig-load OK $LEN"
	check_eq "$f: it runs" "$(gc mig-get)" "== mig-state running"
	check "$f: the log says it has more here" mig_logged \
		"the guest's 2 queues are here, and more"
	check_eq "$f: the destination mdev keeps its assignment" \
		"$(cat $MATRIX/$U2/ap_config)" "$BIG"
	check_eq "$f: the guest's CRYCB has its queues and what the mdev has more" \
		"$(crycb $U2 apm) $(crycb $U2 aqm) $(crycb $U2 adm)" \
		"$(echo "$BIG" | tr ',' ' ')"
	check "$f: running, it is told of the change, as of a hot plug" \
		guest_wait_views "$LOG" $((views + 1))
	check_eq "$f: and finds 05.00ab" \
		"$(guest_view "$LOG" | grep -c '^05\.00ab ')" 1
	check_eq "$f: its interrupts are pinned and registered here" \
		"$(held $U2)" "pinned 1 iscs 1"
	check_eq "$f: the machine has its target" "$(gisa $ctx2)" \
		"iscs 1 irq 05.0004"
	check_eq "$f: a reply interrupts the guest through its own byte" \
		"$(gc request 05.0004)" \
		"== reply 05.0004 irq nib=1 ipm=0x10 dqap rc=0x00"

	# A corrupted stream: one APQN changed.
	cp $TMPD/s2 $TMPD/bad
	cp $TMPD/s2.ram $TMPD/bad.ram
	cp $TMPD/s2.os $TMPD/bad.os
	printf '\006' | dd of=$TMPD/bad bs=1 seek=136 conv=notrunc 2>/dev/null
	gcpid=$GUEST_PID
	exec 8>&7
	LOG=$TMPD/guest3.log
	CMD2=$CMD
	CMD=$(mktemp -u /tmp/mig-cmd.XXXXXX)
	gc_start $U3 "$2" >/dev/null || true
	check_eq "$f: a corrupted stream: EINVAL" "$(gc mig-load $TMPD/bad)" \
		"== mig-load write EINVAL"
	check "$f: the log says why" mig_logged "queue outside the configuration"
	check_eq "$f: that mdev is unchanged" "$(cat $MATRIX/$U3/ap_config)" \
		"$EMPTY"
	gc_stop
	# A byte too many, a stream cut short, a header announcing 4 GiB.
	cp $TMPD/s2 $TMPD/bad
	printf '\000' >> $TMPD/bad
	gc_start $U3 "$2" >/dev/null || true
	check_eq "$f: a byte after the stream's end: EINVAL" \
		"$(gc mig-load $TMPD/bad 100000)" "== mig-load write EINVAL"
	check "$f: the log says why" mig_logged "bytes after the end of the stream"
	gc_stop
	head -c $((LEN - 1)) $TMPD/s2 > $TMPD/bad
	gc_start $U3 "$2" >/dev/null || true
	check_eq "$f: a stream cut short is written, but RESUMING cannot end: EINVAL" \
		"$(gc mig-load $TMPD/bad)" "== mig-load STOP EINVAL"
	check_eq "$f: the mdev is unchanged" "$(cat $MATRIX/$U3/ap_config)" \
		"$EMPTY"
	gc_stop
	cp $TMPD/s2 $TMPD/bad
	printf '\377\377\377\377' | dd of=$TMPD/bad bs=1 seek=8 conv=notrunc \
		2>/dev/null
	gc_start $U3 "$2" >/dev/null || true
	check_eq "$f: a header announcing 4 GiB: EINVAL at once" \
		"$(gc mig-load $TMPD/bad)" "== mig-load write EINVAL"
	check "$f: the log says why" mig_logged "impossible stream length"
	gc_stop
	rm -f "$CMD"
	CMD=$CMD2
	exec 7>&8 8>&-
	GUEST_PID=$gcpid
	LOG=$TMPD/guest2.log
	check_eq "$f: the migrated guest goes on" "$(gc request 05.0004)" \
		"== reply 05.0004 irq nib=1 ipm=0x10 dqap rc=0x00"
	gc_stop
	check_eq "$f: closed, nothing held" "$(held $U2)" "pinned 0 iscs 0"
	check_write "$f: unassign the destination mdev" \
		$MATRIX/$U2/ap_config "$EMPTY" OK
	LOG=$TMPD/guest.log
	vfio_check "$f: at the end"
}

ap_load
vfio_load
check_write "give domains 4, 0x47 and 0xab to vfio_ap" $AP/aqmask \
	-4,-0x47,-0xab OK
for u in $U $U2 $U3; do
	check_eq "create mdev $u" "$(mdev_create $u)" OK
done
check_eq "the matrix device lists migratable" \
	"$(tr ' ' '\n' < $MATRIX/features | grep -x migratable)" migratable

flow cdev ""
flow group -g

for u in $U $U2 $U3; do
	"$APWRITE" $MATRIX/$u/remove 1 >/dev/null
done
rm -f "$CMD"
rmmod vfio_ap
rmmod mdev
ap_unload
st_done
