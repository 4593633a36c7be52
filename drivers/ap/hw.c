// SPDX-License-Identifier: GPL-2.0
/*
 * Dispatch of the AP instructions to the registered backend.
 *
 * ap_hw_srcu protects: ap_hw_ops_current. Every wrapper reads the backend
 * inside an SRCU read section; ap_hw_unregister() waits for those
 * sections to end. The backend's operations do not sleep, so their
 * wrappers work in any context, except configure (SCLP on IBM Z), which
 * may sleep and is called from process context only.
 * ap_hw_mutex serialises registration and unregistration.
 *
 * A backend leaves in two steps: first QCI reports an empty configuration
 * and the bus rescans, so every device is removed (and its queue reset)
 * while the instructions still work; then the backend is dropped.
 */

#define pr_fmt(fmt) "ap: " fmt

#include <linux/err.h>
#include <linux/export.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/srcu.h>
#include <linux/string.h>
#include "internal.h"

DEFINE_STATIC_SRCU(ap_hw_srcu);
static DEFINE_MUTEX(ap_hw_mutex);
static const struct ap_hw_ops __rcu *ap_hw_ops_current;
static bool ap_hw_leaving;

/* What an instruction answers when there is no backend. */
#define AP_HW_NO_QUEUE	((struct ap_hw_status){ .rc = AP_HW_RC_Q_NOT_AVAIL })

/**
 * ap_hw_register() - make a backend the provider of the AP instructions
 * @ops: the backend
 *
 * The bus rescans right away and creates the backend's devices.
 *
 * Context: process context; takes ap_hw_mutex and runs a bus scan.
 * Return: 0, or -EBUSY if a backend is registered already.
 */
int ap_hw_register(const struct ap_hw_ops *ops)
{
	scoped_guard(mutex, &ap_hw_mutex) {
		if (rcu_access_pointer(ap_hw_ops_current))
			return -EBUSY;
		ap_hw_leaving = false;
		rcu_assign_pointer(ap_hw_ops_current, ops);
	}
	pr_info("AP instructions provided by %s\n", ops->name);
	ap_bus_rescan();
	return 0;
}
EXPORT_SYMBOL_GPL(ap_hw_register);

/**
 * ap_hw_unregister() - withdraw a backend
 * @ops: the backend, as registered
 *
 * Removes every card and queue device first (their queues are reset
 * through @ops), then stops using @ops.
 *
 * Context: process context; takes ap_hw_mutex and runs a bus scan.
 */
void ap_hw_unregister(const struct ap_hw_ops *ops)
{
	guard(mutex)(&ap_hw_mutex);
	if (rcu_access_pointer(ap_hw_ops_current) != ops)
		return;
	WRITE_ONCE(ap_hw_leaving, true);
	ap_bus_rescan();
	RCU_INIT_POINTER(ap_hw_ops_current, NULL);
	synchronize_srcu(&ap_hw_srcu);
	pr_info("AP instructions of %s withdrawn\n", ops->name);
}
EXPORT_SYMBOL_GPL(ap_hw_unregister);

/**
 * ap_hw_present() - is a backend registered?
 *
 * Return: true if AP instructions are available.
 */
bool ap_hw_present(void)
{
	return !!rcu_access_pointer(ap_hw_ops_current);
}
EXPORT_SYMBOL_GPL(ap_hw_present);

/*
 * ap_hw_get() - the backend, inside an SRCU read section that
 * ap_hw_put() ends; NULL without a backend.
 */
static const struct ap_hw_ops *ap_hw_get(int *idx)
	__acquires(&ap_hw_srcu)
{
	*idx = srcu_read_lock(&ap_hw_srcu);
	return srcu_dereference(ap_hw_ops_current, &ap_hw_srcu);
}

static void ap_hw_put(int idx)
	__releases(&ap_hw_srcu)
{
	srcu_read_unlock(&ap_hw_srcu, idx);
}

/**
 * ap_hw_host_irq_capable() - are the host's queue interrupts signalled?
 *
 * Return: true if the backend has AQIC and signals the interrupts of the
 * host's queues (ap_hw_host_irq()); otherwise replies are polled for.
 */
bool ap_hw_host_irq_capable(void)
{
	const struct ap_hw_ops *ops;
	bool ret;
	int idx;

	ops = ap_hw_get(&idx);
	ret = ops && ops->aqic && ops->host_irq;
	ap_hw_put(idx);
	return ret;
}

/**
 * ap_hw_host_irq() - the machine signals an interrupt of a host queue
 *
 * A reply became pending on a queue whose interrupts the host enabled:
 * the message path dequeues it.
 *
 * Context: any context.
 */
void ap_hw_host_irq(void)
{
	ap_msg_irq();
}
EXPORT_SYMBOL_GPL(ap_hw_host_irq);

/**
 * ap_hw_irq_capable() - can the backend control queue interrupts?
 *
 * Return: true if a backend with AQIC is registered.
 */
bool ap_hw_irq_capable(void)
{
	const struct ap_hw_ops *ops;
	bool ret;
	int idx;

	ops = ap_hw_get(&idx);
	ret = ops && ops->aqic;
	ap_hw_put(idx);
	return ret;
}

/**
 * ap_hw_backend_name() - name the provider of the AP instructions
 * @buf: receives the backend's name, or "none"
 * @size: size of @buf
 */
void ap_hw_backend_name(char *buf, size_t size)
{
	const struct ap_hw_ops *ops;
	int idx;

	ops = ap_hw_get(&idx);
	strscpy(buf, ops ? ops->name : "none", size);
	ap_hw_put(idx);
}
EXPORT_SYMBOL_GPL(ap_hw_backend_name);

/**
 * ap_hw_qci() - query the AP configuration
 * @cfg: receives the configuration
 *
 * Context: any context.
 * Return: 0, or -EOPNOTSUPP without a backend (or while it leaves).
 */
int ap_hw_qci(struct ap_hw_config *cfg)
{
	const struct ap_hw_ops *ops;
	int idx, rc = -EOPNOTSUPP;

	memset(cfg, 0, sizeof(*cfg));
	if (READ_ONCE(ap_hw_leaving))
		return rc;
	ops = ap_hw_get(&idx);
	if (ops && ops->qci)
		rc = ops->qci(cfg);
	ap_hw_put(idx);
	return rc;
}
EXPORT_SYMBOL_GPL(ap_hw_qci);

/**
 * ap_hw_tapq() - test a queue
 * @apqn: the queue
 * @info: receives type, facilities, depth and message size
 *
 * Context: any context.
 * Return: the status word.
 */
struct ap_hw_status ap_hw_tapq(apqn_t apqn, struct ap_hw_queue_info *info)
{
	struct ap_hw_status st = AP_HW_NO_QUEUE;
	const struct ap_hw_ops *ops;
	int idx;

	memset(info, 0, sizeof(*info));
	ops = ap_hw_get(&idx);
	if (ops && ops->tapq)
		st = ops->tapq(apqn, info);
	ap_hw_put(idx);
	return st;
}
EXPORT_SYMBOL_GPL(ap_hw_tapq);

/**
 * ap_hw_reset() - start a reset, or a reset and zeroize, of a queue
 * @apqn: the queue
 * @zeroize: also clear the queue's secrets (ZAPQ instead of RAPQ)
 *
 * Context: any context.
 * Return: the status word.
 */
struct ap_hw_status ap_hw_reset(apqn_t apqn, bool zeroize)
{
	struct ap_hw_status st = AP_HW_NO_QUEUE;
	const struct ap_hw_ops *ops;
	int idx;

	ops = ap_hw_get(&idx);
	if (ops && ops->reset)
		st = ops->reset(apqn, zeroize);
	ap_hw_put(idx);
	return st;
}
EXPORT_SYMBOL_GPL(ap_hw_reset);

/**
 * ap_hw_aqic() - enable or disable interrupts of a queue
 * @apqn: the queue
 * @enable: enable (true) or disable
 * @isc: interruption subclass when enabling
 *
 * Context: any context.
 * Return: the status word.
 */
struct ap_hw_status ap_hw_aqic(apqn_t apqn, bool enable, u8 isc)
{
	struct ap_hw_status st = AP_HW_NO_QUEUE;
	const struct ap_hw_ops *ops;
	int idx;

	ops = ap_hw_get(&idx);
	if (ops && ops->aqic)
		st = ops->aqic(apqn, enable, isc);
	ap_hw_put(idx);
	return st;
}
EXPORT_SYMBOL_GPL(ap_hw_aqic);

/**
 * ap_hw_nqap() - enqueue a request
 * @apqn: the queue
 * @psmid: the program-supplied message id
 * @msg: the request
 * @len: its length
 *
 * Context: any context.
 * Return: the status word.
 */
struct ap_hw_status ap_hw_nqap(apqn_t apqn, u64 psmid, const void *msg,
			       size_t len)
{
	struct ap_hw_status st = AP_HW_NO_QUEUE;
	const struct ap_hw_ops *ops;
	int idx;

	ops = ap_hw_get(&idx);
	if (ops && ops->nqap)
		st = ops->nqap(apqn, psmid, msg, len);
	ap_hw_put(idx);
	return st;
}
EXPORT_SYMBOL_GPL(ap_hw_nqap);

/**
 * ap_hw_dqap() - dequeue a reply
 * @apqn: the queue
 * @psmid: receives the message id of the reply
 * @msg: receives the reply
 * @len: in: room at @msg; out: length of the reply
 *
 * Context: any context.
 * Return: the status word.
 */
struct ap_hw_status ap_hw_dqap(apqn_t apqn, u64 *psmid, void *msg,
			       size_t *len)
{
	struct ap_hw_status st = AP_HW_NO_QUEUE;
	const struct ap_hw_ops *ops;
	int idx;

	ops = ap_hw_get(&idx);
	if (ops && ops->dqap)
		st = ops->dqap(apqn, psmid, msg, len);
	ap_hw_put(idx);
	return st;
}
EXPORT_SYMBOL_GPL(ap_hw_dqap);

/**
 * ap_hw_configure() - configure an adapter on or off (SCLP)
 * @apid: the adapter
 * @on: configure (true) or deconfigure
 *
 * Context: process context.
 * Return: 0, -EOPNOTSUPP without a backend that can, or the backend's
 * errno.
 */
int ap_hw_configure(unsigned int apid, bool on)
{
	const struct ap_hw_ops *ops;
	int idx, rc = -EOPNOTSUPP;

	ops = ap_hw_get(&idx);
	if (ops && ops->configure)
		rc = ops->configure(apid, on);
	ap_hw_put(idx);
	return rc;
}
EXPORT_SYMBOL_GPL(ap_hw_configure);

/**
 * ap_hw_fw_query() - ask a coprocessor queue's firmware about itself
 * @apqn: the queue; the caller's driver must have it bound
 * @info: receives the answer; zeroed first
 *
 * Context: process context; may sleep.
 * Return: 0, or a negative errno (see struct ap_hw_ops; -EOPNOTSUPP if
 * the backend cannot ask).
 */
int ap_hw_fw_query(apqn_t apqn, struct ap_hw_fw_info *info)
{
	const struct ap_hw_ops *ops;
	int idx, rc = -EOPNOTSUPP;

	memset(info, 0, sizeof(*info));
	ops = ap_hw_get(&idx);
	if (ops && ops->fw_query)
		rc = ops->fw_query(apqn, info);
	ap_hw_put(idx);
	return rc;
}
EXPORT_SYMBOL_GPL(ap_hw_fw_query);

/*
 * Guest contexts: the machine's side of passthrough.
 *
 * A passthrough driver creates a guest context when a guest starts using
 * its device and loads into it the CRYCB the guest should have. From then
 * on the backend, as firmware under interpretation does on IBM Z, decides
 * from that CRYCB alone what each AP instruction of the guest reaches.
 * The driver never answers for the guest; it can read back what the
 * machine holds, and, where the backend can execute instructions for a
 * guest (the simulated facility), test what the guest reaches.
 *
 * A context pins its backend's module, so the backend cannot be
 * withdrawn while a guest runs on it; the wrappers below therefore call
 * the context's backend directly, outside ap_hw_srcu.
 */

/**
 * ap_hw_guest_create() - create a guest context with an empty CRYCB
 * @kvm: the KVM guest the passthrough device was opened for, or NULL
 *
 * Context: process context; may sleep.
 * Return: the context, or an ERR_PTR(): -ENODEV without a backend or if
 * the backend has no guest contexts, or what the backend answers (on
 * IBM Z, -EINVAL without a KVM guest that has a CRYCB).
 */
struct ap_hw_guest *ap_hw_guest_create(struct kvm *kvm)
{
	struct ap_hw_guest *guest = ERR_PTR(-ENODEV);
	const struct ap_hw_ops *ops;
	int idx;

	ops = ap_hw_get(&idx);
	if (ops && ops->guest_create && try_module_get(ops->owner)) {
		guest = ops->guest_create(kvm);
		if (IS_ERR(guest))
			module_put(ops->owner);
		else
			guest->ops = ops;
	}
	ap_hw_put(idx);
	return guest;
}
EXPORT_SYMBOL_GPL(ap_hw_guest_create);

/**
 * ap_hw_guest_destroy() - clear a guest's CRYCB and destroy its context
 * @guest: the context, or NULL
 *
 * Context: process context; may sleep.
 */
void ap_hw_guest_destroy(struct ap_hw_guest *guest)
{
	const struct ap_hw_ops *ops;

	if (!guest)
		return;
	ops = guest->ops;
	ops->guest_destroy(guest);
	module_put(ops->owner);
}
EXPORT_SYMBOL_GPL(ap_hw_guest_destroy);

/**
 * ap_hw_guest_load() - load a guest's CRYCB
 * @guest: the context
 * @crycb: adapters, usage domains and control domains the guest may use
 *
 * Context: process context; may sleep.
 */
void ap_hw_guest_load(struct ap_hw_guest *guest, const struct ap_matrix *crycb)
{
	guest->ops->guest_load(guest, crycb);
}
EXPORT_SYMBOL_GPL(ap_hw_guest_load);

/**
 * ap_hw_guest_crycb() - the CRYCB the machine holds for a guest
 * @guest: the context
 * @crycb: receives it
 *
 * Context: process context; may sleep.
 */
void ap_hw_guest_crycb(struct ap_hw_guest *guest, struct ap_matrix *crycb)
{
	guest->ops->guest_crycb(guest, crycb);
}
EXPORT_SYMBOL_GPL(ap_hw_guest_crycb);

/**
 * ap_hw_guest_tapq() - TAPQ as the guest issues it
 * @guest: the context
 * @apqn: the queue the guest addresses
 * @info: receives what TAPQ tells about the queue
 * @st: receives the status word the guest sees
 *
 * Context: any context.
 * Return: 0, or -EOPNOTSUPP if the backend cannot issue instructions for
 * a guest.
 */
int ap_hw_guest_tapq(struct ap_hw_guest *guest, apqn_t apqn,
		     struct ap_hw_queue_info *info, struct ap_hw_status *st)
{
	if (!guest->ops->guest_tapq)
		return -EOPNOTSUPP;
	*st = guest->ops->guest_tapq(guest, apqn, info);
	return 0;
}
EXPORT_SYMBOL_GPL(ap_hw_guest_tapq);

/**
 * ap_hw_guest_set_hook() - handle a guest's PQAP(AQIC)
 * @guest: the context
 * @hook: the handler, or NULL to remove it (waits for running calls)
 *
 * Context: process context; may sleep. Not under a lock the hook takes.
 * Return: 0, or -EOPNOTSUPP if the backend does not intercept AQIC.
 */
int ap_hw_guest_set_hook(struct ap_hw_guest *guest,
			 struct ap_hw_aqic_hook *hook)
{
	if (!guest->ops->guest_set_hook)
		return -EOPNOTSUPP;
	guest->ops->guest_set_hook(guest, hook);
	return 0;
}
EXPORT_SYMBOL_GPL(ap_hw_guest_set_hook);

/**
 * ap_hw_guest_gisc_register() - register a guest ISC in its GISA
 * @guest: the context
 * @gisc: the guest's interruption subclass
 *
 * Context: process context; may sleep.
 * Return: the host's alert subclass, or a negative errno (-ERANGE for
 * a subclass above 7, -EOPNOTSUPP if the backend has no GISA).
 */
int ap_hw_guest_gisc_register(struct ap_hw_guest *guest, u8 gisc)
{
	if (!guest->ops->guest_gisc_register)
		return -EOPNOTSUPP;
	return guest->ops->guest_gisc_register(guest, gisc);
}
EXPORT_SYMBOL_GPL(ap_hw_guest_gisc_register);

/**
 * ap_hw_guest_gisc_unregister() - drop a registration of a guest ISC
 * @guest: the context
 * @gisc: the subclass, as registered
 *
 * Context: process context; may sleep.
 * Return: 0 or a negative errno.
 */
int ap_hw_guest_gisc_unregister(struct ap_hw_guest *guest, u8 gisc)
{
	if (!guest->ops->guest_gisc_unregister)
		return -EOPNOTSUPP;
	return guest->ops->guest_gisc_unregister(guest, gisc);
}
EXPORT_SYMBOL_GPL(ap_hw_guest_gisc_unregister);

/**
 * ap_hw_guest_aqic() - enable or disable a guest's queue's interrupts
 * @guest: the context of the guest that has the queue
 * @apqn: the queue
 * @t: where the interrupts go (@t->guest is @guest), or NULL to
 *     disable them
 *
 * Context: any context.
 * Return: the status word of the host's AQIC.
 */
struct ap_hw_status ap_hw_guest_aqic(struct ap_hw_guest *guest, apqn_t apqn,
				     const struct ap_hw_irq_target *t)
{
	if (!guest->ops->guest_aqic)
		return AP_HW_NO_QUEUE;
	return guest->ops->guest_aqic(apqn, t);
}
EXPORT_SYMBOL_GPL(ap_hw_guest_aqic);

/**
 * ap_hw_guest_fw_query() - ask a guest's coprocessor queue's firmware
 * about itself, on the guest's behalf
 * @guest: the context of the guest that has the queue
 * @apqn: the queue, in the guest's CRYCB
 * @info: receives the answer; zeroed first
 *
 * Context: process context; may sleep.
 * Return: 0, or a negative errno as ap_hw_fw_query(); -EOPNOTSUPP if the
 * backend cannot ask.
 */
int ap_hw_guest_fw_query(struct ap_hw_guest *guest, apqn_t apqn,
			 struct ap_hw_fw_info *info)
{
	memset(info, 0, sizeof(*info));
	if (!guest->ops->guest_fw_query)
		return -EOPNOTSUPP;
	return guest->ops->guest_fw_query(guest, apqn, info);
}
EXPORT_SYMBOL_GPL(ap_hw_guest_fw_query);

/**
 * ap_hw_config_changed() - the machine reports an AP configuration change
 *
 * Both backends call it: the machine's CHSC notification of a changed AP
 * configuration (hw_s390.c), the simulated facility's commands. The bus
 * scans right away.
 *
 * Context: any context.
 */
void ap_hw_config_changed(void)
{
	ap_scan_soon();
}
EXPORT_SYMBOL_GPL(ap_hw_config_changed);

/**
 * ap_hw_config_changed_sync() - the machine reports an AP configuration
 * change and waits until the bus has taken it in
 *
 * Returns when a scan that started after the call has finished, with
 * every device it added or removed bound or unbound. A simulated machine
 * uses it so that a change it makes is complete when its command returns.
 *
 * Context: process context, not from within a scan.
 */
void ap_hw_config_changed_sync(void)
{
	ap_bus_rescan();
}
EXPORT_SYMBOL_GPL(ap_hw_config_changed_sync);
