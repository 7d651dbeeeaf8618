// SPDX-License-Identifier: GPL-2.0
/*
 * Privileges.  keventlogd starts as root, opens /dev/kevent and
 * /dev/kevent_s390_log and adds its requests, then becomes the configured
 * user: supplementary groups (so that the log node's group counts), gid, uid,
 * all three of each, and checks that there is no way back.
 *
 * With keep-cap-syslog (the default) CAP_SYSLOG survives the change of
 * uid in the permitted set only.  A reload raises it for kevent_ctl(ADD)
 * and lowers it at once.  Nothing else survives.
 */
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "privs.h"

static bool cap_kept;

static int capget_all(struct __user_cap_data_struct *d)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};

	memset(d, 0, 2 * sizeof(*d));
	return syscall(SYS_capget, &h, d) < 0 ? -errno : 0;
}

static int capset_all(struct __user_cap_data_struct *d)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};

	return syscall(SYS_capset, &h, d) < 0 ? -errno : 0;
}

/* Only CAP_SYSLOG permitted (or nothing); effective when @effective. */
static int cap_only_syslog(bool keep, bool effective)
{
	struct __user_cap_data_struct d[2];
	__u32 bit = CAP_TO_MASK(CAP_SYSLOG);

	memset(d, 0, sizeof(d));
	if (keep) {
		d[CAP_TO_INDEX(CAP_SYSLOG)].permitted = bit;
		if (effective)
			d[CAP_TO_INDEX(CAP_SYSLOG)].effective = bit;
	}
	return capset_all(d);
}

/**
 * kld_cap_syslog() - raise or lower the kept CAP_SYSLOG
 * @on: raise it into the effective set, or lower it
 *
 * Return: 0; also 0 when no capability was kept (the ADD then needs read
 * permission on the log's node); -errno when capset failed.
 */
int kld_cap_syslog(bool on)
{
	if (!cap_kept)
		return 0;
	return cap_only_syslog(true, on);
}

/* The user's uid and primary gid: 0, or -ENOENT. */
int kld_user_ids(const char *user, uid_t *uid, gid_t *gid)
{
	struct passwd *pw;

	errno = 0;
	pw = getpwnam(user);
	if (!pw)
		return errno ? -errno : -ENOENT;
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

/* Is there really no way back to root, and only what we chose left? */
static int check_dropped(uid_t uid, gid_t gid, bool keep, char *why,
			 size_t whylen)
{
	struct __user_cap_data_struct d[2];
	uid_t r, e, s;
	gid_t rg, eg, sg;
	__u32 want = keep ? CAP_TO_MASK(CAP_SYSLOG) : 0;

	if (getresuid(&r, &e, &s) || r != uid || e != uid || s != uid ||
	    getresgid(&rg, &eg, &sg) || rg != gid || eg != gid || sg != gid) {
		snprintf(why, whylen, "uid/gid did not change as asked");
		return -EPERM;
	}
	if (uid != 0 && setuid(0) == 0) {
		snprintf(why, whylen, "setuid(0) still works");
		return -EPERM;
	}
	if (capget_all(d) || d[0].effective || d[1].effective ||
	    d[0].inheritable || d[1].inheritable || d[0].permitted ||
	    d[1].permitted != want) {
		snprintf(why, whylen, "capabilities left: permitted %08x%08x",
			 d[1].permitted, d[0].permitted);
		return -EPERM;
	}
	return 0;
}

static int change_ids(const char *user, uid_t uid, gid_t gid, char *why,
		      size_t whylen)
{
	if (initgroups(user, gid) < 0) {
		snprintf(why, whylen, "initgroups: %s", strerror(errno));
		return -errno;
	}
	if (setresgid(gid, gid, gid) < 0) {
		snprintf(why, whylen, "setresgid(%u): %s", (unsigned int)gid,
			 strerror(errno));
		return -errno;
	}
	if (setresuid(uid, uid, uid) < 0) {
		snprintf(why, whylen, "setresuid(%u): %s", (unsigned int)uid,
			 strerror(errno));
		return -errno;
	}
	return 0;
}

/**
 * kld_drop_privileges() - become @user for good
 * @user: the user name
 * @keep_cap_syslog: keep CAP_SYSLOG in the permitted set
 * @why: out: what failed
 * @whylen: its size
 *
 * Return: 0, or -errno with @why.
 */
int kld_drop_privileges(const char *user, bool keep_cap_syslog, char *why,
			size_t whylen)
{
	uid_t uid;
	gid_t gid;
	int err;

	err = kld_user_ids(user, &uid, &gid);
	if (err) {
		snprintf(why, whylen, "no user %s", user);
		return err;
	}
	if (uid == 0)
		return 0;
	if (geteuid() != 0) {
		if (geteuid() == uid && getegid() == gid)
			return 0;
		snprintf(why, whylen, "not running as root, cannot become %s",
			 user);
		return -EPERM;
	}
	if (keep_cap_syslog && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) {
		snprintf(why, whylen, "PR_SET_KEEPCAPS: %s", strerror(errno));
		return -errno;
	}
	err = change_ids(user, uid, gid, why, whylen);
	if (err)
		return err;
	if (keep_cap_syslog)
		prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	err = cap_only_syslog(keep_cap_syslog, false);
	if (err) {
		snprintf(why, whylen, "capset: %s", strerror(-err));
		return err;
	}
	cap_kept = keep_cap_syslog;
	return check_dropped(uid, gid, cap_kept, why, whylen);
}
