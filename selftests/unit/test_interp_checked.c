// SPDX-License-Identifier: GPL-2.0
/*
 * The checked interpreter on bad programs: each kind of fault is an error
 * naming the instruction, never a crash; then 200,000 random
 * programs under ASan/UBSan, which must only ever be reported.
 */
#include "interp.h"
#include "skb.h"
#include "tap.h"

#define MEM_SIZE	32

static u8 mem[MEM_SIZE] __attribute__((aligned(8)));
static const u8 rodata[16];
static struct bpfdev_env env;
static u64 map_value[4];

static u64 helper_lookup(u64 a, u64 b, u64 c, u64 d, u64 e)
{
	return (uintptr_t)map_value;
}

static u64 helper_fill(u64 to, u64 len, u64 c, u64 d, u64 e)
{
	if (len <= 64)
		memset((void *)(uintptr_t)to, 0xab, len);
	return 0;
}

static bool helper_region(void *priv, u32 id, u64 ret, struct bpfdev_region *r)
{
	if (id != 1)
		return false;
	*r = (struct bpfdev_region) {
		.addr = ret, .len = sizeof(map_value),
		.flags = BPFDEV_REGION_RW, .name = "map value",
	};
	return true;
}

static int run(const struct bpf_insn *insns, u32 len, u64 budget,
	       char *err, size_t err_size, u64 *r0)
{
	struct bpfdev_code code = {
		.insns = (struct bpf_insn *)insns, .len = len, .env = &env,
	};
	struct bpfdev_region regions[] = {
		{ (uintptr_t)mem, MEM_SIZE, BPFDEV_REGION_RW, "mem" },
		{ (uintptr_t)rodata, sizeof(rodata), BPFDEV_REGION_READ, "rodata" },
	};
	struct bpfdev_run_opts opts = {
		.args = { (uintptr_t)mem, MEM_SIZE, (uintptr_t)rodata },
		.regions = regions, .nr_regions = ARRAY_SIZE(regions),
		.budget = budget, .helper_region = helper_region,
		.err = err, .err_size = err_size,
	};

	return bpfdev_interp_run_checked(&code, &opts, r0);
}

/* The program must fail with errno want and a message containing msg. */
static void bad(const char *name, const struct bpf_insn *insns, u32 len,
		int want, const char *msg)
{
	char err[256] = "";
	u64 r0;
	int ret;

	ret = run(insns, len, 100000, err, sizeof(err), &r0);
	if (!ok(ret == want && strstr(err, msg), "%s: %s", name, err))
		tap_diag("  ret %d, want %d and \"%s\"", ret, want, msg);
}

static void good(const char *name, const struct bpf_insn *insns, u32 len,
		 u64 want)
{
	char err[256] = "";
	u64 r0 = 0;
	int ret;

	ret = run(insns, len, 100000, err, sizeof(err), &r0);
	if (!ok(ret == 0 && r0 == want, "%s", name))
		tap_diag("  ret %d (%s), r0 0x%llx", ret, err, (unsigned long long)r0);
}

#define BAD(NAME, ERR, MSG, ...)					\
	do {								\
		const struct bpf_insn __p[] = { __VA_ARGS__ };		\
		bad(NAME, __p, ARRAY_SIZE(__p), ERR, MSG);		\
	} while (0)
#define GOOD(NAME, WANT, ...)						\
	do {								\
		const struct bpf_insn __p[] = { __VA_ARGS__ };		\
		good(NAME, __p, ARRAY_SIZE(__p), WANT);			\
	} while (0)

#define EXIT		INSN_EXIT()
#define MOV(d, i)	INSN_MOV64_IMM(d, i)

static void test_rejections(void)
{
	BAD("invalid opcode", -EINVAL, "invalid opcode 0xff at insn 1",
	    MOV(0, 0), INSN(0xff, 0, 0, 0, 0), EXIT);
	BAD("alu64 end to_be is not an opcode", -EINVAL, "invalid opcode 0xdf at insn 0",
	    INSN(BPF_ALU64 | BPF_END | BPF_TO_BE, 0, 0, 0, 16), EXIT);
	BAD("jmp32 exit is not an opcode", -EINVAL, "invalid opcode 0x96 at insn 1",
	    MOV(0, 0), INSN(BPF_JMP32 | BPF_EXIT, 0, 0, 0, 0));
	BAD("jump past the end", -EINVAL, "jump out of range at insn 1: target 5",
	    MOV(0, 0), INSN_JMP_A(3), EXIT);
	BAD("jump before the start", -EINVAL, "jump out of range at insn 1: target -1",
	    MOV(0, 0), INSN_JMP_IMM(BPF_JEQ, 0, 0, -3), EXIT);
	BAD("gotol out of range", -EINVAL, "jump out of range at insn 0: target 100001",
	    INSN_JMP32_A(100000), EXIT);
	BAD("falling off the end", -EINVAL, "program ran past its end after insn 1",
	    MOV(0, 0), MOV(1, 0));
	BAD("truncated ld_imm64", -EINVAL, "truncated LD_IMM64 at insn 1",
	    MOV(0, 0), INSN(BPF_LD | BPF_DW | BPF_IMM, 0, 0, 0, 1));
	BAD("ld_imm64 with a bad second half", -EINVAL, "invalid LD_IMM64 second half at insn 1",
	    INSN(BPF_LD | BPF_DW | BPF_IMM, 0, 0, 0, 1), MOV(0, 1), EXIT);
	BAD("jump into the middle of ld_imm64", -EINVAL, "invalid opcode 0x00 at insn 2",
	    INSN_JMP_A(1), INSN_LD_IMM64(0, 1), EXIT);
	BAD("load past the end of mem", -EFAULT,
	    "out of bounds load of 4 bytes at insn 0: address 0x",
	    INSN_LDX_MEM(BPF_W, 0, 1, MEM_SIZE - 2), EXIT);
	BAD("load from NULL", -EFAULT, "out of bounds load of 8 bytes at insn 1: address 0x0 not in any region",
	    MOV(1, 0), INSN_LDX_MEM(BPF_DW, 0, 1, 0), EXIT);
	BAD("store before mem", -EFAULT, "out of bounds store of 1 bytes at insn 0",
	    INSN_ST_MEM(BPF_B, 1, -1, 0), EXIT);
	BAD("store to a read-only region", -EFAULT,
	    "store of 2 bytes at insn 0: region rodata does not allow it",
	    INSN_STX_MEM(BPF_H, 3, 0, 0), EXIT);
	BAD("load below the stack", -EFAULT, "out of bounds load of 8 bytes at insn 0",
	    INSN_LDX_MEM(BPF_DW, 0, 10, -520), EXIT);
	BAD("store at the frame pointer", -EFAULT, "out of bounds store of 4 bytes at insn 0",
	    INSN_ST_MEM(BPF_W, 10, -2, 0), EXIT);
	BAD("uninitialized stack read", -EFAULT,
	    "load of 8 bytes of uninitialized stack at insn 1: fp-16 (frame 0)",
	    INSN_ST_MEM(BPF_W, 10, -16, 0), INSN_LDX_MEM(BPF_DW, 0, 10, -16), EXIT);
	BAD("uninitialized stack in a callee", -EFAULT,
	    "uninitialized stack at insn 3: fp-8 (frame 1)",
	    INSN_CALL_REL(1), EXIT, MOV(0, 0), INSN_LDX_MEM(BPF_B, 0, 10, -8), EXIT);
	BAD("callee stack is gone after the call", -EFAULT, "out of bounds load of 8 bytes at insn 2",
	    INSN_CALL_REL(3), INSN_MOV64_REG(1, 0), INSN_LDX_MEM(BPF_DW, 0, 1, 0), EXIT,
	    INSN_ST_MEM(BPF_DW, 10, -8, 1), INSN_MOV64_REG(0, 10),
	    INSN_ALU64_IMM(BPF_ADD, 0, -8), EXIT);
	BAD("atomic on uninitialized stack", -EFAULT, "atomic access of 8 bytes of uninitialized stack at insn 1",
	    MOV(1, 1), INSN_ATOMIC_OP(BPF_DW, BPF_ADD, 10, 1, -8), EXIT);
	BAD("misaligned atomic", -EINVAL, "misaligned atomic access of 4 bytes at insn 0",
	    INSN_ATOMIC_OP(BPF_W, BPF_ADD, 1, 2, 1), EXIT);
	BAD("invalid atomic operation", -EINVAL, "invalid atomic operation 0x20 at insn 0",
	    INSN_ATOMIC_OP(BPF_W, BPF_MUL, 1, 2, 0), EXIT);
	BAD("atomic on read-only memory", -EFAULT, "region rodata does not allow it",
	    INSN_ATOMIC_OP(BPF_DW, BPF_XOR, 3, 2, 0), EXIT);
	BAD("too deep calls", -ELOOP, "call stack deeper than 8 frames at insn 0",
	    INSN_CALL_REL(-1), EXIT);
	BAD("call target out of range", -EINVAL, "call target out of range at insn 0",
	    INSN_CALL_REL(5), EXIT);
	BAD("runaway loop", -ELOOP, "instruction budget exhausted at insn",
	    MOV(0, 0), INSN_JMP_A(-1), EXIT);
	BAD("register r12 (past AX)", -EINVAL, "invalid register r12 at insn 0",
	    INSN_MOV64_REG(0, 12), EXIT);
	BAD("register r15 as dst", -EINVAL, "invalid register r15 at insn 1",
	    MOV(0, 0), INSN(BPF_ALU64 | BPF_ADD | BPF_K, 15, 0, 0, 1), EXIT);
	BAD("write to r10", -EINVAL, "frame pointer r10 is read only at insn 0",
	    INSN_ALU64_IMM(BPF_ADD, 10, 8), EXIT);
	BAD("fetch into r10", -EINVAL, "frame pointer r10 is read only at insn 1",
	    INSN_ST_MEM(BPF_DW, 1, 0, 0),
	    INSN_ATOMIC_OP(BPF_DW, BPF_ADD | BPF_FETCH, 1, 10, 0), EXIT);
	BAD("unknown helper", -EINVAL, "unknown helper 200 at insn 0",
	    INSN_CALL(200), EXIT);
	BAD("helper id out of range", -EINVAL, "unknown helper 100000 at insn 0",
	    INSN_CALL(100000), EXIT);
	BAD("callx to a bad id", -EINVAL, "unknown helper 4294967295 at insn 1",
	    MOV(2, -1), INSN_CALLX(2), EXIT);
	BAD("kfunc call", -EINVAL, "unsupported call kind 2 at insn 0",
	    INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_KFUNC_CALL, 0, 1), EXIT);
	BAD("ld_abs without a packet", -EINVAL, "legacy packet load without the packet context in r6 at insn 0",
	    INSN_LD_ABS(BPF_B, 0), EXIT);
	BAD("bswap of 8 bits", -EINVAL, "invalid byte swap width 8 at insn 0",
	    INSN_BSWAP(0, 8), EXIT);
	BAD("div with off 2", -EINVAL, "invalid opcode 0x3f off 2 at insn 0",
	    INSN_ALU64_REG_OFF(BPF_DIV, 0, 1, 2), EXIT);
	BAD("movsx32 with off 32", -EINVAL, "invalid opcode 0xbc off 32 at insn 0",
	    INSN_MOVSX32_REG(0, 1, 32), EXIT);
	BAD("mov imm with an offset", -EINVAL, "invalid opcode 0xb7 off 8 at insn 0",
	    INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 8, 1), EXIT);
	BAD("load past a helper's map value", -EFAULT,
	    "out of bounds load of 8 bytes at insn 1",
	    INSN_CALL(1), INSN_LDX_MEM(BPF_DW, 0, 0, sizeof(map_value)), EXIT);
}

static void test_accepted(void)
{
	GOOD("a helper's map value is a region", 7,
	     INSN_CALL(1), MOV(1, 7), INSN_STX_MEM(BPF_DW, 0, 1, 8),
	     INSN_LDX_MEM(BPF_DW, 0, 0, 8), EXIT);
	GOOD("a stack buffer a helper filled may be read", 0xabab,
	     INSN_MOV64_REG(1, 10), INSN_ALU64_IMM(BPF_ADD, 1, -16), MOV(2, 16),
	     INSN_CALL(2), INSN_LDX_MEM(BPF_H, 0, 10, -16), EXIT);
	GOOD("read-only memory may be read", 0,
	     INSN_LDX_MEM(BPF_DW, 0, 3, 8), EXIT);
	GOOD("the last byte of mem", 0,
	     INSN_LDX_MEM(BPF_B, 0, 1, MEM_SIZE - 1), EXIT);
	GOOD("the top of the stack", 9,
	     INSN_ST_MEM(BPF_B, 10, -1, 9), INSN_LDX_MEM(BPF_B, 0, 10, -1), EXIT);
	GOOD("the bottom of the stack", 9,
	     INSN_ST_MEM(BPF_DW, 10, -512, 9), INSN_LDX_MEM(BPF_DW, 0, 10, -512), EXIT);
}

/* A cheap deterministic generator: xorshift64. */
static u64 rnd_state = 0x9e3779b97f4a7c15ULL;

static u64 rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

/*
 * Random programs: half raw noise, half built from valid opcodes and
 * small operands so that they get somewhere (memory through r1/r10,
 * calls, jumps).  None may crash; each must end with 0 or an error
 * message, and every message names an instruction.
 */
static void test_random(void)
{
	static const u8 codes[] = {
		0x07, 0x0f, 0x17, 0x1f, 0x27, 0x37, 0x3f, 0x47, 0x57, 0x67, 0x77,
		0x87, 0x97, 0x9f, 0xa7, 0xb7, 0xbf, 0xc7, 0xd7, 0x04, 0x0c, 0x34,
		0x3c, 0x94, 0x9c, 0xb4, 0xbc, 0xd4, 0xdc, 0x05, 0x06, 0x15, 0x1d,
		0x25, 0x2d, 0x35, 0x45, 0x55, 0x65, 0xa5, 0xb5, 0xc5, 0xd5, 0x16,
		0x56, 0x85, 0x8d, 0x95, 0x61, 0x69, 0x71, 0x79, 0x81, 0x89, 0x91,
		0x62, 0x6a, 0x72, 0x7a, 0x63, 0x6b, 0x73, 0x7b, 0xc3, 0xdb, 0x18,
		0x20, 0x28, 0x30, 0x40, 0x48, 0x50,
	};
	struct bpf_insn p[24];
	int i, j, crashes = 0, unnamed = 0, errors = 0;
	char err[256];
	u64 r0;

	for (i = 0; i < 200000; i++) {
		u32 len = 1 + rnd() % ARRAY_SIZE(p);
		int ret;

		for (j = 0; j < (int)len; j++) {
			u64 r = rnd();

			if (i & 1) {
				memcpy(&p[j], &r, sizeof(r));
				continue;
			}
			p[j] = INSN(codes[r % sizeof(codes)], (r >> 8) % 11,
				    (r >> 12) % 11, (s16)((r >> 16) % 17) - 8,
				    (r >> 32) % 3 == 0 ? (s32)(r >> 40) :
				    (s32)((r >> 40) % 64) - 16);
			if (p[j].code == 0xc3 || p[j].code == 0xdb)
				p[j].imm = (int[]){ 0x00, 0x01, 0x40, 0x41, 0x50,
						    0x51, 0xa0, 0xa1, 0xe1, 0xf1 }[r % 10];
		}
		p[len - 1] = rnd() % 4 ? INSN_EXIT() : p[len - 1];
		memset(mem, 0, sizeof(mem));
		err[0] = '\0';
		ret = run(p, len, 1000, err, sizeof(err), &r0);
		if (ret) {
			errors++;
			if (!strstr(err, "insn ") && !strstr(err, "empty"))
				unnamed++, tap_diag("no insn in: %s", err);
		} else if (err[0]) {
			crashes++;
		}
	}
	ok(!crashes && !unnamed, "200000 random programs: %d reported, none crashed", errors);
}

int main(void)
{
	env.helpers[1] = helper_lookup;
	env.helpers[2] = helper_fill;
	tap_plan(0);
	test_rejections();
	test_accepted();
	/* Random programs pass random pointers: only helpers that take none. */
	env.helpers[2] = NULL;
	test_random();
	return tap_done();
}
