// SPDX-License-Identifier: GPL-2.0
/*
 * apwrite FILE TEXT [-n|-0]: write TEXT to FILE in one write(2), as echo
 * does (with a newline unless -n; with a NUL byte instead of it with -0,
 * which no shell can pass in an argument), and print the outcome as one
 * word:
 * OK, or the errno's name (EINVAL, EADDRINUSE, ...). Shell tests compare
 * the word; shells' own echo reports every failure alike.
 * The exit status is 0 when the outcome could be printed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct { int err; const char *name; } names[] = {
	{ EINVAL, "EINVAL" }, { ENODEV, "ENODEV" }, { EBUSY, "EBUSY" },
	{ EADDRINUSE, "EADDRINUSE" }, { EADDRNOTAVAIL, "EADDRNOTAVAIL" },
	{ EEXIST, "EEXIST" }, { ENOENT, "ENOENT" }, { EPERM, "EPERM" },
	{ EACCES, "EACCES" }, { EIO, "EIO" }, { ENOMEM, "ENOMEM" },
	{ EOPNOTSUPP, "EOPNOTSUPP" }, { ERANGE, "ERANGE" }, { EFAULT, "EFAULT" },
	{ EINTR, "EINTR" }, { ENOSPC, "ENOSPC" }, { EUSERS, "EUSERS" },
};

static void print_errno(int err)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (names[i].err == err) {
			puts(names[i].name);
			return;
		}
	}
	printf("E%d\n", err);
}

int main(int argc, char **argv)
{
	char buf[8192];
	size_t len;
	ssize_t n;
	int fd;

	if (argc < 3 || argc > 4 ||
	    (argc == 4 && strcmp(argv[3], "-n") && strcmp(argv[3], "-0"))) {
		fprintf(stderr, "usage: apwrite FILE TEXT [-n|-0]\n");
		return 2;
	}
	len = strlen(argv[2]);
	if (len + 2 > sizeof(buf)) {
		fprintf(stderr, "apwrite: text too long\n");
		return 2;
	}
	memcpy(buf, argv[2], len);
	if (argc == 3)
		buf[len++] = '\n';
	else if (!strcmp(argv[3], "-0"))
		buf[len++] = '\0';
	fd = open(argv[1], O_WRONLY);
	if (fd < 0) {
		print_errno(errno);
		return 0;
	}
	n = write(fd, buf, len);
	if (n < 0)
		print_errno(errno);
	else if ((size_t)n != len)
		printf("SHORT %zd\n", n);
	else
		puts("OK");
	close(fd);
	return 0;
}
