/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 instruction encoders for the JIT.  Each helper appends one
 * machine instruction to the current instruction's buffer; the comment
 * above each says which.  Registers are x86 numbers (0 rax ... 15 r15).
 */
#ifndef BPFDEV_CORE_JIT_X86_64_EMIT_H
#define BPFDEV_CORE_JIT_X86_64_EMIT_H

#include "platform.h"

enum {
	RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI,
	R8, R9, R10, R11, R12, R13, R14, R15,
};

/* Longest byte sequence one BPF instruction may turn into. */
#define JIT_MAX_INSN	192

struct jit_buf {
	u8	b[JIT_MAX_INSN + 32];
	u8	*p;
};

static inline bool is_s8(s64 v)
{
	return v >= -128 && v <= 127;
}

static inline bool is_s32(s64 v)
{
	return v >= S32_MIN && v <= S32_MAX;
}

static inline void emit1(struct jit_buf *b, u8 x)
{
	*b->p++ = x;
}

static inline void emit2(struct jit_buf *b, u8 x, u8 y)
{
	emit1(b, x);
	emit1(b, y);
}

static inline void emit3(struct jit_buf *b, u8 x, u8 y, u8 z)
{
	emit2(b, x, y);
	emit1(b, z);
}

static inline void emit_u32(struct jit_buf *b, u32 v)
{
	emit2(b, v & 0xff, (v >> 8) & 0xff);
	emit2(b, (v >> 16) & 0xff, v >> 24);
}

static inline void emit_u64(struct jit_buf *b, u64 v)
{
	emit_u32(b, (u32)v);
	emit_u32(b, (u32)(v >> 32));
}

/*
 * REX prefix for an instruction with ModRM.reg = reg and ModRM.rm = rm;
 * byte forces one when rm or reg is a byte register (sil, dil, spl, bpl)
 * that has no encoding without it.
 */
static inline void emit_rex(struct jit_buf *b, bool w, u8 reg, u8 rm, bool byte)
{
	u8 rex = 0x40 | (w << 3) | ((reg & 8) >> 1) | ((rm & 8) >> 3);

	if (rex != 0x40 || (byte && ((reg & 7) >= 4 || (rm & 7) >= 4)))
		emit1(b, rex);
}

static inline void emit_modrm_rr(struct jit_buf *b, u8 reg, u8 rm)
{
	emit1(b, 0xc0 | ((reg & 7) << 3) | (rm & 7));
}

/* ModRM (+SIB, +disp) for [base + off]. */
static inline void emit_modrm_mem(struct jit_buf *b, u8 reg, u8 base, s32 off)
{
	u8 mod = (off == 0 && (base & 7) != RBP) ? 0 : is_s8(off) ? 1 : 2;

	emit1(b, (mod << 6) | ((reg & 7) << 3) | (base & 7));
	if ((base & 7) == RSP)
		emit1(b, 0x24);
	if (mod == 1)
		emit1(b, (u8)off);
	else if (mod == 2)
		emit_u32(b, off);
}

/* op reg/rm: "op rm, reg" for 0x01 add, 0x29 sub, 0x89 mov ... */
static inline void emit_rr(struct jit_buf *b, u8 op, bool w, u8 rm, u8 reg)
{
	emit_rex(b, w, reg, rm, false);
	emit1(b, op);
	emit_modrm_rr(b, reg, rm);
}

/* mov dst, src (32-bit: zero-extends) */
static inline void emit_mov_rr(struct jit_buf *b, bool w, u8 dst, u8 src)
{
	emit_rr(b, 0x89, w, dst, src);
}

/* two-byte opcode 0x0f op: "op reg, rm" (imul, movzx, movsx, bsf ...) */
static inline void emit_0f_rr(struct jit_buf *b, u8 op, bool w, u8 reg, u8 rm,
			      bool byte)
{
	emit_rex(b, w, reg, rm, byte);
	emit2(b, 0x0f, op);
	emit_modrm_rr(b, reg, rm);
}

/*
 * mov dst, imm: xor for 0, mov r32 for what zero-extends, sign-extending
 * mov r64 for negative 32-bit values, movabs for the rest.
 */
static inline void emit_mov_imm64(struct jit_buf *b, u8 dst, u64 imm)
{
	if (imm == 0) {
		emit_rr(b, 0x31, false, dst, dst);		/* xor dst32, dst32 */
	} else if (imm <= U32_MAX) {
		emit_rex(b, false, 0, dst, false);		/* mov dst32, imm32 */
		emit1(b, 0xb8 | (dst & 7));
		emit_u32(b, (u32)imm);
	} else if (is_s32((s64)imm)) {
		emit_rex(b, true, 0, dst, false);		/* mov dst, simm32 */
		emit1(b, 0xc7);
		emit_modrm_rr(b, 0, dst);
		emit_u32(b, (u32)imm);
	} else {
		emit_rex(b, true, 0, dst, false);		/* movabs dst, imm64 */
		emit1(b, 0xb8 | (dst & 7));
		emit_u64(b, imm);
	}
}

/* mov dst32, imm32 (zero-extends) */
static inline void emit_mov_imm32(struct jit_buf *b, u8 dst, u32 imm)
{
	emit_mov_imm64(b, dst, imm);
}

/* op dst, imm for the 0x81/0x83 group: ext 0 add, 1 or, 4 and, 5 sub, 6 xor, 7 cmp */
static inline void emit_alu_imm(struct jit_buf *b, u8 ext, bool w, u8 dst, s32 imm)
{
	emit_rex(b, w, 0, dst, false);
	if (is_s8(imm)) {
		emit2(b, 0x83, 0xc0 | (ext << 3) | (dst & 7));
		emit1(b, (u8)imm);
	} else {
		emit2(b, 0x81, 0xc0 | (ext << 3) | (dst & 7));
		emit_u32(b, imm);
	}
}

/* op [base + off], reg / op reg, [base + off]: one-byte opcode */
static inline void emit_mem(struct jit_buf *b, u8 op, bool w, u8 reg, u8 base,
			    s32 off, bool byte)
{
	emit_rex(b, w, reg, base, byte);
	emit1(b, op);
	emit_modrm_mem(b, reg, base, off);
}

/* op reg, [base + off]: two-byte opcode 0x0f op (movzx, movsx, xadd ...) */
static inline void emit_0f_mem(struct jit_buf *b, u8 op, bool w, u8 reg, u8 base,
			       s32 off, bool byte)
{
	emit_rex(b, w, reg, base, byte);
	emit2(b, 0x0f, op);
	emit_modrm_mem(b, reg, base, off);
}

/* push reg / pop reg */
static inline void emit_push(struct jit_buf *b, u8 reg)
{
	if (reg & 8)
		emit1(b, 0x41);
	emit1(b, 0x50 | (reg & 7));
}

static inline void emit_pop(struct jit_buf *b, u8 reg)
{
	if (reg & 8)
		emit1(b, 0x41);
	emit1(b, 0x58 | (reg & 7));
}

/* jcc rel8 to be patched: returns where the displacement goes */
static inline u8 *emit_jcc8(struct jit_buf *b, u8 cc)
{
	emit2(b, 0x70 | cc, 0);
	return b->p - 1;
}

/* jmp rel8 to be patched */
static inline u8 *emit_jmp8(struct jit_buf *b)
{
	emit2(b, 0xeb, 0);
	return b->p - 1;
}

/* Point a rel8 emitted earlier in this buffer at the current position. */
static inline void patch8(struct jit_buf *b, u8 *disp)
{
	*disp = (u8)(b->p - (disp + 1));
}

/* x86 condition codes (the low nibble of jcc) */
enum {
	CC_B = 0x2, CC_AE = 0x3, CC_E = 0x4, CC_NE = 0x5, CC_BE = 0x6,
	CC_A = 0x7, CC_S = 0x8, CC_L = 0xc, CC_GE = 0xd, CC_LE = 0xe,
	CC_G = 0xf,
};

#endif /* BPFDEV_CORE_JIT_X86_64_EMIT_H */
