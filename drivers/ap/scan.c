// SPDX-License-Identifier: GPL-2.0
/*
 * Bus scans: reading the machine's AP configuration and making the card
 * and queue devices follow it.
 *
 * A scan queries the configuration (QCI), tests one queue of every
 * adapter (TAPQ) to learn its type and whether it is configured, and
 * derives the configuration drivers see: the LPAR's adapters that are
 * configured (an adapter configured off through SCLP or the SE is out of
 * the configuration until it is configured on again), its usage domains
 * and its control domains. If that changed, drivers hear of it twice:
 * on_config_changed() before any device is added or removed, and
 * on_scan_complete() after all are, so a driver can apply every change of
 * one event at once.
 *
 * Scans run periodically (config_time), when the machine signals a
 * configuration change, when scans is written, when a backend comes or
 * goes, and when the simulator changes the machine.
 *
 * ap_scan_mutex protects: the device tables ap_scan_adapters[] and
 * ap_scan_probes[], ap_scan_task (written), and serialises scans.
 * ap_scan_lock (a leaf spinlock) protects: ap_scan_cfg, ap_scan_hw,
 * ap_scan_domain, ap_scan_scans, for readers outside scans.
 */

#define pr_fmt(fmt) "ap: " fmt

#include <linux/device.h>
#include <linux/export.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/workqueue.h>
#include <trace/events/ap_bus.h>
#include "internal.h"

/* Limits when the machine has no AP extended addressing (APXA). */
#define AP_SCAN_MAX_APID_NO_APXA	63
#define AP_SCAN_MAX_APQI_NO_APXA	15

/**
 * struct ap_scan_adapter - the devices of one adapter
 * @card: its card device
 * @queues: its queue devices, by domain
 */
struct ap_scan_adapter {
	struct ap_card *card;
	struct ap_queue *queues[AP_IDS];
};

/**
 * struct ap_scan_probe - what a scan learnt about one adapter
 * @present: one of its queues answered
 * @config: the adapter is configured
 * @chkstop: the adapter is check-stopped
 * @info: what TAPQ told about it
 */
struct ap_scan_probe {
	bool present;
	bool config;
	bool chkstop;
	struct ap_hw_queue_info info;
};

static DEFINE_MUTEX(ap_scan_mutex);
static struct task_struct *ap_scan_task;
static struct ap_scan_adapter *ap_scan_adapters[AP_IDS];
static struct ap_scan_probe ap_scan_probes[AP_IDS];

static DEFINE_SPINLOCK(ap_scan_lock);
static struct ap_matrix ap_scan_cfg;
static struct ap_hw_config ap_scan_hw;
static bool ap_scan_qci_ok;
static int ap_scan_domain = -1;
static u64 ap_scan_scans;

static unsigned int ap_scan_config_secs = 30;
static void ap_scan_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(ap_scan_work, ap_scan_work_fn);

/**
 * ap_bus_get_config() - the configuration drivers see, as of the last scan
 * @cfg: if not NULL, receives configured adapters, usage and control domains
 * @limits: if not NULL, receives the highest adapter and domain ids
 *
 * Context: any context; takes a leaf spinlock.
 */
void ap_bus_get_config(struct ap_matrix *cfg, struct ap_limits *limits)
{
	spin_lock(&ap_scan_lock);
	if (cfg)
		*cfg = ap_scan_cfg;
	if (limits)
		*limits = ap_scan_hw.limits;
	spin_unlock(&ap_scan_lock);
}
EXPORT_SYMBOL_GPL(ap_bus_get_config);

/**
 * ap_bus_default_domain() - the default domain (ap_domain)
 *
 * Return: its index, or -1 while there is none.
 */
int ap_bus_default_domain(void)
{
	return ap_scan_default_domain();
}
EXPORT_SYMBOL_GPL(ap_bus_default_domain);

/**
 * ap_scan_hw_config() - the machine's configuration as of the last scan
 * @cfg: receives it (all of the LPAR's adapters, configured or not)
 *
 * Return: false if no configuration could be queried.
 */
bool ap_scan_hw_config(struct ap_hw_config *cfg)
{
	bool ok;

	spin_lock(&ap_scan_lock);
	*cfg = ap_scan_hw;
	ok = ap_scan_qci_ok;
	spin_unlock(&ap_scan_lock);
	return ok;
}

u64 ap_scan_count(void)
{
	u64 n;

	spin_lock(&ap_scan_lock);
	n = ap_scan_scans;
	spin_unlock(&ap_scan_lock);
	return n;
}

bool ap_scan_done_once(void)
{
	return ap_scan_count() > 0;
}

int ap_scan_default_domain(void)
{
	int apqi;

	spin_lock(&ap_scan_lock);
	apqi = ap_scan_domain;
	spin_unlock(&ap_scan_lock);
	return apqi;
}

/**
 * ap_scan_set_default_domain() - choose the default domain (ap_domain)
 * @apqi: a domain up to the highest domain id that aqmask reserves for the
 *        host; it need not be in the configuration now, and stays the
 *        default when it leaves it
 *
 * Return: 0 or -EINVAL.
 */
int ap_scan_set_default_domain(unsigned long apqi)
{
	struct ap_limits limits;
	struct ap_matrix cfg;

	ap_bus_get_config(&cfg, &limits);
	if (apqi > limits.max_apqi || !ap_perms_domain_reserved(apqi))
		return -EINVAL;
	spin_lock(&ap_scan_lock);
	ap_scan_domain = apqi;
	spin_unlock(&ap_scan_lock);
	return 0;
}

unsigned int ap_scan_config_time(void)
{
	return READ_ONCE(ap_scan_config_secs);
}

/**
 * ap_scan_set_config_time() - set the period of the periodic scan
 * @seconds: 5 to 120
 *
 * Return: 0 or -EINVAL.
 */
int ap_scan_set_config_time(unsigned int seconds)
{
	if (seconds < 5 || seconds > 120)
		return -EINVAL;
	WRITE_ONCE(ap_scan_config_secs, seconds);
	mod_delayed_work(system_long_wq, &ap_scan_work, seconds * HZ);
	return 0;
}

/*
 * ap_scan_probe_adapter() - test the adapter's queues until one answers.
 */
static void ap_scan_probe_adapter(unsigned int apid,
				  const struct ap_hw_config *hw,
				  struct ap_scan_probe *p)
{
	struct ap_scan_adapter *a = ap_scan_adapters[apid];
	struct ap_hw_status st;
	unsigned int apqi;

	memset(p, 0, sizeof(*p));
	ap_matrix_for_each_apqi(apqi, &hw->masks) {
		st = ap_hw_tapq(ap_apqn(apid, apqi), &p->info);
		if (st.rc == AP_HW_RC_Q_NOT_AVAIL)
			continue;
		p->present = true;
		p->config = st.rc != AP_HW_RC_DECONFIGURED;
		p->chkstop = st.rc == AP_HW_RC_CHECKSTOPPED;
		break;
	}
	/* A deconfigured adapter may not tell its type: keep the known one. */
	if (p->present && !p->info.type && a) {
		p->info.type = a->card->raw_type;
		p->info.functions = a->card->functions;
		p->info.depth = a->card->depth;
		p->info.max_msg_size = a->card->max_msg_size;
	}
}

static void ap_scan_remove_adapter(unsigned int apid)
{
	struct ap_scan_adapter *a = ap_scan_adapters[apid];
	unsigned int apqi;

	for (apqi = 0; apqi < AP_IDS; apqi++)
		if (a->queues[apqi])
			ap_queue_destroy(a->queues[apqi]);
	device_unregister(&a->card->dev);
	kfree(a);
	ap_scan_adapters[apid] = NULL;
}

static void ap_scan_queues(struct ap_scan_adapter *a,
			   const struct ap_hw_config *hw)
{
	struct ap_hw_queue_info info;
	struct ap_hw_status st;
	struct ap_queue *q;
	unsigned int apqi;
	bool config, chkstop;

	for (apqi = 0; apqi < AP_IDS; apqi++) {
		q = a->queues[apqi];
		st.rc = AP_HW_RC_Q_NOT_AVAIL;
		if (test_bit(apqi, hw->masks.aqm))
			st = ap_hw_tapq(ap_apqn(a->card->id, apqi), &info);
		if (st.rc == AP_HW_RC_Q_NOT_AVAIL) {
			if (q)
				ap_queue_destroy(q);
			a->queues[apqi] = NULL;
			continue;
		}
		config = st.rc != AP_HW_RC_DECONFIGURED;
		chkstop = st.rc == AP_HW_RC_CHECKSTOPPED;
		if (q) {
			ap_queue_update(q, config, chkstop);
			continue;
		}
		q = ap_queue_create(a->card, apqi, config, chkstop);
		if (IS_ERR(q)) {
			pr_err("cannot add queue %02x.%04x: %pe\n", a->card->id,
			       apqi, q);
			continue;
		}
		a->queues[apqi] = q;
	}
}

static void ap_scan_adapter(unsigned int apid, const struct ap_hw_config *hw)
{
	struct ap_scan_probe *p = &ap_scan_probes[apid];
	struct ap_scan_adapter *a = ap_scan_adapters[apid];
	struct ap_card *card;

	if (a && (!p->present ||
		  !ap_card_update(a->card, &p->info, p->config, p->chkstop))) {
		ap_scan_remove_adapter(apid);
		a = NULL;
	}
	if (!p->present)
		return;
	if (!a) {
		a = kzalloc(sizeof(*a), GFP_KERNEL);
		if (!a)
			return;
		card = ap_card_create(apid, &p->info, p->config, p->chkstop);
		if (IS_ERR(card)) {
			pr_err("cannot add card%02x: %pe\n", apid, card);
			kfree(a);
			return;
		}
		a->card = card;
		ap_scan_adapters[apid] = a;
	}
	ap_scan_queues(a, hw);
}

struct ap_scan_change {
	const struct ap_matrix *old;
	const struct ap_matrix *new;
	bool complete;
};

static int ap_scan_notify_one(struct device_driver *drv, void *data)
{
	struct ap_driver *ap_drv = to_ap_driver(drv);
	struct ap_scan_change *c = data;

	if (c->complete && ap_drv->on_scan_complete)
		ap_drv->on_scan_complete(c->old, c->new);
	else if (!c->complete && ap_drv->on_config_changed)
		ap_drv->on_config_changed(c->old, c->new);
	return 0;
}

static void ap_scan_notify(const struct ap_matrix *old,
			   const struct ap_matrix *new, bool complete)
{
	struct ap_scan_change c = { old, new, complete };

	bus_for_each_drv(&ap_bus_type, NULL, &c, ap_scan_notify_one);
}

/*
 * ap_scan_read_config() - query and probe the machine; derive the
 * configuration drivers see into @cfg.
 */
static bool ap_scan_read_config(struct ap_hw_config *hw, struct ap_matrix *cfg)
{
	bool ok = !ap_hw_qci(hw);
	unsigned int apid;

	if (!(hw->flags & AP_HW_QCI_APXA)) {
		hw->limits.max_apid = AP_SCAN_MAX_APID_NO_APXA;
		hw->limits.max_apqi = AP_SCAN_MAX_APQI_NO_APXA;
	}
	ap_matrix_clear(cfg);
	bitmap_copy(cfg->aqm, hw->masks.aqm, AP_IDS);
	bitmap_copy(cfg->adm, hw->masks.adm, AP_IDS);
	for (apid = 0; apid < AP_IDS; apid++) {
		struct ap_scan_probe *p = &ap_scan_probes[apid];

		if (test_bit(apid, hw->masks.apm))
			ap_scan_probe_adapter(apid, hw, p);
		else
			memset(p, 0, sizeof(*p));
		if (p->present && p->config)
			__set_bit(apid, cfg->apm);
	}
	return ok;
}

static void ap_scan_pick_domain_locked(const struct ap_matrix *cfg)
{
	unsigned int apqi;

	lockdep_assert_held(&ap_scan_lock);
	/* A choice, the bus's or the administrator's, is kept. */
	if (ap_scan_domain >= 0)
		return;
	ap_matrix_for_each_apqi(apqi, cfg) {
		ap_scan_domain = apqi;
		break;
	}
}

static void ap_scan_bus_locked(void)
{
	u64 t0 = ktime_get_ns();
	struct ap_hw_config hw;
	struct ap_matrix old, new;
	unsigned int apid;
	bool ok, changed, first;

	lockdep_assert_held(&ap_scan_mutex);
	ok = ap_scan_read_config(&hw, &new);
	scoped_guard(spinlock, &ap_scan_lock) {
		old = ap_scan_cfg;
		ap_scan_cfg = new;
		ap_scan_hw = hw;
		ap_scan_qci_ok = ok;
		ap_scan_pick_domain_locked(&new);
	}
	changed = !ap_matrix_equal(&old, &new);
	if (changed)
		ap_scan_notify(&old, &new, false);
	for (apid = 0; apid < AP_IDS; apid++)
		if (ap_scan_probes[apid].present || ap_scan_adapters[apid])
			ap_scan_adapter(apid, &hw);
	if (changed)
		ap_scan_notify(&old, &new, true);
	/*
	 * A device a driver failed to bind (its probe failed) is probed
	 * again; one whose driver is not loaded costs a match per driver.
	 */
	if (bus_rescan_devices(&ap_bus_type))
		pr_debug("a device could not be probed again\n");
	scoped_guard(spinlock, &ap_scan_lock)
		first = !ap_scan_scans++;
	if (first)
		ap_bus_uevent("INITSCAN", "done");
	ap_bus_check_bindings();
	trace_ap_scan(&old, &new, div_u64(ktime_get_ns() - t0, 1000));
}

/**
 * ap_bus_rescan() - scan the bus now and wait for the scan to finish
 *
 * A call from within a scan (a driver's probe asking for a rescan)
 * returns at once instead of deadlocking.
 *
 * Context: process context; takes the scan mutex.
 * Return: 0
 */
int ap_bus_rescan(void)
{
	if (READ_ONCE(ap_scan_task) == current)
		return 0;
	guard(mutex)(&ap_scan_mutex);
	WRITE_ONCE(ap_scan_task, current);
	ap_scan_bus_locked();
	WRITE_ONCE(ap_scan_task, NULL);
	return 0;
}
EXPORT_SYMBOL_GPL(ap_bus_rescan);

static void ap_scan_work_fn(struct work_struct *work)
{
	ap_bus_rescan();
	mod_delayed_work(system_long_wq, &ap_scan_work,
			 ap_scan_config_time() * HZ);
}

/**
 * ap_scan_soon() - start a scan right away, without waiting for it
 *
 * Context: any context.
 */
void ap_scan_soon(void)
{
	mod_delayed_work(system_long_wq, &ap_scan_work, 0);
}

int ap_scan_init(void)
{
	ap_bus_rescan();
	mod_delayed_work(system_long_wq, &ap_scan_work,
			 ap_scan_config_time() * HZ);
	return 0;
}

void ap_scan_exit(void)
{
	unsigned int apid;

	cancel_delayed_work_sync(&ap_scan_work);
	guard(mutex)(&ap_scan_mutex);
	for (apid = 0; apid < AP_IDS; apid++)
		if (ap_scan_adapters[apid])
			ap_scan_remove_adapter(apid);
}
