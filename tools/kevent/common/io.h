/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Plain I/O helpers shared by keventlogd, keventctl and the unit tests.
 */
#ifndef KLD_IO_H
#define KLD_IO_H

#include <stddef.h>

int kld_write_all(int fd, const char *buf, size_t len);

#endif /* KLD_IO_H */
