// SPDX-License-Identifier: GPL-2.0
/*
 * kevent: module init and exit, nothing else.
 */
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/workqueue.h>

#include "internal.h"

static int __init kevent_mod_init(void)
{
	int err;

	kevent_limits_init();
	kevent_wq = alloc_workqueue("kevent", 0, 0);
	if (!kevent_wq)
		return -ENOMEM;
	err = kevent_unotify_init();
	if (err)
		goto err_wq;
	err = kevent_timer_init();
	if (err)
		goto err_unotify;
	err = kevent_poll_init();
	if (err)
		goto err_timer;
	err = kevent_queue_init();
	if (err)
		goto err_poll;
	return 0;

err_poll:
	kevent_poll_exit();
err_timer:
	kevent_timer_exit();
err_unotify:
	kevent_unotify_exit();
err_wq:
	destroy_workqueue(kevent_wq);
	return err;
}

static void __exit kevent_mod_exit(void)
{
	kevent_queue_exit();
	kevent_poll_exit();
	kevent_timer_exit();
	kevent_unotify_exit();
	/* Queues freed after a grace period: let their work be queued, run. */
	rcu_barrier();
	destroy_workqueue(kevent_wq);
	kevent_types_exit();
}

module_init(kevent_mod_init);
module_exit(kevent_mod_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kevent: kernel event notification through /dev/kevent");
MODULE_AUTHOR("The kevent developers");
