// SPDX-License-Identifier: GPL-2.0
/*
 * The classic BPF checker: the rules of the kernel's bpf_check_classic(),
 * chk_code_allowed() and check_load_and_stores().  Because every jump is
 * forward and lands inside the program, and the last instruction is a
 * return, every path ends in a return.
 */

#include "cbpf.h"

__printf(3, 4)
static int cbpf_reject(char *msg, size_t msg_size, const char *fmt, ...)
{
	va_list args;

	if (msg && msg_size) {
		va_start(args, fmt);
		vsnprintf(msg, msg_size, fmt, args);
		va_end(args);
	}
	return -EINVAL;
}

/* The opcodes the kernel accepts from userspace (chk_code_allowed()). */
static bool cbpf_code_allowed(u16 code)
{
	switch (code) {
	case BPF_ALU | BPF_ADD | BPF_K:
	case BPF_ALU | BPF_ADD | BPF_X:
	case BPF_ALU | BPF_SUB | BPF_K:
	case BPF_ALU | BPF_SUB | BPF_X:
	case BPF_ALU | BPF_MUL | BPF_K:
	case BPF_ALU | BPF_MUL | BPF_X:
	case BPF_ALU | BPF_DIV | BPF_K:
	case BPF_ALU | BPF_DIV | BPF_X:
	case BPF_ALU | BPF_MOD | BPF_K:
	case BPF_ALU | BPF_MOD | BPF_X:
	case BPF_ALU | BPF_AND | BPF_K:
	case BPF_ALU | BPF_AND | BPF_X:
	case BPF_ALU | BPF_OR | BPF_K:
	case BPF_ALU | BPF_OR | BPF_X:
	case BPF_ALU | BPF_XOR | BPF_K:
	case BPF_ALU | BPF_XOR | BPF_X:
	case BPF_ALU | BPF_LSH | BPF_K:
	case BPF_ALU | BPF_LSH | BPF_X:
	case BPF_ALU | BPF_RSH | BPF_K:
	case BPF_ALU | BPF_RSH | BPF_X:
	case BPF_ALU | BPF_NEG:
	case BPF_LD | BPF_W | BPF_ABS:
	case BPF_LD | BPF_H | BPF_ABS:
	case BPF_LD | BPF_B | BPF_ABS:
	case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LD | BPF_W | BPF_IND:
	case BPF_LD | BPF_H | BPF_IND:
	case BPF_LD | BPF_B | BPF_IND:
	case BPF_LD | BPF_IMM:
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_B | BPF_MSH:
	case BPF_LDX | BPF_IMM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
	case BPF_MISC | BPF_TAX:
	case BPF_MISC | BPF_TXA:
	case BPF_RET | BPF_K:
	case BPF_RET | BPF_A:
	case BPF_JMP | BPF_JA:
	case BPF_JMP | BPF_JEQ | BPF_K:
	case BPF_JMP | BPF_JEQ | BPF_X:
	case BPF_JMP | BPF_JGE | BPF_K:
	case BPF_JMP | BPF_JGE | BPF_X:
	case BPF_JMP | BPF_JGT | BPF_K:
	case BPF_JMP | BPF_JGT | BPF_X:
	case BPF_JMP | BPF_JSET | BPF_K:
	case BPF_JMP | BPF_JSET | BPF_X:
		return true;
	default:
		return false;
	}
}

static bool cbpf_is_cond_jump(u16 code)
{
	return BPF_CLASS(code) == BPF_JMP && BPF_OP(code) != BPF_JA;
}

bool bpfdev_cbpf_ancillary_known(u32 k)
{
	u32 ad = k - (u32)SKF_AD_OFF;

	/* SKF_AD_PROTOCOL .. SKF_AD_VLAN_TPID, as bpf_anc_helper() lists */
	return k >= (u32)SKF_AD_OFF && ad < SKF_AD_MAX && ad % 4 == 0;
}

static int cbpf_check_insn(const struct sock_filter *f, u32 pc, u32 len,
			   char *msg, size_t msg_size)
{
	if (!cbpf_code_allowed(f->code))
		return cbpf_reject(msg, msg_size, "insn %u: unknown opcode 0x%02x",
				   pc, f->code);

	switch (f->code) {
	case BPF_ALU | BPF_DIV | BPF_K:
	case BPF_ALU | BPF_MOD | BPF_K:
		if (f->k == 0)
			return cbpf_reject(msg, msg_size,
					   "insn %u: division by zero", pc);
		break;
	case BPF_ALU | BPF_LSH | BPF_K:
	case BPF_ALU | BPF_RSH | BPF_K:
		if (f->k >= 32)
			return cbpf_reject(msg, msg_size,
					   "insn %u: shift by %u", pc, f->k);
		break;
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
		if (f->k >= BPFDEV_CBPF_MEMWORDS)
			return cbpf_reject(msg, msg_size,
					   "insn %u: scratch slot M[%u] out of range",
					   pc, f->k);
		break;
	case BPF_JMP | BPF_JA:
		if (f->k >= len - pc - 1)
			return cbpf_reject(msg, msg_size,
					   "insn %u: jump out of range", pc);
		break;
	case BPF_LD | BPF_W | BPF_ABS:
	case BPF_LD | BPF_H | BPF_ABS:
	case BPF_LD | BPF_B | BPF_ABS:
		if (f->k >= (u32)SKF_AD_OFF && !bpfdev_cbpf_ancillary_known(f->k))
			return cbpf_reject(msg, msg_size,
					   "insn %u: unknown ancillary load %d",
					   pc, (s32)f->k);
		break;
	default:
		if (cbpf_is_cond_jump(f->code) &&
		    (pc + f->jt + 1 >= len || pc + f->jf + 1 >= len))
			return cbpf_reject(msg, msg_size,
					   "insn %u: jump out of range", pc);
		break;
	}
	return 0;
}

/*
 * No scratch slot is read before some store wrote it, on every path: the
 * interpreter does not clear M[] per packet.  masks[pc] holds the slots
 * written on every jump reaching pc (check_load_and_stores()).
 */
static int cbpf_check_scratch(const struct sock_filter *prog, u32 len,
			      char *msg, size_t msg_size)
{
	u16 *masks, valid = 0;
	int err = 0;
	u32 pc;

	masks = bpfdev_zalloc_array(len, sizeof(*masks));
	if (!masks)
		return -ENOMEM;
	memset(masks, 0xff, len * sizeof(*masks));

	for (pc = 0; pc < len; pc++) {
		const struct sock_filter *f = &prog[pc];

		valid &= masks[pc];
		switch (f->code) {
		case BPF_ST:
		case BPF_STX:
			valid |= 1U << f->k;
			break;
		case BPF_LD | BPF_MEM:
		case BPF_LDX | BPF_MEM:
			if (!(valid & (1U << f->k))) {
				err = cbpf_reject(msg, msg_size,
						  "insn %u: M[%u] read before written",
						  pc, f->k);
				goto out;
			}
			break;
		case BPF_JMP | BPF_JA:
			masks[pc + 1 + f->k] &= valid;
			valid = U16_MAX;
			break;
		default:
			if (cbpf_is_cond_jump(f->code)) {
				masks[pc + 1 + f->jt] &= valid;
				masks[pc + 1 + f->jf] &= valid;
				valid = U16_MAX;
			}
			break;
		}
	}
out:
	bpfdev_free(masks);
	return err;
}

int bpfdev_cbpf_validate(const struct sock_filter *prog, u32 len,
			 char *msg, size_t msg_size)
{
	u16 last;
	u32 pc;
	int err;

	if (msg && msg_size)
		msg[0] = '\0';
	if (!prog || len == 0 || len > BPFDEV_CBPF_MAXINSNS)
		return cbpf_reject(msg, msg_size,
				   "program length %u not in 1..%u",
				   len, BPFDEV_CBPF_MAXINSNS);

	for (pc = 0; pc < len; pc++) {
		err = cbpf_check_insn(&prog[pc], pc, len, msg, msg_size);
		if (err)
			return err;
	}

	last = prog[len - 1].code;
	if (last != (BPF_RET | BPF_K) && last != (BPF_RET | BPF_A))
		return cbpf_reject(msg, msg_size,
				   "insn %u: last instruction is not ret", len - 1);

	return cbpf_check_scratch(prog, len, msg, msg_size);
}
