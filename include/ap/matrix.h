/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AP matrices: the set algebra behind host reservation, mdev assignment
 * and a guest's view of the AP configuration.
 *
 * A matrix is three masks: adapters (APM), usage domains (AQM) and control
 * domains (ADM). The queues it designates are the Cartesian product
 * APM x AQM; the control domains stand alone. Every function here is pure:
 * no locks, no allocation, inputs are const, outputs are the caller's.
 */
#ifndef _AP_MATRIX_H
#define _AP_MATRIX_H

#include <linux/bitmap.h>
#include <linux/types.h>
#include <ap/mask.h>

/**
 * struct ap_matrix - the three masks of an AP configuration
 * @apm: adapter ids (bit n = APID n)
 * @aqm: usage domain indexes (bit n = APQI n)
 * @adm: control domain indexes (bit n = domain n)
 */
struct ap_matrix {
	DECLARE_BITMAP(apm, AP_IDS);
	DECLARE_BITMAP(aqm, AP_IDS);
	DECLARE_BITMAP(adm, AP_IDS);
};

/**
 * struct ap_limits - the highest ids the machine accepts
 * @max_apid: highest adapter id (63 without APXA, up to 255 with it)
 * @max_apqi: highest usage and control domain id (15 without APXA)
 */
struct ap_limits {
	unsigned int max_apid;
	unsigned int max_apqi;
};

/* Length of an ap_config line without NUL: three masks, two commas, "\n". */
#define AP_MATRIX_CONFIG_STRLEN	(3 * AP_MASK_STRLEN + 3)

/**
 * typedef ap_matrix_usable_fn - may the guest be given this queue?
 * @ctx: the caller's context
 * @apid: adapter id
 * @apqi: usage domain index
 */
typedef bool (*ap_matrix_usable_fn)(void *ctx, unsigned int apid,
				    unsigned int apqi);

#define ap_matrix_for_each_apid(apid, m) \
	for_each_set_bit(apid, (m)->apm, AP_IDS)
#define ap_matrix_for_each_apqi(apqi, m) \
	for_each_set_bit(apqi, (m)->aqm, AP_IDS)

void ap_matrix_clear(struct ap_matrix *m);
bool ap_matrix_equal(const struct ap_matrix *a, const struct ap_matrix *b);
bool ap_matrix_has_apqn(const struct ap_matrix *m, unsigned int apid,
			unsigned int apqi);
unsigned int ap_matrix_apqn_count(const struct ap_matrix *m);
bool ap_matrix_intersects(const struct ap_matrix *a,
			  const struct ap_matrix *b);
bool ap_matrix_outside(const struct ap_matrix *m, const struct ap_matrix *in,
		       struct ap_matrix *out);
bool ap_matrix_has_reserved(const struct ap_matrix *m,
			    const unsigned long *apmask,
			    const unsigned long *aqmask);
void ap_matrix_reserved(const struct ap_matrix *m,
			const unsigned long *apmask,
			const unsigned long *aqmask, struct ap_matrix *out);
int ap_matrix_check_limits(const struct ap_matrix *m,
			   const struct ap_limits *lim);
bool ap_matrix_diff(const struct ap_matrix *old, const struct ap_matrix *new,
		    struct ap_matrix *added, struct ap_matrix *removed);
bool ap_matrix_guest_view(const struct ap_matrix *assigned,
			  const struct ap_matrix *host,
			  ap_matrix_usable_fn usable, void *ctx,
			  struct ap_matrix *view);
size_t ap_matrix_format_apqns(const unsigned long *apm,
			      const unsigned long *aqm, char *buf,
			      size_t size);
size_t ap_matrix_format_domains(const unsigned long *dom, char *buf,
				size_t size);
size_t ap_matrix_format_config(const struct ap_matrix *m, char *buf,
			       size_t size);
int ap_matrix_parse_config(const char *buf, size_t len,
			   struct ap_matrix *out);

#endif /* _AP_MATRIX_H */
