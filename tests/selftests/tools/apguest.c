// SPDX-License-Identifier: GPL-2.0
/*
 * apguest: a guest of a vfio_ap mediated device, as QEMU's vfio-ap
 * device drives it.
 *
 *   apguest [-e EVENTS] [-k] UUID
 *
 * Opens the mdev's VFIO device through its cdev (/dev/vfio/devices/vfioN)
 * and an iommufd (bind, IOAS, attach), checks VFIO_DEVICE_GET_INFO and
 * the two interrupt indexes, installs an eventfd on each (release
 * request, configuration changed), resets the device, and prints the
 * AP configuration the guest sees, lszcrypt style, from the simulated
 * guest's TAPQ answers. It prints it again after every configuration
 * change, and exits after EVENTS of them, on SIGINT/SIGTERM, or when
 * asked to release the device (after closing it); with -k it notes the
 * request and keeps the device, as a guest that ignores it would. SIGUSR1
 * makes it reset the device (VFIO_DEVICE_RESET), as QEMU does when the
 * guest resets. Every block of output starts with a line "== ..." and is
 * flushed at once, so that a test can follow it.
 */
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <ap/vfio_ap.h>
#include "aptools.h"

#define FUNC_CCA	0x10000000u
#define FUNC_ACCEL	0x08000000u
#define FUNC_EP11	0x04000000u

struct guest {
	const char *uuid;
	struct ap_vfio vfio;
	int dev;
	int efd[VFIO_AP_IRQS];
	int sigfd;
};

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stdout, "== error: ");
	vfprintf(stdout, fmt, ap);
	fprintf(stdout, " (%s)\n", strerror(errno));
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

/* Print what the guest sees: one line per card, one per queue. */
static void print_view(struct guest *g, const char *why, unsigned int n)
{
	unsigned int apid, apqi, rc, type, functions, card = 256;
	char path[512], line[256], tname[16];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/debug/vfio_ap/%s/queues",
		 g->uuid);
	f = fopen(path, "r");
	if (!f)
		die("cannot read %s", path);
	printf("== view %u (%s)\n", n, why);
	printf("%-11s %-5s %s\n", "CARD.DOMAIN", "TYPE", "MODE");
	printf("------------------------------\n");
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%x.%x rc=%x type=%u functions=%x", &apid,
			   &apqi, &rc, &type, &functions) != 5)
			continue;
		type_name(type, functions, tname, sizeof(tname));
		if (apid != card) {
			card = apid;
			snprintf(line, sizeof(line), "%02x", apid);
			printf("%-11s %-5s %s\n", line, tname,
			       mode_name(functions));
		}
		snprintf(line, sizeof(line), "%02x.%04x", apid, apqi);
		printf("%-11s %-5s %s\n", line, tname, mode_name(functions));
	}
	printf("== end\n");
	fflush(stdout);
	fclose(f);
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

	errno = ap_vfio_open(g->uuid, &g->vfio);
	if (errno)
		die("cannot open the VFIO device of mdev %s", g->uuid);
	g->dev = g->vfio.dev;
	check_device(g);
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

int main(int argc, char **argv)
{
	struct guest g = { 0 };
	unsigned int events = 0, max_events = 0;
	struct pollfd pfd[3];
	bool keep = false;
	uint64_t count;
	int opt;

	while ((opt = getopt(argc, argv, "e:k")) != -1) {
		if (opt == 'k')
			keep = true;
		else if (opt == 'e')
			max_events = strtoul(optarg, NULL, 0);
		else
			return 2;
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: apguest [-e EVENTS] [-k] UUID\n");
		return 2;
	}
	g.uuid = argv[optind];
	setup(&g);
	print_view(&g, "started", 0);
	for (;;) {
		pfd[0] = (struct pollfd){ .fd = g.efd[VFIO_AP_IRQ_CFG_CHG],
					  .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = g.efd[VFIO_AP_IRQ_REQ],
					  .events = POLLIN };
		pfd[2] = (struct pollfd){ .fd = g.sigfd, .events = POLLIN };
		if (poll(pfd, 3, -1) < 0 && errno != EINTR)
			die("poll");
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
