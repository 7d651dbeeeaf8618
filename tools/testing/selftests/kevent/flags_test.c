// SPDX-License-Identifier: GPL-2.0
/*
 * Request flags: level (default), ET, ONESHOT, WAKEUP_ALL against
 * first-match, ALWAYS_QUEUE, and the COALESCED return flag.  Uses the
 * KEVENT_TEST_TYPE source on storages 0-3.  Each in both ring modes: slots
 * given back by KEVENT_IOC_COMMIT, or by the head store
 * (KEVENT_INIT_HEAD_COMMITS), taken back here by a WAIT for nothing.
 */
#include "kselftest_harness.h"
#include "kevent_util.h"

FIXTURE(flags) {
	struct kevent_ring *r;
	int fd;
};

FIXTURE_VARIANT(flags) {
	unsigned int init;	/* kevent_init() flags */
};

FIXTURE_VARIANT_ADD(flags, commit) { .init = 0 };
FIXTURE_VARIANT_ADD(flags, head) { .init = KEVENT_INIT_HEAD_COMMITS };

FIXTURE_SETUP(flags)
{
	ASSERT_TRUE(kt_has_source()) TH_LOG("kevent_test.ko not loaded");
	self->fd = kevent_init(&self->r, 8, variant->init);
	ASSERT_LE(0, self->fd) TH_LOG("kevent_init: %s", strerror(errno));
}

FIXTURE_TEARDOWN(flags)
{
	kevent_close(self->r);
	kt_level(2, 0);
	kt_callback_ret(1, 1);
}

static int add1(int fd, struct ukevent ev)
{
	return kevent_ctl(fd, KEVENT_CTL_ADD, 1, &ev);
}

/* Give every entry back; the number of slots given back, or -1. */
static int commit_all(struct kevent_ring *r, unsigned int init)
{
	unsigned int t = kevent_ring_tail(r), c = kevent_ring_committed(r);

	kevent_ring_set_head(r, t);
	if (!(init & KEVENT_INIT_HEAD_COMMITS))
		return kevent_commit(r->fd, t, 0);
	if (kevent_wait(r->fd, 0, t, NULL, 0) < 0)
		return -1;
	return t - c;
}

TEST_F(flags, level_requeues)
{
	const struct ukevent *e;
	unsigned int c;

	ASSERT_EQ(0, add1(self->fd, kt_test(1, 0, 0x1, 0)));
	c = kevent_ring_committed(self->r);
	ASSERT_EQ(0, kt_fire(0, 0x1, 1, "process", 11));
	ASSERT_EQ(1, kt_unread(self->r));
	e = kevent_ring_entry(self->r, c);
	ASSERT_EQ(1, e->id);
	ASSERT_EQ(KEVENT_TEST_TYPE, e->type);
	ASSERT_EQ(11, e->ret_data[1]);
	ASSERT_LE(1, e->ret_data[0]);

	/* Fired again while unread: still one slot ... */
	ASSERT_EQ(0, kt_fire(0, 0x1, 1, "process", 12));
	ASSERT_EQ(1, kt_unread(self->r));
	/* ... and queued again at once on commit. */
	ASSERT_EQ(1, commit_all(self->r, variant->init));
	ASSERT_EQ(1, kt_unread(self->r));
	ASSERT_EQ(1, kevent_ring_entry(self->r, c + 1)->id);
	ASSERT_EQ(1, commit_all(self->r, variant->init));
	ASSERT_EQ(0, kt_unread(self->r));

	/* Re-armed: the next fire delivers. */
	ASSERT_EQ(0, kt_fire(0, 0x1, 1, "process", 13));
	ASSERT_EQ(1, kt_unread(self->r));
	ASSERT_EQ(13, kevent_ring_entry(self->r, c + 2)->ret_data[1]);
}

TEST_F(flags, edge_no_requeue)
{
	unsigned int c;

	ASSERT_EQ(0, add1(self->fd, kt_test(1, 0, 0x1, KEVENT_REQ_ET)));
	c = kevent_ring_committed(self->r);
	ASSERT_EQ(0, kt_fire(0, 0x1, 1, "process", 1));
	ASSERT_EQ(0, kt_fire(0, 0x1, 1, "process", 2));
	ASSERT_EQ(1, kt_unread(self->r));
	ASSERT_EQ(1, commit_all(self->r, variant->init));
	ASSERT_EQ(0, kt_unread(self->r));
	/* Only a fire after the commit makes it ready again. */
	ASSERT_EQ(0, kt_fire(0, 0x1, 1, "process", 3));
	ASSERT_EQ(1, kt_unread(self->r));
	ASSERT_EQ(1, kevent_ring_entry(self->r, c + 1)->id);
	ASSERT_EQ(3, kevent_ring_entry(self->r, c + 1)->ret_data[1]);
}

TEST_F(flags, oneshot_removed_at_commit)
{
	struct kevent_info i;
	struct ukevent ev;

	ASSERT_EQ(0, add1(self->fd, kt_test(1, 0, 0x1, KEVENT_REQ_ONESHOT)));
	ASSERT_EQ(0, add1(self->fd, kt_unotify(2, KEVENT_REQ_ONESHOT)));
	ASSERT_EQ(0, kt_fire(0, 0x1, 2, "process", 1));
	ASSERT_EQ(1, kt_ready(self->fd, 2, 0));
	ASSERT_EQ(2, kt_unread(self->r));
	ASSERT_EQ(0, kevent_info(self->fd, &i));
	ASSERT_EQ(2, i.requests);
	ASSERT_EQ(2, commit_all(self->r, variant->init));
	ASSERT_EQ(0, kevent_info(self->fd, &i));
	ASSERT_EQ(0, i.requests);
	ASSERT_EQ(0, kt_unread(self->r));

	/* Gone: no delivery, and the id can be used again. */
	ASSERT_EQ(0, kt_fire(0, 0x1, 1, "process", 1));
	ASSERT_EQ(0, kt_unread(self->r));
	ev = kt_unotify(2, 0);
	ASSERT_EQ(1, kt_ctl1(self->fd, KEVENT_CTL_REMOVE, &ev));
	ASSERT_EQ(ENOENT, ev.ret_data[1]);
	ASSERT_EQ(0, add1(self->fd, kt_unotify(1, 0)));
}

/* Without WAKEUP_ALL a fire marks the first matching request that is not
 * ready already. */
TEST_F(flags, first_match)
{
	unsigned char seen[4] = { 0 };
	unsigned int c, k;

	for (k = 1; k <= 3; k++)
		ASSERT_EQ(0, add1(self->fd, kt_test(k, 1, 0x1, 0)));
	c = kevent_ring_committed(self->r);
	for (k = 1; k <= 3; k++) {
		ASSERT_EQ(0, kt_fire(1, 0x1, 1, "process", k));
		ASSERT_EQ(k, kt_unread(self->r));
	}
	for (k = 0; k < 3; k++) {
		const struct ukevent *e = kevent_ring_entry(self->r, c + k);

		ASSERT_LE(1, e->id);
		ASSERT_GE(3, e->id);
		ASSERT_EQ(0, seen[e->id]);
		seen[e->id] = 1;
		ASSERT_EQ(k + 1, e->ret_data[1]);
	}
	/* All three ready: a 4th fire adds no slot. */
	ASSERT_EQ(0, kt_fire(1, 0x1, 1, "process", 4));
	ASSERT_EQ(3, kt_unread(self->r));
}

TEST_F(flags, wakeup_all)
{
	unsigned char seen[4] = { 0 };
	unsigned int c, k;

	for (k = 1; k <= 3; k++)
		ASSERT_EQ(0, add1(self->fd, kt_test(k, 1, 0x1,
						    KEVENT_REQ_WAKEUP_ALL)));
	c = kevent_ring_committed(self->r);
	ASSERT_EQ(0, kt_fire(1, 0x1, 1, "process", 9));
	ASSERT_EQ(3, kt_unread(self->r));
	for (k = 0; k < 3; k++) {
		const struct ukevent *e = kevent_ring_entry(self->r, c + k);

		ASSERT_EQ(0, seen[e->id]);
		seen[e->id] = 1;
		ASSERT_EQ(9, e->ret_data[1]);
	}
}

/* A WAKEUP_ALL request is marked although a plain one took the fire. */
TEST_F(flags, wakeup_all_with_plain)
{
	unsigned int c, k, n, found = 0;

	ASSERT_EQ(0, add1(self->fd, kt_test(1, 1, 0x1, 0)));
	ASSERT_EQ(0, add1(self->fd, kt_test(2, 1, 0x1, KEVENT_REQ_WAKEUP_ALL)));
	c = kevent_ring_committed(self->r);
	ASSERT_EQ(0, kt_fire(1, 0x1, 1, "process", 9));
	/* Both: the WAKEUP_ALL one does not take the fire from the plain. */
	n = kt_unread(self->r);
	ASSERT_EQ(2, n);
	for (k = 0; k < n; k++)
		if (kevent_ring_entry(self->r, c + k)->id == 2)
			found++;
	ASSERT_EQ(1, found);
}

/*
 * A WAKEUP_ALL request that takes a fire has taken it: a level request that
 * was ready and unread is not queued again for that fire.
 */
TEST_F(flags, wakeup_all_taker_takes)
{
	const struct ukevent *e;
	unsigned int c;

	ASSERT_EQ(0, add1(self->fd, kt_test(1, 1, 0x1, 0)));
	c = kevent_ring_committed(self->r);
	ASSERT_EQ(0, kt_fire(1, 0x1, 1, "process", 1));
	ASSERT_EQ(1, kt_unread(self->r));
	ASSERT_EQ(0, add1(self->fd, kt_test(2, 1, 0x1, KEVENT_REQ_WAKEUP_ALL)));
	/* 1 is ready and unread, so 2 takes this one. */
	ASSERT_EQ(0, kt_fire(1, 0x1, 1, "process", 2));
	ASSERT_EQ(2, kt_unread(self->r));
	e = kevent_ring_entry(self->r, c + 1);
	ASSERT_EQ(2, e->id);
	ASSERT_EQ(2, e->ret_data[1]);
	ASSERT_EQ(2, commit_all(self->r, variant->init));
	ASSERT_EQ(0, kt_unread(self->r)) TH_LOG("request %llu queued again",
		(unsigned long long)kevent_ring_entry(self->r, c + 2)->id);
}

/*
 * A fire that reaches a ready, unread request is folded into it only if
 * the source's ->callback() says the request is ready for it.
 */
TEST_F(flags, fold_asks_callback)
{
	ASSERT_EQ(0, add1(self->fd, kt_test(1, 1, 0x1, 0)));
	ASSERT_EQ(0, kt_fire(1, 0x1, 1, "process", 1));
	ASSERT_EQ(1, kt_unread(self->r));
	ASSERT_EQ(0, kt_callback_ret(1, 0));
	ASSERT_EQ(0, kt_fire(1, 0x1, 1, "process", 2));
	ASSERT_EQ(0, kt_callback_ret(1, 1));
	ASSERT_EQ(1, commit_all(self->r, variant->init));
	ASSERT_EQ(0, kt_unread(self->r)) TH_LOG("a fire the source refused was folded");

	/* The same fire, accepted, is folded: the level request comes back. */
	ASSERT_EQ(0, kt_fire(1, 0x1, 1, "process", 3));
	ASSERT_EQ(0, kt_fire(1, 0x1, 1, "process", 4));
	ASSERT_EQ(1, commit_all(self->r, variant->init));
	ASSERT_EQ(1, kt_unread(self->r));
}

TEST_F(flags, event_mask)
{
	ASSERT_EQ(0, add1(self->fd, kt_test(1, 0, 0x1, 0)));
	ASSERT_EQ(0, kt_fire(0, 0x6, 1, "process", 1));
	ASSERT_EQ(0, kt_unread(self->r));
	ASSERT_EQ(0, kt_fire(0, 0x3, 1, "process", 2));
	ASSERT_EQ(1, kt_unread(self->r));
}

TEST_F(flags, ready_at_add_copy_back)
{
	struct ukevent ev[4];
	struct kevent_info i0, i;

	ASSERT_EQ(0, kt_level(2, 0x4));
	ASSERT_EQ(0, kevent_info(self->fd, &i0));

	ev[0] = kt_test(1, 2, 0x8, 0);			/* not ready */
	ev[1] = kt_test(2, 2, 0x4, 0);			/* ready at once */
	ev[2] = kt_test(3, kt_nr_storages(), 0x4, 0);	/* fails */
	ev[3] = kt_test(4, 2, 0x5, 0);			/* ready at once */
	ASSERT_EQ(3, kevent_ctl(self->fd, KEVENT_CTL_ADD, 4, ev));
	/* In array order, at the front. */
	ASSERT_EQ(2, ev[0].id);
	ASSERT_EQ(0, ev[0].ret_flags & KEVENT_RET_BROKEN);
	ASSERT_EQ(0, ev[0].ret_data[0]);
	ASSERT_EQ(0x4, ev[0].ret_data[1]);
	ASSERT_EQ(3, ev[1].id);
	ASSERT_EQ(KEVENT_RET_BROKEN, ev[1].ret_flags & KEVENT_RET_BROKEN);
	ASSERT_EQ(EINVAL, ev[1].ret_data[1]);
	ASSERT_EQ(4, ev[2].id);
	ASSERT_EQ(0x4, ev[2].ret_data[1]);

	/* Nothing went to the ring; the ready ones are registered. */
	ASSERT_EQ(0, kevent_info(self->fd, &i));
	ASSERT_EQ(i0.tail, i.tail);
	ASSERT_EQ(3, i.requests);
}

TEST_F(flags, always_queue)
{
	struct ukevent ev = kt_test(5, 2, 0x4, KEVENT_REQ_ALWAYS_QUEUE);
	const struct ukevent *e;
	unsigned int c = kevent_ring_committed(self->r);

	ASSERT_EQ(0, kt_level(2, 0x4));
	ASSERT_EQ(0, kt_ctl1(self->fd, KEVENT_CTL_ADD, &ev));
	ASSERT_EQ(1, kt_unread(self->r));
	e = kevent_ring_entry(self->r, c);
	ASSERT_EQ(5, e->id);
	ASSERT_EQ(0, e->ret_flags & KEVENT_RET_BROKEN);
	ASSERT_EQ(0, e->ret_data[0]);
	ASSERT_EQ(0x4, e->ret_data[1]);

	/* Not ready at ADD: ALWAYS_QUEUE changes nothing. */
	ev = kt_test(6, 2, 0x8, KEVENT_REQ_ALWAYS_QUEUE);
	ASSERT_EQ(0, kt_ctl1(self->fd, KEVENT_CTL_ADD, &ev));
	ASSERT_EQ(1, kt_unread(self->r));
}

/* Fill the ring so that the request waits in the backlog while its
 * source fires again: the fires fold into one delivery. */
TEST_F(flags, coalesced_unotify)
{
	struct ukevent ev[9];
	unsigned int k, c;
	const struct ukevent *e;

	for (k = 0; k < 9; k++)
		ev[k] = kt_unotify(k + 1, 0);
	ASSERT_EQ(0, kevent_ctl(self->fd, KEVENT_CTL_ADD, 9, ev));
	for (k = 1; k <= 8; k++)
		ASSERT_EQ(1, kt_ready(self->fd, k, 0));
	ASSERT_EQ(1, kt_ready(self->fd, 9, 10));
	ASSERT_EQ(1, kt_ready(self->fd, 9, 20));
	ASSERT_EQ(1, kt_ready(self->fd, 9, 30));
	c = kevent_ring_committed(self->r);
	for (k = 0; k < 8; k++) {
		e = kevent_ring_entry(self->r, c + k);
		ASSERT_EQ(0, e->ret_flags);
		ASSERT_EQ(1, e->ret_data[0]);
	}
	ASSERT_EQ(8, commit_all(self->r, variant->init));
	ASSERT_EQ(1, kt_unread(self->r));
	e = kevent_ring_entry(self->r, c + 8);
	ASSERT_EQ(9, e->id);
	ASSERT_EQ(KEVENT_RET_COALESCED, e->ret_flags);
	ASSERT_EQ(3, e->ret_data[0]);
	ASSERT_EQ(30, e->ret_data[1]);
}

TEST_F(flags, coalesced_source)
{
	struct ukevent ev[8];
	const struct ukevent *e;
	unsigned int k, c;
	__u64 s0;

	ASSERT_EQ(0, add1(self->fd, kt_test(100, 3, 0x1, 0)));
	c = kevent_ring_committed(self->r);
	ASSERT_EQ(0, kt_fire(3, 0x1, 1, "process", 1));
	ASSERT_EQ(1, kt_unread(self->r));
	e = kevent_ring_entry(self->r, c);
	ASSERT_EQ(0, e->ret_flags);
	s0 = e->ret_data[0];
	ASSERT_EQ(1, commit_all(self->r, variant->init));

	for (k = 0; k < 8; k++)
		ev[k] = kt_unotify(k + 1, 0);
	ASSERT_EQ(0, kevent_ctl(self->fd, KEVENT_CTL_ADD, 8, ev));
	for (k = 1; k <= 8; k++)
		ASSERT_EQ(1, kt_ready(self->fd, k, 0));
	ASSERT_EQ(0, kt_fire(3, 0x1, 3, "process", 77));
	ASSERT_EQ(8, kt_unread(self->r));
	ASSERT_EQ(8, commit_all(self->r, variant->init));
	ASSERT_EQ(1, kt_unread(self->r));
	e = kevent_ring_entry(self->r, c + 9);
	ASSERT_EQ(100, e->id);
	ASSERT_EQ(KEVENT_RET_COALESCED, e->ret_flags & KEVENT_RET_COALESCED);
	ASSERT_EQ(77, e->ret_data[1]);
	ASSERT_LT(s0, e->ret_data[0]);
	ASSERT_GE(s0 + 3, e->ret_data[0]);
}

TEST_HARNESS_MAIN
