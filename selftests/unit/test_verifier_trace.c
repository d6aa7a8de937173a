// SPDX-License-Identifier: GPL-2.0
/*
 * Tracing programs (BPF_PROG_TYPE_KPROBE, TRACEPOINT, RAW_TRACEPOINT,
 * PERF_EVENT) in the verifier: each context rule of 6.1's
 * kprobe_prog_is_valid_access(), tp_prog_is_valid_access(),
 * raw_tp_prog_is_valid_access() and pe_prog_is_valid_access(), named by
 * the rule and checked against 6.1's log message; max_ctx_offset as the
 * kernel's aux->max_ctx_offset; which helpers each type is offered, with
 * the tracing helpers' prototypes.
 */

#include <stdio.h>
#include <string.h>
#include "tap.h"
#include "interp.h"
#include "verifier.h"
#include "../common/test_verifier_host.h"

#define R0 BPF_REG_0
#define R1 BPF_REG_1
#define R2 BPF_REG_2
#define R3 BPF_REG_3
#define R4 BPF_REG_4
#define R5 BPF_REG_5
#define R6 BPF_REG_6
#define R10 BPF_REG_10
#define KP	BPF_PROG_TYPE_KPROBE
#define TP	BPF_PROG_TYPE_TRACEPOINT
#define RAW	BPF_PROG_TYPE_RAW_TRACEPOINT
#define PE	BPF_PROG_TYPE_PERF_EVENT
#define SF	BPF_PROG_TYPE_SOCKET_FILTER
#define CTX_ERR	"invalid bpf_context access"

/* r0 = *(size *)(r1 + off); exit */
#define LOAD(size, off)						\
	INSN_LDX_MEM(size, R0, R1, off),			\
	INSN_EXIT()

struct trace_case {
	const char		*name;
	u32			type;
	struct bpf_insn		insns[24];
	bool			accept;
	const char		*errstr;	/* refused: in the log */
	u32			max_ctx_offset;	/* accepted: expected */
	bool			non_gpl;
	bool			no_perfmon;	/* CAP_BPF without CAP_PERFMON */
};

/* the test host's stack trace map (vt_maps[] past the table's own) */
#define MAP_STACK	VT_NR_MAPS

/* r1 = ctx, r2 = map, r3 = flags; call get_stackid */
#define STACKID(map, flags)					\
	INSN_LD_MAP_FD(R2, map),				\
	INSN_MOV64_IMM(R3, flags),				\
	INSN_CALL(BPF_FUNC_get_stackid)

/* r1 = fp - 16, r2 = 16, r3 = r6 (a scalar); call fn */
#define READ16(fn)						\
	INSN_MOV64_IMM(R3, 0),					\
	INSN_MOV64_REG(R1, R10),				\
	INSN_ALU64_IMM(BPF_ADD, R1, -16),			\
	INSN_MOV64_IMM(R2, 16),					\
	INSN_CALL(fn)

static const struct trace_case trace_cases[] = {
/* ---- kprobe_prog_is_valid_access() ---- */
{ "kprobe: read a register (di)", KP, { LOAD(BPF_DW, 112) }, true, NULL, 120 },
{ "kprobe: read the last register (ss)", KP, { LOAD(BPF_DW, 160) }, true, NULL, 168 },
{ "kprobe: narrow read within a register", KP, { LOAD(BPF_B, 113) }, true, NULL, 114 },
{ "kprobe: 4 bytes at the end of pt_regs", KP, { LOAD(BPF_W, 164) }, true, NULL, 168 },
{ "kprobe: off >= sizeof(struct pt_regs)", KP, { LOAD(BPF_B, 168) },
  false, CTX_ERR " off=168 size=1" },
{ "kprobe: off % size != 0", KP, { LOAD(BPF_DW, 4) },
  false, CTX_ERR " off=4 size=8" },
{ "kprobe: negative off", KP, { LOAD(BPF_DW, -8) },
  false, CTX_ERR " off=-8 size=8" },
{ "kprobe: type != BPF_READ (stx)", KP, {
	INSN_MOV64_IMM(R2, 0),
	INSN_STX_MEM(BPF_DW, R1, R2, 80),
	INSN_MOV64_IMM(R0, 0),
	INSN_EXIT(),
  }, false, CTX_ERR " off=80 size=8" },
{ "kprobe: BPF_ST into the context", KP, {
	INSN_ST_MEM(BPF_DW, R1, 80, 0),
	INSN_MOV64_IMM(R0, 0),
	INSN_EXIT(),
  }, false, "BPF_ST stores into R1 ctx is not allowed" },
{ "kprobe: the farthest access is max_ctx_offset", KP, {
	INSN_LDX_MEM(BPF_DW, R2, R1, 104),
	INSN_LDX_MEM(BPF_W, R3, R1, 16),
	INSN_LDX_MEM(BPF_H, R0, R1, 150),
	INSN_EXIT(),
  }, true, NULL, 152 },
{ "kprobe: no context access, max_ctx_offset 0", KP, {
	INSN_MOV64_IMM(R0, 0),
	INSN_EXIT(),
  }, true, NULL, 0 },
/* ---- tp_prog_is_valid_access() ---- */
{ "tracepoint: off < sizeof(void *) (the regs pointer)", TP, { LOAD(BPF_DW, 0) },
  false, CTX_ERR " off=0 size=8" },
{ "tracepoint: a byte of the common fields", TP, { LOAD(BPF_B, 4) },
  false, CTX_ERR " off=4 size=1" },
{ "tracepoint: the first field", TP, { LOAD(BPF_W, 8) }, true, NULL, 12 },
{ "tracepoint: the last byte before PERF_MAX_TRACE_SIZE", TP,
  { LOAD(BPF_B, 8191) }, true, NULL, 8192 },
{ "tracepoint: off >= PERF_MAX_TRACE_SIZE", TP, { LOAD(BPF_B, 8192) },
  false, CTX_ERR " off=8192 size=1" },
{ "tracepoint: off % size != 0", TP, { LOAD(BPF_DW, 12) },
  false, CTX_ERR " off=12 size=8" },
{ "tracepoint: type != BPF_READ", TP, {
	INSN_MOV64_IMM(R2, 0),
	INSN_STX_MEM(BPF_W, R1, R2, 8),
	INSN_MOV64_IMM(R0, 0),
	INSN_EXIT(),
  }, false, CTX_ERR " off=8 size=4" },
/* ---- raw_tp_prog_is_valid_access() (bpf_tracing_ctx_access()) ---- */
{ "raw_tracepoint: args[0]", RAW, { LOAD(BPF_DW, 0) }, true, NULL, 8 },
{ "raw_tracepoint: args[11], the last of MAX_BPF_FUNC_ARGS", RAW,
  { LOAD(BPF_DW, 88) }, true, NULL, 96 },
{ "raw_tracepoint: off >= 8 * MAX_BPF_FUNC_ARGS", RAW, { LOAD(BPF_DW, 96) },
  false, CTX_ERR " off=96 size=8" },
{ "raw_tracepoint: narrow read of args[1]", RAW, { LOAD(BPF_W, 12) },
  true, NULL, 16 },
{ "raw_tracepoint: off % size != 0", RAW, { LOAD(BPF_W, 2) },
  false, CTX_ERR " off=2 size=4" },
{ "raw_tracepoint: type != BPF_READ", RAW, {
	INSN_MOV64_IMM(R2, 0),
	INSN_STX_MEM(BPF_DW, R1, R2, 0),
	INSN_MOV64_IMM(R0, 0),
	INSN_EXIT(),
  }, false, CTX_ERR " off=0 size=8" },
/* ---- pe_prog_is_valid_access() ---- */
{ "perf_event: regs.ip as a long", PE, { LOAD(BPF_DW, 128) }, true, NULL, 136 },
{ "perf_event: regs: size != sizeof(long)", PE, { LOAD(BPF_W, 128) },
  false, CTX_ERR " off=128 size=4" },
{ "perf_event: sample_period", PE, { LOAD(BPF_DW, 168) }, true, NULL, 176 },
{ "perf_event: sample_period, narrow (high half)", PE, { LOAD(BPF_W, 172) },
  true, NULL, 176 },
{ "perf_event: addr, narrow byte", PE, { LOAD(BPF_B, 183) }, true, NULL, 184 },
{ "perf_event: off >= sizeof(struct bpf_perf_event_data)", PE,
  { LOAD(BPF_B, 184) }, false, CTX_ERR " off=184 size=1" },
{ "perf_event: off % size != 0", PE, { LOAD(BPF_DW, 172) },
  false, CTX_ERR " off=172 size=8" },
{ "perf_event: type != BPF_READ", PE, {
	INSN_MOV64_IMM(R2, 0),
	INSN_STX_MEM(BPF_DW, R1, R2, 168),
	INSN_MOV64_IMM(R0, 0),
	INSN_EXIT(),
  }, false, CTX_ERR " off=168 size=8" },
/* ---- what else the tracing types take and refuse ---- */
{ "kprobe: modified ctx pointer", KP, {
	INSN_ALU64_IMM(BPF_ADD, R1, 8),
	INSN_LDX_MEM(BPF_DW, R0, R1, 0),
	INSN_EXIT(),
  }, false, "dereference of modified ctx ptr R1 off=8 disallowed" },
{ "kprobe: BPF_LD_ABS refused", KP, {
	INSN_MOV64_REG(R6, R1),
	INSN_LD_ABS(BPF_B, 0),
	INSN_EXIT(),
  }, false, "BPF_LD_[ABS|IND] instructions not allowed for this program type" },
{ "kprobe: any scalar return value", KP, {
	INSN_MOV64_IMM(R0, -1),
	INSN_EXIT(),
  }, true, NULL, 0 },
{ "kprobe: ktime_get_ns, get_smp_processor_id, trace_printk", KP, {
	INSN_CALL(BPF_FUNC_ktime_get_ns),
	INSN_CALL(BPF_FUNC_get_smp_processor_id),
	INSN_ST_MEM(BPF_W, R10, -8, 0x0a),
	INSN_MOV64_REG(R1, R10),
	INSN_ALU64_IMM(BPF_ADD, R1, -8),
	INSN_MOV64_IMM(R2, 4),
	INSN_CALL(BPF_FUNC_trace_printk),
	INSN_MOV64_IMM(R0, 0),
	INSN_EXIT(),
  }, true, NULL, 0 },
{ "kprobe: no skb_load_bytes", KP, {
	INSN_MOV64_IMM(R2, 0),
	INSN_MOV64_REG(R3, R10),
	INSN_ALU64_IMM(BPF_ADD, R3, -8),
	INSN_MOV64_IMM(R4, 4),
	INSN_CALL(BPF_FUNC_skb_load_bytes),
	INSN_EXIT(),
  }, false, "unknown func bpf_skb_load_bytes#26" },
{ "tracepoint: no redirect", TP, {
	INSN_MOV64_IMM(R1, 1),
	INSN_MOV64_IMM(R2, 0),
	INSN_CALL(BPF_FUNC_redirect),
	INSN_EXIT(),
  }, false, "unknown func bpf_redirect#23" },
/* ---- the tracing helpers' prototypes and who is offered them ---- */
{ "kprobe: probe_read_kernel into the stack", KP, {
	READ16(BPF_FUNC_probe_read_kernel), INSN_EXIT(),
  }, true, NULL, 0 },
{ "kprobe: probe_read_user_str into the stack", KP, {
	READ16(BPF_FUNC_probe_read_user_str), INSN_EXIT(),
  }, true, NULL, 0 },
{ "kprobe: probe_read_kernel_str, probe_read_user, probe_read, probe_read_str", KP, {
	READ16(BPF_FUNC_probe_read_kernel_str),
	READ16(BPF_FUNC_probe_read_user),
	READ16(BPF_FUNC_probe_read),
	READ16(BPF_FUNC_probe_read_str),
	INSN_EXIT(),
  }, true, NULL, 0 },
{ "kprobe: probe_read_kernel into unwritable memory (the context)", KP, {
	INSN_MOV64_IMM(R3, 0),
	INSN_MOV64_IMM(R2, 8),
	INSN_CALL(BPF_FUNC_probe_read_kernel),
	INSN_EXIT(),
  }, false, "R1 type=ctx expected=" },
{ "kprobe: probe_read_kernel of more than the buffer", KP, {
	INSN_MOV64_IMM(R3, 0),
	INSN_MOV64_REG(R1, R10),
	INSN_ALU64_IMM(BPF_ADD, R1, -16),
	INSN_MOV64_IMM(R2, 17),
	INSN_CALL(BPF_FUNC_probe_read_kernel),
	INSN_EXIT(),
  }, false, "invalid indirect access to stack R1 off=-16 size=17" },
{ "kprobe: probe_read_kernel of zero bytes (CONST_SIZE_OR_ZERO)", KP, {
	INSN_MOV64_IMM(R3, 0),
	INSN_MOV64_REG(R1, R10),
	INSN_ALU64_IMM(BPF_ADD, R1, -16),
	INSN_MOV64_IMM(R2, 0),
	INSN_CALL(BPF_FUNC_probe_read_kernel),
	INSN_EXIT(),
  }, true, NULL, 0 },
{ "kprobe: probe_read_kernel from a non-GPL program", KP, {
	READ16(BPF_FUNC_probe_read_kernel), INSN_EXIT(),
  }, false, "cannot call GPL-restricted function from non-GPL compatible program",
  0, true },
{ "socket filter: probe_read_kernel for CAP_PERFMON (bpf_base_func_proto)", SF, {
	READ16(BPF_FUNC_probe_read_kernel), INSN_EXIT(),
  }, true, NULL, 0 },
{ "socket filter: no probe_read_kernel without CAP_PERFMON", SF, {
	READ16(BPF_FUNC_probe_read_kernel), INSN_EXIT(),
  }, false, "unknown func bpf_probe_read_kernel#113", 0, false, true },
{ "socket filter: get_current_task for CAP_PERFMON", SF, {
	INSN_CALL(BPF_FUNC_get_current_task), INSN_EXIT(),
  }, true, NULL, 0 },
{ "socket filter: no probe_read (tracing only)", SF, {
	READ16(BPF_FUNC_probe_read), INSN_EXIT(),
  }, false, "unknown func bpf_probe_read#4" },
{ "kprobe: get_current_pid_tgid, uid_gid, task, ktime_get_boot_ns", KP, {
	INSN_CALL(BPF_FUNC_get_current_pid_tgid),
	INSN_CALL(BPF_FUNC_get_current_uid_gid),
	INSN_CALL(BPF_FUNC_get_current_task),
	INSN_CALL(BPF_FUNC_ktime_get_boot_ns),
	INSN_EXIT(),
  }, true, NULL, 0 },
{ "socket filter: no get_current_pid_tgid", SF, {
	INSN_CALL(BPF_FUNC_get_current_pid_tgid), INSN_EXIT(),
  }, false, "unknown func bpf_get_current_pid_tgid#14" },
{ "tc: no get_current_uid_gid", BPF_PROG_TYPE_SCHED_CLS, {
	INSN_CALL(BPF_FUNC_get_current_uid_gid), INSN_EXIT(),
  }, false, "unknown func bpf_get_current_uid_gid#15" },
{ "tracepoint: get_current_comm into the stack", TP, {
	INSN_MOV64_REG(R1, R10),
	INSN_ALU64_IMM(BPF_ADD, R1, -16),
	INSN_MOV64_IMM(R2, 16),
	INSN_CALL(BPF_FUNC_get_current_comm),
	INSN_EXIT(),
  }, true, NULL, 0 },
{ "tracepoint: get_current_comm of zero bytes (CONST_SIZE)", TP, {
	INSN_MOV64_REG(R1, R10),
	INSN_ALU64_IMM(BPF_ADD, R1, -16),
	INSN_MOV64_IMM(R2, 0),
	INSN_CALL(BPF_FUNC_get_current_comm),
	INSN_EXIT(),
  }, false, "invalid zero-sized read" },
{ "raw_tracepoint: send_signal", RAW, {
	INSN_MOV64_IMM(R1, 10),
	INSN_CALL(BPF_FUNC_send_signal),
	INSN_EXIT(),
  }, true, NULL, 0 },
{ "socket filter: no send_signal", SF, {
	INSN_MOV64_IMM(R1, 10),
	INSN_CALL(BPF_FUNC_send_signal),
	INSN_EXIT(),
  }, false, "unknown func bpf_send_signal#109" },
{ "kprobe: get_stackid of the context into a stack trace map", KP, {
	STACKID(MAP_STACK, BPF_F_USER_STACK), INSN_EXIT(),
  }, true, NULL, 0 },
{ "perf_event: get_stackid", PE, {
	STACKID(MAP_STACK, 0), INSN_EXIT(),
  }, true, NULL, 0 },
{ "kprobe: get_stackid from a non-GPL program", KP, {
	STACKID(MAP_STACK, 0), INSN_EXIT(),
  }, false, "cannot call GPL-restricted function from non-GPL compatible program",
  0, true },
{ "kprobe: get_stackid into a hash map", KP, {
	STACKID(VT_MAP_HASH_8B, 0), INSN_EXIT(),
  }, false, "cannot pass map_type 1 into func bpf_get_stackid#27" },
{ "kprobe: get_stackid of the stack, not the context", KP, {
	INSN_MOV64_REG(R1, R10),
	INSN_ALU64_IMM(BPF_ADD, R1, -8),
	STACKID(MAP_STACK, 0), INSN_EXIT(),
  }, false, "R1 type=fp expected=ctx" },
{ "kprobe: map_lookup_elem of a stack trace map", KP, {
	INSN_ST_MEM(BPF_W, R10, -4, 0),
	INSN_MOV64_REG(R2, R10),
	INSN_ALU64_IMM(BPF_ADD, R2, -4),
	INSN_LD_MAP_FD(R1, MAP_STACK),
	INSN_CALL(BPF_FUNC_map_lookup_elem),
	INSN_MOV64_IMM(R0, 0),
	INSN_EXIT(),
  }, false, "cannot pass map_type 7 into func bpf_map_lookup_elem#1" },
{ "socket filter: no get_stackid", SF, {
	STACKID(MAP_STACK, 0), INSN_EXIT(),
  }, false, "unknown func bpf_get_stackid#27" },
{ "kprobe: get_stack into the stack", KP, {
	INSN_MOV64_REG(R2, R10),
	INSN_ALU64_IMM(BPF_ADD, R2, -64),
	INSN_MOV64_IMM(R3, 64),
	INSN_MOV64_IMM(R4, 0),
	INSN_CALL(BPF_FUNC_get_stack),
	INSN_EXIT(),
  }, true, NULL, 0 },
{ "kprobe: get_stack past the stack's end", KP, {
	INSN_MOV64_REG(R2, R10),
	INSN_ALU64_IMM(BPF_ADD, R2, -64),
	INSN_MOV64_IMM(R3, 72),
	INSN_MOV64_IMM(R4, 0),
	INSN_CALL(BPF_FUNC_get_stack),
	INSN_EXIT(),
  }, false, "invalid indirect access to stack R2 off=-64 size=72" },
};

static char trace_log[1 << 16];

static int trace_verify(const struct trace_case *c, struct bpfdev_verifier_env *env)
{
	struct bpfdev_log log = { .level = 1, .buf = trace_log, .size = sizeof(trace_log) };
	u32 len = ARRAY_SIZE(c->insns);

	/* up to the last instruction: an LD_IMM64's second half has code 0 */
	while (len && !c->insns[len - 1].code)
		len--;
	memset(env, 0, sizeof(*env));
	env->insns = c->insns;
	env->len = len;
	env->prog_type = c->type;
	env->privileged = !c->no_perfmon;
	env->bpf_capable = true;
	env->perfmon_capable = !c->no_perfmon;
	env->non_gpl = c->non_gpl;
	env->log = &log;
	env->helpers = NULL;	/* every prototype */
	env->map_resolve = vt_map_resolve;
	trace_log[0] = 0;
	return bpfdev_verify(env);
}

static void trace_case_run(const struct trace_case *c)
{
	struct bpfdev_verifier_env env;
	int err = trace_verify(c, &env);
	bool pass;

	if (c->accept)
		pass = !err && env.max_ctx_offset == c->max_ctx_offset;
	else
		pass = err && c->errstr && strstr(trace_log, c->errstr);
	if (!pass)
		tap_diag("err %d, max_ctx_offset %u, log:\n%s", err,
			 err ? 0 : env.max_ctx_offset, trace_log);
	ok(pass, "%s", c->name);
	bpfdev_verifier_env_release(&env);
}

int main(void)
{
	u32 i;

	vt_maps_reset();
	vt_map_init(MAP_STACK, BPF_MAP_TYPE_STACK_TRACE, 4, 8 * 8, 16, 0);
	tap_plan(ARRAY_SIZE(trace_cases) + 5);
	for (i = 0; i < ARRAY_SIZE(trace_cases); i++)
		trace_case_run(&trace_cases[i]);
	ok(bpfdev_prog_type_is_trace(KP) && bpfdev_prog_type_is_trace(TP) &&
	   bpfdev_prog_type_is_trace(RAW) && bpfdev_prog_type_is_trace(PE) &&
	   !bpfdev_prog_type_is_trace(SF) &&
	   !bpfdev_prog_type_is_trace(BPF_PROG_TYPE_SCHED_CLS),
	   "the four tracing types");
	ok(!strcmp(bpfdev_prog_type_name(KP), "kprobe") &&
	   !strcmp(bpfdev_prog_type_name(TP), "tracepoint") &&
	   !strcmp(bpfdev_prog_type_name(RAW), "raw_tracepoint") &&
	   !strcmp(bpfdev_prog_type_name(PE), "perf_event"),
	   "tracing type names as bpftool's");
	ok(BPFDEV_PT_REGS_SIZE == 21 * 8, "struct pt_regs is 21 longs");
	ok(BPFDEV_PERF_EVENT_DATA_SIZE == 184, "struct bpf_perf_event_data is 184 bytes");
	ok(BPFDEV_PERF_MAX_TRACE_SIZE == 8192 && BPFDEV_MAX_BPF_FUNC_ARGS == 12,
	   "PERF_MAX_TRACE_SIZE and MAX_BPF_FUNC_ARGS as 6.1's");
	return tap_done();
}
