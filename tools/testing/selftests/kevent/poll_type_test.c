// SPDX-License-Identifier: GPL-2.0
/*
 * KEVENT_POLL, against the header's sentences (<linux/kevent.h>,
 * "KEVENT_POLL"): each kind of pollable file, what ret_data[0] carries,
 * level, edge and one-shot, ready at ADD, the file held by the request
 * (close, fd reuse, dup), a wait queue that goes away (POLLFREE), a
 * queue that watches an epoll fd that watches it, and every refusal.
 *
 * Timeouts are generous (QEMU TCG); "nothing comes" is checked over 300 ms
 * after the work that would have made it, which a kernel that delivers
 * wrongly does within microseconds.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "kevent_util.h"

#define SLOW_MS		20000
#define QUIET_MS	300

static struct ukevent poll_ev(__u64 id, int fd, __u32 events, __u32 req_flags)
{
	return kt_ev(id, KEVENT_POLL, events, req_flags, (__u64)fd);
}

/* The next live delivery within SLOW_MS: 1, or 0. */
static int next(int fd, struct ukevent *out)
{
	return kt_next_live(fd, out, SLOW_MS);
}

static int quiet(int fd)
{
	struct ukevent ev;

	return kt_next_live(fd, &ev, QUIET_MS) == 0;
}

static int add(int qfd, struct ukevent *ev)
{
	return kevent_ctl(qfd, KEVENT_CTL_ADD, 1, ev);
}

static int removed(int qfd, __u64 id)
{
	struct ukevent ev = poll_ev(id, 0, KEVENT_POLL_IN, 0);

	if (kevent_ctl(qfd, KEVENT_CTL_REMOVE, 1, &ev) != 1)
		return -1;
	return (ev.ret_flags & KEVENT_RET_BROKEN) && ev.ret_data[1] == ENOENT;
}

FIXTURE(kpoll) {
	struct kevent_ring *r;
	int fd;
	int sv[2];
};

FIXTURE_SETUP(kpoll)
{
	signal(SIGPIPE, SIG_IGN);
	self->fd = kevent_init(&self->r, 64, 0);
	ASSERT_LE(0, self->fd) TH_LOG("kevent_init: %s", strerror(errno));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
				self->sv));
}

FIXTURE_TEARDOWN(kpoll)
{
	kevent_close(self->r);
	close(self->sv[0]);
	close(self->sv[1]);
}

/*
 * A socket: not ready at ADD, delivered on data with exactly the events
 * asked for that happened (IN; RDNORM too when asked).
 */
TEST_F(kpoll, socket_in)
{
	struct ukevent ev = poll_ev(1, self->sv[0], KEVENT_POLL_IN, 0), got;
	struct ukevent ev2 = poll_ev(2, self->sv[0],
				     KEVENT_POLL_IN | KEVENT_POLL_RDNORM |
				     KEVENT_POLL_OUT, KEVENT_REQ_ET);

	ASSERT_EQ(0, add(self->fd, &ev));
	EXPECT_TRUE(quiet(self->fd));
	ASSERT_EQ(1, write(self->sv[1], "x", 1));
	ASSERT_EQ(1, next(self->fd, &got));
	EXPECT_EQ(1, got.id);
	EXPECT_EQ(KEVENT_POLL, got.type);
	EXPECT_EQ(KEVENT_POLL_IN, got.ret_data[0]);
	EXPECT_EQ(0, got.ret_flags & KEVENT_RET_BROKEN);

	/* Writable and readable at ADD: ready at once, copied back. */
	ASSERT_EQ(1, add(self->fd, &ev2));
	EXPECT_EQ(KEVENT_RET_DONE, ev2.ret_flags);
	EXPECT_EQ(KEVENT_POLL_IN | KEVENT_POLL_RDNORM | KEVENT_POLL_OUT,
		  ev2.ret_data[0]);
}

/*
 * Level: a delivery whose slot is given back while the file is still
 * ready comes again, with no new wakeup; once the data is read, it does
 * not.
 */
TEST_F(kpoll, level_asks_again)
{
	struct ukevent ev = poll_ev(1, self->sv[0], KEVENT_POLL_IN, 0), got;
	struct timespec ts = kt_ms(QUIET_MS);
	char c;

	ASSERT_EQ(0, add(self->fd, &ev));
	ASSERT_EQ(1, write(self->sv[1], "x", 1));
	ASSERT_EQ(1, next(self->fd, &got));
	/* Committed, unread data: delivered again, and again. */
	ASSERT_EQ(1, next(self->fd, &got));
	EXPECT_EQ(KEVENT_POLL_IN, got.ret_data[0]);
	ASSERT_EQ(1, next(self->fd, &got));
	ASSERT_EQ(1, read(self->sv[0], &c, 1));
	/* Read before the last commit's re-ask, or after: at most one more. */
	kevent_get_events(self->fd, 1, 1, &ts, &got, 0);
	EXPECT_TRUE(quiet(self->fd));
}

/* Edge: only wakeups deliver; unread data is not delivered again. */
TEST_F(kpoll, edge_only_wakeups)
{
	struct ukevent ev = poll_ev(1, self->sv[0], KEVENT_POLL_IN,
				    KEVENT_REQ_ET), got;

	ASSERT_EQ(0, add(self->fd, &ev));
	ASSERT_EQ(1, write(self->sv[1], "x", 1));
	ASSERT_EQ(1, next(self->fd, &got));
	EXPECT_TRUE(quiet(self->fd));
	ASSERT_EQ(1, write(self->sv[1], "y", 1));
	ASSERT_EQ(1, next(self->fd, &got));
	EXPECT_EQ(KEVENT_POLL_IN, got.ret_data[0]);
}

/* ONESHOT: one delivery, then the request is gone. */
TEST_F(kpoll, oneshot_removed)
{
	struct ukevent ev = poll_ev(1, self->sv[0], KEVENT_POLL_IN,
				    KEVENT_REQ_ONESHOT), got;

	ASSERT_EQ(0, add(self->fd, &ev));
	ASSERT_EQ(1, write(self->sv[1], "x", 1));
	ASSERT_EQ(1, next(self->fd, &got));
	EXPECT_TRUE(quiet(self->fd));
	EXPECT_EQ(1, removed(self->fd, 1));
}

/* ERR and HUP come whether asked for or not; OUT when asked. */
TEST_F(kpoll, hup_unasked)
{
	struct ukevent ev, got;
	int p[2];

	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	ev = poll_ev(1, p[0], KEVENT_POLL_IN, KEVENT_REQ_ET);
	ASSERT_EQ(0, add(self->fd, &ev));
	/* A pipe's write end is writable at once. */
	ev = poll_ev(2, p[1], KEVENT_POLL_OUT, KEVENT_REQ_ALWAYS_QUEUE);
	ASSERT_EQ(0, add(self->fd, &ev));
	ASSERT_EQ(1, next(self->fd, &got));
	EXPECT_EQ(2, got.id);
	EXPECT_EQ(KEVENT_POLL_OUT, got.ret_data[0]);
	ev = poll_ev(2, 0, 0, 0);
	ASSERT_EQ(1, kevent_ctl(self->fd, KEVENT_CTL_REMOVE, 1, &ev));
	close(p[1]);
	ASSERT_EQ(1, next(self->fd, &got));
	EXPECT_EQ(1, got.id);
	EXPECT_EQ(KEVENT_POLL_HUP, got.ret_data[0] & KEVENT_POLL_HUP);
	close(p[0]);
}

/* Each kind of file the issue names, one request each, on one queue. */
TEST_F(kpoll, file_kinds)
{
	struct itimerspec its = { .it_value = { 0, 50000000 } };
	int efd, tfd, sfd, ifd, master, slave;
	char dir[] = "/tmp/kpoll.XXXXXX", path[64];
	unsigned int seen = 0, want = 0x1f;
	struct ukevent ev, got;
	uint64_t one = 1;
	sigset_t set;
	int i;

	efd = eventfd(0, EFD_CLOEXEC);
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &set, NULL));
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	ifd = inotify_init1(IN_CLOEXEC);
	ASSERT_NE(NULL, mkdtemp(dir));
	if (ifd < 0 && errno == ENOSYS) {
		/* The debug kernels' minimal config; Debian's have it. */
		TH_LOG("no inotify in this kernel: that kind is not checked");
		want &= ~(1u << 3);
		ifd = eventfd(0, EFD_CLOEXEC);
	} else {
		ASSERT_LE(0, inotify_add_watch(ifd, dir, IN_CREATE));
	}
	master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	ASSERT_LE(0, master);
	ASSERT_EQ(0, grantpt(master));
	ASSERT_EQ(0, unlockpt(master));
	slave = open(ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
	ASSERT_LE(0, efd);
	ASSERT_LE(0, tfd);
	ASSERT_LE(0, sfd);
	ASSERT_LE(0, ifd);
	ASSERT_LE(0, slave);

	{
		int fds[] = { efd, tfd, sfd, ifd, slave };

		for (i = 0; i < 5; i++) {
			ev = poll_ev(10 + i, fds[i], KEVENT_POLL_IN, 0);
			ASSERT_EQ(0, add(self->fd, &ev)) TH_LOG("kind %d", i);
		}
	}
	ASSERT_EQ(8, write(efd, &one, 8));
	ASSERT_EQ(0, timerfd_settime(tfd, 0, &its, NULL));
	ASSERT_EQ(0, kill(getpid(), SIGUSR1));
	snprintf(path, sizeof(path), "%s/f", dir);
	ASSERT_LE(0, i = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
	close(i);
	ASSERT_EQ(2, write(master, "a\n", 2));
	while (seen != want) {
		struct timespec ts = kt_ms(5000);

		ASSERT_EQ(1, kevent_get_events(self->fd, 1, 1, &ts, &got, 0))
			TH_LOG("seen %#x", seen);
		ASSERT_LE(10, got.id);
		ASSERT_GT(15, got.id);
		EXPECT_EQ(KEVENT_POLL_IN, got.ret_data[0]);
		seen |= 1u << (got.id - 10);
		/* Level: consume each file so it is not delivered again. */
		switch (got.id) {
		case 10:
			ASSERT_EQ(8, read(efd, &one, 8));
			break;
		case 11:
			ASSERT_EQ(8, read(tfd, &one, 8));
			break;
		case 12: {
			struct signalfd_siginfo si;

			ASSERT_EQ(sizeof(si), read(sfd, &si, sizeof(si)));
			EXPECT_EQ(SIGUSR1, si.ssi_signo);
			break;
		}
		case 13: {
			char buf[256];

			ASSERT_LT(0, read(ifd, buf, sizeof(buf)));
			break;
		}
		case 14: {
			char buf[16];

			ASSERT_LT(0, read(slave, buf, sizeof(buf)));
			break;
		}
		}
	}
	unlink(path);
	rmdir(dir);
	close(efd);
	close(tfd);
	close(sfd);
	close(ifd);
	close(slave);
	close(master);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

struct sig_thread {
	pid_t tid;
	int go[2];
	int got;
};

/* Wait for the go, then take the SIGUSR2 that was sent to this thread. */
static void *sig_taker(void *arg)
{
	struct sig_thread *st = arg;
	struct timespec ts = { 20, 0 };
	sigset_t set;
	char c;

	__atomic_store_n(&st->tid, gettid(), __ATOMIC_RELEASE);
	if (read(st->go[0], &c, 1) != 1)
		return NULL;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	st->got = sigtimedwait(&set, NULL, &ts);
	return NULL;
}

/*
 * Signals: there is no KEVENT_SIGNAL; a signalfd watched through
 * KEVENT_POLL covers it, and answers for the task that waits on the
 * queue, as read() of the signalfd would: a signal sent to the process,
 * or to the waiting thread, is delivered; one sent to another thread is
 * not (that thread takes it); and once read, a level request is quiet.
 */
TEST_F(kpoll, signals_through_signalfd)
{
	struct sig_thread st = { 0 };
	struct signalfd_siginfo si;
	struct ukevent ev, got;
	sigset_t set;
	pthread_t t;
	int sfd;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	ASSERT_EQ(0, pthread_sigmask(SIG_BLOCK, &set, NULL));
	sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	ASSERT_LE(0, sfd);
	ASSERT_EQ(0, pipe2(st.go, O_CLOEXEC));
	ASSERT_EQ(0, pthread_create(&t, NULL, sig_taker, &st));
	while (!__atomic_load_n(&st.tid, __ATOMIC_ACQUIRE))
		usleep(1000);
	ev = poll_ev(1, sfd, KEVENT_POLL_IN, 0);
	ASSERT_EQ(0, add(self->fd, &ev));

	/* To another thread: not this one's, not delivered here. */
	ASSERT_EQ(0, tgkill(getpid(), st.tid, SIGUSR2));
	EXPECT_TRUE(quiet(self->fd));
	ASSERT_EQ(1, write(st.go[1], "g", 1));
	pthread_join(t, NULL);
	EXPECT_EQ(SIGUSR2, st.got);

	/* To this thread, then to the process: each delivered, then read. */
	ASSERT_EQ(0, tgkill(getpid(), gettid(), SIGUSR1));
	ASSERT_EQ(1, next(self->fd, &got));
	EXPECT_EQ(1, got.id);
	EXPECT_EQ(KEVENT_POLL_IN, got.ret_data[0]);
	ASSERT_EQ(sizeof(si), read(sfd, &si, sizeof(si)));
	EXPECT_EQ(SIGUSR1, si.ssi_signo);
	EXPECT_TRUE(quiet(self->fd));

	ASSERT_EQ(0, kill(getpid(), SIGUSR2));
	ASSERT_EQ(1, next(self->fd, &got));
	EXPECT_EQ(1, got.id);
	ASSERT_EQ(sizeof(si), read(sfd, &si, sizeof(si)));
	EXPECT_EQ(SIGUSR2, si.ssi_signo);
	EXPECT_EQ(getpid(), si.ssi_pid);
	EXPECT_TRUE(quiet(self->fd));

	close(st.go[0]);
	close(st.go[1]);
	close(sfd);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

/*
 * The request holds the open file: close(fd) does not end it, the peer
 * sees no EOF while it exists, a new file with that fd number is not
 * watched, and a dup is the same file.
 */
TEST_F(kpoll, holds_the_file)
{
	struct ukevent ev = poll_ev(1, self->sv[0], KEVENT_POLL_IN, 0), got;
	int fd, d, p[2];
	char c;

	ASSERT_EQ(0, add(self->fd, &ev));
	fd = self->sv[0];
	close(fd);
	/* The number goes to a pipe that the request does not watch. */
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	d = p[0] == fd ? p[1] : p[0];
	ASSERT_EQ(1, write(p[1], "p", 1));
	EXPECT_TRUE(quiet(self->fd));
	/* The socket is still open: its peer can write, and it is watched. */
	ASSERT_EQ(1, write(self->sv[1], "x", 1));
	ASSERT_EQ(1, next(self->fd, &got));
	EXPECT_EQ(1, got.id);
	/* The peer sees no end while the request holds the socket, */
	EXPECT_EQ(-1, recv(self->sv[1], &c, 1, MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
	/*
	 * and REMOVE drops the last reference: the peer sees it closed
	 * (ECONNRESET: it went with our "x" unread).
	 */
	ev = poll_ev(1, 0, KEVENT_POLL_IN, 0);
	ASSERT_EQ(1, kevent_ctl(self->fd, KEVENT_CTL_REMOVE, 1, &ev));
	EXPECT_EQ(-1, recv(self->sv[1], &c, 1, MSG_DONTWAIT));
	EXPECT_EQ(ECONNRESET, errno);
	close(p[0]);
	close(p[1]);
	(void)d;

	/* A dup, the original closed: the same file. */
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
				self->sv));
	d = dup(self->sv[0]);
	ASSERT_LE(0, d);
	ev = poll_ev(2, d, KEVENT_POLL_IN, 0);
	ASSERT_EQ(0, add(self->fd, &ev));
	close(d);
	ASSERT_EQ(1, write(self->sv[1], "x", 1));
	ASSERT_EQ(1, next(self->fd, &got));
	EXPECT_EQ(2, got.id);
}

/*
 * POLLFREE: a signalfd's wait queue belongs to the task that polled it.
 * A child adds a request on its own signalfd to the queue it inherited
 * and exits: the request comes back broken, ENODEV, and the queue lives
 * on.
 */
TEST_F(kpoll, pollfree_breaks)
{
	struct ukevent got;
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct ukevent ev;
		sigset_t set;
		int sfd;

		sigemptyset(&set);
		sigaddset(&set, SIGUSR2);
		sigprocmask(SIG_BLOCK, &set, NULL);
		sfd = signalfd(-1, &set, 0);
		ev = poll_ev(1, sfd, KEVENT_POLL_IN, 0);
		_exit(sfd < 0 || add(self->fd, &ev) != 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(1, next(self->fd, &got));
	EXPECT_EQ(1, got.id);
	EXPECT_EQ(KEVENT_RET_BROKEN, got.ret_flags & KEVENT_RET_BROKEN);
	EXPECT_EQ(ENODEV, got.ret_data[1]);
}

/*
 * A queue watches an epoll fd that watches the queue: a fire of the queue
 * wakes epoll, whose wakeup reaches the queue's request inside the
 * queue's own wakeup.  No deadlock (lockdep checks it on the debug
 * kernels), and both deliveries arrive.
 */
TEST_F(kpoll, cycle_through_epoll)
{
	struct epoll_event ee = { .events = EPOLLIN };
	struct ukevent ev, got[2];
	unsigned int ids = 0;
	int ep, n = 0;

	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, self->fd, &ee));
	ev = poll_ev(1, ep, KEVENT_POLL_IN, KEVENT_REQ_ET);
	ASSERT_EQ(0, add(self->fd, &ev));
	ev = kt_unotify(2, 0);
	ASSERT_EQ(0, add(self->fd, &ev));
	ASSERT_EQ(1, kt_ready(self->fd, 2, 7));
	while (ids != 3 && n < 4) {
		ASSERT_EQ(1, next(self->fd, &got[0]));
		ids |= 1u << (got[0].id - 1);
		n++;
	}
	EXPECT_EQ(3, ids);
	close(ep);
}

/* Every refusal, each with its errno, and nothing registered. */
TEST_F(kpoll, add_errors)
{
	struct kevent_ring *other;
	struct ukevent ev;
	int mfd, ofd;

	mfd = memfd_create("kpoll", MFD_CLOEXEC);
	ASSERT_LE(0, mfd);
	ofd = kevent_init(&other, 8, 0);
	ASSERT_LE(0, ofd);
	{
		const struct {
			const char *name;
			__u64 param;
			__u32 event;
			int err;
		} cases[] = {
			{ "fd -1", (__u64)-1, KEVENT_POLL_IN, EBADF },
			{ "fd above INT_MAX", 1ULL << 31, KEVENT_POLL_IN, EBADF },
			{ "fd not open", 1000, KEVENT_POLL_IN, EBADF },
			{ "regular file", (__u64)mfd, KEVENT_POLL_IN, EPERM },
			{ "own queue", (__u64)self->fd, KEVENT_POLL_IN, EINVAL },
			{ "other queue", (__u64)ofd, KEVENT_POLL_IN, EINVAL },
			{ "unknown bit", (__u64)self->sv[0], 0x4000, EINVAL },
		};
		unsigned int i;

		for (i = 0; i < ARRAY_LEN(cases); i++) {
			ev = kt_ev(5, KEVENT_POLL, cases[i].event, 0,
				   cases[i].param);
			ASSERT_EQ(1, add(self->fd, &ev)) TH_LOG("%s", cases[i].name);
			EXPECT_EQ(KEVENT_RET_BROKEN, ev.ret_flags & KEVENT_RET_BROKEN)
				TH_LOG("%s", cases[i].name);
			EXPECT_EQ(cases[i].err, ev.ret_data[1])
				TH_LOG("%s", cases[i].name);
			EXPECT_EQ(1, removed(self->fd, 5)) TH_LOG("%s", cases[i].name);
		}
	}
	EXPECT_TRUE(quiet(self->fd));
	kevent_close(other);
	close(mfd);
}

/* Requests added and removed while the file is written to, then a close. */
static void *writer(void *arg)
{
	int fd = *(int *)arg;
	int i;

	for (i = 0; i < 20000; i++)
		if (write(fd, "x", 1) != 1)
			break;
	return NULL;
}

TEST_F(kpoll, churn_while_woken)
{
	struct ukevent ev[8], out[64];
	char buf[256];
	pthread_t t;
	int i, j, n;

	ASSERT_EQ(0, fcntl(self->sv[1], F_SETFL, O_NONBLOCK));
	ASSERT_EQ(0, pthread_create(&t, NULL, writer, &self->sv[1]));
	for (i = 0; i < 200; i++) {
		for (j = 0; j < 8; j++)
			ev[j] = poll_ev(j + 1, self->sv[0], KEVENT_POLL_IN,
					j & 1 ? KEVENT_REQ_ET : 0);
		n = kevent_ctl(self->fd, KEVENT_CTL_ADD, 8, ev);
		ASSERT_LE(0, n);
		/* Only ready ones come back: none failed. */
		for (j = 0; j < n; j++)
			EXPECT_EQ(0, ev[j].ret_flags & KEVENT_RET_BROKEN);
		for (j = 0; j < 8; j++)
			ev[j] = poll_ev(j + 1, 0, KEVENT_POLL_IN, 0);
		ASSERT_EQ(8, kevent_ctl(self->fd, KEVENT_CTL_REMOVE, 8, ev));
		for (j = 0; j < 8; j++)
			EXPECT_EQ(KEVENT_RET_DONE, ev[j].ret_flags);
		while (recv(self->sv[0], buf, sizeof(buf), MSG_DONTWAIT) > 0)
			;
		ASSERT_LE(0, kt_drain(self->r, out, 64));
	}
	pthread_join(t, NULL);
}

TEST_HARNESS_MAIN
