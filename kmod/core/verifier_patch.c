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
 * Each expansion goes through bpfdev_patch_insn_data() (verifier_fixup.c),
 * which re-aims jumps at the start of a patch (the masking must run before
 * the op) and keeps subprogram starts and aux in step.  No expansion holds
 * a jump.
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

/* The Spectre part of the kernel's do_misc_fixups(); after dead code. */
int bpfdev_patch_sanitize(struct bpfdev_verifier *env)
{
	struct bpf_insn patch[PATCH_MAX];
	u32 i, len = env->len, delta = 0;
	int err;

	for (i = 0; i < len; i++) {
		u32 at = i + delta, cnt;

		if (bpfdev_insn_is_ld_imm64(&env->insns[at])) {
			i++;
			continue;
		}
		cnt = patch_insn(&env->insns[at], &env->aux[at], patch);
		if (cnt == 1)
			continue;
		err = bpfdev_patch_insn_data(env, at, patch, cnt);
		if (err)
			return err;
		delta += cnt - 1;
	}
	return 0;
}
