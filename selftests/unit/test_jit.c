// SPDX-License-Identifier: GPL-2.0
/*
 * The JIT against the interpreter: every program runs in both (and in the
 * JIT again with constant blinding) from the same memory, and r0 and the
 * memory after the run must be equal.  Register sweeps dump all ten
 * registers into memory after the instruction under test, so a clobbered
 * neighbour shows too; inputs come from memory, so one image runs many
 * values.  The cases known to break JITs are all here: shifts by 0 and by
 * rcx, division in rax/rdx, JSET on the upper half, byte stores of
 * sil/dil, zero-extension after every 32-bit operation.
 */
#include "interp.h"
#include "jit.h"
#include "skb.h"
#include "tap.h"

#define MEM_SIZE	256
#define OUT		96	/* the register dump: mem[OUT .. OUT + 104) */

static u8 mem_i[MEM_SIZE] __attribute__((aligned(8)));
static u8 mem_j[MEM_SIZE] __attribute__((aligned(8)));
static struct bpfdev_env env;
static struct bpfdev_code *tail_progs[2];

static const u64 values[] = {
	0, 1, 2, 7, 31, 32, 63, 64, 0x7f, 0x80, 0xff, 0x7fff, 0x8000,
	0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL,
	0x123456789abcdef0ULL, 0x8000000000000000ULL, 0x7fffffffffffffffULL,
	~0ULL, ~0ULL - 1, 0xffffffff80000000ULL, 0xfffffffffffffff9ULL,
};

static const s32 imms[] = {
	0, 1, -1, 2, 7, -7, 31, 32, 63, 64, 0x7f, 0x80, -0x80, 0x7fffffff,
	(s32)0x80000000, 0x12345678,
};

static u64 helper_mix(u64 a, u64 b, u64 c, u64 d, u64 e)
{
	return a * 3 + (b ^ c) - (d << 2) + e;
}

static u64 helper_ptr(u64 a, u64 b, u64 c, u64 d, u64 e)
{
	/* writes through a pointer argument: memory must match too */
	*(u64 *)(uintptr_t)a = b + c + d + e;
	return 1;
}

static const struct bpfdev_code *tail_call_target(void *map, u32 index)
{
	return index < 2 ? tail_progs[index] : NULL;
}

static void fill(u32 seed)
{
	u32 i;

	for (i = 0; i < MEM_SIZE; i++) {
		seed = seed * 1103515245 + 12345;
		mem_i[i] = seed >> 16;
	}
	memcpy(mem_j, mem_i, MEM_SIZE);
}

static struct bpfdev_code make_code(const struct bpf_insn *insns, u32 len)
{
	struct bpfdev_code code = {
		.insns = (struct bpf_insn *)insns, .len = len, .env = &env,
		.stack_depth = BPF_MAX_STACK,
	};

	return code;
}

/*
 * Compiles insns (blinded or not) and compares against the interpreter
 * for each seed's memory.  Returns 0 when all agree, else prints why.
 */
static int diff_run(const char *name, const struct bpf_insn *insns, u32 len,
		    u32 flags, const u32 *seeds, u32 nseeds, bool quiet)
{
	struct bpfdev_code code = make_code(insns, len);
	int err, bad = 0;
	u32 s;

	err = bpfdev_jit_compile(&code, flags);
	if (err) {
		tap_diag("%s: JIT failed: %d", name, err);
		return -1;
	}
	for (s = 0; s < nseeds && !bad; s++) {
		u64 ri, rj;

		fill(seeds[s]);
		ri = bpfdev_interp_run_args(&code, (uintptr_t)mem_i, MEM_SIZE);
		rj = code.jited((uintptr_t)mem_j, MEM_SIZE);
		if (ri != rj || memcmp(mem_i, mem_j, MEM_SIZE)) {
			bad = 1;
			if (!quiet) {
				u32 k;

				tap_diag("%s%s seed %u: r0 interp 0x%llx jit 0x%llx",
					 name, flags & BPFDEV_JIT_BLIND ? " (blinded)" : "",
					 seeds[s], (unsigned long long)ri,
					 (unsigned long long)rj);
				for (k = 0; k < MEM_SIZE; k += 8)
					if (memcmp(mem_i + k, mem_j + k, 8))
						tap_diag("  mem[%u]: interp 0x%016llx jit 0x%016llx",
							 k, *(unsigned long long *)(mem_i + k),
							 *(unsigned long long *)(mem_j + k));
			}
		}
	}
	bpfdev_jit_free(&code);
	return bad;
}

static const u32 seeds3[] = { 1, 2, 3 };

/* One TAP line: plain and blinded JIT against the interpreter. */
static void check(const char *name, const struct bpf_insn *insns, u32 len)
{
	int a = diff_run(name, insns, len, 0, seeds3, 3, false);
	int b = diff_run(name, insns, len, BPFDEV_JIT_BLIND, seeds3, 3, false);

	ok(!a && !b, "%s", name);
}

#define CHECK(NAME, ...)						\
	do {								\
		const struct bpf_insn __p[] = { __VA_ARGS__ };		\
		check(NAME, __p, ARRAY_SIZE(__p));			\
	} while (0)

/* ---- register sweeps ---------------------------------------------------- */

/*
 * Program skeleton: save r1, load r0..r9 from mem[0..80) (values seeded
 * from the table), run the instruction(s) under test, dump r0..r9 to the
 * stack, copy the dump to mem[OUT..].
 */
struct sweep {
	struct bpf_insn	insns[96];
	u32		len;
};

static void sw_add(struct sweep *p, struct bpf_insn insn)
{
	p->insns[p->len++] = insn;
}

static void sw_begin(struct sweep *p)
{
	int r;

	p->len = 0;
	sw_add(p, INSN_STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_1, -8));
	for (r = 0; r < 4; r++)
		sw_add(p, INSN_ST_MEM(BPF_DW, BPF_REG_10, -96 - 8 * r, 0));
	for (r = 0; r <= 9; r++)
		if (r != 1)
			sw_add(p, INSN_LDX_MEM(BPF_DW, r, BPF_REG_1, 8 * r));
	sw_add(p, INSN_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_1, 8));
}

static void sw_end(struct sweep *p)
{
	int r;

	for (r = 0; r <= 9; r++)
		sw_add(p, INSN_STX_MEM(BPF_DW, BPF_REG_10, r, -16 - 8 * r));
	sw_add(p, INSN_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_10, -8));
	/* r0-r9, then the scratch slots at -96 .. -112 */
	for (r = 0; r <= 12; r++) {
		sw_add(p, INSN_LDX_MEM(BPF_DW, BPF_REG_2, BPF_REG_10, -16 - 8 * r));
		sw_add(p, INSN_STX_MEM(BPF_DW, BPF_REG_1, BPF_REG_2, OUT + 8 * r));
	}
	sw_add(p, INSN_MOV64_IMM(BPF_REG_0, 0));
	sw_add(p, INSN_EXIT());
}

/* Seeds whose memory holds table values in every register slot. */
static u32 value_seeds[64];

static void fill_values(u32 seed)
{
	u32 r;

	fill(seed);
	for (r = 0; r < 11; r++) {
		u64 v = values[(seed * 7 + r * 13 + (seed >> 3) * r) % ARRAY_SIZE(values)];

		memcpy(mem_i + 8 * r, &v, 8);
	}
	memcpy(mem_j, mem_i, MEM_SIZE);
}

/* Like diff_run, but memory is filled from values[] per seed. */
static int sweep_run(const char *name, struct sweep *p, u32 flags)
{
	struct bpfdev_code code = make_code(p->insns, p->len);
	int err;
	u32 s;

	err = bpfdev_jit_compile(&code, flags);
	if (err) {
		tap_diag("%s: JIT failed: %d", name, err);
		return 1;
	}
	for (s = 0; s < ARRAY_SIZE(value_seeds); s++) {
		u64 ri, rj;

		fill_values(value_seeds[s]);
		ri = bpfdev_interp_run_args(&code, (uintptr_t)mem_i, MEM_SIZE);
		rj = code.jited((uintptr_t)mem_j, MEM_SIZE);
		if (ri != rj || memcmp(mem_i, mem_j, MEM_SIZE)) {
			u32 k;

			tap_diag("%s: differs (seed %u)", name, value_seeds[s]);
			for (k = 0; k < MEM_SIZE; k += 8)
				if (memcmp(mem_i + k, mem_j + k, 8))
					tap_diag("  mem[%u]: interp 0x%016llx jit 0x%016llx",
						 k, *(unsigned long long *)(mem_i + k),
						 *(unsigned long long *)(mem_j + k));
			bpfdev_jit_free(&code);
			return 1;
		}
	}
	bpfdev_jit_free(&code);
	return 0;
}

static void sweep_alu(u8 cls, u8 op, s16 off, const char *name)
{
	struct sweep p;
	int bad = 0, dst, src, i;

	for (dst = 0; dst <= 9 && !bad; dst++) {
		/* register source: every pair, including dst == src */
		if (op != BPF_NEG && !(cls == BPF_ALU && op == BPF_MOV && off == 32)) {
			/* not r10: a stack address differs between engines */
			for (src = 0; src <= 9 && !bad; src++) {
				sw_begin(&p);
				sw_add(&p, INSN(cls | op | BPF_X, dst, src, off, 0));
				sw_end(&p);
				bad |= sweep_run(name, &p, 0);
				if (bad)
					tap_diag("  %s r%d, r%d", name, dst, src);
			}
		}
		if (op == BPF_MOV && off)
			continue;
		for (i = 0; i < (int)ARRAY_SIZE(imms) && !bad; i++) {
			sw_begin(&p);
			sw_add(&p, INSN(cls | op | BPF_K, dst, 0, off, imms[i]));
			sw_end(&p);
			bad |= sweep_run(name, &p, 0) || sweep_run(name, &p, BPFDEV_JIT_BLIND);
			if (bad)
				tap_diag("  %s r%d, %d", name, dst, imms[i]);
		}
	}
	ok(!bad, "sweep %s", name);
}

static void sweep_end(void)
{
	static const struct { u8 code; const char *name; } kinds[] = {
		{ BPF_ALU | BPF_END | BPF_TO_LE, "le" },
		{ BPF_ALU | BPF_END | BPF_TO_BE, "be" },
		{ BPF_ALU64 | BPF_END | BPF_TO_LE, "bswap" },
	};
	struct sweep p;
	int bad = 0, dst, w;
	u32 k;

	for (k = 0; k < ARRAY_SIZE(kinds); k++) {
		for (w = 16; w <= 64; w *= 2) {
			for (dst = 0; dst <= 9 && !bad; dst++) {
				sw_begin(&p);
				sw_add(&p, INSN(kinds[k].code, dst, 0, 0, w));
				sw_end(&p);
				bad |= sweep_run(kinds[k].name, &p, 0);
				if (bad)
					tap_diag("  %s%d r%d", kinds[k].name, w, dst);
			}
		}
	}
	ok(!bad, "sweep byte swaps (le, be, bswap x 16/32/64 x r0-r9)");
}

/* Conditional jumps: a stack flag records whether the jump was taken. */
static void sweep_jmp(u8 cls, u8 op, const char *name)
{
	struct sweep p;
	int bad = 0, dst, src, i;

	for (dst = 0; dst <= 10 && !bad; dst++) {
		for (src = -1; src <= 10 && !bad; src++) {
			int ni = src < 0 ? ARRAY_SIZE(imms) : 1;

			/* the bits of a stack address differ between engines */
			if (op == BPF_JSET && (dst == 10 || src == 10))
				continue;
			for (i = 0; i < ni && !bad; i++) {
				sw_begin(&p);
				sw_add(&p, INSN_ST_MEM(BPF_DW, BPF_REG_10, -104, 0));
				if (src < 0)
					sw_add(&p, INSN(cls | op | BPF_K, dst, 0, 1, imms[i]));
				else
					sw_add(&p, INSN(cls | op | BPF_X, dst, src, 1, 0));
				sw_add(&p, INSN_JMP_A(1));
				sw_add(&p, INSN_ST_MEM(BPF_DW, BPF_REG_10, -104, 1));
				sw_end(&p);
				bad |= sweep_run(name, &p, 0) ||
				       (src < 0 && sweep_run(name, &p, BPFDEV_JIT_BLIND));
				if (bad)
					tap_diag("  %s r%d, %s%d", name, dst,
						 src < 0 ? "" : "r", src < 0 ? imms[i] : src);
			}
		}
	}
	ok(!bad, "sweep %s", name);
}

/* Atomics on a stack slot seeded from mem[80], every register pair. */
static void sweep_atomic(u8 size, s32 aop, const char *name)
{
	struct sweep p;
	int bad = 0, dst, src;

	for (dst = 0; dst <= 10 && !bad; dst++) {
		for (src = 0; src <= 9 && !bad; src++) {
			if (dst == src && dst != 10)
				continue;	/* pointer and value in one register */
			sw_begin(&p);
			/* slot [r10 - 112] = mem[80]; dst = r10 - 112 */
			sw_add(&p, INSN_STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_1, -120));
			sw_add(&p, INSN_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_10, -8));
			sw_add(&p, INSN_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_1, 80));
			sw_add(&p, INSN_STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_1, -112));
			sw_add(&p, INSN_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_10, -120));
			if (dst != 10) {
				sw_add(&p, INSN_MOV64_REG(dst, BPF_REG_10));
				sw_add(&p, INSN_ALU64_IMM(BPF_ADD, dst, -112));
				sw_add(&p, INSN_ATOMIC_OP(size, aop, dst, src, 0));
			} else {
				sw_add(&p, INSN_ATOMIC_OP(size, aop, BPF_REG_10, src, -112));
			}
			sw_add(&p, INSN_LDX_MEM(BPF_DW, BPF_REG_2, BPF_REG_10, -112));
			sw_add(&p, INSN_STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_2, -104));
			/* dst held a stack address: zero it so dumps compare */
			if (dst != 10)
				sw_add(&p, INSN_MOV64_IMM(dst, 0));
			sw_end(&p);
			/*
			 * The dump of [r10-104] holds the slot; a value equal
			 * to a pointer cannot be compared: drop src == dst.
			 */
			bad |= sweep_run(name, &p, 0);
			if (bad)
				tap_diag("  %s [r%d], r%d", name, dst, src);
		}
	}
	ok(!bad, "sweep %s", name);
}

/* Stores of every register width from every register (sil/dil need REX). */
static void sweep_store(void)
{
	struct sweep p;
	int bad = 0, src, sz;
	static const u8 sizes[] = { BPF_B, BPF_H, BPF_W, BPF_DW };

	for (sz = 0; sz < 4; sz++) {
		for (src = 0; src <= 9 && !bad; src++) {
			sw_begin(&p);
			sw_add(&p, INSN_ST_MEM(BPF_DW, BPF_REG_10, -104, 0x5a5a5a5a));
			sw_add(&p, INSN_STX_MEM(sizes[sz], BPF_REG_10, src, -104 + 1));
			sw_add(&p, INSN_ST_MEM(sizes[sz], BPF_REG_10, -112, -3));
			sw_add(&p, INSN_LDX_MEM(sizes[sz], BPF_REG_0, BPF_REG_10, -104 + 1));
			sw_add(&p, INSN_LDX_MEMSX(sizes[sz] == BPF_DW ? BPF_W : sizes[sz],
						  BPF_REG_9, BPF_REG_10, -104 + 1));
			sw_end(&p);
			bad |= sweep_run("store", &p, 0) || sweep_run("store", &p, BPFDEV_JIT_BLIND);
			if (bad)
				tap_diag("  store size %d from r%d", sz, src);
		}
	}
	ok(!bad, "sweep stores and loads of every width from every register");
}

/* ---- hand-written programs ----------------------------------------------- */

static void tail_calls(void)
{
	/* prog B: mem[0] += 1; tail call B again (index 1); exit 7 */
	static const struct bpf_insn b[] = {
		INSN_LDX_MEM(BPF_DW, BPF_REG_2, BPF_REG_1, 0),
		INSN_ALU64_IMM(BPF_ADD, BPF_REG_2, 1),
		INSN_STX_MEM(BPF_DW, BPF_REG_1, BPF_REG_2, 0),
		INSN_MOV64_IMM(BPF_REG_2, 0),
		INSN_MOV64_IMM(BPF_REG_3, 1),
		INSN_CALL(BPF_FUNC_tail_call),
		INSN_MOV64_IMM(BPF_REG_0, 7),
		INSN_EXIT(),
	};
	/* prog A: stack in use, tail call index 0 (-> B), else 99 */
	static const struct bpf_insn a[] = {
		INSN_ST_MEM(BPF_DW, BPF_REG_10, -8, 5),
		INSN_ST_MEM(BPF_DW, BPF_REG_1, 0, 0),
		INSN_MOV64_IMM(BPF_REG_2, 0),
		INSN_MOV64_IMM(BPF_REG_3, 0),
		INSN_CALL(BPF_FUNC_tail_call),
		INSN_MOV64_IMM(BPF_REG_0, 99),
		INSN_EXIT(),
	};
	/* prog D: a subprogram tail-calls B; its result comes back to main */
	static const struct bpf_insn d[] = {
		INSN_ST_MEM(BPF_DW, BPF_REG_1, 0, 0),
		INSN_MOV64_REG(BPF_REG_6, BPF_REG_1),
		INSN_CALL_REL(3),
		INSN_ALU64_IMM(BPF_ADD, BPF_REG_0, 100),
		INSN_ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_6),
		INSN_EXIT(),
		INSN_ST_MEM(BPF_DW, BPF_REG_10, -8, 1),
		INSN_MOV64_IMM(BPF_REG_2, 0),
		INSN_MOV64_IMM(BPF_REG_3, 0),
		INSN_CALL(BPF_FUNC_tail_call),
		INSN_MOV64_IMM(BPF_REG_0, 55),
		INSN_EXIT(),
	};
	struct bpfdev_code cb = make_code(b, ARRAY_SIZE(b));
	struct bpfdev_code ca = make_code(a, ARRAY_SIZE(a));
	struct bpfdev_code cd = make_code(d, ARRAY_SIZE(d));
	u64 ri, rj, ci, cj;
	int pass;

	for (pass = 0; pass < 3; pass++) {
		/* 0: target JITed, 1: target blinded, 2: target interpreted */
		if (pass < 2 && bpfdev_jit_compile(&cb, pass ? BPFDEV_JIT_BLIND : 0)) {
			ok(0, "tail calls: JIT of the target");
			continue;
		}
		tail_progs[0] = &cb;
		tail_progs[1] = &cb;
		if (bpfdev_jit_compile(&ca, 0)) {
			ok(0, "tail calls: JIT of the caller");
			continue;
		}
		fill(9);
		ri = bpfdev_interp_run_args(&ca, (uintptr_t)mem_i, MEM_SIZE);
		rj = ca.jited((uintptr_t)mem_j, MEM_SIZE);
		memcpy(&ci, mem_i, 8);
		memcpy(&cj, mem_j, 8);
		if (pass == 2) {
			/* interpreted target: it counts its own chain from 0 */
			ok(ri == 7 && rj == 7 && ci == 33 && cj >= 33,
			   "tail calls into an interpreted target: r0 %llu/%llu, runs %llu/%llu",
			   (unsigned long long)ri, (unsigned long long)rj,
			   (unsigned long long)ci, (unsigned long long)cj);
		} else {
			ok(ri == rj && ci == cj && ci == 33,
			   "tail calls %s: 33 at most (r0 %llu/%llu, runs %llu/%llu)",
			   pass ? "(blinded)" : "",
			   (unsigned long long)ri, (unsigned long long)rj,
			   (unsigned long long)ci, (unsigned long long)cj);
		}
		bpfdev_jit_free(&ca);
		if (pass < 2 && !bpfdev_jit_compile(&cd, pass ? BPFDEV_JIT_BLIND : 0)) {
			fill(10);
			ri = bpfdev_interp_run_args(&cd, (uintptr_t)mem_i, MEM_SIZE);
			rj = cd.jited((uintptr_t)mem_j, MEM_SIZE);
			memcpy(&ci, mem_i, 8);
			memcpy(&cj, mem_j, 8);
			/* r0 = 7 + 100 + r6 (the memory address): compare less it */
			ok(ri - (uintptr_t)mem_i == rj - (uintptr_t)mem_j && ci == cj && ci == 33,
			   "tail calls from a subprogram %s(r0 %llu/%llu, runs %llu/%llu)",
			   pass ? "(blinded) " : "",
			   (unsigned long long)(ri - (uintptr_t)mem_i),
			   (unsigned long long)(rj - (uintptr_t)mem_j),
			   (unsigned long long)ci, (unsigned long long)cj);
			bpfdev_jit_free(&cd);
		}
		bpfdev_jit_free(&cb);
	}
	CHECK("tail call to an empty slot falls through",
	      INSN_MOV64_REG(BPF_REG_6, BPF_REG_1),
	      INSN_MOV64_IMM(BPF_REG_2, 0),
	      INSN_MOV64_IMM(BPF_REG_3, 5),
	      INSN_CALL(BPF_FUNC_tail_call),
	      INSN_ST_MEM(BPF_DW, BPF_REG_6, 0, 1),
	      INSN_MOV64_IMM(BPF_REG_0, 42),
	      INSN_EXIT());
}

static void ld_abs(void)
{
	static const u8 pkt[] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
		0x08, 0x00, 0x45, 0x00, 0x00, 0x28, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06,
		0xaa, 0xbb, 0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02, 0x00, 0x16,
		0x04, 0xd2,
	};
	static const struct { s32 off; u8 size; bool ind; s32 x; } loads[] = {
		{ 0, BPF_B }, { 12, BPF_H }, { 14, BPF_W }, { 34, BPF_W },
		{ 35, BPF_H }, { 36, BPF_H }, { 37, BPF_B }, { 38, BPF_B },
		{ 36, BPF_W }, { 0x7ffffffe, BPF_W }, { -1, BPF_B },
		{ SKF_NET_OFF, BPF_B }, { SKF_NET_OFF + 9, BPF_B },
		{ SKF_LL_OFF + 12, BPF_H }, { SKF_NET_OFF + 30, BPF_W },
		{ 2, BPF_W, true, 10 }, { 0, BPF_H, true, 36 }, { 0, BPF_H, true, 37 },
		{ -4, BPF_B, true, 4 }, { -14, BPF_B, true, 4 }, { 8, BPF_W, true, -1 },
		{ SKF_NET_OFF, BPF_H, true, 12 }, { 1, BPF_W, true, 0x7ffffffe },
	};
	struct bpfdev_skb skb;
	int bad = 0, blind;
	u32 k;

	bpfdev_skb_init_linear(&skb, pkt, sizeof(pkt));
	for (k = 0; k < ARRAY_SIZE(loads); k++) {
		struct bpf_insn p[] = {
			INSN_MOV64_REG(BPF_REG_6, BPF_REG_1),
			INSN_MOV64_IMM(BPF_REG_1, 111),
			INSN_MOV64_IMM(BPF_REG_2, 222),
			INSN_MOV64_IMM(BPF_REG_3, 333),
			INSN_MOV64_IMM(BPF_REG_4, 444),
			INSN_MOV64_IMM(BPF_REG_5, 555),
			INSN_MOV64_IMM(BPF_REG_7, loads[k].x),
			loads[k].ind ? INSN_LD_IND(loads[k].size, BPF_REG_7, loads[k].off)
				     : INSN_LD_ABS(loads[k].size, loads[k].off),
			/* r0 ^ (r1..r5 survive the load) */
			INSN_ALU64_REG(BPF_ADD, BPF_REG_1, BPF_REG_2),
			INSN_ALU64_REG(BPF_ADD, BPF_REG_1, BPF_REG_3),
			INSN_ALU64_REG(BPF_ADD, BPF_REG_1, BPF_REG_4),
			INSN_ALU64_REG(BPF_ADD, BPF_REG_1, BPF_REG_5),
			INSN_ALU64_IMM(BPF_LSH, BPF_REG_1, 40),
			INSN_ALU64_REG(BPF_XOR, BPF_REG_0, BPF_REG_1),
			INSN_EXIT(),
		};
		for (blind = 0; blind < 2; blind++) {
			struct bpfdev_code code = make_code(p, ARRAY_SIZE(p));
			u64 ri, rj;

			if (bpfdev_jit_compile(&code, blind ? BPFDEV_JIT_BLIND : 0)) {
				bad = 1;
				continue;
			}
			ri = bpfdev_interp_run(&code, &skb);
			rj = bpfdev_code_run(&code, &skb);
			if (ri != rj) {
				bad = 1;
				tap_diag("ld %s off %d size %d x %d: interp 0x%llx jit 0x%llx",
					 loads[k].ind ? "ind" : "abs", loads[k].off,
					 loads[k].size, loads[k].x,
					 (unsigned long long)ri, (unsigned long long)rj);
			}
			bpfdev_jit_free(&code);
		}
	}
	ok(!bad, "LD_ABS/LD_IND: in, at the edge of and outside the packet, negative offsets");
}

static void long_jumps(void)
{
	static struct bpf_insn p[700];
	u32 n = 0, i;

	/* forward and backward jumps beyond rel8, loop counted in r0 */
	p[n++] = INSN_MOV64_IMM(BPF_REG_0, 0);
	p[n++] = INSN_MOV64_IMM(BPF_REG_2, 5);
	p[n++] = INSN_JMP_IMM(BPF_JGT, BPF_REG_2, 100, 313);	/* never: to exit */
	for (i = 0; i < 300; i++)
		p[n++] = INSN_ALU64_IMM(BPF_ADD, BPF_REG_0, i);
	p[n++] = INSN_ALU64_IMM(BPF_SUB, BPF_REG_2, 1);
	p[n++] = INSN_JMP_IMM(BPF_JNE, BPF_REG_2, 0, -(s16)(302));
	p[n++] = INSN(BPF_JA32, 0, 0, 0, 10);
	for (i = 0; i < 10; i++)
		p[n++] = INSN_MOV64_IMM(BPF_REG_0, -1);
	p[n++] = INSN_EXIT();
	check("rel32 jumps: 300-instruction loop, gotol", p, n);
}

static void calls(void)
{
	env.helpers[1] = helper_mix;
	env.helpers[2] = helper_ptr;
	env.tail_call_target = tail_call_target;

	CHECK("helper call: five arguments, r6-r9 kept",
	      INSN_MOV64_IMM(BPF_REG_6, 6), INSN_MOV64_IMM(BPF_REG_7, 7),
	      INSN_MOV64_IMM(BPF_REG_8, 8), INSN_MOV64_IMM(BPF_REG_9, 9),
	      INSN_MOV64_IMM(BPF_REG_5, 5),
	      INSN_MOV64_IMM(BPF_REG_1, 1000), INSN_MOV64_IMM(BPF_REG_2, 0x55),
	      INSN_MOV64_IMM(BPF_REG_3, 0x0f), INSN_MOV64_IMM(BPF_REG_4, 3),
	      INSN_CALL(1),
	      INSN_ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_6),
	      INSN_ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_7),
	      INSN_ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_8),
	      INSN_ALU64_REG(BPF_MUL, BPF_REG_0, BPF_REG_9),
	      INSN_EXIT());
	CHECK("helper call writing through a stack pointer",
	      INSN_MOV64_REG(BPF_REG_6, BPF_REG_1),
	      INSN_MOV64_REG(BPF_REG_1, BPF_REG_10),
	      INSN_ALU64_IMM(BPF_ADD, BPF_REG_1, -16),
	      INSN_MOV64_IMM(BPF_REG_2, 1), INSN_MOV64_IMM(BPF_REG_3, 2),
	      INSN_MOV64_IMM(BPF_REG_4, 3), INSN_MOV64_IMM(BPF_REG_5, 4),
	      INSN_CALL(2),
	      INSN_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_10, -16),
	      INSN_STX_MEM(BPF_DW, BPF_REG_6, BPF_REG_0, 8),
	      INSN_EXIT());
	CHECK("callx: id in a register, unknown id gives 0",
	      INSN_MOV64_REG(BPF_REG_6, BPF_REG_1),
	      INSN_MOV64_IMM(BPF_REG_7, 1),
	      INSN_MOV64_IMM(BPF_REG_1, 10), INSN_MOV64_IMM(BPF_REG_2, 1),
	      INSN_MOV64_IMM(BPF_REG_3, 2), INSN_MOV64_IMM(BPF_REG_4, 3),
	      INSN_MOV64_IMM(BPF_REG_5, 4),
	      INSN_CALLX(BPF_REG_7),
	      INSN_STX_MEM(BPF_DW, BPF_REG_6, BPF_REG_0, 0),
	      INSN_EXIT());
	CHECK("bpf-to-bpf calls: args, r6-r9 kept, stacks apart, nested",
	      INSN_MOV64_REG(BPF_REG_9, BPF_REG_1),
	      INSN_ST_MEM(BPF_DW, BPF_REG_10, -8, 77),
	      INSN_MOV64_IMM(BPF_REG_6, 6),
	      INSN_MOV64_IMM(BPF_REG_1, 1), INSN_MOV64_IMM(BPF_REG_2, 2),
	      INSN_MOV64_IMM(BPF_REG_3, 3), INSN_MOV64_IMM(BPF_REG_4, 4),
	      INSN_MOV64_IMM(BPF_REG_5, 5),
	      INSN_CALL_REL(5),
	      INSN_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_10, -8),
	      INSN_ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_1),
	      INSN_ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_6),
	      INSN_STX_MEM(BPF_DW, BPF_REG_9, BPF_REG_0, 16),
	      INSN_EXIT(),
	      /* f1 (insn 14... relative): r0 = r1..r5 sum + f2(r1) */
	      INSN_MOV64_IMM(BPF_REG_0, -1),
	      INSN_ST_MEM(BPF_DW, BPF_REG_10, -8, 1000),
	      INSN_MOV64_REG(BPF_REG_6, BPF_REG_1),
	      INSN_ALU64_REG(BPF_ADD, BPF_REG_6, BPF_REG_2),
	      INSN_ALU64_REG(BPF_ADD, BPF_REG_6, BPF_REG_3),
	      INSN_ALU64_REG(BPF_ADD, BPF_REG_6, BPF_REG_4),
	      INSN_ALU64_REG(BPF_ADD, BPF_REG_6, BPF_REG_5),
	      INSN_CALL_REL(4),
	      INSN_ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_6),
	      INSN_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_10, -8),
	      INSN_ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_1),
	      INSN_EXIT(),
	      /* f2: r0 = r1 * 100, with an escaping stack pointer */
	      INSN_MOV64_REG(BPF_REG_2, BPF_REG_10),
	      INSN_STX_MEM(BPF_DW, BPF_REG_2, BPF_REG_1, -24),
	      INSN_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_10, -24),
	      INSN_ALU64_IMM(BPF_MUL, BPF_REG_0, 100),
	      INSN_EXIT());
}

static void misc(void)
{
	CHECK("LD_IMM64 of every shape",
	      INSN_MOV64_REG(BPF_REG_6, BPF_REG_1),
	      INSN_LD_IMM64(BPF_REG_0, 0),
	      INSN_LD_IMM64(BPF_REG_1, 0xffffffffULL),
	      INSN_LD_IMM64(BPF_REG_2, 0xffffffff80000000ULL),
	      INSN_LD_IMM64(BPF_REG_3, 0x123456789abcdef0ULL),
	      INSN_LD_IMM64(BPF_REG_4, 0x8000000000000000ULL),
	      INSN_STX_MEM(BPF_DW, BPF_REG_6, BPF_REG_1, 0),
	      INSN_STX_MEM(BPF_DW, BPF_REG_6, BPF_REG_2, 8),
	      INSN_STX_MEM(BPF_DW, BPF_REG_6, BPF_REG_3, 16),
	      INSN_STX_MEM(BPF_DW, BPF_REG_6, BPF_REG_4, 24),
	      INSN_EXIT());
	CHECK("stores of immediates of every width, sign-extended DW",
	      INSN_ST_MEM(BPF_B, BPF_REG_1, 0, -2),
	      INSN_ST_MEM(BPF_H, BPF_REG_1, 2, -3),
	      INSN_ST_MEM(BPF_W, BPF_REG_1, 4, -4),
	      INSN_ST_MEM(BPF_DW, BPF_REG_1, 8, -5),
	      INSN_ST_MEM(BPF_DW, BPF_REG_1, 16, 0x7fffffff),
	      INSN_ST_MEM(BPF_H, BPF_REG_1, 200, 0x12345),
	      INSN_MOV64_IMM(BPF_REG_0, 0),
	      INSN_EXIT());
	CHECK("memory loads at large offsets and unaligned",
	      INSN_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, 3),
	      INSN_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_1, 201),
	      INSN_LDX_MEMSX(BPF_H, BPF_REG_3, BPF_REG_1, 129),
	      INSN_LDX_MEMSX(BPF_B, BPF_REG_4, BPF_REG_1, 255),
	      INSN_ALU64_REG(BPF_XOR, BPF_REG_0, BPF_REG_2),
	      INSN_ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_3),
	      INSN_ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_4),
	      INSN_EXIT());
}

/* The host's jit_limit refusal (-EPERM) is a fallback reason of its own. */
static void fallback_reasons(void)
{
	ok(bpfdev_jit_fallback_reason(-EPERM) == BPFDEV_JIT_FB_LIMIT &&
	   !strcmp(bpfdev_jit_fallback_name(BPFDEV_JIT_FB_LIMIT), "limit"),
	   "fallback: -EPERM (over the host's jit_limit) counts as \"limit\"");
	ok(bpfdev_jit_fallback_reason(-ENOMEM) == BPFDEV_JIT_FB_NOMEM,
	   "fallback: -ENOMEM counts as \"nomem\"");
}

int main(void)
{
	static const struct { u8 op; s16 off; const char *name; } alu[] = {
		{ BPF_ADD, 0, "add" }, { BPF_SUB, 0, "sub" }, { BPF_MUL, 0, "mul" },
		{ BPF_DIV, 0, "div" }, { BPF_DIV, 1, "sdiv" }, { BPF_MOD, 0, "mod" },
		{ BPF_MOD, 1, "smod" }, { BPF_OR, 0, "or" }, { BPF_AND, 0, "and" },
		{ BPF_XOR, 0, "xor" }, { BPF_LSH, 0, "lsh" }, { BPF_RSH, 0, "rsh" },
		{ BPF_ARSH, 0, "arsh" }, { BPF_NEG, 0, "neg" }, { BPF_MOV, 0, "mov" },
		{ BPF_MOV, 8, "movsx8" }, { BPF_MOV, 16, "movsx16" },
		{ BPF_MOV, 32, "movsx32" },
	};
	static const struct { u8 op; const char *name; } jmp[] = {
		{ BPF_JEQ, "jeq" }, { BPF_JNE, "jne" }, { BPF_JGT, "jgt" },
		{ BPF_JGE, "jge" }, { BPF_JLT, "jlt" }, { BPF_JLE, "jle" },
		{ BPF_JSGT, "jsgt" }, { BPF_JSGE, "jsge" }, { BPF_JSLT, "jslt" },
		{ BPF_JSLE, "jsle" }, { BPF_JSET, "jset" },
	};
	static const struct { s32 op; const char *name; } atomics[] = {
		{ BPF_ADD, "add" }, { BPF_OR, "or" }, { BPF_AND, "and" },
		{ BPF_XOR, "xor" }, { BPF_ADD | BPF_FETCH, "fetch_add" },
		{ BPF_OR | BPF_FETCH, "fetch_or" }, { BPF_AND | BPF_FETCH, "fetch_and" },
		{ BPF_XOR | BPF_FETCH, "fetch_xor" }, { BPF_XCHG, "xchg" },
		{ BPF_CMPXCHG, "cmpxchg" },
	};
	char name[64];
	u32 i, w;

	for (i = 0; i < ARRAY_SIZE(value_seeds); i++)
		value_seeds[i] = i * 2654435761U;
	tap_plan(0);
	calls();
	misc();
	fallback_reasons();
	long_jumps();
	ld_abs();
	tail_calls();
	for (w = 0; w < 2; w++) {
		for (i = 0; i < ARRAY_SIZE(alu); i++) {
			if (!w && alu[i].op == BPF_MOV && alu[i].off == 32)
				continue;
			snprintf(name, sizeof(name), "%s%s", alu[i].name, w ? "64" : "32");
			sweep_alu(w ? BPF_ALU64 : BPF_ALU, alu[i].op, alu[i].off, name);
		}
		for (i = 0; i < ARRAY_SIZE(jmp); i++) {
			snprintf(name, sizeof(name), "%s%s", jmp[i].name, w ? "" : "32");
			sweep_jmp(w ? BPF_JMP : BPF_JMP32, jmp[i].op, name);
		}
		for (i = 0; i < ARRAY_SIZE(atomics); i++) {
			snprintf(name, sizeof(name), "atomic %s%s", atomics[i].name,
				 w ? "64" : "32");
			sweep_atomic(w ? BPF_DW : BPF_W, atomics[i].op, name);
		}
	}
	sweep_end();
	sweep_store();
	return tap_done();
}
