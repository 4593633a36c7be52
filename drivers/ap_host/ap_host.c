// SPDX-License-Identifier: GPL-2.0
/*
 * The host's default AP drivers: cex4card and cex4queue.
 *
 * They bind every CEX4 or newer card, and every queue of such a card that
 * apmask and aqmask reserve for the host, and give them the attributes
 * tools read from zcrypt devices: the card's type (CEX5C, CEX8A, ...) and
 * online state on cards and queues. They process no crypto requests. A
 * bound queue gets its interrupts enabled when the facility can; the bus
 * resets and zeroizes the queue when it is unbound.
 *
 * The online state of a card and its queues is protected by the card's
 * device lock.
 */

#define pr_fmt(fmt) "ap_host: " fmt

#include <linux/device.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <ap/bus.h>

/* Interruption subclass the host's queues signal on. */
#define AP_HOST_ISC	6

/**
 * struct ap_host_dev - the driver's state of a card or queue
 * @online: the device is online (accepts requests, were there any)
 */
struct ap_host_dev {
	bool online;
};

static struct ap_driver ap_host_queue_driver;

static void ap_host_online_uevent(struct device *dev, bool online)
{
	char *envp[2];

	envp[0] = online ? "ONLINE=1" : "ONLINE=0";
	envp[1] = NULL;
	kobject_uevent_env(&dev->kobj, KOBJ_CHANGE, envp);
}

static struct ap_host_dev *ap_host_card_state(struct device *dev)
{
	return dev_get_drvdata(dev);
}

/* Set a queue's online state if it is ours; takes the queue's lock. */
static int ap_host_queue_set_online(struct device *dev, void *data)
{
	bool online = *(bool *)data;
	struct ap_host_dev *st;

	guard(device)(dev);
	if (dev->driver != &ap_host_queue_driver.driver)
		return 0;
	st = dev_get_drvdata(dev);
	if (st->online != online) {
		st->online = online;
		ap_host_online_uevent(dev, online);
	}
	return 0;
}

static ssize_t type_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct ap_card *card = to_ap_card(dev);
	char name[16];

	return sysfs_emit(buf, "%s\n",
			  ap_card_type_name(card->type, READ_ONCE(card->functions),
					    name, sizeof(name)));
}
static DEVICE_ATTR_RO(type);

static ssize_t card_online_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", ap_host_card_state(dev)->online);
}

/*
 * A card goes online only while configured and not check-stopped; taking
 * it off or on line takes its queues with it.
 */
static ssize_t card_online_store(struct device *dev,
				 struct device_attribute *attr,
				 const char *buf, size_t count)
{
	struct ap_card *card = to_ap_card(dev);
	unsigned int v;
	bool online;

	if (kstrtouint(buf, 10, &v) || v > 1)
		return -EINVAL;
	online = v;
	if (online && (!READ_ONCE(card->config) || READ_ONCE(card->chkstop)))
		return -ENODEV;
	guard(device)(dev);
	if (!dev->driver)
		return -ENODEV;
	ap_host_card_state(dev)->online = online;
	ap_host_online_uevent(dev, online);
	device_for_each_child(dev, &online, ap_host_queue_set_online);
	return count;
}

static struct device_attribute dev_attr_card_online =
	__ATTR(online, 0644, card_online_show, card_online_store);

static ssize_t load_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "0\n");
}
static DEVICE_ATTR_RO(load);

static struct attribute *ap_host_card_attrs[] = {
	&dev_attr_type.attr,
	&dev_attr_card_online.attr,
	&dev_attr_load.attr,
	NULL
};
ATTRIBUTE_GROUPS(ap_host_card);

static ssize_t queue_online_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct ap_host_dev *st = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%d\n", st->online);
}

/*
 * A queue goes online only while it and its card are configured and not
 * check-stopped (ENODEV), and its card is online (EINVAL).
 */
static ssize_t queue_online_store(struct device *dev,
				  struct device_attribute *attr,
				  const char *buf, size_t count)
{
	struct ap_queue *q = to_ap_queue(dev);
	struct device *card = &q->card->dev;
	unsigned int v;
	bool online;

	if (kstrtouint(buf, 10, &v) || v > 1)
		return -EINVAL;
	online = v;
	if (online && (!READ_ONCE(q->config) || READ_ONCE(q->chkstop) ||
		       !READ_ONCE(q->card->config)))
		return -ENODEV;
	scoped_guard(device, card) {
		if (online && (!card->driver ||
			       !ap_host_card_state(card)->online))
			return -EINVAL;
	}
	ap_host_queue_set_online(dev, &online);
	return count;
}

static struct device_attribute dev_attr_queue_online =
	__ATTR(online, 0644, queue_online_show, queue_online_store);

static struct attribute *ap_host_queue_attrs[] = {
	&dev_attr_queue_online.attr,
	&dev_attr_load.attr,
	NULL
};
ATTRIBUTE_GROUPS(ap_host_queue);

static int ap_host_card_probe(struct device *dev)
{
	struct ap_card *card = to_ap_card(dev);
	struct ap_host_dev *st;

	st = devm_kzalloc(dev, sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	st->online = card->config && !card->chkstop;
	dev_set_drvdata(dev, st);
	return 0;
}

static int ap_host_queue_probe(struct device *dev)
{
	struct ap_queue *q = to_ap_queue(dev);
	struct ap_host_dev *st;

	st = devm_kzalloc(dev, sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	st->online = q->config && !q->chkstop;
	dev_set_drvdata(dev, st);
	if (q->config && !q->chkstop)
		ap_hw_aqic(q->apqn, true, AP_HOST_ISC);
	return 0;
}

static int ap_host_queue_irq_on(struct device *dev, void *data)
{
	struct ap_queue *q = to_ap_queue(dev);
	struct ap_hw_queue_info info;
	struct ap_hw_status st;

	st = ap_hw_tapq(q->apqn, &info);
	if (st.rc == AP_HW_RC_NORMAL && !st.irq_enabled)
		ap_hw_aqic(q->apqn, true, AP_HOST_ISC);
	return 0;
}

/*
 * An adapter configured on again comes back reset, interrupts disabled:
 * enable them on the queues of ours once the scan that saw it is done.
 */
static void ap_host_scan_complete(const struct ap_matrix *old,
				  const struct ap_matrix *new)
{
	if (driver_for_each_device(&ap_host_queue_driver.driver, NULL, NULL,
				   ap_host_queue_irq_on))
		pr_warn("cannot walk the host's queues\n");
}

static struct ap_driver ap_host_card_driver = {
	.driver = {
		.name = "cex4card",
		.dev_groups = ap_host_card_groups,
		.suppress_bind_attrs = false,
	},
	.kind = AP_DRIVER_CARD,
	.min_type = AP_HW_TYPE_CEX4,
	.max_type = AP_HW_TYPE_MAX,
	.flags = AP_DRIVER_DEFAULT,
	.probe = ap_host_card_probe,
};

static struct ap_driver ap_host_queue_driver = {
	.driver = {
		.name = "cex4queue",
		.dev_groups = ap_host_queue_groups,
	},
	.kind = AP_DRIVER_QUEUE,
	.min_type = AP_HW_TYPE_CEX4,
	.max_type = AP_HW_TYPE_MAX,
	.flags = AP_DRIVER_DEFAULT,
	.probe = ap_host_queue_probe,
	.on_scan_complete = ap_host_scan_complete,
};

static int __init ap_host_init(void)
{
	int rc;

	rc = ap_driver_register(&ap_host_card_driver);
	if (rc)
		return rc;
	rc = ap_driver_register(&ap_host_queue_driver);
	if (rc)
		ap_driver_unregister(&ap_host_card_driver);
	return rc;
}

static void __exit ap_host_exit(void)
{
	ap_driver_unregister(&ap_host_queue_driver);
	ap_driver_unregister(&ap_host_card_driver);
}

module_init(ap_host_init);
module_exit(ap_host_exit);

MODULE_DESCRIPTION("Host default drivers for AP cards and queues");
MODULE_LICENSE("GPL");
