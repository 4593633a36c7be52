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
 * ap_host_lock protects: the online state of every card and queue bound
 * here, and their driver data. It is taken by the online files and by
 * probe and remove, never together with a device lock taken here: an
 * online write must not wait for a device lock that an unbind holds
 * while it removes that very file.
 */

#define pr_fmt(fmt) "ap_host: " fmt

#include <linux/device.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
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

static DEFINE_MUTEX(ap_host_lock);
static struct ap_driver ap_host_card_driver;
static struct ap_driver ap_host_queue_driver;

static void ap_host_online_uevent(struct device *dev, bool online)
{
	char *envp[2];

	envp[0] = online ? "ONLINE=1" : "ONLINE=0";
	envp[1] = NULL;
	kobject_uevent_env(&dev->kobj, KOBJ_CHANGE, envp);
}

/* Our state of @dev if @drv has it bound, else NULL. */
static struct ap_host_dev *ap_host_state_locked(struct device *dev,
						struct ap_driver *drv)
{
	lockdep_assert_held(&ap_host_lock);
	if (dev->driver != &drv->driver)
		return NULL;
	return dev_get_drvdata(dev);
}

static void ap_host_set_online_locked(struct device *dev,
				      struct ap_host_dev *st, bool online)
{
	lockdep_assert_held(&ap_host_lock);
	if (st->online == online)
		return;
	st->online = online;
	ap_host_online_uevent(dev, online);
}

static int ap_host_queue_follow_card(struct device *dev, void *data)
{
	struct ap_host_dev *st = ap_host_state_locked(dev,
						      &ap_host_queue_driver);

	if (st)
		ap_host_set_online_locked(dev, st, *(bool *)data);
	return 0;
}

static ssize_t ap_host_show_online(struct device *dev, char *buf,
				   struct ap_driver *drv)
{
	struct ap_host_dev *st;

	guard(mutex)(&ap_host_lock);
	st = ap_host_state_locked(dev, drv);
	if (!st)
		return -ENODEV;
	return sysfs_emit(buf, "%d\n", st->online);
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
	return ap_host_show_online(dev, buf, &ap_host_card_driver);
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
	struct ap_host_dev *st;
	unsigned int v;
	bool online;

	if (kstrtouint(buf, 10, &v) || v > 1 || strnlen(buf, count) != count)
		return -EINVAL;
	online = v;
	if (online && (!READ_ONCE(card->config) || READ_ONCE(card->chkstop)))
		return -ENODEV;
	guard(mutex)(&ap_host_lock);
	st = ap_host_state_locked(dev, &ap_host_card_driver);
	if (!st)
		return -ENODEV;
	ap_host_set_online_locked(dev, st, online);
	device_for_each_child(dev, &online, ap_host_queue_follow_card);
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
	return ap_host_show_online(dev, buf, &ap_host_queue_driver);
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
	struct ap_host_dev *st, *card;
	unsigned int v;
	bool online;

	if (kstrtouint(buf, 10, &v) || v > 1 || strnlen(buf, count) != count)
		return -EINVAL;
	online = v;
	if (online && (!READ_ONCE(q->config) || READ_ONCE(q->chkstop) ||
		       !READ_ONCE(q->card->config)))
		return -ENODEV;
	guard(mutex)(&ap_host_lock);
	st = ap_host_state_locked(dev, &ap_host_queue_driver);
	if (!st)
		return -ENODEV;
	card = ap_host_state_locked(&q->card->dev, &ap_host_card_driver);
	if (online && (!card || !card->online))
		return -EINVAL;
	ap_host_set_online_locked(dev, st, online);
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
	scoped_guard(mutex, &ap_host_lock)
		dev_set_drvdata(dev, st);
	return 0;
}

static void ap_host_remove(struct device *dev)
{
	guard(mutex)(&ap_host_lock);
	dev_set_drvdata(dev, NULL);
}

static int ap_host_queue_probe(struct device *dev)
{
	struct ap_queue *q = to_ap_queue(dev);
	struct ap_host_dev *st, *card_st;

	st = devm_kzalloc(dev, sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	scoped_guard(mutex, &ap_host_lock) {
		/* Only cex4card sets a card's driver data. */
		card_st = dev_get_drvdata(&q->card->dev);
		/* The queue of a card taken offline starts offline. */
		st->online = q->config && !q->chkstop &&
			     (!card_st || card_st->online);
		dev_set_drvdata(dev, st);
	}
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
	.remove = ap_host_remove,
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
	.remove = ap_host_remove,
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
