// SPDX-License-Identifier: GPL-2.0
/*
 * AP mask grammar: parsing and formatting of 256-bit masks and of ids.
 *
 * DOC: AP mask and id grammar
 *
 * A mask is written in one of two forms, chosen by its first character::
 *
 *   mask     = absolute | relative
 *   absolute = [ "0x" | "0X" ] hexdigit{1,64}
 *   relative = term { "," term }
 *   term     = ( "+" | "-" ) id [ "-" id ]
 *   id       = "0" | nonzero digit* | ( "0x" | "0X" ) hexdigit+
 *
 * The absolute form replaces the whole mask. Its digits are read from the
 * left, four bits each, starting with bit 0; a shorter string is padded
 * with zeros on the right, so "0x41" sets bits 1 and 7. More than 64
 * digits (more than 256 bits) is an error.
 *
 * The relative form starts from the current mask: "+" sets and "-" clears
 * the named bit, or each bit of an inclusive range "+lo-hi" (lo <= hi).
 * Bits not named keep their value; later terms win over earlier ones.
 *
 * Corners, decided here and tested by the ap_mask KUnit suite:
 *
 * - One trailing newline is accepted (what echo writes); nothing else
 *   may follow the mask: no blanks, no second newline, no NUL.
 * - Empty input (or a lone newline, or a bare "0x") is an error rather
 *   than an all-zero mask; write "0x0" to clear a mask.
 * - Hex digits and the "0x" prefix may be upper or lower case.
 * - A decimal id with a leading zero ("010") is an error: it is neither
 *   silently octal nor silently decimal.
 * - Ids above 255 are an error in a mask. Numbers of any length are read
 *   without overflow: the value saturates, so "+99999999999999999999" is
 *   an error like "+256".
 * - Every term carries its own sign; empty terms (",,", a leading or a
 *   trailing comma) and blanks are errors.
 *
 * On any error the functions return -EINVAL and leave their output alone.
 */

#include <linux/bitmap.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/hex.h>
#include <linux/limits.h>
#include <ap/mask.h>

/*
 * ap_mask_trim() - drop the one trailing newline a mask or id may carry.
 */
static size_t ap_mask_trim(const char *buf, size_t len)
{
	if (len && buf[len - 1] == '\n')
		len--;
	return len;
}

static bool ap_mask_has_hex_prefix(const char *s, size_t len)
{
	return len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

/*
 * ap_mask_scan_id() - read one id at the start of @s.
 * @s: text, not necessarily NUL-terminated
 * @len: number of characters available at @s
 * @val: the value read; AP_ID_OVERFLOW if it does not fit an unsigned long
 *
 * Return: the number of characters consumed, or -EINVAL if @s does not
 * start with an id of the grammar above.
 */
static int ap_mask_scan_id(const char *s, size_t len, unsigned long *val)
{
	unsigned int base = 10, digits = 0;
	unsigned long v = 0;
	size_t i = 0;
	bool over = false;

	if (ap_mask_has_hex_prefix(s, len)) {
		base = 16;
		i = 2;
	}
	for (; i < len; i++, digits++) {
		int d = hex_to_bin(s[i]);

		if (d < 0 || d >= base)
			break;
		if (base == 10 && digits == 1 && v == 0)
			return -EINVAL;	/* leading zero */
		if (v > (ULONG_MAX - d) / base)
			over = true;
		else
			v = v * base + d;
	}
	if (!digits)
		return -EINVAL;
	*val = over ? AP_ID_OVERFLOW : v;
	return i;
}

/**
 * ap_id_parse() - parse an adapter or domain id
 * @buf: the text, as written to a sysfs attribute
 * @len: its length
 * @id: where to store the id
 *
 * Accepts the id production of the mask grammar with one optional
 * trailing newline. The value is not range-checked: a well-formed number
 * too big for an unsigned long is stored as AP_ID_OVERFLOW, so callers can
 * answer every number above their maximum the same way.
 *
 * Return: 0, or -EINVAL if @buf is not exactly one id (@id unchanged).
 */
int ap_id_parse(const char *buf, size_t len, unsigned long *id)
{
	unsigned long val;
	int n;

	len = ap_mask_trim(buf, len);
	n = ap_mask_scan_id(buf, len, &val);
	if (n < 0 || n != len)
		return -EINVAL;
	*id = val;
	return 0;
}
EXPORT_SYMBOL_GPL(ap_id_parse);

/**
 * ap_mask_parse_hex() - parse an absolute mask
 * @buf: hex digits with an optional "0x" prefix, no newline
 * @len: number of characters at @buf
 * @out: the mask to replace (AP_IDS bits)
 *
 * Return: 0, or -EINVAL (@out unchanged).
 */
int ap_mask_parse_hex(const char *buf, size_t len, unsigned long *out)
{
	DECLARE_BITMAP(mask, AP_IDS);
	unsigned int i, b;

	if (ap_mask_has_hex_prefix(buf, len)) {
		buf += 2;
		len -= 2;
	}
	if (!len || len > AP_IDS / 4)
		return -EINVAL;
	bitmap_zero(mask, AP_IDS);
	for (i = 0; i < len; i++) {
		int nibble = hex_to_bin(buf[i]);

		if (nibble < 0)
			return -EINVAL;
		for (b = 0; b < 4; b++)
			if (nibble & (8 >> b))
				__set_bit(4 * i + b, mask);
	}
	bitmap_copy(out, mask, AP_IDS);
	return 0;
}
EXPORT_SYMBOL_GPL(ap_mask_parse_hex);

/*
 * ap_mask_apply_term() - apply one "+lo[-hi]" or "-lo[-hi]" term to @mask.
 *
 * Return: characters consumed, or -EINVAL.
 */
static int ap_mask_apply_term(const char *s, size_t len, unsigned long *mask)
{
	unsigned long lo, hi;
	size_t i = 1;
	int n;

	if (!len || (s[0] != '+' && s[0] != '-'))
		return -EINVAL;
	n = ap_mask_scan_id(s + i, len - i, &lo);
	if (n < 0)
		return n;
	i += n;
	hi = lo;
	if (i < len && s[i] == '-') {
		i++;
		n = ap_mask_scan_id(s + i, len - i, &hi);
		if (n < 0)
			return n;
		i += n;
	}
	if (lo > hi || hi >= AP_IDS)
		return -EINVAL;
	if (s[0] == '+')
		bitmap_set(mask, lo, hi - lo + 1);
	else
		bitmap_clear(mask, lo, hi - lo + 1);
	return i;
}

static int ap_mask_parse_relative(const char *s, size_t len,
				  unsigned long *mask)
{
	size_t i = 0;
	int n;

	for (;;) {
		n = ap_mask_apply_term(s + i, len - i, mask);
		if (n < 0)
			return n;
		i += n;
		if (i == len)
			return 0;
		if (s[i++] != ',')
			return -EINVAL;
	}
}

/**
 * ap_mask_parse() - parse a mask in the absolute or the relative form
 * @buf: the text, as written to a sysfs attribute or a module parameter
 * @len: its length
 * @cur: the current mask, the starting point of the relative form
 * @out: where to store the new mask; may be @cur
 *
 * See "AP mask and id grammar" above for the syntax.
 *
 * Return: 0, or -EINVAL if @buf is malformed (@out unchanged).
 */
int ap_mask_parse(const char *buf, size_t len, const unsigned long *cur,
		  unsigned long *out)
{
	DECLARE_BITMAP(mask, AP_IDS);
	int rc;

	len = ap_mask_trim(buf, len);
	if (!len)
		return -EINVAL;
	if (buf[0] == '+' || buf[0] == '-') {
		bitmap_copy(mask, cur, AP_IDS);
		rc = ap_mask_parse_relative(buf, len, mask);
	} else {
		rc = ap_mask_parse_hex(buf, len, mask);
	}
	if (rc)
		return rc;
	bitmap_copy(out, mask, AP_IDS);
	return 0;
}
EXPORT_SYMBOL_GPL(ap_mask_parse);

/**
 * ap_mask_format() - format a mask as "0x" and 64 lower-case hex digits
 * @mask: the mask (AP_IDS bits)
 * @buf: the output buffer; it receives a NUL-terminated string
 * @size: size of @buf, at least AP_MASK_STRLEN + 1
 *
 * Return: the length of the string (AP_MASK_STRLEN), or 0 if @size is too
 * small, in which case @buf holds an empty string (if @size > 0).
 */
size_t ap_mask_format(const unsigned long *mask, char *buf, size_t size)
{
	u8 bytes[AP_MASK_BYTES];
	char *p = buf;
	unsigned int i;

	if (size < AP_MASK_STRLEN + 1) {
		if (size)
			buf[0] = '\0';
		return 0;
	}
	ap_mask_to_msb0(mask, bytes);
	*p++ = '0';
	*p++ = 'x';
	for (i = 0; i < AP_MASK_BYTES; i++)
		p = hex_byte_pack(p, bytes[i]);
	*p = '\0';
	return p - buf;
}
EXPORT_SYMBOL_GPL(ap_mask_format);

/**
 * ap_mask_from_msb0() - read a mask from the machine's bit order
 * @bytes: AP_MASK_BYTES bytes; bit 0 is the most significant bit of byte 0
 * @mask: the bitmap to fill (AP_IDS bits)
 *
 * This is the layout of the masks in the QCI block and in the CRYCB.
 */
void ap_mask_from_msb0(const u8 bytes[AP_MASK_BYTES], unsigned long *mask)
{
	unsigned int i;

	bitmap_zero(mask, AP_IDS);
	for (i = 0; i < AP_IDS; i++)
		if (bytes[i / 8] & (0x80 >> (i % 8)))
			__set_bit(i, mask);
}
EXPORT_SYMBOL_GPL(ap_mask_from_msb0);

/**
 * ap_mask_to_msb0() - write a mask in the machine's bit order
 * @mask: the bitmap (AP_IDS bits)
 * @bytes: AP_MASK_BYTES bytes; bit 0 becomes the top bit of byte 0
 */
void ap_mask_to_msb0(const unsigned long *mask, u8 bytes[AP_MASK_BYTES])
{
	unsigned int i;

	for (i = 0; i < AP_MASK_BYTES; i++)
		bytes[i] = 0;
	for (i = 0; i < AP_IDS; i++)
		if (test_bit(i, mask))
			bytes[i / 8] |= 0x80 >> (i % 8);
}
EXPORT_SYMBOL_GPL(ap_mask_to_msb0);

/**
 * ap_mask_gained_msb0() - the bits a mask gained, in the machine's order
 * @from: the mask before (AP_IDS bits)
 * @to: the mask after
 * @bytes: AP_MASK_BYTES bytes: the bits set in @to and not in @from
 */
void ap_mask_gained_msb0(const unsigned long *from, const unsigned long *to,
			 u8 bytes[AP_MASK_BYTES])
{
	unsigned int i;

	for (i = 0; i < AP_MASK_BYTES; i++)
		bytes[i] = 0;
	for (i = 0; i < AP_IDS; i++)
		if (test_bit(i, to) && !test_bit(i, from))
			bytes[i / 8] |= 0x80 >> (i % 8);
}
EXPORT_SYMBOL_GPL(ap_mask_gained_msb0);

/**
 * ap_apqn_parse() - parse a queue's name, "xx.xxxx" as ap_apqn_name()
 * writes it (the APQI's upper two digits are zero)
 * @s: the text
 * @len: characters available at @s
 * @apqn: receives the queue number
 *
 * Return: the number of characters used (AP_APQN_NAME_LEN), or -EINVAL
 * (@apqn unchanged).
 */
int ap_apqn_parse(const char *s, size_t len, apqn_t *apqn)
{
	int digit[AP_APQN_NAME_LEN];
	unsigned int i;

	if (len < AP_APQN_NAME_LEN)
		return -EINVAL;
	for (i = 0; i < AP_APQN_NAME_LEN; i++) {
		digit[i] = i == 2 ? 0 : hex_to_bin(s[i]);
		if (digit[i] < 0 || (i == 2 && s[i] != '.'))
			return -EINVAL;
	}
	if (digit[3] || digit[4])
		return -EINVAL;
	*apqn = ap_apqn(digit[0] << 4 | digit[1], digit[5] << 4 | digit[6]);
	return AP_APQN_NAME_LEN;
}
EXPORT_SYMBOL_GPL(ap_apqn_parse);

/**
 * ap_apqn_name() - name an AP queue the way sysfs and the log do
 * @apqn: the queue number
 * @buf: room for AP_APQN_NAME_LEN characters and a NUL
 *
 * Return: @buf, holding "%02x.%04x" of APID and APQI.
 */
char *ap_apqn_name(apqn_t apqn, char buf[AP_APQN_NAME_LEN + 1])
{
	char *p = hex_byte_pack(buf, ap_apqn_apid(apqn));

	*p++ = '.';
	*p++ = '0';
	*p++ = '0';
	p = hex_byte_pack(p, ap_apqn_apqi(apqn));
	*p = '\0';
	return buf;
}
EXPORT_SYMBOL_GPL(ap_apqn_name);
