// SPDX-License-Identifier: GPL-2.0
/*
 * driver_override on AP queue devices: what a write means, and when one
 * is allowed (include/ap/override.h). The state is perms.c's.
 */

#include <linux/bitmap.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/string.h>
#include <ap/override.h>
#include <ap/qid.h>

static bool ap_override_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

/**
 * ap_override_parse() - what a write of driver_override asks for
 * @buf: the text written
 * @len: its length
 * @name: receives the driver's name, NUL-terminated, on success only
 * @size: room in @name, at least AP_OVERRIDE_NAME_MAX + 1
 *
 * A driver name (letters, digits, '_', '-', '.'), at most
 * AP_OVERRIDE_NAME_MAX characters, with one optional newline, sets an
 * override; an empty write or a lone newline clears it.
 *
 * Return: 1 for a name, 0 to clear, -EINVAL for anything else (a blank,
 * a NUL byte, any other character, a second newline, a name too long).
 */
int ap_override_parse(const char *buf, size_t len, char *name, size_t size)
{
	size_t i;

	if (len && buf[len - 1] == '\n')
		len--;
	if (len > AP_OVERRIDE_NAME_MAX || len >= size)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (!ap_override_name_char(buf[i]))
			return -EINVAL;
	memcpy(name, buf, len);
	name[len] = '\0';
	return len ? 1 : 0;
}
EXPORT_SYMBOL_GPL(ap_override_parse);

/**
 * ap_override_allowed() - may an override be written under these masks?
 * @apmask: apmask
 * @aqmask: aqmask
 *
 * Return: true if both are at their default, every bit set.
 */
bool ap_override_allowed(const unsigned long *apmask,
			 const unsigned long *aqmask)
{
	return bitmap_full(apmask, AP_IDS) && bitmap_full(aqmask, AP_IDS);
}
EXPORT_SYMBOL_GPL(ap_override_allowed);
