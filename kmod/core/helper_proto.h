/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helper prototypes: what each kernel helper id takes and returns, as the
 * kernel's struct bpf_func_proto says, for the verifier's call checks.
 */
#ifndef BPFDEV_CORE_HELPER_PROTO_H
#define BPFDEV_CORE_HELPER_PROTO_H

#include "isa.h"

enum bpfdev_arg_type {
	BPFDEV_ARG_DONTCARE = 0,	/* unused argument */
	BPFDEV_ARG_CONST_MAP_PTR,	/* const argument used as pointer to bpf_map */
	BPFDEV_ARG_PTR_TO_MAP_KEY,	/* pointer to stack used as map key */
	BPFDEV_ARG_PTR_TO_MAP_VALUE,	/* pointer to stack used as map value */
	BPFDEV_ARG_PTR_TO_MEM,		/* pointer to valid memory */
	BPFDEV_ARG_PTR_TO_UNINIT_MEM,	/* memory the helper fills */
	BPFDEV_ARG_CONST_SIZE,		/* number of bytes accessed from memory */
	BPFDEV_ARG_CONST_SIZE_OR_ZERO,	/* number of bytes accessed, may be 0 */
	BPFDEV_ARG_PTR_TO_CTX,		/* pointer to context */
	BPFDEV_ARG_ANYTHING,		/* any (initialized) argument is ok */
	BPFDEV_ARG_PTR_TO_ALLOC_MEM,	/* ringbuf_reserve's memory, released */
	BPFDEV_ARG_CONST_ALLOC_SIZE_OR_ZERO, /* constant size of the memory to allocate */
};

enum bpfdev_ret_type {
	BPFDEV_RET_INTEGER,			/* function returns integer */
	BPFDEV_RET_VOID,			/* function doesn't return anything */
	BPFDEV_RET_PTR_TO_MAP_VALUE_OR_NULL,	/* pointer to map elem or NULL */
	BPFDEV_RET_PTR_TO_ALLOC_MEM_OR_NULL,	/* ringbuf memory or NULL */
};

/* Who may call a helper (the kernel's bpf_base_func_proto tiers). */
#define BPFDEV_PROTO_UNPRIV	0	/* any program */
#define BPFDEV_PROTO_CAP_BPF	1	/* bpf_capable() */
#define BPFDEV_PROTO_PERFMON	2	/* perfmon_capable() */
#define BPFDEV_PROTO_INTERNAL	3	/* bpfdev's own: converted classic programs only */

struct bpfdev_func_proto {
	const char		*name;		/* "map_lookup_elem" */
	u8			ret_type;	/* enum bpfdev_ret_type */
	u8			arg_type[5];	/* enum bpfdev_arg_type */
	u8			tier;		/* BPFDEV_PROTO_* */
	/* only programs whose license is GPL-compatible may call it */
	bool			gpl_only;
	bool			pkt_access;	/* may take packet pointers */
	bool			socket_filter_only; /* skb helpers */
	bool			skb_ctx;	/* socket filters and tc */
	bool			tc_only;	/* tc programs (ctx_tc.c) */
	/* 6.1's bpf_tracing_func_proto() and kprobe_prog_func_proto() ones */
	bool			trace_only;	/* bpfdev_prog_type_is_trace() */
	/* may move or resize the packet: packet pointers are void after it */
	bool			changes_pkt_data;
};

/* The prototype of helper id func_id, NULL when bpfdev has none. */
const struct bpfdev_func_proto *bpfdev_helper_proto(s32 func_id);

/* The kernel's name of helper id func_id ("unknown" outside the uapi list). */
const char *bpfdev_helper_name(s32 func_id);

/* Whether func_id is a helper id at all (the kernel's __BPF_FUNC_MAX_ID). */
bool bpfdev_helper_id_valid(s32 func_id);

#endif /* BPFDEV_CORE_HELPER_PROTO_H */
