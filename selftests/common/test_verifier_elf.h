/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal reader of clang-built BPF objects for the verifier's tests and
 * benchmark: program sections, the .text subprograms they call, legacy
 * "maps" definitions and the relocations that point LD_IMM64s at them.
 * Needs test_verifier_host.h (vt_map_init) and -lelf.
 */
#ifndef BPFDEV_TEST_VERIFIER_ELF_H
#define BPFDEV_TEST_VERIFIER_ELF_H

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#define MAX_PROG	4096

struct elf_obj {
	Elf *elf;
	int fd;
	size_t shstrndx;
	Elf_Data *symtab;
	int maps_shndx, text_shndx;
	const struct bpf_insn *text;
	u32 text_len;
	u32 map_base;		/* vt_maps index of the object's first map */
};

static Elf_Data *section_data(struct elf_obj *o, int idx, GElf_Shdr *sh)
{
	Elf_Scn *scn = elf_getscn(o->elf, idx);

	if (!scn || !gelf_getshdr(scn, sh))
		return NULL;
	return elf_getdata(scn, NULL);
}

static __maybe_unused int elf_open(struct elf_obj *o, const char *path)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	memset(o, 0, sizeof(*o));
	o->maps_shndx = o->text_shndx = -1;
	elf_version(EV_CURRENT);
	o->fd = open(path, O_RDONLY);
	if (o->fd < 0)
		return -1;
	o->elf = elf_begin(o->fd, ELF_C_READ, NULL);
	if (!o->elf || elf_getshdrstrndx(o->elf, &o->shstrndx))
		return -1;
	while ((scn = elf_nextscn(o->elf, scn))) {
		const char *name;

		gelf_getshdr(scn, &sh);
		name = elf_strptr(o->elf, o->shstrndx, sh.sh_name);
		if (sh.sh_type == SHT_SYMTAB)
			o->symtab = elf_getdata(scn, NULL);
		else if (!strcmp(name, "maps"))
			o->maps_shndx = elf_ndxscn(scn);
		else if (!strcmp(name, ".text") && sh.sh_size) {
			Elf_Data *d = elf_getdata(scn, NULL);

			o->text_shndx = elf_ndxscn(scn);
			o->text = d->d_buf;
			o->text_len = d->d_size / sizeof(struct bpf_insn);
		}
	}
	return o->symtab ? 0 : -1;
}

static __maybe_unused void elf_close(struct elf_obj *o)
{
	if (o->elf)
		elf_end(o->elf);
	if (o->fd >= 0)
		close(o->fd);
}

/* The object's legacy map definitions become test maps from map_base on. */
static __maybe_unused int elf_maps(struct elf_obj *o)
{
	GElf_Shdr sh;
	Elf_Data *d;
	u32 i, n;

	if (o->maps_shndx < 0)
		return 0;
	d = section_data(o, o->maps_shndx, &sh);
	n = d->d_size / 20;
	for (i = 0; i < n; i++) {
		const u32 *def = (const u32 *)((const char *)d->d_buf + i * 20);

		vt_map_init(o->map_base + i, def[0], def[1], def[2], def[3], def[4]);
	}
	return n;
}

/*
 * The program of function sym in section idx, with the .text subprograms
 * appended and calls and map references resolved.  Returns its length or
 * -1.
 */
static __maybe_unused int elf_func_prog(struct elf_obj *o, int idx, const GElf_Sym *func,
			 struct bpf_insn *out)
{
	u32 first = func->st_value / sizeof(struct bpf_insn);
	u32 count = func->st_size / sizeof(struct bpf_insn);
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	Elf_Data *d = section_data(o, idx, &sh);
	u32 len, text_at;

	if (!count || (first + count) * sizeof(struct bpf_insn) > d->d_size ||
	    count + o->text_len > MAX_PROG)
		return -1;
	memcpy(out, (const struct bpf_insn *)d->d_buf + first, count * sizeof(struct bpf_insn));
	len = text_at = count;
	if (o->text_len && idx != o->text_shndx) {
		memcpy(out + len, o->text, o->text_len * sizeof(struct bpf_insn));
		len += o->text_len;
	}
	while ((scn = elf_nextscn(o->elf, scn))) {
		GElf_Shdr rsh;
		Elf_Data *rd;
		u32 i;
		bool in_text;

		gelf_getshdr(scn, &rsh);
		if (rsh.sh_type != SHT_REL)
			continue;
		in_text = (int)rsh.sh_info == o->text_shndx && o->text_len && idx != o->text_shndx;
		if ((int)rsh.sh_info != idx && !in_text)
			continue;
		rd = elf_getdata(scn, NULL);
		for (i = 0; i < rsh.sh_size / rsh.sh_entsize; i++) {
			GElf_Rel rel;
			GElf_Sym sym;
			struct bpf_insn *insn;
			u32 at = rel.r_offset;

			gelf_getrel(rd, i, &rel);
			at = rel.r_offset / sizeof(struct bpf_insn);
			if (in_text) {
				at += text_at;
			} else {
				if (at < first || at >= first + count)
					continue;
				at -= first;
			}
			gelf_getsym(o->symtab, GELF_R_SYM(rel.r_info), &sym);
			insn = &out[at];
			if ((int)sym.st_shndx == o->maps_shndx) {
				insn->src_reg = BPF_PSEUDO_MAP_FD;
				insn->imm = o->map_base + sym.st_value / 20;
			} else if ((int)sym.st_shndx == o->text_shndx &&
				   insn->code == (BPF_JMP | BPF_CALL)) {
				u32 target = text_at + sym.st_value / sizeof(struct bpf_insn) +
					     insn->imm + 1;

				insn->src_reg = BPF_PSEUDO_CALL;
				insn->imm = target - at - 1;
			}
		}
	}
	return len;
}

/* The string table of the symbols. */
static const char *elf_sym_name(struct elf_obj *o, const GElf_Sym *sym)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(o->elf, scn))) {
		gelf_getshdr(scn, &sh);
		if (sh.sh_type == SHT_SYMTAB)
			return elf_strptr(o->elf, sh.sh_link, sym->st_name);
	}
	return "?";
}

/*
 * Calls fn for each program of the object: every function symbol of an
 * executable section other than .text.
 */
static __maybe_unused int elf_for_each_prog(struct elf_obj *o,
			     void (*fn)(void *priv, const char *name,
					const struct bpf_insn *insns, u32 len),
			     void *priv)
{
	static struct bpf_insn insns[MAX_PROG];
	u32 i, nsyms = o->symtab->d_size / sizeof(Elf64_Sym);
	int n = 0;

	for (i = 0; i < nsyms; i++) {
		Elf_Scn *scn;
		GElf_Shdr sh;
		GElf_Sym sym;
		int len;

		gelf_getsym(o->symtab, i, &sym);
		if (GELF_ST_TYPE(sym.st_info) != STT_FUNC || (int)sym.st_shndx == o->text_shndx ||
		    GELF_ST_BIND(sym.st_info) != STB_GLOBAL)
			continue;
		scn = elf_getscn(o->elf, sym.st_shndx);
		if (!scn || !gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_EXECINSTR))
			continue;
		len = elf_func_prog(o, sym.st_shndx, &sym, insns);
		if (len < 0)
			return -1;
		fn(priv, elf_sym_name(o, &sym), insns, len);
		n++;
	}
	return n;
}

#endif /* BPFDEV_TEST_VERIFIER_ELF_H */
