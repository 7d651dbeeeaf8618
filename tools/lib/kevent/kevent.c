// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libkevent: a thin wrapper around /dev/kevent.  See libkevent.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libkevent.h"

static void set_timeout(struct __kernel_timespec *kts,
			const struct timespec *ts, unsigned int *flags)
{
	if (!ts) {
		kts->tv_sec = 0;
		kts->tv_nsec = 0;
		*flags |= KEVENT_FLAGS_INFINITE;
		return;
	}
	kts->tv_sec = ts->tv_sec;
	kts->tv_nsec = ts->tv_nsec;
}

static int map_ring(struct kevent_ring *r, const struct kevent_init *ki)
{
	void *p;

	p = mmap(NULL, ki->cons_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		 r->fd, ki->cons_off);
	if (p == MAP_FAILED)
		return -1;
	r->cons_map = p;
	r->cons_len = ki->cons_len;

	p = mmap(NULL, ki->prod_len, PROT_READ, MAP_SHARED, r->fd,
		 ki->prod_off);
	if (p == MAP_FAILED) {
		munmap(r->cons_map, r->cons_len);
		return -1;
	}
	r->prod_map = p;
	r->prod_len = ki->prod_len;

	r->cons = r->cons_map;
	r->prod = r->prod_map;
	r->ring = (const struct ukevent *)((const char *)p + ki->entries_off);
	r->entries = ki->ring_entries;
	r->mask = ki->ring_entries - 1;
	r->cursor = __atomic_load_n(&r->prod->committed, __ATOMIC_RELAXED);
	return 0;
}

/**
 * kevent_init() - open a queue and create its ring
 * @ring: if not NULL, the ring is mapped and a handle stored here
 * @ring_size: wanted number of slots (rounded up by the kernel)
 * @flags: passed to KEVENT_IOC_INIT: 0 (commit mode) or
 *	KEVENT_INIT_HEAD_COMMITS (head mode: storing cons->head gives slots
 *	back, and the ring helpers make no commit system call)
 *
 * Return: the queue's fd, or -1 with errno set.
 */
int kevent_init(struct kevent_ring **ring, unsigned int ring_size,
		unsigned int flags)
{
	struct kevent_init ki;
	struct kevent_ring *r;
	int fd, err;

	fd = open(KEVENT_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;

	memset(&ki, 0, sizeof(ki));
	ki.ring_entries = ring_size;
	ki.flags = flags;
	if (ioctl(fd, KEVENT_IOC_INIT, &ki) < 0)
		goto err_close;
	if (!ring)
		return fd;

	r = calloc(1, sizeof(*r));
	if (!r)
		goto err_close;
	r->fd = fd;
	if (map_ring(r, &ki) < 0) {
		err = errno;
		free(r);
		errno = err;
		goto err_close;
	}
	*ring = r;
	return fd;

err_close:
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

/**
 * kevent_ring_free() - unmap the ring and free the handle; the fd stays open
 */
void kevent_ring_free(struct kevent_ring *ring)
{
	if (!ring)
		return;
	munmap(ring->prod_map, ring->prod_len);
	munmap(ring->cons_map, ring->cons_len);
	free(ring);
}

/**
 * kevent_close() - unmap the ring, close the queue and free the handle
 */
int kevent_close(struct kevent_ring *ring)
{
	int fd;

	if (!ring)
		return 0;
	fd = ring->fd;
	kevent_ring_free(ring);
	return close(fd);
}

int kevent_ctl(int fd, unsigned int cmd, unsigned int num,
	       struct ukevent *arg)
{
	struct kevent_ctl c;

	memset(&c, 0, sizeof(c));
	c.cmd = cmd;
	c.num = num;
	c.events = (__u64)(unsigned long)arg;
	return ioctl(fd, KEVENT_IOC_CTL, &c);
}

int kevent_get_events(int fd, unsigned int min_nr, unsigned int max_nr,
		      const struct timespec *timeout, struct ukevent *buf,
		      unsigned int flags)
{
	struct kevent_get_events g;

	memset(&g, 0, sizeof(g));
	g.min_nr = min_nr;
	g.max_nr = max_nr;
	g.buf = (__u64)(unsigned long)buf;
	set_timeout(&g.timeout, timeout, &flags);
	g.flags = flags;
	return ioctl(fd, KEVENT_IOC_GET_EVENTS, &g);
}

int kevent_wait(int fd, unsigned int num, unsigned int old_uidx,
		const struct timespec *timeout, unsigned int flags)
{
	struct kevent_wait w;

	memset(&w, 0, sizeof(w));
	w.num = num;
	w.old_uidx = old_uidx;
	set_timeout(&w.timeout, timeout, &flags);
	w.flags = flags;
	return ioctl(fd, KEVENT_IOC_WAIT, &w);
}

int kevent_commit(int fd, unsigned int new_uidx, unsigned int flags)
{
	struct kevent_commit c = {
		.new_uidx = new_uidx,
		.flags = flags,
	};

	return ioctl(fd, KEVENT_IOC_COMMIT, &c);
}

int kevent_info(int fd, struct kevent_info *info)
{
	return ioctl(fd, KEVENT_IOC_INFO, info);
}

/**
 * kevent_ring_tail() - how far the kernel has filled the ring
 *
 * Pairs with the kernel's store-release of prod->tail after it wrote the
 * entry: every entry before the returned index is fully visible.
 */
unsigned int kevent_ring_tail(const struct kevent_ring *ring)
{
	return __atomic_load_n(&ring->prod->tail, __ATOMIC_ACQUIRE);
}

/* The kernel's committed index; informational, no ordering needed. */
unsigned int kevent_ring_committed(const struct kevent_ring *ring)
{
	return __atomic_load_n(&ring->prod->committed, __ATOMIC_RELAXED);
}

/* KEVENT_RING_F_* of the producer page; informational. */
unsigned int kevent_ring_flags(const struct kevent_ring *ring)
{
	return __atomic_load_n(&ring->prod->flags, __ATOMIC_RELAXED);
}

/*
 * The entry at free-running index @idx.  Valid only for committed <= idx <
 * a tail returned by kevent_ring_tail(), and until idx is committed.
 */
const struct ukevent *kevent_ring_entry(const struct kevent_ring *ring,
					unsigned int idx)
{
	return &ring->ring[idx & ring->mask];
}

/**
 * kevent_ring_set_head() - tell the kernel how far we have read
 *
 * Store-release: our reads of the entries before @head are done before the
 * kernel can observe the new head.  In head mode (KEVENT_INIT_HEAD_COMMITS)
 * this gives their slots back: it pairs with the kernel's load-acquire of
 * cons->head (ring_head() in kevent/ring.c) before it reuses them.  In
 * commit mode the kernel reads it only as poll's readiness hint, and slots
 * are reused only after kevent_commit().
 */
void kevent_ring_set_head(struct kevent_ring *ring, unsigned int head)
{
	__atomic_store_n(&ring->cons->head, head, __ATOMIC_RELEASE);
}

/* The queue was created with KEVENT_INIT_HEAD_COMMITS; fixed at INIT. */
static int head_mode(const struct kevent_ring *ring)
{
	return __atomic_load_n(&ring->prod->flags, __ATOMIC_RELAXED) &
	       KEVENT_RING_F_HEAD_COMMITS;
}

/* Move cons->head forward to @head, never backwards (several claimers). */
static void raise_head(struct kevent_ring *ring, unsigned int head)
{
	unsigned int old = __atomic_load_n(&ring->cons->head, __ATOMIC_RELAXED);

	while ((int)(head - old) > 0 &&
	       !__atomic_compare_exchange_n(&ring->cons->head, &old, head,
					    true, __ATOMIC_RELEASE,
					    __ATOMIC_RELAXED))
		;
}

/*
 * The handle's cursor, first moved up to the kernel's committed index if
 * that is ahead: kevent_get_events(), a kevent_commit() of the caller's,
 * or a process sharing the ring after fork (with its own copy of the
 * handle) consumed the entries before it, and their slots may be reused.
 * Signed differences: the indices are free-running.
 *
 * Relaxed: only the indices are used here.  Entries are read after the
 * acquire load of the tail, and a claim is settled by its own CAS on the
 * cursor, which fails if the value read here was stale.  Only the helpers'
 * own commits may run meanwhile, and those never pass the cursor.
 */
static unsigned int ring_cursor(struct kevent_ring *ring)
{
	unsigned int cur = __atomic_load_n(&ring->cursor, __ATOMIC_RELAXED);
	unsigned int committed = kevent_ring_committed(ring);

	while ((int)(committed - cur) > 0) {
		if (__atomic_compare_exchange_n(&ring->cursor, &cur, committed,
						false, __ATOMIC_RELAXED,
						__ATOMIC_RELAXED))
			return committed;
	}
	return cur;
}

/*
 * The kernel marks an entry whose request was removed with one 32-bit
 * store; no ordering: it may be missed by a racing reader (see
 * <linux/kevent.h>, REMOVAL AND THE RING).
 */
static bool entry_removed(const struct ukevent *ev)
{
	return __atomic_load_n(&ev->ret_flags, __ATOMIC_RELAXED) &
	       KEVENT_RET_REMOVED;
}

/**
 * kevent_ring_consume() - run @fn on ready entries, then give them back
 * @ring: the ring; single consumer
 * @max: at most this many entries passed to @fn
 * @fn: 0 to go on, >0 to stop after this entry, <0 to stop before it
 * @arg: passed to @fn
 *
 * Starts at the cursor or at the committed index, whichever is further.
 * Entries marked KEVENT_RET_REMOVED are not passed to @fn, but their
 * slots are committed with the others.
 *
 * Return: the number of entries passed to @fn and committed, or -1 with
 * errno.
 */
int kevent_ring_consume(struct kevent_ring *ring, unsigned int max,
			kevent_ring_fn fn, void *arg)
{
	unsigned int start, head, tail, n = 0;
	const struct ukevent *ev;
	int ret;

	start = ring_cursor(ring);
	tail = kevent_ring_tail(ring);
	/* Signed: committed may be read newer than tail. */
	for (head = start; (int)(tail - head) > 0 && n < max; head++) {
		ev = kevent_ring_entry(ring, head);
		if (entry_removed(ev))
			continue;
		ret = fn(ev, arg);
		if (ret < 0)
			break;
		n++;
		if (ret > 0) {
			head++;
			break;
		}
	}
	if (head == start)
		return 0;
	__atomic_store_n(&ring->cursor, head, __ATOMIC_RELAXED);
	kevent_ring_set_head(ring, head);
	/* Head mode: that store gave the slots back. */
	if (!head_mode(ring) && kevent_commit(ring->fd, head, 0) < 0)
		return -1;
	return n;
}

/**
 * kevent_ring_claim() - claim one entry, safe with several threads
 * @ring: the ring
 * @idx: out: the index claimed
 * @ev: out: a copy of the entry
 *
 * Threads share one cursor in the handle and claim entries by
 * compare-and-swap, from the cursor or the committed index, whichever is
 * further.  The entry is copied before the CAS: its slot cannot be reused
 * until it is committed, commits never go past the cursor
 * (kevent_ring_commit_claimed()), and the cursor cannot pass @idx without
 * our CAS failing.  A copy torn by a reuse is thus always discarded.
 *
 * Entries marked KEVENT_RET_REMOVED are claimed and skipped;
 * kevent_ring_commit_claimed() commits their slots.  If nothing else was
 * claimed it is called here, as the caller has nothing to commit: a ring
 * full of skipped entries would hold the backlog back for ever.
 *
 * Return: 1 if an entry was claimed, 0 if none was available.
 */
int kevent_ring_claim(struct kevent_ring *ring, unsigned int *idx,
		      struct ukevent *ev)
{
	unsigned int cur, tail;
	bool skipped = false;

	cur = ring_cursor(ring);
	for (;;) {
		tail = kevent_ring_tail(ring);
		if ((int)(tail - cur) <= 0)
			break;
		memcpy(ev, kevent_ring_entry(ring, cur), sizeof(*ev));
		/* Release: the copy above is done before the cursor moves. */
		if (!__atomic_compare_exchange_n(&ring->cursor, &cur, cur + 1,
						 false, __ATOMIC_ACQ_REL,
						 __ATOMIC_ACQUIRE))
			continue;
		raise_head(ring, cur + 1);
		/* The copy is ours now; its flags are what we deliver. */
		if (!(ev->ret_flags & KEVENT_RET_REMOVED)) {
			*idx = cur;
			return 1;
		}
		skipped = true;
		cur++;
	}
	/* A failure here shows again at the caller's next commit. */
	if (skipped && !head_mode(ring))
		kevent_ring_commit_claimed(ring);
	return 0;
}

/**
 * kevent_ring_commit_claimed() - commit every claimed entry
 *
 * May be called by any claimer at any time.  Losing a race with another
 * committer that went further is not an error.  In head mode every claim
 * has given its slot back already, by moving cons->head: nothing to do.
 *
 * Return: slots released (0 in head mode), or -1 with errno.
 */
int kevent_ring_commit_claimed(struct kevent_ring *ring)
{
	unsigned int cur;
	int ret;

	if (head_mode(ring))
		return 0;
	/* Acquire: pairs with the release CAS of kevent_ring_claim(). */
	cur = __atomic_load_n(&ring->cursor, __ATOMIC_ACQUIRE);
	if (cur == kevent_ring_committed(ring))
		return 0;
	ret = kevent_commit(ring->fd, cur, 0);
	if (ret < 0 && errno == EINVAL &&
	    (int)(kevent_ring_committed(ring) - cur) >= 0)
		return 0;
	return ret;
}

/**
 * kevent_ring_wait() - kevent_wait() from the cursor, for the ring helpers
 * @ring: the ring
 * @num: as for kevent_wait(): entries past the cursor to wait for
 * @timeout: as for kevent_wait(); restarts when the wait is retried
 * @flags: as for kevent_wait()
 *
 * The cursor is first moved up to the committed index if that is ahead
 * (see kevent_ring_claim()).  With several claimers the cursor read here
 * can be behind the committed index by the time the kernel checks it:
 * others claimed and committed in between, and KEVENT_IOC_WAIT fails with
 * EINVAL.  The wait is then retried from the new cursor.
 *
 * Return: as kevent_wait(): unread entries past the cursor used, or -1
 * with errno.
 */
int kevent_ring_wait(struct kevent_ring *ring, unsigned int num,
		     const struct timespec *timeout, unsigned int flags)
{
	unsigned int cur;
	int ret;

	for (;;) {
		cur = ring_cursor(ring);
		ret = kevent_wait(ring->fd, num, cur, timeout, flags);
		/* Others claimed and committed past cur meanwhile. */
		if (ret >= 0 || errno != EINVAL ||
		    (int)(kevent_ring_committed(ring) - cur) <= 0)
			return ret;
	}
}
