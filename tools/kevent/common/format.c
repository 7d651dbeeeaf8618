// SPDX-License-Identifier: GPL-2.0
/*
 * How s390 log records are written down.  Event names and CCW bus ids are
 * libkevent's (libkevent_s390_log.h); here are what only keventlogd and
 * keventctl need: a severity per event, a payload as text when every byte
 * is printable ASCII and hex otherwise, times in RFC 3339 UTC.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "format.h"

/* The syslog severity an event is logged with. */
int kld_event_priority(__u32 bit)
{
	switch (bit) {
	case KEVENT_S390_TAPE_LOADED:
	case KEVENT_S390_TAPE_UNLOADED:
		return LOG_INFO;
	case KEVENT_S390_TAPE_ERROR:
		return LOG_ERR;
	case KEVENT_S390_DEVICE_ADDED:
	case KEVENT_S390_DEVICE_REMOVED:
		return LOG_NOTICE;
	case KEVENT_S390_TAPE_INTERVENTION:
	default:	/* and events newer than this table */
		return LOG_WARNING;
	}
}

/* The event name closest to a misspelt one, or NULL if none is close. */
const char *kld_event_nearest(const char *s)
{
	unsigned int d, best = 3;
	const char *name = NULL;
	__u32 bit;

	for (bit = 1; bit & KEVENT_S390_EVENTS_ALL; bit <<= 1) {
		d = kld_edit_distance(s, libkevent_s390_event_name(bit));
		if (d < best) {
			best = d;
			name = libkevent_s390_event_name(bit);
		}
	}
	return name;
}

/*
 * Write a payload into @out (KLD_PAYLOAD_LEN bytes): as is when every byte
 * is printable ASCII, else as hex.  Returns the encoding, "text" or "hex".
 * @len is clamped to the record's payload size.
 */
const char *kld_payload_format(const __u8 *p, unsigned int len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	unsigned int i;

	if (len > KEVENT_S390_LOG_PAYLOAD_MAX)
		len = KEVENT_S390_LOG_PAYLOAD_MAX;
	for (i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			break;
	if (i == len) {
		memcpy(out, p, len);
		out[len] = '\0';
		return "text";
	}
	for (i = 0; i < len; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * len] = '\0';
	return "hex";
}

/*
 * @ns since the epoch as RFC 3339 UTC with @digits (0 to 9) fractional
 * digits: 2026-11-27T00:58:29.123456Z.  0, or -1 if it does not fit.
 */
int kld_time_format(__u64 ns, unsigned int digits, char *buf, size_t len)
{
	time_t sec = ns / 1000000000ULL;
	unsigned long frac = ns % 1000000000ULL;
	unsigned int i;
	struct tm tm;
	size_t n;
	int m;

	if (digits > 9 || !gmtime_r(&sec, &tm))
		return -1;
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!n)
		return -1;
	for (i = digits; i < 9; i++)
		frac /= 10;
	if (digits)
		m = snprintf(buf + n, len - n, ".%0*luZ", (int)digits, frac);
	else
		m = snprintf(buf + n, len - n, "Z");
	return m < 0 || (size_t)m >= len - n ? -1 : 0;
}

/*
 * @id as RFC 9562 writes a UUID: 6c1f0e6a-9d2b-4c3e-8f00-0123456789ab, into
 * @buf (KLD_UUID_LEN bytes).  All zeros is the nil UUID: "not known".
 */
char *kld_uuid_format(const __u8 id[16], char *buf)
{
	static const char digits[] = "0123456789abcdef";
	unsigned int i, n = 0;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			buf[n++] = '-';
		buf[n++] = digits[id[i] >> 4];
		buf[n++] = digits[id[i] & 15];
	}
	buf[n] = '\0';
	return buf;
}

/* Levenshtein distance of two short words, for "did you mean" hints. */
unsigned int kld_edit_distance(const char *a, const char *b)
{
	unsigned int row[33], i, j, prev, tmp, la = strlen(a), lb = strlen(b);

	if (la > 32 || lb > 32)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			row[j] = prev + (a[i - 1] != b[j - 1]);
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (tmp + 1 < row[j])
				row[j] = tmp + 1;
			prev = tmp;
		}
	}
	return row[lb];
}

void kld_buf_printf(struct kld_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->n, b->len - b->n, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= b->len - b->n)
		b->overflow = true;
	else
		b->n += n;
}
