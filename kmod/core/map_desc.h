/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the verifier knows of a map: its shape, and an opaque pointer of the
 * host's that replaces the map's fd in LD_IMM64 once the program is
 * verified.  The host (kmod/map.c, bpfvm, tests) owns the descriptor and
 * keeps it alive for as long as the verified program may run.
 */
#ifndef BPFDEV_CORE_MAP_DESC_H
#define BPFDEV_CORE_MAP_DESC_H

#include "platform.h"

struct bpfdev_map_desc {
	u32	type;		/* enum bpf_map_type */
	u32	key_size;
	u32	value_size;
	u32	max_entries;
	u32	flags;		/* BPF_F_* map_flags, e.g. BPF_F_RDONLY_PROG */
	void	*host;		/* written into LD_IMM64 for BPF_PSEUDO_MAP_FD */
	/*
	 * BPF_PSEUDO_MAP_VALUE: the address of the first value of a
	 * single-element array map, NULL where direct value access is not
	 * offered (as the kernel's map_direct_value_addr).
	 */
	void	*value_base;
	/*
	 * Array maps whose lookups the verifier inlines (the kernel's
	 * array_map_gen_lookup()): at gen_lookup_off from host lies the
	 * pointer to value 0, values lie elem_size bytes apart.  false for
	 * other maps and for hosts that do not offer it.
	 */
	bool	gen_lookup;
	u32	gen_lookup_off;
	u32	elem_size;
};

#endif /* BPFDEV_CORE_MAP_DESC_H */
