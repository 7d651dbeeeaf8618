// SPDX-License-Identifier: GPL-2.0
/*
 * "keventctl monitor": events as they happen, like udevadm monitor, for
 * the devices and events asked for.  The following is follow.c's.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keventctl.h"

#define MONITOR_USAGE \
	"usage: keventctl monitor [-d BUSID[-BUSID][,...]]... [-e EVENT[,EVENT...]] [-n COUNT]\n" \
	"                         [-t SECONDS] [-S SEQ] [--format text|json|pairs]\n"

/*
 * struct mon - the options
 * @devs: --device
 * @from: --from, 0 if not given
 * @format: --format
 * @w: what kctl_follow() gets
 */
struct mon {
	struct kctl_devices devs;
	__u64 from;
	enum kctl_format format;
	struct kctl_follow w;
};

static int parse_events(struct mon *m, char *list)
{
	char *tok, *save = NULL;
	__u32 bit;

	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "all")) {
			m->w.conf.events |= KEVENT_S390_EVENTS_ALL;
			continue;
		}
		if (libkevent_s390_event_parse(tok, &bit)) {
			fprintf(stderr, "keventctl monitor: unknown event '%s'\n  hint: events are %s, or all\n",
				tok, libkevent_s390_event_names());
			return -1;
		}
		m->w.conf.events |= bit;
	}
	return 0;
}

static int one_option(struct mon *m, int c, const char *arg)
{
	char why[KCTL_WHY_LEN];

	switch (c) {
	case 'd':
		if (!kctl_parse_devices(arg, &m->devs, why, sizeof(why)))
			return 0;
		fprintf(stderr, "keventctl monitor: --device: %s\n", why);
		return -1;
	case 'e':
		return parse_events(m, (char *)arg);
	case 'n':
		return kctl_option_u64("monitor", "--count", arg, &m->w.count);
	case 't':
		return kctl_option_u64("monitor", "--timeout", arg,
				       &m->w.timeout);
	case 'S':
		return kctl_option_u64("monitor", "--from", arg, &m->from);
	case 'F':
		if (!kctl_parse_format(arg, &m->format, why, sizeof(why)))
			return 0;
		fprintf(stderr, "keventctl monitor: %s\n", why);
		return -1;
	case '?':
		/* -f used to be --from; now -f is follow, which monitor is. */
		if (optopt == 'f')
			fprintf(stderr, "  hint: monitor always follows; to start at a sequence number use -S SEQ (--from)\n");
		return -1;
	default:
		return -1;
	}
}

static int options(int argc, char **argv, struct mon *m)
{
	static const struct option longopts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "events", required_argument, NULL, 'e' },
		{ "count", required_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 't' },
		{ "from", required_argument, NULL, 'S' },
		{ "format", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "d:e:n:t:S:", longopts, NULL)) != -1) {
		if (one_option(m, c, optarg)) {
			fputs(MONITOR_USAGE, stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "keventctl monitor: unexpected argument '%s'\n%s",
			argv[optind], MONITOR_USAGE);
		return -1;
	}
	if (!m->w.conf.events)
		m->w.conf.events = KEVENT_S390_EVENTS_ALL;
	m->w.conf.all_devices = !m->devs.n;
	m->w.conf.devices = m->devs.id;
	m->w.conf.nr_devices = m->devs.n;
	return 0;
}

int kctl_monitor(int argc, char **argv)
{
	struct kevent_s390_log_stats st;
	struct mon *m;
	int lfd, err, ret = 2;

	/* Devices for KCTL_DEVICES_MAX requests: too much for the stack. */
	m = calloc(1, sizeof(*m));
	if (!m) {
		fprintf(stderr, "keventctl: out of memory\n");
		return 1;
	}
	if (options(argc, argv, m))
		goto out;
	ret = 1;
	lfd = kctl_open_log();
	if (lfd < 0)
		goto out;
	err = libkevent_s390_log_stats(lfd, &st);
	if (err) {
		fprintf(stderr, "keventctl: STATS: %s\n", strerror(-err));
		close(lfd);
		goto out;
	}
	m->w.pos = m->from ? m->from - 1 : st.next_seq - 1;
	/* Data on stdout, the banner on stderr: a pipe gets only data. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	kctl_out_start(&m->w.out, stdout, m->format);
	fflush(stdout);
	fprintf(stderr, "monitor: s390 log events from sequence %llu on (Ctrl-C to stop)\n",
		(unsigned long long)m->w.pos + 1);
	err = kctl_follow(&m->w, lfd);
	close(lfd);
	ret = err ? 1 : 0;
out:
	free(m);
	return ret;
}
