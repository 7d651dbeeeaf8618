// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libkevent_unit: the ring helpers on a fake ring in memory, on the build
 * host (make check runs it under valgrind, scripts/host-unit.sh), for what
 * a test against the kernel cannot set up at will: entries marked
 * KEVENT_RET_REMOVED, and other claimers committing between the cursor
 * read and KEVENT_IOC_WAIT.  ioctl() is replaced by a fake queue that
 * checks indices as the kernel does.  Prints TAP.
 *
 *   make -C tools/lib/kevent unit && ./libkevent_unit
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kevent.h"

#define __printf(a, b)	__attribute__((format(printf, a, b)))

#define FAKE_FD		1000
#define FAKE_ENTRIES	8

static struct kevent_ring_prod prod;
static struct kevent_ring_cons cons;
static struct ukevent slots[FAKE_ENTRIES];
static struct kevent_ring ring;
static int tests, failed;

static void __printf(2, 3) check(bool ok, const char *fmt, ...)
{
	va_list ap;

	tests++;
	printf("%sok %d - ", ok ? "" : "not ", tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	failed += !ok;
}

/* An empty ring whose indices start at @start. */
static void reset(unsigned int start)
{
	memset(&prod, 0, sizeof(prod));
	memset(&cons, 0, sizeof(cons));
	memset(slots, 0, sizeof(slots));
	memset(&ring, 0, sizeof(ring));
	prod.tail = start;
	prod.committed = start;
	prod.mask = FAKE_ENTRIES - 1;
	cons.head = start;
	ring.fd = FAKE_FD;
	ring.entries = FAKE_ENTRIES;
	ring.mask = FAKE_ENTRIES - 1;
	ring.prod = &prod;
	ring.cons = &cons;
	ring.ring = slots;
	ring.cursor = start;
}

/* The kernel writes an entry for request @id. */
static void push(__u64 id, __u32 ret_flags)
{
	struct ukevent *e = &slots[prod.tail & prod.mask];

	memset(e, 0, sizeof(*e));
	e->id = id;
	e->ret_flags = ret_flags;
	prod.tail++;
}

/* KEVENT_IOC_WAIT: how often, the last old_uidx, claims to race it with. */
static unsigned int waits, wait_uidx, wait_race;

/* The kernel's side of KEVENT_IOC_COMMIT and KEVENT_IOC_WAIT (no sleep). */
int ioctl(int fd, unsigned long req, ...)
{
	const struct kevent_commit *c;
	const struct kevent_wait *w;
	unsigned int n;
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fd != FAKE_FD) {
		errno = EBADF;
		return -1;
	}
	switch (req) {
	case KEVENT_IOC_COMMIT:
		c = arg;
		n = c->new_uidx - prod.committed;
		if (c->flags || n > prod.tail - prod.committed)
			break;
		prod.committed = c->new_uidx;
		return n;
	case KEVENT_IOC_WAIT:
		w = arg;
		waits++;
		wait_uidx = w->old_uidx;
		/* Other threads claim and commit after the caller read old_uidx. */
		for (; wait_race; wait_race--) {
			push(100 + wait_race, 0);
			ring.cursor++;
			prod.committed = ring.cursor;
		}
		if (w->num > FAKE_ENTRIES ||
		    w->old_uidx - prod.committed > prod.tail - prod.committed)
			break;
		return prod.tail - w->old_uidx;
	default:
		errno = ENOTTY;
		return -1;
	}
	errno = EINVAL;
	return -1;
}

struct seen {
	unsigned int n;
	__u64 id[FAKE_ENTRIES];
};

static int record(const struct ukevent *ev, void *arg)
{
	struct seen *s = arg;

	if (s->n < FAKE_ENTRIES)
		s->id[s->n] = ev->id;
	s->n++;
	return 0;
}

/* Entries marked KEVENT_RET_REMOVED are committed, not delivered. */
static void test_consume_removed(unsigned int start)
{
	struct seen s = { 0 };
	int n;

	reset(start);
	push(1, 0);
	push(2, KEVENT_RET_REMOVED);
	push(3, KEVENT_RET_COALESCED);
	push(4, KEVENT_RET_REMOVED | KEVENT_RET_COALESCED);
	n = kevent_ring_consume(&ring, 8, record, &s);
	check(n == 2 && s.n == 2 && s.id[0] == 1 && s.id[1] == 3,
	      "consume from %#x: 2 of 4 delivered, the removed skipped (got %d, ids %llu %llu)",
	      start, n, (unsigned long long)s.id[0],
	      (unsigned long long)s.id[1]);
	check(prod.committed == start + 4 && cons.head == start + 4,
	      "consume from %#x: all 4 slots committed (committed %+d, head %+d)",
	      start, (int)(prod.committed - start), (int)(cons.head - start));

	/* Nothing but removed entries: committed all the same. */
	memset(&s, 0, sizeof(s));
	push(5, KEVENT_RET_REMOVED);
	push(6, KEVENT_RET_REMOVED);
	n = kevent_ring_consume(&ring, 8, record, &s);
	check(n == 0 && s.n == 0 && prod.committed == start + 6,
	      "consume from %#x: only removed entries: none delivered, slots committed (got %d, %u delivered, committed %+d)",
	      start, n, s.n, (int)(prod.committed - start));
}

/* The claim helpers skip them too, and their slots are committed. */
static void test_claim_removed(unsigned int start)
{
	struct ukevent ev;
	unsigned int idx = 0;
	int a, b, c;
	__u64 id1, id3;

	reset(start);
	push(1, 0);
	push(2, KEVENT_RET_REMOVED);
	push(3, 0);
	a = kevent_ring_claim(&ring, &idx, &ev);
	id1 = ev.id;
	b = kevent_ring_claim(&ring, &idx, &ev);
	id3 = ev.id;
	check(a == 1 && b == 1 && id1 == 1 && id3 == 3 && idx == start + 2,
	      "claim from %#x: ids 1 and 3, the removed 2 skipped (got %d %d, ids %llu %llu, last index %+d)",
	      start, a, b, (unsigned long long)id1, (unsigned long long)id3,
	      (int)(idx - start));
	c = kevent_ring_claim(&ring, &idx, &ev);
	a = kevent_ring_commit_claimed(&ring);
	check(c == 0 && a == 3 && prod.committed == start + 3,
	      "claim from %#x: then empty; commit_claimed commits 3 slots (got %d, %d, committed %+d)",
	      start, c, a, (int)(prod.committed - start));

	/*
	 * Nothing but removed entries: the claimer gets nothing and will not
	 * commit, so claim must, or a ring full of them holds back the
	 * backlog for ever.
	 */
	push(4, KEVENT_RET_REMOVED);
	push(5, KEVENT_RET_REMOVED);
	ev.id = 0;
	c = kevent_ring_claim(&ring, &idx, &ev);
	check(c == 0 && prod.committed == start + 5 && cons.head == start + 5,
	      "claim from %#x: only removed entries: none claimed, slots committed (got %d, id %llu, committed %+d, head %+d)",
	      start, c, c ? (unsigned long long)ev.id : 0ULL,
	      (int)(prod.committed - start), (int)(cons.head - start));
}

/* kevent_ring_wait(): from the committed index, and again after a race. */
static void test_wait(unsigned int start)
{
	int ret, err;

	reset(start);
	push(1, 0);
	push(2, 0);
	prod.committed = start + 2;	/* by kevent_get_events(), say */
	waits = 0;
	ret = kevent_ring_wait(&ring, 1, NULL, 0);
	check(ret == 0 && waits == 1 && wait_uidx == start + 2 &&
	      ring.cursor == start + 2,
	      "wait from %#x: a cursor behind the committed index moves up to it (got %d, old_uidx %+d)",
	      start, ret, (int)(wait_uidx - start));

	/* Two claimed and committed by others before the kernel looked. */
	waits = 0;
	wait_race = 2;
	ret = kevent_ring_wait(&ring, 1, NULL, 0);
	check(ret == 0 && waits == 2 && wait_uidx == start + 4,
	      "wait from %#x: EINVAL as others committed past the cursor: waits again from the new cursor (got %d, %u waits, old_uidx %+d)",
	      start, ret, waits, (int)(wait_uidx - start));

	/* Any other EINVAL is the caller's. */
	waits = 0;
	errno = 0;
	ret = kevent_ring_wait(&ring, FAKE_ENTRIES + 1, NULL, 0);
	err = errno;
	check(ret == -1 && err == EINVAL && waits == 1,
	      "wait from %#x: num above the ring: EINVAL, not retried (got %d, errno %d, %u waits)",
	      start, ret, err, waits);
}

int main(void)
{
	/* From 0, and across the wrap of the 32-bit indices. */
	test_consume_removed(0);
	test_consume_removed(0xfffffffe);
	test_claim_removed(0);
	test_claim_removed(0xfffffffe);
	test_wait(0);
	test_wait(0xfffffffe);
	printf("1..%d\n", tests);
	return failed ? 1 : 0;
}
