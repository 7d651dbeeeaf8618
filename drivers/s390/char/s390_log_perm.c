// SPDX-License-Identifier: GPL-2.0
/*
 * Who may subscribe to the log and read it: holders of CAP_SYSLOG, since
 * the log is a kernel log, and members of the group log_gid, so that a
 * logging daemon can run without privilege.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/uidgid.h>

#include "s390_log.h"

/* -1: no group; otherwise a gid of the initial user namespace. */
static int log_gid = -1;

static int log_gid_set(const char *val, const struct kernel_param *kp)
{
	int gid, err;

	err = kstrtoint(val, 0, &gid);
	if (err)
		return err;
	if (gid < -1 || (gid >= 0 && !gid_valid(make_kgid(&init_user_ns, gid))))
		return -EINVAL;
	WRITE_ONCE(log_gid, gid);
	return 0;
}

static const struct kernel_param_ops log_gid_ops = {
	.set = log_gid_set,
	.get = param_get_int,
};

module_param_cb(log_gid, &log_gid_ops, &log_gid, 0644);
MODULE_PARM_DESC(log_gid,
		 "Group that may subscribe and read without CAP_SYSLOG (-1: none, the default)");

/*
 * May the current task subscribe to the log or open it?  The group is
 * checked first, so that members do not trigger a capability audit.
 * Context: process.
 */
bool kevent_s390_log_permitted(void)
{
	int gid = READ_ONCE(log_gid);

	if (gid >= 0 && in_group_p(make_kgid(&init_user_ns, gid)))
		return true;
	return capable(CAP_SYSLOG);
}
