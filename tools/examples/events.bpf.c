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
	__u32 ihl;

	if (load_half(skb, offsetof(struct ethhdr, h_proto)) != ETH_P_IP)
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->tstamp_ns = bpf_ktime_get_ns();
	e->len = skb->len;
	e->saddr = bpf_ntohl(load_word(skb, ETH_HLEN + offsetof(struct iphdr, saddr)));
	e->daddr = bpf_ntohl(load_word(skb, ETH_HLEN + offsetof(struct iphdr, daddr)));
	e->proto = load_byte(skb, ETH_HLEN + offsetof(struct iphdr, protocol));
	e->sport = 0;
	e->dport = 0;
	__builtin_memset(e->pad, 0, sizeof(e->pad));
	if (e->proto == IPPROTO_TCP || e->proto == IPPROTO_UDP) {
		ihl = (load_byte(skb, ETH_HLEN) & 0xf) * 4;
		e->sport = load_half(skb, ETH_HLEN + ihl);
		e->dport = load_half(skb, ETH_HLEN + ihl + 2);
	}
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char _license[] SEC("license") = "GPL";
