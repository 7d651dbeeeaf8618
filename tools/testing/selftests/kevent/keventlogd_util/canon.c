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

/* 8-4-4-4-12 lower-case hex (RFC 9562). */
bool kt_is_uuid(const char *s)
{
	int i;

	if (strlen(s) != 36)
		return false;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!isdigit((unsigned char)s[i]) &&
			   (s[i] < 'a' || s[i] > 'f')) {
			return false;
		}
	}
	return true;
}

/*
 * The ids a record carries: UUIDs, and the ones the test expects when it
 * says so ($KT_INSTANCE from STATS, $KT_BOOT_ID from /proc).
 */
int kt_check_ids(const char *instance, const char *boot_id)
{
	const char *want_i = getenv("KT_INSTANCE"), *want_b = getenv("KT_BOOT_ID");

	if (!instance || !boot_id || !kt_is_uuid(instance) || !kt_is_uuid(boot_id)) {
		kt_bad("instance or boot_id missing or not a UUID");
		return -1;
	}
	if ((want_i && strcmp(instance, want_i)) || (want_b && strcmp(boot_id, want_b))) {
		kt_bad("instance %s, boot_id %s: want %s, %s", instance, boot_id,
		       want_i ? want_i : "any", want_b ? want_b : "any");
		return -1;
	}
	return 0;
}

/* The MESSAGE_IDs keventlogd(8) lists, written out again here. */
const char *kt_message_id(const char *event)
{
	static const char *const ids[][2] = {
		{ "tape_loaded", "2b565d3943504f938ac1206ae513e4f7" },
		{ "tape_unloaded", "eefc3a5592094441acdc6cdbc4b497ea" },
		{ "tape_error", "cb0c071cd2fc46c89127ad090daf3650" },
		{ "tape_intervention", "95a044cbbd9d491aaf3a926a48b6cdc6" },
		{ "device_added", "17794508075a46f18709eb48525004f8" },
		{ "device_removed", "29c41b220a214ccea78ecca7ee61819d" },
		{ "lost", "887a11eae6c849f4a3c379072025b150" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (!strcmp(event, ids[i][0]))
			return ids[i][1];
	return NULL;
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
