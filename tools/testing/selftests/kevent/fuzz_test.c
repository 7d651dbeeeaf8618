// SPDX-License-Identifier: GPL-2.0
/*
 * Feed /dev/kevent randomized and malformed ioctls: at least a million
 * calls per run (KEVENT_FUZZ_ITERS), from a seed that is printed so that a
 * run can be replayed (KEVENT_FUZZ_SEED).  Random values are also written
 * into the user-writable consumer page.  Every call must end in a result or
 * an errno from the ABI's list, and the queue's indices must stay
 * consistent; the harness then checks dmesg (and, on the debug kernel,
 * KASAN, lockdep and kmemleak).  Between the calls, storages are torn down,
 * their ->callback() is made to fail or refuse, and the queue is closed
 * and opened again, so that teardown meets requests in every state.
 */
#include <inttypes.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "kevent_util.h"

#define FUZZ_ITERS	1000000UL
#define FUZZ_SEED	0x6b6576656e74ULL	/* "kevent" */
#define FUZZ_EVENTS	80

static uint64_t rng;

/* xorshift64*: small, fast, and the same sequence on every arch. */
static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static uint32_t rnd_below(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static bool one_in(uint32_t n)
{
	return rnd_below(n) == 0;
}

struct fuzz_state {
	struct kevent_ring *r;
	struct ukevent *good;		/* room for KEVENT_CTL_MAX + 1 */
	void *none;			/* PROT_NONE page */
	void *rdonly;			/* read-only page */
	char *edge;			/* last bytes before a PROT_NONE page */
	unsigned long calls, ok, errs[256];
};

static void *fuzz_ptr(struct fuzz_state *s, size_t len)
{
	switch (rnd_below(16)) {
	case 0:
		return NULL;
	case 1:
		return s->none;
	case 2:
		return s->rdonly;
	case 3:	/* straddles into the PROT_NONE page */
		return s->edge + getpagesize() - (len ? len / 2 + 1 : 1);
	case 4:
		return (void *)(uintptr_t)rnd();
	case 5:
		return (char *)s->good + 1;	/* misaligned */
	default:
		return s->good;
	}
}

static uint64_t fuzz_u64(void)
{
	switch (rnd_below(6)) {
	case 0:
		return 0;
	case 1:
		return rnd();
	case 2:
		return ~0ULL;
	default:
		return rnd_below(40);
	}
}

static void fuzz_fill(struct ukevent *ev, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		memset(&ev[i], 0, sizeof(ev[i]));
		ev[i].id = one_in(8) ? rnd() : rnd_below(48);
		ev[i].type = one_in(8) ? (uint32_t)rnd() : rnd_below(KEVENT_TYPE_MAX + 1);
		ev[i].event = one_in(8) ? 0 : (uint32_t)rnd() | 1;
		ev[i].req_flags = one_in(4) ? (uint32_t)rnd() :
			rnd_below(KEVENT_REQ_ALL + 1) & KEVENT_REQ_ALL;
		ev[i].ret_flags = (uint32_t)fuzz_u64();
		ev[i].param = one_in(4) ? fuzz_u64() : rnd_below(10);
		ev[i].user = rnd();
		ev[i].__reserved = one_in(16) ? rnd() : 0;
	}
}

static struct __kernel_timespec fuzz_timeout(void)
{
	struct __kernel_timespec ts = { 0, 0 };

	/* Never a wait that could block: zero, past or invalid. */
	switch (rnd_below(6)) {
	case 0:
		ts.tv_nsec = -1;
		break;
	case 1:
		ts.tv_nsec = 1000000000;
		break;
	case 2:
		ts.tv_sec = -1;
		break;
	}
	return ts;
}

/* KEVENT_TEST_TYPE sources: fire, tear down, fail or refuse; close and reopen. */
static int fuzz_source(struct fuzz_state *s)
{
	static const int cb_ret[] = { 1, 1, 0, -EIO, -ENOMEM };
	unsigned int st = rnd_below(4);
	int err;

	if (!kt_has_source())
		return 0;
	switch (rnd_below(16)) {
	case 0:
		err = kt_fini(st);
		break;
	case 1:
		err = kt_callback_ret(st, cb_ret[rnd_below(ARRAY_LEN(cb_ret))]);
		break;
	case 2:
		/*
		 * Requests of every kind go with the queue.  The new one is
		 * in head mode half the time, where the random heads of
		 * fuzz_one() give slots back.
		 */
		kevent_close(s->r);
		s->r = NULL;
		return kevent_init(&s->r, 16, one_in(2) ?
				   KEVENT_INIT_HEAD_COMMITS : 0) < 0 ? -1 : 0;
	default:
		err = kt_fire(st, (uint32_t)rnd(), 1 + rnd_below(4), "process",
			      rnd());
	}
	errno = -err;
	return err ? -1 : 0;
}

static int fuzz_one(struct fuzz_state *s)
{
	int fd = s->r->fd;
	unsigned int tail = kevent_ring_tail(s->r);
	union {
		struct kevent_ctl ctl;
		struct kevent_wait wait;
		struct kevent_commit commit;
		struct kevent_get_events get;
		struct kevent_init init;
		struct kevent_info info;
	} a;
	unsigned int n;

	memset(&a, 0, sizeof(a));
	switch (rnd_below(11)) {
	case 0: case 1: case 2:
		n = one_in(10) ? (uint32_t)fuzz_u64() : rnd_below(FUZZ_EVENTS + 1);
		fuzz_fill(s->good, n < FUZZ_EVENTS ? n : FUZZ_EVENTS);
		a.ctl.cmd = one_in(10) ? (uint32_t)rnd() : rnd_below(4);
		a.ctl.num = n;
		a.ctl.events = (uintptr_t)fuzz_ptr(s, n * sizeof(struct ukevent));
		a.ctl.flags = one_in(20) ? (uint32_t)rnd() : 0;
		a.ctl.__reserved = one_in(20) ? (uint32_t)rnd() : 0;
		return ioctl(fd, KEVENT_IOC_CTL, one_in(30) ? fuzz_ptr(s, 16) : &a.ctl);
	case 3:
		a.wait.num = one_in(4) ? 0 : rnd_below(40);
		a.wait.old_uidx = one_in(4) ? (uint32_t)rnd() : tail - rnd_below(20);
		a.wait.flags = one_in(8) ? (uint32_t)rnd() & ~KEVENT_FLAGS_INFINITE :
			rnd_below(2) * KEVENT_FLAGS_ABSTIME;
		a.wait.timeout = fuzz_timeout();
		a.wait.__reserved = one_in(20);
		return ioctl(fd, KEVENT_IOC_WAIT, &a.wait);
	case 4:
		a.commit.new_uidx = one_in(4) ? (uint32_t)rnd() : tail - rnd_below(20) + 3;
		a.commit.flags = one_in(20) ? (uint32_t)rnd() : 0;
		return ioctl(fd, KEVENT_IOC_COMMIT, one_in(30) ? fuzz_ptr(s, 8) : &a.commit);
	case 5:
		a.get.min_nr = 0;
		a.get.max_nr = one_in(8) ? (uint32_t)rnd() : rnd_below(FUZZ_EVENTS);
		a.get.buf = (uintptr_t)fuzz_ptr(s, a.get.max_nr * sizeof(struct ukevent));
		a.get.flags = rnd_below(2) * KEVENT_FLAGS_ABSTIME;
		a.get.timeout = fuzz_timeout();
		a.get.__reserved = one_in(20);
		return ioctl(fd, KEVENT_IOC_GET_EVENTS, &a.get);
	case 6:
		return ioctl(fd, KEVENT_IOC_INFO, fuzz_ptr(s, sizeof(a.info)));
	case 7:
		a.init.ring_entries = (uint32_t)fuzz_u64();
		return ioctl(fd, one_in(2) ? KEVENT_IOC_INIT : (unsigned long)rnd(),
			     &a.init);
	case 8:
		/* The consumer page is ours to scribble on. */
		s->r->cons->head = one_in(2) ? (uint32_t)rnd() : tail - rnd_below(4);
		return 0;
	case 9:
		/* Rare: a teardown waits for an RCU grace period. */
		return one_in(50) ? fuzz_source(s) : 0;
	default:
		return kt_ready(fd, rnd_below(48), rnd());
	}
}

static bool fuzz_errno_ok(int e)
{
	switch (e) {
	case EINVAL: case EFAULT: case E2BIG: case EBADFD: case EBUSY:
	case ENOTTY: case EOPNOTSUPP: case ENOSPC: case ENOENT: case EEXIST:
		return true;
	}
	return false;
}

FIXTURE(fuzz) {
	struct fuzz_state s;
};

FIXTURE_SETUP(fuzz)
{
	long pg = getpagesize();
	char *map;
	int fd;

	memset(&self->s, 0, sizeof(self->s));
	fd = kevent_init(&self->s.r, 16, 0);
	ASSERT_LE(0, fd);
	/*
	 * The kernel writes results back over whole batches, up to
	 * KEVENT_CTL_MAX of them, and to a misaligned pointer into this.
	 */
	self->s.good = calloc(KEVENT_CTL_MAX + 1, sizeof(struct ukevent));
	ASSERT_NE(NULL, self->s.good);
	/* none | rdonly | edge | none: edge's last bytes touch a hole. */
	map = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, mprotect(map, pg, PROT_NONE));
	ASSERT_EQ(0, mprotect(map + pg, pg, PROT_READ));
	ASSERT_EQ(0, mprotect(map + 3 * pg, pg, PROT_NONE));
	self->s.none = map;
	self->s.rdonly = map + pg;
	self->s.edge = map + 2 * pg;
}

FIXTURE_TEARDOWN(fuzz)
{
	unsigned int st;

	for (st = 0; st < 4; st++)
		kt_callback_ret(st, 1);
	if (self->s.r)
		kevent_close(self->s.r);
	free(self->s.good);
}

TEST_F_TIMEOUT(fuzz, ioctls, 1800)
{
	unsigned long iters = FUZZ_ITERS, i, bad = 0;
	const char *env;
	long long t0 = kt_now_ns();
	struct kevent_info info;
	uint64_t seed = FUZZ_SEED;
	int ret, e;

	env = getenv("KEVENT_FUZZ_SEED");
	if (env)
		seed = strtoull(env, NULL, 0);
	env = getenv("KEVENT_FUZZ_ITERS");
	if (env)
		iters = strtoul(env, NULL, 0);
	rng = seed ? seed : 1;
	TH_LOG("seed 0x%" PRIx64 ", %lu calls (replay: KEVENT_FUZZ_SEED=0x%"
	       PRIx64 ")", seed, iters, seed);

	for (i = 0; i < iters; i++) {
		errno = 0;
		ret = fuzz_one(&self->s);
		e = errno;
		ASSERT_NE(NULL, self->s.r) TH_LOG("reopen failed: %s", strerror(e));
		self->s.calls++;
		if (ret >= 0) {
			self->s.ok++;
		} else {
			self->s.errs[e & 0xff]++;
			if (!fuzz_errno_ok(e) && bad++ < 10)
				TH_LOG("call %lu: unexpected errno %d (%s)", i,
				       e, strerror(e));
		}
		if (i % 256 == 0) {
			ASSERT_EQ(0, kevent_info(self->s.r->fd, &info));
			ASSERT_LE(info.tail - info.committed, info.ring_entries);
			ASSERT_LE(info.backlog, info.requests);
			ASSERT_LE(info.broken, info.requests);
		}
	}
	TH_LOG("%lu calls in %.1f s: %lu succeeded, EINVAL %lu, EFAULT %lu, "
	       "E2BIG %lu, ENOENT %lu, EEXIST %lu, EOPNOTSUPP %lu, ENOTTY %lu",
	       self->s.calls, (kt_now_ns() - t0) / 1e9, self->s.ok,
	       self->s.errs[EINVAL], self->s.errs[EFAULT], self->s.errs[E2BIG],
	       self->s.errs[ENOENT], self->s.errs[EEXIST],
	       self->s.errs[EOPNOTSUPP], self->s.errs[ENOTTY]);
	ASSERT_EQ(0, bad);
	ASSERT_GE(self->s.calls, iters);
}

TEST_HARNESS_MAIN
