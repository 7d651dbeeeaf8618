// SPDX-License-Identifier: GPL-2.0
/*
 * Races and lifetimes: many threads on the same queues while sources fire
 * from hardirq, softirq and process context and a storage is torn down
 * under them; fork with an open queue; a ring mapping that outlives close.
 *
 * Accounting: storages ACC_FIRST.. are fired but nobody else touches them,
 * and one WAKEUP_ALL level request waits on each in a queue of its own.
 * Every fire is either a delivery or folded by the documented rule into one
 * (a delivery still waiting, or a level re-queue after commit), and a
 * delivery reports the newest fire folded into it.  So the deliveries'
 * sequence numbers strictly increase, no more deliveries than fires are
 * seen, every time the source marked the request is a delivery, and the
 * newest fire always reaches userspace.
 *
 * Everything is bounded by a round count and a time limit.
 */
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "kevent_util.h"

#define CHAOS_STORAGES	4	/* 0..3: everyone's; 3 is torn down now and then */
#define ACC_FIRST	4	/* 4..6: accounting only */
#define ACC_NR		3
#define CHAOS_IDS	64
#define CHAOS_ROUNDS	60
#define CHAOS_SECONDS	60

struct chaos {
	volatile int stop;
	int fd;				/* the shared queue */
	struct kevent_ring *r;
	unsigned long ctl_calls, delivered, reopen;
};

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1103515245 + 12345;
	return *s >> 8;
}

static void *chaos_ctl(void *arg)
{
	struct chaos *c = arg;
	uint32_t seed = (uint32_t)(uintptr_t)&seed;
	struct ukevent ev[4];
	unsigned int i, n;

	while (!c->stop) {
		n = 1 + lcg(&seed) % 4;
		for (i = 0; i < n; i++) {
			__u64 id = 1 + lcg(&seed) % CHAOS_IDS;

			if (lcg(&seed) % 3)
				ev[i] = kt_test(id, lcg(&seed) % CHAOS_STORAGES,
						1 + lcg(&seed) % 7,
						lcg(&seed) % 2 ? KEVENT_REQ_ET : 0);
			else
				ev[i] = kt_unotify(id, lcg(&seed) % 2 ?
						   KEVENT_REQ_ONESHOT : 0);
			if (lcg(&seed) % 4 == 0)
				ev[i].req_flags |= KEVENT_REQ_WAKEUP_ALL;
		}
		/* Entries may fail one by one (EEXIST, ENOENT): fine. */
		kevent_ctl(c->fd, lcg(&seed) % 4, n, ev);
		__atomic_fetch_add(&c->ctl_calls, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void *chaos_consumer(void *arg)
{
	struct chaos *c = arg;
	struct timespec ts = kt_ms(10);
	struct ukevent out[64];
	int n;

	while (!c->stop) {
		kevent_wait(c->fd, 1, kevent_ring_committed(c->r), &ts, 0);
		n = kt_drain(c->r, out, ARRAY_LEN(out));
		if (n > 0)
			c->delivered += n;
	}
	return NULL;
}

/* Queues that come and go with requests attached to the same storages. */
static void *chaos_reopen(void *arg)
{
	struct chaos *c = arg;
	struct kevent_ring *r;
	struct ukevent ev[CHAOS_STORAGES];
	unsigned int i;
	int fd;

	while (!c->stop) {
		fd = kevent_init(&r, 4, 0);
		if (fd < 0)
			continue;
		for (i = 0; i < CHAOS_STORAGES; i++)
			ev[i] = kt_test(100 + i, i, 7, KEVENT_REQ_WAKEUP_ALL);
		kevent_ctl(fd, KEVENT_CTL_ADD, CHAOS_STORAGES, ev);
		kt_sleep_ms(2);
		/* Close with ready requests queued and the ring full. */
		kevent_close(r);
		c->reopen++;
	}
	return NULL;
}

static void *chaos_fini(void *arg)
{
	struct chaos *c = arg;

	while (!c->stop) {
		kt_fini(CHAOS_STORAGES - 1);
		kt_sleep_ms(20);
	}
	return NULL;
}

/* Per-storage "fired"/"marked" from kevent_test's stats. */
static int acc_stats(unsigned int st, unsigned long *fired,
		     unsigned long *marked)
{
	char buf[4096], key[32], *p;
	int err = kt_stats_text(buf, sizeof(buf));

	if (err)
		return err;
	snprintf(key, sizeof(key), "storage %u fired ", st);
	p = strstr(buf, key);
	if (!p || sscanf(p + strlen(key), "%lu marked %lu", fired, marked) != 2)
		return -EIO;
	return 0;
}

struct acc {
	__u64 last_seq[ACC_NR];		/* newest sequence number delivered */
	unsigned long delivered[ACC_NR];
	unsigned long coalesced[ACC_NR];
	unsigned long bad;
};

static int acc_take(struct acc *a, struct kevent_ring *r)
{
	struct ukevent out[32];
	int i, n = kt_drain(r, out, ARRAY_LEN(out));

	for (i = 0; i < n; i++) {
		unsigned int k = out[i].id - 1;

		if (k >= ACC_NR || (out[i].ret_flags & KEVENT_RET_BROKEN) ||
		    out[i].ret_data[0] <= a->last_seq[k]) {
			a->bad++;	/* a duplicate, or went backwards */
			continue;
		}
		a->last_seq[k] = out[i].ret_data[0];
		a->delivered[k]++;
		if (out[i].ret_flags & KEVENT_RET_COALESCED)
			a->coalesced[k]++;
	}
	return n;
}

TEST(fork_shares_queue)
{
	struct kevent_ring *r;
	struct ukevent ev = kt_unotify(7, 0), out[2];
	int fd, status;
	pid_t pid;

	fd = kevent_init(&r, 8, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, kt_ctl1(fd, KEVENT_CTL_ADD, &ev));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* The child has the same queue: its READY lands in our ring. */
		_exit(kt_ready(fd, 7, 42) == 1 ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ASSERT_EQ(1, kt_drain(r, out, 2));
	ASSERT_EQ(7, out[0].id);
	ASSERT_EQ(42, out[0].ret_data[1]);
	kevent_close(r);
}

TEST(mmap_outlives_close)
{
	struct kevent_ring *r;
	struct ukevent ev = kt_unotify(9, 0);
	const struct ukevent *e;
	int fd;

	fd = kevent_init(&r, 8, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, kt_ctl1(fd, KEVENT_CTL_ADD, &ev));
	ASSERT_EQ(1, kt_ready(fd, 9, 5));
	ASSERT_EQ(0, close(fd));
	/* The queue is gone; its pages are not, while they are mapped. */
	kt_sleep_ms(50);
	ASSERT_EQ(1, kevent_ring_tail(r));
	e = kevent_ring_entry(r, 0);
	ASSERT_EQ(9, e->id);
	ASSERT_EQ(5, e->ret_data[1]);
	kevent_ring_set_head(r, 1);
	kevent_ring_free(r);
}

/*
 * kevent_storage_fini() against the three ways a request is freed: REMOVE,
 * close, and the commit of its ONESHOT delivery.  Debug kernels hold fini's
 * window open for each request (KT_RACE_FINI), so the teardown lands in it
 * every time, and KASAN reports a request freed under fini.
 */
#define FINI_ST		7
#define FINI_REQS	4
#define FINI_WINDOW_US	200000

static void *fini_thread(void *arg)
{
	*(int *)arg = kt_pin_cpu(1) ? -ENXIO : kt_fini(FINI_ST);
	return NULL;
}

TEST(fini_races_teardown)
{
	static const char *const how[] = { "REMOVE", "close", "commit" };
	bool races = kt_has_races();
	unsigned int h, i;

	if (!kt_has_source() || kt_nr_storages() <= FINI_ST)
		SKIP(return, "kevent_test with %d storages needed", FINI_ST + 1);
	if (!races)
		TH_LOG("no race windows in this kernel: the race is left to chance");
	if (kt_pin_cpu(0) || sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "needs two CPUs");

	for (h = 0; h < ARRAY_LEN(how); h++) {
		__u32 flags = KEVENT_REQ_WAKEUP_ALL;
		struct ukevent ev[FINI_REQS];
		struct kevent_info info;
		struct kevent_ring *r;
		unsigned long hits;
		pthread_t t;
		int fd, err = -1;

		if (h == 2)
			flags |= KEVENT_REQ_ONESHOT;
		fd = kevent_init(&r, 8, 0);
		ASSERT_LE(0, fd);
		for (i = 0; i < FINI_REQS; i++)
			ev[i] = kt_test(1 + i, FINI_ST, 1, flags);
		ASSERT_EQ(0, kevent_ctl(fd, KEVENT_CTL_ADD, FINI_REQS, ev));
		/* Delivered, so that a commit frees the ONESHOT ones. */
		ASSERT_EQ(0, kt_fire(FINI_ST, 1, 1, "process", h));
		ASSERT_EQ(FINI_REQS, kt_unread(r));

		hits = kt_race_hits();
		if (races)
			ASSERT_EQ(0, kt_race(KT_RACE_FINI, FINI_WINDOW_US));
		ASSERT_EQ(0, pthread_create(&t, NULL, fini_thread, &err));
		/* Into the first request's window. */
		if (races) {
			ASSERT_TRUE(kt_race_entered(hits, 20000));
		} else {
			kt_sleep_ms(5);
		}
		switch (h) {
		case 0:
			ASSERT_EQ(FINI_REQS, kevent_ctl(fd, KEVENT_CTL_REMOVE,
							FINI_REQS, ev));
			for (i = 0; i < FINI_REQS; i++)
				ASSERT_EQ(KEVENT_RET_DONE, ev[i].ret_flags);
			break;
		case 1:
			ASSERT_EQ(0, kevent_close(r));
			break;
		case 2:
			kevent_ring_set_head(r, kevent_ring_tail(r));
			ASSERT_EQ(FINI_REQS, kevent_commit(fd, kevent_ring_tail(r),
							   0));
			break;
		}
		pthread_join(t, NULL);
		if (races)
			ASSERT_EQ(0, kt_race(0, 0));
		ASSERT_EQ(0, err) TH_LOG("fini: %s", strerror(-err));
		if (h == 1)
			continue;
		/* Every request is gone, and nothing counts it still. */
		ASSERT_EQ(0, kevent_info(fd, &info));
		ASSERT_EQ(0, info.requests) TH_LOG("after %s", how[h]);
		ASSERT_EQ(0, info.broken) TH_LOG("after %s", how[h]);
		ASSERT_EQ(0, info.backlog) TH_LOG("after %s", how[h]);
		ASSERT_EQ(0, kevent_close(r));
	}
}

FIXTURE(stress) {
	int unused;
};

FIXTURE_SETUP(stress)
{
}

FIXTURE_TEARDOWN(stress)
{
}

TEST_F_TIMEOUT(stress, chaos, 900)
{
	static const char *const ctx[] = { "hardirq", "softirq", "process" };
	pthread_t ctl[2], cons, reopen, fini;
	struct kevent_ring *ar;
	struct chaos c = { 0 };
	struct acc a = { 0 };
	struct ukevent ev[ACC_NR];
	unsigned long fired, marked, fired0[ACC_NR], marked0[ACC_NR];
	long long deadline;
	unsigned int i, round;
	int afd;

	if (!kt_has_source() || kt_nr_storages() < ACC_FIRST + ACC_NR)
		SKIP(return, "kevent_test with %d storages needed",
		     ACC_FIRST + ACC_NR);

	afd = kevent_init(&ar, 16, 0);
	ASSERT_LE(0, afd);
	for (i = 0; i < ACC_NR; i++) {
		ASSERT_EQ(0, acc_stats(ACC_FIRST + i, &fired0[i], &marked0[i]));
		ev[i] = kt_test(1 + i, ACC_FIRST + i, 1, KEVENT_REQ_WAKEUP_ALL);
	}
	ASSERT_EQ(0, kevent_ctl(afd, KEVENT_CTL_ADD, ACC_NR, ev));

	c.fd = kevent_init(&c.r, 32, 0);
	ASSERT_LE(0, c.fd);
	/* Debug kernels: teardown of storage 3 is slow, and races widely. */
	if (kt_has_races())
		ASSERT_EQ(0, kt_race(KT_RACE_FINI, 100));
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_create(&ctl[i], NULL, chaos_ctl, &c));
	ASSERT_EQ(0, pthread_create(&cons, NULL, chaos_consumer, &c));
	ASSERT_EQ(0, pthread_create(&reopen, NULL, chaos_reopen, &c));
	ASSERT_EQ(0, pthread_create(&fini, NULL, chaos_fini, &c));

	deadline = kt_now_ns() + CHAOS_SECONDS * 1000000000LL;
	for (round = 0; round < CHAOS_ROUNDS && kt_now_ns() < deadline; round++) {
		const char *where = ctx[round % 3];

		for (i = 0; i < CHAOS_STORAGES; i++)
			ASSERT_EQ(0, kt_fire(i, 7, 20, where, round));
		for (i = 0; i < ACC_NR; i++) {
			ASSERT_EQ(0, kt_fire(ACC_FIRST + i, 1, 1 + round % 5,
					     where, round));
			/* Sometimes read late, so that fires fold. */
			if (round % 2)
				acc_take(&a, ar);
		}
	}
	c.stop = 1;
	for (i = 0; i < 2; i++)
		pthread_join(ctl[i], NULL);
	pthread_join(cons, NULL);
	pthread_join(reopen, NULL);
	pthread_join(fini, NULL);
	if (kt_has_races())
		ASSERT_EQ(0, kt_race(0, 0));

	/* Drain: level re-queues come back once per commit, then stop. */
	for (i = 0; i < 100 && acc_take(&a, ar) > 0; i++)
		;
	ASSERT_EQ(0, acc_take(&a, ar));
	ASSERT_EQ(0, a.bad);
	for (i = 0; i < ACC_NR; i++) {
		ASSERT_EQ(0, acc_stats(ACC_FIRST + i, &fired, &marked));
		TH_LOG("storage %u: %lu fires, %lu marked, %lu delivered "
		       "(%lu coalesced)", ACC_FIRST + i, fired - fired0[i],
		       marked - marked0[i], a.delivered[i], a.coalesced[i]);
		ASSERT_LE(marked - marked0[i], a.delivered[i]);
		ASSERT_LE(a.delivered[i], fired - fired0[i]);
		/* The newest fire reached userspace. */
		ASSERT_EQ(fired, a.last_seq[i]);
	}
	TH_LOG("%u rounds, %lu ctl calls, %lu deliveries on the shared queue, "
	       "%lu queues opened and closed", round, c.ctl_calls, c.delivered,
	       c.reopen);
	ASSERT_LT(0, round);

	/* Still armed and consistent: one more fire, one delivery. */
	ASSERT_EQ(0, kt_fire(ACC_FIRST, 1, 1, "hardirq", 0));
	ASSERT_EQ(1, acc_take(&a, ar));
	ASSERT_EQ(0, a.bad);
	kevent_close(c.r);
	kevent_close(ar);
}

TEST_HARNESS_MAIN
