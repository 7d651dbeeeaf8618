// SPDX-License-Identifier: GPL-2.0
/*
 * "keventctl read": the records the kernel buffer holds, from --from (or
 * the oldest) to the newest, one line each.
 */
#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "keventctl.h"

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
int kctl_read(int argc, char **argv)
{
	struct kevent_s390_log_record recs[KLD_READ_BATCH];
	struct read_opts o = { 0 };
	struct kld_read rd;
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
		err = kld_log_read(fd, seq, recs, KLD_READ_BATCH, &rd, why,
				   sizeof(why));
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
