// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Relocations of code sections (R_BPF_64_64: maps and global data;
 * R_BPF_64_32: calls into other sections) and linking: each program gets
 * a copy of every subprogram it calls, appended after its own code, with
 * call offsets rewritten, as libbpf does.
 */

#include <stdlib.h>

#include "object.h"

#ifndef R_BPF_NONE
#define R_BPF_NONE		0
#endif
#ifndef R_BPF_64_64
#define R_BPF_64_64		1
#endif
#ifndef R_BPF_64_32
#define R_BPF_64_32		10
#endif

#define LD_IMM64	(BPF_LD | BPF_IMM | BPF_DW)
#define CALL		(BPF_JMP | BPF_CALL)

/* Pieces of code a program is linked from; bounds the work on bad input. */
#define MAX_PIECES	1024

static bool is_pseudo_call(const struct bpf_insn *insn)
{
	return insn->code == CALL && insn->src_reg == BPF_PSEUDO_CALL;
}

#define relo_warn(obj, s, insn, r, fmt, ...)				\
	pr_warn("%s: prog '%s': relo #%zu: " fmt "\n", (obj)->name,	\
		bpfdev_obj_func_at((obj), (s), (insn)), (r), ##__VA_ARGS__)

static int relo_map_ref(struct bpfdev_object *obj, int s, __u32 idx, size_t r,
			const GElf_Sym *sym, const char *sym_name)
{
	struct obj_sec *sec = &obj->secs[s], *tsec;
	struct bpf_insn *insn = &sec->insns[idx];
	struct insn_relo *ir = &sec->relos[idx];
	__u64 off;
	int m;

	if (insn->code != LD_IMM64 || idx + 1 >= sec->insn_cnt) {
		relo_warn(obj, s, idx, r, "R_BPF_64_64 at insn %u (code 0x%02x) is not a 64-bit immediate load",
			  idx, insn->code);
		return -EINVAL;
	}
	if (sym->st_shndx == SHN_UNDEF) {
		relo_warn(obj, s, idx, r, "extern '%s' is not supported", sym_name);
		return -ENOTSUP;
	}
	if (sym->st_shndx >= obj->nr_secs) {
		relo_warn(obj, s, idx, r, "symbol '%s' in special section %u is not supported",
			  sym_name, sym->st_shndx);
		return -ENOTSUP;
	}
	tsec = &obj->secs[sym->st_shndx];
	switch (tsec->kind) {
	case SEC_MAPS_LEGACY:
	case SEC_MAPS_BTF:
		m = bpfdev_obj_find_map(obj, sym->st_shndx, sym->st_value);
		if (m < 0) {
			relo_warn(obj, s, idx, r, "no map definition for '%s' at offset %llu of '%s'",
				  sym_name, (unsigned long long)sym->st_value, tsec->name);
			return -EINVAL;
		}
		ir->kind = RELO_MAP;
		ir->map_idx = m;
		return 0;
	case SEC_DATA:
		off = (GELF_ST_TYPE(sym->st_info) == STT_SECTION ? 0 : sym->st_value) +
		      (__u32)insn->imm;
		if (tsec->map_idx < 0 || off >= tsec->shdr.sh_size) {
			relo_warn(obj, s, idx, r, "offset %llu of '%s' is outside the section",
				  (unsigned long long)off, tsec->name);
			return -EINVAL;
		}
		ir->kind = RELO_MAP_VALUE;
		ir->map_idx = tsec->map_idx;
		ir->off = off;
		return 0;
	case SEC_PROG:
		relo_warn(obj, s, idx, r, "address of function '%s' (BPF_PSEUDO_FUNC, callbacks) is not supported",
			  sym_name);
		return -ENOTSUP;
	default:
		relo_warn(obj, s, idx, r, "'%s' refers to section '%s', which is not a map or global data",
			  sym_name, tsec->name);
		return -ENOTSUP;
	}
}

static int relo_call(struct bpfdev_object *obj, int s, __u32 idx, size_t r,
		     const GElf_Sym *sym, const char *sym_name)
{
	struct obj_sec *sec = &obj->secs[s], *tsec;
	struct bpf_insn *insn = &sec->insns[idx];
	struct insn_relo *ir = &sec->relos[idx];
	long long target;

	if (!is_pseudo_call(insn)) {
		relo_warn(obj, s, idx, r, "unsupported relocation type %d at insn %u (not a BPF-to-BPF call)",
			  R_BPF_64_32, idx);
		return -ENOTSUP;
	}
	if (sym->st_shndx == SHN_UNDEF || sym->st_shndx >= obj->nr_secs) {
		relo_warn(obj, s, idx, r, "call to extern function '%s' is not supported",
			  sym_name);
		return -ENOTSUP;
	}
	tsec = &obj->secs[sym->st_shndx];
	if (tsec->kind != SEC_PROG) {
		relo_warn(obj, s, idx, r, "call to '%s' in non-code section '%s'",
			  sym_name, tsec->name);
		return -EINVAL;
	}
	/* Function symbols carry imm -1; section symbols the insn offset - 1. */
	target = (long long)(sym->st_value / 8) + insn->imm + 1;
	if (target < 0 || target >= tsec->insn_cnt) {
		relo_warn(obj, s, idx, r, "call target %lld outside '%s'", target, tsec->name);
		return -EINVAL;
	}
	ir->kind = RELO_CALL;
	ir->call_sec = sym->st_shndx;
	ir->call_insn = target;
	return 0;
}

static int collect_rel_sec(struct bpfdev_object *obj, struct obj_sec *rel)
{
	int s = rel->shdr.sh_info;
	struct obj_sec *sec;
	size_t nr, r;
	int err;

	if (s <= 0 || (size_t)s >= obj->nr_secs) {
		pr_warn("%s: section '%s': relocates section #%d, which does not exist\n",
			obj->name, rel->name, s);
		return -EINVAL;
	}
	sec = &obj->secs[s];
	/* Debug info, BTF and the map sections' own relocations do not concern loading. */
	if (sec->kind != SEC_PROG)
		return 0;
	if (rel->shdr.sh_link != (GElf_Word)obj->symtab_idx) {
		pr_warn("%s: section '%s': relocations against another symbol table\n",
			obj->name, rel->name);
		return -EINVAL;
	}
	if (!rel->shdr.sh_entsize) {
		pr_warn("%s: section '%s': entry size 0\n", obj->name, rel->name);
		return -EINVAL;
	}
	nr = rel->shdr.sh_size / rel->shdr.sh_entsize;
	for (r = 0; r < nr; r++) {
		const char *sym_name;
		GElf_Rel rl;
		GElf_Sym sym;
		__u32 idx, type;

		if (!gelf_getrel(rel->data, r, &rl)) {
			pr_warn("%s: section '%s': relo #%zu unreadable\n", obj->name,
				rel->name, r);
			return -EINVAL;
		}
		type = GELF_R_TYPE(rl.r_info);
		if (rl.r_offset % 8 || rl.r_offset / 8 >= sec->insn_cnt) {
			pr_warn("%s: section '%s': relo #%zu: offset %llu outside '%s'\n",
				obj->name, rel->name, r, (unsigned long long)rl.r_offset,
				sec->name);
			return -EINVAL;
		}
		idx = rl.r_offset / 8;
		if (type == R_BPF_NONE)
			continue;
		if (bpfdev_obj_sym(obj, GELF_R_SYM(rl.r_info), &sym, &sym_name)) {
			relo_warn(obj, s, idx, r, "bad symbol index %llu",
				  (unsigned long long)GELF_R_SYM(rl.r_info));
			return -EINVAL;
		}
		if (type == R_BPF_64_64)
			err = relo_map_ref(obj, s, idx, r, &sym, sym_name);
		else if (type == R_BPF_64_32)
			err = relo_call(obj, s, idx, r, &sym, sym_name);
		else {
			relo_warn(obj, s, idx, r, "unsupported relocation type %u", type);
			err = -ENOTSUP;
		}
		if (err)
			return err;
	}
	return 0;
}

int bpfdev_obj_collect_relos(struct bpfdev_object *obj)
{
	size_t s;
	int err;

	for (s = 1; s < obj->nr_secs; s++) {
		if (obj->secs[s].kind != SEC_REL)
			continue;
		err = collect_rel_sec(obj, &obj->secs[s]);
		if (err)
			return err;
	}
	return 0;
}

/* ---- linking ------------------------------------------------------------- */

struct piece {
	int	sec;
	__u32	start;
	__u32	cnt;
	__u32	dst;
};

struct link {
	struct piece	*pieces;
	size_t		nr;
	__u32		total;
};

static struct piece *find_piece(struct link *l, int sec, __u32 insn)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		if (l->pieces[i].sec == sec && insn >= l->pieces[i].start &&
		    insn < l->pieces[i].start + l->pieces[i].cnt)
			return &l->pieces[i];
	return NULL;
}

static int add_piece(struct link *l, int sec, __u32 start, __u32 cnt)
{
	struct piece *p;

	if (l->nr == MAX_PIECES || l->total + (__u64)cnt > BPF_MAXINSNS * 256ULL)
		return -E2BIG;
	p = realloc(l->pieces, (l->nr + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	l->pieces = p;
	p[l->nr++] = (struct piece){ sec, start, cnt, l->total };
	l->total += cnt;
	return 0;
}

/* Where a call lands, in section coordinates. */
static int call_target(struct bpfdev_object *obj, struct bpfdev_program *prog,
		       int s, __u32 i, int *tsec, __u32 *tinsn)
{
	struct obj_sec *sec = &obj->secs[s];
	long long t;

	if (sec->relos[i].kind == RELO_CALL) {
		*tsec = sec->relos[i].call_sec;
		*tinsn = sec->relos[i].call_insn;
		return 0;
	}
	t = (long long)i + sec->insns[i].imm + 1;
	if (t < 0 || t >= sec->insn_cnt) {
		pr_warn("%s: prog '%s': call at insn %u of '%s' jumps outside the section (to %lld)\n",
			obj->name, prog->name, i, sec->name, t);
		return -EINVAL;
	}
	*tsec = s;
	*tinsn = t;
	return 0;
}

static int link_prog(struct bpfdev_object *obj, struct bpfdev_program *prog)
{
	struct link l = { 0 };
	size_t p, nr_relos = 0;
	int err;

	err = add_piece(&l, prog->sec_idx, prog->sec_insn_off, prog->sec_insn_cnt);
	/* l.nr grows as calls pull in subprograms: they are linked in turn. */
	for (p = 0; !err && p < l.nr; p++) {
		struct piece pc = l.pieces[p];
		struct obj_sec *sec = &obj->secs[pc.sec];
		__u32 j;

		for (j = 0; j < pc.cnt; j++) {
			__u32 i = pc.start + j;
			struct obj_func *f;
			__u32 tinsn;
			int tsec;

			if (sec->relos[i].kind == RELO_MAP || sec->relos[i].kind == RELO_MAP_VALUE)
				nr_relos++;
			if (!is_pseudo_call(&sec->insns[i]))
				continue;
			err = call_target(obj, prog, pc.sec, i, &tsec, &tinsn);
			if (err)
				break;
			if (find_piece(&l, tsec, tinsn))
				continue;
			f = bpfdev_obj_func_containing(obj, tsec, tinsn);
			if (!f) {
				pr_warn("%s: prog '%s': call at insn %u of '%s' to insn %u of '%s', where no function is\n",
					obj->name, prog->name, i, sec->name, tinsn,
					obj->secs[tsec].name);
				err = -EINVAL;
				break;
			}
			err = add_piece(&l, tsec, f->insn_off, f->insn_cnt);
			if (err) {
				pr_warn("%s: prog '%s': too many subprograms\n", obj->name,
					prog->name);
				break;
			}
			pr_debug("%s: prog '%s': appended subprogram '%s' at insn %u\n",
				 obj->name, prog->name, f->name, l.pieces[l.nr - 1].dst);
		}
	}
	if (err)
		goto out;

	prog->insns = calloc(l.total ? l.total : 1, sizeof(*prog->insns));
	prog->relos = calloc(nr_relos + 1, sizeof(*prog->relos));
	if (!prog->insns || !prog->relos) {
		err = -ENOMEM;
		goto out;
	}
	prog->insn_cnt = l.total;
	for (p = 0; p < l.nr; p++) {
		struct piece *pc = &l.pieces[p];
		struct obj_sec *sec = &obj->secs[pc->sec];
		__u32 j;

		memcpy(&prog->insns[pc->dst], &sec->insns[pc->start],
		       pc->cnt * sizeof(struct bpf_insn));
		for (j = 0; j < pc->cnt; j++) {
			__u32 i = pc->start + j, out = pc->dst + j;
			struct insn_relo *ir = &sec->relos[i];
			struct piece *tp;
			__u32 tinsn;
			int tsec;

			if (ir->kind == RELO_MAP || ir->kind == RELO_MAP_VALUE) {
				prog->relos[prog->nr_relos++] = (struct prog_relo){
					.insn_idx = out,
					.map_idx = ir->map_idx,
					.src_reg = ir->kind == RELO_MAP ? BPF_PSEUDO_MAP_FD :
									  BPF_PSEUDO_MAP_VALUE,
					.off = ir->off,
				};
			}
			if (!is_pseudo_call(&sec->insns[i]))
				continue;
			call_target(obj, prog, pc->sec, i, &tsec, &tinsn);
			tp = find_piece(&l, tsec, tinsn);
			prog->insns[out].imm = (__s32)(tp->dst + (tinsn - tp->start)) -
					       (__s32)(out + 1);
		}
	}
out:
	free(l.pieces);
	return err;
}

int bpfdev_obj_link_progs(struct bpfdev_object *obj)
{
	size_t i;
	int err;

	for (i = 0; i < obj->nr_progs; i++) {
		err = link_prog(obj, &obj->progs[i]);
		if (err)
			return err;
	}
	return 0;
}
