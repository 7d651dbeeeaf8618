/* SPDX-License-Identifier: GPL-2.0 */
/*
 * keventlogd's own diagnostics: to stderr (with the journal's "<N>"
 * priority prefixes when stderr is the journal, as under systemd).  Log
 * records go to outputs, not here.
 */
#ifndef KLD_DIAG_H
#define KLD_DIAG_H

#include <syslog.h>

#include "common.h"

void kld_diag_init(const char *ident);
void kld_diag(int prio, const char *fmt, ...) __printf(2, 3);

#define kld_err(...)	kld_diag(LOG_ERR, __VA_ARGS__)
#define kld_warn(...)	kld_diag(LOG_WARNING, __VA_ARGS__)
#define kld_notice(...)	kld_diag(LOG_NOTICE, __VA_ARGS__)
#define kld_info(...)	kld_diag(LOG_INFO, __VA_ARGS__)

#endif /* KLD_DIAG_H */
