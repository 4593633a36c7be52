/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Declarations shared by the files of the simulated AP facility.
 */
#ifndef _AP_SIM_INTERNAL_H
#define _AP_SIM_INTERNAL_H

#include <linux/list.h>
#include <linux/rwsem.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <ap/hw.h>
#include <ap/sim.h>

/* Operations that a one-shot injected response code can hit. */
enum ap_sim_op {
	AP_SIM_OP_TAPQ,
	AP_SIM_OP_RESET,
	AP_SIM_OP_AQIC,
	AP_SIM_OP_NQAP,
	AP_SIM_OP_DQAP,
	AP_SIM_NR_OPS,
};

/* Reset latency meaning "the reset never completes". */
#define AP_SIM_LATENCY_NEVER	UINT_MAX
/* No injected response code pending. */
#define AP_SIM_NO_INJECT	(-1)
/* Who issues an instruction or stored a secret: the host, or a context id. */
#define AP_SIM_HOST		0U
/* The host's subclass for GISA alerts: KVM's (GAL_ISC). */
#define AP_SIM_ALERT_ISC	7
/* Violations the machine keeps the messages of, and their length. */
#define AP_SIM_VIOLATIONS_KEPT	32
#define AP_SIM_VIOLATION_LEN	80

/**
 * struct ap_sim_queue - one domain of one adapter
 * @mode: AP_HW_FUNC_CCA, _ACCEL or _EP11
 * @irq: interrupts enabled
 * @resetting: a reset is running
 * @reset_done: jiffies when it completes
 * @latency_ms: how long a reset takes, or AP_SIM_LATENCY_NEVER
 * @secret: what the queue's user stored; only a zeroizing reset clears it
 * @mk: the domain's master key, 0 for none; set by the security officer
 *      (set-mk), cleared only by a domain zeroize (keys.c)
 * @owner: who stored @secret: AP_SIM_HOST or a guest context's id;
 *         meaningful while @secret is not 0
 * @irq_guest: the context whose GISA the interrupts go to (a host AQIC
 *             for a guest named it), or AP_SIM_HOST
 * @irq_gisc: the guest interruption subclass made pending there
 * @nib_page: the page of the notification byte the host named, or NULL
 * @nib_offset: the byte's offset in @nib_page
 * @reqs: the requests it holds, oldest first, then their replies
 *	(card.c)
 * @nreqs: their number, at most the queue's depth
 * @delay_us: the time from NQAP until a request's reply is pending, at
 *	least; 0 when just computing it
 * @inject: response code the next instruction of each kind answers, or
 *          AP_SIM_NO_INJECT
 */
struct ap_sim_queue {
	u32 mode;
	bool irq;
	unsigned int irq_guest;
	u8 irq_gisc;
	struct page *nib_page;
	unsigned int nib_offset;
	bool resetting;
	unsigned long reset_done;
	unsigned int latency_ms;
	u64 secret;
	u64 mk;
	unsigned int owner;
	struct list_head reqs;
	unsigned int nreqs;
	unsigned int delay_us;
	s16 inject[AP_SIM_NR_OPS];
};

/**
 * struct ap_sim_adapter - an adapter of the machine
 * @assigned: it belongs to the LPAR (its bit is set in APM)
 * @configured: it is online (else in standby)
 * @chkstop: it is check-stopped
 * @type: its raw AP type
 * @facilities: the facility bits TAPQ reports for its queues besides
 *		their mode
 * @queues: its queues, by domain
 */
struct ap_sim_adapter {
	bool assigned;
	bool configured;
	bool chkstop;
	u8 type;
	u32 facilities;
	struct ap_sim_queue queues[AP_IDS];
};

/* What a queue of a new adapter reports besides its mode. */
#define AP_SIM_FUNCTIONS	(AP_HW_FUNC_APSC | AP_HW_FUNC_MEX4K | \
				 AP_HW_FUNC_CRT4K | AP_HW_FUNC_APXA)

/* sim.c: the machine, all of it protected by ap_sim_lock (a leaf). */
extern spinlock_t ap_sim_lock;
extern struct ap_sim_adapter *ap_sim_adapters[AP_IDS];
extern unsigned long ap_sim_aqm[];
extern unsigned long ap_sim_adm[];
void ap_sim_reset_progress(struct ap_sim_queue *q);
void ap_sim_irq_clear(struct ap_sim_queue *q);
struct ap_sim_adapter *ap_sim_assigned_locked(unsigned int apid);
void ap_sim_start_reset_locked(struct ap_sim_queue *q, bool zeroize);
int ap_sim_qci_locked(struct ap_hw_config *cfg);
int ap_sim_qci(struct ap_hw_config *cfg);

/*
 * instr.c: the instructions, for the AP bus, and under ap_sim_lock for
 * the guest contexts. @issuer is AP_SIM_HOST or the id of the context
 * whose guest issues the instruction.
 */
extern const struct ap_hw_ops ap_sim_ops;
struct ap_sim_queue *ap_sim_queue_locked(apqn_t apqn);
struct ap_hw_status ap_sim_tapq_locked(apqn_t apqn,
				       struct ap_hw_queue_info *info);
struct ap_hw_status ap_sim_reset_locked(apqn_t apqn, bool zeroize);
struct ap_hw_status ap_sim_aqic_locked(unsigned int issuer, apqn_t apqn,
				       bool enable, u8 isc);
struct ap_hw_status ap_sim_nqap_locked(unsigned int issuer, apqn_t apqn,
				       u64 psmid, const void *msg, size_t len);
struct ap_hw_status ap_sim_dqap_locked(unsigned int issuer, apqn_t apqn,
				       u64 *psmid, void *msg, size_t *len);

/* card.c: the requests a queue holds, and the accelerator functions. */
#define AP_SIM_DEPTH		8
bool ap_sim_replies_waiting(const struct ap_sim_queue *q);
void ap_sim_drop_requests_locked(struct ap_sim_queue *q);
int ap_sim_card_take_locked(unsigned int issuer, apqn_t apqn,
			    struct ap_sim_queue *q, u64 psmid,
			    const void *msg, size_t len,
			    const struct ap_sim_msg *reply);
bool ap_sim_card_reply_locked(struct ap_sim_queue *q, u64 *psmid, void *msg,
			      size_t *len);
void ap_sim_show_card(struct seq_file *s);
int ap_sim_card_init(void);
void ap_sim_card_exit(void);

/**
 * struct ap_sim_guest - a guest context of the simulated machine
 * @hw: the context as the hardware-ops contract knows it (@hw.id from 1)
 * @node: in ap_sim_guests, by ascending id
 * @crycb: the masks last loaded, exactly as given
 * @loaded: a CRYCB was loaded at least once
 * @updates: loads after the first one
 * @psmid: message id of the last request sent through the instr file
 * @hook: the hypervisor's handler of the guest's PQAP(AQIC), or NULL;
 *        written under ap_sim_hook_rwsem and ap_sim_lock
 * @ipm: the GISA's interruption-pending mask: 0x80 >> ISC for each
 *       guest subclass with an interrupt the guest has not taken
 * @gisc_refs: registrations of each guest subclass in the GISA
 */
struct ap_sim_guest {
	struct ap_hw_guest hw;
	struct list_head node;
	struct ap_matrix crycb;
	bool loaded;
	unsigned long updates;
	u64 psmid;
	struct ap_hw_aqic_hook *hook;
	u8 ipm;
	unsigned int gisc_refs[AP_HW_ISCS];
};

static inline struct ap_sim_guest *ap_sim_to_guest(struct ap_hw_guest *hw)
{
	return container_of(hw, struct ap_sim_guest, hw);
}

/* guest.c: guest contexts and the machine's isolation judgement. */
struct ap_hw_guest *ap_sim_guest_create(struct kvm *kvm);
void ap_sim_guest_destroy(struct ap_hw_guest *hw);
void ap_sim_guest_load(struct ap_hw_guest *hw, const struct ap_matrix *crycb);
void ap_sim_guest_crycb(struct ap_hw_guest *hw, struct ap_matrix *crycb);
struct ap_hw_status ap_sim_guest_tapq(struct ap_hw_guest *hw, apqn_t apqn,
				      struct ap_hw_queue_info *info);
struct ap_sim_guest *ap_sim_guest_find_locked(unsigned int id);
extern struct rw_semaphore ap_sim_hook_rwsem;
void ap_sim_guest_set_hook(struct ap_hw_guest *hw, struct ap_hw_aqic_hook *hook);
int ap_sim_guest_gisc_register(struct ap_hw_guest *hw, u8 gisc);
int ap_sim_guest_gisc_unregister(struct ap_hw_guest *hw, u8 gisc);
struct ap_hw_status ap_sim_guest_aqic(apqn_t apqn,
				      const struct ap_hw_irq_target *t);
void ap_sim_post_irq_locked(apqn_t apqn, struct ap_sim_queue *q);
int ap_sim_guest_intercept_aqic(unsigned int id, apqn_t apqn,
				const struct ap_hw_aqic_req *req,
				struct ap_hw_status *st);
u8 ap_sim_guest_tpi_locked(struct ap_sim_guest *g);
void ap_sim_show_guest_irqs_locked(struct seq_file *s,
				   const struct ap_sim_guest *g);
void ap_sim_judge_guest_gone_locked(const struct ap_sim_guest *g);
bool ap_sim_guest_reaches(const struct ap_sim_guest *g, apqn_t apqn);
unsigned int ap_sim_guest_holding_locked(apqn_t apqn);
void ap_sim_guest_qci_locked(const struct ap_sim_guest *g,
			     struct ap_hw_config *cfg);
__printf(1, 2) void ap_sim_violation_locked(const char *fmt, ...);
void ap_sim_show_guests(struct seq_file *s);
void ap_sim_show_violations(struct seq_file *s);
void ap_sim_guest_exit(void);

/* sim.c: changing and listing the machine; each takes ap_sim_lock. */
int ap_sim_init_machine(void);
void ap_sim_free_machine(void);
int ap_sim_add_adapter(unsigned int apid, u8 type, u32 mode);
int ap_sim_remove_adapter(unsigned int apid);
int ap_sim_set_domain(unsigned int apqi, bool usage, bool on);
int ap_sim_configure(unsigned int apid, bool on);
int ap_sim_checkstop(unsigned int apid, bool on);
int ap_sim_set_type(unsigned int apid, u8 type, u32 mode);
int ap_sim_set_facilities(unsigned int apid, u32 bits);
int ap_sim_set_mode(apqn_t apqn, u32 mode);
int ap_sim_set_latency(apqn_t apqn, bool all, unsigned int ms);
int ap_sim_set_delay(apqn_t apqn, bool all, unsigned int us);
int ap_sim_inject(apqn_t apqn, enum ap_sim_op op, u8 rc);
int ap_sim_set_mk(apqn_t apqn, u64 mk);
int ap_sim_zeroize_domain(apqn_t apqn);
int ap_sim_arg_value(const char *s, u64 *value);
void ap_sim_show_config(struct seq_file *s);
void ap_sim_show_adapters(struct seq_file *s);
void ap_sim_show_queues(struct seq_file *s);
const char *ap_sim_op_name(enum ap_sim_op op);
int ap_sim_parse_type(const char *s, u8 *type, u32 *mode);
char *ap_sim_type_name(u8 type, u32 mode, char *buf, size_t size);
int ap_sim_arg_apqn(const char *s, apqn_t *apqn);
int ap_sim_arg_on(const char *s, bool *on);
int ap_sim_parse_mode(const char *s, u32 *mode);
const char *ap_sim_mode_name(u32 mode);

#endif /* _AP_SIM_INTERNAL_H */
