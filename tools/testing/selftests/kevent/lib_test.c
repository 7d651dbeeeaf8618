// SPDX-License-Identifier: GPL-2.0
/*
 * libkevent's consume and claim helpers when someone else moved the
 * committed index: the copy path, a manual commit, a forked child, and
 * several claimer threads that wait from the shared cursor.
 */
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "kevent_util.h"

FIXTURE(lib) {
	struct kevent_ring *r;
	int fd;
};

FIXTURE_SETUP(lib)
{
	self->fd = kevent_init(&self->r, 8, 0);
	ASSERT_LE(0, self->fd) TH_LOG("kevent_init: %s", strerror(errno));
	ASSERT_EQ(8, self->r->entries);
}

FIXTURE_TEARDOWN(lib)
{
	kevent_close(self->r);
}

static int add_unotify(int fd, __u64 first, unsigned int n, __u32 flags)
{
	struct ukevent ev[64];
	unsigned int k;

	for (k = 0; k < n; k++)
		ev[k] = kt_unotify(first + k, flags);
	return kevent_ctl(fd, KEVENT_CTL_ADD, n, ev);
}

static int ready_range(int fd, __u64 first, unsigned int n)
{
	struct ukevent ev[64];
	unsigned int k;

	memset(ev, 0, sizeof(ev));
	for (k = 0; k < n; k++)
		ev[k].id = first + k;
	return kevent_ctl(fd, KEVENT_CTL_READY, n, ev);
}

/* What the consume callback was given. */
struct seen {
	unsigned int n;
	__u64 id[16];
};

static int record(const struct ukevent *ev, void *arg)
{
	struct seen *s = arg;

	if (s->n < ARRAY_LEN(s->id))
		s->id[s->n] = ev->id;
	s->n++;
	return 0;
}

/* kevent_get_events() committed two entries: consume must not see them. */
TEST_F(lib, consume_after_get_events)
{
	struct timespec now = kt_ms(0);
	struct ukevent buf[8];
	struct seen s = { 0 };

	ASSERT_EQ(0, add_unotify(self->fd, 1, 4, 0));
	ASSERT_EQ(2, ready_range(self->fd, 1, 2));
	ASSERT_EQ(2, kevent_get_events(self->fd, 1, 8, &now, buf, 0));

	ASSERT_EQ(0, kevent_ring_consume(self->r, 8, record, &s));
	ASSERT_EQ(0, s.n) TH_LOG("re-delivered id %llu, committed by GET_EVENTS",
				 (unsigned long long)s.id[0]);

	ASSERT_EQ(2, ready_range(self->fd, 3, 2));
	ASSERT_EQ(2, kevent_ring_consume(self->r, 8, record, &s));
	ASSERT_EQ(2, s.n);
	ASSERT_EQ(3, s.id[0]);
	ASSERT_EQ(4, s.id[1]);
	ASSERT_EQ(0, kt_unread(self->r));
}

/* The caller read and committed two entries itself, cursor untouched. */
TEST_F(lib, consume_after_commit)
{
	unsigned int c = kevent_ring_committed(self->r);
	struct seen s = { 0 };

	ASSERT_EQ(0, add_unotify(self->fd, 1, 4, 0));
	ASSERT_EQ(3, ready_range(self->fd, 1, 3));
	ASSERT_EQ(3, kt_unread(self->r));
	ASSERT_EQ(1, kevent_ring_entry(self->r, c)->id);
	ASSERT_EQ(2, kevent_ring_entry(self->r, c + 1)->id);
	kevent_ring_set_head(self->r, c + 2);
	ASSERT_EQ(2, kevent_commit(self->fd, c + 2, 0));

	ASSERT_EQ(1, kevent_ring_consume(self->r, 8, record, &s));
	ASSERT_EQ(1, s.n);
	ASSERT_EQ(3, s.id[0]) TH_LOG("id %llu was committed by the caller",
				     (unsigned long long)s.id[0]);

	ASSERT_EQ(1, ready_range(self->fd, 4, 1));
	ASSERT_EQ(1, kevent_ring_consume(self->r, 8, record, &s));
	ASSERT_EQ(2, s.n);
	ASSERT_EQ(4, s.id[1]);
	ASSERT_EQ(0, kt_unread(self->r));
}

/*
 * After fork both processes map the same ring, each with its own copy of
 * the handle.  The child consumes; the parent must not deliver it again.
 */
TEST_F(lib, fork_child_consumes)
{
	struct seen s = { 0 };
	int status;
	pid_t pid;

	ASSERT_EQ(0, add_unotify(self->fd, 1, 4, 0));
	ASSERT_EQ(3, ready_range(self->fd, 1, 3));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int n = kevent_ring_consume(self->r, 8, record, &s);

		_exit(n == 3 && s.n == 3 && s.id[0] == 1 && s.id[2] == 3 ?
		      0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ASSERT_EQ(0, kt_unread(self->r));

	ASSERT_EQ(0, kevent_ring_consume(self->r, 8, record, &s));
	ASSERT_EQ(0, s.n) TH_LOG("the parent re-delivered id %llu",
				 (unsigned long long)s.id[0]);

	ASSERT_EQ(1, ready_range(self->fd, 4, 1));
	ASSERT_EQ(1, kevent_ring_consume(self->r, 8, record, &s));
	ASSERT_EQ(1, s.n);
	ASSERT_EQ(4, s.id[0]);
}

/*
 * The claim helpers after kevent_get_events(): nothing committed is
 * claimed, and the cursor is a valid old_uidx for KEVENT_IOC_WAIT.
 */
TEST_F(lib, claim_after_get_events)
{
	unsigned int c = kevent_ring_committed(self->r), idx;
	struct timespec now = kt_ms(0);
	struct ukevent buf[8], ev;

	ASSERT_EQ(0, add_unotify(self->fd, 1, 4, 0));
	ASSERT_EQ(3, ready_range(self->fd, 1, 3));
	ASSERT_EQ(3, kevent_get_events(self->fd, 1, 8, &now, buf, 0));

	ev.id = 0;
	ASSERT_EQ(0, kevent_ring_claim(self->r, &idx, &ev))
		TH_LOG("claimed index %u, id %llu: committed by GET_EVENTS",
		       idx, (unsigned long long)ev.id);
	ASSERT_EQ(0, kevent_wait(self->fd, 0, self->r->cursor, &now, 0))
		TH_LOG("KEVENT_IOC_WAIT from the cursor: %s", strerror(errno));

	ASSERT_EQ(1, ready_range(self->fd, 4, 1));
	ASSERT_EQ(1, kevent_ring_claim(self->r, &idx, &ev));
	ASSERT_EQ(c + 3, idx);
	ASSERT_EQ(4, ev.id);
	ASSERT_EQ(0, kevent_ring_claim(self->r, &idx, &ev));
	ASSERT_EQ(1, kevent_ring_commit_claimed(self->r));
	ASSERT_EQ(0, kt_unread(self->r));
}

/*
 * Claimer threads that wait from the shared cursor (kevent_ring_wait())
 * and then claim a few entries, while the main thread feeds the queue with
 * ONESHOT requests, each delivered once.  Every request is claimed exactly
 * once and no wait fails, however the threads interleave: a wait often
 * starts while the others claim and commit.  (The cursor read and passed
 * to kevent_wait() gets EINVAL here about once in 7,000 events.)
 */
#define CT_THREADS	3
#define CT_IDS		(256 * 1024)	/* at most this many events */
#define CT_BATCH	64
#define CT_AHEAD	512		/* requests fed ahead of the claimers */
#define CT_CLAIMS	4		/* claims per wait */
#define CT_FEED_MS	3000

struct ct {
	struct kevent_ring *r;
	unsigned char *claims;		/* per id */
	unsigned long claimed, waits, einval, errors;
	int stop;
};

static void ct_inc(unsigned long *counter)
{
	__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

static void *ct_claimer(void *p)
{
	struct timespec ts = kt_ms(10);
	struct ct *c = p;
	struct ukevent ev;
	unsigned int idx, k;

	while (!__atomic_load_n(&c->stop, __ATOMIC_RELAXED)) {
		ct_inc(&c->waits);
		if (kevent_ring_wait(c->r, 1, &ts, 0) < 0)
			ct_inc(errno == EINVAL ? &c->einval : &c->errors);
		for (k = 0; k < CT_CLAIMS; k++) {
			if (!kevent_ring_claim(c->r, &idx, &ev))
				break;
			if (ev.id && ev.id < CT_IDS)
				__atomic_fetch_add(&c->claims[ev.id], 1,
						   __ATOMIC_RELAXED);
			else
				ct_inc(&c->errors);
			__atomic_fetch_add(&c->claimed, 1, __ATOMIC_RELEASE);
			if (kevent_ring_commit_claimed(c->r) < 0)
				ct_inc(&c->errors);
		}
	}
	return NULL;
}

TEST_F_TIMEOUT(lib, claim_threads_wait, 60)
{
	static struct ct c;
	pthread_t th[CT_THREADS];
	unsigned long fed = 0, dup = 0, lost = 0, k;
	long long end;
	unsigned int t;

	memset(&c, 0, sizeof(c));
	c.r = self->r;
	c.claims = calloc(CT_IDS, 1);
	ASSERT_NE(NULL, c.claims);
	for (t = 0; t < CT_THREADS; t++)
		ASSERT_EQ(0, pthread_create(&th[t], NULL, ct_claimer, &c));

	end = kt_now_ns() + CT_FEED_MS * 1000000LL;
	while (kt_now_ns() < end && fed + CT_BATCH < CT_IDS) {
		if (fed - __atomic_load_n(&c.claimed, __ATOMIC_ACQUIRE) >
		    CT_AHEAD) {
			sched_yield();
			continue;
		}
		ASSERT_EQ(0, add_unotify(self->fd, fed + 1, CT_BATCH,
					 KEVENT_REQ_ONESHOT));
		ASSERT_EQ(CT_BATCH, ready_range(self->fd, fed + 1, CT_BATCH));
		fed += CT_BATCH;
	}
	end = kt_now_ns() + 10000000000LL;
	while (__atomic_load_n(&c.claimed, __ATOMIC_ACQUIRE) < fed &&
	       kt_now_ns() < end)
		kt_sleep_ms(1);
	__atomic_store_n(&c.stop, 1, __ATOMIC_RELAXED);
	for (t = 0; t < CT_THREADS; t++)
		pthread_join(th[t], NULL);

	for (k = 1; k <= fed; k++) {
		dup += c.claims[k] > 1;
		lost += !c.claims[k];
	}
	free(c.claims);
	TH_LOG("%lu events, %lu waits, %lu EINVAL, %lu other errors",
	       fed, c.waits, c.einval, c.errors);
	ASSERT_EQ(0, c.einval);
	ASSERT_EQ(0, c.errors);
	ASSERT_EQ(0, dup);
	ASSERT_EQ(0, lost);
	ASSERT_EQ(fed, c.claimed);
	ASSERT_EQ(0, kt_unread(self->r));
}

TEST_HARNESS_MAIN
