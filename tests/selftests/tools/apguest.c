// SPDX-License-Identifier: GPL-2.0
/*
 * apguest: a guest of a vfio_ap mediated device, as QEMU's vfio-ap
 * device drives it.
 *
 *   apguest [-g] [-e EVENTS] [-k] [-c] UUID
 *   apguest [-g] -x UUID INSTRUCTION [APQN [ARGS]]
 *   apguest [-g] -V UUID
 *
 * Opens the mdev's VFIO device as current QEMU does, through its cdev
 * (/dev/vfio/devices/vfioN) and an iommufd (bind, IOAS, attach), or with
 * -g as QEMU 7.2 does, through the mdev's VFIO group and a container
 * (/dev/vfio/N, /dev/vfio/vfio, type1v2 IOMMU, a few MiB of "guest RAM"
 * mapped for DMA, the device from the group; see ap_vfio_open() and
 * ap_vfio_open_group() in aptools.h). A step that fails is named in the
 * error line with its errno. Everything after the open is the same in
 * both flows: it checks VFIO_DEVICE_GET_INFO and the two interrupt
 * indexes, installs an eventfd on each (release request, configuration
 * changed) and resets the device. Opening the
 * device made the machine create a guest context for it (its number is
 * in vfio_ap's debugfs); apguest then plays the guest's operating system
 * in that context, as a Linux guest's AP bus does: PQAP(QCI) for the
 * adapters and domains it has, TAPQ on each of their queues for type,
 * mode and state, and prints the table lszcrypt would show from those
 * answers only. A queue answering 0x01 is not there; one in another
 * state than normal is listed with the state. It asks QCI again and
 * prints the table again after every configuration change, and exits
 * after EVENTS of them, on SIGINT/SIGTERM, or when asked to release the
 * device (after closing it); with -k it notes the request and keeps the
 * device, as a guest that ignores it would. SIGUSR1 makes it reset the
 * device (VFIO_DEVICE_RESET), as QEMU does when the guest resets. Every
 * block of output starts with a line "== ..." and is flushed at once, so
 * that a test can follow it.
 *
 * With -c it also reads commands from its standard input, one a line,
 * as the guest's operating system would act, and answers each with a
 * line "== ...":
 *
 *   aqic APQN on ISC OFFSET   PQAP(AQIC) enabling the queue's interrupts
 *                             with its notification byte at OFFSET of
 *                             the guest's RAM (guest address = OFFSET,
 *                             the RAM is at 0), which is cleared first;
 *                             "== aqic APQN rc=0xRC irq=N"; a response
 *                             code other than 0 changes nothing the
 *                             guest set before
 *   aqic APQN off             disabling them; the same answer
 *   request APQN              NQAP get-secret; if the guest enabled the
 *                             queue's interrupts, it waits (up to 5 s)
 *                             until its notification byte is set and its
 *                             ISC pending in its GISA (TPI), as a Linux
 *                             guest waits for the interrupt, and only
 *                             then dequeues: "== reply APQN irq nib=N
 *                             ipm=0xM dqap rc=0xRC" or "== reply APQN no
 *                             interrupt nib=N ipm=0xM"; without
 *                             interrupts it dequeues at once ("polled")
 *   unmap                     unmap its RAM for DMA; "== unmap OK|ERRNO"
 *   open UUID2                open a second mdev's device in the same
 *                             process (the same VM), in the same flow,
 *                             and close it again: "== open UUID2 OK" or
 *                             "== open UUID2 STEP: ERRNO"
 *   x INSTRUCTION...          any instruction, as -x; the answer line
 *
 * and the device's migration, as QEMU drives it (apmig.h):
 *
 *   mig-flags                 "== mig-flags 0xF" (VFIO_DEVICE_FEATURE_MIGRATION)
 *   mig-get                   "== mig-state STATE"
 *   mig-set STATE             one state change, as VFIO names it (stop,
 *                             running, stop_copy, resuming, pre_copy,
 *                             error, ...): "== mig-set STATE OK" (with
 *                             " fd" if it gave a data file, which is
 *                             kept) or "== mig-set STATE ERRNO"
 *   mig-size                  "== mig-size N" (VFIO_DEVICE_FEATURE_MIG_DATA_SIZE)
 *   mig-read                  read the kept data file to its end:
 *                             "== mig-read N" or "== mig-read ERRNO"
 *   mig-write FILE            write FILE into the kept data file:
 *                             "== mig-write OK|ERRNO"
 *   mig-save PATH             the source's half of a migration: STOP,
 *                             STOP_COPY, the data file read into PATH,
 *                             the guest's RAM into PATH.ram, its own
 *                             record of the queues whose interrupts it
 *                             enabled into PATH.os; "== mig-save OK N"
 *                             (N bytes) or "== mig-save STEP ERRNO"; the
 *                             device stays in STOP_COPY
 *   mig-load PATH [CHUNK]     the destination's half: the guest's RAM
 *                             and records from PATH.ram and PATH.os,
 *                             then STOP, RESUMING, PATH written (in
 *                             writes of CHUNK bytes, default 4096),
 *                             STOP, RUNNING: "== mig-load OK N" or
 *                             "== mig-load STEP ERRNO"
 *
 * An unknown command is answered "== error ...". At the end of the
 * input it goes on as without -c.
 *
 * With -x it issues one instruction in the context of the guest running
 * on mdev UUID, as that guest's operating system would on one of its
 * CPUs, and prints the machine's answer line (see the simulated
 * facility's "instr" file in Documentation/simulator.rst): qci; tapq,
 * rapq, zapq, dqap APQN; aqic APQN on|off; nqap APQN set-secret VALUE or
 * get-secret. Exit status 0 when the machine answered, whatever its
 * response code. It opens nothing, so -g changes nothing there.
 *
 * With -V it opens the device as a guest does, prints the answers of the
 * VFIO ioctls to requests outside their contract (SET_IRQS with start 1,
 * count 2, a third index, other actions and data types; a third IRQ
 * index; region info), one line "WHAT: OK|ERRNO", and closes it. With -g
 * it adds the container's answer to a second map of the guest's RAM
 * (EEXIST once the open mapped it).
 *
 * The guest's instructions reach the simulated machine through its
 * debugfs file /sys/kernel/debug/ap_sim/instr: they stand for the
 * instructions a guest CPU executes under interpretation.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <ap/vfio_ap.h>
#include "aptools.h"
#include "apmig.h"

#define FUNC_CCA	0x10000000u
#define FUNC_ACCEL	0x08000000u
#define FUNC_EP11	0x04000000u

#define IDS		256

/* The interrupts a guest enabled on one queue, as its AP bus keeps them. */
struct guest_irq {
	unsigned int apqn;
	unsigned int isc;
	size_t nib;		/* offset of the notification byte in RAM */
};

struct guest {
	const char *uuid;
	bool group_flow;
	struct guest_irq irqs[16];
	unsigned int nirqs;
	struct ap_vfio vfio;
	int dev;
	int efd[VFIO_AP_IRQS];
	int sigfd;
	unsigned int context;
	int mig_fd;
};

static void die(const char *fmt, ...)
{
	va_list ap;

	int err = errno;

	va_start(ap, fmt);
	fprintf(stdout, "== error: ");
	vfprintf(stdout, fmt, ap);
	fprintf(stdout, " (%s: %s)\n", strerrorname_np(err) ?: "?",
		strerror(err));
	va_end(ap);
	exit(1);
}

static void check_device(struct guest *g)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	unsigned int i;

	if (ioctl(g->dev, VFIO_DEVICE_GET_INFO, &info))
		die("VFIO_DEVICE_GET_INFO");
	if (!(info.flags & VFIO_DEVICE_FLAGS_AP) ||
	    !(info.flags & VFIO_DEVICE_FLAGS_RESET) ||
	    info.num_irqs != VFIO_AP_IRQS || info.num_regions) {
		errno = EINVAL;
		die("unexpected device info: flags 0x%x irqs %u regions %u",
		    info.flags, info.num_irqs, info.num_regions);
	}
	for (i = 0; i < VFIO_AP_IRQS; i++) {
		struct vfio_irq_info irq = { .argsz = sizeof(irq), .index = i };

		if (ioctl(g->dev, VFIO_DEVICE_GET_IRQ_INFO, &irq))
			die("VFIO_DEVICE_GET_IRQ_INFO %u", i);
		if (irq.count != 1 || !(irq.flags & VFIO_IRQ_INFO_EVENTFD)) {
			errno = EINVAL;
			die("unexpected IRQ info %u", i);
		}
	}
}

/* VFIO_DEVICE_SET_IRQS with every field given; 0 or the errno. */
static int set_irqs(struct guest *g, uint32_t flags, uint32_t index,
		    uint32_t start, uint32_t count, int32_t fd)
{
	char buf[sizeof(struct vfio_irq_set) + 2 * sizeof(int32_t)];
	struct vfio_irq_set *set = (struct vfio_irq_set *)buf;

	set->argsz = sizeof(struct vfio_irq_set) +
		     (flags & VFIO_IRQ_SET_DATA_EVENTFD ? count * sizeof(fd) : 0);
	set->flags = flags;
	set->index = index;
	set->start = start;
	set->count = count;
	memcpy(set->data, &fd, sizeof(fd));
	memcpy(set->data + sizeof(fd), &fd, sizeof(fd));
	return ioctl(g->dev, VFIO_DEVICE_SET_IRQS, set) ? errno : 0;
}

/*
 * apguest -V UUID: the VFIO ioctls' answers to what a careless or hostile
 * user space may ask, one line each: "WHAT: OK" or "WHAT: ERRNO-NAME".
 */
static void probe_ioctls(struct guest *g)
{
	const uint32_t trig = VFIO_IRQ_SET_ACTION_TRIGGER;
	const uint32_t efd = VFIO_IRQ_SET_DATA_EVENTFD | trig;
	struct vfio_irq_info irq = { .argsz = sizeof(irq), .index = 2 };
	struct vfio_region_info reg = { .argsz = sizeof(reg) };
	int fd = eventfd(0, EFD_CLOEXEC);
	const struct {
		const char *what;
		int err;
	} probes[] = {
		{ "set_irqs index 0 start 0 count 1", set_irqs(g, efd, 0, 0, 1, fd) },
		{ "set_irqs index 1 start 0 count 1", set_irqs(g, efd, 1, 0, 1, fd) },
		{ "set_irqs index 0 start 1 count 1", set_irqs(g, efd, 0, 1, 1, fd) },
		{ "set_irqs index 1 start 1 count 1", set_irqs(g, efd, 1, 1, 1, fd) },
		{ "set_irqs index 0 start 0 count 2", set_irqs(g, efd, 0, 0, 2, fd) },
		{ "set_irqs index 2 start 0 count 1", set_irqs(g, efd, 2, 0, 1, fd) },
		{ "set_irqs action mask", set_irqs(g, VFIO_IRQ_SET_DATA_EVENTFD |
				VFIO_IRQ_SET_ACTION_MASK, 0, 0, 1, fd) },
		{ "set_irqs data bool", set_irqs(g, VFIO_IRQ_SET_DATA_BOOL | trig,
						 0, 0, 1, 1) },
		{ "set_irqs release with fd -1", set_irqs(g, efd, 0, 0, 1, -1) },
		{ "set_irqs release with count 0, data none",
		  set_irqs(g, VFIO_IRQ_SET_DATA_NONE | trig, 1, 0, 0, 0) },
		{ "get_irq_info index 2",
		  ioctl(g->dev, VFIO_DEVICE_GET_IRQ_INFO, &irq) ? errno : 0 },
		{ "get_region_info",
		  ioctl(g->dev, VFIO_DEVICE_GET_REGION_INFO, &reg) ? errno : 0 },
	};
	unsigned int i;

	printf("== ioctls\n");
	for (i = 0; i < ARRAY_SIZE(probes); i++)
		printf("%s: %s\n", probes[i].what,
		       probes[i].err ? strerrorname_np(probes[i].err) : "OK");
	printf("== end\n");
	fflush(stdout);
	close(fd);
}

/*
 * apguest -g -V UUID: the container's answer to a second map of the
 * guest's RAM; EEXIST shows that the open mapped it.
 */
static void probe_container(struct guest *g)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)g->vfio.ram,
		.size = AP_VFIO_RAM_SIZE,
	};
	int err = ioctl(g->vfio.container, VFIO_IOMMU_MAP_DMA, &map) ?
		  errno : 0;

	printf("== container\n");
	printf("map_dma of the guest's RAM again: %s\n",
	       err ? strerrorname_np(err) : "OK");
	printf("== end\n");
	fflush(stdout);
}

/* Install eventfd @fd (or -1 to release) on interrupt index @index. */
static int set_trigger(struct guest *g, unsigned int index, int32_t fd)
{
	char buf[sizeof(struct vfio_irq_set) + sizeof(int32_t)];
	struct vfio_irq_set *set = (struct vfio_irq_set *)buf;

	set->argsz = sizeof(buf);
	set->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	set->index = index;
	set->start = 0;
	set->count = 1;
	memcpy(set->data, &fd, sizeof(fd));
	return ioctl(g->dev, VFIO_DEVICE_SET_IRQS, set);
}

static const char *mode_name(unsigned int functions)
{
	if (functions & FUNC_CCA)
		return "CCA-Coproc";
	if (functions & FUNC_ACCEL)
		return "Accelerator";
	if (functions & FUNC_EP11)
		return "EP11-Coproc";
	return "Unknown";
}

static void type_name(unsigned int type, unsigned int functions, char *buf,
		      size_t size)
{
	char mode = functions & FUNC_CCA ? 'C' : functions & FUNC_ACCEL ? 'A' :
		    functions & FUNC_EP11 ? 'P' : '?';

	if (type >= 10)
		snprintf(buf, size, "CEX%u%c", type - 6, mode);
	else
		snprintf(buf, size, "-");
}

/*
 * Issue one instruction in guest context @context; @answer receives the
 * machine's answer line. Return: 0, or -1 with errno set.
 */
static int instr(unsigned int context, const char *request, char *answer,
		 size_t size)
{
	char line[256];

	snprintf(line, sizeof(line), "%u %s", context, request);
	errno = ap_sim_instr(line, answer, size);
	return errno ? -1 : 0;
}

/* PQAP(QCI) in the guest's context: the adapters and domains it has. */
static void guest_qci(struct guest *g, bool apm[IDS], bool aqm[IDS])
{
	char answer[512], a[80], q[80];
	unsigned int rc;

	if (instr(g->context, "qci", answer, sizeof(answer)))
		die("PQAP(QCI)");
	if (sscanf(answer, "rc=%x apm %79s aqm %79s", &rc, a, q) != 3 ||
	    rc || ap_mask_bits(a, apm) || ap_mask_bits(q, aqm)) {
		errno = EPROTO;
		die("PQAP(QCI) answered \"%s\"", answer);
	}
}

/* What a guest's AP bus makes of a TAPQ response code. */
static const char *queue_state(unsigned int rc)
{
	static char other[16];

	switch (rc) {
	case 0x00:
		return NULL;
	case 0x02:
		return "reset in progress";
	case 0x03:
		return "deconfigured";
	case 0x04:
		return "checkstopped";
	case 0x05:
		return "busy";
	}
	snprintf(other, sizeof(other), "rc 0x%02x", rc);
	return other;
}

/* One line of the table, with the queue's state if it is not normal. */
static void print_line(const char *name, const char *type,
		       unsigned int functions, const char *state)
{
	if (state)
		printf("%-11s %-5s %-11s (%s)\n", name, type,
		       mode_name(functions), state);
	else
		printf("%-11s %-5s %s\n", name, type, mode_name(functions));
}

/* TAPQ on one queue; print it (and its card first) unless it is not there. */
static void print_queue(struct guest *g, unsigned int apid, unsigned int apqi,
			unsigned int *card)
{
	unsigned int rc, type = 0, functions = 0;
	char req[64], answer[256], name[16], tname[16];
	const char *state;

	snprintf(req, sizeof(req), "tapq %02x.%04x", apid, apqi);
	if (instr(g->context, req, answer, sizeof(answer)))
		die("TAPQ %02x.%04x", apid, apqi);
	if (sscanf(answer, "rc=%x type=%u functions=%x", &rc, &type,
		   &functions) != 3) {
		errno = EPROTO;
		die("TAPQ answered \"%s\"", answer);
	}
	if (rc == 0x01)
		return;		/* APQN not valid: the guest has no such queue */
	state = queue_state(rc);
	type_name(type, functions, tname, sizeof(tname));
	if (apid != *card) {
		*card = apid;
		snprintf(name, sizeof(name), "%02x", apid);
		print_line(name, tname, functions, NULL);
	}
	snprintf(name, sizeof(name), "%02x.%04x", apid, apqi);
	print_line(name, tname, functions, state);
}

/*
 * Print what the guest finds, as its AP bus does: QCI, then TAPQ on each
 * queue; one line per card, one per queue.
 */
static void print_view(struct guest *g, const char *why, unsigned int n)
{
	unsigned int apid, apqi, card = IDS;
	bool apm[IDS], aqm[IDS];

	guest_qci(g, apm, aqm);
	printf("== view %u (%s)\n", n, why);
	printf("%-11s %-5s %s\n", "CARD.DOMAIN", "TYPE", "MODE");
	printf("------------------------------\n");
	for (apid = 0; apid < IDS; apid++) {
		if (!apm[apid])
			continue;
		for (apqi = 0; apqi < IDS; apqi++)
			if (aqm[apqi])
				print_queue(g, apid, apqi, &card);
	}
	printf("== end\n");
	fflush(stdout);
}

static void release(struct guest *g)
{
	unsigned int i;

	for (i = 0; i < VFIO_AP_IRQS; i++)
		set_trigger(g, i, -1);
	ap_vfio_close(&g->vfio);
	printf("== released\n");
	fflush(stdout);
}

static void setup(struct guest *g)
{
	sigset_t mask;
	unsigned int i;
	int context;

	errno = g->group_flow ? ap_vfio_open_group(g->uuid, &g->vfio) :
				ap_vfio_open(g->uuid, &g->vfio);
	if (errno)
		die("cannot open the VFIO device of mdev %s (%s flow): %s failed",
		    g->uuid, g->group_flow ? "group" : "cdev", g->vfio.step);
	g->dev = g->vfio.dev;
	check_device(g);
	context = ap_guest_context(g->uuid);
	if (context < 0) {
		errno = ENOENT;
		die("no guest context for mdev %s", g->uuid);
	}
	g->context = context;
	for (i = 0; i < VFIO_AP_IRQS; i++) {
		g->efd[i] = eventfd(0, EFD_CLOEXEC);
		if (g->efd[i] < 0 || set_trigger(g, i, g->efd[i]))
			die("VFIO_DEVICE_SET_IRQS %u", i);
	}
	if (ioctl(g->dev, VFIO_DEVICE_RESET))
		die("VFIO_DEVICE_RESET");
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGUSR1);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	g->sigfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (g->sigfd < 0)
		die("signalfd");
}

/*
 * The notification byte at @off of the guest's RAM: the machine writes
 * it behind the program's back, so every access goes to memory.
 */
static uint8_t nib_get(struct guest *g, size_t off)
{
	return __atomic_load_n((uint8_t *)g->vfio.ram + off, __ATOMIC_ACQUIRE);
}

static void nib_set(struct guest *g, size_t off, uint8_t v)
{
	__atomic_store_n((uint8_t *)g->vfio.ram + off, v, __ATOMIC_RELEASE);
}

/* The queue "AA.DDDD" as an APQN, or -1. */
static int parse_apqn(const char *s)
{
	unsigned int apid, apqi;
	char end;

	if (sscanf(s, "%2x.%4x%c", &apid, &apqi, &end) != 2 || apid >= IDS ||
	    apqi >= IDS)
		return -1;
	return apid << 8 | apqi;
}

static struct guest_irq *find_irq(struct guest *g, unsigned int apqn)
{
	unsigned int i;

	for (i = 0; i < g->nirqs; i++)
		if (g->irqs[i].apqn == apqn)
			return &g->irqs[i];
	return NULL;
}

static void forget_irq(struct guest *g, unsigned int apqn)
{
	struct guest_irq *irq = find_irq(g, apqn);

	if (irq)
		*irq = g->irqs[--g->nirqs];
}

/* Issue @req in the guest's context; "== error" and false if it fails. */
static bool guest_instr(struct guest *g, const char *req, char *answer,
			size_t size)
{
	if (!instr(g->context, req, answer, size))
		return true;
	printf("== error %s: %s\n", req, strerror(errno));
	return false;
}

/* aqic APQN on ISC OFFSET | aqic APQN off */
static void cmd_aqic(struct guest *g, int apqn, bool on, unsigned int isc,
		     size_t nib)
{
	char req[128], answer[256];
	unsigned int rc, irq;

	if (on) {
		if (nib < AP_VFIO_RAM_SIZE)
			nib_set(g, nib, 0);
		snprintf(req, sizeof(req), "aqic %02x.%04x on %u %zu",
			 apqn >> 8, apqn & 0xff, isc, nib);
	} else {
		snprintf(req, sizeof(req), "aqic %02x.%04x off", apqn >> 8,
			 apqn & 0xff);
	}
	if (!guest_instr(g, req, answer, sizeof(answer)))
		return;
	if (sscanf(answer, "rc=%x irq=%u", &rc, &irq) != 2) {
		printf("== error aqic answered \"%s\"\n", answer);
		return;
	}
	/* A failed AQIC changes nothing the guest set before. */
	if (!rc)
		forget_irq(g, apqn);
	if (on && !rc && irq && g->nirqs < ARRAY_SIZE(g->irqs))
		g->irqs[g->nirqs++] = (struct guest_irq){ apqn, isc, nib };
	printf("== aqic %02x.%04x rc=0x%02x irq=%u\n", apqn >> 8, apqn & 0xff,
	       rc, irq);
}

/* The guest's pending ISCs (TPI): the GISA's mask, cleared. */
static unsigned int guest_tpi(struct guest *g)
{
	char answer[128];
	unsigned int rc, ipm;

	if (instr(g->context, "tpi", answer, sizeof(answer)) ||
	    sscanf(answer, "rc=%x ipm=%x", &rc, &ipm) != 2)
		return 0;
	return ipm;
}

/*
 * Wait until the notification byte is set and the ISC pending, as a
 * guest waits for its adapter interrupt; ipm receives what TPI found.
 */
static bool wait_irq(struct guest *g, const struct guest_irq *irq,
		     unsigned int *ipm)
{
	unsigned int i;

	*ipm = 0;
	for (i = 0; i < 5000; i++) {
		*ipm |= guest_tpi(g);
		if (nib_get(g, irq->nib) && (*ipm & (0x80 >> irq->isc)))
			return true;
		usleep(1000);
	}
	return false;
}

/* request APQN: a request, and its reply as the guest would take it. */
static void cmd_request(struct guest *g, int apqn)
{
	struct guest_irq *irq = find_irq(g, apqn);
	char req[64], answer[256];
	unsigned int rc, ipm;
	uint8_t nib;

	snprintf(req, sizeof(req), "nqap %02x.%04x get-secret", apqn >> 8,
		 apqn & 0xff);
	if (!guest_instr(g, req, answer, sizeof(answer)))
		return;
	if (sscanf(answer, "rc=%x", &rc) != 1 || rc) {
		printf("== reply %02x.%04x nqap %s\n", apqn >> 8, apqn & 0xff,
		       answer);
		return;
	}
	printf("== reply %02x.%04x ", apqn >> 8, apqn & 0xff);
	if (irq) {
		bool got = wait_irq(g, irq, &ipm);

		nib = nib_get(g, irq->nib);
		if (!got) {
			printf("no interrupt nib=%u ipm=0x%02x\n", nib, ipm);
			return;
		}
		printf("irq nib=%u ipm=0x%02x ", nib, ipm);
		nib_set(g, irq->nib, 0);
	} else {
		printf("polled ");
	}
	snprintf(req, sizeof(req), "dqap %02x.%04x", apqn >> 8, apqn & 0xff);
	if (instr(g->context, req, answer, sizeof(answer)) ||
	    sscanf(answer, "rc=%x", &rc) != 1)
		printf("dqap failed\n");
	else
		printf("dqap rc=0x%02x\n", rc);
}

/* unmap: the guest's RAM goes away for DMA. */
static void cmd_unmap(struct guest *g)
{
	int err = ap_vfio_unmap(&g->vfio);

	printf("== unmap %s\n", err ? strerrorname_np(err) ?: "?" : "OK");
}

/* open UUID2: a second mdev in the same VM. */
static void cmd_open(struct guest *g, const char *uuid)
{
	struct ap_vfio v;
	int err;

	err = g->group_flow ? ap_vfio_open_group(uuid, &v) :
			      ap_vfio_open(uuid, &v);
	if (err) {
		printf("== open %s %s: %s\n", uuid, v.step,
		       strerrorname_np(err) ?: "?");
		return;
	}
	ap_vfio_close(&v);
	printf("== open %s OK\n", uuid);
}

static void mig_fd_set(struct guest *g, int fd)
{
	if (g->mig_fd >= 0)
		close(g->mig_fd);
	g->mig_fd = fd;
}

/* mig-set STATE */
static void cmd_mig_set(struct guest *g, const char *name)
{
	int state = ap_mig_state_parse(name), fd, err;

	err = state < 0 ? EINVAL : ap_mig_set(g->dev, state, &fd);
	if (err) {
		printf("== mig-set %s %s\n", name, strerrorname_np(err) ?: "?");
		return;
	}
	if (fd >= 0)
		mig_fd_set(g, fd);
	printf("== mig-set %s OK%s\n", name, fd >= 0 ? " fd" : "");
}

/* mig-read: the kept data file, to its end. */
static void cmd_mig_read(struct guest *g)
{
	char buf[4096];
	size_t n = 0;
	ssize_t r;

	while ((r = read(g->mig_fd, buf, sizeof(buf))) > 0)
		n += r;
	if (r < 0)
		printf("== mig-read %s\n", strerrorname_np(errno) ?: "?");
	else
		printf("== mig-read %zu\n", n);
}

/* The whole of a file, malloc'ed; NULL and errno set if it fails. */
static void *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	n = fseek(f, 0, SEEK_END) ? -1 : ftell(f);
	if (n >= 0 && !fseek(f, 0, SEEK_SET)) {
		buf = malloc(n + 1);
		if (buf && fread(buf, 1, n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
			errno = EIO;
		}
		*len = n;
	}
	fclose(f);
	return buf;
}

static int spill(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	int err = 0;

	if (!f)
		return errno;
	if (len && fwrite(buf, 1, len, f) != len)
		err = EIO;
	if (fclose(f) && !err)
		err = errno;
	return err;
}

/* mig-write FILE */
static void cmd_mig_write(struct guest *g, const char *path)
{
	size_t len = 0;
	void *buf = slurp(path, &len);
	ssize_t w;

	if (!buf) {
		printf("== mig-write %s\n", strerrorname_np(errno) ?: "?");
		return;
	}
	w = write(g->mig_fd, buf, len);
	free(buf);
	if (w < 0)
		printf("== mig-write %s\n", strerrorname_np(errno) ?: "?");
	else
		printf("== mig-write OK %zd\n", w);
}

/* The guest's own record of its interrupts, as its RAM would hold it. */
static int save_os(struct guest *g, const char *path)
{
	char line[64], buf[sizeof(line) * ARRAY_SIZE(g->irqs)] = "";
	unsigned int i;

	for (i = 0; i < g->nirqs; i++) {
		snprintf(line, sizeof(line), "%u %u %zu\n", g->irqs[i].apqn,
			 g->irqs[i].isc, g->irqs[i].nib);
		strcat(buf, line);
	}
	return spill(path, buf, strlen(buf));
}

static int load_os(struct guest *g, const char *path)
{
	struct guest_irq irq;
	FILE *f = fopen(path, "r");

	if (!f)
		return errno;
	g->nirqs = 0;
	while (g->nirqs < ARRAY_SIZE(g->irqs) &&
	       fscanf(f, "%u %u %zu", &irq.apqn, &irq.isc, &irq.nib) == 3)
		g->irqs[g->nirqs++] = irq;
	fclose(f);
	return 0;
}

/* mig-save PATH */
static void cmd_mig_save(struct guest *g, const char *path)
{
	struct ap_mig_times t = { 0 };
	char side[512];
	const char *step;
	size_t len;
	void *buf;
	int err;

	err = ap_mig_save(g->dev, &buf, &len, &t, &step);
	if (!err) {
		step = "save";
		err = spill(path, buf, len);
		free(buf);
	}
	snprintf(side, sizeof(side), "%s.ram", path);
	if (!err)
		err = spill(side, g->vfio.ram, AP_VFIO_RAM_SIZE);
	snprintf(side, sizeof(side), "%s.os", path);
	if (!err)
		err = save_os(g, side);
	if (err)
		printf("== mig-save %s %s\n", step, strerrorname_np(err) ?: "?");
	else
		printf("== mig-save OK %zu\n", len);
}

/* mig-load PATH [CHUNK] */
static void cmd_mig_load(struct guest *g, const char *path, size_t chunk)
{
	struct ap_mig_times t = { 0 };
	const char *step = "load";
	size_t len = 0, ram_len = 0;
	void *buf, *ram;
	char side[512];
	int err;

	snprintf(side, sizeof(side), "%s.ram", path);
	ram = slurp(side, &ram_len);
	buf = ram ? slurp(path, &len) : NULL;
	err = !buf ? errno : ram_len != AP_VFIO_RAM_SIZE ? EINVAL : 0;
	if (!err) {
		memcpy(g->vfio.ram, ram, AP_VFIO_RAM_SIZE);
		snprintf(side, sizeof(side), "%s.os", path);
		err = load_os(g, side);
	}
	if (!err)
		err = ap_mig_load(g->dev, buf, len, chunk ?: 4096, &t, &step);
	free(buf);
	free(ram);
	if (err)
		printf("== mig-load %s %s\n", step, strerrorname_np(err) ?: "?");
	else
		printf("== mig-load OK %zu\n", t.bytes);
}

/* The migration commands; false if @word is none of them. */
static bool run_mig_command(struct guest *g, char word[5][256], int n)
{
	unsigned int state;
	uint64_t v;
	int err;

	if (n == 1 && !strcmp(word[0], "mig-flags")) {
		err = ap_mig_flags(g->dev, &v);
		printf("== mig-flags %s0x%llx\n", err ? "error " : "",
		       (unsigned long long)v);
	} else if (n == 1 && !strcmp(word[0], "mig-get")) {
		err = ap_mig_get(g->dev, &state);
		printf("== mig-state %s\n", err ? strerrorname_np(err) ?: "?" :
		       ap_mig_state_name(state));
	} else if (n == 2 && !strcmp(word[0], "mig-set")) {
		cmd_mig_set(g, word[1]);
	} else if (n == 1 && !strcmp(word[0], "mig-size")) {
		err = ap_mig_data_size(g->dev, &v);
		printf("== mig-size %s%llu\n", err ? "error " : "",
		       (unsigned long long)v);
	} else if (n == 1 && !strcmp(word[0], "mig-read")) {
		cmd_mig_read(g);
	} else if (n == 2 && !strcmp(word[0], "mig-write")) {
		cmd_mig_write(g, word[1]);
	} else if (n == 2 && !strcmp(word[0], "mig-save")) {
		cmd_mig_save(g, word[1]);
	} else if ((n == 2 || n == 3) && !strcmp(word[0], "mig-load")) {
		cmd_mig_load(g, word[1], n == 3 ? strtoul(word[2], NULL, 0) : 0);
	} else {
		return false;
	}
	return true;
}

/* One command line of -c. */
static void run_command(struct guest *g, char *line)
{
	char word[5][256] = { "" }, answer[512];
	unsigned int isc = 0;
	size_t nib = 0;
	int n, apqn;

	line[strcspn(line, "\n")] = '\0';
	n = sscanf(line, "%255s %255s %255s %255s %255s", word[0], word[1],
		   word[2], word[3], word[4]);
	apqn = n > 1 ? parse_apqn(word[1]) : -1;
	if (n == 5 && !strcmp(word[0], "aqic") && apqn >= 0 &&
	    !strcmp(word[2], "on") && sscanf(word[3], "%u", &isc) == 1 &&
	    sscanf(word[4], "%zi", &nib) == 1)
		cmd_aqic(g, apqn, true, isc, nib);
	else if (n == 3 && !strcmp(word[0], "aqic") && apqn >= 0 &&
		 !strcmp(word[2], "off"))
		cmd_aqic(g, apqn, false, 0, 0);
	else if (n == 2 && !strcmp(word[0], "request") && apqn >= 0)
		cmd_request(g, apqn);
	else if (n == 1 && !strcmp(word[0], "unmap"))
		cmd_unmap(g);
	else if (n == 2 && !strcmp(word[0], "open"))
		cmd_open(g, word[1]);
	else if (run_mig_command(g, word, n))
		;
	else if (n >= 2 && !strcmp(word[0], "x") &&
		 guest_instr(g, line + 2, answer, sizeof(answer)))
		printf("== %s\n", answer);
	else if (strcmp(word[0], "x"))
		printf("== error not a command: \"%s\"\n", line);
	fflush(stdout);
}

/* apguest -x UUID INSTRUCTION...: one instruction of a running guest. */
static int execute(int argc, char **argv)
{
	char req[256] = "", answer[512];
	int context, i;

	if (argc < 2) {
		fprintf(stderr, "usage: apguest [-g] -x UUID INSTRUCTION [ARGS]\n");
		return 2;
	}
	context = ap_guest_context(argv[0]);
	if (context < 0) {
		fprintf(stderr, "apguest: no guest runs on mdev %s\n", argv[0]);
		return 1;
	}
	for (i = 1; i < argc; i++)
		snprintf(req + strlen(req), sizeof(req) - strlen(req), "%s%s",
			 i > 1 ? " " : "", argv[i]);
	if (instr(context, req, answer, sizeof(answer))) {
		fprintf(stderr, "apguest: %s: %s\n", req, strerror(errno));
		return 1;
	}
	printf("%s\n", answer);
	return 0;
}

int main(int argc, char **argv)
{
	struct guest g = { .mig_fd = -1 };
	unsigned int events = 0, max_events = 0;
	bool keep = false, probe = false, commands = false;
	struct pollfd pfd[4];
	char line[1024];
	uint64_t count;
	int opt;

	/* "+": the instruction of -x and its arguments are no options. */
	while ((opt = getopt(argc, argv, "+ge:kxVc")) != -1) {
		if (opt == 'c')
			commands = true;
		else if (opt == 'g')
			g.group_flow = true;
		else if (opt == 'k')
			keep = true;
		else if (opt == 'e')
			max_events = strtoul(optarg, NULL, 0);
		else if (opt == 'x')
			return execute(argc - optind, argv + optind);
		else if (opt == 'V')
			probe = true;
		else
			return 2;
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: apguest [-g] [-e EVENTS] [-k] [-c] UUID\n"
				"       apguest [-g] -x UUID INSTRUCTION [ARGS]\n"
				"       apguest [-g] -V UUID\n");
		return 2;
	}
	g.uuid = argv[optind];
	if (commands)
		setvbuf(stdin, NULL, _IONBF, 0);
	setup(&g);
	if (probe) {
		probe_ioctls(&g);
		if (g.group_flow)
			probe_container(&g);
		release(&g);
		return 0;
	}
	print_view(&g, "started", 0);
	for (;;) {
		pfd[0] = (struct pollfd){ .fd = g.efd[VFIO_AP_IRQ_CFG_CHG],
					  .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = g.efd[VFIO_AP_IRQ_REQ],
					  .events = POLLIN };
		pfd[2] = (struct pollfd){ .fd = g.sigfd, .events = POLLIN };
		pfd[3] = (struct pollfd){ .fd = commands ? 0 : -1,
					  .events = POLLIN };
		if (poll(pfd, 4, -1) < 0 && errno != EINTR)
			die("poll");
		if (pfd[3].revents & (POLLIN | POLLHUP)) {
			if (fgets(line, sizeof(line), stdin))
				run_command(&g, line);
			else
				commands = false;
		}
		if (pfd[1].revents & POLLIN) {
			printf("== release requested%s\n",
			       keep ? ", the device is kept" : "");
			fflush(stdout);
			if (!keep) {
				release(&g);
				return 0;
			}
			if (read(g.efd[VFIO_AP_IRQ_REQ], &count, sizeof(count)) < 0)
				die("read eventfd");
		}
		if (pfd[2].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(g.sigfd, &si, sizeof(si)) != sizeof(si))
				die("read signalfd");
			if (si.ssi_signo != SIGUSR1) {
				release(&g);
				return 0;
			}
			if (ioctl(g.dev, VFIO_DEVICE_RESET))
				die("VFIO_DEVICE_RESET");
			printf("== reset\n");
			fflush(stdout);
		}
		if (!(pfd[0].revents & POLLIN))
			continue;
		if (read(g.efd[VFIO_AP_IRQ_CFG_CHG], &count, sizeof(count)) < 0)
			die("read eventfd");
		print_view(&g, "configuration changed", ++events);
		if (max_events && events >= max_events) {
			release(&g);
			return 0;
		}
	}
}
