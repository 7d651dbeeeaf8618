// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/kevent_s390_log: read records by sequence number, and the log's
 * statistics.  The fd is pollable: readable while records exist past its
 * read position.  See <uapi/linux/kevent_s390_log.h> for the ABI.
 */
#include <linux/atomic.h>
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "s390_log.h"

/* Records copied per trip through the buffer lock. */
#define KEVENT_S390_LOG_READ_BATCH	32U

/**
 * struct kevent_s390_log_file - one open /dev/kevent_s390_log
 * @pos: read position for poll: next_seq of the last READ
 */
struct kevent_s390_log_file {
	atomic64_t pos;
};

DECLARE_WAIT_QUEUE_HEAD(kevent_s390_log_wq);

/* A user pointer carried in a __u64 field. */
static void __user *kevent_s390_log_uptr(u64 v)
{
#ifdef CONFIG_COMPAT
	/* 31-bit s390 tasks: the top bit of a pointer is not address. */
	if (in_compat_syscall())
		return compat_ptr((compat_uptr_t)v);
#endif
	return u64_to_user_ptr(v);
}

static int kevent_s390_log_open(struct inode *inode, struct file *file)
{
	struct kevent_s390_log_file *lf;

	lf = kzalloc(sizeof(*lf), GFP_KERNEL_ACCOUNT);
	if (!lf)
		return -ENOMEM;
	atomic64_set(&lf->pos, kevent_s390_log_buf_next());
	file->private_data = lf;
	return nonseekable_open(inode, file);
}

static int kevent_s390_log_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

/*
 * Copy the records [seq, end) to @ubuf, at most @max.  Returns the number
 * copied, or -errno; on -EOVERFLOW *@oldest is the oldest record left.  A
 * loss after the first batch ends the copy early instead: the caller's
 * next READ reports it.
 */
static int kevent_s390_log_copy(u64 seq, u64 end, u32 max,
				struct kevent_s390_log_record __user *ubuf,
				u64 *oldest)
{
	struct kevent_s390_log_record *bounce;
	u32 done = 0, want;
	int n, err = 0;

	bounce = kmalloc_array(min(max, KEVENT_S390_LOG_READ_BATCH),
			       sizeof(*bounce), GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	while (done < max && seq + done < end) {
		want = min_t(u64, min(max - done, KEVENT_S390_LOG_READ_BATCH),
			     end - seq - done);
		n = kevent_s390_log_buf_read(seq + done, bounce, want, oldest);
		if (n < 0) {
			if (!done)
				err = n;
			break;
		}
		if (copy_to_user(ubuf + done, bounce, n * sizeof(*bounce))) {
			err = -EFAULT;
			break;
		}
		done += n;
	}
	kfree(bounce);
	return err ? err : done;
}

static long kevent_s390_log_ioc_read(struct kevent_s390_log_file *lf,
				     void __user *arg)
{
	struct kevent_s390_log_read rd;
	u64 end, oldest = 0;
	int ret;

	if (copy_from_user(&rd, arg, sizeof(rd)))
		return -EFAULT;
	if (rd.flags || rd.__reserved0 || rd.__reserved[0] || rd.__reserved[1])
		return -EINVAL;
	if (!rd.seq || !rd.max)
		return -EINVAL;
	/* The answer is copied back: fail now, not after reading. */
	if (copy_to_user(arg, &rd, sizeof(rd)))
		return -EFAULT;

	/* Records stored from now on are for the next READ: it is bounded. */
	end = kevent_s390_log_buf_next();
	if (rd.seq > end)
		return -ERANGE;
	ret = kevent_s390_log_copy(rd.seq, end, rd.max,
				   kevent_s390_log_uptr(rd.buf), &oldest);
	if (ret < 0 && ret != -EOVERFLOW)
		return ret;

	rd.lost = 0;
	if (ret == -EOVERFLOW) {
		rd.count = 0;
		rd.lost = kevent_s390_log_lost(rd.seq, oldest);
		rd.next_seq = oldest;
	} else {
		rd.count = ret;
		rd.next_seq = rd.seq + ret;
	}
	atomic64_set(&lf->pos, rd.next_seq);
	if (copy_to_user(arg, &rd, sizeof(rd)))
		return -EFAULT;
	return ret;
}

static long kevent_s390_log_ioc_stats(void __user *arg)
{
	struct kevent_s390_log_stats stats;

	memset(&stats, 0, sizeof(stats));
	kevent_s390_log_buf_stats(&stats);
	kevent_s390_log_storage_stats(&stats);
	return copy_to_user(arg, &stats, sizeof(stats)) ? -EFAULT : 0;
}

static long kevent_s390_log_ioctl(struct file *file, unsigned int cmd,
				  unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case KEVENT_S390_LOG_IOC_READ:
		return kevent_s390_log_ioc_read(file->private_data, argp);
	case KEVENT_S390_LOG_IOC_STATS:
		return kevent_s390_log_ioc_stats(argp);
	default:
		return -ENOTTY;
	}
}

static __poll_t kevent_s390_log_poll(struct file *file, poll_table *pt)
{
	struct kevent_s390_log_file *lf = file->private_data;

	poll_wait(file, &kevent_s390_log_wq, pt);
	/* Under the buffer lock: see kevent_s390_log_dev_wake(). */
	if (kevent_s390_log_buf_next() > (u64)atomic64_read(&lf->pos))
		return EPOLLIN | EPOLLRDNORM;
	return 0;
}

static const struct file_operations kevent_s390_log_fops = {
	.owner = THIS_MODULE,
	.open = kevent_s390_log_open,
	.release = kevent_s390_log_release,
	.unlocked_ioctl = kevent_s390_log_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.poll = kevent_s390_log_poll,
};

/*
 * Mode 0600 root:root until udev applies the admin's GROUP= and MODE=
 * (dist/udev/60-kevent.rules): the node's mode is the read permission.
 */
static struct miscdevice kevent_s390_log_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = KEVENT_S390_LOG_NODE,
	.fops = &kevent_s390_log_fops,
};

/* The node's dev_t, which s390_log_perm.c matches the looked-up node to. */
dev_t kevent_s390_log_dev_devt(void)
{
	return MKDEV(MISC_MAJOR, kevent_s390_log_misc.minor);
}

int kevent_s390_log_dev_init(void)
{
	/* Same layout for 31-, 32- and 64-bit tasks: no compat translation. */
	BUILD_BUG_ON(sizeof(struct kevent_s390_log_read) != 64);
	BUILD_BUG_ON(sizeof(struct kevent_s390_log_stats) != 128);
	return misc_register(&kevent_s390_log_misc);
}

void kevent_s390_log_dev_exit(void)
{
	misc_deregister(&kevent_s390_log_misc);
}
