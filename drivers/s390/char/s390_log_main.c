// SPDX-License-Identifier: GPL-2.0
/*
 * kevent_s390_log: module init and exit, nothing else.
 */
#include <linux/module.h>

#include "s390_log.h"

static int __init kevent_s390_log_init(void)
{
	int err;

	err = kevent_s390_log_buf_init();
	if (err)
		return err;
	/* From here on requests can attach: the buffer is ready for them. */
	err = kevent_s390_log_storage_init();
	if (err)
		goto err_buf;
	err = kevent_s390_log_dev_init();
	if (err)
		goto err_storage;
	return 0;

err_storage:
	kevent_s390_log_storage_exit();
err_buf:
	kevent_s390_log_buf_exit();
	return err;
}

static void __exit kevent_s390_log_exit(void)
{
	kevent_s390_log_dev_exit();
	kevent_s390_log_storage_exit();
	kevent_s390_log_buf_exit();
}

module_init(kevent_s390_log_init);
module_exit(kevent_s390_log_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kevent s390 driver event log (KEVENT_S390_LOG)");
MODULE_AUTHOR("The kevent developers");
