/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86-64 JIT's state, shared by its passes (jit_x86_64.c, which also
 * describes the frame) and its instruction emitters (jit_x86_64_emit.c).
 */
#ifndef BPFDEV_CORE_JIT_X86_64_H
#define BPFDEV_CORE_JIT_X86_64_H

#include "isa.h"
#include "jit.h"
#include "jit_x86_64_emit.h"

struct bpf_insn;
struct bpfdev_code;

/*
 * BPF register to x86 register (the frame comment in jit_x86_64.c says
 * why each).  Static here because both files index it for every
 * instruction: a 12-byte copy each instead of an exported table.
 */
static const u8 reg2x86[MAX_BPF_REG + 1] = {
	[BPF_REG_0] = RAX,	/* return value */
	[BPF_REG_1] = RDI,	/* argument 1 */
	[BPF_REG_2] = RSI,	/* argument 2 */
	[BPF_REG_3] = RDX,	/* argument 3 */
	[BPF_REG_4] = RCX,	/* argument 4 */
	[BPF_REG_5] = R8,	/* argument 5 */
	[BPF_REG_6] = RBX,	/* callee saved */
	[BPF_REG_7] = R13,	/* callee saved */
	[BPF_REG_8] = R14,	/* callee saved */
	[BPF_REG_9] = R15,	/* callee saved */
	[BPF_REG_10] = RBP,	/* frame pointer */
	[BPFDEV_REG_AX] = R10,	/* blinding scratch */
};

/* One compile: the program, where each instruction lands, the frame. */
struct jit {
	const struct bpfdev_code *code;
	const struct bpf_insn	*insns;
	u32			len;
	u32			*addrs;		/* [len + 1]: code of insn i; [len]: stop */
	u32			*entry;		/* prologue of a function starting at i */
	u32			*cold;		/* out-of-line stub of insn i (LD_ABS) */
	u16			*depth;		/* stack of the function holding insn i */
	u8			*is_func;
	u8			*image;		/* last pass: the bytes; else NULL */
	u32			image_len;
	u64			base;		/* where the image will run */
	u32			pos;		/* offset of the instruction being emitted */
	u32			stop_len;	/* bytes of the stop block */
	bool			force_near;	/* first pass: every jump rel32 */
	bool			pin;		/* keep every offset of the last pass */
	bool			near_calls;	/* rel32 reaches every call target */
	const void		*ithunk;
	const void		*rthunk;
	u32			unwind;
	int			err;
	/* the frame, the same for every function of the image */
	u8			saved[6];	/* pushed after rbp; RAX: the count */
	u8			nsaved;
	u8			pad;		/* bytes below the BPF stack */
	bool			tcc;		/* a tail call count slot */
	bool			main_fp;	/* r12 = main frame's rbp */
	bool			cache_data;	/* r12 = skb->data */
};

/* A patched rel8 that would not fit makes the compile fail, never lie. */
static inline void jit_patch8(struct jit *j, struct jit_buf *b, u8 *disp)
{
	if (b->p - (disp + 1) > 127)
		j->err = -EFAULT;
	patch8(b, disp);
}

/* ALU and ALU64 (dst op= src or imm), MOVSX, BSWAP */
int bpfdev_jit_emit_alu(struct jit *j, struct jit_buf *b, const struct bpf_insn *insn);
/* LDX, LDX MEMSX, ST, STX and STX ATOMIC */
int bpfdev_jit_emit_ldst(struct jit_buf *b, const struct bpf_insn *insn);

#endif /* BPFDEV_CORE_JIT_X86_64_H */
