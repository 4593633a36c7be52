// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the AP bus over the simulated facility: the mask commit
 * protocol (veto, no-op, atomicity), the ownership of queues, scans and
 * the configuration callbacks, and queue resets.
 *
 * The suite runs with ap, ap_sim (the specification's example LPAR:
 * adapters 4-6, domains 4, 71, 171, 255) and ap_host loaded. A test
 * driver that binds nothing observes the bus through its callbacks. Every
 * test puts the masks and the machine back as it found them.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/string.h>
#include <ap/bus.h>
#include <ap/sim.h>

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

static const char ap_bus_test_ones[] =
	"0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
static const char ap_bus_test_zeros[] =
	"0x0000000000000000000000000000000000000000000000000000000000000000";
/* The specification's "Changing ownership of APQNs" masks. */
static const char ap_bus_test_seed_apmask[] =
	"0x7000000000000000000000000000000000000000000000000000000000000000";
static const char ap_bus_test_seed_aqmask[] =
	"0x0c00000000000000000000000000000000000000000000000000000000000000";
static const char ap_bus_test_seed_aqmask_8[] =
	"0x0c80000000000000000000000000000000000000000000000000000000000000";

/**
 * struct ap_bus_test_probe - what the test driver saw
 * @veto: in_use() answers true
 * @assigned: if set, in_use() answers whether it meets this matrix
 * @in_use_calls: in_use() calls
 * @gained: the queues of the last in_use() call
 * @changed_calls: on_config_changed() calls
 * @complete_calls: on_scan_complete() calls
 * @old: old configuration of the last on_config_changed()
 * @new: new configuration of the last on_config_changed()
 */
struct ap_bus_test_probe {
	bool veto;
	const struct ap_matrix *assigned;
	unsigned int in_use_calls;
	struct ap_matrix gained;
	unsigned int changed_calls;
	unsigned int complete_calls;
	struct ap_matrix old;
	struct ap_matrix new;
};

static struct ap_bus_test_probe ap_bus_test_probe;

static bool ap_bus_test_in_use(const struct ap_matrix *reserved)
{
	struct ap_bus_test_probe *p = &ap_bus_test_probe;

	p->in_use_calls++;
	p->gained = *reserved;
	if (p->assigned)
		return ap_matrix_intersects(p->assigned, reserved);
	return p->veto;
}

static void ap_bus_test_config_changed(const struct ap_matrix *old,
				       const struct ap_matrix *new)
{
	ap_bus_test_probe.changed_calls++;
	ap_bus_test_probe.old = *old;
	ap_bus_test_probe.new = *new;
}

static void ap_bus_test_scan_complete(const struct ap_matrix *old,
				      const struct ap_matrix *new)
{
	ap_bus_test_probe.complete_calls++;
}

static int ap_bus_test_probe_dev(struct device *dev)
{
	return -ENODEV;
}

/* Binds no device: its type range is empty. */
static struct ap_driver ap_bus_test_driver = {
	.driver.name = "ap_bus_kunit",
	.kind = AP_DRIVER_QUEUE,
	.min_type = 255,
	.max_type = 0,
	.probe = ap_bus_test_probe_dev,
	.in_use = ap_bus_test_in_use,
	.on_config_changed = ap_bus_test_config_changed,
	.on_scan_complete = ap_bus_test_scan_complete,
};

static void ap_bus_test_restore_masks(void *unused)
{
	ap_bus_test_probe.veto = false;
	ap_bus_test_probe.assigned = NULL;
	ap_perms_store_mask(true, ap_bus_test_ones, strlen(ap_bus_test_ones));
	ap_perms_store_mask(false, ap_bus_test_ones, strlen(ap_bus_test_ones));
}

static int ap_bus_test_init(struct kunit *test)
{
	memset(&ap_bus_test_probe, 0, sizeof(ap_bus_test_probe));
	return kunit_add_action_or_reset(test, ap_bus_test_restore_masks, NULL);
}

static int ap_bus_test_suite_init(struct kunit_suite *suite)
{
	return ap_driver_register(&ap_bus_test_driver);
}

static void ap_bus_test_suite_exit(struct kunit_suite *suite)
{
	ap_driver_unregister(&ap_bus_test_driver);
}

/* Write a mask as sysfs does; expect @rc (0 meaning the whole count). */
static void ap_bus_test_write(struct kunit *test, bool apmask,
			      const char *text, int rc)
{
	ssize_t got = ap_perms_store_mask(apmask, text, strlen(text));

	KUNIT_EXPECT_EQ_MSG(test, got, rc ? (ssize_t)rc : (ssize_t)strlen(text),
			    "writing %s to %s", text,
			    apmask ? "apmask" : "aqmask");
}

static void ap_bus_test_expect_mask(struct kunit *test, bool apmask,
				    const char *want)
{
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	ap_perms_show_mask(apmask, buf);
	KUNIT_EXPECT_STREQ(test, strim(buf), want);
}

static void ap_bus_test_mask_unchanged_is_no_op(struct kunit *test)
{
	ap_bus_test_probe.veto = true;
	ap_bus_test_write(test, true, ap_bus_test_ones, 0);
	ap_bus_test_write(test, false, "+5", 0);
	KUNIT_EXPECT_EQ(test, ap_bus_test_probe.in_use_calls, 0U);
}

static void ap_bus_test_mask_clearing_is_never_vetoed(struct kunit *test)
{
	ap_bus_test_probe.veto = true;
	ap_bus_test_write(test, false, "-200", 0);
	ap_bus_test_write(test, true, "0x0", 0);
	KUNIT_EXPECT_EQ(test, ap_bus_test_probe.in_use_calls, 0U);
	ap_bus_test_expect_mask(test, true, ap_bus_test_zeros);
}

/* Setting bits asks the drivers about exactly the queues gained. */
static void ap_bus_test_mask_set_asks_gained(struct kunit *test)
{
	struct ap_matrix want;

	ap_bus_test_write(test, false, "-8,-9", 0);
	ap_bus_test_probe.veto = true;
	ap_bus_test_write(test, false, "+8,+9", -EADDRINUSE);
	KUNIT_EXPECT_EQ(test, ap_bus_test_probe.in_use_calls, 1U);
	ap_matrix_clear(&want);
	bitmap_fill(want.apm, AP_IDS);
	__set_bit(8, want.aqm);
	__set_bit(9, want.aqm);
	KUNIT_EXPECT_TRUE(test, ap_matrix_equal(&ap_bus_test_probe.gained,
						&want));
	ap_bus_test_expect_mask(test, false,
				"0xff3fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
}

static void ap_bus_test_mask_veto_on_apmask(struct kunit *test)
{
	ap_bus_test_write(test, true, "0x0", 0);
	ap_bus_test_write(test, false, "0x0f", 0);
	ap_bus_test_probe.veto = true;
	ap_bus_test_write(test, true, "+3", -EADDRINUSE);
	KUNIT_EXPECT_TRUE(test, test_bit(3, ap_bus_test_probe.gained.apm));
	KUNIT_EXPECT_EQ(test, bitmap_weight(ap_bus_test_probe.gained.apm,
					    AP_IDS), 1U);
	KUNIT_EXPECT_EQ(test, bitmap_weight(ap_bus_test_probe.gained.aqm,
					    AP_IDS), 4U);
	ap_bus_test_expect_mask(test, true, ap_bus_test_zeros);
}

static void ap_bus_test_mask_malformed_changes_nothing(struct kunit *test)
{
	ap_bus_test_write(test, true, "0x12", 0);
	ap_bus_test_write(test, true, "+1,+2,+256", -EINVAL);
	ap_bus_test_write(test, true, "0xz", -EINVAL);
	ap_bus_test_write(test, true, "", -EINVAL);
	ap_bus_test_expect_mask(test, true,
				"0x1200000000000000000000000000000000000000000000000000000000000000");
	KUNIT_EXPECT_EQ(test, ap_bus_test_probe.in_use_calls, 0U);
}

/* The specification's "Changing ownership of APQNs" example. */
static void ap_bus_test_mask_seed_ownership(struct kunit *test)
{
	struct ap_matrix mdev;

	ap_matrix_clear(&mdev);
	bitmap_set(mdev.apm, 1, 3);
	bitmap_set(mdev.aqm, 6, 2);
	ap_bus_test_write(test, true, ap_bus_test_seed_apmask, 0);
	ap_bus_test_write(test, false, ap_bus_test_seed_aqmask, 0);
	ap_bus_test_probe.assigned = &mdev;
	ap_bus_test_write(test, false, "+8", 0);
	ap_bus_test_expect_mask(test, false, ap_bus_test_seed_aqmask_8);
	ap_bus_test_write(test, false, "+7", -EADDRINUSE);
	ap_bus_test_expect_mask(test, false, ap_bus_test_seed_aqmask_8);
}

/* Queues follow the masks: reserved ones to the host driver only. */
static void ap_bus_test_ownership_follows_masks(struct kunit *test)
{
	struct ap_queue *q = ap_queue_get(ap_apqn(5, 0x47));

	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_STREQ(test, q->dev.driver->name, "cex4queue");
	KUNIT_EXPECT_TRUE(test, ap_perms_apqn_reserved(q->apqn));
	ap_bus_test_write(test, false, "-0x47", 0);
	KUNIT_EXPECT_FALSE(test, ap_perms_apqn_reserved(q->apqn));
	/* Unbound, or bound to a non-default driver (vfio_ap). */
	KUNIT_EXPECT_TRUE(test, !q->dev.driver ||
			  strcmp(q->dev.driver->name, "cex4queue"));
	ap_bus_test_write(test, false, "+0x47", 0);
	KUNIT_EXPECT_NOT_NULL(test, q->dev.driver);
	put_device(&q->dev);
}

static bool ap_bus_test_host_owns(struct kunit *test, unsigned int apid,
				  unsigned int apqi)
{
	struct ap_queue *q = ap_queue_get(ap_apqn(apid, apqi));
	bool host;

	KUNIT_ASSERT_NOT_NULL(test, q);
	scoped_guard(device, &q->dev)
		host = q->dev.driver &&
		       !strcmp(q->dev.driver->name, "cex4queue");
	put_device(&q->dev);
	return host;
}

/* An apmask change moves every queue of the adapter, and only those. */
static void ap_bus_test_apmask_moves_its_adapter(struct kunit *test)
{
	static const unsigned int apqis[] = { 4, 0x47, 0xab, 0xff };
	unsigned int apid, i;

	ap_bus_test_write(test, true, "-5", 0);
	for (apid = 4; apid <= 6; apid++)
		for (i = 0; i < ARRAY_SIZE(apqis); i++)
			KUNIT_EXPECT_EQ_MSG(test,
					    ap_bus_test_host_owns(test, apid, apqis[i]),
					    apid != 5, "%02x.%04x", apid, apqis[i]);
	ap_bus_test_write(test, true, "+5", 0);
	for (i = 0; i < ARRAY_SIZE(apqis); i++)
		KUNIT_EXPECT_TRUE(test, ap_bus_test_host_owns(test, 5, apqis[i]));
}

/* The queue index answers for queues that exist, and only for them. */
static void ap_bus_test_queue_lookup(struct kunit *test)
{
	struct ap_queue *q;

	q = ap_queue_get(ap_apqn(6, 0xab));
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_EQ(test, q->apqn, ap_apqn(6, 0xab));
	KUNIT_EXPECT_STREQ(test, dev_name(&q->dev), "06.00ab");
	put_device(&q->dev);
	KUNIT_EXPECT_NULL(test, ap_queue_get(ap_apqn(7, 4)));
	KUNIT_EXPECT_NULL(test, ap_queue_get(ap_apqn(4, 5)));
	KUNIT_EXPECT_NULL(test, ap_queue_get(ap_apqn(0, 0)));
}

static void ap_bus_test_sim(struct kunit *test, const char *cmd)
{
	KUNIT_ASSERT_EQ_MSG(test, ap_sim_command(cmd, strlen(cmd)), 0, "%s",
			    cmd);
}

static void ap_bus_test_configure_off_on(struct kunit *test)
{
	struct ap_matrix cfg;

	ap_bus_test_sim(test, "configure 5 off");
	KUNIT_EXPECT_EQ(test, ap_bus_test_probe.changed_calls, 1U);
	KUNIT_EXPECT_EQ(test, ap_bus_test_probe.complete_calls, 1U);
	KUNIT_EXPECT_TRUE(test, test_bit(5, ap_bus_test_probe.old.apm));
	KUNIT_EXPECT_FALSE(test, test_bit(5, ap_bus_test_probe.new.apm));
	ap_bus_get_config(&cfg, NULL);
	KUNIT_EXPECT_TRUE(test, ap_matrix_equal(&cfg, &ap_bus_test_probe.new));
	ap_bus_test_sim(test, "configure 5 on");
	KUNIT_EXPECT_TRUE(test, test_bit(5, ap_bus_test_probe.new.apm));
	KUNIT_EXPECT_EQ(test, ap_bus_test_probe.changed_calls, 2U);
}

static void ap_bus_test_domain_removed_and_added(struct kunit *test)
{
	struct ap_queue *q;

	ap_bus_test_sim(test, "remove-domain 171");
	KUNIT_EXPECT_TRUE(test, test_bit(171, ap_bus_test_probe.old.aqm));
	KUNIT_EXPECT_FALSE(test, test_bit(171, ap_bus_test_probe.new.aqm));
	q = ap_queue_get(ap_apqn(4, 171));
	KUNIT_EXPECT_NULL(test, q);
	if (q)
		put_device(&q->dev);
	ap_bus_test_sim(test, "add-domain 171");
	q = ap_queue_get(ap_apqn(4, 171));
	KUNIT_EXPECT_NOT_NULL(test, q);
	if (q)
		put_device(&q->dev);
	KUNIT_EXPECT_EQ(test, ap_bus_test_probe.complete_calls, 2U);
}

static void ap_bus_test_control_domain_change(struct kunit *test)
{
	ap_bus_test_sim(test, "add-control-domain 9");
	KUNIT_EXPECT_TRUE(test, test_bit(9, ap_bus_test_probe.new.adm));
	KUNIT_EXPECT_FALSE(test, test_bit(9, ap_bus_test_probe.new.aqm));
	ap_bus_test_sim(test, "remove-control-domain 9");
	KUNIT_EXPECT_FALSE(test, test_bit(9, ap_bus_test_probe.new.adm));
}

static void ap_bus_test_rescan_without_change(struct kunit *test)
{
	ap_bus_rescan();
	KUNIT_EXPECT_EQ(test, ap_bus_test_probe.changed_calls, 0U);
	KUNIT_EXPECT_EQ(test, ap_bus_test_probe.complete_calls, 0U);
}

static void ap_bus_test_restore_latency(void *unused)
{
	ap_sim_command("latency all 0", 13);
}

static int ap_bus_test_defer_latency_reset(struct kunit *test)
{
	return kunit_add_action_or_reset(test, ap_bus_test_restore_latency,
					 NULL);
}

static void ap_bus_test_reset_waits(struct kunit *test)
{
	struct ap_queue *q = ap_queue_get(ap_apqn(6, 0xff));

	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_ASSERT_EQ(test, ap_bus_test_defer_latency_reset(test), 0);
	ap_bus_test_sim(test, "latency 06.00ff 100");
	ap_queue_reset(q, true, AP_RESET_USER);
	KUNIT_EXPECT_TRUE(test, ap_queue_reset_busy(q));
	KUNIT_EXPECT_EQ(test, ap_queue_reset_wait(q), AP_HW_RC_NORMAL);
	KUNIT_EXPECT_FALSE(test, ap_queue_reset_busy(q));
	put_device(&q->dev);
}

/* A reset answered "busy" is issued again once the queue settles. */
static void ap_bus_test_reset_busy_is_reissued(struct kunit *test)
{
	struct ap_queue *q = ap_queue_get(ap_apqn(6, 0xff));
	struct ap_sim_msg msg = { AP_SIM_MSG_MAGIC, AP_SIM_OP_SET_SECRET, 42 };
	size_t len = sizeof(msg);
	u64 psmid;

	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_EQ(test, ap_hw_nqap(q->apqn, 1, &msg, len).rc, 0);
	KUNIT_EXPECT_EQ(test, ap_hw_dqap(q->apqn, &psmid, &msg, &len).rc, 0);
	ap_bus_test_sim(test, "inject 06.00ff reset 5");
	ap_queue_reset(q, true, AP_RESET_USER);
	KUNIT_EXPECT_EQ(test, ap_queue_reset_wait(q), AP_HW_RC_NORMAL);
	msg.op = AP_SIM_OP_GET_SECRET;
	len = sizeof(msg);
	KUNIT_EXPECT_EQ(test, ap_hw_nqap(q->apqn, 2, &msg, len).rc, 0);
	KUNIT_EXPECT_EQ(test, ap_hw_dqap(q->apqn, &psmid, &msg, &len).rc, 0);
	KUNIT_EXPECT_EQ(test, msg.value, 0ULL);
	put_device(&q->dev);
}

/* A reset that never completes keeps waiters waiting, not failing. */
static void ap_bus_test_reset_never_completes(struct kunit *test)
{
	struct ap_queue *q = ap_queue_get(ap_apqn(4, 4));

	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_ASSERT_EQ(test, ap_bus_test_defer_latency_reset(test), 0);
	ap_bus_test_sim(test, "latency 04.0004 never");
	ap_queue_reset(q, false, AP_RESET_USER);
	msleep(100);
	KUNIT_EXPECT_TRUE(test, ap_queue_reset_busy(q));
	ap_bus_test_sim(test, "latency 04.0004 0");
	KUNIT_EXPECT_EQ(test, ap_queue_reset_wait(q), AP_HW_RC_NORMAL);
	put_device(&q->dev);
}

static void ap_bus_test_reset_of_deconfigured_queue(struct kunit *test)
{
	struct ap_queue *q = ap_queue_get(ap_apqn(4, 71));

	KUNIT_ASSERT_NOT_NULL(test, q);
	ap_bus_test_sim(test, "configure 4 off");
	ap_queue_reset(q, true, AP_RESET_USER);
	KUNIT_EXPECT_EQ(test, ap_queue_reset_wait(q), AP_HW_RC_DECONFIGURED);
	ap_bus_test_sim(test, "configure 4 on");
	put_device(&q->dev);
}

/*
 * With the simulator loaded, it provides the instructions: on s390 under
 * qemu's TCG CPU model (no AP facility) the real backend stood down
 * without faulting.
 */
static void ap_bus_test_backend_is_the_simulator(struct kunit *test)
{
	char name[64];

	ap_hw_backend_name(name, sizeof(name));
	KUNIT_EXPECT_STREQ(test, name, "the simulated AP facility");
	KUNIT_EXPECT_TRUE(test, ap_hw_present());
}

static struct kunit_case ap_bus_test_cases[] = {
	KUNIT_CASE(ap_bus_test_backend_is_the_simulator),
	KUNIT_CASE(ap_bus_test_mask_unchanged_is_no_op),
	KUNIT_CASE(ap_bus_test_mask_clearing_is_never_vetoed),
	KUNIT_CASE(ap_bus_test_mask_set_asks_gained),
	KUNIT_CASE(ap_bus_test_mask_veto_on_apmask),
	KUNIT_CASE(ap_bus_test_mask_malformed_changes_nothing),
	KUNIT_CASE(ap_bus_test_mask_seed_ownership),
	KUNIT_CASE(ap_bus_test_ownership_follows_masks),
	KUNIT_CASE(ap_bus_test_apmask_moves_its_adapter),
	KUNIT_CASE(ap_bus_test_queue_lookup),
	KUNIT_CASE(ap_bus_test_configure_off_on),
	KUNIT_CASE(ap_bus_test_domain_removed_and_added),
	KUNIT_CASE(ap_bus_test_control_domain_change),
	KUNIT_CASE(ap_bus_test_rescan_without_change),
	KUNIT_CASE(ap_bus_test_reset_waits),
	KUNIT_CASE(ap_bus_test_reset_busy_is_reissued),
	KUNIT_CASE(ap_bus_test_reset_never_completes),
	KUNIT_CASE(ap_bus_test_reset_of_deconfigured_queue),
	{}
};

static struct kunit_suite ap_bus_test_suite = {
	.name = "ap_bus",
	.init = ap_bus_test_init,
	.suite_init = ap_bus_test_suite_init,
	.suite_exit = ap_bus_test_suite_exit,
	.test_cases = ap_bus_test_cases,
};

kunit_test_suite(ap_bus_test_suite);

MODULE_DESCRIPTION("KUnit tests of the AP bus over the simulated facility");
MODULE_LICENSE("GPL");
