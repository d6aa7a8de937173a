// SPDX-License-Identifier: GPL-2.0
/*
 * Conditional jumps: deciding a branch from the bounds, narrowing the
 * registers on each side, null checks of pointers and the packet range a
 * comparison with data_end proves.
 */

#include "verifier_internal.h"

/*
 * The bounds a comparison reads: the 64-bit ones, or the 32-bit ones
 * widened (unsigned zero-extended, signed sign-extended), which order the
 * same way, so one decision serves JMP and JMP32.
 */
struct branch_range {
	struct tnum	var_off;
	u64		umin, umax;
	s64		smin, smax;
};

static struct branch_range branch_range(const struct bpfdev_reg_state *reg, bool is_jmp32)
{
	if (is_jmp32)
		return (struct branch_range) {
			.var_off = bpfdev_tnum_subreg(reg->var_off),
			.umin = reg->u32_min_value, .umax = reg->u32_max_value,
			.smin = reg->s32_min_value, .smax = reg->s32_max_value,
		};
	return (struct branch_range) {
		.var_off = reg->var_off,
		.umin = reg->umin_value, .umax = reg->umax_value,
		.smin = reg->smin_value, .smax = reg->smax_value,
	};
}

/* 1: always taken, 0: never, -1: unknown. */
static int is_range_branch_taken(const struct branch_range *r, u64 val, s64 sval,
				 u8 opcode)
{
	switch (opcode) {
	case BPF_JEQ:
		if (tnum_is_const(r->var_off))
			return !!tnum_equals_const(r->var_off, val);
		break;
	case BPF_JNE:
		if (tnum_is_const(r->var_off))
			return !tnum_equals_const(r->var_off, val);
		break;
	case BPF_JSET:
		if ((~r->var_off.mask & r->var_off.value) & val)
			return 1;
		if (!((r->var_off.mask | r->var_off.value) & val))
			return 0;
		break;
	case BPF_JGT:
		if (r->umin > val)
			return 1;
		else if (r->umax <= val)
			return 0;
		break;
	case BPF_JSGT:
		if (r->smin > sval)
			return 1;
		else if (r->smax <= sval)
			return 0;
		break;
	case BPF_JLT:
		if (r->umax < val)
			return 1;
		else if (r->umin >= val)
			return 0;
		break;
	case BPF_JSLT:
		if (r->smax < sval)
			return 1;
		else if (r->smin >= sval)
			return 0;
		break;
	case BPF_JGE:
		if (r->umin >= val)
			return 1;
		else if (r->umax < val)
			return 0;
		break;
	case BPF_JSGE:
		if (r->smin >= sval)
			return 1;
		else if (r->smax < sval)
			return 0;
		break;
	case BPF_JLE:
		if (r->umax <= val)
			return 1;
		else if (r->umin > val)
			return 0;
		break;
	case BPF_JSLE:
		if (r->smax <= sval)
			return 1;
		else if (r->smin > sval)
			return 0;
		break;
	}
	return -1;
}

/*
 * compute branch direction of the expression "if (reg opcode val) goto
 * target;" and return: 1 - branch will be taken and "goto target" will be
 * executed, 0 - branch will not be taken (the next insn runs),
 * -1 - unknown.
 */
static int is_branch_taken(struct bpfdev_reg_state *reg, u64 val, u8 opcode, bool is_jmp32)
{
	struct branch_range range;

	if (__bpfdev_is_pointer_value(false, reg)) {
		if (!bpfdev_reg_type_not_null(reg->type))
			return -1;
		/* A valid pointer compared against zero decides the branch. */
		if (val != 0)
			return -1;
		switch (opcode) {
		case BPF_JEQ:
			return 0;
		case BPF_JNE:
			return 1;
		default:
			return -1;
		}
	}
	range = branch_range(reg, is_jmp32);
	if (is_jmp32)
		return is_range_branch_taken(&range, (u32)val, (s32)val, opcode);
	return is_range_branch_taken(&range, val, (s64)val, opcode);
}

static u8 flip_opcode(u32 opcode)
{
	/* How can we transform "a <op> b" into "b <op> a"? */
	static const u8 opcode_flip[16] = {
		/* these stay the same */
		[BPF_JEQ >> 4] = BPF_JEQ,
		[BPF_JNE >> 4] = BPF_JNE,
		[BPF_JSET >> 4] = BPF_JSET,
		/* these swap "lesser" and "greater" (L and G in the opcodes) */
		[BPF_JGE >> 4] = BPF_JLE,
		[BPF_JGT >> 4] = BPF_JLT,
		[BPF_JLE >> 4] = BPF_JGE,
		[BPF_JLT >> 4] = BPF_JGT,
		[BPF_JSGE >> 4] = BPF_JSLE,
		[BPF_JSGT >> 4] = BPF_JSLT,
		[BPF_JSLE >> 4] = BPF_JSGE,
		[BPF_JSLT >> 4] = BPF_JSGT
	};
	return opcode_flip[opcode >> 4];
}

static bool is_power_of_2_(u64 n)
{
	return n != 0 && ((n & (n - 1)) == 0);
}

/*
 * Adjusts the register min/max values in the case that the dst_reg is the
 * variable register that we are working on, and src_reg is a constant or
 * we're simply doing a BPF_K check.  In JEQ/JNE cases we also adjust the
 * var_off values.
 */
static void reg_set_min_max(struct bpfdev_reg_state *true_reg, struct bpfdev_reg_state *false_reg,
			    u64 val, u32 val32, u8 opcode, bool is_jmp32)
{
	struct tnum false_32off = bpfdev_tnum_subreg(false_reg->var_off);
	struct tnum false_64off = false_reg->var_off;
	struct tnum true_32off = bpfdev_tnum_subreg(true_reg->var_off);
	struct tnum true_64off = true_reg->var_off;
	s64 sval = (s64)val;
	s32 sval32 = (s32)val32;

	/* Nothing is learned about a pointer's offset from a scalar compare. */
	if (__bpfdev_is_pointer_value(false, false_reg))
		return;

	switch (opcode) {
	/* JEQ/JNE keep the register's id: equal copies are equal too. */
	case BPF_JEQ:
		if (is_jmp32) {
			__bpfdev_mark_reg32_known(true_reg, val32);
			true_32off = bpfdev_tnum_subreg(true_reg->var_off);
		} else {
			___bpfdev_mark_reg_known(true_reg, val);
			true_64off = true_reg->var_off;
		}
		break;
	case BPF_JNE:
		if (is_jmp32) {
			__bpfdev_mark_reg32_known(false_reg, val32);
			false_32off = bpfdev_tnum_subreg(false_reg->var_off);
		} else {
			___bpfdev_mark_reg_known(false_reg, val);
			false_64off = false_reg->var_off;
		}
		break;
	case BPF_JSET:
		if (is_jmp32) {
			false_32off = bpfdev_tnum_and(false_32off, bpfdev_tnum_const(~val32));
			if (is_power_of_2_(val32))
				true_32off = bpfdev_tnum_or(true_32off, bpfdev_tnum_const(val32));
		} else {
			false_64off = bpfdev_tnum_and(false_64off, bpfdev_tnum_const(~val));
			if (is_power_of_2_(val))
				true_64off = bpfdev_tnum_or(true_64off, bpfdev_tnum_const(val));
		}
		break;
	case BPF_JGE:
	case BPF_JGT:
		if (is_jmp32) {
			u32 false_umax = opcode == BPF_JGT ? val32 : val32 - 1;
			u32 true_umin = opcode == BPF_JGT ? val32 + 1 : val32;

			false_reg->u32_max_value = min(false_reg->u32_max_value, false_umax);
			true_reg->u32_min_value = max(true_reg->u32_min_value, true_umin);
		} else {
			u64 false_umax = opcode == BPF_JGT ? val : val - 1;
			u64 true_umin = opcode == BPF_JGT ? val + 1 : val;

			false_reg->umax_value = min(false_reg->umax_value, false_umax);
			true_reg->umin_value = max(true_reg->umin_value, true_umin);
		}
		break;
	case BPF_JSGE:
	case BPF_JSGT:
		if (is_jmp32) {
			s32 false_smax = opcode == BPF_JSGT ? sval32 : (s32)((u32)sval32 - 1);
			s32 true_smin = opcode == BPF_JSGT ? (s32)((u32)sval32 + 1) : sval32;

			false_reg->s32_max_value = min(false_reg->s32_max_value, false_smax);
			true_reg->s32_min_value = max(true_reg->s32_min_value, true_smin);
		} else {
			s64 false_smax = opcode == BPF_JSGT ? sval : (s64)((u64)sval - 1);
			s64 true_smin = opcode == BPF_JSGT ? (s64)((u64)sval + 1) : sval;

			false_reg->smax_value = min(false_reg->smax_value, false_smax);
			true_reg->smin_value = max(true_reg->smin_value, true_smin);
		}
		break;
	case BPF_JLE:
	case BPF_JLT:
		if (is_jmp32) {
			u32 false_umin = opcode == BPF_JLT ? val32 : val32 + 1;
			u32 true_umax = opcode == BPF_JLT ? val32 - 1 : val32;

			false_reg->u32_min_value = max(false_reg->u32_min_value, false_umin);
			true_reg->u32_max_value = min(true_reg->u32_max_value, true_umax);
		} else {
			u64 false_umin = opcode == BPF_JLT ? val : val + 1;
			u64 true_umax = opcode == BPF_JLT ? val - 1 : val;

			false_reg->umin_value = max(false_reg->umin_value, false_umin);
			true_reg->umax_value = min(true_reg->umax_value, true_umax);
		}
		break;
	case BPF_JSLE:
	case BPF_JSLT:
		if (is_jmp32) {
			s32 false_smin = opcode == BPF_JSLT ? sval32 : (s32)((u32)sval32 + 1);
			s32 true_smax = opcode == BPF_JSLT ? (s32)((u32)sval32 - 1) : sval32;

			false_reg->s32_min_value = max(false_reg->s32_min_value, false_smin);
			true_reg->s32_max_value = min(true_reg->s32_max_value, true_smax);
		} else {
			s64 false_smin = opcode == BPF_JSLT ? sval : (s64)((u64)sval + 1);
			s64 true_smax = opcode == BPF_JSLT ? (s64)((u64)sval - 1) : sval;

			false_reg->smin_value = max(false_reg->smin_value, false_smin);
			true_reg->smax_value = min(true_reg->smax_value, true_smax);
		}
		break;
	default:
		return;
	}

	if (is_jmp32) {
		false_reg->var_off = bpfdev_tnum_or(bpfdev_tnum_clear_subreg(false_64off),
						    bpfdev_tnum_subreg(false_32off));
		true_reg->var_off = bpfdev_tnum_or(bpfdev_tnum_clear_subreg(true_64off),
						   bpfdev_tnum_subreg(true_32off));
		__bpfdev_reg_combine_32_into_64(false_reg);
		__bpfdev_reg_combine_32_into_64(true_reg);
	} else {
		false_reg->var_off = false_64off;
		true_reg->var_off = true_64off;
		__bpfdev_reg_combine_64_into_32(false_reg);
		__bpfdev_reg_combine_64_into_32(true_reg);
	}
}

/* Same as above, but for the case that dst_reg holds a constant and src_reg
 * is the variable reg.
 */
static void reg_set_min_max_inv(struct bpfdev_reg_state *true_reg,
				struct bpfdev_reg_state *false_reg,
				u64 val, u32 val32, u8 opcode, bool is_jmp32)
{
	opcode = flip_opcode(opcode);
	/* This uses zero as "not present in table"; luckily the zero opcode,
	 * BPF_JA, can't get here.
	 */
	if (opcode)
		reg_set_min_max(true_reg, false_reg, val, val32, opcode, is_jmp32);
}

/* Regs are known to be equal, so intersect their min/max/var_off */
static void __reg_combine_min_max(struct bpfdev_reg_state *src_reg,
				  struct bpfdev_reg_state *dst_reg)
{
	src_reg->umin_value = dst_reg->umin_value = max(src_reg->umin_value,
							dst_reg->umin_value);
	src_reg->umax_value = dst_reg->umax_value = min(src_reg->umax_value,
							dst_reg->umax_value);
	src_reg->smin_value = dst_reg->smin_value = max(src_reg->smin_value,
							dst_reg->smin_value);
	src_reg->smax_value = dst_reg->smax_value = min(src_reg->smax_value,
							dst_reg->smax_value);
	src_reg->var_off = dst_reg->var_off = bpfdev_tnum_intersect(src_reg->var_off,
								    dst_reg->var_off);
	bpfdev_reg_bounds_sync(src_reg);
	bpfdev_reg_bounds_sync(dst_reg);
}

static void reg_combine_min_max(struct bpfdev_reg_state *true_src,
				struct bpfdev_reg_state *true_dst,
				struct bpfdev_reg_state *false_src,
				struct bpfdev_reg_state *false_dst, u8 opcode)
{
	switch (opcode) {
	case BPF_JEQ:
		__reg_combine_min_max(true_src, true_dst);
		break;
	case BPF_JNE:
		__reg_combine_min_max(false_src, false_dst);
		break;
	}
}

/* Visit every register and spilled register of every frame of vstate. */
#define for_each_reg_in_vstate(vstate, reg, body)				\
	do {									\
		u32 __f;							\
		int __i;							\
		for (__f = 0; __f <= (vstate)->curframe; __f++) {		\
			struct bpfdev_func_state *__st = (vstate)->frame[__f];	\
			for (__i = 0; __i < MAX_BPF_REG_; __i++) {		\
				reg = &__st->regs[__i];				\
				body;						\
			}							\
			for (__i = 0; __i < __st->allocated_stack / BPF_REG_SIZE; __i++) { \
				if (!is_spilled_reg(&__st->stack[__i]))	\
					continue;				\
				reg = &__st->stack[__i].spilled_ptr;		\
				body;						\
			}							\
		}								\
	} while (0)

static void mark_ptr_or_null_reg(struct bpfdev_reg_state *reg, u32 id, bool is_null)
{
	if (type_may_be_null(reg->type) && reg->id == id) {
		/*
		 * Old offset (both fixed and variable parts) should have been
		 * known-zero, because we don't allow pointer arithmetic on
		 * pointers that might be NULL.
		 */
		if (is_null) {
			reg->type = SCALAR_VALUE;
			/* We don't need id and ref_obj_id from this point
			 * onwards anymore, thus we should better reset it,
			 * so that state pruning has chances to take effect.
			 */
			reg->id = 0;
			reg->ref_obj_id = 0;
			__bpfdev_mark_reg_known(reg, 0);
			reg->type = SCALAR_VALUE;
			return;
		}
		reg->type &= ~PTR_MAYBE_NULL;
		/* The pointer is safe now: one check covered every copy.  The
		 * id of a non-reference pointer is no longer needed.
		 */
		if (!reg->ref_obj_id)
			reg->id = 0;
	}
}

static void release_reference_state(struct bpfdev_verifier_state *vstate, u32 id)
{
	u32 i;

	for (i = 0; i < vstate->acquired_refs; i++) {
		if (vstate->refs[i].id == id) {
			vstate->refs[i] = vstate->refs[--vstate->acquired_refs];
			memset(&vstate->refs[vstate->acquired_refs], 0,
			       sizeof(vstate->refs[0]));
			return;
		}
	}
}

/*
 * The logic is similar to find_good_pkt_pointers(), both could eventually
 * be folded together at some point.
 */
static void mark_ptr_or_null_regs(struct bpfdev_verifier_state *vstate, u32 regno, bool is_null)
{
	struct bpfdev_func_state *state = vstate->frame[vstate->curframe];
	struct bpfdev_reg_state *regs = state->regs, *reg;
	u32 ref_obj_id = regs[regno].ref_obj_id;
	u32 id = regs[regno].id;

	if (ref_obj_id && ref_obj_id == id && is_null)
		/* A NULL reference is no reference: nothing to release. */
		release_reference_state(vstate, id);

	for_each_reg_in_vstate(vstate, reg, mark_ptr_or_null_reg(reg, id, is_null));
}

static void find_good_pkt_pointers(struct bpfdev_verifier_state *vstate,
				   struct bpfdev_reg_state *dst_reg, u32 type,
				   bool range_right_open)
{
	struct bpfdev_reg_state *reg;
	int new_range;

	if (dst_reg->off < 0 || (dst_reg->off == 0 && range_right_open))
		/* This doesn't give us any range */
		return;
	if (dst_reg->umax_value > MAX_PACKET_OFF ||
	    dst_reg->umax_value + dst_reg->off > MAX_PACKET_OFF)
		/*
		 * Risk of overflow.  For instance, ptr + (1<<63) may be less
		 * than pkt_end, but that's because it's also less than pkt.
		 */
		return;

	new_range = dst_reg->off;
	if (range_right_open)
		new_range--;

	/*
	 * Examples for register markings:
	 *   r2 = r3; r2 += 8; if (r2 > pkt_end) goto <handle exception>
	 *   <access okay>
	 * marks r3=pkt(id=n,off=0,r=8): bytes [r3, r3 + 8) are safe.  All
	 * registers with the same id share the variable part and so the
	 * proven range.
	 */
	for_each_reg_in_vstate(vstate, reg, ({
		if (reg->type == type && reg->id == dst_reg->id)
			/* keep the maximum range already checked */
			reg->range = max_t(u32, reg->range, new_range);
	}));
}

static bool reg_is_init_pkt_pointer(const struct bpfdev_reg_state *reg, u32 type)
{
	return reg->type == type && reg->off == 0 && tnum_equals_const(reg->var_off, 0);
}

static bool try_match_pkt_pointers(const struct bpf_insn *insn,
				   struct bpfdev_reg_state *dst_reg,
				   struct bpfdev_reg_state *src_reg,
				   struct bpfdev_verifier_state *this_branch,
				   struct bpfdev_verifier_state *other_branch)
{
	struct bpfdev_reg_state *pkt;
	u8 op = BPF_OP(insn->code);

	if (BPF_SRC(insn->code) != BPF_X)
		return false;
	/* Pointers are always 64-bit. */
	if (BPF_CLASS(insn->code) == BPF_JMP32)
		return false;
	/*
	 * Read "pkt_end <op> pkt'" as "pkt' <flipped op> pkt_end"; tc's
	 * data_meta is bounded by data as pkt by pkt_end.
	 */
	if ((dst_reg->type == PTR_TO_PACKET && src_reg->type == PTR_TO_PACKET_END) ||
	    (dst_reg->type == PTR_TO_PACKET_META &&
	     reg_is_init_pkt_pointer(src_reg, PTR_TO_PACKET))) {
		pkt = dst_reg;
	} else if ((dst_reg->type == PTR_TO_PACKET_END && src_reg->type == PTR_TO_PACKET) ||
		   (reg_is_init_pkt_pointer(dst_reg, PTR_TO_PACKET) &&
		    src_reg->type == PTR_TO_PACKET_META)) {
		pkt = src_reg;
		op = flip_opcode(op);
	} else {
		return false;
	}

	switch (op) {
	case BPF_JGT:	/* pkt' > pkt_end: falling through, pkt' <= pkt_end */
		find_good_pkt_pointers(this_branch, pkt, pkt->type, false);
		break;
	case BPF_JGE:	/* pkt' >= pkt_end: falling through, pkt' < pkt_end */
		find_good_pkt_pointers(this_branch, pkt, pkt->type, true);
		break;
	case BPF_JLT:	/* pkt' < pkt_end, when the jump is taken */
		find_good_pkt_pointers(other_branch, pkt, pkt->type, true);
		break;
	case BPF_JLE:	/* pkt' <= pkt_end, when the jump is taken */
		find_good_pkt_pointers(other_branch, pkt, pkt->type, false);
		break;
	default:
		return false;
	}
	return true;
}

/* Spread a refined scalar to every register that shares its id. */
static void find_equal_scalars(struct bpfdev_verifier_state *vstate,
			       struct bpfdev_reg_state *known_reg)
{
	struct bpfdev_reg_state *reg;

	for_each_reg_in_vstate(vstate, reg, ({
		if (reg->type == SCALAR_VALUE && reg->id == known_reg->id &&
		    reg != known_reg)
			bpfdev_copy_register_state(reg, known_reg);
	}));
}

int bpfdev_check_cond_jmp_op(struct bpfdev_verifier *env, struct bpf_insn *insn, int *insn_idx)
{
	struct bpfdev_verifier_state *this_branch = env->cur_state;
	struct bpfdev_verifier_state *other_branch;
	struct bpfdev_reg_state *regs = this_branch->frame[this_branch->curframe]->regs;
	struct bpfdev_reg_state *dst_reg, *other_branch_regs, *src_reg = NULL;
	u8 opcode = BPF_OP(insn->code);
	bool is_jmp32;
	int pred = -1;
	int err;

	/* Only conditional jumps are expected to reach here. */
	if (opcode == BPF_JA || opcode > BPF_JSLE) {
		bpfdev_verbose(env, "invalid BPF_JMP/JMP32 opcode %x\n", opcode);
		return -EINVAL;
	}

	if (BPF_SRC(insn->code) == BPF_X) {
		if (insn->imm != 0) {
			bpfdev_verbose(env, "BPF_JMP/JMP32 uses reserved fields\n");
			return -EINVAL;
		}
		/* check src1 operand */
		err = bpfdev_check_reg_arg(env, insn->src_reg, true);
		if (err)
			return err;
		if (bpfdev_is_pointer_value(env, insn->src_reg)) {
			bpfdev_verbose(env, "R%d pointer comparison prohibited\n", insn->src_reg);
			return -EACCES;
		}
		src_reg = &regs[insn->src_reg];
	} else {
		if (insn->src_reg != BPF_REG_0) {
			bpfdev_verbose(env, "BPF_JMP/JMP32 uses reserved fields\n");
			return -EINVAL;
		}
	}

	/* check src2 operand */
	err = bpfdev_check_reg_arg(env, insn->dst_reg, true);
	if (err)
		return err;

	dst_reg = &regs[insn->dst_reg];
	is_jmp32 = BPF_CLASS(insn->code) == BPF_JMP32;

	if (BPF_SRC(insn->code) == BPF_K) {
		pred = is_branch_taken(dst_reg, (u64)(s64)insn->imm, opcode, is_jmp32);
	} else if (src_reg->type == SCALAR_VALUE && is_jmp32 &&
		   tnum_is_const(bpfdev_tnum_subreg(src_reg->var_off))) {
		pred = is_branch_taken(dst_reg, bpfdev_tnum_subreg(src_reg->var_off).value,
				       opcode, is_jmp32);
	} else if (src_reg->type == SCALAR_VALUE && !is_jmp32 &&
		   tnum_is_const(src_reg->var_off)) {
		pred = is_branch_taken(dst_reg, src_reg->var_off.value, opcode, is_jmp32);
	}

	if (pred >= 0) {
		/* the decision relied on the values: they must be precise */
		if (!__bpfdev_is_pointer_value(false, dst_reg))
			err = bpfdev_mark_chain_precision(env, insn->dst_reg);
		if (BPF_SRC(insn->code) == BPF_X && !err &&
		    !__bpfdev_is_pointer_value(false, src_reg))
			err = bpfdev_mark_chain_precision(env, insn->src_reg);
		if (err)
			return err;
	}

	if (pred == 1) {
		/*
		 * Only follow the goto, ignore the next instruction.  If
		 * needed, push that side for simulation under speculative
		 * execution.
		 */
		if (!env->bypass_spec_v1 &&
		    !bpfdev_sanitize_speculative_path(env, insn, *insn_idx + 1, *insn_idx))
			return -EFAULT;
		if (bpfdev_vlog_level(env, BPFDEV_LOG_LEVEL1 | BPFDEV_LOG_LEVEL2))
			bpfdev_print_insn_state(env, this_branch->frame[this_branch->curframe]);
		*insn_idx += insn->off;
		return 0;
	} else if (pred == 0) {
		/*
		 * Only follow the next instruction, since that's where the
		 * program will go.  If needed, push the goto branch for
		 * simulation under speculative execution.
		 */
		if (!env->bypass_spec_v1 &&
		    !bpfdev_sanitize_speculative_path(env, insn, *insn_idx + insn->off + 1,
						      *insn_idx))
			return -EFAULT;
		if (bpfdev_vlog_level(env, BPFDEV_LOG_LEVEL1 | BPFDEV_LOG_LEVEL2))
			bpfdev_print_insn_state(env, this_branch->frame[this_branch->curframe]);
		return 0;
	}

	other_branch = bpfdev_push_stack(env, *insn_idx + insn->off + 1, *insn_idx, false);
	if (!other_branch)
		return -EFAULT;
	other_branch_regs = other_branch->frame[other_branch->curframe]->regs;

	/*
	 * Comparing against a constant refines dst's bounds; only legit when
	 * both are scalars (different base pointers make offsets
	 * incomparable).
	 */
	if (BPF_SRC(insn->code) == BPF_X) {
		if (dst_reg->type == SCALAR_VALUE && src_reg->type == SCALAR_VALUE) {
			if (tnum_is_const(src_reg->var_off) ||
			    (is_jmp32 && tnum_is_const(bpfdev_tnum_subreg(src_reg->var_off))))
				reg_set_min_max(&other_branch_regs[insn->dst_reg], dst_reg,
						src_reg->var_off.value,
						bpfdev_tnum_subreg(src_reg->var_off).value,
						opcode, is_jmp32);
			else if (tnum_is_const(dst_reg->var_off) ||
				 (is_jmp32 && tnum_is_const(bpfdev_tnum_subreg(dst_reg->var_off))))
				reg_set_min_max_inv(&other_branch_regs[insn->src_reg], src_reg,
						    dst_reg->var_off.value,
						    bpfdev_tnum_subreg(dst_reg->var_off).value,
						    opcode, is_jmp32);
			else if (!is_jmp32 && (opcode == BPF_JEQ || opcode == BPF_JNE))
				/* Comparing for equality, we can combine knowledge */
				reg_combine_min_max(&other_branch_regs[insn->src_reg],
						    &other_branch_regs[insn->dst_reg],
						    src_reg, dst_reg, opcode);
			if (src_reg->id &&
			    !WARN_ON_ONCE(src_reg->id != other_branch_regs[insn->src_reg].id)) {
				find_equal_scalars(this_branch, src_reg);
				find_equal_scalars(other_branch, &other_branch_regs[insn->src_reg]);
			}
		}
	} else if (dst_reg->type == SCALAR_VALUE) {
		reg_set_min_max(&other_branch_regs[insn->dst_reg], dst_reg,
				(u64)(s64)insn->imm, (u32)insn->imm, opcode, is_jmp32);
	}

	if (dst_reg->type == SCALAR_VALUE && dst_reg->id &&
	    !WARN_ON_ONCE(dst_reg->id != other_branch_regs[insn->dst_reg].id)) {
		find_equal_scalars(this_branch, dst_reg);
		find_equal_scalars(other_branch, &other_branch_regs[insn->dst_reg]);
	}

	/*
	 * detect if R == 0 where R is returned from a helper that may
	 * return NULL.  Pointer comparisons are never JMP32.
	 */
	if (!is_jmp32 && BPF_SRC(insn->code) == BPF_K &&
	    insn->imm == 0 && (opcode == BPF_JEQ || opcode == BPF_JNE) &&
	    type_may_be_null(dst_reg->type)) {
		/* Mark all identical registers in each branch as either
		 * safe or unknown depending R == 0 or R != 0 conditional.
		 */
		mark_ptr_or_null_regs(this_branch, insn->dst_reg, opcode == BPF_JNE);
		mark_ptr_or_null_regs(other_branch, insn->dst_reg, opcode == BPF_JEQ);
	} else if (!try_match_pkt_pointers(insn, dst_reg, &regs[insn->src_reg],
					   this_branch, other_branch) &&
		   bpfdev_is_pointer_value(env, insn->dst_reg)) {
		bpfdev_verbose(env, "R%d pointer comparison prohibited\n", insn->dst_reg);
		return -EACCES;
	}
	if (bpfdev_vlog_level(env, BPFDEV_LOG_LEVEL1 | BPFDEV_LOG_LEVEL2))
		bpfdev_print_insn_state(env, this_branch->frame[this_branch->curframe]);
	return 0;
}
