// SPDX-License-Identifier: GPL-2.0
/*
 * keventctl: status, monitor, read.  This file holds the command table;
 * status.c, monitor.c and read.c hold one command each, args.c their
 * option arguments, records.c and fmt.c the output, follow.c the
 * following of the log, logdev.c the opening of the log device.
 */
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
