// SPDX-License-Identifier: GPL-2.0
/*
 * The verifier's driver: set up, check the structure, walk every path of
 * the program (do_check) and turn the program into what the engine runs.
 * See verifier_internal.h for how the work is split.
 */

#include "verifier_internal.h"

const char *bpfdev_prog_type_name(u32 prog_type)
{
	switch (prog_type) {
	case BPF_PROG_TYPE_SOCKET_FILTER:
		return "socket_filter";
	case BPF_PROG_TYPE_SCHED_CLS:
		return "sched_cls";
	case BPF_PROG_TYPE_SCHED_ACT:
		return "sched_act";
	case BPF_PROG_TYPE_KPROBE:
		return "kprobe";
	case BPF_PROG_TYPE_TRACEPOINT:
		return "tracepoint";
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
		return "raw_tracepoint";
	case BPF_PROG_TYPE_PERF_EVENT:
		return "perf_event";
	default:
		return "unknown";
	}
}

static void print_verification_stats(struct bpfdev_verifier *env, u64 ns)
{
	u32 i;

	if (bpfdev_vlog_level(env, BPFDEV_LOG_STATS)) {
		bpfdev_verbose(env, "verification time %llu usec\n",
			       (unsigned long long)(ns / 1000));
		bpfdev_verbose(env, "stack depth ");
		for (i = 0; i < env->subprog_cnt; i++) {
			bpfdev_verbose(env, "%d", env->subprog_info[i].stack_depth);
			if (i + 1 < env->subprog_cnt)
				bpfdev_verbose(env, "+");
		}
		bpfdev_verbose(env, "\n");
	}
	bpfdev_verbose(env, "processed %d insns (limit %d) max_states_per_insn %d total_states %d peak_states %d mark_read %d\n",
		       env->insn_processed, BPFDEV_COMPLEXITY_LIMIT_INSNS,
		       env->max_states_per_insn, env->total_states, env->peak_states,
		       env->mark_read);
}

static int check_ld_imm(struct bpfdev_verifier *env, struct bpf_insn *insn)
{
	struct bpfdev_insn_aux_data *aux = &env->aux[env->insn_idx];
	struct bpfdev_reg_state *regs = cur_regs(env);
	struct bpfdev_reg_state *dst_reg;
	int err;

	if (BPF_SIZE(insn->code) != BPF_DW) {
		bpfdev_verbose(env, "invalid BPF_LD_IMM insn\n");
		return -EINVAL;
	}
	if (insn->off != 0) {
		bpfdev_verbose(env, "BPF_LD_IMM64 uses reserved fields\n");
		return -EINVAL;
	}
	err = bpfdev_check_reg_arg(env, insn->dst_reg, false);
	if (err)
		return err;
	bpfdev_mark_reg_unknown(env, regs, insn->dst_reg);
	dst_reg = &regs[insn->dst_reg];
	if (insn->src_reg == 0) {
		u64 imm = ((u64)(insn + 1)->imm << 32) | (u32)insn->imm;

		dst_reg->type = SCALAR_VALUE;
		__bpfdev_mark_reg_known(dst_reg, imm);
		return 0;
	}
	/* a map pointer or a pointer into a map value, offset zeroed */
	bpfdev_mark_reg_known_zero(env, regs, insn->dst_reg);
	dst_reg->map_ptr = aux->map_ptr;
	if (insn->src_reg == BPF_PSEUDO_MAP_VALUE) {
		dst_reg->type = PTR_TO_MAP_VALUE;
		dst_reg->off = aux->map_off;
	} else if (insn->src_reg == BPF_PSEUDO_MAP_FD) {
		dst_reg->type = CONST_PTR_TO_MAP;
	} else {
		bpfdev_verbose(env, "bpf verifier is misconfigured\n");
		return -EINVAL;
	}
	return 0;
}

static int check_jmp_class(struct bpfdev_verifier *env, struct bpf_insn *insn,
			   bool *exit_path)
{
	u8 opcode = BPF_OP(insn->code);
	u8 class = BPF_CLASS(insn->code);
	int err;

	env->jmps_processed++;
	if (opcode == BPF_CALL) {
		if (BPF_SRC(insn->code) != BPF_K || insn->off != 0 ||
		    (insn->src_reg != BPF_REG_0 && insn->src_reg != BPF_PSEUDO_CALL) ||
		    insn->dst_reg != BPF_REG_0 || class == BPF_JMP32) {
			bpfdev_verbose(env, "BPF_CALL uses reserved fields\n");
			return -EINVAL;
		}
		if (insn->src_reg == BPF_PSEUDO_CALL)
			return bpfdev_check_func_call(env, insn, &env->insn_idx);
		return bpfdev_check_helper_call(env, insn, &env->insn_idx);
	}
	if (opcode == BPF_JA) {
		if (class == BPF_JMP32) {
			/* gotol: the offset is in imm */
			if (BPF_SRC(insn->code) != BPF_K || insn->off != 0 ||
			    insn->src_reg != BPF_REG_0 || insn->dst_reg != BPF_REG_0) {
				bpfdev_verbose(env, "BPF_JA uses reserved fields\n");
				return -EINVAL;
			}
			env->insn_idx += insn->imm;
			return 0;
		}
		if (BPF_SRC(insn->code) != BPF_K || insn->imm != 0 ||
		    insn->src_reg != BPF_REG_0 || insn->dst_reg != BPF_REG_0) {
			bpfdev_verbose(env, "BPF_JA uses reserved fields\n");
			return -EINVAL;
		}
		env->insn_idx += insn->off;
		return 0;
	}
	if (opcode == BPF_EXIT) {
		if (BPF_SRC(insn->code) != BPF_K || insn->imm != 0 ||
		    insn->src_reg != BPF_REG_0 || insn->dst_reg != BPF_REG_0 ||
		    class == BPF_JMP32) {
			bpfdev_verbose(env, "BPF_EXIT uses reserved fields\n");
			return -EINVAL;
		}
		if (env->cur_state->curframe) {
			/* exit from nested function */
			err = bpfdev_prepare_func_exit(env, &env->insn_idx);
			if (err)
				return err;
			env->insn_idx--;	/* the caller's loop steps past the call */
			return 0;
		}
		err = bpfdev_check_reference_leak(env);
		if (err)
			return err;
		err = bpfdev_check_return_code(env);
		if (err)
			return err;
		*exit_path = true;
		return 0;
	}
	return bpfdev_check_cond_jmp_op(env, insn, &env->insn_idx);
}

static int do_check_insn(struct bpfdev_verifier *env, struct bpf_insn *insn,
			 bool *exit_path)
{
	u8 class = BPF_CLASS(insn->code);

	switch (class) {
	case BPF_ALU:
	case BPF_ALU64:
		return bpfdev_check_alu_op(env, insn);
	case BPF_LDX:
		return bpfdev_check_load(env, insn);
	case BPF_STX:
		if (BPF_MODE(insn->code) == BPF_ATOMIC)
			return bpfdev_check_atomic(env, env->insn_idx, insn);
		if (BPF_MODE(insn->code) != BPF_MEM || insn->imm != 0) {
			bpfdev_verbose(env, "BPF_STX uses reserved fields\n");
			return -EINVAL;
		}
		return bpfdev_check_store(env, insn);
	case BPF_ST:
		if (BPF_MODE(insn->code) != BPF_MEM || insn->src_reg != BPF_REG_0) {
			bpfdev_verbose(env, "BPF_ST uses reserved fields\n");
			return -EINVAL;
		}
		return bpfdev_check_st(env, insn);
	case BPF_JMP:
	case BPF_JMP32:
		return check_jmp_class(env, insn, exit_path);
	case BPF_LD: {
		u8 mode = BPF_MODE(insn->code);

		if (mode == BPF_ABS || mode == BPF_IND)
			return bpfdev_check_ld_abs(env, insn);
		if (mode == BPF_IMM) {
			int err = check_ld_imm(env, insn);

			if (!err) {
				env->insn_idx++;
				bpfdev_sanitize_mark_insn_seen(env);
			}
			return err;
		}
		bpfdev_verbose(env, "invalid BPF_LD mode\n");
		return -EINVAL;
	}
	default:
		bpfdev_verbose(env, "unknown insn class %d\n", class);
		return -EINVAL;
	}
}

/*
 * A million instructions take a while: let the kernel run others and a
 * fatal signal end the load, as the kernel's do_check() does.
 */
static int check_resched(struct bpfdev_verifier *env)
{
	if (!(env->insn_processed & 1023))
		return bpfdev_yield();
	return 0;
}

static int do_check(struct bpfdev_verifier *env)
{
	bool pop_log = !bpfdev_vlog_level(env, BPFDEV_LOG_LEVEL2);
	bool do_print_state = false;
	int prev_insn_idx = -1;

	for (;;) {
		struct bpfdev_verifier_state *state = env->cur_state;
		bool exit_path = false;
		struct bpf_insn *insn;
		int err;

		env->prev_insn_idx = prev_insn_idx;
		if (env->insn_idx < 0 || env->insn_idx >= (int)env->len) {
			bpfdev_verbose(env, "invalid insn idx %d insn_cnt %d\n", env->insn_idx,
				       env->len);
			return -EFAULT;
		}
		insn = &env->insns[env->insn_idx];

		if (++env->insn_processed > BPFDEV_COMPLEXITY_LIMIT_INSNS) {
			bpfdev_verbose(env, "BPF program is too large. Processed %d insn\n",
				       env->insn_processed);
			return -E2BIG;
		}

		err = check_resched(env);
		if (err)
			return err;

		if (env->aux[env->insn_idx].prune_point) {
			err = bpfdev_is_state_visited(env, env->insn_idx);
			if (err < 0)
				return err;
			if (err == 1) {
				/* found equivalent state, can prune the search */
				if (bpfdev_vlog_level(env, BPFDEV_LOG_LEVEL1 | BPFDEV_LOG_LEVEL2)) {
					if (do_print_state)
						bpfdev_verbose(env, "\nfrom %d to %d%s: safe\n",
							       env->prev_insn_idx, env->insn_idx,
							       env->cur_state->speculative ?
							       " (speculative execution)" : "");
					else
						bpfdev_verbose(env, "%d: safe\n", env->insn_idx);
				}
				goto process_bpf_exit;
			}
		}

		/* a non-sequential step: precision backtracking needs it */
		if (prev_insn_idx >= 0 && env->insn_idx != prev_insn_idx + 1) {
			err = bpfdev_push_jmp_history(env, state);
			if (err)
				return err;
		}

		if (bpfdev_vlog_level(env, BPFDEV_LOG_LEVEL2) && do_print_state) {
			bpfdev_verbose(env, "\nfrom %d to %d%s:", env->prev_insn_idx, env->insn_idx,
				       state->speculative ? " (speculative execution)" : "");
			bpfdev_print_verifier_state(env, state->frame[state->curframe], true);
			do_print_state = false;
		}

		if (bpfdev_vlog_level(env, BPFDEV_LOG_LEVEL1 | BPFDEV_LOG_LEVEL2)) {
			if (bpfdev_verifier_state_scratched(env))
				bpfdev_print_insn_state(env, state->frame[state->curframe]);
			env->prev_log_len = bpfdev_vlog_pos(env);
			bpfdev_verbose(env, "%d: ", env->insn_idx);
			bpfdev_print_bpf_insn(env, insn);
			env->prev_insn_print_len = bpfdev_vlog_pos(env) - env->prev_log_len;
			env->prev_log_len = bpfdev_vlog_pos(env);
		}

		bpfdev_sanitize_mark_insn_seen(env);
		prev_insn_idx = env->insn_idx;

		err = do_check_insn(env, insn, &exit_path);
		if (err) {
			env->env_pub->err_insn = prev_insn_idx;
			return err;
		}
		if (!exit_path) {
			env->insn_idx++;
			continue;
		}
process_bpf_exit:
		bpfdev_mark_verifier_state_scratched(env);
		bpfdev_update_branch_counts(env, env->cur_state);
		err = bpfdev_pop_stack(env, &prev_insn_idx, &env->insn_idx, pop_log);
		if (err < 0) {
			if (err != -ENOENT)
				return err;
			break;
		}
		do_print_state = true;
	}
	return 0;
}

static int do_check_main(struct bpfdev_verifier *env)
{
	bool pop_log = !bpfdev_vlog_level(env, BPFDEV_LOG_LEVEL2);
	struct bpfdev_verifier_state *state;
	struct bpfdev_reg_state *regs;
	int ret;

	env->id_gen = 0;
	state = bpfdev_alloc_state();
	if (!state)
		return -ENOMEM;
	state->curframe = 0;
	state->branches = 1;
	state->frame[0] = bpfdev_zalloc(sizeof(struct bpfdev_func_state));
	if (!state->frame[0]) {
		bpfdev_free(state);
		return -ENOMEM;
	}
	env->cur_state = state;
	state->frame[0]->callsite = -1;
	state->frame[0]->frameno = 0;
	state->frame[0]->subprogno = 0;
	bpfdev_init_reg_state(env, state->frame[0]);
	regs = state->frame[0]->regs;
	/* 1st arg to a function */
	regs[BPF_REG_1].type = PTR_TO_CTX;
	bpfdev_mark_reg_known_zero(env, regs, BPF_REG_1);

	env->insn_idx = 0;
	/* the first instruction's line shows the initial state */
	bpfdev_mark_verifier_state_scratched(env);
	ret = do_check(env);

	if (env->cur_state) {
		bpfdev_free_verifier_state(env->cur_state, true);
		env->cur_state = NULL;
	}
	bpfdev_free_stack(env);
	if (!ret && pop_log)
		bpfdev_vlog_reset(env, 0);
	return ret;
}

/* Map references become the host's pointers: plain 64-bit immediates. */
static void convert_pseudo_ld_imm64(struct bpfdev_verifier *env)
{
	u32 i;

	for (i = 0; i < env->len; i++) {
		struct bpf_insn *insn = &env->insns[i];
		const struct bpfdev_map_desc *map = env->aux[i].map_ptr;
		u64 addr;

		if (!bpfdev_insn_is_ld_imm64(insn))
			continue;
		if (insn->src_reg && map) {
			if (insn->src_reg == BPF_PSEUDO_MAP_VALUE)
				addr = (u64)(unsigned long)map->value_base + env->aux[i].map_off;
			else
				addr = (u64)(unsigned long)map->host;
			insn[0].imm = (u32)addr;
			insn[1].imm = addr >> 32;
			insn->src_reg = 0;
		}
		i++;
	}
}

static int setup(struct bpfdev_verifier *env, struct bpfdev_verifier_env *pub)
{
	bool bpf_capable = pub->privileged || pub->bpf_capable;
	bool perfmon_capable = pub->privileged || pub->perfmon_capable;
	u32 i;

	env->env_pub = pub;
	env->log = pub->log;
	env->len = pub->len;
	env->prog_type = pub->prog_type;
	/* as bpf_check(): bpf_allow_ptr_leaks() and the rest are perfmon_capable() */
	env->allow_ptr_leaks = perfmon_capable;
	env->allow_uninit_stack = perfmon_capable;
	env->bypass_spec_v1 = perfmon_capable;
	env->bypass_spec_v4 = perfmon_capable;
	env->bpf_capable = bpf_capable;
	env->allow_internal = pub->internal;
	env->track_precision = bpf_capable && !pub->all_precise;
	env->insns = bpfdev_zalloc_array(pub->len, sizeof(struct bpf_insn));
	env->aux = bpfdev_zalloc_array(pub->len, sizeof(struct bpfdev_insn_aux_data));
	env->explored_states = bpfdev_zalloc_array(pub->len, sizeof(void *));
	if (!env->insns || !env->aux || !env->explored_states)
		return -ENOMEM;
	memcpy(env->insns, pub->insns, pub->len * sizeof(struct bpf_insn));
	for (i = 0; i < pub->len; i++)
		env->aux[i].orig_idx = i;
	return 0;
}

static int finish(struct bpfdev_verifier *env, struct bpfdev_verifier_env *pub)
{
	u32 i;
	int ret;

	/* bpf_check()'s order: the 32-bit pass sees the other passes' patches */
	ret = bpfdev_convert_ctx_accesses(env);
	if (ret)
		return ret;
	/* as bpf_check() for !bpf_capable (root's dead code is removed there) */
	if (!env->bpf_capable)
		bpfdev_sanitize_dead_code(env);
	ret = bpfdev_patch_sanitize(env);
	if (!ret)
		ret = bpfdev_inline_map_lookups(env);
	if (!ret)
		ret = bpfdev_opt_subreg_zext_lo32_rnd_hi32(env);
	if (ret)
		return ret;
	convert_pseudo_ld_imm64(env);
	pub->orig_idx = bpfdev_zalloc_array(env->len, sizeof(u32));
	if (!pub->orig_idx)
		return -ENOMEM;
	for (i = 0; i < env->len; i++)
		pub->orig_idx[i] = env->aux[i].orig_idx;
	pub->xlated = env->insns;
	pub->xlated_len = env->len;
	env->insns = NULL;
	return 0;
}

int bpfdev_verify(struct bpfdev_verifier_env *pub)
{
	struct bpfdev_verifier *env;
	u64 start = bpfdev_ktime_ns();
	u32 i;
	int ret;

	pub->err_insn = -1;
	pub->xlated = NULL;
	pub->orig_idx = NULL;
	pub->used_map_cnt = 0;
	pub->max_pkt_offset = 0;
	pub->max_ctx_offset = 0;
	if (!pub->insns || pub->len == 0)
		return -EINVAL;
	if (pub->len > BPF_MAX_INSNS_PER_PROG)
		return -E2BIG;
	env = bpfdev_zalloc(sizeof(*env));
	if (!env)
		return -ENOMEM;
	ret = setup(env, pub);
	if (ret)
		goto out;
	if (!bpfdev_prog_type_supported(pub->prog_type)) {
		bpfdev_verbose(env, "unsupported program type %u\n", pub->prog_type);
		ret = -EINVAL;
		goto out;
	}

	ret = bpfdev_check_structure(env);
	if (!ret)
		ret = bpfdev_check_subprogs(env);
	if (!ret)
		ret = bpfdev_check_cfg(env);
	if (!ret)
		ret = do_check_main(env);
	bpfdev_free_explored_states(env);
	if (!ret)
		ret = bpfdev_check_max_stack_depth(env);
	if (!ret)
		ret = finish(env, pub);
	print_verification_stats(env, bpfdev_ktime_ns() - start);

	pub->verified_insns = env->insn_processed;
	pub->total_states = env->total_states;
	pub->peak_states = env->peak_states;
	pub->max_states_per_insn = env->max_states_per_insn;
	pub->subprog_cnt = env->subprog_cnt;
	for (i = 0; i < env->subprog_cnt; i++) {
		pub->subprog_start[i] = env->subprog_info[i].start;
		pub->stack_depth[i] = env->subprog_info[i].stack_depth;
	}
	if (bpfdev_log_enabled(env->log) &&
	    (env->log->truncated || env->log->len >= env->log->size - 1))
		ret = -ENOSPC;
out:
	/* a sink's last messages; a fault there shows in log->faulted */
	bpfdev_log_flush(pub->log);
	if (ret)
		bpfdev_verifier_env_release(pub);
	/* setup()'s, when a check before the walk ended the load */
	bpfdev_free_explored_states(env);
	bpfdev_free(env->insns);
	bpfdev_free(env->aux);
	bpfdev_free(env->states_per_insn);
	bpfdev_free(env);
	return ret;
}

void bpfdev_verifier_env_release(struct bpfdev_verifier_env *pub)
{
	bpfdev_free(pub->xlated);
	bpfdev_free(pub->orig_idx);
	pub->xlated = NULL;
	pub->orig_idx = NULL;
	pub->xlated_len = 0;
}
