#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# s390-kernel.sh: build the s390x kernel of the selftests in-tree: the
# project in drivers/apvfio/ of an overlay of the cached kernel tree (see
# s390_overlay in lib.sh), configured from scripts/config/s390-selftests.config
# (our drivers and KUnit test modules as modules, VFIO, iommufd, mdev, KVM,
# 9p over virtio-ccw, the debug set), cross-compiled with
# s390x-linux-gnu-gcc. Configured once per configuration, rebuilt
# incrementally (kbuild and ccache) when the project changes.
# With S390_KASAN=1 the kernel has KASAN too
# (scripts/config/s390-selftests-kasan.config), in its own build directory.
# Prints the build directory; its arch/s390/boot/bzImage is the kernel,
# drivers/apvfio/ holds our modules, drivers/vfio/mdev/mdev.ko the mdev core.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/kernel.sh" none >/dev/null
src_tree=$CACHE/src/s390-selftests-overlay
out=$CACHE/build/s390-selftests
frags=("$TOP/scripts/config/s390-selftests.config")
if [ "${S390_KASAN:-0}" = 1 ]; then
	out=$CACHE/build/s390-selftests-kasan
	frags+=("$TOP/scripts/config/s390-selftests-kasan.config")
fi
key=$(config_key "${frags[@]}")
cc=s390x-linux-gnu-gcc
command -v ccache >/dev/null && cc="ccache $cc"
mk=(make -s -C "$src_tree" O="$out" ARCH=s390 CROSS_COMPILE=s390x-linux-gnu-
    CC="$cc")

s390_build_lock "$out"
s390_overlay "$src_tree"

# Every symbol of the project, as a module (like modules.sh on UML).
syms() {
	sed -n 's/^config \([A-Z0-9_]*\)$/CONFIG_\1=m/p' \
		"$TOP"/drivers/*/Kconfig "$TOP"/tests/kunit/Kconfig
}

configure() {
	[ -f "$out/.configured" ] && [ "$(cat "$out/.configured")" = "$key $(syms | sha256sum)" ] &&
		return
	note "configuring the s390x selftest kernel in $out"
	rm -f "$out/.configured"
	mkdir -p "$out"
	{ cat "${frags[@]}"; syms; } > "$out/.config"
	"${mk[@]}" olddefconfig >/dev/null
	local line
	while read -r line; do
		case $line in
		"# CONFIG_"*" is not set")
			line=${line#\# }
			! grep -q "^${line% is not set}=" "$out/.config" ||
				die "${line% is not set}=n did not stick" ;;
		CONFIG_*) grep -qx "$line" "$out/.config" ||
				die "$line did not stick" ;;
		esac
	done < <(cat "${frags[@]}"; syms)
	echo "$key $(syms | sha256sum)" > "$out/.configured"
}

configure
progress "building the s390x selftest kernel and modules ($JOBS jobs; cached after the first time)" \
	"${mk[@]}" -j"$JOBS" all >&2
echo "$out"
