// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation failures: with failslab and fail_page_alloc armed through
 * /proc/thread-self/fail-nth, the Nth allocation of the calling task fails,
 * for N = 1, 2, ... until the operation no longer reaches the Nth one.  So
 * every allocation on the path fails in turn.  Each failure must come back
 * as ENOMEM (an ioctl's errno, or a ctl entry's ret_data[1]), leave the
 * queue as it was, and leak nothing (kmemleak, on the debug kernel).
 *
 * Needs CONFIG_FAULT_INJECTION_DEBUG_FS, CONFIG_FAILSLAB and
 * CONFIG_FAIL_PAGE_ALLOC (the debug kernel of make check-debug); skipped on
 * kernels without them.
 */
#include <linux/kevent_s390_log.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "kevent_util.h"

#define FAIL_NTH	"/proc/thread-self/fail-nth"
#define MAX_NTH		4000

static int nth_set(unsigned int n)
{
	return kt_write_file(FAIL_NTH, "%u", n);
}

/* Still armed after the operation: it did not reach the Nth allocation. */
static int nth_left(void)
{
	unsigned long v = 0;

	if (kt_read_ulong(FAIL_NTH, &v))
		return -1;
	nth_set(0);
	return (int)v;
}

static bool fault_injection_ready(void)
{
	static const char *const knobs[][2] = {
		{ "/sys/kernel/debug/failslab/ignore-gfp-wait", "N" },
		{ "/sys/kernel/debug/failslab/verbose", "0" },
		{ "/sys/kernel/debug/fail_page_alloc/ignore-gfp-wait", "N" },
		{ "/sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem", "N" },
		{ "/sys/kernel/debug/fail_page_alloc/min-order", "0" },
		{ "/sys/kernel/debug/fail_page_alloc/verbose", "0" },
	};
	unsigned int i;

	if (access(FAIL_NTH, W_OK))
		return false;
	for (i = 0; i < ARRAY_LEN(knobs); i++)
		if (kt_write_file(knobs[i][0], "%s", knobs[i][1]))
			return false;
	return true;
}

static int load_module_args(const char *name, const char *args)
{
	char path[4200];
	int fd, ret, e;

	kt_ko_path(path, sizeof(path), name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = syscall(__NR_finit_module, fd, args, 0);
	e = errno;
	close(fd);
	errno = e;
	return ret;
}

static int load_module(const char *name)
{
	return load_module_args(name, "");
}

static int unload_module(const char *name)
{
	return syscall(__NR_delete_module, name, O_NONBLOCK);
}

static bool module_loaded(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/%s/initstate", name);
	return access(path, F_OK) == 0;
}

FIXTURE(alloc) {
	bool ready;
};

/*
 * Injected failures make the kernel print allocation-failure reports with
 * stack traces; these markers let the harness tell them from real splats.
 */
FIXTURE_SETUP(alloc)
{
	self->ready = fault_injection_ready();
	if (self->ready)
		kt_write_file("/dev/kmsg", "kevent-fault-injection: begin\n");
}

FIXTURE_TEARDOWN(alloc)
{
	nth_set(0);
	if (self->ready)
		kt_write_file("/dev/kmsg", "kevent-fault-injection: end\n");
	/* Leave the modules as the harness loaded them. */
	if (!module_loaded("kevent"))
		load_module("kevent");
	if (!module_loaded("kevent_test"))
		load_module("kevent_test");
}

TEST_F_TIMEOUT(alloc, queue_setup, 600)
{
	struct kevent_init init;
	struct kevent_info info;
	unsigned int n, injected = 0;
	int fd, ret, e, left;

	if (!self->ready)
		SKIP(return, "no fault injection in this kernel");
	for (n = 1; n < MAX_NTH; n++) {
		ASSERT_EQ(0, nth_set(n));
		fd = open(KEVENT_DEVICE, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			e = errno;
			nth_left();
			ASSERT_EQ(ENOMEM, e);
			injected++;
			continue;
		}
		memset(&init, 0, sizeof(init));
		init.ring_entries = 256;
		ret = ioctl(fd, KEVENT_IOC_INIT, &init);
		e = errno;
		left = nth_left();
		if (ret) {
			ASSERT_EQ(ENOMEM, e);
			injected++;
			/* Nothing half-made: still uninitialised, and it can be. */
			ASSERT_EQ(-1, ioctl(fd, KEVENT_IOC_INFO, &info));
			ASSERT_EQ(EBADFD, errno);
			ASSERT_EQ(0, ioctl(fd, KEVENT_IOC_INIT, &init));
		}
		close(fd);
		if (left > 0)
			break;
	}
	TH_LOG("open+INIT: %u allocations failed in turn, all ENOMEM", injected);
	ASSERT_LT(n, MAX_NTH);
	ASSERT_LT(0, injected);
}

TEST_F_TIMEOUT(alloc, add, 600)
{
	struct kevent_info before, after;
	struct kevent_ring *r;
	struct ukevent ev[2];
	unsigned int n, injected = 0;
	int fd, ret, e, left;

	if (!self->ready)
		SKIP(return, "no fault injection in this kernel");
	fd = kevent_init(&r, 16, 0);
	ASSERT_LE(0, fd);
	/* Something queued already, which a failure must not disturb. */
	ev[0] = kt_unotify(1, 0);
	ASSERT_EQ(0, kt_ctl1(fd, KEVENT_CTL_ADD, ev));
	ASSERT_EQ(1, kt_ready(fd, 1, 7));

	for (n = 1; n < MAX_NTH; n++) {
		ASSERT_EQ(0, kevent_info(fd, &before));
		ev[0] = kt_unotify(100, 0);
		ev[1] = kt_test(101, 7, 1, 0);
		ASSERT_EQ(0, nth_set(n));
		ret = kevent_ctl(fd, KEVENT_CTL_ADD, kt_has_source() ? 2 : 1, ev);
		e = errno;
		left = nth_left();
		ASSERT_EQ(0, kevent_info(fd, &after));
		if (ret < 0) {
			ASSERT_EQ(ENOMEM, e);
			ASSERT_INFO_EQ(before, after);
			injected++;
		} else if (ret > 0) {
			/* The entry that failed says so and changed nothing. */
			ASSERT_EQ(KEVENT_RET_BROKEN, ev[0].ret_flags);
			ASSERT_EQ(ENOMEM, ev[0].ret_data[1]);
			ASSERT_EQ(before.requests + (kt_has_source() ? 2 : 1) - ret,
				  after.requests);
			injected++;
		}
		ev[0] = kt_unotify(100, 0);
		ev[1] = kt_test(101, 7, 1, 0);
		kevent_ctl(fd, KEVENT_CTL_REMOVE, 2, ev);
		if (left > 0 && ret == 0)
			break;
	}
	TH_LOG("ADD: %u allocations failed in turn, all ENOMEM", injected);
	ASSERT_LT(n, MAX_NTH);
	ASSERT_LT(0, injected);
	/* What was queued before is still there, intact. */
	ASSERT_EQ(1, kevent_ring_tail(r));
	ASSERT_EQ(1, kevent_ring_entry(r, 0)->id);
	ASSERT_EQ(7, kevent_ring_entry(r, 0)->ret_data[1]);
	kevent_close(r);
}

/*
 * Allocation checks made by one write of "7 1 COUNT process VALUE" to
 * kevent_test's fire file, armed.  The command is built in one buffer that
 * is already mapped, so that no page fault allocates on the way.
 */
static int fire_nth_used(int ffd, unsigned int count)
{
	static char cmd[64];
	ssize_t len;

	len = snprintf(cmd, sizeof(cmd), "7 1 %u process %u", count, count);
	if (nth_set(100000))
		return -1;
	if (write(ffd, cmd, len) != len)
		return -1;
	return 100000 - nth_left();
}

/*
 * Marking ready must not allocate: a write that fires 1000 times makes as
 * many allocation checks as one that fires once, give or take the odd one
 * the syscall path makes now and then (a proc inode, a page table), while
 * an allocation per fire would add 999.
 */
TEST_F(alloc, notify_allocates_nothing)
{
	struct kevent_ring *r;
	struct ukevent ev[2] = { kt_test(1, 7, 1, 0), kt_test(2, 7, 1, 0) };
	struct ukevent out[4];
	int fd, ffd, one, many;

	if (!self->ready || !kt_has_source())
		SKIP(return, "no fault injection or no kevent_test");
	fd = kevent_init(&r, 16, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, kevent_ctl(fd, KEVENT_CTL_ADD, 2, ev));
	ffd = open(KT_DIR "/fire", O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, ffd);
	/* A first write, not counted, does the write path's one-time setup. */
	ASSERT_LE(0, fire_nth_used(ffd, 1));
	one = fire_nth_used(ffd, 1);
	many = fire_nth_used(ffd, 1000);
	close(ffd);
	TH_LOG("allocation checks: %d for 1 fire, %d for 1000 fires", one, many);
	ASSERT_LE(0, one);
	ASSERT_LE(many, one + 2);
	ASSERT_LE(one, many + 2);
	/* Both requests were marked and are in the ring. */
	ASSERT_EQ(2, kt_drain(r, out, 4));
	kevent_close(r);
}

static unsigned int inject_module_init(struct __test_metadata *_metadata,
				       const char *name)
{
	unsigned int n, injected = 0;
	int ret, e, left;

	for (n = 1; n < MAX_NTH; n++) {
		ASSERT_EQ(0, nth_set(n));
		ret = load_module(name);
		e = errno;
		left = nth_left();
		if (ret) {
			ASSERT_EQ(ENOMEM, e);
			ASSERT_FALSE(module_loaded(name));
			injected++;
			continue;
		}
		if (left > 0)
			break;
		/* Loaded, though an allocation failed: a debugfs file, say. */
		ASSERT_EQ(0, unload_module(name));
	}
	EXPECT_LT(n, MAX_NTH);
	return injected;
}

TEST_F_TIMEOUT(alloc, module_init, 900)
{
	unsigned int core, test;

	if (!self->ready)
		SKIP(return, "no fault injection in this kernel");
#ifdef __s390x__
	/*
	 * 6.1's s390 module loader leaks what module_frob_arch_sections()
	 * vmalloc()s when a load fails after it (kmemleak shows it): failing
	 * the loader's allocations here would report the loader, not kevent.
	 */
	SKIP(return, "s390 module loader leaks on its own failure path");
#endif
	/* Whatever else uses kevent goes first. */
	unload_module("kevent_tape_sim");
	unload_module("kevent_s390_log");
	ASSERT_EQ(0, unload_module("kevent_test"));
	ASSERT_EQ(0, unload_module("kevent"));
	core = inject_module_init(_metadata, "kevent");
	ASSERT_TRUE(module_loaded("kevent"));
	test = inject_module_init(_metadata, "kevent_test");
	ASSERT_TRUE(module_loaded("kevent_test"));
	TH_LOG("module load: kevent %u, kevent_test %u allocations failed "
	       "in turn, all ENOMEM", core, test);
	ASSERT_LT(0, core);
	/* Torn down and loaded again after all that: still works. */
	ASSERT_EQ(0, unload_module("kevent_test"));
	ASSERT_EQ(0, unload_module("kevent"));
	ASSERT_EQ(0, load_module("kevent"));
	ASSERT_EQ(0, load_module("kevent_test"));
}

/* Adds KEVENT_S390_LOG requests to a queue until one is taken or told to stop. */
struct adder {
	int fd;
	bool stop;		/* __atomic */
	unsigned int added;	/* requests taken: 0 or 1 */
	unsigned int refused;	/* ADDs refused with EOPNOTSUPP: no provider */
	int err;		/* any other errno */
};

static void *adder_run(void *arg)
{
	struct adder *a = arg;
	struct ukevent ev;
	__u64 id = 1;
	int ret, e;

	while (!__atomic_load_n(&a->stop, __ATOMIC_ACQUIRE)) {
		ev = kt_ev(id++, KEVENT_S390_LOG, KEVENT_S390_TAPE_LOADED, 0,
			   KEVENT_S390_LOG_ANY_DEV);
		ret = kevent_ctl(a->fd, KEVENT_CTL_ADD, 1, &ev);
		if (ret == 0) {
			a->added++;
			break;
		}
		/* The type went while ADD looked: the entry says so. */
		e = ret > 0 ? (int)ev.ret_data[1] : errno;
		if (e != EOPNOTSUPP) {
			a->err = e;
			break;
		}
		a->refused++;
	}
	return NULL;
}

#define KT_S390_DELAY_PARAM \
	"/sys/module/kevent_s390_log/parameters/init_race_delay_ms"

/*
 * A type is the last thing kevent_s390_log's init registers: once a request
 * of it is added, the request pins the module, and a module whose init then
 * failed would be freed under it (its callbacks, its storage).  So every
 * allocation of the load fails in turn while another thread keeps adding
 * KEVENT_S390_LOG requests: a load that fails must not have taken one.
 * With CONFIG_KEVENT_DEBUG_RACES the module sleeps right after registering
 * the type (init_race_delay_ms), so that the adder reaches that window
 * every time init gets there: KASAN or this test would see a request left
 * behind, not luck.
 */
TEST_F_TIMEOUT(alloc, s390_log_type_registered_last, 900)
{
	unsigned int n, injected = 0, landed = 0;
	struct kevent_ring *r;
	struct adder a;
	const char *args;
	char path[4200];
	int ret, e, left;
	bool delay;
	pthread_t t;

	if (!self->ready)
		SKIP(return, "no fault injection in this kernel");
#ifdef __s390x__
	/* As in module_init: the s390 loader leaks on its own failure path. */
	SKIP(return, "s390 module loader leaks on its own failure path");
#endif
	if (access(kt_ko_path(path, sizeof(path), "kevent_s390_log"), R_OK))
		SKIP(return, "no kevent_s390_log.ko");
	unload_module("kevent_tape_sim");
	unload_module("kevent_s390_log");
	ASSERT_FALSE(module_loaded("kevent_s390_log"));
	/* Has this kernel the debug delay? */
	ASSERT_EQ(0, load_module("kevent_s390_log"));
	delay = access(KT_S390_DELAY_PARAM, F_OK) == 0;
	ASSERT_EQ(0, unload_module("kevent_s390_log"));
	args = delay ? "init_race_delay_ms=100" : "";

	for (n = 1; n < MAX_NTH; n++) {
		memset(&a, 0, sizeof(a));
		a.fd = kevent_init(&r, 16, 0);
		ASSERT_LE(0, a.fd);
		ASSERT_EQ(0, pthread_create(&t, NULL, adder_run, &a));
		ASSERT_EQ(0, nth_set(n));
		ret = load_module_args("kevent_s390_log", args);
		e = errno;
		left = nth_left();
		__atomic_store_n(&a.stop, true, __ATOMIC_RELEASE);
		ASSERT_EQ(0, pthread_join(t, NULL));
		ASSERT_EQ(0, a.err);
		if (ret) {
			/* Init failed after a request of its type was added. */
			ASSERT_EQ(0, a.added) {
				TH_LOG("allocation %u: the load failed (errno %d) with a KEVENT_S390_LOG request added",
				       n, e);
			}
			ASSERT_EQ(ENOMEM, e);
			ASSERT_FALSE(module_loaded("kevent_s390_log"));
			injected++;
			kevent_close(r);
			continue;
		}
		landed += a.added;
		/* The request pins the module: drop it first. */
		kevent_close(r);
		ASSERT_EQ(0, unload_module("kevent_s390_log"));
		if (left > 0)
			break;
	}
	TH_LOG("kevent_s390_log load: %u allocations failed in turn, all ENOMEM with no request added; %u loads took a request during init%s",
	       injected, landed, delay ? "" : " (no init_race_delay_ms)");
	ASSERT_LT(n, MAX_NTH);
	ASSERT_LT(0, injected);
	/* The window was reached: the adder gets in while init sleeps. */
	if (delay)
		ASSERT_LT(0, landed);

	/* Nothing was left behind: loaded again, the type works. */
	ASSERT_EQ(0, load_module("kevent_s390_log"));
	memset(&a, 0, sizeof(a));
	a.fd = kevent_init(&r, 16, 0);
	ASSERT_LE(0, a.fd);
	adder_run(&a);
	ASSERT_EQ(1, a.added);
	ASSERT_EQ(0, a.refused);
	kevent_close(r);
	ASSERT_EQ(0, unload_module("kevent_s390_log"));
}

TEST_HARNESS_MAIN
