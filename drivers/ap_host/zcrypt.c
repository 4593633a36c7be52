// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/z90crypt: the zcrypt user interface, the part libica and
 * openssl-ibmca use (<uapi/ap/zcrypt.h>): RSA modular exponentiation,
 * plain (ICARSAMODEXPO) and in CRT form (ICARSACRT), and the status
 * requests.
 *
 * A request is built as a type 50 message from the caller's buffers and
 * sent to the host queue that serves RSA with the fewest requests in
 * flight: bound to cex4queue, online with its card, configured, not
 * check-stopped, of an accelerator (CEXnA). A request its queue did not
 * answer (-EAGAIN: the queue was reset, check-stopped, deconfigured,
 * taken off line or unbound, or failed) goes to the next choice, up to
 * AP_ZC_TRIES times (then -EIO); with no queue left the caller gets
 * -ENODEV. A signal ends the wait: the request is taken back and the
 * system call restarts.
 *
 * Errors: EINVAL for a length the device does not support (modulus
 * below 8 or above 512 bytes, room for the result below its length) or
 * a request the card refused; EFAULT for a buffer that cannot be read or
 * written; ENODEV with no queue to serve; EIO when every try failed;
 * ENOTTY for an ioctl it does not know; EPERM for read and write.
 */

#define pr_fmt(fmt) "ap_host: " fmt

#include <linux/completion.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <ap/type50.h>
#include <uapi/ap/zcrypt.h>
#include "ap_host.h"

/* How often a request is sent before -EIO, as upstream's zcrypt tries. */
#define AP_ZC_TRIES	10

static atomic_t ap_zc_open_count;

/**
 * struct ap_zc_req - one request on its way through a queue
 * @m: the message
 * @done: completed when @m ends
 * @reply: the reply's buffer
 */
struct ap_zc_req {
	struct ap_message m;
	struct completion done;
	u8 reply[AP_T80_MAX_LEN];
};

static void ap_zc_done(struct ap_message *m)
{
	complete(&container_of(m, struct ap_zc_req, m)->done);
}

/**
 * struct ap_zc_pick - the choice of a queue for a request
 * @q: the queue chosen so far
 * @load: its requests in flight
 * @tried: the queues that did not answer the request, not chosen again
 * @ntried: their number
 */
struct ap_zc_pick {
	struct ap_queue *q;
	unsigned int load;
	apqn_t tried[AP_ZC_TRIES];
	unsigned int ntried;
};

static bool ap_zc_tried(const struct ap_zc_pick *p, apqn_t apqn)
{
	unsigned int i;

	for (i = 0; i < p->ntried; i++)
		if (p->tried[i] == apqn)
			return true;
	return false;
}

static bool ap_zc_serves_rsa(struct ap_queue *q)
{
	return (READ_ONCE(q->card->functions) & AP_HW_FUNC_ACCEL) &&
	       ap_host_queue_serves(q);
}

static int ap_zc_pick_one(struct device *dev, void *data)
{
	struct ap_queue *q = to_ap_queue(dev);
	struct ap_zc_pick *p = data;
	unsigned int load;

	if (ap_zc_tried(p, q->apqn) || !ap_zc_serves_rsa(q))
		return 0;
	load = ap_host_load(q);
	if (!p->q || load < p->load) {
		p->q = q;
		p->load = load;
	}
	return 0;
}

/* The queue to send to, with a reference; NULL if none serves. */
static struct ap_queue *ap_zc_pick_queue(struct ap_zc_pick *p)
{
	p->q = NULL;
	/* The walk fails only without the driver: then nothing serves. */
	if (driver_for_each_device(ap_host_queues(), NULL, p, ap_zc_pick_one))
		p->q = NULL;
	if (p->q)
		get_device(&p->q->dev);
	return p->q;
}

/* Send @r once to @q and wait for it: the message's result. */
static int ap_zc_send_once(struct ap_queue *q, struct ap_zc_req *r)
{
	int rc;

	init_completion(&r->done);
	r->m.reply = r->reply;
	r->m.bufsize = sizeof(r->reply);
	r->m.done = ap_zc_done;
	rc = ap_queue_message(q, &r->m);
	if (rc)
		return -EAGAIN;	/* it left meanwhile: choose again */
	if (wait_for_completion_interruptible(&r->done)) {
		if (ap_cancel_message(q, &r->m))
			return -ERESTARTSYS;
		wait_for_completion(&r->done);
	}
	return r->m.rc;
}

/*
 * ap_zc_send() - send a request until a queue answers it
 * @r: the request, its message set
 * @out_len: the result's length
 * @result: receives where the result is in @r->reply
 */
static int ap_zc_send(struct ap_zc_req *r, unsigned int out_len,
		      const u8 **result)
{
	struct ap_zc_pick p = { };
	struct ap_queue *q;
	int rc;

	while (p.ntried < AP_ZC_TRIES) {
		q = ap_zc_pick_queue(&p);
		if (!q)
			return -ENODEV;
		rc = ap_zc_send_once(q, r);
		if (!rc)
			rc = ap_t80_result(r->reply, r->m.reply_len, out_len,
					   result);
		p.tried[p.ntried++] = q->apqn;
		put_device(&q->dev);
		if (rc != -EAGAIN)
			return rc;
	}
	return -EIO;
}

/* Copy @len bytes from user space, right-aligned, into @len_field bytes. */
static int ap_zc_get(u8 *field, unsigned int field_len,
		     const u8 __user *src, unsigned int len)
{
	if (len > field_len)
		return -EINVAL;
	return copy_from_user(field + field_len - len, src, len) ? -EFAULT : 0;
}

static int ap_zc_check_lengths(u32 in, u32 out)
{
	if (in < AP_T50_MIN_MOD || in > AP_T50_MAX_MOD || out < in)
		return -EINVAL;
	return 0;
}

/* Send @r, whose message is built, and give the caller the result. */
static int ap_zc_finish(struct ap_zc_req *r, u8 __user *out, u32 len,
			u32 __user *out_len)
{
	const u8 *result;
	int rc;

	rc = ap_zc_send(r, len, &result);
	if (rc)
		return rc;
	if (copy_to_user(out, result, len) || put_user(len, out_len))
		return -EFAULT;
	return 0;
}

static struct ap_zc_req *ap_zc_alloc(bool crt, u32 len, struct ap_t50 *f)
{
	size_t size = ap_t50_size(crt, len);
	struct ap_zc_req *r;
	void *msg;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	msg = kmalloc(size, GFP_KERNEL);
	if (!r || !msg) {
		kfree(r);
		kfree(msg);
		return NULL;
	}
	r->m.msg = msg;
	r->m.len = ap_t50_init(msg, size, crt, len, f);
	return r;
}

static void ap_zc_free(struct ap_zc_req *r)
{
	kfree(r->m.msg);
	kfree(r);
}

static long ap_zc_modexpo(struct ica_rsa_modexpo __user *uarg)
{
	struct ica_rsa_modexpo a;
	struct ap_zc_req *r;
	struct ap_t50 f;
	int rc;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	rc = ap_zc_check_lengths(a.inputdatalength, a.outputdatalength);
	if (rc)
		return rc;
	r = ap_zc_alloc(false, a.inputdatalength, &f);
	if (!r)
		return -ENOMEM;
	rc = ap_zc_get(f.exp, f.width, a.b_key, a.inputdatalength) ?:
	     ap_zc_get(f.mod, f.width, a.n_modulus, a.inputdatalength) ?:
	     ap_zc_get(f.msg, f.width, a.inputdata, a.inputdatalength) ?:
	     ap_zc_finish(r, a.outputdata, a.inputdatalength,
			  &uarg->outputdatalength);
	ap_zc_free(r);
	return rc;
}

/* A CRT key part: @half bytes, after ZCRYPT_CRT_PAD bytes if @padded. */
static int ap_zc_get_part(u8 *field, unsigned int width,
			  const u8 __user *src, unsigned int half, bool padded)
{
	return ap_zc_get(field, width / 2, padded ? src + ZCRYPT_CRT_PAD : src,
			 half);
}

static long ap_zc_crt(struct ica_rsa_modexpo_crt __user *uarg)
{
	struct ica_rsa_modexpo_crt a;
	struct ap_zc_req *r;
	unsigned int half;
	struct ap_t50 f;
	int rc;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	rc = ap_zc_check_lengths(a.inputdatalength, a.outputdatalength);
	if (rc)
		return rc;
	r = ap_zc_alloc(true, a.inputdatalength, &f);
	if (!r)
		return -ENOMEM;
	half = (a.inputdatalength + 1) / 2;
	rc = ap_zc_get_part(f.p, f.width, a.np_prime, half, true) ?:
	     ap_zc_get_part(f.q, f.width, a.nq_prime, half, false) ?:
	     ap_zc_get_part(f.dp, f.width, a.bp_key, half, true) ?:
	     ap_zc_get_part(f.dq, f.width, a.bq_key, half, false) ?:
	     ap_zc_get_part(f.u, f.width, a.u_mult_inv, half, true) ?:
	     ap_zc_get(f.msg, f.width, a.inputdata, a.inputdatalength) ?:
	     ap_zc_finish(r, a.outputdata, a.inputdatalength,
			  &uarg->outputdatalength);
	ap_zc_free(r);
	return rc;
}

/**
 * struct ap_zc_status - what the status requests report
 * @status: per adapter, its queue in the default domain: 0 for none,
 *	the zcrypt type if online, ZCRYPT_STATUS_OFFLINE if not
 * @qdepth: per adapter, that queue's requests in flight
 * @reqcnt: per adapter, the requests that queue accepted
 * @requestq: requests waiting to be sent, over those queues
 * @pendingq: requests sent and not answered, likewise
 * @domain: the default domain, or -1
 */
struct ap_zc_status {
	u8 status[ZCRYPT_CARDS];
	u8 qdepth[ZCRYPT_CARDS];
	int reqcnt[ZCRYPT_CARDS];
	int requestq;
	int pendingq;
	int domain;
};

static int ap_zc_status_one(struct device *dev, void *data)
{
	struct ap_queue *q = to_ap_queue(dev);
	unsigned int apid = ap_apqn_apid(q->apqn), requestq, pendingq;
	struct ap_zc_status *s = data;

	if (ap_apqn_apqi(q->apqn) != s->domain)
		return 0;
	ap_queue_msg_counts(q, &requestq, &pendingq);
	s->status[apid] = ap_host_queue_serves(q) ?
			  ap_host_zcrypt_type(q->card) : ZCRYPT_STATUS_OFFLINE;
	s->qdepth[apid] = min(requestq + pendingq, 255U);
	s->reqcnt[apid] = min_t(u64, atomic64_read(&q->request_count), INT_MAX);
	s->requestq += requestq;
	s->pendingq += pendingq;
	return 0;
}

static struct ap_zc_status *ap_zc_get_status(void)
{
	struct ap_zc_status *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return NULL;
	s->domain = ap_bus_default_domain();
	if (s->domain >= 0 &&
	    driver_for_each_device(ap_host_queues(), NULL, s, ap_zc_status_one))
		memset(s->status, 0, sizeof(s->status));
	return s;
}

/* The status request @cmd: which part of the status, and how long. */
static const void *ap_zc_status_part(const struct ap_zc_status *s,
				     unsigned int cmd, size_t *len)
{
	switch (cmd) {
	case ZCRYPT_STATUS_MASK:
	case Z90STAT_STATUS_MASK:
		*len = cmd == ZCRYPT_STATUS_MASK ? ZCRYPT_CARDS : Z90STAT_CARDS;
		return s->status;
	case ZCRYPT_QDEPTH_MASK:
	case Z90STAT_QDEPTH_MASK:
		*len = cmd == ZCRYPT_QDEPTH_MASK ? ZCRYPT_CARDS : Z90STAT_CARDS;
		return s->qdepth;
	case ZCRYPT_PERDEV_REQCNT:
	case Z90STAT_PERDEV_REQCNT:
		*len = (cmd == ZCRYPT_PERDEV_REQCNT ? ZCRYPT_CARDS :
			Z90STAT_CARDS) * sizeof(int);
		return s->reqcnt;
	case Z90STAT_REQUESTQ_COUNT:
		*len = sizeof(int);
		return &s->requestq;
	case Z90STAT_PENDINGQ_COUNT:
		*len = sizeof(int);
		return &s->pendingq;
	case Z90STAT_DOMAIN_INDEX:
		*len = sizeof(int);
		return &s->domain;
	}
	return NULL;
}

static long ap_zc_status(unsigned int cmd, void __user *arg)
{
	struct ap_zc_status *s;
	const void *part;
	size_t len;
	long rc;
	int n;

	if (cmd == Z90STAT_TOTALOPEN_COUNT) {
		n = atomic_read(&ap_zc_open_count);
		return copy_to_user(arg, &n, sizeof(n)) ? -EFAULT : 0;
	}
	s = ap_zc_get_status();
	if (!s)
		return -ENOMEM;
	part = ap_zc_status_part(s, cmd, &len);
	rc = !part ? -ENOIOCTLCMD : copy_to_user(arg, part, len) ? -EFAULT : 0;
	kfree(s);
	return rc;
}

static long ap_zc_ioctl(struct file *file, unsigned int cmd,
			unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case ICARSAMODEXPO:
		return ap_zc_modexpo(uarg);
	case ICARSACRT:
		return ap_zc_crt(uarg);
	}
	return ap_zc_status(cmd, uarg);
}

static int ap_zc_open(struct inode *inode, struct file *file)
{
	atomic_inc(&ap_zc_open_count);
	return stream_open(inode, file);
}

static int ap_zc_release(struct inode *inode, struct file *file)
{
	atomic_dec(&ap_zc_open_count);
	return 0;
}

static ssize_t ap_zc_read(struct file *file, char __user *buf, size_t len,
			  loff_t *pos)
{
	return -EPERM;
}

static ssize_t ap_zc_write(struct file *file, const char __user *buf,
			   size_t len, loff_t *pos)
{
	return -EPERM;
}

static const struct file_operations ap_zc_fops = {
	.owner = THIS_MODULE,
	.open = ap_zc_open,
	.release = ap_zc_release,
	.read = ap_zc_read,
	.write = ap_zc_write,
	.unlocked_ioctl = ap_zc_ioctl,
};

static struct miscdevice ap_zc_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "z90crypt",
	.fops = &ap_zc_fops,
};

int ap_host_zcrypt_init(void)
{
	return misc_register(&ap_zc_misc);
}

void ap_host_zcrypt_exit(void)
{
	misc_deregister(&ap_zc_misc);
}
