// SPDX-License-Identifier: GPL-2.0
/*
 * Guest interrupts: vfio_ap's handler of a guest's PQAP(AQIC).
 *
 * The machine interprets a guest's AP instructions against its CRYCB,
 * but it intercepts PQAP(AQIC) to the hypervisor, which calls the hook
 * vfio_ap registers for the guest's context while the device is open
 * (on IBM Z, kvm->arch.crypto.pqap_hook). For a queue in the guest's
 * view, enabling interrupts
 *
 * - pins the page of the guest's notification byte (the guest address
 *   in GR2 is an IOVA of the guest's RAM, mapped through the device's
 *   IOAS or container) with vfio_pin_pages(), read and write,
 * - registers the guest's ISC in the guest's GISA,
 * - issues the host AQIC naming the pinned page, the GISA and the ISC,
 *
 * and answers the guest with the host AQIC's status. The guest gets
 * 0x06 (invalid address) for a byte at address 0, one its RAM does not
 * map, a pin or a registration that fails; each undoes what was done.
 * A 0x07 of the host AQIC (otherwise changed) undoes the new setting and
 * keeps the old one; another error disables the queue's interrupts.
 * Disabling (IR 0) issues the host AQIC and releases everything.
 *
 * What an enabled queue holds (a pinned page, an ISC registration) is
 * released on every path that ends the guest's use of the queue: the
 * guest's disable, VFIO_DEVICE_RESET, close, every hot unplug (anything
 * that takes the queue out of the guest's view, update_locked), mdev
 * removal, and the guest unmapping the range that holds the byte
 * (dma_unmap). The host AQIC that disables the interrupts always comes
 * before the unpin (on a hot unplug, a reset, also the reset of the
 * queue, which disables them too), so the machine never writes into a
 * page it no longer holds.
 *
 * Locks: the hook runs under the machine's hook lock taken for reading
 * (KVM's pqap_hook_rwsem, the simulator's ap_sim_hook_rwsem) and takes
 * vfio_ap_lock; so the hook is set and cleared (the lock taken for
 * writing) outside vfio_ap_lock. Every field here is under vfio_ap_lock.
 */

#define pr_fmt(fmt) "vfio_ap: " fmt

#include <linux/delay.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <trace/events/vfio_ap.h>
#include "private.h"

/* How often a disable is asked of a queue that answers busy. */
#define VFIO_AP_IRQ_TRIES	5

/**
 * struct vfio_ap_irq - a queue whose interrupts a guest enabled
 * @iova: the guest address of the notification byte's page
 * @nib: the guest address of the notification byte
 * @page: that page, pinned
 * @gisc: the guest ISC registered in the GISA
 */
struct vfio_ap_irq {
	u64 iova;
	u64 nib;
	struct page *page;
	u8 gisc;
};

static const struct ap_hw_status vfio_ap_irq_invalid = {
	.rc = AP_HW_RC_INVALID_ADDRESS,
};

static const struct ap_hw_status vfio_ap_irq_not_avail = {
	.rc = AP_HW_RC_Q_NOT_AVAIL,
};

/* Undo what enabling took: the ISC registration and the pin. */
static void vfio_ap_irq_put_locked(struct vfio_ap_mdev *mdev,
				   struct vfio_ap_irq *irq)
{
	lockdep_assert_held(&vfio_ap_lock);
	if (!ap_hw_guest_gisc_unregister(mdev->guest, irq->gisc))
		mdev->iscs--;
	vfio_unpin_pages(&mdev->vdev, irq->iova, 1);
	mdev->pinned--;
	kfree(irq);
}

/*
 * The host AQIC that disables @apqn's interrupts; a queue that is busy or
 * being reset is asked again (VFIO_AP_IRQ_TRIES times, 20 ms apart), as
 * upstream's driver does. Any other answer is final: the queue is gone
 * or not operational, and no longer signals.
 */
static struct ap_hw_status vfio_ap_irq_disable_locked(struct vfio_ap_mdev *mdev,
						      apqn_t apqn)
{
	struct ap_hw_status st;
	unsigned int tries = VFIO_AP_IRQ_TRIES;

	lockdep_assert_held(&vfio_ap_lock);
	for (;;) {
		st = ap_hw_guest_aqic(mdev->guest, apqn, NULL);
		if ((st.rc != AP_HW_RC_BUSY &&
		     st.rc != AP_HW_RC_RESET_IN_PROGRESS) || !--tries)
			return st;
		msleep(20);
	}
}

/*
 * vfio_ap_irq_free_locked() - disable a queue's interrupts and release
 * what they held; nothing more if the guest did not enable them.
 */
static struct ap_hw_status vfio_ap_irq_free_locked(struct vfio_ap_mdev *mdev,
						   apqn_t apqn)
{
	struct vfio_ap_irq *irq = xa_erase(&mdev->irqs, apqn);
	struct ap_hw_status st;

	lockdep_assert_held(&vfio_ap_lock);
	st = vfio_ap_irq_disable_locked(mdev, apqn);
	if (irq)
		vfio_ap_irq_put_locked(mdev, irq);
	return st;
}

/* Pin the byte's page and register the ISC: a new vfio_ap_irq, or NULL. */
static struct vfio_ap_irq *vfio_ap_irq_get_locked(struct vfio_ap_mdev *mdev,
						  const struct ap_hw_aqic_req *req,
						  int *nisc)
{
	struct vfio_ap_irq *irq;

	lockdep_assert_held(&vfio_ap_lock);
	if (!req->nib)
		return NULL;
	irq = kzalloc(sizeof(*irq), GFP_KERNEL);
	if (!irq)
		return NULL;
	irq->iova = req->nib & PAGE_MASK;
	irq->nib = req->nib;
	irq->gisc = req->isc;
	if (vfio_pin_pages(&mdev->vdev, irq->iova, 1, IOMMU_READ | IOMMU_WRITE,
			   &irq->page) != 1)
		goto err_free;
	mdev->pinned++;
	*nisc = ap_hw_guest_gisc_register(mdev->guest, req->isc);
	if (*nisc < 0)
		goto err_unpin;
	mdev->iscs++;
	return irq;

err_unpin:
	vfio_unpin_pages(&mdev->vdev, irq->iova, 1);
	mdev->pinned--;
err_free:
	kfree(irq);
	return NULL;
}

/*
 * The guest enables @apqn's interrupts. The slot for the queue is
 * reserved first, so that once the host AQIC succeeded nothing can fail.
 */
static struct ap_hw_status vfio_ap_irq_enable_locked(struct vfio_ap_mdev *mdev,
						     apqn_t apqn,
						     const struct ap_hw_aqic_req *req)
{
	struct ap_hw_irq_target t = { .guest = mdev->guest, .gisc = req->isc };
	struct vfio_ap_irq *irq, *old;
	struct ap_hw_status st;
	int nisc;

	if (xa_reserve(&mdev->irqs, apqn, GFP_KERNEL))
		return vfio_ap_irq_invalid;
	irq = vfio_ap_irq_get_locked(mdev, req, &nisc);
	if (!irq) {
		xa_release(&mdev->irqs, apqn);
		return vfio_ap_irq_invalid;
	}
	t.nisc = nisc;
	t.page = irq->page;
	t.offset = offset_in_page(req->nib);
	st = ap_hw_guest_aqic(mdev->guest, apqn, &t);
	if (st.rc == AP_HW_RC_NORMAL) {
		old = xa_store(&mdev->irqs, apqn, irq, GFP_KERNEL);
		if (old)
			vfio_ap_irq_put_locked(mdev, old);
		return st;
	}
	vfio_ap_irq_put_locked(mdev, irq);
	xa_release(&mdev->irqs, apqn);
	if (st.rc != AP_HW_RC_OTHERWISE_CHANGED)
		vfio_ap_irq_free_locked(mdev, apqn);
	return st;
}

static struct ap_hw_status vfio_ap_irq_hook(struct ap_hw_aqic_hook *hook,
					    apqn_t apqn,
					    const struct ap_hw_aqic_req *req)
{
	struct vfio_ap_mdev *mdev = container_of(hook, struct vfio_ap_mdev,
						 aqic_hook);
	struct ap_hw_status st;

	guard(mutex)(&vfio_ap_lock);
	if (!mdev->guest ||
	    !ap_matrix_has_apqn(&mdev->view, ap_apqn_apid(apqn),
				ap_apqn_apqi(apqn)))
		st = vfio_ap_irq_not_avail;
	else if (req->enable)
		st = vfio_ap_irq_enable_locked(mdev, apqn, req);
	else
		st = vfio_ap_irq_free_locked(mdev, apqn);
	trace_vfio_ap_aqic(mdev->name, apqn, req->enable, req->isc, st.rc);
	return st;
}

/**
 * vfio_ap_irq_state_locked() - the interrupt state the guest set for a queue
 * @mdev: the mdev
 * @apqn: the queue
 * @isc: receives the guest's ISC, if enabled
 * @nib: receives the guest address of its notification byte, if enabled
 *
 * Context: vfio_ap_lock held.
 * Return: true if the guest enabled the queue's interrupts.
 */
bool vfio_ap_irq_state_locked(struct vfio_ap_mdev *mdev, apqn_t apqn,
			      u8 *isc, u64 *nib)
{
	struct vfio_ap_irq *irq = xa_load(&mdev->irqs, apqn);

	lockdep_assert_held(&vfio_ap_lock);
	if (!irq)
		return false;
	*isc = irq->gisc;
	*nib = irq->nib;
	return true;
}

/**
 * vfio_ap_irq_restore_locked() - enable a queue's interrupts as the guest
 * had them on the host it comes from
 * @mdev: the mdev, with a guest attached and the queue in its view
 * @apqn: the queue
 * @isc: the guest's ISC
 * @nib: the guest address of its notification byte
 *
 * The same as the guest's own PQAP(AQIC) enabling them.
 *
 * Context: vfio_ap_lock held.
 * Return: the status word the guest would have got.
 */
struct ap_hw_status vfio_ap_irq_restore_locked(struct vfio_ap_mdev *mdev,
					       apqn_t apqn, u8 isc, u64 nib)
{
	struct ap_hw_aqic_req req = { .enable = true, .isc = isc, .nib = nib };

	lockdep_assert_held(&vfio_ap_lock);
	return vfio_ap_irq_enable_locked(mdev, apqn, &req);
}

/**
 * vfio_ap_irq_start() - handle the guest's AQIC from now on
 * @mdev: the mdev, with a guest attached
 *
 * Context: process context, vfio_ap_lock not held.
 */
void vfio_ap_irq_start(struct vfio_ap_mdev *mdev)
{
	mdev->aqic_hook.fn = vfio_ap_irq_hook;
	if (ap_hw_guest_set_hook(mdev->guest, &mdev->aqic_hook))
		dev_info(mdev->vdev.dev, "the machine does not intercept AQIC: the guest's queues have no interrupts\n");
}

/**
 * vfio_ap_irq_stop() - stop handling the guest's AQIC
 * @mdev: the mdev; nothing to do without a guest
 *
 * Returns when no call of the hook runs any more. Only the device's
 * open and close attach and detach a guest, and the VFIO core
 * serialises them, so the guest read here stays until the close ends.
 *
 * Context: process context, vfio_ap_lock not held.
 */
void vfio_ap_irq_stop(struct vfio_ap_mdev *mdev)
{
	struct ap_hw_guest *guest;

	scoped_guard(mutex, &vfio_ap_lock)
		guest = mdev->guest;
	if (guest)
		ap_hw_guest_set_hook(guest, NULL);
}

/**
 * vfio_ap_irq_left_locked() - release the interrupts of the queues that
 * are not in a view (any more)
 * @mdev: the mdev
 * @view: what the guest keeps; an empty matrix releases every queue's
 *
 * Context: vfio_ap_lock held.
 */
void vfio_ap_irq_left_locked(struct vfio_ap_mdev *mdev,
			     const struct ap_matrix *view)
{
	struct vfio_ap_irq *irq;
	unsigned long apqn;

	lockdep_assert_held(&vfio_ap_lock);
	xa_for_each(&mdev->irqs, apqn, irq)
		if (!ap_matrix_has_apqn(view, ap_apqn_apid(apqn),
					ap_apqn_apqi(apqn)))
			vfio_ap_irq_free_locked(mdev, apqn);
}

/**
 * vfio_ap_irq_dma_unmap() - the guest unmaps part of its RAM
 * @mdev: the mdev
 * @iova: start of the range
 * @length: its length
 *
 * Every queue whose notification byte is in the range has its
 * interrupts disabled and its page unpinned.
 *
 * Context: process context; takes vfio_ap_lock.
 */
void vfio_ap_irq_dma_unmap(struct vfio_ap_mdev *mdev, u64 iova, u64 length)
{
	struct vfio_ap_irq *irq;
	unsigned long apqn;

	guard(mutex)(&vfio_ap_lock);
	if (!mdev->guest)
		return;
	xa_for_each(&mdev->irqs, apqn, irq)
		if (irq->iova >= iova && irq->iova - iova < length)
			vfio_ap_irq_free_locked(mdev, apqn);
}

/**
 * vfio_ap_irq_show_locked() - what the guest's interrupts hold
 * @s: the seq_file of the mdev's debugfs irqs file
 * @mdev: the mdev
 *
 * Context: vfio_ap_lock held.
 */
void vfio_ap_irq_show_locked(struct seq_file *s, struct vfio_ap_mdev *mdev)
{
	char name[AP_APQN_NAME_LEN + 1];
	struct vfio_ap_irq *irq;
	unsigned long apqn;

	lockdep_assert_held(&vfio_ap_lock);
	seq_printf(s, "pinned %lu\niscs %lu\n", mdev->pinned, mdev->iscs);
	xa_for_each(&mdev->irqs, apqn, irq)
		seq_printf(s, "irq %s isc %u nib-page 0x%llx\n",
			   ap_apqn_name(apqn, name), irq->gisc, irq->iova);
}
