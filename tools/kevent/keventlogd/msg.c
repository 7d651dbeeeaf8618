// SPDX-License-Identifier: GPL-2.0
/*
 * keventlogd's own diagnostics.  A message may hold several lines (an
 * error and its hint); each line is written on its own, with the prefix.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "msg.h"

static const char *msg_ident = "keventlogd";
static bool msg_to_syslog;
static bool msg_to_journal;	/* stderr is the journal: "<N>" prefixes */

/* Is stderr the stream systemd named in $JOURNAL_STREAM ("dev:ino")? */
static bool stderr_is_journal(void)
{
	const char *e = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (!e || sscanf(e, "%llu:%llu", &dev, &ino) != 2)
		return false;
	if (fstat(2, &st))
		return false;
	return st.st_dev == dev && st.st_ino == ino;
}

void kld_msg_init(const char *ident)
{
	msg_ident = ident;
	msg_to_journal = stderr_is_journal();
}

/* From now on to syslog (the daemon left its terminal). */
void kld_msg_syslog(void)
{
	openlog(msg_ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	msg_to_syslog = true;
}

static void msg_line(int prio, const char *line, int len)
{
	if (msg_to_syslog)
		syslog(prio, "%.*s", len, line);
	else if (msg_to_journal)
		fprintf(stderr, "<%d>%.*s\n", prio, len, line);
	else
		fprintf(stderr, "%s: %.*s\n", msg_ident, len, line);
}

void kld_msg(int prio, const char *fmt, ...)
{
	char buf[2048];
	const char *p, *nl;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (p = buf; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl) {
			msg_line(prio, p, strlen(p));
			break;
		}
		msg_line(prio, p, nl - p);
	}
	fflush(stderr);
}
