// SPDX-License-Identifier: GPL-2.0
/*
 * Random classic programs, as any user of a 0666 device may set them on
 * a capture socket: every one the validator takes must run the same in
 * the fast and checked interpreters, the JIT and the constant-blinded
 * JIT (what callers without CAP_BPF get), and never fault.  The packets
 * are short and long, linear, with bytes past caplen, and the ancillary
 * loads see a context with every field set.  Fixed seeds: a failure
 * names its seed and program.
 */
#include <stdlib.h>

#include "cbpf_run.h"
#include "tap.h"

#define PROGS		20000
#define MAX_LEN		24
#define NR_PACKETS	6

struct rnd {
	u64 s;
};

static u64 rnd_next(struct rnd *r)
{
	/* splitmix64, as dev_fuzz: reproducible from the seed */
	u64 z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u32 rnd_below(struct rnd *r, u32 n)
{
	return n ? rnd_next(r) % n : 0;
}

static const u16 ops[] = {
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
	BPF_LD | BPF_W | BPF_LEN,
	BPF_LD | BPF_W | BPF_IND, BPF_LD | BPF_H | BPF_IND, BPF_LD | BPF_B | BPF_IND,
	BPF_LD | BPF_IMM, BPF_LD | BPF_MEM,
	BPF_LDX | BPF_W | BPF_LEN, BPF_LDX | BPF_B | BPF_MSH,
	BPF_LDX | BPF_IMM, BPF_LDX | BPF_MEM,
	BPF_ST, BPF_STX, BPF_MISC | BPF_TAX, BPF_MISC | BPF_TXA,
	BPF_RET | BPF_K, BPF_RET | BPF_A,
	BPF_JMP | BPF_JA,
	BPF_JMP | BPF_JEQ | BPF_K, BPF_JMP | BPF_JEQ | BPF_X,
	BPF_JMP | BPF_JGE | BPF_K, BPF_JMP | BPF_JGE | BPF_X,
	BPF_JMP | BPF_JGT | BPF_K, BPF_JMP | BPF_JGT | BPF_X,
	BPF_JMP | BPF_JSET | BPF_K, BPF_JMP | BPF_JSET | BPF_X,
};

/* Values the engines treat specially, then anything. */
static u32 rnd_k(struct rnd *r, u16 code)
{
	static const u32 edges[] = {
		0, 1, 2, 7, 8, 12, 14, 16, 23, 31, 32, 33, 63, 64, 0x7fffffff,
		0x80000000, 0xfffffffe, 0xffffffff, 0x7f000001, 0x0100007f,
	};
	u8 cls = BPF_CLASS(code);

	if ((cls == BPF_LD || cls == BPF_LDX) && BPF_MODE(code) == BPF_MEM)
		return rnd_below(r, 16);
	if (cls == BPF_ST || cls == BPF_STX)
		return rnd_below(r, 16);
	if (cls == BPF_LD && BPF_MODE(code) == BPF_ABS) {
		switch (rnd_below(r, 4)) {
		case 0: {
			/* SKF_AD_RANDOM excepted: no two engines draw alike */
			u32 ad = 4 * rnd_below(r, SKF_AD_MAX / 4 + 1);

			return (u32)SKF_AD_OFF + (ad == SKF_AD_RANDOM ? SKF_AD_CPU : ad);
		}
		case 1:
			return (u32)SKF_NET_OFF + rnd_below(r, 48);
		case 2:
			return (u32)SKF_LL_OFF + rnd_below(r, 48);
		default:
			return rnd_below(r, 80);
		}
	}
	if (cls == BPF_LD && BPF_MODE(code) == BPF_IND)
		return rnd_below(r, 2) ? rnd_below(r, 80) : (u32)rnd_next(r);
	if (rnd_below(r, 2))
		return edges[rnd_below(r, sizeof(edges) / sizeof(edges[0]))];
	return (u32)rnd_next(r) >> rnd_below(r, 32);
}

static u32 rnd_prog(struct rnd *r, struct sock_filter *insns)
{
	u32 n = 2 + rnd_below(r, MAX_LEN - 1), i;

	for (i = 0; i < n - 1; i++) {
		u16 code = ops[rnd_below(r, sizeof(ops) / sizeof(ops[0]))];
		u32 left = n - 2 - i;

		insns[i] = (struct sock_filter){ .code = code, .k = rnd_k(r, code) };
		if (BPF_CLASS(code) == BPF_JMP) {
			insns[i].jt = rnd_below(r, left + 1);
			insns[i].jf = rnd_below(r, left + 1);
			if (BPF_OP(code) == BPF_JA)
				insns[i].k = rnd_below(r, left + 1);
		}
	}
	insns[n - 1] = (struct sock_filter){
		.code = rnd_below(r, 2) ? BPF_RET | BPF_A : BPF_RET | BPF_K,
		.k = rnd_below(r, 2) ? 0xffff : rnd_k(r, BPF_RET | BPF_K),
	};
	return n;
}

struct packet {
	u8	data[256];
	u32	caplen;
	u32	wirelen;
};

static struct packet packets[NR_PACKETS];

static void make_packets(struct rnd *r)
{
	static const u8 udp_lo[] = {
		/* ethernet, IPv4 127.0.0.1 -> 127.0.0.1, UDP 40000 -> 9 */
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x00,
		0x45, 0, 0, 32, 0x12, 0x34, 0x40, 0, 64, 17, 0, 0,
		127, 0, 0, 1, 127, 0, 0, 1,
		0x9c, 0x40, 0, 9, 0, 12, 0, 0, 'f', 'u', 'z', 'z',
	};
	u32 i, j;

	memcpy(packets[0].data, udp_lo, sizeof(udp_lo));
	packets[0].caplen = packets[0].wirelen = sizeof(udp_lo);
	for (i = 1; i < NR_PACKETS; i++) {
		for (j = 0; j < sizeof(packets[i].data); j++)
			packets[i].data[j] = rnd_next(r);
		packets[i].caplen = rnd_below(r, sizeof(packets[i].data) + 1);
		packets[i].wirelen = packets[i].caplen + (i & 1 ? rnd_below(r, 100) : 0);
	}
	packets[1].caplen = packets[1].wirelen = 0;
}

/* Every field an ancillary load reads, set to something it can tell. */
static void skb_fields(struct bpfdev_skb *skb, u32 i)
{
	skb->md.protocol = 0x0008;
	skb->md.pkt_type = i % 5;
	skb->md.ifindex = 1 + i;
	skb->md.mark = 0x1000 + i;
	skb->md.queue_mapping = i;
	skb->md.hash = 0x9e3779b9 * (i + 1);
	skb->md.vlan_present = i & 1;
	skb->md.vlan_tci = i & 1 ? 0x0123 : 0;
	skb->md.vlan_proto = i & 1 ? 0x0081 : 0;
	skb->hatype = 772;
}

/* 1 when the engines disagree or one faults. */
static int one(u64 seed, int *loaded)
{
	struct sock_filter insns[MAX_LEN + 1];
	struct rnd r = { seed };
	struct cbpf_prog plain, blind;
	int differ = 0;
	u32 n, i;

	n = rnd_prog(&r, insns);
	if (cbpf_prog_load(&plain, insns, n))
		return 0;
	(*loaded)++;
	memset(&blind, 0, sizeof(blind));
	if (bpfdev_cbpf_load(insns, n, &blind.code, blind.msg, sizeof(blind.msg))) {
		tap_diag("seed %llu: loads once, not twice", (unsigned long long)seed);
		cbpf_prog_free(&plain);
		return 1;
	}
	bpfdev_cbpf_env_init(&blind.env);
	blind.code.env = &blind.env;
	blind.jit_err = bpfdev_jit_compile(&blind.code, BPFDEV_JIT_BLIND);
	if (plain.jit_err || blind.jit_err) {
		tap_diag("seed %llu: JIT %d, blinded JIT %d", (unsigned long long)seed,
			 plain.jit_err, blind.jit_err);
		differ = 1;
	}
	for (i = 0; i < NR_PACKETS && !differ; i++) {
		struct cbpf_result a, b;
		struct bpfdev_skb skb;

		cbpf_skb_capture(&skb, packets[i].data, packets[i].caplen, packets[i].wirelen);
		skb_fields(&skb, i);
		cbpf_prog_run(&plain, &skb, &a);
		cbpf_prog_run(&blind, &skb, &b);
		if (a.checked_err || b.checked_err || a.fast != a.checked ||
		    a.fast != a.jit || a.fast != b.jit) {
			tap_diag("seed %llu packet %u: fast %llu checked %llu (%s) jit %llu blinded %llu",
				 (unsigned long long)seed, i, (unsigned long long)a.fast,
				 (unsigned long long)a.checked, a.checked_err ? a.err : "ok",
				 (unsigned long long)a.jit, (unsigned long long)b.jit);
			differ = 1;
		}
	}
	if (differ) {
		for (i = 0; i < n; i++)
			tap_diag("  { 0x%02x, %u, %u, 0x%08x },", insns[i].code, insns[i].jt,
				 insns[i].jf, insns[i].k);
	}
	cbpf_prog_free(&blind);
	cbpf_prog_free(&plain);
	return differ;
}

int main(int argc, char **argv)
{
	u64 first = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;
	u64 count = argc > 2 ? strtoull(argv[2], NULL, 0) : PROGS, seed;
	struct rnd pr = { 42 };
	int loaded = 0, bad = 0;

	tap_plan(2);
	make_packets(&pr);
	for (seed = first; seed < first + count && bad < 5; seed++)
		bad += one(seed, &loaded);
	ok(!bad, "interpreters, JIT and blinded JIT agree on random classic programs (seeds %llu..%llu)",
	   (unsigned long long)first, (unsigned long long)(first + count - 1));
	ok(loaded >= (int)(count / 10), "at least a tenth of them loaded (%d)", loaded);
	return tap_done();
}
