// SPDX-License-Identifier: GPL-2.0
/*
 * apfail: fail every allocation a write makes, one after the other.
 *
 *   apfail [-m MENDFILE=MENDTEXT] FILE TEXT UNDOFILE UNDOTEXT [[~]STATE...]
 *
 * First write TEXT to FILE without a fault: it must succeed and change
 * at least one STATE file (or the list tells nothing); then undo it by
 * writing UNDOTEXT to UNDOFILE. Then for N = 1, 2, ...: read the STATE
 * files, arm the fault-injection framework to fail the Nth
 * fault-injectable call of this thread (/proc/thread-self/fail-nth, with
 * failslab set up by the caller), write TEXT to the already open FILE,
 * disarm, read the STATE files again, check the invariants
 * (/sys/kernel/debug/vfio_ap/check), and if the write succeeded undo it.
 * Stops at the first N whose fault no longer fires: every allocation
 * point was failed once. At least one fault must fire.
 *
 * A STATE that is a directory stands for the sorted names in it; a file
 * that cannot be read for the errno.
 *
 * A write may fail only with ENOMEM, and a failed write must change
 * nothing: each STATE file reads the same after it as before. A write may
 * succeed although its fault fired (the path tolerates the failure) or
 * because it did not fire, but then it must leave each STATE file as the
 * write without a fault left it; files that read otherwise before the
 * two writes (a counter of guest updates, say) are not compared. A STATE
 * marked with a leading "~" may be left behind, to be mended: with -m,
 * after MENDTEXT is written to MENDFILE (a bus scan adds the devices an
 * earlier scan could not) it must read as after the write without a
 * fault; without -m it is not compared after successful writes. The
 * invariants must hold after each write, and each undo must succeed.
 *
 * Prints "failnth: FILE TEXT: points N, enomem N, tolerated N, other
 * errors N, state changed N, differs N, violations N" and exits 0 only
 * if nothing above went wrong.
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

/* The STATE files as read now: an array of strings, one per file. */
static char **snapshot(char **files, int n)
{
	static char buf[STATE_SIZE];
	char **snap = calloc(n + 1, sizeof(*snap));
	int i;

	for (i = 0; snap && i < n; i++) {
		read_state(files[i], buf);
		snap[i] = strdup(buf);
		if (!snap[i])
			snap = NULL;
	}
	if (!snap) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	return snap;
}

static void free_snapshot(char **snap, int n)
{
	int i;

	for (i = 0; snap && i < n; i++)
		free(snap[i]);
	free(snap);
}

/* Print "what FILE: before -> after" for each STATE file that differs. */
static int compare(const char *what, char **files, int n, char **before,
		   char **after)
{
	int i, diff = 0;

	for (i = 0; i < n; i++) {
		if (!strcmp(before[i], after[i]))
			continue;
		diff = 1;
		fprintf(stderr, "%s %s: ", what, files[i]);
		print_flat(before[i]);
		fprintf(stderr, " -> ");
		print_flat(after[i]);
		fputc('\n', stderr);
	}
	return diff;
}

static char **files, *loose, *mend_file, *mend_text;
static int nfiles;
static const char *path, *text;

/*
 * A write that succeeded (with allocation @n failing, 0 for none) went
 * from @before to @after; the write without a fault from @before0 to
 * @after0. Return: the number of STATE files it left otherwise.
 */
static unsigned long compare_success(unsigned int n, char **before,
				     char **after, char **before0,
				     char **after0)
{
	unsigned long differs = 0;
	char **mended = NULL, how[48] = "with no fault fired";
	int i, behind = 0;

	if (n)
		snprintf(how, sizeof(how), "with allocation %u failing", n);

	for (i = 0; i < nfiles; i++)
		if (!strcmp(before[i], before0[i]) && strcmp(after[i], after0[i]))
			behind |= loose[i];
	if (behind && mend_file) {
		if (ap_write(mend_file, mend_text))
			fprintf(stderr, "cannot mend: %s <- %s\n", mend_file, mend_text);
		mended = snapshot(files, nfiles);
	}
	for (i = 0; i < nfiles; i++) {
		if (strcmp(before[i], before0[i]) || !strcmp(after[i], after0[i]))
			continue;
		if (loose[i] && (!mended || !strcmp(mended[i], after0[i])))
			continue;
		differs++;
		fprintf(stderr, "%s <- %s succeeded %s but left %s: ",
			path, text, how, files[i]);
		print_flat(loose[i] ? mended[i] : after[i]);
		if (loose[i])
			fprintf(stderr, " (after %s <- %s)", mend_file, mend_text);
		fprintf(stderr, " where a write without a fault leaves: ");
		print_flat(after0[i]);
		fputc('\n', stderr);
	}
	free_snapshot(mended, nfiles);
	return differs;
}

static unsigned long undo_write(const char *undo_file, const char *undo_text)
{
	if (!ap_write(undo_file, undo_text))
		return 0;
	fprintf(stderr, "cannot undo: %s <- %s\n", undo_file, undo_text);
	return 1;
}

int main(int argc, char **argv)
{
	unsigned long points = 0, enomem = 0, tolerated = 0, other = 0;
	unsigned long changed = 0, differs = 0, violations = 0, failures = 0;
	char **before0, **after0, **before, **after, what[1200];
	int opt, i, err, fired = 1;
	unsigned int n;

	while ((opt = getopt(argc, argv, "+m:")) != -1) {
		if (opt != 'm' || !strchr(optarg, '='))
			return 2;
		mend_file = optarg;
		mend_text = strchr(optarg, '=');
		*mend_text++ = '\0';
	}
	if (argc - optind < 4)
		return 2;
	path = argv[optind];
	text = argv[optind + 1];
	files = argv + optind + 4;
	nfiles = argc - optind - 4;
	loose = calloc(nfiles + 1, 1);
	if (!loose)
		return 2;
	for (i = 0; i < nfiles; i++) {
		loose[i] = files[i][0] == '~';
		files[i] += loose[i];
	}
	fail_nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (fail_nth_fd < 0) {
		perror("/proc/thread-self/fail-nth");
		return 2;
	}

	before0 = snapshot(files, nfiles);
	err = ap_write(path, text);
	after0 = snapshot(files, nfiles);
	if (err) {
		fprintf(stderr, "%s <- %s fails with no fault injected: %s\n",
			path, text, strerror(err));
		return 1;
	}
	for (i = 0; i < nfiles && !strcmp(before0[i], after0[i]); i++)
		;
	if (nfiles && i == nfiles) {
		failures++;
		fprintf(stderr, "%s <- %s without a fault changes none of the state files\n",
			path, text);
	}
	violations += invariant_violations();
	failures += undo_write(argv[optind + 2], argv[optind + 3]);

	for (n = 1; n <= MAX_N && fired; n++) {
		before = snapshot(files, nfiles);
		err = write_failing(path, text, n, &fired);
		after = snapshot(files, nfiles);
		points += fired;
		if (err == ENOMEM && fired) {
			enomem++;
		} else if (err) {
			other++;
			fprintf(stderr, "%s <- %s with allocation %u %s: %s\n",
				path, text, n, fired ? "failing" : "not failing",
				strerror(err));
		} else if (fired) {
			tolerated++;
		}
		if (err) {
			snprintf(what, sizeof(what),
				 "%s <- %s failed (%s, allocation %u) but changed",
				 path, text, strerrorname_np(err), n);
			changed += compare(what, files, nfiles, before, after);
		} else {
			differs += compare_success(fired ? n : 0, before, after,
						   before0, after0);
		}
		free_snapshot(before, nfiles);
		free_snapshot(after, nfiles);
		violations += invariant_violations();
		if (!err)
			failures += undo_write(argv[optind + 2], argv[optind + 3]);
	}
	if (fired) {
		failures++;
		fprintf(stderr, "%s <- %s: faults still fire after %u writes\n",
			path, text, MAX_N);
	}
	if (!points) {
		failures++;
		fprintf(stderr, "%s <- %s: no fault fired (is failslab set up?)\n",
			path, text);
	}
	printf("failnth: %s %s: points %lu, enomem %lu, tolerated %lu, ",
	       path, text, points, enomem, tolerated);
	printf("other errors %lu, state changed %lu, differs %lu, violations %lu\n",
	       other, changed, differs, violations);
	return failures || other || changed || differs || violations;
}
