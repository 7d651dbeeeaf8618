// SPDX-License-Identifier: GPL-2.0
/*
 * KEVENT_S390_LOG and module unloading: rmmod kevent_tape_sim while
 * requests are registered (those naming its tapes come back broken,
 * wildcard ones stay, nothing leaks), rmmod during a burst from hardirq,
 * and kevent_s390_log pinned by its requests and open files.
 */
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "s390_log_util.h"

#define KT_S390_DEV190	KEVENT_S390_DEVID(0, 0, 0x190)

/* No state: a fixture only for TEST_F_TIMEOUT (module loads are slow). */
FIXTURE(unload) {
	int unused;
};

FIXTURE_SETUP(unload)
{
}

FIXTURE_TEARDOWN(unload)
{
}

/* The last entry seen for each request id (below 16), and how many. */
struct seen {
	struct ukevent last[16];
	unsigned int n[16];
};

/* Drain until nothing comes for three waits.  Returns entries taken. */
static int settle(struct kevent_ring *r, struct seen *s)
{
	struct ukevent ev[16];
	int i, n, quiet = 0, total = 0, loops = 0;

	while (quiet < 3 && loops++ < 1000) {
		kt_s390_wait(r, 1, 50);
		n = kt_drain(r, ev, 16);
		if (n < 0)
			return -1;
		quiet = n ? 0 : quiet + 1;
		for (i = 0; i < n; i++) {
			if (ev[i].id >= 16)
				return -1;
			s->last[ev[i].id] = ev[i];
			s->n[ev[i].id]++;
		}
		total += n;
	}
	return total;
}

static int delete_module(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK);
}

TEST_F_TIMEOUT(unload, rmmod_sim_breaks_requests, 120)
{
	struct kevent_s390_log_stats st0, st;
	struct kevent_ring *r;
	struct ukevent ev[5];
	struct kevent_info info;
	struct seen seen;
	int fd, lfd;

	ASSERT_EQ(0, kt_s390_load_all());
	ASSERT_EQ(0, kt_s390_tapes());
	fd = kevent_init(&r, 64, 0);
	ASSERT_LE(0, fd);
	lfd = kt_s390_open();
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, kt_s390_stats(lfd, &st0));

	ev[0] = kt_s390_req(1, KT_S390_DEV0, KEVENT_S390_TAPE_LOADED, 0);
	ev[1] = kt_s390_req(2, KT_S390_DEV1, KEVENT_S390_EVENTS_ALL, 0);
	ev[2] = kt_s390_req(3, KEVENT_S390_LOG_ANY_DEV, KEVENT_S390_DEVICE_REMOVED, 0);
	ev[3] = kt_s390_req(4, KT_S390_DEV190, KEVENT_S390_TAPE_LOADED, 0);
	ev[4] = kt_s390_req(5, KT_S390_DEV0, KEVENT_S390_TAPE_UNLOADED, KEVENT_REQ_ET);
	ASSERT_EQ(0, kevent_ctl(fd, KEVENT_CTL_ADD, 5, ev));
	ASSERT_EQ(0, kt_s390_stats(lfd, &st));
	ASSERT_EQ(st0.requests_dev + 4, st.requests_dev);
	ASSERT_EQ(st0.requests_any + 1, st.requests_any);

	/* Request 2 is ready and unread when its tape goes. */
	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE1, "load", "V\n"));
	ASSERT_EQ(1, kt_unread(r));

	ASSERT_EQ(0, kt_s390_rmmod("kevent_tape_sim"));
	memset(&seen, 0, sizeof(seen));
	ASSERT_LE(0, settle(r, &seen));

	/* The tapes' requests: broken, ENODEV. */
	ASSERT_EQ(1, seen.n[1]);
	ASSERT_EQ(KEVENT_RET_BROKEN, seen.last[1].ret_flags & KEVENT_RET_BROKEN);
	ASSERT_EQ(ENODEV, seen.last[1].ret_data[1]);
	ASSERT_EQ(1, seen.n[5]);
	ASSERT_EQ(KEVENT_RET_BROKEN, seen.last[5].ret_flags & KEVENT_RET_BROKEN);
	ASSERT_EQ(ENODEV, seen.last[5].ret_data[1]);
	/* Request 2: its load first, then broken. */
	ASSERT_EQ(2, seen.n[2]);
	ASSERT_EQ(KEVENT_RET_BROKEN, seen.last[2].ret_flags & KEVENT_RET_BROKEN);
	ASSERT_EQ(ENODEV, seen.last[2].ret_data[1]);
	/* The wildcard request saw the removals, the last one last. */
	ASSERT_LE(1, seen.n[3]);
	ASSERT_EQ(0, seen.last[3].ret_flags & KEVENT_RET_BROKEN);
	ASSERT_EQ(KEVENT_S390_DEVICE_REMOVED,
		  KEVENT_S390_LOG_RET_EVENT(seen.last[3].ret_data[1]));
	ASSERT_EQ(kt_s390_next(lfd) - 1, seen.last[3].ret_data[0]);
	/* The request for a tape that never existed is untouched. */
	ASSERT_EQ(0, seen.n[4]);

	/* Broken requests were freed at commit; their storages too. */
	ASSERT_EQ(0, kevent_info(fd, &info));
	ASSERT_EQ(2, info.requests);
	ASSERT_EQ(0, info.broken);
	ASSERT_EQ(0, kt_s390_stats(lfd, &st));
	ASSERT_EQ(st0.requests_dev + 1, st.requests_dev);
	ASSERT_EQ(st0.requests_any + 1, st.requests_any);

	/* The tapes come back; new requests on them work. */
	ASSERT_EQ(0, kt_s390_insmod("kevent_tape_sim", NULL));
	ev[0] = kt_s390_req(6, KT_S390_DEV0, KEVENT_S390_TAPE_LOADED, 0);
	ASSERT_EQ(0, kevent_ctl(fd, KEVENT_CTL_ADD, 1, ev));
	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE0, "load", "BACK\n"));
	memset(&seen, 0, sizeof(seen));
	ASSERT_LE(1, settle(r, &seen));
	ASSERT_EQ(1, seen.n[6]);
	ASSERT_EQ(kt_s390_tape_seq(KT_S390_TAPE0), seen.last[6].ret_data[0]);
	ASSERT_EQ(0, seen.n[4]);

	close(lfd);
	kevent_close(r);
	lfd = kt_s390_open();
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, kt_s390_stats(lfd, &st));
	ASSERT_EQ(st0.requests_dev, st.requests_dev);
	ASSERT_EQ(st0.requests_any, st.requests_any);
	ASSERT_EQ(st0.devices, st.devices);
	close(lfd);
}

struct burster {
	int err;
	int rounds;
};

/* Bursts of 500 until the tape is gone, for at most 60 seconds. */
static void *burst_until_gone(void *arg)
{
	long long end = kt_now_ns() + 60 * 1000000000LL;
	struct burster *b = arg;

	while (kt_now_ns() < end) {
		b->err = kt_write_file(KT_S390_SIM "/" KT_S390_TAPE0 "/burst", "500\n");
		if (b->err)
			break;
		b->rounds++;
	}
	return NULL;
}

/* rmmod and insmod again, this many times, while bursts fly. */
#define KT_S390_RMMOD_ROUNDS	10

/*
 * rmmod while a thread fires bursts from hardirq: no crash, the device's
 * request comes back broken, the wildcard one stays; again and again.
 */
TEST_F_TIMEOUT(unload, rmmod_sim_during_burst, 900)
{
	struct ukevent ev[2];
	struct kevent_ring *r;
	struct seen seen;
	int fd, round, bursts = 0;
	pthread_t t;

	ASSERT_EQ(0, kt_s390_load_all());
	fd = kevent_init(&r, 64, 0);
	ASSERT_LE(0, fd);
	ev[1] = kt_s390_req(2, KEVENT_S390_LOG_ANY_DEV, KEVENT_S390_EVENTS_ALL, 0);
	ASSERT_EQ(0, kt_ctl1(fd, KEVENT_CTL_ADD, &ev[1]));

	for (round = 0; round < KT_S390_RMMOD_ROUNDS; round++) {
		struct burster b = { 0 };

		ASSERT_EQ(0, kt_s390_insmod("kevent_tape_sim", NULL));
		ASSERT_EQ(0, kt_s390_tapes());
		ev[0] = kt_s390_req(1, KT_S390_DEV0, KEVENT_S390_TAPE_LOADED |
			       KEVENT_S390_TAPE_UNLOADED, 0);
		ASSERT_EQ(0, kt_ctl1(fd, KEVENT_CTL_ADD, &ev[0]));

		ASSERT_EQ(0, pthread_create(&t, NULL, burst_until_gone, &b));
		kt_sleep_ms(50 + 20 * round);
		ASSERT_EQ(0, kt_s390_rmmod("kevent_tape_sim"));
		pthread_join(t, NULL);
		/* The writer saw the tape go: its file vanished, or it was gone. */
		ASSERT_NE(0, b.err);
		bursts += b.rounds;

		/* Broken requests are freed once their delivery is committed. */
		memset(&seen, 0, sizeof(seen));
		ASSERT_LE(1, settle(r, &seen));
		ASSERT_EQ(KEVENT_RET_BROKEN,
			  seen.last[1].ret_flags & KEVENT_RET_BROKEN);
		ASSERT_EQ(ENODEV, seen.last[1].ret_data[1]);
		ASSERT_EQ(0, seen.last[2].ret_flags & KEVENT_RET_BROKEN);
	}
	TH_LOG("%d rmmods, %d bursts of 500 before them", round, bursts);
	kevent_close(r);
	ASSERT_EQ(0, kt_s390_insmod("kevent_tape_sim", NULL));
}

/* Requests and open log files pin kevent_s390_log. */
TEST_F_TIMEOUT(unload, log_module_pinned, 120)
{
	struct kevent_ring *r;
	struct ukevent ev;
	int fd, lfd;

	ASSERT_EQ(0, kt_s390_load_all());
	fd = kevent_init(&r, 64, 0);
	ASSERT_LE(0, fd);
	ev = kt_s390_req(1, KEVENT_S390_LOG_ANY_DEV, KEVENT_S390_TAPE_LOADED, 0);
	ASSERT_EQ(0, kevent_ctl(fd, KEVENT_CTL_ADD, 1, &ev));

	/* kevent_tape_sim uses it. */
	errno = 0;
	ASSERT_EQ(-1, delete_module("kevent_s390_log"));
	ASSERT_EQ(EWOULDBLOCK, errno);
	ASSERT_EQ(0, kt_s390_rmmod("kevent_tape_sim"));

	/* A request holds it. */
	ASSERT_EQ(-1, delete_module("kevent_s390_log"));
	ASSERT_EQ(EWOULDBLOCK, errno);
	kevent_close(r);

	/* An open log file holds it. */
	lfd = kt_s390_open();
	ASSERT_LE(0, lfd);
	ASSERT_EQ(-1, delete_module("kevent_s390_log"));
	ASSERT_EQ(EWOULDBLOCK, errno);
	close(lfd);

	ASSERT_EQ(0, delete_module("kevent_s390_log"));
	ASSERT_FALSE(kt_s390_loaded("kevent_s390_log"));

	/* Without the provider, ADD says so. */
	fd = kevent_init(&r, 64, 0);
	ASSERT_LE(0, fd);
	ev = kt_s390_req(1, KEVENT_S390_LOG_ANY_DEV, KEVENT_S390_TAPE_LOADED, 0);
	ASSERT_EQ(-1, kevent_ctl(fd, KEVENT_CTL_ADD, 1, &ev));
	ASSERT_EQ(EOPNOTSUPP, errno);
	kevent_close(r);
	ASSERT_EQ(0, kt_s390_load_all());
}

/* The header: a version 4 UUID per load, never all zero. */
static bool uuid_v4(const __u8 *u)
{
	return (u[6] >> 4) == 4 && (u[8] & 0xc0) == 0x80;
}

/* STATS names each load with its own instance id; one load keeps its own. */
TEST_F_TIMEOUT(unload, instance_per_load, 120)
{
	struct kevent_s390_log_stats a, b;
	unsigned int i;
	int lfd;

	ASSERT_EQ(0, kt_s390_load_all());
	lfd = kt_s390_open();
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, kt_s390_stats(lfd, &a));
	ASSERT_EQ(0, kt_s390_stats(lfd, &b));
	close(lfd);
	ASSERT_TRUE(uuid_v4(a.instance));
	ASSERT_EQ(0, memcmp(a.instance, b.instance, sizeof(a.instance)));
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, a.__reserved[i]);

	ASSERT_EQ(0, kt_s390_rmmod("kevent_tape_sim"));
	ASSERT_EQ(0, kt_s390_rmmod("kevent_s390_log"));
	/* Without the simulator, whose tapes would log device_added. */
	ASSERT_EQ(0, kt_s390_insmod("kevent_s390_log", NULL));
	lfd = kt_s390_open();
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, kt_s390_stats(lfd, &b));
	close(lfd);
	ASSERT_TRUE(uuid_v4(b.instance));
	ASSERT_NE(0, memcmp(a.instance, b.instance, sizeof(a.instance)));
	/* The new instance's sequence numbers start again at 1. */
	ASSERT_EQ(1, b.next_seq);
	ASSERT_EQ(0, kt_s390_load_all());
}

TEST_HARNESS_MAIN
