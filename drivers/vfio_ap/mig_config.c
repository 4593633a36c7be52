// SPDX-License-Identifier: GPL-2.0
/*
 * What a migration moves: the source describes the guest's configuration
 * (vfio_ap_mig_describe()), the destination checks it against its own
 * host and takes it (vfio_ap_mig_resume()). The stream's format and its
 * parser are the AP core's (drivers/ap/migstream.c); the VFIO side is
 * migration.c.
 */

#define pr_fmt(fmt) "vfio_ap: " fmt

#include <kunit/visibility.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <ap/migstream.h>
#include <trace/events/vfio_ap.h>
#include "private.h"

static_assert(AP_MIG_MKVP_LEN == AP_HW_MKVP_LEN);

/*
 * What TAPQ tells of the queue: its type and facility bits, mode
 * included (the queues of one adapter may differ in mode); the card's if
 * the queue does not answer.
 */
static void vfio_ap_mig_tapq(apqn_t apqn, struct ap_card *card, u8 *type,
			     u32 *functions)
{
	struct ap_hw_queue_info info = {};

	ap_hw_tapq(apqn, &info);
	*type = info.type ?: card->raw_type;
	*functions = info.type ? info.functions : card->functions;
}

/* The domain's master key pattern, if the machine tells it. */
static void vfio_ap_mig_key(struct ap_hw_guest *guest, struct ap_mig_queue *mq)
{
	struct ap_hw_fw_info info;

	if (ap_hw_guest_fw_query(guest, mq->apqn, &info) || !info.key_set)
		return;
	mq->mkvp_set = true;
	memcpy(mq->mkvp, info.mkvp, AP_MIG_MKVP_LEN);
}

/* One queue of the guest, as the stream tells it. */
static void vfio_ap_mig_queue_locked(struct vfio_ap_mdev *mdev, apqn_t apqn,
				     struct ap_mig_queue *mq)
{
	struct vfio_ap_queue *vq = xa_load(&vfio_ap_queues, apqn);

	memset(mq, 0, sizeof(*mq));
	mq->apqn = apqn;
	/* A view has only bound queues; type 0 makes any destination refuse. */
	if (WARN_ON_ONCE(!vq))
		return;
	vfio_ap_mig_tapq(apqn, vq->q->card, &mq->type, &mq->functions);
	mq->irq = vfio_ap_irq_state_locked(mdev, apqn, &mq->isc, &mq->nib);
	vfio_ap_mig_key(mdev->guest, mq);
}

/**
 * vfio_ap_mig_describe() - the stream of the guest's configuration
 * @mdev: the mdev, with a guest attached
 * @bufp: receives the stream, to be freed with kvfree()
 * @lenp: receives its length
 *
 * The guest's configuration is its CRYCB: the mdev's view, whose queues
 * are all bound to vfio_ap.
 *
 * Context: takes vfio_ap_lock.
 * Return: 0, -ENODEV without a guest, -ENOMEM.
 */
int vfio_ap_mig_describe(struct vfio_ap_mdev *mdev, u8 **bufp, size_t *lenp)
{
	struct ap_mig_queue mq;
	unsigned int apid, apqi, i = 0;
	size_t len;
	u8 *buf;

	guard(mutex)(&vfio_ap_lock);
	if (!mdev->guest)
		return -ENODEV;
	len = ap_mig_size(ap_matrix_apqn_count(&mdev->view));
	buf = kvmalloc(len, GFP_KERNEL_ACCOUNT);
	if (!buf)
		return -ENOMEM;
	ap_mig_encode_begin(&mdev->view, buf, len);
	ap_matrix_for_each_apid(apid, &mdev->view)
		ap_matrix_for_each_apqi(apqi, &mdev->view) {
			vfio_ap_mig_queue_locked(mdev, ap_apqn(apid, apqi), &mq);
			ap_mig_encode_queue(buf, i++, &mq);
		}
	*bufp = buf;
	*lenp = len;
	trace_vfio_ap_mig_stream(mdev->name, false, i, len, 0);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vfio_ap_mig_describe);

/* Log a refusal that names the ids of @m, mask by mask, ranges as "1-3". */
static void vfio_ap_mig_warn_ids(struct vfio_ap_mdev *mdev, const char *what,
				 const struct ap_matrix *m)
{
	static const char * const names[] = {
		"adapters", "usage domains", "control domains",
	};
	const unsigned long *masks[] = { m->apm, m->aqm, m->adm };
	char buf[256];
	size_t n = 0;
	unsigned int i;

	buf[0] = 0;
	for (i = 0; i < ARRAY_SIZE(masks); i++)
		if (!bitmap_empty(masks[i], AP_IDS))
			n += scnprintf(buf + n, sizeof(buf) - n, "%s%s %*pbl",
				       n ? "; " : "", names[i], AP_IDS,
				       masks[i]);
	dev_warn(mdev->vdev.dev, "migration refused: %s: %s\n", what, buf);
}

/*
 * The administrator decides what an mdev has: a stream may name only
 * adapters, usage domains and control domains assigned to it already.
 */
static int vfio_ap_mig_check_assigned_locked(struct vfio_ap_mdev *mdev,
					     const struct ap_matrix *cfg)
{
	struct ap_matrix out;

	lockdep_assert_held(&vfio_ap_lock);
	if (!ap_matrix_outside(cfg, &mdev->assigned, &out))
		return 0;
	vfio_ap_mig_warn_ids(mdev, "the guest has what this mdev is not assigned",
			     &out);
	return -EPERM;
}

/* Does the queue exist here, bound to vfio_ap? */
static int vfio_ap_mig_check_exists(struct vfio_ap_mdev *mdev, apqn_t apqn,
				    const char *name)
{
	if (!ap_matrix_has_apqn(&vfio_ap_host, ap_apqn_apid(apqn),
				ap_apqn_apqi(apqn))) {
		dev_warn(mdev->vdev.dev, "migration refused: queue %s is not in this host's configuration\n",
			 name);
		return -ENODEV;
	}
	if (!xa_load(&vfio_ap_queues, apqn)) {
		dev_warn(mdev->vdev.dev, "migration refused: queue %s is not bound to vfio_ap on this host\n",
			 name);
		return -ENODEV;
	}
	return 0;
}

/* The queue here is what the guest had: type, mode, facilities. */
static int vfio_ap_mig_check_kind(struct vfio_ap_mdev *mdev,
				  const struct ap_mig_queue *mq,
				  const char *name)
{
	struct vfio_ap_queue *vq = xa_load(&vfio_ap_queues, mq->apqn);
	u32 functions;
	u8 type;

	vfio_ap_mig_tapq(mq->apqn, vq->q->card, &type, &functions);
	if (type < mq->type) {
		dev_warn(mdev->vdev.dev, "migration refused: queue %s is of AP type %u here, older than the guest's %u\n",
			 name, type, mq->type);
		return -EINVAL;
	}
	if ((functions ^ mq->functions) & AP_HW_FUNC_MODES) {
		dev_warn(mdev->vdev.dev, "migration refused: queue %s is in another mode here (facilities 0x%08x, the guest's 0x%08x)\n",
			 name, functions, mq->functions);
		return -EINVAL;
	}
	if (functions != mq->functions) {
		dev_warn(mdev->vdev.dev, "migration refused: queue %s has other facility bits here (0x%08x, the guest's 0x%08x)\n",
			 name, functions, mq->functions);
		return -EINVAL;
	}
	return 0;
}

/*
 * The domain's master key here, where both machines report one, has the
 * pattern the guest's had: secure keys made under one master key are
 * useless under another.
 */
static int vfio_ap_mig_check_key(struct vfio_ap_mdev *mdev,
				 const struct ap_mig_queue *mq,
				 const char *name)
{
	struct ap_hw_fw_info info;

	if (!mq->mkvp_set || ap_hw_fw_query(mq->apqn, &info))
		return 0;
	if (info.key_set && !memcmp(info.mkvp, mq->mkvp, AP_MIG_MKVP_LEN))
		return 0;
	dev_warn(mdev->vdev.dev, "migration refused: the master key of domain %s %s\n",
		 name, info.key_set ? "differs here from the guest's" :
		 "is not set here");
	return -EKEYREJECTED;
}

/* Adapters and usage domains without queues in the stream exist here too. */
static int vfio_ap_mig_check_ids_locked(struct vfio_ap_mdev *mdev,
					const struct ap_matrix *cfg)
{
	struct ap_matrix out;

	lockdep_assert_held(&vfio_ap_lock);
	if (!ap_matrix_outside(cfg, &vfio_ap_host, &out))
		return 0;
	vfio_ap_mig_warn_ids(mdev, "not in this host's configuration", &out);
	return -ENODEV;
}

/* Every check of the stream against this host, first failure first. */
static int vfio_ap_mig_check_host_locked(struct vfio_ap_mdev *mdev,
					 const u8 *buf,
					 const struct ap_matrix *cfg,
					 unsigned int n)
{
	char name[AP_APQN_NAME_LEN + 1];
	struct ap_mig_queue mq;
	unsigned int i, dom;
	int rc;

	lockdep_assert_held(&vfio_ap_lock);
	for_each_set_bit(dom, cfg->adm, AP_IDS)
		if (!test_bit(dom, vfio_ap_host.adm)) {
			dev_warn(mdev->vdev.dev, "migration refused: control domain %u is not in this host's configuration\n",
				 dom);
			return -ENODEV;
		}
	for (i = 0; i < n; i++) {
		ap_mig_queue_get(buf, i, &mq);
		ap_apqn_name(mq.apqn, name);
		rc = vfio_ap_mig_check_exists(mdev, mq.apqn, name);
		if (!rc)
			rc = vfio_ap_mig_check_kind(mdev, &mq, name);
		if (!rc)
			rc = vfio_ap_mig_check_key(mdev, &mq, name);
		if (rc)
			return rc;
	}
	return vfio_ap_mig_check_ids_locked(mdev, cfg);
}

/*
 * A queue of the mdev's assignment, on this host, that keeps @apid's
 * adapter (@apqi < 0) or @apqi's domain (@apid < 0) out of the view: one
 * that is not bound to vfio_ap or is still being reset. Without one, -1.
 */
static int vfio_ap_mig_blocker_locked(struct vfio_ap_mdev *mdev, int apid,
				      int apqi)
{
	unsigned int id;

	for_each_set_bit(id, apid >= 0 ? mdev->assigned.aqm : mdev->assigned.apm,
			 AP_IDS) {
		unsigned int a = apid >= 0 ? apid : id;
		unsigned int q = apid >= 0 ? id : apqi;

		if (ap_matrix_has_apqn(&vfio_ap_host, a, q) &&
		    !vfio_ap_usable(mdev, a, q))
			return ap_apqn(a, q);
	}
	return -1;
}

/* Why the view lacks part of the stream's: a queue that blocks it. */
static int vfio_ap_mig_why_not_locked(struct vfio_ap_mdev *mdev,
				      const struct ap_matrix *missing)
{
	char name[AP_APQN_NAME_LEN + 1];
	struct vfio_ap_queue *vq;
	unsigned int id;
	int apqn = -1;

	for_each_set_bit(id, missing->apm, AP_IDS)
		if (apqn < 0)
			apqn = vfio_ap_mig_blocker_locked(mdev, id, -1);
	for_each_set_bit(id, missing->aqm, AP_IDS)
		if (apqn < 0)
			apqn = vfio_ap_mig_blocker_locked(mdev, -1, id);
	vq = apqn < 0 ? NULL : xa_load(&vfio_ap_queues, apqn);
	if (apqn >= 0 && !vq) {
		dev_warn(mdev->vdev.dev, "migration refused: queue %s, assigned to this mdev, is not bound to vfio_ap here and keeps the guest's queues of its adapter or domain out of its view\n",
			 ap_apqn_name(apqn, name));
		return -ENODEV;
	}
	if (vq)
		dev_warn(mdev->vdev.dev, "migration refused: queue %s, assigned to this mdev, is still being reset here\n",
			 ap_apqn_name(apqn, name));
	else
		dev_warn(mdev->vdev.dev, "migration refused: the guest's queues are not in its view here yet\n");
	return -EBUSY;
}

/*
 * The view this host gives the guest, computed from the mdev's
 * assignment as always, holds the stream's; it may hold more.
 */
static int vfio_ap_mig_check_view_locked(struct vfio_ap_mdev *mdev,
					 const struct ap_matrix *cfg)
{
	struct ap_matrix missing;

	lockdep_assert_held(&vfio_ap_lock);
	if (!ap_matrix_outside(cfg, &mdev->view, &missing))
		return 0;
	return vfio_ap_mig_why_not_locked(mdev, &missing);
}

/* The guest's interrupts, as it had them: 0 or the errno of a refusal. */
static int vfio_ap_mig_irqs_locked(struct vfio_ap_mdev *mdev, const u8 *buf,
				   unsigned int n)
{
	char name[AP_APQN_NAME_LEN + 1];
	struct ap_mig_queue mq;
	struct ap_hw_status st;
	unsigned int i;

	for (i = 0; i < n; i++) {
		ap_mig_queue_get(buf, i, &mq);
		if (!mq.irq)
			continue;
		st = vfio_ap_irq_restore_locked(mdev, mq.apqn, mq.isc, mq.nib);
		if (st.rc == AP_HW_RC_NORMAL)
			continue;
		dev_warn(mdev->vdev.dev, "migration refused: the interrupts of queue %s (notification byte at 0x%llx) cannot be enabled here: response code 0x%02x\n",
			 ap_apqn_name(mq.apqn, name), mq.nib, st.rc);
		return st.rc == AP_HW_RC_INVALID_ADDRESS ? -EFAULT : -EIO;
	}
	return 0;
}

/* Every check of the destination, first failure first. */
static int vfio_ap_mig_check_locked(struct vfio_ap_mdev *mdev, const u8 *buf,
				    const struct ap_matrix *cfg, unsigned int n)
{
	int rc;

	lockdep_assert_held(&vfio_ap_lock);
	if (!mdev->guest)
		return -ENODEV;
	rc = vfio_ap_mig_check_assigned_locked(mdev, cfg);
	if (rc)
		return rc;
	if (!xa_empty(&mdev->irqs)) {
		dev_warn(mdev->vdev.dev, "migration refused: the guest here has enabled interrupts already; a device takes a stream before its guest runs\n");
		return -EBUSY;
	}
	rc = vfio_ap_mig_check_host_locked(mdev, buf, cfg, n);
	if (!rc)
		rc = vfio_ap_mig_check_view_locked(mdev, cfg);
	return rc;
}

/**
 * vfio_ap_mig_resume() - the destination takes a whole stream, or not
 * @mdev: the mdev
 * @buf: the stream
 * @len: its length
 * @grown: set if the guest's view here holds more than the stream's
 *
 * The stream never changes what the mdev is assigned: it must name only
 * what the administrator assigned to the mdev, and the guest's view here
 * is what that assignment yields, as always. It must hold the stream's;
 * if it holds more, the guest finds the rest as a hot plug once it runs
 * (migration.c signals the configuration change at RUNNING). Accepted,
 * every queue whose interrupts the guest had enabled has them again;
 * refused, nothing changed.
 *
 * Context: takes vfio_ap_lock.
 * Return: 0; -EINVAL for a stream that is not well-formed, a queue of an
 * older type or of another mode or facilities; -EPERM for an adapter,
 * usage domain or control domain not assigned to the mdev; -ENODEV
 * without a guest, for a queue, adapter, domain or control domain this
 * host does not have, a queue not bound to vfio_ap, or an assigned
 * queue not bound that keeps the stream's out of the view;
 * -EKEYREJECTED for another master key; -EFAULT for a notification byte
 * the guest's RAM does not map here; -EBUSY if the guest here has
 * interrupts enabled already or a queue is still being reset; -EIO. The
 * log says why.
 */
int vfio_ap_mig_resume(struct vfio_ap_mdev *mdev, const u8 *buf, size_t len,
		       bool *grown)
{
	struct ap_matrix cfg, none;
	const char *why;
	unsigned int n;
	int rc;

	rc = ap_mig_decode(buf, len, &cfg, &n, &why);
	if (rc) {
		dev_warn(mdev->vdev.dev, "migration refused: %s\n", why);
		trace_vfio_ap_mig_stream(mdev->name, true, 0, len, rc);
		return rc;
	}
	ap_matrix_clear(&none);
	scoped_guard(mutex, &vfio_ap_lock) {
		rc = vfio_ap_mig_check_locked(mdev, buf, &cfg, n);
		if (!rc) {
			rc = vfio_ap_mig_irqs_locked(mdev, buf, n);
			/* The guest held none before: release what was enabled. */
			if (rc)
				vfio_ap_irq_left_locked(mdev, &none);
		}
		*grown = !rc && !ap_matrix_equal(&mdev->view, &cfg);
	}
	if (!rc)
		dev_info(mdev->vdev.dev, "migration: the guest's %u queues are here%s\n",
			 n, *grown ? ", and more: the guest finds them once it runs" : "");
	trace_vfio_ap_mig_stream(mdev->name, true, n, len, rc);
	return rc;
}
EXPORT_SYMBOL_IF_KUNIT(vfio_ap_mig_resume);
