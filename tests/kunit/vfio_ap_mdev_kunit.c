// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of vfio_ap's store paths, guest views and reset rules, over
 * the simulated facility (the specification's example LPAR: adapters
 * 4-6, domains 4, 71, 171, 255).
 *
 * The tests drive mdevs that are known to vfio_ap's registry but are not
 * VFIO devices: they call the same functions as the sysfs attributes and
 * as opening, closing and resetting the VFIO device do. The suite frees
 * the LPAR's domains from the host (aqmask) first, so that their queues
 * are bound to vfio_ap, and gives them back at the end.
 */

#include <kunit/test.h>
#include <linux/device.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <ap/bus.h>
#include <ap/sim.h>
#include "../../drivers/vfio_ap/private.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

static const char vfio_ap_test_release[] = "-4,-0x47,-0xab,-0xff";
static const char vfio_ap_test_ones[] =
	"0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

static void vfio_ap_test_remove_mdev(void *data)
{
	struct vfio_ap_mdev *mdev = data;

	vfio_ap_mdev_stop_guest(mdev);
	vfio_ap_registry_remove(mdev);
}

/* A registered mdev without a VFIO device, removed at the end of the test. */
static struct vfio_ap_mdev *vfio_ap_test_mdev(struct kunit *test,
					      const char *name)
{
	struct vfio_ap_mdev *mdev = kunit_kzalloc(test, sizeof(*mdev),
						  GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, mdev);
	INIT_LIST_HEAD(&mdev->node);
	strscpy(mdev->name, name, sizeof(mdev->name));
	KUNIT_ASSERT_EQ(test, vfio_ap_registry_add(mdev), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							vfio_ap_test_remove_mdev,
							mdev), 0);
	return mdev;
}

static void vfio_ap_test_assign(struct kunit *test, struct vfio_ap_mdev *mdev,
				int what, unsigned long id, int rc)
{
	KUNIT_EXPECT_EQ_MSG(test, vfio_ap_mdev_assign(mdev, what, id, true), rc,
			    "assigning %lu (kind %d) to %s", id, what,
			    mdev->name);
}

static void vfio_ap_test_unassign(struct kunit *test,
				  struct vfio_ap_mdev *mdev, int what,
				  unsigned long id)
{
	KUNIT_EXPECT_EQ(test, vfio_ap_mdev_assign(mdev, what, id, false), 0);
}

static void vfio_ap_test_matrix(struct kunit *test, struct ap_matrix *m,
				const char *apm, const char *aqm,
				const char *adm)
{
	KUNIT_ASSERT_EQ(test, bitmap_parselist(apm, m->apm, AP_IDS), 0);
	KUNIT_ASSERT_EQ(test, bitmap_parselist(aqm, m->aqm, AP_IDS), 0);
	KUNIT_ASSERT_EQ(test, bitmap_parselist(adm, m->adm, AP_IDS), 0);
}

static void vfio_ap_test_expect_assigned(struct kunit *test,
					 struct vfio_ap_mdev *mdev,
					 const char *apm, const char *aqm,
					 const char *adm)
{
	struct ap_matrix want;

	vfio_ap_test_matrix(test, &want, apm, aqm, adm);
	KUNIT_EXPECT_TRUE_MSG(test, ap_matrix_equal(&mdev->assigned, &want),
			      "%s: apm %*pbl aqm %*pbl adm %*pbl", mdev->name,
			      AP_IDS, mdev->assigned.apm, AP_IDS,
			      mdev->assigned.aqm, AP_IDS, mdev->assigned.adm);
}

static void vfio_ap_test_expect_view(struct kunit *test,
				     struct vfio_ap_mdev *mdev,
				     const char *apm, const char *aqm)
{
	struct ap_matrix want;

	vfio_ap_test_matrix(test, &want, apm, aqm, "");
	KUNIT_EXPECT_TRUE_MSG(test,
			      bitmap_equal(mdev->view.apm, want.apm, AP_IDS) &&
			      bitmap_equal(mdev->view.aqm, want.aqm, AP_IDS),
			      "%s view: apm %*pbl aqm %*pbl", mdev->name, AP_IDS,
			      mdev->view.apm, AP_IDS, mdev->view.aqm);
}

static unsigned long vfio_ap_test_updates(struct kunit *test,
					  struct vfio_ap_mdev *mdev)
{
	unsigned long updates = 0;
	struct ap_matrix crycb;

	KUNIT_EXPECT_TRUE(test, vfio_ap_guest_crycb(mdev, &crycb, &updates));
	KUNIT_EXPECT_TRUE(test, bitmap_equal(crycb.apm, mdev->view.apm, AP_IDS));
	KUNIT_EXPECT_TRUE(test, bitmap_equal(crycb.aqm, mdev->view.aqm, AP_IDS));
	return updates;
}

static u64 vfio_ap_test_secret(apqn_t apqn, u32 op, u64 value)
{
	struct ap_sim_msg msg = { AP_SIM_MSG_MAGIC, op, value };
	size_t len = sizeof(msg);
	u64 psmid;

	if (ap_hw_nqap(apqn, 1, &msg, len).rc ||
	    ap_hw_dqap(apqn, &psmid, &msg, &len).rc)
		return ~0ULL;
	return msg.value;
}

static void vfio_ap_test_sim(struct kunit *test, const char *cmd)
{
	KUNIT_ASSERT_EQ_MSG(test, ap_sim_command(cmd, strlen(cmd)), 0, "%s",
			    cmd);
}

static void vfio_ap_test_give_back(void *unused)
{
	ap_perms_store_mask(false, vfio_ap_test_ones,
			    strlen(vfio_ap_test_ones));
}

static int vfio_ap_test_suite_init(struct kunit_suite *suite)
{
	ssize_t rc = ap_perms_store_mask(false, vfio_ap_test_release,
					 strlen(vfio_ap_test_release));

	return rc < 0 ? rc : 0;
}

static void vfio_ap_test_suite_exit(struct kunit_suite *suite)
{
	vfio_ap_test_give_back(NULL);
}

/* --- store paths ---------------------------------------------------------- */

static void vfio_ap_test_id_above_max_is_enodev(struct kunit *test)
{
	struct vfio_ap_mdev *m = vfio_ap_test_mdev(test, "above-max");

	vfio_ap_test_assign(test, m, VFIO_AP_ADAPTER, 256, -ENODEV);
	vfio_ap_test_assign(test, m, VFIO_AP_DOMAIN, ULONG_MAX, -ENODEV);
	vfio_ap_test_assign(test, m, VFIO_AP_CONTROL_DOMAIN, 300, -ENODEV);
	KUNIT_EXPECT_EQ(test, vfio_ap_mdev_assign(m, VFIO_AP_ADAPTER, 256,
						  false), -ENODEV);
	vfio_ap_test_assign(test, m, VFIO_AP_ADAPTER, 255, 0);
	vfio_ap_test_expect_assigned(test, m, "255", "", "");
}

static void vfio_ap_test_reserved_is_eaddrnotavail(struct kunit *test)
{
	struct vfio_ap_mdev *m = vfio_ap_test_mdev(test, "reserved");

	vfio_ap_test_assign(test, m, VFIO_AP_ADAPTER, 5, 0);
	vfio_ap_test_assign(test, m, VFIO_AP_DOMAIN, 4, 0);
	/* Domain 5 is still the host's: 05.0005 would be a host queue. */
	vfio_ap_test_assign(test, m, VFIO_AP_DOMAIN, 5, -EADDRNOTAVAIL);
	vfio_ap_test_expect_assigned(test, m, "5", "4", "");
}

static void vfio_ap_test_taken_is_eaddrinuse(struct kunit *test)
{
	struct vfio_ap_mdev *a = vfio_ap_test_mdev(test, "first");
	struct vfio_ap_mdev *b = vfio_ap_test_mdev(test, "second");

	vfio_ap_test_assign(test, a, VFIO_AP_ADAPTER, 5, 0);
	vfio_ap_test_assign(test, a, VFIO_AP_DOMAIN, 4, 0);
	vfio_ap_test_assign(test, b, VFIO_AP_DOMAIN, 4, 0);
	vfio_ap_test_assign(test, b, VFIO_AP_ADAPTER, 6, 0);
	vfio_ap_test_assign(test, b, VFIO_AP_ADAPTER, 5, -EADDRINUSE);
	vfio_ap_test_expect_assigned(test, b, "6", "4", "");
	/* Once the first gives it up, the second may take it. */
	vfio_ap_test_unassign(test, a, VFIO_AP_ADAPTER, 5);
	vfio_ap_test_assign(test, b, VFIO_AP_ADAPTER, 5, 0);
	vfio_ap_test_assign(test, a, VFIO_AP_ADAPTER, 5, -EADDRINUSE);
}

static void vfio_ap_test_repeat_is_no_op(struct kunit *test)
{
	struct vfio_ap_mdev *a = vfio_ap_test_mdev(test, "repeat");
	struct vfio_ap_mdev *b = vfio_ap_test_mdev(test, "other");

	vfio_ap_test_assign(test, a, VFIO_AP_ADAPTER, 5, 0);
	vfio_ap_test_assign(test, a, VFIO_AP_ADAPTER, 5, 0);
	vfio_ap_test_assign(test, a, VFIO_AP_DOMAIN, 71, 0);
	vfio_ap_test_assign(test, a, VFIO_AP_DOMAIN, 71, 0);
	vfio_ap_test_unassign(test, a, VFIO_AP_ADAPTER, 5);
	vfio_ap_test_unassign(test, a, VFIO_AP_ADAPTER, 5);
	vfio_ap_test_unassign(test, a, VFIO_AP_ADAPTER, 9);
	vfio_ap_test_expect_assigned(test, a, "", "71", "");
	/* The index holds no stale entry: 05.0047 is free. */
	vfio_ap_test_assign(test, b, VFIO_AP_ADAPTER, 5, 0);
	vfio_ap_test_assign(test, b, VFIO_AP_DOMAIN, 71, 0);
}

static void vfio_ap_test_control_domains_shared(struct kunit *test)
{
	struct vfio_ap_mdev *a = vfio_ap_test_mdev(test, "cdom-a");
	struct vfio_ap_mdev *b = vfio_ap_test_mdev(test, "cdom-b");

	vfio_ap_test_assign(test, a, VFIO_AP_CONTROL_DOMAIN, 4, 0);
	vfio_ap_test_assign(test, b, VFIO_AP_CONTROL_DOMAIN, 4, 0);
	/* Control domains are not queues: the host's may be assigned too. */
	vfio_ap_test_assign(test, b, VFIO_AP_CONTROL_DOMAIN, 5, 0);
	vfio_ap_test_expect_assigned(test, b, "", "", "4-5");
}

static void vfio_ap_test_config_all_or_nothing(struct kunit *test)
{
	struct vfio_ap_mdev *a = vfio_ap_test_mdev(test, "config-a");
	struct vfio_ap_mdev *b = vfio_ap_test_mdev(test, "config-b");
	struct ap_matrix m;

	vfio_ap_test_assign(test, a, VFIO_AP_ADAPTER, 5, 0);
	vfio_ap_test_assign(test, a, VFIO_AP_DOMAIN, 4, 0);
	vfio_ap_test_assign(test, b, VFIO_AP_ADAPTER, 6, 0);
	vfio_ap_test_matrix(test, &m, "5-6", "4,171", "4");
	KUNIT_EXPECT_EQ(test, vfio_ap_mdev_set_config(b, &m), -EADDRINUSE);
	vfio_ap_test_matrix(test, &m, "6", "4,5", "");
	KUNIT_EXPECT_EQ(test, vfio_ap_mdev_set_config(b, &m), -EADDRNOTAVAIL);
	vfio_ap_test_expect_assigned(test, b, "6", "", "");
	vfio_ap_test_matrix(test, &m, "6", "4,171", "4,171");
	KUNIT_EXPECT_EQ(test, vfio_ap_mdev_set_config(b, &m), 0);
	vfio_ap_test_expect_assigned(test, b, "6", "4,171", "4,171");
	/* What b gave up is free; what it took is not. */
	vfio_ap_test_matrix(test, &m, "", "", "");
	KUNIT_EXPECT_EQ(test, vfio_ap_mdev_set_config(b, &m), 0);
	vfio_ap_test_assign(test, a, VFIO_AP_ADAPTER, 6, 0);
}

static void vfio_ap_test_in_use(struct kunit *test)
{
	struct vfio_ap_mdev *a = vfio_ap_test_mdev(test, "in-use");
	struct ap_matrix m;

	vfio_ap_test_assign(test, a, VFIO_AP_ADAPTER, 5, 0);
	vfio_ap_test_assign(test, a, VFIO_AP_DOMAIN, 171, 0);
	vfio_ap_test_matrix(test, &m, "0-255", "171", "");
	KUNIT_EXPECT_TRUE(test, vfio_ap_in_use(&m));
	vfio_ap_test_matrix(test, &m, "0-4,6-255", "0-255", "");
	KUNIT_EXPECT_FALSE(test, vfio_ap_in_use(&m));
}

/* --- guest views ------------------------------------------------------------- */

static void vfio_ap_test_seed_guest1_view(struct kunit *test)
{
	struct vfio_ap_mdev *m = vfio_ap_test_mdev(test, "guest1");
	struct ap_queue *q = ap_queue_get(ap_apqn(5, 4));

	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_STREQ(test, vfio_ap_queue_status(q), "unassigned");
	vfio_ap_test_assign(test, m, VFIO_AP_ADAPTER, 5, 0);
	vfio_ap_test_assign(test, m, VFIO_AP_ADAPTER, 6, 0);
	vfio_ap_test_assign(test, m, VFIO_AP_DOMAIN, 4, 0);
	vfio_ap_test_assign(test, m, VFIO_AP_DOMAIN, 0xab, 0);
	vfio_ap_test_expect_view(test, m, "5-6", "4,171");
	KUNIT_EXPECT_STREQ(test, vfio_ap_queue_status(q), "assigned");
	KUNIT_ASSERT_EQ(test, vfio_ap_mdev_start_guest(m), 0);
	KUNIT_EXPECT_EQ(test, vfio_ap_mdev_start_guest(m), -EBUSY);
	KUNIT_EXPECT_EQ(test, vfio_ap_test_updates(test, m), 0UL);
	KUNIT_EXPECT_STREQ(test, vfio_ap_queue_status(q), "in use");
	vfio_ap_mdev_stop_guest(m);
	KUNIT_EXPECT_STREQ(test, vfio_ap_queue_status(q), "assigned");
	put_device(&q->dev);
}

static void vfio_ap_test_one_push_per_event(struct kunit *test)
{
	struct vfio_ap_mdev *m = vfio_ap_test_mdev(test, "push");
	struct ap_matrix cfg;

	vfio_ap_test_matrix(test, &cfg, "5", "71,255", "71");
	KUNIT_ASSERT_EQ(test, vfio_ap_mdev_set_config(m, &cfg), 0);
	KUNIT_ASSERT_EQ(test, vfio_ap_mdev_start_guest(m), 0);
	vfio_ap_test_assign(test, m, VFIO_AP_ADAPTER, 6, 0);
	KUNIT_EXPECT_EQ(test, vfio_ap_test_updates(test, m), 1UL);
	vfio_ap_test_unassign(test, m, VFIO_AP_DOMAIN, 71);
	KUNIT_EXPECT_EQ(test, vfio_ap_test_updates(test, m), 2UL);
	vfio_ap_test_expect_view(test, m, "5-6", "255");
	/* A no-op changes nothing. */
	vfio_ap_test_unassign(test, m, VFIO_AP_DOMAIN, 71);
	KUNIT_EXPECT_EQ(test, vfio_ap_test_updates(test, m), 2UL);
	/* ap_config: many changes, one update. */
	vfio_ap_test_matrix(test, &cfg, "4-6", "4,71,171,255", "4");
	KUNIT_ASSERT_EQ(test, vfio_ap_mdev_set_config(m, &cfg), 0);
	KUNIT_EXPECT_EQ(test, vfio_ap_test_updates(test, m), 3UL);
	vfio_ap_test_expect_view(test, m, "4-6", "4,71,171,255");
	/* Removing the last adapter is a change too. */
	vfio_ap_test_matrix(test, &cfg, "", "4", "");
	KUNIT_ASSERT_EQ(test, vfio_ap_mdev_set_config(m, &cfg), 0);
	KUNIT_EXPECT_EQ(test, vfio_ap_test_updates(test, m), 4UL);
	vfio_ap_test_expect_view(test, m, "", "4");
}

static void vfio_ap_test_unbound_queue_drops_adapter(struct kunit *test)
{
	struct vfio_ap_mdev *m = vfio_ap_test_mdev(test, "unbind");
	struct ap_queue *q = ap_queue_get(ap_apqn(6, 171));
	struct ap_matrix cfg;

	KUNIT_ASSERT_NOT_NULL(test, q);
	vfio_ap_test_matrix(test, &cfg, "5-6", "4,171", "");
	KUNIT_ASSERT_EQ(test, vfio_ap_mdev_set_config(m, &cfg), 0);
	KUNIT_ASSERT_EQ(test, vfio_ap_mdev_start_guest(m), 0);
	device_release_driver(&q->dev);
	vfio_ap_test_expect_view(test, m, "5", "4,171");
	KUNIT_EXPECT_EQ(test, vfio_ap_test_updates(test, m), 1UL);
	KUNIT_EXPECT_EQ(test, device_attach(&q->dev), 1);
	vfio_ap_test_expect_view(test, m, "5-6", "4,171");
	KUNIT_EXPECT_EQ(test, vfio_ap_test_updates(test, m), 2UL);
	put_device(&q->dev);
}

static void vfio_ap_test_undo_sim(void *cmd)
{
	ap_sim_command(cmd, strlen(cmd));
}

/* Undo a simulator command at the end of the test. */
static void vfio_ap_test_defer_sim(struct kunit *test, const char *cmd)
{
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							vfio_ap_test_undo_sim,
							(void *)cmd), 0);
}

static void vfio_ap_test_over_provisioning(struct kunit *test)
{
	struct vfio_ap_mdev *m = vfio_ap_test_mdev(test, "over");

	vfio_ap_test_defer_sim(test, "remove-adapter 9");
	vfio_ap_test_assign(test, m, VFIO_AP_ADAPTER, 9, 0);
	vfio_ap_test_assign(test, m, VFIO_AP_DOMAIN, 255, 0);
	KUNIT_ASSERT_EQ(test, vfio_ap_mdev_start_guest(m), 0);
	vfio_ap_test_expect_view(test, m, "", "255");
	vfio_ap_test_sim(test, "add-adapter 9 CEX7C");
	vfio_ap_test_expect_view(test, m, "9", "255");
	KUNIT_EXPECT_EQ(test, vfio_ap_test_updates(test, m), 1UL);
	vfio_ap_test_sim(test, "configure 9 off");
	vfio_ap_test_expect_view(test, m, "", "255");
	vfio_ap_test_sim(test, "configure 9 on");
	vfio_ap_test_expect_view(test, m, "9", "255");
	KUNIT_EXPECT_EQ(test, vfio_ap_test_updates(test, m), 3UL);
}

static void vfio_ap_test_old_types_never_bound(struct kunit *test)
{
	struct vfio_ap_mdev *m = vfio_ap_test_mdev(test, "cex3");
	struct ap_queue *q;

	vfio_ap_test_defer_sim(test, "remove-adapter 10");
	vfio_ap_test_sim(test, "add-adapter 10 CEX3C");
	q = ap_queue_get(ap_apqn(10, 4));
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_NULL(test, q->dev.driver);
	put_device(&q->dev);
	vfio_ap_test_assign(test, m, VFIO_AP_ADAPTER, 10, 0);
	vfio_ap_test_assign(test, m, VFIO_AP_DOMAIN, 4, 0);
	vfio_ap_test_expect_view(test, m, "", "4");
}

/* --- reset rules ------------------------------------------------------------- */

static void vfio_ap_test_leaving_queue_is_zeroized(struct kunit *test)
{
	struct vfio_ap_mdev *m = vfio_ap_test_mdev(test, "leave");
	struct ap_matrix cfg;

	vfio_ap_test_matrix(test, &cfg, "4", "4,71", "");
	KUNIT_ASSERT_EQ(test, vfio_ap_mdev_set_config(m, &cfg), 0);
	KUNIT_ASSERT_EQ(test, vfio_ap_mdev_start_guest(m), 0);
	KUNIT_EXPECT_EQ(test, vfio_ap_test_secret(0x0404, AP_SIM_OP_SET_SECRET,
						  11), 11ULL);
	KUNIT_EXPECT_EQ(test, vfio_ap_test_secret(0x0447, AP_SIM_OP_SET_SECRET,
						  22), 22ULL);
	vfio_ap_test_unassign(test, m, VFIO_AP_DOMAIN, 4);
	KUNIT_EXPECT_EQ(test, vfio_ap_test_secret(0x0404, AP_SIM_OP_GET_SECRET,
						  0), 0ULL);
	KUNIT_EXPECT_EQ(test, vfio_ap_test_secret(0x0447, AP_SIM_OP_GET_SECRET,
						  0), 22ULL);
	vfio_ap_mdev_reset(m);
	KUNIT_EXPECT_EQ(test, vfio_ap_test_secret(0x0447, AP_SIM_OP_GET_SECRET,
						  0), 0ULL);
	vfio_ap_test_expect_view(test, m, "4", "71");
}

static void vfio_ap_test_stop_zeroizes(struct kunit *test)
{
	struct vfio_ap_mdev *m = vfio_ap_test_mdev(test, "stop");
	struct ap_matrix cfg;

	vfio_ap_test_matrix(test, &cfg, "6", "255", "");
	KUNIT_ASSERT_EQ(test, vfio_ap_mdev_set_config(m, &cfg), 0);
	KUNIT_ASSERT_EQ(test, vfio_ap_mdev_start_guest(m), 0);
	vfio_ap_test_secret(0x06ff, AP_SIM_OP_SET_SECRET, 33);
	vfio_ap_mdev_stop_guest(m);
	KUNIT_EXPECT_EQ(test, vfio_ap_test_secret(0x06ff, AP_SIM_OP_GET_SECRET,
						  0), 0ULL);
}

/* Without a guest nothing can have touched a queue: no reset is needed. */
static void vfio_ap_test_no_guest_no_reset(struct kunit *test)
{
	struct vfio_ap_mdev *m = vfio_ap_test_mdev(test, "idle");
	struct ap_matrix cfg;

	vfio_ap_test_matrix(test, &cfg, "6", "171", "");
	KUNIT_ASSERT_EQ(test, vfio_ap_mdev_set_config(m, &cfg), 0);
	vfio_ap_test_secret(0x06ab, AP_SIM_OP_SET_SECRET, 44);
	vfio_ap_test_unassign(test, m, VFIO_AP_DOMAIN, 171);
	KUNIT_EXPECT_EQ(test, vfio_ap_test_secret(0x06ab, AP_SIM_OP_GET_SECRET,
						  0), 44ULL);
	vfio_ap_test_secret(0x06ab, AP_SIM_OP_SET_SECRET, 0);
}

/* --- migration streams ------------------------------------------------------ */

/* What a guest of @mdev has: its assignment, view and CRYCB. */
struct vfio_ap_test_state {
	struct ap_matrix assigned;
	struct ap_matrix view;
	struct ap_matrix crycb;
	unsigned long updates;
};

static void vfio_ap_test_state(struct kunit *test, struct vfio_ap_mdev *mdev,
			       struct vfio_ap_test_state *st)
{
	st->assigned = mdev->assigned;
	st->view = mdev->view;
	KUNIT_ASSERT_TRUE(test, vfio_ap_guest_crycb(mdev, &st->crycb,
						    &st->updates));
}

static void vfio_ap_test_expect_state(struct kunit *test,
				      struct vfio_ap_mdev *mdev,
				      const struct vfio_ap_test_state *was)
{
	struct vfio_ap_test_state now;

	vfio_ap_test_state(test, mdev, &now);
	KUNIT_EXPECT_TRUE(test, ap_matrix_equal(&now.assigned, &was->assigned));
	KUNIT_EXPECT_TRUE(test, ap_matrix_equal(&now.view, &was->view));
	KUNIT_EXPECT_TRUE(test, ap_matrix_equal(&now.crycb, &was->crycb));
	KUNIT_EXPECT_EQ(test, now.updates, was->updates);
}

static void vfio_ap_test_kvfree(void *buf)
{
	kvfree(buf);
}

/*
 * The stream of a guest with adapters 5 and 6, usage domain 0xab and
 * control domain 0x47, saved from an mdev that then gives them up.
 */
static u8 *vfio_ap_test_stream(struct kunit *test, size_t *len)
{
	struct vfio_ap_mdev *src = vfio_ap_test_mdev(test, "mig-source");
	struct ap_matrix cfg, none;
	u8 *buf;

	vfio_ap_test_matrix(test, &cfg, "5-6", "171", "71");
	KUNIT_ASSERT_EQ(test, vfio_ap_mdev_set_config(src, &cfg), 0);
	KUNIT_ASSERT_EQ(test, vfio_ap_mdev_start_guest(src), 0);
	KUNIT_ASSERT_EQ(test, vfio_ap_mig_describe(src, &buf, len), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							vfio_ap_test_kvfree,
							buf), 0);
	vfio_ap_mdev_stop_guest(src);
	ap_matrix_clear(&none);
	KUNIT_ASSERT_EQ(test, vfio_ap_mdev_set_config(src, &none), 0);
	return buf;
}

/*
 * The holder of a device file cannot widen its mdev's assignment with a
 * stream: every adapter, usage domain and control domain the stream
 * names must be assigned already (EPERM), and nothing changes.
 */
static void vfio_ap_test_mig_within_assignment(struct kunit *test)
{
	struct vfio_ap_mdev *m = vfio_ap_test_mdev(test, "mig-dest");
	struct vfio_ap_test_state was;
	struct ap_queue *q;
	struct ap_matrix cfg;
	bool grown = true;
	size_t len;
	u8 *buf;

	buf = vfio_ap_test_stream(test, &len);
	/* The attack: B has 05.00ab only. */
	vfio_ap_test_matrix(test, &cfg, "5", "171", "");
	KUNIT_ASSERT_EQ(test, vfio_ap_mdev_set_config(m, &cfg), 0);
	KUNIT_ASSERT_EQ(test, vfio_ap_mdev_start_guest(m), 0);
	vfio_ap_test_state(test, m, &was);
	KUNIT_EXPECT_EQ(test, vfio_ap_mig_resume(m, buf, len, &grown), -EPERM);
	vfio_ap_test_expect_state(test, m, &was);
	KUNIT_EXPECT_FALSE(test, grown);
	q = ap_queue_get(ap_apqn(6, 0xab));
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_STREQ(test, vfio_ap_queue_status(q), "unassigned");
	put_device(&q->dev);

	/* Both adapters, but not the control domain. */
	vfio_ap_test_assign(test, m, VFIO_AP_ADAPTER, 6, 0);
	vfio_ap_test_state(test, m, &was);
	KUNIT_EXPECT_EQ(test, vfio_ap_mig_resume(m, buf, len, &grown), -EPERM);
	vfio_ap_test_expect_state(test, m, &was);
	vfio_ap_test_expect_assigned(test, m, "5-6", "171", "");

	/* The control domain, but a usage domain less. */
	vfio_ap_test_assign(test, m, VFIO_AP_CONTROL_DOMAIN, 71, 0);
	vfio_ap_test_unassign(test, m, VFIO_AP_DOMAIN, 171);
	vfio_ap_test_state(test, m, &was);
	KUNIT_EXPECT_EQ(test, vfio_ap_mig_resume(m, buf, len, &grown), -EPERM);
	vfio_ap_test_expect_state(test, m, &was);
}

/*
 * Assigned all it names, the stream is taken and the assignment stays
 * what it was, larger than the stream's: the guest has more here.
 */
static void vfio_ap_test_mig_larger_assignment(struct kunit *test)
{
	struct vfio_ap_mdev *m = vfio_ap_test_mdev(test, "mig-larger");
	struct vfio_ap_test_state was;
	struct ap_matrix cfg;
	bool grown = false;
	size_t len;
	u8 *buf;

	buf = vfio_ap_test_stream(test, &len);
	vfio_ap_test_matrix(test, &cfg, "5-6", "171,255", "4,71");
	KUNIT_ASSERT_EQ(test, vfio_ap_mdev_set_config(m, &cfg), 0);
	KUNIT_ASSERT_EQ(test, vfio_ap_mdev_start_guest(m), 0);
	vfio_ap_test_state(test, m, &was);
	KUNIT_EXPECT_EQ(test, vfio_ap_mig_resume(m, buf, len, &grown), 0);
	KUNIT_EXPECT_TRUE(test, grown);
	vfio_ap_test_expect_state(test, m, &was);
	vfio_ap_test_expect_assigned(test, m, "5-6", "171,255", "4,71");
	vfio_ap_test_expect_view(test, m, "5-6", "171,255");

	/* Exactly the stream's: nothing more to tell the guest. */
	vfio_ap_test_unassign(test, m, VFIO_AP_DOMAIN, 255);
	vfio_ap_test_unassign(test, m, VFIO_AP_CONTROL_DOMAIN, 4);
	KUNIT_EXPECT_EQ(test, vfio_ap_mig_resume(m, buf, len, &grown), 0);
	KUNIT_EXPECT_FALSE(test, grown);
	vfio_ap_test_expect_assigned(test, m, "5-6", "171", "71");
}

static struct kunit_case vfio_ap_mdev_test_cases[] = {
	KUNIT_CASE(vfio_ap_test_id_above_max_is_enodev),
	KUNIT_CASE(vfio_ap_test_reserved_is_eaddrnotavail),
	KUNIT_CASE(vfio_ap_test_taken_is_eaddrinuse),
	KUNIT_CASE(vfio_ap_test_repeat_is_no_op),
	KUNIT_CASE(vfio_ap_test_control_domains_shared),
	KUNIT_CASE(vfio_ap_test_config_all_or_nothing),
	KUNIT_CASE(vfio_ap_test_in_use),
	KUNIT_CASE(vfio_ap_test_seed_guest1_view),
	KUNIT_CASE(vfio_ap_test_one_push_per_event),
	KUNIT_CASE(vfio_ap_test_unbound_queue_drops_adapter),
	KUNIT_CASE(vfio_ap_test_over_provisioning),
	KUNIT_CASE(vfio_ap_test_old_types_never_bound),
	KUNIT_CASE(vfio_ap_test_leaving_queue_is_zeroized),
	KUNIT_CASE(vfio_ap_test_stop_zeroizes),
	KUNIT_CASE(vfio_ap_test_no_guest_no_reset),
	KUNIT_CASE(vfio_ap_test_mig_within_assignment),
	KUNIT_CASE(vfio_ap_test_mig_larger_assignment),
	{}
};

static struct kunit_suite vfio_ap_mdev_test_suite = {
	.name = "vfio_ap_mdev",
	.suite_init = vfio_ap_test_suite_init,
	.suite_exit = vfio_ap_test_suite_exit,
	.test_cases = vfio_ap_mdev_test_cases,
};

kunit_test_suite(vfio_ap_mdev_test_suite);

MODULE_DESCRIPTION("KUnit tests of vfio_ap over the simulated AP facility");
MODULE_LICENSE("GPL");
