/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The eBPF instruction set (RFC 9669) on top of <linux/bpf.h>.
 *
 * Debian 12's 6.1 uapi header predates the v4 ISA additions; what it lacks
 * is defined here with the values of RFC 9669 and later kernels, guarded so
 * a newer header wins.  Instruction builders are prefixed INSN_ so they
 * never collide with the kernel's own <linux/filter.h> macros.
 */
#ifndef BPFDEV_CORE_ISA_H
#define BPFDEV_CORE_ISA_H

#include "platform.h"

/* Sign-extending loads: BPF_LDX | BPF_MEMSX | size (RFC 9669 4.3.1). */
#ifndef BPF_MEMSX
#define BPF_MEMSX	0x80
#endif

/* ALU: SDIV/SMOD are BPF_DIV/BPF_MOD with offset 1; MOVSX is BPF_MOV with
 * offset 8, 16 or 32. */
#define BPF_OFF_SIGNED	1

/* BPF_ALU64 | BPF_END | BPF_TO_LE: unconditional byte swap (BSWAP). */
#ifndef BPF_BSWAP
#define BPF_BSWAP	BPF_TO_LE
#endif

/* BPF_JMP32 | BPF_JA: "gotol", a jump with a 32-bit offset in imm. */
#define BPF_JA32	(BPF_JMP32 | BPF_JA)

/* BPF_CALL | BPF_X ("callx"): call the helper whose id is in dst_reg. */
#define BPF_CALLX	(BPF_JMP | BPF_CALL | BPF_X)

/* BPF_MOV offsets of MOVSX: sign-extend the low 8, 16 or 32 bits. */
#define BPF_MOVSX8	8
#define BPF_MOVSX16	16
#define BPF_MOVSX32	32

#define BPF_MAX_INSNS_PER_PROG	(1U << 20)	/* 1M, as the kernel's limit */
#define BPF_MAX_STACK		512
#define BPF_MAX_CALL_FRAMES	8
#define BPF_MAX_TAIL_CALLS	33

/*
 * Private helper ids used by converted classic programs for Linux
 * ancillary data that has no public helper.  They sit above every kernel
 * helper id and are refused by the verifier in user-supplied programs.
 */
#define BPFDEV_FUNC_skb_pay_offset	250
#define BPFDEV_NR_HELPERS		256

/* ---- instruction builders (kernel filter.h shapes, INSN_ prefix) ---- */

#define INSN(CODE, DST, SRC, OFF, IMM)					\
	((struct bpf_insn) {						\
		.code = (CODE), .dst_reg = (DST), .src_reg = (SRC),	\
		.off = (OFF), .imm = (IMM) })

#define INSN_ALU64_REG(OP, DST, SRC)	INSN(BPF_ALU64 | BPF_OP(OP) | BPF_X, DST, SRC, 0, 0)
#define INSN_ALU32_REG(OP, DST, SRC)	INSN(BPF_ALU | BPF_OP(OP) | BPF_X, DST, SRC, 0, 0)
#define INSN_ALU64_IMM(OP, DST, IMM)	INSN(BPF_ALU64 | BPF_OP(OP) | BPF_K, DST, 0, 0, IMM)
#define INSN_ALU32_IMM(OP, DST, IMM)	INSN(BPF_ALU | BPF_OP(OP) | BPF_K, DST, 0, 0, IMM)
#define INSN_MOV64_REG(DST, SRC)	INSN_ALU64_REG(BPF_MOV, DST, SRC)
#define INSN_MOV32_REG(DST, SRC)	INSN_ALU32_REG(BPF_MOV, DST, SRC)
#define INSN_MOV64_IMM(DST, IMM)	INSN_ALU64_IMM(BPF_MOV, DST, IMM)
#define INSN_MOV32_IMM(DST, IMM)	INSN_ALU32_IMM(BPF_MOV, DST, IMM)
#define INSN_ENDIAN(TYPE, DST, LEN)	INSN(BPF_ALU | BPF_END | (TYPE), DST, 0, 0, LEN)
#define INSN_BSWAP(DST, LEN)		INSN(BPF_ALU64 | BPF_END | BPF_BSWAP, DST, 0, 0, LEN)

/* v4 forms: signed div/mod (off 1), sign-extending moves (off 8/16/32). */
#define INSN_ALU64_REG_OFF(OP, DST, SRC, OFF)	INSN(BPF_ALU64 | BPF_OP(OP) | BPF_X, DST, SRC, OFF, 0)
#define INSN_ALU32_REG_OFF(OP, DST, SRC, OFF)	INSN(BPF_ALU | BPF_OP(OP) | BPF_X, DST, SRC, OFF, 0)
#define INSN_ALU64_IMM_OFF(OP, DST, IMM, OFF)	INSN(BPF_ALU64 | BPF_OP(OP) | BPF_K, DST, 0, OFF, IMM)
#define INSN_ALU32_IMM_OFF(OP, DST, IMM, OFF)	INSN(BPF_ALU | BPF_OP(OP) | BPF_K, DST, 0, OFF, IMM)
#define INSN_MOVSX64_REG(DST, SRC, BITS)	INSN_ALU64_REG_OFF(BPF_MOV, DST, SRC, BITS)
#define INSN_MOVSX32_REG(DST, SRC, BITS)	INSN_ALU32_REG_OFF(BPF_MOV, DST, SRC, BITS)

#define INSN_LD_IMM64_RAW(DST, SRC, IMM)				\
	INSN(BPF_LD | BPF_DW | BPF_IMM, DST, SRC, 0, (u32)(u64)(IMM)),	\
	INSN(0, 0, 0, 0, (u32)((u64)(IMM) >> 32))
#define INSN_LD_IMM64(DST, IMM)		INSN_LD_IMM64_RAW(DST, 0, IMM)
#define INSN_LD_MAP_FD(DST, FD)		INSN_LD_IMM64_RAW(DST, BPF_PSEUDO_MAP_FD, FD)

#define INSN_LD_ABS(SIZE, IMM)		INSN(BPF_LD | BPF_SIZE(SIZE) | BPF_ABS, 0, 0, 0, IMM)
#define INSN_LD_IND(SIZE, SRC, IMM)	INSN(BPF_LD | BPF_SIZE(SIZE) | BPF_IND, 0, SRC, 0, IMM)

#define INSN_LDX_MEM(SIZE, DST, SRC, OFF)	INSN(BPF_LDX | BPF_SIZE(SIZE) | BPF_MEM, DST, SRC, OFF, 0)
#define INSN_LDX_MEMSX(SIZE, DST, SRC, OFF)	INSN(BPF_LDX | BPF_SIZE(SIZE) | BPF_MEMSX, DST, SRC, OFF, 0)
#define INSN_STX_MEM(SIZE, DST, SRC, OFF)	INSN(BPF_STX | BPF_SIZE(SIZE) | BPF_MEM, DST, SRC, OFF, 0)
#define INSN_ST_MEM(SIZE, DST, OFF, IMM)	INSN(BPF_ST | BPF_SIZE(SIZE) | BPF_MEM, DST, 0, OFF, IMM)
#define INSN_ATOMIC_OP(SIZE, OP, DST, SRC, OFF)	INSN(BPF_STX | BPF_SIZE(SIZE) | BPF_ATOMIC, DST, SRC, OFF, OP)

#define INSN_JMP_REG(OP, DST, SRC, OFF)		INSN(BPF_JMP | BPF_OP(OP) | BPF_X, DST, SRC, OFF, 0)
#define INSN_JMP_IMM(OP, DST, IMM, OFF)		INSN(BPF_JMP | BPF_OP(OP) | BPF_K, DST, 0, OFF, IMM)
#define INSN_JMP32_REG(OP, DST, SRC, OFF)	INSN(BPF_JMP32 | BPF_OP(OP) | BPF_X, DST, SRC, OFF, 0)
#define INSN_JMP32_IMM(OP, DST, IMM, OFF)	INSN(BPF_JMP32 | BPF_OP(OP) | BPF_K, DST, 0, OFF, IMM)
#define INSN_JMP_A(OFF)				INSN(BPF_JMP | BPF_JA, 0, 0, OFF, 0)
#define INSN_JMP32_A(IMM)			INSN(BPF_JA32, 0, 0, 0, IMM)
#define INSN_CALLX(DST)				INSN(BPF_CALLX, DST, 0, 0, 0)
#define INSN_CALL(ID)				INSN(BPF_JMP | BPF_CALL, 0, 0, 0, ID)
#define INSN_CALL_REL(IMM)			INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, IMM)
#define INSN_EXIT()				INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

static inline bool bpfdev_insn_is_ld_imm64(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_DW | BPF_IMM);
}

/* Bytes moved by a BPF_SIZE() field. */
static inline u32 bpfdev_size_bytes(u8 code)
{
	switch (BPF_SIZE(code)) {
	case BPF_B:	return 1;
	case BPF_H:	return 2;
	case BPF_W:	return 4;
	default:	return 8;
	}
}

#endif /* BPFDEV_CORE_ISA_H */
