#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Bench mode (make bench): for each host configuration, the time and
# memory of the first bus scan, a rescan, rebinding every queue with one
# mask write, then apbench's latencies with 1, 100, 1000 and 10000 mdevs.
# Results go to $APVFIO_OUT/bench.txt, one measurement per line.
. "$APVFIO_TOP/tests/uml/lib.sh"
. "$APVFIO_TOP/tests/selftests/lib.sh"

R=$APVFIO_OUT/bench.txt
: > "$R"
MDEVS=$(echo "${BENCH_MDEVS:-1,100,1000,10000}" | tr , " ")
ROUNDS=${BENCH_ROUNDS:-300}

ms() { echo $(( $(date +%s%N) / 1000000 )); }
avail_kb() { awk '/^MemAvailable:/ { print $2 }' /proc/meminfo; }

bench_config() { # NAME CARD DOMAIN QUEUES SIM-PARAMS...
	name=$1 card=$2 dom=$3 queues=$4
	shift 4
	uml_insmod ap && uml_insmod ap_host && uml_insmod mdev &&
		uml_insmod vfio_ap || return 1
	sync
	echo 3 > /proc/sys/vm/drop_caches
	before=$(avail_kb)
	t0=$(ms)
	uml_insmod ap_sim "$@" || return 1
	t1=$(ms)
	after=$(avail_kb)
	echo "$name - first_scan_ms $((t1 - t0)) queues $queues" >> "$R"
	echo "$name - bytes_per_queue $(( (before - after) * 1024 / queues ))" >> "$R"
	t0=$(ms); echo 1 > $AP/scans; t1=$(ms)
	echo "$name - rescan_ms $((t1 - t0))" >> "$R"
	t0=$(ms); echo 0x0 > $AP/aqmask; t1=$(ms)
	echo "$name - rebind_all_to_vfio_ms $((t1 - t0)) queues $(queues_of vfio_ap | wc -w)" >> "$R"
	echo "0x$(printf 'f%.0s' $(seq 32))" > $AP/apmask
	"$APVFIO_TOOLS/apbench" -r "$ROUNDS" "$name" "$card" "$dom" $MDEVS >> "$R" ||
		echo "$name - apbench failed" >> "$R"
	t0=$(ms); rmmod vfio_ap; t1=$(ms)
	echo "$name - unload_vfio_ap_with_mdevs_ms $((t1 - t0))" >> "$R"
	rmmod mdev ap_host ap_sim ap
}

bench_config seed card04 4 12
bench_config 60x85 card00 0 5100 adapters=0-59 domains=0-84 types= modes=
bench_config 256x256 card00 0 65536 adapters=0-255 domains=0-255 types= modes=
exit 0
