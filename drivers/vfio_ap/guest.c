// SPDX-License-Identifier: GPL-2.0
/*
 * The guest side: what vfio_ap gives the machine for a running guest.
 *
 * When the mdev's VFIO device is opened, vfio_ap asks the machine for a
 * guest context (on IBM Z the KVM guest's CRYCB) and loads the mdev's
 * view into it; every later change of the view is loaded again. vfio_ap
 * knows only what each guest should have. What a guest's AP instructions
 * actually reach is decided by the machine from the CRYCB it holds, and
 * the invariant checker (check.c) compares the two.
 *
 * DOC: vfio_ap debugfs interface
 *
 * /sys/kernel/debug/vfio_ap/<uuid>/guest (read) exists for every mdev:
 * "none" while no guest uses it; else "context ID", the machine's number
 * of the guest context, and "updates N", how many times vfio_ap loaded
 * the guest's CRYCB after the first time.
 *
 * /sys/kernel/debug/vfio_ap/<uuid>/irqs (read): "pinned N", the pages
 * vfio_ap holds pinned for the guest's notification bytes, "iscs N", the
 * ISC registrations it holds in the guest's GISA, then one line per
 * queue whose interrupts the guest enabled: "irq APQN isc ISC nib-page
 * IOVA" (see irq.c). Both counts are 0 once the guest stopped.
 *
 * /sys/kernel/debug/vfio_ap/check (read) checks the invariants (see
 * check.c) and prints each violation, then "checked: N, violations: M".
 *
 * /sys/kernel/debug/vfio_ap/wrong_crycb (read/write, Y or N) is a fault
 * injection for tests only: while it is Y, every CRYCB vfio_ap loads
 * also has every adapter and usage domain of the host configuration (and
 * one adapter more if that adds nothing), as a driver with a bug in its
 * filter would load it. The checker and the guests' own instructions
 * must notice.
 */

#define pr_fmt(fmt) "vfio_ap: " fmt

#include <kunit/visibility.h>
#include <linux/bitmap.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include <trace/events/vfio_ap.h>
#include "private.h"

static struct dentry *vfio_ap_debugfs_root;
static bool vfio_ap_wrong_crycb;

/* The fault injection: a CRYCB with more than the view. */
static void vfio_ap_guest_spoil(struct ap_matrix *m)
{
	struct ap_matrix old = *m;
	unsigned int apid;

	bitmap_or(m->apm, m->apm, vfio_ap_host.apm, AP_IDS);
	bitmap_or(m->aqm, m->aqm, vfio_ap_host.aqm, AP_IDS);
	if (!ap_matrix_equal(m, &old))
		return;
	apid = find_first_zero_bit(m->apm, AP_IDS);
	if (apid < AP_IDS)
		__set_bit(apid, m->apm);
}

/* Load @masks into the guest's CRYCB. */
static void vfio_ap_guest_load_locked(struct vfio_ap_mdev *mdev,
				      const struct ap_matrix *masks)
{
	struct ap_matrix m = *masks;

	lockdep_assert_held(&vfio_ap_lock);
	if (READ_ONCE(vfio_ap_wrong_crycb))
		vfio_ap_guest_spoil(&m);
	trace_vfio_ap_view(mdev->name, mdev->guest->id, &mdev->loaded, &m, 0);
	mdev->loaded = m;
	ap_hw_guest_load(mdev->guest, &m);
}

/*
 * The VM opening the device: its KVM guest, or in a world without KVM
 * (the simulated machine) the opening process, as a QEMU process is one
 * VM; NULL for a kernel thread (KUnit).
 */
static void *vfio_ap_guest_vm(struct vfio_ap_mdev *mdev)
{
	if (mdev->vdev.kvm)
		return mdev->vdev.kvm;
	return current->mm;
}

/*
 * The VMs that have a guest on an mdev, by the VM's address: one VM, one
 * mdev (as upstream). An index rather than a walk over every mdev, so that
 * opening a device costs the same with 10,000 mdevs as with one.
 * Under vfio_ap_lock.
 */
static DEFINE_XARRAY(vfio_ap_guest_vms);

/* @mdev's guest is @vm's: 0, -EPERM if the VM has another, -ENOMEM. */
static int vfio_ap_guest_vm_claim_locked(struct vfio_ap_mdev *mdev, void *vm)
{
	int rc;

	lockdep_assert_held(&vfio_ap_lock);
	rc = xa_insert(&vfio_ap_guest_vms, (unsigned long)vm, mdev, GFP_KERNEL);
	return rc == -EBUSY ? -EPERM : rc;
}

/**
 * vfio_ap_guest_attach_locked() - a guest starts using the mdev
 * @mdev: the mdev
 *
 * The machine creates a guest context for the KVM guest the device was
 * opened for (the simulated machine also for none), and it gets the
 * current view.
 *
 * Context: vfio_ap_lock held.
 * Return: 0, -EBUSY if a guest uses it already, -EPERM if the VM uses
 * another mdev already, or what the machine answers: -EINVAL on IBM Z
 * without a KVM guest, -ENODEV without a machine, -ENOMEM.
 */
int vfio_ap_guest_attach_locked(struct vfio_ap_mdev *mdev)
{
	struct ap_hw_guest *guest;
	void *vm;
	int rc;

	lockdep_assert_held(&vfio_ap_lock);
	if (mdev->guest)
		return -EBUSY;
	vm = vfio_ap_guest_vm(mdev);
	if (vm) {
		rc = vfio_ap_guest_vm_claim_locked(mdev, vm);
		if (rc)
			return rc;
	}
	guest = ap_hw_guest_create(mdev->vdev.kvm);
	if (IS_ERR(guest)) {
		if (vm)
			xa_erase(&vfio_ap_guest_vms, (unsigned long)vm);
		return PTR_ERR(guest);
	}
	if (vm && !mdev->vdev.kvm)
		mmgrab(vm);
	mdev->vm = vm;
	mdev->guest = guest;
	mdev->updates = 0;
	ap_matrix_clear(&mdev->loaded);
	vfio_ap_guest_load_locked(mdev, &mdev->view);
	return 0;
}

/**
 * vfio_ap_guest_detach_locked() - the guest stops using the mdev
 * @mdev: the mdev
 *
 * Every queue's interrupts are disabled and what they held released;
 * the machine clears the guest's CRYCB and drops the context; the caller
 * resets the queues it had. The hook was cleared (vfio_ap_irq_stop()).
 *
 * Context: vfio_ap_lock held.
 */
void vfio_ap_guest_detach_locked(struct vfio_ap_mdev *mdev)
{
	struct ap_matrix none;

	lockdep_assert_held(&vfio_ap_lock);
	ap_matrix_clear(&none);
	vfio_ap_irq_left_locked(mdev, &none);
	ap_hw_guest_destroy(mdev->guest);
	mdev->guest = NULL;
	if (mdev->vm)
		xa_erase(&vfio_ap_guest_vms, (unsigned long)mdev->vm);
	if (mdev->vm && !mdev->vdev.kvm)
		mmdrop(mdev->vm);
	mdev->vm = NULL;
}

/**
 * vfio_ap_guest_push_locked() - give the running guest new masks
 * @mdev: the mdev
 * @masks: adapters, usage domains and control domains
 *
 * Context: vfio_ap_lock held.
 */
void vfio_ap_guest_push_locked(struct vfio_ap_mdev *mdev,
			       const struct ap_matrix *masks)
{
	lockdep_assert_held(&vfio_ap_lock);
	if (!mdev->guest)
		return;
	mdev->updates++;
	vfio_ap_guest_load_locked(mdev, masks);
}

/**
 * vfio_ap_guest_crycb() - what the machine holds for the running guest
 * @mdev: the mdev
 * @crycb: receives the guest's CRYCB, as the machine reads it back
 * @updates: receives how many times vfio_ap loaded it after the first
 *
 * Context: takes vfio_ap_lock.
 * Return: false if no guest uses the mdev.
 */
bool vfio_ap_guest_crycb(struct vfio_ap_mdev *mdev, struct ap_matrix *crycb,
			 unsigned long *updates)
{
	guard(mutex)(&vfio_ap_lock);
	if (!mdev->guest)
		return false;
	ap_hw_guest_crycb(mdev->guest, crycb);
	*updates = mdev->updates;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(vfio_ap_guest_crycb);

static int vfio_ap_guest_show(struct seq_file *s, void *unused)
{
	struct vfio_ap_mdev *mdev = s->private;

	guard(mutex)(&vfio_ap_lock);
	if (!mdev->guest)
		seq_puts(s, "none\n");
	else
		seq_printf(s, "context %u\nupdates %lu\n", mdev->guest->id,
			   mdev->updates);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vfio_ap_guest);

static int vfio_ap_irqs_show(struct seq_file *s, void *unused)
{
	guard(mutex)(&vfio_ap_lock);
	vfio_ap_irq_show_locked(s, s->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vfio_ap_irqs);

/**
 * vfio_ap_guest_debugfs_init() - create an mdev's debugfs directory
 * @mdev: the mdev
 */
void vfio_ap_guest_debugfs_init(struct vfio_ap_mdev *mdev)
{
	mdev->debugfs = debugfs_create_dir(mdev->name, vfio_ap_debugfs_root);
	debugfs_create_file("guest", 0444, mdev->debugfs, mdev,
			    &vfio_ap_guest_fops);
	debugfs_create_file("irqs", 0444, mdev->debugfs, mdev,
			    &vfio_ap_irqs_fops);
}

/**
 * vfio_ap_guest_debugfs_exit() - remove an mdev's debugfs directory
 * @mdev: the mdev
 */
void vfio_ap_guest_debugfs_exit(struct vfio_ap_mdev *mdev)
{
	debugfs_remove_recursive(mdev->debugfs);
	mdev->debugfs = NULL;
}

/**
 * vfio_ap_debugfs_init() - create vfio_ap's debugfs directory
 *
 * Return: 0
 */
int vfio_ap_debugfs_init(void)
{
	vfio_ap_debugfs_root = debugfs_create_dir("vfio_ap", NULL);
	vfio_ap_check_debugfs_init(vfio_ap_debugfs_root);
	vfio_ap_bench_debugfs_init(vfio_ap_debugfs_root);
	debugfs_create_bool("wrong_crycb", 0600, vfio_ap_debugfs_root,
			    &vfio_ap_wrong_crycb);
	return 0;
}

/**
 * vfio_ap_debugfs_exit() - remove vfio_ap's debugfs directory
 */
void vfio_ap_debugfs_exit(void)
{
	debugfs_remove_recursive(vfio_ap_debugfs_root);
}
