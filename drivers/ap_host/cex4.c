// SPDX-License-Identifier: GPL-2.0
/*
 * The host's default AP drivers: cex4card and cex4queue.
 *
 * They bind every CEX4 or newer card, and every queue of such a card that
 * apmask and aqmask reserve for the host, and give them the attributes
 * tools read from zcrypt devices: the card's type (CEX5C, CEX8A, ...),
 * its serial number and, for EP11 cards, firmware levels; the online
 * state of cards and queues; the master key verification patterns of
 * queues; each card's and queue's load, its requests in flight. A bound
 * queue is opened to the bus's requests (zcrypt.c sends them) and gets
 * its interrupts enabled when the facility can; taking it off line ends
 * its requests unanswered; the bus ends them, and resets and zeroizes
 * the queue, when it is unbound.
 *
 * ap_host_lock protects: the online state of every card and queue bound
 * here, and their driver data. It is taken by the online files and by
 * probe and remove, never together with a device lock taken here: an
 * online write must not wait for a device lock that an unbind holds
 * while it removes that very file.
 */

#define pr_fmt(fmt) "ap_host: " fmt

#include <linux/bits.h>
#include <linux/device.h>
#include <linux/hex.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <ap/bus.h>
#include "ap_host.h"

/* Interruption subclass the host's queues signal on. */
#define AP_HOST_ISC	6

/**
 * struct ap_host_dev - the driver's state of a card or queue
 * @online: the administrator's choice: the device may be online. It is
 *	online (accepts requests, were there any) while also configured and
 *	not check-stopped; see ap_host_show_online().
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
	/* A queue taken off line answers none of its requests. */
	if (!online && ap_device_is_queue(dev))
		ap_queue_flush(to_ap_queue(dev), AP_FLUSH_OFFLINE);
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

/*
 * What online reads: the stored choice, and only while the device is
 * configured and not check-stopped. A device configured off reads 0 and
 * comes back online, without a write, once configured on again.
 */
static ssize_t ap_host_show_online(struct device *dev, char *buf,
				   struct ap_driver *drv, bool usable)
{
	struct ap_host_dev *st;

	guard(mutex)(&ap_host_lock);
	st = ap_host_state_locked(dev, drv);
	if (!st)
		return -ENODEV;
	return sysfs_emit(buf, "%d\n", usable && st->online);
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

/* Configured and not check-stopped: what online needs besides the choice. */
static bool ap_host_card_usable(const struct ap_card *card)
{
	return READ_ONCE(card->config) && !READ_ONCE(card->chkstop);
}

static bool ap_host_queue_usable(const struct ap_queue *q)
{
	return READ_ONCE(q->config) && !READ_ONCE(q->chkstop);
}

static ssize_t card_online_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return ap_host_show_online(dev, buf, &ap_host_card_driver,
				   ap_host_card_usable(to_ap_card(dev)));
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
	if (online && !ap_host_card_usable(card))
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

/**
 * ap_host_load() - a queue's requests in flight: queued and pending
 * @q: the queue
 *
 * Return: their number.
 */
unsigned int ap_host_load(struct ap_queue *q)
{
	unsigned int requestq, pendingq;

	ap_queue_msg_counts(q, &requestq, &pendingq);
	return requestq + pendingq;
}

static int ap_host_add_load(struct device *dev, void *data)
{
	if (ap_device_is_queue(dev))
		*(unsigned int *)data += ap_host_load(to_ap_queue(dev));
	return 0;
}

/* load: the requests in flight, of the queue or of the card's queues. */
static ssize_t load_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	unsigned int load = 0;

	if (ap_device_is_queue(dev))
		load = ap_host_load(to_ap_queue(dev));
	else
		device_for_each_child(dev, &load, ap_host_add_load);
	return sysfs_emit(buf, "%u\n", load);
}
static DEVICE_ATTR_RO(load);

static struct attribute *ap_host_card_attrs[] = {
	&dev_attr_type.attr,
	&dev_attr_card_online.attr,
	&dev_attr_load.attr,
	NULL
};

static ssize_t queue_online_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	return ap_host_show_online(dev, buf, &ap_host_queue_driver,
				   ap_host_queue_usable(to_ap_queue(dev)));
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
	if (online && (!ap_host_queue_usable(q) ||
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

/*
 * Firmware queries. The host asks a coprocessor's firmware through one of
 * its own queues only: bound here, online, configured and not
 * check-stopped; a query that cannot be sent shows as an empty line, as
 * zcrypt shows it.
 */
static int ap_host_fw_query_locked(struct device *dev,
				   struct ap_hw_fw_info *info)
{
	struct ap_queue *q = to_ap_queue(dev);
	struct ap_host_dev *st;

	st = ap_host_state_locked(dev, &ap_host_queue_driver);
	if (!st || !st->online || !ap_host_queue_usable(q))
		return -ENODEV;
	return ap_hw_fw_query(q->apqn, info);
}

static int ap_host_card_query_one(struct device *dev, void *data)
{
	return ap_device_is_queue(dev) && !ap_host_fw_query_locked(dev, data);
}

/* The card's firmware, asked through the first of its queues that answers. */
static int ap_host_card_query(struct device *dev, struct ap_hw_fw_info *info)
{
	guard(mutex)(&ap_host_lock);
	if (!ap_host_state_locked(dev, &ap_host_card_driver))
		return -ENODEV;
	return device_for_each_child(dev, info, ap_host_card_query_one) ?
	       0 : -ENODEV;
}

static int ap_host_queue_query(struct device *dev, struct ap_hw_fw_info *info)
{
	guard(mutex)(&ap_host_lock);
	return ap_host_fw_query_locked(dev, info);
}

/*
 * The mode of a firmware attribute of a device whose card has @functions:
 * EP11 coprocessors have them all, CCA coprocessors only @cca_attr,
 * accelerators none.
 */
static umode_t ap_host_fw_mode(u32 functions, struct attribute *attr,
			       const struct attribute *cca_attr)
{
	if (functions & AP_HW_FUNC_EP11 ||
	    (functions & AP_HW_FUNC_CCA && attr == cca_attr))
		return attr->mode;
	return 0;
}

/* EP11 operational modes by bit number, as zcrypt names them. */
static const char * const ap_host_ep11_modes[] = {
	"FIPS2009", "BSI2009", "FIPS2011", "BSI2011", "SIGG-IMPORT", "SIGG",
	"BSICC2017", "FIPS2021", "FIPS2024",
};

static ssize_t ap_host_show_op_modes(char *buf, int rc, u32 modes)
{
	unsigned int i;
	int n = 0;

	for (i = 0; !rc && i < ARRAY_SIZE(ap_host_ep11_modes); i++)
		if (modes & BIT(i))
			n += sysfs_emit_at(buf, n, "%s%s", n ? " " : "",
					   ap_host_ep11_modes[i]);
	return n + sysfs_emit_at(buf, n, "\n");
}

/* EP11 cards and their queues: the modes, asked through @dev. */
static ssize_t op_modes_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct ap_hw_fw_info info;
	int rc;

	if (ap_device_is_card(dev))
		rc = ap_host_card_query(dev, &info);
	else
		rc = ap_host_queue_query(dev, &info);
	return ap_host_show_op_modes(buf, rc, info.op_modes);
}
static DEVICE_ATTR_RO(op_modes);

static ssize_t serialnr_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct ap_hw_fw_info info;
	int rc = ap_host_card_query(dev, &info);

	return sysfs_emit(buf, "%s\n", rc ? "" : info.serial);
}
static DEVICE_ATTR_RO(serialnr);

static ssize_t API_ordinalnr_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	struct ap_hw_fw_info info;

	if (ap_host_card_query(dev, &info))
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "%u\n", info.api_ordinal);
}
static DEVICE_ATTR_RO(API_ordinalnr);

static ssize_t FW_version_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct ap_hw_fw_info info;

	if (ap_host_card_query(dev, &info) || !info.fw_version)
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "%u.%u\n", info.fw_version >> 8,
			  info.fw_version & 0xff);
}
static DEVICE_ATTR_RO(FW_version);

static struct attribute *ap_host_card_fw_attrs[] = {
	&dev_attr_serialnr.attr,
	&dev_attr_API_ordinalnr.attr,
	&dev_attr_FW_version.attr,
	&dev_attr_op_modes.attr,
	NULL
};

/* Coprocessor cards have a serial number; EP11 ones firmware levels too. */
static umode_t ap_host_card_fw_visible(struct kobject *kobj,
				       struct attribute *attr, int n)
{
	u32 functions = READ_ONCE(to_ap_card(kobj_to_dev(kobj))->functions);

	return ap_host_fw_mode(functions, attr, &dev_attr_serialnr.attr);
}

static const struct attribute_group ap_host_card_fw_group = {
	.attrs = ap_host_card_fw_attrs,
	.is_visible = ap_host_card_fw_visible,
};

/*
 * One line "NAME REG: STATE 0xPATTERN" of a master key register; STATE
 * NULL when the firmware could not be asked ("- -"), PATTERN all zero
 * when @vp is NULL.
 */
static int ap_host_emit_mk(char *buf, int n, const char *name,
			   const char *reg, const char *state,
			   const u8 *vp, size_t len)
{
	if (!state)
		return n + sysfs_emit_at(buf, n, "%s %s: - -\n", name, reg);
	n += sysfs_emit_at(buf, n, "%s %s: %s 0x", name, reg, state);
	if (vp) {
		bin2hex(buf + n, vp, len);
		n += 2 * len;
	} else {
		n += sysfs_emit_at(buf, n, "%0*d", (int)(2 * len), 0);
	}
	return n + sysfs_emit_at(buf, n, "\n");
}

/*
 * CCA: the new, current and old registers of the AES, APKA and ASYM
 * master keys; @info NULL if the firmware could not be asked. The
 * domain's key shows in the current registers (valid, with its pattern);
 * a zeroized domain has every register empty or invalid.
 */
static ssize_t ap_host_show_cca_mkvps(char *buf,
				      const struct ap_hw_fw_info *info)
{
	static const struct {
		const char *name;
		unsigned int offset, len;
	} mk[] = { { "AES", 0, 8 }, { "APKA", 8, 8 }, { "ASYM", 16, 16 } };
	bool set = info && info->key_set;
	unsigned int i;
	int n = 0;

	for (i = 0; i < ARRAY_SIZE(mk); i++) {
		n = ap_host_emit_mk(buf, n, mk[i].name, "NEW",
				    info ? "empty" : NULL, NULL, mk[i].len);
		n = ap_host_emit_mk(buf, n, mk[i].name, "CUR",
				    info ? (set ? "valid" : "invalid") : NULL,
				    set ? info->mkvp + mk[i].offset : NULL,
				    mk[i].len);
		n = ap_host_emit_mk(buf, n, mk[i].name, "OLD",
				    info ? "invalid" : NULL, NULL, mk[i].len);
	}
	return n;
}

/*
 * EP11: the current and new wrapping key of the domain; @info NULL if the
 * firmware could not be asked.
 */
static ssize_t ap_host_show_ep11_mkvps(char *buf,
				       const struct ap_hw_fw_info *info)
{
	int n;

	if (!info)
		return sysfs_emit(buf, "WK CUR: - -\nWK NEW: - -\n");
	if (!info->key_set) {
		n = sysfs_emit(buf, "WK CUR: invalid -\n");
	} else {
		n = sysfs_emit(buf, "WK CUR: valid 0x");
		bin2hex(buf + n, info->mkvp, AP_HW_MKVP_LEN);
		n += 2 * AP_HW_MKVP_LEN;
		n += sysfs_emit_at(buf, n, "\n");
	}
	return n + sysfs_emit_at(buf, n, "WK NEW: empty -\n");
}

static ssize_t mkvps_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	u32 functions = READ_ONCE(to_ap_queue(dev)->card->functions);
	struct ap_hw_fw_info info;
	const struct ap_hw_fw_info *answer;

	answer = ap_host_queue_query(dev, &info) ? NULL : &info;
	if (functions & AP_HW_FUNC_EP11)
		return ap_host_show_ep11_mkvps(buf, answer);
	return ap_host_show_cca_mkvps(buf, answer);
}
static DEVICE_ATTR_RO(mkvps);

static struct attribute *ap_host_queue_fw_attrs[] = {
	&dev_attr_mkvps.attr,
	&dev_attr_op_modes.attr,
	NULL
};

/* Coprocessor queues show their keys' patterns; EP11 ones their modes. */
static umode_t ap_host_queue_fw_visible(struct kobject *kobj,
					struct attribute *attr, int n)
{
	struct ap_queue *q = to_ap_queue(kobj_to_dev(kobj));

	return ap_host_fw_mode(READ_ONCE(q->card->functions), attr,
			       &dev_attr_mkvps.attr);
}

static const struct attribute_group ap_host_queue_fw_group = {
	.attrs = ap_host_queue_fw_attrs,
	.is_visible = ap_host_queue_fw_visible,
};

static const struct attribute_group ap_host_card_group = {
	.attrs = ap_host_card_attrs,
};

static const struct attribute_group *ap_host_card_groups[] = {
	&ap_host_card_group,
	&ap_host_card_fw_group,
	NULL
};

static const struct attribute_group ap_host_queue_group = {
	.attrs = ap_host_queue_attrs,
};

static const struct attribute_group *ap_host_queue_groups[] = {
	&ap_host_queue_group,
	&ap_host_queue_fw_group,
	NULL
};

static int ap_host_card_probe(struct device *dev)
{
	struct ap_host_dev *st;

	st = devm_kzalloc(dev, sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	st->online = true;
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
		st->online = !card_st || card_st->online;
		dev_set_drvdata(dev, st);
	}
	if (ap_host_queue_usable(q))
		ap_hw_aqic(q->apqn, true, AP_HOST_ISC);
	return ap_queue_msg_open(q);
}

/**
 * ap_host_queue_serves() - does a queue of ours take requests?
 * @q: the queue
 *
 * Return: true if it is bound here, online with its card, configured
 * and not check-stopped.
 */
bool ap_host_queue_serves(struct ap_queue *q)
{
	struct ap_host_dev *st, *card;

	if (!ap_host_queue_usable(q) || !ap_host_card_usable(q->card))
		return false;
	guard(mutex)(&ap_host_lock);
	st = ap_host_state_locked(&q->dev, &ap_host_queue_driver);
	card = ap_host_state_locked(&q->card->dev, &ap_host_card_driver);
	return st && st->online && card && card->online;
}

/**
 * ap_host_queues() - the driver of the host's queues, cex4queue
 *
 * Return: its driver core part, to walk the queues bound to it.
 */
struct device_driver *ap_host_queues(void)
{
	return &ap_host_queue_driver.driver;
}

/**
 * ap_host_zcrypt_type() - the type zcrypt's status requests report
 * @card: the adapter
 *
 * Return: 10 for a CEX4, 11 for a CEX5, 12 for a CEX6 or later.
 */
u8 ap_host_zcrypt_type(const struct ap_card *card)
{
	return min_t(u8, card->type, AP_HW_TYPE_CEX4 + 2);
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
		goto err_card;
	rc = ap_host_zcrypt_init();
	if (rc)
		goto err_queue;
	return 0;

err_queue:
	ap_driver_unregister(&ap_host_queue_driver);
err_card:
	ap_driver_unregister(&ap_host_card_driver);
	return rc;
}

static void __exit ap_host_exit(void)
{
	ap_host_zcrypt_exit();
	ap_driver_unregister(&ap_host_queue_driver);
	ap_driver_unregister(&ap_host_card_driver);
}

module_init(ap_host_init);
module_exit(ap_host_exit);

MODULE_DESCRIPTION("Host default drivers for AP cards and queues");
MODULE_LICENSE("GPL");
