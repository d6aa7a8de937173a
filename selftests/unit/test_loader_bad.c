// SPDX-License-Identifier: GPL-2.0
/*
 * Malformed objects, made at test time from the clang-built examples:
 * truncated, wrong machine/class/type, bad relocations, missing map
 * definitions and BTF, random corruption.  Each must fail with a clear
 * message and errno, and never crash (this runs under ASan/UBSan).
 */

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libbpfdev.h"
#include "tap.h"

#define EX(name)	BPFDEV_TOP "/build/examples/" name ".bpf.o"

static char msgs[16384];

static int capture_print(enum bpfdev_print_level level, const char *fmt, va_list ap)
{
	size_t n = strlen(msgs);

	if (level == BPFDEV_DEBUG)
		return 0;
	return vsnprintf(msgs + n, sizeof(msgs) - n, fmt, ap);
}

struct buf {
	unsigned char	*p;
	size_t		len;
};

static struct buf load(const char *path)
{
	struct buf b = { 0 };
	FILE *f = fopen(path, "rb");

	if (!f)
		return b;
	fseek(f, 0, SEEK_END);
	b.len = ftell(f);
	fseek(f, 0, SEEK_SET);
	b.p = malloc(b.len);
	if (!b.p || fread(b.p, 1, b.len, f) != b.len) {
		free(b.p);
		b.p = NULL;
	}
	fclose(f);
	return b;
}

static struct buf copy(struct buf b)
{
	struct buf c = { malloc(b.len), b.len };

	memcpy(c.p, b.p, b.len);
	return c;
}

static Elf64_Ehdr *ehdr(struct buf b)
{
	return (Elf64_Ehdr *)b.p;
}

static Elf64_Shdr *shdr(struct buf b, int i)
{
	return (Elf64_Shdr *)(b.p + ehdr(b)->e_shoff) + i;
}

static const char *sname(struct buf b, int i)
{
	return (const char *)b.p + shdr(b, ehdr(b)->e_shstrndx)->sh_offset + shdr(b, i)->sh_name;
}

static int find_sec(struct buf b, const char *name)
{
	int i;

	for (i = 1; i < ehdr(b)->e_shnum; i++)
		if (!strcmp(sname(b, i), name))
			return i;
	return -1;
}

/* Renames a section in place (same length). */
static void rename_sec(struct buf b, const char *from, const char *to)
{
	int i = find_sec(b, from);

	if (i > 0 && strlen(from) == strlen(to))
		memcpy((char *)sname(b, i), to, strlen(to));
}

/* Opens b; true when it failed with errno err (0: any) and msgs has want. */
static bool refused(struct buf b, int err, const char *want)
{
	struct bpfdev_object *obj;

	msgs[0] = '\0';
	obj = bpfdev_object__open_mem(b.p, b.len, NULL);
	if (obj) {
		bpfdev_object__close(obj);
		return false;
	}
	if (err && errno != err) {
		tap_diag("errno %d, expected %d; messages: %s", errno, err, msgs);
		return false;
	}
	if (want && !strstr(msgs, want)) {
		tap_diag("messages lack '%s': %s", want, msgs);
		return false;
	}
	return true;
}

/* Opens b; true when it did. */
static bool opens(struct buf b)
{
	struct bpfdev_object *obj = bpfdev_object__open_mem(b.p, b.len, NULL);

	bpfdev_object__close(obj);
	return obj != NULL;
}

static void test_truncated(struct buf good)
{
	size_t cut, n = 0, bad = 0;

	/* Every length in the header and section table region, then a spread. */
	for (cut = 0; cut < good.len; cut += cut < 128 ? 1 : 61) {
		struct buf t = { malloc(cut ? cut : 1), cut };

		memcpy(t.p, good.p, cut);
		n++;
		if (!refused(t, 0, NULL))
			bad++;
		free(t.p);
	}
	ok(!bad, "truncated: all %zu truncations refused, none crashed (%zu opened)", n, bad);
	{
		struct buf t = { good.p, good.len - 1 };

		ok(refused(t, EINVAL, NULL), "truncated: one byte short is refused with EINVAL");
	}
}

static void test_header(struct buf good)
{
	struct buf b;

	b = copy(good);
	ehdr(b)->e_machine = EM_X86_64;
	ok(refused(b, EINVAL, "wrong machine 62"), "wrong machine: EM_X86_64 refused, named");
	free(b.p);

	/* Older clang wrote EM_NONE for BPF: no wrong-machine hint for it. */
	b = copy(good);
	ehdr(b)->e_machine = 0;
	ok(opens(b), "e_machine 0 (EM_NONE) opens, as libbpf takes it");
	free(b.p);

	b = copy(good);
	ehdr(b)->e_type = ET_EXEC;
	ok(refused(b, EINVAL, "not a relocatable object"), "ET_EXEC refused");
	free(b.p);

	b = copy(good);
	b.p[EI_CLASS] = ELFCLASS32;
	ok(refused(b, EINVAL, NULL), "ELFCLASS32 refused");
	free(b.p);

	b = copy(good);
	b.p[EI_DATA] = ELFDATA2MSB;
	ok(refused(b, 0, NULL), "big-endian refused");
	free(b.p);

	b = copy(good);
	memcpy(b.p, "\177ELG", 4);
	ok(refused(b, EINVAL, "not an ELF"), "bad magic refused");
	free(b.p);

	{
		struct buf t = { (unsigned char *)"hello, world", 12 };

		ok(refused(t, EINVAL, NULL), "text refused");
	}
	b = copy(good);
	ehdr(b)->e_shoff = good.len - 8;
	ok(refused(b, EINVAL, NULL), "section table beyond the end refused");
	free(b.p);

	b = copy(good);
	ehdr(b)->e_shstrndx = 0xfff0;
	ok(refused(b, 0, NULL), "bad section name table index refused");
	free(b.p);
}

/* The first relocation of the program section's REL table. */
static Elf64_Rel *first_rel(struct buf b, const char *rel_sec)
{
	int i = find_sec(b, rel_sec);

	return i > 0 ? (Elf64_Rel *)(b.p + shdr(b, i)->sh_offset) : NULL;
}

static void test_relocs(struct buf good)
{
	struct buf b;
	Elf64_Rel *r;

	b = copy(good);
	r = first_rel(b, ".relsocket");
	if (r)
		r->r_info = ELF64_R_INFO(ELF64_R_SYM(r->r_info), 10);
	/* libbpf relocates by the instruction and the symbol, not the type. */
	ok(r && opens(b), "bad relocation: R_BPF_64_32 on a ld_imm64 opens (libbpf goes by the insn)");
	free(b.p);

	b = copy(good);
	r = first_rel(b, ".relsocket");
	if (r)
		r->r_info = ELF64_R_INFO(ELF64_R_SYM(r->r_info), 7);
	ok(r && opens(b), "bad relocation: unknown type 7 opens too");
	free(b.p);

	b = copy(good);
	r = first_rel(b, ".relsocket");
	if (r)
		r->r_offset = 8 * 100000;
	ok(r && refused(b, EINVAL, "invalid offset 0xc3500 for relo #0"),
	   "bad relocation: offset beyond the section");
	free(b.p);

	b = copy(good);
	r = first_rel(b, ".relsocket");
	if (r)
		r->r_offset += 8;	/* onto the second half of the ld_imm64 */
	ok(r && refused(b, EINVAL, "invalid relo against 'min_len' for insns[6]"),
	   "bad relocation: R_BPF_64_64 on a non-ld_imm64");
	free(b.p);

	b = copy(good);
	r = first_rel(b, ".relsocket");
	if (r)
		r->r_info = ELF64_R_INFO(0xffffff, 1);
	ok(r && refused(b, EINVAL, "symbol #16777215 not found for relo #0"),
	   "bad relocation: symbol index out of range");
	free(b.p);
}

/* The symbol named name in b's symbol table. */
static Elf64_Sym *find_sym(struct buf b, const char *name)
{
	int s = find_sec(b, ".symtab");
	Elf64_Shdr *sh = shdr(b, s);
	const char *strs = (const char *)b.p + shdr(b, sh->sh_link)->sh_offset;
	Elf64_Sym *sym = (Elf64_Sym *)(b.p + sh->sh_offset);
	size_t i;

	for (i = 0; i < sh->sh_size / sizeof(*sym); i++)
		if (!strcmp(strs + sym[i].st_name, name))
			return &sym[i];
	return NULL;
}

static void test_maps(struct buf good)
{
	Elf64_Sym *sym;
	struct buf b;

	b = copy(good);
	sym = find_sym(b, "counters");
	if (sym)
		sym->st_value = 4096;
	ok(sym && refused(b, EINVAL, "map 'counters' BTF data is corrupted"),
	   "missing map definition: the reference names the map");
	free(b.p);

	b = copy(good);
	rename_sec(b, ".BTF", ".XTF");
	ok(refused(b, ENOENT, "BTF is required, but is missing"),
	   "BTF-defined maps without .BTF refused");
	free(b.p);

	b = copy(good);
	sym = find_sym(b, "counters");
	if (sym)
		sym->st_shndx = SHN_UNDEF;
	ok(sym && refused(b, EINVAL, "invalid relo against 'counters'"),
	   "a map reference to an undefined symbol is refused, named");
	free(b.p);

	b = copy(good);
	rename_sec(b, ".maps", ".mapz");
	ok(refused(b, 0, "unrecognized data section(6) .mapz"), "an unknown allocated section is named");
	free(b.p);

	b = copy(good);
	rename_sec(b, "socket", "sxcket");
	msgs[0] = '\0';
	{
		struct bpfdev_object *obj = bpfdev_object__open_mem(b.p, b.len, NULL);
		struct bpfdev_program *p = obj ? bpfdev_object__next_program(obj, NULL) : NULL;

		ok(p && bpfdev_program__type(p) == BPF_PROG_TYPE_UNSPEC,
		   "an unknown SEC() name opens with no type");
		setenv("BPFDEV_DEVICE", "/nonexistent", 1);
		msgs[0] = '\0';
		ok(obj && bpfdev_object__load(obj) < 0 && strstr(msgs, "gives no program type"),
		   "and its load says why, before creating anything");
		bpfdev_object__close(obj);
	}
	free(b.p);
}

static void test_btf(struct buf good)
{
	int i = find_sec(good, ".BTF");
	struct buf b;
	unsigned int hits = 0, n = 0, off;

	if (!ok(i > 0, "BTF: section found"))
		return;
	/* Corrupt each word of the BTF header and the first types. */
	for (off = 0; off < 256 && off < shdr(good, i)->sh_size; off += 4) {
		b = copy(good);
		*(unsigned int *)(b.p + shdr(b, i)->sh_offset + off) ^= 0x5a5aa5a5;
		msgs[0] = '\0';
		{
			struct bpfdev_object *obj = bpfdev_object__open_mem(b.p, b.len, NULL);

			hits += !obj;
			bpfdev_object__close(obj);
		}
		n++;
		free(b.p);
	}
	ok(hits > 0, "BTF: %u of %u corruptions refused, none crashed", hits, n);
	b = copy(good);
	*(unsigned short *)(b.p + shdr(b, i)->sh_offset) = 0x1234;
	ok(refused(b, EINVAL, "Error loading ELF section .BTF"), "BTF: bad magic named");
	free(b.p);
}

static void test_random(struct buf good)
{
	unsigned int seed = 12345, i, opened = 0;

	for (i = 0; i < 400; i++) {
		struct buf b = copy(good);
		struct bpfdev_object *obj;
		int k, flips = 1 + i % 8;

		for (k = 0; k < flips; k++) {
			seed = seed * 1103515245 + 12345;
			b.p[(seed >> 8) % b.len] ^= 1 << (seed % 8);
		}
		msgs[0] = '\0';
		obj = bpfdev_object__open_mem(b.p, b.len, NULL);
		opened += !!obj;
		bpfdev_object__close(obj);
		free(b.p);
	}
	ok(1, "random: 400 corrupted objects, none crashed (%u still opened)", opened);
}

int main(void)
{
	struct buf ip = load(EX("ip_count")), syn = load(EX("syn_filter"));

	tap_plan(0);
	bpfdev_set_print(capture_print);
	if (!ok(ip.p && syn.p, "example objects readable")) {
		tap_skip("build the examples first", "malformed objects");
		return tap_done();
	}
	{
		struct bpfdev_object *obj = bpfdev_object__open_mem(ip.p, ip.len, NULL);

		ok(obj != NULL, "the unmodified object opens (control)");
		bpfdev_object__close(obj);
	}
	test_truncated(ip);
	test_truncated(syn);
	test_header(ip);
	test_relocs(ip);
	test_maps(ip);
	test_btf(ip);
	test_random(ip);
	test_random(syn);
	free(ip.p);
	free(syn.p);
	return tap_done();
}
