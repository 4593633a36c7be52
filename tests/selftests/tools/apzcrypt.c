// SPDX-License-Identifier: GPL-2.0
/*
 * apzcrypt: RSA through /dev/z90crypt, the zcrypt interface that libica
 * and openssl-ibmca use (include/uapi/ap/zcrypt.h).
 *
 *   apzcrypt vectors FILE [crt|me|both]
 *   apzcrypt errno CASE
 *   apzcrypt status
 *   apzcrypt load FILE THREADS COUNT [BYTES]
 *   apzcrypt bench FILE BYTES THREADS SECONDS
 *
 * The device is /dev/z90crypt, or the path in APZCRYPT_DEV. FILE is a
 * vector file of scripts/rsa-vectors.py (tests/selftests/data/rsa.vec):
 * "key BYTES N E D P Q DP DQ QINV" lines, each followed by its
 * "msg M S" lines (S = M^D mod N), in hex; '#' starts a comment line.
 *
 * vectors: for each msg, ICARSAMODEXPO with D on M must give S ("me"),
 * ICARSAMODEXPO with E on S must give M ("pub"), ICARSACRT with the CRT
 * key (p > q, p, dp and qinv after ZCRYPT_CRT_PAD zero bytes) on M must
 * give S ("crt"); "me" runs the first two, "crt" the last one, "both"
 * (the default) all three. The room for the result is BYTES + 16 bytes:
 * a success must set outputdatalength to BYTES and leave the bytes after
 * the result alone. One line per operation, "ok OP BYTES" or
 * "FAIL OP BYTES: REASON" (errno NAME, wrong result, outputdatalength N,
 * wrote past the result), then "vectors: N passed, M failed".
 *
 * errno: one deliberate request on a 64-byte modulus; prints the errno's
 * name (EINVAL, EFAULT, ...) or 0 for success, nothing else. CASEs: ok,
 * crt-ok (valid ME and CRT requests), len0, len-big, len-small
 * (inputdatalength 0, 513, 7), out-short (outputdatalength one less than
 * inputdatalength), fault-in, fault-out, fault-key (inputdata, outputdata,
 * b_key at address 8), fault-arg (the ioctl's argument at address 8),
 * crt-len-big (CRT, inputdatalength 513), crt-fault-key (CRT, np_prime at
 * address 8), bad-ioctl (an unknown ioctl number of magic 'z'), read,
 * write (read(2) and write(2) of 64 bytes).
 *
 * status: the status ioctls; "status CARD VALUE" for each nonzero entry
 * of ZCRYPT_STATUS_MASK, "z90status CARD VALUE" of Z90STAT_STATUS_MASK,
 * "qdepth CARD VALUE" of ZCRYPT_QDEPTH_MASK, "reqcnt CARD VALUE" of
 * ZCRYPT_PERDEV_REQCNT (CARD in hex, VALUE decimal), then "requestq N",
 * "pendingq N", "totalopen N", "domain N"; "FAIL IOCTL: NAME" for each
 * ioctl that fails.
 *
 * load: THREADS threads, each on a file descriptor of its own, send COUNT
 * ICARSAMODEXPO requests each with the private key of the first BYTES-byte
 * key of FILE (default 256), cycling through its messages. Each outcome
 * is the right result, an errno, or wrong (a wrong value, length or
 * overrun). Prints "load: sent N right R wrong W" and "load errno NAME
 * COUNT" for each errno seen.
 *
 * bench: the same for SECONDS seconds; prints "bench: threads T requests N
 * seconds S rps X lat_us_avg A lat_us_p50 P lat_us_p99 Q" (N counts all
 * requests, the latency is that of each ioctl, CLOCK_MONOTONIC), then
 * "bench errno NAME COUNT" for each errno seen.
 *
 * For load and bench, APZCRYPT_ALLOW lists the errno names (separated by
 * commas) that are acceptable outcomes, "any" for all; it is empty by
 * default.
 *
 * The exit status is 0 when everything checked held (for errno: when the
 * request could be made), 1 when not, 2 on a usage or vector file error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <ap/zcrypt.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Room after the result, and what it is filled with before a request. */
#define SLACK		16
#define CANARY		0xa5
#define MAX_ERRNO	4096
#define BAD_PTR		((__u8 *)8)

static const char *errname(int err)
{
	static __thread char buf[16];
	const char *name;

	if (!err)
		return "0";
	name = strerrorname_np(err);
	if (name)
		return name;
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

static const char *dev_path(void)
{
	const char *path = getenv("APZCRYPT_DEV");

	return path && *path ? path : "/dev/z90crypt";
}

/* The device, or -1 after a FAIL line on @out (stdout or stderr). */
static int dev_open(FILE *out)
{
	int fd = open(dev_path(), O_RDWR | O_CLOEXEC);

	if (fd < 0)
		fprintf(out, "FAIL open %s: errno %s\n", dev_path(),
			errname(errno));
	return fd;
}

static int apz_usage(void)
{
	fprintf(stderr,
		"usage: apzcrypt vectors FILE [crt|me|both]\n"
		"       apzcrypt errno CASE\n"
		"       apzcrypt status\n"
		"       apzcrypt load FILE THREADS COUNT [BYTES]\n"
		"       apzcrypt bench FILE BYTES THREADS SECONDS\n");
	return 2;
}

static bool parse_ulong(const char *s, unsigned long min, unsigned long max,
			unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 10);
	return !errno && *s >= '0' && *s <= '9' && !*end && *v >= min &&
	       *v <= max;
}

/* The vector file */

struct vmsg {
	__u8 *m;
	__u8 *s;
};

/**
 * struct vkey - a key of the vector file, laid out as the ioctls take it
 * @bytes: the modulus length
 * @n: the modulus, @bytes bytes
 * @e: the public exponent, right-aligned in @bytes bytes
 * @d: the private exponent, likewise
 * @p: the prime p, ZCRYPT_CRT_PAD zero bytes and (@bytes + 1) / 2 bytes
 * @dp: d mod (p - 1), laid out as @p
 * @qinv: q^-1 mod p, laid out as @p
 * @q: the prime q, (@bytes + 1) / 2 bytes
 * @dq: d mod (q - 1), laid out as @q
 * @msgs: its messages and their results
 * @nmsgs: the number of @msgs
 */
struct vkey {
	unsigned int bytes;
	__u8 *n, *e, *d;
	__u8 *p, *dp, *qinv;
	__u8 *q, *dq;
	struct vmsg *msgs;
	unsigned int nmsgs;
};

struct vfile {
	struct vkey *keys;
	unsigned int nkeys;
};

static unsigned int half(unsigned int bytes)
{
	return (bytes + 1) / 2;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* @hex into @buf, right-aligned in @len bytes. 0, or -1 if it does not fit. */
static int hex_to_buf(const char *hex, __u8 *buf, size_t len)
{
	size_t nd = hex ? strlen(hex) : 0, i;
	int v;

	memset(buf, 0, len);
	if (!nd)
		return -1;
	for (i = 0; i < nd; i++) {
		v = hexval(hex[nd - 1 - i]);
		if (v < 0)
			return -1;
		if (i / 2 >= len) {
			if (v)
				return -1;
			continue;
		}
		buf[len - 1 - i / 2] |= i % 2 ? v << 4 : v;
	}
	return 0;
}

/* The fields of a line, at most @max of them; the number found. */
static unsigned int split(char *line, char **f, unsigned int max)
{
	unsigned int n = 0;
	char *save, *tok;

	for (tok = strtok_r(line, " \t\r\n", &save); tok;
	     tok = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == max)
			return max + 1;
		f[n++] = tok;
	}
	return n;
}

/* A "key" line's fields after the word into @k. 0 or -1. */
static int parse_key(char **f, struct vkey *k)
{
	unsigned long bytes;
	unsigned int h, l;
	__u8 *b;

	if (!parse_ulong(f[0], 1, 4096, &bytes))
		return -1;
	h = half(bytes);
	l = h + ZCRYPT_CRT_PAD;
	b = calloc(1, 3 * bytes + 3 * l + 2 * h);
	if (!b)
		return -1;
	*k = (struct vkey){ .bytes = bytes, .n = b, .e = b + bytes,
			    .d = b + 2 * bytes, .p = b + 3 * bytes };
	k->dp = k->p + l;
	k->qinv = k->dp + l;
	k->q = k->qinv + l;
	k->dq = k->q + h;
	return hex_to_buf(f[1], k->n, bytes) || hex_to_buf(f[2], k->e, bytes) ||
	       hex_to_buf(f[3], k->d, bytes) ||
	       hex_to_buf(f[4], k->p + ZCRYPT_CRT_PAD, h) ||
	       hex_to_buf(f[5], k->q, h) ||
	       hex_to_buf(f[6], k->dp + ZCRYPT_CRT_PAD, h) ||
	       hex_to_buf(f[7], k->dq, h) ||
	       hex_to_buf(f[8], k->qinv + ZCRYPT_CRT_PAD, h) ? -1 : 0;
}

/* A "msg" line's fields after the word, a message of @k. 0 or -1. */
static int parse_msg(char **f, struct vkey *k)
{
	struct vmsg *msgs, *m;

	msgs = realloc(k->msgs, (k->nmsgs + 1) * sizeof(*msgs));
	if (!msgs)
		return -1;
	k->msgs = msgs;
	m = &msgs[k->nmsgs];
	m->m = malloc(2 * k->bytes);
	if (!m->m)
		return -1;
	m->s = m->m + k->bytes;
	if (hex_to_buf(f[0], m->m, k->bytes) ||
	    hex_to_buf(f[1], m->s, k->bytes))
		return -1;
	k->nmsgs++;
	return 0;
}

/* One line of the vector file into @vf. 0 or -1. */
static int parse_line(char *line, struct vfile *vf)
{
	struct vkey *keys;
	char *f[11];
	unsigned int n = split(line, f, ARRAY_SIZE(f) - 1);

	if (!n || f[0][0] == '#')
		return 0;
	if (!strcmp(f[0], "msg"))
		return n == 3 && vf->nkeys ?
		       parse_msg(f + 1, &vf->keys[vf->nkeys - 1]) : -1;
	if (strcmp(f[0], "key") || n != 10)
		return -1;
	keys = realloc(vf->keys, (vf->nkeys + 1) * sizeof(*keys));
	if (!keys)
		return -1;
	vf->keys = keys;
	if (parse_key(f + 1, &keys[vf->nkeys]))
		return -1;
	vf->nkeys++;
	return 0;
}

/* Read the vector file @path. 0, or -1 after a message. */
static int read_vectors(const char *path, struct vfile *vf)
{
	unsigned int lineno = 0;
	size_t size = 0;
	char *line = NULL;
	FILE *f = fopen(path, "r");
	int rc = 0;

	*vf = (struct vfile){ 0 };
	if (!f) {
		fprintf(stderr, "apzcrypt: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (!rc && getline(&line, &size, f) >= 0) {
		lineno++;
		rc = parse_line(line, vf);
	}
	if (rc)
		fprintf(stderr, "apzcrypt: %s:%u: malformed line\n", path,
			lineno);
	free(line);
	fclose(f);
	return rc;
}

/* The first @bytes-byte key of @vf that has messages, or NULL. */
static const struct vkey *find_key(const struct vfile *vf, unsigned int bytes)
{
	unsigned int i;

	for (i = 0; i < vf->nkeys; i++)
		if (vf->keys[i].bytes == bytes && vf->keys[i].nmsgs)
			return &vf->keys[i];
	return NULL;
}

/* One operation and its outcome */

enum op { OP_ME, OP_PUB, OP_CRT };
static const char *const op_names[] = { "me", "pub", "crt" };

enum outcome { RIGHT, FAILED, BADLEN, WRONG, OVERRUN };

/*
 * @op with key @k on @in, the result into @out (k->bytes + SLACK bytes of
 * room). Return: 0 or the errno; @outlen gets the outputdatalength the
 * request has afterwards.
 */
static int run_op(int fd, enum op op, const struct vkey *k, __u8 *in,
		  __u8 *out, unsigned int *outlen)
{
	struct ica_rsa_modexpo me = {
		.inputdata = in, .inputdatalength = k->bytes,
		.outputdata = out, .outputdatalength = k->bytes + SLACK,
		.b_key = op == OP_PUB ? k->e : k->d, .n_modulus = k->n,
	};
	struct ica_rsa_modexpo_crt crt = {
		.inputdata = in, .inputdatalength = k->bytes,
		.outputdata = out, .outputdatalength = k->bytes + SLACK,
		.bp_key = k->dp, .bq_key = k->dq, .np_prime = k->p,
		.nq_prime = k->q, .u_mult_inv = k->qinv,
	};
	int rc;

	memset(out, CANARY, k->bytes + SLACK);
	if (op == OP_CRT) {
		rc = ioctl(fd, ICARSACRT, &crt);
		*outlen = crt.outputdatalength;
	} else {
		rc = ioctl(fd, ICARSAMODEXPO, &me);
		*outlen = me.outputdatalength;
	}
	return rc ? errno : 0;
}

static enum outcome judge(const struct vkey *k, int err, unsigned int outlen,
			  const __u8 *out, const __u8 *want)
{
	unsigned int i;

	if (err)
		return FAILED;
	if (outlen != k->bytes)
		return BADLEN;
	if (memcmp(out, want, k->bytes))
		return WRONG;
	for (i = k->bytes; i < k->bytes + SLACK; i++)
		if (out[i] != CANARY)
			return OVERRUN;
	return RIGHT;
}

/* vectors */

/* Run and report one operation of the vectors. Return: it was right. */
static bool check_op(int fd, enum op op, const struct vkey *k, __u8 *in,
		     const __u8 *want, __u8 *out)
{
	unsigned int outlen;
	int err = run_op(fd, op, k, in, out, &outlen);
	const char *name = op_names[op];

	switch (judge(k, err, outlen, out, want)) {
	case RIGHT:
		printf("ok %s %u\n", name, k->bytes);
		return true;
	case FAILED:
		printf("FAIL %s %u: errno %s\n", name, k->bytes, errname(err));
		break;
	case BADLEN:
		printf("FAIL %s %u: outputdatalength %u\n", name, k->bytes,
		       outlen);
		break;
	case WRONG:
		printf("FAIL %s %u: wrong result\n", name, k->bytes);
		break;
	case OVERRUN:
		printf("FAIL %s %u: wrote past the result\n", name, k->bytes);
		break;
	}
	return false;
}

static int cmd_vectors(int argc, char **argv)
{
	const char *mode = argc > 3 ? argv[3] : "both";
	bool me = strcmp(mode, "crt"), crt = strcmp(mode, "me");
	unsigned int i, j, max = 0, n[2] = { 0 };	/* failed, passed */
	struct vfile vf;
	struct vmsg *m;
	struct vkey *k;
	__u8 *out;
	int fd;

	if (argc < 3 || argc > 4 ||
	    (strcmp(mode, "crt") && strcmp(mode, "me") && strcmp(mode, "both")))
		return apz_usage();
	if (read_vectors(argv[2], &vf))
		return 2;
	for (i = 0; i < vf.nkeys; i++)
		max = vf.keys[i].bytes > max ? vf.keys[i].bytes : max;
	out = malloc(max + SLACK);
	fd = dev_open(stdout);
	if (!out || fd < 0)
		return 1;
	for (i = 0; i < vf.nkeys; i++) {
		k = &vf.keys[i];
		for (j = 0; j < k->nmsgs; j++) {
			m = &k->msgs[j];
			if (me) {
				n[check_op(fd, OP_ME, k, m->m, m->s, out)]++;
				n[check_op(fd, OP_PUB, k, m->s, m->m, out)]++;
			}
			if (crt)
				n[check_op(fd, OP_CRT, k, m->m, m->s, out)]++;
		}
	}
	close(fd);
	printf("vectors: %u passed, %u failed\n", n[1], n[0]);
	return n[0] || !n[1];
}

/* errno */

/*
 * The built-in requests: a 64-byte modulus (odd, top byte nonzero), an
 * input below it and the exponent 3 for ICARSAMODEXPO; a 512-bit key of
 * rsa.vec in CRT form and the input 2 for ICARSACRT. The buffers have
 * room for the lengths the cases make up.
 */
#define EBYTES		64
#define EROOM		1024
#define CRT_P	"cf947743d0788e7bf95ca5fcd1d5b8b2" \
		"7e691ea1096c90716d529559f59058f3"
#define CRT_Q	"c1263fe33d53e51a96ec1b42819c84e1" \
		"8c39ecce35ee000c54d9ab0eae03727f"
#define CRT_DP	"c8a724da428c267f243e309d4060ad56" \
		"ace7041a7a379d306792aa97f8cd7d8d"
#define CRT_DQ	"53687e1c56667d401f3e748322cf817e" \
		"98fc86ab82147606dd39662a1fb13367"
#define CRT_U	"1ab4dc1ba0ba473b7dd62b7c4ebf7659" \
		"63260d931646314d5eda1f12125ac03c"

static __u8 e_mod[EROOM], e_exp[EROOM], e_in[EROOM], e_out[EROOM];
static __u8 e_p[EROOM], e_q[EROOM], e_dp[EROOM], e_dq[EROOM], e_u[EROOM];

static const char *const errno_cases[] = {
	"ok", "crt-ok", "len0", "len-big", "len-small", "out-short",
	"fault-in", "fault-out", "fault-key", "fault-arg", "crt-len-big",
	"crt-fault-key", "bad-ioctl", "read", "write",
};

static void errno_setup(void)
{
	unsigned int i;

	for (i = 0; i < EBYTES; i++)
		e_mod[i] = 0xf0 - i;
	e_mod[EBYTES - 1] |= 1;
	e_in[0] = 0x12;
	e_in[EBYTES - 1] = 0x34;
	e_exp[EBYTES - 1] = 3;
	hex_to_buf(CRT_P, e_p + ZCRYPT_CRT_PAD, EBYTES / 2);
	hex_to_buf(CRT_Q, e_q, EBYTES / 2);
	hex_to_buf(CRT_DP, e_dp + ZCRYPT_CRT_PAD, EBYTES / 2);
	hex_to_buf(CRT_DQ, e_dq, EBYTES / 2);
	hex_to_buf(CRT_U, e_u + ZCRYPT_CRT_PAD, EBYTES / 2);
}

/* Both lengths of a request. */
static void set_lens(__u32 *in, __u32 *out, __u32 n)
{
	*in = n;
	*out = n;
}

/* The ICARSACRT cases: 0 or the errno, -1 if @c is none of them. */
static int errno_crt(int fd, const char *c)
{
	__u8 two[EROOM] = { [EBYTES - 1] = 2 };
	struct ica_rsa_modexpo_crt crt = {
		.inputdata = two, .inputdatalength = EBYTES,
		.outputdata = e_out, .outputdatalength = EBYTES,
		.bp_key = e_dp, .bq_key = e_dq, .np_prime = e_p,
		.nq_prime = e_q, .u_mult_inv = e_u,
	};

	if (!strcmp(c, "crt-len-big"))
		set_lens(&crt.inputdatalength, &crt.outputdatalength, 513);
	else if (!strcmp(c, "crt-fault-key"))
		crt.np_prime = BAD_PTR;
	else if (strcmp(c, "crt-ok"))
		return -1;
	return ioctl(fd, ICARSACRT, &crt) ? errno : 0;
}

/* The ICARSAMODEXPO and bad-ioctl cases: 0 or the errno, -1 if none. */
static int errno_me(int fd, const char *c)
{
	struct ica_rsa_modexpo me = {
		.inputdata = e_in, .inputdatalength = EBYTES,
		.outputdata = e_out, .outputdatalength = EBYTES,
		.b_key = e_exp, .n_modulus = e_mod,
	};
	unsigned long req = ICARSAMODEXPO;
	void *arg = &me;

	if (!strcmp(c, "len0"))
		set_lens(&me.inputdatalength, &me.outputdatalength, 0);
	else if (!strcmp(c, "len-big"))
		set_lens(&me.inputdatalength, &me.outputdatalength, 513);
	else if (!strcmp(c, "len-small"))
		set_lens(&me.inputdatalength, &me.outputdatalength, 7);
	else if (!strcmp(c, "out-short"))
		me.outputdatalength = EBYTES - 1;
	else if (!strcmp(c, "fault-in"))
		me.inputdata = BAD_PTR;
	else if (!strcmp(c, "fault-out"))
		me.outputdata = BAD_PTR;
	else if (!strcmp(c, "fault-key"))
		me.b_key = BAD_PTR;
	else if (!strcmp(c, "fault-arg"))
		arg = BAD_PTR;
	else if (!strcmp(c, "bad-ioctl"))
		req = _IOC(_IOC_READ | _IOC_WRITE, ZCRYPT_IOCTL_MAGIC, 0x7e, 0);
	else if (strcmp(c, "ok"))
		return -1;
	return ioctl(fd, req, arg) ? errno : 0;
}

static int errno_rw(int fd, const char *c)
{
	ssize_t n;

	if (!strcmp(c, "read"))
		n = read(fd, e_out, EBYTES);
	else if (!strcmp(c, "write"))
		n = write(fd, e_in, EBYTES);
	else
		return -1;
	return n < 0 ? errno : 0;
}

static int cmd_errno(int argc, char **argv)
{
	unsigned int i;
	int fd, err;

	for (i = 0; argc == 3 && i < ARRAY_SIZE(errno_cases); i++)
		if (!strcmp(argv[2], errno_cases[i]))
			break;
	if (argc != 3 || i == ARRAY_SIZE(errno_cases))
		return apz_usage();
	errno_setup();
	fd = dev_open(stderr);
	if (fd < 0)
		return 1;
	err = errno_me(fd, argv[2]);
	if (err < 0)
		err = errno_crt(fd, argv[2]);
	if (err < 0)
		err = errno_rw(fd, argv[2]);
	close(fd);
	puts(errname(err));
	return 0;
}

/* status */

static bool status_ioctl(int fd, const char *name, unsigned long req,
			 void *buf)
{
	if (!ioctl(fd, req, buf))
		return true;
	printf("FAIL %s: %s\n", name, errname(errno));
	return false;
}

#define STATUS(fd, req, buf)	status_ioctl(fd, #req, req, buf)

static void print_mask(const char *what, const unsigned char *mask,
		       unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (mask[i])
			printf("%s %02x %u\n", what, i, mask[i]);
}

static int cmd_status(int argc, char **argv)
{
	unsigned char status[ZCRYPT_CARDS], z90[Z90STAT_CARDS];
	unsigned char qdepth[ZCRYPT_CARDS];
	int reqcnt[ZCRYPT_CARDS], requestq, pendingq, totalopen, domain;
	bool ok_z90, ok_st, ok_qd, ok_rc, ok_rq, ok_pq, ok_to, ok_dom;
	unsigned int i;
	int fd;

	(void)argv;
	if (argc != 2)
		return apz_usage();
	fd = dev_open(stdout);
	if (fd < 0)
		return 1;
	ok_z90 = STATUS(fd, Z90STAT_STATUS_MASK, z90);
	ok_st = STATUS(fd, ZCRYPT_STATUS_MASK, status);
	ok_qd = STATUS(fd, ZCRYPT_QDEPTH_MASK, qdepth);
	ok_rc = STATUS(fd, ZCRYPT_PERDEV_REQCNT, reqcnt);
	ok_rq = STATUS(fd, Z90STAT_REQUESTQ_COUNT, &requestq);
	ok_pq = STATUS(fd, Z90STAT_PENDINGQ_COUNT, &pendingq);
	ok_to = STATUS(fd, Z90STAT_TOTALOPEN_COUNT, &totalopen);
	ok_dom = STATUS(fd, Z90STAT_DOMAIN_INDEX, &domain);
	close(fd);
	if (ok_st)
		print_mask("status", status, ZCRYPT_CARDS);
	if (ok_z90)
		print_mask("z90status", z90, Z90STAT_CARDS);
	if (ok_qd)
		print_mask("qdepth", qdepth, ZCRYPT_CARDS);
	for (i = 0; ok_rc && i < ZCRYPT_CARDS; i++)
		if (reqcnt[i])
			printf("reqcnt %02x %u\n", i, (unsigned int)reqcnt[i]);
	if (ok_rq)
		printf("requestq %d\n", requestq);
	if (ok_pq)
		printf("pendingq %d\n", pendingq);
	if (ok_to)
		printf("totalopen %d\n", totalopen);
	if (ok_dom)
		printf("domain %d\n", domain);
	return !(ok_z90 && ok_st && ok_qd && ok_rc && ok_rq && ok_pq &&
		 ok_to && ok_dom);
}

/* load and bench */

/**
 * struct worker - one thread of load or bench
 * @tid: the thread
 * @fd: its own file descriptor of the device
 * @key: the key it uses
 * @first: its first message of @key
 * @count: load: the number of requests to send
 * @seconds: bench: for how long to send them (0 for load)
 * @out: its result buffer
 * @sent: requests sent
 * @right: ... that gave the right result
 * @wrong: ... that gave a wrong one
 * @errs: ... that failed, by errno
 * @lat: bench: each request's latency in nanoseconds
 * @nlat: the number of @lat
 * @cap: the room in @lat
 * @lat_sum: the sum of all latencies, in nanoseconds
 */
struct worker {
	pthread_t tid;
	int fd;
	const struct vkey *key;
	unsigned int first;
	unsigned long count;
	double seconds;
	__u8 *out;
	unsigned long sent, right, wrong;
	unsigned long errs[MAX_ERRNO];
	uint32_t *lat;
	size_t nlat, cap;
	double lat_sum;
};

static pthread_barrier_t start;

static int64_t ns_between(const struct timespec *a, const struct timespec *b)
{
	return (int64_t)(b->tv_sec - a->tv_sec) * 1000000000 +
	       (b->tv_nsec - a->tv_nsec);
}

/* Keep one latency; the samples stop growing without memory. */
static void keep_latency(struct worker *w, int64_t ns)
{
	uint32_t *lat;

	w->lat_sum += ns;
	if (w->nlat == w->cap) {
		lat = realloc(w->lat, (w->cap ? 2 * w->cap : 4096) *
				      sizeof(*lat));
		if (!lat)
			return;
		w->lat = lat;
		w->cap = w->cap ? 2 * w->cap : 4096;
	}
	w->lat[w->nlat++] = ns > UINT32_MAX ? UINT32_MAX : ns;
}

static void one_request(struct worker *w, const struct vmsg *m)
{
	struct timespec t0, t1;
	unsigned int outlen;
	int err;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	err = run_op(w->fd, OP_ME, w->key, m->m, w->out, &outlen);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	w->sent++;
	if (w->seconds)
		keep_latency(w, ns_between(&t0, &t1));
	switch (judge(w->key, err, outlen, w->out, m->s)) {
	case RIGHT:
		w->right++;
		break;
	case FAILED:
		w->errs[err < MAX_ERRNO ? err : MAX_ERRNO - 1]++;
		break;
	default:
		w->wrong++;
	}
}

static void *work(void *arg)
{
	struct worker *w = arg;
	const struct vkey *k = w->key;
	struct timespec t0, now;
	unsigned long i;

	pthread_barrier_wait(&start);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0;; i++) {
		if (w->seconds) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (ns_between(&t0, &now) >= w->seconds * 1e9)
				break;
		} else if (i == w->count) {
			break;
		}
		one_request(w, &k->msgs[(w->first + i) % k->nmsgs]);
	}
	return NULL;
}

/*
 * Run @nw workers on key @k, @count requests each, or for @seconds each
 * if @seconds is not 0 (@elapsed, if not NULL, gets the time they took).
 * Return: the workers, NULL after a FAIL line.
 */
static struct worker *run_workers(const struct vkey *k, unsigned int nw,
				  unsigned long count, double seconds,
				  double *elapsed)
{
	struct worker *w = calloc(nw, sizeof(*w));
	struct timespec t0, t1;
	unsigned int i;

	if (!w)
		return NULL;
	for (i = 0; i < nw; i++) {
		w[i] = (struct worker){ .key = k, .first = i, .count = count,
					.seconds = seconds };
		w[i].out = malloc(k->bytes + SLACK);
		w[i].fd = dev_open(stdout);
		if (!w[i].out || w[i].fd < 0)
			return NULL;
	}
	pthread_barrier_init(&start, NULL, nw + 1);
	for (i = 0; i < nw; i++) {
		if (pthread_create(&w[i].tid, NULL, work, &w[i])) {
			printf("FAIL pthread_create\n");
			exit(1);
		}
	}
	pthread_barrier_wait(&start);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < nw; i++) {
		pthread_join(w[i].tid, NULL);
		close(w[i].fd);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (elapsed)
		*elapsed = ns_between(&t0, &t1) / 1e9;
	pthread_barrier_destroy(&start);
	return w;
}

/* Is errno @err acceptable by APZCRYPT_ALLOW? */
static bool allowed(int err)
{
	const char *p = getenv("APZCRYPT_ALLOW"), *name = errname(err);
	size_t n, len = strlen(name);

	while (p && *p) {
		n = strcspn(p, ",");
		if ((n == len && !strncmp(p, name, n)) ||
		    (n == 3 && !strncmp(p, "any", 3)))
			return true;
		p += n + !!p[n];
	}
	return false;
}

static void sum_workers(const struct worker *w, unsigned int nw,
			struct worker *sum)
{
	unsigned int i, e;

	for (i = 0; i < nw; i++) {
		sum->sent += w[i].sent;
		sum->right += w[i].right;
		sum->wrong += w[i].wrong;
		sum->nlat += w[i].nlat;
		sum->lat_sum += w[i].lat_sum;
		for (e = 0; e < MAX_ERRNO; e++)
			sum->errs[e] += w[i].errs[e];
	}
}

/*
 * Print the "WHAT errno NAME COUNT" lines of @sum; @nerrs gets the number
 * of failed requests. Return: all their errnos are allowed.
 */
static bool report_errnos(const char *what, const struct worker *sum,
			  unsigned long *nerrs)
{
	unsigned int e;
	bool ok = true;

	*nerrs = 0;
	for (e = 0; e < MAX_ERRNO; e++) {
		if (!sum->errs[e])
			continue;
		*nerrs += sum->errs[e];
		printf("%s errno %s %lu\n", what, errname(e), sum->errs[e]);
		if (!allowed(e)) {
			printf("FAIL %s errno %s not allowed\n", what,
			       errname(e));
			ok = false;
		}
	}
	return ok;
}

/* The key and the numbers of load and bench; false after a message. */
static bool load_args(const char *file, const char *bytes_arg,
		      const char *threads_arg, const struct vkey **k,
		      unsigned long *threads)
{
	unsigned long bytes = 256;
	struct vfile vf;

	if ((bytes_arg && !parse_ulong(bytes_arg, 1, 4096, &bytes)) ||
	    !parse_ulong(threads_arg, 1, 1024, threads)) {
		apz_usage();
		return false;
	}
	if (read_vectors(file, &vf))
		return false;
	*k = find_key(&vf, bytes);
	if (!*k)
		fprintf(stderr, "apzcrypt: %s: no %lu-byte key with messages\n",
			file, bytes);
	return *k;
}

static int cmd_load(int argc, char **argv)
{
	static struct worker sum;
	unsigned long threads, count, nerrs;
	const struct vkey *k;
	struct worker *w;
	bool ok;

	if (argc < 5 || argc > 6 || !parse_ulong(argv[4], 0, 1UL << 40, &count))
		return apz_usage();
	if (!load_args(argv[2], argc > 5 ? argv[5] : NULL, argv[3], &k,
		       &threads))
		return 2;
	w = run_workers(k, threads, count, 0, NULL);
	if (!w)
		return 1;
	sum_workers(w, threads, &sum);
	printf("load: sent %lu right %lu wrong %lu\n", sum.sent, sum.right,
	       sum.wrong);
	ok = report_errnos("load", &sum, &nerrs);
	return !(ok && !sum.wrong && sum.right + nerrs == sum.sent &&
		 sum.sent == threads * count);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The workers' latencies, sorted, in @sum->lat; false without memory. */
static bool merge_latencies(const struct worker *w, unsigned int nw,
			    struct worker *sum)
{
	unsigned int i;
	size_t at = 0;

	sum->lat = malloc((sum->nlat ? sum->nlat : 1) * sizeof(*sum->lat));
	if (!sum->lat)
		return false;
	for (i = 0; i < nw; i++) {
		memcpy(sum->lat + at, w[i].lat, w[i].nlat * sizeof(*w[i].lat));
		at += w[i].nlat;
	}
	qsort(sum->lat, sum->nlat, sizeof(*sum->lat), cmp_u32);
	return true;
}

/* The @pct percentile of the sorted latencies, in microseconds. */
static double percentile(const struct worker *sum, unsigned int pct)
{
	return sum->nlat ? sum->lat[(sum->nlat - 1) * pct / 100] / 1e3 : 0;
}

static int cmd_bench(int argc, char **argv)
{
	static struct worker sum;
	unsigned long threads, nerrs;
	double seconds, elapsed;
	const struct vkey *k;
	struct worker *w;
	char *end;
	bool ok;

	if (argc != 6)
		return apz_usage();
	seconds = strtod(argv[5], &end);
	if (*end || end == argv[5] || !(seconds > 0 && seconds < 1e6))
		return apz_usage();
	if (!load_args(argv[2], argv[3], argv[4], &k, &threads))
		return 2;
	w = run_workers(k, threads, 0, seconds, &elapsed);
	if (!w)
		return 1;
	sum_workers(w, threads, &sum);
	if (!merge_latencies(w, threads, &sum)) {
		printf("FAIL bench: no memory for the latencies\n");
		return 1;
	}
	printf("bench: threads %lu requests %lu seconds %.3f rps %.1f ",
	       threads, sum.sent, elapsed, sum.sent / elapsed);
	printf("lat_us_avg %.1f lat_us_p50 %.1f lat_us_p99 %.1f\n",
	       sum.sent ? sum.lat_sum / sum.sent / 1e3 : 0,
	       percentile(&sum, 50), percentile(&sum, 99));
	ok = report_errnos("bench", &sum, &nerrs);
	if (sum.wrong)
		printf("FAIL bench: %lu wrong results\n", sum.wrong);
	return !ok || sum.wrong;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return apz_usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[1], "vectors"))
		return cmd_vectors(argc, argv);
	if (!strcmp(argv[1], "errno"))
		return cmd_errno(argc, argv);
	if (!strcmp(argv[1], "status"))
		return cmd_status(argc, argv);
	if (!strcmp(argv[1], "load"))
		return cmd_load(argc, argv);
	if (!strcmp(argv[1], "bench"))
		return cmd_bench(argc, argv);
	return apz_usage();
}
