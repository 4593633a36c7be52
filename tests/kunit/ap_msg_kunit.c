// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the host's message path: the type 50/80/82 formats
 * (drivers/ap/type50.c), the simulated accelerator answering them
 * (drivers/ap_sim/card.c), and requests through a queue of the AP bus
 * (drivers/ap/message.c): answered, ended by a reset or a check-stop,
 * taken back, refused, and a reply too large for its buffer.
 *
 * Expected sizes and offsets come from the layout of Linux's type 50
 * structures (MEB1 0x190, MEB2 0x310, MEB3 0x610, CRB1 0x1D0, CRB2
 * 0x390, CRB3 0x710 bytes), the reply codes from zcrypt_error.h, and the
 * RSA results from Python's pow() on a 64-bit key, not from the code
 * under test. The suite runs over the specification's example LPAR:
 * adapter 6 is a CEX5A, its queue 06.0004 an accelerator the host has.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <ap/bus.h>
#include <ap/sim.h>
#include <ap/type50.h>

#define APQN		0x0604

/* A 64-bit RSA key: n = p q, d = 65537^-1 mod (p-1)(q-1), u = q^-1 mod p. */
static const u8 ap_msg_n[8] = { 0xff, 0xff, 0xff, 0xea, 0x00, 0x00, 0x00, 0x55 };
static const u8 ap_msg_d[8] = { 0x81, 0x81, 0x7e, 0x72, 0x5d, 0x5d, 0xa2, 0xd9 };
static const u8 ap_msg_p[4] = { 0xff, 0xff, 0xff, 0xfb };
static const u8 ap_msg_q[4] = { 0xff, 0xff, 0xff, 0xef };
static const u8 ap_msg_dp[4] = { 0x66, 0x66, 0x99, 0x97 };
static const u8 ap_msg_dq[4] = { 0x78, 0x78, 0x87, 0x7f };
static const u8 ap_msg_u[4] = { 0xea, 0xaa, 0xaa, 0xa6 };
static const u8 ap_msg_m[8] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };
/* m^d mod n */
static const u8 ap_msg_s[8] = { 0xe4, 0x17, 0x0a, 0x11, 0x87, 0x21, 0x93, 0x5d };

static void ap_msg_put(u8 *field, unsigned int width, const u8 *v,
		       unsigned int len)
{
	memcpy(field + width - len, v, len);
}

/* Build the ME (or CRT) request of the 64-bit key on m into @buf. */
static size_t ap_msg_build(u8 *buf, size_t size, bool crt)
{
	struct ap_t50 f;
	size_t len = ap_t50_init(buf, size, crt, sizeof(ap_msg_n), &f);

	if (!len)
		return 0;
	ap_msg_put(f.msg, f.width, ap_msg_m, sizeof(ap_msg_m));
	if (!crt) {
		ap_msg_put(f.exp, f.width, ap_msg_d, sizeof(ap_msg_d));
		ap_msg_put(f.mod, f.width, ap_msg_n, sizeof(ap_msg_n));
		return len;
	}
	ap_msg_put(f.p, f.width / 2, ap_msg_p, sizeof(ap_msg_p));
	ap_msg_put(f.q, f.width / 2, ap_msg_q, sizeof(ap_msg_q));
	ap_msg_put(f.dp, f.width / 2, ap_msg_dp, sizeof(ap_msg_dp));
	ap_msg_put(f.dq, f.width / 2, ap_msg_dq, sizeof(ap_msg_dq));
	ap_msg_put(f.u, f.width / 2, ap_msg_u, sizeof(ap_msg_u));
	return len;
}

static void ap_msg_test_sizes(struct kunit *test)
{
	static const struct { unsigned int mod; size_t me, crt; } t[] = {
		{ 7, 0, 0 }, { 8, 0x190, 0x1d0 }, { 128, 0x190, 0x1d0 },
		{ 129, 0x310, 0x390 }, { 256, 0x310, 0x390 },
		{ 257, 0x610, 0x710 }, { 512, 0x610, 0x710 }, { 513, 0, 0 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		KUNIT_EXPECT_EQ_MSG(test, ap_t50_size(false, t[i].mod), t[i].me,
				    "ME %u", t[i].mod);
		KUNIT_EXPECT_EQ_MSG(test, ap_t50_size(true, t[i].mod), t[i].crt,
				    "CRT %u", t[i].mod);
	}
}

static void ap_msg_test_layout(struct kunit *test)
{
	u8 *b = kunit_kzalloc(test, 0x710, GFP_KERNEL);
	struct ap_t50 f;

	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, ap_t50_init(b, 0x710, false, 100, &f), 0x190);
	KUNIT_EXPECT_EQ(test, b[1], 0x50);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(b + 2), 0x190);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(b + 8), 0x0001);
	KUNIT_EXPECT_PTR_EQ(test, f.exp, b + 16);
	KUNIT_EXPECT_PTR_EQ(test, f.mod, b + 16 + 128);
	KUNIT_EXPECT_PTR_EQ(test, f.msg, b + 16 + 256);
	KUNIT_EXPECT_EQ(test, ap_t50_init(b, 0x710, true, 200, &f), 0x390);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(b + 8), 0x0012);
	KUNIT_EXPECT_PTR_EQ(test, f.p, b + 16);
	KUNIT_EXPECT_PTR_EQ(test, f.q, b + 16 + 128);
	KUNIT_EXPECT_PTR_EQ(test, f.dp, b + 16 + 256);
	KUNIT_EXPECT_PTR_EQ(test, f.dq, b + 16 + 384);
	KUNIT_EXPECT_PTR_EQ(test, f.u, b + 16 + 512);
	KUNIT_EXPECT_PTR_EQ(test, f.msg, b + 16 + 640);
	KUNIT_EXPECT_EQ(test, ap_t50_init(b, 0x710, true, 512, &f), 0x710);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(b + 8), 0x0013);
	/* Too little room, or an unsupported modulus: nothing built. */
	KUNIT_EXPECT_EQ(test, ap_t50_init(b, 0x18f, false, 8, &f), 0);
	KUNIT_EXPECT_EQ(test, ap_t50_init(b, 0x710, false, 4, &f), 0);
}

/* What the card answers a request built for 8 bytes, then changed. */
static int ap_msg_parse_changed(struct kunit *test, unsigned int off, u8 v,
				size_t len)
{
	u8 *b = kunit_kzalloc(test, 0x200, GFP_KERNEL);
	struct ap_t50 f;

	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_EQ(test, ap_msg_build(b, 0x200, false), 0x190);
	if (off)
		b[off] = v;
	return ap_t50_parse(b, len, &f);
}

static void ap_msg_test_parse(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ap_msg_parse_changed(test, 0, 0, 0x190), 0);
	KUNIT_EXPECT_EQ(test, ap_msg_parse_changed(test, 1, 0x51, 0x190),
			0x20);
	KUNIT_EXPECT_EQ(test, ap_msg_parse_changed(test, 0, 0, 0x18f), 0x23);
	KUNIT_EXPECT_EQ(test, ap_msg_parse_changed(test, 0, 0, 15), 0x23);
	KUNIT_EXPECT_EQ(test, ap_msg_parse_changed(test, 12, 1, 0x190), 0x24);
	KUNIT_EXPECT_EQ(test, ap_msg_parse_changed(test, 4, 1, 0x190), 0x24);
	/* Byte 5 is ignored. */
	KUNIT_EXPECT_EQ(test, ap_msg_parse_changed(test, 5, 1, 0x190), 0);
	KUNIT_EXPECT_EQ(test, ap_msg_parse_changed(test, 9, 4, 0x190), 0x29);
	/* A CRT format on a plain request's length. */
	KUNIT_EXPECT_EQ(test, ap_msg_parse_changed(test, 9, 0x11, 0x190), 0x23);
}

static void ap_msg_test_reply(struct kunit *test)
{
	static const struct { u8 code; int rc; } codes[] = {
		{ 0x10, -EAGAIN }, { 0x20, -EAGAIN }, { 0x90, -EAGAIN },
		{ 0x23, -EINVAL }, { 0x24, -EINVAL }, { 0x29, -EINVAL },
		{ 0x40, -EINVAL }, { 0x82, -EINVAL }, { 0x84, -EINVAL },
		{ 0x85, -EINVAL }, { 0x8b, -EINVAL }, { 0x00, -EAGAIN },
	};
	u8 b[AP_T80_MAX_LEN];
	const u8 *res = NULL;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, ap_t80_init(b, sizeof(b), 128), 144);
	KUNIT_EXPECT_EQ(test, b[1], 0x80);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(b + 2), 144);
	KUNIT_EXPECT_EQ(test, ap_t80_result(b, 144, 64, &res), 0);
	KUNIT_EXPECT_PTR_EQ(test, res, (const u8 *)b + 80);
	KUNIT_EXPECT_EQ(test, ap_t80_result(b, 143, 64, &res), -EAGAIN);
	KUNIT_EXPECT_EQ(test, ap_t80_result(b, 144, 129, &res), -EAGAIN);
	KUNIT_EXPECT_EQ(test, ap_t80_init(b, sizeof(b), 513), 0);
	for (i = 0; i < ARRAY_SIZE(codes); i++) {
		KUNIT_ASSERT_EQ(test, ap_t82_init(b, sizeof(b), codes[i].code), 8);
		KUNIT_EXPECT_EQ_MSG(test, ap_t80_result(b, 8, 8, &res),
				    codes[i].rc, "code 0x%02x", codes[i].code);
		b[1] = 0x88;
		KUNIT_EXPECT_EQ(test, ap_t80_result(b, 8, 8, &res), codes[i].rc);
	}
	b[1] = 0x81;
	KUNIT_EXPECT_EQ(test, ap_t80_result(b, 8, 8, &res), -EAGAIN);
}

static void ap_msg_cmd(struct kunit *test, const char *cmd)
{
	KUNIT_ASSERT_EQ_MSG(test, ap_sim_command(cmd, strlen(cmd)), 0, "%s",
			    cmd);
}

static void ap_msg_undo(void *cmd)
{
	ap_sim_command(cmd, strlen(cmd));
}

/* Dequeue the reply to @psmid, waiting up to a second: its length. */
static size_t ap_msg_dqap_wait(struct kunit *test, u64 psmid, u8 *buf)
{
	struct ap_hw_status st;
	unsigned int i;
	size_t len;
	u64 got;

	for (i = 0; i < 1000; i++) {
		len = AP_T80_MAX_LEN;
		st = ap_hw_dqap(APQN, &got, buf, &len);
		if (st.rc == AP_HW_RC_NORMAL) {
			KUNIT_EXPECT_EQ(test, got, psmid);
			return len;
		}
		KUNIT_ASSERT_EQ(test, st.rc, AP_HW_RC_NO_PENDING_REPLY);
		usleep_range(1000, 2000);
	}
	KUNIT_FAIL(test, "no reply within a second");
	return 0;
}

/* The card answers ME and CRT with m^d mod n, right-aligned in 128. */
static void ap_msg_test_card_computes(struct kunit *test)
{
	u8 *req = kunit_kzalloc(test, 0x200, GFP_KERNEL);
	u8 *rep = kunit_kzalloc(test, AP_T80_MAX_LEN, GFP_KERNEL);
	const u8 *res;
	bool crt;

	KUNIT_ASSERT_NOT_NULL(test, req);
	KUNIT_ASSERT_NOT_NULL(test, rep);
	for (crt = false; ; crt = true) {
		size_t len = ap_msg_build(req, 0x200, crt);

		KUNIT_ASSERT_EQ(test, ap_hw_nqap(APQN, 0x5000 + crt, req,
						 len).rc, 0);
		len = ap_msg_dqap_wait(test, 0x5000 + crt, rep);
		KUNIT_EXPECT_EQ(test, len, 144);
		KUNIT_ASSERT_EQ(test, ap_t80_result(rep, len, 8, &res), 0);
		KUNIT_EXPECT_MEMEQ(test, res, ap_msg_s, sizeof(ap_msg_s));
		KUNIT_EXPECT_FALSE(test, memchr_inv(rep + 16, 0, 120));
		if (crt)
			break;
	}
}

/* An even modulus, and a message not below the modulus, are refused. */
static void ap_msg_test_card_refuses(struct kunit *test)
{
	u8 *req = kunit_kzalloc(test, 0x200, GFP_KERNEL);
	u8 *rep = kunit_kzalloc(test, AP_T80_MAX_LEN, GFP_KERNEL);
	size_t len;

	KUNIT_ASSERT_NOT_NULL(test, req);
	KUNIT_ASSERT_NOT_NULL(test, rep);
	len = ap_msg_build(req, 0x200, false);
	req[16 + 255] &= ~1;	/* the modulus' last byte */
	KUNIT_ASSERT_EQ(test, ap_hw_nqap(APQN, 0x5100, req, len).rc, 0);
	KUNIT_ASSERT_EQ(test, ap_msg_dqap_wait(test, 0x5100, rep), 8);
	KUNIT_EXPECT_EQ(test, rep[1], 0x82);
	KUNIT_EXPECT_EQ(test, rep[4], 0x85);
	len = ap_msg_build(req, 0x200, false);
	memset(req + 16 + 256 + 120, 0xff, 8);	/* m = 2^64 - 1 > n */
	KUNIT_ASSERT_EQ(test, ap_hw_nqap(APQN, 0x5101, req, len).rc, 0);
	KUNIT_ASSERT_EQ(test, ap_msg_dqap_wait(test, 0x5101, rep), 8);
	KUNIT_EXPECT_EQ(test, rep[4], 0x82);
	/* A coprocessor queue does not know type 50. */
	ap_msg_cmd(test, "set-mode 06.0004 C");
	kunit_add_action(test, ap_msg_undo, "set-mode 06.0004 A");
	len = ap_msg_build(req, 0x200, false);
	KUNIT_ASSERT_EQ(test, ap_hw_nqap(APQN, 0x5102, req, len).rc, 0);
	KUNIT_ASSERT_EQ(test, ap_msg_dqap_wait(test, 0x5102, rep), 8);
	KUNIT_EXPECT_EQ(test, rep[4], 0x20);
}

/* The queue takes its depth (TAPQ's) of requests, then answers full. */
static void ap_msg_test_card_depth(struct kunit *test)
{
	u8 *req = kunit_kzalloc(test, 0x200, GFP_KERNEL);
	struct ap_hw_queue_info info;
	struct ap_hw_status st;
	size_t len;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, req);
	KUNIT_ASSERT_EQ(test, ap_hw_tapq(APQN, &info).rc, 0);
	KUNIT_ASSERT_GT(test, info.depth, 1U);
	ap_msg_cmd(test, "delay 06.0004 10000000");
	kunit_add_action(test, ap_msg_undo, "delay 06.0004 0");
	len = ap_msg_build(req, 0x200, false);
	for (i = 0; i < info.depth; i++)
		KUNIT_EXPECT_EQ(test, ap_hw_nqap(APQN, 0x5200 + i, req, len).rc,
				0);
	st = ap_hw_nqap(APQN, 0x5300, req, len);
	KUNIT_EXPECT_EQ(test, st.rc, AP_HW_RC_Q_FULL);
	KUNIT_EXPECT_FALSE(test, st.queue_empty);
	KUNIT_EXPECT_FALSE(test, st.replies_waiting);
	/* A reset drops them all (and disables interrupts: enable them). */
	KUNIT_EXPECT_EQ(test, ap_hw_reset(APQN, false).rc, 0);
	st = ap_hw_tapq(APQN, &info);
	KUNIT_EXPECT_TRUE(test, st.queue_empty);
	KUNIT_EXPECT_EQ(test, ap_hw_aqic(APQN, true, 6).rc, 0);
}

/**
 * struct ap_msg_req - a request through the message path
 * @m: the message
 * @done: completed when it ends
 * @calls: how often it ended
 * @req: the request
 * @reply: its reply
 */
struct ap_msg_req {
	struct ap_message m;
	struct completion done;
	unsigned int calls;
	u8 req[0x190];
	u8 reply[AP_T80_MAX_LEN];
};

static void ap_msg_done(struct ap_message *m)
{
	struct ap_msg_req *r = container_of(m, struct ap_msg_req, m);

	r->calls++;
	complete(&r->done);
}

static struct ap_msg_req *ap_msg_new(struct kunit *test)
{
	struct ap_msg_req *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	init_completion(&r->done);
	r->m.msg = r->req;
	r->m.len = ap_msg_build(r->req, sizeof(r->req), false);
	r->m.reply = r->reply;
	r->m.bufsize = sizeof(r->reply);
	r->m.done = ap_msg_done;
	return r;
}

static void ap_msg_put_queue(void *q)
{
	put_device(&((struct ap_queue *)q)->dev);
}

static struct ap_queue *ap_msg_queue(struct kunit *test)
{
	struct ap_queue *q = ap_queue_get(APQN);

	KUNIT_ASSERT_NOT_NULL(test, q);
	kunit_add_action(test, ap_msg_put_queue, q);
	return q;
}

static void ap_msg_test_path_answers(struct kunit *test)
{
	struct ap_queue *q = ap_msg_queue(test);
	struct ap_msg_req *r = ap_msg_new(test);
	u64 count = atomic64_read(&q->request_count);
	const u8 *res;

	KUNIT_ASSERT_EQ(test, ap_queue_message(q, &r->m), 0);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&r->done, 5 * HZ));
	KUNIT_EXPECT_EQ(test, r->calls, 1U);
	KUNIT_EXPECT_EQ(test, r->m.rc, 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&q->request_count), count + 1);
	KUNIT_ASSERT_EQ(test, ap_t80_result(r->reply, r->m.reply_len, 8, &res),
			0);
	KUNIT_EXPECT_MEMEQ(test, res, ap_msg_s, sizeof(ap_msg_s));
	KUNIT_EXPECT_FALSE(test, ap_cancel_message(q, &r->m));
}

/* A reset ends the requests it clears from the machine: -EAGAIN, once. */
static void ap_msg_test_path_reset(struct kunit *test)
{
	struct ap_queue *q = ap_msg_queue(test);
	struct ap_msg_req *r = ap_msg_new(test);
	unsigned int requestq, pendingq;

	ap_msg_cmd(test, "delay 06.0004 10000000");
	kunit_add_action(test, ap_msg_undo, "delay 06.0004 0");
	KUNIT_ASSERT_EQ(test, ap_queue_message(q, &r->m), 0);
	KUNIT_EXPECT_EQ(test, ap_queue_reset(q, false, AP_RESET_USER), 0);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&r->done, 5 * HZ));
	KUNIT_EXPECT_EQ(test, r->m.rc, -EAGAIN);
	KUNIT_EXPECT_EQ(test, r->calls, 1U);
	ap_queue_msg_counts(q, &requestq, &pendingq);
	KUNIT_EXPECT_EQ(test, requestq + pendingq, 0U);
	ap_queue_reset_wait(q);
	msleep(20);
	KUNIT_EXPECT_EQ(test, r->calls, 1U);
}

/* A request taken back is not ended, and its late reply is dropped. */
static void ap_msg_test_path_cancel(struct kunit *test)
{
	struct ap_queue *q = ap_msg_queue(test);
	struct ap_msg_req *r = ap_msg_new(test);
	struct ap_msg_req *r2 = ap_msg_new(test);

	ap_msg_cmd(test, "delay 06.0004 100000");
	kunit_add_action(test, ap_msg_undo, "delay 06.0004 0");
	KUNIT_ASSERT_EQ(test, ap_queue_message(q, &r->m), 0);
	KUNIT_EXPECT_TRUE(test, ap_cancel_message(q, &r->m));
	KUNIT_EXPECT_FALSE(test, ap_cancel_message(q, &r->m));
	/* The next request is answered, the dropped reply notwithstanding. */
	KUNIT_ASSERT_EQ(test, ap_queue_message(q, &r2->m), 0);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&r2->done, 5 * HZ));
	KUNIT_EXPECT_EQ(test, r2->m.rc, 0);
	KUNIT_EXPECT_EQ(test, r->calls, 0U);
}

/* A reply larger than the sender's buffer ends the request -EMSGSIZE. */
static void ap_msg_test_path_too_small(struct kunit *test)
{
	struct ap_queue *q = ap_msg_queue(test);
	struct ap_msg_req *r = ap_msg_new(test);

	r->m.bufsize = AP_T80_HDR_LEN + 127;	/* the reply is 16 + 128 */
	KUNIT_ASSERT_EQ(test, ap_queue_message(q, &r->m), 0);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&r->done, 5 * HZ));
	KUNIT_EXPECT_EQ(test, r->m.rc, -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, r->calls, 1U);
}

/* A check-stopped queue takes no request, and ends those it had. */
static void ap_msg_test_path_checkstop(struct kunit *test)
{
	struct ap_queue *q = ap_msg_queue(test);
	struct ap_msg_req *r = ap_msg_new(test);
	struct ap_msg_req *r2 = ap_msg_new(test);

	ap_msg_cmd(test, "delay 06.0004 10000000");
	kunit_add_action(test, ap_msg_undo, "delay 06.0004 0");
	KUNIT_ASSERT_EQ(test, ap_queue_message(q, &r->m), 0);
	ap_msg_cmd(test, "checkstop 6 on");
	kunit_add_action(test, ap_msg_undo, "checkstop 6 off");
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&r->done, 5 * HZ));
	KUNIT_EXPECT_EQ(test, r->m.rc, -EAGAIN);
	KUNIT_EXPECT_EQ(test, ap_queue_message(q, &r2->m), -ENODEV);
	KUNIT_EXPECT_EQ(test, r2->calls, 0U);
}

static struct kunit_case ap_msg_test_cases[] = {
	KUNIT_CASE(ap_msg_test_sizes),
	KUNIT_CASE(ap_msg_test_layout),
	KUNIT_CASE(ap_msg_test_parse),
	KUNIT_CASE(ap_msg_test_reply),
	KUNIT_CASE(ap_msg_test_card_computes),
	KUNIT_CASE(ap_msg_test_card_refuses),
	KUNIT_CASE(ap_msg_test_card_depth),
	KUNIT_CASE(ap_msg_test_path_answers),
	KUNIT_CASE(ap_msg_test_path_reset),
	KUNIT_CASE(ap_msg_test_path_cancel),
	KUNIT_CASE(ap_msg_test_path_too_small),
	KUNIT_CASE(ap_msg_test_path_checkstop),
	{}
};

static struct kunit_suite ap_msg_test_suite = {
	.name = "ap_msg",
	.test_cases = ap_msg_test_cases,
};

kunit_test_suite(ap_msg_test_suite);

MODULE_DESCRIPTION("KUnit tests of the AP message path and the simulated accelerator");
MODULE_LICENSE("GPL");
