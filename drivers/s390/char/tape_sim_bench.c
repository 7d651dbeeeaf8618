// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark hook: time COUNT kevent_s390_log_notify() calls for the first
 * tape, from process context, so that the cost of a notify can be compared
 * with few and with many requests registered.  The result is reported,
 * never asserted.
 */
#include <linux/kevent_s390_log.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sysfs.h>

#include "tape_sim.h"

#define KEVENT_TAPE_SIM_BENCH_MAX	10000000U

/* Serialises runs; protects the last result. */
static DEFINE_MUTEX(bench_mutex);
static unsigned int bench_count;
static u64 bench_ns;
static u32 bench_devid;

int kevent_tape_sim_bench_run(u32 devid, unsigned int count)
{
	static const char payload[] = "bench";
	unsigned int i;
	u64 t0, ns = 0;

	if (!count || count > KEVENT_TAPE_SIM_BENCH_MAX)
		return -EINVAL;
	mutex_lock(&bench_mutex);
	for (i = 0; i < count; i++) {
		t0 = ktime_get_ns();
		kevent_s390_log_notify(KEVENT_S390_TAPE_LOADED, devid, payload,
				       sizeof(payload) - 1);
		ns += ktime_get_ns() - t0;
		/* Outside the timed region. */
		if (!(i & 1023))
			cond_resched();
	}
	bench_count = count;
	bench_ns = ns;
	bench_devid = devid;
	mutex_unlock(&bench_mutex);
	return 0;
}

ssize_t kevent_tape_sim_bench_show(char *buf)
{
	ssize_t n;

	mutex_lock(&bench_mutex);
	n = sysfs_emit(buf, "notifies %u ns %llu ns_per_notify %llu devid %#x\n",
		       bench_count, bench_ns,
		       bench_count ? div_u64(bench_ns, bench_count) : 0,
		       bench_devid);
	mutex_unlock(&bench_mutex);
	return n;
}
