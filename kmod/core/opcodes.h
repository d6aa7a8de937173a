/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every valid eBPF opcode byte (RFC 9669), written once.
 *
 * BPFDEV_OPCODES(X) expands X(label, code, name) for each opcode:
 *   label  the interpreter's jump-table label (grep for it in interp_body.h)
 *   code   the opcode byte
 *   name   the operator the disassembler prints for it
 * The interpreter's jump table, bpfdev_opcode_valid() and the
 * disassembler's operator strings all come from this one list, so adding
 * an instruction is one line here plus its semantics in interp_body.h.
 *
 * Sub-operations that share an opcode byte are decoded by their handler:
 * SDIV/SMOD (off 1), MOVSX (off 8/16/32), the atomic operations (imm),
 * BPF-to-BPF calls (src BPF_PSEUDO_CALL).
 */
#ifndef BPFDEV_CORE_OPCODES_H
#define BPFDEV_CORE_OPCODES_H

#include "isa.h"

/* One ALU operation in both widths and both source kinds. */
#define BPFDEV_ALU_OP(X, OP, NAME)					\
	X(ALU64_##OP##_X, BPF_ALU64 | BPF_##OP | BPF_X, NAME)		\
	X(ALU64_##OP##_K, BPF_ALU64 | BPF_##OP | BPF_K, NAME)		\
	X(ALU_##OP##_X, BPF_ALU | BPF_##OP | BPF_X, NAME)		\
	X(ALU_##OP##_K, BPF_ALU | BPF_##OP | BPF_K, NAME)

/* One conditional jump in both widths and both source kinds. */
#define BPFDEV_JMP_OP(X, OP, NAME)					\
	X(JMP_##OP##_X, BPF_JMP | BPF_##OP | BPF_X, NAME)		\
	X(JMP_##OP##_K, BPF_JMP | BPF_##OP | BPF_K, NAME)		\
	X(JMP32_##OP##_X, BPF_JMP32 | BPF_##OP | BPF_X, NAME)		\
	X(JMP32_##OP##_K, BPF_JMP32 | BPF_##OP | BPF_K, NAME)

#define BPFDEV_OPCODES(X)						\
	/* ALU64_ADD_X ALU64_ADD_K ALU_ADD_X ALU_ADD_K ... ALU_ARSH_K */ \
	BPFDEV_ALU_OP(X, ADD, "+=")					\
	BPFDEV_ALU_OP(X, SUB, "-=")					\
	BPFDEV_ALU_OP(X, MUL, "*=")					\
	BPFDEV_ALU_OP(X, DIV, "/=")					\
	BPFDEV_ALU_OP(X, OR, "|=")					\
	BPFDEV_ALU_OP(X, AND, "&=")					\
	BPFDEV_ALU_OP(X, LSH, "<<=")					\
	BPFDEV_ALU_OP(X, RSH, ">>=")					\
	BPFDEV_ALU_OP(X, MOD, "%=")					\
	BPFDEV_ALU_OP(X, XOR, "^=")					\
	BPFDEV_ALU_OP(X, MOV, "=")					\
	BPFDEV_ALU_OP(X, ARSH, "s>>=")					\
	/* ALU64_NEG ALU_NEG: negation has no source operand */		\
	X(ALU64_NEG, BPF_ALU64 | BPF_NEG | BPF_K, "neg")		\
	X(ALU_NEG, BPF_ALU | BPF_NEG | BPF_K, "neg")			\
	/* ALU_END_TO_LE ALU_END_TO_BE ALU64_BSWAP: byte order */	\
	X(ALU_END_TO_LE, BPF_ALU | BPF_END | BPF_TO_LE, "le")		\
	X(ALU_END_TO_BE, BPF_ALU | BPF_END | BPF_TO_BE, "be")		\
	X(ALU64_BSWAP, BPF_ALU64 | BPF_END | BPF_BSWAP, "bswap")	\
	/* JMP_JEQ_X JMP_JEQ_K JMP32_JEQ_X JMP32_JEQ_K ... JMP32_JSLE_K */ \
	BPFDEV_JMP_OP(X, JEQ, "==")					\
	BPFDEV_JMP_OP(X, JGT, ">")					\
	BPFDEV_JMP_OP(X, JGE, ">=")					\
	BPFDEV_JMP_OP(X, JSET, "&")					\
	BPFDEV_JMP_OP(X, JNE, "!=")					\
	BPFDEV_JMP_OP(X, JSGT, "s>")					\
	BPFDEV_JMP_OP(X, JSGE, "s>=")					\
	BPFDEV_JMP_OP(X, JLT, "<")					\
	BPFDEV_JMP_OP(X, JLE, "<=")					\
	BPFDEV_JMP_OP(X, JSLT, "s<")					\
	BPFDEV_JMP_OP(X, JSLE, "s<=")					\
	/* JMP_JA JMP32_JA (gotol) JMP_CALL JMP_CALLX JMP_EXIT */	\
	X(JMP_JA, BPF_JMP | BPF_JA, "goto")				\
	X(JMP32_JA, BPF_JMP32 | BPF_JA, "gotol")			\
	X(JMP_CALL, BPF_JMP | BPF_CALL, "call")				\
	X(JMP_CALLX, BPF_JMP | BPF_CALL | BPF_X, "callx")		\
	X(JMP_EXIT, BPF_JMP | BPF_EXIT, "exit")				\
	/* LDX_MEM_B LDX_MEM_H LDX_MEM_W LDX_MEM_DW: loads */		\
	X(LDX_MEM_B, BPF_LDX | BPF_MEM | BPF_B, "u8")			\
	X(LDX_MEM_H, BPF_LDX | BPF_MEM | BPF_H, "u16")			\
	X(LDX_MEM_W, BPF_LDX | BPF_MEM | BPF_W, "u32")			\
	X(LDX_MEM_DW, BPF_LDX | BPF_MEM | BPF_DW, "u64")		\
	/* LDX_MEMSX_B LDX_MEMSX_H LDX_MEMSX_W: sign-extending loads */	\
	X(LDX_MEMSX_B, BPF_LDX | BPF_MEMSX | BPF_B, "s8")		\
	X(LDX_MEMSX_H, BPF_LDX | BPF_MEMSX | BPF_H, "s16")		\
	X(LDX_MEMSX_W, BPF_LDX | BPF_MEMSX | BPF_W, "s32")		\
	/* ST_MEM_B ST_MEM_H ST_MEM_W ST_MEM_DW: immediate stores */	\
	X(ST_MEM_B, BPF_ST | BPF_MEM | BPF_B, "u8")			\
	X(ST_MEM_H, BPF_ST | BPF_MEM | BPF_H, "u16")			\
	X(ST_MEM_W, BPF_ST | BPF_MEM | BPF_W, "u32")			\
	X(ST_MEM_DW, BPF_ST | BPF_MEM | BPF_DW, "u64")			\
	/* STX_MEM_B STX_MEM_H STX_MEM_W STX_MEM_DW: register stores */	\
	X(STX_MEM_B, BPF_STX | BPF_MEM | BPF_B, "u8")			\
	X(STX_MEM_H, BPF_STX | BPF_MEM | BPF_H, "u16")			\
	X(STX_MEM_W, BPF_STX | BPF_MEM | BPF_W, "u32")			\
	X(STX_MEM_DW, BPF_STX | BPF_MEM | BPF_DW, "u64")		\
	/* STX_ATOMIC_W STX_ATOMIC_DW: atomic operation in imm */	\
	X(STX_ATOMIC_W, BPF_STX | BPF_ATOMIC | BPF_W, "u32")		\
	X(STX_ATOMIC_DW, BPF_STX | BPF_ATOMIC | BPF_DW, "u64")		\
	/* LD_IMM_DW: the 16-byte 64-bit immediate load */		\
	X(LD_IMM_DW, BPF_LD | BPF_IMM | BPF_DW, "u64")			\
	/* LD_ABS_B LD_ABS_H LD_ABS_W LD_IND_B LD_IND_H LD_IND_W */	\
	X(LD_ABS_B, BPF_LD | BPF_ABS | BPF_B, "u8")			\
	X(LD_ABS_H, BPF_LD | BPF_ABS | BPF_H, "u16")			\
	X(LD_ABS_W, BPF_LD | BPF_ABS | BPF_W, "u32")			\
	X(LD_IND_B, BPF_LD | BPF_IND | BPF_B, "u8")			\
	X(LD_IND_H, BPF_LD | BPF_IND | BPF_H, "u16")			\
	X(LD_IND_W, BPF_LD | BPF_IND | BPF_W, "u32")

#define BPFDEV_OPCODE_CASE(label, code, name)	case code:

/* The opcode whitelist: true for every byte in BPFDEV_OPCODES. */
static inline bool bpfdev_opcode_valid(u8 code)
{
	switch (code) {
	BPFDEV_OPCODES(BPFDEV_OPCODE_CASE)
		return true;
	default:
		return false;
	}
}

#endif /* BPFDEV_CORE_OPCODES_H */
