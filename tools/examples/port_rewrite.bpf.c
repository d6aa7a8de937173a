// SPDX-License-Identifier: GPL-2.0
/*
 * Rewrites the destination port of IPv4 UDP and TCP packets from from_port
 * to to_port (.rodata, set before load) at a device hook (SEC("tc")),
 * fixing the transport checksum with bpf_l4_csum_replace(): the port is
 * not in the pseudo-header, so only the header's own sum changes.
 */
#include <stddef.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include "bpf_helpers.h"
#include "tc_helpers.h"

const volatile __u16 from_port = 9000;
const volatile __u16 to_port = 9002;

SEC("tc")
int port_rewrite(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	__u32 l4, csum_off;
	__u16 old, new;
	__u16 *ports;

	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    ip->ihl != 5)
		return TC_ACT_OK;
	l4 = sizeof(*eth) + sizeof(*ip);
	if (ip->protocol == IPPROTO_UDP)
		csum_off = l4 + offsetof(struct udphdr, check);
	else if (ip->protocol == IPPROTO_TCP)
		csum_off = l4 + offsetof(struct tcphdr, check);
	else
		return TC_ACT_OK;
	ports = data + l4;
	if ((void *)(ports + 2) > end || ports[1] != bpf_htons(from_port))
		return TC_ACT_OK;
	old = ports[1];
	new = bpf_htons(to_port);
	/* a UDP sum of zero means none: leave it so (BPF_F_MARK_MANGLED_0) */
	bpf_l4_csum_replace(skb, csum_off, old, new, sizeof(new) |
			    (ip->protocol == IPPROTO_UDP ? BPF_F_MARK_MANGLED_0 : 0));
	bpf_skb_store_bytes(skb, l4 + 2, &new, sizeof(new), 0);
	return TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";
