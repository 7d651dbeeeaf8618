// SPDX-License-Identifier: GPL-2.0
/*
 * Plain I/O helpers shared by keventlogd, keventctl and the unit tests.
 */
#include <errno.h>
#include <unistd.h>

#include "io.h"

/* write(2) until done: 0, or -errno (-EIO if write makes no progress). */
int kld_write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		buf += n;
		len -= n;
	}
	return 0;
}
