// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated AP facility: an LPAR's adapters, domains and queues, the
 * changes an SE or SCLP makes to them, their listings, and building the
 * machine from the module parameters. The AP instructions acting on them
 * are in instr.c.
 *
 * The machine is what an LPAR sees: adapters assigned to it (APM), each
 * configured (online) or in standby, possibly check-stopped; usage
 * domains (AQM) and control domains (ADM). Every adapter has a queue per
 * usage domain, with a mode (CCA, accelerator or EP11; each queue has its
 * own, so that any table of modes can be reproduced), an interrupt state,
 * a reset that takes a configurable time, a one-slot reply buffer for the
 * request protocol of <ap/sim.h>, the secret a guest may store, and a
 * one-shot response code per instruction for fault injection.
 *
 * ap_sim_lock protects: the machine (ap_sim_adapters, ap_sim_aqm,
 * ap_sim_adm and every adapter and queue). It is a leaf spinlock: the
 * instructions run under it and are called from any context.
 */

#define pr_fmt(fmt) "ap_sim: " fmt

#include <linux/bitmap.h>
#include <linux/jiffies.h>
#include <linux/kstrtox.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include "internal.h"

DEFINE_SPINLOCK(ap_sim_lock);
struct ap_sim_adapter *ap_sim_adapters[AP_IDS];
DECLARE_BITMAP(ap_sim_aqm, AP_IDS);
DECLARE_BITMAP(ap_sim_adm, AP_IDS);

static char *adapters = "4-6";
module_param(adapters, charp, 0444);
MODULE_PARM_DESC(adapters, "Adapters assigned to the LPAR (list, default 4-6)");

static char *domains = "4,71,171,255";
module_param(domains, charp, 0444);
MODULE_PARM_DESC(domains, "Usage domains of the LPAR (list, default 4,71,171,255)");

static char *control_domains;
module_param(control_domains, charp, 0444);
MODULE_PARM_DESC(control_domains, "Control domains of the LPAR (list, default: the usage domains)");

static char *types = "4:CEX5C,5:CEX5C,6:CEX5A";
module_param(types, charp, 0444);
MODULE_PARM_DESC(types, "Adapter types, APID:TYPE,... (default 4:CEX5C,5:CEX5C,6:CEX5A; others CEX5C)");

static char *modes = "05.0047:A,05.00ff:A,06.00ab:C";
module_param(modes, charp, 0444);
MODULE_PARM_DESC(modes, "Queue modes that differ from the adapter's, APQN:C|A|P,...");

static unsigned int max_apid = 255;
module_param(max_apid, uint, 0444);
MODULE_PARM_DESC(max_apid, "Highest adapter id (default 255; <= 63 with max_apqi <= 15 means no APXA)");

static unsigned int max_apqi = 255;
module_param(max_apqi, uint, 0444);
MODULE_PARM_DESC(max_apqi, "Highest domain id (default 255)");

static unsigned int reset_ms;
module_param(reset_ms, uint, 0444);
MODULE_PARM_DESC(reset_ms, "Time a queue reset takes, in ms (default 0)");

static const char * const ap_sim_op_names[AP_SIM_NR_OPS] = {
	[AP_SIM_OP_TAPQ] = "tapq",
	[AP_SIM_OP_RESET] = "reset",
	[AP_SIM_OP_AQIC] = "aqic",
	[AP_SIM_OP_NQAP] = "nqap",
	[AP_SIM_OP_DQAP] = "dqap",
};

/**
 * ap_sim_op_name() - the name of an instruction kind, as "inject" takes it
 * @op: the instruction kind
 *
 * Return: the name, or NULL for an unknown kind.
 */
const char *ap_sim_op_name(enum ap_sim_op op)
{
	return op < AP_SIM_NR_OPS ? ap_sim_op_names[op] : NULL;
}

static bool ap_sim_apxa(void)
{
	return max_apid > 63 || max_apqi > 15;
}

/**
 * ap_sim_reset_progress() - end a queue's reset if its latency has passed
 * @q: the queue
 *
 * Context: ap_sim_lock held.
 */
void ap_sim_reset_progress(struct ap_sim_queue *q)
{
	if (q->resetting && q->latency_ms != AP_SIM_LATENCY_NEVER &&
	    time_after_eq(jiffies, q->reset_done))
		q->resetting = false;
}

/**
 * ap_sim_qci_locked() - the LPAR's configuration, as QCI reports it
 * @cfg: receives the masks, limits and facilities
 *
 * Context: ap_sim_lock held.
 * Return: 0.
 */
int ap_sim_qci_locked(struct ap_hw_config *cfg)
{
	unsigned int apid;

	lockdep_assert_held(&ap_sim_lock);
	ap_matrix_clear(&cfg->masks);
	for (apid = 0; apid < AP_IDS; apid++)
		if (ap_sim_adapters[apid] && ap_sim_adapters[apid]->assigned)
			__set_bit(apid, cfg->masks.apm);
	bitmap_copy(cfg->masks.aqm, ap_sim_aqm, AP_IDS);
	bitmap_copy(cfg->masks.adm, ap_sim_adm, AP_IDS);
	cfg->limits.max_apid = max_apid;
	cfg->limits.max_apqi = max_apqi;
	cfg->flags = AP_HW_QCI_APSC | AP_HW_QCI_QACT |
		     (ap_sim_apxa() ? AP_HW_QCI_APXA : 0);
	return 0;
}

/**
 * ap_sim_qci() - QCI of the host
 * @cfg: receives the LPAR's configuration
 *
 * Context: any context; takes ap_sim_lock.
 * Return: 0.
 */
int ap_sim_qci(struct ap_hw_config *cfg)
{
	int ret;

	spin_lock(&ap_sim_lock);
	ret = ap_sim_qci_locked(cfg);
	spin_unlock(&ap_sim_lock);
	return ret;
}

/**
 * ap_sim_start_reset_locked() - start a reset of a queue
 * @q: the queue
 * @zeroize: also clear its secret (and who stored it)
 *
 * Context: ap_sim_lock held.
 */
void ap_sim_start_reset_locked(struct ap_sim_queue *q, bool zeroize)
{
	lockdep_assert_held(&ap_sim_lock);
	q->resetting = true;
	q->reset_done = jiffies + msecs_to_jiffies(q->latency_ms);
	ap_sim_irq_clear(q);
	ap_sim_drop_requests_locked(q);
	if (zeroize) {
		q->secret = 0;
		q->owner = AP_SIM_HOST;
	}
}

/**
 * ap_sim_irq_clear() - a queue's interrupts are disabled: by AQIC, or
 * by a reset, which also forgets where they went
 * @q: the queue
 *
 * Context: ap_sim_lock held.
 */
void ap_sim_irq_clear(struct ap_sim_queue *q)
{
	lockdep_assert_held(&ap_sim_lock);
	q->irq = false;
	q->irq_guest = AP_SIM_HOST;
	q->irq_gisc = 0;
	q->nib_page = NULL;
	q->nib_offset = 0;
}

/*
 * An adapter stops (standby, check-stop, or it leaves the LPAR): every
 * queue forgets its interrupt target, and loses its requests.
 */
static void ap_sim_adapter_halt(struct ap_sim_adapter *a)
{
	unsigned int apqi;

	for (apqi = 0; apqi < AP_IDS; apqi++) {
		ap_sim_irq_clear(&a->queues[apqi]);
		ap_sim_drop_requests_locked(&a->queues[apqi]);
	}
}

static void ap_sim_init_adapter(struct ap_sim_adapter *a, u8 type, u32 mode)
{
	unsigned int apqi, op;

	a->type = type;
	a->facilities = AP_SIM_FUNCTIONS;
	a->configured = true;
	for (apqi = 0; apqi < AP_IDS; apqi++) {
		a->queues[apqi].mode = mode;
		a->queues[apqi].latency_ms = reset_ms;
		INIT_LIST_HEAD(&a->queues[apqi].reqs);
		for (op = 0; op < AP_SIM_NR_OPS; op++)
			a->queues[apqi].inject[op] = AP_SIM_NO_INJECT;
	}
}

static int ap_sim_add_adapter_locked(unsigned int apid,
				     struct ap_sim_adapter **fresh)
{
	lockdep_assert_held(&ap_sim_lock);
	if (!ap_sim_adapters[apid])
		swap(ap_sim_adapters[apid], *fresh);
	if (ap_sim_adapters[apid]->assigned)
		return -EEXIST;
	ap_sim_adapters[apid]->assigned = true;
	return 0;
}

/**
 * ap_sim_add_adapter() - assign an adapter to the LPAR (SE)
 * @apid: the adapter
 * @type: its raw AP type, for an adapter the machine did not have yet
 * @mode: the mode of its queues, likewise
 *
 * An adapter that was assigned before comes back as it was, secrets
 * included. A new one starts configured.
 *
 * Return: 0, -EINVAL if @apid is above the machine's maximum, -EEXIST if
 * it is assigned already, -ENOMEM.
 */
int ap_sim_add_adapter(unsigned int apid, u8 type, u32 mode)
{
	struct ap_sim_adapter *a;
	int ret;

	if (apid > max_apid)
		return -EINVAL;
	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	ap_sim_init_adapter(a, type, mode);
	spin_lock(&ap_sim_lock);
	ret = ap_sim_add_adapter_locked(apid, &a);
	spin_unlock(&ap_sim_lock);
	kfree(a);	/* NULL if it became the adapter */
	return ret;
}

static int ap_sim_remove_adapter_locked(unsigned int apid)
{
	lockdep_assert_held(&ap_sim_lock);
	if (apid >= AP_IDS || !ap_sim_adapters[apid] ||
	    !ap_sim_adapters[apid]->assigned)
		return -ENOENT;
	ap_sim_adapters[apid]->assigned = false;
	ap_sim_adapter_halt(ap_sim_adapters[apid]);
	return 0;
}

/**
 * ap_sim_remove_adapter() - take an adapter out of the LPAR (SE)
 * @apid: the adapter
 *
 * Return: 0, or -ENOENT if it is not assigned.
 */
int ap_sim_remove_adapter(unsigned int apid)
{
	int ret;

	spin_lock(&ap_sim_lock);
	ret = ap_sim_remove_adapter_locked(apid);
	spin_unlock(&ap_sim_lock);
	return ret;
}

static int ap_sim_set_domain_locked(unsigned int apqi, bool usage, bool on)
{
	unsigned long *mask = usage ? ap_sim_aqm : ap_sim_adm;
	unsigned int apid;

	lockdep_assert_held(&ap_sim_lock);
	if (apqi > max_apqi)
		return -EINVAL;
	if (test_bit(apqi, mask) == on)
		return on ? -EEXIST : -ENOENT;
	__assign_bit(apqi, mask, on);
	for (apid = 0; usage && !on && apid < AP_IDS; apid++)
		if (ap_sim_adapters[apid]) {
			ap_sim_irq_clear(&ap_sim_adapters[apid]->queues[apqi]);
			ap_sim_drop_requests_locked(&ap_sim_adapters[apid]->queues[apqi]);
		}
	return 0;
}

/**
 * ap_sim_set_domain() - add or remove a usage or control domain (SE)
 * @apqi: the domain
 * @usage: a usage domain (AQM) or a control domain (ADM)
 * @on: add or remove
 *
 * Return: 0, -EINVAL above the maximum, -EEXIST or -ENOENT if there is
 * nothing to change.
 */
int ap_sim_set_domain(unsigned int apqi, bool usage, bool on)
{
	int ret;

	spin_lock(&ap_sim_lock);
	ret = ap_sim_set_domain_locked(apqi, usage, on);
	spin_unlock(&ap_sim_lock);
	return ret;
}

/**
 * ap_sim_assigned_locked() - an adapter the LPAR has
 * @apid: the adapter
 *
 * Context: ap_sim_lock held.
 * Return: the adapter if it is assigned to the LPAR, else NULL.
 */
struct ap_sim_adapter *ap_sim_assigned_locked(unsigned int apid)
{
	lockdep_assert_held(&ap_sim_lock);
	if (apid >= AP_IDS || !ap_sim_adapters[apid] ||
	    !ap_sim_adapters[apid]->assigned)
		return NULL;
	return ap_sim_adapters[apid];
}

static int ap_sim_configure_locked(unsigned int apid, bool on)
{
	struct ap_sim_adapter *a;
	unsigned int apqi;

	lockdep_assert_held(&ap_sim_lock);
	a = ap_sim_assigned_locked(apid);
	if (!a)
		return -ENODEV;
	if (on && !a->configured)
		for (apqi = 0; apqi < AP_IDS; apqi++)
			ap_sim_start_reset_locked(&a->queues[apqi], true);
	if (!on)
		ap_sim_adapter_halt(a);
	a->configured = on;
	return 0;
}

/**
 * ap_sim_configure() - configure an adapter on or off (SCLP or SE)
 * @apid: the adapter
 * @on: online (true) or standby
 *
 * Coming online resets and zeroizes every queue of the adapter, as a
 * power-on does.
 *
 * Return: 0, or -ENODEV if the adapter is not assigned to the LPAR.
 */
int ap_sim_configure(unsigned int apid, bool on)
{
	int ret;

	spin_lock(&ap_sim_lock);
	ret = ap_sim_configure_locked(apid, on);
	spin_unlock(&ap_sim_lock);
	return ret;
}

static int ap_sim_checkstop_locked(unsigned int apid, bool on)
{
	struct ap_sim_adapter *a;

	lockdep_assert_held(&ap_sim_lock);
	a = ap_sim_assigned_locked(apid);
	if (!a)
		return -ENODEV;
	if (on)
		ap_sim_adapter_halt(a);
	a->chkstop = on;
	return 0;
}

/**
 * ap_sim_checkstop() - put an adapter into or out of check-stop
 * @apid: the adapter
 * @on: check-stopped or not
 *
 * Entering check-stop forgets every queue's interrupt target: the
 * adapter signals nothing set before it (see simulator.rst).
 *
 * Return: 0, or -ENODEV if the adapter is not assigned to the LPAR.
 */
int ap_sim_checkstop(unsigned int apid, bool on)
{
	int ret;

	spin_lock(&ap_sim_lock);
	ret = ap_sim_checkstop_locked(apid, on);
	spin_unlock(&ap_sim_lock);
	return ret;
}

static int ap_sim_set_type_locked(unsigned int apid, u8 type, u32 mode)
{
	struct ap_sim_adapter *a;
	unsigned int apqi;

	lockdep_assert_held(&ap_sim_lock);
	a = ap_sim_assigned_locked(apid);
	if (!a)
		return -ENODEV;
	a->type = type;
	for (apqi = 0; apqi < AP_IDS; apqi++)
		a->queues[apqi].mode = mode;
	return 0;
}

/**
 * ap_sim_set_type() - change an adapter's type and the mode of its queues
 * @apid: the adapter
 * @type: the raw AP type
 * @mode: the mode of all its queues
 *
 * Return: 0, or -ENODEV if the adapter is not assigned to the LPAR.
 */
int ap_sim_set_type(unsigned int apid, u8 type, u32 mode)
{
	int ret;

	spin_lock(&ap_sim_lock);
	ret = ap_sim_set_type_locked(apid, type, mode);
	spin_unlock(&ap_sim_lock);
	return ret;
}

/**
 * ap_sim_set_facilities() - change what TAPQ reports of an adapter's
 * queues besides their mode
 * @apid: the adapter
 * @bits: the facility bits, AP_HW_FUNC_* without the mode bits
 *
 * Return: 0, or -ENODEV if the adapter is not assigned to the LPAR.
 */
int ap_sim_set_facilities(unsigned int apid, u32 bits)
{
	struct ap_sim_adapter *a;
	int rc = -ENODEV;

	spin_lock(&ap_sim_lock);
	a = ap_sim_assigned_locked(apid);
	if (a) {
		a->facilities = bits;
		rc = 0;
	}
	spin_unlock(&ap_sim_lock);
	return rc;
}

static int ap_sim_set_mode_locked(apqn_t apqn, u32 mode)
{
	struct ap_sim_adapter *a;

	lockdep_assert_held(&ap_sim_lock);
	a = ap_sim_assigned_locked(ap_apqn_apid(apqn));
	if (!a)
		return -ENODEV;
	a->queues[ap_apqn_apqi(apqn)].mode = mode;
	return 0;
}

/**
 * ap_sim_set_mode() - change the mode of one queue
 * @apqn: the queue
 * @mode: AP_HW_FUNC_CCA, _ACCEL or _EP11
 *
 * Return: 0, or -ENODEV if the adapter is not assigned to the LPAR.
 */
int ap_sim_set_mode(apqn_t apqn, u32 mode)
{
	int ret;

	spin_lock(&ap_sim_lock);
	ret = ap_sim_set_mode_locked(apqn, mode);
	spin_unlock(&ap_sim_lock);
	return ret;
}

/*
 * ap_sim_each_queue_locked() - call @fn(q, @v) on queue @apqn, or with
 * @all on every queue of every adapter the machine has; -ENODEV if
 * @apqn's adapter is unknown.
 */
static int ap_sim_each_queue_locked(apqn_t apqn, bool all,
				    void (*fn)(struct ap_sim_queue *q,
					       unsigned int v),
				    unsigned int v)
{
	unsigned int apid, apqi;

	lockdep_assert_held(&ap_sim_lock);
	if (!all && !ap_sim_adapters[ap_apqn_apid(apqn)])
		return -ENODEV;
	for (apid = 0; apid < AP_IDS; apid++) {
		if (!ap_sim_adapters[apid] ||
		    (!all && apid != ap_apqn_apid(apqn)))
			continue;
		for (apqi = 0; apqi < AP_IDS; apqi++)
			if (all || apqi == ap_apqn_apqi(apqn))
				fn(&ap_sim_adapters[apid]->queues[apqi], v);
	}
	return 0;
}

static void ap_sim_latency_fn(struct ap_sim_queue *q, unsigned int ms)
{
	q->latency_ms = ms;
	if (q->resetting && ms != AP_SIM_LATENCY_NEVER)
		q->reset_done = jiffies + msecs_to_jiffies(ms);
}

static int ap_sim_set_latency_locked(apqn_t apqn, bool all, unsigned int ms)
{
	return ap_sim_each_queue_locked(apqn, all, ap_sim_latency_fn, ms);
}

static void ap_sim_delay_fn(struct ap_sim_queue *q, unsigned int us)
{
	q->delay_us = us;
}

/**
 * ap_sim_set_delay() - set how long a request takes until its reply
 * @apqn: the queue
 * @all: every queue of every adapter instead
 * @us: microseconds, counted from the NQAP, for requests sent from now
 *
 * Return: 0, or -ENODEV if the queue's adapter is unknown.
 */
int ap_sim_set_delay(apqn_t apqn, bool all, unsigned int us)
{
	int ret;

	spin_lock(&ap_sim_lock);
	ret = ap_sim_each_queue_locked(apqn, all, ap_sim_delay_fn, us);
	spin_unlock(&ap_sim_lock);
	return ret;
}

/**
 * ap_sim_set_latency() - set how long resets take
 * @apqn: the queue
 * @all: every queue of every adapter instead
 * @ms: milliseconds, or AP_SIM_LATENCY_NEVER
 *
 * A reset running on a queue gets the new latency, counted from now.
 *
 * Return: 0, or -ENODEV if the queue's adapter is unknown.
 */
int ap_sim_set_latency(apqn_t apqn, bool all, unsigned int ms)
{
	int ret;

	spin_lock(&ap_sim_lock);
	ret = ap_sim_set_latency_locked(apqn, all, ms);
	spin_unlock(&ap_sim_lock);
	return ret;
}

static int ap_sim_inject_locked(apqn_t apqn, enum ap_sim_op op, u8 rc)
{
	struct ap_sim_adapter *a;

	lockdep_assert_held(&ap_sim_lock);
	a = ap_sim_adapters[ap_apqn_apid(apqn)];
	if (!a)
		return -ENODEV;
	a->queues[ap_apqn_apqi(apqn)].inject[op] = rc;
	return 0;
}

/**
 * ap_sim_inject() - make the next instruction of a kind on a queue fail
 * @apqn: the queue
 * @op: the instruction
 * @rc: the response code it answers
 *
 * Return: 0, or -ENODEV if the queue's adapter is unknown.
 */
int ap_sim_inject(apqn_t apqn, enum ap_sim_op op, u8 rc)
{
	int ret;

	spin_lock(&ap_sim_lock);
	ret = ap_sim_inject_locked(apqn, op, rc);
	spin_unlock(&ap_sim_lock);
	return ret;
}

static void ap_sim_show_queue(struct seq_file *s, unsigned int apid,
			      unsigned int apqi, const struct ap_sim_queue *q)
{
	seq_printf(s, "%02x.%04x mode=%s irq=%d reset=%s secret=0x%llx",
		   apid, apqi, ap_sim_mode_name(q->mode), q->irq,
		   q->resetting ? "running" : "idle", q->secret);
	if (q->latency_ms == AP_SIM_LATENCY_NEVER)
		seq_puts(s, " latency=never");
	else
		seq_printf(s, " latency=%u", q->latency_ms);
	if (!q->secret)
		seq_puts(s, " owner=-");
	else if (q->owner == AP_SIM_HOST)
		seq_puts(s, " owner=host");
	else
		seq_printf(s, " owner=guest%u", q->owner);
	seq_printf(s, " mk=0x%llx\n", q->mk);
}

static void ap_sim_show_queues_locked(struct seq_file *s)
{
	struct ap_sim_adapter *a;
	unsigned int apid, apqi;

	lockdep_assert_held(&ap_sim_lock);
	for (apid = 0; apid < AP_IDS; apid++) {
		a = ap_sim_adapters[apid];
		if (!a || !a->assigned)
			continue;
		for_each_set_bit(apqi, ap_sim_aqm, AP_IDS) {
			ap_sim_reset_progress(&a->queues[apqi]);
			ap_sim_show_queue(s, apid, apqi, &a->queues[apqi]);
		}
	}
}

/**
 * ap_sim_show_queues() - list the queues the LPAR has
 * @s: the seq_file of the queues debugfs file
 */
void ap_sim_show_queues(struct seq_file *s)
{
	spin_lock(&ap_sim_lock);
	ap_sim_show_queues_locked(s);
	spin_unlock(&ap_sim_lock);
}

static void ap_sim_show_adapters_locked(struct seq_file *s)
{
	unsigned int first = find_first_bit(ap_sim_aqm, AP_IDS) % AP_IDS;
	struct ap_sim_adapter *a;
	unsigned int apid;
	char type[16];

	lockdep_assert_held(&ap_sim_lock);
	for (apid = 0; apid < AP_IDS; apid++) {
		a = ap_sim_adapters[apid];
		if (!a || !a->assigned)
			continue;
		ap_sim_type_name(a->type, a->queues[first].mode, type,
				 sizeof(type));
		seq_printf(s, "%02x type=%s hwtype=%u config=%d chkstop=%d\n",
			   apid, type, a->type, a->configured, a->chkstop);
	}
}

/**
 * ap_sim_show_adapters() - list the adapters the LPAR has
 * @s: the seq_file of the adapters debugfs file
 */
void ap_sim_show_adapters(struct seq_file *s)
{
	spin_lock(&ap_sim_lock);
	ap_sim_show_adapters_locked(s);
	spin_unlock(&ap_sim_lock);
}

/**
 * ap_sim_show_config() - show the LPAR's configuration as QCI reports it
 * @s: the seq_file of the config debugfs file
 */
void ap_sim_show_config(struct seq_file *s)
{
	char text[AP_MASK_STRLEN + 1];
	struct ap_hw_config cfg;

	ap_sim_qci(&cfg);
	ap_mask_format(cfg.masks.apm, text, sizeof(text));
	seq_printf(s, "adapters %s\n", text);
	ap_mask_format(cfg.masks.aqm, text, sizeof(text));
	seq_printf(s, "usage_domains %s\n", text);
	ap_mask_format(cfg.masks.adm, text, sizeof(text));
	seq_printf(s, "control_domains %s\n", text);
	seq_printf(s, "max_apid %u\nmax_apqi %u\napxa %d\n", max_apid,
		   max_apqi, ap_sim_apxa());
}

/* Parse a bit list module parameter into @mask (ids above the maximum
 * are refused).
 */
static int ap_sim_parse_list(const char *name, const char *list,
			     unsigned long *mask, unsigned int max)
{
	int rc = bitmap_parselist(list, mask, AP_IDS);

	if (!rc && find_next_bit(mask, AP_IDS, max + 1) < AP_IDS)
		rc = -EINVAL;
	if (rc)
		pr_err("invalid %s=%s\n", name, list);
	return rc;
}

/* Apply "APID:TYPE,..." to the adapters just created. */
static int ap_sim_apply_types(const char *list)
{
	char *copy __free(kfree) = kstrdup(list, GFP_KERNEL);
	char *item, *cur = copy;
	unsigned long apid;
	u32 mode;
	u8 type;

	if (!copy)
		return -ENOMEM;
	while ((item = strsep(&cur, ","))) {
		char *colon = strchr(item, ':');

		if (!*item)
			continue;
		if (!colon)
			return -EINVAL;
		*colon = '\0';
		if (ap_id_parse(item, strlen(item), &apid) || apid >= AP_IDS ||
		    ap_sim_parse_type(colon + 1, &type, &mode))
			return -EINVAL;
		if (ap_sim_adapters[apid])
			ap_sim_init_adapter(ap_sim_adapters[apid], type, mode);
	}
	return 0;
}

/* Apply "APQN:MODE,..." to the adapters just created. */
static int ap_sim_apply_modes(const char *list)
{
	char *copy __free(kfree) = kstrdup(list, GFP_KERNEL);
	char *item, *cur = copy;
	apqn_t apqn;
	u32 mode;

	if (!copy)
		return -ENOMEM;
	while ((item = strsep(&cur, ","))) {
		char *colon = strchr(item, ':');
		struct ap_sim_adapter *a;

		if (!*item)
			continue;
		if (!colon ||
		    ap_apqn_parse(item, colon - item, &apqn) != colon - item ||
		    ap_sim_parse_mode(colon + 1, &mode))
			return -EINVAL;
		a = ap_sim_adapters[ap_apqn_apid(apqn)];
		if (a)
			a->queues[ap_apqn_apqi(apqn)].mode = mode;
	}
	return 0;
}

/**
 * ap_sim_init_machine() - build the machine from the module parameters
 *
 * The defaults are the LPAR of the specification's example: adapters 4,
 * 5 and 6 (CEX5), usage and control domains 4, 71, 171 and 255, with the
 * queue modes of its guest tables.
 *
 * Return: 0, -EINVAL for a bad parameter, -ENOMEM.
 */
int ap_sim_init_machine(void)
{
	DECLARE_BITMAP(apm, AP_IDS);
	unsigned int apid;
	int rc;

	if (max_apid >= AP_IDS || max_apqi >= AP_IDS) {
		pr_err("max_apid and max_apqi must be below %d\n", AP_IDS);
		return -EINVAL;
	}
	if (ap_sim_parse_list("adapters", adapters, apm, max_apid) ||
	    ap_sim_parse_list("domains", domains, ap_sim_aqm, max_apqi) ||
	    ap_sim_parse_list("control_domains",
			      control_domains ?: domains, ap_sim_adm, max_apqi))
		return -EINVAL;
	for_each_set_bit(apid, apm, AP_IDS) {
		rc = ap_sim_add_adapter(apid, AP_HW_TYPE_CEX5, AP_HW_FUNC_CCA);
		if (rc)
			return rc;
	}
	rc = ap_sim_apply_types(types);
	if (!rc)
		rc = ap_sim_apply_modes(modes);
	if (rc)
		pr_err("invalid types=%s or modes=%s\n", types, modes);
	return rc;
}

/**
 * ap_sim_free_machine() - forget the machine
 */
void ap_sim_free_machine(void)
{
	unsigned int apid;

	unsigned int apqi;

	for (apid = 0; apid < AP_IDS; apid++) {
		if (!ap_sim_adapters[apid])
			continue;
		spin_lock(&ap_sim_lock);
		for (apqi = 0; apqi < AP_IDS; apqi++)
			ap_sim_drop_requests_locked(&ap_sim_adapters[apid]->queues[apqi]);
		spin_unlock(&ap_sim_lock);
		kfree(ap_sim_adapters[apid]);
		ap_sim_adapters[apid] = NULL;
	}
}
