// SPDX-License-Identifier: GPL-2.0
/*
 * prog_diff: PROG_LOAD and PROG_TEST_RUN of /dev/bpf against the guest
 * kernel's own bpf(2), on random socket filters.
 *
 * Runs inside the guest as root.  Each step generates a small socket
 * filter from a structured generator (ALU and jumps with plausible
 * operands, __sk_buff loads and stores, stack traffic, LD_ABS/LD_IND,
 * atomics, array and hash map lookups and updates, skb_load_bytes) so
 * that a good share verifies, loads it on both sides (each side's own map
 * fds) and compares the verdict: accepted or not, and the errno (never
 * the log's wording).  A program both accept runs with BPF_PROG_TEST_RUN
 * on a few frames, and the return code, retval, data_size_out, data_out
 * and the maps' contents afterwards are compared.
 *
 * Each disagreement is shrunk (instructions replaced by `ja +0` while the
 * same disagreement remains) and printed once per distinct cause, with
 * both verifiers' last log lines and the shrunk program, one
 * code:dst:src:off:imm per instruction (the LD_IMM64 of a map: fd 0 for
 * the array, 1 for the hash).  Causes group by the command, both answers
 * and the refusing verifier's last log line with the numbers taken out.
 *
 * Left out by default, being documented differences (uapi/linux/bpfdev.h):
 * direct packet access (__sk_buff data/data_end) and the instructions of
 * RFC 9669 newer than 6.1 (-x puts both in).  Helpers whose results are
 * not reproducible (prandom, ktime) are not called.
 *
 * usage: prog_diff [-n STEPS] [-s SEED] [-v] [-x] [-r] [-R] [-l]
 *   -r  load with BPF_F_TEST_RND_HI32 (results must still agree)
 *   -R  count the kernel's reasons for refusing (to tune the generator)
 *   -l  the guest runs another kernel than 6.1, whose verifier bpfdev's
 *       is: verdict disagreements are printed but not counted
 * The exit status is the number of distinct causes (0: the two agree).
 */

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <linux/bpfdev.h>

#include "../common/bpf_sides.h"

#define MAX_INSNS	96
#define MAX_CAUSES	256
#define LOG_SIZE	(256 * 1024)
#define NFRAMES		3

struct side {
	int dev;		/* -1: the kernel's bpf(2) */
	int map[2];		/* array, hash */
	char *log;
};

struct cause {
	char key[512];
	unsigned long count;
	unsigned long first_step;
};

struct prog {
	struct bpf_insn insns[MAX_INSNS];
	uint32_t n;
};

/* What one side answered for one program. */
struct answer {
	long load;			/* fd or -errno */
	long run[NFRAMES];		/* 0 or -errno */
	uint32_t retval[NFRAMES], size_out[NFRAMES];
	uint8_t out[NFRAMES][256];
	uint8_t maps[2][8][8];		/* array keys 0..3, hash keys 0..7 */
	int8_t present[8];		/* hash keys present */
};

static struct side sides[2];	/* the kernel, then /dev/bpf */
static struct cause causes[MAX_CAUSES];
static unsigned int ncauses;
static int verbose, extended, stats, other_kernel;
static struct cause refusals[MAX_CAUSES];
static unsigned int nrefusals;
static uint32_t load_flags;
static uint64_t rs;

static uint64_t rnd(void)
{
	uint64_t z = (rs += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

static long call(struct side *s, int cmd, union bpf_attr *attr)
{
	return bpf_side_call(s->dev, cmd, attr, sizeof(*attr));
}

/* ---- the generator ------------------------------------------------------ */

#define I(c, d, s, o, i)	((struct bpf_insn){ .code = (c), .dst_reg = (d), \
				  .src_reg = (s), .off = (o), .imm = (i) })

struct gen {
	struct prog *p;
	/* jumps to resolve: insn index, 1 for a backward one */
	uint32_t jmp[MAX_INSNS], njmp;
	bool land[MAX_INSNS + 1];	/* an instruction a jump may land on */
};

/* The generator stops adding items 24 instructions before the end. */
static void emit(struct gen *g, struct bpf_insn insn)
{
	if (g->p->n < MAX_INSNS)
		g->p->insns[g->p->n++] = insn;
}

static void emit_land(struct gen *g, struct bpf_insn insn)
{
	if (g->p->n < MAX_INSNS)
		g->land[g->p->n] = true;
	emit(g, insn);
}

static const int32_t widths[] = { 16, 32, 64 };
static const uint8_t narrow[] = { BPF_B, BPF_H, BPF_W };

static int32_t rimm(void)
{
	static const int32_t k[] = { 0, 1, -1, 2, 3, 4, 7, 8, 14, 15, 16, 20, 31, 32, 33,
				     63, 64, 255, 256, 0xffff, 0x7fffffff, (int32_t)0x80000000,
				     -8, -16, 1500 };

	if (below(4))
		return k[below(sizeof(k) / sizeof(k[0]))];
	return (int32_t)rnd();
}

/*
 * Registers by role, so that no pointer reaches a result, a map value or
 * the context (root may leak them; their values differ between the two
 * sides): scalars in r0, r2-r5 and r9, pointers the program makes in r7
 * and r8, the context in r6 (and r1 until a call).
 */
static uint8_t rreg(void)
{
	return (uint8_t[]){ 0, 2, 3, 4, 5, 9 }[below(6)];
}

static uint8_t rptr(void)
{
	return 7 + below(2);
}

static void gen_alu(struct gen *g)
{
	static const uint8_t ops[] = { BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_OR, BPF_AND,
				       BPF_LSH, BPF_RSH, BPF_NEG, BPF_MOD, BPF_XOR, BPF_MOV,
				       BPF_ARSH, BPF_END };
	uint8_t op = ops[below(sizeof(ops))], cls = below(2) ? BPF_ALU64 : BPF_ALU;
	uint8_t dst = rreg(), src = rreg();
	int32_t imm = rimm();

	if (op == BPF_END) {
		emit_land(g, I(BPF_ALU | BPF_END | (below(2) ? BPF_TO_BE : BPF_TO_LE), dst, 0, 0,
			       widths[below(3)]));
		return;
	}
	if (op == BPF_NEG) {
		emit_land(g, I(cls | BPF_NEG, dst, 0, 0, 0));
		return;
	}
	if ((op == BPF_LSH || op == BPF_RSH || op == BPF_ARSH) && below(8))
		imm = below(cls == BPF_ALU64 ? 64 : 32);
	if ((op == BPF_DIV || op == BPF_MOD) && !imm && below(8))
		imm = 3;
	/* pointer arithmetic, on the pointer registers only */
	if (!below(10)) {
		dst = rptr();
		op = below(4) ? BPF_ADD : (uint8_t[]){ BPF_SUB, BPF_AND, BPF_MOV }[below(3)];
	}
	if (below(2))
		emit_land(g, I(cls | op | BPF_X, dst, src, 0, 0));
	else
		emit_land(g, I(cls | op | BPF_K, dst, 0, 0, imm));
}

static void gen_jmp(struct gen *g)
{
	static const uint8_t ops[] = { BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET, BPF_JNE, BPF_JSGT,
				       BPF_JSGE, BPF_JLT, BPF_JLE, BPF_JSLT, BPF_JSLE };
	uint8_t op = ops[below(sizeof(ops))], cls = below(3) ? BPF_JMP : BPF_JMP32;

	/* an unconditional jump leaves code unreachable (refused) most times */
	if (!below(32))
		op = BPF_JA;

	if (g->njmp >= MAX_INSNS)
		return;
	g->jmp[g->njmp++] = g->p->n;
	if (op == BPF_JA)
		emit_land(g, I(BPF_JMP | BPF_JA, 0, 0, 0, 0));
	else if (below(2))
		/* scalars only: a pointer's bits are each side's own */
		emit_land(g, I(cls | op | BPF_X, rreg(), rreg(), 0, 0));
	else
		emit_land(g, I(cls | op | BPF_K, rreg(), 0, 0, rimm()));
}

/* A register holding the context: r6 from the prologue, r1 until a call. */
static uint8_t ctx_reg(void)
{
	return below(32) ? 6 : 1;
}

/* After a call: r1-r5 are clobbered, give most of r2-r5 scalars again. */
static void reinit_args(struct gen *g)
{
	uint8_t r;

	for (r = 2; r <= 5; r++)
		if (below(16))
			emit(g, I(BPF_ALU64 | BPF_MOV | BPF_K, r, 0, 0, rimm()));
}

static void gen_ctx(struct gen *g)
{
	static const uint16_t fields[] = {
		offsetof(struct __sk_buff, len), offsetof(struct __sk_buff, pkt_type),
		offsetof(struct __sk_buff, mark), offsetof(struct __sk_buff, queue_mapping),
		offsetof(struct __sk_buff, protocol), offsetof(struct __sk_buff, vlan_present),
		offsetof(struct __sk_buff, vlan_tci), offsetof(struct __sk_buff, vlan_proto),
		offsetof(struct __sk_buff, priority),
		offsetof(struct __sk_buff, ingress_ifindex),
		offsetof(struct __sk_buff, ifindex), offsetof(struct __sk_buff, tc_index),
		offsetof(struct __sk_buff, cb[0]), offsetof(struct __sk_buff, cb[2]),
		offsetof(struct __sk_buff, cb[4]), offsetof(struct __sk_buff, hash),
		offsetof(struct __sk_buff, tc_classid), offsetof(struct __sk_buff, napi_id),
		offsetof(struct __sk_buff, wire_len), offsetof(struct __sk_buff, gso_segs),
		offsetof(struct __sk_buff, gso_size), offsetof(struct __sk_buff, family),
		offsetof(struct __sk_buff, tstamp),
	};
	uint16_t off = fields[below(sizeof(fields) / sizeof(fields[0]))];
	uint8_t size = BPF_W;

	if (extended && !below(8))
		off = below(2) ? offsetof(struct __sk_buff, data) :
				 offsetof(struct __sk_buff, data_end);
	if (!below(6)) {
		size = (uint8_t[]){ BPF_B, BPF_H, BPF_DW }[below(3)];
		off += below(4) & ~((size == BPF_H) ? 1 : 0);
	}
	if (!below(24)) {
		off = below(200);
		/* the pointer fields only in -x: a pointer must not reach a result */
		if (!extended && ((off >= 76 && off < 84) || (off >= 140 && off < 152) ||
				  (off >= 168 && off < 176)))
			off = 0;
	}
	if (!below(6)) {
		/* the writable fields: cb[] and mark (refused for a socket filter) */
		off = below(8) ? offsetof(struct __sk_buff, cb[below(5)]) :
				 offsetof(struct __sk_buff, mark);
		if (below(8))
			emit_land(g, I(BPF_STX | BPF_MEM | size, ctx_reg(), rreg(), off, 0));
		else
			emit_land(g, I(BPF_ST | BPF_MEM | size, ctx_reg(), 0, off, rimm()));
		return;
	}
	emit_land(g, I(BPF_LDX | BPF_MEM | size, rreg(), ctx_reg(), off, 0));
}

static uint8_t rsize(void)
{
	return (uint8_t[]){ BPF_DW, BPF_DW, BPF_W, BPF_W, BPF_H, BPF_B }[below(6)];
}

static int16_t rstack_off(void)
{
	int16_t off = -8 * (1 + below(8));

	if (!below(8))
		off += below(8);
	if (!below(32))
		off = -512 - 8 * below(2) + below(2) * 520;
	return off;
}

static void gen_stack(struct gen *g)
{
	uint8_t size = rsize();
	int16_t off = rstack_off();

	switch (below(3)) {
	case 0:
		emit_land(g, I(BPF_STX | BPF_MEM | size, 10, rreg(), off, 0));
		break;
	case 1:
		emit_land(g, I(BPF_ST | BPF_MEM | size, 10, 0, off, rimm()));
		break;
	default:
		emit_land(g, I(BPF_LDX | BPF_MEM | size, rreg(), 10, off, 0));
		break;
	}
}

static void gen_ld_abs(struct gen *g)
{
	uint8_t size = (uint8_t[]){ BPF_B, BPF_H, BPF_W, BPF_W }[below(4)];
	int32_t imm = below(8) ? (int32_t)below(80) : rimm();

	if (below(2))
		emit_land(g, I(BPF_LD | BPF_ABS | size, 0, 0, 0, imm));
	else
		emit_land(g, I(BPF_LD | BPF_IND | size, 0, rreg(), 0, below(2) ? imm : 0));
	reinit_args(g);	/* r1-r5 are clobbered, as by a call */
}

static void gen_map_ptr(struct gen *g, uint8_t reg, int map)
{
	emit_land(g, I(BPF_LD | BPF_DW | BPF_IMM, reg, BPF_PSEUDO_MAP_FD, 0, map));
	emit(g, I(0, 0, 0, 0, 0));
}

/* key at fp-4 (u32), value at fp-16 (u64) */
static void gen_map(struct gen *g)
{
	int map = below(2), op = below(6);
	uint8_t r = (uint8_t[]){ 2, 3, 4, 5, 9 }[below(5)];	/* r0 is the pointer */

	emit_land(g, I(BPF_ST | BPF_MEM | BPF_W, 10, 0, -4, below(6)));
	emit(g, I(BPF_ALU64 | BPF_MOV | BPF_X, 2, 10, 0, 0));
	emit(g, I(BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, -4));
	gen_map_ptr(g, 1, map);
	if (op == 4) {
		emit(g, I(BPF_ST | BPF_MEM | BPF_DW, 10, 0, -16, rimm()));
		emit(g, I(BPF_ALU64 | BPF_MOV | BPF_X, 3, 10, 0, 0));
		emit(g, I(BPF_ALU64 | BPF_ADD | BPF_K, 3, 0, 0, -16));
		emit(g, I(BPF_ALU64 | BPF_MOV | BPF_K, 4, 0, 0, below(4) ? 0 : below(4)));
		emit(g, I(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_update_elem));
		reinit_args(g);
		return;
	}
	if (op == 5) {
		emit(g, I(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_delete_elem));
		reinit_args(g);
		return;
	}
	emit(g, I(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem));
	reinit_args(g);
	/* the null check, most of the time */
	if (below(8)) {
		emit(g, I(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1, 0));
	}
	switch (op) {
	case 0:
		emit(g, I(BPF_LDX | BPF_MEM | rsize(), r, 0, below(8) ? 0 : below(12), 0));
		break;
	case 1:
		emit(g, I(BPF_STX | BPF_MEM | rsize(), 0, r, below(8) ? 0 : below(12), 0));
		break;
	case 2:
		emit(g, I(BPF_STX | BPF_ATOMIC | (below(2) ? BPF_DW : BPF_W), 0, r, 0,
			  BPF_ADD | (below(2) ? BPF_FETCH : 0)));
		break;
	default:
		emit(g, I(BPF_ALU64 | BPF_ADD | BPF_K, 0, 0, 0, below(16)));
		break;
	}
	/* r0 is a pointer or NULL: a scalar again, on every path */
	emit(g, I(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, rimm()));
}

static void gen_helper(struct gen *g)
{
	if (below(3)) {
		/* skb_load_bytes(ctx, off, fp-16, len) */
		emit_land(g, I(BPF_ALU64 | BPF_MOV | BPF_X, 1, 6, 0, 0));
		emit(g, I(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0,
			  below(8) ? (int32_t)below(64) : rimm()));
		emit(g, I(BPF_ALU64 | BPF_MOV | BPF_X, 3, 10, 0, 0));
		emit(g, I(BPF_ALU64 | BPF_ADD | BPF_K, 3, 0, 0, -16));
		emit(g, I(BPF_ALU64 | BPF_MOV | BPF_K, 4, 0, 0, below(8) ? 1 + below(16) :
			  (int32_t)below(40)));
		emit(g, I(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_skb_load_bytes));
		reinit_args(g);
		return;
	}
	/*
	 * Any helper id (-x): errnos for the ones bpfdev lacks are
	 * documented.  Else a map call with bad arguments.
	 */
	if (extended) {
		emit_land(g, I(BPF_JMP | BPF_CALL, 0, 0, 0, (int32_t)below(220)));
		emit(g, I(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, rimm()));
	} else {
		gen_map(g);
		return;
	}
	reinit_args(g);
}

static void gen_atomic(struct gen *g)
{
	static const int32_t ops[] = { BPF_ADD, BPF_OR, BPF_AND, BPF_XOR,
				       BPF_ADD | BPF_FETCH, BPF_OR | BPF_FETCH,
				       BPF_AND | BPF_FETCH, BPF_XOR | BPF_FETCH,
				       BPF_XCHG, BPF_CMPXCHG };
	uint8_t size = below(2) ? BPF_DW : BPF_W;
	int16_t off = rstack_off();

	if (below(2))
		emit_land(g, I(BPF_ST | BPF_MEM | BPF_DW, 10, 0, off & ~7, rimm()));
	emit_land(g, I(BPF_STX | BPF_ATOMIC | size, 10, rreg(), off,
		       ops[below(sizeof(ops) / sizeof(ops[0]))]));
}

static void gen_ptr(struct gen *g)
{
	/* pointer arithmetic on the stack or context pointer */
	uint8_t r = rptr(), size = rsize();
	int16_t off = below(8) ? 0 : 8 * (int16_t)below(3) - 8;
	bool stack = below(4);

	/* mostly the stack, 8-aligned; the context rarely (few shapes pass) */
	emit_land(g, I(BPF_ALU64 | BPF_MOV | BPF_X, r, stack ? 10 : ctx_reg(), 0, 0));
	if (below(8))
		emit(g, I((below(16) ? BPF_ALU64 : BPF_ALU) | (below(16) ? BPF_ADD : BPF_SUB) |
			  BPF_K, r, 0, 0, stack ? -8 * (int32_t)(1 + below(8)) : 4 * below(5)));
	else
		emit(g, I(BPF_ALU64 | BPF_ADD | BPF_X, r, rreg(), 0, 0));
	if (below(2))
		emit(g, I(BPF_STX | BPF_MEM | size, r, rreg(), off, 0));
	else
		emit(g, I(BPF_LDX | BPF_MEM | size, rreg(), r, off, 0));
}

static void gen_extended(struct gen *g)
{
	switch (below(4)) {
	case 0:	/* movsx */
		emit_land(g, I((below(2) ? BPF_ALU64 : BPF_ALU) | BPF_MOV | BPF_X, rreg(),
			       rreg(), (int16_t)(widths[below(3)] / 2), 0));
		break;
	case 1:	/* sdiv/smod */
		emit_land(g, I(BPF_ALU64 | (below(2) ? BPF_DIV : BPF_MOD) | BPF_K, rreg(), 0,
			       1, rimm() | 1));
		break;
	case 2:	/* bswap */
		emit_land(g, I(BPF_ALU64 | BPF_END | BPF_TO_LE, rreg(), 0, 0,
			       widths[below(3)]));
		break;
	default: /* ldsx */
		emit_land(g, I(BPF_LDX | 0x80 | narrow[below(3)],
			       rreg(), 10, -8, 0));
		break;
	}
}

static void generate(struct prog *p)
{
	struct gen g;
	uint32_t i, items = 2 + below(20);

	memset(&g, 0, sizeof(g));
	memset(p, 0, sizeof(*p));
	g.p = p;
	if (below(16))
		emit_land(&g, I(BPF_ALU64 | BPF_MOV | BPF_X, 6, 1, 0, 0));
	/* scalars to work with, pointers, and most of the stack written */
	for (i = 0; i <= 9; i++)
		if (i != 1 && i != 6 && i != 7 && i != 8 && below(32))
			emit_land(&g, I((below(3) ? BPF_ALU64 : BPF_ALU) | BPF_MOV | BPF_K, i,
					0, 0, rimm()));
	if (below(16)) {
		emit_land(&g, I(BPF_ALU64 | BPF_MOV | BPF_X, 7, 10, 0, 0));
		emit(&g, I(BPF_ALU64 | BPF_ADD | BPF_K, 7, 0, 0, -8 * (int32_t)(1 + below(8))));
	}
	if (below(16))
		emit_land(&g, I(BPF_ALU64 | BPF_MOV | BPF_X, 8, 10, 0, 0));
	for (i = 1; i <= 8; i++)
		if (below(32))
			emit_land(&g, I(BPF_ST | BPF_MEM | BPF_DW, 10, 0, -8 * (int)i, rimm()));
	for (i = 0; i < items && p->n < MAX_INSNS - 24; i++) {
		uint32_t k = below(100);

		if (k < 30)
			gen_alu(&g);
		else if (k < 45)
			gen_jmp(&g);
		else if (k < 57)
			gen_ctx(&g);
		else if (k < 69)
			gen_stack(&g);
		else if (k < 75)
			gen_ld_abs(&g);
		else if (k < 85)
			gen_map(&g);
		else if (k < 90)
			gen_helper(&g);
		else if (k < 94)
			gen_atomic(&g);
		else if (k < 98 || !extended)
			gen_ptr(&g);
		else
			gen_extended(&g);
	}
	if (!below(4))
		emit_land(&g, I(BPF_ALU64 | BPF_MOV | BPF_X, 0, rreg(), 0, 0));
	if (!below(4))
		emit_land(&g, I(BPF_ALU | BPF_AND | BPF_K, 0, 0, 0, 0xffff));
	emit_land(&g, I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));

	/* jumps: forward to a landing point, now and then backward */
	for (i = 0; i < g.njmp; i++) {
		uint32_t at = g.jmp[i], to, tries;

		for (tries = 0; tries < 8; tries++) {
			if (!below(24))
				to = below(at + 1);
			else
				to = at + 1 + below(p->n - at);
			if (to < p->n && g.land[to])
				break;
		}
		if (tries == 8)
			to = p->n - 1;
		p->insns[at].off = (int16_t)(to - at - 1);
	}
}

/* ---- running one program on one side -------------------------------------- */

static const uint8_t frames[NFRAMES][96] = {
	/* IPv4/UDP to a broadcast MAC */
	{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00,
	  0x45, 0, 0, 82, 0x12, 0x34, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
	  0x30, 0x39, 0x00, 0x35, 0, 62, 0, 0, 'h', 'e', 'l', 'l', 'o' },
	/* IPv6/TCP to another host */
	{ 0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x86, 0xdd,
	  0x60, 0, 0, 0, 0, 42, 6, 64, 0xfe, 0x80, [37] = 1, 0xfe, 0x80, [53] = 2,
	  0x00, 0x50, 0xc3, 0x50, 1, 2, 3, 4, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff },
	/* ARP, 60 bytes */
	{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x06,
	  0, 1, 8, 0, 6, 4, 0, 1, 0x02, 0, 0, 0, 0, 0x01, 10, 0, 0, 1 },
};
static const uint32_t frame_len[NFRAMES] = { 96, 96, 60 };

static int map_create(struct side *s, uint32_t type, uint32_t max)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_type = type;
	a.key_size = 4;
	a.value_size = 8;
	a.max_entries = max;
	if (type == BPF_MAP_TYPE_HASH)
		a.map_flags = BPF_F_ZERO_SEED;
	return call(s, BPF_MAP_CREATE, &a);
}

static long map_op(struct side *s, int cmd, int fd, uint32_t key, void *value)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	a.key = (uintptr_t)&key;
	a.value = (uintptr_t)value;
	return call(s, cmd, &a);
}

/* The same contents on both sides before each program. */
static void maps_reset(struct side *s)
{
	uint32_t k;

	for (k = 0; k < 8; k++) {
		uint64_t v = 0x1111111111111111ULL * (k + 1);

		if (k < 4)
			map_op(s, BPF_MAP_UPDATE_ELEM, s->map[0], k, &v);
		if (k < 3)
			map_op(s, BPF_MAP_UPDATE_ELEM, s->map[1], k, &v);
		else
			map_op(s, BPF_MAP_DELETE_ELEM, s->map[1], k, NULL);
	}
}

static void maps_read(struct side *s, struct answer *a)
{
	uint32_t k;

	for (k = 0; k < 8; k++) {
		if (k < 4)
			map_op(s, BPF_MAP_LOOKUP_ELEM, s->map[0], k, a->maps[0][k]);
		a->present[k] = map_op(s, BPF_MAP_LOOKUP_ELEM, s->map[1], k, a->maps[1][k]) == 0;
	}
}

static long load(struct side *s, const struct prog *p, bool with_log)
{
	struct bpf_insn insns[MAX_INSNS];
	union bpf_attr a;
	uint32_t i;

	memcpy(insns, p->insns, p->n * sizeof(insns[0]));
	for (i = 0; i < p->n; i++)
		if (insns[i].code == (BPF_LD | BPF_DW | BPF_IMM) &&
		    insns[i].src_reg == BPF_PSEUDO_MAP_FD && insns[i].imm >= 0 && insns[i].imm < 2)
			insns[i].imm = s->map[insns[i].imm];
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insns = (uintptr_t)insns;
	a.insn_cnt = p->n;
	a.license = (uintptr_t)"GPL";
	a.prog_flags = load_flags;
	if (with_log) {
		s->log[0] = 0;
		a.log_buf = (uintptr_t)s->log;
		a.log_size = LOG_SIZE;
		a.log_level = 1;
	}
	return call(s, BPF_PROG_LOAD, &a);
}

/*
 * Whether p reads the packet or its length: bpfdev's test run shows a
 * socket filter the frame from the link-layer header, where bpf(2)'s
 * starts at the network header (a documented difference), so such
 * programs' results are not compared, only their verdicts and errnos.
 */
static bool reads_packet(const struct prog *p)
{
	uint32_t i;

	for (i = 0; i < p->n; i++) {
		const struct bpf_insn *x = &p->insns[i];
		uint8_t cls = BPF_CLASS(x->code), mode = BPF_MODE(x->code);

		if (cls == BPF_LD && (mode == BPF_ABS || mode == BPF_IND))
			return true;
		if (x->code == (BPF_JMP | BPF_CALL) && x->imm == BPF_FUNC_skb_load_bytes)
			return true;
		if (cls == BPF_LDX && (x->src_reg == 1 || x->src_reg == 6 || x->src_reg >= 7) &&
		    (x->off < 4 || (x->off >= offsetof(struct __sk_buff, wire_len) &&
				    x->off < offsetof(struct __sk_buff, wire_len) + 4)))
			return true;
	}
	return false;
}

static void run(struct side *s, const struct prog *p, struct answer *ans)
{
	int f;

	memset(ans, 0, sizeof(*ans));
	maps_reset(s);
	ans->load = load(s, p, false);
	if (ans->load < 0)
		return;
	for (f = 0; f < NFRAMES; f++) {
		union bpf_attr a;

		memset(&a, 0, sizeof(a));
		a.test.prog_fd = ans->load;
		a.test.data_in = (uintptr_t)frames[f];
		a.test.data_size_in = frame_len[f];
		a.test.data_out = (uintptr_t)ans->out[f];
		a.test.data_size_out = sizeof(ans->out[f]);
		ans->run[f] = call(s, BPF_PROG_TEST_RUN, &a);
		ans->retval[f] = a.test.retval;
		ans->size_out[f] = a.test.data_size_out;
	}
	close(ans->load);
	ans->load = 0;
	maps_read(s, ans);
	if (reads_packet(p)) {
		memset(ans->retval, 0, sizeof(ans->retval));
		memset(ans->maps, 0, sizeof(ans->maps));
		memset(ans->present, 0, sizeof(ans->present));
	}
}

/* ---- comparing ------------------------------------------------------------ */

/* What differed, for the first report of a cause. */
static char cmp_detail[256];

/* The disagreement between k and d as a cause key; "" when they agree. */
static void compare(const struct answer *k, const struct answer *d, char *key, size_t size)
{
	int f, m, i;

	key[0] = 0;
	cmp_detail[0] = 0;
	if (k->load != d->load) {
		snprintf(key, size, "PROG_LOAD: kernel %ld bpfdev %ld", k->load, d->load);
		return;
	}
	if (k->load < 0)
		return;
	for (f = 0; f < NFRAMES; f++) {
		if (k->run[f] != d->run[f]) {
			snprintf(key, size, "TEST_RUN: kernel %ld bpfdev %ld", k->run[f], d->run[f]);
			snprintf(cmp_detail, sizeof(cmp_detail), "frame %d", f);
			return;
		}
		if (k->retval[f] != d->retval[f]) {
			snprintf(key, size, "TEST_RUN: retval");
			snprintf(cmp_detail, sizeof(cmp_detail), "frame %d: kernel %#x bpfdev %#x", f,
				 k->retval[f], d->retval[f]);
			return;
		}
		if (k->size_out[f] != d->size_out[f] ||
		    memcmp(k->out[f], d->out[f], k->size_out[f] < 256 ? k->size_out[f] : 256)) {
			snprintf(key, size, "TEST_RUN: data_out");
			snprintf(cmp_detail, sizeof(cmp_detail),
				 "frame %d: data_size_out kernel %u bpfdev %u", f, k->size_out[f],
				 d->size_out[f]);
			return;
		}
	}
	for (m = 0; m < 2; m++)
		for (i = 0; i < 8; i++) {
			if (m && k->present[i] != d->present[i]) {
				snprintf(cmp_detail, sizeof(cmp_detail),
					 "hash key %d: kernel %s bpfdev %s", i,
					 k->present[i] ? "present" : "absent",
					 d->present[i] ? "present" : "absent");
			} else if ((!m && i < 4) || (m && k->present[i])) {
				if (!memcmp(k->maps[m][i], d->maps[m][i], 8))
					continue;
				snprintf(cmp_detail, sizeof(cmp_detail),
					 "%s key %d: kernel %#llx bpfdev %#llx", m ? "hash" : "array",
					 i, *(unsigned long long *)k->maps[m][i],
					 *(unsigned long long *)d->maps[m][i]);
			} else {
				continue;
			}
			snprintf(key, size, "TEST_RUN: map contents after the runs");
			return;
		}
}

static void reason(const char *log, char *out, size_t size);

/*
 * The disagreement on p as a cause key ("" when the two agree); for a
 * verdict, with both verifiers' reasons (last log lines, numbers out).
 */
static void diff_key(const struct prog *p, char *key, size_t size)
{
	char rk[200] = "", rd[200] = "", base[256];
	struct answer a[2];
	long fd[2];
	int s;

	run(&sides[0], p, &a[0]);
	run(&sides[1], p, &a[1]);
	compare(&a[0], &a[1], key, size);
	if (strncmp(key, "PROG_LOAD", 9))
		return;
	for (s = 0; s < 2; s++) {
		fd[s] = load(&sides[s], p, true);
		if (fd[s] >= 0)
			close(fd[s]);
	}
	reason(sides[0].log, rk, sizeof(rk));
	reason(sides[1].log, rd, sizeof(rd));
	snprintf(base, sizeof(base), "%s", key);
	snprintf(key, size, "%s: %s%s%s", base, fd[0] < 0 ? rk : "",
		 fd[0] < 0 && fd[1] < 0 ? " / " : "", fd[1] < 0 ? rd : "");
}

/* Drops instructions (ja +0 in their place) while the same disagreement stays. */
static void shrink(struct prog *p, const char *key)
{
	char k2[512];
	uint32_t i;

	for (i = 0; i + 1 < p->n; i++) {
		struct bpf_insn save[2];
		bool wide = p->insns[i].code == (BPF_LD | BPF_DW | BPF_IMM);

		if (p->insns[i].code == (BPF_JMP | BPF_JA) && !p->insns[i].off)
			continue;
		save[0] = p->insns[i];
		save[1] = p->insns[i + 1];
		p->insns[i] = I(BPF_JMP | BPF_JA, 0, 0, 0, 0);
		if (wide)
			p->insns[i + 1] = I(BPF_JMP | BPF_JA, 0, 0, 0, 0);
		diff_key(p, k2, sizeof(k2));
		if (strcmp(k2, key)) {
			p->insns[i] = save[0];
			p->insns[i + 1] = save[1];
		}
		if (wide)
			i++;
	}
}

/* The last line of a verifier log, numbers out: a refusal's reason. */
static void reason(const char *log, char *out, size_t size)
{
	const char *end = log + strlen(log), *start;
	size_t n = 0;

	while (end > log && end[-1] == '\n')
		end--;
	/* "processed N insns ..." closes every log: the line before it */
	for (start = end; start > log && start[-1] != '\n'; start--)
		;
	if (!strncmp(start, "processed ", 10) && start > log) {
		end = start - 1;
		for (start = end; start > log && start[-1] != '\n'; start--)
			;
	}
	for (; start < end && n + 2 < size; start++) {
		if (*start >= '0' && *start <= '9') {
			if (!n || out[n - 1] != 'N')
				out[n++] = 'N';
			continue;
		}
		out[n++] = *start;
	}
	out[n] = 0;
}

static void print_prog(const struct prog *p)
{
	uint32_t i;

	/* every instruction, the shrinker's ja +0 too: jump offsets count them */
	printf("#   prog:");
	for (i = 0; i < p->n; i++) {
		const struct bpf_insn *x = &p->insns[i];

		printf(" %02x:%x:%x:%d:%d", x->code, x->dst_reg, x->src_reg, x->off, x->imm);
	}
	printf("\n");
}

static void disagree(unsigned long step, struct prog *p)
{
	char key[512];
	unsigned int i;

	diff_key(p, key, sizeof(key));
	if (!key[0])
		return;	/* not reproducible (a map's state) */
	shrink(p, key);
	diff_key(p, key, sizeof(key));
	for (i = 0; i < ncauses; i++)
		if (!strcmp(causes[i].key, key))
			break;
	if (i == ncauses) {
		if (ncauses == MAX_CAUSES)
			return;
		snprintf(causes[i].key, sizeof(causes[i].key), "%s", key);
		causes[i].first_step = step;
		ncauses++;
		printf("# step %lu: %s\n", step, key);
		if (cmp_detail[0])
			printf("#   %s\n", cmp_detail);
		print_prog(p);
	} else if (verbose) {
		printf("#   step %lu: %s\n", step, key);
		print_prog(p);
	}
	causes[i].count++;
}

/* -R: why the kernel refuses, to tune the generator */
static void count_refusal(const struct prog *p)
{
	char why[200] = "";
	unsigned int i;
	long fd = load(&sides[0], p, true);

	if (fd >= 0) {
		close(fd);
		return;
	}
	reason(sides[0].log, why, sizeof(why));
	for (i = 0; i < nrefusals; i++)
		if (!strcmp(refusals[i].key, why))
			break;
	if (i == nrefusals) {
		if (nrefusals == MAX_CAUSES)
			return;
		snprintf(refusals[nrefusals++].key, sizeof(refusals[0].key), "%s", why);
	}
	refusals[i].count++;
}

int main(int argc, char **argv)
{
	unsigned long step, target = 10000, accepted = 0;
	uint64_t seed = time(NULL);
	unsigned int i, n;
	int c, s;

	while ((c = getopt(argc, argv, "n:s:vxrRl")) != -1) {
		switch (c) {
		case 'n':
			target = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'v':
			verbose = 1;
			break;
		case 'x':
			extended = 1;
			break;
		case 'r':
			load_flags |= BPF_F_TEST_RND_HI32;
			break;
		case 'R':
			stats = 1;
			break;
		case 'l':
			other_kernel = 1;
			break;
		default:
			fprintf(stderr, "usage: prog_diff [-n STEPS] [-s SEED] [-v] [-x] [-r] [-R] [-l]\n");
			return 255;
		}
	}
	rs = seed;
	sides[0].dev = -1;
	sides[1].dev = open("/dev/bpf", O_RDWR | O_CLOEXEC);
	if (sides[1].dev < 0) {
		perror("prog_diff: /dev/bpf");
		return 255;
	}
	for (s = 0; s < 2; s++) {
		sides[s].log = malloc(LOG_SIZE);
		sides[s].map[0] = map_create(&sides[s], BPF_MAP_TYPE_ARRAY, 4);
		sides[s].map[1] = map_create(&sides[s], BPF_MAP_TYPE_HASH, 8);
		if (!sides[s].log || sides[s].map[0] < 0 || sides[s].map[1] < 0) {
			fprintf(stderr, "prog_diff: maps on side %d: %d %d\n", s, sides[s].map[0],
				sides[s].map[1]);
			return 255;
		}
	}
	printf("# prog_diff: seed %llu, %lu steps%s%s\n", (unsigned long long)seed, target,
	       extended ? ", extended" : "", load_flags ? ", BPF_F_TEST_RND_HI32" : "");
	for (step = 0; step < target; step++) {
		struct answer a[2];
		struct prog p;
		char key[256];

		generate(&p);
		run(&sides[0], &p, &a[0]);
		run(&sides[1], &p, &a[1]);
		accepted += a[0].load >= 0;
		if (stats && a[0].load < 0)
			count_refusal(&p);
		compare(&a[0], &a[1], key, sizeof(key));
		if (key[0])
			disagree(step, &p);
	}
	printf("# %lu steps, %lu accepted by the kernel, %u distinct disagreements\n", step,
	       accepted, ncauses);
	for (i = 0; i < ncauses; i++)
		printf("# %6lu x %s (first at step %lu)\n", causes[i].count, causes[i].key,
		       causes[i].first_step);
	for (i = 0; i < nrefusals; i++)
		printf("# kernel refused %5lu x %s\n", refusals[i].count, refusals[i].key);
	/* -l: verdicts are 6.1's, whatever kernel answers here */
	for (i = n = 0; i < ncauses; i++)
		n += !other_kernel || strncmp(causes[i].key, "PROG_LOAD", 9);
	if (n != ncauses)
		printf("# %u verdict causes not counted (-l: bpfdev's verifier is 6.1's)\n",
		       ncauses - n);
	return n > 254 ? 254 : n;
}
