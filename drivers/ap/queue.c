// SPDX-License-Identifier: GPL-2.0
/*
 * AP queue devices (XX.YYYY), their sysfs attributes, and queue resets.
 *
 * A reset is asynchronous on the machine: RAPQ/ZAPQ only start it, and
 * TAPQ answers "reset in progress" until it is done. ap_queue_reset()
 * issues it and, unless it finished at once, lets a work item poll for
 * completion every poll_timeout (at least one tick), logging progress
 * every AP_QUEUE_RESET_NOTICE_MS. Waiters sleep on the queue's wait
 * queue. A reset that answers busy, or that finds another reset running,
 * is issued again once the queue settles.
 *
 * q->lock protects: reset_state, reset_zeroize, reset_rc, reset_start,
 * reset_ns, reset_notice, reset_reissue. It is a leaf lock; the hardware operations
 * called under it do not sleep.
 *
 * A queue whose zeroize was asked for and has not completed is "unclean",
 * by APQN, in ap_queue_unclean_apqns: the mark outlives the queue device,
 * so a queue that left the configuration before its zeroize could run (or
 * whose zeroize ended with an error: deconfigured, check-stopped, another
 * response code) is zeroized when it comes back, before any driver may
 * bind it (ap_bus_probe()). Only a zeroizing reset that ends with the
 * queue in the normal state clears the mark. The bits change under the
 * queue's q->lock, with atomic bit operations (other queues share a word).
 *
 * Registered queue devices are indexed by APQN in ap_queue_index, so that
 * a lookup, or a rebinding after a mask change, visits only the queues it
 * concerns instead of walking the bus. A queue enters the index once
 * device_add() succeeded and leaves it before device_del(); its xa_lock
 * is a leaf lock, under which lookups take their device reference.
 */

#define pr_fmt(fmt) "ap: " fmt

#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/xarray.h>
#include <trace/events/ap_bus.h>
#include "internal.h"

#define AP_QUEUE_RESET_NOTICE_MS	1000

static DEFINE_XARRAY(ap_queue_index);
static DECLARE_BITMAP(ap_queue_unclean_apqns, AP_IDS * AP_IDS);

/* Interval between two polls of a running reset, in ns (poll_timeout). */
static u64 ap_queue_poll_ns = 250000;

u64 ap_queue_poll_timeout(void)
{
	return READ_ONCE(ap_queue_poll_ns);
}

void ap_queue_set_poll_timeout(u64 ns)
{
	WRITE_ONCE(ap_queue_poll_ns, ns);
}

/* The poll interval in jiffies: poll_timeout, at least one tick. */
static unsigned long ap_queue_poll_interval(void)
{
	return max(1UL, nsecs_to_jiffies(ap_queue_poll_timeout()));
}

static bool ap_queue_rc_settled(u8 rc)
{
	return rc != AP_HW_RC_RESET_IN_PROGRESS && rc != AP_HW_RC_BUSY &&
	       rc != AP_HW_RC_STATE_CHANGE;
}

static void ap_queue_reset_finish_locked(struct ap_queue *q, u8 rc)
{
	lockdep_assert_held(&q->lock);
	trace_ap_queue_reset_end(q->apqn, q->reset_zeroize, rc,
				 div_u64(ktime_get_ns() - q->reset_ns, 1000));
	if (q->reset_zeroize && rc == AP_HW_RC_NORMAL)
		clear_bit(q->apqn, ap_queue_unclean_apqns);
	q->reset_state = AP_QUEUE_RESET_IDLE;
	q->reset_rc = rc;
	wake_up_all(&q->reset_wq);
}

/*
 * ap_queue_reset_issue_locked() - issue the reset instruction.
 *
 * Return: true if the caller must poll for completion.
 */
static bool ap_queue_reset_issue_locked(struct ap_queue *q)
{
	struct ap_hw_status st;

	lockdep_assert_held(&q->lock);
	q->reset_reissue = false;
	st = ap_hw_reset(q->apqn, q->reset_zeroize);
	switch (st.rc) {
	case AP_HW_RC_NORMAL:
		return true;
	case AP_HW_RC_RESET_IN_PROGRESS:
	case AP_HW_RC_BUSY:
	case AP_HW_RC_STATE_CHANGE:
		/* Not ours: wait for the queue to settle, then issue again. */
		q->reset_reissue = true;
		return true;
	case AP_HW_RC_Q_NOT_AVAIL:
	case AP_HW_RC_DECONFIGURED:
	case AP_HW_RC_CHECKSTOPPED:
		/* Nothing to reset: gone, or unusable until reset anyway. */
		ap_queue_reset_finish_locked(q, st.rc);
		return false;
	default:
		dev_warn(&q->dev, "reset failed with response code 0x%02x\n",
			 st.rc);
		ap_queue_reset_finish_locked(q, st.rc);
		return false;
	}
}

/*
 * ap_queue_reset_check_locked() - look whether the running reset is done.
 *
 * Return: true if the caller must poll again.
 */
static bool ap_queue_reset_check_locked(struct ap_queue *q)
{
	struct ap_hw_queue_info info;
	struct ap_hw_status st;

	lockdep_assert_held(&q->lock);
	st = ap_hw_tapq(q->apqn, &info);
	if (!ap_queue_rc_settled(st.rc))
		return true;
	if (q->reset_reissue)
		return ap_queue_reset_issue_locked(q);
	ap_queue_reset_finish_locked(q, st.rc);
	return false;
}

static void ap_queue_reset_progress_locked(struct ap_queue *q)
{
	unsigned long now = jiffies;

	lockdep_assert_held(&q->lock);
	if (time_before(now, q->reset_notice +
			msecs_to_jiffies(AP_QUEUE_RESET_NOTICE_MS)))
		return;
	q->reset_notice = now;
	dev_notice(&q->dev, "waited %u ms for the %s of the queue\n",
		   jiffies_to_msecs(now - q->reset_start),
		   q->reset_zeroize ? "reset and zeroize" : "reset");
}

static void ap_queue_reset_poll(struct work_struct *work)
{
	struct ap_queue *q = container_of(to_delayed_work(work),
					  struct ap_queue, reset_work);
	bool again;

	scoped_guard(spinlock, &q->lock) {
		again = ap_queue_reset_check_locked(q);
		if (again)
			ap_queue_reset_progress_locked(q);
	}
	if (again)
		schedule_delayed_work(&q->reset_work, ap_queue_poll_interval());
}

/**
 * ap_queue_reset() - start a reset of a queue
 * @q: the queue
 * @zeroize: also clear its secrets (ZAPQ); a zeroizing request is never
 *           weakened into a plain reset by one already running
 * @why: the reason, for the trace
 *
 * Returns at once; ap_queue_reset_wait() waits for the end.
 *
 * Context: any context but hard interrupt.
 * Return: 0
 */
int ap_queue_reset(struct ap_queue *q, bool zeroize,
		   enum ap_queue_reset_reason why)
{
	bool poll;

	/* The reset clears the machine's queue: nothing sent is answered. */
	ap_queue_flush(q, AP_FLUSH_RESET);
	scoped_guard(spinlock, &q->lock) {
		if (zeroize)
			set_bit(q->apqn, ap_queue_unclean_apqns);
		if (q->reset_state == AP_QUEUE_RESET_RUNNING) {
			/* Upgrade a running plain reset: issue once more. */
			if (zeroize && !q->reset_zeroize) {
				q->reset_zeroize = true;
				q->reset_reissue = true;
			}
			return 0;
		}
		q->reset_state = AP_QUEUE_RESET_RUNNING;
		q->reset_zeroize = zeroize;
		q->reset_ns = ktime_get_ns();
		trace_ap_queue_reset_begin(q->apqn, zeroize, why);
		q->reset_start = jiffies;
		q->reset_notice = jiffies;
		poll = ap_queue_reset_issue_locked(q) &&
		       ap_queue_reset_check_locked(q);
	}
	if (poll)
		schedule_delayed_work(&q->reset_work, ap_queue_poll_interval());
	return 0;
}
EXPORT_SYMBOL_GPL(ap_queue_reset);

/**
 * ap_queue_reset_busy() - is a reset of the queue running?
 * @q: the queue
 *
 * Return: true while a reset is running.
 */
bool ap_queue_reset_busy(struct ap_queue *q)
{
	bool busy;

	spin_lock(&q->lock);
	busy = q->reset_state == AP_QUEUE_RESET_RUNNING;
	spin_unlock(&q->lock);
	return busy;
}
EXPORT_SYMBOL_GPL(ap_queue_reset_busy);

/**
 * ap_queue_reset_wait() - wait until no reset of the queue runs
 * @q: the queue
 *
 * There is no time limit (a reset may take long), but a running reset
 * reports progress in the kernel log every second.
 *
 * Context: process context; sleeps.
 * Return: the response code that ended the last reset (AP_HW_RC_NORMAL,
 * or why there was nothing to reset).
 */
u8 ap_queue_reset_wait(struct ap_queue *q)
{
	u8 rc;

	wait_event(q->reset_wq, !ap_queue_reset_busy(q));
	spin_lock(&q->lock);
	rc = q->reset_rc;
	spin_unlock(&q->lock);
	return rc;
}
EXPORT_SYMBOL_GPL(ap_queue_reset_wait);

/**
 * ap_queue_reset_wait_killable() - wait until no reset of the queue
 * runs, unless the waiting task is killed
 * @q: the queue
 *
 * For waits on behalf of a user's write: after a second the kernel log
 * names the task and what it waits for, and the task may be killed. The
 * reset goes on, and a queue whose zeroize was asked for stays unclean
 * (no driver binds it) until it ends.
 *
 * Context: process context; sleeps.
 * Return: 0 once no reset runs, -EINTR if a fatal signal ended the wait.
 */
int ap_queue_reset_wait_killable(struct ap_queue *q)
{
	long left;

	left = wait_event_killable_timeout(q->reset_wq,
					   !ap_queue_reset_busy(q), HZ);
	if (left > 0)
		return 0;
	if (left < 0)
		return -EINTR;
	dev_notice(&q->dev, "%s (pid %d) waits for the reset%s of this queue; it may be killed\n",
		   current->comm, task_pid_nr(current),
		   ap_queue_unclean(q->apqn) ? " and zeroize" : "");
	return wait_event_killable(q->reset_wq, !ap_queue_reset_busy(q)) ?
	       -EINTR : 0;
}
EXPORT_SYMBOL_GPL(ap_queue_reset_wait_killable);

/**
 * ap_queue_reset_result() - how the last reset of a queue ended
 * @q: the queue
 *
 * Context: any context but hard interrupt.
 * Return: AP_HW_RC_RESET_IN_PROGRESS while a reset runs, else the
 * response code that ended the last one (AP_HW_RC_NORMAL if it was done).
 */
u8 ap_queue_reset_result(struct ap_queue *q)
{
	u8 rc;

	spin_lock(&q->lock);
	rc = q->reset_state == AP_QUEUE_RESET_RUNNING ?
	     AP_HW_RC_RESET_IN_PROGRESS : q->reset_rc;
	spin_unlock(&q->lock);
	return rc;
}
EXPORT_SYMBOL_GPL(ap_queue_reset_result);

/**
 * ap_queue_unclean() - does a queue still wait for its zeroize?
 * @apqn: the queue's APQN (the device need not exist)
 *
 * Context: any context.
 * Return: true if a zeroize of the queue was asked for and has not ended
 * with the queue in the normal state.
 */
bool ap_queue_unclean(apqn_t apqn)
{
	return test_bit(apqn, ap_queue_unclean_apqns);
}

static int ap_queue_not_zeroized_show(struct seq_file *s, void *unused)
{
	char name[AP_APQN_NAME_LEN + 1];
	unsigned long apqn;

	for_each_set_bit(apqn, ap_queue_unclean_apqns, AP_IDS * AP_IDS)
		seq_printf(s, "%s\n", ap_apqn_name(apqn, name));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ap_queue_not_zeroized);

/**
 * ap_queue_debugfs_init() - create the debugfs file "not_zeroized"
 * @root: the bus's debugfs directory
 *
 * It lists the APQNs whose zeroize was asked for and has not completed,
 * one per line, whether or not their queue device exists.
 */
void ap_queue_debugfs_init(struct dentry *root)
{
	debugfs_create_file("not_zeroized", 0444, root, NULL,
			    &ap_queue_not_zeroized_fops);
}

/**
 * ap_queue_make_clean() - zeroize a queue that is unclean, before a
 * driver binds it
 * @q: the queue, without a driver
 *
 * Context: process context; sleeps until the reset is done, or until
 * the task (a user's mask write) is killed.
 * Return: true if the queue is clean now.
 */
bool ap_queue_make_clean(struct ap_queue *q)
{
	if (ap_queue_unclean(q->apqn))
		ap_queue_reset(q, true, AP_RESET_CLEAN);
	if (ap_queue_reset_wait_killable(q))
		return false;
	return !ap_queue_unclean(q->apqn);
}

/**
 * ap_queue_remove_reset() - reset and zeroize a queue its driver left
 * @q: the queue
 *
 * The queue is unclean until the zeroize ends: no next driver binds it
 * before, so a killed wait leaves nothing behind.
 *
 * Context: process context; sleeps until the reset is done, or until
 * the task (a user's mask write) is killed.
 */
void ap_queue_remove_reset(struct ap_queue *q)
{
	ap_queue_reset(q, true, AP_RESET_UNBIND);
	ap_queue_reset_wait_killable(q);
}

static ssize_t reset_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, ap_queue_reset_busy(to_ap_queue(dev)) ?
			  "Reset in progress.\n" : "No Reset Timer set.\n");
}

/* Any write starts a reset (RAPQ) of the queue and returns at once. */
static ssize_t reset_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t count)
{
	ap_queue_reset(to_ap_queue(dev), false, AP_RESET_USER);
	return count;
}
static DEVICE_ATTR_RW(reset);

static ssize_t interrupt_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct ap_hw_queue_info info;
	struct ap_hw_status st = ap_hw_tapq(to_ap_queue(dev)->apqn, &info);

	return sysfs_emit(buf, st.irq_enabled ? "Interrupts enabled.\n" :
			  "Interrupts disabled.\n");
}
static DEVICE_ATTR_RO(interrupt);

static ssize_t config_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(to_ap_queue(dev)->config));
}
static DEVICE_ATTR_RO(config);

static ssize_t chkstop_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(to_ap_queue(dev)->chkstop));
}
static DEVICE_ATTR_RO(chkstop);

static ssize_t ap_functions_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct ap_hw_queue_info info;
	struct ap_hw_status st = ap_hw_tapq(to_ap_queue(dev)->apqn, &info);

	if (st.rc > AP_HW_RC_BUSY)
		return -EIO;
	return sysfs_emit(buf, "0x%08X\n", info.functions);
}
static DEVICE_ATTR_RO(ap_functions);

static ssize_t driver_override_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	return ap_perms_show_override(to_ap_queue(dev)->apqn, buf);
}

static ssize_t driver_override_store(struct device *dev,
				     struct device_attribute *attr,
				     const char *buf, size_t count)
{
	return ap_perms_store_override(to_ap_queue(dev), buf, count);
}
static DEVICE_ATTR_RW(driver_override);

static struct attribute *ap_queue_attrs[] = {
	&dev_attr_driver_override.attr,
	&dev_attr_reset.attr,
	&dev_attr_interrupt.attr,
	&dev_attr_config.attr,
	&dev_attr_chkstop.attr,
	&dev_attr_ap_functions.attr,
	NULL
};

static const struct attribute_group ap_queue_group = {
	.attrs = ap_queue_attrs,
};

static const struct attribute_group *ap_queue_groups[] = {
	&ap_queue_group,
	&ap_counters_group,
	NULL
};

static void ap_queue_release(struct device *dev)
{
	kfree(to_ap_queue(dev));
}

const struct device_type ap_queue_type = {
	.name = "ap_queue",
	.groups = ap_queue_groups,
	.release = ap_queue_release,
};

/**
 * ap_queue_create() - register the device of a queue
 * @card: its adapter
 * @apqi: its domain
 * @config: the queue is configured
 * @chkstop: the queue is check-stopped
 *
 * Drivers are probed before this returns.
 *
 * Context: the bus scan.
 * Return: the queue, or an ERR_PTR.
 */
struct ap_queue *ap_queue_create(struct ap_card *card, unsigned int apqi,
				 bool config, bool chkstop)
{
	unsigned long masks_gen;
	struct ap_queue *q;
	int rc;

	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q)
		return ERR_PTR(-ENOMEM);
	q->card = card;
	q->apqn = ap_apqn(card->id, apqi);
	q->config = config;
	q->chkstop = chkstop;
	spin_lock_init(&q->lock);
	INIT_DELAYED_WORK(&q->reset_work, ap_queue_reset_poll);
	init_waitqueue_head(&q->reset_wq);
	ap_queue_msg_init(q);
	device_initialize(&q->dev);
	q->dev.bus = &ap_bus_type;
	q->dev.type = &ap_queue_type;
	q->dev.parent = &card->dev;
	rc = dev_set_name(&q->dev, "%02x.%04x", card->id, apqi);
	if (rc)
		goto err_put;
	/* The slot is allocated now, so that storing into it cannot fail. */
	rc = xa_reserve(&ap_queue_index, q->apqn, GFP_KERNEL);
	if (rc)
		goto err_put;
	ap_bus_queue_registered(1);
	masks_gen = ap_perms_generation();
	ap_perms_apply_override(q);
	rc = device_add(&q->dev);
	if (rc) {
		ap_bus_queue_registered(-1);
		xa_release(&ap_queue_index, q->apqn);
		goto err_put;
	}
	xa_store(&ap_queue_index, q->apqn, q, GFP_KERNEL);
	/* A mask change committed meanwhile may not have found it. */
	if (ap_perms_generation() != masks_gen)
		ap_bus_revise_queue(q);
	return q;

err_put:
	put_device(&q->dev);
	return ERR_PTR(rc);
}

/**
 * ap_queue_get_next() - find the registered queue with the lowest APQN
 * in [*@apqn, @last]
 * @apqn: where to start; set to the APQN of the queue found
 * @last: where to stop
 *
 * Context: any context that may take a spinlock.
 * Return: the queue with a reference held (put_device(&q->dev) drops
 * it), or NULL if there is none in the range.
 */
struct ap_queue *ap_queue_get_next(unsigned long *apqn, unsigned long last)
{
	struct ap_queue *q;

	xa_lock(&ap_queue_index);
	q = xa_find(&ap_queue_index, apqn, last, XA_PRESENT);
	if (q)
		get_device(&q->dev);
	xa_unlock(&ap_queue_index);
	return q;
}

/**
 * ap_queue_get() - find the device of a queue
 * @apqn: the queue
 *
 * Context: any context that may take a spinlock.
 * Return: the queue with a reference held (put_device(&q->dev) drops
 * it), or NULL if the bus has no device for @apqn.
 */
struct ap_queue *ap_queue_get(apqn_t apqn)
{
	unsigned long index = apqn;

	return ap_queue_get_next(&index, apqn);
}
EXPORT_SYMBOL_GPL(ap_queue_get);

/**
 * ap_queue_update() - record a queue's state as a scan found it
 * @q: the queue
 * @config: the queue is configured
 * @chkstop: the queue is check-stopped
 *
 * Sends a CONFIG= change uevent when @config changed.
 *
 * Context: the bus scan.
 */
void ap_queue_update(struct ap_queue *q, bool config, bool chkstop)
{
	/* Requests the queue can no longer answer end now. */
	if (chkstop && !q->chkstop)
		ap_queue_flush(q, AP_FLUSH_CHKSTOP);
	if (!config && q->config)
		ap_queue_flush(q, AP_FLUSH_DECONFIG);
	WRITE_ONCE(q->chkstop, chkstop);
	if (q->config == config)
		return;
	WRITE_ONCE(q->config, config);
	ap_device_config_uevent(&q->dev, config);
}

/**
 * ap_queue_destroy() - unregister the device of a queue
 * @q: the queue
 *
 * Its driver is unbound first (and the queue reset, see ap_bus_remove()).
 *
 * Context: the bus scan.
 */
void ap_queue_destroy(struct ap_queue *q)
{
	xa_erase(&ap_queue_index, q->apqn);
	device_del(&q->dev);
	ap_bus_queue_registered(-1);
	cancel_delayed_work_sync(&q->reset_work);
	put_device(&q->dev);
}
