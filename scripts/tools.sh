#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools.sh [ARCH]: build the user-space programs the tests and the demo
# run inside the test kernel (tests/selftests/tools/*.c), against the
# uapi headers of the cached kernel tree (Debian 12's own are older).
# ARCH is x86 (the default: the UML kernel runs the host's binaries) or
# s390x: cross-compiled with s390x-linux-gnu-gcc and linked statically
# against the cross libc (libc6-dev-s390x-cross), for the s390x selftest
# kernel. Prints the directory holding them.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

arch=${1:-x86}
case $arch in
x86) karch=x86 cc=gcc ldflags= hdr=$CACHE/headers hbuild=$CACHE/build/headers
	out=$CACHE/obj/tools ;;
s390x) karch=s390 cc=s390x-linux-gnu-gcc ldflags=-static
	hdr=$CACHE/headers-s390 hbuild=$CACHE/build/headers-s390
	out=$CACHE/obj/tools-s390x ;;
*) die "unknown architecture $arch" ;;
esac

src=$("$TOP/scripts/kernel.sh" none)
if [ ! -f "$hdr/.installed" ] || [ "$(cat "$hdr/.installed")" != "$(kernel_src_id)" ]; then
	note "installing the kernel's $karch uapi headers into $hdr"
	rm -rf "$hdr"
	make -s -C "$src" O="$hbuild" ARCH=$karch \
		INSTALL_HDR_PATH="$hdr" headers_install >&2
	kernel_src_id > "$hdr/.installed"
fi
mkdir -p "$out"
# A tool is rebuilt when what it is built from differs by content (its
# source, the headers, the compiler and flags), never by time: the cache
# may be shared with another checkout whose files are newer. The new
# binary replaces the old one by a rename, so that a test running the
# old one (another checkout's run) is not disturbed.
# shellcheck disable=SC2206
flags=(-O2 -Wall -Wextra -Werror -pthread $ldflags)
for c in "$TOP"/tests/selftests/tools/*.c; do
	bin=$out/$(basename "$c" .c)
	key=$({ echo "$cc ${flags[*]} $(kernel_src_id)"; cat "$c" \
		"$TOP"/include/uapi/ap/*.h "$TOP/tests/selftests/tools/aptools.h"; } |
		sha256sum | cut -c1-16)
	[ -x "$bin" ] && [ "$(cat "$bin.key" 2>/dev/null)" = "$key" ] && continue
	$cc "${flags[@]}" -isystem "$hdr/include" -I "$TOP/include/uapi" \
		-o "$bin.new.$$" "$c" >&2
	mv -f "$bin.new.$$" "$bin"
	echo "$key" > "$bin.key"
done
echo "$out"
