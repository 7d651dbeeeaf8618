// SPDX-License-Identifier: GPL-2.0
/*
 * kevent-bench h2h: kevent's ring against epoll and io_uring on pollable
 * files, as epoll_bench and libevent's bench do it: N socketpairs (or
 * pipes) are watched, A of them get one byte a round, and the loop takes
 * the A events and reads each byte.  One thread on one CPU writes,
 * collects and reads, so every event is ready before it is looked for and
 * nobody sleeps: the cost per event of the mechanism at its best, plus a
 * write() and a read() that are the same for all three.
 *
 * Backends (KEVENT_POLL's contract: <linux/kevent.h>, "KEVENT_POLL"):
 *  kevent_ring  KEVENT_POLL requests, ring in head mode: entries taken
 *               from the mapping, given back by storing the head; a system
 *               call only to wait when the ring is empty (never, here);
 *  epoll        epoll_wait() with room for every fd;
 *  io_uring     IORING_OP_POLL_ADD (liburing), completions from the
 *               mapped CQ ring; io_uring_enter() only to submit or wait;
 *  none         no mechanism: the loop reads the files it wrote, the
 *               floor that the write() and read() alone cost.
 * Modes:
 *  level  kevent: default requests (the file is asked again when a
 *         delivery's slot is given back); epoll: default; io_uring: a
 *         single-shot POLL_ADD re-armed after each completion, the
 *         re-arms submitted with the next io_uring_enter() (a poll armed
 *         on a ready file completes at once: level);
 *  edge   kevent: KEVENT_REQ_ET; epoll: EPOLLET; io_uring: multishot
 *         POLL_ADD (IORING_POLL_ADD_MULTI), armed once.
 * Rows: section "h2h", name FILE/MODE/BACKEND, threads = A, load = N,
 * value = events/s (median over rounds, the backends taking turns); and
 * section "h2h_sys", the backend's system calls per event (counted where
 * they are made; the write() and read() of each event are not counted).
 * In the instruction-count pass (-I) each measurement is one window on
 * CPU 1: everything that CPU executed per event, user and kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"

enum { B_KEVENT, B_EPOLL, B_URING, B_NONE, B_MAX };

static const char *const bnames[B_MAX] = { "kevent_ring", "epoll", "io_uring", "none" };
static const char *const fnames[2] = { "socketpair", "pipe" };
static const char *const mnames[2] = { "level", "edge" };

static const unsigned int h2h_n[] = { 1, 100, 1000, 10000 };
static const unsigned int h2h_pct[] = { 1, 10, 100 };

/* A lost event would hang the loop: give up after this. */
#define H2H_TIMEOUT_S	5

struct h2h {
	unsigned int n;		/* files watched */
	unsigned int active;	/* of them written each round */
	bool edge;
	int *rfd, *wfd;		/* watched (read) end, written end */
	unsigned int *act;	/* the active ones' indices */
	unsigned int qsize;	/* ring/CQ/epoll room: a power of 2 >= n */
	/* per measurement */
	uint64_t got;		/* bytes read: events that were real */
	uint64_t spurious;	/* events with nothing to read */
	uint64_t sys;		/* backend system calls */
	/* kevent */
	struct kevent_ring *ring;
	/* epoll */
	int epfd;
	struct epoll_event *evs;
	/* io_uring */
	struct io_uring ur;
};

static void take(struct h2h *h, unsigned int idx)
{
	char buf[64];
	ssize_t r;

	if (idx >= h->n)
		kb_die("h2h: event for fd index %u of %u", idx, h->n);
	r = read(h->rfd[idx], buf, sizeof(buf));
	if (r > 0)
		h->got += r;
	else if (r < 0 && errno != EAGAIN)
		kb_die("h2h: read: %m");
	else
		h->spurious++;
}

/* --- kevent ------------------------------------------------------------ */

static int ring_fn(const struct ukevent *e, void *arg)
{
	if (e->ret_flags & KEVENT_RET_BROKEN)
		kb_die("h2h: KEVENT_POLL request %llu broken: %s",
		       (unsigned long long)e->id, strerror((int)e->ret_data[1]));
	take(arg, e->id);
	return 0;
}

static void kevent_setup(struct h2h *h)
{
	if (kevent_init(&h->ring, h->qsize, KEVENT_INIT_HEAD_COMMITS) < 0)
		kb_die("h2h: kevent_init(%u): %m", h->qsize);
	/* Nothing is written yet: an entry ready at ADD is a failure too. */
	if (kb_add_requests(h->ring->fd, KEVENT_POLL, KEVENT_POLL_IN,
			    h->edge ? KEVENT_REQ_ET : 0, 0, h->n, kb_param_fd,
			    (uintptr_t)h->rfd, KB_ADD_READY_FAILS))
		kb_die("h2h: ADD KEVENT_POLL: %m");
}

static void kevent_collect(struct h2h *h)
{
	static const struct timespec to = { .tv_sec = H2H_TIMEOUT_S };
	int n;

	n = kevent_ring_consume(h->ring, ~0U, ring_fn, h);
	if (n < 0)
		kb_die("h2h: kevent_ring_consume: %m");
	if (n > 0)
		return;
	h->sys++;
	n = kevent_ring_wait(h->ring, 1, &to, 0);
	if (n == 0)
		kb_die("h2h: kevent: no event in %d s", H2H_TIMEOUT_S);
	if (n < 0 && errno != EINTR)
		kb_die("h2h: kevent_ring_wait: %m");
}

/* --- epoll ------------------------------------------------------------- */

static void epoll_setup(struct h2h *h)
{
	h->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (h->epfd < 0)
		kb_die("h2h: epoll_create1: %m");
	h->evs = calloc(h->qsize, sizeof(*h->evs));
	if (!h->evs)
		kb_die("h2h: out of memory");
	if (kb_epoll_watch(h->epfd, h->rfd, h->n,
			   EPOLLIN | (h->edge ? EPOLLET : 0)))
		kb_die("h2h: EPOLL_CTL_ADD: %m");
}

static void epoll_collect(struct h2h *h)
{
	int n, i;

	h->sys++;
	n = epoll_wait(h->epfd, h->evs, h->qsize, H2H_TIMEOUT_S * 1000);
	if (n == 0)
		kb_die("h2h: epoll: no event in %d s", H2H_TIMEOUT_S);
	if (n < 0 && errno != EINTR)
		kb_die("h2h: epoll_wait: %m");
	for (i = 0; i < n; i++)
		take(h, h->evs[i].data.u32);
}

/* --- io_uring ---------------------------------------------------------- */

static void uring_arm(struct h2h *h, unsigned int idx)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&h->ur);
	int ret;

	if (!sqe) {
		/* SQ full: submit what is queued, then there is room. */
		h->sys++;
		ret = io_uring_submit(&h->ur);
		if (ret < 0)
			kb_die("h2h: io_uring_submit: %s", strerror(-ret));
		sqe = io_uring_get_sqe(&h->ur);
		if (!sqe)
			kb_die("h2h: no SQE after a submit");
	}
	if (h->edge)
		io_uring_prep_poll_multishot(sqe, h->rfd[idx], POLLIN);
	else
		io_uring_prep_poll_add(sqe, h->rfd[idx], POLLIN);
	io_uring_sqe_set_data64(sqe, idx);
}

static void uring_setup(struct h2h *h)
{
	struct io_uring_params p = { 0 };
	unsigned int i;
	int ret;

	/* Room for every completion of a round: nothing overflows. */
	p.flags = IORING_SETUP_CQSIZE;
	p.cq_entries = h->qsize * 2;
	ret = io_uring_queue_init_params(h->qsize, &h->ur, &p);
	if (ret < 0)
		kb_die("h2h: io_uring_queue_init_params(%u): %s", h->qsize,
		       strerror(-ret));
	for (i = 0; i < h->n; i++)
		uring_arm(h, i);
	ret = io_uring_submit(&h->ur);
	if (ret < 0)
		kb_die("h2h: io_uring_submit: %s", strerror(-ret));
}

static void uring_collect(struct h2h *h)
{
	struct __kernel_timespec to = { .tv_sec = H2H_TIMEOUT_S };
	struct io_uring_cqe *cqe;
	unsigned int head, n = 0;
	int ret;

	io_uring_for_each_cqe(&h->ur, head, cqe) {
		if (cqe->res < 0)
			kb_die("h2h: poll completion: %s", strerror(-cqe->res));
		take(h, (unsigned int)io_uring_cqe_get_data64(cqe));
		/* Single-shot, or a multishot poll that ended: arm again. */
		if (!(cqe->flags & IORING_CQE_F_MORE))
			uring_arm(h, (unsigned int)io_uring_cqe_get_data64(cqe));
		n++;
	}
	io_uring_cq_advance(&h->ur, n);
	if (n)
		return;
	/* Empty: submit the re-arms (they complete here if ready) and wait. */
	h->sys++;
	ret = io_uring_submit_and_wait_timeout(&h->ur, &cqe, 1, &to, NULL);
	if (ret == -ETIME)
		kb_die("h2h: io_uring: no event in %d s", H2H_TIMEOUT_S);
	if (ret < 0 && ret != -EINTR)
		kb_die("h2h: io_uring_submit_and_wait_timeout: %s", strerror(-ret));
}

/* --- the loop ---------------------------------------------------------- */

static void setup(struct h2h *h, int b)
{
	switch (b) {
	case B_KEVENT:
		kevent_setup(h);
		break;
	case B_EPOLL:
		epoll_setup(h);
		break;
	case B_URING:
		uring_setup(h);
		break;
	default:
		break;
	}
}

static void collect(struct h2h *h, int b)
{
	switch (b) {
	case B_KEVENT:
		kevent_collect(h);
		break;
	case B_EPOLL:
		epoll_collect(h);
		break;
	case B_URING:
		uring_collect(h);
		break;
	default:
		for (unsigned int i = 0; i < h->active; i++)
			take(h, h->act[i]);
	}
}

static void teardown(struct h2h *h, int b)
{
	switch (b) {
	case B_KEVENT:
		kevent_close(h->ring);
		h->ring = NULL;
		break;
	case B_EPOLL:
		close(h->epfd);
		free(h->evs);
		h->evs = NULL;
		break;
	case B_URING:
		io_uring_queue_exit(&h->ur);
		break;
	default:
		break;
	}
}

/* One round: a byte to each active file, then take every event. */
static void round_once(struct h2h *h, int b)
{
	uint64_t want = h->got + h->active;
	unsigned int i;

	for (i = 0; i < h->active; i++)
		if (write(h->wfd[h->act[i]], "x", 1) != 1)
			kb_die("h2h: write: %m");
	while (h->got < want)
		collect(h, b);
	if (h->got != want)
		kb_die("h2h: read %llu bytes, %llu written",
		       (unsigned long long)h->got, (unsigned long long)want);
}

/* A row's name: FILE/MODE/BACKEND. */
static void row_name(char *buf, size_t len, const struct h2h *h, int file,
		     int b)
{
	snprintf(buf, len, "%s/%s/%s", fnames[file], mnames[h->edge], bnames[b]);
}

struct h2h_res {
	double evs[KB_REPS_MAX];	/* events/s, one per repetition */
	uint64_t events, sys, spurious;
};

static void measure(struct h2h *h, int b, int file, struct h2h_res *res,
		    unsigned int rep)
{
	uint64_t t0, t, rounds = 0, dur = (uint64_t)kb_opt.h2h_ms * 1000000;
	char name[64];
	struct kb_insn_win win = {
		.section = "h2h", .name = name, .threads = (int)h->active,
		.load = h->n, .prod_cpu = 1, .cons_cpu = 1,
	};

	row_name(name, sizeof(name), h, file, b);
	setup(h, b);
	/* Warm up: first faults, the level repoll's first pass, caches. */
	round_once(h, b);
	h->got = 0;
	h->sys = 0;
	h->spurious = 0;
	kb_insn_begin();
	t0 = now_ns();
	do {
		/* A round is one "notify" of BENCH_PROFILE's per-function count. */
		kevent_bench_insn_mark(KEVENT_BENCH_INSN_ACC_BEGIN);
		round_once(h, b);
		kevent_bench_insn_mark(KEVENT_BENCH_INSN_ACC_END);
		rounds++;
		t = now_ns();
	} while (t - t0 < dur || rounds < 2);
	win.notifies = h->got;
	win.consumed = h->got;
	kb_insn_end(&win);
	teardown(h, b);
	res->evs[rep] = h->got * 1e9 / (double)(t - t0);
	res->events += h->got;
	res->sys += h->sys;
	res->spurious += h->spurious;
}

static unsigned int pow2_at_least(unsigned int n)
{
	unsigned int p = 64;

	while (p < n)
		p *= 2;
	return p;
}

static void open_files(struct h2h *h, int file)
{
	unsigned int i;
	int fds[2];

	for (i = 0; i < h->n; i++) {
		if (file == 0 ? socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK |
					   SOCK_CLOEXEC, 0, fds) :
		    pipe2(fds, O_NONBLOCK | O_CLOEXEC))
			kb_die("h2h: %s %u of %u: %m", fnames[file], i, h->n);
		h->rfd[i] = fds[0];
		h->wfd[i] = fds[1];
	}
}

static void close_files(struct h2h *h)
{
	unsigned int i;

	for (i = 0; i < h->n; i++) {
		close(h->rfd[i]);
		close(h->wfd[i]);
	}
}

static void report(struct h2h *h, int file, int b, struct h2h_res *r,
		   unsigned int reps)
{
	double lo = r->evs[0], hi = r->evs[0], sys;
	struct kb_row row;
	unsigned int i;

	for (i = 1; i < reps; i++) {
		lo = r->evs[i] < lo ? r->evs[i] : lo;
		hi = r->evs[i] > hi ? r->evs[i] : hi;
	}
	sys = r->events ? (double)r->sys / r->events : 0;
	kb_row_init(&row, "h2h", "");
	row_name(row.name, sizeof(row.name), h, file, b);
	row.threads = h->active;
	row.load = h->n;
	row.value = kb_median(r->evs, reps);
	row.unit = "ev/s";
	snprintf(row.note, sizeof(row.note),
		 "%u rounds of the backends: %.0f-%.0f ev/s; %.4f syscalls/event; %llu events; %llu spurious",
		 reps, lo, hi, sys, (unsigned long long)r->events,
		 (unsigned long long)r->spurious);
	kb_row_print(&row);
	row.section = "h2h_sys";
	row.value = sys;
	row.unit = "sys/ev";
	kb_row_print(&row);
}

static void raise_nofile(unsigned int need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		kb_die("h2h: getrlimit: %m");
	if (rl.rlim_cur >= need)
		return;
	rl.rlim_cur = need;
	if (rl.rlim_max < need)
		rl.rlim_max = need;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		kb_die("h2h: RLIMIT_NOFILE %u: %m", need);
}

/* Both modes on @h's files, the backends taking turns, each first in turn. */
static void compare(struct h2h *h, int file)
{
	unsigned int rep, reps = kb_opt.insn ? 1 : kb_opt.h2h_reps;
	struct h2h_res res[B_MAX];
	int mode, b, k;

	for (mode = 0; mode < 2; mode++) {
		h->edge = mode;
		memset(res, 0, sizeof(res));
		for (rep = 0; rep < reps; rep++)
			for (k = 0; k < B_MAX; k++) {
				b = (k + rep) % B_MAX;
				measure(h, b, file, &res[b], rep);
			}
		for (b = 0; b < B_MAX; b++)
			report(h, file, b, &res[b], reps);
	}
}

void kb_h2h(void)
{
	unsigned int nmax = kb_opt.h2h_max, ni, pi, i, last;
	struct h2h h = { 0 };
	int file;

	/* Two fds a file, and the queues. */
	raise_nofile(2 * nmax + 64);
	h.rfd = calloc(nmax, sizeof(int));
	h.wfd = calloc(nmax, sizeof(int));
	h.act = calloc(nmax, sizeof(unsigned int));
	if (!h.rfd || !h.wfd || !h.act)
		kb_die("h2h: out of memory");
	/* Writer, backend and reader on one CPU, not the producer kthread's. */
	kb_pin(kb_opt.cpus > 1 ? 1 : 0);
	for (file = 0; file < 2; file++) {
		for (ni = 0; ni < ARRAY_SIZE(h2h_n) && h2h_n[ni] <= nmax; ni++) {
			h.n = h2h_n[ni];
			h.qsize = pow2_at_least(h.n);
			open_files(&h, file);
			last = 0;
			for (pi = 0; pi < ARRAY_SIZE(h2h_pct); pi++) {
				h.active = h.n * h2h_pct[pi] / 100;
				if (!h.active)
					h.active = 1;
				/* 1% and 10% of 1 (or of 100) are the same row. */
				if (h.active == last)
					continue;
				last = h.active;
				/* Spread evenly over the N files. */
				for (i = 0; i < h.active; i++)
					h.act[i] = (unsigned int)((uint64_t)i * h.n / h.active);
				compare(&h, file);
			}
			close_files(&h);
		}
	}
	kb_pin(-1);
	free(h.rfd);
	free(h.wfd);
	free(h.act);
}
