// SPDX-License-Identifier: GPL-2.0
/*
 * "keventctl monitor": events as they happen, one line each, like
 * udevadm monitor.  Its own kevent queue holds one KEVENT_S390_LOG request
 * per device asked for (or one for every device), with
 * KEVENT_REQ_WAKEUP_ALL so that it never takes a wakeup from keventlogd;
 * the records are read by sequence number from where it started.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "keventctl.h"
#include "format.h"
#include "kevent.h"

#define MON_DEVICES_MAX	64

struct mon {
	__u32 devs[MON_DEVICES_MAX];
	unsigned int nr_devs;
	__u32 events;
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
			m->events |= KEVENT_S390_EVENTS_ALL;
			continue;
		}
		if (kld_event_parse(tok, &bit)) {
			fprintf(stderr, "keventctl: unknown event '%s'\n  hint: events are %s, or all\n",
				tok, kld_event_names());
			return -1;
		}
		m->events |= bit;
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
	if (kld_devid_parse(s, &m->devs[m->nr_devs])) {
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
	if (!m->events)
		m->events = KEVENT_S390_EVENTS_ALL;
	return 0;
}

static bool wanted(const struct mon *m, const struct kevent_s390_log_record *r)
{
	unsigned int i;

	if (!(r->event & m->events))
		return false;
	for (i = 0; i < m->nr_devs; i++)
		if (m->devs[i] == r->devid)
			return true;
	return !m->nr_devs;
}

static int add_requests(struct mon *m)
{
	unsigned int i, n = m->nr_devs ? m->nr_devs : 1;
	struct ukevent ev[MON_DEVICES_MAX];
	int ret;

	memset(ev, 0, sizeof(ev));
	for (i = 0; i < n; i++) {
		ev[i].id = i + 1;
		ev[i].type = KEVENT_S390_LOG;
		ev[i].event = m->events;
		ev[i].req_flags = KEVENT_REQ_WAKEUP_ALL;
		ev[i].param = m->nr_devs ? m->devs[i] : KEVENT_S390_LOG_ANY_DEV;
	}
	ret = kevent_ctl(m->kfd, KEVENT_CTL_ADD, n, ev);
	if (ret < 0 || (ret > 0 && (ev[0].ret_flags & KEVENT_RET_BROKEN))) {
		fprintf(stderr, "keventctl: adding requests: %s\n",
			strerror(ret < 0 ? errno : (int)ev[0].ret_data[1]));
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
	if (add_requests(m) || kld_log_stats(m->lfd, &st))
		return -1;
	m->pos = m->from ? m->from - 1 : st.next_seq - 1;
	return 0;
}

/* Print what the log holds after pos.  1 once --count is reached. */
static int drain(struct mon *m)
{
	struct kevent_s390_log_record recs[KLD_READ_BATCH];
	struct kld_read rd;
	char why[160];
	unsigned int i;

	for (;;) {
		if (kld_log_read(m->lfd, m->pos + 1, recs, KLD_READ_BATCH, &rd,
				 why, sizeof(why)))
			return -1;
		if (rd.lost)
			kctl_print_lost(stdout, m->pos + 1, rd.lost);
		for (i = 0; i < rd.count; i++) {
			if (!wanted(m, &recs[i]))
				continue;
			kctl_print_record(stdout, &recs[i]);
			if (m->count && ++m->printed >= m->count) {
				fflush(stdout);
				return 1;
			}
		}
		fflush(stdout);
		if (!rd.lost && !rd.count)
			return 0;
		m->pos = rd.next - 1;
	}
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
	if (m.ring)
		kevent_close(m.ring);
	if (m.lfd >= 0)
		close(m.lfd);
	return ret;
}
