// SPDX-License-Identifier: GPL-2.0
/*
 * "cover FIRST LAST CANON": every sequence number FIRST..LAST exactly
 * once in the canonical lines, as an event or in a lost range.
 */
#include <stdio.h>
#include <stdlib.h>

#include "util.h"

/* Canonical lines on @file: each of FIRST..LAST exactly once. */
int kt_cover(unsigned long long first, unsigned long long last,
	     const char *file)
{
	unsigned long long seq, a, b, n, events = 0, lost = 0, i;
	unsigned char *seen;
	char line[1024];
	FILE *f;

	if (last < first || last - first > 10000000)
		return 2;
	seen = calloc(last - first + 1, 1);
	f = fopen(file, "r");
	if (!seen || !f)
		return 2;
	kt_file = file;
	kt_line = 0;
	while (fgets(line, sizeof(line), f)) {
		kt_line++;
		if (sscanf(line, "event %llu", &seq) == 1) {
			a = b = seq;
			events++;
		} else if (sscanf(line, "lost %llu %llu %llu", &a, &b, &n) == 3) {
			lost += n;
		} else {
			kt_bad("not a canonical line");
			continue;
		}
		for (i = a; i <= b; i++) {
			if (i < first || i > last)
				kt_bad("sequence %llu outside %llu..%llu", i, first, last);
			else if (seen[i - first]++)
				kt_bad("sequence %llu appears twice", i);
		}
	}
	fclose(f);
	for (i = first; i <= last; i++)
		if (!seen[i - first]) {
			kt_line = 0;
			kt_bad("sequence %llu is missing", i);
			break;
		}
	free(seen);
	printf("cover %llu..%llu: %llu events, %llu lost\n", first, last,
	       events, lost);
	return kt_errors ? 1 : 0;
}
