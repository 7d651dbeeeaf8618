// SPDX-License-Identifier: GPL-2.0
/*
 * KEVENT_S390_LOG permissions: subscribing (ADD) and opening
 * /dev/kevent_s390_log need CAP_SYSLOG or membership of the group log_gid.
 * Denials are EPERM and change nothing; the check is made against the
 * caller at ADD and at open, so an fd opened with privilege keeps working.
 */
#include <grp.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "s390_log_util.h"

#define KT_S390_NOBODY	65534
#define KT_S390_OTHER_GID	65533

FIXTURE(perm) {
	int unused;
};

FIXTURE_SETUP(perm)
{
	ASSERT_TRUE(kt_s390_loaded("kevent_s390_log"))
		TH_LOG("kevent_s390_log.ko not loaded");
	ASSERT_EQ(0, geteuid()) TH_LOG("run as root");
	ASSERT_EQ(0, kt_write_file(KT_S390_PARAMS "/log_gid", "-1\n"));
}

FIXTURE_TEARDOWN(perm)
{
	kt_write_file(KT_S390_PARAMS "/log_gid", "-1\n");
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

/* Drop CAP_SYSLOG from the effective and permitted sets, staying root. */
static int drop_cap_syslog(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[CAP_SYSLOG / 32].effective &= ~(1U << (CAP_SYSLOG % 32));
	d[CAP_SYSLOG / 32].permitted &= ~(1U << (CAP_SYSLOG % 32));
	return syscall(SYS_capset, &h, d);
}

/*
 * In the child: can it open the log, and ADD a request on @qfd (-1: on a
 * queue of its own)?  Exit status: bit 0 open worked, bit 1 ADD worked,
 * 8 open failed other than EPERM, 16 ADD failed other than EPERM, 32 a
 * denied ADD changed the queue, 64 setup failed.
 */
static int probe(int qfd)
{
	struct kevent_info before, after;
	struct ukevent ev;
	int ret = 0, lfd, fd = qfd;

	lfd = kt_s390_open();
	if (lfd >= 0)
		ret |= 1;
	else if (errno != EPERM)
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

enum who { KT_S390_NOBODY_ONLY, KT_S390_NOBODY_OTHER, KT_S390_ROOT_NO_SYSLOG };

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
		default:
			err = drop_cap_syslog();
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

TEST_F(perm, root_without_cap_syslog_denied)
{
	ASSERT_EQ(0, child(KT_S390_ROOT_NO_SYSLOG, -1));
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

/* Members of log_gid, primary or supplementary, may subscribe and read. */
TEST_F(perm, log_gid_allows)
{
	ASSERT_EQ(0, kt_write_file(KT_S390_PARAMS "/log_gid", "%d\n",
				   KT_S390_OTHER_GID));
	ASSERT_EQ(3, child(KT_S390_NOBODY_OTHER, -1));
	ASSERT_EQ(0, child(KT_S390_NOBODY_ONLY, -1));

	ASSERT_EQ(0, kt_write_file(KT_S390_PARAMS "/log_gid", "%d\n", KT_S390_NOBODY));
	ASSERT_EQ(3, child(KT_S390_NOBODY_ONLY, -1));

	/* Back to none: denied again. */
	ASSERT_EQ(0, kt_write_file(KT_S390_PARAMS "/log_gid", "-1\n"));
	ASSERT_EQ(0, child(KT_S390_NOBODY_ONLY, -1));
}

TEST_HARNESS_MAIN
