// SPDX-License-Identifier: GPL-2.0
/*
 * Classic programs as text, byte for byte what libpcap prints: bpf_image()
 * for tcpdump -d and bpf_dump() for -dd and -ddd, so a capture tool and
 * its tests can hold the two side by side.
 */

#include "cbpf.h"

enum cbpf_operand {
	OPND_NONE,	/* "" */
	OPND_DEC,	/* "#%d" */
	OPND_HEX,	/* "#0x%x" */
	OPND_PKT,	/* "[%d]", or an ancillary name */
	OPND_IND,	/* "[x + %d]" */
	OPND_MEM,	/* "M[%d]" */
	OPND_MSH,	/* "4*([%d]&0xf)" */
	OPND_LEN,	/* "#pktlen" */
	OPND_X,		/* "x" */
	OPND_JA,	/* "%d": the target */
};

struct cbpf_mnemonic {
	const char	*op;
	u8		operand;
};

/* libpcap's bpf_image() table; missing codes print as "unimp". */
static const struct cbpf_mnemonic cbpf_mnemonics[256] = {
	[BPF_RET | BPF_K]		= { "ret", OPND_DEC },
	[BPF_RET | BPF_A]		= { "ret", OPND_NONE },
	[BPF_LD | BPF_W | BPF_ABS]	= { "ld", OPND_PKT },
	[BPF_LD | BPF_H | BPF_ABS]	= { "ldh", OPND_PKT },
	[BPF_LD | BPF_B | BPF_ABS]	= { "ldb", OPND_PKT },
	[BPF_LD | BPF_W | BPF_LEN]	= { "ld", OPND_LEN },
	[BPF_LD | BPF_W | BPF_IND]	= { "ld", OPND_IND },
	[BPF_LD | BPF_H | BPF_IND]	= { "ldh", OPND_IND },
	[BPF_LD | BPF_B | BPF_IND]	= { "ldb", OPND_IND },
	[BPF_LD | BPF_IMM]		= { "ld", OPND_HEX },
	[BPF_LDX | BPF_IMM]		= { "ldx", OPND_HEX },
	[BPF_LDX | BPF_MSH | BPF_B]	= { "ldxb", OPND_MSH },
	[BPF_LD | BPF_MEM]		= { "ld", OPND_MEM },
	[BPF_LDX | BPF_MEM]		= { "ldx", OPND_MEM },
	[BPF_ST]			= { "st", OPND_MEM },
	[BPF_STX]			= { "stx", OPND_MEM },
	[BPF_JMP | BPF_JA]		= { "ja", OPND_JA },
	[BPF_JMP | BPF_JGT | BPF_K]	= { "jgt", OPND_HEX },
	[BPF_JMP | BPF_JGE | BPF_K]	= { "jge", OPND_HEX },
	[BPF_JMP | BPF_JEQ | BPF_K]	= { "jeq", OPND_HEX },
	[BPF_JMP | BPF_JSET | BPF_K]	= { "jset", OPND_HEX },
	[BPF_JMP | BPF_JGT | BPF_X]	= { "jgt", OPND_X },
	[BPF_JMP | BPF_JGE | BPF_X]	= { "jge", OPND_X },
	[BPF_JMP | BPF_JEQ | BPF_X]	= { "jeq", OPND_X },
	[BPF_JMP | BPF_JSET | BPF_X]	= { "jset", OPND_X },
	[BPF_ALU | BPF_ADD | BPF_X]	= { "add", OPND_X },
	[BPF_ALU | BPF_SUB | BPF_X]	= { "sub", OPND_X },
	[BPF_ALU | BPF_MUL | BPF_X]	= { "mul", OPND_X },
	[BPF_ALU | BPF_DIV | BPF_X]	= { "div", OPND_X },
	[BPF_ALU | BPF_MOD | BPF_X]	= { "mod", OPND_X },
	[BPF_ALU | BPF_AND | BPF_X]	= { "and", OPND_X },
	[BPF_ALU | BPF_OR | BPF_X]	= { "or", OPND_X },
	[BPF_ALU | BPF_XOR | BPF_X]	= { "xor", OPND_X },
	[BPF_ALU | BPF_LSH | BPF_X]	= { "lsh", OPND_X },
	[BPF_ALU | BPF_RSH | BPF_X]	= { "rsh", OPND_X },
	[BPF_ALU | BPF_ADD | BPF_K]	= { "add", OPND_DEC },
	[BPF_ALU | BPF_SUB | BPF_K]	= { "sub", OPND_DEC },
	[BPF_ALU | BPF_MUL | BPF_K]	= { "mul", OPND_DEC },
	[BPF_ALU | BPF_DIV | BPF_K]	= { "div", OPND_DEC },
	[BPF_ALU | BPF_MOD | BPF_K]	= { "mod", OPND_DEC },
	[BPF_ALU | BPF_AND | BPF_K]	= { "and", OPND_HEX },
	[BPF_ALU | BPF_OR | BPF_K]	= { "or", OPND_HEX },
	[BPF_ALU | BPF_XOR | BPF_K]	= { "xor", OPND_HEX },
	[BPF_ALU | BPF_LSH | BPF_K]	= { "lsh", OPND_DEC },
	[BPF_ALU | BPF_RSH | BPF_K]	= { "rsh", OPND_DEC },
	[BPF_ALU | BPF_NEG]		= { "neg", OPND_NONE },
	[BPF_MISC | BPF_TAX]		= { "tax", OPND_NONE },
	[BPF_MISC | BPF_TXA]		= { "txa", OPND_NONE },
};

/* libpcap's names for the Linux ancillary offsets, by SKF_AD_* / 4. */
static const char *const cbpf_ancillary_names[SKF_AD_MAX / 4] = {
	"proto", "type", "ifidx", "nla", "nlan", "mark", "queue", "hatype",
	"rxhash", "cpu", "xor_x", "vlan_tci", "vlanp", "poff", "random",
	"vlan_tpid",
};

static void cbpf_operand(const struct sock_filter *f, u32 n, u8 kind,
			 char *buf, size_t size)
{
	s32 k = (s32)f->k;

	switch (kind) {
	case OPND_DEC:
		snprintf(buf, size, "#%d", k);
		break;
	case OPND_HEX:
		snprintf(buf, size, "#0x%x", f->k);
		break;
	case OPND_PKT:
		if (bpfdev_cbpf_ancillary_known(f->k))
			snprintf(buf, size, "[%s]",
				 cbpf_ancillary_names[(f->k - (u32)SKF_AD_OFF) / 4]);
		else
			snprintf(buf, size, "[%d]", k);
		break;
	case OPND_IND:
		snprintf(buf, size, "[x + %d]", k);
		break;
	case OPND_MEM:
		snprintf(buf, size, "M[%d]", k);
		break;
	case OPND_MSH:
		snprintf(buf, size, "4*([%d]&0xf)", k);
		break;
	case OPND_LEN:
		snprintf(buf, size, "#pktlen");
		break;
	case OPND_X:
		snprintf(buf, size, "x");
		break;
	case OPND_JA:
		snprintf(buf, size, "%d", (s32)(n + 1 + f->k));
		break;
	default:
		buf[0] = '\0';
		break;
	}
}

int bpfdev_cbpf_image(const struct sock_filter *f, u32 n, char *buf, size_t size)
{
	const char *op = "unimp";
	char operand[64];

	if (f->code < ARRAY_SIZE(cbpf_mnemonics) && cbpf_mnemonics[f->code].op) {
		op = cbpf_mnemonics[f->code].op;
		cbpf_operand(f, n, cbpf_mnemonics[f->code].operand, operand,
			     sizeof(operand));
	} else {
		snprintf(operand, sizeof(operand), "0x%x", f->code);
	}
	/* libpcap decides the shape by class alone, even for "unimp" */
	if (BPF_CLASS(f->code) == BPF_JMP && BPF_OP(f->code) != BPF_JA)
		return snprintf(buf, size, "(%03d) %-8s %-16s jt %d\tjf %d",
				n, op, operand, n + 1 + f->jt, n + 1 + f->jf);
	return snprintf(buf, size, "(%03d) %-8s %s", n, op, operand);
}

/* Append to buf like snprintf, counting what would not fit. */
static int cbpf_line(char *buf, size_t size, int pos, const struct sock_filter *f,
		     u32 n, int option)
{
	char *at = (size_t)pos < size ? buf + pos : NULL;
	size_t room = at ? size - pos : 0;
	char line[128];

	switch (option) {
	case 1:
		bpfdev_cbpf_image(f, n, line, sizeof(line));
		return snprintf(at, room, "%s\n", line);
	case 2:
		return snprintf(at, room, "{ 0x%x, %d, %d, 0x%08x },\n",
				f->code, f->jt, f->jf, f->k);
	default:
		return snprintf(at, room, "%u %u %u %u\n",
				f->code, f->jt, f->jf, f->k);
	}
}

int bpfdev_cbpf_dump(const struct sock_filter *prog, u32 len, int option,
		     char *buf, size_t size)
{
	int pos = 0;
	u32 i;

	if (size)
		buf[0] = '\0';
	if (option < 1)
		option = 1;
	if (option > 3)
		option = 3;
	if (option == 3)
		pos += snprintf(size ? buf : NULL, size, "%u\n", len);
	for (i = 0; i < len; i++)
		pos += cbpf_line(buf, size, pos, &prog[i], i, option);
	return pos;
}
