/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running classic programs in unit tests: validate, convert, then run the
 * eBPF result through the fast and the checked interpreter, which must
 * agree and must never see a fault (converted programs are trusted).
 */
#ifndef BPFDEV_CBPF_RUN_H
#define BPFDEV_CBPF_RUN_H

#include <stdio.h>
#include <string.h>

#include "cbpf.h"
#include "interp.h"
#include "jit.h"
#include "opcodes.h"
#include "skb.h"

struct cbpf_prog {
	struct bpfdev_code	code;
	struct bpfdev_env	env;
	int			jit_err;	/* bpfdev_jit_compile() */
	char			msg[BPFDEV_CBPF_MSG_SIZE];
};

/*
 * 0 or the errno of bpfdev_cbpf_load(); p->msg says why.  jit_flags:
 * bpfdev_jit_compile()'s (BPFDEV_JIT_BLIND: constants blinded, as the
 * module compiles classic filters of callers without CAP_BPF).
 */
static inline int cbpf_prog_load_jit(struct cbpf_prog *p, const struct sock_filter *insns,
				     unsigned int len, u32 jit_flags)
{
	int err;

	memset(p, 0, sizeof(*p));
	err = bpfdev_cbpf_load(insns, len, &p->code, p->msg, sizeof(p->msg));
	if (err)
		return err;
	bpfdev_cbpf_env_init(&p->env);
	p->code.env = &p->env;
	/* The interpreters ignore the image: all three engines run. */
	p->jit_err = bpfdev_jit_compile(&p->code, jit_flags);
	return 0;
}

static inline int cbpf_prog_load(struct cbpf_prog *p, const struct sock_filter *insns,
				 unsigned int len)
{
	return cbpf_prog_load_jit(p, insns, len, 0);
}

static inline void cbpf_prog_free(struct cbpf_prog *p)
{
	if (p->code.jited)
		bpfdev_jit_free(&p->code);
	bpfdev_cbpf_release(&p->code);
}

/*
 * The shape any eBPF loader would demand of the converted program: known
 * opcodes, registers in range, r10 never written, every jump inside the
 * program, the last instruction an exit or a jump.  Returns the index of
 * the first bad instruction or -1.
 */
static inline int cbpf_ebpf_shape_bad(const struct bpfdev_code *code)
{
	u32 i;

	for (i = 0; i < code->len; i++) {
		const struct bpf_insn *in = &code->insns[i];
		u8 cls = BPF_CLASS(in->code);
		s64 target = (s64)i + 1 + in->off;

		if (!bpfdev_opcode_valid(in->code) || in->dst_reg > 10 ||
		    in->src_reg > 10)
			return i;
		if ((cls == BPF_ALU || cls == BPF_ALU64 || cls == BPF_LDX) &&
		    in->dst_reg == BPF_REG_10)
			return i;
		if (cls == BPF_JMP && BPF_OP(in->code) != BPF_CALL &&
		    BPF_OP(in->code) != BPF_EXIT &&
		    (target < 0 || target >= code->len))
			return i;
	}
	if (!code->len)
		return 0;
	i = code->len - 1;
	if (code->insns[i].code != (BPF_JMP | BPF_EXIT) &&
	    code->insns[i].code != (BPF_JMP | BPF_JA))
		return i;
	return -1;
}

struct cbpf_result {
	u64	fast;		/* bpfdev_interp_run() */
	u64	jit;		/* the JIT image (fast's value if none) */
	u64	checked;	/* bpfdev_interp_run_checked() */
	int	checked_err;	/* its errno: must be 0 */
	char	err[160];
};

/* Run p on skb through the fast and checked interpreters and the JIT. */
static inline void cbpf_prog_run(const struct cbpf_prog *p, const struct bpfdev_skb *skb,
				 struct cbpf_result *res)
{
	struct bpfdev_region regions[BPFDEV_SKB_REGIONS + 1];
	struct bpfdev_run_opts opts = {
		.sz = sizeof(opts),
		.skb = skb,
		.regions = regions,
	};
	u32 n;

	memset(res, 0, sizeof(*res));
	n = bpfdev_interp_skb_regions(skb, regions);
	/* hatype sits past the __sk_buff in the real context */
	regions[n++] = (struct bpfdev_region){
		.addr = (u64)(unsigned long)&skb->hatype,
		.len = sizeof(skb->hatype),
		.flags = BPFDEV_REGION_READ,
		.name = "hatype",
	};
	opts.nr_regions = n;
	opts.args[0] = (u64)(unsigned long)skb;
	opts.err = res->err;
	opts.err_size = sizeof(res->err);

	res->fast = bpfdev_interp_run(&p->code, skb);
	res->jit = p->code.jited ? p->code.jited((u64)(unsigned long)skb, 0) : res->fast;
	res->checked_err = bpfdev_interp_run_checked(&p->code, &opts, &res->checked);
}

/* A packet as a capture gives it: caplen bytes present, wirelen on the wire. */
static inline void cbpf_skb_capture(struct bpfdev_skb *skb, const void *data,
				    u32 caplen, u32 wirelen)
{
	bpfdev_skb_init_linear(skb, data, caplen);
	/*
	 * BPF_LEN reads the wire length, as libpcap's bpf_filter() does; bytes
	 * past caplen do not exist: with no load_bytes callback, loads beyond
	 * data_end fail like loads from a non-linear skb whose copy fails.
	 */
	skb->md.len = wirelen;
	skb->md.wire_len = wirelen;
}

#endif /* BPFDEV_CBPF_RUN_H */
