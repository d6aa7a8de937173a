// SPDX-License-Identifier: GPL-2.0
/*
 * Array-map lookups inlined by the verifier (verifier_inline.c), as the
 * kernel's array_map_gen_lookup(): the xlated program has no call left
 * and the kernel's instruction shape (the index masked for a caller
 * without CAP_PERFMON), it finds the right value, answers NULL past the
 * end, and a call that sees two maps stays a call.
 */

#include <stdio.h>
#include <string.h>
#include "tap.h"
#include "interp.h"
#include "verifier.h"
#include "../common/test_verifier_host.h"

/* A host array in the shape the desc describes: values behind a pointer. */
struct fake_array {
	u64	pad[3];
	u64	*value;
};

static u64 values_a[5] = { 10, 11, 12, 13, 14 };
static u64 values_b[3] = { 20, 21, 22 };
static struct fake_array arr_a = { .value = values_a };
static struct fake_array arr_b = { .value = values_b };
static struct bpfdev_map_desc desc_a, desc_b;

static int il_resolve(void *priv, u32 src_reg, s32 fd, const struct bpfdev_map_desc **desc)
{
	*desc = fd == 1 ? &desc_a : &desc_b;
	return 0;
}

static void il_desc(struct bpfdev_map_desc *d, struct fake_array *a, u32 n)
{
	memset(d, 0, sizeof(*d));
	d->type = BPF_MAP_TYPE_ARRAY;
	d->key_size = 4;
	d->value_size = 8;
	d->max_entries = n;
	d->host = a;
	d->gen_lookup = true;
	d->gen_lookup_off = offsetof(struct fake_array, value);
	d->elem_size = 8;
}

/* What the call does where the lookup stays a call. */
static u64 il_lookup(u64 map, u64 key, u64 a3, u64 a4, u64 a5)
{
	struct fake_array *a = (struct fake_array *)(uintptr_t)map;
	const struct bpfdev_map_desc *d = a == &arr_a ? &desc_a : &desc_b;
	u32 k = *(const u32 *)(uintptr_t)key;

	if (k >= d->max_entries)
		return 0;
	return (uintptr_t)((char *)a->value + (size_t)k * d->elem_size);
}

static const struct bpfdev_env il_env = {
	.helpers = { [BPF_FUNC_map_lookup_elem] = il_lookup },
};

static char il_log[1 << 16];

static int il_verify(const struct bpf_insn *insns, u32 len, bool priv,
		     struct bpfdev_verifier_env *env)
{
	struct bpfdev_log log = { .level = 1, .buf = il_log, .size = sizeof(il_log) };

	memset(env, 0, sizeof(*env));
	env->insns = insns;
	env->len = len;
	env->prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	env->privileged = priv;
	env->bpf_capable = true;
	env->perfmon_capable = priv;
	env->log = &log;
	env->map_resolve = il_resolve;
	env->helpers = &il_env;
	il_log[0] = 0;
	return bpfdev_verify(env);
}

static u64 il_run(const struct bpfdev_verifier_env *env)
{
	struct bpfdev_code code = {
		.insns = env->xlated, .len = env->xlated_len,
		.type = BPF_PROG_TYPE_SOCKET_FILTER,
		.stack_depth = env->stack_depth[0], .env = &il_env,
	};
	static u8 pkt[64];
	struct bpfdev_skb skb;

	bpfdev_skb_init_linear(&skb, pkt, sizeof(pkt));
	return bpfdev_interp_run(&code, &skb);
}

static bool il_has_call(const struct bpfdev_verifier_env *env)
{
	u32 i;

	for (i = 0; i < env->xlated_len; i++)
		if (env->xlated[i].code == (BPF_JMP | BPF_CALL))
			return true;
	return false;
}

static bool il_has_and32(const struct bpfdev_verifier_env *env, s32 mask)
{
	u32 i;

	for (i = 0; i < env->xlated_len; i++)
		if (env->xlated[i].code == (BPF_ALU | BPF_AND | BPF_K) &&
		    env->xlated[i].imm == mask)
			return true;
	return false;
}

/* key = KEY; r0 = lookup(map fd FD, &key); return r0 ? *r0 : 99 */
#define LOOKUP(FD, KEY)							\
	INSN_ST_MEM(BPF_W, BPF_REG_10, -4, KEY),			\
	INSN_LD_MAP_FD(BPF_REG_1, FD),					\
	INSN_MOV64_REG(BPF_REG_2, BPF_REG_10),				\
	INSN_ALU64_IMM(BPF_ADD, BPF_REG_2, -4),				\
	INSN_CALL(BPF_FUNC_map_lookup_elem),				\
	INSN_JMP_IMM(BPF_JNE, BPF_REG_0, 0, 2),				\
	INSN_MOV64_IMM(BPF_REG_0, 99),					\
	INSN_EXIT(),							\
	INSN_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_0, 0),			\
	INSN_EXIT()

static void il_one(const char *name, const struct bpf_insn *p, u32 n, bool priv,
		   u64 want, bool inlined)
{
	struct bpfdev_verifier_env env;
	int err = il_verify(p, n, priv, &env);
	u64 r0 = err ? ~0ULL : il_run(&env);

	if (err)
		tap_diag("%s", il_log);
	ok(!err && r0 == want, "%s: r0 %llu, want %llu", name, (unsigned long long)r0,
	   (unsigned long long)want);
	ok(!err && il_has_call(&env) == !inlined, "%s: %s", name,
	   inlined ? "no call left" : "still a call");
	if (inlined && !priv)
		ok(!err && il_has_and32(&env, 7), "%s: the index masked (w0 &= 7)", name);
	bpfdev_verifier_env_release(&env);
}

int main(void)
{
	const struct bpf_insn in_range[] = { LOOKUP(1, 3) };
	const struct bpf_insn past_end[] = { LOOKUP(1, 5) };
	/* r6 = key choice; both maps reach one call */
	const struct bpf_insn two_maps[] = {
		INSN_ST_MEM(BPF_W, BPF_REG_10, -4, 1),
		INSN_LDX_MEM(BPF_W, BPF_REG_6, BPF_REG_1, 0),	/* skb->len */
		INSN_LD_MAP_FD(BPF_REG_1, 1),
		INSN_JMP_IMM(BPF_JGT, BPF_REG_6, 100, 2),
		INSN_LD_MAP_FD(BPF_REG_1, 2),
		INSN_MOV64_REG(BPF_REG_2, BPF_REG_10),
		INSN_ALU64_IMM(BPF_ADD, BPF_REG_2, -4),
		INSN_CALL(BPF_FUNC_map_lookup_elem),
		INSN_JMP_IMM(BPF_JNE, BPF_REG_0, 0, 2),
		INSN_MOV64_IMM(BPF_REG_0, 99),
		INSN_EXIT(),
		INSN_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_0, 0),
		INSN_EXIT(),
	};

	tap_plan(0);
	il_desc(&desc_a, &arr_a, 5);
	il_desc(&desc_b, &arr_b, 3);
	il_one("privileged, key 3", in_range, ARRAY_SIZE(in_range), true, 13, true);
	il_one("privileged, key 5 (past the end)", past_end, ARRAY_SIZE(past_end), true, 99, true);
	il_one("CAP_BPF only, key 3", in_range, ARRAY_SIZE(in_range), false, 13, true);
	il_one("CAP_BPF only, key 5", past_end, ARRAY_SIZE(past_end), false, 99, true);
	/* 64-byte packet: len <= 100, the second map */
	il_one("one call, two maps", two_maps, ARRAY_SIZE(two_maps), true, 21, false);
	desc_a.elem_size = 24;
	desc_a.value_size = 24;
	{
		static u64 wide[15] = { [3 * 3] = 33 };

		arr_a.value = wide;
		il_one("elem_size 24: a multiply", in_range, ARRAY_SIZE(in_range), true, 33, true);
	}
	return tap_done();
}
