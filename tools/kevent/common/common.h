/* SPDX-License-Identifier: GPL-2.0 */
/*
 * keventlogd and keventctl: what every file needs.
 *
 * common/ is keventlogd's own logic that keventctl reuses: the
 * configuration (config.c, parse.c, printconf.c), the requests, draining
 * the log device (drain.c; reading it is libkevent_s390_log's), the state
 * file and how records are written down (format.c).  It keeps keventlogd's kld_
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

/* Records one READ of the s390 log asks for. */
#define KLD_READ_BATCH		64

#endif /* KLD_COMMON_H */
