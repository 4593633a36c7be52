# SPDX-License-Identifier: GPL-2.0
# Helpers of the shell selftests that run inside the UML test kernel.
# Each test prints TAP: "ok N description" / "not ok N description",
# diagnostics as "# ..." lines, and the plan at the end (st_done).

AP=/sys/bus/ap
SIM=/sys/kernel/debug/ap_sim
APWRITE=$APVFIO_TOOLS/apwrite
ZERO64=0000000000000000000000000000000000000000000000000000000000000000
ONES64=ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff

st_n=0
st_failed=0

st_ok() {
	st_n=$((st_n + 1))
	echo "ok $st_n $*"
}

st_not_ok() {
	st_n=$((st_n + 1))
	st_failed=$((st_failed + 1))
	echo "not ok $st_n $*"
}

# check DESCRIPTION COMMAND...: the command succeeds
check() {
	desc=$1
	shift
	if "$@"; then st_ok "$desc"; else st_not_ok "$desc"; fi
}

# check_eq DESCRIPTION GOT WANT
check_eq() {
	if [ "$2" = "$3" ]; then
		st_ok "$1"
	else
		st_not_ok "$1"
		echo "# got:  $(echo "$2" | tr '\n' ' ')"
		echo "# want: $(echo "$3" | tr '\n' ' ')"
	fi
}

# check_write DESCRIPTION FILE TEXT OUTCOME: write TEXT (and a newline)
# to FILE in one write; OUTCOME is OK or the errno's name.
check_write() {
	check_eq "$1" "$("$APWRITE" "$2" "$3")" "$4"
}

# hexmask BITS...: the 0x + 64 hex digit form of a mask with BITS set.
hexmask() {
	awk -v bits="$*" 'BEGIN {
		n = split(bits, b, " ");
		for (i = 0; i < 32; i++) byte[i] = 0;
		for (i = 1; i <= n; i++)
			byte[int(b[i] / 8)] += 2 ^ (7 - b[i] % 8);
		s = "0x";
		for (i = 0; i < 32; i++) s = s sprintf("%02x", byte[i]);
		print s;
	}'
}

# bits_except BITS...: every bit 0..255 but BITS, as a list.
bits_except() {
	awk -v bits="$*" 'BEGIN {
		n = split(bits, b, " ");
		for (i = 1; i <= n; i++) skip[b[i]] = 1;
		for (i = 0; i < 256; i++) if (!(i in skip)) printf "%d ", i;
	}'
}

# driver_of DEVICE: the name of the driver bound to an AP device, or "-".
driver_of() {
	if [ -e "$AP/devices/$1/driver" ]; then
		basename "$(readlink "$AP/devices/$1/driver")"
	else
		echo -
	fi
}

# queues_of DRIVER: the queues bound to DRIVER, space separated.
queues_of() {
	ls "$AP/drivers/$1" 2>/dev/null | grep '^..\.....$' | tr '\n' ' ' |
		sed 's/ $//'
}

# queues: every queue device, space separated.
queues() {
	ls "$AP/devices" | grep '^..\.....$' | tr '\n' ' ' | sed 's/ $//'
}

# sim COMMAND...: run a command of the simulated facility.
sim() {
	"$APWRITE" "$SIM/command" "$*"
}

# ap_load [AP_SIM_PARAM...]: load the bus, the simulator and the host
# driver; ap_unload removes them again. AP_PARAMS holds ap's parameters.
ap_load() {
	uml_insmod ap $AP_PARAMS && uml_insmod ap_sim "$@" &&
		uml_insmod ap_host
}

ap_unload() {
	for m in vfio_ap ap_host ap_sim ap; do
		grep -q "^$m " /proc/modules && rmmod $m
	done
	return 0
}

st_done() {
	echo "1..$st_n"
	[ "$st_failed" -eq 0 ]
}

# --- vfio_ap ---------------------------------------------------------------
MATRIX=/sys/devices/vfio_ap/matrix
MTYPE=$MATRIX/mdev_supported_types/vfio_ap-passthrough
VDBG=/sys/kernel/debug/vfio_ap

vfio_load() {
	uml_insmod mdev && uml_insmod vfio_ap
}

# mdev_create UUID: create an mdev.
mdev_create() {
	"$APWRITE" "$MTYPE/create" "$1"
}

# wait_for SECONDS COMMAND...: retry COMMAND until it succeeds.
wait_for() {
	n=$(($1 * 10))
	shift
	while ! "$@" >/dev/null 2>&1; do
		n=$((n - 1))
		[ $n -gt 0 ] || return 1
		sleep 0.1
	done
}

# guest_start UUID LOG: run a guest of the mdev (apguest) in the
# background, its output in LOG; wait until it shows its first view.
# The pid is in $GUEST_PID.
guest_start() {
	rm -f "$2"
	"$APVFIO_TOOLS/apguest" "$1" > "$2" 2>&1 &
	GUEST_PID=$!
	wait_for 10 grep -q '^== view 0' "$2"
}

# guest_views LOG: how many views the guest printed.
guest_views() {
	grep -c '^== view' "$1"
}

# guest_wait_views LOG N: wait until the guest printed N views.
guest_wait_views() {
	wait_for 10 test "$(guest_views "$1")" -ge "$2"
}

# guest_view LOG: the last view the guest printed, its table only.
guest_view() {
	awk '/^== view/ { n = 0; delete v; next }
	     /^== end/ { last = ""; for (i = 1; i <= n; i++) last = last v[i] "\n"; next }
	     /^== / { next }
	     { v[++n] = $0 }
	     END { printf "%s", last }' "$1"
}

# guest_stop PID: stop a guest (it releases the device) and wait for it.
guest_stop() {
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

# crycb UUID FIELD: a field (apm, aqm, adm, updates, backend) of the
# simulated guest's state.
crycb() {
	awk -v f="$2" '$1 == f { print $2 }' "$VDBG/$1/guest"
}

# sim_secret APQN: the secret a queue of the simulated facility holds.
sim_secret() {
	awk -v q="$1" '$1 == q { sub("secret=", "", $5); print $5 }' \
		"$SIM/queues"
}
