#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mdevctl (the host's Debian 12 1.2.0 on UML; on s390x the root's Debian
# s390x 1.4) against vfio_ap: types, a transient device started from a
# JSON file with assign_* attributes (written in order, one write each),
# list, stop, and a start whose attribute fails, which must leave no
# half-configured device behind.
. "$APVFIO_TOP/tests/uml/lib.sh"
. "$APVFIO_TOP/tests/selftests/lib.sh"

U=44444444-4444-4444-4444-444444444444
V=55555555-5555-5555-5555-555555555555
J=/tmp/mdevctl-test.json
JBAD=/tmp/mdevctl-bad.json

if ! command -v mdevctl >/dev/null; then
	st_not_ok "mdevctl is installed"
	st_done
	exit 1
fi

ap_load
vfio_load
"$APWRITE" $AP/aqmask -4,-0x47,-0xab,-0xff >/dev/null

types=$(mdevctl types 2>&1)
check "mdevctl types lists the matrix parent" sh -c \
	"echo '$types' | grep -q '^matrix'"
check "and the vfio_ap-passthrough type" sh -c \
	"echo '$types' | grep -q 'vfio_ap-passthrough'"
check "with its instances" sh -c \
	"echo '$types' | grep -q 'Available instances: 65536'"
check "its device API" sh -c "echo '$types' | grep -q 'Device API: vfio-ap'"
check "its name" sh -c \
	"echo '$types' | grep -q 'Name: VFIO AP Passthrough Device'"

cat > $J <<'EOF'
{
  "mdev_type": "vfio_ap-passthrough",
  "start": "manual",
  "attrs": [
    { "assign_adapter": "5" },
    { "assign_adapter": "0x06" },
    { "assign_domain": "4" },
    { "assign_domain": "0xab" },
    { "assign_control_domain": "0x0004" }
  ]
}
EOF
check "mdevctl start -p matrix --jsonfile" \
	mdevctl start -p matrix -u $U --jsonfile $J
check "the mdev exists" test -d $MATRIX/$U
check_eq "its matrix holds the assignments" "$(cat $MATRIX/$U/matrix)" \
	"05.0004
05.00ab
06.0004
06.00ab"
check_eq "and the control domain" "$(cat $MATRIX/$U/control_domains)" 0004
check "mdevctl list shows it" sh -c \
	"mdevctl list | grep -q '^$U matrix vfio_ap-passthrough'"
check "mdevctl start -p -t without attributes" \
	mdevctl start -p matrix -t vfio_ap-passthrough -u $V
check "mdevctl list shows both" sh -c \
	"test \$(mdevctl list | grep -c 'matrix vfio_ap-passthrough') -eq 2"
check "mdevctl stop" mdevctl stop -u $V
check "the stopped device is gone" test ! -e $MATRIX/$V

cat > $JBAD <<'EOF'
{
  "mdev_type": "vfio_ap-passthrough",
  "start": "manual",
  "attrs": [
    { "assign_adapter": "5" },
    { "assign_domain": "0x47" },
    { "assign_domain": "4" }
  ]
}
EOF
check "a start whose attribute is refused fails" \
	sh -c "! mdevctl start -p matrix -u $V --jsonfile $JBAD 2>/dev/null"
check "and leaves no half-configured device" test ! -e $MATRIX/$V
check "the kernel said why" sh -c \
	"dmesg | grep -q 'mdev $V: queue 05.0004 is already assigned to mdev $U'"
check_eq "the first device is untouched" "$(cat $MATRIX/$U/matrix | wc -l)" 4
check "mdevctl stop the first" mdevctl stop -u $U
check_eq "nothing left" "$(mdevctl list | grep -c vfio_ap)" 0

rm -f $J $JBAD
rmmod vfio_ap
rmmod mdev
ap_unload
st_done
