// SPDX-License-Identifier: GPL-2.0
/*
 * The mapped ring: geometry, mmap rules, wrap-around, and the backlog when
 * the ring is full.
 */
#include <poll.h>

#include "kselftest_harness.h"
#include "kevent_util.h"

TEST(init_geometry)
{
	struct kevent_init ki;
	struct kevent_ring_prod *prod;
	long page = getpagesize();
	void *p;
	int fd;

	fd = open(KEVENT_DEVICE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	memset(&ki, 0, sizeof(ki));
	ki.ring_entries = 5;
	ASSERT_EQ(0, ioctl(fd, KEVENT_IOC_INIT, &ki));
	ASSERT_EQ(8, ki.ring_entries);
	ASSERT_EQ(sizeof(struct ukevent), ki.entry_size);
	ASSERT_EQ(0, ki.cons_off % page);
	ASSERT_EQ(0, ki.prod_off % page);
	ASSERT_NE(ki.cons_off, ki.prod_off);
	ASSERT_LE(sizeof(struct kevent_ring_cons), ki.cons_len);
	ASSERT_LE(page, ki.entries_off);
	ASSERT_LE(ki.entries_off + 8 * sizeof(struct ukevent), ki.prod_len);

	p = mmap(NULL, ki.prod_len, PROT_READ, MAP_SHARED, fd, ki.prod_off);
	ASSERT_NE(MAP_FAILED, p);
	prod = p;
	ASSERT_EQ(7, prod->mask);
	ASSERT_EQ(prod->tail, prod->committed);
	ASSERT_EQ(0, prod->flags);
	ASSERT_EQ(0, munmap(p, ki.prod_len));
	close(fd);
}

TEST(mmap_rules)
{
	struct kevent_init ki;
	long page = getpagesize();
	__u64 bad;
	void *p;
	int fd;

	fd = open(KEVENT_DEVICE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);

	/* Before INIT there is nothing to map. */
	p = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_EQ(MAP_FAILED, p);
	ASSERT_EQ(EBADFD, errno);

	memset(&ki, 0, sizeof(ki));
	ki.ring_entries = 8;
	ASSERT_EQ(0, ioctl(fd, KEVENT_IOC_INIT, &ki));

	/* The producer mapping is never writable. */
	p = mmap(NULL, ki.prod_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 ki.prod_off);
	ASSERT_EQ(MAP_FAILED, p);
	ASSERT_EQ(EPERM, errno);

	/* And cannot be made writable later. */
	p = mmap(NULL, ki.prod_len, PROT_READ, MAP_SHARED, fd, ki.prod_off);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(-1, mprotect(p, ki.prod_len, PROT_READ | PROT_WRITE));
	ASSERT_EQ(EACCES, errno);
	ASSERT_EQ(0, munmap(p, ki.prod_len));

	/* An offset that is neither mapping's. */
	bad = (ki.cons_off > ki.prod_off ? ki.cons_off : ki.prod_off) +
	      ki.prod_len + 64 * page;
	p = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, bad);
	ASSERT_EQ(MAP_FAILED, p);
	ASSERT_EQ(EINVAL, errno);

	/*
	 * Offsets are compared as page offsets: on a 32-bit kernel,
	 * vm_pgoff << PAGE_SHIFT would drop the bits above 2^32 and alias
	 * 2^32 + cons_off to the consumer page.  (On the 64-bit kernels
	 * this runs on, the shift loses nothing either way.)
	 */
	p = mmap(NULL, page, PROT_READ, MAP_SHARED, fd,
		 (off_t)((1ULL << 32) + ki.cons_off));
	ASSERT_EQ(MAP_FAILED, p);
	ASSERT_EQ(EINVAL, errno);
	p = mmap(NULL, page, PROT_READ, MAP_SHARED, fd,
		 (off_t)((1ULL << 32) + ki.prod_off));
	ASSERT_EQ(MAP_FAILED, p);
	ASSERT_EQ(EINVAL, errno);

	/* The consumer page is writable, and the kernel reads it back. */
	p = mmap(NULL, ki.cons_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 ki.cons_off);
	ASSERT_NE(MAP_FAILED, p);
	((struct kevent_ring_cons *)p)->head = 0x12345;
	ASSERT_EQ(0, munmap(p, ki.cons_len));
	p = mmap(NULL, ki.cons_len, PROT_READ, MAP_SHARED, fd, ki.cons_off);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0x12345, ((struct kevent_ring_cons *)p)->head);
	ASSERT_EQ(0, munmap(p, ki.cons_len));
	close(fd);
}

FIXTURE(ring) {
	struct kevent_ring *r;
	int fd;
};

FIXTURE_SETUP(ring)
{
	self->fd = kevent_init(&self->r, 8, 0);
	ASSERT_LE(0, self->fd) TH_LOG("kevent_init: %s", strerror(errno));
	ASSERT_EQ(8, self->r->entries);
}

FIXTURE_TEARDOWN(ring)
{
	kevent_close(self->r);
}

static int add_unotify(int fd, unsigned int first, unsigned int n,
		       __u32 flags)
{
	struct ukevent ev[64];
	unsigned int k;

	for (k = 0; k < n; k++)
		ev[k] = kt_unotify(first + k, flags);
	return kevent_ctl(fd, KEVENT_CTL_ADD, n, ev);
}

static int ready_range(int fd, unsigned int first, unsigned int n,
		       __u64 param)
{
	struct ukevent ev[64];
	unsigned int k;

	memset(ev, 0, sizeof(ev));
	for (k = 0; k < n; k++) {
		ev[k].id = first + k;
		ev[k].param = param + k;
	}
	return kevent_ctl(fd, KEVENT_CTL_READY, n, ev);
}

/* 200 entries through 8 slots, 5 at a time so that slots wrap unevenly. */
TEST_F(ring, wrap_around)
{
	struct ukevent out[8];
	struct kevent_info i0, i1;
	unsigned int round, k;

	ASSERT_EQ(0, kevent_info(self->fd, &i0));
	ASSERT_EQ(0, add_unotify(self->fd, 1, 5, 0));
	for (round = 0; round < 40; round++) {
		ASSERT_EQ(5, ready_range(self->fd, 1, 5, round * 100));
		ASSERT_EQ(5, kt_unread(self->r));
		ASSERT_EQ(5, kt_drain(self->r, out, 8));
		for (k = 0; k < 5; k++) {
			ASSERT_EQ(1 + k, out[k].id);
			ASSERT_EQ(round * 100 + k, out[k].ret_data[1]);
			ASSERT_EQ(0, out[k].ret_flags);
		}
	}
	ASSERT_EQ(0, kevent_info(self->fd, &i1));
	ASSERT_EQ(200, i1.tail - i0.tail);
	ASSERT_EQ(i1.tail, i1.committed);
	ASSERT_EQ(5, i1.requests);
}

/* 30 ready requests, 8 slots: 22 wait in the backlog, none is lost. */
TEST_F(ring, backlog_no_loss)
{
	struct ukevent out[8];
	struct kevent_info i;
	unsigned char seen[31] = { 0 };
	unsigned int total = 0, k;
	struct pollfd pfd = { .fd = self->fd, .events = POLLIN };
	int n;

	ASSERT_EQ(0, add_unotify(self->fd, 1, 30, 0));
	ASSERT_EQ(30, ready_range(self->fd, 1, 30, 1000));
	ASSERT_EQ(8, kt_unread(self->r));
	ASSERT_EQ(0, kevent_info(self->fd, &i));
	ASSERT_EQ(22, i.backlog);
	ASSERT_EQ(KEVENT_RING_F_BACKLOG,
		  kevent_ring_flags(self->r) & KEVENT_RING_F_BACKLOG);
	ASSERT_EQ(1, poll(&pfd, 1, 0));

	/* Commit 3 at a time; the backlog refills the freed slots. */
	while (total < 30) {
		unsigned int c = kevent_ring_committed(self->r);
		unsigned int left = 30 - total;

		ASSERT_EQ(left < 8 ? left : 8, kt_unread(self->r));
		n = left < 3 ? left : 3;
		for (k = 0; k < (unsigned int)n; k++) {
			const struct ukevent *e = kevent_ring_entry(self->r,
								    c + k);

			ASSERT_LE(1, e->id);
			ASSERT_GE(30, e->id);
			ASSERT_EQ(0, seen[e->id]);
			seen[e->id] = 1;
			ASSERT_EQ(1000 + e->id - 1, e->ret_data[1]);
			ASSERT_EQ(0, e->ret_flags);
		}
		kevent_ring_set_head(self->r, c + n);
		ASSERT_EQ(n, kevent_commit(self->fd, c + n, 0));
		total += n;
	}
	ASSERT_EQ(0, kt_unread(self->r));
	ASSERT_EQ(0, kevent_info(self->fd, &i));
	ASSERT_EQ(0, i.backlog);
	ASSERT_EQ(30, i.requests);
	ASSERT_EQ(0, kevent_ring_flags(self->r) & KEVENT_RING_F_BACKLOG);
	ASSERT_EQ(0, poll(&pfd, 1, 0));
	ASSERT_EQ(0, kt_drain(self->r, out, 8));
}

/* The consume helper commits what it consumed, and stops where told. */
static int count_fn(const struct ukevent *ev, void *arg)
{
	unsigned int *n = arg;

	(void)ev;
	return ++*n == 3 ? 1 : 0;
}

TEST_F(ring, consume_helper)
{
	unsigned int n = 0;

	ASSERT_EQ(0, add_unotify(self->fd, 1, 5, 0));
	ASSERT_EQ(5, ready_range(self->fd, 1, 5, 0));
	ASSERT_EQ(3, kevent_ring_consume(self->r, 8, count_fn, &n));
	ASSERT_EQ(2, kt_unread(self->r));
	ASSERT_EQ(2, kevent_ring_consume(self->r, 8, count_fn, &n));
	ASSERT_EQ(5, n);
	ASSERT_EQ(0, kt_unread(self->r));
}

static unsigned int claimed_total;

struct claim_arg {
	struct kevent_ring *r;
	unsigned int got;
	unsigned char seen[257];
	int err;
};

static void *claimer(void *p)
{
	struct claim_arg *a = p;
	struct ukevent ev;
	unsigned int idx, idle = 0;

	/* Until all 256 are claimed, or 2 s without progress. */
	while (__atomic_load_n(&claimed_total, __ATOMIC_RELAXED) < 256 &&
	       idle < 20000) {
		if (kevent_ring_claim(a->r, &idx, &ev)) {
			__atomic_fetch_add(&claimed_total, 1, __ATOMIC_RELAXED);
			if (ev.id < 1 || ev.id > 256)
				a->err = 1;
			else
				a->seen[ev.id]++;
			a->got++;
			if (kevent_ring_commit_claimed(a->r) < 0)
				a->err = 2;
			idle = 0;
		} else {
			idle++;
			usleep(100);
		}
	}
	return NULL;
}

/* Several threads claim from one ring; every entry goes to one of them. */
TEST_F(ring, claim_threads)
{
	static struct claim_arg a[3];
	pthread_t th[3];
	unsigned int k, t, total = 0;

	ASSERT_EQ(0, add_unotify(self->fd, 1, 64, 0));
	ASSERT_EQ(0, add_unotify(self->fd, 65, 64, 0));
	ASSERT_EQ(0, add_unotify(self->fd, 129, 64, 0));
	ASSERT_EQ(0, add_unotify(self->fd, 193, 64, 0));
	for (t = 0; t < 3; t++) {
		memset(&a[t], 0, sizeof(a[t]));
		a[t].r = self->r;
		ASSERT_EQ(0, pthread_create(&th[t], NULL, claimer, &a[t]));
	}
	for (k = 0; k < 4; k++)
		ASSERT_EQ(64, ready_range(self->fd, 1 + 64 * k, 64, 0));
	for (t = 0; t < 3; t++) {
		pthread_join(th[t], NULL);
		ASSERT_EQ(0, a[t].err);
		total += a[t].got;
	}
	ASSERT_EQ(256, total);
	for (k = 1; k <= 256; k++)
		ASSERT_EQ(1, a[0].seen[k] + a[1].seen[k] + a[2].seen[k]);
	ASSERT_EQ(0, kt_unread(self->r));
}

/*
 * REMOVE of a request whose entry is still in the ring marks the entry
 * KEVENT_RET_REMOVED: after REMOVE 5 and a new ADD 5, the ring holds two
 * entries with id 5, and only the new request's is unmarked.
 */
TEST_F(ring, remove_marks_entry)
{
	unsigned int c = kevent_ring_committed(self->r);
	struct ukevent ev = kt_unotify(5, 0);
	const struct ukevent *e;

	ASSERT_EQ(0, kt_ctl1(self->fd, KEVENT_CTL_ADD, &ev));
	ASSERT_EQ(1, kt_ready(self->fd, 5, 1));
	ASSERT_EQ(1, kt_ctl1(self->fd, KEVENT_CTL_REMOVE, &ev));
	ev = kt_unotify(5, 0);
	ASSERT_EQ(0, kt_ctl1(self->fd, KEVENT_CTL_ADD, &ev));
	ASSERT_EQ(1, kt_ready(self->fd, 5, 2));
	ASSERT_EQ(2, kt_unread(self->r));

	e = kevent_ring_entry(self->r, c);
	ASSERT_EQ(5, e->id);
	ASSERT_EQ(1, e->ret_data[1]);
	ASSERT_EQ(KEVENT_RET_REMOVED, e->ret_flags & KEVENT_RET_REMOVED);
	e = kevent_ring_entry(self->r, c + 1);
	ASSERT_EQ(5, e->id);
	ASSERT_EQ(2, e->ret_data[1]);
	ASSERT_EQ(0, e->ret_flags & KEVENT_RET_REMOVED);

	/* Both slots commit as usual; the new request is re-armed. */
	kevent_ring_set_head(self->r, c + 2);
	ASSERT_EQ(2, kevent_commit(self->fd, c + 2, 0));
	ASSERT_EQ(1, kt_ready(self->fd, 5, 3));
	ASSERT_EQ(0, kevent_ring_entry(self->r, c + 2)->ret_flags &
		     KEVENT_RET_REMOVED);
}

TEST_HARNESS_MAIN
