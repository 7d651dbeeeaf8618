// SPDX-License-Identifier: GPL-2.0
/*
 * "flat FILE [LIST]": a JSON document (or, with LIST, JSON lines: the
 * first line as it is, line N under LIST[N-2]) checked strictly and
 * printed as key=value pairs (jsonflat.c), to compare keventctl's
 * --format json with its --format pairs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static const char *list;

static int flat_line(const char *line)
{
	char prefix[64] = "";
	const char *why;
	long col;

	if (kt_line > 1)
		snprintf(prefix, sizeof(prefix), "%s[%u]", list, kt_line - 2);
	why = kt_jflat(line, prefix, stdout, &col);
	if (why)
		kt_bad("invalid JSON at column %ld: %s", col, why);
	return why ? -1 : 0;
}

int kt_flat(const char *file, const char *lines_list)
{
	char *doc = NULL;
	const char *why;
	size_t cap = 0;
	ssize_t n;
	long col;
	FILE *f;

	if (lines_list) {
		list = lines_list;
		return kt_each_line(file, flat_line);
	}
	kt_file = file;
	kt_line = 0;
	f = fopen(file, "r");
	if (!f) {
		perror(file);
		return 1;
	}
	/* The whole file: getdelim up to a NUL it does not hold. */
	n = getdelim(&doc, &cap, '\0', f);
	fclose(f);
	if (n < 0 || strlen(doc) != (size_t)n) {
		kt_bad("empty, or holds a NUL byte");
		free(doc);
		return 1;
	}
	why = kt_jflat(doc, "", stdout, &col);
	if (why)
		kt_bad("invalid JSON at byte %ld: %s", col, why);
	free(doc);
	return kt_errors ? 1 : 0;
}
