// SPDX-License-Identifier: GPL-2.0
/*
 * The interpreter's semantics, opcode by opcode, at the edges: every case
 * runs in the fast and in the checked interpreter and must give the same,
 * expected r0 in both.
 */
#include "interp.h"
#include "skb.h"
#include "tap.h"

#define MEM_SIZE	64

static u8 mem[MEM_SIZE] __attribute__((aligned(8)));
static struct bpfdev_env env;
static struct bpfdev_code tail_target;
static u32 tail_lookups;

static u64 helper_add3(u64 a, u64 b, u64 c, u64 d, u64 e)
{
	return a + b + c;
}

static u64 helper_r5(u64 a, u64 b, u64 c, u64 d, u64 e)
{
	return e;
}

static const struct bpfdev_code *tail_call_target(void *map, u32 index)
{
	tail_lookups++;
	return index == 0 ? &tail_target : NULL;
}

/* Runs insns with r1 = mem, r2 = MEM_SIZE in both engines; mem is reset. */
static void both(const char *name, const struct bpf_insn *insns, u32 len,
		 u64 want, const void *init)
{
	struct bpfdev_code code = {
		.insns = (struct bpf_insn *)insns, .len = len, .env = &env,
	};
	struct bpfdev_region region = {
		.addr = (uintptr_t)mem, .len = MEM_SIZE,
		.flags = BPFDEV_REGION_RW, .name = "mem",
	};
	struct bpfdev_run_opts opts = {
		.args = { (uintptr_t)mem, MEM_SIZE },
		.regions = &region, .nr_regions = 1,
	};
	char err[256] = "";
	u64 r0;
	int ret;

	memset(mem, 0, sizeof(mem));
	if (init)
		memcpy(mem, init, MEM_SIZE);
	ok_eq(bpfdev_interp_run_args(&code, (uintptr_t)mem, MEM_SIZE), want,
	      "fast: %s", name);

	memset(mem, 0, sizeof(mem));
	if (init)
		memcpy(mem, init, MEM_SIZE);
	opts.err = err;
	opts.err_size = sizeof(err);
	ret = bpfdev_interp_run_checked(&code, &opts, &r0);
	if (!ok(ret == 0 && r0 == want, "checked: %s", name))
		tap_diag("  ret %d (%s), r0 0x%llx, want 0x%llx", ret, err,
			 (unsigned long long)r0, (unsigned long long)want);
}

#define PROG(NAME, WANT, ...)						\
	do {								\
		const struct bpf_insn __p[] = { __VA_ARGS__ };		\
		both(NAME, __p, ARRAY_SIZE(__p), WANT, NULL);		\
	} while (0)

#define PROG_MEM(NAME, WANT, INIT, ...)					\
	do {								\
		const struct bpf_insn __p[] = { __VA_ARGS__ };		\
		both(NAME, __p, ARRAY_SIZE(__p), WANT, INIT);		\
	} while (0)

#define EXIT		INSN_EXIT()
#define MOV(d, i)	INSN_MOV64_IMM(d, i)

static void test_divmod(void)
{
	/* SDIV/SMOD of INT_MIN by -1: no trap, INT_MIN and 0. */
	PROG("sdiv64 INT64_MIN / -1", (u64)S64_MIN,
	     INSN_LD_IMM64(0, S64_MIN), MOV(1, -1),
	     INSN_ALU64_REG_OFF(BPF_DIV, 0, 1, 1), EXIT);
	PROG("sdiv64 imm INT64_MIN / -1", (u64)S64_MIN,
	     INSN_LD_IMM64(0, S64_MIN),
	     INSN_ALU64_IMM_OFF(BPF_DIV, 0, -1, 1), EXIT);
	PROG("smod64 INT64_MIN % -1", 0,
	     INSN_LD_IMM64(0, S64_MIN), MOV(1, -1),
	     INSN_ALU64_REG_OFF(BPF_MOD, 0, 1, 1), EXIT);
	PROG("sdiv32 INT32_MIN / -1 zero-extended", 0x80000000ULL,
	     INSN_LD_IMM64(0, 0xffffffff80000000ULL), MOV(1, -1),
	     INSN_ALU32_REG_OFF(BPF_DIV, 0, 1, 1), EXIT);
	PROG("sdiv32 imm INT32_MIN / -1", 0x80000000ULL,
	     INSN_MOV32_IMM(0, S32_MIN),
	     INSN_ALU32_IMM_OFF(BPF_DIV, 0, -1, 1), EXIT);
	PROG("smod32 INT32_MIN % -1", 0,
	     INSN_LD_IMM64(0, 0xdeadbeef80000000ULL), MOV(1, -1),
	     INSN_ALU32_REG_OFF(BPF_MOD, 0, 1, 1), EXIT);
	PROG("sdiv64 -7 / 2", (u64)-3,
	     MOV(0, -7), INSN_ALU64_IMM_OFF(BPF_DIV, 0, 2, 1), EXIT);
	PROG("smod64 -7 % 2 keeps the dividend's sign", (u64)-1,
	     MOV(0, -7), INSN_ALU64_IMM_OFF(BPF_MOD, 0, 2, 1), EXIT);
	PROG("smod32 -7 % 2", 0xffffffffULL,
	     MOV(0, -7), INSN_ALU32_IMM_OFF(BPF_MOD, 0, 2, 1), EXIT);
	PROG("sdiv64 7 / -2", (u64)-3,
	     MOV(0, 7), MOV(1, -2), INSN_ALU64_REG_OFF(BPF_DIV, 0, 1, 1), EXIT);
	PROG("udiv64 -1 / 2 is unsigned", 0x7fffffffffffffffULL,
	     MOV(0, -1), INSN_ALU64_IMM(BPF_DIV, 0, 2), EXIT);
	PROG("udiv32 uses the low halves", 0x7fffffffULL,
	     MOV(0, -1), MOV(1, 2), INSN_ALU32_REG(BPF_DIV, 0, 1), EXIT);
	PROG("div64 by zero gives 0", 0,
	     MOV(0, 42), MOV(1, 0), INSN_ALU64_REG(BPF_DIV, 0, 1), EXIT);
	PROG("div32 by zero gives 0", 0,
	     MOV(0, 42), MOV(1, 0), INSN_ALU32_REG(BPF_DIV, 0, 1), EXIT);
	PROG("div32 by a register whose low half is zero", 0,
	     MOV(0, 42), INSN_LD_IMM64(1, 0x100000000ULL),
	     INSN_ALU32_REG(BPF_DIV, 0, 1), EXIT);
	PROG("sdiv64 by zero gives 0", 0,
	     MOV(0, -42), MOV(1, 0), INSN_ALU64_REG_OFF(BPF_DIV, 0, 1, 1), EXIT);
	PROG("mod64 by zero leaves dst", 0x123456789ULL,
	     INSN_LD_IMM64(0, 0x123456789ULL), MOV(1, 0),
	     INSN_ALU64_REG(BPF_MOD, 0, 1), EXIT);
	PROG("mod32 by zero leaves dst, upper half cleared", 5,
	     INSN_LD_IMM64(0, 0x100000005ULL), MOV(1, 0),
	     INSN_ALU32_REG(BPF_MOD, 0, 1), EXIT);
	PROG("smod32 by zero leaves dst, upper half cleared", 0xfffffff9ULL,
	     MOV(0, -7), INSN_ALU32_IMM_OFF(BPF_MOD, 0, 0, 1), EXIT);
	PROG("smod64 by zero leaves dst", (u64)-7,
	     MOV(0, -7), MOV(1, 0), INSN_ALU64_REG_OFF(BPF_MOD, 0, 1, 1), EXIT);
	PROG("mod64 17 % 5", 2, MOV(0, 17), INSN_ALU64_IMM(BPF_MOD, 0, 5), EXIT);
}

static void test_shifts(void)
{
	PROG("lsh64 by 64 is masked to 0", 3,
	     MOV(0, 3), MOV(1, 64), INSN_ALU64_REG(BPF_LSH, 0, 1), EXIT);
	PROG("lsh64 by 65 is masked to 1", 6,
	     MOV(0, 3), MOV(1, 65), INSN_ALU64_REG(BPF_LSH, 0, 1), EXIT);
	PROG("lsh64 imm 63", 0x8000000000000000ULL,
	     MOV(0, 1), INSN_ALU64_IMM(BPF_LSH, 0, 63), EXIT);
	PROG("lsh32 by 32 is masked to 0, zero-extended", 0xffffffffULL,
	     MOV(0, -1), MOV(1, 32), INSN_ALU32_REG(BPF_LSH, 0, 1), EXIT);
	PROG("lsh32 drops bits past 32", 0xfffffffeULL,
	     MOV(0, -1), INSN_ALU32_IMM(BPF_LSH, 0, 1), EXIT);
	PROG("rsh32 by 33 is masked to 1", 0x7fffffffULL,
	     MOV(0, -1), MOV(1, 33), INSN_ALU32_REG(BPF_RSH, 0, 1), EXIT);
	PROG("rsh64 logical", 0x7fffffffffffffffULL,
	     MOV(0, -1), INSN_ALU64_IMM(BPF_RSH, 0, 1), EXIT);
	PROG("arsh64 by 64 is masked to 0", (u64)-8,
	     MOV(0, -8), MOV(1, 64), INSN_ALU64_REG(BPF_ARSH, 0, 1), EXIT);
	PROG("arsh64 sign-fills", (u64)-1,
	     MOV(0, -8), INSN_ALU64_IMM(BPF_ARSH, 0, 63), EXIT);
	PROG("arsh32 sign-fills the low half only", 0xffffffffULL,
	     INSN_MOV32_IMM(0, S32_MIN), INSN_ALU32_IMM(BPF_ARSH, 0, 31), EXIT);
	PROG("arsh32 by 32 is masked to 0", 0x80000000ULL,
	     INSN_LD_IMM64(0, 0x1280000000ULL), MOV(1, 32),
	     INSN_ALU32_REG(BPF_ARSH, 0, 1), EXIT);
}

static void test_alu32(void)
{
	PROG("add32 wraps and clears the upper half", 0,
	     MOV(0, -1), INSN_ALU32_IMM(BPF_ADD, 0, 1), EXIT);
	PROG("mov32 reg clears the upper half", 0x89abcdefULL,
	     INSN_LD_IMM64(1, 0x0123456789abcdefULL), INSN_MOV32_REG(0, 1), EXIT);
	PROG("mov32 imm -1 is not sign-extended", 0xffffffffULL,
	     INSN_MOV32_IMM(0, -1), EXIT);
	PROG("mov64 imm -1 is sign-extended", U64_MAX, MOV(0, -1), EXIT);
	PROG("neg32", 0xffffffffULL, MOV(0, 1), INSN(BPF_ALU | BPF_NEG, 0, 0, 0, 0), EXIT);
	PROG("neg64", U64_MAX, MOV(0, 1), INSN(BPF_ALU64 | BPF_NEG, 0, 0, 0, 0), EXIT);
	PROG("sub32", 0xfffffffeULL, MOV(0, 1), INSN_ALU32_IMM(BPF_SUB, 0, 3), EXIT);
	PROG("mul32 truncates", 0x00000001ULL,
	     INSN_MOV32_IMM(0, 0xffffffff), INSN_ALU32_IMM(BPF_MUL, 0, 0xffffffff), EXIT);
	PROG("mul64 imm sign-extends", (u64)-6, MOV(0, 3), INSN_ALU64_IMM(BPF_MUL, 0, -2), EXIT);
	PROG("and64 imm sign-extends", 0xfffffffffffffff0ULL,
	     MOV(0, -1), INSN_ALU64_IMM(BPF_AND, 0, -16), EXIT);
	PROG("and32 imm", 0xfffffff0ULL, MOV(0, -1), INSN_ALU32_IMM(BPF_AND, 0, -16), EXIT);
	PROG("or/xor", 0xf0ULL ^ 0x0f ^ 0xff,
	     MOV(0, 0xf0), INSN_ALU64_IMM(BPF_OR, 0, 0x0f), INSN_ALU64_IMM(BPF_XOR, 0, 0xff),
	     INSN_ALU64_IMM(BPF_XOR, 0, 0xff), INSN_ALU64_IMM(BPF_XOR, 0, 0xff), EXIT);
	PROG("xor32 clears the upper half", 0xffffffffULL,
	     INSN_LD_IMM64(0, 0xffffffff00000000ULL), INSN_ALU32_IMM(BPF_XOR, 0, -1), EXIT);
}

static void test_movsx(void)
{
	PROG("movsx64 s8", 0xffffffffffffff80ULL,
	     MOV(1, 0x180), INSN_MOVSX64_REG(0, 1, 8), EXIT);
	PROG("movsx64 s16", 0xffffffffffff8000ULL,
	     MOV(1, 0x18000), INSN_MOVSX64_REG(0, 1, 16), EXIT);
	PROG("movsx64 s32", 0xffffffff80000000ULL,
	     INSN_LD_IMM64(1, 0x1280000000ULL), INSN_MOVSX64_REG(0, 1, 32), EXIT);
	PROG("movsx64 s8 positive", 0x7f, MOV(1, 0x37f), INSN_MOVSX64_REG(0, 1, 8), EXIT);
	PROG("movsx32 s8 zero-extends the result", 0xffffff80ULL,
	     MOV(1, 0x80), INSN_MOVSX32_REG(0, 1, 8), EXIT);
	PROG("movsx32 s16", 0xffff8000ULL,
	     INSN_LD_IMM64(1, 0xffffffff00008000ULL), INSN_MOVSX32_REG(0, 1, 16), EXIT);
}

static void test_memsx(void)
{
	static const u8 init[MEM_SIZE] = {
		0x80, 0xff, 0x7f, 0x00, 0x00, 0x00, 0x00, 0x80,
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	};

	PROG_MEM("ldxsb", 0xffffffffffffff80ULL, init,
		 INSN_LDX_MEMSX(BPF_B, 0, 1, 0), EXIT);
	PROG_MEM("ldxsh", 0xffffffffffffff80ULL, init,
		 INSN_LDX_MEMSX(BPF_H, 0, 1, 0), EXIT);
	PROG_MEM("ldxsh positive", 0x7fffULL, init,
		 INSN_LDX_MEMSX(BPF_H, 0, 1, 1), EXIT);
	PROG_MEM("ldxsw", 0xffffffff80000000ULL, init,
		 INSN_LDX_MEMSX(BPF_W, 0, 1, 4), EXIT);
	PROG_MEM("ldxb zero-extends", 0x80, init, INSN_LDX_MEM(BPF_B, 0, 1, 0), EXIT);
	PROG_MEM("ldxdw unaligned", 0x0807060504030201ULL, init,
		 INSN_LDX_MEM(BPF_DW, 0, 1, 8), EXIT);
	PROG_MEM("negative offset from a moved pointer", 0x04030201ULL, init,
		 INSN_ALU64_IMM(BPF_ADD, 1, 12), INSN_LDX_MEM(BPF_W, 0, 1, -4), EXIT);
	PROG("stack store and load at negative offsets", 0x1122334455667788ULL,
	     INSN_LD_IMM64(1, 0x1122334455667788ULL),
	     INSN_STX_MEM(BPF_DW, 10, 1, -8),
	     INSN_ST_MEM(BPF_W, 10, -512, 7),
	     INSN_LDX_MEM(BPF_DW, 0, 10, -8), EXIT);
	PROG("st imm dw sign-extends", U64_MAX,
	     INSN_ST_MEM(BPF_DW, 10, -16, -1), INSN_LDX_MEM(BPF_DW, 0, 10, -16), EXIT);
	PROG("stx to mem, read back a byte", 0x22,
	     MOV(2, 0x1122), INSN_STX_MEM(BPF_H, 1, 2, 3),
	     INSN_LDX_MEM(BPF_B, 0, 1, 3), EXIT);
}

static void test_endian(void)
{
	PROG("bswap16", 0x8877, INSN_LD_IMM64(0, 0x1122334455667788ULL),
	     INSN_BSWAP(0, 16), EXIT);
	PROG("bswap32", 0x88776655, INSN_LD_IMM64(0, 0x1122334455667788ULL),
	     INSN_BSWAP(0, 32), EXIT);
	PROG("bswap64", 0x8877665544332211ULL, INSN_LD_IMM64(0, 0x1122334455667788ULL),
	     INSN_BSWAP(0, 64), EXIT);
	PROG("be16 (little-endian host: swap, truncate)", 0x8877,
	     INSN_LD_IMM64(0, 0x1122334455667788ULL), INSN_ENDIAN(BPF_TO_BE, 0, 16), EXIT);
	PROG("be32", 0x88776655, INSN_LD_IMM64(0, 0x1122334455667788ULL),
	     INSN_ENDIAN(BPF_TO_BE, 0, 32), EXIT);
	PROG("be64", 0x8877665544332211ULL, INSN_LD_IMM64(0, 0x1122334455667788ULL),
	     INSN_ENDIAN(BPF_TO_BE, 0, 64), EXIT);
	PROG("le16 truncates", 0x7788, INSN_LD_IMM64(0, 0x1122334455667788ULL),
	     INSN_ENDIAN(BPF_TO_LE, 0, 16), EXIT);
	PROG("le32 truncates", 0x55667788, INSN_LD_IMM64(0, 0x1122334455667788ULL),
	     INSN_ENDIAN(BPF_TO_LE, 0, 32), EXIT);
	PROG("le64 keeps", 0x1122334455667788ULL, INSN_LD_IMM64(0, 0x1122334455667788ULL),
	     INSN_ENDIAN(BPF_TO_LE, 0, 64), EXIT);
}

static void test_jumps(void)
{
	PROG("gotol forward", 2, MOV(0, 1), INSN_JMP32_A(1), MOV(0, 3),
	     INSN_ALU64_IMM(BPF_ADD, 0, 1), EXIT);
	PROG("gotol backward loop", 10,
	     MOV(0, 0),
	     INSN_ALU64_IMM(BPF_ADD, 0, 1),
	     INSN_JMP_IMM(BPF_JEQ, 0, 10, 1),
	     INSN_JMP32_A(-3),
	     EXIT);
	PROG("ja", 1, MOV(0, 1), INSN_JMP_A(1), MOV(0, 2), EXIT);
	PROG("jsgt imm is signed", 1, MOV(0, 0), MOV(1, -1),
	     INSN_JMP_IMM(BPF_JSGT, 1, -2, 1), EXIT, MOV(0, 1), EXIT);
	PROG("jgt imm is unsigned (sign-extended imm)", 0, MOV(0, 0), MOV(1, 5),
	     INSN_JMP_IMM(BPF_JGT, 1, -1, 1), EXIT, MOV(0, 1), EXIT);
	PROG("jmp32 ignores the upper half", 1, MOV(0, 0),
	     INSN_LD_IMM64(1, 0xff00000005ULL),
	     INSN_JMP32_IMM(BPF_JEQ, 1, 5, 1), EXIT, MOV(0, 1), EXIT);
	PROG("jmp64 sees the upper half", 0, MOV(0, 0),
	     INSN_LD_IMM64(1, 0xff00000005ULL),
	     INSN_JMP_IMM(BPF_JEQ, 1, 5, 1), EXIT, MOV(0, 1), EXIT);
	PROG("jmp32 jslt signed", 1, MOV(0, 0), INSN_MOV32_IMM(1, -3), MOV(2, 1),
	     INSN_JMP32_REG(BPF_JSLT, 1, 2, 1), EXIT, MOV(0, 1), EXIT);
	PROG("jset", 1, MOV(0, 0), MOV(1, 6),
	     INSN_JMP_IMM(BPF_JSET, 1, 2, 1), EXIT, MOV(0, 1), EXIT);
	PROG("jset not taken", 0, MOV(0, 0), MOV(1, 6),
	     INSN_JMP_IMM(BPF_JSET, 1, 8, 1), EXIT, MOV(0, 1), EXIT);
	PROG("jle/jge/jlt/jne", 4, MOV(0, 0), MOV(1, 5), MOV(2, 7),
	     INSN_JMP_REG(BPF_JLE, 1, 2, 1), EXIT, INSN_ALU64_IMM(BPF_ADD, 0, 1),
	     INSN_JMP_REG(BPF_JGE, 2, 1, 1), EXIT, INSN_ALU64_IMM(BPF_ADD, 0, 1),
	     INSN_JMP_IMM(BPF_JLT, 1, 6, 1), EXIT, INSN_ALU64_IMM(BPF_ADD, 0, 1),
	     INSN_JMP_IMM(BPF_JNE, 1, 6, 1), EXIT, INSN_ALU64_IMM(BPF_ADD, 0, 1),
	     EXIT);
	PROG("jsle/jsge/jslt imm", 3, MOV(0, 0), MOV(1, -5),
	     INSN_JMP_IMM(BPF_JSLE, 1, -5, 1), EXIT, INSN_ALU64_IMM(BPF_ADD, 0, 1),
	     INSN_JMP_IMM(BPF_JSGE, 1, -5, 1), EXIT, INSN_ALU64_IMM(BPF_ADD, 0, 1),
	     INSN_JMP_IMM(BPF_JSLT, 1, 0, 1), EXIT, INSN_ALU64_IMM(BPF_ADD, 0, 1),
	     EXIT);
}

static void test_atomics(void)
{
	static const u8 init[MEM_SIZE] = {
		0x10, 0, 0, 0, 0, 0, 0, 0,
		0xff, 0xff, 0xff, 0xff, 0x01, 0, 0, 0,
	};

	PROG_MEM("atomic64 fetch_add returns the old value", 0x10, init,
		 MOV(0, 5), INSN_ATOMIC_OP(BPF_DW, BPF_ADD | BPF_FETCH, 1, 0, 0), EXIT);
	PROG_MEM("atomic64 fetch_add stores the sum", 0x15, init,
		 MOV(2, 5), INSN_ATOMIC_OP(BPF_DW, BPF_ADD | BPF_FETCH, 1, 2, 0),
		 INSN_LDX_MEM(BPF_DW, 0, 1, 0), EXIT);
	PROG_MEM("atomic32 fetch_add zero-extends the fetched value", 0xffffffffULL, init,
		 MOV(0, -1), INSN_ATOMIC_OP(BPF_W, BPF_ADD | BPF_FETCH, 1, 0, 8), EXIT);
	PROG_MEM("atomic32 add wraps within 32 bits", 0x100000000ULL, init,
		 MOV(2, 1), INSN_ATOMIC_OP(BPF_W, BPF_ADD, 1, 2, 8),
		 INSN_LDX_MEM(BPF_DW, 0, 1, 8), EXIT);
	PROG_MEM("atomic64 or/and/xor", ((0x10 | 0x3) & 0x6) ^ 0xff, init,
		 MOV(2, 3), INSN_ATOMIC_OP(BPF_DW, BPF_OR, 1, 2, 0),
		 MOV(2, 6), INSN_ATOMIC_OP(BPF_DW, BPF_AND, 1, 2, 0),
		 MOV(2, 0xff), INSN_ATOMIC_OP(BPF_DW, BPF_XOR, 1, 2, 0),
		 INSN_LDX_MEM(BPF_DW, 0, 1, 0), EXIT);
	PROG_MEM("atomic32 fetch_or/and/xor return old values", 0x10 + 0x13 + 0x3, init,
		 MOV(2, 3), INSN_ATOMIC_OP(BPF_W, BPF_OR | BPF_FETCH, 1, 2, 0),
		 MOV(3, 7), INSN_ATOMIC_OP(BPF_W, BPF_AND | BPF_FETCH, 1, 3, 0),
		 MOV(4, 1), INSN_ATOMIC_OP(BPF_W, BPF_XOR | BPF_FETCH, 1, 4, 0),
		 INSN_MOV64_REG(0, 2), INSN_ALU64_REG(BPF_ADD, 0, 3),
		 INSN_ALU64_REG(BPF_ADD, 0, 4), EXIT);
	PROG_MEM("atomic64 xchg", 0x10 + 0x99 * 256, init,
		 MOV(2, 0x99), INSN_ATOMIC_OP(BPF_DW, BPF_XCHG, 1, 2, 0),
		 INSN_LDX_MEM(BPF_DW, 0, 1, 0), INSN_ALU64_IMM(BPF_LSH, 0, 8),
		 INSN_ALU64_REG(BPF_ADD, 0, 2), EXIT);
	PROG_MEM("atomic32 xchg zero-extends", 0xffffffffULL, init,
		 MOV(2, 0), INSN_ATOMIC_OP(BPF_W, BPF_XCHG, 1, 2, 8),
		 INSN_MOV64_REG(0, 2), EXIT);
	PROG_MEM("atomic64 cmpxchg success: r0 = old, stored", 0x10 + 0x42, init,
		 MOV(0, 0x10), MOV(2, 0x42),
		 INSN_ATOMIC_OP(BPF_DW, BPF_CMPXCHG, 1, 2, 0),
		 INSN_LDX_MEM(BPF_DW, 3, 1, 0), INSN_ALU64_REG(BPF_ADD, 0, 3), EXIT);
	PROG_MEM("atomic64 cmpxchg failure: r0 = current, unchanged", 0x10 + 0x10, init,
		 MOV(0, 0x11), MOV(2, 0x42),
		 INSN_ATOMIC_OP(BPF_DW, BPF_CMPXCHG, 1, 2, 0),
		 INSN_LDX_MEM(BPF_DW, 3, 1, 0), INSN_ALU64_REG(BPF_ADD, 0, 3), EXIT);
	PROG_MEM("atomic32 cmpxchg compares the low half, zero-extends r0", 0xffffffffULL, init,
		 MOV(0, -1), MOV(2, 7),
		 INSN_ATOMIC_OP(BPF_W, BPF_CMPXCHG, 1, 2, 8), EXIT);
	PROG_MEM("atomic32 cmpxchg success stores", 7, init,
		 MOV(0, -1), MOV(2, 7),
		 INSN_ATOMIC_OP(BPF_W, BPF_CMPXCHG, 1, 2, 8),
		 INSN_LDX_MEM(BPF_W, 0, 1, 8), EXIT);
	PROG_MEM("atomic32 cmpxchg failure", 0xffffffffULL, init,
		 MOV(0, 5), MOV(2, 7),
		 INSN_ATOMIC_OP(BPF_W, BPF_CMPXCHG, 1, 2, 8),
		 INSN_LDX_MEM(BPF_W, 0, 1, 8), EXIT);
	PROG("atomic on the stack", 3,
	     INSN_ST_MEM(BPF_DW, 10, -8, 1), MOV(1, 2),
	     INSN_ATOMIC_OP(BPF_DW, BPF_ADD, 10, 1, -8),
	     INSN_LDX_MEM(BPF_DW, 0, 10, -8), EXIT);
}

static void test_calls(void)
{
	PROG("helper call passes r1-r3", 6,
	     MOV(1, 1), MOV(2, 2), MOV(3, 3), INSN_CALL(100), EXIT);
	PROG("helper call passes r5", 9, MOV(5, 9), INSN_CALL(101), EXIT);
	PROG("callx: helper id in dst_reg", 7,
	     MOV(1, 3), MOV(2, 4), MOV(3, 0), MOV(4, 100), INSN_CALLX(4), EXIT);
	PROG("bpf-to-bpf call preserves r6-r9 and r10", 6 + 7 + 8 + 9 + 15 + 0x55,
	     MOV(6, 6), MOV(7, 7), MOV(8, 8), MOV(9, 9),
	     INSN_ST_MEM(BPF_DW, 10, -8, 0x55),
	     MOV(1, 5), MOV(2, 10),
	     INSN_CALL_REL(8),
	     INSN_ALU64_REG(BPF_ADD, 0, 6), INSN_ALU64_REG(BPF_ADD, 0, 7),
	     INSN_ALU64_REG(BPF_ADD, 0, 8), INSN_ALU64_REG(BPF_ADD, 0, 9),
	     INSN_LDX_MEM(BPF_DW, 1, 10, -8), INSN_ALU64_REG(BPF_ADD, 0, 1),
	     EXIT,
	     /* unused slot to make the call offset non-trivial */
	     EXIT,
	     /* callee: r0 = r1 + r2, clobbers r6-r9 and its own stack */
	     MOV(6, 0), MOV(7, 0), MOV(8, 0), MOV(9, 0),
	     INSN_ST_MEM(BPF_DW, 10, -8, 0x77),
	     INSN_MOV64_REG(0, 1), INSN_ALU64_REG(BPF_ADD, 0, 2), EXIT);
	PROG("callee reads the caller's stack through a pointer", 0x66,
	     INSN_ST_MEM(BPF_DW, 10, -8, 0x66),
	     INSN_MOV64_REG(1, 10), INSN_ALU64_IMM(BPF_ADD, 1, -8),
	     INSN_CALL_REL(1), EXIT,
	     INSN_LDX_MEM(BPF_DW, 0, 1, 0), EXIT);
	/* Seven nested calls: eight frames, the limit. */
	PROG("eight frames deep is allowed", 7,
	     MOV(0, 0), INSN_CALL_REL(1), EXIT,
	     INSN_CALL_REL(2), INSN_ALU64_IMM(BPF_ADD, 0, 1), EXIT,
	     INSN_CALL_REL(2), INSN_ALU64_IMM(BPF_ADD, 0, 1), EXIT,
	     INSN_CALL_REL(2), INSN_ALU64_IMM(BPF_ADD, 0, 1), EXIT,
	     INSN_CALL_REL(2), INSN_ALU64_IMM(BPF_ADD, 0, 1), EXIT,
	     INSN_CALL_REL(2), INSN_ALU64_IMM(BPF_ADD, 0, 1), EXIT,
	     INSN_CALL_REL(2), INSN_ALU64_IMM(BPF_ADD, 0, 1), EXIT,
	     MOV(0, 1), EXIT);
}

/* Recursion past eight frames: fast stops with 0, checked reports. */
static void test_depth_limit(void)
{
	const struct bpf_insn p[] = {
		MOV(0, 1), INSN_CALL_REL(-2), EXIT,
	};
	struct bpfdev_code code = {
		.insns = (struct bpf_insn *)p, .len = ARRAY_SIZE(p), .env = &env,
	};
	struct bpfdev_run_opts opts = { };
	char err[256] = "";
	u64 r0 = 1;
	int ret;

	ok_eq(bpfdev_interp_run_args(&code, 0, 0), 0,
	      "fast: endless recursion ends at the depth limit with r0 = 0");
	opts.err = err;
	opts.err_size = sizeof(err);
	ret = bpfdev_interp_run_checked(&code, &opts, &r0);
	ok(ret == -ELOOP && strstr(err, "call stack deeper than 8 frames at insn 1"),
	   "checked: endless recursion: %s", err);
}

/*
 * A program that counts its runs in mem[0] and tail-calls itself: the
 * first run plus 33 tail calls, then the 34th falls through.
 */
static void test_tail_calls(void)
{
	const struct bpf_insn p[] = {
		INSN_MOV64_REG(6, 1),
		INSN_LDX_MEM(BPF_DW, 0, 6, 0),
		INSN_ALU64_IMM(BPF_ADD, 0, 1),
		INSN_STX_MEM(BPF_DW, 6, 0, 0),
		INSN_MOV64_REG(1, 6), MOV(2, 0), MOV(3, 0),
		INSN_CALL(BPF_FUNC_tail_call),
		INSN_LDX_MEM(BPF_DW, 0, 6, 0),
		EXIT,
	};
	const struct bpf_insn miss[] = {
		MOV(0, 5), INSN_MOV64_REG(6, 1), MOV(3, 1),
		INSN_CALL(BPF_FUNC_tail_call), EXIT,
	};

	tail_target = (struct bpfdev_code) {
		.insns = (struct bpf_insn *)p, .len = ARRAY_SIZE(p), .env = &env,
	};
	tail_lookups = 0;
	both("tail call chain stops after 33", p, ARRAY_SIZE(p), 34, NULL);
	ok_eq(tail_lookups, 2 * 33, "33 lookups per engine");
	both("tail call to an empty slot falls through", miss, ARRAY_SIZE(miss), 5, NULL);
}

/* LD_ABS/LD_IND on a packet context. */
static void test_ld_abs(void)
{
	static const u8 pkt[] = {
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00,
		0x45, 0x00, 0x00, 0x54,
	};
	const struct bpf_insn ok_prog[] = {
		INSN_MOV64_REG(6, 1),
		INSN_LD_ABS(BPF_H, 12),			/* ethertype 0x0800 */
		INSN_MOV64_REG(7, 0),
		MOV(2, 10),
		INSN_LD_IND(BPF_W, 2, 4),		/* bytes 14..17 */
		INSN_MOV64_REG(8, 0),
		INSN_LD_ABS(BPF_B, SKF_NET_OFF),	/* 0x45 via the net header */
		INSN_ALU64_REG(BPF_ADD, 0, 7),
		INSN_ALU64_REG(BPF_ADD, 0, 8),
		EXIT,
	};
	const struct bpf_insn oob[] = {
		INSN_MOV64_REG(6, 1), MOV(0, 7),
		INSN_LD_ABS(BPF_W, 16),			/* 16..19: past the end */
		MOV(0, 9), EXIT,
	};
	const struct bpf_insn oob_ind[] = {
		INSN_MOV64_REG(6, 1), MOV(0, 7), MOV(2, -20),
		INSN_LD_IND(BPF_B, 2, 4),		/* offset -16 */
		MOV(0, 9), EXIT,
	};
	const struct { const char *name; const struct bpf_insn *p; u32 len; u64 want; } cases[] = {
		{ "ld_abs/ld_ind in bounds", ok_prog, ARRAY_SIZE(ok_prog),
		  0x0800 + 0x45000054ULL + 0x45 },
		{ "ld_abs out of bounds ends the program with 0", oob, ARRAY_SIZE(oob), 0 },
		{ "ld_ind at a negative offset ends with 0", oob_ind, ARRAY_SIZE(oob_ind), 0 },
	};
	struct bpfdev_skb skb;
	struct bpfdev_region regions[BPFDEV_SKB_REGIONS];
	size_t i;

	bpfdev_skb_init_linear(&skb, pkt, sizeof(pkt));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct bpfdev_code code = {
			.insns = (struct bpf_insn *)cases[i].p, .len = cases[i].len,
			.env = &env,
		};
		struct bpfdev_run_opts opts = {
			.args = { (uintptr_t)&skb }, .skb = &skb, .regions = regions,
		};
		char err[256] = "";
		u64 r0 = 1;
		int ret;

		opts.nr_regions = bpfdev_interp_skb_regions(&skb, regions);
		opts.err = err;
		opts.err_size = sizeof(err);
		ok_eq(bpfdev_interp_run(&code, &skb), cases[i].want, "fast: %s", cases[i].name);
		ret = bpfdev_interp_run_checked(&code, &opts, &r0);
		if (!ok(ret == 0 && r0 == cases[i].want, "checked: %s", cases[i].name))
			tap_diag("  ret %d (%s) r0 0x%llx", ret, err, (unsigned long long)r0);
	}
}

int main(void)
{
	env.helpers[100] = helper_add3;
	env.helpers[101] = helper_r5;
	env.tail_call_target = tail_call_target;
	tap_plan(0);
	test_divmod();
	test_shifts();
	test_alu32();
	test_movsx();
	test_memsx();
	test_endian();
	test_jumps();
	test_atomics();
	test_calls();
	test_depth_limit();
	test_tail_calls();
	test_ld_abs();
	PROG("ld_imm64", 0x1122334455667788ULL, INSN_LD_IMM64(0, 0x1122334455667788ULL), EXIT);
	return tap_done();
}
