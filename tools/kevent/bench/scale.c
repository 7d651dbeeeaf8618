// SPDX-License-Identifier: GPL-2.0
/*
 * kevent-bench sections 3 and 4: the cost of one notify as unrelated
 * requests pile up, the kernel memory each request costs, and notifies
 * from several CPUs at once.
 *
 * A burst is KEVENT_BENCH_IOC_FIRE: kthreads bound to CPUs fire `nr`
 * distinct armed requests each (so every notify takes the full path:
 * storage lock, callback, ring write, wakeup), timed in the kernel around
 * the whole loop.  Between bursts the rings are drained (committed), which
 * re-arms the requests; that is not timed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kevent_s390_log.h>

#include "bench.h"

#define KB_TARGETS	1024		/* requests a burst fires, per thread */
#define KB_LOAD_DEV0	(1U << 20)	/* first device number of the load */

static uint64_t param_storage(uint64_t i, uint64_t arg)
{
	return arg + i;
}

static uint64_t param_dev(uint64_t i, uint64_t arg)
{
	return kevent_bench_devid(arg + i);
}

/* Load requests go round the storages above the targets. */
static uint64_t param_load_storage(uint64_t i, uint64_t arg)
{
	return 4 * KB_TARGETS + i % arg;
}

static unsigned int nr_storages(void)
{
	unsigned int n = 65536;
	FILE *f = fopen("/sys/module/kevent_bench/parameters/nr_storages", "r");

	if (f) {
		if (fscanf(f, "%u", &n) != 1)
			n = 65536;
		fclose(f);
	}
	return n;
}

#define KB_SLABS	512

/* One /proc/slabinfo snapshot: bytes in use per cache (active objects). */
struct slabinfo {
	unsigned int n;
	char name[KB_SLABS][64];
	long long bytes[KB_SLABS];
};

struct meminfo {
	long long free_kb, slab_kb, sunreclaim_kb, vmalloc_kb;
	struct slabinfo slabs;
};

static void slabinfo(struct slabinfo *si)
{
	long long active, num, size;
	char line[512], name[48];
	FILE *f;

	si->n = 0;
	f = fopen("/proc/slabinfo", "r");
	if (!f)
		return;
	while (si->n < KB_SLABS && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%47s %lld %lld %lld", name, &active, &num, &size) != 4)
			continue;	/* the two header lines */
		snprintf(si->name[si->n], sizeof(si->name[0]), "%s", name);
		si->bytes[si->n++] = active * size;
	}
	fclose(f);
}

/*
 * Slab accounting: what the caches' objects in use grew by, per request,
 * in total, and the cache that grew most.  Returns the total, or -1 when
 * /proc/slabinfo cannot be read.
 */
static double slab_delta(const struct slabinfo *a, const struct slabinfo *b,
			 unsigned long long add, char *top, size_t toplen)
{
	long long d, best = 0, sum = 0;
	unsigned int i, j;

	if (!a->n || !b->n)
		return -1;
	snprintf(top, toplen, "-");
	for (j = 0; j < b->n; j++) {
		d = b->bytes[j];
		for (i = 0; i < a->n; i++) {
			if (!strcmp(a->name[i], b->name[j])) {
				d -= a->bytes[i];
				break;
			}
		}
		sum += d;
		if (d > best) {
			best = d;
			snprintf(top, toplen, "%s %.1f B", b->name[j], (double)d / add);
		}
	}
	return (double)sum / add;
}

static void meminfo(struct meminfo *m)
{
	char line[256];
	long long v;
	FILE *f;

	memset(m, 0, sizeof(*m));
	/* Let RCU frees and deferred work settle. */
	sleep(1);
	f = fopen("/proc/meminfo", "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "MemFree: %lld", &v) == 1)
			m->free_kb = v;
		else if (sscanf(line, "Slab: %lld", &v) == 1)
			m->slab_kb = v;
		else if (sscanf(line, "SUnreclaim: %lld", &v) == 1)
			m->sunreclaim_kb = v;
		else if (sscanf(line, "VmallocUsed: %lld", &v) == 1)
			m->vmalloc_kb = v;
	}
	fclose(f);
	slabinfo(&m->slabs);
}

/* One timed burst from @first; ns per notify.  Drains @rings after it. */
static double burst_batch(uint32_t mech, unsigned int threads, uint32_t first,
			  unsigned int batch, struct kevent_ring **rings,
			  unsigned int nrings)
{
	struct kevent_bench_fire f;
	unsigned int q;
	int got = 0;

	memset(&f, 0, sizeof(f));
	f.mech = mech;
	f.threads = threads;
	f.first = first;
	f.nr = KB_TARGETS;
	f.batch = batch;
	if (ioctl(kb_fd, KEVENT_BENCH_IOC_FIRE, &f) < 0)
		kb_die("KEVENT_BENCH_IOC_FIRE: %m");
	for (q = 0; q < nrings; q++)
		got += kb_drain(rings[q]);
	if (got != (int)(threads * KB_TARGETS))
		kb_log("burst marked %d requests, expected %u", got,
		       threads * KB_TARGETS);
	return (double)f.ns / ((double)threads * KB_TARGETS);
}

/* One timed burst, one notify at a time. */
static double burst(uint32_t mech, unsigned int threads, uint32_t first,
		    struct kevent_ring **rings, unsigned int nrings)
{
	return burst_batch(mech, threads, first, 0, rings, nrings);
}

/*
 * Time @rounds bursts; returns the median over the bursts of ns per
 * notify (the median, since a burst the host preempts is not the notify's
 * cost).  Drains @rings after each.
 */
static double bursts(uint32_t mech, unsigned int threads, unsigned int batch,
		     unsigned int rounds, struct kevent_ring **rings,
		     unsigned int nrings, const struct kb_insn_win *win)
{
	double v[64];
	unsigned int r;

	if (rounds > 64)
		rounds = 64;
	/* Round 0 warms up. */
	for (r = 0; r <= rounds; r++) {
		double ns;

		if (r && win)
			kb_insn_begin();
		ns = burst_batch(mech, threads, 0, batch, rings, nrings);
		if (r && win)
			kb_insn_end(win);
		if (r)
			v[r - 1] = ns;
	}
	return kb_median(v, rounds);
}

/*
 * As bursts(), each burst paired with one on @ref, a queue of its own on
 * other storages that never gets any load.  *@rel is the median of the
 * pairs' ratios: how the notify compares with an unloaded one fired a
 * moment later, which host load moving between the steps cannot fake.
 * Each timed burst on @ring is an instruction-count window of @win.
 */
static double bursts_vs_ref(uint32_t mech, unsigned int rounds,
			    struct kevent_ring *ring, struct kevent_ring *ref,
			    double *rel, struct kb_insn_win *win)
{
	double v[64], q[64], a, b;
	unsigned int r;

	if (rounds > 64)
		rounds = 64;
	for (r = 0; r <= rounds; r++) {
		if (r)
			kb_insn_begin();
		a = burst(mech, 1, 0, &ring, 1);
		if (r)
			kb_insn_end(win);
		b = burst(KEVENT_BENCH_M_KEVENT, 1, KB_TARGETS, &ref, 1);
		if (r) {
			v[r - 1] = a;
			q[r - 1] = b > 0 ? a / b : 0;
		}
	}
	*rel = kb_median(q, rounds);
	return kb_median(v, rounds);
}

static const char *const scale_names[2] = {
	"kevent_storage_ready", "kevent_s390_log_notify",
};

static void scale_mech(unsigned int m, const unsigned long long *loads,
		       unsigned int nloads)
{
	uint32_t mech = m ? KEVENT_BENCH_M_S390_LOG : KEVENT_BENCH_M_KEVENT;
	uint32_t type = m ? KEVENT_S390_LOG : KEVENT_BENCH_TYPE;
	uint32_t event = m ? KEVENT_S390_TAPE_LOADED : KEVENT_BENCH_EVENT;
	unsigned int i, spread = nr_storages() - 4 * KB_TARGETS;
	unsigned long long have = 0, add;
	static struct meminfo m0, m1;
	struct kevent_ring *ring, *ref;
	struct kb_row row;
	double ns, ns1 = 0, rel, rel1 = 0, slab, total;
	/* One burst thread, on the first online CPU: CPU 0 (kmod/scale.c). */
	struct kb_insn_win win = {
		.section = "scale", .name = scale_names[m], .threads = 1,
		.prod_cpu = 0, .notifies = KB_TARGETS, .cons_cpu = -1,
	};
	int fd;

	fd = kevent_init(&ring, 4096, 0);
	if (fd < 0)
		kb_die("kevent_init: %m");
	if (kb_add_requests(fd, type, event, 0, 1, KB_TARGETS,
			    m ? param_dev : param_storage, 0, 0))
		kb_die("ADD targets: %m");
	/* The reference: kevent requests on storages [1024, 2048), no load. */
	if (kevent_init(&ref, 4096, 0) < 0)
		kb_die("kevent_init: %m");
	if (kb_add_requests(ref->fd, KEVENT_BENCH_TYPE, KEVENT_BENCH_EVENT, 0, 1,
			    KB_TARGETS, param_storage, KB_TARGETS, 0))
		kb_die("ADD reference: %m");
	for (i = 0; i < nloads; i++) {
		add = loads[i] - have;
		meminfo(&m0);
		if (kb_add_requests(fd, type, event, 0, 1ULL << 32 | have, add,
				    m ? param_dev : param_load_storage,
				    m ? KB_LOAD_DEV0 + have : spread, 0)) {
			kb_log("%s: ADD load %llu: %m", scale_names[m], loads[i]);
			break;
		}
		meminfo(&m1);
		have = loads[i];
		win.load = loads[i];
		ns = bursts_vs_ref(mech, kb_opt.scale_rounds, ring, ref, &rel, &win);
		if (!i) {
			ns1 = ns;
			rel1 = rel;
		}
		kb_row_init(&row, "scale", scale_names[m]);
		row.threads = 1;
		row.load = loads[i];
		row.value = ns;
		row.unit = "ns/notify";
		slab = (m1.slab_kb - m0.slab_kb) * 1024.0 / add;
		total = (m0.free_kb - m1.free_kb) * 1024.0 / add;
		snprintf(row.note, sizeof(row.note),
			 "x%.2f of load %llu; %u x %u notifies; these %llu requests: %.0f B slab + %.0f B vmalloc = %.0f B MemFree each",
			 ns1 > 0 ? ns / ns1 : 0, loads[0], kb_opt.scale_rounds,
			 KB_TARGETS, add, slab,
			 (m1.vmalloc_kb - m0.vmalloc_kb) * 1024.0 / add, total);
		kb_row_print(&row);
		kb_row_init(&row, "scale_rel", scale_names[m]);
		row.threads = 1;
		row.load = loads[i];
		row.value = rel;
		row.unit = "x reference";
		snprintf(row.note, sizeof(row.note),
			 "median of %u paired bursts: this notify / an unloaded kevent notify; x%.2f of load %llu",
			 kb_opt.scale_rounds, rel1 > 0 ? rel / rel1 : 0, loads[0]);
		kb_row_print(&row);
		kb_sum.scale_ns[m][i] = ns;
		kb_sum.scale_rel[m][i] = rel;
		kb_sum.loads[i] = loads[i];
		if (i + 1 > kb_sum.nloads)
			kb_sum.nloads = i + 1;

		/* Memory per request, from the largest step (the least noise). */
		if (i + 1 == nloads && add >= 1000) {
			char top[64];
			double objs = slab_delta(&m0.slabs, &m1.slabs, add,
						 top, sizeof(top));
			double vm = (m1.vmalloc_kb - m0.vmalloc_kb) * 1024.0 / add;

			kb_row_init(&row, "memory", m ? "s390_log_request" : "kevent_request");
			row.load = add;
			/* The issue asks for slab accounting; MemFree cross-checks it. */
			row.value = objs >= 0 ? objs + vm : total;
			row.unit = "B/request";
			snprintf(row.note, sizeof(row.note),
				 "over %llu ADDs: slab objects %.2f B (most: %s) + vmalloc %.1f B; MemFree delta %.1f B (slab pages %.1f B)%s",
				 add, objs, top, vm, total, slab,
				 m ? "; includes the per-device storage and xarray slot" : "");
			kb_row_print(&row);
			if (!m) {
				kb_sum.mem_total = row.value;
				kb_sum.mem_free = total;
			}
		}
	}
	kevent_close(ring);
	kevent_close(ref);
	/* Freeing a million requests takes a while; let it finish. */
	sleep(2);
}

/* One burst, an instruction-count window of @win unless it is NULL. */
static double counted(uint32_t mech, unsigned int batch,
		      struct kevent_ring *ring, const struct kb_insn_win *win)
{
	double ns;

	if (win)
		kb_insn_begin();
	ns = burst_batch(mech, 1, 0, batch, &ring, 1);
	if (win)
		kb_insn_end(win);
	return ns;
}

static const char *const batch_names[2] = {
	"kevent_batch_ready", "kevent_s390_log_notify_batch",
};

/*
 * Batches of KEVENT_BENCH_BATCH_MAX against one notify at a time, on the
 * same 1024 requests of one queue, paired burst by burst (which goes first
 * alternates): the pairs' median ratio is what a batch costs per notify.
 */
static void batch_mech(unsigned int m)
{
	uint32_t mech = m ? KEVENT_BENCH_M_S390_LOG : KEVENT_BENCH_M_KEVENT;
	uint32_t type = m ? KEVENT_S390_LOG : KEVENT_BENCH_TYPE;
	uint32_t event = m ? KEVENT_S390_TAPE_LOADED : KEVENT_BENCH_EVENT;
	struct kb_insn_win one = {
		.section = "batch", .name = scale_names[m], .threads = 1,
		.load = 1, .prod_cpu = 0, .notifies = KB_TARGETS,
		.cons_cpu = -1,
	};
	struct kb_insn_win many = one;
	unsigned int r, rounds = kb_opt.scale_rounds;
	double a[64], b[64], q[64], x = 0, y = 0;
	struct kevent_ring *ring;
	struct kb_row row;

	many.name = batch_names[m];
	if (rounds > 64)
		rounds = 64;
	if (kevent_init(&ring, 4096, 0) < 0)
		kb_die("kevent_init: %m");
	if (kb_add_requests(ring->fd, type, event, 0, 1, KB_TARGETS,
			    m ? param_dev : param_storage, 0, 0))
		kb_die("ADD batch targets: %m");
	/* Round 0 warms up; the batches go first in odd rounds. */
	for (r = 0; r <= rounds; r++) {
		if (r & 1)
			y = counted(mech, KEVENT_BENCH_BATCH_MAX, ring,
				    r ? &many : NULL);
		x = counted(mech, 0, ring, r ? &one : NULL);
		if (!(r & 1))
			y = counted(mech, KEVENT_BENCH_BATCH_MAX, ring,
				    r ? &many : NULL);
		if (r) {
			a[r - 1] = x;
			b[r - 1] = y;
			q[r - 1] = x > 0 ? y / x : 0;
		}
	}
	kevent_close(ring);
	kb_row_init(&row, "batch", batch_names[m]);
	row.threads = 1;
	row.load = 1;
	row.value = kb_median(b, rounds);
	row.unit = "ns/notify";
	snprintf(row.note, sizeof(row.note),
		 "batches of %u: x%.2f of one at a time (%s %.0f ns; median of %u paired bursts of %u)",
		 KEVENT_BENCH_BATCH_MAX, kb_median(q, rounds), scale_names[m],
		 kb_median(a, rounds), rounds, KB_TARGETS);
	kb_row_print(&row);
	kb_sum.batch_rel[m] = kb_median(q, rounds);
}

void kb_scale(void)
{
	static const unsigned long long all[] = { 1, 1000, 100000, 1000000 };
	unsigned long long loads[4];
	unsigned int n = 0, i;

	for (i = 0; i < 4; i++)
		if (all[i] <= kb_opt.scale_max)
			loads[n++] = all[i];
	kb_pin_main(true);
	scale_mech(0, loads, n);
	scale_mech(1, loads, n);
	batch_mech(0);
	batch_mech(1);
	kb_pin_main(false);
}

/* The batched row's name carries its batch size: the report divides by it. */
static const char *const par_names[KB_PAR_MAX] = {
	"kevent_one_queue", "kevent_queue_per_cpu", "s390_log_queue_per_cpu",
	"kevent_one_queue_batch" KB_STRINGIFY(KEVENT_BENCH_BATCH_MAX),
};

void kb_parallel(void)
{
	static const unsigned int nthr[] = { 1, 2, 4 };
	/* Burst thread t runs on the t-th online CPU (kmod/scale.c). */
	struct kb_insn_win win = {
		.section = "parallel", .load = -1, .prod_cpu = 0,
		.cons_cpu = -1,
	};
	struct kevent_ring *rings[4];
	unsigned int k, q, j, nq;
	struct kb_row row;
	double ns, rate, rate1 = 0;

	for (k = 0; k < KB_PAR_MAX; k++) {
		/* 0 and 3: one queue; 3 fires in batches of KEVENT_BENCH_BATCH_MAX. */
		nq = k == 0 || k == 3 ? 1 : 4;
		for (q = 0; q < nq; q++) {
			if (kevent_init(&rings[q], 4 * KB_TARGETS, 0) < 0)
				kb_die("kevent_init: %m");
		}
		/* Producer t fires targets [t * 1024, (t + 1) * 1024). */
		for (q = 0; q < 4; q++) {
			int fd = rings[nq > 1 ? q : 0]->fd;

			if (k == 2 ? kb_add_requests(fd, KEVENT_S390_LOG,
						     KEVENT_S390_TAPE_LOADED, 0,
						     1 + q * KB_TARGETS, KB_TARGETS,
						     param_dev, q * KB_TARGETS, 0) :
				     kb_add_requests(fd, KEVENT_BENCH_TYPE,
						     KEVENT_BENCH_EVENT, 0,
						     1 + q * KB_TARGETS, KB_TARGETS,
						     param_storage, q * KB_TARGETS, 0))
				kb_die("ADD parallel targets: %m");
		}
		for (j = 0; j < 3; j++) {
			if (nthr[j] > kb_opt.cpus)
				continue;
			/* Every producer CPU counts: spinning is the cost. */
			win.name = par_names[k];
			win.threads = nthr[j];
			win.prod_cpus = nthr[j];
			win.notifies = nthr[j] * KB_TARGETS;
			ns = bursts(k == 2 ? KEVENT_BENCH_M_S390_LOG :
				    KEVENT_BENCH_M_KEVENT, nthr[j],
				    k == 3 ? KEVENT_BENCH_BATCH_MAX : 0,
				    kb_opt.scale_rounds, rings, nq, &win);
			/* ns per notify over all threads' notifies */
			rate = ns > 0 ? 1e9 / ns : 0;
			if (j == 0)
				rate1 = rate;
			kb_row_init(&row, "parallel", par_names[k]);
			row.threads = nthr[j];
			row.value = rate;
			row.unit = "notifies/s";
			snprintf(row.note, sizeof(row.note),
				 "x%.2f of 1 producer; %u x %u notifies per producer",
				 rate1 > 0 ? rate / rate1 : 0,
				 kb_opt.scale_rounds, KB_TARGETS);
			kb_row_print(&row);
			kb_sum.par[k][nthr[j]] = rate;
		}
		for (q = 0; q < nq; q++)
			kevent_close(rings[q]);
	}
}
