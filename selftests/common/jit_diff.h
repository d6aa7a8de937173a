/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differential fuzzing of the JIT against the interpreter, shared by the
 * long-running fuzzer (selftests/fuzz/jit_diff.c) and its smoke run in
 * `make test` (selftests/unit/test_jit_fuzz.c).
 *
 * A random program works on registers and its stack only: every register
 * and the whole 256 bytes of stack it uses are initialised first, then come
 * random ALU (32/64, every operation and source kind, MOVSX, byte swaps),
 * forward conditional jumps, stack loads and stores of every width (also
 * sign-extending), atomics on the stack and BPF-to-BPF calls; at the end
 * every register and stack slot is folded into r0.  So r0 alone shows a
 * difference in any register or any stack byte.
 *
 * Which programs run: those the verifier accepts (its xlated output runs)
 * when the verifier is linked in (selftests/fuzz/build.mk links it when
 * it exists); otherwise those the checked interpreter runs without a fault
 * on this input.  Each runs in the fast interpreter,
 * the JIT and the blinded JIT; r0 must be equal.
 */
#ifndef BPFDEV_COMMON_JIT_DIFF_H
#define BPFDEV_COMMON_JIT_DIFF_H

#include <stdio.h>
#include <string.h>

#include "interp.h"
#include "jit.h"
#include "skb.h"

#if __has_include("verifier.h")
#include "verifier.h"
#define JD_HAVE_VERIFIER_H	1
/* Linked only when the verifier exists (weak: the fuzzer builds without). */
int bpfdev_verify(struct bpfdev_verifier_env *env) __attribute__((weak));
void bpfdev_verifier_env_release(struct bpfdev_verifier_env *env) __attribute__((weak));
#define JD_VERIFIER	(!jd_no_verifier && bpfdev_verify && bpfdev_verifier_env_release)
#else
#define JD_VERIFIER	0
#endif

/* Set to filter with the checked interpreter even when the verifier is in. */
static bool jd_no_verifier __maybe_unused;

#define JD_MAX_INSNS	512
#define JD_STACK	256

struct jd_rng {
	u64	s;
};

static inline u64 jd_next(struct jd_rng *r)
{
	/* splitmix64 */
	u64 z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline u32 jd_below(struct jd_rng *r, u32 n)
{
	return (u32)(jd_next(r) % n);
}

/* Values that find edges: 0, +-1, sign bits, all ones, shift counts. */
static inline s32 jd_imm(struct jd_rng *r)
{
	static const s32 edge[] = {
		0, 1, -1, 2, 7, 8, 15, 16, 31, 32, 33, 63, 64, 0x7f, 0x80, 0xff,
		0x7fff, 0x8000, 0xffff, 0x7fffffff, (s32)0x80000000, -2, -128,
	};

	if (jd_below(r, 3))
		return edge[jd_below(r, ARRAY_SIZE(edge))];
	return (s32)jd_next(r);
}

static inline u64 jd_value(struct jd_rng *r)
{
	switch (jd_below(r, 4)) {
	case 0:
		return (u64)(s64)jd_imm(r);
	case 1:
		return (u32)jd_imm(r);
	case 2:
		return 1ULL << jd_below(r, 64);
	default:
		return jd_next(r);
	}
}

/* Registers a random instruction may use: not r1 (ctx), never r10. */
static inline u8 jd_reg(struct jd_rng *r)
{
	static const u8 regs[] = { 0, 2, 3, 4, 5, 6, 7, 8, 9 };

	return regs[jd_below(r, ARRAY_SIZE(regs))];
}

struct jd_prog {
	struct bpf_insn	insns[JD_MAX_INSNS];
	u8		second[JD_MAX_INSNS];	/* second half of an LD_IMM64 */
	u32		len;
};

static inline void jd_add(struct jd_prog *p, struct bpf_insn insn)
{
	if (p->len < JD_MAX_INSNS)
		p->insns[p->len++] = insn;
}

static inline void jd_ld64(struct jd_prog *p, u8 reg, u64 v)
{
	struct bpf_insn two[] = { INSN_LD_IMM64(reg, v) };

	jd_add(p, two[0]);
	jd_add(p, two[1]);
}

static inline void jd_init_regs(struct jd_rng *r, struct jd_prog *p, int from, int to)
{
	int reg;

	for (reg = from; reg <= to; reg++) {
		u64 v = jd_value(r);

		if (reg == 1)
			continue;
		jd_ld64(p, reg, v);
	}
}

/* A stack operand: 8-byte slots for atomics, anything aligned to size else. */
static inline s16 jd_stack_off(struct jd_rng *r, u32 size)
{
	return -(s16)(size * (1 + jd_below(r, JD_STACK / size)));
}

static inline void jd_alu(struct jd_rng *r, struct jd_prog *p)
{
	static const u8 ops[] = {
		BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_OR, BPF_AND, BPF_LSH,
		BPF_RSH, BPF_NEG, BPF_MOD, BPF_XOR, BPF_MOV, BPF_ARSH,
	};
	u8 cls = jd_below(r, 2) ? BPF_ALU64 : BPF_ALU;
	u8 op = ops[jd_below(r, ARRAY_SIZE(ops))];
	bool k = op == BPF_NEG || jd_below(r, 2);
	s16 off = 0;

	if ((op == BPF_DIV || op == BPF_MOD) && jd_below(r, 2))
		off = 1;
	if (op == BPF_MOV && !k && jd_below(r, 3) == 0) {
		static const s16 sx[] = { 8, 16, 32 };

		off = sx[jd_below(r, cls == BPF_ALU64 ? 3 : 2)];
	}
	if (jd_below(r, 16) == 0) {
		static const s32 widths[] = { 16, 32, 64 };
		static const u8 ends[] = {
			BPF_ALU | BPF_END | BPF_TO_LE, BPF_ALU | BPF_END | BPF_TO_BE,
			BPF_ALU64 | BPF_END | BPF_TO_LE,
		};

		jd_add(p, INSN(ends[jd_below(r, 3)], jd_reg(r), 0, 0,
			       widths[jd_below(r, 3)]));
		return;
	}
	if (k) {
		s32 imm = jd_imm(r);

		/* the verifier refuses shifts past the width and k = 0 divisors */
		if (op == BPF_LSH || op == BPF_RSH || op == BPF_ARSH)
			imm &= cls == BPF_ALU64 ? 63 : 31;
		if ((op == BPF_DIV || op == BPF_MOD) && !imm)
			imm = 3;
		if (op == BPF_NEG)
			imm = 0;
		jd_add(p, INSN(cls | op | BPF_K, jd_reg(r), 0, off, imm));
	} else {
		jd_add(p, INSN(cls | op | BPF_X, jd_reg(r), jd_reg(r), off, 0));
	}
}

static inline void jd_mem(struct jd_rng *r, struct jd_prog *p)
{
	static const u8 sizes[] = { BPF_B, BPF_H, BPF_W, BPF_DW };
	static const s32 aops[] = {
		BPF_ADD, BPF_OR, BPF_AND, BPF_XOR, BPF_ADD | BPF_FETCH,
		BPF_OR | BPF_FETCH, BPF_AND | BPF_FETCH, BPF_XOR | BPF_FETCH,
		BPF_XCHG, BPF_CMPXCHG,
	};
	u8 size = sizes[jd_below(r, 4)];
	u32 bytes = bpfdev_size_bytes(size);

	switch (jd_below(r, 5)) {
	case 0:
		jd_add(p, INSN_LDX_MEM(size, jd_reg(r), BPF_REG_10, jd_stack_off(r, bytes)));
		break;
	case 1:
		if (size == BPF_DW)
			size = BPF_W;
		jd_add(p, INSN_LDX_MEMSX(size, jd_reg(r), BPF_REG_10,
					 jd_stack_off(r, bpfdev_size_bytes(size))));
		break;
	case 2:
		jd_add(p, INSN_STX_MEM(size, BPF_REG_10, jd_reg(r), jd_stack_off(r, bytes)));
		break;
	case 3:
		jd_add(p, INSN_ST_MEM(size, BPF_REG_10, jd_stack_off(r, bytes), jd_imm(r)));
		break;
	default:
		size = jd_below(r, 2) ? BPF_DW : BPF_W;
		jd_add(p, INSN_ATOMIC_OP(size, aops[jd_below(r, ARRAY_SIZE(aops))],
					 BPF_REG_10, jd_reg(r),
					 jd_stack_off(r, bpfdev_size_bytes(size))));
		break;
	}
}

static inline void jd_jmp(struct jd_rng *r, struct jd_prog *p, u32 room)
{
	static const u8 ops[] = {
		BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET, BPF_JNE, BPF_JSGT, BPF_JSGE,
		BPF_JLT, BPF_JLE, BPF_JSLT, BPF_JSLE,
	};
	u8 cls = jd_below(r, 2) ? BPF_JMP : BPF_JMP32;
	u8 op = ops[jd_below(r, ARRAY_SIZE(ops))];
	s16 off = (s16)jd_below(r, room + 1);

	if (jd_below(r, 2))
		jd_add(p, INSN(cls | op | BPF_K, jd_reg(r), 0, off, jd_imm(r)));
	else
		jd_add(p, INSN(cls | op | BPF_X, jd_reg(r), jd_reg(r), off, 0));
}

/*
 * Builds a program from seed: prologue, n random instructions (forward
 * jumps only, so it ends), the fold into r0, exit; then, when it calls
 * one, a subprogram.
 */
static inline void jd_generate(u64 seed, u32 n, struct jd_prog *p)
{
	struct jd_rng r = { seed };
	u32 i, body, calls[16], ncalls = 0, k;
	int slot;

	p->len = 0;
	for (slot = 8; slot <= JD_STACK; slot += 8)
		jd_add(p, INSN_ST_MEM(BPF_DW, BPF_REG_10, -slot, jd_imm(&r)));
	jd_init_regs(&r, p, 0, 9);
	body = p->len;
	for (i = 0; i < n && p->len < JD_MAX_INSNS - 120; i++) {
		u32 left = n - i;

		switch (jd_below(&r, 10)) {
		case 0:
		case 1:
		case 2:
		case 3:
			jd_alu(&r, p);
			break;
		case 4:
		case 5:
			jd_mem(&r, p);
			break;
		case 6:
		case 7:
			/* forward only: at most to the fold that follows the body */
			jd_jmp(&r, p, left > 1 ? jd_below(&r, left) : 0);
			break;
		case 8:
			jd_ld64(p, jd_reg(&r), jd_value(&r));
			break;
		default:
			if (ncalls < ARRAY_SIZE(calls) && jd_below(&r, 3) == 0) {
				/* r1..r5 are the arguments, gone after the call */
				calls[ncalls++] = p->len;
				jd_add(p, INSN_MOV64_REG(BPF_REG_1, jd_reg(&r)));
				jd_add(p, INSN_MOV64_REG(BPF_REG_2, jd_reg(&r)));
				jd_add(p, INSN_CALL_REL(0));
				jd_init_regs(&r, p, 2, 5);
			} else {
				jd_alu(&r, p);
			}
			break;
		}
	}
	/*
	 * Jumps past the end of the body land on the fold's first insn,
	 * jumps into the second half of an LD_IMM64 on its first.
	 */
	memset(p->second, 0, sizeof(p->second));
	for (i = 0; i < p->len; i++)
		if (bpfdev_insn_is_ld_imm64(&p->insns[i]))
			p->second[++i] = 1;
	for (i = body; i < p->len; i++) {
		struct bpf_insn *in = &p->insns[i];
		u8 cls = BPF_CLASS(in->code);

		if (p->second[i] || (cls != BPF_JMP && cls != BPF_JMP32) ||
		    BPF_OP(in->code) == BPF_CALL)
			continue;
		if (i + 1 + in->off > p->len)
			in->off = (s16)(p->len - i - 1);
		if (i + 1 + in->off < p->len && p->second[i + 1 + in->off])
			in->off--;
	}
	/* fold: r0 = r0 * 31 + rN for r2..r9, then every stack slot */
	for (k = 2; k <= 9; k++) {
		jd_add(p, INSN_ALU64_IMM(BPF_MUL, BPF_REG_0, 31));
		jd_add(p, INSN_ALU64_REG(BPF_ADD, BPF_REG_0, k));
	}
	for (slot = 8; slot <= JD_STACK; slot += 8) {
		jd_add(p, INSN_LDX_MEM(BPF_DW, BPF_REG_2, BPF_REG_10, -slot));
		jd_add(p, INSN_ALU64_IMM(BPF_MUL, BPF_REG_0, 31));
		jd_add(p, INSN_ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_2));
	}
	jd_add(p, INSN_EXIT());
	if (!ncalls)
		return;
	/* f(r1, r2): its own stack; r6 is callee saved and reused here */
	for (k = 0; k < ncalls; k++)
		p->insns[calls[k] + 2].imm = (s32)(p->len - (calls[k] + 2) - 1);
	jd_add(p, INSN_STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_1, -8));
	jd_add(p, INSN_MOV64_REG(BPF_REG_6, BPF_REG_2));
	jd_add(p, INSN_ALU64_IMM(BPF_MUL, BPF_REG_6, 0x9e3779b1));
	jd_add(p, INSN_ATOMIC_OP(BPF_DW, BPF_ADD | BPF_FETCH, BPF_REG_10, BPF_REG_6, -8));
	jd_add(p, INSN_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_10, -8));
	jd_add(p, INSN_ALU64_REG(BPF_XOR, BPF_REG_0, BPF_REG_6));
	jd_add(p, INSN_EXIT());
}

struct jd_stats {
	u64	generated;
	u64	ran;		/* accepted and compared */
	u64	rejected;	/* by the verifier or the checked interpreter */
	u64	jit_failed;
	u64	differ;
};

static inline void jd_print(FILE *f, const struct jd_prog *p)
{
	u32 i;

	for (i = 0; i < p->len; i++) {
		const struct bpf_insn *in = &p->insns[i];

		fprintf(f, "#   %3u: code 0x%02x dst r%u src r%u off %d imm %d\n", i,
			in->code, in->dst_reg, in->src_reg, in->off, in->imm);
	}
}

/*
 * One seed: generate, filter, run in all engines.  Returns 0 when equal
 * or not runnable, 1 on a difference (printed to f).
 */
static inline int jd_one(u64 seed, u32 n, const struct bpfdev_env *env,
			 struct jd_stats *st, FILE *f)
{
	static struct jd_prog p;
	static u8 pkt[64];
#ifdef JD_HAVE_VERIFIER_H
	struct bpfdev_verifier_env venv = {
		.prog_type = BPF_PROG_TYPE_SOCKET_FILTER,
		.privileged = true,
		.helpers = env,
	};
#endif
	struct bpfdev_code code = { .env = env, .type = BPF_PROG_TYPE_SOCKET_FILTER };
	struct bpfdev_run_opts opts = { .sz = sizeof(opts) };
	struct bpfdev_skb skb;
	bool verified __maybe_unused = false;
	u64 rc, ri, rj, rb;
	char err[256];
	int bad = 0, e;

	st->generated++;
	jd_generate(seed, n, &p);
	bpfdev_skb_init_linear(&skb, pkt, sizeof(pkt));
	code.insns = p.insns;
	code.len = p.len;
	code.stack_depth = JD_STACK;
#ifdef JD_HAVE_VERIFIER_H
	if (JD_VERIFIER) {
		venv.insns = p.insns;
		venv.len = p.len;
		if (bpfdev_verify(&venv)) {
			bpfdev_verifier_env_release(&venv);
			st->rejected++;
			return 0;
		}
		verified = true;
		code.insns = venv.xlated;
		code.len = venv.xlated_len;
		code.stack_depth = venv.stack_depth[0];
	}
#endif
	opts.args[0] = (u64)(uintptr_t)&skb;
	opts.err = err;
	opts.err_size = sizeof(err);
	e = bpfdev_interp_run_checked(&code, &opts, &rc);
	if (e) {
		st->rejected++;
		goto out;
	}
	ri = bpfdev_interp_run(&code, &skb);
	if (bpfdev_jit_compile(&code, 0)) {
		st->jit_failed++;
		bad = 1;
		fprintf(f, "# seed %llu: JIT failed\n", (unsigned long long)seed);
		goto out;
	}
	rj = bpfdev_code_run(&code, &skb);
	bpfdev_jit_free(&code);
	if (bpfdev_jit_compile(&code, BPFDEV_JIT_BLIND)) {
		st->jit_failed++;
		bad = 1;
		fprintf(f, "# seed %llu: blinded JIT failed\n", (unsigned long long)seed);
		goto out;
	}
	rb = bpfdev_code_run(&code, &skb);
	bpfdev_jit_free(&code);
	st->ran++;
	if (ri != rj || ri != rb || ri != rc) {
		st->differ++;
		bad = 1;
		fprintf(f, "# seed %llu: checked 0x%llx interp 0x%llx jit 0x%llx blinded 0x%llx\n",
			(unsigned long long)seed, (unsigned long long)rc,
			(unsigned long long)ri, (unsigned long long)rj,
			(unsigned long long)rb);
		jd_print(f, &p);
	}
out:
#ifdef JD_HAVE_VERIFIER_H
	if (verified)
		bpfdev_verifier_env_release(&venv);
#endif
	return bad;
}

#endif /* BPFDEV_COMMON_JIT_DIFF_H */
