// SPDX-License-Identifier: GPL-2.0
/*
 * Race windows for the selftests, built only with CONFIG_KEVENT_DEBUG_RACES
 * (debug kernels).  A few places in the core call kevent_race_window() where
 * a concurrent caller could slip in; when race_point names that place, the
 * call spins for race_delay_us, so that a selftest reaches the race every
 * time and KASAN, lockdep or KCSAN report what it breaks.
 */
#include <linux/delay.h>
#include <linux/moduleparam.h>

#include "internal.h"

static unsigned int race_point;
module_param(race_point, uint, 0644);
MODULE_PARM_DESC(race_point, "Race window to hold open (KEVENT_RACE_*; 0: none)");

static unsigned int race_delay_us;
module_param(race_delay_us, uint, 0644);
MODULE_PARM_DESC(race_delay_us, "How long to hold it, in microseconds (at most 1 s)");

/* Callers may hold spinlocks with interrupts off: spin, never sleep. */
void kevent_race_window(enum kevent_race point)
{
	unsigned int us;

	if (READ_ONCE(race_point) != point)
		return;
	us = min(READ_ONCE(race_delay_us), USEC_PER_SEC);
	mdelay(us / 1000);
	udelay(us % 1000);
}
