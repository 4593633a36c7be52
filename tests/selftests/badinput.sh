#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Bad-input campaign (apbadinput): every writable file gets its corner
# cases and a thousand generated malformed inputs (BADINPUT_PER_FILE); each must fail with
# the documented errno and leave every observable state as it was.
. "$APVFIO_TOP/tests/uml/lib.sh"
. "$APVFIO_TOP/tests/selftests/lib.sh"

U=badbadba-d000-4000-8000-000000000001
G=/tmp/badinput-guest.log
ap_load adapters=4-6 domains=4,5,71 control_domains=4,5,71
vfio_load
"$APWRITE" $AP/aqmask -4,-0x47 >/dev/null
mdev_create $U >/dev/null
"$APWRITE" $MATRIX/$U/ap_config "$(hexmask 5 6),$(hexmask 4 71),$(hexmask 4)" \
	>/dev/null
check "a guest runs on the mdev" guest_start $U $G
echo "# campaign: badinput, ${BADINPUT_PER_FILE:-1000} generated inputs per file, seed ${BADINPUT_SEED:-1}"
out=$("$APVFIO_TOOLS/apbadinput" -s "${BADINPUT_SEED:-1}" \
	-n "${BADINPUT_PER_FILE:-1000}" $U 2>/tmp/apbadinput.err)
rc=$?
echo "# $out"
sed 's/^/# /' /tmp/apbadinput.err | head -n 30
check_eq "every malformed write refused, nothing changed" "$rc" 0
check_eq "the guest saw no change" "$(crycb $U updates)" 0
vfio_check "after the malformed writes"
guest_stop $GUEST_PID
"$APWRITE" $MATRIX/$U/remove 1 >/dev/null
rmmod vfio_ap
rmmod mdev
ap_unload
st_done
