/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of the AP bus: mask and driver_override writes, queue
 * bindings, queue resets and bus scans. Each event records numbers and
 * masks only (masks in the machine's bit order, as sysfs shows them); the
 * text is made when the trace is read. Documentation/trace.rst describes
 * them.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM ap_bus

#if !defined(_TRACE_AP_BUS_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_AP_BUS_H

#include <linux/tracepoint.h>
#include <ap/bus.h>
#include <ap/mask.h>
#include <ap/matrix.h>

TRACE_DEFINE_ENUM(AP_RESET_USER);
TRACE_DEFINE_ENUM(AP_RESET_UNBIND);
TRACE_DEFINE_ENUM(AP_RESET_CLEAN);
TRACE_DEFINE_ENUM(AP_RESET_GUEST);

/* A mask as TP_printk shows it, after "0x": 64 hex digits. */
#define AP_TRACE_MASK(m)	__print_hex_str(m, AP_MASK_BYTES)

/**
 * ap_mask_write - a write of apmask or aqmask ended
 * @aqmask: the write was to aqmask (else apmask)
 * @old: the mask before
 * @new: the mask after: the old one if the write failed
 * @moved: how many ids changed owner
 * @rc: 0, or the negative errno the write returned
 */
TRACE_EVENT(ap_mask_write,
	    TP_PROTO(bool aqmask, const unsigned long *old,
		     const unsigned long *new, unsigned int moved, int rc),
	    TP_ARGS(aqmask, old, new, moved, rc),
	    TP_STRUCT__entry(__field(bool, aqmask)
			     __array(u8, old, AP_MASK_BYTES)
			     __array(u8, new, AP_MASK_BYTES)
			     __field(unsigned int, moved)
			     __field(int, rc)),
	    TP_fast_assign(__entry->aqmask = aqmask;
			   ap_mask_to_msb0(old, __entry->old);
			   ap_mask_to_msb0(new, __entry->new);
			   __entry->moved = moved;
			   __entry->rc = rc;),
	    TP_printk("%s old=0x%s new=0x%s moved=%u rc=%d",
		      __entry->aqmask ? "aqmask" : "apmask",
		      AP_TRACE_MASK(__entry->old),
		      AP_TRACE_MASK(__entry->new), __entry->moved,
		      __entry->rc)
);

/**
 * ap_override_write - a write of a queue's driver_override ended
 * @apqn: the queue
 * @name: the driver it names now ("" for none)
 * @rc: 0, or the negative errno the write returned
 */
TRACE_EVENT(ap_override_write,
	    TP_PROTO(u16 apqn, const char *name, int rc),
	    TP_ARGS(apqn, name, rc),
	    TP_STRUCT__entry(__field(u16, apqn)
			     __string(name, name)
			     __field(int, rc)),
	    TP_fast_assign(__entry->apqn = apqn;
			   __assign_str(name);
			   __entry->rc = rc;),
	    TP_printk("%02x.%04x driver=%s rc=%d", __entry->apqn >> 8,
		      __entry->apqn & 0xff, __get_str(name), __entry->rc)
);

DECLARE_EVENT_CLASS(ap_queue_driver,
		    TP_PROTO(u16 apqn, const char *driver),
		    TP_ARGS(apqn, driver),
		    TP_STRUCT__entry(__field(u16, apqn)
				     __string(driver, driver)),
		    TP_fast_assign(__entry->apqn = apqn;
				   __assign_str(driver);),
		    TP_printk("%02x.%04x driver=%s", __entry->apqn >> 8,
			      __entry->apqn & 0xff, __get_str(driver))
);

/**
 * ap_queue_bind - a driver bound a queue
 * @apqn: the queue
 * @driver: the driver
 */
DEFINE_EVENT(ap_queue_driver, ap_queue_bind,
	     TP_PROTO(u16 apqn, const char *driver),
	     TP_ARGS(apqn, driver)
);

/**
 * ap_queue_unbind - a driver let a queue go (its reset follows)
 * @apqn: the queue
 * @driver: the driver
 */
DEFINE_EVENT(ap_queue_driver, ap_queue_unbind,
	     TP_PROTO(u16 apqn, const char *driver),
	     TP_ARGS(apqn, driver)
);

/**
 * ap_queue_reset_begin - a reset of a queue was issued
 * @apqn: the queue
 * @zeroize: ZAPQ (reset and zeroize), else RAPQ
 * @why: enum ap_queue_reset_reason
 */
TRACE_EVENT(ap_queue_reset_begin,
	    TP_PROTO(u16 apqn, bool zeroize, int why),
	    TP_ARGS(apqn, zeroize, why),
	    TP_STRUCT__entry(__field(u16, apqn)
			     __field(bool, zeroize)
			     __field(int, why)),
	    TP_fast_assign(__entry->apqn = apqn;
			   __entry->zeroize = zeroize;
			   __entry->why = why;),
	    TP_printk("%02x.%04x %s why=%s", __entry->apqn >> 8,
		      __entry->apqn & 0xff,
		      __entry->zeroize ? "zeroize" : "reset",
		      __print_symbolic(__entry->why,
				       { AP_RESET_USER, "user" },
				       { AP_RESET_UNBIND, "unbind" },
				       { AP_RESET_CLEAN, "clean" },
				       { AP_RESET_GUEST, "guest" }))
);

/**
 * ap_queue_reset_end - a reset of a queue finished
 * @apqn: the queue
 * @zeroize: it zeroized
 * @rc: the response code it ended with (0: done)
 * @us: how long it took, from the first issue, in microseconds
 */
TRACE_EVENT(ap_queue_reset_end,
	    TP_PROTO(u16 apqn, bool zeroize, u8 rc, unsigned int us),
	    TP_ARGS(apqn, zeroize, rc, us),
	    TP_STRUCT__entry(__field(u16, apqn)
			     __field(bool, zeroize)
			     __field(u8, rc)
			     __field(unsigned int, us)),
	    TP_fast_assign(__entry->apqn = apqn;
			   __entry->zeroize = zeroize;
			   __entry->rc = rc;
			   __entry->us = us;),
	    TP_printk("%02x.%04x %s rc=0x%02x us=%u", __entry->apqn >> 8,
		      __entry->apqn & 0xff,
		      __entry->zeroize ? "zeroize" : "reset", __entry->rc,
		      __entry->us)
);

/**
 * ap_scan - a bus scan ended
 * @old: the configuration drivers saw before
 * @new: the one they see now: what joined and what left is recorded
 * @us: how long the scan took, in microseconds
 */
TRACE_EVENT(ap_scan,
	    TP_PROTO(const struct ap_matrix *old, const struct ap_matrix *new,
		     unsigned int us),
	    TP_ARGS(old, new, us),
	    TP_STRUCT__entry(__array(u8, apm_in, AP_MASK_BYTES)
			     __array(u8, apm_out, AP_MASK_BYTES)
			     __array(u8, aqm_in, AP_MASK_BYTES)
			     __array(u8, aqm_out, AP_MASK_BYTES)
			     __array(u8, adm_in, AP_MASK_BYTES)
			     __array(u8, adm_out, AP_MASK_BYTES)
			     __field(unsigned int, us)),
	    TP_fast_assign(ap_mask_gained_msb0(old->apm, new->apm,
					       __entry->apm_in);
			   ap_mask_gained_msb0(new->apm, old->apm,
					       __entry->apm_out);
			   ap_mask_gained_msb0(old->aqm, new->aqm,
					       __entry->aqm_in);
			   ap_mask_gained_msb0(new->aqm, old->aqm,
					       __entry->aqm_out);
			   ap_mask_gained_msb0(old->adm, new->adm,
					       __entry->adm_in);
			   ap_mask_gained_msb0(new->adm, old->adm,
					       __entry->adm_out);
			   __entry->us = us;),
	    TP_printk("joined apm=0x%s aqm=0x%s adm=0x%s left apm=0x%s aqm=0x%s adm=0x%s us=%u",
		      AP_TRACE_MASK(__entry->apm_in),
		      AP_TRACE_MASK(__entry->aqm_in),
		      AP_TRACE_MASK(__entry->adm_in),
		      AP_TRACE_MASK(__entry->apm_out),
		      AP_TRACE_MASK(__entry->aqm_out),
		      AP_TRACE_MASK(__entry->adm_out), __entry->us)
);

/**
 * ap_store - a write of a bus file ended: how long it took inside the
 * kernel, rebinding included
 * @attr: the file (apmask, aqmask)
 * @ns: nanoseconds
 * @rc: 0, or the negative errno it returned
 */
TRACE_EVENT(ap_store,
	    TP_PROTO(const char *attr, u64 ns, int rc),
	    TP_ARGS(attr, ns, rc),
	    TP_STRUCT__entry(__string(attr, attr)
			     __field(u64, ns)
			     __field(int, rc)),
	    TP_fast_assign(__assign_str(attr);
			   __entry->ns = ns;
			   __entry->rc = rc;),
	    TP_printk("op=%s ns=%llu rc=%d", __get_str(attr), __entry->ns,
		      __entry->rc)
);

#endif /* _TRACE_AP_BUS_H */

#include <trace/define_trace.h>
