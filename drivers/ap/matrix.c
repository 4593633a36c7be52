// SPDX-License-Identifier: GPL-2.0
/*
 * AP matrix algebra: Cartesian products of adapter and domain masks,
 * reservation, limits, differences, the guest view, and the text forms
 * used by the matrix, guest_matrix, control_domains and ap_config files.
 *
 * Pure functions, see include/ap/matrix.h.
 */

#include <linux/bitmap.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/hex.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <ap/matrix.h>

/**
 * ap_matrix_clear() - empty all three masks
 * @m: the matrix
 */
void ap_matrix_clear(struct ap_matrix *m)
{
	bitmap_zero(m->apm, AP_IDS);
	bitmap_zero(m->aqm, AP_IDS);
	bitmap_zero(m->adm, AP_IDS);
}
EXPORT_SYMBOL_GPL(ap_matrix_clear);

/**
 * ap_matrix_equal() - do two matrices have the same three masks?
 * @a: one matrix
 * @b: the other
 *
 * Return: true if APM, AQM and ADM are all equal.
 */
bool ap_matrix_equal(const struct ap_matrix *a, const struct ap_matrix *b)
{
	return bitmap_equal(a->apm, b->apm, AP_IDS) &&
	       bitmap_equal(a->aqm, b->aqm, AP_IDS) &&
	       bitmap_equal(a->adm, b->adm, AP_IDS);
}
EXPORT_SYMBOL_GPL(ap_matrix_equal);

/**
 * ap_matrix_has_apqn() - is a queue in the matrix's Cartesian product?
 * @m: the matrix
 * @apid: adapter id
 * @apqi: usage domain index
 *
 * Return: true if @apid is in APM and @apqi in AQM.
 */
bool ap_matrix_has_apqn(const struct ap_matrix *m, unsigned int apid,
			unsigned int apqi)
{
	return apid < AP_IDS && apqi < AP_IDS &&
	       test_bit(apid, m->apm) && test_bit(apqi, m->aqm);
}
EXPORT_SYMBOL_GPL(ap_matrix_has_apqn);

/**
 * ap_matrix_apqn_count() - number of queues of the matrix
 * @m: the matrix
 *
 * Return: |APM| x |AQM|.
 */
unsigned int ap_matrix_apqn_count(const struct ap_matrix *m)
{
	return bitmap_weight(m->apm, AP_IDS) * bitmap_weight(m->aqm, AP_IDS);
}
EXPORT_SYMBOL_GPL(ap_matrix_apqn_count);

/**
 * ap_matrix_intersects() - do two matrices designate a common queue?
 * @a: one matrix
 * @b: the other
 *
 * Two Cartesian products share a queue exactly when their adapter masks
 * and their domain masks both overlap. Control domains are not queues and
 * play no part.
 *
 * Return: true if some APQN is in both.
 */
bool ap_matrix_intersects(const struct ap_matrix *a,
			  const struct ap_matrix *b)
{
	return bitmap_intersects(a->apm, b->apm, AP_IDS) &&
	       bitmap_intersects(a->aqm, b->aqm, AP_IDS);
}
EXPORT_SYMBOL_GPL(ap_matrix_intersects);

/**
 * ap_matrix_outside() - what of a matrix another one lacks
 * @m: the matrix
 * @in: the matrix @m should be part of
 * @out: receives, mask by mask, the adapters, usage domains and control
 *       domains of @m that @in does not have
 *
 * Each mask is compared on its own: an adapter of @m is outside @in if
 * @in's APM lacks it, whatever the domains.
 *
 * Return: true if @out is not empty, i.e. @m is not part of @in.
 */
bool ap_matrix_outside(const struct ap_matrix *m, const struct ap_matrix *in,
		       struct ap_matrix *out)
{
	bool apm = bitmap_andnot(out->apm, m->apm, in->apm, AP_IDS);
	bool aqm = bitmap_andnot(out->aqm, m->aqm, in->aqm, AP_IDS);
	bool adm = bitmap_andnot(out->adm, m->adm, in->adm, AP_IDS);

	return apm || aqm || adm;
}
EXPORT_SYMBOL_GPL(ap_matrix_outside);

/**
 * ap_matrix_has_reserved() - does a matrix hold a queue reserved for the host?
 * @m: the matrix
 * @apmask: the AP bus apmask
 * @aqmask: the AP bus aqmask
 *
 * A queue is reserved for the host's default drivers when its adapter is
 * set in @apmask and its domain in @aqmask.
 *
 * Return: true if some APQN of @m is reserved.
 */
bool ap_matrix_has_reserved(const struct ap_matrix *m,
			    const unsigned long *apmask,
			    const unsigned long *aqmask)
{
	return bitmap_intersects(m->apm, apmask, AP_IDS) &&
	       bitmap_intersects(m->aqm, aqmask, AP_IDS);
}
EXPORT_SYMBOL_GPL(ap_matrix_has_reserved);

/**
 * ap_matrix_reserved() - the queues of a matrix that the host reserves
 * @m: the matrix
 * @apmask: the AP bus apmask
 * @aqmask: the AP bus aqmask
 * @out: receives the reserved part of @m as a matrix (ADM empty)
 *
 * The result names the queues to report in a refusal. It is the empty
 * matrix (no adapter, no domain) exactly when ap_matrix_has_reserved() is
 * false.
 */
void ap_matrix_reserved(const struct ap_matrix *m,
			const unsigned long *apmask,
			const unsigned long *aqmask, struct ap_matrix *out)
{
	bitmap_zero(out->adm, AP_IDS);
	if (!bitmap_and(out->apm, m->apm, apmask, AP_IDS) ||
	    !bitmap_and(out->aqm, m->aqm, aqmask, AP_IDS)) {
		bitmap_zero(out->apm, AP_IDS);
		bitmap_zero(out->aqm, AP_IDS);
	}
}
EXPORT_SYMBOL_GPL(ap_matrix_reserved);

/**
 * ap_matrix_check_limits() - are all ids within the machine's limits?
 * @m: the matrix
 * @lim: the highest adapter and domain ids
 *
 * Return: 0, or -ENODEV if an adapter above @lim->max_apid or a usage or
 * control domain above @lim->max_apqi is set.
 */
int ap_matrix_check_limits(const struct ap_matrix *m,
			   const struct ap_limits *lim)
{
	unsigned int apid_end = min_t(unsigned int, lim->max_apid + 1, AP_IDS);
	unsigned int apqi_end = min_t(unsigned int, lim->max_apqi + 1, AP_IDS);

	if (find_next_bit(m->apm, AP_IDS, apid_end) < AP_IDS ||
	    find_next_bit(m->aqm, AP_IDS, apqi_end) < AP_IDS ||
	    find_next_bit(m->adm, AP_IDS, apqi_end) < AP_IDS)
		return -ENODEV;
	return 0;
}
EXPORT_SYMBOL_GPL(ap_matrix_check_limits);

/**
 * ap_matrix_diff() - what changes from one matrix to another
 * @old: the matrix before
 * @new: the matrix after
 * @added: receives, per mask, the ids set in @new but not in @old
 * @removed: receives, per mask, the ids set in @old but not in @new
 *
 * Return: true if anything was added or removed.
 */
bool ap_matrix_diff(const struct ap_matrix *old, const struct ap_matrix *new,
		    struct ap_matrix *added, struct ap_matrix *removed)
{
	bool changed = false;

	changed |= bitmap_andnot(added->apm, new->apm, old->apm, AP_IDS);
	changed |= bitmap_andnot(added->aqm, new->aqm, old->aqm, AP_IDS);
	changed |= bitmap_andnot(added->adm, new->adm, old->adm, AP_IDS);
	changed |= bitmap_andnot(removed->apm, old->apm, new->apm, AP_IDS);
	changed |= bitmap_andnot(removed->aqm, old->aqm, new->aqm, AP_IDS);
	changed |= bitmap_andnot(removed->adm, old->adm, new->adm, AP_IDS);
	return changed;
}
EXPORT_SYMBOL_GPL(ap_matrix_diff);

/*
 * ap_matrix_adapter_usable() - may every queue of adapter @apid in @m be
 * given to the guest?
 */
static bool ap_matrix_adapter_usable(const struct ap_matrix *m,
				     unsigned int apid,
				     ap_matrix_usable_fn usable, void *ctx)
{
	unsigned int apqi;

	ap_matrix_for_each_apqi(apqi, m)
		if (!usable(ctx, apid, apqi))
			return false;
	return true;
}

/*
 * ap_matrix_domain_usable() - may the queue of every adapter of @m in
 * domain @apqi be given to the guest?
 */
static bool ap_matrix_domain_usable(const struct ap_matrix *m,
				    unsigned int apqi,
				    ap_matrix_usable_fn usable, void *ctx)
{
	unsigned int apid;

	ap_matrix_for_each_apid(apid, m)
		if (!usable(ctx, apid, apqi))
			return false;
	return true;
}

/**
 * ap_matrix_guest_view() - compute what a guest may be given
 * @assigned: the matrix assigned to the mediated device
 * @host: the host's AP configuration (configured adapters and domains)
 * @usable: answers whether a queue is bound to the passthrough driver and
 *          fit to be handed to a guest
 * @ctx: passed to @usable
 * @view: in: the view the guest has now; out: the view it should have
 *
 * Adapters, usage domains and control domains that are assigned but not in
 * the host configuration are left out. The architecture cannot hide a
 * single queue, so the view is always a whole matrix, built in three steps
 * that never take from the guest what it has for another's sake:
 *
 * 1. What the guest has stays if it is still assigned and configured;
 *    an adapter of it with a queue no longer usable leaves as a whole.
 *    Adapters without domains, or domains without adapters, give the
 *    guest no queue: they are not kept but computed as new ones.
 * 2. A usage domain not in the view comes if its queue on every adapter
 *    kept is usable; otherwise it waits.
 * 3. An adapter not in the view comes if its queue in every domain of the
 *    view is usable; otherwise it waits.
 *
 * A resource that waits comes with a later computation, once its queues
 * are usable. Control domains need no queue: ADM = assigned ADM & host
 * ADM.
 *
 * The result is compared with the previous view rather than tested for
 * emptiness, so removing the last adapter or domain counts as a change.
 *
 * Return: true if @view changed.
 */
bool ap_matrix_guest_view(const struct ap_matrix *assigned,
			  const struct ap_matrix *host,
			  ap_matrix_usable_fn usable, void *ctx,
			  struct ap_matrix *view)
{
	struct ap_matrix want, next;
	unsigned int apid, apqi;

	bitmap_and(want.apm, assigned->apm, host->apm, AP_IDS);
	bitmap_and(want.aqm, assigned->aqm, host->aqm, AP_IDS);
	bitmap_and(next.adm, assigned->adm, host->adm, AP_IDS);
	bitmap_and(next.apm, view->apm, want.apm, AP_IDS);
	bitmap_and(next.aqm, view->aqm, want.aqm, AP_IDS);
	if (bitmap_empty(next.apm, AP_IDS) || bitmap_empty(next.aqm, AP_IDS)) {
		/* No queue to keep: everything counts as new. */
		bitmap_zero(next.apm, AP_IDS);
		bitmap_zero(next.aqm, AP_IDS);
	}
	ap_matrix_for_each_apid(apid, &next)
		if (!ap_matrix_adapter_usable(&next, apid, usable, ctx))
			__clear_bit(apid, next.apm);
	ap_matrix_for_each_apqi(apqi, &want)
		if (!test_bit(apqi, next.aqm) &&
		    ap_matrix_domain_usable(&next, apqi, usable, ctx))
			__set_bit(apqi, next.aqm);
	ap_matrix_for_each_apid(apid, &want)
		if (!test_bit(apid, next.apm) &&
		    ap_matrix_adapter_usable(&next, apid, usable, ctx))
			__set_bit(apid, next.apm);
	if (ap_matrix_equal(&next, view))
		return false;
	*view = next;
	return true;
}
EXPORT_SYMBOL_GPL(ap_matrix_guest_view);

/* Line lengths of the matrix listing, newline included. */
#define AP_MATRIX_LINE_APQN	8	/* "xx.xxxx\n" */
#define AP_MATRIX_LINE_APID	4	/* "xx.\n" */
#define AP_MATRIX_LINE_APQI	6	/* ".xxxx\n" */

static char *ap_matrix_put_apqi(char *p, unsigned int apqi)
{
	*p++ = '0';
	*p++ = '0';
	return hex_byte_pack(p, apqi);
}

static size_t ap_matrix_put_line(char *p, int apid, int apqi)
{
	char *start = p;

	if (apid >= 0)
		p = hex_byte_pack(p, apid);
	*p++ = '.';
	if (apqi >= 0)
		p = ap_matrix_put_apqi(p, apqi);
	*p++ = '\n';
	return p - start;
}

/**
 * ap_matrix_format_apqns() - list the queues of a matrix, one per line
 * @apm: adapter mask
 * @aqm: usage domain mask
 * @buf: the output buffer; receives a NUL-terminated string
 * @size: size of @buf
 *
 * Each queue is a line "xx.xxxx" (APID.APQI), adapters outer, domains
 * inner, both ascending. With adapters but no domains each adapter is a
 * line "xx."; with domains but no adapters each domain is a line ".xxxx".
 * Nothing is printed for an empty matrix. Only whole lines are written:
 * if the list does not fit, it ends with the last line that does.
 *
 * Return: the length of the string.
 */
size_t ap_matrix_format_apqns(const unsigned long *apm,
			      const unsigned long *aqm, char *buf, size_t size)
{
	bool has_apid = !bitmap_empty(apm, AP_IDS);
	bool has_apqi = !bitmap_empty(aqm, AP_IDS);
	unsigned int apid, apqi;
	size_t n = 0;

	if (!size)
		return 0;
	if (has_apid && has_apqi) {
		for_each_set_bit(apid, apm, AP_IDS)
			for_each_set_bit(apqi, aqm, AP_IDS) {
				if (n + AP_MATRIX_LINE_APQN >= size)
					goto out;
				n += ap_matrix_put_line(buf + n, apid, apqi);
			}
	} else if (has_apid) {
		for_each_set_bit(apid, apm, AP_IDS) {
			if (n + AP_MATRIX_LINE_APID >= size)
				goto out;
			n += ap_matrix_put_line(buf + n, apid, -1);
		}
	} else {
		for_each_set_bit(apqi, aqm, AP_IDS) {
			if (n + AP_MATRIX_LINE_APQI >= size)
				goto out;
			n += ap_matrix_put_line(buf + n, -1, apqi);
		}
	}
out:
	buf[n] = '\0';
	return n;
}
EXPORT_SYMBOL_GPL(ap_matrix_format_apqns);

/**
 * ap_matrix_format_domains() - list domain ids, one "xxxx" per line
 * @dom: the domain mask, typically a control domain mask
 * @buf: the output buffer; receives a NUL-terminated string
 * @size: size of @buf
 *
 * Return: the length of the string; a list that does not fit ends with
 * the last whole line that does.
 */
size_t ap_matrix_format_domains(const unsigned long *dom, char *buf,
				size_t size)
{
	unsigned int id;
	size_t n = 0;

	if (!size)
		return 0;
	for_each_set_bit(id, dom, AP_IDS) {
		if (n + 5 >= size)
			break;
		n = ap_matrix_put_apqi(buf + n, id) - buf;
		buf[n++] = '\n';
	}
	buf[n] = '\0';
	return n;
}
EXPORT_SYMBOL_GPL(ap_matrix_format_domains);

/**
 * ap_matrix_format_config() - format a matrix as "APM,AQM,ADM\n"
 * @m: the matrix
 * @buf: the output buffer; receives a NUL-terminated string
 * @size: size of @buf, at least AP_MATRIX_CONFIG_STRLEN + 1
 *
 * Each mask is formatted by ap_mask_format().
 *
 * Return: AP_MATRIX_CONFIG_STRLEN, or 0 if @size is too small.
 */
size_t ap_matrix_format_config(const struct ap_matrix *m, char *buf,
			       size_t size)
{
	const unsigned long *masks[] = { m->apm, m->aqm, m->adm };
	size_t n = 0;
	unsigned int i;

	if (size < AP_MATRIX_CONFIG_STRLEN + 1) {
		if (size)
			buf[0] = '\0';
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(masks); i++) {
		n += ap_mask_format(masks[i], buf + n, size - n);
		buf[n++] = i + 1 < ARRAY_SIZE(masks) ? ',' : '\n';
	}
	buf[n] = '\0';
	return n;
}
EXPORT_SYMBOL_GPL(ap_matrix_format_config);

/**
 * ap_matrix_parse_config() - parse "APM,AQM,ADM" as written to ap_config
 * @buf: the text
 * @len: its length
 * @out: receives the three masks
 *
 * Each of the three masks is an absolute mask (see ap_mask_parse_hex()),
 * none may be empty; the masks are separated by single commas and may be
 * followed by one newline. The output of ap_matrix_format_config() is
 * accepted as it is.
 *
 * Return: 0, or -EINVAL (@out unchanged).
 */
int ap_matrix_parse_config(const char *buf, size_t len,
			   struct ap_matrix *out)
{
	struct ap_matrix m;
	unsigned long *masks[] = { m.apm, m.aqm, m.adm };
	const char *end, *sep;
	unsigned int i;

	if (len && buf[len - 1] == '\n')
		len--;
	end = buf + len;
	for (i = 0; i < ARRAY_SIZE(masks); i++) {
		sep = i + 1 < ARRAY_SIZE(masks) ? memchr(buf, ',', end - buf) :
						  end;
		if (!sep || ap_mask_parse_hex(buf, sep - buf, masks[i]))
			return -EINVAL;
		buf = sep + 1;
	}
	*out = m;
	return 0;
}
EXPORT_SYMBOL_GPL(ap_matrix_parse_config);
