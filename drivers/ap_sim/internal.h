/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Declarations shared by the files of the simulated AP facility.
 */
#ifndef _AP_SIM_INTERNAL_H
#define _AP_SIM_INTERNAL_H

#include <linux/seq_file.h>
#include <ap/bus.h>
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

extern const struct ap_hw_ops ap_sim_ops;

/* sim.c: the machine; every function takes the facility's lock. */
int ap_sim_init_machine(void);
void ap_sim_free_machine(void);
int ap_sim_add_adapter(unsigned int apid, u8 type, u32 mode);
int ap_sim_remove_adapter(unsigned int apid);
int ap_sim_set_domain(unsigned int apqi, bool usage, bool on);
int ap_sim_configure(unsigned int apid, bool on);
int ap_sim_checkstop(unsigned int apid, bool on);
int ap_sim_set_type(unsigned int apid, u8 type, u32 mode);
int ap_sim_set_mode(apqn_t apqn, u32 mode);
int ap_sim_set_latency(apqn_t apqn, bool all, unsigned int ms);
int ap_sim_inject(apqn_t apqn, enum ap_sim_op op, u8 rc);
void ap_sim_show_config(struct seq_file *s);
void ap_sim_show_adapters(struct seq_file *s);
void ap_sim_show_queues(struct seq_file *s);
const char *ap_sim_op_name(enum ap_sim_op op);
int ap_sim_parse_type(const char *s, u8 *type, u32 *mode);
int ap_sim_parse_mode(const char *s, u32 *mode);
const char *ap_sim_mode_name(u32 mode);

#endif /* _AP_SIM_INTERNAL_H */
