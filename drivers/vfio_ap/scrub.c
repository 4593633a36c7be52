// SPDX-License-Identifier: GPL-2.0
/*
 * Scrubbing: resetting and zeroizing the queues that leave a guest.
 *
 * A queue that leaves a guest's view is reset and zeroized before anyone
 * else may have it. The reset is started under vfio_ap_lock and the
 * queue is marked "scrubbing", which keeps it out of every view (the
 * AP bus in turn waits for running resets before a new driver binds a
 * queue). The wait happens after vfio_ap_lock is dropped, so a slow or
 * hanging reset holds up only the operation that caused it, which logs
 * its progress every second. Once a queue is clean it is unmarked and
 * the view of the mdev it is assigned to is recomputed, which may give
 * it back to a guest.
 *
 * A reset that ends without zeroizing (the adapter is check-stopped or
 * deconfigured, or the queue answered an error) leaves the queue marked:
 * it stays out of every view, and its reset and zeroize is tried again
 * after every bus scan that changed the configuration and every second,
 * until it is done or the queue leaves vfio_ap.
 */

#define pr_fmt(fmt) "vfio_ap: " fmt

#include <linux/device.h>
#include <linux/slab.h>
#include "private.h"

#define VFIO_AP_SCRUB_RETRY	HZ

static void vfio_ap_scrub_retry_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(vfio_ap_scrub_retry, vfio_ap_scrub_retry_fn);

struct vfio_ap_scrub_walk {
	struct vfio_ap_scrub *s;
	bool mark;
};

static bool vfio_ap_scrub_add(struct vfio_ap_scrub *s, struct ap_queue *q)
{
	struct ap_queue **more;

	if (s->n == s->size) {
		more = krealloc_array(s->q, max(8U, 2 * s->size), sizeof(*more),
				      GFP_KERNEL);
		if (!more)
			return false;
		s->q = more;
		s->size = max(8U, 2 * s->size);
	}
	get_device(&q->dev);
	s->q[s->n++] = q;
	return true;
}

static int vfio_ap_scrub_apqn_locked(apqn_t apqn, void *data)
{
	struct vfio_ap_queue *vq = xa_load(&vfio_ap_queues, apqn);
	struct vfio_ap_scrub_walk *w = data;

	lockdep_assert_held(&vfio_ap_lock);
	if (!vq)
		return 0;
	ap_queue_reset(vq->q, true, AP_RESET_GUEST);
	if (vfio_ap_scrub_add(w->s, vq->q)) {
		vq->scrubbing = w->mark;
	} else if (ap_queue_reset_wait(vq->q) != AP_HW_RC_NORMAL && w->mark) {
		/* No room to wait later, and it was not zeroized. */
		vq->scrubbing = true;
		schedule_delayed_work(&vfio_ap_scrub_retry, VFIO_AP_SCRUB_RETRY);
	}
	return 0;
}

/**
 * vfio_ap_scrub_left_locked() - start resetting what left a view
 * @from: the view before
 * @to: the view after
 * @s: collects the queues to wait for
 * @mark: keep the queues out of every view until they are clean; not
 *        for a reset of queues a guest keeps (VFIO_DEVICE_RESET)
 *
 * Every queue bound to vfio_ap in @from's product but not in @to's.
 *
 * Context: vfio_ap_lock held; vfio_ap_scrub_finish() after releasing it.
 */
void vfio_ap_scrub_left_locked(const struct ap_matrix *from,
			       const struct ap_matrix *to,
			       struct vfio_ap_scrub *s, bool mark)
{
	struct vfio_ap_scrub_walk w = { s, mark };

	lockdep_assert_held(&vfio_ap_lock);
	vfio_ap_walk_gained(to, from, vfio_ap_scrub_apqn_locked, &w);
}

/**
 * vfio_ap_scrub_finish() - wait for the resets, then let the queues back
 * @s: the queues collected under vfio_ap_lock
 *
 * Recomputing the views of their mdevs may start more scrubs; those are
 * waited for too.
 *
 * A task killed while it waits (a user's write) stops waiting: the queues
 * stay marked, out of every view, and the retry work finishes them.
 *
 * Context: process context, vfio_ap_lock not held; sleeps without a time
 * limit while resets run (they log their progress), unless killed.
 */
void vfio_ap_scrub_finish(struct vfio_ap_scrub *s)
{
	struct vfio_ap_queue *vq;
	struct vfio_ap_scrub next;
	bool retry = false;
	unsigned int i;

	while (s->n) {
		memset(&next, 0, sizeof(next));
		for (i = 0; i < s->n && !retry; i++)
			if (ap_queue_reset_wait_killable(s->q[i]))
				retry = true;	/* killed: the work goes on */
		scoped_guard(mutex, &vfio_ap_lock) {
			for (i = 0; i < s->n; i++) {
				vq = xa_load(&vfio_ap_queues, s->q[i]->apqn);
				if (!vq || vq->q != s->q[i] || !vq->scrubbing)
					continue;
				if (ap_queue_reset_result(vq->q) !=
				    AP_HW_RC_NORMAL) {
					retry = true;	/* not zeroized */
					continue;
				}
				vq->scrubbing = false;
				if (vq->mdev)
					vfio_ap_mdev_update_locked(vq->mdev,
								   &next);
			}
		}
		for (i = 0; i < s->n; i++)
			put_device(&s->q[i]->dev);
		kfree(s->q);
		*s = next;
	}
	kfree(s->q);
	if (retry)
		schedule_delayed_work(&vfio_ap_scrub_retry, VFIO_AP_SCRUB_RETRY);
}

/**
 * vfio_ap_scrub_dirty_locked() - reset and zeroize again the queues whose
 * last reset did not zeroize
 * @s: collects the queues to wait for
 *
 * Context: vfio_ap_lock held; vfio_ap_scrub_finish() after releasing it.
 */
void vfio_ap_scrub_dirty_locked(struct vfio_ap_scrub *s)
{
	struct vfio_ap_queue *vq;
	unsigned long apqn;
	bool more = false;

	lockdep_assert_held(&vfio_ap_lock);
	xa_for_each(&vfio_ap_queues, apqn, vq) {
		if (!vq->scrubbing)
			continue;
		/*
		 * A reset running now (the bus's, after a change) may not
		 * zeroize: look again in the next round.
		 */
		if (ap_queue_reset_busy(vq->q)) {
			more = true;
			continue;
		}
		ap_queue_reset(vq->q, true, AP_RESET_GUEST);
		if (!vfio_ap_scrub_add(s, vq->q)) {
			more = true;	/* the next round */
			break;
		}
	}
	if (more)
		schedule_delayed_work(&vfio_ap_scrub_retry, VFIO_AP_SCRUB_RETRY);
}

static void vfio_ap_scrub_retry_fn(struct work_struct *work)
{
	struct vfio_ap_scrub s = {};

	scoped_guard(mutex, &vfio_ap_lock)
		vfio_ap_scrub_dirty_locked(&s);
	vfio_ap_scrub_finish(&s);
}

/**
 * vfio_ap_scrub_stop() - no more retries; the queue driver is gone
 */
void vfio_ap_scrub_stop(void)
{
	cancel_delayed_work_sync(&vfio_ap_scrub_retry);
}
