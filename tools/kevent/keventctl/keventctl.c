// SPDX-License-Identifier: GPL-2.0
/*
 * keventctl: status, monitor, read.  This file holds the command table
 * and the log device; status.c, monitor.c and read.c hold one command
 * each, args.c their option arguments, records.c and fmt.c the output,
 * follow.c the following of the log.
 */
#include <errno.h>
#include <string.h>

#include "keventctl.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: keventctl COMMAND [OPTIONS]\n"
		"  status [-s STATEFILE]     the s390 log, keventlogd's position, the kevent queues\n"
		"  monitor [-d BUSID[-BUSID][,...]]... [-e EVENT[,EVENT...]] [-n COUNT] [-t SECONDS]\n"
		"          [-S SEQ]          print events as they happen, like udevadm monitor\n"
		"  read [-S SEQ] [-n COUNT] [-f]\n"
		"                            print the records the kernel buffer holds; -f: then\n"
		"                            follow new ones, like tail -f\n"
		"  every command: --format text|json|pairs (json and pairs for scripts)\n"
		"  help, --help, --version\n"
		"See keventctl(8).\n");
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
