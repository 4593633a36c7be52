/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The migration stream of a vfio_ap device: what a guest's AP
 * configuration is, written by the source host and checked by the
 * destination.
 *
 * Layout (every field big-endian, whatever the host's byte order; the
 * two hosts of a migration may differ):
 *
 *   header   magic "APVM" (u32), version (u16), header length (u16) = 16,
 *            stream length in bytes, header included (u32), flags (u32) = 0
 *   part     tag (u16) = 1 MATRIX, reserved (u16) = 0, length (u32) = 96:
 *            APM, AQM and ADM, 32 bytes each, bit 0 the leftmost bit
 *            (the machine's order)
 *   part     tag (u16) = 2 QUEUES, reserved (u16) = 0, length (u32):
 *            queue count (u32), record length (u32) = 56, then one
 *            record per queue of APM x AQM, in ascending APQN order:
 *            APQN (u16), type (u8), flags (u8: 0x01 interrupts enabled,
 *            0x02 master key pattern present), facility bits (u32), ISC
 *            (u8), seven reserved bytes = 0, notification byte's guest
 *            address (u64), master key verification pattern (32 bytes)
 *
 * A stream is accepted only whole and exact: each length equal to what
 * its content needs, the parts in this order, no byte after the last,
 * every reserved field zero. Pure functions: no locks, no allocation.
 */
#ifndef _AP_MIGSTREAM_H
#define _AP_MIGSTREAM_H

#include <linux/types.h>
#include <ap/matrix.h>

#define AP_MIG_MAGIC		0x4150564d	/* "APVM" */
#define AP_MIG_VERSION		1
#define AP_MIG_HDR_LEN		16
#define AP_MIG_PART_HDR_LEN	8
#define AP_MIG_PART_MATRIX	1
#define AP_MIG_PART_QUEUES	2
#define AP_MIG_MATRIX_LEN	(3 * AP_MASK_BYTES)
#define AP_MIG_QUEUE_LEN	56
#define AP_MIG_MKVP_LEN		32
#define AP_MIG_MAX_QUEUES	(AP_IDS * AP_IDS)

/* Offset of the first queue record. */
#define AP_MIG_QUEUES_OFF	(AP_MIG_HDR_LEN + 2 * AP_MIG_PART_HDR_LEN + \
				 AP_MIG_MATRIX_LEN + 8)

/* Flags of a queue record. */
#define AP_MIG_Q_IRQ		0x01
#define AP_MIG_Q_MKVP		0x02

/**
 * struct ap_mig_queue - what the stream tells about one queue
 * @apqn: the queue
 * @type: its AP type (raw, as TAPQ reports it)
 * @functions: its facility bits, mode included (AP_HW_FUNC_*)
 * @irq: the guest enabled its interrupts
 * @isc: the guest's interruption subclass, if @irq
 * @nib: the guest address of its notification byte, if @irq
 * @mkvp_set: @mkvp holds the domain's master key verification pattern
 * @mkvp: that pattern, all zero unless @mkvp_set
 */
struct ap_mig_queue {
	apqn_t apqn;
	u8 type;
	u32 functions;
	bool irq;
	u8 isc;
	u64 nib;
	bool mkvp_set;
	u8 mkvp[AP_MIG_MKVP_LEN];
};

size_t ap_mig_size(unsigned int nqueues);
size_t ap_mig_encode_begin(const struct ap_matrix *m, u8 *buf, size_t size);
void ap_mig_encode_queue(u8 *buf, unsigned int i, const struct ap_mig_queue *q);
int ap_mig_stream_len(const u8 *buf, size_t len, size_t *total,
		      const char **why);
int ap_mig_decode(const u8 *buf, size_t len, struct ap_matrix *m,
		  unsigned int *nqueues, const char **why);
void ap_mig_queue_get(const u8 *buf, unsigned int i, struct ap_mig_queue *q);

#endif /* _AP_MIGSTREAM_H */
