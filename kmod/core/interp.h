/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The eBPF interpreter, in two builds from one source (interp_body.h):
 *
 *   fast     bpfdev_interp_run(), bpfdev_interp_run_args(): trusts the
 *            program (the verifier has checked it); what the module runs.
 *   checked  bpfdev_interp_run_checked(): runs any program, however
 *            broken, and reports the first fault with its instruction
 *            index instead of crashing: every memory access is checked
 *            against the regions the program was given, stack reads
 *            against what was written, plus opcodes, jumps, the call
 *            depth and an instruction budget.  bpfvm runs unverified
 *            programs with it; the fuzzers judge the verifier with it.
 */
#ifndef BPFDEV_CORE_INTERP_H
#define BPFDEV_CORE_INTERP_H

#include "code.h"

struct bpfdev_skb;

#define BPFDEV_REGION_READ	(1U << 0)
#define BPFDEV_REGION_WRITE	(1U << 1)
#define BPFDEV_REGION_RW	(BPFDEV_REGION_READ | BPFDEV_REGION_WRITE)

/* Memory a checked run may touch besides the stacks of its frames. */
struct bpfdev_region {
	u64		addr;
	u64		len;
	u32		flags;		/* BPFDEV_REGION_* */
	const char	*name;		/* for error messages; may be NULL */
};

/* Regions a helper handed out during a run (map values, ...), at most. */
#define BPFDEV_RUN_HELPER_REGIONS	16
/* Instructions a checked run may execute when opts->budget is 0. */
#define BPFDEV_RUN_DEFAULT_BUDGET	(1ULL << 24)

struct bpfdev_run_opts {
	size_t			sz;		/* sizeof(struct bpfdev_run_opts) or 0 */
	u64			args[5];	/* r1..r5 at entry */
	const struct bpfdev_region *regions;
	u32			nr_regions;
	/* The packet context behind LD_ABS/LD_IND (must be r6), or NULL. */
	const struct bpfdev_skb	*skb;
	u64			budget;		/* instructions; 0: the default */
	/*
	 * The bpf_conformance "unwind" helper id (0: none): when it returns
	 * 0 the whole program ends with r0 = 0.
	 */
	s32			unwind_helper;
	/*
	 * Called after each helper call: returns true and fills *region when
	 * the helper's return value points at memory the program may use
	 * (a map value).  May be NULL.
	 */
	bool (*helper_region)(void *priv, u32 func_id, u64 ret,
			      struct bpfdev_region *region);
	void			*priv;
	char			*err;		/* message of the first fault */
	size_t			err_size;
	/*
	 * Loads of stack bytes never written are no fault: what the
	 * verifier allows callers with CAP_PERFMON (allow_uninit_stack).
	 */
	bool			uninit_stack;
};

/*
 * Runs code under checks.  Returns 0 with *r0 set, or a negative errno with
 * the message in opts->err: -EINVAL for a malformed program (invalid
 * opcode, jump out of range, truncated LD_IMM64, unknown helper), -EFAULT
 * for a bad memory access, -ELOOP for a runaway program or calls nested
 * deeper than BPF_MAX_CALL_FRAMES.  Never crashes on any program.
 */
int bpfdev_interp_run_checked(const struct bpfdev_code *code,
			      const struct bpfdev_run_opts *opts, u64 *r0);

/* The fast interpreter with r1 and r2 given (r1 = memory, r2 = length). */
u64 bpfdev_interp_run_args(const struct bpfdev_code *code, u64 r1, u64 r2);

/*
 * The regions of a socket-filter context: the __sk_buff (read-only but
 * for cb[]), the data/data_end pointers the verifier's context rewrite
 * reads, and the linear packet bytes (read-only).  Returns how many it
 * wrote to r (at most BPFDEV_SKB_REGIONS).
 */
#define BPFDEV_SKB_REGIONS	4
u32 bpfdev_interp_skb_regions(const struct bpfdev_skb *skb,
			      struct bpfdev_region *r);

#endif /* BPFDEV_CORE_INTERP_H */
