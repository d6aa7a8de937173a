/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The verifier's private state, shared by its files:
 *   verifier.c        driver: setup, the main loop, fixups
 *   verifier_cfg.c    structure and control-flow checks, subprograms
 *   verifier_state.c  states, branches, pruning, liveness
 *   verifier_alu.c    scalar bounds, ALU, pointer arithmetic, branches
 *   verifier_mem.c    loads and stores: stack, ctx, packet, map values
 *   verifier_call.c   helper calls, BPF-to-BPF calls, exits, references
 *   verifier_log.c    printing register states
 *   ctx_skb.c         socket-filter context rules and rewrite
 * Names follow the kernel's verifier so a reader can compare the two.
 */
#ifndef BPFDEV_CORE_VERIFIER_INTERNAL_H
#define BPFDEV_CORE_VERIFIER_INTERNAL_H

#include "verifier.h"
#include "tnum.h"
#include "helper_proto.h"

/*
 * Every shared function keeps the kernel verifier's name in the source and
 * gets the bpfdev_ prefix as a symbol.
 */
#define verbose	bpfdev_v_verbose
#define mark_chain_precision	bpfdev_v_mark_chain_precision
#define mark_chain_precision_stack	bpfdev_v_mark_chain_precision_stack
#define push_jmp_history	bpfdev_v_push_jmp_history
#define mark_all_scalars_imprecise	bpfdev_v_mark_all_scalars_imprecise
#define propagate_precision	bpfdev_v_propagate_precision
#define reg_type_str	bpfdev_v_reg_type_str
#define print_verifier_state	bpfdev_v_print_verifier_state
#define print_insn_state	bpfdev_v_print_insn_state
#define print_bpf_insn	bpfdev_v_print_bpf_insn
#define mark_reg_scratched	bpfdev_v_mark_reg_scratched
#define mark_stack_slot_scratched	bpfdev_v_mark_stack_slot_scratched
#define verifier_state_scratched	bpfdev_v_verifier_state_scratched
#define mark_verifier_state_clean	bpfdev_v_mark_verifier_state_clean
#define mark_verifier_state_scratched	bpfdev_v_mark_verifier_state_scratched
#define free_verifier_state	bpfdev_v_free_verifier_state
#define copy_verifier_state	bpfdev_v_copy_verifier_state
#define grow_stack_state	bpfdev_v_grow_stack_state
#define push_stack	bpfdev_v_push_stack
#define pop_stack	bpfdev_v_pop_stack
#define free_stack	bpfdev_v_free_stack
#define update_branch_counts	bpfdev_v_update_branch_counts
#define is_state_visited	bpfdev_v_is_state_visited
#define free_explored_states	bpfdev_v_free_explored_states
#define mark_reg_read	bpfdev_v_mark_reg_read
#define __mark_reg_known	bpfdev_v__mark_reg_known
#define __mark_reg_known_zero	bpfdev_v__mark_reg_known_zero
#define __mark_reg_const_zero	bpfdev_v__mark_reg_const_zero
#define mark_reg_known_zero	bpfdev_v_mark_reg_known_zero
#define __mark_reg_unknown	bpfdev_v__mark_reg_unknown
#define mark_reg_unknown	bpfdev_v_mark_reg_unknown
#define __mark_reg_not_init	bpfdev_v__mark_reg_not_init
#define mark_reg_not_init	bpfdev_v_mark_reg_not_init
#define __mark_reg_unbounded	bpfdev_v__mark_reg_unbounded
#define reg_bounds_sync	bpfdev_v_reg_bounds_sync
#define __reg_assign_32_into_64	bpfdev_v__reg_assign_32_into_64
#define coerce_reg_to_size	bpfdev_v_coerce_reg_to_size
#define coerce_reg_to_size_sx	bpfdev_v_coerce_reg_to_size_sx
#define register_is_null	bpfdev_v_register_is_null
#define register_is_const	bpfdev_v_register_is_const
#define register_is_bounded	bpfdev_v_register_is_bounded
#define __is_pointer_value	bpfdev_v__is_pointer_value
#define is_pointer_value	bpfdev_v_is_pointer_value
#define reg_type_not_null	bpfdev_v_reg_type_not_null
#define copy_register_state	bpfdev_v_copy_register_state
#define check_reg_arg	bpfdev_v_check_reg_arg
#define check_alu_op	bpfdev_v_check_alu_op
#define check_cond_jmp_op	bpfdev_v_check_cond_jmp_op
#define check_reg_sane_offset	bpfdev_v_check_reg_sane_offset
#define check_ptr_off_reg	bpfdev_v_check_ptr_off_reg
#define init_reg_state	bpfdev_v_init_reg_state
#define mark_ptr_or_null_regs	bpfdev_v_mark_ptr_or_null_regs
#define clear_all_pkt_pointers	bpfdev_v_clear_all_pkt_pointers
#define check_mem_access	bpfdev_v_check_mem_access
#define check_load	bpfdev_v_check_load
#define check_store	bpfdev_v_check_store
#define check_st	bpfdev_v_check_st
#define check_atomic	bpfdev_v_check_atomic
#define check_helper_mem_access	bpfdev_v_check_helper_mem_access
#define check_packet_access	bpfdev_v_check_packet_access
#define update_stack_depth	bpfdev_v_update_stack_depth
#define check_helper_call	bpfdev_v_check_helper_call
#define check_func_call	bpfdev_v_check_func_call
#define prepare_func_exit	bpfdev_v_prepare_func_exit
#define check_reference_leak	bpfdev_v_check_reference_leak
#define check_return_code	bpfdev_v_check_return_code
#define check_ld_abs	bpfdev_v_check_ld_abs

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

struct bpf_reg_state {
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
	struct bpf_reg_state	*parent;	/* liveness chain */
	u8			live;
	bool			precise;
};

enum {
	STACK_INVALID,
	STACK_SPILL,
	STACK_MISC,
	STACK_ZERO,
};

struct bpf_stack_state {
	struct bpf_reg_state	spilled_ptr;
	u8			slot_type[BPF_REG_SIZE];
};

struct bpf_func_state {
	struct bpf_reg_state	regs[MAX_BPF_REG_];
	int			callsite;	/* insn of the call, -1 in main */
	u32			frameno;
	u32			subprogno;
	int			allocated_stack; /* bytes, multiple of 8 */
	struct bpf_stack_state	*stack;
};

struct bpf_reference_state {
	u32	id;
	int	insn_idx;
};

/* A non-sequential step of a path: insn idx was reached from prev_idx. */
struct bpf_idx_pair {
	u32	idx;
	u32	prev_idx;
};

struct bpf_verifier_state {
	struct bpf_func_state	*frame[BPF_MAX_CALL_FRAMES];
	struct bpf_verifier_state *parent;
	u32			branches;	/* unexplored children + self */
	u32			insn_idx;
	u32			curframe;
	u32			acquired_refs;
	struct bpf_reference_state refs[BPFDEV_MAX_REFS];
	/* the path since the parent checkpoint, for precision backtracking */
	u32			first_insn_idx;
	u32			last_insn_idx;
	u32			jmp_history_cnt;
	struct bpf_idx_pair	*jmp_history;
	/* too long a path to keep: backtracking through it gives up */
	bool			jmp_history_lost;
};

struct bpf_verifier_state_list {
	struct bpf_verifier_state	state;
	struct bpf_verifier_state_list	*next;
	int				miss_cnt, hit_cnt;
};

struct bpf_verifier_stack_elem {
	struct bpf_verifier_state	st;
	int				insn_idx;
	int				prev_insn_idx;
	struct bpf_verifier_stack_elem	*next;
	u32				log_pos;
};

struct bpf_insn_aux_data {
	u32	ptr_type;	/* pointer type a load/store used */
	const struct bpfdev_map_desc *map_ptr; /* LD_IMM64 */
	u32	map_off;	/* BPF_PSEUDO_MAP_VALUE offset */
	u8	ctx_field_size;	/* ctx access: the field's size */
	bool	seen;
	bool	prune_point;
	bool	jmp_point;	/* a jump lands here */
	bool	pkt_ctx_rewrite; /* ctx load of data/data_end */
	bool	ldimm64_tail;	/* second half of an LD_IMM64 */
	u32	subprogno;
};

struct bpf_subprog_info {
	u32	start;
	u32	stack_depth;
	bool	has_ld_abs;
	bool	has_tail_call;
};

/* The whole verification of one program. */
struct bpfdev_verifier {
	struct bpfdev_verifier_env	*env_pub;
	struct bpf_insn			*insns;	/* working copy */
	u32				len;
	u32				prog_type;
	struct bpf_insn_aux_data	*aux;
	struct bpfdev_log		*log;
	struct bpf_verifier_state	*cur_state;
	struct bpf_verifier_stack_elem	*head;
	int				stack_size;
	struct bpf_verifier_state_list	**explored_states;
	u32				*states_per_insn;
	struct bpf_subprog_info		subprog_info[BPFDEV_MAX_SUBPROGS + 1];
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
	struct bpf_verifier_state_list	*free_list;
	bool				allow_ptr_leaks;
	bool				bpf_capable;
	bool				bypass_spec_v1;
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
__printf(2, 3) void verbose(struct bpfdev_verifier *env, const char *fmt, ...);
bool bpfdev_vlog_level(struct bpfdev_verifier *env, u32 level);
void bpfdev_vlog_reset(struct bpfdev_verifier *env, u32 pos);
u32 bpfdev_vlog_pos(struct bpfdev_verifier *env);
const char *reg_type_str(struct bpfdev_verifier *env, u32 type);
void print_verifier_state(struct bpfdev_verifier *env,
			  const struct bpf_func_state *state, bool print_all);
void print_insn_state(struct bpfdev_verifier *env, const struct bpf_func_state *state);
void print_bpf_insn(struct bpfdev_verifier *env, const struct bpf_insn *insn);
void mark_reg_scratched(struct bpfdev_verifier *env, u32 regno);
void mark_stack_slot_scratched(struct bpfdev_verifier *env, u32 spi);
bool verifier_state_scratched(const struct bpfdev_verifier *env);
void mark_verifier_state_clean(struct bpfdev_verifier *env);
void mark_verifier_state_scratched(struct bpfdev_verifier *env);

/* cfg: verifier_cfg.c */
int bpfdev_check_structure(struct bpfdev_verifier *env);
int bpfdev_check_subprogs(struct bpfdev_verifier *env);
int bpfdev_check_cfg(struct bpfdev_verifier *env);
int bpfdev_check_max_stack_depth(struct bpfdev_verifier *env);
int bpfdev_find_subprog(struct bpfdev_verifier *env, int off);

/* states: verifier_state.c */
struct bpf_verifier_state *bpfdev_alloc_state(void);
void free_verifier_state(struct bpf_verifier_state *state, bool free_self);
int copy_verifier_state(struct bpf_verifier_state *dst,
			const struct bpf_verifier_state *src);
int grow_stack_state(struct bpf_func_state *state, int size);
struct bpf_verifier_state *push_stack(struct bpfdev_verifier *env, int insn_idx,
				      int prev_insn_idx);
int pop_stack(struct bpfdev_verifier *env, int *prev_insn_idx, int *insn_idx,
	      bool pop_log);
void free_stack(struct bpfdev_verifier *env);
void update_branch_counts(struct bpfdev_verifier *env, struct bpf_verifier_state *st);
int is_state_visited(struct bpfdev_verifier *env, int insn_idx);
void free_explored_states(struct bpfdev_verifier *env);
int mark_reg_read(struct bpfdev_verifier *env, const struct bpf_reg_state *state,
		  struct bpf_reg_state *parent, u8 flag);

/* precision: verifier_precise.c */
int mark_chain_precision(struct bpfdev_verifier *env, int regno);
int mark_chain_precision_stack(struct bpfdev_verifier *env, int frame, int spi);
int push_jmp_history(struct bpfdev_verifier *env, struct bpf_verifier_state *st);
void mark_all_scalars_imprecise(struct bpfdev_verifier *env, struct bpf_verifier_state *st);
int propagate_precision(struct bpfdev_verifier *env, const struct bpf_verifier_state *old);

/* registers: verifier_alu.c */
void __mark_reg_known(struct bpf_reg_state *reg, u64 imm);
void __mark_reg_known_zero(struct bpf_reg_state *reg);
void __mark_reg_const_zero(struct bpf_reg_state *reg);
void mark_reg_known_zero(struct bpfdev_verifier *env, struct bpf_reg_state *regs, u32 regno);
void __mark_reg_unknown(const struct bpfdev_verifier *env, struct bpf_reg_state *reg);
void mark_reg_unknown(struct bpfdev_verifier *env, struct bpf_reg_state *regs, u32 regno);
void __mark_reg_not_init(const struct bpfdev_verifier *env, struct bpf_reg_state *reg);
void mark_reg_not_init(struct bpfdev_verifier *env, struct bpf_reg_state *regs, u32 regno);
void __mark_reg_unbounded(struct bpf_reg_state *reg);
void reg_bounds_sync(struct bpf_reg_state *reg);
void __reg_assign_32_into_64(struct bpf_reg_state *reg);
void coerce_reg_to_size(struct bpf_reg_state *reg, int size);
void coerce_reg_to_size_sx(struct bpf_reg_state *reg, int size);
bool register_is_null(const struct bpf_reg_state *reg);
bool register_is_const(const struct bpf_reg_state *reg);
bool register_is_bounded(const struct bpf_reg_state *reg);
bool __is_pointer_value(bool allow_ptr_leaks, const struct bpf_reg_state *reg);
bool is_pointer_value(struct bpfdev_verifier *env, int regno);
bool reg_type_not_null(u32 type);
void copy_register_state(struct bpf_reg_state *dst, const struct bpf_reg_state *src);
int check_reg_arg(struct bpfdev_verifier *env, u32 regno, bool src_op);
int check_alu_op(struct bpfdev_verifier *env, struct bpf_insn *insn);
int check_cond_jmp_op(struct bpfdev_verifier *env, struct bpf_insn *insn, int *insn_idx);
int check_reg_sane_offset(struct bpfdev_verifier *env, const struct bpf_reg_state *reg,
			  u32 type);
int check_ptr_off_reg(struct bpfdev_verifier *env, const struct bpf_reg_state *reg,
		      int regno);
void init_reg_state(struct bpfdev_verifier *env, struct bpf_func_state *state);
void mark_ptr_or_null_regs(struct bpf_verifier_state *vstate, u32 regno, bool is_null);
void clear_all_pkt_pointers(struct bpfdev_verifier *env);

static inline struct bpf_func_state *cur_func(struct bpfdev_verifier *env)
{
	return env->cur_state->frame[env->cur_state->curframe];
}

static inline struct bpf_reg_state *cur_regs(struct bpfdev_verifier *env)
{
	return cur_func(env)->regs;
}

static inline struct bpf_func_state *func(struct bpfdev_verifier *env,
					  const struct bpf_reg_state *reg)
{
	return env->cur_state->frame[reg->frameno];
}

static inline bool is_spilled_reg(const struct bpf_stack_state *stack)
{
	return stack->slot_type[BPF_REG_SIZE - 1] == STACK_SPILL;
}

/* memory: verifier_mem.c */
enum bpf_access_type_ { BPF_READ_ = 1, BPF_WRITE_ = 2 };
#define BPF_READ	BPF_READ_
#define BPF_WRITE	BPF_WRITE_
int check_mem_access(struct bpfdev_verifier *env, int insn_idx, u32 regno, int off,
		     int bpf_size, int t, int value_regno, bool strict_alignment_once);
int check_load(struct bpfdev_verifier *env, struct bpf_insn *insn);
int check_store(struct bpfdev_verifier *env, struct bpf_insn *insn);
int check_st(struct bpfdev_verifier *env, struct bpf_insn *insn);
int check_atomic(struct bpfdev_verifier *env, int insn_idx, struct bpf_insn *insn);
int check_helper_mem_access(struct bpfdev_verifier *env, int regno, int access_size,
			    bool zero_size_allowed, bool raw_mode);
int check_packet_access(struct bpfdev_verifier *env, u32 regno, int off, int size,
			bool zero_size_allowed);
int update_stack_depth(struct bpfdev_verifier *env, const struct bpf_func_state *func,
		       int off);

/* calls: verifier_call.c */
int check_helper_call(struct bpfdev_verifier *env, struct bpf_insn *insn, int *insn_idx);
int check_func_call(struct bpfdev_verifier *env, struct bpf_insn *insn, int *insn_idx);
int prepare_func_exit(struct bpfdev_verifier *env, int *insn_idx);
int check_reference_leak(struct bpfdev_verifier *env);
int check_return_code(struct bpfdev_verifier *env);
int check_ld_abs(struct bpfdev_verifier *env, struct bpf_insn *insn);
bool bpfdev_prog_may_ld_abs(u32 prog_type);

/* context: ctx_skb.c */
int bpfdev_ctx_access(struct bpfdev_verifier *env, int insn_idx, int off, int size,
		      int t, u32 *reg_type);
int bpfdev_convert_ctx_accesses(struct bpfdev_verifier *env);
bool bpfdev_prog_type_supported(u32 prog_type);
bool bpfdev_may_access_direct_pkt_data(struct bpfdev_verifier *env, int t);

#endif /* BPFDEV_CORE_VERIFIER_INTERNAL_H */
