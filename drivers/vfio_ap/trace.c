// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_ap's tracepoints (include/trace/events/vfio_ap.h) are created
 * here.
 */

#define CREATE_TRACE_POINTS
#include <trace/events/vfio_ap.h>
