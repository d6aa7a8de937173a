/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Verifier cases for test_verifier_unpriv.c: 6.1's Spectre mitigations
 * and pointer rules per privilege tier, each named after the kernel rule
 * it checks.  Map values start zeroed; the lookup's key store at fp-8
 * writes a slot never written before, which the kernel follows with a
 * nospec for callers without CAP_PERFMON (one nospec in every such case).
 */

#define R0 BPF_REG_0
#define R1 BPF_REG_1
#define R2 BPF_REG_2
#define R7 BPF_REG_7
#define R10 BPF_REG_10

enum { VU_ROOT, VU_CAP_BPF, VU_UNPRIV, VU_TIERS };

struct vu_expect {
	const char	*errstr;	/* rejected with this in the log; NULL: accepted */
	u8		nospec;		/* accepted: BPFDEV_ST_NOSPEC in xlated */
	u8		ax;		/* accepted: instructions naming AX */
	u8		traps;		/* accepted: "goto -1" dead-code traps */
};

struct vu_case {
	const char		*name;
	struct bpf_insn		insns[VT_MAX_INSNS];
	struct vu_expect	expect[VU_TIERS];
	bool			run;
	u64			retval;
};

/* r0 = the array map's first value, or exit 0 */
#define VU_MAPVAL							\
	INSN_ST_MEM(BPF_DW, R10, -8, 0),				\
	INSN_MOV64_REG(R2, R10),					\
	INSN_ALU64_IMM(BPF_ADD, R2, -8),				\
	INSN_LD_MAP_FD(R1, VT_MAP_ARRAY_48B),				\
	INSN_CALL(BPF_FUNC_map_lookup_elem),				\
	INSN_JMP_IMM(BPF_JNE, R0, 0, 2),				\
	INSN_MOV64_IMM(R0, 0),						\
	INSN_EXIT()

#define VU_ALL(e)	{ e, e, e }
#define VU_OK(ns_, ax_, tr_)	{ .nospec = (ns_), .ax = (ax_), .traps = (tr_) }
#define VU_ERR(s)	{ .errstr = (s) }
/* accepted by root untouched; refused with s by the other two tiers */
#define VU_ROOT_ONLY(s)	{ VU_OK(0, 0, 0), VU_ERR(s), VU_ERR(s) }

static const struct vu_case vu_cases[] = {
/* ---- sanitize_speculative_path ---- */
{
	"sanitize_speculative_path: the dead side of a known branch is verified",
	.insns = {
		VU_MAPVAL,
		INSN_MOV64_IMM(R1, 0),
		INSN_JMP_IMM(BPF_JNE, R1, 0, 2),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
		INSN_LDX_MEM(BPF_B, R0, R0, 100),
		INSN_EXIT(),
	},
	.expect = VU_ROOT_ONLY("invalid access to map value, value_size=48 off=100 size=1"),
	.run = true, .retval = 0,
},
{
	"sanitize_dead_code: code only a speculative path reaches becomes goto -1",
	.insns = {
		INSN_MOV64_IMM(R0, 1),
		INSN_MOV64_IMM(R1, 0),
		INSN_JMP_IMM(BPF_JEQ, R1, 0, 1),
		INSN_MOV64_IMM(R0, 2),
		INSN_EXIT(),
	},
	/* bpf_capable: the kernel removes dead code instead; bpfdev leaves it */
	.expect = { VU_OK(0, 0, 0), VU_OK(0, 0, 0), VU_OK(0, 0, 1) },
	.run = true, .retval = 1,
},
/* ---- do_misc_fixups: the tail call's index bound needs one map ---- */
{
	"tail_call abusing map_ptr: a tail call that sees two prog arrays",
	.insns = {
		INSN_LDX_MEM(BPF_W, R0, R1, 0),
		INSN_LD_MAP_FD(R2, VT_MAP_PROG_ARRAY),
		INSN_JMP_IMM(BPF_JEQ, R0, 0, 2),
		INSN_LD_MAP_FD(R2, VT_MAP_PROG_ARRAY_2),
		INSN_MOV64_IMM(BPF_REG_3, 0),
		INSN_CALL(BPF_FUNC_tail_call),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.expect = VU_ROOT_ONLY("tail_call abusing map_ptr"),
},
{
	"tail_call abusing map_ptr: one prog array on every path is fine",
	.insns = {
		INSN_LDX_MEM(BPF_W, R0, R1, 0),
		INSN_LD_MAP_FD(R2, VT_MAP_PROG_ARRAY),
		INSN_JMP_IMM(BPF_JEQ, R0, 0, 2),
		INSN_LD_MAP_FD(R2, VT_MAP_PROG_ARRAY),
		INSN_MOV64_IMM(BPF_REG_3, 0),
		INSN_CALL(BPF_FUNC_tail_call),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.expect = VU_ALL(VU_OK(0, 0, 0)),
	.run = true, .retval = 0,
},
/* ---- sanitize_ptr_alu: alu_limit and the masking through AX ---- */
{
	"alu_limit: map value += bounded scalar is masked (BPF_ALU_SANITIZE_SRC)",
	.insns = {
		VU_MAPVAL,
		INSN_LDX_MEM(BPF_B, R1, R0, 0),
		INSN_ALU64_IMM(BPF_AND, R1, 7),
		INSN_ALU64_REG(BPF_ADD, R0, R1),
		INSN_LDX_MEM(BPF_B, R0, R0, 0),
		INSN_EXIT(),
	},
	.expect = { VU_OK(0, 0, 0), VU_OK(1, 7, 0), VU_OK(1, 7, 0) },
	.run = true, .retval = 0,
},
{
	"alu_limit: scalar += map value is masked (BPF_ALU_SANITIZE_DST)",
	.insns = {
		VU_MAPVAL,
		INSN_LDX_MEM(BPF_B, R1, R0, 0),
		INSN_ALU64_IMM(BPF_AND, R1, 7),
		INSN_ALU64_REG(BPF_ADD, R1, R0),
		INSN_LDX_MEM(BPF_B, R0, R1, 0),
		INSN_EXIT(),
	},
	.expect = { VU_OK(0, 0, 0), VU_OK(1, 7, 0), VU_OK(1, 7, 0) },
	.run = true, .retval = 0,
},
{
	/*
	 * r0 += 8..15, then r0 -= 0..7: in bounds, but on the speculative
	 * path that simulates the first offset masked to 0, r0 -= r1 leaves
	 * the value (sanitize_ptr_alu()'s do_sim).
	 */
	"sanitize_ptr_alu: the masked offset is simulated on a speculative path",
	.insns = {
		VU_MAPVAL,
		INSN_LDX_MEM(BPF_B, R2, R0, 0),
		INSN_ALU64_IMM(BPF_AND, R2, 7),
		INSN_ALU64_IMM(BPF_ADD, R2, 8),
		INSN_ALU64_REG(BPF_ADD, R0, R2),
		INSN_LDX_MEM(BPF_B, R1, R0, 0),
		INSN_ALU64_IMM(BPF_AND, R1, 7),
		INSN_ALU64_REG(BPF_SUB, R0, R1),
		INSN_LDX_MEM(BPF_B, R0, R0, 0),
		INSN_EXIT(),
	},
	.expect = VU_ROOT_ONLY("R0 pointer arithmetic of map value goes out of range, prohibited for !root"),
	.run = true, .retval = 0,
},
{
	"alu_limit: a negative offset is masked as its negation (BPF_ALU_NEG_VALUE)",
	.insns = {
		VU_MAPVAL,
		INSN_ALU64_IMM(BPF_ADD, R0, 16),
		INSN_LDX_MEM(BPF_B, R1, R0, 0),
		INSN_ALU64_IMM(BPF_AND, R1, 7),
		INSN_ALU64_IMM(BPF_SUB, R1, 8),
		/* the pointer's u64 range wraps: masked, but never dereferenced */
		INSN_ALU64_REG(BPF_ADD, R0, R1),
		/* the offset register is given back as it was: -8 */
		INSN_MOV64_REG(R0, R1),
		INSN_ALU64_IMM(BPF_ADD, R0, 8),
		INSN_EXIT(),
	},
	.expect = { VU_OK(0, 0, 0), VU_OK(1, 7, 0), VU_OK(1, 7, 0) },
	.run = true, .retval = 0,
},
{
	"REASON_PATHS: tried to add from different maps, paths or scalars",
	.insns = {
		VU_MAPVAL,
		INSN_LDX_MEM(BPF_B, R1, R0, 0),
		INSN_MOV64_IMM(R2, 1),
		INSN_JMP_IMM(BPF_JNE, R1, 0, 1),
		INSN_MOV64_IMM(R2, 2),
		INSN_ALU64_REG(BPF_ADD, R0, R2),
		INSN_LDX_MEM(BPF_B, R0, R0, 0),
		INSN_EXIT(),
	},
	.expect = VU_ROOT_ONLY("R0 tried to add from different maps, paths or scalars, pointer arithmetic with it prohibited for !root"),
	.run = true, .retval = 0,
},
{
	"REASON_BOUNDS: unknown scalar with mixed signed bounds",
	.insns = {
		VU_MAPVAL,
		INSN_LDX_MEM(BPF_B, R1, R0, 0),
		INSN_ALU64_IMM(BPF_AND, R1, 15),
		INSN_ALU64_IMM(BPF_SUB, R1, 8),
		INSN_ALU64_REG(BPF_ADD, R0, R1),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.expect = VU_ROOT_ONLY("R1 has unknown scalar with mixed signed bounds, pointer arithmetic with it prohibited for !root"),
	.run = true, .retval = 0,
},
{
	"REASON_TYPE: pointer with unsupported alu operation (ctx += scalar)",
	.insns = {
		INSN_LDX_MEM(BPF_W, R2, R1, offsetof(struct __sk_buff, len)),
		INSN_ALU64_IMM(BPF_AND, R2, 4),
		INSN_ALU64_REG(BPF_ADD, R1, R2),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.expect = VU_ROOT_ONLY("R1 has pointer with unsupported alu operation, pointer arithmetic with it prohibited for !root"),
	.run = true, .retval = 0,
},
{
	"sanitize_check_bounds: pointer arithmetic of map value goes out of range",
	.insns = {
		VU_MAPVAL,
		INSN_ALU64_IMM(BPF_ADD, R0, 48),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.expect = VU_ROOT_ONLY("R0 pointer arithmetic of map value goes out of range, prohibited for !root"),
	.run = true, .retval = 0,
},
{
	"sanitize_check_bounds: stack pointer arithmetic goes out of range",
	.insns = {
		INSN_MOV64_REG(R1, R10),
		INSN_ALU64_IMM(BPF_ADD, R1, 8),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.expect = VU_ROOT_ONLY("R1 stack pointer arithmetic goes out of range, prohibited for !root; off=8"),
	.run = true, .retval = 0,
},
/* ---- map pointer arithmetic and pointer comparisons ---- */
{
	"pointer comparison prohibited",
	.insns = {
		INSN_MOV64_IMM(R0, 0),
		INSN_JMP_REG(BPF_JGT, R1, R10, 0),
		INSN_EXIT(),
	},
	.expect = VU_ROOT_ONLY("R10 pointer comparison prohibited"),
	.run = true, .retval = 0,
},
{
	"R1 pointer arithmetic on map_ptr prohibited",
	.insns = {
		INSN_LD_MAP_FD(R1, VT_MAP_ARRAY_48B),
		INSN_ALU64_IMM(BPF_ADD, R1, 8),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.expect = VU_ALL(VU_ERR("R1 pointer arithmetic on map_ptr prohibited")),
},
{
	"R0 leaks addr as return value",
	.insns = {
		INSN_MOV64_REG(R0, R10),
		INSN_EXIT(),
	},
	.expect = { VU_OK(0, 0, 0), VU_ERR("R0 leaks addr as return value"),
		    VU_ERR("R0 leaks addr as return value") },
},
/* ---- allow_uninit_stack: CAP_PERFMON reads stack it never wrote ---- */
{
	"allow_uninit_stack: a load of stack never written",
	.insns = {
		INSN_LDX_MEM(BPF_DW, R0, R10, -8),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.expect = VU_ROOT_ONLY("invalid read from stack R10 off=-8 size=8"),
	.run = true, .retval = 0,
},
{
	"allow_uninit_stack: a helper reads a key never written",
	.insns = {
		INSN_MOV64_REG(R2, R10),
		INSN_ALU64_IMM(BPF_ADD, R2, -8),
		INSN_LD_MAP_FD(R1, VT_MAP_ARRAY_48B),
		INSN_CALL(BPF_FUNC_map_lookup_elem),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.expect = VU_ROOT_ONLY("invalid indirect access to stack R2 off=-8 size=4"),
},
{
	"allow_uninit_stack: a variable-offset write over stack never written",
	.insns = {
		INSN_LDX_MEM(BPF_W, R2, R1, offsetof(struct __sk_buff, len)),
		INSN_ALU64_IMM(BPF_AND, R2, 8),
		INSN_ALU64_IMM(BPF_SUB, R2, 16),
		INSN_ALU64_REG(BPF_ADD, R2, R10),
		INSN_ST_MEM(BPF_DW, R2, 0, 1),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.expect = { VU_OK(0, 0, 0),
		    VU_ERR("R2 variable stack access prohibited for !root"),
		    VU_ERR("R2 variable stack access prohibited for !root") },
	.run = true, .retval = 0,
},
/* ---- the context as 6.1 gives it to every tier (hash = 0x44332211) ---- */
{
	"bpf_ctx_narrow_access_ok: a byte load of skb->hash + 1",
	.insns = {
		INSN_LDX_MEM(BPF_B, R0, R1, offsetof(struct __sk_buff, hash) + 1),
		INSN_EXIT(),
	},
	.expect = VU_ALL(VU_OK(0, 0, 0)),
	.run = true, .retval = 0x22,
},
{
	"bpf_ctx_narrow_access_ok: a half-word load of skb->hash + 2",
	.insns = {
		INSN_LDX_MEM(BPF_H, R0, R1, offsetof(struct __sk_buff, hash) + 2),
		INSN_EXIT(),
	},
	.expect = VU_ALL(VU_OK(0, 0, 0)),
	.run = true, .retval = 0x4433,
},
{
	"bpf_ctx_narrow_access_ok: a half-word load at hash + 1 is misaligned",
	.insns = {
		INSN_LDX_MEM(BPF_H, R0, R1, offsetof(struct __sk_buff, hash) + 1),
		INSN_EXIT(),
	},
	.expect = VU_ALL(VU_ERR("invalid bpf_context access")),
},
{
	"__sk_buff.sk: PTR_TO_SOCK_COMMON_OR_NULL, null-checked (NULL in bpfdev)",
	.insns = {
		INSN_LDX_MEM(BPF_DW, R1, R1, offsetof(struct __sk_buff, sk)),
		INSN_MOV64_IMM(R0, 1),
		INSN_JMP_IMM(BPF_JNE, R1, 0, 1),
		INSN_MOV64_IMM(R0, 2),
		INSN_EXIT(),
	},
	.expect = VU_ALL(VU_OK(0, 0, 0)),
	.run = true, .retval = 2,
},
{
	"__sk_buff.sk: a 32-bit load refused",
	.insns = {
		INSN_LDX_MEM(BPF_W, R0, R1, offsetof(struct __sk_buff, sk)),
		INSN_EXIT(),
	},
	.expect = VU_ALL(VU_ERR("invalid bpf_context access")),
},
{
	"__sk_buff.sk: pointer arithmetic on sock_common prohibited",
	.insns = {
		INSN_LDX_MEM(BPF_DW, R1, R1, offsetof(struct __sk_buff, sk)),
		INSN_JMP_IMM(BPF_JEQ, R1, 0, 1),
		INSN_ALU64_IMM(BPF_ADD, R1, 8),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.expect = VU_ALL(VU_ERR("R1 pointer arithmetic on ")),
},
{
	"__sk_buff.sk: bpfdev refuses to dereference it (the kernel reads sock_common)",
	.insns = {
		INSN_LDX_MEM(BPF_DW, R1, R1, offsetof(struct __sk_buff, sk)),
		INSN_MOV64_IMM(R0, 0),
		INSN_JMP_IMM(BPF_JEQ, R1, 0, 1),
		INSN_LDX_MEM(BPF_W, R0, R1, 0),
		INSN_EXIT(),
	},
	.expect = VU_ALL(VU_ERR("R1 invalid mem access")),
},
/* ---- issue 21: 32-bit bounds from a 64-bit comparison ---- */
{
	/*
	 * r1 <= 10 as u64, so w1 <= 10: w1 > 12 never holds.  Without
	 * CAP_PERFMON the dead side is still walked, speculatively.
	 */
	"__reg_combine_64_into_32: a 64-bit range from 0 bounds the 32-bit one",
	.insns = {
		VU_MAPVAL,
		INSN_LDX_MEM(BPF_DW, R1, R0, 0),
		INSN_JMP_IMM(BPF_JGT, R1, 10, 4),
		INSN_JMP32_IMM(BPF_JGT, R1, 12, 2),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
		INSN_LDX_MEM(BPF_DW, R0, R0, 100),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.expect = VU_ROOT_ONLY("invalid access to map value, value_size=48 off=100 size=8"),
	.run = true, .retval = 0,
},
{
	"__reg_combine_64_into_32: a signed 64-bit range bounds the 32-bit one",
	.insns = {
		VU_MAPVAL,
		INSN_LDX_MEM(BPF_DW, R1, R0, 0),
		INSN_JMP_IMM(BPF_JSGT, R1, 10, 5),
		INSN_JMP_IMM(BPF_JSLT, R1, -10, 4),
		INSN_JMP32_IMM(BPF_JSGT, R1, 12, 2),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
		INSN_LDX_MEM(BPF_DW, R0, R0, 100),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.expect = VU_ROOT_ONLY("invalid access to map value, value_size=48 off=100 size=8"),
	.run = true, .retval = 0,
},
{
	/* issue 21: a path the kernel proves dead is never visited by root */
	"__reg_combine_64_into_32: a bad register on a path proven dead",
	.insns = {
		VU_MAPVAL,
		INSN_LDX_MEM(BPF_DW, R1, R0, 0),
		INSN_JMP_IMM(BPF_JGT, R1, 10, 3),
		INSN_JMP32_IMM(BPF_JGT, R1, 12, 1),
		INSN_MOV64_IMM(R7, 0),
		INSN_MOV64_REG(R0, R7),
		INSN_EXIT(),
	},
	.expect = VU_ROOT_ONLY("R7 !read_ok"),
	.run = true, .retval = 0,
},
/* ---- Spectre v4: sanitize_stack_spill ---- */
{
	"sanitize_stack_spill: a spilled pointer is followed by nospec",
	.insns = {
		INSN_STX_MEM(BPF_DW, R10, R1, -8),
		INSN_MOV64_IMM(R0, 0),
		INSN_EXIT(),
	},
	.expect = { VU_OK(0, 0, 0), VU_OK(1, 0, 0), VU_OK(1, 0, 0) },
	.run = true, .retval = 0,
},
{
	"sanitize_stack_spill: data over data needs none",
	.insns = {
		INSN_ST_MEM(BPF_DW, R10, -8, 0),
		INSN_ST_MEM(BPF_DW, R10, -8, 1),
		INSN_LDX_MEM(BPF_DW, R0, R10, -8),
		INSN_EXIT(),
	},
	.expect = { VU_OK(0, 0, 0), VU_OK(1, 0, 0), VU_OK(1, 0, 0) },
	.run = true, .retval = 1,
},
{
	"sanitize_stack_spill: data over a spilled pointer",
	.insns = {
		INSN_STX_MEM(BPF_DW, R10, R1, -8),
		INSN_ST_MEM(BPF_DW, R10, -8, 5),
		INSN_LDX_MEM(BPF_DW, R0, R10, -8),
		INSN_EXIT(),
	},
	.expect = { VU_OK(0, 0, 0), VU_OK(2, 0, 0), VU_OK(2, 0, 0) },
	.run = true, .retval = 5,
},
};
