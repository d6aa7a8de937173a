/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Verifier cases: scalar bounds through ALU ops (64 and 32 bit), JMP and
 * JMP32 refinement, signed/unsigned mixing: the classes of the kernel's
 * past bounds bugs.  Most index a 48-byte map value with the result.
 */

/* r0 = value of ARRAY_48B (all zero at run time), r1 = its first u64 */
#define VT_B_START						\
	VT_MAPVAL(VT_MAP_ARRAY_48B),				\
	INSN_LDX_MEM(BPF_DW, R1, R0, 0)

/* r0 += r1; r0 = *(u8 *)r0; exit */
#define VT_B_USE						\
	INSN_ALU64_REG(BPF_ADD, R0, R1),			\
	INSN_LDX_MEM(BPF_B, R0, R0, 0),				\
	INSN_EXIT()

/* ... and the bail-out that "+3" jumps before VT_B_USE reach */
#define VT_B_USEJ						\
	VT_B_USE,						\
	INSN_MOV64_IMM(R0, 0),					\
	INSN_EXIT()

#define VT_B_OK(name_, ...)						\
	{ name_, .insns = { VT_B_START, __VA_ARGS__, VT_B_USE },	\
	  .result = VT_ACCEPT, VT_RUN(0) }
#define VT_B_BAD(name_, err_, ...)					\
	{ name_, .insns = { VT_B_START, __VA_ARGS__, VT_B_USE },	\
	  .result = VT_REJECT, .errstr = err_, .errstr_unpriv = "" }
#define VT_B_OKJ(name_, ...)						\
	{ name_, .insns = { VT_B_START, __VA_ARGS__, VT_B_USEJ },	\
	  .result = VT_ACCEPT, VT_RUN(0) }
#define VT_B_BADJ(name_, err_, ...)					\
	{ name_, .insns = { VT_B_START, __VA_ARGS__, VT_B_USEJ },	\
	  .result = VT_REJECT, .errstr = err_, .errstr_unpriv = "" }

static const struct vt_case vt_cases_bounds[] = {
VT_B_OK("bounds: and 0xf", INSN_ALU64_IMM(BPF_AND, R1, 0xf)),
VT_B_OK("bounds: and 47", INSN_ALU64_IMM(BPF_AND, R1, 47)),
VT_B_BAD("bounds: and 48 (bit 5 and 4: 48 is past the end)", "R0 max value is outside of the allowed memory range",
	 INSN_ALU64_IMM(BPF_AND, R1, 48)),
VT_B_BAD("bounds: and 0xff", "R0 max value is outside", INSN_ALU64_IMM(BPF_AND, R1, 0xff)),
VT_B_BAD("bounds: no check", "math between map_value pointer and register with unbounded min value", INSN_MOV64_REG(R1, R1)),
VT_B_BAD("bounds: and -1 keeps it unknown", "math between map_value pointer and register with unbounded min value",
	 INSN_ALU64_IMM(BPF_AND, R1, -1)),
VT_B_OK("bounds: 32-bit and 0xf zero-extends", INSN_ALU32_IMM(BPF_AND, R1, 0xf)),
VT_B_BAD("bounds: 32-bit and 0xffff", "R0 max value is outside", INSN_ALU32_IMM(BPF_AND, R1, 0xffff)),
VT_B_OK("bounds: mov32 then rsh 27", INSN_MOV32_REG(R1, R1), INSN_ALU64_IMM(BPF_RSH, R1, 27)),
VT_B_BAD("bounds: mov32 then rsh 26", "R0 max value is outside", INSN_MOV32_REG(R1, R1), INSN_ALU64_IMM(BPF_RSH, R1, 26)),
VT_B_OK("bounds: rsh 59", INSN_ALU64_IMM(BPF_RSH, R1, 59)),
VT_B_BAD("bounds: rsh 58", "R0 max value is outside", INSN_ALU64_IMM(BPF_RSH, R1, 58)),
VT_B_OK("bounds: 32-bit rsh 27", INSN_ALU32_IMM(BPF_RSH, R1, 27)),
VT_B_BAD("bounds: 32-bit rsh 26", "R0 max value is outside", INSN_ALU32_IMM(BPF_RSH, R1, 26)),
VT_B_BAD("bounds: arsh 59 keeps the sign", "R0 min value is negative", INSN_ALU64_IMM(BPF_ARSH, R1, 59)),
VT_B_OK("bounds: and then lsh", INSN_ALU64_IMM(BPF_AND, R1, 3), INSN_ALU64_IMM(BPF_LSH, R1, 3)),
VT_B_BAD("bounds: and then lsh too far", "R0 max value is outside",
	 INSN_ALU64_IMM(BPF_AND, R1, 7), INSN_ALU64_IMM(BPF_LSH, R1, 3)),
VT_B_OK("bounds: 32-bit lsh of small", INSN_ALU64_IMM(BPF_AND, R1, 3), INSN_ALU32_IMM(BPF_LSH, R1, 3)),
VT_B_BAD("bounds: lsh of unknown", "R0 unbounded memory access", INSN_ALU64_IMM(BPF_AND, R1, 0x7fffffff), INSN_ALU64_IMM(BPF_LSH, R1, 40),
	 INSN_ALU64_IMM(BPF_RSH, R1, 8)),
VT_B_OK("bounds: mul small", INSN_ALU64_IMM(BPF_AND, R1, 7), INSN_ALU64_IMM(BPF_MUL, R1, 5)),
VT_B_BAD("bounds: mul too big", "R0 max value is outside", INSN_ALU64_IMM(BPF_AND, R1, 7), INSN_ALU64_IMM(BPF_MUL, R1, 7)),
VT_B_BAD("bounds: mul by negative", "math between map_value pointer and register with unbounded min value",
	 INSN_ALU64_IMM(BPF_AND, R1, 7), INSN_ALU64_IMM(BPF_MUL, R1, -1)),
VT_B_OK("bounds: 32-bit mul small", INSN_ALU64_IMM(BPF_AND, R1, 7), INSN_ALU32_IMM(BPF_MUL, R1, 6)),
VT_B_OK("bounds: add", INSN_ALU64_IMM(BPF_AND, R1, 15), INSN_ALU64_IMM(BPF_ADD, R1, 32)),
VT_B_BAD("bounds: add too much", "R0 max value is outside", INSN_ALU64_IMM(BPF_AND, R1, 15), INSN_ALU64_IMM(BPF_ADD, R1, 33)),
VT_B_OK("bounds: sub from constant", INSN_ALU64_IMM(BPF_AND, R1, 15), INSN_MOV64_IMM(R2, 20), INSN_ALU64_REG(BPF_SUB, R2, R1),
	INSN_MOV64_REG(R1, R2)),
VT_B_BAD("bounds: sub below zero", "R0 min value is negative", INSN_ALU64_IMM(BPF_AND, R1, 15), INSN_MOV64_IMM(R2, 10),
	 INSN_ALU64_REG(BPF_SUB, R2, R1), INSN_MOV64_REG(R1, R2)),
VT_B_OK("bounds: xor", INSN_ALU64_IMM(BPF_AND, R1, 15), INSN_ALU64_IMM(BPF_XOR, R1, 16)),
VT_B_BAD("bounds: xor to big", "R0 min value is outside of the allowed memory range", INSN_ALU64_IMM(BPF_AND, R1, 15), INSN_ALU64_IMM(BPF_XOR, R1, 64)),
VT_B_OK("bounds: or", INSN_ALU64_IMM(BPF_AND, R1, 7), INSN_ALU64_IMM(BPF_OR, R1, 32)),
VT_B_BAD("bounds: or big", "R0 min value is outside of the allowed memory range", INSN_ALU64_IMM(BPF_AND, R1, 7), INSN_ALU64_IMM(BPF_OR, R1, 48)),
VT_B_BAD("bounds: neg", "math between map_value pointer and register with unbounded min value",
	 INSN_ALU64_IMM(BPF_AND, R1, 7), INSN(BPF_ALU64 | BPF_NEG, R1, 0, 0, 0)),
VT_B_BAD("bounds: div makes unknown", "R0 unbounded memory access",
	 INSN_ALU64_IMM(BPF_AND, R1, 7), INSN_ALU32_IMM(BPF_DIV, R1, 2)),
VT_B_BAD("bounds: endian makes unknown", "math between map_value pointer and register with unbounded min value",
	 INSN_ALU64_IMM(BPF_AND, R1, 7), INSN_ENDIAN(BPF_TO_BE, R1, 32)),
VT_B_OKJ("bounds: jgt check", INSN_JMP_IMM(BPF_JGT, R1, 47, 3)),
VT_B_BADJ("bounds: jgt check off by one", "R0 max value is outside", INSN_JMP_IMM(BPF_JGT, R1, 48, 3)),
VT_B_OKJ("bounds: jge check", INSN_JMP_IMM(BPF_JGE, R1, 48, 3)),
VT_B_OKJ("bounds: jlt check inverted", INSN_JMP_IMM(BPF_JLT, R1, 48, 1), INSN_JMP_A(3)),
VT_B_OKJ("bounds: jle check inverted", INSN_JMP_IMM(BPF_JLE, R1, 47, 1), INSN_JMP_A(3)),
VT_B_BADJ("bounds: jsgt only", "math between map_value pointer and register with unbounded min value",
	 INSN_JMP_IMM(BPF_JSGT, R1, 47, 3)),
VT_B_OKJ("bounds: jsgt and jslt", INSN_JMP_IMM(BPF_JSGT, R1, 47, 4), INSN_JMP_IMM(BPF_JSLT, R1, 0, 3)),
VT_B_OKJ("bounds: jsge and jsle", INSN_JMP_IMM(BPF_JSLE, R1, -1, 4), INSN_JMP_IMM(BPF_JSGE, R1, 48, 3)),
VT_B_OKJ("bounds: jset clears bits", INSN_ALU64_IMM(BPF_AND, R1, 0x3f), INSN_JMP_IMM(BPF_JSET, R1, 0x30, 3)),
VT_B_OKJ("bounds: jeq constant", INSN_JMP_IMM(BPF_JNE, R1, 7, 3)),
VT_B_BADJ("bounds: jne constant in wrong branch", "math between map_value pointer and register with unbounded min value", INSN_JMP_IMM(BPF_JEQ, R1, 7, 3)),
VT_B_OKJ("bounds: register compare with constant reg", INSN_MOV64_IMM(R2, 48), INSN_JMP_REG(BPF_JGE, R1, R2, 3)),
VT_B_OKJ("bounds: register compare, constant on the left", INSN_MOV64_IMM(R2, 48), INSN_JMP_REG(BPF_JLE, R2, R1, 3)),
VT_B_OKJ("bounds: equality with a bounded register",
	INSN_LDX_MEM(BPF_B, R2, R0, 8), INSN_ALU64_IMM(BPF_AND, R2, 31), INSN_JMP_REG(BPF_JNE, R1, R2, 3)),
VT_B_OKJ("bounds: copy shares the check", INSN_MOV64_REG(R3, R1), INSN_JMP_IMM(BPF_JGT, R3, 47, 3)),
VT_B_BADJ("bounds: copy made after the change is not linked", "math between map_value pointer and register with unbounded min value",
	 INSN_MOV64_REG(R3, R1), INSN_ALU64_IMM(BPF_ADD, R3, 0), INSN_JMP_IMM(BPF_JGT, R3, 47, 3)),
VT_B_BADJ("bounds: copy changed after it was made", "math between map_value pointer and register with unbounded min value",
	 INSN_MOV64_REG(R3, R1), INSN_ALU64_IMM(BPF_ADD, R1, 1), INSN_JMP_IMM(BPF_JGT, R3, 47, 3)),
VT_B_OKJ("jmp32: jlt on a u32 load", INSN_LDX_MEM(BPF_W, R1, R0, 0), INSN_JMP32_IMM(BPF_JGE, R1, 48, 3)),
VT_B_BADJ("jmp32: jlt on a u64 value", "math between map_value pointer and register with unbounded min value", INSN_JMP32_IMM(BPF_JGE, R1, 48, 3)),
VT_B_OKJ("jmp32: w1 < 48 then zext", INSN_JMP32_IMM(BPF_JGE, R1, 48, 4), INSN_MOV32_REG(R1, R1)),
VT_B_OKJ("jmp32: jgt reg", INSN_LDX_MEM(BPF_W, R1, R0, 0), INSN_MOV64_IMM(R2, 47), INSN_JMP32_REG(BPF_JGT, R1, R2, 3)),
VT_B_BADJ("jmp32: signed only", "R0 unbounded memory access",
	 INSN_LDX_MEM(BPF_W, R1, R0, 0), INSN_JMP32_IMM(BPF_JSGT, R1, 47, 3)),
VT_B_OKJ("jmp32: signed both", INSN_LDX_MEM(BPF_W, R1, R0, 0), INSN_JMP32_IMM(BPF_JSGT, R1, 47, 4),
	INSN_JMP32_IMM(BPF_JSLT, R1, 0, 3)),
VT_B_OKJ("jmp32: jset", INSN_ALU64_IMM(BPF_AND, R1, 0x3f), INSN_JMP32_IMM(BPF_JSET, R1, 0x30, 3)),
VT_B_OKJ("jmp32: jeq on zero-extended", INSN_LDX_MEM(BPF_W, R1, R0, 0), INSN_JMP32_IMM(BPF_JNE, R1, 40, 3)),
VT_B_BADJ("jmp32: jeq on 64-bit keeps upper bits unknown", "makes map_value pointer be out of bounds", INSN_JMP32_IMM(BPF_JNE, R1, 40, 3)),
VT_B_BADJ("alu32: add overflow wraps", "R0 unbounded memory access",
	 INSN_LDX_MEM(BPF_W, R1, R0, 0), INSN_JMP_IMM(BPF_JGT, R1, 47, 4), INSN_ALU32_IMM(BPF_ADD, R1, -1)),
VT_B_OKJ("alu32: sub stays in range", INSN_LDX_MEM(BPF_W, R1, R0, 0), INSN_JMP_IMM(BPF_JGT, R1, 40, 5),
	INSN_JMP_IMM(BPF_JLT, R1, 8, 4), INSN_ALU32_IMM(BPF_SUB, R1, 8)),
VT_B_BADJ("alu32: sub may wrap", "R0 unbounded memory access", INSN_LDX_MEM(BPF_W, R1, R0, 0), INSN_JMP_IMM(BPF_JGT, R1, 40, 4),
	 INSN_ALU32_IMM(BPF_SUB, R1, 8)),
VT_B_OK("alu32: or then and", INSN_ALU32_IMM(BPF_OR, R1, 1), INSN_ALU32_IMM(BPF_AND, R1, 31)),
VT_B_OK("alu32: xor known", INSN_MOV32_IMM(R1, 5), INSN_ALU32_IMM(BPF_XOR, R1, 40)),
VT_B_OK("alu32: arsh of positive", INSN_LDX_MEM(BPF_W, R1, R0, 0), INSN_ALU32_IMM(BPF_AND, R1, 0x7fff), INSN_ALU32_IMM(BPF_ARSH, R1, 10)),
VT_B_BAD("alu32: arsh of negative is large unsigned", "value 4294967264 makes map_value pointer be out of bounds",
	 INSN_ALU32_IMM(BPF_OR, R1, 0x80000000), INSN_ALU32_IMM(BPF_ARSH, R1, 26)),
VT_B_OK("alu64: constant folding", INSN_MOV64_IMM(R1, 100), INSN_ALU64_IMM(BPF_SUB, R1, 60), INSN_ALU64_IMM(BPF_SUB, R1, 1)),
VT_B_BAD("alu64: div by constant is not tracked", "math between map_value pointer and register with unbounded min value", INSN_MOV64_IMM(R1, 40), INSN_ALU64_IMM(BPF_DIV, R1, 1)),
VT_B_BAD("alu64: constant too big", "invalid access to map value, value_size=48 off=48 size=1",
	 INSN_MOV64_IMM(R1, 100), INSN_ALU64_IMM(BPF_SUB, R1, 52)),
VT_B_BAD("bounds: zero-extended mov of -1 (sign-extended mov test)", "math between map_value pointer and 4294967295 is not allowed",
	 INSN_MOV64_IMM(R1, -1), INSN_ALU64_IMM(BPF_RSH, R1, 32)),
VT_B_OK("bounds: zero-extended 32-bit mov of -1 then >>32", INSN_MOV32_IMM(R1, -1), INSN_ALU64_IMM(BPF_RSH, R1, 32)),
VT_B_BAD("bounds: large constant offset", "math between map_value pointer and 536870912 is not allowed",
	 INSN_MOV64_IMM(R1, 1 << 29)),
VT_B_BADJ("bounds: mixing signed and unsigned (1)", "math between map_value pointer and register with unbounded min value",
	 INSN_MOV64_IMM(R2, -1), INSN_JMP_REG(BPF_JGT, R1, R2, 4), INSN_JMP_IMM(BPF_JSGT, R1, 1, 3)),
VT_B_BADJ("bounds: mixing signed and unsigned (2)", "math between map_value pointer and register with unbounded min value",
	 INSN_MOV64_IMM(R2, -1), INSN_JMP_REG(BPF_JGT, R1, R2, 7), INSN_MOV64_IMM(R8, 0), INSN_ALU64_REG(BPF_ADD, R8, R1),
	 INSN_JMP_IMM(BPF_JSGT, R8, 1, 4), INSN_MOV64_REG(R1, R8)),
VT_B_OKJ("bounds: mixing signed and unsigned (ok)", INSN_JMP_IMM(BPF_JGT, R1, 40, 4), INSN_JMP_IMM(BPF_JSGT, R1, 1, 3)),
VT_B_BADJ("bounds: unsigned check, then subtraction", "R0 min value is negative",
	 INSN_JMP_IMM(BPF_JGT, R1, 40, 4), INSN_ALU64_IMM(BPF_SUB, R1, 20)),
VT_B_OKJ("bounds: two-sided unsigned check after subtraction", INSN_JMP_IMM(BPF_JGT, R1, 40, 6), INSN_JMP_IMM(BPF_JLT, R1, 20, 5),
	INSN_ALU64_IMM(BPF_SUB, R1, 20), INSN_ALU64_IMM(BPF_ADD, R1, 0)),
VT_B_BAD("bounds: ptr += var then ptr -= var", "R0 min value is negative", INSN_ALU64_IMM(BPF_AND, R1, 15), INSN_ALU64_REG(BPF_ADD, R0, R1),
	INSN_ALU64_REG(BPF_SUB, R0, R1), INSN_ALU64_IMM(BPF_AND, R1, 0)),
VT_B_OK("bounds: movsx of byte", INSN_ALU64_IMM(BPF_AND, R1, 0x1f), INSN(BPF_ALU64 | BPF_MOV | BPF_X, R1, R1, 8, 0)),
VT_B_BAD("bounds: movsx of byte may be negative", "R0 min value is negative",
	 INSN_ALU64_IMM(BPF_AND, R1, 0xff), INSN(BPF_ALU64 | BPF_MOV | BPF_X, R1, R1, 8, 0)),
VT_B_OK("bounds: 32-bit movsx", INSN_ALU64_IMM(BPF_AND, R1, 0x1f), INSN(BPF_ALU | BPF_MOV | BPF_X, R1, R1, 16, 0)),
VT_B_BAD("bounds: sdiv makes unknown", "R0 unbounded memory access",
	 INSN_ALU64_IMM(BPF_AND, R1, 0x1f), INSN(BPF_ALU | BPF_DIV | BPF_K, R1, 0, 1, 2)),
VT_B_BAD("bounds: bswap makes unknown", "math between map_value pointer and register with unbounded min value",
	 INSN_ALU64_IMM(BPF_AND, R1, 0x1f), INSN_BSWAP(R1, 16)),
VT_B_OKJ("bounds: u8 load", INSN_LDX_MEM(BPF_B, R1, R0, 3), INSN_JMP_IMM(BPF_JGT, R1, 47, 3)),
VT_B_BAD("bounds: u8 load is up to 255", "R0 max value is outside", INSN_LDX_MEM(BPF_B, R1, R0, 3)),
VT_B_OK("bounds: u8 load shifted", INSN_LDX_MEM(BPF_B, R1, R0, 3), INSN_ALU64_IMM(BPF_RSH, R1, 3)),
VT_B_OKJ("bounds: s8 load checked unsigned", INSN_LDX_MEMSX(BPF_B, R1, R0, 3),
	 INSN_JMP_IMM(BPF_JGT, R1, 47, 3)),
VT_B_OKJ("bounds: s8 load checked both ways", INSN_LDX_MEMSX(BPF_B, R1, R0, 3), INSN_JMP_IMM(BPF_JSGT, R1, 47, 4),
	INSN_JMP_IMM(BPF_JSLT, R1, 0, 3)),
{ "bounds: spilled bounded scalar keeps bounds (root only)",
  .insns = { VT_B_START, INSN_ALU64_IMM(BPF_AND, R1, 31), INSN_STX_MEM(BPF_DW, R10, R1, -16),
	     INSN_LDX_MEM(BPF_DW, R1, R10, -16), VT_B_USE },
  .result = VT_ACCEPT, VT_RUN(0), .result_unpriv = VT_REJECT, .errstr_unpriv = "math between map_value pointer and register with unbounded min value" },
VT_B_BAD("bounds: s8 load may be negative", "R0 min value is negative", INSN_LDX_MEMSX(BPF_B, R1, R0, 3),
	 INSN_JMP_IMM(BPF_JSGT, R1, 47, 0)),
VT_B_BAD("bounds: spilled then partially overwritten", "math between map_value pointer and register with unbounded min value", INSN_ALU64_IMM(BPF_AND, R1, 31),
	 INSN_STX_MEM(BPF_DW, R10, R1, -16), INSN_ST_MEM(BPF_B, R10, -9, 7), INSN_LDX_MEM(BPF_DW, R1, R10, -16)),
VT_B_BAD("bounds: 32-bit fill of spilled 64-bit bounded reg is unknown u32", "R0 unbounded memory access",
	 INSN_ALU64_IMM(BPF_AND, R1, 31), INSN_STX_MEM(BPF_DW, R10, R1, -16), INSN_LDX_MEM(BPF_W, R1, R10, -12)),
/* unprivileged: the dead side is verified as a speculative path (sanitize_speculative_path) */
{ "bounds: dead branch ignores bad access",
  .insns = { VT_B_START, INSN_MOV64_IMM(R1, 0), INSN_JMP_IMM(BPF_JEQ, R1, 0, 2),
	     INSN_ALU64_IMM(BPF_ADD, R0, 100000), INSN_LDX_MEM(BPF_B, R0, R0, 0), VT_B_USE },
  .result = VT_ACCEPT, VT_RUN(0),
  .result_unpriv = VT_REJECT, .errstr_unpriv = "R0 pointer arithmetic of map value goes out of range" },
{ "bounds: dead branch via range",
  .insns = { VT_B_START, INSN_ALU64_IMM(BPF_AND, R1, 7), INSN_JMP_IMM(BPF_JLT, R1, 8, 2),
	     INSN_LDX_MEM(BPF_B, R0, R0, 100), INSN_EXIT(), VT_B_USE },
  .result = VT_ACCEPT, VT_RUN(0), .result_unpriv = VT_REJECT, .errstr_unpriv = "invalid access to map value" },
VT_B_BAD("bounds: not dead after all", "invalid access to map value, value_size=48 off=100 size=1",
	 INSN_ALU64_IMM(BPF_AND, R1, 15), INSN_JMP_IMM(BPF_JLT, R1, 8, 2), INSN_LDX_MEM(BPF_B, R0, R0, 100), INSN_EXIT()),
{ "jmp32: dead branch via 32-bit range",
  .insns = { VT_B_START, INSN_ALU32_IMM(BPF_AND, R1, 7), INSN_JMP32_IMM(BPF_JLT, R1, 8, 2),
	     INSN_LDX_MEM(BPF_B, R0, R0, 100), INSN_EXIT(), VT_B_USE },
  .result = VT_ACCEPT, VT_RUN(0), .result_unpriv = VT_REJECT, .errstr_unpriv = "invalid access to map value" },
VT_B_OKJ("jmp32: jsgt refines s32", INSN_LDX_MEM(BPF_W, R1, R0, 0), INSN_JMP32_IMM(BPF_JSGE, R1, 0, 1), INSN_JMP_A(4),
	INSN_JMP32_IMM(BPF_JSGT, R1, 47, 3)),
VT_B_OK("bounds: var_off alignment from lsh", INSN_ALU64_IMM(BPF_AND, R1, 3), INSN_ALU64_IMM(BPF_LSH, R1, 2),
	INSN_ALU64_IMM(BPF_ADD, R1, 4)),
VT_B_OKJ("bounds: 64-bit compare on small 32-bit sum", INSN_LDX_MEM(BPF_B, R1, R0, 0), INSN_LDX_MEM(BPF_B, R2, R0, 1),
	INSN_ALU32_REG(BPF_ADD, R1, R2), INSN_JMP_IMM(BPF_JGT, R1, 47, 3)),
VT_B_OK("bounds: 32-bit lsh 32 via two shifts", INSN_ALU64_IMM(BPF_AND, R1, 15), INSN_ALU64_IMM(BPF_LSH, R1, 32),
	INSN_ALU64_IMM(BPF_ARSH, R1, 32)),
VT_B_BADJ("bounds: 64-bit add overflow", "R0 unbounded memory access",
	 INSN_LD_IMM64(R2, 0x7fffffffffffffffULL), INSN_ALU64_REG(BPF_ADD, R1, R2), INSN_JMP_IMM(BPF_JSLT, R1, 0, 3)),
};
