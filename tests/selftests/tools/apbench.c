// SPDX-License-Identifier: GPL-2.0
/*
 * apbench: latencies of the AP bus and vfio_ap write paths.
 *
 *   apbench [-r ROUNDS] CONFIG CARD DOMAIN N...
 *
 * With the simulator loaded with the host configuration named CONFIG
 * (CARD one of its cards, DOMAIN one of its usage and control domains),
 * vfio_ap loaded, apmask = adapters 0-127 and aqmask empty, for each N
 * (ascending) it creates background mdevs up
 * to N (each holding one APQN of its own: adapters 128-255 x domains
 * 128-253), then times each operation ROUNDS times (default 300) on a
 * test mdev of its own and prints one line per operation:
 *
 *   CONFIG N OPERATION median_us p99_us ratio_to_floor
 *
 * The floor is a write of the same size to a file of ours that does
 * nothing (a card's request_count). Each write is one write(2) on a file
 * opened beforehand, timed with CLOCK_MONOTONIC. Operations: the six
 * assignment files, ap_config, apmask/aqmask without and with rebinding,
 * mdev create and remove, guest open and close, and the time from a
 * write's return to the guest's config-change eventfd waking its reader.
 */
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <time.h>
#include <ap/vfio_ap.h>
#include "aptools.h"

#define MATRIX	"/sys/devices/vfio_ap/matrix"
#define CREATE	MATRIX "/mdev_supported_types/vfio_ap-passthrough/create"
#define TEST	"be4c0000-0000-4000-8000-000000000000"
#define TEST2	"be4c0000-0000-4000-8000-000000000001"

static unsigned int rounds = 300;
static double floor_us;
static double *samples;

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *cfg, unsigned int n, const char *op)
{
	double med, p99;

	qsort(samples, rounds, sizeof(*samples), cmp_double);
	med = samples[rounds / 2];
	p99 = samples[(rounds * 99) / 100];
	printf("%s %u %s %.1f %.1f %.2f\n", cfg, n, op, med, p99,
	       floor_us > 0 ? med / floor_us : 1.0);
	fflush(stdout);
}

/* Time one write(2) of @text to the open @fd. */
static double timed_write(int fd, const char *text)
{
	size_t len = strlen(text);
	double t0 = now_us();

	if (pwrite(fd, text, len, 0) != (ssize_t)len) {
		fprintf(stderr, "write \"%s\": %s\n", text, strerror(errno));
		exit(1);
	}
	return now_us() - t0;
}

static int open_attr(const char *uuid, const char *attr)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), MATRIX "/%s/%s", uuid, attr);
	fd = open(path, O_WRONLY);
	if (fd < 0) {
		perror(path);
		exit(1);
	}
	return fd;
}

/*
 * Alternate two writes to two files (doing and undoing), timing each:
 * ROUNDS samples of the first go to @op_a, of the second to @op_b.
 */
static void bench_pair(const char *cfg, unsigned int n, const char *path_a,
		       const char *text_a, const char *op_a,
		       const char *path_b, const char *text_b,
		       const char *op_b)
{
	double *b = malloc(rounds * sizeof(*b));
	int fa = open(path_a, O_WRONLY), fb = open(path_b, O_WRONLY);
	unsigned int i;

	if (fa < 0 || fb < 0 || !b) {
		perror(path_a);
		exit(1);
	}
	for (i = 0; i < rounds; i++) {
		samples[i] = timed_write(fa, text_a);
		b[i] = timed_write(fb, text_b);
	}
	close(fa);
	close(fb);
	report(cfg, n, op_a);
	memcpy(samples, b, rounds * sizeof(*b));
	free(b);
	report(cfg, n, op_b);
}

static void bench_assign(const char *cfg, unsigned int n, const char *what,
			 const char *id)
{
	char a[256], u[256], op_a[64], op_u[64];

	snprintf(a, sizeof(a), MATRIX "/" TEST "/assign_%s", what);
	snprintf(u, sizeof(u), MATRIX "/" TEST "/unassign_%s", what);
	snprintf(op_a, sizeof(op_a), "assign_%s", what);
	snprintf(op_u, sizeof(op_u), "unassign_%s", what);
	bench_pair(cfg, n, a, id, op_a, u, id, op_u);
}

static void bench_floor(const char *cfg, unsigned int n, const char *card)
{
	char path[256];
	int fd;
	unsigned int i;

	snprintf(path, sizeof(path), "/sys/bus/ap/devices/%s/request_count",
		 card);
	fd = open(path, O_WRONLY);
	if (fd < 0) {
		perror(path);
		exit(1);
	}
	for (i = 0; i < rounds; i++)
		samples[i] = timed_write(fd, "254");
	close(fd);
	floor_us = 0;
	report(cfg, n, "floor");
	floor_us = samples[rounds / 2];
}

static void bench_create_remove(const char *cfg, unsigned int n)
{
	double *b = malloc(rounds * sizeof(*b));
	int fc = open(CREATE, O_WRONLY);
	unsigned int i;
	int fr;

	if (fc < 0 || !b)
		exit(1);
	for (i = 0; i < rounds; i++) {
		samples[i] = timed_write(fc, TEST2);
		fr = open_attr(TEST2, "remove");
		b[i] = timed_write(fr, "1");
		close(fr);
	}
	close(fc);
	report(cfg, n, "mdev_create");
	memcpy(samples, b, rounds * sizeof(*b));
	free(b);
	report(cfg, n, "mdev_remove");
}

static void bench_open_close(const char *cfg, unsigned int n)
{
	double *b = malloc(rounds * sizeof(*b));
	struct ap_vfio v = { -1, -1 };
	unsigned int i;
	double t0;

	if (!b)
		exit(1);
	for (i = 0; i < rounds; i++) {
		t0 = now_us();
		if (ap_vfio_open(TEST, &v)) {
			fprintf(stderr, "cannot open the test mdev\n");
			exit(1);
		}
		samples[i] = now_us() - t0;
		t0 = now_us();
		ap_vfio_close(&v);
		b[i] = now_us() - t0;
	}
	report(cfg, n, "guest_open");
	memcpy(samples, b, rounds * sizeof(*b));
	free(b);
	report(cfg, n, "guest_close");
}

struct waker {
	int efd;
	uint64_t woke;	/* when the reader woke, in ns */
	int stop;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void *wait_eventfd(void *arg)
{
	struct waker *w = arg;
	uint64_t c;

	while (read(w->efd, &c, sizeof(c)) == sizeof(c) && !w->stop)
		__atomic_store_n(&w->woke, now_ns(), __ATOMIC_RELEASE);
	return NULL;
}

/* From a write's return to the guest's config-change eventfd reader. */
static void bench_notify(const char *cfg, unsigned int n, const char *dom)
{
	char buf[sizeof(struct vfio_irq_set) + sizeof(int32_t)];
	struct vfio_irq_set *set = (struct vfio_irq_set *)buf;
	struct waker w = { .efd = eventfd(0, 0) };
	int fa = open_attr(TEST, "assign_control_domain");
	int fu = open_attr(TEST, "unassign_control_domain");
	struct ap_vfio v = { -1, -1 };
	pthread_t tid;
	unsigned int i;
	int32_t fd = w.efd;
	uint64_t done;

	if (ap_vfio_open(TEST, &v))
		exit(1);
	set->argsz = sizeof(buf);
	set->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	set->index = VFIO_AP_IRQ_CFG_CHG;
	set->start = 0;
	set->count = 1;
	memcpy(set->data, &fd, sizeof(fd));
	if (ioctl(v.dev, VFIO_DEVICE_SET_IRQS, set))
		exit(1);
	pthread_create(&tid, NULL, wait_eventfd, &w);
	for (i = 0; i < rounds; i++) {
		w.woke = 0;
		timed_write(i & 1 ? fu : fa, dom);
		done = now_ns();
		while (!__atomic_load_n(&w.woke, __ATOMIC_ACQUIRE))
			sched_yield();
		samples[i] = ((double)w.woke - (double)done) / 1000;
	}
	w.stop = 1;
	timed_write(i & 1 ? fu : fa, dom);
	pthread_join(tid, NULL);
	ap_vfio_close(&v);
	close(fa);
	close(fu);
	report(cfg, n, "notify_wakeup");
}

/* Background mdev i: one APQN, adapter 128 + i / 126, domain 128 + i % 126. */
static void grow_mdevs(unsigned int from, unsigned int to)
{
	char uuid[40], val[256], path[256];
	unsigned char apm[32], aqm[32];
	unsigned int i, k;

	for (i = from; i < to; i++) {
		snprintf(uuid, sizeof(uuid), "b9000000-0000-4000-8000-%012u", i);
		if (ap_write(CREATE, uuid)) {
			fprintf(stderr, "create %s: %s\n", uuid, strerror(errno));
			exit(1);
		}
		memset(apm, 0, sizeof(apm));
		memset(aqm, 0, sizeof(aqm));
		apm[(128 + i / 126) / 8] |= 0x80 >> ((128 + i / 126) % 8);
		aqm[(128 + i % 126) / 8] |= 0x80 >> ((128 + i % 126) % 8);
		k = sprintf(val, "0x");
		for (unsigned int b = 0; b < 32; b++)
			k += sprintf(val + k, "%02x", apm[b]);
		k += sprintf(val + k, ",0x");
		for (unsigned int b = 0; b < 32; b++)
			k += sprintf(val + k, "%02x", aqm[b]);
		sprintf(val + k, ",0x0");
		snprintf(path, sizeof(path), MATRIX "/%s/ap_config", uuid);
		if (ap_write(path, val)) {
			fprintf(stderr, "ap_config %s: %s\n", uuid, strerror(errno));
			exit(1);
		}
	}
}

int main(int argc, char **argv)
{
	const char *cfg, *card, *dom;
	unsigned int have = 0, n;
	int opt, i;

	while ((opt = getopt(argc, argv, "r:")) != -1) {
		if (opt != 'r')
			return 2;
		rounds = strtoul(optarg, NULL, 0);
	}
	if (optind + 4 > argc || rounds < 10)
		return 2;
	cfg = argv[optind];
	card = argv[optind + 1];	/* a card of the configuration */
	dom = argv[optind + 2];		/* a domain of it, for rebinding */
	samples = calloc(rounds, sizeof(*samples));
	if (!samples || ap_write(CREATE, TEST) ||
	    ap_write(MATRIX "/" TEST "/assign_domain", "254") ||
	    ap_write(MATRIX "/" TEST "/assign_adapter", "255"))
		return 1;
	for (i = optind + 3; i < argc; i++) {
		n = strtoul(argv[i], NULL, 0);
		grow_mdevs(have, n);
		have = n;
		bench_floor(cfg, n, card);
		bench_assign(cfg, n, "adapter", "254");
		bench_assign(cfg, n, "domain", "255");
		bench_assign(cfg, n, "control_domain", "254");
		bench_pair(cfg, n, MATRIX "/" TEST "/ap_config",
			   "0x03,0x0000000000000000000000000000000000000000000000000000000000000003,0x03",
			   "ap_config", MATRIX "/" TEST "/ap_config",
			   "0x01,0x0000000000000000000000000000000000000000000000000000000000000002,0x0",
			   "ap_config_back");
		bench_pair(cfg, n, "/sys/bus/ap/apmask", "+200", "apmask_norebind",
			   "/sys/bus/ap/apmask", "-200", "apmask_norebind_back");
		{
			char plus[16], minus[16];

			snprintf(plus, sizeof(plus), "+%s", dom);
			snprintf(minus, sizeof(minus), "-%s", dom);
			bench_pair(cfg, n, "/sys/bus/ap/aqmask", plus,
				   "aqmask_rebind_to_host", "/sys/bus/ap/aqmask",
				   minus, "aqmask_rebind_to_vfio");
		}
		bench_create_remove(cfg, n);
		bench_open_close(cfg, n);
		bench_notify(cfg, n, dom);
	}
	return 0;
}
