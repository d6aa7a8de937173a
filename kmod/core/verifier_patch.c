// SPDX-License-Identifier: GPL-2.0
/*
 * The one rewrite that changes the program's length: the Spectre
 * mitigations 6.1 patches into programs of callers without CAP_PERFMON
 * (convert_ctx_accesses() and do_misc_fixups() in the kernel):
 *   - a store the verifier marked aux->sanitize_stack_spill is followed by
 *     a nospec barrier (BPFDEV_ST_NOSPEC; Spectre v4, speculative store
 *     bypass);
 *   - pointer += / -= register, marked with aux->alu_state, first masks
 *     the offset register into BPF_REG_AX, to 0 when it lies outside the
 *     window aux->alu_limit the verifier proved (Spectre v1), and then
 *     adds AX instead.
 * Done as the kernel does, in the instructions, rather than by the JIT and
 * the interpreter from per-instruction state: both engines run it with no
 * knowledge of the verifier, xlated dumps show it, and constant blinding
 * leaves AX's instructions alone as it does the kernel's.
 *
 * The instructions are copied once into a longer array; every jump, gotol
 * and BPF-to-BPF call is re-aimed at the start of its target's expansion
 * (the masking must run before the op), subprogram starts move the same
 * way, and pub->orig_idx maps each new instruction to the one it came
 * from.  No expansion holds a jump, so a jump is always the last (only)
 * instruction of its own.
 */

#include "verifier_internal.h"
#include "jit.h"

#define AX		BPFDEV_REG_AX
#define PATCH_MAX	10	/* instructions one instruction can become */

static bool insn_is_mem_store(u8 code)
{
	u8 cls = BPF_CLASS(code);

	return (cls == BPF_ST || cls == BPF_STX) && BPF_MODE(code) == BPF_MEM;
}

/* The kernel's do_misc_fixups() pointer-arithmetic rewrite. */
static u32 patch_alu_mask(const struct bpf_insn *from,
			  const struct bpfdev_insn_aux_data *aux, struct bpf_insn *to)
{
	const u8 code_add = BPF_ALU64 | BPF_ADD | BPF_X;
	const u8 code_sub = BPF_ALU64 | BPF_SUB | BPF_X;
	bool isneg = aux->alu_state & BPF_ALU_NEG_VALUE;
	bool issrc = (aux->alu_state & BPF_ALU_SANITIZE) == BPF_ALU_SANITIZE_SRC;
	bool isimm = aux->alu_state & BPF_ALU_IMMEDIATE;
	u32 off_reg = issrc ? from->src_reg : from->dst_reg;
	struct bpf_insn *patch = to, insn = *from;

	if (isimm) {
		*patch++ = INSN_MOV32_IMM(AX, aux->alu_limit);
	} else {
		if (isneg)
			*patch++ = INSN_ALU64_IMM(BPF_MUL, off_reg, -1);
		/* AX = (limit - off) | off: negative when off is out of the window */
		*patch++ = INSN_MOV32_IMM(AX, aux->alu_limit);
		*patch++ = INSN_ALU64_REG(BPF_SUB, AX, off_reg);
		*patch++ = INSN_ALU64_REG(BPF_OR, AX, off_reg);
		*patch++ = INSN_ALU64_IMM(BPF_NEG, AX, 0);
		*patch++ = INSN_ALU64_IMM(BPF_ARSH, AX, 63);
		*patch++ = INSN_ALU64_REG(BPF_AND, AX, off_reg);
	}
	if (!issrc)
		*patch++ = INSN_MOV64_REG(insn.dst_reg, insn.src_reg);
	insn.src_reg = AX;
	if (isneg)
		insn.code = insn.code == code_add ? code_sub : code_add;
	*patch++ = insn;
	if (issrc && isneg && !isimm)
		*patch++ = INSN_ALU64_IMM(BPF_MUL, off_reg, -1);
	return patch - to;
}

/* One instruction's expansion into to[]; returns its length. */
static u32 patch_insn(const struct bpf_insn *from, const struct bpfdev_insn_aux_data *aux,
		      struct bpf_insn *to)
{
	if (insn_is_mem_store(from->code) && aux->sanitize_stack_spill) {
		to[0] = *from;
		to[1] = INSN(BPFDEV_ST_NOSPEC, 0, 0, 0, 0);
		return 2;
	}
	if ((from->code == (BPF_ALU64 | BPF_ADD | BPF_X) ||
	     from->code == (BPF_ALU64 | BPF_SUB | BPF_X)) &&
	    aux->alu_state && aux->alu_state != BPF_ALU_NON_POINTER)
		return patch_alu_mask(from, aux, to);
	to[0] = *from;
	return 1;
}

/* Instructions whose offset (or, for gotol and calls, imm) is a jump. */
static bool patch_has_target(const struct bpf_insn *insn, bool *in_imm)
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

static bool patch_needed(const struct bpfdev_verifier *env)
{
	u32 i;

	for (i = 0; i < env->len; i++) {
		const struct bpfdev_insn_aux_data *aux = &env->aux[i];

		if (aux->sanitize_stack_spill ||
		    (aux->alu_state && aux->alu_state != BPF_ALU_NON_POINTER))
			return true;
	}
	return false;
}

/* Rewrite env->insns; sets pub->orig_idx (identity when nothing grows). */
int bpfdev_patch_sanitize(struct bpfdev_verifier *env, struct bpfdev_verifier_env *pub)
{
	struct bpf_insn *to = NULL;
	u32 *map = NULL, *orig = NULL, i, n = 0, k;
	int err = -ENOMEM;

	if (!patch_needed(env)) {
		pub->orig_idx = bpfdev_zalloc_array(env->len, sizeof(u32));
		if (!pub->orig_idx)
			return -ENOMEM;
		for (i = 0; i < env->len; i++)
			pub->orig_idx[i] = i;
		return 0;
	}
	if ((u64)env->len * PATCH_MAX > BPF_MAX_INSNS_PER_PROG * 2ULL)
		return -E2BIG;
	to = bpfdev_zalloc_array((size_t)env->len * PATCH_MAX, sizeof(*to));
	orig = bpfdev_zalloc_array((size_t)env->len * PATCH_MAX, sizeof(*orig));
	map = bpfdev_zalloc_array(env->len + 1, sizeof(*map));
	if (!to || !orig || !map)
		goto out;
	for (i = 0; i < env->len; i++) {
		u32 cnt;

		map[i] = n;
		if (bpfdev_insn_is_ld_imm64(&env->insns[i]) && i + 1 < env->len) {
			to[n] = env->insns[i];
			to[n + 1] = env->insns[i + 1];
			orig[n] = i;
			orig[n + 1] = i + 1;
			map[++i] = n + 1;	/* never a jump target */
			n += 2;
			continue;
		}
		cnt = patch_insn(&env->insns[i], &env->aux[i], &to[n]);
		for (k = 0; k < cnt; k++)
			orig[n + k] = i;
		n += cnt;
	}
	map[env->len] = n;
	for (i = 0; i < env->len; i++) {
		bool in_imm = false;
		s64 target, delta;
		struct bpf_insn *jmp;

		if (!patch_has_target(&env->insns[i], &in_imm))
			continue;
		target = (s64)i + 1 + (in_imm ? env->insns[i].imm : env->insns[i].off);
		if (target < 0 || target > env->len) {
			err = -EFAULT;
			goto out;
		}
		jmp = &to[map[i]];
		delta = (s64)map[target] - map[i] - 1;
		if (in_imm) {
			jmp->imm = (s32)delta;
		} else if (delta < S16_MIN || delta > S16_MAX) {
			bpfdev_verbose(env, "insn %u cannot be patched due to 16-bit range\n", i);
			err = -ERANGE;
			goto out;
		} else {
			jmp->off = (s16)delta;
		}
	}
	/* and the end marker after the last subprogram */
	for (i = 0; i <= env->subprog_cnt; i++)
		env->subprog_info[i].start = map[env->subprog_info[i].start];
	bpfdev_free(env->insns);
	env->insns = to;
	env->len = n;
	pub->orig_idx = orig;
	to = NULL;
	orig = NULL;
	err = 0;
out:
	bpfdev_free(map);
	bpfdev_free(orig);
	bpfdev_free(to);
	return err;
}
