#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A short concurrent stress run (apstress): four actors, random seeded
# operations of every kind, guests storing secrets in every queue they
# reach; at quiescent points the collateral probe, the invariant checker,
# the machine's isolation violations and its CRYCBs against guest_matrix.
# Meanwhile the host keeps RSA requests in flight through /dev/z90crypt
# (apzcrypt load, replies after 2 ms): each must end with a right result
# or ENODEV (no accelerator queue left for a while), none may be lost,
# ended twice or left hanging, and the machine sees no host request on a
# guest's queue. STRESS_OPS, STRESS_SEED and STRESS_THREADS change the
# run (make stress).
. "$APVFIO_TOP/tests/uml/lib.sh"
. "$APVFIO_TOP/tests/selftests/lib.sh"
# Scratch files go with this run's results: /tmp is the host's, shared
# with any other test run on the machine.
TMPD=${APVFIO_OUT:-/tmp}/stress.tmp
mkdir -p "$TMPD"

# checker_clean DESCRIPTION: the invariant checker prints its result line
# and it counts no violation (no output at all is a failure too).
checker_clean() {
	line=$(tail -n 1 $VDBG/check)
	echo "# checker: ${line:-(no output)}"
	if echo "$line" | grep -Eqx 'checked: [0-9]+, violations: 0'; then
		st_ok "$1"
	else
		st_not_ok "$1"
	fi
}

ap_load
vfio_load
checker_clean "the invariants hold before"
# The host's clients: until apstress is done, rounds of 2 clients of 16
# requests; a round that fails leaves its output.
STOP=$TMPD/host.stop
rm -f "$STOP" "$TMPD"/host.fail.* "$TMPD/host.rounds"
sim delay all 2000
(
	r=0
	while [ ! -e "$STOP" ]; do
		r=$((r + 1))
		APZCRYPT_ALLOW=ENODEV timeout 120 "$APVFIO_TOOLS/apzcrypt" load \
			"$APVFIO_TOP/tests/selftests/data/rsa.vec" 2 16 \
			> "$TMPD/host.out" 2>&1 || cp "$TMPD/host.out" "$TMPD/host.fail.$r"
		echo $r > "$TMPD/host.rounds"
	done
) &
host=$!
# The number of operations is part of the output: the s390x run (TCG)
# makes fewer.
echo "# campaign: stress, ${STRESS_OPS:-4000} operations, ${STRESS_THREADS:-4} threads, seed ${STRESS_SEED:-1}"
out=$("$APVFIO_TOOLS/apstress" -s "${STRESS_SEED:-1}" -n "${STRESS_OPS:-4000}" \
	-t "${STRESS_THREADS:-4}" -c 100 -T "${STRESS_SECONDS:-300}" 2>$TMPD/apstress.err)
rc=$?
touch "$STOP"
wait $host
echo "# $out"
sed 's/^/# /' $TMPD/apstress.err | head -n 40
check_eq "stress run: no violation, no unexpected errno" "$rc" 0
rounds=$(cat "$TMPD/host.rounds" 2>/dev/null)
check "host requests were in flight throughout (${rounds:-0} rounds)" \
	test "${rounds:-0}" -gt 0
check_eq "every host request ended right or ENODEV, none hung" \
	"$(ls "$TMPD" | grep -c '^host.fail')" 0
for f in $(ls "$TMPD" | grep '^host.fail' | head -n 3); do
	sed 's/^/# /' "$TMPD/$f"
done
check "no host request lost or ended twice: the counts add up" msg_settled
echo "# messages: $(tr '\n' ' ' < "$MSGS")"
sim delay all 0
check "every operation ran (${STRESS_OPS:-4000})" sh -c "echo '$out' | grep -q 'ops ${STRESS_OPS:-4000},'"
check_eq "no operation took a queue from another mdev's guest (collateral)" \
	"$(echo "$out" | sed -n 's/^stress: .*, collateral \([0-9]*\), .*/\1/p')" 0
checks=$(echo "$out" | sed -n 's/^stress: .*, checks \([0-9]*\), .*/\1/p')
check "the checker ran during the stress run (checks ${checks:-missing})" \
	test "${checks:-0}" -gt 0
checker_clean "the invariants hold after"
check_eq "no mdev left" "$(ls /sys/bus/mdev/devices | wc -l)" 0
rmmod vfio_ap
rmmod mdev
ap_unload
st_done
