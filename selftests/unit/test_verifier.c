// SPDX-License-Identifier: GPL-2.0
/*
 * The verifier against a table of programs (test_verifier_cases_*.h):
 * each must be rejected with the expected message in its log, or accepted
 * and then run by the checked interpreter, which faults on any access the
 * verifier should not have allowed, with the expected r0.  Every case is
 * verified twice: privileged and unprivileged.
 */

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include "tap.h"
#include "interp.h"
#include "skb.h"
#include "verifier.h"
#include "../common/test_verifier_harness.h"

#include "../common/test_verifier_host.h"
#include "test_verifier_cases_basic.h"
#include "test_verifier_cases_mem.h"
#include "test_verifier_cases_pkt.h"
#include "test_verifier_cases_map.h"
#include "test_verifier_cases_ringbuf.h"
#include "test_verifier_cases_bounds.h"
#include "test_verifier_cases_calls.h"
#include "test_verifier_cases_more.h"
#include "test_verifier_cases_precise.h"

static const struct vt_case *const vt_tables[] = {
	vt_cases_basic,
	vt_cases_mem,
	vt_cases_pkt,
	vt_cases_map,
	vt_cases_ringbuf,
	vt_cases_bounds,
	vt_cases_calls,
	vt_cases_more,
	vt_cases_precise,
};
static const u32 vt_table_sizes[] = {
	ARRAY_SIZE(vt_cases_basic),
	ARRAY_SIZE(vt_cases_mem),
	ARRAY_SIZE(vt_cases_pkt),
	ARRAY_SIZE(vt_cases_map),
	ARRAY_SIZE(vt_cases_ringbuf),
	ARRAY_SIZE(vt_cases_bounds),
	ARRAY_SIZE(vt_cases_calls),
	ARRAY_SIZE(vt_cases_more),
	ARRAY_SIZE(vt_cases_precise),
};

static u32 vt_insn_count(const struct vt_case *c)
{
	u32 n;

	for (n = VT_MAX_INSNS; n > 0; n--) {
		const struct bpf_insn *i = &c->insns[n - 1];

		if (i->code || i->dst_reg || i->src_reg || i->off || i->imm)
			break;
	}
	return n;
}

static char vt_log[1 << 20];
static bool verbose_log;

static bool vt_run_case(const struct vt_case *c, bool unpriv, char *why, size_t why_size)
{
	struct bpfdev_log log = { .level = verbose_log ? 1 : BPFDEV_LOG_STATS, .buf = vt_log, .size = sizeof(vt_log) };
	struct bpfdev_verifier_env env = {
		.insns = c->insns, .len = vt_insn_count(c),
		.prog_type = BPF_PROG_TYPE_SOCKET_FILTER,
		.privileged = !unpriv, .internal = c->flags & VT_F_INTERNAL,
		.log = &log, .helpers = &vt_env, .map_resolve = vt_map_resolve,
	};
	u8 expect = unpriv && c->result_unpriv ? c->result_unpriv : c->result;
	const char *errstr = unpriv && c->errstr_unpriv ? c->errstr_unpriv : c->errstr;
	int err;

	vt_log[0] = 0;
	vt_maps_reset();
	err = bpfdev_verify(&env);
	if (expect == VT_REJECT) {
		if (!err) {
			snprintf(why, why_size, "accepted, expected rejection '%s'", errstr);
			bpfdev_verifier_env_release(&env);
			return false;
		}
		if (errstr && *errstr && !strstr(vt_log, errstr)) {
			snprintf(why, why_size, "rejected (%d) without '%s'", err, errstr);
			return false;
		}
		return true;
	}
	if (err) {
		snprintf(why, why_size, "rejected (%d)", err);
		return false;
	}
	if (c->run && !(unpriv && (c->flags & VT_F_NO_RUN_UNPRIV))) {
		u32 len = c->data_len ? c->data_len : 64;
		static u8 pkt[1500];
		struct bpfdev_skb skb;
		struct bpfdev_region regions[5];
		char fault[256] = "";
		struct bpfdev_code code = {
			.insns = env.xlated, .len = env.xlated_len,
			.type = BPF_PROG_TYPE_SOCKET_FILTER,
			.stack_depth = env.stack_depth[0], .env = &vt_env,
		};
		struct bpfdev_run_opts opts = {
			.sz = sizeof(opts), .regions = regions, .skb = &skb,
			.helper_region = vt_helper_region,
			.err = fault, .err_size = sizeof(fault),
		};
		u64 r0 = 0;

		vt_make_packet(pkt, len);
		bpfdev_skb_init_linear(&skb, pkt, len);
		opts.nr_regions = bpfdev_interp_skb_regions(&skb, regions);
		/* the direct-value map, reachable without a lookup */
		regions[opts.nr_regions++] = (struct bpfdev_region) {
			.addr = (uintptr_t)vt_maps[VT_MAP_ARRAY_1].values[0],
			.len = vt_maps[VT_MAP_ARRAY_1].desc.value_size,
			.flags = BPFDEV_REGION_RW, .name = "direct map value",
		};
		opts.args[0] = (uintptr_t)&skb;
		err = bpfdev_interp_run_checked(&code, &opts, &r0);
		bpfdev_verifier_env_release(&env);
		if (err) {
			snprintf(why, why_size, "accepted but the run faulted: %s", fault);
			return false;
		}
		if (r0 != c->retval) {
			snprintf(why, why_size, "r0 = %#llx, expected %#llx",
				 (unsigned long long)r0, (unsigned long long)c->retval);
			return false;
		}
		return true;
	}
	bpfdev_verifier_env_release(&env);
	return true;
}

/* ---- the log and the outputs, beyond the table ---- */

static int vt_verify_log(const struct bpf_insn *insns, u32 len, u32 level, char *buf,
			 u32 size, struct bpfdev_verifier_env *env)
{
	struct bpfdev_log log = { .level = level, .buf = buf, .size = size };

	memset(env, 0, sizeof(*env));
	env->insns = insns;
	env->len = len;
	env->prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	env->privileged = true;
	env->log = level ? &log : NULL;
	env->helpers = &vt_env;
	env->map_resolve = vt_map_resolve;
	buf[0] = 0;
	return bpfdev_verify(env);
}

static void vt_log_tests(void)
{
	static const struct bpf_insn good[] = {
		INSN_MOV64_IMM(BPF_REG_0, 0),
		INSN_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_1, offsetof(struct __sk_buff, len)),
		INSN_JMP_IMM(BPF_JGT, BPF_REG_2, 10, 1),
		INSN_MOV64_IMM(BPF_REG_0, 1),
		INSN_ST_MEM(BPF_DW, BPF_REG_10, -8, 0),
		INSN_EXIT(),
	};
	/* past the frame: root may read stack it never wrote, not this */
	static const struct bpf_insn bad[] = {
		INSN_MOV64_IMM(BPF_REG_0, 0),
		INSN_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_10, 8),
		INSN_EXIT(),
	};
	static const struct bpf_insn pkt[] = {
		INSN_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_1, offsetof(struct __sk_buff, data)),
		INSN_LDX_MEM(BPF_W, BPF_REG_3, BPF_REG_1, offsetof(struct __sk_buff, data_end)),
		INSN_LD_MAP_FD(BPF_REG_4, VT_MAP_HASH_8B),
		INSN_MOV64_IMM(BPF_REG_0, 0),
		INSN_EXIT(),
	};
	struct bpfdev_verifier_env env;
	static char small[128];
	int err;

	err = vt_verify_log(good, ARRAY_SIZE(good), 1, vt_log, sizeof(vt_log), &env);
	ok(!err && !strncmp(vt_log, "processed 8 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n", 200),
	   "log: level 1 on success keeps only the stats line");
	ok(env.verified_insns == 8 && env.stack_depth[0] == 8 && env.subprog_cnt == 1,
	   "log: verified_insns %u, stack depth %u", env.verified_insns, env.stack_depth[0]);
	bpfdev_verifier_env_release(&env);

	err = vt_verify_log(bad, ARRAY_SIZE(bad), 1, vt_log, sizeof(vt_log), &env);
	ok(err == -EACCES && env.err_insn == 1 &&
	   strstr(vt_log, "0: R1=ctx(off=0,imm=0) R10=fp0\n"
			  "0: (b7) r0 = 0                        ; R0_w=0\n"
			  "1: (79) r0 = *(u64 *)(r10 +8)\n"
			  "invalid read from stack R10 off=8 size=8\n"
			  "processed 2 insns"),
	   "log: level 1 on failure names the instruction");
	if (!ok(strstr(vt_log, "R0_w=0") != NULL, "log: 6.1 register format"))
		printf("# %s\n", vt_log);

	err = vt_verify_log(good, ARRAY_SIZE(good), 2, vt_log, sizeof(vt_log), &env);
	ok(!err && !strncmp(vt_log, "func#0 @0\n0: R1=ctx(off=0,imm=0) R10=fp0\n", 40) &&
	   strstr(vt_log, "\nfrom 2 to 4: R0_w=0 R1=ctx(off=0,imm=0) R2_w=scalar(umin=11,umax=4294967295,var_off=(0x0; 0xffffffff)) R10=fp0\n") &&
	   strstr(vt_log, "fp-8_w=00000000"),
	   "log: level 2 prints every path and its state");
	if (!ok(strstr(vt_log, "processed 8 insns") != NULL, "log: level 2 stats line"))
		printf("# %s\n", vt_log);
	bpfdev_verifier_env_release(&env);

	err = vt_verify_log(good, ARRAY_SIZE(good), 4, vt_log, sizeof(vt_log), &env);
	ok(!err && strstr(vt_log, "verification time ") && strstr(vt_log, "stack depth 8\nprocessed 8 insns"),
	   "log: stats level");
	bpfdev_verifier_env_release(&env);

	err = vt_verify_log(good, ARRAY_SIZE(good), 2, small, sizeof(small), &env);
	ok(err == -ENOSPC && strlen(small) == sizeof(small) - 1, "log: a full log fails with ENOSPC");

	err = vt_verify_log(good, ARRAY_SIZE(good), 0, vt_log, sizeof(vt_log), &env);
	ok(!err && !vt_log[0], "log: level 0 writes nothing");
	bpfdev_verifier_env_release(&env);

	{
		/*
		 * 40 diamonds on fresh unknown values: 2^40 paths without
		 * pruning.  Each value dies at the next call, so liveness
		 * lets the join points prune.
		 */
		static struct bpf_insn d[4 + 40 * 5 + 2];
		u32 n = 0, k;

		d[n++] = (struct bpf_insn)INSN_LDX_MEM(BPF_W, BPF_REG_6, BPF_REG_1,
						       offsetof(struct __sk_buff, len));
		for (k = 0; k < 40; k++) {
			d[n++] = (struct bpf_insn)INSN_CALL(BPF_FUNC_get_prandom_u32);
			d[n++] = (struct bpf_insn)INSN_JMP_IMM(BPF_JSET, BPF_REG_0, 1 << (k % 31), 2);
			d[n++] = (struct bpf_insn)INSN_MOV64_IMM(BPF_REG_7, k);
			d[n++] = (struct bpf_insn)INSN_JMP_A(1);
			d[n++] = (struct bpf_insn)INSN_MOV64_IMM(BPF_REG_7, k + 1);
		}
		d[n++] = (struct bpf_insn)INSN_MOV64_IMM(BPF_REG_0, 0);
		d[n++] = (struct bpf_insn)INSN_ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_6);
		d[n++] = (struct bpf_insn)INSN_EXIT();
		err = vt_verify_log(d, n, 0, vt_log, sizeof(vt_log), &env);
		ok(!err && env.verified_insns < 20 * n && env.total_states > 0,
		   "pruning: %u insns with 40 diamonds verified in %u steps, %u states",
		   n, env.verified_insns, env.total_states);
		bpfdev_verifier_env_release(&env);
	}

	{
		/*
		 * 30 diamonds testing bits of one long-lived value: each
		 * branch refines it differently.  It only flows into r0, so
		 * it is imprecise and the joins still prune; comparing every
		 * scalar (as unprivileged programs do) explodes.
		 */
		static struct bpf_insn d[3 + 30 * 4 + 2];
		u32 n = 0, k;

		d[n++] = (struct bpf_insn)INSN_LDX_MEM(BPF_W, BPF_REG_6, BPF_REG_1,
						       offsetof(struct __sk_buff, len));
		d[n++] = (struct bpf_insn)INSN_MOV64_IMM(BPF_REG_0, 0);
		for (k = 0; k < 30; k++) {
			/* distinct bits: no branch is ever decided */
			d[n++] = (struct bpf_insn)INSN_JMP_IMM(BPF_JSET, BPF_REG_6, 1 << k, 2);
			d[n++] = (struct bpf_insn)INSN_MOV64_IMM(BPF_REG_2, k);
			d[n++] = (struct bpf_insn)INSN_JMP_A(1);
			d[n++] = (struct bpf_insn)INSN_MOV64_IMM(BPF_REG_2, k + 1);
		}
		d[n++] = (struct bpf_insn)INSN_ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_6);
		d[n++] = (struct bpf_insn)INSN_EXIT();
		err = vt_verify_log(d, n, 0, vt_log, sizeof(vt_log), &env);
		ok(!err && env.verified_insns < 20 * n,
		   "precision: %u insns refining one value 30 times verified in %u steps, %u states",
		   n, env.verified_insns, env.total_states);
		bpfdev_verifier_env_release(&env);
	}

	err = vt_verify_log(pkt, ARRAY_SIZE(pkt), 0, vt_log, sizeof(vt_log), &env);
	ok(!err && env.xlated_len == ARRAY_SIZE(pkt) &&
	   env.xlated[0].code == (BPF_LDX | BPF_MEM | BPF_DW) &&
	   env.xlated[0].off == offsetof(struct bpfdev_skb, data) &&
	   env.xlated[1].off == offsetof(struct bpfdev_skb, data_end),
	   "xlated: data and data_end loads rewritten to struct bpfdev_skb");
	ok(!err && env.xlated[2].src_reg == 0 &&
	   ((u64)(u32)env.xlated[2].imm | (u64)env.xlated[3].imm << 32) ==
	   (u64)(uintptr_t)&vt_maps[VT_MAP_HASH_8B] &&
	   env.used_map_cnt == 1 && env.used_maps[0] == &vt_maps[VT_MAP_HASH_8B].desc,
	   "xlated: map fd replaced by the host pointer, used maps listed");
	ok(!err && pkt[0].code == (BPF_LDX | BPF_MEM | BPF_W) && pkt[2].src_reg == BPF_PSEUDO_MAP_FD,
	   "xlated: the caller's instructions are untouched");
	bpfdev_verifier_env_release(&env);
}

int main(int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : NULL;
	u32 t, i;

	tap_plan(0);
	vt_maps_reset();
	if (!only)
		vt_log_tests();
	for (t = 0; t < ARRAY_SIZE(vt_tables); t++) {
		for (i = 0; i < vt_table_sizes[t]; i++) {
			const struct vt_case *c = &vt_tables[t][i];
			char why[512];
			int u;

			if (only && !strstr(c->name, only))
				continue;
			for (u = 0; u < 2; u++) {
				bool pass;

				why[0] = 0;
				pass = vt_run_case(c, u, why, sizeof(why));
				ok(pass, "%s%s", c->name, u ? " (unpriv)" : "");
				if (!pass) {
					printf("#   %s\n", why);
					if (only) {
						verbose_log = true;
						vt_run_case(c, u, why, sizeof(why));
						verbose_log = false;
						printf("# log:\n%s\n", vt_log);
					}
				}
			}
		}
	}
	return tap_done();
}
