// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Opening an object: the ELF checks, the section table, functions and
 * programs by SEC() name, license and version, BTF.  Maps come from
 * object_maps.c, relocations and BPF-to-BPF calls from object_relo.c.
 * Nothing here talks to the device, so all of it is unit-testable.
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "object.h"

/* libbpf's section names that bpfdev knows a program type for. */
static const struct {
	const char		*prefix;
	enum bpf_prog_type	type;
	enum bpf_attach_type	attach;
} sec_defs[] = {
	{ "socket",		BPF_PROG_TYPE_SOCKET_FILTER },
	{ "classifier",		BPF_PROG_TYPE_SCHED_CLS },
	{ "tc",			BPF_PROG_TYPE_SCHED_CLS },
	{ "action",		BPF_PROG_TYPE_SCHED_ACT },
	{ "xdp",		BPF_PROG_TYPE_XDP },
	{ "kprobe",		BPF_PROG_TYPE_KPROBE },
	{ "kretprobe",		BPF_PROG_TYPE_KPROBE },
	{ "tracepoint",		BPF_PROG_TYPE_TRACEPOINT },
	{ "tp",			BPF_PROG_TYPE_TRACEPOINT },
	{ "raw_tracepoint",	BPF_PROG_TYPE_RAW_TRACEPOINT },
	{ "raw_tp",		BPF_PROG_TYPE_RAW_TRACEPOINT },
	{ "perf_event",		BPF_PROG_TYPE_PERF_EVENT },
	{ "cgroup_skb/ingress",	BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_INGRESS },
	{ "cgroup_skb/egress",	BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_EGRESS },
	{ "flow_dissector",	BPF_PROG_TYPE_FLOW_DISSECTOR, BPF_FLOW_DISSECTOR },
};

static bool sec_matches(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);

	return !strncmp(name, prefix, n) && (name[n] == '\0' || name[n] == '/');
}

static void prog_type_of_sec(struct bpfdev_program *prog)
{
	size_t i;

	for (i = 0; i < sizeof(sec_defs) / sizeof(sec_defs[0]); i++) {
		if (sec_matches(prog->sec_name, sec_defs[i].prefix)) {
			prog->type = sec_defs[i].type;
			prog->expected_attach_type = sec_defs[i].attach;
			return;
		}
	}
	prog->type = BPF_PROG_TYPE_UNSPEC;
}

int bpfdev_obj_sym(const struct bpfdev_object *obj, size_t idx, GElf_Sym *sym,
		   const char **name)
{
	const char *n;

	if (!obj->symbols || idx >= obj->nr_syms || !gelf_getsym(obj->symbols, idx, sym))
		return -EINVAL;
	if (name) {
		n = elf_strptr(obj->elf, obj->strtab_idx, sym->st_name);
		if (!n || (!*n && GELF_ST_TYPE(sym->st_info) == STT_SECTION &&
			   sym->st_shndx < obj->nr_secs))
			n = sym->st_shndx < obj->nr_secs ? obj->secs[sym->st_shndx].name : "";
		*name = n ? n : "";
	}
	return 0;
}

struct obj_func *bpfdev_obj_func_containing(const struct bpfdev_object *obj,
					    int sec_idx, __u32 insn)
{
	const struct obj_sec *sec = &obj->secs[sec_idx];
	__u32 i;

	for (i = 0; i < sec->nr_funcs; i++) {
		struct obj_func *f = &sec->funcs[i];

		if (insn >= f->insn_off && insn < f->insn_off + f->insn_cnt)
			return f;
	}
	return NULL;
}

const char *bpfdev_obj_func_at(const struct bpfdev_object *obj, int sec_idx, __u32 insn)
{
	struct obj_func *f = bpfdev_obj_func_containing(obj, sec_idx, insn);

	return f ? f->name : obj->secs[sec_idx].name;
}

static const char *sec_name(struct bpfdev_object *obj, size_t shstrndx, GElf_Shdr *sh)
{
	const char *n = elf_strptr(obj->elf, shstrndx, sh->sh_name);

	return n ? n : NULL;
}

static bool is_debug_sec(const char *name, const GElf_Shdr *sh)
{
	return !strncmp(name, ".debug", 6) || !strncmp(name, ".rel.debug", 10) ||
	       !strncmp(name, ".llvm", 5) || !strcmp(name, ".comment") ||
	       !strncmp(name, ".note", 5) || !strcmp(name, ".eh_frame") ||
	       !strcmp(name, ".rel.eh_frame") || sh->sh_type == SHT_NULL ||
	       sh->sh_type == SHT_STRTAB || sh->sh_type == 0x6fff4c03 /* SHT_LLVM_ADDRSIG */;
}

static bool is_data_sec(const char *name)
{
	return !strcmp(name, ".data") || !strcmp(name, ".rodata") ||
	       !strcmp(name, ".bss") || !strncmp(name, ".data.", 6) ||
	       !strncmp(name, ".rodata.", 8);
}

static int classify_sec(struct bpfdev_object *obj, size_t idx)
{
	struct obj_sec *sec = &obj->secs[idx];
	GElf_Shdr *sh = &sec->shdr;
	const char *name = sec->name;

	if (sh->sh_type == SHT_SYMTAB) {
		if (obj->symtab_idx) {
			pr_warn("%s: more than one symbol table\n", obj->name);
			return -EINVAL;
		}
		obj->symtab_idx = idx;
		sec->kind = SEC_SYMTAB;
	} else if (sh->sh_type == SHT_REL) {
		sec->kind = SEC_REL;
	} else if (sh->sh_type == SHT_RELA) {
		pr_warn("%s: section '%s': RELA relocations are not supported (BPF objects use REL)\n",
			obj->name, name);
		return -ENOTSUP;
	} else if (!strcmp(name, "license")) {
		sec->kind = SEC_LICENSE;
	} else if (!strcmp(name, "version")) {
		sec->kind = SEC_VERSION;
	} else if (!strcmp(name, "maps")) {
		sec->kind = SEC_MAPS_LEGACY;
		obj->maps_legacy_idx = idx;
	} else if (!strcmp(name, ".maps")) {
		sec->kind = SEC_MAPS_BTF;
		obj->maps_btf_idx = idx;
	} else if (!strcmp(name, ".BTF")) {
		sec->kind = SEC_BTF;
		obj->btf_idx = idx;
	} else if (!strcmp(name, ".BTF.ext")) {
		sec->kind = SEC_BTF_EXT;
		obj->btf_ext_idx = idx;
	} else if (sh->sh_type == SHT_PROGBITS && (sh->sh_flags & SHF_EXECINSTR)) {
		sec->kind = SEC_PROG;
	} else if (is_data_sec(name) &&
		   (sh->sh_type == SHT_PROGBITS || sh->sh_type == SHT_NOBITS)) {
		sec->kind = SEC_DATA;
	} else if (is_debug_sec(name, sh) || !(sh->sh_flags & SHF_ALLOC)) {
		sec->kind = SEC_OTHER;
	} else {
		pr_warn("%s: section '%s' (type %u, flags 0x%llx) is not supported\n",
			obj->name, name, sh->sh_type, (unsigned long long)sh->sh_flags);
		return -ENOTSUP;
	}
	return 0;
}

static int read_sections(struct bpfdev_object *obj)
{
	size_t shstrndx, nr, i;
	Elf_Scn *scn;
	int err;

	if (elf_getshdrstrndx(obj->elf, &shstrndx) || elf_getshdrnum(obj->elf, &nr)) {
		pr_warn("%s: cannot read the section headers: %s\n", obj->name,
			elf_errmsg(-1));
		return -EINVAL;
	}
	obj->secs = calloc(nr ? nr : 1, sizeof(*obj->secs));
	if (!obj->secs)
		return -ENOMEM;
	obj->nr_secs = nr;
	for (i = 1; i < nr; i++) {
		struct obj_sec *sec = &obj->secs[i];

		sec->map_idx = -1;
		scn = elf_getscn(obj->elf, i);
		if (!scn || !gelf_getshdr(scn, &sec->shdr)) {
			pr_warn("%s: section #%zu: bad header: %s\n", obj->name, i,
				elf_errmsg(-1));
			return -EINVAL;
		}
		sec->name = sec_name(obj, shstrndx, &sec->shdr);
		if (!sec->name) {
			pr_warn("%s: section #%zu: bad name\n", obj->name, i);
			return -EINVAL;
		}
		if (sec->shdr.sh_type != SHT_NOBITS) {
			sec->data = elf_getdata(scn, NULL);
			if (!sec->data || (sec->shdr.sh_size && !sec->data->d_buf) ||
			    sec->data->d_size != sec->shdr.sh_size) {
				pr_warn("%s: section '%s': cannot read its %llu bytes (truncated file?)\n",
					obj->name, sec->name,
					(unsigned long long)sec->shdr.sh_size);
				return -EINVAL;
			}
		}
		err = classify_sec(obj, i);
		if (err)
			return err;
	}
	return 0;
}

static int read_symbols(struct bpfdev_object *obj)
{
	struct obj_sec *sym_sec;

	if (!obj->symtab_idx) {
		pr_warn("%s: no symbol table (.symtab)\n", obj->name);
		return -EINVAL;
	}
	sym_sec = &obj->secs[obj->symtab_idx];
	if (!sym_sec->shdr.sh_entsize || sym_sec->shdr.sh_link >= obj->nr_secs ||
	    !sym_sec->shdr.sh_link) {
		pr_warn("%s: bad symbol table header\n", obj->name);
		return -EINVAL;
	}
	obj->symbols = sym_sec->data;
	obj->nr_syms = sym_sec->shdr.sh_size / sym_sec->shdr.sh_entsize;
	obj->strtab_idx = sym_sec->shdr.sh_link;
	return 0;
}

static int add_func(struct obj_sec *sec, const char *name, __u32 off, __u32 cnt,
		    bool global)
{
	struct obj_func *f = realloc(sec->funcs, (sec->nr_funcs + 1) * sizeof(*f));

	if (!f)
		return -ENOMEM;
	sec->funcs = f;
	f[sec->nr_funcs++] = (struct obj_func){ name, off, cnt, global };
	return 0;
}

/* Code sections: instructions, and the functions symbols say they hold. */
static int read_code(struct bpfdev_object *obj)
{
	size_t i, s;
	int err;

	for (s = 1; s < obj->nr_secs; s++) {
		struct obj_sec *sec = &obj->secs[s];

		if (sec->kind != SEC_PROG)
			continue;
		if (sec->shdr.sh_size % sizeof(struct bpf_insn)) {
			pr_warn("%s: section '%s': size %llu is not a multiple of 8\n",
				obj->name, sec->name,
				(unsigned long long)sec->shdr.sh_size);
			return -EINVAL;
		}
		sec->insn_cnt = sec->shdr.sh_size / sizeof(struct bpf_insn);
		sec->insns = malloc(sec->shdr.sh_size + 1);
		sec->relos = calloc(sec->insn_cnt + 1, sizeof(*sec->relos));
		if (!sec->insns || !sec->relos)
			return -ENOMEM;
		if (sec->insn_cnt)
			memcpy(sec->insns, sec->data->d_buf, sec->shdr.sh_size);
	}
	for (i = 1; i < obj->nr_syms; i++) {
		const char *name;
		GElf_Sym sym;
		struct obj_sec *sec;

		if (bpfdev_obj_sym(obj, i, &sym, &name))
			return -EINVAL;
		if (GELF_ST_TYPE(sym.st_info) != STT_FUNC)
			continue;
		if (sym.st_shndx == SHN_UNDEF || sym.st_shndx >= obj->nr_secs) {
			pr_warn("%s: function '%s': extern functions are not supported\n",
				obj->name, name);
			return -ENOTSUP;
		}
		sec = &obj->secs[sym.st_shndx];
		if (sec->kind != SEC_PROG)
			continue;
		if (sym.st_value % 8 || sym.st_size % 8 || !sym.st_size ||
		    sym.st_value + sym.st_size > sec->shdr.sh_size) {
			pr_warn("%s: function '%s': bad bounds (offset %llu, size %llu) in '%s'\n",
				obj->name, name, (unsigned long long)sym.st_value,
				(unsigned long long)sym.st_size, sec->name);
			return -EINVAL;
		}
		err = add_func(sec, name, sym.st_value / 8, sym.st_size / 8,
			       GELF_ST_BIND(sym.st_info) != STB_LOCAL);
		if (err)
			return err;
	}
	return 0;
}

static char *sanitized_name(const char *name)
{
	char *s = strdup(name), *p;

	if (s)
		for (p = s; *p; p++)
			if (*p == '/')
				*p = '_';
	return s;
}

static int add_prog(struct bpfdev_object *obj, int sec_idx, const char *name,
		    __u32 off, __u32 cnt)
{
	struct bpfdev_program *progs, *prog;

	progs = realloc(obj->progs, (obj->nr_progs + 1) * sizeof(*progs));
	if (!progs)
		return -ENOMEM;
	obj->progs = progs;
	prog = &progs[obj->nr_progs++];
	memset(prog, 0, sizeof(*prog));
	prog->obj = obj;
	prog->fd = -1;
	prog->autoload = true;
	prog->sec_idx = sec_idx;
	prog->sec_insn_off = off;
	prog->sec_insn_cnt = cnt;
	prog->name = sanitized_name(name);
	prog->sec_name = strdup(obj->secs[sec_idx].name);
	if (!prog->name || !prog->sec_name)
		return -ENOMEM;
	prog_type_of_sec(prog);
	return 0;
}

/* One program per function of each SEC() section; .text holds subprograms. */
static int collect_progs(struct bpfdev_object *obj)
{
	size_t s;
	__u32 i;
	int err;

	for (s = 1; s < obj->nr_secs; s++) {
		struct obj_sec *sec = &obj->secs[s];

		if (sec->kind != SEC_PROG || !strcmp(sec->name, ".text") ||
		    !sec->insn_cnt)
			continue;
		if (!sec->nr_funcs) {
			err = add_prog(obj, s, sec->name, 0, sec->insn_cnt);
			if (err)
				return err;
			continue;
		}
		for (i = 0; i < sec->nr_funcs; i++) {
			err = add_prog(obj, s, sec->funcs[i].name, sec->funcs[i].insn_off,
				       sec->funcs[i].insn_cnt);
			if (err)
				return err;
		}
	}
	if (!obj->nr_progs)
		pr_info("%s: no programs\n", obj->name);
	return 0;
}

static int read_license_version(struct bpfdev_object *obj)
{
	size_t s;

	for (s = 1; s < obj->nr_secs; s++) {
		struct obj_sec *sec = &obj->secs[s];
		size_t n;

		if (sec->kind == SEC_LICENSE) {
			n = sec->shdr.sh_size;
			if (n >= sizeof(obj->license))
				n = sizeof(obj->license) - 1;
			memcpy(obj->license, sec->data->d_buf, n);
			obj->license[n] = '\0';
		} else if (sec->kind == SEC_VERSION) {
			if (sec->shdr.sh_size != sizeof(__u32)) {
				pr_warn("%s: section 'version' has %llu bytes, not 4\n",
					obj->name, (unsigned long long)sec->shdr.sh_size);
				return -EINVAL;
			}
			memcpy(&obj->kversion, sec->data->d_buf, 4);
		}
	}
	return 0;
}

/* .BTF.ext's header (tools/lib/bpf/libbpf_internal.h). */
struct btf_ext_header {
	__u16	magic;
	__u8	version;
	__u8	flags;
	__u32	hdr_len;
	__u32	func_info_off;
	__u32	func_info_len;
	__u32	line_info_off;
	__u32	line_info_len;
	__u32	core_relo_off;
	__u32	core_relo_len;
};

/* CO-RE needs the kernel's BTF to relocate against: refuse it by name. */
static int check_core_relos(struct bpfdev_object *obj)
{
	const struct btf_ext_header *h;
	const __u8 *p, *end;
	struct obj_sec *sec;
	__u32 rec_size;

	if (!obj->btf_ext_idx)
		return 0;
	sec = &obj->secs[obj->btf_ext_idx];
	h = sec->data->d_buf;
	if (sec->shdr.sh_size < offsetofend(struct btf_ext_header, line_info_len) ||
	    h->magic != BTF_MAGIC || h->hdr_len > sec->shdr.sh_size) {
		pr_warn("%s: .BTF.ext: bad header (ignored)\n", obj->name);
		return 0;
	}
	if (h->hdr_len < sizeof(*h) || !h->core_relo_len)
		return 0;
	if ((__u64)h->hdr_len + h->core_relo_off + h->core_relo_len > sec->shdr.sh_size ||
	    h->core_relo_len < 4) {
		pr_warn("%s: .BTF.ext: CO-RE relocation table out of bounds\n", obj->name);
		return -EINVAL;
	}
	p = (const __u8 *)h + h->hdr_len + h->core_relo_off;
	end = p + h->core_relo_len;
	memcpy(&rec_size, p, 4);
	p += 4;
	while (end - p >= 8) {
		__u32 name_off, num;

		memcpy(&name_off, p, 4);
		memcpy(&num, p + 4, 4);
		if (num) {
			pr_warn("%s: section '%s' needs %u CO-RE relocation%s (.BTF.ext): CO-RE is not supported by bpfdev (build without __builtin_preserve_access_index / BPF_CORE_READ)\n",
				obj->name,
				obj->has_btf ? bpfdev_btf_str(&obj->btf, name_off) : "?",
				num, num == 1 ? "" : "s");
			return -ENOTSUP;
		}
		p += 8;
	}
	(void)rec_size;
	return 0;
}

static int check_ehdr(struct bpfdev_object *obj)
{
	const char *ident;
	size_t n;

	if (elf_kind(obj->elf) != ELF_K_ELF) {
		pr_warn("%s: not an ELF file\n", obj->name);
		return -EINVAL;
	}
	ident = elf_getident(obj->elf, &n);
	if (!ident || n < EI_NIDENT || !gelf_getehdr(obj->elf, &obj->ehdr)) {
		pr_warn("%s: cannot read the ELF header: %s\n", obj->name, elf_errmsg(-1));
		return -EINVAL;
	}
	if (ident[EI_CLASS] != ELFCLASS64) {
		pr_warn("%s: not a 64-bit ELF object\n", obj->name);
		return -EINVAL;
	}
	if (ident[EI_DATA] != ELFDATA2LSB) {
		pr_warn("%s: big-endian object (build with -target bpfel or bpf on x86)\n",
			obj->name);
		return -ENOTSUP;
	}
	if (obj->ehdr.e_machine != EM_BPF) {
		pr_warn("%s: wrong machine %u, not EM_BPF (%u): build with clang -target bpf\n",
			obj->name, obj->ehdr.e_machine, EM_BPF);
		return -EINVAL;
	}
	if (obj->ehdr.e_type != ET_REL) {
		pr_warn("%s: ELF type %u, not a relocatable object (ET_REL)\n",
			obj->name, obj->ehdr.e_type);
		return -EINVAL;
	}
	return 0;
}

static int parse(struct bpfdev_object *obj)
{
	int err;

	err = check_ehdr(obj);
	if (!err)
		err = read_sections(obj);
	if (!err)
		err = read_symbols(obj);
	if (!err && obj->btf_idx) {
		struct obj_sec *sec = &obj->secs[obj->btf_idx];

		err = bpfdev_btf_parse(&obj->btf, sec->data->d_buf, sec->shdr.sh_size);
		if (err)
			pr_warn("%s: .BTF is malformed\n", obj->name);
		obj->has_btf = !err;
	}
	if (!err)
		err = check_core_relos(obj);
	if (!err)
		err = read_license_version(obj);
	if (!err)
		err = read_code(obj);
	if (!err)
		err = collect_progs(obj);
	if (!err)
		err = bpfdev_obj_init_maps(obj);
	if (!err)
		err = bpfdev_obj_collect_relos(obj);
	if (!err)
		err = bpfdev_obj_link_progs(obj);
	return err;
}

static void set_name(struct bpfdev_object *obj, const char *path,
		     const struct bpfdev_object_open_opts *opts)
{
	const char *name = OPTS_GET(opts, object_name, NULL);
	const char *base;
	char *dot;

	if (!name) {
		base = path ? strrchr(path, '/') : NULL;
		name = base ? base + 1 : path ? path : "object";
	}
	snprintf(obj->name, sizeof(obj->name), "%s", name);
	/* libbpf's rule: the name ends at the first dot ("x.bpf.o" is "x"). */
	dot = strchr(obj->name, '.');
	if (dot && dot != obj->name)
		*dot = '\0';
}

static struct bpfdev_object *open_buf(void *buf, size_t size, const char *path,
				      const struct bpfdev_object_open_opts *opts)
{
	struct bpfdev_object *obj;
	int err;

	if (!OPTS_VALID(opts, bpfdev_object_open_opts)) {
		free(buf);
		return bpfdev_err_ptr(-EINVAL);
	}
	obj = calloc(1, sizeof(*obj));
	if (!obj) {
		free(buf);
		return bpfdev_err_ptr(-ENOMEM);
	}
	obj->buf = buf;
	obj->size = size;
	set_name(obj, path, opts);
	if (elf_version(EV_CURRENT) == EV_NONE) {
		pr_warn("%s: libelf is too old\n", obj->name);
		err = -ENOTSUP;
		goto fail;
	}
	obj->elf = elf_memory(buf, size);
	if (!obj->elf) {
		pr_warn("%s: not an ELF file: %s\n", obj->name, elf_errmsg(-1));
		err = -EINVAL;
		goto fail;
	}
	err = parse(obj);
	if (err)
		goto fail;
	return obj;
fail:
	bpfdev_object__close(obj);
	return bpfdev_err_ptr(err);
}

struct bpfdev_object *bpfdev_object__open_mem(const void *buf, size_t size,
					      const struct bpfdev_object_open_opts *opts)
{
	void *copy;

	if (!buf || !size)
		return bpfdev_err_ptr(-EINVAL);
	copy = malloc(size);
	if (!copy)
		return bpfdev_err_ptr(-ENOMEM);
	memcpy(copy, buf, size);
	return open_buf(copy, size, NULL, opts);
}

struct bpfdev_object *bpfdev_object__open(const char *path,
					  const struct bpfdev_object_open_opts *opts)
{
	struct stat st;
	void *buf;
	ssize_t n;
	size_t got = 0;
	int fd, err;

	if (!path)
		return bpfdev_err_ptr(-EINVAL);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		err = -errno;
		pr_warn("%s: %s\n", path, strerror(-err));
		if (fd >= 0)
			close(fd);
		return bpfdev_err_ptr(err);
	}
	if (!S_ISREG(st.st_mode) || !st.st_size) {
		close(fd);
		pr_warn("%s: not a regular non-empty file\n", path);
		return bpfdev_err_ptr(-EINVAL);
	}
	buf = malloc(st.st_size);
	if (!buf) {
		close(fd);
		return bpfdev_err_ptr(-ENOMEM);
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, (char *)buf + got, st.st_size - got);
		if (n <= 0) {
			err = n < 0 ? -errno : -EIO;
			close(fd);
			free(buf);
			pr_warn("%s: read: %s\n", path, strerror(-err));
			return bpfdev_err_ptr(err);
		}
		got += n;
	}
	close(fd);
	return open_buf(buf, got, path, opts);
}

void bpfdev_object__close(struct bpfdev_object *obj)
{
	size_t i;

	if (!obj)
		return;
	for (i = 0; i < obj->nr_progs; i++) {
		struct bpfdev_program *p = &obj->progs[i];

		if (p->fd >= 0)
			close(p->fd);
		free(p->name);
		free(p->sec_name);
		free(p->insns);
		free(p->relos);
		free(p->log);
	}
	free(obj->progs);
	for (i = 0; i < obj->nr_maps; i++) {
		struct bpfdev_map *m = &obj->maps[i];

		if (m->fd >= 0)
			close(m->fd);
		free(m->name);
		free(m->real_name);
		free(m->init);
	}
	free(obj->maps);
	for (i = 0; i < obj->nr_secs; i++) {
		free(obj->secs[i].insns);
		free(obj->secs[i].relos);
		free(obj->secs[i].funcs);
	}
	free(obj->secs);
	bpfdev_btf_free(&obj->btf);
	if (obj->elf)
		elf_end(obj->elf);
	free(obj->buf);
	free(obj);
}

/* ---- accessors ---------------------------------------------------------- */

const char *bpfdev_object__name(const struct bpfdev_object *obj)
{
	return obj->name;
}

const char *bpfdev_object__license(const struct bpfdev_object *obj)
{
	return obj->license;
}

__u32 bpfdev_object__kversion(const struct bpfdev_object *obj)
{
	return obj->kversion;
}

struct bpfdev_program *bpfdev_object__find_program_by_name(const struct bpfdev_object *obj,
							   const char *name)
{
	size_t i;

	for (i = 0; i < obj->nr_progs; i++)
		if (!strcmp(obj->progs[i].name, name))
			return &obj->progs[i];
	return bpfdev_err_ptr(-ENOENT);
}

struct bpfdev_map *bpfdev_object__find_map_by_name(const struct bpfdev_object *obj,
						   const char *name)
{
	size_t i;

	for (i = 0; i < obj->nr_maps; i++)
		if (!strcmp(obj->maps[i].name, name) ||
		    !strcmp(obj->maps[i].real_name, name))
			return &obj->maps[i];
	return bpfdev_err_ptr(-ENOENT);
}

struct bpfdev_program *bpfdev_object__next_program(const struct bpfdev_object *obj,
						   struct bpfdev_program *prev)
{
	size_t i = prev ? (size_t)(prev - obj->progs) + 1 : 0;

	return i < obj->nr_progs ? &obj->progs[i] : NULL;
}

struct bpfdev_map *bpfdev_object__next_map(const struct bpfdev_object *obj,
					   struct bpfdev_map *prev)
{
	size_t i = prev ? (size_t)(prev - obj->maps) + 1 : 0;

	return i < obj->nr_maps ? &obj->maps[i] : NULL;
}

const char *bpfdev_program__name(const struct bpfdev_program *prog)
{
	return prog->name;
}

const char *bpfdev_program__section_name(const struct bpfdev_program *prog)
{
	return prog->sec_name;
}

enum bpf_prog_type bpfdev_program__type(const struct bpfdev_program *prog)
{
	return prog->type;
}

int bpfdev_program__set_type(struct bpfdev_program *prog, enum bpf_prog_type type)
{
	if (prog->obj->loaded)
		return bpfdev_err(-EBUSY);
	prog->type = type;
	return 0;
}

enum bpf_attach_type bpfdev_program__expected_attach_type(const struct bpfdev_program *prog)
{
	return prog->expected_attach_type;
}

int bpfdev_program__set_autoload(struct bpfdev_program *prog, bool autoload)
{
	if (prog->obj->loaded)
		return bpfdev_err(-EBUSY);
	prog->autoload = autoload;
	return 0;
}

int bpfdev_program__fd(const struct bpfdev_program *prog)
{
	return prog->fd >= 0 ? prog->fd : bpfdev_err(-EINVAL);
}

const struct bpf_insn *bpfdev_program__insns(const struct bpfdev_program *prog)
{
	return prog->insns;
}

size_t bpfdev_program__insn_cnt(const struct bpfdev_program *prog)
{
	return prog->insn_cnt;
}

const char *bpfdev_program__log(const struct bpfdev_program *prog)
{
	return prog->log ? prog->log : "";
}

int bpfdev_program__set_log_level(struct bpfdev_program *prog, __u32 level)
{
	prog->log_level = level;
	return 0;
}

const char *bpfdev_map__name(const struct bpfdev_map *map)
{
	return map->name;
}

int bpfdev_map__fd(const struct bpfdev_map *map)
{
	return map->fd >= 0 ? map->fd : bpfdev_err(-EINVAL);
}

enum bpf_map_type bpfdev_map__type(const struct bpfdev_map *map)
{
	return map->type;
}

__u32 bpfdev_map__key_size(const struct bpfdev_map *map)
{
	return map->key_size;
}

__u32 bpfdev_map__value_size(const struct bpfdev_map *map)
{
	return map->value_size;
}

__u32 bpfdev_map__max_entries(const struct bpfdev_map *map)
{
	return map->max_entries;
}

__u32 bpfdev_map__map_flags(const struct bpfdev_map *map)
{
	return map->map_flags;
}

const void *bpfdev_map__initial_value(const struct bpfdev_map *map, size_t *size)
{
	if (!map->internal)
		return NULL;
	if (size)
		*size = map->value_size;
	return map->init;
}

bool bpfdev_map__is_internal(const struct bpfdev_map *map)
{
	return map->internal;
}

int bpfdev_map__reuse_fd(struct bpfdev_map *map, int fd)
{
	int dup_fd;

	if (map->obj->loaded)
		return bpfdev_err(-EBUSY);
	dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (dup_fd < 0)
		return -errno;
	if (map->fd >= 0)
		close(map->fd);
	map->fd = dup_fd;
	map->reused = true;
	return 0;
}
