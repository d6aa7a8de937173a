// SPDX-License-Identifier: GPL-2.0
/*
 * Classic BPF to eBPF, as the kernel's bpf_convert_filter() does it, so a
 * classic program runs on the one eBPF engine (interpreter or JIT).
 *
 * The context is struct bpfdev_skb.  Packet loads stay legacy LD_ABS and
 * LD_IND, which end the program with 0 when the bytes are not there;
 * ancillary loads read the context or call a helper.  Nothing else can
 * fail at run time except a division by X == 0, which the classic
 * semantics also end with 0, so the converter emits that test.
 */

#include "cbpf.h"
#include "skb.h"

#define A	BPFDEV_CBPF_REG_A
#define X	BPFDEV_CBPF_REG_X
#define TMP	BPFDEV_CBPF_REG_TMP
#define CTX	BPFDEV_CBPF_REG_CTX

/* The longest expansion of one classic instruction (ldxb msh: 6). */
#define CBPF_MAX_EXPAND	8
#define CBPF_PROLOGUE	3

struct cbpf_conv {
	const struct sock_filter *prog;
	u32		len;
	const u32	*addrs;		/* eBPF index of each classic insn; NULL: sizing */
	u32		stack_depth;
};

/* Returns the eBPF offset from out[at] (at the classic pc's base) to target. */
static int cbpf_jump_off(const struct cbpf_conv *c, u32 pc, u32 at,
			 u32 target, s16 *off)
{
	s64 d;

	if (target >= c->len)
		return -EINVAL;
	if (!c->addrs) {
		*off = 0;
		return 0;
	}
	d = (s64)c->addrs[target] - (s64)(c->addrs[pc] + at) - 1;
	if (d < S16_MIN || d > S16_MAX)
		return -EINVAL;
	*off = (s16)d;
	return 0;
}

#define SKB_MD(field)	offsetof(struct __sk_buff, field)

/* A = a context field (LDX_MEM), or a helper's result. */
static int cbpf_ancillary(const struct sock_filter *f, struct bpf_insn *out)
{
	struct bpf_insn *insn = out;

	switch (f->k - (u32)SKF_AD_OFF) {
	case SKF_AD_PROTOCOL:
		/* md.protocol holds the __be16 as skb->protocol: A = ntohs() */
		*insn++ = INSN_LDX_MEM(BPF_W, A, CTX, SKB_MD(protocol));
		*insn++ = INSN_ENDIAN(BPF_TO_BE, A, 16);
		break;
	case SKF_AD_PKTTYPE:
		*insn++ = INSN_LDX_MEM(BPF_W, A, CTX, SKB_MD(pkt_type));
		break;
	case SKF_AD_IFINDEX:
		*insn++ = INSN_LDX_MEM(BPF_W, A, CTX, SKB_MD(ifindex));
		break;
	case SKF_AD_MARK:
		*insn++ = INSN_LDX_MEM(BPF_W, A, CTX, SKB_MD(mark));
		break;
	case SKF_AD_QUEUE:
		*insn++ = INSN_LDX_MEM(BPF_W, A, CTX, SKB_MD(queue_mapping));
		break;
	case SKF_AD_HATYPE:
		*insn++ = INSN_LDX_MEM(BPF_H, A, CTX,
				       offsetof(struct bpfdev_skb, hatype));
		break;
	case SKF_AD_RXHASH:
		*insn++ = INSN_LDX_MEM(BPF_W, A, CTX, SKB_MD(hash));
		break;
	case SKF_AD_VLAN_TAG:
		*insn++ = INSN_LDX_MEM(BPF_W, A, CTX, SKB_MD(vlan_tci));
		break;
	case SKF_AD_VLAN_TAG_PRESENT:
		*insn++ = INSN_LDX_MEM(BPF_W, A, CTX, SKB_MD(vlan_present));
		break;
	case SKF_AD_VLAN_TPID:
		*insn++ = INSN_LDX_MEM(BPF_W, A, CTX, SKB_MD(vlan_proto));
		*insn++ = INSN_ENDIAN(BPF_TO_BE, A, 16);
		break;
	case SKF_AD_ALU_XOR_X:
		*insn++ = INSN_ALU32_REG(BPF_XOR, A, X);
		break;
	case SKF_AD_NLATTR:
	case SKF_AD_NLATTR_NEST:
		/* A packet socket holds no netlink message: no attribute. */
		*insn++ = INSN_MOV32_IMM(A, 0);
		break;
	case SKF_AD_PAY_OFFSET:
		*insn++ = INSN_MOV64_REG(BPF_REG_1, CTX);
		*insn++ = INSN_CALL(BPFDEV_FUNC_skb_pay_offset);
		break;
	case SKF_AD_CPU:
		*insn++ = INSN_CALL(BPF_FUNC_get_smp_processor_id);
		break;
	case SKF_AD_RANDOM:
		*insn++ = INSN_CALL(BPF_FUNC_get_prandom_u32);
		break;
	default:
		return -EINVAL;
	}
	return insn - out;
}

static int cbpf_load(const struct sock_filter *f, struct bpf_insn *out)
{
	u8 size = BPF_SIZE(f->code);

	if (BPF_MODE(f->code) == BPF_ABS) {
		if (f->k >= (u32)SKF_AD_OFF)
			return cbpf_ancillary(f, out);
		out[0] = INSN_LD_ABS(size, (s32)f->k);
	} else {
		out[0] = INSN_LD_IND(size, X, (s32)f->k);
	}
	return 1;
}

static int cbpf_alu(const struct sock_filter *f, struct bpf_insn *out)
{
	struct bpf_insn *insn = out;
	u8 op = BPF_OP(f->code);

	if (op == BPF_NEG) {
		*insn++ = INSN(BPF_ALU | BPF_NEG | BPF_K, A, 0, 0, 0);
		return insn - out;
	}
	if (BPF_SRC(f->code) == BPF_K) {
		*insn++ = INSN_ALU32_IMM(op, A, (s32)f->k);
		return insn - out;
	}
	if (op == BPF_DIV || op == BPF_MOD) {
		/* Classic division by zero ends the program with 0. */
		*insn++ = INSN_JMP_IMM(BPF_JNE, X, 0, 2);
		*insn++ = INSN_MOV32_IMM(A, 0);
		*insn++ = INSN_EXIT();
	}
	*insn++ = INSN_ALU32_REG(op, A, X);
	return insn - out;
}

/*
 * A conditional jump: one eBPF jump when a branch is the next insn, else a
 * jump and a JA.  A negative k would be sign-extended by eBPF, so the
 * zero-extended constant goes through TMP.
 */
static int cbpf_cond_jump(const struct cbpf_conv *c, u32 pc,
			  struct bpf_insn *out)
{
	const struct sock_filter *f = &c->prog[pc];
	struct bpf_insn *insn = out;
	u8 op = BPF_OP(f->code), src = BPF_SRC(f->code);
	u8 src_reg = src == BPF_X ? X : 0;
	s32 imm = 0;
	s16 off;

	if (src == BPF_K && (s32)f->k < 0) {
		*insn++ = INSN_MOV32_IMM(TMP, (s32)f->k);
		src = BPF_X;
		src_reg = TMP;
	} else if (src == BPF_K) {
		imm = (s32)f->k;
	}

	if (f->jt != 0 && f->jf == 0) {
		if (cbpf_jump_off(c, pc, insn - out, pc + 1 + f->jt, &off))
			return -EINVAL;
		*insn++ = INSN(BPF_JMP | op | src, A, src_reg, off, imm);
		return insn - out;
	}
	if (f->jt == 0 && op != BPF_JSET) {
		u8 inv = op == BPF_JEQ ? BPF_JNE : op == BPF_JGT ? BPF_JLE : BPF_JLT;

		if (cbpf_jump_off(c, pc, insn - out, pc + 1 + f->jf, &off))
			return -EINVAL;
		*insn++ = INSN(BPF_JMP | inv | src, A, src_reg, off, imm);
		return insn - out;
	}
	if (cbpf_jump_off(c, pc, insn - out, pc + 1 + f->jt, &off))
		return -EINVAL;
	*insn++ = INSN(BPF_JMP | op | src, A, src_reg, off, imm);
	if (cbpf_jump_off(c, pc, insn - out, pc + 1 + f->jf, &off))
		return -EINVAL;
	*insn++ = INSN_JMP_A(off);
	return insn - out;
}

static s16 cbpf_mem_off(u32 k)
{
	return -(s16)(k * 4 + 4);
}

/* Emit classic insn pc into out; returns the count or -EINVAL. */
static int cbpf_convert_insn(struct cbpf_conv *c, u32 pc, struct bpf_insn *out)
{
	const struct sock_filter *f = &c->prog[pc];
	struct bpf_insn *insn = out;
	s16 off;

	switch (f->code) {
	case BPF_ALU | BPF_ADD | BPF_X:
	case BPF_ALU | BPF_ADD | BPF_K:
	case BPF_ALU | BPF_SUB | BPF_X:
	case BPF_ALU | BPF_SUB | BPF_K:
	case BPF_ALU | BPF_MUL | BPF_X:
	case BPF_ALU | BPF_MUL | BPF_K:
	case BPF_ALU | BPF_DIV | BPF_X:
	case BPF_ALU | BPF_DIV | BPF_K:
	case BPF_ALU | BPF_MOD | BPF_X:
	case BPF_ALU | BPF_MOD | BPF_K:
	case BPF_ALU | BPF_AND | BPF_X:
	case BPF_ALU | BPF_AND | BPF_K:
	case BPF_ALU | BPF_OR | BPF_X:
	case BPF_ALU | BPF_OR | BPF_K:
	case BPF_ALU | BPF_XOR | BPF_X:
	case BPF_ALU | BPF_XOR | BPF_K:
	case BPF_ALU | BPF_LSH | BPF_X:
	case BPF_ALU | BPF_LSH | BPF_K:
	case BPF_ALU | BPF_RSH | BPF_X:
	case BPF_ALU | BPF_RSH | BPF_K:
	case BPF_ALU | BPF_NEG:
		return cbpf_alu(f, out);

	case BPF_LD | BPF_W | BPF_ABS:
	case BPF_LD | BPF_H | BPF_ABS:
	case BPF_LD | BPF_B | BPF_ABS:
	case BPF_LD | BPF_W | BPF_IND:
	case BPF_LD | BPF_H | BPF_IND:
	case BPF_LD | BPF_B | BPF_IND:
		return cbpf_load(f, out);

	case BPF_JMP | BPF_JA:
		if (cbpf_jump_off(c, pc, 0, pc + 1 + f->k, &off))
			return -EINVAL;
		*insn++ = INSN_JMP_A(off);
		break;

	case BPF_JMP | BPF_JEQ | BPF_K:
	case BPF_JMP | BPF_JEQ | BPF_X:
	case BPF_JMP | BPF_JGT | BPF_K:
	case BPF_JMP | BPF_JGT | BPF_X:
	case BPF_JMP | BPF_JGE | BPF_K:
	case BPF_JMP | BPF_JGE | BPF_X:
	case BPF_JMP | BPF_JSET | BPF_K:
	case BPF_JMP | BPF_JSET | BPF_X:
		return cbpf_cond_jump(c, pc, out);

	case BPF_LDX | BPF_B | BPF_MSH:
		/* X = 4 * (pkt[k] & 0xf); A survives in TMP */
		*insn++ = INSN_MOV64_REG(TMP, A);
		*insn++ = INSN_LD_ABS(BPF_B, (s32)f->k);
		*insn++ = INSN_ALU32_IMM(BPF_AND, A, 0xf);
		*insn++ = INSN_ALU32_IMM(BPF_LSH, A, 2);
		*insn++ = INSN_MOV64_REG(X, A);
		*insn++ = INSN_MOV64_REG(A, TMP);
		break;

	case BPF_RET | BPF_K:
		*insn++ = INSN_MOV32_IMM(A, (s32)f->k);
		*insn++ = INSN_EXIT();
		break;
	case BPF_RET | BPF_A:
		*insn++ = INSN_EXIT();
		break;

	case BPF_ST:
	case BPF_STX:
		if (f->k >= BPFDEV_CBPF_MEMWORDS)
			return -EINVAL;
		*insn++ = INSN_STX_MEM(BPF_W, BPF_REG_10,
				       f->code == BPF_ST ? A : X, cbpf_mem_off(f->k));
		/* Loads only follow stores (validated): stores size the stack. */
		c->stack_depth = max_t(u32, c->stack_depth, f->k * 4 + 4);
		break;
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
		if (f->k >= BPFDEV_CBPF_MEMWORDS)
			return -EINVAL;
		*insn++ = INSN_LDX_MEM(BPF_W, BPF_CLASS(f->code) == BPF_LD ? A : X,
				       BPF_REG_10, cbpf_mem_off(f->k));
		break;

	case BPF_LD | BPF_IMM:
	case BPF_LDX | BPF_IMM:
		*insn++ = INSN_MOV32_IMM(BPF_CLASS(f->code) == BPF_LD ? A : X,
					 (s32)f->k);
		break;
	case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_W | BPF_LEN:
		*insn++ = INSN_LDX_MEM(BPF_W, BPF_CLASS(f->code) == BPF_LD ? A : X,
				       CTX, SKB_MD(len));
		break;

	case BPF_MISC | BPF_TAX:
		*insn++ = INSN_MOV64_REG(X, A);
		break;
	case BPF_MISC | BPF_TXA:
		*insn++ = INSN_MOV64_REG(A, X);
		break;

	default:
		return -EINVAL;
	}
	return insn - out;
}

static void cbpf_prologue(struct bpf_insn *out)
{
	/*
	 * Classic programs start with A = X = 0.  The kernel clears them with
	 * xor; a move is as cheap and reads no uninitialised register, so
	 * the eBPF verifier accepts the converted program too.
	 */
	out[0] = INSN_MOV32_IMM(A, 0);
	out[1] = INSN_MOV32_IMM(X, 0);
	/* LD_ABS/LD_IND and the helpers find the context in R6. */
	out[2] = INSN_MOV64_REG(CTX, BPF_REG_1);
}

/*
 * One pass over the program: with c->addrs NULL it fills addrs (when
 * given) and counts; otherwise it writes out.
 */
static int cbpf_pass(struct cbpf_conv *c, u32 *addrs, struct bpf_insn *out,
		     u32 out_len)
{
	struct bpf_insn tmp[CBPF_MAX_EXPAND];
	u32 n = CBPF_PROLOGUE, pc;
	int cnt;

	if (out) {
		if (out_len < CBPF_PROLOGUE)
			return -ENOSPC;
		cbpf_prologue(out);
	}
	for (pc = 0; pc < c->len; pc++) {
		if (addrs)
			addrs[pc] = n;
		cnt = cbpf_convert_insn(c, pc, tmp);
		if (cnt < 0)
			return cnt;
		if (out) {
			if (n + cnt > out_len)
				return -ENOSPC;
			memcpy(out + n, tmp, cnt * sizeof(*tmp));
		}
		n += cnt;
	}
	return n;
}

int bpfdev_cbpf_convert_len(const struct sock_filter *prog, u32 len)
{
	struct cbpf_conv c = { .prog = prog, .len = len };

	if (!prog || len == 0 || len > BPFDEV_CBPF_MAXINSNS)
		return -EINVAL;
	return cbpf_pass(&c, NULL, NULL, 0);
}

int bpfdev_cbpf_convert(const struct sock_filter *prog, u32 len,
			struct bpf_insn *out, u32 out_len, u32 *stack_depth)
{
	struct cbpf_conv c = { .prog = prog, .len = len };
	u32 *addrs;
	int n;

	if (!prog || len == 0 || len > BPFDEV_CBPF_MAXINSNS)
		return -EINVAL;
	addrs = bpfdev_zalloc_array(len, sizeof(*addrs));
	if (!addrs)
		return -ENOMEM;
	n = cbpf_pass(&c, addrs, NULL, 0);
	if (n >= 0) {
		c.addrs = addrs;
		c.stack_depth = 0;
		n = cbpf_pass(&c, NULL, out, out_len);
	}
	bpfdev_free(addrs);
	if (n >= 0 && stack_depth)
		*stack_depth = c.stack_depth;
	return n;
}

int bpfdev_cbpf_load(const struct sock_filter *prog, u32 len,
		     struct bpfdev_code *code, char *msg, size_t msg_size)
{
	struct bpf_insn *insns;
	u32 depth = 0;
	int n, err;

	err = bpfdev_cbpf_validate(prog, len, msg, msg_size);
	if (err)
		return err;
	n = bpfdev_cbpf_convert_len(prog, len);
	if (n < 0)
		goto too_far;
	insns = bpfdev_zalloc_array(n, sizeof(*insns));
	if (!insns)
		return -ENOMEM;
	err = bpfdev_cbpf_convert(prog, len, insns, n, &depth);
	if (err < 0) {
		bpfdev_free(insns);
		if (err != -EINVAL)
			return err;
		goto too_far;
	}
	memset(code, 0, sizeof(*code));
	code->insns = insns;
	code->len = n;
	code->type = BPF_PROG_TYPE_SOCKET_FILTER;
	code->stack_depth = depth;
	return 0;

too_far:
	if (msg && msg_size)
		snprintf(msg, msg_size,
			 "program too large: a jump exceeds the eBPF offset range");
	return -EINVAL;
}

void bpfdev_cbpf_release(struct bpfdev_code *code)
{
	bpfdev_free(code->insns);
	code->insns = NULL;
	code->len = 0;
}

static u64 cbpf_pay_offset(u64 ctx, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return bpfdev_skb_pay_offset((const struct bpfdev_skb *)(unsigned long)ctx);
}

static u64 cbpf_cpu_id(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return bpfdev_cpu_id();
}

static u64 cbpf_prandom_u32(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return bpfdev_prandom_u32();
}

void bpfdev_cbpf_env_init(struct bpfdev_env *env)
{
	if (!env->helpers[BPFDEV_FUNC_skb_pay_offset])
		env->helpers[BPFDEV_FUNC_skb_pay_offset] = cbpf_pay_offset;
	if (!env->helpers[BPF_FUNC_get_smp_processor_id])
		env->helpers[BPF_FUNC_get_smp_processor_id] = cbpf_cpu_id;
	if (!env->helpers[BPF_FUNC_get_prandom_u32])
		env->helpers[BPF_FUNC_get_prandom_u32] = cbpf_prandom_u32;
}
