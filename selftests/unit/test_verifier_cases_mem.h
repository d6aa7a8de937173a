/* SPDX-License-Identifier: GPL-2.0 */
/* Verifier cases: context, stack spills (packet access: _pkt.h). */

#define SKB(f)	offsetof(struct __sk_buff, f)

static const struct vt_case vt_cases_mem[] = {
/* ---- context ---- */
{
	"ctx: read len",
	.insns = { INSN_LDX_MEM(BPF_W, R0, R1, SKB(len)), INSN_EXIT() },
	.result = VT_ACCEPT, VT_RUN(64),
},
{
	"ctx: read protocol",
	.insns = { INSN_LDX_MEM(BPF_W, R0, R1, SKB(protocol)), INSN_EXIT() },
	.result = VT_ACCEPT, VT_RUN(8),
},
{
	"ctx: narrow read of len (byte 0)",
	.insns = { INSN_LDX_MEM(BPF_B, R0, R1, SKB(len)), INSN_EXIT() },
	.data_len = 300,
	.result = VT_ACCEPT, VT_RUN(300 & 0xff),
},
{
	"ctx: narrow read of len (half 0)",
	.insns = { INSN_LDX_MEM(BPF_H, R0, R1, SKB(len)), INSN_EXIT() },
	.data_len = 300,
	.result = VT_ACCEPT, VT_RUN(300),
},
{
	/* bpf_ctx_narrow_access_ok(): 6.1 reads a byte inside the field */
	"ctx: narrow read at odd offset",
	.insns = { INSN_LDX_MEM(BPF_B, R0, R1, SKB(len) + 1), INSN_EXIT() },
	.result = VT_ACCEPT, VT_RUN(0),
},
{
	"ctx: 8-byte read of len",
	.insns = { INSN_LDX_MEM(BPF_DW, R0, R1, SKB(len)), INSN_EXIT() },
	.result = VT_REJECT, .errstr = "invalid bpf_context access off=0 size=8",
},
{
	"ctx: read mark, priority, queue_mapping, vlan fields",
	.insns = {
		INSN_LDX_MEM(BPF_W, R2, R1, SKB(mark)),
		INSN_LDX_MEM(BPF_W, R3, R1, SKB(priority)),
		INSN_LDX_MEM(BPF_W, R4, R1, SKB(queue_mapping)),
		INSN_LDX_MEM(BPF_W, R5, R1, SKB(vlan_present)),
		INSN_LDX_MEM(BPF_W, R5, R1, SKB(vlan_tci)),
		INSN_LDX_MEM(BPF_W, R5, R1, SKB(vlan_proto)),
		INSN_LDX_MEM(BPF_W, R5, R1, SKB(pkt_type)),
		INSN_LDX_MEM(BPF_W, R5, R1, SKB(ingress_ifindex)),
		INSN_LDX_MEM(BPF_W, R5, R1, SKB(ifindex)),
		INSN_LDX_MEM(BPF_W, R5, R1, SKB(tc_index)),
		INSN_LDX_MEM(BPF_W, R5, R1, SKB(hash)),
		INSN_LDX_MEM(BPF_W, R5, R1, SKB(napi_id)),
		INSN_LDX_MEM(BPF_W, R5, R1, SKB(gso_segs)),
		INSN_LDX_MEM(BPF_W, R5, R1, SKB(gso_size)),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT, VT_RUN(0),
},
{
	"ctx: read remote_ip4 and local_port refused",
	.insns = { INSN_LDX_MEM(BPF_W, R0, R1, SKB(local_port)), INSN_EXIT() },
	.result = VT_REJECT, .errstr = "invalid bpf_context access",
},
{
	"ctx: read family refused",
	.insns = { INSN_LDX_MEM(BPF_W, R0, R1, SKB(family)), INSN_EXIT() },
	.result = VT_REJECT, .errstr = "invalid bpf_context access",
},
{
	"ctx: read tc_classid refused",
	.insns = { INSN_LDX_MEM(BPF_W, R0, R1, SKB(tc_classid)), INSN_EXIT() },
	.result = VT_REJECT, .errstr = "invalid bpf_context access",
},
{
	"ctx: read data_meta refused",
	.insns = { INSN_LDX_MEM(BPF_W, R0, R1, SKB(data_meta)), INSN_EXIT() },
	.result = VT_REJECT, .errstr = "invalid bpf_context access",
},
{
	"ctx: read tstamp refused",
	.insns = { INSN_LDX_MEM(BPF_DW, R0, R1, SKB(tstamp)), INSN_EXIT() },
	.result = VT_REJECT, .errstr = "invalid bpf_context access",
},
{
	/* PTR_TO_SOCK_COMMON_OR_NULL, NULL in bpfdev; a pointer returned by root */
	"ctx: read sk",
	.insns = { INSN_LDX_MEM(BPF_DW, R0, R1, SKB(sk)), INSN_EXIT() },
	.result = VT_ACCEPT, VT_RUN(0),
	.result_unpriv = VT_REJECT, .errstr_unpriv = "R0 leaks addr as return value",
},
{
	"ctx: read past the end",
	.insns = { INSN_LDX_MEM(BPF_W, R0, R1, sizeof(struct __sk_buff)), INSN_EXIT() },
	.result = VT_REJECT, .errstr = "invalid bpf_context access",
},
{
	"ctx: negative offset",
	.insns = { INSN_LDX_MEM(BPF_W, R0, R1, -4), INSN_EXIT() },
	.result = VT_REJECT, .errstr = "invalid bpf_context access off=-4 size=4",
},
{
	"ctx: write and read cb[0]",
	.insns = {
		INSN_MOV64_IMM(R2, 77),
		INSN_STX_MEM(BPF_W, R1, R2, SKB(cb[0])),
		INSN_LDX_MEM(BPF_W, R0, R1, SKB(cb[0])),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT, VT_RUN(77),
},
{
	"ctx: write cb[4] 8 bytes out of range",
	.insns = {
		INSN_MOV64_IMM(R2, 77),
		INSN_STX_MEM(BPF_DW, R1, R2, SKB(cb[4])),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "invalid bpf_context access",
},
{
	"ctx: write cb[3] 8 bytes (misaligned for its size)",
	.insns = {
		INSN_MOV64_IMM(R2, 5),
		INSN_STX_MEM(BPF_DW, R1, R2, SKB(cb[3])),
		INSN_LDX_MEM(BPF_W, R0, R1, SKB(cb[3])),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "invalid bpf_context access off=60 size=8",
},
{
	"ctx: write cb[2] 8 bytes",
	.insns = {
		INSN_MOV64_IMM(R2, 5),
		INSN_STX_MEM(BPF_DW, R1, R2, SKB(cb[2])),
		INSN_LDX_MEM(BPF_W, R0, R1, SKB(cb[2])),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT, VT_RUN(5),
},
{
	"ctx: write cb[1] byte",
	.insns = {
		INSN_MOV64_IMM(R2, 3),
		INSN_STX_MEM(BPF_B, R1, R2, SKB(cb[1]) + 2),
		INSN_LDX_MEM(BPF_B, R0, R1, SKB(cb[1]) + 2),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT, VT_RUN(3),
},
{
	"ctx: write mark refused",
	.insns = {
		INSN_MOV64_IMM(R2, 1),
		INSN_STX_MEM(BPF_W, R1, R2, SKB(mark)),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "invalid bpf_context access off=8 size=4",
},
{
	"ctx: write len refused",
	.insns = {
		INSN_MOV64_IMM(R2, 1),
		INSN_STX_MEM(BPF_W, R1, R2, SKB(len)),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "invalid bpf_context access off=0 size=4",
},
{
	"ctx: BPF_ST into ctx",
	.insns = {
		INSN_ST_MEM(BPF_W, R1, SKB(cb[0]), 1),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "BPF_ST stores into R1 ctx is not allowed",
},
{
	"ctx: atomic add into ctx",
	.insns = {
		INSN_MOV64_IMM(R2, 1),
		INSN_ATOMIC_OP(BPF_W, BPF_ADD, R1, R2, SKB(cb[0])),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "BPF_ATOMIC stores into R1 ctx is not allowed",
},
{
	"ctx: pointer stored into cb leaks",
	.insns = {
		INSN_STX_MEM(BPF_DW, R1, R10, SKB(cb[0])),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT,
	.result_unpriv = VT_REJECT, .errstr_unpriv = "R10 leaks addr into ctx",
},
{
	"ctx: modified ctx pointer",
	.insns = {
		INSN_ALU64_IMM(BPF_ADD, R1, 4),
		INSN_LDX_MEM(BPF_W, R0, R1, 0),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "dereference of modified ctx ptr R1 off=4 disallowed",
},
{
	"ctx: variable offset",
	.insns = {
		INSN_LDX_MEM(BPF_W, R2, R1, SKB(len)),
		INSN_ALU64_IMM(BPF_AND, R2, 4),
		INSN_ALU64_REG(BPF_ADD, R1, R2),
		INSN_LDX_MEM(BPF_W, R0, R1, 0),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "variable ctx access var_off=(0x0; 0x4) disallowed",
	.errstr_unpriv = "R1 has pointer with unsupported alu operation",
},
{
	"ctx: data narrow read refused",
	.insns = { INSN_LDX_MEM(BPF_H, R0, R1, SKB(data)), INSN_EXIT() },
	.result = VT_REJECT, .errstr = "invalid bpf_context access",
},
{
	"ctx: same insn with ctx and stack",
	.insns = {
		INSN_MOV64_REG(R2, R1),
		INSN_ST_MEM(BPF_DW, R10, -8, 0),
		INSN_LDX_MEM(BPF_W, R3, R1, SKB(len)),
		INSN_JMP_IMM(BPF_JGT, R3, 10, 2),
		INSN_MOV64_REG(R2, R10),
		INSN_ALU64_IMM(BPF_ADD, R2, -8),
		INSN_LDX_MEM(BPF_W, R0, R2, 0),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "same insn cannot be used with different pointers",
},
{
	"ctx: ctx pointer spilled and filled",
	.insns = {
		INSN_STX_MEM(BPF_DW, R10, R1, -8),
		INSN_LDX_MEM(BPF_DW, R2, R10, -8),
		INSN_LDX_MEM(BPF_W, R0, R2, SKB(len)),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT, VT_RUN(64),
},
/* ---- stack and spills ---- */
{
	"spill: scalar keeps its value",
	.insns = {
		INSN_MOV64_IMM(R2, 12),
		INSN_STX_MEM(BPF_DW, R10, R2, -16),
		INSN_LDX_MEM(BPF_DW, R0, R10, -16),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT, VT_RUN(12),
},
{
	"spill: partial fill of a pointer",
	.insns = {
		INSN_STX_MEM(BPF_DW, R10, R1, -8),
		INSN_LDX_MEM(BPF_W, R0, R10, -8),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "invalid size of register fill",
},
{
	"spill: partial spill of a pointer",
	.insns = {
		INSN_STX_MEM(BPF_W, R10, R1, -8),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "invalid size of register spill",
},
{
	"spill: corrupt spilled pointer",
	.insns = {
		INSN_STX_MEM(BPF_DW, R10, R1, -8),
		INSN_ST_MEM(BPF_W, R10, -8, 0),
		INSN_LDX_MEM(BPF_DW, R0, R10, -8),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT,
	.result_unpriv = VT_REJECT, .errstr_unpriv = "attempt to corrupt spilled pointer on stack",
},
{
	"spill: overwritten spilled pointer is a scalar",
	.insns = {
		INSN_STX_MEM(BPF_DW, R10, R1, -8),
		INSN_ST_MEM(BPF_DW, R10, -8, 0),
		INSN_LDX_MEM(BPF_DW, R2, R10, -8),
		INSN_LDX_MEM(BPF_W, R0, R2, 0),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "R2 invalid mem access 'scalar'",
},
{
	"spill: pointer survives, filled pointer used",
	.insns = {
		INSN_MOV64_REG(R6, R1),
		INSN_STX_MEM(BPF_DW, R10, R6, -8),
		INSN_CALL(BPF_FUNC_get_prandom_u32),
		INSN_LDX_MEM(BPF_DW, R1, R10, -8),
		INSN_LDX_MEM(BPF_W, R0, R1, SKB(len)),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT, VT_RUN(64),
},
{
	"spill: 32-bit scalar spill and fill",
	.insns = {
		INSN_MOV64_IMM(R2, 0x1234),
		INSN_STX_MEM(BPF_W, R10, R2, -4),
		INSN_LDX_MEM(BPF_W, R0, R10, -4),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT, VT_RUN(0x1234),
},
{
	"spill: 32-bit fill of a 64-bit scalar spill",
	.insns = {
		INSN_LD_IMM64(R2, 0x1111222233334444ULL),
		INSN_STX_MEM(BPF_DW, R10, R2, -8),
		INSN_LDX_MEM(BPF_W, R0, R10, -8),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT, VT_RUN(0x33334444),
},
{
	"spill: partial fill stays bounded (kernel bug class: partial spills)",
	.insns = {
		/* r6 = 0xffffffff; spill 8 bytes; fill upper 4 bytes */
		INSN_MOV32_IMM(R6, -1),
		INSN_STX_MEM(BPF_DW, R10, R6, -8),
		INSN_LDX_MEM(BPF_W, R0, R10, -4),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT, VT_RUN(0),
},
{
	"spill: unknown scalar spilled partially then read whole",
	.insns = {
		INSN_LDX_MEM(BPF_W, R2, R1, SKB(len)),
		INSN_STX_MEM(BPF_W, R10, R2, -8),
		INSN_LDX_MEM(BPF_DW, R0, R10, -8),
		INSN_EXIT(),
	},
	/* root may read stack it never wrote (allow_uninit_stack) */
	.result = VT_ACCEPT, .result_unpriv = VT_REJECT, .errstr_unpriv = "invalid read from stack off -8+4 size 8",
},
{
	"stack: zero store makes STACK_ZERO, read gives 0",
	.insns = {
		INSN_MOV64_IMM(R2, 0),
		INSN_STX_MEM(BPF_DW, R10, R2, -8),
		INSN_LDX_MEM(BPF_W, R0, R10, -8),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT, VT_RUN(0),
},
{
	"stack: byte stores then word read",
	.insns = {
		INSN_ST_MEM(BPF_B, R10, -4, 1),
		INSN_ST_MEM(BPF_B, R10, -3, 2),
		INSN_ST_MEM(BPF_B, R10, -2, 3),
		INSN_ST_MEM(BPF_B, R10, -1, 4),
		INSN_LDX_MEM(BPF_W, R0, R10, -4),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT, VT_RUN(0x04030201),
},
{
	"stack: three of four bytes then word read",
	.insns = {
		INSN_ST_MEM(BPF_B, R10, -4, 1),
		INSN_ST_MEM(BPF_B, R10, -3, 2),
		INSN_ST_MEM(BPF_B, R10, -1, 4),
		INSN_LDX_MEM(BPF_W, R0, R10, -4),
		INSN_EXIT(),
	},
	/* root may read stack it never wrote (allow_uninit_stack) */
	.result = VT_ACCEPT, .result_unpriv = VT_REJECT, .errstr_unpriv = "invalid read from stack off -4+2 size 4",
},
{
	"stack: pointer arithmetic on fp",
	.insns = {
		INSN_MOV64_REG(R2, R10),
		INSN_ALU64_IMM(BPF_ADD, R2, -16),
		INSN_ST_MEM(BPF_DW, R2, 8, 9),
		INSN_LDX_MEM(BPF_DW, R0, R10, -8),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT, VT_RUN(9),
},
{
	"stack: fp pointer goes out of range (unpriv)",
	.insns = {
		INSN_MOV64_REG(R2, R10),
		INSN_ALU64_IMM(BPF_ADD, R2, 8),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT, VT_RUN(0),
	.result_unpriv = VT_REJECT,
	.errstr_unpriv = "R2 stack pointer arithmetic goes out of range, prohibited for !root; off=8",
},
{
	"stack: variable offset read (priv)",
	.insns = {
		INSN_ST_MEM(BPF_DW, R10, -16, 3),
		INSN_ST_MEM(BPF_DW, R10, -8, 3),
		INSN_LDX_MEM(BPF_W, R2, R1, SKB(len)),
		INSN_ALU64_IMM(BPF_AND, R2, 8),
		INSN_MOV64_REG(R3, R10),
		INSN_ALU64_IMM(BPF_ADD, R3, -16),
		INSN_ALU64_REG(BPF_ADD, R3, R2),
		INSN_LDX_MEM(BPF_DW, R0, R3, 0),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT, VT_RUN(3),
	.result_unpriv = VT_REJECT, .errstr_unpriv = "R3 variable stack access prohibited for !root",
},
{
	"stack: variable offset read of uninit",
	.insns = {
		INSN_ST_MEM(BPF_DW, R10, -8, 3),
		INSN_LDX_MEM(BPF_W, R2, R1, SKB(len)),
		INSN_ALU64_IMM(BPF_AND, R2, 8),
		INSN_MOV64_REG(R3, R10),
		INSN_ALU64_IMM(BPF_ADD, R3, -16),
		INSN_ALU64_REG(BPF_ADD, R3, R2),
		INSN_LDX_MEM(BPF_DW, R0, R3, 0),
		INSN_EXIT(),
	},
	/* root may read stack it never wrote (allow_uninit_stack) */
	.result = VT_ACCEPT, .result_unpriv = VT_REJECT,
	.errstr_unpriv = "R3 variable stack access prohibited for !root",
},
{
	"stack: variable offset write into uninit refused",
	.insns = {
		INSN_LDX_MEM(BPF_W, R2, R1, SKB(len)),
		INSN_ALU64_IMM(BPF_AND, R2, 8),
		INSN_MOV64_REG(R3, R10),
		INSN_ALU64_IMM(BPF_ADD, R3, -16),
		INSN_ALU64_REG(BPF_ADD, R3, R2),
		INSN_ST_MEM(BPF_DW, R3, 0, 1),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	/* root may read stack it never wrote (allow_uninit_stack) */
	.result = VT_ACCEPT, .result_unpriv = VT_REJECT,
	.errstr_unpriv = "R3 variable stack access prohibited for !root",
},
{
	"stack: unbounded variable offset",
	.insns = {
		INSN_LDX_MEM(BPF_W, R2, R1, SKB(len)),
		INSN_MOV64_REG(R3, R10),
		INSN_ALU64_REG(BPF_ADD, R3, R2),
		INSN_LDX_MEM(BPF_DW, R0, R3, -8),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "misaligned stack access off (0x0; 0xffffffff)+0+-8 size 8",
	.errstr_unpriv = "R3 variable stack access prohibited for !root",
},
{
	"stack: atomic add on stack",
	.insns = {
		INSN_ST_MEM(BPF_DW, R10, -8, 40),
		INSN_MOV64_IMM(R1, 2),
		INSN_ATOMIC_OP(BPF_DW, BPF_ADD, R10, R1, -8),
		INSN_LDX_MEM(BPF_DW, R0, R10, -8),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT, VT_RUN(42),
},
{
	"stack: atomic fetch add on stack",
	.insns = {
		INSN_ST_MEM(BPF_DW, R10, -8, 40),
		INSN_MOV64_IMM(R1, 2),
		INSN_ATOMIC_OP(BPF_DW, BPF_ADD | BPF_FETCH, R10, R1, -8),
		INSN_MOV64_REG(R0, R1),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT, VT_RUN(40),
},
{
	"stack: atomic on uninit stack",
	.insns = {
		INSN_MOV64_IMM(R1, 2),
		INSN_ATOMIC_OP(BPF_DW, BPF_ADD, R10, R1, -8),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	/* root may read stack it never wrote (allow_uninit_stack) */
	.result = VT_ACCEPT, .result_unpriv = VT_REJECT, .errstr_unpriv = "invalid read from stack",
},
{
	"stack: cmpxchg",
	.insns = {
		INSN_ST_MEM(BPF_DW, R10, -8, 3),
		INSN_MOV64_IMM(R0, 3),
		INSN_MOV64_IMM(R1, 4),
		INSN_ATOMIC_OP(BPF_DW, BPF_CMPXCHG, R10, R1, -8),
		INSN_LDX_MEM(BPF_DW, R0, R10, -8),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT, VT_RUN(4),
},
{
	"stack: cmpxchg with uninit r0",
	.insns = {
		INSN_ST_MEM(BPF_DW, R10, -8, 3),
		INSN_MOV64_IMM(R1, 4),
		INSN_ATOMIC_OP(BPF_DW, BPF_CMPXCHG, R10, R1, -8),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "R0 !read_ok",
},
{
	"stack: xchg of a pointer leaks",
	.insns = {
		INSN_ST_MEM(BPF_DW, R10, -8, 3),
		INSN_MOV64_REG(R1, R10),
		INSN_ATOMIC_OP(BPF_DW, BPF_XCHG, R10, R1, -8),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT, VT_RUN(0),
	.result_unpriv = VT_REJECT, .errstr_unpriv = "R1 leaks addr into mem",
},
{
	"stack: atomic invalid op",
	.insns = {
		INSN_ST_MEM(BPF_DW, R10, -8, 3),
		INSN_MOV64_IMM(R1, 4),
		INSN_ATOMIC_OP(BPF_DW, 0x77, R10, R1, -8),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "BPF_ATOMIC uses invalid atomic opcode 77",
},
{
	"stack: atomic byte size",
	.insns = {
		INSN_ST_MEM(BPF_DW, R10, -8, 3),
		INSN_MOV64_IMM(R1, 4),
		INSN_ATOMIC_OP(BPF_B, BPF_ADD, R10, R1, -8),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "unknown opcode d3",
},
};
