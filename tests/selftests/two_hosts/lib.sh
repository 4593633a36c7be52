# SPDX-License-Identifier: GPL-2.0
# Helpers of the two-host migration test (scripts/two-hosts.sh): two UML
# kernels, each with its own simulated machine, run mig_src.sh and
# mig_dst.sh side by side and talk through files in a directory both
# see, $APVFIO_SHARE. Sourced after tests/selftests/lib.sh.

SHARE=$APVFIO_SHARE
# The mdev is the same on both hosts, as QEMU's sysfsdev is.
U=a2900000-0000-4000-8000-000000000001
# What the guest has: adapter 5, domains 4 and 0x47, control domain 4.
CONFIG="$(hexmask 5),$(hexmask 4 71),$(hexmask 4)"
EMPTY="0x$ZERO64,0x$ZERO64,0x$ZERO64"
# The master key both hosts' domain 4 of adapter 5 holds.
MK=0xfeed
# The cases, in the order both hosts take them; "ok" is the migration.
CASES="missing-queue unassigned-adapter unassigned-control-domain older-type
other-mode other-facilities missing-control-domain other-master-key corrupted
ok"

# say NAME [TEXT]: tell the other host NAME, a file that appears whole.
say() {
	printf '%s\n' "${2:-}" > "$SHARE/.$1.tmp" && mv "$SHARE/.$1.tmp" "$SHARE/$1"
}

# heard NAME: the other host said it. The share is listed, not looked up:
# a name looked up before it existed could be remembered as absent.
heard() {
	ls "$SHARE" | grep -qx "$1"
}

# hear NAME: wait for it, two minutes at most; once the other host was
# not heard, it is not waited for again.
hear() {
	[ -z "${HOST_GONE:-}" ] && wait_for 120 heard "$1" && return 0
	HOST_GONE=1
	return 1
}
