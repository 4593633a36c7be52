#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# First init of the s390x selftest kernel (scripts/s390-selftests.sh
# copies it into the root it boots, a read-only 9p share of Debian's
# s390x packages). It gives the root what UML's hostfs root has: a
# writable /tmp, the 9p shares named in APVFIO_SHARES (comma separated
# "TAG:PATH:ro" or "TAG:PATH:rw", mounted at the same paths as on the host: the checkout,
# the kernel build with our modules, the tools, the results directory)
# and then runs the same init as on UML, tests/uml/init.sh.

PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH

# init.sh mounts /proc itself: it is unmounted again below. /dev stays:
# init.sh's first redirections to /dev/null come before its own mount.
mount -t proc proc /proc
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
# mdevctl keeps its defined devices there.
mount -t tmpfs tmpfs /etc/mdevctl.d
for share in $(echo "$APVFIO_SHARES" | tr , ' '); do
	tag=${share%%:*}
	path=${share#*:}
	mode=${path##*:}
	path=${path%:*}
	cache=none
	[ "$mode" = ro ] && cache=loose
	mkdir -p "$path" 2>/dev/null
	mount -t 9p -o "trans=virtio,version=9p2000.L,msize=512000,cache=$cache,$mode" \
		"$tag" "$path" || echo "s390x-init: cannot mount $tag on $path" >&2
done
umount /proc
exec "$APVFIO_TOP/tests/uml/init.sh"
