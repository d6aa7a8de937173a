// SPDX-License-Identifier: GPL-2.0
/*
 * Register primitives: marking a register known, unknown or not
 * initialised, and keeping its tnum and its signed and unsigned 64- and
 * 32-bit bounds in step with each other (reg_bounds_sync()), as the
 * kernel's verifier (6.1) does; size coercion and register arguments.
 */

#include "verifier_internal.h"

void ___bpfdev_mark_reg_known(struct bpfdev_reg_state *reg, u64 imm)
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
	___bpfdev_mark_reg_known(reg, imm);
}

void __bpfdev_mark_reg32_known(struct bpfdev_reg_state *reg, u64 imm)
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

void __bpfdev_mark_reg64_unbounded(struct bpfdev_reg_state *reg)
{
	reg->smin_value = S64_MIN;
	reg->smax_value = S64_MAX;
	reg->umin_value = 0;
	reg->umax_value = U64_MAX;
}

void __bpfdev_mark_reg32_unbounded(struct bpfdev_reg_state *reg)
{
	reg->s32_min_value = S32_MIN;
	reg->s32_max_value = S32_MAX;
	reg->u32_min_value = 0;
	reg->u32_max_value = U32_MAX;
}

static void __mark_reg_unbounded(struct bpfdev_reg_state *reg)
{
	__bpfdev_mark_reg64_unbounded(reg);
	__bpfdev_mark_reg32_unbounded(reg);
}

void __bpfdev_update_reg32_bounds(struct bpfdev_reg_state *reg)
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

void __bpfdev_update_reg_bounds(struct bpfdev_reg_state *reg)
{
	__bpfdev_update_reg32_bounds(reg);
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

void bpfdev_reg_bounds_sync(struct bpfdev_reg_state *reg)
{
	/* We might have learned new bounds from the var_off. */
	__bpfdev_update_reg_bounds(reg);
	/* We might have learned something about the sign bit. */
	__reg_deduce_bounds(reg);
	/* We might have learned some bits from the bounds. */
	__reg_bound_offset(reg);
	/*
	 * Intersecting with the old var_off might have improved our bounds
	 * slightly, e.g. if umax was 0x7f...f and var_off was (0; 0xf...fc),
	 * then new var_off will be (0; 0x7f...fc) which improves our umax.
	 */
	__bpfdev_update_reg_bounds(reg);
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

void __bpfdev_reg_combine_32_into_64(struct bpfdev_reg_state *reg)
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
		__bpfdev_mark_reg64_unbounded(reg);
	}
	bpfdev_reg_bounds_sync(reg);
}

static bool __reg64_bound_s32(s64 a)
{
	return a >= S32_MIN && a <= S32_MAX;
}

/* 6.1's bounds are inclusive: a 64-bit range [0, 10] is the u32 range [0, 10] */
static bool __reg64_bound_u32(u64 a)
{
	return a <= U32_MAX;
}

void __bpfdev_reg_combine_64_into_32(struct bpfdev_reg_state *reg)
{
	__bpfdev_mark_reg32_unbounded(reg);
	if (__reg64_bound_s32(reg->smin_value) && __reg64_bound_s32(reg->smax_value)) {
		reg->s32_min_value = (s32)reg->smin_value;
		reg->s32_max_value = (s32)reg->smax_value;
	}
	if (__reg64_bound_u32(reg->umin_value) && __reg64_bound_u32(reg->umax_value)) {
		reg->u32_min_value = (u32)reg->umin_value;
		reg->u32_max_value = (u32)reg->umax_value;
	}
	bpfdev_reg_bounds_sync(reg);
}

/* Mark a register as having a completely unknown (scalar) value. */
void __bpfdev_mark_reg_unknown(const struct bpfdev_verifier *env, struct bpfdev_reg_state *reg)
{
	struct bpfdev_reg_state *parent = reg->parent;
	u8 live = reg->live;
	u32 frameno = reg->frameno;
	s32 subreg_def = reg->subreg_def;

	/* Clear type, off, and the pointer-specific fields */
	memset(reg, 0, sizeof(*reg));
	reg->parent = parent;
	reg->live = live;
	reg->frameno = frameno;
	reg->subreg_def = subreg_def;
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
	s32 subreg_def = dst->subreg_def;
	u8 live = dst->live;

	*dst = *src;
	dst->parent = parent;
	dst->live = live;
	/* what wrote dst (check_reg_arg() said), not what wrote src */
	dst->subreg_def = subreg_def;
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
bool bpfdev_reg_type_not_null(u32 type)
{
	return type == PTR_TO_MAP_VALUE || type == PTR_TO_MAP_KEY;
}

/* The register is read (src_op) or written. */
int bpfdev_check_reg_arg(struct bpfdev_verifier *env, u32 regno, bool src_op)
{
	struct bpfdev_reg_state *regs = cur_regs(env), *reg;
	bool rw64;

	if (regno >= MAX_BPF_REG_) {
		bpfdev_verbose(env, "R%d is invalid\n", regno);
		return -EINVAL;
	}
	bpfdev_mark_reg_scratched(env, regno);
	reg = &regs[regno];
	rw64 = bpfdev_is_reg64(env, &env->insns[env->insn_idx], regno, reg, src_op);
	if (src_op) {
		/* check whether register used as source operand can be read */
		if (reg->type == NOT_INIT) {
			bpfdev_verbose(env, "R%d !read_ok\n", regno);
			return -EACCES;
		}
		/* We don't need to worry about FP liveness because it's read-only */
		if (regno == BPF_REG_FP)
			return 0;
		if (rw64)
			bpfdev_mark_insn_zext(env, reg);
		return bpfdev_mark_reg_read(env, reg, reg->parent,
					    rw64 ? REG_LIVE_READ64 : REG_LIVE_READ32);
	}
	/* check whether register used as dest operand can be written to */
	if (regno == BPF_REG_FP) {
		bpfdev_verbose(env, "frame pointer is read only\n");
		return -EACCES;
	}
	reg->live |= REG_LIVE_WRITTEN;
	reg->subreg_def = rw64 ? DEF_NOT_SUBREG : env->insn_idx + 1;
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
	__bpfdev_reg_combine_64_into_32(reg);
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
	bpfdev_reg_bounds_sync(reg);
}

void bpfdev_zext_32_to_64(struct bpfdev_reg_state *reg)
{
	reg->var_off = bpfdev_tnum_subreg(reg->var_off);
	__reg_assign_32_into_64(reg);
}
