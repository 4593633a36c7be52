// SPDX-License-Identifier: GPL-2.0
/*
 * AP card devices (cardXX) and their sysfs attributes.
 *
 * Cards are created and removed only by the bus scan (scan.c), which also
 * updates their config and chkstop state. The host's default card driver
 * binds them; the masks do not apply to cards.
 */

#define pr_fmt(fmt) "ap: " fmt

#include <linux/device.h>
#include <linux/kstrtox.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include "internal.h"

static ssize_t hwtype_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%u\n", to_ap_card(dev)->type);
}
static DEVICE_ATTR_RO(hwtype);

static ssize_t raw_hwtype_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", to_ap_card(dev)->raw_type);
}
static DEVICE_ATTR_RO(raw_hwtype);

static ssize_t depth_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%u\n", to_ap_card(dev)->depth);
}
static DEVICE_ATTR_RO(depth);

static ssize_t ap_functions_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "0x%08X\n", to_ap_card(dev)->functions);
}
static DEVICE_ATTR_RO(ap_functions);

static ssize_t modalias_show(struct device *dev,
			     struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "ap:t%02X\n", to_ap_card(dev)->type);
}
static DEVICE_ATTR_RO(modalias);

static ssize_t config_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%d\n", to_ap_card(dev)->config);
}

/*
 * Writing 1 configures the adapter on, 0 configures it off (SCLP
 * Configure / Deconfigure Adjunct Processor). The bus rescans before the
 * write returns, so config reads back the new state and guests have been
 * updated. The rescan runs without the file's active reference: a scan
 * may remove this very card.
 */
static ssize_t config_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	struct ap_card *card = to_ap_card(dev);
	struct kernfs_node *kn;
	unsigned int on;
	int rc;

	rc = kstrtouint(buf, 10, &on);
	if (rc || on > 1 || ap_sysfs_has_nul(buf, count))
		return -EINVAL;
	if (READ_ONCE(card->config) == on)
		return count;
	rc = ap_hw_configure(card->id, on);
	if (rc)
		return rc;
	kn = sysfs_break_active_protection(&dev->kobj, &attr->attr);
	ap_bus_rescan();
	if (kn)
		sysfs_unbreak_active_protection(kn);
	return count;
}
static DEVICE_ATTR_RW(config);

static ssize_t chkstop_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", to_ap_card(dev)->chkstop);
}
static DEVICE_ATTR_RO(chkstop);

static ssize_t max_msg_size_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", to_ap_card(dev)->max_msg_size);
}
static DEVICE_ATTR_RO(max_msg_size);

static struct attribute *ap_card_attrs[] = {
	&dev_attr_hwtype.attr,
	&dev_attr_raw_hwtype.attr,
	&dev_attr_depth.attr,
	&dev_attr_ap_functions.attr,
	&dev_attr_modalias.attr,
	&dev_attr_config.attr,
	&dev_attr_chkstop.attr,
	&dev_attr_max_msg_size.attr,
	NULL
};

static const struct attribute_group ap_card_group = {
	.attrs = ap_card_attrs,
};

static const struct attribute_group *ap_card_groups[] = {
	&ap_card_group,
	&ap_counters_group,
	NULL
};

static void ap_card_release(struct device *dev)
{
	kfree(to_ap_card(dev));
}

const struct device_type ap_card_type = {
	.name = "ap_card",
	.groups = ap_card_groups,
	.release = ap_card_release,
};

/**
 * ap_card_type_name() - the name of an adapter type, as lszcrypt shows it
 * @type: the compatible AP type
 * @functions: facility bits; their mode decides the letter
 * @buf: receives the name, for example "CEX5C", "CEX8A" or "CEX7P"
 * @size: size of @buf
 *
 * Types before CEX4 have their mode in the type (CEX3A = 8, CEX3C = 9).
 *
 * Return: @buf.
 */
char *ap_card_type_name(u8 type, u32 functions, char *buf, size_t size)
{
	char mode = '?';

	if (type >= AP_HW_TYPE_CEX4) {
		if (functions & AP_HW_FUNC_CCA)
			mode = 'C';
		else if (functions & AP_HW_FUNC_ACCEL)
			mode = 'A';
		else if (functions & AP_HW_FUNC_EP11)
			mode = 'P';
		snprintf(buf, size, "CEX%u%c", type - 6, mode);
	} else if (type >= 6) {
		snprintf(buf, size, "CEX%u%c", type / 2 - 1, type & 1 ? 'C' : 'A');
	} else {
		snprintf(buf, size, "UNKNOWN");
	}
	return buf;
}
EXPORT_SYMBOL_GPL(ap_card_type_name);

/**
 * ap_card_compat_type() - the type drivers match an adapter on
 * @raw: the AP type the adapter reports
 *
 * Types newer than the newest known one are treated as that one.
 *
 * Return: the compatible type.
 */
u8 ap_card_compat_type(u8 raw)
{
	return min_t(u8, raw, AP_HW_TYPE_MAX);
}

/**
 * ap_card_create() - register the card device of an adapter
 * @id: the adapter id
 * @info: what TAPQ told about one of its queues
 * @config: the adapter is configured
 * @chkstop: the adapter is check-stopped
 *
 * Context: the bus scan.
 * Return: the card, or an ERR_PTR.
 */
struct ap_card *ap_card_create(unsigned int id,
			       const struct ap_hw_queue_info *info,
			       bool config, bool chkstop)
{
	struct ap_card *card;
	int rc;

	card = kzalloc(sizeof(*card), GFP_KERNEL);
	if (!card)
		return ERR_PTR(-ENOMEM);
	card->id = id;
	card->raw_type = info->type;
	card->type = ap_card_compat_type(info->type);
	card->functions = info->functions;
	card->depth = info->depth;
	card->max_msg_size = info->max_msg_size;
	card->config = config;
	card->chkstop = chkstop;
	device_initialize(&card->dev);
	card->dev.bus = &ap_bus_type;
	card->dev.type = &ap_card_type;
	card->dev.parent = ap_root_device;
	rc = dev_set_name(&card->dev, "card%02x", id);
	if (!rc)
		rc = device_add(&card->dev);
	if (rc) {
		put_device(&card->dev);
		return ERR_PTR(rc);
	}
	return card;
}

/**
 * ap_card_update() - bring a card up to date with its adapter
 * @card: the card
 * @info: what TAPQ tells about the adapter now
 * @config: the adapter is configured
 * @chkstop: the adapter is check-stopped
 *
 * Sends a CONFIG= change uevent when @config changed.
 *
 * Context: the bus scan.
 * Return: false if the adapter's type changed: drivers matched the old
 * one, so the card must be removed and created again.
 */
bool ap_card_update(struct ap_card *card, const struct ap_hw_queue_info *info,
		    bool config, bool chkstop)
{
	if (card->raw_type != info->type)
		return false;
	WRITE_ONCE(card->functions, info->functions);
	WRITE_ONCE(card->chkstop, chkstop);
	if (card->config != config) {
		WRITE_ONCE(card->config, config);
		ap_device_config_uevent(&card->dev, config);
	}
	return true;
}
