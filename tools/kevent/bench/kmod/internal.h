/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kevent_bench.ko: what its files share.  Nothing here is exported.
 *
 * Files, one concern each:
 *   main.c       module init and exit, /dev/kevent_bench
 *   source.c     the bench request type and its storages; one fire through
 *                any mechanism
 *   baselines.c  the mechanisms kevent is compared with: generic netlink,
 *                uevents, eventfd
 *   producer.c   the producer run (START, WAIT, STOP) and its shared page
 *   scale.c      timed bursts from several CPUs (FIRE)
 */
#ifndef _KEVENT_BENCH_INTERNAL_H
#define _KEVENT_BENCH_INTERNAL_H

#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/types.h>

#include "kevent_bench.h"

struct eventfd_ctx;
struct file;
struct miscdevice;
struct vm_area_struct;

/* main.c: the misc device, whose kobject the uevents come from */
extern struct miscdevice kevent_bench_misc;

/* source.c */
extern unsigned int kevent_bench_nr_storages;
int kevent_bench_source_init(void);
void kevent_bench_source_exit(void);
int __must_check kevent_bench_source_register(void);
void kevent_bench_source_unregister(void);
int kevent_bench_fire(u32 mech, u32 idx, u64 seq, u64 ns,
		      struct eventfd_ctx *efd);
int kevent_bench_fire_batch(u32 mech, u32 idx, u32 n, u64 seq);
bool kevent_bench_any_context(u32 mech);

/* baselines.c */
int kevent_bench_genl_init(void);
void kevent_bench_genl_exit(void);
int kevent_bench_genl_send(u64 seq, u64 ns, gfp_t gfp);
int kevent_bench_uevent_send(u64 seq, u64 ns);
void kevent_bench_eventfd_send(struct eventfd_ctx *efd);

/* producer.c */
int kevent_bench_run_init(void);
void kevent_bench_run_exit(void);
int kevent_bench_run_mmap(struct vm_area_struct *vma);
long kevent_bench_ioc_start(struct file *file, void __user *arg);
long kevent_bench_ioc_wait(struct file *file, void __user *arg);
long kevent_bench_ioc_stop(struct file *file);
void kevent_bench_run_release(struct file *file);

/* A producer kthread that is done: wait for kthread_stop() to reap it. */
static inline void kevent_bench_wait_reaped(void)
{
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
}

/* scale.c */
long kevent_bench_ioc_fire(void __user *arg);

#endif /* _KEVENT_BENCH_INTERNAL_H */
