// SPDX-License-Identifier: GPL-2.0
/*
 * "keventctl monitor": events as they happen, one line each, like
 * udevadm monitor.  Its own kevent queue holds one KEVENT_S390_LOG request
 * per device asked for (or one for every device), with
 * KEVENT_REQ_WAKEUP_ALL so that it never takes a wakeup from keventlogd;
 * the records are read by sequence number from where it started.
 *
 * The options become a keventlogd configuration (devices, events, wake
 * all), so that the requests, the filter and the reading are keventlogd's
 * own: kld_reqs_add(), kld_config_match() and kld_drain().
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "drain.h"
#include "format.h"
#include "libkevent.h"
#include "keventctl.h"
#include "requests.h"

#define MON_DEVICES_MAX	64

/*
 * @conf is filled in place: its devices are @devs, and nothing in it is
 * allocated (never kld_config_free() it).
 */
struct mon {
	__u32 devs[MON_DEVICES_MAX];
	unsigned int nr_devs;
	struct kld_config conf;
	struct kld_reqs reqs;
	__u64 count;
	__u64 timeout;
	__u64 from;
	__u64 pos;
	__u64 printed;
	struct kevent_ring *ring;
	int kfd;
	int lfd;
};

static int parse_events(struct mon *m, char *list)
{
	char *tok, *save = NULL;
	__u32 bit;

	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "all")) {
			m->conf.events |= KEVENT_S390_EVENTS_ALL;
			continue;
		}
		if (libkevent_s390_event_parse(tok, &bit)) {
			fprintf(stderr, "keventctl: unknown event '%s'\n  hint: events are %s, or all\n",
				tok, libkevent_s390_event_names());
			return -1;
		}
		m->conf.events |= bit;
	}
	return 0;
}

static int parse_device(struct mon *m, const char *s)
{
	if (m->nr_devs == MON_DEVICES_MAX) {
		fprintf(stderr, "keventctl: more than %d devices\n",
			MON_DEVICES_MAX);
		return -1;
	}
	if (libkevent_s390_devid_parse(s, &m->devs[m->nr_devs])) {
		fprintf(stderr, "keventctl: '%s' is not a CCW bus id\n  hint: cssid.ssid.devno in hex, like 0.0.0180\n",
			s);
		return -1;
	}
	m->nr_devs++;
	return 0;
}

static int options(int argc, char **argv, struct mon *m)
{
	static const struct option longopts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "events", required_argument, NULL, 'e' },
		{ "count", required_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 't' },
		{ "from", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	int c, err;

	while ((c = getopt_long(argc, argv, "d:e:n:t:f:", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			err = parse_device(m, optarg);
			break;
		case 'e':
			err = parse_events(m, optarg);
			break;
		case 'n':
			err = kctl_parse_u64(optarg, "--count", &m->count);
			break;
		case 't':
			err = kctl_parse_u64(optarg, "--timeout", &m->timeout);
			break;
		case 'f':
			err = kctl_parse_u64(optarg, "--from", &m->from);
			break;
		default:
			err = -1;
		}
		if (err) {
			fprintf(stderr, "usage: keventctl monitor [-d BUSID]... [-e EVENT,...] [-n COUNT] [-t SECONDS] [-f SEQ]\n");
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "keventctl monitor: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	if (!m->conf.events)
		m->conf.events = KEVENT_S390_EVENTS_ALL;
	return 0;
}

/* What keventlogd would log with "devices" and "events" as asked. */
static void build_config(struct mon *m)
{
	m->conf.all_devices = !m->nr_devs;
	m->conf.devices = m->devs;
	m->conf.nr_devices = m->nr_devs;
	m->conf.wake_all = true;
	kld_config_sort_devices(&m->conf);
}

static int add_requests(struct mon *m)
{
	__u64 next_id = 1;
	char why[512];
	int err;

	err = kld_reqs_add(m->kfd, &m->conf, &next_id, &m->reqs, why,
			   sizeof(why));
	if (err) {
		fprintf(stderr, "keventctl: adding requests: %s\n",
			strerror(-err));
		return -1;
	}
	return 0;
}

static int setup(struct mon *m)
{
	struct kevent_s390_log_stats st;

	m->lfd = kctl_open_log();
	if (m->lfd < 0)
		return -1;
	m->kfd = kevent_init(&m->ring, 64, 0);
	if (m->kfd < 0) {
		fprintf(stderr, "keventctl: %s: %s\n", KLD_KEVENT_DEV,
			strerror(errno));
		return -1;
	}
	build_config(m);
	if (add_requests(m) || libkevent_s390_log_stats(m->lfd, &st))
		return -1;
	m->pos = m->from ? m->from - 1 : st.next_seq - 1;
	return 0;
}

/* Print a READ's answer.  1 once --count is reached. */
static int show(void *arg, __u64 first,
		const struct libkevent_s390_log_result *rd,
		const struct kevent_s390_log_record *recs)
{
	struct mon *m = arg;
	unsigned int i;

	if (rd->lost)
		kctl_print_lost(stdout, first, rd->lost);
	for (i = 0; i < rd->count; i++) {
		if (!kld_config_match(&m->conf, recs[i].devid, recs[i].event))
			continue;
		kctl_print_record(stdout, &recs[i]);
		if (m->count && ++m->printed >= m->count) {
			fflush(stdout);
			return 1;
		}
	}
	fflush(stdout);
	m->pos = rd->next - 1;
	return 0;
}

/* Print what the log holds after pos.  1 once --count is reached. */
static int drain(struct mon *m)
{
	char why[160];
	int ret;

	ret = kld_drain(m->lfd, &m->pos, UINT_MAX, show, m, why, sizeof(why));
	if (ret < 0)
		return -1;
	return ret == KLD_DRAIN_STOPPED;
}

static __u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

static int loop(struct mon *m)
{
	__u64 end = m->timeout ? now_ms() + m->timeout * 1000 : 0, now;
	struct pollfd pfd = { .fd = m->kfd, .events = POLLIN };
	unsigned int tail;
	int ret;

	for (;;) {
		ret = drain(m);
		if (ret)
			return ret < 0 ? -1 : 0;
		tail = kevent_ring_tail(m->ring);
		kevent_ring_set_head(m->ring, tail);
		if (tail != kevent_ring_committed(m->ring))
			kevent_commit(m->kfd, tail, 0);
		now = now_ms();
		if (end && now >= end)
			return m->count ? 1 : 0;
		ret = poll(&pfd, 1, end ? (int)(end - now) : -1);
		if (ret < 0 && errno != EINTR)
			return -1;
	}
}

int kctl_monitor(int argc, char **argv)
{
	struct mon m = { .kfd = -1, .lfd = -1 };
	int ret = 2;

	if (options(argc, argv, &m))
		goto out;
	ret = 1;
	if (setup(&m))
		goto out;
	printf("monitor: s390 log events from sequence %llu on (Ctrl-C to stop)\n",
	       (unsigned long long)m.pos + 1);
	fflush(stdout);
	ret = loop(&m) ? 1 : 0;
out:
	if (m.reqs.n)
		kld_reqs_remove(m.kfd, &m.reqs);
	if (m.ring)
		kevent_close(m.ring);
	if (m.lfd >= 0)
		close(m.lfd);
	return ret;
}
