// SPDX-License-Identifier: GPL-2.0
/*
 * The bench request type: nr_storages storages, param picks one, and a fire
 * writes its sequence number and timestamp to ret_data.  Also the one place
 * that fires an event through any of the mechanisms compared.
 */
#include <linux/eventfd.h>
#include <linux/irqflags.h>
#include <linux/kevent.h>
#include <linux/kevent_s390_log.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/slab.h>

#include "internal.h"
#include "kevent_bench_insn.h"

unsigned int kevent_bench_nr_storages = 65536;
module_param_named(nr_storages, kevent_bench_nr_storages, uint, 0444);
MODULE_PARM_DESC(nr_storages, "Number of bench storages (default 65536)");

#define STORAGES_MAX		BIT(22)

static struct kevent_storage *storages;

/**
 * struct fire_data - what a bench fire passes to its requests
 * @seq: the event's sequence number
 * @ns: ktime_get_ns() taken just before the notify, or 0
 */
struct fire_data {
	u64 seq;
	u64 ns;
};

static int enqueue(struct kevent *k)
{
	if (k->event.param >= kevent_bench_nr_storages)
		return -EINVAL;
	return kevent_storage_enqueue(&storages[k->event.param], k);
}

static int callback(struct kevent *k, u32 event, void *data)
{
	const struct fire_data *f = data;

	k->event.ret_data[0] = f->seq;
	k->event.ret_data[1] = f->ns;
	return 1;
}

static const struct kevent_callbacks callbacks = {
	.owner = THIS_MODULE,
	.events = KEVENT_BENCH_EVENT,
	.enqueue = enqueue,
	.callback = callback,
};

static int fire(u32 mech, u32 idx, u64 seq, u64 ns, struct eventfd_ctx *efd)
{
	struct fire_data f = { .seq = seq, .ns = ns };
	u64 payload[2] = { seq, ns };

	switch (mech) {
	case KEVENT_BENCH_M_KEVENT:
		kevent_storage_ready_data(&storages[idx], NULL,
					  KEVENT_BENCH_EVENT, &f);
		return 0;
	case KEVENT_BENCH_M_S390_LOG:
		BUILD_BUG_ON(sizeof(payload) != KEVENT_BENCH_S390_PAYLOAD);
		return kevent_s390_log_notify(KEVENT_S390_TAPE_LOADED,
					      kevent_bench_devid(idx), payload,
					      sizeof(payload)) ? 0 : -EINVAL;
	case KEVENT_BENCH_M_GENL:
		return kevent_bench_genl_send(seq, ns,
					      in_task() ? GFP_KERNEL : GFP_ATOMIC);
	case KEVENT_BENCH_M_UEVENT:
		return kevent_bench_uevent_send(seq, ns);
	case KEVENT_BENCH_M_EVENTFD:
		kevent_bench_eventfd_send(efd);
		return 0;
	}
	return -EINVAL;
}

/*
 * May @mech's notify be made in any context, hardirq and interrupts off
 * included?  Genetlink and uevents allocate and may sleep.
 */
bool kevent_bench_any_context(u32 mech)
{
	return mech == KEVENT_BENCH_M_KEVENT || mech == KEVENT_BENCH_M_S390_LOG ||
	       mech == KEVENT_BENCH_M_EVENTFD;
}

/*
 * Fire event @seq at storage or device number @idx through @mech; @efd is
 * the eventfd of KEVENT_BENCH_M_EVENTFD.  Returns 0 or a negative errno.
 * The markers around the notify let the instruction-count pass of `make
 * bench` count what it executes, and nothing else (kevent_bench_insn.h):
 * for the notifies allowed in any context, interrupts are off between
 * them, so that no interrupt (a tick, softirqs on its exit) is counted as
 * the notify's.  Genetlink and uevents may sleep and keep them on.
 * Context: process, or hardirq for the mechanisms the producer allows there.
 */
int kevent_bench_fire(u32 mech, u32 idx, u64 seq, u64 ns,
		      struct eventfd_ctx *efd)
{
	unsigned long flags = 0;
	bool irq_off = kevent_bench_any_context(mech);
	int ret;

	if (irq_off)
		local_irq_save(flags);
	kevent_bench_insn_mark(KEVENT_BENCH_INSN_ACC_BEGIN);
	ret = fire(mech, idx, seq, ns, efd);
	kevent_bench_insn_mark(KEVENT_BENCH_INSN_ACC_END);
	if (irq_off)
		local_irq_restore(flags);
	return ret;
}

/* One batch's reports and payloads, per CPU: burst threads are bound. */
struct batch_buf {
	struct kevent_s390_log_report r[KEVENT_BENCH_BATCH_MAX];
	u64 payload[KEVENT_BENCH_BATCH_MAX][2];
};

static DEFINE_PER_CPU(struct batch_buf, batch_bufs);

static int fire_batch(u32 mech, u32 idx, u32 n, u64 seq)
{
	struct fire_data f = { .seq = seq };
	struct kevent_batch b;
	struct batch_buf *buf;
	u32 i;
	u64 first;

	if (mech == KEVENT_BENCH_M_KEVENT) {
		kevent_batch_begin(&b);
		for (i = 0; i < n; i++, f.seq++)
			kevent_batch_ready(&b, &storages[idx + i], NULL,
					   KEVENT_BENCH_EVENT, &f);
		kevent_batch_end(&b);
		return 0;
	}
	if (mech != KEVENT_BENCH_M_S390_LOG)
		return -EINVAL;
	buf = get_cpu_ptr(&batch_bufs);
	for (i = 0; i < n; i++) {
		buf->payload[i][0] = seq + i;
		buf->payload[i][1] = 0;
		buf->r[i].event = KEVENT_S390_TAPE_LOADED;
		buf->r[i].devid = kevent_bench_devid(idx + i);
		buf->r[i].payload = buf->payload[i];
		buf->r[i].len = sizeof(buf->payload[i]);
	}
	first = kevent_s390_log_notify_batch(buf->r, n);
	put_cpu_ptr(&batch_bufs);
	return first ? 0 : -EINVAL;
}

/*
 * Fire @n events, @seq on, at storages or devices @idx to @idx + @n - 1 in
 * one batch (kevent_batch or kevent_s390_log_notify_batch()), @n at most
 * KEVENT_BENCH_BATCH_MAX.  The markers count the batch as one call.
 * Context: process.
 */
int kevent_bench_fire_batch(u32 mech, u32 idx, u32 n, u64 seq)
{
	unsigned long flags;
	int ret;

	/* As in kevent_bench_fire(): both batches are for any context. */
	local_irq_save(flags);
	kevent_bench_insn_mark(KEVENT_BENCH_INSN_ACC_BEGIN);
	ret = fire_batch(mech, idx, n, seq);
	kevent_bench_insn_mark(KEVENT_BENCH_INSN_ACC_END);
	local_irq_restore(flags);
	return ret;
}

int kevent_bench_source_init(void)
{
	unsigned int i;

	if (!kevent_bench_nr_storages || kevent_bench_nr_storages > STORAGES_MAX)
		return -EINVAL;
	storages = kvcalloc(kevent_bench_nr_storages, sizeof(*storages),
			    GFP_KERNEL);
	if (!storages)
		return -ENOMEM;
	for (i = 0; i < kevent_bench_nr_storages; i++)
		kevent_storage_init(NULL, &storages[i]);
	return 0;
}

void kevent_bench_source_exit(void)
{
	unsigned int i;

	/*
	 * Requests pin this module, so none is attached now; finishing empty
	 * storages would only wait one grace period each.
	 */
	for (i = 0; i < kevent_bench_nr_storages; i++)
		if (!list_empty_careful(&storages[i].list))
			kevent_storage_fini(&storages[i]);
	kvfree(storages);
}

/*
 * Provide the request type.  A request pins this module from the moment it
 * is added, before init returns, and a module whose init fails is freed
 * regardless: so init does this last.
 */
int kevent_bench_source_register(void)
{
	return kevent_add_callbacks(&callbacks, KEVENT_BENCH_TYPE);
}

void kevent_bench_source_unregister(void)
{
	/* Our requests pin this module: none can exist now. */
	WARN_ON(kevent_remove_callbacks(KEVENT_BENCH_TYPE));
}
