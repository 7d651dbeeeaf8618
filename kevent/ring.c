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

int kevent_ring_create(struct kevent_ready_ring *ring, u32 entries)
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

/* Write @k into the slot at the tail; the caller knows there is room. */
static void kevent_ring_write(struct kevent_user *u, struct kevent *k)
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
 * before it, else onto the backlog.
 */
void kevent_ring_push(struct kevent_user *u, struct kevent *k)
{
	struct kevent_ready_ring *ring = &u->ring;

	lockdep_assert_held(&u->ready_lock);

	if (kevent_ring_full(ring->committed, ring->tail, ring->mask) ||
	    u->nr_backlog) {
		list_add_tail(&k->ready_entry, &u->backlog);
		u->nr_backlog++;
		k->state |= KEVENT_S_QUEUED;
		WRITE_ONCE(ring->prod->flags, KEVENT_RING_F_BACKLOG);
		trace_kevent_backlog(k, u->nr_backlog, ring->tail,
				     ring->committed);
		return;
	}
	kevent_ring_write(u, k);
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
			WRITE_ONCE(ring->prod->flags, 0);
	}
	if (k->state & KEVENT_S_RING) {
		ring->shadow[k->slot & ring->mask] = NULL;
		e = &ring->entries[k->slot & ring->mask];
		WRITE_ONCE(e->ret_flags, e->ret_flags | KEVENT_RET_REMOVED);
	}
	k->state &= ~KEVENT_S_READY;
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
		WRITE_ONCE(ring->prod->flags, 0);
}

/* Release the slots in [committed, @end); ready_lock held. */
static void kevent_ring_release(struct kevent_user *u, u32 end,
				struct list_head *dead)
{
	struct kevent_ready_ring *ring = &u->ring;
	struct kevent *k;
	u32 idx;

	lockdep_assert_held(&u->ready_lock);

	for (idx = ring->committed; idx != end; idx++) {
		k = ring->shadow[idx & ring->mask];
		if (!k)
			continue;	/* removed while in the ring */
		ring->shadow[idx & ring->mask] = NULL;
		k->state &= ~KEVENT_S_RING;
		if ((k->event.req_flags & KEVENT_REQ_ONESHOT) ||
		    (k->state & KEVENT_S_BROKEN_SENT)) {
			k->state |= KEVENT_S_DEAD;
			list_add_tail(&k->ready_entry, dead);
		} else if (k->state & (KEVENT_S_MISSED | KEVENT_S_BROKEN)) {
			k->state &= ~KEVENT_S_MISSED;
			if (!(k->state & KEVENT_S_BROKEN))
				k->event.ret_flags |= KEVENT_RET_COALESCED;
			kevent_ring_push(u, k);
		}
	}
	WRITE_ONCE(ring->committed, end);
	WRITE_ONCE(ring->prod->committed, end);
	kevent_ring_flush(u);
}

/*
 * Release the slots before @new_uidx.  Their requests are re-armed; those
 * that must go (ONESHOT, broken and reported) are removed.
 * Returns the number of slots released, or -EINVAL.
 */
int kevent_ring_commit(struct kevent_user *u, u32 new_uidx)
{
	struct kevent_ready_ring *ring = &u->ring;
	struct kevent *k, *tmp;
	LIST_HEAD(dead);
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
		kevent_ring_release(u, end, &dead);
		if (end == new_uidx)
			break;
		spin_unlock_irq(&u->ready_lock);
		cond_resched();
		spin_lock_irq(&u->ready_lock);
	}
	spin_unlock_irq(&u->ready_lock);

	list_for_each_entry_safe(k, tmp, &dead, ready_entry) {
		list_del_init(&k->ready_entry);
		kevent_remove(u, k);
	}
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
