#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Every file the code creates in sysfs and debugfs is documented in
# Documentation/ABI, and every documented file exists: the files of a
# live system (bus, card, queue with each driver, matrix device, mdev,
# simulator, simulated guest) against the What: entries.
. "$APVFIO_TOP/tests/uml/lib.sh"
. "$APVFIO_TOP/tests/selftests/lib.sh"

U=ab1ab1ab-0000-4000-8000-000000000001
G=/tmp/abi-guest.log
ABI=$APVFIO_TOP/Documentation/ABI/testing

ap_load
vfio_load
"$APWRITE" $AP/aqmask -0x47 >/dev/null
mdev_create $U >/dev/null
guest_start $U $G

# The driver core's and mdev core's own files, documented by the kernel.
CORE="uevent power subsystem driver drivers drivers_autoprobe drivers_probe
bind unbind module devices iommu_group vfio-dev mdev_type remove
mdev_supported_types"

# files DIR...: names of the regular files and links directly in DIRs.
files() {
	for d in "$@"; do
		ls -1 "$d"
	done
}

{
	files $AP /sys/devices/ap/card05 /sys/devices/ap/card05/05.0004 \
		/sys/devices/ap/card05/05.0047 $MATRIX $MATRIX/$U $MTYPE \
		$SIM $VDBG $VDBG/$U
} | grep -v '^card\|^..\.....$\|-.*-.*-' | sort -u > /tmp/abi-live.txt
for c in $CORE; do
	sed -i "/^$c\$/d" /tmp/abi-live.txt
done
sed -i '/^name$/d; /^device_api$/d; /^available_instances$/d; /^create$/d' \
	/tmp/abi-live.txt
grep -h '^What:' $ABI/* | awk '{ print $2 }' | sed 's|.*/||' | sort -u \
	> /tmp/abi-doc.txt

missing=$(comm -23 /tmp/abi-live.txt /tmp/abi-doc.txt | tr '\n' ' ')
stale=$(comm -13 /tmp/abi-live.txt /tmp/abi-doc.txt | tr '\n' ' ')
check_eq "every file the code creates is in Documentation/ABI" "$missing" ""
check_eq "every file in Documentation/ABI exists" "$stale" ""
check "the live system has files to compare" \
	test "$(wc -l < /tmp/abi-live.txt)" -gt 40

guest_stop $GUEST_PID
"$APWRITE" $MATRIX/$U/remove 1 >/dev/null
rmmod vfio_ap
rmmod mdev
ap_unload
st_done
