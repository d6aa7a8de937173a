// SPDX-License-Identifier: GPL-2.0
/*
 * A SYN-flood guard for a device's ingress (SEC("tc"), direct action):
 * each IPv4 source gets a token bucket in an LRU hash (rate tokens a
 * second, at most burst); a TCP SYN takes a token, and a SYN finding the
 * bucket empty is dropped.  Everything else passes.  Per-CPU counters of
 * the SYNs passed (verdicts[0]) and dropped (verdicts[1]).  rate and burst
 * are .rodata, set before load.  build.mk also builds it with rate 0
 * (ddos_guard_norefill.bpf.o): buckets never refill, so a test's verdicts
 * do not depend on how fast the guest sends (tc cannot set .rodata).
 */
#include <stddef.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include "bpf_helpers.h"
#include "tc_helpers.h"

#define NSEC_PER_SEC	1000000000ULL

struct bucket {
	__u64 tokens;		/* in 1e-9 tokens */
	__u64 last_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);		/* source address, network order */
	__type(value, struct bucket);
} buckets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} verdicts SEC(".maps");

#ifndef DDOS_GUARD_RATE
#define DDOS_GUARD_RATE	10
#endif

const volatile __u64 rate = DDOS_GUARD_RATE;	/* SYNs a second, per source */
const volatile __u64 burst = 20;

static __always_inline int verdict(__u32 i, int act)
{
	__u64 *c = bpf_map_lookup_elem(&verdicts, &i);

	if (c)
		*c += 1;
	return act;
}

SEC("tc")
int ddos_guard(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	struct bucket *b, fresh;
	struct tcphdr *tcp;
	__u64 now, tokens, full = burst * NSEC_PER_SEC, elapsed;
	__u32 saddr;

	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    ip->protocol != IPPROTO_TCP)
		return TC_ACT_OK;
	tcp = (void *)ip + ip->ihl * 4;
	if ((void *)(tcp + 1) > end || !tcp->syn || tcp->ack)
		return TC_ACT_OK;

	saddr = ip->saddr;
	now = bpf_ktime_get_ns();
	b = bpf_map_lookup_elem(&buckets, &saddr);
	if (!b) {
		fresh.tokens = full - NSEC_PER_SEC;
		fresh.last_ns = now;
		bpf_map_update_elem(&buckets, &saddr, &fresh, BPF_ANY);
		return verdict(0, TC_ACT_OK);
	}
	elapsed = now - b->last_ns;
	if (elapsed > full / (rate ? rate : 1))
		tokens = full;
	else
		tokens = b->tokens + elapsed * rate;
	if (tokens > full)
		tokens = full;
	b->last_ns = now;
	if (tokens < NSEC_PER_SEC) {
		b->tokens = tokens;
		return verdict(1, TC_ACT_SHOT);
	}
	b->tokens = tokens - NSEC_PER_SEC;
	return verdict(0, TC_ACT_OK);
}

char _license[] SEC("license") = "GPL";
