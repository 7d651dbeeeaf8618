// SPDX-License-Identifier: GPL-2.0
/*
 * kevent_s390_log's tracepoint: defined here, declared in s390_log_trace.h.
 */
#define CREATE_TRACE_POINTS
#include "s390_log_trace.h"
