// SPDX-License-Identifier: GPL-2.0
/*
 * kevent-bench: kevent against netlink, uevents and eventfd, against one
 * in-kernel producer (kevent_bench.ko), in one boot.
 *
 *   kevent-bench [-q] [-I] [-d MS] [-r N] [-w N] [-n N] [-s MAX] [-m LIST]
 *                [SECTION...]
 *
 * SECTION: throughput latency scale parallel h2h echo (default: all of them).
 * h2h: kevent's ring against epoll and io_uring on socketpairs and pipes
 * (h2h.c); echo: an echo server on each of them, with one load generator
 * (echo.c).
 * -m LIST: only these throughput configurations, NAME or NAME/THREADS,
 * comma-separated (e.g. "kevent_ring/1,genetlink/1"); `make bench` uses
 * it to profile one configuration at a time (BENCH_PERF).
 * -I: the instruction-count pass, in a boot with the QEMU plugin
 * (scripts/bench.sh): one run of each 1-consumer throughput configuration
 * and the scale section, each measured window described by a
 * "KEVENT-BENCH-INSN: " line (bench.h, kb_insn_end()).
 * Results are printed as "KEVENT-BENCH-ROW: " CSV lines on stdout:
 *   section,name,threads,load,value,unit,p50_us,p99_us,max_us,lost,note
 * and the targets of Documentation/bench.rst as section "target".
 * Progress and diagnostics go to stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bench.h"

struct kb_opts kb_opt = {
	.duration_ms = 1000,
	.repeats = 5,
	.window = 1024,
	.nr = 4096,
	.lat_samples = 2000,
	.lat_gap_us = 200,
	.lat_rounds = 20,
	.scale_max = 1000000,
	.scale_rounds = 32,
	.h2h_ms = 100,
	.h2h_reps = 3,
	.h2h_max = 10000,
};

int kb_fd = -1;
struct kevent_bench_shared *kb_sh;
struct kb_summary kb_sum;

static void usage(void)
{
	fprintf(stderr,
		"usage: kevent-bench [-q] [-I] [-d MS] [-r N] [-w N] [-n N] [-l N] [-L N] [-s MAX] [-m LIST] [-H MAX] [SECTION...]\n"
		"  -q      quick: short runs, 1 consumer, loads up to 1000\n"
		"  -I      instruction-count pass: 1 run, 1 consumer, throughput and scale\n"
		"  -d MS   throughput run length (%u)\n"
		"  -r N    throughput runs per row, median reported (%u)\n"
		"  -w N    window: events fired and not consumed (%u)\n"
		"  -n N    storages the producer goes round, > window (%u)\n"
		"  -l N    latency samples per row (%u)\n"
		"  -L N    latency rounds the samples are spread over (%u)\n"
		"  -s MAX  largest scale load (%u)\n"
		"  -m LIST throughput: only NAME[/THREADS][,...], e.g. kevent_ring/1\n"
		"  -H MAX  h2h: most files watched, of 1 100 1000 10000 (%u)\n"
		"  SECTION throughput latency scale parallel h2h echo (default: all)\n",
		kb_opt.duration_ms, kb_opt.repeats, kb_opt.window, kb_opt.nr,
		kb_opt.lat_samples, kb_opt.lat_rounds, kb_opt.scale_max, kb_opt.h2h_max);
	exit(2);
}

static void info(void)
{
	char cs[64] = "?";
	struct utsname u;
	long long mem = 0;
	char line[128];
	FILE *f;

	uname(&u);
	f = fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource", "r");
	if (f) {
		if (fscanf(f, "%63s", cs) != 1)
			strcpy(cs, "?");
		fclose(f);
	}
	f = fopen("/proc/meminfo", "r");
	if (f) {
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "MemTotal: %lld", &mem) == 1)
				break;
		fclose(f);
	}
	printf("KEVENT-BENCH-INFO: kernel=%s arch=%s cpus=%u memtotal_mb=%lld clocksource=%s window=%u storages=%u duration_ms=%u repeats=%u\n",
	       u.release, u.machine, kb_opt.cpus, mem / 1024, cs, kb_opt.window,
	       kb_opt.nr, kb_opt.duration_ms, kb_opt.repeats);
	fflush(stdout);
}

static void target(const char *name, double value, const char *unit,
		   bool met, const char *goal, const char *note)
{
	struct kb_row row;

	kb_row_init(&row, "target", name);
	row.value = value;
	row.unit = unit;
	snprintf(row.note, sizeof(row.note), "%s (%s)%s%s", met ? "MET" : "MISSED",
		 goal, note ? "; " : "", note ? note : "");
	kb_row_print(&row);
}

static void ratio_target(const char *name, double a, double b, double goal,
			 const char *goal_s)
{
	if (a > 0 && b > 0)
		target(name, a / b, "x", a / b >= goal, goal_s, NULL);
}

void kb_targets(void)
{
	static const char *const ctx[] = { "kthread", "hardirq" };
	double (*t)[5] = kb_sum.tput;
	double e, k, *s;
	unsigned int c, m, last = kb_sum.nloads - 1;
	char name[96], note[128];

	ratio_target("ring/genetlink throughput (1 consumer)",
		     t[KB_T_RING][1], t[KB_T_GENL][1], 10, ">= 10x");
	ratio_target("ring/uevent throughput (1 consumer)",
		     t[KB_T_RING][1], t[KB_T_UEVENT][1], 10, ">= 10x");
	ratio_target("ring/eventfd+epoll throughput (1 consumer)",
		     t[KB_T_RING][1], t[KB_T_EVENTFD][1], 1.5, ">= 1.5x");
	if (t[KB_T_RING][1] > 0) {
		/* io_uring's CQ: a head store, no system call. */
		snprintf(note, sizeof(note),
			 "waits %.2f; commit mode %.2f + %.2f; eventfd %.2f + %.2f",
			 kb_sum.wait_sys[KB_T_RING],
			 kb_sum.take_sys[KB_T_RING_COMMIT],
			 kb_sum.wait_sys[KB_T_RING_COMMIT],
			 kb_sum.take_sys[KB_T_EVENTFD],
			 kb_sum.wait_sys[KB_T_EVENTFD]);
		target("ring: syscalls to take events per 1000 (1 consumer)",
		       kb_sum.take_sys[KB_T_RING], "", kb_sum.take_sys[KB_T_RING] == 0,
		       "0", note);
	}
	/* The producer's own clock around each notify (throughput rows). */
	e = kb_sum.fire_us[KB_T_EVENTFD];
	k = kb_sum.fire_us[KB_T_RING];
	if (e > 0 && k > 0) {
		snprintf(note, sizeof(note), "%.3f us vs %.3f us per notify", k, e);
		target("notify cost: kevent_ring vs eventfd_epoll (1 consumer)",
		       k / e, "x", k <= e, "<= 1.0x", note);
	}
	e = kb_sum.scale_ns[0][0];
	k = kb_sum.scale_ns[1][0];
	if (kb_sum.nloads && e > 0 && k > 0) {
		snprintf(name, sizeof(name),
			 "kevent_s390_log_notify vs kevent_storage_ready (load %llu)",
			 kb_sum.loads[0]);
		snprintf(note, sizeof(note), "%.0f ns vs %.0f ns per notify", k, e);
		target(name, k / e, "x", k <= 2 * e, "<= 2x", note);
	}
	for (c = 0; c < 2; c++) {
		e = kb_sum.lat_p99[c][KB_L_EVENTFD];
		k = kb_sum.lat_p99[c][KB_L_KWAIT];
		if (e > 0 && k > 0) {
			snprintf(name, sizeof(name), "kevent_wait p99 vs eventfd+epoll p99 (%s)", ctx[c]);
			target(name, k / e, "x", k <= e, "<= 1.0x", NULL);
		}
		k = kb_sum.lat_p99[c][KB_L_KEPOLL];
		if (e > 0 && k > 0) {
			snprintf(name, sizeof(name), "epoll(kevent fd) p99 vs eventfd+epoll p99 (%s)", ctx[c]);
			target(name, k / e, "x", k <= e, "<= 1.0x", NULL);
		}
	}
	for (m = 0; kb_sum.nloads > 1 && m < 2; m++) {
		/* Each step against the unloaded reference timed beside it. */
		s = kb_sum.scale_rel[m];
		if (s[0] <= 0 || s[last] <= 0)
			continue;
		snprintf(name, sizeof(name), "%s cost at %llu vs at %llu requests",
			 m ? "kevent_s390_log_notify" : "kevent_storage_ready",
			 kb_sum.loads[last], kb_sum.loads[0]);
		snprintf(note, sizeof(note), "vs reference; raw ns x%.2f%s",
			 kb_sum.scale_ns[m][0] > 0 ?
			 kb_sum.scale_ns[m][last] / kb_sum.scale_ns[m][0] : 0,
			 kb_sum.loads[last] < 1000000 ? "; not run at 1,000,000" : "");
		target(name, s[last] / s[0], "x", s[last] / s[0] <= 1.5, "<= 1.5x",
		       note);
	}
	e = kb_sum.par[0][1];
	k = kb_sum.par[0][4];
	if (e > 0 && k > 0) {
		snprintf(note, sizeof(note),
			 "queue per CPU x%.2f; one queue in batches of %u x%.2f; 2 host cores cap all at 2x",
			 kb_sum.par[1][1] > 0 ? kb_sum.par[1][4] / kb_sum.par[1][1] : 0,
			 KEVENT_BENCH_BATCH_MAX,
			 kb_sum.par[3][1] > 0 ? kb_sum.par[3][4] / kb_sum.par[3][1] : 0);
		target("one queue: 4 producer CPUs vs 1", k / e, "x", k >= e,
		       ">= 1.0x", note);
	}
	if (kb_sum.mem_total > 0) {
		snprintf(name, sizeof(name), "kernel memory per registered request");
		snprintf(note, sizeof(note), "slab objects + vmalloc; MemFree delta %.1f B",
			 kb_sum.mem_free);
		target(name, kb_sum.mem_total, "B", kb_sum.mem_total <= 128, "<= 128 B",
		       note);
	}
}

/* The sections, in the order they run; SEC_LATENCY is skipped by -I. */
enum { SEC_LATENCY = 1 };
static const struct {
	const char *name;	/* on the command line */
	const char *title;	/* logged when it starts */
	void (*run)(void);
} secs[] = {
	{ "throughput", "throughput", kb_throughput },
	{ "latency", "latency", kb_latency },
	{ "scale", "scale and memory", kb_scale },
	{ "parallel", "parallel producers", kb_parallel },
	{ "h2h", "head-to-head: kevent ring, epoll, io_uring", kb_h2h },
	{ "echo", "echo server: kevent ring, epoll, io_uring", kb_echo },
};

int main(int argc, char **argv)
{
	bool sec[ARRAY_SIZE(secs)] = { false }, any = false;
	long cpus;
	int c, i;

	while ((c = getopt(argc, argv, "qId:r:w:n:l:L:s:m:H:")) != -1) {
		switch (c) {
		case 'q':
			kb_opt.quick = true;
			kb_opt.duration_ms = 300;
			kb_opt.repeats = 1;
			kb_opt.lat_samples = 200;
			kb_opt.lat_rounds = 1;
			kb_opt.scale_max = 1000;
			kb_opt.scale_rounds = 4;
			kb_opt.h2h_ms = 30;
			kb_opt.h2h_reps = 1;
			break;
		case 'I':
			kb_opt.insn = true;
			break;
		case 'd':
			kb_opt.duration_ms = atoi(optarg);
			break;
		case 'r':
			kb_opt.repeats = atoi(optarg);
			break;
		case 'w':
			kb_opt.window = atoi(optarg);
			break;
		case 'n':
			kb_opt.nr = atoi(optarg);
			break;
		case 'l':
			kb_opt.lat_samples = atoi(optarg);
			break;
		case 'L':
			kb_opt.lat_rounds = atoi(optarg);
			break;
		case 's':
			kb_opt.scale_max = atoi(optarg);
			break;
		case 'H':
			kb_opt.h2h_max = atoi(optarg);
			break;
		case 'm':
			if (kb_tput_select(optarg) < 0)
				usage();
			kb_opt.mechs = optarg;
			break;
		default:
			usage();
		}
	}
	if (!kb_opt.repeats || !kb_opt.duration_ms || !kb_opt.lat_samples ||
	    !kb_opt.lat_rounds || kb_opt.lat_rounds > kb_opt.lat_samples ||
	    !kb_opt.window || kb_opt.nr <= kb_opt.window || !kb_opt.h2h_max)
		usage();
	for (i = optind; i < argc; i++) {
		for (c = 0; c < (int)ARRAY_SIZE(secs); c++)
			if (!strcmp(argv[i], secs[c].name))
				break;
		if (c == (int)ARRAY_SIZE(secs) && strcmp(argv[i], "all"))
			usage();
		for (int j = 0; j < (int)ARRAY_SIZE(secs); j++)
			if (c == (int)ARRAY_SIZE(secs) || j == c)
				sec[j] = true;
		any = true;
	}
	for (c = 0; !any && c < (int)ARRAY_SIZE(secs); c++)
		sec[c] = true;
	if (kb_opt.insn) {
		/*
		 * Counts do not move between runs; latency is time, not work.
		 * Parallel producers are counted for what they spin.
		 */
		kb_opt.repeats = 1;
		sec[SEC_LATENCY] = false;
	}

	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	kb_opt.cpus = cpus > 0 ? cpus : 1;
	kb_fd = open(KB_DEV, O_RDWR | O_CLOEXEC);
	if (kb_fd < 0)
		kb_die("%s: %m (is kevent_bench.ko loaded?)", KB_DEV);
	kb_sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, kb_fd, 0);
	if (kb_sh == MAP_FAILED)
		kb_die("mmap %s: %m", KB_DEV);
	info();

	for (c = 0; c < (int)ARRAY_SIZE(secs); c++) {
		if (!sec[c])
			continue;
		kb_log("%s", secs[c].title);
		secs[c].run();
	}
	kb_targets();
	printf("KEVENT-BENCH-DONE\n");
	return 0;
}
