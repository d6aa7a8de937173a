// SPDX-License-Identifier: GPL-2.0
/*
 * Constant blinding, as the kernel's bpf_jit_blind_constants(): no
 * immediate an unprivileged user chose reaches the JIT image verbatim, so
 * it cannot plant instruction bytes there (JIT spraying).  Each immediate
 * operand becomes (imm ^ key) ^ key through BPF_REG_AX with a fresh random
 * key, and the instruction takes AX instead.  The JIT compiles the copy;
 * the program's own instructions (what the interpreter runs and xlated
 * dumps show) stay as they were.
 */

#include "isa.h"
#include "jit.h"

#define AX		BPFDEV_REG_AX
#define BLIND_MAX	4	/* instructions one instruction can become */

static bool blind_alu_op(u8 op)
{
	switch (op) {
	case BPF_ADD:
	case BPF_SUB:
	case BPF_AND:
	case BPF_OR:
	case BPF_XOR:
	case BPF_MUL:
	case BPF_MOV:
	case BPF_DIV:
	case BPF_MOD:
		return true;
	default:
		return false;
	}
}

static bool blind_is_cond_jmp(u8 code)
{
	u8 cls = BPF_CLASS(code), op = BPF_OP(code);

	return (cls == BPF_JMP || cls == BPF_JMP32) && op != BPF_JA &&
	       op != BPF_CALL && op != BPF_EXIT;
}

/* Instructions whose offset (or, for gotol and calls, imm) is a jump. */
static bool blind_has_target(const struct bpf_insn *insn, bool *in_imm)
{
	u8 cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);

	if (cls != BPF_JMP && cls != BPF_JMP32)
		return false;
	if (op == BPF_EXIT)
		return false;
	if (op == BPF_CALL) {
		*in_imm = true;
		return insn->src_reg == BPF_PSEUDO_CALL && BPF_SRC(insn->code) == BPF_K;
	}
	*in_imm = cls == BPF_JMP32 && op == BPF_JA;
	return true;
}

/* Rewrite one instruction (two for LD_IMM64) into to[]; returns how many. */
static u32 blind_insn(const struct bpf_insn *from, struct bpf_insn *to)
{
	u8 cls = BPF_CLASS(from->code);
	u32 key = bpfdev_prandom_u32();
	s32 imm = from->imm, mix = (s32)(key ^ (u32)imm);

	if (from->dst_reg == AX || from->src_reg == AX)
		goto copy;
	if (bpfdev_insn_is_ld_imm64(from)) {
		u32 key2 = bpfdev_prandom_u32();

		to[0] = INSN_ALU64_IMM(BPF_MOV, AX, (s32)(key ^ (u32)from[1].imm));
		to[1] = INSN_ALU64_IMM(BPF_XOR, AX, (s32)key);
		to[2] = INSN_ALU64_IMM(BPF_LSH, AX, 32);
		to[3] = INSN_MOV64_REG(from->dst_reg, AX);
		to[4] = INSN_ALU32_IMM(BPF_MOV, AX, (s32)(key2 ^ (u32)imm));
		to[5] = INSN_ALU32_IMM(BPF_XOR, AX, (s32)key2);
		to[6] = INSN_ALU64_REG(BPF_OR, from->dst_reg, AX);
		return 7;
	}
	if (!imm)
		goto copy;
	if ((cls == BPF_ALU || cls == BPF_ALU64) && BPF_SRC(from->code) == BPF_K &&
	    blind_alu_op(BPF_OP(from->code))) {
		to[0] = INSN(cls | BPF_MOV | BPF_K, AX, 0, 0, mix);
		to[1] = INSN(cls | BPF_XOR | BPF_K, AX, 0, 0, (s32)key);
		to[2] = INSN(cls | BPF_OP(from->code) | BPF_X, from->dst_reg, AX,
			     from->off, 0);
		return 3;
	}
	if (blind_is_cond_jmp(from->code) && BPF_SRC(from->code) == BPF_K) {
		u8 alu = cls == BPF_JMP ? BPF_ALU64 : BPF_ALU;

		to[0] = INSN(alu | BPF_MOV | BPF_K, AX, 0, 0, mix);
		to[1] = INSN(alu | BPF_XOR | BPF_K, AX, 0, 0, (s32)key);
		to[2] = INSN(cls | BPF_OP(from->code) | BPF_X, from->dst_reg, AX,
			     from->off, 0);
		return 3;
	}
	if (cls == BPF_ST && BPF_MODE(from->code) == BPF_MEM) {
		to[0] = INSN_ALU64_IMM(BPF_MOV, AX, mix);
		to[1] = INSN_ALU64_IMM(BPF_XOR, AX, (s32)key);
		to[2] = INSN_STX_MEM(BPF_SIZE(from->code), from->dst_reg, AX, from->off);
		return 3;
	}
	if (cls == BPF_LD && BPF_MODE(from->code) == BPF_ABS) {
		to[0] = INSN_ALU32_IMM(BPF_MOV, AX, mix);
		to[1] = INSN_ALU32_IMM(BPF_XOR, AX, (s32)key);
		to[2] = INSN_LD_IND(BPF_SIZE(from->code), AX, 0);
		return 3;
	}
	if (cls == BPF_LD && BPF_MODE(from->code) == BPF_IND) {
		to[0] = INSN_ALU32_IMM(BPF_MOV, AX, mix);
		to[1] = INSN_ALU32_IMM(BPF_XOR, AX, (s32)key);
		to[2] = INSN_ALU32_REG(BPF_ADD, AX, from->src_reg);
		to[3] = INSN_LD_IND(BPF_SIZE(from->code), AX, 0);
		return 4;
	}
copy:
	to[0] = *from;
	return 1;
}

int bpfdev_jit_blind(const struct bpf_insn *insns, u32 len,
		     struct bpf_insn **out, u32 *out_len)
{
	struct bpf_insn *to;
	u32 *map, i, n = 0;
	int err = 0;

	if (len > BPF_MAX_INSNS_PER_PROG)
		return -E2BIG;
	to = bpfdev_zalloc_array((size_t)len * BLIND_MAX, sizeof(*to));
	map = bpfdev_zalloc_array(len + 1, sizeof(*map));
	if (!to || !map) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < len; i++) {
		map[i] = n;
		if (bpfdev_insn_is_ld_imm64(&insns[i]) && i + 1 < len) {
			n += blind_insn(&insns[i], &to[n]);
			map[++i] = n - 3;	/* never a jump target */
			continue;
		}
		n += blind_insn(&insns[i], &to[n]);
	}
	map[len] = n;
	/* Each jump is the last instruction of its expansion. */
	for (i = 0; i < len; i++) {
		bool in_imm = false;
		s64 target, delta;
		struct bpf_insn *jmp;

		if (!blind_has_target(&insns[i], &in_imm))
			continue;
		target = (s64)i + 1 + (in_imm ? insns[i].imm : insns[i].off);
		if (target < 0 || target > len) {
			err = -EINVAL;
			goto out;
		}
		jmp = &to[map[i + 1] - 1];
		delta = (s64)map[target] - (map[i + 1] - 1) - 1;
		if (in_imm) {
			jmp->imm = (s32)delta;
		} else if (delta < S16_MIN || delta > S16_MAX) {
			err = -E2BIG;
			goto out;
		} else {
			jmp->off = (s16)delta;
		}
	}
	*out = to;
	*out_len = n;
	to = NULL;
out:
	bpfdev_free(map);
	bpfdev_free(to);
	return err;
}
