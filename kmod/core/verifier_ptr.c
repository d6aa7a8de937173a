// SPDX-License-Identifier: GPL-2.0
/*
 * Pointer arithmetic (which pointer may move, by how much, and what it
 * becomes) and the ALU dispatch: MOV, and every other ALU operation sent
 * to the pointer or the scalar rules.
 */

#include "verifier_internal.h"

static const char *const bpf_alu_string[16] = {
	"+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=",
	"neg", "%=", "^=", "=", "s>>=", "endian", "?", "?",
};

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
	struct bpfdev_sanitize_info info = {};
	bool ptr_is_dst;
	int ret;

	dst_reg = &regs[dst];
	ptr_is_dst = ptr_reg == dst_reg;
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
	case PTR_TO_SOCK_COMMON:
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
	__bpfdev_mark_reg32_unbounded(dst_reg);

	if (bpfdev_sanitize_needed(opcode)) {
		ret = bpfdev_sanitize_ptr_alu(env, insn, ptr_is_dst ? dst_reg : ptr_reg, off_reg,
					      dst_reg, &info, false);
		if (ret < 0)
			return bpfdev_sanitize_err(env, insn, ret, off_reg, dst_reg);
	}

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
	bpfdev_reg_bounds_sync(dst_reg);
	if (sanitize_check_bounds(env, insn, dst_reg) < 0)
		return -EACCES;
	if (bpfdev_sanitize_needed(opcode)) {
		ret = bpfdev_sanitize_ptr_alu(env, insn, dst_reg, off_reg, dst_reg, &info, true);
		if (ret < 0)
			return bpfdev_sanitize_err(env, insn, ret, off_reg, dst_reg);
	}
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
	return bpfdev_adjust_scalar_min_max_vals(env, insn, dst_reg, *src_reg);
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
				__bpfdev_reg_combine_64_into_32(dst_reg);
			}
		} else {
			bpfdev_mark_reg_unknown(env, regs, insn->dst_reg);
		}
		bpfdev_zext_32_to_64(dst_reg);
		bpfdev_reg_bounds_sync(dst_reg);
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
