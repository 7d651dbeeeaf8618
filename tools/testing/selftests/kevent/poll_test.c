// SPDX-License-Identifier: GPL-2.0
/*
 * Readiness of the queue fd for poll, select and epoll, and the consumer
 * head as a hint for it.
 */
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>

#include "kselftest_harness.h"
#include "kevent_util.h"

FIXTURE(poll) {
	struct kevent_ring *r;
	int fd;
};

FIXTURE_SETUP(poll)
{
	struct ukevent ev[12];
	unsigned int k;

	self->fd = kevent_init(&self->r, 8, 0);
	ASSERT_LE(0, self->fd) TH_LOG("kevent_init: %s", strerror(errno));
	for (k = 0; k < 12; k++)
		ev[k] = kt_unotify(k + 1, 0);
	ASSERT_EQ(0, kevent_ctl(self->fd, KEVENT_CTL_ADD, 12, ev));
}

FIXTURE_TEARDOWN(poll)
{
	kevent_close(self->r);
}

static int readable(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int n = poll(&pfd, 1, 0);

	if (n < 0)
		return -1;
	return n && (pfd.revents & POLLIN);
}

TEST_F(poll, poll_ready_commit)
{
	unsigned int t;

	ASSERT_EQ(0, readable(self->fd));
	ASSERT_EQ(1, kt_ready(self->fd, 1, 0));
	ASSERT_EQ(1, readable(self->fd));
	t = kevent_ring_tail(self->r);
	ASSERT_EQ(1, kevent_commit(self->fd, t, 0));
	ASSERT_EQ(0, readable(self->fd));
}

TEST_F(poll, select_ready)
{
	struct timeval tv = { 0, 0 };
	fd_set rfds;

	FD_ZERO(&rfds);
	FD_SET(self->fd, &rfds);
	ASSERT_EQ(0, select(self->fd + 1, &rfds, NULL, NULL, &tv));
	ASSERT_EQ(1, kt_ready(self->fd, 2, 0));
	FD_ZERO(&rfds);
	FD_SET(self->fd, &rfds);
	ASSERT_EQ(1, select(self->fd + 1, &rfds, NULL, NULL, &tv));
	ASSERT_TRUE(FD_ISSET(self->fd, &rfds));
}

/* cons->head says what was read; a value outside [committed, tail] is
 * treated as nothing read. */
TEST_F(poll, head_hint)
{
	unsigned int c = kevent_ring_committed(self->r), t;

	ASSERT_EQ(1, kt_ready(self->fd, 1, 0));
	ASSERT_EQ(1, kt_ready(self->fd, 2, 0));
	t = kevent_ring_tail(self->r);
	ASSERT_EQ(c + 2, t);
	ASSERT_EQ(1, readable(self->fd));

	kevent_ring_set_head(self->r, c + 1);
	ASSERT_EQ(1, readable(self->fd));
	kevent_ring_set_head(self->r, t);
	ASSERT_EQ(0, readable(self->fd));

	kevent_ring_set_head(self->r, t + 5);
	ASSERT_EQ(1, readable(self->fd));
	kevent_ring_set_head(self->r, c - 1);
	ASSERT_EQ(1, readable(self->fd));

	/* A new entry past the head makes it readable again. */
	kevent_ring_set_head(self->r, t);
	ASSERT_EQ(0, readable(self->fd));
	ASSERT_EQ(1, kt_ready(self->fd, 3, 0));
	ASSERT_EQ(1, readable(self->fd));

	/* The head is only a hint: nothing was released. */
	ASSERT_EQ(c, kevent_ring_committed(self->r));
	ASSERT_EQ(3, kt_unread(self->r));
}

/* Ready requests in the backlog make the fd readable too. */
TEST_F(poll, backlog_readable)
{
	struct ukevent ev[10];
	struct kevent_info i;
	unsigned int k, t;

	memset(ev, 0, sizeof(ev));
	for (k = 0; k < 10; k++)
		ev[k].id = k + 1;
	ASSERT_EQ(10, kevent_ctl(self->fd, KEVENT_CTL_READY, 10, ev));
	ASSERT_EQ(0, kevent_info(self->fd, &i));
	ASSERT_EQ(2, i.backlog);
	t = kevent_ring_tail(self->r);
	kevent_ring_set_head(self->r, t);
	ASSERT_EQ(1, readable(self->fd));
}

TEST_F(poll, epoll_level)
{
	struct epoll_event ee = { .events = EPOLLIN }, out[2];
	int ep;

	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, self->fd, &ee));
	ASSERT_EQ(0, epoll_wait(ep, out, 2, 0));
	ASSERT_EQ(1, kt_ready(self->fd, 1, 0));
	ASSERT_EQ(1, epoll_wait(ep, out, 2, 0));
	ASSERT_TRUE(out[0].events & EPOLLIN);
	ASSERT_EQ(1, epoll_wait(ep, out, 2, 0));
	ASSERT_EQ(1, kevent_commit(self->fd, kevent_ring_tail(self->r), 0));
	ASSERT_EQ(0, epoll_wait(ep, out, 2, 0));
	close(ep);
}

TEST_F(poll, epoll_edge)
{
	struct epoll_event ee = { .events = EPOLLIN | EPOLLET }, out[2];
	int ep;

	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, self->fd, &ee));
	ASSERT_EQ(1, kt_ready(self->fd, 1, 0));
	ASSERT_EQ(1, epoll_wait(ep, out, 2, 0));
	ASSERT_EQ(0, epoll_wait(ep, out, 2, 0));
	ASSERT_EQ(1, kt_ready(self->fd, 2, 0));
	ASSERT_EQ(1, epoll_wait(ep, out, 2, 0));
	close(ep);
}

struct ep_waiter {
	int ep;
	volatile int done;
	int ret;
};

static void *ep_wait_fn(void *p)
{
	struct ep_waiter *w = p;
	struct epoll_event out;

	w->ret = epoll_wait(w->ep, &out, 1, 20000);
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * Whether an epoll_wait() sleeping on @fd in another thread is woken by
 * @wake: 1 woken with the fd ready, 0 slept to its timeout, -1 an error or
 * a wakeup before @wake.
 */
static int ep_woken_by(int fd, int (*wake)(int fd))
{
	struct epoll_event ee = { .events = EPOLLIN };
	struct ep_waiter w = { 0 };
	int ms, ret = -1;
	pthread_t th;

	w.ep = epoll_create1(EPOLL_CLOEXEC);
	if (w.ep < 0)
		return -1;
	if (epoll_ctl(w.ep, EPOLL_CTL_ADD, fd, &ee) ||
	    pthread_create(&th, NULL, ep_wait_fn, &w)) {
		close(w.ep);
		return -1;
	}
	kt_sleep_ms(100);
	if (!__atomic_load_n(&w.done, __ATOMIC_ACQUIRE) && !wake(fd)) {
		for (ms = 0; ms < 10000 &&
		     !__atomic_load_n(&w.done, __ATOMIC_ACQUIRE); ms++)
			kt_sleep_ms(1);
		ret = 0;
	}
	pthread_join(th, NULL);
	close(w.ep);
	return ret ? ret : w.ret;
}

static int ready_4(int fd)
{
	return kt_ready(fd, 4, 0) == 1 ? 0 : -1;
}

static int ready_none(int fd)
{
	return kevent_ctl(fd, KEVENT_CTL_READY, 0, NULL);
}

TEST_F(poll, epoll_wakeup_from_thread)
{
	ASSERT_EQ(1, ep_woken_by(self->fd, ready_4));
}

/*
 * READY with num 0 wakes poll and epoll too: the fd is readable until a
 * WAIT, GET_EVENTS or COMMIT consumes the wakeup.
 */
TEST_F(poll, ready_num0_readable)
{
	unsigned int c = kevent_ring_committed(self->r);

	ASSERT_EQ(0, readable(self->fd));
	ASSERT_EQ(0, kevent_ctl(self->fd, KEVENT_CTL_READY, 0, NULL));
	ASSERT_EQ(1, readable(self->fd));
	ASSERT_EQ(1, readable(self->fd));
	ASSERT_EQ(0, kevent_wait(self->fd, 0, c, NULL, 0));
	ASSERT_EQ(0, readable(self->fd));

	ASSERT_EQ(0, kevent_ctl(self->fd, KEVENT_CTL_READY, 0, NULL));
	ASSERT_EQ(1, readable(self->fd));
	ASSERT_EQ(0, kevent_commit(self->fd, c, 0));
	ASSERT_EQ(0, readable(self->fd));
}

TEST_F(poll, epoll_woken_by_ready_num0)
{
	ASSERT_EQ(1, ep_woken_by(self->fd, ready_none))
		TH_LOG("epoll_wait slept to its timeout");
}

struct unread_poller {
	int fd;
	int ret;
};

static void *unread_poll_fn(void *p)
{
	struct unread_poller *u = p;

	if (kt_pin_cpu(1))
		u->ret = -2;
	else
		u->ret = readable(u->fd);
	return NULL;
}

/*
 * poll reads the ring's tail and committed index: a commit between the two
 * must not make an empty ring look full (tail - committed wrapping).  On
 * debug kernels the window between the reads is held open while another
 * thread fills and empties the ring; a consistent read then sees it empty,
 * as it was before and after.  Elsewhere the window is too narrow to test.
 */
TEST_F(poll, unread_race)
{
	struct unread_poller u = { .fd = self->fd, .ret = -1 };
	unsigned long hits;
	unsigned int t;
	pthread_t th;

	if (!kt_has_races())
		SKIP(return, "needs a kernel with CONFIG_KEVENT_DEBUG_RACES");
	if (kt_pin_cpu(0) || sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "needs two CPUs");
	ASSERT_EQ(0, readable(self->fd));
	hits = kt_race_hits();
	ASSERT_EQ(0, kt_race(KT_RACE_UNREAD, 500000));
	ASSERT_EQ(0, pthread_create(&th, NULL, unread_poll_fn, &u));
	/* Once the poller is inside the window: fill the ring and empty it. */
	ASSERT_TRUE(kt_race_entered(hits, 20000));
	ASSERT_EQ(1, kt_ready(self->fd, 5, 0));
	t = kevent_ring_tail(self->r);
	kevent_ring_set_head(self->r, t);
	ASSERT_EQ(1, kevent_commit(self->fd, t, 0));
	pthread_join(th, NULL);
	ASSERT_EQ(0, kt_race(0, 0));
	ASSERT_EQ(0, u.ret) TH_LOG("an empty ring polled readable");
}

TEST_HARNESS_MAIN
