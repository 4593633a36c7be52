// SPDX-License-Identifier: GPL-2.0
/*
 * apbench: latencies of the AP bus and vfio_ap write paths.
 *
 *   apbench [-r ROUNDS] CONFIG CARD DOMAIN N...
 *
 * With the simulator loaded with the host configuration named CONFIG
 * (CARD one of its cards, DOMAIN one of its usage and control domains),
 * vfio_ap loaded, apmask = adapters 0-127 and aqmask empty, for each N
 * (ascending) it creates background mdevs up to N (each holding one APQN
 * of its own: adapters 128-255 x domains 128-253), then times each
 * operation ROUNDS times (default 300) on a test mdev of its own and
 * prints one line per operation:
 *
 *   CONFIG N OPERATION median_us p99_us ratio_to_floor
 *
 * The floor is a write to a file of ours that does nothing (a card's
 * request_count). It is sampled in the same loop as each operation, one
 * floor write before each timed write, and each ratio is to the floor
 * samples of its own loop, so that drifts of the machine's speed cancel.
 * Each write is one write(2) on a file opened beforehand, timed with
 * CLOCK_MONOTONIC. Operations: the six assignment files, ap_config,
 * apmask/aqmask without and with rebinding, mdev create and remove, guest
 * open and close (the bind ioctl and the last close of the device's cdev,
 * where the driver's open_device and close_device run), and the time
 * from a write's return to the guest's config-change eventfd waking its
 * reader.
 *
 * Where the kernel has the trace events (Documentation/trace.rst), each
 * operation's line is followed by the time it took inside the kernel,
 * read from the events vfio_ap_op and ap_store of the same loop:
 *
 *   CONFIG N OPERATION kernel median_us p99_us
 *
 * and each number of mdevs starts with the reference costs vfio_ap
 * measures in the same run (debugfs vfio_ap/reference):
 *
 *   CONFIG N reference xa_load_ns X bitmap_pass_ns Y clock_step_ns S
 *
 * mdev creation and removal also give the VFIO core's share of them
 * (mdev_create_vfio_core, mdev_remove_vfio_core: its registration and
 * unregistration of the device, inside vfio_ap's probe and remove).
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
static int floor_fd = -1;
static double *samples, *floors;

static int cmp_double(const void *a, const void *b);

/* The trace, if the kernel has the events; else NULL. */
static const char *trace_dir;

static void kern_enable(void)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	char path[160];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dirs) && !trace_dir; i++) {
		snprintf(path, sizeof(path), "%s/events/vfio_ap/vfio_ap_op/enable",
			 dirs[i]);
		if (!ap_write(path, "1"))
			trace_dir = dirs[i];
	}
	if (!trace_dir)
		return;
	snprintf(path, sizeof(path), "%s/events/ap_bus/ap_store/enable",
		 trace_dir);
	ap_write(path, "1");
	snprintf(path, sizeof(path), "%s/buffer_size_kb", trace_dir);
	ap_write(path, "8192");
}

/* An empty trace, for the next loop. */
static void kern_clear(void)
{
	char path[160];
	int fd;

	if (!trace_dir)
		return;
	snprintf(path, sizeof(path), "%s/trace", trace_dir);
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd >= 0)
		close(fd);
}

/*
 * The in-kernel times of the loop's operations named @op_a and @op_b, in
 * microseconds, into @ka and @kb (rounds each); when both names are the
 * same, the operations alternate. Return: false without the events or
 * with fewer samples than rounds.
 */
static bool kern_collect(const char *op_a, double *ka, const char *op_b,
			 double *kb)
{
	unsigned int na = 0, nb = 0;
	unsigned long long ns;
	char path[160], line[512], op[64];
	bool same = !strcmp(op_a, op_b), next_a = true;
	FILE *f;
	char *p;

	if (!trace_dir)
		return false;
	snprintf(path, sizeof(path), "%s/trace", trace_dir);
	f = fopen(path, "r");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		p = strstr(line, " op=");
		if (!p || sscanf(p, " op=%63s ns=%llu", op, &ns) != 2)
			continue;
		if (same ? !strcmp(op, op_a) && next_a : !strcmp(op, op_a)) {
			if (na < rounds)
				ka[na++] = ns / 1e3;
			next_a = false;
		} else if (!strcmp(op, op_b)) {
			if (nb < rounds)
				kb[nb++] = ns / 1e3;
			next_a = true;
		}
	}
	fclose(f);
	return na == rounds && (!kb || nb == rounds);
}

/* "CONFIG N OP kernel median p99" for @k (sorted here). */
static void kern_report(const char *cfg, unsigned int n, const char *op,
			double *k)
{
	qsort(k, rounds, sizeof(*k), cmp_double);
	printf("%s %u %s kernel %.2f %.2f\n", cfg, n, op, k[rounds / 2],
	       k[(rounds * 99) / 100]);
}

/* The reference costs of this run: "CONFIG N reference ...". */
static void kern_reference(const char *cfg, unsigned int n)
{
	char buf[128], *nl;

	if (ap_read("/sys/kernel/debug/vfio_ap/reference", buf, sizeof(buf)))
		return;
	while ((nl = strchr(buf, '\n')))
		*nl = ' ';
	printf("%s %u reference %s\n", cfg, n, buf);
}

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

static double median(double *v)
{
	qsort(v, rounds, sizeof(*v), cmp_double);
	return v[rounds / 2];
}

/* Print the line of @op from samples[]; the floor is floors[] of its loop. */
static void report(const char *cfg, unsigned int n, const char *op,
		   double floor_us)
{
	double med = median(samples);

	printf("%s %u %s %.1f %.1f %.2f\n", cfg, n, op, med,
	       samples[(rounds * 99) / 100], med / floor_us);
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

/* One floor sample, taken just before the @i-th timed operation. */
static void floor_sample(unsigned int i)
{
	floors[i] = timed_write(floor_fd, "254");
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

/* Report samples[] as @op_a and @b as @op_b, both against floors[]. */
static void report_two(const char *cfg, unsigned int n, const char *op_a,
		       double *b, const char *op_b)
{
	double floor_us = median(floors);

	report(cfg, n, op_a, floor_us);
	memcpy(samples, b, rounds * sizeof(*b));
	free(b);
	report(cfg, n, op_b, floor_us);
}

/*
 * Report a loop's two operations (user-space samples[] and @b, @b freed)
 * and, where the events are there, the in-kernel times of the
 * operations the kernel names @kop_a and @kop_b.
 */
static void kern_pair(const char *cfg, unsigned int n, const char *kop_a,
		      const char *op_a, const char *kop_b, const char *op_b,
		      double *b)
{
	double *ka = calloc(rounds, sizeof(double));
	double *kb = calloc(rounds, sizeof(double));
	bool ok = ka && kb && kern_collect(kop_a, ka, kop_b, kb);

	report_two(cfg, n, op_a, b, op_b);
	if (ok) {
		kern_report(cfg, n, op_a, ka);
		kern_report(cfg, n, op_b, kb);
	}
	free(ka);
	free(kb);
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
	const char *kop_a = strrchr(path_a, '/') + 1;
	const char *kop_b = strrchr(path_b, '/') + 1;
	double *b = malloc(rounds * sizeof(*b));
	int fa = open(path_a, O_WRONLY), fb = open(path_b, O_WRONLY);
	unsigned int i;

	if (fa < 0 || fb < 0 || !b) {
		perror(path_a);
		exit(1);
	}
	kern_clear();
	for (i = 0; i < rounds; i++) {
		floor_sample(i);
		samples[i] = timed_write(fa, text_a);
		b[i] = timed_write(fb, text_b);
	}
	close(fa);
	close(fb);
	kern_pair(cfg, n, kop_a, op_a, kop_b, op_b, b);
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

/* The floor against itself: two floor writes per round. */
static void bench_floor(const char *cfg, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < rounds; i++) {
		floor_sample(i);
		samples[i] = timed_write(floor_fd, "254");
	}
	report(cfg, n, "floor", median(floors));
}

/* The VFIO core's share of the loop's creations and removals. */
static void kern_vfio_core(const char *cfg, unsigned int n)
{
	double *ka = calloc(rounds, sizeof(double));
	double *kb = calloc(rounds, sizeof(double));

	if (ka && kb && kern_collect("create_vfio_core", ka,
				     "remove_vfio_core", kb)) {
		kern_report(cfg, n, "mdev_create_vfio_core", ka);
		kern_report(cfg, n, "mdev_remove_vfio_core", kb);
	}
	free(ka);
	free(kb);
}

static void bench_create_remove(const char *cfg, unsigned int n)
{
	double *b = malloc(rounds * sizeof(*b));
	int fc = open(CREATE, O_WRONLY);
	unsigned int i;
	int fr;

	if (fc < 0 || !b)
		exit(1);
	kern_clear();
	for (i = 0; i < rounds; i++) {
		floor_sample(i);
		samples[i] = timed_write(fc, TEST2);
		fr = open_attr(TEST2, "remove");
		b[i] = timed_write(fr, "1");
		close(fr);
	}
	close(fc);
	kern_vfio_core(cfg, n);
	kern_pair(cfg, n, "create", "mdev_create", "remove", "mdev_remove", b);
}

/*
 * Guest open is VFIO_DEVICE_BIND_IOMMUFD on a freshly opened cdev (the
 * driver's open_device runs in it), guest close the cdev's last close
 * (close_device): the syscalls around them are QEMU's, not ours.
 */
static void bench_open_close(const char *cfg, unsigned int n)
{
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };
	double *b = malloc(rounds * sizeof(*b));
	char path[512];
	unsigned int i;
	int dev;
	double t0;

	bind.iommufd = open("/dev/iommu", O_RDWR);
	if (!b || bind.iommufd < 0 || ap_vfio_cdev_path(TEST, path, sizeof(path)))
		exit(1);
	kern_clear();
	for (i = 0; i < rounds; i++) {
		dev = open(path, O_RDWR);
		floor_sample(i);
		t0 = now_us();
		if (dev < 0 || ioctl(dev, VFIO_DEVICE_BIND_IOMMUFD, &bind)) {
			perror("cannot open the test mdev");
			exit(1);
		}
		samples[i] = now_us() - t0;
		t0 = now_us();
		close(dev);
		b[i] = now_us() - t0;
	}
	close(bind.iommufd);
	kern_pair(cfg, n, "open", "guest_open", "close", "guest_close", b);
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
	struct ap_vfio v;
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
		floor_sample(i);
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
	report(cfg, n, "notify_wakeup", median(floors));
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
	char path[256];
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
	floors = calloc(rounds, sizeof(*floors));
	snprintf(path, sizeof(path), "/sys/bus/ap/devices/%s/request_count",
		 card);
	floor_fd = open(path, O_WRONLY);
	if (!samples || !floors || floor_fd < 0 || ap_write(CREATE, TEST) ||
	    ap_write(MATRIX "/" TEST "/assign_domain", "254") ||
	    ap_write(MATRIX "/" TEST "/assign_adapter", "255"))
		return 1;
	kern_enable();
	for (i = optind + 3; i < argc; i++) {
		n = strtoul(argv[i], NULL, 0);
		grow_mdevs(have, n);
		have = n;
		sleep(1);	/* let the growth's deferred work settle */
		kern_reference(cfg, n);
		bench_floor(cfg, n);
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
