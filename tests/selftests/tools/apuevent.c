// SPDX-License-Identifier: GPL-2.0
/*
 * apuevent SECONDS: listen to the kernel's uevents (the netlink socket
 * udev reads, NETLINK_KOBJECT_UEVENT) for at most SECONDS, and print each
 * one as a line: "ACTION DEVPATH KEY=VALUE ..." (the properties in the
 * kernel's order, without ACTION, DEVPATH and SEQNUM). Prints "ready"
 * first, once the socket is bound: a test starts it in the background,
 * waits for that line, acts, and stops it with SIGTERM. Every line is
 * flushed at once.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <linux/netlink.h>

/* One uevent: "ACTION@DEVPATH\0KEY=VALUE\0...". */
static void apuevent_print(const char *buf, size_t len)
{
	const char *action = "", *devpath = "", *p;
	char props[8192] = "";
	size_t used = 0;

	for (p = buf + strlen(buf) + 1; p < buf + len; p += strlen(p) + 1) {
		if (!strncmp(p, "ACTION=", 7))
			action = p + 7;
		else if (!strncmp(p, "DEVPATH=", 8))
			devpath = p + 8;
		else if (strncmp(p, "SEQNUM=", 7) &&
			 used + strlen(p) + 2 < sizeof(props))
			used += sprintf(props + used, " %s", p);
	}
	printf("%s %s%s\n", action, devpath, props);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	struct pollfd pfd[2];
	char buf[16384];
	sigset_t mask;
	time_t end;
	ssize_t n;
	int fd, sigfd;

	if (argc != 2) {
		fprintf(stderr, "usage: apuevent SECONDS\n");
		return 2;
	}
	end = time(NULL) + atoi(argv[1]);
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sigfd = signalfd(-1, &mask, SFD_CLOEXEC);
	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
		    NETLINK_KOBJECT_UEVENT);
	if (sigfd < 0 || fd < 0 ||
	    bind(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		perror("apuevent: netlink");
		return 1;
	}
	puts("ready");
	fflush(stdout);
	pfd[0] = (struct pollfd){ .fd = fd, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = sigfd, .events = POLLIN };
	while (time(NULL) < end) {
		if (poll(pfd, 2, 200) <= 0)
			continue;
		if (pfd[1].revents)
			break;
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		/* Kernel uevents only: udev's own start with "libudev". */
		if (strchr(buf, '@'))
			apuevent_print(buf, n);
	}
	/* What was sent before the stop is printed too. */
	while ((n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT)) > 0) {
		buf[n] = '\0';
		if (strchr(buf, '@'))
			apuevent_print(buf, n);
	}
	close(fd);
	close(sigfd);
	return 0;
}
