// SPDX-License-Identifier: GPL-2.0
/*
 * keventctl: status, monitor, read.  This file holds the command table
 * and what the commands share (options, the log device, record printing);
 * status.c, monitor.c and read.c hold one command each.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "keventctl.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: keventctl COMMAND [OPTIONS]\n"
		"  status [-s STATEFILE]     the s390 log, keventlogd's position, the kevent queues\n"
		"  monitor [-d BUSID]... [-e EVENT[,EVENT...]] [-n COUNT] [-t SECONDS] [-f SEQ]\n"
		"                            print events as they happen, like udevadm monitor\n"
		"  read [-f SEQ] [-n COUNT]  print the records the kernel buffer holds\n"
		"  help, --help, --version\n"
		"See keventctl(8).\n");
}

int kctl_parse_u64(const char *s, const char *what, __u64 *v)
{
	unsigned long long n;
	char *end;

	errno = 0;
	n = strtoull(s, &end, 0);
	if (errno || end == s || *end || *s == '-') {
		fprintf(stderr, "keventctl: %s '%s' is not a number\n", what, s);
		return -1;
	}
	*v = n;
	return 0;
}

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

/* One record, one line: sequence, time, device, event, payload. */
void kctl_print_record(FILE *f, const struct kevent_s390_log_record *r)
{
	char t[KLD_TIME_LEN], pl[KLD_PAYLOAD_LEN];
	char dev[LIBKEVENT_S390_DEVID_LEN];
	const char *enc;

	if (kld_time_format(r->timestamp_ns, 6, t, sizeof(t)))
		strcpy(t, "-");
	libkevent_s390_devid_format(r->devid, dev);
	enc = kld_payload_format(r->payload, r->payload_len, pl);
	fprintf(f, "%8llu %s %s %-17s %s\"%s\"%s\n",
		(unsigned long long)r->seq, t, dev,
		libkevent_s390_event_name(r->event),
		strcmp(enc, "hex") ? "" : "hex:", pl,
		r->flags & KEVENT_S390_LOG_REC_TRUNCATED ? " (truncated)" : "");
}

void kctl_print_lost(FILE *f, __u64 first, __u64 count)
{
	fprintf(f, "%8s lost %llu record(s): sequence %llu..%llu were overwritten before they were read\n",
		"-", (unsigned long long)count, (unsigned long long)first,
		(unsigned long long)(first + count - 1));
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "status"))
		return kctl_status(argc - 1, argv + 1);
	if (!strcmp(cmd, "monitor"))
		return kctl_monitor(argc - 1, argv + 1);
	if (!strcmp(cmd, "read"))
		return kctl_read(argc - 1, argv + 1);
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") ||
	    !strcmp(cmd, "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version")) {
		printf("keventctl %s\n", KLD_VERSION);
		return 0;
	}
	if (*cmd)
		fprintf(stderr, "keventctl: unknown command '%s'\n", cmd);
	usage(stderr);
	return 2;
}
