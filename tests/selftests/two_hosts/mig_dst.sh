#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The destination host of a live migration (see mig_src.sh). Its machine
# starts as the source's: adapter 5 (CEX5C) with domains 4 and 0x47 bound
# to vfio_ap, control domain 4, the same master key in domain 4. Its mdev
# (the same UUID) is assigned what the guest has, as the administrator
# prepares a destination. For each case the host or the mdev's assignment
# is changed so that the guest's configuration does not fit, a new guest
# (apguest, as QEMU started for the incoming migration) loads the
# source's stream (STOP, RESUMING, the stream written, STOP, RUNNING),
# and the write that completes the stream must fail with the case's
# errno, the log must say why, and the mdev and its guest's CRYCB must be
# exactly as before. Then the migration that succeeds, onto a newer
# adapter type (CEX8C), which is allowed: the mdev keeps its assignment,
# the guest's CRYCB has the guest's configuration, its interrupts are
# pinned and registered here and arrive through its own notification
# byte, and what the guest stored on the source is not here.
. "$APVFIO_TOP/tests/uml/lib.sh"
. "$APVFIO_TOP/tests/selftests/lib.sh"
. "$APVFIO_TOP/tests/selftests/two_hosts/lib.sh"
TMPD=${APVFIO_OUT:-/tmp}/mig_dst.tmp
mkdir -p "$TMPD"
LOG=$TMPD/guest.log
CMD=$(mktemp -u /tmp/mig-dst.XXXXXX)
# The mdev's assignment for the cases that take part of it away.
NOADAPTER="0x$ZERO64,$(hexmask 4 71),$(hexmask 4)"
NOCD="$(hexmask 5),$(hexmask 4 71),0x$ZERO64"

# prepare CASE / undo CASE: make this host unfit for the guest, and fit
# again.
prepare() {
	case $1 in
	missing-queue) sim remove-domain 71 ;;
	unassigned-adapter) "$APWRITE" $MATRIX/$U/ap_config "$NOADAPTER" ;;
	unassigned-control-domain) "$APWRITE" $MATRIX/$U/ap_config "$NOCD" ;;
	older-type) sim set-type 5 CEX4C ;;
	other-mode) sim set-mode 05.0004 P ;;
	other-facilities) sim set-facilities 5 0xc0000000 ;;
	missing-control-domain) sim remove-control-domain 4 ;;
	other-master-key) sim set-mk 05.0004 0xbad ;;
	corrupted) echo OK ;;
	ok) sim set-type 5 CEX8C >/dev/null && sim set-mode 05.0047 A ;;
	esac
}

undo() {
	case $1 in
	missing-queue) sim add-domain 71 ;;
	unassigned-*) "$APWRITE" $MATRIX/$U/ap_config "$CONFIG" ;;
	older-type) sim set-type 5 CEX5C >/dev/null &&
		sim set-mode 05.0047 A ;;
	other-mode) sim set-mode 05.0004 C ;;
	other-facilities) sim set-facilities 5 0xe2000000 ;;
	missing-control-domain) sim add-control-domain 4 ;;
	other-master-key) sim set-mk 05.0004 $MK ;;
	*) echo OK ;;
	esac
}

# expect CASE: the answer of the write and what the log says.
expect() {
	case $1 in
	missing-queue) echo "ENODEV|queue 05.0047 is not in this host's configuration" ;;
	unassigned-adapter) echo "EPERM|what this mdev is not assigned: adapters 5\$" ;;
	unassigned-control-domain) echo "EPERM|what this mdev is not assigned: control domains 4\$" ;;
	older-type) echo "EINVAL|queue 05.0004 is of AP type 10 here, older than the guest's 11" ;;
	other-mode) echo "EINVAL|queue 05.0004 is in another mode here" ;;
	other-facilities) echo "EINVAL|queue 05.0004 has other facility bits here (0xd0000000, the guest's 0xf2000000)" ;;
	missing-control-domain) echo "ENODEV|control domain 4 is not in this host's configuration" ;;
	other-master-key) echo "EKEYREJECTED|the master key of domain 05.0004 differs here" ;;
	corrupted) echo "EINVAL|migration refused: queues duplicated or out of order" ;;
	esac
}

# stream CASE: the stream the destination loads; the corrupted one is
# the source's with its second record naming the first record's queue.
stream() {
	[ "$1" = corrupted ] || { echo "$SHARE/stream-$1"; return; }
	for x in "" .ram .os; do
		cp "$SHARE/stream-$1$x" "$TMPD/stream-$1$x"
	done
	printf '\004' | dd of="$TMPD/stream-$1" bs=1 seek=$((136 + 56 + 1)) \
		conv=notrunc 2>/dev/null
	echo "$TMPD/stream-$1"
}

ap_load
vfio_load
check_write "give domains 4 and 0x47 to vfio_ap" $AP/aqmask -4,-0x47 OK
check_eq "create the mdev, as on the source" "$(mdev_create $U)" OK
check_write "assign it what the guest has, as on the source" \
	$MATRIX/$U/ap_config "$CONFIG" OK
check_eq "the security officer loads domain 4's master key, as on the source" \
	"$(sim set-mk 05.0004 $MK)" OK

for c in $CASES; do
	check_eq "$c: prepare this host" "$(prepare $c)" OK
	check "$c: the source saved the device" hear "saved-$c"
	check "$c: the guest starts for the incoming migration" gc_start $U ""
	ctx=$(guest_ctx $U)
	if [ "$c" = ok ]; then
		break
	fi
	e=$(expect $c)
	before="$(cat $MATRIX/$U/ap_config) $(crycb $U apm),$(crycb $U aqm),$(crycb $U adm) $(crycb $U updates)"
	got=$(gc mig-load "$(stream $c)")
	check_eq "$c: the stream is refused with ${e%%|*}" "$got" \
		"== mig-load write ${e%%|*}"
	check "$c: the log says: ${e#*|}" mig_logged "${e#*|}"
	check_eq "$c: the mdev's assignment and its guest's CRYCB are as before" \
		"$(cat $MATRIX/$U/ap_config) $(crycb $U apm),$(crycb $U aqm),$(crycb $U adm) $(crycb $U updates)" \
		"$before"
	check_eq "$c: nothing is pinned nor registered" "$(held $U)" \
		"pinned 0 iscs 0"
	gc_stop
	check_eq "$c: make this host fit again" "$(undo $c)" OK
	say "verdict-$c" "$got"
done

# The migration, onto a CEX8C: a newer type is allowed.
check_eq "ok: the guest loads the stream" "$(gc mig-load $SHARE/stream-ok)" \
	"== mig-load OK 248"
check_eq "ok: it runs" "$(gc mig-get)" "== mig-state running"
check "ok: the log says the queues are here" \
	mig_logged "migration: the guest's 2 queues are here"
check_eq "ok: the mdev's assignment is what the administrator gave it" \
	"$(cat $MATRIX/$U/ap_config)" "$CONFIG"
check_eq "ok: the guest's CRYCB has it" \
	"$(crycb $U apm),$(crycb $U aqm),$(crycb $U adm)" "$CONFIG"
check_eq "ok: the guest sees its queues, on a CEX8C" \
	"$(ginstr $U tapq 05.0004 | sed 's/.*\(type=[0-9]*\).*/\1/')" type=14
check_eq "ok: its interrupts are pinned and registered here" "$(held $U)" \
	"pinned 1 iscs 1"
check_eq "ok: the machine has their target" "$(gisa $ctx)" \
	"iscs 1 irq 05.0004"
check_eq "ok: a reply interrupts the guest through its own byte" \
	"$(gc request 05.0004)" \
	"== reply 05.0004 irq nib=1 ipm=0x10 dqap rc=0x00"
check_eq "ok: what the guest stored on the source is not here" \
	"$(gsecret $U 05.0004)" 0x0
say verdict-ok "migrated"
check "the source released its device" hear src-done
gc_stop
check_eq "the guest stopped: nothing held" "$(held $U)" "pinned 0 iscs 0"
vfio_check "after the migration"

"$APWRITE" $MATRIX/$U/remove 1 >/dev/null
rm -f "$CMD"
rmmod vfio_ap
rmmod mdev
ap_unload
st_done
