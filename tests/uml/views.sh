# SPDX-License-Identifier: GPL-2.0
# Views of the AP configuration for people, used by the demo and the
# shell inside the UML test kernel. Sourced.

# ap_mode_name FUNCTIONS: the mode as lszcrypt names it.
ap_mode_name() {
	f=$(($1))
	if [ $((f & 0x10000000)) -ne 0 ]; then echo CCA-Coproc
	elif [ $((f & 0x08000000)) -ne 0 ]; then echo Accelerator
	elif [ $((f & 0x04000000)) -ne 0 ]; then echo EP11-Coproc
	else echo Unknown
	fi
}

# ap_type_name HWTYPE FUNCTIONS: CEX5C, CEX8A, ...
ap_type_name() {
	f=$(($2))
	if [ "$1" -lt 10 ]; then
		echo "-"
		return
	fi
	if [ $((f & 0x10000000)) -ne 0 ]; then m=C
	elif [ $((f & 0x08000000)) -ne 0 ]; then m=A
	elif [ $((f & 0x04000000)) -ne 0 ]; then m=P
	else m=?
	fi
	echo "CEX$(($1 - 6))$m"
}

# ap_host_view: the host's AP devices, one line each, lszcrypt style:
# CARD.DOMAIN TYPE MODE STATUS DRIVER.
ap_host_view() {
	printf '%-11s %-5s %-11s %-10s %s\n' CARD.DOMAIN TYPE MODE STATUS DRIVER
	echo "-----------------------------------------------------"
	for c in /sys/devices/ap/card*; do
		[ -d "$c" ] || continue
		ap_view_line "$c" "$(basename "$c" | sed 's/card//')" \
			"$(cat "$c/hwtype")"
		for q in "$c"/??.????; do
			[ -d "$q" ] || continue
			ap_view_line "$q" "$(basename "$q")" "$(cat "$c/hwtype")"
		done
	done
}

ap_view_line() { # DIR NAME HWTYPE
	f=$(cat "$1/ap_functions" 2>/dev/null || echo 0)
	driver=-no-driver-
	[ -e "$1/driver" ] && driver=$(basename "$(readlink "$1/driver")")
	if [ "$(cat "$1/config")" = 0 ]; then status=deconfig
	elif [ "$(cat "$1/chkstop")" = 1 ]; then status=chkstop
	elif [ -e "$1/online" ]; then
		[ "$(cat "$1/online")" = 1 ] && status=online || status=offline
	elif [ -e "$1/status" ]; then status=$(cat "$1/status")
	else status=-
	fi
	printf '%-11s %-5s %-11s %-10s %s\n' "$2" "$(ap_type_name "$3" "$f")" \
		"$(ap_mode_name "$f")" "$status" "$driver"
}
