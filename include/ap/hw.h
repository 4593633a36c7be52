/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The AP hardware operations: the instructions of the Adjunct Processor
 * facility, as seen by the AP bus and the passthrough driver.
 *
 * One backend provides them at a time: the real instructions on s390
 * (drivers/ap/hw_s390.c) or the simulated facility (module ap_sim). The
 * bus reaches them only through the ap_hw_*() wrappers below, which
 * answer "queue not available" while no backend is registered.
 */
#ifndef _AP_HW_H
#define _AP_HW_H

#include <linux/types.h>
#include <ap/matrix.h>
#include <ap/qid.h>

/* Response codes of the AP instructions (byte 1 of the status word). */
#define AP_HW_RC_NORMAL			0x00
#define AP_HW_RC_Q_NOT_AVAIL		0x01
#define AP_HW_RC_RESET_IN_PROGRESS	0x02
#define AP_HW_RC_DECONFIGURED		0x03
#define AP_HW_RC_CHECKSTOPPED		0x04
#define AP_HW_RC_BUSY			0x05
#define AP_HW_RC_INVALID_ADDRESS	0x06
#define AP_HW_RC_OTHERWISE_CHANGED	0x07
#define AP_HW_RC_STATE_CHANGE		0x0a
#define AP_HW_RC_NO_PENDING_REPLY	0x10
#define AP_HW_RC_Q_FULL			0x10
#define AP_HW_RC_MESSAGE_TOO_BIG	0x15
#define AP_HW_RC_INVALID_DOMAIN		0x42

/* Facility bits of a queue, as TAPQ reports them (card ap_functions). */
#define AP_HW_FUNC_APSC		0x80000000	/* special command facility */
#define AP_HW_FUNC_MEX4K	0x40000000	/* 4096-bit modular exponent. */
#define AP_HW_FUNC_CRT4K	0x20000000	/* 4096-bit CRT */
#define AP_HW_FUNC_CCA		0x10000000	/* CCA coprocessor mode */
#define AP_HW_FUNC_ACCEL	0x08000000	/* accelerator mode */
#define AP_HW_FUNC_EP11		0x04000000	/* EP11 coprocessor mode */
#define AP_HW_FUNC_APXA		0x02000000	/* extended addressing */
#define AP_HW_FUNC_MODES	(AP_HW_FUNC_CCA | AP_HW_FUNC_ACCEL | \
				 AP_HW_FUNC_EP11)

/* AP types: what the hwtype attribute shows. */
#define AP_HW_TYPE_CEX3C	9
#define AP_HW_TYPE_CEX4		10
#define AP_HW_TYPE_CEX5		11
#define AP_HW_TYPE_CEX8		14
#define AP_HW_TYPE_MAX		AP_HW_TYPE_CEX8

/* Flags of the machine's AP configuration (QCI). */
#define AP_HW_QCI_APSC		0x01	/* special command facility */
#define AP_HW_QCI_APXA		0x02	/* extended addressing */
#define AP_HW_QCI_QACT		0x04	/* query AP compatibility type */
#define AP_HW_QCI_RC8A		0x08	/* response code 8A */
#define AP_HW_QCI_APSB		0x10	/* secure execution binding */

/**
 * struct ap_hw_status - the status word an AP instruction answers
 * @rc: response code, AP_HW_RC_*
 * @irq_enabled: interrupts are enabled for the queue
 * @queue_empty: no request is queued
 * @replies_waiting: replies can be dequeued
 */
struct ap_hw_status {
	u8 rc;
	bool irq_enabled;
	bool queue_empty;
	bool replies_waiting;
};

/**
 * struct ap_hw_config - the LPAR's AP configuration, as QCI reports it
 * @masks: adapters (APM), usage domains (AQM) and control domains (ADM)
 *         assigned to the LPAR, in the kernel's bitmap order
 * @limits: the highest adapter and domain ids the machine accepts
 * @flags: AP_HW_QCI_*
 */
struct ap_hw_config {
	struct ap_matrix masks;
	struct ap_limits limits;
	unsigned int flags;
};

/**
 * struct ap_hw_queue_info - what TAPQ tells about a queue
 * @type: raw AP type of the adapter (10 = CEX4 ... 14 = CEX8)
 * @functions: facility bits, AP_HW_FUNC_*
 * @depth: number of requests the queue holds
 * @max_msg_size: largest request or reply in bytes
 */
struct ap_hw_queue_info {
	u8 type;
	u32 functions;
	unsigned int depth;
	unsigned int max_msg_size;
};

/* Room for an adapter's serial number and a key's verification pattern. */
#define AP_HW_SERIAL_LEN	16
#define AP_HW_MKVP_LEN		32

/**
 * struct ap_hw_fw_info - what a coprocessor's firmware tells of itself
 *	and of one of its domains
 * @serial: the adapter's serial number, NUL-terminated
 * @api_ordinal: EP11 API ordinal number; 0 on a CCA coprocessor
 * @fw_version: EP11 firmware version, major << 8 | minor; 0 on CCA
 * @op_modes: EP11 operational modes, bit n set for mode n; 0 on CCA
 * @key_set: the domain holds a current master key (CCA) or wrapping key
 *	(EP11); a zeroized domain holds none
 * @mkvp: the key's verification pattern, all zero unless @key_set
 */
struct ap_hw_fw_info {
	char serial[AP_HW_SERIAL_LEN + 1];
	u32 api_ordinal;
	u16 fw_version;
	u32 op_modes;
	bool key_set;
	u8 mkvp[AP_HW_MKVP_LEN];
};

struct kvm;
struct module;
struct page;

/* Interruption subclasses: 0 to 7. */
#define AP_HW_ISCS		8

/**
 * struct ap_hw_aqic_req - what a guest's PQAP(AQIC) asks for
 * @enable: the IR bit: enable the queue's interrupts, else disable them
 * @isc: the guest's interruption subclass (the low bits of GR1)
 * @nib: the guest address of its notification-indicator byte (GR2)
 */
struct ap_hw_aqic_req {
	bool enable;
	u8 isc;
	u64 nib;
};

/**
 * struct ap_hw_aqic_hook - the hypervisor's handler of a guest's AQIC
 * @fn: called for each PQAP(AQIC) a guest issues, in process context
 *      (it may sleep), with the queue it names; what it returns is the
 *      status word the guest gets
 *
 * The machine interprets every AP instruction of a guest against its
 * CRYCB but PQAP(AQIC), which it intercepts to the host (on IBM Z, KVM
 * calls kvm->arch.crypto.pqap_hook). The passthrough driver embeds this
 * structure and registers it for a guest context.
 */
struct ap_hw_aqic_hook {
	struct ap_hw_status (*fn)(struct ap_hw_aqic_hook *hook, apqn_t apqn,
				  const struct ap_hw_aqic_req *req);
};

/**
 * struct ap_hw_irq_target - where a queue's interrupts go, for a guest
 * @guest: the guest context whose GISA the interrupts are made pending in
 * @gisc: the guest's interruption subclass made pending there
 * @nisc: the host's subclass for alerts, as registering @gisc answered
 * @page: the page holding the notification byte, pinned by the caller
 *        for as long as the interrupts stay enabled
 * @offset: the byte's offset in @page
 */
struct ap_hw_irq_target {
	struct ap_hw_guest *guest;
	u8 gisc;
	u8 nisc;
	struct page *page;
	unsigned int offset;
};

/**
 * struct ap_hw_guest - a guest context of the machine
 * @ops: the backend that holds the context (set by ap_hw_guest_create())
 * @id: the backend's number of the context, never reused while it runs
 *
 * A guest context is what the machine interprets a guest's AP
 * instructions against: its CRYCB, the adapters (APM), usage domains
 * (AQM) and control domains (ADM) the guest may address. The passthrough
 * driver loads the CRYCB; the machine alone decides, from it, what each
 * instruction of the guest reaches. A backend embeds this structure in
 * its own.
 */
struct ap_hw_guest {
	const struct ap_hw_ops *ops;
	unsigned int id;
};

/**
 * struct ap_hw_ops - a backend of the AP instructions
 * @name: name of the backend, for the log
 * @qci: query the configuration; 0 or -EOPNOTSUPP
 * @tapq: test a queue; fills @info when the queue answers
 * @reset: reset a queue (RAPQ), or reset and zeroize it (ZAPQ) when
 *         @zeroize is set; completion is asynchronous: TAPQ answers
 *         AP_HW_RC_RESET_IN_PROGRESS until the reset is done
 * @aqic: enable or disable interrupts of a queue
 * @nqap: enqueue a request message
 * @dqap: dequeue a reply message into @msg (at most *@len bytes, *@len
 *        updated)
 * @configure: configure an adapter on or off (SCLP Configure/Deconfigure
 *             Adjunct Processor); 0 or a negative errno
 * @fw_query: ask the firmware of a coprocessor queue (a CCA or EP11
 *            status request sent to it) about its adapter and domain; 0,
 *            -ENODEV if the queue does not answer, -EBUSY while it is
 *            being reset, -EOPNOTSUPP for an accelerator; NULL if the
 *            backend cannot send such requests
 * @host_irq: the backend signals the interrupts of the host's queues
 *            (those enabled by @aqic) by calling ap_hw_host_irq()
 * @owner: the module providing the backend; each guest context holds a
 *         reference to it
 * @guest_create: create a guest context with an empty CRYCB; @kvm is the
 *                KVM guest the passthrough device was opened for, or NULL;
 *                the context or an ERR_PTR()
 * @guest_destroy: clear the context's CRYCB and free the context
 * @guest_load: load a new CRYCB into the context; the guest's next
 *              instruction is interpreted against it
 * @guest_crycb: read back the CRYCB the machine holds for the context
 * @guest_tapq: TAPQ as the guest issues it, interpreted against its
 *              CRYCB: AP_HW_RC_Q_NOT_AVAIL outside it; NULL if the
 *              backend cannot execute instructions for a guest (on IBM Z
 *              only the guest's CPUs do)
 * @guest_set_hook: make @hook the handler of the guest's PQAP(AQIC), or
 *                  with NULL remove it; removing waits for running calls
 * @guest_gisc_register: register a guest interruption subclass in the
 *                       guest's GISA; the host's alert subclass, or
 *                       -ERANGE for a subclass above 7
 * @guest_gisc_unregister: drop one registration of a subclass
 * @guest_aqic: host AQIC for a queue given to a guest: with @t, enable
 *              the queue's interrupts towards @t (the machine then sets
 *              the notification byte and makes @t->gisc pending in the
 *              guest's GISA each time a reply becomes pending); with
 *              NULL, disable them
 * @guest_fw_query: @fw_query issued by the hypervisor on behalf of the
 *                  guest, to a queue in its CRYCB (-ENODEV for another):
 *                  the guest's keys are not the host's to see, but the
 *                  guest's hypervisor may compare them when it moves the
 *                  guest; NULL if the backend cannot ask
 *
 * Context: any context for all operations but @configure, @fw_query and
 * the guest operations, which may sleep; none of the others sleeps.
 */
struct ap_hw_ops {
	const char *name;
	int (*qci)(struct ap_hw_config *cfg);
	struct ap_hw_status (*tapq)(apqn_t apqn, struct ap_hw_queue_info *info);
	struct ap_hw_status (*reset)(apqn_t apqn, bool zeroize);
	struct ap_hw_status (*aqic)(apqn_t apqn, bool enable, u8 isc);
	struct ap_hw_status (*nqap)(apqn_t apqn, u64 psmid, const void *msg,
				    size_t len);
	struct ap_hw_status (*dqap)(apqn_t apqn, u64 *psmid, void *msg,
				    size_t *len);
	int (*configure)(unsigned int apid, bool on);
	int (*fw_query)(apqn_t apqn, struct ap_hw_fw_info *info);
	bool host_irq;
	struct module *owner;
	struct ap_hw_guest *(*guest_create)(struct kvm *kvm);
	void (*guest_destroy)(struct ap_hw_guest *guest);
	void (*guest_load)(struct ap_hw_guest *guest,
			   const struct ap_matrix *crycb);
	void (*guest_crycb)(struct ap_hw_guest *guest, struct ap_matrix *crycb);
	struct ap_hw_status (*guest_tapq)(struct ap_hw_guest *guest,
					  apqn_t apqn,
					  struct ap_hw_queue_info *info);
	void (*guest_set_hook)(struct ap_hw_guest *guest,
			       struct ap_hw_aqic_hook *hook);
	int (*guest_gisc_register)(struct ap_hw_guest *guest, u8 gisc);
	int (*guest_gisc_unregister)(struct ap_hw_guest *guest, u8 gisc);
	struct ap_hw_status (*guest_aqic)(apqn_t apqn,
					  const struct ap_hw_irq_target *t);
	int (*guest_fw_query)(struct ap_hw_guest *guest, apqn_t apqn,
			      struct ap_hw_fw_info *info);
};

int ap_hw_register(const struct ap_hw_ops *ops);
void ap_hw_unregister(const struct ap_hw_ops *ops);
bool ap_hw_present(void);
void ap_hw_backend_name(char *buf, size_t size);

int ap_hw_qci(struct ap_hw_config *cfg);
struct ap_hw_status ap_hw_tapq(apqn_t apqn, struct ap_hw_queue_info *info);
struct ap_hw_status ap_hw_reset(apqn_t apqn, bool zeroize);
struct ap_hw_status ap_hw_aqic(apqn_t apqn, bool enable, u8 isc);
struct ap_hw_status ap_hw_nqap(apqn_t apqn, u64 psmid, const void *msg,
			       size_t len);
struct ap_hw_status ap_hw_dqap(apqn_t apqn, u64 *psmid, void *msg,
			       size_t *len);
int ap_hw_configure(unsigned int apid, bool on);
int ap_hw_fw_query(apqn_t apqn, struct ap_hw_fw_info *info);

struct ap_hw_guest *ap_hw_guest_create(struct kvm *kvm);
void ap_hw_guest_destroy(struct ap_hw_guest *guest);
void ap_hw_guest_load(struct ap_hw_guest *guest,
		      const struct ap_matrix *crycb);
void ap_hw_guest_crycb(struct ap_hw_guest *guest, struct ap_matrix *crycb);
int ap_hw_guest_tapq(struct ap_hw_guest *guest, apqn_t apqn,
		     struct ap_hw_queue_info *info, struct ap_hw_status *st);
int ap_hw_guest_set_hook(struct ap_hw_guest *guest,
			 struct ap_hw_aqic_hook *hook);
int ap_hw_guest_gisc_register(struct ap_hw_guest *guest, u8 gisc);
int ap_hw_guest_gisc_unregister(struct ap_hw_guest *guest, u8 gisc);
struct ap_hw_status ap_hw_guest_aqic(struct ap_hw_guest *guest, apqn_t apqn,
				     const struct ap_hw_irq_target *t);
int ap_hw_guest_fw_query(struct ap_hw_guest *guest, apqn_t apqn,
			 struct ap_hw_fw_info *info);

/* The machine signalled an interrupt of a host queue: a reply is pending. */
void ap_hw_host_irq(void);

/* The machine signalled a change of the AP configuration: rescan soon. */
void ap_hw_config_changed(void);
/* Likewise, and return when the bus has taken the change in. */
void ap_hw_config_changed_sync(void);

#endif /* _AP_HW_H */
