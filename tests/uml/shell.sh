#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shell mode: the demo's environment (the specification's example LPAR,
# every module loaded) with an interactive shell on the console.
# "poweroff" (or leaving the shell) ends the session.
. "$APVFIO_TOP/tests/uml/lib.sh"
. "$APVFIO_TOP/tests/selftests/lib.sh"

ap_load && vfio_load || echo "warning: the modules did not all load"

rc=$(mktemp)
cat > "$rc" <<RC
PS1='ap-shell# '
PATH=$APVFIO_TOOLS:\$PATH
. "$APVFIO_TOP/tests/uml/views.sh"
sim() { echo "\$*" > /sys/kernel/debug/ap_sim/command; }
poweroff() { sync; echo o > /proc/sysrq-trigger; }
apview() { ap_host_view; }
cat <<'HELP'

AP passthrough playground (User-Mode Linux). The simulated LPAR has
adapters 4, 5, 6 (CEX5) and domains 4, 71 (0x47), 171 (0xab), 255 (0xff).

  /sys/bus/ap/                      apmask, aqmask, devices/, drivers/
  /sys/devices/vfio_ap/matrix/      mdev_supported_types/vfio_ap-passthrough/create
  /sys/devices/vfio_ap/matrix/UUID/ assign_adapter, assign_domain, matrix, ...
  /sys/kernel/debug/ap_sim/         command, config, adapters, queues

  apview                  the host's cards and queues, lszcrypt style
  sim configure 5 off     drive the simulated machine (see Documentation/simulator.rst)
  apguest UUID &          start a guest on an mdev; it prints its view on every change
  mdevctl types           mdevctl works too
  poweroff                leave

Try: echo -4,-0x47,-0xab,-0xff > /sys/bus/ap/aqmask; apview
HELP
RC
cd /root 2>/dev/null || cd /
setsid -c bash --rcfile "$rc" -i </dev/tty0 >/dev/tty0 2>&1
rm -f "$rc"
