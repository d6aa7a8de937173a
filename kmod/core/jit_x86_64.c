// SPDX-License-Identifier: GPL-2.0
/*
 * The x86-64 JIT.
 *
 * Registers and frame (the kernel's mapping, so helper arguments are
 * already where the SysV ABI wants them):
 *
 *	BPF		x86	why
 *	r0		rax	return value, of helpers too
 *	r1 .. r5	rdi rsi rdx rcx r8	arguments, caller saved
 *	r6 .. r9	rbx r13 r14 r15		callee saved
 *	r10		rbp	read-only frame pointer: top of the BPF stack
 *	AX		r10	constant blinding scratch (jit.h)
 *	-		r9 r11	JIT scratch (r11 also: indirect call target)
 *	-		r12	with BPF-to-BPF calls: rbp of the main frame,
 *				for "stop"; else with LD_ABS: skb->data
 * (the table itself, reg2x86, is in jit_x86_64.h: the emitters of
 * jit_x86_64_emit.c use it too)
 *
 *	rbp + 8		return address
 *	rbp + 0		the caller's frame pointer
 *	rbp - depth	BPF stack (r10 points at its top)
 *	rbp - depth	pad: 8 bytes when needed to keep calls 16-byte aligned
 *	then		tail call count (programs with tail calls; main
 *			frames start it at 0), rbx, r12, r13, r14, r15: only
 *			the registers the program uses		<- rsp
 *
 * Entry ("main" prologue):  endbr64; xor eax, eax; endbr64; push rbp;
 *   mov rbp, rsp; sub rsp, depth + pad; push rax (count); push rbx ...
 *   push r15; mov r12, rbp (or mov r12, [rdi + data]).
 * A tail call unwinds its frame and jumps to the target's entry + 6, past
 * the first endbr64 and the count reset, with the count in rax.  That jump
 * is indirect (jmp r11, or a retpoline patched to one), so under IBT its
 * target needs an endbr64 of its own, as the kernel's X86_TAIL_CALL_OFFSET.
 * BPF-to-BPF callees have the same frame without endbr64 and reset (rax:
 * the caller's count): only direct calls reach them.
 * The epilogue does not depend on depth, so every function shares one:
 *   pop r15 .. rbx; pop r11 (count); leave; ret (or a jump to the host's
 *   return thunk).
 * "stop" (a failed LD_ABS, the conformance unwind helper returning 0) ends
 * every frame, as the interpreter does: r0 = 0, back to the main frame
 * through r12, epilogue.  The image ends with the calls of LD_ABS/LD_IND
 * slow paths, out of the fast path's way.
 *
 * rsp stays 16-byte aligned at every call: depth is a multiple of 16 and
 * pad evens out the saved slots.
 *
 * Emission is multi-pass: a first pass with every jump in its long form
 * bounds each instruction's size, then passes shrink jumps to rel8 until no
 * offset changes, then the image is allocated and a last pass, which must
 * land every instruction where the previous one did, writes it.
 */

#include "code.h"
#include "jit.h"
#include "jit_x86_64.h"
#include "skb.h"

#define JIT_TAIL_OFFSET	6	/* endbr64 + xor eax, eax */
#define JIT_MAX_PASSES	20	/* then one padding pass, as the kernel's JIT */
#define JIT_MAX_IMAGE	(64U << 20)

static u32 jit_cur(const struct jit *j, const struct jit_buf *b)
{
	return j->pos + (u32)(b->p - b->b);
}

/* jmp (cc < 0) or jcc to an image offset; nothing for a jmp to the next byte. */
static void emit_jump(struct jit *j, struct jit_buf *b, int cc, u32 target)
{
	s64 rel = (s64)target - jit_cur(j, b);

	if (cc < 0 && rel == 0 && !j->force_near)
		return;
	if (!j->force_near && is_s8(rel - 2)) {
		emit2(b, cc < 0 ? 0xeb : 0x70 | cc, (u8)(rel - 2));	/* jmp/jcc rel8 */
	} else if (cc < 0) {
		emit1(b, 0xe9);						/* jmp rel32 */
		emit_u32(b, (u32)(rel - 5));
	} else {
		emit2(b, 0x0f, 0x80 | cc);				/* jcc rel32 */
		emit_u32(b, (u32)(rel - 6));
	}
}

/* call/jmp rel32 to an absolute address (the host says it is in reach) */
static void emit_rel32_abs(struct jit *j, struct jit_buf *b, u8 op, const void *fn)
{
	s64 rel = (s64)(uintptr_t)fn - (s64)(j->base + jit_cur(j, b) + 5);

	if (j->image && !is_s32(rel))
		j->err = -E2BIG;
	emit1(b, op);
	emit_u32(b, (u32)rel);
}

/* call r11 / jmp r11, through the retpoline thunk where the host has one */
static void emit_indirect(struct jit *j, struct jit_buf *b, bool call)
{
	if (j->ithunk)
		emit_rel32_abs(j, b, call ? 0xe8 : 0xe9, j->ithunk);
	else
		emit3(b, 0x41, 0xff, call ? 0xd3 : 0xe3);	/* call/jmp r11 */
}

/* call fn: rel32 in the module, movabs r11 + call r11 in userspace */
static void emit_call(struct jit *j, struct jit_buf *b, const void *fn)
{
	if (j->near_calls) {
		emit_rel32_abs(j, b, 0xe8, fn);
		return;
	}
	emit_mov_imm64(b, R11, (u64)(uintptr_t)fn);
	emit_indirect(j, b, true);
}

/* [rbp + this]: the tail call count of the function holding insn i */
static s32 jit_tcc_off(const struct jit *j, u32 i)
{
	return -(s32)(j->depth[i] + j->pad) - 8;
}

static void emit_prologue(struct jit *j, struct jit_buf *b, u32 i)
{
	u32 sub = j->depth[i] + j->pad, k;

	if (i == 0) {
		emit_u32(b, 0xfa1e0ff3);		/* endbr64 */
		emit2(b, 0x31, 0xc0);			/* xor eax, eax */
		emit_u32(b, 0xfa1e0ff3);		/* endbr64: tail call entry */
	}
	emit1(b, 0x55);					/* push rbp */
	emit3(b, 0x48, 0x89, 0xe5);			/* mov rbp, rsp */
	if (sub)
		emit_alu_imm(b, 5, true, RSP, sub);	/* sub rsp, depth + pad */
	for (k = 0; k < j->nsaved; k++)
		emit_push(b, j->saved[k]);		/* count (rax), callee saved */
	if (i == 0 && j->main_fp)
		emit_mov_rr(b, true, R12, RBP);		/* mov r12, rbp */
	if (i == 0 && j->cache_data)			/* mov r12, [rdi + data] */
		emit_mem(b, 0x8b, true, R12, RDI, offsetof(struct bpfdev_skb, data), false);
}

/* pop the saved registers; the count goes to count_reg */
static void emit_pop_saved(struct jit *j, struct jit_buf *b, u8 count_reg)
{
	int k;

	for (k = j->nsaved - 1; k >= 0; k--)
		emit_pop(b, j->saved[k] == RAX ? count_reg : j->saved[k]);
}

/* stop: r0 = 0, back to the main frame (its rbp is in r12), epilogue */
static void emit_stop(struct jit *j, struct jit_buf *b)
{
	emit_rr(b, 0x31, false, RAX, RAX);		/* xor eax, eax */
	if (!j->main_fp)
		return;					/* only main frames stop */
	emit_mov_rr(b, true, RBP, R12);			/* mov rbp, r12 */
	/* lea rsp, [rbp - depth - pad - saved] */
	emit_mem(b, 0x8d, true, RSP, RBP,
		 -(s32)(j->depth[0] + j->pad + 8 * j->nsaved), false);
}

/* The epilogue every exit jumps to. */
static void emit_epilogue(struct jit *j, struct jit_buf *b)
{
	emit_pop_saved(j, b, R11);
	emit1(b, 0xc9);					/* leave */
	if (j->rthunk)
		emit_rel32_abs(j, b, 0xe9, j->rthunk);	/* jmp return thunk */
	else
		emit1(b, 0xc3);				/* ret */
	emit1(b, 0xcc);					/* int3: no straight-line speculation */
}

static u32 jit_stop(const struct jit *j)
{
	return j->addrs[j->len];
}

static u32 jit_epilogue(const struct jit *j)
{
	return j->addrs[j->len] + j->stop_len;
}

static const u8 jmp_cc[16] = {
	[BPF_JEQ >> 4] = CC_E,
	[BPF_JNE >> 4] = CC_NE,
	[BPF_JGT >> 4] = CC_A,
	[BPF_JGE >> 4] = CC_AE,
	[BPF_JLT >> 4] = CC_B,
	[BPF_JLE >> 4] = CC_BE,
	[BPF_JSGT >> 4] = CC_G,
	[BPF_JSGE >> 4] = CC_GE,
	[BPF_JSLT >> 4] = CC_L,
	[BPF_JSLE >> 4] = CC_LE,
	[BPF_JSET >> 4] = CC_NE,
};

static int jit_target(const struct jit *j, u32 i, s64 delta, u32 *t)
{
	s64 target = (s64)i + delta + 1;

	if (target < 0 || target >= j->len)
		return -EINVAL;
	*t = (u32)target;
	return 0;
}

/*
 * bpf_tail_call(ctx, map, index): as the interpreter, the count goes up
 * (to at most BPF_MAX_TAIL_CALLS) whenever a lookup is made; a JITed
 * target is entered by unwinding this frame and jumping past its entry
 * reset, an interpreted one runs in its own interpreter and its result
 * ends this program.
 */
static void emit_tail_call(struct jit *j, struct jit_buf *b, u32 i)
{
	const struct bpfdev_env *env = j->code->env;
	s32 tcc = jit_tcc_off(j, i);
	u8 *out1, *out2, *interp;

	if (!env || !env->tail_call_target)
		return;
	emit_mem(b, 0x8b, false, RAX, RBP, tcc, false);	/* mov eax, [rbp + tcc] */
	emit_alu_imm(b, 7, false, RAX, BPF_MAX_TAIL_CALLS);	/* cmp eax, 33 */
	out1 = emit_jcc8(b, CC_AE);
	emit_alu_imm(b, 0, false, RAX, 1);			/* add eax, 1 */
	emit_mem(b, 0x89, false, RAX, RBP, tcc, false);	/* mov [rbp + tcc], eax */
	emit_push(b, RDI);					/* ctx, twice: alignment */
	emit_push(b, RDI);
	emit_mov_rr(b, true, RDI, RSI);				/* mov rdi, rsi (map) */
	emit_mov_rr(b, false, RSI, RDX);			/* mov esi, edx (index) */
	emit_call(j, b, (const void *)env->tail_call_target);
	emit_pop(b, RDI);
	emit_pop(b, RDI);
	emit_rr(b, 0x85, true, RAX, RAX);			/* test rax, rax */
	out2 = emit_jcc8(b, CC_E);
	/* mov r11, [rax + offsetof(jited)] */
	emit_mem(b, 0x8b, true, R11, RAX, offsetof(struct bpfdev_code, jited), false);
	emit_rr(b, 0x85, true, R11, R11);			/* test r11, r11 */
	interp = emit_jcc8(b, CC_E);
	emit_pop_saved(j, b, RAX);				/* the count, for the target */
	emit1(b, 0xc9);						/* leave */
	emit_alu_imm(b, 0, true, R11, JIT_TAIL_OFFSET);		/* add r11, 6 */
	emit_indirect(j, b, false);				/* jmp r11 */
	jit_patch8(j, b, interp);
	emit_mov_rr(b, true, RSI, RDI);				/* ctx */
	emit_mov_rr(b, true, RDI, RAX);				/* code */
	emit_call(j, b, (const void *)bpfdev_interp_run);
	emit_jump(j, b, -1, jit_epilogue(j));
	jit_patch8(j, b, out1);
	jit_patch8(j, b, out2);
}

static int emit_helper_call(struct jit *j, struct jit_buf *b, u32 i)
{
	const struct bpfdev_env *env = j->code->env;
	u32 id = (u32)j->insns[i].imm;

	if (id == BPF_FUNC_tail_call) {
		emit_tail_call(j, b, i);
		return 0;
	}
	if (id >= BPFDEV_NR_HELPERS || !env || !env->helpers[id])
		return -EINVAL;
	emit_call(j, b, (const void *)env->helpers[id]);
	if (j->unwind && id == j->unwind) {
		emit_rr(b, 0x85, true, RAX, RAX);		/* test rax, rax */
		emit_jump(j, b, CC_E, jit_stop(j));
	}
	return 0;
}

/* callx: the helper id is in dst; an id with no helper gives r0 = 0. */
static int emit_callx(struct jit *j, struct jit_buf *b, u8 dst)
{
	const struct bpfdev_env *env = j->code->env;
	u8 *none1, *none2, *done;

	if (!env)
		return -EINVAL;
	emit_mov_rr(b, false, R11, dst);			/* mov r11d, dst32 */
	emit_alu_imm(b, 7, false, R11, BPFDEV_NR_HELPERS - 1);	/* cmp r11d, 255 */
	none1 = emit_jcc8(b, CC_A);
	emit_mov_imm64(b, R9, (u64)(uintptr_t)env->helpers);
	emit3(b, 0x4f, 0x8b, 0x1c);				/* mov r11, [r9 + r11 * 8] */
	emit1(b, 0xd9);
	emit_rr(b, 0x85, true, R11, R11);			/* test r11, r11 */
	none2 = emit_jcc8(b, CC_E);
	emit_indirect(j, b, true);				/* call r11 */
	done = emit_jmp8(b);
	jit_patch8(j, b, none1);
	jit_patch8(j, b, none2);
	emit_rr(b, 0x31, false, RAX, RAX);			/* xor eax, eax */
	jit_patch8(j, b, done);
	return 0;
}

static int emit_jmp(struct jit *j, struct jit_buf *b, u32 i)
{
	const struct bpf_insn *insn = &j->insns[i];
	bool w = BPF_CLASS(insn->code) == BPF_JMP;
	u8 dst = reg2x86[insn->dst_reg], src = reg2x86[insn->src_reg];
	u8 op = BPF_OP(insn->code);
	u32 t;
	int err;

	switch (op) {
	case BPF_JA:
		err = jit_target(j, i, w ? insn->off : insn->imm, &t);
		if (err)
			return err;
		emit_jump(j, b, -1, j->addrs[t]);
		return 0;
	case BPF_EXIT:
		emit_jump(j, b, -1, jit_epilogue(j));
		return 0;
	case BPF_CALL:
		if (!w)
			return -EINVAL;
		if (BPF_SRC(insn->code) == BPF_X)
			return emit_callx(j, b, dst);
		if (insn->src_reg == BPF_PSEUDO_CALL) {
			err = jit_target(j, i, insn->imm, &t);
			if (err)
				return err;
			/* mov eax, [rbp + count]: the callee's count */
			if (j->tcc)
				emit_mem(b, 0x8b, false, RAX, RBP, jit_tcc_off(j, i), false);
			emit1(b, 0xe8);				/* call rel32 */
			emit_u32(b, j->entry[t] - (jit_cur(j, b) + 4));
			return 0;
		}
		if (insn->src_reg)
			return -EOPNOTSUPP;
		return emit_helper_call(j, b, i);
	}
	if (!jmp_cc[op >> 4])
		return -EINVAL;
	err = jit_target(j, i, insn->off, &t);
	if (err)
		return err;
	if (BPF_SRC(insn->code) == BPF_X) {
		emit_rr(b, op == BPF_JSET ? 0x85 : 0x39, w, dst, src);	/* test/cmp dst, src */
	} else if (op == BPF_JSET) {
		emit_rex(b, w, 0, dst, false);
		emit2(b, 0xf7, 0xc0 | (dst & 7));		/* test dst, imm32 */
		emit_u32(b, insn->imm);
	} else if (insn->imm == 0) {
		emit_rr(b, 0x85, w, dst, dst);			/* test dst, dst */
	} else {
		emit_alu_imm(b, 7, w, dst, insn->imm);		/* cmp dst, imm */
	}
	emit_jump(j, b, jmp_cc[op >> 4], j->addrs[t]);
	return 0;
}

/* eax = the size bytes at [base + off], network order */
static void emit_ld_be(struct jit_buf *b, u8 base, s32 off, u32 size)
{
	if (size == 1) {
		emit_0f_mem(b, 0xb6, false, RAX, base, off, false);	/* movzx eax, byte */
	} else if (size == 2) {
		emit_0f_mem(b, 0xb7, false, RAX, base, off, false);	/* movzx eax, word */
		emit3(b, 0x66, 0xc1, 0xc0);				/* rol ax, 8 */
		emit1(b, 8);
	} else {
		emit_mem(b, 0x8b, false, RAX, base, off, false);	/* mov eax, [base + off] */
		emit2(b, 0x0f, 0xc8);					/* bswap eax */
	}
}

/* The slow half of LD_ABS/LD_IND: bpfdev_skb_ld_abs(), r1-r5 and AX kept. */
static void emit_ld_abs_call(struct jit *j, struct jit_buf *b, const struct bpf_insn *insn)
{
	emit_push(b, RDI);
	emit_push(b, RSI);
	emit_push(b, RDX);
	emit_push(b, RCX);
	emit_push(b, R8);
	emit_push(b, R10);
	emit_mov_rr(b, true, RDI, RBX);				/* skb */
	if (BPF_MODE(insn->code) == BPF_IND)
		emit_mov_rr(b, false, RSI, R11);		/* mov esi, r11d */
	else
		emit_mov_imm32(b, RSI, (u32)insn->imm);
	emit_mov_imm32(b, RDX, bpfdev_size_bytes(insn->code));
	emit_call(j, b, (const void *)bpfdev_skb_ld_abs);
	emit_pop(b, R10);
	emit_pop(b, R8);
	emit_pop(b, RCX);
	emit_pop(b, RDX);
	emit_pop(b, RSI);
	emit_pop(b, RDI);
	emit_alu_imm(b, 7, true, RAX, -1);			/* cmp rax, -1 */
	emit_jump(j, b, CC_E, jit_stop(j));
}

/* Whether insn's LD_ABS/LD_IND calls out from a stub after the epilogue. */
static bool jit_ld_abs_stub(const struct jit *j, const struct bpf_insn *insn)
{
	return j->cache_data && BPF_CLASS(insn->code) == BPF_LD &&
	       (BPF_MODE(insn->code) == BPF_IND ||
		(BPF_MODE(insn->code) == BPF_ABS && insn->imm >= 0 &&
		 insn->imm <= S32_MAX - 4));
}

/* jcc rel32 to an image offset (fixed size: stubs move between passes) */
static void emit_jcc32(struct jit *j, struct jit_buf *b, u8 cc, u32 target)
{
	emit2(b, 0x0f, 0x80 | cc);
	emit_u32(b, target - (jit_cur(j, b) + 4));
}

/*
 * LD_ABS/LD_IND: the bytes straight from the linear packet when they are
 * there, else bpfdev_skb_ld_abs() (negative offsets, paged data); a load
 * it cannot make stops the program with r0 = 0.  The call keeps r1-r5
 * and AX, as the interpreter does.  With skb->data cached in r12 the call
 * sits in a stub after the epilogue, so the fast path runs straight
 * through.
 */
static int emit_ld_abs(struct jit *j, struct jit_buf *b, u32 i)
{
	const struct bpf_insn *insn = &j->insns[i];
	bool ind = BPF_MODE(insn->code) == BPF_IND;
	u32 size = bpfdev_size_bytes(insn->code);
	u8 src = reg2x86[insn->src_reg];
	s32 imm = insn->imm;
	s32 data = offsetof(struct bpfdev_skb, data);
	s32 data_end = offsetof(struct bpfdev_skb, data_end);
	u8 *slow1 = NULL, *slow2 = NULL, *done = NULL;
	bool fast = ind || (imm >= 0 && imm <= S32_MAX - 4);
	bool stub = jit_ld_abs_stub(j, insn);

	if (size == 8)
		return -EINVAL;
	if (ind) {
		emit_mov_rr(b, false, R11, src);		/* mov r11d, src32 */
		if (imm)
			emit_alu_imm(b, 0, false, R11, imm);	/* add r11d, imm */
		emit_rr(b, 0x85, false, R11, R11);		/* test r11d, r11d */
		if (stub)
			emit_jcc32(j, b, CC_S, j->cold[i]);
		else
			slow1 = emit_jcc8(b, CC_S);
	}
	if (stub) {
		/* r12 = skb->data since entry; rax is free until the load */
		if (ind) {
			emit_mov_rr(b, true, R9, R12);			/* mov r9, r12 */
			emit_rr(b, 0x01, true, R9, R11);		/* add r9, r11 */
			emit_mem(b, 0x8d, true, RAX, R9, size, false);	/* lea rax, [r9 + size] */
			imm = 0;
		} else {
			/* lea rax, [r12 + off + size] */
			emit_mem(b, 0x8d, true, RAX, R12, imm + size, false);
		}
		/* cmp rax, [rbx + data_end] */
		emit_mem(b, 0x3b, true, RAX, RBX, data_end, false);
		emit_jcc32(j, b, CC_A, j->cold[i]);
		emit_ld_be(b, ind ? R9 : R12, imm, size);
		return 0;
	}
	if (fast) {
		/* mov r9, [rbx + data_end] */
		emit_mem(b, 0x8b, true, R9, RBX, data_end, false);
		emit_mem(b, 0x2b, true, R9, RBX, data, false);		/* sub r9, [rbx + data] */
		if (ind) {
			emit_alu_imm(b, 5, true, R9, size);		/* sub r9, size */
			emit_rr(b, 0x39, true, R11, R9);		/* cmp r11, r9 */
			slow2 = emit_jcc8(b, CC_G);
			emit_mem(b, 0x03, true, R11, RBX, data, false);	/* add r11, [rbx + data] */
			imm = 0;
		} else {
			emit_alu_imm(b, 7, true, R9, imm + size);	/* cmp r9, off + size */
			slow2 = emit_jcc8(b, CC_B);
			emit_mem(b, 0x8b, true, R11, RBX, data, false);	/* mov r11, [rbx + data] */
		}
		emit_ld_be(b, R11, imm, size);
		done = emit_jmp8(b);
	}
	if (slow1)
		jit_patch8(j, b, slow1);
	if (slow2)
		jit_patch8(j, b, slow2);
	emit_ld_abs_call(j, b, insn);
	if (done)
		jit_patch8(j, b, done);
	return 0;
}

static int emit_insn(struct jit *j, struct jit_buf *b, u32 i)
{
	const struct bpf_insn *insn = &j->insns[i];

	if (insn->dst_reg > BPFDEV_REG_AX || insn->src_reg > BPFDEV_REG_AX)
		return -EINVAL;
	switch (BPF_CLASS(insn->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		return bpfdev_jit_emit_alu(j, b, insn);
	case BPF_JMP:
	case BPF_JMP32:
		return emit_jmp(j, b, i);
	case BPF_LDX:
	case BPF_ST:
	case BPF_STX:
		return bpfdev_jit_emit_ldst(b, insn);
	case BPF_LD:
		if (bpfdev_insn_is_ld_imm64(insn)) {
			if (i + 1 >= j->len)
				return -EINVAL;
			emit_mov_imm64(b, reg2x86[insn->dst_reg],
				       (u64)(u32)insn->imm | ((u64)(u32)insn[1].imm << 32));
			return 0;
		}
		if (BPF_MODE(insn->code) == BPF_ABS || BPF_MODE(insn->code) == BPF_IND)
			return emit_ld_abs(j, b, i);
		return -EINVAL;
	default:
		return -EINVAL;
	}
}

/* Append the buffer to the image (last pass) and advance. */
static int jit_flush(struct jit *j, struct jit_buf *b)
{
	u32 n = (u32)(b->p - b->b);

	if (n > JIT_MAX_INSN)
		return -EFAULT;
	if (j->image) {
		if (j->pos + n > j->image_len)
			return -EFAULT;
		memcpy(j->image + j->pos, b->b, n);
	}
	j->pos += n;
	if (j->pos > JIT_MAX_IMAGE)
		return -E2BIG;
	b->p = b->b;
	return 0;
}

static void jit_mark(u32 *slot, u32 pos, bool *changed)
{
	if (*slot != pos) {
		*slot = pos;
		*changed = true;
	}
}

/*
 * Padding mode: NOPs up to where the last pass put this mark, so every
 * offset stays and the layout is a fixed point.  Each instruction's size
 * can only stay or shrink with offsets that stay, so a mark already
 * passed means the layout is not what the passes assumed: fail the JIT.
 */
static int jit_pad_to(struct jit *j, struct jit_buf *b, u32 old)
{
	static const u8 nops[8][8] = {
		{ 0x90 },						/* nop */
		{ 0x66, 0x90 },						/* xchg ax, ax */
		{ 0x0f, 0x1f, 0x00 },					/* nopl (rax) */
		{ 0x0f, 0x1f, 0x40, 0x00 },				/* nopl 0(rax) */
		{ 0x0f, 0x1f, 0x44, 0x00, 0x00 },			/* nopl 0(rax,rax) */
		{ 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00 },			/* nopw 0(rax,rax) */
		{ 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00 },		/* nopl 0L(rax) */
		{ 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },	/* nopl 0L(rax,rax) */
	};
	u32 n;
	int err;

	if (!j->pin)
		return 0;
	if (jit_cur(j, b) > old)
		return -EFAULT;
	while (jit_cur(j, b) < old) {
		n = min_t(u32, old - jit_cur(j, b), 8);
		memcpy(b->p, nops[n - 1], n);
		b->p += n;
		err = jit_flush(j, b);
		if (err)
			return err;
	}
	return 0;
}

static int jit_place(struct jit *j, struct jit_buf *b, u32 *slot, bool *changed)
{
	int err = jit_pad_to(j, b, *slot);

	if (!err)
		jit_mark(slot, j->pos, changed);
	return err;
}

static int jit_pass(struct jit *j, bool *changed)
{
	struct jit_buf b;
	u32 i;
	int err;

	*changed = false;
	j->pos = 0;
	b.p = b.b;
	for (i = 0; i < j->len; i++) {
		if (j->is_func[i]) {
			err = jit_place(j, &b, &j->entry[i], changed);
			if (err)
				return err;
			emit_prologue(j, &b, i);
			err = jit_flush(j, &b);
			if (err)
				return err;
		}
		err = jit_place(j, &b, &j->addrs[i], changed);
		if (!err)
			err = emit_insn(j, &b, i);
		if (!err)
			err = j->err;
		if (!err)
			err = jit_flush(j, &b);
		if (err)
			return err;
		if (bpfdev_insn_is_ld_imm64(&j->insns[i]))
			jit_mark(&j->addrs[++i], j->pos, changed);
	}
	err = jit_place(j, &b, &j->addrs[j->len], changed);
	if (err)
		return err;
	emit_stop(j, &b);
	emit_epilogue(j, &b);
	err = jit_flush(j, &b);
	/* the slow halves of LD_ABS/LD_IND, each jumping back after its load */
	for (i = 0; !err && i < j->len; i++) {
		if (!jit_ld_abs_stub(j, &j->insns[i]))
			continue;
		err = jit_place(j, &b, &j->cold[i], changed);
		if (err)
			break;
		emit_ld_abs_call(j, &b, &j->insns[i]);
		emit_jump(j, &b, -1, j->addrs[i + 1]);
		err = j->err ? j->err : jit_flush(j, &b);
	}
	return err;
}

/*
 * How deep a function's stack goes: the lowest r10 offset it touches,
 * when r10 is only ever a load/store base; else the whole BPF_MAX_STACK
 * (r10 escapes into another register).  Rounded to 16 for alignment.
 */
static u32 jit_stack_depth(const struct bpf_insn *insns, u32 start, u32 end)
{
	s32 low = 0;
	u32 i;

	for (i = start; i < end; i++) {
		const struct bpf_insn *insn = &insns[i];
		u8 cls = BPF_CLASS(insn->code);
		bool base;

		if (bpfdev_insn_is_ld_imm64(insn)) {
			if (insn->dst_reg == BPF_REG_10)
				return BPF_MAX_STACK;
			i++;
			continue;
		}
		if (insn->src_reg != BPF_REG_10 && insn->dst_reg != BPF_REG_10)
			continue;
		base = (cls == BPF_LDX && insn->src_reg == BPF_REG_10 &&
			insn->dst_reg != BPF_REG_10) ||
		       ((cls == BPF_ST || cls == BPF_STX) &&
			insn->dst_reg == BPF_REG_10 && insn->src_reg != BPF_REG_10);
		if (!base || insn->off >= 0 || -insn->off > BPF_MAX_STACK)
			return BPF_MAX_STACK;
		low = min_t(s32, low, insn->off);
	}
	return ((u32)-low + 15) & ~15U;
}

/* Which callee-saved registers and frame slots the image needs. */
static void jit_frame(struct jit *j, u32 used, bool calls, bool sub, bool ld_abs,
		      bool tail)
{
	j->tcc = tail;
	j->main_fp = sub && (ld_abs || j->unwind);
	j->cache_data = ld_abs && !sub;
	j->nsaved = 0;
	if (j->tcc)
		j->saved[j->nsaved++] = RAX;
	if (used & (1U << BPF_REG_6))
		j->saved[j->nsaved++] = RBX;
	if (j->main_fp || j->cache_data)
		j->saved[j->nsaved++] = R12;
	if (used & (1U << BPF_REG_7))
		j->saved[j->nsaved++] = R13;
	if (used & (1U << BPF_REG_8))
		j->saved[j->nsaved++] = R14;
	if (used & (1U << BPF_REG_9))
		j->saved[j->nsaved++] = R15;
	j->pad = calls && (j->nsaved & 1) ? 8 : 0;
}

static int jit_layout(struct jit *j)
{
	bool calls = false, sub = false, ld_abs = false, tail = false;
	u32 i, start, depth, used = 0;

	j->is_func[0] = 1;
	for (i = 0; i < j->len; i++) {
		const struct bpf_insn *insn = &j->insns[i];
		u8 cls = BPF_CLASS(insn->code);
		u32 t;

		used |= (1U << insn->dst_reg) | (1U << insn->src_reg);
		if ((cls == BPF_JMP || cls == BPF_JMP32) && BPF_OP(insn->code) == BPF_CALL)
			calls = true;
		if (insn->code == (BPF_JMP | BPF_CALL) &&
		    insn->src_reg == BPF_PSEUDO_CALL) {
			if (jit_target(j, i, insn->imm, &t))
				return -EINVAL;
			j->is_func[t] = 1;
			sub = true;
		}
		if (insn->code == (BPF_JMP | BPF_CALL) && !insn->src_reg &&
		    insn->imm == BPF_FUNC_tail_call)
			tail = true;
		if (cls == BPF_LD && (BPF_MODE(insn->code) == BPF_ABS ||
				      BPF_MODE(insn->code) == BPF_IND)) {
			ld_abs = true;
			calls = true;
			used |= 1U << BPF_REG_6;
		}
		if (bpfdev_insn_is_ld_imm64(insn))
			i++;
	}
	jit_frame(j, used, calls, sub, ld_abs, tail);
	for (start = 0; start < j->len; start = i) {
		for (i = start + 1; i < j->len && !j->is_func[i]; i++)
			;
		depth = jit_stack_depth(j->insns, start, i);
		for (; start < i; start++)
			j->depth[start] = depth;
	}
	return 0;
}

static int jit_run_passes(struct jit *j)
{
	bool changed = true;
	int pass, err;

	j->force_near = true;
	err = jit_pass(j, &changed);
	j->force_near = false;
	for (pass = 0; !err && changed && pass < JIT_MAX_PASSES; pass++)
		err = jit_pass(j, &changed);
	if (!err && changed) {
		/* Long jump chains shrink a few jumps per pass: pin the layout. */
		j->pin = true;
		err = jit_pass(j, &changed);
	}
	if (err)
		return err;
	return changed ? -E2BIG : 0;
}

static int jit_compile(struct jit *j, struct bpfdev_code *code)
{
	struct jit_buf b;
	bool changed;
	void *mem;
	int err;

	err = jit_layout(j);
	if (err)
		return err;
	b.p = b.b;
	emit_stop(j, &b);
	j->stop_len = (u32)(b.p - b.b);

	err = jit_run_passes(j);
	if (err)
		return err;
	j->image_len = j->pos;
	j->image = bpfdev_zalloc(j->image_len);
	if (!j->image)
		return -ENOMEM;
	err = bpfdev_jit_mem_alloc(j->image_len, &mem);
	if (err)
		goto out;
	j->base = (u64)(uintptr_t)mem;
	err = jit_pass(j, &changed);
	if (!err && (changed || j->pos != j->image_len || j->err))
		err = j->err ? j->err : -EFAULT;
	if (!err)
		err = bpfdev_jit_mem_write(mem, j->image, j->image_len);
	if (err) {
		bpfdev_jit_mem_free(mem, j->image_len);
		goto out;
	}
	code->jit_image = mem;
	code->jit_len = j->image_len;
	code->jited = (bpfdev_jit_fn)mem;
out:
	bpfdev_free(j->image);
	return err;
}

int bpfdev_jit_compile(struct bpfdev_code *code, u32 flags)
{
	struct bpf_insn *blinded = NULL;
	struct jit j = {
		.code = code,
		.insns = code->insns,
		.len = code->len,
		.near_calls = bpfdev_jit_mem_near(),
		.ithunk = bpfdev_jit_indirect_thunk(),
		.rthunk = bpfdev_jit_return_thunk(),
		.unwind = BPFDEV_JIT_UNWIND_ID(flags),
	};
	int err;

	if (!code->insns || !code->len || code->jit_image)
		return -EINVAL;
	if (code->len > BPF_MAX_INSNS_PER_PROG)
		return -E2BIG;
	if (flags & BPFDEV_JIT_BLIND) {
		err = bpfdev_jit_blind(code->insns, code->len, &blinded, &j.len);
		if (err)
			return err;
		j.insns = blinded;
	}
	j.addrs = bpfdev_zalloc_array(j.len + 1, sizeof(*j.addrs));
	j.entry = bpfdev_zalloc_array(j.len, sizeof(*j.entry));
	j.cold = bpfdev_zalloc_array(j.len, sizeof(*j.cold));
	j.depth = bpfdev_zalloc_array(j.len, sizeof(*j.depth));
	j.is_func = bpfdev_zalloc(j.len);
	if (j.addrs && j.entry && j.cold && j.depth && j.is_func)
		err = jit_compile(&j, code);
	else
		err = -ENOMEM;
	bpfdev_free(j.is_func);
	bpfdev_free(j.depth);
	bpfdev_free(j.cold);
	bpfdev_free(j.entry);
	bpfdev_free(j.addrs);
	bpfdev_free(blinded);
	return err;
}

void bpfdev_jit_free(struct bpfdev_code *code)
{
	if (!code->jit_image)
		return;
	bpfdev_jit_mem_free(code->jit_image, code->jit_len);
	code->jit_image = NULL;
	code->jited = NULL;
	code->jit_len = 0;
}

enum bpfdev_jit_fallback bpfdev_jit_fallback_reason(int err)
{
	switch (err) {
	case -ENOMEM:
		return BPFDEV_JIT_FB_NOMEM;
	case -EOPNOTSUPP:
		return BPFDEV_JIT_FB_UNSUPPORTED;
	case -E2BIG:
		return BPFDEV_JIT_FB_TOO_BIG;
	case -EPERM:
		return BPFDEV_JIT_FB_LIMIT;
	default:
		return BPFDEV_JIT_FB_INVALID;
	}
}

const char *bpfdev_jit_fallback_name(enum bpfdev_jit_fallback reason)
{
	static const char * const names[BPFDEV_JIT_FB_NR] = {
		[BPFDEV_JIT_FB_DISABLED] = "disabled",
		[BPFDEV_JIT_FB_NOMEM] = "nomem",
		[BPFDEV_JIT_FB_UNSUPPORTED] = "unsupported",
		[BPFDEV_JIT_FB_INVALID] = "invalid",
		[BPFDEV_JIT_FB_TOO_BIG] = "too_big",
		[BPFDEV_JIT_FB_LIMIT] = "limit",
	};

	return reason < BPFDEV_JIT_FB_NR ? names[reason] : "unknown";
}
