// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The little the object API still reads itself, each for a reason libbpf
 * 1.1 cannot serve:
 *   - the ELF header: libbpf refuses every bad one with the same "not a
 *     valid eBPF object file" (LIBBPF_ERRNO__FORMAT); here the message
 *     names the cause (class, byte order, machine, type);
 *   - the license: libbpf 1.1 has no getter for it;
 *   - program types of sections libbpf 1.1 matches exactly and bpfdev's
 *     objects name with a suffix ("socket/NAME", as libbpf 0.x took).
 */

#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <string.h>

#include "object.h"

#ifndef EM_BPF
#define EM_BPF	247
#endif

int bpfdev_obj_check_elf(const void *buf, size_t size, const char *name,
			 char *license, size_t license_size)
{
	Elf_Scn *scn = NULL;
	GElf_Ehdr ehdr;
	size_t shstrndx;
	const char *ident;
	Elf *elf;
	int err = -EINVAL;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -ENOTSUP;
	elf = elf_memory((char *)buf, size);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		pr_warn("%s: not an ELF file\n", name);
		goto out;
	}
	ident = elf_getident(elf, NULL);
	if (!ident || !gelf_getehdr(elf, &ehdr)) {
		pr_warn("%s: cannot read the ELF header: %s\n", name, elf_errmsg(-1));
		goto out;
	}
	if (ident[EI_CLASS] != ELFCLASS64) {
		pr_warn("%s: not a 64-bit ELF object\n", name);
		goto out;
	}
	if (ident[EI_DATA] != ELFDATA2LSB) {
		pr_warn("%s: big-endian object (build with -target bpfel or bpf on x86)\n", name);
		err = -ENOTSUP;
		goto out;
	}
	/* As libbpf: EM_NONE (0) is what older clang wrote for BPF. */
	if (ehdr.e_machine != EM_BPF && ehdr.e_machine != EM_NONE) {
		pr_warn("%s: wrong machine %u, not EM_BPF (%u): build with clang -target bpf\n",
			name, ehdr.e_machine, EM_BPF);
		goto out;
	}
	if (ehdr.e_type != ET_REL) {
		pr_warn("%s: ELF type %u, not a relocatable object (ET_REL)\n", name,
			ehdr.e_type);
		goto out;
	}
	if (elf_getshdrstrndx(elf, &shstrndx)) {
		pr_warn("%s: no section name table: %s\n", name, elf_errmsg(-1));
		goto out;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		const char *sname;
		Elf_Data *data;
		GElf_Shdr sh;
		size_t n;

		if (!gelf_getshdr(scn, &sh))
			break;
		sname = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!sname || strcmp(sname, "license") || sh.sh_type != SHT_PROGBITS)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data || !data->d_buf)
			break;
		n = data->d_size < license_size - 1 ? data->d_size : license_size - 1;
		memcpy(license, data->d_buf, n);
		license[n] = '\0';
		break;
	}
	err = 0;
out:
	if (elf)
		elf_end(elf);
	return err;
}

/* Section prefixes bpfdev took before libbpf loaded its objects. */
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

void bpfdev_obj_guess_types(struct bpfdev_object *obj)
{
	size_t i, j;

	for (i = 0; i < obj->nr_progs; i++) {
		struct bpf_program *p = obj->progs[i].prog;
		const char *sec = bpf_program__section_name(p);

		if (bpf_program__type(p) != BPF_PROG_TYPE_UNSPEC)
			continue;
		for (j = 0; j < sizeof(sec_defs) / sizeof(sec_defs[0]); j++) {
			if (!sec_matches(sec, sec_defs[j].prefix))
				continue;
			bpf_program__set_type(p, sec_defs[j].type);
			bpf_program__set_expected_attach_type(p, sec_defs[j].attach);
			break;
		}
	}
}
