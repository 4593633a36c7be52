/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The VFIO interface of vfio_ap mediated devices, beyond <linux/vfio.h>
 * of Linux 6.12: the second interrupt index, signalled whenever the AP
 * configuration of the guest (its CRYCB) changes. The values are those
 * of the index Linux gained later (VFIO_AP_CFG_CHG_IRQ_INDEX, 6.15).
 */
#ifndef _UAPI_AP_VFIO_AP_H
#define _UAPI_AP_VFIO_AP_H

#define VFIO_AP_IRQ_REQ		0	/* release the device */
#define VFIO_AP_IRQ_CFG_CHG	1	/* the guest's AP configuration changed */
#define VFIO_AP_IRQS		2	/* number of interrupt indexes */

#endif /* _UAPI_AP_VFIO_AP_H */
