# SPDX-License-Identifier: GPL-2.0
# Helpers for the scripts that run inside the UML test kernel. Sourced.

UML_KMOD=$APVFIO_OBJ
UML_KUNIT_DIR=/sys/kernel/debug/kunit

# uml_insmod NAME [PARAM...]: load one of our modules, or one of the
# test kernel's own (mdev), by name.
uml_insmod() {
	uml_ko=$(find "$UML_KMOD" "$APVFIO_KBUILD/drivers" -name "$1.ko" | head -n 1)
	[ -n "$uml_ko" ] || { echo "uml: module $1 not built" >&2; return 1; }
	shift
	insmod "$uml_ko" "$@"
}

# uml_kunit_module NAME: load a KUnit test module (its suites run at
# load), save each suite's KTAP results, unload it again.
uml_kunit_module() {
	before=$(ls "$UML_KUNIT_DIR" 2>/dev/null)
	uml_insmod "$1" || { echo "$1" >> "$APVFIO_OUT/kunit-load-failed"; return 1; }
	for s in $(ls "$UML_KUNIT_DIR"); do
		echo "$before" | grep -qx "$s" && continue
		cp "$UML_KUNIT_DIR/$s/results" "$APVFIO_OUT/kunit/$s.ktap"
	done
	rmmod "$1"
}

# uml_kmemleak_report: scan for leaks and print what kmemleak found.
uml_kmemleak_report() {
	f=/sys/kernel/debug/kmemleak
	[ -e $f ] || return 0
	echo scan > $f
	sleep 1
	echo scan > $f
	cat $f
}
