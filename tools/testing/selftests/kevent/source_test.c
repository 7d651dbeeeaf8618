// SPDX-License-Identifier: GPL-2.0
/*
 * The KEVENT_TEST_TYPE source: fires from process, softirq and hardirq context
 * while a thread consumes, storage fini, bad storages, bad fire input, and
 * closing a queue with requests still pending.  Storages 4-7.
 */
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "kevent_util.h"

FIXTURE(src) {
	struct kevent_ring *r;
	int fd;
};

FIXTURE_VARIANT(src) {
	const char *ctx;
};

FIXTURE_VARIANT_ADD(src, process) { .ctx = "process" };
FIXTURE_VARIANT_ADD(src, softirq) { .ctx = "softirq" };
FIXTURE_VARIANT_ADD(src, hardirq) { .ctx = "hardirq" };

FIXTURE_SETUP(src)
{
	ASSERT_TRUE(kt_has_source()) TH_LOG("kevent_test.ko not loaded");
	self->fd = kevent_init(&self->r, 8, 0);
	ASSERT_LE(0, self->fd) TH_LOG("kevent_init: %s", strerror(errno));
}

FIXTURE_TEARDOWN(src)
{
	kevent_close(self->r);
}

struct consumer {
	struct kevent_ring *r;
	volatile int stop;
	__u64 last_seq;
	__u64 last_value;
	int bad;		/* 1: wrong id, 2: seq went back, 3: errno */
	int err;
};

/* Blocks in KEVENT_IOC_WAIT, reads what came, commits, repeats. */
static void *consume_fn(void *p)
{
	struct consumer *c = p;
	struct timespec ts = kt_ms(50);
	unsigned int head, tail;
	int ret;

	while (!__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE)) {
		head = kevent_ring_committed(c->r);
		ret = kevent_wait(c->r->fd, 1, head, &ts, 0);
		if (ret < 0) {
			c->bad = 3;
			c->err = errno;
			break;
		}
		tail = kevent_ring_tail(c->r);
		for (; head != tail; head++) {
			const struct ukevent *e = kevent_ring_entry(c->r, head);

			if (e->id != 1 || e->type != KEVENT_TEST_TYPE)
				c->bad = 1;
			if (e->ret_data[0] < c->last_seq)
				c->bad = 2;
			c->last_seq = e->ret_data[0];
			__atomic_store_n(&c->last_value, e->ret_data[1],
					 __ATOMIC_RELAXED);
		}
		kevent_ring_set_head(c->r, tail);
		if (kevent_commit(c->r->fd, tail, 0) < 0) {
			c->bad = 3;
			c->err = errno;
			break;
		}
	}
	return NULL;
}

/*
 * Lock step: each fire wakes the blocked consumer, which must see exactly
 * that fire's value before the next one.
 */
TEST_F(src, fire_wakes_consumer)
{
	struct ukevent ev = kt_test(1, 4, 0x1, KEVENT_REQ_ET);
	struct consumer c = { .r = self->r };
	unsigned long f0, m0, f1, m1;
	pthread_t th;
	unsigned int k;
	int ms;

	ASSERT_EQ(0, kt_ctl1(self->fd, KEVENT_CTL_ADD, &ev));
	ASSERT_EQ(0, kt_stats(&f0, &m0));
	ASSERT_EQ(0, pthread_create(&th, NULL, consume_fn, &c));
	for (k = 1; k <= 20; k++) {
		ASSERT_EQ(0, kt_fire(4, 0x1, 1, variant->ctx, k));
		for (ms = 0; ms < 5000; ms++) {
			if (__atomic_load_n(&c.last_value, __ATOMIC_RELAXED) ==
			    k && kt_unread(self->r) == 0)
				break;
			kt_sleep_ms(1);
		}
		ASSERT_EQ(k, __atomic_load_n(&c.last_value, __ATOMIC_RELAXED));
		/* The consumer committed: the ET request is armed again. */
		ASSERT_EQ(0, kt_unread(self->r));
	}
	__atomic_store_n(&c.stop, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	ASSERT_EQ(0, c.bad) TH_LOG("bad %d errno %d", c.bad, c.err);
	ASSERT_EQ(0, kt_stats(&f1, &m1));
	ASSERT_EQ(20, f1 - f0);
	ASSERT_EQ(20, m1 - m0);
}

/* Many fires while the consumer runs: delivered in order, and the
 * request ends up armed again. */
TEST_F(src, burst_while_consuming)
{
	struct ukevent ev = kt_test(1, 5, 0x1, 0);
	struct consumer c = { .r = self->r };
	unsigned long f0, m0, f1, m1;
	pthread_t th;
	unsigned int k;
	int ms;

	ASSERT_EQ(0, kt_ctl1(self->fd, KEVENT_CTL_ADD, &ev));
	ASSERT_EQ(0, kt_stats(&f0, &m0));
	ASSERT_EQ(0, pthread_create(&th, NULL, consume_fn, &c));
	for (k = 0; k < 10; k++)
		ASSERT_EQ(0, kt_fire(5, 0x1, 20, variant->ctx, 5));
	/* Wait until the consumer caught up (a folded fire may be queued
	 * once more after a commit) ... */
	for (ms = 0, k = 0; ms < 5000 && k < 100; ms++) {
		k = kt_unread(self->r) ? 0 : k + 1;
		kt_sleep_ms(1);
	}
	ASSERT_EQ(100, k);
	ASSERT_EQ(5, __atomic_load_n(&c.last_value, __ATOMIC_RELAXED));
	/* ... then the request is armed: one more fire must arrive. */
	ASSERT_EQ(0, kt_fire(5, 0x1, 1, variant->ctx, 6));
	for (ms = 0; ms < 5000; ms++) {
		if (__atomic_load_n(&c.last_value, __ATOMIC_RELAXED) == 6 &&
		    kt_unread(self->r) == 0)
			break;
		kt_sleep_ms(1);
	}
	ASSERT_EQ(6, __atomic_load_n(&c.last_value, __ATOMIC_RELAXED));
	/* Let a possible (wrong) extra delivery show up. */
	kt_sleep_ms(50);
	__atomic_store_n(&c.stop, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	ASSERT_EQ(0, c.bad) TH_LOG("bad %d errno %d", c.bad, c.err);
	ASSERT_EQ(0, kt_stats(&f1, &m1));
	ASSERT_EQ(201, f1 - f0);
	ASSERT_LE(1, m1 - m0);
	ASSERT_GE(201, m1 - m0);
	ASSERT_EQ(0, kt_unread(self->r));
	ASSERT_LE(1, c.last_seq);
}

struct walk_fire {
	const char *ctx;
	int done;		/* __atomic: read by the test while we run */
	int err;
};

static void *walk_fire_fn(void *p)
{
	struct walk_fire *w = p;

	if (kt_pin_cpu(1))
		w->err = -EINVAL;
	else
		w->err = kt_fire(7, 0x1, 1, w->ctx, 1);
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * A fire walks the storage's requests without the storage lock: while one
 * is held in its walk, between finding a request and taking its queue's
 * lock, the request can be removed and its queue closed.  The fire then
 * finds it dead and leaves it, and its memory (and the queue's) is freed
 * only after the walk: KASAN on the debug kernels reports any use after
 * free.  The window is held open only there.
 */
TEST_F(src, remove_during_fire_walk)
{
	struct walk_fire w = { .ctx = variant->ctx };
	struct ukevent ev = kt_test(1, 7, 0x1, 0);
	unsigned long hits, f0, m0, f1, m1;
	pthread_t th;

	if (!kt_has_races())
		SKIP(return, "needs a kernel with CONFIG_KEVENT_DEBUG_RACES");
	if (kt_pin_cpu(0) || sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "needs two CPUs");
	ASSERT_EQ(0, kt_ctl1(self->fd, KEVENT_CTL_ADD, &ev));
	ASSERT_EQ(0, kt_stats(&f0, &m0));
	hits = kt_race_hits();
	ASSERT_EQ(0, kt_race(KT_RACE_WALK, 300000));
	ASSERT_EQ(0, pthread_create(&th, NULL, walk_fire_fn, &w));
	ASSERT_TRUE(kt_race_entered(hits, 20000));
	ASSERT_EQ(0, kt_race(0, 0));
	/* Removed and closed while the fire still holds the request. */
	ev = kt_test(1, 7, 0x1, 0);
	ASSERT_EQ(1, kt_ctl1(self->fd, KEVENT_CTL_REMOVE, &ev));
	ASSERT_EQ(KEVENT_RET_DONE, ev.ret_flags);
	kevent_close(self->r);
	self->r = NULL;
	ASSERT_EQ(0, __atomic_load_n(&w.done, __ATOMIC_ACQUIRE))
		TH_LOG("the fire left its walk before the removal: window too short");
	pthread_join(th, NULL);
	ASSERT_EQ(0, w.err);
	ASSERT_EQ(0, kt_stats(&f1, &m1));
	ASSERT_EQ(1, f1 - f0);
	ASSERT_EQ(0, m1 - m0) TH_LOG("a removed request was marked");
}

TEST_F(src, storage_fini_broken)
{
	struct ukevent ev[2];
	struct kevent_info i;
	unsigned int c, k;
	int found = 0;

	ev[0] = kt_test(1, 6, 0x1, 0);
	ev[1] = kt_test(2, 6, 0x2, KEVENT_REQ_ONESHOT);
	ASSERT_EQ(0, kevent_ctl(self->fd, KEVENT_CTL_ADD, 2, ev));
	c = kevent_ring_committed(self->r);
	ASSERT_EQ(0, kt_fini(6));
	ASSERT_EQ(2, kt_unread(self->r));
	for (k = 0; k < 2; k++) {
		const struct ukevent *e = kevent_ring_entry(self->r, c + k);

		ASSERT_EQ(KEVENT_RET_BROKEN, e->ret_flags & KEVENT_RET_BROKEN);
		ASSERT_EQ(ENODEV, e->ret_data[1]);
		found |= 1 << e->id;
	}
	ASSERT_EQ(6, found);
	ASSERT_EQ(0, kevent_info(self->fd, &i));
	ASSERT_EQ(2, i.broken);
	ASSERT_EQ(2, i.requests);

	/* Broken requests are freed when their slots are committed. */
	ASSERT_EQ(2, kevent_commit(self->fd, c + 2, 0));
	ASSERT_EQ(0, kevent_info(self->fd, &i));
	ASSERT_EQ(0, i.requests);
	ASSERT_EQ(0, i.broken);

	/* The storage was re-initialised empty and works again. */
	ASSERT_EQ(0, kt_fire(6, 0x1, 1, variant->ctx, 1));
	ASSERT_EQ(0, kt_unread(self->r));
	ev[0] = kt_test(1, 6, 0x1, 0);
	ASSERT_EQ(0, kt_ctl1(self->fd, KEVENT_CTL_ADD, ev));
	ASSERT_EQ(0, kt_fire(6, 0x1, 1, variant->ctx, 2));
	ASSERT_EQ(1, kt_unread(self->r));
	ASSERT_EQ(0, kevent_ring_entry(self->r, c + 2)->ret_flags &
		     KEVENT_RET_BROKEN);
}

TEST_F(src, bad_storage)
{
	struct ukevent ev[2];
	struct kevent_info b, a;

	ASSERT_EQ(0, kevent_info(self->fd, &b));
	ev[0] = kt_test(1, kt_nr_storages(), 0x1, 0);
	ev[1] = kt_test(2, ~0ULL, 0x1, 0);
	ASSERT_EQ(2, kevent_ctl(self->fd, KEVENT_CTL_ADD, 2, ev));
	ASSERT_EQ(KEVENT_RET_BROKEN, ev[0].ret_flags & KEVENT_RET_BROKEN);
	ASSERT_EQ(EINVAL, ev[0].ret_data[1]);
	ASSERT_EQ(KEVENT_RET_BROKEN, ev[1].ret_flags & KEVENT_RET_BROKEN);
	ASSERT_EQ(EINVAL, ev[1].ret_data[1]);
	ASSERT_EQ(0, kevent_info(self->fd, &a));
	ASSERT_INFO_EQ(b, a);
}

TEST_F(src, bad_fire_input)
{
	unsigned long f0, m0, f1, m1;

	ASSERT_EQ(0, kt_stats(&f0, &m0));
	ASSERT_EQ(-EINVAL, kt_write_file(KT_DIR "/fire", "%u 1 1 %s 0\n",
					 kt_nr_storages(), variant->ctx));
	ASSERT_EQ(-EINVAL, kt_write_file(KT_DIR "/fire", "4 1 1 nowhere 0\n"));
	ASSERT_EQ(-EINVAL, kt_write_file(KT_DIR "/fire", "garbage\n"));
	ASSERT_EQ(-EINVAL, kt_write_file(KT_DIR "/level", "%u 1\n",
					 kt_nr_storages()));
	ASSERT_EQ(-EINVAL, kt_write_file(KT_DIR "/fini", "%u\n",
					 kt_nr_storages()));
	ASSERT_EQ(0, kt_stats(&f1, &m1));
	ASSERT_EQ(f0, f1);
	ASSERT_EQ(m0, m1);
}

/* Close with requests attached, in the ring and in the backlog: all are
 * freed, and the source module is no longer pinned. */
TEST_F(src, close_pending)
{
	struct ukevent ev[16];
	unsigned long ref0 = 0, ref = 0;
	struct kevent_ring *r;
	unsigned int k;
	int fd, ms;
	__u32 tail;

	ASSERT_EQ(0, kt_read_ulong("/sys/module/kevent_test/refcnt", &ref0));
	fd = kevent_init(&r, 8, 0);
	ASSERT_LE(0, fd);
	for (k = 0; k < 16; k++)
		ev[k] = kt_test(k + 1, 7, 0x1, KEVENT_REQ_WAKEUP_ALL);
	ASSERT_EQ(0, kevent_ctl(fd, KEVENT_CTL_ADD, 16, ev));
	ev[0] = kt_test(100, 7, 0x2, 0);
	ASSERT_EQ(0, kevent_ctl(fd, KEVENT_CTL_ADD, 1, ev));
	ASSERT_EQ(0, kt_read_ulong("/sys/module/kevent_test/refcnt", &ref));
	ASSERT_LT(ref0, ref);
	ASSERT_EQ(0, kt_fire(7, 0x1, 1, variant->ctx, 1));
	ASSERT_EQ(8, kt_unread(r));

	/* Close the fd; the mappings keep the ring alive until unmapped. */
	ASSERT_EQ(0, close(fd));
	tail = kevent_ring_tail(r);
	ASSERT_EQ(8, tail - kevent_ring_committed(r));
	kevent_ring_free(r);

	for (ms = 0; ms < 3000; ms++) {
		ASSERT_EQ(0, kt_read_ulong("/sys/module/kevent_test/refcnt",
					   &ref));
		if (ref == ref0)
			break;
		kt_sleep_ms(1);
	}
	ASSERT_EQ(ref0, ref);
	/* Firing the storage now reaches nobody, and does not crash. */
	ASSERT_EQ(0, kt_fire(7, 0x3, 1, variant->ctx, 2));
}

/*
 * A request whose ->callback() failed is broken once: a storage fini after
 * it neither counts it again nor replaces its errno with ENODEV, whether
 * its delivery is in the ring or still in the backlog.
 */
TEST(broken_counted_once)
{
	struct ukevent ev[2] = { kt_unotify(1, 0), kt_test(2, 6, 1, 0) };
	const struct ukevent *e;
	struct kevent_info info;
	struct kevent_ring *r;
	unsigned int c, in_ring;
	int fd;

	ASSERT_TRUE(kt_has_source());
	for (in_ring = 0; in_ring < 2; in_ring++) {
		fd = kevent_init(&r, 1, 0);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, kevent_ctl(fd, KEVENT_CTL_ADD, 2, ev));
		c = kevent_ring_committed(r);
		/* A full ring keeps the broken delivery in the backlog. */
		if (!in_ring)
			ASSERT_EQ(1, kt_ready(fd, 1, 0));
		ASSERT_EQ(0, kt_callback_ret(6, -EIO));
		ASSERT_EQ(0, kt_fire(6, 1, 1, "process", 0));
		ASSERT_EQ(0, kt_callback_ret(6, 1));
		ASSERT_EQ(0, kevent_info(fd, &info));
		ASSERT_EQ(1, info.broken);
		ASSERT_EQ(!in_ring, info.backlog);

		ASSERT_EQ(0, kt_fini(6));
		ASSERT_EQ(0, kevent_info(fd, &info));
		ASSERT_EQ(1, info.broken) TH_LOG("counted again by fini");
		if (!in_ring) {
			kevent_ring_set_head(r, c + 1);
			ASSERT_EQ(1, kevent_commit(fd, c + 1, 0));
			c++;
		}
		e = kevent_ring_entry(r, c);
		ASSERT_EQ(2, e->id);
		ASSERT_EQ(KEVENT_RET_BROKEN, e->ret_flags & KEVENT_RET_BROKEN);
		ASSERT_EQ(EIO, e->ret_data[1]) TH_LOG("errno %llu",
			(unsigned long long)e->ret_data[1]);

		/* Committed, the broken request is gone, and so is its count. */
		kevent_ring_set_head(r, c + 1);
		ASSERT_EQ(1, kevent_commit(fd, c + 1, 0));
		ASSERT_EQ(0, kevent_info(fd, &info));
		ASSERT_EQ(0, info.broken);
		ASSERT_EQ(1, info.requests);
		ASSERT_EQ(0, kevent_close(r));
	}
}

/* KEVENT_TEST_TYPE is for root only (Documentation/security.rst). */
TEST(test_type_root_only)
{
	int status;
	pid_t pid;

	ASSERT_TRUE(kt_has_source());
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct ukevent ev = kt_test(1, 5, 1, 0);
		int fd;

		if (setgid(65534) || setuid(65534))
			_exit(10);
		fd = kevent_init(NULL, 8, 0);
		if (fd < 0)
			_exit(11);
		if (kt_ctl1(fd, KEVENT_CTL_ADD, &ev) != 1)
			_exit(12);	/* added */
		if (!(ev.ret_flags & KEVENT_RET_BROKEN) || ev.ret_data[1] != EPERM)
			_exit(13);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status)) TH_LOG("10: setuid, 11: init, "
		"12: a non-root ADD of KEVENT_TEST_TYPE succeeded, 13: wrong error");
}

TEST_HARNESS_MAIN
