#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# shell-test.sh: `make shell` under tmux, as a person would use it: wait
# for the prompt, type commands, read the screen, type poweroff, and see
# the session end. Prints TAP lines and "shell: N passed, M failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"

sock=apvfio-shell-test-$$
pass=0
fail=0
tm() { tmux -L "$sock" "$@"; }
ok() { pass=$((pass + 1)); echo "ok $((pass + fail)) $*"; }
not_ok() { fail=$((fail + 1)); echo "not ok $((pass + fail)) $*"; }
screen() { tm capture-pane -t s -p -S -200 2>/dev/null; }

# wait_screen SECONDS PATTERN: until the screen shows PATTERN.
wait_screen() {
	local n=$(($1 * 5))
	while [ $n -gt 0 ]; do
		screen | grep -q -- "$2" && return 0
		sleep 0.2
		n=$((n - 1))
	done
	return 1
}

"$TOP/scripts/kernel.sh" debug >/dev/null 2>&1
"$TOP/scripts/modules.sh" debug >/dev/null 2>&1
"$TOP/scripts/tools.sh" >/dev/null 2>&1
tm new-session -d -s s -x 120 -y 40 \
	"cd '$TOP' && make -s shell; echo SHELL-ENDED; sleep 60"
if wait_screen 300 '^ap-shell#'; then
	ok "the shell starts and prints its prompt"
else
	not_ok "the shell starts and prints its prompt"
fi
screen | grep -q 'AP passthrough playground' && ok "it prints its help" ||
	not_ok "it prints its help"
tm send-keys -t s 'echo -0xab > /sys/bus/ap/aqmask; apview | grep -c vfio_ap' Enter
wait_screen 30 '^3$' && ok "it answers typed commands" ||
	not_ok "it answers typed commands"
tm send-keys -t s 'cat /sys/devices/vfio_ap/matrix/features' Enter
wait_screen 30 '^guest_matrix hotplug ap_config migratable$' &&
	ok "vfio_ap is loaded" || not_ok "vfio_ap is loaded"
tm send-keys -t s 'poweroff' Enter
wait_screen 60 'SHELL-ENDED' && ok "poweroff ends it" || not_ok "poweroff ends it"
tm kill-server 2>/dev/null
echo "shell: $pass passed, $fail failed"
[ $fail -eq 0 ]
