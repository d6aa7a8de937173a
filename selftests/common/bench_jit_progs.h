/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The eBPF packet parsers bench_jit (host) and the guest test t_15_jit_bench
 * both measure.
 */
#ifndef BPFDEV_COMMON_BENCH_JIT_PROGS_H
#define BPFDEV_COMMON_BENCH_JIT_PROGS_H

/*
 * IPv4/TCP flow hash with direct packet access.  data and data_end are
 * 64-bit pointers in bpfdev's context and 32-bit __sk_buff fields that the
 * verifier rewrites in the kernel's: the two programs differ only there.
 */
#define PARSER(DATA, DATA_END)						\
	DATA, DATA_END,							\
	INSN_MOV64_REG(BPF_REG_4, BPF_REG_2),				\
	INSN_ALU64_IMM(BPF_ADD, BPF_REG_4, 34),				\
	INSN_JMP_REG(BPF_JGT, BPF_REG_4, BPF_REG_3, 22),		\
	INSN_LDX_MEM(BPF_H, BPF_REG_5, BPF_REG_2, 12),			\
	INSN_JMP_IMM(BPF_JNE, BPF_REG_5, 0x0008, 20),			\
	INSN_LDX_MEM(BPF_B, BPF_REG_5, BPF_REG_2, 23),			\
	INSN_JMP_IMM(BPF_JNE, BPF_REG_5, 6, 18),			\
	INSN_LDX_MEM(BPF_B, BPF_REG_5, BPF_REG_2, 14),			\
	INSN_ALU64_IMM(BPF_AND, BPF_REG_5, 0xf),			\
	INSN_ALU64_IMM(BPF_LSH, BPF_REG_5, 2),				\
	INSN_MOV64_REG(BPF_REG_4, BPF_REG_2),				\
	INSN_ALU64_IMM(BPF_ADD, BPF_REG_4, 14),				\
	INSN_ALU64_REG(BPF_ADD, BPF_REG_4, BPF_REG_5),			\
	INSN_MOV64_REG(BPF_REG_5, BPF_REG_4),				\
	INSN_ALU64_IMM(BPF_ADD, BPF_REG_5, 20),				\
	INSN_JMP_REG(BPF_JGT, BPF_REG_5, BPF_REG_3, 9),		\
	INSN_LDX_MEM(BPF_W, BPF_REG_7, BPF_REG_2, 26),			\
	INSN_LDX_MEM(BPF_W, BPF_REG_8, BPF_REG_2, 30),			\
	INSN_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_4, 0),			\
	INSN_ALU64_REG(BPF_XOR, BPF_REG_0, BPF_REG_7),			\
	INSN_ALU64_REG(BPF_XOR, BPF_REG_0, BPF_REG_8),			\
	INSN_ALU32_IMM(BPF_MUL, BPF_REG_0, 0x9e3779b1),			\
	INSN_ALU32_IMM(BPF_RSH, BPF_REG_0, 16),				\
	INSN_ALU32_IMM(BPF_OR, BPF_REG_0, 1),				\
	INSN_EXIT(),							\
	INSN_MOV64_IMM(BPF_REG_0, 0),					\
	INSN_EXIT()

/* The same flow hash with legacy loads (r6 = context). */
#define PARSER_LD_ABS							\
	INSN_MOV64_REG(BPF_REG_6, BPF_REG_1),				\
	INSN_LD_ABS(BPF_H, 12),						\
	INSN_JMP_IMM(BPF_JNE, BPF_REG_0, 0x0800, 17),			\
	INSN_LD_ABS(BPF_B, 23),						\
	INSN_JMP_IMM(BPF_JNE, BPF_REG_0, 6, 15),			\
	INSN_LD_ABS(BPF_B, 14),						\
	INSN_ALU32_IMM(BPF_AND, BPF_REG_0, 0xf),			\
	INSN_ALU32_IMM(BPF_LSH, BPF_REG_0, 2),				\
	INSN_MOV64_REG(BPF_REG_7, BPF_REG_0),				\
	INSN_LD_ABS(BPF_W, 26),						\
	INSN_MOV64_REG(BPF_REG_8, BPF_REG_0),				\
	INSN_LD_ABS(BPF_W, 30),						\
	INSN_ALU64_REG(BPF_XOR, BPF_REG_8, BPF_REG_0),			\
	INSN_LD_IND(BPF_W, BPF_REG_7, 14),				\
	INSN_ENDIAN(BPF_TO_BE, BPF_REG_0, 32),		\
	INSN_ALU64_REG(BPF_XOR, BPF_REG_0, BPF_REG_8),			\
	INSN_ALU32_IMM(BPF_MUL, BPF_REG_0, 0x9e3779b1),			\
	INSN_ALU32_IMM(BPF_RSH, BPF_REG_0, 16),				\
	INSN_ALU32_IMM(BPF_OR, BPF_REG_0, 1),				\
	INSN_EXIT(),							\
	INSN_MOV64_IMM(BPF_REG_0, 0),					\
	INSN_EXIT()

#endif /* BPFDEV_COMMON_BENCH_JIT_PROGS_H */
