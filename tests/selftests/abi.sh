#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Every file the code creates in sysfs and debugfs is documented in
# Documentation/ABI, and every documented file exists: the files of a
# live system (bus, card, queue with each driver, matrix device, mdev,
# mdev type, simulator, vfio_ap's debugfs) against the What: entries, path
# by path. Concrete names become the placeholders the entries use:
# cardXX for a card, XX.YYYY for a queue, <uuid> for an mdev.
. "$APVFIO_TOP/tests/uml/lib.sh"
. "$APVFIO_TOP/tests/selftests/lib.sh"
# Scratch files go with this run's results: /tmp is the host's, shared
# with any other test run on the machine.
TMPD=${APVFIO_OUT:-/tmp}/abi.tmp
mkdir -p "$TMPD"

U=ab1ab1ab-0000-4000-8000-000000000001
G=$TMPD/abi-guest.log
ABI=$APVFIO_TOP/Documentation/ABI/testing
# The kernel documents the mdev core's files (create, devices/, remove,
# mdev_type, ...) for every parent device, as /sys/.../<device>/...
MDEV_ABI=$APVFIO_KBUILD/source/Documentation/ABI/testing/sysfs-bus-vfio-mdev

# Card 04 an EP11 coprocessor, for its attributes.
ap_load types=4:CEX8P,5:CEX5C,6:CEX5A
vfio_load
"$APWRITE" $AP/aqmask -0x47 >/dev/null
mdev_create $U >/dev/null
guest_start $U $G
check "the machine's CRYCB of the guest is its guest_matrix" guests_match

# The driver core's own files in every bus and device directory, which
# the kernel documents generically (/sys/.../uevent) or not at all.
CORE='uevent|subsystem|driver|drivers_autoprobe|drivers_probe|iommu_group'

# files DIR...: the paths of the regular files and links directly in each
# DIR (a DIR that is a link is followed), not of directories.
files() {
	for d in "$@"; do
		[ -d "$d" ] || echo "$d/(missing)"
		find -H "$d" -mindepth 1 -maxdepth 1 ! -type d -printf "$d/%f\n"
	done
}

# normalise: concrete card, queue and mdev names become placeholders.
normalise() {
	sed -E -e 's#/card[0-9a-f]{2}(/|$)#/cardXX\1#' \
		-e 's#/[0-9a-f]{2}\.[0-9a-f]{4}(/|$)#/XX.YYYY\1#' \
		-e 's#[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}#<uuid>#g'
}

# 05.0004 is bound to the host's cex4queue, 05.0047 to vfio_ap.
files $AP /sys/devices/ap/card05 /sys/bus/ap/devices/card05 \
	/sys/devices/ap/card04 /sys/bus/ap/devices/card04 \
	/sys/devices/ap/card04/04.0004 /sys/bus/ap/devices/04.0004 \
	/sys/devices/ap/card05/05.0004 /sys/bus/ap/devices/05.0004 \
	/sys/devices/ap/card05/05.0047 /sys/bus/ap/devices/05.0047 \
	$MATRIX /sys/bus/matrix/devices/matrix \
	$MATRIX/$U /sys/bus/mdev/devices/$U $MTYPE $MTYPE/devices \
	$SIM $VDBG $VDBG/$U /sys/kernel/debug/ap | grep -Ev "/($CORE)\$" | normalise | sort -u \
	> $TMPD/abi-live.txt
grep -h '^What:' $ABI/* | awk '{ print $2 }' | sort -u > $TMPD/abi-doc.txt

# The kernel's mdev entries for our parent: a directory entry ("devices/")
# stands for what is in it (a link per mdev); the optional "description"
# vfio_ap does not provide; an mdev's files are also under /sys/bus/mdev.
grep '^What:' "$MDEV_ABI" | awk '{ print $2 }' |
	sed -e 's#/devices/$#/devices/<UUID>#' | grep -v '/$' |
	grep -v '/description$' |
	sed -e 's#^/sys/\.\.\./<device>/#/sys/devices/vfio_ap/matrix/#' \
		-e 's#^/sys/\.\.\./mdev_supported_types/#/sys/devices/vfio_ap/matrix/mdev_supported_types/#' \
		-e 's#<type-id>#vfio_ap-passthrough#' -e 's#<UUID>#<uuid>#' |
	sed -n -e 'p' -e 's#^/sys/devices/vfio_ap/matrix/<uuid>/#/sys/bus/mdev/devices/<uuid>/#p' |
	sort -u > $TMPD/abi-mdev.txt
check "the kernel's mdev ABI entries are read" \
	grep -q 'mdev_supported_types/vfio_ap-passthrough/create$' $TMPD/abi-mdev.txt

sort -u $TMPD/abi-doc.txt $TMPD/abi-mdev.txt > $TMPD/abi-all.txt
missing=$(comm -23 $TMPD/abi-live.txt $TMPD/abi-all.txt | tr '\n' ' ')
stale=$(comm -13 $TMPD/abi-live.txt $TMPD/abi-all.txt | tr '\n' ' ')
check_eq "every file the code creates is in Documentation/ABI" "$missing" ""
check_eq "every file in Documentation/ABI exists" "$stale" ""
check "the live system has files to compare" \
	test "$(wc -l < $TMPD/abi-live.txt)" -gt 100
check "the mdev type links the mdev" grep -qx \
	'/sys/devices/vfio_ap/matrix/mdev_supported_types/vfio_ap-passthrough/devices/<uuid>' \
	$TMPD/abi-live.txt

guest_stop $GUEST_PID
"$APWRITE" $MATRIX/$U/remove 1 >/dev/null
rmmod vfio_ap
rmmod mdev
ap_unload
st_done
