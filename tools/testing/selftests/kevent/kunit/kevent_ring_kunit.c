// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tables for the ready ring's index arithmetic (kevent/ring_index.h).
 *
 * The indices are free-running u32 counters, so every table has rows where
 * they wrap at 2^32; a comparison made on the counters themselves instead
 * of on their differences fails those rows.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/module.h>

#include "ring_index.h"

#define WRAP(x)	((u32)(x))	/* a u32 just below 2^32 when x < 0 */

struct full_row {
	u32 committed, tail, mask;
	bool full;
};

static const struct full_row full_rows[] = {
	{ 0, 0, 7, false },			/* empty */
	{ 0, 7, 7, false },			/* one slot free */
	{ 0, 8, 7, true },
	{ 5, 13, 7, true },
	{ WRAP(-4), 3, 7, false },		/* 7 used across the wrap */
	{ WRAP(-4), 4, 7, true },		/* 8 used across the wrap */
	{ WRAP(-1), WRAP(-1), 0, false },	/* one slot, empty */
	{ WRAP(-1), 0, 0, true },		/* one slot, used, wrapped */
	{ 0, 0x100000, 0xfffff, true },		/* 2^20 slots */
	{ 10, 9, 7, true },	/* tail behind committed: never "room" */
};

static void ring_full_test(struct kunit *test)
{
	const struct full_row *r;

	for (r = full_rows; r < full_rows + ARRAY_SIZE(full_rows); r++)
		KUNIT_EXPECT_EQ_MSG(test,
				    kevent_ring_full(r->committed, r->tail, r->mask),
				    r->full, "committed %u tail %u mask %u",
				    r->committed, r->tail, r->mask);
}

struct index_row {
	u32 committed, tail, idx;
	bool valid;
};

static const struct index_row index_rows[] = {
	{ 0, 0, 0, true },
	{ 0, 0, 1, false },
	{ 0, 5, 3, true },
	{ 0, 5, 5, true },			/* the tail itself */
	{ 0, 5, 6, false },
	{ 10, 20, 9, false },			/* already committed */
	{ 10, 20, WRAP(-1), false },
	{ WRAP(-16), 16, WRAP(-16), true },
	{ WRAP(-16), 16, WRAP(-1), true },
	{ WRAP(-16), 16, 0, true },
	{ WRAP(-16), 16, 16, true },
	{ WRAP(-16), 16, 17, false },
	{ WRAP(-16), 16, WRAP(-17), false },
};

static void ring_index_valid_test(struct kunit *test)
{
	const struct index_row *r;

	for (r = index_rows; r < index_rows + ARRAY_SIZE(index_rows); r++)
		KUNIT_EXPECT_EQ_MSG(test,
				    kevent_ring_index_valid(r->committed, r->tail,
							    r->idx),
				    r->valid, "committed %u tail %u idx %u",
				    r->committed, r->tail, r->idx);
}

struct unread_row {
	u32 committed, tail, head, unread;
};

static const struct unread_row unread_rows[] = {
	{ 0, 0, 0, 0 },
	{ 0, 5, 0, 5 },
	{ 0, 5, 3, 2 },
	{ 0, 5, 5, 0 },
	{ 0, 5, 6, 5 },			/* head past the tail: ignored */
	{ 0, 5, WRAP(-1), 5 },
	{ 10, 20, 5, 10 },		/* head before committed: ignored */
	{ WRAP(-2), 2, WRAP(-1), 3 },
	{ WRAP(-2), 2, 1, 1 },
	{ WRAP(-2), 2, 3, 4 },
};

static void ring_unread_test(struct kunit *test)
{
	const struct unread_row *r;

	for (r = unread_rows; r < unread_rows + ARRAY_SIZE(unread_rows); r++)
		KUNIT_EXPECT_EQ_MSG(test,
				    kevent_ring_unread_from(r->committed, r->tail,
							    r->head),
				    r->unread, "committed %u tail %u head %u",
				    r->committed, r->tail, r->head);
}

struct batch_row {
	u32 committed, end, batch_end;
};

static const struct batch_row batch_rows[] = {
	{ 0, 0, 0 },
	{ 0, 1, 1 },
	{ 0, 64, 64 },
	{ 0, 65, 64 },
	{ 0, 1000, 64 },
	{ 100, 164, 164 },
	{ 100, 165, 164 },
	{ WRAP(-32), 32, 32 },
	{ WRAP(-32), 33, 32 },
	{ WRAP(-16), 0x100, 48 },
};

static void ring_batch_end_test(struct kunit *test)
{
	const struct batch_row *r;

	for (r = batch_rows; r < batch_rows + ARRAY_SIZE(batch_rows); r++)
		KUNIT_EXPECT_EQ_MSG(test,
				    kevent_ring_batch_end(r->committed, r->end),
				    r->batch_end, "committed %u end %u",
				    r->committed, r->end);
}

/*
 * kevent_ring_commit()'s loop: it releases to kevent_ring_batch_end()
 * until that is the end, dropping the lock between batches.  Every batch
 * but a commit of nothing moves, none is longer than KEVENT_COMMIT_BATCH,
 * and together they release exactly what was asked.
 */
static void ring_commit_batches_test(struct kunit *test)
{
	static const u32 starts[] = { 0, WRAP(-64), WRAP(-11) };
	static const u32 counts[] = { 0, 1, 63, 64, 65, 128, 129, 1000, 65536 };
	u32 committed, end, next, batches;
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(starts); i++) {
		for (j = 0; j < ARRAY_SIZE(counts); j++) {
			committed = starts[i];
			end = committed + counts[j];
			batches = 0;
			for (;;) {
				next = kevent_ring_batch_end(committed, end);
				batches++;
				KUNIT_ASSERT_LE_MSG(test, next - committed,
						    (u32)KEVENT_COMMIT_BATCH,
						    "start %u count %u",
						    starts[i], counts[j]);
				KUNIT_ASSERT_TRUE_MSG(test,
						      next != committed ||
						      next == end,
						      "start %u count %u: stuck",
						      starts[i], counts[j]);
				committed = next;
				if (next == end)
					break;
			}
			KUNIT_ASSERT_EQ_MSG(test, batches,
					    counts[j] ?
					    DIV_ROUND_UP(counts[j],
							 KEVENT_COMMIT_BATCH) : 1,
					    "start %u count %u",
					    starts[i], counts[j]);
		}
	}
}

struct chunk_row {
	u32 from, n, mask, chunk;
};

static const struct chunk_row chunk_rows[] = {
	{ 0, 0, 7, 0 },
	{ 0, 8, 7, 8 },
	{ 3, 5, 7, 5 },
	{ 3, 6, 7, 5 },
	{ 7, 1, 7, 1 },
	{ 7, 2, 7, 1 },
	{ 8, 8, 7, 8 },			/* index 8 is slot 0 */
	{ WRAP(-2), 4, 7, 2 },
	{ WRAP(-1), 1, 0, 1 },		/* one slot */
	{ 0xfffff, 10, 0xfffff, 1 },	/* 2^20 slots */
};

static void ring_chunk_test(struct kunit *test)
{
	const struct chunk_row *r;

	for (r = chunk_rows; r < chunk_rows + ARRAY_SIZE(chunk_rows); r++)
		KUNIT_EXPECT_EQ_MSG(test, kevent_ring_chunk(r->from, r->n, r->mask),
				    r->chunk, "from %u n %u mask %u",
				    r->from, r->n, r->mask);
}

/*
 * Every copy of up to a ring's worth: the first piece ends at the end of
 * the array or covers all, and the rest, from slot 0, stops before the
 * first piece's slot.  Asserts: the first wrong row ends the case.
 */
static void ring_chunk_cover_test(struct kunit *test)
{
	const u32 mask = 7;
	u32 from, n, chunk;

	for (from = WRAP(-9); from != 20; from++) {
		for (n = 0; n <= mask + 1; n++) {
			chunk = kevent_ring_chunk(from, n, mask);
			KUNIT_ASSERT_LE_MSG(test, chunk, n, "from %u n %u",
					    from, n);
			KUNIT_ASSERT_LE_MSG(test, n - chunk, from & mask,
					    "from %u n %u", from, n);
			if (chunk < n)
				KUNIT_ASSERT_EQ_MSG(test, (from & mask) + chunk,
						    mask + 1, "from %u n %u",
						    from, n);
		}
	}
}

static struct kunit_case ring_cases[] = {
	KUNIT_CASE(ring_full_test),
	KUNIT_CASE(ring_index_valid_test),
	KUNIT_CASE(ring_unread_test),
	KUNIT_CASE(ring_batch_end_test),
	KUNIT_CASE(ring_commit_batches_test),
	KUNIT_CASE(ring_chunk_test),
	KUNIT_CASE(ring_chunk_cover_test),
	{}
};

static struct kunit_suite ring_suite = {
	.name = "kevent_ring",
	.test_cases = ring_cases,
};

kunit_test_suite(ring_suite);

MODULE_DESCRIPTION("KUnit tables for the kevent ring index arithmetic");
MODULE_LICENSE("GPL");
