/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the s390 log selftests (s390_log_*_test.c).
 *
 * The tests run as root.  kevent.ko is loaded by the harness; each test
 * binary loads kevent_s390_log.ko and kevent_tape_sim.ko from
 * kt_moddir() ($KEVENT_MODDIR, or the tests' directory) when they are not loaded yet,
 * and unloads them when it ends.  The simulated tapes are driven through
 * /sys/kernel/kevent_tape_sim/; every write there returns after its events
 * have been notified from hardirq context.
 *
 * kt_s390_open(), kt_s390_stats() and kt_s390_read() issue the raw ioctls
 * on purpose and do not use libkevent_s390_log: the tests check the
 * kernel's answers, broken ones included, against <linux/kevent_s390_log.h>
 * themselves, and s390_log_lib_test.c checks the library against them.
 */
#ifndef KT_S390_LOG_UTIL_H
#define KT_S390_LOG_UTIL_H

#include <linux/kevent_s390_log.h>
#include <sys/stat.h>

#include "kevent_util.h"

#define KT_S390_SIM		"/sys/kernel/kevent_tape_sim"
#define KT_S390_LOGDEV	"/dev/kevent_s390_log"
#define KT_S390_PARAMS	"/sys/module/kevent_s390_log/parameters"

/* The two tapes kevent_tape_sim creates by default. */
#define KT_S390_TAPE0	"0.0.0180"
#define KT_S390_TAPE1	"0.0.0181"
#define KT_S390_DEV0		KEVENT_S390_DEVID(0, 0, 0x180)
#define KT_S390_DEV1		KEVENT_S390_DEVID(0, 0, 0x181)

static inline const char *kt_s390_moddir(void)
{
	return kt_moddir();
}

static inline int kt_s390_loaded(const char *mod)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/%s", mod);
	return access(path, F_OK) == 0;
}

/* insmod @mod with @args unless it is loaded: 0, or -1. */
static inline int kt_s390_insmod(const char *mod, const char *args)
{
	char cmd[512];

	if (kt_s390_loaded(mod))
		return 0;
	snprintf(cmd, sizeof(cmd), "insmod %s/%s.ko %s", kt_s390_moddir(), mod,
		 args ? args : "");
	return system(cmd) == 0 && kt_s390_loaded(mod) ? 0 : -1;
}

/* rmmod @mod if it is loaded: 0, or -1. */
static inline int kt_s390_rmmod(const char *mod)
{
	char cmd[128];

	if (!kt_s390_loaded(mod))
		return 0;
	snprintf(cmd, sizeof(cmd), "rmmod %s 2>/dev/null", mod);
	return system(cmd) == 0 && !kt_s390_loaded(mod) ? 0 : -1;
}

static inline int kt_s390_load_all(void)
{
	if (kt_s390_insmod("kevent_s390_log", NULL))
		return -1;
	return kt_s390_insmod("kevent_tape_sim", NULL);
}

static void kt_s390_unload_all(void)
{
	kt_s390_rmmod("kevent_tape_sim");
	kt_s390_rmmod("kevent_s390_log");
}

/*
 * Once per test binary, in the harness' main process: load the modules
 * now, unload them at exit (test cases run in children, which _exit()).
 */
static void __attribute__((constructor)) kt_s390_init(void)
{
	if (kt_s390_load_all())
		fprintf(stderr, "# s390_log: cannot load the modules from %s\n",
			kt_s390_moddir());
	atexit(kt_s390_unload_all);
}

/* Write to /sys/kernel/kevent_tape_sim/@tape/@attr: 0, or -errno. */
#define kt_s390_sim(tape, attr, ...)						\
	kt_write_file(KT_S390_SIM "/" tape "/" attr, __VA_ARGS__)

/* Make sure both default tapes exist (a test may have removed one). */
static inline int kt_s390_tapes(void)
{
	int err;

	err = kt_write_file(KT_S390_SIM "/add", KT_S390_TAPE0 "\n");
	if (err && err != -EEXIST)
		return err;
	err = kt_write_file(KT_S390_SIM "/add", KT_S390_TAPE1 "\n");
	return err == -EEXIST ? 0 : err;
}

/* A KEVENT_S390_LOG request. */
static inline struct ukevent kt_s390_req(__u64 id, __u64 devid, __u32 mask,
				    __u32 req_flags)
{
	return kt_ev(id, KEVENT_S390_LOG, mask, req_flags, devid);
}

static inline int kt_s390_open(void)
{
	return open(KT_S390_LOGDEV, O_RDWR | O_CLOEXEC);
}

static inline int kt_s390_stats(int lfd, struct kevent_s390_log_stats *st)
{
	memset(st, 0, sizeof(*st));
	return ioctl(lfd, KEVENT_S390_LOG_IOC_STATS, st);
}

static inline __u64 kt_s390_next(int lfd)
{
	struct kevent_s390_log_stats st;

	if (kt_s390_stats(lfd, &st))
		return 0;
	return st.next_seq;
}

/* KEVENT_S390_LOG_IOC_READ: the ioctl's result; @rd holds the answer. */
static inline int kt_s390_read(int lfd, __u64 seq, __u32 max,
			  struct kevent_s390_log_record *buf,
			  struct kevent_s390_log_read *rd)
{
	memset(rd, 0, sizeof(*rd));
	rd->seq = seq;
	rd->max = max;
	rd->buf = (__u64)(unsigned long)buf;
	return ioctl(lfd, KEVENT_S390_LOG_IOC_READ, rd);
}

/* Wait up to @ms for @n unread ring entries; returns how many there are. */
static inline unsigned int kt_s390_wait(struct kevent_ring *r, unsigned int n,
				   long ms)
{
	struct timespec ts = kt_ms(ms);

	kevent_wait(r->fd, n, kevent_ring_committed(r), &ts, 0);
	return kt_unread(r);
}

/* Read one sysfs number of tape @tape ("seq"): the value, or 0. */
static inline unsigned long kt_s390_tape_seq(const char *tape)
{
	char path[128];
	unsigned long v = 0;

	snprintf(path, sizeof(path), KT_S390_SIM "/%s/seq", tape);
	if (kt_read_ulong(path, &v))
		return 0;
	return v;
}

/* Both stats describe the same log state (requests and records). */
#define ASSERT_STATS_EQ(a, b) do {					\
	ASSERT_EQ((a).next_seq, (b).next_seq);				\
	ASSERT_EQ((a).oldest_seq, (b).oldest_seq);			\
	ASSERT_EQ((a).requests_dev, (b).requests_dev);			\
	ASSERT_EQ((a).requests_any, (b).requests_any);			\
	ASSERT_EQ((a).devices, (b).devices);				\
	ASSERT_EQ((a).truncated, (b).truncated);			\
	ASSERT_EQ((a).rejected, (b).rejected);				\
} while (0)

#endif /* KT_S390_LOG_UTIL_H */
