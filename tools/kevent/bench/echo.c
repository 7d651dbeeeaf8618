// SPDX-License-Identifier: GPL-2.0
/*
 * kevent-bench echo: the practical case.  An echo server on CPU 1 serves
 * ECHO_CONNS connections (AF_UNIX stream socketpairs: the guest has no
 * network) through one of the h2h backends, and one load generator on
 * CPU 2 keeps one 64-byte request outstanding on each connection: it
 * waits with epoll (the same for every backend), reads each reply and
 * sends the next request.  Unlike h2h, the server sleeps when it has
 * nothing to do and is woken by the client's writes: wakeups across CPUs
 * are part of the cost, as in a real server.
 *
 * Server backends: kevent_ring (level KEVENT_POLL requests, head mode:
 * a system call only to wait on an empty ring), epoll (level,
 * epoll_wait), io_uring (multishot POLL_ADD, io_uring_enter only to
 * wait).  Rows: section "echo", name BACKEND, threads 1, load
 * ECHO_CONNS, value requests/s (median of the rounds, the backends
 * taking turns); the note has the server's system calls per request
 * besides its read() and write().  In the instruction-count pass, the
 * server CPU's instructions per request, and the client CPU's.
 */
#include <errno.h>
#include <liburing.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"

#define ECHO_CONNS	64
#define ECHO_MSG	64
/* The id of the stop connection, after the clients' */
#define ECHO_STOP	ECHO_CONNS

enum { E_KEVENT, E_EPOLL, E_URING, E_MAX };

static const char *const enames[E_MAX] = { "kevent_ring", "epoll", "io_uring" };

struct echo {
	int backend;
	int srv[ECHO_CONNS + 1];	/* server ends; the last one: stop */
	int cli[ECHO_CONNS + 1];	/* client ends */
	uint64_t served;		/* requests echoed */
	uint64_t sys;			/* server backend syscalls */
	bool stop;
	pthread_barrier_t ready;	/* the server has set up */
	struct kevent_ring *ring;
	int epfd;
	struct io_uring ur;
};

/* Echo what @idx has; false when the stop connection spoke. */
static bool serve(struct echo *e, unsigned int idx)
{
	char buf[ECHO_MSG];
	ssize_t r;

	if (idx == ECHO_STOP)
		return false;
	if (idx > ECHO_STOP)
		kb_die("echo: event for connection %u", idx);
	r = read(e->srv[idx], buf, sizeof(buf));
	if (r < 0 && errno == EAGAIN)
		return true;
	if (r <= 0)
		kb_die("echo: server read: %m");
	if (write(e->srv[idx], buf, r) != r)
		kb_die("echo: server write: %m");
	e->served++;
	return true;
}

static int ring_fn(const struct ukevent *ev, void *arg)
{
	struct echo *e = arg;

	if (ev->ret_flags & KEVENT_RET_BROKEN)
		kb_die("echo: request %llu broken", (unsigned long long)ev->id);
	if (!serve(e, ev->id))
		e->stop = true;
	return 0;
}

static void serve_kevent(struct echo *e)
{
	while (!e->stop) {
		int n = kevent_ring_consume(e->ring, ~0U, ring_fn, e);

		if (n < 0)
			kb_die("echo: kevent_ring_consume: %m");
		if (n || e->stop)
			continue;
		e->sys++;
		if (kevent_ring_wait(e->ring, 1, NULL, 0) < 0 && errno != EINTR)
			kb_die("echo: kevent_ring_wait: %m");
	}
}

static void serve_epoll(struct echo *e)
{
	struct epoll_event evs[ECHO_CONNS + 1];
	int n, i;

	while (!e->stop) {
		e->sys++;
		n = epoll_wait(e->epfd, evs, ECHO_CONNS + 1, -1);
		if (n < 0 && errno != EINTR)
			kb_die("echo: epoll_wait: %m");
		for (i = 0; i < n; i++)
			if (!serve(e, evs[i].data.u32))
				e->stop = true;
	}
}

static void uring_arm(struct echo *e, unsigned int idx)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&e->ur);

	if (!sqe)
		kb_die("echo: SQ full");
	io_uring_prep_poll_multishot(sqe, e->srv[idx], POLLIN);
	io_uring_sqe_set_data64(sqe, idx);
}

static void serve_uring(struct echo *e)
{
	struct io_uring_cqe *cqe;
	unsigned int head, n, idx;
	int ret;

	while (!e->stop) {
		n = 0;
		io_uring_for_each_cqe(&e->ur, head, cqe) {
			if (cqe->res < 0)
				kb_die("echo: poll: %s", strerror(-cqe->res));
			idx = (unsigned int)io_uring_cqe_get_data64(cqe);
			if (!serve(e, idx))
				e->stop = true;
			/* A multishot poll that ended: arm it again. */
			if (!(cqe->flags & IORING_CQE_F_MORE))
				uring_arm(e, idx);
			n++;
		}
		io_uring_cq_advance(&e->ur, n);
		if (n || e->stop)
			continue;
		e->sys++;
		ret = io_uring_submit_and_wait(&e->ur, 1);
		if (ret < 0 && ret != -EINTR)
			kb_die("echo: io_uring_submit_and_wait: %s", strerror(-ret));
	}
}

static void setup(struct echo *e)
{
	unsigned int i;
	int ret;

	switch (e->backend) {
	case E_KEVENT:
		if (kevent_init(&e->ring, 128, KEVENT_INIT_HEAD_COMMITS) < 0)
			kb_die("echo: kevent_init: %m");
		/* No request is sent yet: an entry ready at ADD is a failure. */
		if (kb_add_requests(e->ring->fd, KEVENT_POLL, KEVENT_POLL_IN, 0, 0,
				    ECHO_STOP + 1, kb_param_fd, (uintptr_t)e->srv,
				    KB_ADD_READY_FAILS))
			kb_die("echo: ADD KEVENT_POLL: %m");
		break;
	case E_EPOLL:
		e->epfd = epoll_create1(EPOLL_CLOEXEC);
		if (e->epfd < 0)
			kb_die("echo: epoll_create1: %m");
		if (kb_epoll_watch(e->epfd, e->srv, ECHO_STOP + 1, EPOLLIN))
			kb_die("echo: EPOLL_CTL_ADD: %m");
		break;
	default:
		ret = io_uring_queue_init(128, &e->ur, 0);
		if (ret < 0)
			kb_die("echo: io_uring_queue_init: %s", strerror(-ret));
		for (i = 0; i <= ECHO_STOP; i++)
			uring_arm(e, i);
		if (io_uring_submit(&e->ur) < 0)
			kb_die("echo: io_uring_submit");
	}
}

static void teardown(struct echo *e)
{
	switch (e->backend) {
	case E_KEVENT:
		kevent_close(e->ring);
		break;
	case E_EPOLL:
		close(e->epfd);
		break;
	default:
		io_uring_queue_exit(&e->ur);
	}
}

/*
 * The server thread sets its backend up itself: io_uring runs a poll's
 * completion as task work of the task that submitted it, and would
 * interrupt the load generator's epoll_wait() for it.
 */
static void *server(void *arg)
{
	struct echo *e = arg;

	kb_pin(1);
	setup(e);
	pthread_barrier_wait(&e->ready);
	switch (e->backend) {
	case E_KEVENT:
		serve_kevent(e);
		break;
	case E_EPOLL:
		serve_epoll(e);
		break;
	default:
		serve_uring(e);
	}
	teardown(e);
	return NULL;
}

/* The load generator: one request in flight per connection, for @ms. */
static uint64_t client(struct echo *e, unsigned int ms, uint64_t *ns)
{
	struct epoll_event evs[ECHO_CONNS];
	char msg[ECHO_MSG] = "kevent-bench echo";
	uint64_t done = 0, t0, end;
	int epfd, n, i;
	unsigned int c;
	ssize_t r;

	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0)
		kb_die("echo: epoll_create1: %m");
	if (kb_epoll_watch(epfd, e->cli, ECHO_CONNS, EPOLLIN))
		kb_die("echo: load EPOLL_CTL_ADD: %m");
	t0 = now_ns();
	end = t0 + (uint64_t)ms * 1000000;
	for (c = 0; c < ECHO_CONNS; c++)
		if (write(e->cli[c], msg, sizeof(msg)) != sizeof(msg))
			kb_die("echo: load write: %m");
	while (now_ns() < end) {
		n = epoll_wait(epfd, evs, ECHO_CONNS, 1000);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			kb_die("echo: no reply in 1 s: %m");
		for (i = 0; i < n; i++) {
			c = evs[i].data.u32;
			r = read(e->cli[c], msg, sizeof(msg));
			if (r != sizeof(msg))
				kb_die("echo: load read %zd: %m", r);
			done++;
			if (write(e->cli[c], msg, sizeof(msg)) != sizeof(msg))
				kb_die("echo: load write: %m");
		}
	}
	*ns = now_ns() - t0;
	/* Take the replies still in flight, then stop the server. */
	for (c = 0; c < ECHO_CONNS; c++) {
		while ((r = read(e->cli[c], msg, sizeof(msg))) < 0 && errno == EAGAIN)
			;
		if (r != sizeof(msg))
			kb_die("echo: last read %zd: %m", r);
	}
	close(epfd);
	return done;
}

static void run(struct echo *e, double *rps, double *sys, unsigned int ms)
{
	char name[32];
	struct kb_insn_win win = {
		.section = "echo", .name = name, .threads = 1,
		.load = ECHO_CONNS, .prod_cpu = 2, .cons_cpu = 1,
	};
	uint64_t done, ns;
	pthread_t th;
	char x = 0;

	snprintf(name, sizeof(name), "%s", enames[e->backend]);
	e->served = 0;
	e->sys = 0;
	e->stop = false;
	if (pthread_create(&th, NULL, server, e))
		kb_die("echo: pthread_create");
	pthread_barrier_wait(&e->ready);
	kb_insn_begin();
	done = client(e, ms, &ns);
	win.notifies = done;
	win.consumed = done;
	kb_insn_end(&win);
	if (write(e->cli[ECHO_STOP], &x, 1) != 1)
		kb_die("echo: stop: %m");
	pthread_join(th, NULL);
	if (read(e->srv[ECHO_STOP], &x, 1) != 1)
		kb_die("echo: stop byte: %m");
	*rps = done * 1e9 / (double)ns;
	*sys = e->served ? (double)e->sys / e->served : 0;
}

void kb_echo(void)
{
	unsigned int reps = kb_opt.insn ? 1 : kb_opt.h2h_reps, rep, k, i;
	unsigned int ms = kb_opt.quick ? 200 : 1000;
	double rps[E_MAX][KB_REPS_MAX], sys[E_MAX][KB_REPS_MAX];
	struct echo e = { 0 };
	struct kb_row row;
	int fds[2], b;

	if (kb_opt.cpus < 3)
		kb_die("echo: needs 3 CPUs (server, client, main)");
	for (i = 0; i <= ECHO_STOP; i++) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds))
			kb_die("echo: socketpair: %m");
		e.srv[i] = fds[0];
		e.cli[i] = fds[1];
	}
	pthread_barrier_init(&e.ready, NULL, 2);
	kb_pin(2);
	for (rep = 0; rep < reps; rep++)
		for (k = 0; k < E_MAX; k++) {
			e.backend = (k + rep) % E_MAX;
			run(&e, &rps[e.backend][rep], &sys[e.backend][rep], ms);
		}
	kb_pin(-1);
	pthread_barrier_destroy(&e.ready);
	for (b = 0; b < E_MAX; b++) {
		kb_row_init(&row, "echo", enames[b]);
		row.threads = 1;
		row.load = ECHO_CONNS;
		row.unit = "req/s";
		snprintf(row.note, sizeof(row.note),
			 "%.3f server syscalls/request besides read+write (median); %u rounds",
			 kb_median(sys[b], reps), reps);
		row.value = kb_median(rps[b], reps);
		kb_row_print(&row);
	}
	for (i = 0; i <= ECHO_STOP; i++) {
		close(e.srv[i]);
		close(e.cli[i]);
	}
}
