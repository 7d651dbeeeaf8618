// SPDX-License-Identifier: GPL-2.0
/*
 * Race windows for the selftests, built only with CONFIG_KEVENT_DEBUG_RACES
 * (debug kernels).  A few places in the core call kevent_race_window() where
 * a concurrent caller could slip in; when race_point names that place, the
 * call spins for race_delay_us, so that a selftest reaches the race every
 * time and KASAN, lockdep or KCSAN report what it breaks.  race_hits counts
 * the windows opened, so that a test knows when the other side is in one.
 */
#include <linux/delay.h>
#include <linux/moduleparam.h>
#include <linux/sysfs.h>

#include "internal.h"

static unsigned int race_point;
module_param(race_point, uint, 0644);
MODULE_PARM_DESC(race_point, "Race window to hold open (KEVENT_RACE_*; 0: none)");

static unsigned int race_delay_us;
module_param(race_delay_us, uint, 0644);
MODULE_PARM_DESC(race_delay_us, "How long to hold it, in microseconds (at most 1 s)");

static atomic_t race_hits = ATOMIC_INIT(0);

static int race_hits_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&race_hits));
}

static const struct kernel_param_ops race_hits_ops = {
	.get = race_hits_get,
};
module_param_cb(race_hits, &race_hits_ops, NULL, 0444);
MODULE_PARM_DESC(race_hits, "Race windows opened so far");

/* Callers may hold spinlocks with interrupts off: spin, never sleep. */
void kevent_race_window(enum kevent_race point)
{
	unsigned int us;

	if (READ_ONCE(race_point) != point)
		return;
	atomic_inc(&race_hits);
	us = min(READ_ONCE(race_delay_us), USEC_PER_SEC);
	mdelay(us / 1000);
	udelay(us % 1000);
}
