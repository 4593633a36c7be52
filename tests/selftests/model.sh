#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Differential test (apmodel): random operations through sysfs, each
# result and every view compared with an independent model of the
# specification's rules. The machine: adapters 1-3 (CEX5C) and 4 (a
# CEX3C, which no passthrough driver may bind), usage and control domains
# 1-6, no extended addressing (ids up to 63 and 15).
# MODEL_OPS and MODEL_SEEDS change the run.
. "$APVFIO_TOP/tests/uml/lib.sh"
. "$APVFIO_TOP/tests/selftests/lib.sh"

ap_load adapters=1-4 domains=1-6 control_domains=1-6 types=4:CEX3C \
	modes= max_apid=63 max_apqi=15
vfio_load
check_eq "the machine has no extended addressing" \
	"$(cat $AP/ap_max_adapter_id) $(cat $AP/ap_max_domain_id)" "63 15"
echo "# campaign: model, ${MODEL_OPS:-10000} operations per seed, seeds ${MODEL_SEEDS:-1}"
for seed in ${MODEL_SEEDS:-1}; do
	out=$("$APVFIO_TOOLS/apmodel" -s $seed -n "${MODEL_OPS:-10000}" \
		2>/tmp/apmodel.err)
	rc=$?
	echo "# $out"
	sed 's/^/# /' /tmp/apmodel.err | head -n 20
	check_eq "seed $seed: the kernel agrees with the model (${MODEL_OPS:-10000} operations)" "$rc" 0
done
vfio_check "after the model runs"
rmmod vfio_ap
rmmod mdev
ap_unload
st_done
