// SPDX-License-Identifier: GPL-2.0
/*
 * The s390 log device, opened for every command, with a hint when it
 * cannot be.
 */
#include <errno.h>
#include <string.h>

#include "keventctl.h"

/* The log device, with a hint when it cannot be opened: fd, or -1. */
int kctl_open_log(void)
{
	int fd = libkevent_s390_log_open();

	if (fd >= 0)
		return fd;
	fprintf(stderr, "keventctl: %s: %s\n  hint: %s\n",
		LIBKEVENT_S390_LOG_DEVICE, strerror(-fd),
		fd == -ENOENT ? "kevent_s390_log.ko is not loaded" :
		fd == -EACCES ? "reading the s390 log needs read permission on /dev/kevent_s390_log: root, or its group (the udev rule 60-kevent.rules makes it 0640 root:keventlog)" :
		"check the device");
	return -1;
}
