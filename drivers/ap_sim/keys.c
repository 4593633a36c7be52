// SPDX-License-Identifier: GPL-2.0
/*
 * The master keys of the simulated domains.
 *
 * On IBM Z a domain's master keys (CCA) or wrapping key (EP11) are
 * loaded into the adapter by the security officer, from a TKE, and stay
 * there: a queue reset and zeroize (ZAPQ) clears the queue (its requests,
 * replies and interrupt state) but not the domain's keys, which survive
 * a change of the queue's owner; only a zeroize of the domain clears them
 * (IBM's "AP domain zeroize", a command of its own). The simulator keeps
 * the key as a value per queue (an adapter's domain), set by the command
 * set-mk (the TKE's stand-in) and cleared by zeroize-domain, which also
 * resets and zeroizes the queue. The firmware's verification patterns
 * (mkvps) derive from it; the queue's secret, the stand-in for what the
 * queue's user put into it, plays no part.
 */

#include <linux/spinlock.h>
#include "internal.h"

/* The queue of an adapter the LPAR has, or NULL. */
static struct ap_sim_queue *ap_sim_keys_queue_locked(apqn_t apqn)
{
	struct ap_sim_adapter *a = ap_sim_assigned_locked(ap_apqn_apid(apqn));

	return a ? &a->queues[ap_apqn_apqi(apqn)] : NULL;
}

/**
 * ap_sim_set_mk() - the security officer loads a domain's master key
 * @apqn: the adapter and domain
 * @mk: the key, not 0
 *
 * Return: 0, -EINVAL for a key of 0, or -ENODEV if the LPAR does not
 * have the adapter.
 */
int ap_sim_set_mk(apqn_t apqn, u64 mk)
{
	struct ap_sim_queue *q;
	int ret = -ENODEV;

	if (!mk)
		return -EINVAL;
	spin_lock(&ap_sim_lock);
	q = ap_sim_keys_queue_locked(apqn);
	if (q) {
		q->mk = mk;
		ret = 0;
	}
	spin_unlock(&ap_sim_lock);
	return ret;
}

/**
 * ap_sim_zeroize_domain() - zeroize a domain of an adapter
 * @apqn: the adapter and domain
 *
 * Clears the master key and starts a reset and zeroize of the queue.
 *
 * Return: 0, or -ENODEV if the LPAR does not have the adapter.
 */
int ap_sim_zeroize_domain(apqn_t apqn)
{
	struct ap_sim_queue *q;
	int ret = -ENODEV;

	spin_lock(&ap_sim_lock);
	q = ap_sim_keys_queue_locked(apqn);
	if (q) {
		q->mk = 0;
		ap_sim_start_reset_locked(q, true);
		ret = 0;
	}
	spin_unlock(&ap_sim_lock);
	return ret;
}
