/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Verifier cases: structure, CFG, registers, ALU and basic memory rules.
 * Many follow the kernel's tools/testing/selftests/bpf/verifier/ cases.
 */

#define R0 BPF_REG_0
#define R1 BPF_REG_1
#define R2 BPF_REG_2
#define R3 BPF_REG_3
#define R4 BPF_REG_4
#define R5 BPF_REG_5
#define R6 BPF_REG_6
#define R7 BPF_REG_7
#define R8 BPF_REG_8
#define R9 BPF_REG_9
#define R10 BPF_REG_10

/* r0 = lookup(map, key = 0 at fp-8) */
#define VT_LOOKUP(map)						\
	INSN_ST_MEM(BPF_DW, R10, -8, 0),			\
	INSN_MOV64_REG(R2, R10),				\
	INSN_ALU64_IMM(BPF_ADD, R2, -8),			\
	INSN_LD_MAP_FD(R1, map),				\
	INSN_CALL(BPF_FUNC_map_lookup_elem)

/* r2 = data, r3 = data_end (r1 = ctx) */
#define VT_PKT_PTRS							\
	INSN_LDX_MEM(BPF_W, R2, R1, offsetof(struct __sk_buff, data)),	\
	INSN_LDX_MEM(BPF_W, R3, R1, offsetof(struct __sk_buff, data_end))

static const struct vt_case vt_cases_basic[] = {
{
	"add+sub+mul",
	.insns = {
		INSN_MOV64_IMM(R1, 1),
		INSN_ALU64_IMM(BPF_ADD, R1, 2),
		INSN_MOV64_IMM(R2, 3),
		INSN_ALU64_REG(BPF_SUB, R1, R2),
		INSN_ALU64_IMM(BPF_ADD, R1, -1),
		INSN_ALU64_IMM(BPF_MUL, R1, 3),
		INSN_MOV64_REG(R0, R1),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT, VT_RUN(-3),
},
{
	"unreachable",
	.insns = {
		INSN_EXIT(),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "unreachable insn 1",
},
{
	"unreachable2",
	.insns = {
		INSN_JMP_A(1),
		INSN_JMP_A(0),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "unreachable insn 1",
},
{
	"out of range jump",
	.insns = {
		INSN_JMP_A(1),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "jump out of range from insn 0 to 2",
},
{
	"out of range jump2",
	.insns = {
		INSN_JMP_A(-2),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "jump out of range from insn 0 to -1",
},
{
	"test1 ld_imm64",
	.insns = {
		INSN_JMP_IMM(BPF_JEQ, R1, 0, 1),
		INSN_LD_IMM64(R0, 0),
		INSN_LD_IMM64(R0, 0),
		INSN_LD_IMM64(R0, 1),
		INSN_LD_IMM64(R0, 1),
		INSN_MOV64_IMM(R0, 2),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "jump into the middle of ldimm64 insn 1",
},
{
	"test2 ld_imm64: truncated",
	.insns = {
		INSN_MOV64_IMM(R0, 0),
		INSN(BPF_LD | BPF_DW | BPF_IMM, R0, 0, 0, 1),
	},
	.result = VT_REJECT, .errstr = "invalid bpf_ld_imm64 insn",
},
{
	"test3 ld_imm64: bad second half",
	.insns = {
		INSN(BPF_LD | BPF_DW | BPF_IMM, R0, 0, 0, 1),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, R0, 0, 0, 1),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "invalid bpf_ld_imm64 insn",
},
{
	"test4 ld_imm64: value",
	.insns = {
		INSN_LD_IMM64(R0, 0x1122334455667788ULL),
		INSN_ALU64_IMM(BPF_RSH, R0, 32),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT, VT_RUN(0x11223344),
},
{
	"test5 ld_imm64: unknown pseudo source",
	.insns = {
		INSN_LD_IMM64_RAW(R0, 7, 0),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "unrecognized bpf_ld_imm64 insn",
},
{
	"empty prog: no exit",
	.insns = {
		INSN_MOV64_IMM(R0, 0),
	},
	.result = VT_REJECT, .errstr = "last insn is not an exit or jmp",
},
{
	"loop (back-edge)",
	.insns = {
		INSN_JMP_A(-1),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "unreachable insn 1",
	.result_unpriv = VT_REJECT, .errstr_unpriv = "back-edge from insn 0 to 0",
},
{
	"loop2 (back-edge)",
	.insns = {
		INSN_MOV64_REG(R1, R0),
		INSN_MOV64_REG(R2, R0),
		INSN_MOV64_REG(R3, R0),
		INSN_JMP_A(-4),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "unreachable insn 4",
	.result_unpriv = VT_REJECT, .errstr_unpriv = "back-edge from insn 3 to 0",
},
{
	"conditional loop",
	.insns = {
		INSN_MOV64_REG(R0, R1),
		INSN_MOV64_REG(R2, R0),
		INSN_MOV64_REG(R3, R0),
		INSN_JMP_IMM(BPF_JEQ, R1, 0, -3),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "infinite loop detected at insn",
	.result_unpriv = VT_REJECT, .errstr_unpriv = "back-edge from insn 3 to 1",
},
{
	"bounded loop: count to 10",
	.insns = {
		INSN_MOV64_IMM(R0, 0),
		INSN_ALU64_IMM(BPF_ADD, R0, 1),
		INSN_JMP_IMM(BPF_JLT, R0, 10, -2),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT, VT_RUN(10),
	.result_unpriv = VT_REJECT, .errstr_unpriv = "back-edge from insn 2 to 1",
},
{
	"bounded loop: too many iterations",
	.insns = {
		INSN_MOV64_IMM(R0, 0),
		INSN_ALU64_IMM(BPF_ADD, R0, 1),
		INSN_JMP_IMM(BPF_JLT, R0, 2000000, -2),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "BPF program is too large. Processed 1000001 insn",
	.result_unpriv = VT_REJECT, .errstr_unpriv = "back-edge from insn 2 to 1",
},
{
	"bounded loop: unknown bound",
	.insns = {
		INSN_LDX_MEM(BPF_W, R2, R1, offsetof(struct __sk_buff, len)),
		INSN_MOV64_IMM(R0, 0),
		INSN_ALU64_IMM(BPF_ADD, R0, 1),
		INSN_JMP_REG(BPF_JLT, R0, R2, -2),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "BPF program is too large",
	.result_unpriv = VT_REJECT, .errstr_unpriv = "back-edge",
},
{
	"bounded loop: sum over packet length masked",
	.insns = {
		INSN_LDX_MEM(BPF_W, R2, R1, offsetof(struct __sk_buff, len)),
		INSN_ALU64_IMM(BPF_AND, R2, 15),
		INSN_MOV64_IMM(R0, 0),
		INSN_MOV64_IMM(R3, 0),
		INSN_JMP_REG(BPF_JGE, R3, R2, 3),
		INSN_ALU64_REG(BPF_ADD, R0, R3),
		INSN_ALU64_IMM(BPF_ADD, R3, 1),
		INSN_JMP_A(-4),
		INSN_EXIT(),
	},
	/* len = 64, & 15 = 0 */
	.result = VT_ACCEPT, VT_RUN(0),
	.result_unpriv = VT_REJECT, .errstr_unpriv = "back-edge",
},
{
	"bounded loop: sum 0..len&15, len 77",
	.insns = {
		INSN_LDX_MEM(BPF_W, R2, R1, offsetof(struct __sk_buff, len)),
		INSN_ALU64_IMM(BPF_AND, R2, 15),
		INSN_MOV64_IMM(R0, 0),
		INSN_MOV64_IMM(R3, 0),
		INSN_JMP_REG(BPF_JGE, R3, R2, 3),
		INSN_ALU64_REG(BPF_ADD, R0, R3),
		INSN_ALU64_IMM(BPF_ADD, R3, 1),
		INSN_JMP_A(-4),
		INSN_EXIT(),
	},
	.data_len = 77,	/* 77 & 15 = 13: 0 + ... + 12 = 78 */
	.result = VT_ACCEPT, VT_RUN(78),
	.result_unpriv = VT_REJECT, .errstr_unpriv = "back-edge",
},
{
	"read uninitialized register",
	.insns = {
		INSN_MOV64_REG(R0, R2),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "R2 !read_ok",
},
{
	"read invalid register",
	.insns = {
		INSN(BPF_ALU64 | BPF_MOV | BPF_X, R0, 15, 0, 0),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "R15 is invalid",
},
{
	"program doesn't init R0 before exit",
	.insns = {
		INSN_ALU64_REG(BPF_MOV, R2, R1),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "R0 !read_ok",
},
{
	"program doesn't init R0 before exit in all branches",
	.insns = {
		INSN_JMP_IMM(BPF_JGE, R1, 0, 2),
		INSN_MOV64_IMM(R0, 1),
		INSN_ALU64_IMM(BPF_ADD, R0, 2),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "R0 !read_ok",
	.errstr_unpriv = "R1 pointer comparison",
},
{
	"stack out of bounds",
	.insns = {
		INSN_ST_MEM(BPF_DW, R10, 8, 0),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "invalid write to stack R10 off=8 size=8",
},
{
	"stack below 512",
	.insns = {
		INSN_ST_MEM(BPF_DW, R10, -520, 0),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "invalid write to stack R10 off=-520 size=8",
},
{
	"stack at -512 ok",
	.insns = {
		INSN_ST_MEM(BPF_DW, R10, -512, 7),
		INSN_LDX_MEM(BPF_DW, R0, R10, -512),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT, VT_RUN(7),
},
{
	"uninitialized stack read",
	.insns = {
		INSN_LDX_MEM(BPF_DW, R0, R10, -8),
		INSN_EXIT(),
	},
	/* root may read stack it never wrote (allow_uninit_stack) */
	.result = VT_ACCEPT, .result_unpriv = VT_REJECT, .errstr_unpriv = "invalid read from stack",
},
{
	"partially initialized stack read",
	.insns = {
		INSN_ST_MEM(BPF_W, R10, -8, 1),
		INSN_LDX_MEM(BPF_DW, R0, R10, -8),
		INSN_EXIT(),
	},
	/* root may read stack it never wrote (allow_uninit_stack) */
	.result = VT_ACCEPT, .result_unpriv = VT_REJECT, .errstr_unpriv = "invalid read from stack off -8+4 size 8",
},
{
	"misaligned stack access",
	.insns = {
		INSN_ST_MEM(BPF_DW, R10, -12, 1),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "misaligned stack access off (0x0; 0x0)+0+-12 size 8",
},
{
	"frame pointer is read only",
	.insns = {
		INSN_MOV64_IMM(R10, 0),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "frame pointer is read only",
},
{
	"invalid opcode",
	.insns = {
		INSN(0xff, 0, 0, 0, 0),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "unknown opcode ff",
},
{
	"div by zero constant",
	.insns = {
		INSN_MOV64_IMM(R0, 1),
		INSN_ALU64_IMM(BPF_DIV, R0, 0),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "div by zero",
},
{
	"div by zero register is fine (result 0)",
	.insns = {
		INSN_MOV64_IMM(R0, 5),
		INSN_MOV64_IMM(R1, 0),
		INSN_ALU64_REG(BPF_DIV, R0, R1),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT, VT_RUN(0),
},
{
	"invalid shift",
	.insns = {
		INSN_MOV64_IMM(R0, 1),
		INSN_ALU32_IMM(BPF_LSH, R0, 32),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "invalid shift 32",
},
{
	"ALU reserved fields",
	.insns = {
		INSN(BPF_ALU64 | BPF_ADD | BPF_K, R0, 1, 0, 1),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "BPF_ALU uses reserved fields",
},
{
	"BPF_NEG reserved fields",
	.insns = {
		INSN_MOV64_IMM(R0, 1),
		INSN(BPF_ALU64 | BPF_NEG | BPF_K, R0, 0, 0, 1),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "BPF_NEG uses reserved fields",
},
{
	"BPF_EXIT reserved fields",
	.insns = {
		INSN_MOV64_IMM(R0, 1),
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 1),
	},
	.result = VT_REJECT, .errstr = "BPF_EXIT uses reserved fields",
},
{
	"BPF_CALL reserved fields",
	.insns = {
		INSN(BPF_JMP | BPF_CALL, 1, 0, 0, BPF_FUNC_ktime_get_ns),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "BPF_CALL uses reserved fields",
},
{
	"unknown func",
	.insns = {
		INSN_CALL(1234567),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "invalid func unknown#1234567",
},
{
	"helper not offered",
	.insns = {
		INSN_CALL(BPF_FUNC_xdp_adjust_head),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "unknown func bpf_xdp_adjust_head#44",
},
{
	"private helper refused in user programs",
	.insns = {
		INSN_CALL(BPFDEV_FUNC_skb_pay_offset),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "unknown func bpfdev_skb_pay_offset#250",
},
{
	"private helper allowed in converted programs",
	.insns = {
		INSN_CALL(BPFDEV_FUNC_skb_pay_offset),
		INSN_EXIT(),
	},
	.flags = VT_F_INTERNAL,
	.result = VT_ACCEPT, VT_RUN(54),
},
{
	"ktime_get_ns returns a scalar",
	.insns = {
		INSN_CALL(BPF_FUNC_ktime_get_ns),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT, VT_RUN(42),
},
{
	"trace_printk needs privileges",
	.insns = {
		INSN_ST_MEM(BPF_DW, R10, -8, 0x41),
		INSN_MOV64_REG(R1, R10),
		INSN_ALU64_IMM(BPF_ADD, R1, -8),
		INSN_MOV64_IMM(R2, 8),
		INSN_CALL(BPF_FUNC_trace_printk),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT, VT_RUN(0),
	.result_unpriv = VT_REJECT, .errstr_unpriv = "unknown func bpf_trace_printk#6",
},
{
	"R1 clobbered by a call",
	.insns = {
		INSN_CALL(BPF_FUNC_ktime_get_ns),
		INSN_MOV64_REG(R0, R1),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "R1 !read_ok",
},
{
	"R6 preserved by a call",
	.insns = {
		INSN_MOV64_IMM(R6, 9),
		INSN_CALL(BPF_FUNC_ktime_get_ns),
		INSN_MOV64_REG(R0, R6),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT, VT_RUN(9),
},
{
	"return ctx pointer leaks",
	.insns = {
		INSN_MOV64_REG(R0, R1),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT,
	.result_unpriv = VT_REJECT, .errstr_unpriv = "R0 leaks addr as return value",
},
{
	"return fp leaks",
	.insns = {
		INSN_MOV64_REG(R0, R10),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT,
	.result_unpriv = VT_REJECT, .errstr_unpriv = "R0 leaks addr as return value",
},
{
	"pointer comparison",
	.insns = {
		INSN_MOV64_IMM(R0, 0),
		INSN_JMP_REG(BPF_JEQ, R1, R10, 1),
		INSN_MOV64_IMM(R0, 1),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT, VT_RUN(1),
	.result_unpriv = VT_REJECT, .errstr_unpriv = "R10 pointer comparison prohibited",
},
{
	"pointer arithmetic: 32-bit",
	.insns = {
		INSN_MOV64_REG(R0, R10),
		INSN_ALU32_IMM(BPF_ADD, R0, -8),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "R0 32-bit pointer arithmetic prohibited",
},
{
	"pointer arithmetic: mul",
	.insns = {
		INSN_MOV64_REG(R0, R10),
		INSN_ALU64_IMM(BPF_MUL, R0, 2),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "R0 pointer arithmetic with *= operator prohibited",
},
{
	"pointer arithmetic: and",
	.insns = {
		INSN_MOV64_REG(R0, R10),
		INSN_ALU64_IMM(BPF_AND, R0, -8),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "R0 bitwise operator &= on pointer prohibited",
},
{
	"pointer minus pointer",
	.insns = {
		INSN_MOV64_REG(R0, R10),
		INSN_ALU64_REG(BPF_SUB, R0, R1),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT,
	.result_unpriv = VT_REJECT, .errstr_unpriv = "R0 pointer -= pointer prohibited",
},
{
	"pointer plus pointer",
	.insns = {
		INSN_MOV64_REG(R0, R10),
		INSN_ALU64_REG(BPF_ADD, R0, R1),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "R0 pointer += pointer prohibited",
},
{
	"scalar minus pointer",
	.insns = {
		INSN_MOV64_IMM(R0, 0),
		INSN_ALU64_REG(BPF_SUB, R0, R1),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "R0 tried to subtract pointer from scalar",
},
{
	"subtraction from stack pointer",
	.insns = {
		INSN_MOV64_REG(R2, R10),
		INSN_MOV64_IMM(R3, 8),
		INSN_ALU64_REG(BPF_SUB, R2, R3),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "R2 subtraction from stack pointer prohibited",
},
{
	"neg of pointer",
	.insns = {
		INSN_MOV64_REG(R0, R10),
		INSN(BPF_ALU64 | BPF_NEG | BPF_K, R0, 0, 0, 0),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT,
	.result_unpriv = VT_REJECT, .errstr_unpriv = "R0 pointer arithmetic prohibited",
},
{
	"32-bit mov of pointer",
	.insns = {
		INSN_MOV32_REG(R0, R10),
		INSN_EXIT(),
	},
	.result = VT_ACCEPT,
	.result_unpriv = VT_REJECT, .errstr_unpriv = "R10 partial copy of pointer",
},
{
	"dereference of scalar",
	.insns = {
		INSN_MOV64_IMM(R1, 0),
		INSN_LDX_MEM(BPF_DW, R0, R1, 0),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "R1 invalid mem access 'scalar'",
},
{
	"store to scalar",
	.insns = {
		INSN_MOV64_IMM(R1, 0x1000),
		INSN_ST_MEM(BPF_W, R1, 0, 0),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.result = VT_REJECT, .errstr = "R1 invalid mem access 'scalar'",
},
};
