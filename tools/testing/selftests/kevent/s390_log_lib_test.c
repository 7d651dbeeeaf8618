// SPDX-License-Identifier: GPL-2.0
/*
 * libkevent_s390_log against the real log device: the reader gives what
 * the raw ioctls of s390_log_util.h give, reports a loss as a result,
 * passes ERANGE on, and names the records the simulated tapes write.
 */
#include <fcntl.h>

#include "kselftest_harness.h"
#include "s390_log_util.h"
#include "libkevent_s390_log.h"

FIXTURE(liblog) {
	int lfd;
	struct kevent_s390_log_stats st;
	struct kevent_s390_log_record rec[8];
};

FIXTURE_SETUP(liblog)
{
	ASSERT_TRUE(kt_s390_loaded("kevent_s390_log") &&
		    kt_s390_loaded("kevent_tape_sim"))
		TH_LOG("kevent_s390_log.ko and kevent_tape_sim.ko not loaded");
	ASSERT_EQ(0, kt_s390_tapes());
	self->lfd = libkevent_s390_log_open();
	ASSERT_LE(0, self->lfd) TH_LOG("open: %s", strerror(-self->lfd));
	ASSERT_EQ(0, libkevent_s390_log_stats(self->lfd, &self->st));
}

FIXTURE_TEARDOWN(liblog)
{
	close(self->lfd);
}

TEST_F(liblog, open_read_only)
{
	ASSERT_EQ(O_RDONLY, fcntl(self->lfd, F_GETFL) & O_ACCMODE);
	ASSERT_EQ(FD_CLOEXEC, fcntl(self->lfd, F_GETFD) & FD_CLOEXEC);
}

TEST_F(liblog, stats_as_the_ioctl)
{
	struct kevent_s390_log_stats raw, lib;
	int lfd = kt_s390_open();

	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, kt_s390_stats(lfd, &raw));
	ASSERT_EQ(0, libkevent_s390_log_stats(self->lfd, &lib));
	ASSERT_STATS_EQ(raw, lib);
	ASSERT_EQ(raw.size, lib.size);
	ASSERT_EQ(raw.records, lib.records);
	close(lfd);
}

TEST_F(liblog, read_names_devids)
{
	struct libkevent_s390_log_result res;
	char id[LIBKEVENT_S390_DEVID_LEN];
	__u64 pos = self->st.next_seq;
	__u32 devid;

	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE0, "load", "VOL001\n"));
	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE1, "intervention", "mount VOL2\n"));
	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE1, "unload", "x\n"));

	ASSERT_EQ(0, libkevent_s390_log_read(self->lfd, pos, self->rec, 8,
					     &res, NULL, 0));
	ASSERT_EQ(3, res.count);
	ASSERT_EQ(pos + 3, res.next);
	ASSERT_EQ(0, res.lost);
	ASSERT_EQ(pos, self->rec[0].seq);
	ASSERT_EQ(0, memcmp(self->rec[0].payload, "VOL001", 6));

	ASSERT_STREQ("tape_loaded",
		     libkevent_s390_event_name(self->rec[0].event));
	ASSERT_STREQ("tape_intervention",
		     libkevent_s390_event_name(self->rec[1].event));
	ASSERT_STREQ("tape_unloaded",
		     libkevent_s390_event_name(self->rec[2].event));
	ASSERT_STREQ(KT_S390_TAPE0,
		     libkevent_s390_devid_format(self->rec[0].devid, id));
	ASSERT_STREQ(KT_S390_TAPE1,
		     libkevent_s390_devid_format(self->rec[2].devid, id));

	/* The sysfs bus ids parse to the ids the records carry. */
	ASSERT_EQ(0, libkevent_s390_devid_parse(KT_S390_TAPE0, &devid));
	ASSERT_EQ(KT_S390_DEV0, devid);
	ASSERT_EQ(0, libkevent_s390_devid_parse(KT_S390_TAPE1, &devid));
	ASSERT_EQ(self->rec[1].devid, devid);

	/* At the end: nothing, no loss, the position stays. */
	ASSERT_EQ(0, libkevent_s390_log_read(self->lfd, res.next, self->rec, 8,
					     &res, NULL, 0));
	ASSERT_EQ(0, res.count);
	ASSERT_EQ(0, res.lost);
	ASSERT_EQ(pos + 3, res.next);
}

/* One record at a time, as the raw READ gives them. */
TEST_F(liblog, read_one_by_one)
{
	struct libkevent_s390_log_result res;
	struct kevent_s390_log_read rd;
	struct kevent_s390_log_record raw;
	__u64 pos = self->st.next_seq;
	int lfd = kt_s390_open();
	unsigned int i;

	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE0, "burst", "5\n"));
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(0, libkevent_s390_log_read(self->lfd, pos, self->rec,
						     1, &res, NULL, 0));
		ASSERT_EQ(1, res.count);
		ASSERT_EQ(1, kt_s390_read(lfd, pos, 1, &raw, &rd));
		ASSERT_EQ(rd.next_seq, res.next);
		ASSERT_EQ(0, memcmp(&raw, self->rec, sizeof(raw)));
		pos = res.next;
	}
	ASSERT_EQ(0, libkevent_s390_log_read(self->lfd, pos, self->rec, 1,
					     &res, NULL, 0));
	ASSERT_EQ(0, res.count);
	close(lfd);
}

/* An overwritten position is a result: the exact loss, then read on. */
TEST_F(liblog, overflow_is_reported)
{
	struct libkevent_s390_log_result res;
	__u64 pos = self->st.next_seq;

	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE1, "burst", "%llu\n",
			    (unsigned long long)self->st.size + 10));
	ASSERT_EQ(0, libkevent_s390_log_read(self->lfd, pos, self->rec, 8,
					     &res, NULL, 0));
	ASSERT_EQ(0, res.count);
	ASSERT_EQ(10, res.lost);
	ASSERT_EQ(pos + 10, res.next);

	ASSERT_EQ(0, libkevent_s390_log_read(self->lfd, res.next, self->rec, 8,
					     &res, NULL, 0));
	ASSERT_EQ(8, res.count);
	ASSERT_EQ(0, res.lost);
	ASSERT_EQ(pos + 10, self->rec[0].seq);
}

/* A position past the log's end was never issued: ERANGE. */
TEST_F(liblog, range_past_the_end)
{
	struct libkevent_s390_log_result res;
	char why[128] = "";

	errno = 0;
	ASSERT_EQ(-ERANGE, libkevent_s390_log_read(self->lfd,
						   self->st.next_seq + 1,
						   self->rec, 8, &res, why,
						   sizeof(why)));
	ASSERT_EQ(ERANGE, errno);
	ASSERT_STREQ("", why);
}

TEST_HARNESS_MAIN
