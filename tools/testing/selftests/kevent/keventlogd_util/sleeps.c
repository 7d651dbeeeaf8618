// SPDX-License-Identifier: GPL-2.0
/*
 * "sleeps PID": PID is blocked in ioctl(KEVENT_IOC_WAIT) on a kevent
 * queue, by /proc/PID/syscall (the system call a blocked task is in, and
 * its arguments) and the fd's link.  Prints what PID is in; exit 0 when it
 * is that wait, 1 otherwise (running, another call, another file).
 */
#include <limits.h>
#include <linux/kevent.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

int kt_sleeps(const char *pid)
{
	char path[64], line[256], file[PATH_MAX] = "";
	unsigned long long fd, cmd;
	long nr;
	ssize_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/syscall", pid);
	f = fopen(path, "r");
	if (!f || !fgets(line, sizeof(line), f)) {
		perror(path);
		if (f)
			fclose(f);
		return 1;
	}
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	if (sscanf(line, "%ld %llx %llx", &nr, &fd, &cmd) != 3) {
		printf("not in a system call: %s\n", line);
		return 1;
	}
	if (nr != SYS_ioctl || cmd != KEVENT_IOC_WAIT) {
		printf("in system call %ld, arguments %#llx %#llx (ioctl is %d, KEVENT_IOC_WAIT %#lx)\n",
		       nr, fd, cmd, SYS_ioctl, (unsigned long)KEVENT_IOC_WAIT);
		return 1;
	}
	snprintf(path, sizeof(path), "/proc/%s/fd/%llu", pid, fd);
	n = readlink(path, file, sizeof(file) - 1);
	file[n > 0 ? n : 0] = '\0';
	printf("ioctl(%llu, KEVENT_IOC_WAIT) on %s\n", fd, file);
	return strcmp(file, "/dev/kevent") ? 1 : 0;
}
