#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Test mode: with the bus, the simulated facility, the host driver and
# vfio_ap loaded, run every KUnit test module; then run every selftest script,
# each of which loads what it needs. APVFIO_SUITE limits both to the
# suites and scripts whose names match it.
. "$APVFIO_TOP/tests/uml/lib.sh"

mkdir -p "$APVFIO_OUT/kunit" "$APVFIO_OUT/selftests"
uml_insmod ap && uml_insmod ap_sim && uml_insmod ap_host &&
	uml_insmod mdev && uml_insmod vfio_ap || exit 1
for ko in $(ls "$UML_KMOD"/tests/kunit/${APVFIO_SUITE:-*}_kunit.ko 2>/dev/null); do
	uml_kunit_module "$(basename "$ko" .ko)"
done
rmmod vfio_ap mdev ap_host ap_sim ap || exit 1

for t in $(ls "$APVFIO_TOP"/tests/selftests/${APVFIO_SUITE:-*}.sh 2>/dev/null); do
	name=$(basename "$t" .sh)
	[ "$name" = lib ] && continue
	sh "$t" > "$APVFIO_OUT/selftests/$name.tap" 2>&1 ||
		echo "# $name exited with status $?" >> "$APVFIO_OUT/selftests/$name.tap"
done
exit 0
