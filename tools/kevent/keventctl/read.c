// SPDX-License-Identifier: GPL-2.0
/*
 * "keventctl read": the records the kernel buffer holds, from --from (or
 * the oldest) to the newest, one line each; with --follow, then the new
 * ones as they come, like tail -f (follow.c).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "drain.h"
#include "keventctl.h"

#define READ_USAGE \
	"usage: keventctl read [-S SEQ] [-n COUNT] [-f] [--format text|json|pairs]\n"

/* The options, and how far the reading got. */
struct read_opts {
	__u64 from;
	__u64 count;
	bool follow;
	enum kctl_format format;
	__u64 pos;
	__u64 printed;
	struct kctl_out out;
};

static int one_option(struct read_opts *o, int c, const char *arg)
{
	char why[KCTL_WHY_LEN];

	switch (c) {
	case 'S':
		return kctl_option_u64("read", "--from", arg, &o->from);
	case 'n':
		return kctl_option_u64("read", "--count", arg, &o->count);
	case 'f':
		o->follow = true;
		return 0;
	case 'F':
		if (!kctl_parse_format(arg, &o->format, why, sizeof(why)))
			return 0;
		fprintf(stderr, "keventctl read: %s\n", why);
		return -1;
	default:
		return -1;
	}
}

static int read_options(int argc, char **argv, struct read_opts *o)
{
	static const struct option longopts[] = {
		{ "from", required_argument, NULL, 'S' },
		{ "count", required_argument, NULL, 'n' },
		{ "follow", no_argument, NULL, 'f' },
		{ "format", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "S:n:f", longopts, NULL)) != -1) {
		if (one_option(o, c, optarg)) {
			fputs(READ_USAGE, stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "keventctl read: unexpected argument '%s'\n",
			argv[optind]);
		/* -f used to be --from: "read -f 12" now reads "12" here. */
		if (o->follow &&
		    !argv[optind][strspn(argv[optind], "0123456789")])
			fprintf(stderr, "  hint: -f is --follow (like tail -f); to start at a sequence number use -S %s (--from)\n",
				argv[optind]);
		fputs(READ_USAGE, stderr);
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
		kctl_out_lost(&o->out, first, rd->lost);
	for (i = 0; i < rd->count && (!o->count || o->printed < o->count);
	     i++, o->printed++)
		kctl_out_record(&o->out, &recs[i]);
	if (o->count && o->printed >= o->count)
		return 1;
	o->pos = rd->next - 1;
	return 0;
}

/* --follow: on from where the reading is, as a monitor of everything. */
static int follow(struct read_opts *o, int fd)
{
	struct kctl_follow w = {
		.conf = { .all_devices = true,
			  .events = KEVENT_S390_EVENTS_ALL },
		.pos = o->pos,
		.count = o->count ? o->count - o->printed : 0,
		.out = o->out,
	};

	if (o->count && o->printed >= o->count)
		return 0;
	return kctl_follow(&w, fd) ? 1 : 0;
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
	if (o.follow)
		setvbuf(stdout, NULL, _IOLBF, 0);
	kctl_out_start(&o.out, stdout, o.format);
	o.pos = o.from ? o.from - 1 : 0;
	err = kld_drain(fd, &o.pos, UINT_MAX, show, &o, why, sizeof(why));
	if (err >= 0 && o.follow) {
		fflush(stdout);
		err = follow(&o, fd);
		close(fd);
		return err;
	}
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
