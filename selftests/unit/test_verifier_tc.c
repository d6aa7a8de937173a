// SPDX-License-Identifier: GPL-2.0
/*
 * tc programs (BPF_PROG_TYPE_SCHED_CLS/SCHED_ACT) in the verifier: the
 * __sk_buff fields 6.1's tc_cls_act_is_valid_access() lets them read and
 * write, direct packet writes (and seen_direct_write), data_meta, the tc
 * helpers offered to tc only, packet pointers void after a helper that
 * changes the packet (clear_all_pkt_pointers()), packet pointers only to
 * helpers with pkt_access; and the written fields and packet bytes as a
 * run leaves them in struct bpfdev_tc_skb; the context words the host
 * fills for a program (tc_ctx_fill, tc_ctx_written), the packet pointers
 * among them when a helper gets the context or LD_ABS reads the packet.
 */

#include <stdio.h>
#include <string.h>
#include "tap.h"
#include "interp.h"
#include "skb_tc.h"
#include "verifier.h"
#include "../common/test_verifier_host.h"

#define R0 BPF_REG_0
#define R1 BPF_REG_1
#define R2 BPF_REG_2
#define R3 BPF_REG_3
#define R4 BPF_REG_4
#define R5 BPF_REG_5
#define R6 BPF_REG_6
#define R7 BPF_REG_7
#define R10 BPF_REG_10
#define SKB(f)	offsetof(struct __sk_buff, f)
#define CLS	BPF_PROG_TYPE_SCHED_CLS
#define ACT	BPF_PROG_TYPE_SCHED_ACT
#define SF	BPF_PROG_TYPE_SOCKET_FILTER

/* r2 = data, r3 = data_end, r4 = data + 14, r0 = 0; skip 1 if r4 > r3 */
#define PKT14							\
	INSN_LDX_MEM(BPF_W, R2, R1, SKB(data)),			\
	INSN_LDX_MEM(BPF_W, R3, R1, SKB(data_end)),		\
	INSN_MOV64_REG(R4, R2),					\
	INSN_ALU64_IMM(BPF_ADD, R4, 14),			\
	INSN_MOV64_IMM(R0, 0)

struct tc_case {
	const char		*name;
	u32			type;
	struct bpf_insn		insns[24];
	bool			accept;
	const char		*errstr;
	bool			direct_write;	/* expected seen_direct_write */
};

static const struct tc_case tc_cases[] = {
{
	"write a packet byte after the bounds check", CLS, {
		PKT14,
		INSN_JMP_REG(BPF_JGT, R4, R3, 2),
		INSN_MOV64_IMM(R5, 0x42),
		INSN_STX_MEM(BPF_B, R2, R5, 0),
		INSN_EXIT(),
	}, true, NULL, true,
},
{
	"write a packet byte without a check", CLS, {
		INSN_LDX_MEM(BPF_W, R2, R1, SKB(data)),
		INSN_ST_MEM(BPF_B, R2, 0, 1),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	}, false, "invalid access to packet",
},
{
	"read only: no direct write seen", ACT, {
		PKT14,
		INSN_JMP_REG(BPF_JGT, R4, R3, 1),
		INSN_LDX_MEM(BPF_H, R0, R2, 12),
		INSN_EXIT(),
	}, true, NULL, false,
},
{
	"socket filter: still no packet write", SF, {
		PKT14,
		INSN_JMP_REG(BPF_JGT, R4, R3, 1),
		INSN_ST_MEM(BPF_B, R2, 0, 1),
		INSN_EXIT(),
	}, false, "cannot write into packet",
},
{
	"data_meta up to data", CLS, {
		INSN_LDX_MEM(BPF_W, R2, R1, SKB(data_meta)),
		INSN_LDX_MEM(BPF_W, R3, R1, SKB(data)),
		INSN_MOV64_REG(R4, R2),
		INSN_ALU64_IMM(BPF_ADD, R4, 4),
		INSN_MOV64_IMM(R0, 0),
		INSN_JMP_REG(BPF_JGT, R4, R3, 1),
		INSN_LDX_MEM(BPF_W, R0, R2, 0),
		INSN_EXIT(),
	}, true,
},
{
	"write mark, priority, tc_index, tc_classid, queue_mapping, cb", CLS, {
		INSN_MOV64_IMM(R2, 7),
		INSN_STX_MEM(BPF_W, R1, R2, SKB(mark)),
		INSN_STX_MEM(BPF_W, R1, R2, SKB(priority)),
		INSN_STX_MEM(BPF_W, R1, R2, SKB(tc_index)),
		INSN_STX_MEM(BPF_W, R1, R2, SKB(tc_classid)),
		INSN_STX_MEM(BPF_W, R1, R2, SKB(queue_mapping)),
		INSN_STX_MEM(BPF_W, R1, R2, SKB(cb[4])),
		INSN_STX_MEM(BPF_DW, R1, R2, SKB(tstamp)),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	}, true,
},
{
	"write len", CLS, {
		INSN_MOV64_IMM(R2, 7),
		INSN_STX_MEM(BPF_W, R1, R2, SKB(len)),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	}, false, "invalid bpf_context access off=0 size=4",
},
{
	"write mark as a half word", CLS, {
		INSN_MOV64_IMM(R2, 7),
		INSN_STX_MEM(BPF_H, R1, R2, SKB(mark)),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	}, false, "invalid bpf_context access",
},
{
	"read tc_classid, wire_len, tstamp, hwtstamp, ifindex byte", CLS, {
		INSN_LDX_MEM(BPF_W, R0, R1, SKB(tc_classid)),
		INSN_LDX_MEM(BPF_W, R0, R1, SKB(wire_len)),
		INSN_LDX_MEM(BPF_DW, R0, R1, SKB(tstamp)),
		INSN_LDX_MEM(BPF_DW, R0, R1, SKB(hwtstamp)),
		INSN_LDX_MEM(BPF_B, R0, R1, SKB(ifindex)),
		INSN_LDX_MEM(BPF_B, R0, R1, SKB(tstamp_type)),
		INSN_EXIT(),
	}, true,
},
{
	"socket filter: tc_classid hidden", SF, {
		INSN_LDX_MEM(BPF_W, R0, R1, SKB(tc_classid)),
		INSN_EXIT(),
	}, false, "invalid bpf_context access",
},
{
	"read family", CLS, {
		INSN_LDX_MEM(BPF_W, R0, R1, SKB(family)),
		INSN_EXIT(),
	}, false, "invalid bpf_context access",
},
{
	"read tstamp_type as a word", CLS, {
		INSN_LDX_MEM(BPF_W, R0, R1, SKB(tstamp_type)),
		INSN_EXIT(),
	}, false, "invalid bpf_context access",
},
{
	/* 6.1 gives tc PTR_TO_SOCK_COMMON_OR_NULL; bpfdev's is always NULL */
	"read sk", CLS, {
		INSN_LDX_MEM(BPF_DW, R0, R1, SKB(sk)),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	}, true,
},
{
	"sk may be NULL: no dereference unchecked", CLS, {
		INSN_LDX_MEM(BPF_DW, R2, R1, SKB(sk)),
		INSN_LDX_MEM(BPF_W, R0, R2, 0),
		INSN_EXIT(),
	}, false, "invalid mem access",
},
{
	"packet pointer void after skb_store_bytes", CLS, {
		PKT14,
		INSN_JMP_REG(BPF_JGT, R4, R3, 11),
		INSN_MOV64_REG(R6, R2),
		INSN_MOV64_REG(R7, R1),
		INSN_ST_MEM(BPF_W, R10, -8, 0),
		INSN_MOV64_REG(R1, R7),
		INSN_MOV64_IMM(R2, 0),
		INSN_MOV64_REG(R3, R10),
		INSN_ALU64_IMM(BPF_ADD, R3, -8),
		INSN_MOV64_IMM(R4, 4),
		INSN_MOV64_IMM(R5, 0),
		INSN_CALL(BPF_FUNC_skb_store_bytes),
		INSN_LDX_MEM(BPF_B, R0, R6, 0),
		INSN_EXIT(),
	}, false, "R6 invalid mem access 'scalar'",
},
{
	"skb_store_bytes then reload data", CLS, {
		INSN_MOV64_REG(R7, R1),
		INSN_ST_MEM(BPF_W, R10, -8, 0),
		INSN_MOV64_IMM(R2, 0),
		INSN_MOV64_REG(R3, R10),
		INSN_ALU64_IMM(BPF_ADD, R3, -8),
		INSN_MOV64_IMM(R4, 4),
		INSN_MOV64_IMM(R5, 0),
		INSN_CALL(BPF_FUNC_skb_store_bytes),
		INSN_MOV64_REG(R1, R7),
		PKT14,
		INSN_JMP_REG(BPF_JGT, R4, R3, 1),
		INSN_LDX_MEM(BPF_B, R0, R2, 0),
		INSN_EXIT(),
	}, true,
},
{
	"packet bytes to skb_store_bytes (no pkt_access)", CLS, {
		PKT14,
		INSN_JMP_REG(BPF_JGT, R4, R3, 6),
		INSN_MOV64_REG(R3, R2),
		INSN_MOV64_IMM(R2, 0),
		INSN_MOV64_IMM(R4, 4),
		INSN_MOV64_IMM(R5, 0),
		INSN_CALL(BPF_FUNC_skb_store_bytes),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	}, false, "helper access to the packet is not allowed",
},
{
	"packet bytes to csum_diff (pkt_access)", CLS, {
		PKT14,
		INSN_JMP_REG(BPF_JGT, R4, R3, 6),
		INSN_MOV64_REG(R1, R2),
		INSN_MOV64_IMM(R2, 4),
		INSN_MOV64_REG(R3, R1),
		INSN_MOV64_IMM(R4, 4),
		INSN_MOV64_IMM(R5, 0),
		INSN_CALL(BPF_FUNC_csum_diff),
		INSN_EXIT(),
	}, true,
},
{
	"redirect and l4_csum_replace for tc", CLS, {
		INSN_MOV64_REG(R6, R1),
		INSN_MOV64_IMM(R2, 36),
		INSN_MOV64_IMM(R3, 0),
		INSN_MOV64_IMM(R4, 0),
		INSN_MOV64_IMM(R5, 2),
		INSN_CALL(BPF_FUNC_l4_csum_replace),
		INSN_MOV64_IMM(R1, 1),
		INSN_MOV64_IMM(R2, 0),
		INSN_CALL(BPF_FUNC_redirect),
		INSN_EXIT(),
	}, true,
},
{
	"socket filter: no redirect", SF, {
		INSN_MOV64_IMM(R1, 1),
		INSN_MOV64_IMM(R2, 0),
		INSN_CALL(BPF_FUNC_redirect),
		INSN_EXIT(),
	}, false, "unknown func bpf_redirect#23",
},
{
	"LD_ABS in tc", CLS, {
		INSN_MOV64_REG(R6, R1),
		INSN_LD_ABS(BPF_H, 12),
		INSN_EXIT(),
	}, true,
},
};

static char tc_log[1 << 16];

static int tc_verify(const struct tc_case *c, struct bpfdev_verifier_env *env)
{
	struct bpfdev_log log = { .level = 1, .buf = tc_log, .size = sizeof(tc_log) };
	u32 len = 0;

	while (len < ARRAY_SIZE(c->insns) && c->insns[len].code)
		len++;
	memset(env, 0, sizeof(*env));
	env->insns = c->insns;
	env->len = len;
	env->prog_type = c->type;
	env->privileged = true;
	env->bpf_capable = true;
	env->perfmon_capable = true;
	env->log = &log;
	env->helpers = NULL;	/* every prototype */
	tc_log[0] = 0;
	return bpfdev_verify(env);
}

static void tc_case_run(const struct tc_case *c)
{
	struct bpfdev_verifier_env env;
	int err = tc_verify(c, &env);
	bool pass;

	if (c->accept)
		pass = !err && env.seen_direct_write == c->direct_write;
	else
		pass = err && c->errstr && strstr(tc_log, c->errstr);
	if (!pass)
		tap_diag("err %d, seen_direct_write %d, log:\n%s", err,
			 !err && env.seen_direct_write, tc_log);
	ok(pass, "%s: %s", bpfdev_prog_type_name(c->type), c->name);
	bpfdev_verifier_env_release(&env);
}

/* Runs c (verified as CLS) on a 64-byte frame in a struct bpfdev_tc_skb. */
static int tc_run(const struct tc_case *c, struct bpfdev_tc_skb *ctx, u8 *pkt,
		  u64 *r0)
{
	struct bpfdev_verifier_env env;
	struct bpfdev_code code = { 0 };
	int err = tc_verify(c, &env);

	if (err)
		return err;
	code.insns = env.xlated;
	code.len = env.xlated_len;
	code.type = c->type;
	code.stack_depth = env.stack_depth[0];
	code.env = &vt_env;
	memset(ctx, 0, sizeof(*ctx));
	vt_make_packet(pkt, 64);
	bpfdev_skb_init_linear(&ctx->skb, pkt, 64);
	ctx->data_meta = ctx->skb.data;
	*r0 = bpfdev_interp_run(&code, ctx);
	bpfdev_verifier_env_release(&env);
	return 0;
}

static void tc_run_tests(void)
{
	struct bpfdev_tc_skb ctx;
	u8 pkt[64];
	u64 r0 = ~0ULL;

	ok(!tc_run(&tc_cases[0], &ctx, pkt, &r0) && r0 == 0 && pkt[0] == 0x42,
	       "run: the direct write reaches the packet");
	ok(!tc_run(&tc_cases[5], &ctx, pkt, &r0) && ctx.skb.md.mark == 7 &&
	       ctx.skb.md.priority == 7 && ctx.skb.md.tc_index == 7 &&
	       ctx.skb.md.tc_classid == 7 && ctx.skb.md.queue_mapping == 7 &&
	       ctx.skb.md.cb[4] == 7 && ctx.skb.md.tstamp == 7,
	       "run: the written fields land in the context");
	ok(!tc_run(&tc_cases[4], &ctx, pkt, &r0) && r0 == 0,
	       "run: data_meta is data when there is no metadata");
}

/*
 * What the host fills before a program runs (tc_ctx_fill) and whether it
 * stores the context back (tc_ctx_written): only what the program reads.
 */
struct tc_fill_case {
	const char		*name;
	struct bpf_insn		insns[8];
	u64			fill;
	bool			written;
};

static const struct tc_fill_case tc_fill_cases[] = {
{
	"return only: nothing filled, nothing stored back", {
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	}, 0, false,
},
{
	"packet pointers: their words only", {
		PKT14,
		INSN_EXIT(),
	}, BPFDEV_TC_WORDS(data) | BPFDEV_TC_WORDS(data_end), false,
},
{
	"a byte of mark, and tstamp: their words", {
		INSN_LDX_MEM(BPF_B, R0, R1, SKB(mark) + 1),
		INSN_LDX_MEM(BPF_DW, R2, R1, SKB(tstamp)),
		INSN_EXIT(),
	}, BPFDEV_TC_WORDS(mark) | BPFDEV_TC_WORDS(tstamp), false,
},
{
	"cb[] written, not read: set for the chain, not stored back", {
		INSN_MOV64_IMM(R0, 0),
		INSN_STX_MEM(BPF_W, R1, R0, SKB(cb[2])),
		INSN_EXIT(),
	}, BPFDEV_TC_WORDS(cb[2]), false,
},
{
	"priority written: every stored-back field filled", {
		INSN_MOV64_IMM(R2, 1),
		INSN_STX_MEM(BPF_W, R1, R2, SKB(priority)),
		INSN_LDX_MEM(BPF_W, R0, R1, SKB(hash)),
		INSN_EXIT(),
	}, BPFDEV_TC_WRITEBACK_WORDS | BPFDEV_TC_WORDS(hash), true,
},
{
	"the context to a helper: the packet pointers and lengths", {
		INSN_CALL(BPF_FUNC_get_hash_recalc),
		INSN_EXIT(),
	}, BPFDEV_TC_BASE_WORDS, false,
},
{
	"LD_ABS: the packet pointers and lengths", {
		INSN_MOV64_REG(R6, R1),
		INSN_LD_ABS(BPF_B, 12),
		INSN_EXIT(),
	}, BPFDEV_TC_BASE_WORDS, false,
},
{
	"a helper without the context: nothing filled", {
		INSN_CALL(BPF_FUNC_ktime_get_ns),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	}, 0, false,
},
{
	"tc_classid written: its word set for the chain, as cb[]", {
		INSN_MOV64_IMM(R2, 1),
		INSN_STX_MEM(BPF_W, R1, R2, SKB(tc_classid)),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	}, BPFDEV_TC_WRITEBACK_WORDS | BPFDEV_TC_WORDS(tc_classid), true,
},
};

static void tc_fill_case_run(const struct tc_fill_case *c)
{
	struct tc_case tc = { .name = c->name, .type = CLS };
	struct bpfdev_verifier_env env;
	int err;

	memcpy(tc.insns, c->insns, sizeof(c->insns));
	err = tc_verify(&tc, &env);
	if (err || env.tc_ctx_fill != c->fill || env.tc_ctx_written != c->written)
		tap_diag("err %d, tc_ctx_fill %#llx (want %#llx), written %d, log:\n%s",
			 err, (unsigned long long)env.tc_ctx_fill,
			 (unsigned long long)c->fill, env.tc_ctx_written, tc_log);
	ok(!err && env.tc_ctx_fill == c->fill && env.tc_ctx_written == c->written,
	   "fill: %s", c->name);
	bpfdev_verifier_env_release(&env);
}

int main(void)
{
	u32 i;

	tap_plan(ARRAY_SIZE(tc_cases) + ARRAY_SIZE(tc_fill_cases) + 3);
	for (i = 0; i < ARRAY_SIZE(tc_cases); i++)
		tc_case_run(&tc_cases[i]);
	for (i = 0; i < ARRAY_SIZE(tc_fill_cases); i++)
		tc_fill_case_run(&tc_fill_cases[i]);
	tc_run_tests();
	return tap_done();
}
