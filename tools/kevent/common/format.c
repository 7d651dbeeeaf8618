// SPDX-License-Identifier: GPL-2.0
/*
 * How s390 log records are written down.  Event names are the ABI's bit
 * names in lower case; devices are CCW bus ids as the kernel prints them
 * (0.0.0180); a payload is text when every byte is printable ASCII and hex
 * otherwise; times are RFC 3339 in UTC.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "format.h"

struct kld_event_desc {
	__u32 bit;
	const char *name;
	const char *text;
	int priority;		/* syslog severity */
};

static const struct kld_event_desc events[] = {
	{ KEVENT_S390_TAPE_LOADED, "tape_loaded", "tape loaded", LOG_INFO },
	{ KEVENT_S390_TAPE_UNLOADED, "tape_unloaded", "tape unloaded",
	  LOG_INFO },
	{ KEVENT_S390_TAPE_ERROR, "tape_error", "tape error", LOG_ERR },
	{ KEVENT_S390_TAPE_INTERVENTION, "tape_intervention",
	  "operator intervention required", LOG_WARNING },
	{ KEVENT_S390_DEVICE_ADDED, "device_added", "device added",
	  LOG_NOTICE },
	{ KEVENT_S390_DEVICE_REMOVED, "device_removed", "device removed",
	  LOG_NOTICE },
};

static const struct kld_event_desc *event_desc(__u32 bit)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(events); i++)
		if (events[i].bit == bit)
			return &events[i];
	return NULL;
}

/* The name of one event bit ("tape_loaded"), or "unknown". */
const char *kld_event_name(__u32 bit)
{
	const struct kld_event_desc *d = event_desc(bit);

	return d ? d->name : "unknown";
}

/* The event in words, for messages ("tape loaded"). */
const char *kld_event_text(__u32 bit)
{
	const struct kld_event_desc *d = event_desc(bit);

	return d ? d->text : "unknown event";
}

/* The syslog severity an event is logged with. */
int kld_event_priority(__u32 bit)
{
	const struct kld_event_desc *d = event_desc(bit);

	return d ? d->priority : LOG_WARNING;
}

/* An event name to its bit: 0, or -EINVAL. */
int kld_event_parse(const char *s, __u32 *bit)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(events); i++) {
		if (!strcmp(s, events[i].name)) {
			*bit = events[i].bit;
			return 0;
		}
	}
	return -EINVAL;
}

/* Every event name, for hints. */
const char *kld_event_names(void)
{
	return "tape_loaded, tape_unloaded, tape_error, tape_intervention, device_added, device_removed";
}

/* The event name closest to a misspelt one, or NULL if none is close. */
const char *kld_event_nearest(const char *s)
{
	unsigned int i, d, best = 3;
	const char *name = NULL;

	for (i = 0; i < ARRAY_SIZE(events); i++) {
		d = kld_edit_distance(s, events[i].name);
		if (d < best) {
			best = d;
			name = events[i].name;
		}
	}
	return name;
}

/* @buf (KLD_DEVID_LEN bytes): the bus id, as the kernel writes it. */
void kld_devid_format(__u32 devid, char *buf)
{
	snprintf(buf, KLD_DEVID_LEN, "%x.%x.%04x",
		 KEVENT_S390_DEVID_CSSID(devid), KEVENT_S390_DEVID_SSID(devid),
		 KEVENT_S390_DEVID_DEVNO(devid));
}

/* Up to @max hex digits and nothing else before @stop: the value, or -1. */
static long hex_field(const char **s, unsigned int max, char stop)
{
	unsigned int n = 0;
	long v = 0;
	int c;

	for (; **s && **s != stop; (*s)++, n++) {
		c = **s;
		if (n == max)
			return -1;
		if (c >= '0' && c <= '9')
			v = v * 16 + c - '0';
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v = v * 16 + c - 'A' + 10;
		else
			return -1;
	}
	return n ? v : -1;
}

/*
 * A CCW bus id "cssid.ssid.devno" in hex (0.0.0180) to a device id.
 * Returns 0, -EINVAL when it is not written like a bus id, or -ERANGE when
 * the subchannel set is above KEVENT_S390_SSID_MAX.
 */
int kld_devid_parse(const char *s, __u32 *devid)
{
	long cssid, ssid, devno;

	cssid = hex_field(&s, 2, '.');
	if (cssid < 0 || *s++ != '.')
		return -EINVAL;
	ssid = hex_field(&s, 1, '.');
	if (ssid < 0 || *s++ != '.')
		return -EINVAL;
	devno = hex_field(&s, 4, '\0');
	if (devno < 0 || *s)
		return -EINVAL;
	if (ssid > KEVENT_S390_SSID_MAX)
		return -ERANGE;
	*devid = KEVENT_S390_DEVID(cssid, ssid, devno);
	return 0;
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
