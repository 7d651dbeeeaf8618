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

#include "diag.h"

static const char *ident_name = "keventlogd";
static bool to_journal;	/* stderr is the journal: "<N>" prefixes */

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

void kld_diag_init(const char *ident)
{
	ident_name = ident;
	to_journal = stderr_is_journal();
}

static void put_line(int prio, const char *line, int len)
{
	if (to_journal)
		fprintf(stderr, "<%d>%.*s\n", prio, len, line);
	else
		fprintf(stderr, "%s: %.*s\n", ident_name, len, line);
}

void kld_diag(int prio, const char *fmt, ...)
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
			put_line(prio, p, strlen(p));
			break;
		}
		put_line(prio, p, nl - p);
	}
	fflush(stderr);
}
