/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Programs that once cost bpfdev's verifier far more than the kernel's
 * (issue 21), for the unit test that keeps them cheap
 * (selftests/unit/test_verifier_cost.c) and for bench_verifier, which
 * times them against the running kernel's bpf(BPF_PROG_LOAD).
 *
 * Each is written as the issue gives it: one code:dst:src:off:imm per
 * instruction, code and registers in hex.  An LD_IMM64 of a pseudo map fd
 * names the map of the table entry.
 */
#ifndef BPFDEV_SELFTESTS_VERIFIER_COST_PROGS_H
#define BPFDEV_SELFTESTS_VERIFIER_COST_PROGS_H

#include <stdio.h>
#include "isa.h"

struct vc_prog {
	const char	*name;
	const char	*text;
	int		map;		/* for each BPF_PSEUDO_MAP_FD, -1: none */
	u32		log_level;	/* bench_verifier loads with this log */
	u32		log_size;
	int		err;		/* bpfdev_verify() with that log */
	u32		processed;	/* the kernel's count (6.1) */
};

static const struct vc_prog vc_progs[] = {
	{
		/* the 1M limit (E2BIG) on both; bpfdev took 100x the kernel */
		.name = "issue21: E2BIG after 1M insns (34 insns)",
		.text = "bf:6:1:0:0 b7:7:0:0:4 b7:8:0:0:1 b7:0:0:0:0 b7:9:0:0:0 "
			"61:4:6:32:0 30:0:0:0:6 bc:4:7:0:0 7a:a:0:-64:13 20:0:0:0:1000 "
			"5d:8:8:13:0 61:4:6:60:0 25:4:0:14:-57 62:a:0:-20:0 7b:a:9:-16:0 "
			"7a:a:0:-8:-35 18:1:1:0:0 00:0:0:0:0 bf:2:a:0:0 07:2:0:0:-20 "
			"bf:3:a:0:0 07:3:0:0:-16 b7:4:0:0:2 85:0:0:0:2 "
			"a7:9:0:0:-1874571725 79:9:a:-8:0 79:3:a:-8:0 0f:0:3:0:0 "
			"07:7:0:0:7 63:6:3:52:0 07:9:0:0:1 a5:9:0:-27:5 bf:0:9:0:0 "
			"95:0:0:0:0",
		.map = 0,
		.err = -E2BIG, .processed = 1000001,
	},
	{
		/*
		 * Every iteration decides a branch on a packet byte, whose
		 * precision can't be traced past the load: every scalar of
		 * the path precise, r7 differs each time, the 1M limit.
		 */
		.name = "precision given up on every iteration",
		.text = "bf:6:1:0:0 b7:7:0:0:0 b7:9:0:0:0 61:9:6:0:0 30:0:0:0:0 "
			"57:0:0:0:1 25:0:0:5:1 07:7:0:0:7 b7:1:0:0:0 b7:2:0:0:0 "
			"07:9:0:0:1 55:9:0:-8:0 bf:0:7:0:0 95:0:0:0:0",
		.map = -1,
		.err = -E2BIG, .processed = 1000001,
	},
	{
		/* a bounded loop, every step in a log_level 2 log of 256 KiB */
		.name = "issue21: log_level 2, 256 KiB log (12 insns)",
		.text = "61:2:1:0:0 b7:0:0:0:0 b7:3:0:0:0 07:3:0:0:1 bf:4:3:0:0 "
			"57:4:0:0:7 0f:0:4:0:0 57:0:0:0:4095 a5:3:0:-6:2000 "
			"5d:0:2:1:0 b7:0:0:0:0 95:0:0:0:0",
		.map = -1,
		.log_level = 2, .log_size = 256 << 10,
		.err = -ENOSPC, .processed = 12007,
	},
};

/* The instructions of p into insns; their number, or -1. */
static inline int vc_parse(const struct vc_prog *p, int map, struct bpf_insn *insns, u32 max)
{
	const char *s = p->text;
	u32 n = 0;

	while (*s) {
		unsigned int code, dst, src;
		int off, imm, used;

		if (n == max ||
		    sscanf(s, " %x:%x:%x:%d:%d%n", &code, &dst, &src, &off, &imm, &used) != 5)
			return -1;
		insns[n] = (struct bpf_insn) {
			.code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm,
		};
		if (code == (BPF_LD | BPF_DW | BPF_IMM) && src == BPF_PSEUDO_MAP_FD)
			insns[n].imm = map;
		n++;
		s += used;
		while (*s == ' ')
			s++;
	}
	return n;
}

#endif /* BPFDEV_SELFTESTS_VERIFIER_COST_PROGS_H */
