/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The AP bus: card and queue devices, their drivers, and the host's
 * reservation of queues (apmask/aqmask).
 *
 * The bus creates a card device cardXX for each adapter of the machine's
 * AP configuration and, below it, a queue device XX.YYYY for each usage
 * domain. A queue is reserved for the host's default drivers when its
 * adapter is set in apmask and its domain in aqmask; only default drivers
 * bind reserved queues and only other drivers (vfio_ap) bind the rest.
 */
#ifndef _AP_BUS_H
#define _AP_BUS_H

#include <linux/atomic.h>
#include <linux/cleanup.h>
#include <linux/device.h>
#include <linux/list.h>
#include <linux/mod_devicetable.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <ap/hw.h>
#include <ap/matrix.h>

/**
 * struct ap_card - an adapter
 * @dev: the device, cardXX below /sys/devices/ap
 * @id: adapter id (APID)
 * @raw_type: AP type as the adapter reports it
 * @type: compatible type the drivers match on (10 = CEX4 ... 14 = CEX8)
 * @functions: facility bits, AP_HW_FUNC_*
 * @depth: queue depth
 * @max_msg_size: largest message in bytes
 * @config: the adapter is configured (online to the LPAR)
 * @chkstop: the adapter is check-stopped
 * @request_count: requests its queues accepted since the last reset of
 *	the count
 *
 * @config and @chkstop change only during a bus scan.
 */
struct ap_card {
	struct device dev;
	unsigned int id;
	u8 raw_type;
	u8 type;
	u32 functions;
	unsigned int depth;
	unsigned int max_msg_size;
	bool config;
	bool chkstop;
	atomic64_t request_count;
};

/* What a queue's reset is doing. */
enum ap_queue_reset_state {
	AP_QUEUE_RESET_IDLE,		/* no reset running */
	AP_QUEUE_RESET_RUNNING,		/* issued, polling for completion */
};

/**
 * struct ap_queue - a queue: one usage domain of one adapter
 * @dev: the device, XX.YYYY below its card
 * @card: the adapter
 * @apqn: the queue number
 * @config: the queue is configured
 * @chkstop: the queue is check-stopped
 * @lock: protects the reset state below
 * @reset_state: AP_QUEUE_RESET_*
 * @reset_zeroize: the running reset zeroizes
 * @reset_reissue: issue the reset again once the queue settles
 * @reset_rc: response code of the last finished reset
 * @reset_start: jiffies when the running reset was issued
 * @reset_ns: ktime_get_ns() then, for the reset_end tracepoint
 * @reset_notice: jiffies of the last progress message
 * @reset_work: polls the running reset for completion
 * @reset_wq: woken when a reset finishes
 * @msg_lock: protects the message state below (message.c)
 * @msg_open: the queue accepts requests: a host default driver has it
 * @msg_irq: the machine answered the last instruction with interrupts
 *	enabled: replies are signalled, not only polled for
 * @msg_node: in the list of queues that accept requests
 * @requestq: requests not yet sent (NQAP)
 * @pendingq: requests sent, waiting for their replies (DQAP)
 * @requestq_count: the length of @requestq
 * @pendingq_count: the length of @pendingq
 * @msg_buf: receives each reply, card->max_msg_size bytes
 * @request_count: requests accepted since the last reset of the count
 */
struct ap_queue {
	struct device dev;
	struct ap_card *card;
	apqn_t apqn;
	bool config;
	bool chkstop;
	spinlock_t lock;	/* protects the reset state */
	enum ap_queue_reset_state reset_state;
	bool reset_zeroize;
	bool reset_reissue;
	u8 reset_rc;
	unsigned long reset_start;
	u64 reset_ns;
	unsigned long reset_notice;
	struct delayed_work reset_work;
	wait_queue_head_t reset_wq;
	spinlock_t msg_lock;	/* protects the message state */
	bool msg_open;
	bool msg_irq;
	struct list_head msg_node;
	struct list_head requestq;
	struct list_head pendingq;
	unsigned int requestq_count;
	unsigned int pendingq_count;
	void *msg_buf;
	atomic64_t request_count;
};

/* Where a request is. */
enum ap_message_state {
	AP_MSG_NEW,		/* not handed to a queue */
	AP_MSG_QUEUED,		/* on the queue's requestq */
	AP_MSG_PENDING,		/* sent, on its pendingq */
	AP_MSG_DONE,		/* ended: @rc and the reply are final */
};

/**
 * struct ap_message - a request to an AP queue, and its reply
 * @list: on the queue's requestq or pendingq
 * @psmid: the message id, unique while the request lives
 * @msg: the request
 * @len: its length
 * @reply: receives the reply
 * @bufsize: room at @reply
 * @reply_len: the reply's length, once ended with 0
 * @rc: once ended: 0 (@reply holds the reply), -EMSGSIZE (the reply did
 *	not fit), -EINVAL (the machine refused the request), or -EAGAIN
 *	(it was not answered: its queue was reset, check-stopped,
 *	deconfigured, taken off line or given up by its driver, or failed;
 *	another queue may take it)
 * @state: AP_MSG_*, under the queue's msg_lock
 * @done: called once when the request ends, under the queue's msg_lock;
 *	may not sleep
 * @private: the sender's
 */
struct ap_message {
	struct list_head list;
	u64 psmid;
	const void *msg;
	size_t len;
	void *reply;
	size_t bufsize;
	size_t reply_len;
	int rc;
	enum ap_message_state state;
	void (*done)(struct ap_message *m);
	void *private;
};

/* Why the requests of a queue end unanswered (statistics, trace). */
enum ap_flush_reason {
	AP_FLUSH_RESET,		/* the queue is reset */
	AP_FLUSH_CHKSTOP,	/* it is check-stopped */
	AP_FLUSH_DECONFIG,	/* it is deconfigured */
	AP_FLUSH_UNBIND,	/* its driver lets it go */
	AP_FLUSH_OFFLINE,	/* its driver took it off line */
	AP_FLUSH_ERROR,		/* the machine answered an error */
	AP_FLUSH_REASONS,
};

#define to_ap_card(d)	container_of(d, struct ap_card, dev)
#define to_ap_queue(d)	container_of(d, struct ap_queue, dev)

bool ap_device_is_card(const struct device *dev);
bool ap_device_is_queue(const struct device *dev);

/* AP driver flags */
#define AP_DRIVER_DEFAULT	0x01	/* a host default driver (zcrypt) */

/* What an AP driver binds. */
enum ap_driver_kind {
	AP_DRIVER_CARD,
	AP_DRIVER_QUEUE,
};

/**
 * struct ap_driver - a driver of AP cards or queues
 * @driver: the driver core's part; set .name (and .owner via the
 *          registration macro)
 * @kind: binds cards or queues
 * @min_type: lowest compatible AP type bound
 * @max_type: highest compatible AP type bound
 * @flags: AP_DRIVER_*
 * @probe: bind a device; may fail with a negative errno
 * @remove: unbind a device
 * @in_use: would giving the queues @reserved (APM x AQM) to the host,
 *          or to another driver, take a queue this driver hands out?
 *          Asked with the bus's reservation lock held, before a mask
 *          change that reserves them is committed, and before a queue's
 *          driver_override gives it to another driver; true vetoes the
 *          change (-EADDRINUSE).
 * @on_config_changed: the machine's configuration changes from @old to
 *          @new; called during a scan before devices are added or
 *          removed. Deconfigured adapters are not in the configuration.
 * @on_scan_complete: the scan that changed the configuration from @old
 *          to @new has added and removed all devices.
 */
struct ap_driver {
	struct device_driver driver;
	enum ap_driver_kind kind;
	u8 min_type;
	u8 max_type;
	unsigned int flags;
	int (*probe)(struct device *dev);
	void (*remove)(struct device *dev);
	bool (*in_use)(const struct ap_matrix *reserved);
	void (*on_config_changed)(const struct ap_matrix *old,
				  const struct ap_matrix *new);
	void (*on_scan_complete)(const struct ap_matrix *old,
				 const struct ap_matrix *new);
};

#define to_ap_driver(d)	container_of(d, struct ap_driver, driver)

int __ap_driver_register(struct ap_driver *drv, struct module *owner);
#define ap_driver_register(drv) __ap_driver_register(drv, THIS_MODULE)
void ap_driver_unregister(struct ap_driver *drv);

/* The host's reservation of queues. */
void ap_perms_lock(void);
void ap_perms_unlock(void);
DEFINE_LOCK_GUARD_0(ap_perms, ap_perms_lock(), ap_perms_unlock())
bool ap_perms_reserved_locked(const struct ap_matrix *m,
			      struct ap_matrix *reserved);
bool ap_perms_apqn_reserved(apqn_t apqn);
bool ap_perms_apqn_reserved_locked(apqn_t apqn);
const char *ap_perms_apqn_reserver_locked(apqn_t apqn);

/* The machine's configuration as of the last scan. */
void ap_bus_get_config(struct ap_matrix *cfg, struct ap_limits *limits);
int ap_bus_rescan(void);
int ap_bus_default_domain(void);

char *ap_card_type_name(u8 type, u32 functions, char *buf, size_t size);

struct ap_queue *ap_queue_get(apqn_t apqn);

/* Queue resets: asynchronous, waited for with progress messages. */
/* Why a queue is reset, for the ap_queue_reset_begin tracepoint. */
enum ap_queue_reset_reason {
	AP_RESET_USER,		/* its reset file was written */
	AP_RESET_UNBIND,	/* its driver let it go */
	AP_RESET_CLEAN,		/* unclean before a driver binds it */
	AP_RESET_GUEST,		/* it left a guest */
};

int ap_queue_reset(struct ap_queue *q, bool zeroize,
		   enum ap_queue_reset_reason why);
u8 ap_queue_reset_wait(struct ap_queue *q);
int ap_queue_reset_wait_killable(struct ap_queue *q);
u8 ap_queue_reset_result(struct ap_queue *q);
bool ap_queue_reset_busy(struct ap_queue *q);

/* The message path (message.c). */
int ap_queue_msg_open(struct ap_queue *q);
int ap_queue_message(struct ap_queue *q, struct ap_message *m);
bool ap_cancel_message(struct ap_queue *q, struct ap_message *m);
void ap_queue_flush(struct ap_queue *q, enum ap_flush_reason why);
void ap_queue_msg_counts(struct ap_queue *q, unsigned int *requestq,
			 unsigned int *pendingq);

#if IS_ENABLED(CONFIG_KUNIT)
/* What /sys/bus/ap/apmask and aqmask do, for the KUnit tests. */
ssize_t ap_perms_show_mask(bool apmask, char *buf);
ssize_t ap_perms_store_mask(bool apmask, const char *buf, size_t count);
#endif

#endif /* _AP_BUS_H */
