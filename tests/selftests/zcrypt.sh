#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The host's message path through /dev/z90crypt: RSA (plain and CRT,
# 512 to 4096 bits) computed by the simulated accelerator and checked
# against Python's pow() (tests/selftests/data/rsa.vec), the documented
# errnos, the status ioctls and the sysfs counters against what the
# machine has, and every way a request in flight ends: its queue reset,
# taken off line, check-stopped, deconfigured, or moved away by a mask
# write. Each of those must end every request exactly once (the bus's
# counters add up and nothing stays queued), the client sees a right
# result or ENODEV, and the machine records no host request on a queue a
# guest holds.
. "$APVFIO_TOP/tests/uml/lib.sh"
. "$APVFIO_TOP/tests/selftests/lib.sh"
ZC=$APVFIO_TOOLS/apzcrypt
VEC=$APVFIO_TOP/tests/selftests/data/rsa.vec
TMPD=${APVFIO_OUT:-/tmp}/zcrypt.tmp
mkdir -p "$TMPD"

ap_load || exit 1

# vectors MODE: every vector's result is right (me, crt or both); the
# tool's lines only as diagnostics, and only on a failure.
vectors() {
	"$ZC" vectors "$VEC" "$1" > "$TMPD/vectors" 2>&1 && return 0
	grep -v '^ok ' "$TMPD/vectors" | sed 's/^/# /'
	return 1
}

# lsz_col DEVICE COLUMN: a column of Debian's lszcrypt -V (natively on
# s390x, through qemu-s390x-static elsewhere) for a card or queue.
R=${APVFIO_S390X_ROOT%/}
RUN=
[ "$(uname -m)" = s390x ] || RUN="$(command -v qemu-s390x-static) -L $R"
lsz_col() {
	$RUN "$R/usr/sbin/lszcrypt" -V "$1" 2>/dev/null | awk -v c="$2" -v d="$1" '
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) n = i }
		n && $1 == d { print $n }'
}

# rq DEV: a device's request_count.
rq() {
	cat "$AP/devices/$1/request_count"
}

check "/dev/z90crypt is a character device" test -c /dev/z90crypt
check_eq "ap_interrupts: the host's replies are signalled" \
	"$(cat $AP/ap_interrupts)" 1

# --- results ----------------------------------------------------------
# Adapter 6 (CEX5A) serves RSA; its queue 06.00ab is a coprocessor: make
# it an accelerator too so that every request lands where it is counted.
sim set-mode 06.00ab A > /dev/null
before=$(rq card06)
out=$("$ZC" vectors "$VEC" both)
n=$(echo "$out" | grep -c '^ok ')
check_eq "every vector's ME, public and CRT result is Python's" \
	"$(echo "$out" | tail -n 1)" "vectors: $n passed, 0 failed"
check_eq "36 operations: 6 keys, 2 messages, 3 operations each" "$n" 36
echo "$out" | grep -v '^ok ' | sed 's/^/# /'
check_eq "card06 counted each request once" "$(($(rq card06) - before))" 36
sum=0
for q in 06.0004 06.0047 06.00ab 06.00ff; do sum=$((sum + $(rq $q))); done
check_eq "card06's count is the sum of its queues'" "$sum" "$(rq card06)"
check_eq "cards 04 and 05 (coprocessors) got none" "$(rq card04) $(rq card05)" \
	"0 0"
check "nothing is left queued or pending" msg_settled
check_eq "lszcrypt -V shows card06's REQUESTS" "$(lsz_col 06 REQUESTS)" \
	"$(rq card06)"
check_eq "and 06.0004's" "$(lsz_col 06.0004 REQUESTS)" "$(rq 06.0004)"

# Four requests in flight for eight seconds each (lszcrypt under TCG is
# slow): the counters, load and lszcrypt's PENDING show them.
sim delay all 8000000
"$ZC" load "$VEC" 4 1 > "$TMPD/load4" 2>&1 &
pid=$!
sleep 1
check_eq "in flight: card06 pendingq_count 4, requestq_count 0, load 4" \
	"$(cat $AP/devices/card06/pendingq_count) $(cat $AP/devices/card06/requestq_count) $(cat $AP/devices/card06/load)" \
	"4 0 4"
check_eq "in flight: lszcrypt -V shows card06 PENDING 4" \
	"$(lsz_col 06 PENDING)" 4
# The status requests count the default domain's queues only: of those,
# 06.DDDD is the one with requests (read before and after, unchanged).
dq=$AP/devices/06.$(printf %04x "$(cat $AP/ap_domain)")/pendingq_count
a=$(cat "$dq")
zst=$("$ZC" status | sed -n 's/^pendingq //p')
check_eq "in flight: Z90STAT_PENDINGQ_COUNT is the default domain's ($a)" \
	"$a $zst" "$(cat "$dq") $a"
check "the four are answered" wait $pid
sim delay all 0
check_eq "the card's load is 0 at rest" "$(cat $AP/devices/card06/load)" 0
check_write "request_count resets on a write" "$AP/devices/card06/request_count" 0 OK
check_eq "with the card's queues" "$(rq card06) $(rq 06.0004) $(rq 06.00ff)" \
	"0 0 0"

# --- errnos -----------------------------------------------------------
for c in "ok 0" "crt-ok 0" "len0 EINVAL" "len-big EINVAL" "len-small EINVAL" \
	"out-short EINVAL" "crt-len-big EINVAL" "fault-in EFAULT" \
	"fault-out EFAULT" "fault-key EFAULT" "fault-arg EFAULT" \
	"crt-fault-key EFAULT" "bad-ioctl ENOTTY" "read EPERM" "write EPERM"; do
	set -- $c
	check_eq "errno $1: $2" "$("$ZC" errno "$1")" "$2"
done

# --- status -----------------------------------------------------------
# The default domain's queue of every card, online, of zcrypt type 11
# (CEX5), as the machine's adapters file has them.
dom=$(cat $AP/ap_domain)
want=""
for a in $(sed -n 's/^\([0-9a-f][0-9a-f]\) type=CEX5.*/\1/p' "$SIM/adapters"); do
	want="$want status $a 11"
done
st=$("$ZC" status)
check_eq "ZCRYPT_STATUS_MASK: the machine's CEX5 cards, online" \
	"$(echo "$st" | grep '^status ' | tr '\n' ' ' | sed 's/ $//')" "${want# }"
check_eq "Z90STAT_DOMAIN_INDEX is ap_domain" \
	"$(echo "$st" | sed -n 's/^domain //p')" "$dom"
check_eq "Z90STAT_TOTALOPEN_COUNT counts the open file" \
	"$(echo "$st" | sed -n 's/^totalopen //p')" 1
echo 0 > "$AP/devices/card04/online"
check_eq "an offline card shows 0x0d" \
	"$("$ZC" status | sed -n 's/^status 04 //p')" 13
echo 1 > "$AP/devices/card04/online"

# --- no queue ---------------------------------------------------------
echo 0 > "$AP/devices/card06/online"
check_eq "card06 off line: no queue serves RSA (ENODEV)" \
	"$("$ZC" errno ok)" ENODEV
echo 1 > "$AP/devices/card06/online"
check_eq "card06 back on line: served" "$("$ZC" errno ok)" 0

# --- the poll thread and polling --------------------------------------
check_write "poll_thread on" "$AP/poll_thread" 1 OK
check_eq "poll_thread reads 1" "$(cat $AP/poll_thread)" 1
check "requests are answered through the poll thread" \
	vectors me
check_write "poll_thread off" "$AP/poll_thread" 0 OK
check_eq "poll_thread reads 0" "$(cat $AP/poll_thread)" 0
for q in 06.0004 06.0047 06.00ab 06.00ff; do hinstr aqic $q off > /dev/null; done
check "interrupts off: replies are polled for" vectors crt
for q in 06.0004 06.0047 06.00ab 06.00ff; do hinstr aqic $q on > /dev/null; done

# --- every way a request in flight ends -------------------------------
# Replies take 200 ms: requests are in flight when the event comes. The
# client must see right results, or ENODEV once no queue is left.
sim delay all 200000

# inflight NAME REASON ALLOW EVENT...: run 4 clients of 8 requests each,
# make EVENT happen while they run; each request ends with a right
# result or an errno in ALLOW (within a minute: a request never ended
# hangs its client), the bus flushed at least one for REASON, and all of
# them ended.
inflight() {
	name=$1 reason=$2 allow=$3
	shift 3
	f0=$(msg_stat flushed "$reason")
	APZCRYPT_ALLOW=$allow timeout 60 "$ZC" load "$VEC" 4 8 \
		> "$TMPD/load" 2>&1 &
	pid=$!
	sleep 0.5
	"$@"
	wait $pid
	rc=$?
	check_eq "$name: every result right or $allow" "$rc" 0
	[ $rc -eq 0 ] || sed 's/^/# /' "$TMPD/load"
	f1=$(msg_stat flushed "$reason")
	check "$name: requests in flight ended ($reason: $((f1 - f0)))" \
		test "$f1" -gt "$f0"
	check "$name: every request ended exactly once" msg_settled
}

inflight "reset of 06.0004" reset ENODEV \
	sh -c "echo 1 > $AP/devices/06.0004/reset"
inflight "06.0047 off line" offline ENODEV \
	sh -c "echo 0 > $AP/devices/06.0047/online"
echo 1 > "$AP/devices/06.0047/online"
inflight "check-stop of adapter 6" checkstop ENODEV sim checkstop 6 on
sim checkstop 6 off
inflight "adapter 6 configured off" deconfig ENODEV sim configure 6 off
sim configure 6 on
inflight "adapter 6 moved to vfio_ap by apmask" unbind ENODEV \
	sh -c "echo -6 > $AP/apmask"
check_eq "06.0004 left the host" "$(driver_of 06.0004)" -
check "no request is left for a queue the host gave up" msg_settled
echo +6 > "$AP/apmask"
check_eq "06.0004 came back" "$(driver_of 06.0004)" cex4queue
sim delay all 0
check "after all that, every result is right again" vectors me

ap_unload
st_done
