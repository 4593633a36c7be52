// SPDX-License-Identifier: GPL-2.0
/*
 * A module that breaks the kernel on purpose, for the harness's mutation
 * test only (scripts/test-harness.sh): each value of fault= is one class
 * of report the test summary must catch and name. Loading it does the
 * damage; unloading it undoes nothing.
 */

#include <linux/bug.h>
#include <linux/debug_locks.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/panic.h>
#include <linux/slab.h>
#include <linux/string.h>

static char *fault = "none";
module_param(fault, charp, 0444);
MODULE_PARM_DESC(fault,
		 "none, warn, earlywarn, lockdep, uaf, shift, leak, taint or lockdep_off");

#define HARNESS_FILLER_LINES	20000

static DEFINE_MUTEX(harness_lock_a);
static DEFINE_MUTEX(harness_lock_b);

/* Take two locks in both orders: lockdep sees a possible deadlock. */
static void harness_lock_inversion(void)
{
	mutex_lock(&harness_lock_a);
	mutex_lock(&harness_lock_b);
	mutex_unlock(&harness_lock_b);
	mutex_unlock(&harness_lock_a);

	mutex_lock(&harness_lock_b);
	mutex_lock(&harness_lock_a);
	mutex_unlock(&harness_lock_a);
	mutex_unlock(&harness_lock_b);
}

/* A warning, then enough lines to overrun a small log buffer. */
static noinline void harness_early_warning(void)
{
	int i;

	WARN(1, "harness: a warning early in the test\n");
	for (i = 0; i < HARNESS_FILLER_LINES; i++)
		pr_info("harness: filler line %d of %d after the warning\n",
			i + 1, HARNESS_FILLER_LINES);
}

static noinline void harness_use_after_free(void)
{
	char *p = kmalloc(32, GFP_KERNEL);

	if (!p)
		return;
	kfree(p);
	pr_info("harness: read after free: %d\n", READ_ONCE(p[8]));
}

static unsigned int harness_shift = 40;

static noinline void harness_shift_overflow(void)
{
	pr_info("harness: shifted: %d\n", 1 << READ_ONCE(harness_shift));
}

/* Allocate and forget the only pointer. */
static noinline void harness_leak(void)
{
	void *p = kmalloc(128, GFP_KERNEL);

	pr_info("harness: leaked an object: %s\n", p ? "yes" : "no");
}

static int __init harness_fault_init(void)
{
	if (!strcmp(fault, "warn"))
		WARN(1, "harness: a deliberate warning\n");
	else if (!strcmp(fault, "earlywarn"))
		harness_early_warning();
	else if (!strcmp(fault, "lockdep"))
		harness_lock_inversion();
	else if (!strcmp(fault, "uaf"))
		harness_use_after_free();
	else if (!strcmp(fault, "shift"))
		harness_shift_overflow();
	else if (!strcmp(fault, "leak"))
		harness_leak();
	else if (!strcmp(fault, "taint"))
		add_taint(TAINT_WARN, LOCKDEP_STILL_OK);	/* no message */
	else if (!strcmp(fault, "lockdep_off"))
		debug_locks_off();				/* no message */
	else if (strcmp(fault, "none"))
		return -EINVAL;
	return 0;
}

static void __exit harness_fault_exit(void)
{
}

module_init(harness_fault_init);
module_exit(harness_fault_exit);

MODULE_DESCRIPTION("Deliberate kernel reports for the harness's mutation test");
MODULE_LICENSE("GPL");
