// SPDX-License-Identifier: GPL-2.0
/*
 * The invariants of AP passthrough, checked on demand: by the KUnit
 * suites, and by the stress and fault tests through debugfs
 * (/sys/kernel/debug/vfio_ap/check) at quiescent points.
 *
 *  1. No APQN is assigned to two mdevs, and the index agrees.
 *  2. No APQN is both reserved for the host (apmask x aqmask) and
 *     assigned to an mdev.
 *  3. A running guest's CRYCB is its view, the view is what the filter
 *     computes now (no update was missed; empty for an mdev being
 *     removed), and it lies within the
 *     assignment, the host configuration and the queues bound to
 *     vfio_ap (and linked to this mdev).
 *  4. A guest may reach exactly the APQNs of its CRYCB.
 *  5. With the simulated facility: a queue holds a secret only while it
 *     is in the CRYCB of the running guest that stored it, so every
 *     queue bound to the host or handed to another guest was zeroized
 *     after it last left a guest.
 */

#define pr_fmt(fmt) "vfio_ap: " fmt

#include <kunit/visibility.h>
#include <linux/bitmap.h>
#include <linux/debugfs.h>
#include <linux/slab.h>
#include <ap/sim.h>
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

/* 3 and 4: what a running guest has. */
static void vfio_ap_check_guest(struct vfio_ap_checker *c,
				struct vfio_ap_mdev *mdev)
{
	struct ap_matrix crycb, fresh = mdev->view;
	unsigned int apid, apqi, apqn;
	unsigned long updates;

	if (!vfio_ap_guest_crycb_locked(mdev, &crycb, &updates))
		return;
	c->checks++;
	if (!ap_matrix_equal(&crycb, &mdev->view))
		vfio_ap_violation(c, "mdev %s: the guest's CRYCB is not its view",
				  mdev->name);
	if (vfio_ap_mdev_view_locked(mdev, &fresh))
		vfio_ap_violation(c, "mdev %s: the view misses an update",
				  mdev->name);
	if (!bitmap_subset(crycb.apm, mdev->assigned.apm, AP_IDS) ||
	    !bitmap_subset(crycb.aqm, mdev->assigned.aqm, AP_IDS) ||
	    !bitmap_subset(crycb.adm, mdev->assigned.adm, AP_IDS) ||
	    !bitmap_subset(crycb.apm, vfio_ap_host.apm, AP_IDS) ||
	    !bitmap_subset(crycb.aqm, vfio_ap_host.aqm, AP_IDS) ||
	    !bitmap_subset(crycb.adm, vfio_ap_host.adm, AP_IDS))
		vfio_ap_violation(c, "mdev %s: the guest has more than assigned and configured",
				  mdev->name);
	ap_matrix_for_each_apid(apid, &crycb)
		ap_matrix_for_each_apqi(apqi, &crycb)
			if (!vfio_ap_usable(mdev, apid, apqi))
				vfio_ap_violation(c, "mdev %s: unusable %02x.%04x",
						  mdev->name, apid, apqi);
	for (apqn = 0; apqn < VFIO_AP_APQNS; apqn++) {
		bool in = ap_matrix_has_apqn(&crycb, ap_apqn_apid(apqn),
					     ap_apqn_apqi(apqn));
		int rc = vfio_ap_guest_may_reach_locked(mdev, apqn);

		if (rc == -ENODEV)
			break;
		if (in != !rc)
			vfio_ap_violation(c, "mdev %s: the guest's access to %02x.%04x is wrong",
					  mdev->name, ap_apqn_apid(apqn),
					  ap_apqn_apqi(apqn));
	}
}

static u64 vfio_ap_check_read_secret(apqn_t apqn)
{
	struct ap_sim_msg msg = { AP_SIM_MSG_MAGIC, AP_SIM_OP_GET_SECRET, 0 };
	size_t len = sizeof(msg);
	u64 psmid;

	if (ap_hw_nqap(apqn, 0, &msg, len).rc ||
	    ap_hw_dqap(apqn, &psmid, &msg, &len).rc)
		return 0;
	return msg.value;
}

/*
 * A queue bound to vfio_ap whose zeroize has not been done yet is in no
 * view: nobody can reach what it still holds.
 */
static bool vfio_ap_check_unreachable_locked(apqn_t apqn)
{
	struct vfio_ap_queue *vq = xa_load(&vfio_ap_queues, apqn);

	return vq && vq->scrubbing;
}

/* 5: secrets stay with the guest that stored them. */
static void vfio_ap_check_secrets(struct vfio_ap_checker *c)
{
	struct ap_hw_config cfg;
	struct vfio_ap_mdev *owner;
	unsigned int apid, apqi;
	apqn_t apqn;
	u64 secret;
	char name[64];

	if (!ap_hw_simulated() || ap_hw_qci(&cfg))
		return;
	ap_matrix_for_each_apid(apid, &cfg.masks) {
		ap_matrix_for_each_apqi(apqi, &cfg.masks) {
			apqn = ap_apqn(apid, apqi);
			secret = vfio_ap_check_read_secret(apqn);
			c->checks++;
			if (!secret)
				continue;
			if (vfio_ap_check_unreachable_locked(apqn))
				continue;
			owner = xa_load(&vfio_ap_owners, apqn);
			if (!owner || !vfio_ap_guest_wrote_locked(owner, apqn,
								  secret))
				vfio_ap_violation(c, "queue %s leaks a secret",
						  ap_apqn_name(apqn, name));
		}
	}
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
	vfio_ap_check_secrets(&c);
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
