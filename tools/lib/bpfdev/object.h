/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The object loader's state.  Parsing (object.c, object_maps.c,
 * object_relo.c) fills it from the ELF file alone; object_load.c talks to
 * the device.
 */
#ifndef LIBBPFDEV_OBJECT_H
#define LIBBPFDEV_OBJECT_H

#include <gelf.h>
#include <libelf.h>

#include "btf.h"
#include "internal.h"

enum sec_kind {
	SEC_OTHER,		/* ignored: debug info, notes, addrsig */
	SEC_PROG,		/* executable code (SEC() or .text) */
	SEC_MAPS_LEGACY,	/* "maps": struct bpf_map_def[] */
	SEC_MAPS_BTF,		/* ".maps": described by BTF */
	SEC_DATA,		/* .data, .rodata, .bss (and .data.*, .rodata.*) */
	SEC_LICENSE,
	SEC_VERSION,
	SEC_BTF,
	SEC_BTF_EXT,
	SEC_SYMTAB,
	SEC_REL,
};

/* What a relocation made of one instruction of a code section. */
enum insn_relo_kind {
	RELO_NONE,
	RELO_MAP,		/* ld_imm64 of a map: BPF_PSEUDO_MAP_FD */
	RELO_MAP_VALUE,		/* ld_imm64 into global data: BPF_PSEUDO_MAP_VALUE */
	RELO_CALL,		/* BPF-to-BPF call to another section's function */
};

struct insn_relo {
	enum insn_relo_kind	kind;
	int			map_idx;
	__u32			off;		/* RELO_MAP_VALUE: offset in the value */
	int			call_sec;	/* RELO_CALL: section and insn */
	__u32			call_insn;
};

struct obj_func {
	const char	*name;
	__u32		insn_off;
	__u32		insn_cnt;
	bool		global;
};

struct obj_sec {
	const char		*name;
	GElf_Shdr		shdr;
	Elf_Data		*data;
	enum sec_kind		kind;
	/* SEC_PROG */
	struct bpf_insn		*insns;
	__u32			insn_cnt;
	struct insn_relo	*relos;		/* one per insn */
	struct obj_func		*funcs;
	__u32			nr_funcs;
	/* SEC_DATA */
	int			map_idx;
};

struct prog_relo {
	__u32		insn_idx;
	int		map_idx;
	__u32		src_reg;	/* BPF_PSEUDO_MAP_FD or BPF_PSEUDO_MAP_VALUE */
	__u32		off;
};

struct bpfdev_map {
	struct bpfdev_object	*obj;
	char			*name;		/* as the module sees it */
	char			*real_name;	/* symbol or section name */
	__u32			type;
	__u32			key_size;
	__u32			value_size;
	__u32			max_entries;
	__u32			map_flags;
	int			sec_idx;
	__u64			sec_off;
	bool			internal;
	bool			rdonly;		/* .rodata: frozen after load */
	void			*init;		/* internal maps: initial value */
	int			fd;
	bool			reused;
};

struct bpfdev_program {
	struct bpfdev_object	*obj;
	char			*name;
	char			*sec_name;
	int			sec_idx;
	__u32			sec_insn_off;
	__u32			sec_insn_cnt;
	enum bpf_prog_type	type;
	enum bpf_attach_type	expected_attach_type;
	struct bpf_insn		*insns;		/* linked: subprograms appended */
	size_t			insn_cnt;
	struct prog_relo	*relos;
	size_t			nr_relos;
	int			fd;
	bool			autoload;
	__u32			log_level;
	char			*log;
};

struct bpfdev_object {
	char			name[64];
	void			*buf;
	size_t			size;
	Elf			*elf;
	GElf_Ehdr		ehdr;
	char			license[128];
	__u32			kversion;

	struct obj_sec		*secs;
	size_t			nr_secs;
	int			symtab_idx;
	Elf_Data		*symbols;
	size_t			nr_syms;
	int			strtab_idx;
	int			btf_idx;
	int			btf_ext_idx;
	int			maps_legacy_idx;
	int			maps_btf_idx;

	struct bpfdev_btf	btf;
	bool			has_btf;

	struct bpfdev_program	*progs;
	size_t			nr_progs;
	struct bpfdev_map	*maps;
	size_t			nr_maps;
	bool			loaded;
};

/* object_maps.c */
int bpfdev_obj_init_maps(struct bpfdev_object *obj);
int bpfdev_obj_find_map(const struct bpfdev_object *obj, int sec_idx, __u64 off);

/* object_relo.c */
int bpfdev_obj_collect_relos(struct bpfdev_object *obj);
int bpfdev_obj_link_progs(struct bpfdev_object *obj);

/* object.c */
int bpfdev_obj_sym(const struct bpfdev_object *obj, size_t idx, GElf_Sym *sym,
		   const char **name);
const char *bpfdev_obj_func_at(const struct bpfdev_object *obj, int sec_idx,
			       __u32 insn);
struct obj_func *bpfdev_obj_func_containing(const struct bpfdev_object *obj,
					    int sec_idx, __u32 insn);

#endif /* LIBBPFDEV_OBJECT_H */
