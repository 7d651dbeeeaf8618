// SPDX-License-Identifier: GPL-2.0
/*
 * tape-logread: a minimal s390 log reader for the Hercules tape test
 * (scripts/check-tape.sh), used when tools/kevent's keventlogd is not built.
 *
 * It proves the whole path with nothing but the ABI headers: one
 * KEVENT_S390_LOG request for every event of every device on /dev/kevent;
 * each time it is delivered, the records since the last read are read from
 * /dev/kevent_s390_log and written to OUT, one short line each, with
 * keventlogd's names:
 *
 *	seq=<n> device=<c.s.devno> event=<tape_loaded...> via=<deliveries>
 *
 * Like keventlogd without a saved position, it reads the log from the
 * oldest record the buffer holds.  SIGTERM or SIGINT ends it; it then
 * writes "end deliveries=<n>" to OUT.
 *
 * Usage: tape-logread OUT
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/kevent.h>
#include <linux/kevent_s390_log.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static const char *event_name(__u32 ev)
{
	switch (ev) {
	case KEVENT_S390_TAPE_LOADED: return "tape_loaded";
	case KEVENT_S390_TAPE_UNLOADED: return "tape_unloaded";
	case KEVENT_S390_TAPE_ERROR: return "tape_error";
	case KEVENT_S390_TAPE_INTERVENTION: return "tape_intervention";
	case KEVENT_S390_DEVICE_ADDED: return "device_added";
	case KEVENT_S390_DEVICE_REMOVED: return "device_removed";
	default: return "unknown";
	}
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
	struct kevent_s390_log_stats stats;
	struct kevent_init init = { .ring_entries = 16 };
	struct ukevent req = {
		.id = 1,
		.type = KEVENT_S390_LOG,
		.event = KEVENT_S390_EVENTS_ALL,
		.param = KEVENT_S390_LOG_ANY_DEV,
	};
	struct kevent_ctl ctl = {
		.cmd = KEVENT_CTL_ADD,
		.num = 1,
		.events = (unsigned long)&req,
	};
	unsigned long long deliveries = 0;
	struct sigaction sa;
	int kfd, lfd, i;
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

	kfd = open("/dev/kevent", O_RDWR | O_CLOEXEC);
	if (kfd < 0)
		die(out, "open /dev/kevent");
	if (ioctl(kfd, KEVENT_IOC_INIT, &init) < 0)
		die(out, "KEVENT_IOC_INIT");
	lfd = open("/dev/kevent_s390_log", O_RDONLY | O_CLOEXEC);
	if (lfd < 0)
		die(out, "open /dev/kevent_s390_log");
	if (ioctl(lfd, KEVENT_S390_LOG_IOC_STATS, &stats) < 0)
		die(out, "KEVENT_S390_LOG_IOC_STATS");
	pos = stats.oldest_seq;	/* == next_seq when the log is empty */
	/* ADD returns the entries that failed (or were ready at once). */
	if (ioctl(kfd, KEVENT_IOC_CTL, &ctl) < 0)
		die(out, "KEVENT_IOC_CTL ADD");
	if (req.ret_flags & KEVENT_RET_BROKEN) {
		errno = (int)req.ret_data[1];
		die(out, "ADD KEVENT_S390_LOG request");
	}
	fprintf(out, "start seq=%llu\n", (unsigned long long)pos);
	fflush(out);

	while (!stop) {
		struct ukevent ev[4];
		struct kevent_get_events ge = {
			.min_nr = 1,
			.max_nr = 4,
			.buf = (unsigned long)ev,
			.timeout = { .tv_sec = 1 },
		};
		int n = ioctl(kfd, KEVENT_IOC_GET_EVENTS, &ge);

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
			struct kevent_s390_log_read rd = {
				.seq = pos,
				.buf = (unsigned long)recs,
				.max = sizeof(recs) / sizeof(recs[0]),
			};
			int got = ioctl(lfd, KEVENT_S390_LOG_IOC_READ, &rd);

			if (got < 0 && errno == EOVERFLOW) {
				fprintf(out, "lost=%llu\n",
					(unsigned long long)rd.lost);
				pos = rd.next_seq;
				continue;
			}
			if (got < 0)
				die(out, "KEVENT_S390_LOG_IOC_READ");
			for (i = 0; i < got; i++)
				fprintf(out, "seq=%llu device=%x.%x.%04x event=%s via=%llu\n",
					(unsigned long long)recs[i].seq,
					KEVENT_S390_DEVID_CSSID(recs[i].devid),
					KEVENT_S390_DEVID_SSID(recs[i].devid),
					KEVENT_S390_DEVID_DEVNO(recs[i].devid),
					event_name(recs[i].event),
					deliveries);
			pos = rd.next_seq;
			if (got == 0)
				break;
		}
		fflush(out);
	}
	fprintf(out, "end deliveries=%llu\n", deliveries);
	fclose(out);
	return 0;
}
