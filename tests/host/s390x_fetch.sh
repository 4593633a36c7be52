#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# s390x_fetch.sh: the fetch of the s390x user space
# (scripts/s390x-userland.sh, scripts/debfetch.py) against a small Debian
# archive served on 127.0.0.1 by python3 -m http.server, with no other
# network: packages built here with dpkg-deb --build, indexes for the
# suites stable, stable-updates and stable-security (unsigned, the
# private sources say trusted=yes), a lock of this test's own, and a
# cache of its own. What the archive does wrong:
#   alpha    the locked (newest) version answers 404; the index has an
#            older one: the fallback is taken and noted;
#   beta     the locked file on the server is not the locked file (its
#            SHA-256 differs): refused, never unpacked; an older version
#            of the index is taken;
#   gamma    locked in the main archive, gone from it; only the second
#            suite (stable-security) lists a version: taken from there;
#   delta    as locked;
#   eta      as locked, though no index lists it (taken from its pool
#            path);
#   epsilon  (a second lock) gone, listed nowhere: a clear error naming
#            it, every path tried with its answer, what to do; no tree;
#   zeta     (a third lock) the server never answers: "timeout".
# Then: an unchanged lock is not fetched again (the server is down), a
# changed one rebuilds the tree; `--lock` writes a lock from the archive
# (eta from the previous lock, theta pinned to a version only the pool
# has).
# Prints TAP lines and "fetch: N passed, M failed".
set -uo pipefail
. "$(dirname "$0")/../../scripts/lib.sh"

pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok $((pass + fail)) $*"; }
not_ok() { fail=$((fail + 1)); echo "not ok $((pass + fail)) $*"; }
check() { # NAME CONDITION (a string, evaluated)
	if eval "$2"; then ok "$1"; else not_ok "$1"; fi
}

t=$(mktemp -d)
server=
silent=
cleanup() {
	[ -n "$server" ] && kill "$server" 2>/dev/null
	[ -n "$silent" ] && kill "$silent" 2>/dev/null
	rm -rf "$t"
}
trap cleanup EXIT
arc=$t/www

# mkdeb ARCHIVE POOLDIR NAME VERSION [CONTENT]: a package whose one file,
# usr/share/apvfio-fetch/NAME, says CONTENT (default "NAME VERSION").
mkdeb() {
	local d=$t/build/$3-$4 dir=$arc/$1/$2
	mkdir -p "$d/DEBIAN" "$d/usr/share/apvfio-fetch" "$dir"
	printf 'Package: %s\nVersion: %s\nArchitecture: s390x\nMaintainer: t <t@t>\nDescription: fetch test\n' \
		"$3" "$4" > "$d/DEBIAN/control"
	echo "${5:-$3 $4}" > "$d/usr/share/apvfio-fetch/$3"
	dpkg-deb -Zgzip --root-owner-group --build "$d" \
		"$dir/${3}_${4}_s390x.deb" >/dev/null
	echo "$2/${3}_${4}_s390x.deb"
}

# index ARCHIVE SUITE PATH...: the suite's Packages and Release.
index() {
	local a=$arc/$1 s=$2 p rel
	shift 2
	rel=$a/dists/$s/main/binary-s390x
	mkdir -p "$rel"
	: > "$rel/Packages"
	for p in "$@"; do
		dpkg-deb --field "$a/$p" Package Version Architecture Maintainer Description
		echo "Filename: $p"
		echo "Size: $(stat -c %s "$a/$p")"
		echo "SHA256: $(sha256sum "$a/$p" | cut -d' ' -f1)"
		echo
	done >> "$rel/Packages"
	{
		printf 'Suite: %s\nCodename: %s\nArchitectures: s390x\nComponents: main\n' "$s" "$s"
		echo "Date: $(date -Ru)"
		echo "SHA256:"
		echo " $(sha256sum "$rel/Packages" | cut -d' ' -f1) $(stat -c %s "$rel/Packages") main/binary-s390x/Packages"
	} > "$a/dists/$s/Release"
}

lockline() { # ARCHIVE PATH: the lock's line of a file
	local f=$arc/$1/$2 fields
	fields=$(dpkg-deb --show --showformat='${Package} ${Version} ${Architecture}' "$f")
	echo "$fields $1 $2 $(sha256sum "$f" | cut -d' ' -f1) index"
}

a2=$(mkdeb debian pool/main/a/alpha alpha 2)
a1=$(mkdeb debian pool/main/a/alpha alpha 1)
b1=$(mkdeb debian pool/main/b/beta beta 1)
b09=$(mkdeb debian pool/main/b/beta beta 0.9)
g1=$(mkdeb debian pool/main/g/gamma gamma 1)
g11=$(mkdeb debian-security pool/updates/main/g/gamma gamma 1.1)
d1=$(mkdeb debian pool/main/d/delta delta 1)
e1=$(mkdeb debian pool/main/e/epsilon epsilon 1)
z1=$(mkdeb debian pool/main/z/zeta zeta 1)
h1=$(mkdeb debian pool/main/e/eta eta 1)
th2=$(mkdeb debian pool/main/t/theta theta 2)
th1=$(mkdeb debian pool/main/t/theta theta 1)
lock=$t/test.lock
{
	echo "# a test lock"
	lockline debian "$a2"
	lockline debian "$b1"
	lockline debian "$g1"
	lockline debian "$d1"
	lockline debian "$h1"
} > "$lock"
lockline debian "$e1" > "$t/epsilon.lock"
lockline debian "$z1" > "$t/zeta.lock"
index debian stable "$a2" "$a1" "$b1" "$b09" "$d1" "$th2"
index debian stable-updates
index debian-security stable-security "$g11"
# What goes wrong on the server: alpha 2 and gamma 1 are gone, beta 1 is
# another file than the lock's (built anew with other content), and so
# are epsilon and zeta.
rm "$arc/debian/$a2" "$arc/debian/$g1" "$arc/debian/$e1"
mkdeb debian pool/main/b/beta beta 1 "beta 1 TAMPERED" >/dev/null
# The index of beta 1 is the lock's (made before): the tampered file
# matches neither.

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
start_server() {
	python3 -m http.server --bind 127.0.0.1 --directory "$arc" "$port" \
		>"$t/server.log" 2>&1 &
	server=$!
	local n=50
	until python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$port/', timeout=1)" 2>/dev/null; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || { echo "Bail out! the test archive's server did not start"; exit 1; }
		sleep 0.1
	done
}
start_server

export APVFIO_CACHE=$t/cache
export APVFIO_DEBIAN_MIRROR=http://127.0.0.1:$port/debian
export APVFIO_DEBIAN_SECURITY_MIRROR=http://127.0.0.1:$port/debian-security
export APVFIO_DEBIAN_SOURCE_OPTIONS=trusted=yes
export APVFIO_FETCH_TIMEOUT=3 APVFIO_FETCH_RETRIES=1
userland() { # LOCK: run the script, its output in $t/out, $t/err
	APVFIO_S390X_LOCK=$1 "$TOP/scripts/s390x-userland.sh" >"$t/out" 2>"$t/err"
}
root=$APVFIO_CACHE/s390x/root
content() { cat "$root/usr/share/apvfio-fetch/$1" 2>/dev/null; }
has() { grep -q -- "$2" "$1"; }
manifest_has() { grep -qx -- "$1" "$root/.apvfio-manifest"; }

userland "$lock"
rc=$?
check "a lock with missing, bad and moved files is served: exit 0" '[ "$rc" = 0 ]'
check "the script prints the tree's path" '[ "$(cat "$t/out")" = "$root" ]'
check "alpha: the locked 2 answered 404, the index's 1 is unpacked" \
	'[ "$(content alpha)" = "alpha 1" ]'
check "alpha: the manifest says fallback" 'manifest_has "alpha 1 s390x fallback"'
check "alpha: the fallback is printed, with the locked version and the 404" \
	'has "$t/err" "FALLBACK alpha 1 instead of the locked 2 (.*404"'
check "beta: the file that differs from the lock is refused, never unpacked" \
	'[ "$(content beta)" = "beta 0.9" ]'
check "beta: its answer is a hash mismatch" \
	'has "$root/.apvfio-fallbacks" "^beta 0.9 (locked 1: .*hash mismatch.*refused"'
check "beta: beta 1 of the index (the same version as the lock) is not tried again" \
	'[ "$(grep -o "beta_1_s390x" "$t/server.log" | wc -l)" = 1 ]'
check "gamma: taken from the second suite (stable-security)" \
	'[ "$(content gamma)" = "gamma 1.1" ]'
check "gamma: the manifest says fallback" 'manifest_has "gamma 1.1 s390x fallback"'
check "delta: as locked" 'manifest_has "delta 1 s390x locked"'
check "delta: unpacked" '[ "$(content delta)" = "delta 1" ]'
check "eta, in no index: as locked, from its pool path" \
	'manifest_has "eta 1 s390x locked" && [ "$(content eta)" = "eta 1" ]'
check "the fallbacks file names alpha, beta and gamma" \
	'[ "$(cut -d" " -f1-2 "$root/.apvfio-fallbacks" | paste -sd,)" = "alpha 1,beta 0.9,gamma 1.1" ]'
check "nothing else of the fetch is left in the cache" \
	'[ ! -e "$APVFIO_CACHE/s390x/work" ] && [ ! -e "$root.new" ]'
out=$(s390x_userland_notes "$APVFIO_CACHE/s390x/root")
check "make test's note names each fallback and its version" \
	'[ "$out" = "note: s390x user space: fallback alpha 1 (locked 2); fallback beta 0.9 (locked 1); fallback gamma 1.1 (locked 1)" ]'

# An unchanged lock: nothing is fetched (the server is down).
kill "$server"
wait "$server" 2>/dev/null
server=
touch "$root/.apvfio-kept"
userland "$lock"
rc=$?
check "an unchanged lock: the tree is kept, nothing fetched (server down)" \
	'[ "$rc" = 0 ] && [ -e "$root/.apvfio-kept" ] && ! has "$t/err" fetching'

# A changed lock: the tree is made anew.
start_server
grep -v '^beta ' "$lock" > "$t/changed.lock"
userland "$t/changed.lock"
rc=$?
check "a changed lock rebuilds the tree" \
	'[ "$rc" = 0 ] && [ ! -e "$root/.apvfio-kept" ] && [ -z "$(content beta)" ]'
check "the rebuilt tree still takes alpha's fallback" '[ "$(content alpha)" = "alpha 1" ]'

# Nothing works for epsilon.
userland "$t/epsilon.lock"
rc=$?
check "epsilon, listed nowhere: exit 1" '[ "$rc" = 1 ]'
check "no path is printed" '[ ! -s "$t/out" ]'
check "the error names the package" 'has "$t/err" "no usable file for package epsilon (locked 1 s390x)"'
check "the error names the path tried and the answer" \
	'has "$t/err" "locked 1: http://127.0.0.1:$port/debian/pool/main/e/epsilon/epsilon_1_s390x.deb: 404"'
check "the error says what the user can do" \
	'has "$t/err" "APVFIO_DEBIAN_MIRROR" && has "$t/err" "APVFIO_S390X_SUITE" &&
	has "$t/err" "make s390x-lock"'
check "no half-made tree or download is left behind" \
	'[ ! -e "$APVFIO_CACHE/s390x/work" ] && [ ! -e "$root.new" ]'

# A server that never answers.
sport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -c "
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $sport)); s.listen(16); c = []
while True: c.append(s.accept()[0])
" &
silent=$!
sleep 0.3
APVFIO_DEBIAN_MIRROR=http://127.0.0.1:$sport/debian userland "$t/zeta.lock"
rc=$?
check "a server that never answers: exit 1, each answer a timeout" \
	'[ "$rc" = 1 ] && has "$t/err" "zeta_1_s390x.deb: timeout"'

# --lock: a lock written from the archive (alpha 2 and gamma 1 are gone,
# beta 1 on the server matches the index no more).
mv "$arc/debian/pool/main/b/beta/beta_1_s390x.deb" "$t/beta-tampered.deb"
cp "$lock" "$t/written.lock"
APVFIO_S390X_BASE_PKGS="alpha beta delta" APVFIO_S390X_PKGS="gamma eta theta" \
	S390X_LOCK_PINS="theta=1" \
	APVFIO_S390X_LOCK=$t/written.lock "$TOP/scripts/s390x-userland.sh" --lock \
	>"$t/out" 2>"$t/err"
rc=$?
check "--lock writes a lock: exit 0" '[ "$rc" = 0 ]'
lockfields() { grep -v '^#' "$t/written.lock" | cut -d' ' -f1-4,7 | paste -sd,; }
check "--lock takes the newest version that can be had, the previous lock's otherwise" \
	'[ "$(lockfields)" = "alpha 1 s390x debian index,beta 0.9 s390x debian index,delta 1 s390x debian index,eta 1 s390x debian index,gamma 1.1 s390x debian-security index,theta 1 s390x debian pool" ]'
check "a pin to a version the indexes no longer list: its pool path, next to the indexed version" \
	'grep -q "^theta 1 s390x debian $th1 $(sha256sum "$arc/debian/$th1" | cut -d" " -f1) pool$" "$t/written.lock"'
check "the written lock's hashes are the files'" \
	'grep -q "^alpha 1 s390x debian $a1 $(sha256sum "$arc/debian/$a1" | cut -d" " -f1) index$" "$t/written.lock"'

echo "fetch: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
