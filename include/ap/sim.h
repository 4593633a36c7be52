/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulated AP facility (module ap_sim): its command interface, and
 * the small request protocol its queues understand.
 *
 * The simulator is a test device: its interface serves the project's own
 * tests, demo and documentation and may change with them.
 */
#ifndef _AP_SIM_H
#define _AP_SIM_H

#include <linux/types.h>

/* Requests a simulated queue answers (NQAP, reply by DQAP). */
#define AP_SIM_MSG_MAGIC	0x4150534d	/* "APSM" */
#define AP_SIM_OP_SET_SECRET	1		/* store @value as secret */
#define AP_SIM_OP_GET_SECRET	2		/* reply carries the secret */

/**
 * struct ap_sim_msg - a request to, or reply from, a simulated queue
 * @magic: AP_SIM_MSG_MAGIC
 * @op: AP_SIM_OP_*
 * @value: the secret to set, or the secret read
 *
 * The secret stands for the keys a real domain holds: set by the guest
 * that uses the queue, cleared only by a reset that zeroizes (ZAPQ). The
 * machine records who stored it, the host or a guest context, and counts
 * a violation when someone else can reach it.
 */
struct ap_sim_msg {
	u32 magic;
	u32 op;
	u64 value;
};

int ap_sim_command(const char *cmd, size_t len);
int ap_sim_instr(const char *req, size_t len, char *ans, size_t size);
ssize_t ap_sim_show(const char *file, char *buf, size_t size);
int ap_sim_violations_write(const char *buf, size_t len);

#endif /* _AP_SIM_H */
