// SPDX-License-Identifier: GPL-2.0
/*
 * KEVENT_S390_LOG: every bad argument gets its exact errno and changes
 * nothing: requests, READ and STATS on /dev/kevent_s390_log, the driver
 * API's argument checks (through the simulator's raw notify), the
 * simulator's own attributes and the module parameters.
 */
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "s390_log_util.h"

FIXTURE(errors) {
	struct kevent_ring *r;
	int fd;
	int lfd;
	struct kevent_s390_log_stats st;
	struct kevent_info info;
};

FIXTURE_SETUP(errors)
{
	ASSERT_TRUE(kt_s390_loaded("kevent_s390_log") &&
		    kt_s390_loaded("kevent_tape_sim"))
		TH_LOG("kevent_s390_log.ko and kevent_tape_sim.ko not loaded");
	ASSERT_EQ(0, kt_s390_tapes());
	/* At least one record, for the READ baseline. */
	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE0, "error", "setup\n"));
	self->fd = kevent_init(&self->r, 64, 0);
	ASSERT_LE(0, self->fd);
	self->lfd = kt_s390_open();
	ASSERT_LE(0, self->lfd);
	ASSERT_EQ(0, kt_s390_stats(self->lfd, &self->st));
	ASSERT_EQ(0, kevent_info(self->fd, &self->info));
}

FIXTURE_TEARDOWN(errors)
{
	close(self->lfd);
	kevent_close(self->r);
}

/* Nothing changed in the log or the queue since setup. */
#define ASSERT_UNCHANGED() do {						\
	struct kevent_s390_log_stats __st;				\
	struct kevent_info __i;						\
	ASSERT_EQ(0, kt_s390_stats(self->lfd, &__st));			\
	ASSERT_STATS_EQ(self->st, __st);				\
	ASSERT_EQ(0, kevent_info(self->fd, &__i));			\
	ASSERT_INFO_EQ(self->info, __i);				\
} while (0)

/* ADD of @ev fails for this entry alone with @err. */
#define ASSERT_ADD_FAILS(ev, err) do {					\
	struct ukevent __e = (ev);					\
	const int __err = (err);					\
	ASSERT_EQ(1, kevent_ctl(self->fd, KEVENT_CTL_ADD, 1, &__e));	\
	ASSERT_EQ(KEVENT_RET_BROKEN, __e.ret_flags);			\
	ASSERT_EQ(__err, __e.ret_data[1]) TH_LOG("want %s, got %s",	\
		  strerror(__err), strerror((int)__e.ret_data[1]));	\
} while (0)

TEST_F(errors, add_bad_requests)
{
	struct ukevent ev;

	/* Unknown event bits. */
	ASSERT_ADD_FAILS(kt_s390_req(1, KT_S390_DEV0, 0x40, 0), EINVAL);
	ASSERT_ADD_FAILS(kt_s390_req(1, KEVENT_S390_LOG_ANY_DEV,
				KEVENT_S390_TAPE_LOADED | 0x80000000, 0),
			 EINVAL);
	/* Not a device id: wider than 32 bits, or ssid above 3. */
	ASSERT_ADD_FAILS(kt_s390_req(1, 1ULL << 32, KEVENT_S390_TAPE_LOADED, 0),
			 EINVAL);
	ASSERT_ADD_FAILS(kt_s390_req(1, 0x1ffffffffULL, KEVENT_S390_TAPE_LOADED, 0),
			 EINVAL);
	ASSERT_ADD_FAILS(kt_s390_req(1, KEVENT_S390_DEVID(0, 4, 0x180),
				KEVENT_S390_TAPE_LOADED, 0), EINVAL);
	ASSERT_ADD_FAILS(kt_s390_req(1, 0xfffffffe, KEVENT_S390_TAPE_LOADED, 0),
			 EINVAL);
	ASSERT_UNCHANGED();

	/* The core's checks: event 0 and reserved fields fail the batch. */
	ev = kt_s390_req(1, KT_S390_DEV0, 0, 0);
	ASSERT_ERRNO_UNCHANGED(self->fd,
			       kevent_ctl(self->fd, KEVENT_CTL_ADD, 1, &ev),
			       EINVAL);
	ev = kt_s390_req(1, KT_S390_DEV0, KEVENT_S390_TAPE_LOADED, 0);
	ev.__reserved = 1;
	ASSERT_ERRNO_UNCHANGED(self->fd,
			       kevent_ctl(self->fd, KEVENT_CTL_ADD, 1, &ev),
			       EINVAL);
	ASSERT_UNCHANGED();

	/* The edges that are valid: ssid 3, devno 0xffff, cssid 0xff. */
	ev = kt_s390_req(1, KEVENT_S390_DEVID(0xff, 3, 0xffff),
		    KEVENT_S390_EVENTS_ALL, 0);
	ASSERT_EQ(0, kevent_ctl(self->fd, KEVENT_CTL_ADD, 1, &ev));
	ev = kt_s390_req(1, KEVENT_S390_DEVID(0xff, 3, 0xffff),
		    KEVENT_S390_EVENTS_ALL, 0);
	ASSERT_EQ(1, kevent_ctl(self->fd, KEVENT_CTL_REMOVE, 1, &ev));
	ASSERT_UNCHANGED();
}

/* A request that failed leaves no reference behind (dequeue is a no-op). */
TEST_F(errors, failed_add_leaks_nothing)
{
	struct ukevent ev[3];
	int i;

	for (i = 0; i < 50; i++) {
		ev[0] = kt_s390_req(1, KT_S390_DEV0, KEVENT_S390_TAPE_LOADED, 0);
		ev[1] = kt_s390_req(2, KT_S390_DEV0, 0x100, 0);
		ev[2] = kt_s390_req(3, 1ULL << 40, KEVENT_S390_TAPE_LOADED, 0);
		ASSERT_EQ(2, kevent_ctl(self->fd, KEVENT_CTL_ADD, 3, ev));
		ASSERT_EQ(2, ev[0].id);
		ASSERT_EQ(3, ev[1].id);
		ev[0] = kt_s390_req(1, KT_S390_DEV0, KEVENT_S390_TAPE_LOADED, 0);
		ASSERT_EQ(1, kevent_ctl(self->fd, KEVENT_CTL_REMOVE, 1, ev));
		ASSERT_EQ(KEVENT_RET_DONE, ev[0].ret_flags);
	}
	ASSERT_UNCHANGED();
}

/* "The file is not seekable: lseek() fails with ESPIPE." */
TEST_F(errors, log_not_seekable)
{
	ASSERT_EQ(-1, lseek(self->lfd, 0, SEEK_SET));
	ASSERT_EQ(ESPIPE, errno);
	ASSERT_EQ(-1, lseek(self->lfd, 1, SEEK_CUR));
	ASSERT_EQ(ESPIPE, errno);
	ASSERT_UNCHANGED();
}

TEST_F(errors, read_bad_arguments)
{
	struct kevent_s390_log_record rec[2];
	struct kevent_s390_log_read rd;
	__u64 next = self->st.next_seq;
	void *bad = kt_bad_page();

	ASSERT_NE(NULL, bad);
#define READ_FAILS(what, err) do {					\
	struct kevent_s390_log_read __r;				\
	memset(&__r, 0, sizeof(__r));					\
	__r.seq = next - 1;						\
	__r.max = 2;							\
	__r.buf = (__u64)(unsigned long)rec;				\
	what;								\
	errno = 0;							\
	ASSERT_EQ(-1, ioctl(self->lfd, KEVENT_S390_LOG_IOC_READ, &__r))	\
		TH_LOG("%s: want %s", #what, #err);			\
	ASSERT_EQ((err), errno) TH_LOG("%s: want %s, got %s", #what,	\
				       #err, strerror(errno));		\
} while (0)

	/* The valid baseline works. */
	ASSERT_EQ(1, kt_s390_read(self->lfd, next - 1, 2, rec, &rd));

	READ_FAILS(__r.seq = 0, EINVAL);
	READ_FAILS(__r.max = 0, EINVAL);
	READ_FAILS(__r.flags = 1, EINVAL);
	READ_FAILS(__r.flags = 0x80000000, EINVAL);
	READ_FAILS(__r.__reserved0 = 1, EINVAL);
	READ_FAILS(__r.__reserved[0] = 1, EINVAL);
	READ_FAILS(__r.__reserved[1] = 1ULL << 63, EINVAL);
	READ_FAILS(__r.seq = next + 1, ERANGE);
	READ_FAILS(__r.seq = ~0ULL, ERANGE);
	READ_FAILS(__r.buf = 0, EFAULT);
	READ_FAILS(__r.buf = (__u64)(unsigned long)bad, EFAULT);
	READ_FAILS(__r.buf = ~0ULL - 64, EFAULT);

	/* A bad argument pointer. */
	errno = 0;
	ASSERT_EQ(-1, ioctl(self->lfd, KEVENT_S390_LOG_IOC_READ, bad));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(-1, ioctl(self->lfd, KEVENT_S390_LOG_IOC_READ, NULL));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(-1, ioctl(self->lfd, KEVENT_S390_LOG_IOC_STATS, bad));
	ASSERT_EQ(EFAULT, errno);

	/* Unknown ioctls, and the core's ioctls on the log. */
	ASSERT_EQ(-1, ioctl(self->lfd, _IOR(KEVENT_IOC_MAGIC, 0x42, int), &rd));
	ASSERT_EQ(ENOTTY, errno);
	ASSERT_EQ(-1, ioctl(self->lfd, KEVENT_IOC_INFO, &rd));
	ASSERT_EQ(ENOTTY, errno);
	/* ... and the log's on /dev/kevent. */
	ASSERT_EQ(-1, ioctl(self->fd, KEVENT_S390_LOG_IOC_STATS, &self->st));
	ASSERT_EQ(ENOTTY, errno);

	/* The next sequence number: nothing yet, no error. */
	ASSERT_EQ(0, kt_s390_read(self->lfd, next, 2, rec, &rd));
	ASSERT_EQ(0, rd.count);
	ASSERT_EQ(next, rd.next_seq);
	ASSERT_EQ(0, rd.lost);
	ASSERT_UNCHANGED();
	munmap(bad, getpagesize());
}

/* The driver API refuses what is not one event bit or not a device id. */
TEST_F(errors, notify_bad_arguments)
{
	static const char * const bad[] = {
		"0 0x180",			/* no event */
		"0x3 0x180",			/* two events */
		"0x40 0x180",			/* unknown event */
		"0x80000000 0x180",
		"0x1 0x40180",			/* ssid 4 */
		"0x1 0xffffffff",		/* the wildcard is no device */
	};
	char path[] = KT_S390_SIM "/notify";
	unsigned int i;
	__u64 s;

	for (i = 0; i < ARRAY_LEN(bad); i++)
		ASSERT_EQ(-EINVAL, kt_write_file(path, "%s\n", bad[i]))
			TH_LOG("notify #%u was accepted", i);
	{
		struct kevent_s390_log_stats st;

		ASSERT_EQ(0, kt_s390_stats(self->lfd, &st));
		ASSERT_EQ(self->st.next_seq, st.next_seq);
		ASSERT_EQ(self->st.rejected + ARRAY_LEN(bad), st.rejected);
	}
	/* A valid one, with and without payload. */
	ASSERT_EQ(0, kt_write_file(path, "0x20 0x30180 gone\n"));
	ASSERT_EQ(0, kt_write_file(path, "0x4 0x180\n"));
	s = kt_s390_next(self->lfd);
	ASSERT_EQ(self->st.next_seq + 2, s);
}

/* The simulator's own attributes. */
TEST_F(errors, sim_bad_arguments)
{
	static const char * const busids[] = {
		"", "0.0", "0.4.0180", "100.0.0180", "0.0.10000", "x.y.z",
		"0.0.0180 junk", "0.0.0180x",
	};
	char big[300];
	unsigned int i;

	for (i = 0; i < ARRAY_LEN(busids); i++) {
		ASSERT_EQ(-EINVAL, kt_write_file(KT_S390_SIM "/add", "%s\n",
						 busids[i]))
			TH_LOG("add '%s'", busids[i]);
		ASSERT_EQ(-EINVAL, kt_write_file(KT_S390_SIM "/remove", "%s\n",
						 busids[i]))
			TH_LOG("remove '%s'", busids[i]);
	}
	ASSERT_EQ(-EEXIST, kt_write_file(KT_S390_SIM "/add", KT_S390_TAPE0 "\n"));
	ASSERT_EQ(-ENODEV, kt_write_file(KT_S390_SIM "/remove", "0.3.fffe\n"));
	ASSERT_EQ(-EINVAL, kt_s390_sim(KT_S390_TAPE0, "burst", "0\n"));
	ASSERT_EQ(-EINVAL, kt_s390_sim(KT_S390_TAPE0, "burst", "-1\n"));
	ASSERT_EQ(-EINVAL, kt_s390_sim(KT_S390_TAPE0, "burst", "1000001\n"));
	ASSERT_EQ(-EINVAL, kt_s390_sim(KT_S390_TAPE0, "burst", "ten\n"));
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	ASSERT_EQ(-EINVAL, kt_s390_sim(KT_S390_TAPE0, "load", "%s\n", big));
	ASSERT_UNCHANGED();
}

static int finit(const char *mod, const char *params)
{
	char path[256];
	int fd, ret;

	snprintf(path, sizeof(path), "%s/%s.ko", kt_s390_moddir(), mod);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = syscall(SYS_finit_module, fd, params, 0);
	close(fd);
	return ret;
}

/* No state: a fixture only for TEST_F_TIMEOUT (module loads are slow). */
FIXTURE(params) {
	int unused;
};

FIXTURE_SETUP(params)
{
}

FIXTURE_TEARDOWN(params)
{
}

/* Bad module parameters fail the load with EINVAL. */
TEST_F_TIMEOUT(params, module_params, 120)
{
	static const char * const bad[] = {
		"records=0", "records=8", "records=100", "records=524288",
		"records=4097",
	};
	unsigned int i;

	ASSERT_EQ(0, kt_s390_rmmod("kevent_tape_sim"));
	ASSERT_EQ(0, kt_s390_rmmod("kevent_s390_log"));
	for (i = 0; i < ARRAY_LEN(bad); i++) {
		errno = 0;
		ASSERT_EQ(-1, finit("kevent_s390_log", bad[i]))
			TH_LOG("%s was accepted", bad[i]);
		ASSERT_EQ(EINVAL, errno) TH_LOG("%s: %s", bad[i],
						strerror(errno));
	}
	/* The smallest buffer is fine. */
	ASSERT_EQ(0, finit("kevent_s390_log", "records=16"));
	{
		struct kevent_s390_log_stats st;
		int lfd = kt_s390_open();

		ASSERT_LE(0, lfd);
		ASSERT_EQ(0, kt_s390_stats(lfd, &st));
		ASSERT_EQ(16, st.size);
		ASSERT_EQ(1, st.next_seq);
		ASSERT_EQ(1, st.oldest_seq);
		ASSERT_EQ(0, st.records);
		close(lfd);
	}
	errno = 0;
	ASSERT_EQ(-1, finit("kevent_tape_sim", "devices=257"));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, finit("kevent_tape_sim", "devno=0xffff devices=2"));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(0, finit("kevent_tape_sim", "devices=0"));
	ASSERT_EQ(0, kt_s390_rmmod("kevent_tape_sim"));
	ASSERT_EQ(0, kt_s390_rmmod("kevent_s390_log"));
	ASSERT_EQ(0, kt_s390_load_all());
}

TEST_HARNESS_MAIN
