// SPDX-License-Identifier: GPL-2.0
/*
 * The AP bus: bus type, root device, driver registration, probing with
 * the ownership rule, rebinding after a mask change, bindings accounting
 * and the module's life cycle.
 *
 * Ownership: a queue device with a driver_override may be bound by the
 * driver it names only; any other by a default driver exactly when it is
 * reserved for the host (adapter in apmask, domain in aqmask), and by any
 * other driver exactly when it is not. Card devices are not subject to
 * the masks and have no override.
 *
 * Lock order (see Documentation/locking.rst): ap_hw_mutex, then the scan
 * mutex, then device locks, then ap_perms_mutex, then drivers' locks.
 * ap_bus_lock is a leaf spinlock for the binding counters.
 */

#define pr_fmt(fmt) "ap: " fmt

#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/export.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <trace/events/ap_bus.h>
#include "internal.h"

struct device *ap_root_device;

static DEFINE_SPINLOCK(ap_bus_lock);
static unsigned int ap_bus_queues;	/* queue devices registered */
static unsigned int ap_bus_bound;	/* queue devices with a driver */
static bool ap_bus_complete;		/* all were bound at the last check */
static unsigned int ap_bus_complete_count;

bool ap_device_is_card(const struct device *dev)
{
	return dev->type == &ap_card_type;
}
EXPORT_SYMBOL_GPL(ap_device_is_card);

bool ap_device_is_queue(const struct device *dev)
{
	return dev->type == &ap_queue_type;
}
EXPORT_SYMBOL_GPL(ap_device_is_queue);

static u8 ap_bus_device_hwtype(const struct device *dev)
{
	if (ap_device_is_card(dev))
		return to_ap_card(dev)->type;
	return to_ap_queue(dev)->card->type;
}

/*
 * device_match_driver_override() of the driver core, with the lock taken
 * and released in the open, where sparse can follow it: > 0 if the
 * device's override names @drv, 0 if it names another, < 0 without one.
 */
static int ap_bus_override_match(struct device *dev,
				 const struct device_driver *drv)
{
	int rc = -1;

	spin_lock(&dev->driver_override.lock);
	if (dev->driver_override.name)
		rc = !strcmp(dev->driver_override.name, drv->name);
	spin_unlock(&dev->driver_override.lock);
	return rc;
}

static int ap_bus_match(struct device *dev, const struct device_driver *drv)
{
	const struct ap_driver *ap_drv = to_ap_driver(drv);
	u8 type = ap_bus_device_hwtype(dev);

	/* A queue with a driver_override matches only the driver it names. */
	if (!ap_bus_override_match(dev, drv))
		return 0;
	if (ap_drv->kind != (ap_device_is_card(dev) ? AP_DRIVER_CARD :
						       AP_DRIVER_QUEUE))
		return 0;
	return type >= ap_drv->min_type && type <= ap_drv->max_type;
}

static int ap_bus_uevent_dev(const struct device *dev,
			     struct kobj_uevent_env *env)
{
	u8 type;
	int rc;

	if (dev == ap_root_device)
		return 0;	/* the root device: no DEV_TYPE, no MODALIAS */
	type = ap_bus_device_hwtype(dev);
	rc = add_uevent_var(env, "DEV_TYPE=%04X", type);
	if (!rc)
		rc = add_uevent_var(env, "MODALIAS=ap:t%02X", type);
	return rc;
}

/*
 * ap_bus_owner_ok() - may @drv own queue @q under its driver_override or
 * the current masks?
 */
static bool ap_bus_owner_ok(struct ap_queue *q, const struct ap_driver *drv)
{
	return ap_perms_owner_ok(q->apqn, drv);
}

static void ap_bus_count_binding(int delta)
{
	scoped_guard(spinlock, &ap_bus_lock)
		ap_bus_bound += delta;
}

static int ap_bus_probe(struct device *dev)
{
	struct ap_driver *drv = to_ap_driver(dev->driver);
	int rc;

	if (ap_device_is_queue(dev)) {
		struct ap_queue *q = to_ap_queue(dev);

		if (!ap_bus_owner_ok(q, drv))
			return -ENODEV;
		/*
		 * A new owner never sees a queue with a reset in flight, nor
		 * one whose last zeroize did not happen; the next scan tries
		 * again.
		 */
		if (!ap_queue_make_clean(q)) {
			dev_notice_ratelimited(dev, "not zeroized (response code 0x%02x): no driver may bind it yet\n",
					       ap_queue_reset_result(q));
			return -ENODEV;
		}
	}
	rc = drv->probe(dev);
	if (rc)
		return rc;
	if (ap_device_is_queue(dev)) {
		trace_ap_queue_bind(to_ap_queue(dev)->apqn, drv->driver.name);
		ap_bus_count_binding(1);
		ap_bus_check_bindings();
	}
	return 0;
}

static void ap_bus_remove(struct device *dev)
{
	struct ap_driver *drv = to_ap_driver(dev->driver);

	/* Its requests end before it leaves its driver. */
	if (ap_device_is_queue(dev))
		ap_queue_msg_close(to_ap_queue(dev));
	if (drv->remove)
		drv->remove(dev);
	if (ap_device_is_queue(dev)) {
		trace_ap_queue_unbind(to_ap_queue(dev)->apqn, drv->driver.name);
		ap_bus_count_binding(-1);
		/* Nothing of the old owner stays in the queue. */
		ap_queue_remove_reset(to_ap_queue(dev));
	}
}

const struct bus_type ap_bus_type = {
	.name = "ap",
	.bus_groups = ap_bus_groups,
	.match = ap_bus_match,
	.uevent = ap_bus_uevent_dev,
	.probe = ap_bus_probe,
	.remove = ap_bus_remove,
};

/*
 * ap_bus_uevent_vars() - send a change uevent from the AP root device
 * with the NULL-terminated list of "VAR=value" strings @vars.
 */
static void ap_bus_uevent_vars(char **vars)
{
	kobject_uevent_env(&ap_root_device->kobj, KOBJ_CHANGE, vars);
}

/**
 * ap_bus_uevent() - send a change uevent VAR=VALUE from the AP root device
 * @var: the variable name
 * @value: its value
 */
void ap_bus_uevent(const char *var, const char *value)
{
	char *envp[2];

	envp[0] = kasprintf(GFP_KERNEL, "%s=%s", var, value);
	envp[1] = NULL;
	if (envp[0])
		ap_bus_uevent_vars(envp);
	kfree(envp[0]);
}

/**
 * ap_device_config_uevent() - announce a card's or queue's new config state
 * @dev: the card or queue device
 * @config: configured (true) or not
 */
void ap_device_config_uevent(struct device *dev, bool config)
{
	char *envp[2];

	envp[0] = config ? "CONFIG=1" : "CONFIG=0";
	envp[1] = NULL;
	kobject_uevent_env(&dev->kobj, KOBJ_CHANGE, envp);
}

/**
 * ap_bus_queue_registered() - account for a queue device (un)registering
 * @delta: +1 or -1
 */
void ap_bus_queue_registered(int delta)
{
	scoped_guard(spinlock, &ap_bus_lock)
		ap_bus_queues += delta;
}

unsigned int ap_bus_bound_queues(void)
{
	unsigned int n;

	spin_lock(&ap_bus_lock);
	n = ap_bus_bound;
	spin_unlock(&ap_bus_lock);
	return n;
}

unsigned int ap_bus_total_queues(void)
{
	unsigned int n;

	spin_lock(&ap_bus_lock);
	n = ap_bus_queues;
	spin_unlock(&ap_bus_lock);
	return n;
}

/**
 * ap_bus_check_bindings() - announce when every queue device is bound
 *
 * Sends BINDINGS=complete with COMPLETECOUNT=<n> each time the bus
 * passes from "some queue unbound" to "all queues bound", once the first
 * scan is done.
 */
void ap_bus_check_bindings(void)
{
	unsigned int count;
	char *envp[3];

	if (!ap_scan_done_once())
		return;
	scoped_guard(spinlock, &ap_bus_lock) {
		bool now = ap_bus_queues && ap_bus_bound == ap_bus_queues;

		if (now == ap_bus_complete)
			return;
		ap_bus_complete = now;
		if (!now)
			return;
		count = ++ap_bus_complete_count;
	}
	envp[0] = "BINDINGS=complete";
	envp[1] = kasprintf(GFP_KERNEL, "COMPLETECOUNT=%u", count);
	envp[2] = NULL;
	if (envp[1])
		ap_bus_uevent_vars(envp);
	kfree(envp[1]);
}

/**
 * ap_bus_revise_queue() - rebind queue @q if its driver may no longer own
 * it, or probe it if it has none
 * @q: the queue
 *
 * Context: process context, no AP lock held.
 */
void ap_bus_revise_queue(struct ap_queue *q)
{
	struct ap_driver *drv;
	bool ok;

	scoped_guard(device, &q->dev) {
		drv = q->dev.driver ? to_ap_driver(q->dev.driver) : NULL;
		ok = drv && ap_bus_owner_ok(q, drv);
	}
	if (!ok && device_reprobe(&q->dev))
		dev_warn(&q->dev, "rebinding failed\n");
}

/* Revise every registered queue with an APQN in [first, last]. */
static void ap_bus_revise_range(unsigned long first, unsigned long last)
{
	struct ap_queue *q;

	for (; first <= last && (q = ap_queue_get_next(&first, last)); first++) {
		ap_bus_revise_queue(q);
		put_device(&q->dev);
	}
}

/**
 * ap_bus_revise_bindings() - rebind the queues a mask change concerns
 * @apids: the adapters whose apmask bit changed, or NULL
 * @apqis: the domains whose aqmask bit changed, or NULL
 *
 * Each queue of a changed adapter or domain that is bound to a driver
 * that may no longer own it is unbound (its driver's remove runs and the
 * queue is reset and zeroized) and probed again; one without a driver is
 * probed. Other queues are not visited: their owner did not change.
 *
 * Context: process context, no AP lock held.
 */
void ap_bus_revise_bindings(const unsigned long *apids,
			    const unsigned long *apqis)
{
	unsigned int apid, apqi;

	if (apids)
		for_each_set_bit(apid, apids, AP_IDS)
			ap_bus_revise_range(ap_apqn(apid, 0),
					    ap_apqn(apid, AP_IDS - 1));
	if (apqis)
		for (apid = 0; apid < AP_IDS; apid++)
			for_each_set_bit(apqi, apqis, AP_IDS)
				ap_bus_revise_range(ap_apqn(apid, apqi),
						    ap_apqn(apid, apqi));
	ap_bus_check_bindings();
}

/**
 * __ap_driver_register() - register an AP card or queue driver
 * @drv: the driver
 * @owner: its module
 *
 * Existing devices are probed right away.
 *
 * Return: 0 or a negative errno from the driver core.
 */
int __ap_driver_register(struct ap_driver *drv, struct module *owner)
{
	int rc;

	drv->driver.bus = &ap_bus_type;
	drv->driver.owner = owner;
	rc = driver_register(&drv->driver);
	if (!rc)
		ap_bus_check_bindings();
	return rc;
}
EXPORT_SYMBOL_GPL(__ap_driver_register);

/**
 * ap_driver_unregister() - unregister an AP driver
 * @drv: the driver
 *
 * Its devices are unbound (and queues reset and zeroized) first.
 */
void ap_driver_unregister(struct ap_driver *drv)
{
	driver_unregister(&drv->driver);
	ap_bus_check_bindings();
}
EXPORT_SYMBOL_GPL(ap_driver_unregister);

static struct dentry *ap_debugfs_root;

static int __init ap_bus_init(void)
{
	int rc;

	ap_perms_init();
	ap_debugfs_root = debugfs_create_dir("ap", NULL);
	ap_queue_debugfs_init(ap_debugfs_root);
	ap_msg_init(ap_debugfs_root);
	ap_root_device = root_device_register("ap");
	if (IS_ERR(ap_root_device)) {
		debugfs_remove_recursive(ap_debugfs_root);
		return PTR_ERR(ap_root_device);
	}
	rc = bus_register(&ap_bus_type);
	if (rc)
		goto err_unregister_root;
	/*
	 * The driver core sends uevents only for devices of a bus or a
	 * class. The root device is never added to the bus, but naming the
	 * bus lets its change uevents (INITSCAN, BINDINGS, APMASK, AQMASK)
	 * out, with SUBSYSTEM=ap; the name is taken back before the device
	 * is unregistered, so that the driver core does not remove from the
	 * bus what it never added.
	 */
	ap_root_device->bus = &ap_bus_type;
	rc = ap_scan_init();
	if (rc)
		goto err_unregister_bus;
	ap_hw_s390_probe();
	return 0;

err_unregister_bus:
	ap_root_device->bus = NULL;
	bus_unregister(&ap_bus_type);
err_unregister_root:
	root_device_unregister(ap_root_device);
	debugfs_remove_recursive(ap_debugfs_root);
	return rc;
}

static void __exit ap_bus_exit(void)
{
	ap_hw_s390_remove();
	ap_scan_exit();
	ap_msg_exit();
	ap_root_device->bus = NULL;
	bus_unregister(&ap_bus_type);
	root_device_unregister(ap_root_device);
	debugfs_remove_recursive(ap_debugfs_root);
	ap_perms_exit();
}

module_init(ap_bus_init);
module_exit(ap_bus_exit);

MODULE_DESCRIPTION("AP bus core: adapters, queues and their ownership");
MODULE_LICENSE("GPL");
