/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * TAP for the host unit tests (scripts/host-unit.sh reads it): check()
 * prints "ok N - what" or "not ok N - what"; tap_plan() prints the plan
 * "1..N" after the last check.  A test program is one source file, so the
 * counters live here.
 */
#ifndef KEVENT_HOST_TAP_H
#define KEVENT_HOST_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int tap_tests, tap_failed;

static inline void __attribute__((format(printf, 2, 3)))
check(bool ok, const char *fmt, ...)
{
	va_list ap;

	tap_tests++;
	printf("%sok %d - ", ok ? "" : "not ", tap_tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	tap_failed += !ok;
}

static inline void tap_plan(void)
{
	printf("1..%d\n", tap_tests);
}

#endif /* KEVENT_HOST_TAP_H */
