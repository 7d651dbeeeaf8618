// SPDX-License-Identifier: GPL-2.0
/*
 * Following the s390 log: records printed as they happen, for "monitor"
 * and "read --follow".  A kevent queue of its own holds one
 * KEVENT_S390_LOG request per device asked for (or one for every
 * device), with KEVENT_REQ_WAKEUP_ALL so that it never takes a wakeup
 * from keventlogd; the records are read by sequence number from the
 * position on.  The requests are added before the first read, so that
 * nothing that happens in between is missed.
 *
 * The configuration is a keventlogd configuration (devices, events, wake
 * all), so that the requests, the filter and the reading are keventlogd's
 * own: kld_reqs_add(), kld_config_match() and kld_drain().
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <time.h>

#include "drain.h"
#include "keventctl.h"
#include "libkevent.h"
#include "requests.h"

/**
 * struct follow - one run
 * @w: what to follow and where it is
 * @printed: records printed so far
 */
struct follow {
	struct kctl_follow *w;
	__u64 printed;
};

/* Print a READ's answer.  1 once --count is reached. */
static int show(void *arg, __u64 first,
		const struct libkevent_s390_log_result *rd,
		const struct kevent_s390_log_record *recs)
{
	struct follow *f = arg;
	struct kctl_follow *w = f->w;
	unsigned int i;

	if (rd->lost)
		kctl_out_lost(&w->out, first, rd->lost);
	for (i = 0; i < rd->count; i++) {
		if (!kld_config_match(&w->conf, recs[i].devid, recs[i].event))
			continue;
		kctl_out_record(&w->out, &recs[i]);
		if (w->count && ++f->printed >= w->count) {
			fflush(w->out.t.f);
			return 1;
		}
	}
	fflush(w->out.t.f);
	w->pos = rd->next - 1;
	return 0;
}

static __u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

/* When --timeout ends, in now_ms() time; ~0 (never) if it is that far. */
static __u64 deadline(__u64 timeout)
{
	__u64 now = now_ms();

	if (!timeout || timeout > (~0ULL - now) / 1000)
		return ~0ULL;
	return now + timeout * 1000;
}

static int add_requests(struct kctl_follow *w, int kfd, struct kld_reqs *r)
{
	__u64 next_id = 1;
	char why[512];
	int err;

	w->conf.wake_all = true;
	kld_config_sort_devices(&w->conf);
	err = kld_reqs_add(kfd, &w->conf, &next_id, r, why, sizeof(why));
	if (err) {
		fprintf(stderr, "keventctl: adding requests: %s\n",
			strerror(-err));
		return -1;
	}
	return 0;
}

/* Print, wait for a wakeup, print again, until --count or --timeout. */
static int loop(struct follow *f, int kfd, int lfd, struct kevent_ring *ring)
{
	struct pollfd pfd = { .fd = kfd, .events = POLLIN };
	__u64 end = deadline(f->w->timeout), now;
	char why[160];
	unsigned int tail;
	int ret;

	for (;;) {
		ret = kld_drain(lfd, &f->w->pos, UINT_MAX, show, f, why,
				sizeof(why));
		if (ret == KLD_DRAIN_STOPPED)
			return 0;
		if (ret == -ERANGE) {
			fprintf(stderr, "keventctl: sequence %llu was never issued\n  hint: keventctl status shows the next sequence number\n",
				(unsigned long long)f->w->pos + 1);
			return -1;
		}
		if (ret < 0) {
			fprintf(stderr, "keventctl: READ from %llu: %s%s%s\n",
				(unsigned long long)f->w->pos + 1,
				strerror(-ret), ret == -EPROTO ? ": " : "",
				ret == -EPROTO ? why : "");
			return -1;
		}
		tail = kevent_ring_tail(ring);
		kevent_ring_set_head(ring, tail);
		if (tail != kevent_ring_committed(ring))
			kevent_commit(kfd, tail, 0);
		now = now_ms();
		if (now >= end)
			return f->w->count ? 1 : 0;
		ret = poll(&pfd, 1, end - now > INT_MAX ? INT_MAX :
			   (int)(end - now));
		if (ret < 0 && errno != EINTR) {
			fprintf(stderr, "keventctl: poll: %s\n",
				strerror(errno));
			return -1;
		}
	}
}

/**
 * kctl_follow() - print records from @w->pos on as they come
 * @w: what to follow; @w->conf's devices stay the caller's
 * @lfd: the log device
 *
 * Return: 0 when --count was reached, or --timeout ran out without a
 * --count; 1 when --timeout ran out before --count; -1 on errors
 * (reported).
 */
int kctl_follow(struct kctl_follow *w, int lfd)
{
	struct follow f = { .w = w };
	struct kevent_ring *ring = NULL;
	struct kld_reqs reqs = { 0 };
	int kfd, ret = -1;

	kfd = kevent_init(&ring, 64, 0);
	if (kfd < 0) {
		fprintf(stderr, "keventctl: %s: %s\n", KLD_KEVENT_DEV,
			strerror(errno));
		return -1;
	}
	if (!add_requests(w, kfd, &reqs))
		ret = loop(&f, kfd, lfd, ring);
	if (reqs.n)
		kld_reqs_remove(kfd, &reqs);
	kevent_close(ring);
	return ret;
}
