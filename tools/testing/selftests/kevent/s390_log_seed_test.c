// SPDX-License-Identifier: GPL-2.0
/*
 * KEVENT_S390_LOG, the seed thread's scenario step by step: two requests
 * with the same type and event share the notifies of two tapes; WAKEUP_ALL;
 * per-device filtering; requests for devices that do not exist yet; devices
 * that share a slot of the device cache; the records behind the requests;
 * and the daemon loop of the documentation.
 */
#include <poll.h>

#include "kselftest_harness.h"
#include "s390_log_util.h"

FIXTURE(seed) {
	struct kevent_ring *r;
	int fd;
	int lfd;
};

FIXTURE_SETUP(seed)
{
	ASSERT_TRUE(kt_s390_loaded("kevent_s390_log") &&
		    kt_s390_loaded("kevent_tape_sim"))
		TH_LOG("kevent_s390_log.ko and kevent_tape_sim.ko not loaded");
	ASSERT_EQ(0, kt_s390_tapes());
	self->fd = kevent_init(&self->r, 64, 0);
	ASSERT_LE(0, self->fd) TH_LOG("kevent_init: %s", strerror(errno));
	self->lfd = kt_s390_open();
	ASSERT_LE(0, self->lfd) TH_LOG("open %s: %s", KT_S390_LOGDEV, strerror(errno));
}

FIXTURE_TEARDOWN(seed)
{
	close(self->lfd);
	kevent_close(self->r);
}

/* Take the one entry that must be unread now. */
static int take1(struct kevent_ring *r, struct ukevent *ev)
{
	if (kt_unread(r) != 1)
		return -1;
	return kt_drain(r, ev, 1) == 1 ? 0 : -1;
}

#define ASSERT_FIRED(ev, want_id, want_seq, want_event, want_dev) do {	\
	const struct ukevent __e = (ev);				\
	const __u64 __id = (want_id);					\
	ASSERT_EQ(__id, __e.id);					\
	ASSERT_EQ(0, __e.ret_flags & KEVENT_RET_BROKEN);		\
	ASSERT_EQ((want_seq), __e.ret_data[0]);				\
	ASSERT_EQ((want_event), KEVENT_S390_LOG_RET_EVENT(__e.ret_data[1])); \
	ASSERT_EQ((want_dev), KEVENT_S390_LOG_RET_DEVID(__e.ret_data[1])); \
	ASSERT_EQ(~__id, __e.user);					\
} while (0)

/*
 * The seed: requests 0x100 and 0x200, same type, same event, every device.
 * A load marks the first that is not ready; a load on the other tape while
 * 0x100 is unread marks 0x200; once committed 0x100 fires again.
 */
TEST_F(seed, two_tapes)
{
	struct ukevent ev[2];
	__u64 s1, s2, s3, s4;

	ev[0] = kt_s390_req(0x100, KEVENT_S390_LOG_ANY_DEV,
			    KEVENT_S390_TAPE_LOADED, 0);
	ev[1] = kt_s390_req(0x200, KEVENT_S390_LOG_ANY_DEV,
			    KEVENT_S390_TAPE_LOADED, 0);
	ASSERT_EQ(0, kevent_ctl(self->fd, KEVENT_CTL_ADD, 2, ev));
	ASSERT_EQ(0, kt_unread(self->r));

	/* Step 1: tape 0.0.0180 loaded: 0x100 takes it. */
	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE0, "load", "VOL001\n"));
	s1 = kt_s390_tape_seq(KT_S390_TAPE0);
	ASSERT_NE(0, s1);
	ASSERT_EQ(1, kt_unread(self->r));
	ASSERT_FIRED(*kevent_ring_entry(self->r, kevent_ring_committed(self->r)),
		     0x100, s1, KEVENT_S390_TAPE_LOADED, KT_S390_DEV0);

	/* Step 2: tape 0.0.0181 loaded, 0x100 unread: 0x200 takes it. */
	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE1, "load", "VOL002\n"));
	s2 = kt_s390_tape_seq(KT_S390_TAPE1);
	ASSERT_EQ(s1 + 1, s2);
	ASSERT_EQ(2, kt_unread(self->r));
	ASSERT_FIRED(*kevent_ring_entry(self->r, kevent_ring_committed(self->r) + 1),
		     0x200, s2, KEVENT_S390_TAPE_LOADED, KT_S390_DEV1);

	/* Userspace reads both. */
	ASSERT_EQ(2, kt_drain(self->r, ev, 2));
	ASSERT_EQ(0x100, ev[0].id);
	ASSERT_EQ(0x200, ev[1].id);

	/* Step 3: committed, 0x100 is the first again, for either tape. */
	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE1, "unload", "x\n"));
	ASSERT_EQ(0, kt_unread(self->r)) TH_LOG("an unload marked a load request");
	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE1, "load", "VOL003\n"));
	s3 = kt_s390_tape_seq(KT_S390_TAPE1);
	ASSERT_EQ(0, take1(self->r, &ev[0]));
	ASSERT_FIRED(ev[0], 0x100, s3, KEVENT_S390_TAPE_LOADED, KT_S390_DEV1);

	/* Step 4: each load marks one request, in order. */
	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE0, "load", "VOL004\n"));
	s4 = kt_s390_tape_seq(KT_S390_TAPE0);
	ASSERT_EQ(0, take1(self->r, &ev[0]));
	ASSERT_FIRED(ev[0], 0x100, s4, KEVENT_S390_TAPE_LOADED, KT_S390_DEV0);
}

/*
 * Notifies that find every matching request unread are folded.  A level
 * request comes back once committed, with KEVENT_RET_COALESCED and the
 * newest record; an edge (ET) request does not.
 */
TEST_F(seed, fold_level_and_edge)
{
	struct ukevent ev[2];
	__u64 last;

	ev[0] = kt_s390_req(1, KT_S390_DEV0, KEVENT_S390_TAPE_LOADED, 0);
	ev[1] = kt_s390_req(2, KT_S390_DEV0, KEVENT_S390_TAPE_LOADED, KEVENT_REQ_ET);
	ASSERT_EQ(0, kevent_ctl(self->fd, KEVENT_CTL_ADD, 2, ev));

	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE0, "load", "A\n"));
	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE0, "load", "B\n"));
	ASSERT_EQ(2, kt_unread(self->r));
	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE0, "load", "C\n"));
	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE0, "load", "D\n"));
	last = kt_s390_tape_seq(KT_S390_TAPE0);
	ASSERT_EQ(2, kt_unread(self->r));
	ASSERT_EQ(2, kt_drain(self->r, ev, 2));
	ASSERT_EQ(last - 3, ev[0].ret_data[0]);
	ASSERT_EQ(last - 2, ev[1].ret_data[0]);

	/* Only the level request is queued again, with the newest record. */
	ASSERT_EQ(0, take1(self->r, &ev[0]));
	ASSERT_EQ(1, ev[0].id);
	ASSERT_EQ(KEVENT_RET_COALESCED, ev[0].ret_flags & KEVENT_RET_COALESCED);
	ASSERT_FIRED(ev[0], 1, last, KEVENT_S390_TAPE_LOADED, KT_S390_DEV0);
	ASSERT_EQ(0, kt_unread(self->r));
}

/*
 * WAKEUP_ALL requests are marked by every notify; of the others, only the
 * first that is not ready.
 */
TEST_F(seed, wakeup_all)
{
	struct ukevent ev[4];
	__u64 s;

	ev[0] = kt_s390_req(1, KEVENT_S390_LOG_ANY_DEV, KEVENT_S390_TAPE_ERROR,
		       KEVENT_REQ_WAKEUP_ALL);
	ev[1] = kt_s390_req(2, KEVENT_S390_LOG_ANY_DEV, KEVENT_S390_TAPE_ERROR, 0);
	ev[2] = kt_s390_req(3, KEVENT_S390_LOG_ANY_DEV, KEVENT_S390_TAPE_ERROR, 0);
	ev[3] = kt_s390_req(4, KEVENT_S390_LOG_ANY_DEV, KEVENT_S390_TAPE_ERROR,
		       KEVENT_REQ_WAKEUP_ALL);
	ASSERT_EQ(0, kevent_ctl(self->fd, KEVENT_CTL_ADD, 4, ev));

	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE1, "error", "sense 10 40 00 00\n"));
	s = kt_s390_tape_seq(KT_S390_TAPE1);
	ASSERT_EQ(3, kt_unread(self->r));
	ASSERT_EQ(3, kt_drain(self->r, ev, 4));
	ASSERT_FIRED(ev[0], 1, s, KEVENT_S390_TAPE_ERROR, KT_S390_DEV1);
	ASSERT_FIRED(ev[1], 2, s, KEVENT_S390_TAPE_ERROR, KT_S390_DEV1);
	ASSERT_FIRED(ev[2], 4, s, KEVENT_S390_TAPE_ERROR, KT_S390_DEV1);

	/* All committed: the same three again. */
	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE0, "error", "sense 2\n"));
	s = kt_s390_tape_seq(KT_S390_TAPE0);
	ASSERT_EQ(3, kt_unread(self->r));
	ASSERT_EQ(3, kt_drain(self->r, ev, 4));
	ASSERT_FIRED(ev[0], 1, s, KEVENT_S390_TAPE_ERROR, KT_S390_DEV0);
	ASSERT_FIRED(ev[1], 2, s, KEVENT_S390_TAPE_ERROR, KT_S390_DEV0);
	ASSERT_FIRED(ev[2], 4, s, KEVENT_S390_TAPE_ERROR, KT_S390_DEV0);
}

/* Each WAKEUP_ALL request still takes a notify only when it is not unread. */
TEST_F(seed, wakeup_all_unread)
{
	struct ukevent ev[3];
	__u64 s1, s2;

	ev[0] = kt_s390_req(1, KEVENT_S390_LOG_ANY_DEV, KEVENT_S390_TAPE_ERROR,
		       KEVENT_REQ_WAKEUP_ALL | KEVENT_REQ_ET);
	ev[1] = kt_s390_req(2, KEVENT_S390_LOG_ANY_DEV, KEVENT_S390_TAPE_ERROR, 0);
	ev[2] = kt_s390_req(3, KEVENT_S390_LOG_ANY_DEV, KEVENT_S390_TAPE_ERROR, 0);
	ASSERT_EQ(0, kevent_ctl(self->fd, KEVENT_CTL_ADD, 3, ev));

	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE0, "error", "1\n"));
	s1 = kt_s390_tape_seq(KT_S390_TAPE0);
	ASSERT_EQ(2, kt_unread(self->r));
	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE0, "error", "2\n"));
	s2 = kt_s390_tape_seq(KT_S390_TAPE0);
	/* 1 and 2 unread: 3 takes it. */
	ASSERT_EQ(3, kt_unread(self->r));
	ASSERT_EQ(3, kt_drain(self->r, ev, 3));
	ASSERT_FIRED(ev[0], 1, s1, KEVENT_S390_TAPE_ERROR, KT_S390_DEV0);
	ASSERT_FIRED(ev[1], 2, s1, KEVENT_S390_TAPE_ERROR, KT_S390_DEV0);
	ASSERT_FIRED(ev[2], 3, s2, KEVENT_S390_TAPE_ERROR, KT_S390_DEV0);
}

/*
 * A request that names a device sees only that device; its group and the
 * wildcard group each get a notify.
 */
TEST_F(seed, per_device)
{
	struct ukevent ev[4], out[8];
	__u64 s;

	ev[0] = kt_s390_req(1, KT_S390_DEV0, KEVENT_S390_TAPE_LOADED, 0);
	ev[1] = kt_s390_req(2, KT_S390_DEV1, KEVENT_S390_TAPE_LOADED, 0);
	ev[2] = kt_s390_req(3, KT_S390_DEV0, KEVENT_S390_TAPE_UNLOADED |
		       KEVENT_S390_TAPE_ERROR, 0);
	ev[3] = kt_s390_req(4, KEVENT_S390_LOG_ANY_DEV, KEVENT_S390_TAPE_ERROR, 0);
	ASSERT_EQ(0, kevent_ctl(self->fd, KEVENT_CTL_ADD, 4, ev));

	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE1, "load", "V1\n"));
	s = kt_s390_tape_seq(KT_S390_TAPE1);
	ASSERT_EQ(1, kt_drain(self->r, out, 8));
	ASSERT_FIRED(out[0], 2, s, KEVENT_S390_TAPE_LOADED, KT_S390_DEV1);

	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE1, "error", "E\n"));
	s = kt_s390_tape_seq(KT_S390_TAPE1);
	ASSERT_EQ(1, kt_drain(self->r, out, 8));
	ASSERT_FIRED(out[0], 4, s, KEVENT_S390_TAPE_ERROR, KT_S390_DEV1);

	/* An error on 0.0.0180: its group (3) and the wildcard group (4). */
	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE0, "error", "E\n"));
	s = kt_s390_tape_seq(KT_S390_TAPE0);
	ASSERT_EQ(2, kt_drain(self->r, out, 8));
	ASSERT_FIRED(out[0], 3, s, KEVENT_S390_TAPE_ERROR, KT_S390_DEV0);
	ASSERT_FIRED(out[1], 4, s, KEVENT_S390_TAPE_ERROR, KT_S390_DEV0);

	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE0, "load", "V2\n"));
	s = kt_s390_tape_seq(KT_S390_TAPE0);
	ASSERT_EQ(1, kt_drain(self->r, out, 8));
	ASSERT_FIRED(out[0], 1, s, KEVENT_S390_TAPE_LOADED, KT_S390_DEV0);

	/* Nobody asked for interventions. */
	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE0, "intervention", "mount VOL9\n"));
	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE1, "intervention", "mount VOL9\n"));
	ASSERT_EQ(0, kt_unread(self->r));
}

/* Requests may name a device before it exists. */
TEST_F(seed, future_device)
{
	__u32 dev = KEVENT_S390_DEVID(0, 1, 0x190);
	struct kevent_s390_log_stats st0, st;
	struct ukevent ev[2], out[4];
	__u64 s;

	kt_write_file(KT_S390_SIM "/remove", "0.1.0190\n");
	ASSERT_EQ(0, kt_s390_stats(self->lfd, &st0));
	ev[0] = kt_s390_req(1, dev, KEVENT_S390_DEVICE_ADDED |
		       KEVENT_S390_TAPE_LOADED, 0);
	ev[1] = kt_s390_req(2, dev, KEVENT_S390_DEVICE_ADDED, 0);
	ASSERT_EQ(0, kevent_ctl(self->fd, KEVENT_CTL_ADD, 2, ev));
	ASSERT_EQ(0, kt_s390_stats(self->lfd, &st));
	ASSERT_EQ(st0.requests_dev + 2, st.requests_dev);
	ASSERT_EQ(st0.devices + 1, st.devices);

	ASSERT_EQ(0, kt_write_file(KT_S390_SIM "/add", "0.1.0190\n"));
	s = kt_s390_tape_seq("0.1.0190");
	ASSERT_EQ(1, kt_drain(self->r, out, 4));
	ASSERT_FIRED(out[0], 1, s, KEVENT_S390_DEVICE_ADDED, dev);

	ASSERT_EQ(0, kt_s390_sim("0.1.0190", "load", "NEW\n"));
	s = kt_s390_tape_seq("0.1.0190");
	ASSERT_EQ(1, kt_drain(self->r, out, 4));
	ASSERT_FIRED(out[0], 1, s, KEVENT_S390_TAPE_LOADED, dev);
	ASSERT_EQ(0, kt_write_file(KT_S390_SIM "/remove", "0.1.0190\n"));

	/* Both broken by the removal; freed once committed. */
	ASSERT_EQ(2, kt_drain(self->r, out, 4));
	ASSERT_EQ(KEVENT_RET_BROKEN, out[0].ret_flags & KEVENT_RET_BROKEN);
	ASSERT_EQ(ENODEV, out[0].ret_data[1]);
	ASSERT_EQ(KEVENT_RET_BROKEN, out[1].ret_flags & KEVENT_RET_BROKEN);
	ASSERT_EQ(ENODEV, out[1].ret_data[1]);
	ASSERT_EQ(0, kt_s390_stats(self->lfd, &st));
	ASSERT_EQ(st0.requests_dev, st.requests_dev);
	ASSERT_EQ(st0.devices, st.devices);
}

/* A raw load notify on @dev; returns its record's sequence number, or 0. */
static __u64 load_raw(int lfd, __u32 dev)
{
	if (kt_write_file(KT_S390_SIM "/notify", "%u %#x\n",
			  KEVENT_S390_TAPE_LOADED, dev))
		return 0;
	return kt_s390_next(lfd) - 1;
}

/*
 * Devices whose ids share a slot of the log's device cache
 * (s390_log_storage.c): each is found whichever holds the slot, before
 * and after the one that held it goes, and an id without requests finds
 * none in a slot that others use.
 */
TEST_F(seed, shared_slot)
{
	/* 0.0.0100, 0.0.0501 and 0.0.0902 hash to one slot. */
	const __u32 a = KEVENT_S390_DEVID(0, 0, 0x100);
	const __u32 b = KEVENT_S390_DEVID(0, 0, 0x501);
	const __u32 c = KEVENT_S390_DEVID(0, 0, 0x902);
	struct ukevent ev[2], out[4];
	__u64 s;

	ev[0] = kt_s390_req(1, a, KEVENT_S390_TAPE_LOADED, 0);
	ev[1] = kt_s390_req(2, b, KEVENT_S390_TAPE_LOADED, 0);
	ASSERT_EQ(0, kevent_ctl(self->fd, KEVENT_CTL_ADD, 2, ev));

	/* a holds the slot: b is found past it, c is nowhere. */
	s = load_raw(self->lfd, b);
	ASSERT_NE(0, s);
	ASSERT_EQ(1, kt_drain(self->r, out, 4));
	ASSERT_FIRED(out[0], 2, s, KEVENT_S390_TAPE_LOADED, b);
	s = load_raw(self->lfd, a);
	ASSERT_EQ(1, kt_drain(self->r, out, 4));
	ASSERT_FIRED(out[0], 1, s, KEVENT_S390_TAPE_LOADED, a);
	ASSERT_NE(0, load_raw(self->lfd, c));
	ASSERT_EQ(0, kt_unread(self->r));

	/* a goes: the slot is empty, b is still found. */
	ASSERT_EQ(1, kt_ctl1(self->fd, KEVENT_CTL_REMOVE, &ev[0]));
	s = load_raw(self->lfd, b);
	ASSERT_EQ(1, kt_drain(self->r, out, 4));
	ASSERT_FIRED(out[0], 2, s, KEVENT_S390_TAPE_LOADED, b);
	ASSERT_NE(0, load_raw(self->lfd, a));
	ASSERT_EQ(0, kt_unread(self->r));

	/* c comes and takes the slot: both found, a is not. */
	ev[0] = kt_s390_req(3, c, KEVENT_S390_TAPE_LOADED, 0);
	ASSERT_EQ(0, kt_ctl1(self->fd, KEVENT_CTL_ADD, &ev[0]));
	s = load_raw(self->lfd, c);
	ASSERT_EQ(1, kt_drain(self->r, out, 4));
	ASSERT_FIRED(out[0], 3, s, KEVENT_S390_TAPE_LOADED, c);
	s = load_raw(self->lfd, b);
	ASSERT_EQ(1, kt_drain(self->r, out, 4));
	ASSERT_FIRED(out[0], 2, s, KEVENT_S390_TAPE_LOADED, b);
	ASSERT_NE(0, load_raw(self->lfd, a));
	ASSERT_EQ(0, kt_unread(self->r));
}

/* What a ready request points at can be read back, payload and all. */
TEST_F(seed, records)
{
	static const char longlabel[] =
		"0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789ABCDEF-cut-here";
	struct kevent_s390_log_record rec[4];
	struct kevent_s390_log_stats st0, st;
	struct kevent_s390_log_read rd;
	struct timespec now;
	struct ukevent ev;
	__u64 s;

	ev = kt_s390_req(7, KT_S390_DEV1, KEVENT_S390_EVENTS_ALL, 0);
	ASSERT_EQ(0, kevent_ctl(self->fd, KEVENT_CTL_ADD, 1, &ev));
	ASSERT_EQ(0, kt_s390_stats(self->lfd, &st0));

	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE1, "load", "VOL042\n"));
	ASSERT_EQ(1, kt_drain(self->r, &ev, 1));
	s = ev.ret_data[0];
	ASSERT_EQ(st0.next_seq, s);
	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE1, "load", "%s\n", longlabel));
	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE1, "intervention", "1\n"));

	memset(rec, 0xa5, sizeof(rec));
	ASSERT_EQ(3, kt_s390_read(self->lfd, s, 4, rec, &rd));
	ASSERT_EQ(3, rd.count);
	ASSERT_EQ(s + 3, rd.next_seq);
	ASSERT_EQ(0, rd.lost);

	ASSERT_EQ(s, rec[0].seq);
	ASSERT_EQ(KEVENT_S390_TAPE_LOADED, rec[0].event);
	ASSERT_EQ(KT_S390_DEV1, rec[0].devid);
	ASSERT_EQ(6, rec[0].payload_len);
	ASSERT_EQ(0, memcmp(rec[0].payload, "VOL042", 6));
	ASSERT_EQ(0, rec[0].payload[6]);
	ASSERT_EQ(0, rec[0].flags);
	ASSERT_EQ(0, rec[0].__reserved);

	ASSERT_EQ(s + 1, rec[1].seq);
	ASSERT_EQ(KEVENT_S390_LOG_PAYLOAD_MAX, rec[1].payload_len);
	ASSERT_EQ(KEVENT_S390_LOG_REC_TRUNCATED, rec[1].flags);
	ASSERT_EQ(0, memcmp(rec[1].payload, longlabel,
			    KEVENT_S390_LOG_PAYLOAD_MAX));

	ASSERT_EQ(s + 2, rec[2].seq);
	ASSERT_EQ(KEVENT_S390_TAPE_INTERVENTION, rec[2].event);
	ASSERT_EQ(1, rec[2].payload_len);
	ASSERT_EQ('1', rec[2].payload[0]);

	/* CLOCK_REALTIME, in order, and recent. */
	ASSERT_LE(rec[0].timestamp_ns, rec[1].timestamp_ns);
	ASSERT_LE(rec[1].timestamp_ns, rec[2].timestamp_ns);
	clock_gettime(CLOCK_REALTIME, &now);
	ASSERT_LE(rec[2].timestamp_ns,
		  (__u64)now.tv_sec * 1000000000ULL + now.tv_nsec);
	ASSERT_GE(rec[0].timestamp_ns + 600 * 1000000000ULL,
		  (__u64)now.tv_sec * 1000000000ULL + now.tv_nsec);

	/* The fourth slot was not written. */
	ASSERT_EQ(0xa5a5a5a5a5a5a5a5ULL, rec[3].seq);

	ASSERT_EQ(0, kt_s390_stats(self->lfd, &st));
	ASSERT_EQ(st0.truncated + 1, st.truncated);
	ASSERT_EQ(st0.next_seq + 3, st.next_seq);
}

/*
 * The daemon loop of Documentation/s390-log.rst: one wildcard request,
 * its own read position, READ until nothing is left after each wakeup.
 * Every record is seen once, in order, whichever notify woke it.
 */
TEST_F(seed, daemon_loop)
{
	static const char * const tapes[] = { KT_S390_TAPE0, KT_S390_TAPE1 };
	static const char * const attrs[] = { "load", "unload", "error" };
	struct kevent_s390_log_record rec[16];
	struct kevent_s390_log_read rd;
	struct ukevent ev;
	__u64 start, pos, end, seen = 0;
	int i, n, rounds = 0;

	ev = kt_s390_req(1, KEVENT_S390_LOG_ANY_DEV, KEVENT_S390_EVENTS_ALL, 0);
	ASSERT_EQ(0, kevent_ctl(self->fd, KEVENT_CTL_ADD, 1, &ev));
	start = kt_s390_next(self->lfd);
	pos = start;
	for (i = 0; i < 30; i++) {
		char path[128];

		snprintf(path, sizeof(path), KT_S390_SIM "/%s/%s", tapes[i % 2],
			 attrs[i % 3]);
		ASSERT_EQ(0, kt_write_file(path, "p%d\n", i));
	}
	end = kt_s390_next(self->lfd);

	while (pos < end && rounds++ < 100) {
		if (!kt_s390_wait(self->r, 1, 1000))
			continue;
		ASSERT_EQ(1, kt_drain(self->r, &ev, 1));
		ASSERT_LT(ev.ret_data[0], end);
		do {
			n = kt_s390_read(self->lfd, pos, 16, rec, &rd);
			ASSERT_LE(0, n) TH_LOG("READ: %s", strerror(errno));
			for (i = 0; i < n; i++) {
				ASSERT_EQ(pos + i, rec[i].seq);
				seen++;
			}
			pos = rd.next_seq;
		} while (n);
		ASSERT_GE(pos, ev.ret_data[0] + 1);
	}
	ASSERT_EQ(end, pos);
	ASSERT_EQ(end - start, seen);
}

/* The log fd polls readable while records exist past its position. */
TEST_F(seed, poll)
{
	struct kevent_s390_log_record rec[4];
	struct kevent_s390_log_read rd;
	struct pollfd pfd = { .events = POLLIN };
	int lfd = kt_s390_open();

	ASSERT_LE(0, lfd);
	pfd.fd = lfd;
	ASSERT_EQ(0, poll(&pfd, 1, 0));
	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE0, "unload", "u\n"));
	ASSERT_EQ(1, poll(&pfd, 1, 1000));
	ASSERT_EQ(POLLIN, pfd.revents & POLLIN);
	ASSERT_EQ(1, kt_s390_read(lfd, kt_s390_tape_seq(KT_S390_TAPE0), 4, rec, &rd));
	ASSERT_EQ(0, poll(&pfd, 1, 0));
	close(lfd);
}

TEST_HARNESS_MAIN
