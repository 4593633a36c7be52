#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Test mode: load the AP modules and run every KUnit test module.
. "$APVFIO_TOP/tests/uml/lib.sh"

mkdir -p "$APVFIO_OUT/kunit"
uml_insmod ap || exit 1
for ko in $(ls "$UML_KMOD"/tests/kunit/${APVFIO_SUITE:-*}_kunit.ko); do
	uml_kunit_module "$(basename "$ko" .ko)"
done
rmmod ap
