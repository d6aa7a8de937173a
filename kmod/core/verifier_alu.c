// SPDX-License-Identifier: GPL-2.0
/*
 * Scalar ALU ranges: the bounds and tnum a scalar has after each ALU
 * operation on two scalars, as the kernel's adjust_scalar_min_max_vals().
 */

#include "verifier_internal.h"

static void scalar32_min_max_add(struct bpfdev_reg_state *dst, const struct bpfdev_reg_state *src)
{
	s32 smin_val = src->s32_min_value, smax_val = src->s32_max_value;
	u32 umin_val = src->u32_min_value, umax_val = src->u32_max_value;

	if (signed_add32_overflows(dst->s32_min_value, smin_val) ||
	    signed_add32_overflows(dst->s32_max_value, smax_val)) {
		dst->s32_min_value = S32_MIN;
		dst->s32_max_value = S32_MAX;
	} else {
		dst->s32_min_value += smin_val;
		dst->s32_max_value += smax_val;
	}
	if (dst->u32_min_value + umin_val < umin_val ||
	    dst->u32_max_value + umax_val < umax_val) {
		dst->u32_min_value = 0;
		dst->u32_max_value = U32_MAX;
	} else {
		dst->u32_min_value += umin_val;
		dst->u32_max_value += umax_val;
	}
}

static void scalar_min_max_add(struct bpfdev_reg_state *dst, const struct bpfdev_reg_state *src)
{
	s64 smin_val = src->smin_value, smax_val = src->smax_value;
	u64 umin_val = src->umin_value, umax_val = src->umax_value;

	if (signed_add_overflows(dst->smin_value, smin_val) ||
	    signed_add_overflows(dst->smax_value, smax_val)) {
		dst->smin_value = S64_MIN;
		dst->smax_value = S64_MAX;
	} else {
		dst->smin_value += smin_val;
		dst->smax_value += smax_val;
	}
	if (dst->umin_value + umin_val < umin_val ||
	    dst->umax_value + umax_val < umax_val) {
		dst->umin_value = 0;
		dst->umax_value = U64_MAX;
	} else {
		dst->umin_value += umin_val;
		dst->umax_value += umax_val;
	}
}

static void scalar32_min_max_sub(struct bpfdev_reg_state *dst, const struct bpfdev_reg_state *src)
{
	s32 smin_val = src->s32_min_value, smax_val = src->s32_max_value;
	u32 umin_val = src->u32_min_value, umax_val = src->u32_max_value;

	if (signed_sub32_overflows(dst->s32_min_value, smax_val) ||
	    signed_sub32_overflows(dst->s32_max_value, smin_val)) {
		/* Overflow possible, we know nothing */
		dst->s32_min_value = S32_MIN;
		dst->s32_max_value = S32_MAX;
	} else {
		dst->s32_min_value -= smax_val;
		dst->s32_max_value -= smin_val;
	}
	if (dst->u32_min_value < umax_val) {
		/* Overflow possible, we know nothing */
		dst->u32_min_value = 0;
		dst->u32_max_value = U32_MAX;
	} else {
		/* Cannot overflow (as long as bounds are consistent) */
		dst->u32_min_value -= umax_val;
		dst->u32_max_value -= umin_val;
	}
}

static void scalar_min_max_sub(struct bpfdev_reg_state *dst, const struct bpfdev_reg_state *src)
{
	s64 smin_val = src->smin_value, smax_val = src->smax_value;
	u64 umin_val = src->umin_value, umax_val = src->umax_value;

	if (signed_sub_overflows(dst->smin_value, smax_val) ||
	    signed_sub_overflows(dst->smax_value, smin_val)) {
		dst->smin_value = S64_MIN;
		dst->smax_value = S64_MAX;
	} else {
		dst->smin_value -= smax_val;
		dst->smax_value -= smin_val;
	}
	if (dst->umin_value < umax_val) {
		dst->umin_value = 0;
		dst->umax_value = U64_MAX;
	} else {
		dst->umin_value -= umax_val;
		dst->umax_value -= umin_val;
	}
}

static void scalar32_min_max_mul(struct bpfdev_reg_state *dst, const struct bpfdev_reg_state *src)
{
	s32 smin_val = src->s32_min_value;
	u32 umin_val = src->u32_min_value, umax_val = src->u32_max_value;

	if (smin_val < 0 || dst->s32_min_value < 0) {
		/* Ain't nobody got time to multiply that sign */
		__bpfdev_mark_reg32_unbounded(dst);
		return;
	}
	/* Both values are positive: work unsigned, copy to signed. */
	if (umax_val > U16_MAX || dst->u32_max_value > U16_MAX) {
		/* Potential overflow, we know nothing */
		__bpfdev_mark_reg32_unbounded(dst);
		return;
	}
	dst->u32_min_value *= umin_val;
	dst->u32_max_value *= umax_val;
	if (dst->u32_max_value > S32_MAX) {
		/* Overflow possible, we know nothing */
		dst->s32_min_value = S32_MIN;
		dst->s32_max_value = S32_MAX;
	} else {
		dst->s32_min_value = dst->u32_min_value;
		dst->s32_max_value = dst->u32_max_value;
	}
}

static void scalar_min_max_mul(struct bpfdev_reg_state *dst, const struct bpfdev_reg_state *src)
{
	s64 smin_val = src->smin_value;
	u64 umin_val = src->umin_value, umax_val = src->umax_value;

	if (smin_val < 0 || dst->smin_value < 0) {
		__bpfdev_mark_reg64_unbounded(dst);
		return;
	}
	if (umax_val > U32_MAX || dst->umax_value > U32_MAX) {
		__bpfdev_mark_reg64_unbounded(dst);
		return;
	}
	dst->umin_value *= umin_val;
	dst->umax_value *= umax_val;
	if (dst->umax_value > S64_MAX) {
		dst->smin_value = S64_MIN;
		dst->smax_value = S64_MAX;
	} else {
		dst->smin_value = dst->umin_value;
		dst->smax_value = dst->umax_value;
	}
}

static void scalar32_min_max_and(struct bpfdev_reg_state *dst, const struct bpfdev_reg_state *src)
{
	bool src_known = tnum_subreg_is_const(src->var_off);
	bool dst_known = tnum_subreg_is_const(dst->var_off);
	struct tnum var32_off = bpfdev_tnum_subreg(dst->var_off);
	s32 smin_val = src->s32_min_value;
	u32 umax_val = src->u32_max_value;

	if (src_known && dst_known) {
		__bpfdev_mark_reg32_known(dst, var32_off.value);
		return;
	}
	/* The minimum comes from the var_off; the maximum is the smaller one. */
	dst->u32_min_value = var32_off.value;
	dst->u32_max_value = min(dst->u32_max_value, umax_val);
	if (dst->s32_min_value < 0 || smin_val < 0) {
		/* Lose signed bounds when ANDing negative numbers */
		dst->s32_min_value = S32_MIN;
		dst->s32_max_value = S32_MAX;
	} else {
		/* ANDing two positives gives a positive */
		dst->s32_min_value = dst->u32_min_value;
		dst->s32_max_value = dst->u32_max_value;
	}
}

static void scalar_min_max_and(struct bpfdev_reg_state *dst, const struct bpfdev_reg_state *src)
{
	bool src_known = tnum_is_const(src->var_off);
	bool dst_known = tnum_is_const(dst->var_off);
	s64 smin_val = src->smin_value;
	u64 umax_val = src->umax_value;

	if (src_known && dst_known) {
		__bpfdev_mark_reg_known(dst, dst->var_off.value);
		return;
	}
	dst->umin_value = dst->var_off.value;
	dst->umax_value = min(dst->umax_value, umax_val);
	if (dst->smin_value < 0 || smin_val < 0) {
		dst->smin_value = S64_MIN;
		dst->smax_value = S64_MAX;
	} else {
		dst->smin_value = dst->umin_value;
		dst->smax_value = dst->umax_value;
	}
	/* We may learn something more from the var_off */
	__bpfdev_update_reg_bounds(dst);
}

static void scalar32_min_max_or(struct bpfdev_reg_state *dst, const struct bpfdev_reg_state *src)
{
	bool src_known = tnum_subreg_is_const(src->var_off);
	bool dst_known = tnum_subreg_is_const(dst->var_off);
	struct tnum var32_off = bpfdev_tnum_subreg(dst->var_off);
	s32 smin_val = src->s32_min_value;
	u32 umin_val = src->u32_min_value;

	if (src_known && dst_known) {
		__bpfdev_mark_reg32_known(dst, var32_off.value);
		return;
	}
	/* The maximum comes from the var_off; the minimum is the larger one. */
	dst->u32_min_value = max(dst->u32_min_value, umin_val);
	dst->u32_max_value = var32_off.value | var32_off.mask;
	if (dst->s32_min_value < 0 || smin_val < 0) {
		dst->s32_min_value = S32_MIN;
		dst->s32_max_value = S32_MAX;
	} else {
		dst->s32_min_value = dst->u32_min_value;
		dst->s32_max_value = dst->u32_max_value;
	}
}

static void scalar_min_max_or(struct bpfdev_reg_state *dst, const struct bpfdev_reg_state *src)
{
	bool src_known = tnum_is_const(src->var_off);
	bool dst_known = tnum_is_const(dst->var_off);
	s64 smin_val = src->smin_value;
	u64 umin_val = src->umin_value;

	if (src_known && dst_known) {
		__bpfdev_mark_reg_known(dst, dst->var_off.value);
		return;
	}
	dst->umin_value = max(dst->umin_value, umin_val);
	dst->umax_value = dst->var_off.value | dst->var_off.mask;
	if (dst->smin_value < 0 || smin_val < 0) {
		dst->smin_value = S64_MIN;
		dst->smax_value = S64_MAX;
	} else {
		dst->smin_value = dst->umin_value;
		dst->smax_value = dst->umax_value;
	}
	__bpfdev_update_reg_bounds(dst);
}

static void scalar32_min_max_xor(struct bpfdev_reg_state *dst, const struct bpfdev_reg_state *src)
{
	bool src_known = tnum_subreg_is_const(src->var_off);
	bool dst_known = tnum_subreg_is_const(dst->var_off);
	struct tnum var32_off = bpfdev_tnum_subreg(dst->var_off);
	s32 smin_val = src->s32_min_value;

	if (src_known && dst_known) {
		__bpfdev_mark_reg32_known(dst, var32_off.value);
		return;
	}
	/* We get both minimum and maximum from the var32_off. */
	dst->u32_min_value = var32_off.value;
	dst->u32_max_value = var32_off.value | var32_off.mask;
	if (dst->s32_min_value >= 0 && smin_val >= 0) {
		dst->s32_min_value = dst->u32_min_value;
		dst->s32_max_value = dst->u32_max_value;
	} else {
		dst->s32_min_value = S32_MIN;
		dst->s32_max_value = S32_MAX;
	}
}

static void scalar_min_max_xor(struct bpfdev_reg_state *dst, const struct bpfdev_reg_state *src)
{
	bool src_known = tnum_is_const(src->var_off);
	bool dst_known = tnum_is_const(dst->var_off);
	s64 smin_val = src->smin_value;

	if (src_known && dst_known) {
		__bpfdev_mark_reg_known(dst, dst->var_off.value);
		return;
	}
	dst->umin_value = dst->var_off.value;
	dst->umax_value = dst->var_off.value | dst->var_off.mask;
	if (dst->smin_value >= 0 && smin_val >= 0) {
		dst->smin_value = dst->umin_value;
		dst->smax_value = dst->umax_value;
	} else {
		dst->smin_value = S64_MIN;
		dst->smax_value = S64_MAX;
	}
	__bpfdev_update_reg_bounds(dst);
}

static void __scalar32_min_max_lsh(struct bpfdev_reg_state *dst, u64 umin_val, u64 umax_val)
{
	/* We lose all sign bit information (except what var_off keeps) */
	dst->s32_min_value = S32_MIN;
	dst->s32_max_value = S32_MAX;
	/* If we might shift our top bit out, then we know nothing */
	if (umax_val > 31 || dst->u32_max_value > 1ULL << (31 - umax_val)) {
		dst->u32_min_value = 0;
		dst->u32_max_value = U32_MAX;
	} else {
		dst->u32_min_value <<= umin_val;
		dst->u32_max_value <<= umax_val;
	}
}

static void scalar32_min_max_lsh(struct bpfdev_reg_state *dst, const struct bpfdev_reg_state *src)
{
	u32 umax_val = src->u32_max_value, umin_val = src->u32_min_value;
	/* u32 alu operation will zext upper bits */
	struct tnum subreg = bpfdev_tnum_subreg(dst->var_off);

	__scalar32_min_max_lsh(dst, umin_val, umax_val);
	dst->var_off = bpfdev_tnum_subreg(bpfdev_tnum_lshift(subreg, umin_val));
	/* The 64-bit bounds come from the tnum and zext later. */
	__bpfdev_mark_reg64_unbounded(dst);
	__bpfdev_update_reg32_bounds(dst);
}

static void __scalar64_min_max_lsh(struct bpfdev_reg_state *dst, u64 umin_val, u64 umax_val)
{
	/*
	 * Special case <<32: the compiler's sign extension of a subreg is
	 * <<32 s>>32; keep positive 32-bit bounds.
	 */
	if (umin_val == 32 && umax_val == 32 && dst->s32_max_value >= 0)
		dst->smax_value = (s64)dst->s32_max_value << 32;
	else
		dst->smax_value = S64_MAX;
	if (umin_val == 32 && umax_val == 32 && dst->s32_min_value >= 0)
		dst->smin_value = (s64)dst->s32_min_value << 32;
	else
		dst->smin_value = S64_MIN;
	/* If we might shift our top bit out, then we know nothing */
	if (dst->umax_value > 1ULL << (63 - umax_val)) {
		dst->umin_value = 0;
		dst->umax_value = U64_MAX;
	} else {
		dst->umin_value <<= umin_val;
		dst->umax_value <<= umax_val;
	}
}

static void scalar_min_max_lsh(struct bpfdev_reg_state *dst, const struct bpfdev_reg_state *src)
{
	u64 umax_val = src->umax_value, umin_val = src->umin_value;

	/* scalar64 calc uses 32bit unshifted bounds so must be called first */
	__scalar64_min_max_lsh(dst, umin_val, umax_val);
	__scalar32_min_max_lsh(dst, umin_val, umax_val);
	dst->var_off = bpfdev_tnum_lshift(dst->var_off, umin_val);
	/* We may learn something more from the var_off */
	__bpfdev_update_reg_bounds(dst);
}

static void scalar32_min_max_rsh(struct bpfdev_reg_state *dst, const struct bpfdev_reg_state *src)
{
	struct tnum subreg = bpfdev_tnum_subreg(dst->var_off);
	u32 umax_val = src->u32_max_value, umin_val = src->u32_min_value;

	/* An unsigned shift makes the sign bit's meaning moot. */
	dst->s32_min_value = S32_MIN;
	dst->s32_max_value = S32_MAX;
	dst->var_off = bpfdev_tnum_rshift(subreg, umin_val);
	dst->u32_min_value >>= umax_val;
	dst->u32_max_value >>= umin_val;
	__bpfdev_mark_reg64_unbounded(dst);
	__bpfdev_update_reg32_bounds(dst);
}

static void scalar_min_max_rsh(struct bpfdev_reg_state *dst, const struct bpfdev_reg_state *src)
{
	u64 umax_val = src->umax_value, umin_val = src->umin_value;

	dst->smin_value = S64_MIN;
	dst->smax_value = S64_MAX;
	dst->var_off = bpfdev_tnum_rshift(dst->var_off, umin_val);
	dst->umin_value >>= umax_val;
	dst->umax_value >>= umin_val;
	/* The 32-bit bounds depend on the bits shifted in: recompute. */
	__bpfdev_mark_reg32_unbounded(dst);
	__bpfdev_update_reg_bounds(dst);
}

static void scalar32_min_max_arsh(struct bpfdev_reg_state *dst, const struct bpfdev_reg_state *src)
{
	u64 umin_val = src->u32_min_value;

	/* Here src is known and umax_val equals umin_val. */
	dst->s32_min_value = (u32)(((s32)dst->s32_min_value) >> umin_val);
	dst->s32_max_value = (u32)(((s32)dst->s32_max_value) >> umin_val);
	dst->var_off = bpfdev_tnum_arshift(bpfdev_tnum_subreg(dst->var_off), umin_val, 32);
	/* Rely on var_off for the unsigned bounds. */
	dst->u32_min_value = 0;
	dst->u32_max_value = U32_MAX;
	__bpfdev_mark_reg64_unbounded(dst);
	__bpfdev_update_reg32_bounds(dst);
}

static void scalar_min_max_arsh(struct bpfdev_reg_state *dst, const struct bpfdev_reg_state *src)
{
	u64 umin_val = src->umin_value;

	dst->smin_value >>= umin_val;
	dst->smax_value >>= umin_val;
	dst->var_off = bpfdev_tnum_arshift(dst->var_off, umin_val, 64);
	dst->umin_value = 0;
	dst->umax_value = U64_MAX;
	__bpfdev_mark_reg32_unbounded(dst);
	__bpfdev_update_reg_bounds(dst);
}

/*
 * A shift count that may reach the operand width leaves dst unknown.  A
 * 32-bit shift reads the 32-bit bounds, so judge those: after a dead
 * branch the 64-bit and 32-bit bounds of a known subreg can disagree.
 */
static bool shift_out_of_range(const struct bpfdev_reg_state *src, bool alu32,
			       u64 insn_bitness)
{
	if (alu32)
		return src->u32_max_value >= insn_bitness;
	return src->umax_value >= insn_bitness;
}

/*
 * WARNING: This function does calculations on 64-bit values, but the
 * actual execution may occur on 32-bit values.  Therefore, things like
 * bitshifts need extra checks in the 32-bit case.
 */
int bpfdev_adjust_scalar_min_max_vals(struct bpfdev_verifier *env, struct bpf_insn *insn,
				      struct bpfdev_reg_state *dst_reg,
				      struct bpfdev_reg_state src_reg)
{
	struct bpfdev_reg_state *regs = cur_regs(env);
	u8 opcode = BPF_OP(insn->code);
	u64 insn_bitness = (BPF_CLASS(insn->code) == BPF_ALU64) ? 64 : 32;
	bool alu32 = (BPF_CLASS(insn->code) != BPF_ALU64);
	bool src_known;

	if (alu32) {
		src_known = tnum_subreg_is_const(src_reg.var_off);
		if ((src_known && (src_reg.s32_min_value != src_reg.s32_max_value ||
				   src_reg.u32_min_value != src_reg.u32_max_value)) ||
		    src_reg.s32_min_value > src_reg.s32_max_value ||
		    src_reg.u32_min_value > src_reg.u32_max_value) {
			/* Taint dst if the offset had invalid bounds from a dead branch */
			__bpfdev_mark_reg_unknown(env, dst_reg);
			return 0;
		}
	} else {
		src_known = tnum_is_const(src_reg.var_off);
		if ((src_known && (src_reg.smin_value != src_reg.smax_value ||
				   src_reg.umin_value != src_reg.umax_value)) ||
		    src_reg.smin_value > src_reg.smax_value ||
		    src_reg.umin_value > src_reg.umax_value) {
			__bpfdev_mark_reg_unknown(env, dst_reg);
			return 0;
		}
	}

	if (!src_known && opcode != BPF_ADD && opcode != BPF_SUB && opcode != BPF_AND) {
		__bpfdev_mark_reg_unknown(env, dst_reg);
		return 0;
	}

	if (bpfdev_sanitize_needed(opcode)) {
		int ret = bpfdev_sanitize_val_alu(env, insn);

		if (ret < 0)
			return bpfdev_sanitize_err(env, insn, ret, NULL, NULL);
	}

	/*
	 * ADD, SUB, MUL, AND, OR and XOR track the 32- and 64-bit bounds
	 * independently (zero extension does not clobber them); the shifts
	 * move bits across the subreg boundary, so their bounds come from the
	 * resulting tnum.
	 */
	switch (opcode) {
	case BPF_ADD:
		scalar32_min_max_add(dst_reg, &src_reg);
		scalar_min_max_add(dst_reg, &src_reg);
		dst_reg->var_off = bpfdev_tnum_add(dst_reg->var_off, src_reg.var_off);
		break;
	case BPF_SUB:
		scalar32_min_max_sub(dst_reg, &src_reg);
		scalar_min_max_sub(dst_reg, &src_reg);
		dst_reg->var_off = bpfdev_tnum_sub(dst_reg->var_off, src_reg.var_off);
		break;
	case BPF_MUL:
		dst_reg->var_off = bpfdev_tnum_mul(dst_reg->var_off, src_reg.var_off);
		scalar32_min_max_mul(dst_reg, &src_reg);
		scalar_min_max_mul(dst_reg, &src_reg);
		break;
	case BPF_AND:
		dst_reg->var_off = bpfdev_tnum_and(dst_reg->var_off, src_reg.var_off);
		scalar32_min_max_and(dst_reg, &src_reg);
		scalar_min_max_and(dst_reg, &src_reg);
		break;
	case BPF_OR:
		dst_reg->var_off = bpfdev_tnum_or(dst_reg->var_off, src_reg.var_off);
		scalar32_min_max_or(dst_reg, &src_reg);
		scalar_min_max_or(dst_reg, &src_reg);
		break;
	case BPF_XOR:
		dst_reg->var_off = bpfdev_tnum_xor(dst_reg->var_off, src_reg.var_off);
		scalar32_min_max_xor(dst_reg, &src_reg);
		scalar_min_max_xor(dst_reg, &src_reg);
		break;
	case BPF_LSH:
		if (shift_out_of_range(&src_reg, alu32, insn_bitness)) {
			/* Shifts greater than 31 or 63 are undefined. */
			bpfdev_mark_reg_unknown(env, regs, insn->dst_reg);
			break;
		}
		if (alu32)
			scalar32_min_max_lsh(dst_reg, &src_reg);
		else
			scalar_min_max_lsh(dst_reg, &src_reg);
		break;
	case BPF_RSH:
		if (shift_out_of_range(&src_reg, alu32, insn_bitness)) {
			bpfdev_mark_reg_unknown(env, regs, insn->dst_reg);
			break;
		}
		if (alu32)
			scalar32_min_max_rsh(dst_reg, &src_reg);
		else
			scalar_min_max_rsh(dst_reg, &src_reg);
		break;
	case BPF_ARSH:
		if (shift_out_of_range(&src_reg, alu32, insn_bitness)) {
			bpfdev_mark_reg_unknown(env, regs, insn->dst_reg);
			break;
		}
		if (alu32)
			scalar32_min_max_arsh(dst_reg, &src_reg);
		else
			scalar_min_max_arsh(dst_reg, &src_reg);
		break;
	default:
		bpfdev_mark_reg_unknown(env, regs, insn->dst_reg);
		break;
	}

	/* ALU32 ops are zero extended into 64bit register */
	if (alu32)
		bpfdev_zext_32_to_64(dst_reg);
	bpfdev_reg_bounds_sync(dst_reg);
	return 0;
}
