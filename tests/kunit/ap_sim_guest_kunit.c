// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the simulated AP facility's guest contexts: the
 * machine's interpretation of a guest's instructions against its CRYCB,
 * and its judgement of the guests' isolation.
 *
 * Contexts are created and loaded through the hardware-ops contract
 * (ap_hw_guest_*()); the guests' instructions are issued through the
 * simulator's instr interface, as a test program does through debugfs.
 * The suite runs with the specification's example LPAR loaded (adapters
 * 4-6, usage and control domains 4, 71, 171, 255). Every test undoes its
 * changes and destroys its contexts.
 */

#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <ap/hw.h>
#include <ap/sim.h>

#define AP_SIM_GTEST_ANSWER	512
#define AP_SIM_GTEST_SHOW	8192

/* A formatted string that lives until the end of the test. */
static __printf(2, 3) char *ap_sim_gtest_fmt(struct kunit *test,
					     const char *fmt, ...)
{
	va_list args;
	char *buf;
	int len;

	va_start(args, fmt);
	len = vsnprintf(NULL, 0, fmt, args);
	va_end(args);
	buf = kunit_kzalloc(test, len + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	va_start(args, fmt);
	vsnprintf(buf, len + 1, fmt, args);
	va_end(args);
	return buf;
}

static void ap_sim_gtest_cmd_undo(void *cmd)
{
	ap_sim_command(cmd, strlen(cmd));
}

static void ap_sim_gtest_cmd(struct kunit *test, const char *cmd,
			     const char *undo)
{
	int rc;

	if (undo) {
		rc = kunit_add_action_or_reset(test, ap_sim_gtest_cmd_undo,
					       (void *)undo);
		KUNIT_ASSERT_EQ(test, rc, 0);
	}
	KUNIT_ASSERT_EQ_MSG(test, ap_sim_command(cmd, strlen(cmd)), 0, "%s",
			    cmd);
}

static void ap_sim_gtest_destroy(void *guest)
{
	ap_hw_guest_destroy(guest);
}

/* A new context with an empty CRYCB, destroyed at the end of the test. */
static struct ap_hw_guest *ap_sim_gtest_create(struct kunit *test)
{
	struct ap_hw_guest *g = ap_hw_guest_create(NULL);
	int rc;

	KUNIT_ASSERT_FALSE(test, IS_ERR(g));
	rc = kunit_add_action_or_reset(test, ap_sim_gtest_destroy, g);
	KUNIT_ASSERT_EQ(test, rc, 0);
	return g;
}

static void ap_sim_gtest_masks(struct kunit *test, struct ap_matrix *m,
			       const char *apm, const char *aqm,
			       const char *adm)
{
	KUNIT_ASSERT_EQ(test, bitmap_parselist(apm, m->apm, AP_IDS), 0);
	KUNIT_ASSERT_EQ(test, bitmap_parselist(aqm, m->aqm, AP_IDS), 0);
	KUNIT_ASSERT_EQ(test, bitmap_parselist(adm, m->adm, AP_IDS), 0);
}

/* Load a CRYCB; the masks are bit lists ("5", "4,171", ""). */
static void ap_sim_gtest_load(struct kunit *test, struct ap_hw_guest *g,
			      const char *apm, const char *aqm,
			      const char *adm)
{
	struct ap_matrix m;

	ap_sim_gtest_masks(test, &m, apm, aqm, adm);
	ap_hw_guest_load(g, &m);
}

/* A new context, destroyed at the end of the test, with a CRYCB. */
static struct ap_hw_guest *ap_sim_gtest_guest(struct kunit *test,
					      const char *apm,
					      const char *aqm,
					      const char *adm)
{
	struct ap_hw_guest *g = ap_sim_gtest_create(test);

	ap_sim_gtest_load(test, g, apm, aqm, adm);
	return g;
}

/* Issue "WHO INSTR ..." and return the answer line. */
static __printf(2, 3) char *ap_sim_gtest_issue(struct kunit *test,
					       const char *fmt, ...)
{
	char *ans = kunit_kzalloc(test, AP_SIM_GTEST_ANSWER, GFP_KERNEL);
	char req[160];
	va_list args;
	int len;

	KUNIT_ASSERT_NOT_NULL(test, ans);
	va_start(args, fmt);
	vsnprintf(req, sizeof(req), fmt, args);
	va_end(args);
	len = ap_sim_instr(req, strlen(req), ans, AP_SIM_GTEST_ANSWER);
	KUNIT_ASSERT_GT_MSG(test, len, 0, "%s", req);
	KUNIT_EXPECT_EQ_MSG(test, (size_t)len, strlen(ans), "%s", req);
	return ans;
}

/* The response code of an answer. */
static unsigned int ap_sim_gtest_rc(struct kunit *test, const char *ans)
{
	unsigned int rc = ~0U;
	int n = sscanf(ans, "rc=0x%x", &rc);

	KUNIT_EXPECT_EQ_MSG(test, n, 1, "%s", ans);
	return rc;
}

static void ap_sim_gtest_zeroize(void *apqn)
{
	ap_hw_reset((apqn_t)(uintptr_t)apqn, true);
}

/* Zeroize @apqn at the end of the test (its secret is left behind). */
static void ap_sim_gtest_defer_zeroize(struct kunit *test, apqn_t apqn)
{
	int rc = kunit_add_action_or_reset(test, ap_sim_gtest_zeroize,
					   (void *)(uintptr_t)apqn);

	KUNIT_ASSERT_EQ(test, rc, 0);
}

/* Store a secret as WHO (host or a context id) and take the reply. */
static void ap_sim_gtest_store(struct kunit *test, const char *who,
			       const char *apqn, u64 value)
{
	char *ans;

	ans = ap_sim_gtest_issue(test, "%s nqap %s set-secret 0x%llx", who,
				 apqn, value);
	KUNIT_ASSERT_STREQ(test, ans, "rc=0x00\n");
	ans = ap_sim_gtest_issue(test, "%s dqap %s", who, apqn);
	KUNIT_ASSERT_EQ_MSG(test, ap_sim_gtest_rc(test, ans), 0U, "%s", ans);
}

static char *ap_sim_gtest_show(struct kunit *test, const char *file)
{
	char *buf = kunit_kzalloc(test, AP_SIM_GTEST_SHOW, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_GE(test, ap_sim_show(file, buf, AP_SIM_GTEST_SHOW), 0);
	return buf;
}

/* The host's view of a queue's secret, through the queues file. */
static u64 ap_sim_gtest_secret(struct kunit *test, const char *apqn)
{
	char *line = strstr(ap_sim_gtest_show(test, "queues"), apqn);
	unsigned long long secret = ~0ULL;
	int n;

	KUNIT_ASSERT_NOT_NULL(test, line);
	n = sscanf(line, "%*s %*s %*s %*s secret=0x%llx", &secret);
	KUNIT_EXPECT_EQ(test, n, 1);
	return secret;
}

/*
 * The number of violations recorded, and the message of the last one
 * (empty if none is kept) in @last.
 */
static unsigned long ap_sim_gtest_violations(struct kunit *test, char *last,
					     size_t size)
{
	char *text = ap_sim_gtest_show(test, "violations");
	char *count = strstr(text, "violations: ");
	unsigned long n = ~0UL;
	char *start;
	int fields;

	KUNIT_ASSERT_NOT_NULL(test, count);
	fields = sscanf(count, "violations: %lu", &n);
	KUNIT_EXPECT_EQ(test, fields, 1);
	*last = '\0';
	if (count == text)
		return n;
	count[-1] = '\0';
	start = strrchr(text, '\n');
	strscpy(last, start ? start + 1 : text, size);
	return n;
}

/* Expect exactly one violation since @before, with message @msg. */
static void ap_sim_gtest_expect_violation(struct kunit *test,
					  unsigned long before,
					  const char *msg)
{
	char last[96];

	KUNIT_EXPECT_EQ(test, ap_sim_gtest_violations(test, last, sizeof(last)),
			before + 1);
	KUNIT_EXPECT_STREQ(test, last, msg);
}

static void ap_sim_gtest_expect_no_violation(struct kunit *test,
					     unsigned long before)
{
	char last[96];

	KUNIT_EXPECT_EQ_MSG(test, ap_sim_gtest_violations(test, last,
							  sizeof(last)),
			    before, "last: %s", last);
}

static unsigned long ap_sim_gtest_count(struct kunit *test)
{
	char last[96];

	return ap_sim_gtest_violations(test, last, sizeof(last));
}

static const char ap_sim_gtest_not_avail[] =
	"rc=0x01 type=0 functions=0x00000000 irq=0 empty=0 replies=0\n";

/*
 * The queues a guest with adapter 5 and domain 4 cannot reach: domain
 * outside its CRYCB, adapter outside it, neither, and a queue outside
 * the LPAR.
 */
static const char * const ap_sim_gtest_outside[] = {
	"05.0047", "06.0004", "06.00ab", "07.0004",
};

static struct ap_hw_guest *ap_sim_gtest_small_guest(struct kunit *test)
{
	return ap_sim_gtest_guest(test, "5", "4", "4");
}

static void ap_sim_gtest_tapq_outside(struct kunit *test)
{
	struct ap_hw_guest *g = ap_sim_gtest_small_guest(test);
	struct ap_hw_queue_info info;
	struct ap_hw_status st;
	unsigned int i;
	char *ans;
	int rc;

	for (i = 0; i < ARRAY_SIZE(ap_sim_gtest_outside); i++) {
		ap_sim_command("inject 05.0047 tapq 0x42", 24);
		ans = ap_sim_gtest_issue(test, "%u tapq %s", g->id,
					 ap_sim_gtest_outside[i]);
		KUNIT_EXPECT_STREQ(test, ans, ap_sim_gtest_not_avail);
		rc = ap_hw_guest_tapq(g, ap_apqn(5, 0x47), &info, &st);
		KUNIT_ASSERT_EQ(test, rc, 0);
		KUNIT_EXPECT_EQ(test, st.rc, AP_HW_RC_Q_NOT_AVAIL);
		KUNIT_EXPECT_EQ(test, info.type, 0);
		/* The injected code is still there for the host. */
		KUNIT_EXPECT_EQ(test, ap_hw_tapq(ap_apqn(5, 0x47), &info).rc,
				0x42);
	}
	KUNIT_ASSERT_EQ(test, ap_hw_guest_tapq(g, ap_apqn(5, 4), &info, &st),
			0);
	KUNIT_EXPECT_EQ(test, st.rc, AP_HW_RC_NORMAL);
	KUNIT_EXPECT_EQ(test, info.type, AP_HW_TYPE_CEX5);
}

static void ap_sim_gtest_reset_outside(struct kunit *test)
{
	struct ap_hw_guest *g = ap_sim_gtest_small_guest(test);
	unsigned int i;
	char *ans;

	ap_sim_gtest_cmd(test, "latency all never", "latency all 0");
	ap_sim_gtest_defer_zeroize(test, ap_apqn(5, 0x47));
	ap_sim_gtest_store(test, "host", "05.0047", 0x55);
	ap_sim_gtest_cmd(test, "inject 05.0047 reset 0x42", NULL);
	for (i = 0; i < ARRAY_SIZE(ap_sim_gtest_outside); i++) {
		ans = ap_sim_gtest_issue(test, "%u rapq %s", g->id,
					 ap_sim_gtest_outside[i]);
		KUNIT_EXPECT_STREQ(test, ans, "rc=0x01\n");
		ans = ap_sim_gtest_issue(test, "%u zapq %s", g->id,
					 ap_sim_gtest_outside[i]);
		KUNIT_EXPECT_STREQ(test, ans, "rc=0x01\n");
	}
	/* No reset started, the secret is there, the injection pending. */
	ans = ap_sim_gtest_issue(test, "host tapq 05.0047");
	KUNIT_EXPECT_EQ(test, ap_sim_gtest_rc(test, ans), 0U);
	KUNIT_EXPECT_EQ(test, ap_sim_gtest_secret(test, "05.0047"), 0x55ULL);
	ans = ap_sim_gtest_issue(test, "host rapq 05.0047");
	KUNIT_EXPECT_STREQ(test, ans, "rc=0x42\n");
}

static void ap_sim_gtest_aqic_outside(struct kunit *test)
{
	struct ap_hw_guest *g = ap_sim_gtest_small_guest(test);
	unsigned int i;
	char *ans;

	for (i = 0; i < ARRAY_SIZE(ap_sim_gtest_outside); i++) {
		ans = ap_sim_gtest_issue(test, "%u aqic %s on", g->id,
					 ap_sim_gtest_outside[i]);
		KUNIT_EXPECT_STREQ(test, ans, "rc=0x01 irq=0\n");
	}
	ans = ap_sim_gtest_issue(test, "host tapq 05.0047");
	KUNIT_EXPECT_NOT_NULL(test, strstr(ans, " irq=0 "));
	ap_sim_gtest_cmd(test, "inject 05.0047 aqic 0x42", NULL);
	ans = ap_sim_gtest_issue(test, "%u aqic 05.0047 off", g->id);
	KUNIT_EXPECT_STREQ(test, ans, "rc=0x01 irq=0\n");
	ans = ap_sim_gtest_issue(test, "host aqic 05.0047 off");
	KUNIT_EXPECT_STREQ(test, ans, "rc=0x42 irq=0\n");
}

static void ap_sim_gtest_nqap_outside(struct kunit *test)
{
	struct ap_hw_guest *g = ap_sim_gtest_small_guest(test);
	unsigned int i;
	char *ans;

	ap_sim_gtest_defer_zeroize(test, ap_apqn(5, 0x47));
	ap_sim_gtest_store(test, "host", "05.0047", 0x55);
	ap_sim_gtest_cmd(test, "inject 05.0047 nqap 0x42", NULL);
	for (i = 0; i < ARRAY_SIZE(ap_sim_gtest_outside); i++) {
		ans = ap_sim_gtest_issue(test, "%u nqap %s set-secret 0x99",
					 g->id, ap_sim_gtest_outside[i]);
		KUNIT_EXPECT_STREQ(test, ans, "rc=0x01\n");
		ans = ap_sim_gtest_issue(test, "%u nqap %s get-secret",
					 g->id, ap_sim_gtest_outside[i]);
		KUNIT_EXPECT_STREQ(test, ans, "rc=0x01\n");
	}
	KUNIT_EXPECT_EQ(test, ap_sim_gtest_secret(test, "05.0047"), 0x55ULL);
	ans = ap_sim_gtest_issue(test, "host tapq 05.0047");
	KUNIT_EXPECT_NOT_NULL(test, strstr(ans, " replies=0"));
	ans = ap_sim_gtest_issue(test, "host nqap 05.0047 get-secret");
	KUNIT_EXPECT_STREQ(test, ans, "rc=0x42\n");
}

static void ap_sim_gtest_dqap_outside(struct kunit *test)
{
	struct ap_hw_guest *g = ap_sim_gtest_small_guest(test);
	unsigned int i;
	char *ans;

	ap_sim_gtest_defer_zeroize(test, ap_apqn(5, 0x47));
	ap_sim_gtest_store(test, "host", "05.0047", 0x55);
	ans = ap_sim_gtest_issue(test, "host nqap 05.0047 get-secret");
	KUNIT_ASSERT_STREQ(test, ans, "rc=0x00\n");
	ap_sim_gtest_cmd(test, "inject 05.0047 dqap 0x42", NULL);
	for (i = 0; i < ARRAY_SIZE(ap_sim_gtest_outside); i++) {
		ans = ap_sim_gtest_issue(test, "%u dqap %s", g->id,
					 ap_sim_gtest_outside[i]);
		KUNIT_EXPECT_STREQ(test, ans, "rc=0x01 psmid=0 secret=0x0\n");
	}
	ans = ap_sim_gtest_issue(test, "host dqap 05.0047");
	KUNIT_EXPECT_EQ(test, ap_sim_gtest_rc(test, ans), 0x42U);
	/* The reply is still there for the host. */
	ans = ap_sim_gtest_issue(test, "host dqap 05.0047");
	KUNIT_EXPECT_EQ(test, ap_sim_gtest_rc(test, ans), 0U);
	KUNIT_EXPECT_NOT_NULL(test, strstr(ans, " secret=0x55\n"));
}

/*
 * A TAPQ answer without its "irq=I " (the host's driver may have enabled
 * the interrupts of a queue it has).
 */
static char *ap_sim_gtest_no_irq(char *ans)
{
	char *irq = strstr(ans, "irq=");

	if (irq && irq[4] && irq[5] == ' ')
		memmove(irq, irq + 6, strlen(irq + 6) + 1);
	return ans;
}

/* Inside its CRYCB the guest sees the queue's real state. */
static void ap_sim_gtest_inside_states(struct kunit *test)
{
	struct ap_hw_guest *g = ap_sim_gtest_guest(test, "5,6", "4,171", "");
	char *ans;

	ap_sim_gtest_cmd(test, "latency 05.0004 never", "latency 05.0004 0");
	KUNIT_EXPECT_STREQ(test, ap_sim_gtest_issue(test, "%u rapq 05.0004",
						    g->id), "rc=0x00\n");
	ans = ap_sim_gtest_issue(test, "%u tapq 05.0004", g->id);
	KUNIT_EXPECT_STREQ(test, ans,
			   "rc=0x02 type=11 functions=0xF2000000 irq=0 empty=1 replies=0\n");
	ap_sim_gtest_cmd(test, "configure 6 off", "configure 6 on");
	ans = ap_sim_gtest_issue(test, "%u tapq 06.0004", g->id);
	KUNIT_EXPECT_STREQ(test, ap_sim_gtest_no_irq(ans),
			   "rc=0x03 type=11 functions=0xEA000000 empty=1 replies=0\n");
	ap_sim_gtest_cmd(test, "checkstop 6 on", "checkstop 6 off");
	ans = ap_sim_gtest_issue(test, "%u nqap 06.00ab get-secret", g->id);
	KUNIT_EXPECT_STREQ(test, ans, "rc=0x04\n");
	/* The guest's AQIC is intercepted: the injection waits for the host. */
	ap_sim_gtest_cmd(test, "inject 05.00ab aqic 0x42", NULL);
	ans = ap_sim_gtest_issue(test, "%u aqic 05.00ab on", g->id);
	KUNIT_EXPECT_STREQ(test, ans, "rc=0x01 irq=0\n");
	ans = ap_sim_gtest_issue(test, "host aqic 05.00ab on");
	KUNIT_EXPECT_STREQ(test, ans, "rc=0x42 irq=0\n");
	ans = ap_sim_gtest_issue(test, "host aqic 05.00ab on");
	KUNIT_EXPECT_STREQ(test, ans, "rc=0x00 irq=1\n");
	KUNIT_EXPECT_STREQ(test, ap_sim_gtest_issue(test, "%u zapq 05.00ab",
						    g->id), "rc=0x00\n");
	ans = ap_sim_gtest_issue(test, "host tapq 05.00ab");
	KUNIT_EXPECT_NOT_NULL(test, strstr(ans, " irq=0 "));
}

/*
 * The queue holds its depth of requests, 8 as TAPQ reports it
 * (simulator.rst), then answers full; replies come oldest first.
 */
static void ap_sim_gtest_inside_queue_full(struct kunit *test)
{
	struct ap_hw_guest *g = ap_sim_gtest_guest(test, "5", "171", "");
	unsigned int i;
	char *ans;

	ans = ap_sim_gtest_issue(test, "%u dqap 05.00ab", g->id);
	KUNIT_EXPECT_STREQ(test, ans, "rc=0x10 psmid=0 secret=0x0\n");
	for (i = 0; i < 8; i++) {
		ans = ap_sim_gtest_issue(test, "%u nqap 05.00ab get-secret",
					 g->id);
		KUNIT_EXPECT_STREQ(test, ans, "rc=0x00\n");
	}
	ans = ap_sim_gtest_issue(test, "%u nqap 05.00ab get-secret", g->id);
	KUNIT_EXPECT_STREQ(test, ans, "rc=0x10\n");
	ans = ap_sim_gtest_issue(test, "%u tapq 05.00ab", g->id);
	KUNIT_EXPECT_STREQ(test, ap_sim_gtest_no_irq(ans),
			   "rc=0x00 type=11 functions=0xF2000000 empty=0 replies=1\n");
	for (i = 1; i <= 8; i++) {
		ans = ap_sim_gtest_issue(test, "%u dqap 05.00ab", g->id);
		KUNIT_EXPECT_STREQ(test, ans,
				   ap_sim_gtest_fmt(test, "rc=0x00 psmid=%u secret=0x0\n",
						    i));
	}
	ans = ap_sim_gtest_issue(test, "%u tapq 05.00ab", g->id);
	KUNIT_EXPECT_STREQ(test, ap_sim_gtest_no_irq(ans),
			   "rc=0x00 type=11 functions=0xF2000000 empty=1 replies=0\n");
}

static void ap_sim_gtest_expect_qci(struct kunit *test, const char *who,
				    const char *apm, const char *aqm,
				    const char *adm)
{
	char m[3][AP_MASK_STRLEN + 1], *want;
	struct ap_matrix masks;

	ap_sim_gtest_masks(test, &masks, apm, aqm, adm);
	ap_mask_format(masks.apm, m[0], sizeof(m[0]));
	ap_mask_format(masks.aqm, m[1], sizeof(m[1]));
	ap_mask_format(masks.adm, m[2], sizeof(m[2]));
	want = ap_sim_gtest_fmt(test,
				"rc=0x00 apm %s aqm %s adm %s\n", m[0], m[1],
				m[2]);
	KUNIT_EXPECT_STREQ(test, ap_sim_gtest_issue(test, "%s qci", who),
			   want);
}

/* QCI: the CRYCB as far as the LPAR has it, also after an SE change. */
static void ap_sim_gtest_qci(struct kunit *test)
{
	struct ap_hw_guest *g = ap_sim_gtest_guest(test, "5,33", "4,8,171",
						   "4,5,8,255");
	char *who = ap_sim_gtest_fmt(test, "%u", g->id);

	ap_sim_gtest_expect_qci(test, who, "5", "4,171", "4,255");
	ap_sim_gtest_expect_qci(test, "host", "4-6", "4,71,171,255",
				"4,71,171,255");
	/* An adapter no other test uses: the machine remembers it. */
	ap_sim_gtest_cmd(test, "add-adapter 33", "remove-adapter 33");
	ap_sim_gtest_cmd(test, "add-domain 8", "remove-domain 8");
	ap_sim_gtest_cmd(test, "add-control-domain 5",
			 "remove-control-domain 5");
	ap_sim_gtest_cmd(test, "remove-control-domain 255",
			 "add-control-domain 255");
	ap_sim_gtest_expect_qci(test, who, "5,33", "4,8,171", "4,5");
}

/* A CRYCB change while the guest's request is queued. */
static void ap_sim_gtest_crycb_change_queued(struct kunit *test)
{
	struct ap_hw_guest *g = ap_sim_gtest_guest(test, "5", "4", "4");
	char *ans;

	ans = ap_sim_gtest_issue(test, "%u nqap 05.0004 get-secret", g->id);
	KUNIT_EXPECT_STREQ(test, ans, "rc=0x00\n");
	ap_sim_gtest_load(test, g, "5", "71", "4");
	ans = ap_sim_gtest_issue(test, "%u dqap 05.0004", g->id);
	KUNIT_EXPECT_STREQ(test, ans, "rc=0x01 psmid=0 secret=0x0\n");
	ap_sim_gtest_load(test, g, "5", "4,71", "4");
	ans = ap_sim_gtest_issue(test, "%u dqap 05.0004", g->id);
	KUNIT_EXPECT_STREQ(test, ans, "rc=0x00 psmid=1 secret=0x0\n");
}

/* The context keeps exactly the masks it was given; loads are counted. */
static void ap_sim_gtest_crycb_and_updates(struct kunit *test)
{
	struct ap_hw_guest *g = ap_sim_gtest_create(test);
	struct ap_matrix want, got;
	char *line;

	line = ap_sim_gtest_fmt(test, "guest %u apm ", g->id);
	KUNIT_EXPECT_NOT_NULL(test, strstr(ap_sim_gtest_show(test, "guests"),
					   line));
	ap_hw_guest_crycb(g, &got);
	KUNIT_EXPECT_TRUE(test, bitmap_empty(got.apm, AP_IDS) &&
			  bitmap_empty(got.aqm, AP_IDS) &&
			  bitmap_empty(got.adm, AP_IDS));
	ap_sim_gtest_masks(test, &want, "5,200", "4,99", "3,4");
	ap_hw_guest_load(g, &want);
	ap_hw_guest_crycb(g, &got);
	KUNIT_EXPECT_TRUE(test, ap_matrix_equal(&want, &got));
	line = "updates 0\n";
	KUNIT_EXPECT_NOT_NULL(test, strstr(ap_sim_gtest_show(test, "guests"),
					   line));
	ap_hw_guest_load(g, &want);
	ap_sim_gtest_load(test, g, "", "", "");
	ap_hw_guest_crycb(g, &got);
	KUNIT_EXPECT_TRUE(test, bitmap_empty(got.apm, AP_IDS));
	KUNIT_EXPECT_NOT_NULL(test, strstr(ap_sim_gtest_show(test, "guests"),
					   "updates 2\n"));
}

/* The guests file: one line per context, ascending ids, never reused. */
#define AP_SIM_GTEST_NO_GISA "  gisa ipm 0x00 iscs 0 0 0 0 0 0 0 0\n"
#define AP_SIM_GTEST_EMPTY \
	"0x0000000000000000000000000000000000000000000000000000000000000000"

static void ap_sim_gtest_guests_file(struct kunit *test)
{
	struct ap_hw_guest *a, *b, *c;
	unsigned int old;
	char *want;

	a = ap_sim_gtest_guest(test, "5", "4,171", "4");
	old = a->id;
	ap_hw_guest_destroy(a);
	kunit_remove_action(test, ap_sim_gtest_destroy, a);
	b = ap_sim_gtest_guest(test, "5", "4,171", "4");
	c = ap_sim_gtest_guest(test, "", "", "");
	KUNIT_EXPECT_GT(test, b->id, old);
	KUNIT_EXPECT_GT(test, c->id, b->id);
	want = ap_sim_gtest_fmt(test,
				"guest %u apm 0x0400000000000000000000000000000000000000000000000000000000000000 aqm 0x0800000000000000000000000000000000000000001000000000000000000000 adm 0x0800000000000000000000000000000000000000000000000000000000000000 updates 0\n"
				AP_SIM_GTEST_NO_GISA
				"guest %u apm " AP_SIM_GTEST_EMPTY " aqm "
				AP_SIM_GTEST_EMPTY " adm " AP_SIM_GTEST_EMPTY
				" updates 0\n" AP_SIM_GTEST_NO_GISA, b->id, c->id);
	KUNIT_EXPECT_STREQ(test, ap_sim_gtest_show(test, "guests"), want);
}

/* (a) a CRYCB load gives a guest a queue with someone else's secret. */
static void ap_sim_gtest_violation_secret(struct kunit *test)
{
	unsigned long n = ap_sim_gtest_count(test);
	struct ap_hw_guest *x, *y, *z;
	char *msg;

	ap_sim_gtest_defer_zeroize(test, ap_apqn(5, 4));
	ap_sim_gtest_store(test, "host", "05.0004", 0x11);
	x = ap_sim_gtest_guest(test, "5", "4", "");
	msg = ap_sim_gtest_fmt(test,
			       "05.0004: secret of the host reached by guest %u",
			       x->id);
	ap_sim_gtest_expect_violation(test, n, msg);
	/* The owner reloading its own queue is no violation. */
	msg = ap_sim_gtest_fmt(test, "%u", x->id);
	ap_sim_gtest_store(test, msg, "05.0004", 0x22);
	ap_sim_gtest_load(test, x, "5", "71", "");
	ap_sim_gtest_load(test, x, "5", "4,71", "");
	ap_sim_gtest_load(test, x, "", "", "");
	ap_sim_gtest_expect_no_violation(test, n + 1);
	y = ap_sim_gtest_guest(test, "5", "4", "");
	msg = ap_sim_gtest_fmt(test,
			       "05.0004: secret of guest %u reached by guest %u",
			       x->id, y->id);
	ap_sim_gtest_expect_violation(test, n + 1, msg);
	/* Zeroized before the next owner: no violation. */
	ap_sim_gtest_load(test, y, "", "", "");
	KUNIT_EXPECT_EQ(test, ap_hw_reset(ap_apqn(5, 4), true).rc, 0);
	z = ap_sim_gtest_guest(test, "5", "4", "");
	ap_sim_gtest_expect_no_violation(test, n + 2);
	KUNIT_EXPECT_NOT_NULL(test, z);
}

/* (b) a CRYCB load gives a guest a queue another guest has. */
static void ap_sim_gtest_violation_shared(struct kunit *test)
{
	unsigned long n = ap_sim_gtest_count(test);
	struct ap_hw_guest *x, *y, *z;
	char *msg;

	x = ap_sim_gtest_guest(test, "5", "4", "");
	y = ap_sim_gtest_guest(test, "6", "4", "");
	ap_sim_gtest_expect_no_violation(test, n);
	ap_sim_gtest_load(test, y, "5,6", "4", "");
	msg = ap_sim_gtest_fmt(test,
			       "05.0004: in the CRYCBs of guests %u and %u",
			       y->id, x->id);
	ap_sim_gtest_expect_violation(test, n, msg);
	/* Not newly given: no new violation. */
	ap_sim_gtest_load(test, y, "5,6", "4,71", "");
	ap_sim_gtest_expect_no_violation(test, n + 1);
	/* Once both have left it, another guest may have it. */
	ap_sim_gtest_load(test, x, "", "", "");
	ap_sim_gtest_load(test, y, "6", "4", "");
	z = ap_sim_gtest_guest(test, "5", "4", "4");
	ap_sim_gtest_expect_no_violation(test, n + 1);
	KUNIT_EXPECT_NOT_NULL(test, z);
}

/* (c) the host addresses a queue with a guest's secret. */
static void ap_sim_gtest_violation_host(struct kunit *test)
{
	struct ap_hw_guest *x = ap_sim_gtest_guest(test, "5", "4", "");
	unsigned long n = ap_sim_gtest_count(test);
	char *who, *msg, *ans;

	ap_sim_gtest_defer_zeroize(test, ap_apqn(5, 4));
	who = ap_sim_gtest_fmt(test, "%u", x->id);
	ap_sim_gtest_store(test, who, "05.0004", 0x33);
	ap_sim_gtest_issue(test, "host tapq 05.0004");
	ap_sim_gtest_issue(test, "host aqic 05.0004 off");
	ap_sim_gtest_expect_no_violation(test, n);
	msg = ap_sim_gtest_fmt(test,
			       "05.0004: secret of guest %u reached by the host",
			       x->id);
	ans = ap_sim_gtest_issue(test, "host nqap 05.0004 get-secret");
	KUNIT_EXPECT_STREQ(test, ans, "rc=0x00\n");
	ap_sim_gtest_expect_violation(test, n, msg);
	ap_sim_gtest_issue(test, "host dqap 05.0004");
	ap_sim_gtest_expect_violation(test, n + 1, msg);
	ap_sim_gtest_issue(test, "host aqic 05.0004 on");
	ap_sim_gtest_expect_violation(test, n + 2, msg);
	/* Zeroized: the host may use the queue. */
	KUNIT_EXPECT_EQ(test, ap_hw_reset(ap_apqn(5, 4), true).rc, 0);
	ap_sim_gtest_issue(test, "host aqic 05.0004 on");
	ap_sim_gtest_store(test, "host", "05.0004", 0x44);
	ap_sim_gtest_expect_no_violation(test, n + 3);
}

/* A firmware query as the host's driver sends it; its errno. */
static int ap_sim_gtest_fw(apqn_t apqn, struct ap_hw_fw_info *info)
{
	return ap_hw_fw_query(apqn, info);
}

/* The queue states a firmware query meets, and the answer of a CCA queue. */
static void ap_sim_gtest_fw_query_states(struct kunit *test)
{
	struct ap_hw_fw_info info;

	KUNIT_EXPECT_EQ(test, ap_hw_reset(ap_apqn(5, 4), true).rc, 0);
	KUNIT_EXPECT_EQ(test, ap_sim_gtest_fw(ap_apqn(5, 4), &info), 0);
	KUNIT_EXPECT_STREQ(test, info.serial, "93C00005");
	KUNIT_EXPECT_FALSE(test, info.key_set);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(info.mkvp, 0, sizeof(info.mkvp)));
	KUNIT_EXPECT_EQ(test, info.api_ordinal + info.fw_version +
			info.op_modes, 0U);
	/* An accelerator has no firmware to ask; a CCA queue on it has. */
	KUNIT_EXPECT_EQ(test, ap_sim_gtest_fw(ap_apqn(6, 4), &info),
			-EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, ap_sim_gtest_fw(ap_apqn(6, 0xab), &info), 0);
	KUNIT_EXPECT_EQ(test, ap_sim_gtest_fw(ap_apqn(5, 5), &info), -ENODEV);
	ap_sim_gtest_cmd(test, "latency 05.00ab never", "latency 05.00ab 0");
	KUNIT_EXPECT_EQ(test, ap_hw_reset(ap_apqn(5, 0xab), false).rc, 0);
	KUNIT_EXPECT_EQ(test, ap_sim_gtest_fw(ap_apqn(5, 0xab), &info), -EBUSY);
	ap_sim_gtest_cmd(test, "configure 5 off", "configure 5 on");
	KUNIT_EXPECT_EQ(test, ap_sim_gtest_fw(ap_apqn(5, 4), &info), -ENODEV);
	ap_sim_gtest_cmd(test, "configure 5 on", NULL);
	ap_sim_gtest_cmd(test, "checkstop 5 on", "checkstop 5 off");
	KUNIT_EXPECT_EQ(test, ap_sim_gtest_fw(ap_apqn(5, 4), &info), -ENODEV);
}

/*
 * The verification pattern follows the domain's master key, which the
 * security officer loads (set-mk): none, then one per key, the same for
 * the same key. A reset and zeroize of the queue (ZAPQ) and what the
 * queue's user stores leave it; a zeroize of the domain clears it.
 */
static void ap_sim_gtest_fw_query_mkvp(struct kunit *test)
{
	struct ap_hw_fw_info a, b, c;

	ap_sim_gtest_defer_zeroize(test, ap_apqn(5, 4));
	KUNIT_ASSERT_EQ(test, ap_sim_gtest_fw(ap_apqn(5, 4), &a), 0);
	KUNIT_EXPECT_FALSE(test, a.key_set);
	ap_sim_gtest_cmd(test, "set-mk 05.0004 0x1234",
			 "zeroize-domain 05.0004");
	KUNIT_ASSERT_EQ(test, ap_sim_gtest_fw(ap_apqn(5, 4), &a), 0);
	KUNIT_EXPECT_TRUE(test, a.key_set);
	KUNIT_EXPECT_NOT_NULL(test, memchr_inv(a.mkvp, 0, sizeof(a.mkvp)));
	ap_sim_gtest_cmd(test, "set-mk 05.0004 0x5678", NULL);
	KUNIT_ASSERT_EQ(test, ap_sim_gtest_fw(ap_apqn(5, 4), &b), 0);
	KUNIT_EXPECT_TRUE(test, b.key_set);
	KUNIT_EXPECT_NE(test, memcmp(a.mkvp, b.mkvp, sizeof(a.mkvp)), 0);
	ap_sim_gtest_cmd(test, "set-mk 05.0004 0x1234", NULL);
	ap_sim_gtest_store(test, "host", "05.0004", 0x5678);
	KUNIT_ASSERT_EQ(test, ap_sim_gtest_fw(ap_apqn(5, 4), &c), 0);
	KUNIT_EXPECT_EQ(test, memcmp(a.mkvp, c.mkvp, sizeof(a.mkvp)), 0);
	KUNIT_EXPECT_EQ(test, ap_hw_reset(ap_apqn(5, 4), true).rc, 0);
	KUNIT_ASSERT_EQ(test, ap_sim_gtest_fw(ap_apqn(5, 4), &c), 0);
	KUNIT_EXPECT_TRUE(test, c.key_set);
	KUNIT_EXPECT_EQ(test, memcmp(a.mkvp, c.mkvp, sizeof(a.mkvp)), 0);
	KUNIT_EXPECT_EQ(test, ap_sim_gtest_secret(test, "05.0004"), 0ULL);
	ap_sim_gtest_store(test, "host", "05.0004", 0x99);
	ap_sim_gtest_cmd(test, "zeroize-domain 05.0004", NULL);
	KUNIT_EXPECT_EQ(test, ap_sim_gtest_secret(test, "05.0004"), 0ULL);
	KUNIT_ASSERT_EQ(test, ap_sim_gtest_fw(ap_apqn(5, 4), &c), 0);
	KUNIT_EXPECT_FALSE(test, c.key_set);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(c.mkvp, 0, sizeof(c.mkvp)));
}

/* An EP11 coprocessor tells its serial number, API, firmware and modes. */
static void ap_sim_gtest_fw_query_ep11(struct kunit *test)
{
	struct ap_hw_fw_info info;

	ap_sim_gtest_cmd(test, "set-type 4 CEX8P", "set-type 4 CEX5C");
	KUNIT_ASSERT_EQ(test, ap_sim_gtest_fw(ap_apqn(4, 0x47), &info), 0);
	KUNIT_EXPECT_STREQ(test, info.serial, "93E0000000000004");
	KUNIT_EXPECT_EQ(test, info.api_ordinal, 4U);
	KUNIT_EXPECT_EQ(test, info.fw_version, 0x0702);
	KUNIT_EXPECT_EQ(test, info.op_modes, (u32)BIT(7));
}

/* A query reaches the domain's keys: the host querying a guest's is seen. */
static void ap_sim_gtest_fw_query_guest_secret(struct kunit *test)
{
	struct ap_hw_guest *x = ap_sim_gtest_guest(test, "5", "4", "");
	unsigned long n = ap_sim_gtest_count(test);
	struct ap_hw_fw_info info;
	char *msg;

	ap_sim_gtest_defer_zeroize(test, ap_apqn(5, 4));
	ap_sim_gtest_store(test, ap_sim_gtest_fmt(test, "%u", x->id),
			   "05.0004", 0x33);
	ap_sim_gtest_expect_no_violation(test, n);
	msg = ap_sim_gtest_fmt(test,
			       "05.0004: secret of guest %u reached by the host",
			       x->id);
	KUNIT_EXPECT_EQ(test, ap_sim_gtest_fw(ap_apqn(5, 4), &info), 0);
	ap_sim_gtest_expect_violation(test, n, msg);
}

/*
 * The hypervisor's query on a guest's behalf (guest_fw_query) reaches the
 * guest's own queue without a violation and answers what the host's query
 * answers; a queue outside the guest's CRYCB does not answer; the
 * queue's requests and replies stay as they were.
 */
static void ap_sim_gtest_fw_query_for_guest(struct kunit *test)
{
	struct ap_hw_guest *x = ap_sim_gtest_guest(test, "5", "4", "");
	struct ap_hw_fw_info mine, host;
	unsigned long n;
	char *who, *ans;

	ap_sim_gtest_defer_zeroize(test, ap_apqn(5, 4));
	ap_sim_gtest_cmd(test, "set-mk 05.0004 0x4321",
			 "zeroize-domain 05.0004");
	KUNIT_ASSERT_EQ(test, ap_sim_gtest_fw(ap_apqn(5, 4), &host), 0);
	who = ap_sim_gtest_fmt(test, "%u", x->id);
	ap_sim_gtest_store(test, who, "05.0004", 0x33);
	ans = ap_sim_gtest_issue(test, "%s nqap 05.0004 get-secret", who);
	KUNIT_ASSERT_STREQ(test, ans, "rc=0x00\n");
	n = ap_sim_gtest_count(test);
	KUNIT_EXPECT_EQ(test, ap_hw_guest_fw_query(x, ap_apqn(5, 4), &mine), 0);
	ap_sim_gtest_expect_no_violation(test, n);
	KUNIT_EXPECT_TRUE(test, mine.key_set);
	KUNIT_EXPECT_EQ(test, memcmp(mine.mkvp, host.mkvp, sizeof(host.mkvp)),
			0);
	KUNIT_EXPECT_EQ(test, ap_hw_guest_fw_query(x, ap_apqn(5, 0xab), &mine),
			-ENODEV);
	KUNIT_EXPECT_EQ(test, ap_hw_guest_fw_query(x, ap_apqn(4, 4), &mine),
			-ENODEV);
	ans = ap_sim_gtest_issue(test, "%s dqap 05.0004", who);
	KUNIT_EXPECT_NOT_NULL(test, strstr(ans, "secret=0x33"));
}

/* What TAPQ reports besides the mode follows set-facilities. */
static void ap_sim_gtest_set_facilities(struct kunit *test)
{
	struct ap_hw_queue_info info = {};

	ap_sim_gtest_cmd(test, "set-facilities 5 0x80000000",
			 "set-facilities 5 0xe2000000");
	ap_hw_tapq(ap_apqn(5, 4), &info);
	KUNIT_EXPECT_EQ(test, info.functions, AP_HW_FUNC_APSC | AP_HW_FUNC_CCA);
	ap_hw_tapq(ap_apqn(5, 0x47), &info);
	KUNIT_EXPECT_EQ(test, info.functions,
			AP_HW_FUNC_APSC | AP_HW_FUNC_ACCEL);
	ap_hw_tapq(ap_apqn(6, 4), &info);
	KUNIT_EXPECT_EQ(test, info.functions,
			0xe2000000 | AP_HW_FUNC_ACCEL);
}

/* The queues file names who stored a queue's secret. */
static void ap_sim_gtest_queues_owner(struct kunit *test)
{
	struct ap_hw_guest *x = ap_sim_gtest_guest(test, "5", "4", "");
	char *who, *want, *queues;

	ap_sim_gtest_defer_zeroize(test, ap_apqn(5, 4));
	KUNIT_EXPECT_EQ(test, ap_hw_reset(ap_apqn(5, 4), true).rc, 0);
	queues = ap_sim_gtest_show(test, "queues");
	want = "05.0004 mode=C irq=0 reset=idle secret=0x0 latency=0 owner=- mk=0x0\n";
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(queues, want), "%s", queues);
	who = ap_sim_gtest_fmt(test, "%u", x->id);
	ap_sim_gtest_store(test, who, "05.0004", 0x5a);
	want = ap_sim_gtest_fmt(test,
				"05.0004 mode=C irq=0 reset=idle secret=0x5a latency=0 owner=guest%u mk=0x0\n",
				x->id);
	queues = ap_sim_gtest_show(test, "queues");
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(queues, want), "%s", queues);
	KUNIT_EXPECT_EQ(test, ap_hw_reset(ap_apqn(5, 4), true).rc, 0);
	ap_sim_gtest_store(test, "host", "05.0004", 0x5b);
	queues = ap_sim_gtest_show(test, "queues");
	want = "05.0004 mode=C irq=0 reset=idle secret=0x5b latency=0 owner=host mk=0x0\n";
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(queues, want), "%s", queues);
}

/* Writing 0 clears the violations; anything else is refused. */
static void ap_sim_gtest_violations_clear(struct kunit *test)
{
	struct ap_hw_guest *x = ap_sim_gtest_guest(test, "5", "4", "");

	ap_sim_gtest_load(test, ap_sim_gtest_guest(test, "", "", ""), "5",
			  "4", "");
	KUNIT_EXPECT_GT(test, ap_sim_gtest_count(test), 0UL);
	KUNIT_EXPECT_EQ(test, ap_sim_violations_write("1", 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, ap_sim_violations_write("00", 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, ap_sim_violations_write("\n", 1), -EINVAL);
	KUNIT_EXPECT_GT(test, ap_sim_gtest_count(test), 0UL);
	KUNIT_EXPECT_EQ(test, ap_sim_violations_write("0\n", 2), 0);
	KUNIT_EXPECT_STREQ(test, ap_sim_gtest_show(test, "violations"),
			   "violations: 0\n");
	KUNIT_EXPECT_NOT_NULL(test, x);
}

/*
 * Guest interrupts. The machine intercepts a guest's PQAP(AQIC) to the
 * hypervisor's hook (KVM's pqap_hook); without one the guest gets 0x01,
 * as KVM answers (arch/s390/kvm/priv.c, handle_pqap).
 */
struct ap_sim_gtest_hook {
	struct ap_hw_aqic_hook hook;
	struct ap_hw_status answer;
	unsigned int calls;
	apqn_t apqn;
	struct ap_hw_aqic_req req;
};

static struct ap_hw_status ap_sim_gtest_hook_fn(struct ap_hw_aqic_hook *hook,
						apqn_t apqn,
						const struct ap_hw_aqic_req *req)
{
	struct ap_sim_gtest_hook *h = container_of(hook, struct ap_sim_gtest_hook,
						   hook);

	h->calls++;
	h->apqn = apqn;
	h->req = *req;
	return h->answer;
}

static void ap_sim_gtest_unhook(void *guest)
{
	ap_hw_guest_set_hook(guest, NULL);
}

static void ap_sim_gtest_aqic_hook(struct kunit *test)
{
	struct ap_hw_guest *g = ap_sim_gtest_small_guest(test);
	struct ap_sim_gtest_hook *h;
	char *ans, *before;

	h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	h->hook.fn = ap_sim_gtest_hook_fn;
	ans = ap_sim_gtest_issue(test, "%u aqic 05.0004 on 3 4096", g->id);
	KUNIT_EXPECT_STREQ(test, ans, "rc=0x01 irq=0\n");

	KUNIT_ASSERT_EQ(test, ap_hw_guest_set_hook(g, &h->hook), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ap_sim_gtest_unhook,
							g), 0);
	h->answer = (struct ap_hw_status){ .rc = 0, .irq_enabled = true };
	/*
	 * Even outside the CRYCB: the hypervisor decides, not the machine,
	 * which changes nothing of the queue itself.
	 */
	before = ap_sim_gtest_issue(test, "host tapq 06.00ab");
	ans = ap_sim_gtest_issue(test, "%u aqic 06.00ab on 3 0x1234", g->id);
	KUNIT_EXPECT_STREQ(test, ans, "rc=0x00 irq=1\n");
	KUNIT_EXPECT_EQ(test, h->calls, 1U);
	KUNIT_EXPECT_EQ(test, h->apqn, (apqn_t)0x06ab);
	KUNIT_EXPECT_TRUE(test, h->req.enable);
	KUNIT_EXPECT_EQ(test, h->req.isc, 3);
	KUNIT_EXPECT_EQ(test, h->req.nib, 0x1234ULL);
	KUNIT_EXPECT_STREQ(test, ap_sim_gtest_issue(test, "host tapq 06.00ab"),
			   before);

	ans = ap_sim_gtest_issue(test, "%u aqic 05.0004 off", g->id);
	KUNIT_EXPECT_EQ(test, h->calls, 2U);
	KUNIT_EXPECT_EQ(test, h->apqn, (apqn_t)0x0504);
	KUNIT_EXPECT_FALSE(test, h->req.enable);
	h->answer = (struct ap_hw_status){ .rc = AP_HW_RC_INVALID_ADDRESS };
	ans = ap_sim_gtest_issue(test, "%u aqic 05.0004 on 7 1", g->id);
	KUNIT_EXPECT_STREQ(test, ans, "rc=0x06 irq=0\n");

	ap_hw_guest_set_hook(g, NULL);
	ans = ap_sim_gtest_issue(test, "%u aqic 05.0004 on 3 4096", g->id);
	KUNIT_EXPECT_STREQ(test, ans, "rc=0x01 irq=0\n");
	KUNIT_EXPECT_EQ(test, h->calls, 3U);
}

/* The GISA: KVM's alert ISC 7 (GAL_ISC), subclasses 0-7, balanced. */
static void ap_sim_gtest_gisa(struct kunit *test)
{
	struct ap_hw_guest *g = ap_sim_gtest_small_guest(test);
	unsigned long before;
	char *want;

	KUNIT_EXPECT_EQ(test, ap_hw_guest_gisc_register(g, 3), 7);
	KUNIT_EXPECT_EQ(test, ap_hw_guest_gisc_register(g, 3), 7);
	KUNIT_EXPECT_EQ(test, ap_hw_guest_gisc_register(g, 8), -ERANGE);
	want = ap_sim_gtest_fmt(test, "  gisa ipm 0x00 iscs 0 0 0 2 0 0 0 0\n");
	KUNIT_EXPECT_NOT_NULL(test, strstr(ap_sim_gtest_show(test, "guests"),
					   want));
	KUNIT_EXPECT_STREQ(test, ap_sim_gtest_issue(test, "%u tpi", g->id),
			   "rc=0x00 ipm=0x00\n");
	KUNIT_EXPECT_EQ(test, ap_hw_guest_gisc_unregister(g, 3), 0);
	KUNIT_EXPECT_EQ(test, ap_hw_guest_gisc_unregister(g, 3), 0);
	before = ap_sim_gtest_count(test);
	KUNIT_EXPECT_EQ(test, ap_hw_guest_gisc_unregister(g, 3), -EINVAL);
	want = ap_sim_gtest_fmt(test, "GISA of guest %u: ISC 3 %s", g->id,
				"unregistered but not registered");
	ap_sim_gtest_expect_violation(test, before, want);
}

/* A registration, a hook or a target left at the destroy is judged. */
static void ap_sim_gtest_gisa_left(struct kunit *test)
{
	struct ap_hw_guest *g = ap_hw_guest_create(NULL);
	struct ap_sim_gtest_hook h = { .hook.fn = ap_sim_gtest_hook_fn };
	unsigned long before;
	unsigned int id;
	char *want;

	KUNIT_ASSERT_FALSE(test, IS_ERR(g));
	id = g->id;
	KUNIT_EXPECT_EQ(test, ap_hw_guest_gisc_register(g, 5), 7);
	ap_hw_guest_set_hook(g, &h.hook);
	before = ap_sim_gtest_count(test);
	ap_hw_guest_destroy(g);
	KUNIT_EXPECT_EQ(test, ap_sim_gtest_count(test), before + 2);
	want = ap_sim_gtest_fmt(test, "GISA of guest %u destroyed with %s", id,
				"ISC 5 registered");
	ap_sim_gtest_expect_violation(test, before + 1, want);
}

static void ap_sim_gtest_free_page(void *page)
{
	__free_page(page);
}

/*
 * The machine writes a notification byte only into a pinned page: a
 * target in a page nobody pinned gets no write and a violation, and the
 * guest no interrupt.
 */
static void ap_sim_gtest_irq_unpinned(struct kunit *test)
{
	struct ap_hw_guest *g = ap_sim_gtest_small_guest(test);
	struct ap_hw_irq_target t = { .guest = g, .gisc = 3, .nisc = 7,
				      .offset = 16 };
	unsigned long before;
	char *ans, *want;

	t.page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, t.page);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ap_sim_gtest_free_page,
							t.page), 0);
	ap_sim_gtest_defer_zeroize(test, ap_apqn(5, 4));
	KUNIT_EXPECT_EQ(test, ap_hw_guest_aqic(g, ap_apqn(5, 4), &t).rc, 0);
	ans = ap_sim_gtest_issue(test, "host tapq 05.0004");
	KUNIT_EXPECT_NOT_NULL(test, strstr(ans, " irq=1 "));
	KUNIT_EXPECT_NOT_NULL(test, strstr(ap_sim_gtest_show(test, "guests"),
					   "  irq 05.0004 isc 3 nib "));
	before = ap_sim_gtest_count(test);
	ans = ap_sim_gtest_issue(test, "%u nqap 05.0004 get-secret", g->id);
	KUNIT_EXPECT_STREQ(test, ans, "rc=0x00\n");
	want = ap_sim_gtest_fmt(test, "05.0004: notification byte of guest %u %s",
				g->id, "in a page not pinned");
	ap_sim_gtest_expect_violation(test, before, want);
	KUNIT_EXPECT_EQ(test, ((u8 *)page_address(t.page))[16], 0);
	KUNIT_EXPECT_STREQ(test, ap_sim_gtest_issue(test, "%u tpi", g->id),
			   "rc=0x00 ipm=0x00\n");
	KUNIT_EXPECT_EQ(test, ap_hw_guest_aqic(g, ap_apqn(5, 4), NULL).rc, 0);
	ans = ap_sim_gtest_issue(test, "host tapq 05.0004");
	KUNIT_EXPECT_NOT_NULL(test, strstr(ans, " irq=0 "));
	KUNIT_EXPECT_NULL(test, strstr(ap_sim_gtest_show(test, "guests"),
				       "  irq "));
}

struct ap_sim_gtest_bad {
	const char *req;
	int err;
};

static const struct ap_sim_gtest_bad ap_sim_gtest_bad_reqs[] = {
	{ "", -EINVAL },
	{ "host", -EINVAL },
	{ "host frob", -EINVAL },
	{ "guest tapq 05.0004", -EINVAL },
	{ "01 tapq 05.0004", -EINVAL },
	{ "-1 tapq 05.0004", -EINVAL },
	{ "99999999999 tapq 05.0004", -EINVAL },
	{ "host tapq", -EINVAL },
	{ "host tapq 5.4", -EINVAL },
	{ "host tapq 05.0100", -EINVAL },
	{ "host tapq 05.0004 x", -EINVAL },
	{ "host qci 05.0004", -EINVAL },
	{ "host aqic 05.0004", -EINVAL },
	{ "host aqic 05.0004 maybe", -EINVAL },
	{ "host aqic 05.0004 on 3 4096", -EINVAL },
	{ "1 aqic 05.0004 on 3", -EINVAL },
	{ "1 aqic 05.0004 off 3 4096", -EINVAL },
	{ "1 aqic 05.0004 on 256 4096", -EINVAL },
	{ "1 aqic 05.0004 on 3 -1", -EINVAL },
	{ "1 aqic 05.0004 on 3 4096 x", -EINVAL },
	{ "host tpi", -EINVAL },
	{ "1 tpi 05.0004", -EINVAL },
	{ "host nqap 05.0004", -EINVAL },
	{ "host nqap 05.0004 set-secret", -EINVAL },
	{ "host nqap 05.0004 set-secret 0x", -EINVAL },
	{ "host nqap 05.0004 set-secret -5", -EINVAL },
	{ "host nqap 05.0004 set-secret 0x10000000000000000", -EINVAL },
	{ "host nqap 05.0004 get-secret 5", -EINVAL },
	{ "host nqap 05.0004 frob", -EINVAL },
	{ "host dqap 05.0004 05.0004", -EINVAL },
	{ "0 qci", -ENOENT },
	{ "4000000000 tapq 05.0004", -ENOENT },
};

static void ap_sim_gtest_bad_desc(const struct ap_sim_gtest_bad *c,
				  char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "'%s' fails with %d", c->req,
		 c->err);
}

KUNIT_ARRAY_PARAM(ap_sim_gtest_bad, ap_sim_gtest_bad_reqs,
		  ap_sim_gtest_bad_desc);

static void ap_sim_gtest_instr_errors(struct kunit *test)
{
	const struct ap_sim_gtest_bad *c = test->param_value;
	char ans[AP_SIM_GTEST_ANSWER];

	KUNIT_EXPECT_EQ(test, ap_sim_instr(c->req, strlen(c->req), ans,
					   sizeof(ans)), c->err);
}

/* A destroyed context is gone; the host has its own message ids. */
static void ap_sim_gtest_instr_contexts(struct kunit *test)
{
	struct ap_hw_guest *g = ap_sim_gtest_guest(test, "5", "4", "");
	unsigned int id = g->id;
	char ans[AP_SIM_GTEST_ANSWER], *req, *got;

	ap_sim_gtest_issue(test, "%u nqap 05.0004 get-secret", id);
	ap_sim_gtest_issue(test, "%u dqap 05.0004", id);
	got = ap_sim_gtest_issue(test, "%u nqap 05.0004 get-secret\n", id);
	KUNIT_EXPECT_STREQ(test, got, "rc=0x00\n");
	got = ap_sim_gtest_issue(test, "%u  dqap\t05.0004", id);
	KUNIT_EXPECT_STREQ(test, got, "rc=0x00 psmid=2 secret=0x0\n");
	ap_hw_guest_destroy(g);
	kunit_remove_action(test, ap_sim_gtest_destroy, g);
	req = ap_sim_gtest_fmt(test, "%u qci", id);
	KUNIT_EXPECT_EQ(test, ap_sim_instr(req, strlen(req), ans, sizeof(ans)),
			-ENOENT);
	ap_sim_gtest_defer_zeroize(test, ap_apqn(5, 4));
	got = ap_sim_gtest_issue(test,
				 "host nqap 05.0004 set-secret 18446744073709551615");
	KUNIT_EXPECT_STREQ(test, got, "rc=0x00\n");
	got = ap_sim_gtest_issue(test, "host dqap 05.0004");
	KUNIT_EXPECT_NOT_NULL(test, strstr(got, " secret=0xffffffffffffffff\n"));
}

static struct kunit_case ap_sim_gtest_cases[] = {
	KUNIT_CASE(ap_sim_gtest_tapq_outside),
	KUNIT_CASE(ap_sim_gtest_reset_outside),
	KUNIT_CASE(ap_sim_gtest_aqic_outside),
	KUNIT_CASE(ap_sim_gtest_aqic_hook),
	KUNIT_CASE(ap_sim_gtest_gisa),
	KUNIT_CASE(ap_sim_gtest_gisa_left),
	KUNIT_CASE(ap_sim_gtest_irq_unpinned),
	KUNIT_CASE(ap_sim_gtest_nqap_outside),
	KUNIT_CASE(ap_sim_gtest_dqap_outside),
	KUNIT_CASE(ap_sim_gtest_inside_states),
	KUNIT_CASE(ap_sim_gtest_inside_queue_full),
	KUNIT_CASE(ap_sim_gtest_qci),
	KUNIT_CASE(ap_sim_gtest_crycb_change_queued),
	KUNIT_CASE(ap_sim_gtest_crycb_and_updates),
	KUNIT_CASE(ap_sim_gtest_guests_file),
	KUNIT_CASE(ap_sim_gtest_violation_secret),
	KUNIT_CASE(ap_sim_gtest_violation_shared),
	KUNIT_CASE(ap_sim_gtest_violation_host),
	KUNIT_CASE(ap_sim_gtest_queues_owner),
	KUNIT_CASE(ap_sim_gtest_fw_query_states),
	KUNIT_CASE(ap_sim_gtest_fw_query_mkvp),
	KUNIT_CASE(ap_sim_gtest_fw_query_ep11),
	KUNIT_CASE(ap_sim_gtest_fw_query_guest_secret),
	KUNIT_CASE(ap_sim_gtest_fw_query_for_guest),
	KUNIT_CASE(ap_sim_gtest_set_facilities),
	KUNIT_CASE(ap_sim_gtest_violations_clear),
	KUNIT_CASE_PARAM(ap_sim_gtest_instr_errors, ap_sim_gtest_bad_gen_params),
	KUNIT_CASE(ap_sim_gtest_instr_contexts),
	{}
};

static struct kunit_suite ap_sim_gtest_suite = {
	.name = "ap_sim_guest",
	.test_cases = ap_sim_gtest_cases,
};

kunit_test_suite(ap_sim_gtest_suite);

MODULE_DESCRIPTION("KUnit tests of the simulated AP facility's guest contexts");
MODULE_LICENSE("GPL");
