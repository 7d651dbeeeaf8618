// SPDX-License-Identifier: GPL-2.0
/*
 * kevent_bench: one in-kernel producer for every mechanism the benchmark
 * compares (tools/kevent/bench, Documentation/bench.rst).  Module init and
 * exit, and /dev/kevent_bench, whose ioctls the other files serve.
 * Interface: kevent_bench.h; the files are listed in internal.h.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

#include "internal.h"

static long bench_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case KEVENT_BENCH_IOC_START:
		return kevent_bench_ioc_start(file, argp);
	case KEVENT_BENCH_IOC_WAIT:
		return kevent_bench_ioc_wait(file, argp);
	case KEVENT_BENCH_IOC_STOP:
		return kevent_bench_ioc_stop(file);
	case KEVENT_BENCH_IOC_FIRE:
		return kevent_bench_ioc_fire(argp);
	}
	return -ENOTTY;
}

static int bench_mmap(struct file *file, struct vm_area_struct *vma)
{
	return kevent_bench_run_mmap(vma);
}

static int bench_release(struct inode *inode, struct file *file)
{
	kevent_bench_run_release(file);
	return 0;
}

static const struct file_operations bench_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.release = bench_release,
	.unlocked_ioctl = bench_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = bench_mmap,
};

struct miscdevice kevent_bench_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "kevent_bench",
	.fops = &bench_fops,
	.mode = 0600,
};

static int __init kevent_bench_init(void)
{
	int err;

	err = kevent_bench_source_init();
	if (err)
		return err;
	err = kevent_bench_run_init();
	if (err)
		goto err_source;
	err = kevent_bench_genl_init();
	if (err)
		goto err_run;
	err = misc_register(&kevent_bench_misc);
	if (err)
		goto err_genl;
	/* Last: see kevent_bench_source_register(). */
	err = kevent_bench_source_register();
	if (err)
		goto err_misc;
	return 0;

err_misc:
	misc_deregister(&kevent_bench_misc);
err_genl:
	kevent_bench_genl_exit();
err_run:
	kevent_bench_run_exit();
err_source:
	kevent_bench_source_exit();
	return err;
}

static void __exit kevent_bench_exit(void)
{
	/* First, as init registers it last.  Our requests pin this module. */
	kevent_bench_source_unregister();
	/* An open file pins the module: no run and no burst is in progress. */
	misc_deregister(&kevent_bench_misc);
	kevent_bench_genl_exit();
	kevent_bench_source_exit();
	kevent_bench_run_exit();
}

module_init(kevent_bench_init);
module_exit(kevent_bench_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kevent benchmark producer: kevent, s390 log, netlink, uevent, eventfd");
MODULE_AUTHOR("The kevent developers");
