// SPDX-License-Identifier: GPL-2.0
/*
 * Classic BPF: the validator's rules (a table of bad programs, each with
 * the message it must give), every opcode and every Linux ancillary load
 * run through conversion and both interpreters against values worked out
 * from Linux semantics, and the dumps against libpcap's own bpf_image()
 * and bpf_dump().
 */

#include <stdlib.h>
#include <unistd.h>

#include "cbpf_pcap.h"
#include "tap.h"
#include "cbpf_run.h"
#include "cbpf_ref.h"

#define S(code, k)		BPF_STMT(code, k)
#define J(code, k, jt, jf)	BPF_JUMP(code, k, jt, jf)
#define PROG(...)		((struct sock_filter[]){ __VA_ARGS__ })
#define NINSN(...)		(sizeof(PROG(__VA_ARGS__)) / sizeof(struct sock_filter))
#define AD(x)			((u32)(SKF_AD_OFF + (x)))

/*
 * A 64-byte IPv4/TCP frame: Ethernet (dst 01:00:5e:..., multicast), IPv4
 * with ihl 5, TCP with data offset 8 (32-byte header).
 */
static u8 pkt[64] = {
	0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
	0x08, 0x00,
	0x45, 0x00, 0x00, 0x32, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,
	0x0a, 0x00, 0x00, 0x01, 0xe0, 0x00, 0x00, 0xfb,
	0x04, 0x00, 0x00, 0x50, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x00, 0x00, 0x00,
	0x80, 0x12, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
	0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa,
};

static struct bpfdev_skb skb;
/* SKF_AD_RANDOM: the two interpreters draw different numbers */
static bool runs_may_differ;

static void skb_reset(void)
{
	cbpf_skb_capture(&skb, pkt, sizeof(pkt), 1000);
}

/*
 * Run a valid program; returns its result (fast interpreter), failing the
 * case when it does not load, the converted code is malformed, or the
 * checked interpreter or the JIT disagrees, or the checked one faults.
 */
static int run_prog(const struct sock_filter *insns, u32 len, u64 *ret)
{
	struct cbpf_prog p;
	struct cbpf_result r;
	int bad;

	if (cbpf_prog_load(&p, insns, len)) {
		tap_diag("  load failed: %s", p.msg);
		return -1;
	}
	if (p.jit_err) {
		tap_diag("  JIT refused the program: %d", p.jit_err);
		cbpf_prog_free(&p);
		return -1;
	}
	bad = cbpf_ebpf_shape_bad(&p.code);
	if (bad >= 0) {
		tap_diag("  converted program malformed at insn %d", bad);
		cbpf_prog_free(&p);
		return -1;
	}
	cbpf_prog_run(&p, &skb, &r);
	cbpf_prog_free(&p);
	if (r.checked_err || (!runs_may_differ &&
				(r.checked != r.fast || r.jit != r.fast))) {
		tap_diag("  checked run: err %d (%s), %llu; fast %llu; jit %llu",
			 r.checked_err, r.err, (unsigned long long)r.checked,
			 (unsigned long long)r.fast, (unsigned long long)r.jit);
		return -1;
	}
	*ret = r.fast;
	return 0;
}

#define expect(want, name, ...) do {					\
	struct sock_filter __p[] = { __VA_ARGS__ };			\
	u64 __r = ~0ULL;						\
	if (run_prog(__p, ARRAY_SIZE(__p), &__r))			\
		ok(0, "%s", name);					\
	else								\
		ok_eq(__r, (u64)(u32)(want), "%s", name);		\
} while (0)

/* ---- ALU ---------------------------------------------------------------- */

static u32 alu_ref(u8 op, u32 a, u32 b, bool *stops)
{
	*stops = false;
	switch (op) {
	case BPF_ADD: return a + b;
	case BPF_SUB: return a - b;
	case BPF_MUL: return a * b;
	case BPF_DIV:
	case BPF_MOD:
		if (!b) {
			*stops = true;	/* the classic program ends with 0 */
			return 0;
		}
		return op == BPF_DIV ? a / b : a % b;
	case BPF_AND: return a & b;
	case BPF_OR: return a | b;
	case BPF_XOR: return a ^ b;
	/* Linux runs shifts as 32-bit eBPF shifts: the count is masked */
	case BPF_LSH: return a << (b & 31);
	case BPF_RSH: return a >> (b & 31);
	}
	return 0;
}

static const char *alu_name(u8 op)
{
	switch (op) {
	case BPF_ADD: return "add";
	case BPF_SUB: return "sub";
	case BPF_MUL: return "mul";
	case BPF_DIV: return "div";
	case BPF_MOD: return "mod";
	case BPF_AND: return "and";
	case BPF_OR: return "or";
	case BPF_XOR: return "xor";
	case BPF_LSH: return "lsh";
	default: return "rsh";
	}
}

static void test_alu(void)
{
	static const u8 ops[] = { BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_MOD,
				  BPF_AND, BPF_OR, BPF_XOR, BPF_LSH, BPF_RSH };
	static const u32 pairs[][2] = {
		{ 1000, 7 }, { 0xfffffff0, 0x20 }, { 0x80000000, 3 },
		{ 5, 0xfffffffb }, { 0x12345678, 0 }, { 7, 33 },
	};
	u32 i, j;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		for (j = 0; j < ARRAY_SIZE(pairs); j++) {
			u32 a = pairs[j][0], b = pairs[j][1];
			bool stops;
			u32 want = alu_ref(ops[i], a, b, &stops);
			char name[96];

			/* X form: the sentinel return shows an early stop */
			snprintf(name, sizeof(name), "alu %s x: %#x op %#x",
				 alu_name(ops[i]), a, b);
			if (stops)
				expect(0, name,
				       S(BPF_LD | BPF_IMM, a), S(BPF_LDX | BPF_IMM, b),
				       S(BPF_ALU | ops[i] | BPF_X, 0),
				       S(BPF_RET | BPF_K, 0x99));
			else
				expect(want, name,
				       S(BPF_LD | BPF_IMM, a), S(BPF_LDX | BPF_IMM, b),
				       S(BPF_ALU | ops[i] | BPF_X, 0),
				       J(BPF_JMP | BPF_JEQ | BPF_K, want, 0, 1),
				       S(BPF_RET | BPF_A, 0),
				       S(BPF_RET | BPF_K, 0xbad));

			/* K form: only what the validator lets through */
			if ((ops[i] == BPF_DIV || ops[i] == BPF_MOD) && !b)
				continue;
			if ((ops[i] == BPF_LSH || ops[i] == BPF_RSH) && b >= 32)
				continue;
			snprintf(name, sizeof(name), "alu %s k: %#x op %#x",
				 alu_name(ops[i]), a, b);
			expect(want, name,
			       S(BPF_LD | BPF_IMM, a),
			       S(BPF_ALU | ops[i] | BPF_K, b),
			       S(BPF_RET | BPF_A, 0));
		}
	}
	expect(-5, "alu neg", S(BPF_LD | BPF_IMM, 5), S(BPF_ALU | BPF_NEG, 0),
	       S(BPF_RET | BPF_A, 0));
	expect(0, "alu neg of 0", S(BPF_ALU | BPF_NEG, 0), S(BPF_RET | BPF_A, 0));
	/* A and X start at 0 */
	expect(0, "A and X start at 0", S(BPF_ALU | BPF_ADD | BPF_X, 0),
	       S(BPF_RET | BPF_A, 0));
	/* 32-bit wrap leaves no high bits for a later compare to see */
	expect(1, "add wraps at 32 bits",
	       S(BPF_LD | BPF_IMM, 0xffffffff), S(BPF_ALU | BPF_ADD | BPF_K, 2),
	       J(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1),
	       S(BPF_RET | BPF_K, 1), S(BPF_RET | BPF_K, 2));
}

/* ---- loads, stores, misc ------------------------------------------------ */

static void test_loads(void)
{
	expect(0x0800, "ldh [12]", S(BPF_LD | BPF_H | BPF_ABS, 12),
	       S(BPF_RET | BPF_A, 0));
	expect(0x45, "ldb [14]", S(BPF_LD | BPF_B | BPF_ABS, 14),
	       S(BPF_RET | BPF_A, 0));
	expect(0xdeadbeef, "ld [38]", S(BPF_LD | BPF_W | BPF_ABS, 38),
	       S(BPF_RET | BPF_A, 0));
	expect(0xa7a8a9aa, "ld [60]: last word", S(BPF_LD | BPF_W | BPF_ABS, 60),
	       S(BPF_RET | BPF_A, 0));
	expect(0, "ld [61]: past the captured bytes ends with 0",
	       S(BPF_LD | BPF_W | BPF_ABS, 61), S(BPF_RET | BPF_K, 7));
	expect(0, "ldh [63]: straddles the end",
	       S(BPF_LD | BPF_H | BPF_ABS, 63), S(BPF_RET | BPF_K, 7));
	expect(0xaa, "ldb [63]", S(BPF_LD | BPF_B | BPF_ABS, 63),
	       S(BPF_RET | BPF_A, 0));
	expect(0, "ldb [64]", S(BPF_LD | BPF_B | BPF_ABS, 64),
	       S(BPF_RET | BPF_K, 7));
	expect(0, "ld [0x7fffffff]", S(BPF_LD | BPF_W | BPF_ABS, 0x7fffffff),
	       S(BPF_RET | BPF_K, 7));
	expect(0, "ld [0x80000000]: below SKF_LL_OFF",
	       S(BPF_LD | BPF_W | BPF_ABS, 0x80000000), S(BPF_RET | BPF_K, 7));

	expect(0xdead, "ldh [x + 4], x = 34",
	       S(BPF_LDX | BPF_IMM, 34), S(BPF_LD | BPF_H | BPF_IND, 4),
	       S(BPF_RET | BPF_A, 0));
	expect(0xbe, "ldb [x + 0], x = 40",
	       S(BPF_LDX | BPF_IMM, 40), S(BPF_LD | BPF_B | BPF_IND, 0),
	       S(BPF_RET | BPF_A, 0));
	expect(0x0a000001, "ld [x + 26], x = 0",
	       S(BPF_LD | BPF_W | BPF_IND, 26), S(BPF_RET | BPF_A, 0));
	expect(0, "ld [x + 4], x = 60: out of bounds",
	       S(BPF_LDX | BPF_IMM, 60), S(BPF_LD | BPF_W | BPF_IND, 4),
	       S(BPF_RET | BPF_K, 7));
	/* Linux adds X and k modulo 2^32 */
	expect(0x45, "ldb [x + -2], x = 16: the sum wraps to 14",
	       S(BPF_LDX | BPF_IMM, 16), S(BPF_LD | BPF_B | BPF_IND, (u32)-2),
	       S(BPF_RET | BPF_A, 0));

	expect(20, "ldxb 4*([14]&0xf)", S(BPF_LDX | BPF_B | BPF_MSH, 14),
	       S(BPF_MISC | BPF_TXA, 0), S(BPF_RET | BPF_A, 0));
	expect(0x77, "ldxb msh keeps A", S(BPF_LD | BPF_IMM, 0x77),
	       S(BPF_LDX | BPF_B | BPF_MSH, 14), S(BPF_RET | BPF_A, 0));
	expect(32, "ldxb 4*([47]&0xf) is 8",
	       S(BPF_LDX | BPF_B | BPF_MSH, 47), S(BPF_MISC | BPF_TXA, 0),
	       S(BPF_ALU | BPF_ADD | BPF_K, 24), S(BPF_RET | BPF_A, 0));
	expect(0, "ldxb msh out of bounds ends with 0",
	       S(BPF_LDX | BPF_B | BPF_MSH, 64), S(BPF_RET | BPF_K, 7));

	expect(1000, "ld #pktlen is the wire length",
	       S(BPF_LD | BPF_W | BPF_LEN, 0), S(BPF_RET | BPF_A, 0));
	expect(1000, "ldx #pktlen", S(BPF_LDX | BPF_W | BPF_LEN, 0),
	       S(BPF_MISC | BPF_TXA, 0), S(BPF_RET | BPF_A, 0));
	expect(0xfedcba98, "ld #imm", S(BPF_LD | BPF_IMM, 0xfedcba98),
	       S(BPF_RET | BPF_A, 0));
	expect(0x89abcdef, "ldx #imm; txa", S(BPF_LDX | BPF_IMM, 0x89abcdef),
	       S(BPF_MISC | BPF_TXA, 0), S(BPF_RET | BPF_A, 0));
	expect(0x31, "tax", S(BPF_LD | BPF_IMM, 0x31), S(BPF_MISC | BPF_TAX, 0),
	       S(BPF_LD | BPF_IMM, 0), S(BPF_MISC | BPF_TXA, 0),
	       S(BPF_RET | BPF_A, 0));
	expect(0xffffffff, "ret #-1", S(BPF_RET | BPF_K, 0xffffffff));
	expect(0, "ret #0", S(BPF_RET | BPF_K, 0));
}

static void test_scratch(void)
{
	struct sock_filter p[100];
	u32 k, n = 0;
	u64 r;

	/* M[k] = k * 3 + 1 via st and stx, then sum every slot back */
	for (k = 0; k < 16; k++) {
		p[n++] = (struct sock_filter)S(BPF_LD | BPF_IMM, k * 3 + 1);
		if (k & 1) {
			p[n++] = (struct sock_filter)S(BPF_MISC | BPF_TAX, 0);
			p[n++] = (struct sock_filter)S(BPF_STX, k);
		} else {
			p[n++] = (struct sock_filter)S(BPF_ST, k);
		}
	}
	p[n++] = (struct sock_filter)S(BPF_LD | BPF_IMM, 0);
	for (k = 0; k < 16; k++) {
		p[n++] = (struct sock_filter)S(BPF_LDX | BPF_MEM, k);
		p[n++] = (struct sock_filter)S(BPF_ALU | BPF_ADD | BPF_X, 0);
	}
	p[n++] = (struct sock_filter)S(BPF_RET | BPF_A, 0);
	if (run_prog(p, n, &r))
		ok(0, "scratch: st/stx/ldx M[0..15]");
	else
		ok_eq(r, 16 + 3 * 120, "scratch: st/stx/ldx M[0..15]");

	expect(0x42, "scratch: ld M[15]", S(BPF_LD | BPF_IMM, 0x42),
	       S(BPF_ST, 15), S(BPF_LD | BPF_IMM, 0), S(BPF_LD | BPF_MEM, 15),
	       S(BPF_RET | BPF_A, 0));
}

/* ---- jumps ---------------------------------------------------------------- */

static u32 jmp_ref(u8 op, u32 a, u32 b)
{
	switch (op) {
	case BPF_JEQ: return a == b;
	case BPF_JGT: return a > b;
	case BPF_JGE: return a >= b;
	default: return (a & b) != 0;
	}
}

static void test_jumps(void)
{
	static const u8 ops[] = { BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET };
	static const char *const names[] = { "jeq", "jgt", "jge", "jset" };
	static const u32 vals[][2] = {
		{ 5, 5 }, { 6, 5 }, { 4, 5 }, { 0x80000001, 0x80000000 },
		{ 0x7fffffff, 0x80000000 }, { 0xffffffff, 0xffffffff },
		{ 2, 1 }, { 3, 1 },
	};
	u32 i, j, src;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		for (j = 0; j < ARRAY_SIZE(vals); j++) {
			for (src = 0; src < 2; src++) {
				u32 a = vals[j][0], b = vals[j][1];
				u8 code = BPF_JMP | ops[i] | (src ? BPF_X : BPF_K);
				u32 t = jmp_ref(ops[i], a, b);
				char name[96];

				snprintf(name, sizeof(name), "%s %s: %#x vs %#x (jt 1 jf 2)",
					 names[i], src ? "x" : "k", a, b);
				expect(t ? 11 : 22, name,
				       S(BPF_LD | BPF_IMM, a), S(BPF_LDX | BPF_IMM, b),
				       J(code, b, 1, 2),
				       S(BPF_RET | BPF_K, 33),
				       S(BPF_RET | BPF_K, 11),
				       S(BPF_RET | BPF_K, 22));
				snprintf(name, sizeof(name), "%s %s: %#x vs %#x (jt 0)",
					 names[i], src ? "x" : "k", a, b);
				expect(t ? 11 : 22, name,
				       S(BPF_LD | BPF_IMM, a), S(BPF_LDX | BPF_IMM, b),
				       J(code, b, 0, 1),
				       S(BPF_RET | BPF_K, 11),
				       S(BPF_RET | BPF_K, 22));
				snprintf(name, sizeof(name), "%s %s: %#x vs %#x (jf 0)",
					 names[i], src ? "x" : "k", a, b);
				expect(t ? 11 : 22, name,
				       S(BPF_LD | BPF_IMM, a), S(BPF_LDX | BPF_IMM, b),
				       J(code, b, 1, 0),
				       S(BPF_RET | BPF_K, 22),
				       S(BPF_RET | BPF_K, 11));
			}
		}
	}
	expect(3, "ja skips", S(BPF_JMP | BPF_JA, 1), S(BPF_RET | BPF_K, 2),
	       S(BPF_RET | BPF_K, 3));
	expect(2, "ja 0", S(BPF_JMP | BPF_JA, 0), S(BPF_RET | BPF_K, 2));
	expect(1, "jeq jt 0 jf 0 falls through",
	       J(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 0), S(BPF_RET | BPF_K, 1));
	expect(1, "jset jt 0 jf 0 falls through",
	       J(BPF_JMP | BPF_JSET | BPF_K, 1, 0, 0), S(BPF_RET | BPF_K, 1));

	/* A long forward jump over 255 instructions */
	{
		struct sock_filter p[300];
		u32 n = 0;
		u64 r;

		p[n++] = (struct sock_filter)S(BPF_LD | BPF_IMM, 5);
		p[n++] = (struct sock_filter)J(BPF_JMP | BPF_JEQ | BPF_K, 5, 255, 0);
		while (n < 257)
			p[n++] = (struct sock_filter)S(BPF_ALU | BPF_ADD | BPF_K, 1);
		p[n++] = (struct sock_filter)S(BPF_RET | BPF_A, 0);
		if (run_prog(p, n, &r))
			ok(0, "jt 255 lands on the last instruction");
		else
			ok_eq(r, 5, "jt 255 lands on the last instruction");
	}
}

/* ---- negative offsets and ancillary loads -------------------------------- */

static void test_negative_offsets(void)
{
	expect(0x45, "ldb [SKF_NET_OFF]",
	       S(BPF_LD | BPF_B | BPF_ABS, (u32)SKF_NET_OFF), S(BPF_RET | BPF_A, 0));
	expect(0xe00000fb, "ld [SKF_NET_OFF + 16]",
	       S(BPF_LD | BPF_W | BPF_ABS, (u32)SKF_NET_OFF + 16),
	       S(BPF_RET | BPF_A, 0));
	expect(0x0100, "ldh [SKF_LL_OFF]",
	       S(BPF_LD | BPF_H | BPF_ABS, (u32)SKF_LL_OFF), S(BPF_RET | BPF_A, 0));
	expect(0x0800, "ldh [SKF_LL_OFF + 12]",
	       S(BPF_LD | BPF_H | BPF_ABS, (u32)SKF_LL_OFF + 12),
	       S(BPF_RET | BPF_A, 0));
	expect(0, "ld [SKF_NET_OFF + 48]: past the end",
	       S(BPF_LD | BPF_W | BPF_ABS, (u32)SKF_NET_OFF + 48),
	       S(BPF_RET | BPF_K, 7));
	expect(0, "ldb [SKF_NET_OFF - 1]: the link layer's last byte is far away",
	       S(BPF_LD | BPF_B | BPF_ABS, (u32)SKF_NET_OFF - 1),
	       S(BPF_RET | BPF_K, 7));
	expect(0, "ldb [SKF_LL_OFF - 1]",
	       S(BPF_LD | BPF_B | BPF_ABS, (u32)SKF_LL_OFF - 1),
	       S(BPF_RET | BPF_K, 7));
	expect(0x06, "ldb [x + SKF_NET_OFF], x = 9",
	       S(BPF_LDX | BPF_IMM, 9),
	       S(BPF_LD | BPF_B | BPF_IND, (u32)SKF_NET_OFF),
	       S(BPF_RET | BPF_A, 0));
	expect(0x5e, "ldb [x + SKF_LL_OFF], x = 2",
	       S(BPF_LDX | BPF_IMM, 2),
	       S(BPF_LD | BPF_B | BPF_IND, (u32)SKF_LL_OFF),
	       S(BPF_RET | BPF_A, 0));
}

struct anc_case {
	u32		ad;
	const char	*name;
	u32		want;
};

static void test_ancillary(void)
{
	const struct anc_case cases[] = {
		/* ntohs(skb->protocol): IPv6 */
		{ SKF_AD_PROTOCOL, "SKF_AD_PROTOCOL", 0x86dd },
		{ SKF_AD_PKTTYPE, "SKF_AD_PKTTYPE", 3 },
		{ SKF_AD_IFINDEX, "SKF_AD_IFINDEX", 7 },
		{ SKF_AD_NLATTR, "SKF_AD_NLATTR (no netlink: 0)", 0 },
		{ SKF_AD_NLATTR_NEST, "SKF_AD_NLATTR_NEST (no netlink: 0)", 0 },
		{ SKF_AD_MARK, "SKF_AD_MARK", 0xdeadbeef },
		{ SKF_AD_QUEUE, "SKF_AD_QUEUE", 5 },
		{ SKF_AD_HATYPE, "SKF_AD_HATYPE", 772 },
		{ SKF_AD_RXHASH, "SKF_AD_RXHASH", 0x12345678 },
		{ SKF_AD_CPU, "SKF_AD_CPU", bpfdev_cpu_id() },
		/* A ^= X: A = 0x0f0f, X = 0x00ff */
		{ SKF_AD_ALU_XOR_X, "SKF_AD_ALU_XOR_X", 0x0ff0 },
		{ SKF_AD_VLAN_TAG, "SKF_AD_VLAN_TAG", 0xe123 },
		{ SKF_AD_VLAN_TAG_PRESENT, "SKF_AD_VLAN_TAG_PRESENT", 1 },
		/* 14 + 20 (IPv4) + 32 (TCP doff 8) */
		{ SKF_AD_PAY_OFFSET, "SKF_AD_PAY_OFFSET (IPv4/TCP)", 66 },
		{ SKF_AD_VLAN_TPID, "SKF_AD_VLAN_TPID", 0x88a8 },
	};
	static const u8 sizes[] = { BPF_W, BPF_H, BPF_B };
	static const char *const size_names[] = { "ld", "ldh", "ldb" };
	u32 i, s;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		for (s = 0; s < ARRAY_SIZE(sizes); s++) {
			char name[96];

			skb_reset();
			if (cases[i].ad == SKF_AD_PROTOCOL)
				skb.md.protocol = cpu_to_be16(0x86dd);
			skb.md.pkt_type = 3;
			skb.md.ifindex = 7;
			skb.md.mark = 0xdeadbeef;
			skb.md.queue_mapping = 5;
			skb.hatype = 772;
			skb.md.hash = 0x12345678;
			skb.md.vlan_tci = 0xe123;
			skb.md.vlan_present = 1;
			skb.md.vlan_proto = cpu_to_be16(0x88a8);
			/* ancillary loads ignore the size, as in Linux */
			snprintf(name, sizeof(name), "%s [%s]", size_names[s],
				 cases[i].name);
			expect(cases[i].want, name,
			       S(BPF_LD | BPF_IMM, 0x0f0f), S(BPF_LDX | BPF_IMM, 0x00ff),
			       S(BPF_LD | sizes[s] | BPF_ABS, AD(cases[i].ad)),
			       S(BPF_RET | BPF_A, 0));
		}
	}
	skb_reset();
	expect(0, "SKF_AD_VLAN_TAG_PRESENT without a tag",
	       S(BPF_LD | BPF_W | BPF_ABS, AD(SKF_AD_VLAN_TAG_PRESENT)),
	       S(BPF_RET | BPF_A, 0));
	expect(0x0800, "SKF_AD_PROTOCOL of the test frame",
	       S(BPF_LD | BPF_W | BPF_ABS, AD(SKF_AD_PROTOCOL)),
	       S(BPF_RET | BPF_A, 0));
	expect(0x77, "ancillary loads keep X",
	       S(BPF_LDX | BPF_IMM, 0x77),
	       S(BPF_LD | BPF_W | BPF_ABS, AD(SKF_AD_PAY_OFFSET)),
	       S(BPF_LD | BPF_W | BPF_ABS, AD(SKF_AD_CPU)),
	       S(BPF_LD | BPF_W | BPF_ABS, AD(SKF_AD_RANDOM)),
	       S(BPF_MISC | BPF_TXA, 0), S(BPF_RET | BPF_A, 0));

	/* SKF_AD_RANDOM: 16 draws are not all the same */
	{
		struct sock_filter p[] = {
			S(BPF_LD | BPF_W | BPF_ABS, AD(SKF_AD_RANDOM)),
			S(BPF_RET | BPF_A, 0),
		};
		u64 r, first = 0;
		bool differ = false, fail = false;
		int n;

		runs_may_differ = true;
		for (n = 0; n < 16; n++) {
			if (run_prog(p, 2, &r)) {
				fail = true;
				break;
			}
			if (n == 0)
				first = r;
			else if (r != first)
				differ = true;
		}
		runs_may_differ = false;
		ok(!fail && differ, "SKF_AD_RANDOM varies");
	}
}

/* SKF_AD_PAY_OFFSET over a few shapes of packet (__skb_get_poff()). */
static void test_pay_offset(void)
{
	static u8 v6[14 + 40 + 8 + 8 + 8] = {
		[12] = 0x86, [13] = 0xdd,
		[14] = 0x60, [20] = 0 /* next: hop-by-hop */,
		/* hop-by-hop: next routing, len 0 */
		[54] = 43, [55] = 0,
		/* routing: next UDP, len 0 */
		[62] = 17, [63] = 0,
	};
	static u8 v4frag[14 + 20 + 8] = {
		[12] = 0x08, [13] = 0x00, [14] = 0x45,
		[20] = 0x00, [21] = 0x10,	/* fragment offset 16 */
		[23] = 6,
	};
	static u8 arp[42] = { [12] = 0x08, [13] = 0x06 };
	static u8 other[60] = { [12] = 0x88, [13] = 0xcc };
	struct sock_filter p[] = {
		S(BPF_LD | BPF_W | BPF_ABS, AD(SKF_AD_PAY_OFFSET)),
		S(BPF_RET | BPF_A, 0),
	};
	u64 r;

	cbpf_skb_capture(&skb, v6, sizeof(v6), sizeof(v6));
	if (!run_prog(p, 2, &r))
		ok_eq(r, 14 + 40 + 8 + 8 + 8, "pay offset: IPv6, hop-by-hop, routing, UDP");
	else
		ok(0, "pay offset: IPv6, hop-by-hop, routing, UDP");
	cbpf_skb_capture(&skb, v4frag, sizeof(v4frag), sizeof(v4frag));
	if (!run_prog(p, 2, &r))
		ok_eq(r, 14 + 20, "pay offset: IPv4 later fragment stops at L4");
	else
		ok(0, "pay offset: IPv4 later fragment stops at L4");
	cbpf_skb_capture(&skb, arp, sizeof(arp), sizeof(arp));
	if (!run_prog(p, 2, &r))
		ok_eq(r, 14, "pay offset: ARP is the network header");
	else
		ok(0, "pay offset: ARP is the network header");
	cbpf_skb_capture(&skb, other, sizeof(other), sizeof(other));
	if (!run_prog(p, 2, &r))
		ok_eq(r, 0, "pay offset: unknown ethertype gives 0");
	else
		ok(0, "pay offset: unknown ethertype gives 0");
	skb_reset();
}

/* ---- the validator --------------------------------------------------------- */

struct bad_prog {
	const char		*name;
	const struct sock_filter *insns;
	u32			len;
	const char		*msg;
};

#define BAD(n, m, ...) { n, PROG(__VA_ARGS__), NINSN(__VA_ARGS__), m }

static const struct bad_prog bad_progs[] = {
	BAD("unknown opcode", "insn 0: unknown opcode 0xff",
	    S(0xff, 0), S(BPF_RET | BPF_K, 0)),
	BAD("seccomp's ld [k] from data is not for sockets", "insn 0: unknown opcode 0x21",
	    S(BPF_LDX | BPF_W | BPF_ABS, 0), S(BPF_RET | BPF_K, 0)),
	BAD("BPF_ALU | BPF_ARSH is eBPF only", "insn 1: unknown opcode 0xc4",
	    S(BPF_LD | BPF_IMM, 1), S(BPF_ALU | 0xc0, 1), S(BPF_RET | BPF_A, 0)),
	BAD("ldx msh with a word size", "insn 0: unknown opcode 0xa1",
	    S(BPF_LDX | BPF_W | BPF_MSH, 14), S(BPF_RET | BPF_K, 0)),
	BAD("opcode above 0xff", "insn 0: unknown opcode 0x106",
	    S(0x106, 0), S(BPF_RET | BPF_K, 0)),
	BAD("jt past the end", "insn 0: jump out of range",
	    J(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0), S(BPF_RET | BPF_K, 0)),
	BAD("jf past the end", "insn 1: jump out of range",
	    S(BPF_LD | BPF_IMM, 0), J(BPF_JMP | BPF_JGT | BPF_X, 0, 0, 5),
	    S(BPF_RET | BPF_K, 0)),
	BAD("ja past the end", "insn 0: jump out of range",
	    S(BPF_JMP | BPF_JA, 1), S(BPF_RET | BPF_K, 0)),
	BAD("ja backwards (k = -1)", "insn 1: jump out of range",
	    S(BPF_LD | BPF_IMM, 0), S(BPF_JMP | BPF_JA, 0xffffffff),
	    S(BPF_RET | BPF_K, 0)),
	BAD("last instruction not ret", "insn 1: last instruction is not ret",
	    S(BPF_RET | BPF_K, 0), S(BPF_LD | BPF_IMM, 0)),
	BAD("ends in tax", "insn 1: last instruction is not ret",
	    S(BPF_LD | BPF_IMM, 0), S(BPF_MISC | BPF_TAX, 0)),
	BAD("a jump as the last instruction jumps out", "insn 1: jump out of range",
	    S(BPF_LD | BPF_IMM, 0), J(BPF_JMP | BPF_JSET | BPF_K, 0, 0, 0)),
	BAD("div by constant 0", "insn 1: division by zero",
	    S(BPF_LD | BPF_IMM, 8), S(BPF_ALU | BPF_DIV | BPF_K, 0),
	    S(BPF_RET | BPF_A, 0)),
	BAD("mod by constant 0", "insn 0: division by zero",
	    S(BPF_ALU | BPF_MOD | BPF_K, 0), S(BPF_RET | BPF_A, 0)),
	BAD("lsh by 32", "insn 0: shift by 32",
	    S(BPF_ALU | BPF_LSH | BPF_K, 32), S(BPF_RET | BPF_A, 0)),
	BAD("rsh by 100", "insn 0: shift by 100",
	    S(BPF_ALU | BPF_RSH | BPF_K, 100), S(BPF_RET | BPF_A, 0)),
	BAD("st M[16]", "insn 0: scratch slot M[16] out of range",
	    S(BPF_ST, 16), S(BPF_RET | BPF_A, 0)),
	BAD("ldx M[99]", "insn 0: scratch slot M[99] out of range",
	    S(BPF_LDX | BPF_MEM, 99), S(BPF_RET | BPF_A, 0)),
	BAD("ld M[3] never written", "insn 0: M[3] read before written",
	    S(BPF_LD | BPF_MEM, 3), S(BPF_RET | BPF_A, 0)),
	BAD("ld M[1] when only M[0] written", "insn 1: M[1] read before written",
	    S(BPF_ST, 0), S(BPF_LD | BPF_MEM, 1), S(BPF_RET | BPF_A, 0)),
	BAD("M[0] written on one path only", "insn 3: M[0] read before written",
	    S(BPF_LD | BPF_B | BPF_ABS, 0),
	    J(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1),
	    S(BPF_ST, 0),
	    S(BPF_LDX | BPF_MEM, 0),
	    S(BPF_RET | BPF_A, 0)),
	BAD("M[2] skipped by ja", "insn 3: M[2] read before written",
	    S(BPF_JMP | BPF_JA, 1), S(BPF_ST, 2), S(BPF_RET | BPF_K, 1),
	    S(BPF_LD | BPF_MEM, 2), S(BPF_RET | BPF_A, 0)),
	BAD("unknown ancillary offset", "insn 0: unknown ancillary load -4032",
	    S(BPF_LD | BPF_W | BPF_ABS, AD(SKF_AD_MAX)), S(BPF_RET | BPF_A, 0)),
	BAD("misaligned ancillary offset", "insn 0: unknown ancillary load -4094",
	    S(BPF_LD | BPF_H | BPF_ABS, AD(2)), S(BPF_RET | BPF_A, 0)),
	BAD("ancillary offset -1", "insn 1: unknown ancillary load -1",
	    S(BPF_LD | BPF_IMM, 0), S(BPF_LD | BPF_B | BPF_ABS, 0xffffffff),
	    S(BPF_RET | BPF_A, 0)),
};

static void test_validator(void)
{
	static struct sock_filter big[BPF_MAXINSNS + 1];
	char msg[BPFDEV_CBPF_MSG_SIZE];
	u32 i;
	int err;

	for (i = 0; i < ARRAY_SIZE(bad_progs); i++) {
		const struct bad_prog *b = &bad_progs[i];

		msg[0] = '\0';
		err = bpfdev_cbpf_validate(b->insns, b->len, msg, sizeof(msg));
		if (!ok(err == -EINVAL && !strcmp(msg, b->msg), "rejects %s: \"%s\"",
			b->name, b->msg))
			tap_diag("  got %d \"%s\"", err, msg);
	}

	err = bpfdev_cbpf_validate(big, 0, msg, sizeof(msg));
	ok(err == -EINVAL && !strcmp(msg, "program length 0 not in 1..4096"),
	   "rejects an empty program");
	for (i = 0; i < ARRAY_SIZE(big); i++)
		big[i] = (struct sock_filter)S(BPF_RET | BPF_K, i);
	err = bpfdev_cbpf_validate(big, BPF_MAXINSNS + 1, msg, sizeof(msg));
	ok(err == -EINVAL && !strcmp(msg, "program length 4097 not in 1..4096"),
	   "rejects 4097 instructions");
	ok(!bpfdev_cbpf_validate(big, BPF_MAXINSNS, msg, sizeof(msg)),
	   "accepts 4096 instructions");
	ok(bpfdev_cbpf_validate(NULL, 1, NULL, 0) == -EINVAL, "rejects NULL");

	/* Accepted: what the rules allow */
	{
		struct sock_filter p[] = {
			S(BPF_LD | BPF_B | BPF_ABS, 0),
			J(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 2),
			S(BPF_ST, 0),
			S(BPF_JMP | BPF_JA, 1),
			S(BPF_ST, 0),
			S(BPF_LDX | BPF_MEM, 0),
			S(BPF_LD | BPF_W | BPF_ABS, (u32)SKF_NET_OFF),
			S(BPF_LD | BPF_W | BPF_ABS, (u32)SKF_LL_OFF + 3),
			S(BPF_LD | BPF_W | BPF_ABS, AD(SKF_AD_VLAN_TPID)),
			S(BPF_ALU | BPF_LSH | BPF_K, 31),
			S(BPF_ALU | BPF_DIV | BPF_X, 0),
			S(BPF_LDX | BPF_W | BPF_LEN, 0),
			S(BPF_RET | BPF_A, 0),
		};

		err = bpfdev_cbpf_validate(p, ARRAY_SIZE(p), msg, sizeof(msg));
		if (!ok(!err, "accepts M[0] written on both paths, negative offsets, ancillary"))
			tap_diag("  %s", msg);
	}
	{
		struct sock_filter p[] = { S(BPF_RET | BPF_K, 0) };

		ok(!bpfdev_cbpf_validate(p, 1, NULL, 0), "accepts a lone ret");
	}
}

/* ---- dumps ----------------------------------------------------------------- */

/* libpcap's bpf_dump() writes to stdout: catch it in a file. */
static char *capture_bpf_dump(struct pcap_bpf_program *bp, int option)
{
	static char out[1 << 16];
	FILE *tmp = tmpfile();
	int saved;
	size_t n;

	if (!tmp)
		return NULL;
	fflush(stdout);
	saved = dup(1);
	dup2(fileno(tmp), 1);
	bpf_dump(bp, option);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	rewind(tmp);
	n = fread(out, 1, sizeof(out) - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
	return out;
}

static void test_dump(void)
{
	static const u32 ks[] = { 0, 1, 12, 0x7f, 0x80000000, 0xffffffff,
				  0xfffffff0, 0xfffff000, 0xfffff004, 0xfffff03c,
				  0xfffff040, (u32)SKF_NET_OFF, (u32)SKF_LL_OFF,
				  4095, 15 };
	static const u8 jts[][2] = { { 0, 0 }, { 3, 5 }, { 255, 254 } };
	static struct sock_filter all[256 * 3];
	char ours[256];
	u32 code, i, bad = 0, checked = 0;
	struct pcap_bpf_program bp;
	static char buf[1 << 16];
	char *theirs;
	int len;

	/* Every opcode byte (and one past it), every kind of k, several jumps */
	for (code = 0; code <= 0x100; code++) {
		for (i = 0; i < ARRAY_SIZE(ks); i++) {
			struct pcap_bpf_insn in = {
				.code = code, .jt = jts[i % 3][0],
				.jf = jts[i % 3][1], .k = ks[i],
			};
			struct sock_filter f = { code, in.jt, in.jf, in.k };
			u32 n = (i * 37) % 1000;

			bpfdev_cbpf_image(&f, n, ours, sizeof(ours));
			checked++;
			if (strcmp(ours, bpf_image(&in, n))) {
				if (bad++ < 5)
					tap_diag("  ours \"%s\" libpcap \"%s\"", ours,
						 bpf_image(&in, n));
			}
		}
	}
	ok(!bad, "bpf_image: %u instructions identical to libpcap", checked);

	for (code = 0; code < ARRAY_SIZE(all); code++)
		all[code] = (struct sock_filter){ code % 256, code % 7, code % 11,
						  code * 2654435761u };
	bp.bf_len = ARRAY_SIZE(all);
	bp.bf_insns = (struct pcap_bpf_insn *)all;
	for (i = 1; i <= 4; i++) {
		theirs = capture_bpf_dump(&bp, i);
		len = bpfdev_cbpf_dump(all, ARRAY_SIZE(all), i, buf, sizeof(buf));
		if (!ok(theirs && len == (int)strlen(buf) && !strcmp(buf, theirs),
			"bpf_dump(prog, %u): %d bytes identical", i, len))
			tap_diag("  ours %d bytes, libpcap %zu", len,
				 theirs ? strlen(theirs) : 0);
	}

	/* Truncation behaves like snprintf */
	len = bpfdev_cbpf_dump(all, 4, 3, buf, 5);
	ok(len == (int)strlen("4\n0 0 0 0\n1 1 1 2654435761\n2 2 2 1013904226\n3 3 3 3668339987\n") &&
	   !strcmp(buf, "4\n0 "), "dump into a short buffer: truncated, full length returned");
}

/* ---- random programs against the reference interpreter (cbpf_ref.h) ---- */

static u32 rnd(u32 n)
{
	return (u32)random() % n;
}

static u32 random_k(void)
{
	u32 ad;

	switch (rnd(8)) {
	case 0:
		/* every ancillary load but SKF_AD_RANDOM, and a few invalid */
		do {
			ad = 4 * rnd(16 + 1);
		} while (ad == SKF_AD_RANDOM);
		return (u32)SKF_AD_OFF + ad - (rnd(4) == 0);
	case 1: return (u32)SKF_NET_OFF + rnd(40);
	case 2: return (u32)SKF_LL_OFF + rnd(40);
	case 3: return random() | (u32)random() << 31;
	case 4: return rnd(33);
	default: return rnd(90);
	}
}

static const u16 random_codes[] = {
	BPF_ALU | BPF_ADD | BPF_K, BPF_ALU | BPF_ADD | BPF_X,
	BPF_ALU | BPF_SUB | BPF_K, BPF_ALU | BPF_SUB | BPF_X,
	BPF_ALU | BPF_MUL | BPF_K, BPF_ALU | BPF_MUL | BPF_X,
	BPF_ALU | BPF_DIV | BPF_K, BPF_ALU | BPF_DIV | BPF_X,
	BPF_ALU | BPF_MOD | BPF_K, BPF_ALU | BPF_MOD | BPF_X,
	BPF_ALU | BPF_AND | BPF_K, BPF_ALU | BPF_AND | BPF_X,
	BPF_ALU | BPF_OR | BPF_K, BPF_ALU | BPF_OR | BPF_X,
	BPF_ALU | BPF_XOR | BPF_K, BPF_ALU | BPF_XOR | BPF_X,
	BPF_ALU | BPF_LSH | BPF_K, BPF_ALU | BPF_LSH | BPF_X,
	BPF_ALU | BPF_RSH | BPF_K, BPF_ALU | BPF_RSH | BPF_X,
	BPF_ALU | BPF_NEG,
	BPF_LD | BPF_W | BPF_ABS, BPF_LD | BPF_H | BPF_ABS, BPF_LD | BPF_B | BPF_ABS,
	BPF_LD | BPF_W | BPF_ABS, BPF_LD | BPF_H | BPF_ABS, BPF_LD | BPF_B | BPF_ABS,
	BPF_LD | BPF_W | BPF_IND, BPF_LD | BPF_H | BPF_IND, BPF_LD | BPF_B | BPF_IND,
	BPF_LD | BPF_W | BPF_LEN, BPF_LDX | BPF_W | BPF_LEN,
	BPF_LD | BPF_IMM, BPF_LDX | BPF_IMM, BPF_LDX | BPF_B | BPF_MSH,
	BPF_LD | BPF_MEM, BPF_LDX | BPF_MEM, BPF_ST, BPF_STX, BPF_ST, BPF_STX,
	BPF_MISC | BPF_TAX, BPF_MISC | BPF_TXA,
	BPF_JMP | BPF_JA, BPF_JMP | BPF_JEQ | BPF_K, BPF_JMP | BPF_JEQ | BPF_X,
	BPF_JMP | BPF_JGT | BPF_K, BPF_JMP | BPF_JGT | BPF_X,
	BPF_JMP | BPF_JGE | BPF_K, BPF_JMP | BPF_JGE | BPF_X,
	BPF_JMP | BPF_JSET | BPF_K, BPF_JMP | BPF_JSET | BPF_X,
	BPF_RET | BPF_K, BPF_RET | BPF_A,
};

static void random_insn(struct sock_filter *f, u32 pc, u32 len)
{
	u32 room = len - pc - 1 ? len - pc - 1 : 1;

	f->code = random_codes[rnd(ARRAY_SIZE(random_codes))];
	f->k = random_k();
	f->jt = f->jf = 0;
	switch (BPF_CLASS(f->code)) {
	case BPF_JMP:
		/* mostly in range; the validator must catch the rest */
		f->jt = rnd(8) ? rnd(room) : rnd(256);
		f->jf = rnd(8) ? rnd(room) : rnd(256);
		if (BPF_OP(f->code) == BPF_JA)
			f->k = rnd(8) ? rnd(room) : random_k();
		break;
	case BPF_ST:
	case BPF_STX:
		f->k = rnd(17);
		break;
	case BPF_LD:
	case BPF_LDX:
		if (BPF_MODE(f->code) == BPF_MEM)
			f->k = rnd(17);
		break;
	}
}

static void random_packet(struct bpfdev_skb *sk, u8 *buf, u32 size)
{
	u32 len = rnd(size + 1), i;

	for (i = 0; i < size; i++)
		buf[i] = rnd(4) ? (u8)random() : (u8)rnd(16);
	if (len > 13 && rnd(2)) {
		buf[12] = rnd(2) ? 0x08 : 0x86;
		buf[13] = buf[12] == 0x08 ? 0x00 : 0xdd;
		if (len > 14)
			buf[14] = buf[12] == 0x08 ? 0x45 : 0x60;
	}
	cbpf_skb_capture(sk, buf, len, len + rnd(3) * rnd(1000));
	sk->md.mark = random();
	sk->md.hash = random();
	sk->md.ifindex = rnd(100);
	sk->md.queue_mapping = rnd(16);
	sk->md.vlan_present = rnd(2);
	sk->md.vlan_tci = rnd(65536);
	sk->md.vlan_proto = cpu_to_be16(rnd(2) ? 0x8100 : 0x88a8);
	sk->hatype = rnd(1000);
}

/*
 * Any user of a 0666 device may set classic filters; the module blinds
 * their constants for callers without CAP_BPF, so the blinded JIT
 * (cbpf_prog_load_jit(..., BPFDEV_JIT_BLIND)) must agree too.
 */
static void test_random(void)
{
	static u8 buf[96];
	u32 tries = 20000, accepted = 0, runs = 0, differ = 0, faults = 0, i;
	u32 jit_failed = 0;

	srandom(20260425);
	for (i = 0; i < tries; i++) {
		struct sock_filter prog[48];
		u32 len = 1 + rnd(ARRAY_SIZE(prog)), pc, j;
		struct cbpf_prog p, blind;

		for (pc = 0; pc < len; pc++)
			random_insn(&prog[pc], pc, len);
		if (rnd(16))
			prog[len - 1].code = rnd(2) ? BPF_RET | BPF_A : BPF_RET | BPF_K;
		if (cbpf_prog_load(&p, prog, len))
			continue;
		if (cbpf_prog_load_jit(&blind, prog, len, BPFDEV_JIT_BLIND)) {
			tap_diag("  program %u: loads, but not a second time", i);
			differ++;
			cbpf_prog_free(&p);
			continue;
		}
		accepted++;
		if ((p.jit_err || blind.jit_err) && jit_failed++ < 3)
			tap_diag("  program %u: JIT %d, blinded JIT %d", i, p.jit_err, blind.jit_err);
		for (j = 0; j < 4; j++) {
			struct cbpf_result r, rb;
			struct bpfdev_skb sk;
			u32 want;

			random_packet(&sk, buf, sizeof(buf));
			want = ref_run(prog, &sk);
			cbpf_prog_run(&p, &sk, &r);
			cbpf_prog_run(&blind, &sk, &rb);
			runs++;
			if (r.checked_err && faults++ < 3)
				tap_diag("  program %u: checked interpreter: %s", i, r.err);
			if ((r.fast != want || r.checked != want || r.jit != want ||
			     rb.jit != want) && differ++ < 3) {
				static char text[8192];

				tap_diag("  program %u (%u insns): reference %u, fast %llu, checked %llu, jit %llu, blinded jit %llu",
					 i, len, want, (unsigned long long)r.fast,
					 (unsigned long long)r.checked,
					 (unsigned long long)r.jit, (unsigned long long)rb.jit);
				bpfdev_cbpf_dump(prog, len, 1, text, sizeof(text));
				tap_diag("%s", text);
				tap_diag("caplen %u len %u net_off %u protocol %#x",
					 (u32)(sk.data_end - sk.data), sk.md.len,
					 sk.net_off, sk.md.protocol);
			}
		}
		cbpf_prog_free(&blind);
		cbpf_prog_free(&p);
	}
	ok(accepted > tries / 10 && !differ,
	   "random programs: %u of %u valid, %u runs, %u differ from the reference (interpreters, JIT, blinded JIT)",
	   accepted, tries, runs, differ);
	ok(accepted > tries / 10 && !jit_failed,
	   "random programs: the JIT and the blinded JIT compile each (%u fell back)", jit_failed);
	ok(accepted > tries / 10 && !faults,
	   "random programs: the checked interpreter never faults (%u faults)", faults);
}

int main(void)
{
	tap_plan(0);
	skb_reset();
	test_validator();
	test_alu();
	test_loads();
	test_scratch();
	test_jumps();
	test_negative_offsets();
	test_ancillary();
	test_pay_offset();
	test_dump();
	test_random();
	return tap_done();
}
