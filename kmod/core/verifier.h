/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The eBPF verifier: proves a program safe by abstract interpretation over
 * all of its paths, as the kernel's kernel/bpf/verifier.c (6.1) does, and
 * produces the instructions the engine runs.
 *
 * The caller fills the inputs of a struct bpfdev_verifier_env, calls
 * bpfdev_verify(), uses the outputs, then bpfdev_verifier_env_release().
 */
#ifndef BPFDEV_CORE_VERIFIER_H
#define BPFDEV_CORE_VERIFIER_H

#include "code.h"
#include "log.h"
#include "map_desc.h"

struct bpfdev_verifier;

/*
 * A speculation barrier (the kernel's BPF_ST | BPF_NOSPEC): not an
 * instruction a program may contain, only one the verifier puts into the
 * xlated program of a caller without CAP_PERFMON (verifier_patch.c); the
 * JIT emits lfence, the interpreter its own barrier.  Both engines also
 * take BPFDEV_REG_AX (jit.h) in xlated programs, as the kernel's do.
 */
#define BPFDEV_ST_NOSPEC	(BPF_ST | 0xc0)

#define BPFDEV_MAX_SUBPROGS	256
#define BPFDEV_MAX_USED_MAPS	64	/* the kernel's MAX_USED_MAPS */
#define BPFDEV_COMPLEXITY_LIMIT_INSNS	1000000

/*
 * Resolves the LD_IMM64 at insn with pseudo source src_reg
 * (BPF_PSEUDO_MAP_FD or BPF_PSEUDO_MAP_VALUE) and imm fd to the map's
 * descriptor; returns 0 or a negative errno (-EBADF for a bad fd).
 * The descriptor must outlive the verified program.
 */
typedef int (*bpfdev_map_resolve_fn)(void *priv, u32 src_reg, s32 fd,
				     const struct bpfdev_map_desc **desc);

struct bpfdev_verifier_env {
	/* ---- inputs ---- */
	const struct bpf_insn	*insns;		/* as loaded; not modified */
	u32			len;
	u32			prog_type;	/* enum bpf_prog_type */
	u32			expected_attach_type;
	/*
	 * The caller's capabilities, read as 6.1's bpf_check() reads them.
	 * privileged: CAP_BPF and CAP_PERFMON, everything the kernel allows
	 * root.  Otherwise bpf_capable (CAP_BPF: bounded loops, more
	 * helpers, precision tracking, BPF_ST constants, 1M instructions)
	 * and perfmon_capable (CAP_PERFMON: allow_ptr_leaks,
	 * allow_uninit_stack, bypass_spec_v1/v4, i.e. no Spectre
	 * mitigations) are taken one by one; neither is a caller without
	 * CAP_BPF (an unprivileged socket filter).
	 */
	bool			privileged;
	bool			bpf_capable;
	bool			perfmon_capable;
	/* bpfdev's own helpers (classic conversion) may be called */
	bool			internal;
	/* testing: no precision tracking, every scalar compared when pruning */
	bool			all_precise;
	/*
	 * The license is not GPL-compatible (the kernel's !gpl_compatible):
	 * gpl_only helpers are refused.  Zero, the default, is a GPL program.
	 */
	bool			non_gpl;
	/* PROG_LOAD's prog_flags: BPF_F_TEST_RND_HI32 is the one read here */
	u32			prog_flags;
	struct bpfdev_log	*log;		/* may be NULL */
	/* Helpers on offer: a call to a NULL slot is an unknown func. */
	const struct bpfdev_env	*helpers;	/* NULL: every prototype */
	bpfdev_map_resolve_fn	map_resolve;	/* NULL: no maps */
	void			*map_priv;

	/* ---- outputs (bpfdev_verifier_env_release() frees them) ---- */
	struct bpf_insn		*xlated;	/* what the engine runs */
	u32			xlated_len;
	u32			*orig_idx;	/* xlated index -> insns index */
	u32			subprog_cnt;
	u32			subprog_start[BPFDEV_MAX_SUBPROGS];
	u32			stack_depth[BPFDEV_MAX_SUBPROGS]; /* bytes, per subprogram */
	u32			verified_insns;	/* instructions processed */
	u32			total_states;
	u32			peak_states;
	u32			max_states_per_insn;
	const struct bpfdev_map_desc *used_maps[BPFDEV_MAX_USED_MAPS];
	u32			used_map_cnt;
	u32			max_pkt_offset;
	/*
	 * The end (off + size) of the farthest context access, as the
	 * kernel's aux->max_ctx_offset: a tracepoint's attach compares it
	 * with the record or argument count it will pass.
	 */
	u32			max_ctx_offset;
	/* the program writes packet bytes directly: unclone before it runs */
	bool			seen_direct_write;
	/*
	 * tc: the __sk_buff words the program reads or must find set (cb[]
	 * it writes; the stored-back fields when it writes one), and whether
	 * it writes a field the host stores back (core/skb_tc.h).
	 */
	u64			tc_ctx_fill;
	bool			tc_ctx_written;
	/* The instruction that failed verification, or -1. */
	s32			err_insn;
};

/*
 * Verify env->insns.  Returns 0 when the program is safe and the outputs
 * are set; otherwise a negative errno (-EINVAL, -EACCES, -E2BIG, -EFAULT,
 * -ENOSPC when the log did not fit, -ENOMEM) with the reason in the log.
 */
int bpfdev_verify(struct bpfdev_verifier_env *env);

void bpfdev_verifier_env_release(struct bpfdev_verifier_env *env);

/* Name of a program type for messages and tools ("socket_filter"). */
const char *bpfdev_prog_type_name(u32 prog_type);

/*
 * The tracing program types (KPROBE, TRACEPOINT, RAW_TRACEPOINT,
 * PERF_EVENT): 6.1's is_perfmon_prog_type() of those bpfdev offers.
 */
bool bpfdev_prog_type_is_trace(u32 prog_type);

/*
 * The sizes 6.1's tracing context rules are written in (x86-64): struct
 * pt_regs (a kprobe's context), PERF_MAX_TRACE_SIZE (a tracepoint record's
 * bound), MAX_BPF_FUNC_ARGS (a raw tracepoint's u64 args[]) and struct
 * bpf_perf_event_data (regs, sample_period, addr).  Portable constants:
 * kmod/trace.c checks them against the kernel's at build time.
 */
#define BPFDEV_PT_REGS_SIZE		168
#define BPFDEV_PERF_MAX_TRACE_SIZE	8192
#define BPFDEV_MAX_BPF_FUNC_ARGS	12
#define BPFDEV_PERF_EVENT_DATA_SIZE	(BPFDEV_PT_REGS_SIZE + 16)
#define BPFDEV_PERF_EVENT_SAMPLE_PERIOD	BPFDEV_PT_REGS_SIZE
#define BPFDEV_PERF_EVENT_ADDR		(BPFDEV_PT_REGS_SIZE + 8)

#endif /* BPFDEV_CORE_VERIFIER_H */
