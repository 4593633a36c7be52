/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The messages of the AP accelerator functions: type 50 requests (RSA
 * modular exponentiation, plain and in CRT form) and the type 80 reply,
 * or a type 82/88 error reply, that a CEX4A or later adapter answers.
 *
 * Every field is big-endian; every number is right-aligned in its field
 * and zero-padded, and every reserved byte is zero. A request has a
 * 16-byte header (byte 1 the type 0x50, bytes 2-3 the whole length,
 * bytes 8-9 the key block format) followed by fixed-size fields: the
 * format fixes the field width, 128, 256 or 512 bytes (half that for the
 * CRT key parts), whatever the modulus' real length.
 */
#ifndef _AP_TYPE50_H
#define _AP_TYPE50_H

#include <linux/types.h>

#define AP_T50_TYPE		0x50
#define AP_T80_TYPE		0x80
#define AP_T82_TYPE		0x82
#define AP_T88_TYPE		0x88

#define AP_T50_HDR_LEN		16
#define AP_T80_HDR_LEN		16
#define AP_T82_LEN		8
/* The longest modulus, in bytes (4096 bits), and the shortest. */
#define AP_T50_MAX_MOD		512
#define AP_T50_MIN_MOD		8
/* The longest reply: a header and a 512-byte result. */
#define AP_T80_MAX_LEN		(AP_T80_HDR_LEN + AP_T50_MAX_MOD)

/* Reply codes of a type 82 reply that the card gives here. */
#define AP_T82_MACHINE_FAILURE	0x10	/* the card failed */
#define AP_T82_MSG_TYPE		0x20	/* not a message type it knows */
#define AP_T82_INVALID_LEN	0x23	/* length does not fit the format */
#define AP_T82_RESERVED		0x24	/* a reserved field is not zero */
#define AP_T82_FORMAT		0x29	/* unknown key block format */
#define AP_T82_OPERAND		0x82	/* an operand is out of range */
#define AP_T82_EVEN_MOD		0x85	/* an even modulus or prime */

/**
 * struct ap_t50 - the fields of a type 50 request
 * @crt: a CRT request (else a plain modular exponentiation)
 * @width: the width of the message field in bytes (128, 256, 512); the
 *	CRT key parts are half as wide
 * @msg: the message, @width bytes
 * @exp: plain: the exponent, @width bytes
 * @mod: plain: the modulus, @width bytes
 * @p: CRT: the prime p, @width / 2 bytes, like each of the next four
 * @q: CRT: the prime q
 * @dp: CRT: d mod (p - 1)
 * @dq: CRT: d mod (q - 1)
 * @u: CRT: q^-1 mod p
 */
struct ap_t50 {
	bool crt;
	unsigned int width;
	u8 *msg;
	u8 *exp;
	u8 *mod;
	u8 *p;
	u8 *q;
	u8 *dp;
	u8 *dq;
	u8 *u;
};

size_t ap_t50_size(bool crt, unsigned int mod_len);
size_t ap_t50_init(void *buf, size_t size, bool crt, unsigned int mod_len,
		   struct ap_t50 *f);
int ap_t50_parse(void *buf, size_t len, struct ap_t50 *f);
size_t ap_t80_init(void *buf, size_t size, unsigned int width);
size_t ap_t82_init(void *buf, size_t size, u8 code);
int ap_t80_result(const void *reply, size_t len, unsigned int out_len,
		  const u8 **result);

#endif /* _AP_TYPE50_H */
