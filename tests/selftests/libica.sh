#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Debian's libica and openssl-ibmca (the s390x root, through the lock)
# as clients of /dev/z90crypt, natively on s390x: icainfo finds RSA ME
# and CRT in hardware (libica reads the cards' type and online files),
# an RSA signature made through the ibmca engine, libica and our
# accelerator equals the one OpenSSL computes alone and verifies without
# the engine, and icastats and the card's request_count count the
# hardware operations. tests/selftests/data/rsa2048.pem is a test key
# made for this (openssl genpkey), of no other use.
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
sim set-mode 06.00ab A

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

icastats -r > /dev/null 2>&1
printf 'apvfio: a message signed through libica and the accelerator\n' > "$TMPD/msg"
openssl dgst -sha256 -binary "$TMPD/msg" > "$TMPD/digest"
before=$(cat $AP/devices/card06/request_count)
OPENSSL_CONF=$TMPD/ibmca.cnf openssl pkeyutl -sign -inkey "$KEY" \
	-in "$TMPD/digest" -pkeyopt digest:sha256 -out "$TMPD/sig.hw" \
	2> "$TMPD/err.hw"
check "openssl pkeyutl with the ibmca engine signs" test -s "$TMPD/sig.hw"
sed 's/^/# /' "$TMPD/err.hw"
openssl pkeyutl -sign -inkey "$KEY" -in "$TMPD/digest" \
	-pkeyopt digest:sha256 -out "$TMPD/sig.sw" 2> /dev/null
check "the signature is OpenSSL's own (PKCS #1 v1.5 is deterministic)" \
	cmp -s "$TMPD/sig.hw" "$TMPD/sig.sw"
check "openssl without the engine verifies it" \
	openssl pkeyutl -verify -inkey "$KEY" -in "$TMPD/digest" \
	-sigfile "$TMPD/sig.hw" -pkeyopt digest:sha256
after=$(cat $AP/devices/card06/request_count)
check "the accelerator computed it (card06 request_count $before -> $after)" \
	test "$after" -gt "$before"
icastats > "$TMPD/icastats" 2>&1
grep -i "rsa" "$TMPD/icastats" | sed 's/^/# icastats: /'
me=$(hwcount "RSA-ME")
crt=$(hwcount "RSA-CRT")
check "icastats counts the hardware operation (RSA-ME $me, RSA-CRT $crt)" \
	test "$((${me:-0} + ${crt:-0}))" -ge 1

ap_unload
st_done
