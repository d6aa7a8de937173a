/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A program as the engine runs it: the translated ("xlated") instructions,
 * the helper table its calls resolve through, and the JIT image if any.
 * The kernel's program object (kmod/prog.c) and userspace tools embed one.
 */
#ifndef BPFDEV_CORE_CODE_H
#define BPFDEV_CORE_CODE_H

#include "isa.h"

typedef u64 (*bpfdev_helper_fn)(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5);

struct bpfdev_code;

/*
 * What programs call out to.  One environment serves many programs: the
 * module has one, each userspace tool its own.  Slots are indexed by the
 * kernel's helper ids (enum bpf_func_id); a NULL slot is not offered.
 */
struct bpfdev_env {
	bpfdev_helper_fn helpers[BPFDEV_NR_HELPERS];
	/*
	 * Resolve bpf_tail_call(ctx, map, index) to the program stored there,
	 * or NULL (the call then falls through, as in the kernel).
	 */
	const struct bpfdev_code *(*tail_call_target)(void *map, u32 index);
};

/*
 * Entry of a JIT image: r1 and r2 on entry, r0 returned.  Programs with a
 * context take it in r1 and ignore r2 (the contract of bpfdev_interp_run());
 * the conformance runner passes r1 = memory, r2 = its length.
 */
typedef u64 (*bpfdev_jit_fn)(u64 r1, u64 r2);

struct bpfdev_code {
	struct bpf_insn		*insns;		/* xlated program */
	u32			len;		/* in instructions */
	u32			type;		/* enum bpf_prog_type */
	u32			stack_depth;	/* main frame, bytes (<= BPF_MAX_STACK) */
	const struct bpfdev_env	*env;
	bpfdev_jit_fn		jited;		/* NULL: run by the interpreter */
	void			*jit_image;
	u32			jit_len;
};

/* The interpreter; trusts the program (the verifier has checked it). */
u64 bpfdev_interp_run(const struct bpfdev_code *code, const void *ctx);

static inline u64 bpfdev_code_run(const struct bpfdev_code *code, const void *ctx)
{
	if (code->jited)
		return code->jited((u64)(unsigned long)ctx, 0);
	return bpfdev_interp_run(code, ctx);
}

#endif /* BPFDEV_CORE_CODE_H */
