// SPDX-License-Identifier: GPL-2.0
/*
 * Spectre mitigations for callers the kernel does not trust with them
 * (!bypass_spec_v1, !bypass_spec_v4: no CAP_PERFMON), ported from 6.1's
 * kernel/bpf/verifier.c:
 *   - a conditional jump whose outcome is known still has its other side
 *     verified, as a speculative path (the CPU may mispredict into it);
 *   - pointer += / -= scalar records the window the offset must stay in
 *     (aux->alu_limit, aux->alu_state); verifier_patch.c masks the offset
 *     to it, and the op is simulated with a zero offset on a speculative
 *     path so that the truncated pointer is verified too;
 *   - instructions no real path reaches become "goto -1" traps, so no
 *     unverified code reaches the image (sanitize_dead_code()).
 * The stack-spill barrier (aux->sanitize_stack_spill) is set where the
 * store is checked, in verifier_stack.c.
 */

#include "verifier_internal.h"

enum {
	REASON_BOUNDS	= -1,
	REASON_TYPE	= -2,
	REASON_PATHS	= -3,
	REASON_LIMIT	= -4,
	REASON_STACK	= -5,
};

static int retrieve_ptr_limit(const struct bpfdev_reg_state *ptr_reg, u32 *alu_limit,
			      bool mask_to_left)
{
	u32 max = 0, ptr_limit = 0;

	switch (ptr_reg->type) {
	case PTR_TO_STACK:
		/*
		 * Offset 0 is out-of-bounds, but acceptable start for the
		 * left direction, see BPF_REG_FP.  Also, unknown scalar
		 * offset where we would need to deal with min/max bounds is
		 * currently prohibited for unprivileged.
		 */
		max = BPF_MAX_STACK + mask_to_left;
		ptr_limit = -(ptr_reg->var_off.value + ptr_reg->off);
		break;
	case PTR_TO_MAP_VALUE:
		max = ptr_reg->map_ptr->value_size;
		ptr_limit = (mask_to_left ? ptr_reg->smin_value : ptr_reg->umax_value) +
			    ptr_reg->off;
		break;
	default:
		return REASON_TYPE;
	}
	if (ptr_limit >= max)
		return REASON_LIMIT;
	*alu_limit = ptr_limit;
	return 0;
}

static bool can_skip_alu_sanitation(const struct bpfdev_verifier *env,
				    const struct bpf_insn *insn)
{
	return env->bypass_spec_v1 || BPF_SRC(insn->code) == BPF_K;
}

static int update_alu_sanitation_state(struct bpfdev_insn_aux_data *aux, u32 alu_state,
				       u32 alu_limit)
{
	/*
	 * If we arrived here from different branches with different state
	 * or limits to sanitize, then this won't work.
	 */
	if (aux->alu_state && (aux->alu_state != alu_state || aux->alu_limit != alu_limit))
		return REASON_PATHS;
	/* Corresponding fixup done in verifier_patch.c. */
	aux->alu_state = alu_state;
	aux->alu_limit = alu_limit;
	return 0;
}

int bpfdev_sanitize_val_alu(struct bpfdev_verifier *env, struct bpf_insn *insn)
{
	if (can_skip_alu_sanitation(env, insn))
		return 0;
	return update_alu_sanitation_state(&env->aux[env->insn_idx], BPF_ALU_NON_POINTER, 0);
}

bool bpfdev_sanitize_needed(u8 opcode)
{
	return opcode == BPF_ADD || opcode == BPF_SUB;
}

struct bpfdev_verifier_state *bpfdev_sanitize_speculative_path(struct bpfdev_verifier *env,
							       const struct bpf_insn *insn,
							       u32 next_idx, u32 curr_idx)
{
	struct bpfdev_verifier_state *branch;
	struct bpfdev_reg_state *regs;

	branch = bpfdev_push_stack(env, next_idx, curr_idx, true);
	if (branch && insn) {
		/* the compared registers may hold anything the CPU guessed */
		regs = branch->frame[branch->curframe]->regs;
		if (BPF_SRC(insn->code) == BPF_K) {
			bpfdev_mark_reg_unknown(env, regs, insn->dst_reg);
		} else if (BPF_SRC(insn->code) == BPF_X) {
			bpfdev_mark_reg_unknown(env, regs, insn->dst_reg);
			bpfdev_mark_reg_unknown(env, regs, insn->src_reg);
		}
	}
	return branch;
}

int bpfdev_sanitize_ptr_alu(struct bpfdev_verifier *env, struct bpf_insn *insn,
			    const struct bpfdev_reg_state *ptr_reg,
			    const struct bpfdev_reg_state *off_reg,
			    struct bpfdev_reg_state *dst_reg,
			    struct bpfdev_sanitize_info *info, bool commit_window)
{
	struct bpfdev_insn_aux_data *aux = commit_window ? &env->aux[env->insn_idx] : &info->aux;
	struct bpfdev_verifier_state *vstate = env->cur_state;
	bool off_is_imm = tnum_is_const(off_reg->var_off);
	bool off_is_neg = off_reg->smin_value < 0;
	bool ptr_is_dst_reg = ptr_reg == dst_reg;
	u8 opcode = BPF_OP(insn->code);
	u32 alu_state, alu_limit;
	struct bpfdev_reg_state tmp;
	bool ret;
	int err;

	if (can_skip_alu_sanitation(env, insn))
		return 0;
	/*
	 * We already marked aux for masking from non-speculative paths,
	 * thus we got here in the first place.  We only care to explore bad
	 * access from here.
	 */
	if (vstate->speculative)
		goto do_sim;

	if (!commit_window) {
		bool min_neg = off_reg->smin_value < 0, max_neg = off_reg->smax_value < 0;

		/* an offset of both signs can't be masked to one side */
		if (!tnum_is_const(off_reg->var_off) && min_neg != max_neg)
			return REASON_BOUNDS;
		info->mask_to_left = (opcode == BPF_ADD && off_is_neg) ||
				     (opcode == BPF_SUB && !off_is_neg);
	}

	err = retrieve_ptr_limit(ptr_reg, &alu_limit, info->mask_to_left);
	if (err < 0)
		return err;

	if (commit_window) {
		/*
		 * In commit phase we narrow the masking window based on the
		 * observed pointer move after the simulated operation.
		 */
		s32 moved = (s32)(info->aux.alu_limit - alu_limit);

		alu_state = info->aux.alu_state;
		alu_limit = moved < 0 ? -moved : moved;
	} else {
		alu_state  = off_is_neg ? BPF_ALU_NEG_VALUE : 0;
		alu_state |= off_is_imm ? BPF_ALU_IMMEDIATE : 0;
		alu_state |= ptr_is_dst_reg ? BPF_ALU_SANITIZE_SRC : BPF_ALU_SANITIZE_DST;
		/*
		 * Limit pruning on unknown scalars to enable deep search for
		 * potential masking differences from other program paths.
		 */
		if (!off_is_imm)
			env->explore_alu_limits = true;
	}

	err = update_alu_sanitation_state(aux, alu_state, alu_limit);
	if (err < 0)
		return err;
do_sim:
	/*
	 * If we're in commit phase, we're done here given we already pushed
	 * the truncated dst_reg into the speculative verification stack.
	 *
	 * Also, when register is a known constant, we rewrite register-based
	 * operation to immediate-based, and thus do not need masking (and as
	 * a consequence, do not need to simulate the zero-truncation either).
	 */
	if (commit_window || off_is_imm)
		return 0;

	/*
	 * Simulate and find potential out-of-bounds access under speculative
	 * execution from truncation as a result of masking when off was not
	 * within expected range.  If off sits in dst, then we temporarily
	 * need to move ptr there to simulate dst (== 0) +/-= ptr.
	 */
	if (!ptr_is_dst_reg) {
		tmp = *dst_reg;
		bpfdev_copy_register_state(dst_reg, ptr_reg);
	}
	ret = bpfdev_sanitize_speculative_path(env, NULL, env->insn_idx + 1, env->insn_idx);
	if (!ptr_is_dst_reg && ret)
		*dst_reg = tmp;
	return !ret ? REASON_STACK : 0;
}

/*
 * If we simulate paths under speculation, we don't update the insn as
 * 'seen' such that when we verify unreachable paths in the
 * non-speculative domain, sanitize_dead_code() can still rewrite them.
 */
void bpfdev_sanitize_mark_insn_seen(struct bpfdev_verifier *env)
{
	if (!env->cur_state->speculative)
		env->aux[env->insn_idx].seen = true;
}

int bpfdev_sanitize_err(struct bpfdev_verifier *env, const struct bpf_insn *insn, int reason,
			const struct bpfdev_reg_state *off_reg,
			const struct bpfdev_reg_state *dst_reg)
{
	static const char *err = "pointer arithmetic with it prohibited for !root";
	const char *op = BPF_OP(insn->code) == BPF_ADD ? "add" : "sub";
	u32 dst = insn->dst_reg, src = insn->src_reg;

	switch (reason) {
	case REASON_BOUNDS:
		bpfdev_verbose(env, "R%d has unknown scalar with mixed signed bounds, %s\n",
			       off_reg == dst_reg ? dst : src, err);
		break;
	case REASON_TYPE:
		bpfdev_verbose(env, "R%d has pointer with unsupported alu operation, %s\n",
			       off_reg == dst_reg ? src : dst, err);
		break;
	case REASON_PATHS:
		bpfdev_verbose(env, "R%d tried to %s from different maps, paths or scalars, %s\n",
			       dst, op, err);
		break;
	case REASON_LIMIT:
		bpfdev_verbose(env, "R%d tried to %s beyond pointer bounds, %s\n", dst, op, err);
		break;
	case REASON_STACK:
		bpfdev_verbose(env, "R%d could not be pushed for speculative verification, %s\n",
			       dst, err);
		break;
	default:
		bpfdev_verbose(env, "verifier internal error: unknown reason (%d)\n", reason);
		break;
	}
	return -EACCES;
}

/*
 * Code no real path reaches (or only a speculative one) is never run as
 * written: each such instruction becomes "goto -1".  Just nops would not
 * do: at the end of the program a jump there through another bug would
 * run past its end; an exit would not do in a subprogram.
 */
void bpfdev_sanitize_dead_code(struct bpfdev_verifier *env)
{
	const struct bpf_insn trap = INSN_JMP_A(-1);
	u32 i;

	for (i = 0; i < env->len; i++) {
		if (env->aux[i].seen)
			continue;
		env->insns[i] = trap;
	}
}
