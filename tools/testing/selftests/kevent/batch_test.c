// SPDX-License-Identifier: GPL-2.0
/*
 * kevent_batch_begin(), kevent_batch_ready(), kevent_batch_end(): the
 * sentence of <linux/kevent.h> and Documentation/kevent.rst, "the fires
 * have exactly the effect of as many kevent_storage_ready_data() calls in
 * the same order".  Each scenario runs twice on fresh queues, once with
 * single fires and once with the same fires in batches (kevent_test's
 * batch file), and what the consumer sees must be the same: every entry,
 * in order, with its flags and data, and the number of requests marked.
 * Storages 0-3.
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kevent_util.h"

#define NR_ST		4	/* storages 0-3 */
#define NR_REQ		12	/* requests per scenario, over two queues */
#define NR_BATCH	6	/* batches per scenario */
#define BATCH_MAX	64	/* kevent_test's limit per batch */
#define LOG_MAX		1024
#define NR_SEED		8	/* scenarios */

FIXTURE(batch) {
	int unused;
};

/* The context the source fires from. */
FIXTURE_VARIANT(batch) {
	const char *ctx;
};

FIXTURE_VARIANT_ADD(batch, process) { .ctx = "process" };
FIXTURE_VARIANT_ADD(batch, hardirq) { .ctx = "hardirq" };

FIXTURE_SETUP(batch)
{
	ASSERT_TRUE(kt_has_source()) TH_LOG("kevent_test.ko not loaded");
}

FIXTURE_TEARDOWN(batch)
{
}

/* The sequence number storage @st's next fire will take, minus one. */
static long long storage_seq(unsigned int st)
{
	char buf[4096], key[32], *p;

	if (kt_stats_text(buf, sizeof(buf)))
		return -1;
	snprintf(key, sizeof(key), "storage %u fired ", st);
	p = strstr(buf, key);
	return p ? strtoll(p + strlen(key), NULL, 10) : -1;
}

/* Fire @nr storages @sts in one batch. */
static int kt_batch(const unsigned int *sts, unsigned int nr, __u32 event,
		    const char *ctx, __u64 value)
{
	char buf[512];
	size_t off;
	unsigned int i;

	off = snprintf(buf, sizeof(buf), "0x%x %llu %s", event,
		       (unsigned long long)value, ctx);
	for (i = 0; i < nr; i++)
		off += snprintf(buf + off, sizeof(buf) - off, " %u", sts[i]);
	return kt_write_file(KT_DIR "/batch", "%s\n", buf);
}

struct scenario {
	unsigned int head_mode;
	struct ukevent req[NR_REQ];
	unsigned int queue[NR_REQ];		/* 0 or 1 */
	__u32 event[NR_BATCH];
	unsigned int nr[NR_BATCH];
	unsigned int st[NR_BATCH][BATCH_MAX];
	unsigned int consume[NR_BATCH][2];	/* head mode: entries read after */
};

/* What the consumer saw: the entries in the order it read them. */
struct seen {
	struct ukevent e[LOG_MAX];
	unsigned int queue[LOG_MAX];
	unsigned int n;
	unsigned long marked;
};

static void make_scenario(struct scenario *s, unsigned int seed)
{
	static const __u32 flags[] = {
		0, KEVENT_REQ_ET, KEVENT_REQ_ONESHOT, KEVENT_REQ_WAKEUP_ALL,
		KEVENT_REQ_ET | KEVENT_REQ_WAKEUP_ALL,
	};
	unsigned int i, j;

	srandom(seed);
	memset(s, 0, sizeof(*s));
	s->head_mode = seed & 1;
	for (i = 0; i < NR_REQ; i++) {
		s->req[i] = kt_test(100 + i, random() % NR_ST,
				    1 + random() % 3,
				    flags[random() % ARRAY_LEN(flags)]);
		s->queue[i] = random() % 2;
	}
	for (i = 0; i < NR_BATCH; i++) {
		s->event[i] = 1 + random() % 3;
		s->nr[i] = 1 + random() % BATCH_MAX;
		for (j = 0; j < s->nr[i]; j++)
			s->st[i][j] = random() % NR_ST;
		s->consume[i][0] = random() % 6;
		s->consume[i][1] = random() % 6;
	}
}

static int log_entry(struct seen *w, unsigned int q, const struct ukevent *e,
		     const long long *base)
{
	if (w->n == LOG_MAX)
		return -1;
	w->e[w->n] = *e;
	/* Sequence numbers relative to the run's start, so runs compare. */
	if (e->type == KEVENT_TEST_TYPE && e->ret_data[0] &&
	    !(e->ret_flags & KEVENT_RET_BROKEN))
		w->e[w->n].ret_data[0] -= base[e->param];
	w->queue[w->n++] = q;
	return 0;
}

/* Log up to @max entries of queue @q from *@seen on; store the head. */
static int take(struct seen *w, struct kevent_ring *r, unsigned int q,
		unsigned int *seen, unsigned int max, const long long *base)
{
	unsigned int tail = kevent_ring_tail(r), n;

	for (n = 0; n < max && *seen != tail; n++, (*seen)++)
		if (log_entry(w, q, kevent_ring_entry(r, *seen), base))
			return -1;
	kevent_ring_set_head(r, *seen);
	return 0;
}

/*
 * Run @s with single fires (@batched 0) or batches, logging into @w.
 * Returns 0, or the line of the first failure.
 */
static int run(const struct scenario *s, int batched, const char *ctx,
	       struct seen *w)
{
	struct kevent_ring *r[2] = { NULL, NULL };
	unsigned int i, j, q, seen[2], n;
	unsigned long f0, m0, f1, m1;
	long long base[NR_ST];
	struct ukevent ev;
	int fail = 0;

	memset(w, 0, sizeof(*w));
	for (i = 0; i < NR_ST; i++) {
		base[i] = storage_seq(i);
		if (base[i] < 0)
			return __LINE__;
	}
	if (kt_stats(&f0, &m0))
		return __LINE__;
	for (q = 0; q < 2; q++) {
		if (kevent_init(&r[q], 8, s->head_mode ?
				KEVENT_INIT_HEAD_COMMITS : 0) < 0) {
			fail = __LINE__;
			goto out;
		}
		seen[q] = kevent_ring_committed(r[q]);
	}
	for (i = 0; i < NR_REQ; i++) {
		ev = s->req[i];
		if (kt_ctl1(r[s->queue[i]]->fd, KEVENT_CTL_ADD, &ev)) {
			fail = __LINE__;
			goto out;
		}
	}
	for (i = 0; i < NR_BATCH; i++) {
		if (batched) {
			if (kt_batch(s->st[i], s->nr[i], s->event[i], ctx, i)) {
				fail = __LINE__;
				goto out;
			}
		} else {
			for (j = 0; j < s->nr[i]; j++) {
				if (kt_fire(s->st[i][j], s->event[i], 1, ctx,
					    i)) {
					fail = __LINE__;
					goto out;
				}
			}
		}
		if (!s->head_mode)
			continue;
		/* Read a few entries and give them back by the head alone. */
		for (q = 0; q < 2; q++) {
			if (take(w, r[q], q, &seen[q], s->consume[i][q], base)) {
				fail = __LINE__;
				goto out;
			}
		}
	}
	/* Everything else, committing until nothing more comes. */
	for (n = 0; n < 8; n++) {
		for (q = 0; q < 2; q++) {
			if (take(w, r[q], q, &seen[q], ~0U, base) ||
			    kevent_commit(r[q]->fd, seen[q], 0) < 0) {
				fail = __LINE__;
				goto out;
			}
		}
	}
	if (kt_stats(&f1, &m1)) {
		fail = __LINE__;
		goto out;
	}
	w->marked = m1 - m0;
out:
	for (q = 0; q < 2; q++)
		if (r[q])
			kevent_close(r[q]);
	return fail;
}

static void dump(struct __test_metadata *_metadata, const char *what,
		 const struct seen *w, unsigned int i)
{
	const struct ukevent *e = &w->e[i];

	TH_LOG("%s entry %u: queue %u id %llu flags 0x%x data %llu %llu", what,
	       i, w->queue[i], (unsigned long long)e->id, e->ret_flags,
	       (unsigned long long)e->ret_data[0],
	       (unsigned long long)e->ret_data[1]);
}

/*
 * The seed's example, in one batch: two level requests for one event on one
 * storage, three fires, nobody reading.  The first fire takes the first
 * request, the second the other, the third finds both unread and is folded
 * into both: each comes back once more, COALESCED, when its slot is
 * committed, with the data of the fire folded into it.
 */
TEST_F(batch, first_unread_takes_it)
{
	struct kevent_ring *r;
	unsigned int sts[3] = { 0, 0, 0 };
	unsigned long f0, m0, f1, m1;
	struct ukevent ev[2], out[4];
	long long base = storage_seq(0);
	int i;

	ASSERT_LE(0, base);
	ASSERT_LE(0, kevent_init(&r, 8, 0));
	ev[0] = kt_test(1, 0, 0x1, 0);
	ev[1] = kt_test(2, 0, 0x1, 0);
	ASSERT_EQ(0, kevent_ctl(r->fd, KEVENT_CTL_ADD, 2, ev));
	ASSERT_EQ(0, kt_stats(&f0, &m0));
	ASSERT_EQ(0, kt_batch(sts, 3, 0x1, variant->ctx, 7));
	ASSERT_EQ(0, kt_stats(&f1, &m1));
	EXPECT_EQ(3, f1 - f0);
	EXPECT_EQ(2, m1 - m0);
	ASSERT_EQ(2, kt_drain(r, out, 4));
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(i + 1, out[i].id);
		EXPECT_EQ(0, out[i].ret_flags);
		EXPECT_EQ(base + 1 + i, out[i].ret_data[0]);
		EXPECT_EQ(7, out[i].ret_data[1]);
	}
	ASSERT_EQ(2, kt_drain(r, out, 4));
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(i + 1, out[i].id);
		EXPECT_EQ(KEVENT_RET_COALESCED, out[i].ret_flags);
		EXPECT_EQ(base + 3, out[i].ret_data[0]);
	}
	ASSERT_EQ(0, kt_drain(r, out, 4));
	kevent_close(r);
}

/*
 * Random requests, flags and fires: single fires and batches agree.  Some
 * 1,500 debugfs writes: minutes on the s390x debug kernel under TCG.
 */
TEST_F_TIMEOUT(batch, same_as_single_fires, 600)
{
	static struct scenario s;
	static struct seen one, many;
	unsigned int seed, i, total = 0;
	int line;

	for (seed = 1; seed <= NR_SEED; seed++) {
		make_scenario(&s, seed);
		line = run(&s, 0, variant->ctx, &one);
		ASSERT_EQ(0, line) TH_LOG("seed %u, single fires: line %d: %s",
					  seed, line, strerror(errno));
		line = run(&s, 1, variant->ctx, &many);
		ASSERT_EQ(0, line) TH_LOG("seed %u, batches: line %d: %s",
					  seed, line, strerror(errno));
		ASSERT_EQ(one.marked, many.marked) TH_LOG("seed %u", seed);
		ASSERT_EQ(one.n, many.n) TH_LOG("seed %u", seed);
		for (i = 0; i < one.n; i++) {
			if (one.queue[i] == many.queue[i] &&
			    !memcmp(&one.e[i], &many.e[i], sizeof(one.e[i])))
				continue;
			dump(_metadata, "single", &one, i);
			dump(_metadata, "batch", &many, i);
			ASSERT_TRUE(0) TH_LOG("seed %u: entry %u differs",
					      seed, i);
		}
		total += one.n;
	}
	/* The scenarios did deliver: a comparison of nothing proves nothing. */
	ASSERT_LT(NR_SEED * 4, total);
}

struct waiter {
	struct kevent_ring *r;
	pid_t tid;
	int ret;
	int err;
};

static void *wait_fn(void *p)
{
	struct waiter *w = p;
	struct timespec ts = kt_ms(60000);

	__atomic_store_n(&w->tid, (pid_t)syscall(SYS_gettid), __ATOMIC_RELEASE);
	w->ret = kevent_wait(w->r->fd, 1, kevent_ring_committed(w->r), &ts, 0);
	w->err = errno;
	return NULL;
}

/* Is thread @tid of this process asleep ("S" in its stat)? */
static int asleep(pid_t tid)
{
	char path[64], buf[256], *p;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] == 'S';
}

/*
 * A batch wakes a consumer asleep in WAIT: its fires reach the queue, the
 * batch moves on to another storage's request of the same queue, and the
 * wakeup comes when the batch lets the queue go.  Not woken, the waiter
 * would sleep for its whole minute.
 */
TEST_F(batch, wakes_the_waiter)
{
	unsigned int sts[4] = { 1, 1, 2, 1 };
	struct waiter w = { .ret = -2 };
	struct ukevent ev[2];
	long long t0;
	pthread_t th;
	pid_t tid;
	int i;

	ASSERT_LE(0, kevent_init(&w.r, 8, 0));
	ev[0] = kt_test(1, 1, 0x1, KEVENT_REQ_WAKEUP_ALL);
	ev[1] = kt_test(2, 2, 0x1, 0);
	ASSERT_EQ(0, kevent_ctl(w.r->fd, KEVENT_CTL_ADD, 2, ev));
	ASSERT_EQ(0, pthread_create(&th, NULL, wait_fn, &w));
	for (i = 0; i < 500; i++) {
		tid = __atomic_load_n(&w.tid, __ATOMIC_ACQUIRE);
		if (tid && asleep(tid))
			break;
		kt_sleep_ms(20);
	}
	ASSERT_GT(500, i) TH_LOG("the waiter never slept");
	t0 = kt_now_ns();
	ASSERT_EQ(0, kt_batch(sts, 4, 0x1, variant->ctx, 1));
	pthread_join(th, NULL);
	ASSERT_LE(1, w.ret) TH_LOG("kevent_wait: %d, %s", w.ret,
				   strerror(w.err));
	/* A minute's timeout against a wakeup: no timing is read finer. */
	EXPECT_GT(30000000000LL, kt_now_ns() - t0);
	EXPECT_EQ(2, kt_unread(w.r));
	kevent_close(w.r);
}

/* Bad commands to the batch file change nothing. */
TEST_F(batch, bad_commands)
{
	unsigned long f0, m0, f1, m1;
	unsigned int sts[BATCH_MAX + 1] = { 0 };

	ASSERT_EQ(0, kt_stats(&f0, &m0));
	EXPECT_EQ(-EINVAL, kt_batch(sts, 0, 0x1, variant->ctx, 0));
	EXPECT_EQ(-EINVAL, kt_batch(sts, BATCH_MAX + 1, 0x1, variant->ctx, 0));
	sts[1] = kt_nr_storages();
	EXPECT_EQ(-EINVAL, kt_batch(sts, 2, 0x1, variant->ctx, 0));
	EXPECT_EQ(-EINVAL, kt_batch(sts, 1, 0x1, "softirq", 0));
	ASSERT_EQ(0, kt_stats(&f1, &m1));
	EXPECT_EQ(f0, f1);
	EXPECT_EQ(m0, m1);
}

TEST_HARNESS_MAIN
