#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Debian's own s390x lszcrypt, chzcrypt (s390-tools) and mdevctl 1.4,
# run by qemu-s390x-static from the tree scripts/s390x-userland.sh
# unpacks (natively on s390x, whose root is that tree), against our
# modules on the specification's LPAR (adapters 4, 5, 6; domains 4, 0x47,
# 0xab, 0xff; adapter 4 an EP11 coprocessor here) and its Example. Each
# command's output and exit status are compared with what the tool prints
# on an upstream kernel in the same configuration: the tables follow
# lszcrypt's documented columns (Documentation/tools.rst lists the rules
# used and the differences from upstream kept on purpose); every value
# comes from the configuration the test sets up, not from reading our
# sysfs.
. "$APVFIO_TOP/tests/uml/lib.sh"
. "$APVFIO_TOP/tests/selftests/lib.sh"
TMPD=${APVFIO_OUT:-/tmp}/debian_tools.tmp
rm -rf "$TMPD"
mkdir -p "$TMPD"

R=${APVFIO_S390X_ROOT%/}
# The programs run natively on s390x, through qemu-s390x-static elsewhere.
RUN= RUNNER=native
if [ "$(uname -m)" != s390x ]; then
	RUNNER=$(command -v qemu-s390x-static)
	RUN="$RUNNER -L $R"
fi
OUT=$TMPD/out
# mdevctl's root: its configuration and callout directories, and /sys.
MENV=$TMPD/mdevctl-root
mkdir -p $MENV/etc/mdevctl.d $MENV/usr/lib/mdevctl/scripts.d/callouts \
	$MENV/usr/lib/mdevctl/scripts.d/notifiers
ln -s /sys $MENV/sys

U1=7a1f5a2e-0001-4c0d-9b3e-5e11c0de0001
U2=7a1f5a2e-0002-4c0d-9b3e-5e11c0de0002
U3=7a1f5a2e-0003-4c0d-9b3e-5e11c0de0003
U4=7a1f5a2e-0004-4c0d-9b3e-5e11c0de0004
HDR="CARD.DOM TYPE  MODE        STATUS     REQUESTS
----------------------------------------------"
VHDR="CARD.DOM TYPE  MODE        STATUS     REQUESTS  PENDING HWTYPE QDEPTH FUNCTIONS  DRIVER
--------------------------------------------------------------------------------------------"

# s390x PROGRAM ARGS...: run one of Debian's s390x programs; what it
# prints (stdout and stderr, trailing blanks removed) goes to $OUT, its
# exit status is returned.
s390x() {
	prog=$1
	shift
	$RUN "$R$prog" "$@" > "$OUT.raw" 2>&1
	rc=$?
	sed 's/ *$//' "$OUT.raw" > "$OUT"
	return $rc
}
lsz() { s390x /usr/sbin/lszcrypt "$@"; }
chz() { s390x /usr/sbin/chzcrypt "$@"; }
mdc() { MDEVCTL_ENV_ROOT=$MENV s390x /usr/bin/mdevctl "$@"; }

# tool_is DESCRIPTION STATUS OUTPUT COMMAND...: COMMAND exits with STATUS
# and prints OUTPUT.
tool_is() {
	desc=$1
	want_rc=$2
	want=$3
	shift 3
	"$@"
	check_eq "$desc: exit status" "$?" "$want_rc"
	check_eq "$desc" "$(cat "$OUT")" "$want"
}

# rows CARD-STATE QUEUE-STATE CARD: the plain lszcrypt rows of CARD (04,
# 05 or 06) and its four queues, each with the given status.
rows() {
	case $3 in
	04) t="CEX8P EP11-Coproc" ;;
	05) t="CEX5C CCA-Coproc " ;;
	06) t="CEX5A Accelerator" ;;
	esac
	for d in "" .0004 .0047 .00ab .00ff; do
		s=$2
		[ -z "$d" ] && s=$1
		case $s in
		deconfig) n=- ;;
		*) n=0 ;;
		esac
		printf '%-8s %s %-10s %8s\n' "$3$d" "$t" "$s" "$n"
	done
}

# host_key APQN VALUE: the security officer loads VALUE as the domain's
# master key (the simulator's stand-in for a TKE).
host_key() {
	sim set-mk "$1" "$2"
}

# mk_cur APQN: the "MK ... CUR" lines lszcrypt -c prints for a queue.
mk_cur() {
	lsz -c "$1" && grep '^MK .* CUR:' "$OUT"
}

# mk_invalid APQN: lszcrypt -c shows three invalid current master keys.
mk_invalid() {
	test "$(mk_cur "$1" | grep -c '^MK [A-Z]* CUR: invalid ')" -eq 3
}

if [ ! -x "$R/usr/sbin/lszcrypt" ] || [ -z "$RUNNER" ]; then
	st_not_ok "Debian's s390x tools are unpacked ($R) and qemu-s390x-static is installed"
	st_done
	exit 1
fi
echo "# $(tr '\n' ';' < "$R/.apvfio-manifest")"

ap_load types=4:CEX8P,5:CEX5C,6:CEX5A
vfio_load

# --- lszcrypt on the LPAR, every queue with the host -----------------------
lsz -v
check_eq "lszcrypt -v: the version of Debian's s390-tools" \
	"$(sed -n 's/^lszcrypt version \([0-9.]*\)-.*/\1/p' "$OUT")" \
	"$(awk '$1 == "s390-tools" { sub(/-.*/, "", $2); print $2 }' "$R/.apvfio-manifest")"
tool_is "lszcrypt" 0 "$HDR
$(rows online online 04)
$(rows online online 05)
$(rows online online 06)" lsz
tool_is "lszcrypt -V" 0 "$VHDR
$(rows online online 04 | sed 's/\(.\{46\}\)/\1        0     14     09 SMC--XN--- cex4/' |
	awk '{ print $0 (NR == 1 ? "card" : "queue") }')
$(rows online online 05 | sed 's/\(.\{46\}\)/\1        0     11     09 SMCD--N--- cex4/' |
	awk '{ print $0 (NR == 1 ? "card" : "queue") }')
$(rows online online 06 | sed 's/\(.\{46\}\)/\1        0     11     09 SMC-A-N--- cex4/' |
	awk '{ print $0 (NR == 1 ? "card" : "queue") }')" lsz -V
tool_is "lszcrypt -b" 0 "features: APSC APXA QACT
ap_domain=0x4
ap_max_domain_id=0xff
ap_interrupts are enabled
config_time=30 (seconds)
poll_thread is disabled
poll_timeout=250000 (nanoseconds)" lsz -b
tool_is "lszcrypt -d" 0 "$(awk 'BEGIN {
	split("4 71 171 255", d, " "); for (i in d) b[d[i]] = 1
	printf "DOMAIN"; for (c = 0; c < 16; c++) printf " %02x", c; print ""
	s = ""; for (i = 0; i < 54; i++) s = s "-"; print s
	for (r = 0; r < 256; r += 16) {
		printf "    %02x", r
		for (c = 0; c < 16; c++) printf "  %s", (r + c in b) ? "B" : "."
		print ""
	}
	print s; print "C: Control domain"; print "U: Usage domain"
	print "B: Both (Control + Usage domain)" }')" lsz -d
tool_is "lszcrypt -s: serial numbers of the coprocessors" 0 \
"CARD.DOM TYPE  MODE        STATUS     SERIALNR
----------------------------------------------
04       CEX8P EP11-Coproc online     93E00000
05       CEX5C CCA-Coproc  online     93C00005" lsz -s
tool_is "lszcrypt -c on a CCA card" 0 "card05 provides capability for:
RSA 4K Clear Key
CCA Secure Key
Long RNG
AP bus max message size limit 12 Kb" lsz -c 5
tool_is "lszcrypt -c on an EP11 card" 0 "card04 provides capability for:
EP11 Secure Key
AP bus max message size limit 12 Kb" lsz -c 4
tool_is "lszcrypt -c on a CCA queue: no master key yet" 0 "queue 05.0004 capabilities:
MK AES CUR: invalid 0x0000000000000000
MK APKA CUR: invalid 0x0000000000000000
MK ASYM CUR: invalid 0x00000000000000000000000000000000" lsz -c 05.0004
tool_is "lszcrypt -c on an EP11 queue: no wrapping key yet" 0 \
	"queue 04.0004 capabilities:
MK WK CUR: invalid -" lsz -c 04.0004
check_eq "EP11 card: serialnr, API_ordinalnr, FW_version, op_modes" \
	"$(cd $AP/devices/card04 && cat serialnr API_ordinalnr FW_version op_modes)" \
	"93E0000000000004
4
7.2
FIPS2021"
check_eq "EP11 queue: op_modes" "$(cat $AP/devices/04.0004/op_modes)" FIPS2021
check "an accelerator has no serialnr and no mkvps" \
	test ! -e $AP/devices/card06/serialnr -a ! -e $AP/devices/06.0004/mkvps
check_eq "a CCA queue's mkvps: AES, APKA, ASYM by NEW, CUR, OLD" \
	"$(cut -d: -f1 $AP/devices/05.0004/mkvps | paste -sd,)" \
	"AES NEW,AES CUR,AES OLD,APKA NEW,APKA CUR,APKA OLD,ASYM NEW,ASYM CUR,ASYM OLD"
check_write "card04 offline (the firmware cannot be asked)" \
	$AP/devices/card04/online 0 OK
check_write "card05 offline" $AP/devices/card05/online 0 OK
check_eq "the firmware attributes then read an empty line" \
	"$(cd $AP/devices/card04 && cat serialnr API_ordinalnr FW_version op_modes |
		paste -sd,),$(cat $AP/devices/card05/serialnr)" ",,,,"
check_eq "a CCA queue's mkvps reads NAME REG: - -" \
	"$(paste -sd, $AP/devices/05.0004/mkvps)" \
	"AES NEW: - -,AES CUR: - -,AES OLD: - -,APKA NEW: - -,APKA CUR: - -,APKA OLD: - -,ASYM NEW: - -,ASYM CUR: - -,ASYM OLD: - -"
check_eq "an EP11 queue's too" "$(paste -sd, $AP/devices/04.0004/mkvps)" \
	"WK CUR: - -,WK NEW: - -"
check_write "card04 online again" $AP/devices/card04/online 1 OK
check_write "card05 online again" $AP/devices/card05/online 1 OK
tool_is "lszcrypt CARD" 0 "$HDR
$(rows online online 05)" lsz 5
tool_is "lszcrypt CARD.DOMAIN" 0 "$HDR
05.0047  CEX5C CCA-Coproc  online            0" lsz 05.0047
tool_is "lszcrypt .DOMAIN" 0 "$HDR
$(rows online online 04 | grep '^04.00ab')
$(rows online online 05 | grep '^05.00ab')
$(rows online online 06 | grep '^06.00ab')" lsz .00ab
tool_is "lszcrypt --cardonly" 0 "$HDR
$(for c in 04 05 06; do rows online online $c | head -n 1; done)" lsz --cardonly
tool_is "lszcrypt --queueonly CARD" 0 "$HDR
$(rows online online 06 | tail -n 4)" lsz --queueonly 6
tool_is "lszcrypt --accelonly" 0 "$HDR
$(rows online online 06)" lsz --accelonly
tool_is "lszcrypt --ccaonly" 0 "$HDR
$(rows online online 05)" lsz --ccaonly
tool_is "lszcrypt --ep11only" 0 "$HDR
$(rows online online 04)" lsz --ep11only
tool_is "lszcrypt on a card that does not exist" 1 \
	"lszcrypt: Error - cryptographic device card07 does not exist.
$HDR" lsz 7

# --- Master key verification patterns follow the domain's keys -------------
check_eq "the security officer loads a CCA master key into 05.0004" \
	"$(host_key 05.0004 0x1234)" OK
k1=$(mk_cur 05.0004)
check "lszcrypt -c shows three valid current master keys" sh -c \
	"test \$(echo '$k1' | grep -c '^MK [A-Z]* CUR: valid 0x[0-9a-f]*\$') -eq 3"
check "with patterns that are not zero" sh -c \
	"! echo '$k1' | grep -q 'valid 0x0*\$'"
check_eq "and then another key" "$(host_key 05.0004 0x5678)" OK
k2=$(mk_cur 05.0004)
check "the patterns change" test "$k1" != "$k2" -a -n "$k2"
check "still three valid keys" sh -c \
	"test \$(echo '$k2' | grep -c 'CUR: valid') -eq 3"
host_key 05.0004 0x1234 >/dev/null
check_eq "the first key again shows the first patterns" "$(mk_cur 05.0004)" "$k1"
check_eq "the queue's user stores something in 05.0004" \
	"$(hinstr nqap 05.0004 set-secret 0x5678 | cut -d' ' -f1) $(hinstr dqap 05.0004 | cut -d' ' -f1)" \
	"rc=0x00 rc=0x00"
check_eq "which leaves the master key" "$(mk_cur 05.0004)" "$k1"
check_eq "a reset and zeroize of the queue (ZAPQ)" \
	"$(hinstr zapq 05.0004 | cut -d' ' -f1)" rc=0x00
check "clears the queue" wait_for 10 secret_is 05.0004 0x0
check_eq "but keeps the domain's master key" "$(mk_cur 05.0004)" "$k1"
check_eq "a zeroize of the domain" "$(sim zeroize-domain 05.0004)" OK
check "clears it: three invalid current master keys" wait_for 10 \
	mk_invalid 05.0004
check_eq "an EP11 wrapping key" "$(host_key 04.0004 0x1234)" OK
tool_is "lszcrypt -c on the EP11 queue shows its pattern" 0 \
	"queue 04.0004 capabilities:
MK WK CUR: valid 0x$(echo "$k1" | sed -n 's/^MK [A-Z]* CUR: valid 0x//p' | tr -d '\n')" \
	lsz -c 04.0004

# --- chzcrypt: online, configuration, bus settings --------------------------
tool_is "chzcrypt -d CARD" 0 "" chz -d 5
tool_is "takes the card and its queues offline" 0 "$HDR
$(rows offline offline 05)" lsz 5
tool_is "chzcrypt -e CARD" 0 "" chz -e card05
tool_is "brings them back" 0 "$HDR
$(rows online online 05)" lsz 5
tool_is "chzcrypt -d QUEUE" 0 "" chz -d 05.0004
check_eq "only that queue goes offline" \
	"$(cat $AP/devices/card05/online $AP/devices/05.0004/online $AP/devices/05.0047/online)" \
	"1
0
1"
tool_is "chzcrypt -e QUEUE QUEUE" 0 "" chz -e 05.0004 0x06.0047
tool_is "chzcrypt -a -d" 0 "" chz -a -d
tool_is "every device is offline" 0 "$HDR
$(rows offline offline 04)
$(rows offline offline 05)
$(rows offline offline 06)" lsz
tool_is "chzcrypt -a -e" 0 "" chz -a -e
tool_is "every device is online" 0 "$HDR
$(rows online online 04)
$(rows online online 05)
$(rows online online 06)" lsz
tool_is "chzcrypt on a card that does not exist" 1 \
	"chzcrypt: Error - cryptographic device card07 does not exist." chz -e 7

tool_is "chzcrypt --config-off CARD" 0 "" chz --config-off 5
tool_is "lszcrypt -V: card 05 and its queues deconfigured" 0 "$VHDR
$(rows deconfig deconfig 05 | sed 's/\(.\{46\}\)/\1        -     11     09 SMCD--N--- cex4/' |
	awk '{ print $0 (NR == 1 ? "card" : "queue") }')" lsz -V 5
check_eq "none of them reads online" \
	"$(cat $AP/devices/card05/online $AP/devices/05.0004/online $AP/devices/05.00ff/online)" \
	"0
0
0"
tool_is "chzcrypt --config-off on a deconfigured card warns" 0 \
	"chzcrypt: Warning - device card05 is already config off." chz --config-off 5
tool_is "chzcrypt -e on a deconfigured card warns and does nothing" 0 \
	"chzcrypt: Warning - device 5 is deconfigured, can't set to online." chz -e 5
check_write "a write of 1 to its online fails" $AP/devices/card05/online 1 ENODEV
check_write "and to its queue's" $AP/devices/05.0004/online 1 ENODEV
check_eq "both still read 0" \
	"$(cat $AP/devices/card05/online $AP/devices/05.0004/online)" "0
0"
tool_is "chzcrypt --config-on CARD" 0 "" chz --config-on 5
tool_is "the card and its queues are online again, without a write" 0 "$HDR
$(rows online online 05)" lsz 5

check_eq "adapter 6 is check-stopped" "$(sim checkstop 6 on)" OK
tool_is "lszcrypt shows it check-stopped" 0 "$HDR
$(rows chkstop chkstop 06)" lsz 6
check_eq "its online reads 0" "$(cat $AP/devices/card06/online)" 0
check_eq "and so does its queue's" "$(cat $AP/devices/06.0004/online)" 0
check_write "a write of 1 to its queue's online fails" \
	$AP/devices/06.0004/online 1 ENODEV
tool_is "chzcrypt -e on its queue fails" 1 \
	"chzcrypt: Error - unable to set cryptographic device card06/06.0004 online." \
	chz -e 06.0004
tool_is "chzcrypt -e on a check-stopped card fails" 1 \
	"chzcrypt: Error - unable to set cryptographic device card06 online." chz -e 6
check_eq "the check-stop ends" "$(sim checkstop 6 off)" OK
tool_is "card 06 is online again" 0 "$HDR
$(rows online online 06)" lsz 6

tool_is "adapter 6 configured off" 0 "" chz --config-off 6
check_eq "and leaves the LPAR" "$(sim remove-adapter 6)" OK
check_eq "it comes back in standby" "$(sim add-adapter 6)" OK
check_eq "card06 is created deconfigured and reads offline" \
	"$(cat $AP/devices/card06/config $AP/devices/card06/online)" "0
0"
tool_is "chzcrypt --config-on the card created in standby" 0 "" chz --config-on 6
tool_is "it comes up online with its queues" 0 "$HDR
$(rows online online 06)" lsz 6

tool_is "chzcrypt -q: a domain in aqmask, not in the configuration" 0 "" chz -q 5
tool_is "lszcrypt -b shows the new default domain" 0 "features: APSC APXA QACT
ap_domain=0x5
ap_max_domain_id=0xff
ap_interrupts are enabled
config_time=30 (seconds)
poll_thread is disabled
poll_timeout=250000 (nanoseconds)" lsz -b
check_eq "a rescan keeps it" "$(echo 1 > $AP/scans; cat $AP/ap_domain)" 5
tool_is "chzcrypt -q 0xff" 0 "" chz -q 0xff
check_eq "SE: domain 0xff leaves the LPAR" "$(sim remove-domain 255)" OK
check_eq "the default domain stays 0xff" "$(cat $AP/ap_domain)" 255
check "lszcrypt -b shows it" sh -c "$RUN $R/usr/sbin/lszcrypt -b |
	grep -qx ap_domain=0xff"
check_eq "SE: domain 0xff comes back" "$(sim add-domain 255)" OK
tool_is "chzcrypt -q above ap_max_domain_id" 1 \
	"chzcrypt: Error - invalid default domain '0x100'." chz -q 0x100
check_write "domain 0x47 leaves aqmask" $AP/aqmask -0x47 OK
tool_is "chzcrypt -q of a domain not in aqmask fails" 1 \
	"chzcrypt: Error - unable to change default domain." chz -q 0x47
check_eq "and changes nothing" "$(cat $AP/ap_domain)" 255
check_write "0x47 back to the host" $AP/aqmask +0x47 OK
tool_is "chzcrypt -q 4" 0 "" chz -q 4
tool_is "chzcrypt -c 60" 0 "" chz -c 60
tool_is "chzcrypt -c below 5 s fails" 1 \
	"chzcrypt: Error - unable to change configuration timer setting." chz -c 2
tool_is "chzcrypt -t 500000" 0 "" chz -t 500000
tool_is "chzcrypt -p starts the poll thread" 0 "" chz -p
check_eq "poll_thread reads 1" "$(cat $AP/poll_thread)" 1
tool_is "chzcrypt -n stops it" 0 "" chz -n
tool_is "lszcrypt -b shows the settings" 0 "features: APSC APXA QACT
ap_domain=0x4
ap_max_domain_id=0xff
ap_interrupts are enabled
config_time=60 (seconds)
poll_thread is disabled
poll_timeout=500000 (nanoseconds)" lsz -b

# --- The Example with mdevctl 1.4 ------------------------------------------
check_write "secure the Example's domains for vfio_ap" $AP/aqmask \
	-4,-0x47,-0xab,-0xff OK
check_eq "the host's key in 05.0004 was zeroized when it left the host" \
	"$(sim_secret 05.0004)" 0x0
tool_is "lszcrypt: the host keeps the cards only" 0 "$HDR
$(for c in 04 05 06; do rows online online $c | head -n 1; done)" lsz
tool_is "lszcrypt -V: every queue unassigned, bound to vfio_ap" 0 "$VHDR
$(rows online unassigned 05 | sed '1s/\(.\{46\}\)/\1        0     11     09 SMCD--N--- cex4card/; 2,$s/\(.\{46\}\)/\1        -     11     09 SMCD--N--- vfio_ap/')" lsz -V 5
tool_is "lszcrypt -c on a vfio_ap queue: no master key lines" 0 \
	"queue 05.0004 capabilities:" lsz -c 05.0004

tool_is "mdevctl types" 0 "matrix
  vfio_ap-passthrough
    Available instances: 65536
    Device API: vfio-ap
    Name: VFIO AP Passthrough Device" mdc types
tool_is "mdevctl define Guest1" 0 "" mdc define -u $U1 -p matrix \
	-t vfio_ap-passthrough
for a in "assign_adapter 5" "assign_adapter 6" "assign_domain 4" \
	 "assign_domain 0xab" "assign_control_domain 4"; do
	tool_is "mdevctl modify --addattr=${a% *} --value=${a#* }" 0 "" \
		mdc modify -u $U1 --addattr="${a% *}" --value="${a#* }"
done
tool_is "mdevctl modify --delattr --index" 0 "" mdc modify -u $U1 --delattr --index=4
tool_is "mdevctl modify --auto" 0 "" mdc modify -u $U1 --auto
cat > $TMPD/guest2.json <<'EOF'
{
  "mdev_type": "vfio_ap-passthrough",
  "start": "manual",
  "attrs": [
    { "assign_adapter": "5" },
    { "assign_domain": "0x47" },
    { "assign_domain": "0xff" }
  ]
}
EOF
tool_is "mdevctl define Guest2 --jsonfile" 0 "" mdc define -u $U2 -p matrix \
	--jsonfile $TMPD/guest2.json
tool_is "mdevctl list -d" 0 "$U1 matrix vfio_ap-passthrough auto
$U2 matrix vfio_ap-passthrough manual" mdc list -d
tool_is "mdevctl list -d --dumpjson" 0 "[
  {
    \"matrix\": [
      {
        \"$U1\": {
          \"mdev_type\": \"vfio_ap-passthrough\",
          \"start\": \"auto\",
          \"attrs\": [
            {
              \"assign_adapter\": \"5\"
            },
            {
              \"assign_adapter\": \"6\"
            },
            {
              \"assign_domain\": \"4\"
            },
            {
              \"assign_domain\": \"0xab\"
            }
          ]
        }
      },
      {
        \"$U2\": {
          \"mdev_type\": \"vfio_ap-passthrough\",
          \"start\": \"manual\",
          \"attrs\": [
            {
              \"assign_adapter\": \"5\"
            },
            {
              \"assign_domain\": \"0x47\"
            },
            {
              \"assign_domain\": \"0xff\"
            }
          ]
        }
      }
    ]
  }
]" mdc list -d --dumpjson
tool_is "mdevctl start Guest1" 0 "" mdc start -u $U1
tool_is "mdevctl start Guest2" 0 "" mdc start -u $U2
check_eq "Guest1's matrix is the Example's" "$(cat $MATRIX/$U1/matrix)" \
	"05.0004
05.00ab
06.0004
06.00ab"
check_eq "Guest2's matrix is the Example's" "$(cat $MATRIX/$U2/matrix)" \
	"05.0047
05.00ff"
# Guest3 as one ap_config write: adapter 6, domains 0x47 and 0xff.
cat > $TMPD/guest3.json <<EOF
{
  "mdev_type": "vfio_ap-passthrough",
  "start": "manual",
  "attrs": [
    { "ap_config": "$(hexmask 6),$(hexmask 71 255),0x0" }
  ]
}
EOF
tool_is "mdevctl start -p --jsonfile Guest3 (ap_config)" 0 "" \
	mdc start -u $U3 -p matrix --jsonfile $TMPD/guest3.json
check_eq "Guest3's matrix is the Example's" "$(cat $MATRIX/$U3/matrix)" \
	"06.0047
06.00ff"
check_eq "and its ap_config" "$(cat $MATRIX/$U3/ap_config)" \
	"$(hexmask 6),$(hexmask 71 255),0x$ZERO64"
tool_is "mdevctl list" 0 "$U1 matrix vfio_ap-passthrough auto (defined)
$U2 matrix vfio_ap-passthrough manual (defined)
$U3 matrix vfio_ap-passthrough manual" mdc list
tool_is "mdevctl list -u --dumpjson of the running Guest3" 0 "{
  \"mdev_type\": \"vfio_ap-passthrough\",
  \"start\": \"manual\",
  \"attrs\": []
}" mdc list -u $U3 --dumpjson
tool_is "lszcrypt -V: the assigned queues" 0 "$VHDR
$(rows online assigned 06 | sed '1s/\(.\{46\}\)/\1        0     11     09 SMC-A-N--- cex4card/; 2,$s/\(.\{46\}\)/\1        -     11     09 SMC-A-N--- vfio_ap/')" lsz -V 6

check "Guest1 runs" guest_start $U1 $TMPD/guest1.log
G1=$GUEST_PID
check_eq "Guest1 sees the Example's table" "$(guest_view $TMPD/guest1.log)" \
	"$SEED_GUEST1"
tool_is "lszcrypt -V: Guest1's queues in use" 0 "$VHDR
05       CEX5C CCA-Coproc  online            0        0     11     09 SMCD--N--- cex4card
05.0004  CEX5C CCA-Coproc  in use            0        -     11     09 SMCD--N--- vfio_ap
05.0047  CEX5C CCA-Coproc  assigned          0        -     11     09 SMCD--N--- vfio_ap
05.00ab  CEX5C CCA-Coproc  in use            0        -     11     09 SMCD--N--- vfio_ap
05.00ff  CEX5C CCA-Coproc  assigned          0        -     11     09 SMCD--N--- vfio_ap" lsz -V 5
check_eq "Guest1 stores its key in 05.0004" "$(gstore $U1 05.0004 0x5151)" \
	"0x00 0x00"

cat > $TMPD/bad.json <<'EOF'
{
  "mdev_type": "vfio_ap-passthrough",
  "start": "manual",
  "attrs": [
    { "assign_adapter": "5" },
    { "assign_domain": "0x47" }
  ]
}
EOF
tool_is "mdevctl define a device that takes Guest2's 05.0047" 0 "" \
	mdc define -u $U4 -p matrix --jsonfile $TMPD/bad.json
mdc start -u $U4
check_eq "mdevctl start fails on the refused attribute" "$?" 1
check "and says which" grep -q \
	"Failed to write 0x47 to attribute assign_domain" "$OUT"
check "no half-configured device is left" test ! -e $MATRIX/$U4
tool_is "mdevctl undefine it" 0 "" mdc undefine -u $U4

guest_stop $G1
tool_is "mdevctl stop Guest1" 0 "" mdc stop -u $U1
tool_is "mdevctl stop Guest3 (transient: gone)" 0 "" mdc stop -u $U3
tool_is "mdevctl list: Guest2 runs" 0 \
	"$U2 matrix vfio_ap-passthrough manual (defined)" mdc list
check_write "domain 4 back to the host" $AP/aqmask +4 OK
tool_is "lszcrypt -c: Guest1's key was zeroized before the host got 05.0004" 0 \
	"queue 05.0004 capabilities:
MK AES CUR: invalid 0x0000000000000000
MK APKA CUR: invalid 0x0000000000000000
MK ASYM CUR: invalid 0x00000000000000000000000000000000" lsz -c 05.0004
tool_is "mdevctl stop Guest2" 0 "" mdc stop -u $U2
tool_is "mdevctl undefine Guest1" 0 "" mdc undefine -u $U1
tool_is "mdevctl undefine Guest2" 0 "" mdc undefine -u $U2
tool_is "mdevctl list -d: nothing defined" 0 "" mdc list -d
check "no mdev is left" test -z "$(ls /sys/bus/mdev/devices)"

rmmod vfio_ap
rmmod mdev
ap_unload
st_done
