// SPDX-License-Identifier: GPL-2.0
/*
 * What keventlogd writes, checked field by field, and the canonical form
 * the subcommands print it in:
 *   event SEQ DEVICE EVENT ENCODING PAYLOAD TRUNCATED
 *   lost FIRST LAST COUNT
 * (PAYLOAD is "-" when empty).
 *
 * An oracle, independent on purpose: the event names and the bus id check
 * are written out here, not taken from libkevent_s390_log.h, which
 * keventlogd uses to write them.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

/* The ABI's event bit names in lower case (<linux/kevent_s390_log.h>). */
static const char *const event_names[] = {
	"tape_loaded", "tape_unloaded", "tape_error", "tape_intervention",
	"device_added", "device_removed",
};

bool kt_known_event(const char *s)
{
	unsigned int i;

	for (i = 0; i < sizeof(event_names) / sizeof(event_names[0]); i++)
		if (!strcmp(s, event_names[i]))
			return true;
	return false;
}

bool kt_is_uint(const char *s)
{
	if (!*s || (*s == '0' && s[1]))
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* 0.0.0180: cssid.ssid.devno, lower-case hex, devno four digits. */
bool kt_is_busid(const char *s)
{
	unsigned int a, b, c;
	char t[16];
	int n = 0;

	if (sscanf(s, "%x.%x.%4x%n", &a, &b, &c, &n) != 3 || s[n])
		return false;
	snprintf(t, sizeof(t), "%x.%x.%04x", a, b, c);
	return !strcmp(s, t) && b <= 3;
}

/* RFC 3339 in UTC with @digits fractional digits (-1: 1 to 9). */
bool kt_is_time(const char *s, int digits)
{
	const char *p = s + 19;
	int n = 0;

	if (strlen(s) < 21)
		return false;
	for (int i = 0; i < 19; i++) {
		char want = "dddd-dd-ddTdd:dd:dd"[i];

		if (want == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != want)
			return false;
	}
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++)
			n++;
		if (!n)
			return false;
	}
	if (digits >= 0 ? n != digits : n > 9)
		return false;
	return !strcmp(p, "Z");
}

/* Does @time (RFC 3339, UTC) say the same instant as @ns? */
bool kt_time_matches(const char *time, unsigned long long ns,
		     int digits)
{
	char buf[64], frac[16];
	time_t sec = ns / 1000000000ULL;
	unsigned long long f = ns % 1000000000ULL;
	struct tm tm;
	int i;

	gmtime_r(&sec, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	for (i = digits; i < 9; i++)
		f /= 10;
	snprintf(frac, sizeof(frac), ".%0*lluZ", digits, f);
	strcat(buf, frac);
	return !strcmp(buf, time);
}

bool kt_check_payload(const char *payload, const char *encoding)
{
	const char *c;

	if (!strcmp(encoding, "text")) {
		for (c = payload; *c; c++)
			if (*c < 0x20 || *c > 0x7e)
				return false;
		return strlen(payload) <= 64;
	}
	if (strcmp(encoding, "hex") || strlen(payload) % 2 ||
	    strlen(payload) > 128 || !*payload)
		return false;
	for (c = payload; *c; c++)
		if (!isdigit((unsigned char)*c) && (*c < 'a' || *c > 'f'))
			return false;
	return true;
}

void kt_print_event(const char *seq, const char *dev, const char *ev,
		    const char *enc, const char *payload, int trunc)
{
	const char *c;

	printf("event %s %s %s %s ", seq, dev, ev, enc);
	if (!*payload)
		putchar('-');
	for (c = payload; *c; c++)
		putchar(*c == ' ' ? '_' : *c);
	printf(" %d\n", trunc);
}

int kt_lost_line(const char *first, const char *last, const char *lost)
{
	unsigned long long f, l, n;

	if (!kt_is_uint(first) || !kt_is_uint(last) || !kt_is_uint(lost)) {
		kt_bad("lost range is not numbers");
		return -1;
	}
	f = strtoull(first, NULL, 10);
	l = strtoull(last, NULL, 10);
	n = strtoull(lost, NULL, 10);
	if (!f || l < f || l - f + 1 != n) {
		kt_bad("lost %llu for the range %llu..%llu", n, f, l);
		return -1;
	}
	printf("lost %llu %llu %llu\n", f, l, n);
	return 0;
}
