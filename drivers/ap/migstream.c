// SPDX-License-Identifier: GPL-2.0
/*
 * The migration stream of a vfio_ap device: writing it and checking it.
 * The layout is described in include/ap/migstream.h. Every multi-byte
 * field is read and written a byte at a time, most significant first, so
 * that the code does not depend on the host's byte order nor on the
 * buffer's alignment.
 */

#include <linux/errno.h>
#include <linux/export.h>
#include <linux/string.h>
#include <ap/migstream.h>

/* Offsets in the stream. */
#define AP_MIG_MATRIX_OFF	(AP_MIG_HDR_LEN + AP_MIG_PART_HDR_LEN)
#define AP_MIG_QPART_OFF	(AP_MIG_MATRIX_OFF + AP_MIG_MATRIX_LEN)
#define AP_MIG_QHDR_OFF		(AP_MIG_QPART_OFF + AP_MIG_PART_HDR_LEN)

/* Offsets in a queue record. */
#define AP_MIG_R_APQN		0
#define AP_MIG_R_TYPE		2
#define AP_MIG_R_FLAGS		3
#define AP_MIG_R_FUNCS		4
#define AP_MIG_R_ISC		8
#define AP_MIG_R_RSVD		9
#define AP_MIG_R_NIB		16
#define AP_MIG_R_MKVP		24

static u64 ap_mig_get(const u8 *p, unsigned int bytes)
{
	u64 v = 0;

	while (bytes--)
		v = v << 8 | *p++;
	return v;
}

static void ap_mig_put(u8 *p, unsigned int bytes, u64 v)
{
	while (bytes--) {
		p[bytes] = v & 0xff;
		v >>= 8;
	}
}

static bool ap_mig_zero(const u8 *p, size_t len)
{
	while (len--)
		if (*p++)
			return false;
	return true;
}

/**
 * ap_mig_size() - length of the stream of a configuration
 * @nqueues: its number of queues, at most AP_MIG_MAX_QUEUES
 *
 * Return: the stream's length in bytes.
 */
size_t ap_mig_size(unsigned int nqueues)
{
	return AP_MIG_QUEUES_OFF + (size_t)nqueues * AP_MIG_QUEUE_LEN;
}
EXPORT_SYMBOL_GPL(ap_mig_size);

/**
 * ap_mig_encode_begin() - write a stream's header and parts
 * @m: the guest's configuration: adapters, usage and control domains
 * @buf: the stream
 * @size: room in @buf
 *
 * Writes everything but the queue records, which the caller writes with
 * ap_mig_encode_queue(), one for each queue of @m in ascending order.
 *
 * Return: the stream's whole length, or 0 if it does not fit in @size.
 */
size_t ap_mig_encode_begin(const struct ap_matrix *m, u8 *buf, size_t size)
{
	unsigned int n = ap_matrix_apqn_count(m);
	size_t len = ap_mig_size(n);

	if (len > size)
		return 0;
	ap_mig_put(buf, 4, AP_MIG_MAGIC);
	ap_mig_put(buf + 4, 2, AP_MIG_VERSION);
	ap_mig_put(buf + 6, 2, AP_MIG_HDR_LEN);
	ap_mig_put(buf + 8, 4, len);
	ap_mig_put(buf + 12, 4, 0);
	ap_mig_put(buf + AP_MIG_HDR_LEN, 2, AP_MIG_PART_MATRIX);
	ap_mig_put(buf + AP_MIG_HDR_LEN + 2, 2, 0);
	ap_mig_put(buf + AP_MIG_HDR_LEN + 4, 4, AP_MIG_MATRIX_LEN);
	ap_mask_to_msb0(m->apm, buf + AP_MIG_MATRIX_OFF);
	ap_mask_to_msb0(m->aqm, buf + AP_MIG_MATRIX_OFF + AP_MASK_BYTES);
	ap_mask_to_msb0(m->adm, buf + AP_MIG_MATRIX_OFF + 2 * AP_MASK_BYTES);
	ap_mig_put(buf + AP_MIG_QPART_OFF, 2, AP_MIG_PART_QUEUES);
	ap_mig_put(buf + AP_MIG_QPART_OFF + 2, 2, 0);
	ap_mig_put(buf + AP_MIG_QPART_OFF + 4, 4,
		   8 + (size_t)n * AP_MIG_QUEUE_LEN);
	ap_mig_put(buf + AP_MIG_QHDR_OFF, 4, n);
	ap_mig_put(buf + AP_MIG_QHDR_OFF + 4, 4, AP_MIG_QUEUE_LEN);
	return len;
}
EXPORT_SYMBOL_GPL(ap_mig_encode_begin);

/**
 * ap_mig_encode_queue() - write one queue record
 * @buf: the stream, begun with ap_mig_encode_begin()
 * @i: the record's index
 * @q: the queue
 */
void ap_mig_encode_queue(u8 *buf, unsigned int i, const struct ap_mig_queue *q)
{
	u8 *r = buf + AP_MIG_QUEUES_OFF + (size_t)i * AP_MIG_QUEUE_LEN;

	memset(r, 0, AP_MIG_QUEUE_LEN);
	ap_mig_put(r + AP_MIG_R_APQN, 2, q->apqn);
	r[AP_MIG_R_TYPE] = q->type;
	r[AP_MIG_R_FLAGS] = (q->irq ? AP_MIG_Q_IRQ : 0) |
			    (q->mkvp_set ? AP_MIG_Q_MKVP : 0);
	ap_mig_put(r + AP_MIG_R_FUNCS, 4, q->functions);
	if (q->irq) {
		r[AP_MIG_R_ISC] = q->isc;
		ap_mig_put(r + AP_MIG_R_NIB, 8, q->nib);
	}
	if (q->mkvp_set)
		memcpy(r + AP_MIG_R_MKVP, q->mkvp, AP_MIG_MKVP_LEN);
}
EXPORT_SYMBOL_GPL(ap_mig_encode_queue);

/**
 * ap_mig_stream_len() - the length a stream's header announces
 * @buf: the stream's first bytes
 * @len: how many there are
 * @total: receives the announced length, on success only
 * @why: receives what is wrong, on failure
 *
 * Return: 0; -ENODATA while @len is shorter than the header; -EINVAL for
 * a header that is not ours, of another version, or announcing a length
 * no stream can have.
 */
int ap_mig_stream_len(const u8 *buf, size_t len, size_t *total,
		      const char **why)
{
	size_t t;

	if (len < AP_MIG_HDR_LEN) {
		*why = "truncated header";
		return -ENODATA;
	}
	if (ap_mig_get(buf, 4) != AP_MIG_MAGIC) {
		*why = "not a vfio_ap migration stream (magic)";
		return -EINVAL;
	}
	if (ap_mig_get(buf + 4, 2) != AP_MIG_VERSION) {
		*why = "unknown stream version";
		return -EINVAL;
	}
	if (ap_mig_get(buf + 6, 2) != AP_MIG_HDR_LEN ||
	    ap_mig_get(buf + 12, 4)) {
		*why = "malformed header";
		return -EINVAL;
	}
	t = ap_mig_get(buf + 8, 4);
	if (t < ap_mig_size(0) || t > ap_mig_size(AP_MIG_MAX_QUEUES) ||
	    (t - ap_mig_size(0)) % AP_MIG_QUEUE_LEN) {
		*why = "impossible stream length";
		return -EINVAL;
	}
	*total = t;
	return 0;
}
EXPORT_SYMBOL_GPL(ap_mig_stream_len);

/* The parts' headers and the queue part's own header. */
static int ap_mig_check_parts(const u8 *buf, unsigned int n, const char **why)
{
	if (ap_mig_get(buf + AP_MIG_HDR_LEN, 2) != AP_MIG_PART_MATRIX ||
	    ap_mig_get(buf + AP_MIG_QPART_OFF, 2) != AP_MIG_PART_QUEUES) {
		*why = "parts missing or out of order";
		return -EINVAL;
	}
	if (ap_mig_get(buf + AP_MIG_HDR_LEN + 2, 2) ||
	    ap_mig_get(buf + AP_MIG_HDR_LEN + 4, 4) != AP_MIG_MATRIX_LEN ||
	    ap_mig_get(buf + AP_MIG_QPART_OFF + 2, 2) ||
	    ap_mig_get(buf + AP_MIG_QPART_OFF + 4, 4) !=
	    8 + (u64)n * AP_MIG_QUEUE_LEN ||
	    ap_mig_get(buf + AP_MIG_QHDR_OFF + 4, 4) != AP_MIG_QUEUE_LEN) {
		*why = "wrong part length";
		return -EINVAL;
	}
	return 0;
}

/* One record: in the matrix, after the one before it, well-formed. */
static int ap_mig_check_queue(const u8 *r, const struct ap_matrix *m,
			      long prev, const char **why)
{
	apqn_t apqn = ap_mig_get(r + AP_MIG_R_APQN, 2);
	u8 flags = r[AP_MIG_R_FLAGS];

	if (!ap_matrix_has_apqn(m, ap_apqn_apid(apqn), ap_apqn_apqi(apqn))) {
		*why = "queue outside the configuration";
		return -EINVAL;
	}
	if ((long)apqn <= prev) {
		*why = "queues duplicated or out of order";
		return -EINVAL;
	}
	if (!r[AP_MIG_R_TYPE] || flags & ~(AP_MIG_Q_IRQ | AP_MIG_Q_MKVP) ||
	    !ap_mig_zero(r + AP_MIG_R_RSVD, AP_MIG_R_NIB - AP_MIG_R_RSVD)) {
		*why = "malformed queue record";
		return -EINVAL;
	}
	if (flags & AP_MIG_Q_IRQ ?
	    r[AP_MIG_R_ISC] > 7 || !ap_mig_get(r + AP_MIG_R_NIB, 8) :
	    r[AP_MIG_R_ISC] || ap_mig_get(r + AP_MIG_R_NIB, 8)) {
		*why = "malformed interrupt state";
		return -EINVAL;
	}
	if (!(flags & AP_MIG_Q_MKVP) &&
	    !ap_mig_zero(r + AP_MIG_R_MKVP, AP_MIG_MKVP_LEN)) {
		*why = "malformed master key pattern";
		return -EINVAL;
	}
	return 0;
}

/**
 * ap_mig_decode() - check a whole stream
 * @buf: the stream
 * @len: its length
 * @m: receives the guest's configuration, on success only
 * @nqueues: receives the number of queue records, on success only
 * @why: receives what is wrong, on failure
 *
 * The records are then read with ap_mig_queue_get(); the records are
 * exactly the queues of @m, in ascending order.
 *
 * Return: 0 or -EINVAL.
 */
int ap_mig_decode(const u8 *buf, size_t len, struct ap_matrix *m,
		  unsigned int *nqueues, const char **why)
{
	struct ap_matrix cfg;
	unsigned int n, i;
	size_t total;
	long prev = -1;
	int rc;

	rc = ap_mig_stream_len(buf, len, &total, why);
	if (rc)
		return -EINVAL;
	if (len != total) {
		*why = len < total ? "truncated stream" : "bytes after the end";
		return -EINVAL;
	}
	n = ap_mig_get(buf + AP_MIG_QHDR_OFF, 4);
	if (ap_mig_size(n) != total) {
		*why = "queue count does not match the length";
		return -EINVAL;
	}
	rc = ap_mig_check_parts(buf, n, why);
	if (rc)
		return rc;
	ap_mask_from_msb0(buf + AP_MIG_MATRIX_OFF, cfg.apm);
	ap_mask_from_msb0(buf + AP_MIG_MATRIX_OFF + AP_MASK_BYTES, cfg.aqm);
	ap_mask_from_msb0(buf + AP_MIG_MATRIX_OFF + 2 * AP_MASK_BYTES,
			  cfg.adm);
	if (ap_matrix_apqn_count(&cfg) != n) {
		*why = "queue count does not match the configuration";
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		const u8 *r = buf + AP_MIG_QUEUES_OFF +
			      (size_t)i * AP_MIG_QUEUE_LEN;

		rc = ap_mig_check_queue(r, &cfg, prev, why);
		if (rc)
			return rc;
		prev = ap_mig_get(r + AP_MIG_R_APQN, 2);
	}
	*m = cfg;
	*nqueues = n;
	return 0;
}
EXPORT_SYMBOL_GPL(ap_mig_decode);

/**
 * ap_mig_queue_get() - read one queue record of a checked stream
 * @buf: the stream, accepted by ap_mig_decode()
 * @i: the record's index, below the count ap_mig_decode() gave
 * @q: receives the queue
 */
void ap_mig_queue_get(const u8 *buf, unsigned int i, struct ap_mig_queue *q)
{
	const u8 *r = buf + AP_MIG_QUEUES_OFF + (size_t)i * AP_MIG_QUEUE_LEN;

	q->apqn = ap_mig_get(r + AP_MIG_R_APQN, 2);
	q->type = r[AP_MIG_R_TYPE];
	q->functions = ap_mig_get(r + AP_MIG_R_FUNCS, 4);
	q->irq = r[AP_MIG_R_FLAGS] & AP_MIG_Q_IRQ;
	q->isc = r[AP_MIG_R_ISC];
	q->nib = ap_mig_get(r + AP_MIG_R_NIB, 8);
	q->mkvp_set = r[AP_MIG_R_FLAGS] & AP_MIG_Q_MKVP;
	memcpy(q->mkvp, r + AP_MIG_R_MKVP, AP_MIG_MKVP_LEN);
}
EXPORT_SYMBOL_GPL(ap_mig_queue_get);
