// SPDX-License-Identifier: GPL-2.0
/*
 * bench_engine: the bpfdev interpreter (fast and checked builds) against
 * the running kernel's own eBPF on the same programs and packets, in one
 * run.  The kernel side loads each program as BPF_PROG_TYPE_SCHED_CLS
 * (packet data starts at the mac header) and times it with
 * BPF_PROG_TEST_RUN's repeat and duration; whether that kernel ran it
 * JITed comes from /proc/sys/net/core/bpf_jit_enable.
 *
 * The programs differ only in their first two instructions: the kernel's
 * read __sk_buff.data/data_end, ours the bpfdev_skb pointers the
 * verifier's context rewrite reads.  Both must return the same r0.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "interp.h"
#include "skb.h"

#define PKT_LEN		1500
#define ALU_ITERS	4096

struct bench_prog {
	const char	*name;
	const char	*unit;		/* "ns/insn" or "ns/pkt" */
	struct bpf_insn	*insns;		/* [0], [1]: the data/data_end loads */
	u32		len;
	const u8	*pkt;
	u32		pkt_len;
	u64		insns_per_run;	/* for ns/insn; 0 for ns/pkt */
	u32		repeat;
};

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* r2 = data, r3 = data_end, as the kernel's __sk_buff or bpfdev's rewrite. */
static void set_prologue(struct bpf_insn *insns, bool kernel)
{
	if (kernel) {
		insns[0] = INSN_LDX_MEM(BPF_W, 2, 1, offsetof(struct __sk_buff, data));
		insns[1] = INSN_LDX_MEM(BPF_W, 3, 1, offsetof(struct __sk_buff, data_end));
	} else {
		insns[0] = INSN_LDX_MEM(BPF_DW, 2, 1, offsetof(struct bpfdev_skb, data));
		insns[1] = INSN_LDX_MEM(BPF_DW, 3, 1, offsetof(struct bpfdev_skb, data_end));
	}
}

/* 4096 rounds of 7 ALU/JMP instructions. */
static struct bpf_insn alu_loop[] = {
	INSN_MOV64_IMM(2, 0),		/* prologue slots: unused here */
	INSN_MOV64_IMM(3, 0),
	INSN_MOV64_IMM(0, 0),
	INSN_MOV64_IMM(6, ALU_ITERS),
	INSN_MOV64_IMM(7, 0x12345),
	INSN_ALU64_REG(BPF_ADD, 0, 7),		/* loop: */
	INSN_ALU64_REG(BPF_XOR, 0, 6),
	INSN_ALU64_IMM(BPF_MUL, 7, 3),
	INSN_ALU64_IMM(BPF_RSH, 0, 1),
	INSN_ALU32_REG(BPF_ADD, 7, 0),
	INSN_ALU64_IMM(BPF_SUB, 6, 1),
	INSN_JMP_IMM(BPF_JNE, 6, 0, -7),
	INSN_EXIT(),
};
#define ALU_LOOP_INSNS	(5 + ALU_ITERS * 7 + 1)

/* Sum of the packet's bytes, at most 1500, each load proven in bounds. */
static struct bpf_insn byte_sum[] = {
	INSN_MOV64_IMM(0, 0),			/* prologue */
	INSN_MOV64_IMM(0, 0),
	INSN_MOV64_IMM(0, 0),
	INSN_MOV64_IMM(6, 0),			/* i */
	INSN_JMP_IMM(BPF_JGE, 6, PKT_LEN, 9),	/* loop: */
	INSN_MOV64_REG(4, 2),
	INSN_ALU64_REG(BPF_ADD, 4, 6),
	INSN_MOV64_REG(5, 4),
	INSN_ALU64_IMM(BPF_ADD, 5, 1),
	INSN_JMP_REG(BPF_JGT, 5, 3, 4),
	INSN_LDX_MEM(BPF_B, 5, 4, 0),
	INSN_ALU64_REG(BPF_ADD, 0, 5),
	INSN_ALU64_IMM(BPF_ADD, 6, 1),
	INSN_JMP_A(-10),
	INSN_EXIT(),
};

/*
 * Ethernet / IPv4 / TCP or UDP: returns a hash of the ports (and TCP's
 * data offset or UDP's length), 0 for anything else or a short packet.
 */
static struct bpf_insn parser[] = {
	INSN_MOV64_IMM(0, 0),			/* prologue */
	INSN_MOV64_IMM(0, 0),
	INSN_MOV64_IMM(0, 0),
	INSN_MOV64_REG(4, 2),
	INSN_ALU64_IMM(BPF_ADD, 4, 34),		/* ethernet + minimal IPv4 */
	INSN_JMP_REG(BPF_JGT, 4, 3, 30),	/* -> drop */
	INSN_LDX_MEM(BPF_H, 5, 2, 12),		/* ethertype, network order */
	INSN_JMP_IMM(BPF_JNE, 5, 0x0008, 28),	/* not IPv4 -> drop */
	INSN_LDX_MEM(BPF_B, 5, 2, 14),		/* version/ihl */
	INSN_ALU64_IMM(BPF_AND, 5, 0xf),
	INSN_ALU64_IMM(BPF_LSH, 5, 2),
	INSN_JMP_IMM(BPF_JLT, 5, 20, 24),	/* bad ihl -> drop */
	INSN_LDX_MEM(BPF_H, 8, 2, 20),		/* fragment offset */
	INSN_JMP_IMM(BPF_JSET, 8, 0xff1f, 22),	/* a later fragment -> drop */
	INSN_LDX_MEM(BPF_B, 6, 2, 23),		/* protocol */
	INSN_MOV64_REG(7, 2),
	INSN_ALU64_IMM(BPF_ADD, 7, 14),
	INSN_ALU64_REG(BPF_ADD, 7, 5),		/* transport header */
	INSN_MOV64_REG(8, 7),
	INSN_ALU64_IMM(BPF_ADD, 8, 8),
	INSN_JMP_REG(BPF_JGT, 8, 3, 15),	/* -> drop */
	INSN_LDX_MEM(BPF_H, 0, 7, 0),		/* source port */
	INSN_LDX_MEM(BPF_H, 9, 7, 2),		/* destination port */
	INSN_ALU64_IMM(BPF_LSH, 0, 16),
	INSN_ALU64_REG(BPF_OR, 0, 9),
	INSN_JMP_IMM(BPF_JEQ, 6, 17, 7),	/* UDP -> udp */
	INSN_JMP_IMM(BPF_JNE, 6, 6, 9),		/* not TCP -> drop */
	INSN_MOV64_REG(8, 7),
	INSN_ALU64_IMM(BPF_ADD, 8, 20),
	INSN_JMP_REG(BPF_JGT, 8, 3, 6),		/* -> drop */
	INSN_LDX_MEM(BPF_B, 9, 7, 12),		/* data offset */
	INSN_ALU64_IMM(BPF_RSH, 9, 4),
	INSN_JMP_A(1),
	INSN_LDX_MEM(BPF_H, 9, 7, 4),		/* udp: length */
	INSN_ALU64_REG(BPF_XOR, 0, 9),		/* hash */
	INSN_EXIT(),
	INSN_MOV64_IMM(0, 0),			/* drop: */
	INSN_EXIT(),
};

static u8 pkt_tcp[PKT_LEN], pkt_udp[64];

static void make_packet(u8 *p, u32 len, u8 proto)
{
	u32 i;

	for (i = 0; i < len; i++)
		p[i] = i * 7;
	memcpy(p, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00", 14);
	p[14] = 0x45;				/* IPv4, ihl 5 */
	p[16] = (len - 14) >> 8;
	p[17] = (len - 14) & 0xff;
	p[20] = 0x40;				/* DF, offset 0 */
	p[21] = 0;
	p[23] = proto;
	p[34] = 0x30; p[35] = 0x39;		/* port 12345 */
	p[36] = 0x00; p[37] = 0x50;		/* port 80 */
	if (proto == 6)
		p[46] = 5 << 4;			/* data offset 5 */
	else
		p[38] = (len - 34) >> 8, p[39] = (len - 34) & 0xff;
}

/* ---- the running kernel's eBPF ------------------------------------------ */

static int kernel_load(const struct bench_prog *b, char *why, size_t why_len)
{
	static char log[1 << 20];
	union bpf_attr attr;
	struct bpf_insn *insns;
	int fd, level;

	insns = malloc(b->len * sizeof(*insns));
	memcpy(insns, b->insns, b->len * sizeof(*insns));
	set_prologue(insns, true);
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SCHED_CLS;
	attr.insns = (uintptr_t)insns;
	attr.insn_cnt = b->len;
	attr.license = (uintptr_t)"GPL";
	/* Without a log first: a long loop's log would not fit. */
	for (level = 0, fd = -1; fd < 0 && level < 2; level++) {
		attr.log_buf = level ? (uintptr_t)log : 0;
		attr.log_size = level ? sizeof(log) : 0;
		attr.log_level = level;
		log[0] = '\0';
		fd = syscall(__NR_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	}
	if (fd < 0) {
		char *last = strrchr(log, '\n');

		while (last && last > log && last[-1] != '\n' && last[1] == '\0') {
			*last = '\0';
			last = strrchr(log, '\n');
		}
		snprintf(why, why_len, "%s%s%s", strerror(errno),
			 last ? ": " : "", last ? last + 1 : "");
	}
	free(insns);
	return fd;
}

/* ns per run; *r0 the program's return value. */
static double kernel_run(int fd, const struct bench_prog *b, u32 *r0)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = fd;
	attr.test.data_in = (uintptr_t)b->pkt;
	attr.test.data_size_in = b->pkt_len;
	attr.test.repeat = b->repeat;
	if (syscall(__NR_bpf, BPF_PROG_TEST_RUN, &attr, sizeof(attr)))
		return -1;
	*r0 = attr.test.retval;
	return attr.test.duration;
}

/* ---- bpfdev ----------------------------------------------------------- */

static struct bpfdev_env env;

static double bpfdev_run(const struct bench_prog *b, bool checked, u64 *r0)
{
	struct bpfdev_code code = { .len = b->len, .env = &env,
				    .type = BPF_PROG_TYPE_SCHED_CLS };
	struct bpfdev_region regions[BPFDEV_SKB_REGIONS];
	struct bpfdev_run_opts opts = { .sz = sizeof(opts) };
	struct bpfdev_skb skb;
	char err[256];
	u64 start, best = ~0ULL;
	u32 i, round;

	code.insns = malloc(b->len * sizeof(*code.insns));
	memcpy(code.insns, b->insns, b->len * sizeof(*code.insns));
	set_prologue(code.insns, false);
	bpfdev_skb_init_linear(&skb, b->pkt, b->pkt_len);
	opts.args[0] = (uintptr_t)&skb;
	opts.skb = &skb;
	opts.regions = regions;
	opts.nr_regions = bpfdev_interp_skb_regions(&skb, regions);
	opts.err = err;
	opts.err_size = sizeof(err);
	/* Best of three rounds: the machine is shared. */
	for (round = 0; round < 3; round++) {
		start = now_ns();
		for (i = 0; i < b->repeat; i++) {
			if (!checked) {
				*r0 = bpfdev_interp_run(&code, &skb);
			} else if (bpfdev_interp_run_checked(&code, &opts, r0)) {
				fprintf(stderr, "bench_engine: %s: %s\n", b->name, err);
				exit(1);
			}
		}
		if (now_ns() - start < best)
			best = now_ns() - start;
	}
	free(code.insns);
	return (double)best / b->repeat;
}

static int jit_enabled(void)
{
	FILE *f = fopen("/proc/sys/net/core/bpf_jit_enable", "r");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

int main(void)
{
	struct bench_prog progs[] = {
		{ "alu loop", "ns/insn", alu_loop, ARRAY_SIZE(alu_loop),
		  pkt_udp, sizeof(pkt_udp), ALU_LOOP_INSNS, 300 },
		{ "byte sum, 1500-byte packet", "ns/pkt", byte_sum,
		  ARRAY_SIZE(byte_sum), pkt_tcp, sizeof(pkt_tcp), 0, 300 },
		{ "parse eth/ipv4/tcp, 1500 B", "ns/pkt", parser, ARRAY_SIZE(parser),
		  pkt_tcp, sizeof(pkt_tcp), 0, 200000 },
		{ "parse eth/ipv4/udp, 64 B", "ns/pkt", parser, ARRAY_SIZE(parser),
		  pkt_udp, sizeof(pkt_udp), 0, 200000 },
	};
	int jit = jit_enabled();
	const char *kname = jit > 0 ? "kernel JIT" : jit == 0 ? "kernel interp" : "kernel";
	char why[512] = "";
	size_t i;
	int failed = 0;

	make_packet(pkt_tcp, sizeof(pkt_tcp), 6);
	make_packet(pkt_udp, sizeof(pkt_udp), 17);
	printf("bench_engine: bpfdev's eBPF interpreter against the running kernel's eBPF\n");
	printf("kernel: BPF_PROG_TEST_RUN, SCHED_CLS; /proc/sys/net/core/bpf_jit_enable = %d: %s\n",
	       jit, jit > 0 ? "the kernel runs these programs JITed" :
	       jit == 0 ? "the kernel interprets them" : "unknown");
	printf("%-28s %-8s %12s %12s %12s %14s\n", "program", "unit", "bpfdev fast",
	       "bpfdev chk", kname, "fast/kernel");
	for (i = 0; i < ARRAY_SIZE(progs); i++) {
		struct bench_prog *b = &progs[i];
		double fast, chk, kern = -1, div = b->insns_per_run ? b->insns_per_run : 1;
		u64 r0_fast = 0, r0_chk = 0;
		u32 r0_kern = 0;
		int fd;

		fast = bpfdev_run(b, false, &r0_fast) / div;
		chk = bpfdev_run(b, true, &r0_chk) / div;
		fd = kernel_load(b, why, sizeof(why));
		if (fd >= 0) {
			kern = kernel_run(fd, b, &r0_kern);
			if (kern < 0)
				snprintf(why, sizeof(why), "PROG_TEST_RUN: %s", strerror(errno));
			else
				kern /= div;
			close(fd);
		}
		if (kern >= 0)
			printf("%-28s %-8s %12.2f %12.2f %12.2f %13.2fx\n", b->name,
			       b->unit, fast, chk, kern, fast / kern);
		else
			printf("%-28s %-8s %12.2f %12.2f %12s %14s\n", b->name,
			       b->unit, fast, chk, "n/a", "n/a");
		if (r0_fast != r0_chk || (kern >= 0 && (u32)r0_fast != r0_kern)) {
			printf("  MISMATCH: r0 fast 0x%llx, checked 0x%llx, kernel 0x%x\n",
			       (unsigned long long)r0_fast, (unsigned long long)r0_chk,
			       r0_kern);
			failed = 1;
		}
		if (kern < 0)
			printf("  kernel: %s\n", why);
	}
	printf("alu loop: %d insns per run; fast/kernel > 1 means bpfdev is slower\n",
	       ALU_LOOP_INSNS);
	return failed;
}
