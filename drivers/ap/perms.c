// SPDX-License-Identifier: GPL-2.0
/*
 * The host's reservation of AP queues: apmask and aqmask.
 *
 * ap_perms_mutex protects: ap_perms_apmask, ap_perms_aqmask and
 * ap_perms_gen, the count of committed changes. It nests inside device
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
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include "internal.h"

static DEFINE_MUTEX(ap_perms_mutex);
static DECLARE_BITMAP(ap_perms_apmask, AP_IDS);
static DECLARE_BITMAP(ap_perms_aqmask, AP_IDS);
static unsigned long ap_perms_gen;

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
 * ap_perms_reserved_locked() - which queues of a matrix does the host own?
 * @m: the matrix
 * @reserved: if not NULL, receives the reserved part of @m
 *
 * Context: the caller holds the reservation lock.
 * Return: true if some queue of @m is reserved for the host.
 */
bool ap_perms_reserved_locked(const struct ap_matrix *m,
			      struct ap_matrix *reserved)
{
	lockdep_assert_held(&ap_perms_mutex);
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
 * Return: true if its adapter is in apmask and its domain in aqmask.
 */
bool ap_perms_apqn_reserved(apqn_t apqn)
{
	guard(mutex)(&ap_perms_mutex);
	return test_bit(ap_apqn_apid(apqn), ap_perms_apmask) &&
	       test_bit(ap_apqn_apqi(apqn), ap_perms_aqmask);
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

/*
 * ap_perms_commit() - parse, vet and commit a new apmask or aqmask; the
 * ids whose bit changed are left in @changed.
 *
 * Return: 1 if the mask changed, 0 if it was already so, or -errno
 * (nothing changed).
 */
static int ap_perms_commit(bool apmask, const char *buf, size_t count,
			   unsigned long *changed)
{
	unsigned long *mask = apmask ? ap_perms_apmask : ap_perms_aqmask;
	DECLARE_BITMAP(new, AP_IDS);
	struct ap_matrix gained;
	int rc;

	scoped_cond_guard(mutex_intr, return -ERESTARTSYS, &ap_perms_mutex) {
		rc = ap_mask_parse(buf, count, mask, new);
		if (rc)
			return rc;
		if (bitmap_equal(new, mask, AP_IDS))
			return 0;
		ap_perms_gained(apmask, new, &gained);
		if (ap_perms_vetoed(&gained))
			return -EADDRINUSE;
		bitmap_xor(changed, mask, new, AP_IDS);
		bitmap_copy(mask, new, AP_IDS);
		ap_perms_gen++;
	}
	return 1;
}

/**
 * ap_perms_store_mask() - write apmask or aqmask
 * @apmask: apmask (true) or aqmask
 * @buf: the text written
 * @count: its length
 *
 * Context: process context; takes the reservation lock, then rebinds
 * queues without it.
 * Return: @count, -EINVAL for malformed text, -EADDRINUSE if a driver
 * vetoes giving a queue to the host, -ERESTARTSYS if interrupted.
 */
ssize_t ap_perms_store_mask(bool apmask, const char *buf, size_t count)
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
EXPORT_SYMBOL_IF_KUNIT(ap_perms_store_mask);

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
