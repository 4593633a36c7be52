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
	st_time
}

st_not_ok() {
	st_n=$((st_n + 1))
	st_failed=$((st_failed + 1))
	echo "not ok $st_n $*"
	st_time
}

# st_time: with APVFIO_ST_TIMES=1 on the kernel command line, each result
# is followed by the uptime as a diagnostic, to see where a slow test
# (s390x under TCG) spends its time.
st_time() {
	[ "${APVFIO_ST_TIMES:-0}" = 1 ] || return 0
	read -r st_up st_idle < /proc/uptime
	echo "# at ${st_up}s"
}

# check DESCRIPTION COMMAND...: the command succeeds
check() {
	desc=$1
	shift
	if "$@"; then st_ok "$desc"; else st_not_ok "$desc"; fi
}

# not COMMAND...: the command fails
not() {
	! "$@"
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

# hexmask BITS...: the 0x + 64 hex digit form of a mask with BITS set,
# each in decimal (awks differ on "0xab": mawk reads 171, gawk 0).
hexmask() {
	awk -v bits="$*" 'BEGIN {
		n = split(bits, b, " ");
		for (i = 0; i < 32; i++) byte[i] = 0;
		for (i = 1; i <= n; i++) {
			if (b[i] !~ /^[0-9]+$/ || b[i] > 255) {
				print "hexmask: not a decimal bit: " b[i];
				exit 1;
			}
			byte[int(b[i] / 8)] += 2 ^ (7 - b[i] % 8);
		}
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

# scans_hold: no periodic bus scan for an hour. A scan probes every
# device without a driver again, which undoes a test's manual unbind if
# it falls between the unbind and what the test checks next (seen under
# TCG, where that takes a good part of a second). scans_release restores
# the period.
scans_hold() {
	SCANS_PERIOD=$(cat $AP/config_time)
	"$APWRITE" $AP/config_time 3600 >/dev/null
}

scans_release() {
	"$APWRITE" $AP/config_time "${SCANS_PERIOD:-30}" >/dev/null
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
	st_machine_verdict
	for m in vfio_ap ap_host ap_sim ap; do
		grep -q "^$m " /proc/modules && rmmod $m
	done
	return 0
}

# st_machine_verdict: assert, once per test and before the simulator is
# unloaded (ap_unload, st_done), that the machine recorded no isolation
# violation over the whole test; its record goes with the module.
st_machine_verdict() {
	[ -e "$SIM/violations" ] && [ -z "${st_verdict:-}" ] || return 0
	st_verdict=$(tail -n 1 "$SIM/violations")
	check_eq "the machine saw no isolation violation" "$st_verdict" \
		"violations: 0"
	[ "$st_verdict" = "violations: 0" ] || sed 's/^/# /' "$SIM/violations"
}

st_done() {
	[ -d "$MATRIX" ] && [ -e "$SIM/guests" ] &&
		check "every running guest's CRYCB is its guest_matrix" guests_match
	st_machine_verdict
	echo "1..$st_n"
	[ "$st_failed" -eq 0 ]
}

# The tables lszcrypt shows in the specification's Example guests (the
# seed), as apguest prints them.
SEED_GUEST1="CARD.DOMAIN TYPE  MODE
------------------------------
05          CEX5C CCA-Coproc
05.0004     CEX5C CCA-Coproc
05.00ab     CEX5C CCA-Coproc
06          CEX5A Accelerator
06.0004     CEX5A Accelerator
06.00ab     CEX5C CCA-Coproc"
SEED_GUEST2="CARD.DOMAIN TYPE  MODE
------------------------------
05          CEX5A Accelerator
05.0047     CEX5A Accelerator
05.00ff     CEX5A Accelerator"
SEED_GUEST3="CARD.DOMAIN TYPE  MODE
------------------------------
06          CEX5A Accelerator
06.0047     CEX5A Accelerator
06.00ff     CEX5A Accelerator"

# --- the host's message path ------------------------------------------------
MSGS=/sys/kernel/debug/ap/messages

# msg_stat NAME...: a counter of debugfs ap/messages ("flushed reset", ...).
msg_stat() {
	sed -n "s/^$* \([0-9]*\)$/\1/p" "$MSGS"
}

# msg_balanced: every request accepted ended once: answered, failed, taken
# back or flushed; none is queued or pending.
msg_balanced() {
	awk '/^accepted/ {a = $2} /^(replied|failed|cancelled)/ {e += $2}
	     /^flushed/ {e += $3} /^(requestq|pendingq)/ {o += $2}
	     END {exit !(a == e && o == 0)}' "$MSGS"
}

# msg_settled: wait up to 10 s for msg_balanced.
msg_settled() {
	i=0
	while ! msg_balanced && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	msg_balanced || sed 's/^/# messages: /' "$MSGS"
	msg_balanced
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

# wait_for SECONDS COMMAND...: retry COMMAND until it succeeds. Its
# counter is its own: a caller's loop variable is left alone. The
# arguments are expanded once, by the caller: a "$(...)" among them is
# not read again, so what must be looked at anew goes into a function
# (secret_is, crycb_is, guest_has_views, ...).
wait_for() {
	local wait_for_left
	wait_for_left=$(($1 * 10))
	shift
	while ! "$@" >/dev/null 2>&1; do
		wait_for_left=$((wait_for_left - 1))
		[ $wait_for_left -gt 0 ] || return 1
		sleep 0.1
	done
}

# uevents_start FILE: record the kernel's uevents in FILE, one a line
# ("ACTION DEVPATH KEY=VALUE ...", apuevent), until uevents_stop; returns
# once the listener is bound.
uevents_start() {
	"$APVFIO_TOOLS/apuevent" 120 > "$1" 2>&1 &
	UEVENT_PID=$!
	wait_for 10 grep -qx ready "$1"
}

# uevents_stop: stop the listener; it prints what was sent until then
# (the kernel sends a uevent before the write that causes it returns).
uevents_stop() {
	kill "$UEVENT_PID" 2>/dev/null
	wait "$UEVENT_PID" 2>/dev/null
}

# uevents FILE DEVPATH KEY: the values of KEY in DEVPATH's change
# uevents recorded in FILE, one a line.
uevents() {
	awk -v d="$2" -v k="$3=" '$1 == "change" && $2 == d {
		for (i = 3; i <= NF; i++)
			if (index($i, k) == 1) print substr($i, length(k) + 1)
	}' "$1"
}

# guest_start UUID LOG [OPTION]: run a guest of the mdev (apguest, with
# OPTION if given, e.g. -g for QEMU 7.2's group flow) in the background,
# its output in LOG; wait until it shows its first view. The pid is in
# $GUEST_PID.
guest_start() {
	rm -f "$2"
	"$APVFIO_TOOLS/apguest" ${3:+"$3"} "$1" > "$2" 2>&1 &
	GUEST_PID=$!
	wait_for 10 grep -q '^== view 0' "$2"
}

# guest_views LOG: how many views the guest printed.
guest_views() {
	grep -c '^== view' "$1"
}

# guest_has_views LOG N: the guest printed N views or more.
guest_has_views() {
	test "$(guest_views "$1")" -ge "$2"
}

# guest_wait_views LOG N: wait until the guest printed N views.
guest_wait_views() {
	wait_for 10 guest_has_views "$1" "$2"
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

# guest_ctx UUID: the machine's number of the guest context of an mdev's
# running guest (vfio_ap's debugfs), or nothing.
guest_ctx() {
	awk '$1 == "context" { print $2 }' "$VDBG/$1/guest" 2>/dev/null
}

# crycb UUID FIELD: a field (apm, aqm, adm, updates) of the CRYCB the
# machine holds for the mdev's running guest (ap_sim's guests file).
crycb() {
	awk -v id="$(guest_ctx "$1")" -v f="$2" '
		$1 == "guest" && $2 == id {
			for (i = 3; i < NF; i += 2) if ($i == f) print $(i + 1)
		}' "$SIM/guests"
}

# ginstr UUID INSTRUCTION [APQN [ARGS]]: issue an AP instruction as the
# mdev's running guest does; prints the machine's answer line.
ginstr() {
	"$APVFIO_TOOLS/apguest" -x "$@"
}

# hinstr INSTRUCTION APQN [ARGS]: the host issues an AP instruction (the
# simulated facility's instr file); prints the machine's answer line.
hinstr() {
	(exec 3<>"$SIM/instr" && printf 'host %s' "$*" >&3 && head -n 1 <&3)
}

# grc UUID INSTRUCTION [APQN [ARGS]]: the response code the guest gets.
grc() {
	ginstr "$@" | sed -n 's/^rc=\(0x[0-9a-f]*\).*/\1/p'
}

# gstore UUID APQN VALUE: the guest stores VALUE as the queue's secret
# (NQAP, then DQAP of the reply); prints the two response codes.
gstore() {
	echo "$(grc "$1" nqap "$2" set-secret "$3") $(grc "$1" dqap "$2")"
}

# gsecret UUID APQN: the secret the guest reads from the queue (NQAP,
# then DQAP), or "rc=0x.." if either instruction fails.
gsecret() {
	rc=$(grc "$1" nqap "$2" get-secret)
	[ "$rc" = 0x00 ] || { echo "rc=$rc"; return; }
	ans=$(ginstr "$1" dqap "$2")
	case $ans in
	rc=0x00*) echo "${ans##*secret=}" ;;
	*) echo "${ans%% *}" ;;
	esac
}

# guests_match: every running guest's CRYCB in the machine (ap_sim's
# guests file) holds exactly the queues of its mdev's guest_matrix. The
# two files are read one after the other, and a hot plug that a
# background retry makes may fall in between: a difference must persist
# for 5 seconds to count.
guests_match() {
	wait_for 5 guests_match_once || guests_match_once
}

guests_match_once() {
	for m in "$MATRIX"/*/; do
		[ -e "$m/guest_matrix" ] || continue
		u=$(basename "$m")
		[ -n "$(guest_ctx "$u")" ] || continue
		want=$(cat "$m/guest_matrix")
		got=$(awk -v id="$(guest_ctx "$u")" '
			function ids(m, out,   i, d, b, v, n) {
				n = 0
				for (i = 0; i < 64; i++) {
					v = index("0123456789abcdef", substr(m, 3 + i, 1)) - 1
					for (b = 0; b < 4; b++)
						if (int(v / 2 ^ (3 - b)) % 2) out[++n] = 4 * i + b
				}
				return n
			}
			$1 == "guest" && $2 == id {
				na = ids($4, a); nq = ids($6, q)
				for (i = 1; i <= na; i++)
					for (j = 1; j <= nq; j++)
						printf "%02x.%04x\n", a[i], q[j]
				for (i = 1; i <= na && !nq; i++)
					printf "%02x.\n", a[i]
				for (j = 1; j <= nq && !na; j++)
					printf ".%04x\n", q[j]
			}' "$SIM/guests")
		if [ "$got" != "$want" ]; then
			echo "# mdev $u: the machine's CRYCB has $(echo $got), guest_matrix $(echo $want)"
			return 1
		fi
	done
	return 0
}

# machine_clean: the simulated machine recorded no isolation violation.
machine_clean() {
	[ ! -e "$SIM/violations" ] ||
		[ "$(tail -n 1 "$SIM/violations")" = "violations: 0" ]
}

# vfio_check DESCRIPTION: vfio_ap's invariants hold, the machine's CRYCBs
# are the guest_matrix of their mdevs, and the machine saw no violation.
vfio_check() {
	check_eq "$1: invariants" \
		"$(tail -n 1 $VDBG/check | sed 's/.*violations: //')" 0
	check "$1: the machine's CRYCBs are the guest matrices" guests_match
	check "$1: the machine saw no isolation violation" machine_clean
}

# secret_is APQN VALUE: the simulated queue holds VALUE as its secret.
secret_is() {
	test "$(sim_secret "$1")" = "$2"
}

# crycb_is UUID FIELD VALUE: a field of the CRYCB the machine holds for
# the mdev's running guest (see crycb) is VALUE.
crycb_is() {
	test "$(crycb "$1" "$2")" = "$3"
}

# sim_secret APQN: the secret a queue of the simulated facility holds.
sim_secret() {
	awk -v q="$1" '$1 == q { sub("secret=", "", $5); print $5 }' \
		"$SIM/queues"
}

# --- a guest that takes commands --------------------------------------------
# The caller sets LOG (the guest's output) and CMD (its command pipe, in
# /tmp: the results' share, 9p on s390x, has no named pipes).

# The answers of apguest -c, as opposed to its views.
ANSWERS='^== \(aqic\|reply\|unmap\|open\|error\|rc=\|mig-\)'

# gc_start UUID [OPTION]: a guest that takes commands (apguest -c) on
# file descriptor 7, its output in $LOG.
gc_start() {
	rm -f "$LOG" "$CMD"
	mkfifo "$CMD"
	"$APVFIO_TOOLS/apguest" -c ${2:+"$2"} "$1" < "$CMD" > "$LOG" 2>&1 &
	GUEST_PID=$!
	exec 7> "$CMD"
	wait_for 10 grep -q '^== view 0' "$LOG"
}

# gc_stop: end the guest's commands and stop it.
gc_stop() {
	exec 7>&-
	guest_stop "$GUEST_PID"
}

# answered_beyond N: the guest gave more than N answers.
answered_beyond() {
	test "$(grep -c "$ANSWERS" "$LOG")" -gt "$1"
}

# gc COMMAND: give the guest a command; print its answer line.
gc() {
	before=$(grep -c "$ANSWERS" "$LOG")
	echo "$*" >&7
	wait_for 10 answered_beyond "$before" &&
		grep "$ANSWERS" "$LOG" | tail -n 1
}

# held UUID: "pinned P iscs I" as vfio_ap's irqs file tells.
held() {
	awk '$1 == "pinned" { p = $2 } $1 == "iscs" { i = $2 }
	     END { print "pinned " p " iscs " i }' "$VDBG/$1/irqs"
}

# gisa CTX: the machine's record for context CTX: its ISC registrations
# (sum over the subclasses) and the queues whose interrupts go to it.
gisa() {
	awk -v id="$1" '
		$1 == "guest" { cur = $2; next }
		cur == id && $1 == "gisa" {
			for (i = 5; i <= NF; i++) n += $i
		}
		cur == id && $1 == "irq" { q = q " " $2 }
		END { print "iscs " n + 0 " irq" (q == "" ? " none" : q) }' \
		"$SIM/guests"
}

# mig_logged WHAT: vfio_ap's last log line on a migration names WHAT.
mig_logged() {
	dmesg | grep 'vfio_ap_mdev .*: migration' | tail -n 1 | grep -q "$1"
}
