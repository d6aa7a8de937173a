// SPDX-License-Identifier: GPL-2.0
/*
 * Per-source-IPv4 packet and byte counters in a hash map, read with
 * `bpfctl map dump name counters`.  As a socket filter it keeps nothing:
 * it only counts.  Packets shorter than min_len (.rodata, set before
 * load) are not counted.
 */
#include <stddef.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include "bpf_helpers.h"

struct counter {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);		/* source address, network order */
	__type(value, struct counter);
} counters SEC(".maps");

const volatile __u32 min_len = 0;

SEC("socket")
int ip_count(struct __sk_buff *skb)
{
	struct counter *c, fresh = { 1, skb->len };
	__u16 proto;
	__u32 saddr;

	if (skb->len < min_len)
		return 0;
	if (bpf_skb_load_bytes(skb, offsetof(struct ethhdr, h_proto), &proto, 2))
		return 0;
	if (proto != bpf_htons(ETH_P_IP))
		return 0;
	if (bpf_skb_load_bytes(skb, ETH_HLEN + offsetof(struct iphdr, saddr), &saddr, 4))
		return 0;
	c = bpf_map_lookup_elem(&counters, &saddr);
	if (c) {
		__sync_fetch_and_add(&c->packets, 1);
		__sync_fetch_and_add(&c->bytes, skb->len);
	} else {
		bpf_map_update_elem(&counters, &saddr, &fresh, BPF_NOEXIST);
	}
	return 0;
}

char _license[] SEC("license") = "GPL";
