// SPDX-License-Identifier: GPL-2.0
/*
 * Rewrites after verification: the patch API every instruction rewrite
 * goes through (the kernel's bpf_patch_insn_data()), and the 32-bit
 * subregister pass built on it (opt_subreg_zext_lo32_rnd_hi32()) with the
 * marks do_check() leaves for it.
 *
 * The zext marks: an ALU32 operation, a narrow load or a 32-bit atomic
 * fetch defines only the lower half of its register (the engines clear
 * the upper one).  check_reg_arg() records that definition in the
 * register's subreg_def; a later 64-bit read of the register, on any path
 * (also through a pruned state's liveness), marks the defining
 * instruction zext_dst.  A 32-bit definition left unmarked has an upper
 * half nobody reads: BPF_F_TEST_RND_HI32 fills it with random bits, as the
 * kernel's does, so that a program depending on it anyway shows up in
 * tests.  Names are the kernel's (see verifier_internal.h).
 *
 * Patching: bpfdev_patch_insn_data(env, off, patch, cnt) replaces the
 * instruction at off with the cnt instructions of patch (usually one of
 * them is the original, rewritten or not) and keeps everything indexed by
 * instruction in step with it:
 *   - jumps, gotol and BPF-to-BPF calls that cross off: a jump to off
 *     lands on the patch's first instruction, one past off on what
 *     followed the patch; the patch's own offsets are left as given,
 *     relative to its place in the new program;
 *   - subprogram starts after off (a patch at a subprogram's first
 *     instruction stays in that subprogram), and the end sentinel;
 *   - the per-instruction aux data: the patch's last instruction keeps
 *     off's, the others get fresh data with off's seen and orig_idx;
 *     zext_dst is recomputed for the whole patch (a patch's own 32-bit
 *     definitions count as zero-extended, as the kernel's);
 *   - env->insns and env->len.
 * There is no line info to move (PROG_LOAD refuses it).  A pass walks the
 * program as loaded and keeps a delta, as the kernel's do:
 *
 *	for (i = 0; i < len; i++) {
 *		u32 at = i + delta;
 *		... build patch[cnt] from env->insns[at] ...
 *		err = bpfdev_patch_insn_data(env, at, patch, cnt);
 *		if (err)
 *			return err;
 *		delta += cnt - 1;
 *	}
 *
 * It returns 0, -ENOMEM, or -ERANGE when a jump across off would no longer
 * fit its 16-bit offset (logged as the kernel logs it; the kernel's passes
 * then fail the load with ENOMEM, and so do ours).
 */

#include "verifier_internal.h"
#include "jit.h"

/* The kernel's is_reg64(): whether insn reads (src_op) or writes regno whole. */
bool bpfdev_is_reg64(struct bpfdev_verifier *env, const struct bpf_insn *insn, u32 regno,
		     const struct bpfdev_reg_state *reg, bool src_op)
{
	u8 code = insn->code, class = BPF_CLASS(code), op = BPF_OP(code);

	if (class == BPF_JMP) {
		/* BPF_EXIT for "main" will reach here: r0 is read whole */
		if (op == BPF_EXIT)
			return true;
		if (op == BPF_CALL) {
			/* a BPF-to-BPF call's clobbers are NOT_INIT anyway */
			if (insn->src_reg == BPF_PSEUDO_CALL)
				return false;
			/* helper arguments: conservatively whole */
			return src_op;
		}
	}
	if (class == BPF_ALU64 || class == BPF_JMP ||
	    /* BPF_END always uses BPF_ALU class */
	    (class == BPF_ALU && op == BPF_END && insn->imm == 64))
		return true;
	if (class == BPF_ALU || class == BPF_JMP32)
		return false;
	if (class == BPF_LDX) {
		/* the source is a pointer; a sign-extending load defines 64 bits */
		if (!src_op)
			return BPF_SIZE(code) == BPF_DW || BPF_MODE(code) == BPF_MEMSX;
		return true;
	}
	if (class == BPF_STX) {
		/* the address operand is a pointer, read whole */
		if (src_op && reg && reg->type != SCALAR_VALUE)
			return true;
		return BPF_SIZE(code) == BPF_DW;
	}
	if (class == BPF_LD) {
		/* LD_IMM64 */
		if (BPF_MODE(code) == BPF_IMM)
			return true;
		/* LD_ABS and LD_IND define 32 bits; their sources are whole */
		return src_op;
	}
	/* BPF_ST's one source register is a pointer; anything else: whole */
	return true;
}

/* The register insn defines, or -1. */
static int insn_def_regno(const struct bpf_insn *insn)
{
	switch (BPF_CLASS(insn->code)) {
	case BPF_JMP:
	case BPF_JMP32:
	case BPF_ST:
		return -1;
	case BPF_STX:
		if (BPF_MODE(insn->code) == BPF_ATOMIC && (insn->imm & BPF_FETCH))
			return insn->imm == BPF_CMPXCHG ? BPF_REG_0 : insn->src_reg;
		return -1;
	default:
		return insn->dst_reg;
	}
}

/* Whether insn defines a 32-bit value explicitly. */
static bool insn_has_def32(struct bpfdev_verifier *env, const struct bpf_insn *insn)
{
	int dst_reg = insn_def_regno(insn);

	if (dst_reg == -1)
		return false;
	return !bpfdev_is_reg64(env, insn, dst_reg, NULL, false);
}

/* reg is read whole: its 32-bit definition must stay zero-extended. */
void bpfdev_mark_insn_zext(struct bpfdev_verifier *env, struct bpfdev_reg_state *reg)
{
	s32 def_idx = reg->subreg_def;

	if (def_idx == DEF_NOT_SUBREG)
		return;
	env->aux[def_idx - 1].zext_dst = true;
	/* The dst will be zero extended, so won't be sub-register anymore. */
	reg->subreg_def = DEF_NOT_SUBREG;
}

static bool insn_has_target(const struct bpf_insn *insn, bool *in_imm)
{
	u8 class = BPF_CLASS(insn->code), op = BPF_OP(insn->code);

	if ((class != BPF_JMP && class != BPF_JMP32) || op == BPF_EXIT)
		return false;
	if (op == BPF_CALL) {
		*in_imm = true;
		return insn->src_reg == BPF_PSEUDO_CALL;
	}
	/* gotol keeps its offset in imm */
	*in_imm = class == BPF_JMP32 && op == BPF_JA;
	return true;
}

/*
 * Moves the jumps of the old program insns[0, len) across a patch of cnt
 * instructions at off into new (NULL: only check that they fit).
 */
static int adj_branches(const struct bpf_insn *insns, u32 len, u32 off, u32 cnt,
			struct bpf_insn *new)
{
	s64 delta = (s64)cnt - 1;
	u32 i;

	for (i = 0; i < len; i++) {
		bool in_imm = false;
		s64 rel, target, from, to;

		if (i == off || !insn_has_target(&insns[i], &in_imm))
			continue;
		rel = in_imm ? insns[i].imm : insns[i].off;
		target = (s64)i + rel + 1;
		from = i < off ? i : i + delta;
		to = target <= off ? target : target + delta;
		if (to - from - 1 == rel)
			continue;
		rel = to - from - 1;
		if (in_imm ? rel < S32_MIN || rel > S32_MAX : rel < S16_MIN || rel > S16_MAX)
			return -ERANGE;
		if (!new)
			continue;
		if (in_imm)
			new[from].imm = rel;
		else
			new[from].off = rel;
	}
	return 0;
}

int bpfdev_patch_insn_data(struct bpfdev_verifier *env, u32 off, const struct bpf_insn *patch,
			   u32 cnt)
{
	u32 i, len = env->len, new_len = len + cnt - 1;
	struct bpfdev_insn_aux_data *aux;
	struct bpf_insn *insns;
	int err;

	if (off >= len || !cnt)
		return -EINVAL;
	if (cnt == 1) {
		env->insns[off] = patch[0];
		env->aux[off].zext_dst = insn_has_def32(env, &env->insns[off]);
		return 0;
	}
	err = adj_branches(env->insns, len, off, cnt, NULL);
	if (err) {
		bpfdev_verbose(env, "insn %d cannot be patched due to 16-bit range\n",
			       env->aux[off].orig_idx);
		return err;
	}
	insns = bpfdev_zalloc_array(new_len, sizeof(*insns));
	aux = bpfdev_zalloc_array(new_len, sizeof(*aux));
	if (!insns || !aux) {
		bpfdev_free(insns);
		bpfdev_free(aux);
		return -ENOMEM;
	}
	memcpy(insns, env->insns, off * sizeof(*insns));
	memcpy(insns + off, patch, cnt * sizeof(*insns));
	memcpy(insns + off + cnt, env->insns + off + 1, (len - off - 1) * sizeof(*insns));
	adj_branches(env->insns, len, off, cnt, insns);

	memcpy(aux, env->aux, off * sizeof(*aux));
	memcpy(aux + off + cnt - 1, env->aux + off, (len - off) * sizeof(*aux));
	for (i = off; i < off + cnt; i++) {
		if (i < off + cnt - 1) {
			aux[i].seen = env->aux[off].seen;
			aux[i].orig_idx = env->aux[off].orig_idx;
			aux[i].subprogno = env->aux[off].subprogno;
		}
		aux[i].zext_dst = insn_has_def32(env, &insns[i]);
	}

	/* the sentinel after the last subprogram moves too */
	for (i = 0; i <= env->subprog_cnt; i++)
		if (env->subprog_info[i].start > off)
			env->subprog_info[i].start += cnt - 1;

	bpfdev_free(env->insns);
	bpfdev_free(env->aux);
	env->insns = insns;
	env->aux = aux;
	env->len = new_len;
	return 0;
}

static bool is_cmpxchg_insn(const struct bpf_insn *insn)
{
	return BPF_CLASS(insn->code) == BPF_STX && BPF_MODE(insn->code) == BPF_ATOMIC &&
	       insn->imm == BPF_CMPXCHG;
}

/*
 * Instructions the kernel has rewritten before this pass runs, in
 * do_misc_fixups() (LD_ABS/LD_IND into helper calls, 32-bit division and
 * modulo by a register behind a zero check): the rewrite marks their
 * 32-bit definitions zext_dst, so the kernel never randomises them.
 * bpfdev runs them as they are: skip them the same.  So for code no path
 * reached, which the kernel has removed (privileged) or turned into traps.
 */
static bool rewritten_by_the_kernel(const struct bpfdev_insn_aux_data *aux,
				    const struct bpf_insn *insn)
{
	u8 class = BPF_CLASS(insn->code), op = BPF_OP(insn->code);

	if (!aux->seen)
		return true;
	if (class == BPF_LD && (BPF_MODE(insn->code) == BPF_ABS ||
				BPF_MODE(insn->code) == BPF_IND))
		return true;
	return class == BPF_ALU && BPF_SRC(insn->code) == BPF_X &&
	       (op == BPF_DIV || op == BPF_MOD);
}

/*
 * After each 32-bit definition no one reads whole, with
 * BPF_F_TEST_RND_HI32: the upper half gets random bits through BPF_REG_AX
 * (insn; ax = rnd; ax <<= 32; dst |= ax).  A 32-bit cmpxchg whose r0 is
 * read whole is followed by an explicit zero extension (mov32 r0, r0 with
 * imm 1, the kernel's BPF_ZEXT_REG()), with or without the flag: the
 * kernel's xlated program has it.  The x86-64 engines zero-extend every
 * other 32-bit definition themselves (the kernel's !bpf_jit_needs_zext()).
 */
int bpfdev_opt_subreg_zext_lo32_rnd_hi32(struct bpfdev_verifier *env)
{
	bool rnd_hi32 = env->env_pub->prog_flags & BPF_F_TEST_RND_HI32;
	struct bpf_insn patch[4];
	u32 i, len = env->len, delta = 0;
	int err;

	for (i = 0; i < len; i++) {
		u32 at = i + delta, cnt;
		struct bpf_insn insn = env->insns[at];
		int load_reg = insn_def_regno(&insn);

		if (!env->aux[at].zext_dst) {
			if (!rnd_hi32 || load_reg == -1)
				continue;
			if (bpfdev_is_reg64(env, &insn, load_reg, NULL, false)) {
				if (bpfdev_insn_is_ld_imm64(&insn))
					i++;
				continue;
			}
			/* ctx load could be transformed into wider load. */
			if (BPF_CLASS(insn.code) == BPF_LDX && env->aux[at].ptr_type == PTR_TO_CTX)
				continue;
			if (rewritten_by_the_kernel(&env->aux[at], &insn))
				continue;
			patch[0] = insn;
			patch[1] = INSN_ALU64_IMM(BPF_MOV, BPFDEV_REG_AX,
						  (s32)bpfdev_prandom_u32());
			patch[2] = INSN_ALU64_IMM(BPF_LSH, BPFDEV_REG_AX, 32);
			patch[3] = INSN_ALU64_REG(BPF_OR, load_reg, BPFDEV_REG_AX);
			cnt = 4;
		} else {
			if (!is_cmpxchg_insn(&insn))
				continue;
			patch[0] = insn;
			patch[1] = INSN(BPF_ALU | BPF_MOV | BPF_X, load_reg, load_reg, 0, 1);
			cnt = 2;
		}
		err = bpfdev_patch_insn_data(env, at, patch, cnt);
		if (err)
			return err == -ERANGE ? -ENOMEM : err;
		delta += cnt - 1;
	}
	return 0;
}
