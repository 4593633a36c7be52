#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Bench mode (make bench): for each host configuration, the time and
# memory of the first bus scan, a rescan, rebinding every queue with one
# mask write, then apbench's latencies with 1, 100, 1000 and 10000 mdevs,
# then what vfio_ap adds to a live migration's downtime (apmigbench) for
# a guest with 1, 85 or 65536 queues; first, the host's RSA requests
# through /dev/z90crypt against the simulator's time to compute them.
# Results go to $APVFIO_OUT/bench.txt, one measurement per line.
. "$APVFIO_TOP/tests/uml/lib.sh"
. "$APVFIO_TOP/tests/selftests/lib.sh"

R=$APVFIO_OUT/bench.txt
: > "$R"
MDEVS=$(echo "${BENCH_MDEVS:-1,100,1000,10000}" | tr , " ")
ROUNDS=${BENCH_ROUNDS:-300}

ms() { echo $(( $(date +%s%N) / 1000000 )); }
avail_kb() { awk '/^MemAvailable:/ { print $2 }' /proc/meminfo; }
# Bytes in use per slab cache: "NAME BYTES" lines.
slab_bytes() { awk 'NR > 2 { print $1, $2 * $4 }' /proc/slabinfo; }

# slab_per_queue BEFORE AFTER QUEUES: the caches that grew most, in
# bytes per queue.
slab_per_queue() {
	awk -v n="$3" 'NR == FNR { b[$1] = $2; next }
		{ d = int(($2 - b[$1]) / n); if (d >= 16) print d, $1 }' \
		"$1" "$2" | sort -rn | head -n 8 |
		awk '{ s = s (NR > 1 ? " " : "") $2 "=" $1 } END { print s }'
}

# migration NAME APM AQM ADM ROUNDS: apmigbench for a guest with the
# queues APM x AQM, once apbench's mdevs are gone.
migration() {
	for d in $MATRIX/*-*-*-*-*; do
		[ -e "$d/remove" ] && echo 1 > "$d/remove"
	done
	"$APVFIO_TOOLS/apmigbench" -r "$5" "$1" "$2" "$3" "$4" >> "$R" ||
		echo "$1 - apmigbench failed" >> "$R"
}

bench_config() { # NAME CARD DOMAIN QUEUES SIM-PARAMS...
	name=$1 card=$2 dom=$3 queues=$4
	shift 4
	uml_insmod ap && uml_insmod ap_host && uml_insmod mdev &&
		uml_insmod vfio_ap || return 1
	sync
	echo 3 > /proc/sys/vm/drop_caches
	before=$(avail_kb)
	slab_bytes > /tmp/slab.before
	t0=$(ms)
	uml_insmod ap_sim "$@" || return 1
	t1=$(ms)
	after=$(avail_kb)
	slab_bytes > /tmp/slab.after
	echo "$name - first_scan_ms $((t1 - t0)) queues $queues" >> "$R"
	# Too few queues for a per-queue figure to rise above the noise?
	if [ "$queues" -ge 1000 ]; then
		echo "$name - bytes_per_queue $(( (before - after) * 1024 / queues ))" >> "$R"
		echo "$name - slab_bytes_per_queue" \
			"$(slab_per_queue /tmp/slab.before /tmp/slab.after "$queues")" >> "$R"
	fi
	t0=$(ms); echo 1 > $AP/scans; t1=$(ms)
	echo "$name - rescan_ms $((t1 - t0))" >> "$R"
	t0=$(ms); echo 0x0 > $AP/aqmask; t1=$(ms)
	echo "$name - rebind_all_to_vfio_ms $((t1 - t0)) queues $(queues_of vfio_ap | wc -w)" >> "$R"
	echo "0x$(printf 'f%.0s' $(seq 32))" > $AP/apmask
	echo 120 > $AP/config_time	# no periodic scan in the middle
	"$APVFIO_TOOLS/apbench" -r "$ROUNDS" "$name" "$card" "$dom" $MDEVS >> "$R" ||
		echo "$name - apbench failed" >> "$R"
	case $name in
	seed) migration seed "$(hexmask 4)" "$(hexmask 4)" "$(hexmask 4)" 20 ;;
	60x85) migration 60x85 "$(hexmask 0)" "$(hexmask $(seq 0 84))" \
		"$(hexmask 0)" 20 ;;
	256x256) migration 256x256 "0x$ONES64" "0x$ONES64" "0x$ONES64" 3 ;;
	esac
	t0=$(ms); rmmod vfio_ap; t1=$(ms)
	echo "$name - unload_vfio_ap_with_mdevs_ms $((t1 - t0))" >> "$R"
	rmmod mdev ap_host ap_sim ap
}

# zcrypt_bench: RSA 2048 (ME) through /dev/z90crypt on the seed LPAR's
# accelerator, adapter 6: on one queue (its others off line) and across
# its four, with 1 to 8 (16 across) clients in flight, replies as soon as
# computed. The floor is the simulator's own time to compute a request
# (debugfs ap_sim/card), per request of the same run; ratio = mean
# latency / floor.
zcrypt_bench() {
	uml_insmod ap && uml_insmod ap_sim && uml_insmod ap_host || return 1
	sim set-mode 06.00ab A
	for layout in one adapter; do
		[ $layout = one ] && on=0 || on=1
		for q in 06.0047 06.00ab 06.00ff; do
			echo $on > "$AP/devices/$q/online"
		done
		threads="1 2 4 8"
		[ $layout = adapter ] && threads="1 4 8 16"
		for t in $threads; do
			read -r _ n0 _ ns0 < "$SIM/card"
			out=$("$APVFIO_TOOLS/apzcrypt" bench \
				"$APVFIO_TOP/tests/selftests/data/rsa.vec" 256 "$t" 3)
			read -r _ n1 _ ns1 < "$SIM/card"
			echo "$out" | awk -v l="$layout" -v t="$t" \
				-v n=$((n1 - n0)) -v ns=$((ns1 - ns0)) '/^bench:/ {
				for (i = 2; i < NF; i += 2) v[$i] = $(i + 1)
				f = n ? ns / n / 1000 : 0
				printf "zcrypt - %s_clients%d rps %s lat_us_avg %s lat_us_p99 %s floor_us %.1f ratio %.2f\n",
					l, t, v["rps"], v["lat_us_avg"], v["lat_us_p99"], f,
					f ? v["lat_us_avg"] / f : 0 }' >> "$R"
		done
	done
	rmmod ap_host ap_sim ap
}

zcrypt_bench || echo "zcrypt - zcrypt_bench failed" >> "$R"
bench_config seed card04 4 12
bench_config 60x85 card00 0 5100 adapters=0-59 domains=0-84 types= modes=
bench_config 256x256 card00 0 65536 adapters=0-255 domains=0-255 types= modes=
exit 0
