/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kevent's tracepoints: events/kevent/ in tracefs, kevent:* for perf and
 * bpftrace.  Documentation/kevent.rst lists them with their fields.
 *
 * Every event records scalars only: the fire path emits them from any
 * context, hardirq included, under the storage and queue locks.  A queue
 * is named by its number (struct kevent_user @qid, "kevent-queue" in
 * /proc/PID/fdinfo), a request by its queue and id.  Disabled, each call
 * site is a static branch that is never taken.
 *
 * kevent/trace.c defines them (CREATE_TRACE_POINTS); the Makefile adds
 * -I$(src) for that file, so that define_trace.h finds this one through
 * TRACE_INCLUDE_PATH.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM kevent

#if !defined(_KEVENT_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _KEVENT_TRACE_H

#include <linux/tracepoint.h>

#include "internal.h"

/*
 * An ADD entry: @ret < 0 refused with that errno, 0 attached and waiting,
 * 1 attached and ready at once.
 */
TRACE_EVENT(kevent_request_add,
	    TP_PROTO(const struct kevent_user *u, const struct ukevent *e,
		     int ret),
	    TP_ARGS(u, e, ret),
	    TP_STRUCT__entry(__field(u64, queue)
			     __field(u64, id)
			     __field(u64, param)
			     __field(u32, type)
			     __field(u32, event)
			     __field(u32, req_flags)
			     __field(int, ret)),
	    TP_fast_assign(__entry->queue = u->qid;
			   __entry->id = e->id;
			   __entry->param = e->param;
			   __entry->type = e->type;
			   __entry->event = e->event;
			   __entry->req_flags = e->req_flags;
			   __entry->ret = ret;),
	    TP_printk("queue=%llu id=%llu type=%u event=0x%x req_flags=0x%x param=0x%llx ret=%d",
		      __entry->queue, __entry->id, __entry->type,
		      __entry->event, __entry->req_flags, __entry->param,
		      __entry->ret)
);

/* A request is torn down: REMOVE, commit of a ONESHOT or broken one, close. */
TRACE_EVENT(kevent_request_remove,
	    TP_PROTO(const struct kevent *k),
	    TP_ARGS(k),
	    TP_STRUCT__entry(__field(u64, queue)
			     __field(u64, id)
			     __field(u32, type)
			     __field(u32, ret_flags)),
	    TP_fast_assign(__entry->queue = k->user->qid;
			   __entry->id = k->event.id;
			   __entry->type = k->event.type;
			   __entry->ret_flags = k->event.ret_flags;),
	    TP_printk("queue=%llu id=%llu type=%u ret_flags=0x%x",
		      __entry->queue, __entry->id, __entry->type,
		      __entry->ret_flags)
);

/*
 * A storage fired (kevent_storage_ready_data()): emitted once its requests
 * have been walked, after the enqueue and backlog events of those it
 * queued, which it counts.
 */
TRACE_EVENT(kevent_storage_fire,
	    TP_PROTO(const struct kevent_storage *st, u32 event, int queued),
	    TP_ARGS(st, event, queued),
	    TP_STRUCT__entry(__field(const void *, storage)
			     __field(u32, event)
			     __field(int, queued)),
	    TP_fast_assign(__entry->storage = st;
			   __entry->event = event;
			   __entry->queued = queued;),
	    TP_printk("storage=%p event=0x%x queued=%d", __entry->storage,
		      __entry->event, __entry->queued)
);

/*
 * A ready request is written into the ring at @index (the tail; the slot
 * is @index & mask), with the result fields the entry carries.
 */
TRACE_EVENT(kevent_ring_enqueue,
	    TP_PROTO(const struct kevent *k, u32 index),
	    TP_ARGS(k, index),
	    TP_STRUCT__entry(__field(u64, queue)
			     __field(u64, id)
			     __field(u64, ret_data0)
			     __field(u64, ret_data1)
			     __field(u32, type)
			     __field(u32, ret_flags)
			     __field(u32, index)),
	    TP_fast_assign(__entry->queue = k->user->qid;
			   __entry->id = k->event.id;
			   __entry->ret_data0 = k->event.ret_data[0];
			   __entry->ret_data1 = k->event.ret_data[1];
			   __entry->type = k->event.type;
			   __entry->ret_flags = k->event.ret_flags;
			   __entry->index = index;),
	    TP_printk("queue=%llu id=%llu type=%u index=%u ret_flags=0x%x ret_data0=%llu ret_data1=0x%llx",
		      __entry->queue, __entry->id, __entry->type,
		      __entry->index, __entry->ret_flags, __entry->ret_data0,
		      __entry->ret_data1)
);

/*
 * A ready request found the ring full, or others waiting: it waits in the
 * backlog, now @backlog long, for a commit to free a slot.
 */
TRACE_EVENT(kevent_backlog,
	    TP_PROTO(const struct kevent *k, u32 backlog, u32 tail,
		     u32 committed),
	    TP_ARGS(k, backlog, tail, committed),
	    TP_STRUCT__entry(__field(u64, queue)
			     __field(u64, id)
			     __field(u32, type)
			     __field(u32, backlog)
			     __field(u32, tail)
			     __field(u32, committed)),
	    TP_fast_assign(__entry->queue = k->user->qid;
			   __entry->id = k->event.id;
			   __entry->type = k->event.type;
			   __entry->backlog = backlog;
			   __entry->tail = tail;
			   __entry->committed = committed;),
	    TP_printk("queue=%llu id=%llu type=%u backlog=%u tail=%u committed=%u",
		      __entry->queue, __entry->id, __entry->type,
		      __entry->backlog, __entry->tail, __entry->committed)
);

/*
 * A valid commit releases the slots [committed, new_uidx): emitted before
 * they are released, so that the re-queues, backlog moves and removals it
 * causes follow it.
 */
TRACE_EVENT(kevent_commit,
	    TP_PROTO(const struct kevent_user *u, u32 committed, u32 new_uidx,
		     u32 tail, u32 backlog),
	    TP_ARGS(u, committed, new_uidx, tail, backlog),
	    TP_STRUCT__entry(__field(u64, queue)
			     __field(u32, committed)
			     __field(u32, new_uidx)
			     __field(u32, tail)
			     __field(u32, backlog)),
	    TP_fast_assign(__entry->queue = u->qid;
			   __entry->committed = committed;
			   __entry->new_uidx = new_uidx;
			   __entry->tail = tail;
			   __entry->backlog = backlog;),
	    TP_printk("queue=%llu committed=%u new_uidx=%u tail=%u backlog=%u",
		      __entry->queue, __entry->committed, __entry->new_uidx,
		      __entry->tail, __entry->backlog)
);

#endif /* _KEVENT_TRACE_H */

/* Outside the guard: define_trace.h reads this file again. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
