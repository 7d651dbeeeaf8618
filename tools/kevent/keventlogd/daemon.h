/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The running keventlogd: set up (setup.c), the event loop (loop.c), a
 * reload on SIGHUP (reload.c), what systemd is told (notify.c) and the
 * daemon's own requests (wakeups.c).  It sleeps in one place, kevent_wait()
 * on its queue, which brings everything it waits for: the log requests
 * (the records exist: /dev/kevent_s390_log gives them by sequence number,
 * every output writes them, the position is saved), its signals (a
 * signalfd, as a KEVENT_POLL request) and its timers (KEVENT_TIMER: the
 * retry after a failure, the watchdog, the STATUS= rate limit).
 */
#ifndef KLD_DAEMON_H
#define KLD_DAEMON_H

#include "config.h"
#include "output.h"
#include "requests.h"
#include "state.h"

/*
 * Ids of the daemon's own requests on its queue.  Log requests count up
 * from 1 (kld_reqs_add()), so they never reach this range.
 */
#define KLD_ID_OWN		(1ULL << 63)
#define KLD_ID_SIGNALS		(KLD_ID_OWN | 1)	/* KEVENT_POLL, the signalfd */
#define KLD_ID_RETRY		(KLD_ID_OWN | 2)	/* KEVENT_TIMER, one-shot */
#define KLD_ID_WATCHDOG		(KLD_ID_OWN | 3)	/* KEVENT_TIMER, periodic */
#define KLD_ID_STATUS		(KLD_ID_OWN | 4)	/* KEVENT_TIMER, one-shot */

/* What to do when kevent.ko lacks what this keventlogd needs. */
#define KLD_OLD_MODULE_HINT \
	"kevent.ko is older than this keventlogd, which comes with its own module (the same package, or kevent-dkms): stop what uses kevent, then load the new one (modprobe -r kevent_s390_log kevent; modprobe kevent_s390_log), or reboot"

/**
 * struct kld_timer - a one-shot KEVENT_TIMER request of the daemon's
 * @id: its request id, KLD_ID_*
 * @at: CLOCK_MONOTONIC ns it expires at, while it is registered; 0 once
 *	its expiry was taken from the ring (KEVENT_REQ_ONESHOT: the request
 *	goes with it), or before it was armed
 */
struct kld_timer {
	__u64 id;
	__u64 at;
};

/**
 * struct kld_notify - what systemd was told, and when to tell it again
 * @watchdog_ns: time between two WATCHDOG=1, half of $WATCHDOG_USEC; 0
 *	without a watchdog
 * @status_at: CLOCK_MONOTONIC time from which a new STATUS= may be sent
 * @pending: the status changed since @status was sent
 * @status: the STATUS= text last sent
 */
struct kld_notify {
	__u64 watchdog_ns;
	__u64 status_at;
	bool pending;
	char status[256];
};

/**
 * struct kld_daemon - everything the running daemon holds
 * @conf_path: the configuration file, read again on SIGHUP
 * @conf: the configuration in effect
 * @ring: the kevent queue's mapped ring
 * @kfd: the kevent queue, in head mode (KEVENT_INIT_HEAD_COMMITS): the
 *	head store gives entries back
 * @head: ring index up to which entries were looked at (and given back)
 * @want: the newest sequence number a ring entry announced
 * @renew: ids of requests that came back broken, to add again after commit
 * @nr_renew: how many
 * @reqs: the registered requests
 * @next_id: the next request id
 * @lfd: /dev/kevent_s390_log
 * @sfd: the signalfd (SIGTERM, SIGINT, SIGHUP), watched by the request
 *	KLD_ID_SIGNALS
 * @signalled: that request was delivered: read @sfd
 * @outs: the outputs
 * @sf: the state file
 * @saved: what the state file holds
 * @ident: the boot and kevent_s390_log instance ids every entry carries
 * @pos: every record up to this sequence number is written (or was
 *	skipped by the filter, or counted lost)
 * @pos_ts: the timestamp of record @pos, 0 if unknown
 * @stalled: an output or the state file failed: wait until @retry_at
 * @retry_at: CLOCK_MONOTONIC time of the next attempt, in ns
 * @retry: the timer that wakes the loop at @retry_at
 * @status_timer: the timer that wakes the loop when a pending STATUS= is
 *	due
 * @ping: the watchdog timer (KLD_ID_WATCHDOG, periodic) expired: send
 *	WATCHDOG=1
 * @state_failing: the last state save failed
 * @more: records may be left: do not sleep
 * @stop: SIGTERM or SIGINT arrived
 * @written: records written since start
 * @lost: records lost since start
 * @skipped: records the filter left out since start
 * @warned_gap: last sequence number of the last gap reported
 * @notify: STATUS= and WATCHDOG=1 (notify.c)
 */
struct kld_daemon {
	const char *conf_path;
	struct kld_config *conf;
	struct kevent_ring *ring;
	int kfd;
	unsigned int head;
	__u64 want;
	__u64 *renew;
	unsigned int nr_renew;
	struct kld_reqs reqs;
	__u64 next_id;
	int lfd;
	int sfd;
	bool signalled;
	struct kld_outputs outs;
	struct kld_state_file sf;
	struct kld_state saved;
	struct kld_ident ident;
	__u64 pos;
	__u64 pos_ts;
	bool stalled;
	__u64 retry_at;
	struct kld_timer retry;
	struct kld_timer status_timer;
	bool ping;
	bool state_failing;
	bool more;
	bool stop;
	__u64 written;
	__u64 lost;
	__u64 skipped;
	__u64 warned_gap;
	struct kld_notify notify;
};

int __must_check kld_daemon_setup(struct kld_daemon *d,
				  struct kld_config *conf, const char *path);
int __must_check kld_daemon_started(struct kld_daemon *d);
int kld_daemon_run(struct kld_daemon *d);
void kld_daemon_reload(struct kld_daemon *d);
void kld_daemon_teardown(struct kld_daemon *d);

void kld_notify_ready(struct kld_daemon *d, __u64 now);
__u64 kld_notify_tick(struct kld_daemon *d, __u64 now, bool ping);

int __must_check kld_wakeups_add(struct kld_daemon *d);
int __must_check kld_watchdog_start(struct kld_daemon *d);
int __must_check kld_timer_at(int kfd, struct kld_timer *t, __u64 at);

#endif /* KLD_DAEMON_H */
