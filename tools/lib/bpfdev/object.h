/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The object API over libbpf: a bpfdev_object wraps a struct bpf_object,
 * its programs and maps wrap libbpf's.  libbpf does the object work (ELF,
 * BTF, .maps and legacy maps, global data, relocations, subprograms,
 * CO-RE); its bpf() calls reach /dev/bpf through redirect.c.
 */
#ifndef LIBBPFDEV_OBJECT_H
#define LIBBPFDEV_OBJECT_H

#include <bpf/libbpf.h>

#include "internal.h"

struct bpfdev_map {
	struct bpfdev_object	*obj;
	struct bpf_map		*map;
};

struct bpfdev_program {
	struct bpfdev_object	*obj;
	struct bpf_program	*prog;
	__u32			log_level;
	char			*log;		/* the last load's verifier log */
};

struct bpfdev_object {
	struct bpf_object	*obj;
	char			license[128];
	struct bpfdev_program	*progs;
	size_t			nr_progs;
	struct bpfdev_map	*maps;
	size_t			nr_maps;
	bool			loaded;
};

/* object_elf.c: what libbpf 1.1 does not tell or says too vaguely. */
int bpfdev_obj_check_elf(const void *buf, size_t size, const char *name,
			 char *license, size_t license_size);
void bpfdev_obj_guess_types(struct bpfdev_object *obj);

#endif /* LIBBPFDEV_OBJECT_H */
