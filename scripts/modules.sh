#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# modules.sh FLAVOR: build the project's modules out of tree against the
# cached UML kernel of FLAVOR (see kernel.sh). The sources are mirrored
# into the cache so that the checkout stays free of build products.
# Prints the directory holding the built tree on stdout.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

flavor=${1:-debug}
kbuild=$("$TOP/scripts/kernel.sh" "$flavor")
obj=$CACHE/obj/$(basename "$kbuild")

# Every symbol of the project, built as a module.
SYMS=$(sed -n 's/^config \([A-Z0-9_]*\)$/CONFIG_\1=m/p' \
	"$TOP"/drivers/*/Kconfig "$TOP"/tests/kunit/Kconfig)

mkdir -p "$obj"
rsync -a --delete --exclude .git --exclude '*.o' --exclude '*.ko' \
	--exclude '*.cmd' --exclude '*.mod*' --exclude 'Module.symvers' \
	--exclude 'modules.order' --exclude '.*.d' \
	--filter 'P *.o' --filter 'P *.ko' --filter 'P .*.cmd' \
	--filter 'P *.mod' --filter 'P *.mod.c' --filter 'P *.mod.o' \
	--filter 'P Module.symvers' --filter 'P modules.order' \
	"$TOP/drivers" "$TOP/include" "$TOP/tests" "$TOP/Kbuild" "$obj/"
cc=gcc
command -v ccache >/dev/null && cc="ccache gcc"
# shellcheck disable=SC2086
progress "building our modules against the UML kernel ($flavor)" \
	make -s -C "$(kernel_src)" O="$kbuild" ARCH=um CC="$cc" M="$obj" \
	-j"$JOBS" W=1 KCFLAGS=-Werror $SYMS modules >&2
echo "$obj"
