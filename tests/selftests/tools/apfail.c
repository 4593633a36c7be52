// SPDX-License-Identifier: GPL-2.0
/*
 * apfail: fail every allocation a write makes, one after the other.
 *
 *   apfail FILE TEXT UNDOFILE UNDOTEXT [STATE...]
 *
 * For N = 1, 2, ...: read the STATE files, arm the fault-injection
 * framework to fail the Nth fault-injectable call of this thread
 * (/proc/thread-self/fail-nth, with failslab set up by the caller), write
 * TEXT to the already open FILE, disarm, check the invariants
 * (/sys/kernel/debug/vfio_ap/check), and if the write succeeded undo it
 * by writing UNDOTEXT to UNDOFILE. Stops at the first N whose fault no
 * longer fires: every allocation point was failed once.
 *
 * A write may fail only with ENOMEM, and a failed write must change
 * nothing: each STATE file reads the same after it as before (a STATE
 * that is a directory stands for the sorted names in it; a file that
 * cannot be read for the errno). The invariants must hold after each
 * write, failed or not. A write may succeed although its fault fired
 * (the path tolerates the failure). At least one fault must fire, and the
 * last write, whose fault no longer fires, must succeed; so must each
 * undo.
 *
 * Prints "failnth: FILE TEXT: points N, enomem N, tolerated N, other
 * errors N, state changed N, violations N" and exits 0 only if nothing
 * above went wrong.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include "aptools.h"

#define CHECK		"/sys/kernel/debug/vfio_ap/check"
#define MAX_N		5000
#define STATE_SIZE	65536

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

	if (pread(fail_nth_fd, buf, sizeof(buf) - 1, 0) < 0) {
		perror("fail-nth");
		exit(2);
	}
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

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

/* The names in directory @path, sorted, one a line, into @buf. */
static int read_dir(const char *path, char *buf, size_t size)
{
	char *names[1024];
	size_t n = 0, used = 0, i;
	struct dirent *d;
	DIR *dir = opendir(path);

	if (!dir)
		return errno;
	while ((d = readdir(dir)) && n < ARRAY_SIZE(names))
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
			names[n++] = strdup(d->d_name);
	closedir(dir);
	qsort(names, n, sizeof(*names), by_name);
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		if (names[i] && used < size)
			used += snprintf(buf + used, size - used, "%s\n", names[i]);
		free(names[i]);
	}
	return 0;
}

/* Read the state file @path: its text, its names, or its errno. */
static void read_state(const char *path, char *buf)
{
	int err = ap_read(path, buf, STATE_SIZE);

	if (err == EISDIR)
		err = read_dir(path, buf, STATE_SIZE);
	if (err)
		snprintf(buf, STATE_SIZE, "(cannot read: %s)\n", strerrorname_np(err));
}

/* Print @text on one line, newlines shown as "|". */
static void print_flat(const char *text)
{
	for (; *text; text++)
		fputc(*text == '\n' ? '|' : *text, stderr);
}

int main(int argc, char **argv)
{
	unsigned long points = 0, enomem = 0, tolerated = 0, other = 0;
	unsigned long changed = 0, violations = 0, failures = 0;
	char **state = argv + 5, **before, after[STATE_SIZE];
	int nstate = argc - 5, i, err = 0, fired = 1, diff;
	unsigned int n;

	if (argc < 5)
		return 2;
	before = calloc(nstate + 1, sizeof(*before));
	if (!before)
		return 2;
	for (i = 0; i < nstate; i++) {
		before[i] = malloc(STATE_SIZE);
		if (!before[i])
			return 2;
	}
	fail_nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (fail_nth_fd < 0) {
		perror("/proc/thread-self/fail-nth");
		return 2;
	}
	for (n = 1; n <= MAX_N && fired; n++) {
		for (i = 0; i < nstate; i++)
			read_state(state[i], before[i]);
		err = write_failing(argv[1], argv[2], n, &fired);
		if (err == ENOMEM) {
			enomem++;
		} else if (err) {
			other++;
			fprintf(stderr, "%s <- %s with allocation %u failing: %s\n",
				argv[1], argv[2], n, strerror(err));
		} else if (fired) {
			tolerated++;
		}
		for (i = 0, diff = 0; err && i < nstate; i++) {
			read_state(state[i], after);
			if (!strcmp(before[i], after))
				continue;
			diff = 1;
			fprintf(stderr, "%s <- %s failed (%s, allocation %u) but changed %s: ",
				argv[1], argv[2], strerrorname_np(err), n, state[i]);
			print_flat(before[i]);
			fprintf(stderr, " -> ");
			print_flat(after);
			fputc('\n', stderr);
		}
		changed += diff;
		violations += invariant_violations();
		if (!err && ap_write(argv[3], argv[4])) {
			failures++;
			fprintf(stderr, "cannot undo: %s <- %s\n", argv[3], argv[4]);
		}
		points += fired;
	}
	if (fired) {
		failures++;
		fprintf(stderr, "%s <- %s: faults still fire after %u writes\n",
			argv[1], argv[2], MAX_N);
	} else if (err) {
		failures++;
		fprintf(stderr, "%s <- %s fails with no fault injected: %s\n",
			argv[1], argv[2], strerror(err));
	}
	if (!points) {
		failures++;
		fprintf(stderr, "%s <- %s: no fault fired (is failslab set up?)\n",
			argv[1], argv[2]);
	}
	printf("failnth: %s %s: points %lu, enomem %lu, tolerated %lu, ",
	       argv[1], argv[2], points, enomem, tolerated);
	printf("other errors %lu, state changed %lu, violations %lu\n",
	       other, changed, violations);
	return failures || other || changed || violations;
}
