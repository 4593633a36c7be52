# SPDX-License-Identifier: GPL-2.0
# Helpers for the scripts that run inside the UML test kernel. Sourced.

UML_KMOD=$APVFIO_OBJ
UML_KUNIT_DIR=/sys/kernel/debug/kunit

# uml_insmod NAME [PARAM...]: load one of our modules, or one of the
# test kernel's own (mdev), by name. Their places are known: the build
# trees are searched only for another module (on s390x they are 9p shares,
# where a search of the kernel's drivers/ takes seconds).
uml_insmod() {
	uml_ko=
	for uml_c in "$UML_KMOD/drivers/$1/$1.ko" "$UML_KMOD/tests/kunit/$1.ko" \
		     "$APVFIO_KBUILD/drivers/vfio/$1/$1.ko"; do
		[ -e "$uml_c" ] && { uml_ko=$uml_c; break; }
	done
	[ -n "$uml_ko" ] ||
		uml_ko=$(find "$UML_KMOD" "$APVFIO_KBUILD/drivers" -name "$1.ko" | head -n 1)
	[ -n "$uml_ko" ] || { echo "uml: module $1 not built" >&2; return 1; }
	shift
	insmod "$uml_ko" "$@"
}

# uml_test_begin NAME: NAME is running; a time-out or a crash names it.
uml_test_begin() {
	echo "$1" > "$APVFIO_OUT/running"
}

# uml_test_end NAME: save the kernel log written since the previous
# test as klog/NNN-NAME.log (read and cleared in one step, so no line
# falls between two tests), for the summary to scan test by test.
uml_test_end() {
	mkdir -p "$APVFIO_OUT/klog"
	uml_n=$(ls "$APVFIO_OUT/klog" | wc -l)
	dmesg -c > "$APVFIO_OUT/klog/$(printf %03d "$uml_n")-$(echo "$1" | tr ' /' '--').log" ||
		echo "teardown: the kernel log could not be read after $1" >> "$APVFIO_OUT/health"
	rm -f "$APVFIO_OUT/running"
}

# uml_kunit_module PATH [PARAM...]: load a KUnit test module (its suites
# run at load), save each suite's KTAP results, unload it again.
uml_kunit_module() {
	uml_name=$(basename "$1" .ko)
	uml_test_begin "kunit $uml_name"
	before=$(ls "$UML_KUNIT_DIR" 2>/dev/null)
	if insmod "$@"; then
		for s in $(ls "$UML_KUNIT_DIR"); do
			echo "$before" | grep -qx "$s" && continue
			cp "$UML_KUNIT_DIR/$s/results" "$APVFIO_OUT/kunit/$s.ktap"
		done
		rmmod "$uml_name" || echo "teardown: $uml_name did not unload" >> "$APVFIO_OUT/health"
	else
		echo "$uml_name" >> "$APVFIO_OUT/kunit-load-failed"
	fi
	uml_test_end "kunit $uml_name"
}

# uml_selftest SCRIPT: run one selftest, its TAP in selftests/NAME.tap and
# its exit status in selftests/NAME.exit; bounded by APVFIO_TEST_TIMEOUT
# seconds (default 900; 124 means it was killed).
uml_selftest() {
	uml_name=$(basename "$1" .sh)
	uml_test_begin "selftest $uml_name"
	uml_rc=0
	timeout -k 10 "${APVFIO_TEST_TIMEOUT:-900}" sh "$1" \
		> "$APVFIO_OUT/selftests/$uml_name.tap" 2>&1 || uml_rc=$?
	echo "$uml_rc" > "$APVFIO_OUT/selftests/$uml_name.exit"
	uml_test_end "selftest $uml_name"
}

# uml_teardown: end the processes left running, unload every module of
# ours still loaded (a module that will not unload is a failure), then
# record the kernel's health: the taint flags and whether lockdep is
# still on; last the kmemleak scan.
uml_teardown() {
	uml_test_begin teardown
	# As a shutdown does: every process left running (a guest the demo
	# left, say) is asked to end, then killed; then the modules go.
	kill -TERM -1 2>/dev/null
	sleep 1
	kill -KILL -1 2>/dev/null
	sleep 0.5
	uml_ours=$(find "$UML_KMOD" -name '*.ko' -exec basename {} .ko \; | tr - _)
	for pass in 1 2 3 4 5; do
		uml_left=
		for m in $(awk '{ print $1 }' /proc/modules); do
			echo "$uml_ours mdev" | tr ' ' '\n' | grep -qx "$m" || continue
			rmmod "$m" 2>/dev/null || uml_left="$uml_left $m"
		done
		[ -z "$uml_left" ] && break
	done
	for m in $uml_left; do
		echo "teardown: module $m did not unload" >> "$APVFIO_OUT/health"
	done
	echo "tainted $(cat /proc/sys/kernel/tainted)" >> "$APVFIO_OUT/health"
	[ -e /proc/lockdep_stats ] &&
		awk '/debug_locks:/ { print "debug_locks " $2 }' /proc/lockdep_stats \
			>> "$APVFIO_OUT/health"
	uml_kmemleak_report > "$APVFIO_OUT/kmemleak.txt"
	uml_test_end teardown
}

# uml_kmemleak_report: scan for leaks and print what kmemleak found.
# kmemleak reports only objects older than five seconds, so the scans
# come after a pause: a leak made by the last test is not missed.
uml_kmemleak_report() {
	f=/sys/kernel/debug/kmemleak
	[ -e $f ] || return 0
	sleep 5
	echo scan > $f
	sleep 1
	echo scan > $f
	cat $f
}
