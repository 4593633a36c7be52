// SPDX-License-Identifier: GPL-2.0
/*
 * DOC: vfio_ap's reference costs, for make bench
 *
 * /sys/kernel/debug/vfio_ap/reference (read) measures, inside the
 * kernel, what one xarray lookup in the APQN index of assignments and one
 * pass over a 256-bit bitmap cost on this machine now, averaged over
 * many: "xa_load_ns N" and "bitmap_pass_ns M", and the step of the
 * kernel's clock, "clock_step_ns S" (the smallest difference of two
 * readings: no in-kernel time is finer). make bench prints each
 * operation's in-kernel time as a multiple of their sum: an operation
 * that moves no queue should cost a small multiple of it, whatever the
 * number of mdevs.
 */

#include <linux/bitmap.h>
#include <linux/debugfs.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/seq_file.h>
#include "private.h"

#define VFIO_AP_REF_ROUNDS	100000

static u64 vfio_ap_ref_xa_ns(void)
{
	u64 t0 = ktime_get_ns();
	unsigned long hits = 0;
	unsigned int i;

	for (i = 0; i < VFIO_AP_REF_ROUNDS; i++)
		hits += !!xa_load(&vfio_ap_owners, (i * 2654435761u) & 0xffff);
	OPTIMIZER_HIDE_VAR(hits);
	return div_u64(ktime_get_ns() - t0, VFIO_AP_REF_ROUNDS);
}

static u64 vfio_ap_ref_bitmap_ns(void)
{
	DECLARE_BITMAP(m, AP_IDS);
	unsigned long w = 0;
	u64 t0;
	unsigned int i;

	bitmap_zero(m, AP_IDS);
	t0 = ktime_get_ns();
	for (i = 0; i < VFIO_AP_REF_ROUNDS; i++) {
		__change_bit(i % AP_IDS, m);
		w += bitmap_weight(m, AP_IDS);
	}
	OPTIMIZER_HIDE_VAR(w);
	return div_u64(ktime_get_ns() - t0, VFIO_AP_REF_ROUNDS);
}

/* The smallest step of ktime_get_ns() seen in a few tries. */
static u64 vfio_ap_ref_clock_step(void)
{
	u64 step = U64_MAX, a, b;
	unsigned int i;

	for (i = 0; i < 16; i++) {
		a = ktime_get_ns();
		do {
			b = ktime_get_ns();
		} while (b == a);
		step = min(step, b - a);
	}
	return step;
}

static int vfio_ap_reference_show(struct seq_file *s, void *unused)
{
	seq_printf(s, "xa_load_ns %llu\nbitmap_pass_ns %llu\nclock_step_ns %llu\n",
		   vfio_ap_ref_xa_ns(), vfio_ap_ref_bitmap_ns(),
		   vfio_ap_ref_clock_step());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vfio_ap_reference);

/**
 * vfio_ap_bench_debugfs_init() - create the reference file
 * @root: vfio_ap's debugfs directory
 */
void vfio_ap_bench_debugfs_init(struct dentry *root)
{
	debugfs_create_file("reference", 0444, root, NULL,
			    &vfio_ap_reference_fops);
}
