// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the AP matrix algebra (drivers/ap/matrix.c): Cartesian
 * products, host reservation, limits, differences, the guest view and
 * the text forms of matrix, control_domains and ap_config.
 *
 * Masks are written as bit lists for bitmap_parselist().
 */

#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/string.h>
#include <ap/matrix.h>

#define ALL	"0-255"

static void ap_matrix_test_list(struct kunit *test, const char *list,
				unsigned long *mask)
{
	KUNIT_ASSERT_EQ(test, bitmap_parselist(list, mask, AP_IDS), 0);
}

static void ap_matrix_test_make(struct kunit *test, struct ap_matrix *m,
				const char *apm, const char *aqm,
				const char *adm)
{
	ap_matrix_test_list(test, apm, m->apm);
	ap_matrix_test_list(test, aqm, m->aqm);
	ap_matrix_test_list(test, adm, m->adm);
}

static const char *ap_matrix_test_apqns(struct kunit *test,
					const struct ap_matrix *m)
{
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	ap_matrix_format_apqns(m->apm, m->aqm, buf, PAGE_SIZE);
	return buf;
}

/* The Cartesian product tables and lists of the specification. */
struct ap_matrix_product_case {
	const char *desc;
	const char *apm;
	const char *aqm;
	const char *text;
};

static const struct ap_matrix_product_case ap_matrix_product_cases[] = {
	{ "seed adapters 4,10 x domains 6,71", "4,10", "6,71",
	  "04.0006\n04.0047\n0a.0006\n0a.0047\n" },
	{ "seed adapters 1,2 x domains 5,6", "1,2", "5,6",
	  "01.0005\n01.0006\n02.0005\n02.0006\n" },
	{ "seed guest1 adapters 5,6 x domains 4,0xab", "5,6", "4,171",
	  "05.0004\n05.00ab\n06.0004\n06.00ab\n" },
	{ "seed guest2 adapter 5 x domains 0x47,0xff", "5", "71,255",
	  "05.0047\n05.00ff\n" },
	{ "seed guest3 adapter 6 x domains 0x47,0xff", "6", "71,255",
	  "06.0047\n06.00ff\n" },
	{ "adapters only", "5,6", "", "05.\n06.\n" },
	{ "domains only", "", "4,171", ".0004\n.00ab\n" },
	{ "empty", "", "", "" },
	{ "highest ids", "255", "255", "ff.00ff\n" },
};

static void ap_matrix_product_desc(const struct ap_matrix_product_case *c,
				   char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ap_matrix_product, ap_matrix_product_cases,
		  ap_matrix_product_desc);

static void ap_matrix_test_product_listing(struct kunit *test)
{
	const struct ap_matrix_product_case *c = test->param_value;
	struct ap_matrix m;

	ap_matrix_test_make(test, &m, c->apm, c->aqm, "");
	KUNIT_EXPECT_STREQ(test, ap_matrix_test_apqns(test, &m), c->text);
}

static void ap_matrix_test_product_count(struct kunit *test)
{
	struct ap_matrix m;

	ap_matrix_test_make(test, &m, "4,10", "6,71", "1-9");
	KUNIT_EXPECT_EQ(test, ap_matrix_apqn_count(&m), 4U);
	KUNIT_EXPECT_TRUE(test, ap_matrix_has_apqn(&m, 0x0a, 0x47));
	KUNIT_EXPECT_FALSE(test, ap_matrix_has_apqn(&m, 0x0a, 0x05));
	KUNIT_EXPECT_FALSE(test, ap_matrix_has_apqn(&m, 0x05, 0x47));
	KUNIT_EXPECT_FALSE(test, ap_matrix_has_apqn(&m, 256, 6));
}

/* Full page: only whole lines, 511 APQNs of 8 characters. */
static void ap_matrix_test_listing_bounded(struct kunit *test)
{
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	struct ap_matrix m;
	size_t n;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	ap_matrix_test_make(test, &m, ALL, ALL, "");
	n = ap_matrix_format_apqns(m.apm, m.aqm, buf, PAGE_SIZE);
	KUNIT_EXPECT_LT(test, n, (size_t)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, n % 8, (size_t)0);
	KUNIT_EXPECT_EQ(test, strlen(buf), n);
	KUNIT_EXPECT_EQ(test, buf[n - 1], '\n');
	KUNIT_EXPECT_EQ(test, n / 8, (size_t)(PAGE_SIZE - 1) / 8);
	KUNIT_EXPECT_EQ(test, ap_matrix_format_apqns(m.apm, m.aqm, buf, 8),
			(size_t)0);
	KUNIT_EXPECT_STREQ(test, buf, "");
	KUNIT_EXPECT_EQ(test, ap_matrix_format_apqns(m.apm, m.aqm, buf, 9),
			(size_t)8);
	KUNIT_EXPECT_STREQ(test, buf, "00.0000\n");
}

static void ap_matrix_test_domains_listing(struct kunit *test)
{
	char buf[32];
	struct ap_matrix m;

	ap_matrix_test_make(test, &m, "", "", "4,171,255");
	KUNIT_EXPECT_EQ(test, ap_matrix_format_domains(m.adm, buf, sizeof(buf)),
			(size_t)15);
	KUNIT_EXPECT_STREQ(test, buf, "0004\n00ab\n00ff\n");
	KUNIT_EXPECT_EQ(test, ap_matrix_format_domains(m.adm, buf, 11),
			(size_t)10);
	KUNIT_EXPECT_STREQ(test, buf, "0004\n00ab\n");
}

/* Host reservation: queue (a, q) is the host's iff a in apmask, q in aqmask. */
struct ap_matrix_reserve_case {
	const char *desc;
	const char *apmask;
	const char *aqmask;
	const char *apm;	/* the matrix to test */
	const char *aqm;
	const char *reserved;	/* listing of its reserved queues */
};

static const struct ap_matrix_reserve_case ap_matrix_reserve_cases[] = {
	{ "seed apmask 0x70 x aqmask 0x018: six queues to zcrypt",
	  "1-3", "7-8", ALL, ALL,
	  "01.0007\n01.0008\n02.0007\n02.0008\n03.0007\n03.0008\n" },
	{ "seed ap.apmask=0xffff ap.aqmask=0x40", "0-15", "1", "14-17", "0-2",
	  "0e.0001\n0f.0001\n" },
	{ "seed ownership: zcrypt owns 01-03 x 04-05", "1-3", "4-5", "1-3",
	  "4-7",
	  "01.0004\n01.0005\n02.0004\n02.0005\n03.0004\n03.0005\n" },
	{ "seed ownership: mdev 01-03 x 06-07 is free", "1-3", "4-5", "1-3",
	  "6-7", "" },
	{ "seed ownership: +8 takes only queues the mdev lacks", "1-3",
	  "4-5,8", "1-3", "6-7", "" },
	{ "seed ownership: +8 moves 01-03.0008 to zcrypt", "1-3", "4-5,8",
	  "1-3", "4-8",
	  "01.0004\n01.0005\n01.0008\n02.0004\n02.0005\n02.0008\n"
	  "03.0004\n03.0005\n03.0008\n" },
	{ "seed ownership: +7 would take the mdev's 01-03.0007", "1-3",
	  "4-5,7", "1-3", "6-7", "01.0007\n02.0007\n03.0007\n" },
	{ "seed securing adapters 5 and 6", "0-4,7-255", ALL, "5-6", ALL, "" },
	{ "seed securing domains 4, 0x47, 0xab, 0xff", ALL,
	  "0-3,5-70,72-170,172-254", "4-6", "4,71,171,255", "" },
	{ "default masks reserve everything", ALL, ALL, "5", "4",
	  "05.0004\n" },
	{ "empty apmask reserves nothing", "", ALL, ALL, ALL, "" },
};

static void ap_matrix_reserve_desc(const struct ap_matrix_reserve_case *c,
				   char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ap_matrix_reserve, ap_matrix_reserve_cases,
		  ap_matrix_reserve_desc);

static void ap_matrix_test_reserved(struct kunit *test)
{
	const struct ap_matrix_reserve_case *c = test->param_value;
	DECLARE_BITMAP(apmask, AP_IDS);
	DECLARE_BITMAP(aqmask, AP_IDS);
	struct ap_matrix m, res;

	ap_matrix_test_list(test, c->apmask, apmask);
	ap_matrix_test_list(test, c->aqmask, aqmask);
	ap_matrix_test_make(test, &m, c->apm, c->aqm, "0-255");
	ap_matrix_reserved(&m, apmask, aqmask, &res);
	KUNIT_EXPECT_STREQ(test, ap_matrix_test_apqns(test, &res), c->reserved);
	KUNIT_EXPECT_TRUE(test, bitmap_empty(res.adm, AP_IDS));
	KUNIT_EXPECT_EQ(test, ap_matrix_has_reserved(&m, apmask, aqmask),
			ap_matrix_apqn_count(&res) > 0);
}

struct ap_matrix_pair_case {
	const char *desc;
	const char *a_apm, *a_aqm, *b_apm, *b_aqm;
	bool intersects;
};

static const struct ap_matrix_pair_case ap_matrix_pair_cases[] = {
	{ "seed guests 1 and 2 share adapter 5 only", "5-6", "4,171", "5",
	  "71,255", false },
	{ "seed guests 2 and 3 share domains only", "5", "71,255", "6",
	  "71,255", false },
	{ "one common queue", "1-3", "6-7", "3-4", "7-8", true },
	{ "identical", "5", "4", "5", "4", true },
	{ "disjoint", "1", "1", "2", "2", false },
	{ "empty matrix shares nothing", "", "", ALL, ALL, false },
	{ "adapters without domains share nothing", "5", "", "5", "4", false },
};

static void ap_matrix_pair_desc(const struct ap_matrix_pair_case *c,
				char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ap_matrix_pair, ap_matrix_pair_cases, ap_matrix_pair_desc);

static void ap_matrix_test_intersects(struct kunit *test)
{
	const struct ap_matrix_pair_case *c = test->param_value;
	struct ap_matrix a, b;

	/* Shared control domains never make two matrices intersect. */
	ap_matrix_test_make(test, &a, c->a_apm, c->a_aqm, ALL);
	ap_matrix_test_make(test, &b, c->b_apm, c->b_aqm, ALL);
	KUNIT_EXPECT_EQ(test, ap_matrix_intersects(&a, &b), c->intersects);
	KUNIT_EXPECT_EQ(test, ap_matrix_intersects(&b, &a), c->intersects);
}

/*
 * What of a migration stream's matrix an mdev's assignment lacks: each
 * mask on its own, the expected remainder written out by hand.
 */
struct ap_matrix_outside_case {
	const char *desc;
	const char *apm, *aqm, *adm;		/* the matrix */
	const char *in_apm, *in_aqm, *in_adm;	/* what it should be part of */
	const char *o_apm, *o_aqm, *o_adm;	/* what is outside */
};

static const struct ap_matrix_outside_case ap_matrix_outside_cases[] = {
	{ "equal: nothing outside", "5", "171", "71", "5", "171", "71",
	  "", "", "" },
	{ "a part: nothing outside", "5", "171", "", "5-6", "4,171", "71",
	  "", "", "" },
	{ "one adapter more", "5-6", "171", "", "5", "171", "", "6", "", "" },
	{ "a usage domain more", "5", "4,171", "", "5", "171", "", "", "4",
	  "" },
	{ "a control domain more", "5", "171", "71", "5", "171", "", "", "",
	  "71" },
	{ "a usage domain is no control domain", "", "", "71", "", "71", "",
	  "", "", "71" },
	{ "a control domain is no usage domain", "", "71", "", "", "", "71",
	  "", "71", "" },
	{ "an adapter without domains counts", "6", "", "", "5", "4", "",
	  "6", "", "" },
	{ "everything into nothing", ALL, ALL, ALL, "", "", "", ALL, ALL,
	  ALL },
	{ "nothing is part of anything", "", "", "", "", "", "", "", "", "" },
	{ "the last ids", "0,255", "0,255", "255", "0", "255", "", "255", "0",
	  "255" },
};

static void ap_matrix_outside_desc(const struct ap_matrix_outside_case *c,
				   char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ap_matrix_outside, ap_matrix_outside_cases,
		  ap_matrix_outside_desc);

static void ap_matrix_test_outside(struct kunit *test)
{
	const struct ap_matrix_outside_case *c = test->param_value;
	struct ap_matrix m, in, out, want;
	bool outside;

	ap_matrix_test_make(test, &m, c->apm, c->aqm, c->adm);
	ap_matrix_test_make(test, &in, c->in_apm, c->in_aqm, c->in_adm);
	ap_matrix_test_make(test, &want, c->o_apm, c->o_aqm, c->o_adm);
	/* Whatever @out held before is overwritten. */
	ap_matrix_test_make(test, &out, ALL, ALL, ALL);
	outside = ap_matrix_outside(&m, &in, &out);
	KUNIT_EXPECT_TRUE_MSG(test, ap_matrix_equal(&out, &want),
			      "outside: apm %*pbl aqm %*pbl adm %*pbl",
			      AP_IDS, out.apm, AP_IDS, out.aqm, AP_IDS,
			      out.adm);
	KUNIT_EXPECT_EQ(test, outside, *c->o_apm || *c->o_aqm || *c->o_adm);
}

struct ap_matrix_limit_case {
	const char *desc;
	const char *apm, *aqm, *adm;
	unsigned int max_apid, max_apqi;
	int rc;
};

static const struct ap_matrix_limit_case ap_matrix_limit_cases[] = {
	{ "no APXA: adapter 63 fits", "63", "15", "15", 63, 15, 0 },
	{ "no APXA: adapter 64 is ENODEV", "64", "", "", 63, 15, -ENODEV },
	{ "no APXA: domain 16 is ENODEV", "", "16", "", 63, 15, -ENODEV },
	{ "no APXA: control domain 16 is ENODEV", "", "", "16", 63, 15,
	  -ENODEV },
	{ "APXA: everything fits", ALL, ALL, ALL, 255, 255, 0 },
	{ "seed LPAR max 0xff: 0xff fits", "255", "255", "255", 255, 255, 0 },
	{ "max 84 domains: 85 is ENODEV", "", "85", "", 255, 84, -ENODEV },
	{ "empty matrix always fits", "", "", "", 0, 0, 0 },
	{ "max 0: id 0 fits", "0", "0", "0", 0, 0, 0 },
};

static void ap_matrix_limit_desc(const struct ap_matrix_limit_case *c,
				 char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ap_matrix_limit, ap_matrix_limit_cases,
		  ap_matrix_limit_desc);

static void ap_matrix_test_limits(struct kunit *test)
{
	const struct ap_matrix_limit_case *c = test->param_value;
	struct ap_limits lim = { c->max_apid, c->max_apqi };
	struct ap_matrix m;

	ap_matrix_test_make(test, &m, c->apm, c->aqm, c->adm);
	KUNIT_EXPECT_EQ(test, ap_matrix_check_limits(&m, &lim), c->rc);
}

static void ap_matrix_test_diff_added_removed(struct kunit *test)
{
	struct ap_matrix old, new, added, removed, want;

	ap_matrix_test_make(test, &old, "1,2", "4", "7");
	ap_matrix_test_make(test, &new, "2,3", "4,5", "7");
	KUNIT_EXPECT_TRUE(test, ap_matrix_diff(&old, &new, &added, &removed));
	ap_matrix_test_make(test, &want, "3", "5", "");
	KUNIT_EXPECT_TRUE(test, ap_matrix_equal(&added, &want));
	ap_matrix_test_make(test, &want, "1", "", "");
	KUNIT_EXPECT_TRUE(test, ap_matrix_equal(&removed, &want));
}

static void ap_matrix_test_diff_unchanged(struct kunit *test)
{
	struct ap_matrix old, added, removed;

	ap_matrix_test_make(test, &old, "1,2", "4", "7");
	KUNIT_EXPECT_FALSE(test, ap_matrix_diff(&old, &old, &added, &removed));
}

static void ap_matrix_test_diff_control_domain_only(struct kunit *test)
{
	struct ap_matrix old, new, added, removed, want;

	ap_matrix_test_make(test, &old, "1", "4", "7");
	ap_matrix_test_make(test, &new, "1", "4", "");
	KUNIT_EXPECT_TRUE(test, ap_matrix_diff(&old, &new, &added, &removed));
	ap_matrix_test_make(test, &want, "", "", "7");
	KUNIT_EXPECT_TRUE(test, ap_matrix_equal(&removed, &want));
}

/* The guest view, with queue usability given as a matrix of bad queues. */
struct ap_matrix_view_case {
	const char *desc;
	const char *apm, *aqm, *adm;		/* assigned */
	const char *h_apm, *h_aqm, *h_adm;	/* host configuration */
	const char *bad_apm, *bad_aqm;		/* queues not usable */
	const char *v_apm, *v_aqm, *v_adm;	/* expected view */
};

static const struct ap_matrix_view_case ap_matrix_view_cases[] = {
	{ "seed guest1: all bound and configured",
	  "5-6", "4,171", "", "4-6", "4,71,171,255", "4,71,171,255", "", "",
	  "5-6", "4,171", "" },
	{ "over-provisioned adapter not in the host is left out",
	  "5-7", "4", "", "4-6", "4", "", "", "", "5-6", "4", "" },
	{ "over-provisioned domain not in the host is left out",
	  "5", "4,9", "", "5", "4", "", "", "", "5", "4", "" },
	{ "one unbound queue drops its whole adapter",
	  "5-6", "4,171", "", "4-6", ALL, "", "6", "171",
	  "5", "4,171", "" },
	{ "unbound queue outside the view does not matter",
	  "5", "4", "", ALL, ALL, "", "5", "9", "5", "4", "" },
	{ "every adapter dropped keeps the domains",
	  "5-6", "4", "", ALL, ALL, "", "5-6", "4", "", "4", "" },
	{ "control domains need no queue, only the host",
	  "", "", "4,9,200", ALL, ALL, "4,200", "", "", "", "", "4,200" },
	{ "adapters without domains are kept",
	  "5-6", "", "", ALL, ALL, "", "", "", "5-6", "", "" },
	{ "nothing assigned, nothing given", "", "", "", ALL, ALL, ALL, "",
	  "", "", "", "" },
	{ "deconfigured adapter (not in host) is left out",
	  "5-6", "71,255", "", "4,6", ALL, "", "", "", "6", "71,255", "" },
};

static void ap_matrix_view_desc(const struct ap_matrix_view_case *c,
				char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ap_matrix_view, ap_matrix_view_cases, ap_matrix_view_desc);

static bool ap_matrix_test_usable(void *ctx, unsigned int apid,
				  unsigned int apqi)
{
	return !ap_matrix_has_apqn(ctx, apid, apqi);
}

static void ap_matrix_test_guest_view(struct kunit *test)
{
	const struct ap_matrix_view_case *c = test->param_value;
	struct ap_matrix assigned, host, bad, view, want;

	ap_matrix_test_make(test, &assigned, c->apm, c->aqm, c->adm);
	ap_matrix_test_make(test, &host, c->h_apm, c->h_aqm, c->h_adm);
	ap_matrix_test_make(test, &bad, c->bad_apm, c->bad_aqm, "");
	ap_matrix_test_make(test, &want, c->v_apm, c->v_aqm, c->v_adm);
	ap_matrix_clear(&view);
	KUNIT_EXPECT_EQ(test,
			ap_matrix_guest_view(&assigned, &host,
					     ap_matrix_test_usable, &bad, &view),
			!ap_matrix_equal(&want, &(struct ap_matrix){}));
	KUNIT_EXPECT_TRUE_MSG(test, ap_matrix_equal(&view, &want),
			      "apm %*pbl aqm %*pbl adm %*pbl", AP_IDS, view.apm,
			      AP_IDS, view.aqm, AP_IDS, view.adm);
	/* Computing it again from the same inputs is not a change. */
	KUNIT_EXPECT_FALSE(test,
			   ap_matrix_guest_view(&assigned, &host,
						ap_matrix_test_usable, &bad,
						&view));
}

/*
 * A view computed again while a guest runs: what the guest has stays
 * unless it is unassigned, leaves the host configuration or stops being
 * usable; what is new comes only if it can come whole, else it waits.
 */
struct ap_matrix_update_case {
	const char *desc;
	const char *p_apm, *p_aqm;		/* the view the guest has */
	const char *apm, *aqm;			/* assigned */
	const char *h_aqm;			/* host usage domains */
	const char *bad_apm, *bad_aqm;		/* queues not usable */
	const char *v_apm, *v_aqm;		/* expected view */
};

static const struct ap_matrix_update_case ap_matrix_update_cases[] = {
	{ "a new domain not usable on a kept adapter waits; the adapter stays",
	  "5", "71", "5", "4,71", ALL, "5", "4", "5", "71" },
	{ "a new adapter not usable in a kept domain waits",
	  "5", "71", "5-6", "71", ALL, "6", "71", "5", "71" },
	{ "the new domain comes once its queue is usable",
	  "5", "71", "5", "4,71", ALL, "", "", "5", "4,71" },
	{ "a kept queue that is no longer usable drops its adapter",
	  "5-6", "4", "5-6", "4", ALL, "6", "4", "5", "4" },
	{ "an unassigned domain leaves",
	  "5", "4,71", "5", "71", ALL, "", "", "5", "71" },
	{ "a domain that leaves the host configuration leaves",
	  "5", "4,71", "5", "4,71", "71,255", "", "", "5", "71" },
	{ "new adapter and domain: the domain comes, the adapter waits",
	  "5", "71", "5-6", "4,71", ALL, "6", "4", "5", "4,71" },
	{ "new adapter and domain: the adapter comes, the domain waits",
	  "5", "71", "5-6", "4,71", ALL, "5", "4", "5-6", "71" },
	{ "an unusable queue of another adapter changes nothing",
	  "5", "4", "5", "4", ALL, "6", "4", "5", "4" },
	{ "adapters without domains give no queue and hold nothing back",
	  "2,4", "", "2,4", "3", ALL, "4", "3", "2", "3" },
	{ "domains without adapters give no queue and hold nothing back",
	  "", "3,4", "2", "3,4", ALL, "2", "4", "", "3,4" },
};

static void ap_matrix_update_desc(const struct ap_matrix_update_case *c,
				  char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ap_matrix_update, ap_matrix_update_cases,
		  ap_matrix_update_desc);

static void ap_matrix_test_guest_view_update(struct kunit *test)
{
	const struct ap_matrix_update_case *c = test->param_value;
	struct ap_matrix assigned, host, bad, view, want;

	ap_matrix_test_make(test, &view, c->p_apm, c->p_aqm, "");
	ap_matrix_test_make(test, &assigned, c->apm, c->aqm, "");
	ap_matrix_test_make(test, &host, ALL, c->h_aqm, ALL);
	ap_matrix_test_make(test, &bad, c->bad_apm, c->bad_aqm, "");
	ap_matrix_test_make(test, &want, c->v_apm, c->v_aqm, "");
	ap_matrix_guest_view(&assigned, &host, ap_matrix_test_usable, &bad,
			     &view);
	KUNIT_EXPECT_TRUE_MSG(test, ap_matrix_equal(&view, &want),
			      "apm %*pbl aqm %*pbl", AP_IDS, view.apm, AP_IDS,
			      view.aqm);
	KUNIT_EXPECT_FALSE(test,
			   ap_matrix_guest_view(&assigned, &host,
						ap_matrix_test_usable, &bad,
						&view));
}

/* Removing the last adapter empties the view: that is a change. */
static void ap_matrix_test_guest_view_last_adapter_removed(struct kunit *test)
{
	struct ap_matrix assigned, host, none, view;

	ap_matrix_test_make(test, &assigned, "5", "4", "");
	ap_matrix_test_make(test, &host, ALL, ALL, ALL);
	ap_matrix_clear(&none);
	ap_matrix_clear(&view);
	KUNIT_ASSERT_TRUE(test, ap_matrix_guest_view(&assigned, &host,
						     ap_matrix_test_usable,
						     &none, &view));
	__clear_bit(5, assigned.apm);
	KUNIT_EXPECT_TRUE(test, ap_matrix_guest_view(&assigned, &host,
						     ap_matrix_test_usable,
						     &none, &view));
	KUNIT_EXPECT_TRUE(test, bitmap_empty(view.apm, AP_IDS));
}

static void ap_matrix_test_guest_view_last_domain_removed(struct kunit *test)
{
	struct ap_matrix assigned, host, none, view;

	ap_matrix_test_make(test, &assigned, "5", "4", "");
	ap_matrix_test_make(test, &host, ALL, ALL, ALL);
	ap_matrix_clear(&none);
	ap_matrix_clear(&view);
	ap_matrix_guest_view(&assigned, &host, ap_matrix_test_usable, &none,
			     &view);
	__clear_bit(4, host.aqm);	/* the LPAR loses domain 4 */
	KUNIT_EXPECT_TRUE(test, ap_matrix_guest_view(&assigned, &host,
						     ap_matrix_test_usable,
						     &none, &view));
	KUNIT_EXPECT_TRUE(test, bitmap_empty(view.aqm, AP_IDS));
}

struct ap_matrix_config_case {
	const char *desc;
	const char *in;
	int rc;
	const char *apm, *aqm, *adm;
};

static const struct ap_matrix_config_case ap_matrix_config_cases[] = {
	{ "read-back form",
	  "0x0600000000000000000000000000000000000000000000000000000000000000,0x0800000000000000000000000000000000000000000000000000000000000000,0x0800000000000000000000000000000000000000000000000000000000000000\n",
	  0, "5-6", "4", "4" },
	{ "short masks pad right", "0x06,0x08,0x0", 0, "5-6", "4", "" },
	{ "no prefixes", "06,08,0", 0, "5-6", "4", "" },
	{ "all ones", "0xff,0xff,0xf", 0, "0-7", "0-7", "0-3" },
	{ "missing third mask", "0x06,0x08", -EINVAL },
	{ "empty third mask", "0x06,0x08,", -EINVAL },
	{ "empty first mask", ",0x08,0x1", -EINVAL },
	{ "four masks", "0x06,0x08,0x1,0x1", -EINVAL },
	{ "blank after comma", "0x06, 0x08,0x1", -EINVAL },
	{ "newline as separator", "0x06\n0x08\n0x1", -EINVAL },
	{ "relative form is not allowed", "+5,+4,+4", -EINVAL },
	{ "empty", "", -EINVAL },
	{ "mask longer than 256 bits",
	  "0x00000000000000000000000000000000000000000000000000000000000000000,0x0,0x0",
	  -EINVAL },
};

static void ap_matrix_config_desc(const struct ap_matrix_config_case *c,
				  char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ap_matrix_config, ap_matrix_config_cases,
		  ap_matrix_config_desc);

static void ap_matrix_test_parse_config(struct kunit *test)
{
	const struct ap_matrix_config_case *c = test->param_value;
	struct ap_matrix m, want;

	ap_matrix_test_make(test, &m, "100", "100", "100");
	if (c->rc)
		want = m;
	else
		ap_matrix_test_make(test, &want, c->apm, c->aqm, c->adm);
	KUNIT_EXPECT_EQ(test, ap_matrix_parse_config(c->in, strlen(c->in), &m),
			c->rc);
	KUNIT_EXPECT_TRUE(test, ap_matrix_equal(&m, &want));
}

static void ap_matrix_test_config_round_trip(struct kunit *test)
{
	char buf[AP_MATRIX_CONFIG_STRLEN + 1];
	struct ap_matrix m, back;

	ap_matrix_test_make(test, &m, "4-6", "4,71,171,255", "0-3,250-255");
	KUNIT_ASSERT_EQ(test, ap_matrix_format_config(&m, buf, sizeof(buf)),
			(size_t)AP_MATRIX_CONFIG_STRLEN);
	KUNIT_EXPECT_EQ(test, buf[AP_MATRIX_CONFIG_STRLEN - 1], '\n');
	KUNIT_EXPECT_STREQ(test, buf + AP_MATRIX_CONFIG_STRLEN - 5, "003f\n");
	KUNIT_ASSERT_EQ(test, ap_matrix_parse_config(buf, strlen(buf), &back), 0);
	KUNIT_EXPECT_TRUE(test, ap_matrix_equal(&m, &back));
	KUNIT_EXPECT_EQ(test, ap_matrix_format_config(&m, buf, sizeof(buf) - 1),
			(size_t)0);
}

static struct kunit_case ap_matrix_test_cases[] = {
	KUNIT_CASE_PARAM(ap_matrix_test_product_listing,
			 ap_matrix_product_gen_params),
	KUNIT_CASE(ap_matrix_test_product_count),
	KUNIT_CASE(ap_matrix_test_listing_bounded),
	KUNIT_CASE(ap_matrix_test_domains_listing),
	KUNIT_CASE_PARAM(ap_matrix_test_reserved, ap_matrix_reserve_gen_params),
	KUNIT_CASE_PARAM(ap_matrix_test_intersects, ap_matrix_pair_gen_params),
	KUNIT_CASE_PARAM(ap_matrix_test_outside, ap_matrix_outside_gen_params),
	KUNIT_CASE_PARAM(ap_matrix_test_limits, ap_matrix_limit_gen_params),
	KUNIT_CASE(ap_matrix_test_diff_added_removed),
	KUNIT_CASE(ap_matrix_test_diff_unchanged),
	KUNIT_CASE(ap_matrix_test_diff_control_domain_only),
	KUNIT_CASE_PARAM(ap_matrix_test_guest_view, ap_matrix_view_gen_params),
	KUNIT_CASE_PARAM(ap_matrix_test_guest_view_update,
			 ap_matrix_update_gen_params),
	KUNIT_CASE(ap_matrix_test_guest_view_last_adapter_removed),
	KUNIT_CASE(ap_matrix_test_guest_view_last_domain_removed),
	KUNIT_CASE_PARAM(ap_matrix_test_parse_config,
			 ap_matrix_config_gen_params),
	KUNIT_CASE(ap_matrix_test_config_round_trip),
	{}
};

static struct kunit_suite ap_matrix_test_suite = {
	.name = "ap_matrix",
	.test_cases = ap_matrix_test_cases,
};

kunit_test_suite(ap_matrix_test_suite);

MODULE_DESCRIPTION("KUnit tests for the AP matrix algebra");
MODULE_LICENSE("GPL");
