// SPDX-License-Identifier: GPL-2.0
/*
 * A KUnit suite for the harness's mutation test only: one case passes;
 * the other passes too, unless hang=1, when it never returns.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/module.h>

static bool hang;
module_param(hang, bool, 0444);
MODULE_PARM_DESC(hang, "make the second case hang");

static void harness_test_passes(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 1 + 1, 2);
}

static void harness_test_may_hang(struct kunit *test)
{
	while (hang)
		ssleep(3600);
	KUNIT_EXPECT_FALSE(test, hang);
}

static struct kunit_case harness_test_cases[] = {
	KUNIT_CASE(harness_test_passes),
	KUNIT_CASE(harness_test_may_hang),
	{}
};

static struct kunit_suite harness_test_suite = {
	.name = "harness",
	.test_cases = harness_test_cases,
};

kunit_test_suite(harness_test_suite);

MODULE_DESCRIPTION("KUnit suite of the harness's mutation test");
MODULE_LICENSE("GPL");
