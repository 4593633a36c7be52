// SPDX-License-Identifier: GPL-2.0
/*
 * apstress: concurrent random operations on the AP bus, vfio_ap and the
 * simulated facility, with the invariant checker run at quiescent points.
 *
 *   apstress [-s SEED] [-n OPS] [-t THREADS] [-c EVERY] [-T SECONDS]
 *
 * THREADS actors (default 4) each run OPS/THREADS operations drawn from
 * their own generator (seeded from SEED, so a run can be repeated):
 * assignments of all three kinds, ap_config, apmask and aqmask writes,
 * SCLP and SE changes, check-stops, forced scans, mdev creation and
 * removal, guests starting and stopping (VFIO open and close), VFIO
 * resets, and guests storing secrets with their own NQAP and DQAP in
 * the machine's guest contexts. Every EVERY operations of each actor all
 * actors wait at a barrier and one of them reads
 * /sys/kernel/debug/vfio_ap/check (vfio_ap's intended views against the
 * CRYCBs the machine holds and the queues the guests' TAPQ reaches) and
 * the isolation violations the simulated machine recorded itself
 * (/sys/kernel/debug/ap_sim/violations: a secret reaching anybody but
 * the guest that stored it, an APQN in two CRYCBs). The run stops early,
 * at a barrier, after SECONDS.
 *
 * Every operation has the outcomes Documentation/ABI allows for it and
 * its argument: an id above /sys/bus/ap/ap_max_adapter_id or
 * ap_max_domain_id must fail with ENODEV (success is a violation) and
 * one within them never does; an unassignment within them, a control
 * domain within them and a mask write that only clears bits must
 * succeed; a write to an mdev that does not exist must fail with ENOENT.
 * Any other outcome counts as unexpected, with a line on stderr.
 *
 * At each quiescent point, before the check, the collateral probe
 * (probe_collateral()) runs one operation alone and compares the
 * machine's CRYCBs before and after it: no guest may lose a queue or a
 * control domain to an operation that is not an unassignment from its
 * own mdev.
 *
 * Prints "stress: ops N, checks N, violations N, collateral N,
 * unexpected N" and exits 0 only if the last three are zero.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include "aptools.h"

#define SLOTS		6
#define PROBES		4	/* collateral probes at each quiescent point */
#define AP		"/sys/bus/ap"
#define MATRIX		"/sys/devices/vfio_ap/matrix"
#define MTYPE		MATRIX "/mdev_supported_types/vfio_ap-passthrough"
#define SIM		"/sys/kernel/debug/ap_sim"
#define SIMCMD		SIM "/command"
#define VDBG		"/sys/kernel/debug/vfio_ap"

/*
 * The identifiers operations draw from: some absent, the largest valid
 * one and two above it (max + 1 and 300; main() fills in the last three).
 * The mask writes use the first five adapters and six domains.
 */
static unsigned int adapters[] = { 4, 5, 6, 7, 8, 0, 0, 300 };
static unsigned int domains[] = { 4, 8, 9, 0x47, 0xab, 0xff, 0, 0, 300 };
#define ID_MAX_SLOT(ids)	(ARRAY_SIZE(ids) - 3)

/* /sys/bus/ap/ap_max_adapter_id and ap_max_domain_id. */
static unsigned int max_apid, max_apqi;

/*
 * A slot's lock is taken for writing to create or remove its mdev and to
 * start, reset or stop its guest, and for reading by the operations on
 * the mdev, so that exists and open are what they say while they run.
 */
struct slot {
	pthread_rwlock_t lock;
	char uuid[40];
	struct ap_vm vm;	/* its guest, a VM of its own */
	int exists;		/* the mdev exists */
	int open;		/* its VFIO device is open: a guest runs */
};

static struct slot slots[SLOTS];
static pthread_barrier_t barrier;
static atomic_ulong ops_done, unexpected, checks, violations, collateral;
static atomic_int stop;
static unsigned long ops_per_thread, check_every;
static time_t deadline;

static void unexpected_errno(const char *what, const char *arg, int err)
{
	atomic_fetch_add(&unexpected, 1);
	fprintf(stderr, "unexpected: %s %s: %s\n", what, arg, strerror(err));
}

/*
 * The outcomes an operation may have: success if @ok, else it must fail;
 * and the errnos of @errs (0-terminated) it may fail with.
 */
struct outcomes {
	int ok;
	int errs[4];
};

static const struct outcomes must_succeed = { 1, { 0 } };
static const struct outcomes must_enodev = { 0, { ENODEV } };
static const struct outcomes must_enoent = { 0, { ENOENT } };
/* An assignment within the limits: the masks or another mdev may refuse. */
static const struct outcomes assign_in_range = {
	1, { EADDRNOTAVAIL, EADDRINUSE }
};

static const char *errname(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "?";
}

/* @err (0 for success) must be one of the outcomes @o allows. */
static void expect(const char *what, const char *arg, int err,
		   const struct outcomes *o)
{
	char allowed[64] = "";
	unsigned int i;
	size_t len;

	if (!err && o->ok)
		return;
	for (i = 0; err && i < ARRAY_SIZE(o->errs) && o->errs[i]; i++)
		if (err == o->errs[i])
			return;
	if (o->ok)
		snprintf(allowed, sizeof(allowed), "success");
	for (i = 0; i < ARRAY_SIZE(o->errs) && o->errs[i]; i++) {
		len = strlen(allowed);
		snprintf(allowed + len, sizeof(allowed) - len, "%s%s",
			 len ? " or " : "", errname(o->errs[i]));
	}
	atomic_fetch_add(&unexpected, 1);
	if (!err)
		fprintf(stderr, "unexpected: %s %s succeeded, but must fail with %s\n",
			what, arg, allowed);
	else
		fprintf(stderr, "unexpected: %s %s: %s (%s), but the outcome must be %s\n",
			what, arg, errname(err), strerror(err), allowed);
}

/* The outcomes of writing an id to an mdev's assign_* or unassign_* file. */
static const struct outcomes *assign_outcomes(unsigned int file, unsigned int id)
{
	int adapter = file < 2, control = file >= 4, assign = !(file & 1);

	if (id > (adapter ? max_apid : max_apqi))
		return &must_enodev;
	if (assign && !control)
		return &assign_in_range;
	return &must_succeed;
}

static void op_assign(uint64_t *r)
{
	static const char * const files[] = {
		"assign_adapter", "unassign_adapter", "assign_domain",
		"unassign_domain", "assign_control_domain",
		"unassign_control_domain",
	};
	unsigned int f = ap_rand_below(r, ARRAY_SIZE(files));
	unsigned int id = f < 2 ? adapters[ap_rand_below(r, ARRAY_SIZE(adapters))] :
			  domains[ap_rand_below(r, ARRAY_SIZE(domains))];
	struct slot *s = &slots[ap_rand_below(r, SLOTS)];
	char path[128], val[16];

	snprintf(path, sizeof(path), MATRIX "/%s/%s", s->uuid, files[f]);
	snprintf(val, sizeof(val), ap_rand_below(r, 2) ? "%u" : "0x%x", id);
	pthread_rwlock_rdlock(&s->lock);
	expect(files[f], val, ap_write(path, val),
	       s->exists ? assign_outcomes(f, id) : &must_enoent);
	pthread_rwlock_unlock(&s->lock);
}

/*
 * An absolute mask with a few of @ids set (those below 256). Return
 * whether a bit above @max was set.
 */
static int random_mask(uint64_t *r, const unsigned int *ids, unsigned int n,
		       unsigned int max, char *buf)
{
	unsigned char bytes[32] = { 0 };
	unsigned int i, id;
	int above = 0;

	for (i = 0; i < n; i++) {
		id = ids[i];
		if (id < 256 && ap_rand_below(r, 2)) {
			bytes[id / 8] |= 0x80 >> (id % 8);
			above |= id > max;
		}
	}
	buf += sprintf(buf, "0x");
	for (i = 0; i < 32; i++)
		buf += sprintf(buf, "%02x", bytes[i]);
	return above;
}

static void op_ap_config(uint64_t *r)
{
	struct slot *s = &slots[ap_rand_below(r, SLOTS)];
	char path[128], val[256];
	int above;

	above = random_mask(r, adapters, ARRAY_SIZE(adapters), max_apid, val);
	strcat(val, ",");
	above |= random_mask(r, domains, ARRAY_SIZE(domains), max_apqi,
			     val + strlen(val));
	strcat(val, ",");
	above |= random_mask(r, domains, ARRAY_SIZE(domains), max_apqi,
			     val + strlen(val));
	snprintf(path, sizeof(path), MATRIX "/%s/ap_config", s->uuid);
	pthread_rwlock_rdlock(&s->lock);
	expect("ap_config", val, ap_write(path, val),
	       !s->exists ? &must_enoent :
	       above ? &must_enodev : &assign_in_range);
	pthread_rwlock_unlock(&s->lock);
}

/*
 * Set or clear one bit of apmask or aqmask (the relative form, always
 * well formed). Setting may give the host a queue an mdev has
 * (EADDRINUSE); clearing gives the host nothing and must succeed.
 */
static void op_mask(uint64_t *r)
{
	static const struct outcomes set_bit = { 1, { EADDRINUSE } };
	int apmask = ap_rand_below(r, 2);
	unsigned int id = apmask ? adapters[ap_rand_below(r, 5)] :
			  domains[ap_rand_below(r, 6)];
	int set = ap_rand_below(r, 2);
	char val[16];

	snprintf(val, sizeof(val), "%c%u", set ? '+' : '-', id);
	expect(apmask ? "apmask" : "aqmask", val,
	       ap_write(apmask ? AP "/apmask" : AP "/aqmask", val),
	       set ? &set_bit : &must_succeed);
}

/*
 * A command of the simulated facility. Adapters 5, 6 and 7 stay in the
 * LPAR, so configuring and check-stopping them must succeed; adding what
 * is there fails with EEXIST, removing what is not with ENOENT. Resets
 * that take time and resets that answer an error code make queues leave
 * guests while their zeroize is still running or has failed.
 */
static void op_sim(uint64_t *r)
{
	static const struct outcomes add = { 1, { EEXIST } };
	static const struct outcomes remove = { 1, { ENOENT } };
	static const struct {
		const char *cmd;
		const struct outcomes *o;
	} cmds[] = {
		{ "configure 5 off", &must_succeed },
		{ "configure 5 on", &must_succeed },
		{ "configure 7 off", &must_succeed },
		{ "configure 7 on", &must_succeed },
		{ "add-domain 9", &add },
		{ "remove-domain 9", &remove },
		{ "add-adapter 8 CEX7C", &add },
		{ "remove-adapter 8", &remove },
		{ "checkstop 6 on", &must_succeed },
		{ "checkstop 6 off", &must_succeed },
		{ "add-control-domain 8", &add },
		{ "remove-control-domain 8", &remove },
		{ "latency 05.0004 200", &must_succeed },
		{ "latency 05.0004 0", &must_succeed },
		{ "latency 06.00ab 300", &must_succeed },
		{ "latency 06.00ab 0", &must_succeed },
		{ "inject 05.0047 reset 6", &must_succeed },
		{ "inject 06.00ff reset 0x8a", &must_succeed },
	};
	unsigned int i = ap_rand_below(r, ARRAY_SIZE(cmds));

	expect("sim", cmds[i].cmd, ap_write(SIMCMD, cmds[i].cmd), cmds[i].o);
}

static void op_scan(uint64_t *r)
{
	int err = ap_write(AP "/scans", "1");

	(void)r;
	if (err)
		unexpected_errno("scans", "1", err);
}

/*
 * Start or stop a slot's guest (a VM of its own), reset it, have it
 * enable or disable a random queue's interrupts, or create or remove its
 * mdev. Opening the VFIO device of an existing mdev must succeed, of a
 * missing one fail with ENOENT; creating and removing must succeed; the
 * guest's AQIC must reach the machine (its response code is the
 * queue's business: not in the guest's view, reset, ...).
 */
static void op_slot(uint64_t *r)
{
	struct slot *s = &slots[ap_rand_below(r, SLOTS)];
	unsigned int what = ap_rand_below(r, 5), apqn;
	char path[128];
	int err;

	pthread_rwlock_wrlock(&s->lock);
	if (what == 0 && !s->open) {
		err = ap_vm_start(s->uuid, false, &s->vm);
		if (!err)
			s->open = 1;
		expect("open", s->uuid, err,
		       s->exists ? &must_succeed : &must_enoent);
	} else if (what == 1 && s->open) {
		ap_vm_stop(&s->vm);
		s->open = 0;
	} else if (what == 2 && s->open) {
		err = ap_vm_reset(&s->vm);
		if (err)
			unexpected_errno("VFIO_DEVICE_RESET", s->uuid, err);
	} else if (what == 4 && s->open) {
		apqn = adapters[ap_rand_below(r, 5)] << 8 |
		       domains[ap_rand_below(r, 6)];
		err = ap_vm_irq(&s->vm, apqn, ap_rand_below(r, 3));
		if (err)
			unexpected_errno("the guest's AQIC", s->uuid, err);
	} else if (what == 3 && !s->open && s->exists) {
		snprintf(path, sizeof(path), MATRIX "/%s/remove", s->uuid);
		err = ap_write(path, "1");
		if (!err)
			s->exists = 0;
		expect("remove", s->uuid, err, &must_succeed);
	} else if (what == 3 && !s->open) {
		err = ap_write(MTYPE "/create", s->uuid);
		if (!err)
			s->exists = 1;
		expect("create", s->uuid, err, &must_succeed);
	}
	pthread_rwlock_unlock(&s->lock);
}

/*
 * A guest stores a secret with NQAP and fetches the reply with DQAP, in
 * its own context; the machine answers with a response code, whatever
 * it is (0x01 for a queue not in the guest's CRYCB, a state code for a
 * queue resetting, deconfigured or check-stopped). The machine itself
 * records a secret that reaches anybody else (run_check()). A slot
 * without a running guest has no context.
 */
static void op_secret(uint64_t *r)
{
	static const char * const apqns[] = { "05.0004", "05.00ab", "06.0047",
					      "06.00ff", "07.0004", "04.0008" };
	struct slot *s = &slots[ap_rand_below(r, SLOTS)];
	const char *apqn = apqns[ap_rand_below(r, ARRAY_SIZE(apqns))];
	char req[128], answer[256];
	int ctx;

	pthread_rwlock_rdlock(&s->lock);
	ctx = ap_guest_context(s->uuid);
	if (ctx >= 0 ? !s->open : s->open) {
		atomic_fetch_add(&unexpected, 1);
		fprintf(stderr, "mdev %s: guest context %d, guest %s\n", s->uuid,
			ctx, s->open ? "running" : "not running");
	} else if (ctx >= 0) {
		snprintf(req, sizeof(req), "%d nqap %s set-secret 0x%llx", ctx,
			 apqn, (unsigned long long)(ap_rand(r) | 1));
		expect("nqap", req, ap_sim_instr(req, answer, sizeof(answer)),
		       &must_succeed);
		snprintf(req, sizeof(req), "%d dqap %s", ctx, apqn);
		expect("dqap", req, ap_sim_instr(req, answer, sizeof(answer)),
		       &must_succeed);
	}
	pthread_rwlock_unlock(&s->lock);
}

/* New isolation violations the machine recorded since the last call. */
static unsigned long machine_violations(void)
{
	static unsigned long seen;
	char buf[8192], *last;
	unsigned long v, n;

	if (ap_read(SIM "/violations", buf, sizeof(buf))) {
		fprintf(stderr, "cannot read the machine's violations\n");
		return 1;
	}
	last = strstr(buf, "violations: ");
	if (!last || sscanf(last, "violations: %lu", &v) != 1) {
		fprintf(stderr, "the machine's violations file says \"%s\"\n", buf);
		return 1;
	}
	n = v - seen;
	seen = v;
	if (n)
		fprintf(stderr, "%s", buf);
	return n;
}

/* The guest_matrix listing of the CRYCB in a line of ap_sim's guests file. */
static void crycb_apqns(const char *line, char *out, size_t size)
{
	bool apm[256], aqm[256], has_apid = false, has_apqi = false;
	unsigned int a, q;
	char am[80], qm[80];
	size_t used = 0;

	out[0] = '\0';
	if (sscanf(line, "guest %*u apm %79s aqm %79s", am, qm) != 2 ||
	    ap_mask_bits(am, apm) || ap_mask_bits(qm, aqm))
		return;
	for (a = 0; a < 256; a++) {
		has_apid |= apm[a];
		has_apqi |= aqm[a];
	}
	for (a = 0; a < 256; a++)
		for (q = 0; q < 256 && apm[a] && used + 9 < size; q++)
			if (aqm[q])
				used += sprintf(out + used, "%02x.%04x\n", a, q);
	for (a = 0; a < 256 && !has_apqi && used + 5 < size; a++)
		if (apm[a])
			used += sprintf(out + used, "%02x.\n", a);
	for (q = 0; q < 256 && !has_apid && used + 7 < size; q++)
		if (aqm[q])
			used += sprintf(out + used, ".%04x\n", q);
}

/*
 * The CRYCB the machine holds for every running guest is its mdev's
 * guest_matrix. Return: the number of guests for which it is not.
 */
static unsigned long guests_mismatch_once(bool report)
{
	static char guests[1 << 16], want[1 << 16], got[1 << 16];
	char path[128], prefix[32], *line;
	unsigned long bad = 0;
	unsigned int i;
	int ctx;

	if (ap_read(SIM "/guests", guests, sizeof(guests)))
		return 1;
	for (i = 0; i < SLOTS; i++) {
		ctx = slots[i].open ? ap_guest_context(slots[i].uuid) : -1;
		if (ctx < 0)
			continue;
		snprintf(path, sizeof(path), MATRIX "/%s/guest_matrix",
			 slots[i].uuid);
		snprintf(prefix, sizeof(prefix), "guest %d ", ctx);
		line = strstr(guests, prefix);
		if (ap_read(path, want, sizeof(want)) || !line) {
			bad++;
			continue;
		}
		crycb_apqns(line, got, sizeof(got));
		if (strcmp(got, want)) {
			if (report)
				fprintf(stderr, "mdev %s: machine's CRYCB\n%sguest_matrix\n%s",
					slots[i].uuid, got, want);
			bad++;
		}
	}
	return bad;
}

/*
 * The two files are read one after the other; a hot plug of a queue whose
 * zeroize a background retry completed may fall in between. A difference
 * must persist for 5 seconds to count.
 */
static unsigned long guests_mismatch(void)
{
	unsigned int tries;

	for (tries = 0; tries < 50; tries++) {
		if (!guests_mismatch_once(false))
			return 0;
		usleep(100000);
	}
	return guests_mismatch_once(true);
}

static void run_check(void)
{
	char buf[65536], *last;
	unsigned long v = 0;

	atomic_fetch_add(&checks, 1);
	if (ap_read(VDBG "/check", buf, sizeof(buf))) {
		atomic_fetch_add(&violations, 1);
		fprintf(stderr, "cannot read the checker\n");
		return;
	}
	last = strstr(buf, "violations: ");
	if (!last || sscanf(last, "violations: %lu", &v) != 1 || v) {
		atomic_fetch_add(&violations, v ? v : 1);
		fprintf(stderr, "%s", buf);
	}
	atomic_fetch_add(&violations, machine_violations());
	atomic_fetch_add(&violations, guests_mismatch());
}

/* What the machine's CRYCBs hold, per slot with a running guest. */
struct crycbs {
	bool has[SLOTS];
	bool apm[SLOTS][256], aqm[SLOTS][256], adm[SLOTS][256];
};

static void crycbs_read(struct crycbs *c)
{
	static char guests[1 << 16];
	char prefix[32], a[80], q[80], d[80], *line;
	unsigned int i;
	int ctx;

	memset(c, 0, sizeof(*c));
	if (ap_read(SIM "/guests", guests, sizeof(guests)))
		return;
	for (i = 0; i < SLOTS; i++) {
		ctx = slots[i].open ? ap_guest_context(slots[i].uuid) : -1;
		snprintf(prefix, sizeof(prefix), "guest %d ", ctx);
		line = ctx < 0 ? NULL : strstr(guests, prefix);
		if (!line || sscanf(line, "guest %*u apm %79s aqm %79s adm %79s",
				    a, q, d) != 3 ||
		    ap_mask_bits(a, c->apm[i]) || ap_mask_bits(q, c->aqm[i]) ||
		    ap_mask_bits(d, c->adm[i]))
			continue;
		c->has[i] = true;
	}
}

/* The queues and control domains slot @i had in @old that @new lacks. */
static unsigned int crycb_lost(const struct crycbs *old,
			       const struct crycbs *new, unsigned int i)
{
	unsigned int a, q, lost = 0;

	for (a = 0; a < 256; a++)
		for (q = 0; q < 256 && old->apm[i][a]; q++)
			if (old->aqm[i][q] &&
			    (!new->apm[i][a] || !new->aqm[i][q]))
				lost++;
	for (q = 0; q < 256; q++)
		if (old->adm[i][q] && !new->adm[i][q])
			lost++;
	return lost;
}

/*
 * The collateral probe, run while every actor waits: one operation that
 * may not take anything from a running guest (an assignment to any mdev,
 * an unassignment from one mdev, a mask write, a scan), and the machine's
 * CRYCBs before and after. Only an unassignment may take something, and
 * only from its own mdev's guest; a mask write that would take a queue
 * of a guest is refused, as that queue is assigned.
 */
static void probe_collateral(uint64_t *r)
{
	static const char * const files[] = {
		"assign_adapter", "assign_domain", "assign_control_domain",
		"unassign_adapter", "unassign_domain",
		"unassign_control_domain", "apmask", "aqmask", "scans",
	};
	static struct crycbs before, after;
	unsigned int f, w, i, lost, with_queues[SLOTS], n = 0;
	unsigned int id;
	char path[128], val[16];

	crycbs_read(&before);
	for (i = 0; i < SLOTS; i++)
		if (before.has[i] && memchr(before.apm[i], 1, 256) &&
		    memchr(before.aqm[i], 1, 256))
			with_queues[n++] = i;
	/* Mostly an assignment to a guest that has queues: it must keep them. */
	w = n && ap_rand_below(r, 4) ? with_queues[ap_rand_below(r, n)] :
	    ap_rand_below(r, SLOTS);
	f = ap_rand_below(r, 2) ? ap_rand_below(r, 3) :
	    ap_rand_below(r, ARRAY_SIZE(files));
	id = f == 0 || f == 3 || f == 6 ? adapters[ap_rand_below(r, 5)] :
	     domains[ap_rand_below(r, 6)];
	/* Something the guest does not have yet, if there is such a thing. */
	for (i = 0; before.has[w] && f < 2 && i < 8; i++) {
		if (!(f ? before.aqm[w][id] : before.apm[w][id]))
			break;
		id = f ? domains[ap_rand_below(r, 6)] :
		     adapters[ap_rand_below(r, 5)];
	}
	if (f >= 6) {
		snprintf(path, sizeof(path), AP "/%s", files[f]);
		snprintf(val, sizeof(val), f == 8 ? "1" : "%c%u",
			 ap_rand_below(r, 2) ? '+' : '-', id);
	} else {
		snprintf(path, sizeof(path), MATRIX "/%s/%s", slots[w].uuid,
			 files[f]);
		snprintf(val, sizeof(val), "%u", id);
	}
	ap_write(path, val);
	crycbs_read(&after);
	for (i = 0; i < SLOTS; i++) {
		if (!before.has[i] || (i == w && f >= 3 && f <= 5))
			continue;
		lost = after.has[i] ? crycb_lost(&before, &after, i) : 1;
		if (!lost)
			continue;
		atomic_fetch_add(&collateral, 1);
		fprintf(stderr, "collateral: %s %s took %u from the guest of %s\n",
			path, val, lost, slots[i].uuid);
	}
}

/* All actors meet; one checks the invariants; all decide to go on. */
static int quiescent_point(void)
{
	static uint64_t probe_rng = 0x9e3779b97f4a7c15ULL;
	unsigned int i;

	if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD) {
		for (i = 0; i < PROBES; i++)
			probe_collateral(&probe_rng);
		run_check();
		if (time(NULL) > deadline)
			atomic_store(&stop, 1);
	}
	pthread_barrier_wait(&barrier);
	return atomic_load(&stop);
}

static void *actor(void *arg)
{
	void (*const ops[])(uint64_t *r) = {
		op_assign, op_assign, op_assign, op_assign, op_ap_config,
		op_mask, op_sim, op_scan, op_slot, op_slot, op_slot, op_secret,
	};
	uint64_t r = (uint64_t)(uintptr_t)arg;
	unsigned long i;

	for (i = 1; i <= ops_per_thread; i++) {
		ops[ap_rand_below(&r, ARRAY_SIZE(ops))](&r);
		atomic_fetch_add(&ops_done, 1);
		if (i % check_every == 0 && quiescent_point())
			break;
	}
	return NULL;
}

static void setup(void)
{
	static const char * const cmds[] = { "add-adapter 7 CEX6C",
					     "add-domain 8" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		ap_write(SIMCMD, cmds[i]);
	ap_write(AP "/aqmask", "-4,-8,-0x47,-0xab,-0xff");
	for (i = 0; i < SLOTS; i++) {
		pthread_rwlock_init(&slots[i].lock, NULL);
		snprintf(slots[i].uuid, sizeof(slots[i].uuid),
			 "5ee5ee5e-0000-4000-8000-%012u", i);
		slots[i].exists = !ap_write(MTYPE "/create", slots[i].uuid);
	}
}

/* Read a decimal number from a sysfs file; exit if that fails. */
static unsigned int read_id(const char *path)
{
	char buf[32], *end;
	unsigned long v;

	if (ap_read(path, buf, sizeof(buf)))
		buf[0] = '\0';
	v = strtoul(buf, &end, 10);
	if (end == buf || *end != '\n' || v > 255) {
		fprintf(stderr, "cannot read %s\n", path);
		exit(2);
	}
	return v;
}

/*
 * Once its guest stopped, an mdev holds nothing of the guest's
 * interrupts: vfio_ap's irqs file reads "pinned 0" and "iscs 0".
 */
static void expect_irqs_released(const char *uuid)
{
	char path[160], line[64];
	unsigned int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), VDBG "/%s/irqs", uuid);
	f = fopen(path, "r");
	if (!f) {
		unexpected_errno("read irqs", uuid, errno);
		return;
	}
	while (n < 2 && fgets(line, sizeof(line), f))
		if (!strcmp(line, n ? "iscs 0\n" : "pinned 0\n"))
			n++;
		else
			break;
	fclose(f);
	if (n != 2) {
		atomic_fetch_add(&unexpected, 1);
		fprintf(stderr, "unexpected: %s holds interrupts of its stopped guest: %s",
			path, line);
	}
}

static void teardown(void)
{
	static const char * const cmds[] = {
		"checkstop 6 off", "configure 5 on", "configure 7 on",
		"remove-adapter 8", "remove-adapter 7", "remove-domain 9",
		"remove-domain 8", "remove-control-domain 8",
	};
	char path[128];
	unsigned int i;

	ap_write(SIMCMD, "latency all 0");
	for (i = 0; i < SLOTS; i++) {
		if (slots[i].open)
			ap_vm_stop(&slots[i].vm);
		if (slots[i].exists)
			expect_irqs_released(slots[i].uuid);
		snprintf(path, sizeof(path), MATRIX "/%s/remove", slots[i].uuid);
		if (slots[i].exists)
			expect("remove", slots[i].uuid, ap_write(path, "1"),
			       &must_succeed);
	}
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		ap_write(SIMCMD, cmds[i]);
	ap_write(AP "/apmask", "+0-255");
	ap_write(AP "/aqmask", "+0-255");
}

int main(int argc, char **argv)
{
	unsigned long seed = 1, ops = 4000, seconds = 600;
	unsigned int threads = 4, i;
	pthread_t tid[64];
	int opt;

	check_every = 100;
	while ((opt = getopt(argc, argv, "s:n:t:c:T:")) != -1) {
		unsigned long v = optarg ? strtoul(optarg, NULL, 0) : 0;

		if (opt == 's')
			seed = v;
		else if (opt == 'n')
			ops = v;
		else if (opt == 't')
			threads = v;
		else if (opt == 'c')
			check_every = v;
		else if (opt == 'T')
			seconds = v;
		else
			return 2;
	}
	if (!threads || threads > 64 || !check_every)
		return 2;
	ops_per_thread = ops / threads;
	deadline = time(NULL) + seconds;
	pthread_barrier_init(&barrier, NULL, threads);
	setup();
	max_apid = read_id(AP "/ap_max_adapter_id");
	max_apqi = read_id(AP "/ap_max_domain_id");
	adapters[ID_MAX_SLOT(adapters)] = max_apid;
	adapters[ID_MAX_SLOT(adapters) + 1] = max_apid + 1;
	domains[ID_MAX_SLOT(domains)] = max_apqi;
	domains[ID_MAX_SLOT(domains) + 1] = max_apqi + 1;
	for (i = 0; i < threads; i++)
		pthread_create(&tid[i], NULL, actor,
			       (void *)(uintptr_t)(seed * 0x10001 + i + 1));
	for (i = 0; i < threads; i++)
		pthread_join(tid[i], NULL);
	teardown();
	run_check();
	printf("stress: seed %lu, threads %u, ", seed, threads);
	printf("ops %lu, checks %lu, violations %lu, collateral %lu, unexpected %lu\n",
	       atomic_load(&ops_done), atomic_load(&checks),
	       atomic_load(&violations), atomic_load(&collateral),
	       atomic_load(&unexpected));
	return atomic_load(&violations) || atomic_load(&collateral) ||
	       atomic_load(&unexpected);
}
