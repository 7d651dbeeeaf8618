/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The s390 log's tracepoint: events/kevent_s390_log/ in tracefs,
 * kevent_s390_log:* for perf and bpftrace (Documentation/s390-log.rst).
 *
 * kevent_s390_log_notify() emits it from any context but NMI, a channel
 * interrupt handler included, so it records scalars only; disabled, the
 * call is a static branch that is never taken.  s390_log_trace.c defines
 * it (CREATE_TRACE_POINTS), with -I$(src) from the Makefile so that
 * define_trace.h finds this file through TRACE_INCLUDE_PATH.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM kevent_s390_log

#if !defined(_KEVENT_S390_LOG_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _KEVENT_S390_LOG_TRACE_H

#include <linux/kevent_s390_log.h>
#include <linux/tracepoint.h>

/*
 * A driver reported @event of device @devid with @len payload bytes; @seq
 * is the record's sequence number, 0 when the notify was rejected (bad
 * arguments: nothing stored).
 */
TRACE_EVENT(kevent_s390_log_notify,
	    TP_PROTO(u64 seq, u32 devid, u32 event, size_t len),
	    TP_ARGS(seq, devid, event, len),
	    TP_STRUCT__entry(__field(u64, seq)
			     __field(u32, devid)
			     __field(u32, event)
			     __field(u64, len)),
	    TP_fast_assign(__entry->seq = seq;
			   __entry->devid = devid;
			   __entry->event = event;
			   __entry->len = len;),
	    /* The bus id and the event names as keventlogd writes them. */
	    TP_printk("seq=%llu device=%x.%x.%04x event=%s len=%llu",
		      __entry->seq, __entry->devid >> 24,
		      (__entry->devid >> 16) & 0xff, __entry->devid & 0xffff,
		      __print_symbolic(__entry->event,
				       { KEVENT_S390_TAPE_LOADED, "tape_loaded" },
				       { KEVENT_S390_TAPE_UNLOADED, "tape_unloaded" },
				       { KEVENT_S390_TAPE_ERROR, "tape_error" },
				       { KEVENT_S390_TAPE_INTERVENTION,
					 "tape_intervention" },
				       { KEVENT_S390_DEVICE_ADDED, "device_added" },
				       { KEVENT_S390_DEVICE_REMOVED,
					 "device_removed" }),
		      __entry->len)
);

#endif /* _KEVENT_S390_LOG_TRACE_H */

/* Outside the guard: define_trace.h reads this file again. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE s390_log_trace
#include <trace/define_trace.h>
