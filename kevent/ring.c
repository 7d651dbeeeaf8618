// SPDX-License-Identifier: GPL-2.0
/*
 * The ready ring: a request is written into it the moment it becomes
 * ready, and its slot is reused only after userspace commits it.
 *
 * Memory layout, one page each except the entries:
 *
 *   mmap offset KEVENT_OFF_CONS (read-write)   mmap offset KEVENT_OFF_PROD (read-only)
 *   +---------------------+                    +----------------------+--------------------+
 *   | kevent_ring_cons    |                    | kevent_ring_prod     | ukevent[entries]   |
 *   | head (user writes)  |                    | tail, committed, ... | (kernel writes)    |
 *   +---------------------+                    +----------------------+--------------------+
 *
 * The pages are allocated one by one and charged to the caller's memcg,
 * vmap()ed for the kernel and inserted into userspace mappings, which keep
 * them alive after close().
 *
 * Slots come back through KEVENT_IOC_COMMIT, or, in head mode, when the
 * kernel takes back the head userspace stored: Documentation/kevent.rst,
 * "The ring protocol", has the design, the contexts and the barrier pairs.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "internal.h"
#include "trace.h"

static void ring_free_pages(struct kevent_ready_ring *ring, unsigned int nr)
{
	while (nr--)
		__free_page(ring->pages[nr]);
	kvfree(ring->pages);
	ring->pages = NULL;
}

/*
 * What a ring of @entries pins, in pages: the consumer page, the producer
 * mapping (header page and entries) and the kernel's slot array.
 */
unsigned long kevent_ring_pages(u32 entries)
{
	return 2 + DIV_ROUND_UP((size_t)entries * sizeof(struct ukevent),
				PAGE_SIZE) +
	       DIV_ROUND_UP((size_t)entries * sizeof(struct kevent *),
			    PAGE_SIZE);
}

int kevent_ring_create(struct kevent_ready_ring *ring, u32 entries,
		       bool head_commits)
{
	size_t prod_bytes = PAGE_SIZE + (size_t)entries * sizeof(struct ukevent);
	unsigned int i, nr = 1 + DIV_ROUND_UP(prod_bytes, PAGE_SIZE);
	void *prod;

	ring->pages = kvcalloc(nr, sizeof(*ring->pages), GFP_KERNEL_ACCOUNT);
	if (!ring->pages)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		ring->pages[i] = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
		if (!ring->pages[i])
			goto err_pages;
	}
	ring->shadow = kvcalloc(entries, sizeof(*ring->shadow),
				GFP_KERNEL_ACCOUNT);
	if (!ring->shadow)
		goto err_pages;
	prod = vmap(ring->pages + 1, nr - 1, VM_MAP, PAGE_KERNEL);
	if (!prod)
		goto err_shadow;

	ring->nr_pages = nr;
	ring->cons = page_address(ring->pages[0]);
	ring->prod = prod;
	ring->entries = prod + PAGE_SIZE;
	ring->mask = entries - 1;
	ring->tail = 0;
	ring->committed = 0;
	ring->prod->mask = ring->mask;
	ring->prod->flags = head_commits ? KEVENT_RING_F_HEAD_COMMITS : 0;
	return 0;

err_shadow:
	kvfree(ring->shadow);
	ring->shadow = NULL;
err_pages:
	ring_free_pages(ring, i);
	return -ENOMEM;
}

void kevent_ring_destroy(struct kevent_ready_ring *ring)
{
	if (!ring->pages)
		return;
	vunmap(ring->prod);
	kvfree(ring->shadow);
	ring_free_pages(ring, ring->nr_pages);
}

/*
 * Map the consumer page read-write, or the producer pages read-only.
 * Userspace can never get a writable mapping of what the kernel writes.
 */
int kevent_ring_mmap(struct kevent_ready_ring *ring, struct vm_area_struct *vma)
{
	/* Compared in pages: a 32-bit shift would lose the high bits. */
	unsigned long pgoff = vma->vm_pgoff;
	unsigned long nr = vma_pages(vma);
	unsigned long addr = vma->vm_start;
	struct page **pages;
	unsigned long i;
	int err;

	if (pgoff == KEVENT_OFF_CONS >> PAGE_SHIFT) {
		if (nr != 1)
			return -EINVAL;
		pages = ring->pages;
	} else if (pgoff == KEVENT_OFF_PROD >> PAGE_SHIFT) {
		if (nr > ring->nr_pages - 1)
			return -EINVAL;
		if (vma->vm_flags & VM_WRITE)
			return -EPERM;
		vm_flags_clear(vma, VM_MAYWRITE);
		pages = ring->pages + 1;
	} else {
		return -EINVAL;
	}

	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	for (i = 0; i < nr; i++, addr += PAGE_SIZE) {
		err = vm_insert_page(vma, addr, pages[i]);
		if (err)
			return err;
	}
	return 0;
}

/* KEVENT_RING_F_BACKLOG on or off; the mode bit stays. */
static void ring_set_backlog(struct kevent_user *u, bool on)
{
	WRITE_ONCE(u->ring.prod->flags,
		   (u->head_commits ? KEVENT_RING_F_HEAD_COMMITS : 0) |
		   (on ? KEVENT_RING_F_BACKLOG : 0));
}

/*
 * Write @k into the slot at the tail; the caller knows there is room.
 * Inline, as ring_queue() is: a fire's push is one call.
 */
static __always_inline void kevent_ring_write(struct kevent_user *u,
					      struct kevent *k)
{
	struct kevent_ready_ring *ring = &u->ring;
	u32 tail = ring->tail;
	struct ukevent *e;

	if (k->state & KEVENT_S_BROKEN)
		k->state |= KEVENT_S_BROKEN_SENT;
	e = &ring->entries[tail & ring->mask];
	kevent_event_to_user(e, &k->event);
	/* Before COALESCED is cleared: the event says what the entry says. */
	trace_kevent_ring_enqueue(k, tail);
	k->event.ret_flags &= ~KEVENT_RET_COALESCED;
	ring->shadow[tail & ring->mask] = k;
	k->slot = tail;
	k->state |= KEVENT_S_RING;
	/* Lockless readers: kevent_avail() of waiters. */
	WRITE_ONCE(ring->tail, tail + 1);
	/*
	 * Publish the entry: pairs with the load-acquire of prod->tail in
	 * userspace (kevent_ring_tail() in libkevent), which then reads it.
	 */
	smp_store_release(&ring->prod->tail, tail + 1);
}

/*
 * Queue a ready request: into the ring if there is room and nothing waits
 * before it, else onto the backlog.  Never takes the head back: the
 * release path re-queues through here.
 */
static __always_inline void ring_queue(struct kevent_user *u,
				       struct kevent *k)
{
	struct kevent_ready_ring *ring = &u->ring;

	lockdep_assert_held(&u->ready_lock);

	if (kevent_ring_full(ring->committed, ring->tail, ring->mask) ||
	    u->nr_backlog) {
		list_add_tail(&k->ready_entry, &u->backlog);
		u->nr_backlog++;
		k->state |= KEVENT_S_QUEUED;
		ring_set_backlog(u, true);
		trace_kevent_backlog(k, u->nr_backlog, ring->tail,
				     ring->committed);
		return;
	}
	kevent_ring_write(u, k);
}

/*
 * Queue a request that has just become ready.  In head mode a full ring,
 * or a backlog, first takes back what the consumer's head has given: a
 * bounded batch, since this may run in hardirq context.
 */
void kevent_ring_push(struct kevent_user *u, struct kevent *k)
{
	struct kevent_ready_ring *ring = &u->ring;

	lockdep_assert_held(&u->ready_lock);

	if (u->head_commits &&
	    (kevent_ring_full(ring->committed, ring->tail, ring->mask) ||
	     u->nr_backlog))
		kevent_ring_reclaim(u, KEVENT_COMMIT_BATCH);
	/* Delivered now: nothing to ask again (the list shares ready_entry). */
	kevent_repoll_del(u, k);
	ring_queue(u, k);
}

/*
 * @k is being removed: take it out of the backlog, or mark its entry in
 * the ring, which stays there until committed, as belonging to nobody.  One
 * 32-bit store, so a reader sees the flag or not, never a torn word.
 */
void kevent_ring_forget(struct kevent_user *u, struct kevent *k)
{
	struct kevent_ready_ring *ring = &u->ring;
	struct ukevent *e;

	lockdep_assert_held(&u->ready_lock);

	if (k->state & KEVENT_S_QUEUED) {
		list_del_init(&k->ready_entry);
		u->nr_backlog--;
		if (!u->nr_backlog)
			ring_set_backlog(u, false);
	}
	/* Given back in head mode, waiting for the reap work. */
	if (k->state & KEVENT_S_REAP)
		list_del_init(&k->ready_entry);
	kevent_repoll_del(u, k);
	if (k->state & KEVENT_S_RING) {
		ring->shadow[k->slot & ring->mask] = NULL;
		e = &ring->entries[k->slot & ring->mask];
		WRITE_ONCE(e->ret_flags, e->ret_flags | KEVENT_RET_REMOVED);
	}
	k->state &= ~(KEVENT_S_READY | KEVENT_S_REAP);
}

/* Move backlog requests into free slots, oldest first. */
static void kevent_ring_flush(struct kevent_user *u)
{
	struct kevent_ready_ring *ring = &u->ring;
	struct kevent *k;

	lockdep_assert_held(&u->ready_lock);

	while (u->nr_backlog &&
	       !kevent_ring_full(ring->committed, ring->tail, ring->mask)) {
		k = list_first_entry(&u->backlog, struct kevent, ready_entry);
		list_del_init(&k->ready_entry);
		u->nr_backlog--;
		k->state &= ~KEVENT_S_QUEUED;
		kevent_ring_write(u, k);
	}
	if (!u->nr_backlog)
		ring_set_backlog(u, false);
}

/*
 * The delivery of @k, which was in the ring, has ended (its slot was given
 * back): apply its flags.  One that must go is marked dead, so that no fire
 * queues it again, and put on the reap list: removing it may sleep, and we
 * may be in hardirq context.  kevent_reap() removes it.
 */
static void ring_end_delivery(struct kevent_user *u, struct kevent *k)
{
	lockdep_assert_held(&u->ready_lock);

	k->state &= ~KEVENT_S_RING;
	if ((k->event.req_flags & KEVENT_REQ_ONESHOT) ||
	    (k->state & KEVENT_S_BROKEN_SENT)) {
		k->state |= KEVENT_S_DEAD | KEVENT_S_REAP;
		list_add_tail(&k->ready_entry, &u->reap);
	} else if (k->state & (KEVENT_S_MISSED | KEVENT_S_BROKEN)) {
		k->state &= ~KEVENT_S_MISSED;
		if (!(k->state & KEVENT_S_BROKEN))
			k->event.ret_flags |= KEVENT_RET_COALESCED;
		ring_queue(u, k);
	} else if (kevent_asks_again(k)) {
		/* Level, on a state: the consumer asks the source again. */
		kevent_repoll_add(u, k);
	}
}

/* Release the slots in [committed, @end); ready_lock held. */
static void kevent_ring_release(struct kevent_user *u, u32 end)
{
	struct kevent_ready_ring *ring = &u->ring;
	struct kevent *k;
	u32 idx;

	lockdep_assert_held(&u->ready_lock);

	for (idx = ring->committed; idx != end; idx++) {
		k = ring->shadow[idx & ring->mask];
		if (!k)
			continue;	/* removed, or settled, while in the ring */
		ring->shadow[idx & ring->mask] = NULL;
		ring_end_delivery(u, k);
	}
	WRITE_ONCE(ring->committed, end);
	WRITE_ONCE(ring->prod->committed, end);
	kevent_ring_flush(u);
}

/* The consumer's head, if it lies in [committed, tail], else committed. */
static u32 ring_head(struct kevent_ready_ring *ring)
{
	/*
	 * Pairs with the consumer's store-release of head
	 * (kevent_ring_set_head() in libkevent), after its last read of the
	 * entries before it: we may overwrite them once we have seen it.
	 */
	u32 head = smp_load_acquire(&ring->cons->head);

	if (!kevent_ring_index_valid(ring->committed, ring->tail, head))
		return ring->committed;
	return head;
}

/* Requests to remove: the reap work runs where it may sleep. */
static void ring_kick_reap(struct kevent_user *u)
{
	lockdep_assert_held(&u->ready_lock);

	if (!list_empty(&u->reap))
		queue_work(kevent_wq, &u->reap_work);
}

/*
 * Head mode: give back up to @max of the slots before the consumer's head.
 * Any context.  Returns the number given back.
 */
u32 kevent_ring_reclaim(struct kevent_user *u, u32 max)
{
	struct kevent_ready_ring *ring = &u->ring;
	u32 committed = ring->committed, end;

	lockdep_assert_held(&u->ready_lock);

	if (!u->head_commits)
		return 0;
	end = ring_head(ring);
	if (end - committed > max)
		end = committed + max;
	if (end == committed)
		return 0;
	trace_kevent_commit(u, committed, end, ring->tail, u->nr_backlog);
	kevent_ring_release(u, end);
	ring_kick_reap(u);
	return end - committed;
}

/**
 * kevent_ring_take_head() - head mode: give back every slot before the head
 * @u: the queue
 * @from_poll: from ->poll(): neither reschedule between batches nor wake
 *	the queue's waiters (a poller may be woken through this very queue;
 *	it reads the state itself)
 *
 * Context: process; takes ready_lock, a batch of slots per hold.
 * Return: the number of slots given back.
 */
u32 kevent_ring_take_head(struct kevent_user *u, bool from_poll)
{
	u32 n, total = 0;

	if (!u->head_commits)
		return 0;
	do {
		spin_lock_irq(&u->ready_lock);
		n = kevent_ring_reclaim(u, KEVENT_COMMIT_BATCH);
		spin_unlock_irq(&u->ready_lock);
		total += n;
		if (n && !from_poll)
			cond_resched();
	} while (n == KEVENT_COMMIT_BATCH);
	/* Requests queued again, the backlog moved in: others may wait. */
	if (total && !from_poll)
		kevent_wake(u);
	return total;
}

/*
 * Head mode, a fire has reached @k in the ring: if the consumer's head has
 * passed its entry, its delivery has been read, and ends now, alone (the
 * slot is freed in order later; its shadow is cleared so that nothing
 * happens to @k then).  The fire then finds @k as a commit would have left
 * it.
 */
void kevent_ring_settle(struct kevent_user *u, struct kevent *k)
{
	struct kevent_ready_ring *ring = &u->ring;
	u32 head;

	lockdep_assert_held(&u->ready_lock);

	head = ring_head(ring);
	if (k->slot - ring->committed >= head - ring->committed)
		return;		/* unread */
	ring->shadow[k->slot & ring->mask] = NULL;
	ring_end_delivery(u, k);
	ring_kick_reap(u);
}

/*
 * Release the slots before @new_uidx.  Their requests are re-armed; those
 * that must go (ONESHOT, broken and reported) are removed.
 * Returns the number of slots released, or -EINVAL.
 */
int kevent_ring_commit(struct kevent_user *u, u32 new_uidx)
{
	struct kevent_ready_ring *ring = &u->ring;
	u32 n, end;

	lockdep_assert_held(&u->ctl_mutex);

	spin_lock_irq(&u->ready_lock);
	/* The tail only grows and only we move committed: stays valid. */
	if (!kevent_ring_index_valid(ring->committed, ring->tail, new_uidx)) {
		spin_unlock_irq(&u->ready_lock);
		return -EINVAL;
	}
	n = new_uidx - ring->committed;
	trace_kevent_commit(u, ring->committed, new_uidx, ring->tail,
			    u->nr_backlog);
	for (;;) {
		end = kevent_ring_batch_end(ring->committed, new_uidx);
		kevent_ring_release(u, end);
		if (end == new_uidx)
			break;
		spin_unlock_irq(&u->ready_lock);
		cond_resched();
		spin_lock_irq(&u->ready_lock);
		/* Head mode: a fire may have taken the head back past it. */
		if (!kevent_ring_index_valid(ring->committed, ring->tail,
					     new_uidx))
			break;
	}
	spin_unlock_irq(&u->ready_lock);

	kevent_reap(u);
	if (n)
		kevent_wake(u);
	return n;
}

/*
 * Entries userspace has not read yet, by its own account: cons->head is
 * user memory, so it is read once and, if it is not between the committed
 * index and the tail, ignored.  The two indices are read under the lock
 * that moves them: read apart, a commit in between made tail - committed
 * wrap, and an empty ring look full.
 */
u32 kevent_ring_unread(struct kevent_user *u)
{
	struct kevent_ready_ring *ring = &u->ring;
	u32 tail = ring->tail;
	u32 committed, head;

	lockdep_assert_held(&u->ready_lock);

	kevent_race_window(KEVENT_RACE_UNREAD);
	committed = ring->committed;
	/* A hint only, no data depends on it, so no acquire: pairs with nothing. */
	head = READ_ONCE(ring->cons->head);

	return kevent_ring_unread_from(committed, tail, head);
}
