// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A text assembler for the syntax the verifier log and bpfctl disasm
 * print (kmod/core/disasm.c, the kernel's print_bpf_insn()): each line is
 * matched against a small set of patterns, one per instruction shape, so
 * disasm(asm(text)) gives text back.  Labels are an addition: "name:" on a
 * line names the next instruction, and goto/if/call accept the name where
 * disasm prints pc+N.
 *
 * Opcodes, operator and size names come from the engine's ISA definitions
 * and opcode list (kmod/core/isa.h, opcodes.h), the ones the disassembler
 * prints from, so the two cannot drift apart.
 */

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"
#include "isa.h"
#include "opcodes.h"

#define MAX_ARGS	8

/* What a pattern captured, in order. */
struct arg {
	long long	v;		/* %r register number, %i/%o value */
	unsigned long long u;		/* %i as unsigned */
	bool		hex;		/* %i was written 0x... */
	char		w;		/* %r: 'r' or 'w' */
	const char	*s;		/* %n %a %c %s: the token */
	int		len;
};

struct asm_state {
	struct bpf_insn	*insns;
	size_t		cnt, cap;
	struct label {
		char	*name;
		size_t	insn;
	} *labels;
	size_t		nr_labels;
	struct fixup {
		char	*name;
		size_t	insn;
		int	line;
		bool	imm;		/* the target goes in imm (call, gotol) */
	} *fixups;
	size_t		nr_fixups;
	char		*err;
	size_t		err_size;
	int		line;
};

static int asm_err(struct asm_state *st, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!st->err || !st->err_size)
		return -EINVAL;
	n = snprintf(st->err, st->err_size, "line %d: ", st->line);
	if (n < 0 || (size_t)n >= st->err_size)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(st->err + n, st->err_size - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static bool is_ident(char c, bool first)
{
	return isalpha((unsigned char)c) || c == '_' || (!first && isdigit((unsigned char)c));
}

static const char *match_reg(const char *s, struct arg *a)
{
	char *end;
	long v;

	if (*s != 'r' && *s != 'w')
		return NULL;
	if (!isdigit((unsigned char)s[1]))
		return NULL;
	v = strtol(s + 1, &end, 10);
	if (v < 0 || v > 10 || is_ident(*end, false))
		return NULL;
	a->w = *s;
	a->v = v;
	return end;
}

static const char *match_int(const char *s, struct arg *a)
{
	const char *p = s;
	char *end;

	if (*p == '-' || *p == '+')
		p++;
	if (!isdigit((unsigned char)*p))
		return NULL;
	a->hex = p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
	errno = 0;
	if (*s == '-') {
		a->v = strtoll(s, &end, 0);
		a->u = a->v;
	} else {
		a->u = strtoull(p, &end, 0);
		a->v = (long long)a->u;
	}
	if (errno || is_ident(*end, false))
		return NULL;
	return end;
}

static const char *match_off(const char *s, struct arg *a)
{
	char *end;

	if (*s != '+' && *s != '-')
		return NULL;
	if (!isdigit((unsigned char)s[1]))
		return NULL;
	errno = 0;
	a->v = strtoll(s, &end, 10);
	a->u = a->v;
	if (errno || is_ident(*end, false))
		return NULL;
	return end;
}

static const char *match_ident(const char *s, struct arg *a)
{
	const char *p = s;

	if (!is_ident(*p, true))
		return NULL;
	while (is_ident(*p, false))
		p++;
	a->s = s;
	a->len = p - s;
	return p;
}

/* An operator token: the characters of "+=", "s>>=", "!=" ... */
static const char *match_op(const char *s, struct arg *a)
{
	const char *p = s;

	if (*p == 's' && strchr("<>/%", p[1]))
		p++;
	while (*p && strchr("+-*/|&<>%^=!", *p))
		p++;
	if (p == s || (p == s + 1 && *s == 's'))
		return NULL;
	a->s = s;
	a->len = p - s;
	return p;
}

/*
 * Matches s against pat: %r register, %i integer, %o signed offset
 * (+N/-N), %n identifier, %a operator; a space matches any whitespace
 * (or none); other characters match themselves.  Fills args in order;
 * returns the number captured, or -1.
 */
static int match(const char *s, const char *pat, struct arg *args)
{
	int n = 0;

	s = skip_ws(s);
	for (; *pat; pat++) {
		if (*pat == ' ') {
			s = skip_ws(s);
			continue;
		}
		if (*pat != '%') {
			if (*s != *pat)
				return -1;
			s++;
			continue;
		}
		if (n == MAX_ARGS)
			return -1;
		memset(&args[n], 0, sizeof(args[n]));
		switch (*++pat) {
		case 'r':
			s = match_reg(s, &args[n]);
			break;
		case 'i':
			s = match_int(s, &args[n]);
			break;
		case 'o':
			s = match_off(s, &args[n]);
			break;
		case 'n':
			s = match_ident(s, &args[n]);
			break;
		case 'a':
			s = match_op(s, &args[n]);
			break;
		default:
			return -1;
		}
		if (!s)
			return -1;
		n++;
	}
	s = skip_ws(s);
	return *s ? -1 : n;
}

static bool tok_is(const struct arg *a, const char *s)
{
	return (int)strlen(s) == a->len && !strncmp(a->s, s, a->len);
}

/* ---- names ---------------------------------------------------------------- */

#define HELPER_NAME(x)	[BPF_FUNC_##x] = "bpf_" #x
static const char * const helper_names[] = {
	__BPF_FUNC_MAPPER(HELPER_NAME)
};
#undef HELPER_NAME

/* The disassembler's names, from the same list (kmod/core/disasm.c). */
#define OPCODE_NAME(label, code, name)	[code] = name,
static const char * const opcode_names[256] = {
	BPFDEV_OPCODES(OPCODE_NAME)
};
#undef OPCODE_NAME

static int helper_id(const struct arg *a)
{
	size_t i;

	for (i = 1; i < ARRAY_SIZE(helper_names); i++)
		if (helper_names[i] && tok_is(a, helper_names[i]))
			return i;
	if (tok_is(a, "bpfdev_skb_pay_offset"))
		return BPFDEV_FUNC_skb_pay_offset;
	return -1;
}

/*
 * The BPF_OP() whose operator (in the given class, register form) is the
 * token, or -1: "+=" is BPF_ADD, "==" BPF_JEQ.
 */
static int op_code(const struct arg *a, __u8 class)
{
	int op;

	for (op = 0; op < 256; op += 0x10) {
		const char *name = opcode_names[class | op | BPF_X];

		if (name && tok_is(a, name))
			return op;
	}
	return -1;
}

/* An ALU operator: *off is BPF_OFF_SIGNED for "s/=" and "s%=". */
static int alu_op(const struct arg *a, __s16 *off)
{
	struct arg rest = *a;
	int op = op_code(a, BPF_ALU64);

	*off = 0;
	if (op >= 0 || a->len < 2 || a->s[0] != 's')
		return op;
	rest.s++;
	rest.len--;
	op = op_code(&rest, BPF_ALU64);
	if (op != BPF_DIV && op != BPF_MOD)
		return -1;
	*off = BPF_OFF_SIGNED;
	return op;
}

/* A comparison: jumps other than goto, call and exit. */
static int jmp_op(const struct arg *a)
{
	int op = op_code(a, BPF_JMP);

	return op == BPF_JA || op == BPF_CALL || op == BPF_EXIT ? -1 : op;
}

/* "u32" is BPF_W; with sx, "s16" is BPF_H and sets *sx (MEMSX). */
static int size_code(const struct arg *a, bool *sx)
{
	static const __u8 sizes[] = { BPF_B, BPF_H, BPF_W, BPF_DW };
	const char *name;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		if (tok_is(a, opcode_names[BPF_LDX | BPF_MEM | sizes[i]])) {
			if (sx)
				*sx = false;
			return sizes[i];
		}
		name = opcode_names[BPF_LDX | BPF_MEMSX | sizes[i]];
		if (sx && name && tok_is(a, name)) {
			*sx = true;
			return sizes[i];
		}
	}
	return -1;
}

/* ---- output ----------------------------------------------------------------- */

static struct bpf_insn *emit(struct asm_state *st, __u8 code, __u8 dst, __u8 src,
			     __s16 off, __s32 imm)
{
	struct bpf_insn *insn;

	if (st->cnt == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 64;
		struct bpf_insn *n = realloc(st->insns, cap * sizeof(*n));

		if (!n)
			return NULL;
		st->insns = n;
		st->cap = cap;
	}
	insn = &st->insns[st->cnt++];
	memset(insn, 0, sizeof(*insn));
	insn->code = code;
	insn->dst_reg = dst;
	insn->src_reg = src;
	insn->off = off;
	insn->imm = imm;
	return insn;
}

static int add_fixup(struct asm_state *st, const struct arg *a, bool imm)
{
	struct fixup *f = realloc(st->fixups, (st->nr_fixups + 1) * sizeof(*f));

	if (!f)
		return -ENOMEM;
	st->fixups = f;
	f = &f[st->nr_fixups];
	f->name = strndup(a->s, a->len);
	if (!f->name)
		return -ENOMEM;
	f->insn = st->cnt;
	f->line = st->line;
	f->imm = imm;
	st->nr_fixups++;
	return 0;
}

static int imm32(struct asm_state *st, const struct arg *a, __s32 *imm)
{
	if (a->v < INT32_MIN || (a->v > INT32_MAX && a->u > UINT32_MAX))
		return asm_err(st, "immediate %lld does not fit in 32 bits", a->v);
	*imm = (__s32)(__u32)a->u;
	if (a->v < 0)
		*imm = (__s32)a->v;
	return 0;
}

static int off16(struct asm_state *st, long long v, __s16 *off)
{
	if (v < INT16_MIN || v > INT16_MAX)
		return asm_err(st, "offset %lld does not fit in 16 bits", v);
	*off = v;
	return 0;
}

#define EMIT(code, dst, src, off, imm)					\
	do {								\
		if (!emit(st, (code), (dst), (src), (off), (imm)))	\
			return -ENOMEM;					\
	} while (0)

static int same_width(struct asm_state *st, const struct arg *a, const struct arg *b)
{
	if (a->w != b->w)
		return asm_err(st, "registers %c%lld and %c%lld differ in width",
			       a->w, a->v, b->w, b->v);
	return 0;
}

static int asm_jmp(struct asm_state *st, const struct arg *a, bool reg)
{
	__u8 cls = a[0].w == 'w' ? BPF_JMP32 : BPF_JMP;
	const struct arg *target = &a[3];
	int op = jmp_op(&a[1]);
	__s32 imm = 0;
	__s16 off = 0;
	int err;

	if (op < 0)
		return asm_err(st, "unknown comparison '%.*s'", a[1].len, a[1].s);
	if (reg) {
		err = same_width(st, &a[0], &a[2]);
	} else {
		err = imm32(st, &a[2], &imm);
	}
	if (err)
		return err;
	if (target->s) {
		err = add_fixup(st, target, false);
	} else {
		err = off16(st, target->v, &off);
	}
	if (err)
		return err;
	EMIT(cls | op | (reg ? BPF_X : BPF_K), a[0].v,
	     reg ? a[2].v : 0, off, imm);
	return 0;
}

static int asm_alu(struct asm_state *st, const struct arg *a, bool reg)
{
	__u8 cls = a[0].w == 'w' ? BPF_ALU : BPF_ALU64;
	__s32 imm = 0;
	__s16 off;
	int op = alu_op(&a[1], &off);
	int err;

	if (op < 0 || op == BPF_NEG || op == BPF_END)
		return asm_err(st, "unknown operator '%.*s'", a[1].len, a[1].s);
	err = reg ? same_width(st, &a[0], &a[2]) : imm32(st, &a[2], &imm);
	if (err)
		return err;
	EMIT(cls | op | (reg ? BPF_X : BPF_K), a[0].v, reg ? a[2].v : 0, off, imm);
	return 0;
}

static int asm_atomic(struct asm_state *st, const struct arg *a, int n)
{
	/* a: dst-of-result, name, size, ptr reg, off, src [, src2] */
	const char *name;
	bool is64;
	__s32 op;
	__s16 off = 0;
	int size, err;
	char buf[40];

	snprintf(buf, sizeof(buf), "%.*s", a[1].len, a[1].s);
	name = buf;
	if (strncmp(name, "atomic", 6))
		return asm_err(st, "unknown instruction '%s'", name);
	name += 6;
	is64 = !strncmp(name, "64", 2);
	if (is64)
		name += 2;
	size = size_code(&a[2], NULL);
	if (size != BPF_W && size != BPF_DW)
		return asm_err(st, "atomic operations are u32 or u64");
	if (is64 != (size == BPF_DW))
		return asm_err(st, "'%.*s' does not match size", a[1].len, a[1].s);
	err = off16(st, a[4].v, &off);
	if (err)
		return err;
	if (n == 7) {
		if (strcmp(name, "_cmpxchg") || a[0].v != 0 || a[5].v != 0)
			return asm_err(st, "expected r0 = atomic_cmpxchg((T *)(rD +off), r0, rS)");
		EMIT(BPF_STX | BPF_ATOMIC | size, a[3].v, a[6].v, off, BPF_CMPXCHG);
		return 0;
	}
	if (a[0].v != a[5].v)
		return asm_err(st, "the result register must be the source register");
	if (!strcmp(name, "_xchg"))
		op = BPF_XCHG;
	else if (!strcmp(name, "_fetch_add"))
		op = BPF_ADD | BPF_FETCH;
	else if (!strcmp(name, "_fetch_and"))
		op = BPF_AND | BPF_FETCH;
	else if (!strcmp(name, "_fetch_or"))
		op = BPF_OR | BPF_FETCH;
	else if (!strcmp(name, "_fetch_xor"))
		op = BPF_XOR | BPF_FETCH;
	else
		return asm_err(st, "unknown atomic operation '%.*s'", a[1].len, a[1].s);
	EMIT(BPF_STX | BPF_ATOMIC | size, a[3].v, a[5].v, off, op);
	return 0;
}

/* "r1 = be16 r1": the byte-order forms, named as the disassembler names them. */
static int asm_endian(struct asm_state *st, const struct arg *a)
{
	static const __u8 codes[] = {
		BPF_ALU | BPF_END | BPF_TO_BE, BPF_ALU | BPF_END | BPF_TO_LE,
		BPF_ALU64 | BPF_END | BPF_BSWAP,
	};
	size_t i, len = 0;
	int bits = 0;

	if (a[0].v != a[2].v || a[0].w != 'r' || a[2].w != 'r')
		return asm_err(st, "byte swaps take one register: rN = be16 rN");
	for (i = 0; i < ARRAY_SIZE(codes); i++) {
		len = strlen(opcode_names[codes[i]]);
		if (a[1].len == (int)len + 2 && !strncmp(a[1].s, opcode_names[codes[i]], len))
			break;
	}
	if (i < ARRAY_SIZE(codes) && isdigit((unsigned char)a[1].s[len]) &&
	    isdigit((unsigned char)a[1].s[len + 1]))
		bits = (a[1].s[len] - '0') * 10 + a[1].s[len + 1] - '0';
	if (bits != 16 && bits != 32 && bits != 64)
		return asm_err(st, "unknown instruction '%.*s'", a[1].len, a[1].s);
	EMIT(codes[i], a[0].v, 0, 0, bits);
	return 0;
}

static int asm_call(struct asm_state *st, const struct arg *a)
{
	int id = helper_id(a);

	if (id >= 0) {
		EMIT(BPF_JMP | BPF_CALL, 0, 0, 0, id);
		return 0;
	}
	/* Not a helper: a label, for a BPF-to-BPF call. */
	if (add_fixup(st, a, true))
		return -ENOMEM;
	EMIT(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 0);
	return 0;
}

/* One instruction, without index, opcode prefix or comment. */
static int asm_insn(struct asm_state *st, const char *s, int want_code)
{
	struct arg a[MAX_ARGS];
	bool sx;
	int n, size;
	__s32 imm = 0;
	__s16 off = 0;

	if (match(s, "exit", a) == 0) {
		EMIT(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	} else if (match(s, "callx %r", a) == 1) {
		EMIT(BPF_CALLX, a[0].v, 0, 0, 0);
	} else if (match(s, "call pc%o", a) == 1) {
		if (imm32(st, &a[0], &imm))
			return -EINVAL;
		EMIT(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, imm);
	} else if (match(s, "call kernel-function#%i", a) == 1) {
		if (imm32(st, &a[0], &imm))
			return -EINVAL;
		EMIT(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_KFUNC_CALL, 0, imm);
	} else if (match(s, "call %n#%i", a) == 2) {
		if (imm32(st, &a[1], &imm))
			return -EINVAL;
		EMIT(BPF_JMP | BPF_CALL, 0, 0, 0, imm);
	} else if (match(s, "call %i", a) == 1) {
		if (imm32(st, &a[0], &imm))
			return -EINVAL;
		EMIT(BPF_JMP | BPF_CALL, 0, 0, 0, imm);
	} else if (match(s, "call %n", a) == 1) {
		return asm_call(st, a);
	} else if (match(s, "gotol pc%o", a) == 1) {
		if (imm32(st, &a[0], &imm))
			return -EINVAL;
		EMIT(BPF_JA32, 0, 0, 0, imm);
	} else if (match(s, "gotol %n", a) == 1) {
		if (add_fixup(st, &a[0], true))
			return -ENOMEM;
		EMIT(BPF_JA32, 0, 0, 0, 0);
	} else if (match(s, "goto pc%o", a) == 1) {
		if (off16(st, a[0].v, &off))
			return -EINVAL;
		EMIT(BPF_JMP | BPF_JA, 0, 0, off, 0);
	} else if (match(s, "goto %n", a) == 1) {
		if (add_fixup(st, &a[0], false))
			return -ENOMEM;
		EMIT(BPF_JMP | BPF_JA, 0, 0, 0, 0);
	} else if (match(s, "if %r %a %r goto pc%o", a) == 4 ||
		   match(s, "if %r %a %r goto %n", a) == 4) {
		return asm_jmp(st, a, true);
	} else if (match(s, "if %r %a %i goto pc%o", a) == 4 ||
		   match(s, "if %r %a %i goto %n", a) == 4) {
		return asm_jmp(st, a, false);
	} else if (match(s, "lock *(%n *)(%r %o) %a %r", a) == 5) {
		static const struct { const char *n; int op; } ops[] = {
			{ "+=", BPF_ADD }, { "&=", BPF_AND }, { "|=", BPF_OR }, { "^=", BPF_XOR },
		};
		size_t i;

		size = size_code(&a[0], NULL);
		for (i = 0; i < 4 && !tok_is(&a[3], ops[i].n); i++)
			;
		if ((size != BPF_W && size != BPF_DW) || i == 4)
			return asm_err(st, "bad atomic operation");
		if (off16(st, a[2].v, &off))
			return -EINVAL;
		EMIT(BPF_STX | BPF_ATOMIC | size, a[1].v, a[4].v, off, ops[i].op);
	} else if ((n = match(s, "%r = %n((%n *)(%r %o), %r, %r)", a)) == 7 ||
		   (n = match(s, "%r = %n((%n *)(%r %o), %r)", a)) == 6) {
		return asm_atomic(st, a, n);
	} else if (match(s, "*(%n *)(%r %o) = %r", a) == 4 ||
		   match(s, "*(%n *)(%r %o) = %i", a) == 4) {
		size = size_code(&a[0], NULL);
		if (size < 0)
			return asm_err(st, "bad size '%.*s'", a[0].len, a[0].s);
		if (off16(st, a[2].v, &off))
			return -EINVAL;
		if (a[3].w) {
			EMIT(BPF_STX | BPF_MEM | size, a[1].v, a[3].v, off, 0);
		} else {
			if (imm32(st, &a[3], &imm))
				return -EINVAL;
			EMIT(BPF_ST | BPF_MEM | size, a[1].v, 0, off, imm);
		}
	} else if (match(s, "%r = *(%n *)(%r %o)", a) == 4) {
		size = size_code(&a[1], &sx);
		if (size < 0)
			return asm_err(st, "bad size '%.*s'", a[1].len, a[1].s);
		if (off16(st, a[3].v, &off))
			return -EINVAL;
		EMIT(BPF_LDX | (sx ? BPF_MEMSX : BPF_MEM) | size, a[0].v, a[2].v, off, 0);
	} else if (match(s, "%r = *(%n *)skb[%r + %i]", a) == 4 ||
		   match(s, "%r = *(%n *)skb[%i]", a) == 3) {
		bool ind = a[2].w;

		size = size_code(&a[1], NULL);
		if (size < 0 || size == BPF_DW || a[0].v != 0)
			return asm_err(st, "packet loads are r0 = *(u8|u16|u32 *)skb[...]");
		if (imm32(st, &a[ind ? 3 : 2], &imm))
			return -EINVAL;
		EMIT(BPF_LD | (ind ? BPF_IND : BPF_ABS) | size, 0, ind ? a[2].v : 0, 0, imm);
	} else if (match(s, "%r = -%r", a) == 2) {
		if (a[0].v != a[1].v || same_width(st, &a[0], &a[1]))
			return asm_err(st, "negation takes one register: r1 = -r1");
		EMIT((a[0].w == 'w' ? BPF_ALU : BPF_ALU64) | BPF_NEG, a[0].v, 0, 0, 0);
	} else if (match(s, "%r = (%n)%r", a) == 3) {
		size = size_code(&a[1], &sx);
		if (size < 0 || !sx || same_width(st, &a[0], &a[2]))
			return asm_err(st, "sign extension is rD = (s8|s16|s32)rS");
		EMIT((a[0].w == 'w' ? BPF_ALU : BPF_ALU64) | BPF_MOV | BPF_X, a[0].v,
		     a[2].v, size == BPF_B ? BPF_MOVSX8 : size == BPF_H ? BPF_MOVSX16 :
		     BPF_MOVSX32, 0);
	} else if (match(s, "%r = %n %r", a) == 3) {
		return asm_endian(st, a);
	} else if (match(s, "%r = %i", a) == 2 && a[0].w == 'r' &&
		   (a[1].hex || want_code == (BPF_LD | BPF_IMM | BPF_DW))) {
		EMIT(BPF_LD | BPF_IMM | BPF_DW, a[0].v, 0, 0, (__s32)(__u32)a[1].u);
		EMIT(0, 0, 0, 0, (__s32)(__u32)(a[1].u >> 32));
	} else if (match(s, "%r %a %r", a) == 3) {
		return asm_alu(st, a, true);
	} else if (match(s, "%r %a %i", a) == 3) {
		return asm_alu(st, a, false);
	} else {
		return asm_err(st, "cannot parse '%s'", s);
	}
	return 0;
}

static int add_label(struct asm_state *st, const char *name, size_t len)
{
	struct label *l;
	size_t i;

	for (i = 0; i < st->nr_labels; i++)
		if (strlen(st->labels[i].name) == len && !strncmp(st->labels[i].name, name, len))
			return asm_err(st, "label '%.*s' defined twice", (int)len, name);
	l = realloc(st->labels, (st->nr_labels + 1) * sizeof(*l));
	if (!l)
		return -ENOMEM;
	st->labels = l;
	l[st->nr_labels].name = strndup(name, len);
	if (!l[st->nr_labels].name)
		return -ENOMEM;
	l[st->nr_labels++].insn = st->cnt;
	return 0;
}

/* Strips "N:", labels, "(xx)" and comments from one line, then assembles it. */
static int asm_line(struct asm_state *st, char *line)
{
	char *s = line, *p, *hash;
	int want = -1;
	size_t before;
	int err;

	p = strchr(s, ';');
	if (p)
		*p = '\0';
	/* '#' comments; "call bpf_x#1" keeps its '#'. */
	for (hash = strchr(s, '#'); hash; hash = strchr(hash + 1, '#')) {
		if (hash == s || hash[-1] == ' ' || hash[-1] == '\t') {
			*hash = '\0';
			break;
		}
	}
	s = (char *)skip_ws(s);
	for (;;) {
		p = s;
		while (is_ident(*p, p == s) || (isdigit((unsigned char)*p)))
			p++;
		if (p == s || *p != ':')
			break;
		if (!isdigit((unsigned char)*s)) {
			err = add_label(st, s, p - s);
			if (err)
				return err;
		}
		s = (char *)skip_ws(p + 1);
	}
	/* A pasted verifier log: its register-state and summary lines carry no insn. */
	if ((s[0] == 'R' && isdigit((unsigned char)s[1])) || !strncmp(s, "from ", 5) ||
	    !strncmp(s, "processed ", 10) || !strncmp(s, "func#", 5) ||
	    !strncmp(s, "verification time", 17) || !strncmp(s, "stack depth", 11))
		return 0;
	if (*s == '(' && isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2]) &&
	    s[3] == ')') {
		want = strtol(s + 1, NULL, 16);
		s = (char *)skip_ws(s + 4);
	}
	p = s + strlen(s);
	while (p > s && isspace((unsigned char)p[-1]))
		*--p = '\0';
	if (!*s) {
		if (want >= 0)
			return asm_err(st, "opcode without an instruction");
		return 0;
	}
	before = st->cnt;
	err = asm_insn(st, s, want);
	if (err)
		return err;
	if (want >= 0 && st->insns[before].code != want)
		return asm_err(st, "opcode (%02x) does not match the instruction, which is (%02x)",
			       want, st->insns[before].code);
	return 0;
}

static int resolve_fixups(struct asm_state *st)
{
	size_t f, l;

	for (f = 0; f < st->nr_fixups; f++) {
		struct fixup *fx = &st->fixups[f];
		long long rel;

		for (l = 0; l < st->nr_labels; l++)
			if (!strcmp(st->labels[l].name, fx->name))
				break;
		st->line = fx->line;
		if (l == st->nr_labels)
			return asm_err(st, "unknown label or helper '%s'", fx->name);
		rel = (long long)st->labels[l].insn - (long long)fx->insn - 1;
		if (fx->imm) {
			st->insns[fx->insn].imm = rel;
		} else {
			if (rel < INT16_MIN || rel > INT16_MAX)
				return asm_err(st, "label '%s' is too far for a 16-bit offset",
					       fx->name);
			st->insns[fx->insn].off = rel;
		}
	}
	return 0;
}

int bpfdev_asm(const char *text, struct bpf_insn **insns, char *err, size_t err_size)
{
	struct asm_state st = { .err = err, .err_size = err_size };
	const char *p = text, *nl;
	char *line;
	size_t i;
	int ret = 0;

	if (err && err_size)
		err[0] = '\0';
	if (!text || !insns)
		return bpfdev_err(-EINVAL);
	while (*p && !ret) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		st.line++;
		line = strndup(p, nl - p);
		if (!line) {
			ret = -ENOMEM;
			break;
		}
		ret = asm_line(&st, line);
		free(line);
		p = *nl ? nl + 1 : nl;
	}
	if (!ret)
		ret = resolve_fixups(&st);
	if (!ret && !st.cnt) {
		st.line = 0;
		ret = asm_err(&st, "no instructions");
	}
	for (i = 0; i < st.nr_labels; i++)
		free(st.labels[i].name);
	for (i = 0; i < st.nr_fixups; i++)
		free(st.fixups[i].name);
	free(st.labels);
	free(st.fixups);
	if (ret) {
		free(st.insns);
		*insns = NULL;
		return bpfdev_err(ret);
	}
	*insns = st.insns;
	return st.cnt;
}
