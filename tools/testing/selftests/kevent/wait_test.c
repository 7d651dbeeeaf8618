// SPDX-License-Identifier: GPL-2.0
/*
 * KEVENT_IOC_WAIT and KEVENT_IOC_GET_EVENTS: counts, blocking and wakeup
 * from another thread, relative and absolute timeouts, signals, and the
 * copy path with its EFAULT rule.
 */
#include <signal.h>
#include <sys/resource.h>

#include "kselftest_harness.h"
#include "kevent_util.h"

FIXTURE(wait) {
	struct kevent_ring *r;
	int fd;
};

FIXTURE_SETUP(wait)
{
	struct ukevent ev[4];
	unsigned int k;

	self->fd = kevent_init(&self->r, 8, 0);
	ASSERT_LE(0, self->fd) TH_LOG("kevent_init: %s", strerror(errno));
	for (k = 0; k < 4; k++)
		ev[k] = kt_unotify(k + 1, 0);
	ASSERT_EQ(0, kevent_ctl(self->fd, KEVENT_CTL_ADD, 4, ev));
}

FIXTURE_TEARDOWN(wait)
{
	kevent_close(self->r);
}

TEST_F(wait, counts_unread)
{
	struct timespec zero = { 0, 0 };
	unsigned int c = kevent_ring_committed(self->r);

	ASSERT_EQ(0, kevent_wait(self->fd, 0, c, &zero, 0));
	ASSERT_EQ(1, kt_ready(self->fd, 1, 0));
	ASSERT_EQ(1, kt_ready(self->fd, 2, 0));
	ASSERT_EQ(1, kt_ready(self->fd, 3, 0));
	/* num 0 never sleeps, even with an infinite timeout. */
	ASSERT_EQ(3, kevent_wait(self->fd, 0, c, NULL, 0));
	ASSERT_EQ(1, kevent_wait(self->fd, 0, c + 2, NULL, 0));
	ASSERT_EQ(0, kevent_wait(self->fd, 0, c + 3, NULL, 0));
	/* Enough entries: no sleep. */
	ASSERT_EQ(3, kevent_wait(self->fd, 3, c, NULL, 0));
	ASSERT_EQ(2, kevent_wait(self->fd, 1, c + 1, NULL, 0));
	/* WAIT does not commit. */
	ASSERT_EQ(c, kevent_ring_committed(self->r));
	ASSERT_EQ(3, kt_unread(self->r));
}

TEST_F(wait, timeout_relative)
{
	struct timespec ts = kt_ms(100);
	unsigned int c = kevent_ring_committed(self->r);
	long long t0, dt;

	t0 = kt_now_ns();
	ASSERT_EQ(0, kevent_wait(self->fd, 1, c, &ts, 0));
	dt = kt_now_ns() - t0;
	ASSERT_LE(100000000LL, dt);
	ASSERT_GT(20000000000LL, dt);

	/* Fewer than num entries when the timeout expires: it sleeps the
	 * whole timeout, then says how many there are. */
	ASSERT_EQ(1, kt_ready(self->fd, 1, 0));
	t0 = kt_now_ns();
	ASSERT_EQ(1, kevent_wait(self->fd, 2, c, &ts, 0));
	ASSERT_LE(100000000LL, kt_now_ns() - t0);

	/* A zero relative timeout polls. */
	ts = kt_ms(0);
	ASSERT_EQ(1, kevent_wait(self->fd, 2, c, &ts, 0));
	ASSERT_EQ(1, kevent_wait(self->fd, 1, c, &ts, 0));
	ASSERT_EQ(0, kevent_wait(self->fd, 1, c + 1, &ts, 0));
}

TEST_F(wait, timeout_absolute)
{
	unsigned int c = kevent_ring_committed(self->r);
	struct timespec dl;
	long long t0, end;

	t0 = kt_now_ns();
	end = t0 + 100000000LL;
	dl.tv_sec = end / 1000000000LL;
	dl.tv_nsec = end % 1000000000LL;
	ASSERT_EQ(0, kevent_wait(self->fd, 1, c, &dl, KEVENT_FLAGS_ABSTIME));
	ASSERT_LE(end, kt_now_ns());

	/* A deadline in the past returns at once. */
	t0 = kt_now_ns();
	ASSERT_EQ(0, kevent_wait(self->fd, 1, c, &dl, KEVENT_FLAGS_ABSTIME));
	ASSERT_GT(2000000000LL, kt_now_ns() - t0);

	/* The same rules for get_events. */
	end = kt_now_ns() + 100000000LL;
	dl.tv_sec = end / 1000000000LL;
	dl.tv_nsec = end % 1000000000LL;
	ASSERT_EQ(0, kevent_get_events(self->fd, 1, 4, &dl, (struct ukevent[4]){},
				       KEVENT_FLAGS_ABSTIME));
	ASSERT_LE(end, kt_now_ns());
}

TEST_F(wait, get_events_timeout)
{
	struct timespec ts = kt_ms(100);
	struct ukevent buf[4];
	unsigned int c = kevent_ring_committed(self->r);
	long long t0, dt;

	t0 = kt_now_ns();
	ASSERT_EQ(0, kevent_get_events(self->fd, 1, 4, &ts, buf, 0));
	dt = kt_now_ns() - t0;
	ASSERT_LE(100000000LL, dt);
	ASSERT_GT(20000000000LL, dt);

	/* min_nr not reached at the timeout: what is there is copied and
	 * committed, after the whole timeout. */
	ASSERT_EQ(1, kt_ready(self->fd, 1, 9));
	t0 = kt_now_ns();
	ASSERT_EQ(1, kevent_get_events(self->fd, 2, 4, &ts, buf, 0));
	ASSERT_LE(100000000LL, kt_now_ns() - t0);
	ASSERT_EQ(1, buf[0].id);
	ASSERT_EQ(9, buf[0].ret_data[1]);
	ASSERT_EQ(c + 1, kevent_ring_committed(self->r));
	ASSERT_EQ(0, kt_unread(self->r));
}

TEST_F(wait, get_events_copy)
{
	struct timespec zero = { 0, 0 };
	struct ukevent buf[8];
	struct kevent_info i0, i;
	unsigned int k;

	ASSERT_EQ(0, kevent_info(self->fd, &i0));
	for (k = 1; k <= 4; k++)
		ASSERT_EQ(1, kt_ready(self->fd, k, 10 * k));
	memset(buf, 0xa5, sizeof(buf));
	ASSERT_EQ(3, kevent_get_events(self->fd, 1, 3, &zero, buf, 0));
	for (k = 0; k < 3; k++) {
		ASSERT_EQ(k + 1, buf[k].id);
		ASSERT_EQ(10 * (k + 1), buf[k].ret_data[1]);
		ASSERT_EQ(~(__u64)(k + 1), buf[k].user);
	}
	/* The 4th slot of buf was not written. */
	ASSERT_EQ(0xa5a5a5a5a5a5a5a5ULL, buf[3].id);
	ASSERT_EQ(0, kevent_info(self->fd, &i));
	ASSERT_EQ(i0.tail + 4, i.tail);
	ASSERT_EQ(i0.committed + 3, i.committed);

	ASSERT_EQ(1, kevent_get_events(self->fd, 1, 8, NULL, buf, 0));
	ASSERT_EQ(4, buf[0].id);
	ASSERT_EQ(0, kt_unread(self->r));

	/* Copied entries were committed: the requests are re-armed. */
	ASSERT_EQ(1, kt_ready(self->fd, 1, 77));
	ASSERT_EQ(1, kevent_get_events(self->fd, 1, 8, &zero, buf, 0));
	ASSERT_EQ(1, buf[0].id);
	ASSERT_EQ(77, buf[0].ret_data[1]);
}

TEST_F(wait, get_events_efault)
{
	struct timespec zero = { 0, 0 };
	long page = getpagesize();
	struct ukevent buf[2];
	struct kevent_info b, a;
	char *two;

	ASSERT_EQ(1, kt_ready(self->fd, 1, 0));
	ASSERT_EQ(1, kt_ready(self->fd, 2, 0));
	ASSERT_EQ(0, kevent_info(self->fd, &b));

	ASSERT_EQ(-1, kevent_get_events(self->fd, 1, 2, &zero,
					kt_bad_page(), 0));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(0, kevent_info(self->fd, &a));
	ASSERT_INFO_EQ(b, a);

	/* First entry writable, second not: still nothing committed. */
	two = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, two);
	ASSERT_EQ(0, mprotect(two + page, page, PROT_NONE));
	ASSERT_EQ(-1, kevent_get_events(self->fd, 2, 2, &zero,
			(struct ukevent *)(two + page - sizeof(struct ukevent)),
			0));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(0, kevent_info(self->fd, &a));
	ASSERT_INFO_EQ(b, a);

	/* Read-only buffer. */
	ASSERT_EQ(0, mprotect(two, page, PROT_READ));
	ASSERT_EQ(-1, kevent_get_events(self->fd, 1, 1, &zero,
					(struct ukevent *)two, 0));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(0, kevent_info(self->fd, &a));
	ASSERT_INFO_EQ(b, a);

	ASSERT_EQ(2, kevent_get_events(self->fd, 1, 2, &zero, buf, 0));
	ASSERT_EQ(1, buf[0].id);
	ASSERT_EQ(2, buf[1].id);
}

struct waiter {
	int fd;
	unsigned int num, old;
	int use_get;		/* get_events instead of wait */
	int timeout_ms;		/* 0: none */
	volatile int done;
	int ret, err;
	long nvcsw;		/* times the wait slept */
	struct ukevent buf[4];
};

static void *waiter_fn(void *p)
{
	struct waiter *w = p;
	struct timespec ts = kt_ms(w->timeout_ms);
	struct timespec *tmo = w->timeout_ms ? &ts : NULL;
	struct rusage r0, r1;
	int ret;

	getrusage(RUSAGE_THREAD, &r0);
	if (w->use_get)
		ret = kevent_get_events(w->fd, w->num, 4, tmo, w->buf, 0);
	else
		ret = kevent_wait(w->fd, w->num, w->old, tmo, 0);
	w->err = errno;
	getrusage(RUSAGE_THREAD, &r1);
	w->nvcsw = r1.ru_nvcsw - r0.ru_nvcsw;
	w->ret = ret;
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Wait up to @ms for the waiter to finish. */
static int waiter_done(struct waiter *w, int ms)
{
	while (ms-- > 0) {
		if (__atomic_load_n(&w->done, __ATOMIC_ACQUIRE))
			return 1;
		kt_sleep_ms(1);
	}
	return __atomic_load_n(&w->done, __ATOMIC_ACQUIRE);
}

TEST_F(wait, woken_by_ready)
{
	struct waiter w = { .fd = self->fd, .num = 2 };
	pthread_t th;

	w.old = kevent_ring_committed(self->r);
	ASSERT_EQ(0, pthread_create(&th, NULL, waiter_fn, &w));
	ASSERT_EQ(0, waiter_done(&w, 100));
	ASSERT_EQ(1, kt_ready(self->fd, 1, 0));
	/* One entry is not enough for num 2. */
	ASSERT_EQ(0, waiter_done(&w, 100));
	ASSERT_EQ(1, kt_ready(self->fd, 2, 0));
	ASSERT_EQ(1, waiter_done(&w, 10000));
	pthread_join(th, NULL);
	ASSERT_EQ(2, w.ret) TH_LOG("errno %d", w.err);
}

/*
 * A waiter for 4 entries sleeps through the first 3: it is woken once,
 * not once per entry.  ru_nvcsw counts its sleeps; a wakeup per entry
 * would make it 4.
 */
TEST_F(wait, woken_once_num_reached)
{
	struct waiter w = { .fd = self->fd, .num = 4 };
	unsigned int k;
	pthread_t th;

	w.old = kevent_ring_committed(self->r);
	ASSERT_EQ(0, pthread_create(&th, NULL, waiter_fn, &w));
	ASSERT_EQ(0, waiter_done(&w, 100));
	for (k = 1; k <= 3; k++) {
		ASSERT_EQ(1, kt_ready(self->fd, k, 0));
		ASSERT_EQ(0, waiter_done(&w, 50));
	}
	ASSERT_EQ(1, kt_ready(self->fd, 4, 0));
	ASSERT_EQ(1, waiter_done(&w, 10000));
	pthread_join(th, NULL);
	ASSERT_EQ(4, w.ret) TH_LOG("errno %d", w.err);
	EXPECT_GE(2, w.nvcsw) TH_LOG("slept %ld times", w.nvcsw);
	EXPECT_LE(1, w.nvcsw);
}

TEST_F(wait, get_events_woken_by_ready)
{
	struct waiter w = { .fd = self->fd, .num = 1, .use_get = 1 };
	pthread_t th;

	ASSERT_EQ(0, pthread_create(&th, NULL, waiter_fn, &w));
	ASSERT_EQ(0, waiter_done(&w, 100));
	ASSERT_EQ(1, kt_ready(self->fd, 3, 33));
	ASSERT_EQ(1, waiter_done(&w, 10000));
	pthread_join(th, NULL);
	ASSERT_EQ(1, w.ret) TH_LOG("errno %d", w.err);
	ASSERT_EQ(3, w.buf[0].id);
	ASSERT_EQ(33, w.buf[0].ret_data[1]);
	ASSERT_EQ(0, kt_unread(self->r));
}

/* READY with num 0 wakes a waiter, which returns what is there: 0. */
TEST_F(wait, ready_num0_wakes)
{
	struct waiter w = { .fd = self->fd, .num = 1 };
	pthread_t th;

	w.old = kevent_ring_committed(self->r);
	ASSERT_EQ(0, pthread_create(&th, NULL, waiter_fn, &w));
	ASSERT_EQ(0, waiter_done(&w, 200));
	ASSERT_EQ(0, kevent_ctl(self->fd, KEVENT_CTL_READY, 0, NULL));
	ASSERT_EQ(1, waiter_done(&w, 10000));
	pthread_join(th, NULL);
	ASSERT_EQ(0, w.ret) TH_LOG("errno %d", w.err);
	ASSERT_EQ(0, kt_unread(self->r));
}

/*
 * The same for a GET_EVENTS sleeper: "wakes the queue's waiters" means all
 * of them.  Its timeout only bounds the test if the wakeup is lost.
 */
TEST_F(wait, ready_num0_wakes_get_events)
{
	struct waiter w = { .fd = self->fd, .num = 1, .use_get = 1,
			    .timeout_ms = 60000 };
	pthread_t th;

	ASSERT_EQ(0, pthread_create(&th, NULL, waiter_fn, &w));
	ASSERT_EQ(0, waiter_done(&w, 200));
	ASSERT_EQ(0, kevent_ctl(self->fd, KEVENT_CTL_READY, 0, NULL));
	EXPECT_EQ(1, waiter_done(&w, 10000)) TH_LOG("still asleep after 10 s");
	pthread_join(th, NULL);
	ASSERT_EQ(0, w.ret) TH_LOG("errno %d", w.err);
}

/*
 * A READY with num 0 made just before the waiter sleeps is not lost: the
 * next WAIT or GET_EVENTS returns at once, and consumes it.
 */
TEST_F(wait, ready_num0_not_lost)
{
	struct timespec tmo = kt_ms(20000), shortw = kt_ms(200);
	unsigned int c = kevent_ring_committed(self->r);
	struct ukevent buf[4];
	long long t0;

	ASSERT_EQ(0, kevent_ctl(self->fd, KEVENT_CTL_READY, 0, NULL));
	t0 = kt_now_ns();
	ASSERT_EQ(0, kevent_wait(self->fd, 1, c, &tmo, 0));
	EXPECT_GT(10000, (kt_now_ns() - t0) / 1000000) TH_LOG("slept to timeout");
	/* Consumed: the next wait sleeps to its timeout. */
	t0 = kt_now_ns();
	ASSERT_EQ(0, kevent_wait(self->fd, 1, c, &shortw, 0));
	EXPECT_LE(150, (kt_now_ns() - t0) / 1000000);

	ASSERT_EQ(0, kevent_ctl(self->fd, KEVENT_CTL_READY, 0, NULL));
	t0 = kt_now_ns();
	ASSERT_EQ(0, kevent_get_events(self->fd, 1, 4, &tmo, buf, 0));
	EXPECT_GT(10000, (kt_now_ns() - t0) / 1000000) TH_LOG("slept to timeout");
}

static void on_usr1(int sig)
{
	(void)sig;
}

TEST_F(wait, eintr)
{
	struct waiter w = { .fd = self->fd, .num = 1 };
	struct sigaction sa;
	pthread_t th;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;	/* no SA_RESTART */
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	w.old = kevent_ring_committed(self->r);
	ASSERT_EQ(0, pthread_create(&th, NULL, waiter_fn, &w));
	ASSERT_EQ(0, waiter_done(&w, 100));
	ASSERT_EQ(0, pthread_kill(th, SIGUSR1));
	ASSERT_EQ(1, waiter_done(&w, 10000));
	pthread_join(th, NULL);
	ASSERT_EQ(-1, w.ret);
	ASSERT_EQ(EINTR, w.err);

	w.use_get = 1;
	w.done = 0;
	ASSERT_EQ(0, pthread_create(&th, NULL, waiter_fn, &w));
	ASSERT_EQ(0, waiter_done(&w, 100));
	ASSERT_EQ(0, pthread_kill(th, SIGUSR1));
	ASSERT_EQ(1, waiter_done(&w, 10000));
	pthread_join(th, NULL);
	ASSERT_EQ(-1, w.ret);
	ASSERT_EQ(EINTR, w.err);
}

TEST_HARNESS_MAIN
