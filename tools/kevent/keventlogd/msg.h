/* SPDX-License-Identifier: GPL-2.0 */
/*
 * keventlogd's own diagnostics: to stderr in the foreground (with the
 * journal's "<N>" priority prefixes when stderr is the journal), to syslog
 * when it runs as a background daemon.  Log records go to outputs, not
 * here.
 */
#ifndef KLD_MSG_H
#define KLD_MSG_H

#include <syslog.h>

#include "common.h"

void kld_msg_init(const char *ident);
void kld_msg_syslog(void);
void kld_msg(int prio, const char *fmt, ...) __printf(2, 3);

#define kld_err(...)	kld_msg(LOG_ERR, __VA_ARGS__)
#define kld_warn(...)	kld_msg(LOG_WARNING, __VA_ARGS__)
#define kld_notice(...)	kld_msg(LOG_NOTICE, __VA_ARGS__)
#define kld_info(...)	kld_msg(LOG_INFO, __VA_ARGS__)

#endif /* KLD_MSG_H */
