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
 * resets, and guests storing secrets. Every EVERY operations of each
 * actor all actors wait at a barrier and one of them reads
 * /sys/kernel/debug/vfio_ap/check. An operation that fails with an errno
 * its interface does not document counts as unexpected. The run stops
 * early, at a barrier, after SECONDS.
 *
 * Prints "stress: ops N, checks N, violations N, unexpected N" and exits
 * 0 only if the last two are zero.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include "aptools.h"

#define SLOTS		6
#define AP		"/sys/bus/ap"
#define MATRIX		"/sys/devices/vfio_ap/matrix"
#define SIMCMD		"/sys/kernel/debug/ap_sim/command"
#define VDBG		"/sys/kernel/debug/vfio_ap"

/* The identifiers operations draw from: some absent, one above the max. */
static const unsigned int adapters[] = { 4, 5, 6, 7, 8, 300 };
static const unsigned int domains[] = { 4, 8, 9, 0x47, 0xab, 0xff, 300 };

struct slot {
	pthread_mutex_t lock;	/* guest start/stop and removal */
	char uuid[40];
	struct ap_vfio vfio;
	int open;
};

static struct slot slots[SLOTS];
static pthread_barrier_t barrier;
static atomic_ulong ops_done, unexpected, checks, violations;
static atomic_int stop;
static unsigned long ops_per_thread, check_every;
static time_t deadline;

static void unexpected_errno(const char *what, const char *arg, int err)
{
	atomic_fetch_add(&unexpected, 1);
	fprintf(stderr, "unexpected: %s %s: %s\n", what, arg, strerror(err));
}

/* @err must be 0 or one of the @n errnos of @ok. */
static void expect(const char *what, const char *arg, int err,
		   const int *ok, unsigned int n)
{
	unsigned int i;

	if (!err)
		return;
	for (i = 0; i < n; i++)
		if (err == ok[i])
			return;
	unexpected_errno(what, arg, err);
}

static const int assign_errs[] = { ENODEV, EADDRINUSE, EADDRNOTAVAIL, ENOENT };
static const int mask_errs[] = { EADDRINUSE };
static const int sim_errs[] = { EEXIST, ENOENT, ENODEV };
static const int secret_errs[] = { EACCES, ENODEV, ENOENT, EIO };

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
	char path[128], val[16];

	snprintf(path, sizeof(path), MATRIX "/%s/%s",
		 slots[ap_rand_below(r, SLOTS)].uuid, files[f]);
	snprintf(val, sizeof(val), ap_rand_below(r, 2) ? "%u" : "0x%x", id);
	expect(files[f], val, ap_write(path, val), assign_errs,
	       ARRAY_SIZE(assign_errs));
}

/* An absolute mask with a few of @ids set (those below 256). */
static void random_mask(uint64_t *r, const unsigned int *ids, unsigned int n,
			char *buf)
{
	unsigned char bytes[32] = { 0 };
	unsigned int i, id;

	for (i = 0; i < n; i++) {
		id = ids[i];
		if (id < 256 && ap_rand_below(r, 2))
			bytes[id / 8] |= 0x80 >> (id % 8);
	}
	buf += sprintf(buf, "0x");
	for (i = 0; i < 32; i++)
		buf += sprintf(buf, "%02x", bytes[i]);
}

static void op_ap_config(uint64_t *r)
{
	char path[128], val[256];

	random_mask(r, adapters, ARRAY_SIZE(adapters), val);
	strcat(val, ",");
	random_mask(r, domains, ARRAY_SIZE(domains), val + strlen(val));
	strcat(val, ",");
	random_mask(r, domains, ARRAY_SIZE(domains), val + strlen(val));
	snprintf(path, sizeof(path), MATRIX "/%s/ap_config",
		 slots[ap_rand_below(r, SLOTS)].uuid);
	expect("ap_config", val, ap_write(path, val), assign_errs,
	       ARRAY_SIZE(assign_errs));
}

static void op_mask(uint64_t *r)
{
	int apmask = ap_rand_below(r, 2);
	unsigned int id = apmask ? adapters[ap_rand_below(r, 5)] :
			  domains[ap_rand_below(r, 6)];
	char val[16];

	snprintf(val, sizeof(val), "%c%u", ap_rand_below(r, 2) ? '+' : '-', id);
	expect(apmask ? "apmask" : "aqmask", val,
	       ap_write(apmask ? AP "/apmask" : AP "/aqmask", val), mask_errs,
	       ARRAY_SIZE(mask_errs));
}

static void op_sim(uint64_t *r)
{
	static const char * const cmds[] = {
		"configure 5 off", "configure 5 on", "configure 7 off",
		"configure 7 on", "add-domain 9", "remove-domain 9",
		"add-adapter 8 CEX7C", "remove-adapter 8", "checkstop 6 on",
		"checkstop 6 off", "add-control-domain 8",
		"remove-control-domain 8",
	};
	const char *cmd = cmds[ap_rand_below(r, ARRAY_SIZE(cmds))];

	expect("sim", cmd, ap_write(SIMCMD, cmd), sim_errs,
	       ARRAY_SIZE(sim_errs));
}

static void op_scan(uint64_t *r)
{
	int err = ap_write(AP "/scans", "1");

	(void)r;
	if (err)
		unexpected_errno("scans", "1", err);
}

/* Start or stop a slot's guest, reset it, or create or remove its mdev. */
static void op_slot(uint64_t *r)
{
	struct slot *s = &slots[ap_rand_below(r, SLOTS)];
	unsigned int what = ap_rand_below(r, 4);
	char path[128];
	int err;

	pthread_mutex_lock(&s->lock);
	if (what == 0 && !s->open) {
		err = ap_vfio_open(s->uuid, &s->vfio);
		if (!err)
			s->open = 1;
		else if (err != ENOENT)
			unexpected_errno("open", s->uuid, err);
	} else if (what == 1 && s->open) {
		ap_vfio_close(&s->vfio);
		s->open = 0;
	} else if (what == 2 && s->open) {
		if (ioctl(s->vfio.dev, VFIO_DEVICE_RESET))
			unexpected_errno("VFIO_DEVICE_RESET", s->uuid, errno);
	} else if (what == 3 && !s->open) {
		snprintf(path, sizeof(path), MATRIX "/%s/remove", s->uuid);
		err = ap_write(path, "1");
		if (err == ENOENT)
			err = ap_write(MATRIX "/mdev_supported_types/vfio_ap-passthrough/create",
				       s->uuid);
		if (err)
			unexpected_errno("create/remove", s->uuid, err);
	}
	pthread_mutex_unlock(&s->lock);
}

static void op_secret(uint64_t *r)
{
	static const char * const apqns[] = { "05.0004", "05.00ab", "06.0047",
					      "06.00ff", "07.0004", "04.0008" };
	struct slot *s = &slots[ap_rand_below(r, SLOTS)];
	char path[128], val[64];

	snprintf(path, sizeof(path), VDBG "/%s/secret", s->uuid);
	snprintf(val, sizeof(val), "%s 0x%llx",
		 apqns[ap_rand_below(r, ARRAY_SIZE(apqns))],
		 (unsigned long long)(ap_rand(r) | 1));
	expect("secret", val, ap_write(path, val), secret_errs,
	       ARRAY_SIZE(secret_errs));
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
}

/* All actors meet; one checks the invariants; all decide to go on. */
static int quiescent_point(void)
{
	if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD) {
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
		pthread_mutex_init(&slots[i].lock, NULL);
		snprintf(slots[i].uuid, sizeof(slots[i].uuid),
			 "5ee5ee5e-0000-4000-8000-%012u", i);
		ap_write(MATRIX "/mdev_supported_types/vfio_ap-passthrough/create",
			 slots[i].uuid);
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

	for (i = 0; i < SLOTS; i++) {
		if (slots[i].open)
			ap_vfio_close(&slots[i].vfio);
		snprintf(path, sizeof(path), MATRIX "/%s/remove", slots[i].uuid);
		ap_write(path, "1");
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
	for (i = 0; i < threads; i++)
		pthread_create(&tid[i], NULL, actor,
			       (void *)(uintptr_t)(seed * 0x10001 + i + 1));
	for (i = 0; i < threads; i++)
		pthread_join(tid[i], NULL);
	teardown();
	run_check();
	printf("stress: seed %lu, threads %u, ", seed, threads);
	printf("ops %lu, checks %lu, violations %lu, unexpected %lu\n",
	       atomic_load(&ops_done), atomic_load(&checks),
	       atomic_load(&violations), atomic_load(&unexpected));
	return atomic_load(&violations) || atomic_load(&unexpected);
}
