// SPDX-License-Identifier: GPL-2.0
/*
 * KEVENT_S390_LOG permissions, as <linux/kevent_s390_log.h> states them:
 * opening /dev/kevent_s390_log is decided by the node's owner, group and
 * mode alone (EACCES otherwise); ADD needs read permission on that node or
 * CAP_SYSLOG (EPERM otherwise, changing nothing); only the real node
 * counts; the check is made against the caller at ADD and at open, so an
 * fd opened with privilege keeps working.  Each test sets the node's
 * owner, group and mode as a udev rule would, and puts back 0600 root:root.
 */
#include <grp.h>
#include <linux/capability.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "s390_log_util.h"

#define KT_S390_NOBODY	65534
#define KT_S390_OTHER_GID	65533
#define KT_S390_OTHER_UID	65533

FIXTURE(perm) {
	int unused;
};

/* Give the node @uid:@gid and @mode, as a udev rule would. */
static int node_set(uid_t uid, gid_t gid, mode_t mode)
{
	if (chown(KT_S390_LOGDEV, uid, gid))
		return -errno;
	return chmod(KT_S390_LOGDEV, mode) ? -errno : 0;
}

FIXTURE_SETUP(perm)
{
	ASSERT_TRUE(kt_s390_loaded("kevent_s390_log"))
		TH_LOG("kevent_s390_log.ko not loaded");
	ASSERT_EQ(0, geteuid()) TH_LOG("run as root");
	ASSERT_EQ(0, node_set(0, 0, 0600));
}

FIXTURE_TEARDOWN(perm)
{
	node_set(0, 0, 0600);
}

/* Become nobody, with @extra_gid as supplementary group if >= 0. */
static int become_nobody(int extra_gid)
{
	gid_t g = extra_gid;

	if (setgroups(extra_gid >= 0 ? 1 : 0, &g))
		return -1;
	if (setgid(KT_S390_NOBODY) || setuid(KT_S390_NOBODY))
		return -1;
	return 0;
}

/* Keep only the capabilities in @keep (a mask of 64), effective and permitted. */
static int caps_only(unsigned long long keep)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[0].effective = d[0].permitted & keep;
	d[1].effective = d[1].permitted & (keep >> 32);
	d[0].permitted = d[0].effective;
	d[1].permitted = d[1].effective;
	d[0].inheritable = 0;
	d[1].inheritable = 0;
	return syscall(SYS_capset, &h, d);
}

#define KT_CAP(c)	(1ULL << (c))
#define KT_CAPS_ALL	(~0ULL)

/* Drop @drop, a mask of capabilities, staying root. */
static int drop_caps(unsigned long long drop)
{
	return caps_only(KT_CAPS_ALL & ~drop);
}

/* Become nobody and keep CAP_SYSLOG, nothing else. */
static int become_nobody_cap_syslog(void)
{
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) || become_nobody(-1))
		return -1;
	return caps_only(KT_CAP(CAP_SYSLOG));
}

/*
 * In the child: can it open the log, and ADD a request on @qfd (-1: on a
 * queue of its own)?  Exit status: bit 0 open worked, bit 1 ADD worked,
 * 8 open failed other than EACCES, 16 ADD failed other than EPERM, 32 a
 * denied ADD changed the queue, 64 setup failed.
 */
static int probe(int qfd)
{
	struct kevent_info before, after;
	struct ukevent ev;
	int ret = 0, lfd, fd = qfd;

	/* Read-only, as libkevent and keventlogd open it: READ and STATS need no more. */
	lfd = open(KT_S390_LOGDEV, O_RDONLY | O_CLOEXEC);
	if (lfd >= 0)
		ret |= 1;
	else if (errno != EACCES)
		ret |= 8;
	if (fd < 0)
		fd = kevent_init(NULL, 16, 0);
	if (fd < 0 || kevent_info(fd, &before))
		return 64;
	ev = kt_s390_req(42, KT_S390_DEV0, KEVENT_S390_TAPE_LOADED, 0);
	if (kevent_ctl(fd, KEVENT_CTL_ADD, 1, &ev) == 0)
		ret |= 2;
	else if (ev.ret_data[1] != EPERM)
		ret |= 16;
	if (!(ret & 2) && (kevent_info(fd, &after) ||
			   after.requests != before.requests))
		ret |= 32;
	return ret;
}

enum who {
	KT_S390_NOBODY_ONLY,	/* nobody, no supplementary group */
	KT_S390_NOBODY_OTHER,	/* nobody, in KT_S390_OTHER_GID */
	KT_S390_NOBODY_SYSLOG,	/* nobody with CAP_SYSLOG */
	KT_S390_ROOT_NO_SYSLOG,	/* root without CAP_SYSLOG */
	KT_S390_ROOT_NO_DAC,	/* root without CAP_SYSLOG and the DAC overrides */
	KT_S390_NOBODY_FAKE,	/* nobody, a 0666 char device bind-mounted on the node */
};

/*
 * In a private mount namespace, put /dev/null (a character device, mode
 * 0666, but not the log's) where the node is, then become nobody.
 */
static int fake_node(void)
{
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("/dev/null", KT_S390_LOGDEV, NULL, MS_BIND, NULL))
		return -1;
	return become_nobody(-1);
}

/* Fork, drop privileges as @who says, probe; returns the exit status. */
static int child(enum who who, int qfd)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		int err;

		switch (who) {
		case KT_S390_NOBODY_ONLY:
			err = become_nobody(-1);
			break;
		case KT_S390_NOBODY_OTHER:
			err = become_nobody(KT_S390_OTHER_GID);
			break;
		case KT_S390_NOBODY_SYSLOG:
			err = become_nobody_cap_syslog();
			break;
		case KT_S390_ROOT_NO_SYSLOG:
			err = drop_caps(KT_CAP(CAP_SYSLOG));
			break;
		case KT_S390_ROOT_NO_DAC:
			err = drop_caps(KT_CAP(CAP_SYSLOG) |
					KT_CAP(CAP_DAC_OVERRIDE) |
					KT_CAP(CAP_DAC_READ_SEARCH));
			break;
		default:
			err = fake_node();
			break;
		}
		_exit(err ? 64 : probe(qfd));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

TEST_F(perm, root_allowed)
{
	ASSERT_EQ(3, probe(-1));
}

TEST_F(perm, nobody_denied)
{
	struct kevent_s390_log_stats st0, st;
	int lfd = kt_s390_open();

	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, kt_s390_stats(lfd, &st0));
	ASSERT_EQ(0, child(KT_S390_NOBODY_ONLY, -1));
	ASSERT_EQ(0, child(KT_S390_NOBODY_OTHER, -1));
	ASSERT_EQ(0, kt_s390_stats(lfd, &st));
	ASSERT_STATS_EQ(st0, st);
	close(lfd);
}

/* The node is root's and 0600: root reads it, CAP_SYSLOG or not. */
TEST_F(perm, root_without_cap_syslog_allowed)
{
	ASSERT_EQ(3, child(KT_S390_ROOT_NO_SYSLOG, -1));
}

/* The node's mode alone: root without DAC overrides is one of the others. */
TEST_F(perm, root_without_dac_override_denied)
{
	ASSERT_EQ(0, node_set(KT_S390_OTHER_UID, KT_S390_OTHER_GID, 0600));
	ASSERT_EQ(0, child(KT_S390_ROOT_NO_DAC, -1));
	ASSERT_EQ(0, node_set(0, 0, 0600));
	ASSERT_EQ(3, child(KT_S390_ROOT_NO_DAC, -1));
}

/* CAP_SYSLOG lets a caller ADD; it does not open the node. */
TEST_F(perm, cap_syslog_allows_add_only)
{
	ASSERT_EQ(2, child(KT_S390_NOBODY_SYSLOG, -1));
}

/* The check is against the caller of ADD, not the opener of the queue. */
TEST_F(perm, add_checks_the_caller)
{
	struct kevent_info info;
	int fd = kevent_init(NULL, 16, 0);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, child(KT_S390_NOBODY_ONLY, fd));
	ASSERT_EQ(0, kevent_info(fd, &info));
	ASSERT_EQ(0, info.requests);
	close(fd);
}

/* A log fd opened with privilege keeps working after dropping it. */
TEST_F(perm, open_checks_the_opener)
{
	struct kevent_s390_log_record rec;
	struct kevent_s390_log_read rd;
	int lfd = kt_s390_open(), status;
	pid_t pid;

	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE0, "unload", "x\n"));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (become_nobody(-1))
			_exit(64);
		if (kt_s390_read(lfd, kt_s390_next(lfd) - 1, 1, &rec, &rd) != 1)
			_exit(1);
		_exit(rec.event == KEVENT_S390_TAPE_UNLOADED ? 0 : 2);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	close(lfd);
}

/*
 * What a udev rule with GROUP= and MODE="0640" gives: members of the
 * node's group, primary or supplementary, open and subscribe; a user not
 * in the group is refused by the node's mode, both ways.
 */
TEST_F(perm, node_group_decides)
{
	ASSERT_EQ(0, node_set(0, KT_S390_OTHER_GID, 0640));
	ASSERT_EQ(3, child(KT_S390_NOBODY_OTHER, -1));
	ASSERT_EQ(0, child(KT_S390_NOBODY_ONLY, -1));

	ASSERT_EQ(0, node_set(0, KT_S390_NOBODY, 0640));
	ASSERT_EQ(3, child(KT_S390_NOBODY_ONLY, -1));

	/* The group without read permission: denied again. */
	ASSERT_EQ(0, node_set(0, KT_S390_NOBODY, 0600));
	ASSERT_EQ(0, child(KT_S390_NOBODY_ONLY, -1));
}

/* The mode alone: read permission for others lets everyone in. */
TEST_F(perm, node_mode_for_others)
{
	ASSERT_EQ(0, node_set(0, 0, 0604));
	ASSERT_EQ(3, child(KT_S390_NOBODY_ONLY, -1));
}

/*
 * Only the real node counts for ADD: another character device that
 * everyone may read, mounted where the node is, grants nothing.  (open()
 * then opens /dev/null, so the child's bit 0 is set.)
 */
TEST_F(perm, fake_node_ignored)
{
	ASSERT_EQ(1, child(KT_S390_NOBODY_FAKE, -1));
}

TEST_HARNESS_MAIN
