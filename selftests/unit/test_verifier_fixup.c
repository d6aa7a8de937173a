// SPDX-License-Identifier: GPL-2.0
/*
 * What the verifier does with the program's license and prog_flags, and
 * its instruction patching (verifier_fixup.c): gpl_only helpers refused to
 * a non-GPL program, as the kernel's check_helper_call();
 * BPF_F_TEST_RND_HI32 randomising the upper half of 32-bit definitions no
 * path reads whole, as the kernel's opt_subreg_zext_lo32_rnd_hi32(), with
 * jumps, calls and subprograms moved by the patch API and the programs
 * still giving their results in the checked interpreter.
 */

#include <stdio.h>
#include <string.h>
#include "tap.h"
#include "jit.h"
#include "../common/test_verifier_host.h"

static char vf_log[1 << 16];

static int vf_verify(const struct bpf_insn *insns, u32 len, bool non_gpl, u32 prog_flags,
		     struct bpfdev_verifier_env *env)
{
	struct bpfdev_log log = { .level = 1, .buf = vf_log, .size = sizeof(vf_log) };

	memset(env, 0, sizeof(*env));
	env->insns = insns;
	env->len = len;
	env->prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	env->privileged = true;
	env->non_gpl = non_gpl;
	env->prog_flags = prog_flags;
	env->log = &log;
	env->helpers = &vt_env;
	env->map_resolve = vt_map_resolve;
	vf_log[0] = 0;
	return bpfdev_verify(env);
}

/* Runs env's xlated program in the checked interpreter on a 64-byte frame. */
static int vf_run(const struct bpfdev_verifier_env *env, u64 *r0)
{
	static u8 pkt[64];
	struct bpfdev_skb skb;
	struct bpfdev_region regions[5];
	char fault[256] = "";
	struct bpfdev_code code = {
		.insns = env->xlated, .len = env->xlated_len,
		.type = BPF_PROG_TYPE_SOCKET_FILTER,
		.stack_depth = env->stack_depth[0], .env = &vt_env,
	};
	struct bpfdev_run_opts opts = {
		.sz = sizeof(opts), .regions = regions, .skb = &skb,
		.helper_region = vt_helper_region,
		.err = fault, .err_size = sizeof(fault),
	};
	int err;

	vt_make_packet(pkt, sizeof(pkt));
	bpfdev_skb_init_linear(&skb, pkt, sizeof(pkt));
	opts.nr_regions = bpfdev_interp_skb_regions(&skb, regions);
	opts.args[0] = (uintptr_t)&skb;
	err = bpfdev_interp_run_checked(&code, &opts, r0);
	if (err)
		tap_diag("fault: %s", fault);
	return err;
}

static bool vf_insn_eq(const struct bpf_insn *a, const struct bpf_insn *b)
{
	return a->code == b->code && a->dst_reg == b->dst_reg && a->src_reg == b->src_reg &&
	       a->off == b->off && a->imm == b->imm;
}

/* Whether env's xlated program is want[] (AX moves compared without imm). */
static bool vf_xlated_is(const struct bpfdev_verifier_env *env, const struct bpf_insn *want,
			 u32 n)
{
	u32 i;

	if (env->xlated_len != n) {
		tap_diag("xlated_len %u, want %u", env->xlated_len, n);
		return false;
	}
	for (i = 0; i < n; i++) {
		struct bpf_insn x = env->xlated[i];

		if (x.dst_reg == BPFDEV_REG_AX && x.code == (BPF_ALU64 | BPF_MOV | BPF_K))
			x.imm = want[i].imm;
		if (!vf_insn_eq(&x, &want[i])) {
			tap_diag("insn %u: %02x %u %u %d %d, want %02x %u %u %d %d", i, x.code,
			     x.dst_reg, x.src_reg, x.off, x.imm, want[i].code, want[i].dst_reg,
			     want[i].src_reg, want[i].off, want[i].imm);
			return false;
		}
	}
	return true;
}

/* ---- gpl_only helpers ---- */

static void vf_gpl_tests(void)
{
	static const struct bpf_insn printk[] = {
		INSN_ST_MEM(BPF_DW, BPF_REG_10, -8, 0x0a6968),	/* "hi\n" */
		INSN_MOV64_REG(BPF_REG_1, BPF_REG_10),
		INSN_ALU64_IMM(BPF_ADD, BPF_REG_1, -8),
		INSN_MOV64_IMM(BPF_REG_2, 8),
		INSN_CALL(BPF_FUNC_trace_printk),
		INSN_MOV64_IMM(BPF_REG_0, 0),
		INSN_EXIT(),
	};
	/* the check comes before the arguments': r1 is not even set */
	static const struct bpf_insn printk_noargs[] = {
		INSN_CALL(BPF_FUNC_trace_printk),
		INSN_MOV64_IMM(BPF_REG_0, 0),
		INSN_EXIT(),
	};
	static const struct bpf_insn lookup[] = {
		INSN_CALL(BPF_FUNC_get_prandom_u32),
		INSN_EXIT(),
	};
	struct bpfdev_verifier_env env;
	int err;

	err = vf_verify(printk, ARRAY_SIZE(printk), true, 0, &env);
	ok(err == -EINVAL && env.err_insn == 4 &&
	   strstr(vf_log, "4: (85) call bpf_trace_printk#6\n"
		  "cannot call GPL-restricted function from non-GPL compatible program\n"),
	   "gpl: trace_printk from a non-GPL program is EINVAL at the call (%d)", err);
	err = vf_verify(printk, ARRAY_SIZE(printk), false, 0, &env);
	ok(!err, "gpl: trace_printk from a GPL program is accepted (%d)", err);
	bpfdev_verifier_env_release(&env);
	err = vf_verify(printk_noargs, ARRAY_SIZE(printk_noargs), true, 0, &env);
	ok(err == -EINVAL && strstr(vf_log, "cannot call GPL-restricted function"),
	   "gpl: refused before the arguments are checked (%d)", err);
	err = vf_verify(lookup, ARRAY_SIZE(lookup), true, 0, &env);
	ok(!err, "gpl: a helper that is not gpl_only serves a non-GPL program (%d)", err);
	bpfdev_verifier_env_release(&env);
}

/* ---- BPF_F_TEST_RND_HI32 and the patch API ---- */

#define AX		BPFDEV_REG_AX
#define RND(r)		INSN_MOV64_IMM(AX, 0), INSN_ALU64_IMM(BPF_LSH, AX, 32), \
			INSN_ALU64_REG(BPF_OR, r, AX)

static void vf_rnd_hi32_tests(void)
{
	/* w1's upper half is never read; w0's is, at the exit */
	static const struct bpf_insn simple[] = {
		INSN_MOV32_IMM(BPF_REG_1, 5),
		INSN_MOV32_REG(BPF_REG_0, BPF_REG_1),
		INSN_EXIT(),
	};
	static const struct bpf_insn simple_x[] = {
		INSN_MOV32_IMM(BPF_REG_1, 5), RND(BPF_REG_1),
		INSN_MOV32_REG(BPF_REG_0, BPF_REG_1),
		INSN_EXIT(),
	};
	/* a backward jump onto a patched instruction lands on its start */
	static const struct bpf_insn loop[] = {
		INSN_MOV64_IMM(BPF_REG_0, 0),
		INSN_MOV64_IMM(BPF_REG_2, 3),
		INSN_MOV32_IMM(BPF_REG_3, 9),
		INSN_ALU64_IMM(BPF_ADD, BPF_REG_0, 1),
		INSN_ALU64_IMM(BPF_SUB, BPF_REG_2, 1),
		INSN_JMP_IMM(BPF_JNE, BPF_REG_2, 0, -4),
		INSN_EXIT(),
	};
	static const struct bpf_insn loop_x[] = {
		INSN_MOV64_IMM(BPF_REG_0, 0),
		INSN_MOV64_IMM(BPF_REG_2, 3),
		INSN_MOV32_IMM(BPF_REG_3, 9), RND(BPF_REG_3),
		INSN_ALU64_IMM(BPF_ADD, BPF_REG_0, 1),
		INSN_ALU64_IMM(BPF_SUB, BPF_REG_2, 1),
		INSN_JMP_IMM(BPF_JNE, BPF_REG_2, 0, -7),
		INSN_EXIT(),
	};
	/* a call over a patch into a subprogram patched at its start */
	static const struct bpf_insn call[] = {
		INSN_CALL_REL(2),
		INSN_MOV32_IMM(BPF_REG_3, 1),
		INSN_EXIT(),
		INSN_MOV32_IMM(BPF_REG_4, 2),
		INSN_MOV64_IMM(BPF_REG_0, 42),
		INSN_EXIT(),
	};
	static const struct bpf_insn call_x[] = {
		INSN_CALL_REL(5),
		INSN_MOV32_IMM(BPF_REG_3, 1), RND(BPF_REG_3),
		INSN_EXIT(),
		INSN_MOV32_IMM(BPF_REG_4, 2), RND(BPF_REG_4),
		INSN_MOV64_IMM(BPF_REG_0, 42),
		INSN_EXIT(),
	};
	/* w3 is read whole on one path only: that is enough to keep it */
	static const struct bpf_insn one_path[] = {
		INSN_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_1, offsetof(struct __sk_buff, len)),
		INSN_MOV32_IMM(BPF_REG_3, 5),
		INSN_MOV64_IMM(BPF_REG_0, 0),
		INSN_JMP_IMM(BPF_JGT, BPF_REG_2, 10, 1),
		INSN_ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_3),
		INSN_EXIT(),
	};
	/*
	 * A 32-bit cmpxchg compares w0 and stores w1 (neither read whole,
	 * both randomised); its result in r0, read whole, is zero-extended
	 * explicitly.
	 */
	static const struct bpf_insn cmpxchg[] = {
		INSN_ST_MEM(BPF_DW, BPF_REG_10, -8, 7),
		INSN_MOV32_IMM(BPF_REG_0, 7),
		INSN_MOV32_IMM(BPF_REG_1, 3),
		INSN_ATOMIC_OP(BPF_W, BPF_CMPXCHG, BPF_REG_10, BPF_REG_1, -8),
		INSN_EXIT(),
	};
	static const struct bpf_insn cmpxchg_x[] = {
		INSN_ST_MEM(BPF_DW, BPF_REG_10, -8, 7),
		INSN_MOV32_IMM(BPF_REG_0, 7), RND(BPF_REG_0),
		INSN_MOV32_IMM(BPF_REG_1, 3), RND(BPF_REG_1),
		INSN_ATOMIC_OP(BPF_W, BPF_CMPXCHG, BPF_REG_10, BPF_REG_1, -8),
		INSN(BPF_ALU | BPF_MOV | BPF_X, BPF_REG_0, BPF_REG_0, 0, 1),
		INSN_EXIT(),
	};
	struct bpfdev_verifier_env env, env2;
	u64 r0 = 0;
	int err;

	err = vf_verify(simple, ARRAY_SIZE(simple), false, 0, &env);
	ok(!err && vf_xlated_is(&env, simple, ARRAY_SIZE(simple)),
	   "rnd_hi32: without the flag the program is as loaded (%d)", err);
	bpfdev_verifier_env_release(&env);
	err = vf_verify(simple, ARRAY_SIZE(simple), false, BPF_F_TEST_RND_HI32, &env);
	ok(!err && vf_xlated_is(&env, simple_x, ARRAY_SIZE(simple_x)) &&
	   env.orig_idx[3] == 0 && env.orig_idx[4] == 1 && env.orig_idx[5] == 2,
	   "rnd_hi32: w1 = 5 gets a random upper half, w0 = w1 (read whole at exit) not");
	err = err ? err : vf_run(&env, &r0);
	ok(!err && r0 == 5, "rnd_hi32: and the program returns 5 (%llu)",
	   (unsigned long long)r0);
	err = vf_verify(simple, ARRAY_SIZE(simple), false, BPF_F_TEST_RND_HI32, &env2);
	ok(!err && env2.xlated_len == env.xlated_len &&
	   env2.xlated[1].imm != env.xlated[1].imm,
	   "rnd_hi32: each load draws its own bits (%#x, %#x)", env.xlated[1].imm,
	   env2.xlated[1].imm);
	bpfdev_verifier_env_release(&env);
	bpfdev_verifier_env_release(&env2);

	err = vf_verify(loop, ARRAY_SIZE(loop), false, BPF_F_TEST_RND_HI32, &env);
	ok(!err && vf_xlated_is(&env, loop_x, ARRAY_SIZE(loop_x)),
	   "patch: a backward jump onto the patch lands on its first instruction (%d)", err);
	err = err ? err : vf_run(&env, &r0);
	ok(!err && r0 == 3, "patch: the loop runs 3 times (%llu)",
	   (unsigned long long)r0);
	bpfdev_verifier_env_release(&env);

	err = vf_verify(call, ARRAY_SIZE(call), false, BPF_F_TEST_RND_HI32, &env);
	ok(!err && vf_xlated_is(&env, call_x, ARRAY_SIZE(call_x)) && env.subprog_cnt == 2 &&
	   env.subprog_start[1] == 6,
	   "patch: a call across a patch and the subprogram start move (start %u)",
	   env.subprog_start[1]);
	err = err ? err : vf_run(&env, &r0);
	ok(!err && r0 == 42, "patch: the call returns 42 (%llu)",
	   (unsigned long long)r0);
	bpfdev_verifier_env_release(&env);

	err = vf_verify(one_path, ARRAY_SIZE(one_path), false, BPF_F_TEST_RND_HI32, &env);
	ok(!err && vf_xlated_is(&env, one_path, ARRAY_SIZE(one_path)),
	   "rnd_hi32: a definition read whole on one path only is kept, as is a ctx load");
	err = err ? err : vf_run(&env, &r0);
	ok(!err && r0 == 0, "rnd_hi32: one_path returns 0 (%llu)",
	   (unsigned long long)r0);
	bpfdev_verifier_env_release(&env);

	err = vf_verify(cmpxchg, ARRAY_SIZE(cmpxchg), false, BPF_F_TEST_RND_HI32, &env);
	ok(!err && vf_xlated_is(&env, cmpxchg_x, ARRAY_SIZE(cmpxchg_x)),
	   "zext: a 32-bit cmpxchg read whole is followed by mov32 r0, r0 (imm 1) (%d)", err);
	err = err ? err : vf_run(&env, &r0);
	ok(!err && r0 == 7, "zext: cmpxchg returns the old 7 (%llu)",
	   (unsigned long long)r0);
	bpfdev_verifier_env_release(&env);
}

int main(void)
{
	tap_plan(0);
	vf_gpl_tests();
	vf_rnd_hi32_tests();
	return tap_done();
}
