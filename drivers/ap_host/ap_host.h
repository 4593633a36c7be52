/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Declarations shared by the files of the host's default AP drivers.
 */
#ifndef _AP_HOST_H
#define _AP_HOST_H

#include <linux/device.h>
#include <ap/bus.h>

bool ap_host_queue_serves(struct ap_queue *q);
struct device_driver *ap_host_queues(void);
u8 ap_host_zcrypt_type(const struct ap_card *card);
unsigned int ap_host_load(struct ap_queue *q);

int ap_host_zcrypt_init(void);
void ap_host_zcrypt_exit(void);

#endif /* _AP_HOST_H */
