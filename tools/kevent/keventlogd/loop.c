// SPDX-License-Identifier: GPL-2.0
/*
 * keventlogd's event loop.  It sleeps in kevent_wait() on its queue and
 * nowhere else: the queue brings the log requests' wakeups, its signals
 * and its timers (wakeups.c).  Each round:
 *
 *   1. wait for a ring entry (or, with work left, take what is there);
 *      look at the new entries: the newest sequence number the log
 *      requests announce, log requests that came back broken, a signal,
 *      a timer's expiry; give the entries back (the head store: the
 *      queue is in head mode);
 *   2. read the signals: SIGHUP reloads, SIGTERM and SIGINT stop;
 *   3. READ from pos + 1 until the log has nothing more, a batch at a
 *      time; write each record to every output (a gap as a "lost" entry);
 *   4. after each batch, flush the outputs and save pos durably;
 *   5. once everything announced is written, add broken requests again;
 *   6. tell systemd what is due (notify.c), and arm the timers the next
 *      rounds need: the retry, a pending STATUS=.
 *
 * The ring entries are only wakeups: the position is what counts, so they
 * are given back at once.  A round reads at most ROUND_BATCHES batches,
 * so that signals are seen during a long catch-up.  When an output or the
 * state file fails, the loop stalls: nothing is saved past it, and the
 * round is tried again when the retry timer expires, retry-seconds later.
 * Records are read again from the kernel then; an output that has one
 * already does not write it twice.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "daemon.h"
#include "diag.h"
#include "drain.h"
#include "libkevent.h"
#include "libkevent_s390_log.h"

#define ROUND_BATCHES	64

static __u64 now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* The retry timer is armed at d->retry_at after the round (arm_timers()). */
static void stall(struct kld_daemon *d)
{
	d->stalled = true;
	d->retry_at = now_ns(CLOCK_MONOTONIC) +
		      d->conf->retry_seconds * 1000000000ULL;
}

/* Make what was written durable and save the position: 0, or stall. */
static int checkpoint(struct kld_daemon *d)
{
	struct kld_state st = d->saved;
	__u64 done;
	int err;

	err = kld_outputs_flush(&d->outs);
	if (err) {
		done = kld_outputs_done(&d->outs);
		if (done < d->pos) {
			d->pos = done;
			d->pos_ts = 0;
		}
		stall(d);
		return err;
	}
	if (d->pos == d->saved.last_seq)
		return 0;
	st.last_seq = d->pos;
	st.last_ts = d->pos_ts;
	err = kld_state_save(&d->sf, &st);
	if (err) {
		if (!d->state_failing)
			kld_err("cannot save the position (sequence %llu) to %s: %s\n"
				"  hint: the directory must be writable by the user keventlogd runs as; nothing is committed until it is saved",
				(unsigned long long)d->pos, d->sf.path,
				strerror(-err));
		d->state_failing = true;
		stall(d);
		return err;
	}
	if (d->state_failing)
		kld_notice("position saved to %s again", d->sf.path);
	d->state_failing = false;
	d->saved = st;
	return 0;
}

static int write_entry(struct kld_daemon *d, const struct kld_entry *e)
{
	int err = kld_outputs_write(&d->outs, e);

	if (err)
		stall(d);
	return err;
}

/* The records [pos + 1, rd->next) were overwritten before we read them. */
static int handle_gap(struct kld_daemon *d,
		      const struct libkevent_s390_log_result *rd)
{
	__u64 first = d->pos + 1, last = rd->next - 1;
	struct kld_entry e;

	if (last > d->warned_gap) {
		kld_warn("lost %llu event%s (sequence %llu..%llu): the kernel buffer overwrote them before keventlogd read them",
			 (unsigned long long)rd->lost, rd->lost == 1 ? "" : "s",
			 (unsigned long long)first, (unsigned long long)last);
		d->warned_gap = last;
	}
	kld_entry_lost(&e, first, last, now_ns(CLOCK_REALTIME), &d->ident);
	if (write_entry(d, &e))
		return -1;
	d->lost += rd->lost;
	d->pos = last;
	d->pos_ts = 0;
	return 0;
}

static int handle_records(struct kld_daemon *d,
			  const struct kevent_s390_log_record *recs,
			  unsigned int n)
{
	const struct kevent_s390_log_record *r;
	struct kld_entry e;
	unsigned int i;

	for (i = 0; i < n; i++) {
		r = &recs[i];
		if (kld_config_match(d->conf, r->devid, r->event)) {
			kld_entry_event(&e, r, &d->ident);
			if (write_entry(d, &e))
				return -1;
			d->written++;
		} else {
			d->skipped++;
		}
		d->pos = r->seq;
		d->pos_ts = r->timestamp_ns;
	}
	return 0;
}

static int read_failed(struct kld_daemon *d, int err, const char *why)
{
	if (err == -ERANGE)
		kld_err("sequence %llu was never issued: the s390 log was started again under keventlogd",
			(unsigned long long)d->pos + 1);
	else if (err == -EPROTO)
		kld_err("the kernel's answer to READ is malformed: %s", why);
	else
		kld_err("READ of %s from sequence %llu failed: %s",
			LIBKEVENT_S390_LOG_DEVICE,
			(unsigned long long)d->pos + 1, strerror(-err));
	return err;
}

/* One batch read: write it, then checkpoint.  Nonzero: stop (stalled). */
static int take_batch(void *arg, __u64 first,
		      const struct libkevent_s390_log_result *rd,
		      const struct kevent_s390_log_record *recs)
{
	struct kld_daemon *d = arg;
	int err;

	(void)first;	/* d->pos + 1: handle_gap() starts there */
	if (rd->lost)
		err = handle_gap(d, rd);
	else
		err = handle_records(d, recs, rd->count);
	return checkpoint(d) || err;
}

/*
 * Read and write up to @batches batches.  Returns 0 (also when stalled:
 * see d->stalled) or a -errno the loop cannot go on after.
 */
static int drain(struct kld_daemon *d, unsigned int batches)
{
	char why[160] = "";
	int ret;

	ret = kld_drain(d->lfd, &d->pos, batches, take_batch, d, why,
			sizeof(why));
	if (ret < 0)
		return read_failed(d, ret, why);
	if (ret == KLD_DRAIN_STOPPED)
		return 0;
	d->more = ret == KLD_DRAIN_MORE;
	checkpoint(d);
	return 0;
}

/* Note a broken request, to add it again once its slot is committed. */
static void note_broken(struct kld_daemon *d, const struct ukevent *ev)
{
	__u64 *n;

	n = realloc(d->renew, (d->nr_renew + 1) * sizeof(*n));
	if (!n)
		return;
	d->renew = n;
	d->renew[d->nr_renew++] = ev->id;
}

/* An entry of one of the daemon's own requests: 0, or -errno to stop. */
static int own_entry(struct kld_daemon *d, const struct ukevent *ev)
{
	if (ev->ret_flags & KEVENT_RET_REMOVED)
		return 0;	/* of a timer armed again since */
	if (ev->ret_flags & KEVENT_RET_BROKEN) {
		kld_err("the kevent queue's request %#llx (%s) broke: %s",
			(unsigned long long)ev->id,
			ev->id == KLD_ID_SIGNALS ? "the signalfd" : "a timer",
			strerror((int)ev->ret_data[1]));
		return -EIO;
	}
	switch (ev->id) {
	case KLD_ID_SIGNALS:
		d->signalled = true;
		break;
	case KLD_ID_WATCHDOG:
		d->ping = true;
		break;
	case KLD_ID_RETRY:
		d->retry.at = 0;
		break;
	case KLD_ID_STATUS:
		d->status_timer.at = 0;
		break;
	}
	return 0;
}

/*
 * Look at the entries the kernel has put into the ring since last time,
 * and give them back.  0, or -errno to stop.
 */
static int ring_scan(struct kld_daemon *d)
{
	unsigned int tail = kevent_ring_tail(d->ring);
	struct ukevent ev;
	int err = 0;

	for (; d->head != tail; d->head++) {
		memcpy(&ev, kevent_ring_entry(d->ring, d->head), sizeof(ev));
		if (ev.id >= KLD_ID_OWN) {
			if (!err)
				err = own_entry(d, &ev);
			continue;
		}
		if (ev.type != KEVENT_S390_LOG)
			continue;
		if (ev.ret_flags & KEVENT_RET_BROKEN)
			note_broken(d, &ev);
		else if (ev.ret_data[0] > d->want)
			d->want = ev.ret_data[0];
	}
	kevent_ring_set_head(d->ring, d->head);
	return err;
}

/*
 * Requests whose device went away are added again, for when it comes
 * back.  A record of that device stored before the new request existed
 * woke nobody: read once more after renewing.
 */
static void renew_requests(struct kld_daemon *d)
{
	unsigned int i;
	int err;

	for (i = 0; i < d->nr_renew; i++) {
		err = kld_reqs_renew(d->kfd, &d->reqs, d->renew[i],
				     &d->next_id);
		if (err && err != -ENOENT)
			kld_warn("cannot register a request again after its device went away: %s\n"
				 "  its records are still read, at the next wakeup of another request",
				 strerror(-err));
	}
	if (d->nr_renew)
		d->more = true;
	d->nr_renew = 0;
}

/*
 * Records up to the newest one announced are written; ring_scan() gave
 * the entries back already.
 */
static void caught_up(struct kld_daemon *d)
{
	if (d->pos >= d->want)
		renew_requests(d);
}

static int run_round(struct kld_daemon *d, unsigned int batches)
{
	int err;

	if (d->stalled && now_ns(CLOCK_MONOTONIC) < d->retry_at)
		return 0;
	d->stalled = false;
	err = drain(d, batches);
	if (!err && !d->stalled)
		caught_up(d);
	return err;
}

/* The signalfd's request was delivered: read every pending signal. */
static int signals(struct kld_daemon *d)
{
	struct signalfd_siginfo si[8];
	ssize_t n;
	size_t i;

	d->signalled = false;
	for (;;) {
		n = read(d->sfd, si, sizeof(si));
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -errno;
		if (n % sizeof(si[0]))
			return -EIO;
		for (i = 0; i < n / sizeof(si[0]); i++) {
			if (si[i].ssi_signo == SIGHUP) {
				kld_daemon_reload(d);
			} else {
				kld_notice("signal %u: stopping",
					   si[i].ssi_signo);
				d->stop = true;
			}
		}
	}
}

/*
 * Sleep in the queue until a ring entry comes: a log request, a signal,
 * a timer.  With work left (and no failure to wait out), only take what
 * is there: a WAIT for nothing never sleeps, and still asks the signalfd
 * again, which only this process's own call can do.
 */
static int wait_queue(struct kld_daemon *d)
{
	unsigned int num = !d->more || d->stalled;

	if (kevent_wait(d->kfd, num, d->head, NULL, 0) < 0 && errno != EINTR) {
		kld_err("kevent_wait: %s", strerror(errno));
		return -errno;
	}
	return ring_scan(d);
}

/* Tell systemd what is due; arm the timers the next rounds need. */
static int arm_timers(struct kld_daemon *d)
{
	__u64 now = now_ns(CLOCK_MONOTONIC), due;
	int err = 0;

	due = kld_notify_tick(d, now, d->ping);
	d->ping = false;
	if (due)
		err = kld_timer_at(d->kfd, &d->status_timer, due);
	if (!err && d->stalled)
		err = kld_timer_at(d->kfd, &d->retry, d->retry_at);
	if (err)
		kld_err("cannot arm a timer on the kevent queue (KEVENT_TIMER): %s",
			strerror(-err));
	return err;
}

/* The last round before exit: everything the log holds now. */
static int finish(struct kld_daemon *d)
{
	struct kevent_s390_log_stats st;
	unsigned int batches = ROUND_BATCHES;
	int err;

	sd_notify(0, "STOPPING=1");
	if (!libkevent_s390_log_stats(d->lfd, &st))
		batches = st.records / KLD_READ_BATCH + 2;
	d->stalled = false;
	err = ring_scan(d);
	if (!err)
		err = run_round(d, batches);
	if (!err && d->stalled) {
		kld_err("stopping with records after sequence %llu not written: an output or the state file is failing",
			(unsigned long long)d->pos);
		err = -EIO;
	}
	kld_notice("stopped at sequence %llu: %llu written, %llu lost, %llu left out by the filter",
		   (unsigned long long)d->pos, (unsigned long long)d->written,
		   (unsigned long long)d->lost, (unsigned long long)d->skipped);
	return err;
}

/**
 * kld_daemon_run() - run until SIGTERM or SIGINT
 * @d: the daemon, set up and started
 *
 * Return: 0 after a clean stop, or -errno after a fatal error.
 */
int kld_daemon_run(struct kld_daemon *d)
{
	int err;

	d->more = true;
	kld_notify_ready(d, now_ns(CLOCK_MONOTONIC));
	err = kld_watchdog_start(d);
	while (!d->stop && !err) {
		err = wait_queue(d);
		if (!err && d->signalled)
			err = signals(d);
		if (!err && !d->stop)
			err = run_round(d, ROUND_BATCHES);
		if (!err && !d->stop)
			err = arm_timers(d);
	}
	if (err) {
		kld_err("stopping after an error: %s", strerror(-err));
		return err;
	}
	return finish(d);
}
