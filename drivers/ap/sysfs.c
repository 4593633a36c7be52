// SPDX-License-Identifier: GPL-2.0
/*
 * Attributes of the AP bus, /sys/bus/ap/: straight-line wrappers around
 * the reservation (perms.c), the scans (scan.c) and the queue resets
 * (queue.c); and the request counters every card and queue device has.
 * Formats follow what lszcrypt, chzcrypt, chzdev and mdevctl read; see
 * Documentation/ABI/testing/sysfs-bus-ap.
 */

#define pr_fmt(fmt) "ap: " fmt

#include <linux/device.h>
#include <linux/kstrtox.h>
#include <linux/sysfs.h>
#include "internal.h"

/* Highest poll_timeout accepted, in nanoseconds (two minutes). */
#define AP_SYSFS_POLL_TIMEOUT_MAX	120000000000ULL

static ssize_t ap_domain_show(const struct bus_type *bus, char *buf)
{
	return sysfs_emit(buf, "%d\n", ap_scan_default_domain());
}

static ssize_t ap_domain_store(const struct bus_type *bus, const char *buf,
			       size_t count)
{
	unsigned long apqi;
	int rc;

	rc = ap_id_parse(buf, count, &apqi);
	if (!rc)
		rc = ap_scan_set_default_domain(apqi);
	return rc ?: count;
}
static BUS_ATTR_RW(ap_domain);

/* The LPAR's masks as the last scan read them. */
static ssize_t ap_sysfs_show_hw_mask(char *buf, int which)
{
	char text[AP_MASK_STRLEN + 1];
	struct ap_hw_config hw;
	const unsigned long *masks[] = { hw.masks.apm, hw.masks.aqm,
					 hw.masks.adm };

	if (!ap_scan_hw_config(&hw))
		return sysfs_emit(buf, "not supported\n");
	ap_mask_format(masks[which], text, sizeof(text));
	return sysfs_emit(buf, "%s\n", text);
}

static ssize_t ap_adapter_mask_show(const struct bus_type *bus, char *buf)
{
	return ap_sysfs_show_hw_mask(buf, 0);
}
static BUS_ATTR_RO(ap_adapter_mask);

static ssize_t ap_usage_domain_mask_show(const struct bus_type *bus,
					 char *buf)
{
	return ap_sysfs_show_hw_mask(buf, 1);
}
static BUS_ATTR_RO(ap_usage_domain_mask);

static ssize_t ap_control_domain_mask_show(const struct bus_type *bus,
					   char *buf)
{
	return ap_sysfs_show_hw_mask(buf, 2);
}
static BUS_ATTR_RO(ap_control_domain_mask);

/* Replies of the host's queues are signalled, not only polled for. */
static ssize_t ap_interrupts_show(const struct bus_type *bus, char *buf)
{
	return sysfs_emit(buf, "%d\n", ap_hw_host_irq_capable());
}
static BUS_ATTR_RO(ap_interrupts);

static ssize_t config_time_show(const struct bus_type *bus, char *buf)
{
	return sysfs_emit(buf, "%u\n", ap_scan_config_time());
}

static ssize_t config_time_store(const struct bus_type *bus, const char *buf,
				 size_t count)
{
	unsigned int secs;
	int rc;

	if (ap_sysfs_has_nul(buf, count))
		return -EINVAL;
	rc = kstrtouint(buf, 10, &secs);
	if (!rc)
		rc = ap_scan_set_config_time(secs);
	return rc ? -EINVAL : count;
}
static BUS_ATTR_RW(config_time);

/*
 * poll_thread: 1 while the poll thread makes the message path's passes
 * (see message.c); writing starts or stops it.
 */
static ssize_t poll_thread_show(const struct bus_type *bus, char *buf)
{
	return sysfs_emit(buf, "%d\n", ap_msg_poll_thread());
}

static ssize_t poll_thread_store(const struct bus_type *bus, const char *buf,
				 size_t count)
{
	bool on;
	int rc;

	if (ap_sysfs_has_nul(buf, count) || kstrtobool(buf, &on))
		return -EINVAL;
	rc = ap_msg_set_poll_thread(on);
	return rc ? rc : count;
}
static BUS_ATTR_RW(poll_thread);

static ssize_t poll_timeout_show(const struct bus_type *bus, char *buf)
{
	return sysfs_emit(buf, "%llu\n", ap_queue_poll_timeout());
}

static ssize_t poll_timeout_store(const struct bus_type *bus, const char *buf,
				  size_t count)
{
	unsigned long long ns;

	if (ap_sysfs_has_nul(buf, count) || kstrtoull(buf, 0, &ns) || !ns ||
	    ns > AP_SYSFS_POLL_TIMEOUT_MAX)
		return -EINVAL;
	ap_queue_set_poll_timeout(ns);
	return count;
}
static BUS_ATTR_RW(poll_timeout);

static ssize_t ap_max_domain_id_show(const struct bus_type *bus, char *buf)
{
	struct ap_limits limits;

	ap_bus_get_config(NULL, &limits);
	return sysfs_emit(buf, "%u\n", limits.max_apqi);
}
static BUS_ATTR_RO(ap_max_domain_id);

static ssize_t ap_max_adapter_id_show(const struct bus_type *bus, char *buf)
{
	struct ap_limits limits;

	ap_bus_get_config(NULL, &limits);
	return sysfs_emit(buf, "%u\n", limits.max_apid);
}
static BUS_ATTR_RO(ap_max_adapter_id);

static ssize_t apmask_show(const struct bus_type *bus, char *buf)
{
	return ap_perms_show_mask(true, buf);
}

static ssize_t apmask_store(const struct bus_type *bus, const char *buf,
			    size_t count)
{
	return ap_perms_store_mask(true, buf, count);
}
static BUS_ATTR_RW(apmask);

static ssize_t aqmask_show(const struct bus_type *bus, char *buf)
{
	return ap_perms_show_mask(false, buf);
}

static ssize_t aqmask_store(const struct bus_type *bus, const char *buf,
			    size_t count)
{
	return ap_perms_store_mask(false, buf, count);
}
static BUS_ATTR_RW(aqmask);

static ssize_t scans_show(const struct bus_type *bus, char *buf)
{
	return sysfs_emit(buf, "%llu\n", ap_scan_count());
}

/* Any write scans the bus and returns when the scan is done. */
static ssize_t scans_store(const struct bus_type *bus, const char *buf,
			   size_t count)
{
	ap_bus_rescan();
	return count;
}
static BUS_ATTR_RW(scans);

static ssize_t bindings_show(const struct bus_type *bus, char *buf)
{
	unsigned int bound = ap_bus_bound_queues();
	unsigned int total = ap_bus_total_queues();

	if (ap_scan_done_once() && total && bound == total)
		return sysfs_emit(buf, "%u/%u (complete)\n", bound, total);
	return sysfs_emit(buf, "%u/%u\n", bound, total);
}
static BUS_ATTR_RO(bindings);

static ssize_t features_show(const struct bus_type *bus, char *buf)
{
	static const char * const names[] = { "APSC", "APXA", "QACT", "RC8A",
					      "APSB" };
	struct ap_hw_config hw;
	unsigned int i;
	int n = 0;

	if (!ap_scan_hw_config(&hw))
		return sysfs_emit(buf, "-\n");
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (hw.flags & BIT(i))
			n += sysfs_emit_at(buf, n, "%s%s", n ? " " : "",
					   names[i]);
	return n + sysfs_emit_at(buf, n, n ? "\n" : "-\n");
}
static BUS_ATTR_RO(features);

static struct attribute *ap_bus_attrs[] = {
	&bus_attr_ap_domain.attr,
	&bus_attr_ap_adapter_mask.attr,
	&bus_attr_ap_usage_domain_mask.attr,
	&bus_attr_ap_control_domain_mask.attr,
	&bus_attr_ap_interrupts.attr,
	&bus_attr_config_time.attr,
	&bus_attr_poll_thread.attr,
	&bus_attr_poll_timeout.attr,
	&bus_attr_ap_max_domain_id.attr,
	&bus_attr_ap_max_adapter_id.attr,
	&bus_attr_apmask.attr,
	&bus_attr_aqmask.attr,
	&bus_attr_scans.attr,
	&bus_attr_bindings.attr,
	&bus_attr_features.attr,
	NULL
};

static const struct attribute_group ap_bus_group = {
	.attrs = ap_bus_attrs,
};

const struct attribute_group *ap_bus_groups[] = {
	&ap_bus_group,
	NULL
};

/*
 * The request counters of a card and of its queues: requests accepted
 * (a write of anything resets the count, of a card with its queues'),
 * requests waiting to be sent, and requests sent and not answered.
 */
struct ap_sysfs_counts {
	u64 requests;
	unsigned int requestq;
	unsigned int pendingq;
};

static void ap_sysfs_queue_counts(struct ap_queue *q,
				  struct ap_sysfs_counts *c)
{
	unsigned int requestq, pendingq;

	ap_queue_msg_counts(q, &requestq, &pendingq);
	c->requests += atomic64_read(&q->request_count);
	c->requestq += requestq;
	c->pendingq += pendingq;
}

static int ap_sysfs_child_counts(struct device *dev, void *data)
{
	if (ap_device_is_queue(dev))
		ap_sysfs_queue_counts(to_ap_queue(dev), data);
	return 0;
}

static void ap_sysfs_counts(struct device *dev, struct ap_sysfs_counts *c)
{
	memset(c, 0, sizeof(*c));
	if (ap_device_is_queue(dev)) {
		ap_sysfs_queue_counts(to_ap_queue(dev), c);
		return;
	}
	device_for_each_child(dev, c, ap_sysfs_child_counts);
	c->requests = atomic64_read(&to_ap_card(dev)->request_count);
}

static ssize_t request_count_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	struct ap_sysfs_counts c;

	ap_sysfs_counts(dev, &c);
	return sysfs_emit(buf, "%llu\n", c.requests);
}

static int ap_sysfs_reset_count(struct device *dev, void *data)
{
	if (ap_device_is_queue(dev))
		atomic64_set(&to_ap_queue(dev)->request_count, 0);
	return 0;
}

static ssize_t request_count_store(struct device *dev,
				   struct device_attribute *attr,
				   const char *buf, size_t count)
{
	if (ap_device_is_queue(dev)) {
		ap_sysfs_reset_count(dev, NULL);
		return count;
	}
	atomic64_set(&to_ap_card(dev)->request_count, 0);
	device_for_each_child(dev, NULL, ap_sysfs_reset_count);
	return count;
}
static DEVICE_ATTR_RW(request_count);

static ssize_t requestq_count_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	struct ap_sysfs_counts c;

	ap_sysfs_counts(dev, &c);
	return sysfs_emit(buf, "%u\n", c.requestq);
}
static DEVICE_ATTR_RO(requestq_count);

static ssize_t pendingq_count_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	struct ap_sysfs_counts c;

	ap_sysfs_counts(dev, &c);
	return sysfs_emit(buf, "%u\n", c.pendingq);
}
static DEVICE_ATTR_RO(pendingq_count);

static struct attribute *ap_counters_attrs[] = {
	&dev_attr_request_count.attr,
	&dev_attr_requestq_count.attr,
	&dev_attr_pendingq_count.attr,
	NULL
};

/* The request counters, a group of every card and queue device. */
const struct attribute_group ap_counters_group = {
	.attrs = ap_counters_attrs,
};
