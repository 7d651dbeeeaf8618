/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kevent_tape_sim.ko: simulated tape drives that report to the kevent s390
 * log the way a channel driver does, from hardirq context.
 *
 * Files, one concern each:
 *   tape_sim_main.c   the device list, hot add and remove, module init/exit
 *   tape_sim_sysfs.c  /sys/kernel/kevent_tape_sim/
 *   tape_sim_irq.c    the "channel interrupt": notifies from an hrtimer
 */
#ifndef _KEVENT_TAPE_SIM_H
#define _KEVENT_TAPE_SIM_H

#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/types.h>

/* Largest payload a sysfs write may carry (the log keeps 64 bytes). */
#define KEVENT_TAPE_SIM_PAYLOAD_MAX	256

/* Medium states, as the state attribute shows them. */
enum kevent_tape_sim_state {
	KEVENT_TAPE_SIM_UNKNOWN,
	KEVENT_TAPE_SIM_LOADED,
	KEVENT_TAPE_SIM_UNLOADED,
};

/**
 * struct kevent_tape_sim_dev - one simulated tape drive
 * @kobj: /sys/kernel/kevent_tape_sim/<bus id>/
 * @node: in the device list, under the list mutex (tape_sim_main.c)
 * @devid: the bus id as a KEVENT_S390_DEVID()
 * @gone: removed: reports nothing more.  Under the fire mutex.
 * @state: medium state after the last report.  Under the fire mutex.
 * @last_seq: sequence number of the last report.  Under the fire mutex.
 */
struct kevent_tape_sim_dev {
	struct kobject kobj;
	struct list_head node;
	u32 devid;
	bool gone;
	enum kevent_tape_sim_state state;
	u64 last_seq;
};

static inline struct kevent_tape_sim_dev *kevent_tape_sim_dev(struct kobject *kobj)
{
	return container_of(kobj, struct kevent_tape_sim_dev, kobj);
}

/* tape_sim_main.c */
int kevent_tape_sim_add(u32 devid);
int kevent_tape_sim_remove(u32 devid);
ssize_t kevent_tape_sim_list(char *buf);
int kevent_tape_sim_parse_busid(const char *buf, u32 *devid);

/* tape_sim_sysfs.c */
extern const struct kobj_type kevent_tape_sim_dev_ktype;
int kevent_tape_sim_sysfs_init(void);
void kevent_tape_sim_sysfs_exit(void);
struct kobject *kevent_tape_sim_kobj(void);

/* tape_sim_irq.c */
void kevent_tape_sim_irq_init(void);
void kevent_tape_sim_irq_exit(void);
int kevent_tape_sim_report(struct kevent_tape_sim_dev *d, u32 event,
			   const void *payload, size_t len);
int kevent_tape_sim_burst(struct kevent_tape_sim_dev *d, unsigned int count);
void kevent_tape_sim_retire(struct kevent_tape_sim_dev *d);
void kevent_tape_sim_status(struct kevent_tape_sim_dev *d,
			    enum kevent_tape_sim_state *state, u64 *last_seq);

#endif /* _KEVENT_TAPE_SIM_H */
