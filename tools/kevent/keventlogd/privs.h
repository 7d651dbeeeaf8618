/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Dropping privileges once the devices are open, and the one capability
 * keventlogd may keep: CAP_SYSLOG, which the s390 log asks for when a
 * request is added (or read permission on its node).  It stays in the permitted set
 * only, and is raised into the effective set just for a reload's
 * kevent_ctl(ADD).
 */
#ifndef KLD_PRIVS_H
#define KLD_PRIVS_H

#include <sys/types.h>

#include "common.h"

int __must_check kld_user_ids(const char *user, uid_t *uid, gid_t *gid);
int __must_check kld_drop_privileges(const char *user, bool keep_cap_syslog,
				     char *why, size_t whylen);
int kld_cap_syslog(bool on);

#endif /* KLD_PRIVS_H */
