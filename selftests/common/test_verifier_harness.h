/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The verifier's test table and its runner (test_verifier.c): each case is
 * a program, the maps it uses, and what must happen: rejected with a
 * message in the log, or accepted and then run by the checked interpreter
 * on a packet with an expected r0.
 */
#ifndef BPFDEV_TEST_VERIFIER_HARNESS_H
#define BPFDEV_TEST_VERIFIER_HARNESS_H

#include "isa.h"

#define VT_MAX_INSNS	128

enum vt_result {
	VT_ACCEPT = 1,
	VT_REJECT,
	VT_SAME,	/* unprivileged: as privileged */
};

/*
 * Maps a program may name with INSN_LD_MAP_FD(reg, VT_MAP_*): the fd is
 * the index in the harness' map table.
 */
enum {
	VT_MAP_HASH_8B,		/* hash, key 8, value 8 */
	VT_MAP_HASH_48B,	/* hash, key 8, value 48 */
	VT_MAP_ARRAY_48B,	/* array, key 4, value 48, 4 entries */
	VT_MAP_RINGBUF,		/* ringbuf 4096 */
	VT_MAP_PROG_ARRAY,	/* prog array, 4 entries */
	VT_MAP_ARRAY_1,		/* array, key 4, value 16, 1 entry (direct value) */
	VT_MAP_PERCPU_ARRAY,	/* percpu array, key 4, value 8 */
	VT_MAP_LRU_HASH,	/* lru hash, key 4, value 16 */
	VT_MAP_LPM,		/* lpm trie, key 8, value 8 */
	VT_MAP_ARRAY_RDONLY,	/* array, key 4, value 8, BPF_F_RDONLY_PROG */
	VT_MAP_PERCPU_HASH,	/* percpu hash, key 4, value 8 */
	VT_MAP_LRU_PERCPU_HASH,	/* lru percpu hash, key 4, value 8 */
	VT_MAP_PROG_ARRAY_2,	/* another prog array, 4 entries */
	VT_NR_MAPS,
};

struct vt_case {
	const char		*name;
	struct bpf_insn		insns[VT_MAX_INSNS];
	u8			result;		/* privileged verdict */
	u8			result_unpriv;	/* VT_SAME by default (0) */
	const char		*errstr;	/* substring of the log on reject */
	const char		*errstr_unpriv;
	bool			run;		/* run it when accepted */
	u64			retval;		/* expected r0 */
	u32			data_len;	/* packet bytes (0: 64) */
	u32			flags;
};

/* flags */
#define VT_F_INTERNAL	(1U << 0)	/* may call bpfdev's own helpers */
#define VT_F_NO_RUN_UNPRIV (1U << 1)

#define VT_RUN(v)	.run = true, .retval = (v)

#endif /* BPFDEV_TEST_VERIFIER_HARNESS_H */
