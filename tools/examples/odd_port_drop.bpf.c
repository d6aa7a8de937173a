// SPDX-License-Identifier: GPL-2.0
/*
 * Drops IPv4 UDP datagrams to an odd destination port and passes
 * everything else (SEC("tc"), direct action): a verdict that depends on
 * the packet, read through direct packet access, with nothing kept in
 * maps, so that the same traffic must meet the same fate on bpfdev and
 * in the kernel's tc (selftests/guest/t_56_action_tc_peer.sh).
 */
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include "bpf_helpers.h"
#include "tc_helpers.h"

SEC("tc")
int odd_port_drop(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	struct udphdr *udp;

	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    ip->protocol != IPPROTO_UDP)
		return TC_ACT_OK;
	udp = (void *)ip + ip->ihl * 4;
	if ((void *)(udp + 1) > end)
		return TC_ACT_OK;
	return bpf_ntohs(udp->dest) & 1 ? TC_ACT_SHOT : TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";
