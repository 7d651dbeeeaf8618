// SPDX-License-Identifier: GPL-2.0
/*
 * "instance": the instance id of the kevent_s390_log loaded now (STATS),
 * as a UUID, for $KT_INSTANCE.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kevent_s390_log.h>

#include "util.h"

int kt_instance(void)
{
	struct kevent_s390_log_stats st;
	int fd = open("/dev/kevent_s390_log", O_RDONLY), i;

	if (fd < 0 || ioctl(fd, KEVENT_S390_LOG_IOC_STATS, &st) < 0) {
		perror("instance: /dev/kevent_s390_log");
		return 1;
	}
	close(fd);
	for (i = 0; i < 16; i++)
		printf("%s%02x", i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "",
		       st.instance[i]);
	printf("\n");
	return 0;
}
