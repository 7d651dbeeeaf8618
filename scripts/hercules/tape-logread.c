// SPDX-License-Identifier: GPL-2.0
/*
 * tape-logread: a minimal s390 log reader for the Hercules tape test
 * (scripts/check-tape.sh), used when tools/kevent's keventlogd is not built.
 *
 * It proves the whole path with nothing but libkevent: one KEVENT_S390_LOG
 * request for every event of every device on /dev/kevent; each time it is
 * delivered, the records since the last read are read from
 * /dev/kevent_s390_log and written to OUT, one short line each, with
 * keventlogd's names:
 *
 *	seq=<n> device=<c.s.devno> event=<tape_loaded...> via=<deliveries>
 *	payload="<hex>" encoding=hex
 *
 * Like keventlogd without a saved position, it reads the log from the
 * oldest record the buffer holds.  SIGTERM or SIGINT ends it; it then
 * writes "end deliveries=<n>" to OUT.
 *
 * Usage: tape-logread OUT
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libkevent.h"
#include "libkevent_s390_log.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void die(FILE *out, const char *what)
{
	int e = errno;

	fprintf(out, "error %s: %s\n", what, strerror(e));
	fflush(out);
	fprintf(stderr, "tape-logread: %s: %s\n", what, strerror(e));
	exit(1);
}

int main(int argc, char **argv)
{
	struct kevent_s390_log_record recs[16];
	struct libkevent_s390_log_result res;
	struct kevent_s390_log_stats stats;
	struct ukevent req = {
		.id = 1,
		.type = KEVENT_S390_LOG,
		.event = KEVENT_S390_EVENTS_ALL,
		.param = KEVENT_S390_LOG_ANY_DEV,
	};
	static const struct timespec second = { .tv_sec = 1 };
	char dev[LIBKEVENT_S390_DEVID_LEN];
	unsigned long long deliveries = 0;
	struct sigaction sa;
	unsigned int i, j;
	int kfd, lfd;
	__u64 pos;
	FILE *out;

	if (argc != 2) {
		fprintf(stderr, "usage: tape-logread OUT\n");
		return 2;
	}
	out = fopen(argv[1], "a");
	if (!out) {
		perror(argv[1]);
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: the wait returns EINTR */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	/* A queue without a mapped ring: events are copied out. */
	kfd = kevent_init(NULL, 16, 0);
	if (kfd < 0)
		die(out, "open /dev/kevent and KEVENT_IOC_INIT");
	lfd = libkevent_s390_log_open();
	if (lfd < 0)
		die(out, "open /dev/kevent_s390_log");
	if (libkevent_s390_log_stats(lfd, &stats) < 0)
		die(out, "KEVENT_S390_LOG_IOC_STATS");
	pos = stats.oldest_seq;	/* == next_seq when the log is empty */
	/* ADD returns the entries that failed (or were ready at once). */
	if (kevent_ctl(kfd, KEVENT_CTL_ADD, 1, &req) < 0)
		die(out, "KEVENT_IOC_CTL ADD");
	if (req.ret_flags & KEVENT_RET_BROKEN) {
		errno = (int)req.ret_data[1];
		die(out, "ADD KEVENT_S390_LOG request");
	}
	fprintf(out, "start seq=%llu\n", (unsigned long long)pos);
	fflush(out);

	while (!stop) {
		struct ukevent ev[4];
		int n = kevent_get_events(kfd, 1, ARRAY_SIZE(ev), &second, ev,
					  0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			die(out, "KEVENT_IOC_GET_EVENTS");
		}
		if (n == 0)
			continue;
		deliveries += n;
		/* One delivery is enough to read everything since pos. */
		for (;;) {
			if (libkevent_s390_log_read(lfd, pos, recs,
						    ARRAY_SIZE(recs), &res,
						    NULL, 0) < 0)
				die(out, "KEVENT_S390_LOG_IOC_READ");
			if (res.lost)
				fprintf(out, "lost=%llu\n",
					(unsigned long long)res.lost);
			for (i = 0; i < res.count; i++) {
				fprintf(out, "seq=%llu device=%s event=%s via=%llu payload=\"",
					(unsigned long long)recs[i].seq,
					libkevent_s390_devid_format(recs[i].devid,
								    dev),
					libkevent_s390_event_name(recs[i].event),
					deliveries);
				for (j = 0; j < recs[i].payload_len &&
					    j < KEVENT_S390_LOG_PAYLOAD_MAX; j++)
					fprintf(out, "%02x", recs[i].payload[j]);
				fprintf(out, "\" encoding=hex\n");
			}
			pos = res.next;
			if (!res.count && !res.lost)
				break;
		}
		fflush(out);
	}
	fprintf(out, "end deliveries=%llu\n", deliveries);
	fclose(out);
	return 0;
}
