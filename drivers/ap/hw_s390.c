// SPDX-License-Identifier: GPL-2.0
/*
 * The real AP instructions (s390 only): a thin translation between the
 * instruction wrappers of <asm/ap.h> and struct ap_hw_ops.
 *
 * At load the bus tests whether the instructions exist (they do not under
 * qemu's TCG CPU model); if they do not, nothing is registered and a
 * simulated facility may provide them instead. The configuration needs
 * QCI (facility 12). The host's own queue interrupts are not offered:
 * nothing here processes requests, so the host has no use for them. The
 * machine's notification of a changed AP configuration (CHSC, the event
 * upstream's bus registers for too) makes the bus scan at once.
 *
 * A guest context is a KVM guest's CRYCB: loading it sets the guest's
 * APM, AQM and ADM through KVM (which also makes the vCPUs see the
 * change), and the firmware interprets the guest's AP instructions
 * against it. Only the guest's CPUs can issue them, so guest_tapq is not
 * offered. The firmware intercepts one of them, PQAP(AQIC), and KVM calls
 * the guest's pqap_hook under kvm->arch.crypto.pqap_hook_rwsem: the
 * context's hook decodes the guest's registers (GR0 the queue, GR1 the IR
 * bit and the ISC, GR2 the notification byte's guest address) for the
 * passthrough driver's handler and puts its status word back in GR1, as
 * KVM expects. The guest's ISCs are registered in its GISA through KVM,
 * and the host AQIC names the GISA, the guest ISC and the byte's host
 * address. Without KVM there is no CRYCB, and no guest context.
 */

#define pr_fmt(fmt) "ap: " fmt

#include <linux/notifier.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <asm/ap.h>
#include <asm/chsc.h>
#include <asm/facility.h>
#include <asm/sclp.h>
#include "internal.h"

#if IS_ENABLED(CONFIG_KVM)
#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/io.h>
#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <linux/slab.h>
#endif

/* Default largest message when TAPQ does not tell: 12 KiB. */
#define AP_HW_S390_DEFAULT_MSG	(12 * 1024)

static DEFINE_SPINLOCK(ap_hw_s390_qci_lock);
static struct ap_config_info ap_hw_s390_qci_info;

static struct ap_hw_status ap_hw_s390_status(struct ap_queue_status st)
{
	return (struct ap_hw_status) {
		.rc = st.response_code,
		.irq_enabled = st.irq_enabled,
		.queue_empty = st.queue_empty,
		.replies_waiting = st.replies_waiting,
	};
}

static void ap_hw_s390_convert(const struct ap_config_info *info,
			       struct ap_hw_config *cfg)
{
	/* The masks are MSB0 bit strings: on s390 their bytes are in order. */
	ap_mask_from_msb0((const u8 *)info->apm, cfg->masks.apm);
	ap_mask_from_msb0((const u8 *)info->aqm, cfg->masks.aqm);
	ap_mask_from_msb0((const u8 *)info->adm, cfg->masks.adm);
	cfg->limits.max_apid = info->na;
	cfg->limits.max_apqi = info->nd;
	cfg->flags = (info->apsc ? AP_HW_QCI_APSC : 0) |
		     (info->apxa ? AP_HW_QCI_APXA : 0) |
		     (info->qact ? AP_HW_QCI_QACT : 0) |
		     (info->rc8a ? AP_HW_QCI_RC8A : 0) |
		     (info->apsb ? AP_HW_QCI_APSB : 0);
}

static int ap_hw_s390_qci(struct ap_hw_config *cfg)
{
	struct ap_config_info *info = &ap_hw_s390_qci_info;
	int rc;

	if (!test_facility(12))
		return -EOPNOTSUPP;
	spin_lock(&ap_hw_s390_qci_lock);
	memset(info, 0, sizeof(*info));
	rc = ap_qci(info) ? -EOPNOTSUPP : 0;
	if (!rc)
		ap_hw_s390_convert(info, cfg);
	spin_unlock(&ap_hw_s390_qci_lock);
	return rc;
}

static struct ap_hw_status ap_hw_s390_tapq(apqn_t apqn,
					   struct ap_hw_queue_info *info)
{
	struct ap_tapq_hwinfo hw = {};
	struct ap_queue_status st;

	st = ap_test_queue(apqn, test_facility(15), &hw);
	info->type = hw.at;
	info->functions = hw.fac;
	info->depth = hw.qd + 1;
	info->max_msg_size = hw.ml ? hw.ml * 4096 : AP_HW_S390_DEFAULT_MSG;
	return ap_hw_s390_status(st);
}

static struct ap_hw_status ap_hw_s390_reset(apqn_t apqn, bool zeroize)
{
	return ap_hw_s390_status(zeroize ? ap_zapq(apqn, 0) :
				 ap_rapq(apqn, 0));
}

static struct ap_hw_status ap_hw_s390_nqap(apqn_t apqn, u64 psmid,
					   const void *msg, size_t len)
{
	return ap_hw_s390_status(ap_nqap(apqn, psmid, (void *)msg, len));
}

static struct ap_hw_status ap_hw_s390_dqap(apqn_t apqn, u64 *psmid,
					   void *msg, size_t *len)
{
	unsigned long id = 0;
	size_t got = 0;
	struct ap_queue_status st;

	st = ap_dqap(apqn, &id, msg, *len, &got, NULL, NULL);
	*psmid = id;
	*len = got;
	return ap_hw_s390_status(st);
}

static int ap_hw_s390_configure(unsigned int apid, bool on)
{
	return on ? sclp_ap_configure(apid) : sclp_ap_deconfigure(apid);
}

#if IS_ENABLED(CONFIG_KVM)
/**
 * struct ap_hw_s390_guest - a KVM guest's CRYCB as a guest context
 * @hw: the context
 * @kvm: the guest, with a reference
 * @pqap: what kvm->arch.crypto.pqap_hook points to while @hook is set
 * @hook: the passthrough driver's AQIC handler, or NULL; written under
 *        kvm->arch.crypto.pqap_hook_rwsem
 */
struct ap_hw_s390_guest {
	struct ap_hw_guest hw;
	struct kvm *kvm;
	crypto_hook pqap;
	struct ap_hw_aqic_hook *hook;
};

static atomic_t ap_hw_s390_guest_ids = ATOMIC_INIT(0);

static struct kvm *ap_hw_s390_kvm(struct ap_hw_guest *guest)
{
	return container_of(guest, struct ap_hw_s390_guest, hw)->kvm;
}

/* The status word as KVM hands it to the guest in GR1 (bits 32-63). */
static u64 ap_hw_s390_gr1(struct ap_hw_status st)
{
	struct ap_queue_status qs = {
		.queue_empty = st.queue_empty,
		.replies_waiting = st.replies_waiting,
		.irq_enabled = st.irq_enabled,
		.response_code = st.rc,
	};
	u32 word;

	BUILD_BUG_ON(sizeof(qs) != sizeof(word));
	memcpy(&word, &qs, sizeof(word));
	return word;
}

/*
 * KVM's pqap_hook: a guest's PQAP(AQIC), intercepted. Called with
 * pqap_hook_rwsem held for reading; KVM sets the condition code from
 * GR1. Without the AIV facility the guest's interrupts cannot be
 * virtualised and the instruction goes to user space.
 */
static int ap_hw_s390_pqap(struct kvm_vcpu *vcpu)
{
	struct ap_hw_s390_guest *g;
	struct ap_hw_aqic_req req;
	u64 *gprs = vcpu->run->s.regs.gprs;
	struct ap_hw_status st;

	if (!(vcpu->arch.sie_block->eca & ECA_AIV))
		return -EOPNOTSUPP;
	g = container_of(vcpu->kvm->arch.crypto.pqap_hook,
			 struct ap_hw_s390_guest, pqap);
	req.enable = (gprs[1] >> (63 - 16)) & 1;
	req.isc = gprs[1] & 0x07;
	req.nib = gprs[2];
	st = g->hook->fn(g->hook, gprs[0] & 0xffff, &req);
	gprs[1] = ap_hw_s390_gr1(st);
	return 0;
}

static void ap_hw_s390_guest_set_hook(struct ap_hw_guest *guest,
				      struct ap_hw_aqic_hook *hook)
{
	struct ap_hw_s390_guest *g = container_of(guest, struct ap_hw_s390_guest,
						  hw);
	struct kvm *kvm = g->kvm;

	down_write(&kvm->arch.crypto.pqap_hook_rwsem);
	g->pqap = ap_hw_s390_pqap;
	g->hook = hook;
	if (hook)
		kvm->arch.crypto.pqap_hook = &g->pqap;
	else if (kvm->arch.crypto.pqap_hook == &g->pqap)
		kvm->arch.crypto.pqap_hook = NULL;	/* only our own */
	up_write(&kvm->arch.crypto.pqap_hook_rwsem);
}

static int ap_hw_s390_gisc_register(struct ap_hw_guest *guest, u8 gisc)
{
	return kvm_s390_gisc_register(ap_hw_s390_kvm(guest), gisc);
}

static int ap_hw_s390_gisc_unregister(struct ap_hw_guest *guest, u8 gisc)
{
	return kvm_s390_gisc_unregister(ap_hw_s390_kvm(guest), gisc);
}

/* Host AQIC naming the guest's GISA, its ISC and the byte's host page. */
static struct ap_hw_status ap_hw_s390_guest_aqic(apqn_t apqn,
						 const struct ap_hw_irq_target *t)
{
	union ap_qirq_ctrl ctrl = { .value = 0 };
	phys_addr_t nib = 0;
	struct kvm *kvm;

	if (t) {
		kvm = ap_hw_s390_kvm(t->guest);
		ctrl.ir = 1;
		ctrl.gisc = t->gisc;
		ctrl.isc = t->nisc;
		ctrl.gisa = virt_to_phys(kvm->arch.gisa_int.origin) >> 4;
		nib = page_to_phys(t->page) + t->offset;
	}
	return ap_hw_s390_status(ap_aqic(apqn, ctrl, nib));
}

static struct ap_hw_guest *ap_hw_s390_guest_create(struct kvm *kvm)
{
	struct ap_hw_s390_guest *g;

	if (!kvm || !kvm->arch.crypto.crycbd)
		return ERR_PTR(-EINVAL);
	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return ERR_PTR(-ENOMEM);
	kvm_get_kvm(kvm);
	g->kvm = kvm;
	g->hw.id = atomic_inc_return(&ap_hw_s390_guest_ids);
	return &g->hw;
}

static void ap_hw_s390_guest_destroy(struct ap_hw_guest *guest)
{
	struct ap_hw_s390_guest *g = container_of(guest, struct ap_hw_s390_guest,
						  hw);
	struct kvm *kvm = g->kvm;

	/* KVM must not call a hook of a context that is gone. */
	down_write(&kvm->arch.crypto.pqap_hook_rwsem);
	if (WARN_ON_ONCE(kvm->arch.crypto.pqap_hook == &g->pqap))
		kvm->arch.crypto.pqap_hook = NULL;
	up_write(&kvm->arch.crypto.pqap_hook_rwsem);
	mutex_lock(&kvm->lock);
	kvm_arch_crypto_clear_masks(kvm);
	mutex_unlock(&kvm->lock);
	kvm_put_kvm(kvm);
	kfree(container_of(guest, struct ap_hw_s390_guest, hw));
}

/* KVM takes the masks as MSB0 bit strings. */
static void ap_hw_s390_guest_load(struct ap_hw_guest *guest,
				  const struct ap_matrix *crycb)
{
	unsigned long apm[AP_IDS / BITS_PER_LONG];
	unsigned long aqm[AP_IDS / BITS_PER_LONG];
	unsigned long adm[AP_IDS / BITS_PER_LONG];
	struct kvm *kvm = ap_hw_s390_kvm(guest);

	ap_mask_to_msb0(crycb->apm, (u8 *)apm);
	ap_mask_to_msb0(crycb->aqm, (u8 *)aqm);
	ap_mask_to_msb0(crycb->adm, (u8 *)adm);
	mutex_lock(&kvm->lock);
	kvm_arch_crypto_set_masks(kvm, apm, aqm, adm);
	mutex_unlock(&kvm->lock);
}

/* One mask of the CRYCB, @size bytes of MSB0 bits, as a kernel bitmap. */
static void ap_hw_s390_crycb_mask(const void *msb0, size_t size,
				  unsigned long *mask)
{
	u8 bytes[AP_MASK_BYTES] = {};

	memcpy(bytes, msb0, min(size, sizeof(bytes)));
	ap_mask_from_msb0(bytes, mask);
}

static void ap_hw_s390_guest_crycb(struct ap_hw_guest *guest,
				   struct ap_matrix *crycb)
{
	struct kvm *kvm = ap_hw_s390_kvm(guest);
	const void *apm, *aqm, *adm;
	struct kvm_s390_crypto_cb *cb;
	size_t size;

	mutex_lock(&kvm->lock);
	cb = kvm->arch.crypto.crycb;
	if ((kvm->arch.crypto.crycbd & CRYCB_FORMAT_MASK) == CRYCB_FORMAT2) {
		apm = cb->apcb1.apm;
		aqm = cb->apcb1.aqm;
		adm = cb->apcb1.adm;
		size = sizeof(cb->apcb1.apm);
	} else {
		apm = cb->apcb0.apm;
		aqm = cb->apcb0.aqm;
		adm = cb->apcb0.adm;
		size = sizeof(cb->apcb0.apm);
	}
	ap_hw_s390_crycb_mask(apm, size, crycb->apm);
	ap_hw_s390_crycb_mask(aqm, size, crycb->aqm);
	ap_hw_s390_crycb_mask(adm, size, crycb->adm);
	mutex_unlock(&kvm->lock);
}
#endif

static const struct ap_hw_ops ap_hw_s390_ops = {
	.name = "the machine",
	.qci = ap_hw_s390_qci,
	.tapq = ap_hw_s390_tapq,
	.reset = ap_hw_s390_reset,
	.nqap = ap_hw_s390_nqap,
	.dqap = ap_hw_s390_dqap,
	.configure = ap_hw_s390_configure,
	.owner = THIS_MODULE,
#if IS_ENABLED(CONFIG_KVM)
	.guest_create = ap_hw_s390_guest_create,
	.guest_destroy = ap_hw_s390_guest_destroy,
	.guest_load = ap_hw_s390_guest_load,
	.guest_crycb = ap_hw_s390_guest_crycb,
	.guest_set_hook = ap_hw_s390_guest_set_hook,
	.guest_gisc_register = ap_hw_s390_gisc_register,
	.guest_gisc_unregister = ap_hw_s390_gisc_unregister,
	.guest_aqic = ap_hw_s390_guest_aqic,
#endif
};

static bool ap_hw_s390_registered;

/* The machine's CHSC event: the AP configuration changed. */
static int ap_hw_s390_chsc_event(struct notifier_block *nb,
				 unsigned long action, void *data)
{
	if (action == CHSC_NOTIFY_AP_CFG)
		ap_hw_config_changed();
	return NOTIFY_OK;
}

static struct notifier_block ap_hw_s390_chsc_nb = {
	.notifier_call = ap_hw_s390_chsc_event,
};

/**
 * ap_hw_s390_probe() - use the machine's AP instructions if it has them
 *
 * Return: true if they were found and registered.
 */
bool ap_hw_s390_probe(void)
{
	if (!ap_instructions_available()) {
		pr_info("no AP instructions: waiting for a simulated facility\n");
		return false;
	}
	ap_hw_s390_registered = !ap_hw_register(&ap_hw_s390_ops);
	if (ap_hw_s390_registered && chsc_notifier_register(&ap_hw_s390_chsc_nb))
		pr_warn("no notification of AP configuration changes: the bus sees them at its periodic scan\n");
	return ap_hw_s390_registered;
}

/**
 * ap_hw_s390_remove() - stop using the machine's AP instructions
 */
void ap_hw_s390_remove(void)
{
	if (ap_hw_s390_registered) {
		chsc_notifier_unregister(&ap_hw_s390_chsc_nb);
		ap_hw_unregister(&ap_hw_s390_ops);
	}
	ap_hw_s390_registered = false;
}
