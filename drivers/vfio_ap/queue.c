// SPDX-License-Identifier: GPL-2.0
/*
 * The vfio_ap queue driver: binds the CEX4 and newer queues that apmask
 * and aqmask do not reserve for the host, shows their status, and hears
 * from the AP bus about mask changes and configuration changes.
 */

#define pr_fmt(fmt) "vfio_ap: " fmt

#include <linux/device.h>
#include <linux/sysfs.h>
#include "private.h"

static ssize_t status_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%s\n", vfio_ap_queue_status(to_ap_queue(dev)));
}
static DEVICE_ATTR_RO(status);

static struct attribute *vfio_ap_queue_attrs[] = {
	&dev_attr_status.attr,
	NULL
};
ATTRIBUTE_GROUPS(vfio_ap_queue);

static int vfio_ap_queue_probe(struct device *dev)
{
	return vfio_ap_queue_add(to_ap_queue(dev));
}

static void vfio_ap_queue_remove_dev(struct device *dev)
{
	vfio_ap_queue_remove(to_ap_queue(dev));
}

static void vfio_ap_queue_scan_complete(const struct ap_matrix *old,
					const struct ap_matrix *new)
{
	vfio_ap_scan_complete(new);
}

static struct ap_driver vfio_ap_queue_driver = {
	.driver = {
		.name = VFIO_AP_DRV_NAME,
		.dev_groups = vfio_ap_queue_groups,
	},
	.kind = AP_DRIVER_QUEUE,
	.min_type = AP_HW_TYPE_CEX4,
	.max_type = AP_HW_TYPE_MAX,
	.probe = vfio_ap_queue_probe,
	.remove = vfio_ap_queue_remove_dev,
	.in_use = vfio_ap_in_use,
	.on_config_changed = vfio_ap_config_changed,
	.on_scan_complete = vfio_ap_queue_scan_complete,
};

/**
 * vfio_ap_queue_driver_register() - start binding queues
 *
 * Return: 0 or a negative errno.
 */
int vfio_ap_queue_driver_register(void)
{
	return ap_driver_register(&vfio_ap_queue_driver);
}

/**
 * vfio_ap_queue_driver_unregister() - unbind every queue
 */
void vfio_ap_queue_driver_unregister(void)
{
	ap_driver_unregister(&vfio_ap_queue_driver);
	vfio_ap_scrub_stop();
}
