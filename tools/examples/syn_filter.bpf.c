// SPDX-License-Identifier: GPL-2.0
/*
 * A socket filter keeping only TCP SYNs (SYN set, ACK clear) of IPv4 over
 * Ethernet, whole; everything else is rejected.  The TCP test is a
 * BPF-to-BPF call into .text, and the SYNs seen are counted in .bss.
 * Packet bytes come through bpf_skb_load_bytes(): programs with calls may
 * not use the classic LD_ABS loads (the kernel's rule too).
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

/* The TCP flags of the IPv4 packet whose header starts at nh: SYN without ACK. */
static __noinline int is_syn(struct __sk_buff *skb, __u32 nh)
{
	__u8 vihl, flags;

	if (bpf_skb_load_bytes(skb, nh, &vihl, 1))
		return 0;
	if (bpf_skb_load_bytes(skb, nh + (vihl & 0xf) * 4 + TCP_FLAGS_OFF, &flags, 1))
		return 0;
	return (flags & (TCP_SYN | TCP_ACK)) == TCP_SYN;
}

SEC("socket")
int syn_filter(struct __sk_buff *skb)
{
	struct iphdr ip;
	__u16 proto;

	if (bpf_skb_load_bytes(skb, offsetof(struct ethhdr, h_proto), &proto, 2) ||
	    proto != bpf_htons(ETH_P_IP))
		return 0;
	if (bpf_skb_load_bytes(skb, ETH_HLEN, &ip, sizeof(ip)) || ip.protocol != IPPROTO_TCP)
		return 0;
	/* Fragments after the first carry no TCP header. */
	if (ip.frag_off & bpf_htons(0x1fff))
		return 0;
	if (!is_syn(skb, ETH_HLEN))
		return 0;
	__sync_fetch_and_add(&syn_count, 1);
	return skb->len;
}

char _license[] SEC("license") = "GPL";
