#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the build and the tests need, if missing.
set -euo pipefail

PKGS=(linux-source-6.12 build-essential flex bison bc libelf-dev libssl-dev
      clang libclang-rt-14-dev
      python3 rsync patch gcc-s390x-linux-gnu qemu-system-misc sparse mdevctl
      ccache tmux uuid-runtime xz-utils kmod qemu-user-static
      libc6-dev-s390x-cross libvirt-daemon libvirt-clients udev)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo ">>> installing: ${missing[*]}" >&2
[ "$(id -u)" -eq 0 ] || { echo "error: run as root to install packages" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
