/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 256-bit AP masks: the text grammar of apmask/aqmask and of ap_config,
 * adapter and domain ids, and the conversion to the machine's bit order.
 *
 * In memory a mask is an ordinary kernel bitmap of AP_IDS bits in which
 * bit n stands for id n. Only the text form and the machine's control
 * blocks number the bits from the left (bit 0 is the most significant bit
 * of the first byte or hex digit); the functions below convert.
 *
 * Pure functions: no locks, no allocation, no global state.
 */
#ifndef _AP_MASK_H
#define _AP_MASK_H

#include <linux/types.h>
#include <ap/qid.h>

/* Formatted length of a mask without NUL: "0x" and 64 hex digits. */
#define AP_MASK_STRLEN		(2 + AP_IDS / 4)

/* Number of bytes of a mask in the machine's left-to-right layout. */
#define AP_MASK_BYTES		(AP_IDS / 8)

/* Value stored by ap_id_parse() for a well-formed but huge number. */
#define AP_ID_OVERFLOW		ULONG_MAX

int ap_mask_parse(const char *buf, size_t len, const unsigned long *cur,
		  unsigned long *out);
int ap_mask_parse_hex(const char *buf, size_t len, unsigned long *out);
size_t ap_mask_format(const unsigned long *mask, char *buf, size_t size);
int ap_id_parse(const char *buf, size_t len, unsigned long *id);
void ap_mask_from_msb0(const u8 bytes[AP_MASK_BYTES], unsigned long *mask);
void ap_mask_to_msb0(const unsigned long *mask, u8 bytes[AP_MASK_BYTES]);
void ap_mask_gained_msb0(const unsigned long *from, const unsigned long *to,
			 u8 bytes[AP_MASK_BYTES]);

#endif /* _AP_MASK_H */
