// SPDX-License-Identifier: GPL-2.0
/*
 * apmodel: differential test of the AP bus and vfio_ap against a
 * reference model of the specification's rules, written independently of
 * the kernel code.
 *
 *   apmodel [-s SEED] [-n OPS] [-v]
 *
 * Expects ap_sim loaded with the machine below (tests/selftests/model.sh)
 * and nothing else changed. Drives random operations through sysfs:
 * apmask/aqmask writes in both syntaxes (often malformed), queues'
 * driver_override writes (allowed only while both masks are all ones; a
 * mask write only while no queue has one), assignments of
 * the three kinds with ids in every notation (some malformed, some above
 * the maximum), ap_config writes, SCLP and SE changes, guests starting
 * and stopping, mdevs created and removed. The model predicts each
 * result (OK or the errno); after each operation the masks, and every
 * mdev's matrix, control_domains, ap_config and guest_matrix (or ENODEV)
 * must read as the model says.
 *
 * Prints "model: ops N, compared N, mismatches N" and exits 0 only if
 * there is no mismatch.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include "aptools.h"

#define IDS		256
#define MAX_APID	63	/* the machine: no extended addressing */
#define MAX_APQI	15
#define SLOTS		4
#define AP		"/sys/bus/ap"
#define MATRIX		"/sys/devices/vfio_ap/matrix"
#define SIMCMD		"/sys/kernel/debug/ap_sim/command"
#define CREATE		MATRIX "/mdev_supported_types/vfio_ap-passthrough/create"

/* ---- the model ---------------------------------------------------------- */

struct mtx {
	bool apm[IDS], aqm[IDS], adm[IDS];
};

static struct {
	bool apmask[IDS], aqmask[IDS];
	bool lpar_apm[IDS], configured[IDS], lpar_aqm[IDS], lpar_adm[IDS];
	unsigned int type[IDS];
	bool exists[SLOTS], running[SLOTS];
	struct mtx assigned[SLOTS];
	/* Each queue's driver_override, by APQN: OVR_*. */
	unsigned char ovr[IDS][IDS];
} m;

enum { OVR_NONE, OVR_VFIO, OVR_HOST };

/* An override decides; without one, the masks. */
static bool reserved(unsigned int a, unsigned int q)
{
	if (m.ovr[a][q])
		return m.ovr[a][q] == OVR_HOST;
	return m.apmask[a] && m.aqmask[q];
}

static bool masks_default(void)
{
	for (unsigned int i = 0; i < IDS; i++)
		if (!m.apmask[i] || !m.aqmask[i])
			return false;
	return true;
}

static bool bound_to_vfio(unsigned int a, unsigned int q)
{
	return m.lpar_apm[a] && m.lpar_aqm[q] && !reserved(a, q) &&
	       m.type[a] >= 10;
}

static int owner(unsigned int a, unsigned int q)
{
	int s;

	for (s = 0; s < SLOTS; s++)
		if (m.exists[s] && m.assigned[s].apm[a] && m.assigned[s].aqm[q])
			return s;
	return -1;
}

/* What the guest of @s gets, straight from the specification. */
static void view(int s, struct mtx *v)
{
	const struct mtx *as = &m.assigned[s];
	unsigned int a, q;

	for (a = 0; a < IDS; a++) {
		v->apm[a] = as->apm[a] && m.lpar_apm[a] && m.configured[a];
		v->aqm[a] = as->aqm[a] && m.lpar_aqm[a];
		v->adm[a] = as->adm[a] && m.lpar_adm[a];
	}
	for (a = 0; a < IDS; a++)
		for (q = 0; q < IDS && v->apm[a]; q++)
			if (v->aqm[q] && !bound_to_vfio(a, q))
				v->apm[a] = false;
}

/* ---- the grammar, as documented ------------------------------------------ */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* An id at @s: sets *v (saturated) and returns chars used, or -1. */
static int scan_id(const char *s, size_t len, unsigned long long *v)
{
	size_t i = 0, start;
	int base = 10;

	*v = 0;
	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	start = i;
	for (; i < len; i++) {
		int d = hexval(s[i]);

		if (d < 0 || d >= base)
			break;
		if (*v > (1ULL << 40))
			*v = 1ULL << 41;
		else
			*v = *v * base + d;
	}
	if (i == start)
		return -1;
	if (base == 10 && i - start > 1 && s[start] == '0')
		return -1;
	return (int)i;
}

/* Parse a mask written to apmask/aqmask; -EINVAL or 0 with @out. */
static int parse_mask(const char *s, const bool *cur, bool *out)
{
	size_t len = strlen(s), i = 0;
	unsigned long long lo, hi;
	bool tmp[IDS];
	int n, d;

	if (len && s[len - 1] == '\n')
		len--;
	if (!len)
		return -EINVAL;
	if (s[0] != '+' && s[0] != '-') {
		if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
			i = 2;
		if (len == i || len - i > 64)
			return -EINVAL;
		memset(tmp, 0, sizeof(tmp));
		for (n = 0; i < len; i++, n++) {
			d = hexval(s[i]);
			if (d < 0)
				return -EINVAL;
			for (int b = 0; b < 4; b++)
				tmp[4 * n + b] = d & (8 >> b);
		}
		memcpy(out, tmp, sizeof(tmp));
		return 0;
	}
	memcpy(tmp, cur, sizeof(tmp));
	for (;;) {
		bool set;

		if (i >= len || (s[i] != '+' && s[i] != '-'))
			return -EINVAL;
		set = s[i++] == '+';
		n = scan_id(s + i, len - i, &lo);
		if (n < 0)
			return -EINVAL;
		i += n;
		hi = lo;
		if (i < len && s[i] == '-') {
			i++;
			n = scan_id(s + i, len - i, &hi);
			if (n < 0)
				return -EINVAL;
			i += n;
		}
		if (lo > hi || hi > 255)
			return -EINVAL;
		for (unsigned long long b = lo; b <= hi; b++)
			tmp[b] = set;
		if (i == len)
			break;
		if (s[i++] != ',')
			return -EINVAL;
	}
	memcpy(out, tmp, sizeof(tmp));
	return 0;
}

/* ---- formatting the kernel's answers as the model expects them ---------- */

static void fmt_mask(const bool *b, char *p)
{
	p += sprintf(p, "0x");
	for (int i = 0; i < 64; i++)
		p += sprintf(p, "%x", b[4 * i] << 3 | b[4 * i + 1] << 2 |
			     b[4 * i + 2] << 1 | b[4 * i + 3]);
}

static void fmt_apqns(const bool *apm, const bool *aqm, char *p)
{
	bool any_a = false, any_q = false;
	unsigned int a, q;

	for (a = 0; a < IDS; a++) {
		any_a |= apm[a];
		any_q |= aqm[a];
	}
	*p = '\0';
	for (a = 0; a < IDS; a++) {
		if (any_a && !apm[a])
			continue;
		if (!any_a && any_q) {
			if (aqm[a])
				p += sprintf(p, ".%04x\n", a);
			continue;
		}
		if (!any_q) {
			if (apm[a])
				p += sprintf(p, "%02x.\n", a);
			continue;
		}
		for (q = 0; q < IDS; q++)
			if (aqm[q])
				p += sprintf(p, "%02x.%04x\n", a, q);
	}
}

/* ---- the driver ---------------------------------------------------------- */

static unsigned long ops, compared, mismatches;
static bool verbose;
static const char *slot_uuid[SLOTS] = {
	"40de1000-0000-4000-8000-000000000000",
	"40de1000-0000-4000-8000-000000000001",
	"40de1000-0000-4000-8000-000000000002",
	"40de1000-0000-4000-8000-000000000003",
};

/* Each guest is a VM of its own (one VM, one mdev). */
static struct ap_vm guests[SLOTS];
static char last_op[512];

static void mismatch(const char *fmt, ...)
{
	va_list ap;

	mismatches++;
	fprintf(stderr, "op %lu (%s) disagrees: ", ops, last_op);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void expect_rc(int got, int want)
{
	compared++;
	if (got != want)
		mismatch("got %s, expected %s", got ? strerror(got) : "OK",
			 want ? strerror(want) : "OK");
}

static void expect_file(const char *path, const char *want, int want_err)
{
	static char got[1 << 16];
	int err = ap_read(path, got, sizeof(got));

	compared++;
	if (err != want_err || (!err && strcmp(got, want)))
		mismatch("%s reads \"%.200s\" (%s), expected \"%.200s\" (%s)",
			 path, err ? "" : got, err ? strerror(err) : "OK",
			 want_err ? "" : want,
			 want_err ? strerror(want_err) : "OK");
}

static void compare_state(void)
{
	static char want[1 << 16];
	char path[160], line[256];
	struct mtx v;
	int s;

	fmt_mask(m.apmask, want);
	strcat(want, "\n");
	expect_file(AP "/apmask", want, 0);
	fmt_mask(m.aqmask, want);
	strcat(want, "\n");
	expect_file(AP "/aqmask", want, 0);
	for (s = 0; s < SLOTS; s++) {
		if (!m.exists[s])
			continue;
		snprintf(path, sizeof(path), MATRIX "/%s/matrix", slot_uuid[s]);
		fmt_apqns(m.assigned[s].apm, m.assigned[s].aqm, want);
		expect_file(path, want, 0);
		snprintf(path, sizeof(path), MATRIX "/%s/control_domains",
			 slot_uuid[s]);
		want[0] = '\0';
		for (unsigned int d = 0; d < IDS; d++)
			if (m.assigned[s].adm[d])
				sprintf(want + strlen(want), "%04x\n", d);
		expect_file(path, want, 0);
		snprintf(path, sizeof(path), MATRIX "/%s/ap_config", slot_uuid[s]);
		fmt_mask(m.assigned[s].apm, want);
		fmt_mask(m.assigned[s].aqm, line);
		sprintf(want + strlen(want), ",%s,", line);
		fmt_mask(m.assigned[s].adm, line);
		sprintf(want + strlen(want), "%s\n", line);
		expect_file(path, want, 0);
		snprintf(path, sizeof(path), MATRIX "/%s/guest_matrix",
			 slot_uuid[s]);
		view(s, &v);
		fmt_apqns(v.apm, v.aqm, want);
		expect_file(path, want, m.running[s] ? 0 : ENODEV);
	}
}

/* A random id, written in one of the notations, some of them malformed. */
static void random_id(uint64_t *r, char *buf, unsigned long long *val,
		      bool *ok)
{
	static const unsigned int ids[] = { 0, 1, 2, 3, 4, 5, 6, 7, 15, 16,
					    63, 64, 255, 256, 4096 };
	unsigned int id = ids[ap_rand_below(r, ARRAY_SIZE(ids))];

	*val = id;
	*ok = true;
	switch (ap_rand_below(r, 8)) {
	case 0:
		sprintf(buf, "0x%x", id);
		break;
	case 1:
		sprintf(buf, "0X%02X", id);
		break;
	case 2:
		sprintf(buf, "0%u", id + 1);	/* a leading zero */
		*ok = false;
		break;
	case 3:
		sprintf(buf, "+%u", id);
		*ok = false;
		break;
	case 4:
		sprintf(buf, "%u ", id);
		*ok = false;
		break;
	case 5:
		sprintf(buf, "99999999999999999999999");
		*val = ~0ULL;
		break;
	default:
		sprintf(buf, "%u", id);
	}
}

static void op_assign(uint64_t *r)
{
	static const char * const files[] = {
		"assign_adapter", "assign_domain", "assign_control_domain",
		"unassign_adapter", "unassign_domain", "unassign_control_domain",
	};
	unsigned int f = ap_rand_below(r, ARRAY_SIZE(files));
	unsigned int kind = f % 3, s = ap_rand_below(r, SLOTS);
	bool assign = f < 3, ok;
	unsigned long long id;
	struct mtx next;
	char path[160], val[64];
	int want = 0;

	random_id(r, val, &id, &ok);
	snprintf(path, sizeof(path), MATRIX "/%s/%s", slot_uuid[s], files[f]);
	snprintf(last_op, sizeof(last_op), "%s %s", path, val);
	if (!m.exists[s]) {
		expect_rc(ap_write(path, val), ENOENT);
		return;
	}
	next = m.assigned[s];
	if (!ok) {
		want = EINVAL;
	} else if (id > (kind == 0 ? MAX_APID : MAX_APQI)) {
		want = ENODEV;
	} else {
		bool *mask = kind == 0 ? next.apm : kind == 1 ? next.aqm :
			     next.adm;

		mask[id] = assign;
	}
	if (!want && assign && kind < 2) {
		for (unsigned int a = 0; a < IDS && !want; a++)
			for (unsigned int q = 0; q < IDS && !want; q++)
				if (next.apm[a] && next.aqm[q] && reserved(a, q))
					want = EADDRNOTAVAIL;
		for (unsigned int a = 0; a < IDS && !want; a++)
			for (unsigned int q = 0; q < IDS && !want; q++)
				if (next.apm[a] && next.aqm[q] &&
				    owner(a, q) >= 0 && owner(a, q) != (int)s)
					want = EADDRINUSE;
	}
	expect_rc(ap_write(path, val), want);
	if (!want)
		m.assigned[s] = next;
}

/* A random mask over small ids, sometimes with bits above the maximum. */
static void random_hex(uint64_t *r, bool *bits, char *buf)
{
	memset(bits, 0, IDS);
	for (unsigned int i = 0; i < 8; i++)
		bits[ap_rand_below(r, 10)] = ap_rand_below(r, 2);
	if (!ap_rand_below(r, 10))
		bits[ap_rand_below(r, IDS)] = true;
	fmt_mask(bits, buf);
	if (!ap_rand_below(r, 4))	/* drop trailing zeros: pads right */
		while (strlen(buf) > 3 && buf[strlen(buf) - 1] == '0')
			buf[strlen(buf) - 1] = '\0';
}

static void op_ap_config(uint64_t *r)
{
	unsigned int s = ap_rand_below(r, SLOTS);
	char path[160], val[256];
	struct mtx next;
	int want = 0;

	random_hex(r, next.apm, val);
	strcat(val, ",");
	random_hex(r, next.aqm, val + strlen(val));
	strcat(val, ",");
	random_hex(r, next.adm, val + strlen(val));
	if (!ap_rand_below(r, 8)) {
		val[ap_rand_below(r, strlen(val))] = "g ,"[ap_rand_below(r, 3)];
		want = EINVAL;
	}
	snprintf(path, sizeof(path), MATRIX "/%s/ap_config", slot_uuid[s]);
	snprintf(last_op, sizeof(last_op), "%s %s", path, val);
	if (!m.exists[s]) {
		expect_rc(ap_write(path, val), ENOENT);
		return;
	}
	if (want) {
		/* the corruption may have left it valid: ask the parser */
		bool t[IDS] = { false };
		char copy[256], *a = copy, *b, *c;

		snprintf(copy, sizeof(copy), "%s", val);
		b = strchr(a, ',');
		c = b ? strchr(b + 1, ',') : NULL;
		if (b && c && !strchr(c + 1, ',')) {
			*b = *c = '\0';
			if (a[0] != '+' && a[0] != '-' && b[1] != '+' &&
			    b[1] != '-' && c[1] != '+' && c[1] != '-' &&
			    !parse_mask(a, t, next.apm) &&
			    !parse_mask(b + 1, t, next.aqm) &&
			    !parse_mask(c + 1, t, next.adm))
				want = 0;
		}
	}
	for (unsigned int i = 0; i < IDS && !want; i++)
		if ((next.apm[i] && i > MAX_APID) ||
		    ((next.aqm[i] || next.adm[i]) && i > MAX_APQI))
			want = ENODEV;
	for (unsigned int a = 0; a < IDS && !want; a++)
		for (unsigned int q = 0; q < IDS && !want; q++)
			if (next.apm[a] && next.aqm[q] && reserved(a, q))
				want = EADDRNOTAVAIL;
	for (unsigned int a = 0; a < IDS && !want; a++)
		for (unsigned int q = 0; q < IDS && !want; q++)
			if (next.apm[a] && next.aqm[q] && owner(a, q) >= 0 &&
			    owner(a, q) != (int)s)
				want = EADDRINUSE;
	expect_rc(ap_write(path, val), want);
	if (!want)
		m.assigned[s] = next;
}

/* A mask write in either syntax; malformed now and then. */
static void random_mask_text(uint64_t *r, char *buf)
{
	static const char * const bad[] = {
		"", "0x", "+", "+1,,+2", "+010", "+256", "+5-3", "1,2", "+1 ",
		"0x0000000000000000000000000000000000000000000000000000000000000000f",
		"-0x1g", "++1", "+1-", "x1",
	};
	unsigned int n, i;
	bool bits[IDS];

	switch (ap_rand_below(r, 6)) {
	case 0:
		sprintf(buf, "%s", bad[ap_rand_below(r, ARRAY_SIZE(bad))]);
		return;
	case 1:
		random_hex(r, bits, buf);
		return;
	default:
		n = 1 + ap_rand_below(r, 3);
		buf[0] = '\0';
		for (i = 0; i < n; i++) {
			unsigned int lo = ap_rand_below(r, 10);

			sprintf(buf + strlen(buf), "%s%c%u", i ? "," : "",
				ap_rand_below(r, 2) ? '+' : '-', lo);
			if (!ap_rand_below(r, 4))
				sprintf(buf + strlen(buf), "-0x%x",
					lo + ap_rand_below(r, 4));
		}
	}
}

/*
 * The overrides that stop a mask write: of a queue that is there, or of
 * one an mdev has. The others serve nothing; a write that changes a mask
 * forgets them.
 */
static bool overrides_count(void)
{
	for (unsigned int a = 0; a < IDS; a++)
		for (unsigned int q = 0; q < IDS; q++)
			if (m.ovr[a][q] && ((m.lpar_apm[a] && m.lpar_aqm[q]) ||
					    owner(a, q) >= 0))
				return true;
	return false;
}

static void op_mask(uint64_t *r)
{
	bool apmask = ap_rand_below(r, 2), next[IDS];
	bool *cur = apmask ? m.apmask : m.aqmask;
	const char *path = apmask ? AP "/apmask" : AP "/aqmask";
	char val[128];
	int want;

	random_mask_text(r, val);
	if (!ap_rand_below(r, 4)) {	/* back to the default, all ones */
		snprintf(val, sizeof(val), "0x%s%s", "ffffffffffffffff",
			 "ffffffffffffffffffffffffffffffffffffffffffffffff");
	}
	snprintf(last_op, sizeof(last_op), "%s %s", path, val);
	want = parse_mask(val, cur, next) ? EINVAL : 0;
	if (!want && overrides_count())
		want = EBUSY;
	for (unsigned int a = 0; a < IDS && !want; a++)
		for (unsigned int q = 0; q < IDS && !want; q++) {
			bool was = reserved(a, q);
			bool will = apmask ? next[a] && m.aqmask[q] :
				    m.apmask[a] && next[q];

			if (will && !was && owner(a, q) >= 0)
				want = EADDRINUSE;
		}
	expect_rc(ap_write(path, val), want);
	if (!want && memcmp(cur, next, sizeof(next))) {
		memcpy(cur, next, sizeof(next));
		memset(m.ovr, OVR_NONE, sizeof(m.ovr));
	}
}

/*
 * A driver_override write on a queue of small ids: a driver's name, a
 * clearing, or a name no queue driver has. Allowed only while both masks
 * are all ones; refused when it would take an assigned queue from
 * vfio_ap. The override is read back.
 */
static void op_override(uint64_t *r)
{
	static const char * const vals[] = {
		"vfio_ap", "cex4queue", "", "nosuchdriver", "cex4card",
		"vfio ap",
	};
	unsigned int a = ap_rand_below(r, 6), q = ap_rand_below(r, 8);
	unsigned int v = ap_rand_below(r, ARRAY_SIZE(vals));
	unsigned char to = v == 0 ? OVR_VFIO : v == 1 ? OVR_HOST : OVR_NONE;
	bool exists = m.lpar_apm[a] && m.lpar_aqm[q];
	char path[96], want_text[32];
	int want = 0;

	snprintf(path, sizeof(path), AP "/devices/%02x.%04x/driver_override",
		 a, q);
	snprintf(last_op, sizeof(last_op), "%s \"%s\"", path, vals[v]);
	if (!exists)
		want = ENOENT;
	else if (v > 2 || !masks_default())
		want = EINVAL;
	else if (to != OVR_VFIO && owner(a, q) >= 0)
		want = EADDRINUSE;
	expect_rc(ap_write(path, vals[v]), want);
	if (!want)
		m.ovr[a][q] = to;
	snprintf(want_text, sizeof(want_text), "%s\n",
		 m.ovr[a][q] == OVR_VFIO ? "vfio_ap" :
		 m.ovr[a][q] == OVR_HOST ? "cex4queue" : "");
	expect_file(path, want_text, exists ? 0 : ENOENT);
}

static void op_sim(uint64_t *r)
{
	unsigned int what = ap_rand_below(r, 6), id = 1 + ap_rand_below(r, 8);
	char cmd[64];
	int want = 0;

	switch (what) {
	case 0:
	case 1:
		sprintf(cmd, "configure %u %s", id, what ? "on" : "off");
		if (!m.lpar_apm[id])
			want = ENODEV;
		else
			m.configured[id] = what;
		break;
	case 2:
	case 3:
		sprintf(cmd, "%s-domain %u", what == 2 ? "add" : "remove", id);
		if (m.lpar_aqm[id] == !(what & 1))
			want = what == 2 ? EEXIST : ENOENT;
		else
			m.lpar_aqm[id] = what == 2;
		break;
	default:
		sprintf(cmd, "%s-control-domain %u", what == 4 ? "add" : "remove",
			id);
		if (m.lpar_adm[id] == !(what & 1))
			want = what == 4 ? EEXIST : ENOENT;
		else
			m.lpar_adm[id] = what == 4;
	}
	snprintf(last_op, sizeof(last_op), "sim %s", cmd);
	expect_rc(ap_write(SIMCMD, cmd), want);
}

static void op_slot(uint64_t *r)
{
	unsigned int s = ap_rand_below(r, SLOTS), what = ap_rand_below(r, 3);
	char path[160];

	if (what == 0 && m.exists[s] && !m.running[s]) {
		snprintf(last_op, sizeof(last_op), "start guest %u", s);
		expect_rc(ap_vm_start(slot_uuid[s], false, &guests[s]), 0);
		m.running[s] = true;
	} else if (what == 1 && m.running[s]) {
		snprintf(last_op, sizeof(last_op), "stop guest %u", s);
		ap_vm_stop(&guests[s]);
		m.running[s] = false;
	} else if (what == 2 && !m.running[s]) {
		if (m.exists[s]) {
			snprintf(path, sizeof(path), MATRIX "/%s/remove",
				 slot_uuid[s]);
			snprintf(last_op, sizeof(last_op), "remove mdev %u", s);
			expect_rc(ap_write(path, "1"), 0);
			memset(&m.assigned[s], 0, sizeof(m.assigned[s]));
		} else {
			snprintf(last_op, sizeof(last_op), "create mdev %u", s);
			expect_rc(ap_write(CREATE, slot_uuid[s]), 0);
		}
		m.exists[s] = !m.exists[s];
	}
}

/* The machine tests/selftests/model.sh loads: see there. */
static void model_init(void)
{
	unsigned int i;

	memset(&m, 0, sizeof(m));
	for (i = 0; i < IDS; i++) {
		m.apmask[i] = true;
		m.aqmask[i] = true;
	}
	for (i = 1; i <= 4; i++) {
		m.lpar_apm[i] = true;
		m.configured[i] = true;
		m.type[i] = i == 4 ? 9 : 11;	/* adapter 4 is a CEX3C */
	}
	for (i = 1; i <= 6; i++) {
		m.lpar_aqm[i] = true;
		m.lpar_adm[i] = true;
	}
}

int main(int argc, char **argv)
{
	void (*const kinds[])(uint64_t *r) = {
		op_assign, op_assign, op_assign, op_assign, op_assign,
		op_ap_config, op_mask, op_mask, op_sim, op_slot, op_override,
		op_override,
	};
	unsigned long seed = 1, n = 10000;
	uint64_t r;
	int opt;

	while ((opt = getopt(argc, argv, "s:n:v")) != -1) {
		if (opt == 's')
			seed = strtoul(optarg, NULL, 0);
		else if (opt == 'n')
			n = strtoul(optarg, NULL, 0);
		else if (opt == 'v')
			verbose = true;
		else
			return 2;
	}
	r = seed * 0x9e3779b97f4a7c15ULL + 1;
	model_init();
	for (int s = 0; s < SLOTS; s++) {
		expect_rc(ap_write(CREATE, slot_uuid[s]), 0);
		m.exists[s] = true;
	}
	compare_state();
	for (ops = 1; ops <= n && mismatches < 20; ops++) {
		kinds[ap_rand_below(&r, ARRAY_SIZE(kinds))](&r);
		if (verbose)
			fprintf(stderr, "%lu: %s\n", ops, last_op);
		compare_state();
	}
	for (int s = 0; s < SLOTS; s++) {
		char path[160];

		if (m.running[s])
			ap_vm_stop(&guests[s]);
		snprintf(path, sizeof(path), MATRIX "/%s/remove", slot_uuid[s]);
		if (m.exists[s])
			ap_write(path, "1");
	}
	/*
	 * Clear the overrides of the queues there; a later mask write
	 * forgets the others, which no mdev has any more.
	 */
	for (unsigned int a = 0; a < IDS; a++)
		for (unsigned int q = 0; q < IDS; q++) {
			char path[96];

			if (!m.ovr[a][q] || !m.lpar_apm[a] || !m.lpar_aqm[q])
				continue;
			snprintf(path, sizeof(path),
				 AP "/devices/%02x.%04x/driver_override", a, q);
			if (ap_write(path, ""))
				mismatch("the override of %02x.%04x cannot be cleared",
					 a, q);
		}
	printf("model: seed %lu, ops %lu, compared %lu, mismatches %lu\n",
	       seed, ops - 1, compared, mismatches);
	return mismatches != 0;
}
