// SPDX-License-Identifier: GPL-2.0
/*
 * The state of vfio_ap: mediated devices, what is assigned to them, the
 * queues bound to vfio_ap, and each guest's view of the AP configuration.
 *
 * Two indexes keep every decision independent of the number of mdevs:
 * vfio_ap_owners maps each assigned APQN to its mdev (an APQN belongs to
 * at most one), and vfio_ap_queues maps each APQN bound to vfio_ap to its
 * queue. A change of an assignment touches only the APQNs it adds or
 * removes.
 *
 * A guest's view (the shadow CRYCB) is recomputed with the pure filter
 * of <ap/matrix.h> after every event that can change it; if it changed,
 * it is pushed to the running guest once, the guest is told through the
 * config-change eventfd, and the queues that left the guest are reset
 * and zeroized (scrub.c) before the operation returns. During a bus scan
 * the views use the configuration the old and the new one share: what
 * left the configuration is removed from them when the scan starts, what
 * joined is added when it is complete. Queues bound or unbound during the
 * scan update the views at once; since the views cannot gain what joined
 * yet, a new queue changes nothing before the scan is complete, and a
 * queue going away leaves the guest at once.
 *
 * All functions run with vfio_ap_lock held (see private.h).
 */

#define pr_fmt(fmt) "vfio_ap: " fmt

#include <kunit/visibility.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <trace/events/vfio_ap.h>
#include "private.h"

/* How many refused APQNs one refusal names in the log. */
#define VFIO_AP_LOG_APQNS	8

DEFINE_MUTEX(vfio_ap_lock);	/* see private.h */
LIST_HEAD(vfio_ap_mdevs);
static unsigned int vfio_ap_nr_mdevs;
DEFINE_XARRAY(vfio_ap_owners);
DEFINE_XARRAY(vfio_ap_queues);
struct ap_matrix vfio_ap_host;

/**
 * vfio_ap_walk_gained() - visit what one matrix adds to another
 * @from: the matrix before
 * @to: the matrix after
 * @fn: called for every APQN of @to's product that is not in @from's,
 *      once each
 * @ctx: passed to @fn
 *
 * Return: 0, or the first non-zero result of @fn, which ends the walk.
 */
int vfio_ap_walk_gained(const struct ap_matrix *from,
			const struct ap_matrix *to, vfio_ap_apqn_fn fn,
			void *ctx)
{
	DECLARE_BITMAP(new_aqm, AP_IDS);
	unsigned int apid, apqi;
	int rc;

	bitmap_andnot(new_aqm, to->aqm, from->aqm, AP_IDS);
	ap_matrix_for_each_apid(apid, to) {
		bool new_apid = !test_bit(apid, from->apm);

		for_each_set_bit(apqi, new_apid ? to->aqm : new_aqm, AP_IDS) {
			rc = fn(ap_apqn(apid, apqi), ctx);
			if (rc)
				return rc;
		}
	}
	return 0;
}

struct vfio_ap_check {
	struct vfio_ap_mdev *mdev;
	unsigned int conflicts;
};

static int vfio_ap_check_owner(apqn_t apqn, void *ctx)
{
	struct vfio_ap_check *c = ctx;
	struct vfio_ap_mdev *owner = xa_load(&vfio_ap_owners, apqn);
	char name[AP_APQN_NAME_LEN + 1];

	if (!owner || owner == c->mdev)
		return 0;
	if (c->conflicts++ < VFIO_AP_LOG_APQNS)
		pr_warn("mdev %s: queue %s is already assigned to mdev %s\n",
			c->mdev->name, ap_apqn_name(apqn, name), owner->name);
	return 0;
}

static void vfio_ap_log_reserved(struct vfio_ap_mdev *mdev,
				 const struct ap_matrix *res)
{
	char name[AP_APQN_NAME_LEN + 1];
	unsigned int apid, apqi, n = 0;
	const char *by;
	apqn_t apqn;

	ap_matrix_for_each_apid(apid, res)
		ap_matrix_for_each_apqi(apqi, res) {
			apqn = ap_apqn(apid, apqi);
			by = ap_perms_apqn_reserver_locked(apqn);
			if (by && n++ < VFIO_AP_LOG_APQNS)
				pr_warn("mdev %s: queue %s is reserved for the host's default drivers by %s\n",
					mdev->name, ap_apqn_name(apqn, name), by);
		}
	if (n > VFIO_AP_LOG_APQNS)
		pr_warn("mdev %s: %u queues refused in all\n", mdev->name, n);
}

/*
 * vfio_ap_mdev_check_locked() - may @mdev's assignment become @new?
 *
 * Return: 0, -EADDRNOTAVAIL if a queue of @new is reserved for the host,
 * -EADDRINUSE if a queue it adds is assigned to another mdev.
 */
static int vfio_ap_mdev_check_locked(struct vfio_ap_mdev *mdev,
				     const struct ap_matrix *new)
{
	struct vfio_ap_check c = { .mdev = mdev };
	struct ap_matrix res;

	lockdep_assert_held(&vfio_ap_lock);
	if (ap_perms_reserved_locked(new, &res)) {
		vfio_ap_log_reserved(mdev, &res);
		return -EADDRNOTAVAIL;
	}
	vfio_ap_walk_gained(&mdev->assigned, new, vfio_ap_check_owner, &c);
	if (c.conflicts > VFIO_AP_LOG_APQNS)
		pr_warn("mdev %s: %u queues are assigned to other mdevs\n",
			mdev->name, c.conflicts);
	return c.conflicts ? -EADDRINUSE : 0;
}

static int vfio_ap_own(apqn_t apqn, void *ctx)
{
	struct vfio_ap_queue *vq = xa_load(&vfio_ap_queues, apqn);
	int rc = xa_err(xa_store(&vfio_ap_owners, apqn, ctx, GFP_KERNEL));

	if (!rc && vq)
		vq->mdev = ctx;
	return rc;
}

static int vfio_ap_disown(apqn_t apqn, void *ctx)
{
	struct vfio_ap_queue *vq = xa_load(&vfio_ap_queues, apqn);

	if (xa_load(&vfio_ap_owners, apqn) != ctx)
		return 0;
	xa_erase(&vfio_ap_owners, apqn);
	if (vq)
		vq->mdev = NULL;
	return 0;
}

/*
 * vfio_ap_mdev_reassign_locked() - move @mdev's entries in the indexes
 * from its current assignment to @new; all or nothing.
 */
static int vfio_ap_mdev_reassign_locked(struct vfio_ap_mdev *mdev,
					const struct ap_matrix *new)
{
	int rc;

	lockdep_assert_held(&vfio_ap_lock);
	rc = vfio_ap_walk_gained(&mdev->assigned, new, vfio_ap_own, mdev);
	if (rc) {
		vfio_ap_walk_gained(&mdev->assigned, new, vfio_ap_disown, mdev);
		return rc;
	}
	vfio_ap_walk_gained(new, &mdev->assigned, vfio_ap_disown, mdev);
	mdev->assigned = *new;
	return 0;
}

bool vfio_ap_usable(void *ctx, unsigned int apid, unsigned int apqi)
{
	struct vfio_ap_queue *vq = xa_load(&vfio_ap_queues,
					   ap_apqn(apid, apqi));

	return vq && vq->mdev == ctx && !vq->scrubbing;
}

/**
 * vfio_ap_mdev_view_locked() - compute the view an mdev's guest should have
 * @mdev: the mdev
 * @view: the view to update
 *
 * The view is the assignment filtered by the host configuration and the
 * usable queues (see ap_matrix_guest_view()); an mdev being removed has
 * an empty one.
 *
 * Context: vfio_ap_lock held.
 * Return: true if @view changed.
 */
bool vfio_ap_mdev_view_locked(struct vfio_ap_mdev *mdev, struct ap_matrix *view)
{
	struct ap_matrix none;

	lockdep_assert_held(&vfio_ap_lock);
	if (!mdev->removing)
		return ap_matrix_guest_view(&mdev->assigned, &vfio_ap_host,
					    vfio_ap_usable, mdev, view);
	ap_matrix_clear(&none);
	if (ap_matrix_equal(view, &none))
		return false;
	*view = none;
	return true;
}

/**
 * vfio_ap_mdev_update_locked() - recompute a guest's view and apply it
 * @mdev: the mdev
 * @scrub: collects the queues whose reset must be waited for
 *
 * If the view changed and a guest runs, the new masks are pushed to it,
 * its config-change eventfd is signalled, and the queues it lost are
 * reset and zeroized (see scrub.c).
 *
 * Context: vfio_ap_lock held; vfio_ap_scrub_finish() after releasing it.
 */
void vfio_ap_mdev_update_locked(struct vfio_ap_mdev *mdev,
				struct vfio_ap_scrub *scrub)
{
	struct ap_matrix old = mdev->view;

	lockdep_assert_held(&vfio_ap_lock);
	if (!vfio_ap_mdev_view_locked(mdev, &mdev->view))
		return;
	if (!mdev->guest)
		return;
	vfio_ap_guest_push_locked(mdev, &mdev->view);
	vfio_ap_mdev_signal_locked(mdev, VFIO_AP_IRQ_CFG_CHG);
	vfio_ap_scrub_left_locked(&old, &mdev->view, scrub, true);
	vfio_ap_irq_left_locked(mdev, &mdev->view);
}

/**
 * vfio_ap_mdev_reset_view_locked() - reset every queue of the view
 * @mdev: the mdev
 * @scrub: collects the queues whose reset must be waited for
 * @gone: the guest went away: the queues leave the view until they are
 *        clean, so that no next guest finds what it left; else
 *        (VFIO_DEVICE_RESET) the guest keeps them
 *
 * Context: vfio_ap_lock held; vfio_ap_scrub_finish() after releasing it.
 */
void vfio_ap_mdev_reset_view_locked(struct vfio_ap_mdev *mdev,
				    struct vfio_ap_scrub *scrub, bool gone)
{
	struct ap_matrix none;

	lockdep_assert_held(&vfio_ap_lock);
	ap_matrix_clear(&none);
	vfio_ap_scrub_left_locked(&mdev->view, &none, scrub, gone);
	if (mdev->guest)
		vfio_ap_irq_left_locked(mdev, &none);
	if (gone)
		vfio_ap_mdev_update_locked(mdev, scrub);
}

/* The assignment, not traced: see vfio_ap_mdev_assign_locked(). */
static int vfio_ap_mdev_assign_one_locked(struct vfio_ap_mdev *mdev, int what,
					  unsigned long id, bool assign)
{
	struct ap_matrix new = mdev->assigned;
	unsigned long *masks[] = { new.apm, new.aqm, new.adm };
	struct ap_limits lim;
	int rc;

	lockdep_assert_held(&vfio_ap_lock);
	ap_bus_get_config(NULL, &lim);
	if (id > (what == VFIO_AP_ADAPTER ? lim.max_apid : lim.max_apqi))
		return -ENODEV;
	if (test_bit(id, masks[what]) == assign)
		return 0;
	__assign_bit(id, masks[what], assign);
	if (assign) {
		rc = vfio_ap_mdev_check_locked(mdev, &new);
		if (rc)
			return rc;
	}
	return vfio_ap_mdev_reassign_locked(mdev, &new);
}

/**
 * vfio_ap_mdev_assign_locked() - assign or unassign one id
 * @mdev: the mdev
 * @what: VFIO_AP_ADAPTER, VFIO_AP_DOMAIN or VFIO_AP_CONTROL_DOMAIN
 * @id: the adapter or domain id
 * @assign: assign (true) or unassign
 * @scrub: collects the queues whose reset must be waited for
 *
 * Assigning what is assigned, or unassigning what is not, changes
 * nothing. A new assignment is checked as a whole (every queue of the
 * resulting matrix); control domains are not queues and are only
 * checked against the maximum id.
 *
 * Traced (vfio_ap_assign), refused or not.
 *
 * Context: the reservation lock (ap_perms) and vfio_ap_lock held.
 * Return: 0, -ENODEV for an id above the machine's maximum,
 * -EADDRNOTAVAIL if a queue would be one the host reserves, -EADDRINUSE
 * if one is assigned to another mdev, -ENOMEM.
 */
int vfio_ap_mdev_assign_locked(struct vfio_ap_mdev *mdev, int what,
			       unsigned long id, bool assign,
			       struct vfio_ap_scrub *scrub)
{
	struct ap_matrix old = mdev->assigned;
	int rc = vfio_ap_mdev_assign_one_locked(mdev, what, id, assign);

	trace_vfio_ap_assign(mdev->name, 0, &old, &mdev->assigned, rc);
	if (!rc && !ap_matrix_equal(&old, &mdev->assigned))
		vfio_ap_mdev_update_locked(mdev, scrub);
	return rc;
}

/**
 * vfio_ap_mdev_set_config_locked() - replace the whole assignment
 * @mdev: the mdev
 * @m: the new adapters, domains and control domains
 * @scrub: collects the queues whose reset must be waited for
 *
 * All or nothing; the guest's view is recomputed once. Traced
 * (vfio_ap_assign), refused or not.
 *
 * Context: the reservation lock (ap_perms) and vfio_ap_lock held.
 * Return: 0, -ENODEV if an id of @m is above the machine's maximum,
 * -EADDRNOTAVAIL, -EADDRINUSE or -ENOMEM as for an assignment.
 */
int vfio_ap_mdev_set_config_locked(struct vfio_ap_mdev *mdev,
				   const struct ap_matrix *m,
				   struct vfio_ap_scrub *scrub)
{
	struct ap_matrix old = mdev->assigned;
	struct ap_limits lim;
	int rc;

	lockdep_assert_held(&vfio_ap_lock);
	ap_bus_get_config(NULL, &lim);
	rc = ap_matrix_check_limits(m, &lim);
	if (!rc)
		rc = vfio_ap_mdev_check_locked(mdev, m);
	if (!rc)
		rc = vfio_ap_mdev_reassign_locked(mdev, m);
	trace_vfio_ap_assign(mdev->name, 0, &old, &mdev->assigned, rc);
	if (!rc)
		vfio_ap_mdev_update_locked(mdev, scrub);
	return rc;
}

/**
 * vfio_ap_mdev_assign() - assign or unassign one id, as sysfs does
 * @mdev: the mdev
 * @what: VFIO_AP_ADAPTER, VFIO_AP_DOMAIN or VFIO_AP_CONTROL_DOMAIN
 * @id: the adapter or domain id
 * @assign: assign (true) or unassign
 *
 * Context: takes the reservation lock, then vfio_ap_lock.
 * Return: see vfio_ap_mdev_assign_locked().
 */
int vfio_ap_mdev_assign(struct vfio_ap_mdev *mdev, int what, unsigned long id,
			bool assign)
{
	struct vfio_ap_scrub scrub = {};
	int rc;

	scoped_guard(ap_perms)
		scoped_guard(mutex, &vfio_ap_lock)
			rc = vfio_ap_mdev_assign_locked(mdev, what, id, assign,
							&scrub);
	vfio_ap_scrub_finish(&scrub);
	return rc;
}
EXPORT_SYMBOL_IF_KUNIT(vfio_ap_mdev_assign);

/**
 * vfio_ap_mdev_set_config() - replace the whole assignment, as sysfs does
 * @mdev: the mdev
 * @m: the new adapters, domains and control domains
 *
 * Context: takes the reservation lock, then vfio_ap_lock.
 * Return: see vfio_ap_mdev_set_config_locked().
 */
int vfio_ap_mdev_set_config(struct vfio_ap_mdev *mdev,
			    const struct ap_matrix *m)
{
	struct vfio_ap_scrub scrub = {};
	int rc;

	scoped_guard(ap_perms)
		scoped_guard(mutex, &vfio_ap_lock)
			rc = vfio_ap_mdev_set_config_locked(mdev, m, &scrub);
	vfio_ap_scrub_finish(&scrub);
	return rc;
}
EXPORT_SYMBOL_IF_KUNIT(vfio_ap_mdev_set_config);

/**
 * vfio_ap_mdev_start_guest() - a guest starts using the mdev
 * @mdev: the mdev
 *
 * Return: see vfio_ap_guest_attach_locked().
 */
int vfio_ap_mdev_start_guest(struct vfio_ap_mdev *mdev)
{
	int rc;

	scoped_guard(mutex, &vfio_ap_lock)
		rc = vfio_ap_guest_attach_locked(mdev);
	if (!rc)
		vfio_ap_irq_start(mdev);
	return rc;
}
EXPORT_SYMBOL_IF_KUNIT(vfio_ap_mdev_start_guest);

/**
 * vfio_ap_mdev_stop_guest() - the guest stops using the mdev
 * @mdev: the mdev
 *
 * The guest's masks are cleared, the queues it had are reset and
 * zeroized (before this returns), and its eventfds are released.
 */
void vfio_ap_mdev_stop_guest(struct vfio_ap_mdev *mdev)
{
	struct vfio_ap_scrub scrub = {};
	unsigned int i;

	vfio_ap_irq_stop(mdev);
	scoped_guard(mutex, &vfio_ap_lock) {
		vfio_ap_guest_detach_locked(mdev);
		vfio_ap_mdev_reset_view_locked(mdev, &scrub, true);
		for (i = 0; i < VFIO_AP_IRQS; i++) {
			if (mdev->triggers[i])
				eventfd_ctx_put(mdev->triggers[i]);
			mdev->triggers[i] = NULL;
		}
	}
	vfio_ap_scrub_finish(&scrub);
}
EXPORT_SYMBOL_IF_KUNIT(vfio_ap_mdev_stop_guest);

/**
 * vfio_ap_mdev_removing() - the mdev is being removed
 * @mdev: the mdev
 *
 * Its view becomes empty for good: a guest still using it loses every
 * queue (reset and zeroized before this returns) and is told so.
 */
void vfio_ap_mdev_removing(struct vfio_ap_mdev *mdev)
{
	struct vfio_ap_scrub scrub = {};

	scoped_guard(mutex, &vfio_ap_lock) {
		mdev->removing = true;
		vfio_ap_mdev_update_locked(mdev, &scrub);
	}
	vfio_ap_scrub_finish(&scrub);
}

/**
 * vfio_ap_mdev_reset() - reset every queue of the guest (VFIO reset)
 * @mdev: the mdev
 */
void vfio_ap_mdev_reset(struct vfio_ap_mdev *mdev)
{
	struct vfio_ap_scrub scrub = {};

	scoped_guard(mutex, &vfio_ap_lock)
		vfio_ap_mdev_reset_view_locked(mdev, &scrub, false);
	vfio_ap_scrub_finish(&scrub);
}
EXPORT_SYMBOL_IF_KUNIT(vfio_ap_mdev_reset);

/**
 * vfio_ap_registry_add() - make a new mdev known
 * @mdev: the mdev, with nothing assigned
 *
 * Return: 0, or -EUSERS if VFIO_AP_MAX_MDEVS mdevs exist already.
 */
int vfio_ap_registry_add(struct vfio_ap_mdev *mdev)
{
	xa_init(&mdev->irqs);
	guard(mutex)(&vfio_ap_lock);
	if (vfio_ap_nr_mdevs >= VFIO_AP_MAX_MDEVS)
		return -EUSERS;
	list_add_tail(&mdev->node, &vfio_ap_mdevs);
	vfio_ap_nr_mdevs++;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vfio_ap_registry_add);

/**
 * vfio_ap_registry_remove() - forget an mdev
 * @mdev: the mdev; no guest uses it any more
 *
 * Its APQNs become free for other mdevs.
 */
void vfio_ap_registry_remove(struct vfio_ap_mdev *mdev)
{
	struct ap_matrix none;

	ap_matrix_clear(&none);
	guard(mutex)(&vfio_ap_lock);
	vfio_ap_walk_gained(&none, &mdev->assigned, vfio_ap_disown, mdev);
	ap_matrix_clear(&mdev->assigned);
	ap_matrix_clear(&mdev->view);
	list_del(&mdev->node);
	vfio_ap_nr_mdevs--;
	WARN_ON(!xa_empty(&mdev->irqs));
	xa_destroy(&mdev->irqs);
}
EXPORT_SYMBOL_IF_KUNIT(vfio_ap_registry_remove);

/**
 * vfio_ap_registry_available() - how many more mdevs may be created
 *
 * Return: VFIO_AP_MAX_MDEVS less the mdevs that exist.
 */
unsigned int vfio_ap_registry_available(void)
{
	guard(mutex)(&vfio_ap_lock);
	return VFIO_AP_MAX_MDEVS - vfio_ap_nr_mdevs;
}

/**
 * vfio_ap_queue_add() - a queue was bound to vfio_ap
 * @q: the queue
 *
 * If an mdev has it assigned, that guest's view is updated.
 *
 * Return: 0, -ENOMEM.
 */
int vfio_ap_queue_add(struct ap_queue *q)
{
	struct vfio_ap_queue *vq = kzalloc(sizeof(*vq), GFP_KERNEL);
	struct vfio_ap_scrub scrub = {};
	int rc;

	if (!vq)
		return -ENOMEM;
	vq->q = q;
	scoped_guard(mutex, &vfio_ap_lock) {
		rc = xa_err(xa_store(&vfio_ap_queues, q->apqn, vq, GFP_KERNEL));
		if (rc) {
			kfree(vq);
			return rc;
		}
		vq->mdev = xa_load(&vfio_ap_owners, q->apqn);
		if (vq->mdev)
			vfio_ap_mdev_update_locked(vq->mdev, &scrub);
	}
	vfio_ap_scrub_finish(&scrub);
	return 0;
}

/**
 * vfio_ap_queue_remove() - a queue is unbound from vfio_ap
 * @q: the queue
 *
 * If it is in a guest's view, its whole adapter leaves the guest (the
 * architecture cannot take a single queue away) and the adapter's other
 * queues are reset; the bus resets this one once it is unbound. The
 * assignment stays: the adapter comes back when the queue does.
 */
void vfio_ap_queue_remove(struct ap_queue *q)
{
	struct vfio_ap_scrub scrub = {};
	struct vfio_ap_queue *vq;

	scoped_guard(mutex, &vfio_ap_lock) {
		vq = xa_erase(&vfio_ap_queues, q->apqn);
		if (vq && vq->mdev)
			vfio_ap_mdev_update_locked(vq->mdev, &scrub);
	}
	kfree(vq);
	vfio_ap_scrub_finish(&scrub);
}

/**
 * vfio_ap_queue_status() - the status shown for a queue bound to vfio_ap
 * @q: the queue
 *
 * Return: "in use" if it is in the view of a running guest, "assigned" if
 * an mdev has it assigned, else "unassigned".
 */
const char *vfio_ap_queue_status(struct ap_queue *q)
{
	struct vfio_ap_queue *vq;
	struct vfio_ap_mdev *mdev;

	guard(mutex)(&vfio_ap_lock);
	vq = xa_load(&vfio_ap_queues, q->apqn);
	mdev = vq ? vq->mdev : NULL;
	if (!mdev)
		return "unassigned";
	if (mdev->guest && ap_matrix_has_apqn(&mdev->view,
					      ap_apqn_apid(q->apqn),
					      ap_apqn_apqi(q->apqn)))
		return "in use";
	return "assigned";
}
EXPORT_SYMBOL_IF_KUNIT(vfio_ap_queue_status);

/**
 * vfio_ap_in_use() - would reserving queues for the host take mdevs' ones?
 * @reserved: the queues a mask change would give to the host
 *
 * Logs each conflicting queue with the mdev it is assigned to.
 *
 * Context: called by the AP bus with the reservation lock held.
 * Return: true if an mdev has one of them assigned.
 */
bool vfio_ap_in_use(const struct ap_matrix *reserved)
{
	char name[AP_APQN_NAME_LEN + 1];
	struct vfio_ap_mdev *owner;
	unsigned int apid, apqi, n = 0;

	guard(mutex)(&vfio_ap_lock);
	ap_matrix_for_each_apid(apid, reserved) {
		ap_matrix_for_each_apqi(apqi, reserved) {
			owner = xa_load(&vfio_ap_owners, ap_apqn(apid, apqi));
			if (owner && n++ < VFIO_AP_LOG_APQNS)
				pr_warn("cannot reserve queue %s for the host: it is assigned to mdev %s\n",
					ap_apqn_name(ap_apqn(apid, apqi), name),
					owner->name);
		}
	}
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(vfio_ap_in_use);

static void vfio_ap_update_all_locked(struct vfio_ap_scrub *scrub)
{
	struct vfio_ap_mdev *mdev;

	lockdep_assert_held(&vfio_ap_lock);
	list_for_each_entry(mdev, &vfio_ap_mdevs, node)
		vfio_ap_mdev_update_locked(mdev, scrub);
}

/**
 * vfio_ap_config_changed() - the machine's configuration changes
 * @old: the configuration before
 * @new: the configuration after
 *
 * What left the configuration leaves every guest now, before the bus
 * removes its devices; what joined is added when the scan is complete.
 */
void vfio_ap_config_changed(const struct ap_matrix *old,
			    const struct ap_matrix *new)
{
	struct vfio_ap_scrub scrub = {};

	scoped_guard(mutex, &vfio_ap_lock) {
		bitmap_and(vfio_ap_host.apm, old->apm, new->apm, AP_IDS);
		bitmap_and(vfio_ap_host.aqm, old->aqm, new->aqm, AP_IDS);
		bitmap_and(vfio_ap_host.adm, old->adm, new->adm, AP_IDS);
		vfio_ap_update_all_locked(&scrub);
	}
	vfio_ap_scrub_finish(&scrub);
}

/**
 * vfio_ap_scan_complete() - the bus scan after a change is complete
 * @new: the machine's configuration
 *
 * Every guest gets what joined the configuration, in one update.
 */
void vfio_ap_scan_complete(const struct ap_matrix *new)
{
	struct vfio_ap_scrub scrub = {};

	scoped_guard(mutex, &vfio_ap_lock) {
		vfio_ap_host = *new;
		vfio_ap_update_all_locked(&scrub);
		/* What came back is zeroized before any guest has it. */
		vfio_ap_scrub_dirty_locked(&scrub);
	}
	vfio_ap_scrub_finish(&scrub);
}

/**
 * vfio_ap_registry_init() - take the machine's configuration as it is
 */
void vfio_ap_registry_init(void)
{
	guard(mutex)(&vfio_ap_lock);
	ap_bus_get_config(&vfio_ap_host, NULL);
}
