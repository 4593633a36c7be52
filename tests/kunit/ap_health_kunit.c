// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's health after the other suites and the selftests ran: no
 * taint of the kinds a kernel report leaves (warning, oops, bad page or
 * KASAN, soft lockup, machine check), and lockdep still on. Lockdep turns
 * itself off after its first report, so a report lost from the log would
 * otherwise also silently weaken every later test.
 *
 * It must run last: on UML the runner loads it after the selftests; in a
 * built-in kernel it is linked last of the project's suites (see the
 * Makefile), and built-in suites run in link order.
 */

#include <kunit/test.h>
#include <linux/debug_locks.h>
#include <linux/panic.h>

struct ap_health_taint {
	unsigned int flag;
	const char *what;
};

static const struct ap_health_taint ap_health_taints[] = {
	{ TAINT_WARN, "a WARNING was issued" },
	{ TAINT_DIE, "the kernel oopsed" },
	{ TAINT_BAD_PAGE, "a bad page or a KASAN report" },
	{ TAINT_SOFTLOCKUP, "a soft lockup" },
	{ TAINT_MACHINE_CHECK, "a machine check" },
};

static void ap_health_test_untainted(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ap_health_taints); i++)
		KUNIT_EXPECT_FALSE_MSG(test,
				       test_taint(ap_health_taints[i].flag),
				       "tainted: %s", ap_health_taints[i].what);
}

static void ap_health_test_lockdep_on(struct kunit *test)
{
	if (!IS_ENABLED(CONFIG_LOCKDEP))
		kunit_skip(test, "lockdep is not built in");
	KUNIT_EXPECT_EQ_MSG(test, debug_locks, 1,
			    "lockdep turned itself off after a report");
}

static struct kunit_case ap_health_test_cases[] = {
	KUNIT_CASE(ap_health_test_untainted),
	KUNIT_CASE(ap_health_test_lockdep_on),
	{}
};

static struct kunit_suite ap_health_test_suite = {
	.name = "ap_health",
	.test_cases = ap_health_test_cases,
};

kunit_test_suite(ap_health_test_suite);

MODULE_DESCRIPTION("KUnit check of the kernel's health after the test run");
MODULE_LICENSE("GPL");
