/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kevent_s390_log.ko's arithmetic and argument checks, apart from the code
 * that locks and copies, so that KUnit can check them with tables
 * (tools/testing/selftests/kevent/kunit/).
 *
 * The record buffer holds @size records, a power of two; record seq lives
 * in slot seq & (size - 1).  Sequence numbers start at 1 and @next is the
 * one the next record gets, so the buffer holds [oldest, next) with
 * oldest = max(1, next - size), and exactly oldest - 1 records have been
 * overwritten.
 */
#ifndef _KEVENT_S390_LOG_MATH_H
#define _KEVENT_S390_LOG_MATH_H

#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/types.h>
#include <uapi/linux/kevent_s390_log.h>

#define KEVENT_S390_LOG_RECORDS_MIN	16U
#define KEVENT_S390_LOG_RECORDS_MAX	262144U	/* 2^18: 24 MiB of records */

/* A device id names a subchannel set that can exist. */
static inline bool kevent_s390_devid_valid(u64 devid)
{
	return devid <= U32_MAX &&
	       KEVENT_S390_DEVID_SSID(devid) <= KEVENT_S390_SSID_MAX;
}

/* A notify reports exactly one known event bit. */
static inline bool kevent_s390_log_event_valid(u32 event)
{
	return is_power_of_2(event) && !(event & ~KEVENT_S390_EVENTS_ALL);
}

/* The records= module parameter: a power of two within the limits. */
static inline bool kevent_s390_log_records_valid(unsigned int records)
{
	return is_power_of_2(records) &&
	       records >= KEVENT_S390_LOG_RECORDS_MIN &&
	       records <= KEVENT_S390_LOG_RECORDS_MAX;
}

/* The oldest record a buffer of @size holds, or @next when it holds none. */
static inline u64 kevent_s390_log_oldest(u64 next, u64 size)
{
	return next > size ? next - size : 1;
}

/*
 * Whether a read from @seq finds records: 0 when it does (none when @seq is
 * @next), -ERANGE when @seq was never issued, -EOVERFLOW when it has been
 * overwritten.
 */
static inline int kevent_s390_log_seq_check(u64 seq, u64 next, u64 size)
{
	if (seq > next)
		return -ERANGE;
	if (seq < kevent_s390_log_oldest(next, size))
		return -EOVERFLOW;
	return 0;
}

/* Records a read from @seq loses when the oldest one left is @oldest. */
static inline u64 kevent_s390_log_lost(u64 seq, u64 oldest)
{
	return seq < oldest ? oldest - seq : 0;
}

/* Payload bytes a record keeps of @len; fewer than @len means truncated. */
static inline size_t kevent_s390_log_payload_len(size_t len)
{
	return min_t(size_t, len, KEVENT_S390_LOG_PAYLOAD_MAX);
}

#endif /* _KEVENT_S390_LOG_MATH_H */
