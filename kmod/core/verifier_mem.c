// SPDX-License-Identifier: GPL-2.0
/*
 * Loads, stores and atomics: which memory a pointer register may reach
 * (context fields, packet bytes proven against data_end, map values,
 * helper-allocated memory; stack slots in verifier_stack.c), and what a
 * load yields.
 */

#include "verifier_internal.h"

static bool is_ctx_reg(struct bpfdev_verifier *env, int regno)
{
	return cur_regs(env)[regno].type == PTR_TO_CTX;
}

static bool is_pkt_reg(struct bpfdev_verifier *env, int regno)
{
	return type_is_pkt_pointer(cur_regs(env)[regno].type);
}

/* Only the context can't share an instruction with other pointer types:
 * its accesses are rewritten.
 */
static bool reg_type_mismatch(u32 src, u32 prev)
{
	return src != prev && (src == PTR_TO_CTX || prev == PTR_TO_CTX);
}

static int check_ptr_alignment(struct bpfdev_verifier *env, const struct bpfdev_reg_state *reg,
			       int off, int size, bool strict)
{
	const char *pointer_desc = "";
	struct tnum reg_off;

	/*
	 * x86-64 has efficient unaligned access: only the stack must always
	 * be aligned, because spill tracking relies on it; atomics ask for
	 * strict alignment everywhere.
	 */
	switch (base_type(reg->type)) {
	case PTR_TO_PACKET:
	case PTR_TO_PACKET_META:
		if (strict && size > 1) {
			reg_off = bpfdev_tnum_add(reg->var_off, bpfdev_tnum_const(reg->off + off));
			if (!bpfdev_tnum_is_aligned(reg_off, size)) {
				char tn_buf[48];

				bpfdev_tnum_strn(tn_buf, sizeof(tn_buf), reg->var_off);
				bpfdev_verbose(env,
					       "misaligned packet access off %d+%s+%d+%d size %d\n",
					       0, tn_buf, reg->off, off, size);
				return -EACCES;
			}
		}
		return 0;
	case PTR_TO_MAP_KEY:
		pointer_desc = "key ";
		break;
	case PTR_TO_MAP_VALUE:
		pointer_desc = "value ";
		break;
	case PTR_TO_CTX:
		pointer_desc = "context ";
		break;
	case PTR_TO_STACK:
		pointer_desc = "stack ";
		strict = true;
		break;
	default:
		break;
	}
	if (!strict || size == 1)
		return 0;
	reg_off = bpfdev_tnum_add(reg->var_off, bpfdev_tnum_const(reg->off + off));
	if (!bpfdev_tnum_is_aligned(reg_off, size)) {
		char tn_buf[48];

		bpfdev_tnum_strn(tn_buf, sizeof(tn_buf), reg->var_off);
		bpfdev_verbose(env, "misaligned %saccess off %s+%d+%d size %d\n",
			       pointer_desc, tn_buf, reg->off, off, size);
		return -EACCES;
	}
	return 0;
}

/* check read/write into memory region [off, off + size) of mem_size bytes */
static int __check_mem_access(struct bpfdev_verifier *env, int regno, int off, int size,
			      u32 mem_size, bool zero_size_allowed)
{
	bool size_ok = size > 0 || (size == 0 && zero_size_allowed);
	struct bpfdev_reg_state *reg;

	if (off >= 0 && size_ok && (u64)off + size <= mem_size)
		return 0;

	reg = &cur_regs(env)[regno];
	switch (base_type(reg->type)) {
	case PTR_TO_MAP_KEY:
		bpfdev_verbose(env, "invalid access to map key, key_size=%d off=%d size=%d\n",
			       mem_size, off, size);
		break;
	case PTR_TO_MAP_VALUE:
		bpfdev_verbose(env, "invalid access to map value, value_size=%d off=%d size=%d\n",
			       mem_size, off, size);
		break;
	case PTR_TO_PACKET:
	case PTR_TO_PACKET_META:
	case PTR_TO_PACKET_END:
		bpfdev_verbose(env,
			       "invalid access to packet, off=%d size=%d, R%d(id=%d,off=%d,r=%d)\n",
			       off, size, regno, reg->id, off, mem_size);
		break;
	case PTR_TO_MEM:
	default:
		bpfdev_verbose(env, "invalid access to memory, mem_size=%u off=%d size=%d\n",
			       mem_size, off, size);
	}
	return -EACCES;
}

/* check read/write into a memory region with possible variable offset */
static int check_mem_region_access(struct bpfdev_verifier *env, u32 regno, int off, int size,
				   u32 mem_size, bool zero_size_allowed)
{
	struct bpfdev_reg_state *reg = &cur_regs(env)[regno];
	int err;

	/*
	 * Both ends of the variable offset must land inside: a signed index
	 * needs a floor in the range.
	 */
	if (reg->smin_value < 0 &&
	    (reg->smin_value == S64_MIN ||
	     (off + reg->smin_value != (s64)(s32)(off + reg->smin_value)) ||
	     reg->smin_value + off < 0)) {
		bpfdev_verbose(env, "R%d min value is negative, either use unsigned index or do a if (index >=0) check.\n",
			       regno);
		return -EACCES;
	}
	err = __check_mem_access(env, regno, reg->smin_value + off, size, mem_size,
				 zero_size_allowed);
	if (err) {
		bpfdev_verbose(env, "R%d min value is outside of the allowed memory range\n",
			       regno);
		return err;
	}
	/* An unbounded maximum (or one that overflows with off) is unsafe. */
	if (reg->umax_value >= BPF_MAX_VAR_OFF) {
		bpfdev_verbose(env, "R%d unbounded memory access, make sure to bounds check any such access\n",
			       regno);
		return -EACCES;
	}
	err = __check_mem_access(env, regno, reg->umax_value + off, size, mem_size,
				 zero_size_allowed);
	if (err) {
		bpfdev_verbose(env, "R%d max value is outside of the allowed memory range\n",
			       regno);
		return err;
	}
	return 0;
}

static int check_map_access_type(struct bpfdev_verifier *env, u32 regno, int off, int size,
				 int type)
{
	const struct bpfdev_map_desc *map = cur_regs(env)[regno].map_ptr;

	if (type == BPFDEV_WRITE && (map->flags & BPF_F_RDONLY_PROG)) {
		bpfdev_verbose(env, "write into map forbidden, value_size=%d off=%d size=%d\n",
			       map->value_size, off, size);
		return -EACCES;
	}
	if (type == BPFDEV_READ && (map->flags & BPF_F_WRONLY_PROG)) {
		bpfdev_verbose(env, "read from map forbidden, value_size=%d off=%d size=%d\n",
			       map->value_size, off, size);
		return -EACCES;
	}
	return 0;
}

static int check_map_access(struct bpfdev_verifier *env, u32 regno, int off, int size,
			    bool zero_size_allowed)
{
	const struct bpfdev_reg_state *reg = &cur_regs(env)[regno];

	return check_mem_region_access(env, regno, off, size, reg->map_ptr->value_size,
				       zero_size_allowed);
}

static int check_packet_access(struct bpfdev_verifier *env, u32 regno, int off, int size,
			       bool zero_size_allowed)
{
	struct bpfdev_reg_state *reg = &cur_regs(env)[regno];
	int err;

	/*
	 * reg->range counts from the fixed offset, after any variable one;
	 * negative variable offsets are not tracked closely enough.
	 */
	if (reg->smin_value < 0) {
		bpfdev_verbose(env, "R%d min value is negative, either use unsigned index or do a if (index >=0) check.\n",
			       regno);
		return -EACCES;
	}
	err = __check_mem_access(env, regno, off, size, reg->range, zero_size_allowed);
	if (err) {
		bpfdev_verbose(env, "R%d offset is outside of the packet\n", regno);
		return err;
	}
	/* umax <= MAX_PACKET_OFF and off + size within u16: no overflow */
	env->env_pub->max_pkt_offset = max_t(u32, env->env_pub->max_pkt_offset,
					     off + reg->umax_value + size - 1);
	return err;
}

int bpfdev_check_mem_access(struct bpfdev_verifier *env, int insn_idx, u32 regno, int off,
			    int bpf_size, int t, int value_regno, bool strict_alignment_once)
{
	struct bpfdev_reg_state *regs = cur_regs(env);
	struct bpfdev_reg_state *reg = regs + regno;
	int size = bpfdev_size_bytes(bpf_size);
	int err;

	/* alignment checks will add in reg->off themselves */
	err = check_ptr_alignment(env, reg, off, size, strict_alignment_once);
	if (err)
		return err;

	/* for access checks, reg->off is just part of off */
	off += reg->off;

	if (reg->type == PTR_TO_MAP_VALUE) {
		if (t == BPFDEV_WRITE && value_regno >= 0 &&
		    bpfdev_is_pointer_value(env, value_regno)) {
			bpfdev_verbose(env, "R%d leaks addr into map\n", value_regno);
			return -EACCES;
		}
		err = check_map_access_type(env, regno, off, size, t);
		if (err)
			return err;
		err = check_map_access(env, regno, off, size, false);
		if (!err && t == BPFDEV_READ && value_regno >= 0)
			bpfdev_mark_reg_unknown(env, regs, value_regno);
	} else if (reg->type == PTR_TO_MAP_KEY) {
		if (t == BPFDEV_WRITE) {
			bpfdev_verbose(env, "write to change key R%d not allowed\n", regno);
			return -EACCES;
		}
		err = check_mem_region_access(env, regno, off, size,
					      reg->map_ptr->key_size, false);
		if (!err && value_regno >= 0)
			bpfdev_mark_reg_unknown(env, regs, value_regno);
	} else if (base_type(reg->type) == PTR_TO_MEM) {
		bool rdonly_mem = reg->type & MEM_RDONLY;

		if (type_may_be_null(reg->type)) {
			bpfdev_verbose(env, "R%d invalid mem access '%s'\n", regno,
				       bpfdev_reg_type_str(env, reg->type));
			return -EACCES;
		}
		if (t == BPFDEV_WRITE && rdonly_mem) {
			bpfdev_verbose(env, "R%d cannot write into %s\n", regno,
				       bpfdev_reg_type_str(env, reg->type));
			return -EACCES;
		}
		if (t == BPFDEV_WRITE && value_regno >= 0 &&
		    bpfdev_is_pointer_value(env, value_regno)) {
			bpfdev_verbose(env, "R%d leaks addr into mem\n", value_regno);
			return -EACCES;
		}
		err = check_mem_region_access(env, regno, off, size, reg->mem_size, false);
		if (!err && value_regno >= 0 && t == BPFDEV_READ)
			bpfdev_mark_reg_unknown(env, regs, value_regno);
	} else if (reg->type == PTR_TO_CTX) {
		u32 reg_type = SCALAR_VALUE;

		if (t == BPFDEV_WRITE && value_regno >= 0 &&
		    bpfdev_is_pointer_value(env, value_regno)) {
			bpfdev_verbose(env, "R%d leaks addr into ctx\n", value_regno);
			return -EACCES;
		}
		err = bpfdev_check_ptr_off_reg(env, reg, regno);
		if (err < 0)
			return err;
		err = bpfdev_ctx_access(env, insn_idx, off, size, t, &reg_type);
		if (!err && t == BPFDEV_READ && value_regno >= 0) {
			/* a scalar, or a packet pointer whose offset is zero */
			if (reg_type == SCALAR_VALUE) {
				bpfdev_mark_reg_unknown(env, regs, value_regno);
			} else {
				bpfdev_mark_reg_known_zero(env, regs, value_regno);
				if (type_may_be_null(reg_type))
					regs[value_regno].id = ++env->id_gen;
			}
			regs[value_regno].type = reg_type;
		}
	} else if (reg->type == PTR_TO_STACK) {
		/* Basic bounds checks. */
		err = bpfdev_check_stack_access_within_bounds(env, regno, off, size, false, t);
		if (err)
			return err;
		err = bpfdev_update_stack_depth(env, func(env, reg),
						off + (tnum_is_const(reg->var_off) ?
						       (s32)reg->var_off.value :
						       (s32)reg->smin_value));
		if (err)
			return err;
		if (t == BPFDEV_READ)
			err = bpfdev_check_stack_read(env, regno, off, size, value_regno);
		else
			err = bpfdev_check_stack_write(env, regno, off, size, value_regno,
						       insn_idx);
	} else if (type_is_pkt_pointer(reg->type)) {
		if (t == BPFDEV_WRITE && !bpfdev_may_access_direct_pkt_data(env, t)) {
			bpfdev_verbose(env, "cannot write into packet\n");
			return -EACCES;
		}
		if (t == BPFDEV_READ && !bpfdev_may_access_direct_pkt_data(env, t)) {
			bpfdev_verbose(env, "R%d invalid mem access '%s'\n", regno,
				       bpfdev_reg_type_str(env, reg->type));
			return -EACCES;
		}
		if (t == BPFDEV_WRITE && value_regno >= 0 &&
		    bpfdev_is_pointer_value(env, value_regno)) {
			bpfdev_verbose(env, "R%d leaks addr into packet\n", value_regno);
			return -EACCES;
		}
		err = check_packet_access(env, regno, off, size, false);
		if (!err && t == BPFDEV_READ && value_regno >= 0)
			bpfdev_mark_reg_unknown(env, regs, value_regno);
	} else {
		bpfdev_verbose(env, "R%d invalid mem access '%s'\n", regno,
			       bpfdev_reg_type_str(env, reg->type));
		return -EACCES;
	}

	if (!err && size < BPF_REG_SIZE && value_regno >= 0 && t == BPFDEV_READ &&
	    regs[value_regno].type == SCALAR_VALUE) {
		/* b/h/w load zero-extends, mark upper bits as known 0 */
		bpfdev_coerce_reg_to_size(&regs[value_regno], size);
	}
	return err;
}

static int check_mem_type_consistency(struct bpfdev_verifier *env, u32 type)
{
	u32 *prev = &env->aux[env->insn_idx].ptr_type;

	if (*prev == NOT_INIT) {
		/* remember the pointer type to validate intersecting paths */
		*prev = type;
	} else if (reg_type_mismatch(type, *prev)) {
		/* The same insn used with ctx on one path and another
		 * pointer on another can't be rewritten: reject it.
		 */
		bpfdev_verbose(env, "same insn cannot be used with different pointers\n");
		return -EINVAL;
	}
	return 0;
}

int bpfdev_check_load(struct bpfdev_verifier *env, struct bpf_insn *insn)
{
	struct bpfdev_reg_state *regs = cur_regs(env);
	u32 src_reg_type;
	int err;

	/* check src operand */
	err = bpfdev_check_reg_arg(env, insn->src_reg, true);
	if (err)
		return err;
	err = bpfdev_check_reg_arg(env, insn->dst_reg, false);
	if (err)
		return err;
	src_reg_type = regs[insn->src_reg].type;
	/* memory (src_reg + off) readable; dst_reg's state is set here */
	err = bpfdev_check_mem_access(env, env->insn_idx, insn->src_reg, insn->off,
				      BPF_SIZE(insn->code), BPFDEV_READ, insn->dst_reg, false);
	if (err)
		return err;
	if (BPF_MODE(insn->code) == BPF_MEMSX) {
		if (src_reg_type == PTR_TO_CTX) {
			bpfdev_verbose(env, "sign-extending loads from ctx are not supported\n");
			return -EINVAL;
		}
		if (regs[insn->dst_reg].type == SCALAR_VALUE)
			bpfdev_coerce_reg_to_size_sx(&regs[insn->dst_reg],
						     bpfdev_size_bytes(insn->code));
	}
	return check_mem_type_consistency(env, src_reg_type);
}

int bpfdev_check_store(struct bpfdev_verifier *env, struct bpf_insn *insn)
{
	struct bpfdev_reg_state *regs = cur_regs(env);
	u32 dst_reg_type;
	int err;

	/* check src1 operand */
	err = bpfdev_check_reg_arg(env, insn->src_reg, true);
	if (err)
		return err;
	/* check src2 operand */
	err = bpfdev_check_reg_arg(env, insn->dst_reg, true);
	if (err)
		return err;
	dst_reg_type = regs[insn->dst_reg].type;
	/* check that memory (dst_reg + off) is writeable */
	err = bpfdev_check_mem_access(env, env->insn_idx, insn->dst_reg, insn->off,
				      BPF_SIZE(insn->code), BPFDEV_WRITE, insn->src_reg, false);
	if (err)
		return err;
	return check_mem_type_consistency(env, dst_reg_type);
}

int bpfdev_check_st(struct bpfdev_verifier *env, struct bpf_insn *insn)
{
	int err;

	/* check src operand */
	err = bpfdev_check_reg_arg(env, insn->dst_reg, true);
	if (err)
		return err;
	if (is_ctx_reg(env, insn->dst_reg)) {
		bpfdev_verbose(env, "BPF_ST stores into R%d %s is not allowed\n",
			       insn->dst_reg,
			       bpfdev_reg_type_str(env, cur_regs(env)[insn->dst_reg].type));
		return -EACCES;
	}
	/* check that memory (dst_reg + off) is writeable */
	err = bpfdev_check_mem_access(env, env->insn_idx, insn->dst_reg, insn->off,
				      BPF_SIZE(insn->code), BPFDEV_WRITE, -1, false);
	if (err)
		return err;
	return check_mem_type_consistency(env, cur_regs(env)[insn->dst_reg].type);
}

int bpfdev_check_atomic(struct bpfdev_verifier *env, int insn_idx, struct bpf_insn *insn)
{
	int load_reg;
	int err;

	switch (insn->imm) {
	case BPF_ADD:
	case BPF_ADD | BPF_FETCH:
	case BPF_AND:
	case BPF_AND | BPF_FETCH:
	case BPF_OR:
	case BPF_OR | BPF_FETCH:
	case BPF_XOR:
	case BPF_XOR | BPF_FETCH:
	case BPF_XCHG:
	case BPF_CMPXCHG:
		break;
	default:
		bpfdev_verbose(env, "BPF_ATOMIC uses invalid atomic opcode %02x\n", insn->imm);
		return -EINVAL;
	}
	if (BPF_SIZE(insn->code) != BPF_W && BPF_SIZE(insn->code) != BPF_DW) {
		bpfdev_verbose(env, "invalid atomic operand size\n");
		return -EINVAL;
	}
	/* check src1 operand */
	err = bpfdev_check_reg_arg(env, insn->src_reg, true);
	if (err)
		return err;
	/* check src2 operand */
	err = bpfdev_check_reg_arg(env, insn->dst_reg, true);
	if (err)
		return err;
	if (insn->imm == BPF_CMPXCHG) {
		/* Check comparison of R0 with memory location */
		err = bpfdev_check_reg_arg(env, BPF_REG_0, true);
		if (err)
			return err;
		if (bpfdev_is_pointer_value(env, BPF_REG_0)) {
			bpfdev_verbose(env, "R%d leaks addr into mem\n", BPF_REG_0);
			return -EACCES;
		}
	}
	if (bpfdev_is_pointer_value(env, insn->src_reg)) {
		bpfdev_verbose(env, "R%d leaks addr into mem\n", insn->src_reg);
		return -EACCES;
	}
	if (is_ctx_reg(env, insn->dst_reg) || is_pkt_reg(env, insn->dst_reg)) {
		bpfdev_verbose(env, "BPF_ATOMIC stores into R%d %s is not allowed\n",
			       insn->dst_reg,
			       bpfdev_reg_type_str(env, cur_regs(env)[insn->dst_reg].type));
		return -EACCES;
	}
	if (insn->imm & BPF_FETCH) {
		load_reg = insn->imm == BPF_CMPXCHG ? BPF_REG_0 : insn->src_reg;
		/* check and record load of old value */
		err = bpfdev_check_reg_arg(env, load_reg, false);
		if (err)
			return err;
	} else {
		/* The old value is not loaded into a register. */
		load_reg = -1;
	}
	/* Can we read the memory?  A second call simulates the fetch. */
	err = bpfdev_check_mem_access(env, insn_idx, insn->dst_reg, insn->off,
				      BPF_SIZE(insn->code), BPFDEV_READ, -1, true);
	if (!err && load_reg >= 0)
		err = bpfdev_check_mem_access(env, insn_idx, insn->dst_reg, insn->off,
					      BPF_SIZE(insn->code), BPFDEV_READ, load_reg, true);
	if (err)
		return err;
	/* Check whether we can write into the same memory. */
	return bpfdev_check_mem_access(env, insn_idx, insn->dst_reg, insn->off,
				       BPF_SIZE(insn->code), BPFDEV_WRITE, -1, true);
}

/* Helper memory arguments: regno points at access_size bytes. */
int bpfdev_check_helper_mem_access(struct bpfdev_verifier *env, int regno, int access_size,
				   bool zero_size_allowed, bool raw_mode)
{
	struct bpfdev_reg_state *regs = cur_regs(env), *reg = &regs[regno];

	switch (base_type(reg->type)) {
	case PTR_TO_PACKET:
	case PTR_TO_PACKET_META:
		if (raw_mode) {
			bpfdev_verbose(env, "cannot write into packet\n");
			return -EACCES;
		}
		return check_packet_access(env, regno, reg->off, access_size,
					   zero_size_allowed);
	case PTR_TO_MAP_KEY:
		if (raw_mode) {
			bpfdev_verbose(env, "R%d cannot write into %s\n", regno,
				       bpfdev_reg_type_str(env, reg->type));
			return -EACCES;
		}
		return check_mem_region_access(env, regno, reg->off, access_size,
					       reg->map_ptr->key_size, false);
	case PTR_TO_MAP_VALUE:
		if (check_map_access_type(env, regno, reg->off, access_size,
					  raw_mode ? BPFDEV_WRITE : BPFDEV_READ))
			return -EACCES;
		return check_map_access(env, regno, reg->off, access_size,
					zero_size_allowed);
	case PTR_TO_MEM:
		if (type_may_be_null(reg->type))
			break;
		if ((reg->type & MEM_RDONLY) && raw_mode) {
			bpfdev_verbose(env, "R%d cannot write into %s\n", regno,
				       bpfdev_reg_type_str(env, reg->type));
			return -EACCES;
		}
		return check_mem_region_access(env, regno, reg->off, access_size,
					       reg->mem_size, zero_size_allowed);
	case PTR_TO_STACK:
		return bpfdev_check_stack_range_initialized(env, regno, reg->off, access_size,
							    zero_size_allowed, true, raw_mode);
	default:
		break;
	}
	/* scalar_value or invalid ptr */
	/* Allow zero-byte read from NULL, regardless of pointer type */
	if (zero_size_allowed && access_size == 0 && bpfdev_register_is_null(reg))
		return 0;
	bpfdev_verbose(env, "R%d type=%s ", regno, bpfdev_reg_type_str(env, reg->type));
	bpfdev_verbose(env, "expected=%s\n", bpfdev_reg_type_str(env, PTR_TO_STACK));
	return -EACCES;
}
