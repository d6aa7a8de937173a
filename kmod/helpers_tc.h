/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BPFDEV_HELPERS_TC_H
#define BPFDEV_HELPERS_TC_H

#include <linux/types.h>

struct bpfdev_tc_skb;
struct sk_buff;

/*
 * The helpers only tc programs call (their ctx is a struct bpfdev_tc_skb
 * whose skb.priv is the sk_buff), at the kernel's ids in helpers.c's
 * table; semantics and argument checks are 6.1's net/core/filter.c.
 */
u64 bpfdev_tc_skb_store_bytes(u64 ctx, u64 off, u64 from, u64 len, u64 flags);
u64 bpfdev_tc_l3_csum_replace(u64 ctx, u64 off, u64 from, u64 to, u64 flags);
u64 bpfdev_tc_l4_csum_replace(u64 ctx, u64 off, u64 from, u64 to, u64 flags);
u64 bpfdev_tc_csum_diff(u64 from, u64 from_size, u64 to, u64 to_size, u64 seed);
u64 bpfdev_tc_redirect(u64 ifindex, u64 flags, u64 r3, u64 r4, u64 r5);
u64 bpfdev_tc_get_hash_recalc(u64 ctx, u64 r2, u64 r3, u64 r4, u64 r5);
u64 bpfdev_tc_skb_vlan_push(u64 ctx, u64 proto, u64 tci, u64 r4, u64 r5);
u64 bpfdev_tc_skb_vlan_pop(u64 ctx, u64 r2, u64 r3, u64 r4, u64 r5);

/* Where this CPU's last bpf_redirect() said to send the packet. */
struct bpfdev_tc_redirect {
	u32	ifindex;
	u32	flags;		/* BPF_F_INGRESS */
};

struct bpfdev_tc_redirect bpfdev_tc_redirect_target(void);

/*
 * Point ctx at skb as a tc program sees it (skb->data at the link-layer
 * header): the packet pointers and the fields the helpers change.
 */
void bpfdev_tc_ctx_sync(struct bpfdev_tc_skb *ctx, struct sk_buff *skb);

#endif /* BPFDEV_HELPERS_TC_H */
