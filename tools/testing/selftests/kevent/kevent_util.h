/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the kevent selftests.
 *
 * The tests run as root with kevent.ko and kevent_test.ko loaded and
 * debugfs mounted; the KEVENT_TEST_TYPE source is driven through
 * /sys/kernel/debug/kevent_test/.
 */
#ifndef _KEVENT_UTIL_H
#define _KEVENT_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "libkevent.h"
#include "kmod/kevent_test.h"

#define KT_DIR		"/sys/kernel/debug/kevent_test"
#define KT_PARAMS	"/sys/module/kevent/parameters"

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * Where the tests find the kevent modules they insmod: $KEVENT_MODDIR, or
 * else the directory the test binary is in (a kselftest install can carry
 * the .ko files next to the tests).  The guest runner sets KEVENT_MODDIR.
 */
static inline const char *kt_moddir(void)
{
	static char dir[4096];
	const char *env = getenv("KEVENT_MODDIR");
	ssize_t n;
	char *slash;

	if (env && *env)
		return env;
	if (dir[0])
		return dir;
	n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	if (n <= 0) {
		strcpy(dir, ".");
		return dir;
	}
	dir[n] = '\0';
	slash = strrchr(dir, '/');
	if (slash && slash != dir)
		*slash = '\0';
	else
		strcpy(dir, slash ? "/" : ".");
	return dir;
}

/* @buf = kt_moddir()/@name.ko; @buf for convenience. */
static inline char *kt_ko_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s.ko", kt_moddir(), name);
	return buf;
}

static inline struct ukevent kt_ev(__u64 id, __u32 type, __u32 event,
				   __u32 req_flags, __u64 param)
{
	struct ukevent ev;

	memset(&ev, 0, sizeof(ev));
	ev.id = id;
	ev.type = type;
	ev.event = event;
	ev.req_flags = req_flags;
	ev.param = param;
	ev.user = ~id;
	return ev;
}

/* UNOTIFY request with id @id. */
static inline struct ukevent kt_unotify(__u64 id, __u32 req_flags)
{
	return kt_ev(id, KEVENT_UNOTIFY, 1, req_flags, 0);
}

/* KEVENT_TEST_TYPE request on storage @st for @mask. */
static inline struct ukevent kt_test(__u64 id, __u64 st, __u32 mask,
				     __u32 req_flags)
{
	return kt_ev(id, KEVENT_TEST_TYPE, mask, req_flags, st);
}

static inline int kt_ctl1(int fd, unsigned int cmd, struct ukevent *ev)
{
	return kevent_ctl(fd, cmd, 1, ev);
}

/* READY on UNOTIFY @id with @param; returns the ctl result. */
static inline int kt_ready(int fd, __u64 id, __u64 param)
{
	struct ukevent ev;

	memset(&ev, 0, sizeof(ev));
	ev.id = id;
	ev.type = KEVENT_UNOTIFY;
	ev.event = 1;
	ev.param = param;
	return kevent_ctl(fd, KEVENT_CTL_READY, 1, &ev);
}

/* Write a string to a file in one write(): 0, or -errno. */
static inline int kt_write_file(const char *path, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	ssize_t n;
	int fd, len;

	va_start(ap, fmt);
	len = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* Cut short, the write would send part of it (and read past buf). */
	if (len < 0 || len >= (int)sizeof(buf))
		return -E2BIG;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	return n == len ? 0 : -EIO;
}

/* Read an unsigned number from a file: 0, or -errno. */
static inline int kt_read_ulong(const char *path, unsigned long *val)
{
	char buf[64];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = 0;
	*val = strtoul(buf, NULL, 0);
	return 0;
}

static inline int kt_fire(unsigned int st, __u32 event, unsigned int count,
			  const char *ctx, __u64 value)
{
	return kt_write_file(KT_DIR "/fire", "%u 0x%x %u %s %llu\n", st, event,
			     count, ctx, (unsigned long long)value);
}

static inline int kt_level(unsigned int st, __u32 mask)
{
	return kt_write_file(KT_DIR "/level", "%u 0x%x\n", st, mask);
}

static inline int kt_fini(unsigned int st)
{
	return kt_write_file(KT_DIR "/fini", "%u\n", st);
}

/* ->callback() of storage @st returns @ret: 1 ready, 0 not, <0 broken. */
static inline int kt_callback_ret(unsigned int st, int ret)
{
	return kt_write_file(KT_DIR "/callback", "%u %d\n", st, ret);
}

/* kevent_test's stats file, NUL-terminated, into @buf: 0, or -errno. */
static inline int kt_stats_text(char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(KT_DIR "/stats", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = 0;
	return 0;
}

/* "fired N" and "marked N" from the stats file: 0, or -errno. */
static inline int kt_stats(unsigned long *fired, unsigned long *marked)
{
	char buf[4096], *p;
	int err = kt_stats_text(buf, sizeof(buf));

	if (err)
		return err;
	p = strstr(buf, "fired ");
	if (!p)
		return -EIO;
	*fired = strtoul(p + 6, NULL, 10);
	p = strstr(buf, "marked ");
	if (!p)
		return -EIO;
	*marked = strtoul(p + 7, NULL, 10);
	return 0;
}

static inline unsigned int kt_nr_storages(void)
{
	unsigned long v = 0;

	if (kt_read_ulong("/sys/module/kevent_test/parameters/nr_storages",
			  &v))
		return 8;
	return v;
}

static inline int kt_has_source(void)
{
	return access(KT_DIR "/fire", W_OK) == 0;
}

/*
 * Copy every unread entry into @out (at most @max), advance the head and
 * commit them.  Returns the number taken, or -1.
 */
static inline int kt_drain(struct kevent_ring *r, struct ukevent *out,
			   unsigned int max)
{
	unsigned int head = kevent_ring_committed(r);
	unsigned int tail = kevent_ring_tail(r);
	unsigned int n = 0;

	while (head != tail && n < max) {
		memcpy(&out[n++], kevent_ring_entry(r, head), sizeof(*out));
		head++;
	}
	if (!n)
		return 0;
	r->cursor = head;
	kevent_ring_set_head(r, head);
	if (kevent_commit(r->fd, head, 0) < 0)
		return -1;
	return n;
}

static inline unsigned int kt_unread(struct kevent_ring *r)
{
	return kevent_ring_tail(r) - kevent_ring_committed(r);
}

static inline long long kt_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline struct timespec kt_ms(long ms)
{
	struct timespec ts = {
		.tv_sec = ms / 1000,
		.tv_nsec = (ms % 1000) * 1000000L,
	};

	return ts;
}

static inline void kt_sleep_ms(long ms)
{
	struct timespec ts = kt_ms(ms);

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/*
 * The next delivery within @ms, copied and committed: 1, 0 after the
 * timeout, or -1.  An entry of a request removed since it was written
 * (KEVENT_RET_REMOVED) belongs to nobody and is passed over.
 */
static inline int kt_next_live(int fd, struct ukevent *out, long ms)
{
	struct timespec ts = kt_ms(ms);
	int n;

	do
		n = kevent_get_events(fd, 1, 1, &ts, out, 0);
	while (n == 1 && (out->ret_flags & KEVENT_RET_REMOVED));
	return n;
}

/*
 * Race windows of debug kernels (CONFIG_KEVENT_DEBUG_RACES): the core spins
 * for @us microseconds at @point (kevent/internal.h, enum kevent_race).
 */
#define KT_RACE_FINI	1	/* kevent_storage_fini(), request off the list */
#define KT_RACE_UNREAD	2	/* poll's read of the ring indices */
#define KT_RACE_WALK	3	/* a fire's walk, before a request's lock */
#define KT_RACE_POLL_ADD	4	/* KEVENT_POLL ADD, wait entries not attached */
#define KT_RACE_POLL_WAKE	5	/* KEVENT_POLL wait entry, before its fire */
#define KT_RACE_POLL_UNWAIT	6	/* KEVENT_POLL removal, wait queue read */

static inline int kt_has_races(void)
{
	return access(KT_PARAMS "/race_point", W_OK) == 0;
}

static inline unsigned long kt_race_hits(void)
{
	unsigned long v = 0;

	kt_read_ulong(KT_PARAMS "/race_hits", &v);
	return v;
}

/*
 * Wait up to @ms for a window to open after @hits were: 1 if one did.  It
 * spins: a sleeper's wakeup could be queued on the CPU that holds the
 * window open, with interrupts off, and come only once the window closed.
 */
static inline int kt_race_entered(unsigned long hits, int ms)
{
	long long end = kt_now_ns() + ms * 1000000LL;

	while (kt_race_hits() == hits && kt_now_ns() < end)
		;
	return kt_race_hits() != hits;
}

/*
 * Run this thread on CPU @cpu only, so that the two sides of a race run at
 * once: 0, or -1 when there is no such CPU.
 */
static inline int kt_pin_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return pthread_setaffinity_np(pthread_self(), sizeof(set), &set) ? -1 : 0;
}

/* Open window @point for @us, or close it with 0, 0: 0, or -errno. */
static inline int kt_race(unsigned int point, unsigned int us)
{
	int err = kt_write_file(KT_PARAMS "/race_delay_us", "%u\n", us);

	return err ? err : kt_write_file(KT_PARAMS "/race_point", "%u\n", point);
}

/* A page with no access rights, for EFAULT tests. */
static inline void *kt_bad_page(void)
{
	void *p = mmap(NULL, getpagesize(), PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* Both infos describe the same queue state. */
#define ASSERT_INFO_EQ(a, b) do {					\
	ASSERT_EQ((a).ring_entries, (b).ring_entries);			\
	ASSERT_EQ((a).tail, (b).tail);					\
	ASSERT_EQ((a).committed, (b).committed);			\
	ASSERT_EQ((a).backlog, (b).backlog);				\
	ASSERT_EQ((a).requests, (b).requests);				\
	ASSERT_EQ((a).broken, (b).broken);				\
} while (0)

/* What the current ASSERT_ERRNO_UNCHANGED is about, for its failure log. */
static const char *kt_case __attribute__((unused)) = "";

/* The call fails with exactly @err and leaves the queue as it was. */
#define ASSERT_ERRNO_UNCHANGED(fd, call, err) do {			\
	struct kevent_info __b, __a;					\
	int __ret, __e;							\
	ASSERT_EQ(0, kevent_info(fd, &__b));				\
	errno = 0;							\
	__ret = (call);							\
	__e = errno;							\
	ASSERT_EQ(0, kevent_info(fd, &__a));				\
	ASSERT_TRUE(__ret == -1 && __e == (err))			\
		TH_LOG("%s %s: returned %d, errno %d (%s), want %s",	\
		       kt_case, #call, __ret, __e, strerror(__e), #err);\
	ASSERT_INFO_EQ(__b, __a);					\
} while (0)

#endif /* _KEVENT_UTIL_H */
