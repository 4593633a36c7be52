#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Test mode: with the bus, the simulated facility, the host driver and
# vfio_ap loaded, run every KUnit test module; then run every selftest
# script, each of which loads what it needs; last the health suite, which
# looks at the kernel after all of them. APVFIO_SUITE limits the KUnit
# modules and the scripts to those whose names match it.
#
# APVFIO_KUNIT_DIR and APVFIO_SELFTEST_DIR name other directories of test
# modules and scripts (the harness's mutation test uses them; the modules
# of the project are then not loaded first), APVFIO_KUNIT_ARGS parameters
# for every KUnit module. APVFIO_NO_KUNIT=1 runs no KUnit module but the
# health suite at the end (the s390x selftest run: kunit.py runs the
# suites there, built in).
. "$APVFIO_TOP/tests/uml/lib.sh"

kdir=${APVFIO_KUNIT_DIR:-$UML_KMOD/tests/kunit}
sdir=${APVFIO_SELFTEST_DIR:-$APVFIO_TOP/tests/selftests}
suite=${APVFIO_SUITE:-*}
mkdir -p "$APVFIO_OUT/kunit" "$APVFIO_OUT/selftests"

if [ "${APVFIO_NO_KUNIT:-0}" != 1 ]; then
	if [ -z "${APVFIO_KUNIT_DIR:-}" ]; then
		uml_test_begin "loading the modules"
		uml_insmod ap && uml_insmod ap_sim && uml_insmod ap_host &&
			uml_insmod mdev && uml_insmod vfio_ap || exit 1
		uml_test_end "loading the modules"
	fi
	for ko in $(ls "$kdir"/$suite\_kunit.ko 2>/dev/null); do
		[ "$(basename "$ko")" = ap_health_kunit.ko ] && continue
		# shellcheck disable=SC2086
		uml_kunit_module "$ko" ${APVFIO_KUNIT_ARGS:-}
	done
	if [ -z "${APVFIO_KUNIT_DIR:-}" ]; then
		uml_test_begin "unloading the modules"
		rmmod vfio_ap mdev ap_host ap_sim ap || exit 1
		uml_test_end "unloading the modules"
	fi
fi

for t in $(ls "$sdir"/$suite.sh 2>/dev/null); do
	[ "$(basename "$t")" = lib.sh ] && continue
	uml_selftest "$t"
done

# Last: taint and lockdep after everything else ran.
[ -e "$kdir/ap_health_kunit.ko" ] && uml_kunit_module "$kdir/ap_health_kunit.ko"
exit 0
