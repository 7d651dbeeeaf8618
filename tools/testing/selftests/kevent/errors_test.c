// SPDX-License-Identifier: GPL-2.0
/*
 * Every bad argument fails with its exact errno and leaves the queue as
 * it was (KEVENT_IOC_INFO before and after).
 */
#include "kselftest_harness.h"
#include "kevent_util.h"

static int raw_open(void)
{
	return open(KEVENT_DEVICE, O_RDWR | O_CLOEXEC);
}

static int init_entries(int fd, unsigned int n)
{
	struct kevent_init ki;

	memset(&ki, 0, sizeof(ki));
	ki.ring_entries = n;
	return ioctl(fd, KEVENT_IOC_INIT, &ki);
}

TEST(before_init_ebadfd)
{
	struct kevent_info info;
	struct kevent_wait w = { .num = 0 };
	struct kevent_commit c = { 0 };
	struct ukevent ev = kt_unotify(1, 0), buf[1];
	struct kevent_ctl ctl = {
		.cmd = KEVENT_CTL_ADD, .num = 1,
		.events = (__u64)(unsigned long)&ev,
	};
	struct kevent_get_events g = {
		.min_nr = 1, .max_nr = 1, .buf = (__u64)(unsigned long)buf,
	};
	int fd = raw_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(-1, ioctl(fd, KEVENT_IOC_CTL, &ctl));
	ASSERT_EQ(EBADFD, errno);
	ASSERT_EQ(-1, ioctl(fd, KEVENT_IOC_WAIT, &w));
	ASSERT_EQ(EBADFD, errno);
	ASSERT_EQ(-1, ioctl(fd, KEVENT_IOC_COMMIT, &c));
	ASSERT_EQ(EBADFD, errno);
	ASSERT_EQ(-1, ioctl(fd, KEVENT_IOC_GET_EVENTS, &g));
	ASSERT_EQ(EBADFD, errno);
	ASSERT_EQ(-1, ioctl(fd, KEVENT_IOC_INFO, &info));
	ASSERT_EQ(EBADFD, errno);
	/* Still usable afterwards. */
	ASSERT_EQ(0, init_entries(fd, 8));
	ASSERT_EQ(0, ioctl(fd, KEVENT_IOC_INFO, &info));
	ASSERT_EQ(0, info.requests);
	close(fd);
}

TEST(init_errors)
{
	unsigned long max = 0;
	struct kevent_init ki;
	struct kevent_info info;
	int fd = raw_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(-1, init_entries(fd, 0));
	ASSERT_EQ(EINVAL, errno);

	/* Every flag but KEVENT_INIT_HEAD_COMMITS is unknown. */
	memset(&ki, 0, sizeof(ki));
	ki.ring_entries = 8;
	ki.flags = ~KEVENT_INIT_ALL;
	ASSERT_EQ(-1, ioctl(fd, KEVENT_IOC_INIT, &ki));
	ASSERT_EQ(EINVAL, errno);
	ki.flags = KEVENT_INIT_HEAD_COMMITS << 1;
	ASSERT_EQ(-1, ioctl(fd, KEVENT_IOC_INIT, &ki));
	ASSERT_EQ(EINVAL, errno);
	memset(&ki, 0, sizeof(ki));
	ki.ring_entries = 8;
	ki.__reserved0 = 1;
	ASSERT_EQ(-1, ioctl(fd, KEVENT_IOC_INIT, &ki));
	ASSERT_EQ(EINVAL, errno);
	memset(&ki, 0, sizeof(ki));
	ki.ring_entries = 8;
	ki.__reserved[1] = 1;
	ASSERT_EQ(-1, ioctl(fd, KEVENT_IOC_INIT, &ki));
	ASSERT_EQ(EINVAL, errno);

	ASSERT_EQ(0, kt_read_ulong(KT_PARAMS "/max_ring_entries", &max));
	ASSERT_LT(0, max);
	ASSERT_EQ(-1, init_entries(fd, max + 1));
	ASSERT_EQ(E2BIG, errno);
	ASSERT_EQ(-1, init_entries(fd, 0xffffffffu));
	ASSERT_EQ(E2BIG, errno);

	ASSERT_EQ(-1, ioctl(fd, KEVENT_IOC_INIT, kt_bad_page()));
	ASSERT_EQ(EFAULT, errno);

	/* None of these initialised the queue. */
	ASSERT_EQ(-1, ioctl(fd, KEVENT_IOC_INFO, &info));
	ASSERT_EQ(EBADFD, errno);

	ASSERT_EQ(0, init_entries(fd, 16));
	ASSERT_EQ(-1, init_entries(fd, 8));
	ASSERT_EQ(EBUSY, errno);
	ASSERT_EQ(0, ioctl(fd, KEVENT_IOC_INFO, &info));
	ASSERT_EQ(16, info.ring_entries);
	close(fd);
}

TEST(unknown_ioctl)
{
	int fd = raw_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, init_entries(fd, 8));
	ASSERT_ERRNO_UNCHANGED(fd, ioctl(fd, _IO(KEVENT_IOC_MAGIC, 0x7f)),
			       ENOTTY);
	ASSERT_ERRNO_UNCHANGED(fd, ioctl(fd, _IOW(KEVENT_IOC_MAGIC, 0x02,
						  __u64), 0), ENOTTY);
	ASSERT_ERRNO_UNCHANGED(fd, ioctl(fd, _IO('T', 0x01)), ENOTTY);
	close(fd);
}

/* "The file is not seekable: lseek() fails with ESPIPE." */
TEST(not_seekable)
{
	int fd = raw_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(-1, lseek(fd, 0, SEEK_SET));
	ASSERT_EQ(ESPIPE, errno);
	ASSERT_EQ(0, init_entries(fd, 8));
	ASSERT_EQ(-1, lseek(fd, 4096, SEEK_SET));
	ASSERT_EQ(ESPIPE, errno);
	ASSERT_EQ(-1, lseek(fd, 0, SEEK_CUR));
	ASSERT_EQ(ESPIPE, errno);
	close(fd);
}

/*
 * A queue with state: ids 1-4, 1 and 2 ready, 1 committed, so that
 * tail != committed and committed moved.
 */
FIXTURE(err) {
	struct kevent_ring *r;
	int fd;
	void *bad;
};

FIXTURE_SETUP(err)
{
	struct ukevent ev[4];
	unsigned int k, c;

	self->fd = kevent_init(&self->r, 8, 0);
	ASSERT_LE(0, self->fd) TH_LOG("kevent_init: %s", strerror(errno));
	for (k = 0; k < 4; k++)
		ev[k] = kt_unotify(k + 1, 0);
	ASSERT_EQ(0, kevent_ctl(self->fd, KEVENT_CTL_ADD, 4, ev));
	ASSERT_EQ(1, kt_ready(self->fd, 1, 0));
	ASSERT_EQ(1, kt_ready(self->fd, 2, 0));
	c = kevent_ring_committed(self->r);
	ASSERT_EQ(1, kevent_commit(self->fd, c + 1, 0));
	ASSERT_EQ(1, kt_unread(self->r));
	self->bad = kt_bad_page();
	ASSERT_NE(NULL, self->bad);
}

FIXTURE_TEARDOWN(err)
{
	kevent_close(self->r);
}

static int ctl_raw(int fd, __u32 cmd, __u32 num, void *events, __u32 flags,
		   __u32 reserved)
{
	struct kevent_ctl c = {
		.cmd = cmd, .num = num,
		.events = (__u64)(unsigned long)events,
		.flags = flags, .__reserved = reserved,
	};

	return ioctl(fd, KEVENT_IOC_CTL, &c);
}

TEST_F(err, ctl_struct)
{
	struct ukevent ev = kt_unotify(10, 0);
	int fd = self->fd;

	ASSERT_ERRNO_UNCHANGED(fd, ioctl(fd, KEVENT_IOC_CTL, self->bad),
			       EFAULT);
	ASSERT_ERRNO_UNCHANGED(fd, ctl_raw(fd, KEVENT_CTL_ADD, 1, &ev, 1, 0),
			       EINVAL);
	ASSERT_ERRNO_UNCHANGED(fd, ctl_raw(fd, KEVENT_CTL_ADD, 1, &ev, 0, 1),
			       EINVAL);
	ASSERT_ERRNO_UNCHANGED(fd, ctl_raw(fd, 4, 1, &ev, 0, 0), EINVAL);
	ASSERT_ERRNO_UNCHANGED(fd, ctl_raw(fd, ~0u, 1, &ev, 0, 0), EINVAL);
	ASSERT_ERRNO_UNCHANGED(fd, kevent_ctl(fd, KEVENT_CTL_ADD, 0, &ev),
			       EINVAL);
	ASSERT_ERRNO_UNCHANGED(fd, kevent_ctl(fd, KEVENT_CTL_REMOVE, 0, &ev),
			       EINVAL);
	ASSERT_ERRNO_UNCHANGED(fd, kevent_ctl(fd, KEVENT_CTL_MODIFY, 0, &ev),
			       EINVAL);
}

TEST_F(err, ctl_too_many)
{
	struct ukevent *ev;
	unsigned int k;

	ev = calloc(KEVENT_CTL_MAX + 1, sizeof(*ev));
	ASSERT_NE(NULL, ev);
	for (k = 0; k <= KEVENT_CTL_MAX; k++)
		ev[k] = kt_unotify(1000 + k, 0);
	ASSERT_ERRNO_UNCHANGED(self->fd, kevent_ctl(self->fd, KEVENT_CTL_ADD,
						    KEVENT_CTL_MAX + 1, ev),
			       E2BIG);
	ASSERT_ERRNO_UNCHANGED(self->fd, kevent_ctl(self->fd,
						    KEVENT_CTL_READY,
						    KEVENT_CTL_MAX + 1, ev),
			       E2BIG);
	free(ev);
}

/* A malformed entry anywhere fails the whole call: the valid entry in
 * front of it is not added either. */
static void bad_entry(struct __test_metadata *_metadata, int fd,
		      unsigned int cmd, struct ukevent bad, int err)
{
	static char what[128];
	struct ukevent ev[2];

	ev[0] = kt_unotify(50, 0);
	ev[1] = bad;

	snprintf(what, sizeof(what),
		 "cmd %u type %u event %#x req_flags %#x reserved %llu:", cmd,
		 bad.type, bad.event, bad.req_flags,
		 (unsigned long long)bad.__reserved);
	kt_case = what;
	ASSERT_ERRNO_UNCHANGED(fd, kevent_ctl(fd, cmd, 2, ev), err);
	ev[0] = bad;
	ASSERT_ERRNO_UNCHANGED(fd, kevent_ctl(fd, cmd, 1, ev), err);
}

TEST_F(err, ctl_bad_entries)
{
	static const unsigned int cmds[] = {
		KEVENT_CTL_ADD, KEVENT_CTL_REMOVE, KEVENT_CTL_MODIFY,
	};
	struct ukevent e;
	unsigned int k;

	for (k = 0; k < ARRAY_LEN(cmds); k++) {
		unsigned int cmd = cmds[k];

		e = kt_unotify(51, 0);
		e.__reserved = 1;
		bad_entry(_metadata, self->fd, cmd, e, EINVAL);
		e = kt_unotify(51, 0x08);	/* old LAST_CHECK */
		bad_entry(_metadata, self->fd, cmd, e, EINVAL);
		e = kt_unotify(51, 0x100);
		bad_entry(_metadata, self->fd, cmd, e, EINVAL);
		e = kt_unotify(51, 0x80000000u);
		bad_entry(_metadata, self->fd, cmd, e, EINVAL);
		e = kt_unotify(51, KEVENT_REQ_ONESHOT | KEVENT_REQ_ET);
		bad_entry(_metadata, self->fd, cmd, e, EINVAL);
		/* The mask only means something where it is applied. */
		if (cmd != KEVENT_CTL_REMOVE) {
			e = kt_unotify(51, 0);
			e.event = 0;
			bad_entry(_metadata, self->fd, cmd, e, EINVAL);
		}
		e = kt_ev(51, KEVENT_TYPE_MAX, 1, 0, 0);
		bad_entry(_metadata, self->fd, cmd, e, EINVAL);
		e = kt_ev(51, ~0u, 1, 0, 0);
		bad_entry(_metadata, self->fd, cmd, e, EINVAL);
	}
}

TEST_F(err, ctl_efault)
{
	long page = getpagesize();
	struct ukevent *ev;
	char *two;

	ASSERT_ERRNO_UNCHANGED(self->fd, kevent_ctl(self->fd, KEVENT_CTL_ADD,
						    1, self->bad), EFAULT);
	ASSERT_ERRNO_UNCHANGED(self->fd, kevent_ctl(self->fd,
						    KEVENT_CTL_READY, 1,
						    self->bad), EFAULT);

	/* First entry readable, second not: nothing is added. */
	two = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, two);
	ASSERT_EQ(0, mprotect(two + page, page, PROT_NONE));
	ev = (struct ukevent *)(two + page - sizeof(*ev));
	ev[0] = kt_unotify(60, 0);
	ASSERT_ERRNO_UNCHANGED(self->fd, kevent_ctl(self->fd, KEVENT_CTL_ADD,
						    2, ev), EFAULT);

	/* Readable but not writable for REMOVE's copy-back. */
	ev = (struct ukevent *)two;
	ev[0] = kt_unotify(3, 0);
	ASSERT_EQ(0, mprotect(two, page, PROT_READ));
	ASSERT_ERRNO_UNCHANGED(self->fd, kevent_ctl(self->fd,
						    KEVENT_CTL_REMOVE, 1, ev),
			       EFAULT);
	munmap(two, 2 * page);
}

TEST_F(err, ctl_per_entry_no_change)
{
	struct kevent_info b, a;
	struct ukevent ev[3];

	/* Per-entry failures change nothing but are not call errors. */
	ASSERT_EQ(0, kevent_info(self->fd, &b));
	ev[0] = kt_unotify(1, 0);
	ev[1] = kt_unotify(2, 0);
	ev[2] = kt_unotify(3, 0);
	ASSERT_EQ(3, kevent_ctl(self->fd, KEVENT_CTL_ADD, 3, ev));
	ASSERT_EQ(EEXIST, ev[0].ret_data[1]);
	ASSERT_EQ(EEXIST, ev[2].ret_data[1]);
	ev[0] = kt_unotify(70, 0);
	ev[1] = kt_unotify(71, 0);
	ASSERT_EQ(2, kevent_ctl(self->fd, KEVENT_CTL_REMOVE, 2, ev));
	ASSERT_EQ(ENOENT, ev[1].ret_data[1]);
	ASSERT_EQ(0, kevent_info(self->fd, &a));
	ASSERT_INFO_EQ(b, a);
}

static int wait_raw(int fd, __u32 num, __u32 old, __u32 flags, __u32 res,
		    long long sec, long long nsec)
{
	struct kevent_wait w = {
		.num = num, .old_uidx = old, .flags = flags,
		.__reserved = res,
		.timeout = { .tv_sec = sec, .tv_nsec = nsec },
	};

	return ioctl(fd, KEVENT_IOC_WAIT, &w);
}

TEST_F(err, wait_args)
{
	unsigned int c = kevent_ring_committed(self->r);
	unsigned int t = kevent_ring_tail(self->r);
	int fd = self->fd;

	ASSERT_EQ(1, wait_raw(fd, 1, c, 0, 0, 0, 0));
	ASSERT_ERRNO_UNCHANGED(fd, ioctl(fd, KEVENT_IOC_WAIT, self->bad),
			       EFAULT);
	ASSERT_ERRNO_UNCHANGED(fd, wait_raw(fd, 1, c, 0x4, 0, 0, 0), EINVAL);
	ASSERT_ERRNO_UNCHANGED(fd, wait_raw(fd, 1, c, 0x80000000u, 0, 0, 0),
			       EINVAL);
	ASSERT_ERRNO_UNCHANGED(fd, wait_raw(fd, 1, c, 0, 1, 0, 0), EINVAL);
	ASSERT_ERRNO_UNCHANGED(fd, wait_raw(fd, 9, c, 0, 0, 0, 0), EINVAL);
	ASSERT_ERRNO_UNCHANGED(fd, wait_raw(fd, 1, c, 0, 0, 0, 1000000000),
			       EINVAL);
	ASSERT_ERRNO_UNCHANGED(fd, wait_raw(fd, 1, c, 0, 0, 0, -1), EINVAL);
	ASSERT_ERRNO_UNCHANGED(fd, wait_raw(fd, 1, c - 1, 0, 0, 0, 0),
			       EINVAL);
	ASSERT_ERRNO_UNCHANGED(fd, wait_raw(fd, 1, t + 1, 0, 0, 0, 0),
			       EINVAL);
	ASSERT_ERRNO_UNCHANGED(fd, wait_raw(fd, 1, c + 0x80000000u, 0, 0, 0,
					    0), EINVAL);
}

TEST_F(err, commit_args)
{
	unsigned int c = kevent_ring_committed(self->r);
	unsigned int t = kevent_ring_tail(self->r);
	struct kevent_commit kc = { .new_uidx = t, .flags = 1 };
	int fd = self->fd;

	ASSERT_ERRNO_UNCHANGED(fd, ioctl(fd, KEVENT_IOC_COMMIT, self->bad),
			       EFAULT);
	ASSERT_ERRNO_UNCHANGED(fd, ioctl(fd, KEVENT_IOC_COMMIT, &kc), EINVAL);
	ASSERT_ERRNO_UNCHANGED(fd, kevent_commit(fd, t + 1, 0), EINVAL);
	ASSERT_ERRNO_UNCHANGED(fd, kevent_commit(fd, c - 1, 0), EINVAL);
	ASSERT_ERRNO_UNCHANGED(fd, kevent_commit(fd, c + 9, 0), EINVAL);
	ASSERT_ERRNO_UNCHANGED(fd, kevent_commit(fd, c - 8, 0), EINVAL);
	/* The consumer head does not make a commit valid. */
	kevent_ring_set_head(self->r, t + 1);
	ASSERT_ERRNO_UNCHANGED(fd, kevent_commit(fd, t + 1, 0), EINVAL);
	ASSERT_EQ(0, kevent_commit(fd, c, 0));
	ASSERT_EQ(1, kevent_commit(fd, t, 0));
}

static int get_raw(int fd, __u32 min, __u32 max, void *buf, __u32 flags,
		   __u32 res, long long nsec)
{
	struct kevent_get_events g = {
		.min_nr = min, .max_nr = max,
		.buf = (__u64)(unsigned long)buf,
		.flags = flags, .__reserved = res,
		.timeout = { .tv_sec = 0, .tv_nsec = nsec },
	};

	return ioctl(fd, KEVENT_IOC_GET_EVENTS, &g);
}

TEST_F(err, get_events_args)
{
	struct ukevent buf[4];
	int fd = self->fd;

	ASSERT_ERRNO_UNCHANGED(fd, ioctl(fd, KEVENT_IOC_GET_EVENTS,
					 self->bad), EFAULT);
	ASSERT_ERRNO_UNCHANGED(fd, get_raw(fd, 0, 0, buf, 0, 0, 0), EINVAL);
	ASSERT_ERRNO_UNCHANGED(fd, get_raw(fd, 2, 1, buf, 0, 0, 0), EINVAL);
	/* min_nr beyond the ring (8 slots) could never be met. */
	ASSERT_ERRNO_UNCHANGED(fd, get_raw(fd, 9, 9, NULL, 0, 0, 0), EINVAL);
	ASSERT_ERRNO_UNCHANGED(fd, get_raw(fd, 1, 4, buf, 0x4, 0, 0), EINVAL);
	ASSERT_ERRNO_UNCHANGED(fd, get_raw(fd, 1, 4, buf, 0, 1, 0), EINVAL);
	ASSERT_ERRNO_UNCHANGED(fd, get_raw(fd, 1, 4, buf, 0, 0, 1000000000),
			       EINVAL);
	ASSERT_ERRNO_UNCHANGED(fd, get_raw(fd, 1, 4, buf, 0, 0, -5), EINVAL);
	ASSERT_ERRNO_UNCHANGED(fd, get_raw(fd, 1, 4, self->bad, 0, 0, 0),
			       EFAULT);
	ASSERT_ERRNO_UNCHANGED(fd, get_raw(fd, 1, 4, NULL, 0, 0, 0), EFAULT);
	ASSERT_EQ(1, get_raw(fd, 1, 4, buf, 0, 0, 0));
	ASSERT_EQ(2, buf[0].id);
}

TEST_F(err, info_efault)
{
	ASSERT_ERRNO_UNCHANGED(self->fd, ioctl(self->fd, KEVENT_IOC_INFO,
					       self->bad), EFAULT);
}

TEST_HARNESS_MAIN
