// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Symbols: a uprobe's file offset from an ELF symbol table
 * (bpfdev_elf_symbol_offset), and addresses back to "symbol+0xoff" for
 * stack traces (struct bpfdev_syms).
 *
 * A table is a list of files, each with its symbols sorted by address:
 *   - the kernel: /proc/kallsyms, one "file" whose symbols name their
 *     module; addresses are the kernel's own, no sizes, so an address
 *     belongs to the nearest symbol below it;
 *   - an ELF file: its .symtab and .dynsym functions and objects, at the
 *     addresses the file gives them (st_value), with their sizes;
 *   - a process: each ELF file it maps executable, found by the address
 *     ranges of /proc/PID/maps.  An address there becomes a file offset
 *     (address - range start + mapping offset), then the file's own
 *     address through the PT_LOAD segment holding that offset, which is
 *     how a PIE or a library at a random base still resolves.
 */

#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

struct syms_sym {
	__u64	addr;
	__u64	size;		/* 0: unknown (kallsyms), up to the next one */
	__u32	name;		/* offsets into the file's strs */
	__u32	mod;		/* kallsyms: the module's name, 0 for none */
	__u32	rank;		/* among symbols at one address: global first */
};

struct syms_load {
	__u64	offset;		/* PT_LOAD: p_offset, p_vaddr, p_filesz */
	__u64	vaddr;
	__u64	filesz;
};

struct syms_file {
	char			*path;
	struct syms_sym		*syms;
	size_t			nr, cap;
	char			*strs;		/* "" at offset 0 */
	size_t			strs_len, strs_cap;
	struct syms_load	*loads;
	size_t			nr_loads;
};

struct syms_range {
	__u64			start, end, pgoff;
	struct syms_file	*file;
};

struct bpfdev_syms {
	struct syms_file	**files;
	size_t			nr_files;
	/* A process's mappings; none: addresses are files[0]'s own. */
	struct syms_range	*ranges;
	size_t			nr_ranges;
	bool			kernel;		/* files[0] is kallsyms */
};

/* ---- building tables --------------------------------------------------------- */

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 64;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	q = realloc(*p, n * elem);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = n;
	return 0;
}

/* s into f's string table: its offset, or 0 with -ENOMEM in *err. */
static __u32 file_str(struct syms_file *f, const char *s, int *err)
{
	size_t n = strlen(s) + 1;
	__u32 off;

	if (f->strs_len + n > UINT32_MAX ||
	    grow((void **)&f->strs, &f->strs_cap, f->strs_len + n, 1)) {
		*err = -ENOMEM;
		return 0;
	}
	if (!f->strs_len)
		f->strs[f->strs_len++] = '\0';
	off = f->strs_len;
	memcpy(f->strs + off, s, n);
	f->strs_len += n;
	return off;
}

static int file_add(struct syms_file *f, __u64 addr, __u64 size, const char *name,
		    __u32 mod, __u32 rank)
{
	struct syms_sym *s;
	int err = 0;

	if (grow((void **)&f->syms, &f->cap, f->nr + 1, sizeof(*f->syms)))
		return -ENOMEM;
	s = &f->syms[f->nr];
	s->name = file_str(f, name, &err);
	if (err)
		return err;
	s->addr = addr;
	s->size = size;
	s->mod = mod;
	s->rank = rank;
	f->nr++;
	return 0;
}

static int sym_cmp(const void *a, const void *b)
{
	const struct syms_sym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (int)x->rank - (int)y->rank;
}

static void file_free(struct syms_file *f)
{
	if (!f)
		return;
	free(f->path);
	free(f->syms);
	free(f->strs);
	free(f->loads);
	free(f);
}

static struct syms_file *file_new(const char *path)
{
	struct syms_file *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->path = strdup(path);
	if (!f->path) {
		free(f);
		return NULL;
	}
	return f;
}

static int syms_add_file(struct bpfdev_syms *syms, struct syms_file *f)
{
	struct syms_file **files;

	files = realloc(syms->files, (syms->nr_files + 1) * sizeof(*files));
	if (!files)
		return -ENOMEM;
	syms->files = files;
	files[syms->nr_files++] = f;
	qsort(f->syms, f->nr, sizeof(*f->syms), sym_cmp);
	return 0;
}

void bpfdev_syms__free(struct bpfdev_syms *syms)
{
	size_t i;

	if (!syms)
		return;
	for (i = 0; i < syms->nr_files; i++)
		file_free(syms->files[i]);
	free(syms->files);
	free(syms->ranges);
	free(syms);
}

/* ---- ELF files ------------------------------------------------------------------ */

struct elf_file {
	int	fd;
	Elf	*elf;
};

static int elf_open(const char *path, struct elf_file *ef)
{
	int err;

	ef->elf = NULL;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return -ENOTSUP;
	ef->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (ef->fd < 0)
		return -errno;
	ef->elf = elf_begin(ef->fd, ELF_C_READ_MMAP, NULL);
	if (!ef->elf || elf_kind(ef->elf) != ELF_K_ELF) {
		err = ef->elf ? -ENOEXEC : -EINVAL;
		if (ef->elf)
			elf_end(ef->elf);
		ef->elf = NULL;
		close(ef->fd);
		return err;
	}
	return 0;
}

static void elf_close(struct elf_file *ef)
{
	if (!ef->elf)
		return;
	elf_end(ef->elf);
	close(ef->fd);
	ef->elf = NULL;
}

/* Global symbols first among those at one address, then weak, then local. */
static __u32 bind_rank(unsigned char bind)
{
	return bind == STB_GLOBAL ? 0 : bind == STB_WEAK ? 1 : 2;
}

/*
 * Calls fn for each defined symbol of the tables of type sh_type
 * (SHT_SYMTAB or SHT_DYNSYM), with the header of the section it is in;
 * fn's non-zero return stops the walk and is returned.
 */
static int elf_each_sym(Elf *elf, Elf64_Word sh_type,
			int (*fn)(void *ctx, const char *name, const GElf_Sym *sym,
				  const GElf_Shdr *sh),
			void *ctx)
{
	Elf_Scn *scn = NULL, *in;
	GElf_Shdr sh, insh;
	Elf_Data *data;
	GElf_Sym sym;
	const char *name;
	size_t i, n;
	int ret;

	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != sh_type || !sh.sh_entsize)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data)
			continue;
		n = sh.sh_size / sh.sh_entsize;
		for (i = 0; i < n; i++) {
			if (!gelf_getsym(data, i, &sym) || sym.st_shndx == SHN_UNDEF ||
			    sym.st_shndx >= SHN_LORESERVE)
				continue;
			name = elf_strptr(elf, sh.sh_link, sym.st_name);
			in = elf_getscn(elf, sym.st_shndx);
			if (!name || !*name || !in || !gelf_getshdr(in, &insh))
				continue;
			ret = fn(ctx, name, &sym, &insh);
			if (ret)
				return ret;
		}
	}
	return 0;
}

struct offset_ctx {
	const char	*want;
	size_t		len;
	long long	offset;
	int		bind;		/* of the match kept; -1: none yet */
	int		err;
};

static int offset_sym(void *ctx, const char *name, const GElf_Sym *sym, const GElf_Shdr *sh)
{
	struct offset_ctx *oc = ctx;
	int bind = GELF_ST_BIND(sym->st_info);
	long long off;

	if (GELF_ST_TYPE(sym->st_info) != STT_FUNC || strncmp(name, oc->want, oc->len) ||
	    (name[oc->len] && name[oc->len] != '@'))
		return 0;
	/* As libbpf's elf_find_func_offset(): the address's place in the file. */
	off = sym->st_value - sh->sh_addr + sh->sh_offset;
	if (oc->bind < 0 || (oc->bind == STB_WEAK && bind != STB_WEAK)) {
		oc->offset = off;
		oc->bind = bind;
	} else if (off != oc->offset && bind != STB_WEAK && oc->bind != STB_WEAK) {
		/* Two strong definitions at two places: which one is meant? */
		pr_warn("symbol '%s' is defined more than once (at file offsets 0x%llx and 0x%llx)\n",
			oc->want, (unsigned long long)oc->offset, (unsigned long long)off);
		oc->err = -EINVAL;
		return 1;
	}
	return 0;
}

long long bpfdev_elf_symbol_offset(const char *path, const char *sym)
{
	static const Elf64_Word tables[] = { SHT_SYMTAB, SHT_DYNSYM };
	struct offset_ctx oc = { .want = sym, .bind = -1 };
	struct elf_file ef;
	size_t i;
	int err;

	if (!path || !sym || !*sym)
		return bpfdev_err(-EINVAL);
	err = elf_open(path, &ef);
	if (err)
		return bpfdev_err(err);
	oc.len = strlen(sym);
	/* .dynsym only when .symtab (stripped away) does not have it. */
	for (i = 0; i < 2 && oc.bind < 0 && !oc.err; i++)
		elf_each_sym(ef.elf, tables[i], offset_sym, &oc);
	elf_close(&ef);
	if (oc.err)
		return bpfdev_err(oc.err);
	if (oc.bind < 0)
		return bpfdev_err(-ENOENT);
	return oc.offset;
}

static int table_sym(void *ctx, const char *name, const GElf_Sym *sym, const GElf_Shdr *sh)
{
	struct syms_file *f = ctx;
	int type = GELF_ST_TYPE(sym->st_info);

	if ((type != STT_FUNC && type != STT_GNU_IFUNC && type != STT_OBJECT) || !sym->st_value)
		return 0;
	return file_add(f, sym->st_value, sym->st_size, name, 0,
			bind_rank(GELF_ST_BIND(sym->st_info)));
}

static int elf_loads(Elf *elf, struct syms_file *f)
{
	size_t i, n;
	GElf_Phdr ph;

	if (elf_getphdrnum(elf, &n))
		return 0;
	f->loads = calloc(n ?: 1, sizeof(*f->loads));
	if (!f->loads)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (!gelf_getphdr(elf, i, &ph) || ph.p_type != PT_LOAD)
			continue;
		f->loads[f->nr_loads].offset = ph.p_offset;
		f->loads[f->nr_loads].vaddr = ph.p_vaddr;
		f->loads[f->nr_loads++].filesz = ph.p_filesz;
	}
	return 0;
}

/* The symbols of the ELF file at open_path, recorded as path. */
static int elf_file_load(const char *open_path, const char *path, struct syms_file **out)
{
	struct syms_file *f;
	struct elf_file ef;
	int err;

	err = elf_open(open_path, &ef);
	if (err)
		return err;
	f = file_new(path);
	if (!f) {
		elf_close(&ef);
		return -ENOMEM;
	}
	err = elf_each_sym(ef.elf, SHT_SYMTAB, table_sym, f);
	if (!err)
		err = elf_each_sym(ef.elf, SHT_DYNSYM, table_sym, f);
	if (!err)
		err = elf_loads(ef.elf, f);
	elf_close(&ef);
	if (err) {
		file_free(f);
		return err;
	}
	*out = f;
	return 0;
}

struct bpfdev_syms *bpfdev_syms__elf(const char *path)
{
	struct bpfdev_syms *syms;
	struct syms_file *f;
	int err;

	if (!path)
		return bpfdev_err_ptr(-EINVAL);
	syms = calloc(1, sizeof(*syms));
	if (!syms)
		return bpfdev_err_ptr(-ENOMEM);
	err = elf_file_load(path, path, &f);
	if (!err) {
		err = syms_add_file(syms, f);
		if (err)
			file_free(f);
	}
	if (err) {
		bpfdev_syms__free(syms);
		return bpfdev_err_ptr(err);
	}
	return syms;
}

/* ---- the kernel ------------------------------------------------------------------- */

struct bpfdev_syms *bpfdev_syms__kernel(const char *path)
{
	char line[512], name[256], mod[128], last_mod[128] = "", type;
	struct bpfdev_syms *syms;
	struct syms_file *f = NULL;
	unsigned long long addr;
	bool any_addr = false;
	__u32 mod_off = 0;
	FILE *in;
	int err = -ENOMEM, n;

	path = path ?: "/proc/kallsyms";
	syms = calloc(1, sizeof(*syms));
	if (!syms)
		return bpfdev_err_ptr(-ENOMEM);
	in = fopen(path, "re");
	if (!in) {
		err = -errno;
		goto fail;
	}
	f = file_new("kernel");
	if (!f)
		goto fail;
	while (fgets(line, sizeof(line), in)) {
		mod[0] = '\0';
		n = sscanf(line, "%llx %c %255s [%127[^]]]", &addr, &type, name, mod);
		if (n < 3)
			continue;
		any_addr |= addr != 0;
		/* Absolute symbols are no places in code (per-CPU offsets, sizes). */
		if (type == 'a' || type == 'A' || !addr)
			continue;
		/* Module symbols come in runs: one string per run of a module. */
		if (strcmp(mod, last_mod)) {
			err = 0;
			mod_off = *mod ? file_str(f, mod, &err) : 0;
			if (err)
				goto fail;
			strcpy(last_mod, mod);
		}
		err = file_add(f, addr, 0, name, mod_off,
			       type == 'T' || type == 'D' || type == 'B' || type == 'R' ? 0 : 1);
		if (err)
			goto fail;
	}
	err = -EPERM;
	if (!any_addr)		/* kptr_restrict: every address shown as 0 */
		goto fail;
	err = syms_add_file(syms, f);
	if (err)
		goto fail;
	syms->kernel = true;
	fclose(in);
	return syms;
fail:
	if (in)
		fclose(in);
	file_free(f);
	bpfdev_syms__free(syms);
	return bpfdev_err_ptr(err);
}

/* ---- a process ------------------------------------------------------------------------ */

static struct syms_file *syms_find_file(struct bpfdev_syms *syms, const char *path)
{
	size_t i;

	for (i = 0; i < syms->nr_files; i++)
		if (!strcmp(syms->files[i]->path, path))
			return syms->files[i];
	return NULL;
}

/* One line of /proc/PID/maps, if executable and backed by an ELF file. */
static int process_map(struct bpfdev_syms *syms, int pid, const char *line)
{
	unsigned long long start, end, pgoff;
	char perms[8], path[PATH_MAX], root_path[PATH_MAX + 32];
	struct syms_range *r;
	struct syms_file *f;
	int n, err;

	path[0] = '\0';
	n = sscanf(line, "%llx-%llx %7s %llx %*s %*u %4095[^\n]", &start, &end, perms, &pgoff,
		   path);
	if (n < 5 || perms[2] != 'x' || path[0] != '/')
		return 0;
	f = syms_find_file(syms, path);
	if (!f) {
		/* Through the process's root: the same file in a container. */
		snprintf(root_path, sizeof(root_path), "/proc/%d/root%s", pid, path);
		err = elf_file_load(root_path, path, &f);
		if (err == -ENOENT || err == -EACCES)
			err = elf_file_load(path, path, &f);
		/* Not ELF, gone (" (deleted)") or unreadable: no symbols, no error. */
		if (err == -ENOMEM)
			return err;
		if (err)
			return 0;
		err = syms_add_file(syms, f);
		if (err) {
			file_free(f);
			return err;
		}
	}
	r = realloc(syms->ranges, (syms->nr_ranges + 1) * sizeof(*r));
	if (!r)
		return -ENOMEM;
	syms->ranges = r;
	r += syms->nr_ranges++;
	r->start = start;
	r->end = end;
	r->pgoff = pgoff;
	r->file = f;
	return 0;
}

struct bpfdev_syms *bpfdev_syms__process(int pid)
{
	char path[64], *line = NULL;
	struct bpfdev_syms *syms;
	size_t cap = 0;
	FILE *in;
	int err = 0;

	if (pid <= 0)
		return bpfdev_err_ptr(-EINVAL);
	syms = calloc(1, sizeof(*syms));
	if (!syms)
		return bpfdev_err_ptr(-ENOMEM);
	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	in = fopen(path, "re");
	if (!in) {
		err = errno == ENOENT ? -ESRCH : -errno;
		bpfdev_syms__free(syms);
		return bpfdev_err_ptr(err);
	}
	while (!err && getline(&line, &cap, in) > 0)
		err = process_map(syms, pid, line);
	free(line);
	fclose(in);
	if (err) {
		bpfdev_syms__free(syms);
		return bpfdev_err_ptr(err);
	}
	return syms;
}

/* ---- lookups ----------------------------------------------------------------------------- */

/* The symbol of f that addr (one of f's own addresses) falls in, or NULL. */
static const struct syms_sym *file_find(const struct syms_file *f, __u64 addr)
{
	size_t lo = 0, hi = f->nr, mid;
	const struct syms_sym *s;

	/* The last symbol at or below addr... */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (f->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	s = &f->syms[lo - 1];
	/* ...the first (best ranked) of those at its address... */
	while (s > f->syms && s[-1].addr == s->addr)
		s--;
	/* ...if addr is inside it, when the file says how long it is. */
	if (s->size && addr - s->addr >= s->size)
		return NULL;
	return s;
}

/* A process address as its file's own: through the PT_LOAD that maps it. */
static __u64 file_vaddr(const struct syms_file *f, __u64 file_off)
{
	size_t i;

	for (i = 0; i < f->nr_loads; i++) {
		const struct syms_load *l = &f->loads[i];

		if (file_off >= l->offset && file_off - l->offset < l->filesz)
			return file_off - l->offset + l->vaddr;
	}
	return file_off;
}

const char *bpfdev_syms__find(const struct bpfdev_syms *syms, __u64 addr, __u64 *offset,
			      const char **file)
{
	const struct syms_file *f = NULL;
	const struct syms_sym *s;
	size_t i;

	if (!syms)
		return bpfdev_err_ptr(-EINVAL);
	if (!syms->ranges && syms->nr_files) {
		f = syms->files[0];
	} else {
		for (i = 0; i < syms->nr_ranges; i++) {
			const struct syms_range *r = &syms->ranges[i];

			if (addr >= r->start && addr < r->end) {
				f = r->file;
				addr = file_vaddr(f, addr - r->start + r->pgoff);
				break;
			}
		}
	}
	s = f ? file_find(f, addr) : NULL;
	if (!s)
		return bpfdev_err_ptr(-ENOENT);
	if (offset)
		*offset = addr - s->addr;
	if (file)
		*file = syms->kernel ? f->strs + s->mod : f->path;
	return f->strs + s->name;
}

int bpfdev_syms__resolve(const struct bpfdev_syms *syms, __u64 addr, char *buf, size_t size)
{
	const char *name;
	__u64 off;
	int n;

	if (!buf || !size)
		return bpfdev_err(-EINVAL);
	name = bpfdev_syms__find(syms, addr, &off, NULL);
	if (!name)
		return bpfdev_err(-errno);
	n = snprintf(buf, size, "%s+0x%llx", name, (unsigned long long)off);
	return n;
}
