// SPDX-License-Identifier: GPL-2.0
/*
 * The vfio_ap module: the matrix device (/sys/devices/vfio_ap/matrix),
 * parent of the mediated matrix devices, and the module's life cycle.
 *
 * The matrix device sits on a bus of its own ("matrix") with a driver
 * named vfio_ap bound to it, which is what names the mdev type directory
 * vfio_ap-passthrough.
 */

#define pr_fmt(fmt) "vfio_ap: " fmt

#include <linux/device.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include "private.h"

static struct device *vfio_ap_root;
static struct device *vfio_ap_matrix;

static const struct bus_type vfio_ap_matrix_bus = {
	.name = "matrix",
};

static struct device_driver vfio_ap_matrix_driver = {
	.name = VFIO_AP_DRV_NAME,
	.bus = &vfio_ap_matrix_bus,
	.suppress_bind_attrs = true,
};

/* What this driver offers, for tools that probe before they use. */
static ssize_t features_show(struct device *dev,
			     struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "guest_matrix hotplug ap_config migratable\n");
}
static DEVICE_ATTR_RO(features);

static struct attribute *vfio_ap_matrix_attrs[] = {
	&dev_attr_features.attr,
	NULL
};
ATTRIBUTE_GROUPS(vfio_ap_matrix);

static void vfio_ap_matrix_release(struct device *dev)
{
	kfree(dev);
}

static int vfio_ap_matrix_create(void)
{
	struct device *dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	int rc;

	if (!dev)
		return -ENOMEM;
	device_initialize(dev);
	dev->parent = vfio_ap_root;
	dev->bus = &vfio_ap_matrix_bus;
	dev->groups = vfio_ap_matrix_groups;
	dev->release = vfio_ap_matrix_release;
	rc = dev_set_name(dev, "matrix");
	if (!rc)
		rc = device_add(dev);
	if (rc) {
		put_device(dev);
		return rc;
	}
	vfio_ap_matrix = dev;
	return 0;
}

static int __init vfio_ap_init(void)
{
	int rc;

	vfio_ap_debugfs_init();
	vfio_ap_root = root_device_register(VFIO_AP_DRV_NAME);
	if (IS_ERR(vfio_ap_root)) {
		rc = PTR_ERR(vfio_ap_root);
		goto err_debugfs;
	}
	rc = bus_register(&vfio_ap_matrix_bus);
	if (rc)
		goto err_root;
	rc = driver_register(&vfio_ap_matrix_driver);
	if (rc)
		goto err_bus;
	rc = vfio_ap_matrix_create();
	if (rc)
		goto err_driver;
	rc = vfio_ap_queue_driver_register();
	if (rc)
		goto err_matrix;
	vfio_ap_registry_init();
	rc = vfio_ap_mdev_register(vfio_ap_matrix);
	if (rc)
		goto err_queue_driver;
	return 0;

err_queue_driver:
	vfio_ap_queue_driver_unregister();
err_matrix:
	device_unregister(vfio_ap_matrix);
err_driver:
	driver_unregister(&vfio_ap_matrix_driver);
err_bus:
	bus_unregister(&vfio_ap_matrix_bus);
err_root:
	root_device_unregister(vfio_ap_root);
err_debugfs:
	vfio_ap_debugfs_exit();
	return rc;
}

static void __exit vfio_ap_exit(void)
{
	vfio_ap_mdev_unregister();
	vfio_ap_queue_driver_unregister();
	device_unregister(vfio_ap_matrix);
	driver_unregister(&vfio_ap_matrix_driver);
	bus_unregister(&vfio_ap_matrix_bus);
	root_device_unregister(vfio_ap_root);
	vfio_ap_debugfs_exit();
}

module_init(vfio_ap_init);
module_exit(vfio_ap_exit);

MODULE_DESCRIPTION("VFIO passthrough of AP (crypto adapter) queues to guests");
MODULE_LICENSE("GPL");
