// SPDX-License-Identifier: GPL-2.0
/*
 * The invariants of AP passthrough, checked on demand: by the KUnit
 * suites, and by the stress and fault tests through debugfs
 * (/sys/kernel/debug/vfio_ap/check) at quiescent points.
 *
 *  1. No APQN is assigned to two mdevs, and the index agrees.
 *  2. No APQN is both reserved for the host (apmask x aqmask) and
 *     assigned to an mdev.
 *  3. The CRYCB the machine holds for a running guest, read back through
 *     the hardware-ops contract, is the mdev's view; the view is what the
 *     filter computes now (no update was missed; empty for an mdev being
 *     removed), and it lies within the assignment, the host configuration
 *     and the queues bound to vfio_ap (and linked to this mdev).
 *  4. Where the machine can execute instructions for a guest (the
 *     simulated facility), the guest's TAPQ reaches exactly the queues of
 *     the view: the machine's answer, not vfio_ap's bitmaps, decides.
 *
 * Whether a secret left in a queue reaches anybody else is for the
 * machine to see, not for vfio_ap: the simulated facility records every
 * such event itself (Documentation/simulator.rst).
 */

#define pr_fmt(fmt) "vfio_ap: " fmt

#include <kunit/visibility.h>
#include <linux/bitmap.h>
#include <linux/debugfs.h>
#include <linux/slab.h>
#include "private.h"

#define VFIO_AP_APQNS	(AP_IDS * AP_IDS)

struct vfio_ap_checker {
	struct seq_file *s;
	unsigned int violations;
	unsigned int checks;
};

static __printf(2, 3) void vfio_ap_violation(struct vfio_ap_checker *c,
					     const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	c->violations++;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	if (c->s)
		seq_printf(c->s, "violation: %pV\n", &vaf);
	else
		pr_err("invariant violated: %pV\n", &vaf);
	va_end(args);
}

/* 1 and 2: assignments are exclusive and never the host's. */
static void vfio_ap_check_assignments(struct vfio_ap_checker *c,
				      unsigned long *seen)
{
	char name[AP_APQN_NAME_LEN + 1];
	struct vfio_ap_mdev *mdev;
	unsigned int apid, apqi;
	struct ap_matrix res;
	apqn_t apqn;

	list_for_each_entry(mdev, &vfio_ap_mdevs, node) {
		c->checks++;
		if (ap_perms_reserved_locked(&mdev->assigned, &res))
			vfio_ap_violation(c, "mdev %s holds queues the host reserves",
					  mdev->name);
		ap_matrix_for_each_apid(apid, &mdev->assigned) {
			ap_matrix_for_each_apqi(apqi, &mdev->assigned) {
				apqn = ap_apqn(apid, apqi);
				ap_apqn_name(apqn, name);
				if (__test_and_set_bit(apqn, seen))
					vfio_ap_violation(c, "queue %s is assigned to two mdevs",
							  name);
				if (xa_load(&vfio_ap_owners, apqn) != mdev)
					vfio_ap_violation(c, "index disagrees on the owner of %s",
							  name);
			}
		}
	}
}

/* 3: the CRYCB the machine holds is the view, and the view is right. */
static void vfio_ap_check_crycb(struct vfio_ap_checker *c,
				struct vfio_ap_mdev *mdev,
				const struct ap_matrix *crycb)
{
	struct ap_matrix fresh = mdev->view;
	const struct ap_matrix *v = &mdev->view;
	unsigned int apid, apqi;

	c->checks++;
	if (!ap_matrix_equal(crycb, v))
		vfio_ap_violation(c, "mdev %s: the machine's CRYCB of guest %u is not the view",
				  mdev->name, mdev->guest->id);
	if (vfio_ap_mdev_view_locked(mdev, &fresh))
		vfio_ap_violation(c, "mdev %s: the view misses an update",
				  mdev->name);
	if (!bitmap_subset(v->apm, mdev->assigned.apm, AP_IDS) ||
	    !bitmap_subset(v->aqm, mdev->assigned.aqm, AP_IDS) ||
	    !bitmap_subset(v->adm, mdev->assigned.adm, AP_IDS) ||
	    !bitmap_subset(v->apm, vfio_ap_host.apm, AP_IDS) ||
	    !bitmap_subset(v->aqm, vfio_ap_host.aqm, AP_IDS) ||
	    !bitmap_subset(v->adm, vfio_ap_host.adm, AP_IDS))
		vfio_ap_violation(c, "mdev %s: the view has more than assigned and configured",
				  mdev->name);
	ap_matrix_for_each_apid(apid, v)
		ap_matrix_for_each_apqi(apqi, v)
			if (!vfio_ap_usable(mdev, apid, apqi))
				vfio_ap_violation(c, "mdev %s: unusable %02x.%04x",
						  mdev->name, apid, apqi);
}

/*
 * 4: the guest reaches exactly the queues of its view, by the machine's
 * answer to its TAPQ. Outside the host's configuration the machine has
 * no queue for anybody, so the queues of the configuration are enough.
 */
static void vfio_ap_check_reach(struct vfio_ap_checker *c,
				struct vfio_ap_mdev *mdev)
{
	struct ap_hw_queue_info info;
	struct ap_hw_status st;
	unsigned int apid, apqi;
	bool in, reached;

	ap_matrix_for_each_apid(apid, &vfio_ap_host) {
		ap_matrix_for_each_apqi(apqi, &vfio_ap_host) {
			if (ap_hw_guest_tapq(mdev->guest, ap_apqn(apid, apqi),
					     &info, &st))
				return;	/* only the guest's CPUs can tell */
			c->checks++;
			in = ap_matrix_has_apqn(&mdev->view, apid, apqi);
			reached = st.rc != AP_HW_RC_Q_NOT_AVAIL;
			if (in != reached)
				vfio_ap_violation(c, "mdev %s: guest %u %s %02x.%04x (rc 0x%02x)",
						  mdev->name, mdev->guest->id,
						  in ? "cannot reach" : "reaches",
						  apid, apqi, st.rc);
		}
	}
}

static void vfio_ap_check_guest(struct vfio_ap_checker *c,
				struct vfio_ap_mdev *mdev)
{
	struct ap_matrix crycb;

	if (!mdev->guest)
		return;
	ap_hw_guest_crycb(mdev->guest, &crycb);
	vfio_ap_check_crycb(c, mdev, &crycb);
	vfio_ap_check_reach(c, mdev);
}

/**
 * vfio_ap_check() - check every invariant
 * @s: where to write the findings, or NULL for the kernel log
 *
 * Context: process context; takes the reservation lock and vfio_ap_lock.
 * Return: the number of violations, or -ENOMEM.
 */
int vfio_ap_check(struct seq_file *s)
{
	struct vfio_ap_checker c = { .s = s };
	struct vfio_ap_mdev *mdev;

	unsigned long *seen __free(bitmap) = bitmap_zalloc(VFIO_AP_APQNS,
							   GFP_KERNEL);
	if (!seen)
		return -ENOMEM;
	guard(ap_perms)();
	guard(mutex)(&vfio_ap_lock);
	vfio_ap_check_assignments(&c, seen);
	list_for_each_entry(mdev, &vfio_ap_mdevs, node)
		vfio_ap_check_guest(&c, mdev);
	if (s)
		seq_printf(s, "checked: %u, violations: %u\n", c.checks,
			   c.violations);
	return c.violations;
}
EXPORT_SYMBOL_IF_KUNIT(vfio_ap_check);

static int vfio_ap_check_show(struct seq_file *s, void *unused)
{
	int rc = vfio_ap_check(s);

	return rc < 0 ? rc : 0;
}
DEFINE_SHOW_ATTRIBUTE(vfio_ap_check);

/**
 * vfio_ap_check_debugfs_init() - create the debugfs file "check"
 * @root: vfio_ap's debugfs directory
 */
void vfio_ap_check_debugfs_init(struct dentry *root)
{
	debugfs_create_file("check", 0444, root, NULL, &vfio_ap_check_fops);
}
