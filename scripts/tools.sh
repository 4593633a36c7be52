#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools.sh: build the user-space programs the tests and the demo run
# inside the test kernel (tests/selftests/tools/*.c), against the uapi
# headers of the cached kernel tree (Debian 12's own are older).
# Prints the directory holding them.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=$("$TOP/scripts/kernel.sh" none)
hdr=$CACHE/headers
out=$CACHE/obj/tools
if [ ! -f "$hdr/.installed" ] || [ "$(cat "$hdr/.installed")" != "$(kernel_src_id)" ]; then
	note "installing the kernel's uapi headers into $hdr"
	rm -rf "$hdr"
	make -s -C "$src" O="$CACHE/build/headers" ARCH=x86 \
		INSTALL_HDR_PATH="$hdr" headers_install >&2
	kernel_src_id > "$hdr/.installed"
fi
mkdir -p "$out"
for c in "$TOP"/tests/selftests/tools/*.c; do
	bin=$out/$(basename "$c" .c)
	[ "$bin" -nt "$c" ] && [ "$bin" -nt "$TOP/include/uapi/ap/vfio_ap.h" ] &&
		[ "$bin" -nt "$TOP/tests/selftests/tools/aptools.h" ] && continue
	gcc -O2 -Wall -Wextra -Werror -pthread -isystem "$hdr/include" \
		-I "$TOP/include/uapi" -o "$bin" "$c" >&2
done
echo "$out"
