// SPDX-License-Identifier: GPL-2.0
/*
 * Verifier answers the kernel's (6.1) gives differently from what bpfdev
 * gave, found by prog_diff (selftests/fuzz/prog_diff.c), one case each:
 * the shrunk program, and the kernel's verdict and message.
 */

#include <stdio.h>
#include <string.h>
#include "tap.h"
#include "../common/test_verifier_host.h"

static char vp_log[1 << 16];

static int vp_verify(const struct bpf_insn *insns, u32 len)
{
	struct bpfdev_log log = { .level = 1, .buf = vp_log, .size = sizeof(vp_log) };
	struct bpfdev_verifier_env env = {
		.insns = insns, .len = len, .prog_type = BPF_PROG_TYPE_SOCKET_FILTER,
		.privileged = true, .log = &log, .helpers = &vt_env,
		.map_resolve = vt_map_resolve,
	};
	int err;

	vp_log[0] = 0;
	err = bpfdev_verify(&env);
	bpfdev_verifier_env_release(&env);
	return err;
}

static void vp_ld_abs(void)
{
	/*
	 * check_ld_abs() leaves r0 a scalar it knows nothing of, not one of
	 * the load's size: a pointer plus it has an unbounded min value.
	 */
	static const struct bpf_insn add_to_ctx[] = {
		INSN_MOV64_REG(BPF_REG_6, BPF_REG_1),
		INSN_LD_ABS(BPF_W, 11),
		INSN_MOV64_REG(BPF_REG_8, BPF_REG_6),
		INSN_ALU64_REG(BPF_ADD, BPF_REG_8, BPF_REG_0),
		INSN_MOV64_IMM(BPF_REG_0, 0),
		INSN_EXIT(),
	};
	int err = vp_verify(add_to_ctx, ARRAY_SIZE(add_to_ctx));

	ok(err == -EINVAL &&
	   strstr(vp_log, "math between ctx pointer and register with unbounded min value is not allowed"),
	   "ld_abs: r0 is unbounded, ctx + r0 refused (%d)", err);
}

int main(void)
{
	tap_plan(0);
	vp_ld_abs();
	return tap_done();
}
