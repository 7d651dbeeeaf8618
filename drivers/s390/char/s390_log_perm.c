// SPDX-License-Identifier: GPL-2.0
/*
 * Who may subscribe to the log: whoever may read its device node, and
 * holders of CAP_SYSLOG, as for the kernel log.  The node's owner, group
 * and mode (set by a udev rule: GROUP=, MODE=) are then the one setting
 * that decides who reads and who subscribes.  Opening the node needs no
 * check here: the VFS applies its mode before ->open() runs.
 */
#include <linux/capability.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/path.h>

#include "s390_log.h"

/*
 * May the current task read /dev/kevent_s390_log?  The node is looked up
 * by name, as the caller sees it, because udev applies GROUP= and MODE= to
 * that inode and the kernel keeps no other copy.  Only a character device
 * with the log's dev_t counts: making one needs CAP_MKNOD, and a bind
 * mount of the real node shows the real inode's mode.
 * Context: process, may sleep.
 */
static bool node_readable(void)
{
	struct inode *inode;
	struct path path;
	bool ok;

	if (kern_path("/dev/" KEVENT_S390_LOG_NODE, LOOKUP_FOLLOW, &path))
		return false;
	inode = d_backing_inode(path.dentry);
	ok = S_ISCHR(inode->i_mode) &&
	     inode->i_rdev == kevent_s390_log_dev_devt() &&
	     !path_permission(&path, MAY_READ);
	path_put(&path);
	return ok;
}

/*
 * May the current task subscribe (ADD a KEVENT_S390_LOG request)?  The
 * node is checked first, so that readers do not trigger a capability
 * audit.
 * Context: process, may sleep.
 */
bool kevent_s390_log_permitted(void)
{
	return node_readable() || capable(CAP_SYSLOG);
}
