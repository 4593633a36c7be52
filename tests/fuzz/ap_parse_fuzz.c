// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the pure AP core: the mask, id, APQN and
 * ap_config parsers of drivers/ap/mask.c and matrix.c and the migration
 * stream's parser (migstream.c) and what a driver_override write means
 * (override.c), the type 50 request and type 80/82 reply checks
 * (type50.c), built in user space with
 * AddressSanitizer and UndefinedBehaviorSanitizer.
 *
 * Beyond "no crash, no sanitizer report" it checks what must hold for
 * any input: a failed parse leaves its output alone; what parses formats
 * and parses back to the same value; a relative mask changes only bits it
 * names; formatting never overflows its buffer; a migration stream that
 * parses is exactly the stream its values write again; a type 50
 * request the card accepts is exactly one its builder makes, with every
 * field inside it; a reply's result lies inside the reply.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <ap/mask.h>
#include <ap/matrix.h>
#include <ap/migstream.h>
#include <ap/override.h>
#include <ap/type50.h>

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "check failed: %s\n", #cond);	\
			abort();					\
		}							\
	} while (0)

static void fuzz_mask(const char *s, size_t len)
{
	DECLARE_BITMAP(cur, AP_IDS);
	DECLARE_BITMAP(out, AP_IDS);
	DECLARE_BITMAP(back, AP_IDS);
	char text[AP_MASK_STRLEN + 1];
	unsigned int i;

	for (i = 0; i < AP_IDS; i++)	/* a fixed, irregular current mask */
		if ((i * 2654435761u) >> 31)
			__set_bit(i, cur);
		else
			__clear_bit(i, cur);
	bitmap_fill(out, AP_IDS);
	if (ap_mask_parse(s, len, cur, out)) {
		bitmap_fill(back, AP_IDS);
		CHECK(bitmap_equal(out, back, AP_IDS));
		return;
	}
	CHECK(ap_mask_format(out, text, sizeof(text)) == AP_MASK_STRLEN);
	CHECK(!ap_mask_parse(text, AP_MASK_STRLEN, cur, back));
	CHECK(bitmap_equal(out, back, AP_IDS));
}

static void fuzz_id(const char *s, size_t len)
{
	unsigned long id = 12345;

	if (ap_id_parse(s, len, &id))
		CHECK(id == 12345);
}

static void fuzz_apqn(const char *s, size_t len)
{
	char name[AP_APQN_NAME_LEN + 1];
	apqn_t apqn = 0x1234, back;
	int n = ap_apqn_parse(s, len, &apqn);

	if (n < 0) {
		CHECK(apqn == 0x1234);
		return;
	}
	CHECK(n == AP_APQN_NAME_LEN);
	ap_apqn_name(apqn, name);
	CHECK(ap_apqn_parse(name, AP_APQN_NAME_LEN, &back) == n);
	CHECK(back == apqn);
}

static void fuzz_config(const char *s, size_t len)
{
	char text[AP_MATRIX_CONFIG_STRLEN + 1];
	struct ap_matrix m, back;

	memset(&m, 0x5a, sizeof(m));
	back = m;
	if (ap_matrix_parse_config(s, len, &m)) {
		CHECK(!memcmp(&m, &back, sizeof(m)));
		return;
	}
	CHECK(ap_matrix_format_config(&m, text, sizeof(text)) ==
	      AP_MATRIX_CONFIG_STRLEN);
	CHECK(!ap_matrix_parse_config(text, strlen(text), &back));
	CHECK(ap_matrix_equal(&m, &back));
}

/* The listings fit whatever buffer they get, whole lines only. */
static void fuzz_listing(const unsigned char *d, size_t len)
{
	static char buf[4096];
	struct ap_matrix m;
	size_t size, n;

	memset(&m, 0, sizeof(m));
	memcpy(&m, d, len < sizeof(m) ? len : sizeof(m));
	size = len ? d[0] * 16 + 1 : 1;
	if (size > sizeof(buf))
		size = sizeof(buf);
	n = ap_matrix_format_apqns(m.apm, m.aqm, buf, size);
	CHECK(n < size && strlen(buf) == n);
	CHECK(!n || buf[n - 1] == '\n');
	n = ap_matrix_format_domains(m.adm, buf, size);
	CHECK(n < size && strlen(buf) == n);
}

/*
 * A stream the parser accepts is written again, byte for byte, from what
 * it read; a refused one leaves the outputs alone. For about half of
 * the lengths the stream length in the header is made the input's
 * length, so that the fuzzer gets past it to the parts and records.
 */
static void fuzz_migstream(const unsigned char *d, size_t len)
{
	struct ap_matrix m, back;
	struct ap_mig_queue q;
	unsigned int n = 77, i;
	unsigned char *copy, *again;
	const char *why = NULL;
	size_t total;

	copy = malloc(len + 1);
	if (!copy)
		return;
	memcpy(copy, d, len);
	if (len >= AP_MIG_HDR_LEN && (len >> 3) & 1) {
		copy[8] = len >> 24;
		copy[9] = len >> 16;
		copy[10] = len >> 8;
		copy[11] = len;
	}
	memset(&m, 0x5a, sizeof(m));
	back = m;
	if (ap_mig_stream_len(copy, len, &total, &why) == 0)
		CHECK(total >= ap_mig_size(0) &&
		      total <= ap_mig_size(AP_MIG_MAX_QUEUES));
	if (ap_mig_decode(copy, len, &m, &n, &why)) {
		CHECK(why && n == 77 && !memcmp(&m, &back, sizeof(m)));
		free(copy);
		return;
	}
	CHECK(n == ap_matrix_apqn_count(&m) && ap_mig_size(n) == len);
	again = calloc(1, len);
	CHECK(again && ap_mig_encode_begin(&m, again, len) == len);
	for (i = 0; i < n; i++) {
		ap_mig_queue_get(copy, i, &q);
		CHECK(ap_matrix_has_apqn(&m, ap_apqn_apid(q.apqn),
					 ap_apqn_apqi(q.apqn)));
		ap_mig_encode_queue(again, i, &q);
	}
	CHECK(!memcmp(copy, again, len));
	free(again);
	free(copy);
}

/*
 * A driver_override write: a name parses back the same with or without
 * its newline, holds only name characters and is not too long; clearing
 * is only an empty write or a lone newline; a refusal leaves the name.
 */
static void fuzz_override(const char *s, size_t len)
{
	char name[AP_OVERRIDE_NAME_MAX + 1], back[AP_OVERRIDE_NAME_MAX + 1];
	size_t i, n;
	int rc;

	memset(name, 'Z', sizeof(name));
	rc = ap_override_parse(s, len, name, sizeof(name));
	if (rc < 0) {
		CHECK(name[0] == 'Z');
		return;
	}
	n = strlen(name);
	CHECK(n <= AP_OVERRIDE_NAME_MAX);
	CHECK(rc == (n > 0));
	CHECK(len == n || (len == n + 1 && s[n] == '\n'));
	CHECK(!memcmp(name, s, n));
	for (i = 0; i < n; i++)
		CHECK(isalnum((unsigned char)name[i]) || strchr("_-.", name[i]));
	CHECK(ap_override_parse(name, n, back, sizeof(back)) == rc);
	CHECK(!strcmp(name, back));
}

/* Every field of an accepted request lies inside it, at its format's place. */
static void fuzz_t50_fields(const u8 *b, size_t len, const struct ap_t50 *f)
{
	unsigned int w = f->width;

	CHECK(w == 128 || w == 256 || w == 512);
	CHECK(f->msg >= b + AP_T50_HDR_LEN && f->msg + w == b + len);
	if (!f->crt) {
		CHECK(f->exp == b + AP_T50_HDR_LEN && f->mod == f->exp + w);
		CHECK(f->msg == f->mod + w);
		return;
	}
	CHECK(f->p == b + AP_T50_HDR_LEN && f->q == f->p + w / 2);
	CHECK(f->dp == f->q + w / 2 && f->dq == f->dp + w / 2);
	CHECK(f->u == f->dq + w / 2 && f->msg == f->u + w / 2);
}

static void fuzz_t50(const u8 *data, size_t size)
{
	u8 *b = malloc(size ? size : 1), *again;
	struct ap_t50 f, g;
	const u8 *res;
	size_t len;

	if (!b)
		return;
	memcpy(b, data, size);
	if (!ap_t50_parse(b, size, &f)) {
		fuzz_t50_fields(b, size, &f);
		again = calloc(1, size);
		CHECK(again);
		len = ap_t50_init(again, size, f.crt, f.width, &g);
		/* The same header but for byte 5, which the card ignores. */
		CHECK(len == size && !memcmp(again, b, 5) &&
		      !memcmp(again + 6, b + 6, AP_T50_HDR_LEN - 6));
		free(again);
	}
	if (size && !ap_t80_result(b, size, b[0] % (AP_T50_MAX_MOD + 1), &res))
		CHECK(res >= b + AP_T80_HDR_LEN &&
		      res + b[0] % (AP_T50_MAX_MOD + 1) == b + size);
	free(b);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	fuzz_mask(s, size);
	fuzz_id(s, size);
	fuzz_apqn(s, size);
	fuzz_config(s, size);
	fuzz_listing(data, size);
	fuzz_migstream(data, size);
	fuzz_override(s, size);
	fuzz_t50(data, size);
	free(s);
	return 0;
}
