// SPDX-License-Identifier: GPL-2.0
/*
 * KEVENT_S390_LOG under load: sequence continuity across thousands of
 * notifies from hardirq while a thread reads and commits, overflow of the
 * record buffer with the exact lost count, and per-device requests that end
 * on the newest record of their device however the notifies interleave.
 */
#include <poll.h>

#include "kselftest_harness.h"
#include "s390_log_util.h"

#define KT_S390_BATCH	256

FIXTURE(stream) {
	struct kevent_ring *r;
	int fd;
	int lfd;
	struct kevent_s390_log_stats st;
	struct kevent_s390_log_record *rec;
};

FIXTURE_SETUP(stream)
{
	ASSERT_TRUE(kt_s390_loaded("kevent_s390_log") &&
		    kt_s390_loaded("kevent_tape_sim"))
		TH_LOG("kevent_s390_log.ko and kevent_tape_sim.ko not loaded");
	ASSERT_EQ(0, kt_s390_tapes());
	self->fd = kevent_init(&self->r, 256, 0);
	ASSERT_LE(0, self->fd) TH_LOG("kevent_init: %s", strerror(errno));
	self->lfd = kt_s390_open();
	ASSERT_LE(0, self->lfd);
	ASSERT_EQ(0, kt_s390_stats(self->lfd, &self->st));
	self->rec = calloc(KT_S390_BATCH, sizeof(*self->rec));
	ASSERT_NE(NULL, self->rec);
}

FIXTURE_TEARDOWN(stream)
{
	free(self->rec);
	close(self->lfd);
	kevent_close(self->r);
}

struct burst {
	const char *tape;
	unsigned int count;
	unsigned int rounds;
	int err;
	int done;	/* __atomic: set by the thread when it ends */
};

/* Fire count alternating loads and unloads from hardirq, rounds times. */
static void *burst_thread(void *arg)
{
	struct burst *b = arg;
	char path[128];
	unsigned int i;

	snprintf(path, sizeof(path), KT_S390_SIM "/%s/burst", b->tape);
	for (i = 0; i < b->rounds && !b->err; i++)
		b->err = kt_write_file(path, "%u\n", b->count);
	__atomic_store_n(&b->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * Read records from *pos to the log's end.  Checks each record follows the
 * one before; counts records seen and lost.  Returns 0, or -1 on a
 * failure, which it logs.
 */
static int collect(struct __test_metadata *_metadata, int lfd,
		      struct kevent_s390_log_record *rec, __u64 *pos,
		      __u64 *seen, __u64 *lost, __u32 devid)
{
	struct kevent_s390_log_read rd;
	unsigned int burst_i;
	int i, n;

	for (;;) {
		n = kt_s390_read(lfd, *pos, KT_S390_BATCH, rec, &rd);
		if (n < 0 && errno == EOVERFLOW) {
			if (rd.count || rd.next_seq != *pos + rd.lost || !rd.lost) {
				TH_LOG("EOVERFLOW at %llu: count %u lost %llu next %llu",
				       (unsigned long long)*pos, rd.count,
				       (unsigned long long)rd.lost,
				       (unsigned long long)rd.next_seq);
				return -1;
			}
			*lost += rd.lost;
			*pos = rd.next_seq;
			continue;
		}
		if (n < 0) {
			TH_LOG("READ at %llu: %s", (unsigned long long)*pos,
			       strerror(errno));
			return -1;
		}
		for (i = 0; i < n; i++) {
			if (rec[i].seq != *pos + i || rec[i].devid != devid ||
			    sscanf((char *)rec[i].payload, "burst %u",
				   &burst_i) != 1 ||
			    rec[i].event != (burst_i & 1 ?
					     KEVENT_S390_TAPE_UNLOADED :
					     KEVENT_S390_TAPE_LOADED)) {
				TH_LOG("record %llu: seq %llu event %#x devid %#x '%.16s'",
				       (unsigned long long)(*pos + i),
				       (unsigned long long)rec[i].seq,
				       rec[i].event, rec[i].devid,
				       (char *)rec[i].payload);
				return -1;
			}
		}
		*seen += n;
		*pos = rd.next_seq;
		if (!n)
			return 0;
	}
}

/*
 * A thread fires bursts from hardirq; the test waits on one wildcard
 * request, commits, and reads by sequence from its own position.  Every
 * record is read or counted lost, exactly; with fewer notifies than the
 * buffer holds, none is lost.
 */
static void continuity(struct __test_metadata *_metadata,
			  struct kevent_ring *r, int lfd,
			  const struct kevent_s390_log_stats *st0,
			  struct kevent_s390_log_record *rec,
			  unsigned int count, unsigned int rounds)
{
	struct burst b = { .tape = KT_S390_TAPE0, .count = count,
			      .rounds = rounds };
	__u64 pos = st0->next_seq, seen = 0, lost = 0, last = 0;
	unsigned int total = count * rounds, wakeups = 0, loops = 0;
	struct ukevent ev[16];
	pthread_t t;
	int i, n;

	ev[0] = kt_s390_req(1, KEVENT_S390_LOG_ANY_DEV, KEVENT_S390_TAPE_LOADED |
		       KEVENT_S390_TAPE_UNLOADED, 0);
	ASSERT_EQ(0, kevent_ctl(r->fd, KEVENT_CTL_ADD, 1, ev));
	ASSERT_EQ(0, pthread_create(&t, NULL, burst_thread, &b));

	while (loops++ < 100000) {
		int done = __atomic_load_n(&b.done, __ATOMIC_ACQUIRE);

		kt_s390_wait(r, 1, 50);
		n = kt_drain(r, ev, 16);
		ASSERT_LE(0, n);
		for (i = 0; i < n; i++) {
			/* Deliveries report newer records each time. */
			ASSERT_LT(last, ev[i].ret_data[0]);
			ASSERT_LT(ev[i].ret_data[0], st0->next_seq + total);
			last = ev[i].ret_data[0];
			wakeups++;
		}
		ASSERT_EQ(0, collect(_metadata, lfd, rec, &pos,
					&seen, &lost, KT_S390_DEV0));
		if (done)
			break;
	}
	pthread_join(t, NULL);
	ASSERT_EQ(0, b.err) TH_LOG("burst: %s", strerror(-b.err));
	ASSERT_EQ(0, collect(_metadata, lfd, rec, &pos, &seen,
				&lost, KT_S390_DEV0));
	ASSERT_EQ(st0->next_seq + total, pos);
	ASSERT_EQ(total, seen + lost);
	if (total <= st0->size)
		ASSERT_EQ(0, lost);
	/* The last notify reached the request: committed or folded. */
	kt_s390_wait(r, 1, 200);
	n = kt_drain(r, ev, 16);
	if (n > 0)
		last = ev[n - 1].ret_data[0];
	ASSERT_EQ(st0->next_seq + total - 1, last);
	ASSERT_LE(1, wakeups);
	TH_LOG("%u notifies: %llu read, %llu lost, %u wakeups", total,
	       (unsigned long long)seen, (unsigned long long)lost, wakeups);
}

TEST_F_TIMEOUT(stream, continuity_no_loss, 300)
{
	/* Fewer than the buffer holds: nothing may be lost. */
	continuity(_metadata, self->r, self->lfd, &self->st, self->rec,
		      500, 6);
}

TEST_F_TIMEOUT(stream, continuity_with_loss, 300)
{
	/* More than the buffer holds in one go: exact loss accounting. */
	continuity(_metadata, self->r, self->lfd, &self->st, self->rec,
		      self->st.size + 1000, 2);
}

/*
 * Overflow: size + 100 notifies while nobody reads.  Reading from before
 * them fails with EOVERFLOW and says exactly 100 were lost; the rest reads
 * back whole.
 */
TEST_F_TIMEOUT(stream, overflow_exact, 300)
{
	__u64 pos = self->st.next_seq, size = self->st.size, seen = 0, lost;
	struct kevent_s390_log_stats st;
	struct kevent_s390_log_read rd;

	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE0, "burst", "%llu\n",
			    (unsigned long long)size + 100));
	ASSERT_EQ(0, kt_s390_stats(self->lfd, &st));
	ASSERT_EQ(pos + size + 100, st.next_seq);
	ASSERT_EQ(st.next_seq - size, st.oldest_seq);
	ASSERT_EQ(size, st.records);
	ASSERT_EQ(st.oldest_seq - 1, st.overwritten);

	errno = 0;
	ASSERT_EQ(-1, kt_s390_read(self->lfd, pos, KT_S390_BATCH, self->rec, &rd));
	ASSERT_EQ(EOVERFLOW, errno);
	ASSERT_EQ(0, rd.count);
	ASSERT_EQ(100, rd.lost);
	ASSERT_EQ(pos + 100, rd.next_seq);

	/* The same from anywhere in the lost range. */
	ASSERT_EQ(-1, kt_s390_read(self->lfd, pos + 99, 1, self->rec, &rd));
	ASSERT_EQ(EOVERFLOW, errno);
	ASSERT_EQ(1, rd.lost);
	ASSERT_EQ(pos + 100, rd.next_seq);

	/* From the oldest on: everything else, in order. */
	pos += 100;
	lost = 0;
	ASSERT_EQ(0, collect(_metadata, self->lfd, self->rec, &pos, &seen,
				&lost, KT_S390_DEV0));
	ASSERT_EQ(0, lost);
	ASSERT_EQ(size, seen);
	ASSERT_EQ(st.next_seq, pos);
}

/*
 * Two tapes burst from hardirq at once while the test commits.  Each
 * per-device request ends on the newest record of its device, and every
 * delivery names a record of that device and event.
 */
TEST_F_TIMEOUT(stream, irq_commit_two_tapes, 300)
{
	struct burst b0 = { .tape = KT_S390_TAPE0, .count = 300, .rounds = 4 };
	struct burst b1 = { .tape = KT_S390_TAPE1, .count = 300, .rounds = 4 };
	struct kevent_s390_log_record rec;
	struct kevent_s390_log_read rd;
	__u64 last[5] = { 0 };
	struct ukevent ev[16];
	pthread_t t0, t1;
	unsigned int loops = 0;
	int i, n, quiet = 0;

	ev[0] = kt_s390_req(1, KT_S390_DEV0, KEVENT_S390_TAPE_LOADED |
		       KEVENT_S390_TAPE_UNLOADED, 0);
	ev[1] = kt_s390_req(2, KT_S390_DEV1, KEVENT_S390_TAPE_LOADED |
		       KEVENT_S390_TAPE_UNLOADED, 0);
	ev[2] = kt_s390_req(3, KT_S390_DEV0, KEVENT_S390_TAPE_LOADED, KEVENT_REQ_ET);
	ev[3] = kt_s390_req(4, KEVENT_S390_LOG_ANY_DEV, KEVENT_S390_TAPE_UNLOADED,
		       KEVENT_REQ_WAKEUP_ALL);
	ASSERT_EQ(0, kevent_ctl(self->fd, KEVENT_CTL_ADD, 4, ev));
	ASSERT_EQ(0, pthread_create(&t0, NULL, burst_thread, &b0));
	ASSERT_EQ(0, pthread_create(&t1, NULL, burst_thread, &b1));

	while (loops++ < 100000 && quiet < 3) {
		int done = __atomic_load_n(&b0.done, __ATOMIC_ACQUIRE) &&
			   __atomic_load_n(&b1.done, __ATOMIC_ACQUIRE);

		kt_s390_wait(self->r, 1, 50);
		n = kt_drain(self->r, ev, 16);
		ASSERT_LE(0, n);
		for (i = 0; i < n; i++) {
			__u32 event = KEVENT_S390_LOG_RET_EVENT(ev[i].ret_data[1]);
			__u32 dev = KEVENT_S390_LOG_RET_DEVID(ev[i].ret_data[1]);

			ASSERT_LE(1, ev[i].id);
			ASSERT_GE(4, ev[i].id);
			ASSERT_EQ(0, ev[i].ret_flags & KEVENT_RET_BROKEN);
			ASSERT_LE(last[ev[i].id], ev[i].ret_data[0]);
			last[ev[i].id] = ev[i].ret_data[0];
			if (ev[i].id == 1 || ev[i].id == 3)
				ASSERT_EQ(KT_S390_DEV0, dev);
			if (ev[i].id == 2)
				ASSERT_EQ(KT_S390_DEV1, dev);
			if (ev[i].id == 3)
				ASSERT_EQ(KEVENT_S390_TAPE_LOADED, event);
			if (ev[i].id == 4)
				ASSERT_EQ(KEVENT_S390_TAPE_UNLOADED, event);
			/* The record says the same (2400 < buffer: not lost). */
			ASSERT_EQ(1, kt_s390_read(self->lfd, ev[i].ret_data[0], 1,
					     &rec, &rd));
			ASSERT_EQ(event, rec.event);
			ASSERT_EQ(dev, rec.devid);
		}
		if (done)
			quiet = n ? 0 : quiet + 1;
	}
	pthread_join(t0, NULL);
	pthread_join(t1, NULL);
	ASSERT_EQ(0, b0.err);
	ASSERT_EQ(0, b1.err);
	ASSERT_EQ(3, quiet) TH_LOG("deliveries did not settle");
	/* Level requests end on their device's newest record. */
	ASSERT_EQ(kt_s390_tape_seq(KT_S390_TAPE0), last[1]);
	ASSERT_EQ(kt_s390_tape_seq(KT_S390_TAPE1), last[2]);
}

/* poll() on the log wakes up for a notify from hardirq. */
static void *late_load(void *arg)
{
	(void)arg;
	kt_sleep_ms(200);
	kt_write_file(KT_S390_SIM "/" KT_S390_TAPE1 "/load", "LATE\n");
	return NULL;
}

TEST_F(stream, poll_wakeup)
{
	struct pollfd pfd = { .fd = self->lfd, .events = POLLIN };
	pthread_t t;

	ASSERT_EQ(0, poll(&pfd, 1, 0));
	ASSERT_EQ(0, pthread_create(&t, NULL, late_load, NULL));
	ASSERT_EQ(1, poll(&pfd, 1, 20000));
	ASSERT_EQ(POLLIN, pfd.revents & POLLIN);
	pthread_join(t, NULL);
}

TEST_HARNESS_MAIN
