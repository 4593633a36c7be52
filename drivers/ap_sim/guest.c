// SPDX-License-Identifier: GPL-2.0
/*
 * Guest contexts of the simulated AP facility, and the machine's own
 * judgement of the guests' isolation.
 *
 * A guest context holds the CRYCB the passthrough driver loads for a
 * guest: the adapters (APM), usage domains (AQM) and control domains
 * (ADM) it may address. The machine interprets the guest's instructions
 * against it, as firmware does for a guest running under SIE: QCI shows
 * the CRYCB's masks as far as the LPAR has them; an instruction on a
 * queue outside the CRYCB answers "queue not available" and does
 * nothing; inside it, the instruction runs as the host's does and sees
 * the queue's real state. The context is created for any guest: the
 * simulated machine needs no KVM guest to interpret for.
 *
 * The machine also judges what it is asked to do. It records a
 * violation, with a warning in the log, when
 *
 * - a CRYCB load gives a guest a queue (of an adapter the machine has)
 *   that holds a secret someone else stored, the host or another guest;
 * - a CRYCB load gives a guest a queue that another guest's CRYCB has;
 * - the host addresses a queue holding a guest's secret (instr.c).
 *
 * ap_sim_lock protects: ap_sim_guests and every context on it (its
 * hook also under ap_sim_hook_rwsem, see irq.c), the id counter, and the
 * violation count and messages. A context is freed only
 * by its destroy, after it left the list.
 */

#define pr_fmt(fmt) "ap_sim: " fmt

#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include "internal.h"

static LIST_HEAD(ap_sim_guests);
static unsigned int ap_sim_guest_last_id;
static unsigned long ap_sim_violation_count;
static char ap_sim_violation_msgs[AP_SIM_VIOLATIONS_KEPT][AP_SIM_VIOLATION_LEN];

/**
 * ap_sim_violation_locked() - record a violation of a guest's isolation
 * @fmt: the message, printf style, starting with the APQN concerned
 *
 * Counts the violation, keeps its message among the last
 * AP_SIM_VIOLATIONS_KEPT and warns in the log.
 *
 * Context: ap_sim_lock held.
 */
void ap_sim_violation_locked(const char *fmt, ...)
{
	char *msg;
	va_list args;

	lockdep_assert_held(&ap_sim_lock);
	msg = ap_sim_violation_msgs[ap_sim_violation_count %
				    AP_SIM_VIOLATIONS_KEPT];
	va_start(args, fmt);
	vsnprintf(msg, AP_SIM_VIOLATION_LEN, fmt, args);
	va_end(args);
	ap_sim_violation_count++;
	pr_warn_ratelimited("isolation violated: %s\n", msg);
}

/**
 * ap_sim_violations_write() - what a write to the violations file does
 * @buf: the text written: "0", with one optional newline, clears the
 *       count and the messages
 * @len: its length
 *
 * Return: 0, or -EINVAL for any other text.
 */
int ap_sim_violations_write(const char *buf, size_t len)
{
	if (len && buf[len - 1] == '\n')
		len--;
	if (len != 1 || buf[0] != '0')
		return -EINVAL;
	spin_lock(&ap_sim_lock);
	ap_sim_violation_count = 0;
	memset(ap_sim_violation_msgs, 0, sizeof(ap_sim_violation_msgs));
	spin_unlock(&ap_sim_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(ap_sim_violations_write);

static void ap_sim_show_violations_locked(struct seq_file *s)
{
	unsigned long n = ap_sim_violation_count, i;

	lockdep_assert_held(&ap_sim_lock);
	i = n > AP_SIM_VIOLATIONS_KEPT ? n - AP_SIM_VIOLATIONS_KEPT : 0;
	for (; i < n; i++)
		seq_printf(s, "%s\n", ap_sim_violation_msgs[i %
							  AP_SIM_VIOLATIONS_KEPT]);
	seq_printf(s, "violations: %lu\n", n);
}

/**
 * ap_sim_show_violations() - list the violations recorded
 * @s: the seq_file of the violations debugfs file
 *
 * The messages kept, oldest first, then the count.
 */
void ap_sim_show_violations(struct seq_file *s)
{
	spin_lock(&ap_sim_lock);
	ap_sim_show_violations_locked(s);
	spin_unlock(&ap_sim_lock);
}

/**
 * ap_sim_guest_create() - create a guest context with an empty CRYCB
 * @kvm: the KVM guest; not needed, the simulated machine interprets the
 *       instructions of any guest
 *
 * Context: process context; may sleep.
 * Return: the context, or ERR_PTR(-ENOMEM).
 */
struct ap_hw_guest *ap_sim_guest_create(struct kvm *kvm)
{
	struct ap_sim_guest *g = kzalloc(sizeof(*g), GFP_KERNEL);

	if (!g)
		return ERR_PTR(-ENOMEM);
	spin_lock(&ap_sim_lock);
	g->hw.id = ++ap_sim_guest_last_id;
	list_add_tail(&g->node, &ap_sim_guests);
	spin_unlock(&ap_sim_lock);
	return &g->hw;
}

/**
 * ap_sim_guest_destroy() - forget a guest context and free it
 * @hw: the context
 *
 * Context: process context.
 */
void ap_sim_guest_destroy(struct ap_hw_guest *hw)
{
	struct ap_sim_guest *g = ap_sim_to_guest(hw);

	spin_lock(&ap_sim_lock);
	ap_sim_judge_guest_gone_locked(g);
	list_del(&g->node);
	spin_unlock(&ap_sim_lock);
	kfree(g);
}

/*
 * ap_sim_judge_secret_locked() - @g is given @apqn: does it reach a
 * secret someone else stored?
 */
static void ap_sim_judge_secret_locked(const struct ap_sim_guest *g,
				       apqn_t apqn)
{
	struct ap_sim_adapter *a = ap_sim_adapters[ap_apqn_apid(apqn)];
	char name[AP_APQN_NAME_LEN + 1];
	const struct ap_sim_queue *q;

	if (!a)
		return;
	q = &a->queues[ap_apqn_apqi(apqn)];
	if (!q->secret || q->owner == g->hw.id)
		return;
	ap_apqn_name(apqn, name);
	if (q->owner == AP_SIM_HOST)
		ap_sim_violation_locked("%s: secret of the host reached by guest %u",
					name, g->hw.id);
	else
		ap_sim_violation_locked("%s: secret of guest %u reached by guest %u",
					name, q->owner, g->hw.id);
}

/* @g is given @apqn: does another guest's CRYCB have it? */
static void ap_sim_judge_shared_locked(const struct ap_sim_guest *g,
				       apqn_t apqn)
{
	char name[AP_APQN_NAME_LEN + 1];
	struct ap_sim_guest *other;

	list_for_each_entry(other, &ap_sim_guests, node) {
		if (other == g || !ap_sim_guest_reaches(other, apqn))
			continue;
		ap_sim_violation_locked("%s: in the CRYCBs of guests %u and %u",
					ap_apqn_name(apqn, name), g->hw.id,
					other->hw.id);
	}
}

/* Judge every queue @crycb gives @g that its current CRYCB does not. */
static void ap_sim_judge_load_locked(const struct ap_sim_guest *g,
				     const struct ap_matrix *crycb)
{
	unsigned int apid, apqi;
	apqn_t apqn;

	lockdep_assert_held(&ap_sim_lock);
	ap_matrix_for_each_apid(apid, crycb) {
		ap_matrix_for_each_apqi(apqi, crycb) {
			if (ap_matrix_has_apqn(&g->crycb, apid, apqi))
				continue;
			apqn = ap_apqn(apid, apqi);
			ap_sim_judge_secret_locked(g, apqn);
			ap_sim_judge_shared_locked(g, apqn);
		}
	}
}

/**
 * ap_sim_guest_load() - load a guest's CRYCB
 * @hw: the context
 * @crycb: the masks; kept exactly as given
 *
 * The queues it gives the guest anew are judged first (see the top of
 * this file). Loads after the first count as updates.
 *
 * Context: any context; takes ap_sim_lock.
 */
void ap_sim_guest_load(struct ap_hw_guest *hw, const struct ap_matrix *crycb)
{
	struct ap_sim_guest *g = ap_sim_to_guest(hw);

	spin_lock(&ap_sim_lock);
	ap_sim_judge_load_locked(g, crycb);
	g->crycb = *crycb;
	if (g->loaded)
		g->updates++;
	g->loaded = true;
	spin_unlock(&ap_sim_lock);
}

/**
 * ap_sim_guest_crycb() - the CRYCB the machine holds for a guest
 * @hw: the context
 * @crycb: receives it
 *
 * Context: any context; takes ap_sim_lock.
 */
void ap_sim_guest_crycb(struct ap_hw_guest *hw, struct ap_matrix *crycb)
{
	spin_lock(&ap_sim_lock);
	*crycb = ap_sim_to_guest(hw)->crycb;
	spin_unlock(&ap_sim_lock);
}

/**
 * ap_sim_guest_reaches() - may a guest address a queue?
 * @g: the guest's context, or NULL for the host
 * @apqn: the queue
 *
 * Context: ap_sim_lock held.
 * Return: true for the host, or if the guest's CRYCB has both the
 * queue's adapter and its domain.
 */
bool ap_sim_guest_reaches(const struct ap_sim_guest *g, apqn_t apqn)
{
	return !g || ap_matrix_has_apqn(&g->crycb, ap_apqn_apid(apqn),
					ap_apqn_apqi(apqn));
}

/**
 * ap_sim_guest_holding_locked() - a guest whose CRYCB holds a queue
 * @apqn: the queue
 *
 * Context: ap_sim_lock held.
 * Return: the id of the first such context, or 0 (AP_SIM_HOST) if none.
 */
unsigned int ap_sim_guest_holding_locked(apqn_t apqn)
{
	struct ap_sim_guest *g;

	lockdep_assert_held(&ap_sim_lock);
	list_for_each_entry(g, &ap_sim_guests, node)
		if (ap_sim_guest_reaches(g, apqn))
			return g->hw.id;
	return AP_SIM_HOST;
}

/**
 * ap_sim_guest_tapq() - TAPQ as the guest issues it
 * @hw: the guest's context
 * @apqn: the queue the guest addresses
 * @info: receives what TAPQ tells about the queue; zero if nothing
 *
 * Context: any context; takes ap_sim_lock.
 * Return: the status word: "queue not available" outside the CRYCB,
 * else what the queue answers.
 */
struct ap_hw_status ap_sim_guest_tapq(struct ap_hw_guest *hw, apqn_t apqn,
				      struct ap_hw_queue_info *info)
{
	struct ap_hw_status st = { .rc = AP_HW_RC_Q_NOT_AVAIL };

	memset(info, 0, sizeof(*info));
	spin_lock(&ap_sim_lock);
	if (ap_sim_guest_reaches(ap_sim_to_guest(hw), apqn))
		st = ap_sim_tapq_locked(apqn, info);
	spin_unlock(&ap_sim_lock);
	return st;
}

/**
 * ap_sim_guest_qci_locked() - QCI as a guest (or the host) issues it
 * @g: the guest's context, or NULL for the host
 * @cfg: receives the configuration: for a guest, each of its CRYCB's
 *       masks as far as the LPAR has it, with the LPAR's limits and
 *       facilities
 *
 * Context: ap_sim_lock held.
 */
void ap_sim_guest_qci_locked(const struct ap_sim_guest *g,
			     struct ap_hw_config *cfg)
{
	ap_sim_qci_locked(cfg);
	if (!g)
		return;
	bitmap_and(cfg->masks.apm, cfg->masks.apm, g->crycb.apm, AP_IDS);
	bitmap_and(cfg->masks.aqm, cfg->masks.aqm, g->crycb.aqm, AP_IDS);
	bitmap_and(cfg->masks.adm, cfg->masks.adm, g->crycb.adm, AP_IDS);
}

/**
 * ap_sim_guest_find_locked() - a live guest context by its id
 * @id: the id
 *
 * Context: ap_sim_lock held; the context stays valid while it is.
 * Return: the context, or NULL.
 */
struct ap_sim_guest *ap_sim_guest_find_locked(unsigned int id)
{
	struct ap_sim_guest *g;

	lockdep_assert_held(&ap_sim_lock);
	list_for_each_entry(g, &ap_sim_guests, node)
		if (g->hw.id == id)
			return g;
	return NULL;
}

static void ap_sim_show_guest(struct seq_file *s, const struct ap_sim_guest *g)
{
	char text[AP_MASK_STRLEN + 1];

	seq_printf(s, "guest %u", g->hw.id);
	ap_mask_format(g->crycb.apm, text, sizeof(text));
	seq_printf(s, " apm %s", text);
	ap_mask_format(g->crycb.aqm, text, sizeof(text));
	seq_printf(s, " aqm %s", text);
	ap_mask_format(g->crycb.adm, text, sizeof(text));
	seq_printf(s, " adm %s updates %lu\n", text, g->updates);
	ap_sim_show_guest_irqs_locked(s, g);
}

/**
 * ap_sim_show_guests() - list the live guest contexts, by id
 * @s: the seq_file of the guests debugfs file
 */
void ap_sim_show_guests(struct seq_file *s)
{
	struct ap_sim_guest *g;

	spin_lock(&ap_sim_lock);
	list_for_each_entry(g, &ap_sim_guests, node)
		ap_sim_show_guest(s, g);
	spin_unlock(&ap_sim_lock);
}

/**
 * ap_sim_guest_exit() - free what is left of the guest contexts
 *
 * Contexts pin the module, so none should be left when it leaves.
 */
void ap_sim_guest_exit(void)
{
	struct ap_sim_guest *g, *next;

	WARN_ON(!list_empty(&ap_sim_guests));
	list_for_each_entry_safe(g, next, &ap_sim_guests, node) {
		list_del(&g->node);
		kfree(g);
	}
}
