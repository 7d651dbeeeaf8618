// SPDX-License-Identifier: GPL-2.0
/*
 * Timed bursts for the scale and parallel-producer benchmarks
 * (KEVENT_BENCH_IOC_FIRE): up to KEVENT_BENCH_MAX_THREADS kthreads, one per
 * online CPU, start together and fire without timestamps or flow control.
 * fire_mutex serialises the bursts.
 */
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/uaccess.h>

#include "internal.h"

/* Fires per thread and burst: bounded, since the caller cannot interrupt. */
#define BURST_MAX		BIT(20)

/**
 * struct burst - one KEVENT_BENCH_IOC_FIRE in progress
 * @f: its parameters and results
 * @tasks: the threads
 * @ready: threads waiting for @go
 * @go: set once every thread is ready
 * @left: threads still firing
 * @done: completed when @left drops to 0
 * @start: per thread, ktime_get_ns() before the first fire
 * @end: per thread, after the last
 */
struct burst {
	struct kevent_bench_fire f;
	struct task_struct *tasks[KEVENT_BENCH_MAX_THREADS];
	atomic_t ready;
	bool go;
	atomic_t left;
	struct completion done;
	u64 start[KEVENT_BENCH_MAX_THREADS];
	u64 end[KEVENT_BENCH_MAX_THREADS];
};

static DEFINE_MUTEX(fire_mutex);
static struct burst burst = {
	.done = COMPLETION_INITIALIZER(burst.done),
};

static int burst_thread(void *arg)
{
	unsigned int t = (unsigned long)arg, i, n;
	u32 base = burst.f.first + t * burst.f.nr;
	bool fire = true;

	atomic_inc(&burst.ready);
	/* Pairs with smp_store_release(&burst.go) in kevent_bench_ioc_fire(). */
	while (!smp_load_acquire(&burst.go)) {
		if (kthread_should_stop()) {
			fire = false;
			break;
		}
		cond_resched();
		cpu_relax();
	}
	burst.start[t] = ktime_get_ns();
	for (i = 0; fire && i < burst.f.nr; i += n) {
		n = min(burst.f.nr - i, max(burst.f.batch, 1U));
		if (n > 1)
			kevent_bench_fire_batch(burst.f.mech, base + i, n,
						i + 1);
		else
			kevent_bench_fire(burst.f.mech, base + i, i + 1, 0,
					  NULL);
		if ((i & 1023) < n)
			cond_resched();
	}
	burst.end[t] = ktime_get_ns();
	if (atomic_dec_and_test(&burst.left))
		complete(&burst.done);

	kevent_bench_wait_reaped();
	return 0;
}

/* The @t-th online CPU. */
static int nth_online_cpu(unsigned int t)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		if (!t--)
			return cpu;
	return -1;
}

long kevent_bench_ioc_fire(void __user *arg)
{
	struct kevent_bench_fire *f = &burst.f;
	unsigned int t, n = 0, waited = 0;
	u64 lo = U64_MAX, hi = 0, end;
	long err = 0;
	int cpu;

	mutex_lock(&fire_mutex);
	if (copy_from_user(f, arg, sizeof(*f))) {
		err = -EFAULT;
		goto out;
	}
	end = (u64)f->first + (u64)f->threads * f->nr;
	if (f->__reserved0 || f->__reserved[0] || !f->nr ||
	    f->batch > KEVENT_BENCH_BATCH_MAX ||
	    f->nr > BURST_MAX || !f->threads ||
	    f->threads > KEVENT_BENCH_MAX_THREADS ||
	    f->threads > num_online_cpus() ||
	    (f->mech == KEVENT_BENCH_M_KEVENT && end > kevent_bench_nr_storages) ||
	    (f->mech == KEVENT_BENCH_M_S390_LOG && end > KEVENT_BENCH_DEVNR_MAX) ||
	    (f->mech != KEVENT_BENCH_M_KEVENT &&
	     f->mech != KEVENT_BENCH_M_S390_LOG)) {
		err = -EINVAL;
		goto out;
	}

	atomic_set(&burst.ready, 0);
	atomic_set(&burst.left, f->threads);
	burst.go = false;
	reinit_completion(&burst.done);
	for (t = 0; t < f->threads; t++) {
		struct task_struct *task;

		cpu = nth_online_cpu(t);
		task = cpu < 0 ? ERR_PTR(-ENODEV) :
			kthread_create(burst_thread, (void *)(unsigned long)t,
				       "kevent_bench/%u", t);
		if (IS_ERR(task)) {
			err = PTR_ERR(task);
			break;
		}
		kthread_bind(task, cpu);
		get_task_struct(task);
		burst.tasks[t] = task;
		n++;
	}
	if (err) {
		/* Threads not yet woken return at once from kthread_stop(). */
		for (t = 0; t < n; t++) {
			kthread_stop(burst.tasks[t]);
			put_task_struct(burst.tasks[t]);
		}
		goto out;
	}
	for (t = 0; t < n; t++)
		wake_up_process(burst.tasks[t]);
	/* Start them together, but never hang on one that is not scheduled. */
	while (atomic_read(&burst.ready) < n && waited++ < 5000)
		usleep_range(100, 200);
	/* Pairs with smp_load_acquire(&burst.go) in burst_thread(). */
	smp_store_release(&burst.go, true);
	wait_for_completion(&burst.done);

	for (t = 0; t < n; t++) {
		kthread_stop(burst.tasks[t]);
		put_task_struct(burst.tasks[t]);
		lo = min(lo, burst.start[t]);
		hi = max(hi, burst.end[t]);
		f->thread_ns[t] = burst.end[t] - burst.start[t];
	}
	f->ns = hi - lo;
	if (copy_to_user(arg, f, sizeof(*f)))
		err = -EFAULT;
out:
	mutex_unlock(&fire_mutex);
	return err;
}
