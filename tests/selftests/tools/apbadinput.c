// SPDX-License-Identifier: GPL-2.0
/*
 * apbadinput: malformed input to every writable file of the AP bus, the
 * host driver, vfio_ap (matrix type and mdev) and the simulator (its
 * commands and its guest-instruction file).
 *
 *   apbadinput [-s SEED] [-n PER_FILE] UUID
 *
 * Each file gets the hand-picked corner cases of its grammar and PER_FILE
 * (default 1000) generated inputs that no grammar of the file accepts:
 * junk with a character no grammar allows, blanks, doubled or missing
 * signs, embedded NUL bytes, prefixes of valid input, overlong strings.
 * Each write must fail with the file's documented errno (an empty write
 * reaches no file: it must succeed and do nothing), and the state
 * (masks, settings, assignments, the machine, the guest) must read the
 * same as before: checked every SNAPSHOT_EVERY writes and after each
 * file's campaign. UUID is an mdev with a running guest set up by the
 * caller.
 *
 * Prints "badinput: writes N, wrong errno N, state changed N".
 */
#include <stdlib.h>
#include "aptools.h"

#define AP	"/sys/bus/ap"
#define DBG	"/sys/kernel/debug"

struct target {
	const char *path;	/* %s is the mdev's UUID */
	int err;		/* the errno every malformed write gets */
	const char *first_bad;	/* characters a generated input starts with */
};

static const struct target targets[] = {
	{ AP "/apmask", EINVAL, NULL },
	{ AP "/aqmask", EINVAL, NULL },
	{ AP "/ap_domain", EINVAL, NULL },
	{ AP "/config_time", EINVAL, NULL },
	{ AP "/poll_timeout", EINVAL, NULL },
	{ AP "/poll_thread", EINVAL, "z%# \t" },
	{ "/sys/devices/ap/card05/config", EINVAL, NULL },
	{ "/sys/devices/ap/card04/online", EINVAL, NULL },
	{ "/sys/devices/ap/card04/04.0005/online", EINVAL, NULL },
	{ "/sys/devices/vfio_ap/matrix/mdev_supported_types/vfio_ap-passthrough/create",
	  EINVAL, NULL },
	{ "/sys/devices/vfio_ap/matrix/%s/assign_adapter", EINVAL, NULL },
	{ "/sys/devices/vfio_ap/matrix/%s/unassign_adapter", EINVAL, NULL },
	{ "/sys/devices/vfio_ap/matrix/%s/assign_domain", EINVAL, NULL },
	{ "/sys/devices/vfio_ap/matrix/%s/unassign_domain", EINVAL, NULL },
	{ "/sys/devices/vfio_ap/matrix/%s/assign_control_domain", EINVAL, NULL },
	{ "/sys/devices/vfio_ap/matrix/%s/unassign_control_domain", EINVAL,
	  NULL },
	{ "/sys/devices/vfio_ap/matrix/%s/ap_config", EINVAL, NULL },
	{ DBG "/ap_sim/command", EINVAL, NULL },
	{ DBG "/ap_sim/instr", EINVAL, NULL },
};

#define SNAPSHOT_EVERY	50

/* Corner cases every file above refuses ("" is the empty write). */
static const char * const corners[] = {
	"", "\n", " ", "\t", "junk", "0x", "0X", "+", "-", "++5", "+-5",
	"5,,6", ",5", "5,", "+1,2", " 5", "5 ", "5\n\n", "0xg", "x5", "+0x",
	"5.0", "+256x", "5;6", "\"5\"", "0x5 ", "\x80", "\xff\xfe", "5\t",
	"+5-", "1-2-3",
};

static const char bad_chars[] = "zZ!@#$%^&*()[]{};:'\"<>?/|\\~` \t\x01\x7f\x80\xff";
static const char some_chars[] = "0123456789abcdefABCDEFx+-,.\n";

static const char *uuid;
static unsigned long writes, wrong_errno, changed;

/* The state a malformed write must leave alone. */
static const char * const state_files[] = {
	AP "/apmask", AP "/aqmask", AP "/ap_domain", AP "/config_time",
	AP "/poll_timeout", AP "/poll_thread", AP "/bindings",
	"/sys/devices/ap/card05/config", "/sys/devices/ap/card04/online",
	"/sys/devices/ap/card04/04.0005/online",
	"/sys/devices/vfio_ap/matrix/mdev_supported_types/vfio_ap-passthrough/available_instances",
	"/sys/devices/vfio_ap/matrix/%s/ap_config",
	"/sys/devices/vfio_ap/matrix/%s/guest_matrix",
	DBG "/ap_sim/config", DBG "/ap_sim/adapters", DBG "/ap_sim/queues",
	DBG "/ap_sim/guests", DBG "/ap_sim/violations",
	DBG "/vfio_ap/%s/guest",
};

static char *snapshot(void)
{
	static char one[1 << 16];
	size_t size = 1 << 18, used = 0;
	char *all = malloc(size), path[256];
	unsigned int i;

	if (!all)
		exit(2);
	all[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(state_files); i++) {
		snprintf(path, sizeof(path), state_files[i], uuid);
		if (ap_read(path, one, sizeof(one)))
			snprintf(one, sizeof(one), "(unreadable)\n");
		used += snprintf(all + used, size - used, "%s:\n%s", path, one);
	}
	return all;
}

static char *before;

static void compare_state(const char *path, const char *buf, size_t len)
{
	char *after = snapshot();

	if (strcmp(before, after)) {
		changed++;
		if (changed < 10)
			fprintf(stderr, "%s <- \"%.*s\" (or a write before) changed the state\n",
				path, (int)(len > 40 ? 40 : len), buf);
		free(before);
		before = after;
	} else {
		free(after);
	}
}

static void try(const char *path, const char *buf, size_t len, int err)
{
	int got;

	if (!before)
		before = snapshot();
	if (!len)
		err = 0;
	got = ap_write_n(path, buf, len);
	writes++;
	if (got != err) {
		wrong_errno++;
		if (wrong_errno < 20)
			fprintf(stderr, "%s <- \"%.*s\" (%zu bytes): %s, not %s\n",
				path, (int)(len > 40 ? 40 : len), buf, len,
				got ? strerror(got) : "accepted", strerror(err));
	}
	if (writes % SNAPSHOT_EVERY == 0)
		compare_state(path, buf, len);
}

/* A generated input that no grammar accepts. */
static size_t generate(uint64_t *r, const struct target *t, char *buf,
		       size_t size)
{
	size_t len, i, bad;

	switch (ap_rand_below(r, 8)) {
	case 0:		/* overlong */
		len = 4097 + ap_rand_below(r, 4000);
		break;
	case 1:		/* short */
		len = 1 + ap_rand_below(r, 3);
		break;
	default:
		len = 1 + ap_rand_below(r, 80);
	}
	if (len >= size)
		len = size - 1;
	if (len == 36 || len == 37)	/* create takes a UUID and one more */
		len = 38;
	for (i = 0; i < len; i++)
		buf[i] = some_chars[ap_rand_below(r, sizeof(some_chars) - 1)];
	bad = t->first_bad ? 0 : ap_rand_below(r, len);
	buf[bad] = t->first_bad ?
		   t->first_bad[ap_rand_below(r, strlen(t->first_bad))] :
		   bad_chars[ap_rand_below(r, sizeof(bad_chars) - 1)];
	if (!ap_rand_below(r, 8))	/* an embedded NUL as well */
		buf[ap_rand_below(r, len)] = '\0';
	return len;
}

int main(int argc, char **argv)
{
	static char buf[8192];
	unsigned long seed = 1, per_file = 1000, n;
	char path[256];
	unsigned int i, c;
	uint64_t r;
	int opt;

	while ((opt = getopt(argc, argv, "s:n:")) != -1) {
		if (opt == 's')
			seed = strtoul(optarg, NULL, 0);
		else if (opt == 'n')
			per_file = strtoul(optarg, NULL, 0);
		else
			return 2;
	}
	if (optind + 1 != argc)
		return 2;
	uuid = argv[optind];
	r = seed * 0x9e3779b97f4a7c15ULL + 7;
	for (i = 0; i < ARRAY_SIZE(targets); i++) {
		snprintf(path, sizeof(path), targets[i].path, uuid);
		for (c = 0; c < ARRAY_SIZE(corners); c++) {
			if (targets[i].first_bad && corners[c][0] &&
			    strchr("yYnN10oO", corners[c][0]))
				continue;	/* kstrtobool reads one char */
			try(path, corners[c], strlen(corners[c]),
			    targets[i].err);
		}
		for (n = 0; n < per_file; n++)
			try(path, buf, generate(&r, &targets[i], buf, sizeof(buf)),
			    targets[i].err);
		compare_state(path, "(the file's last input)", 23);
	}
	printf("badinput: writes %lu, wrong errno %lu, state changed %lu\n",
	       writes, wrong_errno, changed);
	return wrong_errno || changed;
}
