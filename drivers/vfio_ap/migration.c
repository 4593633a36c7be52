// SPDX-License-Identifier: GPL-2.0
/*
 * Live migration of a guest with its AP queues: VFIO migration v2, stop
 * and copy only.
 *
 * The source, stopped (STOP_COPY), describes the guest's configuration
 * in a stream (include/ap/migstream.h): its adapters, usage and control
 * domains, and for every queue what the destination must match (type,
 * facility bits with the mode, the master key's verification pattern
 * where the machine reports it) and the queue's interrupt state. The
 * destination (RESUMING) reads the stream and decides at the write that
 * completes it. A stream never changes what the destination mdev is
 * assigned: that is the administrator's decision, the stream comes from
 * the device's user. So every adapter, usage domain and control domain
 * it names must be assigned to the mdev already; the guest's queues must
 * exist on this host and be bound to vfio_ap; their type may be newer
 * but not older; mode and facility bits must be equal; the control
 * domains must be in this host's configuration; master keys reported on
 * both sides must have the same pattern; and the guest's view here, what
 * the mdev's assignment yields, must hold the stream's. Refused, the
 * write fails with an errno and the log says why; nothing changed.
 * Accepted, every queue whose interrupts the guest had enabled has them
 * again: its notification byte pinned, its ISC registered, the host AQIC
 * issued. If the view here holds more than the guest had, the guest is
 * told of a configuration change when it runs, as of a hot plug.
 *
 * Nothing on the source changes while it migrates: taken back to
 * RUNNING, the guest has what it had, queue contents included. Once the
 * destination runs, the source's user closes the device, which resets
 * and zeroizes the queues the guest had there. Requests the guest had
 * in flight stay behind with the source's queues, as a queue's content
 * cannot move: the guest's driver sees them time out.
 *
 * vfio_ap_mig_lock serialises the migration state of every mdev and
 * their data files; it comes before the reservation lock and
 * vfio_ap_lock. A data file knows its mdev only while it is enabled; the
 * arcs that leave a data state, VFIO_DEVICE_RESET and the device's close
 * disable it, so a file kept open after the device was closed reads and
 * writes nothing.
 */

#define pr_fmt(fmt) "vfio_ap: " fmt

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <ap/migstream.h>
#include <trace/events/vfio_ap.h>
#include "private.h"

static DEFINE_MUTEX(vfio_ap_mig_lock);

/**
 * struct vfio_ap_mig_file - the data file of a migration
 * @filp: the file
 * @mdev: the mdev, or NULL once the file is disabled
 * @buf: the stream
 * @len: the source: the stream's length; the destination: bytes received
 * @total: the destination: the length the stream's header announced, 0
 *         until it came
 * @done: the destination: the stream was accepted
 * @failed: the destination: the stream was refused; the file takes no
 *          more data
 */
struct vfio_ap_mig_file {
	struct file *filp;
	struct vfio_ap_mdev *mdev;
	u8 *buf;
	size_t len;
	size_t total;
	bool done;
	bool failed;
};

static void vfio_ap_mig_disable_locked(struct vfio_ap_mdev *mdev)
{
	struct vfio_ap_mig_file *f = mdev->mig_file;

	lockdep_assert_held(&vfio_ap_mig_lock);
	if (!f)
		return;
	f->mdev = NULL;
	kvfree(f->buf);
	f->buf = NULL;
	f->len = 0;
	mdev->mig_file = NULL;
	fput(f->filp);
}

static int vfio_ap_mig_release(struct inode *inode, struct file *filp)
{
	struct vfio_ap_mig_file *f = filp->private_data;

	/* An enabled file holds a reference: it is disabled by now. */
	kfree(f);
	return 0;
}

static ssize_t vfio_ap_mig_read(struct file *filp, char __user *ubuf,
				size_t count, loff_t *pos)
{
	struct vfio_ap_mig_file *f = filp->private_data;
	size_t off, n;

	if (pos)
		return -ESPIPE;
	guard(mutex)(&vfio_ap_mig_lock);
	if (!f->mdev)
		return -ENODEV;
	off = filp->f_pos;
	if (off >= f->len)
		return 0;
	n = min(count, f->len - off);
	if (copy_to_user(ubuf, f->buf + off, n))
		return -EFAULT;
	filp->f_pos += n;
	return n;
}

/* The destination has the header (@have bytes): room for the stream. */
static int vfio_ap_mig_grow(struct vfio_ap_mig_file *f, size_t total,
			    size_t have)
{
	u8 *buf = kvmalloc(total, GFP_KERNEL_ACCOUNT);

	if (!buf)
		return -ENOMEM;
	memcpy(buf, f->buf, have);
	kvfree(f->buf);
	f->buf = buf;
	f->total = total;
	return 0;
}

/* Take @n bytes; once the header is whole, learn the stream's length. */
static int vfio_ap_mig_take(struct vfio_ap_mig_file *f, const char __user *ubuf,
			    size_t n)
{
	struct vfio_ap_mdev *mdev = f->mdev;
	const char *why;
	size_t total;
	int rc;

	if (copy_from_user(f->buf + f->len, ubuf, n))
		return -EFAULT;
	if (f->total || f->len + n < AP_MIG_HDR_LEN)
		return 0;
	rc = ap_mig_stream_len(f->buf, f->len + n, &total, &why);
	if (!rc)
		rc = vfio_ap_mig_grow(f, total, f->len + n);
	if (rc == -EINVAL)
		dev_warn(mdev->vdev.dev, "migration refused: %s\n", why);
	return rc;
}

static ssize_t vfio_ap_mig_write(struct file *filp, const char __user *ubuf,
				 size_t count, loff_t *pos)
{
	struct vfio_ap_mig_file *f = filp->private_data;
	size_t room, n;
	int rc;

	if (pos)
		return -ESPIPE;
	guard(mutex)(&vfio_ap_mig_lock);
	if (!f->mdev)
		return -ENODEV;
	if (f->done || f->failed)
		return -EINVAL;
	room = (f->total ?: AP_MIG_HDR_LEN) - f->len;
	n = min(count, room);
	if (count > room && f->total) {
		dev_warn(f->mdev->vdev.dev, "migration refused: bytes after the end of the stream\n");
		return -EINVAL;
	}
	rc = vfio_ap_mig_take(f, ubuf, n);
	if (rc)
		return rc;
	f->len += n;
	if (f->total && f->len == f->total) {
		rc = vfio_ap_mig_resume(f->mdev, f->buf, f->len,
					&f->mdev->mig_grown);
		if (rc) {
			f->failed = true;
			f->len -= n;
			return rc;
		}
		f->done = true;
	}
	return n;
}

static const struct file_operations vfio_ap_mig_fops = {
	.owner = THIS_MODULE,
	.read = vfio_ap_mig_read,
	.write = vfio_ap_mig_write,
	.release = vfio_ap_mig_release,
};

/* A new data file, enabled: it holds a reference of its own. */
static struct vfio_ap_mig_file *vfio_ap_mig_file_new(struct vfio_ap_mdev *mdev,
						     int flags)
{
	struct vfio_ap_mig_file *f = kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);

	if (!f)
		return ERR_PTR(-ENOMEM);
	f->filp = anon_inode_getfile("vfio_ap_mig", &vfio_ap_mig_fops, f,
				     flags);
	if (IS_ERR(f->filp)) {
		struct file *err = f->filp;

		kfree(f);
		return ERR_CAST(err);
	}
	stream_open(f->filp->f_inode, f->filp);
	f->mdev = mdev;
	get_file(f->filp);
	mdev->mig_file = f;
	return f;
}

/* STOP -> STOP_COPY: the guest's configuration, as the stream says it. */
static struct file *vfio_ap_mig_save_locked(struct vfio_ap_mdev *mdev)
{
	struct vfio_ap_mig_file *f;
	int rc;

	f = vfio_ap_mig_file_new(mdev, O_RDONLY);
	if (IS_ERR(f))
		return ERR_CAST(f);
	rc = vfio_ap_mig_describe(mdev, &f->buf, &f->len);
	if (rc) {
		vfio_ap_mig_disable_locked(mdev);
		fput(f->filp);
		return ERR_PTR(rc);
	}
	return f->filp;
}

/* STOP -> RESUMING: a file to write the stream into. */
static struct file *vfio_ap_mig_load_locked(struct vfio_ap_mdev *mdev)
{
	struct vfio_ap_mig_file *f;

	f = vfio_ap_mig_file_new(mdev, O_WRONLY);
	if (IS_ERR(f))
		return ERR_CAST(f);
	f->buf = kvmalloc(AP_MIG_HDR_LEN, GFP_KERNEL_ACCOUNT);
	if (!f->buf) {
		vfio_ap_mig_disable_locked(mdev);
		fput(f->filp);
		return ERR_PTR(-ENOMEM);
	}
	return f->filp;
}

/*
 * The guest runs again after a migration that gave it more than it had
 * (its view here holds more than the stream's): it is told, as of any hot
 * plug, once it can take the news.
 */
static void vfio_ap_mig_tell_grown_locked(struct vfio_ap_mdev *mdev)
{
	lockdep_assert_held(&vfio_ap_mig_lock);
	if (!mdev->mig_grown)
		return;
	mdev->mig_grown = false;
	guard(mutex)(&vfio_ap_lock);
	vfio_ap_mdev_signal_locked(mdev, VFIO_AP_IRQ_CFG_CHG);
}

/* One arc of the state machine, as the VFIO core asks for it. */
static struct file *vfio_ap_mig_arc_locked(struct vfio_ap_mdev *mdev,
					   enum vfio_device_mig_state next)
{
	enum vfio_device_mig_state cur = mdev->mig_state;

	if (cur == VFIO_DEVICE_STATE_STOP &&
	    next == VFIO_DEVICE_STATE_STOP_COPY)
		return vfio_ap_mig_save_locked(mdev);
	if (cur == VFIO_DEVICE_STATE_STOP &&
	    next == VFIO_DEVICE_STATE_RESUMING)
		return vfio_ap_mig_load_locked(mdev);
	if (cur == VFIO_DEVICE_STATE_RESUMING &&
	    next == VFIO_DEVICE_STATE_STOP) {
		if (!mdev->mig_file->done) {
			dev_warn(mdev->vdev.dev, "migration: the device cannot leave RESUMING without a whole, accepted stream\n");
			return ERR_PTR(-EINVAL);
		}
		vfio_ap_mig_disable_locked(mdev);
		return NULL;
	}
	if (cur == VFIO_DEVICE_STATE_STOP_COPY &&
	    next == VFIO_DEVICE_STATE_STOP) {
		vfio_ap_mig_disable_locked(mdev);
		return NULL;
	}
	/* RUNNING <-> STOP: the guest's CPUs stop; the queues are kept. */
	if (cur == VFIO_DEVICE_STATE_RUNNING && next == VFIO_DEVICE_STATE_STOP)
		return NULL;
	if (cur == VFIO_DEVICE_STATE_STOP && next == VFIO_DEVICE_STATE_RUNNING) {
		vfio_ap_mig_tell_grown_locked(mdev);
		return NULL;
	}
	/* vfio_mig_get_next_state() asks for no other arc. */
	return ERR_PTR(-EINVAL);
}

static struct file *vfio_ap_mig_set_state(struct vfio_device *vdev,
					  enum vfio_device_mig_state new)
{
	struct vfio_ap_mdev *mdev = container_of(vdev, struct vfio_ap_mdev,
						 vdev);
	enum vfio_device_mig_state next;
	struct file *res = NULL;
	int rc;

	guard(mutex)(&vfio_ap_mig_lock);
	while (mdev->mig_state != new) {
		rc = vfio_mig_get_next_state(vdev, mdev->mig_state, new, &next);
		if (rc)
			return ERR_PTR(rc);
		res = vfio_ap_mig_arc_locked(mdev, next);
		trace_vfio_ap_mig_state(mdev->name, mdev->mig_state, next,
					PTR_ERR_OR_ZERO(res));
		if (IS_ERR(res))
			return res;
		mdev->mig_state = next;
		if (WARN_ON(res && next != new)) {
			fput(res);
			return ERR_PTR(-EINVAL);
		}
	}
	return res;
}

static int vfio_ap_mig_get_state(struct vfio_device *vdev,
				 enum vfio_device_mig_state *state)
{
	struct vfio_ap_mdev *mdev = container_of(vdev, struct vfio_ap_mdev,
						 vdev);

	guard(mutex)(&vfio_ap_mig_lock);
	*state = mdev->mig_state;
	return 0;
}

static int vfio_ap_mig_get_data_size(struct vfio_device *vdev,
				     unsigned long *len)
{
	struct vfio_ap_mdev *mdev = container_of(vdev, struct vfio_ap_mdev,
						 vdev);

	guard(mutex)(&vfio_ap_lock);
	*len = ap_mig_size(ap_matrix_apqn_count(&mdev->view));
	return 0;
}

static const struct vfio_migration_ops vfio_ap_mig_ops = {
	.migration_set_state = vfio_ap_mig_set_state,
	.migration_get_state = vfio_ap_mig_get_state,
	.migration_get_data_size = vfio_ap_mig_get_data_size,
};

/**
 * vfio_ap_mig_init() - the mdev can migrate
 * @mdev: the mdev, being initialised
 */
void vfio_ap_mig_init(struct vfio_ap_mdev *mdev)
{
	mdev->vdev.migration_flags = VFIO_MIGRATION_STOP_COPY;
	mdev->vdev.mig_ops = &vfio_ap_mig_ops;
	mdev->mig_state = VFIO_DEVICE_STATE_RUNNING;
}

/**
 * vfio_ap_mig_reset() - end any migration: the device is RUNNING again
 * @mdev: the mdev
 *
 * For VFIO_DEVICE_RESET and the device's close: the data file, if any,
 * reads and writes nothing from now on. What a completed stream gave the
 * destination stays.
 */
void vfio_ap_mig_reset(struct vfio_ap_mdev *mdev)
{
	guard(mutex)(&vfio_ap_mig_lock);
	vfio_ap_mig_disable_locked(mdev);
	mdev->mig_state = VFIO_DEVICE_STATE_RUNNING;
	mdev->mig_grown = false;
}
