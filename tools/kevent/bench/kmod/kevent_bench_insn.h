/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Instruction-count markers of `make bench`, shared by kevent_bench.ko,
 * kevent-bench and the QEMU TCG plugin that counts guest instructions
 * (tools/kevent/bench/qemu-plugin/kevent_insn.c; Documentation/bench.rst,
 * "Instruction counts").
 *
 * A marker is one instruction that does nothing architecturally and carries
 * a 12-bit id in its encoding.  The plugin recognises it when QEMU
 * translates it and acts on it each time it executes:
 *
 *   x86_64  nopl 0x4b56IIII(%rax,%rax,1)   0f 1f 84 00, then the
 *                                          displacement (LE); III the id
 *   s390x   bc 0,III(%r14,%r15)            47 0e fI II (branch never)
 *
 * Other architectures get no marker.  Without the plugin a marker costs
 * what a NOP costs.  The "memory" clobber keeps the compiler from moving
 * memory accesses across it, so that it delimits the code it is put around.
 */
#ifndef _KEVENT_BENCH_INSN_H
#define _KEVENT_BENCH_INSN_H

/* x86_64: the displacement's upper half, so that no other NOP matches. */
#define KEVENT_BENCH_INSN_X86_MAGIC	0x4b56

/*
 * ACC_BEGIN and ACC_END, executed in this order on one CPU, add the
 * instructions that CPU executed between them to its accumulator and count
 * one pass.  WIN_BEGIN and WIN_END report every CPU's counters: a measured
 * window opens and closes.
 */
#define KEVENT_BENCH_INSN_ACC_BEGIN	1
#define KEVENT_BENCH_INSN_ACC_END	2
#define KEVENT_BENCH_INSN_WIN_BEGIN	3
#define KEVENT_BENCH_INSN_WIN_END	4
#define KEVENT_BENCH_INSN_ID_MAX	0xfff

#if defined(__x86_64__)
#define kevent_bench_insn_mark(id)					\
	({								\
		asm volatile("nopl %c0(%%rax,%%rax,1)" : :		\
			     "i" ((KEVENT_BENCH_INSN_X86_MAGIC << 16) + (id)) \
			     : "memory");				\
	})
#elif defined(__s390x__)
#define kevent_bench_insn_mark(id)					\
	({								\
		asm volatile("bc 0,%c0(%%r14,%%r15)" : : "i" (id) : "memory"); \
	})
#else
#define kevent_bench_insn_mark(id)	do { } while (0)
#endif

#endif /* _KEVENT_BENCH_INSN_H */
