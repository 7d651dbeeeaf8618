// SPDX-License-Identifier: GPL-2.0
/*
 * kevent-bench: helpers every section uses.
 */
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>

#include "bench.h"

static void kb_vlog(const char *prefix, const char *fmt, va_list ap)
{
	int err = errno;	/* for %m in @fmt */

	fprintf(stderr, "kevent-bench: %s", prefix);
	errno = err;
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void kb_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kb_vlog("", fmt, ap);
	va_end(ap);
}

void kb_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kb_vlog("FATAL: ", fmt, ap);
	va_end(ap);
	exit(1);
}

void kb_row_init(struct kb_row *r, const char *section, const char *name)
{
	memset(r, 0, sizeof(*r));
	r->section = section;
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->threads = -1;
	r->load = -1;
	r->p50 = r->p99 = r->max = -1;
	r->lost = -1;
	r->unit = "";
}

static void put_num(double v, const char *fmt)
{
	if (v >= 0)
		printf(fmt, v);
	putchar(',');
}

/*
 * section,name,threads,load,value,unit,p50_us,p99_us,max_us,lost,note
 * (the host adds run, kernel, arch and guest in front)
 */
void kb_row_print(const struct kb_row *r)
{
	fputs(KB_ROW, stdout);
	printf("%s,%s,", r->section, r->name);
	put_num(r->threads, "%.0f");
	put_num(r->load, "%.0f");
	printf("%.6g,%s,", r->value, r->unit);
	put_num(r->p50, "%.1f");
	put_num(r->p99, "%.1f");
	put_num(r->max, "%.1f");
	put_num(r->lost, "%.0f");
	/* The note is free text: keep it a single CSV field. */
	for (const char *c = r->note; *c; c++)
		putchar(*c == ',' || *c == '"' || *c == '\n' ? ';' : *c);
	putchar('\n');
	fflush(stdout);
}

void kb_insn_end(const struct kb_insn_win *w)
{
	kevent_bench_insn_mark(KEVENT_BENCH_INSN_WIN_END);
	if (!kb_opt.insn)
		return;
	printf(KB_INSN "%s,%s,%d,%lld,%d,%llu,%d,%llu,%d,%d\n", w->section,
	       w->name, w->threads, w->load, w->prod_cpu,
	       (unsigned long long)w->notifies, w->cons_cpu,
	       (unsigned long long)w->consumed, sched_getcpu(),
	       w->prod_cpus > 1 ? w->prod_cpus : 1);
	fflush(stdout);
}

int kb_start(const struct kevent_bench_run *run)
{
	return ioctl(kb_fd, KEVENT_BENCH_IOC_START, run);
}

int kb_wait(struct kevent_bench_result *res)
{
	int ret;

	do {
		ret = ioctl(kb_fd, KEVENT_BENCH_IOC_WAIT, res);
	} while (ret < 0 && errno == EINTR);
	return ret;
}

void kb_pin(int cpu)
{
	cpu_set_t set;

	unsigned int i;

	if (cpu >= 0 && (unsigned int)cpu >= kb_opt.cpus)
		return;
	CPU_ZERO(&set);
	if (cpu >= 0)
		CPU_SET(cpu, &set);
	else
		for (i = 0; i < kb_opt.cpus; i++)
			CPU_SET(i, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/*
 * In the instruction-count pass, the main thread away from the producer
 * (CPU 0) and the first consumer (CPU 1), on the last CPU when there are
 * three or more, so that those CPUs' counts are theirs; @on false: any
 * CPU again.  The timing runs leave it to the scheduler, as they always
 * did.
 */
void kb_pin_main(bool on)
{
	if (kb_opt.insn && kb_opt.cpus >= 3)
		kb_pin(on ? (int)kb_opt.cpus - 1 : -1);
}

/*
 * ADD @n requests of @type, @event and @req_flags, ids @id0.., params
 * param(i, arg), in batches of KEVENT_CTL_MAX.  An entry that ADD copies
 * back has failed (KEVENT_RET_BROKEN: its errno) or was ready at once:
 * accepted, unless @flags has KB_ADD_READY_FAILS (EALREADY), for callers
 * that know nothing has fired yet.  One caller at a time: the batch is
 * static, 64 KiB.
 */
int kb_add_requests(int fd, uint32_t type, uint32_t event, uint32_t req_flags,
		    uint64_t id0, uint64_t n, kb_param_fn param, uint64_t arg,
		    unsigned int flags)
{
	static struct ukevent ev[KEVENT_CTL_MAX];
	uint64_t i = 0;
	unsigned int b, k;
	int ret;

	if (flags & ~KB_ADD_ALL) {
		errno = EINVAL;
		return -1;
	}
	while (i < n) {
		b = n - i > KEVENT_CTL_MAX ? KEVENT_CTL_MAX : n - i;
		memset(ev, 0, sizeof(ev[0]) * b);
		for (k = 0; k < b; k++) {
			ev[k].id = id0 + i + k;
			ev[k].type = type;
			ev[k].event = event;
			ev[k].req_flags = req_flags;
			ev[k].param = param(i + k, arg);
		}
		ret = kevent_ctl(fd, KEVENT_CTL_ADD, b, ev);
		if (ret < 0)
			return -1;
		for (k = 0; k < (unsigned int)ret; k++) {
			if (ev[k].ret_flags & KEVENT_RET_BROKEN) {
				errno = (int)ev[k].ret_data[1];
				return -1;
			}
			if (flags & KB_ADD_READY_FAILS) {
				errno = EALREADY;
				return -1;
			}
		}
		i += b;
	}
	return 0;
}

/* kb_param_fn for KEVENT_POLL: request i watches the i-th fd of int @arg[]. */
uint64_t kb_param_fd(uint64_t i, uint64_t arg)
{
	const int *fd = (const int *)(uintptr_t)arg;

	return fd[i];
}

/*
 * EPOLL_CTL_ADD @n fds of @fd[] to @epfd with @events, each with its index
 * in data.u32: the epoll twin of kb_add_requests() with kb_param_fd().
 * 0, or -1 with errno.
 */
int kb_epoll_watch(int epfd, const int *fd, unsigned int n, uint32_t events)
{
	struct epoll_event e = { .events = events };
	unsigned int i;

	for (i = 0; i < n; i++) {
		e.data.u32 = i;
		if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd[i], &e))
			return -1;
	}
	return 0;
}

/* Commit everything in the ring, backlog included.  Returns slots released. */
int kb_drain(struct kevent_ring *ring)
{
	unsigned int tail;
	int n = 0, ret;

	for (;;) {
		tail = kevent_ring_tail(ring);
		if (tail == kevent_ring_committed(ring))
			return n;
		ring->cursor = tail;
		kevent_ring_set_head(ring, tail);
		ret = kevent_commit(ring->fd, tail, 0);
		if (ret < 0)
			return -1;
		n += ret;
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int kb_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

double kb_median(double *v, unsigned int n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return n & 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
