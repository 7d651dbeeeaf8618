// SPDX-License-Identifier: GPL-2.0
/*
 * kevent_test: the KEVENT_TEST_TYPE event source, driven through debugfs,
 * for the selftests.  Interface: kevent_test.h.
 */
#include <linux/capability.h>
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/jiffies.h>
#include <linux/kevent.h>
#include <linux/kevent_irq_batch.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "kevent_test.h"

static unsigned int nr_storages = 8;
module_param(nr_storages, uint, 0444);
MODULE_PARM_DESC(nr_storages, "Number of test storages");

/* Fires per timer expiry, so that no interrupt runs for long. */
#define KEVENT_TEST_BATCH	64
/* Between batches: in hardirq context, a short pause; in softirq, a tick. */
#define KEVENT_TEST_HARDIRQ_GAP_NS	(10 * NSEC_PER_USEC)
#define KEVENT_TEST_SOFTIRQ_GAP_NS	TICK_NSEC
/* Most fires in one kevent_batch: what our sources make at most. */
#define KEVENT_TEST_BATCH_MAX	64

struct kevent_test_storage {
	struct kevent_storage st;
	atomic64_t seq;
	atomic64_t marked;
	u32 level;
	int cb_ret;
};

struct kevent_test_fire {
	u64 seq;
	u64 value;
};

static struct kevent_test_storage *storages;
static struct dentry *debugfs_dir;
static atomic64_t total_fired;
static atomic64_t total_marked;

/* One fire command in progress; serialised by fire_mutex. */
static DEFINE_MUTEX(fire_mutex);
static struct {
	struct kevent_test_storage *ts;
	u32 event;
	u64 value;
	struct kevent_irq_batch hardirq;
	struct kevent_irq_batch softirq;
	/* The batch command: storages to fire in order, and their fires. */
	struct kevent_irq_batch batch_irq;
	unsigned int batch_nr;
	unsigned int batch_idx[KEVENT_TEST_BATCH_MAX];
	struct kevent_test_fire batch_fire[KEVENT_TEST_BATCH_MAX];
} cmd;

/*
 * Run for every matching request, ready or not: a request whose delivery is
 * still pending then reports the newest fire folded into it.
 */
static void ready_cb(struct kevent *k, void *data)
{
	struct kevent_test_fire *f = data;

	k->event.ret_data[0] = f->seq;
	k->event.ret_data[1] = f->value;
}

static void fire_one(struct kevent_test_storage *ts, u32 event, u64 value)
{
	struct kevent_test_fire f = {
		.seq = atomic64_inc_return(&ts->seq),
		.value = value,
	};
	int n;

	n = kevent_storage_ready_data(&ts->st, ready_cb, event, &f);
	atomic64_inc(&total_fired);
	atomic64_add(n, &total_marked);
	atomic64_add(n, &ts->marked);
}

/* The batch command's fires, in one kevent_batch; under fire_mutex. */
static void fire_batch(void)
{
	struct kevent_test_storage *ts;
	struct kevent_batch b;
	unsigned int i;
	int n;

	for (i = 0; i < cmd.batch_nr; i++) {
		ts = &storages[cmd.batch_idx[i]];
		cmd.batch_fire[i].seq = atomic64_inc_return(&ts->seq);
		cmd.batch_fire[i].value = cmd.value;
	}
	kevent_batch_begin(&b);
	for (i = 0; i < cmd.batch_nr; i++) {
		ts = &storages[cmd.batch_idx[i]];
		n = kevent_batch_ready(&b, &ts->st, ready_cb, cmd.event,
				       &cmd.batch_fire[i]);
		atomic64_inc(&total_fired);
		atomic64_add(n, &total_marked);
		atomic64_add(n, &ts->marked);
	}
	kevent_batch_end(&b);
}

static bool fire_batch_cmd(struct kevent_irq_batch *b)
{
	fire_batch();
	return true;
}

/* One fire of the command in progress, from timer context. */
static bool fire_cmd(struct kevent_irq_batch *b)
{
	fire_one(cmd.ts, cmd.event, cmd.value);
	return true;
}

static int parse_storage(unsigned int idx, struct kevent_test_storage **ts)
{
	if (idx >= nr_storages)
		return -EINVAL;
	*ts = &storages[idx];
	return 0;
}

/* A command written to one of our files, NUL-terminated, into @buf. */
static int copy_cmd(char *buf, size_t size, const char __user *ubuf,
		    size_t len)
{
	if (len >= size)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	return 0;
}

static ssize_t fire_write(struct file *file, const char __user *ubuf,
			  size_t len, loff_t *ppos)
{
	struct kevent_test_storage *ts;
	char buf[96], ctx[16];
	unsigned int idx, event;
	unsigned long long count, value;
	int err;

	err = copy_cmd(buf, sizeof(buf), ubuf, len);
	if (err)
		return err;
	if (sscanf(buf, "%u %i %llu %15s %llu", &idx, &event, &count, ctx,
		   &value) != 5)
		return -EINVAL;
	err = parse_storage(idx, &ts);
	if (err)
		return err;

	if (!strcmp(ctx, "process")) {
		while (count--) {
			fire_one(ts, event, value);
			cond_resched();
		}
		return len;
	}
	if (strcmp(ctx, "softirq") && strcmp(ctx, "hardirq"))
		return -EINVAL;
	if (!count)
		return len;

	mutex_lock(&fire_mutex);
	cmd.ts = ts;
	cmd.event = event;
	cmd.value = value;
	if (ctx[0] == 'h')
		kevent_irq_batch_run(&cmd.hardirq, count,
				     KEVENT_TEST_HARDIRQ_GAP_NS);
	else
		kevent_irq_batch_run(&cmd.softirq, count,
				     KEVENT_TEST_SOFTIRQ_GAP_NS);
	mutex_unlock(&fire_mutex);
	return len;
}

static ssize_t batch_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	unsigned int idx[KEVENT_TEST_BATCH_MAX], nr = 0, event;
	unsigned long long value;
	char buf[512], ctx[16], *p, *tok;
	struct kevent_test_storage *ts;
	int err, used;

	err = copy_cmd(buf, sizeof(buf), ubuf, len);
	if (err)
		return err;
	if (sscanf(buf, "%i %llu %15s %n", &event, &value, ctx, &used) != 3)
		return -EINVAL;
	if (strcmp(ctx, "process") && strcmp(ctx, "hardirq"))
		return -EINVAL;
	p = buf + used;
	while ((tok = strsep(&p, "\n "))) {
		if (!*tok)
			continue;
		if (nr == KEVENT_TEST_BATCH_MAX || kstrtouint(tok, 10, &idx[nr]))
			return -EINVAL;
		err = parse_storage(idx[nr++], &ts);
		if (err)
			return err;
	}
	if (!nr)
		return -EINVAL;

	mutex_lock(&fire_mutex);
	cmd.event = event;
	cmd.value = value;
	cmd.batch_nr = nr;
	memcpy(cmd.batch_idx, idx, nr * sizeof(idx[0]));
	if (ctx[0] == 'h')
		kevent_irq_batch_run(&cmd.batch_irq, 1, 0);
	else
		fire_batch();
	mutex_unlock(&fire_mutex);
	return len;
}

static ssize_t level_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	struct kevent_test_storage *ts;
	unsigned int idx, mask;
	char buf[48];
	int err;

	err = copy_cmd(buf, sizeof(buf), ubuf, len);
	if (err)
		return err;
	if (sscanf(buf, "%u %i", &idx, &mask) != 2)
		return -EINVAL;
	err = parse_storage(idx, &ts);
	if (err)
		return err;
	WRITE_ONCE(ts->level, mask);
	return len;
}

static ssize_t callback_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	struct kevent_test_storage *ts;
	unsigned int idx;
	char buf[48];
	int err, ret;

	err = copy_cmd(buf, sizeof(buf), ubuf, len);
	if (err)
		return err;
	if (sscanf(buf, "%u %d", &idx, &ret) != 2 || ret > 1 ||
	    ret < -MAX_ERRNO)
		return -EINVAL;
	err = parse_storage(idx, &ts);
	if (err)
		return err;
	WRITE_ONCE(ts->cb_ret, ret);
	return len;
}

static ssize_t fini_write(struct file *file, const char __user *ubuf,
			  size_t len, loff_t *ppos)
{
	struct kevent_test_storage *ts;
	unsigned int idx;
	int err;

	err = kstrtouint_from_user(ubuf, len, 0, &idx);
	if (err)
		return err;
	err = parse_storage(idx, &ts);
	if (err)
		return err;
	/* Leaves the storage empty and usable: new requests may attach. */
	kevent_storage_fini(&ts->st);
	return len;
}

static int stats_show(struct seq_file *m, void *v)
{
	unsigned int i;

	seq_printf(m, "fired %lld\nmarked %lld\n",
		   (long long)atomic64_read(&total_fired),
		   (long long)atomic64_read(&total_marked));
	/* Per storage: fires so far (its sequence) and requests marked. */
	for (i = 0; i < nr_storages; i++)
		seq_printf(m, "storage %u fired %lld marked %lld\n", i,
			   (long long)atomic64_read(&storages[i].seq),
			   (long long)atomic64_read(&storages[i].marked));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static const struct file_operations fire_fops = {
	.owner = THIS_MODULE,
	.write = fire_write,
};

static const struct file_operations batch_fops = {
	.owner = THIS_MODULE,
	.write = batch_write,
};

static const struct file_operations level_fops = {
	.owner = THIS_MODULE,
	.write = level_write,
};

static const struct file_operations callback_fops = {
	.owner = THIS_MODULE,
	.write = callback_write,
};

static const struct file_operations fini_fops = {
	.owner = THIS_MODULE,
	.write = fini_write,
};

static int enqueue(struct kevent *k)
{
	struct kevent_test_storage *ts;
	u32 level;
	int err;

	/* A test source: only root may attach to it (security.rst). */
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (k->event.param > U32_MAX)
		return -EINVAL;
	err = parse_storage(k->event.param, &ts);
	if (err)
		return err;
	/*
	 * ret_data first: once attached, fires write it under the storage
	 * lock, which we do not hold.
	 */
	level = READ_ONCE(ts->level);
	if (level & k->event.event) {
		k->event.ret_data[0] = 0;
		k->event.ret_data[1] = level;
	}
	kevent_storage_enqueue(&ts->st, k);
	return (level & k->event.event) ? 1 : 0;
}

static int callback(struct kevent *k, u32 event, void *data)
{
	struct kevent_test_storage *ts = &storages[k->event.param];
	struct kevent_test_fire *f = data;
	int ret = READ_ONCE(ts->cb_ret);

	if (ret <= 0)
		return ret;
	k->event.ret_data[0] = f->seq;
	k->event.ret_data[1] = f->value;
	return 1;
}

static const struct kevent_callbacks callbacks = {
	.owner = THIS_MODULE,
	.enqueue = enqueue,
	.callback = callback,
};

static int __init kevent_test_init(void)
{
	unsigned int i;
	int err;

	if (!nr_storages)
		return -EINVAL;
	storages = kcalloc(nr_storages, sizeof(*storages), GFP_KERNEL);
	if (!storages)
		return -ENOMEM;
	for (i = 0; i < nr_storages; i++) {
		kevent_storage_init(&storages[i], &storages[i].st);
		storages[i].cb_ret = 1;
	}
	kevent_irq_batch_init(&cmd.hardirq, fire_cmd,
			      HRTIMER_MODE_REL_HARD, KEVENT_TEST_BATCH);
	kevent_irq_batch_init(&cmd.softirq, fire_cmd,
			      HRTIMER_MODE_REL_SOFT, KEVENT_TEST_BATCH);
	kevent_irq_batch_init(&cmd.batch_irq, fire_batch_cmd,
			      HRTIMER_MODE_REL_HARD, 1);

	debugfs_dir = debugfs_create_dir(KEVENT_TEST_DEBUGFS, NULL);
	debugfs_create_file("fire", 0200, debugfs_dir, NULL, &fire_fops);
	debugfs_create_file("batch", 0200, debugfs_dir, NULL, &batch_fops);
	debugfs_create_file("level", 0200, debugfs_dir, NULL, &level_fops);
	debugfs_create_file("fini", 0200, debugfs_dir, NULL, &fini_fops);
	debugfs_create_file("callback", 0200, debugfs_dir, NULL, &callback_fops);
	debugfs_create_file("stats", 0444, debugfs_dir, NULL, &stats_fops);

	err = kevent_add_callbacks(&callbacks, KEVENT_TEST_TYPE);
	if (err)
		goto err_debugfs;
	return 0;

err_debugfs:
	debugfs_remove_recursive(debugfs_dir);
	kfree(storages);
	return err;
}

static void __exit kevent_test_exit(void)
{
	unsigned int i;

	/* Our requests pin this module: none can exist now. */
	WARN_ON(kevent_remove_callbacks(KEVENT_TEST_TYPE));
	debugfs_remove_recursive(debugfs_dir);
	kevent_irq_batch_cancel(&cmd.hardirq);
	kevent_irq_batch_cancel(&cmd.softirq);
	kevent_irq_batch_cancel(&cmd.batch_irq);
	for (i = 0; i < nr_storages; i++)
		kevent_storage_fini(&storages[i].st);
	kfree(storages);
}

module_init(kevent_test_init);
module_exit(kevent_test_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kevent test event source, for the selftests");
MODULE_AUTHOR("The kevent developers");
