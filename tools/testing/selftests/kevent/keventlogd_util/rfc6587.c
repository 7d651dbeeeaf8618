// SPDX-License-Identifier: GPL-2.0
/*
 * "rfc6587 FILE": a TCP syslog stream, as received, framed by octet
 * counting (RFC 6587 3.4.1): MSG-LEN SP SYSLOG-MSG, MSG-LEN a decimal
 * without leading zeros, exactly that many octets, nothing in between.
 * Each SYSLOG-MSG must be RFC 5424 (rfc5424.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define STREAM_MAX	(16 << 20)

int kt_rfc6587(const char *file)
{
	char *buf = malloc(STREAM_MAX + 1), *msg;
	size_t n, pos = 0, len;
	FILE *f = fopen(file, "r");

	kt_file = file;
	kt_line = 0;
	if (!buf || !f) {
		fprintf(stderr, "%s: %s\n", file, strerror(errno));
		return 1;
	}
	n = fread(buf, 1, STREAM_MAX + 1, f);
	fclose(f);
	if (n > STREAM_MAX) {
		kt_bad("more than %d bytes", STREAM_MAX);
		n = 0;
	}
	while (pos < n) {
		kt_line++;	/* the frame's number */
		len = 0;
		if (buf[pos] < '1' || buf[pos] > '9') {
			kt_bad("byte %zu: MSG-LEN does not start with 1-9", pos);
			break;
		}
		while (pos < n && buf[pos] >= '0' && buf[pos] <= '9' && len < STREAM_MAX)
			len = len * 10 + buf[pos++] - '0';
		if (pos >= n || buf[pos++] != ' ' || len > n - pos) {
			kt_bad("byte %zu: no SP after MSG-LEN, or %zu octets are not there",
			       pos, len);
			break;
		}
		msg = strndup(buf + pos, len);
		if (!msg || strlen(msg) != len || strchr(msg, '\n'))
			kt_bad("frame with a NUL or a line feed");
		else
			kt_rfc5424_line(msg);
		free(msg);
		pos += len;
	}
	free(buf);
	if (!kt_line)
		kt_bad("no frame");
	return kt_errors ? 1 : 0;
}
