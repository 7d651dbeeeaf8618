/* SPDX-License-Identifier: GPL-2.0 */
/*
 * keventctl: the administrator's view of the s390 log and of the kevent
 * queues reading it.  See keventctl(8).
 */
#ifndef KCTL_KEVENTCTL_H
#define KCTL_KEVENTCTL_H

#include <stdio.h>

#include "libkevent_s390_log.h"

int kctl_open_log(void);
void kctl_print_record(FILE *f, const struct kevent_s390_log_record *r);
void kctl_print_lost(FILE *f, __u64 first, __u64 count);
int kctl_parse_u64(const char *s, const char *what, __u64 *v);

int kctl_status(int argc, char **argv);
int kctl_monitor(int argc, char **argv);
int kctl_read(int argc, char **argv);

#endif /* KCTL_KEVENTCTL_H */
