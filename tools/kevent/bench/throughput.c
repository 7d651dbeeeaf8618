// SPDX-License-Identifier: GPL-2.0
/*
 * kevent-bench section 1: throughput, kernel to user, lossless.
 *
 * One producer kthread (CPU 0) fires events for a fixed time; the
 * consumers (CPUs 1..) take them through one mechanism, check every
 * event's sequence number against a bitmap (duplicates, gaps) and publish
 * what they have finished with, after committing it, in the shared page.
 *
 * The consumers count their system calls at each call site: those that
 * take events or give them back (read, recvmmsg, GET_EVENTS, a commit) and
 * those that only wait (kevent_wait, epoll_wait).  libkevent's ring
 * helpers make one KEVENT_IOC_COMMIT per call that consumed something in
 * commit mode, and none in head mode (head_test checks that).
 * The producer never has more than `window` events outstanding, for every
 * mechanism alike, so a mechanism that keeps up loses nothing; what is
 * lost anyway is counted and reported.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"
#include "libkevent_s390_log.h"

#define KB_TPUT_CAP	(1ULL << 24)	/* events per run at most */
#define KB_TPUT_SEEN	((KB_TPUT_CAP / 64 + 1) * sizeof(uint64_t))
#define KB_MAX_CONS	4
#define KB_BATCH	256
#define KB_MSGS		64
#define KB_MSGLEN	1024

const char *const kb_tput_names[KB_T_MAX] = {
	[KB_T_RING] = "kevent_ring",
	[KB_T_COPY] = "kevent_get_events",
	[KB_T_GENL] = "genetlink",
	[KB_T_UEVENT] = "uevent",
	[KB_T_EVENTFD] = "eventfd_epoll",
	[KB_T_S390LOG] = "s390_log_ring+read",
	[KB_T_RING_SPIN] = "kevent_ring_wait32",
	[KB_T_RING_COMMIT] = "kevent_ring_commit",
};

/* kevent_ring_wait32: sleep until this many entries, or KB_BATCH_WAIT. */
#define KB_BATCH_NUM	32

struct tput {
	enum kb_tput_kind kind;
	unsigned int threads;
	struct kevent_ring *ring;
	int kfd, logfd, nlfd, family, efd, epfd;
	uint64_t log_next;
	uint64_t *seen;
	volatile int stop;
	bool queued;			/* consumers start at @start */
	pthread_barrier_t start;
};

struct worker {
	struct tput *t;
	pthread_t tid;
	unsigned int id;
	uint64_t n, dups, bad, folded, overruns, last_ns;
	uint64_t sleeps;	/* voluntary context switches: blocking waits */
	uint64_t take_sys;	/* syscalls that take or give back events */
	uint64_t wait_sys;	/* syscalls that only wait */
};

static void mark(struct worker *w, uint64_t seq)
{
	uint64_t bit;

	if (!seq || seq > KB_TPUT_CAP) {
		w->bad++;
		return;
	}
	bit = 1ULL << (seq & 63);
	if (__atomic_fetch_or(&w->t->seen[seq >> 6], bit, __ATOMIC_RELAXED) & bit)
		w->dups++;
	w->n++;
}

static void check_kevent(struct worker *w, const struct ukevent *e)
{
	uint64_t seq = e->ret_data[0];

	if (e->ret_flags & KEVENT_RET_COALESCED)
		w->folded++;
	/* Request id is its storage: event seq went to (seq - 1) % nr. */
	if (seq && e->id != (seq - 1) % kb_opt.nr)
		w->bad++;
	mark(w, seq);
}

static int ring_fn(const struct ukevent *e, void *arg)
{
	check_kevent(arg, e);
	return 0;
}

static const struct timespec kb_tick = { .tv_nsec = 10000000 };
static const struct timespec kb_batch_wait = { .tv_nsec = 1000000 };

static void consume_ring1(struct worker *w)
{
	struct tput *t = w->t;
	int n;

	while (!t->stop) {
		n = kevent_ring_consume(t->ring, ~0U, ring_fn, w);
		if (n < 0)
			kb_die("kevent_ring_consume: %m");
		if (n > 0) {
			w->take_sys += t->kind == KB_T_RING_COMMIT;
			kb_ack(n);
			w->last_ns = now_ns();
			continue;
		}
		/* Fewer, larger batches: wake for 32 entries or after 1 ms. */
		w->wait_sys++;
		if (t->kind == KB_T_RING_SPIN)
			kevent_wait(t->kfd, KB_BATCH_NUM, t->ring->cursor, &kb_batch_wait, 0);
		else
			kevent_wait(t->kfd, 1, t->ring->cursor, &kb_tick, 0);
	}
}

static void consume_ring_mt(struct worker *w)
{
	struct tput *t = w->t;
	struct ukevent ev;
	unsigned int idx, got;

	while (!t->stop) {
		for (got = 0; got < KB_BATCH && kevent_ring_claim(t->ring, &idx, &ev); got++)
			check_kevent(w, &ev);
		if (got) {
			if (kevent_ring_commit_claimed(t->ring) < 0)
				kb_die("kevent_ring_commit_claimed: %m");
			w->take_sys += t->kind == KB_T_RING_COMMIT;
			kb_ack(got);
			w->last_ns = now_ns();
			continue;
		}
		/* Retries when another thread committed past our snapshot. */
		w->wait_sys++;
		kevent_ring_wait(t->ring, 1, &kb_tick, 0);
	}
}

static void consume_copy(struct worker *w)
{
	struct ukevent buf[KB_BATCH];
	struct tput *t = w->t;
	int n, i;

	while (!t->stop) {
		w->take_sys++;
		n = kevent_get_events(t->kfd, 1, KB_BATCH, &kb_tick, buf, 0);
		if (n <= 0)
			continue;
		for (i = 0; i < n; i++)
			check_kevent(w, &buf[i]);
		kb_ack(n);
		w->last_ns = now_ns();
	}
}

static void consume_netlink(struct worker *w)
{
	static __thread char bufs[KB_MSGS][KB_MSGLEN];
	struct mmsghdr msgs[KB_MSGS];
	struct iovec iov[KB_MSGS];
	struct tput *t = w->t;
	uint64_t seq, ts;
	int n, i, ok;

	for (i = 0; i < KB_MSGS; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = KB_MSGLEN;
	}
	while (!t->stop) {
		memset(msgs, 0, sizeof(msgs));
		for (i = 0; i < KB_MSGS; i++) {
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
		}
		w->take_sys++;
		n = recvmmsg(t->nlfd, msgs, KB_MSGS, MSG_WAITFORONE, NULL);
		if (n < 0) {
			if (errno == ENOBUFS)
				w->overruns++;
			continue;
		}
		for (i = 0, ok = 0; i < n; i++) {
			if (t->kind == KB_T_GENL)
				ok = !kb_genl_parse(bufs[i], msgs[i].msg_len, t->family, &seq, &ts);
			else
				ok = !kb_uevent_parse(bufs[i], msgs[i].msg_len, &seq, &ts);
			if (ok) {
				mark(w, seq);
				kb_ack(1);
			}
		}
		w->last_ns = now_ns();
	}
}

static void consume_eventfd(struct worker *w)
{
	struct tput *t = w->t;
	struct epoll_event ev;
	uint64_t cnt;

	while (!t->stop) {
		w->wait_sys++;
		if (epoll_wait(t->epfd, &ev, 1, 10) <= 0)
			continue;
		w->take_sys++;
		if (read(t->efd, &cnt, sizeof(cnt)) != sizeof(cnt))
			continue;	/* another thread took it */
		w->n += cnt;
		kb_ack(cnt);
		w->last_ns = now_ns();
	}
}

static int s390_fn(const struct ukevent *e, void *arg)
{
	struct worker *w = arg;

	if (e->ret_flags & KEVENT_RET_BROKEN)
		w->bad++;
	return 0;
}

/* Read every record from t->log_next on.  Returns the number read. */
static unsigned int s390_read(struct worker *w)
{
	static struct kevent_s390_log_record recs[KB_BATCH];
	struct libkevent_s390_log_result res;
	struct tput *t = w->t;
	unsigned int i, total = 0;
	char why[160] = "";
	uint64_t seq;

	for (;;) {
		w->take_sys++;
		if (libkevent_s390_log_read(t->logfd, t->log_next, recs,
					    KB_BATCH, &res, why, sizeof(why)))
			kb_die("KEVENT_S390_LOG_IOC_READ: %m %s", why);
		if (res.lost) {
			w->overruns += res.lost;
			t->log_next = res.next;
			continue;
		}
		if (!res.count)
			return total;
		for (i = 0; i < res.count; i++) {
			memcpy(&seq, recs[i].payload, sizeof(seq));
			if (recs[i].payload_len != KEVENT_BENCH_S390_PAYLOAD)
				w->bad++;
			else
				mark(w, seq);
		}
		t->log_next = res.next;
		kb_ack(res.count);
		total += res.count;
	}
}

static void consume_s390(struct worker *w)
{
	struct tput *t = w->t;
	int n;
	unsigned int got;

	while (!t->stop) {
		n = kevent_ring_consume(t->ring, ~0U, s390_fn, w);
		if (n < 0)
			kb_die("kevent_ring_consume: %m");
		got = s390_read(w);
		if (got)
			w->last_ns = now_ns();
		if (!n && !got) {
			w->wait_sys++;
			kevent_wait(t->kfd, 1, t->ring->cursor, &kb_tick, 0);
		}
	}
}

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	struct tput *t = w->t;
	struct rusage r0, r1;

	/* The producer is on CPU 0. */
	if (kb_opt.cpus > 1)
		kb_pin(1 + w->id % (kb_opt.cpus - 1));
	if (t->queued)
		pthread_barrier_wait(&t->start);
	getrusage(RUSAGE_THREAD, &r0);
	switch (t->kind) {
	case KB_T_RING:
	case KB_T_RING_SPIN:
	case KB_T_RING_COMMIT:
		if (t->threads == 1)
			consume_ring1(w);
		else
			consume_ring_mt(w);
		break;
	case KB_T_COPY:
		consume_copy(w);
		break;
	case KB_T_GENL:
	case KB_T_UEVENT:
		consume_netlink(w);
		break;
	case KB_T_EVENTFD:
		consume_eventfd(w);
		break;
	case KB_T_S390LOG:
		consume_s390(w);
		break;
	default:
		break;
	}
	getrusage(RUSAGE_THREAD, &r1);
	w->sleeps = r1.ru_nvcsw - r0.ru_nvcsw;
	return NULL;
}

static uint64_t param_storage(uint64_t i, uint64_t arg)
{
	return i + arg;
}

static uint64_t param_any(uint64_t i, uint64_t arg)
{
	return KEVENT_S390_LOG_ANY_DEV;
}

static void setup(struct tput *t, struct kevent_bench_run *run)
{
	struct kevent_s390_log_stats st;
	struct epoll_event ev = { .events = EPOLLIN };
	unsigned int entries = 4096;
	int group;

	while (entries < kb_opt.nr)
		entries *= 2;
	t->kfd = t->logfd = t->nlfd = t->efd = t->epfd = -1;
	switch (t->kind) {
	case KB_T_RING:
	case KB_T_RING_SPIN:
	case KB_T_RING_COMMIT:
	case KB_T_COPY:
		/* The ring gives entries back by its head, as io_uring's CQ. */
		t->kfd = kevent_init(&t->ring, entries,
				     t->kind == KB_T_RING || t->kind == KB_T_RING_SPIN ?
				     KEVENT_INIT_HEAD_COMMITS : 0);
		if (t->kfd < 0)
			kb_die("kevent_init: %m");
		/* One request per storage; id = storage. */
		if (kb_add_requests(t->kfd, KEVENT_BENCH_TYPE, KEVENT_BENCH_EVENT,
				    0, 0, kb_opt.nr, param_storage, 0, 0))
			kb_die("ADD KEVENT_BENCH_TYPE: %m");
		run->mech = KEVENT_BENCH_M_KEVENT;
		run->nr = kb_opt.nr;
		break;
	case KB_T_S390LOG:
		t->kfd = kevent_init(&t->ring, 64, KEVENT_INIT_HEAD_COMMITS);
		if (t->kfd < 0)
			kb_die("kevent_init: %m");
		if (kb_add_requests(t->kfd, KEVENT_S390_LOG, KEVENT_S390_TAPE_LOADED,
				    0, 1, 1, param_any, 0, 0))
			kb_die("ADD KEVENT_S390_LOG: %m");
		t->logfd = libkevent_s390_log_open();
		if (t->logfd < 0 || libkevent_s390_log_stats(t->logfd, &st))
			kb_die(LIBKEVENT_S390_LOG_DEVICE ": %m");
		t->log_next = st.next_seq;
		run->mech = KEVENT_BENCH_M_S390_LOG;
		run->nr = 1;
		break;
	case KB_T_GENL:
		t->nlfd = kb_genl_open(&t->family, &group);
		if (t->nlfd < 0)
			kb_die("generic netlink family %s: %m", KEVENT_BENCH_GENL_NAME);
		run->mech = KEVENT_BENCH_M_GENL;
		run->nr = 1;
		break;
	case KB_T_UEVENT:
		t->nlfd = kb_uevent_open();
		if (t->nlfd < 0)
			kb_die("uevent socket: %m");
		run->mech = KEVENT_BENCH_M_UEVENT;
		run->nr = 1;
		break;
	case KB_T_EVENTFD:
		t->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		t->epfd = epoll_create1(EPOLL_CLOEXEC);
		if (t->efd < 0 || t->epfd < 0 ||
		    epoll_ctl(t->epfd, EPOLL_CTL_ADD, t->efd, &ev) < 0)
			kb_die("eventfd/epoll: %m");
		run->mech = KEVENT_BENCH_M_EVENTFD;
		run->eventfd = t->efd;
		run->nr = 1;
		break;
	default:
		break;
	}
}

static void teardown(struct tput *t)
{
	if (t->ring)
		kevent_close(t->ring);
	else if (t->kfd >= 0)
		close(t->kfd);
	if (t->logfd >= 0)
		close(t->logfd);
	if (t->nlfd >= 0)
		close(t->nlfd);
	if (t->epfd >= 0)
		close(t->epfd);
	if (t->efd >= 0)
		close(t->efd);
}

struct tput_result {
	double rate;
	uint64_t fired, got, lost, dups, bad, folded, overruns, errors, sleeps;
	uint64_t take_sys, wait_sys;
	double fire_us, stall_pct;
};

/*
 * Events a queued run fires: the more, the less a window's fixed costs
 * (the consumer's one wakeup, interrupts while it waits) weigh per
 * event.  At most 3072: each storage is fired once (nr > 3072 by
 * default), the ring (>= nr entries) and the s390 log (4096 records)
 * hold them all, and nothing folds or is overwritten.
 */
static unsigned int queued_count(void)
{
	return kb_opt.nr - 1 < 3072 ? kb_opt.nr - 1 : 3072;
}

/*
 * One run.  @queued false: the consumers wait, and the producer fires as
 * fast as the window lets it.  @queued true, the instruction-count pass's
 * other run: the producer fires queued_count() events with nobody waiting, and
 * only then are the consumers let go (a barrier: one wakeup each) to take
 * them, in as few batches as the mechanism allows: no other wakeup on
 * either side, so that the counts do not depend on how fast the vCPUs
 * ran.
 */
static void tput_once(enum kb_tput_kind kind, unsigned int threads,
		      struct tput_result *r, bool queued)
{
	struct kevent_bench_run run = {
		.ctx = KEVENT_BENCH_CTX_KTHREAD,
		.window = queued ? 0 : kb_opt.window,
		.count = queued ? queued_count() : KB_TPUT_CAP,
		.duration_ns = (uint64_t)kb_opt.duration_ms * 1000000,
		.eventfd = -1,
		.cpu = 0,
	};
	struct worker w[KB_MAX_CONS];
	struct kevent_bench_result res;
	struct tput t = { .kind = kind, .threads = threads, .queued = queued };
	struct kb_insn_win win = {
		.section = queued ? "throughput_queued" : "throughput",
		.name = kb_tput_names[kind],
		.threads = threads, .load = -1, .prod_cpu = run.cpu,
		.cons_cpu = kb_opt.cpus > 1 ? 1 : 0,
	};
	uint64_t t0, last = 0, elapsed;
	unsigned int i;

	memset(r, 0, sizeof(*r));
	memset(w, 0, sizeof(w));
	/*
	 * Zeroed here, not by calloc(): its pages are faulted in now rather
	 * than by the consumer inside a measured window, where a fresh huge
	 * page's clearing cost millions of instructions in some boots.
	 */
	t.seen = malloc(KB_TPUT_SEEN);
	if (!t.seen)
		kb_die("out of memory");
	memset(t.seen, 0, KB_TPUT_SEEN);
	setup(&t, &run);
	if (queued && pthread_barrier_init(&t.start, NULL, threads + 1))
		kb_die("pthread_barrier_init");
	for (i = 0; i < threads; i++) {
		w[i].t = &t;
		w[i].id = i;
		if (pthread_create(&w[i].tid, NULL, worker_fn, &w[i]))
			kb_die("pthread_create");
	}
	/* Let the consumers block first. */
	usleep(20000);
	kb_insn_begin();
	if (kb_start(&run) < 0)
		kb_die("KEVENT_BENCH_IOC_START %s: %m", kb_tput_names[kind]);
	if (kb_wait(&res) < 0)
		kb_die("KEVENT_BENCH_IOC_WAIT: %m");
	if (queued)
		pthread_barrier_wait(&t.start);
	/* Drain: whatever is not consumed 2 s after the producer stopped is lost. */
	t0 = now_ns();
	while (kb_consumed() < res.fired && now_ns() - t0 < 2000000000ULL)
		usleep(1000);
	win.consumed = kb_consumed();
	win.notifies = res.fired;
	kb_insn_end(&win);
	t.stop = 1;
	for (i = 0; i < threads; i++)
		pthread_join(w[i].tid, NULL);
	if (queued)
		pthread_barrier_destroy(&t.start);

	r->fired = res.fired;
	r->errors = res.errors;
	for (i = 0; i < threads; i++) {
		r->got += w[i].n;
		r->dups += w[i].dups;
		r->bad += w[i].bad;
		r->folded += w[i].folded;
		r->overruns += w[i].overruns;
		r->sleeps += w[i].sleeps;
		r->take_sys += w[i].take_sys;
		r->wait_sys += w[i].wait_sys;
		if (w[i].last_ns > last)
			last = w[i].last_ns;
	}
	/* Distinct events delivered; eventfd has no identity, only a count. */
	r->got -= r->dups;
	r->lost = r->fired > r->got ? r->fired - r->got : 0;
	elapsed = last > res.start_ns ? last - res.start_ns : 0;
	r->rate = elapsed ? r->got * 1e9 / elapsed : 0;
	r->fire_us = res.fired ? res.fire_ns / 1e3 / res.fired : 0;
	r->stall_pct = res.end_ns > res.start_ns ?
		100.0 * res.stall_ns / (res.end_ns - res.start_ns) : 0;
	teardown(&t);
	free(t.seen);
}

static void tput_row(enum kb_tput_kind kind, unsigned int threads,
		     struct tput_result *r, unsigned int reps)
{
	uint64_t lost = 0, bad = 0, dups = 0, folded = 0, over = 0, errs = 0;
	struct tput_result *m = NULL;
	double rates[KB_REPS_MAX], med;
	struct kb_row row;
	unsigned int i;

	for (i = 0; i < reps; i++) {
		rates[i] = r[i].rate;
		lost += r[i].lost;
		bad += r[i].bad;
		dups += r[i].dups;
		folded += r[i].folded;
		over += r[i].overruns;
		errs += r[i].errors;
	}
	med = kb_median(rates, reps);
	for (i = 0; i < reps; i++)
		if (r[i].rate == med || !m)
			m = &r[i];
	kb_row_init(&row, "throughput", kb_tput_names[kind]);
	row.threads = threads;
	row.value = med;
	row.unit = "ev/s";
	row.lost = lost;
	snprintf(row.note, sizeof(row.note),
		 "%s; median of %u (min %.0f max %.0f); %llu ev; producer %.2fus/notify stalled %.0f%%; %.0f ev/consumer sleep%s%s",
		 lost || bad || dups ? "LOSS" : "lossless", reps, rates[0],
		 rates[reps - 1], (unsigned long long)m->fired, m->fire_us,
		 m->stall_pct, m->sleeps ? (double)m->got / m->sleeps : 0,
		 folded ? "; folded" : "",
		 over || errs ? "; overruns/errors" : "");
	if (bad || dups || folded || over || errs)
		kb_log("%s/%u: bad %llu dup %llu folded %llu overrun %llu errors %llu",
		       kb_tput_names[kind], threads, (unsigned long long)bad,
		       (unsigned long long)dups, (unsigned long long)folded,
		       (unsigned long long)over, (unsigned long long)errs);
	kb_row_print(&row);
	kb_sum.tput[kind][threads] = med;

	/* The system calls of the median run, per 1000 events delivered. */
	kb_row_init(&row, "syscalls", kb_tput_names[kind]);
	row.threads = threads;
	row.value = m->got ? (m->take_sys + m->wait_sys) * 1000.0 / m->got : 0;
	row.unit = "syscalls/1000 ev";
	snprintf(row.note, sizeof(row.note),
		 "take or give back %.2f; wait %.2f; per 1000 of %llu ev",
		 m->got ? m->take_sys * 1000.0 / m->got : 0,
		 m->got ? m->wait_sys * 1000.0 / m->got : 0,
		 (unsigned long long)m->got);
	kb_row_print(&row);
	if (threads == 1 && m->got) {
		kb_sum.take_sys[kind] = m->take_sys * 1000.0 / m->got;
		kb_sum.wait_sys[kind] = m->wait_sys * 1000.0 / m->got;
	}
	if (threads == 1)
		kb_sum.fire_us[kind] = m->fire_us;
}

/*
 * tput_match: does the -m list (NAME or NAME/THREADS, comma-separated)
 * select configuration @kind with @threads consumers?  1 or 0; -1 if the
 * list names a mechanism that does not exist or is malformed (@kind < 0:
 * only check the list).
 */
static int tput_match(const char *list, int kind, unsigned int threads)
{
	const char *p = list, *end, *slash;
	unsigned int k, n;
	int hit = 0;
	size_t len;
	char *e;

	if (!*p)
		return -1;
	while (*p) {
		/*
		 * Names first, since one holds a '+' (s390_log_ring+read);
		 * then '+' separates too: BENCH_ARGS reaches the guest with
		 * commas as spaces.
		 */
		for (k = 0; k < KB_T_MAX; k++) {
			len = strlen(kb_tput_names[k]);
			if (!strncmp(kb_tput_names[k], p, len) &&
			    strchr("/,+", p[len]))
				break;
		}
		if (k == KB_T_MAX) {
			kb_log("-m: no throughput configuration '%.*s'",
			       (int)strcspn(p, "/,+"), p);
			return -1;
		}
		end = p + len + strcspn(p + len, ",+");
		slash = p[len] == '/' ? p + len : NULL;
		n = 0;
		if (slash) {
			n = strtoul(slash + 1, &e, 10);
			if (e != end || !n || n > KB_MAX_CONS) {
				kb_log("-m: bad consumer count in '%.*s'", (int)(end - p), p);
				return -1;
			}
		}
		if ((int)k == kind && (!n || n == threads))
			hit = 1;
		p = *end ? end + 1 : end;
	}
	return hit;
}

int kb_tput_select(const char *list)
{
	return tput_match(list, -1, 0) < 0 ? -1 : 0;
}

static bool tput_selected(enum kb_tput_kind kind, unsigned int threads)
{
	if (threads > 1 && (kb_opt.quick || kb_opt.insn))
		return false;
	return !kb_opt.mechs || tput_match(kb_opt.mechs, kind, threads) > 0;
}

/*
 * Every configuration once per round, rounds repeated: a burst of load on
 * the shared host then hits every mechanism alike, and the median of the
 * rounds is reported.
 */
void kb_throughput(void)
{
	static const struct {
		enum kb_tput_kind kind;
		unsigned int threads;
	} cfg[] = {
		{ KB_T_RING, 1 }, { KB_T_RING_SPIN, 1 }, { KB_T_RING_COMMIT, 1 },
		{ KB_T_COPY, 1 }, { KB_T_EVENTFD, 1 },
		{ KB_T_GENL, 1 }, { KB_T_UEVENT, 1 }, { KB_T_S390LOG, 1 },
		{ KB_T_RING, 2 }, { KB_T_COPY, 2 }, { KB_T_EVENTFD, 2 },
		{ KB_T_GENL, 2 }, { KB_T_UEVENT, 2 },
		{ KB_T_RING, 4 }, { KB_T_COPY, 4 }, { KB_T_EVENTFD, 4 },
		{ KB_T_GENL, 4 }, { KB_T_UEVENT, 4 },
	};
	enum { NCFG = sizeof(cfg) / sizeof(cfg[0]) };
	static struct tput_result res[NCFG][KB_REPS_MAX];
	unsigned int i, rep, reps = kb_opt.repeats;

	if (reps > KB_REPS_MAX)
		reps = KB_REPS_MAX;
	kb_pin_main(true);
	for (rep = 0; rep < reps; rep++)
		for (i = 0; i < NCFG; i++) {
			if (!tput_selected(cfg[i].kind, cfg[i].threads))
				continue;
			tput_once(cfg[i].kind, cfg[i].threads, &res[i][rep], false);
		}
	for (i = 0; i < NCFG; i++) {
		if (!tput_selected(cfg[i].kind, cfg[i].threads))
			continue;
		tput_row(cfg[i].kind, cfg[i].threads, res[i], reps);
	}
	/*
	 * How many events a consumer finds per wakeup, and so how many
	 * wakeups it pays for, depends on how fast the vCPUs ran: the counts
	 * of the runs above move with it.  Queued runs have no wakeup, and
	 * counts that do not move (Documentation/bench.rst).
	 */
	for (i = 0; kb_opt.insn && i < NCFG; i++) {
		if (tput_selected(cfg[i].kind, cfg[i].threads))
			tput_once(cfg[i].kind, cfg[i].threads, &res[i][0], true);
	}
	kb_pin_main(false);
}
