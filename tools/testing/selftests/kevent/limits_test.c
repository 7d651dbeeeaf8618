// SPDX-License-Identifier: GPL-2.0
/*
 * The per-user request limit (module parameter max_user_requests) and the
 * ring size limit (max_ring_entries).
 */
#include <signal.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "kevent_util.h"

#define MAX_USER	KT_PARAMS "/max_user_requests"
#define MAX_RING	KT_PARAMS "/max_ring_entries"
#define MAX_PAGES	KT_PARAMS "/max_user_ring_pages"

FIXTURE(limits) {
	unsigned long saved;
	int have_saved;
};

FIXTURE_SETUP(limits)
{
	ASSERT_EQ(0, kt_read_ulong(MAX_USER, &self->saved));
	self->have_saved = 1;
}

FIXTURE_TEARDOWN(limits)
{
	if (self->have_saved)
		kt_write_file(MAX_USER, "%lu\n", self->saved);
}

static int add_range(int fd, unsigned int first, unsigned int n,
		     struct ukevent *ev)
{
	unsigned int k;

	for (k = 0; k < n; k++)
		ev[k] = kt_unotify(first + k, 0);
	return kevent_ctl(fd, KEVENT_CTL_ADD, n, ev);
}

TEST_F(limits, max_user_requests)
{
	struct ukevent ev[8];
	struct kevent_info i;
	int fd1, fd2, ms, ret;

	ASSERT_EQ(0, kt_write_file(MAX_USER, "4\n"));
	fd1 = kevent_init(NULL, 8, 0);
	ASSERT_LE(0, fd1);
	fd2 = kevent_init(NULL, 8, 0);
	ASSERT_LE(0, fd2);

	/* 6 asked, 4 allowed: the last two fail with ENOSPC. */
	ASSERT_EQ(2, add_range(fd1, 1, 6, ev));
	ASSERT_EQ(5, ev[0].id);
	ASSERT_EQ(KEVENT_RET_BROKEN, ev[0].ret_flags & KEVENT_RET_BROKEN);
	ASSERT_EQ(ENOSPC, ev[0].ret_data[1]);
	ASSERT_EQ(6, ev[1].id);
	ASSERT_EQ(ENOSPC, ev[1].ret_data[1]);
	ASSERT_EQ(0, kevent_info(fd1, &i));
	ASSERT_EQ(4, i.requests);

	/* The limit is per user, not per queue. */
	ASSERT_EQ(1, add_range(fd2, 1, 1, ev));
	ASSERT_EQ(ENOSPC, ev[0].ret_data[1]);
	ASSERT_EQ(0, kevent_info(fd2, &i));
	ASSERT_EQ(0, i.requests);

	/* REMOVE gives one back. */
	ev[0] = kt_unotify(1, 0);
	ASSERT_EQ(1, kevent_ctl(fd1, KEVENT_CTL_REMOVE, 1, ev));
	ASSERT_EQ(KEVENT_RET_DONE, ev[0].ret_flags);
	ASSERT_EQ(0, add_range(fd2, 1, 1, ev));
	ASSERT_EQ(1, add_range(fd2, 2, 1, ev));
	ASSERT_EQ(ENOSPC, ev[0].ret_data[1]);

	/* Closing a queue gives all of its requests back. */
	ASSERT_EQ(0, close(fd1));
	for (ms = 0; ms < 3000; ms++) {
		ret = add_range(fd2, 2, 3, ev);
		if (ret == 0)
			break;
		ASSERT_EQ(3, ret);
		kt_sleep_ms(1);
	}
	ASSERT_EQ(0, ret);
	ASSERT_EQ(1, add_range(fd2, 10, 1, ev));
	ASSERT_EQ(ENOSPC, ev[0].ret_data[1]);

	/* Raising the limit takes effect at once. */
	ASSERT_EQ(0, kt_write_file(MAX_USER, "5\n"));
	ASSERT_EQ(0, add_range(fd2, 10, 1, ev));
	ASSERT_EQ(0, kevent_info(fd2, &i));
	ASSERT_EQ(5, i.requests);
	close(fd2);
}

TEST(max_ring_entries)
{
	unsigned long max = 0;
	struct kevent_init ki;
	int fd;

	ASSERT_EQ(0, kt_read_ulong(MAX_RING, &max));
	ASSERT_LE(8, max);
	fd = open(KEVENT_DEVICE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	memset(&ki, 0, sizeof(ki));
	ki.ring_entries = max + 1;
	ASSERT_EQ(-1, ioctl(fd, KEVENT_IOC_INIT, &ki));
	ASSERT_EQ(E2BIG, errno);
	ki.ring_entries = max;
	ASSERT_EQ(0, ioctl(fd, KEVENT_IOC_INIT, &ki));
	ASSERT_LE(max, ki.ring_entries);
	close(fd);
}

/*
 * Pages a ring of @entries pins: the consumer page, the producer header
 * page, the entries, and the kernel's array of one pointer per slot.
 */
static unsigned long ring_pages(unsigned long entries)
{
	unsigned long pg = getpagesize();

	return 2 + (entries * sizeof(struct ukevent) + pg - 1) / pg +
	       (entries * sizeof(void *) + pg - 1) / pg;
}

/*
 * The per-user bound on ring pages (max_user_ring_pages): INIT past it
 * fails with ENOSPC and changes nothing; other users are not affected;
 * closing a queue gives its pages back.  A user of its own, so that no
 * other test's queue counts.
 */
TEST(max_user_ring_pages)
{
	unsigned long saved = 0, per = ring_pages(512);
	int status, other, up[2], down[2];
	char c;
	pid_t pid;

	ASSERT_EQ(0, kt_read_ulong(MAX_PAGES, &saved));
	ASSERT_EQ(0, kt_write_file(MAX_PAGES, "%lu\n", 3 * per + per / 2));
	ASSERT_EQ(0, pipe(up));
	ASSERT_EQ(0, pipe(down));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct kevent_ring *r[4];
		struct kevent_init ki;
		int i, fd, ms;

		if (setgid(4242) || setuid(4242))
			_exit(10);
		for (i = 0; i < 3; i++)
			if (kevent_init(&r[i], 512, 0) < 0)
				_exit(11);
		fd = open(KEVENT_DEVICE, O_RDWR | O_CLOEXEC);
		memset(&ki, 0, sizeof(ki));
		ki.ring_entries = 512;
		if (ioctl(fd, KEVENT_IOC_INIT, &ki) == 0 || errno != ENOSPC)
			_exit(12);
		/* Nothing changed: the queue can still be set up, smaller. */
		ki.ring_entries = 8;
		if (ioctl(fd, KEVENT_IOC_INIT, &ki))
			_exit(13);
		close(fd);
		/* The parent checks that another user's budget is whole. */
		if (write(up[1], "x", 1) != 1 || read(down[0], &c, 1) != 1)
			_exit(14);
		/* Closing (and unmapping) gives the pages back, after RCU. */
		kevent_close(r[0]);
		for (ms = 0; ms < 10000; ms++) {
			if (kevent_init(&r[3], 512, 0) >= 0)
				_exit(0);
			if (errno != ENOSPC)
				_exit(15);
			kt_sleep_ms(1);
		}
		_exit(16);
	}
	/* A child that exits early ends the reads below, not a hang. */
	close(up[1]);
	close(down[0]);
	/*
	 * Another user's budget is whole: a second user, not root, whose
	 * rings (keventlogd's, say) are none of this test's business.
	 */
	other = -1;
	if (read(up[0], &c, 1) == 1) {
		pid_t p2 = fork();

		if (!p2) {
			struct kevent_ring *r;

			if (setgid(4243) || setuid(4243))
				_exit(10);
			_exit(kevent_init(&r, 512, 0) < 0 ? 11 : 0);
		}
		if (p2 > 0 && waitpid(p2, &status, 0) == p2 && WIFEXITED(status))
			other = WEXITSTATUS(status);
		if (write(down[1], "x", 1) != 1)
			kill(pid, SIGKILL);
	} else {
		kill(pid, SIGKILL);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	kt_write_file(MAX_PAGES, "%lu\n", saved);
	ASSERT_EQ(0, other) TH_LOG("another user's ring was refused (%d)", other);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status)) TH_LOG("10 setuid, 11 first three, "
		"12 fourth not ENOSPC, 13 smaller one refused, 14 pipe, "
		"15 other errno, 16 pages not given back");
}

TEST_HARNESS_MAIN
