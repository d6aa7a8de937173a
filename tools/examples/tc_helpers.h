/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The tc helpers bpfdev implements for action programs (SEC("tc")), as
 * libbpf's bpf_helper_defs.h declares them, and tc's verdicts.  The same
 * objects load into the kernel's tc (cls_bpf, direct-action).
 */
#ifndef BPFDEV_EXAMPLES_TC_HELPERS_H
#define BPFDEV_EXAMPLES_TC_HELPERS_H

#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <linux/types.h>

static long (*bpf_skb_store_bytes)(struct __sk_buff *skb, __u32 offset, const void *from,
				   __u32 len, __u64 flags) = (void *)BPF_FUNC_skb_store_bytes;
static long (*bpf_l3_csum_replace)(struct __sk_buff *skb, __u32 offset, __u64 from,
				   __u64 to, __u64 size) = (void *)BPF_FUNC_l3_csum_replace;
static long (*bpf_l4_csum_replace)(struct __sk_buff *skb, __u32 offset, __u64 from,
				   __u64 to, __u64 flags) = (void *)BPF_FUNC_l4_csum_replace;
static __s64 (*bpf_csum_diff)(__be32 *from, __u32 from_size, __be32 *to, __u32 to_size,
			      __wsum seed) = (void *)BPF_FUNC_csum_diff;
static long (*bpf_redirect)(__u32 ifindex, __u64 flags) = (void *)BPF_FUNC_redirect;
static __u32 (*bpf_get_hash_recalc)(struct __sk_buff *skb) =
	(void *)BPF_FUNC_get_hash_recalc;
static long (*bpf_skb_vlan_push)(struct __sk_buff *skb, __be16 vlan_proto, __u16 vlan_tci) =
	(void *)BPF_FUNC_skb_vlan_push;
static long (*bpf_skb_vlan_pop)(struct __sk_buff *skb) = (void *)BPF_FUNC_skb_vlan_pop;

#endif /* BPFDEV_EXAMPLES_TC_HELPERS_H */
