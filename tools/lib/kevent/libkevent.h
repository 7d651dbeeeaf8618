/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libkevent: a thin wrapper around /dev/kevent.
 *
 * The syscall-like functions keep the names and argument order of the
 * original kevent API and return -1 with errno set on failure.  The ring
 * helpers implement the consumer side of the protocol documented in
 * <linux/kevent.h>:
 *
 *   kernel (producer)                   userspace (consumer)
 *   write entries[tail & mask]
 *   store-release prod->tail     --->   kevent_ring_tail():  load-acquire
 *                                       kevent_ring_entry(): read entries
 *                                       kevent_ring_set_head(): store-release
 *   head mode: load-acquire head <---   (that store gives the slots back)
 *   commit mode: (commit ioctl)  <---   kevent_commit()
 *
 * The mode is chosen by kevent_init()'s flags: KEVENT_INIT_HEAD_COMMITS
 * for head mode, 0 for commit mode.  The consume and claim helpers follow
 * the queue's mode; in head mode they make no system call but the wait.
 *
 * The consume and claim helpers (kevent_ring_consume(), kevent_ring_claim()
 * with kevent_ring_commit_claimed(), and kevent_ring_wait()) keep their
 * read position in the handle's cursor.  They start from the kernel's
 * committed index when that is ahead of it, so they may be mixed with
 * kevent_get_events() and kevent_commit() calls, and after fork a process
 * does not deliver again what the other one committed (each has its own
 * copy of the handle; the ring is shared).  Only their own commits may run
 * while they do: commits by other means, or by the other process after
 * fork, must not overlap a consume or claim call.  Claimer threads wait
 * with kevent_ring_wait(): a cursor value passed to kevent_wait() can fall
 * behind the committed index through the others' claims and commits
 * before the kernel checks it, and the wait fails with EINVAL.
 *
 * Entries marked KEVENT_RET_REMOVED belong to no request any more (see
 * REMOVAL AND THE RING in <linux/kevent.h>): the helpers skip them.  They
 * are neither passed to the consume callback nor returned by a claim, but
 * their slots are committed with the others.
 */
#ifndef _LIBKEVENT_H
#define _LIBKEVENT_H

#include <stddef.h>
#include <time.h>
#include <linux/kevent.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KEVENT_DEVICE	"/dev/kevent"

/**
 * struct kevent_ring - a mapped queue
 * @fd: the queue's file descriptor
 * @entries: number of ring slots
 * @mask: @entries - 1
 * @prod: producer page (read-only): tail, committed, mask, flags
 * @cons: consumer page (read-write): head
 * @ring: the array of @entries ukevents
 * @cursor: user-side read position of the consume and claim helpers,
 *	advanced atomically; moved up to prod->committed when that is ahead
 *	(free-running, compared by signed difference); never read by the
 *	kernel
 * @prod_map, @prod_len, @cons_map, @cons_len: the two mappings
 */
struct kevent_ring {
	int fd;
	unsigned int entries;
	unsigned int mask;
	const struct kevent_ring_prod *prod;
	struct kevent_ring_cons *cons;
	const struct ukevent *ring;
	unsigned int cursor;
	void *prod_map;
	size_t prod_len;
	void *cons_map;
	size_t cons_len;
};

int kevent_init(struct kevent_ring **ring, unsigned int ring_size,
		unsigned int flags);
void kevent_ring_free(struct kevent_ring *ring);
int kevent_close(struct kevent_ring *ring);

int kevent_ctl(int fd, unsigned int cmd, unsigned int num,
	       struct ukevent *arg);
int kevent_get_events(int fd, unsigned int min_nr, unsigned int max_nr,
		      const struct timespec *timeout, struct ukevent *buf,
		      unsigned int flags);
int kevent_wait(int fd, unsigned int num, unsigned int old_uidx,
		const struct timespec *timeout, unsigned int flags);
int kevent_commit(int fd, unsigned int new_uidx, unsigned int flags);
int kevent_info(int fd, struct kevent_info *info);

unsigned int kevent_ring_tail(const struct kevent_ring *ring);
unsigned int kevent_ring_committed(const struct kevent_ring *ring);
unsigned int kevent_ring_flags(const struct kevent_ring *ring);
const struct ukevent *kevent_ring_entry(const struct kevent_ring *ring,
					unsigned int idx);
void kevent_ring_set_head(struct kevent_ring *ring, unsigned int head);

typedef int (*kevent_ring_fn)(const struct ukevent *ev, void *arg);
int kevent_ring_consume(struct kevent_ring *ring, unsigned int max,
			kevent_ring_fn fn, void *arg);

int kevent_ring_claim(struct kevent_ring *ring, unsigned int *idx,
		      struct ukevent *ev);
int kevent_ring_commit_claimed(struct kevent_ring *ring);
int kevent_ring_wait(struct kevent_ring *ring, unsigned int num,
		     const struct timespec *timeout, unsigned int flags);

#ifdef __cplusplus
}
#endif

#endif /* _LIBKEVENT_H */
