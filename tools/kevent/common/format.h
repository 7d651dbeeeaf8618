/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How s390 log records are written down: event names and CCW bus ids
 * (libkevent_s390_log.h), severities, payloads and timestamps.  Shared by
 * every output and keventctl, so that all of them say the same thing the
 * same way.
 */
#ifndef KLD_FORMAT_H
#define KLD_FORMAT_H

#include "libkevent_s390_log.h"

#include "common.h"

/* "2026-11-27T00:58:29.123456789Z" plus NUL, with room to spare. */
#define KLD_TIME_LEN		40
/* A payload as hex: two digits per byte, plus NUL. */
#define KLD_PAYLOAD_LEN		(2 * KEVENT_S390_LOG_PAYLOAD_MAX + 1)
/* A UUID as RFC 9562 writes it, 8-4-4-4-12 lower-case hex, plus NUL. */
#define KLD_UUID_LEN		37

int kld_event_priority(__u32 bit);
const char *kld_event_nearest(const char *s);

const char *kld_payload_format(const __u8 *p, unsigned int len, char *out);

int kld_time_format(__u64 ns, unsigned int digits, char *buf, size_t len);

char *kld_uuid_format(const __u8 id[16], char *buf);

unsigned int kld_edit_distance(const char *a, const char *b);

/*
 * A line built in a fixed buffer: appends that do not fit set @overflow
 * and stop, so that a caller checks once at the end.
 */
struct kld_buf {
	char *p;
	size_t len;
	size_t n;
	bool overflow;
};

void __printf(2, 3) kld_buf_printf(struct kld_buf *b, const char *fmt, ...);

#endif /* KLD_FORMAT_H */
