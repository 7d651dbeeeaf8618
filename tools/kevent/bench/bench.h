/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kevent-bench: what the benchmark's files share.  See
 * Documentation/bench.rst for the method.
 */
#ifndef _KEVENT_BENCH_TOOL_H
#define _KEVENT_BENCH_TOOL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "libkevent.h"		/* libkevent */
#include "kmod/kevent_bench.h"
#include "kmod/kevent_bench_insn.h"

#define KB_DEV		"/dev/kevent_bench"
#define KB_ROW		"KEVENT-BENCH-ROW: "
#define KB_INSN		"KEVENT-BENCH-INSN: "

/* Options, set by main.c */
struct kb_opts {
	unsigned int duration_ms;	/* throughput: producer run length */
	unsigned int repeats;		/* throughput: runs per row, median */
	unsigned int window;		/* events fired and not consumed */
	unsigned int nr;		/* storages the producer goes round */
	unsigned int lat_samples;	/* latency: events per row */
	unsigned int lat_gap_us;	/* latency: pause before each event */
	unsigned int lat_rounds;	/* latency: rounds the samples are spread over */
	unsigned int scale_max;		/* scale: largest load */
	unsigned int scale_rounds;	/* scale: bursts per load */
	unsigned int h2h_ms;		/* h2h: length of one measurement */
	unsigned int h2h_reps;		/* h2h: rounds of the backends, median */
	unsigned int h2h_max;		/* h2h: most files watched */
	unsigned int cpus;		/* online CPUs */
	bool quick;			/* a short run, for smoke tests */
	bool insn;			/* the instruction-count pass (-I) */
	const char *mechs;		/* throughput: -m list, NULL for all */
};

extern struct kb_opts kb_opt;
extern int kb_fd;				/* /dev/kevent_bench */
extern struct kevent_bench_shared *kb_sh;	/* its shared page */

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Consumers: we are done with @n events (after committing them). */
static inline void kb_ack(uint64_t n)
{
	__atomic_fetch_add(&kb_sh->consumed, n, __ATOMIC_RELEASE);
}

static inline uint64_t kb_fired(void)
{
	return __atomic_load_n(&kb_sh->fired, __ATOMIC_ACQUIRE);
}

static inline uint64_t kb_consumed(void)
{
	return __atomic_load_n(&kb_sh->consumed, __ATOMIC_ACQUIRE);
}

static inline bool kb_done(void)
{
	return __atomic_load_n(&kb_sh->done, __ATOMIC_ACQUIRE);
}

/* One result row; p50/p99/max < 0 and lost < 0 are printed empty. */
struct kb_row {
	const char *section;
	char name[64];
	int threads;
	long long load;
	double value;
	const char *unit;
	double p50, p99, max;
	long long lost;
	char note[320];
};

void kb_row_init(struct kb_row *r, const char *section, const char *name);
void kb_row_print(const struct kb_row *r);
void kb_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kb_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/*
 * One window of the instruction-count pass: the QEMU plugin reports every
 * vCPU's counters at both markers (kmod/kevent_bench_insn.h), and with -I
 * kb_insn_end() prints what the window did, as
 *   KEVENT-BENCH-INSN: section,name,threads,load,producer_cpu,notifies,
 *                      consumer_cpu,consumed,main_cpu,producer_cpus
 * which scripts/bench-insn.awk pairs with them, in order.  Markers are
 * executed in every pass; they cost one NOP.
 */
static inline void kb_insn_begin(void)
{
	kevent_bench_insn_mark(KEVENT_BENCH_INSN_WIN_BEGIN);
}

struct kb_insn_win {
	const char *section;
	const char *name;
	int threads;
	long long load;
	int prod_cpu;		/* the CPU whose notifies are counted */
	int prod_cpus;		/* and the next ones: 0 is 1 */
	uint64_t notifies;
	int cons_cpu;		/* -1: no consumer */
	uint64_t consumed;
};

void kb_insn_end(const struct kb_insn_win *w);

/* common.c */
int kb_start(const struct kevent_bench_run *run);
int kb_wait(struct kevent_bench_result *res);
void kb_pin(int cpu);
void kb_pin_main(bool on);
typedef uint64_t (*kb_param_fn)(uint64_t i, uint64_t arg);
/* kb_add_requests() flags */
#define KB_ADD_READY_FAILS	0x01	/* an entry ready at ADD is a failure */
#define KB_ADD_ALL		KB_ADD_READY_FAILS
int kb_add_requests(int fd, uint32_t type, uint32_t event, uint32_t req_flags,
		    uint64_t id0, uint64_t n, kb_param_fn param, uint64_t arg,
		    unsigned int flags);
uint64_t kb_param_fd(uint64_t i, uint64_t arg);
int kb_epoll_watch(int epfd, const int *fd, unsigned int n, uint32_t events);
int kb_drain(struct kevent_ring *ring);
double kb_median(double *v, unsigned int n);
int kb_cmp_u64(const void *a, const void *b);

/* netlink.c */
int kb_genl_open(int *family, int *group);
int kb_uevent_open(void);
int kb_genl_parse(const void *buf, size_t len, int family, uint64_t *seq,
		  uint64_t *ts);
int kb_uevent_parse(const char *buf, size_t len, uint64_t *seq, uint64_t *ts);

enum kb_tput_kind {
	KB_T_RING,
	KB_T_COPY,
	KB_T_GENL,
	KB_T_UEVENT,
	KB_T_EVENTFD,
	KB_T_S390LOG,
	KB_T_RING_SPIN,
	KB_T_RING_COMMIT,
	KB_T_MAX,
};

enum kb_lat_kind {
	KB_L_KWAIT,
	KB_L_KPOLL,
	KB_L_KEPOLL,
	KB_L_EVENTFD,
	KB_L_GENL,
	KB_L_UEVENT,
	KB_L_S390LOG,
	KB_L_MAX,
};

#define KB_LOADS_MAX	8
#define KB_REPS_MAX	16
#define KB_PAR_MAX	4

/* What the sections keep for the target check at the end (0: not run) */
struct kb_summary {
	double tput[KB_T_MAX][5];		/* ev/s, by consumer threads */
	double take_sys[KB_T_MAX];		/* 1 consumer: syscalls to take */
	double wait_sys[KB_T_MAX];		/*   / wait for, per 1000 ev */
	double fire_us[KB_T_MAX];		/* producer us/notify, 1 consumer */
	double lat_p50[2][KB_L_MAX];		/* us, by context */
	double lat_p99[2][KB_L_MAX];
	unsigned long long loads[KB_LOADS_MAX];
	unsigned int nloads;
	double scale_ns[2][KB_LOADS_MAX];	/* kevent, s390 log */
	double scale_rel[2][KB_LOADS_MAX];	/* ... / unloaded reference */
	double batch_rel[2];			/* batches / single notifies */
	double mem_total, mem_free;		/* bytes per request */
	double par[KB_PAR_MAX][5];		/* notifies/s, by producers */
};

extern struct kb_summary kb_sum;
extern const char *const kb_tput_names[KB_T_MAX];
extern const char *const kb_lat_names[KB_L_MAX];

void kb_throughput(void);
int kb_tput_select(const char *list);
void kb_latency(void);
void kb_scale(void);
void kb_parallel(void);
void kb_targets(void);
void kb_h2h(void);
void kb_echo(void);

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
/* A macro's value as a string literal (a plain number gives its digits) */
#define KB_STRINGIFY(x)		KB_STRINGIFY_(x)
#define KB_STRINGIFY_(x)	#x

#endif /* _KEVENT_BENCH_TOOL_H */
