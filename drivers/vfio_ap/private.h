/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Declarations shared by the files of the vfio_ap module.
 *
 * vfio_ap_mig_lock (migration.c), taken first, serialises the migration
 * states and data files of every mdev.
 * vfio_ap_lock protects: the list of mdevs, the APQN index of
 * assignments, the table of queues bound to vfio_ap, every field of
 * struct vfio_ap_mdev and struct vfio_ap_queue marked "locked", the
 * host configuration copy, and each mdev's guest context. Order: the AP
 * bus's reservation lock (ap_perms), then vfio_ap_lock, then the
 * machine's locks for guest contexts (kvm->lock on IBM Z, the simulator's
 * lock). Queues that leave a guest are reset and zeroized:
 * the resets are started under vfio_ap_lock and the queues kept out of
 * every view until they are done; the operation waits for them after it
 * releases vfio_ap_lock (scrub.c). See Documentation/locking.rst.
 */
#ifndef _VFIO_AP_PRIVATE_H
#define _VFIO_AP_PRIVATE_H

#include <linux/eventfd.h>
#include <linux/list.h>
#include <linux/mdev.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/xarray.h>
#include <linux/uuid.h>
#include <linux/vfio.h>
#include <ap/bus.h>
#include <ap/hw.h>
#include <ap/matrix.h>
#include <uapi/ap/vfio_ap.h>

#define VFIO_AP_DRV_NAME	"vfio_ap"

extern struct mutex vfio_ap_lock;

/* registry.c's state, all under vfio_ap_lock */
extern struct list_head vfio_ap_mdevs;	/* every mdev */
extern struct xarray vfio_ap_owners;	/* APQN -> mdev it is assigned to */
extern struct xarray vfio_ap_queues;	/* APQN -> queue bound to vfio_ap */
extern struct ap_matrix vfio_ap_host;	/* configuration the views use */

/**
 * struct vfio_ap_mdev - a mediated matrix device
 * @vdev: the VFIO device
 * @node: in the list of mdevs (locked)
 * @name: the mdev's UUID, for messages
 * @assigned: adapters, domains, control domains assigned (locked)
 * @view: what a guest gets: the shadow CRYCB, kept up to date whether or
 *        not a guest runs (locked)
 * @guest: the machine's context of the guest using the device, or NULL
 *         (locked)
 * @updates: how many times the guest's CRYCB was loaded after the first
 *           (locked)
 * @loaded: the masks last loaded into the guest's CRYCB, for the trace
 *          (locked)
 * @triggers: eventfds of the request and config-change IRQs (locked)
 * @debugfs: its directory in debugfs
 * @removing: the mdev is being removed: its view stays empty (locked)
 * @vm: the VM using the device (its KVM guest, or the opening process's
 *      mm in a simulated world), or NULL (locked)
 * @aqic_hook: the handler of the guest's PQAP(AQIC) (irq.c)
 * @irqs: APQN -> struct vfio_ap_irq of each queue whose interrupts the
 *        guest enabled (locked)
 * @pinned: pages pinned for the guest's notification bytes (locked)
 * @iscs: ISC registrations held in the guest's GISA (locked)
 * @mig_state: the VFIO migration state (under vfio_ap_mig_lock)
 * @mig_file: the data file of the migration in progress, or NULL (under
 *            vfio_ap_mig_lock)
 * @mig_grown: the stream this device took gives its guest less than its
 *             view here: the guest is told of a configuration change when
 *             it runs (under vfio_ap_mig_lock)
 */
struct vfio_ap_mdev {
	struct vfio_device vdev;
	struct list_head node;
	char name[UUID_STRING_LEN + 1];
	struct ap_matrix assigned;
	struct ap_matrix view;
	struct ap_hw_guest *guest;
	unsigned long updates;
	struct ap_matrix loaded;
	struct eventfd_ctx *triggers[VFIO_AP_IRQS];
	struct dentry *debugfs;
	bool removing;
	void *vm;
	struct ap_hw_aqic_hook aqic_hook;
	struct xarray irqs;
	unsigned long pinned;
	unsigned long iscs;
	enum vfio_device_mig_state mig_state;
	struct vfio_ap_mig_file *mig_file;
	bool mig_grown;
};

/**
 * struct vfio_ap_queue - a queue bound to vfio_ap
 * @q: the AP bus's queue
 * @mdev: the mdev the queue is assigned to, or NULL (locked)
 * @scrubbing: it left a guest and its reset is not known done yet: no
 *             view may have it (locked)
 */
struct vfio_ap_queue {
	struct ap_queue *q;
	struct vfio_ap_mdev *mdev;
	bool scrubbing;
};

/**
 * struct vfio_ap_scrub - queues whose reset an operation waits for
 * @q: the queues, each with a device reference
 * @n: how many
 * @size: room in @q
 */
struct vfio_ap_scrub {
	struct ap_queue **q;
	unsigned int n;
	unsigned int size;
};

typedef int (*vfio_ap_apqn_fn)(apqn_t apqn, void *ctx);

/* registry.c: the state, with vfio_ap_lock held where _locked says so */
/* At most one mdev per APQN: each needs one to be of any use. */
#define VFIO_AP_MAX_MDEVS	(AP_IDS * AP_IDS)

int vfio_ap_registry_add(struct vfio_ap_mdev *mdev);
unsigned int vfio_ap_registry_available(void);
void vfio_ap_registry_remove(struct vfio_ap_mdev *mdev);
int vfio_ap_walk_gained(const struct ap_matrix *from,
			const struct ap_matrix *to, vfio_ap_apqn_fn fn,
			void *ctx);
int vfio_ap_mdev_assign_locked(struct vfio_ap_mdev *mdev, int what,
			       unsigned long id, bool assign,
			       struct vfio_ap_scrub *scrub);
int vfio_ap_mdev_set_config_locked(struct vfio_ap_mdev *mdev,
				   const struct ap_matrix *m,
				   struct vfio_ap_scrub *scrub);
void vfio_ap_mdev_update_locked(struct vfio_ap_mdev *mdev,
				struct vfio_ap_scrub *scrub);
void vfio_ap_mdev_reset_view_locked(struct vfio_ap_mdev *mdev,
				    struct vfio_ap_scrub *scrub, bool gone);
int vfio_ap_mdev_assign(struct vfio_ap_mdev *mdev, int what, unsigned long id,
			bool assign);
int vfio_ap_mdev_set_config(struct vfio_ap_mdev *mdev,
			    const struct ap_matrix *m);
int vfio_ap_mdev_start_guest(struct vfio_ap_mdev *mdev);
void vfio_ap_mdev_stop_guest(struct vfio_ap_mdev *mdev);
void vfio_ap_mdev_reset(struct vfio_ap_mdev *mdev);
void vfio_ap_mdev_removing(struct vfio_ap_mdev *mdev);
bool vfio_ap_mdev_view_locked(struct vfio_ap_mdev *mdev,
			      struct ap_matrix *view);
bool vfio_ap_usable(void *ctx, unsigned int apid, unsigned int apqi);
int vfio_ap_queue_add(struct ap_queue *q);
void vfio_ap_queue_remove(struct ap_queue *q);
const char *vfio_ap_queue_status(struct ap_queue *q);
bool vfio_ap_in_use(const struct ap_matrix *reserved);
void vfio_ap_config_changed(const struct ap_matrix *old,
			    const struct ap_matrix *new);
void vfio_ap_scan_complete(const struct ap_matrix *new);
void vfio_ap_registry_init(void);

/* What vfio_ap_mdev_assign_locked() assigns. */
#define VFIO_AP_ADAPTER		0
#define VFIO_AP_DOMAIN		1
#define VFIO_AP_CONTROL_DOMAIN	2

/* scrub.c: resets of queues that leave a guest */
void vfio_ap_scrub_left_locked(const struct ap_matrix *from,
			       const struct ap_matrix *to,
			       struct vfio_ap_scrub *s, bool mark);
void vfio_ap_scrub_stop(void);
void vfio_ap_scrub_dirty_locked(struct vfio_ap_scrub *s);
void vfio_ap_scrub_finish(struct vfio_ap_scrub *s);

/* bench.c: reference costs for make bench */
void vfio_ap_bench_debugfs_init(struct dentry *root);

/* check.c: the invariants */
int vfio_ap_check(struct seq_file *s);
void vfio_ap_check_debugfs_init(struct dentry *root);

/* guest.c: the guests' contexts in the machine */
int vfio_ap_guest_attach_locked(struct vfio_ap_mdev *mdev);
void vfio_ap_guest_detach_locked(struct vfio_ap_mdev *mdev);
void vfio_ap_guest_push_locked(struct vfio_ap_mdev *mdev,
			       const struct ap_matrix *masks);
bool vfio_ap_guest_crycb(struct vfio_ap_mdev *mdev, struct ap_matrix *crycb,
			 unsigned long *updates);
void vfio_ap_guest_debugfs_init(struct vfio_ap_mdev *mdev);
void vfio_ap_guest_debugfs_exit(struct vfio_ap_mdev *mdev);
int vfio_ap_debugfs_init(void);
void vfio_ap_debugfs_exit(void);

/* irq.c: the guest's interrupts */
void vfio_ap_irq_start(struct vfio_ap_mdev *mdev);
void vfio_ap_irq_stop(struct vfio_ap_mdev *mdev);
void vfio_ap_irq_left_locked(struct vfio_ap_mdev *mdev,
			     const struct ap_matrix *view);
void vfio_ap_irq_dma_unmap(struct vfio_ap_mdev *mdev, u64 iova, u64 length);
void vfio_ap_irq_show_locked(struct seq_file *s, struct vfio_ap_mdev *mdev);
bool vfio_ap_irq_state_locked(struct vfio_ap_mdev *mdev, apqn_t apqn,
			      u8 *isc, u64 *nib);
struct ap_hw_status vfio_ap_irq_restore_locked(struct vfio_ap_mdev *mdev,
					       apqn_t apqn, u8 isc, u64 nib);

/* migration.c: VFIO migration; mig_config.c: what it moves */
void vfio_ap_mig_init(struct vfio_ap_mdev *mdev);
void vfio_ap_mig_reset(struct vfio_ap_mdev *mdev);
int vfio_ap_mig_describe(struct vfio_ap_mdev *mdev, u8 **bufp, size_t *lenp);
int vfio_ap_mig_resume(struct vfio_ap_mdev *mdev, const u8 *buf, size_t len,
		       bool *grown);

/* mdev.c: the mediated devices and their VFIO interface */
int vfio_ap_mdev_register(struct device *parent);
void vfio_ap_mdev_unregister(void);
void vfio_ap_mdev_signal_locked(struct vfio_ap_mdev *mdev, unsigned int irq);

/* sysfs.c */
extern const struct attribute_group *vfio_ap_mdev_groups[];
void vfio_ap_op_done(struct vfio_ap_mdev *mdev, const char *op, u64 t0,
		     int rc);

/* queue.c */
int vfio_ap_queue_driver_register(void);
void vfio_ap_queue_driver_unregister(void);

#endif /* _VFIO_AP_PRIVATE_H */
