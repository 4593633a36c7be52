// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated AP facility's control interface and module life cycle.
 *
 * DOC: ap_sim control interface
 *
 * The facility is driven through debugfs, /sys/kernel/debug/ap_sim/:
 *
 * command (write only)
 *   One command per write. A command that changes the LPAR's
 *   configuration is followed by what the machine then does: it signals
 *   a configuration change and the AP bus rescans; the write returns when
 *   that scan (and every hot plug it caused) is done. Commands:
 *
 *   configure APID on|off        SCLP Configure / Deconfigure Adjunct
 *                                Processor (also: the card's config file)
 *   add-adapter APID [TYPE]      SE: assign an adapter to the LPAR
 *   remove-adapter APID          SE: unassign it
 *   add-domain APQI              SE: add a usage domain to the LPAR
 *   remove-domain APQI           SE: remove it
 *   add-control-domain ID        SE: add a control domain
 *   remove-control-domain ID     SE: remove it
 *   checkstop APID on|off        put an adapter into or out of check-stop
 *   set-type APID TYPE           change an adapter's type, e.g. CEX3C
 *   set-mode APQN MODE           change one queue's mode: C, A or P
 *   set-facilities APID BITS     the facility bits (mode bits excluded)
 *                                TAPQ reports for the adapter's queues
 *   latency APQN|all MS|never    time a reset takes (never: it hangs)
 *   delay APQN|all US            time from NQAP until a request's reply
 *                                is pending, at least (0 to 10000000)
 *   inject APQN OP RC            the next OP (tapq, reset, aqic, nqap,
 *                                dqap) on APQN answers response code RC
 *   set-mk APQN VALUE            the security officer (TKE) loads the
 *                                domain's master key, not 0
 *   zeroize-domain APQN          zeroize the domain: its master key is
 *                                cleared, the queue reset and zeroized
 *
 *   Ids and response codes are decimal or 0x hex (0 to 255), an APQN is
 *   written as sysfs names queues (05.00ab), a TYPE as lszcrypt names
 *   adapters (CEX5C, CEX8P, CEX3A) or as a raw AP type number. Errors:
 *   EINVAL for a malformed command or an id above the machine's maximum;
 *   ENODEV for configure, checkstop, set-type, set-mode or
 *   set-facilities of an adapter
 *   the LPAR does not have, and for latency, delay or inject on an adapter the
 *   machine never had; EEXIST for adding what the LPAR has; ENOENT for
 *   removing what it does not have. Configuring or check-stopping an
 *   adapter into the state it is in succeeds.
 *
 * config, adapters, queues (read only)
 *   The LPAR's configuration as QCI reports it; one line per adapter
 *   (type, config, chkstop); one line per queue (mode, interrupts, reset
 *   state, secret, reset latency, who stored the secret, master key).
 *
 * card (read only)
 *   What the accelerators computed: "computed N ns T", the requests
 *   answered with a result or a refusal and the time their computing
 *   took, in nanoseconds (the floor of the message path's benchmark).
 *
 * guests (read only)
 *   One line per guest context: its id, CRYCB and number of updates.
 *
 * violations (read, write)
 *   The violations of isolation the machine recorded; writing 0 clears.
 *
 * instr (read, write)
 *   Write one AP instruction issued by a guest or the host, then read
 *   its answer on the same open file.
 */

#define pr_fmt(fmt) "ap_sim: " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "internal.h"

#define AP_SIM_CMD_MAX		128
#define AP_SIM_CMD_ARGS		4

static struct dentry *ap_sim_dir;

/**
 * ap_sim_mode_name() - the letter of a queue mode
 * @mode: AP_HW_FUNC_CCA, _ACCEL or _EP11
 *
 * Return: "C", "A", "P", or "-" for none.
 */
const char *ap_sim_mode_name(u32 mode)
{
	if (mode & AP_HW_FUNC_CCA)
		return "C";
	if (mode & AP_HW_FUNC_ACCEL)
		return "A";
	if (mode & AP_HW_FUNC_EP11)
		return "P";
	return "-";
}

/**
 * ap_sim_parse_mode() - parse a queue mode
 * @s: "C" (CCA coprocessor), "A" (accelerator) or "P" (EP11)
 * @mode: receives AP_HW_FUNC_CCA, _ACCEL or _EP11
 *
 * Return: 0 or -EINVAL.
 */
int ap_sim_parse_mode(const char *s, u32 *mode)
{
	static const u32 modes[] = { AP_HW_FUNC_CCA, AP_HW_FUNC_ACCEL,
				     AP_HW_FUNC_EP11 };
	static const char letters[] = "CAP";
	const char *p;

	if (strlen(s) != 1)
		return -EINVAL;
	p = strchr(letters, s[0]);
	if (!p || !*p)
		return -EINVAL;
	*mode = modes[p - letters];
	return 0;
}

/**
 * ap_sim_parse_type() - parse an adapter type
 * @s: "CEX<n><mode>" (CEX2A..CEX3C, CEX4C..CEX8P) or a raw type number
 * @type: receives the raw AP type
 * @mode: receives the mode of its queues (CCA for a bare number)
 *
 * Return: 0 or -EINVAL.
 */
int ap_sim_parse_type(const char *s, u8 *type, u32 *mode)
{
	unsigned int gen, end = 0;
	unsigned long raw;
	char letter[2] = {};

	if (!ap_id_parse(s, strlen(s), &raw)) {
		if (raw < 1 || raw > 255)
			return -EINVAL;
		*type = raw;
		*mode = AP_HW_FUNC_CCA;
		return 0;
	}
	if (sscanf(s, "CEX%u%c%n", &gen, letter, &end) != 2 || s[end] ||
	    ap_sim_parse_mode(letter, mode))
		return -EINVAL;
	if (gen >= 4 && gen <= 8)
		*type = gen + 6;
	else if ((gen == 2 || gen == 3) && letter[0] != 'P')
		*type = 2 * gen + 2 + (letter[0] == 'C');
	else
		return -EINVAL;
	return 0;
}

/**
 * ap_sim_type_name() - an adapter type's name, as ap_sim_parse_type() takes
 * it and lszcrypt shows it
 * @type: the raw AP type
 * @mode: the mode of its queue, for CEX4 and later
 * @buf: receives the name, for example "CEX5C", "CEX8P" or "CEX3A"
 * @size: size of @buf
 *
 * Types 6 to 9 (CEX2A to CEX3C) carry their mode in the number, odd ones
 * are coprocessors; types below 6 have no name ("UNKNOWN").
 *
 * Return: @buf.
 */
char *ap_sim_type_name(u8 type, u32 mode, char *buf, size_t size)
{
	const char *letter = ap_sim_mode_name(mode);

	if (type >= AP_HW_TYPE_CEX4)
		snprintf(buf, size, "CEX%u%s", type - 6,
			 *letter == '-' ? "?" : letter);
	else if (type >= 6)
		snprintf(buf, size, "CEX%u%s", (type - 2) / 2,
			 type % 2 ? "C" : "A");
	else
		strscpy(buf, "UNKNOWN", size);
	return buf;
}

static int ap_sim_arg_id(const char *s, unsigned int *id)
{
	unsigned long v;

	if (ap_id_parse(s, strlen(s), &v) || v >= AP_IDS)
		return -EINVAL;
	*id = v;
	return 0;
}

/**
 * ap_sim_arg_apqn() - parse an APQN as sysfs names queues (05.00ab)
 * @s: the word
 * @apqn: receives the APQN
 *
 * Return: 0 or -EINVAL.
 */
int ap_sim_arg_apqn(const char *s, apqn_t *apqn)
{
	size_t len = strlen(s);

	return ap_apqn_parse(s, len, apqn) == len ? 0 : -EINVAL;
}

/**
 * ap_sim_arg_on() - parse "on" or "off"
 * @s: the word
 * @on: receives true for "on"
 *
 * Return: 0 or -EINVAL.
 */
int ap_sim_arg_on(const char *s, bool *on)
{
	if (!strcmp(s, "on"))
		*on = true;
	else if (!strcmp(s, "off"))
		*on = false;
	else
		return -EINVAL;
	return 0;
}

static int ap_sim_cmd_configure(char **argv)
{
	unsigned int apid;
	bool on;

	if (ap_sim_arg_id(argv[1], &apid) || ap_sim_arg_on(argv[2], &on))
		return -EINVAL;
	return ap_sim_configure(apid, on);
}

static int ap_sim_cmd_add_adapter(char **argv)
{
	u32 mode = AP_HW_FUNC_CCA;
	u8 type = AP_HW_TYPE_CEX5;
	unsigned int apid;

	if (ap_sim_arg_id(argv[1], &apid) ||
	    (argv[2] && ap_sim_parse_type(argv[2], &type, &mode)))
		return -EINVAL;
	return ap_sim_add_adapter(apid, type, mode);
}

static int ap_sim_cmd_remove_adapter(char **argv)
{
	unsigned int apid;

	if (ap_sim_arg_id(argv[1], &apid))
		return -EINVAL;
	return ap_sim_remove_adapter(apid);
}

static int ap_sim_cmd_domain(char **argv, bool usage, bool on)
{
	unsigned int apqi;

	if (ap_sim_arg_id(argv[1], &apqi))
		return -EINVAL;
	return ap_sim_set_domain(apqi, usage, on);
}

static int ap_sim_cmd_add_domain(char **argv)
{
	return ap_sim_cmd_domain(argv, true, true);
}

static int ap_sim_cmd_remove_domain(char **argv)
{
	return ap_sim_cmd_domain(argv, true, false);
}

static int ap_sim_cmd_add_control_domain(char **argv)
{
	return ap_sim_cmd_domain(argv, false, true);
}

static int ap_sim_cmd_remove_control_domain(char **argv)
{
	return ap_sim_cmd_domain(argv, false, false);
}

static int ap_sim_cmd_checkstop(char **argv)
{
	unsigned int apid;
	bool on;

	if (ap_sim_arg_id(argv[1], &apid) || ap_sim_arg_on(argv[2], &on))
		return -EINVAL;
	return ap_sim_checkstop(apid, on);
}

static int ap_sim_cmd_set_type(char **argv)
{
	unsigned int apid;
	u32 mode;
	u8 type;

	if (ap_sim_arg_id(argv[1], &apid) ||
	    ap_sim_parse_type(argv[2], &type, &mode))
		return -EINVAL;
	return ap_sim_set_type(apid, type, mode);
}

static int ap_sim_cmd_set_mode(char **argv)
{
	apqn_t apqn;
	u32 mode;

	if (ap_sim_arg_apqn(argv[1], &apqn) ||
	    ap_sim_parse_mode(argv[2], &mode))
		return -EINVAL;
	return ap_sim_set_mode(apqn, mode);
}

static int ap_sim_cmd_latency(char **argv)
{
	bool all = !strcmp(argv[1], "all");
	apqn_t apqn = 0;
	unsigned long ms;

	if (!all && ap_sim_arg_apqn(argv[1], &apqn))
		return -EINVAL;
	if (!strcmp(argv[2], "never"))
		ms = AP_SIM_LATENCY_NEVER;
	else if (ap_id_parse(argv[2], strlen(argv[2]), &ms) ||
		 ms >= AP_SIM_LATENCY_NEVER)
		return -EINVAL;
	return ap_sim_set_latency(apqn, all, ms);
}

/* Longest reply delay accepted: ten seconds, in microseconds. */
#define AP_SIM_DELAY_MAX	10000000UL

static int ap_sim_cmd_delay(char **argv)
{
	bool all = !strcmp(argv[1], "all");
	apqn_t apqn = 0;
	unsigned long us;

	if ((!all && ap_sim_arg_apqn(argv[1], &apqn)) ||
	    kstrtoul(argv[2], 10, &us) || us > AP_SIM_DELAY_MAX)
		return -EINVAL;
	return ap_sim_set_delay(apqn, all, us);
}

static int ap_sim_cmd_set_mk(char **argv)
{
	apqn_t apqn;
	u64 mk;

	if (ap_sim_arg_apqn(argv[1], &apqn) || ap_sim_arg_value(argv[2], &mk))
		return -EINVAL;
	return ap_sim_set_mk(apqn, mk);
}

static int ap_sim_cmd_set_facilities(char **argv)
{
	unsigned int apid;
	u64 bits;

	if (ap_sim_arg_id(argv[1], &apid) || ap_sim_arg_value(argv[2], &bits) ||
	    bits > U32_MAX || bits & AP_HW_FUNC_MODES)
		return -EINVAL;
	return ap_sim_set_facilities(apid, bits);
}

static int ap_sim_cmd_zeroize_domain(char **argv)
{
	apqn_t apqn;

	if (ap_sim_arg_apqn(argv[1], &apqn))
		return -EINVAL;
	return ap_sim_zeroize_domain(apqn);
}

static int ap_sim_cmd_inject(char **argv)
{
	enum ap_sim_op op;
	unsigned int rc;
	apqn_t apqn;

	if (ap_sim_arg_apqn(argv[1], &apqn) || ap_sim_arg_id(argv[3], &rc))
		return -EINVAL;
	for (op = 0; op < AP_SIM_NR_OPS; op++)
		if (!strcmp(argv[2], ap_sim_op_name(op)))
			return ap_sim_inject(apqn, op, rc);
	return -EINVAL;
}

/**
 * struct ap_sim_cmd - a command of the control interface
 * @name: its verb
 * @min_args: arguments it needs
 * @max_args: arguments it takes
 * @rescan: it changes the configuration: the bus rescans after it
 * @run: carries it out; argv[0] is the verb, unused arguments are NULL
 */
struct ap_sim_cmd {
	const char *name;
	unsigned int min_args;
	unsigned int max_args;
	bool rescan;
	int (*run)(char **argv);
};

static const struct ap_sim_cmd ap_sim_cmds[] = {
	{ "configure", 2, 2, true, ap_sim_cmd_configure },
	{ "add-adapter", 1, 2, true, ap_sim_cmd_add_adapter },
	{ "remove-adapter", 1, 1, true, ap_sim_cmd_remove_adapter },
	{ "add-domain", 1, 1, true, ap_sim_cmd_add_domain },
	{ "remove-domain", 1, 1, true, ap_sim_cmd_remove_domain },
	{ "add-control-domain", 1, 1, true, ap_sim_cmd_add_control_domain },
	{ "remove-control-domain", 1, 1, true,
	  ap_sim_cmd_remove_control_domain },
	{ "checkstop", 2, 2, true, ap_sim_cmd_checkstop },
	{ "set-type", 2, 2, true, ap_sim_cmd_set_type },
	{ "set-mode", 2, 2, false, ap_sim_cmd_set_mode },
	{ "latency", 2, 2, false, ap_sim_cmd_latency },
	{ "delay", 2, 2, false, ap_sim_cmd_delay },
	{ "inject", 3, 3, false, ap_sim_cmd_inject },
	{ "set-mk", 2, 2, false, ap_sim_cmd_set_mk },
	{ "set-facilities", 2, 2, false, ap_sim_cmd_set_facilities },
	{ "zeroize-domain", 1, 1, false, ap_sim_cmd_zeroize_domain },
};

/**
 * ap_sim_command() - carry out one command of the control interface
 * @cmd: the command, words separated by blanks, one optional newline
 * @len: its length
 *
 * Context: process context; may run a bus scan.
 * Return: 0 or a negative errno (see the DOC section above).
 */
int ap_sim_command(const char *cmd, size_t len)
{
	char *argv[AP_SIM_CMD_ARGS + 1] = {};
	const struct ap_sim_cmd *c;
	unsigned int argc = 0, i;
	char *cur, *word;
	int rc;

	if (len && cmd[len - 1] == '\n')
		len--;
	if (!len || len > AP_SIM_CMD_MAX || memchr(cmd, '\0', len))
		return -EINVAL;

	char *copy __free(kfree) = kmemdup_nul(cmd, len, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	cur = copy;
	while ((word = strsep(&cur, " \t"))) {
		if (!*word)
			continue;
		if (argc == AP_SIM_CMD_ARGS)
			return -EINVAL;
		argv[argc++] = word;
	}
	for (i = 0; i < ARRAY_SIZE(ap_sim_cmds); i++) {
		c = &ap_sim_cmds[i];
		if (!argc || strcmp(argv[0], c->name))
			continue;
		if (argc - 1 < c->min_args || argc - 1 > c->max_args)
			return -EINVAL;
		rc = c->run(argv);
		if (!rc && c->rescan)
			ap_hw_config_changed_sync();
		return rc;
	}
	return -EINVAL;
}
EXPORT_SYMBOL_GPL(ap_sim_command);

static ssize_t ap_sim_command_write(struct file *file, const char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	char buf[AP_SIM_CMD_MAX + 2];
	int rc;

	if (!count)
		return 0;	/* an empty write, as sysfs files treat it */
	if (count > AP_SIM_CMD_MAX + 1)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	rc = ap_sim_command(buf, count);
	return rc ?: count;
}

static const struct file_operations ap_sim_command_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = ap_sim_command_write,
};

static int ap_sim_config_show(struct seq_file *s, void *unused)
{
	ap_sim_show_config(s);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ap_sim_config);

static int ap_sim_adapters_show(struct seq_file *s, void *unused)
{
	ap_sim_show_adapters(s);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ap_sim_adapters);

static int ap_sim_queues_show(struct seq_file *s, void *unused)
{
	ap_sim_show_queues(s);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ap_sim_queues);

static int ap_sim_card_show(struct seq_file *s, void *unused)
{
	ap_sim_show_card(s);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ap_sim_card);

static int ap_sim_guests_show(struct seq_file *s, void *unused)
{
	ap_sim_show_guests(s);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ap_sim_guests);

static int ap_sim_violations_show(struct seq_file *s, void *unused)
{
	ap_sim_show_violations(s);
	return 0;
}

static int ap_sim_violations_open(struct inode *inode, struct file *file)
{
	return single_open(file, ap_sim_violations_show, NULL);
}

static ssize_t ap_sim_violations_fwrite(struct file *file,
					const char __user *ubuf, size_t count,
					loff_t *ppos)
{
	char buf[4];
	int rc;

	if (!count)
		return 0;
	if (count > sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	rc = ap_sim_violations_write(buf, count);
	return rc ?: count;
}

static const struct file_operations ap_sim_violations_fops = {
	.owner = THIS_MODULE,
	.open = ap_sim_violations_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.write = ap_sim_violations_fwrite,
	.release = single_release,
};

/* One instruction per open file: the write issues it, a read answers. */
static ssize_t ap_sim_instr_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	char req[AP_SIM_CMD_MAX + 2], *ans;
	int len;

	if (!count)
		return 0;
	if (count > AP_SIM_CMD_MAX + 1)
		return -EINVAL;
	if (copy_from_user(req, ubuf, count))
		return -EFAULT;
	ans = simple_transaction_get(file, ubuf, count);
	if (IS_ERR(ans))
		return PTR_ERR(ans);
	len = ap_sim_instr(req, count, ans, SIMPLE_TRANSACTION_LIMIT);
	if (len < 0)
		return len;
	simple_transaction_set(file, len);
	return count;
}

static const struct file_operations ap_sim_instr_fops = {
	.owner = THIS_MODULE,
	.write = ap_sim_instr_write,
	.read = simple_transaction_read,
	.release = simple_transaction_release,
	.llseek = default_llseek,
};

/**
 * struct ap_sim_file - a read-only file of the control interface
 * @name: its name in the debugfs directory
 * @fops: its file operations
 * @show: what it shows
 */
struct ap_sim_file {
	const char *name;
	const struct file_operations *fops;
	void (*show)(struct seq_file *s);
};

static const struct ap_sim_file ap_sim_files[] = {
	{ "config", &ap_sim_config_fops, ap_sim_show_config },
	{ "adapters", &ap_sim_adapters_fops, ap_sim_show_adapters },
	{ "queues", &ap_sim_queues_fops, ap_sim_show_queues },
	{ "card", &ap_sim_card_fops, ap_sim_show_card },
	{ "guests", &ap_sim_guests_fops, ap_sim_show_guests },
	{ "violations", &ap_sim_violations_fops, ap_sim_show_violations },
};

/**
 * ap_sim_show() - what reading a file of the control interface shows
 * @file: "config", "adapters", "queues", "guests" or "violations"
 * @buf: receives the text, NUL-terminated
 * @size: size of @buf
 *
 * Context: process context; takes ap_sim_lock.
 * Return: the length of the text, -ENOENT for another file name, or
 * -EFBIG if it (and its NUL) does not fit into @buf.
 */
ssize_t ap_sim_show(const char *file, char *buf, size_t size)
{
	struct seq_file m = { .buf = buf };
	unsigned int i;

	if (!size)
		return -EFBIG;
	m.size = size - 1;
	for (i = 0; i < ARRAY_SIZE(ap_sim_files); i++) {
		if (strcmp(file, ap_sim_files[i].name))
			continue;
		ap_sim_files[i].show(&m);
		if (seq_has_overflowed(&m))
			return -EFBIG;
		buf[m.count] = '\0';
		return m.count;
	}
	return -ENOENT;
}
EXPORT_SYMBOL_GPL(ap_sim_show);

static void ap_sim_create_files(void)
{
	unsigned int i;
	umode_t mode;

	ap_sim_dir = debugfs_create_dir("ap_sim", NULL);
	debugfs_create_file("command", 0200, ap_sim_dir, NULL,
			    &ap_sim_command_fops);
	debugfs_create_file("instr", 0600, ap_sim_dir, NULL,
			    &ap_sim_instr_fops);
	for (i = 0; i < ARRAY_SIZE(ap_sim_files); i++) {
		mode = ap_sim_files[i].fops->write ? 0644 : 0444;
		debugfs_create_file(ap_sim_files[i].name, mode, ap_sim_dir,
				    NULL, ap_sim_files[i].fops);
	}
}

static int __init ap_sim_init(void)
{
	int rc;

	rc = ap_sim_card_init();
	if (rc)
		return rc;
	rc = ap_sim_init_machine();
	if (rc)
		goto err_free_machine;
	rc = ap_hw_register(&ap_sim_ops);
	if (rc) {
		pr_err("another AP facility is in use\n");
		goto err_free_machine;
	}
	ap_sim_create_files();
	return 0;

err_free_machine:
	ap_sim_free_machine();
	ap_sim_card_exit();
	return rc;
}

static void __exit ap_sim_exit(void)
{
	debugfs_remove_recursive(ap_sim_dir);
	/* The machine goes away: no reset keeps anyone waiting. */
	ap_sim_set_latency(0, true, 0);
	ap_hw_unregister(&ap_sim_ops);
	ap_sim_guest_exit();
	ap_sim_free_machine();
	ap_sim_card_exit();
}

module_init(ap_sim_init);
module_exit(ap_sim_exit);

MODULE_DESCRIPTION("Simulated AP (crypto adapter) facility");
MODULE_LICENSE("GPL");
