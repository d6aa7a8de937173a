// SPDX-License-Identifier: GPL-2.0
/*
 * The eBPF disassembler; see disasm.h.  The operator names come from the
 * opcode list in opcodes.h, the helper names from the kernel's
 * __BPF_FUNC_MAPPER, and the line shapes are those of the kernel's
 * print_bpf_insn(), character for character.
 */

#include "disasm.h"
#include "isa.h"
#include "log.h"
#include "opcodes.h"
#include "verifier.h"

#define HELPER_NAME(x)	[BPF_FUNC_##x] = "bpf_" #x
static const char * const helper_names[] = {
	__BPF_FUNC_MAPPER(HELPER_NAME)
};
#undef HELPER_NAME

#define OPCODE_NAME(label, code, name)	[code] = name,
static const char * const opcode_names[256] = {
	BPFDEV_OPCODES(OPCODE_NAME)
};
#undef OPCODE_NAME

/* "bpf_map_lookup_elem" for 1; NULL for an id no helper has. */
static const char *helper_name(s32 id)
{
	if (id >= 0 && id < (s32)ARRAY_SIZE(helper_names))
		return helper_names[id];
	if (id == BPFDEV_FUNC_skb_pay_offset)
		return "bpfdev_skb_pay_offset";
	return NULL;
}

struct dbuf {
	char	*buf;
	size_t	size;
};

static __printf(2, 3) void dprint(struct dbuf *d, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vsnprintf(d->buf, d->size, fmt, args);
	va_end(args);
}

/* The size name of a load or store: "u32", or "s16" for MEMSX. */
static const char *size_name(u8 mode, u8 code)
{
	static const char * const unsigned_names[] = {
		[BPF_W >> 3] = "u32", [BPF_H >> 3] = "u16",
		[BPF_B >> 3] = "u8", [BPF_DW >> 3] = "u64",
	};
	const char *name = opcode_names[BPF_LDX | mode | BPF_SIZE(code)];

	return name ? name : unsigned_names[BPF_SIZE(code) >> 3];
}

/* The ALU operator of op, as the 64-bit register form names it. */
static const char *alu_name(u8 op)
{
	const char *name = opcode_names[BPF_ALU64 | BPF_OP(op) | BPF_X];

	return name ? name : "?";
}

static void print_alu(struct dbuf *d, const struct bpf_insn *insn)
{
	u8 class = BPF_CLASS(insn->code), op = BPF_OP(insn->code);
	char r = class == BPF_ALU ? 'w' : 'r';
	bool signed_op = (op == BPF_DIV || op == BPF_MOD) && insn->off == 1;
	bool movsx = op == BPF_MOV && (insn->off == 8 || insn->off == 16 ||
				       insn->off == 32);
	static const char * const movsx_names[] = {
		[0] = "(s8)", [1] = "(s16)", [3] = "(s32)",
	};

	if (op == BPF_END) {
		if (class == BPF_ALU64)
			dprint(d, "(%02x) r%d = bswap%d r%d", insn->code,
			       insn->dst_reg, insn->imm, insn->dst_reg);
		else
			dprint(d, "(%02x) r%d = %s%d r%d", insn->code,
			       insn->dst_reg,
			       BPF_SRC(insn->code) == BPF_TO_BE ? "be" : "le",
			       insn->imm, insn->dst_reg);
	} else if (op == BPF_NEG) {
		dprint(d, "(%02x) %c%d = -%c%d", insn->code, r, insn->dst_reg,
		       r, insn->dst_reg);
	} else if (BPF_SRC(insn->code) == BPF_X) {
		dprint(d, "(%02x) %c%d %s%s %s%c%d", insn->code, r,
		       insn->dst_reg, signed_op ? "s" : "", alu_name(op),
		       movsx ? movsx_names[(insn->off >> 3) - 1] : "", r,
		       insn->src_reg);
	} else {
		dprint(d, "(%02x) %c%d %s%s %d", insn->code, r, insn->dst_reg,
		       signed_op ? "s" : "", alu_name(op), insn->imm);
	}
}

static void print_atomic(struct dbuf *d, const struct bpf_insn *insn)
{
	static const char * const fetch_names[16] = {
		[BPF_ADD >> 4] = "add", [BPF_AND >> 4] = "and",
		[BPF_OR >> 4] = "or", [BPF_XOR >> 4] = "xor",
	};
	const char *size = size_name(BPF_MEM, insn->code);
	const char *bits = BPF_SIZE(insn->code) == BPF_DW ? "64" : "";
	s32 imm = insn->imm;

	switch (imm) {
	case BPF_ADD:
	case BPF_AND:
	case BPF_OR:
	case BPF_XOR:
		dprint(d, "(%02x) lock *(%s *)(r%d %+d) %s r%d", insn->code,
		       size, insn->dst_reg, insn->off, alu_name(imm),
		       insn->src_reg);
		break;
	case BPF_ADD | BPF_FETCH:
	case BPF_AND | BPF_FETCH:
	case BPF_OR | BPF_FETCH:
	case BPF_XOR | BPF_FETCH:
		dprint(d, "(%02x) r%d = atomic%s_fetch_%s((%s *)(r%d %+d), r%d)",
		       insn->code, insn->src_reg, bits,
		       fetch_names[BPF_OP(imm) >> 4], size, insn->dst_reg,
		       insn->off, insn->src_reg);
		break;
	case BPF_CMPXCHG:
		dprint(d, "(%02x) r0 = atomic%s_cmpxchg((%s *)(r%d %+d), r0, r%d)",
		       insn->code, bits, size, insn->dst_reg, insn->off,
		       insn->src_reg);
		break;
	case BPF_XCHG:
		dprint(d, "(%02x) r%d = atomic%s_xchg((%s *)(r%d %+d), r%d)",
		       insn->code, insn->src_reg, bits, size, insn->dst_reg,
		       insn->off, insn->src_reg);
		break;
	default:
		dprint(d, "BUG_%02x", insn->code);
	}
}

static void print_ldst(struct dbuf *d, const struct bpf_insn *insn)
{
	u8 class = BPF_CLASS(insn->code), mode = BPF_MODE(insn->code);

	if (class == BPF_STX && mode == BPF_MEM)
		dprint(d, "(%02x) *(%s *)(r%d %+d) = r%d", insn->code,
		       size_name(BPF_MEM, insn->code), insn->dst_reg,
		       insn->off, insn->src_reg);
	else if (class == BPF_STX && mode == BPF_ATOMIC)
		print_atomic(d, insn);
	else if (class == BPF_STX)
		dprint(d, "BUG_%02x", insn->code);
	else if (class == BPF_ST && mode == BPF_MEM)
		dprint(d, "(%02x) *(%s *)(r%d %+d) = %d", insn->code,
		       size_name(BPF_MEM, insn->code), insn->dst_reg,
		       insn->off, insn->imm);
	else if (insn->code == BPFDEV_ST_NOSPEC)
		dprint(d, "(%02x) nospec", insn->code);
	else if (class == BPF_ST)
		dprint(d, "BUG_st_%02x", insn->code);
	else if (mode == BPF_MEM || mode == BPF_MEMSX)
		dprint(d, "(%02x) r%d = *(%s *)(r%d %+d)", insn->code,
		       insn->dst_reg, size_name(mode, insn->code),
		       insn->src_reg, insn->off);
	else
		dprint(d, "BUG_ldx_%02x", insn->code);
}

static u32 print_ld(struct dbuf *d, const struct bpf_insn *insn, u32 left)
{
	u8 mode = BPF_MODE(insn->code);
	u64 imm;

	if (mode == BPF_IMM && BPF_SIZE(insn->code) == BPF_DW && left >= 2) {
		imm = ((u64)(u32)insn[1].imm << 32) | (u32)insn->imm;
		dprint(d, "(%02x) r%d = 0x%llx", insn->code, insn->dst_reg,
		       (unsigned long long)imm);
		return 2;
	}
	if (mode == BPF_ABS)
		dprint(d, "(%02x) r0 = *(%s *)skb[%d]", insn->code,
		       size_name(BPF_MEM, insn->code), insn->imm);
	else if (mode == BPF_IND)
		dprint(d, "(%02x) r0 = *(%s *)skb[r%d + %d]", insn->code,
		       size_name(BPF_MEM, insn->code), insn->src_reg,
		       insn->imm);
	else
		dprint(d, "BUG_ld_%02x", insn->code);
	return 1;
}

static void print_call(struct dbuf *d, const struct bpf_insn *insn)
{
	const char *name;

	if (insn->code == BPF_CALLX) {
		/* No kernel prints callx yet: LLVM's syntax. */
		dprint(d, "(%02x) callx r%d", insn->code, insn->dst_reg);
	} else if (insn->src_reg == BPF_PSEUDO_CALL) {
		dprint(d, "(%02x) call pc%+d", insn->code, insn->imm);
	} else {
		name = insn->src_reg == 0 ? helper_name(insn->imm) : NULL;
		if (!name)
			name = insn->src_reg == BPF_PSEUDO_KFUNC_CALL ?
				"kernel-function" : "unknown";
		dprint(d, "(%02x) call %s#%d", insn->code, name, insn->imm);
	}
}

static void print_jmp(struct dbuf *d, const struct bpf_insn *insn)
{
	u8 class = BPF_CLASS(insn->code), op = BPF_OP(insn->code);
	char r = class == BPF_JMP32 ? 'w' : 'r';
	const char *name = opcode_names[BPF_JMP | op | BPF_X];

	if (op == BPF_CALL)
		print_call(d, insn);
	else if (insn->code == (BPF_JMP | BPF_JA))
		dprint(d, "(%02x) goto pc%+d", insn->code, insn->off);
	else if (insn->code == BPF_JA32)
		dprint(d, "(%02x) gotol pc%+d", insn->code, insn->imm);
	else if (insn->code == (BPF_JMP | BPF_EXIT))
		dprint(d, "(%02x) exit", insn->code);
	else if (BPF_SRC(insn->code) == BPF_X)
		dprint(d, "(%02x) if %c%d %s %c%d goto pc%+d", insn->code, r,
		       insn->dst_reg, name ? name : "?", r, insn->src_reg,
		       insn->off);
	else
		dprint(d, "(%02x) if %c%d %s 0x%x goto pc%+d", insn->code, r,
		       insn->dst_reg, name ? name : "?", insn->imm, insn->off);
}

u32 bpfdev_disasm_insn(const struct bpf_insn *insns, u32 left, char *buf,
		       size_t size)
{
	struct dbuf d = { .buf = buf, .size = size };

	if (!size)
		return 1;
	buf[0] = '\0';
	switch (BPF_CLASS(insns->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		print_alu(&d, insns);
		return 1;
	case BPF_LDX:
	case BPF_ST:
	case BPF_STX:
		print_ldst(&d, insns);
		return 1;
	case BPF_LD:
		return print_ld(&d, insns, left);
	default:
		print_jmp(&d, insns);
		return 1;
	}
}

u32 bpfdev_disasm_log(struct bpfdev_log *log, const struct bpf_insn *insns,
		      u32 len, u32 idx)
{
	char line[128];
	u32 n;

	n = bpfdev_disasm_insn(&insns[idx], len - idx, line, sizeof(line));
	bpfdev_log_write(log, "%u: %s\n", idx, line);
	return n;
}
