// SPDX-License-Identifier: GPL-2.0
/*
 * stdout: one logfmt line per entry, for people and for pipes.
 *
 *   time=2026-11-27T00:58:29.123456789Z seq=12 device=0.0.0180 event=tape_loaded payload="VOL001"
 *   time=... event=lost lost=5 first=10 last=14 msg="lost 5 events (sequence 10..14): ..."
 *
 * A hex payload adds encoding=hex, a truncated one truncated=1.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "io.h"
#include "output.h"

#define LINE_MAX_LEN	1024

/* @s in double quotes, '"' and '\' escaped.  Bytes written, or -1. */
static int quoted(char *out, size_t len, const char *s)
{
	size_t n = 0;

	if (len < 3)
		return -1;
	out[n++] = '"';
	for (; *s; s++) {
		if (n + 4 > len)
			return -1;
		if (*s == '"' || *s == '\\')
			out[n++] = '\\';
		out[n++] = *s;
	}
	out[n++] = '"';
	out[n] = '\0';
	return n;
}

static int format_event(const struct kld_entry *e, char *buf, size_t len)
{
	int n, q;

	n = snprintf(buf, len, "time=%s seq=%llu device=%s event=%s payload=",
		     e->time, (unsigned long long)e->seq, e->device, e->event);
	if (n < 0 || (size_t)n >= len)
		return -1;
	q = quoted(buf + n, len - n, e->payload);
	if (q < 0)
		return -1;
	n += q;
	n += snprintf(buf + n, len - n, "%s%s\n",
		      strcmp(e->encoding, "hex") ? "" : " encoding=hex",
		      e->truncated ? " truncated=1" : "");
	return (size_t)n >= len ? -1 : n;
}

static int format_lost(const struct kld_entry *e, char *buf, size_t len)
{
	int n, q;

	n = snprintf(buf, len, "time=%s event=lost lost=%llu first=%llu last=%llu msg=",
		     e->time, (unsigned long long)e->lost,
		     (unsigned long long)e->lost_first,
		     (unsigned long long)e->seq);
	if (n < 0 || (size_t)n >= len)
		return -1;
	q = quoted(buf + n, len - n - 1, e->message);
	if (q < 0)
		return -1;
	n += q;
	buf[n++] = '\n';
	return n;
}

static int stdout_open(struct kld_output *o)
{
	(void)o;
	return 0;
}

static int stdout_write(struct kld_output *o, const struct kld_entry *e)
{
	char line[LINE_MAX_LEN];
	int n;

	(void)o;
	if (e->kind == KLD_ENTRY_EVENT)
		n = format_event(e, line, sizeof(line));
	else
		n = format_lost(e, line, sizeof(line));
	if (n < 0)
		return -EOVERFLOW;
	return kld_write_all(1, line, n);
}

static void stdout_close(struct kld_output *o)
{
	(void)o;
}

const struct kld_output_ops kld_out_stdout = {
	.open = stdout_open,
	.write = stdout_write,
	.close = stdout_close,
};
