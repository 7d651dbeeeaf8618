/* SPDX-License-Identifier: GPL-2.0 */
/*
 * keventlogd and keventctl: what every file needs.
 *
 * common/ is keventlogd's own logic that keventctl reuses: the
 * configuration (config.c, parse.c, printconf.c), the requests, reading
 * the log device (logdev.c) and draining it (drain.c), the state file and
 * how records are written down (format.c).  It keeps keventlogd's kld_
 * prefix; keventctl's own files use kctl_.
 */
#ifndef KLD_COMMON_H
#define KLD_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#define KLD_VERSION		"0.1.0"

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define __must_check		__attribute__((warn_unused_result))
#define __printf(a, b)		__attribute__((format(printf, a, b)))

#define KLD_KEVENT_DEV		"/dev/kevent"
#define KLD_LOG_DEV		"/dev/kevent_s390_log"

#endif /* KLD_COMMON_H */
