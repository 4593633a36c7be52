// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the migration stream (drivers/ap/migstream.c).
 *
 * The oracle is a stream written out byte by byte from the layout in
 * include/ap/migstream.h: the encoder must produce exactly these bytes
 * and the parser read them back, on a little-endian host (UML) as on a
 * big-endian one (s390x), so a stream crosses between them. Every
 * malformed variant is the good stream with one field spoiled: each must
 * be refused with -EINVAL and leave the parser's outputs as they were.
 */

#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <ap/migstream.h>

/* Adapter 5, domains 4 and 0x47, control domain 4: two queues. */
#define GOLDEN_LEN	(136 + 2 * 56)
#define R1		136		/* first record */
#define R2		(136 + 56)	/* second record */

static const u8 ap_mig_golden[GOLDEN_LEN] = {
	/* header: "APVM", version 1, header length 16, stream length */
	[0] = 0x41, [1] = 0x50, [2] = 0x56, [3] = 0x4d,
	[5] = 0x01, [7] = 0x10, [11] = GOLDEN_LEN,
	/* part MATRIX, length 96; APM bit 5, AQM bits 4 and 71, ADM bit 4 */
	[17] = 0x01, [23] = 0x60,
	[24] = 0x04,
	[56] = 0x08, [56 + 8] = 0x01,
	[88] = 0x08,
	/* part QUEUES, length 8 + 2 * 56; count 2, record length 56 */
	[121] = 0x02, [127] = 0x78, [131] = 0x02, [135] = 0x38,
	/* 05.0004: type 14, irq + key, facilities 0x92000000, ISC 3,
	 * notification byte at 0x12345, key pattern 0x01 0x02 ... 0x20
	 */
	[R1] = 0x05, [R1 + 1] = 0x04, [R1 + 2] = 0x0e, [R1 + 3] = 0x03,
	[R1 + 4] = 0x92, [R1 + 8] = 0x03,
	[R1 + 21] = 0x01, [R1 + 22] = 0x23, [R1 + 23] = 0x45,
	[R1 + 24] = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
	/* 05.0047: type 14, nothing else, facilities 0x92000000 */
	[R2] = 0x05, [R2 + 1] = 0x47, [R2 + 2] = 0x0e, [R2 + 4] = 0x92,
};

static void ap_mig_golden_matrix(struct ap_matrix *m)
{
	ap_matrix_clear(m);
	__set_bit(5, m->apm);
	__set_bit(4, m->aqm);
	__set_bit(0x47, m->aqm);
	__set_bit(4, m->adm);
}

static void ap_mig_golden_queue(unsigned int i, struct ap_mig_queue *q)
{
	unsigned int k;

	memset(q, 0, sizeof(*q));
	q->type = 14;
	q->functions = 0x92000000;
	if (i == 1) {
		q->apqn = 0x0547;
		return;
	}
	q->apqn = 0x0504;
	q->irq = true;
	q->isc = 3;
	q->nib = 0x12345;
	q->mkvp_set = true;
	for (k = 0; k < AP_MIG_MKVP_LEN; k++)
		q->mkvp[k] = k + 1;
}

static void ap_mig_test_encode(struct kunit *test)
{
	u8 *buf = kunit_kzalloc(test, GOLDEN_LEN + 8, GFP_KERNEL);
	struct ap_matrix m;
	struct ap_mig_queue q;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	ap_mig_golden_matrix(&m);
	KUNIT_EXPECT_EQ(test, ap_mig_size(2), (size_t)GOLDEN_LEN);
	KUNIT_EXPECT_EQ(test, ap_mig_encode_begin(&m, buf, GOLDEN_LEN - 1),
			(size_t)0);
	KUNIT_ASSERT_EQ(test, ap_mig_encode_begin(&m, buf, GOLDEN_LEN + 8),
			(size_t)GOLDEN_LEN);
	for (i = 0; i < 2; i++) {
		ap_mig_golden_queue(i, &q);
		ap_mig_encode_queue(buf, i, &q);
	}
	KUNIT_EXPECT_MEMEQ(test, buf, ap_mig_golden, GOLDEN_LEN);
}

static void ap_mig_test_decode(struct kunit *test)
{
	struct ap_mig_queue q, want;
	struct ap_matrix m, expect;
	const char *why = NULL;
	unsigned int n = 0, i;
	size_t total = 0;

	KUNIT_EXPECT_EQ(test, ap_mig_stream_len(ap_mig_golden, 15, &total,
						&why), -ENODATA);
	KUNIT_EXPECT_EQ(test, ap_mig_stream_len(ap_mig_golden, 16, &total,
						&why), 0);
	KUNIT_EXPECT_EQ(test, total, (size_t)GOLDEN_LEN);
	KUNIT_ASSERT_EQ(test, ap_mig_decode(ap_mig_golden, GOLDEN_LEN, &m, &n,
					    &why), 0);
	ap_mig_golden_matrix(&expect);
	KUNIT_EXPECT_TRUE(test, ap_matrix_equal(&m, &expect));
	KUNIT_ASSERT_EQ(test, n, 2U);
	for (i = 0; i < n; i++) {
		ap_mig_queue_get(ap_mig_golden, i, &q);
		ap_mig_golden_queue(i, &want);
		KUNIT_EXPECT_EQ(test, q.apqn, want.apqn);
		KUNIT_EXPECT_EQ(test, q.type, want.type);
		KUNIT_EXPECT_EQ(test, q.functions, want.functions);
		KUNIT_EXPECT_EQ(test, q.irq, want.irq);
		KUNIT_EXPECT_EQ(test, q.isc, want.isc);
		KUNIT_EXPECT_EQ(test, q.nib, want.nib);
		KUNIT_EXPECT_EQ(test, q.mkvp_set, want.mkvp_set);
		KUNIT_EXPECT_MEMEQ(test, q.mkvp, want.mkvp, AP_MIG_MKVP_LEN);
	}
}

/**
 * struct ap_mig_bad - the good stream with a spoiled field
 * @desc: what is wrong
 * @len: the length handed to the parser (0: the stream's)
 * @n: how many bytes change
 * @chg: each byte's offset and new value
 */
struct ap_mig_bad {
	const char *desc;
	unsigned int len;
	unsigned int n;
	struct {
		unsigned int off;
		u8 val;
	} chg[3];
};

#define BAD(d, o, v)		{ .desc = d, .n = 1, .chg = { { o, v } } }
#define BAD2(d, o, v, o2, v2)	{ .desc = d, .n = 2, .chg = { { o, v }, { o2, v2 } } }
#define SHORT(d, l)		{ .desc = d, .len = l }

static const struct ap_mig_bad ap_mig_bad_cases[] = {
	BAD("magic", 0, 0x42),
	BAD("version 2", 5, 0x02),
	BAD("version 0x0101", 4, 0x01),
	BAD("header length", 7, 0x18),
	BAD("flags", 15, 0x01),
	BAD("stream length shorter than any stream", 11, 0x10),
	BAD("stream length not a whole record", 11, GOLDEN_LEN - 1),
	BAD2("stream length one record more", 10, (GOLDEN_LEN + 56) >> 8,
	     11, (GOLDEN_LEN + 56) & 0xff),
	BAD("stream length beyond the largest stream", 8, 0x7f),
	SHORT("truncated by one byte", GOLDEN_LEN - 1),
	SHORT("truncated to the header", 16),
	SHORT("truncated inside the header", 9),
	SHORT("a byte after the end", GOLDEN_LEN + 1),
	BAD2("parts swapped", 17, 0x02, 121, 0x01),
	BAD("unknown part", 121, 0x03),
	BAD("MATRIX part reserved", 18, 0x01),
	BAD("MATRIX part length", 23, 0x61),
	BAD("QUEUES part reserved", 123, 0x01),
	BAD("QUEUES part length", 127, 0x79),
	BAD("queue count overflows", 128, 0xff),
	BAD("queue count one too many", 131, 0x03),
	BAD("queue count one too few", 131, 0x01),
	BAD("record length", 135, 0x39),
	BAD("one more adapter than the records", 24, 0x06),
	BAD("one domain less than the records", 64, 0x00),
	BAD("queue outside the configuration (adapter)", R1, 0x06),
	BAD("queue outside the configuration (domain)", R1 + 1, 0x05),
	BAD("queue duplicated", R2 + 1, 0x04),
	BAD2("queues out of order", R1 + 1, 0x47, R2 + 1, 0x04),
	BAD("type 0", R1 + 2, 0x00),
	BAD("unknown queue flag", R1 + 3, 0x07),
	BAD("reserved byte of a record", R1 + 12, 0x01),
	BAD("ISC 8", R1 + 8, 0x08),
	BAD("ISC 255", R1 + 8, 0xff),
	{ .desc = "interrupts without a notification byte", .n = 3,
	  .chg = { { R1 + 21, 0 }, { R1 + 22, 0 }, { R1 + 23, 0 } } },
	BAD("ISC without interrupts", R2 + 8, 0x01),
	BAD("notification byte without interrupts", R2 + 23, 0x01),
	BAD("key pattern without its flag", R2 + 40, 0x01),
};

static void ap_mig_bad_desc(const struct ap_mig_bad *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ap_mig_bad, ap_mig_bad_cases, ap_mig_bad_desc);

static void ap_mig_test_bad(struct kunit *test)
{
	const struct ap_mig_bad *c = test->param_value;
	u8 *buf = kunit_kzalloc(test, GOLDEN_LEN + 8, GFP_KERNEL);
	struct ap_matrix m, before;
	unsigned int n = 12345;
	const char *why = NULL;
	unsigned int len = c->len ?: GOLDEN_LEN;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, ap_mig_golden, GOLDEN_LEN);
	for (i = 0; i < c->n; i++)
		buf[c->chg[i].off] = c->chg[i].val;
	memset(&m, 0x5a, sizeof(m));
	before = m;
	KUNIT_EXPECT_EQ(test, ap_mig_decode(buf, len, &m, &n, &why), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, why);
	KUNIT_EXPECT_MEMEQ(test, &m, &before, sizeof(m));
	KUNIT_EXPECT_EQ(test, n, 12345U);
}

/* The largest configuration: 256 x 256 queues, in and out again. */
static void ap_mig_test_largest(struct kunit *test)
{
	size_t len = ap_mig_size(AP_MIG_MAX_QUEUES);
	struct ap_matrix m, back;
	struct ap_mig_queue q = { .type = 13, .functions = 0x04000000 };
	const char *why;
	unsigned int n, i;
	u8 *buf;

	KUNIT_EXPECT_EQ(test, len, (size_t)136 + 65536 * 56);
	buf = vmalloc(len);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	ap_matrix_clear(&m);
	bitmap_fill(m.apm, AP_IDS);
	bitmap_fill(m.aqm, AP_IDS);
	bitmap_fill(m.adm, AP_IDS);
	KUNIT_EXPECT_EQ(test, ap_mig_encode_begin(&m, buf, len), len);
	for (i = 0; i < AP_MIG_MAX_QUEUES; i++) {
		q.apqn = i;
		ap_mig_encode_queue(buf, i, &q);
	}
	KUNIT_EXPECT_EQ(test, ap_mig_decode(buf, len, &back, &n, &why), 0);
	KUNIT_EXPECT_EQ(test, n, (unsigned int)AP_MIG_MAX_QUEUES);
	KUNIT_EXPECT_TRUE(test, ap_matrix_equal(&m, &back));
	ap_mig_queue_get(buf, AP_MIG_MAX_QUEUES - 1, &q);
	KUNIT_EXPECT_EQ(test, q.apqn, (apqn_t)0xffff);
	vfree(buf);
}

/* An empty configuration is a stream too: a guest with no queue. */
static void ap_mig_test_empty(struct kunit *test)
{
	u8 buf[136];
	struct ap_matrix m, back;
	const char *why;
	unsigned int n = 7;

	ap_matrix_clear(&m);
	KUNIT_ASSERT_EQ(test, ap_mig_encode_begin(&m, buf, sizeof(buf)),
			sizeof(buf));
	KUNIT_EXPECT_EQ(test, ap_mig_decode(buf, sizeof(buf), &back, &n,
					    &why), 0);
	KUNIT_EXPECT_EQ(test, n, 0U);
	KUNIT_EXPECT_TRUE(test, ap_matrix_equal(&m, &back));
}

static struct kunit_case ap_migstream_cases[] = {
	KUNIT_CASE(ap_mig_test_encode),
	KUNIT_CASE(ap_mig_test_decode),
	KUNIT_CASE_PARAM(ap_mig_test_bad, ap_mig_bad_gen_params),
	KUNIT_CASE(ap_mig_test_largest),
	KUNIT_CASE(ap_mig_test_empty),
	{}
};

static struct kunit_suite ap_migstream_suite = {
	.name = "ap_migstream",
	.test_cases = ap_migstream_cases,
};

kunit_test_suite(ap_migstream_suite);

MODULE_DESCRIPTION("KUnit tests for the vfio_ap migration stream");
MODULE_LICENSE("GPL");
