/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The verifier's private state, shared by its files:
 *   verifier.c        driver: setup, the main loop, fixups
 *   verifier_cfg.c    structure and control-flow checks, subprograms
 *   verifier_state.c  states, branches, pruning, liveness
 *   verifier_bounds.c register primitives, keeping bounds in sync
 *   verifier_alu.c    scalar ALU ranges
 *   verifier_ptr.c    pointer arithmetic, the ALU dispatch (MOV and the rest)
 *   verifier_jmp.c    conditional jumps, null checks, packet ranges
 *   verifier_mem.c    loads, stores, atomics: ctx, packet, map values, memory
 *   verifier_stack.c  stack slots: spills, fills, depth
 *   verifier_call.c   helper calls, BPF-to-BPF calls, exits, references
 *   verifier_log.c    printing register states
 *   verifier_sanitize.c Spectre mitigations for !bypass_spec_v1/v4 callers:
 *                     speculative paths, pointer ALU limits, dead code
 *   verifier_patch.c  the rewrite that grows the program: ALU masking and
 *                     nospec barriers, jumps and calls moved to match
 *   ctx_skb.c         socket-filter context rules and rewrite
 * Names follow the kernel's verifier so a reader can compare the two: a
 * function private to its file keeps the kernel's name, a shared one gets
 * the bpfdev_ prefix after any leading underscores (__mark_reg_unknown()
 * is __bpfdev_mark_reg_unknown()), and the types are the kernel's with
 * bpf_ turned into bpfdev_ (struct bpfdev_reg_state), so that neither a
 * symbol nor a type of the module shadows one of the kernel's.
 */
#ifndef BPFDEV_CORE_VERIFIER_INTERNAL_H
#define BPFDEV_CORE_VERIFIER_INTERNAL_H

#include "verifier.h"
#include "tnum.h"
#include "helper_proto.h"

#define MAX_BPF_REG_	11		/* r0..r10 */
#define BPF_REG_SIZE	8
#define BPF_REG_FP	BPF_REG_10
#define MAX_PACKET_OFF	0xffff
#define BPF_MAX_VAR_OFF	(1 << 29)
#define BPF_MAX_VAR_SIZ	(1 << 29)
#define BPF_COMPLEXITY_LIMIT_JMP_SEQ	8192
#define BPF_COMPLEXITY_LIMIT_STATES	64
#define BPFDEV_MAX_STORED_STATES	32768
#define BPFDEV_MAX_JMP_HISTORY	1024
#define BPFDEV_MAX_REFS	32

/* Register types; PTR_MAYBE_NULL and the MEM_* bits are flags on top. */
enum {
	NOT_INIT = 0,
	SCALAR_VALUE,
	PTR_TO_CTX,
	CONST_PTR_TO_MAP,
	PTR_TO_MAP_VALUE,
	PTR_TO_MAP_KEY,
	PTR_TO_STACK,
	PTR_TO_PACKET_META,
	PTR_TO_PACKET,
	PTR_TO_PACKET_END,
	PTR_TO_MEM,
	/*
	 * __sk_buff.sk (PTR_TO_SOCK_COMMON_OR_NULL): bpfdev's contexts have
	 * no socket, so it is always NULL at run time; once null-checked it
	 * may be kept and compared, not dereferenced (ctx_skb.c).
	 */
	PTR_TO_SOCK_COMMON,
	__BPF_REG_TYPE_MAX,
};
#define BPF_BASE_TYPE_MASK	0xff
#define PTR_MAYBE_NULL		(1U << 8)
#define MEM_RDONLY		(1U << 9)
#define MEM_ALLOC		(1U << 10)

static inline u32 base_type(u32 t)
{
	return t & BPF_BASE_TYPE_MASK;
}

static inline bool type_may_be_null(u32 t)
{
	return t & PTR_MAYBE_NULL;
}

static inline bool type_is_pkt_pointer(u32 t)
{
	t = base_type(t);
	return t == PTR_TO_PACKET || t == PTR_TO_PACKET_META;
}

/* Liveness of a register or stack slot since the state's checkpoint. */
#define REG_LIVE_NONE		0
#define REG_LIVE_READ32		0x1
#define REG_LIVE_READ64		0x2
#define REG_LIVE_READ		(REG_LIVE_READ32 | REG_LIVE_READ64)
#define REG_LIVE_WRITTEN	0x4
#define REG_LIVE_DONE		0x8

struct bpfdev_reg_state {
	u32			type;
	s32			off;		/* fixed part of a pointer's offset */
	u32			range;		/* packet: bytes proven from off */
	u32			mem_size;	/* PTR_TO_MEM */
	const struct bpfdev_map_desc *map_ptr; /* map ptr and map value */
	struct tnum		var_off;
	s64			smin_value, smax_value;
	u64			umin_value, umax_value;
	s32			s32_min_value, s32_max_value;
	u32			u32_min_value, u32_max_value;
	u32			id;		/* copies share it: null / range checks */
	u32			ref_obj_id;	/* acquired reference */
	u32			frameno;	/* PTR_TO_STACK: whose stack */
	struct bpfdev_reg_state	*parent;	/* liveness chain */
	/*
	 * 1 + the instruction that wrote the lower 32 bits only, while no
	 * 64-bit read has needed its upper half (DEF_NOT_SUBREG: none).
	 * It belongs to the register, not the value: copies keep dst's.
	 */
	s32			subreg_def;
	u8			live;
	bool			precise;
};

#define DEF_NOT_SUBREG	0

enum {
	STACK_INVALID,
	STACK_SPILL,
	STACK_MISC,
	STACK_ZERO,
};

struct bpfdev_stack_state {
	struct bpfdev_reg_state	spilled_ptr;
	u8			slot_type[BPF_REG_SIZE];
};

struct bpfdev_func_state {
	struct bpfdev_reg_state	regs[MAX_BPF_REG_];
	int			callsite;	/* insn of the call, -1 in main */
	u32			frameno;
	u32			subprogno;
	int			allocated_stack; /* bytes, multiple of 8 */
	struct bpfdev_stack_state	*stack;
};

struct bpfdev_reference_state {
	u32	id;
	int	insn_idx;
};

/* A non-sequential step of a path: insn idx was reached from prev_idx. */
struct bpfdev_idx_pair {
	u32	idx;
	u32	prev_idx;
};

struct bpfdev_verifier_state {
	struct bpfdev_func_state	*frame[BPF_MAX_CALL_FRAMES];
	struct bpfdev_verifier_state *parent;
	u32			branches;	/* unexplored children + self */
	u32			insn_idx;
	u32			curframe;
	u32			acquired_refs;
	struct bpfdev_reference_state refs[BPFDEV_MAX_REFS];
	/* the path since the parent checkpoint, for precision backtracking */
	u32			first_insn_idx;
	u32			last_insn_idx;
	u32			jmp_history_cnt;
	struct bpfdev_idx_pair	*jmp_history;
	/* too long a path to keep: backtracking through it gives up */
	bool			jmp_history_lost;
	/* a checkpoint whose scalars, and its ancestors', are all precise */
	bool			all_precise;
	/* a path the CPU may only take speculatively (sanitize_*()) */
	bool			speculative;
};

struct bpfdev_verifier_state_list {
	struct bpfdev_verifier_state	state;
	struct bpfdev_verifier_state_list	*next;
	int				miss_cnt, hit_cnt;
};

struct bpfdev_verifier_stack_elem {
	struct bpfdev_verifier_state	st;
	int				insn_idx;
	int				prev_insn_idx;
	struct bpfdev_verifier_stack_elem	*next;
	u32				log_pos;
};

/* aux->alu_state: how verifier_patch.c masks a pointer ALU op (the kernel's) */
#define BPF_ALU_SANITIZE_SRC	(1U << 0)
#define BPF_ALU_SANITIZE_DST	(1U << 1)
#define BPF_ALU_NEG_VALUE	(1U << 2)
#define BPF_ALU_NON_POINTER	(1U << 3)
#define BPF_ALU_IMMEDIATE	(1U << 4)
#define BPF_ALU_SANITIZE	(BPF_ALU_SANITIZE_SRC | BPF_ALU_SANITIZE_DST)

struct bpfdev_insn_aux_data {
	u32	ptr_type;	/* pointer type a load/store used */
	u32	alu_limit;	/* pointer ALU: the masking window */
	u8	alu_state;	/* pointer ALU: BPF_ALU_* */
	const struct bpfdev_map_desc *map_ptr; /* LD_IMM64; the map a lookup or tail call sees */
	bool	map_ptr_poison;	/* the call sees more than one map */
	u32	map_off;	/* BPF_PSEUDO_MAP_VALUE offset */
	u8	ctx_field_size;	/* ctx access: the field's size */
	s8	ctx_narrow_fix;	/* ctx load moved to its field's start */
	bool	seen;
	bool	prune_point;
	bool	jmp_point;	/* a jump lands here */
	bool	pkt_ctx_rewrite; /* ctx load of data/data_end */
	bool	ldimm64_tail;	/* second half of an LD_IMM64 */
	/* a 32-bit definition whose upper half some path reads as 64 bits */
	bool	zext_dst;
	/* a store the CPU may bypass (Spectre v4): a nospec follows it */
	bool	sanitize_stack_spill;
	u32	subprogno;
	u32	orig_idx;	/* the index in the program as loaded */
};

struct bpfdev_subprog_info {
	u32	start;
	u32	stack_depth;
	bool	has_ld_abs;
	bool	has_tail_call;
};

struct bpfdev_idmap;

/* The whole verification of one program. */
struct bpfdev_verifier {
	struct bpfdev_verifier_env	*env_pub;
	struct bpf_insn			*insns;	/* working copy */
	u32				len;
	u32				prog_type;
	struct bpfdev_insn_aux_data	*aux;
	struct bpfdev_log		*log;
	struct bpfdev_verifier_state	*cur_state;
	struct bpfdev_verifier_stack_elem	*head;
	int				stack_size;
	struct bpfdev_verifier_state_list	**explored_states;
	u32				*states_per_insn;
	struct bpfdev_subprog_info		subprog_info[BPFDEV_MAX_SUBPROGS + 1];
	u32				subprog_cnt;
	u32				id_gen;
	int				insn_idx;
	int				prev_insn_idx;
	u32				insn_processed;
	u32				prev_insn_processed;
	u32				jmps_processed;
	u32				prev_jmps_processed;
	u32				total_states;
	u32				peak_states;
	u32				max_states_per_insn;
	u32				mark_read; /* stats: longest liveness walk */
	struct bpfdev_verifier_state_list	*free_list;
	struct bpfdev_idmap		*idmap;	/* states_equal()'s scratch */
	bool				allow_ptr_leaks;
	bool				allow_uninit_stack;
	bool				bpf_capable;
	bool				bypass_spec_v1;
	bool				bypass_spec_v4;
	/* pointer ALU with a variable offset seen: scalars prune exactly */
	bool				explore_alu_limits;
	bool				allow_internal;
	bool				track_precision; /* else every scalar is precise */
	/* log */
	u32				prev_log_len;
	u32				prev_insn_print_len;
	u32				scratched_regs;
	u64				scratched_stack;
	/* scratch for printing */
	char				tmp_str[128];
};

/* log: verifier_log.c */
__printf(2, 3) void bpfdev_verbose(struct bpfdev_verifier *env, const char *fmt, ...);
bool bpfdev_vlog_level(struct bpfdev_verifier *env, u32 level);
void bpfdev_vlog_reset(struct bpfdev_verifier *env, u32 pos);
u32 bpfdev_vlog_pos(struct bpfdev_verifier *env);
const char *bpfdev_reg_type_str(struct bpfdev_verifier *env, u32 type);
void bpfdev_print_verifier_state(struct bpfdev_verifier *env,
				 const struct bpfdev_func_state *state, bool print_all);
void bpfdev_print_insn_state(struct bpfdev_verifier *env, const struct bpfdev_func_state *state);
void bpfdev_print_bpf_insn(struct bpfdev_verifier *env, const struct bpf_insn *insn);
void bpfdev_mark_reg_scratched(struct bpfdev_verifier *env, u32 regno);
void bpfdev_mark_stack_slot_scratched(struct bpfdev_verifier *env, u32 spi);
bool bpfdev_verifier_state_scratched(const struct bpfdev_verifier *env);
void bpfdev_mark_verifier_state_scratched(struct bpfdev_verifier *env);

/* cfg: verifier_cfg.c */
int bpfdev_check_structure(struct bpfdev_verifier *env);
int bpfdev_check_subprogs(struct bpfdev_verifier *env);
int bpfdev_check_cfg(struct bpfdev_verifier *env);
int bpfdev_check_max_stack_depth(struct bpfdev_verifier *env);
int bpfdev_find_subprog(struct bpfdev_verifier *env, int off);

/* states: verifier_state.c */
struct bpfdev_verifier_state *bpfdev_alloc_state(void);
void bpfdev_free_verifier_state(struct bpfdev_verifier_state *state, bool free_self);
int bpfdev_grow_stack_state(struct bpfdev_func_state *state, int size);
struct bpfdev_verifier_state *bpfdev_push_stack(struct bpfdev_verifier *env, int insn_idx,
						int prev_insn_idx, bool speculative);
int bpfdev_pop_stack(struct bpfdev_verifier *env, int *prev_insn_idx, int *insn_idx,
		     bool pop_log);
void bpfdev_free_stack(struct bpfdev_verifier *env);
void bpfdev_update_branch_counts(struct bpfdev_verifier *env, struct bpfdev_verifier_state *st);
int bpfdev_is_state_visited(struct bpfdev_verifier *env, int insn_idx);
void bpfdev_free_explored_states(struct bpfdev_verifier *env);
int bpfdev_mark_reg_read(struct bpfdev_verifier *env, const struct bpfdev_reg_state *state,
			 struct bpfdev_reg_state *parent, u8 flag);

/* precision: verifier_precise.c */
int bpfdev_mark_chain_precision(struct bpfdev_verifier *env, int regno);
int bpfdev_mark_chain_precision_stack(struct bpfdev_verifier *env, int frame, int spi);
int bpfdev_push_jmp_history(struct bpfdev_verifier *env, struct bpfdev_verifier_state *st);
void bpfdev_mark_all_scalars_imprecise(struct bpfdev_verifier *env,
				       struct bpfdev_verifier_state *st);
int bpfdev_propagate_precision(struct bpfdev_verifier *env,
			       const struct bpfdev_verifier_state *old);

/* rewrites after verification and the zext marks for them: verifier_fixup.c */
bool bpfdev_is_reg64(struct bpfdev_verifier *env, const struct bpf_insn *insn, u32 regno,
		     const struct bpfdev_reg_state *reg, bool src_op);
void bpfdev_mark_insn_zext(struct bpfdev_verifier *env, struct bpfdev_reg_state *reg);
int bpfdev_patch_insn_data(struct bpfdev_verifier *env, u32 off, const struct bpf_insn *patch,
			   u32 cnt);
int bpfdev_opt_subreg_zext_lo32_rnd_hi32(struct bpfdev_verifier *env);

/* registers and bounds: verifier_bounds.c */
void ___bpfdev_mark_reg_known(struct bpfdev_reg_state *reg, u64 imm);
void __bpfdev_mark_reg_known(struct bpfdev_reg_state *reg, u64 imm);
void __bpfdev_mark_reg32_known(struct bpfdev_reg_state *reg, u64 imm);
void __bpfdev_mark_reg_const_zero(struct bpfdev_reg_state *reg);
void bpfdev_mark_reg_known_zero(struct bpfdev_verifier *env, struct bpfdev_reg_state *regs,
				u32 regno);
void __bpfdev_mark_reg64_unbounded(struct bpfdev_reg_state *reg);
void __bpfdev_mark_reg32_unbounded(struct bpfdev_reg_state *reg);
void __bpfdev_update_reg32_bounds(struct bpfdev_reg_state *reg);
void __bpfdev_update_reg_bounds(struct bpfdev_reg_state *reg);
void bpfdev_reg_bounds_sync(struct bpfdev_reg_state *reg);
void __bpfdev_reg_combine_32_into_64(struct bpfdev_reg_state *reg);
void __bpfdev_reg_combine_64_into_32(struct bpfdev_reg_state *reg);
void __bpfdev_mark_reg_unknown(const struct bpfdev_verifier *env, struct bpfdev_reg_state *reg);
void bpfdev_mark_reg_unknown(struct bpfdev_verifier *env, struct bpfdev_reg_state *regs, u32 regno);
void __bpfdev_mark_reg_not_init(const struct bpfdev_verifier *env, struct bpfdev_reg_state *reg);
void bpfdev_mark_reg_not_init(struct bpfdev_verifier *env, struct bpfdev_reg_state *regs,
			      u32 regno);
void bpfdev_copy_register_state(struct bpfdev_reg_state *dst, const struct bpfdev_reg_state *src);
void bpfdev_init_reg_state(struct bpfdev_verifier *env, struct bpfdev_func_state *state);
bool bpfdev_register_is_null(const struct bpfdev_reg_state *reg);
bool bpfdev_register_is_bounded(const struct bpfdev_reg_state *reg);
bool __bpfdev_is_pointer_value(bool allow_ptr_leaks, const struct bpfdev_reg_state *reg);
bool bpfdev_is_pointer_value(struct bpfdev_verifier *env, int regno);
bool bpfdev_reg_type_not_null(u32 type);
int bpfdev_check_reg_arg(struct bpfdev_verifier *env, u32 regno, bool src_op);
void bpfdev_coerce_reg_to_size(struct bpfdev_reg_state *reg, int size);
void bpfdev_coerce_reg_to_size_sx(struct bpfdev_reg_state *reg, int size);
void bpfdev_zext_32_to_64(struct bpfdev_reg_state *reg);

/* scalar ALU ranges: verifier_alu.c */
int bpfdev_adjust_scalar_min_max_vals(struct bpfdev_verifier *env, struct bpf_insn *insn,
				      struct bpfdev_reg_state *dst_reg,
				      struct bpfdev_reg_state src_reg);

static inline bool signed_add_overflows(s64 a, s64 b)
{
	s64 res = (s64)((u64)a + (u64)b);

	if (b < 0)
		return res > a;
	return res < a;
}

static inline bool signed_add32_overflows(s32 a, s32 b)
{
	s32 res = (s32)((u32)a + (u32)b);

	if (b < 0)
		return res > a;
	return res < a;
}

static inline bool signed_sub_overflows(s64 a, s64 b)
{
	s64 res = (s64)((u64)a - (u64)b);

	if (b < 0)
		return res < a;
	return res > a;
}

static inline bool signed_sub32_overflows(s32 a, s32 b)
{
	s32 res = (s32)((u32)a - (u32)b);

	if (b < 0)
		return res < a;
	return res > a;
}

/* pointer arithmetic and the ALU dispatch: verifier_ptr.c */
int bpfdev_check_ptr_off_reg(struct bpfdev_verifier *env, const struct bpfdev_reg_state *reg,
			     int regno);
int bpfdev_check_alu_op(struct bpfdev_verifier *env, struct bpf_insn *insn);

/* Spectre mitigations: verifier_sanitize.c */
struct bpfdev_sanitize_info {
	struct bpfdev_insn_aux_data	aux;
	bool				mask_to_left;
};

bool bpfdev_sanitize_needed(u8 opcode);
struct bpfdev_verifier_state *bpfdev_sanitize_speculative_path(struct bpfdev_verifier *env,
							       const struct bpf_insn *insn,
							       u32 next_idx, u32 curr_idx);
int bpfdev_sanitize_ptr_alu(struct bpfdev_verifier *env, struct bpf_insn *insn,
			    const struct bpfdev_reg_state *ptr_reg,
			    const struct bpfdev_reg_state *off_reg,
			    struct bpfdev_reg_state *dst_reg,
			    struct bpfdev_sanitize_info *info, bool commit_window);
int bpfdev_sanitize_val_alu(struct bpfdev_verifier *env, struct bpf_insn *insn);
int bpfdev_sanitize_err(struct bpfdev_verifier *env, const struct bpf_insn *insn, int reason,
			const struct bpfdev_reg_state *off_reg,
			const struct bpfdev_reg_state *dst_reg);
void bpfdev_sanitize_mark_insn_seen(struct bpfdev_verifier *env);
void bpfdev_sanitize_dead_code(struct bpfdev_verifier *env);

/* the rewrite that grows the program: verifier_patch.c */
int bpfdev_patch_sanitize(struct bpfdev_verifier *env);

/* conditional jumps and packet ranges: verifier_jmp.c */
int bpfdev_check_cond_jmp_op(struct bpfdev_verifier *env, struct bpf_insn *insn, int *insn_idx);

static inline struct bpfdev_func_state *cur_func(struct bpfdev_verifier *env)
{
	return env->cur_state->frame[env->cur_state->curframe];
}

static inline struct bpfdev_reg_state *cur_regs(struct bpfdev_verifier *env)
{
	return cur_func(env)->regs;
}

static inline struct bpfdev_func_state *func(struct bpfdev_verifier *env,
					     const struct bpfdev_reg_state *reg)
{
	return env->cur_state->frame[reg->frameno];
}

static inline bool is_spilled_reg(const struct bpfdev_stack_state *stack)
{
	return stack->slot_type[BPF_REG_SIZE - 1] == STACK_SPILL;
}

/* loads and stores: verifier_mem.c */
enum bpfdev_access_type { BPFDEV_READ = 1, BPFDEV_WRITE = 2 };
int bpfdev_check_mem_access(struct bpfdev_verifier *env, int insn_idx, u32 regno, int off,
			    int bpf_size, int t, int value_regno, bool strict_alignment_once);
int bpfdev_check_load(struct bpfdev_verifier *env, struct bpf_insn *insn);
int bpfdev_check_store(struct bpfdev_verifier *env, struct bpf_insn *insn);
int bpfdev_check_st(struct bpfdev_verifier *env, struct bpf_insn *insn);
int bpfdev_check_atomic(struct bpfdev_verifier *env, int insn_idx, struct bpf_insn *insn);
int bpfdev_check_helper_mem_access(struct bpfdev_verifier *env, int regno, int access_size,
				   bool zero_size_allowed, bool raw_mode);

/* the stack: verifier_stack.c */
int bpfdev_update_stack_depth(struct bpfdev_verifier *env, const struct bpfdev_func_state *func,
			      int off);
int bpfdev_check_stack_access_within_bounds(struct bpfdev_verifier *env, int regno, int off,
					    int access_size, bool helper, int type);
int bpfdev_check_stack_range_initialized(struct bpfdev_verifier *env, int regno, int off,
					 int access_size, bool zero_size_allowed,
					 bool helper, bool raw_mode);
int bpfdev_check_stack_read(struct bpfdev_verifier *env, int ptr_regno, int off, int size,
			    int dst_regno);
int bpfdev_check_stack_write(struct bpfdev_verifier *env, int ptr_regno, int off, int size,
			     int value_regno, int insn_idx);

/* calls: verifier_call.c */
int bpfdev_check_helper_call(struct bpfdev_verifier *env, struct bpf_insn *insn, int *insn_idx);
int bpfdev_check_func_call(struct bpfdev_verifier *env, struct bpf_insn *insn, int *insn_idx);
int bpfdev_prepare_func_exit(struct bpfdev_verifier *env, int *insn_idx);
int bpfdev_check_reference_leak(struct bpfdev_verifier *env);
int bpfdev_check_return_code(struct bpfdev_verifier *env);
int bpfdev_check_ld_abs(struct bpfdev_verifier *env, struct bpf_insn *insn);
bool bpfdev_prog_may_ld_abs(u32 prog_type);

/* context: ctx_skb.c */
int bpfdev_ctx_access(struct bpfdev_verifier *env, int insn_idx, int off, int size,
		      int t, u32 *reg_type);
int bpfdev_convert_ctx_accesses(struct bpfdev_verifier *env);
bool bpfdev_prog_type_supported(u32 prog_type);
bool bpfdev_may_access_direct_pkt_data(struct bpfdev_verifier *env, int t);
bool bpfdev_skb_is_valid_access(u32 off, int size, int t, u32 *reg_type, u8 *field_size);
/* tracing programs (bpfdev_prog_type_is_trace()): ctx_trace.c */
bool bpfdev_trace_is_valid_access(struct bpfdev_verifier *env, int off, int size,
				  int t, u8 *field_size);
/* tc programs: ctx_tc.c */
bool bpfdev_prog_type_is_tc(u32 prog_type);
bool bpfdev_tc_is_valid_access(struct bpfdev_verifier *env, u32 off, int size,
			       int t, u32 *reg_type, u8 *field_size);
bool bpfdev_tc_may_access_direct_pkt_data(struct bpfdev_verifier *env, int t);
void bpfdev_tc_record_pkt_use(struct bpfdev_verifier *env);
void bpfdev_clear_all_pkt_pointers(struct bpfdev_verifier *env);

/* array-map lookups inlined: verifier_inline.c */
void bpfdev_record_func_map(struct bpfdev_verifier *env, int insn_idx, int func_id,
			    const struct bpfdev_map_desc *map);
int bpfdev_inline_map_lookups(struct bpfdev_verifier *env);

#endif /* BPFDEV_CORE_VERIFIER_INTERNAL_H */
