// SPDX-License-Identifier: GPL-2.0
/*
 * KEVENT_IOC_CTL: ADD, REMOVE, MODIFY and READY, their copy-back and
 * per-entry errors; KEVENT_IOC_INFO.
 */
#include "kselftest_harness.h"
#include "kevent_util.h"

FIXTURE(ctl) {
	struct kevent_ring *r;
	int fd;
	struct kevent_info base;
};

FIXTURE_SETUP(ctl)
{
	self->fd = kevent_init(&self->r, 64, 0);
	ASSERT_LE(0, self->fd) TH_LOG("kevent_init: %s", strerror(errno));
	ASSERT_EQ(0, kevent_info(self->fd, &self->base));
}

FIXTURE_TEARDOWN(ctl)
{
	kevent_close(self->r);
}

TEST_F(ctl, info_initial)
{
	struct kevent_info *i = &self->base;
	unsigned int k;

	ASSERT_EQ(64, i->ring_entries);
	ASSERT_EQ(i->tail, i->committed);
	ASSERT_EQ(0, i->backlog);
	ASSERT_EQ(0, i->requests);
	ASSERT_EQ(0, i->broken);
	for (k = 0; k < ARRAY_LEN(i->__reserved); k++)
		ASSERT_EQ(0, i->__reserved[k]);
	ASSERT_EQ(63, self->r->prod->mask);
	ASSERT_EQ(i->tail, kevent_ring_tail(self->r));
	ASSERT_EQ(i->committed, kevent_ring_committed(self->r));
	ASSERT_EQ(0, kevent_ring_flags(self->r));
}

TEST_F(ctl, add_remove)
{
	struct ukevent ev[3], rm[2];
	struct kevent_info i;

	ev[0] = kt_unotify(1, 0);
	ev[1] = kt_unotify(2, 0);
	ev[2] = kt_unotify(3, 0);
	ASSERT_EQ(0, kevent_ctl(self->fd, KEVENT_CTL_ADD, 3, ev));
	ASSERT_EQ(0, kevent_info(self->fd, &i));
	ASSERT_EQ(3, i.requests);
	ASSERT_EQ(self->base.tail, i.tail);

	rm[0] = kt_unotify(2, 0);
	rm[1] = kt_unotify(99, 0);
	ASSERT_EQ(2, kevent_ctl(self->fd, KEVENT_CTL_REMOVE, 2, rm));
	ASSERT_EQ(2, rm[0].id);
	ASSERT_EQ(KEVENT_RET_DONE, rm[0].ret_flags);
	ASSERT_EQ(99, rm[1].id);
	ASSERT_EQ(KEVENT_RET_BROKEN, rm[1].ret_flags);
	ASSERT_EQ(ENOENT, rm[1].ret_data[1]);
	ASSERT_EQ(0, kevent_info(self->fd, &i));
	ASSERT_EQ(2, i.requests);

	/* Removed id is free again; the others are still there. */
	ev[0] = kt_unotify(2, 0);
	ASSERT_EQ(0, kevent_ctl(self->fd, KEVENT_CTL_ADD, 1, ev));
	rm[0] = kt_unotify(1, 0);
	rm[1] = kt_unotify(3, 0);
	ASSERT_EQ(2, kevent_ctl(self->fd, KEVENT_CTL_REMOVE, 2, rm));
	ASSERT_EQ(KEVENT_RET_DONE, rm[0].ret_flags);
	ASSERT_EQ(KEVENT_RET_DONE, rm[1].ret_flags);
	ASSERT_EQ(0, kevent_info(self->fd, &i));
	ASSERT_EQ(1, i.requests);
	ASSERT_EQ(self->base.tail, i.tail);
}

TEST_F(ctl, add_duplicate_id)
{
	struct ukevent ev[3];
	struct kevent_info i;

	ev[0] = kt_unotify(10, 0);
	ev[1] = kt_unotify(11, 0);
	ev[2] = kt_unotify(10, 0);
	ev[2].user = 0xabcdef;
	/* The failed entry is copied back to the front of the array. */
	ASSERT_EQ(1, kevent_ctl(self->fd, KEVENT_CTL_ADD, 3, ev));
	ASSERT_EQ(10, ev[0].id);
	ASSERT_EQ(0xabcdef, ev[0].user);
	ASSERT_EQ(KEVENT_RET_BROKEN, ev[0].ret_flags & KEVENT_RET_BROKEN);
	ASSERT_EQ(EEXIST, ev[0].ret_data[1]);
	ASSERT_EQ(0, kevent_info(self->fd, &i));
	ASSERT_EQ(2, i.requests);

	ev[0] = kt_unotify(11, 0);
	ASSERT_EQ(1, kevent_ctl(self->fd, KEVENT_CTL_ADD, 1, ev));
	ASSERT_EQ(KEVENT_RET_BROKEN, ev[0].ret_flags & KEVENT_RET_BROKEN);
	ASSERT_EQ(EEXIST, ev[0].ret_data[1]);
	ASSERT_EQ(0, kevent_info(self->fd, &i));
	ASSERT_EQ(2, i.requests);
	ASSERT_EQ(self->base.tail, i.tail);
}

TEST_F(ctl, ready_delivers)
{
	struct ukevent ev = kt_unotify(0xdeadbeefcafe0005ULL, 0);
	const struct ukevent *e;
	unsigned int tail;

	ev.user = 0x0123456789abcdefULL;
	ASSERT_EQ(0, kt_ctl1(self->fd, KEVENT_CTL_ADD, &ev));
	ASSERT_EQ(self->base.tail, kevent_ring_tail(self->r));

	memset(&ev, 0, sizeof(ev));
	ev.id = 0xdeadbeefcafe0005ULL;
	ev.type = KEVENT_UNOTIFY;
	ev.event = 1;
	ev.param = 42;
	ASSERT_EQ(1, kevent_ctl(self->fd, KEVENT_CTL_READY, 1, &ev));
	ASSERT_EQ(KEVENT_RET_DONE, ev.ret_flags);

	tail = kevent_ring_tail(self->r);
	ASSERT_EQ(self->base.tail + 1, tail);
	e = kevent_ring_entry(self->r, self->base.tail);
	ASSERT_EQ(0xdeadbeefcafe0005ULL, e->id);
	ASSERT_EQ(KEVENT_UNOTIFY, e->type);
	ASSERT_EQ(0x0123456789abcdefULL, e->user);
	ASSERT_EQ(0, e->ret_flags & (KEVENT_RET_BROKEN | KEVENT_RET_COALESCED));
	ASSERT_EQ(1, e->ret_data[0]);
	ASSERT_EQ(42, e->ret_data[1]);
	ASSERT_EQ(0, e->__reserved);

	/* COMMIT returns the number of slots released. */
	ASSERT_EQ(1, kevent_commit(self->fd, tail, 0));
	ASSERT_EQ(tail, kevent_ring_committed(self->r));
	/* Committing again at the same index releases nothing. */
	ASSERT_EQ(0, kevent_commit(self->fd, tail, 0));
}

TEST_F(ctl, ready_twice_one_slot)
{
	struct ukevent ev[2];
	struct kevent_info i;

	ev[0] = kt_unotify(7, 0);
	ASSERT_EQ(0, kt_ctl1(self->fd, KEVENT_CTL_ADD, ev));
	memset(ev, 0, sizeof(ev));
	ev[0].id = 7;
	ev[0].param = 1;
	ev[1].id = 7;
	ev[1].param = 2;
	ASSERT_EQ(2, kevent_ctl(self->fd, KEVENT_CTL_READY, 2, ev));
	ASSERT_EQ(KEVENT_RET_DONE, ev[0].ret_flags);
	ASSERT_EQ(KEVENT_RET_DONE, ev[1].ret_flags);
	/* A request occupies at most one slot at a time. */
	ASSERT_EQ(0, kevent_info(self->fd, &i));
	ASSERT_EQ(self->base.tail + 1, i.tail);
	ASSERT_EQ(1, kt_unread(self->r));
	ASSERT_EQ(7, kevent_ring_entry(self->r, self->base.tail)->id);
}

/* ret_data[0] counts the READYs folded into this delivery. */
/* ret_data[0] counts every READY since ADD, folded or not. */
TEST_F(ctl, unotify_count_since_add)
{
	struct ukevent ev = kt_unotify(3, 0);
	struct ukevent out[4];

	ASSERT_EQ(0, kt_ctl1(self->fd, KEVENT_CTL_ADD, &ev));
	ASSERT_EQ(1, kt_ready(self->fd, 3, 1));
	ASSERT_EQ(1, kt_drain(self->r, out, 4));
	ASSERT_EQ(1, out[0].ret_data[0]);
	ASSERT_EQ(1, out[0].ret_data[1]);
	ASSERT_EQ(1, kt_ready(self->fd, 3, 2));
	ASSERT_EQ(1, kt_drain(self->r, out, 4));
	ASSERT_EQ(2, out[0].ret_data[0]);
	ASSERT_EQ(2, out[0].ret_data[1]);
	ASSERT_EQ(0, out[0].ret_flags);
}

TEST_F(ctl, ready_errors)
{
	struct ukevent ev[2];
	struct kevent_info b, a;

	ASSERT_TRUE(kt_has_source());
	ev[0] = kt_test(1, 0, 1, 0);
	ASSERT_EQ(0, kt_ctl1(self->fd, KEVENT_CTL_ADD, ev));
	ASSERT_EQ(0, kevent_info(self->fd, &b));

	memset(ev, 0, sizeof(ev));
	ev[0].id = 1;		/* a KEVENT_TEST_TYPE request */
	ev[1].id = 2;		/* no such request */
	ASSERT_EQ(2, kevent_ctl(self->fd, KEVENT_CTL_READY, 2, ev));
	ASSERT_EQ(KEVENT_RET_BROKEN, ev[0].ret_flags);
	ASSERT_EQ(EINVAL, ev[0].ret_data[1]);
	ASSERT_EQ(KEVENT_RET_BROKEN, ev[1].ret_flags);
	ASSERT_EQ(ENOENT, ev[1].ret_data[1]);
	ASSERT_EQ(0, kevent_info(self->fd, &a));
	ASSERT_INFO_EQ(b, a);
}

TEST_F(ctl, ready_num0)
{
	struct ukevent ev = kt_unotify(1, 0);
	struct kevent_info b, a;

	ASSERT_EQ(0, kt_ctl1(self->fd, KEVENT_CTL_ADD, &ev));
	ASSERT_EQ(0, kevent_info(self->fd, &b));
	ASSERT_EQ(0, kevent_ctl(self->fd, KEVENT_CTL_READY, 0, NULL));
	ASSERT_EQ(0, kevent_info(self->fd, &a));
	ASSERT_INFO_EQ(b, a);
}

TEST_F(ctl, modify)
{
	struct ukevent ev;
	unsigned int t0;

	ASSERT_TRUE(kt_has_source());
	ev = kt_test(7, 0, 0x1, 0);
	ASSERT_EQ(0, kt_ctl1(self->fd, KEVENT_CTL_ADD, &ev));
	t0 = kevent_ring_tail(self->r);
	ASSERT_EQ(0, kt_fire(0, 0x2, 1, "process", 5));
	ASSERT_EQ(t0, kevent_ring_tail(self->r));

	ev = kt_test(7, 0, 0x2, 0);
	ASSERT_EQ(1, kt_ctl1(self->fd, KEVENT_CTL_MODIFY, &ev));
	ASSERT_EQ(KEVENT_RET_DONE, ev.ret_flags);
	ASSERT_EQ(0, kt_fire(0, 0x2, 1, "process", 6));
	ASSERT_EQ(t0 + 1, kevent_ring_tail(self->r));
	ASSERT_EQ(7, kevent_ring_entry(self->r, t0)->id);
	ASSERT_EQ(6, kevent_ring_entry(self->r, t0)->ret_data[1]);

	/* Type differs: EINVAL; unknown id: ENOENT; nothing changes. */
	ev = kt_unotify(7, 0);
	ASSERT_EQ(1, kt_ctl1(self->fd, KEVENT_CTL_MODIFY, &ev));
	ASSERT_EQ(KEVENT_RET_BROKEN, ev.ret_flags);
	ASSERT_EQ(EINVAL, ev.ret_data[1]);
	ev = kt_test(8, 0, 0x2, 0);
	ASSERT_EQ(1, kt_ctl1(self->fd, KEVENT_CTL_MODIFY, &ev));
	ASSERT_EQ(KEVENT_RET_BROKEN, ev.ret_flags);
	ASSERT_EQ(ENOENT, ev.ret_data[1]);
	ASSERT_EQ(t0 + 1, kevent_ring_tail(self->r));
}

TEST_F(ctl, queues_are_private)
{
	struct kevent_ring *r2;
	struct ukevent ev = kt_unotify(1, 0);
	struct kevent_info i;
	int fd2;

	fd2 = kevent_init(&r2, 8, 0);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, kt_ctl1(self->fd, KEVENT_CTL_ADD, &ev));
	ev = kt_unotify(1, 0);
	ASSERT_EQ(0, kt_ctl1(fd2, KEVENT_CTL_ADD, &ev));
	ASSERT_EQ(1, kt_ready(self->fd, 1, 3));
	ASSERT_EQ(1, kt_unread(self->r));
	ASSERT_EQ(0, kt_unread(r2));
	ASSERT_EQ(0, kevent_info(fd2, &i));
	ASSERT_EQ(1, i.requests);
	ASSERT_EQ(8, i.ring_entries);
	ASSERT_EQ(0, kevent_close(r2));
	/* Closing the other queue left this one alone. */
	ASSERT_EQ(0, kevent_info(self->fd, &i));
	ASSERT_EQ(1, i.requests);
	ASSERT_EQ(1, i.tail - i.committed);
}

TEST_HARNESS_MAIN
