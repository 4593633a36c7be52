// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the simulated AP facility's state machine, through the
 * AP instruction wrappers the bus uses, and of its command interface.
 *
 * The suite runs with the specification's example LPAR loaded (adapters
 * 4-6, domains 4, 71, 171, 255). Every test undoes its changes.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/string.h>
#include <ap/hw.h>
#include <ap/sim.h>

static int ap_sim_test_cmd(const char *cmd)
{
	return ap_sim_command(cmd, strlen(cmd));
}

static void ap_sim_test_run(struct kunit *test, const char *cmd)
{
	KUNIT_ASSERT_EQ_MSG(test, ap_sim_test_cmd(cmd), 0, "%s", cmd);
}

/* Commands run at the end of a test to undo what it did. */
static void ap_sim_test_undo(void *cmd)
{
	ap_sim_test_cmd(cmd);
}

static void ap_sim_test_defer(struct kunit *test, const char *cmd)
{
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ap_sim_test_undo,
							(void *)cmd), 0);
}

static u8 ap_sim_test_tapq(apqn_t apqn, struct ap_hw_queue_info *info)
{
	return ap_hw_tapq(apqn, info).rc;
}

static u8 ap_sim_test_send(apqn_t apqn, u32 op, u64 value, u64 *reply)
{
	struct ap_sim_msg msg = { AP_SIM_MSG_MAGIC, op, value };
	size_t len = sizeof(msg);
	struct ap_hw_status st;
	u64 psmid;

	st = ap_hw_nqap(apqn, 7, &msg, len);
	if (st.rc)
		return st.rc;
	st = ap_hw_dqap(apqn, &psmid, &msg, &len);
	*reply = msg.value;
	return st.rc ?: (psmid == 7 ? 0 : 0xff);
}

static u64 ap_sim_test_secret(struct kunit *test, apqn_t apqn)
{
	u64 secret = ~0ULL;

	KUNIT_EXPECT_EQ(test, ap_sim_test_send(apqn, AP_SIM_OP_GET_SECRET, 0,
					       &secret), 0);
	return secret;
}

static void ap_sim_test_qci_is_seed_lpar(struct kunit *test)
{
	struct ap_hw_config cfg;

	KUNIT_ASSERT_EQ(test, ap_hw_qci(&cfg), 0);
	KUNIT_EXPECT_EQ(test, bitmap_weight(cfg.masks.apm, AP_IDS), 3U);
	KUNIT_EXPECT_TRUE(test, test_bit(4, cfg.masks.apm) &&
			  test_bit(5, cfg.masks.apm) && test_bit(6, cfg.masks.apm));
	KUNIT_EXPECT_EQ(test, bitmap_weight(cfg.masks.aqm, AP_IDS), 4U);
	KUNIT_EXPECT_TRUE(test, test_bit(71, cfg.masks.aqm) &&
			  test_bit(171, cfg.masks.aqm) && test_bit(255, cfg.masks.aqm));
	KUNIT_EXPECT_TRUE(test, bitmap_equal(cfg.masks.aqm, cfg.masks.adm,
					     AP_IDS));
	KUNIT_EXPECT_EQ(test, cfg.limits.max_apid, 255U);
	KUNIT_EXPECT_EQ(test, cfg.limits.max_apqi, 255U);
	KUNIT_EXPECT_TRUE(test, cfg.flags & AP_HW_QCI_APXA);
}

/* The queue modes of the specification's guest tables. */
static void ap_sim_test_tapq_types_and_modes(struct kunit *test)
{
	static const struct { apqn_t apqn; u32 mode; } rows[] = {
		{ 0x0504, AP_HW_FUNC_CCA }, { 0x05ab, AP_HW_FUNC_CCA },
		{ 0x0547, AP_HW_FUNC_ACCEL }, { 0x05ff, AP_HW_FUNC_ACCEL },
		{ 0x0604, AP_HW_FUNC_ACCEL }, { 0x06ab, AP_HW_FUNC_CCA },
		{ 0x0647, AP_HW_FUNC_ACCEL }, { 0x06ff, AP_HW_FUNC_ACCEL },
	};
	struct ap_hw_queue_info info;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		KUNIT_EXPECT_EQ(test, ap_sim_test_tapq(rows[i].apqn, &info), 0);
		KUNIT_EXPECT_EQ(test, info.type, AP_HW_TYPE_CEX5);
		KUNIT_EXPECT_EQ_MSG(test, info.functions & AP_HW_FUNC_MODES,
				    rows[i].mode, "queue %04x", rows[i].apqn);
	}
}

static void ap_sim_test_tapq_outside_lpar(struct kunit *test)
{
	struct ap_hw_queue_info info;

	KUNIT_EXPECT_EQ(test, ap_sim_test_tapq(ap_apqn(5, 5), &info),
			AP_HW_RC_Q_NOT_AVAIL);
	KUNIT_EXPECT_EQ(test, ap_sim_test_tapq(ap_apqn(7, 4), &info),
			AP_HW_RC_Q_NOT_AVAIL);
}

static void ap_sim_test_standby_and_checkstop(struct kunit *test)
{
	struct ap_hw_queue_info info;

	ap_sim_test_defer(test, "configure 6 on");
	ap_sim_test_defer(test, "checkstop 6 off");
	ap_sim_test_run(test, "configure 6 off");
	KUNIT_EXPECT_EQ(test, ap_sim_test_tapq(0x0604, &info),
			AP_HW_RC_DECONFIGURED);
	KUNIT_EXPECT_EQ(test, info.type, AP_HW_TYPE_CEX5);
	ap_sim_test_run(test, "checkstop 6 on");
	KUNIT_EXPECT_EQ(test, ap_sim_test_tapq(0x0604, &info),
			AP_HW_RC_CHECKSTOPPED);
	KUNIT_EXPECT_EQ(test, ap_hw_reset(0x0604, true).rc,
			AP_HW_RC_CHECKSTOPPED);
}

static void ap_sim_test_reset_takes_its_time(struct kunit *test)
{
	struct ap_hw_queue_info info;

	ap_sim_test_defer(test, "latency 05.00ab 0");
	ap_sim_test_run(test, "latency 05.00ab 60");
	KUNIT_EXPECT_EQ(test, ap_hw_reset(0x05ab, false).rc, 0);
	KUNIT_EXPECT_EQ(test, ap_sim_test_tapq(0x05ab, &info),
			AP_HW_RC_RESET_IN_PROGRESS);
	msleep(100);
	KUNIT_EXPECT_EQ(test, ap_sim_test_tapq(0x05ab, &info), 0);
}

static void ap_sim_test_reset_never_completes(struct kunit *test)
{
	struct ap_hw_queue_info info;

	ap_sim_test_defer(test, "latency 05.00ab 0");
	ap_sim_test_run(test, "latency 05.00ab never");
	KUNIT_EXPECT_EQ(test, ap_hw_reset(0x05ab, false).rc, 0);
	msleep(30);
	KUNIT_EXPECT_EQ(test, ap_sim_test_tapq(0x05ab, &info),
			AP_HW_RC_RESET_IN_PROGRESS);
	ap_sim_test_run(test, "latency 05.00ab 0");
	KUNIT_EXPECT_EQ(test, ap_sim_test_tapq(0x05ab, &info), 0);
}

/* Only a zeroizing reset clears the secret. */
static void ap_sim_test_secret_cleared_only_by_zapq(struct kunit *test)
{
	u64 reply;

	KUNIT_EXPECT_EQ(test, ap_sim_test_send(0x0647, AP_SIM_OP_SET_SECRET,
					       0x5ec2e7, &reply), 0);
	KUNIT_EXPECT_EQ(test, reply, 0x5ec2e7ULL);
	KUNIT_EXPECT_EQ(test, ap_hw_reset(0x0647, false).rc, 0);
	KUNIT_EXPECT_EQ(test, ap_sim_test_secret(test, 0x0647), 0x5ec2e7ULL);
	KUNIT_EXPECT_EQ(test, ap_hw_reset(0x0647, true).rc, 0);
	KUNIT_EXPECT_EQ(test, ap_sim_test_secret(test, 0x0647), 0ULL);
}

/* An adapter coming back online was reset: its secrets are gone. */
static void ap_sim_test_config_on_zeroizes(struct kunit *test)
{
	u64 reply;

	ap_sim_test_defer(test, "configure 6 on");
	KUNIT_EXPECT_EQ(test, ap_sim_test_send(0x06ff, AP_SIM_OP_SET_SECRET,
					       99, &reply), 0);
	ap_sim_test_run(test, "configure 6 off");
	KUNIT_EXPECT_EQ(test, ap_sim_test_send(0x06ff, AP_SIM_OP_GET_SECRET, 0,
					       &reply), AP_HW_RC_DECONFIGURED);
	ap_sim_test_run(test, "configure 6 on");
	KUNIT_EXPECT_EQ(test, ap_sim_test_secret(test, 0x06ff), 0ULL);
}

static void ap_sim_test_inject_is_one_shot(struct kunit *test)
{
	struct ap_hw_queue_info info;

	ap_sim_test_run(test, "inject 04.00ff tapq 0x42");
	KUNIT_EXPECT_EQ(test, ap_sim_test_tapq(0x04ff, &info), 0x42);
	KUNIT_EXPECT_EQ(test, ap_sim_test_tapq(0x04ff, &info), 0);
	ap_sim_test_run(test, "inject 04.00ff reset 5");
	KUNIT_EXPECT_EQ(test, ap_hw_reset(0x04ff, true).rc, AP_HW_RC_BUSY);
	KUNIT_EXPECT_EQ(test, ap_hw_reset(0x04ff, true).rc, 0);
}

static void ap_sim_test_interrupts(struct kunit *test)
{
	struct ap_hw_queue_info info;

	KUNIT_EXPECT_EQ(test, ap_hw_aqic(0x0404, true, 3).rc, 0);
	KUNIT_EXPECT_TRUE(test, ap_hw_tapq(0x0404, &info).irq_enabled);
	KUNIT_EXPECT_EQ(test, ap_hw_aqic(0x0404, false, 0).rc, 0);
	KUNIT_EXPECT_FALSE(test, ap_hw_tapq(0x0404, &info).irq_enabled);
	KUNIT_EXPECT_EQ(test, ap_hw_aqic(0x0404, true, 3).rc, 0);
	KUNIT_EXPECT_EQ(test, ap_hw_reset(0x0404, false).rc, 0);
	KUNIT_EXPECT_FALSE(test, ap_hw_tapq(0x0404, &info).irq_enabled);
	KUNIT_EXPECT_EQ(test, ap_hw_aqic(0x0404, true, 3).rc, 0);
}

static void ap_sim_test_request_protocol(struct kunit *test)
{
	struct ap_sim_msg msg = { AP_SIM_MSG_MAGIC, AP_SIM_OP_GET_SECRET, 0 };
	struct ap_hw_queue_info info;
	size_t len = sizeof(msg);
	unsigned int i;
	u64 psmid;

	KUNIT_EXPECT_EQ(test, ap_hw_dqap(0x04ab, &psmid, &msg, &len).rc,
			AP_HW_RC_NO_PENDING_REPLY);
	/* It holds the depth TAPQ reports, then is full. */
	KUNIT_ASSERT_EQ(test, ap_hw_tapq(0x04ab, &info).rc, 0);
	KUNIT_EXPECT_EQ(test, info.depth, 8U);
	for (i = 1; i <= info.depth; i++)
		KUNIT_EXPECT_EQ(test, ap_hw_nqap(0x04ab, i, &msg,
						 sizeof(msg)).rc, 0);
	KUNIT_EXPECT_EQ(test, ap_hw_nqap(0x04ab, 9, &msg, sizeof(msg)).rc,
			AP_HW_RC_Q_FULL);
	for (i = 1; i <= info.depth; i++) {
		len = sizeof(msg);
		KUNIT_EXPECT_EQ(test, ap_hw_dqap(0x04ab, &psmid, &msg,
						 &len).rc, 0);
		KUNIT_EXPECT_EQ(test, psmid, (u64)i);
	}
	msg.magic = 0;
	KUNIT_EXPECT_EQ(test, ap_hw_nqap(0x04ab, 3, &msg, sizeof(msg)).rc,
			AP_HW_RC_MESSAGE_TOO_BIG);
}

static void ap_sim_test_lpar_changes(struct kunit *test)
{
	struct ap_hw_queue_info info;
	struct ap_hw_config cfg;

	ap_sim_test_defer(test, "remove-adapter 9");
	ap_sim_test_defer(test, "remove-domain 8");
	ap_sim_test_run(test, "add-adapter 9 CEX8P");
	ap_sim_test_run(test, "add-domain 8");
	KUNIT_EXPECT_EQ(test, ap_sim_test_tapq(0x0908, &info), 0);
	KUNIT_EXPECT_EQ(test, info.type, 14);
	KUNIT_EXPECT_EQ(test, info.functions & AP_HW_FUNC_MODES,
			AP_HW_FUNC_EP11);
	ap_hw_qci(&cfg);
	KUNIT_EXPECT_TRUE(test, test_bit(9, cfg.masks.apm));
	KUNIT_EXPECT_TRUE(test, test_bit(8, cfg.masks.aqm));
	KUNIT_EXPECT_FALSE(test, test_bit(8, cfg.masks.adm));
}

struct ap_sim_cmd_case {
	const char *cmd;
	int rc;
};

static const struct ap_sim_cmd_case ap_sim_cmd_cases[] = {
	{ "", -EINVAL },
	{ "\n", -EINVAL },
	{ "frobnicate", -EINVAL },
	{ "configure 5", -EINVAL },
	{ "configure 5 maybe", -EINVAL },
	{ "configure 5 on off", -EINVAL },
	{ "configure 300 on", -EINVAL },
	{ "configure 0x1g on", -EINVAL },
	{ "configure 7 on", -ENODEV },
	{ "checkstop 8 on", -ENODEV },
	{ "add-adapter 4", -EEXIST },
	{ "add-adapter 9 CEX9C", -EINVAL },
	{ "add-adapter 9 CEX3P", -EINVAL },
	{ "add-domain 4", -EEXIST },
	{ "remove-domain 9", -ENOENT },
	{ "remove-control-domain 9", -ENOENT },
	{ "remove-adapter 9", -ENOENT },
	{ "set-type 4 CEX5Q", -EINVAL },
	{ "set-mode 04.0004 X", -EINVAL },
	{ "set-mode 4.4.4 C", -EINVAL },
	{ "latency 05.0004 -1", -EINVAL },
	{ "latency 05.0004 soon", -EINVAL },
	{ "latency 05.0004 +5", -EINVAL },
	{ "latency 05.0004 007", -EINVAL },
	{ "latency 05.0004 4294967295", -EINVAL },
	{ "latency 5.4 0", -EINVAL },
	{ "inject 05.0004 frob 1", -EINVAL },
	{ "inject 05.0004 tapq 256", -EINVAL },
	{ "inject 05.0004 tapq", -EINVAL },
	{ "inject 05.0004 tapq 1 2", -EINVAL },
	{ "set-mk 05.0004", -EINVAL },
	{ "set-mk 05.0004 0", -EINVAL },
	{ "set-mk 05.0004 0x", -EINVAL },
	{ "set-mk 05.0004 0x10000000000000000", -EINVAL },
	{ "set-mk 05.0004 1 2", -EINVAL },
	{ "set-mk 07.0004 1", -ENODEV },
	{ "set-facilities 5", -EINVAL },
	{ "set-facilities 5 0x10000000", -EINVAL },
	{ "set-facilities 5 0x100000000", -EINVAL },
	{ "set-facilities 5 x", -EINVAL },
	{ "set-facilities 5 1 2", -EINVAL },
	{ "set-facilities 7 0x80000000", -ENODEV },
	{ "zeroize-domain", -EINVAL },
	{ "zeroize-domain 5.4", -EINVAL },
	{ "zeroize-domain 05.0004 x", -EINVAL },
	{ "zeroize-domain 07.0004", -ENODEV },
};

static void ap_sim_cmd_case_desc(const struct ap_sim_cmd_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "'%s' fails with %d", c->cmd,
		 c->rc);
}

KUNIT_ARRAY_PARAM(ap_sim_cmd, ap_sim_cmd_cases, ap_sim_cmd_case_desc);

static void ap_sim_test_command_errors(struct kunit *test)
{
	const struct ap_sim_cmd_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, ap_sim_test_cmd(c->cmd), c->rc);
}

static void ap_sim_test_command_limits(struct kunit *test)
{
	char *cmd = kunit_kzalloc(test, 256, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, cmd);
	memset(cmd, 'a', 200);
	KUNIT_EXPECT_EQ(test, ap_sim_command(cmd, 200), -EINVAL);
	KUNIT_EXPECT_EQ(test, ap_sim_command("configure 5\0 on", 16), -EINVAL);
	KUNIT_EXPECT_EQ(test, ap_sim_test_cmd("set-mode 05.0004 C\n"), 0);
}

static struct kunit_case ap_sim_test_cases[] = {
	KUNIT_CASE(ap_sim_test_qci_is_seed_lpar),
	KUNIT_CASE(ap_sim_test_tapq_types_and_modes),
	KUNIT_CASE(ap_sim_test_tapq_outside_lpar),
	KUNIT_CASE(ap_sim_test_standby_and_checkstop),
	KUNIT_CASE(ap_sim_test_reset_takes_its_time),
	KUNIT_CASE(ap_sim_test_reset_never_completes),
	KUNIT_CASE(ap_sim_test_secret_cleared_only_by_zapq),
	KUNIT_CASE(ap_sim_test_config_on_zeroizes),
	KUNIT_CASE(ap_sim_test_inject_is_one_shot),
	KUNIT_CASE(ap_sim_test_interrupts),
	KUNIT_CASE(ap_sim_test_request_protocol),
	KUNIT_CASE(ap_sim_test_lpar_changes),
	KUNIT_CASE_PARAM(ap_sim_test_command_errors, ap_sim_cmd_gen_params),
	KUNIT_CASE(ap_sim_test_command_limits),
	{}
};

static struct kunit_suite ap_sim_test_suite = {
	.name = "ap_sim",
	.test_cases = ap_sim_test_cases,
};

kunit_test_suite(ap_sim_test_suite);

MODULE_DESCRIPTION("KUnit tests of the simulated AP facility");
MODULE_LICENSE("GPL");
