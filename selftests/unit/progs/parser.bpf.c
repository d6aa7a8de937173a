// SPDX-License-Identifier: GPL-2.0
/* A packet parser with bounds checks: the destination port of TCP/UDP over IPv4. */
#include "vt_bpf.h"

SEC("socket")
int parse_port(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip;
	unsigned int ihl;

	if ((void *)(eth + 1) > data_end)
		return 0;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return 0;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end)
		return 0;
	/* options would make the transport header's offset variable */
	ihl = ip->ihl * 4;
	if (ihl != sizeof(*ip))
		return 0;
	if (ip->protocol == IPPROTO_TCP) {
		struct tcphdr *tcp = (void *)ip + ihl;

		if ((void *)(tcp + 1) > data_end)
			return 0;
		return bpf_htons(tcp->dest);
	}
	if (ip->protocol == IPPROTO_UDP) {
		struct udphdr *udp = (void *)ip + ihl;

		if ((void *)(udp + 1) > data_end)
			return 0;
		return bpf_htons(udp->dest);
	}
	return 0;
}
