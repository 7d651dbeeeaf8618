// SPDX-License-Identifier: GPL-2.0
/*
 * Option arguments: numbers, device lists and output formats.  Each
 * parser writes what was wrong, and a hint with an example of the right
 * form, into @why; the commands print it.
 *
 * Numbers are decimal, whatever their leading zeros: --from 010 is ten,
 * not eight (strtoull's base 0 would read octal), and 0x10 is refused
 * rather than read as sixteen.
 *
 * Devices are written as chccwdev(8) takes them: a bus id
 * cssid.ssid.devno (0.0.0180), or a device number alone meaning
 * subchannel set 0 (0180 is 0.0.0180); a range of them joined by '-'
 * within one subchannel set, lowest first (0.0.0180-0.0.0183); a list of
 * those separated by commas (0180,0.0.0190-0.0.0192).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "keventctl.h"

static int __printf(3, 4) fail(char *why, size_t whylen, const char *fmt,
			       ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -1;
}

static bool is_digits(const char *s, const char *digits)
{
	return *s && s[strspn(s, digits)] == '\0';
}

/**
 * kctl_parse_u64() - a decimal number
 * @s: the argument: digits 0-9 only, leading zeros allowed
 * @v: out: its value
 * @why: out: what was wrong, and a hint
 * @whylen: size of @why
 *
 * Return: 0, or -1 with @why set.
 */
int kctl_parse_u64(const char *s, __u64 *v, char *why, size_t whylen)
{
	unsigned long long n;
	char *end;

	if ((s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) &&
	    is_digits(s + 2, "0123456789abcdefABCDEF")) {
		errno = 0;
		n = strtoull(s + 2, &end, 16);
		if (errno)
			return fail(why, whylen, "'%s' is hexadecimal: numbers are decimal here\n  hint: write it in decimal digits, like 16 for 0x10",
				    s);
		return fail(why, whylen, "'%s' is hexadecimal: numbers are decimal here\n  hint: write it in decimal digits: %llu",
			    s, n);
	}
	if (!is_digits(s, "0123456789"))
		return fail(why, whylen, "'%s' is not a decimal number\n  hint: digits 0-9 only, like 42 (leading zeros do not make it octal: 010 is ten)",
			    s);
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno)
		return fail(why, whylen, "'%s' is too large\n  hint: at most %llu",
			    s, (unsigned long long)~0ULL);
	*v = n;
	return 0;
}

/*
 * kctl_option_u64() - an option's number; a mistake is printed as
 * "keventctl CMD: OPT: what" with its hint.  0, or -1.
 */
int kctl_option_u64(const char *cmd, const char *opt, const char *s,
		    __u64 *v)
{
	char why[KCTL_WHY_LEN];

	if (!kctl_parse_u64(s, v, why, sizeof(why)))
		return 0;
	fprintf(stderr, "keventctl %s: %s: %s\n", cmd, opt, why);
	return -1;
}

#define BUSID_HINT \
	"  hint: a bus id is cssid.ssid.devno in hex, like 0.0.0180, or the device number alone, like 0180 (meaning 0.0.0180)"

/* One bus id of @len bytes at @s, full or short. */
static int parse_busid(const char *s, size_t len, __u32 *devid, char *why,
		       size_t whylen)
{
	char id[16];
	int err;

	if (!len)
		return fail(why, whylen, "a bus id is missing\n%s", BUSID_HINT);
	if (len >= sizeof(id))
		return fail(why, whylen, "'%.*s' is not a bus id: too long\n%s",
			    (int)len, s, BUSID_HINT);
	memcpy(id, s, len);
	id[len] = '\0';
	if (!strchr(id, '.')) {
		/* The short form: a device number in subchannel set 0. */
		if (len > 4 || !is_digits(id, "0123456789abcdefABCDEF"))
			return fail(why, whylen, "'%s' is not a bus id: a device number alone is 1 to 4 hex digits\n%s",
				    id, BUSID_HINT);
		*devid = KEVENT_S390_DEVID(0, 0, strtoul(id, NULL, 16));
		return 0;
	}
	err = libkevent_s390_devid_parse(id, devid);
	if (err == -ERANGE)
		return fail(why, whylen, "'%s': no such subchannel set (the middle number)\n  hint: subchannel sets are 0 to %d, like 0.1.0180",
			    id, KEVENT_S390_SSID_MAX);
	if (err)
		return fail(why, whylen, "'%s' is not a bus id\n%s", id,
			    BUSID_HINT);
	return 0;
}

static int add_device(struct kctl_devices *d, __u32 devid, char *why,
		      size_t whylen)
{
	unsigned int i;

	for (i = 0; i < d->n; i++)
		if (d->id[i] == devid)
			return 0;
	if (d->n == KCTL_DEVICES_MAX)
		return fail(why, whylen, "more than %d devices\n  hint: leave --device out to watch every device",
			    KCTL_DEVICES_MAX);
	d->id[d->n++] = devid;
	return 0;
}

/* One element of a list: a bus id, or a range of them. */
static int parse_element(const char *s, size_t len, struct kctl_devices *d,
			 char *why, size_t whylen)
{
	const char *dash = memchr(s, '-', len);
	char a[LIBKEVENT_S390_DEVID_LEN], b[LIBKEVENT_S390_DEVID_LEN];
	__u32 from, to, devno;
	size_t n;

	if (!dash) {
		if (parse_busid(s, len, &from, why, whylen))
			return -1;
		return add_device(d, from, why, whylen);
	}
	n = dash - s;
	if (!n || n + 1 == len || memchr(dash + 1, '-', len - n - 1))
		return fail(why, whylen, "'%.*s' is not a range\n  hint: a range is two bus ids joined by one '-', like 0.0.0180-0.0.0183 or 0180-0183",
			    (int)len, s);
	if (parse_busid(s, n, &from, why, whylen) ||
	    parse_busid(dash + 1, len - n - 1, &to, why, whylen))
		return -1;
	libkevent_s390_devid_format(from, a);
	libkevent_s390_devid_format(to, b);
	if ((from ^ to) & ~(__u32)0xffff)
		return fail(why, whylen, "range %s-%s crosses subchannel sets\n  hint: a range stays in one cssid.ssid; list each set's part: %s-%x.%x.ffff,%x.%x.0000-%s",
			    a, b, a, KEVENT_S390_DEVID_CSSID(from),
			    KEVENT_S390_DEVID_SSID(from),
			    KEVENT_S390_DEVID_CSSID(to),
			    KEVENT_S390_DEVID_SSID(to), b);
	if (from > to)
		return fail(why, whylen, "range %s-%s runs backwards\n  hint: lowest first: %s-%s",
			    a, b, b, a);
	if (to - from >= KCTL_DEVICES_MAX)
		return fail(why, whylen, "range %s-%s names %u devices, more than %d\n  hint: leave --device out to watch every device",
			    a, b, to - from + 1, KCTL_DEVICES_MAX);
	for (devno = from; devno <= to; devno++)
		if (add_device(d, devno, why, whylen))
			return -1;
	return 0;
}

/**
 * kctl_parse_devices() - add the devices of a --device argument
 * @s: bus ids and ranges, separated by commas (see the top of this file)
 * @d: in, out: the devices named so far; a device named again is kept once
 * @why: out: what was wrong, and a hint
 * @whylen: size of @why
 *
 * Return: 0, or -1 with @why set (@d may then hold part of @s).
 */
int kctl_parse_devices(const char *s, struct kctl_devices *d, char *why,
		       size_t whylen)
{
	const char *end;
	size_t len;

	for (;;) {
		end = strchr(s, ',');
		len = end ? (size_t)(end - s) : strlen(s);
		if (!len)
			return fail(why, whylen, "an empty entry in the device list\n  hint: separate bus ids and ranges by single commas, like 0180,0.0.0190-0.0.0192");
		if (parse_element(s, len, d, why, whylen))
			return -1;
		if (!end)
			return 0;
		s = end + 1;
	}
}

/* "text", "json" or "pairs". */
int kctl_parse_format(const char *s, enum kctl_format *f, char *why,
		      size_t whylen)
{
	static const char * const names[] = {
		[KCTL_FMT_TEXT] = "text",
		[KCTL_FMT_JSON] = "json",
		[KCTL_FMT_PAIRS] = "pairs",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (!strcmp(s, names[i])) {
			*f = i;
			return 0;
		}
	}
	return fail(why, whylen, "unknown format '%s'\n  hint: --format text, json or pairs",
		    s);
}
