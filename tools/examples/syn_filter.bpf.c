// SPDX-License-Identifier: GPL-2.0
/*
 * A socket filter keeping only TCP SYNs (SYN set, ACK clear) of IPv4 over
 * Ethernet, whole; everything else is rejected.  The TCP test is a
 * BPF-to-BPF call into .text, and the SYNs seen are counted in .bss.
 */
#include <stddef.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include "bpf_helpers.h"

#define TCP_FLAGS_OFF	13
#define TCP_SYN		0x02
#define TCP_ACK		0x10

__u64 syn_count;

/* The TCP flags at IPv4 header offset nh: SYN without ACK. */
static __noinline int is_syn(struct __sk_buff *skb, __u32 nh)
{
	__u32 ihl = (load_byte(skb, nh) & 0xf) * 4;
	__u8 flags = load_byte(skb, nh + ihl + TCP_FLAGS_OFF);

	return (flags & (TCP_SYN | TCP_ACK)) == TCP_SYN;
}

SEC("socket")
int syn_filter(struct __sk_buff *skb)
{
	if (load_half(skb, offsetof(struct ethhdr, h_proto)) != ETH_P_IP)
		return 0;
	if (load_byte(skb, ETH_HLEN + offsetof(struct iphdr, protocol)) != IPPROTO_TCP)
		return 0;
	/* Fragments after the first carry no TCP header. */
	if (load_half(skb, ETH_HLEN + offsetof(struct iphdr, frag_off)) & 0x1fff)
		return 0;
	if (!is_syn(skb, ETH_HLEN))
		return 0;
	__sync_fetch_and_add(&syn_count, 1);
	return skb->len;
}

char _license[] SEC("license") = "GPL";
