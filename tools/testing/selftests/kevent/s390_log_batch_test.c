// SPDX-License-Identifier: GPL-2.0
/*
 * kevent_s390_log_notify_batch(), the sentences of <linux/kevent_s390_log.h>
 * and its kernel-doc: one record per report, consecutive sequence numbers,
 * one timestamp; requests marked as that many single notifies in the same
 * order would mark them; a batch with a bad report, or too many or no
 * reports, is refused whole and each report counts as rejected.  Driven
 * through the simulator's notify_batch file (process context) and its
 * bursts (hardirq context, 64 reports per batch).
 */
#include "kselftest_harness.h"
#include "s390_log_util.h"

#define LOADED		KEVENT_S390_TAPE_LOADED
#define UNLOADED	KEVENT_S390_TAPE_UNLOADED

FIXTURE(batch) {
	struct kevent_ring *r;
	int fd;
	int lfd;
};

FIXTURE_SETUP(batch)
{
	ASSERT_TRUE(kt_s390_loaded("kevent_s390_log") &&
		    kt_s390_loaded("kevent_tape_sim"))
		TH_LOG("kevent_s390_log.ko and kevent_tape_sim.ko not loaded");
	ASSERT_EQ(0, kt_s390_tapes());
	self->fd = kevent_init(&self->r, 64, 0);
	ASSERT_LE(0, self->fd);
	self->lfd = kt_s390_open();
	ASSERT_LE(0, self->lfd);
}

FIXTURE_TEARDOWN(batch)
{
	close(self->lfd);
	kevent_close(self->r);
}

/* Write @text to the simulator's notify_batch file: 0, or -errno. */
#define write_batch(text) kt_write_file(KT_S390_SIM "/notify_batch", "%s", text)

/* One record per report, consecutive, one timestamp, as reported. */
TEST_F(batch, records)
{
	struct kevent_s390_log_record rec[3];
	struct kevent_s390_log_read rd;
	__u64 first = kt_s390_next(self->lfd);

	ASSERT_LT(0, first);
	ASSERT_EQ(0, write_batch("1 0x180 VOL001\n2 0x180\n4 0x181 sense\n"));
	ASSERT_EQ(first + 3, kt_s390_next(self->lfd));
	ASSERT_EQ(3, kt_s390_read(self->lfd, first, 3, rec, &rd));
	EXPECT_EQ(first, rec[0].seq);
	EXPECT_EQ(first + 1, rec[1].seq);
	EXPECT_EQ(first + 2, rec[2].seq);
	EXPECT_EQ(LOADED, rec[0].event);
	EXPECT_EQ(UNLOADED, rec[1].event);
	EXPECT_EQ(KEVENT_S390_TAPE_ERROR, rec[2].event);
	EXPECT_EQ(KT_S390_DEV0, rec[0].devid);
	EXPECT_EQ(KT_S390_DEV0, rec[1].devid);
	EXPECT_EQ(KT_S390_DEV1, rec[2].devid);
	EXPECT_EQ(6, rec[0].payload_len);
	EXPECT_EQ(0, memcmp(rec[0].payload, "VOL001", 6));
	EXPECT_EQ(0, rec[1].payload_len);
	EXPECT_EQ(5, rec[2].payload_len);
	EXPECT_EQ(0, memcmp(rec[2].payload, "sense", 5));
	EXPECT_EQ(rec[0].timestamp_ns, rec[1].timestamp_ns);
	EXPECT_EQ(rec[0].timestamp_ns, rec[2].timestamp_ns);
	EXPECT_LT(0, rec[0].timestamp_ns);
}

/* The entries of @r, committed, with sequence numbers made relative. */
static int take(struct kevent_ring *r, struct ukevent *out, unsigned int max,
		__u64 base)
{
	int n = kt_drain(r, out, max), i;

	for (i = 0; i < n; i++)
		if (out[i].ret_data[0])
			out[i].ret_data[0] -= base;
	return n;
}

/*
 * Two level requests for loads of tape 0, an edge one for any event of any
 * device, and a ONESHOT for tape 1, in one queue: the reports made in one
 * batch and one by one mark them the same way.
 */
TEST_F(batch, same_as_single_notifies)
{
	static const char *const reports[] = {
		"1 0x180 a\n", "1 0x180 b\n", "2 0x180\n", "1 0x181 c\n",
		"1 0x180 d\n", "1 0x181 e\n",
	};
	struct ukevent want[16], got[16], ev[4];
	char all[256] = "";
	unsigned int i, run;
	int nwant = 0, ngot = 0, n;
	__u64 base;

	for (i = 0; i < ARRAY_LEN(reports); i++)
		strcat(all, reports[i]);
	for (run = 0; run < 2; run++) {
		struct kevent_ring *r;

		ASSERT_LE(0, kevent_init(&r, 64, 0));
		ev[0] = kt_s390_req(1, KT_S390_DEV0, LOADED, 0);
		ev[1] = kt_s390_req(2, KT_S390_DEV0, LOADED, 0);
		ev[2] = kt_s390_req(3, KEVENT_S390_LOG_ANY_DEV,
				    KEVENT_S390_EVENTS_ALL, KEVENT_REQ_ET);
		ev[3] = kt_s390_req(4, KT_S390_DEV1, LOADED,
				    KEVENT_REQ_ONESHOT);
		ASSERT_EQ(0, kevent_ctl(r->fd, KEVENT_CTL_ADD, 4, ev));
		base = kt_s390_next(self->lfd);
		if (run) {
			ASSERT_EQ(0, write_batch(all));
		} else {
			for (i = 0; i < ARRAY_LEN(reports); i++)
				ASSERT_EQ(0, kt_write_file(KT_S390_SIM "/notify",
							   "%s", reports[i]));
		}
		ASSERT_EQ(base + ARRAY_LEN(reports), kt_s390_next(self->lfd));
		/* Commit until nothing more comes: level requests re-queue. */
		for (i = 0; i < 4; i++) {
			if (run) {
				n = take(r, got + ngot, 16 - ngot, base);
				ASSERT_LE(0, n);
				ngot += n;
			} else {
				n = take(r, want + nwant, 16 - nwant, base);
				ASSERT_LE(0, n);
				nwant += n;
			}
		}
		kevent_close(r);
	}
	/* Something was marked: requests 1, 2, 3 and 4 at least once. */
	ASSERT_LE(4, nwant);
	ASSERT_EQ(nwant, ngot);
	for (i = 0; i < (unsigned int)nwant; i++) {
		EXPECT_EQ(want[i].id, got[i].id) TH_LOG("entry %u", i);
		EXPECT_EQ(want[i].ret_flags, got[i].ret_flags) TH_LOG("entry %u", i);
		EXPECT_EQ(want[i].ret_data[0], got[i].ret_data[0]) TH_LOG("entry %u", i);
		EXPECT_EQ(want[i].ret_data[1], got[i].ret_data[1]) TH_LOG("entry %u", i);
	}
}

/* A bad report, too many reports or none: refused whole, each counted. */
TEST_F(batch, refused_whole)
{
	struct kevent_s390_log_stats a, b;
	static char many[65 * 16];
	unsigned int i;

	ASSERT_EQ(0, kt_s390_stats(self->lfd, &a));
	/* The second report has two event bits. */
	ASSERT_EQ(-EINVAL, write_batch("1 0x180\n3 0x180\n1 0x181\n"));
	ASSERT_EQ(0, kt_s390_stats(self->lfd, &b));
	EXPECT_EQ(a.next_seq, b.next_seq);
	EXPECT_EQ(a.rejected + 3, b.rejected);
	/* Not a device id (ssid above 3). */
	ASSERT_EQ(-EINVAL, write_batch("1 0x180\n1 0x40180\n"));
	ASSERT_EQ(0, kt_s390_stats(self->lfd, &a));
	EXPECT_EQ(b.next_seq, a.next_seq);
	EXPECT_EQ(b.rejected + 2, a.rejected);
	/* KEVENT_S390_LOG_BATCH_MAX + 1 reports. */
	many[0] = 0;
	for (i = 0; i < 65; i++)
		strcat(many, "1 0x180\n");
	ASSERT_EQ(-EINVAL, write_batch(many));
	ASSERT_EQ(0, kt_s390_stats(self->lfd, &b));
	EXPECT_EQ(a.next_seq, b.next_seq);
	EXPECT_EQ(a.rejected + 65, b.rejected);
	/* None. */
	ASSERT_EQ(-EINVAL, write_batch("\n"));
	ASSERT_EQ(0, kt_s390_stats(self->lfd, &a));
	EXPECT_EQ(b.next_seq, a.next_seq);
	EXPECT_EQ(b.rejected, a.rejected);
	/* 64 is allowed. */
	many[64 * 8] = 0;
	ASSERT_EQ(0, write_batch(many));
	ASSERT_EQ(0, kt_s390_stats(self->lfd, &b));
	EXPECT_EQ(a.next_seq + 64, b.next_seq);
}

/*
 * A burst from the simulator's interrupt (batches of 64): every record is
 * there, in order, alternating, and an edge-triggered wildcard request
 * that nobody reads during the burst is marked once, by the first record.
 */
TEST_F(batch, burst_from_hardirq)
{
	struct kevent_s390_log_record rec[64];
	struct kevent_s390_log_read rd;
	struct ukevent ev, out[4];
	__u64 first = kt_s390_next(self->lfd), seq;
	unsigned int i;
	int n;

	ev = kt_s390_req(1, KEVENT_S390_LOG_ANY_DEV, LOADED | UNLOADED,
			 KEVENT_REQ_ET);
	ASSERT_EQ(0, kt_ctl1(self->fd, KEVENT_CTL_ADD, &ev));
	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE1, "burst", "200\n"));
	ASSERT_EQ(first + 200, kt_s390_next(self->lfd));
	EXPECT_EQ(first + 199, kt_s390_tape_seq(KT_S390_TAPE1));
	for (seq = first; seq < first + 200; seq += n) {
		n = kt_s390_read(self->lfd, seq, 64, rec, &rd);
		ASSERT_LT(0, n);
		for (i = 0; i < (unsigned int)n; i++) {
			ASSERT_EQ(seq + i, rec[i].seq);
			ASSERT_EQ((seq + i - first) & 1 ? UNLOADED : LOADED,
				  rec[i].event);
			ASSERT_EQ(KT_S390_DEV1, rec[i].devid);
		}
	}
	ASSERT_EQ(1, kt_drain(self->r, out, 4));
	EXPECT_EQ(1, out[0].id);
	EXPECT_EQ(first, out[0].ret_data[0]);
}

TEST_HARNESS_MAIN
