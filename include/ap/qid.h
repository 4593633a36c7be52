/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AP queue numbers (APQNs) and their names.
 *
 * An AP queue is addressed by the pair (adapter id, usage domain index),
 * APID and APQI, each in 0..255 when the machine has the AP extended
 * addressing facility. The pair is packed into a 16-bit APQN with the APID
 * in the high byte. Sysfs and the kernel log name a queue "%02x.%04x"
 * (APID.APQI, lower-case hex), for example 05.00ab.
 */
#ifndef _AP_QID_H
#define _AP_QID_H

#include <linux/types.h>

/* Number of adapter ids, and of domain ids: the width of every AP mask. */
#define AP_IDS			256

/* Length of an APQN name without the terminating NUL: "xx.xxxx". */
#define AP_APQN_NAME_LEN	7

typedef u16 apqn_t;

static inline apqn_t ap_apqn(unsigned int apid, unsigned int apqi)
{
	return (apqn_t)((apid & 0xff) << 8 | (apqi & 0xff));
}

static inline unsigned int ap_apqn_apid(apqn_t apqn)
{
	return apqn >> 8;
}

static inline unsigned int ap_apqn_apqi(apqn_t apqn)
{
	return apqn & 0xff;
}

char *ap_apqn_name(apqn_t apqn, char buf[AP_APQN_NAME_LEN + 1]);
int ap_apqn_parse(const char *s, size_t len, apqn_t *apqn);

#endif /* _AP_QID_H */
