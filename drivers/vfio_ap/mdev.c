// SPDX-License-Identifier: GPL-2.0
/*
 * Mediated matrix devices and the VFIO interface QEMU uses.
 *
 * Each mdev is a VFIO device with an emulated IOMMU: it pins one page of
 * the guest's RAM per queue whose interrupts the guest enabled (irq.c),
 * and gives it back when the guest unmaps it (dma_unmap).
 * Opening it attaches a guest (guest.c) that gets the current view;
 * closing it detaches the guest and resets and zeroizes the queues it
 * had. The device has no regions; it answers VFIO_DEVICE_GET_INFO (with
 * VFIO_DEVICE_FLAGS_AP), two interrupt indexes (release request, and
 * configuration changed), VFIO_DEVICE_SET_IRQS for their eventfds and
 * VFIO_DEVICE_RESET.
 *
 * Removing an mdev a guest still uses clears the guest's masks, tells it
 * so, asks its user to release the device (request eventfd, repeated by
 * the VFIO core every 10 seconds), and waits until it does.
 */

#define pr_fmt(fmt) "vfio_ap: " fmt

#include <linux/file.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "private.h"

static struct mdev_parent vfio_ap_parent;

static struct mdev_type vfio_ap_passthrough_type = {
	.sysfs_name = "passthrough",
	.pretty_name = "VFIO AP Passthrough Device",
};

static struct mdev_type *vfio_ap_mdev_types[] = {
	&vfio_ap_passthrough_type,
};

static struct vfio_ap_mdev *to_vfio_ap_mdev(struct vfio_device *vdev)
{
	return container_of(vdev, struct vfio_ap_mdev, vdev);
}

/**
 * vfio_ap_mdev_signal_locked() - signal one of the mdev's eventfds
 * @mdev: the mdev
 * @irq: VFIO_AP_IRQ_REQ or VFIO_AP_IRQ_CFG_CHG
 *
 * Context: vfio_ap_lock held, which also serialises eventfd replacement.
 */
void vfio_ap_mdev_signal_locked(struct vfio_ap_mdev *mdev, unsigned int irq)
{
	lockdep_assert_held(&vfio_ap_lock);
	if (mdev->triggers[irq])
		eventfd_signal(mdev->triggers[irq]);
}

static int vfio_ap_mdev_open_device(struct vfio_device *vdev)
{
	u64 t0 = ktime_get_ns();
	int rc = vfio_ap_mdev_start_guest(to_vfio_ap_mdev(vdev));

	vfio_ap_op_done(to_vfio_ap_mdev(vdev), "open", t0, rc);
	return rc;
}

static void vfio_ap_mdev_close_device(struct vfio_device *vdev)
{
	u64 t0 = ktime_get_ns();

	vfio_ap_mig_reset(to_vfio_ap_mdev(vdev));
	vfio_ap_mdev_stop_guest(to_vfio_ap_mdev(vdev));
	vfio_ap_op_done(to_vfio_ap_mdev(vdev), "close", t0, 0);
}

static int vfio_ap_mdev_get_info(unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_info, num_irqs);
	struct vfio_device_info info;

	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	info.flags = VFIO_DEVICE_FLAGS_AP | VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = 0;
	info.num_irqs = VFIO_AP_IRQS;
	return copy_to_user((void __user *)arg, &info, minsz) ? -EFAULT : 0;
}

static int vfio_ap_mdev_get_irq_info(unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;

	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_AP_IRQS)
		return -EINVAL;
	info.flags = VFIO_IRQ_INFO_EVENTFD;
	info.count = 1;
	return copy_to_user((void __user *)arg, &info, minsz) ? -EFAULT : 0;
}

/* Install, replace (fd >= 0) or release (fd == -1) an eventfd. */
static int vfio_ap_mdev_set_trigger(struct vfio_ap_mdev *mdev,
				    unsigned int index, s32 fd)
{
	struct eventfd_ctx *ctx = NULL;

	if (fd < -1)
		return -EINVAL;
	if (fd >= 0) {
		ctx = eventfd_ctx_fdget(fd);
		if (IS_ERR(ctx))
			return PTR_ERR(ctx);
	}
	guard(mutex)(&vfio_ap_lock);
	if (mdev->triggers[index])
		eventfd_ctx_put(mdev->triggers[index]);
	mdev->triggers[index] = ctx;
	return 0;
}

/*
 * VFIO_DEVICE_SET_IRQS: each index has one interrupt, so start is 0 and
 * count at most 1. ACTION_TRIGGER with DATA_EVENTFD installs, replaces or
 * (fd -1) releases the eventfd; with DATA_NONE and count 0 it releases
 * it. Anything else is EINVAL.
 */
static int vfio_ap_mdev_set_irqs(struct vfio_ap_mdev *mdev, unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set hdr;
	size_t data_size = 0;
	s32 fd;
	int rc;

	if (copy_from_user(&hdr, (void __user *)arg, minsz))
		return -EFAULT;
	rc = vfio_set_irqs_validate_and_prepare(&hdr, 1, VFIO_AP_IRQS,
						&data_size);
	if (rc)
		return rc;
	if ((hdr.flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) !=
	    VFIO_IRQ_SET_ACTION_TRIGGER)
		return -EINVAL;
	if ((hdr.flags & VFIO_IRQ_SET_DATA_TYPE_MASK) == VFIO_IRQ_SET_DATA_NONE &&
	    !hdr.count)
		return vfio_ap_mdev_set_trigger(mdev, hdr.index, -1);
	if ((hdr.flags & VFIO_IRQ_SET_DATA_TYPE_MASK) !=
	    VFIO_IRQ_SET_DATA_EVENTFD || hdr.count != 1 ||
	    data_size != sizeof(fd))
		return -EINVAL;
	if (copy_from_user(&fd, (void __user *)(arg + minsz), sizeof(fd)))
		return -EFAULT;
	return vfio_ap_mdev_set_trigger(mdev, hdr.index, fd);
}

static long vfio_ap_mdev_ioctl(struct vfio_device *vdev, unsigned int cmd,
			       unsigned long arg)
{
	struct vfio_ap_mdev *mdev = to_vfio_ap_mdev(vdev);

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return vfio_ap_mdev_get_info(arg);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return vfio_ap_mdev_get_irq_info(arg);
	case VFIO_DEVICE_SET_IRQS:
		return vfio_ap_mdev_set_irqs(mdev, arg);
	case VFIO_DEVICE_RESET:
		vfio_ap_mig_reset(mdev);
		vfio_ap_mdev_reset(mdev);
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/*
 * The mdev is being removed while in use: take everything away from the
 * guest, tell it, and ask its user to release the device.
 */
static void vfio_ap_mdev_request(struct vfio_device *vdev, unsigned int count)
{
	struct vfio_ap_mdev *mdev = to_vfio_ap_mdev(vdev);

	if (count == 0)
		vfio_ap_mdev_removing(mdev);
	guard(mutex)(&vfio_ap_lock);
	if (mdev->triggers[VFIO_AP_IRQ_REQ]) {
		if (!(count % 10))
			dev_notice(vdev->dev, "asking the user to release the device (%u)\n",
				   count);
		vfio_ap_mdev_signal_locked(mdev, VFIO_AP_IRQ_REQ);
	} else if (count == 0) {
		dev_notice(vdev->dev, "removal waits until the device is released\n");
	}
}

/* The guest unmaps part of its RAM: what lives there is released. */
static void vfio_ap_mdev_dma_unmap(struct vfio_device *vdev, u64 iova,
				   u64 length)
{
	vfio_ap_irq_dma_unmap(to_vfio_ap_mdev(vdev), iova, length);
}

static int vfio_ap_mdev_init_dev(struct vfio_device *vdev)
{
	struct vfio_ap_mdev *mdev = to_vfio_ap_mdev(vdev);

	INIT_LIST_HEAD(&mdev->node);
	strscpy(mdev->name, dev_name(vdev->dev), sizeof(mdev->name));
	ap_matrix_clear(&mdev->assigned);
	ap_matrix_clear(&mdev->view);
	vfio_ap_mig_init(mdev);
	return 0;
}

static const struct vfio_device_ops vfio_ap_mdev_ops = {
	.name = "vfio-ap-mdev",
	.init = vfio_ap_mdev_init_dev,
	.open_device = vfio_ap_mdev_open_device,
	.close_device = vfio_ap_mdev_close_device,
	.ioctl = vfio_ap_mdev_ioctl,
	.request = vfio_ap_mdev_request,
	.dma_unmap = vfio_ap_mdev_dma_unmap,
	.bind_iommufd = vfio_iommufd_emulated_bind,
	.unbind_iommufd = vfio_iommufd_emulated_unbind,
	.attach_ioas = vfio_iommufd_emulated_attach_ioas,
	.detach_ioas = vfio_iommufd_emulated_detach_ioas,
};

static int vfio_ap_mdev_probe(struct mdev_device *mdev_dev)
{
	u64 t0 = ktime_get_ns(), t1;
	struct vfio_ap_mdev *mdev;
	int rc;

	mdev = vfio_alloc_device(vfio_ap_mdev, vdev, &mdev_dev->dev,
				 &vfio_ap_mdev_ops);
	if (IS_ERR(mdev))
		return PTR_ERR(mdev);
	rc = vfio_ap_registry_add(mdev);
	if (rc) {
		vfio_put_device(&mdev->vdev);
		return rc;
	}
	t1 = ktime_get_ns();
	rc = vfio_register_emulated_iommu_dev(&mdev->vdev);
	/* What of the creation is the VFIO core's, for make bench. */
	vfio_ap_op_done(mdev, "create_vfio_core", t1, rc);
	if (rc)
		goto err_remove;
	vfio_ap_guest_debugfs_init(mdev);
	dev_set_drvdata(&mdev_dev->dev, mdev);
	vfio_ap_op_done(mdev, "create", t0, 0);
	return 0;

err_remove:
	vfio_ap_registry_remove(mdev);
	vfio_put_device(&mdev->vdev);
	return rc;
}

static void vfio_ap_mdev_remove(struct mdev_device *mdev_dev)
{
	struct vfio_ap_mdev *mdev = dev_get_drvdata(&mdev_dev->dev);
	u64 t0 = ktime_get_ns();

	/* Waits for the guest's user to close the device. */
	vfio_unregister_group_dev(&mdev->vdev);
	vfio_ap_op_done(mdev, "remove_vfio_core", t0, 0);
	vfio_ap_guest_debugfs_exit(mdev);
	vfio_ap_registry_remove(mdev);
	vfio_ap_op_done(mdev, "remove", t0, 0);
	vfio_put_device(&mdev->vdev);
}

/*
 * The mdev core's own count of available instances is not given back
 * when a creation fails after the count was taken (6.12), so vfio_ap
 * counts its mdevs itself and the probe refuses one too many.
 */
static unsigned int vfio_ap_mdev_get_available(struct mdev_type *mtype)
{
	return vfio_ap_registry_available();
}

static struct mdev_driver vfio_ap_mdev_driver = {
	.device_api = VFIO_DEVICE_API_AP_STRING,
	.get_available = vfio_ap_mdev_get_available,
	.driver = {
		.name = "vfio_ap_mdev",
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
		.dev_groups = vfio_ap_mdev_groups,
	},
	.probe = vfio_ap_mdev_probe,
	.remove = vfio_ap_mdev_remove,
};

/**
 * vfio_ap_mdev_register() - offer mdevs of type vfio_ap-passthrough
 * @parent: the matrix device
 *
 * Return: 0 or a negative errno.
 */
int vfio_ap_mdev_register(struct device *parent)
{
	int rc;

	rc = mdev_register_driver(&vfio_ap_mdev_driver);
	if (rc)
		return rc;
	rc = mdev_register_parent(&vfio_ap_parent, parent, &vfio_ap_mdev_driver,
				  vfio_ap_mdev_types,
				  ARRAY_SIZE(vfio_ap_mdev_types));
	if (rc)
		mdev_unregister_driver(&vfio_ap_mdev_driver);
	return rc;
}

/**
 * vfio_ap_mdev_unregister() - remove every mdev and stop offering them
 */
void vfio_ap_mdev_unregister(void)
{
	mdev_unregister_parent(&vfio_ap_parent);
	mdev_unregister_driver(&vfio_ap_mdev_driver);
}
