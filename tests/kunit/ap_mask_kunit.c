// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the AP mask grammar (drivers/ap/mask.c).
 *
 * Expected masks are written as bit lists for the kernel's own
 * bitmap_parselist(), an independent parser, so a row reads
 * "input -> these bits are set".
 */

#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/string.h>
#include <ap/mask.h>

#define ALL	"0-255"

struct ap_mask_case {
	const char *desc;
	const char *in;
	size_t len;		/* 0: strlen(in) */
	const char *start;	/* bit list of the current mask */
	const char *bits;	/* bit list of the result */
	int rc;
};

#define OK(d, i, s, b)	{ .desc = d, .in = i, .start = s, .bits = b }
#define BAD(d, i)	{ .desc = d, .in = i, .start = "3", .rc = -EINVAL }

static const struct ap_mask_case ap_mask_absolute_cases[] = {
	/* The specification's examples. */
	OK("seed 0x41 pads right to bits 1 and 7", "0x41", ALL, "1,7"),
	OK("seed 0x41 written out in full",
	   "0x4100000000000000000000000000000000000000000000000000000000000000",
	   "", "1,7"),
	OK("seed ap.apmask=0xffff", "0xffff", "", "0-15"),
	OK("seed ap.aqmask=0x40", "0x40", "", "1"),
	OK("seed apmask 0x70... is adapters 1-3",
	   "0x7000000000000000000000000000000000000000000000000000000000000000",
	   "", "1-3"),
	OK("seed aqmask 0x018... is domains 7 and 8",
	   "0x0180000000000000000000000000000000000000000000000000000000000000",
	   "", "7-8"),
	OK("seed ownership aqmask 0x0c... is domains 4 and 5",
	   "0x0c00000000000000000000000000000000000000000000000000000000000000",
	   "", "4-5"),
	OK("seed ownership aqmask after +8",
	   "0x0c80000000000000000000000000000000000000000000000000000000000000",
	   "", "4-5,8"),
	OK("seed securing queues 4, 0x47, 0xab, 0xff",
	   "0xf7fffffffffffffffeffffffffffffffffffffffffeffffffffffffffffffffe",
	   "", "0-3,5-70,72-170,172-254"),
	OK("0x7dff... leaves 0 and 6 to guests",
	   "0x7dffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	   "", "1-5,7-255"),
	/* Corners. */
	OK("trailing newline accepted", "0x41\n", "", "1,7"),
	OK("prefix is optional", "41", "", "1,7"),
	OK("upper-case prefix", "0X41", "", "1,7"),
	OK("upper-case digits", "0xAB", "", "0,2,4,6,7"),
	OK("0x0 clears the mask", "0x0", ALL, ""),
	OK("absolute form replaces the mask", "0x8", "200-255", "0"),
	OK("64 digits set every bit",
	   "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	   "", ALL),
	OK("bit 255 is the last digit's low bit",
	   "0x0000000000000000000000000000000000000000000000000000000000000001",
	   "", "255"),
	BAD("65 digits are more than 256 bits",
	    "0x00000000000000000000000000000000000000000000000000000000000000000"),
	BAD("65 digits without prefix",
	    "00000000000000000000000000000000000000000000000000000000000000000"),
	BAD("empty input", ""),
	BAD("lone newline", "\n"),
	BAD("bare prefix", "0x"),
	BAD("bare prefix with newline", "0x\n"),
	BAD("two newlines", "0x41\n\n"),
	BAD("leading blank", " 0x41"),
	BAD("trailing blank", "0x41 "),
	BAD("tab", "0x4\t1"),
	BAD("not a hex digit", "0x4g"),
	BAD("x without 0 is not a prefix", "x41"),
	BAD("double prefix", "0x0x41"),
	BAD("comma in an absolute mask", "0x41,0x1"),
	{ .desc = "embedded NUL", .in = "0x4\0001", .len = 5, .start = "3",
	  .rc = -EINVAL },
};

static const struct ap_mask_case ap_mask_relative_cases[] = {
	/* The specification's examples. */
	OK("seed +0,-6,+0x47,-0xf0 from all set", "+0,-6,+0x47,-0xf0", ALL,
	   "0-5,7-239,241-255"),
	OK("seed +0,-6,+0x47,-0xf0 from 6 and 240", "+0,-6,+0x47,-0xf0",
	   "6,240", "0,71"),
	OK("seed +0 switches bit 0 on", "+0", "", "0"),
	OK("seed -13 switches bit 13 off", "-13", "12-14", "12,14"),
	OK("seed +0x41 switches bit 65 on", "+0x41", "", "65"),
	OK("seed -0xff switches bit 255 off", "-0xff", ALL, "0-254"),
	OK("seed +8 gives domain 8 to the host", "+8", "4-5", "4-5,8"),
	OK("seed -5,-6 secures adapters 5 and 6", "-5,-6", ALL,
	   "0-4,7-255"),
	OK("seed -4,-0x47,-0xab,-0xff", "-4,-0x47,-0xab,-0xff", ALL,
	   "0-3,5-70,72-170,172-254"),
	/* Corners. */
	OK("unnamed bits keep their value", "+1", "100-110", "1,100-110"),
	OK("trailing newline accepted", "+1\n", "", "1"),
	OK("setting a set bit is a no-op", "+1", "1", "1"),
	OK("bit 255 is the last", "+255", "", "255"),
	OK("upper-case hex", "+0XFF", "", "255"),
	OK("range sets each bit", "+1-5", "", "1-5"),
	OK("range in hex clears each bit", "-0x10-0x1f", ALL, "0-15,32-255"),
	OK("one-bit range", "+7-7", "", "7"),
	OK("later terms win", "+0-255,-128", "", "0-127,129-255"),
	OK("set then clear the same bit", "+9,-9", "", ""),
	BAD("bit 256 does not exist", "+256"),
	BAD("0x100 does not exist", "+0x100"),
	BAD("above INT_MAX", "+4294967296"),
	BAD("above ULONG_MAX", "+18446744073709551616"),
	BAD("far above ULONG_MAX", "+999999999999999999999999999999999"),
	BAD("huge hex", "+0xffffffffffffffffffffffff"),
	BAD("leading zero is not octal", "+010"),
	BAD("double zero", "+00"),
	BAD("reversed range", "+5-3"),
	BAD("range past 255", "+250-256"),
	BAD("open range", "+1-"),
	BAD("three-part range", "+1-2-3"),
	BAD("unsigned second term", "+1,2"),
	BAD("repeated commas", "+1,,+2"),
	BAD("trailing comma", "+1,"),
	BAD("leading comma", ",+1"),
	BAD("sign only", "+"),
	BAD("minus only", "-"),
	BAD("double sign", "++1"),
	BAD("mixed signs", "+-1"),
	BAD("blank before comma", "+1 ,+2"),
	BAD("blank after sign", "+ 1"),
	BAD("two newlines", "+1\n\n"),
	BAD("newline as separator", "+1\n+2"),
	BAD("bare hex prefix", "+0x"),
	BAD("letters", "+ab"),
	BAD("valid term then junk", "+1,+2junk"),
	{ .desc = "embedded NUL", .in = "+1\000,+2", .len = 5, .start = "3",
	  .rc = -EINVAL },
};

static void ap_mask_case_desc(const struct ap_mask_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ap_mask_absolute, ap_mask_absolute_cases, ap_mask_case_desc);
KUNIT_ARRAY_PARAM(ap_mask_relative, ap_mask_relative_cases, ap_mask_case_desc);

static void ap_mask_from_list(struct kunit *test, const char *list,
			      unsigned long *mask)
{
	KUNIT_ASSERT_EQ(test, bitmap_parselist(list, mask, AP_IDS), 0);
}

static void ap_mask_check_case(struct kunit *test)
{
	const struct ap_mask_case *c = test->param_value;
	DECLARE_BITMAP(cur, AP_IDS);
	DECLARE_BITMAP(out, AP_IDS);
	DECLARE_BITMAP(want, AP_IDS);
	size_t len = c->len ?: strlen(c->in);

	ap_mask_from_list(test, c->start, cur);
	bitmap_fill(out, AP_IDS);	/* a sentinel the parser must keep */
	KUNIT_EXPECT_EQ(test, ap_mask_parse(c->in, len, cur, out), c->rc);
	if (c->rc)
		bitmap_fill(want, AP_IDS);
	else
		ap_mask_from_list(test, c->bits, want);
	KUNIT_EXPECT_TRUE_MSG(test, bitmap_equal(out, want, AP_IDS),
			      "%s: got %*pbl", c->in, AP_IDS, out);
}

static void ap_mask_test_absolute(struct kunit *test)
{
	ap_mask_check_case(test);
}

static void ap_mask_test_relative(struct kunit *test)
{
	ap_mask_check_case(test);
}

/* A relative write that fails half-way leaves the mask untouched. */
static void ap_mask_test_relative_failure_is_atomic(struct kunit *test)
{
	DECLARE_BITMAP(mask, AP_IDS);
	DECLARE_BITMAP(before, AP_IDS);

	ap_mask_from_list(test, "5", mask);
	bitmap_copy(before, mask, AP_IDS);
	KUNIT_EXPECT_EQ(test, ap_mask_parse("+1,+2,+300", 10, mask, mask),
			-EINVAL);
	KUNIT_EXPECT_TRUE(test, bitmap_equal(mask, before, AP_IDS));
}

/* The output may be the current mask itself. */
static void ap_mask_test_parse_in_place(struct kunit *test)
{
	DECLARE_BITMAP(mask, AP_IDS);
	DECLARE_BITMAP(want, AP_IDS);

	ap_mask_from_list(test, "6,240", mask);
	KUNIT_ASSERT_EQ(test, ap_mask_parse("+0,-6,+0x47,-0xf0", 17, mask, mask),
			0);
	ap_mask_from_list(test, "0,71", want);
	KUNIT_EXPECT_TRUE(test, bitmap_equal(mask, want, AP_IDS));
}

struct ap_mask_format_case {
	const char *desc;
	const char *bits;
	const char *text;
};

static const struct ap_mask_format_case ap_mask_format_cases[] = {
	{ "empty", "",
	  "0x0000000000000000000000000000000000000000000000000000000000000000" },
	{ "seed bits 1 and 7", "1,7",
	  "0x4100000000000000000000000000000000000000000000000000000000000000" },
	{ "seed default all ones", ALL,
	  "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" },
	{ "bit 255 only", "255",
	  "0x0000000000000000000000000000000000000000000000000000000000000001" },
	{ "bits 0, 64, 128 and 192 cross words", "0,64,128,192",
	  "0x8000000000000000800000000000000080000000000000008000000000000000" },
	{ "seed adapters 0-15", "0-15",
	  "0xffff000000000000000000000000000000000000000000000000000000000000" },
};

static void ap_mask_format_case_desc(const struct ap_mask_format_case *c,
				     char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ap_mask_format, ap_mask_format_cases,
		  ap_mask_format_case_desc);

static void ap_mask_test_format(struct kunit *test)
{
	const struct ap_mask_format_case *c = test->param_value;
	DECLARE_BITMAP(mask, AP_IDS);
	char buf[AP_MASK_STRLEN + 1];

	ap_mask_from_list(test, c->bits, mask);
	KUNIT_EXPECT_EQ(test, ap_mask_format(mask, buf, sizeof(buf)),
			(size_t)AP_MASK_STRLEN);
	KUNIT_EXPECT_STREQ(test, buf, c->text);
}

static void ap_mask_test_format_short_buffer(struct kunit *test)
{
	DECLARE_BITMAP(mask, AP_IDS);
	char buf[AP_MASK_STRLEN];

	bitmap_fill(mask, AP_IDS);
	memset(buf, 'z', sizeof(buf));
	KUNIT_EXPECT_EQ(test, ap_mask_format(mask, buf, sizeof(buf)), 0);
	KUNIT_EXPECT_STREQ(test, buf, "");
}

/* A small, reproducible generator for the round-trip tests. */
static u64 ap_mask_test_rand(u64 *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return *state >> 11;
}

static void ap_mask_random(u64 *state, unsigned long *mask)
{
	unsigned int i, density = ap_mask_test_rand(state) % 8;

	bitmap_zero(mask, AP_IDS);
	for (i = 0; i < AP_IDS; i++)
		if (ap_mask_test_rand(state) % 8 < density)
			__set_bit(i, mask);
}

static void ap_mask_test_round_trip_absolute(struct kunit *test)
{
	DECLARE_BITMAP(mask, AP_IDS);
	DECLARE_BITMAP(back, AP_IDS);
	char buf[AP_MASK_STRLEN + 1];
	u64 state = 0x5eed;
	int i;

	for (i = 0; i < 512; i++) {
		ap_mask_random(&state, mask);
		ap_mask_format(mask, buf, sizeof(buf));
		KUNIT_ASSERT_EQ(test, ap_mask_parse(buf, strlen(buf), mask, back),
				0);
		KUNIT_ASSERT_TRUE_MSG(test, bitmap_equal(mask, back, AP_IDS),
				      "round %d: %s", i, buf);
	}
}

/* "+a,+b,..." built from a random mask, applied to zero, gives it back. */
static void ap_mask_test_round_trip_relative(struct kunit *test)
{
	DECLARE_BITMAP(mask, AP_IDS);
	DECLARE_BITMAP(zero, AP_IDS);
	DECLARE_BITMAP(back, AP_IDS);
	char *buf = kunit_kzalloc(test, 8 * AP_IDS, GFP_KERNEL);
	u64 state = 0xfeed;
	unsigned int bit;
	int i, n;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	bitmap_zero(zero, AP_IDS);
	for (i = 0; i < 128; i++) {
		ap_mask_random(&state, mask);
		n = scnprintf(buf, 8 * AP_IDS, "-0");
		for_each_set_bit(bit, mask, AP_IDS)
			n += scnprintf(buf + n, 8 * AP_IDS - n,
				       bit & 1 ? ",+%u" : ",+0x%x", bit);
		KUNIT_ASSERT_EQ(test, ap_mask_parse(buf, n, zero, back), 0);
		KUNIT_ASSERT_TRUE_MSG(test, bitmap_equal(mask, back, AP_IDS),
				      "round %d: %s", i, buf);
	}
}

static void ap_mask_test_msb0_layout(struct kunit *test)
{
	DECLARE_BITMAP(mask, AP_IDS);
	u8 bytes[AP_MASK_BYTES];

	ap_mask_from_list(test, "0,9,255", mask);
	ap_mask_to_msb0(mask, bytes);
	KUNIT_EXPECT_EQ(test, bytes[0], 0x80);
	KUNIT_EXPECT_EQ(test, bytes[1], 0x40);
	KUNIT_EXPECT_EQ(test, bytes[2], 0x00);
	KUNIT_EXPECT_EQ(test, bytes[31], 0x01);
}

/* The bits a mask gained (the trace events' "added" and "joined"). */
static void ap_mask_test_gained_msb0(struct kunit *test)
{
	DECLARE_BITMAP(from, AP_IDS);
	DECLARE_BITMAP(to, AP_IDS);
	u8 bytes[AP_MASK_BYTES], want[AP_MASK_BYTES] = {
		[0] = 0x20, [31] = 0x01,
	};

	KUNIT_ASSERT_EQ(test, bitmap_parselist("1,7", from, AP_IDS), 0);
	KUNIT_ASSERT_EQ(test, bitmap_parselist("1-2,255", to, AP_IDS), 0);
	memset(bytes, 0xee, sizeof(bytes));
	ap_mask_gained_msb0(from, to, bytes);
	KUNIT_EXPECT_MEMEQ(test, bytes, want, sizeof(want));
	ap_mask_gained_msb0(to, from, bytes);
	memset(want, 0, sizeof(want));
	want[0] = 0x01;		/* bit 7 left */
	KUNIT_EXPECT_MEMEQ(test, bytes, want, sizeof(want));
}

static void ap_mask_test_msb0_round_trip(struct kunit *test)
{
	DECLARE_BITMAP(mask, AP_IDS);
	DECLARE_BITMAP(back, AP_IDS);
	u8 bytes[AP_MASK_BYTES];
	u64 state = 0xb0b0;
	int i;

	for (i = 0; i < 64; i++) {
		ap_mask_random(&state, mask);
		ap_mask_to_msb0(mask, bytes);
		ap_mask_from_msb0(bytes, back);
		KUNIT_ASSERT_TRUE(test, bitmap_equal(mask, back, AP_IDS));
	}
}

/* The text form and the machine layout agree: "0x" + bytes in order. */
static void ap_mask_test_msb0_matches_text(struct kunit *test)
{
	static const u8 bytes[AP_MASK_BYTES] = { 0x41, [5] = 0xab, [31] = 0x01 };
	DECLARE_BITMAP(mask, AP_IDS);
	char buf[AP_MASK_STRLEN + 1];

	ap_mask_from_msb0(bytes, mask);
	ap_mask_format(mask, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf,
			   "0x4100000000ab0000000000000000000000000000000000000000000000000001");
}

struct ap_id_case {
	const char *desc;
	const char *in;
	unsigned long id;
	int rc;
};

static const struct ap_id_case ap_id_cases[] = {
	{ "seed decimal 12", "12", 12 },
	{ "seed hex 0xc", "0xc", 12 },
	{ "seed decimal 10 with newline", "10\n", 10 },
	{ "seed hex 0xa with newline", "0xa\n", 10 },
	{ "zero", "0", 0 },
	{ "upper-case hex", "0XAB", 0xab },
	{ "hex with leading zeros", "0x0005", 5 },
	{ "255", "255", 255 },
	{ "256 is well-formed", "256", 256 },
	{ "ULONG_MAX", "18446744073709551615", ULONG_MAX },
	{ "past ULONG_MAX saturates", "18446744073709551616", AP_ID_OVERFLOW },
	{ "long hex saturates", "0x1234567890abcdef12345", AP_ID_OVERFLOW },
	{ "empty", "", 0, -EINVAL },
	{ "newline only", "\n", 0, -EINVAL },
	{ "plus sign", "+12", 0, -EINVAL },
	{ "minus sign", "-1", 0, -EINVAL },
	{ "leading zero", "012", 0, -EINVAL },
	{ "leading blank", " 12", 0, -EINVAL },
	{ "trailing blank", "12 ", 0, -EINVAL },
	{ "bare prefix", "0x", 0, -EINVAL },
	{ "hex digit in decimal", "1a", 0, -EINVAL },
	{ "two numbers", "1,2", 0, -EINVAL },
	{ "two newlines", "1\n\n", 0, -EINVAL },
};

static void ap_id_case_desc(const struct ap_id_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ap_id, ap_id_cases, ap_id_case_desc);

static void ap_mask_test_id(struct kunit *test)
{
	const struct ap_id_case *c = test->param_value;
	unsigned long id = 0xdead;

	KUNIT_EXPECT_EQ(test, ap_id_parse(c->in, strlen(c->in), &id), c->rc);
	KUNIT_EXPECT_EQ(test, id, c->rc ? 0xdeadUL : c->id);
}

static void ap_mask_test_apqn_name(struct kunit *test)
{
	char buf[AP_APQN_NAME_LEN + 1];

	KUNIT_EXPECT_STREQ(test, ap_apqn_name(ap_apqn(5, 0xab), buf), "05.00ab");
	KUNIT_EXPECT_STREQ(test, ap_apqn_name(ap_apqn(0, 0), buf), "00.0000");
	KUNIT_EXPECT_STREQ(test, ap_apqn_name(ap_apqn(0xff, 0xff), buf),
			   "ff.00ff");
	KUNIT_EXPECT_EQ(test, ap_apqn_apid(ap_apqn(0x0a, 0x47)), 0x0aU);
	KUNIT_EXPECT_EQ(test, ap_apqn_apqi(ap_apqn(0x0a, 0x47)), 0x47U);
}

/**
 * struct ap_apqn_case - one ap_apqn_parse() input
 * @in: the text
 * @len: characters available (the parser may stop before)
 * @rc: the expected return
 * @apqn: the expected queue when @rc is AP_APQN_NAME_LEN
 */
struct ap_apqn_case {
	const char *in;
	size_t len;
	int rc;
	apqn_t apqn;
};

static const struct ap_apqn_case ap_apqn_cases[] = {
	{ "05.00ab", 7, AP_APQN_NAME_LEN, 0x05ab },
	{ "ff.00ff", 7, AP_APQN_NAME_LEN, 0xffff },
	{ "00.0000", 7, AP_APQN_NAME_LEN, 0x0000 },
	{ "0A.004F", 7, AP_APQN_NAME_LEN, 0x0a4f },
	{ "05.00ab:C", 9, AP_APQN_NAME_LEN, 0x05ab },
	{ "05.00ab", 6, -EINVAL },
	{ "5.00ab", 6, -EINVAL },
	{ "05.0ab", 6, -EINVAL },
	{ "05.01ab", 7, -EINVAL },
	{ "05.10ab", 7, -EINVAL },
	{ "05:00ab", 7, -EINVAL },
	{ "05.00a ", 7, -EINVAL },
	{ "0x.00ab", 7, -EINVAL },
	{ "+5.00ab", 7, -EINVAL },
	{ "", 0, -EINVAL },
};

static void ap_apqn_case_desc(const struct ap_apqn_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "'%.*s' gives %d", (int)c->len,
		 c->in, c->rc);
}

KUNIT_ARRAY_PARAM(ap_apqn, ap_apqn_cases, ap_apqn_case_desc);

/* The strict queue names of the simulator's and the guest's files. */
static void ap_mask_test_apqn_parse(struct kunit *test)
{
	const struct ap_apqn_case *c = test->param_value;
	apqn_t apqn = 0xdead;

	KUNIT_EXPECT_EQ(test, ap_apqn_parse(c->in, c->len, &apqn), c->rc);
	KUNIT_EXPECT_EQ(test, apqn, c->rc > 0 ? c->apqn : 0xdead);
}

static struct kunit_case ap_mask_test_cases[] = {
	KUNIT_CASE_PARAM(ap_mask_test_absolute, ap_mask_absolute_gen_params),
	KUNIT_CASE_PARAM(ap_mask_test_relative, ap_mask_relative_gen_params),
	KUNIT_CASE(ap_mask_test_relative_failure_is_atomic),
	KUNIT_CASE(ap_mask_test_parse_in_place),
	KUNIT_CASE_PARAM(ap_mask_test_format, ap_mask_format_gen_params),
	KUNIT_CASE(ap_mask_test_format_short_buffer),
	KUNIT_CASE(ap_mask_test_round_trip_absolute),
	KUNIT_CASE(ap_mask_test_round_trip_relative),
	KUNIT_CASE(ap_mask_test_msb0_layout),
	KUNIT_CASE(ap_mask_test_msb0_round_trip),
	KUNIT_CASE(ap_mask_test_gained_msb0),
	KUNIT_CASE(ap_mask_test_msb0_matches_text),
	KUNIT_CASE_PARAM(ap_mask_test_id, ap_id_gen_params),
	KUNIT_CASE(ap_mask_test_apqn_name),
	KUNIT_CASE_PARAM(ap_mask_test_apqn_parse, ap_apqn_gen_params),
	{}
};

static struct kunit_suite ap_mask_test_suite = {
	.name = "ap_mask",
	.test_cases = ap_mask_test_cases,
};

kunit_test_suite(ap_mask_test_suite);

MODULE_DESCRIPTION("KUnit tests for the AP mask grammar");
MODULE_LICENSE("GPL");
