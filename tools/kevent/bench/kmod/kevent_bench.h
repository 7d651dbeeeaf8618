/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * kevent_bench.ko: the interface of the benchmark producer, shared with
 * the userspace side in tools/kevent/bench.
 *
 * This is a benchmark interface, not a stable ABI: it lives beside the
 * module, not in include/uapi, and changes with the benchmark.  The method
 * is described in Documentation/bench.rst.
 *
 * The module provides the request type KEVENT_BENCH_TYPE: param is the index
 * of one of nr_storages storages (module parameter), the only event bit is
 * KEVENT_BENCH_EVENT.  A fire writes its sequence number to ret_data[0]
 * and the ktime_get_ns() taken just before the notify to ret_data[1].
 *
 * /dev/kevent_bench (root only):
 *
 * mmap, offset 0, one page, read-write: struct kevent_bench_shared.  The
 * kernel publishes its progress there; consumers add what they have
 * finished with to @consumed, which the producer reads for flow control.
 * The kernel uses @consumed for nothing else and never waits past a run's
 * deadline for it.
 *
 * KEVENT_BENCH_IOC_START (struct kevent_bench_run, write)
 *	Start a producer run: fire events with @mech from a kthread or from
 *	hrtimer hardirq context until @count events were fired or
 *	@duration_ns passed.  Event n (from 1) goes to storage (or device
 *	number) @first + (n - 1) % @nr.  Before firing event n the producer
 *	waits until n - 1 - consumed < @window (window 0: no flow control);
 *	with @gap_us it then waits that long (or, in hardirq context, fires
 *	on a timer of that period).  One run at a time: EBUSY.  The run
 *	belongs to the file that started it and is stopped when it closes.
 *
 * KEVENT_BENCH_IOC_WAIT (struct kevent_bench_result, read)
 *	Wait for the run to end and return what it did.  EINTR; ENOENT when
 *	this file has no run.
 *
 * KEVENT_BENCH_IOC_STOP (no argument)
 *	End the run now.
 *
 * KEVENT_BENCH_IOC_FIRE (struct kevent_bench_fire, read-write)
 *	Timed fires for the scale and parallel-producer benchmarks: @threads
 *	kthreads, thread t bound to the t-th online CPU, start together;
 *	thread t fires storages (or device numbers) @first + t * @nr + i for
 *	i < @nr, once each, with no timestamp and no flow control.
 */
#ifndef _KEVENT_BENCH_H
#define _KEVENT_BENCH_H

#include <linux/ioctl.h>
#include <linux/kevent.h>
#include <linux/types.h>

/* The request type, in the uapi header's unstable range */
#define KEVENT_BENCH_TYPE	(KEVENT_TYPE_UNSTABLE_FIRST + 1)

/* Mechanisms: what the producer calls for one event. */
#define KEVENT_BENCH_M_KEVENT	0	/* kevent_storage_ready_data() */
#define KEVENT_BENCH_M_S390_LOG	1	/* kevent_s390_log_notify() */
#define KEVENT_BENCH_M_GENL	2	/* one generic netlink multicast */
#define KEVENT_BENCH_M_UEVENT	3	/* one KOBJ_CHANGE uevent */
#define KEVENT_BENCH_M_EVENTFD	4	/* eventfd_signal(), one per event */
#define KEVENT_BENCH_M_MAX	5

/* Producer contexts */
#define KEVENT_BENCH_CTX_KTHREAD	0
#define KEVENT_BENCH_CTX_HARDIRQ	1	/* hrtimer, HRTIMER_MODE_REL_HARD */

/* The event bit of KEVENT_BENCH_TYPE requests */
#define KEVENT_BENCH_EVENT	0x1

/* KEVENT_S390_LOG payload of a bench notify: two __u64, seq and ns. */
#define KEVENT_BENCH_S390_PAYLOAD	16

/* Generic netlink family, its multicast group, command and attributes */
#define KEVENT_BENCH_GENL_NAME		"kevent_bench"
#define KEVENT_BENCH_GENL_VERSION	1
#define KEVENT_BENCH_GENL_MCGRP		"events"

enum {
	KEVENT_BENCH_C_UNSPEC,
	KEVENT_BENCH_C_EVENT,
};

enum {
	KEVENT_BENCH_A_UNSPEC,
	KEVENT_BENCH_A_PAD,
	KEVENT_BENCH_A_SEQ,		/* u64 */
	KEVENT_BENCH_A_TS,		/* u64, ktime_get_ns() */
	__KEVENT_BENCH_A_MAX,
};

#define KEVENT_BENCH_A_MAX	(__KEVENT_BENCH_A_MAX - 1)

/* Variables of a bench uevent */
#define KEVENT_BENCH_UEVENT_SEQ	"KEVENT_BENCH_SEQ="
#define KEVENT_BENCH_UEVENT_TS	"KEVENT_BENCH_TS="

/* Device numbers are below 2^26: cssid.ssid.devno with ssid at most 3. */
#define KEVENT_BENCH_DEVNR_MAX	0x4000000U

/* Device number @n as a KEVENT_S390_LOG device id */
static inline __u32 kevent_bench_devid(__u32 n)
{
	return ((n >> 18) & 0xff) << 24 | ((n >> 16) & 0x3) << 16 |
	       (n & 0xffff);
}

#define KEVENT_BENCH_MAX_THREADS	8
#define KEVENT_BENCH_MAX_DURATION_NS	(120ULL * 1000000000ULL)

/**
 * struct kevent_bench_shared - the mapped page
 * @fired: events fired in the current run (kernel, store-release after
 *	the notify returned)
 * @consumed: events the consumers are done with (userspace adds)
 * @done: 1 once the current run's producer stopped (kernel)
 * @last_ns: ktime_get_ns() taken just before the latest notify (kernel)
 * @run: number of the current run, from 1 (kernel)
 */
struct kevent_bench_shared {
	__u64 fired;
	__u64 consumed;
	__u64 done;
	__u64 last_ns;
	__u64 run;
};

/**
 * struct kevent_bench_run - argument of KEVENT_BENCH_IOC_START
 * @mech: KEVENT_BENCH_M_*
 * @ctx: KEVENT_BENCH_CTX_*; hardirq needs @gap_us of at least 20 and a
 *	mechanism that may be used there (not GENL, not UEVENT)
 * @first: first storage or device number
 * @nr: storages or devices to go round, at least 1
 * @window: most events fired and not consumed; 0 for no flow control
 * @gap_us: wait this long before each fire (latency runs)
 * @count: fire at most this many; 0 for no limit
 * @duration_ns: stop after this long; at most KEVENT_BENCH_MAX_DURATION_NS
 * @eventfd: for KEVENT_BENCH_M_EVENTFD, an eventfd of the caller
 * @cpu: CPU for the kthread, or -1
 * @__reserved: must be zero
 */
struct kevent_bench_run {
	__u32 mech;
	__u32 ctx;
	__u32 first;
	__u32 nr;
	__u32 window;
	__u32 gap_us;
	__u64 count;
	__u64 duration_ns;
	__s32 eventfd;
	__s32 cpu;
	__u64 __reserved[2];
};

/**
 * struct kevent_bench_result - argument of KEVENT_BENCH_IOC_WAIT
 * @fired: events fired
 * @errors: notifies that reported a failure (netlink: no buffer space)
 * @stalls: times the producer found the window full
 * @start_ns: ktime_get_ns() at the first fire
 * @end_ns: ktime_get_ns() when the producer stopped
 * @fire_ns: time spent inside the notify calls
 * @stall_ns: time spent waiting for the consumers (window full)
 * @__reserved: zero
 */
struct kevent_bench_result {
	__u64 fired;
	__u64 errors;
	__u64 stalls;
	__u64 start_ns;
	__u64 end_ns;
	__u64 fire_ns;
	__u64 stall_ns;
	__u64 __reserved[1];
};

/**
 * struct kevent_bench_fire - argument of KEVENT_BENCH_IOC_FIRE
 * @mech: KEVENT_BENCH_M_KEVENT or KEVENT_BENCH_M_S390_LOG
 * @threads: 1 to KEVENT_BENCH_MAX_THREADS, at most the online CPUs
 * @first: first storage or device number
 * @nr: fires per thread, 1 to 2^20
 * @ns: out: from the earliest thread start to the latest thread end
 * @thread_ns: out: each thread's own time
 * @batch: 0 or 1: one notify at a time; 2 to KEVENT_BENCH_BATCH_MAX: that
 *	many in one kevent_batch (KEVENT_BENCH_M_KEVENT) or one
 *	kevent_s390_log_notify_batch() (KEVENT_BENCH_M_S390_LOG)
 * @__reserved0: must be zero
 * @__reserved: must be zero
 */
struct kevent_bench_fire {
	__u32 mech;
	__u32 threads;
	__u32 first;
	__u32 nr;
	__u64 ns;
	__u64 thread_ns[KEVENT_BENCH_MAX_THREADS];
	__u32 batch;
	__u32 __reserved0;
	__u64 __reserved[1];
};

/* Most notifies per batch: what kevent_s390_log_notify_batch() takes. */
#define KEVENT_BENCH_BATCH_MAX	64

/* Not /dev/kevent's magic: the bench is no part of its interface. */
#define KEVENT_BENCH_IOC_MAGIC	0xBA	/* free in ioctl-number.rst as of 6.1 */
#define KEVENT_BENCH_IOC_START	_IOW(KEVENT_BENCH_IOC_MAGIC, 0x01,	\
				     struct kevent_bench_run)
#define KEVENT_BENCH_IOC_WAIT	_IOR(KEVENT_BENCH_IOC_MAGIC, 0x02,	\
				     struct kevent_bench_result)
#define KEVENT_BENCH_IOC_STOP	_IO(KEVENT_BENCH_IOC_MAGIC, 0x03)
#define KEVENT_BENCH_IOC_FIRE	_IOWR(KEVENT_BENCH_IOC_MAGIC, 0x04,	\
				      struct kevent_bench_fire)

#endif /* _KEVENT_BENCH_H */
