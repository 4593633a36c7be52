/* SPDX-License-Identifier: GPL-2.0 */
/*
 * driver_override on AP queue devices: the pure part of its rule.
 *
 * An administrator picks a queue's driver either with apmask/aqmask or
 * with the queue's driver_override, never both at once: an override may
 * be written only while both masks are at their default (every bit set),
 * and a mask may be written only while no queue has an override. A queue
 * with an override is owned by the driver it names, whatever the masks
 * say; the host's default drivers count as the host's.
 *
 * Pure functions: no locks, no allocation, no global state.
 */
#ifndef _AP_OVERRIDE_H
#define _AP_OVERRIDE_H

#include <linux/types.h>

/* Longest driver name an override may hold. */
#define AP_OVERRIDE_NAME_MAX	63

int ap_override_parse(const char *buf, size_t len, char *name, size_t size);
bool ap_override_allowed(const unsigned long *apmask,
			 const unsigned long *aqmask);

#endif /* _AP_OVERRIDE_H */
