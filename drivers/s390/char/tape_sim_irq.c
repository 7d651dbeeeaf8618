// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated channel interrupt: every report of a simulated tape is made
 * from an hrtimer that expires in hardirq context, as a real tape driver
 * reports from its interrupt handler, through kevent_s390_log_notify().
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
#define KEVENT_TAPE_SIM_BATCH	64
#define KEVENT_TAPE_SIM_GAP_NS	(10 * NSEC_PER_USEC)

/* Serialises commands; protects cmd and every device's report state. */
static DEFINE_MUTEX(fire_mutex);

/**
 * struct kevent_tape_sim_cmd - the command the timer is running
 * @irq: the hardirq timer that makes the reports
 * @dev: the device reporting
 * @event: the event bit to report, or 0 for a burst of alternating loads
 *	and unloads
 * @nr: reports made
 * @len: bytes of @payload
 * @payload: what each report carries (bursts build their own)
 */
struct kevent_tape_sim_cmd {
	struct kevent_irq_batch irq;
	struct kevent_tape_sim_dev *dev;
	u32 event;
	unsigned int nr;
	size_t len;
	char payload[KEVENT_TAPE_SIM_PAYLOAD_MAX];
};

static struct kevent_tape_sim_cmd cmd;

static bool report_one(struct kevent_irq_batch *b)
{
	struct kevent_tape_sim_dev *d = cmd.dev;
	u32 event = cmd.event;
	char burst[24];
	u64 seq;

	if (event) {
		seq = kevent_s390_log_notify(event, d->devid, cmd.payload,
					     cmd.len);
	} else {
		event = cmd.nr & 1 ? KEVENT_S390_TAPE_UNLOADED :
				     KEVENT_S390_TAPE_LOADED;
		seq = kevent_s390_log_notify(event, d->devid, burst,
					     scnprintf(burst, sizeof(burst),
						       "burst %u", cmd.nr));
	}
	if (event == KEVENT_S390_TAPE_LOADED)
		d->state = KEVENT_TAPE_SIM_LOADED;
	else if (event == KEVENT_S390_TAPE_UNLOADED)
		d->state = KEVENT_TAPE_SIM_UNLOADED;
	d->last_seq = seq;
	cmd.nr++;
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

/* @count loads and unloads of @d, alternating, from hardirq context. */
int kevent_tape_sim_burst(struct kevent_tape_sim_dev *d, unsigned int count)
{
	int err = 0;

	mutex_lock(&fire_mutex);
	if (d->gone) {
		err = -ENODEV;
		goto out;
	}
	cmd.dev = d;
	cmd.event = 0;
	kevent_tape_sim_run(count);
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
}

void kevent_tape_sim_irq_exit(void)
{
	/* Every command waited for its timer: this only makes sure. */
	kevent_irq_batch_cancel(&cmd.irq);
}
