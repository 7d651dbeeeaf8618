// SPDX-License-Identifier: GPL-2.0
/*
 * "rfc3164 FILE JSON [host]": RFC 3164 messages, one a line, byte for
 * byte what they must be for the JSON file's lines, in the same order:
 *
 *   <PRI>Mmm dd hh:mm:ss kevent[PID]: MESSAGE        (a unix socket)
 *   <PRI>Mmm dd hh:mm:ss HOST kevent[PID]: MESSAGE   ("host", network)
 *
 * PRI is facility daemon (3) and the line's priority; the time is the
 * line's time_ns in local time, the day padded with a space (4.1.2);
 * PID is digits, the same in every message; HOST is the JSON's host.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

static const char *json_file;

/* The message RFC 3164 must have for JSON line @line, without the PID. */
static int expected(const char *line, bool host, char *pre, size_t plen,
		    const char **msg)
{
	static const char months[12][4] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
	};
	static struct kt_jobj o;
	const char *ns, *pr, *h;
	time_t sec;
	struct tm tm;

	if (kt_jparse(line, &o))
		return -1;
	ns = kt_jneed(&o, "time_ns", J_NUMBER);
	pr = kt_jneed(&o, "priority", J_NUMBER);
	h = kt_jneed(&o, "host", J_STRING);
	*msg = kt_jneed(&o, "message", J_STRING);
	if (!ns || !pr || !h || !*msg)
		return -1;
	sec = strtoull(ns, NULL, 10) / 1000000000ULL;
	localtime_r(&sec, &tm);
	snprintf(pre, plen, "<%d>%s %2d %02d:%02d:%02d %s%skevent[", 24 + atoi(pr),
		 months[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min,
		 tm.tm_sec, host ? h : "", host ? " " : "");
	return 0;
}

int kt_rfc3164(const char *file, const char *json, bool host)
{
	char *a = NULL, *b = NULL, pre[512], pid[16] = "", *end;
	size_t ca = 0, cb = 0, n;
	const char *msg;
	FILE *fs = fopen(file, "r"), *fj = fopen(json, "r");
	ssize_t la, lb;

	json_file = json;
	kt_file = file;
	kt_line = 0;
	if (!fs || !fj) {
		fprintf(stderr, "cannot open %s or %s\n", file, json);
		return 1;
	}
	for (;;) {
		la = getline(&a, &ca, fs);
		lb = getline(&b, &cb, fj);
		if (la < 0 || lb < 0)
			break;
		kt_line++;
		a[strcspn(a, "\n")] = '\0';
		b[strcspn(b, "\n")] = '\0';
		if (expected(b, host, pre, sizeof(pre), &msg))
			continue;
		n = strlen(pre);
		end = strncmp(a, pre, n) ? NULL : strstr(a + n, "]: ");
		if (!end || end == a + n || strspn(a + n, "0123456789") != (size_t)(end - a - n) ||
		    (*pid && strncmp(pid, a + n, strlen(pid))) || strcmp(end + 3, msg)) {
			kt_bad("got    '%s'\n  want '%sPID]: %s'", a, pre, msg);
			continue;
		}
		if (!*pid)
			snprintf(pid, sizeof(pid), "%.*s]", (int)(end - a - n), a + n);
	}
	if (la >= 0 || lb >= 0)
		kt_bad("%s has %s lines than %s", file, la >= 0 ? "more" : "fewer",
		       json_file);
	free(a);
	free(b);
	fclose(fs);
	fclose(fj);
	if (!kt_line)
		kt_bad("no message");
	return kt_errors ? 1 : 0;
}
