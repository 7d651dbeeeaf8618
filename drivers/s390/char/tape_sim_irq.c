// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated channel interrupt: every report of a simulated tape is made
 * from an hrtimer that expires in hardirq context, as a real tape driver
 * reports from its interrupt handler, through kevent_s390_log_notify().  A
 * burst is reported 64 at a time, with kevent_s390_log_notify_batch(), as
 * an interrupt that completes many operations would.
 *
 * One command runs at a time, under fire_mutex; its issuer sleeps until the
 * timer has made every report, so a sysfs write returns after its events
 * have been notified.
 */
#include <linux/kevent_irq_batch.h>
#include <linux/kevent_s390_log.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/string.h>

#include "tape_sim.h"

/* Reports per timer expiry, so that no interrupt runs for long. */
#define KEVENT_TAPE_SIM_BATCH	KEVENT_S390_LOG_BATCH_MAX
#define KEVENT_TAPE_SIM_GAP_NS	(10 * NSEC_PER_USEC)

/* Serialises commands; protects cmd and every device's report state. */
static DEFINE_MUTEX(fire_mutex);

/**
 * struct kevent_tape_sim_cmd - the command the timer is running
 * @irq: the hardirq timer that makes single reports
 * @burst_irq: the hardirq timer that makes a burst's batches
 * @dev: the device reporting
 * @event: the event bit of a single report
 * @nr: reports made
 * @left: reports of the burst still to make
 * @len: bytes of @payload
 * @payload: what each report carries (bursts build their own)
 * @burst: a batch of a burst's reports
 * @burst_payload: their payloads
 */
struct kevent_tape_sim_cmd {
	struct kevent_irq_batch irq;
	struct kevent_irq_batch burst_irq;
	struct kevent_tape_sim_dev *dev;
	u32 event;
	unsigned int nr;
	unsigned int left;
	size_t len;
	char payload[KEVENT_TAPE_SIM_PAYLOAD_MAX];
	struct kevent_s390_log_report burst[KEVENT_TAPE_SIM_BATCH];
	char burst_payload[KEVENT_TAPE_SIM_BATCH][24];
};

static struct kevent_tape_sim_cmd cmd;

/* Where @d stands after reporting @event as @seq. */
static void track(struct kevent_tape_sim_dev *d, u32 event, u64 seq)
{
	if (event == KEVENT_S390_TAPE_LOADED)
		d->state = KEVENT_TAPE_SIM_LOADED;
	else if (event == KEVENT_S390_TAPE_UNLOADED)
		d->state = KEVENT_TAPE_SIM_UNLOADED;
	d->last_seq = seq;
}

static bool report_one(struct kevent_irq_batch *b)
{
	struct kevent_tape_sim_dev *d = cmd.dev;

	track(d, cmd.event, kevent_s390_log_notify(cmd.event, d->devid,
						   cmd.payload, cmd.len));
	cmd.nr++;
	return true;
}

/* The next batch of a burst: loads and unloads, alternating. */
static bool report_batch(struct kevent_irq_batch *b)
{
	struct kevent_tape_sim_dev *d = cmd.dev;
	unsigned int i, n = min(cmd.left, KEVENT_TAPE_SIM_BATCH);
	struct kevent_s390_log_report *r;
	u64 first;

	for (i = 0; i < n; i++) {
		r = &cmd.burst[i];
		r->event = (cmd.nr + i) & 1 ? KEVENT_S390_TAPE_UNLOADED :
					      KEVENT_S390_TAPE_LOADED;
		r->devid = d->devid;
		r->payload = cmd.burst_payload[i];
		r->len = scnprintf(cmd.burst_payload[i],
				   sizeof(cmd.burst_payload[i]), "burst %u",
				   cmd.nr + i);
	}
	first = kevent_s390_log_notify_batch(cmd.burst, n);
	track(d, cmd.burst[n - 1].event, first ? first + n - 1 : 0);
	cmd.nr += n;
	cmd.left -= n;
	return true;
}

/* Run the command set up in cmd from hardirq context and wait for it. */
static void kevent_tape_sim_run(unsigned int count)
{
	lockdep_assert_held(&fire_mutex);

	cmd.nr = 0;
	kevent_irq_batch_run(&cmd.irq, count, KEVENT_TAPE_SIM_GAP_NS);
}

/*
 * Report @event of @d with @payload from hardirq context; return once it
 * has been notified.  0, or -ENODEV when @d was removed.  Context: process.
 */
int kevent_tape_sim_report(struct kevent_tape_sim_dev *d, u32 event,
			   const void *payload, size_t len)
{
	int err = 0;

	if (WARN_ON_ONCE(!event || len > sizeof(cmd.payload)))
		return -EINVAL;
	mutex_lock(&fire_mutex);
	if (d->gone) {
		err = -ENODEV;
		goto out;
	}
	cmd.dev = d;
	cmd.event = event;
	cmd.len = len;
	memcpy(cmd.payload, payload, len);
	kevent_tape_sim_run(1);
out:
	mutex_unlock(&fire_mutex);
	return err;
}

/*
 * @count loads and unloads of @d, alternating, from hardirq context, in
 * batches.
 */
int kevent_tape_sim_burst(struct kevent_tape_sim_dev *d, unsigned int count)
{
	int err = 0;

	mutex_lock(&fire_mutex);
	if (d->gone) {
		err = -ENODEV;
		goto out;
	}
	cmd.dev = d;
	cmd.nr = 0;
	cmd.left = count;
	kevent_irq_batch_run(&cmd.burst_irq,
			     DIV_ROUND_UP(count, KEVENT_TAPE_SIM_BATCH),
			     KEVENT_TAPE_SIM_GAP_NS);
out:
	mutex_unlock(&fire_mutex);
	return err;
}

/*
 * Report the removal of @d and silence it: reports that wait for the mutex
 * see it gone.  The caller then lets go of its requests.
 */
void kevent_tape_sim_retire(struct kevent_tape_sim_dev *d)
{
	static const char payload[] = "removed";

	mutex_lock(&fire_mutex);
	if (!d->gone) {
		cmd.dev = d;
		cmd.event = KEVENT_S390_DEVICE_REMOVED;
		cmd.len = sizeof(payload) - 1;
		memcpy(cmd.payload, payload, cmd.len);
		kevent_tape_sim_run(1);
		d->gone = true;
	}
	mutex_unlock(&fire_mutex);
}

/* @d's medium state and the sequence number of its last report. */
void kevent_tape_sim_status(struct kevent_tape_sim_dev *d,
			    enum kevent_tape_sim_state *state, u64 *last_seq)
{
	mutex_lock(&fire_mutex);
	*state = d->state;
	*last_seq = d->last_seq;
	mutex_unlock(&fire_mutex);
}

void kevent_tape_sim_irq_init(void)
{
	kevent_irq_batch_init(&cmd.irq, report_one, HRTIMER_MODE_REL_HARD,
			      KEVENT_TAPE_SIM_BATCH);
	kevent_irq_batch_init(&cmd.burst_irq, report_batch,
			      HRTIMER_MODE_REL_HARD, 1);
}

void kevent_tape_sim_irq_exit(void)
{
	/* Every command waited for its timer: this only makes sure. */
	kevent_irq_batch_cancel(&cmd.irq);
	kevent_irq_batch_cancel(&cmd.burst_irq);
}
