// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/kevent_tape_sim/: the operator's panel of the simulated tapes.
 *
 *   add, remove         write a bus id (0.0.0190) to hot add or remove a tape
 *   devices             the bus ids of the tapes, one per line
 *   notify              write "EVENT DEVID [PAYLOAD]": a raw notify from
 *                       process context, to test its argument checks
 *   notify_batch        write such lines, one per report: one
 *                       kevent_s390_log_notify_batch() of them
 *   <bus id>/load       write a volume label: a cartridge is mounted
 *   <bus id>/unload     write anything: the cartridge is unloaded
 *   <bus id>/error      write sense data: a unit check
 *   <bus id>/intervention  write a message: intervention required
 *   <bus id>/burst      write N: N loads and unloads, alternating
 *   <bus id>/state      loaded, unloaded or unknown
 *   <bus id>/seq        sequence number of the tape's last report
 *
 * What is written (without a trailing newline) is the report's payload.
 * Every write returns after its reports have been notified.
 */
#include <linux/kernel.h>
#include <linux/kevent_s390_log.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "tape_sim.h"

/* Longest burst one write may ask for. */
#define KEVENT_TAPE_SIM_BURST_MAX	1000000U

static struct kobject *top_kobj;

struct kobject *kevent_tape_sim_kobj(void)
{
	return top_kobj;
}

/* Report @event with what was written as the payload. */
static ssize_t kevent_tape_sim_store_event(struct kobject *kobj, u32 event,
					   const char *buf, size_t count)
{
	size_t len = count;
	int err;

	if (len && buf[len - 1] == '\n')
		len--;
	if (len > KEVENT_TAPE_SIM_PAYLOAD_MAX)
		return -EINVAL;
	err = kevent_tape_sim_report(kevent_tape_sim_dev(kobj), event, buf,
				     len);
	return err ? err : count;
}

static ssize_t load_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count)
{
	return kevent_tape_sim_store_event(kobj, KEVENT_S390_TAPE_LOADED, buf,
					   count);
}

static ssize_t unload_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	return kevent_tape_sim_store_event(kobj, KEVENT_S390_TAPE_UNLOADED,
					   buf, count);
}

static ssize_t error_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	return kevent_tape_sim_store_event(kobj, KEVENT_S390_TAPE_ERROR, buf,
					   count);
}

static ssize_t intervention_store(struct kobject *kobj,
				  struct kobj_attribute *attr,
				  const char *buf, size_t count)
{
	return kevent_tape_sim_store_event(kobj, KEVENT_S390_TAPE_INTERVENTION,
					   buf, count);
}

static ssize_t burst_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	unsigned int n;
	int err;

	err = kstrtouint(buf, 0, &n);
	if (err)
		return err;
	if (!n || n > KEVENT_TAPE_SIM_BURST_MAX)
		return -EINVAL;
	err = kevent_tape_sim_burst(kevent_tape_sim_dev(kobj), n);
	return err ? err : count;
}

static ssize_t state_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	static const char * const names[] = {
		[KEVENT_TAPE_SIM_UNKNOWN] = "unknown",
		[KEVENT_TAPE_SIM_LOADED] = "loaded",
		[KEVENT_TAPE_SIM_UNLOADED] = "unloaded",
	};
	enum kevent_tape_sim_state state;
	u64 seq;

	kevent_tape_sim_status(kevent_tape_sim_dev(kobj), &state, &seq);
	return sysfs_emit(buf, "%s\n", names[state]);
}

static ssize_t seq_show(struct kobject *kobj, struct kobj_attribute *attr,
			char *buf)
{
	enum kevent_tape_sim_state state;
	u64 seq;

	kevent_tape_sim_status(kevent_tape_sim_dev(kobj), &state, &seq);
	return sysfs_emit(buf, "%llu\n", seq);
}

static struct kobj_attribute load_attr = __ATTR_WO(load);
static struct kobj_attribute unload_attr = __ATTR_WO(unload);
static struct kobj_attribute error_attr = __ATTR_WO(error);
static struct kobj_attribute intervention_attr = __ATTR_WO(intervention);
static struct kobj_attribute burst_attr = __ATTR_WO(burst);
static struct kobj_attribute state_attr = __ATTR_RO(state);
static struct kobj_attribute seq_attr = __ATTR_RO(seq);

static struct attribute *kevent_tape_sim_dev_attrs[] = {
	&load_attr.attr,
	&unload_attr.attr,
	&error_attr.attr,
	&intervention_attr.attr,
	&burst_attr.attr,
	&state_attr.attr,
	&seq_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(kevent_tape_sim_dev);

static void kevent_tape_sim_dev_release(struct kobject *kobj)
{
	kfree(kevent_tape_sim_dev(kobj));
}

const struct kobj_type kevent_tape_sim_dev_ktype = {
	.release = kevent_tape_sim_dev_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = kevent_tape_sim_dev_groups,
};

static ssize_t add_store(struct kobject *kobj, struct kobj_attribute *attr,
			 const char *buf, size_t count)
{
	u32 devid;
	int err;

	err = kevent_tape_sim_parse_busid(buf, &devid);
	if (!err)
		err = kevent_tape_sim_add(devid);
	return err ? err : count;
}

static ssize_t remove_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	u32 devid;
	int err;

	err = kevent_tape_sim_parse_busid(buf, &devid);
	if (!err)
		err = kevent_tape_sim_remove(devid);
	return err ? err : count;
}

static ssize_t devices_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return kevent_tape_sim_list(buf);
}

/*
 * "EVENT DEVID [PAYLOAD]" at @p into @r, the payload up to the end of its
 * line.  Returns where DEVID ends, or -EINVAL.
 */
static int parse_report(const char *p, struct kevent_s390_log_report *r)
{
	unsigned int event, devid;
	int off = 0;

	if (sscanf(p, "%i %i%n", &event, &devid, &off) != 2)
		return -EINVAL;
	r->event = event;
	r->devid = devid;
	r->payload = NULL;
	r->len = 0;
	if (p[off] == ' ') {
		r->payload = p + off + 1;
		r->len = strcspn(r->payload, "\n");
	}
	return off;
}

/* EINVAL when the log refuses the arguments. */
static ssize_t notify_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	struct kevent_s390_log_report r;

	if (parse_report(buf, &r) < 0 ||
	    !kevent_s390_log_notify(r.event, r.devid, r.payload, r.len))
		return -EINVAL;
	return count;
}

/*
 * One "EVENT DEVID [PAYLOAD]" line per report, up to one more than the log
 * takes, so that its limit can be tested.  EINVAL when the log refuses.
 */
static ssize_t notify_batch_store(struct kobject *kobj,
				  struct kobj_attribute *attr,
				  const char *buf, size_t count)
{
	struct kevent_s390_log_report *r;
	const char *p = buf, *end = buf + count;
	unsigned int nr = 0;
	ssize_t ret = count;
	size_t line;
	int off;

	r = kcalloc(KEVENT_S390_LOG_BATCH_MAX + 1, sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	for (; p < end; p += line + 1) {
		line = strcspn(p, "\n");
		if (!line)
			continue;
		/* DEVID past the line's end: sscanf() read the next line. */
		off = nr > KEVENT_S390_LOG_BATCH_MAX ? -EINVAL :
			parse_report(p, &r[nr]);
		if (off < 0 || off > line) {
			ret = -EINVAL;
			goto out;
		}
		nr++;
	}
	if (!kevent_s390_log_notify_batch(r, nr))
		ret = -EINVAL;
out:
	kfree(r);
	return ret;
}

static struct kobj_attribute add_attr = __ATTR_WO(add);
static struct kobj_attribute remove_attr = __ATTR_WO(remove);
static struct kobj_attribute devices_attr = __ATTR_RO(devices);
static struct kobj_attribute notify_attr = __ATTR_WO(notify);
static struct kobj_attribute notify_batch_attr = __ATTR_WO(notify_batch);

static struct attribute *kevent_tape_sim_top_attrs[] = {
	&add_attr.attr,
	&remove_attr.attr,
	&devices_attr.attr,
	&notify_attr.attr,
	&notify_batch_attr.attr,
	NULL,
};

static const struct attribute_group kevent_tape_sim_top_group = {
	.attrs = kevent_tape_sim_top_attrs,
};

int kevent_tape_sim_sysfs_init(void)
{
	int err;

	top_kobj = kobject_create_and_add("kevent_tape_sim", kernel_kobj);
	if (!top_kobj)
		return -ENOMEM;
	err = sysfs_create_group(top_kobj, &kevent_tape_sim_top_group);
	if (err)
		goto err_kobj;
	return 0;

err_kobj:
	kobject_put(top_kobj);
	return err;
}

void kevent_tape_sim_sysfs_exit(void)
{
	sysfs_remove_group(top_kobj, &kevent_tape_sim_top_group);
	kobject_put(top_kobj);
}
