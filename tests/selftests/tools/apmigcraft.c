// SPDX-License-Identifier: GPL-2.0
/*
 * apmigcraft: a migration stream made by hand, as anyone who holds a
 * vfio_ap device file can make one: the format is documented and has no
 * authentication.
 *
 *   apmigcraft CONFIG TYPE FUNCTIONS PATH
 *
 * CONFIG is the guest's configuration as ap_config writes it (three masks,
 * "0x" and 64 hex digits each, comma separated): adapters, usage domains,
 * control domains. It writes PATH: the stream of version 1 as
 * include/ap/migstream.h lays it out, written here from that layout and
 * not with the kernel's encoder, a record for every queue of APM x AQM in
 * ascending APQN order with the AP type TYPE and the facility bits
 * FUNCTIONS, no interrupts, no key pattern. Beside it, as apguest's
 * mig-save leaves them, PATH.ram (the guest's RAM, zeros) and PATH.os
 * (the queues whose interrupts the guest enabled: none), so that apguest's
 * mig-load takes it. Prints the stream's length.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "aptools.h"

#define HDR_LEN		16
#define PART_HDR_LEN	8
#define MASK_BYTES	32
#define RECORD_LEN	56
#define FIRST_RECORD	(HDR_LEN + 2 * PART_HDR_LEN + 3 * MASK_BYTES + 8)

static uint8_t *put16(uint8_t *p, uint16_t v)
{
	*p++ = v >> 8;
	*p++ = v;
	return p;
}

static uint8_t *put32(uint8_t *p, uint32_t v)
{
	p = put16(p, v >> 16);
	return put16(p, v);
}

/* A mask in the machine's order: id 0 is the leftmost bit of byte 0. */
static uint8_t *put_mask(uint8_t *p, const bool *bits)
{
	unsigned int i;

	memset(p, 0, MASK_BYTES);
	for (i = 0; i < 256; i++)
		if (bits[i])
			p[i / 8] |= 0x80 >> (i % 8);
	return p + MASK_BYTES;
}

static int write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "w");
	int err = 0;

	if (!f)
		return errno;
	if (len && fwrite(buf, len, 1, f) != 1)
		err = EIO;
	if (fclose(f) && !err)
		err = errno;
	return err;
}

int main(int argc, char **argv)
{
	bool bits[3][256];
	char masks[3][80], side[4096];
	unsigned int apid, apqi, n = 0, na = 0, nq = 0, i;
	unsigned long type, functions;
	size_t len;
	uint8_t *buf, *p, *ram;
	int err;

	if (argc != 5 ||
	    sscanf(argv[1], "%79[^,],%79[^,],%79s", masks[0], masks[1],
		   masks[2]) != 3) {
		fprintf(stderr, "usage: apmigcraft CONFIG TYPE FUNCTIONS PATH\n");
		return 2;
	}
	for (i = 0; i < 3; i++)
		if (ap_mask_bits(masks[i], bits[i])) {
			fprintf(stderr, "apmigcraft: not a mask: %s\n", masks[i]);
			return 2;
		}
	type = strtoul(argv[2], NULL, 0);
	functions = strtoul(argv[3], NULL, 0);
	for (i = 0; i < 256; i++) {
		na += bits[0][i];
		nq += bits[1][i];
	}
	len = FIRST_RECORD + (size_t)na * nq * RECORD_LEN;
	buf = calloc(1, len);
	ram = calloc(1, AP_VFIO_RAM_SIZE);
	if (!buf || !ram)
		return 1;
	p = put32(buf, 0x4150564d);		/* "APVM" */
	p = put16(p, 1);			/* version */
	p = put16(p, HDR_LEN);
	p = put32(p, len);
	p = put32(p, 0);			/* flags */
	p = put16(p, 1);			/* MATRIX */
	p = put16(p, 0);
	p = put32(p, 3 * MASK_BYTES);
	for (i = 0; i < 3; i++)
		p = put_mask(p, bits[i]);
	p = put16(p, 2);			/* QUEUES */
	p = put16(p, 0);
	p = put32(p, 8 + na * nq * RECORD_LEN);
	p = put32(p, na * nq);
	p = put32(p, RECORD_LEN);
	for (apid = 0; apid < 256; apid++)
		for (apqi = 0; apqi < 256; apqi++) {
			if (!bits[0][apid] || !bits[1][apqi])
				continue;
			p = buf + FIRST_RECORD + n++ * RECORD_LEN;
			p = put16(p, apid << 8 | apqi);
			*p++ = type;
			*p++ = 0;		/* no interrupts, no key */
			put32(p, functions);
		}
	err = write_file(argv[4], buf, len);
	snprintf(side, sizeof(side), "%s.ram", argv[4]);
	if (!err)
		err = write_file(side, ram, AP_VFIO_RAM_SIZE);
	snprintf(side, sizeof(side), "%s.os", argv[4]);
	if (!err)
		err = write_file(side, "", 0);
	free(buf);
	free(ram);
	if (err) {
		fprintf(stderr, "apmigcraft: %s: %s\n", argv[4], strerror(err));
		return 1;
	}
	printf("%zu\n", len);
	return 0;
}
