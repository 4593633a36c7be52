// SPDX-License-Identifier: GPL-2.0
/*
 * The AP instructions of the simulated facility: TAPQ, RAPQ/ZAPQ, AQIC,
 * NQAP and DQAP on the queues of the machine that sim.c keeps, and the
 * table of operations registered with the AP bus.
 *
 * Each instruction runs under ap_sim_lock, so it may be called from any
 * context; a pending injected response code is answered first. The
 * *_locked() forms are the instructions themselves; the host reaches them
 * through the operations below, a guest through its context (guest.c),
 * which first checks its CRYCB.
 *
 * A queue remembers who stored its secret. The host reaching a secret a
 * guest stored (enabling interrupts, sending or receiving a message on
 * its queue) is a violation of the guest's isolation, which the machine
 * records.
 */

#define pr_fmt(fmt) "ap_sim: " fmt

#include <linux/bitmap.h>
#include <linux/module.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <ap/type50.h>
#include "internal.h"

#define AP_SIM_MAX_MSG		(12 * 1024)
/* What the simulated EP11 firmware reports: API 4, version 7.2, FIPS2021. */
#define AP_SIM_EP11_API_ORDINAL	4
#define AP_SIM_EP11_FW_VERSION	0x0702
#define AP_SIM_EP11_OP_MODES	BIT(7)
/**
 * ap_sim_queue_locked() - a queue the LPAR may use
 * @apqn: the queue
 *
 * Context: ap_sim_lock held.
 * Return: the queue if its adapter is assigned and its domain a usage
 * domain, else NULL.
 */
struct ap_sim_queue *ap_sim_queue_locked(apqn_t apqn)
{
	struct ap_sim_adapter *a = ap_sim_adapters[ap_apqn_apid(apqn)];

	lockdep_assert_held(&ap_sim_lock);
	if (!a || !a->assigned || !test_bit(ap_apqn_apqi(apqn), ap_sim_aqm))
		return NULL;
	return &a->queues[ap_apqn_apqi(apqn)];
}

/* Consume a pending injection for @op; true if there was one. */
static bool ap_sim_injected(struct ap_sim_queue *q, enum ap_sim_op op,
			    struct ap_hw_status *st)
{
	if (q->inject[op] == AP_SIM_NO_INJECT)
		return false;
	st->rc = q->inject[op];
	q->inject[op] = AP_SIM_NO_INJECT;
	return true;
}

/*
 * ap_sim_queue_state() - the response code for an instruction on a queue
 * that exists, from the adapter's state and a running reset.
 */
static u8 ap_sim_queue_state(const struct ap_sim_adapter *a,
			     struct ap_sim_queue *q)
{
	if (a->chkstop)
		return AP_HW_RC_CHECKSTOPPED;
	if (!a->configured)
		return AP_HW_RC_DECONFIGURED;
	ap_sim_reset_progress(q);
	return q->resetting ? AP_HW_RC_RESET_IN_PROGRESS : AP_HW_RC_NORMAL;
}

/*
 * ap_sim_begin() - common start of the queue instructions: find the
 * queue, apply an injection, fill the status.
 *
 * Return: the queue if the instruction proceeds, else NULL with @st set.
 */
static struct ap_sim_queue *ap_sim_begin(apqn_t apqn, enum ap_sim_op op,
					 struct ap_hw_status *st)
{
	struct ap_sim_queue *q = ap_sim_queue_locked(apqn);

	memset(st, 0, sizeof(*st));
	if (!q) {
		st->rc = AP_HW_RC_Q_NOT_AVAIL;
		return NULL;
	}
	if (ap_sim_injected(q, op, st))
		return NULL;
	st->irq_enabled = q->irq;
	st->queue_empty = !q->nreqs;
	st->replies_waiting = ap_sim_replies_waiting(q);
	return q;
}

/*
 * ap_sim_host_reach_locked() - the host addresses a queue that answers:
 * record a violation if it holds a secret a guest stored.
 */
static void ap_sim_host_reach_locked(unsigned int issuer, apqn_t apqn,
				     const struct ap_sim_queue *q)
{
	char name[AP_APQN_NAME_LEN + 1];

	if (issuer != AP_SIM_HOST || !q->secret || q->owner == AP_SIM_HOST)
		return;
	ap_sim_violation_locked("%s: secret of guest %u reached by the host",
				ap_apqn_name(apqn, name), q->owner);
}

/**
 * ap_sim_tapq_locked() - TAPQ
 * @apqn: the queue
 * @info: receives type, facilities, depth and message size when the
 *        queue answers; left alone otherwise
 *
 * Context: ap_sim_lock held.
 * Return: the status word.
 */
struct ap_hw_status ap_sim_tapq_locked(apqn_t apqn,
				       struct ap_hw_queue_info *info)
{
	struct ap_sim_adapter *a;
	struct ap_sim_queue *q;
	struct ap_hw_status st;

	lockdep_assert_held(&ap_sim_lock);
	q = ap_sim_begin(apqn, AP_SIM_OP_TAPQ, &st);
	if (!q)
		return st;
	a = ap_sim_adapters[ap_apqn_apid(apqn)];
	st.rc = ap_sim_queue_state(a, q);
	/* Type and facilities are known even in standby or check-stop. */
	info->type = a->type;
	info->functions = a->facilities | q->mode;
	info->depth = AP_SIM_DEPTH;
	info->max_msg_size = AP_SIM_MAX_MSG;
	return st;
}

static struct ap_hw_status ap_sim_tapq(apqn_t apqn,
				       struct ap_hw_queue_info *info)
{
	struct ap_hw_status ret;

	spin_lock(&ap_sim_lock);
	ret = ap_sim_tapq_locked(apqn, info);
	spin_unlock(&ap_sim_lock);
	return ret;
}

/**
 * ap_sim_reset_locked() - RAPQ, or ZAPQ
 * @apqn: the queue
 * @zeroize: ZAPQ: the reset also clears the secret
 *
 * Context: ap_sim_lock held.
 * Return: the status word.
 */
struct ap_hw_status ap_sim_reset_locked(apqn_t apqn, bool zeroize)
{
	struct ap_sim_adapter *a;
	struct ap_sim_queue *q;
	struct ap_hw_status st;

	lockdep_assert_held(&ap_sim_lock);
	q = ap_sim_begin(apqn, AP_SIM_OP_RESET, &st);
	if (!q)
		return st;
	a = ap_sim_adapters[ap_apqn_apid(apqn)];
	st.rc = ap_sim_queue_state(a, q);
	if (st.rc == AP_HW_RC_NORMAL || st.rc == AP_HW_RC_RESET_IN_PROGRESS) {
		ap_sim_start_reset_locked(q, zeroize);
		st.rc = AP_HW_RC_NORMAL;
		st.irq_enabled = false;
		st.queue_empty = true;
		st.replies_waiting = false;
	}
	return st;
}

static struct ap_hw_status ap_sim_reset(apqn_t apqn, bool zeroize)
{
	struct ap_hw_status ret;

	spin_lock(&ap_sim_lock);
	ret = ap_sim_reset_locked(apqn, zeroize);
	spin_unlock(&ap_sim_lock);
	return ret;
}

/**
 * ap_sim_aqic_locked() - AQIC
 * @issuer: AP_SIM_HOST or the id of the issuing guest's context
 * @apqn: the queue
 * @enable: enable interrupts, or disable them
 * @isc: the interruption subclass (not simulated)
 *
 * Context: ap_sim_lock held.
 * Return: the status word.
 */
struct ap_hw_status ap_sim_aqic_locked(unsigned int issuer, apqn_t apqn,
				       bool enable, u8 isc)
{
	struct ap_sim_queue *q;
	struct ap_hw_status st;

	lockdep_assert_held(&ap_sim_lock);
	q = ap_sim_begin(apqn, AP_SIM_OP_AQIC, &st);
	if (!q)
		return st;
	if (enable)
		ap_sim_host_reach_locked(issuer, apqn, q);
	st.rc = ap_sim_queue_state(ap_sim_adapters[ap_apqn_apid(apqn)], q);
	if (st.rc == AP_HW_RC_NORMAL) {
		ap_sim_irq_clear(q);
		q->irq = enable;
		st.irq_enabled = enable;
	}
	return st;
}

static struct ap_hw_status ap_sim_aqic(apqn_t apqn, bool enable, u8 isc)
{
	struct ap_hw_status ret;

	spin_lock(&ap_sim_lock);
	ret = ap_sim_aqic_locked(AP_SIM_HOST, apqn, enable, isc);
	spin_unlock(&ap_sim_lock);
	return ret;
}

/*
 * Is @req, of @len bytes, in the simulator's own protocol? Asked before
 * the type byte of a type 50 request: the magic, read as bytes on a
 * big-endian machine, has 0x50 in its second byte too.
 */
static bool ap_sim_has_magic(const struct ap_sim_msg *req, size_t len)
{
	return len == sizeof(*req) && req->magic == AP_SIM_MSG_MAGIC;
}

/**
 * ap_sim_nqap_locked() - NQAP
 * @issuer: AP_SIM_HOST or the id of the issuing guest's context; a
 *          secret the request stores is recorded as the issuer's
 * @apqn: the queue
 * @psmid: the message id
 * @msg: the request: a struct ap_sim_msg, or a type 50 request (card.c)
 * @len: its length
 *
 * Context: ap_sim_lock held.
 * Return: the status word: queue full once the queue holds its depth of
 * requests; message too big for a request that is neither.
 */
struct ap_hw_status ap_sim_nqap_locked(unsigned int issuer, apqn_t apqn,
				       u64 psmid, const void *msg, size_t len)
{
	const struct ap_sim_msg *req = msg;
	struct ap_sim_msg reply;
	struct ap_sim_queue *q;
	struct ap_hw_status st;

	lockdep_assert_held(&ap_sim_lock);
	q = ap_sim_begin(apqn, AP_SIM_OP_NQAP, &st);
	if (!q)
		return st;
	ap_sim_host_reach_locked(issuer, apqn, q);
	st.rc = ap_sim_queue_state(ap_sim_adapters[ap_apqn_apid(apqn)], q);
	if (st.rc != AP_HW_RC_NORMAL)
		return st;
	if (q->nreqs >= AP_SIM_DEPTH) {
		st.rc = AP_HW_RC_Q_FULL;
		return st;
	}
	if (!ap_sim_has_magic(req, len)) {
		if (len < 2 || len > AP_SIM_MAX_MSG ||
		    ((const u8 *)msg)[1] != AP_T50_TYPE)
			st.rc = AP_HW_RC_MESSAGE_TOO_BIG;
		else if (ap_sim_card_take_locked(issuer, apqn, q, psmid, msg,
						 len, NULL))
			st.rc = AP_HW_RC_BUSY;
		else
			st.queue_empty = false;
		return st;
	}
	if (req->op != AP_SIM_OP_SET_SECRET && req->op != AP_SIM_OP_GET_SECRET) {
		st.rc = AP_HW_RC_MESSAGE_TOO_BIG;
		return st;
	}
	reply = *req;
	if (req->op != AP_SIM_OP_SET_SECRET)
		reply.value = q->secret;
	if (ap_sim_card_take_locked(issuer, apqn, q, psmid, msg, len, &reply)) {
		st.rc = AP_HW_RC_BUSY;
		return st;
	}
	if (req->op == AP_SIM_OP_SET_SECRET) {
		q->secret = req->value;
		q->owner = issuer;
	}
	st.queue_empty = false;
	st.replies_waiting = true;
	return st;
}

static struct ap_hw_status ap_sim_nqap(apqn_t apqn, u64 psmid,
				       const void *msg, size_t len)
{
	struct ap_hw_status ret;

	spin_lock(&ap_sim_lock);
	ret = ap_sim_nqap_locked(AP_SIM_HOST, apqn, psmid, msg, len);
	spin_unlock(&ap_sim_lock);
	return ret;
}

/**
 * ap_sim_dqap_locked() - DQAP
 * @issuer: AP_SIM_HOST or the id of the issuing guest's context
 * @apqn: the queue
 * @psmid: receives the reply's message id
 * @msg: receives the reply
 * @len: in: room at @msg; out: length of the reply
 *
 * Context: ap_sim_lock held.
 * Return: the status word.
 */
struct ap_hw_status ap_sim_dqap_locked(unsigned int issuer, apqn_t apqn,
				       u64 *psmid, void *msg, size_t *len)
{
	struct ap_sim_queue *q;
	struct ap_hw_status st;

	lockdep_assert_held(&ap_sim_lock);
	q = ap_sim_begin(apqn, AP_SIM_OP_DQAP, &st);
	if (!q)
		return st;
	ap_sim_host_reach_locked(issuer, apqn, q);
	st.rc = ap_sim_queue_state(ap_sim_adapters[ap_apqn_apid(apqn)], q);
	if (st.rc != AP_HW_RC_NORMAL)
		return st;
	if (!ap_sim_card_reply_locked(q, psmid, msg, len)) {
		st.rc = AP_HW_RC_NO_PENDING_REPLY;
		return st;
	}
	st.queue_empty = !q->nreqs;
	st.replies_waiting = ap_sim_replies_waiting(q);
	return st;
}

static struct ap_hw_status ap_sim_dqap(apqn_t apqn, u64 *psmid, void *msg,
				       size_t *len)
{
	struct ap_hw_status ret;

	spin_lock(&ap_sim_lock);
	ret = ap_sim_dqap_locked(AP_SIM_HOST, apqn, psmid, msg, len);
	spin_unlock(&ap_sim_lock);
	return ret;
}

/* A verification pattern of key @mk: 32 bytes, none of them telling it. */
static void ap_sim_mkvp(u64 mk, u8 *mkvp)
{
	u64 x = mk;
	unsigned int i;

	for (i = 0; i < AP_HW_MKVP_LEN / sizeof(u64); i++) {
		/* splitmix64 */
		x += 0x9e3779b97f4a7c15ULL;
		x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
		x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
		put_unaligned_be64(x ^ (x >> 31), mkvp + i * sizeof(u64));
	}
}

/* What the firmware of a coprocessor in @mode on adapter @apid answers. */
static void ap_sim_fw_fill(unsigned int apid, u32 mode,
			   const struct ap_sim_queue *q,
			   struct ap_hw_fw_info *info)
{
	if (mode & AP_HW_FUNC_EP11) {
		snprintf(info->serial, sizeof(info->serial),
			 "93E0%012X", apid);
		info->api_ordinal = AP_SIM_EP11_API_ORDINAL;
		info->fw_version = AP_SIM_EP11_FW_VERSION;
		info->op_modes = AP_SIM_EP11_OP_MODES;
	} else {
		snprintf(info->serial, sizeof(info->serial), "93C0%04X", apid);
	}
	info->key_set = q->mk != 0;
	if (info->key_set)
		ap_sim_mkvp(q->mk, info->mkvp);
}

/*
 * ap_sim_fw_query_locked() - a status request to a coprocessor queue's
 * firmware (CCA: adapter and master key state; EP11: module and domain
 * information), sent by @issuer and answered at once, leaving the
 * queue's requests and replies alone. It reaches the domain's keys, so
 * the host reaching a guest's is a violation.
 */
static int ap_sim_fw_query_locked(unsigned int issuer, apqn_t apqn,
				  struct ap_hw_fw_info *info)
{
	unsigned int apid = ap_apqn_apid(apqn);
	struct ap_sim_queue *q;
	u8 state;

	lockdep_assert_held(&ap_sim_lock);
	q = ap_sim_queue_locked(apqn);
	if (!q)
		return -ENODEV;
	state = ap_sim_queue_state(ap_sim_adapters[apid], q);
	if (state == AP_HW_RC_RESET_IN_PROGRESS)
		return -EBUSY;
	if (state != AP_HW_RC_NORMAL)
		return -ENODEV;
	if (!(q->mode & (AP_HW_FUNC_CCA | AP_HW_FUNC_EP11)))
		return -EOPNOTSUPP;
	ap_sim_host_reach_locked(issuer, apqn, q);
	ap_sim_fw_fill(apid, q->mode, q, info);
	return 0;
}

static int ap_sim_fw_query(apqn_t apqn, struct ap_hw_fw_info *info)
{
	int rc;

	spin_lock(&ap_sim_lock);
	rc = ap_sim_fw_query_locked(AP_SIM_HOST, apqn, info);
	spin_unlock(&ap_sim_lock);
	return rc;
}

/*
 * ap_sim_guest_fw_query() - the hypervisor's status request on behalf of
 * a guest, to a queue in the guest's CRYCB (-ENODEV for any other): what
 * the guest stored there is the guest's own.
 */
static int ap_sim_guest_fw_query(struct ap_hw_guest *hw, apqn_t apqn,
				 struct ap_hw_fw_info *info)
{
	struct ap_sim_guest *g = ap_sim_to_guest(hw);
	int rc = -ENODEV;

	spin_lock(&ap_sim_lock);
	if (ap_matrix_has_apqn(&g->crycb, ap_apqn_apid(apqn),
			       ap_apqn_apqi(apqn)))
		rc = ap_sim_fw_query_locked(hw->id, apqn, info);
	spin_unlock(&ap_sim_lock);
	return rc;
}

/* SCLP (De)configure Adjunct Processor. */
static int ap_sim_sclp_configure(unsigned int apid, bool on)
{
	return ap_sim_configure(apid, on);
}

const struct ap_hw_ops ap_sim_ops = {
	.name = "the simulated AP facility",
	.qci = ap_sim_qci,
	.tapq = ap_sim_tapq,
	.reset = ap_sim_reset,
	.aqic = ap_sim_aqic,
	.nqap = ap_sim_nqap,
	.dqap = ap_sim_dqap,
	.configure = ap_sim_sclp_configure,
	.fw_query = ap_sim_fw_query,
	.host_irq = true,
	.owner = THIS_MODULE,
	.guest_create = ap_sim_guest_create,
	.guest_destroy = ap_sim_guest_destroy,
	.guest_load = ap_sim_guest_load,
	.guest_crycb = ap_sim_guest_crycb,
	.guest_tapq = ap_sim_guest_tapq,
	.guest_set_hook = ap_sim_guest_set_hook,
	.guest_gisc_register = ap_sim_guest_gisc_register,
	.guest_gisc_unregister = ap_sim_guest_gisc_unregister,
	.guest_aqic = ap_sim_guest_aqic,
	.guest_fw_query = ap_sim_guest_fw_query,
};
