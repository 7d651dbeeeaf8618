// SPDX-License-Identifier: GPL-2.0
/*
 * "keventctl read": the records the kernel buffer holds, from --from (or
 * the oldest) to the newest, one line each.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "drain.h"
#include "keventctl.h"

/* The options, and how far the reading got. */
struct read_opts {
	__u64 from;
	__u64 count;
	__u64 pos;
	__u64 printed;
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

/* Print a READ's answer.  1 once --count is reached. */
static int show(void *arg, __u64 first,
		const struct libkevent_s390_log_result *rd,
		const struct kevent_s390_log_record *recs)
{
	struct read_opts *o = arg;
	unsigned int i;

	/* Without --from, starting below the oldest is no loss. */
	if (rd->lost && o->from)
		kctl_print_lost(stdout, first, rd->lost);
	for (i = 0; i < rd->count && (!o->count || o->printed < o->count);
	     i++, o->printed++)
		kctl_print_record(stdout, &recs[i]);
	if (o->count && o->printed >= o->count)
		return 1;
	o->pos = rd->next - 1;
	return 0;
}

/* "read": every record from --from (default: the oldest) to the newest. */
int kctl_read(int argc, char **argv)
{
	struct read_opts o = { 0 };
	char why[160];
	int fd, err;

	if (read_options(argc, argv, &o))
		return 2;
	fd = kctl_open_log();
	if (fd < 0)
		return 1;
	o.pos = o.from ? o.from - 1 : 0;
	err = kld_drain(fd, &o.pos, UINT_MAX, show, &o, why, sizeof(why));
	close(fd);
	if (err == -ERANGE) {
		fprintf(stderr, "keventctl: sequence %llu was never issued\n  hint: keventctl status shows the next sequence number\n",
			(unsigned long long)o.pos + 1);
		return 1;
	}
	if (err < 0) {
		fprintf(stderr, "keventctl: READ from %llu: %s%s%s\n",
			(unsigned long long)o.pos + 1, strerror(-err),
			err == -EPROTO ? ": " : "",
			err == -EPROTO ? why : "");
		return 1;
	}
	return 0;
}
