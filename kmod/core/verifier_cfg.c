// SPDX-License-Identifier: GPL-2.0
/*
 * Structure and control flow, before any abstract interpretation: every
 * opcode valid, LD_IMM64 whole and never entered in its second half,
 * jumps inside their subprogram, every instruction reachable, back-edges
 * only where bounded loops are allowed, and the combined stack of the
 * deepest call chain.
 */

#include "verifier_internal.h"
#include "opcodes.h"

enum {
	DISCOVERED = 0x10,
	EXPLORED = 0x20,
	FALLTHROUGH = 1,
	BRANCH = 2,
};

enum {
	DONE_EXPLORING = 0,
	KEEP_EXPLORING = 1,
};

static bool is_pseudo_call(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL) && insn->src_reg == BPF_PSEUDO_CALL;
}

/* Jump target of a jump instruction (gotol keeps its offset in imm). */
static int jmp_target(const struct bpf_insn *insn, int i)
{
	if (insn->code == (BPF_JMP32 | BPF_JA))
		return i + insn->imm + 1;
	return i + insn->off + 1;
}

/* The second half of an LD_IMM64 is not an instruction of its own. */
static bool is_ldimm64_tail(struct bpfdev_verifier *env, int i)
{
	return env->aux[i].ldimm64_tail;
}

int bpfdev_find_subprog(struct bpfdev_verifier *env, int off)
{
	u32 lo = 0, hi = env->subprog_cnt;

	while (lo < hi) {
		u32 mid = (lo + hi) / 2;

		if ((int)env->subprog_info[mid].start == off)
			return mid;
		if ((int)env->subprog_info[mid].start < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -ENOENT;
}

static int add_subprog(struct bpfdev_verifier *env, int off)
{
	int ret, i;

	if (off >= (int)env->len || off < 0) {
		bpfdev_verbose(env, "call to invalid destination\n");
		return -EINVAL;
	}
	ret = bpfdev_find_subprog(env, off);
	if (ret >= 0)
		return ret;
	if (env->subprog_cnt >= BPFDEV_MAX_SUBPROGS) {
		bpfdev_verbose(env, "too many subprograms\n");
		return -E2BIG;
	}
	/* keep starts sorted: the end is one before the next start */
	for (i = env->subprog_cnt; i > 0 && (int)env->subprog_info[i - 1].start > off; i--)
		env->subprog_info[i] = env->subprog_info[i - 1];
	memset(&env->subprog_info[i], 0, sizeof(env->subprog_info[i]));
	env->subprog_info[i].start = off;
	env->subprog_cnt++;
	return i;
}

/*
 * Opcodes, registers' range, whole LD_IMM64s and their pseudo sources;
 * the kernel does this in resolve_pseudo_ldimm64().
 */
int bpfdev_check_structure(struct bpfdev_verifier *env)
{
	u32 i;

	for (i = 0; i < env->len; i++) {
		struct bpf_insn *insn = &env->insns[i];

		if (BPF_CLASS(insn->code) == BPF_LDX &&
		    ((BPF_MODE(insn->code) != BPF_MEM && BPF_MODE(insn->code) != BPF_MEMSX) ||
		     insn->imm != 0)) {
			bpfdev_verbose(env, "BPF_LDX uses reserved fields\n");
			return -EINVAL;
		}
		if (bpfdev_insn_is_ld_imm64(insn)) {
			if (i == env->len - 1 || insn[1].code != 0 || insn[1].dst_reg != 0 ||
			    insn[1].src_reg != 0 || insn[1].off != 0) {
				bpfdev_verbose(env, "invalid bpf_ld_imm64 insn\n");
				return -EINVAL;
			}
			switch (insn->src_reg) {
			case 0:
			case BPF_PSEUDO_MAP_VALUE:
				break;
			case BPF_PSEUDO_MAP_FD:
				if (insn[1].imm == 0)
					break;
				fallthrough;
			default:
				bpfdev_verbose(env, "unrecognized bpf_ld_imm64 insn\n");
				return -EINVAL;
			}
			env->aux[i + 1].ldimm64_tail = true;
			i++;
			continue;
		}
		/* Basic sanity check before we invest more time into processing */
		if (!bpfdev_opcode_valid(insn->code)) {
			bpfdev_verbose(env, "unknown opcode %02x\n", insn->code);
			return -EINVAL;
		}
		if (insn->code == (BPF_JMP | BPF_CALL | BPF_X)) {
			/* callx: not a verifiable call */
			bpfdev_verbose(env, "unknown opcode %02x\n", insn->code);
			return -EINVAL;
		}
		if (insn->dst_reg >= MAX_BPF_REG_ || insn->src_reg >= MAX_BPF_REG_) {
			if (!(BPF_CLASS(insn->code) == BPF_JMP && BPF_OP(insn->code) == BPF_CALL)) {
				bpfdev_verbose(env, "R%d is invalid\n",
					       insn->dst_reg >= MAX_BPF_REG_ ? insn->dst_reg : insn->src_reg);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/* Resolve map references of LD_IMM64s into descriptors (kept in aux). */
static int resolve_pseudo_ldimm64(struct bpfdev_verifier *env)
{
	struct bpfdev_verifier_env *pub = env->env_pub;
	u32 i, j;

	for (i = 0; i < env->len; i++) {
		struct bpf_insn *insn = &env->insns[i];
		const struct bpfdev_map_desc *map = NULL;
		int err;

		if (!bpfdev_insn_is_ld_imm64(insn))
			continue;
		if (insn->src_reg == 0) {
			i++;
			continue;
		}
		err = pub->map_resolve ? pub->map_resolve(pub->map_priv, insn->src_reg,
							  insn->imm, &map) : -EBADF;
		if (err || !map) {
			bpfdev_verbose(env, "fd %d is not pointing to valid bpf_map\n", insn->imm);
			return err ? err : -EBADF;
		}
		if (insn->src_reg == BPF_PSEUDO_MAP_VALUE) {
			u32 off = insn[1].imm;

			if (off >= BPF_MAX_VAR_OFF) {
				bpfdev_verbose(env, "direct value offset of %u is not allowed\n",
					       off);
				return -EINVAL;
			}
			if (!map->value_base) {
				bpfdev_verbose(env,
					       "no direct value access support for this map type\n");
				return -EINVAL;
			}
			if (map->max_entries != 1 || off >= map->value_size) {
				bpfdev_verbose(env, "invalid access to map value pointer, value_size=%u off=%u\n",
					       map->value_size, off);
				return -EINVAL;
			}
			env->aux[i].map_off = off;
		}
		env->aux[i].map_ptr = map;
		for (j = 0; j < pub->used_map_cnt; j++)
			if (pub->used_maps[j] == map)
				break;
		if (j == pub->used_map_cnt) {
			if (pub->used_map_cnt >= BPFDEV_MAX_USED_MAPS)
				return -E2BIG;
			pub->used_maps[pub->used_map_cnt++] = map;
		}
		i++;
	}
	return 0;
}

/* Subprograms start at the targets of BPF-to-BPF calls; jumps stay inside. */
int bpfdev_check_subprogs(struct bpfdev_verifier *env)
{
	struct bpfdev_subprog_info *subprog = env->subprog_info;
	int i, subprog_start, subprog_end, off, cur_subprog = 0, ret;
	int insn_cnt = env->len;
	struct bpf_insn *insn = env->insns;

	ret = resolve_pseudo_ldimm64(env);
	if (ret)
		return ret;
	/* Add entry function. */
	ret = add_subprog(env, 0);
	if (ret < 0)
		return ret;
	for (i = 0; i < insn_cnt; i++) {
		if (bpfdev_insn_is_ld_imm64(&insn[i])) {
			i++;
			continue;
		}
		if (!is_pseudo_call(&insn[i]))
			continue;
		if (!env->bpf_capable) {
			bpfdev_verbose(env, "loading/calling other bpf or kernel functions are allowed for CAP_BPF and CAP_SYS_ADMIN\n");
			return -EPERM;
		}
		ret = add_subprog(env, i + insn[i].imm + 1);
		if (ret < 0)
			return ret;
	}
	/* A fake 'exit' subprog simplifies the iterations below. */
	subprog[env->subprog_cnt].start = insn_cnt;
	if (bpfdev_vlog_level(env, BPFDEV_LOG_LEVEL2))
		for (i = 0; i < (int)env->subprog_cnt; i++)
			bpfdev_verbose(env, "func#%d @%d\n", i, subprog[i].start);

	/* now check that all jumps are within the same subprog */
	subprog_start = subprog[cur_subprog].start;
	subprog_end = subprog[cur_subprog + 1].start;
	for (i = 0; i < insn_cnt; i++) {
		u8 code = insn[i].code;

		if (code == (BPF_JMP | BPF_CALL) && insn[i].imm == BPF_FUNC_tail_call &&
		    insn[i].src_reg == 0)
			subprog[cur_subprog].has_tail_call = true;
		if (BPF_CLASS(code) == BPF_LD &&
		    (BPF_MODE(code) == BPF_ABS || BPF_MODE(code) == BPF_IND))
			subprog[cur_subprog].has_ld_abs = true;
		if (bpfdev_insn_is_ld_imm64(&insn[i])) {
			if (i + 1 == subprog_end) {
				bpfdev_verbose(env, "invalid bpf_ld_imm64 insn\n");
				return -EINVAL;
			}
			i++;
			goto next;
		}
		if (BPF_CLASS(code) != BPF_JMP && BPF_CLASS(code) != BPF_JMP32)
			goto next;
		if (BPF_OP(code) == BPF_EXIT || BPF_OP(code) == BPF_CALL)
			goto next;
		off = jmp_target(&insn[i], i);
		if (off < subprog_start || off >= subprog_end) {
			bpfdev_verbose(env, "jump out of range from insn %d to %d\n", i, off);
			return -EINVAL;
		}
		if (is_ldimm64_tail(env, off)) {
			bpfdev_verbose(env, "jump into the middle of ldimm64 insn %d\n", off - 1);
			return -EINVAL;
		}
next:
		if (i == subprog_end - 1) {
			/* no fall-through from one subprog into another */
			if (code != (BPF_JMP | BPF_EXIT) && code != (BPF_JMP | BPF_JA) &&
			    code != (BPF_JMP32 | BPF_JA)) {
				bpfdev_verbose(env, "last insn is not an exit or jmp\n");
				return -EINVAL;
			}
			subprog_start = subprog_end;
			cur_subprog++;
			if (cur_subprog < (int)env->subprog_cnt)
				subprog_end = subprog[cur_subprog + 1].start;
		}
	}
	if (env->subprog_cnt > 1) {
		for (i = 0; i < (int)env->subprog_cnt; i++) {
			if (subprog[i].has_ld_abs) {
				bpfdev_verbose(env, "BPF_LD_[ABS|IND] instructions are not allowed in programs with bpf-to-bpf calls\n");
				return -EINVAL;
			}
		}
	}
	return 0;
}

struct cfg_state {
	int *insn_state;
	int *insn_stack;
	int cur_stack;
};

static void init_explored_state(struct bpfdev_verifier *env, int idx)
{
	env->aux[idx].prune_point = true;
}

/*
 * t, w, e - match pseudo-code above:
 * t - index of current instruction
 * w - next instruction
 * e - edge
 */
static int push_insn(struct bpfdev_verifier *env, struct cfg_state *cfg, int t, int w,
		     int e, bool loop_ok)
{
	int *insn_stack = cfg->insn_stack;
	int *insn_state = cfg->insn_state;

	if (e == FALLTHROUGH && insn_state[t] >= (DISCOVERED | FALLTHROUGH))
		return DONE_EXPLORING;
	if (e == BRANCH && insn_state[t] >= (DISCOVERED | BRANCH))
		return DONE_EXPLORING;
	if (w < 0 || w >= (int)env->len) {
		bpfdev_verbose(env, "jump out of range from insn %d to %d\n", t, w);
		return -EINVAL;
	}
	if (e == BRANCH)
		/* mark branch target for state pruning */
		init_explored_state(env, w);
	if (insn_state[w] == 0) {
		/* tree-edge */
		insn_state[t] = DISCOVERED | e;
		insn_state[w] = DISCOVERED;
		if (cfg->cur_stack >= (int)env->len)
			return -E2BIG;
		insn_stack[cfg->cur_stack++] = w;
		return KEEP_EXPLORING;
	} else if ((insn_state[w] & 0xF0) == DISCOVERED) {
		if (loop_ok && env->bpf_capable)
			return DONE_EXPLORING;
		bpfdev_verbose(env, "back-edge from insn %d to %d\n", t, w);
		return -EINVAL;
	} else if (insn_state[w] == EXPLORED) {
		/* forward- or cross-edge */
		insn_state[t] = DISCOVERED | e;
	} else {
		bpfdev_verbose(env, "insn state internal bug\n");
		return -EFAULT;
	}
	return DONE_EXPLORING;
}

static int visit_insn(struct bpfdev_verifier *env, struct cfg_state *cfg, int t)
{
	struct bpf_insn *insns = env->insns;
	int ret, w;

	if (bpfdev_insn_is_ld_imm64(&insns[t]))
		return push_insn(env, cfg, t, t + 2, FALLTHROUGH, false);
	/* All non-branch instructions have a single fall-through edge. */
	if (BPF_CLASS(insns[t].code) != BPF_JMP && BPF_CLASS(insns[t].code) != BPF_JMP32)
		return push_insn(env, cfg, t, t + 1, FALLTHROUGH, false);

	switch (BPF_OP(insns[t].code)) {
	case BPF_EXIT:
		return DONE_EXPLORING;
	case BPF_CALL:
		ret = push_insn(env, cfg, t, t + 1, FALLTHROUGH, false);
		if (ret)
			return ret;
		if (t + 1 < (int)env->len)
			init_explored_state(env, t + 1);
		if (is_pseudo_call(&insns[t])) {
			init_explored_state(env, t);
			ret = push_insn(env, cfg, t, t + insns[t].imm + 1, BRANCH, false);
		}
		return ret;
	case BPF_JA:
		if (BPF_SRC(insns[t].code) != BPF_K)
			return -EINVAL;
		w = jmp_target(&insns[t], t);
		/* unconditional jump with single edge */
		ret = push_insn(env, cfg, t, w, FALLTHROUGH, true);
		if (ret)
			return ret;
		init_explored_state(env, w);
		/* check for equivalent states after every call and jump */
		if (t + 1 < (int)env->len)
			init_explored_state(env, t + 1);
		return ret;
	default:
		/* conditional jump with two edges */
		init_explored_state(env, t);
		ret = push_insn(env, cfg, t, t + 1, FALLTHROUGH, true);
		if (ret)
			return ret;
		return push_insn(env, cfg, t, t + insns[t].off + 1, BRANCH, true);
	}
}

/*
 * Non-recursive depth-first search to detect loops in BPF program:
 * loop == back-edge in directed graph.
 */
int bpfdev_check_cfg(struct bpfdev_verifier *env)
{
	struct cfg_state cfg;
	int insn_cnt = env->len;
	int ret = 0, i;

	cfg.insn_state = bpfdev_zalloc_array(insn_cnt, sizeof(int));
	cfg.insn_stack = bpfdev_zalloc_array(insn_cnt, sizeof(int));
	if (!cfg.insn_state || !cfg.insn_stack) {
		ret = -ENOMEM;
		goto err_free;
	}
	cfg.insn_state[0] = DISCOVERED; /* mark 1st insn as discovered */
	cfg.insn_stack[0] = 0; /* 0 is the first instruction */
	cfg.cur_stack = 1;

	while (cfg.cur_stack > 0) {
		int t = cfg.insn_stack[cfg.cur_stack - 1];

		ret = visit_insn(env, &cfg, t);
		switch (ret) {
		case DONE_EXPLORING:
			cfg.insn_state[t] = EXPLORED;
			cfg.cur_stack--;
			break;
		case KEEP_EXPLORING:
			break;
		default:
			if (ret > 0) {
				bpfdev_verbose(env, "visit_insn internal bug\n");
				ret = -EFAULT;
			}
			goto err_free;
		}
	}
	for (i = 0; i < insn_cnt; i++) {
		if (bpfdev_insn_is_ld_imm64(&env->insns[i]) && cfg.insn_state[i] == EXPLORED) {
			i++;
			continue;
		}
		if (cfg.insn_state[i] != EXPLORED) {
			bpfdev_verbose(env, "unreachable insn %d\n", i);
			ret = -EINVAL;
			goto err_free;
		}
	}
	ret = 0; /* cfg looks good */
err_free:
	bpfdev_free(cfg.insn_state);
	bpfdev_free(cfg.insn_stack);
	return ret;
}

static int round_up_32(u32 v)
{
	return (v + 31) / 32 * 32;
}

/*
 * starting from main bpf function walk all instructions of the function
 * and recursively walk all callees that given function can call.
 * Since recursion is prevented by check_cfg() this algorithm
 * only needs a local stack of MAX_CALL_FRAMES to remember callsites
 */
int bpfdev_check_max_stack_depth(struct bpfdev_verifier *env)
{
	int depth = 0, frame = 0, idx = 0, i = 0, subprog_end;
	struct bpfdev_subprog_info *subprog = env->subprog_info;
	struct bpf_insn *insn = env->insns;
	int ret_insn[BPF_MAX_CALL_FRAMES];
	int ret_prog[BPF_MAX_CALL_FRAMES];

process_func:
	/* round up to 32-bytes, the interpreter's stack granularity */
	depth += round_up_32(max_t(u32, subprog[idx].stack_depth, 1));
	if (depth > BPF_MAX_STACK) {
		bpfdev_verbose(env, "combined stack size of %d calls is %d. Too large\n",
			       frame + 1, depth);
		return -EACCES;
	}
continue_func:
	subprog_end = subprog[idx + 1].start;
	for (; i < subprog_end; i++) {
		int next_insn;

		if (!is_pseudo_call(insn + i))
			continue;
		/* remember insn and function to return to */
		ret_insn[frame] = i + 1;
		ret_prog[frame] = idx;

		/* find the callee */
		next_insn = i + insn[i].imm + 1;
		idx = bpfdev_find_subprog(env, next_insn);
		if (idx < 0) {
			bpfdev_verbose(env, "verifier bug. No program starts at insn %d\n",
				       next_insn);
			return -EFAULT;
		}
		i = next_insn;
		frame++;
		if (frame >= BPF_MAX_CALL_FRAMES) {
			bpfdev_verbose(env, "the call stack of %d frames is too deep !\n", frame);
			return -E2BIG;
		}
		goto process_func;
	}
	/* the last insn of the subprog was reached */
	if (frame == 0)
		return 0;
	depth -= round_up_32(max_t(u32, subprog[idx].stack_depth, 1));
	frame--;
	i = ret_insn[frame];
	idx = ret_prog[frame];
	goto continue_func;
}
