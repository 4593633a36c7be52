// SPDX-License-Identifier: GPL-2.0
/*
 * Attributes of mediated matrix devices: the assignment interface.
 *
 * Every store parses into locals, then takes the AP bus's reservation
 * lock and vfio_ap_lock and lets registry.c check and commit the change
 * at once; a failed write changes nothing. Ids are written in decimal or
 * 0x hex (the grammar of <ap/mask.h>); ap_config takes three absolute
 * masks. See Documentation/ABI/testing/sysfs-devices-vfio_ap.
 *
 * The listings (matrix, guest_matrix, control_domains) are cut at the
 * last whole line that fits the sysfs page: 511 queues. ap_config always
 * shows the whole assignment.
 */

#define pr_fmt(fmt) "vfio_ap: " fmt

#include <linux/device.h>
#include <linux/ktime.h>
#include <linux/sysfs.h>
#include <trace/events/vfio_ap.h>
#include "private.h"

static struct vfio_ap_mdev *vfio_ap_mdev_of(struct device *dev)
{
	return dev_get_drvdata(dev);
}

/* An operation on @mdev took the time since @t0: trace it (vfio_ap_op). */
void vfio_ap_op_done(struct vfio_ap_mdev *mdev, const char *op, u64 t0,
		     int rc)
{
	trace_vfio_ap_op(mdev->name, op, ktime_get_ns() - t0, rc);
}

static ssize_t vfio_ap_mdev_store_id(struct device *dev,
				     struct device_attribute *attr,
				     const char *buf, size_t count, int what,
				     bool assign)
{
	struct vfio_ap_mdev *mdev = vfio_ap_mdev_of(dev);
	u64 t0 = ktime_get_ns();
	unsigned long id;
	int rc;

	rc = ap_id_parse(buf, count, &id);
	if (!rc)
		rc = vfio_ap_mdev_assign(mdev, what, id, assign);
	vfio_ap_op_done(mdev, attr->attr.name, t0, rc);
	return rc ?: count;
}

static ssize_t assign_adapter_store(struct device *dev,
				    struct device_attribute *attr,
				    const char *buf, size_t count)
{
	return vfio_ap_mdev_store_id(dev, attr, buf, count, VFIO_AP_ADAPTER,
				     true);
}
static DEVICE_ATTR_WO(assign_adapter);

static ssize_t unassign_adapter_store(struct device *dev,
				      struct device_attribute *attr,
				      const char *buf, size_t count)
{
	return vfio_ap_mdev_store_id(dev, attr, buf, count, VFIO_AP_ADAPTER,
				     false);
}
static DEVICE_ATTR_WO(unassign_adapter);

static ssize_t assign_domain_store(struct device *dev,
				   struct device_attribute *attr,
				   const char *buf, size_t count)
{
	return vfio_ap_mdev_store_id(dev, attr, buf, count, VFIO_AP_DOMAIN,
				     true);
}
static DEVICE_ATTR_WO(assign_domain);

static ssize_t unassign_domain_store(struct device *dev,
				     struct device_attribute *attr,
				     const char *buf, size_t count)
{
	return vfio_ap_mdev_store_id(dev, attr, buf, count, VFIO_AP_DOMAIN,
				     false);
}
static DEVICE_ATTR_WO(unassign_domain);

static ssize_t assign_control_domain_store(struct device *dev,
					   struct device_attribute *attr,
					   const char *buf, size_t count)
{
	return vfio_ap_mdev_store_id(dev, attr, buf, count, VFIO_AP_CONTROL_DOMAIN,
				     true);
}
static DEVICE_ATTR_WO(assign_control_domain);

static ssize_t unassign_control_domain_store(struct device *dev,
					     struct device_attribute *attr,
					     const char *buf, size_t count)
{
	return vfio_ap_mdev_store_id(dev, attr, buf, count, VFIO_AP_CONTROL_DOMAIN,
				     false);
}
static DEVICE_ATTR_WO(unassign_control_domain);

static ssize_t matrix_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct vfio_ap_mdev *mdev = vfio_ap_mdev_of(dev);

	guard(mutex)(&vfio_ap_lock);
	return ap_matrix_format_apqns(mdev->assigned.apm, mdev->assigned.aqm,
				      buf, PAGE_SIZE);
}
static DEVICE_ATTR_RO(matrix);

static ssize_t guest_matrix_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct vfio_ap_mdev *mdev = vfio_ap_mdev_of(dev);

	guard(mutex)(&vfio_ap_lock);
	if (!mdev->guest)
		return -ENODEV;
	return ap_matrix_format_apqns(mdev->view.apm, mdev->view.aqm, buf,
				      PAGE_SIZE);
}
static DEVICE_ATTR_RO(guest_matrix);

static ssize_t control_domains_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	struct vfio_ap_mdev *mdev = vfio_ap_mdev_of(dev);

	guard(mutex)(&vfio_ap_lock);
	return ap_matrix_format_domains(mdev->assigned.adm, buf, PAGE_SIZE);
}
static DEVICE_ATTR_RO(control_domains);

static ssize_t ap_config_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct vfio_ap_mdev *mdev = vfio_ap_mdev_of(dev);

	guard(mutex)(&vfio_ap_lock);
	return ap_matrix_format_config(&mdev->assigned, buf, PAGE_SIZE);
}

/* "APM,AQM,ADM": the whole assignment, replaced at once or not at all. */
static ssize_t ap_config_store(struct device *dev,
			       struct device_attribute *attr,
			       const char *buf, size_t count)
{
	struct vfio_ap_mdev *mdev = vfio_ap_mdev_of(dev);
	u64 t0 = ktime_get_ns();
	struct ap_matrix m;
	int rc;

	rc = ap_matrix_parse_config(buf, count, &m);
	if (!rc)
		rc = vfio_ap_mdev_set_config(mdev, &m);
	vfio_ap_op_done(mdev, "ap_config", t0, rc);
	return rc ?: count;
}
static DEVICE_ATTR_RW(ap_config);

static struct attribute *vfio_ap_mdev_attrs[] = {
	&dev_attr_assign_adapter.attr,
	&dev_attr_unassign_adapter.attr,
	&dev_attr_assign_domain.attr,
	&dev_attr_unassign_domain.attr,
	&dev_attr_assign_control_domain.attr,
	&dev_attr_unassign_control_domain.attr,
	&dev_attr_matrix.attr,
	&dev_attr_guest_matrix.attr,
	&dev_attr_control_domains.attr,
	&dev_attr_ap_config.attr,
	NULL
};

static const struct attribute_group vfio_ap_mdev_group = {
	.attrs = vfio_ap_mdev_attrs,
};

const struct attribute_group *vfio_ap_mdev_groups[] = {
	&vfio_ap_mdev_group,
	NULL
};
