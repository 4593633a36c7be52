/* SPDX-License-Identifier: GPL-2.0 */
/* The fuzzing shim: see kernel-shim.h. */
#include "kernel-shim.h"
