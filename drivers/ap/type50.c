// SPDX-License-Identifier: GPL-2.0
/*
 * Type 50 requests and type 80/82 replies (see <ap/type50.h>): building
 * and checking them. Pure functions of their buffers, shared by the
 * host's zcrypt interface, which builds requests and reads replies, and
 * the simulated card, which checks requests and builds replies.
 *
 * The layouts are established from Linux's zcrypt_msgtype50.c and
 * zcrypt_error.h (the structures, not their code): header, key block
 * format, field widths, and which reply codes mean a malformed request
 * (the request is wrong: -EINVAL) rather than a failing card (another
 * card may answer: -EAGAIN).
 */

#include <linux/errno.h>
#include <linux/export.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <ap/type50.h>

/* Key block formats: 1..3 plain, 0x11..0x13 CRT, for widths 128..512. */
#define AP_T50_FMT_CRT		0x10

static unsigned int ap_t50_width(unsigned int mod_len)
{
	if (mod_len < AP_T50_MIN_MOD || mod_len > AP_T50_MAX_MOD)
		return 0;
	if (mod_len <= 128)
		return 128;
	return mod_len <= 256 ? 256 : 512;
}

static size_t ap_t50_fields_size(bool crt, unsigned int width)
{
	return AP_T50_HDR_LEN + (crt ? 5 * (width / 2) + width : 3 * width);
}

/**
 * ap_t50_size() - the length of a request
 * @crt: in CRT form
 * @mod_len: the modulus' length in bytes
 *
 * Return: the length, or 0 for a modulus shorter than AP_T50_MIN_MOD or
 * longer than AP_T50_MAX_MOD bytes.
 */
size_t ap_t50_size(bool crt, unsigned int mod_len)
{
	unsigned int width = ap_t50_width(mod_len);

	return width ? ap_t50_fields_size(crt, width) : 0;
}
EXPORT_SYMBOL_GPL(ap_t50_size);

/* Point @f's fields into the request at @buf, of format @fmt. */
static void ap_t50_map(u8 *buf, unsigned int fmt, struct ap_t50 *f)
{
	unsigned int w = 128 << ((fmt & 0xf) - 1);
	u8 *p = buf + AP_T50_HDR_LEN;

	memset(f, 0, sizeof(*f));
	f->crt = fmt & AP_T50_FMT_CRT;
	f->width = w;
	if (!f->crt) {
		f->exp = p;
		f->mod = p + w;
		f->msg = p + 2 * w;
		return;
	}
	f->p = p;
	f->q = p + w / 2;
	f->dp = p + w;
	f->dq = p + 3 * (w / 2);
	f->u = p + 2 * w;
	f->msg = p + 5 * (w / 2);
}

/**
 * ap_t50_init() - start a request: header, format, zeroed fields
 * @buf: where to build it
 * @size: room at @buf
 * @crt: in CRT form
 * @mod_len: the modulus' length in bytes
 * @f: receives where each field is; the caller writes each number
 *     right-aligned in its field
 *
 * Return: the request's length, or 0 if @mod_len is not supported or
 * the request does not fit.
 */
size_t ap_t50_init(void *buf, size_t size, bool crt, unsigned int mod_len,
		   struct ap_t50 *f)
{
	unsigned int width = ap_t50_width(mod_len);
	size_t len = ap_t50_size(crt, mod_len);
	unsigned int fmt;
	u8 *b = buf;

	if (!len || len > size)
		return 0;
	fmt = (crt ? AP_T50_FMT_CRT : 0) | (width == 128 ? 1 : width == 256 ? 2 : 3);
	memset(b, 0, len);
	b[1] = AP_T50_TYPE;
	put_unaligned_be16(len, b + 2);
	put_unaligned_be16(fmt, b + 8);
	ap_t50_map(b, fmt, f);
	return len;
}
EXPORT_SYMBOL_GPL(ap_t50_init);

static bool ap_t50_zero(const u8 *p, size_t n)
{
	return !memchr_inv(p, 0, n);
}

static bool ap_t50_known_format(unsigned int fmt)
{
	return (fmt & ~AP_T50_FMT_CRT) >= 1 && (fmt & ~AP_T50_FMT_CRT) <= 3;
}

/**
 * ap_t50_parse() - check a request as the card does, and find its fields
 * @buf: the request
 * @len: its length as sent
 * @f: receives its fields
 *
 * Return: 0, or the type 82 reply code the card answers: the message
 * type is not 0x50, the length does not match the header or the format,
 * a reserved byte is set, or the format is unknown.
 */
int ap_t50_parse(void *buf, size_t len, struct ap_t50 *f)
{
	u8 *b = buf;
	unsigned int fmt;

	if (len < AP_T50_HDR_LEN)
		return AP_T82_INVALID_LEN;
	if (b[1] != AP_T50_TYPE)
		return AP_T82_MSG_TYPE;
	if (get_unaligned_be16(b + 2) != len)
		return AP_T82_INVALID_LEN;
	/* Byte 5 is ignored by the card; the other reserved bytes are 0. */
	if (b[0] || b[4] || b[6] || b[7] || !ap_t50_zero(b + 10, 6))
		return AP_T82_RESERVED;
	fmt = get_unaligned_be16(b + 8);
	if (!ap_t50_known_format(fmt))
		return AP_T82_FORMAT;
	ap_t50_map(b, fmt, f);
	if (ap_t50_fields_size(f->crt, f->width) != len)
		return AP_T82_INVALID_LEN;
	return 0;
}
EXPORT_SYMBOL_GPL(ap_t50_parse);

/**
 * ap_t80_init() - the header of a reply carrying a result
 * @buf: where to build it
 * @size: room at @buf
 * @width: the width of the result, that of the request's message field;
 *	the result follows the header, right-aligned in @width bytes
 *
 * Return: the reply's length, or 0 if it does not fit.
 */
size_t ap_t80_init(void *buf, size_t size, unsigned int width)
{
	size_t len = AP_T80_HDR_LEN + width;
	u8 *b = buf;

	if (len > size || len > AP_T80_MAX_LEN)
		return 0;
	memset(b, 0, len);
	b[1] = AP_T80_TYPE;
	put_unaligned_be16(len, b + 2);
	return len;
}
EXPORT_SYMBOL_GPL(ap_t80_init);

/**
 * ap_t82_init() - an error reply
 * @buf: where to build it
 * @size: room at @buf
 * @code: the reply code
 *
 * Return: the reply's length, or 0 if it does not fit.
 */
size_t ap_t82_init(void *buf, size_t size, u8 code)
{
	u8 *b = buf;

	if (size < AP_T82_LEN)
		return 0;
	memset(b, 0, AP_T82_LEN);
	b[1] = AP_T82_TYPE;
	b[4] = code;
	return AP_T82_LEN;
}
EXPORT_SYMBOL_GPL(ap_t82_init);

/* Reply codes meaning the request was malformed, not the card failing. */
static const u8 ap_t82_malformed[] = {
	0x22, AP_T82_INVALID_LEN, AP_T82_RESERVED, AP_T82_FORMAT, 0x34, 0x40,
	0x41, 0x80, AP_T82_OPERAND, 0x84, AP_T82_EVEN_MOD, 0x8a, 0x8b, 0xa0,
};

static int ap_t82_errno(u8 code)
{
	return memchr(ap_t82_malformed, code, sizeof(ap_t82_malformed)) ?
	       -EINVAL : -EAGAIN;
}

/**
 * ap_t80_result() - the result a reply carries
 * @reply: the reply as dequeued
 * @len: its length
 * @out_len: the result's length wanted: the modulus' length
 * @result: receives where the result's last @out_len bytes are
 *
 * Return: 0; -EINVAL for an error reply saying the request was
 * malformed; -EAGAIN for any other error reply, and for a reply whose
 * type or length the request cannot have had (the card failed: another
 * may answer).
 */
int ap_t80_result(const void *reply, size_t len, unsigned int out_len,
		  const u8 **result)
{
	const u8 *b = reply;

	if (len < AP_T82_LEN)
		return -EAGAIN;
	if (b[1] == AP_T82_TYPE || b[1] == AP_T88_TYPE)
		return ap_t82_errno(b[4]);
	if (b[1] != AP_T80_TYPE || len < AP_T80_HDR_LEN ||
	    get_unaligned_be16(b + 2) != len || len > AP_T80_MAX_LEN ||
	    len < AP_T80_HDR_LEN + out_len)
		return -EAGAIN;
	*result = b + len - out_len;
	return 0;
}
EXPORT_SYMBOL_GPL(ap_t80_result);
