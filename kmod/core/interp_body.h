/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interpreter loop, built twice: interp.c includes it with
 * INTERP_CHECKED 0 for interp_fast(), which trusts the program, and
 * interp_checked.c with INTERP_CHECKED 1 for interp_checked(), which
 * checks every step and reports the first fault (userspace only).  Only
 * the macros below differ between the two.
 *
 * One call of the function runs one BPF frame; a BPF-to-BPF call recurses,
 * bounded by BPF_MAX_CALL_FRAMES.  Kernel stack per frame: the 512-byte BPF
 * stack, 12 registers (96 bytes, with AX) and a few spilled locals: 608 bytes of
 * locals plus 56 of return address and saved registers in the fast build
 * with Debian 6.1's kbuild (720 + 56 checked, which adds a 64-byte init
 * bitmap), so under 1 KiB per call and about 5.3 KiB for the deepest
 * chain of 8 frames, as one ___bpf_prog_run() frame per BPF frame costs in
 * the kernel's own interpreter.  The verifier limits the call depth; the
 * depth check below keeps even a wrong verdict from overrunning the
 * kernel stack.  Allocating frames instead would mean allocating in the
 * packet path, which must not sleep and should not fail.
 */

#if INTERP_CHECKED
#define INTERP_FN		interp_checked
#else
#define INTERP_FN		interp_fast
#endif

#define DST	regs[insn->dst_reg]
#define SRC	regs[insn->src_reg]
#define IMM	insn->imm
#define OFF	insn->off
#define R0	regs[BPF_REG_0]
#define R1	regs[BPF_REG_1]
#define R2	regs[BPF_REG_2]
#define R3	regs[BPF_REG_3]
#define R4	regs[BPF_REG_4]
#define R5	regs[BPF_REG_5]
#define R6	regs[BPF_REG_6]
#define FP	regs[BPF_REG_10]
#define IDX	((int)(insn - code->insns))

#if INTERP_CHECKED
#define FAULT(ERR, FMT, ...)						\
	do {								\
		interp_fault(run, ERR, FMT, ##__VA_ARGS__);		\
		goto stop;						\
	} while (0)
/* A memory operand: the host address after the region checks. */
#define MEM(ADDR, SIZE, KIND)						\
	({								\
		void *__p = interp_access(run, depth, ADDR, SIZE,	\
					  KIND, IDX);			\
		if (!__p)						\
			goto stop;					\
		__p;							\
	})
#define CHECK(COND, FMT, ...)						\
	do {								\
		if (unlikely(!(COND)))					\
			FAULT(-EINVAL, FMT, ##__VA_ARGS__);		\
	} while (0)
#define JUMP(DELTA)							\
	do {								\
		s64 __t = (s64)IDX + (DELTA) + 1;			\
		if (unlikely(__t < 0 || __t >= code->len))		\
			FAULT(-EINVAL,					\
			      "jump out of range at insn %d: target %lld", \
			      IDX, (long long)__t);			\
		insn += (DELTA);					\
		CONT;							\
	} while (0)
#else
#define FAULT(ERR, FMT, ...)	goto stop
#define MEM(ADDR, SIZE, KIND)	((void *)(uintptr_t)(ADDR))
#define CHECK(COND, FMT, ...)	do { } while (0)
#define JUMP(DELTA)							\
	do {								\
		insn += (DELTA);					\
		CONT;							\
	} while (0)
#endif

#define CONT	({ insn++; goto select_insn; })

static u64 __interp_no_gcse INTERP_FN(struct interp_run *run,
				      const struct bpfdev_code *code,
				      const struct bpf_insn *insn,
				      const u64 *args, u32 depth)
{
#define INTERP_LABEL(label, opcode, name)	[opcode] = &&label,
	INTERP_DIAG_PUSH
	static const void * const jumptable[256] __interp_jump_table = {
		[0 ... 255] = &&invalid_opcode,
		BPFDEV_OPCODES(INTERP_LABEL)
		/* only in xlated programs, never in a loaded one */
		[BPFDEV_ST_NOSPEC] = &&ST_NOSPEC,
	};
	INTERP_DIAG_POP
#undef INTERP_LABEL
	const struct bpfdev_env *env = code->env;
	u64 stack[BPF_MAX_STACK / sizeof(u64)];
	/* r0..r10 and AX, the verifier's scratch register (verifier_patch.c) */
	u64 regs[BPFDEV_REG_AX + 1];
	u32 id;
	s32 off;
	u32 size;
#if INTERP_CHECKED
	u8 stack_init[BPF_MAX_STACK / 8];

	memset(regs, 0, sizeof(regs));
	/* opts->uninit_stack reads it: the same bytes on every run */
	memset(stack, 0, sizeof(stack));
	memset(stack_init, 0, sizeof(stack_init));
	run->chk->frames[depth].lo = (uintptr_t)stack;
	run->chk->frames[depth].init = stack_init;
#endif
	memcpy(&regs[BPF_REG_1], args, 5 * sizeof(u64));
	FP = (uintptr_t)&stack[ARRAY_SIZE(stack)];

select_insn:
#if INTERP_CHECKED
	if (unlikely((u32)IDX >= code->len))
		FAULT(-EINVAL, "program ran past its end after insn %d", IDX - 1);
	if (unlikely(!run->chk->budget--))
		FAULT(-ELOOP, "instruction budget exhausted at insn %d", IDX);
	if (unlikely(insn->dst_reg > BPFDEV_REG_AX || insn->src_reg > BPFDEV_REG_AX))
		FAULT(-EINVAL, "invalid register r%d at insn %d",
		      insn->dst_reg > BPFDEV_REG_AX ? insn->dst_reg : insn->src_reg,
		      IDX);
	if (unlikely(insn->dst_reg == BPF_REG_10 && interp_writes_dst(insn)))
		FAULT(-EINVAL, "frame pointer r10 is read only at insn %d", IDX);
#endif
	goto *jumptable[insn->code];

	/*
	 * ALU64_ADD_X ALU64_ADD_K ALU_ADD_X ALU_ADD_K,
	 * ALU64_SUB_*, ALU64_MUL_*, ALU64_OR_*, ALU64_AND_*, ALU64_XOR_*
	 * and their ALU_ (32-bit, zero-extending) twins.
	 */
#define ALU(OPCODE, OP)							\
	ALU64_##OPCODE##_X: DST = DST OP SRC; CONT;			\
	ALU64_##OPCODE##_K: DST = DST OP IMM; CONT;			\
	ALU_##OPCODE##_X: DST = (u32)DST OP (u32)SRC; CONT;		\
	ALU_##OPCODE##_K: DST = (u32)DST OP (u32)IMM; CONT;
	ALU(ADD, +)
	ALU(SUB, -)
	ALU(MUL, *)
	ALU(OR, |)
	ALU(AND, &)
	ALU(XOR, ^)
#undef ALU

	/*
	 * ALU64_LSH_X ALU64_LSH_K ALU_LSH_X ALU_LSH_K, ALU64_RSH_*,
	 * ALU64_ARSH_* and the ALU_ twins: the count is masked to the width.
	 */
#define SHIFT(OPCODE, OP, T64, T32)					\
	ALU64_##OPCODE##_X: DST = (u64)((T64)DST OP (SRC & 63)); CONT;	\
	ALU64_##OPCODE##_K: DST = (u64)((T64)DST OP (IMM & 63)); CONT;	\
	ALU_##OPCODE##_X: DST = (u32)((T32)DST OP (SRC & 31)); CONT;	\
	ALU_##OPCODE##_K: DST = (u32)((T32)DST OP (IMM & 31)); CONT;
	SHIFT(LSH, <<, u64, u32)
	SHIFT(RSH, >>, u64, u32)
	SHIFT(ARSH, >>, s64, s32)
#undef SHIFT

	/*
	 * ALU64_DIV_X ALU64_DIV_K ALU_DIV_X ALU_DIV_K, ALU64_MOD_* and the
	 * ALU_MOD_* twins; off 1 makes them SDIV/SMOD.
	 */
#define CHECK_OFF(COND)							\
	CHECK(COND, "invalid opcode 0x%02x off %d at insn %d",		\
	      insn->code, OFF, IDX)
#define DIVMOD(OPCODE, FN)						\
	ALU64_##OPCODE##_X:						\
		CHECK_OFF(OFF == 0 || OFF == 1);			\
		DST = FN##64(DST, SRC, OFF); CONT;			\
	ALU64_##OPCODE##_K:						\
		CHECK_OFF(OFF == 0 || OFF == 1);			\
		DST = FN##64(DST, (s64)IMM, OFF); CONT;			\
	ALU_##OPCODE##_X:						\
		CHECK_OFF(OFF == 0 || OFF == 1);			\
		DST = FN##32(DST, SRC, OFF); CONT;			\
	ALU_##OPCODE##_K:						\
		CHECK_OFF(OFF == 0 || OFF == 1);			\
		DST = FN##32(DST, IMM, OFF); CONT;
	DIVMOD(DIV, interp_div)
	DIVMOD(MOD, interp_mod)
#undef DIVMOD

	/* ALU64_MOV_X ALU64_MOV_K ALU_MOV_X ALU_MOV_K (MOVSX: off 8/16/32) */
ALU64_MOV_X:
	CHECK_OFF(OFF == 0 || OFF == 8 || OFF == 16 || OFF == 32);
	DST = interp_movsx(SRC, OFF);
	CONT;
ALU64_MOV_K:
	CHECK_OFF(OFF == 0);
	DST = IMM;
	CONT;
ALU_MOV_X:
	CHECK_OFF(OFF == 0 || OFF == 8 || OFF == 16);
	DST = (u32)interp_movsx(SRC, OFF);
	CONT;
ALU_MOV_K:
	CHECK_OFF(OFF == 0);
	DST = (u32)IMM;
	CONT;

	/* ALU64_NEG ALU_NEG */
ALU64_NEG:
	DST = -DST;
	CONT;
ALU_NEG:
	DST = (u32)-(u32)DST;
	CONT;

	/* ALU_END_TO_LE ALU_END_TO_BE ALU64_BSWAP */
ALU_END_TO_LE:
	switch (IMM) {
	case 16:
		DST = (__force u16)cpu_to_le16((u16)DST);
		CONT;
	case 32:
		DST = (__force u32)cpu_to_le32((u32)DST);
		CONT;
	case 64:
		DST = (__force u64)cpu_to_le64(DST);
		CONT;
	}
	FAULT(-EINVAL, "invalid byte swap width %d at insn %d", IMM, IDX);
ALU_END_TO_BE:
	switch (IMM) {
	case 16:
		DST = (__force u16)cpu_to_be16((u16)DST);
		CONT;
	case 32:
		DST = (__force u32)cpu_to_be32((u32)DST);
		CONT;
	case 64:
		DST = (__force u64)cpu_to_be64(DST);
		CONT;
	}
	FAULT(-EINVAL, "invalid byte swap width %d at insn %d", IMM, IDX);
ALU64_BSWAP:
	switch (IMM) {
	case 16:
		DST = swab16((u16)DST);
		CONT;
	case 32:
		DST = swab32((u32)DST);
		CONT;
	case 64:
		DST = swab64(DST);
		CONT;
	}
	FAULT(-EINVAL, "invalid byte swap width %d at insn %d", IMM, IDX);

	/*
	 * JMP_JEQ_X JMP_JEQ_K JMP32_JEQ_X JMP32_JEQ_K and the same four for
	 * JGT JGE JSET JNE JSGT JSGE JLT JLE JSLT JSLE.
	 */
#define COND_JMP(OPCODE, OP, T64, T32)					\
	JMP_##OPCODE##_X: if ((T64)DST OP (T64)SRC) JUMP(OFF); CONT;	\
	JMP_##OPCODE##_K: if ((T64)DST OP (T64)(s64)IMM) JUMP(OFF); CONT; \
	JMP32_##OPCODE##_X: if ((T32)DST OP (T32)SRC) JUMP(OFF); CONT;	\
	JMP32_##OPCODE##_K: if ((T32)DST OP (T32)IMM) JUMP(OFF); CONT;
	COND_JMP(JEQ, ==, u64, u32)
	COND_JMP(JNE, !=, u64, u32)
	COND_JMP(JGT, >, u64, u32)
	COND_JMP(JGE, >=, u64, u32)
	COND_JMP(JLT, <, u64, u32)
	COND_JMP(JLE, <=, u64, u32)
	COND_JMP(JSET, &, u64, u32)
	COND_JMP(JSGT, >, s64, s32)
	COND_JMP(JSGE, >=, s64, s32)
	COND_JMP(JSLT, <, s64, s32)
	COND_JMP(JSLE, <=, s64, s32)
#undef COND_JMP

	/* JMP_JA JMP32_JA (gotol: the offset is in imm) */
JMP_JA:
	JUMP(OFF);
JMP32_JA:
	JUMP(IMM);

	/* JMP_EXIT */
JMP_EXIT:
	return R0;

	/* JMP_CALL: BPF-to-BPF call, helper call, tail call */
JMP_CALL:
	if (insn->src_reg == BPF_PSEUDO_CALL) {
#if INTERP_CHECKED
		s64 target = (s64)IDX + IMM + 1;

		if (target < 0 || target >= code->len)
			FAULT(-EINVAL, "call target out of range at insn %d: target %lld",
			      IDX, (long long)target);
#endif
		if (unlikely(depth + 1 >= BPF_MAX_CALL_FRAMES))
			FAULT(-ELOOP, "call stack deeper than %d frames at insn %d",
			      BPF_MAX_CALL_FRAMES, IDX);
		R0 = INTERP_FN(run, code, insn + IMM + 1, &R1, depth + 1);
		if (unlikely(run->stop))
			return 0;
		CONT;
	}
	CHECK(insn->src_reg == 0, "unsupported call kind %d at insn %d",
	      insn->src_reg, IDX);
	id = IMM;
	goto call_helper;

	/* JMP_CALLX: the helper id is in dst_reg */
JMP_CALLX:
	id = DST;
	goto call_helper;

call_helper:
	if (id == BPF_FUNC_tail_call) {
		const struct bpfdev_code *next = NULL;

		/* As the kernel: the count goes up even when the slot is empty. */
		if (run->tail_calls < BPF_MAX_TAIL_CALLS && env &&
		    env->tail_call_target) {
			run->tail_calls++;
			next = env->tail_call_target((void *)(uintptr_t)R2, (u32)R3);
		}
		if (!next)
			CONT;
		CHECK(next->insns && next->len, "tail call to an empty program at insn %d", IDX);
		code = next;
		if (code->env)
			env = code->env;
		insn = code->insns;
#if INTERP_CHECKED
		/* The target was verified on its own: a fresh, unwritten stack. */
		memset(stack_init, 0, sizeof(stack_init));
#endif
		goto select_insn;
	}
#if INTERP_CHECKED
	if (id >= BPFDEV_NR_HELPERS || !env || !env->helpers[id])
		FAULT(-EINVAL, "unknown helper %u at insn %d", id, IDX);
	interp_helper_args(run, depth, &R1);
#endif
	R0 = env->helpers[id](R1, R2, R3, R4, R5);
#if INTERP_CHECKED
	if (run->chk->opts->unwind_helper && id == run->chk->opts->unwind_helper &&
	    R0 == 0)
		goto stop;
	interp_helper_ret(run, id, R0);
#endif
	CONT;

	/* LDX_MEM_B LDX_MEM_H LDX_MEM_W LDX_MEM_DW */
LDX_MEM_B:
	DST = *(const u8 *)MEM(SRC + OFF, 1, INTERP_LOAD);
	CONT;
LDX_MEM_H:
	DST = *(const interp_u16 *)MEM(SRC + OFF, 2, INTERP_LOAD);
	CONT;
LDX_MEM_W:
	DST = *(const interp_u32 *)MEM(SRC + OFF, 4, INTERP_LOAD);
	CONT;
LDX_MEM_DW:
	DST = *(const interp_u64 *)MEM(SRC + OFF, 8, INTERP_LOAD);
	CONT;

	/* LDX_MEMSX_B LDX_MEMSX_H LDX_MEMSX_W */
LDX_MEMSX_B:
	DST = (s64)*(const s8 *)MEM(SRC + OFF, 1, INTERP_LOAD);
	CONT;
LDX_MEMSX_H:
	DST = (s64)*(const interp_s16 *)MEM(SRC + OFF, 2, INTERP_LOAD);
	CONT;
LDX_MEMSX_W:
	DST = (s64)*(const interp_s32 *)MEM(SRC + OFF, 4, INTERP_LOAD);
	CONT;

	/* ST_MEM_B ST_MEM_H ST_MEM_W ST_MEM_DW */
ST_MEM_B:
	*(u8 *)MEM(DST + OFF, 1, INTERP_STORE) = IMM;
	CONT;
ST_MEM_H:
	*(interp_u16 *)MEM(DST + OFF, 2, INTERP_STORE) = IMM;
	CONT;
ST_MEM_W:
	*(interp_u32 *)MEM(DST + OFF, 4, INTERP_STORE) = IMM;
	CONT;
ST_MEM_DW:
	*(interp_u64 *)MEM(DST + OFF, 8, INTERP_STORE) = (s64)IMM;
	CONT;

	/* STX_MEM_B STX_MEM_H STX_MEM_W STX_MEM_DW */
STX_MEM_B:
	*(u8 *)MEM(DST + OFF, 1, INTERP_STORE) = SRC;
	CONT;
STX_MEM_H:
	*(interp_u16 *)MEM(DST + OFF, 2, INTERP_STORE) = SRC;
	CONT;
STX_MEM_W:
	*(interp_u32 *)MEM(DST + OFF, 4, INTERP_STORE) = SRC;
	CONT;
STX_MEM_DW:
	*(interp_u64 *)MEM(DST + OFF, 8, INTERP_STORE) = SRC;
	CONT;

	/*
	 * STX_ATOMIC_W STX_ATOMIC_DW: ADD OR AND XOR with and without FETCH,
	 * XCHG, CMPXCHG.  The 32-bit forms zero-extend what they fetch.
	 */
#define ATOMIC(T)							\
	do {								\
		T *__p;							\
									\
		CHECK(interp_atomic_valid(IMM),				\
		      "invalid atomic operation 0x%x at insn %d", IMM, IDX); \
		CHECK(!(IMM & BPF_FETCH) || IMM == BPF_CMPXCHG ||	\
		      insn->src_reg != BPF_REG_10,			\
		      "frame pointer r10 is read only at insn %d", IDX); \
		CHECK(!((DST + OFF) & (sizeof(T) - 1)),			\
		      "misaligned atomic access of %zu bytes at insn %d", \
		      sizeof(T), IDX);					\
		__p = MEM(DST + OFF, sizeof(T), INTERP_LOAD | INTERP_STORE); \
		switch (IMM) {						\
		case BPF_ADD:						\
			__atomic_fetch_add(__p, (T)SRC, __ATOMIC_RELAXED); \
			break;						\
		case BPF_OR:						\
			__atomic_fetch_or(__p, (T)SRC, __ATOMIC_RELAXED); \
			break;						\
		case BPF_AND:						\
			__atomic_fetch_and(__p, (T)SRC, __ATOMIC_RELAXED); \
			break;						\
		case BPF_XOR:						\
			__atomic_fetch_xor(__p, (T)SRC, __ATOMIC_RELAXED); \
			break;						\
		case BPF_ADD | BPF_FETCH:				\
			SRC = __atomic_fetch_add(__p, (T)SRC, __ATOMIC_SEQ_CST); \
			break;						\
		case BPF_OR | BPF_FETCH:				\
			SRC = __atomic_fetch_or(__p, (T)SRC, __ATOMIC_SEQ_CST); \
			break;						\
		case BPF_AND | BPF_FETCH:				\
			SRC = __atomic_fetch_and(__p, (T)SRC, __ATOMIC_SEQ_CST); \
			break;						\
		case BPF_XOR | BPF_FETCH:				\
			SRC = __atomic_fetch_xor(__p, (T)SRC, __ATOMIC_SEQ_CST); \
			break;						\
		case BPF_XCHG:						\
			SRC = __atomic_exchange_n(__p, (T)SRC, __ATOMIC_SEQ_CST); \
			break;						\
		case BPF_CMPXCHG: {					\
			T __old = (T)R0;				\
									\
			__atomic_compare_exchange_n(__p, &__old, (T)SRC, false, \
						    __ATOMIC_SEQ_CST,	\
						    __ATOMIC_SEQ_CST);	\
			R0 = __old;					\
			break;						\
		}							\
		}							\
	} while (0)
STX_ATOMIC_W:
	ATOMIC(u32);
	CONT;
STX_ATOMIC_DW:
	ATOMIC(u64);
	CONT;
#undef ATOMIC

	/*
	 * LD_IMM_DW: two instruction slots, the high half in the second imm.
	 * The loader has already turned pseudo sources (map fds and values,
	 * BPF_PSEUDO_FUNC) into the plain 64-bit values they stand for, as
	 * the kernel does, and may leave src_reg set: the value is loaded
	 * as it is, whatever src_reg says.
	 */
LD_IMM_DW:
#if INTERP_CHECKED
	if (IDX + 1 >= code->len)
		FAULT(-EINVAL, "truncated LD_IMM64 at insn %d", IDX);
	if (insn[1].code || insn[1].dst_reg || insn[1].src_reg || insn[1].off)
		FAULT(-EINVAL, "invalid LD_IMM64 second half at insn %d", IDX + 1);
#endif
	DST = (u64)(u32)IMM | ((u64)(u32)insn[1].imm << 32);
	insn++;
	CONT;

	/*
	 * LD_ABS_B LD_ABS_H LD_ABS_W LD_IND_B LD_IND_H LD_IND_W: legacy
	 * packet loads from the bpfdev_skb in r6, network order; a load
	 * outside the packet ends the program with r0 = 0.
	 */
LD_ABS_B:
	off = IMM;
	size = 1;
	goto ld_abs;
LD_ABS_H:
	off = IMM;
	size = 2;
	goto ld_abs;
LD_ABS_W:
	off = IMM;
	size = 4;
	goto ld_abs;
LD_IND_B:
	off = (u32)SRC + (u32)IMM;
	size = 1;
	goto ld_abs;
LD_IND_H:
	off = (u32)SRC + (u32)IMM;
	size = 2;
	goto ld_abs;
LD_IND_W:
	off = (u32)SRC + (u32)IMM;
	size = 4;
	goto ld_abs;
ld_abs:
	CHECK(run->chk->opts->skb && R6 == (uintptr_t)run->chk->opts->skb,
	      "legacy packet load without the packet context in r6 at insn %d", IDX);
	R0 = bpfdev_skb_ld_abs((const struct bpfdev_skb *)(uintptr_t)R6, off, size);
	if (unlikely(R0 == BPFDEV_LD_ABS_FAIL))
		goto stop;
	CONT;

	/*
	 * ST_NOSPEC: the verifier's barrier after a store a later load could
	 * bypass speculatively (Spectre v4), as the kernel's interpreter:
	 * the host's speculation barrier (lfence on x86-64).
	 */
ST_NOSPEC:
	interp_barrier_nospec();
	CONT;

invalid_opcode:
	FAULT(-EINVAL, "invalid opcode 0x%02x at insn %d", insn->code, IDX);

stop:
	/* Ends every frame: the run returns r0 = 0 (or the fault). */
	run->stop = true;
	return 0;
}

#undef INTERP_FN
#undef DST
#undef SRC
#undef IMM
#undef OFF
#undef R0
#undef R1
#undef R2
#undef R3
#undef R4
#undef R5
#undef R6
#undef FP
#undef IDX
#undef FAULT
#undef MEM
#undef CHECK
#undef CHECK_OFF
#undef JUMP
#undef CONT
