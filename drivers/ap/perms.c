// SPDX-License-Identifier: GPL-2.0
/*
 * The host's reservation of AP queues: apmask and aqmask, and the
 * queues' driver_override.
 *
 * ap_perms_mutex protects: ap_perms_apmask, ap_perms_aqmask, the
 * overrides (by APQN, each with its device's copy) and ap_perms_gen, the
 * count of committed changes. It nests inside device
 * locks (a probe consults the masks) and outside every driver's lock (the
 * in_use() veto runs under it, and vfio_ap holds it across an assignment
 * so that a mask change and an assignment never interleave).
 *
 * A mask write is parsed into a local copy, compared, vetted by every
 * driver's in_use() when it reserves queues the host did not have, and
 * committed in one copy. Rebinding the queues of the ids that changed
 * happens after the lock is dropped (device_reprobe() takes device locks),
 * but before the write returns.
 */

#define pr_fmt(fmt) "ap: " fmt

#include <kunit/visibility.h>
#include <linux/bitmap.h>
#include <linux/export.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>
#include <ap/override.h>
#include <trace/events/ap_bus.h>
#include "internal.h"

static DEFINE_MUTEX(ap_perms_mutex);
static DECLARE_BITMAP(ap_perms_apmask, AP_IDS);
static DECLARE_BITMAP(ap_perms_aqmask, AP_IDS);
static unsigned long ap_perms_gen;

/**
 * struct ap_perms_override - a queue's driver_override
 * @name: the driver it names
 * @host: that driver is one of the host's default drivers
 *
 * Kept by APQN, so that a queue that leaves the configuration and comes
 * back (an adapter removed and added again) keeps it, as it keeps its
 * reservation by apmask and aqmask.
 */
struct ap_perms_override {
	char name[AP_OVERRIDE_NAME_MAX + 1];
	bool host;
};

static DEFINE_XARRAY(ap_perms_overrides);	/* APQN -> ap_perms_override */

static char *ap_perms_apmask_param;
module_param_named(apmask, ap_perms_apmask_param, charp, 0440);
MODULE_PARM_DESC(apmask,
		 "Adapters whose queues the host's default drivers own (apmask syntax; default all)");

static char *ap_perms_aqmask_param;
module_param_named(aqmask, ap_perms_aqmask_param, charp, 0440);
MODULE_PARM_DESC(aqmask,
		 "Domains whose queues the host's default drivers own (aqmask syntax; default all)");

/**
 * ap_perms_lock() - take the reservation lock
 *
 * Held by drivers across decisions that must not interleave with a mask
 * change, such as assigning queues to a guest.
 *
 * Context: process context; may sleep.
 */
void ap_perms_lock(void)
{
	mutex_lock(&ap_perms_mutex);
}
EXPORT_SYMBOL_GPL(ap_perms_lock);

/**
 * ap_perms_unlock() - release the reservation lock
 *
 * Context: the caller holds it from ap_perms_lock().
 */
void ap_perms_unlock(void)
{
	mutex_unlock(&ap_perms_mutex);
}
EXPORT_SYMBOL_GPL(ap_perms_unlock);

/**
 * ap_perms_apqn_reserved_locked() - is a queue reserved for the host?
 * @apqn: the queue
 *
 * Context: the caller holds the reservation lock.
 * Return: true if its driver_override names a default driver, or if it
 * has none and its adapter is in apmask and its domain in aqmask.
 */
bool ap_perms_apqn_reserved_locked(apqn_t apqn)
{
	struct ap_perms_override *o;

	lockdep_assert_held(&ap_perms_mutex);
	o = xa_load(&ap_perms_overrides, apqn);
	if (o)
		return o->host;
	return test_bit(ap_apqn_apid(apqn), ap_perms_apmask) &&
	       test_bit(ap_apqn_apqi(apqn), ap_perms_aqmask);
}
EXPORT_SYMBOL_GPL(ap_perms_apqn_reserved_locked);

/**
 * ap_perms_apqn_reserver_locked() - what reserves a queue for the host
 * @apqn: the queue
 *
 * Context: the caller holds the reservation lock.
 * Return: "its driver_override" or "apmask and aqmask", or NULL if the
 * queue is not reserved.
 */
const char *ap_perms_apqn_reserver_locked(apqn_t apqn)
{
	if (!ap_perms_apqn_reserved_locked(apqn))
		return NULL;
	return xa_load(&ap_perms_overrides, apqn) ? "its driver_override" :
	       "apmask and aqmask";
}
EXPORT_SYMBOL_GPL(ap_perms_apqn_reserver_locked);

/* With overrides, queue by queue: the adapters and domains of those reserved. */
static bool ap_perms_reserved_each(const struct ap_matrix *m,
				   struct ap_matrix *reserved)
{
	unsigned int apid, apqi;
	bool any = false;

	if (reserved)
		ap_matrix_clear(reserved);
	ap_matrix_for_each_apid(apid, m)
		ap_matrix_for_each_apqi(apqi, m) {
			if (!ap_perms_apqn_reserved_locked(ap_apqn(apid, apqi)))
				continue;
			any = true;
			if (!reserved)
				return true;
			__set_bit(apid, reserved->apm);
			__set_bit(apqi, reserved->aqm);
		}
	return any;
}

/**
 * ap_perms_reserved_locked() - which queues of a matrix does the host own?
 * @m: the matrix
 * @reserved: if not NULL, receives the adapters and domains of the
 *            reserved queues of @m (with overrides, not every queue of
 *            their product need be reserved: ask
 *            ap_perms_apqn_reserved_locked() queue by queue)
 *
 * Context: the caller holds the reservation lock.
 * Return: true if some queue of @m is reserved for the host.
 */
bool ap_perms_reserved_locked(const struct ap_matrix *m,
			      struct ap_matrix *reserved)
{
	lockdep_assert_held(&ap_perms_mutex);
	if (!xa_empty(&ap_perms_overrides))
		return ap_perms_reserved_each(m, reserved);
	if (reserved)
		ap_matrix_reserved(m, ap_perms_apmask, ap_perms_aqmask,
				   reserved);
	return ap_matrix_has_reserved(m, ap_perms_apmask, ap_perms_aqmask);
}
EXPORT_SYMBOL_GPL(ap_perms_reserved_locked);

/**
 * ap_perms_generation() - count the mask changes committed so far
 *
 * Context: process context; takes the reservation lock.
 * Return: the number of changes of apmask or aqmask since module load.
 */
unsigned long ap_perms_generation(void)
{
	guard(mutex)(&ap_perms_mutex);
	return ap_perms_gen;
}

/**
 * ap_perms_apqn_reserved() - is a queue reserved for the host?
 * @apqn: the queue
 *
 * Context: process context; takes the reservation lock.
 * Return: see ap_perms_apqn_reserved_locked().
 */
bool ap_perms_apqn_reserved(apqn_t apqn)
{
	guard(mutex)(&ap_perms_mutex);
	return ap_perms_apqn_reserved_locked(apqn);
}
EXPORT_SYMBOL_GPL(ap_perms_apqn_reserved);

/**
 * ap_perms_domain_reserved() - is a domain set in aqmask?
 * @apqi: the domain
 *
 * Context: process context; takes the reservation lock.
 * Return: true if @apqi is set in aqmask.
 */
bool ap_perms_domain_reserved(unsigned int apqi)
{
	guard(mutex)(&ap_perms_mutex);
	return apqi < AP_IDS && test_bit(apqi, ap_perms_aqmask);
}

/**
 * ap_perms_show_mask() - format apmask or aqmask for sysfs
 * @apmask: apmask (true) or aqmask
 * @buf: the sysfs page
 *
 * Context: process context; takes the reservation lock.
 * Return: length of the text.
 */
ssize_t ap_perms_show_mask(bool apmask, char *buf)
{
	char text[AP_MASK_STRLEN + 1];

	scoped_guard(mutex, &ap_perms_mutex)
		ap_mask_format(apmask ? ap_perms_apmask : ap_perms_aqmask,
			       text, sizeof(text));
	return sysfs_emit(buf, "%s\n", text);
}
EXPORT_SYMBOL_IF_KUNIT(ap_perms_show_mask);

/*
 * ap_perms_vetoed() - does a driver hand out a queue of @gained?
 */
static int ap_perms_veto_one(struct device_driver *drv, void *data)
{
	struct ap_driver *ap_drv = to_ap_driver(drv);

	return ap_drv->in_use && ap_drv->in_use(data);
}

static bool ap_perms_vetoed(const struct ap_matrix *gained)
{
	if (!ap_matrix_apqn_count(gained))
		return false;
	return bus_for_each_drv(&ap_bus_type, NULL, (void *)gained,
				ap_perms_veto_one) != 0;
}

/*
 * ap_perms_gained() - the queues a mask change gives to the host: the
 * newly set ids of the changed mask times the other mask.
 */
static void ap_perms_gained(bool apmask, const unsigned long *new,
			    struct ap_matrix *gained)
{
	ap_matrix_clear(gained);
	if (apmask) {
		bitmap_andnot(gained->apm, new, ap_perms_apmask, AP_IDS);
		bitmap_copy(gained->aqm, ap_perms_aqmask, AP_IDS);
	} else {
		bitmap_copy(gained->apm, ap_perms_apmask, AP_IDS);
		bitmap_andnot(gained->aqm, new, ap_perms_aqmask, AP_IDS);
	}
}

/**
 * struct ap_perms_drv - an AP queue driver looked for by name
 * @name: the name
 * @found: a queue driver has it
 * @host: it is one of the host's default drivers
 * @apqn: the queue a veto is asked about
 */
struct ap_perms_drv {
	const char *name;
	bool found;
	bool host;
	apqn_t apqn;
};

static int ap_perms_find_one(struct device_driver *drv, void *data)
{
	struct ap_perms_drv *d = data;
	struct ap_driver *ap_drv = to_ap_driver(drv);

	if (ap_drv->kind != AP_DRIVER_QUEUE || strcmp(drv->name, d->name))
		return 0;
	d->found = true;
	d->host = ap_drv->flags & AP_DRIVER_DEFAULT;
	return 1;
}

/* Every driver but the one named (all of them to clear) may veto. */
static int ap_perms_veto_other(struct device_driver *drv, void *data)
{
	struct ap_perms_drv *d = data;
	struct ap_driver *ap_drv = to_ap_driver(drv);
	struct ap_matrix m;

	if (!ap_drv->in_use || (d->found && !strcmp(drv->name, d->name)))
		return 0;
	ap_matrix_clear(&m);
	__set_bit(ap_apqn_apid(d->apqn), m.apm);
	__set_bit(ap_apqn_apqi(d->apqn), m.aqm);
	return ap_drv->in_use(&m);
}

/*
 * Does an override still count? Yes while its queue is there, and while
 * a driver claims the queue (a queue assigned to an mdev keeps its own,
 * so that it comes back to vfio_ap); the override of a queue that left
 * the configuration and that nobody claims serves nothing.
 */
static bool ap_perms_override_counts_locked(unsigned long apqn)
{
	struct ap_perms_drv d = { .name = "", .apqn = apqn };
	unsigned long first = apqn;
	struct ap_queue *q;

	lockdep_assert_held(&ap_perms_mutex);
	q = ap_queue_get_next(&first, apqn);
	if (q) {
		put_device(&q->dev);
		return true;
	}
	return bus_for_each_drv(&ap_bus_type, NULL, &d, ap_perms_veto_other);
}

/* Is any override that counts set? */
static bool ap_perms_overrides_count_locked(void)
{
	struct ap_perms_override *o;
	unsigned long apqn;

	xa_for_each(&ap_perms_overrides, apqn, o)
		if (ap_perms_override_counts_locked(apqn))
			return true;
	return false;
}

/* Forget the overrides that serve nothing, once a mask changes. */
static void ap_perms_forget_overrides_locked(void)
{
	struct ap_perms_override *o;
	unsigned long apqn;

	xa_for_each(&ap_perms_overrides, apqn, o) {
		xa_erase(&ap_perms_overrides, apqn);
		kfree(o);
	}
}

/*
 * ap_perms_commit_locked() - parse, vet and commit a new apmask or
 * aqmask; the ids whose bit changed are left in @changed.
 *
 * Return: 1 if the mask changed, 0 if it was already so, or -errno
 * (nothing changed).
 */
static int ap_perms_commit_locked(bool apmask, const char *buf, size_t count,
				  unsigned long *changed)
{
	unsigned long *mask = apmask ? ap_perms_apmask : ap_perms_aqmask;
	DECLARE_BITMAP(new, AP_IDS);
	struct ap_matrix gained;
	int rc;

	lockdep_assert_held(&ap_perms_mutex);
	rc = ap_mask_parse(buf, count, mask, new);
	if (rc)
		return rc;
	if (ap_perms_overrides_count_locked()) {
		pr_notice("%s stays as it is: queues have a driver_override; clear them first\n",
			  apmask ? "apmask" : "aqmask");
		return -EBUSY;
	}
	if (bitmap_equal(new, mask, AP_IDS))
		return 0;
	ap_perms_gained(apmask, new, &gained);
	if (ap_perms_vetoed(&gained))
		return -EADDRINUSE;
	ap_perms_forget_overrides_locked();
	bitmap_xor(changed, mask, new, AP_IDS);
	bitmap_copy(mask, new, AP_IDS);
	ap_perms_gen++;
	return 1;
}

/* The commit under the lock, traced (ap_mask_write). */
static int ap_perms_commit(bool apmask, const char *buf, size_t count,
			   unsigned long *changed)
{
	unsigned long *mask = apmask ? ap_perms_apmask : ap_perms_aqmask;
	DECLARE_BITMAP(before, AP_IDS);
	int rc;

	scoped_cond_guard(mutex_intr, return -ERESTARTSYS, &ap_perms_mutex) {
		bitmap_copy(before, mask, AP_IDS);
		rc = ap_perms_commit_locked(apmask, buf, count, changed);
		trace_ap_mask_write(!apmask, before, mask,
				    rc > 0 ? bitmap_weight(changed, AP_IDS) : 0,
				    min(rc, 0));
	}
	return rc;
}

/* The write; ap_perms_store_mask() times it. */
static ssize_t ap_perms_store_mask_timed(bool apmask, const char *buf,
					 size_t count)
{
	char text[AP_MASK_STRLEN + 1];
	DECLARE_BITMAP(changed, AP_IDS);
	int rc;

	rc = ap_perms_commit(apmask, buf, count, changed);
	if (rc <= 0)
		return rc ?: count;
	ap_bus_revise_bindings(apmask ? changed : NULL,
			       apmask ? NULL : changed);
	scoped_guard(mutex, &ap_perms_mutex)
		ap_mask_format(apmask ? ap_perms_apmask : ap_perms_aqmask,
			       text, sizeof(text));
	ap_bus_uevent(apmask ? "APMASK" : "AQMASK", text);
	return count;
}

/**
 * ap_perms_store_mask() - write apmask or aqmask
 * @apmask: apmask (true) or aqmask
 * @buf: the text written
 * @count: its length
 *
 * A write that changes the mask forgets the driver_overrides that serve
 * nothing (of queues not there that no driver claims); while any other
 * is set, the write fails. Traced: ap_mask_write, then ap_store with the
 * time the whole write took.
 *
 * Context: process context; takes the reservation lock, then rebinds
 * queues without it.
 *
 * Return: @count, -EINVAL for malformed text, -EBUSY while a queue has a
 * driver_override, -EADDRINUSE if a driver vetoes giving a queue to the
 * host, -ERESTARTSYS if interrupted.
 */
ssize_t ap_perms_store_mask(bool apmask, const char *buf, size_t count)
{
	u64 t0 = ktime_get_ns();
	ssize_t rc = ap_perms_store_mask_timed(apmask, buf, count);

	trace_ap_store(apmask ? "apmask" : "aqmask", ktime_get_ns() - t0,
		       min_t(ssize_t, rc, 0));
	return rc;
}
EXPORT_SYMBOL_IF_KUNIT(ap_perms_store_mask);

/**
 * ap_perms_owner_ok() - may a driver own a queue?
 * @apqn: the queue
 * @drv: the driver
 *
 * A queue with a driver_override is the driver's it names; any other
 * queue a default driver's exactly when apmask and aqmask reserve it for
 * the host, and another driver's exactly when they do not.
 *
 * Context: process context; takes the reservation lock.
 * Return: true if @drv may bind the queue.
 */
bool ap_perms_owner_ok(apqn_t apqn, const struct ap_driver *drv)
{
	struct ap_perms_override *o;

	guard(mutex)(&ap_perms_mutex);
	o = xa_load(&ap_perms_overrides, apqn);
	if (o)
		return !strcmp(o->name, drv->driver.name);
	return ap_perms_apqn_reserved_locked(apqn) ==
	       !!(drv->flags & AP_DRIVER_DEFAULT);
}

/**
 * ap_perms_show_override() - a queue's driver_override, for sysfs
 * @apqn: the queue
 * @buf: the sysfs page
 *
 * Return: the length of the driver's name and a newline; a lone newline
 * without an override.
 */
ssize_t ap_perms_show_override(apqn_t apqn, char *buf)
{
	struct ap_perms_override *o;

	guard(mutex)(&ap_perms_mutex);
	o = xa_load(&ap_perms_overrides, apqn);
	return sysfs_emit(buf, "%s\n", o ? o->name : "");
}

/* Check and commit an override (@d->found) or its clearing. */
static int ap_perms_override_commit(struct ap_queue *q,
				    const struct ap_perms_drv *d)
{
	struct ap_perms_override *o = NULL;
	int rc;

	lockdep_assert_held(&ap_perms_mutex);
	if (!ap_override_allowed(ap_perms_apmask, ap_perms_aqmask)) {
		dev_notice(&q->dev, "driver_override stays as it is: apmask and aqmask are not at their default (all ones)\n");
		return -EINVAL;
	}
	if (bus_for_each_drv(&ap_bus_type, NULL, (void *)d, ap_perms_veto_other))
		return -EADDRINUSE;
	if (d->found) {
		o = kzalloc(sizeof(*o), GFP_KERNEL);
		if (!o || xa_reserve(&ap_perms_overrides, q->apqn, GFP_KERNEL)) {
			kfree(o);
			return -ENOMEM;
		}
		strscpy(o->name, d->name);
		o->host = d->host;
	}
	rc = __device_set_driver_override(&q->dev, d->name, strlen(d->name));
	if (rc) {
		xa_release(&ap_perms_overrides, q->apqn);
		kfree(o);
		return rc;
	}
	kfree(o ? xa_store(&ap_perms_overrides, q->apqn, o, GFP_KERNEL) :
		  xa_erase(&ap_perms_overrides, q->apqn));
	ap_perms_gen++;
	return 0;
}

/* The write; @name receives what it names ("" to clear). */
static ssize_t ap_perms_store_override_one(struct ap_queue *q,
					   const char *buf, size_t count,
					   char *name)
{
	char var[AP_OVERRIDE_NAME_MAX + 17];
	struct ap_perms_drv d = { .name = name, .apqn = q->apqn };
	char *envp[2];
	int rc;

	if (ap_sysfs_has_nul(buf, count))
		return -EINVAL;
	rc = ap_override_parse(buf, count, name, AP_OVERRIDE_NAME_MAX + 1);
	if (rc < 0)
		return rc;
	if (rc && !bus_for_each_drv(&ap_bus_type, NULL, &d, ap_perms_find_one)) {
		dev_notice(&q->dev, "driver_override: no AP queue driver is named %s\n",
			   name);
		return -EINVAL;
	}
	scoped_cond_guard(mutex_intr, return -ERESTARTSYS, &ap_perms_mutex) {
		rc = ap_perms_override_commit(q, &d);
		if (rc)
			return rc;
	}
	ap_bus_revise_queue(q);
	ap_bus_check_bindings();
	snprintf(var, sizeof(var), "DRIVER_OVERRIDE=%s", name);
	envp[0] = var;
	envp[1] = NULL;
	kobject_uevent_env(&q->dev.kobj, KOBJ_CHANGE, envp);
	return count;
}

/**
 * ap_perms_store_override() - write a queue's driver_override
 * @q: the queue
 * @buf: the text written: the name of a registered AP queue driver, or
 *       nothing (a lone newline) to clear the override
 * @count: its length
 *
 * Allowed only while apmask and aqmask are at their default. Giving the
 * queue to another driver than the one that hands it out now is vetoed
 * by that driver's in_use(), as a mask change would be. The queue is
 * then rebound: its old driver's remove runs, the queue is reset and
 * zeroized, and the new driver probes it. A KOBJ_CHANGE uevent with
 * DRIVER_OVERRIDE=<name> (empty when cleared) follows.
 *
 * Context: process context; takes the reservation lock, then rebinds the
 * queue without it.
 * Return: @count; -EINVAL for text that is not a driver name or names
 * no registered AP queue driver, or while a mask is not at its default;
 * -EADDRINUSE if a driver vetoes; -ENOMEM; -ERESTARTSYS if interrupted.
 */
ssize_t ap_perms_store_override(struct ap_queue *q, const char *buf,
				size_t count)
{
	char name[AP_OVERRIDE_NAME_MAX + 1] = "";
	ssize_t rc = ap_perms_store_override_one(q, buf, count, name);

	trace_ap_override_write(q->apqn, name, min_t(ssize_t, rc, 0));
	return rc;
}

/**
 * ap_perms_apply_override() - give a new queue device the override its
 * APQN has
 * @q: the queue, before device_add()
 *
 * Context: process context; takes the reservation lock.
 */
void ap_perms_apply_override(struct ap_queue *q)
{
	struct ap_perms_override *o;

	guard(mutex)(&ap_perms_mutex);
	o = xa_load(&ap_perms_overrides, q->apqn);
	if (o && __device_set_driver_override(&q->dev, o->name,
					      strlen(o->name)))
		dev_warn(&q->dev, "driver_override %s is not shown (out of memory); it still applies\n",
			 o->name);
}

static void ap_perms_init_mask(const char *name, const char *param,
			       unsigned long *mask)
{
	bitmap_fill(mask, AP_IDS);
	if (!param)
		return;
	if (ap_mask_parse(param, strlen(param), mask, mask))
		pr_err("ignoring invalid %s=%s: the host keeps all queues\n",
		       name, param);
	else
		pr_info("%s=%s: the host's default drivers own ids %*pbl\n",
			name, param, AP_IDS, mask);
}

/**
 * ap_perms_init() - set the masks from the module parameters
 *
 * Both masks start with every bit set (the host owns every queue). A
 * parameter in the relative form changes that default; one that does not
 * parse is reported and leaves the default in place.
 *
 * Return: 0
 */
int ap_perms_init(void)
{
	guard(mutex)(&ap_perms_mutex);
	ap_perms_init_mask("ap.apmask", ap_perms_apmask_param, ap_perms_apmask);
	ap_perms_init_mask("ap.aqmask", ap_perms_aqmask_param, ap_perms_aqmask);
	return 0;
}

/**
 * ap_perms_exit() - forget every driver_override
 */
void ap_perms_exit(void)
{
	struct ap_perms_override *o;
	unsigned long apqn;

	guard(mutex)(&ap_perms_mutex);
	xa_for_each(&ap_perms_overrides, apqn, o)
		kfree(o);
	xa_destroy(&ap_perms_overrides);
}
