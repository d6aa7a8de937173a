// SPDX-License-Identifier: GPL-2.0
/*
 * Precision tracking, as the kernel's verifier does it for privileged
 * programs: a scalar is compared during pruning only if some safety
 * decision depended on its value (pointer arithmetic, a helper's size, a
 * branch decided by its range, a zero written to the stack).  When that
 * happens the decision's register is marked precise, and the marks are
 * carried backwards along the path (backtracking through the instructions
 * of each state and its checkpoints) to every register and stack slot its
 * value came from.  Whatever the backtracking can't follow (calls into
 * subprograms, the result of a legacy packet load) makes every scalar of
 * the path precise.
 * Unprivileged programs keep every scalar precise.
 */

#include "verifier_internal.h"

/* backtrack_insn() can't follow an instruction: mark everything precise */
#define BACKTRACK_GIVE_UP	1000

int bpfdev_push_jmp_history(struct bpfdev_verifier *env, struct bpfdev_verifier_state *st)
{
	u32 cnt = st->jmp_history_cnt;
	struct bpfdev_idx_pair *p;

	/* pushed states copy the history: keep it short */
	if (cnt >= BPFDEV_MAX_JMP_HISTORY) {
		st->jmp_history_lost = true;
		return 0;
	}
	/* grow by doubling; the array is copied with the state */
	if (!(cnt & (cnt - 1))) {
		p = bpfdev_zalloc_array(cnt ? cnt * 2 : 4, sizeof(*p));
		if (!p)
			return -ENOMEM;
		if (cnt)
			memcpy(p, st->jmp_history, cnt * sizeof(*p));
		bpfdev_free(st->jmp_history);
		st->jmp_history = p;
	}
	st->jmp_history[cnt].idx = env->insn_idx;
	st->jmp_history[cnt].prev_idx = env->prev_insn_idx;
	st->jmp_history_cnt = cnt + 1;
	return 0;
}

/* Backtrack one insn at a time: the instruction before i on this path. */
static int get_prev_insn_idx(const struct bpfdev_verifier_state *st, int i, u32 *history)
{
	u32 cnt = *history;

	if (cnt && st->jmp_history[cnt - 1].idx == (u32)i) {
		i = st->jmp_history[cnt - 1].prev_idx;
		(*history)--;
	} else {
		i--;
	}
	return i;
}

/*
 * For the instruction at idx, turn "registers/slots needing precision
 * after it" into "... before it".  -BACKTRACK_GIVE_UP: can't follow, be
 * conservative.
 */
static int backtrack_insn(struct bpfdev_verifier *env, int idx, u32 *reg_mask,
			  u64 *stack_mask)
{
	const struct bpf_insn *insn = env->insns + idx;
	u8 class = BPF_CLASS(insn->code);
	u8 opcode = BPF_OP(insn->code);
	u8 mode = BPF_MODE(insn->code);
	u32 dreg = 1U << insn->dst_reg;
	u32 sreg = 1U << insn->src_reg;
	u32 spi;

	if (insn->code == 0)
		return 0;	/* second half of an LD_IMM64: never stepped on */
	if (class == BPF_ALU || class == BPF_ALU64) {
		if (!(*reg_mask & dreg))
			return 0;
		if (opcode == BPF_MOV) {
			*reg_mask &= ~dreg;
			/* dreg = sreg (or sign-extended): sreg needs precision before */
			if (BPF_SRC(insn->code) == BPF_X)
				*reg_mask |= sreg;
			/* dreg = K: a constant, nothing further */
		} else if (BPF_SRC(insn->code) == BPF_X) {
			/* dreg op= sreg: both need precision before */
			*reg_mask |= sreg;
		}
		/* dreg op= K: dreg still needs precision before */
	} else if (class == BPF_LDX) {
		if (!(*reg_mask & dreg))
			return 0;
		*reg_mask &= ~dreg;
		/*
		 * Only a fill from the stack keeps a scalar's knowledge; any
		 * other load is unknown, and fills through other pointers
		 * marked their slot precise when they happened.
		 */
		if (insn->src_reg != BPF_REG_FP)
			return 0;
		if (insn->off >= 0 || insn->off < -BPF_MAX_STACK)
			return -BACKTRACK_GIVE_UP;
		spi = (-insn->off - 1) / BPF_REG_SIZE;
		*stack_mask |= 1ULL << spi;
	} else if (class == BPF_STX || class == BPF_ST) {
		if (*reg_mask & dreg)
			/* a scalar used as an address: pointer subtraction */
			return -BACKTRACK_GIVE_UP;
		if (insn->dst_reg != BPF_REG_FP)
			return 0;
		if (insn->off >= 0 || insn->off < -BPF_MAX_STACK)
			return -BACKTRACK_GIVE_UP;
		spi = (-insn->off - 1) / BPF_REG_SIZE;
		if (!(*stack_mask & (1ULL << spi)))
			return 0;
		*stack_mask &= ~(1ULL << spi);
		if (class == BPF_STX) {
			if (mode == BPF_ATOMIC)
				return -BACKTRACK_GIVE_UP;
			*reg_mask |= sreg;
		}
	} else if (class == BPF_JMP || class == BPF_JMP32) {
		if (opcode == BPF_CALL) {
			if (insn->src_reg == BPF_PSEUDO_CALL)
				return -BACKTRACK_GIVE_UP;
			/* a helper call sets r0 and clobbers r1-r5 */
			*reg_mask &= ~1U;
			if (*reg_mask & 0x3f)
				return -BACKTRACK_GIVE_UP;
		} else if (opcode == BPF_EXIT) {
			return -BACKTRACK_GIVE_UP;
		}
	} else if (class == BPF_LD) {
		/*
		 * A legacy packet load clobbers r1-r5, which no precise
		 * register can be then: only its result in r0 stops the walk,
		 * as in the kernel.
		 */
		if (!(*reg_mask & dreg))
			return 0;
		*reg_mask &= ~dreg;
		if (mode == BPF_ABS || mode == BPF_IND)
			return -BACKTRACK_GIVE_UP;
		/* ld_imm64: a constant */
	}
	return 0;
}

/*
 * The big hammer: every scalar of the path precise, back to the first
 * checkpoint.  A checkpoint's registers never change type, so once a walk
 * has marked one and its ancestors, a later walk can stop there: without
 * that, a long path that gives up at every step walks all of its
 * checkpoints each time (quadratic; 97% of a 1M-instruction load).
 */
static void mark_all_scalars_precise(struct bpfdev_verifier *env,
				     struct bpfdev_verifier_state *st)
{
	struct bpfdev_func_state *func;
	u32 i, j;
	int s;

	for (; st; st = st->parent) {
		/* the current state still changes: never "done" */
		if (st != env->cur_state) {
			if (st->all_precise)
				break;
			st->all_precise = true;
		}
		for (i = 0; i <= st->curframe; i++) {
			func = st->frame[i];
			for (j = 0; j < BPF_REG_FP; j++)
				if (func->regs[j].type == SCALAR_VALUE)
					func->regs[j].precise = true;
			for (s = 0; s < func->allocated_stack / BPF_REG_SIZE; s++)
				if (is_spilled_reg(&func->stack[s]) &&
				    func->stack[s].spilled_ptr.type == SCALAR_VALUE)
					func->stack[s].spilled_ptr.precise = true;
		}
	}
}

void bpfdev_mark_all_scalars_imprecise(struct bpfdev_verifier *env,
				       struct bpfdev_verifier_state *st)
{
	struct bpfdev_func_state *func;
	u32 i, j;
	int s;

	for (i = 0; i <= st->curframe; i++) {
		func = st->frame[i];
		for (j = 0; j < BPF_REG_FP; j++)
			if (func->regs[j].type == SCALAR_VALUE)
				func->regs[j].precise = false;
		for (s = 0; s < func->allocated_stack / BPF_REG_SIZE; s++)
			if (func->stack[s].spilled_ptr.type == SCALAR_VALUE)
				func->stack[s].spilled_ptr.precise = false;
	}
}

/*
 * Mark regno (or stack slot spi) of frame precise in the current state
 * and every register and slot its value came from, back along the path.
 */
static int __mark_chain_precision(struct bpfdev_verifier *env, int frame, int regno, int spi)
{
	struct bpfdev_verifier_state *st = env->cur_state;
	int first_idx = st->first_insn_idx;
	int last_idx = env->insn_idx;
	struct bpfdev_func_state *func;
	struct bpfdev_reg_state *reg;
	u32 reg_mask = regno >= 0 ? 1U << regno : 0;
	u64 stack_mask = spi >= 0 ? 1ULL << spi : 0;
	bool new_marks = false;
	int i, err;

	if (!env->track_precision)
		return 0;
	/* the walk follows one frame: elsewhere, be conservative */
	if (frame != (int)st->curframe) {
		mark_all_scalars_precise(env, st);
		return 0;
	}
	func = st->frame[frame];
	/*
	 * The current state's own marks may have been copied from another
	 * register: always walk its path, whatever it says.
	 */
	if (regno >= 0) {
		reg = &func->regs[regno];
		if (reg->type != SCALAR_VALUE)
			return 0;
		reg->precise = true;
	}
	if (spi >= 0) {
		if (spi >= func->allocated_stack / BPF_REG_SIZE ||
		    !is_spilled_reg(&func->stack[spi]) ||
		    func->stack[spi].spilled_ptr.type != SCALAR_VALUE)
			return 0;
		func->stack[spi].spilled_ptr.precise = true;
	}

	for (;;) {
		u32 history = st->jmp_history_cnt;

		if (st->jmp_history_lost) {
			mark_all_scalars_precise(env, st);
			return 0;
		}
		for (i = last_idx;;) {
			err = backtrack_insn(env, i, &reg_mask, &stack_mask);
			if (err == -BACKTRACK_GIVE_UP) {
				mark_all_scalars_precise(env, st);
				return 0;
			} else if (err) {
				return err;
			}
			if (!reg_mask && !stack_mask)
				/* the values came from constants or unknowns here */
				return 0;
			if (i == first_idx)
				break;
			i = get_prev_insn_idx(st, i, &history);
			if (i < 0 || i >= (int)env->len) {
				/* lost the path: be conservative */
				mark_all_scalars_precise(env, st);
				return 0;
			}
		}
		st = st->parent;
		if (!st)
			break;
		if (st->curframe != (u32)frame) {
			mark_all_scalars_precise(env, st);
			return 0;
		}
		new_marks = false;
		func = st->frame[frame];
		for (i = 0; i < BPF_REG_FP; i++) {
			if (!(reg_mask & (1U << i)))
				continue;
			reg = &func->regs[i];
			if (reg->type != SCALAR_VALUE) {
				reg_mask &= ~(1U << i);
				continue;
			}
			if (!reg->precise)
				new_marks = true;
			reg->precise = true;
		}
		for (i = 0; i < 64; i++) {
			if (!(stack_mask & (1ULL << i)))
				continue;
			if (i >= func->allocated_stack / BPF_REG_SIZE) {
				/* a slot this state never had: be conservative */
				mark_all_scalars_precise(env, st);
				return 0;
			}
			if (!is_spilled_reg(&func->stack[i]) ||
			    func->stack[i].spilled_ptr.type != SCALAR_VALUE) {
				stack_mask &= ~(1ULL << i);
				continue;
			}
			reg = &func->stack[i].spilled_ptr;
			if (!reg->precise)
				new_marks = true;
			reg->precise = true;
		}
		if (!reg_mask && !stack_mask)
			break;
		if (!new_marks)
			break;
		last_idx = st->last_insn_idx;
		first_idx = st->first_insn_idx;
	}
	return 0;
}

int bpfdev_mark_chain_precision(struct bpfdev_verifier *env, int regno)
{
	return __mark_chain_precision(env, env->cur_state->curframe, regno, -1);
}

int bpfdev_mark_chain_precision_stack(struct bpfdev_verifier *env, int frame, int spi)
{
	return __mark_chain_precision(env, frame, -1, spi);
}

/*
 * cur was pruned against old: what old's continuation needed precise,
 * cur needs too.
 */
int bpfdev_propagate_precision(struct bpfdev_verifier *env, const struct bpfdev_verifier_state *old)
{
	const struct bpfdev_func_state *state;
	u32 fr;
	int i, err;

	if (!env->track_precision)
		return 0;
	for (fr = 0; fr <= old->curframe; fr++) {
		state = old->frame[fr];
		for (i = 0; i < BPF_REG_FP; i++) {
			if (state->regs[i].type != SCALAR_VALUE || !state->regs[i].precise)
				continue;
			if (fr != env->cur_state->curframe) {
				mark_all_scalars_precise(env, env->cur_state);
				return 0;
			}
			err = bpfdev_mark_chain_precision(env, i);
			if (err < 0)
				return err;
		}
		for (i = 0; i < state->allocated_stack / BPF_REG_SIZE; i++) {
			if (!is_spilled_reg(&state->stack[i]) ||
			    state->stack[i].spilled_ptr.type != SCALAR_VALUE ||
			    !state->stack[i].spilled_ptr.precise)
				continue;
			err = bpfdev_mark_chain_precision_stack(env, fr, i);
			if (err < 0)
				return err;
		}
	}
	return 0;
}
