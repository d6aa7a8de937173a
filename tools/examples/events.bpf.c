// SPDX-License-Identifier: GPL-2.0
/*
 * One event per IPv4 packet through a BPF_MAP_TYPE_RINGBUF, read by
 * tools/examples/bpfdev-events.  As a socket filter it keeps nothing.
 */
#include <stddef.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include "bpf_helpers.h"
#include "events.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} events SEC(".maps");

SEC("socket")
int events_filter(struct __sk_buff *skb)
{
	struct pkt_event *e;
	__u32 saddr, daddr, ports = 0, ihl;
	__u8 proto;

	/* Classic loads first: none may follow a ring buffer reservation. */
	if (load_half(skb, offsetof(struct ethhdr, h_proto)) != ETH_P_IP)
		return 0;
	saddr = load_word(skb, ETH_HLEN + offsetof(struct iphdr, saddr));
	daddr = load_word(skb, ETH_HLEN + offsetof(struct iphdr, daddr));
	proto = load_byte(skb, ETH_HLEN + offsetof(struct iphdr, protocol));
	if (proto == IPPROTO_TCP || proto == IPPROTO_UDP) {
		ihl = (load_byte(skb, ETH_HLEN) & 0xf) * 4;
		ports = load_word(skb, ETH_HLEN + ihl);
	}
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->tstamp_ns = bpf_ktime_get_ns();
	e->len = skb->len;
	e->saddr = bpf_ntohl(saddr);
	e->daddr = bpf_ntohl(daddr);
	e->sport = ports >> 16;
	e->dport = ports & 0xffff;
	e->proto = proto;
	__builtin_memset(e->pad, 0, sizeof(e->pad));
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char _license[] SEC("license") = "GPL";
