// SPDX-License-Identifier: GPL-2.0
/*
 * The message path of the AP bus: requests of the host's default
 * drivers, sent to their queues with NQAP and answered with DQAP.
 *
 * A queue accepts requests once its host default driver opened it
 * (ap_queue_msg_open()) and until it is unbound. Each request waits on
 * the queue's requestq until the machine takes it, then on its pendingq
 * until its reply is dequeued; at most the queue's depth are pending.
 * One pass (ap_msg_poll()) sends and receives on every open queue. It
 * runs when a request is queued, when the machine signals an interrupt
 * (a reply became pending on a queue whose interrupts the host enabled),
 * and, while requests are outstanding, every poll_timeout nanoseconds
 * on queues without interrupts (a 40 ms safety poll on the others), or
 * continuously in the poll thread (poll_thread).
 *
 * Every request ends exactly once, with ap_msg_end_locked(): with its
 * reply, or with -EMSGSIZE, -EINVAL, or -EAGAIN when it was not answered
 * (ap_queue_flush(): the queue is reset, check-stopped, deconfigured,
 * taken off line, given up by its driver, or the machine answered an
 * error); or it is taken back by its sender (ap_cancel_message()). A
 * reply whose request ended meanwhile is dropped as unassociated.
 *
 * Locks: ap_msg_lock protects the list of open queues and is taken
 * outside each queue's msg_lock, which protects that queue's message
 * state; the machine's instructions run under both and do not sleep.
 */

#define pr_fmt(fmt) "ap: " fmt

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "internal.h"

/* The safety poll of queues whose replies are signalled, in ns. */
#define AP_MSG_LOW_POLL_NS	(40 * NSEC_PER_MSEC)
/* The poll thread's pause between passes while requests are out, in us. */
#define AP_MSG_THREAD_US	20

/* What a pass found: nothing outstanding, or when to poll again. */
enum ap_msg_next {
	AP_MSG_IDLE,
	AP_MSG_POLL_LOW,
	AP_MSG_POLL_HIGH,
};

static DEFINE_SPINLOCK(ap_msg_lock);	/* the open queues; outer */
static LIST_HEAD(ap_msg_queues);
static atomic64_t ap_msg_psmid;
static struct hrtimer ap_msg_timer;
static struct work_struct ap_msg_work;

static DEFINE_MUTEX(ap_msg_thread_mutex);	/* starts and stops it */
static struct task_struct *ap_msg_thread;
static DECLARE_WAIT_QUEUE_HEAD(ap_msg_thread_wq);
static atomic_t ap_msg_wanted;

/* How requests ended, for debugfs ap/messages and the tests' judges. */
static struct {
	atomic64_t accepted;
	atomic64_t replied;
	atomic64_t failed;
	atomic64_t cancelled;
	atomic64_t unassociated;
	atomic64_t resent;
	atomic64_t flushed[AP_FLUSH_REASONS];
} ap_msg_stats;

static const char *const ap_flush_names[AP_FLUSH_REASONS] = {
	[AP_FLUSH_RESET] = "reset",
	[AP_FLUSH_CHKSTOP] = "checkstop",
	[AP_FLUSH_DECONFIG] = "deconfig",
	[AP_FLUSH_UNBIND] = "unbind",
	[AP_FLUSH_OFFLINE] = "offline",
	[AP_FLUSH_ERROR] = "error",
};

static bool ap_msg_thread_running(void)
{
	return READ_ONCE(ap_msg_thread);
}

/* Have a pass run soon: in the poll thread, or as a work item. */
static void ap_msg_kick(void)
{
	if (ap_msg_thread_running()) {
		atomic_set(&ap_msg_wanted, 1);
		wake_up(&ap_msg_thread_wq);
		return;
	}
	queue_work(system_highpri_wq, &ap_msg_work);
}

/**
 * ap_msg_irq() - the machine signalled an interrupt of a host queue
 *
 * Context: any; the pass runs later.
 */
void ap_msg_irq(void)
{
	ap_msg_kick();
}

static void ap_msg_end_locked(struct ap_queue *q, struct ap_message *m,
			      int rc)
{
	lockdep_assert_held(&q->msg_lock);
	if (WARN_ON_ONCE(m->state != AP_MSG_QUEUED &&
			 m->state != AP_MSG_PENDING))
		return;
	list_del_init(&m->list);
	if (m->state == AP_MSG_QUEUED)
		q->requestq_count--;
	else
		q->pendingq_count--;
	m->rc = rc;
	m->state = AP_MSG_DONE;
	atomic64_inc(rc ? &ap_msg_stats.failed : &ap_msg_stats.replied);
	m->done(m);
}

static void ap_queue_flush_locked(struct ap_queue *q, enum ap_flush_reason why)
{
	struct ap_message *m, *n;
	unsigned int ended = 0;

	lockdep_assert_held(&q->msg_lock);
	list_for_each_entry_safe(m, n, &q->pendingq, list) {
		ap_msg_end_locked(q, m, -EAGAIN);
		ended++;
	}
	list_for_each_entry_safe(m, n, &q->requestq, list) {
		ap_msg_end_locked(q, m, -EAGAIN);
		ended++;
	}
	if (!ended)
		return;
	/* These did fail, but count where they went, not as failures. */
	atomic64_sub(ended, &ap_msg_stats.failed);
	atomic64_add(ended, &ap_msg_stats.flushed[why]);
	dev_dbg(&q->dev, "%u requests ended unanswered (%s)\n", ended,
		ap_flush_names[why]);
}

/**
 * ap_queue_flush() - end every request of a queue unanswered
 * @q: the queue
 * @why: the reason, AP_FLUSH_*
 *
 * Each ends with -EAGAIN. The queue still accepts requests if it did.
 *
 * Context: process or atomic context; not under @q->lock.
 */
void ap_queue_flush(struct ap_queue *q, enum ap_flush_reason why)
{
	spin_lock(&q->msg_lock);
	ap_queue_flush_locked(q, why);
	spin_unlock(&q->msg_lock);
}
EXPORT_SYMBOL_GPL(ap_queue_flush);

/* Why a queue whose instruction answered @rc ends its requests. */
static enum ap_flush_reason ap_msg_rc_reason(u8 rc)
{
	switch (rc) {
	case AP_HW_RC_CHECKSTOPPED:
		return AP_FLUSH_CHKSTOP;
	case AP_HW_RC_DECONFIGURED:
		return AP_FLUSH_DECONFIG;
	}
	return AP_FLUSH_ERROR;
}

/* A reply was dequeued: end the request it answers. */
static void ap_msg_match_locked(struct ap_queue *q, u64 psmid, size_t len)
{
	struct ap_message *m;

	list_for_each_entry(m, &q->pendingq, list) {
		if (m->psmid != psmid)
			continue;
		if (len > m->bufsize) {
			ap_msg_end_locked(q, m, -EMSGSIZE);
			return;
		}
		memcpy(m->reply, q->msg_buf, len);
		m->reply_len = len;
		ap_msg_end_locked(q, m, 0);
		return;
	}
	atomic64_inc(&ap_msg_stats.unassociated);
	dev_dbg(&q->dev, "reply 0x%016llx to no request dropped\n", psmid);
}

/*
 * The machine holds none of the pending requests (a reset it made by
 * itself cleared them): send them again, before the newer ones.
 */
static void ap_msg_resend_locked(struct ap_queue *q)
{
	struct ap_message *m;

	list_for_each_entry(m, &q->pendingq, list)
		m->state = AP_MSG_QUEUED;
	atomic64_add(q->pendingq_count, &ap_msg_stats.resent);
	list_splice_init(&q->pendingq, &q->requestq);
	q->requestq_count += q->pendingq_count;
	q->pendingq_count = 0;
}

/*
 * Dequeue every reply the machine has for @q: also those to requests
 * that ended meanwhile (taken back, or flushed while the machine kept
 * them), which would otherwise fill the queue.
 */
static void ap_msg_receive_locked(struct ap_queue *q)
{
	struct ap_hw_status st;
	size_t len;
	u64 psmid;

	for (;;) {
		len = q->card->max_msg_size;
		st = ap_hw_dqap(q->apqn, &psmid, q->msg_buf, &len);
		q->msg_irq = st.irq_enabled;
		switch (st.rc) {
		case AP_HW_RC_NORMAL:
			ap_msg_match_locked(q, psmid, len);
			continue;
		case AP_HW_RC_NO_PENDING_REPLY:
			if (st.queue_empty && q->pendingq_count)
				ap_msg_resend_locked(q);
			return;
		case AP_HW_RC_RESET_IN_PROGRESS:
		case AP_HW_RC_BUSY:
			return;
		default:
			dev_dbg(&q->dev, "DQAP response code 0x%02x\n", st.rc);
			ap_queue_flush_locked(q, ap_msg_rc_reason(st.rc));
			return;
		}
	}
}

/* Send what the machine takes from @q's requestq. */
static void ap_msg_send_locked(struct ap_queue *q)
{
	struct ap_hw_status st;
	struct ap_message *m;

	while (q->requestq_count && q->pendingq_count < q->card->depth) {
		m = list_first_entry(&q->requestq, struct ap_message, list);
		st = ap_hw_nqap(q->apqn, m->psmid, m->msg, m->len);
		q->msg_irq = st.irq_enabled;
		switch (st.rc) {
		case AP_HW_RC_NORMAL:
			m->state = AP_MSG_PENDING;
			list_move_tail(&m->list, &q->pendingq);
			q->requestq_count--;
			q->pendingq_count++;
			continue;
		case AP_HW_RC_Q_FULL:
		case AP_HW_RC_RESET_IN_PROGRESS:
		case AP_HW_RC_BUSY:
			return;
		case AP_HW_RC_MESSAGE_TOO_BIG:
		case AP_HW_RC_INVALID_DOMAIN:
			ap_msg_end_locked(q, m, -EINVAL);
			continue;
		default:
			dev_dbg(&q->dev, "NQAP response code 0x%02x\n", st.rc);
			ap_queue_flush_locked(q, ap_msg_rc_reason(st.rc));
			return;
		}
	}
}

/* One queue's part of a pass; what it needs next. */
static enum ap_msg_next ap_msg_poll_queue_locked(struct ap_queue *q)
{
	lockdep_assert_held(&q->msg_lock);
	if (!q->msg_open || (!q->requestq_count && !q->pendingq_count))
		return AP_MSG_IDLE;
	ap_msg_receive_locked(q);
	ap_msg_send_locked(q);
	if (!q->requestq_count && !q->pendingq_count)
		return AP_MSG_IDLE;
	return q->msg_irq && !q->requestq_count ? AP_MSG_POLL_LOW :
						  AP_MSG_POLL_HIGH;
}

/* A pass over every open queue. */
static enum ap_msg_next ap_msg_poll(void)
{
	enum ap_msg_next next = AP_MSG_IDLE;
	struct ap_queue *q;

	spin_lock(&ap_msg_lock);
	list_for_each_entry(q, &ap_msg_queues, msg_node) {
		spin_lock(&q->msg_lock);
		next = max(next, ap_msg_poll_queue_locked(q));
		spin_unlock(&q->msg_lock);
	}
	spin_unlock(&ap_msg_lock);
	return next;
}

static void ap_msg_work_fn(struct work_struct *work)
{
	enum ap_msg_next next = ap_msg_poll();
	u64 ns;

	if (next == AP_MSG_IDLE || ap_msg_thread_running())
		return;
	ns = next == AP_MSG_POLL_HIGH ? ap_queue_poll_timeout() :
					AP_MSG_LOW_POLL_NS;
	hrtimer_start(&ap_msg_timer, ns_to_ktime(ns), HRTIMER_MODE_REL);
}

static enum hrtimer_restart ap_msg_timer_fn(struct hrtimer *t)
{
	queue_work(system_highpri_wq, &ap_msg_work);
	return HRTIMER_NORESTART;
}

static int ap_msg_thread_fn(void *data)
{
	while (!kthread_should_stop()) {
		atomic_set(&ap_msg_wanted, 0);
		if (ap_msg_poll() != AP_MSG_IDLE) {
			usleep_range(AP_MSG_THREAD_US, 2 * AP_MSG_THREAD_US);
			continue;
		}
		wait_event_interruptible(ap_msg_thread_wq,
					 atomic_read(&ap_msg_wanted) ||
					 kthread_should_stop());
	}
	return 0;
}

/**
 * ap_msg_set_poll_thread() - start or stop the poll thread
 * @on: start it
 *
 * While it runs, it makes the passes, one after the other while
 * requests are outstanding; otherwise work items and the poll timer do.
 *
 * Return: 0 or the error starting it.
 */
int ap_msg_set_poll_thread(bool on)
{
	struct task_struct *t;

	guard(mutex)(&ap_msg_thread_mutex);
	if (on == !!ap_msg_thread)
		return 0;
	if (!on) {
		t = ap_msg_thread;
		WRITE_ONCE(ap_msg_thread, NULL);
		kthread_stop(t);
		ap_msg_kick();	/* the timer takes over what is left */
		return 0;
	}
	t = kthread_run(ap_msg_thread_fn, NULL, "appoll");
	if (IS_ERR(t))
		return PTR_ERR(t);
	WRITE_ONCE(ap_msg_thread, t);
	return 0;
}

bool ap_msg_poll_thread(void)
{
	return ap_msg_thread_running();
}

/**
 * ap_queue_msg_open() - a host default driver opens its queue to requests
 * @q: the queue, bound to the driver
 *
 * It accepts requests until it is unbound.
 *
 * Context: the driver's probe.
 * Return: 0 or -ENOMEM.
 */
int ap_queue_msg_open(struct ap_queue *q)
{
	void *buf = kmalloc(q->card->max_msg_size, GFP_KERNEL);

	bool was_open;

	if (!buf)
		return -ENOMEM;
	spin_lock(&ap_msg_lock);
	spin_lock(&q->msg_lock);
	was_open = q->msg_open;
	if (!was_open) {
		q->msg_buf = buf;
		q->msg_open = true;
		list_add_tail(&q->msg_node, &ap_msg_queues);
	}
	spin_unlock(&q->msg_lock);
	spin_unlock(&ap_msg_lock);
	if (WARN_ON_ONCE(was_open))
		kfree(buf);
	return 0;
}
EXPORT_SYMBOL_GPL(ap_queue_msg_open);

/**
 * ap_queue_msg_close() - the queue leaves its driver: it accepts no more
 * requests, and those it has end unanswered
 * @q: the queue
 *
 * Context: the bus's remove, before the driver's and before the queue is
 * reset.
 */
void ap_queue_msg_close(struct ap_queue *q)
{
	void *buf = NULL;

	spin_lock(&ap_msg_lock);
	spin_lock(&q->msg_lock);
	if (q->msg_open) {
		q->msg_open = false;
		ap_queue_flush_locked(q, AP_FLUSH_UNBIND);
		list_del_init(&q->msg_node);
		buf = q->msg_buf;
		q->msg_buf = NULL;
	}
	spin_unlock(&q->msg_lock);
	spin_unlock(&ap_msg_lock);
	/* No pass reaches the queue any more: it left the list. */
	kfree(buf);
}

/**
 * ap_queue_message() - send a request to a queue
 * @q: the queue
 * @m: the request: @m->msg, @m->len, @m->reply, @m->bufsize and @m->done
 *     set; @m->done is called once when it ends
 *
 * Context: any context.
 * Return: 0, the request is queued; -ENODEV if the queue accepts no
 * requests (no host driver has it, or it is deconfigured or
 * check-stopped): @m->done is not called.
 */
int ap_queue_message(struct ap_queue *q, struct ap_message *m)
{
	bool open;

	m->psmid = atomic64_inc_return(&ap_msg_psmid);
	m->rc = 0;
	m->reply_len = 0;
	spin_lock(&q->msg_lock);
	open = q->msg_open && READ_ONCE(q->config) && !READ_ONCE(q->chkstop);
	if (open) {
		m->state = AP_MSG_QUEUED;
		list_add_tail(&m->list, &q->requestq);
		q->requestq_count++;
		atomic64_inc(&q->request_count);
		atomic64_inc(&q->card->request_count);
	}
	spin_unlock(&q->msg_lock);
	if (!open)
		return -ENODEV;
	atomic64_inc(&ap_msg_stats.accepted);
	ap_msg_kick();
	return 0;
}
EXPORT_SYMBOL_GPL(ap_queue_message);

/**
 * ap_cancel_message() - take back a request that has not ended
 * @q: its queue
 * @m: the request
 *
 * A reply to it that comes later is dropped.
 *
 * Return: true if it was taken back (@m->done is not called); false if
 * it had ended already.
 */
bool ap_cancel_message(struct ap_queue *q, struct ap_message *m)
{
	bool live;

	spin_lock(&q->msg_lock);
	live = m->state == AP_MSG_QUEUED || m->state == AP_MSG_PENDING;
	if (live) {
		list_del_init(&m->list);
		if (m->state == AP_MSG_QUEUED)
			q->requestq_count--;
		else
			q->pendingq_count--;
		m->state = AP_MSG_DONE;
		m->rc = -ECANCELED;
	}
	spin_unlock(&q->msg_lock);
	if (live)
		atomic64_inc(&ap_msg_stats.cancelled);
	return live;
}
EXPORT_SYMBOL_GPL(ap_cancel_message);

/**
 * ap_queue_msg_counts() - a queue's requests not sent, and pending
 * @q: the queue
 * @requestq: receives the number waiting to be sent
 * @pendingq: receives the number sent and not answered
 */
void ap_queue_msg_counts(struct ap_queue *q, unsigned int *requestq,
			 unsigned int *pendingq)
{
	spin_lock(&q->msg_lock);
	*requestq = q->requestq_count;
	*pendingq = q->pendingq_count;
	spin_unlock(&q->msg_lock);
}
EXPORT_SYMBOL_GPL(ap_queue_msg_counts);

/* Set up a new queue's message state. */
void ap_queue_msg_init(struct ap_queue *q)
{
	spin_lock_init(&q->msg_lock);
	INIT_LIST_HEAD(&q->msg_node);
	INIT_LIST_HEAD(&q->requestq);
	INIT_LIST_HEAD(&q->pendingq);
	atomic64_set(&q->request_count, 0);
}

static int ap_msg_stats_show(struct seq_file *s, void *unused)
{
	unsigned int queued = 0, pending = 0, i;
	struct ap_queue *q;

	spin_lock(&ap_msg_lock);
	list_for_each_entry(q, &ap_msg_queues, msg_node) {
		spin_lock(&q->msg_lock);
		queued += q->requestq_count;
		pending += q->pendingq_count;
		spin_unlock(&q->msg_lock);
	}
	spin_unlock(&ap_msg_lock);
	seq_printf(s, "accepted %lld\n", atomic64_read(&ap_msg_stats.accepted));
	seq_printf(s, "replied %lld\n", atomic64_read(&ap_msg_stats.replied));
	seq_printf(s, "failed %lld\n", atomic64_read(&ap_msg_stats.failed));
	seq_printf(s, "cancelled %lld\n",
		   atomic64_read(&ap_msg_stats.cancelled));
	for (i = 0; i < AP_FLUSH_REASONS; i++)
		seq_printf(s, "flushed %s %lld\n", ap_flush_names[i],
			   atomic64_read(&ap_msg_stats.flushed[i]));
	seq_printf(s, "resent %lld\n", atomic64_read(&ap_msg_stats.resent));
	seq_printf(s, "unassociated %lld\n",
		   atomic64_read(&ap_msg_stats.unassociated));
	seq_printf(s, "requestq %u\npendingq %u\n", queued, pending);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ap_msg_stats);

void ap_msg_init(struct dentry *root)
{
	hrtimer_init(&ap_msg_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	ap_msg_timer.function = ap_msg_timer_fn;
	INIT_WORK(&ap_msg_work, ap_msg_work_fn);
	debugfs_create_file("messages", 0444, root, NULL, &ap_msg_stats_fops);
}

void ap_msg_exit(void)
{
	ap_msg_set_poll_thread(false);
	hrtimer_cancel(&ap_msg_timer);
	cancel_work_sync(&ap_msg_work);
	hrtimer_cancel(&ap_msg_timer);
}
