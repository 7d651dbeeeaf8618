// SPDX-License-Identifier: GPL-2.0
/*
 * KEVENT_TIMER: each request has a timer of its own, an hrtimer in its
 * private data beside the storage the timer fires.  The ABI is in
 * <uapi/linux/kevent.h>, "KEVENT_TIMER".
 *
 * The expiry function is the only writer of the expiry count and of the
 * latest expiry: expiries of one hrtimer never run at once.  It fires the
 * storage, and ->callback() copies both into the request under the
 * queue's ready lock, from within that fire: no lock of our own.  The
 * request leaves the storage before ->dequeue() cancels the timer, and
 * hrtimer_cancel() waits for an expiry in progress, so when the request
 * is freed nothing of ours runs or will run.
 */
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/time64.h>
#include <linux/time_namespace.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "internal.h"

/**
 * struct kevent_timer - a KEVENT_TIMER request's private data
 * @st: the storage its expiries fire; the request is its only one
 * @timer: armed at ADD, cancelled at removal
 * @interval: the period; 0 for a one-shot timer
 * @count: expiries since ADD, overruns included
 * @latest: the scheduled time of the latest expiry, in ns of the clock
 * @to_real: a relative CLOCK_REALTIME timer, which hrtimer_init() puts on
 *	CLOCK_MONOTONIC: @latest is converted to CLOCK_REALTIME
 * @ns_offset: the offset of the ADD caller's time namespace for the
 *	clock: the timer runs on the host's clock, @latest is in the caller's
 */
struct kevent_timer {
	struct kevent_storage st;
	struct hrtimer timer;
	ktime_t interval;
	u64 count;
	u64 latest;
	bool to_real;
	ktime_t ns_offset;
};

/* A timespec of the ABI, in range (tv_sec >= 0, 0 <= tv_nsec < 1e9). */
static int spec_time(const struct __kernel_timespec *ts, ktime_t *out)
{
	struct timespec64 t = {
		.tv_sec = ts->tv_sec,
		.tv_nsec = ts->tv_nsec,
	};

	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	/* Saturates at KTIME_MAX: a timer that never expires. */
	*out = timespec64_to_ktime(t);
	return 0;
}

static int read_spec(struct kevent *k, struct kevent_timer_spec *spec,
		     ktime_t *value, ktime_t *interval)
{
	if (copy_from_user(spec, kevent_uptr(k->event.param), sizeof(*spec)))
		return -EFAULT;
	if ((spec->clockid != CLOCK_MONOTONIC &&
	     spec->clockid != CLOCK_REALTIME &&
	     spec->clockid != CLOCK_BOOTTIME) ||
	    (spec->flags & ~KEVENT_TIMER_ABSTIME) ||
	    spec->__reserved[0] || spec->__reserved[1] ||
	    spec_time(&spec->value, value) ||
	    spec_time(&spec->interval, interval))
		return -EINVAL;
	if (!(spec->flags & KEVENT_TIMER_ABSTIME) && !*value)
		return -EINVAL;
	if (*interval && *interval < KEVENT_TIMER_MIN_INTERVAL_NS)
		return -EINVAL;
	return 0;
}

/*
 * What the caller's time namespace adds to the host's @clockid (as
 * timerfd and clock_nanosleep() honour it): fixed once a task is in it.
 */
static ktime_t ns_offset(clockid_t clockid)
{
	struct timespec64 ts = {};

	if (clockid == CLOCK_MONOTONIC)
		timens_add_monotonic(&ts);
	else if (clockid == CLOCK_BOOTTIME)
		timens_add_boottime(&ts);
	return timespec64_to_ktime(ts);
}

/* Hardirq context (softirq on PREEMPT_RT). */
static enum hrtimer_restart kevent_timer_expire(struct hrtimer *h)
{
	struct kevent_timer *t = container_of(h, struct kevent_timer, timer);
	ktime_t latest = hrtimer_get_expires(h);
	u64 n = 1;

	if (t->interval) {
		/* Every period that has passed, the one due now included. */
		n = hrtimer_forward_now(h, t->interval);
		latest = ktime_sub(hrtimer_get_expires(h), t->interval);
	}
	t->latest = t->to_real ? ktime_mono_to_real(latest) :
				 ktime_add(latest, t->ns_offset);
	t->count += n;
	kevent_storage_ready_data(&t->st, NULL, KEVENT_TIMER_EXPIRED, t);
	return t->interval ? HRTIMER_RESTART : HRTIMER_NORESTART;
}

static int kevent_timer_enqueue(struct kevent *k)
{
	struct kevent_timer *t = kevent_priv(k);
	struct kevent_timer_spec spec;
	ktime_t value, interval;
	enum hrtimer_mode mode;
	int err;

	err = read_spec(k, &spec, &value, &interval);
	if (err)
		return err;
	mode = spec.flags & KEVENT_TIMER_ABSTIME ? HRTIMER_MODE_ABS :
						   HRTIMER_MODE_REL;
	kevent_storage_init(t, &t->st);
	hrtimer_init(&t->timer, spec.clockid, mode);
	t->timer.function = kevent_timer_expire;
	t->interval = interval;
	t->to_real = spec.clockid == CLOCK_REALTIME && mode == HRTIMER_MODE_REL;
	t->ns_offset = ns_offset(spec.clockid);
	/* The host's time; hrtimers take one before boot as past, at once. */
	if (mode == HRTIMER_MODE_ABS)
		value = ktime_sub(value, t->ns_offset);
	k->event.ret_data[0] = 0;
	k->event.ret_data[1] = 0;
	/* Attached first: the first expiry may come at once. */
	kevent_storage_enqueue(&t->st, k);
	hrtimer_start(&t->timer, value, mode);
	return 0;
}

/* The core has detached @k: no expiry can mark it; stop the timer. */
static void kevent_timer_dequeue(struct kevent *k)
{
	struct kevent_timer *t = kevent_priv(k);

	hrtimer_cancel(&t->timer);
}

/* Under the ready lock, in the fire of kevent_timer_expire(). */
static int kevent_timer_callback(struct kevent *k, u32 event, void *data)
{
	const struct kevent_timer *t = data;

	k->event.ret_data[0] = t->count;
	k->event.ret_data[1] = t->latest;
	return 1;
}

static const struct kevent_callbacks kevent_timer_cb = {
	.owner = THIS_MODULE,
	.events = KEVENT_TIMER_EXPIRED,
	.priv_size = sizeof(struct kevent_timer),
	.enqueue = kevent_timer_enqueue,
	.dequeue = kevent_timer_dequeue,
	.callback = kevent_timer_callback,
};

int kevent_timer_init(void)
{
	return kevent_add_callbacks(&kevent_timer_cb, KEVENT_TIMER);
}

void kevent_timer_exit(void)
{
	WARN_ON(kevent_remove_callbacks(KEVENT_TIMER));
}
