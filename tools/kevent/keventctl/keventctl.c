// SPDX-License-Identifier: GPL-2.0
/*
 * keventctl: status, monitor, read.  This file holds the command table,
 * the shared record printing and "read"; ctl_status.c and ctl_monitor.c
 * hold the other two.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "format.h"

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
		fd == -EPERM ? "reading the s390 log needs CAP_SYSLOG (root) or the group set by the module parameter log_gid" :
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

struct read_opts {
	__u64 from;
	__u64 count;
};

static int read_options(int argc, char **argv, struct read_opts *o)
{
	static const struct option longopts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "count", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "f:n:", longopts, NULL)) != -1) {
		if (c == 'f' && !kctl_parse_u64(optarg, "--from", &o->from))
			continue;
		if (c == 'n' && !kctl_parse_u64(optarg, "--count", &o->count))
			continue;
		fprintf(stderr, "usage: keventctl read [--from SEQ] [--count N]\n");
		return -1;
	}
	if (optind < argc) {
		fprintf(stderr, "keventctl read: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	return 0;
}

/* "read": every record from --from (default: the oldest) to the newest. */
static int kctl_read(int argc, char **argv)
{
	struct kevent_s390_log_record recs[KLD_READ_BATCH];
	struct read_opts o = { 0 };
	struct libkevent_s390_log_result rd;
	__u64 seq, printed = 0;
	char why[160];
	unsigned int i;
	int fd, err;

	if (read_options(argc, argv, &o))
		return 2;
	fd = kctl_open_log();
	if (fd < 0)
		return 1;
	seq = o.from ? o.from : 1;
	for (;;) {
		err = libkevent_s390_log_read(fd, seq, recs, KLD_READ_BATCH,
					      &rd, why, sizeof(why));
		if (err == -ERANGE) {
			fprintf(stderr, "keventctl: sequence %llu was never issued\n  hint: keventctl status shows the next sequence number\n",
				(unsigned long long)seq);
			close(fd);
			return 1;
		}
		if (err) {
			fprintf(stderr, "keventctl: READ from %llu: %s%s%s\n",
				(unsigned long long)seq, strerror(-err),
				err == -EPROTO ? ": " : "",
				err == -EPROTO ? why : "");
			close(fd);
			return 1;
		}
		/* Without --from, starting below the oldest is no loss. */
		if (rd.lost && o.from)
			kctl_print_lost(stdout, seq, rd.lost);
		for (i = 0; i < rd.count && (!o.count || printed < o.count);
		     i++, printed++)
			kctl_print_record(stdout, &recs[i]);
		if ((!rd.lost && !rd.count) || (o.count && printed >= o.count))
			break;
		seq = rd.next;
	}
	close(fd);
	return 0;
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
