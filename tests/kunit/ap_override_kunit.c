// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the pure part of driver_override on AP queues
 * (drivers/ap/override.c): what a write means, and when the masks allow
 * one. Expected values come from the rule as documented in
 * Documentation/s390/vfio-ap.rst ("driver_override"), not from the code.
 */

#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/string.h>
#include <ap/override.h>
#include <ap/qid.h>

struct ap_override_case {
	const char *desc;
	const char *in;
	size_t len;		/* 0: strlen(in) */
	int rc;
	const char *name;	/* what is set, for rc 1 */
};

static const struct ap_override_case ap_override_cases[] = {
	{ "a driver name", "vfio_ap", 0, 1, "vfio_ap" },
	{ "with its newline", "cex4queue\n", 0, 1, "cex4queue" },
	{ "digits, dash, dot", "drv-2.x\n", 0, 1, "drv-2.x" },
	{ "a lone newline clears", "\n", 0, 0, "" },
	{ "an empty write clears", "", 0, 0, "" },
	{ "two newlines", "vfio_ap\n\n", 0, -EINVAL },
	{ "a lone pair of newlines", "\n\n", 0, -EINVAL },
	{ "a blank inside", "vfio ap", 0, -EINVAL },
	{ "a leading blank", " vfio_ap", 0, -EINVAL },
	{ "a trailing blank", "vfio_ap ", 0, -EINVAL },
	{ "a tab", "vfio_ap\t", 0, -EINVAL },
	{ "a slash", "../vfio_ap", 0, -EINVAL },
	{ "a NUL inside", "vfio\0ap", 7, -EINVAL },
	{ "63 characters",
	  "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk",
	  0, 1, "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk" },
	{ "63 characters and a newline",
	  "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk\n",
	  0, 1, "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk" },
	{ "64 characters: too long",
	  "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl",
	  0, -EINVAL },
};

static void ap_override_case_desc(const struct ap_override_case *c,
				  char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ap_override, ap_override_cases, ap_override_case_desc);

static void ap_override_test_parse(struct kunit *test)
{
	const struct ap_override_case *c = test->param_value;
	char name[AP_OVERRIDE_NAME_MAX + 1];
	size_t len = c->len ?: strlen(c->in);

	memset(name, 'Z', sizeof(name));
	KUNIT_EXPECT_EQ(test, ap_override_parse(c->in, len, name, sizeof(name)),
			c->rc);
	if (c->rc >= 0)
		KUNIT_EXPECT_STREQ(test, name, c->name);
	else
		KUNIT_EXPECT_EQ(test, name[0], 'Z');
}

/* The buffer must hold the name: a short one refuses. */
static void ap_override_test_small_buffer(struct kunit *test)
{
	char name[8];

	KUNIT_EXPECT_EQ(test, ap_override_parse("vfio_ap", 7, name, 8), 1);
	KUNIT_EXPECT_EQ(test, ap_override_parse("cex4queue", 9, name, 8),
			-EINVAL);
}

static void ap_override_test_allowed(struct kunit *test)
{
	DECLARE_BITMAP(apmask, AP_IDS);
	DECLARE_BITMAP(aqmask, AP_IDS);

	bitmap_fill(apmask, AP_IDS);
	bitmap_fill(aqmask, AP_IDS);
	KUNIT_EXPECT_TRUE(test, ap_override_allowed(apmask, aqmask));
	__clear_bit(255, aqmask);
	KUNIT_EXPECT_FALSE(test, ap_override_allowed(apmask, aqmask));
	__set_bit(255, aqmask);
	__clear_bit(0, apmask);
	KUNIT_EXPECT_FALSE(test, ap_override_allowed(apmask, aqmask));
	bitmap_zero(apmask, AP_IDS);
	bitmap_zero(aqmask, AP_IDS);
	KUNIT_EXPECT_FALSE(test, ap_override_allowed(apmask, aqmask));
}

static struct kunit_case ap_override_test_cases[] = {
	KUNIT_CASE_PARAM(ap_override_test_parse, ap_override_gen_params),
	KUNIT_CASE(ap_override_test_small_buffer),
	KUNIT_CASE(ap_override_test_allowed),
	{}
};

static struct kunit_suite ap_override_suite = {
	.name = "ap_override",
	.test_cases = ap_override_test_cases,
};

kunit_test_suite(ap_override_suite);

MODULE_DESCRIPTION("KUnit tests for driver_override on AP queues");
MODULE_LICENSE("GPL");
