/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of vfio_ap: assignment changes, guest CRYCB loads, a
 * guest's AQIC and migration steps. Each event records numbers and masks
 * only (masks in the machine's bit order, as sysfs shows them); the text
 * is made when the trace is read. Documentation/trace.rst describes them.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM vfio_ap

#if !defined(_TRACE_VFIO_AP_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_VFIO_AP_H

#include <linux/tracepoint.h>
#include <linux/uuid.h>
#include <ap/mask.h>
#include <ap/matrix.h>

#define VFIO_AP_TRACE_MASK(m)	__print_hex_str(m, AP_MASK_BYTES)

/*
 * A change of masks: what was added and what was removed, for the
 * adapters (APM), the usage domains (AQM) and the control domains (ADM).
 */
DECLARE_EVENT_CLASS(vfio_ap_masks,
		    TP_PROTO(const char *mdev, unsigned int ctx,
			     const struct ap_matrix *old,
			     const struct ap_matrix *new, int rc),
		    TP_ARGS(mdev, ctx, old, new, rc),
		    TP_STRUCT__entry(__array(char, mdev, UUID_STRING_LEN + 1)
				     __field(unsigned int, ctx)
				     __array(u8, apm_add, AP_MASK_BYTES)
				     __array(u8, apm_del, AP_MASK_BYTES)
				     __array(u8, aqm_add, AP_MASK_BYTES)
				     __array(u8, aqm_del, AP_MASK_BYTES)
				     __array(u8, adm_add, AP_MASK_BYTES)
				     __array(u8, adm_del, AP_MASK_BYTES)
				     __field(int, rc)),
		    TP_fast_assign(strscpy(__entry->mdev, mdev);
				   __entry->ctx = ctx;
				   ap_mask_gained_msb0(old->apm, new->apm,
						       __entry->apm_add);
				   ap_mask_gained_msb0(new->apm, old->apm,
						       __entry->apm_del);
				   ap_mask_gained_msb0(old->aqm, new->aqm,
						       __entry->aqm_add);
				   ap_mask_gained_msb0(new->aqm, old->aqm,
						       __entry->aqm_del);
				   ap_mask_gained_msb0(old->adm, new->adm,
						       __entry->adm_add);
				   ap_mask_gained_msb0(new->adm, old->adm,
						       __entry->adm_del);
				   __entry->rc = rc;),
		    TP_printk("%s ctx=%u added apm=0x%s aqm=0x%s adm=0x%s removed apm=0x%s aqm=0x%s adm=0x%s rc=%d",
			      __entry->mdev, __entry->ctx,
			      VFIO_AP_TRACE_MASK(__entry->apm_add),
			      VFIO_AP_TRACE_MASK(__entry->aqm_add),
			      VFIO_AP_TRACE_MASK(__entry->adm_add),
			      VFIO_AP_TRACE_MASK(__entry->apm_del),
			      VFIO_AP_TRACE_MASK(__entry->aqm_del),
			      VFIO_AP_TRACE_MASK(__entry->adm_del),
			      __entry->rc)
);

/**
 * vfio_ap_assign - an assignment changed, or a change was refused
 * @mdev: the mdev's UUID
 * @ctx: 0 (assignments have no guest context)
 * @old: the assignment before
 * @new: the assignment now (the old one again when refused)
 * @rc: 0, or the negative errno the write returned
 */
DEFINE_EVENT(vfio_ap_masks, vfio_ap_assign,
	     TP_PROTO(const char *mdev, unsigned int ctx,
		      const struct ap_matrix *old, const struct ap_matrix *new,
		      int rc),
	     TP_ARGS(mdev, ctx, old, new, rc)
);

/**
 * vfio_ap_view - a running guest's CRYCB was loaded with a new view: the
 * queues of the added adapters and domains were plugged, those of the
 * removed ones unplugged
 * @mdev: the mdev's UUID
 * @ctx: the machine's number of the guest context
 * @old: the view the guest had
 * @new: the view it has now
 * @rc: 0
 */
DEFINE_EVENT(vfio_ap_masks, vfio_ap_view,
	     TP_PROTO(const char *mdev, unsigned int ctx,
		      const struct ap_matrix *old, const struct ap_matrix *new,
		      int rc),
	     TP_ARGS(mdev, ctx, old, new, rc)
);

/**
 * vfio_ap_aqic - vfio_ap handled a guest's PQAP(AQIC)
 * @mdev: the mdev's UUID
 * @apqn: the queue
 * @enable: the guest enabled the queue's interrupts (else disabled them)
 * @isc: the guest's interruption subclass
 * @rc: the response code the guest got
 */
TRACE_EVENT(vfio_ap_aqic,
	    TP_PROTO(const char *mdev, u16 apqn, bool enable, u8 isc, u8 rc),
	    TP_ARGS(mdev, apqn, enable, isc, rc),
	    TP_STRUCT__entry(__array(char, mdev, UUID_STRING_LEN + 1)
			     __field(u16, apqn)
			     __field(bool, enable)
			     __field(u8, isc)
			     __field(u8, rc)),
	    TP_fast_assign(strscpy(__entry->mdev, mdev);
			   __entry->apqn = apqn;
			   __entry->enable = enable;
			   __entry->isc = isc;
			   __entry->rc = rc;),
	    TP_printk("%s %02x.%04x %s isc=%u rc=0x%02x", __entry->mdev,
		      __entry->apqn >> 8, __entry->apqn & 0xff,
		      __entry->enable ? "enable" : "disable", __entry->isc,
		      __entry->rc)
);

/**
 * vfio_ap_mig_state - an arc of the VFIO migration state machine
 * @mdev: the mdev's UUID
 * @from: the state before (enum vfio_device_mig_state)
 * @to: the state after, if @rc is 0
 * @rc: 0, or the negative errno of the arc
 */
TRACE_EVENT(vfio_ap_mig_state,
	    TP_PROTO(const char *mdev, unsigned int from, unsigned int to,
		     int rc),
	    TP_ARGS(mdev, from, to, rc),
	    TP_STRUCT__entry(__array(char, mdev, UUID_STRING_LEN + 1)
			     __field(unsigned int, from)
			     __field(unsigned int, to)
			     __field(int, rc)),
	    TP_fast_assign(strscpy(__entry->mdev, mdev);
			   __entry->from = from;
			   __entry->to = to;
			   __entry->rc = rc;),
	    TP_printk("%s %u -> %u rc=%d", __entry->mdev, __entry->from,
		      __entry->to, __entry->rc)
);

/**
 * vfio_ap_mig_stream - the source described the guest, or the
 * destination decided on a whole stream
 * @mdev: the mdev's UUID
 * @resume: the destination (else the source)
 * @queues: the guest's queues
 * @bytes: the stream's length
 * @rc: 0, or the negative errno
 */
TRACE_EVENT(vfio_ap_mig_stream,
	    TP_PROTO(const char *mdev, bool resume, unsigned int queues,
		     size_t bytes, int rc),
	    TP_ARGS(mdev, resume, queues, bytes, rc),
	    TP_STRUCT__entry(__array(char, mdev, UUID_STRING_LEN + 1)
			     __field(bool, resume)
			     __field(unsigned int, queues)
			     __field(size_t, bytes)
			     __field(int, rc)),
	    TP_fast_assign(strscpy(__entry->mdev, mdev);
			   __entry->resume = resume;
			   __entry->queues = queues;
			   __entry->bytes = bytes;
			   __entry->rc = rc;),
	    TP_printk("%s %s queues=%u bytes=%zu rc=%d", __entry->mdev,
		      __entry->resume ? "resume" : "save", __entry->queues,
		      __entry->bytes, __entry->rc)
);

/**
 * vfio_ap_op - an operation on an mdev ended: how long it took inside
 * the kernel, from the entry of vfio_ap's handler to its return
 * @mdev: the mdev's UUID
 * @op: the sysfs file written (assign_adapter, ..., ap_config), or
 *      create, remove, open (the VFIO device's open_device) or close
 * @ns: nanoseconds
 * @rc: 0, or the negative errno it returned
 */
TRACE_EVENT(vfio_ap_op,
	    TP_PROTO(const char *mdev, const char *op, u64 ns, int rc),
	    TP_ARGS(mdev, op, ns, rc),
	    TP_STRUCT__entry(__array(char, mdev, UUID_STRING_LEN + 1)
			     __string(op, op)
			     __field(u64, ns)
			     __field(int, rc)),
	    TP_fast_assign(strscpy(__entry->mdev, mdev);
			   __assign_str(op);
			   __entry->ns = ns;
			   __entry->rc = rc;),
	    TP_printk("%s op=%s ns=%llu rc=%d", __entry->mdev, __get_str(op),
		      __entry->ns, __entry->rc)
);

#endif /* _TRACE_VFIO_AP_H */

#include <trace/define_trace.h>
