// SPDX-License-Identifier: GPL-2.0
/*
 * kevent_tape_sim: simulated tape drives with CCW-style bus ids, for tests
 * and demonstrations of the kevent s390 log.  The device list, hot add and
 * remove, module init and exit.
 *
 * A device is announced with KEVENT_S390_DEVICE_ADDED.  On removal it
 * reports KEVENT_S390_DEVICE_REMOVED and then releases its requests with
 * kevent_s390_log_device_remove(), as a real driver's remove callback
 * does; requests that named it come back broken.  Unloading the module
 * removes every device.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/kevent_s390_log.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "tape_sim.h"

#define KEVENT_TAPE_SIM_DEVICES_MAX	256

static unsigned int devices = 2;
module_param(devices, uint, 0444);
MODULE_PARM_DESC(devices, "Tapes created at load, 0 to 256 (default 2)");

static unsigned int devno = 0x180;
module_param(devno, uint, 0444);
MODULE_PARM_DESC(devno, "Device number of the first tape, bus id 0.0.<devno> (default 0x180)");

/* Protects dev_list, nr_devs and closing. */
static DEFINE_MUTEX(list_mutex);
static LIST_HEAD(dev_list);
static unsigned int nr_devs;
static bool closing;	/* module exit: no more devices */

/* "cssid.ssid.devno" in hex, as CCW bus ids are written: 0.0.0180. */
int kevent_tape_sim_parse_busid(const char *buf, u32 *devid)
{
	unsigned int cssid, ssid, dno;
	char end;
	int n;

	n = sscanf(buf, "%x.%x.%x%c", &cssid, &ssid, &dno, &end);
	if (n < 3 || (n == 4 && end != '\n'))
		return -EINVAL;
	if (cssid > 0xff || ssid > KEVENT_S390_SSID_MAX || dno > 0xffff)
		return -EINVAL;
	*devid = KEVENT_S390_DEVID(cssid, ssid, dno);
	return 0;
}

static struct kevent_tape_sim_dev *kevent_tape_sim_find(u32 devid)
{
	struct kevent_tape_sim_dev *d;

	lockdep_assert_held(&list_mutex);

	list_for_each_entry(d, &dev_list, node)
		if (d->devid == devid)
			return d;
	return NULL;
}

/* Create the tape @devid and announce it.  Context: process. */
int kevent_tape_sim_add(u32 devid)
{
	static const char payload[] = "type=3490 sim";
	struct kevent_tape_sim_dev *d;
	int err;

	mutex_lock(&list_mutex);
	if (closing) {
		err = -ENODEV;
		goto out;
	}
	if (kevent_tape_sim_find(devid)) {
		err = -EEXIST;
		goto out;
	}
	if (nr_devs >= KEVENT_TAPE_SIM_DEVICES_MAX) {
		err = -ENOSPC;
		goto out;
	}
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d) {
		err = -ENOMEM;
		goto out;
	}
	d->devid = devid;
	err = kobject_init_and_add(&d->kobj, &kevent_tape_sim_dev_ktype,
				   kevent_tape_sim_kobj(), "%x.%x.%04x",
				   KEVENT_S390_DEVID_CSSID(devid),
				   KEVENT_S390_DEVID_SSID(devid),
				   KEVENT_S390_DEVID_DEVNO(devid));
	if (err) {
		/* The release callback frees @d. */
		kobject_put(&d->kobj);
		goto out;
	}
	list_add_tail(&d->node, &dev_list);
	nr_devs++;
	err = kevent_tape_sim_report(d, KEVENT_S390_DEVICE_ADDED, payload,
				     sizeof(payload) - 1);
out:
	mutex_unlock(&list_mutex);
	return err;
}

/* Report the removal, break the device's requests, delete it. */
static void kevent_tape_sim_destroy(struct kevent_tape_sim_dev *d)
{
	lockdep_assert_held(&list_mutex);

	list_del(&d->node);
	nr_devs--;
	kevent_tape_sim_retire(d);
	kevent_s390_log_device_remove(d->devid);
	/* Waits for sysfs writers of @d; they do not take list_mutex. */
	kobject_put(&d->kobj);
}

/* Remove the tape @devid.  0, or -ENODEV.  Context: process. */
int kevent_tape_sim_remove(u32 devid)
{
	struct kevent_tape_sim_dev *d;
	int err = 0;

	mutex_lock(&list_mutex);
	d = kevent_tape_sim_find(devid);
	if (d)
		kevent_tape_sim_destroy(d);
	else
		err = -ENODEV;
	mutex_unlock(&list_mutex);
	return err;
}

/* The bus ids of every tape, one per line, into a sysfs page. */
ssize_t kevent_tape_sim_list(char *buf)
{
	struct kevent_tape_sim_dev *d;
	ssize_t n = 0;

	mutex_lock(&list_mutex);
	list_for_each_entry(d, &dev_list, node)
		n += sysfs_emit_at(buf, n, "%s\n", kobject_name(&d->kobj));
	mutex_unlock(&list_mutex);
	return n;
}

static void kevent_tape_sim_remove_all(void)
{
	struct kevent_tape_sim_dev *d, *tmp;

	mutex_lock(&list_mutex);
	closing = true;
	list_for_each_entry_safe(d, tmp, &dev_list, node)
		kevent_tape_sim_destroy(d);
	mutex_unlock(&list_mutex);
}

static int __init kevent_tape_sim_init(void)
{
	unsigned int i;
	int err;

	if (devices > KEVENT_TAPE_SIM_DEVICES_MAX || devno > 0xffff ||
	    devno + devices > 0x10000) {
		pr_warn("devices=%u devno=%#x: out of range\n", devices, devno);
		return -EINVAL;
	}
	kevent_tape_sim_irq_init();
	err = kevent_tape_sim_sysfs_init();
	if (err)
		goto err_irq;
	for (i = 0; i < devices; i++) {
		err = kevent_tape_sim_add(KEVENT_S390_DEVID(0, 0, devno + i));
		if (err)
			goto err_devices;
	}
	return 0;

err_devices:
	kevent_tape_sim_remove_all();
	kevent_tape_sim_sysfs_exit();
err_irq:
	kevent_tape_sim_irq_exit();
	return err;
}

static void __exit kevent_tape_sim_exit(void)
{
	kevent_tape_sim_remove_all();
	kevent_tape_sim_sysfs_exit();
	kevent_tape_sim_irq_exit();
}

module_init(kevent_tape_sim_init);
module_exit(kevent_tape_sim_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Simulated s390 tape drives reporting to the kevent s390 log");
MODULE_AUTHOR("The kevent developers");
