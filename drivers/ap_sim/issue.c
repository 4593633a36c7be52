// SPDX-License-Identifier: GPL-2.0
/*
 * Issuing AP instructions by text, as a guest or as the host: what the
 * instr debugfs file does (see control.c and Documentation/simulator.rst).
 *
 * A request names who issues the instruction, the host or a guest
 * context, the instruction and its operands; the answer is one line with
 * the response code and what the instruction returns. A guest's
 * instruction is interpreted against its CRYCB, as the machine does for
 * a guest running under SIE: outside it, "queue not available" and
 * nothing happens; inside it, the same instruction code as the host's.
 * The request is parsed first; the context is looked up and the
 * instruction run in one section under ap_sim_lock, so a context being
 * destroyed is either found whole or not at all.
 */

#include <linux/ctype.h>
#include <linux/export.h>
#include <linux/kstrtox.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include "internal.h"

#define AP_SIM_INSTR_MAX	128
#define AP_SIM_INSTR_WORDS	6

/* Message id of the host's last request through the instr file. */
static u64 ap_sim_host_psmid;

struct ap_sim_instr_def;

/**
 * struct ap_sim_req - a parsed request of the instr file
 * @def: the instruction
 * @host: the host issues it, else the guest of context @guest
 * @guest: the context's id
 * @apqn: the queue addressed
 * @aqic: AQIC: what is asked (a guest's also the ISC and the
 *        notification byte's guest address)
 * @msg: NQAP: the request sent
 */
struct ap_sim_req {
	const struct ap_sim_instr_def *def;
	bool host;
	unsigned int guest;
	apqn_t apqn;
	struct ap_hw_aqic_req aqic;
	struct ap_sim_msg msg;
};

/**
 * struct ap_sim_instr_def - an instruction of the instr file
 * @name: its name in requests
 * @apqn: it addresses a queue, the word after the name
 * @args: the words after the APQN it takes (at most; @parse checks)
 * @parse: parse those words into the request; NULL if it takes none
 * @run: issue it, under ap_sim_lock, for @g (NULL: the host) and write
 *       the answer line; returns its length
 * @intercepted: a guest's is not interpreted but intercepted to the
 *               hypervisor (AQIC): @run is for the host's only
 * @guest_only: only a guest issues it (TPI of a guest interrupt)
 */
struct ap_sim_instr_def {
	const char *name;
	bool apqn;
	unsigned int args;
	int (*parse)(struct ap_sim_req *req, char **argv, unsigned int argc);
	int (*run)(struct ap_sim_guest *g, struct ap_sim_req *req, char *ans,
		   size_t size);
	bool intercepted;
	bool guest_only;
};

static const struct ap_hw_status ap_sim_not_avail = {
	.rc = AP_HW_RC_Q_NOT_AVAIL,
};

static unsigned int ap_sim_issuer(const struct ap_sim_guest *g)
{
	return g ? g->hw.id : AP_SIM_HOST;
}

static int ap_sim_run_qci(struct ap_sim_guest *g, struct ap_sim_req *req,
			  char *ans, size_t size)
{
	char apm[AP_MASK_STRLEN + 1], aqm[AP_MASK_STRLEN + 1];
	char adm[AP_MASK_STRLEN + 1];
	struct ap_hw_config cfg;

	ap_sim_guest_qci_locked(g, &cfg);
	ap_mask_format(cfg.masks.apm, apm, sizeof(apm));
	ap_mask_format(cfg.masks.aqm, aqm, sizeof(aqm));
	ap_mask_format(cfg.masks.adm, adm, sizeof(adm));
	return scnprintf(ans, size, "rc=0x%02x apm %s aqm %s adm %s\n",
			 AP_HW_RC_NORMAL, apm, aqm, adm);
}

static int ap_sim_run_tapq(struct ap_sim_guest *g, struct ap_sim_req *req,
			   char *ans, size_t size)
{
	struct ap_hw_queue_info info = {};
	struct ap_hw_status st = ap_sim_not_avail;

	if (ap_sim_guest_reaches(g, req->apqn))
		st = ap_sim_tapq_locked(req->apqn, &info);
	return scnprintf(ans, size,
			 "rc=0x%02x type=%u functions=0x%08X irq=%d empty=%d replies=%d\n",
			 st.rc, info.type, info.functions, st.irq_enabled,
			 st.queue_empty, st.replies_waiting);
}

static int ap_sim_run_reset(struct ap_sim_guest *g, struct ap_sim_req *req,
			    char *ans, size_t size, bool zeroize)
{
	struct ap_hw_status st = ap_sim_not_avail;

	if (ap_sim_guest_reaches(g, req->apqn))
		st = ap_sim_reset_locked(req->apqn, zeroize);
	return scnprintf(ans, size, "rc=0x%02x\n", st.rc);
}

static int ap_sim_run_rapq(struct ap_sim_guest *g, struct ap_sim_req *req,
			   char *ans, size_t size)
{
	return ap_sim_run_reset(g, req, ans, size, false);
}

static int ap_sim_run_zapq(struct ap_sim_guest *g, struct ap_sim_req *req,
			   char *ans, size_t size)
{
	return ap_sim_run_reset(g, req, ans, size, true);
}

/**
 * ap_sim_arg_value() - a secret, key, ISC or address
 * @s: the word: decimal, or "0x" and hex digits
 * @value: receives it, any u64
 *
 * Return: 0 or -EINVAL.
 */
int ap_sim_arg_value(const char *s, u64 *value)
{
	if (s[0] == '0' && s[1] == 'x')
		return isxdigit(s[2]) ? kstrtou64(s + 2, 16, value) : -EINVAL;
	return isdigit(s[0]) ? kstrtou64(s, 10, value) : -EINVAL;
}

/*
 * AQIC: "on" or "off"; a guest may add its ISC and the guest address of
 * its notification byte (without them, both are 0).
 */
static int ap_sim_parse_aqic(struct ap_sim_req *req, char **argv,
			     unsigned int argc)
{
	u64 isc;

	if ((argc != 1 && argc != 3) || (argc == 3 && req->host) ||
	    ap_sim_arg_on(argv[0], &req->aqic.enable))
		return -EINVAL;
	if (argc == 1)
		return 0;
	if (!req->aqic.enable || ap_sim_arg_value(argv[1], &isc) ||
	    isc > U8_MAX || ap_sim_arg_value(argv[2], &req->aqic.nib))
		return -EINVAL;
	req->aqic.isc = isc;
	return 0;
}

static int ap_sim_run_aqic(struct ap_sim_guest *g, struct ap_sim_req *req,
			   char *ans, size_t size)
{
	struct ap_hw_status st;

	st = ap_sim_aqic_locked(AP_SIM_HOST, req->apqn, req->aqic.enable, 0);
	return scnprintf(ans, size, "rc=0x%02x irq=%d\n", st.rc,
			 st.irq_enabled);
}

static int ap_sim_run_tpi(struct ap_sim_guest *g, struct ap_sim_req *req,
			  char *ans, size_t size)
{
	return scnprintf(ans, size, "rc=0x%02x ipm=0x%02x\n", AP_HW_RC_NORMAL,
			 ap_sim_guest_tpi_locked(g));
}

static int ap_sim_parse_nqap(struct ap_sim_req *req, char **argv,
			     unsigned int argc)
{
	req->msg.magic = AP_SIM_MSG_MAGIC;
	if (argc == 2 && !strcmp(argv[0], "set-secret")) {
		req->msg.op = AP_SIM_OP_SET_SECRET;
		return ap_sim_arg_value(argv[1], &req->msg.value);
	}
	if (argc == 1 && !strcmp(argv[0], "get-secret")) {
		req->msg.op = AP_SIM_OP_GET_SECRET;
		return 0;
	}
	return -EINVAL;
}

static int ap_sim_run_nqap(struct ap_sim_guest *g, struct ap_sim_req *req,
			   char *ans, size_t size)
{
	u64 psmid = g ? ++g->psmid : ++ap_sim_host_psmid;
	struct ap_hw_status st = ap_sim_not_avail;

	if (ap_sim_guest_reaches(g, req->apqn))
		st = ap_sim_nqap_locked(ap_sim_issuer(g), req->apqn, psmid,
					&req->msg, sizeof(req->msg));
	return scnprintf(ans, size, "rc=0x%02x\n", st.rc);
}

static int ap_sim_run_dqap(struct ap_sim_guest *g, struct ap_sim_req *req,
			   char *ans, size_t size)
{
	struct ap_hw_status st = ap_sim_not_avail;
	struct ap_sim_msg reply = {};
	size_t len = sizeof(reply);
	u64 psmid = 0;

	if (ap_sim_guest_reaches(g, req->apqn))
		st = ap_sim_dqap_locked(ap_sim_issuer(g), req->apqn, &psmid,
					&reply, &len);
	if (st.rc != AP_HW_RC_NORMAL) {
		psmid = 0;
		reply.value = 0;
	}
	return scnprintf(ans, size, "rc=0x%02x psmid=%llu secret=0x%llx\n",
			 st.rc, psmid, reply.value);
}

static const struct ap_sim_instr_def ap_sim_instr_defs[] = {
	{ "qci", false, 0, NULL, ap_sim_run_qci },
	{ "tapq", true, 0, NULL, ap_sim_run_tapq },
	{ "rapq", true, 0, NULL, ap_sim_run_rapq },
	{ "zapq", true, 0, NULL, ap_sim_run_zapq },
	{ "aqic", true, 3, ap_sim_parse_aqic, ap_sim_run_aqic, true },
	{ "nqap", true, 2, ap_sim_parse_nqap, ap_sim_run_nqap },
	{ "dqap", true, 0, NULL, ap_sim_run_dqap },
	{ "tpi", false, 0, NULL, ap_sim_run_tpi, false, true },
};

/* Who issues: "host", or a context id in decimal without leading zeros. */
static int ap_sim_arg_issuer(const char *s, struct ap_sim_req *req)
{
	req->host = !strcmp(s, "host");
	if (req->host)
		return 0;
	if (!isdigit(s[0]) || (s[0] == '0' && s[1]))
		return -EINVAL;
	return kstrtouint(s, 10, &req->guest);
}

static const struct ap_sim_instr_def *ap_sim_instr_lookup(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ap_sim_instr_defs); i++)
		if (!strcmp(name, ap_sim_instr_defs[i].name))
			return &ap_sim_instr_defs[i];
	return NULL;
}

/* Parse the words of a request: GUEST INSTR [APQN] [ARGS]. */
static int ap_sim_req_parse(struct ap_sim_req *req, char **argv,
			    unsigned int argc)
{
	const struct ap_sim_instr_def *def;
	unsigned int first;

	if (argc < 2 || ap_sim_arg_issuer(argv[0], req))
		return -EINVAL;
	def = ap_sim_instr_lookup(argv[1]);
	if (!def || (def->guest_only && req->host))
		return -EINVAL;
	req->def = def;
	first = def->apqn ? 3 : 2;
	if (argc < first || argc - first > def->args ||
	    (def->apqn && ap_sim_arg_apqn(argv[2], &req->apqn)))
		return -EINVAL;
	if (def->parse)
		return def->parse(req, argv + first, argc - first);
	return argc == first ? 0 : -EINVAL;
}

/* Split @buf into at most AP_SIM_INSTR_WORDS words; their count or -EINVAL. */
static int ap_sim_split(char *buf, char **argv)
{
	unsigned int argc = 0;
	char *word;

	while ((word = strsep(&buf, " \t"))) {
		if (!*word)
			continue;
		if (argc == AP_SIM_INSTR_WORDS)
			return -EINVAL;
		argv[argc++] = word;
	}
	return argc;
}

/* A guest's AQIC: intercepted to the hypervisor's hook (irq.c). */
static int ap_sim_req_intercept(struct ap_sim_req *req, char *ans, size_t size)
{
	struct ap_hw_status st;
	int ret;

	ret = ap_sim_guest_intercept_aqic(req->guest, req->apqn, &req->aqic,
					  &st);
	if (ret)
		return ret;
	return scnprintf(ans, size, "rc=0x%02x irq=%d\n", st.rc,
			 st.irq_enabled);
}

static int ap_sim_req_run(struct ap_sim_req *req, char *ans, size_t size)
{
	struct ap_sim_guest *g = NULL;
	int ret = -ENOENT;

	if (!req->host && req->def->intercepted)
		return ap_sim_req_intercept(req, ans, size);

	spin_lock(&ap_sim_lock);
	if (!req->host)
		g = ap_sim_guest_find_locked(req->guest);
	if (req->host || g)
		ret = req->def->run(g, req, ans, size);
	spin_unlock(&ap_sim_lock);
	return ret;
}

/**
 * ap_sim_instr() - issue one AP instruction as a guest or the host
 * @req: the request, "GUEST INSTR [APQN] [ARGS]", words separated by
 *       blanks, one optional newline (see Documentation/simulator.rst)
 * @len: its length
 * @ans: receives the answer, one line ending in a newline, NUL-terminated
 * @size: size of @ans
 *
 * This is what a write to the instr debugfs file does. The instruction's
 * response code is part of the answer, not an error.
 *
 * Context: process context (a guest's AQIC calls the hypervisor's hook,
 * which may sleep); takes ap_sim_lock.
 * Return: the length of the answer, -EINVAL for a malformed request, or
 * -ENOENT if GUEST names no live context.
 */
int ap_sim_instr(const char *req, size_t len, char *ans, size_t size)
{
	char buf[AP_SIM_INSTR_MAX + 1], *argv[AP_SIM_INSTR_WORDS];
	struct ap_sim_req r = {};
	int argc;

	if (len && req[len - 1] == '\n')
		len--;
	if (!len || len > AP_SIM_INSTR_MAX || memchr(req, '\0', len))
		return -EINVAL;
	memcpy(buf, req, len);
	buf[len] = '\0';
	argc = ap_sim_split(buf, argv);
	if (argc < 0 || ap_sim_req_parse(&r, argv, argc))
		return -EINVAL;
	return ap_sim_req_run(&r, ans, size);
}
EXPORT_SYMBOL_GPL(ap_sim_instr);
