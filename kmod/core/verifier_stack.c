// SPDX-License-Identifier: GPL-2.0
/*
 * The stack: which slots an access reaches, spilling registers and
 * reading them back, and what a read of misc, zero or invalid slots
 * yields; the depth each subprogram uses.
 */

#include "verifier_internal.h"

int bpfdev_update_stack_depth(struct bpfdev_verifier *env, const struct bpfdev_func_state *func,
			      int off)
{
	u32 *stack = &env->subprog_info[func->subprogno].stack_depth;

	if (*stack >= (u32)-off)
		return 0;
	/* update known max for given subprogram */
	*stack = -off;
	return 0;
}

static int check_stack_slot_within_bounds(const struct bpfdev_verifier *env, int off,
					  const struct bpfdev_func_state *state, int t)
{
	int min_valid_off;

	/* CAP_PERFMON may read stack never written (allow_uninit_stack) */
	if (t == BPFDEV_WRITE || env->allow_uninit_stack)
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
int bpfdev_check_stack_access_within_bounds(struct bpfdev_verifier *env, int regno, int off,
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

	err = check_stack_slot_within_bounds(env, min_off, state, type);
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
	case PTR_TO_SOCK_COMMON:
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
	const struct bpf_insn *insn = &env->insns[insn_idx];
	bool st_mem = BPF_CLASS(insn->code) == BPF_ST && BPF_MODE(insn->code) == BPF_MEM;
	u32 dst_reg = insn->dst_reg;
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
	if (!env->bypass_spec_v4) {
		/*
		 * Spectre v4: a later load may speculatively bypass this
		 * store and read the pointer or stale bytes that were there;
		 * a barrier after the store (verifier_patch.c) stops it.
		 */
		bool sanitize = reg && is_spillable_regtype(reg->type);

		for (i = 0; i < size; i++) {
			u8 type = state->stack[spi].slot_type[i];

			if (type != STACK_MISC && type != STACK_ZERO) {
				sanitize = true;
				break;
			}
		}
		if (sanitize)
			env->aux[insn_idx].sanitize_stack_spill = true;
	}
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
	} else if (!reg && !(off % BPF_REG_SIZE) && st_mem && insn->imm && env->bpf_capable) {
		/* BPF_ST of a constant: read back, it is that constant */
		struct bpfdev_reg_state fake_reg = {};

		__bpfdev_mark_reg_known(&fake_reg, (s64)insn->imm);
		fake_reg.type = SCALAR_VALUE;
		save_register_state(state, spi, &fake_reg, size);
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
		if ((reg && bpfdev_register_is_null(reg)) || (!reg && st_mem && !insn->imm)) {
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
		 * A slot this write may miss would read as initialised: only
		 * callers who may read uninitialised stack anyway (CAP_PERFMON,
		 * allow_uninit_stack) may let it.
		 */
		if (*stype == STACK_INVALID && !env->allow_uninit_stack) {
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
		int err;

		if (!env->allow_uninit_stack) {
			bpfdev_verbose(env, "invalid read from stack off %d+%d size %d\n", off, 0,
				       size);
			return -EACCES;
		}
		/* never written: its slots read as STACK_INVALID below */
		err = bpfdev_grow_stack_state(reg_state, (slot + BPF_REG_SIZE) / BPF_REG_SIZE *
						      BPF_REG_SIZE);
		if (err)
			return err;
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
					int err;

					err = bpfdev_mark_chain_precision_stack(env,
										reg_state->frameno,
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
					if (type == STACK_INVALID && env->allow_uninit_stack)
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
			if (type == STACK_INVALID && env->allow_uninit_stack)
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
int bpfdev_check_stack_range_initialized(struct bpfdev_verifier *env, int regno, int off,
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
	err = bpfdev_check_stack_access_within_bounds(env, regno, off, access_size, helper,
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
		return bpfdev_update_stack_depth(env, state, min_off);
	}

	for (i = min_off; i < max_off + access_size; i++) {
		u8 *stype;

		slot = -i - 1;
		spi = slot / BPF_REG_SIZE;
		if (state->allocated_stack <= slot) {
			if (!env->allow_uninit_stack)
				goto err;
			err = bpfdev_grow_stack_state(state, (slot + BPF_REG_SIZE) /
							     BPF_REG_SIZE * BPF_REG_SIZE);
			if (err)
				return err;
		}
		stype = &state->stack[spi].slot_type[slot % BPF_REG_SIZE];
		if (*stype == STACK_MISC)
			goto mark;
		/* a helper may write anything there: 6.1 forgets what it knew */
		if (*stype == STACK_ZERO ||
		    (*stype == STACK_INVALID && env->allow_uninit_stack)) {
			if (helper)
				*stype = STACK_MISC;
			goto mark;
		}
		if (is_spilled_reg(&state->stack[spi]) &&
		    (state->stack[spi].spilled_ptr.type == SCALAR_VALUE ||
		     env->allow_ptr_leaks)) {
			if (helper) {
				__bpfdev_mark_reg_unknown(env, &state->stack[spi].spilled_ptr);
				for (j = 0; j < BPF_REG_SIZE; j++)
					scrub_spilled_slot(&state->stack[spi].slot_type[j]);
			}
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
	return bpfdev_update_stack_depth(env, state, min_off);
}

int bpfdev_check_stack_read(struct bpfdev_verifier *env, int ptr_regno, int off, int size,
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
		err = bpfdev_check_stack_range_initialized(env, ptr_regno, off, size, false, false,
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

int bpfdev_check_stack_write(struct bpfdev_verifier *env, int ptr_regno, int off, int size,
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
