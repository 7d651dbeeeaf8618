/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The running keventlogd: set up (setup.c), the event loop (loop.c), a
 * reload on SIGHUP (reload.c) and what systemd is told (notify.c).  One
 * poll over the kevent queue and a signalfd; the ring says that records
 * exist, /dev/kevent_s390_log gives them by sequence number, every output
 * writes them, the position is saved, and only then are the ring entries
 * committed.
 */
#ifndef KLD_DAEMON_H
#define KLD_DAEMON_H

#include <limits.h>

#include "config.h"
#include "output.h"
#include "requests.h"
#include "state.h"

/**
 * struct kld_notify - what systemd was told, and when to tell it again
 * @watchdog_ns: time between two WATCHDOG=1, half of $WATCHDOG_USEC; 0
 *	without a watchdog
 * @ping_at: CLOCK_MONOTONIC time of the next WATCHDOG=1
 * @status_at: CLOCK_MONOTONIC time from which a new STATUS= may be sent
 * @pending: the status changed since @status was sent
 * @status: the STATUS= text last sent
 */
struct kld_notify {
	__u64 watchdog_ns;
	__u64 ping_at;
	__u64 status_at;
	bool pending;
	char status[256];
};

/**
 * struct kld_daemon - everything the running daemon holds
 * @conf_path: the configuration file, read again on SIGHUP
 * @conf: the configuration in effect
 * @ring: the kevent queue's mapped ring
 * @kfd: the kevent queue
 * @head_mode: the queue gives entries back by the head store
 *	(KEVENT_INIT_HEAD_COMMITS), not by kevent_commit()
 * @head: ring index up to which entries were looked at
 * @want: the newest sequence number a ring entry announced
 * @renew: ids of requests that came back broken, to add again after commit
 * @nr_renew: how many
 * @reqs: the registered requests
 * @next_id: the next request id
 * @lfd: /dev/kevent_s390_log
 * @sfd: the signalfd (SIGTERM, SIGINT, SIGHUP)
 * @outs: the outputs
 * @sf: the state file
 * @saved: what the state file holds
 * @ident: the boot and kevent_s390_log instance ids every entry carries
 * @pos: every record up to this sequence number is written (or was
 *	skipped by the filter, or counted lost)
 * @pos_ts: the timestamp of record @pos, 0 if unknown
 * @stalled: an output or the state file failed: wait until @retry_at
 * @retry_at: CLOCK_MONOTONIC time of the next attempt, in ns
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
	bool head_mode;
	unsigned int head;
	__u64 want;
	__u64 *renew;
	unsigned int nr_renew;
	struct kld_reqs reqs;
	__u64 next_id;
	int lfd;
	int sfd;
	struct kld_outputs outs;
	struct kld_state_file sf;
	struct kld_state saved;
	struct kld_ident ident;
	__u64 pos;
	__u64 pos_ts;
	bool stalled;
	__u64 retry_at;
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

/* From @now to @at (CLOCK_MONOTONIC ns) in ms, rounded up: poll's timeout. */
static inline int kld_ms_until(__u64 now, __u64 at)
{
	__u64 ms;

	if (at <= now)
		return 0;
	ms = (at - now + 999999) / 1000000;
	return ms > INT_MAX ? INT_MAX : (int)ms;
}

void kld_notify_ready(struct kld_daemon *d, __u64 now);
void kld_notify_tick(struct kld_daemon *d, __u64 now);
int kld_notify_wait_ms(const struct kld_daemon *d, __u64 now);

#endif /* KLD_DAEMON_H */
