// SPDX-License-Identifier: GPL-2.0
/*
 * apmigbench: what vfio_ap adds to a live migration's downtime.
 *
 *   apmigbench [-r ROUNDS] [-i IRQS] CONFIG APM AQM ADM
 *
 * With vfio_ap loaded and the queues APM x AQM (masks as ap_config
 * writes them) bound to vfio_ap, it migrates a guest with that
 * configuration from one mdev of this host to another, as two hosts
 * would: the source guest enables the interrupts of its first IRQS
 * queues (default 256), then ROUNDS times (default 20) it is stopped
 * and saved (STOP_COPY, its data file read to the end) and taken back to
 * RUNNING. The source is closed and its mdev unassigned, the other mdev
 * is assigned the same configuration (as the administrator prepares a
 * destination); then ROUNDS times a destination guest on it loads the
 * stream (STOP, RESUMING, the stream written in one write, STOP,
 * RUNNING) and is closed. It prints one line, the medians:
 *
 *   CONFIG - migration queues N irqs I stream_bytes B stop_copy_us T
 *   read_us T write_us T running_us T downtime_us T
 *
 * where downtime is the sum of the four: the guest's CPUs are stopped
 * from the first to the last. Each step is timed in user space with
 * CLOCK_MONOTONIC around the system call.
 */
#include <stdlib.h>
#include "aptools.h"
#include "apmig.h"

#define MATRIX	"/sys/devices/vfio_ap/matrix"
#define CREATE	MATRIX "/mdev_supported_types/vfio_ap-passthrough/create"
#define SRC	"b16a0000-0000-4000-8000-000000000001"
#define DST	"b16a0000-0000-4000-8000-000000000002"

static unsigned int rounds = 20;

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double median_us(uint64_t *ns)
{
	qsort(ns, rounds, sizeof(*ns), cmp_u64);
	return ns[rounds / 2] / 1e3;
}

static void fail(const char *what, int err)
{
	fprintf(stderr, "apmigbench: %s: %s\n", what, strerror(err));
	exit(1);
}

static int config(const char *uuid, const char *cfg)
{
	char path[128];

	snprintf(path, sizeof(path), MATRIX "/%s/ap_config", uuid);
	return ap_write(path, cfg);
}

/* The source's rounds; the stream of the last one in *stream. */
static void run_source(const char *cfg, unsigned int irqs,
		       uint64_t *stop_copy, uint64_t *rd, void **stream,
		       size_t *len)
{
	struct ap_mig_times t;
	struct ap_vfio v;
	bool apm[256], aqm[256];
	unsigned int apid, apqi, n = 0, r;
	const char *step;
	char masks[3][80];
	int err;

	if (sscanf(cfg, "%79[^,],%79[^,],%79s", masks[0], masks[1],
		   masks[2]) != 3 || ap_mask_bits(masks[0], apm) ||
	    ap_mask_bits(masks[1], aqm))
		fail("the configuration", EINVAL);
	err = config(SRC, cfg) ?: ap_vfio_open(SRC, &v);
	if (err)
		fail("the source", err);
	for (apid = 0; apid < 256; apid++)
		for (apqi = 0; apqi < 256 && n < irqs; apqi++)
			if (apm[apid] && aqm[apqi] &&
			    !ap_vm_aqic(SRC, apid << 8 | apqi, true))
				n++;
	for (r = 0; r < rounds; r++) {
		if (r)
			free(*stream);
		err = ap_mig_save(v.dev, stream, len, &t, &step);
		if (err)
			fail(step, err);
		stop_copy[r] = t.stop_copy;
		rd[r] = t.io;
		err = ap_mig_arc(v.dev, VFIO_DEVICE_STATE_RUNNING, NULL);
		if (err)
			fail("back to RUNNING", err);
	}
	ap_vfio_close(&v);
	err = config(SRC, "0x0,0x0,0x0");
	if (err)
		fail("unassigning the source", err);
	printf("irqs %u ", n);
}

/* The administrator assigns the destination mdev what the source had. */
static void run_destination(const char *cfg, const void *stream, size_t len,
			    uint64_t *wr, uint64_t *running)
{
	struct ap_mig_times t;
	struct ap_vfio v;
	const char *step;
	unsigned int r;
	int err;

	err = config(DST, cfg);
	if (err)
		fail("assigning the destination", err);
	for (r = 0; r < rounds; r++) {
		err = ap_vfio_open(DST, &v);
		if (err)
			fail("the destination", err);
		err = ap_mig_load(v.dev, stream, len, len, &t, &step);
		if (err)
			fail(step, err);
		wr[r] = t.io;
		running[r] = t.running;
		ap_vfio_close(&v);
	}
	err = config(DST, "0x0,0x0,0x0");
	if (err)
		fail("unassigning the destination", err);
}

int main(int argc, char **argv)
{
	uint64_t *stop_copy, *rd, *wr, *running, *down;
	unsigned int irqs = 256, r;
	char cfg[256];
	size_t len = 0;
	void *stream = NULL;
	int opt;

	while ((opt = getopt(argc, argv, "r:i:")) != -1) {
		if (opt == 'r')
			rounds = strtoul(optarg, NULL, 0);
		else if (opt == 'i')
			irqs = strtoul(optarg, NULL, 0);
		else
			return 2;
	}
	if (argc - optind != 4 || !rounds) {
		fprintf(stderr, "usage: apmigbench [-r ROUNDS] [-i IRQS] CONFIG APM AQM ADM\n");
		return 2;
	}
	snprintf(cfg, sizeof(cfg), "%s,%s,%s", argv[optind + 1],
		 argv[optind + 2], argv[optind + 3]);
	stop_copy = calloc(rounds, sizeof(uint64_t));
	rd = calloc(rounds, sizeof(uint64_t));
	wr = calloc(rounds, sizeof(uint64_t));
	running = calloc(rounds, sizeof(uint64_t));
	down = calloc(rounds, sizeof(uint64_t));
	if (!stop_copy || !rd || !wr || !running || !down)
		fail("memory", ENOMEM);
	opt = ap_write(CREATE, SRC) ?: ap_write(CREATE, DST);
	if (opt)
		fail("creating the mdevs", opt);
	printf("%s - migration ", argv[optind]);
	run_source(cfg, irqs, stop_copy, rd, &stream, &len);
	run_destination(cfg, stream, len, wr, running);
	for (r = 0; r < rounds; r++)
		down[r] = stop_copy[r] + rd[r] + wr[r] + running[r];
	printf("queues %zu stream_bytes %zu ", (len - 136) / 56, len);
	printf("stop_copy_us %.1f read_us %.1f ", median_us(stop_copy),
	       median_us(rd));
	printf("write_us %.1f running_us %.1f downtime_us %.1f\n",
	       median_us(wr), median_us(running), median_us(down));
	free(stream);
	ap_write(MATRIX "/" SRC "/remove", "1");
	ap_write(MATRIX "/" DST "/remove", "1");
	return 0;
}
