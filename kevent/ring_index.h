/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ready ring's index arithmetic, apart from the ring so that KUnit can
 * check it with tables (tools/testing/selftests/kevent/kunit/).
 *
 * The indices are free-running u32 counters: slot i is entries[i & mask],
 * and [committed, tail) are the slots in use.  Every comparison is made on
 * differences from committed, so that the counters may wrap at 2^32.
 */
#ifndef _KEVENT_RING_INDEX_H
#define _KEVENT_RING_INDEX_H

#include <linux/minmax.h>
#include <linux/types.h>

/* Slots released per hold of the ready lock, so that fires do not wait long. */
#define KEVENT_COMMIT_BATCH	64

/* No slot is free: the ring of @mask + 1 slots holds [@committed, @tail). */
static inline bool kevent_ring_full(u32 committed, u32 tail, u32 mask)
{
	return tail - committed > mask;
}

/* @idx lies in [@committed, @tail]: userspace may commit up to it or wait from it. */
static inline bool kevent_ring_index_valid(u32 committed, u32 tail, u32 idx)
{
	return idx - committed <= tail - committed;
}

/*
 * Entries past userspace's @head.  @head is user memory: one outside
 * [@committed, @tail] counts as @committed.
 */
static inline u32 kevent_ring_unread_from(u32 committed, u32 tail, u32 head)
{
	if (!kevent_ring_index_valid(committed, tail, head))
		head = committed;
	return tail - head;
}

/*
 * Where a commit from @committed to @end stops next to drop the lock: after
 * at most KEVENT_COMMIT_BATCH slots, and at @end itself once it is that
 * close.
 */
static inline u32 kevent_ring_batch_end(u32 committed, u32 end)
{
	if (end - committed > KEVENT_COMMIT_BATCH)
		return committed + KEVENT_COMMIT_BATCH;
	return end;
}

/* Of @n entries from index @from, those before the entry array wraps. */
static inline u32 kevent_ring_chunk(u32 from, u32 n, u32 mask)
{
	return min(n, mask + 1 - (from & mask));
}

#endif /* _KEVENT_RING_INDEX_H */
