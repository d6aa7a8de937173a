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

#endif /* BPFDEV_CORE_SKB_TC_H */
