/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Declarations shared by the files of the AP bus module.
 */
#ifndef _AP_INTERNAL_H
#define _AP_INTERNAL_H

#include <linux/device.h>
#include <linux/string.h>
#include <ap/bus.h>

extern const struct bus_type ap_bus_type;
extern struct device *ap_root_device;
extern const struct attribute_group *ap_bus_groups[];
extern const struct attribute_group ap_counters_group;
extern const struct device_type ap_card_type;
extern const struct device_type ap_queue_type;

/* A sysfs write with a NUL byte inside is never well-formed. */
static inline bool ap_sysfs_has_nul(const char *buf, size_t count)
{
	return strnlen(buf, count) != count;
}

/* bus.c */
void ap_bus_uevent(const char *var, const char *value);
void ap_device_config_uevent(struct device *dev, bool config);
void ap_bus_queue_registered(int delta);
void ap_bus_check_bindings(void);
void ap_bus_revise_queue(struct ap_queue *q);
void ap_bus_revise_bindings(const unsigned long *apids,
			    const unsigned long *apqis);
unsigned int ap_bus_bound_queues(void);
unsigned int ap_bus_total_queues(void);

/* perms.c */
int ap_perms_init(void);
#if !IS_ENABLED(CONFIG_KUNIT)
ssize_t ap_perms_show_mask(bool apmask, char *buf);
ssize_t ap_perms_store_mask(bool apmask, const char *buf, size_t count);
#endif
bool ap_perms_domain_reserved(unsigned int apqi);
unsigned long ap_perms_generation(void);
void ap_perms_exit(void);
bool ap_perms_owner_ok(apqn_t apqn, const struct ap_driver *drv);
ssize_t ap_perms_show_override(apqn_t apqn, char *buf);
ssize_t ap_perms_store_override(struct ap_queue *q, const char *buf,
				size_t count);
void ap_perms_apply_override(struct ap_queue *q);

/* card.c */
u8 ap_card_compat_type(u8 raw);
struct ap_card *ap_card_create(unsigned int id,
			       const struct ap_hw_queue_info *info,
			       bool config, bool chkstop);
bool ap_card_update(struct ap_card *card, const struct ap_hw_queue_info *info,
		    bool config, bool chkstop);

/* queue.c */
struct ap_queue *ap_queue_create(struct ap_card *card, unsigned int apqi,
				 bool config, bool chkstop);
void ap_queue_update(struct ap_queue *q, bool config, bool chkstop);
void ap_queue_destroy(struct ap_queue *q);
struct ap_queue *ap_queue_get_next(unsigned long *apqn, unsigned long last);
void ap_queue_remove_reset(struct ap_queue *q);
bool ap_queue_unclean(apqn_t apqn);
bool ap_queue_make_clean(struct ap_queue *q);
void ap_queue_debugfs_init(struct dentry *root);
u64 ap_queue_poll_timeout(void);
void ap_queue_set_poll_timeout(u64 ns);

/* message.c */
void ap_msg_init(struct dentry *root);
void ap_msg_exit(void);
void ap_msg_irq(void);
void ap_queue_msg_init(struct ap_queue *q);
void ap_queue_msg_close(struct ap_queue *q);
int ap_msg_set_poll_thread(bool on);
bool ap_msg_poll_thread(void);

/* scan.c */
int ap_scan_init(void);
void ap_scan_exit(void);
u64 ap_scan_count(void);
bool ap_scan_done_once(void);
bool ap_scan_hw_config(struct ap_hw_config *cfg);
int ap_scan_default_domain(void);
int ap_scan_set_default_domain(unsigned long apqi);
unsigned int ap_scan_config_time(void);
void ap_scan_soon(void);
int ap_scan_set_config_time(unsigned int seconds);

/* hw.c */
bool ap_hw_irq_capable(void);
bool ap_hw_host_irq_capable(void);

/* hw_s390.c */
#ifdef CONFIG_S390
bool ap_hw_s390_probe(void);
void ap_hw_s390_remove(void);
#else
static inline bool ap_hw_s390_probe(void)
{
	return false;
}

static inline void ap_hw_s390_remove(void)
{
}
#endif

#endif /* _AP_INTERNAL_H */
