// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated adapter's processing of requests: the requests a queue
 * holds, from NQAP until their replies are dequeued (DQAP), and the
 * accelerator functions a CEXnA queue computes, RSA modular
 * exponentiation in its plain and CRT forms (type 50 requests, type 80
 * replies, type 82 replies for what the card refuses).
 *
 * A queue holds at most its depth of requests. The simulator's own
 * protocol (struct ap_sim_msg) is answered at once; a type 50 request is
 * computed in a work item of its own, outside ap_sim_lock, with the
 * kernel's MPI library, and its reply becomes pending no earlier than the
 * queue's reply delay after the NQAP. A reset, a check-stop, a
 * deconfigure or the adapter or domain leaving the LPAR drops every
 * request of the queue; a request being computed meanwhile is freed by
 * its work item, which finds it dropped.
 *
 * The judge: a type 50 request the host sends to a queue that a guest's
 * CRYCB holds is a violation (the host's message path must only reach
 * the host's queues).
 */

#define pr_fmt(fmt) "ap_sim: " fmt

#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/mpi.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <ap/type50.h>
#include "internal.h"

/* Where a request of a queue is. */
enum ap_sim_req_state {
	AP_SIM_REQ_WORKING,	/* being computed */
	AP_SIM_REQ_READY,	/* its reply is pending */
	AP_SIM_REQ_DROPPED,	/* dropped while computed: its work frees it */
};

/**
 * struct ap_sim_req - a request a queue holds, then its reply
 * @node: in the queue's @reqs, oldest first
 * @work: computes a type 50 request
 * @apqn: the queue
 * @psmid: its message id
 * @state: AP_SIM_REQ_*
 * @due: ktime_get_ns() when its reply may become pending
 * @len: the request's length, then the reply's
 * @data: the request, then the reply (never longer)
 */
struct ap_sim_req {
	struct list_head node;
	struct work_struct work;
	apqn_t apqn;
	u64 psmid;
	enum ap_sim_req_state state;
	u64 due;
	size_t len;
	u8 data[];
};

static struct workqueue_struct *ap_sim_card_wq;
/* Requests computed, and the time computing them took (ns). */
static atomic64_t ap_sim_card_computed;
static atomic64_t ap_sim_card_ns;

/**
 * ap_sim_show_card() - what the accelerators computed, for debugfs card
 * @s: the seq_file
 */
void ap_sim_show_card(struct seq_file *s)
{
	seq_printf(s, "computed %lld ns %lld\n",
		   atomic64_read(&ap_sim_card_computed),
		   atomic64_read(&ap_sim_card_ns));
}

/**
 * ap_sim_replies_waiting() - has a queue a reply to dequeue?
 * @q: the queue
 *
 * Context: ap_sim_lock held.
 * Return: true if one of its requests is answered.
 */
bool ap_sim_replies_waiting(const struct ap_sim_queue *q)
{
	const struct ap_sim_req *r;

	list_for_each_entry(r, &q->reqs, node)
		if (r->state == AP_SIM_REQ_READY)
			return true;
	return false;
}

/**
 * ap_sim_drop_requests_locked() - a queue loses its requests and replies
 * @q: the queue
 *
 * Context: ap_sim_lock held.
 */
void ap_sim_drop_requests_locked(struct ap_sim_queue *q)
{
	struct ap_sim_req *r, *n;

	lockdep_assert_held(&ap_sim_lock);
	list_for_each_entry_safe(r, n, &q->reqs, node) {
		list_del(&r->node);
		if (r->state == AP_SIM_REQ_WORKING)
			r->state = AP_SIM_REQ_DROPPED;
		else
			kfree(r);
	}
	q->nreqs = 0;
}

/* @res = @base ^ @exp modulo @mod; 0 or -ENOMEM. */
static int ap_sim_powm(MPI res, const u8 *base, const u8 *exp, const u8 *mod,
		       size_t n, size_t en)
{
	MPI b = mpi_read_raw_data(base, n);
	MPI e = mpi_read_raw_data(exp, en);
	MPI m = mpi_read_raw_data(mod, en);
	int rc = -ENOMEM;

	if (b && e && m)
		rc = mpi_powm(res, b, e, m);
	mpi_free(b);
	mpi_free(e);
	mpi_free(m);
	return rc;
}

/* Is the number of @n bytes at @p even, or zero? */
static bool ap_sim_even(const u8 *p, size_t n)
{
	return !(p[n - 1] & 1);
}

/* Is the number of @n bytes at @a at least that at @b? */
static bool ap_sim_not_below(const u8 *a, const u8 *b, size_t n)
{
	return memcmp(a, b, n) >= 0;
}

static int ap_sim_me(const struct ap_t50 *f, MPI res)
{
	if (ap_sim_even(f->mod, f->width))
		return AP_T82_EVEN_MOD;
	if (ap_sim_not_below(f->msg, f->mod, f->width))
		return AP_T82_OPERAND;
	return ap_sim_powm(res, f->msg, f->exp, f->mod, f->width, f->width);
}

/*
 * CRT with u = q^-1 mod p (p > q): m1 = c^dp mod p, m2 = c^dq mod q,
 * h = u (m1 - m2) mod p, result m2 + h q.
 */
static int ap_sim_crt_combine(const struct ap_t50 *f, MPI m1, MPI m2, MPI res)
{
	unsigned int w = f->width / 2;
	MPI p = mpi_read_raw_data(f->p, w);
	MPI q = mpi_read_raw_data(f->q, w);
	MPI u = mpi_read_raw_data(f->u, w);
	MPI h = mpi_alloc(0);
	int rc = -ENOMEM;

	if (p && q && u && h)
		rc = mpi_subm(h, m1, m2, p) ?: mpi_mulm(h, h, u, p) ?:
		     mpi_mul(h, h, q) ?: mpi_add(res, h, m2);
	mpi_free(p);
	mpi_free(q);
	mpi_free(u);
	mpi_free(h);
	return rc;
}

static int ap_sim_crt(const struct ap_t50 *f, MPI res)
{
	unsigned int w = f->width / 2;
	MPI m1 = mpi_alloc(0), m2 = mpi_alloc(0);
	int rc = -ENOMEM;

	if (ap_sim_even(f->p, w) || ap_sim_even(f->q, w))
		rc = AP_T82_EVEN_MOD;
	else if (!memchr_inv(f->u, 0, w) || !memchr_inv(f->dp, 0, w) ||
		 !memchr_inv(f->dq, 0, w))
		rc = AP_T82_OPERAND;
	else if (m1 && m2)
		rc = ap_sim_powm(m1, f->msg, f->dp, f->p, f->width, w) ?:
		     ap_sim_powm(m2, f->msg, f->dq, f->q, f->width, w) ?:
		     ap_sim_crt_combine(f, m1, m2, res);
	mpi_free(m1);
	mpi_free(m2);
	return rc;
}

/*
 * ap_sim_compute() - answer a type 50 request in @out (AP_T80_MAX_LEN
 * bytes): a type 80 reply with the result, or a type 82 reply.
 *
 * Return: the reply's length.
 */
static size_t ap_sim_compute(u8 *req, size_t len, u8 *out)
{
	struct ap_t50 f;
	unsigned int n;
	size_t rlen;
	MPI res;
	int rc;

	rc = ap_t50_parse(req, len, &f);
	if (rc)
		return ap_t82_init(out, AP_T80_MAX_LEN, rc);
	res = mpi_alloc(0);
	rc = res ? (f.crt ? ap_sim_crt(&f, res) : ap_sim_me(&f, res)) : -ENOMEM;
	if (!rc) {
		rlen = ap_t80_init(out, AP_T80_MAX_LEN, f.width);
		rc = mpi_read_buffer(res, out + AP_T80_HDR_LEN, f.width, &n,
				     NULL);
	}
	mpi_free(res);
	/* Out of memory here stands for the card failing. */
	if (rc < 0)
		rc = AP_T82_MACHINE_FAILURE;
	if (rc)
		return ap_t82_init(out, AP_T80_MAX_LEN, rc);
	/* The result is right-aligned in its field. */
	memmove(out + AP_T80_HDR_LEN + f.width - n, out + AP_T80_HDR_LEN, n);
	memset(out + AP_T80_HDR_LEN, 0, f.width - n);
	return rlen;
}

static void ap_sim_req_work(struct work_struct *work)
{
	struct ap_sim_req *r = container_of(work, struct ap_sim_req, work);
	struct ap_sim_queue *q;
	u8 *out = kmalloc(AP_T80_MAX_LEN, GFP_KERNEL);
	size_t rlen = 0;
	s64 wait_us;
	u64 t0;

	if (out) {
		t0 = ktime_get_ns();
		rlen = ap_sim_compute(r->data, r->len, out);
		atomic64_add(ktime_get_ns() - t0, &ap_sim_card_ns);
		atomic64_inc(&ap_sim_card_computed);
	}
	wait_us = div_s64((s64)(r->due - ktime_get_ns()), NSEC_PER_USEC);
	if (wait_us > 0)
		fsleep(wait_us);
	spin_lock(&ap_sim_lock);
	if (r->state == AP_SIM_REQ_DROPPED) {
		spin_unlock(&ap_sim_lock);
		kfree(r);
		kfree(out);
		return;
	}
	if (!out)
		rlen = ap_t82_init(r->data, r->len, AP_T82_MACHINE_FAILURE);
	else
		memcpy(r->data, out, min(rlen, r->len));
	r->len = min(rlen, r->len);
	r->state = AP_SIM_REQ_READY;
	/* Not dropped: its queue is in the LPAR. */
	q = ap_sim_queue_locked(r->apqn);
	if (!WARN_ON_ONCE(!q))
		ap_sim_post_irq_locked(r->apqn, q);
	spin_unlock(&ap_sim_lock);
	kfree(out);
}

/*
 * The host sends a type 50 request to a queue that a guest's CRYCB holds:
 * its message path reached beyond the host's queues.
 */
static void ap_sim_judge_host_request_locked(unsigned int issuer, apqn_t apqn)
{
	char name[AP_APQN_NAME_LEN + 1];
	unsigned int id;

	if (issuer != AP_SIM_HOST)
		return;
	id = ap_sim_guest_holding_locked(apqn);
	if (id)
		ap_sim_violation_locked("%s: host request to a queue of guest %u",
					ap_apqn_name(apqn, name), id);
}

/**
 * ap_sim_card_take_locked() - NQAP of a request the queue can hold
 * @issuer: AP_SIM_HOST or the issuing guest's context
 * @apqn: the queue
 * @q: its state, with room for a request
 * @psmid: the message id
 * @msg: a type 50 request (its byte 1 is 0x50), or a struct ap_sim_msg
 *       already answered in @reply
 * @len: its length
 * @reply: for the simulator's protocol, the reply; NULL for type 50
 *
 * Context: ap_sim_lock held.
 * Return: 0, or -ENOMEM (the machine answers busy).
 */
int ap_sim_card_take_locked(unsigned int issuer, apqn_t apqn,
			    struct ap_sim_queue *q, u64 psmid,
			    const void *msg, size_t len,
			    const struct ap_sim_msg *reply)
{
	size_t size = reply ? sizeof(*reply) : max_t(size_t, len, AP_T82_LEN);
	struct ap_sim_req *r;

	lockdep_assert_held(&ap_sim_lock);
	r = kzalloc(struct_size(r, data, size), GFP_ATOMIC);
	if (!r)
		return -ENOMEM;
	r->apqn = apqn;
	r->psmid = psmid;
	r->due = ktime_get_ns() + (u64)q->delay_us * NSEC_PER_USEC;
	list_add_tail(&r->node, &q->reqs);
	q->nreqs++;
	if (reply) {
		memcpy(r->data, reply, sizeof(*reply));
		r->len = sizeof(*reply);
		r->state = AP_SIM_REQ_READY;
		ap_sim_post_irq_locked(apqn, q);
		return 0;
	}
	ap_sim_judge_host_request_locked(issuer, apqn);
	memcpy(r->data, msg, len);
	r->len = len;
	if (!(q->mode & AP_HW_FUNC_ACCEL)) {
		/* Not an accelerator: type 50 is no message type it knows. */
		r->len = ap_t82_init(r->data, size, AP_T82_MSG_TYPE);
		r->state = AP_SIM_REQ_READY;
		ap_sim_post_irq_locked(apqn, q);
		return 0;
	}
	r->state = AP_SIM_REQ_WORKING;
	INIT_WORK(&r->work, ap_sim_req_work);
	queue_work(ap_sim_card_wq, &r->work);
	return 0;
}

/**
 * ap_sim_card_reply_locked() - DQAP: the oldest pending reply
 * @q: the queue
 * @psmid: receives its message id
 * @msg: receives it
 * @len: in: room at @msg; out: its length
 *
 * Context: ap_sim_lock held.
 * Return: true if a reply was dequeued; false if none is pending, or the
 * oldest does not fit.
 */
bool ap_sim_card_reply_locked(struct ap_sim_queue *q, u64 *psmid, void *msg,
			      size_t *len)
{
	struct ap_sim_req *r;

	lockdep_assert_held(&ap_sim_lock);
	list_for_each_entry(r, &q->reqs, node) {
		if (r->state != AP_SIM_REQ_READY)
			continue;
		if (*len < r->len)
			return false;
		memcpy(msg, r->data, r->len);
		*len = r->len;
		*psmid = r->psmid;
		list_del(&r->node);
		q->nreqs--;
		kfree(r);
		return true;
	}
	return false;
}

int ap_sim_card_init(void)
{
	ap_sim_card_wq = alloc_workqueue("ap_sim_card", WQ_UNBOUND, 0);
	return ap_sim_card_wq ? 0 : -ENOMEM;
}

/* After every queue dropped its requests: wait for the work items. */
void ap_sim_card_exit(void)
{
	destroy_workqueue(ap_sim_card_wq);
}
