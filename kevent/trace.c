// SPDX-License-Identifier: GPL-2.0
/*
 * kevent's tracepoints: defined here, declared in trace.h.
 */
#define CREATE_TRACE_POINTS
#include "trace.h"
