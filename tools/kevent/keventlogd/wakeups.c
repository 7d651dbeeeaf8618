// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's own requests on its kevent queue, beside the log requests,
 * so that the loop sleeps in kevent_wait() and nowhere else:
 *
 *   KLD_ID_SIGNALS   KEVENT_POLL on the signalfd, level: delivered while a
 *                    signal is pending.  The core asks a signalfd again in
 *                    the consumer's own context (at its next WAIT), so it
 *                    reports keventlogd's signals, not a worker's;
 *   KLD_ID_WATCHDOG  KEVENT_TIMER, periodic at half $WATCHDOG_USEC, edge:
 *                    one WATCHDOG=1 per delivery, none twice for expiries
 *                    folded into one;
 *   KLD_ID_RETRY     KEVENT_TIMER, one-shot, at retry_at after a failure;
 *   KLD_ID_STATUS    KEVENT_TIMER, one-shot, when a pending STATUS= is due.
 *
 * The loop gives one-shot timers as CLOCK_MONOTONIC times, and each is
 * armed at that time (KEVENT_TIMER_ABSTIME).  They are
 * KEVENT_REQ_ONESHOT requests: the request goes when its delivery is
 * given back (in head mode, when the next CTL or WAIT takes the head
 * back), so an idle keventlogd holds no timer it does not need.  MODIFY
 * does not change a timer: one still armed is moved by REMOVE and ADD.
 * An entry of the removed one still in the ring is marked
 * KEVENT_RET_REMOVED, and the loop skips it.
 *
 * A kevent.ko older than keventlogd refuses these types (EINVAL: a type
 * at or above its KEVENT_TYPE_MAX) as it refuses head mode (setup.c):
 * keventlogd then stops at start and says to load the module it came with.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "daemon.h"
#include "diag.h"
#include "libkevent.h"

#define NS_PER_SEC	1000000000ULL

/* ADD one request; 0, or the -errno it failed with. */
static int add_one(int kfd, struct ukevent *ev)
{
	int n = kevent_ctl(kfd, KEVENT_CTL_ADD, 1, ev);

	if (n < 0)
		return -errno;
	/* ALWAYS_QUEUE: only a failed entry comes back. */
	if (n && (ev->ret_flags & KEVENT_RET_BROKEN))
		return -(int)ev->ret_data[1];
	return 0;
}

static int add_timer(int kfd, __u64 id, const struct kevent_timer_spec *spec,
		     __u32 req_flags)
{
	struct ukevent ev;

	memset(&ev, 0, sizeof(ev));
	ev.id = id;
	ev.type = KEVENT_TIMER;
	ev.event = KEVENT_TIMER_EXPIRED;
	ev.req_flags = req_flags | KEVENT_REQ_ALWAYS_QUEUE;
	ev.param = (__u64)(unsigned long)spec;
	return add_one(kfd, &ev);
}

static void ns_to_ts(__u64 ns, struct __kernel_timespec *ts)
{
	ts->tv_sec = ns / NS_PER_SEC;
	ts->tv_nsec = ns % NS_PER_SEC;
}

/**
 * kld_wakeups_add() - watch the signalfd through the queue
 * @d: the daemon, with its queue and signalfd open
 *
 * Return: 0, or -errno after an error message (the module is too old).
 */
int kld_wakeups_add(struct kld_daemon *d)
{
	struct ukevent ev;
	int err;

	memset(&ev, 0, sizeof(ev));
	ev.id = KLD_ID_SIGNALS;
	ev.type = KEVENT_POLL;
	ev.event = KEVENT_POLL_IN;
	ev.req_flags = KEVENT_REQ_ALWAYS_QUEUE;
	ev.param = d->sfd;
	err = add_one(d->kfd, &ev);
	if (err == -EINVAL)
		kld_err("%s has no KEVENT_POLL and KEVENT_TIMER requests, which keventlogd waits for its signals and timers with\n  hint: %s",
			KLD_KEVENT_DEV, KLD_OLD_MODULE_HINT);
	else if (err)
		kld_err("cannot watch the signalfd through the kevent queue (KEVENT_POLL): %s",
			strerror(-err));
	return err;
}

/**
 * kld_watchdog_start() - the periodic timer of WATCHDOG=1, if systemd wants it
 * @d: the daemon, after kld_notify_ready()
 *
 * Return: 0, or -errno after an error message.
 */
int kld_watchdog_start(struct kld_daemon *d)
{
	__u64 ns = d->notify.watchdog_ns;
	struct kevent_timer_spec spec;
	int err;

	if (!ns)
		return 0;
	if (ns < KEVENT_TIMER_MIN_INTERVAL_NS)
		ns = KEVENT_TIMER_MIN_INTERVAL_NS;
	memset(&spec, 0, sizeof(spec));
	spec.clockid = CLOCK_MONOTONIC;
	ns_to_ts(ns, &spec.value);
	ns_to_ts(ns, &spec.interval);
	err = add_timer(d->kfd, KLD_ID_WATCHDOG, &spec, KEVENT_REQ_ET);
	if (err)
		kld_err("cannot start the watchdog timer (KEVENT_TIMER): %s",
			strerror(-err));
	return err;
}

/**
 * kld_timer_at() - arm a one-shot timer at @at, unless it is armed there
 * @kfd: the kevent queue
 * @t: the timer
 * @at: CLOCK_MONOTONIC ns; a time already past expires at once
 *
 * Return: 0, or -errno (the timer is then not armed).
 */
int kld_timer_at(int kfd, struct kld_timer *t, __u64 at)
{
	struct kevent_timer_spec spec;
	struct ukevent ev;
	int err;

	if (t->at == at)
		return 0;
	if (t->at) {
		/*
		 * Still registered: its expiry, if it came, is not taken from
		 * the ring yet, and the head has not passed it.
		 */
		memset(&ev, 0, sizeof(ev));
		ev.id = t->id;
		ev.type = KEVENT_TIMER;
		if (kevent_ctl(kfd, KEVENT_CTL_REMOVE, 1, &ev) < 0)
			return -errno;
		t->at = 0;
	}
	/* keventlogd's clock, as it reads it: the core honours its namespace. */
	memset(&spec, 0, sizeof(spec));
	spec.clockid = CLOCK_MONOTONIC;
	spec.flags = KEVENT_TIMER_ABSTIME;
	ns_to_ts(at, &spec.value);
	/* The ADD's CTL takes the head back: an expired one is gone by then. */
	err = add_timer(kfd, t->id, &spec, KEVENT_REQ_ONESHOT);
	if (!err)
		t->at = at;
	return err;
}
