#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Debian's libica and openssl-ibmca (the s390x root, through the lock)
# as clients of /dev/z90crypt, natively on s390x: icainfo finds RSA ME
# and CRT in hardware (libica reads the cards' type and online files),
# an RSA signature made through the ibmca engine, libica and our
# accelerator equals the one OpenSSL computes alone (its own use of the
# cards off) and verifies without the engine, icastats and the card's
# request_count count the hardware operations one for one; and OpenSSL's
# own offload to the cards (3.2 and later) is a client too.
# tests/selftests/data/rsa2048.pem is a test key made for this (openssl
# genpkey), of no other use.
. "$APVFIO_TOP/tests/uml/lib.sh"
. "$APVFIO_TOP/tests/selftests/lib.sh"
TMPD=${APVFIO_OUT:-/tmp}/libica.tmp
KEY=$APVFIO_TOP/tests/selftests/data/rsa2048.pem
mkdir -p "$TMPD"

if [ "$(uname -m)" != s390x ]; then
	echo "ok 1 libica # SKIP Debian builds libica and openssl-ibmca for s390x only, and qemu-user does not pass their ioctls (tools.rst, \"libica\")"
	echo "1..1"
	exit 0
fi

for tool in icainfo icastats openssl; do
	if ! command -v $tool > /dev/null; then
		st_not_ok "$tool is installed"
		st_done
		exit 1
	fi
done
# Debian's openssl-ibmca 1.4 is an engine, installed where its sample
# configuration (README.Debian) names it; the same configuration makes it
# OpenSSL's default for every algorithm it has.
ENGINE=/usr/lib/s390x-linux-gnu/openssl-1.0.2/engines/libibmca.so
check "the ibmca engine is installed" test -f "$ENGINE"
cat > "$TMPD/ibmca.cnf" <<EOF
openssl_conf = openssl_def
[openssl_def]
engines = engine_section
[engine_section]
ibmca = ibmca_section
[ibmca_section]
dynamic_path = $ENGINE
engine_id = ibmca
init = 1
default_algorithms = ALL
EOF
echo "# $(icainfo -v 2>&1 | head -n 1); $(openssl version)"

# icastats keeps its counters in POSIX shared memory.
[ -d /dev/shm ] || mkdir /dev/shm
grep -q ' /dev/shm ' /proc/mounts || mount -t tmpfs tmpfs /dev/shm

ap_load || exit 1
# Only adapter 6 is an accelerator: every RSA request lands on it.
sim set-mode 06.00ab A > /dev/null

check_eq "card06 is what libica looks for: type CEX5A, online" \
	"$(cat $AP/devices/card06/type) $(cat $AP/devices/card06/online)" \
	"CEX5A 1"
icainfo > "$TMPD/icainfo" 2>&1
sed 's/^/# icainfo: /' "$TMPD/icainfo"
# The columns: function | hardware dynamic (the cards) | hardware static
# (CPACF) | software.
for f in "RSA ME" "RSA CRT"; do
	check_eq "icainfo: $f in hardware (the cards)" \
		"$(awk -F'|' -v f="$f" '$1 ~ "^ *"f" *$" {gsub(/ /, "", $2); print $2}' "$TMPD/icainfo")" \
		yes
done

# hwcount FUNCTION: the hardware count icastats shows for a function.
hwcount() {
	icastats | awk -v f="$1" -F'|' '$1 ~ "^ *"f" *$" {gsub(/ /, "", $2); print $2; exit}'
}

# rq: card06's request_count.
rq() {
	cat $AP/devices/card06/request_count
}

# sign OUT ENV...: sign the digest with the test key (PKCS #1 v1.5,
# SHA-256), openssl run with the environment ENV.
sign() {
	out=$1
	shift
	env "$@" openssl pkeyutl -sign -inkey "$KEY" -in "$TMPD/digest" \
		-pkeyopt digest:sha256 -out "$TMPD/$out" 2> "$TMPD/$out.err"
	sed 's/^/# /' "$TMPD/$out.err"
}

icastats -r > /dev/null 2>&1
printf 'apvfio: a message signed through libica and the accelerator\n' > "$TMPD/msg"
OPENSSL_s390xcap=nocex openssl dgst -sha256 -binary "$TMPD/msg" > "$TMPD/digest"

# The reference: OpenSSL alone, its own use of the cards (bn_s390x) off.
r0=$(rq)
sign sig.sw OPENSSL_s390xcap=nocex
check_eq "OpenSSL with OPENSSL_s390xcap=nocex signs without the cards" \
	"$(($(rq) - r0))" 0

# Through the ibmca engine and libica (OpenSSL's own offload still off).
r0=$(rq)
sign sig.hw OPENSSL_s390xcap=nocex OPENSSL_CONF=$TMPD/ibmca.cnf
r1=$(rq)
check "openssl pkeyutl with the ibmca engine signs" test -s "$TMPD/sig.hw"
# (The s390x root has no diffutils: compare digests.)
check_eq "the signature is OpenSSL's own (PKCS #1 v1.5 is deterministic)" \
	"$(sha256sum < "$TMPD/sig.hw")" "$(sha256sum < "$TMPD/sig.sw")"
check "openssl without the engine verifies it" \
	env OPENSSL_s390xcap=nocex openssl pkeyutl -verify -inkey "$KEY" \
	-in "$TMPD/digest" -sigfile "$TMPD/sig.hw" -pkeyopt digest:sha256
icastats > "$TMPD/icastats" 2>&1
grep "RSA" "$TMPD/icastats" | sed 's/^/# icastats: /'
me=$(hwcount "RSA-ME")
crt=$(hwcount "RSA-CRT")
check "icastats counts hardware RSA (ME $me, CRT $crt)" \
	test "$((${me:-0} + ${crt:-0}))" -ge 1
check_eq "each of them is one request card06 took" \
	"$((r1 - r0))" "$((${me:-0} + ${crt:-0}))"

# OpenSSL 3.2 and later offloads RSA to the cards itself, through
# /dev/z90crypt (ICARSAMODEXPO, ICARSACRT): a third client.
r0=$(rq)
sign sig.cex -u OPENSSL_s390xcap
check "OpenSSL's own offload used the card (card06 requests $r0 -> $(rq))" \
	test "$(rq)" -gt "$r0"
check_eq "and gave the same signature" \
	"$(sha256sum < "$TMPD/sig.cex")" "$(sha256sum < "$TMPD/sig.sw")"

echo "# messages: $(tr '\n' ' ' < "$MSGS")"
ap_unload
st_done
