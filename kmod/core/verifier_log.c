// SPDX-License-Identifier: GPL-2.0
/*
 * The verifier log as the kernel (6.1) writes it: instruction lines from
 * the disassembler, register and stack states ("R1=ctx(off=0,imm=0)
 * R10=fp0 fp-8=mmmmmmmm"), and the log rewound at level 1 so that only
 * the path that failed remains.
 */

#include "verifier_internal.h"
#include "disasm.h"

#define BPF_LOG_MIN_ALIGNMENT	8U
#define BPF_LOG_ALIGNMENT	40U

void bpfdev_verbose(struct bpfdev_verifier *env, const char *fmt, ...)
{
	va_list args;

	if (!bpfdev_log_enabled(env->log))
		return;
	va_start(args, fmt);
	bpfdev_log_vwrite(env->log, fmt, args);
	va_end(args);
}

bool bpfdev_vlog_level(struct bpfdev_verifier *env, u32 level)
{
	return bpfdev_log_enabled(env->log) && (env->log->level & level);
}

u32 bpfdev_vlog_pos(struct bpfdev_verifier *env)
{
	return bpfdev_log_enabled(env->log) ? env->log->len : 0;
}

/* Forget what was written after pos: the kernel's bpf_vlog_reset(). */
void bpfdev_vlog_reset(struct bpfdev_verifier *env, u32 pos)
{
	bpfdev_log_reset(env->log, pos);
}

static const char *const reg_type_names[__BPF_REG_TYPE_MAX] = {
	[NOT_INIT]		= "?",
	[SCALAR_VALUE]		= "scalar",
	[PTR_TO_CTX]		= "ctx",
	[CONST_PTR_TO_MAP]	= "map_ptr",
	[PTR_TO_MAP_VALUE]	= "map_value",
	[PTR_TO_MAP_KEY]	= "map_key",
	[PTR_TO_STACK]		= "fp",
	[PTR_TO_PACKET_META]	= "pkt_meta",
	[PTR_TO_PACKET]		= "pkt",
	[PTR_TO_PACKET_END]	= "pkt_end",
	[PTR_TO_MEM]		= "mem",
	[PTR_TO_SOCK_COMMON]	= "sock_common",
};

/* "map_value_or_null", "alloc_mem", ...: the kernel's reg_type_str(). */
const char *bpfdev_reg_type_str(struct bpfdev_verifier *env, u32 type)
{
	const char *prefix = "", *postfix = "", *base = "?";

	if (base_type(type) < __BPF_REG_TYPE_MAX && reg_type_names[base_type(type)])
		base = reg_type_names[base_type(type)];
	if (type == PTR_TO_MEM + 0x1000)	/* buf: only named in messages */
		base = "buf";
	if (type & PTR_MAYBE_NULL)
		postfix = "_or_null";
	if (type & MEM_RDONLY)
		prefix = "rdonly_";
	if (type & MEM_ALLOC)
		prefix = "alloc_";
	snprintf(env->tmp_str, sizeof(env->tmp_str), "%s%s%s", prefix, base, postfix);
	return env->tmp_str;
}

void bpfdev_mark_reg_scratched(struct bpfdev_verifier *env, u32 regno)
{
	if (regno < 32)
		env->scratched_regs |= 1U << regno;
}

void bpfdev_mark_stack_slot_scratched(struct bpfdev_verifier *env, u32 spi)
{
	if (spi < 64)
		env->scratched_stack |= 1ULL << spi;
}

bool bpfdev_verifier_state_scratched(const struct bpfdev_verifier *env)
{
	return env->scratched_regs || env->scratched_stack;
}

static void mark_verifier_state_clean(struct bpfdev_verifier *env)
{
	env->scratched_regs = 0U;
	env->scratched_stack = 0ULL;
}

void bpfdev_mark_verifier_state_scratched(struct bpfdev_verifier *env)
{
	env->scratched_regs = ~0U;
	env->scratched_stack = ~0ULL;
}

static void print_liveness(struct bpfdev_verifier *env, u8 live)
{
	if (live & (REG_LIVE_READ | REG_LIVE_WRITTEN | REG_LIVE_DONE))
		bpfdev_verbose(env, "_");
	if (live & REG_LIVE_READ)
		bpfdev_verbose(env, "r");
	if (live & REG_LIVE_WRITTEN)
		bpfdev_verbose(env, "w");
	if (live & REG_LIVE_DONE)
		bpfdev_verbose(env, "D");
}

static void print_reg(struct bpfdev_verifier *env, const struct bpfdev_reg_state *reg)
{
	u32 t = reg->type;
	const char *sep = "";
	char tn_buf[48];

#define print_reg_field(fmt, ...) ({ bpfdev_verbose(env, "%s" fmt, sep, __VA_ARGS__); sep = ","; })
	if ((t == SCALAR_VALUE || t == PTR_TO_STACK) && tnum_is_const(reg->var_off)) {
		/* reg->off should be 0 for SCALAR_VALUE */
		bpfdev_verbose(env, "%s", t == SCALAR_VALUE ? "" : bpfdev_reg_type_str(env, t));
		bpfdev_verbose(env, "%lld", (long long)(reg->var_off.value + reg->off));
		return;
	}
	bpfdev_verbose(env, "%s(", bpfdev_reg_type_str(env, t));
	if (reg->id)
		print_reg_field("id=%d", reg->id);
	if (reg->ref_obj_id)
		print_reg_field("ref_obj_id=%d", reg->ref_obj_id);
	if (t != SCALAR_VALUE)
		print_reg_field("off=%d", reg->off);
	if (type_is_pkt_pointer(t))
		print_reg_field("r=%d", reg->range);
	else if (base_type(t) == CONST_PTR_TO_MAP || base_type(t) == PTR_TO_MAP_KEY ||
		 base_type(t) == PTR_TO_MAP_VALUE)
		print_reg_field("ks=%d,vs=%d", reg->map_ptr->key_size, reg->map_ptr->value_size);
	if (tnum_is_const(reg->var_off)) {
		/* Typically an immediate SCALAR_VALUE, but could be a pointer
		 * whose offset is too big to be stored in reg->off.
		 */
		print_reg_field("imm=%llx", (unsigned long long)reg->var_off.value);
	} else {
		if (reg->smin_value != (s64)reg->umin_value && reg->smin_value != S64_MIN)
			print_reg_field("smin=%lld", (long long)reg->smin_value);
		if (reg->smax_value != (s64)reg->umax_value && reg->smax_value != S64_MAX)
			print_reg_field("smax=%lld", (long long)reg->smax_value);
		if (reg->umin_value != 0)
			print_reg_field("umin=%llu", (unsigned long long)reg->umin_value);
		if (reg->umax_value != U64_MAX)
			print_reg_field("umax=%llu", (unsigned long long)reg->umax_value);
		if (!tnum_is_unknown(reg->var_off)) {
			bpfdev_tnum_strn(tn_buf, sizeof(tn_buf), reg->var_off);
			print_reg_field("var_off=%s", tn_buf);
		}
		if (reg->s32_min_value != reg->smin_value && reg->s32_min_value != S32_MIN)
			print_reg_field("s32_min=%d", (int)(reg->s32_min_value));
		if (reg->s32_max_value != reg->smax_value && reg->s32_max_value != S32_MAX)
			print_reg_field("s32_max=%d", (int)(reg->s32_max_value));
		if (reg->u32_min_value != reg->umin_value && reg->u32_min_value != 0)
			print_reg_field("u32_min=%d", (int)(reg->u32_min_value));
		if (reg->u32_max_value != reg->umax_value && reg->u32_max_value != U32_MAX)
			print_reg_field("u32_max=%d", (int)(reg->u32_max_value));
	}
	bpfdev_verbose(env, ")");
#undef print_reg_field
}

void bpfdev_print_verifier_state(struct bpfdev_verifier *env,
				 const struct bpfdev_func_state *state, bool print_all)
{
	static const char slot_type_char[] = {
		[STACK_INVALID] = '?', [STACK_SPILL] = 'r',
		[STACK_MISC] = 'm', [STACK_ZERO] = '0',
	};
	const struct bpfdev_reg_state *reg;
	int i, j;

	if (state->frameno)
		bpfdev_verbose(env, " frame%d:", state->frameno);
	for (i = 0; i < MAX_BPF_REG_; i++) {
		reg = &state->regs[i];
		if (reg->type == NOT_INIT)
			continue;
		if (!print_all && !(env->scratched_regs & (1U << i)))
			continue;
		bpfdev_verbose(env, " R%d", i);
		print_liveness(env, reg->live);
		bpfdev_verbose(env, "=");
		if (reg->type == SCALAR_VALUE && reg->precise)
			bpfdev_verbose(env, "P");
		print_reg(env, reg);
	}
	for (i = 0; i < state->allocated_stack / BPF_REG_SIZE; i++) {
		char types_buf[BPF_REG_SIZE + 1];
		bool valid = false;

		for (j = 0; j < BPF_REG_SIZE; j++) {
			if (state->stack[i].slot_type[j] != STACK_INVALID)
				valid = true;
			types_buf[j] = slot_type_char[state->stack[i].slot_type[j]];
		}
		types_buf[BPF_REG_SIZE] = 0;
		if (!valid)
			continue;
		if (!print_all && !(i < 64 && (env->scratched_stack & (1ULL << i))))
			continue;
		bpfdev_verbose(env, " fp%d", (-i - 1) * BPF_REG_SIZE);
		print_liveness(env, state->stack[i].spilled_ptr.live);
		if (is_spilled_reg(&state->stack[i])) {
			reg = &state->stack[i].spilled_ptr;
			bpfdev_verbose(env, "=%s", reg->type == SCALAR_VALUE ? "" :
				       bpfdev_reg_type_str(env, reg->type));
			if (reg->type == SCALAR_VALUE && reg->precise)
				bpfdev_verbose(env, "P");
			if (reg->type == SCALAR_VALUE && tnum_is_const(reg->var_off))
				bpfdev_verbose(env, "%lld",
					       (long long)(reg->var_off.value + reg->off));
		} else {
			bpfdev_verbose(env, "=%s", types_buf);
		}
	}
	if (env->cur_state && env->cur_state->acquired_refs &&
	    state->frameno == env->cur_state->curframe) {
		bpfdev_verbose(env, " refs=%d", env->cur_state->refs[0].id);
		for (i = 1; i < (int)env->cur_state->acquired_refs; i++)
			bpfdev_verbose(env, ",%d", env->cur_state->refs[i].id);
	}
	if (!print_all)
		mark_verifier_state_clean(env);
	bpfdev_verbose(env, "\n");
}

static u32 vlog_alignment(u32 pos)
{
	u32 a = max(pos, BPF_LOG_MIN_ALIGNMENT);

	return (a + BPF_LOG_ALIGNMENT - 1) / BPF_LOG_ALIGNMENT * BPF_LOG_ALIGNMENT - pos - 1;
}

/* The state after an instruction: on the instruction's own line if
 * nothing was printed since.
 */
void bpfdev_print_insn_state(struct bpfdev_verifier *env, const struct bpfdev_func_state *state)
{
	if (env->prev_log_len && env->prev_log_len == bpfdev_vlog_pos(env)) {
		/* remove new line character */
		bpfdev_vlog_reset(env, env->prev_log_len - 1);
		bpfdev_verbose(env, "%*c;", (int)vlog_alignment(env->prev_insn_print_len), ' ');
	} else {
		bpfdev_verbose(env, "%d:", env->insn_idx);
	}
	bpfdev_print_verifier_state(env, state, false);
}

void bpfdev_print_bpf_insn(struct bpfdev_verifier *env, const struct bpf_insn *insn)
{
	char buf[160];

	bpfdev_disasm_insn(insn, env->len - (insn - env->insns), buf, sizeof(buf));
	bpfdev_verbose(env, "%s\n", buf);
}
