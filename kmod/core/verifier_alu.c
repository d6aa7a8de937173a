// SPDX-License-Identifier: GPL-2.0
/*
 * Registers and scalar bounds: the tnum plus signed and unsigned 64- and
 * 32-bit ranges of every scalar, their propagation through ALU operations
 * and their refinement on both sides of a conditional jump, as the
 * kernel's verifier (6.1) does it; pointer arithmetic rules.
 */

#include "verifier_internal.h"

static const char *const bpf_alu_string[16] = {
	"+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=",
	"neg", "%=", "^=", "=", "s>>=", "endian", "?", "?",
};

/* ---- marking registers ---- */

static void ___mark_reg_known(struct bpfdev_reg_state *reg, u64 imm)
{
	reg->var_off = bpfdev_tnum_const(imm);
	reg->smin_value = (s64)imm;
	reg->smax_value = (s64)imm;
	reg->umin_value = imm;
	reg->umax_value = imm;
	reg->s32_min_value = (s32)imm;
	reg->s32_max_value = (s32)imm;
	reg->u32_min_value = (u32)imm;
	reg->u32_max_value = (u32)imm;
}

/* Mark the unknown part of a register (variable offset or scalar value) as
 * known to have the value imm.
 */
void __bpfdev_mark_reg_known(struct bpfdev_reg_state *reg, u64 imm)
{
	/* Clear off and the pointer-specific fields */
	reg->off = 0;
	reg->range = 0;
	reg->mem_size = 0;
	reg->map_ptr = NULL;
	reg->id = 0;
	reg->ref_obj_id = 0;
	___mark_reg_known(reg, imm);
}

static void __mark_reg32_known(struct bpfdev_reg_state *reg, u64 imm)
{
	reg->var_off = bpfdev_tnum_const_subreg(reg->var_off, imm);
	reg->s32_min_value = (s32)imm;
	reg->s32_max_value = (s32)imm;
	reg->u32_min_value = (u32)imm;
	reg->u32_max_value = (u32)imm;
}

static void __mark_reg_known_zero(struct bpfdev_reg_state *reg)
{
	__bpfdev_mark_reg_known(reg, 0);
}

void __bpfdev_mark_reg_const_zero(struct bpfdev_reg_state *reg)
{
	__bpfdev_mark_reg_known(reg, 0);
	reg->type = SCALAR_VALUE;
}

void bpfdev_mark_reg_known_zero(struct bpfdev_verifier *env, struct bpfdev_reg_state *regs,
				u32 regno)
{
	if (WARN_ON_ONCE(regno >= MAX_BPF_REG_)) {
		bpfdev_verbose(env, "%s(regs, %u)\n", __func__, regno);
		/* Something bad happened, let's kill all regs */
		for (regno = 0; regno < MAX_BPF_REG_; regno++)
			__bpfdev_mark_reg_not_init(env, regs + regno);
		return;
	}
	__mark_reg_known_zero(regs + regno);
}

static void __mark_reg64_unbounded(struct bpfdev_reg_state *reg)
{
	reg->smin_value = S64_MIN;
	reg->smax_value = S64_MAX;
	reg->umin_value = 0;
	reg->umax_value = U64_MAX;
}

static void __mark_reg32_unbounded(struct bpfdev_reg_state *reg)
{
	reg->s32_min_value = S32_MIN;
	reg->s32_max_value = S32_MAX;
	reg->u32_min_value = 0;
	reg->u32_max_value = U32_MAX;
}

static void __mark_reg_unbounded(struct bpfdev_reg_state *reg)
{
	__mark_reg64_unbounded(reg);
	__mark_reg32_unbounded(reg);
}

static void __update_reg32_bounds(struct bpfdev_reg_state *reg)
{
	struct tnum var32_off = bpfdev_tnum_subreg(reg->var_off);

	/* min signed is max(sign bit) | min(other bits) */
	reg->s32_min_value = max_t(s32, reg->s32_min_value,
				   var32_off.value | (var32_off.mask & S32_MIN));
	/* max signed is min(sign bit) | max(other bits) */
	reg->s32_max_value = min_t(s32, reg->s32_max_value,
				   var32_off.value | (var32_off.mask & S32_MAX));
	reg->u32_min_value = max_t(u32, reg->u32_min_value, (u32)var32_off.value);
	reg->u32_max_value = min(reg->u32_max_value,
				 (u32)(var32_off.value | var32_off.mask));
}

static void __update_reg64_bounds(struct bpfdev_reg_state *reg)
{
	/* min signed is max(sign bit) | min(other bits) */
	reg->smin_value = max_t(s64, reg->smin_value,
				reg->var_off.value | (reg->var_off.mask & S64_MIN));
	/* max signed is min(sign bit) | max(other bits) */
	reg->smax_value = min_t(s64, reg->smax_value,
				reg->var_off.value | (reg->var_off.mask & S64_MAX));
	reg->umin_value = max(reg->umin_value, reg->var_off.value);
	reg->umax_value = min(reg->umax_value,
			      reg->var_off.value | reg->var_off.mask);
}

static void __update_reg_bounds(struct bpfdev_reg_state *reg)
{
	__update_reg32_bounds(reg);
	__update_reg64_bounds(reg);
}

/* Uses signed min/max values to inform unsigned, and vice-versa */
static void __reg32_deduce_bounds(struct bpfdev_reg_state *reg)
{
	/*
	 * Learn sign from signed bounds.  If we cannot cross the sign
	 * boundary, then signed and unsigned bounds are the same, so combine.
	 * This works even in the negative case, e.g. -3 s<= x s<= -1
	 * implies 0xf...fd u<= x u<= 0xf...ff.
	 */
	if (reg->s32_min_value >= 0 || reg->s32_max_value < 0) {
		reg->s32_min_value = reg->u32_min_value =
			max_t(u32, reg->s32_min_value, reg->u32_min_value);
		reg->s32_max_value = reg->u32_max_value =
			min_t(u32, reg->s32_max_value, reg->u32_max_value);
		return;
	}
	/* Learn sign from unsigned bounds: the signed ones cross the boundary. */
	if ((s32)reg->u32_max_value >= 0) {
		/* Positive: smax is positive, hence safe. */
		reg->s32_min_value = reg->u32_min_value;
		reg->s32_max_value = reg->u32_max_value =
			min_t(u32, reg->s32_max_value, reg->u32_max_value);
	} else if ((s32)reg->u32_min_value < 0) {
		/* Negative: smin is negative, hence safe. */
		reg->s32_min_value = reg->u32_min_value =
			max_t(u32, reg->s32_min_value, reg->u32_min_value);
		reg->s32_max_value = reg->u32_max_value;
	}
}

static void __reg64_deduce_bounds(struct bpfdev_reg_state *reg)
{
	if (reg->smin_value >= 0 || reg->smax_value < 0) {
		reg->smin_value = reg->umin_value =
			max_t(u64, reg->smin_value, reg->umin_value);
		reg->smax_value = reg->umax_value =
			min_t(u64, reg->smax_value, reg->umax_value);
		return;
	}
	if ((s64)reg->umax_value >= 0) {
		reg->smin_value = reg->umin_value;
		reg->smax_value = reg->umax_value =
			min_t(u64, reg->smax_value, reg->umax_value);
	} else if ((s64)reg->umin_value < 0) {
		reg->smin_value = reg->umin_value =
			max_t(u64, reg->smin_value, reg->umin_value);
		reg->smax_value = reg->umax_value;
	}
}

static void __reg_deduce_bounds(struct bpfdev_reg_state *reg)
{
	__reg32_deduce_bounds(reg);
	__reg64_deduce_bounds(reg);
}

/* Attempts to improve var_off based on unsigned min/max information */
static void __reg_bound_offset(struct bpfdev_reg_state *reg)
{
	struct tnum var64_off = bpfdev_tnum_intersect(reg->var_off,
						      bpfdev_tnum_range(reg->umin_value,
									reg->umax_value));
	struct tnum var32_off = bpfdev_tnum_intersect(bpfdev_tnum_subreg(reg->var_off),
						      bpfdev_tnum_range(reg->u32_min_value,
									reg->u32_max_value));

	reg->var_off = bpfdev_tnum_or(bpfdev_tnum_clear_subreg(var64_off), var32_off);
}

static void reg_bounds_sync(struct bpfdev_reg_state *reg)
{
	/* We might have learned new bounds from the var_off. */
	__update_reg_bounds(reg);
	/* We might have learned something about the sign bit. */
	__reg_deduce_bounds(reg);
	/* We might have learned some bits from the bounds. */
	__reg_bound_offset(reg);
	/*
	 * Intersecting with the old var_off might have improved our bounds
	 * slightly, e.g. if umax was 0x7f...f and var_off was (0; 0xf...fc),
	 * then new var_off will be (0; 0x7f...fc) which improves our umax.
	 */
	__update_reg_bounds(reg);
}

static bool __reg32_bound_s64(s32 a)
{
	return a >= 0 && a <= S32_MAX;
}

static void __reg_assign_32_into_64(struct bpfdev_reg_state *reg)
{
	reg->umin_value = reg->u32_min_value;
	reg->umax_value = reg->u32_max_value;
	/*
	 * Attempt to pull 32-bit signed bounds into 64-bit bounds but must be
	 * positive otherwise set to worse case bounds and refine later from
	 * tnum.
	 */
	if (__reg32_bound_s64(reg->s32_min_value) &&
	    __reg32_bound_s64(reg->s32_max_value)) {
		reg->smin_value = reg->s32_min_value;
		reg->smax_value = reg->s32_max_value;
	} else {
		reg->smin_value = 0;
		reg->smax_value = U32_MAX;
	}
}

static void __reg_combine_32_into_64(struct bpfdev_reg_state *reg)
{
	/*
	 * Special case when the 64-bit register has its upper 32 bits
	 * zeroed, typically after zext or a <<32, >>32 sequence: use the
	 * 32-bit bounds directly.
	 */
	if (tnum_equals_const(bpfdev_tnum_clear_subreg(reg->var_off), 0)) {
		__reg_assign_32_into_64(reg);
	} else {
		/*
		 * Otherwise the previous 64-bit bounds are invalid after the
		 * jmp32 compare: forget them and learn from the tnum.
		 */
		__mark_reg64_unbounded(reg);
	}
	reg_bounds_sync(reg);
}

static bool __reg64_bound_s32(s64 a)
{
	return a >= S32_MIN && a <= S32_MAX;
}

static bool __reg64_bound_u32(u64 a)
{
	return a > 0 && a < U32_MAX;
}

static void __reg_combine_64_into_32(struct bpfdev_reg_state *reg)
{
	__mark_reg32_unbounded(reg);
	if (__reg64_bound_s32(reg->smin_value) && __reg64_bound_s32(reg->smax_value)) {
		reg->s32_min_value = (s32)reg->smin_value;
		reg->s32_max_value = (s32)reg->smax_value;
	}
	if (__reg64_bound_u32(reg->umin_value) && __reg64_bound_u32(reg->umax_value)) {
		reg->u32_min_value = (u32)reg->umin_value;
		reg->u32_max_value = (u32)reg->umax_value;
	}
	reg_bounds_sync(reg);
}

/* Mark a register as having a completely unknown (scalar) value. */
void __bpfdev_mark_reg_unknown(const struct bpfdev_verifier *env, struct bpfdev_reg_state *reg)
{
	struct bpfdev_reg_state *parent = reg->parent;
	u8 live = reg->live;
	u32 frameno = reg->frameno;

	/* Clear type, off, and the pointer-specific fields */
	memset(reg, 0, sizeof(*reg));
	reg->parent = parent;
	reg->live = live;
	reg->frameno = frameno;
	reg->type = SCALAR_VALUE;
	reg->var_off = bpfdev_tnum_unknown;
	reg->precise = !env->bpf_capable;
	__mark_reg_unbounded(reg);
}

void bpfdev_mark_reg_unknown(struct bpfdev_verifier *env, struct bpfdev_reg_state *regs, u32 regno)
{
	if (WARN_ON_ONCE(regno >= MAX_BPF_REG_)) {
		bpfdev_verbose(env, "%s(regs, %u)\n", __func__, regno);
		for (regno = 0; regno < BPF_REG_FP; regno++)
			__bpfdev_mark_reg_not_init(env, regs + regno);
		return;
	}
	__bpfdev_mark_reg_unknown(env, regs + regno);
}

void __bpfdev_mark_reg_not_init(const struct bpfdev_verifier *env, struct bpfdev_reg_state *reg)
{
	__bpfdev_mark_reg_unknown(env, reg);
	reg->type = NOT_INIT;
}

void bpfdev_mark_reg_not_init(struct bpfdev_verifier *env, struct bpfdev_reg_state *regs, u32 regno)
{
	if (WARN_ON_ONCE(regno >= MAX_BPF_REG_)) {
		bpfdev_verbose(env, "%s(regs, %u)\n", __func__, regno);
		for (regno = 0; regno < BPF_REG_FP; regno++)
			__bpfdev_mark_reg_not_init(env, regs + regno);
		return;
	}
	__bpfdev_mark_reg_not_init(env, regs + regno);
}

/* Copy the abstract value, keeping dst's liveness link. */
void bpfdev_copy_register_state(struct bpfdev_reg_state *dst, const struct bpfdev_reg_state *src)
{
	struct bpfdev_reg_state *parent = dst->parent;
	u8 live = dst->live;

	*dst = *src;
	dst->parent = parent;
	dst->live = live;
}

void bpfdev_init_reg_state(struct bpfdev_verifier *env, struct bpfdev_func_state *state)
{
	struct bpfdev_reg_state *regs = state->regs;
	int i;

	for (i = 0; i < MAX_BPF_REG_; i++) {
		bpfdev_mark_reg_not_init(env, regs, i);
		regs[i].live = REG_LIVE_NONE;
		regs[i].parent = NULL;
	}
	/* frame pointer */
	regs[BPF_REG_FP].type = PTR_TO_STACK;
	bpfdev_mark_reg_known_zero(env, regs, BPF_REG_FP);
	regs[BPF_REG_FP].frameno = state->frameno;
}

bool bpfdev_register_is_null(const struct bpfdev_reg_state *reg)
{
	return reg->type == SCALAR_VALUE && tnum_equals_const(reg->var_off, 0);
}

static bool __is_scalar_unbounded(const struct bpfdev_reg_state *reg)
{
	return tnum_is_unknown(reg->var_off) &&
	       reg->smin_value == S64_MIN && reg->smax_value == S64_MAX &&
	       reg->umin_value == 0 && reg->umax_value == U64_MAX &&
	       reg->s32_min_value == S32_MIN && reg->s32_max_value == S32_MAX &&
	       reg->u32_min_value == 0 && reg->u32_max_value == U32_MAX;
}

bool bpfdev_register_is_bounded(const struct bpfdev_reg_state *reg)
{
	return reg->type == SCALAR_VALUE && !__is_scalar_unbounded(reg);
}

bool __bpfdev_is_pointer_value(bool allow_ptr_leaks, const struct bpfdev_reg_state *reg)
{
	if (allow_ptr_leaks)
		return false;
	return reg->type != SCALAR_VALUE;
}

bool bpfdev_is_pointer_value(struct bpfdev_verifier *env, int regno)
{
	return __bpfdev_is_pointer_value(env->allow_ptr_leaks, cur_regs(env) + regno);
}

/* Pointers that can't be NULL, as 6.1 knows them: map values and keys. */
static bool reg_type_not_null(u32 type)
{
	return type == PTR_TO_MAP_VALUE || type == PTR_TO_MAP_KEY;
}

/* The register is read (src_op) or written. */
int bpfdev_check_reg_arg(struct bpfdev_verifier *env, u32 regno, bool src_op)
{
	struct bpfdev_reg_state *regs = cur_regs(env), *reg;

	if (regno >= MAX_BPF_REG_) {
		bpfdev_verbose(env, "R%d is invalid\n", regno);
		return -EINVAL;
	}
	bpfdev_mark_reg_scratched(env, regno);
	reg = &regs[regno];
	if (src_op) {
		/* check whether register used as source operand can be read */
		if (reg->type == NOT_INIT) {
			bpfdev_verbose(env, "R%d !read_ok\n", regno);
			return -EACCES;
		}
		/* We don't need to worry about FP liveness because it's read-only */
		if (regno == BPF_REG_FP)
			return 0;
		return bpfdev_mark_reg_read(env, reg, reg->parent, REG_LIVE_READ64);
	}
	/* check whether register used as dest operand can be written to */
	if (regno == BPF_REG_FP) {
		bpfdev_verbose(env, "frame pointer is read only\n");
		return -EACCES;
	}
	reg->live |= REG_LIVE_WRITTEN;
	return 0;
}

/* Truncate a scalar to size bytes, zero-extended. */
void bpfdev_coerce_reg_to_size(struct bpfdev_reg_state *reg, int size)
{
	u64 mask;

	/* clear high bits in bit representation */
	reg->var_off = bpfdev_tnum_cast(reg->var_off, size);
	/* fix arithmetic bounds */
	mask = ((u64)1 << (size * 8)) - 1;
	if ((reg->umin_value & ~mask) == (reg->umax_value & ~mask)) {
		reg->umin_value &= mask;
		reg->umax_value &= mask;
	} else {
		reg->umin_value = 0;
		reg->umax_value = mask;
	}
	reg->smin_value = reg->umin_value;
	reg->smax_value = reg->umax_value;
	/*
	 * If size is smaller than 32 bits the 32-bit bounds are truncated
	 * too: push the 64-bit bounds into them.
	 */
	if (size >= 4)
		return;
	__reg_combine_64_into_32(reg);
}

/* Sign-extend the low size bytes of a scalar (MOVSX, MEMSX). */
void bpfdev_coerce_reg_to_size_sx(struct bpfdev_reg_state *reg, int size)
{
	s64 lo = -(1LL << (size * 8 - 1)), hi = (1LL << (size * 8 - 1)) - 1;

	if (tnum_is_const(reg->var_off)) {
		u64 v = reg->var_off.value;
		s64 sv = size == 1 ? (s64)(s8)v : size == 2 ? (s64)(s16)v : (s64)(s32)v;

		__bpfdev_mark_reg_known(reg, sv);
		return;
	}
	if (reg->smin_value >= 0 && reg->smax_value <= hi)
		return;		/* sign bit clear: nothing changes */
	reg->var_off = bpfdev_tnum_unknown;
	__mark_reg_unbounded(reg);
	reg->smin_value = lo;
	reg->smax_value = hi;
	if (size < 4) {
		reg->s32_min_value = lo;
		reg->s32_max_value = hi;
	}
	reg_bounds_sync(reg);
}

static void zext_32_to_64(struct bpfdev_reg_state *reg)
{
	reg->var_off = bpfdev_tnum_subreg(reg->var_off);
	__reg_assign_32_into_64(reg);
}

/* ---- scalar ALU ---- */

static bool signed_add_overflows(s64 a, s64 b)
{
	s64 res = (s64)((u64)a + (u64)b);

	if (b < 0)
		return res > a;
	return res < a;
}

static bool signed_add32_overflows(s32 a, s32 b)
{
	s32 res = (s32)((u32)a + (u32)b);

	if (b < 0)
		return res > a;
	return res < a;
}

static bool signed_sub_overflows(s64 a, s64 b)
{
	s64 res = (s64)((u64)a - (u64)b);

	if (b < 0)
		return res < a;
	return res > a;
}

static bool signed_sub32_overflows(s32 a, s32 b)
{
	s32 res = (s32)((u32)a - (u32)b);

	if (b < 0)
		return res < a;
	return res > a;
}

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
		__mark_reg32_unbounded(dst);
		return;
	}
	/* Both values are positive: work unsigned, copy to signed. */
	if (umax_val > U16_MAX || dst->u32_max_value > U16_MAX) {
		/* Potential overflow, we know nothing */
		__mark_reg32_unbounded(dst);
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
		__mark_reg64_unbounded(dst);
		return;
	}
	if (umax_val > U32_MAX || dst->umax_value > U32_MAX) {
		__mark_reg64_unbounded(dst);
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
		__mark_reg32_known(dst, var32_off.value);
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
	__update_reg_bounds(dst);
}

static void scalar32_min_max_or(struct bpfdev_reg_state *dst, const struct bpfdev_reg_state *src)
{
	bool src_known = tnum_subreg_is_const(src->var_off);
	bool dst_known = tnum_subreg_is_const(dst->var_off);
	struct tnum var32_off = bpfdev_tnum_subreg(dst->var_off);
	s32 smin_val = src->s32_min_value;
	u32 umin_val = src->u32_min_value;

	if (src_known && dst_known) {
		__mark_reg32_known(dst, var32_off.value);
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
	__update_reg_bounds(dst);
}

static void scalar32_min_max_xor(struct bpfdev_reg_state *dst, const struct bpfdev_reg_state *src)
{
	bool src_known = tnum_subreg_is_const(src->var_off);
	bool dst_known = tnum_subreg_is_const(dst->var_off);
	struct tnum var32_off = bpfdev_tnum_subreg(dst->var_off);
	s32 smin_val = src->s32_min_value;

	if (src_known && dst_known) {
		__mark_reg32_known(dst, var32_off.value);
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
	__update_reg_bounds(dst);
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
	__mark_reg64_unbounded(dst);
	__update_reg32_bounds(dst);
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
	__update_reg_bounds(dst);
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
	__mark_reg64_unbounded(dst);
	__update_reg32_bounds(dst);
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
	__mark_reg32_unbounded(dst);
	__update_reg_bounds(dst);
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
	__mark_reg64_unbounded(dst);
	__update_reg32_bounds(dst);
}

static void scalar_min_max_arsh(struct bpfdev_reg_state *dst, const struct bpfdev_reg_state *src)
{
	u64 umin_val = src->umin_value;

	dst->smin_value >>= umin_val;
	dst->smax_value >>= umin_val;
	dst->var_off = bpfdev_tnum_arshift(dst->var_off, umin_val, 64);
	dst->umin_value = 0;
	dst->umax_value = U64_MAX;
	__mark_reg32_unbounded(dst);
	__update_reg_bounds(dst);
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
static int adjust_scalar_min_max_vals(struct bpfdev_verifier *env, struct bpf_insn *insn,
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
		zext_32_to_64(dst_reg);
	reg_bounds_sync(dst_reg);
	return 0;
}

/* ---- pointer arithmetic ---- */

static int check_reg_sane_offset(struct bpfdev_verifier *env, const struct bpfdev_reg_state *reg,
				 u32 type)
{
	bool known = tnum_is_const(reg->var_off);
	s64 val = reg->var_off.value;
	s64 smin = reg->smin_value;

	if (known && (val >= BPF_MAX_VAR_OFF || val <= -BPF_MAX_VAR_OFF)) {
		bpfdev_verbose(env, "math between %s pointer and %lld is not allowed\n",
			       bpfdev_reg_type_str(env, type), (long long)val);
		return false;
	}
	if (reg->off >= BPF_MAX_VAR_OFF || reg->off <= -BPF_MAX_VAR_OFF) {
		bpfdev_verbose(env, "%s pointer offset %d is not allowed\n",
			       bpfdev_reg_type_str(env, type), reg->off);
		return false;
	}
	if (smin == S64_MIN) {
		bpfdev_verbose(env, "math between %s pointer and register with unbounded min value is not allowed\n",
			       bpfdev_reg_type_str(env, type));
		return false;
	}
	if (smin >= BPF_MAX_VAR_OFF || smin <= -BPF_MAX_VAR_OFF) {
		bpfdev_verbose(env, "value %lld makes %s pointer be out of bounds\n",
			       (long long)smin, bpfdev_reg_type_str(env, type));
		return false;
	}
	return true;
}

int bpfdev_check_ptr_off_reg(struct bpfdev_verifier *env, const struct bpfdev_reg_state *reg,
			     int regno)
{
	/*
	 * Access to this pointer-typed register or passing it to a helper is
	 * only allowed in its original, unmodified form.
	 */
	if (reg->off < 0) {
		bpfdev_verbose(env, "negative offset %s ptr R%d off=%d disallowed\n",
			       bpfdev_reg_type_str(env, reg->type), regno, reg->off);
		return -EACCES;
	}
	if (reg->off) {
		bpfdev_verbose(env, "dereference of modified %s ptr R%d off=%d disallowed\n",
			       bpfdev_reg_type_str(env, reg->type), regno, reg->off);
		return -EACCES;
	}
	if (!tnum_is_const(reg->var_off) || reg->var_off.value) {
		char tn_buf[48];

		bpfdev_tnum_strn(tn_buf, sizeof(tn_buf), reg->var_off);
		bpfdev_verbose(env, "variable %s access var_off=%s disallowed\n",
			       bpfdev_reg_type_str(env, reg->type), tn_buf);
		return -EACCES;
	}
	return 0;
}

/* Unprivileged: a pointer may not be moved outside of its object. */
static int sanitize_check_bounds(struct bpfdev_verifier *env, const struct bpf_insn *insn,
				 const struct bpfdev_reg_state *dst_reg)
{
	u32 dst = insn->dst_reg;
	s64 off;

	if (env->bypass_spec_v1)
		return 0;
	switch (dst_reg->type) {
	case PTR_TO_STACK:
		if (!tnum_is_const(dst_reg->var_off)) {
			char tn_buf[48];

			bpfdev_tnum_strn(tn_buf, sizeof(tn_buf), dst_reg->var_off);
			bpfdev_verbose(env, "R%d variable stack access prohibited for !root, var_off=%s off=%d\n",
				       dst, tn_buf, dst_reg->off);
			return -EACCES;
		}
		off = dst_reg->off + (s64)dst_reg->var_off.value;
		if (off >= 0 || off < -BPF_MAX_STACK) {
			bpfdev_verbose(env, "R%d stack pointer arithmetic goes out of range, prohibited for !root; off=%lld\n",
				       dst, (long long)off);
			return -EACCES;
		}
		break;
	case PTR_TO_MAP_VALUE:
		if (dst_reg->smin_value + dst_reg->off < 0 ||
		    dst_reg->umax_value + dst_reg->off >= dst_reg->map_ptr->value_size) {
			bpfdev_verbose(env, "R%d pointer arithmetic of map value goes out of range, prohibited for !root\n",
				       dst);
			return -EACCES;
		}
		break;
	default:
		break;
	}
	return 0;
}

static void copy_ptr_raw(struct bpfdev_reg_state *dst, const struct bpfdev_reg_state *src)
{
	dst->range = src->range;
	dst->mem_size = src->mem_size;
	dst->map_ptr = src->map_ptr;
	dst->frameno = src->frameno;
	dst->ref_obj_id = src->ref_obj_id;
}

/*
 * Handles arithmetic on a pointer and a scalar: non-pointer src operand.
 * Pointer types do not carry 32-bit bounds.
 */
static int adjust_ptr_min_max_vals(struct bpfdev_verifier *env, struct bpf_insn *insn,
				   const struct bpfdev_reg_state *ptr_reg,
				   const struct bpfdev_reg_state *off_reg)
{
	struct bpfdev_reg_state *regs = cur_regs(env), *dst_reg;
	bool known = tnum_is_const(off_reg->var_off);
	s64 smin_val = off_reg->smin_value, smax_val = off_reg->smax_value,
	    smin_ptr = ptr_reg->smin_value, smax_ptr = ptr_reg->smax_value;
	u64 umin_val = off_reg->umin_value, umax_val = off_reg->umax_value,
	    umin_ptr = ptr_reg->umin_value, umax_ptr = ptr_reg->umax_value;
	u8 opcode = BPF_OP(insn->code);
	u32 dst = insn->dst_reg;
	struct bpfdev_reg_state ptr = *ptr_reg, offr = *off_reg;

	dst_reg = &regs[dst];
	ptr_reg = &ptr;
	off_reg = &offr;

	if ((known && (smin_val != smax_val || umin_val != umax_val)) ||
	    smin_val > smax_val || umin_val > umax_val) {
		/* Taint dst if the offset had invalid bounds from a dead branch */
		__bpfdev_mark_reg_unknown(env, dst_reg);
		return 0;
	}

	if (BPF_CLASS(insn->code) != BPF_ALU64) {
		/* 32-bit ALU ops on pointers produce (meaningless) scalars */
		if (opcode == BPF_SUB && env->allow_ptr_leaks) {
			__bpfdev_mark_reg_unknown(env, dst_reg);
			return 0;
		}
		bpfdev_verbose(env, "R%d 32-bit pointer arithmetic prohibited\n", dst);
		return -EACCES;
	}

	if (ptr_reg->type & PTR_MAYBE_NULL) {
		bpfdev_verbose(env,
			       "R%d pointer arithmetic on %s prohibited, null-check it first\n",
			       dst, bpfdev_reg_type_str(env, ptr_reg->type));
		return -EACCES;
	}

	switch (base_type(ptr_reg->type)) {
	case CONST_PTR_TO_MAP:
		/* smin_val represents the known value */
		if (known && smin_val == 0 && opcode == BPF_ADD)
			break;
		fallthrough;
	case PTR_TO_PACKET_END:
		bpfdev_verbose(env, "R%d pointer arithmetic on %s prohibited\n",
			       dst, bpfdev_reg_type_str(env, ptr_reg->type));
		return -EACCES;
	default:
		break;
	}

	/*
	 * In case of 'scalar += pointer', dst_reg inherits pointer type and
	 * id.  The id may be overwritten later if we create a new variable
	 * offset.
	 */
	dst_reg->type = ptr_reg->type;
	dst_reg->id = ptr_reg->id;

	if (!check_reg_sane_offset(env, off_reg, ptr_reg->type) ||
	    !check_reg_sane_offset(env, ptr_reg, ptr_reg->type))
		return -EINVAL;

	/* pointer types do not carry 32-bit bounds at the moment. */
	__mark_reg32_unbounded(dst_reg);

	switch (opcode) {
	case BPF_ADD:
		/* A fixed offset that fits the s32 'off' field is accumulated. */
		if (known && (ptr_reg->off + smin_val ==
			      (s64)(s32)(ptr_reg->off + smin_val))) {
			/* pointer += K.  Accumulate it into fixed offset */
			dst_reg->smin_value = smin_ptr;
			dst_reg->smax_value = smax_ptr;
			dst_reg->umin_value = umin_ptr;
			dst_reg->umax_value = umax_ptr;
			dst_reg->var_off = ptr_reg->var_off;
			dst_reg->off = ptr_reg->off + smin_val;
			copy_ptr_raw(dst_reg, ptr_reg);
			break;
		}
		/*
		 * A new variable offset is created.  A packet pointer gets a
		 * new id: its range must be proven again.
		 */
		if (signed_add_overflows(smin_ptr, smin_val) ||
		    signed_add_overflows(smax_ptr, smax_val)) {
			dst_reg->smin_value = S64_MIN;
			dst_reg->smax_value = S64_MAX;
		} else {
			dst_reg->smin_value = smin_ptr + smin_val;
			dst_reg->smax_value = smax_ptr + smax_val;
		}
		if (umin_ptr + umin_val < umin_ptr || umax_ptr + umax_val < umax_ptr) {
			dst_reg->umin_value = 0;
			dst_reg->umax_value = U64_MAX;
		} else {
			dst_reg->umin_value = umin_ptr + umin_val;
			dst_reg->umax_value = umax_ptr + umax_val;
		}
		dst_reg->var_off = bpfdev_tnum_add(ptr_reg->var_off, off_reg->var_off);
		dst_reg->off = ptr_reg->off;
		copy_ptr_raw(dst_reg, ptr_reg);
		if (type_is_pkt_pointer(ptr_reg->type)) {
			dst_reg->id = ++env->id_gen;
			/* something was added to pkt_ptr, set range to zero */
			dst_reg->range = 0;
		}
		break;
	case BPF_SUB:
		if (ptr_reg->type == PTR_TO_STACK) {
			bpfdev_verbose(env, "R%d subtraction from stack pointer prohibited\n", dst);
			return -EACCES;
		}
		if (known && (ptr_reg->off - smin_val ==
			      (s64)(s32)(ptr_reg->off - smin_val))) {
			/* pointer -= K.  Subtract it from fixed offset */
			dst_reg->smin_value = smin_ptr;
			dst_reg->smax_value = smax_ptr;
			dst_reg->umin_value = umin_ptr;
			dst_reg->umax_value = umax_ptr;
			dst_reg->var_off = ptr_reg->var_off;
			dst_reg->id = ptr_reg->id;
			dst_reg->off = ptr_reg->off - smin_val;
			copy_ptr_raw(dst_reg, ptr_reg);
			break;
		}
		if (signed_sub_overflows(smin_ptr, smax_val) ||
		    signed_sub_overflows(smax_ptr, smin_val)) {
			/* Overflow possible, we know nothing */
			dst_reg->smin_value = S64_MIN;
			dst_reg->smax_value = S64_MAX;
		} else {
			dst_reg->smin_value = smin_ptr - smax_val;
			dst_reg->smax_value = smax_ptr - smin_val;
		}
		if (umin_ptr < umax_val) {
			dst_reg->umin_value = 0;
			dst_reg->umax_value = U64_MAX;
		} else {
			dst_reg->umin_value = umin_ptr - umax_val;
			dst_reg->umax_value = umax_ptr - umin_val;
		}
		dst_reg->var_off = bpfdev_tnum_sub(ptr_reg->var_off, off_reg->var_off);
		dst_reg->off = ptr_reg->off;
		copy_ptr_raw(dst_reg, ptr_reg);
		if (type_is_pkt_pointer(ptr_reg->type)) {
			dst_reg->id = ++env->id_gen;
			/* something was added to pkt_ptr, set range to zero */
			if (smin_val < 0)
				dst_reg->range = 0;
		}
		break;
	case BPF_AND:
	case BPF_OR:
	case BPF_XOR:
		/* bitwise ops on pointers are troublesome, prohibit. */
		bpfdev_verbose(env, "R%d bitwise operator %s on pointer prohibited\n",
			       dst, bpf_alu_string[opcode >> 4]);
		return -EACCES;
	default:
		/* other operators (e.g. MUL,LSH) produce non-pointer results */
		bpfdev_verbose(env, "R%d pointer arithmetic with %s operator prohibited\n",
			       dst, bpf_alu_string[opcode >> 4]);
		return -EACCES;
	}

	if (!check_reg_sane_offset(env, dst_reg, ptr_reg->type))
		return -EINVAL;
	reg_bounds_sync(dst_reg);
	if (sanitize_check_bounds(env, insn, dst_reg) < 0)
		return -EACCES;
	return 0;
}

/*
 * Handles ALU ops other than BPF_END, BPF_NEG and BPF_MOV: computes new
 * min/max and var_off.
 */
static int adjust_reg_min_max_vals(struct bpfdev_verifier *env, struct bpf_insn *insn)
{
	struct bpfdev_reg_state *regs = cur_regs(env), *dst_reg, *src_reg;
	struct bpfdev_reg_state *ptr_reg = NULL, off_reg;
	u8 opcode = BPF_OP(insn->code);
	int err;

	dst_reg = &regs[insn->dst_reg];
	if (dst_reg->type != SCALAR_VALUE)
		ptr_reg = dst_reg;
	else
		/* No stale id: bounds must not flow to old copies. */
		dst_reg->id = 0;
	if (BPF_SRC(insn->code) == BPF_X) {
		src_reg = &regs[insn->src_reg];
		if (src_reg->type != SCALAR_VALUE) {
			if (dst_reg->type != SCALAR_VALUE) {
				/*
				 * Combining two pointers by any ALU op yields
				 * an arbitrary scalar.  Disallow all math except
				 * pointer subtraction.
				 */
				if (opcode == BPF_SUB && env->allow_ptr_leaks) {
					bpfdev_mark_reg_unknown(env, regs, insn->dst_reg);
					return 0;
				}
				bpfdev_verbose(env, "R%d pointer %s pointer prohibited\n",
					       insn->dst_reg, bpf_alu_string[opcode >> 4]);
				return -EACCES;
			}
			/* scalar += pointer: legal, operands reversed */
			if (opcode == BPF_SUB) {
				bpfdev_verbose(env, "R%d tried to subtract pointer from scalar\n",
					       insn->dst_reg);
				return -EACCES;
			}
			err = bpfdev_mark_chain_precision(env, insn->dst_reg);
			if (err)
				return err;
			return adjust_ptr_min_max_vals(env, insn, src_reg, dst_reg);
		} else if (ptr_reg) {
			/* pointer += scalar */
			err = bpfdev_mark_chain_precision(env, insn->src_reg);
			if (err)
				return err;
			return adjust_ptr_min_max_vals(env, insn, dst_reg, src_reg);
		}
	} else {
		/* Pretend the src is a reg with a known value. */
		memset(&off_reg, 0, sizeof(off_reg));
		off_reg.type = SCALAR_VALUE;
		__bpfdev_mark_reg_known(&off_reg, (u64)(s64)insn->imm);
		src_reg = &off_reg;
		if (ptr_reg) /* pointer += K */
			return adjust_ptr_min_max_vals(env, insn, ptr_reg, src_reg);
	}
	/* Got here implies adding two SCALAR_VALUEs */
	return adjust_scalar_min_max_vals(env, insn, dst_reg, *src_reg);
}

static int check_mov(struct bpfdev_verifier *env, struct bpf_insn *insn)
{
	struct bpfdev_reg_state *regs = cur_regs(env);
	struct bpfdev_reg_state *dst_reg = regs + insn->dst_reg;
	bool alu64 = BPF_CLASS(insn->code) == BPF_ALU64;
	int err;

	if (BPF_SRC(insn->code) == BPF_X) {
		if (insn->imm != 0 ||
		    (insn->off != 0 && !(insn->off == 8 || insn->off == 16 ||
					 (insn->off == 32 && alu64)))) {
			bpfdev_verbose(env, "BPF_MOV uses reserved fields\n");
			return -EINVAL;
		}
		err = bpfdev_check_reg_arg(env, insn->src_reg, true);
		if (err)
			return err;
	} else {
		if (insn->src_reg != BPF_REG_0 || insn->off != 0) {
			bpfdev_verbose(env, "BPF_MOV uses reserved fields\n");
			return -EINVAL;
		}
	}
	/* check dest operand, mark as required later */
	err = bpfdev_check_reg_arg(env, insn->dst_reg, false);
	if (err)
		return err;

	if (BPF_SRC(insn->code) == BPF_K) {
		/* case: R = imm; remember the value we stored into this reg */
		bpfdev_mark_reg_unknown(env, regs, insn->dst_reg);
		regs[insn->dst_reg].type = SCALAR_VALUE;
		if (alu64)
			__bpfdev_mark_reg_known(dst_reg, (u64)(s64)insn->imm);
		else
			__bpfdev_mark_reg_known(dst_reg, (u32)insn->imm);
		return 0;
	}

	{
		struct bpfdev_reg_state *src_reg = regs + insn->src_reg;

		if (alu64 && !insn->off) {
			/* case: R1 = R2, copy register state to dest reg */
			if (src_reg->type == SCALAR_VALUE && !src_reg->id)
				/* Same id: find_equal_scalars() spreads ranges */
				src_reg->id = ++env->id_gen;
			bpfdev_copy_register_state(dst_reg, src_reg);
			dst_reg->live |= REG_LIVE_WRITTEN;
			return 0;
		}
		if (alu64) {
			/* case: R1 = (s8, s16, s32)R2 */
			if (bpfdev_is_pointer_value(env, insn->src_reg)) {
				bpfdev_verbose(env, "R%d sign-extension part of pointer\n",
					       insn->src_reg);
				return -EACCES;
			}
			if (src_reg->type == SCALAR_VALUE) {
				bpfdev_copy_register_state(dst_reg, src_reg);
				dst_reg->id = 0;
				dst_reg->live |= REG_LIVE_WRITTEN;
				bpfdev_coerce_reg_to_size_sx(dst_reg, insn->off >> 3);
			} else {
				bpfdev_mark_reg_unknown(env, regs, insn->dst_reg);
			}
			return 0;
		}
		/* R1 = (u32) R2 */
		if (bpfdev_is_pointer_value(env, insn->src_reg)) {
			bpfdev_verbose(env, "R%d partial copy of pointer\n", insn->src_reg);
			return -EACCES;
		}
		if (src_reg->type == SCALAR_VALUE) {
			bool is_src_reg_u32 = src_reg->umax_value <= U32_MAX;

			if (is_src_reg_u32 && !src_reg->id && !insn->off)
				src_reg->id = ++env->id_gen;
			bpfdev_copy_register_state(dst_reg, src_reg);
			/* No shared id unless the value is unchanged. */
			if (!is_src_reg_u32 || insn->off)
				dst_reg->id = 0;
			dst_reg->live |= REG_LIVE_WRITTEN;
			if (insn->off) {
				bpfdev_coerce_reg_to_size_sx(dst_reg, insn->off >> 3);
				/* the 64-bit result is the 32-bit one, zero-extended */
				__reg_combine_64_into_32(dst_reg);
			}
		} else {
			bpfdev_mark_reg_unknown(env, regs, insn->dst_reg);
		}
		zext_32_to_64(dst_reg);
		reg_bounds_sync(dst_reg);
	}
	return 0;
}

int bpfdev_check_alu_op(struct bpfdev_verifier *env, struct bpf_insn *insn)
{
	u8 opcode = BPF_OP(insn->code);
	bool alu64 = BPF_CLASS(insn->code) == BPF_ALU64;
	int err;

	if (opcode == BPF_END || opcode == BPF_NEG) {
		if (opcode == BPF_NEG) {
			if (BPF_SRC(insn->code) != BPF_K || insn->src_reg != BPF_REG_0 ||
			    insn->off != 0 || insn->imm != 0) {
				bpfdev_verbose(env, "BPF_NEG uses reserved fields\n");
				return -EINVAL;
			}
		} else {
			if (insn->src_reg != BPF_REG_0 || insn->off != 0 ||
			    (insn->imm != 16 && insn->imm != 32 && insn->imm != 64) ||
			    (alu64 && BPF_SRC(insn->code) != BPF_TO_LE)) {
				bpfdev_verbose(env, "BPF_END uses reserved fields\n");
				return -EINVAL;
			}
		}
		/* check src operand */
		err = bpfdev_check_reg_arg(env, insn->dst_reg, true);
		if (err)
			return err;
		if (bpfdev_is_pointer_value(env, insn->dst_reg)) {
			bpfdev_verbose(env, "R%d pointer arithmetic prohibited\n", insn->dst_reg);
			return -EACCES;
		}
		/* check dest operand */
		err = bpfdev_check_reg_arg(env, insn->dst_reg, false);
		if (err)
			return err;
		bpfdev_mark_reg_unknown(env, cur_regs(env), insn->dst_reg);
		return 0;
	}
	if (opcode == BPF_MOV)
		return check_mov(env, insn);
	if (opcode > BPF_END) {
		bpfdev_verbose(env, "invalid BPF_ALU opcode %x\n", opcode);
		return -EINVAL;
	}
	/* all other ALU ops: and, sub, xor, add, ... */
	if (BPF_SRC(insn->code) == BPF_X) {
		if (insn->imm != 0 || (insn->off != 0 &&
		    !(insn->off == 1 && (opcode == BPF_DIV || opcode == BPF_MOD)))) {
			bpfdev_verbose(env, "BPF_ALU uses reserved fields\n");
			return -EINVAL;
		}
		err = bpfdev_check_reg_arg(env, insn->src_reg, true);
		if (err)
			return err;
	} else {
		if (insn->src_reg != BPF_REG_0 || (insn->off != 0 &&
		    !(insn->off == 1 && (opcode == BPF_DIV || opcode == BPF_MOD)))) {
			bpfdev_verbose(env, "BPF_ALU uses reserved fields\n");
			return -EINVAL;
		}
	}
	/* check src2 operand */
	err = bpfdev_check_reg_arg(env, insn->dst_reg, true);
	if (err)
		return err;
	if ((opcode == BPF_MOD || opcode == BPF_DIV) &&
	    BPF_SRC(insn->code) == BPF_K && insn->imm == 0) {
		bpfdev_verbose(env, "div by zero\n");
		return -EINVAL;
	}
	if ((opcode == BPF_LSH || opcode == BPF_RSH || opcode == BPF_ARSH) &&
	    BPF_SRC(insn->code) == BPF_K) {
		int size = alu64 ? 64 : 32;

		if (insn->imm < 0 || insn->imm >= size) {
			bpfdev_verbose(env, "invalid shift %d\n", insn->imm);
			return -EINVAL;
		}
	}
	/* check dest operand */
	err = bpfdev_check_reg_arg(env, insn->dst_reg, false);
	if (err)
		return err;
	return adjust_reg_min_max_vals(env, insn);
}

/* ---- conditional jumps ---- */

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
		if (!reg_type_not_null(reg->type))
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
			__mark_reg32_known(true_reg, val32);
			true_32off = bpfdev_tnum_subreg(true_reg->var_off);
		} else {
			___mark_reg_known(true_reg, val);
			true_64off = true_reg->var_off;
		}
		break;
	case BPF_JNE:
		if (is_jmp32) {
			__mark_reg32_known(false_reg, val32);
			false_32off = bpfdev_tnum_subreg(false_reg->var_off);
		} else {
			___mark_reg_known(false_reg, val);
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
		__reg_combine_32_into_64(false_reg);
		__reg_combine_32_into_64(true_reg);
	} else {
		false_reg->var_off = false_64off;
		true_reg->var_off = true_64off;
		__reg_combine_64_into_32(false_reg);
		__reg_combine_64_into_32(true_reg);
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
	reg_bounds_sync(src_reg);
	reg_bounds_sync(dst_reg);
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
	/* Read "pkt_end <op> pkt'" as "pkt' <flipped op> pkt_end". */
	if (dst_reg->type == PTR_TO_PACKET && src_reg->type == PTR_TO_PACKET_END) {
		pkt = dst_reg;
	} else if (dst_reg->type == PTR_TO_PACKET_END && src_reg->type == PTR_TO_PACKET) {
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
		/* Only follow the goto, ignore fall-through. */
		*insn_idx += insn->off;
		return 0;
	} else if (pred == 0) {
		/* Only follow the fall-through branch. */
		return 0;
	}

	other_branch = bpfdev_push_stack(env, *insn_idx + insn->off + 1, *insn_idx);
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
