// SPDX-License-Identifier: GPL-2.0
/*
 * apfail: fail every allocation a write makes, one after the other.
 *
 *   apfail FILE TEXT UNDOFILE UNDOTEXT
 *
 * For N = 1, 2, ...: arm the fault-injection framework to fail the Nth
 * fault-injectable call of this thread (/proc/thread-self/fail-nth, with
 * failslab set up by the caller), write TEXT to the already open FILE,
 * disarm, check the invariants (/sys/kernel/debug/vfio_ap/check), and if the write
 * succeeded undo it by writing UNDOTEXT to UNDOFILE. Stops at the first N
 * whose fault no longer fires: every allocation point was failed once.
 * A write may fail only with ENOMEM; the invariants must hold after
 * each write, failed or not.
 *
 * Prints "failnth: FILE: points N, enomem N, other errors N,
 * violations N" and exits 0 only if the last two are zero.
 */
#include <stdlib.h>
#include "aptools.h"

#define CHECK	"/sys/kernel/debug/vfio_ap/check"
#define MAX_N	5000

static int fail_nth_fd = -1;

/* Arm (n > 0) or disarm (0) the fault, through the open file. */
static void set_fail_nth(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (pwrite(fail_nth_fd, buf, len, 0) != len) {
		perror("fail-nth");
		exit(2);
	}
}

/* Was the armed fault used up (injected)? Disarms it either way. */
static int fault_fired(void)
{
	char buf[16] = "";

	if (pread(fail_nth_fd, buf, sizeof(buf) - 1, 0) < 0)
		return -1;
	set_fail_nth(0);
	return atoi(buf) == 0;
}

/*
 * Write @text to @path with the Nth fault-injectable call failing. The
 * file is opened before the fault is armed, so that only the write
 * itself (the store and what it does) counts.
 */
static int write_failing(const char *path, const char *text, unsigned int n,
			 int *fired)
{
	char buf[1024];
	size_t len = snprintf(buf, sizeof(buf), "%s\n", text);
	int fd = open(path, O_WRONLY);
	int err = 0;

	if (fd < 0)
		return errno;
	set_fail_nth(n);
	if (write(fd, buf, len) < 0)
		err = errno;
	*fired = fault_fired();
	close(fd);
	return err;
}

static unsigned long invariant_violations(void)
{
	static char buf[1 << 16];
	unsigned long v = 1;
	char *p;

	if (!ap_read(CHECK, buf, sizeof(buf))) {
		p = strstr(buf, "violations: ");
		if (p)
			sscanf(p, "violations: %lu", &v);
	}
	if (v)
		fprintf(stderr, "%s", buf);
	return v;
}

int main(int argc, char **argv)
{
	unsigned long points = 0, enomem = 0, other = 0, violations = 0;
	unsigned int n;
	int err, fired;

	if (argc != 5)
		return 2;
	fail_nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (fail_nth_fd < 0) {
		perror("/proc/thread-self/fail-nth");
		return 2;
	}
	for (n = 1; n <= MAX_N; n++) {
		err = write_failing(argv[1], argv[2], n, &fired);
		if (err == ENOMEM) {
			enomem++;
		} else if (err) {
			other++;
			fprintf(stderr, "%s <- %s with allocation %u failing: %s\n",
				argv[1], argv[2], n, strerror(err));
		}
		violations += invariant_violations();
		if (!err && ap_write(argv[3], argv[4]))
			fprintf(stderr, "cannot undo: %s <- %s\n", argv[3], argv[4]);
		if (!fired)
			break;
		points++;
	}
	printf("failnth: %s %s: points %lu, enomem %lu, other errors %lu, violations %lu\n",
	       argv[1], argv[2], points, enomem, other, violations);
	return other || violations;
}
