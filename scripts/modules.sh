#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# modules.sh FLAVOR: build the project's modules out of tree against the
# cached UML kernel of FLAVOR (see kernel.sh). The sources are mirrored
# into the cache, by content (mirror_sources in lib.sh), so that the
# checkout stays free of build products and every checkout sharing the
# cache builds its own sources.
# Prints the directory holding the built tree on stdout.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

flavor=${1:-debug}
kbuild=$("$TOP/scripts/kernel.sh" "$flavor")
obj=$CACHE/obj/$(basename "$kbuild")

# Every symbol of the project, built as a module.
SYMS=$(sed -n 's/^config \([A-Z0-9_]*\)$/CONFIG_\1=m/p' \
	"$TOP"/drivers/*/Kconfig "$TOP"/tests/kunit/Kconfig)

mirror_sources "$obj"
cc=gcc
command -v ccache >/dev/null && cc="ccache gcc"
# shellcheck disable=SC2086
progress "building our modules against the UML kernel ($flavor)" \
	make -s -C "$(kernel_src)" O="$kbuild" ARCH=um CC="$cc" M="$obj" \
	-j"$JOBS" W=1 KCFLAGS=-Werror $SYMS modules >&2
echo "$obj"
