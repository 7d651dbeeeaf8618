// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tables for kevent_s390_log.ko's arithmetic and argument checks
 * (drivers/s390/char/s390_log_math.h): the record buffer's overflow and
 * loss math, and which device ids, event bits and buffer sizes pass.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/module.h>

#include "s390_log_math.h"

struct oldest_row {
	u64 next, size, oldest;
};

static const struct oldest_row oldest_rows[] = {
	{ 1, 16, 1 },			/* empty */
	{ 16, 16, 1 },
	{ 17, 16, 1 },			/* full, nothing lost yet */
	{ 18, 16, 2 },			/* record 1 overwritten */
	{ 1000, 16, 984 },
	{ U64_MAX, 262144, U64_MAX - 262144 },
};

static void buf_oldest_test(struct kunit *test)
{
	const struct oldest_row *r;

	for (r = oldest_rows; r < oldest_rows + ARRAY_SIZE(oldest_rows); r++)
		KUNIT_EXPECT_EQ_MSG(test, kevent_s390_log_oldest(r->next, r->size),
				    r->oldest, "next %llu size %llu",
				    r->next, r->size);
}

struct seq_row {
	u64 seq, next, size;
	int ret;
};

static const struct seq_row seq_rows[] = {
	{ 1, 1, 16, 0 },		/* empty: nothing to read yet */
	{ 2, 1, 16, -ERANGE },
	{ 0, 1, 16, -EOVERFLOW },	/* never a record */
	{ 1, 17, 16, 0 },
	{ 17, 17, 16, 0 },
	{ 1, 18, 16, -EOVERFLOW },
	{ 2, 18, 16, 0 },
	{ 18, 18, 16, 0 },
	{ 19, 18, 16, -ERANGE },
	{ 983, 1000, 16, -EOVERFLOW },
	{ 984, 1000, 16, 0 },
};

static void buf_seq_check_test(struct kunit *test)
{
	const struct seq_row *r;

	for (r = seq_rows; r < seq_rows + ARRAY_SIZE(seq_rows); r++)
		KUNIT_EXPECT_EQ_MSG(test,
				    kevent_s390_log_seq_check(r->seq, r->next,
							      r->size),
				    r->ret, "seq %llu next %llu size %llu",
				    r->seq, r->next, r->size);
}

struct lost_row {
	u64 seq, oldest, lost;
};

static const struct lost_row lost_rows[] = {
	{ 1, 1, 0 },
	{ 1, 2, 1 },
	{ 5, 105, 100 },
	{ 105, 105, 0 },
	{ 200, 105, 0 },
};

static void buf_lost_test(struct kunit *test)
{
	const struct lost_row *r;

	for (r = lost_rows; r < lost_rows + ARRAY_SIZE(lost_rows); r++)
		KUNIT_EXPECT_EQ_MSG(test, kevent_s390_log_lost(r->seq, r->oldest),
				    r->lost, "seq %llu oldest %llu",
				    r->seq, r->oldest);
}

/*
 * A read from every seq up to past @next, against @slot, the model of the
 * buffer's slots after records 1..next-1 were stored.
 */
static void model_reads(struct kunit *test, const u64 *slot, u64 size,
			u64 next)
{
	u64 oldest = kevent_s390_log_oldest(next, size);
	u64 seq;
	int ret;

	for (seq = 1; seq <= next + 1; seq++) {
		ret = kevent_s390_log_seq_check(seq, next, size);
		if (seq > next)
			KUNIT_ASSERT_EQ(test, ret, -ERANGE);
		else if (seq == next || slot[seq & (size - 1)] == seq)
			KUNIT_ASSERT_EQ_MSG(test, ret, 0, "size %llu next %llu seq %llu",
					    size, next, seq);
		else
			KUNIT_ASSERT_EQ_MSG(test, ret, -EOVERFLOW,
					    "size %llu next %llu seq %llu",
					    size, next, seq);
		/* A reader behind loses what it skips, then reads the rest. */
		if (ret == -EOVERFLOW)
			KUNIT_ASSERT_EQ(test, kevent_s390_log_lost(seq, oldest) +
					(next - oldest), next - seq);
	}
}

/*
 * The math against a model of the buffer: store records 1, 2, ... into
 * @size slots as the buffer does (seq & mask).  After each, every sequence
 * number the math calls readable must still be in its slot and every one
 * it calls overwritten must not; and the counts STATS reports must add up.
 * Asserts: the first wrong row ends the case, instead of thousands of
 * messages.
 */
static void buf_model_test(struct kunit *test)
{
	static const u64 sizes[] = { 16, 32 };
	u64 slot[32], size, next, oldest, held;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		size = sizes[i];
		memset(slot, 0, sizeof(slot));
		for (next = 1; next <= 5 * size; next++) {
			if (next > 1)
				slot[(next - 1) & (size - 1)] = next - 1;
			oldest = kevent_s390_log_oldest(next, size);
			held = min(next - 1, size);
			KUNIT_ASSERT_EQ_MSG(test, next - oldest, held,
					    "records: size %llu next %llu",
					    size, next);
			KUNIT_ASSERT_EQ_MSG(test, oldest - 1, next - 1 - held,
					    "overwritten: size %llu next %llu",
					    size, next);
			model_reads(test, slot, size, next);
		}
	}
}

struct payload_row {
	size_t len, kept;
};

static const struct payload_row payload_rows[] = {
	{ 0, 0 },
	{ 1, 1 },
	{ KEVENT_S390_LOG_PAYLOAD_MAX, KEVENT_S390_LOG_PAYLOAD_MAX },
	{ KEVENT_S390_LOG_PAYLOAD_MAX + 1, KEVENT_S390_LOG_PAYLOAD_MAX },
	{ SIZE_MAX, KEVENT_S390_LOG_PAYLOAD_MAX },
};

static void buf_payload_len_test(struct kunit *test)
{
	const struct payload_row *r;

	for (r = payload_rows; r < payload_rows + ARRAY_SIZE(payload_rows); r++)
		KUNIT_EXPECT_EQ_MSG(test, kevent_s390_log_payload_len(r->len),
				    r->kept, "len %zu", r->len);
}

struct records_row {
	unsigned int records;
	bool valid;
};

static const struct records_row records_rows[] = {
	{ 0, false },
	{ 1, false },
	{ 8, false },
	{ 15, false },
	{ 16, true },
	{ 17, false },
	{ 24, false },
	{ 4096, true },
	{ 262144, true },
	{ 262145, false },
	{ 524288, false },
	{ 0x80000000, false },
	{ UINT_MAX, false },
};

static void buf_records_valid_test(struct kunit *test)
{
	const struct records_row *r;

	for (r = records_rows; r < records_rows + ARRAY_SIZE(records_rows); r++)
		KUNIT_EXPECT_EQ_MSG(test, kevent_s390_log_records_valid(r->records),
				    r->valid, "records %u", r->records);
}

static struct kunit_case buf_cases[] = {
	KUNIT_CASE(buf_oldest_test),
	KUNIT_CASE(buf_seq_check_test),
	KUNIT_CASE(buf_lost_test),
	KUNIT_CASE(buf_model_test),
	KUNIT_CASE(buf_payload_len_test),
	KUNIT_CASE(buf_records_valid_test),
	{}
};

static struct kunit_suite buf_suite = {
	.name = "kevent_s390_log_buf",
	.test_cases = buf_cases,
};

struct devid_row {
	u64 devid;
	bool valid;
};

static const struct devid_row devid_rows[] = {
	{ KEVENT_S390_DEVID(0, 0, 0x180), true },
	{ 0, true },
	{ KEVENT_S390_DEVID(0xff, KEVENT_S390_SSID_MAX, 0xffff), true },
	{ KEVENT_S390_DEVID(0, KEVENT_S390_SSID_MAX + 1, 0), false },
	{ KEVENT_S390_DEVID(0, 0xff, 0x180), false },
	{ KEVENT_S390_LOG_ANY_DEV, false },
	{ (u64)U32_MAX + 1, false },
	{ BIT_ULL(32) | KEVENT_S390_DEVID(0, 0, 0x180), false },
	{ U64_MAX, false },
};

static void devid_valid_test(struct kunit *test)
{
	const struct devid_row *r;

	for (r = devid_rows; r < devid_rows + ARRAY_SIZE(devid_rows); r++)
		KUNIT_EXPECT_EQ_MSG(test, kevent_s390_devid_valid(r->devid),
				    r->valid, "devid %#llx", r->devid);
}

/*
 * Every cssid and ssid a bus id can have, with a few devnos, packs into a
 * valid id and unpacks intact.  Asserts: the first wrong id ends the case.
 */
static void devid_pack_test(struct kunit *test)
{
	static const u32 devnos[] = { 0, 1, 0x180, 0xfffe, 0xffff };
	u32 cssid, ssid, i, id;

	for (cssid = 0; cssid <= 0xff; cssid++) {
		for (ssid = 0; ssid <= KEVENT_S390_SSID_MAX; ssid++) {
			for (i = 0; i < ARRAY_SIZE(devnos); i++) {
				id = KEVENT_S390_DEVID(cssid, ssid, devnos[i]);
				KUNIT_ASSERT_TRUE_MSG(test,
						      kevent_s390_devid_valid(id),
						      "devid %#x", id);
				KUNIT_ASSERT_EQ_MSG(test,
						    KEVENT_S390_DEVID_CSSID(id),
						    cssid, "devid %#x", id);
				KUNIT_ASSERT_EQ_MSG(test,
						    KEVENT_S390_DEVID_SSID(id),
						    ssid, "devid %#x", id);
				KUNIT_ASSERT_EQ_MSG(test,
						    KEVENT_S390_DEVID_DEVNO(id),
						    devnos[i], "devid %#x", id);
			}
		}
	}
}

struct event_row {
	u32 event;
	bool valid;
};

static const struct event_row event_rows[] = {
	{ 0, false },
	{ KEVENT_S390_TAPE_LOADED, true },
	{ KEVENT_S390_TAPE_UNLOADED, true },
	{ KEVENT_S390_DEVICE_REMOVED, true },
	{ KEVENT_S390_DEVICE_REMOVED << 1, false },
	{ KEVENT_S390_TAPE_LOADED | KEVENT_S390_TAPE_UNLOADED, false },
	{ KEVENT_S390_EVENTS_ALL, false },
	{ BIT(31), false },
	{ U32_MAX, false },
};

static void event_valid_test(struct kunit *test)
{
	const struct event_row *r;
	unsigned int bit;

	for (r = event_rows; r < event_rows + ARRAY_SIZE(event_rows); r++)
		KUNIT_EXPECT_EQ_MSG(test, kevent_s390_log_event_valid(r->event),
				    r->valid, "event %#x", r->event);
	/* Exactly the bits of KEVENT_S390_EVENTS_ALL, one at a time. */
	for (bit = 0; bit < 32; bit++)
		KUNIT_EXPECT_EQ_MSG(test, kevent_s390_log_event_valid(BIT(bit)),
				    !!(BIT(bit) & KEVENT_S390_EVENTS_ALL),
				    "bit %u", bit);
}

static struct kunit_case devid_cases[] = {
	KUNIT_CASE(devid_valid_test),
	KUNIT_CASE(devid_pack_test),
	KUNIT_CASE(event_valid_test),
	{}
};

static struct kunit_suite devid_suite = {
	.name = "kevent_s390_log_args",
	.test_cases = devid_cases,
};

kunit_test_suites(&buf_suite, &devid_suite);

MODULE_DESCRIPTION("KUnit tables for the kevent s390 log buffer math and argument checks");
MODULE_LICENSE("GPL");
