#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# init of the UML test kernel. The host's root file system is our root
# (hostfs), so the checkout and the built modules are visible at the same
# paths as on the host. The runner passes, on the kernel command line
# (the kernel hands unknown key=value pairs to init as environment):
#   APVFIO_TOP   the checkout
#   APVFIO_OBJ   the tree holding the built modules
#   APVFIO_OUT   a directory for results (KTAP, kernel log, ...)
#   APVFIO_MODE  what to run: a script tests/uml/<mode>.sh
#   APVFIO_TOOLS the built user-space tools (tests/selftests/tools)
#   APVFIO_S390X_ROOT  Debian's s390x s390-tools and mdevctl, unpacked
#                (/ on s390x, whose root is that tree)
#   APVFIO_SOURCE  what is tested: commit, clean or dirty, the sources'
#                hash (source_id in scripts/lib.sh); logged first
# On s390x (scripts/s390-selftests.sh), tests/uml/s390x-init.sh runs
# first and mounts the checkout and the other directories at the same
# paths; /tmp is a tmpfs there.
# The mode script runs with the modules' directory in $APVFIO_OBJ; after
# it, every module of ours is unloaded, the kernel's health (taint,
# lockdep) and a kmemleak report are recorded, and the machine is powered
# off, whatever happened. The kernel log is saved test by test (klog/,
# see lib.sh) and, whole, as dmesg.log. /tmp stays the host's: the
# checkout or the cache may live there.

PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /run
mkdir -p /dev/pts /run/lock
mount -t devpts devpts /dev/pts 2>/dev/null
# What systemd's tmpfiles give a real system's /dev (libvirt hands mdevctl
# its JSON as --jsonfile=/dev/stdin).
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
for n in stdin:0 stdout:1 stderr:2; do
	[ -e /dev/${n%:*} ] || ln -s /proc/self/fd/${n#*:} /dev/${n%:*}
done

# OpenSSL 3.2 and later on s390x opens /dev/z90crypt in every process
# that links libcrypto, for its own RSA offload to the cards, and keeps it
# open while the process runs: kmod (rmmod) too, which then finds ap_host
# in use and refuses to unload it. The tests' processes leave the cards
# alone; libica.sh asks for the offload where it tests it.
[ "$(uname -m)" = s390x ] && export OPENSSL_s390xcap=nocex

export APVFIO_TOP APVFIO_OBJ APVFIO_OUT APVFIO_MODE APVFIO_SUITE APVFIO_KBUILD APVFIO_TOOLS \
	APVFIO_S390X_ROOT APVFIO_NO_KUNIT APVFIO_ST_TIMES APVFIO_SOURCE \
	APVFIO_KUNIT_DIR APVFIO_SELFTEST_DIR APVFIO_KUNIT_ARGS APVFIO_HARNESS APVFIO_TEST_TIMEOUT \
	APVFIO_SHARE \
	HOME=/root TERM=${TERM:-dumb}

. "$APVFIO_TOP/tests/uml/lib.sh"

echo "apvfio: testing $APVFIO_SOURCE" > /dev/kmsg
uml_test_end boot
status=0
"$APVFIO_TOP/tests/uml/$APVFIO_MODE.sh" || status=$?
echo "$status" > "$APVFIO_OUT/status"

uml_teardown
cat "$APVFIO_OUT"/klog/*.log > "$APVFIO_OUT/dmesg.log"
sync
echo o > /proc/sysrq-trigger
sleep 10
