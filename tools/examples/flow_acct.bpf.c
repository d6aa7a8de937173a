// SPDX-License-Identifier: GPL-2.0
/*
 * Per-flow accounting at a device hook (SEC("tc"), direct action): packets
 * and bytes per IPv4 5-tuple (ports for TCP and UDP, zero otherwise) in a
 * hash map, read with `bpfctl map dump name flows`.  Passes everything.
 */
#include <stddef.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include "bpf_helpers.h"
#include "tc_helpers.h"

struct flow {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u8 proto;
	__u8 pad[3];
};

struct counter {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct flow);
	__type(value, struct counter);
} flows SEC(".maps");

SEC("tc")
int flow_acct(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	struct counter *c, fresh = { 1, skb->len };
	struct flow f = {};
	__u16 *ports;

	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	f.saddr = ip->saddr;
	f.daddr = ip->daddr;
	f.proto = ip->protocol;
	ports = (void *)ip + ip->ihl * 4;
	if ((f.proto == IPPROTO_TCP || f.proto == IPPROTO_UDP) &&
	    (void *)(ports + 2) <= end) {
		f.sport = bpf_ntohs(ports[0]);
		f.dport = bpf_ntohs(ports[1]);
	}
	c = bpf_map_lookup_elem(&flows, &f);
	if (c) {
		__sync_fetch_and_add(&c->packets, 1);
		__sync_fetch_and_add(&c->bytes, skb->len);
	} else {
		bpf_map_update_elem(&flows, &f, &fresh, BPF_NOEXIST);
	}
	return TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";
