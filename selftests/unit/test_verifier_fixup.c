// SPDX-License-Identifier: GPL-2.0
/*
 * What the verifier does with the program's license and prog_flags, and
 * its instruction patching (verifier_fixup.c): gpl_only helpers refused to
 * a non-GPL program, as the kernel's check_helper_call().
 */

#include <stdio.h>
#include <string.h>
#include "tap.h"
#include "verifier.h"

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
	vf_log[0] = 0;
	return bpfdev_verify(env);
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

int main(void)
{
	tap_plan(0);
	vf_gpl_tests();
	return tap_done();
}
