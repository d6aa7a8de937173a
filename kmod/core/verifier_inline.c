// SPDX-License-Identifier: GPL-2.0
/*
 * Array-map lookups inlined into the program, as the kernel's
 * do_misc_fixups() does with array_map_gen_lookup(): a call of
 * bpf_map_lookup_elem() that only ever sees one array map becomes the
 * index check and the address computation, no call.  The verifier records
 * the map each lookup call sees (record_func_map(): a second map poisons
 * the call, which stays a call), and this pass runs after the Spectre
 * rewrites, before the 32-bit pass, as in bpf_check().
 *
 * bpfdev's array keeps its values behind a pointer in the map (the host
 * says where: map_desc.h gen_lookup_off), so the patch loads it where the
 * kernel adds the offset of its inline values.  The index is masked for
 * callers without CAP_PERFMON, whose lookups the kernel masks too (it asks
 * the map's creator; bpfdev asks the loader).  The same pass refuses a
 * tail call that sees two prog arrays from such a caller, as the kernel's.
 */

#include "verifier_internal.h"

#define GEN_LOOKUP_MAX	8

void bpfdev_record_func_map(struct bpfdev_verifier *env, int insn_idx, int func_id,
			    const struct bpfdev_map_desc *map)
{
	struct bpfdev_insn_aux_data *aux = &env->aux[insn_idx];

	if ((func_id != BPF_FUNC_map_lookup_elem && func_id != BPF_FUNC_tail_call) || !map)
		return;
	if (!aux->map_ptr)
		aux->map_ptr = map;
	else if (aux->map_ptr != map)
		aux->map_ptr_poison = true;
}

static u32 ilog2_u32(u32 v)
{
	u32 r = 0;

	while (v >>= 1)
		r++;
	return r;
}

static u32 index_mask(u32 max_entries)
{
	u32 m = max_entries - 1;

	/* roundup_pow_of_two(max_entries) - 1 */
	m |= m >> 1;
	m |= m >> 2;
	m |= m >> 4;
	m |= m >> 8;
	m |= m >> 16;
	return m;
}

/* array_map_gen_lookup(): r1 = map, r2 = &key; r0 = &value or NULL. */
static u32 gen_lookup(const struct bpfdev_map_desc *map, bool mask, struct bpf_insn *to)
{
	struct bpf_insn *insn = to;
	u32 elem_size = map->elem_size;

	*insn++ = INSN_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_1, map->gen_lookup_off);
	*insn++ = INSN_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_2, 0);
	*insn++ = INSN_JMP_IMM(BPF_JGE, BPF_REG_0, map->max_entries, mask ? 4 : 3);
	if (mask)
		*insn++ = INSN_ALU32_IMM(BPF_AND, BPF_REG_0, index_mask(map->max_entries));
	if (!(elem_size & (elem_size - 1)))
		*insn++ = INSN_ALU64_IMM(BPF_LSH, BPF_REG_0, ilog2_u32(elem_size));
	else
		*insn++ = INSN_ALU64_IMM(BPF_MUL, BPF_REG_0, elem_size);
	*insn++ = INSN_ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_1);
	*insn++ = INSN_JMP_A(1);
	*insn++ = INSN_MOV64_IMM(BPF_REG_0, 0);
	return insn - to;
}

static bool can_gen_lookup(const struct bpf_insn *insn, const struct bpfdev_insn_aux_data *aux)
{
	const struct bpfdev_map_desc *map = aux->map_ptr;

	return insn->code == (BPF_JMP | BPF_CALL) && insn->src_reg == 0 &&
	       insn->imm == BPF_FUNC_map_lookup_elem && map && !aux->map_ptr_poison &&
	       map->gen_lookup && map->max_entries && map->max_entries <= (u32)S32_MAX &&
	       map->elem_size && map->elem_size <= (u32)S32_MAX;
}

/*
 * do_misc_fixups()'s rule for tail calls by callers without CAP_PERFMON:
 * the kernel bounds and masks their index against the one prog array the
 * call sees, so a call that sees two is refused.  bpfdev masks against the
 * map at run time and needs no single map, but refuses the same programs.
 */
static int check_tail_call_maps(struct bpfdev_verifier *env)
{
	u32 i;

	if (env->bypass_spec_v1)
		return 0;
	for (i = 0; i < env->len; i++) {
		const struct bpf_insn *insn = &env->insns[i];

		if (insn->code == (BPF_JMP | BPF_CALL) && insn->src_reg == 0 &&
		    insn->imm == BPF_FUNC_tail_call && env->aux[i].map_ptr_poison) {
			bpfdev_verbose(env, "tail_call abusing map_ptr\n");
			return -EINVAL;
		}
	}
	return 0;
}

int bpfdev_inline_map_lookups(struct bpfdev_verifier *env)
{
	struct bpf_insn patch[GEN_LOOKUP_MAX];
	u32 i, len = env->len, delta = 0;
	int err;

	err = check_tail_call_maps(env);
	if (err)
		return err;
	for (i = 0; i < len; i++) {
		u32 at = i + delta, cnt;

		if (bpfdev_insn_is_ld_imm64(&env->insns[at])) {
			i++;
			continue;
		}
		if (!can_gen_lookup(&env->insns[at], &env->aux[at]))
			continue;
		cnt = gen_lookup(env->aux[at].map_ptr, !env->bypass_spec_v1, patch);
		err = bpfdev_patch_insn_data(env, at, patch, cnt);
		if (err)
			return err;
		delta += cnt - 1;
	}
	return 0;
}
