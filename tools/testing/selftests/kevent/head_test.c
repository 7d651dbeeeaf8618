// SPDX-License-Identifier: GPL-2.0
/*
 * Head mode (KEVENT_INIT_HEAD_COMMITS): the sentences of <linux/kevent.h>,
 * THE RING.  Storing cons->head gives slots back with no system call; the
 * kernel takes the head back when an event finds the ring full or a
 * backlog, when it reaches a request whose entry lies before the head,
 * and in WAIT, GET_EVENTS, CTL, COMMIT, INFO and poll.  A head outside
 * [committed, tail] is ignored.
 *
 * Any kevent ioctl takes the head back, so a test that must show the fire
 * path doing it makes none between the head store and the fire: fires go
 * through kevent_test's debugfs files.  Storages 0-3.
 */
#include <poll.h>
#include <pthread.h>

#include "kselftest_harness.h"
#include "kevent_util.h"

FIXTURE(head) {
	struct kevent_ring *r;
	int fd;
};

/* The context the source fires from. */
FIXTURE_VARIANT(head) {
	const char *ctx;
};

FIXTURE_VARIANT_ADD(head, process) { .ctx = "process" };
FIXTURE_VARIANT_ADD(head, hardirq) { .ctx = "hardirq" };

FIXTURE_SETUP(head)
{
	ASSERT_TRUE(kt_has_source()) TH_LOG("kevent_test.ko not loaded");
	self->fd = kevent_init(&self->r, 8, KEVENT_INIT_HEAD_COMMITS);
	ASSERT_LE(0, self->fd) TH_LOG("kevent_init: %s", strerror(errno));
}

FIXTURE_TEARDOWN(head)
{
	kevent_close(self->r);
	kt_callback_ret(1, 1);
}

static int add1(int fd, struct ukevent ev)
{
	return kevent_ctl(fd, KEVENT_CTL_ADD, 1, &ev);
}

/* prod->committed: moves only when the kernel takes the head back. */
static unsigned int committed(struct kevent_ring *r)
{
	return kevent_ring_committed(r);
}

/* "kevent-requests:" of @fd's fdinfo, which takes nothing back; -1 if absent. */
static long fdinfo_requests(int fd)
{
	char path[64], line[128];
	long n = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "kevent-requests: %ld", &n) == 1)
			break;
	fclose(f);
	return n;
}

/*
 * Fill the 8-slot ring and one backlog place: nine WAKEUP_ALL level
 * requests (ids 1-9) on storage 0, one fire.
 */
static void fill_ring(struct __test_metadata *_metadata, int fd,
		      struct kevent_ring *r, const char *ctx)
{
	unsigned int k;

	for (k = 1; k <= 9; k++)
		ASSERT_EQ(0, add1(fd, kt_test(k, 0, 0x1,
					      KEVENT_REQ_WAKEUP_ALL)));
	ASSERT_EQ(0, kt_fire(0, 0x1, 1, ctx, 1));
	ASSERT_EQ(8, kevent_ring_tail(r) - committed(r));
	ASSERT_EQ(KEVENT_RING_F_BACKLOG,
		  kevent_ring_flags(r) & KEVENT_RING_F_BACKLOG);
}

/* KEVENT_IOC_INIT: flags 0 or KEVENT_INIT_HEAD_COMMITS, else EINVAL. */
TEST(init_flags)
{
	struct kevent_init in;
	struct kevent_ring *r;
	int fd;

	fd = open(KEVENT_DEVICE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	memset(&in, 0, sizeof(in));
	in.ring_entries = 8;
	in.flags = 0x2;
	ASSERT_EQ(-1, ioctl(fd, KEVENT_IOC_INIT, &in));
	ASSERT_EQ(EINVAL, errno);
	in.flags = KEVENT_INIT_HEAD_COMMITS | 0x80000000;
	ASSERT_EQ(-1, ioctl(fd, KEVENT_IOC_INIT, &in));
	ASSERT_EQ(EINVAL, errno);
	/* Nothing was created: a good INIT still works. */
	in.flags = KEVENT_INIT_HEAD_COMMITS;
	ASSERT_EQ(0, ioctl(fd, KEVENT_IOC_INIT, &in));
	ASSERT_EQ(-1, ioctl(fd, KEVENT_IOC_INIT, &in));
	ASSERT_EQ(EBUSY, errno);
	close(fd);

	/* The mode shows in prod->flags, and only in head mode. */
	fd = kevent_init(&r, 8, KEVENT_INIT_HEAD_COMMITS);
	ASSERT_LE(0, fd);
	ASSERT_EQ(KEVENT_RING_F_HEAD_COMMITS, kevent_ring_flags(r));
	kevent_close(r);
	fd = kevent_init(&r, 8, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, kevent_ring_flags(r));
	kevent_close(r);
}

/*
 * An event that finds the ring full takes the head back itself: the slots
 * before the head are reused, the backlog moves in first, and the flag
 * goes.  No kevent system call between the head store and the fire.
 */
TEST_F(head, full_ring_fire_takes_head)
{
	unsigned int c, t;
	const struct ukevent *e;

	ASSERT_EQ(0, add1(self->fd, kt_test(20, 1, 0x1, 0)));
	fill_ring(_metadata, self->fd, self->r, variant->ctx);
	c = committed(self->r);
	t = kevent_ring_tail(self->r);
	kevent_ring_set_head(self->r, t);
	/* Not taken back yet: only the head moved. */
	ASSERT_EQ(c, committed(self->r));

	ASSERT_EQ(0, kt_fire(1, 0x1, 1, variant->ctx, 77));
	ASSERT_EQ(t, committed(self->r));
	ASSERT_EQ(t + 2, kevent_ring_tail(self->r));
	ASSERT_EQ(0, kevent_ring_flags(self->r) & KEVENT_RING_F_BACKLOG);
	/* The backlog's request first, then the new one, in reused slots. */
	e = kevent_ring_entry(self->r, t);
	ASSERT_EQ(9, e->id);
	e = kevent_ring_entry(self->r, t + 1);
	ASSERT_EQ(20, e->id);
	ASSERT_EQ(77, e->ret_data[1]);
}

/*
 * A head outside [committed, tail] is ignored: nothing is given back, the
 * entries stay, and the event waits in the backlog.  A head that moves
 * back gives nothing back either.
 */
TEST_F(head, bad_head_ignored)
{
	struct ukevent copy[8];
	struct kevent_info i;
	unsigned int c, t, k;
	static const int off[] = { 1, 5, -1, -100, 0x40000000 };

	ASSERT_EQ(0, add1(self->fd, kt_test(20, 1, 0x1, 0)));
	fill_ring(_metadata, self->fd, self->r, variant->ctx);
	c = committed(self->r);
	t = kevent_ring_tail(self->r);
	for (k = 0; k < 8; k++)
		memcpy(&copy[k], kevent_ring_entry(self->r, c + k),
		       sizeof(copy[k]));

	for (k = 0; k < sizeof(off) / sizeof(off[0]); k++) {
		unsigned int h = off[k] > 0 ? t + off[k] : c + off[k];

		kevent_ring_set_head(self->r, h);
		ASSERT_EQ(0, kt_fire(1, 0x1, 1, variant->ctx, 100 + k));
		ASSERT_EQ(c, committed(self->r)) TH_LOG("head %+d taken", off[k]);
		ASSERT_EQ(t, kevent_ring_tail(self->r));
		ASSERT_EQ(0, memcmp(copy, kevent_ring_entry(self->r, c),
				    sizeof(copy)));
	}
	/* Every system call point ignores it too. */
	ASSERT_EQ(0, kevent_info(self->fd, &i));
	ASSERT_EQ(c, i.committed);
	ASSERT_EQ(2, i.backlog);
	ASSERT_EQ(8, kevent_wait(self->fd, 0, c, NULL, 0));

	/* A good head then gives it all back. */
	kevent_ring_set_head(self->r, t);
	ASSERT_EQ(2, kevent_wait(self->fd, 0, t, NULL, 0));
	ASSERT_EQ(t, committed(self->r));
}

/*
 * A request whose entry lies before the head counts as read: a later
 * event makes it ready again instead of being folded.  Edge: the second
 * fire comes back.  Without the head store it is folded away.
 */
TEST_F(head, edge_entry_read_rearms)
{
	const struct ukevent *e;
	unsigned int c;

	ASSERT_EQ(0, add1(self->fd, kt_test(1, 2, 0x1, KEVENT_REQ_ET)));
	c = committed(self->r);
	ASSERT_EQ(0, kt_fire(2, 0x1, 1, variant->ctx, 1));
	ASSERT_EQ(c + 1, kevent_ring_tail(self->r));
	/* Unread: folded, as in commit mode. */
	ASSERT_EQ(0, kt_fire(2, 0x1, 1, variant->ctx, 2));
	ASSERT_EQ(c + 1, kevent_ring_tail(self->r));
	kevent_ring_set_head(self->r, c + 1);
	ASSERT_EQ(0, kt_fire(2, 0x1, 1, variant->ctx, 3));
	ASSERT_EQ(c + 2, kevent_ring_tail(self->r));
	e = kevent_ring_entry(self->r, c + 1);
	ASSERT_EQ(1, e->id);
	ASSERT_EQ(3, e->ret_data[1]);
	ASSERT_EQ(0, e->ret_flags & KEVENT_RET_COALESCED);
}

/*
 * Level: a fire folded into an unread entry queues the request again when
 * its slot is given back.  Here the slot is given back by the head, and
 * the next fire finds it so: queued again, COALESCED, with what the folded
 * fire carried, as a commit would have queued it; that next fire is then
 * folded into the new delivery, and queues it once more when given back.
 */
TEST_F(head, level_missed_requeued_by_fire)
{
	const struct ukevent *e;
	unsigned int c;

	ASSERT_EQ(0, add1(self->fd, kt_test(1, 2, 0x1, 0)));
	c = committed(self->r);
	ASSERT_EQ(0, kt_fire(2, 0x1, 1, variant->ctx, 1));
	ASSERT_EQ(0, kt_fire(2, 0x1, 1, variant->ctx, 2));
	ASSERT_EQ(c + 1, kevent_ring_tail(self->r));
	kevent_ring_set_head(self->r, c + 1);
	ASSERT_EQ(0, kt_fire(2, 0x1, 1, variant->ctx, 3));
	ASSERT_EQ(c + 2, kevent_ring_tail(self->r));
	e = kevent_ring_entry(self->r, c + 1);
	ASSERT_EQ(1, e->id);
	ASSERT_EQ(KEVENT_RET_COALESCED, e->ret_flags & KEVENT_RET_COALESCED);
	ASSERT_EQ(2, e->ret_data[1]);
	/* One delivery pending, as after a commit: a fourth fire folds. */
	ASSERT_EQ(0, kt_fire(2, 0x1, 1, variant->ctx, 4));
	ASSERT_EQ(c + 2, kevent_ring_tail(self->r));
	/* Given back (a WAIT takes the head): the folded fires come back. */
	kevent_ring_set_head(self->r, c + 2);
	ASSERT_EQ(1, kevent_wait(self->fd, 0, c + 2, NULL, 0));
	e = kevent_ring_entry(self->r, c + 2);
	ASSERT_EQ(1, e->id);
	ASSERT_EQ(KEVENT_RET_COALESCED, e->ret_flags & KEVENT_RET_COALESCED);
	ASSERT_EQ(4, e->ret_data[1]);
	ASSERT_EQ(c + 3, kevent_ring_tail(self->r));
}

/*
 * Without WAKEUP_ALL a fire goes to the first matching request that is
 * not ready.  Request 1's entry is read (before the head): request 1 takes
 * the next fire again, not request 2.
 */
TEST_F(head, first_match_after_read)
{
	unsigned int c;

	ASSERT_EQ(0, add1(self->fd, kt_test(1, 3, 0x1, KEVENT_REQ_ET)));
	ASSERT_EQ(0, add1(self->fd, kt_test(2, 3, 0x1, KEVENT_REQ_ET)));
	c = committed(self->r);
	ASSERT_EQ(0, kt_fire(3, 0x1, 1, variant->ctx, 1));
	ASSERT_EQ(1, kevent_ring_entry(self->r, c)->id);
	kevent_ring_set_head(self->r, c + 1);
	ASSERT_EQ(0, kt_fire(3, 0x1, 1, variant->ctx, 2));
	ASSERT_EQ(c + 2, kevent_ring_tail(self->r));
	ASSERT_EQ(1, kevent_ring_entry(self->r, c + 1)->id);
	/* Unread now: the next fire goes to 2. */
	ASSERT_EQ(0, kt_fire(3, 0x1, 1, variant->ctx, 3));
	ASSERT_EQ(2, kevent_ring_entry(self->r, c + 2)->id);
}

/*
 * ONESHOT: given back by the head, the request is removed.  A fire that
 * finds its entry read does it, from any context: the removal itself runs
 * later (the reap work), and is seen here through fdinfo, which takes
 * nothing back.  Then the id is free, and REMOVE finds nothing.
 */
TEST_F(head, oneshot_removed_after_head)
{
	struct ukevent ev;
	unsigned int c;
	int ms;

	ASSERT_EQ(0, add1(self->fd, kt_test(1, 2, 0x1, KEVENT_REQ_ONESHOT)));
	c = committed(self->r);
	ASSERT_EQ(0, kt_fire(2, 0x1, 1, variant->ctx, 1));
	ASSERT_EQ(c + 1, kevent_ring_tail(self->r));
	ASSERT_EQ(1, fdinfo_requests(self->fd));
	kevent_ring_set_head(self->r, c + 1);
	/* No delivery for it any more. */
	ASSERT_EQ(0, kt_fire(2, 0x1, 1, variant->ctx, 2));
	ASSERT_EQ(c + 1, kevent_ring_tail(self->r));
	for (ms = 0; ms < 5000 && fdinfo_requests(self->fd); ms++)
		kt_sleep_ms(1);
	ASSERT_EQ(0, fdinfo_requests(self->fd));
	ev = kt_test(1, 2, 0x1, 0);
	ASSERT_EQ(1, kt_ctl1(self->fd, KEVENT_CTL_REMOVE, &ev));
	ASSERT_EQ(ENOENT, ev.ret_data[1]);
	ASSERT_EQ(0, add1(self->fd, kt_test(1, 2, 0x1, 0)));
}

/*
 * ONESHOT given back by the head alone, then at once a CTL on its id: the
 * CTL takes the head back first, so ADD of the id works and REMOVE finds
 * nothing, exactly as after a commit.
 */
TEST_F(head, ctl_takes_head_first)
{
	struct ukevent ev;
	unsigned int c;

	ASSERT_EQ(0, add1(self->fd, kt_unotify(5, KEVENT_REQ_ONESHOT)));
	ASSERT_EQ(0, add1(self->fd, kt_unotify(6, KEVENT_REQ_ONESHOT)));
	c = committed(self->r);
	ASSERT_EQ(1, kt_ready(self->fd, 5, 0));
	ASSERT_EQ(1, kt_ready(self->fd, 6, 0));
	kevent_ring_set_head(self->r, c + 2);
	ev = kt_unotify(5, 0);
	ASSERT_EQ(1, kt_ctl1(self->fd, KEVENT_CTL_REMOVE, &ev));
	ASSERT_EQ(ENOENT, ev.ret_data[1]);
	ASSERT_EQ(c + 2, committed(self->r));
	ASSERT_EQ(0, add1(self->fd, kt_unotify(6, 0)));
}

/* KEVENT_IOC_COMMIT still works, and its index is checked after the head. */
TEST_F(head, commit_still_works)
{
	unsigned int c;

	ASSERT_EQ(0, add1(self->fd, kt_unotify(1, 0)));
	ASSERT_EQ(0, add1(self->fd, kt_unotify(2, 0)));
	c = committed(self->r);
	ASSERT_EQ(1, kt_ready(self->fd, 1, 0));
	ASSERT_EQ(1, kt_ready(self->fd, 2, 0));
	ASSERT_EQ(1, kevent_commit(self->fd, c + 1, 0));
	ASSERT_EQ(c + 1, committed(self->r));
	/* The head gives the second back; an older index is then refused. */
	kevent_ring_set_head(self->r, c + 2);
	ASSERT_EQ(-1, kevent_commit(self->fd, c + 1, 0));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(c + 2, committed(self->r));
	ASSERT_EQ(0, kevent_commit(self->fd, c + 2, 0));
}

/* WAIT takes the head back before it checks old_uidx: the stored head is valid. */
TEST_F(head, wait_from_head)
{
	struct timespec zero = { 0 };
	unsigned int c;

	ASSERT_EQ(0, add1(self->fd, kt_unotify(1, 0)));
	c = committed(self->r);
	ASSERT_EQ(1, kt_ready(self->fd, 1, 0));
	kevent_ring_set_head(self->r, c + 1);
	ASSERT_EQ(0, kevent_wait(self->fd, 1, c + 1, &zero, 0));
	ASSERT_EQ(c + 1, committed(self->r));
	/* The old index lies before committed now. */
	ASSERT_EQ(-1, kevent_wait(self->fd, 0, c, &zero, 0));
	ASSERT_EQ(EINVAL, errno);
}

/*
 * poll takes the head back first: a full ring whose entries were read,
 * with a backlog, polls readable, and the backlog is in the ring after.
 */
TEST_F(head, poll_moves_backlog)
{
	struct pollfd p = { .fd = self->fd, .events = POLLIN };
	unsigned int t;

	fill_ring(_metadata, self->fd, self->r, variant->ctx);
	t = kevent_ring_tail(self->r);
	kevent_ring_set_head(self->r, t);
	ASSERT_EQ(1, poll(&p, 1, 0));
	ASSERT_EQ(POLLIN, p.revents);
	ASSERT_EQ(t + 1, kevent_ring_tail(self->r));
	ASSERT_EQ(9, kevent_ring_entry(self->r, t)->id);
	ASSERT_EQ(0, kevent_ring_flags(self->r) & KEVENT_RING_F_BACKLOG);
	/* Read that too: nothing left, not readable. */
	kevent_ring_set_head(self->r, t + 1);
	p.revents = 0;
	ASSERT_EQ(0, poll(&p, 1, 0));
}

/* The copy path in head mode copies and commits as in commit mode. */
TEST_F(head, get_events)
{
	struct ukevent out[8];
	struct timespec zero = { 0 };
	unsigned int c;

	ASSERT_EQ(0, add1(self->fd, kt_unotify(1, 0)));
	ASSERT_EQ(0, add1(self->fd, kt_unotify(2, 0)));
	c = committed(self->r);
	ASSERT_EQ(1, kt_ready(self->fd, 1, 10));
	ASSERT_EQ(1, kt_ready(self->fd, 2, 20));
	ASSERT_EQ(2, kevent_get_events(self->fd, 1, 8, &zero, out, 0));
	ASSERT_EQ(1, out[0].id);
	ASSERT_EQ(2, out[1].id);
	ASSERT_EQ(c + 2, committed(self->r));
}

static int count_fn(const struct ukevent *e, void *arg)
{
	if (e->id == 1)
		(*(unsigned int *)arg)++;
	return 0;
}

/*
 * libkevent's consume helper in head mode: the entries are given back by
 * the head store alone.  Any kevent system call would have taken the head
 * back and moved prod->committed, so it not moving shows there was none.
 */
TEST_F(head, consume_makes_no_syscall)
{
	unsigned int c, n = 0;

	ASSERT_EQ(0, add1(self->fd, kt_test(1, 2, 0x1, KEVENT_REQ_ET)));
	c = committed(self->r);
	ASSERT_EQ(0, kt_fire(2, 0x1, 1, variant->ctx, 1));
	ASSERT_EQ(1, kevent_ring_consume(self->r, ~0U, count_fn, &n));
	ASSERT_EQ(1, n);
	ASSERT_EQ(c + 1, self->r->cons->head);
	ASSERT_EQ(c, committed(self->r));
	ASSERT_EQ(0, kevent_ring_commit_claimed(self->r));
	ASSERT_EQ(c, committed(self->r));
	/* And the request is armed again for the next fire. */
	ASSERT_EQ(0, kt_fire(2, 0x1, 1, variant->ctx, 2));
	ASSERT_EQ(c + 2, kevent_ring_tail(self->r));
}

struct headc {
	struct kevent_ring *r;
	int stop;		/* __atomic */
	__u64 last;
	unsigned long seen;
	int bad;
	int err;
};

/* Reads, stores the head, and sleeps in WAIT only when there is nothing. */
static void *head_consumer(void *p)
{
	struct headc *c = p;
	struct timespec ts = kt_ms(20);
	unsigned int head = c->r->cons->head, tail;

	while (!__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE)) {
		tail = kevent_ring_tail(c->r);
		if (tail == head) {
			if (kevent_wait(c->r->fd, 1, head, &ts, 0) < 0) {
				c->bad = 3;
				c->err = errno;
				break;
			}
			continue;
		}
		for (; head != tail; head++) {
			const struct ukevent *e = kevent_ring_entry(c->r, head);

			if (e->id != 1 || e->type != KEVENT_TEST_TYPE)
				c->bad = 1;
			if (e->ret_data[0] < c->last)
				c->bad = 2;
			c->last = e->ret_data[0];
			c->seen++;
		}
		kevent_ring_set_head(c->r, head);
	}
	return NULL;
}

/*
 * Bursts of fires while a head-mode consumer reads and stores its head:
 * fires take the head back under the consumer's feet (the debug kernels'
 * KASAN, lockdep and KCSAN watch), deliveries stay in order, and at the
 * end the level request is armed: one more fire arrives.
 */
TEST_F(head, burst_vs_head_consumer)
{
	struct headc c = { .r = self->r };
	unsigned long seen;
	pthread_t th;
	unsigned int k;
	int ms;

	ASSERT_EQ(0, add1(self->fd, kt_test(1, 2, 0x1, 0)));
	ASSERT_EQ(0, pthread_create(&th, NULL, head_consumer, &c));
	for (k = 0; k < 20; k++)
		ASSERT_EQ(0, kt_fire(2, 0x1, 50, variant->ctx, k));
	/* Quiet: everything read, and the head taken back by a WAIT. */
	for (ms = 0; ms < 5000; ms++) {
		if (self->r->cons->head == kevent_ring_tail(self->r) &&
		    committed(self->r) == kevent_ring_tail(self->r))
			break;
		kt_sleep_ms(1);
	}
	ASSERT_EQ(kevent_ring_tail(self->r), committed(self->r));
	seen = __atomic_load_n(&c.seen, __ATOMIC_RELAXED);
	ASSERT_EQ(0, kt_fire(2, 0x1, 1, variant->ctx, 99));
	for (ms = 0; ms < 5000; ms++) {
		if (__atomic_load_n(&c.seen, __ATOMIC_RELAXED) > seen)
			break;
		kt_sleep_ms(1);
	}
	__atomic_store_n(&c.stop, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	ASSERT_EQ(0, c.bad) TH_LOG("bad %d errno %d", c.bad, c.err);
	ASSERT_LT(seen, c.seen);
	ASSERT_LE(1, seen);
}

TEST_HARNESS_MAIN
