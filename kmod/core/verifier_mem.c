// SPDX-License-Identifier: GPL-2.0
/*
 * Loads, stores and atomics: which memory a pointer register may reach
 * (stack slots, context fields, packet bytes proven against data_end, map
 * values, helper-allocated memory), and what a load yields.
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

static int update_stack_depth(struct bpfdev_verifier *env, const struct bpfdev_func_state *func,
			      int off)
{
	u32 *stack = &env->subprog_info[func->subprogno].stack_depth;

	if (*stack >= (u32)-off)
		return 0;
	/* update known max for given subprogram */
	*stack = -off;
	return 0;
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

static int check_stack_slot_within_bounds(int off, const struct bpfdev_func_state *state, int t)
{
	int min_valid_off;

	if (t == BPFDEV_WRITE)
		min_valid_off = -BPF_MAX_STACK;
	else
		min_valid_off = -state->allocated_stack;
	if (off < min_valid_off || off > -1)
		return -EACCES;
	return 0;
}

/*
 * Check that the stack access at 'regno + off' falls within the maximum
 * stack bounds.  'off' includes `regno->offset`, but not its dynamic part.
 */
static int check_stack_access_within_bounds(struct bpfdev_verifier *env, int regno, int off,
					    int access_size, bool helper, int type)
{
	struct bpfdev_reg_state *reg = &cur_regs(env)[regno];
	struct bpfdev_func_state *state = func(env, reg);
	const char *err_extra;
	s64 min_off, max_off;
	int err;

	if (helper)
		/* We don't know if helpers are reading or writing (or both). */
		err_extra = " indirect access to";
	else if (type == BPFDEV_READ)
		err_extra = " read from";
	else
		err_extra = " write to";

	if (tnum_is_const(reg->var_off)) {
		min_off = reg->var_off.value + off;
		max_off = min_off + access_size;
	} else {
		if (reg->smax_value >= BPF_MAX_VAR_OFF || reg->smin_value <= -BPF_MAX_VAR_OFF) {
			bpfdev_verbose(env, "invalid unbounded variable-offset%s stack R%d\n",
				       err_extra, regno);
			return -EACCES;
		}
		min_off = reg->smin_value + off;
		max_off = reg->smax_value + off + access_size;
	}

	err = check_stack_slot_within_bounds(min_off, state, type);
	if (!err && max_off > 0)
		err = -EINVAL; /* out of stack access into non-negative offsets */
	if (!err && access_size < 0)
		err = -EINVAL;
	if (err) {
		if (tnum_is_const(reg->var_off)) {
			bpfdev_verbose(env, "invalid%s stack R%d off=%d size=%d\n",
				       err_extra, regno, off, access_size);
		} else {
			char tn_buf[48];

			bpfdev_tnum_strn(tn_buf, sizeof(tn_buf), reg->var_off);
			bpfdev_verbose(env,
				       "invalid variable-offset%s stack R%d var_off=%s size=%d\n",
				       err_extra, regno, tn_buf, access_size);
		}
	}
	return err;
}

static void scrub_spilled_slot(u8 *stype)
{
	if (*stype != STACK_INVALID)
		*stype = STACK_MISC;
}

static void save_register_state(struct bpfdev_func_state *state, int spi,
				const struct bpfdev_reg_state *reg, int size)
{
	int i;

	bpfdev_copy_register_state(&state->stack[spi].spilled_ptr, reg);
	if (size == BPF_REG_SIZE)
		state->stack[spi].spilled_ptr.live |= REG_LIVE_WRITTEN;
	for (i = BPF_REG_SIZE; i > BPF_REG_SIZE - size; i--)
		state->stack[spi].slot_type[i - 1] = STACK_SPILL;
	/* size < 8 bytes spill */
	for (; i; i--)
		scrub_spilled_slot(&state->stack[spi].slot_type[i - 1]);
}

static bool is_spillable_regtype(u32 type)
{
	switch (base_type(type)) {
	case PTR_TO_MAP_VALUE:
	case PTR_TO_STACK:
	case PTR_TO_CTX:
	case PTR_TO_PACKET:
	case PTR_TO_PACKET_META:
	case PTR_TO_PACKET_END:
	case CONST_PTR_TO_MAP:
	case PTR_TO_MEM:
	case PTR_TO_MAP_KEY:
		return true;
	default:
		return false;
	}
}

/* Write to a fixed offset of the stack: spills keep the register's state. */
static int check_stack_write_fixed_off(struct bpfdev_verifier *env,
				       struct bpfdev_func_state *state, int off, int size,
				       int value_regno, int insn_idx)
{
	struct bpfdev_func_state *cur = cur_func(env);
	int i, slot = -off - 1, spi = slot / BPF_REG_SIZE, err;
	u32 dst_reg = env->insns[insn_idx].dst_reg;
	struct bpfdev_reg_state *reg = NULL;

	err = bpfdev_grow_stack_state(state, (slot + BPF_REG_SIZE) / BPF_REG_SIZE * BPF_REG_SIZE);
	if (err)
		return err;
	/*
	 * caller checked that off % size == 0 and -MAX_BPF_STACK <= off < 0,
	 * so it's aligned access and [off, off + size) are within stack limits
	 */
	if (!env->allow_ptr_leaks && state->stack[spi].slot_type[0] == STACK_SPILL &&
	    size != BPF_REG_SIZE) {
		bpfdev_verbose(env, "attempt to corrupt spilled pointer on stack\n");
		return -EACCES;
	}
	if (value_regno >= 0)
		reg = &cur->regs[value_regno];
	bpfdev_mark_stack_slot_scratched(env, spi);
	if (reg && !(off % BPF_REG_SIZE) && bpfdev_register_is_bounded(reg) &&
	    !bpfdev_register_is_null(reg) && env->bpf_capable) {
		/*
		 * Backtracking only recognises spills at fixed [r10 - off]:
		 * through another register, make the value precise now.
		 */
		if (dst_reg != BPF_REG_FP) {
			err = bpfdev_mark_chain_precision(env, value_regno);
			if (err)
				return err;
		}
		save_register_state(state, spi, reg, size);
	} else if (reg && is_spillable_regtype(reg->type)) {
		/* register containing pointer is being spilled into stack */
		if (size != BPF_REG_SIZE) {
			bpfdev_verbose(env, "invalid size of register spill\n");
			return -EACCES;
		}
		if (state != cur && reg->type == PTR_TO_STACK) {
			bpfdev_verbose(env, "cannot spill pointers to stack into stack frame of the caller\n");
			return -EINVAL;
		}
		save_register_state(state, spi, reg, size);
	} else {
		u8 type = STACK_MISC;

		/* regular write of data into stack destroys any spilled ptr */
		state->stack[spi].spilled_ptr.type = NOT_INIT;
		/* Mark slots as STACK_MISC if they belonged to spilled ptr. */
		if (is_spilled_reg(&state->stack[spi]))
			for (i = 0; i < BPF_REG_SIZE; i++)
				scrub_spilled_slot(&state->stack[spi].slot_type[i]);
		/*
		 * Mark the slot written only when all 8 bytes are: a partial
		 * write must not stop read propagation.
		 */
		if (size == BPF_REG_SIZE)
			state->stack[spi].spilled_ptr.live |= REG_LIVE_WRITTEN;
		/* when we zero initialize stack slots mark them as such */
		if (reg && bpfdev_register_is_null(reg)) {
			/* backtracking doesn't follow STACK_ZERO */
			err = bpfdev_mark_chain_precision(env, value_regno);
			if (err)
				return err;
			type = STACK_ZERO;
		}
		/* Mark slots affected by this stack write. */
		for (i = 0; i < size; i++)
			state->stack[spi].slot_type[(slot - i) % BPF_REG_SIZE] = type;
	}
	return 0;
}

/*
 * Write to a variable offset of the stack: every slot it may hit loses any
 * spilled register and must already be initialised (we can't tell which
 * bytes this write covers).
 */
static int check_stack_write_var_off(struct bpfdev_verifier *env,
				     struct bpfdev_func_state *state, int ptr_regno, int off,
				     int size, int value_regno, int insn_idx)
{
	struct bpfdev_func_state *cur = cur_func(env);
	struct bpfdev_reg_state *ptr_reg = &cur->regs[ptr_regno];
	struct bpfdev_reg_state *value_reg = NULL;
	bool writing_zero = false;
	int min_off, max_off, i, err;

	if (value_regno >= 0)
		value_reg = &cur->regs[value_regno];
	if (value_reg && bpfdev_register_is_null(value_reg))
		writing_zero = true;

	min_off = ptr_reg->smin_value + off;
	max_off = ptr_reg->smax_value + off + size;
	err = bpfdev_grow_stack_state(state, -min_off);
	if (err)
		return err;
	for (i = min_off; i < max_off; i++) {
		int spi, slot = -i - 1;
		u8 new_type, *stype;

		spi = slot / BPF_REG_SIZE;
		stype = &state->stack[spi].slot_type[slot % BPF_REG_SIZE];
		bpfdev_mark_stack_slot_scratched(env, spi);
		if (!env->allow_ptr_leaks && *stype != STACK_MISC && *stype != STACK_ZERO) {
			/* A partially overwritten spill could leak. */
			bpfdev_verbose(env, "spilled ptr in range of var-offset stack write; insn %d, ptr off: %d",
				       insn_idx, i);
			return -EINVAL;
		}
		/* Erase all spilled pointers. */
		state->stack[spi].spilled_ptr.type = NOT_INIT;
		/* Update the slot type. */
		new_type = STACK_MISC;
		if (writing_zero && *stype == STACK_ZERO)
			new_type = STACK_ZERO;
		/*
		 * A slot this write may miss must not read as initialised:
		 * uninitialised stack is never readable here, even for root.
		 */
		if (*stype == STACK_INVALID) {
			bpfdev_verbose(env, "uninit stack in range of var-offset write prohibited for !root; insn %d, off: %d",
				       insn_idx, i);
			return -EINVAL;
		}
		*stype = new_type;
	}
	return 0;
}

/* Mark dst as the result of reading [min_off, max_off) of the stack. */
static void mark_reg_stack_read(struct bpfdev_verifier *env,
				const struct bpfdev_func_state *ptr_state,
				int min_off, int max_off, int dst_regno)
{
	struct bpfdev_func_state *state = cur_func(env);
	int i, slot, spi;
	u8 *stype;
	int zeros = 0;

	for (i = min_off; i < max_off; i++) {
		slot = -i - 1;
		spi = slot / BPF_REG_SIZE;
		stype = ptr_state->stack[spi].slot_type;
		if (stype[slot % BPF_REG_SIZE] != STACK_ZERO)
			break;
		zeros++;
	}
	if (zeros == max_off - min_off) {
		/* any access_size read into register is zero extended */
		__bpfdev_mark_reg_const_zero(&state->regs[dst_regno]);
	} else {
		/* have read misc data from the stack */
		bpfdev_mark_reg_unknown(env, state->regs, dst_regno);
	}
	state->regs[dst_regno].live |= REG_LIVE_WRITTEN;
}

static int check_stack_read_fixed_off(struct bpfdev_verifier *env,
				      struct bpfdev_func_state *reg_state, int off, int size,
				      int dst_regno)
{
	struct bpfdev_func_state *state = cur_func(env);
	int i, slot = -off - 1, spi = slot / BPF_REG_SIZE;
	struct bpfdev_reg_state *reg;
	u8 *stype, type;

	if (spi >= reg_state->allocated_stack / BPF_REG_SIZE) {
		bpfdev_verbose(env, "invalid read from stack off %d+%d size %d\n", off, 0, size);
		return -EACCES;
	}
	stype = reg_state->stack[spi].slot_type;
	reg = &reg_state->stack[spi].spilled_ptr;

	if (is_spilled_reg(&reg_state->stack[spi])) {
		u8 spill_size = 1;

		for (i = BPF_REG_SIZE - 1; i > 0 && stype[i - 1] == STACK_SPILL; i--)
			spill_size++;

		if (size != BPF_REG_SIZE || spill_size != BPF_REG_SIZE) {
			if (reg->type != SCALAR_VALUE) {
				bpfdev_verbose(env, "invalid size of register fill\n");
				return -EACCES;
			}
			bpfdev_mark_reg_read(env, reg, reg->parent, REG_LIVE_READ64);
			if (dst_regno < 0)
				return 0;
			if (!(off % BPF_REG_SIZE) && size == spill_size) {
				if (env->insns[env->insn_idx].src_reg != BPF_REG_FP) {
					int err = bpfdev_mark_chain_precision_stack(env, reg_state->frameno,
										    spi);

					if (err)
						return err;
				}
				bpfdev_copy_register_state(&state->regs[dst_regno], reg);
			} else {
				for (i = 0; i < size; i++) {
					type = stype[(slot - i) % BPF_REG_SIZE];
					if (type == STACK_SPILL || type == STACK_MISC ||
					    type == STACK_ZERO)
						continue;
					bpfdev_verbose(env,
						       "invalid read from stack off %d+%d size %d\n",
						       off, i, size);
					return -EACCES;
				}
				bpfdev_mark_reg_unknown(env, state->regs, dst_regno);
			}
			state->regs[dst_regno].live |= REG_LIVE_WRITTEN;
			return 0;
		}

		if (dst_regno >= 0 && reg->type == SCALAR_VALUE &&
		    env->insns[env->insn_idx].src_reg != BPF_REG_FP) {
			/* a fill backtracking won't see: the slot is precise now */
			int err = bpfdev_mark_chain_precision_stack(env, reg_state->frameno, spi);

			if (err)
				return err;
		}
		if (dst_regno >= 0) {
			/* restore register state from stack */
			bpfdev_copy_register_state(&state->regs[dst_regno], reg);
			state->regs[dst_regno].live |= REG_LIVE_WRITTEN;
		} else if (__bpfdev_is_pointer_value(env->allow_ptr_leaks, reg)) {
			/* Using a spilled pointer as a scalar (atomics) leaks it. */
			bpfdev_verbose(env, "leaking pointer from stack off %d\n", off);
			return -EACCES;
		}
		bpfdev_mark_reg_read(env, reg, reg->parent, REG_LIVE_READ64);
	} else {
		for (i = 0; i < size; i++) {
			type = stype[(slot - i) % BPF_REG_SIZE];
			if (type == STACK_MISC || type == STACK_ZERO)
				continue;
			bpfdev_verbose(env, "invalid read from stack off %d+%d size %d\n", off, i,
				       size);
			return -EACCES;
		}
		bpfdev_mark_reg_read(env, reg, reg->parent, REG_LIVE_READ64);
		if (dst_regno >= 0)
			mark_reg_stack_read(env, reg_state, off, off + size, dst_regno);
	}
	return 0;
}

/*
 * Check that stack bytes [off, off + access_size) of the register's frame
 * (plus its variable offset) are initialised; for helper memory
 * arguments (helper=true) and variable-offset reads.  raw_mode: the
 * helper fills the memory, so it needs no initialisation.
 */
static int check_stack_range_initialized(struct bpfdev_verifier *env, int regno, int off,
					 int access_size, bool zero_size_allowed,
					 bool helper, bool raw_mode)
{
	struct bpfdev_reg_state *reg = &cur_regs(env)[regno];
	struct bpfdev_func_state *state = func(env, reg);
	const char *err_extra = helper ? " indirect" : "";
	int err, min_off, max_off, i, j, slot, spi;

	if (access_size == 0 && !zero_size_allowed) {
		bpfdev_verbose(env, "invalid zero-sized read\n");
		return -EACCES;
	}
	err = check_stack_access_within_bounds(env, regno, off, access_size, helper,
					       raw_mode ? BPFDEV_WRITE : BPFDEV_READ);
	if (err)
		return err;

	if (tnum_is_const(reg->var_off)) {
		min_off = max_off = reg->var_off.value + off;
	} else {
		/*
		 * Variable offset is prohibited for unprivileged mode for
		 * simplicity since it requires corresponding support in
		 * Spectre masking for stack ALU.
		 */
		if (!env->bypass_spec_v1) {
			char tn_buf[48];

			bpfdev_tnum_strn(tn_buf, sizeof(tn_buf), reg->var_off);
			bpfdev_verbose(env, "R%d%s variable offset stack access prohibited for !root, var_off=%s\n",
				       regno, err_extra, tn_buf);
			return -EACCES;
		}
		/* Only initialized buffer on stack is allowed to be accessed
		 * with variable offset: with uninitialized buffer it's hard to
		 * guarantee that whole memory is marked as initialized on
		 * helper return since specific bounds are unknown what may
		 * cause uninitialized stack leaking.
		 */
		raw_mode = false;
		min_off = reg->smin_value + off;
		max_off = reg->smax_value + off;
	}

	if (raw_mode) {
		/* the helper writes it: make sure the slots exist */
		err = bpfdev_grow_stack_state(state, -min_off);
		if (err)
			return err;
		return update_stack_depth(env, state, min_off);
	}

	for (i = min_off; i < max_off + access_size; i++) {
		u8 *stype;

		slot = -i - 1;
		spi = slot / BPF_REG_SIZE;
		if (state->allocated_stack <= slot)
			goto err;
		stype = &state->stack[spi].slot_type[slot % BPF_REG_SIZE];
		if (*stype == STACK_MISC)
			goto mark;
		if (*stype == STACK_ZERO)
			goto mark;
		if (is_spilled_reg(&state->stack[spi]) &&
		    (state->stack[spi].spilled_ptr.type == SCALAR_VALUE ||
		     env->allow_ptr_leaks)) {
			goto mark;
		}
		if (*stype == STACK_SPILL && state->stack[spi].spilled_ptr.type == SCALAR_VALUE)
			goto mark;
err:
		if (tnum_is_const(reg->var_off)) {
			bpfdev_verbose(env, "invalid%s read from stack R%d off %d+%d size %d\n",
				       err_extra, regno, min_off, i - min_off, access_size);
		} else {
			char tn_buf[48];

			bpfdev_tnum_strn(tn_buf, sizeof(tn_buf), reg->var_off);
			bpfdev_verbose(env, "invalid%s read from stack R%d var_off %s+%d size %d\n",
				       err_extra, regno, tn_buf, i - min_off, access_size);
		}
		return -EACCES;
mark:
		/* reading any byte out of 8-byte 'spill_slot' will cause
		 * the whole slot to be marked as 'read'
		 */
		bpfdev_mark_reg_read(env, &state->stack[spi].spilled_ptr,
				     state->stack[spi].spilled_ptr.parent, REG_LIVE_READ64);
	}
	(void)j;
	return update_stack_depth(env, state, min_off);
}

static int check_stack_read(struct bpfdev_verifier *env, int ptr_regno, int off, int size,
			    int dst_regno)
{
	struct bpfdev_reg_state *reg = &cur_regs(env)[ptr_regno];
	struct bpfdev_func_state *state = func(env, reg);
	int err;
	/* Some accesses are only permitted with a static offset. */
	bool var_off = !tnum_is_const(reg->var_off);

	/* A value read from a variable offset must go to a register. */
	if (dst_regno < 0 && var_off) {
		char tn_buf[48];

		bpfdev_tnum_strn(tn_buf, sizeof(tn_buf), reg->var_off);
		bpfdev_verbose(env, "variable offset stack pointer cannot be passed into helper function; var_off=%s off=%d size=%d\n",
			       tn_buf, off, size);
		return -EACCES;
	}
	if (!env->bypass_spec_v1 && var_off) {
		char tn_buf[48];

		bpfdev_tnum_strn(tn_buf, sizeof(tn_buf), reg->var_off);
		bpfdev_verbose(env,
			       "R%d variable offset stack access prohibited for !root, var_off=%s\n",
			       ptr_regno, tn_buf);
		return -EACCES;
	}

	if (!var_off) {
		off += reg->var_off.value;
		err = check_stack_read_fixed_off(env, state, off, size, dst_regno);
	} else {
		/* Variable offset reads need every possible byte initialised. */
		err = check_stack_range_initialized(env, ptr_regno, off, size, false, false,
						    false);
		if (err)
			return err;
		mark_reg_stack_read(env, state, reg->smin_value + off,
				    reg->smax_value + off + size, dst_regno);
		/* the bytes may be spilled pointers too: the result is unknown */
		bpfdev_mark_reg_unknown(env, cur_regs(env), dst_regno);
	}
	return err;
}

static int check_stack_write(struct bpfdev_verifier *env, int ptr_regno, int off, int size,
			     int value_regno, int insn_idx)
{
	struct bpfdev_reg_state *reg = &cur_regs(env)[ptr_regno];
	struct bpfdev_func_state *state = func(env, reg);

	if (tnum_is_const(reg->var_off)) {
		off += reg->var_off.value;
		return check_stack_write_fixed_off(env, state, off, size, value_regno,
						   insn_idx);
	}
	return check_stack_write_var_off(env, state, ptr_regno, off, size, value_regno,
					 insn_idx);
}

/*
 * check whether memory at (regno + off) is accessible for t = (read | write)
 * if t==write, value_regno is a register which value is stored into memory
 * if t==read, value_regno is a register which will receive the value from
 * memory; value_regno == -1 means the value is not needed.
 */
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
		err = check_stack_access_within_bounds(env, regno, off, size, false, t);
		if (err)
			return err;
		err = update_stack_depth(env, func(env, reg),
					 off + (tnum_is_const(reg->var_off) ?
						(s32)reg->var_off.value : (s32)reg->smin_value));
		if (err)
			return err;
		if (t == BPFDEV_READ)
			err = check_stack_read(env, regno, off, size, value_regno);
		else
			err = check_stack_write(env, regno, off, size, value_regno, insn_idx);
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
		return check_stack_range_initialized(env, regno, reg->off, access_size,
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
