/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough of the kernel's headers to build the pure AP core
 * (drivers/ap/mask.c, matrix.c, migstream.c, override.c, type50.c) in user
 * space for fuzzing. Each
 * <linux/...> header the core includes maps to this file.
 */
#ifndef _FUZZ_KERNEL_SHIM_H
#define _FUZZ_KERNEL_SHIM_H

#include <asm-generic/errno-base.h>
#include <asm-generic/errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#define EXPORT_SYMBOL_GPL(sym)
#define BITS_PER_LONG		(8 * (int)sizeof(long))
#define BITS_TO_LONGS(n)	(((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define DECLARE_BITMAP(name, bits)	unsigned long name[BITS_TO_LONGS(bits)]
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define min_t(type, a, b)	((type)(a) < (type)(b) ? (type)(a) : (type)(b))

static inline bool test_bit(unsigned int nr, const unsigned long *map)
{
	return map[nr / BITS_PER_LONG] >> (nr % BITS_PER_LONG) & 1;
}

static inline void __set_bit(unsigned int nr, unsigned long *map)
{
	map[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG);
}

static inline void __clear_bit(unsigned int nr, unsigned long *map)
{
	map[nr / BITS_PER_LONG] &= ~(1UL << (nr % BITS_PER_LONG));
}

static inline bool bitmap_full(const unsigned long *map, unsigned int nbits)
{
	unsigned int i;

	for (i = 0; i < nbits; i++)
		if (!test_bit(i, map))
			return false;
	return true;
}

static inline void bitmap_zero(unsigned long *dst, unsigned int nbits)
{
	memset(dst, 0, BITS_TO_LONGS(nbits) * sizeof(long));
}

static inline void bitmap_fill(unsigned long *dst, unsigned int nbits)
{
	memset(dst, 0xff, BITS_TO_LONGS(nbits) * sizeof(long));
}

static inline void bitmap_copy(unsigned long *dst, const unsigned long *src,
			       unsigned int nbits)
{
	memcpy(dst, src, BITS_TO_LONGS(nbits) * sizeof(long));
}

static inline bool bitmap_equal(const unsigned long *a,
				const unsigned long *b, unsigned int nbits)
{
	return !memcmp(a, b, BITS_TO_LONGS(nbits) * sizeof(long));
}

static inline void bitmap_set(unsigned long *map, unsigned int start,
			      unsigned int len)
{
	while (len--)
		__set_bit(start++, map);
}

static inline void bitmap_clear(unsigned long *map, unsigned int start,
				unsigned int len)
{
	while (len--)
		__clear_bit(start++, map);
}

#define BITMAP_OP(name, expr)						\
static inline bool name(unsigned long *dst, const unsigned long *a,	\
			const unsigned long *b, unsigned int nbits)	\
{									\
	unsigned long any = 0;						\
	unsigned int i;							\
									\
	for (i = 0; i < BITS_TO_LONGS(nbits); i++)			\
		any |= dst[i] = (expr);					\
	return any;							\
}
BITMAP_OP(bitmap_and, a[i] & b[i])
BITMAP_OP(bitmap_andnot, a[i] & ~b[i])

static inline bool bitmap_intersects(const unsigned long *a,
				     const unsigned long *b,
				     unsigned int nbits)
{
	unsigned int i;

	for (i = 0; i < BITS_TO_LONGS(nbits); i++)
		if (a[i] & b[i])
			return true;
	return false;
}

static inline unsigned int find_next_bit(const unsigned long *map,
					 unsigned int size,
					 unsigned int start)
{
	for (; start < size; start++)
		if (test_bit(start, map))
			return start;
	return size;
}

static inline bool bitmap_empty(const unsigned long *map, unsigned int nbits)
{
	return find_next_bit(map, nbits, 0) == nbits;
}

static inline unsigned int bitmap_weight(const unsigned long *map,
					 unsigned int nbits)
{
	unsigned int i, n = 0;

	for (i = 0; i < nbits; i++)
		n += test_bit(i, map);
	return n;
}

#define for_each_set_bit(bit, map, size)				\
	for ((bit) = find_next_bit((map), (size), 0); (bit) < (size);	\
	     (bit) = find_next_bit((map), (size), (bit) + 1))

static const char hex_asc[] = "0123456789abcdef";
#define hex_asc_lo(x)	hex_asc[((x) & 0x0f)]
#define hex_asc_hi(x)	hex_asc[((x) & 0xf0) >> 4]

static inline char *hex_byte_pack(char *buf, u8 byte)
{
	*buf++ = hex_asc_hi(byte);
	*buf++ = hex_asc_lo(byte);
	return buf;
}

static inline int hex_to_bin(unsigned char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch |= 0x20;
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* The first byte that differs from @c, or NULL. */
static inline void *memchr_inv(const void *p, int c, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != (unsigned char)c)
			return (void *)(b + i);
	return NULL;
}

static inline u16 get_unaligned_be16(const void *p)
{
	const u8 *b = p;

	return (u16)(b[0] << 8 | b[1]);
}

static inline void put_unaligned_be16(u16 v, void *p)
{
	u8 *b = p;

	b[0] = v >> 8;
	b[1] = v & 0xff;
}

#endif /* _FUZZ_KERNEL_SHIM_H */
