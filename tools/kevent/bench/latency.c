// SPDX-License-Identifier: GPL-2.0
/*
 * kevent-bench section 2: wakeup latency, from the notify to the moment
 * the consumer sees the event.
 *
 * The producer fires one event at a time (window 1): it waits until the
 * consumer has finished with the previous one, pauses gap_us so that the
 * consumer is asleep again, takes ktime_get_ns() and notifies.  The
 * consumer takes clock_gettime(CLOCK_MONOTONIC) (the same clock) as soon
 * as it holds the event and its timestamp.  Producer on CPU 0 (a kthread,
 * or an hrtimer armed there), consumer on CPU 1.
 */
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"
#include "libkevent_s390_log.h"

#define KB_WARMUP	10

const char *const kb_lat_names[KB_L_MAX] = {
	[KB_L_KWAIT] = "kevent_wait",
	[KB_L_KPOLL] = "kevent_poll",
	[KB_L_KEPOLL] = "kevent_epoll",
	[KB_L_EVENTFD] = "eventfd_epoll",
	[KB_L_GENL] = "genetlink_recv",
	[KB_L_UEVENT] = "uevent_recv",
	[KB_L_S390LOG] = "s390_log_wait+read",
};

static const char *const ctx_names[] = { "kthread", "hardirq" };

struct lat {
	enum kb_lat_kind kind;
	struct kevent_ring *ring;
	int kfd, efd, epfd, nlfd, logfd, family;
	uint64_t log_next;
};

static uint64_t param_storage(uint64_t i, uint64_t arg)
{
	return i;
}

static uint64_t param_any(uint64_t i, uint64_t arg)
{
	return KEVENT_S390_LOG_ANY_DEV;
}

static void lat_setup(struct lat *l, struct kevent_bench_run *run)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct kevent_s390_log_stats st;
	int group;

	l->kfd = l->efd = l->epfd = l->nlfd = l->logfd = -1;
	run->nr = 1;
	switch (l->kind) {
	case KB_L_KWAIT:
	case KB_L_KPOLL:
	case KB_L_KEPOLL:
		l->kfd = kevent_init(&l->ring, 64, 0);
		if (l->kfd < 0 ||
		    kb_add_requests(l->kfd, KEVENT_BENCH_TYPE, KEVENT_BENCH_EVENT,
				    0, 0, 64, param_storage, 0, 0))
			kb_die("kevent setup: %m");
		run->mech = KEVENT_BENCH_M_KEVENT;
		run->nr = 64;
		if (l->kind == KB_L_KEPOLL) {
			l->epfd = epoll_create1(EPOLL_CLOEXEC);
			if (l->epfd < 0 ||
			    epoll_ctl(l->epfd, EPOLL_CTL_ADD, l->kfd, &ev) < 0)
				kb_die("epoll on kevent: %m");
		}
		break;
	case KB_L_S390LOG:
		l->kfd = kevent_init(&l->ring, 64, 0);
		if (l->kfd < 0 ||
		    kb_add_requests(l->kfd, KEVENT_S390_LOG,
				    KEVENT_S390_TAPE_LOADED, 0, 1, 1, param_any, 0, 0))
			kb_die("s390 log request: %m");
		l->logfd = libkevent_s390_log_open();
		if (l->logfd < 0 || libkevent_s390_log_stats(l->logfd, &st))
			kb_die(LIBKEVENT_S390_LOG_DEVICE ": %m");
		l->log_next = st.next_seq;
		run->mech = KEVENT_BENCH_M_S390_LOG;
		break;
	case KB_L_EVENTFD:
		l->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		l->epfd = epoll_create1(EPOLL_CLOEXEC);
		if (l->efd < 0 || l->epfd < 0 ||
		    epoll_ctl(l->epfd, EPOLL_CTL_ADD, l->efd, &ev) < 0)
			kb_die("eventfd/epoll: %m");
		run->mech = KEVENT_BENCH_M_EVENTFD;
		run->eventfd = l->efd;
		break;
	case KB_L_GENL:
		l->nlfd = kb_genl_open(&l->family, &group);
		if (l->nlfd < 0)
			kb_die("genetlink: %m");
		run->mech = KEVENT_BENCH_M_GENL;
		break;
	case KB_L_UEVENT:
		l->nlfd = kb_uevent_open();
		if (l->nlfd < 0)
			kb_die("uevent socket: %m");
		run->mech = KEVENT_BENCH_M_UEVENT;
		break;
	default:
		break;
	}
}

static void lat_teardown(struct lat *l)
{
	if (l->ring)
		kevent_close(l->ring);
	if (l->efd >= 0)
		close(l->efd);
	if (l->epfd >= 0)
		close(l->epfd);
	if (l->nlfd >= 0)
		close(l->nlfd);
	if (l->logfd >= 0)
		close(l->logfd);
}

/* Take the one ring entry; returns its timestamp or 0. */
static uint64_t ring_take(struct lat *l)
{
	struct kevent_ring *r = l->ring;
	uint64_t ts;

	if (kevent_ring_tail(r) == r->cursor)
		return 0;
	ts = kevent_ring_entry(r, r->cursor)->ret_data[1];
	r->cursor++;
	kevent_ring_set_head(r, r->cursor);
	if (kevent_commit(r->fd, r->cursor, 0) < 0)
		kb_die("kevent_commit: %m");
	return ts;
}

/* Wait for one event; 1 with *t (seen) and *ts (fired), 0 on timeout. */
static int lat_one(struct lat *l, uint64_t *t, uint64_t *ts)
{
	static const struct timespec tmo = { .tv_nsec = 100000000 };
	struct kevent_s390_log_record rec;
	struct libkevent_s390_log_result res;
	struct pollfd pfd;
	struct epoll_event ev;
	char buf[2048];
	uint64_t cnt;
	ssize_t n;

	switch (l->kind) {
	case KB_L_KWAIT:
		if (kevent_wait(l->kfd, 1, l->ring->cursor, &tmo, 0) <= 0)
			return 0;
		*t = now_ns();
		*ts = ring_take(l);
		return *ts != 0;
	case KB_L_KPOLL:
		pfd.fd = l->kfd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 100) <= 0)
			return 0;
		*t = now_ns();
		*ts = ring_take(l);
		return *ts != 0;
	case KB_L_KEPOLL:
		if (epoll_wait(l->epfd, &ev, 1, 100) <= 0)
			return 0;
		*t = now_ns();
		*ts = ring_take(l);
		return *ts != 0;
	case KB_L_EVENTFD:
		if (epoll_wait(l->epfd, &ev, 1, 100) <= 0)
			return 0;
		*t = now_ns();
		if (read(l->efd, &cnt, sizeof(cnt)) != sizeof(cnt))
			return 0;
		/* No payload: the producer's timestamp is in the shared page. */
		*ts = __atomic_load_n(&kb_sh->last_ns, __ATOMIC_ACQUIRE);
		return 1;
	case KB_L_GENL:
	case KB_L_UEVENT:
		n = recv(l->nlfd, buf, sizeof(buf), 0);
		if (n <= 0)
			return 0;
		*t = now_ns();
		if (l->kind == KB_L_GENL)
			return !kb_genl_parse(buf, n, l->family, &cnt, ts);
		return !kb_uevent_parse(buf, n, &cnt, ts);
	case KB_L_S390LOG:
		if (kevent_wait(l->kfd, 1, l->ring->cursor, &tmo, 0) <= 0)
			return 0;
		ring_take(l);
		if (libkevent_s390_log_read(l->logfd, l->log_next, &rec, 1,
					    &res, NULL, 0) || res.count != 1)
			return 0;
		*t = now_ns();
		l->log_next = res.next;
		memcpy(ts, rec.payload + 8, sizeof(*ts));
		return 1;
	default:
		return 0;
	}
}

/* Samples of one row, collected over several rounds */
struct lat_acc {
	enum kb_lat_kind kind;
	unsigned int ctx;
	uint64_t *v;
	unsigned int n, seen, bad;
	uint64_t lost, fired, fire_ns;
};

static void lat_round(struct lat_acc *a, unsigned int count)
{
	struct kevent_bench_run run = {
		.ctx = a->ctx,
		.window = 1,
		.gap_us = kb_opt.lat_gap_us,
		.count = count + KB_WARMUP,
		.duration_ns = 60ULL * 1000000000ULL,
		.eventfd = -1,
		.cpu = 0,
	};
	struct kevent_bench_result res;
	struct lat l = { .kind = a->kind };
	uint64_t t, ts, progress, f, c;
	unsigned int seen = 0;

	lat_setup(&l, &run);
	/* Start from CPU 0: the hrtimer is armed on the CPU that starts it. */
	kb_pin(0);
	if (kb_start(&run) < 0)
		kb_die("START latency %s/%s: %m", kb_lat_names[a->kind],
		       ctx_names[a->ctx]);
	kb_pin(1);
	progress = now_ns();
	while (!(kb_done() && kb_consumed() >= kb_fired())) {
		if (!lat_one(&l, &t, &ts)) {
			/* An event that never came: count it, let the producer go on. */
			f = kb_fired();
			c = kb_consumed();
			if (f > c && now_ns() - progress > 1000000000ULL) {
				a->lost += f - c;
				kb_ack(f - c);
				progress = now_ns();
			}
			continue;
		}
		progress = t;
		if (ts && t >= ts) {
			if (seen++ >= KB_WARMUP && a->n < kb_opt.lat_samples)
				a->v[a->n++] = t - ts;
		} else {
			a->bad++;
		}
		kb_ack(1);
	}
	kb_wait(&res);
	lat_teardown(&l);
	kb_pin(-1);
	a->seen += seen;
	a->fired += res.fired;
	a->fire_ns += res.fire_ns;
}

static void lat_print(struct lat_acc *a)
{
	struct kb_row row;
	char name[64];
	unsigned int n = a->n;

	snprintf(name, sizeof(name), "%s/%s", kb_lat_names[a->kind], ctx_names[a->ctx]);
	kb_row_init(&row, "latency", name);
	row.threads = 1;
	row.unit = "us";
	if (n) {
		qsort(a->v, n, sizeof(*a->v), kb_cmp_u64);
		row.p50 = a->v[n / 2] / 1e3;
		row.p99 = a->v[(uint64_t)n * 99 / 100] / 1e3;
		row.max = a->v[n - 1] / 1e3;
		row.value = row.p50;
	}
	row.lost = a->lost;
	snprintf(row.note, sizeof(row.note),
		 "%u samples in %u rounds (warm-up dropped); gap %uus; producer %.2fus/notify%s",
		 n, kb_opt.lat_rounds, kb_opt.lat_gap_us,
		 a->fired ? a->fire_ns / 1e3 / a->fired : 0.0,
		 a->bad ? "; bad timestamps" : "");
	kb_row_print(&row);
	kb_sum.lat_p50[a->ctx][a->kind] = row.p50;
	kb_sum.lat_p99[a->ctx][a->kind] = row.p99;
}

/* Rows interleaved round by round, as for throughput. */
void kb_latency(void)
{
	static const enum kb_lat_kind kinds[] = {
		KB_L_KWAIT, KB_L_KPOLL, KB_L_KEPOLL, KB_L_EVENTFD,
		KB_L_S390LOG, KB_L_GENL, KB_L_UEVENT,
	};
	struct lat_acc acc[2 * KB_L_MAX];
	unsigned int i, j, k, ctx, n = 0, rep, per, order[2 * KB_L_MAX];
	uint64_t seed = 0x6c6174656e6379ULL;	/* "latency" */

	for (ctx = 0; ctx < 2; ctx++)
		for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
			/* Netlink and uevents allocate: not from hardirq. */
			if (ctx == KEVENT_BENCH_CTX_HARDIRQ &&
			    (kinds[i] == KB_L_GENL || kinds[i] == KB_L_UEVENT))
				continue;
			memset(&acc[n], 0, sizeof(acc[n]));
			acc[n].kind = kinds[i];
			acc[n].ctx = ctx;
			acc[n].v = calloc(kb_opt.lat_samples, sizeof(uint64_t));
			if (!acc[n].v)
				kb_die("out of memory");
			n++;
		}
	/*
	 * Many short rounds, every row in each: host load comes in bursts
	 * of seconds, and the p99s compare only if each row sees its share.
	 * The rows run in a new order each round (a fixed-seed shuffle, the
	 * same in every run): in a fixed order, the row after a switch of
	 * producer context had a p99 of its own, whatever its mechanism.
	 */
	for (i = 0; i < n; i++)
		order[i] = i;
	per = (kb_opt.lat_samples + kb_opt.lat_rounds - 1) / kb_opt.lat_rounds;
	for (rep = 0; rep < kb_opt.lat_rounds; rep++) {
		for (i = n - 1; i > 0; i--) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			j = (seed >> 33) % (i + 1);
			k = order[i];
			order[i] = order[j];
			order[j] = k;
		}
		for (j = 0; j < n; j++)
			lat_round(&acc[order[j]], per);
	}
	for (i = 0; i < n; i++) {
		lat_print(&acc[i]);
		free(acc[i].v);
	}
}
