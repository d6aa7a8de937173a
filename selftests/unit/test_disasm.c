// SPDX-License-Identifier: GPL-2.0
/*
 * The disassembler against the strings the kernel's print_bpf_insn()
 * prints (verifier log, bpftool prog dump xlated), one per shape.
 */
#include "disasm.h"
#include "isa.h"
#include "log.h"
#include "tap.h"

static void is(const char *want, u32 want_n, const struct bpf_insn *insns, u32 left)
{
	char buf[128];
	u32 n;

	n = bpfdev_disasm_insn(insns, left, buf, sizeof(buf));
	if (!ok(!strcmp(buf, want) && n == want_n, "%s", want))
		tap_diag("  got \"%s\" (%u slots)", buf, n);
}

#define IS(WANT, ...)							\
	do {								\
		const struct bpf_insn __p[] = { __VA_ARGS__ };		\
		is(WANT, 1, __p, ARRAY_SIZE(__p));			\
	} while (0)

int main(void)
{
	const struct bpf_insn ld64[] = { INSN_LD_IMM64(1, 0x1122334455667788ULL) };
	const struct bpf_insn prog[] = {
		INSN_MOV64_IMM(0, 0), INSN_LD_IMM64(2, 7), INSN_EXIT(),
	};
	char logbuf[256];
	struct bpfdev_log log = { .level = 1, .buf = logbuf, .size = sizeof(logbuf) };
	u32 i;

	tap_plan(0);
	IS("(b7) r0 = 0", INSN_MOV64_IMM(0, 0));
	IS("(b4) w1 = -1", INSN_MOV32_IMM(1, -1));
	IS("(bf) r6 = r1", INSN_MOV64_REG(6, 1));
	IS("(07) r1 += -8", INSN_ALU64_IMM(BPF_ADD, 1, -8));
	IS("(0c) w0 += w1", INSN_ALU32_REG(BPF_ADD, 0, 1));
	IS("(c7) r0 s>>= 3", INSN_ALU64_IMM(BPF_ARSH, 0, 3));
	IS("(6f) r0 <<= r2", INSN_ALU64_REG(BPF_LSH, 0, 2));
	IS("(9c) w3 %= w4", INSN_ALU32_REG(BPF_MOD, 3, 4));
	IS("(87) r0 = -r0", INSN(BPF_ALU64 | BPF_NEG, 0, 0, 0, 0));
	IS("(84) w0 = -w0", INSN(BPF_ALU | BPF_NEG, 0, 0, 0, 0));
	IS("(bf) r1 = (s8)r2", INSN_MOVSX64_REG(1, 2, 8));
	IS("(bf) r1 = (s32)r2", INSN_MOVSX64_REG(1, 2, 32));
	IS("(bc) w1 = (s16)w2", INSN_MOVSX32_REG(1, 2, 16));
	IS("(3f) r0 s/= r1", INSN_ALU64_REG_OFF(BPF_DIV, 0, 1, 1));
	IS("(94) w0 s%= 3", INSN_ALU32_IMM_OFF(BPF_MOD, 0, 3, 1));
	IS("(37) r0 /= 10", INSN_ALU64_IMM(BPF_DIV, 0, 10));
	IS("(d7) r0 = bswap16 r0", INSN_BSWAP(0, 16));
	IS("(d7) r3 = bswap64 r3", INSN_BSWAP(3, 64));
	IS("(dc) r0 = be16 r0", INSN_ENDIAN(BPF_TO_BE, 0, 16));
	IS("(d4) r2 = le32 r2", INSN_ENDIAN(BPF_TO_LE, 2, 32));
	IS("(61) r0 = *(u32 *)(r1 +4)", INSN_LDX_MEM(BPF_W, 0, 1, 4));
	IS("(79) r1 = *(u64 *)(r10 -8)", INSN_LDX_MEM(BPF_DW, 1, 10, -8));
	IS("(71) r2 = *(u8 *)(r6 +0)", INSN_LDX_MEM(BPF_B, 2, 6, 0));
	IS("(89) r0 = *(s16 *)(r1 +2)", INSN_LDX_MEMSX(BPF_H, 0, 1, 2));
	IS("(91) r0 = *(s8 *)(r1 -1)", INSN_LDX_MEMSX(BPF_B, 0, 1, -1));
	IS("(81) r0 = *(s32 *)(r1 +0)", INSN_LDX_MEMSX(BPF_W, 0, 1, 0));
	IS("(62) *(u32 *)(r10 -4) = 7", INSN_ST_MEM(BPF_W, 10, -4, 7));
	/* The verifier's speculation barrier in xlated dumps, as print_bpf_insn(). */
	IS("(c2) nospec", ((struct bpf_insn){ .code = BPF_ST | 0xc0 }));
	IS("(7b) *(u64 *)(r10 -8) = r1", INSN_STX_MEM(BPF_DW, 10, 1, -8));
	IS("(6b) *(u16 *)(r1 +2) = r3", INSN_STX_MEM(BPF_H, 1, 3, 2));
	IS("(db) lock *(u64 *)(r10 -8) += r1", INSN_ATOMIC_OP(BPF_DW, BPF_ADD, 10, 1, -8));
	IS("(c3) lock *(u32 *)(r1 +0) |= r2", INSN_ATOMIC_OP(BPF_W, BPF_OR, 1, 2, 0));
	IS("(db) lock *(u64 *)(r1 +8) &= r2", INSN_ATOMIC_OP(BPF_DW, BPF_AND, 1, 2, 8));
	IS("(c3) lock *(u32 *)(r1 +0) ^= r2", INSN_ATOMIC_OP(BPF_W, BPF_XOR, 1, 2, 0));
	IS("(db) r0 = atomic64_fetch_add((u64 *)(r1 +0), r0)",
	   INSN_ATOMIC_OP(BPF_DW, BPF_ADD | BPF_FETCH, 1, 0, 0));
	IS("(c3) r2 = atomic_fetch_xor((u32 *)(r1 +4), r2)",
	   INSN_ATOMIC_OP(BPF_W, BPF_XOR | BPF_FETCH, 1, 2, 4));
	IS("(db) r0 = atomic64_cmpxchg((u64 *)(r1 +0), r0, r2)",
	   INSN_ATOMIC_OP(BPF_DW, BPF_CMPXCHG, 1, 2, 0));
	IS("(c3) r0 = atomic_cmpxchg((u32 *)(r1 +0), r0, r2)",
	   INSN_ATOMIC_OP(BPF_W, BPF_CMPXCHG, 1, 2, 0));
	IS("(db) r2 = atomic64_xchg((u64 *)(r1 +8), r2)",
	   INSN_ATOMIC_OP(BPF_DW, BPF_XCHG, 1, 2, 8));
	IS("BUG_c3", INSN_ATOMIC_OP(BPF_W, BPF_MUL, 1, 2, 0));
	IS("(20) r0 = *(u32 *)skb[12]", INSN_LD_ABS(BPF_W, 12));
	IS("(50) r0 = *(u8 *)skb[r2 + 14]", INSN_LD_IND(BPF_B, 2, 14));
	IS("(25) if r1 > 0x5 goto pc+3", INSN_JMP_IMM(BPF_JGT, 1, 5, 3));
	IS("(15) if r0 == 0x0 goto pc-1", INSN_JMP_IMM(BPF_JEQ, 0, 0, -1));
	IS("(55) if r2 != 0xffffffff goto pc+0", INSN_JMP_IMM(BPF_JNE, 2, -1, 0));
	IS("(6d) if r1 s> r2 goto pc+2", INSN_JMP_REG(BPF_JSGT, 1, 2, 2));
	IS("(45) if r1 & 0x1 goto pc+1", INSN_JMP_IMM(BPF_JSET, 1, 1, 1));
	IS("(be) if w1 <= w2 goto pc+1", INSN_JMP32_REG(BPF_JLE, 1, 2, 1));
	IS("(d6) if w1 s<= 0x7 goto pc+4", INSN_JMP32_IMM(BPF_JSLE, 1, 7, 4));
	IS("(05) goto pc-1", INSN_JMP_A(-1));
	IS("(06) gotol pc+3", INSN_JMP32_A(3));
	IS("(95) exit", INSN_EXIT());
	IS("(85) call bpf_map_lookup_elem#1", INSN_CALL(1));
	IS("(85) call bpf_tail_call#12", INSN_CALL(BPF_FUNC_tail_call));
	IS("(85) call bpf_skb_load_bytes#26", INSN_CALL(BPF_FUNC_skb_load_bytes));
	IS("(85) call unknown#300", INSN_CALL(300));
	IS("(85) call bpfdev_skb_pay_offset#250", INSN_CALL(BPFDEV_FUNC_skb_pay_offset));
	IS("(85) call pc+2", INSN_CALL_REL(2));
	IS("(85) call pc-4", INSN_CALL_REL(-4));
	IS("(85) call kernel-function#5", INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_KFUNC_CALL, 0, 5));
	IS("(8d) callx r2", INSN_CALLX(2));
	IS("BUG_ld_18", INSN(BPF_LD | BPF_DW | BPF_IMM, 1, 0, 0, 1));

	is("(18) r1 = 0x1122334455667788", 2, ld64, 2);

	for (i = 0; i < ARRAY_SIZE(prog); )
		i += bpfdev_disasm_log(&log, prog, ARRAY_SIZE(prog), i);
	ok(!strcmp(logbuf, "0: (b7) r0 = 0\n1: (18) r2 = 0x7\n3: (95) exit\n"),
	   "verifier log lines");
	return tap_done();
}
