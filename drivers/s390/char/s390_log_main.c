// SPDX-License-Identifier: GPL-2.0
/*
 * kevent_s390_log: module init and exit, nothing else.
 */
#include <linux/delay.h>
#include <linux/minmax.h>
#include <linux/module.h>

#include "s390_log.h"

#ifdef CONFIG_KEVENT_DEBUG_RACES
static unsigned int init_race_delay_ms;
module_param(init_race_delay_ms, uint, 0444);
MODULE_PARM_DESC(init_race_delay_ms,
		 "Debug kernels only: milliseconds init sleeps once KEVENT_S390_LOG is registered (default 0, at most 10000)");

/*
 * CONFIG_KEVENT_DEBUG_RACES only: hold open the window in which the type
 * is registered, so that ADDs can take it, but init has not returned yet.
 * alloc_fail_test fails each allocation of the load in turn meanwhile:
 * no load that fails may have let a request in.
 */
static void kevent_s390_log_race_delay(void)
{
	if (init_race_delay_ms)
		msleep(min(init_race_delay_ms, 10000U));
}
#else
static inline void kevent_s390_log_race_delay(void)
{
}
#endif

static int __init kevent_s390_log_init(void)
{
	int err;

	err = kevent_s390_log_buf_init();
	if (err)
		return err;
	kevent_s390_log_storage_init();
	/* /dev/kevent_s390_log reads the buffer and the storages' stats. */
	err = kevent_s390_log_dev_init();
	if (err)
		goto err_storage;
	/*
	 * Last: a request of the type pins this module from the moment it is
	 * added, before init returns, and a module whose init fails is freed
	 * regardless.  So nothing may fail after this, which itself fails
	 * only if another module provides KEVENT_S390_LOG already.
	 */
	err = kevent_s390_log_type_register();
	if (err)
		goto err_dev;
	kevent_s390_log_race_delay();
	return 0;

err_dev:
	kevent_s390_log_dev_exit();
err_storage:
	kevent_s390_log_storage_exit();
	kevent_s390_log_buf_exit();
	return err;
}

static void __exit kevent_s390_log_exit(void)
{
	/* In the reverse order of init: the type first. */
	kevent_s390_log_type_unregister();
	kevent_s390_log_dev_exit();
	kevent_s390_log_storage_exit();
	kevent_s390_log_buf_exit();
}

module_init(kevent_s390_log_init);
module_exit(kevent_s390_log_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kevent s390 driver event log (KEVENT_S390_LOG)");
MODULE_AUTHOR("The kevent developers");
