// SPDX-License-Identifier: GPL-2.0
/*
 * Guest backends: where a guest's view of the AP configuration goes.
 *
 * On s390 with KVM, when the VFIO device was opened for a KVM guest, the
 * masks are loaded into the guest's CRYCB through KVM; the firmware then
 * lets the guest reach exactly those queues. Everywhere else, and for a
 * device opened without a KVM, a simulated guest is attached: it keeps
 * the masks it was given, counts the updates, and answers for the guest
 * the questions firmware would: may the guest reach a queue, what does
 * TAPQ tell it, may it store a secret in a queue. It is what the tests
 * and the demo run as a guest.
 *
 * DOC: vfio_ap debugfs interface
 *
 * /sys/kernel/debug/vfio_ap/<uuid>/ exists for every mdev:
 *
 * guest (read)
 *   "none" while no guest uses the mdev; else the guest's masks as the
 *   CRYCB holds them (lines "apm 0x...", "aqm 0x...", "adm 0x..."), the
 *   number of updates pushed since it started ("updates N") and the
 *   backend ("backend sim" or "backend kvm").
 * queues (read)
 *   For a simulated guest, one line per queue it can reach, as TAPQ
 *   answers the guest: "05.0004 rc=0x00 type=11 functions=0xF2000000".
 * access (write an APQN, e.g. "05.0004")
 *   Succeeds if the running guest may reach the queue, fails with EACCES
 *   if not, ENODEV if no simulated guest runs.
 * secret (write "APQN VALUE", VALUE in decimal or 0x hex)
 *   The simulated guest stores VALUE as the secret of a queue it may
 *   reach (EACCES otherwise); EIO if the queue refuses the request;
 *   EOPNOTSUPP unless the simulated facility provides the queues.
 *
 * /sys/kernel/debug/vfio_ap/check (read) checks the invariants (see
 * check.c) and prints each violation, then "checked: N, violations: M".
 */

#define pr_fmt(fmt) "vfio_ap: " fmt

#include <kunit/visibility.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <ap/sim.h>
#include "private.h"

#if IS_ENABLED(CONFIG_KVM) && defined(CONFIG_S390)
#include <linux/kvm_host.h>
#define VFIO_AP_HAVE_KVM	1
#else
#define VFIO_AP_HAVE_KVM	0
#endif

/**
 * struct vfio_ap_guest - a guest using an mdev
 * @crycb: the masks the guest was given last
 * @updates: how many times they were pushed after the first
 * @kvm: the KVM guest, or NULL for a simulated guest
 * @secrets: the secrets the simulated guest stored, by APQN, for the
 *           queues it still has (the invariant checker's reference)
 */
struct vfio_ap_guest {
	struct ap_matrix crycb;
	unsigned long updates;
	struct kvm *kvm;
	struct xarray secrets;
};

static struct dentry *vfio_ap_debugfs_root;

#if VFIO_AP_HAVE_KVM
/* Load the masks into the KVM guest's CRYCB (MSB0 bit order). */
static void vfio_ap_guest_kvm_set(struct kvm *kvm, const struct ap_matrix *m)
{
	unsigned long apm[AP_IDS / BITS_PER_LONG];
	unsigned long aqm[AP_IDS / BITS_PER_LONG];
	unsigned long adm[AP_IDS / BITS_PER_LONG];

	ap_mask_to_msb0(m->apm, (u8 *)apm);
	ap_mask_to_msb0(m->aqm, (u8 *)aqm);
	ap_mask_to_msb0(m->adm, (u8 *)adm);
	mutex_lock(&kvm->lock);
	kvm_arch_crypto_set_masks(kvm, apm, aqm, adm);
	mutex_unlock(&kvm->lock);
}

static struct kvm *vfio_ap_guest_kvm_get(struct vfio_ap_mdev *mdev)
{
	struct kvm *kvm = mdev->vdev.kvm;

	if (!kvm || !kvm->arch.crypto.crycbd)
		return NULL;
	kvm_get_kvm(kvm);
	return kvm;
}

static void vfio_ap_guest_kvm_put(struct kvm *kvm)
{
	mutex_lock(&kvm->lock);
	kvm_arch_crypto_clear_masks(kvm);
	mutex_unlock(&kvm->lock);
	kvm_put_kvm(kvm);
}
#else
static void vfio_ap_guest_kvm_set(struct kvm *kvm, const struct ap_matrix *m)
{
}

static struct kvm *vfio_ap_guest_kvm_get(struct vfio_ap_mdev *mdev)
{
	return NULL;
}

static void vfio_ap_guest_kvm_put(struct kvm *kvm)
{
}
#endif

/**
 * vfio_ap_guest_attach_locked() - a guest starts using the mdev
 * @mdev: the mdev
 *
 * The guest gets the current view.
 *
 * Context: vfio_ap_lock held.
 * Return: 0, -EBUSY if a guest uses it already, -ENOMEM.
 */
int vfio_ap_guest_attach_locked(struct vfio_ap_mdev *mdev)
{
	struct vfio_ap_guest *guest;

	lockdep_assert_held(&vfio_ap_lock);
	if (mdev->guest)
		return -EBUSY;
	guest = kzalloc(sizeof(*guest), GFP_KERNEL);
	if (!guest)
		return -ENOMEM;
	guest->kvm = vfio_ap_guest_kvm_get(mdev);
	xa_init(&guest->secrets);
	mdev->guest = guest;
	vfio_ap_guest_push_locked(mdev, &mdev->view);
	guest->updates = 0;
	return 0;
}

/**
 * vfio_ap_guest_detach_locked() - the guest stops using the mdev
 * @mdev: the mdev
 *
 * The guest's masks are cleared; the caller resets the queues it had.
 *
 * Context: vfio_ap_lock held.
 */
void vfio_ap_guest_detach_locked(struct vfio_ap_mdev *mdev)
{
	struct vfio_ap_guest *guest = mdev->guest;
	unsigned long apqn;
	void *entry;

	lockdep_assert_held(&vfio_ap_lock);
	if (!guest)
		return;
	if (guest->kvm)
		vfio_ap_guest_kvm_put(guest->kvm);
	xa_for_each(&guest->secrets, apqn, entry)
		kfree(entry);
	xa_destroy(&guest->secrets);
	mdev->guest = NULL;
	kfree(guest);
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
	struct vfio_ap_guest *guest = mdev->guest;
	unsigned long apqn;
	void *entry;

	lockdep_assert_held(&vfio_ap_lock);
	if (!guest)
		return;
	guest->crycb = *masks;
	guest->updates++;
	xa_for_each(&guest->secrets, apqn, entry)
		if (!ap_matrix_has_apqn(masks, ap_apqn_apid(apqn),
					ap_apqn_apqi(apqn)))
			kfree(xa_erase(&guest->secrets, apqn));
	if (guest->kvm)
		vfio_ap_guest_kvm_set(guest->kvm, masks);
}

/**
 * vfio_ap_guest_crycb() - what the running guest was given
 * @mdev: the mdev
 * @crycb: receives the guest's masks
 * @updates: receives the number of updates since the guest started
 *
 * Context: takes vfio_ap_lock.
 * Return: false if no guest uses the mdev.
 */
bool vfio_ap_guest_crycb(struct vfio_ap_mdev *mdev, struct ap_matrix *crycb,
			 unsigned long *updates)
{
	guard(mutex)(&vfio_ap_lock);
	return vfio_ap_guest_crycb_locked(mdev, crycb, updates);
}
EXPORT_SYMBOL_IF_KUNIT(vfio_ap_guest_crycb);

/**
 * vfio_ap_guest_crycb_locked() - what the running guest was given
 * @mdev: the mdev
 * @crycb: receives the guest's masks
 * @updates: receives the number of updates since the guest started
 *
 * Context: vfio_ap_lock held.
 * Return: false if no guest uses the mdev.
 */
bool vfio_ap_guest_crycb_locked(struct vfio_ap_mdev *mdev,
				struct ap_matrix *crycb, unsigned long *updates)
{
	lockdep_assert_held(&vfio_ap_lock);
	if (!mdev->guest)
		return false;
	*crycb = mdev->guest->crycb;
	*updates = mdev->guest->updates;
	return true;
}

/* May the simulated guest of @mdev reach @apqn? -ENODEV: no such guest. */
int vfio_ap_guest_may_reach_locked(struct vfio_ap_mdev *mdev, apqn_t apqn)
{
	lockdep_assert_held(&vfio_ap_lock);
	if (!mdev->guest || mdev->guest->kvm)
		return -ENODEV;
	if (!ap_matrix_has_apqn(&mdev->guest->crycb, ap_apqn_apid(apqn),
				ap_apqn_apqi(apqn)))
		return -EACCES;
	return 0;
}

/* Only a newline may follow what was parsed. */
static bool vfio_ap_guest_at_end(const char *s)
{
	return !s[0] || (s[0] == '\n' && !s[1]);
}

static int vfio_ap_guest_show(struct seq_file *s, void *unused)
{
	struct vfio_ap_mdev *mdev = s->private;
	char text[AP_MASK_STRLEN + 1];
	struct vfio_ap_guest *guest;

	guard(mutex)(&vfio_ap_lock);
	guest = mdev->guest;
	if (!guest) {
		seq_puts(s, "none\n");
		return 0;
	}
	ap_mask_format(guest->crycb.apm, text, sizeof(text));
	seq_printf(s, "apm %s\n", text);
	ap_mask_format(guest->crycb.aqm, text, sizeof(text));
	seq_printf(s, "aqm %s\n", text);
	ap_mask_format(guest->crycb.adm, text, sizeof(text));
	seq_printf(s, "adm %s\n", text);
	seq_printf(s, "updates %lu\nbackend %s\n", guest->updates,
		   guest->kvm ? "kvm" : "sim");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vfio_ap_guest);

/* What TAPQ answers the simulated guest for each queue it can reach. */
static int vfio_ap_guest_queues_show(struct seq_file *s, void *unused)
{
	struct vfio_ap_mdev *mdev = s->private;
	struct ap_hw_queue_info info;
	struct ap_hw_status st;
	unsigned int apid, apqi;
	struct ap_matrix m;

	scoped_guard(mutex, &vfio_ap_lock) {
		if (!mdev->guest || mdev->guest->kvm || !ap_hw_simulated())
			return 0;
		m = mdev->guest->crycb;
	}
	ap_matrix_for_each_apid(apid, &m) {
		ap_matrix_for_each_apqi(apqi, &m) {
			st = ap_hw_tapq(ap_apqn(apid, apqi), &info);
			seq_printf(s, "%02x.%04x rc=0x%02x type=%u functions=0x%08X\n",
				   apid, apqi, st.rc, info.type, info.functions);
		}
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vfio_ap_guest_queues);

static ssize_t vfio_ap_guest_read_line(const char __user *ubuf, size_t count,
				       char *buf, size_t size)
{
	if (!count || count >= size)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	return strlen(buf) == count ? count : -EINVAL;
}

static ssize_t vfio_ap_guest_access_write(struct file *file,
					  const char __user *ubuf,
					  size_t count, loff_t *ppos)
{
	struct vfio_ap_mdev *mdev = file->private_data;
	char buf[32];
	apqn_t apqn;
	ssize_t rc;

	if (!count)
		return 0;	/* an empty write, as sysfs files treat it */
	rc = vfio_ap_guest_read_line(ubuf, count, buf, sizeof(buf));
	if (rc >= 0)
		rc = ap_apqn_parse(buf, strlen(buf), &apqn);
	if (rc < 0)
		return rc;
	if (!vfio_ap_guest_at_end(buf + rc))
		return -EINVAL;
	guard(mutex)(&vfio_ap_lock);
	rc = vfio_ap_guest_may_reach_locked(mdev, apqn);
	return rc ?: count;
}

static const struct file_operations vfio_ap_guest_access_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = vfio_ap_guest_access_write,
};

/**
 * vfio_ap_guest_wrote_locked() - did the running guest store this secret?
 * @mdev: the mdev
 * @apqn: a queue of the guest
 * @secret: the secret the queue holds
 *
 * Context: vfio_ap_lock held.
 * Return: true if the guest stored @secret in @apqn, and still has it.
 */
bool vfio_ap_guest_wrote_locked(struct vfio_ap_mdev *mdev, apqn_t apqn,
				u64 secret)
{
	u64 *written;

	lockdep_assert_held(&vfio_ap_lock);
	if (!mdev->guest)
		return false;
	written = xa_load(&mdev->guest->secrets, apqn);
	return written && *written == secret;
}

/*
 * Store a secret as the guest would: a request to the queue, which only
 * the simulated facility understands; remember it for the checker.
 */
static int vfio_ap_guest_set_secret_locked(struct vfio_ap_mdev *mdev,
					   apqn_t apqn, u64 value)
{
	struct ap_sim_msg msg = { AP_SIM_MSG_MAGIC, AP_SIM_OP_SET_SECRET,
				  value };
	size_t len = sizeof(msg);
	u64 *written, psmid;
	void *old;

	lockdep_assert_held(&vfio_ap_lock);
	if (!ap_hw_simulated())
		return -EOPNOTSUPP;
	written = kmalloc(sizeof(*written), GFP_KERNEL);
	if (!written)
		return -ENOMEM;
	*written = value;
	if (ap_hw_nqap(apqn, 1, &msg, len).rc ||
	    ap_hw_dqap(apqn, &psmid, &msg, &len).rc) {
		kfree(written);
		return -EIO;
	}
	old = xa_store(&mdev->guest->secrets, apqn, written, GFP_KERNEL);
	if (xa_is_err(old)) {
		kfree(written);
		return xa_err(old);
	}
	kfree(old);
	return 0;
}

static ssize_t vfio_ap_guest_secret_write(struct file *file,
					  const char __user *ubuf,
					  size_t count, loff_t *ppos)
{
	struct vfio_ap_mdev *mdev = file->private_data;
	unsigned long value;
	char buf[64];
	apqn_t apqn;
	ssize_t rc;
	int n;

	if (!count)
		return 0;	/* an empty write, as sysfs files treat it */
	rc = vfio_ap_guest_read_line(ubuf, count, buf, sizeof(buf));
	if (rc < 0)
		return rc;
	n = ap_apqn_parse(buf, strlen(buf), &apqn);
	if (n < 0 || buf[n] != ' ' ||
	    ap_id_parse(buf + n + 1, strlen(buf + n + 1), &value) ||
	    value == AP_ID_OVERFLOW)
		return -EINVAL;
	guard(mutex)(&vfio_ap_lock);
	rc = vfio_ap_guest_may_reach_locked(mdev, apqn);
	if (!rc)
		rc = vfio_ap_guest_set_secret_locked(mdev, apqn, value);
	return rc ?: count;
}

static const struct file_operations vfio_ap_guest_secret_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = vfio_ap_guest_secret_write,
};

/**
 * vfio_ap_guest_debugfs_init() - create an mdev's debugfs directory
 * @mdev: the mdev
 */
void vfio_ap_guest_debugfs_init(struct vfio_ap_mdev *mdev)
{
	mdev->debugfs = debugfs_create_dir(mdev->name, vfio_ap_debugfs_root);
	debugfs_create_file("guest", 0444, mdev->debugfs, mdev,
			    &vfio_ap_guest_fops);
	debugfs_create_file("queues", 0444, mdev->debugfs, mdev,
			    &vfio_ap_guest_queues_fops);
	debugfs_create_file("access", 0200, mdev->debugfs, mdev,
			    &vfio_ap_guest_access_fops);
	debugfs_create_file("secret", 0200, mdev->debugfs, mdev,
			    &vfio_ap_guest_secret_fops);
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

int vfio_ap_debugfs_init(void)
{
	vfio_ap_debugfs_root = debugfs_create_dir("vfio_ap", NULL);
	vfio_ap_check_debugfs_init(vfio_ap_debugfs_root);
	return 0;
}

void vfio_ap_debugfs_exit(void)
{
	debugfs_remove_recursive(vfio_ap_debugfs_root);
}
