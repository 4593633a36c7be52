// SPDX-License-Identifier: GPL-2.0
/*
 * AP bus core module.
 */

#include <linux/module.h>

MODULE_DESCRIPTION("AP bus core");
MODULE_LICENSE("GPL");
