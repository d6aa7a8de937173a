// SPDX-License-Identifier: GPL-2.0
/*
 * The x86-64 JIT's emitters for the ALU, load/store and atomic instruction
 * classes: one BPF instruction in, its machine code appended to the
 * buffer.  Nothing here depends on where the code lands; jumps, calls and
 * the frame are jit_x86_64.c's.
 */

#include "code.h"
#include "jit_x86_64.h"
#include "verifier.h"

/* Shift dst by cl; the count must be moved into rcx and rcx kept. */
static void emit_shift_x(struct jit_buf *b, u8 ext, bool w, u8 dst, u8 src)
{
	u8 d = dst;

	if (src != RCX) {
		emit_mov_rr(b, true, R11, RCX);		/* mov r11, rcx */
		if (dst == RCX)
			d = R11;
		emit_mov_rr(b, true, RCX, src);		/* mov rcx, src */
	}
	emit_rex(b, w, 0, d, false);
	emit2(b, 0xd3, 0xc0 | (ext << 3) | (d & 7));	/* shl/shr/sar d, cl */
	if (src != RCX)
		emit_mov_rr(b, true, RCX, R11);		/* mov rcx, r11 */
	if (!w)
		emit_mov_rr(b, false, dst, dst);	/* zero-extend even for cl = 0 */
}

/*
 * dst = dst / src or dst % src, unsigned or signed (off 1), as the
 * interpreter: by 0 the quotient is 0 and the remainder dst (32-bit:
 * zero-extended); signed by -1 never reaches idiv, which would trap on
 * INT_MIN: the quotient is -dst, the remainder 0.  rax and rdx, which
 * div uses, are BPF r0 and r3: saved unless they are dst.
 */
static void emit_divmod(struct jit *j, struct jit_buf *b, const struct bpf_insn *insn,
			bool w, u8 dst, u8 src)
{
	bool is_mod = BPF_OP(insn->code) == BPF_MOD;
	bool sgn = insn->off == 1;
	u8 *zero = NULL, *m1 = NULL, *done1, *done2 = NULL;

	if (BPF_SRC(insn->code) == BPF_K) {
		if (insn->imm == 0 || (sgn && insn->imm == -1))
			goto special;
		emit_mov_imm64(b, R11, w ? (u64)(s64)insn->imm : (u32)insn->imm);
	} else {
		emit_mov_rr(b, w, R11, src);		/* mov r11, src */
		emit_rr(b, 0x85, w, R11, R11);		/* test r11, r11 */
		zero = emit_jcc8(b, CC_E);
		if (sgn) {
			emit_alu_imm(b, 7, w, R11, -1);	/* cmp r11, -1 */
			m1 = emit_jcc8(b, CC_E);
		}
	}
	if (dst != RAX)
		emit_mov_rr(b, true, R9, RAX);		/* mov r9, rax */
	if (dst != RDX)
		emit_push(b, RDX);			/* push rdx */
	if (dst != RAX)
		emit_mov_rr(b, true, RAX, dst);		/* mov rax, dst */
	if (sgn) {
		if (w)
			emit1(b, 0x48);
		emit1(b, 0x99);				/* cqo / cdq */
	} else {
		emit_rr(b, 0x31, false, RDX, RDX);	/* xor edx, edx */
	}
	emit_rex(b, w, 0, R11, false);
	emit2(b, 0xf7, 0xc0 | ((sgn ? 7 : 6) << 3) | (R11 & 7));	/* (i)div r11 */
	if (dst == RAX) {
		if (is_mod)
			emit_mov_rr(b, w, RAX, RDX);	/* mov rax, rdx */
		emit_pop(b, RDX);
	} else if (dst == RDX) {
		if (!is_mod)
			emit_mov_rr(b, w, RDX, RAX);	/* mov rdx, rax */
		emit_mov_rr(b, true, RAX, R9);
	} else {
		emit_mov_rr(b, w, dst, is_mod ? RDX : RAX);
		emit_pop(b, RDX);
		emit_mov_rr(b, true, RAX, R9);
	}
	if (BPF_SRC(insn->code) == BPF_K)
		return;
	done1 = emit_jmp8(b);
	jit_patch8(j, b, zero);
	if (!is_mod)
		emit_rr(b, 0x31, false, dst, dst);	/* xor dst, dst */
	else if (!w)
		emit_mov_rr(b, false, dst, dst);	/* mov dst32, dst32 */
	if (sgn) {
		done2 = emit_jmp8(b);
		jit_patch8(j, b, m1);
		goto minus1;
	}
	jit_patch8(j, b, done1);
	return;

special:
	if (insn->imm == 0) {
		if (!is_mod)
			emit_rr(b, 0x31, false, dst, dst);
		else if (!w)
			emit_mov_rr(b, false, dst, dst);
		return;
	}
	done1 = NULL;
minus1:
	if (!is_mod) {
		emit_rex(b, w, 0, dst, false);
		emit2(b, 0xf7, 0xd8 | (dst & 7));	/* neg dst */
	} else {
		emit_rr(b, 0x31, false, dst, dst);	/* xor dst, dst */
	}
	if (done1)
		jit_patch8(j, b, done1);
	if (done2)
		jit_patch8(j, b, done2);
}

/* rol dst16, 8; movzx dst32, dst16 */
static void emit_bswap16(struct jit_buf *b, u8 dst)
{
	emit1(b, 0x66);
	emit_rex(b, false, 0, dst, false);
	emit3(b, 0xc1, 0xc0 | (dst & 7), 8);
	emit_0f_rr(b, 0xb7, false, dst, dst, false);
}

static int emit_end(struct jit_buf *b, const struct bpf_insn *insn, u8 dst)
{
	bool swap = BPF_CLASS(insn->code) == BPF_ALU64 ||
		    BPF_SRC(insn->code) == BPF_TO_BE;

	switch (insn->imm) {
	case 16:
		if (swap)
			emit_bswap16(b, dst);
		else
			emit_0f_rr(b, 0xb7, false, dst, dst, false);	/* movzx */
		return 0;
	case 32:
		if (swap) {
			emit_rex(b, false, 0, dst, false);
			emit2(b, 0x0f, 0xc8 | (dst & 7));	/* bswap dst32 */
		} else {
			emit_mov_rr(b, false, dst, dst);
		}
		return 0;
	case 64:
		if (swap) {
			emit_rex(b, true, 0, dst, false);
			emit2(b, 0x0f, 0xc8 | (dst & 7));	/* bswap dst */
		}
		return 0;
	default:
		return -EINVAL;
	}
}

int bpfdev_jit_emit_alu(struct jit *j, struct jit_buf *b, const struct bpf_insn *insn)
{
	bool w = BPF_CLASS(insn->code) == BPF_ALU64;
	bool k = BPF_SRC(insn->code) == BPF_K;
	u8 dst = reg2x86[insn->dst_reg], src = reg2x86[insn->src_reg];
	s32 imm = insn->imm;
	u8 op = 0, ext = 0;

	switch (BPF_OP(insn->code)) {
	case BPF_ADD:
		op = 0x01, ext = 0;
		goto binop;
	case BPF_SUB:
		op = 0x29, ext = 5;
		goto binop;
	case BPF_AND:
		op = 0x21, ext = 4;
		goto binop;
	case BPF_OR:
		op = 0x09, ext = 1;
		goto binop;
	case BPF_XOR:
		op = 0x31, ext = 6;
binop:
		if (k)
			emit_alu_imm(b, ext, w, dst, imm);
		else
			emit_rr(b, op, w, dst, src);
		return 0;
	case BPF_MUL:
		if (!k) {
			emit_0f_rr(b, 0xaf, w, dst, src, false);	/* imul dst, src */
			return 0;
		}
		emit_rex(b, w, dst, dst, false);
		if (is_s8(imm)) {
			emit2(b, 0x6b, 0xc0 | ((dst & 7) << 3) | (dst & 7));
			emit1(b, (u8)imm);			/* imul dst, dst, imm8 */
		} else {
			emit2(b, 0x69, 0xc0 | ((dst & 7) << 3) | (dst & 7));
			emit_u32(b, imm);			/* imul dst, dst, imm32 */
		}
		return 0;
	case BPF_DIV:
	case BPF_MOD:
		if (insn->off != 0 && insn->off != 1)
			return -EINVAL;
		emit_divmod(j, b, insn, w, dst, src);
		return 0;
	case BPF_LSH:
		ext = 4;
		goto shift;
	case BPF_RSH:
		ext = 5;
		goto shift;
	case BPF_ARSH:
		ext = 7;
shift:
		if (!k) {
			emit_shift_x(b, ext, w, dst, src);
			return 0;
		}
		imm &= w ? 63 : 31;
		if (imm) {
			emit_rex(b, w, 0, dst, false);
			emit3(b, 0xc1, 0xc0 | (ext << 3) | (dst & 7), imm);
		} else if (!w) {
			emit_mov_rr(b, false, dst, dst);
		}
		return 0;
	case BPF_NEG:
		emit_rex(b, w, 0, dst, false);
		emit2(b, 0xf7, 0xd8 | (dst & 7));		/* neg dst */
		return 0;
	case BPF_MOV:
		if (k) {
			if (w)
				emit_mov_imm64(b, dst, (u64)(s64)imm);
			else
				emit_mov_imm32(b, dst, (u32)imm);
			return 0;
		}
		switch (w ? insn->off : insn->off == 32 ? 0 : insn->off) {
		case 0:
			if (!w || dst != src)
				emit_mov_rr(b, w, dst, src);
			return 0;
		case 8:
			emit_0f_rr(b, 0xbe, w, dst, src, true);	/* movsx dst, src8 */
			return 0;
		case 16:
			emit_0f_rr(b, 0xbf, w, dst, src, false);	/* movsx dst, src16 */
			return 0;
		case 32:
			emit_rex(b, true, dst, src, false);
			emit1(b, 0x63);				/* movsxd dst, src32 */
			emit_modrm_rr(b, dst, src);
			return 0;
		default:
			return -EINVAL;
		}
	case BPF_END:
		return emit_end(b, insn, dst);
	default:
		return -EINVAL;
	}
}

static int emit_atomic(struct jit_buf *b, const struct bpf_insn *insn)
{
	bool w = BPF_SIZE(insn->code) == BPF_DW;
	u8 dst = reg2x86[insn->dst_reg], src = reg2x86[insn->src_reg];
	u8 base = dst, val = src, op;
	s16 off = insn->off;
	u8 *loop;

	switch (insn->imm) {
	case BPF_ADD:
		op = 0x01;
		goto plain;
	case BPF_OR:
		op = 0x09;
		goto plain;
	case BPF_AND:
		op = 0x21;
		goto plain;
	case BPF_XOR:
		op = 0x31;
plain:
		emit1(b, 0xf0);					/* lock op [dst + off], src */
		emit_mem(b, op, w, src, dst, off, false);
		return 0;
	case BPF_ADD | BPF_FETCH:
		emit1(b, 0xf0);					/* lock xadd [dst + off], src */
		emit_0f_mem(b, 0xc1, w, src, dst, off, false);
		return 0;
	case BPF_XCHG:
		emit_mem(b, 0x87, w, src, dst, off, false);	/* xchg [dst + off], src */
		return 0;
	case BPF_CMPXCHG:
		emit1(b, 0xf0);					/* lock cmpxchg [dst + off], src */
		emit_0f_mem(b, 0xb1, w, src, dst, off, false);
		if (!w)
			emit_mov_rr(b, false, RAX, RAX);	/* success leaves rax's top */
		return 0;
	case BPF_OR | BPF_FETCH:
		op = 0x09;
		break;
	case BPF_AND | BPF_FETCH:
		op = 0x21;
		break;
	case BPF_XOR | BPF_FETCH:
		op = 0x31;
		break;
	default:
		return -EINVAL;
	}
	/* cmpxchg loop: rax (r0) is cmpxchg's, so r0 lives in r9 meanwhile */
	emit_mov_rr(b, true, R9, RAX);				/* mov r9, rax */
	if (dst == RAX)
		base = R9;
	if (src == RAX)
		val = R9;
	loop = b->p;
	emit_mem(b, 0x8b, w, RAX, base, off, false);		/* mov rax, [base + off] */
	emit_mov_rr(b, w, R11, RAX);				/* mov r11, rax */
	emit_rr(b, op, w, R11, val);				/* op r11, val */
	emit1(b, 0xf0);						/* lock cmpxchg [base + off], r11 */
	emit_0f_mem(b, 0xb1, w, R11, base, off, false);
	emit2(b, 0x70 | CC_NE, (u8)(loop - (b->p + 2)));	/* jne loop */
	if (src != RAX) {
		emit_mov_rr(b, w, src, RAX);			/* the old value */
		emit_mov_rr(b, true, RAX, R9);			/* r0 back */
	}
	return 0;
}

int bpfdev_jit_emit_ldst(struct jit_buf *b, const struct bpf_insn *insn)
{
	u8 dst = reg2x86[insn->dst_reg], src = reg2x86[insn->src_reg];
	u8 size = BPF_SIZE(insn->code);
	s16 off = insn->off;

	switch (BPF_CLASS(insn->code) | BPF_MODE(insn->code)) {
	case BPF_LDX | BPF_MEM:
		if (size == BPF_B)
			emit_0f_mem(b, 0xb6, false, dst, src, off, false);	/* movzx */
		else if (size == BPF_H)
			emit_0f_mem(b, 0xb7, false, dst, src, off, false);	/* movzx */
		else
			emit_mem(b, 0x8b, size == BPF_DW, dst, src, off, false); /* mov */
		return 0;
	case BPF_LDX | BPF_MEMSX:
		if (size == BPF_B)
			emit_0f_mem(b, 0xbe, true, dst, src, off, false);	/* movsx */
		else if (size == BPF_H)
			emit_0f_mem(b, 0xbf, true, dst, src, off, false);	/* movsx */
		else if (size == BPF_W)
			emit_mem(b, 0x63, true, dst, src, off, false);		/* movsxd */
		else
			return -EINVAL;
		return 0;
	case BPF_ST | BPF_MEM:
		if (size == BPF_B) {
			/* mov byte [dst + off], imm8 */
			emit_mem(b, 0xc6, false, 0, dst, off, false);
			emit1(b, (u8)insn->imm);
		} else if (size == BPF_H) {
			/* mov word [dst + off], imm16 */
			emit1(b, 0x66);
			emit_mem(b, 0xc7, false, 0, dst, off, false);
			emit2(b, insn->imm & 0xff, (insn->imm >> 8) & 0xff);
		} else {
			/* mov [dst + off], imm32 */
			emit_mem(b, 0xc7, size == BPF_DW, 0, dst, off, false);
			emit_u32(b, insn->imm);
		}
		return 0;
	case BPF_STX | BPF_MEM:
		if (size == BPF_H)
			emit1(b, 0x66);
		/* mov [dst + off], src: a byte store needs REX for sil, dil */
		emit_mem(b, size == BPF_B ? 0x88 : 0x89, size == BPF_DW, src, dst, off,
			 size == BPF_B);
		return 0;
	case BPF_STX | BPF_ATOMIC:
		if (size != BPF_W && size != BPF_DW)
			return -EINVAL;
		return emit_atomic(b, insn);
	case BPFDEV_ST_NOSPEC:
		/*
		 * The verifier's barrier after a store a load could bypass
		 * speculatively (Spectre v4), as the kernel's JIT: lfence.
		 */
		emit3(b, 0x0f, 0xae, 0xe8);			/* lfence */
		return 0;
	default:
		return -EINVAL;
	}
}
