#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# libvirt as the administrator's client: Debian 12's libvirtd, with only
# its node-device driver, on a socket of this test's own, over
# systemd-udevd (libvirt learns of devices only from udevd's events),
# with mdevctl doing what libvirt asks of mdevs. libvirt parses our
# uevents and sysfs with its own code; what it shows is checked against
# the simulator's configuration and against XML written from libvirt's
# own schema examples, never against our own reading of sysfs.
# UML only: the s390x root holds no libvirt (tools.rst, "libvirt", says
# why); there the test reports itself skipped.
. "$APVFIO_TOP/tests/uml/lib.sh"
. "$APVFIO_TOP/tests/selftests/lib.sh"
TMPD=${APVFIO_OUT:-/tmp}/libvirt.tmp
rm -rf "$TMPD"
mkdir -p "$TMPD"

# The daemon's directory: its socket, pid file and drivers. /run is a
# tmpfs of the test kernel's own.
LV=/run/apvfio-libvirt
URI="nodedev:///system?socket=$LV/libvirt-sock"
U=11b1b1b1-0000-4000-8000-000000000001
UT=11b1b1b1-0000-4000-8000-000000000002
UH=11b1b1b1-0000-4000-8000-000000000003
UX=11b1b1b1-0000-4000-8000-000000000004
LOG=$TMPD/guest.log
CMD=$(mktemp -u /tmp/libvirt-cmd.XXXXXX)

if [ "$(uname -m)" = s390x ]; then
	echo "ok 1 libvirt # SKIP the s390x root holds no libvirt (tools.rst, \"libvirt\")"
	echo "1..1"
	exit 0
fi

for tool in libvirtd virsh mdevctl /lib/systemd/systemd-udevd udevadm; do
	if ! command -v $tool >/dev/null; then
		st_not_ok "$tool is installed"
		st_done
		exit 1
	fi
done

vsh() {
	virsh -q -c "$URI" "$@"
}

# lv_list ARGS...: virsh nodedev-list, sorted, without empty lines.
lv_list() {
	vsh nodedev-list "$@" | grep . | sort
}

# mdev_name UUID: libvirt's name of a vfio_ap mdev.
mdev_name() {
	echo "mdev_$(echo "$1" | tr - _)_matrix"
}

# lv_has NAME ARGS...: nodedev-list ARGS lists NAME; lv_lacks: it does not.
lv_has() {
	name=$1
	shift
	lv_list "$@" | grep -qx "$name"
}

lv_lacks() {
	! lv_has "$@"
}

# lv_none REGEX ARGS...: nodedev-list ARGS lists no name matching REGEX.
lv_none() {
	re=$1
	shift
	! lv_list "$@" | grep -q "$re"
}

# lv_defined UUID: mdevctl holds a persistent definition of the mdev.
lv_defined() {
	test -e /etc/mdevctl.d/matrix/$1
}

# apqns ADAPTERS DOMAINS: the matrix an mdev assigned them shows, one
# APQN a line (the cross product, in order).
apqns() {
	for a in $1; do
		for d in $2; do
			printf '%02x.%04x\n' "$a" "$d"
		done
	done | sort
}

# lv_forget: no definition of this test's mdevs (an earlier run that
# was stopped may have left one).
lv_forget() {
	for u in $U $UT $UH $UX; do
		rm -f /etc/mdevctl.d/matrix/$u
	done
}

lv_stop() {
	trap - EXIT
	[ -s $LV/libvirtd.pid ] && kill "$(cat $LV/libvirtd.pid)" 2>/dev/null
	wait_for 10 not test -e /proc/"$(cat $LV/libvirtd.pid 2>/dev/null)"/exe
	udevadm control --exit 2>/dev/null
	lv_forget
}

lv_forget
trap lv_stop EXIT
ap_load
vfio_load
check_write "give domains 4, 0x47 and 0xab to vfio_ap; 0xff stays the host's" \
	$AP/aqmask -4,-0x47,-0xab OK

# systemd-udevd, without systemd: libvirt's monitor listens to what udevd
# passes on, not to the kernel's own uevents.
check "systemd-udevd starts" /lib/systemd/systemd-udevd --daemon
check "udevd answers" wait_for 10 udevadm control --ping

mkdir -p $LV/drivers
so=$(ls /usr/lib/*/libvirt/connection-driver/libvirt_driver_nodedev.so | head -n 1)
ln -sf "$so" $LV/drivers/
cat > $LV/libvirtd.conf <<EOF
unix_sock_dir = "$LV"
auth_unix_ro = "none"
auth_unix_rw = "none"
log_outputs = "3:file:$TMPD/libvirtd.log"
EOF
check "libvirtd starts with only the node-device driver" \
	env LIBVIRT_DRIVER_DIR=$LV/drivers libvirtd -d -f $LV/libvirtd.conf \
	-p $LV/libvirtd.pid
check "it answers on the test's socket" wait_for 30 vsh nodedev-list
echo "# libvirt: $(libvirtd --version), virsh $(virsh --version), $(mdevctl --version 2>/dev/null | head -n 1)"

# What the machine has: the LPAR's adapters and queues.
want=$(awk '{ print "ap_card" $1 }' $SIM/adapters | sort)
check_eq "nodedev-list --cap ap_card: the simulator's adapters" \
	"$(lv_list --cap ap_card)" "$want"
want=$(awk '{ split($1, q, "."); print "ap_" q[1] "_" q[2] }' $SIM/queues | sort)
check_eq "nodedev-list --cap ap_queue: the simulator's queues" \
	"$(lv_list --cap ap_queue)" "$want"
check_eq "nodedev-list --cap ap_matrix: the one matrix" \
	"$(lv_list --cap ap_matrix)" ap_matrix
check_eq "nodedev-list --cap mdev_types: the matrix" \
	"$(lv_list --cap mdev_types)" ap_matrix

# card_xml APID DRIVER, queue_xml APID APQI DRIVER, matrix_xml INSTANCES:
# the XML libvirt's schema examples give (tests/nodedevschemadata/
# ap_card07.xml, ap_07_0038.xml, ap_matrix_mdev_types.xml), with the
# driver element libvirt adds for a bound device.
card_xml() {
	cat <<EOF
<device>
  <name>ap_card$1</name>
  <path>/sys/devices/ap/card$1</path>
  <parent>computer</parent>
  <driver>
    <name>$2</name>
  </driver>
  <capability type='ap_card'>
    <ap-adapter>0x$1</ap-adapter>
  </capability>
</device>
EOF
}

queue_xml() {
	cat <<EOF
<device>
  <name>ap_$1_$2</name>
  <path>/sys/devices/ap/card$1/$1.$2</path>
  <parent>ap_card$1</parent>
  <driver>
    <name>$3</name>
  </driver>
  <capability type='ap_queue'>
    <ap-adapter>0x$1</ap-adapter>
    <ap-domain>0x$2</ap-domain>
  </capability>
</device>
EOF
}

matrix_xml() {
	cat <<EOF
<device>
  <name>ap_matrix</name>
  <path>/sys/devices/vfio_ap/matrix</path>
  <parent>computer</parent>
  <driver>
    <name>vfio_ap</name>
  </driver>
  <capability type='ap_matrix'>
    <capability type='mdev_types'>
      <type id='vfio_ap-passthrough'>
        <name>VFIO AP Passthrough Device</name>
        <deviceAPI>vfio-ap</deviceAPI>
        <availableInstances>$1</availableInstances>
      </type>
    </capability>
  </capability>
</device>
EOF
}

check_eq "nodedev-dumpxml ap_card05" "$(vsh nodedev-dumpxml ap_card05)" \
	"$(card_xml 05 cex4card)"
check_eq "nodedev-dumpxml ap_card06" "$(vsh nodedev-dumpxml ap_card06)" \
	"$(card_xml 06 cex4card)"
check_eq "nodedev-dumpxml ap_05_00ff: the host's queue" \
	"$(vsh nodedev-dumpxml ap_05_00ff)" "$(queue_xml 05 00ff cex4queue)"
check_eq "nodedev-dumpxml ap_06_00ab: a queue given to vfio_ap" \
	"$(vsh nodedev-dumpxml ap_06_00ab)" "$(queue_xml 06 00ab vfio_ap)"
check_eq "nodedev-dumpxml ap_matrix: the type and its instances" \
	"$(vsh nodedev-dumpxml ap_matrix)" "$(matrix_xml 65536)"

# mdev_xml UUID ATTRS: an mdev as an administrator writes it for
# nodedev-define; ATTRS are NAME=VALUE words, in order.
mdev_xml() {
	echo "<device>"
	echo "  <parent>ap_matrix</parent>"
	echo "  <capability type='mdev'>"
	echo "    <type id='vfio_ap-passthrough'/>"
	echo "    <uuid>$1</uuid>"
	for a in $2; do
		echo "    <attr name='${a%%=*}' value='${a#*=}'/>"
	done
	echo "  </capability>"
	echo "</device>"
}

# Define, start, autostart, destroy, undefine.
N=$(mdev_name $U)
mdev_xml $U "assign_adapter=5 assign_adapter=6 assign_domain=4
	assign_domain=0xab assign_control_domain=0x47" > $TMPD/define.xml
check "nodedev-define of an mdev with adapters, domains, a control domain" \
	vsh nodedev-define $TMPD/define.xml
check "libvirt lists it, inactive" lv_has $N --inactive --cap mdev
check "mdevctl holds its definition" lv_defined $U
check "no mdev exists yet" test ! -e $MATRIX/$U
check "nodedev-start" vsh nodedev-start $N
check "the mdev exists" test -d $MATRIX/$U
check_eq "with exactly that matrix" "$(cat $MATRIX/$U/matrix)" \
	"$(apqns "5 6" "4 171")"
check_eq "and that control domain" "$(cat $MATRIX/$U/control_domains)" 0047
check "libvirt lists it active (the udev add event)" \
	wait_for 20 lv_has $N --cap mdev
check "its XML has the type, the uuid and the attributes in order" sh -c \
	"virsh -q -c '$URI' nodedev-dumpxml $N > $TMPD/dump.xml &&
	 grep -q \"<type id='vfio_ap-passthrough'/>\" $TMPD/dump.xml &&
	 grep -q '<uuid>$U</uuid>' $TMPD/dump.xml &&
	 grep -q '<parent>ap_matrix</parent>' $TMPD/dump.xml &&
	 grep -q '<driver>' $TMPD/dump.xml &&
	 test \"\$(grep '<attr ' $TMPD/dump.xml)\" = \"\$(grep '<attr ' $TMPD/define.xml)\""
grp=$(basename "$(readlink $MATRIX/$U/iommu_group)")
check "its IOMMU group is the mdev's" \
	grep -q "<iommuGroup number='$grp'/>" $TMPD/dump.xml
check_eq "the matrix has one instance less" \
	"$(vsh nodedev-dumpxml ap_matrix | sed -n 's/.*<availableInstances>\(.*\)<.*/\1/p')" \
	65535
check "nodedev-autostart" vsh nodedev-autostart $N
check "mdevctl starts it automatically now" \
	grep -q '"start": "auto"' /etc/mdevctl.d/matrix/$U

# In use by a guest: libvirt refuses while the VFIO group is open, and
# the guest keeps its queues.
check "a guest (apguest, the group flow) uses the mdev" gc_start $U -g
check "nodedev-destroy of the mdev in use is refused" \
	not vsh nodedev-destroy $N 2>$TMPD/err
echo "# $(tr '\n' ' ' < $TMPD/err)"
check "libvirt says the device is in use" grep -q "in use" $TMPD/err
check "the mdev is still there" test -d $MATRIX/$U
check_eq "the guest still has its queues" "$(ginstr $U tapq 05.0004 | cut -c1-7)" \
	"rc=0x00"
gc_stop

check "nodedev-destroy" vsh nodedev-destroy $N
check "the mdev is gone" wait_for 10 test ! -e $MATRIX/$U
check "libvirt lists it inactive again" wait_for 20 lv_has $N --inactive --cap mdev

# Autostart: the matrix comes back (vfio_ap loaded again) and says so
# with the change event mdevctl's udev rule keys on (MDEV_STATE=
# registered); the rule runs "mdevctl start-parent-mdevs matrix". Debian
# 12's rule names /usr/sbin/mdevctl, which its package installs in
# /usr/bin, so the test runs that command itself (tools.rst).
udevadm monitor --udev --property --subsystem-match=matrix \
	> $TMPD/monitor 2>&1 &
mon=$!
sleep 1
check "vfio_ap is unloaded" rmmod vfio_ap
check "and loaded again" uml_insmod vfio_ap
check "udevd passes on the matrix's MDEV_STATE=registered" \
	wait_for 20 grep -qx MDEV_STATE=registered $TMPD/monitor
kill $mon 2>/dev/null
wait $mon 2>/dev/null
check "what mdevctl's rule runs" mdevctl start-parent-mdevs matrix
check "the autostart mdev starts with the matrix" \
	wait_for 30 test -d $MATRIX/$U
check_eq "with its assignment" "$(cat $MATRIX/$U/matrix 2>/dev/null)" \
	"$(apqns "5 6" "4 171")"
check "libvirt lists it active" wait_for 30 lv_has $N --cap mdev
check "nodedev-destroy" vsh nodedev-destroy $N
check "the mdev is gone" wait_for 10 test ! -e $MATRIX/$U
check "nodedev-undefine" vsh nodedev-undefine $N
check "mdevctl forgot it" not lv_defined $U
check "libvirt no longer lists it" wait_for 20 lv_lacks $N --all --cap mdev

# Transient: nodedev-create, nodedev-destroy.
NT=$(mdev_name $UT)
mdev_xml $UT "assign_adapter=4 assign_domain=0x47" > $TMPD/create.xml
check "nodedev-create (transient)" vsh nodedev-create $TMPD/create.xml
check_eq "the mdev has exactly that matrix" "$(cat $MATRIX/$UT/matrix)" \
	"$(apqns 4 71)"
check "libvirt lists it active" lv_has $NT --cap mdev
check "mdevctl holds no definition" not lv_defined $UT
check "nodedev-destroy" vsh nodedev-destroy $NT
check "the mdev is gone" wait_for 10 test ! -e $MATRIX/$UT
check "libvirt forgot it" wait_for 20 lv_lacks $NT --all --cap mdev

# A queue the host keeps: our errno's message, nothing left behind.
NH=$(mdev_name $UH)
mdev_xml $UH "assign_adapter=5 assign_domain=0xff" > $TMPD/host.xml
check "nodedev-create of an mdev that assigns the host's 05.00ff fails" \
	not vsh nodedev-create $TMPD/host.xml 2>$TMPD/err
echo "# $(cat $TMPD/err | tr '\n' ' ')"
check "libvirt passes on our errno's message (EADDRNOTAVAIL)" \
	grep -q "Cannot assign requested address" $TMPD/err
check "no mdev is left" test ! -e $MATRIX/$UH
check "no definition is left" not lv_defined $UH
check "libvirt lists nothing of it" lv_lacks $NH --all --cap mdev
check "nodedev-define of it succeeds (mdevctl only stores it)" \
	vsh nodedev-define $TMPD/host.xml
check "its nodedev-start fails" not vsh nodedev-start $NH 2>$TMPD/err
check "with our errno's message" \
	grep -q "Cannot assign requested address" $TMPD/err
check "no mdev is left" test ! -e $MATRIX/$UH
check "nodedev-undefine" vsh nodedev-undefine $NH
check_eq "the host's 05.00ff still serves the host" \
	"$(basename "$(readlink $AP/devices/05.00ff/driver)")" cex4queue

# Events: libvirt's list follows udev's.
check_eq "an mdev created by hand" "$(mdev_create $UX)" OK
NX=$(mdev_name $UX)
check "libvirt lists it" wait_for 20 lv_has $NX --cap mdev
check_write "removed by hand" $MATRIX/$UX/remove 1 OK
check "libvirt forgets it" wait_for 20 lv_lacks $NX --cap mdev
check_eq "adapter 6 leaves the LPAR" "$(sim remove-adapter 6)" OK
check "libvirt forgets card 6" wait_for 20 lv_lacks ap_card06 --cap ap_card
check "and its queues" wait_for 20 lv_none '^ap_06_' --cap ap_queue
check_eq "adapter 6 comes back" "$(sim add-adapter 6)" OK
check "libvirt lists card 6 again" wait_for 20 lv_has ap_card06 --cap ap_card
check "and its queue 06.0004" wait_for 20 lv_has ap_06_0004 --cap ap_queue
check_eq "card 6 is configured off" "$(sim configure 6 off)" OK
check "libvirt still lists the card (a standby card stays)" \
	lv_has ap_card06 --cap ap_card
check_eq "and on" "$(sim configure 6 on)" OK
check "libvirt still lists it" lv_has ap_card06 --cap ap_card
check_eq "the SE adds domain 0x10 to the LPAR" "$(sim add-domain 16)" OK
for a in 04 05 06; do
	check "libvirt lists the new queue $a.0010" \
		wait_for 20 lv_has ap_${a}_0010 --cap ap_queue
done
check_eq "and removes it" "$(sim remove-domain 16)" OK
check "libvirt forgets the queues of domain 0x10" wait_for 20 lv_none '_0010$' --cap ap_queue
want=$(awk '{ split($1, q, "."); print "ap_" q[1] "_" q[2] }' $SIM/queues | sort)
check_eq "at the end libvirt lists the simulator's queues" \
	"$(lv_list --cap ap_queue)" "$want"

lv_stop
# The log's errors: the test kernel has no DMI table (libvirt says so
# once); the refused destroy; the two refused starts, whose mdev mdevctl
# removed again before libvirt read its add event; while vfio_ap was
# unloaded, "mdevctl list" may have found the matrix gone; nothing else.
grep ' error : ' $TMPD/libvirtd.log > $TMPD/errors
check_eq "libvirtd logged no other error" \
	"$(grep -v -e ' udevGetDMIData:' -e ' virMdevctlCreate:' \
		-e ' virMdevctlStart:' -e " nodeDeviceDestroy:.*'$N': device in use" \
		-e " udevProcessMediatedDevice:.*/$UH/mdev_type" \
		-e ' nodeDeviceUpdateMediatedDevices:.*No such file or directory' \
		$TMPD/errors | sed 's/^[^ ]* [^ ]* //')" ""
check_eq "and logged the two refused starts" \
	"$(grep -c -e ' virMdevctlCreate:' -e ' virMdevctlStart:' $TMPD/errors)" 2
check "and at most one failed list, while vfio_ap was unloaded" test \
	"$(grep -c ' nodeDeviceUpdateMediatedDevices:' $TMPD/errors)" -le 1
check_eq "and the refused destroy" \
	"$(grep -c ' nodeDeviceDestroy:.*device in use' $TMPD/errors)" 1
rm -f "$CMD"
rmmod vfio_ap
rmmod mdev
ap_unload
st_done
