/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Firing events from interrupt context, in batches, for the test and
 * benchmark sources (kevent_test.ko, kevent_tape_sim.ko, kevent_bench.ko):
 * an hrtimer makes up to @batch fires per expiry, so that no interrupt runs
 * for long, re-arms itself until the run is over, then completes @done.
 *
 * Header only, and included by no production module (kevent.ko,
 * kevent_s390_log.ko): those carry no test code.
 *
 * One run at a time per struct kevent_irq_batch; the caller serialises
 * starting them.  The caller sets up what ->fire() reads before starting a
 * run: hrtimer_start() orders those writes before the first expiry.
 */
#ifndef _LINUX_KEVENT_IRQ_BATCH_H
#define _LINUX_KEVENT_IRQ_BATCH_H

#include <linux/completion.h>
#include <linux/hrtimer.h>
#include <linux/kernel.h>

/**
 * struct kevent_irq_batch - fires from an hrtimer, in batches
 * @timer: expires in hardirq or softirq context, as initialised
 * @done: completed once the run is over
 * @fire: makes the next fire; returns false, having fired nothing, to end
 *	the run early.  Context: that of @timer.
 * @mode: HRTIMER_MODE_REL_HARD or HRTIMER_MODE_REL_SOFT
 * @batch: most fires per expiry
 * @left: fires still to make in this run
 * @gap_ns: time from one expiry to the next
 */
struct kevent_irq_batch {
	struct hrtimer timer;
	struct completion done;
	bool (*fire)(struct kevent_irq_batch *b);
	enum hrtimer_mode mode;
	unsigned int batch;
	u64 left;
	u64 gap_ns;
};

static inline enum hrtimer_restart kevent_irq_batch_expire(struct hrtimer *t)
{
	struct kevent_irq_batch *b = container_of(t, struct kevent_irq_batch,
						  timer);
	unsigned int i;

	for (i = 0; i < b->batch && b->left; i++, b->left--) {
		if (!b->fire(b)) {
			b->left = 0;
			break;
		}
	}
	if (b->left) {
		hrtimer_forward_now(t, ns_to_ktime(b->gap_ns));
		return HRTIMER_RESTART;
	}
	complete(&b->done);
	return HRTIMER_NORESTART;
}

/* Context: process. */
static inline void kevent_irq_batch_init(struct kevent_irq_batch *b,
					 bool (*fire)(struct kevent_irq_batch *),
					 enum hrtimer_mode mode,
					 unsigned int batch)
{
	init_completion(&b->done);
	hrtimer_init(&b->timer, CLOCK_MONOTONIC, mode);
	b->timer.function = kevent_irq_batch_expire;
	b->fire = fire;
	b->mode = mode;
	b->batch = batch;
}

/*
 * Start a run of at most @count fires, the first batch after @delay_ns and
 * the next ones @gap_ns apart.  Context: process.
 */
static inline void kevent_irq_batch_start(struct kevent_irq_batch *b,
					  u64 count, u64 delay_ns, u64 gap_ns)
{
	b->left = count;
	b->gap_ns = gap_ns;
	reinit_completion(&b->done);
	hrtimer_start(&b->timer, ns_to_ktime(delay_ns), b->mode);
}

/* Make @count fires, @gap_ns apart batch by batch, and wait for them. */
static inline void kevent_irq_batch_run(struct kevent_irq_batch *b,
					u64 count, u64 gap_ns)
{
	kevent_irq_batch_start(b, count, 0, gap_ns);
	wait_for_completion(&b->done);
}

/* Stop a run; returns once ->fire() runs no more.  Context: process. */
static inline void kevent_irq_batch_cancel(struct kevent_irq_batch *b)
{
	hrtimer_cancel(&b->timer);
}

#endif /* _LINUX_KEVENT_IRQ_BATCH_H */
