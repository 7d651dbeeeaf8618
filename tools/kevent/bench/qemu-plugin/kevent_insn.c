// SPDX-License-Identifier: GPL-2.0
/*
 * kevent_insn: a QEMU TCG plugin (system emulation, x86_64 and s390x
 * guests) that counts the guest instructions each vCPU executes and
 * reports them at the markers of ../kmod/kevent_bench_insn.h.  The
 * instruction-count pass of `make bench` loads it (scripts/bench.sh,
 * Documentation/bench.rst "Instruction counts"):
 *
 *   qemu-system-ARCH ... -plugin kevent_insn.so[,out=FILE][,prof=on]
 *
 * Counting: when a translated block starts executing, its vCPU's counter
 * grows by the block's instruction count.  QEMU calls the callback in the
 * vCPU's own thread, so each counter has one writer and needs no atomic
 * add; other vCPUs only read it.  A block left half way by an exception
 * is counted whole: guest interrupts are taken between blocks, so only
 * faults (page faults, and the like) overcount.
 *
 * Markers: a marker's callback runs just before it executes.  What its
 * vCPU executed up to there is its counter less the marker and the
 * instructions after it in the block, which the translation recorded.
 * ACC_BEGIN/ACC_END accumulate per vCPU; WIN_BEGIN/WIN_END (and any other
 * id) write one line:
 *
 *   kevent-insn: mark ID vcpu V insns N0 N1 .. acc A0 A1 .. nacc C0 C1 ..
 *
 * N the vCPUs' counters (exact for V; for a vCPU that is running, as of
 * the start of its current block), A the instructions between each
 * vCPU's ACC markers so far, markers excluded, C its ACC_END count.  At
 * exit: "kevent-insn: exit insns ..." the same way.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qemu-plugin.h>

#include "../kmod/kevent_bench_insn.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

/*
 * A translated block, for the profile: one per (pc, n), shared by the
 * vCPUs, so its counts are added atomically.  base_* are the counts when
 * the window opened, listed says it is on the touched list.
 */
struct blk {
	uint64_t pc;
	uint64_t n;
	uint64_t insns;
	uint64_t execs;
	uint64_t base_insns;
	uint64_t base_execs;
	bool listed;
	struct blk *touched_next;
};

/* One vCPU's counters, written by its thread only; a cache line each. */
struct vcpu {
	uint64_t insns;		/* instructions of the blocks entered */
	uint64_t acc;		/* between ACC_BEGIN and ACC_END */
	uint64_t nacc;		/* ACC_END markers that closed a pair */
	uint64_t acc_from;	/* insns at the open ACC_BEGIN */
	bool acc_open;
	struct blk *last;	/* prof: the block entered last */
	bool last_counted;	/* prof: and it counted in the profile */
} __attribute__((aligned(64)));

enum guest { GUEST_X86_64, GUEST_S390X };

static enum guest guest;
static struct vcpu *vcpus;
static unsigned int nr_vcpus;
static FILE *out;		/* NULL: qemu_plugin_outs() */
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

/* prof=on: blocks by (pc, n), the ones that counted, the open window. */
static bool prof;
static struct blk **blk_tab;	/* open addressing, under blk_lock */
static size_t blk_cap, blk_nr;
static struct blk *touched;	/* under blk_lock */
static pthread_mutex_t blk_lock = PTHREAD_MUTEX_INITIALIZER;
static bool win_open;		/* written under out_lock */

static uint64_t get(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static void set(uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

static void tb_exec(unsigned int cpu, void *n)
{
	if (cpu < nr_vcpus)
		set(&vcpus[cpu].insns, vcpus[cpu].insns + (uintptr_t)n);
}

static size_t blk_hash(uint64_t pc, uint64_t n)
{
	uint64_t h = (pc ^ n << 48) * 0x9e3779b97f4a7c15ULL;

	return h >> 20;
}

/* The block of (@pc, @n), made on first sight; NULL without memory. */
static struct blk *blk_get(uint64_t pc, uint64_t n)
{
	struct blk *b = NULL, **tab;
	size_t i, j, cap;

	pthread_mutex_lock(&blk_lock);
	if (blk_nr * 2 >= blk_cap) {
		cap = blk_cap ? blk_cap * 2 : 1 << 16;
		tab = calloc(cap, sizeof(*tab));
		if (!tab)
			goto out;
		for (i = 0; i < blk_cap; i++) {
			if (!blk_tab[i])
				continue;
			j = blk_hash(blk_tab[i]->pc, blk_tab[i]->n) & (cap - 1);
			while (tab[j])
				j = (j + 1) & (cap - 1);
			tab[j] = blk_tab[i];
		}
		free(blk_tab);
		blk_tab = tab;
		blk_cap = cap;
	}
	for (i = blk_hash(pc, n) & (blk_cap - 1); blk_tab[i];
	     i = (i + 1) & (blk_cap - 1))
		if (blk_tab[i]->pc == pc && blk_tab[i]->n == n) {
			b = blk_tab[i];
			goto out;
		}
	b = calloc(1, sizeof(*b));
	if (!b)
		goto out;
	b->pc = pc;
	b->n = n;
	blk_tab[i] = b;
	blk_nr++;
out:
	pthread_mutex_unlock(&blk_lock);
	return b;
}

/* Add to @b's profile counts; the first time, put it on the touched list. */
static void blk_add(struct blk *b, uint64_t insns, uint64_t execs)
{
	__atomic_fetch_add(&b->insns, insns, __ATOMIC_RELAXED);
	__atomic_fetch_add(&b->execs, execs, __ATOMIC_RELAXED);
	if (__atomic_load_n(&b->listed, __ATOMIC_ACQUIRE))
		return;
	pthread_mutex_lock(&blk_lock);
	if (!b->listed) {
		b->touched_next = touched;
		touched = b;
		__atomic_store_n(&b->listed, true, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&blk_lock);
}

static void tb_exec_prof(unsigned int cpu, void *u)
{
	struct blk *b = u;
	struct vcpu *v;

	if (cpu >= nr_vcpus)
		return;
	v = &vcpus[cpu];
	set(&v->insns, v->insns + b->n);
	v->last = b;
	v->last_counted = v->acc_open && __atomic_load_n(&win_open, __ATOMIC_RELAXED);
	if (v->last_counted)
		blk_add(b, b->n, 1);
}

/*
 * A window opens (@open) or closes: take every touched block's counts as
 * the base, or write what each counted since.  Called under out_lock.
 */
static void prof_window(bool open)
{
	uint64_t insns, execs;
	char line[96];
	struct blk *b;

	pthread_mutex_lock(&blk_lock);
	for (b = touched; b; b = b->touched_next) {
		insns = __atomic_load_n(&b->insns, __ATOMIC_RELAXED);
		execs = __atomic_load_n(&b->execs, __ATOMIC_RELAXED);
		if (!open && insns != b->base_insns) {
			snprintf(line, sizeof(line),
				 "kevent-insn: prof %016" PRIx64 " %" PRIu64 " %" PRIu64
				 " %" PRIu64 "\n", b->pc, b->n, insns - b->base_insns,
				 execs - b->base_execs);
			if (out)
				fputs(line, out);
			else
				qemu_plugin_outs(line);
		}
		b->base_insns = insns;
		b->base_execs = execs;
	}
	pthread_mutex_unlock(&blk_lock);
	__atomic_store_n(&win_open, open, __ATOMIC_RELAXED);
	if (out)
		fflush(out);
}

/* The marker id of an instruction's bytes, or 0. */
static unsigned int marker_id(const uint8_t *b, size_t len)
{
	uint32_t disp;

	switch (guest) {
	case GUEST_X86_64:
		if (len != 8 || b[0] != 0x0f || b[1] != 0x1f || b[2] != 0x84 ||
		    b[3] != 0x00)
			return 0;
		disp = b[4] | b[5] << 8 | b[6] << 16 | (uint32_t)b[7] << 24;
		if (disp >> 16 != KEVENT_BENCH_INSN_X86_MAGIC)
			return 0;
		disp &= 0xffff;
		return disp <= KEVENT_BENCH_INSN_ID_MAX ? disp : 0;
	case GUEST_S390X:
		if (len != 4 || b[0] != 0x47 || b[1] != 0x0e || (b[2] >> 4) != 0xf)
			return 0;
		return (b[2] & 0xf) << 8 | b[3];
	}
	return 0;
}

/*
 * One line: the id, the vCPU that executed it, every vCPU's counters.
 * With prof=on, a window marker (@win: 1 opens, 0 closes, -1 neither)
 * also takes the profile's base, or writes it after the line.
 */
static void report(const char *what, int cpu, uint64_t here, int win)
{
	char line[64 + 3 * 24 * 64], *p = line, *end = line + sizeof(line);
	static const char *const field[] = { " insns", " acc", " nacc" };
	unsigned int f, i;
	uint64_t v;

	p += snprintf(p, end - p, "kevent-insn: %s", what);
	if (cpu >= 0)
		p += snprintf(p, end - p, " vcpu %d", cpu);
	for (f = 0; f < 3; f++) {
		p += snprintf(p, end - p, "%s", field[f]);
		for (i = 0; i < nr_vcpus && p < end - 24; i++) {
			if (f == 0)
				v = (int)i == cpu ? here : get(&vcpus[i].insns);
			else if (f == 1)
				v = get(&vcpus[i].acc);
			else
				v = get(&vcpus[i].nacc);
			p += snprintf(p, end - p, " %" PRIu64, v);
		}
	}
	snprintf(p, end - p, "\n");
	pthread_mutex_lock(&out_lock);
	if (out) {
		fputs(line, out);
		fflush(out);
	} else {
		qemu_plugin_outs(line);
	}
	if (prof && win >= 0)
		prof_window(win);
	pthread_mutex_unlock(&out_lock);
}

/*
 * A marker is about to execute.  @u: its id, and in the upper bits the
 * instructions of its block from the marker on, which its vCPU's counter
 * already holds.
 */
static void mark_exec(unsigned int cpu, void *u)
{
	unsigned int id = (uintptr_t)u & 0xffff;
	struct vcpu *v;
	uint64_t here;
	char what[32];

	if (cpu >= nr_vcpus)
		return;
	v = &vcpus[cpu];
	here = v->insns - ((uintptr_t)u >> 16);
	switch (id) {
	case KEVENT_BENCH_INSN_ACC_BEGIN:
		v->acc_from = here;
		v->acc_open = true;
		/* The block's instructions after the marker are counted. */
		if (prof && v->last && __atomic_load_n(&win_open, __ATOMIC_RELAXED))
			blk_add(v->last, ((uintptr_t)u >> 16) - 1, 0);
		break;
	case KEVENT_BENCH_INSN_ACC_END:
		if (!v->acc_open)
			break;
		/* here - acc_from counts ACC_BEGIN itself. */
		set(&v->acc, v->acc + here - v->acc_from - 1);
		set(&v->nacc, v->nacc + 1);
		v->acc_open = false;
		/* The marker and what follows it were counted on entry. */
		if (prof && v->last_counted)
			blk_add(v->last, -(uint64_t)((uintptr_t)u >> 16), 0);
		break;
	default:
		snprintf(what, sizeof(what), "mark %u", id);
		report(what, cpu, here,
		       id == KEVENT_BENCH_INSN_WIN_BEGIN ? 1 :
		       id == KEVENT_BENCH_INSN_WIN_END ? 0 : -1);
		break;
	}
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb), i;
	struct qemu_plugin_insn *insn;
	struct blk *b = NULL;
	unsigned int mid;
	uintptr_t u;

	if (prof)
		b = blk_get(qemu_plugin_tb_vaddr(tb), n);
	if (b)
		qemu_plugin_register_vcpu_tb_exec_cb(tb, tb_exec_prof,
						     QEMU_PLUGIN_CB_NO_REGS, b);
	else
		qemu_plugin_register_vcpu_tb_exec_cb(tb, tb_exec,
						     QEMU_PLUGIN_CB_NO_REGS,
						     (void *)(uintptr_t)n);
	for (i = 0; i < n; i++) {
		insn = qemu_plugin_tb_get_insn(tb, i);
		mid = marker_id(qemu_plugin_insn_data(insn),
				qemu_plugin_insn_size(insn));
		if (!mid)
			continue;
		u = (n - i) << 16 | mid;
		qemu_plugin_register_vcpu_insn_exec_cb(insn, mark_exec,
						       QEMU_PLUGIN_CB_NO_REGS,
						       (void *)u);
	}
}

static void at_exit(qemu_plugin_id_t id, void *unused)
{
	report("exit", -1, 0, -1);
	if (out)
		fclose(out);
	out = NULL;
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	const char *path = NULL;
	int i;

	if (!info->system_emulation) {
		fprintf(stderr, "kevent_insn: system emulation only\n");
		return -1;
	}
	if (!strcmp(info->target_name, "x86_64")) {
		guest = GUEST_X86_64;
	} else if (!strcmp(info->target_name, "s390x")) {
		guest = GUEST_S390X;
	} else {
		fprintf(stderr, "kevent_insn: no markers for %s guests\n",
			info->target_name);
		return -1;
	}
	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "out=", 4)) {
			path = argv[i] + 4;
		} else if (!strcmp(argv[i], "prof=on")) {
			prof = true;
		} else {
			fprintf(stderr, "kevent_insn: unknown argument '%s' (out=FILE, prof=on)\n",
				argv[i]);
			return -1;
		}
	}
	nr_vcpus = info->system.max_vcpus;
	if (nr_vcpus < 1 || nr_vcpus > 64) {
		fprintf(stderr, "kevent_insn: %u vCPUs: 1 to 64 supported\n", nr_vcpus);
		return -1;
	}
	vcpus = aligned_alloc(64, nr_vcpus * sizeof(*vcpus));
	if (!vcpus)
		return -1;
	memset(vcpus, 0, nr_vcpus * sizeof(*vcpus));
	if (path) {
		out = fopen(path, "w");
		if (!out) {
			fprintf(stderr, "kevent_insn: %s: %s\n", path, strerror(errno));
			return -1;
		}
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
