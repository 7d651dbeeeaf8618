// SPDX-License-Identifier: GPL-2.0
/*
 * KEVENT_TIMER, against the header's sentences (<linux/kevent.h>,
 * "KEVENT_TIMER"): one-shot and periodic timers, relative and absolute,
 * on each clock; ret_data[0] counts expiries since ADD (folded and
 * overrun ones included) and ret_data[1] is the scheduled time of the
 * latest, in ns of the clock; the request flags; REMOVE; every refusal.
 *
 * Bounds are generous where time is measured (QEMU TCG is slow and the
 * host shared): an expiry is never early, and late by anything up to
 * seconds.  Exact checks are on what the kernel computes: scheduled
 * times and counts.
 */
#include <sched.h>
#include <sys/wait.h>
#include <time.h>

#include "kselftest_harness.h"
#include "kevent_util.h"

#define MS		1000000LL
#define SLOW_MS		20000	/* the longest any expiry may take to arrive */

static long long clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static struct __kernel_timespec kts(long long ns)
{
	struct __kernel_timespec t = {
		.tv_sec = ns / 1000000000LL,
		.tv_nsec = ns % 1000000000LL,
	};

	return t;
}

static struct kevent_timer_spec spec(clockid_t clk, __u32 flags,
				     long long value_ns, long long interval_ns)
{
	struct kevent_timer_spec s;

	memset(&s, 0, sizeof(s));
	s.clockid = clk;
	s.flags = flags;
	s.value = kts(value_ns);
	s.interval = kts(interval_ns);
	return s;
}

static struct ukevent timer_ev(__u64 id, const struct kevent_timer_spec *s,
			       __u32 req_flags)
{
	return kt_ev(id, KEVENT_TIMER, KEVENT_TIMER_EXPIRED, req_flags,
		     (__u64)(uintptr_t)s);
}

/* ADD one request; 0 when it is registered and not ready at once. */
static int add(int fd, struct ukevent *ev)
{
	return kevent_ctl(fd, KEVENT_CTL_ADD, 1, ev);
}

/* The next delivery, waiting up to SLOW_MS: 1, or 0 after the timeout. */
static int next(int fd, struct ukevent *out)
{
	struct timespec ts = kt_ms(SLOW_MS);

	return kevent_get_events(fd, 1, 1, &ts, out, 0);
}

/* Nothing delivered within @ms. */
static int quiet(int fd, long ms)
{
	struct timespec ts = kt_ms(ms);
	struct ukevent ev;

	return kevent_get_events(fd, 1, 1, &ts, &ev, 0) == 0;
}

FIXTURE(timer) {
	struct kevent_ring *r;
	int fd;
};

FIXTURE_SETUP(timer)
{
	self->fd = kevent_init(&self->r, 64, 0);
	ASSERT_LE(0, self->fd) TH_LOG("kevent_init: %s", strerror(errno));
}

FIXTURE_TEARDOWN(timer)
{
	kevent_close(self->r);
}

/*
 * One-shot, relative, each clock: one delivery, never early, counting 1,
 * at a scheduled time no earlier than ADD + value; then it stays
 * registered and quiet until REMOVE.
 */
TEST_F(timer, oneshot_relative_each_clock)
{
	static const clockid_t clocks[] = {
		CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_BOOTTIME,
	};
	struct kevent_timer_spec s;
	struct ukevent ev, got;
	unsigned int i;
	long long t0, t1;

	for (i = 0; i < ARRAY_LEN(clocks); i++) {
		s = spec(clocks[i], 0, 50 * MS, 0);
		ev = timer_ev(10 + i, &s, 0);
		t0 = clock_ns(clocks[i]);
		ASSERT_EQ(0, add(self->fd, &ev));
		ASSERT_EQ(1, next(self->fd, &got));
		t1 = clock_ns(clocks[i]);
		EXPECT_EQ(10 + i, got.id);
		EXPECT_EQ(KEVENT_TIMER, got.type);
		EXPECT_EQ(~(__u64)(10 + i), got.user);
		EXPECT_EQ(0, got.ret_flags);
		EXPECT_EQ(1, got.ret_data[0]);
		/* Scheduled at ADD + 50 ms, and it has passed. */
		EXPECT_LE(t0 + 50 * MS, (long long)got.ret_data[1]);
		EXPECT_GE(t1, (long long)got.ret_data[1]);
		EXPECT_LE(t0 + 50 * MS, t1);
		/* Expired and quiet, but still registered. */
		EXPECT_TRUE(quiet(self->fd, 200));
		ev = timer_ev(10 + i, &s, 0);
		ASSERT_EQ(1, kevent_ctl(self->fd, KEVENT_CTL_REMOVE, 1, &ev));
		EXPECT_EQ(KEVENT_RET_DONE, ev.ret_flags);
	}
}

/*
 * Absolute: ret_data[1] is exactly the time given, and the delivery does
 * not come before it.  A time already past expires at once.
 */
TEST_F(timer, absolute)
{
	struct kevent_timer_spec s;
	struct ukevent ev, got;
	long long at;

	at = clock_ns(CLOCK_MONOTONIC) + 100 * MS;
	s = spec(CLOCK_MONOTONIC, KEVENT_TIMER_ABSTIME, at, 0);
	ev = timer_ev(1, &s, 0);
	ASSERT_EQ(0, add(self->fd, &ev));
	ASSERT_EQ(1, next(self->fd, &got));
	EXPECT_LE(at, clock_ns(CLOCK_MONOTONIC));
	EXPECT_EQ(at, (long long)got.ret_data[1]);
	EXPECT_EQ(1, got.ret_data[0]);

	/* CLOCK_REALTIME, in the past: at once, with that time. */
	at = clock_ns(CLOCK_REALTIME) - 1000 * MS;
	s = spec(CLOCK_REALTIME, KEVENT_TIMER_ABSTIME, at, 0);
	ev = timer_ev(2, &s, 0);
	ASSERT_EQ(0, add(self->fd, &ev));
	ASSERT_EQ(1, next(self->fd, &got));
	EXPECT_EQ(2, got.id);
	EXPECT_EQ(at, (long long)got.ret_data[1]);

	/* Absolute 0 is a time long past, not a refused delay of 0. */
	s = spec(CLOCK_BOOTTIME, KEVENT_TIMER_ABSTIME, 0, 0);
	ev = timer_ev(3, &s, 0);
	ASSERT_EQ(0, add(self->fd, &ev));
	ASSERT_EQ(1, next(self->fd, &got));
	EXPECT_EQ(3, got.id);
	EXPECT_EQ(0, got.ret_data[1]);
}

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME	0x00000080
#endif

#define NS_OFFSET_S	1000	/* the namespace's clocks run 1000 s ahead */

/*
 * In the child, in the time namespace: an absolute timer 200 ms ahead of
 * @clk as the child reads it, and a relative one of 50 ms.  Each comes,
 * not early, with ret_data[1] in the child's clock.  The exit status is
 * the number of the first check that failed, 0 if none did.
 */
static int ns_child(clockid_t clk)
{
	struct kevent_timer_spec s;
	struct kevent_ring *r;
	struct ukevent ev, got;
	long long at, t0;
	int fd;

	fd = kevent_init(&r, 8, 0);
	if (fd < 0)
		return 1;
	at = clock_ns(clk) + 200 * MS;
	s = spec(clk, KEVENT_TIMER_ABSTIME, at, 0);
	ev = timer_ev(1, &s, 0);
	if (add(fd, &ev) != 0)
		return 2;
	/* Armed on the host's clock, it would come 1000 s late. */
	if (next(fd, &got) != 1)
		return 3;
	if (clock_ns(clk) < at)
		return 4;
	if ((long long)got.ret_data[1] != at)
		return 5;
	s = spec(clk, 0, 50 * MS, 0);
	ev = timer_ev(2, &s, 0);
	t0 = clock_ns(clk);
	if (add(fd, &ev) != 0 || next(fd, &got) != 1)
		return 6;
	if ((long long)got.ret_data[1] < t0 + 50 * MS ||
	    (long long)got.ret_data[1] > clock_ns(clk))
		return 7;
	kevent_close(r);
	return 0;
}

/*
 * A task in a time namespace reads CLOCK_MONOTONIC and CLOCK_BOOTTIME
 * with its namespace's offset; its absolute times and the scheduled times
 * it is given back are in those clocks, as the header says ("as the
 * adding task reads the clock").
 */
TEST_F_TIMEOUT(timer, time_namespace, 90)
{
	static const clockid_t clocks[] = { CLOCK_MONOTONIC, CLOCK_BOOTTIME };
	char offs[128];
	unsigned int i;
	int status;
	pid_t pid;

	if (unshare(CLONE_NEWTIME)) {
		ASSERT_TRUE(errno == EINVAL || errno == EPERM);
		SKIP(return, "no time namespaces here (unshare: %s)",
		     strerror(errno));
	}
	/* Offsets may be set until a task enters: the next child will. */
	snprintf(offs, sizeof(offs), "%d %d 0\n%d %d 0\n", CLOCK_MONOTONIC,
		 NS_OFFSET_S, CLOCK_BOOTTIME, NS_OFFSET_S);
	ASSERT_EQ(0, kt_write_file("/proc/self/timens_offsets", "%s", offs));
	for (i = 0; i < ARRAY_LEN(clocks); i++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid)
			_exit(ns_child(clocks[i]));
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_TRUE(WIFEXITED(status));
		EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("clock %d", clocks[i]);
	}
}

/*
 * Periodic: between two deliveries, the scheduled times differ by exactly
 * the interval times the difference of the counts, however many
 * expiries were folded or overrun.
 */
TEST_F(timer, periodic_counts_and_times)
{
	struct kevent_timer_spec s = spec(CLOCK_MONOTONIC, 0, 20 * MS, 20 * MS);
	struct ukevent ev = timer_ev(1, &s, 0), a, b;
	long long t0 = clock_ns(CLOCK_MONOTONIC);
	int i;

	ASSERT_EQ(0, add(self->fd, &ev));
	ASSERT_EQ(1, next(self->fd, &a));
	EXPECT_LE(t0 + 20 * MS, (long long)a.ret_data[1]);
	ASSERT_LE(1, a.ret_data[0]);
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(1, next(self->fd, &b));
		ASSERT_LT(a.ret_data[0], b.ret_data[0]);
		EXPECT_EQ((long long)(b.ret_data[0] - a.ret_data[0]) * 20 * MS,
			  (long long)(b.ret_data[1] - a.ret_data[1]));
		EXPECT_GE(clock_ns(CLOCK_MONOTONIC), (long long)b.ret_data[1]);
		a = b;
	}
	/* The first expiry is value after ADD: count n is due at 20n ms. */
	EXPECT_LE(t0 + (long long)a.ret_data[0] * 20 * MS,
		  (long long)a.ret_data[1]);
}

/*
 * Level (default): expiries while the delivery is unread are folded; the
 * commit queues it again at once, KEVENT_RET_COALESCED, with the count
 * of every expiry since ADD.
 */
TEST_F(timer, level_folds_and_requeues)
{
	struct kevent_timer_spec s = spec(CLOCK_MONOTONIC, 0, 10 * MS, 10 * MS);
	struct ukevent ev = timer_ev(1, &s, 0), out[4];
	struct timespec zero = kt_ms(0), slow = kt_ms(SLOW_MS);
	unsigned int c = kevent_ring_committed(self->r);
	long long t;

	ASSERT_EQ(0, add(self->fd, &ev));
	ASSERT_LE(1, kevent_wait(self->fd, 1, c, &slow, 0));
	/* Let it expire a number of times while unread. */
	kt_sleep_ms(300);
	/* One slot per request, however often it expired. */
	ASSERT_EQ(1, kt_unread(self->r));
	ASSERT_EQ(1, kt_drain(self->r, out, 4));
	t = clock_ns(CLOCK_MONOTONIC);
	EXPECT_EQ(0, out[0].ret_flags & KEVENT_RET_COALESCED);
	/* Queued again by that commit. */
	ASSERT_EQ(1, kevent_get_events(self->fd, 1, 4, &zero, out + 1, 0));
	EXPECT_EQ(KEVENT_RET_COALESCED, out[1].ret_flags & KEVENT_RET_COALESCED);
	EXPECT_LT(out[0].ret_data[0] + 1, out[1].ret_data[0]);
	/* Written by the commit, with what had expired before it. */
	EXPECT_GE(t, (long long)out[1].ret_data[1]);
	EXPECT_EQ((long long)(out[1].ret_data[0] - out[0].ret_data[0]) * 10 * MS,
		  (long long)(out[1].ret_data[1] - out[0].ret_data[1]));
}

/*
 * Edge: after the commit it is queued only by an expiry after it, not at
 * once as a level request is; that delivery's count includes the
 * expiries folded while it was unread all the same.
 */
TEST_F(timer, edge_waits_for_next_expiry)
{
	struct kevent_timer_spec s = spec(CLOCK_MONOTONIC, 0, 100 * MS, 100 * MS);
	struct ukevent ev = timer_ev(1, &s, KEVENT_REQ_ET), a, b;
	struct timespec slow = kt_ms(SLOW_MS);
	unsigned int c = kevent_ring_committed(self->r);

	ASSERT_EQ(0, add(self->fd, &ev));
	ASSERT_LE(1, kevent_wait(self->fd, 1, c, &slow, 0));
	kt_sleep_ms(350);
	ASSERT_EQ(1, kt_unread(self->r));
	ASSERT_EQ(1, kt_drain(self->r, &a, 1));
	ASSERT_EQ(1, next(self->fd, &b));
	/* A fresh delivery, not a requeue of the folded ones (COALESCED), */
	EXPECT_EQ(0, b.ret_flags);
	/* counting them: at least three folded, and this one. */
	EXPECT_LE(a.ret_data[0] + 4, b.ret_data[0]);
	EXPECT_EQ((long long)(b.ret_data[0] - a.ret_data[0]) * 100 * MS,
		  (long long)(b.ret_data[1] - a.ret_data[1]));
}

/* ONESHOT: one delivery, and the commit removes the request. */
TEST_F(timer, oneshot_flag_removes)
{
	struct kevent_timer_spec s = spec(CLOCK_MONOTONIC, 0, 10 * MS, 10 * MS);
	struct ukevent ev = timer_ev(1, &s, KEVENT_REQ_ONESHOT), got;

	ASSERT_EQ(0, add(self->fd, &ev));
	ASSERT_EQ(1, next(self->fd, &got));
	EXPECT_TRUE(quiet(self->fd, 200));
	ev = timer_ev(1, &s, 0);
	ASSERT_EQ(1, kevent_ctl(self->fd, KEVENT_CTL_REMOVE, 1, &ev));
	EXPECT_EQ(KEVENT_RET_BROKEN, ev.ret_flags & KEVENT_RET_BROKEN);
	EXPECT_EQ(ENOENT, ev.ret_data[1]);
	/* Its id is free again. */
	ev = timer_ev(1, &s, 0);
	ASSERT_EQ(0, add(self->fd, &ev));
}

/* REMOVE stops a periodic timer; a close with timers running leaks nothing. */
TEST_F(timer, remove_stops)
{
	struct kevent_timer_spec s = spec(CLOCK_MONOTONIC, 0, 10 * MS, 10 * MS);
	struct ukevent ev = timer_ev(1, &s, 0), got;
	struct timespec zero = kt_ms(0);
	struct kevent_ring *r2;
	int fd2, i;

	ASSERT_EQ(0, add(self->fd, &ev));
	ASSERT_EQ(1, next(self->fd, &got));
	ASSERT_EQ(1, kevent_ctl(self->fd, KEVENT_CTL_REMOVE, 1, &ev));
	/* An entry written before the REMOVE is drained, marked. */
	while (kevent_get_events(self->fd, 1, 1, &zero, &got, 0) == 1)
		EXPECT_EQ(KEVENT_RET_REMOVED, got.ret_flags & KEVENT_RET_REMOVED);
	EXPECT_TRUE(quiet(self->fd, 200));

	fd2 = kevent_init(&r2, 8, 0);
	ASSERT_LE(0, fd2);
	for (i = 0; i < 32; i++) {
		s = spec(CLOCK_MONOTONIC, 0, (i % 4) * MS + MS, i % 2 ? MS / 10 : 0);
		ev = timer_ev(i + 1, &s, 0);
		ASSERT_EQ(0, add(fd2, &ev));
	}
	kt_sleep_ms(50);
	kevent_close(r2);
}

/* MODIFY changes the request's flags, not its timer. */
TEST_F(timer, modify_keeps_timer)
{
	struct kevent_timer_spec s = spec(CLOCK_MONOTONIC, 0, 200 * MS, 0);
	struct kevent_timer_spec other = spec(CLOCK_MONOTONIC, 0, 10 * MS, 0);
	struct ukevent ev = timer_ev(1, &s, 0), got;
	long long t0 = clock_ns(CLOCK_MONOTONIC);

	ASSERT_EQ(0, add(self->fd, &ev));
	ev = timer_ev(1, &other, KEVENT_REQ_ET);
	ASSERT_EQ(1, kevent_ctl(self->fd, KEVENT_CTL_MODIFY, 1, &ev));
	EXPECT_EQ(KEVENT_RET_DONE, ev.ret_flags);
	ASSERT_EQ(1, next(self->fd, &got));
	EXPECT_LE(t0 + 200 * MS, (long long)got.ret_data[1]);
	EXPECT_LE(t0 + 200 * MS, clock_ns(CLOCK_MONOTONIC));
}

/*
 * Every refusal of ADD, each with its errno in the copied-back entry,
 * and nothing registered: the id stays free.
 */
TEST_F(timer, add_errors)
{
	static const struct {
		const char *name;
		struct kevent_timer_spec s;
		__u32 event;
		int err;
	} cases[] = {
		{ "cpu clock", { .clockid = CLOCK_PROCESS_CPUTIME_ID,
				 .value = { 1, 0 } }, 1, EINVAL },
		{ "tai clock", { .clockid = CLOCK_TAI, .value = { 1, 0 } },
		  1, EINVAL },
		{ "unknown flag", { .clockid = CLOCK_MONOTONIC, .flags = 2,
				    .value = { 1, 0 } }, 1, EINVAL },
		{ "reserved", { .clockid = CLOCK_MONOTONIC, .value = { 1, 0 },
				.__reserved = { 0, 1 } }, 1, EINVAL },
		{ "tv_nsec 1e9", { .clockid = CLOCK_MONOTONIC,
				   .value = { 0, 1000000000 } }, 1, EINVAL },
		{ "tv_nsec < 0", { .clockid = CLOCK_MONOTONIC,
				   .value = { 1, -1 } }, 1, EINVAL },
		{ "tv_sec < 0", { .clockid = CLOCK_MONOTONIC,
				  .flags = KEVENT_TIMER_ABSTIME,
				  .value = { -1, 0 } }, 1, EINVAL },
		{ "interval tv_nsec", { .clockid = CLOCK_MONOTONIC,
					.value = { 1, 0 },
					.interval = { 0, 1000000000 } }, 1, EINVAL },
		{ "delay 0", { .clockid = CLOCK_MONOTONIC }, 1, EINVAL },
		{ "interval below min", { .clockid = CLOCK_MONOTONIC,
					  .value = { 1, 0 },
					  .interval = { 0, KEVENT_TIMER_MIN_INTERVAL_NS - 1 } },
		  1, EINVAL },
		{ "event bit 2", { .clockid = CLOCK_MONOTONIC,
				   .value = { 1, 0 } }, 2, EINVAL },
	};
	struct timespec zero = kt_ms(0);
	struct ukevent ev, got;
	unsigned int i;

	for (i = 0; i < ARRAY_LEN(cases); i++) {
		ev = timer_ev(7, &cases[i].s, 0);
		ev.event = cases[i].event;
		ASSERT_EQ(1, add(self->fd, &ev)) TH_LOG("%s", cases[i].name);
		EXPECT_EQ(KEVENT_RET_BROKEN, ev.ret_flags & KEVENT_RET_BROKEN)
			TH_LOG("%s", cases[i].name);
		EXPECT_EQ(cases[i].err, ev.ret_data[1]) TH_LOG("%s", cases[i].name);
		ev = timer_ev(7, &cases[i].s, 0);
		ASSERT_EQ(1, kevent_ctl(self->fd, KEVENT_CTL_REMOVE, 1, &ev));
		EXPECT_EQ(ENOENT, ev.ret_data[1]) TH_LOG("%s", cases[i].name);
	}
	/* The minimum interval itself is accepted. */
	{
		struct kevent_timer_spec s = spec(CLOCK_MONOTONIC, 0, 1000 * MS,
						  KEVENT_TIMER_MIN_INTERVAL_NS);

		ev = timer_ev(8, &s, 0);
		ASSERT_EQ(0, add(self->fd, &ev));
		ASSERT_EQ(1, kevent_ctl(self->fd, KEVENT_CTL_REMOVE, 1, &ev));
		EXPECT_EQ(KEVENT_RET_DONE, ev.ret_flags);
	}
	/* param not readable: EFAULT. */
	ev = kt_ev(9, KEVENT_TIMER, KEVENT_TIMER_EXPIRED, 0,
		   (__u64)(uintptr_t)kt_bad_page());
	ASSERT_EQ(1, add(self->fd, &ev));
	EXPECT_EQ(EFAULT, ev.ret_data[1]);
	ev = kt_ev(9, KEVENT_TIMER, KEVENT_TIMER_EXPIRED, 0, 0);
	ASSERT_EQ(1, add(self->fd, &ev));
	EXPECT_EQ(EFAULT, ev.ret_data[1]);
	/* Nothing was queued by any of it. */
	EXPECT_EQ(0, kevent_get_events(self->fd, 1, 1, &zero, &got, 0));
}

TEST_HARNESS_MAIN
