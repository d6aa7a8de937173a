/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Soundness fuzzing of the verifier: a structure-aware generator turns a
 * byte string into a mostly valid socket filter (pointers to the context,
 * the packet, the stack and map values, scalars derived from them, checks,
 * spills, helper calls, loops); every program the verifier accepts runs in
 * the checked interpreter over its regions, and any fault (access outside
 * them, uninitialised stack read, runaway) is a verifier bug.
 *
 * Used by verifier_fuzz.c (libFuzzer) and selftests/unit/test_verifier_fuzz.c
 * (a fixed smoke run in `make test`).
 */
#ifndef BPFDEV_VERIFIER_GEN_H
#define BPFDEV_VERIFIER_GEN_H

#include "interp.h"
#include "skb.h"
#include "verifier.h"
#include "test_verifier_harness.h"
#include "test_verifier_host.h"

#define VG_MAX_INSNS	160

struct vg_stats {
	u64 generated, accepted, accepted_unpriv, run, faults, precision_diffs;
};

static struct vg_stats vg_stats;
/* Set to see why programs are rejected (the log's last lines). */
static struct bpfdev_log *vg_log;

/* Reads the input as a stream of choices; zeros once it runs out. */
struct vg_in {
	const u8 *p;
	size_t n;
};

static u32 vg_byte(struct vg_in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static u32 vg_pick(struct vg_in *in, u32 n)
{
	return n ? vg_byte(in) % n : 0;
}

static s32 vg_imm(struct vg_in *in)
{
	static const s32 interesting[] = {
		0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 47, 48, 63, 64, 255, 256,
		-1, -2, -8, -16, 0x7fff, 0xffff, 0x7fffffff, (s32)0x80000000,
		(s32)0xffffff00, 1 << 20, 1 << 29, 12, 14, 20, 34,
	};
	u32 c = vg_byte(in);

	if (c < 200)
		return interesting[c % ARRAY_SIZE(interesting)];
	return (s32)(vg_byte(in) | vg_byte(in) << 8 | vg_byte(in) << 16 | vg_byte(in) << 24);
}

static const u8 vg_alu_ops[] = {
	BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_OR, BPF_AND, BPF_LSH, BPF_RSH,
	BPF_MOD, BPF_XOR, BPF_MOV, BPF_ARSH, BPF_NEG,
};
static const u8 vg_jmp_ops[] = {
	BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET, BPF_JNE, BPF_JSGT, BPF_JSGE,
	BPF_JLT, BPF_JLE, BPF_JSLT, BPF_JSLE,
};
static const u8 vg_sizes[] = { BPF_B, BPF_H, BPF_W, BPF_DW };
static const s16 vg_ctx_offs[] = {
	offsetof(struct __sk_buff, len), offsetof(struct __sk_buff, mark),
	offsetof(struct __sk_buff, protocol), offsetof(struct __sk_buff, cb[0]),
	offsetof(struct __sk_buff, cb[1]), offsetof(struct __sk_buff, cb[4]),
	offsetof(struct __sk_buff, hash), offsetof(struct __sk_buff, data),
	offsetof(struct __sk_buff, data_end), offsetof(struct __sk_buff, ifindex),
};

struct vg_prog {
	struct bpf_insn insns[VG_MAX_INSNS];
	u32 len;
};

static void vg_emit(struct vg_prog *p, struct bpf_insn insn)
{
	if (p->len < VG_MAX_INSNS)
		p->insns[p->len++] = insn;
}

/* A register: mostly r0-r9 (never r10 as a destination). */
static u8 vg_reg(struct vg_in *in)
{
	return vg_pick(in, 10);
}

static s16 vg_off(struct vg_in *in)
{
	static const s16 offs[] = { 0, 1, 2, 4, 8, 12, 14, 16, 20, 32, 40, 44, 47, 48, -1, -4, -8 };

	return offs[vg_pick(in, ARRAY_SIZE(offs))];
}

static s16 vg_stack_off(struct vg_in *in)
{
	return -8 * (1 + (s16)vg_pick(in, 8)) + (vg_pick(in, 4) ? 0 : (s16)vg_pick(in, 8));
}

/*
 * Build a program from the input.  Layout: prologue (r6 = ctx, r7 = data,
 * r8 = data_end, r9 = a map value or NULL), a body of random steps with
 * forward (and sometimes backward) jumps, then r0 = scalar; exit.  Jump
 * offsets are fixed up once the body's length is known.
 */
static void vg_generate(struct vg_in *in, struct vg_prog *p)
{
	u32 body_start, nsteps, i, fix_n = 0, call_n = 0, main_len, diamonds = 0;
	u32 fix_at[VG_MAX_INSNS], fix_dist[VG_MAX_INSNS], call_at[VG_MAX_INSNS];
	u32 map = vg_pick(in, 3);
	static const int maps[] = { VT_MAP_ARRAY_48B, VT_MAP_HASH_8B, VT_MAP_PERCPU_ARRAY };

	p->len = 0;
	vg_emit(p, INSN_MOV64_REG(BPF_REG_6, BPF_REG_1));
	vg_emit(p, INSN_LDX_MEM(BPF_W, BPF_REG_7, BPF_REG_1, offsetof(struct __sk_buff, data)));
	vg_emit(p, INSN_LDX_MEM(BPF_W, BPF_REG_8, BPF_REG_1, offsetof(struct __sk_buff, data_end)));
	vg_emit(p, INSN_ST_MEM(BPF_DW, BPF_REG_10, -8, 0));
	vg_emit(p, INSN_MOV64_REG(BPF_REG_2, BPF_REG_10));
	vg_emit(p, INSN_ALU64_IMM(BPF_ADD, BPF_REG_2, -8));
	vg_emit(p, (struct bpf_insn)INSN(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_1,
					 BPF_PSEUDO_MAP_FD, 0, maps[map]));
	vg_emit(p, INSN(0, 0, 0, 0, 0));
	vg_emit(p, INSN_CALL(BPF_FUNC_map_lookup_elem));
	vg_emit(p, INSN_MOV64_REG(BPF_REG_9, BPF_REG_0));
	/* a few initialised stack slots and registers */
	for (i = vg_pick(in, 4); i; i--)
		vg_emit(p, INSN_ST_MEM(BPF_DW, BPF_REG_10, -16 - 8 * (s16)vg_pick(in, 6), vg_imm(in)));
	vg_emit(p, INSN_MOV64_IMM(BPF_REG_0, 0));
	for (i = 1; i <= 5; i++) {
		if (vg_pick(in, 2))
			vg_emit(p, INSN_LDX_MEM(BPF_W, i, BPF_REG_6, vg_ctx_offs[vg_pick(in, 3)]));
		else
			vg_emit(p, INSN_MOV64_IMM(i, vg_imm(in)));
	}

	body_start = p->len;
	nsteps = 4 + vg_pick(in, 40);
	for (i = 0; i < nsteps && p->len < VG_MAX_INSNS - 8; i++) {
		/* scalars live in r0-r5, pointers in r6-r10 */
		u8 dst = vg_pick(in, 5) ? vg_pick(in, 6) : vg_reg(in);
		u8 src = vg_pick(in, 4) ? vg_pick(in, 6) : vg_reg(in);
		u8 op = vg_alu_ops[vg_pick(in, ARRAY_SIZE(vg_alu_ops))];
		u8 sz = vg_sizes[vg_pick(in, 4)];
		bool is32 = vg_pick(in, 3) == 0;

		switch (vg_pick(in, 19)) {
		case 17: case 18: {		/* a diamond: two values join */
			u8 jop = vg_jmp_ops[vg_pick(in, ARRAY_SIZE(vg_jmp_ops))];

			/* a few: each doubles the paths without pruning */
			if (++diamonds > 6)
				break;
			vg_emit(p, INSN(BPF_JMP | jop | BPF_K, vg_pick(in, 6), 0, 2, vg_imm(in)));
			vg_emit(p, INSN_MOV64_IMM(dst, vg_imm(in)));
			vg_emit(p, INSN_JMP_A(1));
			vg_emit(p, INSN_MOV64_IMM(dst, vg_imm(in)));
			break;
		}
		case 16:			/* BPF-to-BPF call, arguments in r1-r3 */
			vg_emit(p, INSN_MOV64_REG(BPF_REG_1, vg_pick(in, 2) ? BPF_REG_9 : BPF_REG_10));
			if (vg_pick(in, 2))
				vg_emit(p, INSN_ALU64_IMM(BPF_ADD, BPF_REG_1, vg_pick(in, 2) ? -8 : vg_off(in)));
			vg_emit(p, INSN_MOV64_REG(BPF_REG_2, vg_pick(in, 6)));
			vg_emit(p, INSN_MOV64_REG(BPF_REG_3, vg_pick(in, 2) ? BPF_REG_7 : vg_pick(in, 6)));
			call_at[call_n++] = p->len;
			vg_emit(p, INSN_CALL_REL(0));
			break;
		case 0: case 1: case 2:		/* alu with immediate */
			if (op == BPF_NEG) {
				vg_emit(p, INSN(BPF_ALU64 | BPF_NEG, dst, 0, 0, 0));
			} else {
				s32 imm = vg_imm(in);

				if ((op == BPF_LSH || op == BPF_RSH || op == BPF_ARSH) && vg_pick(in, 8))
					imm &= is32 ? 31 : 63;
				if (is32)
					vg_emit(p, INSN_ALU32_IMM(op, dst, imm));
				else
					vg_emit(p, INSN_ALU64_IMM(op, dst, imm));
			}
			break;
		case 3: case 4:			/* alu with register */
			if (op == BPF_NEG)
				op = BPF_ADD;
			if (is32)
				vg_emit(p, INSN_ALU32_REG(op, dst, src));
			else
				vg_emit(p, INSN_ALU64_REG(op, dst, src));
			break;
		case 5:				/* pointer arithmetic */
			vg_emit(p, INSN_ALU64_REG(vg_pick(in, 4) ? BPF_ADD : BPF_SUB,
						  7 + vg_pick(in, 3), vg_pick(in, 6)));
			break;
		case 6: case 7:			/* load through a pointer */
			vg_emit(p, INSN_LDX_MEM(sz, dst, vg_pick(in, 2) ? 7 + vg_pick(in, 3) : src,
						vg_off(in)));
			break;
		case 8:				/* store */
			if (vg_pick(in, 2))
				vg_emit(p, INSN_STX_MEM(sz, vg_pick(in, 2) ? BPF_REG_9 : BPF_REG_10,
							src, vg_pick(in, 2) ? vg_off(in) : vg_stack_off(in)));
			else
				vg_emit(p, INSN_ST_MEM(sz, vg_pick(in, 2) ? BPF_REG_9 : BPF_REG_10,
						       vg_pick(in, 2) ? vg_off(in) : vg_stack_off(in),
						       vg_imm(in)));
			break;
		case 9:				/* spill and fill */
			vg_emit(p, INSN_STX_MEM(BPF_DW, BPF_REG_10, src, vg_stack_off(in) & ~7));
			vg_emit(p, INSN_LDX_MEM(sz, dst, BPF_REG_10, vg_stack_off(in)));
			break;
		case 10: case 11: {		/* forward conditional jump */
			u8 jop = vg_jmp_ops[vg_pick(in, ARRAY_SIZE(vg_jmp_ops))];
			u8 cls = vg_pick(in, 3) ? BPF_JMP : BPF_JMP32;

			fix_at[fix_n] = p->len;
			fix_dist[fix_n++] = 1 + vg_pick(in, 6);
			if (vg_pick(in, 2))
				vg_emit(p, INSN(cls | jop | BPF_K, dst, 0, 0, vg_imm(in)));
			else
				vg_emit(p, INSN(cls | jop | BPF_X, dst, src, 0, 0));
			break;
		}
		case 12:			/* packet bounds check */
			vg_emit(p, INSN_MOV64_REG(dst, BPF_REG_7));
			vg_emit(p, INSN_ALU64_IMM(BPF_ADD, dst, vg_off(in) & 63));
			fix_at[fix_n] = p->len;
			fix_dist[fix_n++] = 1 + vg_pick(in, 6);
			vg_emit(p, INSN_JMP_REG(vg_pick(in, 2) ? BPF_JGT : BPF_JGE, dst, BPF_REG_8, 0));
			break;
		case 13:			/* null check of the map value */
			fix_at[fix_n] = p->len;
			fix_dist[fix_n++] = 1 + vg_pick(in, 8);
			vg_emit(p, INSN_JMP_IMM(vg_pick(in, 2) ? BPF_JEQ : BPF_JNE, BPF_REG_9, 0, 0));
			break;
		case 14: {			/* helper call */
			static const s32 ids[] = {
				BPF_FUNC_get_prandom_u32, BPF_FUNC_ktime_get_ns,
				BPF_FUNC_skb_load_bytes, BPF_FUNC_map_lookup_elem,
				BPF_FUNC_get_smp_processor_id,
			};
			s32 id = ids[vg_pick(in, ARRAY_SIZE(ids))];

			if (id == BPF_FUNC_skb_load_bytes) {
				vg_emit(p, INSN_MOV64_REG(BPF_REG_1, BPF_REG_6));
				vg_emit(p, INSN_MOV64_IMM(BPF_REG_2, vg_pick(in, 80)));
				vg_emit(p, INSN_MOV64_REG(BPF_REG_3, BPF_REG_10));
				vg_emit(p, INSN_ALU64_IMM(BPF_ADD, BPF_REG_3, vg_stack_off(in)));
				vg_emit(p, INSN_MOV64_IMM(BPF_REG_4, 1 + vg_pick(in, 16)));
			} else if (id == BPF_FUNC_map_lookup_elem) {
				vg_emit(p, (struct bpf_insn)INSN(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_1,
								 BPF_PSEUDO_MAP_FD, 0, maps[map]));
				vg_emit(p, INSN(0, 0, 0, 0, 0));
				vg_emit(p, INSN_MOV64_REG(BPF_REG_2, BPF_REG_10));
				vg_emit(p, INSN_ALU64_IMM(BPF_ADD, BPF_REG_2, -8));
			}
			vg_emit(p, INSN_CALL(id));
			if (id == BPF_FUNC_map_lookup_elem && vg_pick(in, 2))
				vg_emit(p, INSN_MOV64_REG(BPF_REG_9, BPF_REG_0));
			break;
		}
		default:			/* a loop back to an earlier step */
			if (vg_pick(in, 4) == 0 && p->len > body_start + 2) {
				s16 back = -(s16)(1 + vg_pick(in, p->len - body_start - 1));

				vg_emit(p, INSN_ALU64_IMM(BPF_ADD, BPF_REG_5, 1));
				vg_emit(p, INSN_JMP_IMM(BPF_JLT, BPF_REG_5, vg_pick(in, 20), back - 1));
			} else {
				vg_emit(p, INSN_MOV64_IMM(dst, vg_imm(in)));
			}
			break;
		}
	}
	/* epilogue: every forward jump lands in the body or here */
	vg_emit(p, INSN_MOV64_IMM(BPF_REG_0, 0));
	if (vg_pick(in, 2))
		vg_emit(p, INSN_MOV64_REG(BPF_REG_0, vg_reg(in)));
	vg_emit(p, INSN_EXIT());
	main_len = p->len;
	if (call_n) {
		/* the subprogram: uses its arguments, maybe its own stack */
		u32 sub = p->len, n = 1 + vg_pick(in, 8), k;

		for (k = 0; k < n && p->len < VG_MAX_INSNS - 4; k++) {
			u8 sz = vg_sizes[vg_pick(in, 4)];

			switch (vg_pick(in, 5)) {
			case 0:
				vg_emit(p, INSN_LDX_MEM(sz, BPF_REG_0, 1 + vg_pick(in, 3), vg_off(in)));
				break;
			case 1:
				vg_emit(p, INSN_STX_MEM(sz, BPF_REG_1, BPF_REG_2, vg_off(in)));
				break;
			case 2:
				vg_emit(p, INSN_ALU64_REG(BPF_ADD, 1 + vg_pick(in, 3), BPF_REG_2));
				break;
			case 3:
				vg_emit(p, INSN_ST_MEM(BPF_DW, BPF_REG_10, -8, vg_imm(in)));
				vg_emit(p, INSN_LDX_MEM(sz, BPF_REG_2, BPF_REG_10, -8));
				break;
			default:
				vg_emit(p, INSN_ALU64_IMM(vg_alu_ops[vg_pick(in, 12)], BPF_REG_2, vg_imm(in)));
				break;
			}
		}
		vg_emit(p, INSN_MOV64_REG(BPF_REG_0, vg_pick(in, 2) ? BPF_REG_2 : BPF_REG_1));
		vg_emit(p, INSN_EXIT());
		for (k = 0; k < call_n; k++)
			p->insns[call_at[k]].imm = sub - call_at[k] - 1;
	}
	for (i = 0; i < fix_n; i++) {
		u32 at = fix_at[i], target = at + 1 + fix_dist[i];

		if (target >= main_len)
			target = main_len - 1;
		/* never into the second half of an LD_IMM64 */
		if (target > 0 && bpfdev_insn_is_ld_imm64(&p->insns[target - 1]))
			target++;
		p->insns[at].off = target - at - 1;
	}
}

/* The oracle: a fault of an accepted program is a verifier bug. */
static int vg_check(const struct vg_prog *p, bool unpriv, const u8 *pkt, u32 pkt_len,
		    char *why, size_t why_size)
{
	struct bpfdev_verifier_env env = {
		.insns = p->insns, .len = p->len,
		.prog_type = BPF_PROG_TYPE_SOCKET_FILTER, .privileged = !unpriv,
		.helpers = &vt_env, .map_resolve = vt_map_resolve, .log = vg_log,
	};
	struct bpfdev_skb skb;
	struct bpfdev_region regions[5];
	struct bpfdev_run_opts opts = {
		.sz = sizeof(opts), .regions = regions, .skb = &skb,
		.helper_region = vt_helper_region, .err = why, .err_size = why_size,
		.budget = 1 << 22,
		/* root may read stack it never wrote (allow_uninit_stack) */
		.uninit_stack = !unpriv,
	};
	struct bpfdev_code code = { .type = BPF_PROG_TYPE_SOCKET_FILTER, .env = &vt_env };
	u64 r0;
	int err;

	if (vg_log) {
		vg_log->len = 0;
		vg_log->truncated = false;
		vg_log->buf[0] = 0;
	}
	if (!unpriv) {
		/*
		 * Pruning with precision tracking only skips paths: whatever
		 * it accepts, comparing every scalar must accept too (but for
		 * the complexity limits).
		 */
		struct bpfdev_verifier_env all = env;
		int e1, e2;

		all.log = NULL;
		all.all_precise = true;
		e2 = bpfdev_verify(&all);
		bpfdev_verifier_env_release(&all);
		env.log = NULL;
		e1 = bpfdev_verify(&env);
		bpfdev_verifier_env_release(&env);
		env.log = vg_log;
		if (!e1 && e2 && e2 != -E2BIG) {
			vg_stats.precision_diffs++;
			snprintf(why, why_size, "accepted with precision tracking, rejected (%d) without",
				 e2);
			return -1;
		}
	}
	if (bpfdev_verify(&env)) {
		if (vg_log) {
			char *last = strstr(vg_log->buf, "\nverification time");

			if (last) {
				*last = 0;
				last = strrchr(vg_log->buf, '\n');
				fprintf(stderr, "reject: %s\n", last ? last + 1 : vg_log->buf);
			}
		}
		return 0;
	}
	if (unpriv)
		vg_stats.accepted_unpriv++;
	else
		vg_stats.accepted++;
	code.insns = env.xlated;
	code.len = env.xlated_len;
	code.stack_depth = env.stack_depth[0];
	bpfdev_skb_init_linear(&skb, pkt, pkt_len);
	opts.nr_regions = bpfdev_interp_skb_regions(&skb, regions);
	opts.args[0] = (uintptr_t)&skb;
	err = bpfdev_interp_run_checked(&code, &opts, &r0);
	vg_stats.run++;
	bpfdev_verifier_env_release(&env);
	if (err) {
		vg_stats.faults++;
		return -1;
	}
	return 0;
}

static void vg_dump(const struct vg_prog *p)
{
	u32 i;

	for (i = 0; i < p->len; i++)
		fprintf(stderr, "  INSN(0x%02x, %u, %u, %d, %d),\n", p->insns[i].code,
			p->insns[i].dst_reg, p->insns[i].src_reg, p->insns[i].off,
			p->insns[i].imm);
}

/* One input: build, verify both ways, run what passes.  -1 on a bug. */
static int vg_one(const u8 *data, size_t size, char *why, size_t why_size)
{
	struct vg_in in = { data, size };
	static struct vg_prog prog;
	static u8 pkt[128];
	u32 pkt_len, i;

	vt_maps_reset();
	/* the map value's contents and the packet come from the input too */
	for (i = 0; i < 48; i++)
		vt_maps[VT_MAP_ARRAY_48B].values[0][i] = vg_byte(&in);
	pkt_len = vg_pick(&in, sizeof(pkt) + 1);
	vt_make_packet(pkt, pkt_len);
	for (i = 0; i < pkt_len && i < 8; i++)
		pkt[14 + i % (pkt_len > 14 ? pkt_len - 14 : 1)] ^= vg_byte(&in);
	vg_generate(&in, &prog);
	vg_stats.generated++;
	if (vg_check(&prog, false, pkt, pkt_len, why, why_size) ||
	    vg_check(&prog, true, pkt, pkt_len, why, why_size)) {
		vg_dump(&prog);
		return -1;
	}
	return 0;
}

#endif /* BPFDEV_VERIFIER_GEN_H */
