// SPDX-License-Identifier: GPL-2.0
/*
 * Calls and exits: helper calls checked against their prototypes and the
 * maps they accept, references acquired by ringbuf_reserve and released by
 * submit/discard, BPF-to-BPF calls with a frame each, the return value,
 * and the legacy packet loads that behave like calls.
 */

#include "verifier_internal.h"

#define CALLER_SAVED_REGS 6
static const int caller_saved[CALLER_SAVED_REGS] = {
	BPF_REG_0, BPF_REG_1, BPF_REG_2, BPF_REG_3, BPF_REG_4, BPF_REG_5
};

struct bpf_call_arg_meta {
	const struct bpfdev_map_desc *map_ptr;
	bool raw_mode;
	int regno;
	int access_size;
	int mem_size;
	u32 ref_obj_id;
	int release_regno;
	int func_id;
};

/* Register types a helper argument accepts, in the kernel's order. */
struct bpf_reg_types {
	u32 types[8];
};

static const struct bpf_reg_types map_key_value_types = {
	.types = { PTR_TO_STACK, PTR_TO_PACKET, PTR_TO_PACKET_META,
		   PTR_TO_MAP_KEY, PTR_TO_MAP_VALUE, NOT_INIT },
};

static const struct bpf_reg_types mem_types = {
	.types = { PTR_TO_STACK, PTR_TO_PACKET, PTR_TO_PACKET_META,
		   PTR_TO_MAP_KEY, PTR_TO_MAP_VALUE, PTR_TO_MEM,
		   PTR_TO_MEM | MEM_ALLOC, NOT_INIT },
};

static const struct bpf_reg_types alloc_mem_types = {
	.types = { PTR_TO_MEM | MEM_ALLOC, NOT_INIT },
};

static const struct bpf_reg_types context_types = {
	.types = { PTR_TO_CTX, NOT_INIT },
};

static const struct bpf_reg_types const_map_ptr_types = {
	.types = { CONST_PTR_TO_MAP, NOT_INIT },
};
static const struct bpf_reg_types scalar_types = {
	.types = { SCALAR_VALUE, NOT_INIT },
};

static const struct bpf_reg_types *compatible_reg_types(u8 arg_type)
{
	switch (arg_type) {
	case BPFDEV_ARG_PTR_TO_MAP_KEY:
	case BPFDEV_ARG_PTR_TO_MAP_VALUE:
		return &map_key_value_types;
	case BPFDEV_ARG_CONST_SIZE:
	case BPFDEV_ARG_CONST_SIZE_OR_ZERO:
	case BPFDEV_ARG_CONST_ALLOC_SIZE_OR_ZERO:
		return &scalar_types;
	case BPFDEV_ARG_CONST_MAP_PTR:
		return &const_map_ptr_types;
	case BPFDEV_ARG_PTR_TO_CTX:
		return &context_types;
	case BPFDEV_ARG_PTR_TO_MEM:
	case BPFDEV_ARG_PTR_TO_UNINIT_MEM:
		return &mem_types;
	case BPFDEV_ARG_PTR_TO_ALLOC_MEM:
		return &alloc_mem_types;
	default:
		return NULL;
	}
}

static int check_reg_type(struct bpfdev_verifier *env, u32 regno, u8 arg_type)
{
	const struct bpfdev_reg_state *reg = &cur_regs(env)[regno];
	const struct bpf_reg_types *compatible = compatible_reg_types(arg_type);
	int i, j;

	if (!compatible) {
		bpfdev_verbose(env, "verifier internal error: unsupported arg type %d\n", arg_type);
		return -EFAULT;
	}
	for (i = 0; i < (int)ARRAY_SIZE(compatible->types); i++) {
		u32 expected = compatible->types[i];

		if (expected == NOT_INIT)
			break;
		if (reg->type == expected)
			return 0;
	}
	bpfdev_verbose(env, "R%d type=%s expected=", regno, bpfdev_reg_type_str(env, reg->type));
	for (j = 0; j + 1 < i; j++)
		bpfdev_verbose(env, "%s, ", bpfdev_reg_type_str(env, compatible->types[j]));
	bpfdev_verbose(env, "%s\n", bpfdev_reg_type_str(env, compatible->types[j]));
	return -EACCES;
}

static int check_mem_size_reg(struct bpfdev_verifier *env, struct bpfdev_reg_state *reg,
			      u32 regno, bool zero_size_allowed,
			      struct bpf_call_arg_meta *meta)
{
	bool raw_mode = meta->raw_mode;
	int err;

	/*
	 * For variable sizes, disable raw mode: the program must initialise
	 * all the memory the helper could only partly fill.
	 */
	if (!tnum_is_const(reg->var_off))
		raw_mode = false;
	if (reg->smin_value < 0) {
		bpfdev_verbose(env,
			       "R%d min value is negative, either use unsigned or 'var &= const'\n",
			       regno);
		return -EACCES;
	}
	if (reg->umin_value == 0) {
		err = bpfdev_check_helper_mem_access(env, regno - 1, 0, zero_size_allowed,
						     raw_mode);
		if (err)
			return err;
	}
	if (reg->umax_value >= BPF_MAX_VAR_SIZ) {
		bpfdev_verbose(env, "R%d unbounded memory access, use 'var &= const' or 'if (var < const)'\n",
			       regno);
		return -EACCES;
	}
	err = bpfdev_check_helper_mem_access(env, regno - 1, reg->umax_value, zero_size_allowed,
					     raw_mode);
	if (!err)
		err = bpfdev_mark_chain_precision(env, regno);
	if (!err && raw_mode) {
		meta->regno = regno - 1;
		meta->access_size = reg->umax_value;
	}
	return err;
}

static int check_func_arg(struct bpfdev_verifier *env, u32 arg,
			  struct bpf_call_arg_meta *meta,
			  const struct bpfdev_func_proto *fn)
{
	u32 regno = BPF_REG_1 + arg;
	struct bpfdev_reg_state *regs = cur_regs(env), *reg = &regs[regno];
	u8 arg_type = fn->arg_type[arg];
	u32 type = reg->type;
	int err = 0;

	if (arg_type == BPFDEV_ARG_DONTCARE)
		return 0;
	err = bpfdev_check_reg_arg(env, regno, true);
	if (err)
		return err;
	if (arg_type == BPFDEV_ARG_ANYTHING) {
		if (bpfdev_is_pointer_value(env, regno)) {
			bpfdev_verbose(env, "R%d leaks addr into helper function\n", regno);
			return -EACCES;
		}
		return 0;
	}
	/* tc: only helpers with pkt_access (may_access_direct_pkt_data()'s meta) */
	if (type_is_pkt_pointer(type) &&
	    (!bpfdev_may_access_direct_pkt_data(env, BPFDEV_READ) ||
	     (bpfdev_prog_type_is_tc(env->prog_type) && !fn->pkt_access))) {
		bpfdev_verbose(env, "helper access to the packet is not allowed\n");
		return -EACCES;
	}
	err = check_reg_type(env, regno, arg_type);
	if (err)
		return err;

	/* Pointers that must be passed as they were returned. */
	if (arg_type == BPFDEV_ARG_PTR_TO_ALLOC_MEM && reg->off) {
		bpfdev_verbose(env, "R%d must have zero offset when passed to release func\n",
			       regno);
		return -EINVAL;
	}
	if (type == PTR_TO_CTX || arg_type == BPFDEV_ARG_PTR_TO_ALLOC_MEM) {
		err = bpfdev_check_ptr_off_reg(env, reg, regno);
		if (err)
			return err;
	}
	if (type == PTR_TO_CTX)
		bpfdev_tc_record_pkt_use(env);
	if (arg_type == BPFDEV_ARG_PTR_TO_ALLOC_MEM) {
		if (!reg->ref_obj_id) {
			bpfdev_verbose(env,
				       "R%d must be referenced when passed to release function\n",
				       regno);
			return -EINVAL;
		}
		meta->release_regno = regno;
	}
	if (reg->ref_obj_id) {
		if (meta->ref_obj_id) {
			bpfdev_verbose(env, "verifier internal error: more than one arg with ref_obj_id R%d %u %u\n",
				       regno, reg->ref_obj_id, meta->ref_obj_id);
			return -EFAULT;
		}
		meta->ref_obj_id = reg->ref_obj_id;
	}

	switch (arg_type) {
	case BPFDEV_ARG_CONST_MAP_PTR:
		/* bpf_map_xxx(map_ptr) call: remember that map_ptr */
		meta->map_ptr = reg->map_ptr;
		break;
	case BPFDEV_ARG_PTR_TO_MAP_KEY:
		/* [key, key + map->key_size) must be readable */
		if (!meta->map_ptr) {
			bpfdev_verbose(env, "invalid map_ptr to access map->key\n");
			return -EACCES;
		}
		err = bpfdev_check_helper_mem_access(env, regno, meta->map_ptr->key_size, false,
						     false);
		break;
	case BPFDEV_ARG_PTR_TO_MAP_VALUE:
		if (!meta->map_ptr) {
			bpfdev_verbose(env, "invalid map_ptr to access map->value\n");
			return -EACCES;
		}
		err = bpfdev_check_helper_mem_access(env, regno, meta->map_ptr->value_size, false,
						     false);
		break;
	case BPFDEV_ARG_PTR_TO_MEM:
		/* checked with the size argument that follows */
		meta->raw_mode = false;
		break;
	case BPFDEV_ARG_PTR_TO_UNINIT_MEM:
		meta->raw_mode = true;
		break;
	case BPFDEV_ARG_CONST_SIZE:
		err = check_mem_size_reg(env, reg, regno, false, meta);
		break;
	case BPFDEV_ARG_CONST_SIZE_OR_ZERO:
		err = check_mem_size_reg(env, reg, regno, true, meta);
		break;
	case BPFDEV_ARG_CONST_ALLOC_SIZE_OR_ZERO:
		if (!tnum_is_const(reg->var_off)) {
			bpfdev_verbose(env, "R%d is not a known constant'\n", regno);
			return -EACCES;
		}
		meta->mem_size = reg->var_off.value;
		err = bpfdev_mark_chain_precision(env, regno);
		break;
	default:
		break;
	}
	return err;
}

static int check_map_func_compatibility(struct bpfdev_verifier *env,
					const struct bpfdev_map_desc *map, int func_id)
{
	if (!map)
		return 0;

	/* We need a two way check, first is from map perspective ... */
	switch (map->type) {
	case BPF_MAP_TYPE_PROG_ARRAY:
		if (func_id != BPF_FUNC_tail_call)
			goto error;
		break;
	case BPF_MAP_TYPE_STACK_TRACE:
		if (func_id != BPF_FUNC_get_stackid)
			goto error;
		break;
	case BPF_MAP_TYPE_RINGBUF:
		if (func_id != BPF_FUNC_ringbuf_output &&
		    func_id != BPF_FUNC_ringbuf_reserve &&
		    func_id != BPF_FUNC_ringbuf_query)
			goto error;
		break;
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
	case BPF_MAP_TYPE_LPM_TRIE:
		break;
	default:
		bpfdev_verbose(env, "map_type %d is not supported\n", map->type);
		return -EINVAL;
	}

	/* ... and second from the function itself. */
	switch (func_id) {
	case BPF_FUNC_tail_call:
		if (map->type != BPF_MAP_TYPE_PROG_ARRAY)
			goto error;
		if (env->subprog_cnt > 1) {
			bpfdev_verbose(env, "tail_calls are not allowed in non-JITed programs with bpf-to-bpf calls\n");
			return -EINVAL;
		}
		break;
	case BPF_FUNC_ringbuf_output:
	case BPF_FUNC_ringbuf_reserve:
	case BPF_FUNC_ringbuf_query:
		if (map->type != BPF_MAP_TYPE_RINGBUF)
			goto error;
		break;
	case BPF_FUNC_get_stackid:
		if (map->type != BPF_MAP_TYPE_STACK_TRACE)
			goto error;
		break;
	default:
		break;
	}
	return 0;
error:
	bpfdev_verbose(env, "cannot pass map_type %d into func %s#%d\n",
		       map->type, bpfdev_helper_name(func_id), func_id);
	return -EINVAL;
}

static int acquire_reference_state(struct bpfdev_verifier *env, int insn_idx)
{
	struct bpfdev_verifier_state *state = env->cur_state;
	u32 id;

	if (state->acquired_refs >= BPFDEV_MAX_REFS) {
		bpfdev_verbose(env, "too many references held: %u\n", state->acquired_refs);
		return -E2BIG;
	}
	id = ++env->id_gen;
	state->refs[state->acquired_refs].id = id;
	state->refs[state->acquired_refs].insn_idx = insn_idx;
	state->acquired_refs++;
	return id;
}

static int release_reference(struct bpfdev_verifier *env, u32 ref_obj_id)
{
	struct bpfdev_verifier_state *vstate = env->cur_state;
	u32 i, f;
	int s;

	for (i = 0; i < vstate->acquired_refs; i++)
		if (vstate->refs[i].id == ref_obj_id)
			break;
	if (i == vstate->acquired_refs)
		return -EINVAL;
	vstate->refs[i] = vstate->refs[--vstate->acquired_refs];
	memset(&vstate->refs[vstate->acquired_refs], 0, sizeof(vstate->refs[0]));

	/* every copy of the released pointer becomes unusable */
	for (f = 0; f <= vstate->curframe; f++) {
		struct bpfdev_func_state *st = vstate->frame[f];

		for (s = 0; s < MAX_BPF_REG_; s++) {
			if (st->regs[s].ref_obj_id != ref_obj_id)
				continue;
			if (!env->allow_ptr_leaks)
				__bpfdev_mark_reg_not_init(env, &st->regs[s]);
			else
				__bpfdev_mark_reg_unknown(env, &st->regs[s]);
		}
		for (s = 0; s < st->allocated_stack / BPF_REG_SIZE; s++) {
			struct bpfdev_reg_state *reg = &st->stack[s].spilled_ptr;

			if (is_spilled_reg(&st->stack[s]) && reg->ref_obj_id == ref_obj_id) {
				__bpfdev_mark_reg_unknown(env, reg);
				if (!env->allow_ptr_leaks)
					/* unreadable as a pointer and as data */
					memset(st->stack[s].slot_type, STACK_INVALID,
					       sizeof(st->stack[s].slot_type));
			}
		}
	}
	return 0;
}

int bpfdev_check_reference_leak(struct bpfdev_verifier *env)
{
	struct bpfdev_verifier_state *state = env->cur_state;
	u32 i;

	for (i = 0; i < state->acquired_refs; i++)
		bpfdev_verbose(env, "Unreleased reference id=%d alloc_insn=%d\n",
			       state->refs[i].id, state->refs[i].insn_idx);
	return state->acquired_refs ? -EINVAL : 0;
}

static void clear_caller_saved_regs(struct bpfdev_verifier *env, struct bpfdev_reg_state *regs)
{
	int i;

	/* after the call registers r0 - r5 were scratched */
	for (i = 0; i < CALLER_SAVED_REGS; i++) {
		bpfdev_mark_reg_not_init(env, regs, caller_saved[i]);
		regs[caller_saved[i]].live |= REG_LIVE_WRITTEN;
		bpfdev_mark_reg_scratched(env, caller_saved[i]);
	}
}

static bool helper_offered(struct bpfdev_verifier *env, const struct bpfdev_func_proto *fn,
			   int func_id)
{
	const struct bpfdev_env *helpers = env->env_pub->helpers;

	if (fn->tier == BPFDEV_PROTO_INTERNAL && !env->allow_internal)
		return false;
	if (fn->tier == BPFDEV_PROTO_CAP_BPF && !env->bpf_capable)
		return false;
	if (fn->tier == BPFDEV_PROTO_PERFMON && !env->allow_ptr_leaks)
		return false;
	if (fn->socket_filter_only && env->prog_type != BPF_PROG_TYPE_SOCKET_FILTER)
		return false;
	if (fn->skb_ctx && env->prog_type != BPF_PROG_TYPE_SOCKET_FILTER &&
	    !bpfdev_prog_type_is_tc(env->prog_type))
		return false;
	if (fn->tc_only && !bpfdev_prog_type_is_tc(env->prog_type))
		return false;
	if (fn->trace_only && !bpfdev_prog_type_is_trace(env->prog_type))
		return false;
	if (helpers && !helpers->helpers[func_id])
		return false;
	return true;
}

int bpfdev_check_helper_call(struct bpfdev_verifier *env, struct bpf_insn *insn, int *insn_idx_p)
{
	const struct bpfdev_func_proto *fn = NULL;
	struct bpfdev_reg_state *regs;
	struct bpf_call_arg_meta meta;
	int insn_idx = *insn_idx_p;
	int i, err, func_id;

	/* find function prototype */
	func_id = insn->imm;
	if (!bpfdev_helper_id_valid(func_id)) {
		bpfdev_verbose(env, "invalid func %s#%d\n", bpfdev_helper_name(func_id), func_id);
		return -EINVAL;
	}
	fn = bpfdev_helper_proto(func_id);
	if (!fn || !helper_offered(env, fn, func_id)) {
		bpfdev_verbose(env, "unknown func %s#%d\n", bpfdev_helper_name(func_id), func_id);
		return -EINVAL;
	}

	/* eBPF programs must be GPL compatible to use GPL-ed functions */
	if (env->env_pub->non_gpl && fn->gpl_only) {
		bpfdev_verbose(env, "cannot call GPL-restricted function from non-GPL compatible program\n");
		return -EINVAL;
	}

	memset(&meta, 0, sizeof(meta));
	meta.func_id = func_id;
	/* check args */
	for (i = 0; i < 5; i++) {
		err = check_func_arg(env, i, &meta, fn);
		if (err)
			return err;
	}

	/* Mark slots with STACK_MISC in case of raw mode, stack offset is
	 * inferred from register state.
	 */
	for (i = 0; i < meta.access_size; i++) {
		err = bpfdev_check_mem_access(env, insn_idx, meta.regno, i, BPF_B, BPFDEV_WRITE,
					      -1, false);
		if (err)
			return err;
	}

	regs = cur_regs(env);
	if (meta.release_regno) {
		err = -EINVAL;
		if (meta.ref_obj_id)
			err = release_reference(env, meta.ref_obj_id);
		if (err) {
			bpfdev_verbose(env, "func %s#%d reference has not been acquired before\n",
				       bpfdev_helper_name(func_id), func_id);
			return err;
		}
	}

	if (func_id == BPF_FUNC_tail_call) {
		err = bpfdev_check_reference_leak(env);
		if (err) {
			bpfdev_verbose(env, "tail_call would lead to reference leak\n");
			return err;
		}
	}

	err = check_map_func_compatibility(env, meta.map_ptr, func_id);
	if (err)
		return err;
	bpfdev_record_func_map(env, insn_idx, func_id, meta.map_ptr);

	/* reset caller saved regs */
	clear_caller_saved_regs(env, regs);

	/* helper call returns 64-bit value. */
	regs[BPF_REG_0].subreg_def = DEF_NOT_SUBREG;

	/* update return register (already marked as written above) */
	switch (fn->ret_type) {
	case BPFDEV_RET_INTEGER:
		/* sets type to SCALAR_VALUE */
		bpfdev_mark_reg_unknown(env, regs, BPF_REG_0);
		break;
	case BPFDEV_RET_VOID:
		regs[BPF_REG_0].type = NOT_INIT;
		break;
	case BPFDEV_RET_PTR_TO_MAP_VALUE_OR_NULL:
		/* There is no offset yet applied, variable or fixed */
		bpfdev_mark_reg_known_zero(env, regs, BPF_REG_0);
		if (!meta.map_ptr) {
			bpfdev_verbose(env, "kernel subsystem misconfigured verifier\n");
			return -EINVAL;
		}
		regs[BPF_REG_0].map_ptr = meta.map_ptr;
		regs[BPF_REG_0].type = PTR_TO_MAP_VALUE | PTR_MAYBE_NULL;
		regs[BPF_REG_0].id = ++env->id_gen;
		break;
	case BPFDEV_RET_PTR_TO_ALLOC_MEM_OR_NULL:
		bpfdev_mark_reg_known_zero(env, regs, BPF_REG_0);
		regs[BPF_REG_0].type = PTR_TO_MEM | MEM_ALLOC | PTR_MAYBE_NULL;
		regs[BPF_REG_0].mem_size = meta.mem_size;
		err = acquire_reference_state(env, insn_idx);
		if (err < 0)
			return err;
		/* For mark_ptr_or_null_reg() and release_reference() */
		regs[BPF_REG_0].id = err;
		regs[BPF_REG_0].ref_obj_id = err;
		break;
	default:
		bpfdev_verbose(env, "unknown return type %u of func %s#%d\n",
			       fn->ret_type, bpfdev_helper_name(func_id), func_id);
		return -EINVAL;
	}
	if (fn->changes_pkt_data)
		bpfdev_clear_all_pkt_pointers(env);
	return 0;
}

int bpfdev_check_func_call(struct bpfdev_verifier *env, struct bpf_insn *insn, int *insn_idx)
{
	struct bpfdev_verifier_state *state = env->cur_state;
	struct bpfdev_func_state *caller, *callee;
	int i, subprog, target_insn;

	if (state->curframe + 1 >= BPF_MAX_CALL_FRAMES) {
		bpfdev_verbose(env, "the call stack of %d frames is too deep\n",
			       state->curframe + 2);
		return -E2BIG;
	}
	target_insn = *insn_idx + insn->imm + 1;
	subprog = bpfdev_find_subprog(env, target_insn);
	if (subprog < 0) {
		bpfdev_verbose(env, "verifier bug. No program starts at insn %d\n", target_insn);
		return -EFAULT;
	}
	caller = state->frame[state->curframe];
	if (state->frame[state->curframe + 1]) {
		bpfdev_verbose(env, "verifier bug. Frame %d already allocated\n",
			       state->curframe + 1);
		return -EFAULT;
	}
	callee = bpfdev_zalloc(sizeof(*callee));
	if (!callee)
		return -ENOMEM;
	state->frame[state->curframe + 1] = callee;

	/*
	 * callee cannot access r0, r6 - r9 for reading and has to write into
	 * its own stack before reading from it; it can use the caller's stack
	 * through pointers.
	 */
	callee->callsite = *insn_idx;
	callee->frameno = state->curframe + 1;
	callee->subprogno = subprog;
	bpfdev_init_reg_state(env, callee);
	/* r1 - r5 are the arguments, with their liveness links */
	for (i = BPF_REG_1; i <= BPF_REG_5; i++)
		callee->regs[i] = caller->regs[i];
	clear_caller_saved_regs(env, caller->regs);

	/* only increment it after check_reg_arg() finished */
	state->curframe++;
	/* and go analyze first insn of the callee */
	*insn_idx = env->subprog_info[subprog].start - 1;

	if (bpfdev_vlog_level(env, BPFDEV_LOG_LEVEL1 | BPFDEV_LOG_LEVEL2)) {
		bpfdev_verbose(env, "caller:\n");
		bpfdev_print_verifier_state(env, caller, true);
		bpfdev_verbose(env, "callee:\n");
		bpfdev_print_verifier_state(env, callee, true);
	}
	return 0;
}

int bpfdev_prepare_func_exit(struct bpfdev_verifier *env, int *insn_idx)
{
	struct bpfdev_verifier_state *state = env->cur_state;
	struct bpfdev_func_state *caller, *callee;
	struct bpfdev_reg_state *r0;

	callee = state->frame[state->curframe];
	r0 = &callee->regs[BPF_REG_0];
	if (r0->type == PTR_TO_STACK) {
		/* Only the callee's own stack dies, but be conservative. */
		bpfdev_verbose(env, "cannot return stack pointer to the caller\n");
		return -EINVAL;
	}
	caller = state->frame[state->curframe - 1];
	/* return to the caller whatever r0 had in the callee */
	bpfdev_copy_register_state(&caller->regs[BPF_REG_0], r0);
	caller->regs[BPF_REG_0].subreg_def = r0->subreg_def;
	caller->regs[BPF_REG_0].live |= REG_LIVE_WRITTEN;
	/* a read of the result depends on how the callee computed it */
	if (r0->type != NOT_INIT)
		bpfdev_mark_reg_read(env, r0, r0->parent, REG_LIVE_READ64);
	*insn_idx = callee->callsite + 1;
	if (bpfdev_vlog_level(env, BPFDEV_LOG_LEVEL1 | BPFDEV_LOG_LEVEL2)) {
		bpfdev_verbose(env, "returning from callee:\n");
		bpfdev_print_verifier_state(env, callee, true);
		bpfdev_verbose(env, "to caller at %d:\n", *insn_idx);
		bpfdev_print_verifier_state(env, caller, true);
	}
	/* clear everything in the callee */
	bpfdev_free(callee->stack);
	bpfdev_free(callee);
	state->frame[state->curframe--] = NULL;
	return 0;
}

int bpfdev_check_return_code(struct bpfdev_verifier *env)
{
	int err;

	/*
	 * R0 is the program's result: it must have been written on every
	 * path, and may not carry an address out of the kernel.
	 */
	err = bpfdev_check_reg_arg(env, BPF_REG_0, true);
	if (err)
		return err;
	if (bpfdev_is_pointer_value(env, BPF_REG_0)) {
		bpfdev_verbose(env, "R0 leaks addr as return value\n");
		return -EACCES;
	}
	/* socket filters: any scalar is a snap length */
	return 0;
}

bool bpfdev_prog_may_ld_abs(u32 prog_type)
{
	return prog_type == BPF_PROG_TYPE_SOCKET_FILTER ||
	       bpfdev_prog_type_is_tc(prog_type);
}

int bpfdev_check_ld_abs(struct bpfdev_verifier *env, struct bpf_insn *insn)
{
	struct bpfdev_reg_state *regs = cur_regs(env);
	static const int ctx_reg = BPF_REG_6;
	u8 mode = BPF_MODE(insn->code);
	int err;

	if (!bpfdev_prog_may_ld_abs(env->prog_type)) {
		bpfdev_verbose(env,
			       "BPF_LD_[ABS|IND] instructions not allowed for this program type\n");
		return -EINVAL;
	}
	if (insn->dst_reg != BPF_REG_0 || insn->off != 0 ||
	    BPF_SIZE(insn->code) == BPF_DW ||
	    (mode == BPF_ABS && insn->src_reg != BPF_REG_0)) {
		bpfdev_verbose(env, "BPF_LD_[ABS|IND] uses reserved fields\n");
		return -EINVAL;
	}
	/* check whether implicit source operand (register R6) is readable */
	err = bpfdev_check_reg_arg(env, ctx_reg, true);
	if (err)
		return err;
	/* A failing load ends the program: no reference may be held. */
	err = bpfdev_check_reference_leak(env);
	if (err) {
		bpfdev_verbose(env, "BPF_LD_[ABS|IND] cannot be mixed with socket references\n");
		return err;
	}
	if (regs[ctx_reg].type != PTR_TO_CTX) {
		bpfdev_verbose(env, "at the time of BPF_LD_ABS|IND R6 != pointer to skb\n");
		return -EINVAL;
	}
	if (mode == BPF_IND) {
		/* check explicit source operand */
		err = bpfdev_check_reg_arg(env, insn->src_reg, true);
		if (err)
			return err;
	}
	err = bpfdev_check_ptr_off_reg(env, &regs[ctx_reg], ctx_reg);
	if (err < 0)
		return err;
	bpfdev_tc_record_pkt_use(env);
	/* reset caller saved regs to unreadable */
	clear_caller_saved_regs(env, regs);
	/*
	 * R0 holds the value fetched from the packet, up to 32 bits; the
	 * kernel knows no more of it (so neither its bounds nor a pointer
	 * plus it are more than any scalar's): as check_ld_abs().
	 */
	bpfdev_mark_reg_unknown(env, regs, BPF_REG_0);
	regs[BPF_REG_0].subreg_def = env->insn_idx + 1;
	return 0;
}
