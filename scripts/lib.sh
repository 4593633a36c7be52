# SPDX-License-Identifier: GPL-2.0
# Shared settings for the build and test scripts. Sourced, not executed.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${APVFIO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/apvfio}
KPKG=linux-source-6.12
KTAR=/usr/src/$KPKG.tar.xz
JOBS=${JOBS:-$(nproc)}

die() { echo "error: $*" >&2; exit 1; }
note() { echo ">>> $*" >&2; }

# kernel_pkg_version: Debian version of the kernel source package.
kernel_pkg_version() {
	dpkg-query -W -f '${Version}' "$KPKG" 2>/dev/null || echo unknown
}

# kernel_src: path of the unpacked kernel tree (with scripts/patches/).
kernel_src() {
	echo "$CACHE/src/$KPKG"
}

# kernel_src_id: what the unpacked tree must be: version and patches.
kernel_src_id() {
	echo "$(kernel_pkg_version) $(cat "$TOP"/scripts/patches/*.patch |
		sha256sum | cut -c1-12)"
}

# config_key FILE...: short hash of the kernel tree and config inputs.
config_key() {
	{ kernel_src_id; cat "$@"; } | sha256sum | cut -c1-12
}
