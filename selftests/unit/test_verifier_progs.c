// SPDX-License-Identifier: GPL-2.0
/*
 * clang -O2 programs (selftests/unit/progs, *.bpf.c built by
 * selftests/fuzz/build.mk) through the verifier: a minimal ELF reader
 * takes each program section, links the .text subprograms it calls and
 * points its map relocations at test maps; the verified program then runs
 * in the checked interpreter and must return what a C reference computes.
 */

#include <fcntl.h>
#include <gelf.h>
#include <libgen.h>
#include <libelf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "tap.h"
#include "interp.h"
#include "skb.h"
#include "verifier.h"
#include "test_verifier_harness.h"
#include "test_verifier_host.h"

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

static int elf_open(struct elf_obj *o, const char *path)
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

static void elf_close(struct elf_obj *o)
{
	if (o->elf)
		elf_end(o->elf);
	if (o->fd >= 0)
		close(o->fd);
}

/* The object's legacy map definitions become test maps from map_base on. */
static int elf_maps(struct elf_obj *o)
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
 * The program of section idx, with the .text subprograms appended and
 * calls and map references resolved.  Returns its length or -1.
 */
static int elf_prog(struct elf_obj *o, int idx, struct bpf_insn *out)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	Elf_Data *d = section_data(o, idx, &sh);
	u32 len, text_at;

	len = d->d_size / sizeof(struct bpf_insn);
	if (len + o->text_len > MAX_PROG)
		return -1;
	memcpy(out, d->d_buf, d->d_size);
	text_at = len;
	if (o->text_len) {
		memcpy(out + len, o->text, o->text_len * sizeof(struct bpf_insn));
		len += o->text_len;
	}
	/* relocations of the program section, then of .text */
	while ((scn = elf_nextscn(o->elf, scn))) {
		GElf_Shdr rsh;
		Elf_Data *rd;
		u32 base, i;

		gelf_getshdr(scn, &rsh);
		if (rsh.sh_type != SHT_REL)
			continue;
		if ((int)rsh.sh_info == idx)
			base = 0;
		else if ((int)rsh.sh_info == o->text_shndx && o->text_len)
			base = text_at;
		else
			continue;
		rd = elf_getdata(scn, NULL);
		for (i = 0; i < rsh.sh_size / rsh.sh_entsize; i++) {
			GElf_Rel rel;
			GElf_Sym sym;
			struct bpf_insn *insn;

			gelf_getrel(rd, i, &rel);
			gelf_getsym(o->symtab, GELF_R_SYM(rel.r_info), &sym);
			insn = &out[base + rel.r_offset / sizeof(struct bpf_insn)];
			if ((int)sym.st_shndx == o->maps_shndx) {
				insn->src_reg = BPF_PSEUDO_MAP_FD;
				insn->imm = o->map_base + sym.st_value / 20;
			} else if ((int)sym.st_shndx == o->text_shndx &&
				   insn->code == (BPF_JMP | BPF_CALL)) {
				u32 here = insn - out;
				u32 target = text_at + sym.st_value / sizeof(struct bpf_insn) +
					     insn->imm + 1;

				insn->src_reg = BPF_PSEUDO_CALL;
				insn->imm = target - here - 1;
			}
		}
	}
	return len;
}

/* ---- C references of what the programs compute on the test packet ---- */

static u64 ref_parse_port(const u8 *p, u32 len)
{
	u32 ihl = (p[14] & 15) * 4;

	if (len < 34 || p[12] != 8 || p[13] != 0 || ihl != 20)
		return 0;
	if ((p[23] == 6 && 14 + ihl + 20 <= len) || (p[23] == 17 && 14 + ihl + 8 <= len))
		return p[14 + ihl + 2] << 8 | p[14 + ihl + 3];
	return 0;
}

static u64 ref_count_ip(const u8 *p, u32 len)
{
	if (len < 34 || p[12] != 8 || p[13] != 0)
		return 0;
	return 101;	/* first packet: counter created, then read back */
}

static u64 ref_walk_headers(const u8 *p, u32 len)
{
	u32 off = 14, sum = 0, i;

	for (i = 0; i < 8; i++) {
		if (off + 2 > len)
			break;
		sum += p[off];
		off += (p[off + 1] & 7) + 2;
		if (off > 64)
			break;
	}
	return sum;
}

static u64 ref_sum_bytes(const u8 *p, u32 len)
{
	u32 sum = 0, i;

	if (len < 16)
		return 0;
	for (i = 0; i < 16; i++)
		sum += p[i];
	return sum;
}

static u64 ref_record(const u8 *p, u32 len)
{
	return len < 8 ? 1 : len;
}

static const struct {
	const char *obj, *sec;
	u64 (*ref)(const u8 *p, u32 len);
} progs[] = {
	{ "parser", "socket", ref_parse_port },
	{ "counters", "socket", ref_count_ip },
	{ "loop", "socket", NULL },	/* two programs in one section: see below */
	{ "ringbuf_calls", "socket", ref_record },
};

static char vlog[1 << 20];

static bool run_prog(const char *name, const struct bpf_insn *insns, u32 len,
		     u64 (*ref)(const u8 *, u32), u32 pkt_len)
{
	struct bpfdev_log log = { .level = BPFDEV_LOG_LEVEL1, .buf = vlog, .size = sizeof(vlog) };
	struct bpfdev_verifier_env env = {
		.insns = insns, .len = len, .prog_type = BPF_PROG_TYPE_SOCKET_FILTER,
		.privileged = true, .log = &log, .helpers = &vt_env,
		.map_resolve = vt_map_resolve,
	};
	static u8 pkt[1500];
	struct bpfdev_skb skb;
	struct bpfdev_region regions[4];
	char fault[256] = "";
	struct bpfdev_run_opts opts = {
		.sz = sizeof(opts), .regions = regions, .skb = &skb,
		.helper_region = vt_helper_region, .err = fault, .err_size = sizeof(fault),
	};
	struct bpfdev_code code = { .type = BPF_PROG_TYPE_SOCKET_FILTER, .env = &vt_env };
	u64 r0 = 0;
	int err;

	err = bpfdev_verify(&env);
	if (!ok(!err, "%s: verified (%u insns, %u processed)", name, len, env.verified_insns)) {
		printf("# %s\n", vlog);
		return false;
	}
	code.insns = env.xlated;
	code.len = env.xlated_len;
	code.stack_depth = env.stack_depth[0];
	vt_make_packet(pkt, pkt_len);
	bpfdev_skb_init_linear(&skb, pkt, pkt_len);
	opts.nr_regions = bpfdev_interp_skb_regions(&skb, regions);
	opts.args[0] = (uintptr_t)&skb;
	err = bpfdev_interp_run_checked(&code, &opts, &r0);
	bpfdev_verifier_env_release(&env);
	if (!ok(!err, "%s: runs without fault on %u bytes", name, pkt_len))
		printf("# %s\n", fault);
	return ok(r0 == ref(pkt, pkt_len), "%s: r0 %llu on %u bytes, reference %llu", name,
		  (unsigned long long)r0, pkt_len, (unsigned long long)ref(pkt, pkt_len));
}

/* Programs of a section split at their function symbols. */
static void test_object(const char *dir, const char *obj, u64 (*ref)(const u8 *, u32))
{
	static struct bpf_insn insns[MAX_PROG];
	static const u32 lens[] = { 64, 34, 20 };
	struct elf_obj o;
	char path[512];
	Elf_Scn *scn = NULL;
	u32 l;

	snprintf(path, sizeof(path), "%s/progs/%s.bpf.o", dir, obj);
	if (!ok(!elf_open(&o, path), "%s: open %s", obj, path))
		return;
	o.map_base = VT_NR_MAPS;
	while ((scn = elf_nextscn(o.elf, scn))) {
		GElf_Shdr sh;
		GElf_Sym sym;
		const char *sec;
		u32 i, nsyms;

		gelf_getshdr(scn, &sh);
		sec = elf_strptr(o.elf, o.shstrndx, sh.sh_name);
		if (sh.sh_type != SHT_PROGBITS || !(sh.sh_flags & SHF_EXECINSTR) ||
		    !strcmp(sec, ".text"))
			continue;
		nsyms = o.symtab->d_size / sizeof(Elf64_Sym);
		for (i = 0; i < nsyms; i++) {
			const char *fname;
			int len;

			gelf_getsym(o.symtab, i, &sym);
			if (GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
			    sym.st_shndx != elf_ndxscn(scn))
				continue;
			{
				GElf_Shdr ssh;
				Elf_Scn *strscn = NULL;
				Elf_Scn *s2 = NULL;

				while ((s2 = elf_nextscn(o.elf, s2))) {
					gelf_getshdr(s2, &ssh);
					if (ssh.sh_type == SHT_SYMTAB)
						strscn = elf_getscn(o.elf, ssh.sh_link);
				}
				fname = elf_strptr(o.elf, elf_ndxscn(strscn), sym.st_name);
			}
			len = elf_prog(&o, elf_ndxscn(scn), insns);
			if (len < 0)
				continue;
			/* one function of the section: shift it to the start */
			if (sym.st_value) {
				u32 first = sym.st_value / sizeof(struct bpf_insn);

				/* calls and map relocations are relative: cut the head */
				memmove(insns, insns + first, (len - first) * sizeof(insns[0]));
				len -= first;
			}
			/* end of this function: the next function or section end */
			{
				u32 end = sh.sh_size / sizeof(struct bpf_insn) - sym.st_value / 8, j;
				GElf_Sym s2;

				for (j = 0; j < nsyms; j++) {
					gelf_getsym(o.symtab, j, &s2);
					if (GELF_ST_TYPE(s2.st_info) == STT_FUNC &&
					    s2.st_shndx == sym.st_shndx && s2.st_value > sym.st_value &&
					    (s2.st_value - sym.st_value) / 8 < end)
						end = (s2.st_value - sym.st_value) / 8;
				}
				if (end < (u32)len && !o.text_len)
					len = end;
			}
			for (l = 0; l < ARRAY_SIZE(lens); l++) {
				u64 (*r)(const u8 *, u32) = ref;

				vt_maps_reset();
				elf_maps(&o);
				if (!strcmp(fname, "walk_headers"))
					r = ref_walk_headers;
				else if (!strcmp(fname, "sum_bytes"))
					r = ref_sum_bytes;
				if (!r)
					continue;
				run_prog(fname, insns, len, r, lens[l]);
			}
		}
	}
	elf_close(&o);
}

int main(int argc, char **argv)
{
	char self[512], *dir;
	u32 i;

	snprintf(self, sizeof(self), "%s", argv[0]);
	dir = dirname(self);
	tap_plan(0);
	for (i = 0; i < ARRAY_SIZE(progs); i++)
		test_object(dir, progs[i].obj, progs[i].ref);
	return tap_done();
}
