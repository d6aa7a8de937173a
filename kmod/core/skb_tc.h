/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The real context behind a tc (BPF_PROG_TYPE_SCHED_CLS/SCHED_ACT)
 * program's struct __sk_buff: the socket filter's, with data_meta after
 * it.  Packet bytes start at the link-layer header, as tc's do; the
 * fields tc may write (mark, priority, tc_index, tc_classid,
 * queue_mapping, tstamp, cb[]) are written into skb.md and reach the
 * packet when the program returns (kmod/action_run.c).
 */
#ifndef BPFDEV_CORE_SKB_TC_H
#define BPFDEV_CORE_SKB_TC_H

#include "skb.h"

struct bpfdev_tc_skb {
	struct bpfdev_skb	skb;		/* skb.priv: the host's packet */
	const u8		*data_meta;	/* skb.data less the XDP metadata */
	bool			at_ingress;	/* the host's hook: ingress or egress */
};

/*
 * The 4-byte words of struct __sk_buff (bit i: bytes 4i..4i+3) that field
 * f covers.  The verifier records the words a tc program reads, and the
 * host fills only those before it runs (kmod/action_run.c).
 */
#define BPFDEV_TC_WORDS(f)						\
	((~0ULL >> (64 - (sizeof(((struct __sk_buff *)0)->f) + 3) / 4)) <<	\
	 (offsetof(struct __sk_buff, f) / 4))

/*
 * The packet pointers and lengths, set together: for a program that reads
 * one of them, gives a helper its context or uses LD_ABS/LD_IND (the
 * verifier puts them all in its fill set then), not for one that cannot
 * see the packet.
 */
#define BPFDEV_TC_BASE_WORDS						\
	(BPFDEV_TC_WORDS(len) | BPFDEV_TC_WORDS(protocol) |		\
	 BPFDEV_TC_WORDS(vlan_present) | BPFDEV_TC_WORDS(vlan_tci) |	\
	 BPFDEV_TC_WORDS(vlan_proto) | BPFDEV_TC_WORDS(data) |		\
	 BPFDEV_TC_WORDS(data_end) | BPFDEV_TC_WORDS(data_meta))

/*
 * The fields the host stores back into the packet after a program that
 * writes any of them (bpfdev_act_ctx_writeback()): all of them must hold
 * the packet's values before it runs.
 */
#define BPFDEV_TC_WRITEBACK_WORDS					\
	(BPFDEV_TC_WORDS(mark) | BPFDEV_TC_WORDS(priority) |		\
	 BPFDEV_TC_WORDS(tc_index) | BPFDEV_TC_WORDS(queue_mapping) |	\
	 BPFDEV_TC_WORDS(tstamp))

#endif /* BPFDEV_CORE_SKB_TC_H */
