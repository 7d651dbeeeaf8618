// SPDX-License-Identifier: GPL-2.0
/*
 * Input files, line by line, and mistakes reported as "FILE:LINE: what"
 * (the exit status is then 1).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

const char *kt_file;
unsigned int kt_line;
unsigned int kt_errors;

void kt_bad(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%u: ", kt_file, kt_line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	kt_errors++;
}

int kt_each_line(const char *file, int (*fn)(const char *line))
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;

	kt_file = file;
	kt_line = 0;
	f = fopen(file, "r");
	if (!f) {
		fprintf(stderr, "%s: %s\n", file, strerror(errno));
		return 1;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		kt_line++;
		if (n == 0 || line[n - 1] != '\n') {
			kt_bad("line not terminated by a newline");
			break;
		}
		line[n - 1] = '\0';
		if (strlen(line) != (size_t)n - 1) {
			kt_bad("NUL byte");
			continue;
		}
		fn(line);
	}
	free(line);
	fclose(f);
	return kt_errors ? 1 : 0;
}
