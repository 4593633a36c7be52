// SPDX-License-Identifier: GPL-2.0
/*
 * The AP bus's tracepoints (include/trace/events/ap_bus.h) are created
 * here.
 */

#define CREATE_TRACE_POINTS
#include <trace/events/ap_bus.h>
