// SPDX-License-Identifier: GPL-2.0
/*
 * Guest interrupts of the simulated AP facility, as IBM Z delivers them.
 *
 * Under SIE the machine interprets a guest's AP instructions, all but
 * PQAP(AQIC): that one it intercepts to the hypervisor (KVM calls the
 * pqap_hook the passthrough driver registered; without one the guest
 * gets "queue not available"). The hypervisor's handler validates and
 * pins the guest's notification byte, registers the guest's
 * interruption subclass (ISC) in the guest's GISA, and issues a host
 * AQIC that names the byte's host page, the GISA and the guest ISC.
 * From then on, each time a reply becomes pending on the queue, the
 * machine sets the notification byte and makes the guest ISC pending in
 * the GISA; the guest takes the interrupt (its TPI here) and dequeues.
 * A reset (RAPQ, ZAPQ) or a host AQIC that disables the interrupts
 * forgets the target.
 *
 * The machine judges this boundary too: writing a notification byte in
 * a page that nobody holds pinned (the hypervisor unpinned it while the
 * interrupts were still enabled), or dropping a GISA registration that
 * was never made, is a violation, recorded like the isolation ones.
 *
 * ap_sim_hook_rwsem protects each context's @hook pointer together with
 * ap_sim_lock: a guest's AQIC reads it with the rwsem held for reading
 * and calls the hook under it, outside ap_sim_lock (the hook sleeps and
 * comes back into the machine); setting or clearing it takes the rwsem
 * for writing, so that no call runs on a hook once it is cleared. The
 * rwsem nests outside every lock a hook takes, as KVM's
 * pqap_hook_rwsem does.
 */

#define pr_fmt(fmt) "ap_sim: " fmt

#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include "internal.h"

DECLARE_RWSEM(ap_sim_hook_rwsem);

/*
 * ap_sim_irq_target_locked() - the first queue from *@apqn on whose
 * interrupts go to context @id (a target is only set while they are
 * enabled), with *@apqn moved to it; NULL when there is none.
 */
static struct ap_sim_queue *ap_sim_irq_target_locked(unsigned int id,
						     unsigned int *apqn)
{
	struct ap_sim_adapter *a;
	struct ap_sim_queue *q;

	lockdep_assert_held(&ap_sim_lock);
	for (; *apqn < AP_IDS * AP_IDS; (*apqn)++) {
		a = ap_sim_adapters[ap_apqn_apid(*apqn)];
		if (!a) {
			*apqn |= AP_IDS - 1;	/* on to the next adapter */
			continue;
		}
		q = &a->queues[ap_apqn_apqi(*apqn)];
		if (q->nib_page && q->irq_guest == id)
			return q;
	}
	return NULL;
}

/**
 * ap_sim_guest_set_hook() - register the hypervisor's AQIC handler
 * @hw: the guest's context
 * @hook: the handler, or NULL to remove it
 *
 * Context: process context; waits for the calls running on the old one.
 */
void ap_sim_guest_set_hook(struct ap_hw_guest *hw, struct ap_hw_aqic_hook *hook)
{
	down_write(&ap_sim_hook_rwsem);
	spin_lock(&ap_sim_lock);
	ap_sim_to_guest(hw)->hook = hook;
	spin_unlock(&ap_sim_lock);
	up_write(&ap_sim_hook_rwsem);
}

/**
 * ap_sim_guest_gisc_register() - register a guest ISC in the GISA
 * @hw: the guest's context
 * @gisc: the guest's interruption subclass
 *
 * Context: any context; takes ap_sim_lock.
 * Return: the host's alert subclass, or -ERANGE above 7 (as KVM).
 */
int ap_sim_guest_gisc_register(struct ap_hw_guest *hw, u8 gisc)
{
	if (gisc >= AP_HW_ISCS)
		return -ERANGE;
	spin_lock(&ap_sim_lock);
	ap_sim_to_guest(hw)->gisc_refs[gisc]++;
	spin_unlock(&ap_sim_lock);
	return AP_SIM_ALERT_ISC;
}

/**
 * ap_sim_guest_gisc_unregister() - drop a registration of a guest ISC
 * @hw: the guest's context
 * @gisc: the subclass
 *
 * One more unregistration than registrations is a violation.
 *
 * Context: any context; takes ap_sim_lock.
 * Return: 0, -ERANGE above 7, or -EINVAL if it was not registered.
 */
int ap_sim_guest_gisc_unregister(struct ap_hw_guest *hw, u8 gisc)
{
	struct ap_sim_guest *g = ap_sim_to_guest(hw);
	int rc = 0;

	if (gisc >= AP_HW_ISCS)
		return -ERANGE;
	spin_lock(&ap_sim_lock);
	if (g->gisc_refs[gisc]) {
		g->gisc_refs[gisc]--;
	} else {
		ap_sim_violation_locked("GISA of guest %u: ISC %u unregistered but not registered",
					g->hw.id, gisc);
		rc = -EINVAL;
	}
	spin_unlock(&ap_sim_lock);
	return rc;
}

/**
 * ap_sim_guest_aqic() - host AQIC for a queue a guest has
 * @apqn: the queue
 * @t: the interrupt target, or NULL to disable the interrupts
 *
 * Context: any context; takes ap_sim_lock.
 * Return: the status word.
 */
struct ap_hw_status ap_sim_guest_aqic(apqn_t apqn,
				      const struct ap_hw_irq_target *t)
{
	struct ap_sim_queue *q;
	struct ap_hw_status st;

	spin_lock(&ap_sim_lock);
	/*
	 * Issued by the hypervisor for the guest whose GISA it names: not the
	 * host reaching what that guest stored in the queue.
	 */
	st = ap_sim_aqic_locked(t ? t->guest->id : AP_SIM_HOST, apqn, !!t,
				t ? t->nisc : 0);
	q = ap_sim_queue_locked(apqn);
	if (t && q && st.rc == AP_HW_RC_NORMAL) {
		q->irq_guest = t->guest->id;
		q->irq_gisc = t->gisc;
		q->nib_page = t->page;
		q->nib_offset = t->offset;
		if (ap_sim_replies_waiting(q))
			ap_sim_post_irq_locked(apqn, q);
	}
	spin_unlock(&ap_sim_lock);
	return st;
}

/**
 * ap_sim_post_irq_locked() - a reply became pending: interrupt its guest
 * @apqn: the queue
 * @q: its state
 *
 * Sets the notification byte to 1 through the page the host named and
 * makes the guest ISC pending in the guest's GISA. The machine writes
 * only into a page that is pinned; any other write is a violation and
 * is not made. A queue whose interrupts the host enabled for itself
 * interrupts the host (ap_hw_host_irq()).
 *
 * Context: ap_sim_lock held.
 */
void ap_sim_post_irq_locked(apqn_t apqn, struct ap_sim_queue *q)
{
	char name[AP_APQN_NAME_LEN + 1];
	struct ap_sim_guest *g;
	u8 *nib;

	lockdep_assert_held(&ap_sim_lock);
	if (q->irq && !q->nib_page && q->irq_guest == AP_SIM_HOST)
		ap_hw_host_irq();
	if (!q->irq || !q->nib_page)
		return;
	if (!folio_maybe_dma_pinned(page_folio(q->nib_page))) {
		ap_sim_violation_locked("%s: notification byte of guest %u in a page not pinned",
					ap_apqn_name(apqn, name), q->irq_guest);
		return;
	}
	nib = kmap_local_page(q->nib_page);
	WRITE_ONCE(nib[q->nib_offset], 1);
	kunmap_local(nib);
	g = ap_sim_guest_find_locked(q->irq_guest);
	if (g)
		g->ipm |= 0x80 >> q->irq_gisc;
}

/**
 * ap_sim_guest_intercept_aqic() - a guest issues PQAP(AQIC)
 * @id: the guest's context
 * @apqn: the queue it names
 * @req: what it asks
 * @st: receives the status word the guest gets
 *
 * The machine intercepts the instruction to the hook registered for the
 * context; without one the guest gets "queue not available", as KVM
 * answers when no driver registered a hook.
 *
 * Context: process context; the hook may sleep.
 * Return: 0, or -ENOENT if @id names no live context.
 */
int ap_sim_guest_intercept_aqic(unsigned int id, apqn_t apqn,
				const struct ap_hw_aqic_req *req,
				struct ap_hw_status *st)
{
	struct ap_hw_aqic_hook *hook = NULL;
	struct ap_sim_guest *g;

	memset(st, 0, sizeof(*st));
	st->rc = AP_HW_RC_Q_NOT_AVAIL;
	down_read(&ap_sim_hook_rwsem);
	spin_lock(&ap_sim_lock);
	g = ap_sim_guest_find_locked(id);
	if (g)
		hook = g->hook;
	spin_unlock(&ap_sim_lock);
	if (hook)
		*st = hook->fn(hook, apqn, req);
	up_read(&ap_sim_hook_rwsem);
	return g ? 0 : -ENOENT;
}

/**
 * ap_sim_guest_tpi_locked() - the guest takes its pending interrupts
 * @g: the guest's context
 *
 * Context: ap_sim_lock held.
 * Return: the GISA's interruption-pending mask before it was cleared.
 */
u8 ap_sim_guest_tpi_locked(struct ap_sim_guest *g)
{
	u8 ipm = g->ipm;

	lockdep_assert_held(&ap_sim_lock);
	g->ipm = 0;
	return ipm;
}

/**
 * ap_sim_show_guest_irqs_locked() - a context's GISA and the queues whose
 * interrupts go to it, for the guests file
 * @s: the seq_file
 * @g: the context
 *
 * Context: ap_sim_lock held.
 */
void ap_sim_show_guest_irqs_locked(struct seq_file *s,
				   const struct ap_sim_guest *g)
{
	struct ap_sim_queue *q;
	unsigned int apqn, isc;

	lockdep_assert_held(&ap_sim_lock);
	seq_printf(s, "  gisa ipm 0x%02x iscs", g->ipm);
	for (isc = 0; isc < AP_HW_ISCS; isc++)
		seq_printf(s, " %u", g->gisc_refs[isc]);
	seq_putc(s, '\n');
	for (apqn = 0; (q = ap_sim_irq_target_locked(g->hw.id, &apqn)); apqn++)
		seq_printf(s, "  irq %02x.%04x isc %u nib %lx+%u\n",
			   ap_apqn_apid(apqn), ap_apqn_apqi(apqn), q->irq_gisc,
			   page_to_pfn(q->nib_page), q->nib_offset);
}

/**
 * ap_sim_judge_guest_gone_locked() - a context is destroyed: did its
 * hypervisor leave anything behind?
 * @g: the context
 *
 * A hook still registered, an ISC still registered in its GISA, or a
 * queue whose interrupts still go to it is a violation; the queue's
 * interrupts are disabled, as tearing down the GISA would leave them
 * nowhere to go.
 *
 * Context: ap_sim_lock held.
 */
void ap_sim_judge_guest_gone_locked(const struct ap_sim_guest *g)
{
	char name[AP_APQN_NAME_LEN + 1];
	struct ap_sim_queue *q;
	unsigned int apqn, isc;

	lockdep_assert_held(&ap_sim_lock);
	if (g->hook)
		ap_sim_violation_locked("guest %u destroyed with its AQIC hook registered",
					g->hw.id);
	for (isc = 0; isc < AP_HW_ISCS; isc++)
		if (g->gisc_refs[isc])
			ap_sim_violation_locked("GISA of guest %u destroyed with ISC %u registered",
						g->hw.id, isc);
	for (apqn = 0; (q = ap_sim_irq_target_locked(g->hw.id, &apqn)); apqn++) {
		ap_apqn_name(apqn, name);
		ap_sim_violation_locked("%s: interrupts enabled for destroyed guest %u",
					name, g->hw.id);
		ap_sim_irq_clear(q);
	}
}
