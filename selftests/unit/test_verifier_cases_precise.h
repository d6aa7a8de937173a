/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Verifier cases: precision tracking.  Two paths join with a scalar of
 * different values; the safe path is explored first and leaves a
 * checkpoint at the join.  A safety decision made on the scalar after the
 * join must make it precise back to the checkpoint (through copies, ALU,
 * spills and fills), so the unsafe path is not pruned.
 */

/* r0 = map value, r1 = its first byte, r2 = 41 if r1 != 0 else 0 */
#define VT_P_START						\
	VT_MAPVAL(VT_MAP_ARRAY_48B),				\
	INSN_LDX_MEM(BPF_B, R1, R0, 0),				\
	INSN_MOV64_IMM(R2, 41),					\
	INSN_JMP_IMM(BPF_JNE, R1, 0, 1),			\
	INSN_MOV64_IMM(R2, 0),					\
	INSN_JMP_A(0)

/* if (rX > 40) access 8 bytes at value + 44: the unsafe path */
#define VT_P_DECIDE(rx)						\
	INSN_JMP_IMM(BPF_JGT, rx, 40, 2),			\
	INSN_MOV64_IMM(R0, 0),					\
	INSN_EXIT(),						\
	INSN_LDX_MEM(BPF_DW, R0, R0, 44),			\
	INSN_EXIT()

#define VT_P_ERR	"invalid access to map value, value_size=48 off=44 size=8"

static const struct vt_case vt_cases_precise[] = {
{
	"precise: branch decided on the joined register",
	.insns = { VT_P_START, VT_P_DECIDE(R2) },
	.result = VT_REJECT, .errstr = VT_P_ERR,
},
{
	"precise: through a copy and an add",
	.insns = { VT_P_START, INSN_MOV64_REG(R4, R2), INSN_ALU64_IMM(BPF_ADD, R4, 1),
		   INSN_ALU64_IMM(BPF_SUB, R4, 1), VT_P_DECIDE(R4) },
	.result = VT_REJECT, .errstr = VT_P_ERR,
},
{
	"precise: through an add of two registers",
	.insns = { VT_P_START, INSN_MOV64_IMM(R4, 0), INSN_ALU64_REG(BPF_ADD, R4, R2),
		   VT_P_DECIDE(R4) },
	.result = VT_REJECT, .errstr = VT_P_ERR,
},
{
	"precise: through a spill and a fill at r10",
	.insns = { VT_P_START, INSN_STX_MEM(BPF_DW, R10, R2, -16), INSN_JMP_A(0),
		   INSN_LDX_MEM(BPF_DW, R4, R10, -16), VT_P_DECIDE(R4) },
	.result = VT_REJECT, .errstr = VT_P_ERR,
},
{
	"precise: spilled before the join",
	.insns = {
		VT_MAPVAL(VT_MAP_ARRAY_48B),
		INSN_LDX_MEM(BPF_B, R1, R0, 0),
		INSN_ST_MEM(BPF_DW, R10, -16, 41),
		INSN_MOV64_IMM(R2, 41),
		INSN_JMP_IMM(BPF_JNE, R1, 0, 2),
		INSN_MOV64_IMM(R2, 0),
		INSN_STX_MEM(BPF_DW, R10, R2, -16),
		INSN_MOV64_IMM(R2, 7),
		INSN_JMP_A(0),
		INSN_LDX_MEM(BPF_DW, R4, R10, -16),
		VT_P_DECIDE(R4),
	},
	.result = VT_REJECT, .errstr = "",
},
{
	"precise: through a spill via another register",
	.insns = { VT_P_START, INSN_MOV64_REG(R3, R10), INSN_STX_MEM(BPF_DW, R3, R2, -16),
		   INSN_JMP_A(0), INSN_LDX_MEM(BPF_DW, R4, R10, -16), VT_P_DECIDE(R4) },
	.result = VT_REJECT, .errstr = VT_P_ERR,
},
{
	"precise: through a fill via another register",
	.insns = { VT_P_START, INSN_STX_MEM(BPF_DW, R10, R2, -16), INSN_JMP_A(0),
		   INSN_MOV64_REG(R3, R10), INSN_LDX_MEM(BPF_DW, R4, R3, -16), VT_P_DECIDE(R4) },
	.result = VT_REJECT, .errstr = VT_P_ERR,
},
{
	"precise: as a helper's size (ctx kept in r6)",
	.insns = {
		INSN_MOV64_REG(R6, R1),
		VT_P_START,
		INSN_ALU64_IMM(BPF_ADD, R2, 8),
		INSN_MOV64_REG(R4, R2),
		INSN_MOV64_REG(R1, R6),
		INSN_MOV64_IMM(R2, 0),
		INSN_MOV64_REG(R3, R10),
		INSN_ALU64_IMM(BPF_ADD, R3, -16),
		INSN_CALL(BPF_FUNC_skb_load_bytes),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "invalid indirect access to stack R3 off=-16 size=49",
},
{
	"precise: as a pointer offset",
	.insns = { VT_P_START, INSN_ALU64_REG(BPF_ADD, R0, R2), INSN_LDX_MEM(BPF_DW, R0, R0, 0),
		   INSN_EXIT() },
	.result = VT_REJECT, .errstr = "invalid access to map value, value_size=48 off=41 size=8",
	.errstr_unpriv = "R0 tried to add from different maps, paths or scalars",
},
{
	"precise: unused difference still prunes (accepted)",
	.insns = { VT_P_START, INSN_MOV64_IMM(R0, 1), INSN_ALU64_REG(BPF_ADD, R0, R2), INSN_EXIT() },
	.result = VT_ACCEPT, VT_RUN(1),
	.result_unpriv = VT_SAME,
},
{
	"precise: linked copies keep their links across a join",
	.insns = {
		VT_MAPVAL(VT_MAP_ARRAY_48B),
		INSN_LDX_MEM(BPF_B, R6, R0, 0),
		INSN_LDX_MEM(BPF_B, R7, R0, 1),
		INSN_LDX_MEM(BPF_B, R8, R0, 2),
		INSN_JMP_IMM(BPF_JNE, R8, 0, 1),
		INSN_MOV64_REG(R7, R6),
		INSN_JMP_A(0),
		INSN_JMP_IMM(BPF_JGT, R6, 40, 3),
		INSN_ALU64_REG(BPF_ADD, R0, R7),
		INSN_LDX_MEM(BPF_DW, R0, R0, 0),
		INSN_EXIT(),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "R0 max value is outside of the allowed memory range",
	.errstr_unpriv = "",
},
};
