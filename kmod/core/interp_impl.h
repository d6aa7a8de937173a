/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the interpreter's two builds share (interp.c, interp_checked.c):
 * the compiler attributes the loop needs, the run state, and the
 * semantics of the instructions that take more than an expression.
 * Private to those two files.
 */
#ifndef BPFDEV_CORE_INTERP_IMPL_H
#define BPFDEV_CORE_INTERP_IMPL_H

#include "interp.h"
#include "jit.h"
#include "opcodes.h"
#include "skb.h"
#include "verifier.h"

/*
 * The interpreter's BPFDEV_ST_NOSPEC: barrier_nospec() as the kernel's
 * ___bpf_prog_run() has it, lfence on x86-64; elsewhere (userspace tests
 * on another architecture) only a compiler barrier.
 */
static inline void interp_barrier_nospec(void)
{
#if defined(__x86_64__)
	__asm__ __volatile__("lfence" ::: "memory");
#else
	__asm__ __volatile__("" ::: "memory");
#endif
}

#ifndef __force
#define __force
#endif

/* GCC's global CSE merges the computed gotos back into one (as core.c). */
#if defined(__no_fgcse)
#define __interp_no_gcse	__no_fgcse
#elif defined(__GNUC__) && !defined(__clang__)
#define __interp_no_gcse	__attribute__((optimize("-fno-gcse")))
#else
#define __interp_no_gcse
#endif

/* Tells objtool that the table is a computed-goto jump table. */
#ifdef __annotate_jump_table
#define __interp_jump_table	__annotate_jump_table
#else
#define __interp_jump_table
#endif

/* [0 ... 255] = default, then each opcode overrides its slot. */
#define INTERP_DIAG_PUSH						\
	_Pragma("GCC diagnostic push")					\
	_Pragma("GCC diagnostic ignored \"-Woverride-init\"")
#define INTERP_DIAG_POP	_Pragma("GCC diagnostic pop")

#ifndef __aligned
#define __aligned(x)	__attribute__((__aligned__(x)))
#endif
#define __interp_una	__aligned(1) __attribute__((__may_alias__))

/* Program memory accesses need not be aligned (but for atomics). */
typedef u16 __interp_una interp_u16;
typedef u32 __interp_una interp_u32;
typedef u64 __interp_una interp_u64;
typedef s16 __interp_una interp_s16;
typedef s32 __interp_una interp_s32;

#define INTERP_LOAD	1
#define INTERP_STORE	2

struct interp_checks;

struct interp_run {
	bool			stop;		/* end every frame, r0 = 0 */
	u32			tail_calls;
	struct interp_checks	*chk;		/* NULL in a fast run */
};

/*
 * RFC 9669 division: by zero gives 0, modulo by zero leaves dst (32-bit:
 * its low half, zero-extended); signed INT_MIN / -1 wraps to INT_MIN and
 * INT_MIN % -1 is 0, as the kernel computes them, without a trap.
 */
static __always_inline u64 interp_div64(u64 dst, u64 src, s16 off)
{
	if (!src)
		return 0;
	if (!off)
		return dst / src;
	if ((s64)src == -1)
		return -dst;
	return (u64)((s64)dst / (s64)src);
}

static __always_inline u64 interp_mod64(u64 dst, u64 src, s16 off)
{
	if (!src)
		return dst;
	if (!off)
		return dst % src;
	if ((s64)src == -1)
		return 0;
	return (u64)((s64)dst % (s64)src);
}

static __always_inline u32 interp_div32(u32 dst, u32 src, s16 off)
{
	if (!src)
		return 0;
	if (!off)
		return dst / src;
	if ((s32)src == -1)
		return -dst;
	return (u32)((s32)dst / (s32)src);
}

static __always_inline u32 interp_mod32(u32 dst, u32 src, s16 off)
{
	if (!src)
		return dst;
	if (!off)
		return dst % src;
	if ((s32)src == -1)
		return 0;
	return (u32)((s32)dst % (s32)src);
}

/* MOVSX: sign-extend the low off bits; off 0 is a plain move. */
static __always_inline u64 interp_movsx(u64 src, s16 off)
{
	switch (off) {
	case 8:
		return (s64)(s8)src;
	case 16:
		return (s64)(s16)src;
	case 32:
		return (s64)(s32)src;
	default:
		return src;
	}
}

static __always_inline bool interp_atomic_valid(s32 imm)
{
	switch (imm) {
	case BPF_ADD:
	case BPF_OR:
	case BPF_AND:
	case BPF_XOR:
	case BPF_ADD | BPF_FETCH:
	case BPF_OR | BPF_FETCH:
	case BPF_AND | BPF_FETCH:
	case BPF_XOR | BPF_FETCH:
	case BPF_XCHG:
	case BPF_CMPXCHG:
		return true;
	default:
		return false;
	}
}

#endif /* BPFDEV_CORE_INTERP_IMPL_H */
