// SPDX-License-Identifier: GPL-2.0
/*
 * KEVENT_POLL races, against the header's sentences (<linux/kevent.h>,
 * "KEVENT_POLL"): a wakeup during ADD is not lost ("a file already ready
 * at ADD makes the ADD ready at once"); a wakeup during REMOVE or the
 * queue's close delivers nothing after it; a wait queue that goes away
 * (POLLFREE) during REMOVE; close() and dup2() of the watched fd number
 * while requests are added ("the request holds the open file, not the
 * fd"); and a cycle of two queues through two epoll fds.
 *
 * On debug kernels (CONFIG_KEVENT_DEBUG_RACES) each race is held open at
 * its point in kevent/poll.c, so that the other side lands in it every
 * time and KASAN, lockdep or KCSAN see what it breaks; elsewhere the same
 * steps run and the race is left to chance.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "kevent_util.h"

#define SLOW_MS		20000
#define QUIET_MS	300
#define WINDOW_US	300000
/* close_dup_churn: ADDs, and one in KEEP kept (each write wakes them all) */
#define CHURN		1000
#define KEEP		25

static struct ukevent poll_ev(__u64 id, int fd, __u32 events, __u32 req_flags)
{
	return kt_ev(id, KEVENT_POLL, events, req_flags, (__u64)fd);
}

static int remove_id(int qfd, __u64 id, struct ukevent *ev)
{
	*ev = poll_ev(id, 0, KEVENT_POLL_IN, 0);
	return kevent_ctl(qfd, KEVENT_CTL_REMOVE, 1, ev);
}

/* Hold @point open for @us where the kernel can: 1 if it does. */
static int open_window(struct __test_metadata *_metadata, unsigned int point,
		       unsigned int us)
{
	if (!kt_has_races()) {
		TH_LOG("no race windows in this kernel: the race is left to chance");
		return 0;
	}
	if (kt_race(point, us)) {
		TH_LOG("cannot open race window %u", point);
		return -1;
	}
	return 1;
}

struct side {
	unsigned long hits;	/* race_hits before the window could open */
	int windows;		/* 1: wait for the window before acting */
	int fd;
	pid_t pid;
	long long done_ns;
	int ready;		/* the thread runs on its CPU */
};

/*
 * Start @fn on CPU 1 and wait until it runs there: a window is held open
 * with the kernel spinning on CPU 0, where a new thread would start and
 * could not run until the window closed.
 */
static int start_side(pthread_t *t, void *(*fn)(void *), struct side *s)
{
	if (pthread_create(t, NULL, fn, s))
		return -1;
	while (!__atomic_load_n(&s->ready, __ATOMIC_ACQUIRE))
		usleep(1000);
	return 0;
}

static void side_running(struct side *s)
{
	kt_pin_cpu(1);
	__atomic_store_n(&s->ready, 1, __ATOMIC_RELEASE);
}

/* Write one byte at once: its wakeup opens the window. */
static void *write_now(void *arg)
{
	struct side *s = arg;

	side_running(s);
	if (write(s->fd, "x", 1) != 1)
		s->fd = -1;
	return NULL;
}

/* Write one byte once the window is open (or at once, without windows). */
static void *write_in_window(void *arg)
{
	struct side *s = arg;

	side_running(s);
	if (s->windows)
		kt_race_entered(s->hits, SLOW_MS);
	if (write(s->fd, "x", 1) != 1)
		s->fd = -1;
	s->done_ns = kt_now_ns();
	return NULL;
}

FIXTURE(prace) {
	struct kevent_ring *r;
	int fd;
	int sv[2];
};

FIXTURE_SETUP(prace)
{
	signal(SIGPIPE, SIG_IGN);
	self->fd = kevent_init(&self->r, 64, 0);
	ASSERT_LE(0, self->fd) TH_LOG("kevent_init: %s", strerror(errno));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
				self->sv));
}

FIXTURE_TEARDOWN(prace)
{
	if (kt_has_races())
		kt_race(0, 0);
	if (self->r)
		kevent_close(self->r);
	close(self->sv[0]);
	close(self->sv[1]);
}

/*
 * Data arrives between ADD's registration on the socket's wait queue and
 * the request's attachment to its storage: the wakeup reaches a storage
 * with no request.  The ADD must still see it: an edge request, which
 * no later wakeup would deliver, is ready at once.
 */
TEST_F(prace, wakeup_during_add)
{
	struct ukevent ev = poll_ev(1, self->sv[0], KEVENT_POLL_IN,
				    KEVENT_REQ_ET);
	struct side s = { .fd = self->sv[1] };
	pthread_t t;
	int n;

	kt_pin_cpu(0);
	s.hits = kt_race_hits();
	s.windows = open_window(_metadata, KT_RACE_POLL_ADD, WINDOW_US);
	ASSERT_LE(0, s.windows);
	ASSERT_EQ(0, start_side(&t, write_in_window, &s));
	if (!s.windows)
		usleep(1000);
	n = kevent_ctl(self->fd, KEVENT_CTL_ADD, 1, &ev);
	pthread_join(t, NULL);
	if (s.windows) {
		ASSERT_EQ(0, kt_race(0, 0));
		ASSERT_NE(s.hits, kt_race_hits()) TH_LOG("the window never opened");
	}
	ASSERT_LE(0, s.fd);
	ASSERT_LE(0, n);
	if (n == 1) {
		EXPECT_EQ(KEVENT_RET_DONE, ev.ret_flags);
		EXPECT_EQ(KEVENT_POLL_IN, ev.ret_data[0]);
	} else {
		/* Only without windows: the write came after the ADD. */
		EXPECT_FALSE(s.windows);
		ASSERT_EQ(1, kt_next_live(self->fd, &ev, SLOW_MS));
		EXPECT_EQ(1, ev.id);
		EXPECT_EQ(KEVENT_POLL_IN, ev.ret_data[0]);
	}
}

/*
 * A wakeup is inside the request's wait entry, under the socket's wait
 * queue lock, when the request is removed, and again when the queue is
 * closed with the request in it.  REMOVE waits for the wakeup to finish
 * and nothing is delivered after it; the close frees the request only
 * after (KASAN sees a use after free otherwise).
 */
TEST_F(prace, wakeup_during_remove_and_close)
{
	struct ukevent ev = poll_ev(1, self->sv[0], KEVENT_POLL_IN, 0), out;
	struct side s = { .fd = self->sv[1] };
	pthread_t t;
	char buf[8];
	int round;

	kt_pin_cpu(0);
	for (round = 0; round < 2; round++) {
		ev = poll_ev(1, self->sv[0], KEVENT_POLL_IN, 0);
		ASSERT_EQ(0, kevent_ctl(self->fd, KEVENT_CTL_ADD, 1, &ev));
		s.hits = kt_race_hits();
		s.windows = open_window(_metadata, KT_RACE_POLL_WAKE, WINDOW_US);
		ASSERT_LE(0, s.windows);
		s.ready = 0;
		ASSERT_EQ(0, start_side(&t, write_now, &s));
		if (s.windows)
			ASSERT_TRUE(kt_race_entered(s.hits, SLOW_MS));
		if (round == 0) {
			ASSERT_EQ(1, remove_id(self->fd, 1, &out));
			EXPECT_EQ(KEVENT_RET_DONE, out.ret_flags);
			if (s.windows)
				ASSERT_EQ(0, kt_race(0, 0));
			/* Whatever the wakeup did, it did before REMOVE returned. */
			ASSERT_EQ(0, kt_next_live(self->fd, &out, QUIET_MS));
		} else {
			kevent_close(self->r);
			self->r = NULL;
			if (s.windows)
				ASSERT_EQ(0, kt_race(0, 0));
		}
		pthread_join(t, NULL);
		ASSERT_LE(0, s.fd);
		ASSERT_EQ(1, recv(self->sv[0], buf, sizeof(buf), 0));
	}
	/* The closed queue let go of the socket: its peer sees the end. */
	close(self->sv[0]);
	self->sv[0] = -1;
	EXPECT_EQ(-1, send(self->sv[1], "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(EPIPE, errno);
}

/* Wait for the window, then kill and reap the child: its POLLFREE. */
static void *reap_in_window(void *arg)
{
	struct side *s = arg;
	int status;

	side_running(s);
	if (s->windows)
		kt_race_entered(s->hits, SLOW_MS);
	kill(s->pid, SIGKILL);
	if (waitpid(s->pid, &status, 0) != s->pid)
		s->pid = -1;
	s->done_ns = kt_now_ns();
	return NULL;
}

/*
 * REMOVE has read the wait queue of a child's signalfd and not yet taken
 * its lock when the child is reaped, and its signal handlers with the
 * wait queue go (POLLFREE).  REMOVE completes, the request is gone, and
 * the queue lives on.
 */
TEST_F(prace, pollfree_during_remove)
{
	struct side s = { 0 };
	struct ukevent out;
	int ready[2];
	long long end;
	pthread_t t;
	char c;

	kt_pin_cpu(0);
	ASSERT_EQ(0, pipe2(ready, O_CLOEXEC));
	s.pid = fork();
	ASSERT_LE(0, s.pid);
	if (!s.pid) {
		struct ukevent ev;
		sigset_t set;
		int sfd;

		/* Off CPU 0, where the window spins: it must die inside it. */
		kt_pin_cpu(1);
		sigemptyset(&set);
		sigaddset(&set, SIGUSR2);
		sigprocmask(SIG_BLOCK, &set, NULL);
		sfd = signalfd(-1, &set, 0);
		ev = poll_ev(1, sfd, KEVENT_POLL_IN, 0);
		c = sfd >= 0 && kevent_ctl(self->fd, KEVENT_CTL_ADD, 1, &ev) == 0;
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	ASSERT_EQ(1, read(ready[0], &c, 1));
	ASSERT_EQ(1, c);
	s.hits = kt_race_hits();
	s.windows = open_window(_metadata, KT_RACE_POLL_UNWAIT, 500000);
	ASSERT_LE(0, s.windows);
	ASSERT_EQ(0, start_side(&t, reap_in_window, &s));
	if (!s.windows)
		usleep(1000);
	/* Removed, or broken by the POLLFREE first: gone either way. */
	ASSERT_EQ(1, remove_id(self->fd, 1, &out));
	end = kt_now_ns();
	if (s.windows)
		ASSERT_EQ(0, kt_race(0, 0));
	pthread_join(t, NULL);
	ASSERT_LT(0, s.pid);
	if (s.windows)
		EXPECT_LT(s.done_ns, end) TH_LOG("the child was reaped after REMOVE");
	ASSERT_EQ(1, remove_id(self->fd, 1, &out));
	EXPECT_EQ(ENOENT, out.ret_data[1]);
	while (kt_next_live(self->fd, &out, QUIET_MS) == 1)
		EXPECT_EQ(1, out.id);
	close(ready[0]);
	close(ready[1]);
}

struct churn {
	int target;		/* the fd number the threads fight over */
	int sock;		/* a socket end, dup2()ed to target */
	int pipe_rd;		/* a pipe's read end, dup2()ed to target */
	int stop;
	unsigned long swaps;
};

static void *swap_fds(void *arg)
{
	struct churn *c = arg;

	kt_pin_cpu(1);
	while (!__atomic_load_n(&c->stop, __ATOMIC_RELAXED)) {
		dup2(c->sock, c->target);
		dup2(c->pipe_rd, c->target);
		close(c->target);
		c->swaps++;
	}
	return NULL;
}

/*
 * One thread dup2()s a socket and a pipe onto one fd number and closes
 * it, over and over, while the other adds requests on that number, and
 * both files are written to.  Every ADD watches whatever file the number
 * named then or fails with EBADF; nothing else.  After REMOVE and the
 * queue's close, no request holds either file: both peers see the end.
 */
TEST_F(prace, close_dup_churn)
{
	struct churn c = { 0 };
	struct ukevent ev, out[64];
	unsigned int added = 0, badf = 0;
	int pfd[2], i, n;
	pthread_t t;

	kt_pin_cpu(0);
	ASSERT_EQ(0, pipe2(pfd, O_CLOEXEC | O_NONBLOCK));
	ASSERT_EQ(0, fcntl(self->sv[1], F_SETFL, O_NONBLOCK));
	c.sock = self->sv[0];
	c.pipe_rd = pfd[0];
	c.target = dup(pfd[0]);
	ASSERT_LE(0, c.target);
	ASSERT_EQ(0, pthread_create(&t, NULL, swap_fds, &c));
	for (i = 0; i < CHURN; i++) {
		/* Kept ones are edge: not asked again and again. */
		ev = poll_ev(i + 1, c.target, KEVENT_POLL_IN,
			     i % KEEP ? 0 : KEVENT_REQ_ET);
		n = kevent_ctl(self->fd, KEVENT_CTL_ADD, 1, &ev);
		ASSERT_LE(0, n);
		if (n == 1 && (ev.ret_flags & KEVENT_RET_BROKEN)) {
			ASSERT_EQ(EBADF, ev.ret_data[1]) TH_LOG("ADD %d", i);
			badf++;
			ASSERT_EQ(1, remove_id(self->fd, i + 1, &ev));
			continue;
		}
		added++;
		if (write(self->sv[1], "x", 1) < 0 && errno != EAGAIN)
			break;
		if (write(pfd[1], "x", 1) < 0 && errno != EAGAIN)
			break;
		/* Keep some, remove the others at once. */
		if (i % KEEP)
			ASSERT_EQ(1, remove_id(self->fd, i + 1, &ev));
		n = kt_drain(self->r, out, 64);
		ASSERT_LE(0, n);
	}
	__atomic_store_n(&c.stop, 1, __ATOMIC_RELAXED);
	pthread_join(t, NULL);
	ASSERT_EQ(CHURN, i);
	TH_LOG("%u added, %u EBADF, %lu swaps", added, badf, c.swaps);
	EXPECT_LT(0, added);
	EXPECT_LT(0, c.swaps);
	/* The kept requests hold both files; closing the queue lets go. */
	close(c.target);
	close(pfd[0]);
	close(self->sv[0]);
	self->sv[0] = -1;
	kevent_close(self->r);
	self->r = NULL;
	EXPECT_EQ(-1, write(pfd[1], "x", 1));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(-1, send(self->sv[1], "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(EPIPE, errno);
	close(pfd[1]);
}

/*
 * Two queues in a cycle through two epoll fds: A watches E1, which
 * watches B; B watches E2, which watches A.  A delivery on A wakes E2,
 * whose wakeup reaches B's request inside A's wakeup, and B's delivery
 * then wakes E1 and A's request inside B's.  No deadlock (lockdep on the
 * debug kernels), no unbounded recursion, and each request is delivered.
 */
TEST_F(prace, cycle_of_two_queues)
{
	struct epoll_event ee = { .events = EPOLLIN };
	struct kevent_ring *rb;
	unsigned int ids = 0;
	struct timespec ts;
	struct ukevent ev;
	int b, e1, e2, n;

	b = kevent_init(&rb, 64, 0);
	ASSERT_LE(0, b);
	e1 = epoll_create1(EPOLL_CLOEXEC);
	e2 = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, e1);
	ASSERT_LE(0, e2);
	ASSERT_EQ(0, epoll_ctl(e1, EPOLL_CTL_ADD, b, &ee));
	ASSERT_EQ(0, epoll_ctl(e2, EPOLL_CTL_ADD, self->fd, &ee));
	ev = poll_ev(1, e1, KEVENT_POLL_IN, KEVENT_REQ_ET);
	ASSERT_EQ(0, kevent_ctl(self->fd, KEVENT_CTL_ADD, 1, &ev));
	ev = poll_ev(2, e2, KEVENT_POLL_IN, KEVENT_REQ_ET);
	ASSERT_EQ(0, kevent_ctl(b, KEVENT_CTL_ADD, 1, &ev));
	ev = kt_unotify(3, 0);
	ASSERT_EQ(0, kevent_ctl(self->fd, KEVENT_CTL_ADD, 1, &ev));

	ASSERT_EQ(1, kt_ready(self->fd, 3, 7));
	/* B has its delivery (E2 is readable: A has an entry), unread. */
	ts = kt_ms(SLOW_MS);
	ASSERT_LE(1, kevent_wait(b, 1, kevent_ring_committed(rb), &ts, 0));
	/* A: its own event, and E1 readable since B has one. */
	for (n = 0; n < 4 && ids != 3; n++) {
		ASSERT_EQ(1, kt_next_live(self->fd, &ev, SLOW_MS));
		ASSERT_TRUE(ev.id == 1 || ev.id == 3)
			TH_LOG("id %llu", (unsigned long long)ev.id);
		ids |= ev.id == 1 ? 1 : 2;
	}
	EXPECT_EQ(3, ids);
	ASSERT_EQ(1, kt_next_live(b, &ev, SLOW_MS));
	EXPECT_EQ(2, ev.id);
	EXPECT_EQ(KEVENT_POLL_IN, ev.ret_data[0]);
	kevent_close(rb);
	close(e1);
	close(e2);
}

TEST_HARNESS_MAIN
